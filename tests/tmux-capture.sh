#!/bin/sh
# tmux-capture.sh - in a real terminal: quick capture of 10 steps with
# Unicode names (accents, CJK, emoji) into a new workbook, quit, open it
# again: all 10 are there, in order, and undo still knows them.
set -u
. "$TOP/tests/tools/tmux.sh"
WB=$TMP/capture.stepmap
names="Café crème
Müller prüft
日本語の受付
Émile 🚑 arrives
Ünïcödé lane
Señal verde
Zoë waits
Ω test step
Ça marche
Final ✅ step"

tm_start s1 30 100 env TERM=tmux-256color "$STEPMAP" "$WB"
tm_wait "An empty workbook"
tm_keys : && tm_type "process new Admission" && tm_keys Enter
tm_wait "No steps yet"
tm_keys : && tm_type "lane add Patient customer" && tm_keys Enter
tm_wait "add lane 'Patient'"
tm_keys a
i=0
echo "$names" | while IFS= read -r name; do
	i=$((i + 1))
	tm_type "$name"
	tm_keys Enter
	tm_wait "$i step"
done || exit 1
tm_keys Escape
tm_wait "capture ended: 10 steps added"
tm_keys q
n=0
while tm_alive && [ $n -lt 250 ]; do sleep 0.02; n=$((n + 1)); done
tm_alive && { echo "q did not quit"; tm_screen; exit 1; }

# open it again: every name is on the map, in the order typed
tm_start s2 30 100 env TERM=tmux-256color "$STEPMAP" "$WB"
tm_wait "Final ✅ step"
screen=$(tm_screen)
i=0
echo "$names" | while IFS= read -r name; do
	i=$((i + 1))
	printf '%s\n' "$screen" | grep -qE " $i Patient +■  $name" ||
		{ echo "step $i '$name' is not on the map:"; printf '%s\n' "$screen"; exit 1; }
done || exit 1
# the undo history came back with the file
tm_keys u
tm_wait "undone: "
tm_gone "10 Patient"
exit 0
