# tmux.sh - helpers for the tests that drive the real binary in tmux
# (tests/tmux-*.sh): a private tmux server per test (its own -L socket, so
# tests never collide), UTF-8 on, and polling of the screen for text instead
# of sleeping. Sourced, not run. Needs STEPMAP and TMP (tests/run-all).
#
#   tm_start NAME ROWS COLS CMD...   start session NAME running CMD
#   tm_wait TEXT [SECONDS]           poll the screen until TEXT shows (fixed string)
#   tm_gone TEXT [SECONDS]           poll until TEXT no longer shows
#   tm_keys KEYS...                  tmux send-keys (key names: Enter, Escape...)
#   tm_type TEXT                     send TEXT literally (UTF-8)
#   tm_screen                        the screen as text
command -v tmux >/dev/null 2>&1 || { echo "tmux is not installed"; exit 77; }
TM_SOCK="stepmap-test-$$-$(date +%s)"
TM_SESSION=t
export LANG=C.UTF-8 LC_ALL=C.UTF-8
tm() { tmux -u -L "$TM_SOCK" "$@"; }
tm_cleanup() {
	tmux -L "$TM_SOCK" kill-server >/dev/null 2>&1
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TM_SOCK"
}
trap tm_cleanup EXIT INT TERM
tm_start() { # name rows cols cmd...
	TM_SESSION=$1; rows=$2; cols=$3; shift 3
	tm new-session -d -s "$TM_SESSION" -x "$cols" -y "$rows" "$@" ||
		{ echo "tmux new-session failed"; exit 1; }
	tm set-option -t "$TM_SESSION" remain-on-exit on >/dev/null
}
tm_screen() { tm capture-pane -p -t "$TM_SESSION" 2>/dev/null; }
tm_keys() { tm send-keys -t "$TM_SESSION" "$@"; }
tm_type() { tm send-keys -t "$TM_SESSION" -l "$1"; }
tm_wait() { # text [seconds]: poll every 20 ms
	n=$(( ${2:-10} * 50 ))
	while [ $n -gt 0 ]; do
		tm_screen | grep -qF -- "$1" && return 0
		n=$((n - 1))
		sleep 0.02
	done
	echo "timed out waiting for '$1'; the screen is:"
	tm_screen
	exit 1
}
tm_gone() { # text [seconds]
	n=$(( ${2:-10} * 50 ))
	while [ $n -gt 0 ]; do
		tm_screen | grep -qF -- "$1" || return 0
		n=$((n - 1))
		sleep 0.02
	done
	echo "timed out waiting for '$1' to go; the screen is:"
	tm_screen
	exit 1
}
# True while the pane's program runs.
tm_alive() { [ "$(tm display-message -p -t "$TM_SESSION" '#{pane_dead}')" = 0 ]; }
