#!/bin/sh
# The Python chain: a module from barge gen-python sends every case of
# tests/emit/emit.py with the standard library's syslog module to the
# unix socket of an rsyslogd of the test's own (tests/rsyslog.sh makes
# /dev/log private); barged tails rsyslogd's traditional file and ships
# to minidfs; the Go hdfs client reads the rows back.  Each row must be
# exactly the row of the C emitter (tests/emit/emit.c through the same
# rsyslogd) for the same values, and rows/emit.expected; the bad values
# of emit.py errors must have sent nothing.
set -eu
: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/rsyslog.sh"
rsyslog_isolate "$@"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"
lib_init emit-python
. "$top_srcdir/tests/emit/common.sh"
emit_python
e2e_init
emit_c
emit_e2e_start

timeout 60 python3 "$T/py/emit.py" "$T/py" send || fail "emit.py send failed"
timeout 60 python3 "$T/py/emit.py" "$T/py" errors >"$T/py.errors" ||
    fail "emit.py errors failed"
grep -q ': sent$' "$T/py.errors" && fail "a bad value was sent"
timeout 30 "$T/c/emit" send || fail "emit send (C) failed"

emit_e2e_rows c p
cmp "$EMIT_DIR/rows.expected" "$T/c.rows" || {
	diff -u "$EMIT_DIR/rows.expected" "$T/c.rows" | cut -c1-200 | cat -A >&2
	fail "the C emitter's rows are not tests/emit/rows.expected"
}
emit_e2e_same p 1
[ "$(wc -l <"$T/all.rows")" = 68 ] ||
    fail "expected 68 rows, got $(wc -l <"$T/all.rows")"
grep -c 'emit-py\[[0-9]*\]: @Emit:1#011p#011' "$E2E_INPUT" >"$T/n" || :
[ "$(cat "$T/n")" = 34 ] || fail "expected 34 lines from emit-py"
e2e_term
echo "PASS: emit-python: 34 rows from Python, each the C emitter's"
