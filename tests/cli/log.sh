#!/bin/sh
# barge log refuses what barged would refuse, before sending anything:
# each case asserts the exit status and the exact message on stderr.
# (tests/compile/roundtrip.sh checks what it does send.)
set -eu
: "${top_srcdir:?}" "${BARGE:?}"
messages=$top_srcdir/tests/compile/messages
work=$(mktemp -d "${TMPDIR:-/tmp}/barge-log.XXXXXX")
trap 'rm -rf "$work"' EXIT
n=0

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect STATUS STDERR ARGS...: runs barge log --messages DIR ARGS.
expect() {
	_status=$1 _err=$2
	shift 2
	_rc=0
	timeout 30 "$BARGE" log --messages "$messages" "$@" >"$work/out" \
	    2>"$work/err" || _rc=$?
	[ "$_rc" = "$_status" ] || {
		cat "$work/err" >&2
		fail "log $*: exit $_rc, not $_status"
	}
	printf '%s\n' "$_err" >"$work/err.expected"
	diff -u "$work/err.expected" "$work/err" || fail "log $*: stderr"
	[ ! -s "$work/out" ] || fail "log $*: wrote to stdout"
	n=$((n + 1))
}

# bad FIELD VALUE STDERR: AllTypes:2, valid but for FIELD set to VALUE,
# is refused with STDERR.
bad() {
	s=x s_null='\N' s_max=12345678 i32=1 i32_null='\N' i64=2 i64_null='\N'
	d=0.5 d_null='\N' b=true b_null='\N' ts_ms=0 ts_s='\N' class=k unix=0
	eval "$1=\$2"
	expect 1 "$3" AllTypes 2 "$s" "$s_null" "$s_max" "$i32" "$i32_null" \
	    "$i64" "$i64_null" "$d" "$d_null" "$b" "$b_null" "$ts_ms" \
	    "$ts_s" "$class" "$unix"
}

bad i32 12x "barge: log: i32: bad-int32: '12x' is not an int32"
bad i32 2147483648 \
    "barge: log: i32: bad-int32: '2147483648' is not an int32"
bad i32 +1 "barge: log: i32: bad-int32: '+1' is not an int32"
bad i32 ' 1' "barge: log: i32: bad-int32: ' 1' is not an int32"
bad i32_null '' "barge: log: i32_null: bad-int32: '' is not an int32"
bad i64 9223372036854775808 \
    "barge: log: i64: bad-int64: '9223372036854775808' is not an int64"
bad d nan "barge: log: d: bad-double: 'nan' is not a finite double"
bad d -inf "barge: log: d: bad-double: '-inf' is not a finite double"
bad d 1e999 "barge: log: d: bad-double: '1e999' is not a finite double"
bad d 0.5x "barge: log: d: bad-double: '0.5x' is not a finite double"
bad b yes "barge: log: b: bad-bool: 'yes' is not true, false, 1 or 0"
bad b_null TRUE \
    "barge: log: b_null: bad-bool: 'TRUE' is not true, false, 1 or 0"
bad ts_ms yesterday "barge: log: ts_ms: bad-timestamp: 'yesterday' is \
neither an integer in milliseconds nor RFC 3339"
bad ts_s 2026-13-01T00:00:00Z "barge: log: ts_s: bad-timestamp: \
'2026-13-01T00:00:00Z' is neither an integer in seconds nor RFC 3339"
bad s '\N' \
    "barge: log: s: null-not-allowed: NULL for a field that is not nullable"
bad class '\N' "barge: log: class: null-not-allowed: NULL for a field \
that is not nullable"
bad s_max 123456789 \
    "barge: log: s_max: too-long: 9 bytes, longer than max_length 8"
bad s "$(printf 'a\001b')" \
    "barge: log: s: control character other than TAB, LF or CR"
bad s_null "$(printf 'a\177')" \
    "barge: log: s_null: control character other than TAB, LF or CR"

expect 1 "barge: log: Text:1: 1 value for 2 fields" Text 1 only
expect 1 "barge: log: Text:1: 3 values for 2 fields" Text 1 a b c
expect 1 "barge: log: Nope: no such message" Nope 1 a
expect 1 "barge: log: Text: no version 2" Text 2 a b
long=$(head -c 7989 /dev/zero | tr '\0' a)
expect 1 "barge: log: Text:1: message too long (more than 8000 bytes)" \
    Text 1 fit "$long"
expect 2 "barge: log: 1x: not a version" Text 1x a b
expect 2 "barge: log: user.loud: unknown priority" -p user.loud Text 1 a b
expect 2 "barge: log: nosuch.info: unknown priority" -p nosuch.info \
    Text 1 a b
expect 2 "usage: barge log [--config file | --messages dir] [--priority pri] \
[--tag tag] [--null marker] name version [value ...]" Text
echo "log: $n refusals as expected"
