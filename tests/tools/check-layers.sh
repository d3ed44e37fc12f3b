#!/bin/sh
# check-layers.sh - the arrows between folders run one way (STYLE.md):
# model/ includes no curses, libxml2 or sqlite3; only store/ includes
# sqlite3.h; only import/ and export/ include libxml2; only tui/ curses;
# nothing but cli/ includes tui/, and model/ includes nothing of the others;
# only export/ includes cairo and pango (the pictures).
set -u
bad=0
check() { # folder, pattern, what
	for f in $(ls "$1"/*.[ch] 2>/dev/null); do
		if grep -nE "$2" "$f"; then
			echo "check-layers: $f: $3" >&2
			bad=1
		fi
	done
}
check model '#include[[:space:]]*[<"](n?curses|ncursesw/|libxml/|sqlite3|store/|import/|export/|tui/|cli/)' 'model/ must not include curses, libxml2, sqlite3 or other layers'
for d in import export tui examples; do
	check $d '#include[[:space:]]*[<"]sqlite3' 'only store/ includes sqlite3.h'
done
for d in store tui examples; do
	check $d '#include[[:space:]]*[<"]libxml/' 'only import/ and export/ include libxml2'
done
for d in store import export examples; do
	check $d '#include[[:space:]]*[<"](n?curses|ncursesw/|tui/)' 'only tui/ includes curses'
done
for d in store import export model examples; do
	check $d '#include[[:space:]]*[<"]cli/' 'nothing includes cli/'
done
for d in model store import tui examples cli; do
	check $d '#include[[:space:]]*[<"](cairo|pango)' 'only export/ includes cairo and pango'
done
[ $bad -eq 0 ] && echo "check-layers: ok"
exit $bad
