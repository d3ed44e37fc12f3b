# pictures.sh - the pictures and the readout through the command line, on
# the demo and its redesign:
#   - PDF (A4 and A3): pdftotext finds every step's whole name (of the
#     baseline, and of the redesign's derived process: a merged step's two
#     names), the lines of visibility and internal interaction, the marks;
#     A3 holds more of the process a page than A4;
#   - SVG: rsvg-convert renders it; PNG: the pixels and pHYs of the DPI
#     asked; each chart as SVG renders too;
#   - the HTML readout: self-contained (no URL to fetch), and drawn by
#     headless Chromium with the network blocked (tests/interop/readout.mjs):
#     its pictures show, and its figures are those of `stepmap report
#     --json` to the digit; Markdown links its pictures beside it;
#   - bad options and unwritable files: a one-line message, exit 2 or 1,
#     nothing left behind.
set -u
fail() { echo "FAIL: $*"; exit 1; }
cd "$TMP" || exit 3
for t in pdftotext rsvg-convert python3; do
	command -v $t >/dev/null 2>&1 ||
		{ echo "skip: $t is not installed (tests/tools/deps.sh --test)"; exit 77; }
done
SC="Physician in triage, bedside registration"

"$STEPMAP" demo d.stepmap || fail "demo"
"$STEPMAP" export d.stepmap -f csv -o base.csv || fail "csv"
"$STEPMAP" export d.stepmap -f csv -s "$SC" -o scen.csv || fail "csv -s"

# --- PDF: every name, whole --------------------------------------------------
"$STEPMAP" export d.stepmap -f pdf -o d.pdf || fail "export -f pdf"
"$STEPMAP" export d.stepmap -f pdf -s "$SC" -o s.pdf || fail "export -f pdf -s"
"$STEPMAP" export d.stepmap -f pdf --paper a3 -o d3.pdf || fail "export --paper a3"
# -raw: the text in the order drawn, a hyphen at the end of a line kept
pdftotext -raw d.pdf d.txt && pdftotext -raw s.pdf s.txt && pdftotext -raw d3.pdf d3.txt ||
	fail "pdftotext"
cat > names.py <<'EOF'
# names.py CSV TEXT [--parts]: every step name of CSV is in TEXT (blanks
# ignored: a name wraps over lines); with --parts a merged "A + B" is found
# as A and B.
import csv, re, sys
squash = lambda s: re.sub(r"\s+", "", s)
text = squash(open(sys.argv[2], encoding="utf-8").read())
names = [r["name"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")) if r["name"]]
missing = []
for n in names:
    parts = n.split(" + ") if "--parts" in sys.argv else [n]
    if n in ("Parallel split", "Parallel join") and "--parts" in sys.argv:
        continue  # made by the cut, not a step of the baseline drawn
    missing += [p for p in parts if squash(p) not in text]
if missing:
    print("%d of %d names missing, e.g. %r" % (len(missing), len(names), missing[:3]))
    sys.exit(1)
print("%d names found" % len(names))
EOF
python3 names.py base.csv d.txt || fail "a name is missing from the PDF"
python3 names.py base.csv d3.txt || fail "a name is missing from the A3 PDF"
python3 names.py base.csv s.txt || fail "a baseline name is missing from the redesign's PDF"
python3 names.py scen.csv s.txt --parts || fail "a name of the redesign is missing from its PDF"
for w in "line of interaction" "line of visibility" "line of internal interaction" \
	"PAIN POINT" "MANUAL" "hand-off from"; do
	grep -q "$w" d.txt || fail "the PDF does not say '$w'"
done
# a box's mark is a line of its own ("✗ REMOVED"); the legend lists them
for w in "REMOVED" "MERGED" "MOVED" "PARALLEL" "CHANGED"; do
	grep -q " $w\$" s.txt || fail "the redesign's PDF marks no step $w"
done
for w in "now:" "automated (service)" "drawn as its difference"; do
	tr '\n' ' ' < s.txt | grep -q "$w" || fail "the redesign's PDF does not say '$w'"
done
grep -q " REMOVED\$" d.txt && fail "the baseline's PDF marks a step removed"
p4=$(pdfinfo d.pdf 2>/dev/null | awk '/^Pages:/ { print $2 }')
p3=$(pdfinfo d3.pdf 2>/dev/null | awk '/^Pages:/ { print $2 }')
if [ -n "$p4" ] && [ -n "$p3" ]; then
	[ "$p4" -gt "$p3" ] && [ "$p3" -gt 1 ] || fail "A4 $p4 pages, A3 $p3 pages"
	pdfinfo d3.pdf | grep -q '1190.55 x 841.89' || fail "A3 is not landscape: $(pdfinfo d3.pdf | grep size)"
fi

# --- SVG and PNG ---------------------------------------------------------------
"$STEPMAP" export d.stepmap -s "$SC" -o s.svg || fail "export by the .svg suffix"
head -c 200 s.svg | grep -q '<svg' || fail "not SVG"
rsvg-convert s.svg -o s-rsvg.png || fail "rsvg-convert cannot render the SVG"
for c in distribution thread time emotion; do
	"$STEPMAP" export d.stepmap -f svg --chart $c -s "$SC" --cases 300 -o $c.svg ||
		fail "--chart $c"
	rsvg-convert $c.svg -o $c.png || fail "rsvg-convert cannot render the $c chart"
done
"$STEPMAP" export d.stepmap -f png --dpi 150 -p "ED admission" -o d150.png || fail "png --dpi 150"
"$STEPMAP" export d.stepmap -f png --chart emotion -o e96.png || fail "png chart"
cat > png.py <<'EOF'
# png.py FILE DPI WIDTH_PT: the PNG is WIDTH_PT points wide at DPI and says so
import math, struct, sys
b = open(sys.argv[1], "rb").read()
dpi, wpt = float(sys.argv[2]), float(sys.argv[3])
assert b[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", b[16:24])
i = b.find(b"pHYs")
assert i > 0, "no pHYs chunk"
px, py, unit = struct.unpack(">IIB", b[i + 4:i + 13])
want = round(dpi / 0.0254)
assert unit == 1 and px == want and py == want, "pHYs %d %d %d, want %d" % (px, py, unit, want)
assert w == math.ceil(wpt * dpi / 72), "width %d at %g dpi" % (w, dpi)
print("%s: %d x %d pixels, %d dots a metre" % (sys.argv[1], w, h, px))
EOF
python3 png.py d150.png 150 841.89 || fail "the PNG is not at 150 dpi"
python3 png.py e96.png 96 841.89 || fail "the chart's PNG is not at 96 dpi"

# --- the readout -----------------------------------------------------------------
"$STEPMAP" report d.stepmap --json > report.json || fail "report --json"
"$STEPMAP" export d.stepmap -f html --cases 2000 -o r.html || fail "export -f html"
grep -Eq '(src|href)="(https?:)?//' r.html && fail "the readout refers to something outside it"
grep -q '@media print' r.html || fail "no print style"
"$STEPMAP" export d.stepmap --cases 500 -o r.md || fail "export by the .md suffix"
for f in blueprint blueprint-scenario distribution thread time emotion; do
	grep -q "(r.md.assets/$f.svg)" r.md || fail "r.md does not link $f.svg"
	rsvg-convert "r.md.assets/$f.svg" -o /tmp/.stepmap-$$.png || fail "r.md.assets/$f.svg does not render"
	rm -f /tmp/.stepmap-$$.png
done
grep -q '^| steps | 111 | 46 | -59 % |' r.md || fail "the Markdown's figures: $(grep '^| steps' r.md)"

# --- bad options, nothing left behind ---------------------------------------------
for bad in "--paper letter" "--dpi 5" "--dpi x" "--chart pie" "--cases 3"; do
	# shellcheck disable=SC2086
	"$STEPMAP" export d.stepmap -f png $bad -o bad.png 2>err
	[ $? -eq 2 ] || fail "$bad: not a usage error"
	[ "$(wc -l < err)" -le 2 ] || fail "$bad: more than a line: $(cat err)"
	[ ! -e bad.png ] || fail "$bad left a file"
done
"$STEPMAP" export d.stepmap -f png --dpi 1200 --paper a3 -o big.png 2>err
[ $? -eq 1 ] || fail "a PNG too large is not refused"
grep -q 'use SVG or PDF' err || fail "the message: $(cat err)"
[ ! -e big.png ] || fail "a refused PNG left a file"
ls big.png.* >/dev/null 2>&1 && fail "a temporary file is left"
"$STEPMAP" export d.stepmap -f pdf -o nodir/x.pdf 2>err && fail "export into a missing folder"
grep -q 'nodir/x.pdf' err || fail "the error does not name the file: $(cat err)"
"$STEPMAP" export d.stepmap -f md -o - 2>err && fail "Markdown to standard output"
grep -q 'needs a file' err || fail "md to -: $(cat err)"

# --- last: the readout in Chromium (skipped only when it cannot run) -------------------
I=$TOP/tests/interop
if [ ! -d "$I/node_modules/playwright-core" ] && command -v npm >/dev/null 2>&1; then
	(cd "$I" && npm ci --no-audit --no-fund --loglevel=error) >npm.log 2>&1 || tail -n 3 npm.log
fi
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -d "$I/node_modules/playwright-core" ] || ! command -v node >/dev/null 2>&1 || [ ! -x "$chromium" ]; then
	echo "skip: the rest passed; the readout was not drawn: node, Chromium or tests/interop/node_modules is missing"
	exit 77
fi
CHROMIUM=$chromium node "$I/readout.mjs" r.html report.json "${PICTURES_SHOTS:-$TMP/shots}" ||
	fail "the readout in Chromium"
echo "pictures: ok"
