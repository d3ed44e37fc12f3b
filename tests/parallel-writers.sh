# parallel-writers.sh - eight command-line writers on one workbook, 200 commands
# in all (scenario new and cut, import --append), all at once: every command
# succeeds (a writer whose workbook changed under it loads it again and
# applies itself again), the workbook passes the full check, and it holds
# what the same commands give run one after another (compared in an
# order-independent way: the commands of different writers commute).
set -u
fail() { echo "FAIL: $*"; exit 1; }
cd "$TMP" || exit 3
S=$STEPMAP
export STEPMAP_SYNC=normal   # the test is about turns, not about fsync

"$S" demo par.stepmap >/dev/null || fail "demo"
"$S" scenario par.stepmap new shared >/dev/null || fail "scenario new shared"
cp par.stepmap seq.stepmap

# writer I's 25 commands, one a line: its own scenario with 12 cuts, 10 cuts
# in the shared scenario (steps no other writer touches), 2 imports.
commands() { # i
	i=$1
	echo "scenario WB new w$i"
	for j in 1 2 3 4 5 6; do
		echo "scenario WB cut w$i remove $((j * 10 + i))"
		echo "scenario WB cut w$i automate $((j * 10 + i + 1)) 0.5"
	done
	for j in 1 2 3 4 5 6 7 8 9 10; do
		echo "scenario WB cut shared automate $(( (i - 1) * 12 + j + 2)) 0.$j"
	done
	echo "import p${i}a.csv --append -o WB"
	echo "import p${i}b.csv --append -o WB"
}
for i in 1 2 3 4 5 6 7 8; do
	for k in a b; do
		printf 'name,lane,work\nStep %s%s one,Lane,%dm\nStep %s%s two,Lane,2m\n' "$i" "$k" "$i" \
			"$i" "$k" > "p$i$k.csv"
	done
	commands "$i" > "cmds$i"
done
[ "$(cat cmds* | wc -l)" -eq 200 ] || fail "not 200 commands"

run_writer() { # i workbook
	n=0
	while IFS= read -r line; do
		n=$((n + 1))
		# shellcheck disable=SC2046
		"$S" $(echo "$line" | sed "s|WB|$2|") >/dev/null 2>"err$1.$n" || {
			echo "writer $1 command $n ($line): exit $?: $(cat "err$1.$n")" >> failures
		}
	done < "cmds$1"
}
for i in 1 2 3 4 5 6 7 8; do
	run_writer "$i" par.stepmap &
done
wait
[ ! -s failures ] || fail "$(wc -l < failures) of 200 failed: $(head -n 5 failures)"
for i in 1 2 3 4 5 6 7 8; do
	run_writer "$i" seq.stepmap
done
[ ! -s failures ] || fail "one after another: $(head -n 5 failures)"

"$S" check par.stepmap > check.out 2>&1 || fail "check: $(cat check.out)"

# What each holds, in an order-independent form: per process, its steps
# count; per scenario, its cuts (numbers taken out), sorted.
dump() { # workbook
	"$S" report "$1" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
for p in sorted(d["processes"], key=lambda p: p["name"]):
    print("process", p["name"], p["steps"], p.get("lead_time_s"))
'
	"$S" scenario "$1" list | cut -f1 | sort | while IFS= read -r sc; do
		"$S" scenario "$1" show "$sc" | sed 1d | sed 's/^ *[0-9]* *//' | sort | sed "s|^|$sc: |"
	done
}
dump par.stepmap > par.dump || fail "dump of the parallel workbook"
dump seq.stepmap > seq.dump || fail "dump of the sequential workbook"
[ "$(grep -c '^process' par.dump)" -eq 17 ] || fail "processes: $(grep '^process' par.dump)"
[ "$(grep -c '^shared: automate' par.dump)" -eq 80 ] || fail "shared cuts: $(grep -c '^shared' par.dump)"
diff seq.dump par.dump > diff.out || fail "parallel and sequential differ: $(head -n 20 diff.out)"
echo ok
