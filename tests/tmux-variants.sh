#!/bin/sh
# tmux-variants.sh - in a real terminal: an event log imported from the
# workbench (:import LOG), the status line says what the log holds; the
# variants screen (:variants) lists them with their share, Enter shows one on
# the map (its steps marked, the cursor on its first), :variants off takes
# the marks away; quit and reopen: the log's figures were stored with the
# process (the variants screen lists them again).
set -u
. "$TOP/tests/tools/tmux.sh"
WB=$TMP/variants.stepmap
LOG=$TOP/tests/data/eventlogs/running-example.xes

"$STEPMAP" demo "$WB" >/dev/null || { echo "stepmap demo $WB failed"; exit 1; }
quit() {
	tm_keys Q
	n=0
	while tm_alive && [ $n -lt 250 ]; do sleep 0.02; n=$((n + 1)); done
	tm_alive && { echo "Q did not quit"; tm_screen; exit 1; }
	return 0
}

tm_start v1 30 140 env TERM=tmux-256color "$STEPMAP" "$WB"
tm_wait "ED admission · baseline"
tm_keys : && tm_type "variants" && tm_keys Enter
tm_wait "not made from an event log"
tm_keys : && tm_type "import $LOG" && tm_keys Enter
tm_wait "1 process imported: an event log of 6 cases, 6 variants (:variants)"
tm_wait "register request"
tm_keys : && tm_type "variants" && tm_keys Enter
tm_wait "Variants of 'running-example': 6 in 6 cases"
tm_screen | grep -q " 16.7%      1 .*register request → examine thoroughly → check ticket → decide → reject request" ||
	{ echo "no variant line:"; tm_screen; exit 1; }
tm_keys j Enter
# the second variant's activities: register request, examine casually, check
# ticket, decide, pay compensation; the default coverage (80 % of the
# events) leaves pay compensation off the map, so 4 steps carry the mark
tm_wait "variant 2 shown (1 case, 16.7 %): its 4 steps are marked"
tm_wait "some of its activities are not on the map"
n=$(tm_screen | grep -cE "^. +[0-9]+ .*◆")
[ "$n" -eq 4 ] || { echo "$n steps marked, not 4:"; tm_screen; exit 1; }
tm_screen | grep -qE "^. +6 .*examine thoroughly.*◆" && { echo "a step off the variant is marked"; tm_screen; exit 1; }
tm_keys : && tm_type "variants off" && tm_keys Enter
tm_wait "no variant shown"
n=$(tm_screen | grep -cE "^. +[0-9]+ .*◆")
[ "$n" -eq 0 ] || { echo "marks left:"; tm_screen; exit 1; }
quit

tm_start v2 30 140 env TERM=tmux-256color "$STEPMAP" "$WB"
tm_wait "ED admission · baseline"
tm_keys o
tm_wait "running-example"
tm_keys G Enter
tm_wait "register request"
tm_keys : && tm_type "variants" && tm_keys Enter
tm_wait "Variants of 'running-example': 6 in 6 cases"
quit
tm_cleanup
echo ok
