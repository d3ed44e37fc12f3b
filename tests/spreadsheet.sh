# spreadsheet.sh - the CSV opens in a real spreadsheet: LibreOffice Calc
# (headless) opens the demo's CSV export as a UTF-8 CSV, as its import dialog
# does on a file with a byte-order mark, saves it as .xlsx, and the .xlsx
# saved back as CSV holds the same cells in the same columns (numbers stay
# numbers; only "+1" becomes 1, as a spreadsheet makes of it) and imports to
# the same figures: the round trip a team makes when it edits a map in a
# spreadsheet. Also with semicolons (--semicolon), as Excel expects where the
# decimal mark is a comma. Skipped where LibreOffice is not installed
# (make test installs libreoffice-calc-nogui).
set -u
fail() { echo "FAIL: $*"; exit 1; }
cd "$TMP" || exit 3
command -v soffice >/dev/null 2>&1 || { echo "LibreOffice (soffice) is not installed"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "python3 is not installed"; exit 77; }
export LC_ALL=C.UTF-8 HOME="$TMP"   # a profile of its own, in TMP

"$STEPMAP" demo d.stepmap || fail "demo"
"$STEPMAP" report d.stepmap --json >a.json || fail "report of the demo"

# roundtrip SEP OPTION: export, Calc opens it and saves .xlsx, then CSV again
roundtrip() {
	sep=$1 name=$2; shift 2
	"$STEPMAP" export d.stepmap -f csv "$@" -o "$name.csv" || fail "export $*"
	soffice --headless --infilter="CSV:$sep,34,76,1" --convert-to xlsx --outdir xlsx \
		"$name.csv" >soffice.out 2>&1 || fail "soffice: $(cat soffice.out)"
	[ -s "xlsx/$name.xlsx" ] || fail "Calc wrote no xlsx/$name.xlsx: $(cat soffice.out)"
	soffice --headless --convert-to "csv:Text - txt - csv (StarCalc):$sep,34,76,1" \
		--outdir back "xlsx/$name.xlsx" >soffice.out 2>&1 || fail "soffice: $(cat soffice.out)"
	python3 - "$name.csv" "back/$name.csv" "$sep" <<'PY' || fail "$name: Calc's cells differ"
import csv, sys
sep = chr(int(sys.argv[3]))
ours = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""), delimiter=sep))
calc = list(csv.reader(open(sys.argv[2], encoding="utf-8", newline=""), delimiter=sep))
assert len(ours) == len(calc), "%d rows, Calc %d" % (len(ours), len(calc))
bad = 0
for r, (a, b) in enumerate(zip(ours, calc), 1):
    a += [""] * (len(b) - len(a))
    b += [""] * (len(a) - len(b))
    for c, (x, y) in enumerate(zip(a, b)):
        if x != y and not (ours[0][c] == "emotion" and x.startswith("+") and x[1:] == y):
            print("row %d column %s: ours %r, Calc %r" % (r, ours[0][c], x, y))
            bad += 1
sys.exit(1 if bad else 0)
PY
	"$STEPMAP" import "back/$name.csv" -o "$name.stepmap" >/dev/null 2>import.err ||
		fail "import of Calc's $name.csv: $(cat import.err)"
	"$STEPMAP" report "$name.stepmap" --json >"$name.json" || fail "report of $name"
	python3 - a.json "$name.json" <<'PY' || fail "$name: figures differ after the spreadsheet"
import json, sys
a = json.load(open(sys.argv[1]))["processes"][0]
b = json.load(open(sys.argv[2]))["processes"][0]
bad = [k for k in a if k not in ("name", "scenarios") and a[k] != b.get(k)]
for k in bad:
    print("%s: %r != %r" % (k, a[k], b.get(k)))
sys.exit(1 if bad else 0)
PY
}
roundtrip 44 comma
roundtrip 59 semicolon --semicolon

# Unicode names survive: a step named in French and Japanese, with an emoji
printf '\357\273\277name,lane,work\r\nAccueil à l’entrée,Réception,2m\r\n受付で保険証を確認,受付,1m30s\r\nPatient 🙂 signs,Réception,30s\r\n' >u.csv
"$STEPMAP" import u.csv -o u.stepmap >/dev/null || fail "import u.csv"
"$STEPMAP" export u.stepmap -f csv -o u2.csv || fail "export u"
soffice --headless --infilter="CSV:44,34,76,1" --convert-to xlsx --outdir xlsx u2.csv >/dev/null 2>&1
soffice --headless --convert-to "csv:Text - txt - csv (StarCalc):44,34,76,1" --outdir back \
	xlsx/u2.xlsx >/dev/null 2>&1
for s in "Accueil à l’entrée" "受付で保険証を確認" "Patient 🙂 signs" "Réception"; do
	grep -q "$s" back/u2.csv || fail "Calc lost '$s': $(cat back/u2.csv)"
done
exit 0
