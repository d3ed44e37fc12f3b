#!/bin/sh
# tmux-signals.sh - in a real terminal: the workbench gives the terminal back
# on every way out: q, SIGTERM, SIGHUP, and crash signals (SIGSEGV, SIGABRT)
# which still end the program with their own status. After each, the shell's
# own screen is back and the line discipline is cooked again (echo, icanon).
set -u
. "$TOP/tests/tools/tmux.sh"

for sig in QUIT-KEY TERM HUP SEGV ABRT; do
	PIDFILE=$TMP/pid.$sig
	tm_start "s$sig" 24 80 sh -c 'echo "before the workbench"; sh -c "echo \$\$ > $1; exec $2"; echo "exit status $?"; stty -a | tr " ;" "\n\n" | grep -xE "echo|icanon|-echo|-icanon" | tr "\n" " "; echo; sleep 30' sh "$PIDFILE" "$STEPMAP"
	tm_wait "Demo in memory"
	if [ "$sig" = QUIT-KEY ]; then
		tm_keys q
		want="exit status 0"
	else
		kill "-$sig" "$(cat "$PIDFILE")"
		case $sig in TERM) want="exit status 143" ;; HUP) want="exit status 129" ;;
		SEGV) want="exit status 139" ;; ABRT) want="exit status 134" ;; esac
	fi
	tm_wait "$want"
	tm_wait "icanon echo"
	screen=$(tm_screen)
	printf '%s\n' "$screen" | grep -qF "before the workbench" ||
		{ echo "$sig: the shell's screen did not come back:"; printf '%s\n' "$screen"; exit 1; }
	printf '%s\n' "$screen" | grep -qF "Figures" &&
		{ echo "$sig: the workbench is still on the screen:"; printf '%s\n' "$screen"; exit 1; }
done
exit 0
