#!/bin/sh
# tmux-readonly.sh - in a real terminal: a workbook that cannot be written
# (here a damaged one; as an ordinary user, one in a read-only folder) opens
# read-only, says so in the title and on the status line with the reason, and
# refuses every edit and undo with one line, leaving the file as it was;
# :export over an existing file asks first (n keeps it, y replaces it).
set -u
. "$TOP/tests/tools/tmux.sh"
fail() { echo "FAIL: $*"; tm_screen; exit 1; }
cp "$TOP/tests/data/hardening/flipped-index.stepmap" "$TMP/d.stepmap"

tm_start ro 30 100 env TERM=tmux-256color "$STEPMAP" "$TMP/d.stepmap"
tm_wait "[read-only]"
tm_wait "read-only: the workbook is damaged (Multiple uses for byte"
tm_keys : && tm_type "lane add Extra onstage" && tm_keys Enter
tm_wait "nothing changed"
tm_keys u
tm_wait "nothing changed"
cmp -s "$TMP/d.stepmap" "$TOP/tests/data/hardening/flipped-index.stepmap" ||
	fail "the read-only workbook changed"

# :export over an existing file asks first
echo "keep me" > "$TMP/out.csv"
tm_keys : && tm_type "export $TMP/out.csv" && tm_keys Enter
tm_wait "exists. Replace it? (y/n)"
tm_type n   # one key answers
tm_wait "not replaced; nothing written"
[ "$(cat "$TMP/out.csv")" = "keep me" ] || fail "replaced without a yes"
tm_keys : && tm_type "export $TMP/out.csv" && tm_keys Enter
tm_wait "exists. Replace it? (y/n)"
tm_type y
tm_wait "steps written"
grep -q "Triage" "$TMP/out.csv" || fail "not written: $(head -c 200 "$TMP/out.csv")"
tm_keys Q

# as an ordinary user, a workbook in a read-only folder
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 &&
   setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$STEPMAP" 2>/dev/null; then
	chmod 755 "$TMP"
	mkdir "$TMP/ro" && "$STEPMAP" demo "$TMP/ro/w.stepmap" >/dev/null && chmod 555 "$TMP/ro"
	tm_start ro2 30 100 env TERM=tmux-256color HOME=/tmp setpriv --reuid=65534 --regid=65534 \
		--clear-groups "$STEPMAP" "$TMP/ro/w.stepmap"
	tm_wait "[read-only]"
	tm_wait "read-only: you may not write to it"
	tm_keys : && tm_type "lane add Extra onstage" && tm_keys Enter
	tm_wait "nothing changed"
	tm_keys Q
	[ "$(ls "$TMP/ro")" = w.stepmap ] || fail "files left beside it: $(ls "$TMP/ro")"
	chmod 755 "$TMP/ro"
fi
# the workbench on a named pipe says what it is, never waits on it
mkfifo "$TMP/fifo.stepmap"
tm_start fifo 24 80 sh -c "\"$STEPMAP\" \"$TMP/fifo.stepmap\"; sleep 30"
tm_wait "is a named pipe (FIFO)"
exit 0
