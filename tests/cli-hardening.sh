# cli-hardening.sh - issue 12's findings, each from its reproducer (files in
# tests/data/hardening or made here): special files refused without blocking,
# workbooks read from read-only folders, files and full disks without leaving
# anything beside them, damaged workbooks never written into and salvaged,
# untrusted numbers bounded, writers that never replace a link, device, FIFO
# or directory, and messages that say what is wrong.
set -u
fail() { echo "FAIL: $*"; exit 1; }
cd "$TMP" || exit 3
D=$TOP/tests/data/hardening
S=$STEPMAP
# every command here must answer at once: a hang is a failure, not a wait
t() { timeout 20 "$S" "$@"; }

printf 'name,lane,work,cost\nTake the call,Desk,5m,12\nAnswer,Desk,10m,30\n' > tiny.csv
t import tiny.csv -o w.stepmap >/dev/null || fail "import tiny.csv"

# --- 1. a FIFO, a device, a directory: refused with their kind, never waited on
mkfifo fifo.stepmap fifo.csv fifo.bpmn fifo.xes fifo.log.csv
for cmd in "report fifo.stepmap" "scenario fifo.stepmap list" "check fifo.stepmap" \
           "import tiny.csv --append -o fifo.stepmap" "import fifo.csv -o n1.stepmap" \
           "import fifo.bpmn -o n2.stepmap" "check fifo.bpmn" "import fifo.xes -o n3.stepmap" \
           "import fifo.log.csv --log -o n4.stepmap"; do
	# shellcheck disable=SC2086
	t $cmd </dev/null >out 2>err; rc=$?
	[ $rc -eq 1 ] || fail "$cmd: exit $rc (124 is a hang) $(cat err)"
	grep -q "is a named pipe (FIFO)" err || fail "$cmd: $(cat err)"
done
[ ! -e n1.stepmap ] && [ ! -e n2.stepmap ] && [ ! -e n3.stepmap ] && [ ! -e n4.stepmap ] ||
	fail "a workbook was made from a FIFO"
# (the workbench on a FIFO, in a terminal: tests/tmux-readonly.sh)
mkdir dir.stepmap
t report dir.stepmap 2>err; [ $? -eq 1 ] && grep -q "is a directory, not a stepmap workbook" err ||
	fail "directory: $(cat err)"
t report /dev/null 2>err; [ $? -eq 1 ] && grep -q "is a character device" err ||
	fail "/dev/null: $(cat err)"

# --- 2. read-only places: read without writing anything beside the workbook
# Run as an ordinary user: root ignores permissions.
asuser=
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null 2>&1 &&
	   setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$S" 2>/dev/null; then
		asuser="setpriv --reuid=65534 --regid=65534 --clear-groups"
	else
		echo "note: no ordinary user can run $S here; read-only folders not tried"
	fi
fi
if [ "$(id -u)" -ne 0 ] || [ -n "$asuser" ]; then
	chmod 755 "$TMP"
	mkdir ro && cp w.stepmap ro/w.stepmap && chmod 444 ro/w.stepmap && chmod 555 ro
	$asuser timeout 20 "$S" report ro/w.stepmap >out 2>err || fail "report in a read-only folder: $(cat err)"
	grep -q "tiny" out || fail "report in a read-only folder: $(cat out)"
	$asuser timeout 20 "$S" scenario ro/w.stepmap list >out 2>err ||
		fail "scenario list in a read-only folder: $(cat err)"
	$asuser timeout 20 "$S" scenario ro/w.stepmap new X >out 2>err; rc=$?
	[ $rc -eq 1 ] && grep -q "cannot open for writing: you may not write to it" err ||
		fail "an edit in a read-only folder: exit $rc $(cat err)"
	[ "$(ls ro)" = w.stepmap ] || fail "files left beside a read-only workbook: $(ls ro)"
	# a file without write permission in a folder that can be written
	mkdir rf && cp w.stepmap rf/w.stepmap && chmod 444 rf/w.stepmap && chmod 777 rf
	$asuser timeout 20 "$S" report rf/w.stepmap >out 2>err || fail "read-only file: $(cat err)"
	[ "$(ls rf)" = w.stepmap ] || fail "files left beside a read-only file: $(ls rf)"
	chmod 755 ro rf
fi
# a full disk: a small tmpfs, filled (root only)
if [ "$(id -u)" -eq 0 ] && mkdir full && mount -t tmpfs -o size=512k tmpfs full 2>/dev/null; then
	cp w.stepmap full/w.stepmap
	dd if=/dev/zero of=full/filler bs=4k 2>/dev/null
	t report full/w.stepmap >out 2>err; rc=$?
	ls full > left
	umount full
	[ $rc -eq 0 ] && grep -q tiny out || fail "report on a full disk: exit $rc $(cat err)"
	[ "$(cat left)" = "filler
w.stepmap" ] || fail "files left on a full disk: $(cat left)"
	# read-only media: a tmpfs remounted read-only
	mkdir rom && mount -t tmpfs -o size=1m tmpfs rom && cp w.stepmap rom/ &&
		mount -o remount,ro rom || fail "mounting a read-only tmpfs"
	t report rom/w.stepmap >out 2>err; rc=$?
	t scenario rom/w.stepmap new X >out2 2>err2; rc2=$?
	umount rom
	[ $rc -eq 0 ] && grep -q tiny out || fail "report on a read-only disk: exit $rc $(cat err)"
	[ $rc2 -eq 1 ] && grep -q "cannot open for writing: it is on a read-only disk" err2 ||
		fail "an edit on a read-only disk: exit $rc2 $(cat err2)"
else
	echo "note: no tmpfs could be mounted here; the full and read-only disks were not tried"
fi

# --- 3. a damaged workbook: read with a warning, never written, checked, salvaged
cp "$D/flipped-index.stepmap" f.stepmap
t report f.stepmap >out 2>err || fail "report of a damaged workbook: $(cat err)"
grep -q "warning: f.stepmap: workbook is damaged (Multiple uses for byte" err ||
	fail "no warning: $(cat err)"
t import tiny.csv --append -o f.stepmap >out 2>err; rc=$?
[ $rc -eq 1 ] && grep -q "workbook is damaged.*nothing was written" err ||
	fail "append into a damaged workbook: exit $rc $(cat err)"
t scenario f.stepmap new X >out 2>err && fail "a scenario added to a damaged workbook"
cmp -s f.stepmap "$D/flipped-index.stepmap" || fail "the damaged workbook was written into"
[ ! -e f.stepmap-wal ] || fail "a -wal beside the damaged workbook"
t check f.stepmap >out 2>err; rc=$?
[ $rc -eq 1 ] && grep -q "integrity_check: Multiple uses for byte" err || fail "check: $rc $(cat err)"
t check w.stepmap >out 2>err || fail "check of a sound workbook: $(cat err)"
grep -q "w.stepmap: workbook is sound: 1 process, 2 steps" out || fail "check: $(cat out)"
t check --salvage f.stepmap -o s1.stepmap >out 2>err || fail "salvage: $(cat err)"
grep -q "111 steps" out || fail "salvage: $(cat out)"
t check s1.stepmap >out 2>err && grep -q "sound: 1 process, 111 steps" out ||
	fail "salvaged workbook: $(cat out err)"
# a page of the steps table unreadable: loading fails, salvage keeps the rest
cp "$D/lost-steps.stepmap" l.stepmap
t report l.stepmap >out 2>err; [ $? -eq 1 ] && grep -q "damaged" err || fail "lost steps: $(cat err)"
t check --salvage l.stepmap -o s2.stepmap >out 2>err || fail "salvage lost steps: $(cat err)"
grep -q "70 steps (some pages unreadable)" out || fail "salvage lost steps: $(cat out)"
t check s2.stepmap >out && t report s2.stepmap >/dev/null || fail "salvaged lost steps: $(cat out)"
t check --salvage l.stepmap -o s2.stepmap 2>err; [ $? -eq 1 ] && grep -q "exists" err ||
	fail "salvage over an existing file: $(cat err)"

# --- 5. numbers from outside, bounded; no undefined behaviour on them
t import "$D/bpsim-cost-1e300.bpmn" -o b.stepmap >out 2>err || fail "bpsim: $(cat err)"
grep -q "BPSim UnitCost 1e+300 for 'Task_1' is out of range (0 to 1e+15); not kept" err ||
	fail "bpsim cost not reported: $(cat err)"
t export b.stepmap -f csv -o b.csv && ! grep -q "e+300" b.csv || fail "1e300 stored: $(cat b.csv)"
t import "$D/measure-starts-only.csv" -o m.stepmap >out 2>err ||
	fail "name,starts / A,m: $(cat err)"
grep -q "measure 'm' starts here but never ends" err || fail "measure: $(cat err)"
t check "$D/journal-id-1e30.stepmap" >out 2>err; rc=$?
[ $rc -eq 1 ] && grep -q "journal entry 1: journal line 3: scenario: id: unexpected value '1e30'" err ||
	fail "journal id 1e30: exit $rc $(cat err)"
t report "$D/row-cost-1e300.stepmap" >out 2>err; rc=$?
[ $rc -eq 1 ] && grep -q "workbook is damaged: step [0-9]*: cost: 1e+300 is out of range" err ||
	fail "row cost 1e300: exit $rc $(cat err)"

# --- 6. writers: through symbolic links; devices, FIFOs, directories refused
echo old > real.csv && ln -s real.csv link.csv
t export w.stepmap -f csv -o link.csv || fail "export through a link"
[ -L link.csv ] && grep -q "Take the call" real.csv || fail "the link was replaced"
ln -s made.csv dangling.csv
t export w.stepmap -f csv -o dangling.csv && [ -L dangling.csv ] && grep -q "Answer" made.csv ||
	fail "export through a dangling link"
t export w.stepmap -f csv -o fifo.csv 2>err; [ $? -eq 1 ] &&
	grep -q "fifo.csv: is a named pipe (FIFO); stepmap writes only regular files" err ||
	fail "export to a FIFO: $(cat err)"
t export w.stepmap -f csv -o dir.stepmap 2>err; [ $? -eq 1 ] && grep -q "is a directory" err ||
	fail "export to a directory: $(cat err)"
if [ "$(id -u)" -eq 0 ] && mknod null c 1 3 2>/dev/null; then
	t export w.stepmap -f csv -o null 2>err; [ $? -eq 1 ] && [ -c null ] &&
		grep -q "is a character device" err || fail "export to a device: $(cat err)"
fi

# --- 8. messages that say what is wrong
ln -s new-workbook.stepmap dangling.stepmap
t import tiny.csv -o dangling.stepmap >out 2>err || fail "import -o dangling link: $(cat err)"
[ -L dangling.stepmap ] && t report new-workbook.stepmap >/dev/null ||
	fail "import through a dangling link"
cp "$D/v1-lowered.stepmap" v1.stepmap
t report v1.stepmap >out 2>err; rc=$?
[ $rc -eq 1 ] && grep -q "workbook is damaged or inconsistent: it says schema version 1" err ||
	fail "version 1 lowered by hand: exit $rc $(cat err)"
t scenario v1.stepmap new X 2>err; [ $? -eq 1 ] && cmp -s v1.stepmap "$D/v1-lowered.stepmap" ||
	fail "version 1 lowered by hand changed: $(cat err)"
# out of memory names the file (not under the sanitizers: they need the memory)
case $S in
*build-san*) ;;
*)
	awk 'BEGIN { print "name,lane,work,note"; for (i = 0; i < 200000; i++)
		printf "Step %d,Lane %d,5m,%0100d\n", i, i % 7, i }' > big.csv
	(ulimit -v 60000; "$S" import big.csv -o big.stepmap) >out 2>err; rc=$?
	[ $rc -ne 0 ] && grep -q "big.csv.*out of memory\|out of memory.*big.csv" err ||
		fail "out of memory: exit $rc $(cat err)"
	# 7. a bad line 2 in a big file is reported at once, before the rest is
	# held in memory (26 MB of rows after it; 80 MB of address space)
	{ echo "name,lane,work,note"; echo "Bad,Lane,5 minutes,x"; tail -n +2 big.csv; } > bad2.csv
	(ulimit -v 80000; "$S" import bad2.csv -o bad2.stepmap) >out 2>err; rc=$?
	[ $rc -eq 1 ] && grep -q "bad2.csv:2: column 'work'" err || fail "bad line 2: exit $rc $(cat err)"
	[ ! -e bad2.stepmap ] || fail "a workbook from a bad file"
	# reading a workbook short of memory: the file is named, and a page the
	# check could not read for want of memory is not called damage
	head -n 40001 big.csv > mid.csv
	"$S" import mid.csv -o mid.stepmap >/dev/null 2>&1 || fail "import mid.csv"
	for v in 30000 40000 50000 60000 80000; do
		(ulimit -v $v; "$S" report mid.stepmap) >out 2>err
		grep -q "damaged" err && fail "short of memory called damage: $(cat err)"
		if grep -q "out of memory" err; then
			grep -q "mid.stepmap.*out of memory" err || fail "no file named: $(cat err)"
		fi
	done
	;;
esac
echo ok
