#!/bin/sh
# A DataNode that lies (minidfs --dn-lie): a packet whose data does not
# match its checksum (a write acked ERROR_CHECKSUM), an error (a read
# refused, a write's first packet acked ERROR), half a packet or ack
# and then a close, a packet or ack claiming 2 GiB, and no answer at
# all.  For each, barge hdfs put and cat exit 1 within their timeout
# with a line that names what was wrong; a cat writes not one byte it
# could not check, a failed put leaves nothing behind, and the next try
# against the now honest DataNode gets the file back byte for byte.
# Then barged, whose first upload meets each lie in turn: the try
# fails and is counted, the segment stays in the spool, and after the
# back-off it ships, its row once in HDFS and no other file there.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
lib_init lying-datanode
need_tool jq jq
unset HADOOP_CONF_DIR HADOOP_HOME HADOOP_NAMENODE
BARGED=$top_builddir/src/barged/barged
tab=$(printf '\t')

# Three packets of 64 KiB and a bit, so a lie about the first leaves
# more to come.
awk 'BEGIN { for (i = 0; i < 3000; i++) printf "line %06d of the file\n", i
    for (i = 0; i < 4000; i++) printf "%c", 33 + (i * 7) % 90 }' >"$T/file"
hdfs() {
	timeout 60 "$BARGE" hdfs --namenode "$MD_NN" --user tester \
	    --timeout 2000 "$@"
}
# try OP KIND WANT: barge hdfs OP against a DataNode that lies once,
# with KIND, to the op of its kind.
try() {
	rc=0
	start=$(date +%s)
	case $1 in
	put)	hdfs put "$T/file" /f >"$T/out" 2>"$T/err" || rc=$? ;;
	cat)	hdfs cat /f >"$T/out" 2>"$T/err" || rc=$? ;;
	esac
	took=$(($(date +%s) - start))
	[ $rc -eq 1 ] || fail "$1 $2: exit $rc: $(cat "$T/err")"
	[ $took -le 30 ] || fail "$1 $2: took $took s"
	got=$(sed -e "s/127\.0\.0\.1:$MD_DN/DN/g" "$T/err")
	[ "$got" = "$3" ] || fail "$1 $2: stderr '$got', want '$3'"
	[ ! -s "$T/out" ] || fail "$1 $2: wrote $(wc -c <"$T/out") bytes"
	grep -q "^dn0 lie $2 op=" "$MD_LOG" ||
	    fail "$1 $2: minidfs told no lie: $(tail -n 5 "$MD_LOG")"
}

while IFS='|' read -r op kind want; do
	[ "$op" = put ] && on=write || on=read
	start_minidfs "lie-$op-$kind" --owner tester --dn-lie "$kind:1" \
	    --dn-lie-on "$on"
	[ "$op" = put ] || hdfs put "$T/file" /f
	try "$op" "$kind" "$want"
	if [ "$op" = put ]; then
		hdfs ls / >"$T/ls"
		[ ! -s "$T/ls" ] || fail "put $kind left: $(cat "$T/ls")"
		hdfs put "$T/file" /f
	fi
	hdfs cat /f | cmp -s - "$T/file" || fail "$op $kind: file changed"
	lib_stop "$MD_PID"
done <<'EOF'
put|bad-checksum|barge: hdfs: /f: DataNode DN: ERROR_CHECKSUM for packet 0
put|error|barge: hdfs: /f: DataNode DN: ERROR for packet 0
put|truncate|barge: hdfs: /f: DataNode DN: connection closed with 2 packets unacknowledged
put|huge|barge: hdfs: /f: DataNode DN: ack of 2147483648 bytes exceeds the limit of 1014
put|silent|barge: hdfs: /f: IOException: File /f._COPYING_ could only be written to 0 of the 1 minReplication nodes. There are 1 datanode(s) running and 1 node(s) are excluded in this operation. (excluded DataNode DN: WRITE_BLOCK: timed out)
cat|bad-checksum|barge: hdfs: /f: DataNode DN: checksum error in block 1073741825 at offset 65024
cat|error|barge: hdfs: /f: DataNode DN: READ_BLOCK refused: ERROR: minidfs: this DataNode lies
cat|truncate|barge: hdfs: /f: DataNode DN: connection closed after 33008 of 66048 bytes
cat|huge|barge: hdfs: /f: DataNode DN: incorrect value for packet payload size: 2147483647
cat|silent|barge: hdfs: /f: DataNode DN: READ_BLOCK: timed out
EOF

# barged, whose first upload meets each lie in turn.
echo "Nov 26 06:12:01 web1 m[1]: @EmailSent:1${tab}a${tab}1${tab}c${tab}3${tab}true" >"$T/syslog"
want="1795673521000${tab}web1${tab}a${tab}1${tab}c${tab}3${tab}true"
dst=/r/EmailSent/v1/dt=2026-11-26/hour=06/h1-0000000000000000.tsv.gz
shipped() {
	"$BARGE" status --socket "$T/sock" --json >"$T/s.json" 2>/dev/null &&
	    [ "$(jq .uploader.files "$T/s.json")" = 1 ]
}
for kind in bad-checksum error truncate huge silent; do
	start_minidfs "barged-$kind" --owner tester --dn-lie "$kind:1"
	rm -rf "$T/spool" "$T/state"
	barged_yaml '' 'timeout: 2s'
	lib_start 300 "$BARGED" -f -c "$T/barge.yaml" 2>"$T/log"
	BD_PID=$LAST_PID
	wait_for 60 shipped
	[ "$(grep -c '^dn0 lie ' "$MD_LOG")" = 1 ] ||
	    fail "barged $kind: lies told: $(grep -c '^dn0 lie ' "$MD_LOG")"
	[ "$(jq .uploader.failures "$T/s.json")" -ge 1 ] ||
	    fail "barged $kind: no failed try counted: $(cat "$T/s.json")"
	grep -q 'DataNode .*(retrying)' "$T/log" ||
	    fail "barged $kind: did not log the lie: $(cat "$T/log")"
	hdfs ls -R /r >"$T/ls"
	[ "$(grep -c '\.tsv\.gz' "$T/ls")" = 1 ] ||
	    fail "barged $kind: files: $(cat "$T/ls")"
	hdfs cat "$dst" | zcat >"$T/rows"
	[ "$(cat "$T/rows")" = "$want" ] ||
	    fail "barged $kind: rows: $(cat "$T/rows")"
	lib_stop "$BD_PID"
	lib_stop "$MD_PID"
done
echo "lying-datanode: ok"
