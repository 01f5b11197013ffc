#!/bin/sh
# barge gen-python: the module passes mypy --strict and pyflakes, gives
# for every case the same message text as the C emitter, byte for byte,
# and refuses every bad value with the exact exception expected.
set -eu
: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
lib_init emit-python-unit
. "$top_srcdir/tests/emit/common.sh"
emit_python
emit_c
timeout 60 python3 "$T/py/emit.py" "$T/py" print >"$T/py.texts" ||
    fail "emit.py print failed"
[ "$(wc -l <"$T/py.texts")" = 34 ] || fail "expected 34 texts"
emit_same_as_c "$T/py.texts" p
timeout 60 python3 "$T/py/emit.py" "$T/py" errors >"$T/py.errors" ||
    fail "emit.py errors failed"
diff -u "$EMIT_DIR/python-errors.expected" "$T/py.errors" ||
    fail "the errors differ"
echo "PASS: emit-python-unit: 34 texts as C's, $(wc -l <"$T/py.errors") errors"
