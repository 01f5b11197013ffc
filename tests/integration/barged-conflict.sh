# A segment whose final name in HDFS is already taken by a different file
# is left alone (never overwritten), reported, and does not hold up the
# segments queued behind it.
set -eu
. "$top_srcdir/tests/lib.sh"
lib_init barged-conflict
need_tool jq jq
BARGED=$top_builddir/src/barged/barged

start_minidfs md --owner tester
hdfs_() { "$BARGE" hdfs --namenode "$MD_NN" --user tester "$@"; }
taken=/r/EmailSent/v1/dt=2026-11-26/hour=06/h1-0000000000000000.tsv.gz
echo "somebody else's file" >"$T/other"
hdfs_ mkdir -p "${taken%/*}"
hdfs_ put "$T/other" "$taken"

barged_yaml
tab=$(printf '\t')
# Segment 0 (hour 06, its name taken) is queued first and fails; only then
# is the line of segment 1 (hour 07) written, so it queues behind it.
echo "Nov 26 06:12:01 web1 m[1]: @EmailSent:1${tab}a${tab}1${tab}c${tab}3${tab}true" >"$T/syslog"
started_ms=$(($(date +%s) * 1000 - 1000))
lib_start 120 "$BARGED" -f -c "$T/barge.yaml" 2>"$T/log"
failed_once() {
	"$BARGE" status --socket "$T/sock" --json >"$T/s.json" 2>/dev/null &&
	    [ "$(jq -r .uploader.last_error "$T/s.json")" != "" ]
}
wait_for 30 failed_once
# The failed attempt is counted, and so is when the failing began.
[ "$(jq .uploader.failures "$T/s.json")" -ge 1 ] ||
    fail "failures: $(cat "$T/s.json")"
since=$(jq .uploader.failing_since_ms "$T/s.json")
[ "$since" -ge "$started_ms" ] && [ "$since" -le $(($(date +%s) * 1000 + 1000)) ] ||
    fail "failing_since_ms: $(cat "$T/s.json")"
echo "Nov 26 07:12:01 web1 m[1]: @EmailSent:1${tab}b${tab}2${tab}c${tab}3${tab}true" >>"$T/syslog"
shipped_one() {
	"$BARGE" status --socket "$T/sock" --json >"$T/s.json" 2>/dev/null &&
	    [ "$(jq .uploader.files "$T/s.json")" = 1 ] &&
	    [ "$(jq -r .uploader.last_error "$T/s.json")" != "" ]
}
wait_for 30 shipped_one

size=$(stat -c %s "$T/spool/sealed/0000000000000000.m.EmailSent.1.2026-11-26.06.r1.gz")
[ "$(jq -r .uploader.last_error "$T/s.json")" = "upload 0000000000000000.m.EmailSent.1.2026-11-26.06.r1.gz: $taken exists with 21 bytes, not the $size of this segment: left alone" ] ||
    fail "last error: $(jq -r .uploader.last_error "$T/s.json")"
[ "$(jq .spool.sealed "$T/s.json")" = 1 ] || fail "spool: $(cat "$T/s.json")"
"$BARGE" status --socket "$T/sock" --prometheus >"$T/prom.txt"
grep -qx 'barge_upload_failures_total [1-9][0-9]*' "$T/prom.txt" ||
    fail "prometheus: $(grep upload_fail "$T/prom.txt")"
hdfs_ cat "$taken" >"$T/back"
cmp "$T/other" "$T/back" || fail "the other file was changed"
hdfs_ cat /r/EmailSent/v1/dt=2026-11-26/hour=07/h1-0000000000000001.tsv.gz |
    zcat >"$T/rows"
[ "$(cat "$T/rows")" = "1795677121000${tab}web1${tab}b${tab}2${tab}c${tab}3${tab}true" ] ||
    fail "rows: $(cat "$T/rows")"
echo "barged-conflict: ok"
