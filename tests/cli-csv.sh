# cli-csv.sh - CSV through the command line: the demo exported as CSV and
# imported back reports identical figures (baseline and a scenario's derived
# process), and is the sample shipped as examples/admission.csv; Python's
# csv module reads the same cells and what it writes back
# (with semicolons) imports to the same figures; --append adds processes;
# bad files exit 1 naming FILE:LINE and leave no workbook behind; usage errors
# exit 2.
set -u
fail() { echo "FAIL: $*"; exit 1; }
cd "$TMP" || exit 3
command -v python3 >/dev/null 2>&1 || { echo "python3 is not installed"; exit 77; }

"$STEPMAP" demo d.stepmap || fail "demo"
"$STEPMAP" report d.stepmap --json > a.json || fail "report of the demo"

# --- export -> import -> report: identical figures ------------------------
"$STEPMAP" export d.stepmap -f csv -o d.csv || fail "export -f csv"
head -c 3 d.csv | od -An -tx1 | grep -q 'ef bb bf' || fail "no UTF-8 byte-order mark"
head -n 1 d.csv | grep -q "$(printf '\r')\$" || fail "rows do not end in CRLF"
"$STEPMAP" import d.csv -o back.stepmap > import.out 2> import.err || fail "import: $(cat import.err)"
grep -q "process 'd': 111 steps" import.out || fail "import summary: $(cat import.out)"
[ ! -s import.err ] || fail "import warned: $(cat import.err)"
"$STEPMAP" report back.stepmap --json > b.json || fail "report of the import"

# compare.py A B [SCENARIO]: the figures of B's first process equal those of
# A's first process (or of its scenario), all but the name and what only a
# workbook or a scenario has.
cat > compare.py <<'EOF'
import json, sys
a = json.load(open(sys.argv[1]))["processes"][0]
b = json.load(open(sys.argv[2]))["processes"][0]
if len(sys.argv) > 3:
    a = [s for s in a["scenarios"] if s["name"] == sys.argv[3]][0]
skip = {"name", "scenarios", "cuts", "stale_cuts"} | set(sys.argv[4:])
bad = [k for k in a if k not in skip and a[k] != b.get(k)]
for k in bad:
    print("%s: %r != %r" % (k, a[k], b.get(k)))
missing = [k for k in ("steps", "handoffs", "touchpoints", "manual_steps", "lead_time_s",
                       "work_time_s", "wait_time_s", "pce", "rty", "measures") if k not in a]
if missing:
    print("report lacks " + ", ".join(missing))
sys.exit(1 if bad or missing else 0)
EOF
python3 compare.py a.json b.json || fail "figures differ after export -> import"
# and the measures, by name, with their expected times
python3 -c '
import json
m = json.load(open("b.json"))["processes"][0]["measures"]
assert any(x["name"] == "arrival → seen by physician" and x["clock"] == "customer" for x in m), m
' || fail "measures lost"

# a scenario's derived process, exported as CSV, has the scenario's figures
sc=$(python3 -c 'import json; print(json.load(open("a.json"))["processes"][0]["scenarios"][0]["name"])')
"$STEPMAP" export d.stepmap -f csv -s "$sc" -o s.csv || fail "export -s"
"$STEPMAP" import s.csv -o s.stepmap >/dev/null || fail "import of the scenario"
"$STEPMAP" report s.stepmap --json > c.json || fail "report of the scenario import"
# The parallel cut's split and join are not steps of the scenario: the CSV
# marks them in its generated column (written only then), the import reads
# it back, and the figures are the scenario's key for key: 46 steps.
head -n 1 s.csv | grep -q ',generated'"$(printf '\r')"'$' || fail "no generated column in s.csv"
[ "$(grep -c ',yes'"$(printf '\r')"'$' s.csv)" -eq 2 ] || fail "not two generated rows in s.csv"
head -n 1 d.csv | grep -q generated && fail "a generated column written where no step has it"
python3 compare.py a.json c.json "$sc" || fail "scenario figures differ after export -> import"
python3 -c '
import json
c = json.load(open("c.json"))["processes"][0]
assert c["steps"] == 46 and c["no_lane"] == 0 and "parallel" not in c["by_type"], c
' || fail "the scenario's import does not read 46 steps"
# a bad generated cell is refused, naming the line and the column
n=$(grep -n '^1,' s.csv | cut -d: -f1)
sed "${n}s/,$(printf '\r')\$/,maybe$(printf '\r')/" s.csv > badgen.csv
"$STEPMAP" import badgen.csv -o badgen.stepmap >/dev/null 2>badgen.err && fail "a generated cell of 'maybe' was taken"
grep -q "badgen.csv:$n: column 'generated': expected yes or no, got 'maybe'" badgen.err ||
	fail "bad generated: $(cat badgen.err)"
[ ! -e badgen.stepmap ] || fail "a workbook was left behind for a bad file"

# export is stable: what was imported exports to the same bytes
"$STEPMAP" export back.stepmap -f csv -o again.csv || fail "export of the import"
cmp -s d.csv again.csv || fail "export -> import -> export changed the file"

# the sample shipped for users (examples/admission.csv) is the demo as it is
if ! cmp -s d.csv "$TOP/examples/admission.csv"; then
	fail "examples/admission.csv is not the current demo; regenerate it with
	stepmap demo d.stepmap && stepmap export d.stepmap -f csv -o examples/admission.csv"
fi

# --- another CSV writer: Python's csv module ------------------------------
cat > py.py <<'EOF'
import csv, io, sys
raw = open("d.csv", "rb").read()
rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
assert rows[0][:3] == ["step", "name", "lane"], rows[0]
widths = {len(r) for r in rows}
assert widths == {len(rows[0])}, widths
steps = [r for r in rows[1:] if r[0]]
assert len(steps) == 111, len(steps)
# the cells Python sees are the ones stepmap wrote: writing them back the
# RFC 4180 way gives the same bytes
out = io.StringIO(newline="")
csv.writer(out, lineterminator="\r\n").writerows(rows)
assert out.getvalue().encode("utf-8-sig") == raw, "Python writes these cells differently"
# names with commas and quotes survive
assert any("," in r[1] for r in steps)
# as French Excel would: semicolons, CRLF, BOM
with open("fr.csv", "w", encoding="utf-8-sig", newline="") as f:
    csv.writer(f, delimiter=";", lineterminator="\r\n").writerows(rows)
EOF
python3 py.py || fail "Python's csv module disagrees"
"$STEPMAP" import fr.csv -o fr.stepmap >/dev/null || fail "import of the semicolon file"
"$STEPMAP" report fr.stepmap --json > f.json || fail "report of fr"
python3 compare.py a.json f.json || fail "figures differ after a semicolon rewrite"
"$STEPMAP" export d.stepmap -f csv --semicolon --no-bom -o semi.csv || fail "export --semicolon"
head -c 5 semi.csv | grep -q '^step;' || fail "--semicolon --no-bom: $(head -c 20 semi.csv)"

# standard output
"$STEPMAP" export d.stepmap -f csv -o - > out.csv || fail "export -o -"
cmp -s out.csv d.csv || fail "-o - writes other bytes than -o FILE"

# --- --append, names ----------------------------------------------------------
"$STEPMAP" import d.csv -o back.stepmap 2> exists.err; rc=$?
[ $rc -eq 1 ] || fail "import over an existing workbook exits $rc, not 1"
grep -q "back.stepmap exists" exists.err || fail "exists message: $(cat exists.err)"
"$STEPMAP" import d.csv -n "Copy" --append -o back.stepmap >/dev/null || fail "--append -n"
"$STEPMAP" import d.csv --append -o back.stepmap >/dev/null 2> dup.err || fail "--append twice"
grep -q "this one is named 'd (2)'" dup.err || fail "duplicate name: $(cat dup.err)"
"$STEPMAP" report back.stepmap --json > all.json || fail "report after append"
python3 -c '
import json
ps = json.load(open("all.json"))["processes"]
assert [p["name"] for p in ps] == ["d", "Copy", "d (2)"], [p["name"] for p in ps]
assert all(p["steps"] == 111 for p in ps)
' || fail "appended processes"
"$STEPMAP" export back.stepmap -f csv -p Copy -o copy.csv || fail "export -p"
cmp -s copy.csv d.csv || fail "the appended copy exports differently"

# --- bad input: exit 1, FILE:LINE, nothing written ----------------------------
check_bad() { # file, expected message part
	rm -f out.stepmap
	"$STEPMAP" import "$1" -o out.stepmap 2> bad.err; rc=$?
	[ $rc -eq 1 ] || fail "$1: exit $rc, not 1"
	grep -qF "$2" bad.err || fail "$1: message $(cat bad.err), want $2"
	[ ! -e out.stepmap ] || fail "$1: a workbook was written"
	ls -a | grep -q '^\.stepmap-import' && fail "$1: scratch folder left behind"
	return 0
}
printf 'step,name,work\n1,A,"5m"\n2,"B\nsplit",1m\n3,C,5 minutes\n' > bad-cell.csv
check_bad bad-cell.csv "bad-cell.csv:5: column 'work': expected a duration like 5m or tri(3m,5m,10m), got '5 minutes'"
printf 'step,name\n1,Arriv\351e\n' > latin1.csv
check_bad latin1.csv "latin1.csv:2: column 'name': invalid UTF-8"
printf 'step,name,next\n1,A,7\n' > target.csv
check_bad target.csv "target.csv:2: column 'next': no step '7' in the file"
head -c 2000 /dev/urandom > noise.csv
printf '\000' >> noise.csv
"$STEPMAP" import noise.csv -o out.stepmap 2> bad.err; rc=$?
[ $rc -eq 1 ] || fail "random bytes: exit $rc, not 1"
[ ! -e out.stepmap ] || fail "random bytes: a workbook was written"
cp "$TOP/tests/data/csv/unterminated.csv" .
check_bad unterminated.csv "unterminated.csv:3: a quoted cell that starts on this line never ends"
# one bad file among good ones: nothing at all is written
rm -f out.stepmap
"$STEPMAP" import d.csv bad-cell.csv -o out.stepmap 2> bad.err; rc=$?
[ $rc -eq 1 ] && [ ! -e out.stepmap ] || fail "a bad second file: exit $rc or a workbook written"
# --append with a bad file leaves the workbook as it was
cp back.stepmap keep.stepmap
"$STEPMAP" import bad-cell.csv --append -o back.stepmap 2>/dev/null; rc=$?
[ $rc -eq 1 ] || fail "--append of a bad file exits $rc"
"$STEPMAP" report back.stepmap --json > after.json
cmp -s all.json after.json || fail "--append of a bad file changed the workbook"
"$STEPMAP" import missing.csv -o out.stepmap 2> bad.err; rc=$?
[ $rc -eq 1 ] && grep -q "missing.csv: cannot open" bad.err || fail "missing file: $rc $(cat bad.err)"

# --- bad usage: exit 2 ---------------------------------------------------------
for args in "import d.csv" "import -o x.stepmap" "import notes.txt -o x.stepmap" \
            "import d.csv s.csv -n One -o x.stepmap" "export d.stepmap -f svgz -o x" \
            "export d.stepmap -f csv" "export -f csv -o x.csv"; do
	# shellcheck disable=SC2086
	"$STEPMAP" $args 2>/dev/null; rc=$?
	[ $rc -eq 2 ] || fail "'$args' exits $rc, not 2"
done
"$STEPMAP" export d.stepmap -f csv -p "No such" -o x.csv 2>/dev/null; rc=$?
[ $rc -eq 1 ] && [ ! -e x.csv ] || fail "export of a missing process: exit $rc"
"$STEPMAP" export d.stepmap -f csv -s "No such" -o x.csv 2>/dev/null; rc=$?
[ $rc -eq 1 ] && [ ! -e x.csv ] || fail "export of a missing scenario: exit $rc"
exit 0
