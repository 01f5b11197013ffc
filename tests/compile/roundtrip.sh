#!/bin/sh
# Every special value arrives intact: tests/compile/emit.c (through the
# generated header and BARGE_LOG) and barge log send through an rsyslogd
# of the test's own, and barge match on each of rsyslog's output files
# must print exactly the values sent.  tests/rsyslog.sh explains how
# syslog(3)'s /dev/log is made private.
set -eu
. "$top_srcdir/tests/rsyslog.sh"
rsyslog_isolate "$@"
. "$top_srcdir/tests/compile/common.sh"
trap 'rsyslog_stop; rm -rf "$work"' EXIT
messages=$top_srcdir/tests/compile/messages

# row FORMAT: one expected row of barge match, without _time and _host,
# as a printf format (\t a separator, \\ one backslash, \\\t an escaped
# TAB as Hive reads it: backslash, TAB).
row() {
	# shellcheck disable=SC2059
	printf "$1\n"
}

cc_c "$CC" "$work/emit" -x c "$top_srcdir/tests/compile/emit.c" ||
    compile_fail "emit.c did not compile"
rsyslog_start "$work"

timeout 30 "$work/emit" >"$work/emit.out"
# barge log: the same wire format, from the command line.
b() {
	timeout 30 "$BARGE" log --messages "$messages" "$@" ||
	    compile_fail "barge log $*: exit $?"
}
b Text 1 cli-mix "$(printf 'a\tb#011\\N\nc\\')"
b Text 1 cli-null '\N'
b --null NULL Text 1 cli-literal-N '\N'
b --null NULL Text 1 cli-marker NULL
b -p local3.notice -t barge-cli Text 1 cli-priority notice
b AllTypes 2 x '\N' 12345678 -5 '\N' 123 '\N' 1.50 '\N' 1 0 \
    2026-11-26T06:12:01.123Z 1764141121 class -9223372036854775808
b AllTypes 2 '' '' '' 0 0 0 0 -0 0 true false 0 \
    2026-11-26T06:12:01+01:00 c 0
rsyslog_sync
rsyslog_stop

long=$(head -c 7988 /dev/zero | tr '\0' a)
{
	row 'Text:1\ttab\ta\\\tb'
	row 'Text:1\tmacro-tab\ta\\\tb'
	row 'Text:1\tlf\ta\\nb'
	row 'Text:1\tmacro-lf\ta\\nb'
	row 'Text:1\tcr\ta\\rb'
	row 'Text:1\tmacro-cr\ta\\rb'
	row 'Text:1\tcrlf\tline1\\r\\nline2'
	row 'Text:1\tmacro-crlf\tline1\\r\\nline2'
	row 'Text:1\tbackslash\ta\\\\b'
	row 'Text:1\tmacro-backslash\ta\\\\b'
	row 'Text:1\thash011\ta#011b'
	row 'Text:1\tmacro-hash011\ta#011b'
	row 'Text:1\thash\t#'
	row 'Text:1\tmacro-hash\t#'
	row 'Text:1\tinvalid-utf8\t\377\376\303('
	row 'Text:1\tmacro-invalid-utf8\t\377\376\303('
	row 'Text:1\tutf8\th\303\251llo \342\234\223'
	row 'Text:1\tmacro-utf8\th\303\251llo \342\234\223'
	row 'Text:1\tliteral-N\t\\\\N'
	row 'Text:1\tmacro-literal-N\t\\\\N'
	row 'Text:1\tnull\t\\N'
	row 'Text:1\tmacro-null\t\\N'
	row 'Text:1\tempty\t'
	row 'Text:1\tmacro-empty\t'
	row 'Text:1\tspaces\t  lead and trail  '
	row 'Text:1\tmacro-spaces\t  lead and trail  '
	row 'Text:1\tmix\t\\\\t#011\\\t\\\\N\\n\\r\\\\\\\\#\\\\'
	row 'Text:1\tmacro-mix\t\\\\t#011\\\t\\\\N\\n\\r\\\\\\\\#\\\\'
	all='AllTypes:2\tx\ty\t12345678\t-2147483648\t7\t9223372036854775807'
	all="$all"'\t0\t0.1\t-2.5e-300\ttrue\tfalse\t1764141121123'
	all="$all"'\t1764141121000\tk\t-1'
	nulls='AllTypes:2\t\t\\N\t\t2147483647\t\\N\t-9223372036854775808'
	nulls="$nulls"'\t\\N\t1e+300\t\\N\tfalse\t\\N\t0\t\\N\t\t0'
	row "$all"
	row "$nulls"
	row "$all"
	row "$nulls"
	row 'Text:1\tpriority\tnotice'
	row 'Text:1\tpriority\twarning'
	row 'Names:1\tn\t1\ttrue\t\\N'
	row "Text:1\\tfit\\t$long"
	row 'Text:1\tcli-mix\ta\\\tb#011\\\\N\\nc\\\\'
	row 'Text:1\tcli-null\t\\N'
	row 'Text:1\tcli-literal-N\t\\\\N'
	row 'Text:1\tcli-marker\t\\N'
	row 'Text:1\tcli-priority\tnotice'
	row 'AllTypes:2\tx\t\\N\t12345678\t-5\t\\N\t123\t\\N\t1.50\t\\N\ttrue\tfalse\t1795673521123\t1764141121000\tclass\t-9223372036854775808'
	row 'AllTypes:2\t\t\t\t0\t0\t0\t0\t-0\t0\ttrue\tfalse\t0\t1795669921000\tc\t0'
} >"$work/expected"

for f in traditional precise; do
	timeout 30 "$BARGE" match --messages "$messages" "$work/$f.log" \
	    >"$work/$f.rows" || compile_fail "barge match $f.log: exit $?"
	# Drop _time and _host, which depend on the clock and the machine.
	sed 's/^\([A-Za-z0-9_]*:[0-9]*\)	-*[0-9]*	[^	]*	/\1	/' \
	    "$work/$f.rows" >"$work/$f.values"
	cmp "$work/expected" "$work/$f.values" || {
		diff -u "$work/expected" "$work/$f.values" | cut -c1-300 | cat -A >&2
		compile_fail "$f.log: barge match does not give back the values"
	}
done

# The priorities: default info, the _pri variants, barge log -p and -t.
grep -F '#011priority#011' "$work/priority.log" |
    sed 's/^\([a-z0-9]*\.[a-z]*\) \([a-z-]*\)[^:]*: /\1 \2 /' \
    >"$work/priorities"
cat >"$work/priorities.expected" <<'EOT'
user.notice emit @Text:1#011priority#011notice
user.warning emit @Text:1#011priority#011warning
EOT
grep -F 'cli-priority' "$work/priority.log" |
    sed 's/^\([a-z0-9]*\.[a-z]*\) \([a-z-]*\)\[[0-9]*\]: /\1 \2 /' \
    >>"$work/priorities"
echo 'local3.notice barge-cli @Text:1#011cli-priority#011notice' \
    >>"$work/priorities.expected"
diff -u "$work/priorities.expected" "$work/priorities" ||
    compile_fail "priorities differ"
grep -c '^user\.info emit: @' "$work/priority.log" >"$work/ninfo"
[ "$(cat "$work/ninfo")" = 34 ] ||
    compile_fail "expected 34 user.info messages from emit, got $(cat "$work/ninfo")"
echo "roundtrip: $(wc -l <"$work/expected") messages came back intact"
