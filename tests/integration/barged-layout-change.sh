#!/bin/sh
# Within a version a definition's layout never changes (DESIGN 4), and
# an Avro segment's header describes every row after it.
#  1. A field's type changed within its version and SIGHUP: barged says
#     which definition and where, refuses the reload and goes on with
#     the running definitions (a value only the new one allows is
#     quarantined).
#  2. barged killed with an open Avro segment, the definition changed
#     within its version, barged started again: the segment is sealed
#     as it is, new rows go to a new segment, and both files in HDFS
#     read back with their own schema (Python's avro).
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
lib_init barged-layout-change
need_tool jq jq
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import avro' 2>/dev/null ||
    fail "Python's avro is missing: install the Debian package python3-avro"
unset HADOOP_CONF_DIR HADOOP_HOME HADOOP_NAMENODE
BARGED=$top_builddir/src/barged/barged
tab=$(printf '\t')

# defs TYPE: M:1 in Avro, its field n of TYPE.
defs() {
	cat >"$T/messages/m.yaml" <<EOF
messages:
  - name: M
    version: 1
    format: avro
    fields:
      - {name: s, type: string}
      - {name: n, type: $1}
EOF
}
# Stamped now, so that no hour closes (and seals) under the test.
row() {
	echo "$(LC_ALL=C date '+%b %e %H:%M:%S') web1 m[1]:" \
	    "@M:1${tab}$1${tab}$2" >>"$T/syslog"
}
status() {
	"$BARGE" status --socket "$T/sock" --json >"$T/s.json" 2>/dev/null
}
read_to_end() {
	status &&
	    [ "$(jq .inputs[0].offset "$T/s.json")" = "$(stat -c %s "$T/syslog")" ]
}
checkpoints() {
	status && jq .checkpoints "$T/s.json"
}
synced() {
	[ "$(checkpoints)" -ge "$1" ]
}
logged() {
	grep -qxF -- "$2" "$1" || fail "$1 lacks '$2': $(cat "$1")"
}

start_minidfs md --owner tester
mkdir "$T/messages"
defs int32
barged_yaml
sed -i "s|^messages_dir: .*|messages_dir: $T/messages|
	s|max_age: 1s|max_age: 1h, close_after: 2h|" "$T/barge.yaml"
: >"$T/syslog"
lib_start 300 "$BARGED" -f -p "$T/barged.pid" -c "$T/barge.yaml" 2>"$T/log"
BPID=$LAST_PID

# 1. The reload is refused.
row a 1
wait_for 30 read_to_end
defs int64
kill -HUP "$BPID"
wait_for 10 grep -q 'has errors: keeping' "$T/log"
logged "$T/log" "barged: reload: $T/messages/m.yaml:2: M:1: its fields, format or partitions differ from the running definition's, and within a version they never change: give the change a new version"
logged "$T/log" "barged: reload: $T/barge.yaml has errors: keeping the running configuration and definitions"
row b 3000000000
wait_for 30 read_to_end
[ "$(jq '.messages[] | select(.name == "M:1") | .rows' "$T/s.json")" = 1 ] ||
    fail "M:1 rows: $(jq .messages "$T/s.json")"
[ "$(jq '.invalid["bad-int32"]' "$T/s.json")" = 1 ] ||
    fail "int32's range no longer held: $(jq .invalid "$T/s.json")"

# 2. Killed with the open segment; the definition changes; a start.
wait_for 30 synced $(($(checkpoints) + 2))
open=$(ls "$T/spool/open" | grep '\.avro$')
# barged's own PID: killing timeout(1) with -9 would leave barged be.
kill -KILL "$(cat "$T/barged.pid")"
wait "$BPID" 2>/dev/null || :
row c 3000000000
lib_start 300 "$BARGED" -f -c "$T/barge.yaml" 2>"$T/log2"
BPID=$LAST_PID
wait_for 30 read_to_end
logged "$T/log2" "barged: spool: $T/spool/open/$open: written with another schema than its definition's now: sealed as it is, new rows go to a new segment"
lib_stop "$BPID"

# Each file with its own schema and rows, in HDFS.
"$BARGE" hdfs --namenode "$MD_NN" --user tester ls -R /r/M |
    grep '\.avro$' >"$T/ls"
[ "$(wc -l <"$T/ls")" = 2 ] || fail "files: $(cat "$T/ls")"
: >"$T/got"
while read -r f; do
	"$BARGE" hdfs --namenode "$MD_NN" --user tester cat "$f" >"$T/f.avro"
	/usr/bin/python3 - "$T/f.avro" >>"$T/got" <<'EOF'
import json
import sys

from avro.datafile import DataFileReader
from avro.io import DatumReader

with open(sys.argv[1], "rb") as f:
    r = DataFileReader(f, DatumReader())
    types = {x["name"]: x["type"] for x in
             json.loads(r.get_meta("avro.schema"))["fields"]}
    for rec in r:
        print(types["n"], rec["s"], rec["n"])
EOF
done <"$T/ls"
printf 'int a 1\nlong c 3000000000\n' | diff - "$T/got" ||
    fail "rows: $(cat "$T/got")"
echo "barged-layout-change: ok"
