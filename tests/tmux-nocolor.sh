#!/bin/sh
# tmux-nocolor.sh - in a real terminal: with NO_COLOR=1 the map draws no
# colour at all, and manual steps (✋), pain points (⚑) and rework (↻) still
# show as glyphs; without it the same map is in colour.
set -u
. "$TOP/tests/tools/tmux.sh"

ESC=$(printf '\033')
colours() { # count SGR colour settings on the screen
	tm capture-pane -e -p -t "$TM_SESSION" | grep -oE "$ESC\[[0-9;]*m" |
		grep -cE '\[(([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38|48))(;|m)'
}

tm_start c1 24 80 env TERM=tmux-256color "$STEPMAP"
tm_wait "Demo in memory"
[ "$(colours)" -gt 0 ] || { echo "no colour without NO_COLOR: the check is broken"; exit 1; }
tm_keys Q

tm_start c2 24 80 env NO_COLOR=1 TERM=tmux-256color "$STEPMAP"
tm_wait "Demo in memory"
n=$(colours)
[ "$n" -eq 0 ] || { echo "NO_COLOR=1 and still $n colour settings:"; tm capture-pane -e -p -t c2 | head; exit 1; }
screen=$(tm_screen)
for g in ✋ ⚑ ↻; do
	printf '%s\n' "$screen" | grep -qF "$g" || { echo "no $g on the map with NO_COLOR"; printf '%s\n' "$screen"; exit 1; }
done
# the cursor line still shows without colour
printf '%s\n' "$screen" | grep -qE '^▶ +1 ' || { echo "no cursor mark"; exit 1; }
exit 0
