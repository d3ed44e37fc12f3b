#!/bin/sh
# tmux-kill.sh - in a real terminal: type steps, kill -9 the program while a
# line is still being typed, open the workbook again: every step whose Enter
# was pressed is there, the unfinished line is not, and the file is sound.
# After a pause in the typing the main file alone (without its -wal) holds
# the steps: the workbench checkpoints when the keys stop for a second.
set -u
. "$TOP/tests/tools/tmux.sh"
WB=$TMP/kill.stepmap
PIDFILE=$TMP/pid

tm_start s1 24 80 sh -c 'echo $$ > "$1"; exec env TERM=xterm "$2" "$3"' sh "$PIDFILE" "$STEPMAP" "$WB"
tm_wait "An empty workbook"
tm_keys : && tm_type "process new Workshop" && tm_keys Enter
tm_wait "No steps yet"
tm_keys a
# Enter after each line, as fast as tmux delivers them, without waiting
for i in 1 2 3 4 5 6 7; do
	tm_type "Said in the room $i"
	tm_keys Enter
done
tm_wait "7 steps added"
# a pause in the typing: the workbench checkpoints, so the main file alone
# (without its -wal) holds every step (a power cut loses nothing typed before)
sleep 1.5
cp "$WB" "$TMP/main-only.stepmap"
"$STEPMAP" export "$TMP/main-only.stepmap" -f csv -o "$TMP/main-only.csv" ||
	{ echo "the main file alone cannot be read"; exit 1; }
grep -q "Said in the room 7" "$TMP/main-only.csv" ||
	{ echo "after a pause the main file lacks the steps typed:"; cat "$TMP/main-only.csv"; exit 1; }
tm_type "Not finished yet"
tm_wait "Not finished yet"
kill -9 "$(cat "$PIDFILE")"
n=0
while tm_alive && [ $n -lt 250 ]; do sleep 0.02; n=$((n + 1)); done

tm_start s2 24 80 env TERM=xterm "$STEPMAP" "$WB"
tm_wait "Said in the room 7"
screen=$(tm_screen)
for i in 1 2 3 4 5 6 7; do
	printf '%s\n' "$screen" | grep -qE " $i +■  Said in the room $i\$" ||
		{ echo "step $i is missing after kill -9:"; printf '%s\n' "$screen"; exit 1; }
done
printf '%s\n' "$screen" | grep -qF "Not finished" && { echo "an unfinished line was saved"; exit 1; }
tm_keys q
"$STEPMAP" report "$WB" >"$TMP/report" 2>&1 || { echo "report after kill -9 failed:"; cat "$TMP/report"; exit 1; }
exit 0
