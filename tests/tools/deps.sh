#!/bin/sh
# deps.sh - install the Debian packages stepmap needs to build and test, when
# any is missing: with apt-get as root, through sudo otherwise.
# With --test (make test), or CI=true, it also installs what the tests need
# beyond the build: node and npm for the interop tests, chromium for bpmn-js,
# python3-simpy for the simulation benchmark's peer, LibreOffice Calc for the
# spreadsheet test, rsvg-convert and pdftotext for the pictures' tests, clang
# and its runtime for the libFuzzer targets (tests/fuzz/).
set -u
need="pkg-config gcc make libncurses-dev libsqlite3-dev libxml2-dev libcmocka-dev libcsv-dev libcairo2-dev libpango1.0-dev zlib1g-dev tmux sqlite3 libxml2-utils"
if [ "${1:-}" = --test ] || [ "${CI:-}" = true ] || [ "${STEPMAP_FULL_DEPS:-}" = 1 ]; then
	need="$need nodejs npm chromium python3 python3-simpy libreoffice-calc-nogui librsvg2-bin poppler-utils clang libclang-rt-14-dev"
fi
missing=
for p in $need; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
# node and npm may come from elsewhere than Debian: skip them when on PATH.
filtered=
for p in $missing; do
	case $p in
	nodejs) command -v node >/dev/null 2>&1 && continue ;;
	npm) command -v npm >/dev/null 2>&1 && continue ;;
	esac
	filtered="$filtered $p"
done
missing=$filtered
[ -z "$missing" ] && exit 0
echo "stepmap: installing missing packages:$missing"
if ! command -v apt-get >/dev/null 2>&1; then
	echo "stepmap: no apt-get here; install these packages by hand:$missing" >&2
	exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
	sudo=
elif command -v sudo >/dev/null 2>&1; then
	sudo=sudo
else
	echo "stepmap: not root and no sudo; as root run: apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq || true
# shellcheck disable=SC2086
if ! $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null; then
	echo "stepmap: apt-get install$missing failed; install them by hand" >&2
	exit 1
fi
