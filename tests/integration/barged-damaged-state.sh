#!/bin/sh
# What the disk broke while barged was down.  Damaged spool files are set
# aside and the rest is shipped.  Three segments are left in sealed/: one
# that is not gzip, one whose rows differ from the count in its name, and
# one that is whole.  barged starts, moves the first two to corrupt/
# byte for byte, logs why, and counts them (barge status, Prometheus).
# Neither reaches HDFS; the whole one does, row for row.  Then the
# checkpoint is garbage: barged keeps it as checkpoint.corrupt, logs
# what it does, and runs on instead of failing every start.  Its input
# starts again at start_at (beginning: the rows come again, in files
# whose ids, from the clock, were never used).
set -eu
. "$top_srcdir/tests/lib.sh"
lib_init barged-damaged-state
need_tool jq jq
BARGED=$top_builddir/src/barged/barged
tab=$(printf '\t')

start_minidfs md --owner tester
hdfs_() { "$BARGE" hdfs --namenode "$MD_NN" --user tester "$@"; }
barged_yaml
row() {
	echo "Nov 26 06:12:0$1 web1 m[1]: @EmailSent:1${tab}u$1${tab}1${tab}c${tab}3${tab}true"
}
status() {
	"$BARGE" status --socket "$T/sock" --json >"$T/s.json" 2>/dev/null
}
shipped() {
	status && [ "$(jq .uploader.files "$T/s.json")" = "$1" ] &&
	    [ "$(jq '.spool.open + .spool.sealed' "$T/s.json")" = 0 ]
}
row 1 >"$T/syslog"
lib_start 120 "$BARGED" -f -c "$T/barge.yaml" 2>"$T/log1"
wait_for 30 shipped 1
lib_stop "$LAST_PID"

# Left in sealed/ while barged was down (ids below the checkpoint's).
S=$T/spool/sealed
printf 'this is not gzip\n' >"$S/0000000000000000.m.EmailSent.1.2026-11-26.07.r1.gz"
printf '1795676400000\th1\tx\t1\tc\t3\ttrue\n' | gzip -c \
    >"$S/0000000000000000.m.EmailSent.1.2026-11-26.09.r5.gz"
printf '1795680000000\th1\tkept\t1\tc\t3\ttrue\n' | gzip -c \
    >"$S/0000000000000000.m.EmailSent.1.2026-11-26.10.r1.gz"
cp "$S/0000000000000000.m.EmailSent.1.2026-11-26.07.r1.gz" "$T/not-gzip"
cp "$S/0000000000000000.m.EmailSent.1.2026-11-26.09.r5.gz" "$T/miscounted"

lib_start 120 "$BARGED" -f -c "$T/barge.yaml" 2>"$T/log2"
BPID=$LAST_PID
wait_for 30 shipped 1
C=$T/spool/corrupt
cmp "$T/not-gzip" "$C/0000000000000000.m.EmailSent.1.2026-11-26.07.r1.gz" ||
    fail "the file that is not gzip was not set aside as it was"
cmp "$T/miscounted" "$C/0000000000000000.m.EmailSent.1.2026-11-26.09.r5.gz" ||
    fail "the miscounted file was not set aside as it was"
for want in \
    "barged: spool: $S/0000000000000000.m.EmailSent.1.2026-11-26.07.r1.gz: not gzip: incorrect header check at byte 2: moved to $C/0000000000000000.m.EmailSent.1.2026-11-26.07.r1.gz, not uploaded" \
    "barged: spool: $S/0000000000000000.m.EmailSent.1.2026-11-26.09.r5.gz: 1 rows, where its name says 5: moved to $C/0000000000000000.m.EmailSent.1.2026-11-26.09.r5.gz, not uploaded"; do
	grep -qxF -- "$want" "$T/log2" || fail "log lacks '$want': $(cat "$T/log2")"
done
[ "$(jq .spool.corrupt "$T/s.json")" = 2 ] || fail "status: $(cat "$T/s.json")"
"$BARGE" status --socket "$T/sock" --prometheus >"$T/prom.txt"
grep -qx 'barge_spool_corrupt_segments_total 2' "$T/prom.txt" ||
    fail "metrics: $(grep corrupt "$T/prom.txt")"
"$BARGE" status --socket "$T/sock" >"$T/status.txt"
grep -qxF '  2 damaged segments set aside in corrupt/ (see the log)' \
    "$T/status.txt" || fail "barge status: $(cat "$T/status.txt")"
hdfs_ ls -R /r >"$T/files"
grep -q 'hour=07\|hour=09' "$T/files" && fail "a damaged file reached HDFS: $(cat "$T/files")"
hdfs_ cat /r/EmailSent/v1/dt=2026-11-26/hour=10/h1-0000000000000000.tsv.gz |
    zcat >"$T/rows"
[ "$(cat "$T/rows")" = "1795680000000${tab}h1${tab}kept${tab}1${tab}c${tab}3${tab}true" ] ||
    fail "the whole file: $(cat "$T/rows")"
lib_stop "$BPID"

# A garbage checkpoint: barged starts anyway.
echo garbage >"$T/state/checkpoint"
row 2 >>"$T/syslog"
before_ms=$(($(date +%s) * 1000 - 1000))
lib_start 120 "$BARGED" -f -c "$T/barge.yaml" 2>"$T/log3"
BPID=$LAST_PID
wait_for 30 shipped 1
want="barged: $T/state/checkpoint: not a barge checkpoint: moved to $T/state/checkpoint.corrupt; inputs start again at their start_at, open segments go to the spool's corrupt/ folder, sealed ones are checked before they are uploaded"
grep -qxF -- "$want" "$T/log3" || fail "log lacks '$want': $(cat "$T/log3")"
[ "$(cat "$T/state/checkpoint.corrupt")" = garbage ] ||
    fail "checkpoint.corrupt: $(cat "$T/state/checkpoint.corrupt")"
kill -0 "$BPID" || fail "barged is not running"
# Both rows again, from the start of the input, in one new file.
hdfs_ ls /r/EmailSent/v1/dt=2026-11-26/hour=06 >"$T/hour06"
[ "$(wc -l <"$T/hour06")" = 2 ] || fail "hour 06: $(cat "$T/hour06")"
new=$(grep -v 'h1-0000000000000000' "$T/hour06")
id=$(printf '%d' "0x$(echo "$new" | sed 's/.*h1-\([0-9a-f]*\)\.tsv\.gz$/\1/')")
[ "$id" -ge $((before_ms * 1000)) ] || fail "the new file's id $id is below the clock's"
hdfs_ cat "/r/EmailSent/v1/dt=2026-11-26/hour=06/$new" | zcat | cut -f 3 >"$T/again"
[ "$(cat "$T/again")" = "u1
u2" ] || fail "rows again: $(cat "$T/again")"
echo "barged-damaged-state: ok"
