#!/bin/sh
# tmux-simulate.sh - the real binary in tmux on the bundled demo: S shows the
# simulation screen with the arrival → physician mean that `stepmap simulate`
# gives for the same (default) options, and a histogram of block bars; w
# walks a case whose clock moves on with j and Space and back to 0s with g;
# q closes each screen and then quits.
set -u
. "$TOP/tests/tools/tmux.sh"

"$STEPMAP" demo "$TMP/demo.stepmap" >/dev/null || { echo "stepmap demo failed"; exit 1; }
mean=$("$STEPMAP" simulate "$TMP/demo.stepmap" --json |
	sed -n 's/.*"name":"arrival → seen by physician".*"mean_s":\([0-9.]*\).*/\1/p')
[ -n "$mean" ] || { echo "no mean from stepmap simulate"; exit 1; }
# as the screen writes a time under an hour: to the second
want=$(awk -v s="$mean" 'BEGIN { s = int(s + 0.5); m = int(s / 60); r = s % 60
	if (r) printf "%dm%ds", m, r; else printf "%dm", m }')

tm_start s1 24 80 env TERM=screen "$STEPMAP"
tm_wait "Demo in memory"
tm_keys S
tm_wait "Histogram: arrival → seen by physician"
tm_wait "│██"
row=$(tm_screen | grep "▸ arrival → seen by physician")
case $row in
*" $want "*) ;;
*) echo "the mean $want (stepmap simulate) is not on the screen's row: $row"; tm_screen; exit 1 ;;
esac
tm_wait "1 000 cases × 20 runs, seed 1,"
tm_keys q
tm_gone "Histogram"
tm_keys w
tm_wait "(nearest the median)"
tm_wait "Clock 0s "
tm_keys j j Space j j
tm_gone "Clock 0s "
clock=$(tm_screen | sed -n 's/.*Clock \([0-9hms]*\) .*/\1/p')
case $clock in ''|0s) echo "the clock did not move: '$clock'"; tm_screen; exit 1 ;; esac
tm_keys G
tm_wait "100 % of"
tm_keys g
tm_wait "Clock 0s "
tm_keys q
tm_gone "Clock"
tm_alive || { echo "the workbench died"; exit 1; }
tm_keys q
n=0
while tm_alive && [ $n -lt 250 ]; do sleep 0.02; n=$((n + 1)); done
tm_alive && { echo "q did not quit"; exit 1; }
exit 0
