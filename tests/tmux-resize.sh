#!/bin/sh
# tmux-resize.sh - in a real terminal (TERM=screen): the demo survives being
# resized down to 20x6 and smaller, shows what fits, and comes back whole at
# 100x30 (figures beside the map), still answering keys.
set -u
. "$TOP/tests/tools/tmux.sh"

tm_start s1 24 80 env TERM=screen "$STEPMAP"
tm_wait "Demo in memory"
tm_wait "Figures"
tm_keys j j
tm_wait "3/111"
tm resize-window -t s1 -x 20 -y 6
tm_wait "stepmap · ED admis"
tm_gone "Figures"
screen=$(tm_screen)
[ "$(printf '%s\n' "$screen" | wc -l)" -le 6 ] || { echo "more than 6 lines at 20x6"; exit 1; }
tm_keys j
tm_wait "▶  4"
tm resize-window -t s1 -x 10 -y 3
tm resize-window -t s1 -x 1 -y 1
tm resize-window -t s1 -x 20 -y 6
tm_wait "▶  4"
tm_keys v
tm_wait "Front desk"
tm_keys v
tm_wait "# Step"
tm resize-window -t s1 -x 100 -y 30
tm_wait "Steps by lane"
tm_wait "4/111"
tm_alive || { echo "the workbench died on resize"; exit 1; }
tm_keys G
tm_wait "111/111"
tm_keys q
n=0
while tm_alive && [ $n -lt 250 ]; do sleep 0.02; n=$((n + 1)); done
tm_alive && { echo "q did not quit"; exit 1; }
exit 0
