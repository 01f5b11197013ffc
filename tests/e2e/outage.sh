#!/bin/sh
# HDFS going away and coming back, with lines flowing into barged:
#  1. the NameNode stops; uploads fail and the spool grows; a NameNode
#     comes back at the same address.  minidfs keeps its namespace in
#     memory only, so it comes back empty: what was shipped before is
#     read from the first one before it stops, the rest from the second.
#  2. an HA list whose first NameNode is a standby, and a DataNode that
#     dies in the middle of an upload (the retry leaves it out; with
#     replication 2 what it held stays readable);
#  3. an HA pair sharing one namespace that hands over every 25 calls,
#     in the middle of uploads, the standby listed first.
# Each time every row arrives exactly once and nothing hidden is left.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"
lib_init outage
e2e_init

uploads_failing() {
	e2e_status | jq -e '.uploader.last_error != "" and
	    (.uploader.state | startswith("retrying")) and
	    .spool.sealed > 0' >/dev/null
}

# 1. NameNode outage.
start_minidfs nn1 --owner "$E2E_USER"
NN=$MD_NN
e2e_config "$NN"
: >"$E2E_INPUT"
e2e_start
e2e_append 1 300
wait_for 30 e2e_drained "$E2E_INPUT"
e2e_collect "$NN"
[ -s "$T/got.rows" ] || fail "nothing shipped before the outage"

# New lines open new segments, sealed no sooner than batch.max_age (2 s)
# from now: the NameNode stops before any of them can be shipped.
e2e_append 301 400
lib_stop "$MD_PID"
n=400
while ! uploads_failing; do
	[ "$n" -lt 5000 ] || fail "uploads did not fail: $(e2e_status)"
	e2e_append $((n + 1)) $((n + 100))
	n=$((n + 100))
	sleep 0.2
done
e2e_append $((n + 1)) $((n + 100))
n=$((n + 100))
wait_for 30 e2e_caught_up "$E2E_INPUT"
e2e_spool_empty && fail "the spool is empty while HDFS is down"

start_minidfs nn2 --owner "$E2E_USER" --nn-port "${NN#127.0.0.1:}"
[ "$MD_NN" = "$NN" ] || fail "minidfs came back at $MD_NN, not $NN"
e2e_append $((n + 1)) $((n + 100))
n=$((n + 100))
wait_for 90 e2e_drained "$E2E_INPUT"
e2e_collect "$NN"
e2e_expect "$E2E_INPUT"
e2e_compare 1 "$n"
e2e_term
e2e_spool_gone
echo "outage: NameNode down for lines 301..$((n - 100)), $n lines in all"

# 2. Standby first in hdfs.namenodes; DataNode 0 of 3 dies after 3000
# bytes, inside some upload.
rm -rf "$T/spool" "$T/state"
e2e_reset
E2E_INPUT=$T/syslog2
: >"$E2E_INPUT"
start_minidfs sb --owner "$E2E_USER" --standby
SB_NN=$MD_NN
SB_LOG=$MD_LOG
start_minidfs act --owner "$E2E_USER" --datanodes 3 --replication 2 \
    --dn-die-after 3000
E2E_MAX_AGE=1s
e2e_config "$SB_NN" "$MD_NN"
e2e_start
e2e_feed 1200
wait_for 90 e2e_drained "$E2E_INPUT"
e2e_collect "$MD_NN"
e2e_expect "$E2E_INPUT"
e2e_compare 1 "$n"
grep -q '^dn0 dies' "$MD_LOG" || fail "DataNode 0 did not die"
grep -q ': DataNode 127\.0\.0\.1:[0-9]*: .*(retrying)$' "$T/barged.log" ||
    fail "no upload failed on the DataNode: $(cat "$T/barged.log")"
sb=$(grep -c 'StandbyException' "$SB_LOG" || :)
[ "$sb" -ge 2 ] || fail "the standby was asked $sb times, not first each time"
e2e_term
e2e_spool_gone
grep '(retrying)$' "$T/barged.log"
echo "outage: standby asked $sb times, $(grep -c '\.gz$' "$T/ls") files"

# 3. Failovers while uploading.
rm -rf "$T/spool" "$T/state"
e2e_reset
E2E_INPUT=$T/syslog3
: >"$E2E_INPUT"
start_minidfs ha --owner "$E2E_USER" --namenodes 2 --failover-after 25
[ -n "$MD_NN2" ] || fail "no second NameNode in the port file"
e2e_config "$MD_NN2" "$MD_NN"
e2e_start
e2e_feed 1200
wait_for 90 e2e_drained "$E2E_INPUT"
e2e_collect "$MD_NN,$MD_NN2"
e2e_expect "$E2E_INPUT"
e2e_compare 1 "$n"
fo=$(grep -c '^failover: ' "$MD_LOG" || :)
[ "$fo" -ge 2 ] || fail "only $fo failovers"
e2e_term
e2e_spool_gone
echo "outage: $fo failovers, $(grep -c '\.gz$' "$T/ls") files"
echo "PASS: outage"
