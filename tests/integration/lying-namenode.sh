#!/bin/sh
# A NameNode that lies (minidfs --nn-lie), once the call has run: half a
# frame then a close, a frame claiming 4 GiB, a frame of junk, the
# answer of another call, an exception class no client knows, and no
# answer at all.  For each, barge hdfs exits 1 within its timeout with a
# line that names what was wrong.  Then barged against a NameNode whose
# first six answers lie (wrong call ids): every try fails and is
# counted, the segment stays in the spool, and once the NameNode behaves
# it ships, its row once in HDFS.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
lib_init lying-namenode
need_tool jq jq
unset HADOOP_CONF_DIR HADOOP_HOME HADOOP_NAMENODE
BARGED=$top_builddir/src/barged/barged
tab=$(printf '\t')

# kind, then the line barge hdfs must end with (NN stands for the
# NameNode's address).
while IFS='|' read -r kind want; do
	start_minidfs "lie-$kind" --owner tester --nn-lie "$kind"
	start=$(date +%s)
	rc=0
	timeout 60 "$BARGE" hdfs --namenode "$MD_NN" --user tester \
	    --timeout 2000 ls / >"$T/out" 2>"$T/err" || rc=$?
	took=$(($(date +%s) - start))
	[ $rc -eq 1 ] || fail "$kind: exit $rc: $(cat "$T/err")"
	[ $took -le 30 ] || fail "$kind: took $took s"
	got=$(sed "s/$MD_NN/NN/g" "$T/err")
	[ "$got" = "$want" ] || fail "$kind: stderr '$got', want '$want'"
	grep -q "^nn[0-9]* lie $kind call=" "$MD_LOG" ||
	    fail "$kind: minidfs told no lie: $(tail -n 5 "$MD_LOG")"
	lib_stop "$MD_PID"
done <<'EOF'
truncate|barge: hdfs: NN: getServerDefaults: connection closed after 26 of 57 bytes
huge|barge: hdfs: NN: getServerDefaults: frame of 4294967295 bytes exceeds the limit of 134217728
garbage|barge: hdfs: NN: getServerDefaults: bad answer header: message length 127 runs past the frame
wrong-id|barge: hdfs: NN: getServerDefaults: reply to call 1000, expected 0
unknown-exception|barge: hdfs: LyingNameNodeException: this NameNode lies
silent|barge: hdfs: NN: getServerDefaults: timed out
EOF

# barged against a NameNode that lies six times, then behaves.
start_minidfs md --owner tester --nn-lie wrong-id:6
barged_yaml
echo "Nov 26 06:12:01 web1 m[1]: @EmailSent:1${tab}a${tab}1${tab}c${tab}3${tab}true" >"$T/syslog"
lib_start 300 "$BARGED" -f -c "$T/barge.yaml" 2>"$T/log"
shipped() {
	"$BARGE" status --socket "$T/sock" --json >"$T/s.json" 2>/dev/null &&
	    [ "$(jq .uploader.files "$T/s.json")" = 1 ]
}
wait_for 120 shipped
[ "$(grep -c '^nn[0-9]* lie wrong-id call=' "$MD_LOG")" = 6 ] ||
    fail "lies told: $(grep -c '^nn0 lie' "$MD_LOG")"
failures=$(jq .uploader.failures "$T/s.json")
[ "$failures" -ge 1 ] || fail "no failed try counted: $(cat "$T/s.json")"
[ "$(jq .uploader.failing_since_ms "$T/s.json")" = 0 ] ||
    fail "still failing after the upload: $(cat "$T/s.json")"
grep -q 'reply to call .*, expected .* (retrying)' "$T/log" ||
    fail "barged did not log the lie: $(cat "$T/log")"
"$BARGE" hdfs --namenode "$MD_NN" --user tester cat \
    /r/EmailSent/v1/dt=2026-11-26/hour=06/h1-0000000000000000.tsv.gz |
    zcat >"$T/rows"
[ "$(cat "$T/rows")" = "1795673521000${tab}web1${tab}a${tab}1${tab}c${tab}3${tab}true" ] ||
    fail "rows: $(cat "$T/rows")"
echo "lying-namenode: ok"
