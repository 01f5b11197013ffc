#!/bin/sh
# barge hive-ddl: the exact statement for a definition holding every type,
# every version when none is given, the root from --location or from the
# configuration's hdfs.root, and the errors.
set -eu
: "${top_srcdir:?}" "${BARGE:?}"
dir=$top_srcdir/tests/cli/ddl
work=$(mktemp -d "${TMPDIR:-/tmp}/barge-hive-ddl.XXXXXX")
trap 'rm -rf "$work"' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect STATUS STDOUT-FILE STDERR-TEXT ARGS...: runs barge hive-ddl.
expect() {
	_status=$1 _out=$2 _err=$3
	shift 3
	_rc=0
	timeout 30 "$BARGE" hive-ddl "$@" >"$work/out" 2>"$work/err" || _rc=$?
	[ "$_rc" = "$_status" ] || fail "hive-ddl $*: exit $_rc, not $_status"
	printf '%s' "$_err" >"$work/err.expected"
	diff -u "$work/err.expected" "$work/err" ||
	    fail "hive-ddl $*: stderr differs"
	diff -u "$_out" "$work/out" || fail "hive-ddl $*: stdout differs"
}

cat >"$work/v1" <<'EOT'
CREATE EXTERNAL TABLE IF NOT EXISTS `PageView_v1` (
  `_time` BIGINT COMMENT 'event time, milliseconds since the epoch, UTC',
  `_host` STRING COMMENT 'host of the syslog line',
  `url` STRING
)
PARTITIONED BY (`dt` STRING, `hour` STRING)
ROW FORMAT DELIMITED
  FIELDS TERMINATED BY '\t'
  ESCAPED BY '\\'
  LINES TERMINATED BY '\n'
STORED AS TEXTFILE
LOCATION 'ROOT/PageView/v1'
TBLPROPERTIES (
  'serialization.escape.crlf'='true',
  'serialization.null.format'='\\N',
  'barge.message'='PageView:1'
);
-- barged adds an hour folder at a time; Hive sees the new ones after:
-- MSCK REPAIR TABLE `PageView_v1`;
EOT
cat >"$work/v2" <<'EOT'
CREATE EXTERNAL TABLE IF NOT EXISTS `PageView_v2` (
  `_time` BIGINT COMMENT 'event time, milliseconds since the epoch, UTC',
  `_host` STRING COMMENT 'host of the syslog line',
  `url` STRING,
  `referrer` STRING,
  `status` INT,
  `bytes` BIGINT,
  `load_seconds` DOUBLE,
  `cached` BOOLEAN,
  `shown_at` BIGINT COMMENT 'milliseconds since the epoch, UTC',
  `session_start` BIGINT COMMENT 'milliseconds since the epoch, UTC'
)
COMMENT 'A page was shown: the user\'s "view", C:\\path'
PARTITIONED BY (`dt` STRING, `hour` STRING)
ROW FORMAT DELIMITED
  FIELDS TERMINATED BY '\t'
  ESCAPED BY '\\'
  LINES TERMINATED BY '\n'
STORED AS TEXTFILE
LOCATION 'ROOT/PageView/v2'
TBLPROPERTIES (
  'serialization.escape.crlf'='true',
  'serialization.null.format'='\\N',
  'barge.message'='PageView:2',
  'barge.owner'='web@example.com'
);
-- barged adds an hour folder at a time; Hive sees the new ones after:
-- MSCK REPAIR TABLE `PageView_v2`;
EOT
# root FILE ROOT: FILE with its LOCATION under ROOT.
root() {
	sed "s|'ROOT/|'$2/|" "$work/$1"
}

root v2 hdfs://nn1.example.com:8020/data >"$work/v2.nn"
expect 0 "$work/v2.nn" "" --messages "$dir/messages" \
    --location hdfs://nn1.example.com:8020/data// PageView 2

# No version: every version, in order, a blank line apart.  Without
# --location, the default hdfs.root of barge.yaml(5).
{ root v1 /data/barge; echo; root v2 /data/barge; } >"$work/all"
expect 0 "$work/all" "" --messages "$dir/messages" PageView

root v1 /warehouse/barge >"$work/v1.cfg"
expect 0 "$work/v1.cfg" "" --config "$dir/barge.yaml" PageView 1

: >"$work/empty"
expect 1 "$work/empty" "barge: hive-ddl: Nope: no such message
" --messages "$dir/messages" Nope
expect 1 "$work/empty" "barge: hive-ddl: PageView: no version 3
" --messages "$dir/messages" PageView 3
expect 2 "$work/empty" "barge: hive-ddl: 2x: not a version
" --messages "$dir/messages" PageView 2x
expect 2 "$work/empty" "usage: barge hive-ddl [--config file | --messages dir] [--location root] name [version]
" --messages "$dir/messages"
# partition: day: dt folders only.
cat >"$work/rare" <<'EOT'
CREATE EXTERNAL TABLE IF NOT EXISTS `Rare_v1` (
  `_time` BIGINT COMMENT 'event time, milliseconds since the epoch, UTC',
  `_host` STRING COMMENT 'host of the syslog line',
  `what` STRING
)
PARTITIONED BY (`dt` STRING)
ROW FORMAT DELIMITED
  FIELDS TERMINATED BY '\t'
  ESCAPED BY '\\'
  LINES TERMINATED BY '\n'
STORED AS TEXTFILE
LOCATION '/data/barge/Rare/v1'
TBLPROPERTIES (
  'serialization.escape.crlf'='true',
  'serialization.null.format'='\\N',
  'barge.message'='Rare:1'
);
-- barged adds a day folder at a time; Hive sees the new ones after:
-- MSCK REPAIR TABLE `Rare_v1`;
EOT
expect 0 "$work/rare" "" --messages "$dir/messages" Rare
echo "hive-ddl: ok"
