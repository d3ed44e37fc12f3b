# cli-usage.sh - --help, --version, bad usage and the man page agree with the
# command table.
set -u
fail() { echo "FAIL: $*"; exit 1; }
out=$("$STEPMAP" --help) || fail "--help exits non-zero"
for c in demo report import export check simulate scenario present; do
	echo "$out" | grep -q "stepmap $c" || fail "--help does not show '$c'"
	grep -q "^\.B.*$c" "$TOP/stepmap.1" || grep -q "\"$c " "$TOP/stepmap.1" ||
		fail "stepmap.1 does not describe '$c'"
	# each command's own --help: its usage line, exit 0, nothing run
	h=$("$STEPMAP" $c --help) || fail "$c --help exits $?"
	echo "$h" | head -n 1 | grep -q "^usage: stepmap $c" || fail "$c --help: $h"
done
"$STEPMAP" demo "$TMP/d.stepmap" --help >/dev/null || fail "demo FILE --help exits $?"
[ -e "$TMP/d.stepmap" ] && fail "demo --help wrote the file"
"$STEPMAP" --version | grep -qE '^stepmap [0-9]+\.[0-9]+\.[0-9]+$' || fail "--version"
"$STEPMAP" --no-such-option 2>"$TMP/err"; rc=$?
[ $rc -eq 2 ] || fail "unknown option exits $rc, not 2"
grep -q "unknown option '--no-such-option'" "$TMP/err" || fail "unknown option message: $(cat "$TMP/err")"
"$STEPMAP" a.stepmap b.stepmap 2>/dev/null; rc=$?
[ $rc -eq 2 ] || fail "two workbooks exit $rc, not 2"
exit 0
