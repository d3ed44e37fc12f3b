#!/bin/sh
# tmux-present.sh - presentation mode in a real terminal, as a projector
# shows it: at 60x18 and 80x24 a 40-character step name shows whole, the
# legend is on screen, the figures have plain names, capture adds steps that
# are in the file afterwards, and with NO_COLOR every mark is still a word
# (no colour at all). `stepmap present FILE` and W on the map both open it.
set -u
. "$TOP/tests/tools/tmux.sh"

name40="Wait in the phone queue for a free nurse"   # 40 characters
[ ${#name40} -eq 40 ] || { echo "the test's name is ${#name40} characters"; exit 1; }
cat > "$TMP/claim.csv" <<CSV
step,name,lane,stage,type,work,wait,pain
1,Call the claims line,Customer,customer,task,2m,,
2,$name40,Customer,customer,task,,12m,1
3,Take the claim details,Claims clerk,onstage,manual,8m,,
4,Check the policy in the claims system,Claims system,support,service,1m,,
5,Assess the damage,Claims assessor,offstage,user,30m,1d,
CSV
"$STEPMAP" import "$TMP/claim.csv" -o "$TMP/w.stepmap" >/dev/null || exit 1

ESC=$(printf '\033')
colours() {
	tm capture-pane -e -p -t "$TM_SESSION" | grep -oE "$ESC\[[0-9;]*m" |
		grep -cE '\[(([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38|48))(;|m)'
}
has() { # text...: every one on the screen
	screen=$(tm_screen)
	for t in "$@"; do
		printf '%s\n' "$screen" | grep -qF -- "$t" ||
			{ echo "'$t' is not on the screen:"; printf '%s\n' "$screen"; exit 1; }
	done
}

for size in "18 60" "24 80"; do
	set -- $size
	tm_start "p$1" "$1" "$2" env TERM=tmux-256color "$STEPMAP" present "$TMP/w.stepmap"
	tm_wait "STEP 1 of 5"
	tm_keys j
	tm_wait "STEP 2 of 5"
	# the whole name on one line of the band, the lane in words, the marks
	has "$name40" "Customer (the customer)" "PAIN POINT" "waits 12m before" \
	    "by hand" "hand-off" "pain point" "Steps" "Hand-offs" "Time adding value"
	tm_keys j
	tm_wait "STEP 3 of 5"
	has "DONE BY HAND (manual)" "Claims clerk (onstage"
	tm_keys j
	tm_wait "STEP 4 of 5"
	has "HAND-OFF: the work comes from Claims clerk"
	tm_keys Q
done

# Capture without leaving presentation mode: the line being typed shows whole
# in the band, Enter adds, Esc ends; the steps are in the file.
typed="Send the claimant a text with the claim number"
tm_start cap 18 60 env TERM=tmux-256color "$STEPMAP" present "$TMP/w.stepmap"
tm_wait "STEP 1 of 5"
tm_keys G
tm_wait "STEP 5 of 5"
tm_keys a
tm_wait "NEW STEP 6 of 6"
tm_type "$typed"
tm_wait "$typed"
tm_keys Enter
tm_wait "NEW STEP 7 of 7"
tm_type "Close the claim"
tm_keys Enter Escape
tm_wait "2 steps added"
has "presentation"
tm_keys Q
sleep 0.2
"$STEPMAP" export "$TMP/w.stepmap" -f csv -o "$TMP/out.csv" || exit 1
grep -qF "$typed" "$TMP/out.csv" || { echo "the captured step is not in the file"; cat "$TMP/out.csv"; exit 1; }
grep -qF "Close the claim" "$TMP/out.csv" || { echo "the second captured step is not in the file"; exit 1; }

# The demo with its redesign, from the map with W; NO_COLOR: no colour, every
# mark a word.
tm_start nc 24 80 env NO_COLOR=1 TERM=tmux-256color "$STEPMAP"
tm_wait "Demo in memory"
tm_keys s
tm_wait "Physician in triage"
tm_keys j Enter
tm_wait "showing scenario"
tm_keys W
tm_wait "Baseline → scenario"
has "111 → 46" "27m → 3m" "−89 %" "by hand" "hand-off"
n=$(colours)
[ "$n" -eq 0 ] || { echo "NO_COLOR=1 and still $n colour settings"; exit 1; }
i=0
until tm_screen | grep -qF "HAND-OFF"; do
	i=$((i + 1))
	[ $i -le 40 ] || { echo "no HAND-OFF in words within 40 steps"; tm_screen; exit 1; }
	tm_keys j
	sleep 0.05
done
tm_keys q
tm_wait "presentation mode ended"
tm_keys Q
exit 0
