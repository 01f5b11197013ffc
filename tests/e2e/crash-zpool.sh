#!/bin/sh
# barged killed with SIGKILL while compression is behind the main loop:
# at gzip_level 9 the zpool worker is far slower than parsing, so a
# burst of lines fills its queue and the main loop waits for room (or,
# at a sync point, for the queue to drain before the checkpoint).  Each
# kill is taken while the worker is running and the main thread waits
# on it; barged restarts from its checkpoint, which is behind again
# straight away.  The lines carry stamps over the next 21 hours, so
# over 100 segments (5 kinds, message and 4 reasons, per hour) are
# open at once, and barged's peak RSS must stay within 32 MiB.  At the
# end every valid row is in HDFS exactly once, every invalid line in
# the quarantine exactly once, and the spool is empty.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"
lib_init crash-zpool
e2e_init
need_tool shuf coreutils

ITER=${CRASH_ZPOOL_ITERATIONS:-12}
BURST=${CRASH_ZPOOL_BURST:-250000}
RSS_MAX_KB=32768
start_minidfs md --owner "$E2E_USER"
E2E_MAX_AGE=1h
e2e_config "$MD_NN"
sed 's/^batch: {/batch: {gzip_level: 9, /' "$T/barge.yaml" >"$T/y"
mv "$T/y" "$T/barge.yaml"
: >"$E2E_INPUT"

# Hours from now on, up to 21, within this year (e2e_expect reads the
# RFC 3164 stamps as this year's); every stamp at minute 30 but the
# current hour's, which is now.  21 is prime to the 20 of e2e_gen's
# cycle, so every hour gets every kind of line.
year=$(date +%Y)
: >"$T/stamps"
h=0
while [ $h -lt 21 ]; do
	[ "$(date -d "+$h hours" +%Y)" = "$year" ] || break
	if [ $h -eq 0 ]; then
		date '+%b %e %H:%M:%S' >>"$T/stamps"
	else
		date -d "+$h hours" '+%b %e %H:30:00' >>"$T/stamps"
	fi
	h=$((h + 1))
done
HOURS=$h

# burst FIRST LAST: lines FIRST..LAST, line s stamped in hour s % HOURS.
burst() {
	e2e_gen "$1" "$2" '#011' | awk -v stamps="$T/stamps" -v a="$1" '
	BEGIN { while ((getline l < stamps) > 0) st[n++] = l }
	{ print st[(a + NR - 1) % n] " src7 app[42]: " $0 }' >>"$E2E_INPUT"
}

# The zpool thread's directory under /proc/$BD_PID/task.
zpool_task() {
	for zt in /proc/"$BD_PID"/task/*; do
		[ "$(cat "$zt/comm" 2>/dev/null)" = zpool ] &&
		    { echo "$zt"; return 0; }
	done
	return 1
}

# Compression is behind: the worker is running (or runnable) while the
# main thread sleeps on a futex, which in barged is only ever the
# zpool's queue (zpool_member's room, zpool_wait at a sync point).
behind() {
	zt=$(zpool_task) || return 1
	[ "$(awk '{ print $3 }' "$zt/stat")" = R ] &&
	    case $(cat "/proc/$BD_PID/task/$BD_PID/wchan") in
	    *futex*) true ;;
	    *) false ;;
	    esac
}

# behind_soon: behind within 3 s.
behind_soon() {
	bs_end=$(($(date +%s) + 3))
	until behind; do
		[ "$(date +%s)" -lt "$bs_end" ] || return 1
		sleep 0.02
	done
}

next=1
burst 1 "$BURST"
next=$((BURST + 1))
rss=0 open=0 hits=0
started=$(date +%s)
i=0
while [ "$i" -lt "$ITER" ]; do
	i=$((i + 1))
	e2e_start
	# Before the first sync point of this run, or after one: then the
	# kill as soon as the worker is seen behind.
	ms=$(shuf -i 0-1200 -n 1)
	sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
	o=$(e2e_json '.spool.open' || :)
	case $o in
	[0-9]*) [ "$o" -gt "$open" ] && open=$o ;;
	esac
	if ! behind_soon; then
		# Caught up with what was there: a new burst.
		burst "$next" $((next + BURST - 1))
		next=$((next + BURST))
		behind_soon || fail "iteration $i: compression never behind"
	fi
	kill -0 "$BD_PID" 2>/dev/null ||
	    fail "iteration $i: barged died by itself: $(tail -3 "$T/barged.log")"
	# The sample right before the kill: was the worker behind?
	if behind; then
		hits=$((hits + 1))
	fi
	r=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' \
	    "/proc/$BD_PID/status")
	[ "$r" -gt "$rss" ] && rss=$r
	e2e_kill
done
# Most kills must land with the worker behind, or the test tests little.
[ "$hits" -ge $((ITER / 2)) ] ||
    fail "only $hits of $ITER kills while compression was behind"
[ "$rss" -le "$RSS_MAX_KB" ] ||
    fail "peak RSS $rss kB with $open open segments, over $RSS_MAX_KB kB"
[ "$HOURS" -lt 21 ] || [ "$open" -ge 100 ] ||
    fail "only $open segments open at once, want 100"
last=$((next - 1))

e2e_start
wait_for 300 e2e_caught_up "$E2E_INPUT"
r=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$BD_PID/status")
[ "$r" -le "$RSS_MAX_KB" ] || fail "peak RSS $r kB catching up"
# The future hours do not close by themselves: SIGTERM seals them.
e2e_term
e2e_start
wait_for 120 e2e_spool_empty
e2e_collect "$MD_NN"
e2e_expect "$E2E_INPUT"
e2e_compare 1 "$last"
e2e_term
e2e_spool_gone
echo "crash-zpool: $ITER kills ($hits with compression behind) in" \
    "$(($(date +%s) - started)) s, $last lines over $HOURS hours," \
    "$(wc -l <"$T/got.rows") rows and $(wc -l <"$T/got.qrows")" \
    "quarantined; up to $open segments open, peak RSS $rss kB"
echo "PASS: crash-zpool"
