#!/bin/sh
# Replies lost after the NameNode ran the call, and connections cut,
# while barged ships continuously into minidfs with its retry cache on
# (as a real NameNode's is):
#  1. every 2nd rename2 loses its reply;
#  2. every 2nd create loses its reply;
#  3. every 5th call of those an upload makes loses its reply, and
#     connections idle for 300 ms are closed, so most uploads reconnect
#     (the Go client's reads are spared);
#  4. an HA pair handing over every 10 calls, every 3rd rename2 losing
#     its reply.
# Each time every row arrives exactly once, nothing hidden is left, the
# spool ends empty, and the retry cache answered exactly the retries of
# the at-most-once calls whose replies were lost: never a call that had
# not been sent before (a retry count of 0), which is what a client that
# reuses call ids on a new connection would get.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"
lib_init lost-replies
e2e_init
E2E_MAX_AGE=1s

# phase NAME NN-LIST COLLECT-NNS: ships 1200 lines through barged
# (e2e_feed) and checks what landed.
phase() {
	rm -rf "$T/spool" "$T/state"
	e2e_reset
	E2E_INPUT=$T/syslog.$1
	: >"$E2E_INPUT"
	e2e_config "$2"
	e2e_start
	e2e_feed 1200
	wait_for 120 e2e_drained "$E2E_INPUT"
	e2e_collect "$3"
	e2e_expect "$E2E_INPUT"
	e2e_compare 1 "$n"
	e2e_term
	e2e_spool_gone
}

# check_cache LOG [METHOD]: every reply of an at-most-once call that was
# dropped was retried and answered from the cache, once; no cache hit
# was for a first try.
check_cache() {
	drops=$(grep -c " drop reply .*method=${2:-}" "$1" || :)
	[ "$drops" -ge 2 ] || fail "$1: only $drops replies dropped"
	amo_drops=$(grep -cE \
	    ' drop reply .*method=(create|rename2|delete)$' "$1" || :)
	hits=$(grep -c '^retry-cache hit ' "$1" || :)
	if grep '^retry-cache hit call=[0-9]* retry=0 ' "$1"; then
		fail "$1: a call's first try was answered from the cache"
	fi
	[ "$hits" -eq "$amo_drops" ] || fail "$1: $hits retry cache hits" \
	    "for $amo_drops dropped replies of at-most-once calls"
	echo "lost-replies: $drops replies dropped, $hits answered from" \
	    "the retry cache"
}

# 1. rename2 replies lost.
start_minidfs rn --owner "$E2E_USER" --drop-reply-after 2 \
    --drop-reply-method rename2
phase rn "$MD_NN" "$MD_NN"
check_cache "$MD_LOG" rename2
lib_stop "$MD_PID"

# 2. create replies lost.
start_minidfs cr --owner "$E2E_USER" --drop-reply-after 2 \
    --drop-reply-method create
phase cr "$MD_NN" "$MD_NN"
check_cache "$MD_LOG" create
lib_stop "$MD_PID"

# 3. Any reply lost, idle connections closed.
start_minidfs cut --owner "$E2E_USER" --drop-reply-after 5 \
    --drop-reply-method getServerDefaults,create,addBlock,complete,rename2 \
    --idle-close-ms 300
phase cut "$MD_NN" "$MD_NN"
check_cache "$MD_LOG"
idle=$(grep -c '^nn[0-9]* idle for 300 ms' "$MD_LOG" || :)
conns=$(grep -c '^nn[0-9]* connect ' "$MD_LOG" || :)
[ "$idle" -ge 2 ] || fail "only $idle connections closed for idling"
[ "$conns" -ge 8 ] || fail "only $conns connections: too few reconnections"
echo "lost-replies: $conns connections, $idle closed idle"
lib_stop "$MD_PID"

# 4. Failovers and lost rename2 replies.
start_minidfs ha --owner "$E2E_USER" --namenodes 2 --failover-after 10 \
    --drop-reply-after 3 --drop-reply-method rename2
[ -n "$MD_NN2" ] || fail "no second NameNode in the port file"
phase ha "$MD_NN2, $MD_NN" "$MD_NN,$MD_NN2"
check_cache "$MD_LOG" rename2
fo=$(grep -c '^failover: ' "$MD_LOG" || :)
[ "$fo" -ge 2 ] || fail "only $fo failovers"
echo "lost-replies: $fo failovers"
echo "PASS: lost-replies"
