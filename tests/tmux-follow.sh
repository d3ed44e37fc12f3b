#!/bin/sh
# tmux-follow.sh - who is here, and following, in real terminals: two named
# sessions on one workbook each say "2 here"; the map marks the step the
# other's cursor is on (◂ana, <ana where the terminal has no UTF-8); :who
# lists both; bo follows ana (:follow ana) and his screen shows what hers
# shows (the step, the lane view, presentation mode, a scenario) within
# 250 ms of hers, measured and printed; a key stops the following; when ana
# quits bo says nobody else is here, and a session killed with kill -9
# leaves no ghost either. The presence sidecar lives in $TMP
# (STEPMAP_PRESENCE_DIR), so tests never share it.
set -u
. "$TOP/tests/tools/tmux.sh"

export STEPMAP_PRESENCE_DIR="$TMP"
"$STEPMAP" demo "$TMP/w.stepmap" >/dev/null || exit 1
book="$TMP/w.stepmap"

fail() { echo "FAIL: $*"; exit 1; }
screen_of() { tm capture-pane -p -t "$1" 2>/dev/null; }
wait_on() { # session text [seconds]
	TM_SESSION=$1 tm_wait "$2" "${3:-10}"
}
gone_on() { # session text [seconds]
	TM_SESSION=$1 tm_gone "$2" "${3:-10}"
}
now_ms() { date +%s%3N; }

# How long after ana's screen shows text bo's screen shows it too (ms),
# polling both as fast as tmux answers; fails past 250 ms.
LAGS=
lag() { # text keys...
	text=$1; shift
	tm send-keys -t ana "$@"
	t0=$(now_ms)
	until screen_of ana | grep -qF -- "$text"; do
		[ $(( $(now_ms) - t0 )) -lt 5000 ] || { screen_of ana; fail "ana never showed '$text'"; }
	done
	t0=$(now_ms)
	until screen_of bo | grep -qF -- "$text"; do
		[ $(( $(now_ms) - t0 )) -lt 2000 ] || { screen_of bo; fail "bo never showed '$text'"; }
	done
	ms=$(( $(now_ms) - t0 ))
	LAGS="$LAGS $ms"
	echo "bo shows '$text' $ms ms after ana"
	[ "$ms" -le 250 ] || fail "bo showed '$text' $ms ms after ana (more than 250 ms)"
}

tm_start ana 30 100 env TERM=tmux-256color "$STEPMAP" --name ana "$book"
tm_start bo 30 100 env TERM=tmux-256color "$STEPMAP" --name bo "$book"
wait_on ana "· 2 here"
wait_on bo "· 2 here"

# ana's cursor on step 4: bo's map marks it
tm send-keys -t ana ':4' Enter
wait_on ana "4/111"
# (bo may first show ana's mark where she started: wait for it to move)
t0=$(now_ms)
until screen_of bo | grep "◂ana" | grep -q "^ *4 "; do
	[ $(( $(now_ms) - t0 )) -lt 5000 ] || { screen_of bo; fail "◂ana is not on step 4"; }
	sleep 0.05
done

# :who lists both, bo as "(you)"
tm send-keys -t bo ':who' Enter
wait_on bo "Who is here: 2"
screen_of bo | grep -q "ana  *map, step 4 " || { screen_of bo; fail ":who does not say where ana is"; }
screen_of bo | grep -q "bo  *map, step 1 .*(you)" || { screen_of bo; fail ":who does not list bo"; }
tm send-keys -t bo Escape
gone_on bo "Who is here"

# following: bo's screen shows what ana's shows
tm send-keys -t bo ':follow ana' Enter
wait_on bo "following ana"
wait_on bo " 4/111"
for k in 30 57 90 111 12; do
	lag " $k/111" ":$k" Enter
done
lag "lane view  ?" v
lag "presentation  ?" W
lag "STEP 13 of 111" j
lag "map  ?" q v
lag "scenario: Physician in triage" ':scenario Physician in triage, bedside registration' Enter
lag "baseline " ':scenario baseline' Enter
screen_of bo | grep -q "◂ana" && { screen_of bo; fail "bo marks ana's step while he follows her"; }
max=0; for ms in $LAGS; do [ "$ms" -gt "$max" ] && max=$ms; done
echo "following: the longest lag of $(echo $LAGS | wc -w) was $max ms (limit 250)"

# a key stops the following (and does nothing else); ana moves alone
tm send-keys -t bo j
wait_on bo "stopped following ana"
screen_of bo | grep -q "13/111" || { screen_of bo; fail "the key that stopped following moved the cursor"; }
tm send-keys -t ana ':50' Enter
wait_on ana "50/111"
sleep 0.5
screen_of bo | grep -q "13/111" || { screen_of bo; fail "bo still follows ana after a key"; }

# a terminal without UTF-8 marks the step with ASCII
tm_start carl 30 100 env TERM=tmux-256color LANG=C LC_ALL=C "$STEPMAP" --name carl "$book"
wait_on carl "- 3 here"
tm send-keys -t carl ':50' Enter
wait_on carl "<ana"
tm send-keys -t bo ':51' Enter
wait_on bo "◂ana,carl"

# killed with kill -9, carl leaves no ghost
pid=$(tm display-message -p -t carl '#{pane_pid}')
kill -9 "$pid"
wait_on bo "· 2 here" 3
gone_on bo "carl" 3

# ana quits: bo is alone at once
tm send-keys -t ana Q
gone_on bo "· 2 here" 3
gone_on bo "◂ana" 3
screen_of bo | head -1 | grep -q "here" && { screen_of bo; fail "bo's title still counts others"; }
tm send-keys -t bo ':follow ana' Enter
wait_on bo "nobody named 'ana' is here"
tm send-keys -t bo Q
sleep 0.3

# a bad name is refused before anything opens
"$STEPMAP" --name "" "$book" 2>"$TMP/err" </dev/null && fail "an empty --name was taken"
grep -q "is not a name" "$TMP/err" || fail "bad --name message: $(cat "$TMP/err")"
echo "ok"
