#!/bin/sh
# minidfs refuses what a real NameNode or DataNode refuses, with the same
# answers: requests missing required fields, broken RPC headers, calls
# before the connection context, SASL out of order, unknown methods and
# protocols, a corrupt packet (ERROR_CHECKSUM), a packet out of sequence,
# an op from another protocol version, a resend off a chunk boundary
# (while heartbeats and resends from one are fine), a writer silent past
# the lease hard limit; and the NameNode's exception
# classes and messages for the namespace errors the captures recorded.
# The frames are built by hand in tests/minidfs/probe.c.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib.sh"
lib_init minidfs-strict
PROBE=$top_builddir/tests/minidfs/minidfs-probe
[ -x "$PROBE" ] || fail "$PROBE is not built"

# probe SCENARIO ARGS...: runs one scenario, fails with its failed checks.
probe() {
	if ! timeout 60 "$PROBE" "$@" >"$T/probe.out" 2>&1; then
		grep -v '^ok:' "$T/probe.out" >&2 || :
		fail "probe $1"
	fi
	grep -qx "PASS: $1" "$T/probe.out" || fail "probe $1: no verdict"
}

start_minidfs plain --owner prober --datanodes 1
probe nn-rpc "${MD_NN#*:}"
probe nn-errors "${MD_NN#*:}"
probe dn "${MD_NN#*:}" "$MD_DN"
probe dn-stream "${MD_NN#*:}" "$MD_DN"
# What the DataNode refused, and why, is in the log.
missing="missing required fields: requestedChecksum"
grep -q "WRITE_BLOCK refused: OpWriteBlockProto: $missing" "$MD_LOG" ||
    fail "the log does not name the missing field"
seqmsg="Received an out-of-sequence packet for .* at offset 2048."
seqmsg="$seqmsg Expecting packet starting at 1024"
grep -q "aborted: $seqmsg" "$MD_LOG" ||
    fail "the log does not show the out-of-sequence packet"
grep -q "dn0 ack seq=0 status=2" "$MD_LOG" ||
    fail "the log does not show the ERROR_CHECKSUM ack"
lib_stop "$MD_PID"

start_minidfs two --owner prober --datanodes 2
probe nn-blocks "${MD_NN#*:}"
lib_stop "$MD_PID"

start_minidfs faults --owner prober --datanodes 1 --not-replicated-yet 2 \
    --complete-false 2
probe nn-faults "${MD_NN#*:}"
lib_stop "$MD_PID"
start_minidfs standby --owner prober --standby
probe standby "${MD_NN#*:}"
lib_stop "$MD_PID"
start_minidfs safe --owner prober --safe-mode
probe safe-mode "${MD_NN#*:}"
lib_stop "$MD_PID"
start_minidfs retriable --owner prober --retriable 2
probe retriable "${MD_NN#*:}"
lib_stop "$MD_PID"
start_minidfs slow --owner prober --slow-ms 300
probe slow "${MD_NN#*:}" 300
lib_stop "$MD_PID"
start_minidfs idle --owner prober --idle-close-ms 500
probe idle "${MD_NN#*:}" 500
grep -qx "nn1 idle for 500 ms" "$MD_LOG" || fail "no idle close in the log"
lib_stop "$MD_PID"
start_minidfs lease --owner prober --lease-hard-ms 1500
probe lease "${MD_NN#*:}"
grep -qx "lease expired holder=sleepy file=silent blocks=0" "$MD_LOG" ||
    fail "no lease recovery in the log"
echo "PASS: minidfs-strict"
