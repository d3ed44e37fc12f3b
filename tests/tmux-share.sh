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
#
# And every edit a session drew on its screen is in the file or was told to
# its author as refused. Each session has its own driver (seeded from the
# seed and its number). Before an edit the driver types an unknown command
# (:zzN) and waits until the status line says it is unknown, then sends the
# edit's keys; before the session's next action it waits until the status
# line has moved on to the edit's outcome and keeps that line
# (outcomes.pN). A line that says an edit was done (delete step or flow,
# move step, loop, branch, a cut "scenario 'S': ...", "capture ended: K
# steps added", "undone: L", "redone: L") gives the label(s) of the changes
# it made (said.pN); any other line (refused: "no longer applies", "cannot
# undo ... changed it since"; "nothing to undo", input errors) says nothing
# was done. Afterwards, per author pN and per kind (edit, undo, redo), the
# changes said done and the rows of the change log by pN are matched one to
# one, by label (the same label, else the longest label in the log that
# begins the line said): a change said done without its row, or a row by pN
# never said done to pN, fails the test. Only a stale cut ("the cut cannot
# apply here ... u takes it back", written but shown without its label)
# matches whichever edit row by pN is left over.
set -u
. "$TOP/tests/tools/tmux.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "sqlite3 is not installed"; exit 77; }
WB=$TMP/share.stepmap
SECS=${STEPMAP_SHARE_S:-60}
SEED=${STEPMAP_SHARE_SEED:-15}
SCEN="Physician in triage, bedside registration"

"$STEPMAP" demo "$WB" >/dev/null || { echo "stepmap demo $WB failed"; exit 1; }

for i in 1 2 3 4; do
	tm_start "s$i" 30 200 env USER="p$i" TERM=tmux-256color "$STEPMAP" --name "p$i" "$WB"
	tm_wait "ED admission · baseline"
done

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

# Each session has its own driver, seeded from SEED and its number, so the
# sessions edit at once. One tmux call per action (the keys queue in the
# terminal, read in order); Esc only where a prompt may be left open, after a
# pause so it does not read as Alt with the next key. Before an edit the
# driver waits until its session shows a marker (an unknown command); the
# edit's outcome is read from the status line before the session's next
# action (settle), each edit key's outcome to outcomes.pN, each change it
# says it made to said.pN as kind TAB label (* any label).
line() { # the status line as it is
	tm capture-pane -p -t "$TM_SESSION" -S 29 -E 29 2>/dev/null
}
said() { # its message, without the cursor's place
	line | sed -E 's/ +(last changed by .+  )?[0-9]+\/[0-9]+ *$//; s/ +$//'
}
marker() { # n: the session shows ":zzN: unknown command"
	for try in 1 2; do
		[ $try -eq 2 ] && { tm_keys Escape; sleep 0.1; }
		tm_keys : "zz${1}t$try" Enter
		t=0
		while [ $t -lt $((try * 100)) ]; do
			case $(line) in ":zz${1}t$try:"*) return 0 ;; esac
			sleep 0.03
			t=$((t + 1))
		done
	done
	echo "session $TM_SESSION never showed marker zz$1:"; tm_screen; exit 1
}
final() { # kind n line: true when the status line says the edit's outcome
	case $3 in ""|" "*|":zz"*) return 1 ;; esac
	case $1 in
	a) case $3 in "capture ended: "*) return 0 ;; *) return 1 ;; esac ;;
	R) case $3 in *"% back $2"*) return 1 ;; esac ;;
	B) case $3 in *"% side $2"*) return 1 ;; esac ;;
	cut) case $3 in "showing "*) return 1 ;; esac ;;
	esac
	return 0
}
settle() { # read the outcome of the session's pending edit, if any
	[ -n "$pk" ] || return 0
	t=0
	while :; do
		l=$(line)
		final "$pk" "$pn" "$l" && break
		t=$((t + 1))
		case $pk:$t:$l in
		a:40:" "*|a:40:":zz"*|a:40:"type a step"*|a:40:*"Enter adds the next"*) ;;
		a:40:*)
			# the step was refused, also when Esc tried it again,
			# and capture goes on with its line: empty the line,
			# end capture
			tm_keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
			sleep 0.03; tm_keys Escape ;;
		esac
		[ $t -lt 200 ] || { echo "session $i: no outcome of $pk $pn:"; tm_screen; exit 1; }
		sleep 0.03
	done
	m=$(said)
	case $pk:$m in
	a:"capture ended: "*)
		c=${m#capture ended: }; c=${c%% *}
		while [ "$c" -gt 0 ]; do printf "edit\tinsert step '%s'\n" "$pn"; c=$((c - 1)); done ;;
	u:"undone: "*) printf 'undo\t%s\n' "${m#undone: }" ;;
	r:"redone: "*) printf 'redo\t%s\n' "${m#redone: }" ;;
	d:"delete "*|J:"move step "*|K:"move step "*|R:"loop "*|B:"branch "*)
		case $m in "loop: "*|"branch: "*|"delete step: "*|"delete flow: "*|"delete lane: "*) ;; *) printf 'edit\t%s\n' "$m" ;; esac ;;
	cut:"scenario '"*"': "*) printf 'edit\t%s\n' "${m#scenario \'*\': }" ;;
	cut:"the cut cannot apply here"*) printf 'edit\t*\n' ;;
	esac >>"$TMP/said.p$i"
	printf '%s\t%s\n' "$pk" "$m" >>"$TMP/outcomes.p$i"
	pk=
	[ -n "$pt" ] && tm_keys $pt
	return 0
}
drive() { # i: session i's edits until the end
	i=$1
	TM_SESSION=s$i
	r=$((SEED * 4 + i))
	pk= n=0
	now=$(date +%s)
	while [ "$now" -lt "$end" ]; do
		settle
		x="x$i.$n"
		rnd 100
		[ $R -lt 77 ] && marker "$n"
		pk= pn=$x pt=
		if [ $R -lt 18 ]; then
			tm_keys a "$x" Enter; sleep 0.03; tm_keys Escape; pk=a
		elif [ $R -lt 26 ]; then
			tm_keys J; pk=J
		elif [ $R -lt 32 ]; then
			tm_keys K; pk=K
		elif [ $R -lt 42 ]; then
			tm_keys d; pk=d
		elif [ $R -lt 47 ]; then
			tm_keys R "1@10% back $x" Enter; pk=R pt=Escape
		elif [ $R -lt 52 ]; then
			rnd 40; tm_keys B "$((R + 1))@20% side $x" Enter; pk=B pt=Escape
		elif [ $R -lt 58 ]; then
			# a cut: show the scenario, remove or automate the step, back
			rnd 2; [ $R -eq 0 ] && k=x || k=A
			tm_keys s j Enter "$k"; pk=cut pt="s g Enter"
		elif [ $R -lt 72 ]; then
			tm_keys u; pk=u
		elif [ $R -lt 77 ]; then
			tm_keys C-r; pk=r
		else
			rnd 6
			case $R in
			0) tm_keys g ;; 1) tm_keys G ;; 2|3) tm_keys j j j ;; *) tm_keys k ;;
			esac
		fi
		n=$((n + 1))
		[ $((n % 4)) -eq 0 ] && now=$(date +%s)
	done
	settle
	echo "$n" >"$TMP/actions.p$i"
}
for i in 1 2 3 4; do
	drive "$i" &
	eval "drv$i=\$!"
done
for i in 1 2 3 4; do
	eval "wait \$drv$i" || { echo "session $i's driver failed"; exit 1; }
done
wait "$cli"
n=$(cat "$TMP/actions.p1" "$TMP/actions.p2" "$TMP/actions.p3" "$TMP/actions.p4" | awk '{ s += $1 } END { print s }')
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
ic=$(sqlite3 "$WB" "PRAGMA integrity_check")
[ "$ic" = ok ] || { echo "integrity_check: $ic"; fail=1; }
echo "change log: $(sqlite3 "$WB" "SELECT count(*) || ' changes by ' || count(DISTINCT author) || ' authors' FROM changes")"
# every CLI command that said it was done is one edit in the file, by
# its author; those that were refused said so
done_n=$(wc -l <"$TMP/cli.done" 2>/dev/null || echo 0)
logged=$(sqlite3 "$WB" "SELECT count(*) FROM changes WHERE author = 'cli' AND kind = 'edit'")
[ "$done_n" -eq "$logged" ] ||
	{ echo "$done_n CLI commands done, $logged edits by cli in the change log"; fail=1; }
# every edit, undo and redo each session said it made is its row in
# the change log, and every row by a session was said to it as done
for i in 1 2 3 4; do
	sqlite3 -separator '	' "$WB" \
		"SELECT kind, label FROM changes WHERE author = 'p$i' ORDER BY id" >"$TMP/log.p$i"
	touch "$TMP/said.p$i"
	touch "$TMP/outcomes.p$i"
	echo "session $i: $(wc -l <"$TMP/outcomes.p$i") edits tried, $(wc -l <"$TMP/said.p$i")" \
		"changes said done, $(grep -ciE 'no longer applies|changed it since|cannot (undo|redo)' \
		"$TMP/outcomes.p$i") said refused; $(wc -l <"$TMP/log.p$i") changes by p$i in the log"
	awk -F '\t' -v who="p$i" '
	FILENAME == ARGV[1] { kind[NR] = $1; lab[NR] = $2; nlog = NR; next }
	{ sk[++ns] = $1; sl[ns] = $2 }
	END {
		# pass 1 the same label, 2 the log label a prefix of what was
		# said (its rest: what came with it), 3 a stale cut: any edit
		for (pass = 1; pass <= 3; pass++)
			for (j = 1; j <= ns; j++) {
				if (got[j] || (pass == 3) != (sl[j] == "*"))
					continue
				best = 0
				for (r = 1; r <= nlog; r++) {
					if (used[r] || kind[r] != sk[j])
						continue
					if (pass == 1 && lab[r] == sl[j] ||
					    pass == 2 && index(sl[j], lab[r]) == 1 &&
					    (best == 0 || length(lab[r]) > length(lab[best])) ||
					    pass == 3) {
						best = r
						if (pass != 2)
							break
					}
				}
				if (best) { used[best] = 1; got[j] = 1 }
			}
		bad = 0
		for (j = 1; j <= ns; j++)
			if (!got[j]) { print who " said " sk[j] " \"" sl[j] "\" but the change log has no such change by " who; bad = 1 }
		for (r = 1; r <= nlog; r++)
			if (!used[r]) { print "the change log has " kind[r] " \"" lab[r] "\" by " who " that " who " was never told was done"; bad = 1 }
		exit bad
	}' "$TMP/log.p$i" "$TMP/said.p$i" || fail=1
done
[ $fail -eq 0 ] && echo ok
exit $fail
