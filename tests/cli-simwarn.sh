#!/bin/sh
# cli-simwarn.sh - stepmap simulate says on stderr what its figures cannot
# be trusted for, and still prints them (exit 0): a process without an
# arrival pattern (every case arrives at once), a lane whose offered load is
# 1 or more (which lane, its utilisation); a process with neither warns of
# nothing.
set -u
fail() { echo "FAIL: $*"; exit 1; }
cd "$TMP" || exit 1

cat >noarr.csv <<'CSV'
step,name,lane,capacity,work
1,Take the call,Desk,1,5m
2,Check,Desk,1,10m
CSV
# 12 an hour, 25 minutes of desk work each, one server: 500 % offered
cat >over.csv <<'CSV'
step,name,lane,stage,capacity,work,arrival
1,Report,Customer,customer,,,12/h
2,Take the call,Desk,onstage,1,5m,
3,Check,Desk,onstage,1,20m,
4,File,Archive,support,4,1m,
CSV
for f in noarr over; do
	"$STEPMAP" import $f.csv -o $f.stepmap >/dev/null || fail "import $f.csv"
done

"$STEPMAP" simulate noarr.stepmap --cases 200 >out 2>err || fail "simulate noarr exit $?"
grep -q "whole case" out || fail "no figures on stdout"
grep -q "^stepmap: noarr.stepmap: noarr: warning: no arrival pattern: every case arrives at once, at time 0" err ||
	{ cat err; fail "no warning about the missing arrival pattern"; }
grep -q "12/h" err || fail "the warning does not say how to set one"
[ "$(wc -l <err)" -eq 1 ] || { cat err; fail "more than one warning"; }

"$STEPMAP" simulate over.stepmap --cases 500 --json >out 2>err || fail "simulate over exit $?"
python3 -c 'import json,sys; json.load(open("out"))' || fail "stdout is not JSON"
grep -q "warning: lane 'Desk' is overloaded: utilisation 500 % offered (arrivals x visits x mean work / capacity 1), 100 % measured" err ||
	{ cat err; fail "no warning naming the overloaded lane and its utilisation"; }
grep -q "Archive" err && fail "a lane with room is named"
grep -q "arrival pattern" err && fail "arrivals warned of though given"

"$STEPMAP" import "$TOP/tests/data/csv/facilitator-claims.csv" -o ok.stepmap >/dev/null || fail "import"
"$STEPMAP" simulate ok.stepmap --cases 500 >out 2>err || fail "simulate ok"
[ -s err ] && { cat err; fail "warned of a process at 72 % load"; }
exit 0
