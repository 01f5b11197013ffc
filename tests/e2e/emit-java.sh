#!/bin/sh
# The Java chain: a class from barge gen-java builds every case of
# tests/emit/Emit.java, and its Sender sends them twice in UDP datagrams
# to 127.0.0.1, once as RFC 5424 and once as RFC 3164, to the imudp port
# of an rsyslogd of the test's own; barged tails rsyslogd's traditional
# file (where a 5424 message's tag has no ':') and ships to minidfs; the
# Go hdfs client reads the rows back.  Each row must be exactly the row
# of the C emitter (tests/emit/emit.c through the same rsyslogd) for the
# same values, twice, and nothing may be quarantined.
set -eu
: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/rsyslog.sh"
rsyslog_isolate "$@"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"
lib_init emit-java
. "$top_srcdir/tests/emit/common.sh"
emit_java
e2e_init
emit_c
need_tool ss iproute2
# A UDP port of loopback that nothing uses now.
RSYSLOG_UDP_PORT=$(free_port)
export RSYSLOG_UDP_PORT
emit_e2e_start

j() {
	timeout 120 java -cp "$T/java/classes" Emit "$@"
}
j send 127.0.0.1 "$RSYSLOG_UDP_PORT" RFC5424 || fail "Emit send RFC5424 failed"
j send 127.0.0.1 "$RSYSLOG_UDP_PORT" RFC3164 || fail "Emit send RFC3164 failed"
timeout 30 "$T/c/emit" send || fail "emit send (C) failed"

# Datagrams are not ordered with the socket's lines: wait for them.
java_lines() {
	[ "$(grep -c " emit-java\\[[0-9]*\\]$1 @Emit:1#011j#011" \
	    "$E2E_INPUT")" = 34 ]
}
wait_for 30 java_lines ""
wait_for 30 java_lines ":"
emit_e2e_rows c j
cmp "$EMIT_DIR/rows.expected" "$T/c.rows" ||
    fail "the C emitter's rows are not tests/emit/rows.expected"
emit_e2e_same j 2
[ "$(wc -l <"$T/all.rows")" = 102 ] ||
    fail "expected 102 rows, got $(wc -l <"$T/all.rows")"
e2e_term
echo "PASS: emit-java: 68 rows from Java (RFC 5424 and 3164), each the C emitter's"
