#!/bin/sh
# barge audit --rows on Avro files: once barged has closed the hours,
# every Avro file is listed with its rows and audit finds nothing wrong;
# an Avro file put back with its length kept but a sync marker damaged
# passes the length check and is named by --rows, with what is wrong.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
lib_init barged-audit-avro
need_tool jq jq
unset HADOOP_CONF_DIR HADOOP_HOME HADOOP_NAMENODE
BARGED=$top_builddir/src/barged/barged
tab=$(printf '\t')
day=2026-11-26

start_minidfs md --owner tester
barged_yaml
sed -i 's|^batch: {max_age: 1s}$|batch: {max_age: 1s, close_spread: 0}\
output: {format: avro}|' "$T/barge.yaml"
grep -q '^output: {format: avro}$' "$T/barge.yaml" || fail "barge.yaml"
for i in 1 2 3; do
	echo "Nov 26 06:12:0$i web1 m[1]: @EmailSent:1${tab}u$i${tab}1${tab}c${tab}3${tab}true"
done >"$T/syslog"
for i in 4 5; do
	echo "Nov 26 07:12:0$i web1 m[1]: @EmailSent:1${tab}u$i${tab}1${tab}c${tab}3${tab}\\N"
done >>"$T/syslog"
lib_start 300 "$BARGED" -f -c "$T/barge.yaml" 2>"$T/log"
BPID=$LAST_PID
# Both files shipped, and their hours closed: in the day's manifest.
closed() {
	"$BARGE" status --socket "$T/sock" --json >"$T/s.json" 2>/dev/null &&
	    [ "$(jq .uploader.files "$T/s.json")" = 2 ] &&
	    jq -e '.closed_hour != null and .closed_hour >= "2026-11-26T07"' \
	    "$T/s.json" >/dev/null
}
wait_for 60 closed
hdfs_() {
	"$BARGE" hdfs --namenode "$MD_NN" --user tester "$@"
}
"$BARGE" audit -c "$T/barge.yaml" --rows "$day" >"$T/audit" ||
    fail "audit: $(cat "$T/audit")"
printf '%s\n' "$day: 1 manifests" \
    "message                           hosts    files         rows          bytes problems" \
    "EmailSent:1                           1        2            5           BYTES        0" \
    "0 problems" >"$T/want"
sed 's/^\(EmailSent:1  *1  *2  *5  *\)[0-9]*/\1BYTES/' "$T/audit" |
    diff "$T/want" - || fail "audit differs"

# The hour 06 file again, its length kept and its last marker's last
# byte flipped: only reading its rows shows it.
f=/r/EmailSent/v1/dt=$day/hour=06/h1-0000000000000000.avro
hdfs_ cat "$f" >"$T/f.avro"
/usr/bin/python3 -c 'import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[-1] ^= 0xff
open(p, "wb").write(b)' "$T/f.avro"
hdfs_ rm "$f"
hdfs_ put "$T/f.avro" "$f"
rc=0
"$BARGE" audit -c "$T/barge.yaml" "$day" >"$T/audit" || rc=$?
[ $rc = 0 ] || fail "audit without --rows: exit $rc: $(cat "$T/audit")"
"$BARGE" audit -c "$T/barge.yaml" --rows "$day" >"$T/audit" || rc=$?
[ $rc = 1 ] || fail "audit --rows: exit $rc: $(cat "$T/audit")"
grep -qxF "unreadable: $f: Avro block 1: not ended by the header's sync marker" \
    "$T/audit" || fail "audit --rows: $(cat "$T/audit")"
grep -qx '1 problems' "$T/audit" || fail "audit --rows: $(cat "$T/audit")"
lib_stop "$BPID"
echo "barged-audit-avro: ok"
