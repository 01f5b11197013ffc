#!/bin/sh
# barge gen-java: the class compiles as Java 8 with javac -Xlint:all
# -Werror, gives for every case the same message text as the C emitter,
# byte for byte, refuses every bad value with the exact exception
# expected, and its Sender writes the datagrams of RFC 5424 and 3164.
set -eu
: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
lib_init emit-java-unit
. "$top_srcdir/tests/emit/common.sh"
emit_java
emit_c
j() {
	timeout 120 java -cp "$T/java/classes" Emit "$@"
}
j print >"$T/java.texts" || fail "Emit print failed"
[ "$(wc -l <"$T/java.texts")" = 34 ] || fail "expected 34 texts"
emit_same_as_c "$T/java.texts" j
j errors >"$T/java.errors" || fail "Emit errors failed"
diff -u "$EMIT_DIR/java-errors.expected" "$T/java.errors" ||
    fail "the errors differ"
TZ=UTC j datagram >"$T/java.datagrams" || fail "Emit datagram failed"
sed -E 's/^(<[0-9]+>1 [^ ]+) [^ ]+ emit-java [0-9]+ /\1 HOST emit-java PID /
    s/^(<[0-9]+>[A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8}) [^ ]+ emit-java\[[0-9]+\]: /\1 HOST emit-java[PID]: /' \
    "$T/java.datagrams" >"$T/java.datagrams.masked"
diff -u "$EMIT_DIR/java-datagram.expected" "$T/java.datagrams.masked" ||
    fail "the datagrams differ"
echo "PASS: emit-java-unit: 34 texts as C's, $(wc -l <"$T/java.errors") errors"
