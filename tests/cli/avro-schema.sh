#!/bin/sh
# barge avro-schema and the Avro side of hive-ddl: the exact .avsc of a
# definition with every type (Python's avro parses it as a schema), the
# highest version by default, output.format in barge.yaml as the default
# format, the STORED AS AVRO statement, and the errors.
set -eu
: "${top_srcdir:?}" "${BARGE:?}"
work=$(mktemp -d "${TMPDIR:-/tmp}/barge-avro-schema.XXXXXX")
trap 'rm -rf "$work"' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect STATUS STDOUT-FILE STDERR-TEXT ARGS...: runs barge ARGS.
expect() {
	_status=$1 _out=$2 _err=$3
	shift 3
	_rc=0
	timeout 30 "$BARGE" "$@" >"$work/out" 2>"$work/err" || _rc=$?
	[ "$_rc" = "$_status" ] || fail "$*: exit $_rc, not $_status"
	printf '%s' "$_err" >"$work/err.expected"
	diff -u "$work/err.expected" "$work/err" || fail "$*: stderr differs"
	diff -u "$_out" "$work/out" || fail "$*: stdout differs"
}

mkdir "$work/m"
cat >"$work/m/click.yaml" <<'EOT'
messages:
  - name: Click
    version: 1
    fields:
      - {name: url, type: string}
  - name: Click
    version: 2
    description: A "click", on anything.
    owner: web@example.com
    format: avro
    partition: day
    fields:
      - {name: url, type: string}
      - {name: n, type: int32}
      - {name: big, type: int64, nullable: true}
      - {name: x, type: double}
      - {name: ok, type: bool}
      - {name: at, type: timestamp}
      - {name: note, type: string, nullable: true}
EOT
cat >"$work/v2.avsc" <<'EOT'
{
  "type": "record",
  "name": "Click_v2",
  "namespace": "barge",
  "doc": "A \"click\", on anything. Owner: web@example.com",
  "fields": [
    {"name": "_time", "type": {"type": "long", "logicalType": "timestamp-millis"}, "doc": "event time of the syslog line, UTC"},
    {"name": "_host", "type": "string", "doc": "host of the syslog line"},
    {"name": "url", "type": "string"},
    {"name": "n", "type": "int"},
    {"name": "big", "type": ["null", "long"], "default": null},
    {"name": "x", "type": "double"},
    {"name": "ok", "type": "boolean"},
    {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
    {"name": "note", "type": ["null", "string"], "default": null}
  ]
}
EOT
cat >"$work/v1.avsc" <<'EOT'
{
  "type": "record",
  "name": "Click_v1",
  "namespace": "barge",
  "fields": [
    {"name": "_time", "type": {"type": "long", "logicalType": "timestamp-millis"}, "doc": "event time of the syslog line, UTC"},
    {"name": "_host", "type": "string", "doc": "host of the syslog line"},
    {"name": "url", "type": "string"}
  ]
}
EOT
: >"$work/empty"

expect 0 "$work/v2.avsc" "" avro-schema -m "$work/m" Click
expect 0 "$work/v2.avsc" "" avro-schema -m "$work/m" Click:2
expect 0 "$work/v1.avsc" "" avro-schema -m "$work/m" Click:1
/usr/bin/python3 -c 'import sys, avro.schema
for f in sys.argv[1:]:
    print(avro.schema.parse(open(f).read()).fullname)' \
    "$work/v1.avsc" "$work/v2.avsc" >"$work/names" ||
    fail "Python's avro refuses the schema (install python3-avro?)"
printf 'barge.Click_v1\nbarge.Click_v2\n' | diff -u - "$work/names" ||
    fail "Python's avro names differ"

expect 1 "$work/empty" "barge: avro-schema: Click: no version 3
" avro-schema -m "$work/m" Click:3
expect 1 "$work/empty" "barge: avro-schema: Tap: no such message
" avro-schema -m "$work/m" Tap
expect 2 "$work/empty" "barge: avro-schema: x: not a version
" avro-schema -m "$work/m" Click:x
expect 2 "$work/empty" "usage: barge avro-schema [--config file | --messages dir] name[:version]
" avro-schema -m "$work/m"

# hive-ddl: version 2 is Avro, version 1 TSV unless barge.yaml says avro.
{
	printf '%s\n' 'CREATE EXTERNAL TABLE IF NOT EXISTS `Click_v2`' \
	    "COMMENT 'A \"click\", on anything.'" \
	    'PARTITIONED BY (`dt` STRING)' 'STORED AS AVRO' \
	    "LOCATION '/r/Click/v2'" 'TBLPROPERTIES ('
	printf "  'avro.schema.literal'='"
	sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g" "$work/v2.avsc" |
	    awk 'NR > 1 { printf "\\n" } { printf "%s", $0 }'
	printf "',\n"
	printf '%s\n' "  'barge.message'='Click:2'," \
	    "  'barge.owner'='web@example.com'" ');' \
	    '-- barged adds a day folder at a time; Hive sees the new ones after:' \
	    '-- MSCK REPAIR TABLE `Click_v2`;'
} >"$work/ddl2"
expect 0 "$work/ddl2" "" hive-ddl -m "$work/m" -l /r Click 2
timeout 30 "$BARGE" hive-ddl -m "$work/m" -l /r Click 1 >"$work/out"
grep -qx 'STORED AS TEXTFILE' "$work/out" ||
    fail "Click:1 without output.format is not TSV"
cat >"$work/barge.yaml" <<EOT
messages_dir: $work/m
output: {format: avro}
EOT
timeout 30 "$BARGE" hive-ddl -c "$work/barge.yaml" -l /r Click 1 >"$work/out"
grep -qx 'STORED AS AVRO' "$work/out" ||
    fail "output.format: avro does not make Click:1 Avro"

# A format barge does not write is refused where it is written.
mkdir "$work/bad"
cat >"$work/bad/p.yaml" <<'EOT'
messages:
  - name: P
    version: 1
    format: parquet
    fields:
      - {name: a, type: string}
EOT
expect 1 "$work/empty" "barge: check: $work/bad/p.yaml:4:13: 'format' must be tsv.gz or avro, not 'parquet'
barge: check: 1 error
" check -m "$work/bad"
printf 'output: {format: orc}\n' >"$work/bad.yaml"
expect 1 "$work/empty" "barge: check: $work/bad.yaml:1:18: 'output.format' is not one of the allowed values: 'orc' (tsv.gz | avro)
barge: check: 1 error
" check -c "$work/bad.yaml"
echo "PASS: avro-schema"
