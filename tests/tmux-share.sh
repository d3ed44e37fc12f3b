#!/bin/sh
# tmux-share.sh - issue 15, one workbook shared live: four workbench
# sessions (each with its own author) and a CLI writer edit the demo
# workbook at once for STEPMAP_SHARE_S seconds (default 60) of seeded random
# keys (STEPMAP_SHARE_SEED): steps added, moved, deleted, branches and loops
# added, cuts made in the scenario (by the sessions and the CLI), undo and
# redo. Afterwards every session is still running, every session's own
# model, exported from the session (:export), equals what the file holds
# (stepmap export: CSV, BPMN and the figures as JSON), and the file passes
# PRAGMA integrity_check and stepmap check; every CLI command that exited 0
# is one edit by the CLI in the change log (the others said why on stderr).
# Each session's last message is printed.
set -u
. "$TOP/tests/tools/tmux.sh"
WB=$TMP/share.stepmap
SECS=${STEPMAP_SHARE_S:-60}
SEED=${STEPMAP_SHARE_SEED:-15}
SCEN="Physician in triage, bedside registration"

"$STEPMAP" demo "$WB" >/dev/null || { echo "stepmap demo $WB failed"; exit 1; }

for i in 1 2 3 4; do
	tm_start "s$i" 30 120 env USER="p$i" TERM=tmux-256color "$STEPMAP" --name "p$i" "$WB"
	tm_wait "ED admission · baseline"
done

r=$SEED
rnd() { # R = a random number below $1
	r=$(( (r * 1103515245 + 12345) % 2147483648 ))
	R=$(( r / 65536 % $1 ))
}

# The CLI writer: cuts in the scenario added and taken away, a scenario
# made and deleted, each a one-shot command on the shared workbook.
end=$(( $(date +%s) + SECS ))
(
	w=$SEED
	n=0
	while [ "$(date +%s)" -lt "$end" ]; do
		w=$(( (w * 69069 + 1) % 2147483648 ))
		step=$(( w / 65536 % 90 + 1 ))
		case $(( n % 4 )) in
		0) USER=cli "$STEPMAP" scenario "$WB" cut "$SCEN" automate "$step" ;;
		1) USER=cli "$STEPMAP" scenario "$WB" uncut "$SCEN" 1 ;;
		2) USER=cli "$STEPMAP" scenario "$WB" new "cli $n" ;;
		3) USER=cli "$STEPMAP" scenario "$WB" delete "cli $((n - 1))" ;;
		esac >/dev/null 2>"$TMP/cli.err"
		rc=$?
		[ $rc -eq 0 ] && echo "$n" >>"$TMP/cli.done"
		# 0 done; 1 refused with a message (a step gone meanwhile, a
		# conflict); anything else is a failure
		if [ $rc -gt 1 ] || { [ $rc -eq 1 ] && ! [ -s "$TMP/cli.err" ]; }; then
			echo "CLI command $n failed ($rc): $(cat "$TMP/cli.err")" >>"$TMP/cli.fail"
		fi
		n=$((n + 1))
		sleep 0.2
	done
	echo "$n" >"$TMP/cli.count"
) &
cli=$!

# One tmux call per action (the keys queue in the terminal, read in order);
# Esc only where a prompt may be left open, after a pause so it does not
# read as Alt with the next key.
n=0
now=$(date +%s)
while [ "$now" -lt "$end" ]; do
	rnd 4
	TM_SESSION=s$((R + 1))
	rnd 100
	if [ $R -lt 18 ]; then
		tm_keys a "x$n" Enter; sleep 0.03; tm_keys Escape
	elif [ $R -lt 26 ]; then
		tm_keys J
	elif [ $R -lt 32 ]; then
		tm_keys K
	elif [ $R -lt 42 ]; then
		tm_keys d
	elif [ $R -lt 47 ]; then
		tm_keys R "1@10% back $n" Enter; sleep 0.03; tm_keys Escape
	elif [ $R -lt 52 ]; then
		rnd 40; tm_keys B "$((R + 1))@20% side $n" Enter; sleep 0.03; tm_keys Escape
	elif [ $R -lt 58 ]; then
		# a cut: show the scenario, remove or automate the step, back
		rnd 2; [ $R -eq 0 ] && k=x || k=A
		tm_keys s j Enter "$k" s g Enter
	elif [ $R -lt 72 ]; then
		tm_keys u
	elif [ $R -lt 77 ]; then
		tm_keys C-r
	else
		rnd 6
		case $R in
		0) tm_keys g ;; 1) tm_keys G ;; 2|3) tm_keys j j j ;; *) tm_keys k ;;
		esac
	fi
	n=$((n + 1))
	[ $((n % 8)) -eq 0 ] && now=$(date +%s)
done
wait "$cli"
echo "$n session actions, $(cat "$TMP/cli.count") CLI commands in ${SECS}s (seed $SEED)"
if [ -s "$TMP/cli.fail" ]; then
	cat "$TMP/cli.fail"
	exit 1
fi

# Every session: still running, back on the baseline map, its model written
# out by itself.
fail=0
for i in 1 2 3 4; do
	TM_SESSION=s$i
	tm_alive || { echo "session $i died:"; tm_screen; exit 1; }
	echo "session $i: $(tm_screen | tail -n 1 | sed 's/  */ /g')"
	tm_keys Escape; sleep 0.05; tm_keys Escape; sleep 0.05
	tm_keys s; tm_wait "Scenarios: Enter shows"; tm_keys g Enter
	tm_wait "· baseline"
	for f in csv bpmn json; do
		tm_keys :; tm_type "export $TMP/s$i.$f"; tm_keys Enter
		tm_wait "$TMP/s$i.$f"
	done
done
for f in csv bpmn json; do
	"$STEPMAP" export "$WB" -f "$f" -o "$TMP/file.$f" >/dev/null ||
		{ echo "stepmap export -f $f failed"; exit 1; }
	for i in 1 2 3 4; do
		if ! cmp -s "$TMP/s$i.$f" "$TMP/file.$f"; then
			echo "session $i's $f export differs from the file's:"
			diff "$TMP/s$i.$f" "$TMP/file.$f" | head -n 20
			fail=1
		fi
	done
done
for i in 1 2 3 4; do
	TM_SESSION=s$i
	tm_keys Q
done
sleep 0.5
"$STEPMAP" check "$WB" >"$TMP/check.out" 2>&1 ||
	{ echo "stepmap check failed:"; cat "$TMP/check.out"; fail=1; }
if command -v sqlite3 >/dev/null 2>&1; then
	ic=$(sqlite3 "$WB" "PRAGMA integrity_check")
	[ "$ic" = ok ] || { echo "integrity_check: $ic"; fail=1; }
	echo "change log: $(sqlite3 "$WB" "SELECT count(*) || ' changes by ' || count(DISTINCT author) || ' authors' FROM changes")"
	# every CLI command that said it was done is one edit in the file, by
	# its author; those that were refused said so
	done_n=$(wc -l <"$TMP/cli.done" 2>/dev/null || echo 0)
	logged=$(sqlite3 "$WB" "SELECT count(*) FROM changes WHERE author = 'cli' AND kind = 'edit'")
	[ "$done_n" -eq "$logged" ] ||
		{ echo "$done_n CLI commands done, $logged edits by cli in the change log"; fail=1; }
fi
[ $fail -eq 0 ] && echo ok
exit $fail
