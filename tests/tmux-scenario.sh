#!/bin/sh
# tmux-scenario.sh - in a real terminal: the demo in a workbook file, a new
# scenario made from the scenario list, two steps removed in it (x), quit;
# opened again, the scenario is shown again (the workbook remembers it) with
# its two cuts and their marks (and the baseline still has every step);
# back to the baseline, quit; opened once more without colour and without a
# UTF-8 locale: the baseline, as left; the marks show as ASCII and no colour
# is set.
set -u
. "$TOP/tests/tools/tmux.sh"
WB=$TMP/scenario.stepmap
ESC=$(printf '\033')

"$STEPMAP" demo "$WB" >/dev/null || { echo "stepmap demo $WB failed"; exit 1; }

quit() {
	tm_keys Q
	n=0
	while tm_alive && [ $n -lt 250 ]; do sleep 0.02; n=$((n + 1)); done
	tm_alive && { echo "Q did not quit"; tm_screen; exit 1; }
	return 0
}
# the screen's line for step N: its mark, then its lane
has_line() { # regex
	tm_screen | grep -qE -- "$1" || { echo "no line matching '$1':"; tm_screen; exit 1; }
}

tm_start s1 30 100 env TERM=tmux-256color "$STEPMAP" "$WB"
tm_wait "ED admission · baseline"
tm_keys s
tm_wait "Scenarios: Enter shows"
tm_keys a
tm_wait "New scenario:"
tm_type "Walk-in fast"
tm_keys Enter
tm_wait "scenario: Walk-in fast"
tm_keys q
tm_wait "Baseline → scenario"
tm_keys : && tm_type 2 && tm_keys Enter x
tm_wait "remove step 2 'Queue at the front desk'"
tm_keys : && tm_type 3 && tm_keys Enter x
tm_wait "remove step 3 "
tm_wait "111 → 109"
has_line '^ +2 ✗ Patient +◷  Queue at the front'
has_line '^▶ +3 ✗ Patient +■  Tell the clerk'
quit

# opened again: the scenario shown when it was left, its marks and figures
tm_start s2 30 100 env TERM=tmux-256color "$STEPMAP" "$WB"
tm_wait "ED admission · scenario: Walk-in fast"
tm_wait "111 → 109"
has_line '^ +2 ✗ Patient +◷  Queue at the front'
has_line '^ +3 ✗ Patient +■  Tell the clerk'
has_line 'Cuts +2$'
tm_keys s
tm_wait "Walk-in fast"
has_line 'Walk-in fast +2 +0 +109$'
has_line 'baseline \(no cuts\) +- +- +111$'
tm_keys g Enter
tm_wait "showing the baseline"
tm_gone "✗" 1
quit

# without colour and in the C locale: ASCII marks, no colour
tm_start s3 30 100 env LC_ALL=C LANG=C NO_COLOR=1 TERM=tmux-256color "$STEPMAP" "$WB"
tm_wait "ED admission - baseline"
tm_keys : && tm_type "scenario Walk-in fast" && tm_keys Enter
tm_wait "111 -> 109"
has_line '^ +2 x Patient'
has_line '^ +3 x Patient'
has_line 'Steps +111 -> 109 +-2 %$'
n=$(tm capture-pane -e -p -t s3 | grep -oE "$ESC\[[0-9;]*m" |
	grep -cE '\[(([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38|48))(;|m)')
[ "$n" -eq 0 ] || { echo "NO_COLOR=1 and still $n colour settings"; exit 1; }
quit
exit 0
