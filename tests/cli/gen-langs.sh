#!/bin/sh
# barge gen-python and gen-java: choosing definitions, the usage errors,
# two messages that would get one function name, and descriptions and
# field names that would break the generated code if copied as they are.
# (tests/emit checks what the generated code does.)
set -eu
: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
lib_init gen-langs
gen=$top_srcdir/tests/cli/gen
emit=$top_srcdir/tests/emit/messages

# expect STATUS STDERR CMD ARGS...: the exit status and stderr exactly.
expect() {
	_status=$1 _err=$2
	shift 2
	_rc=0
	timeout 30 "$BARGE" "$@" >"$T/out" 2>"$T/err" || _rc=$?
	[ "$_rc" = "$_status" ] || fail "$*: exit $_rc, not $_status"
	printf '%s' "$_err" >"$T/err.expected"
	diff -u "$T/err.expected" "$T/err" || fail "$*: stderr differs"
}

for cmd in gen-python gen-java; do
	expect 2 "barge: $cmd: Emit:x: expected NAME or NAME:VERSION
" "$cmd" -m "$emit" Emit:x
	expect 2 "barge: $cmd: Emit:0: expected NAME or NAME:VERSION
" "$cmd" -m "$emit" Emit:0
	expect 1 "barge: $cmd: Nope: no such message
" "$cmd" -m "$emit" Nope
	expect 1 "barge: $cmd: Emit:2: no such message
" "$cmd" -m "$emit" Emit:2
done

expect 0 "" gen-python -m "$emit" Limits:1
grep -q '^def format_limits_v1($' "$T/out" || fail "no format_limits_v1"
grep -q '^def log_limits_v1($' "$T/out" || fail "no log_limits_v1"
grep -q 'emit_v1' "$T/out" && fail "Emit:1 not asked for"
expect 0 "" gen-java -m "$emit" -p com.example.barge Emit
grep -q '^package com\.example\.barge;$' "$T/out" || fail "no package line"
grep -q 'public static String emitV1($' "$T/out" || fail "no emitV1"
grep -q 'limitsV1' "$T/out" && fail "Limits:1 not asked for"

for p in 1x x. .x a..b 'a b' ''; do
	expect 2 "barge: gen-java: $p: not a Java package name
" gen-java -m "$emit" --package "$p"
done

expect 1 "barge: gen-python: $gen/same-python.yaml:7: Email_Sent:1 and EmailSent:1 ($gen/same-python.yaml:3) would both be email_sent_v1
" gen-python -m "$gen" EmailSent Email_Sent
expect 0 "" gen-java -m "$gen" EmailSent Email_Sent
expect 1 "barge: gen-java: $gen/same-java.yaml:7: allTypes:1 and AllTypes:1 ($gen/same-java.yaml:3) would both be allTypesV1
" gen-java -m "$gen" AllTypes allTypes
expect 1 "barge: gen-python: $gen/same-java.yaml:7: allTypes:1 and AllTypes:1 ($gen/same-java.yaml:3) would both be all_types_v1
" gen-python -m "$gen" AllTypes allTypes

# Descriptions and names that must not break the code.
expect 0 "" gen-python -m "$gen" Tricky
grep -q '^        lambda_: str,$' "$T/out" || fail "lambda not renamed"
grep -q '^        _barge_x_: int,$' "$T/out" || fail "_barge_x not renamed"
if command -v python3 >/dev/null 2>&1; then
	cp "$T/out" "$T/tricky.py"
	timeout 60 python3 -c 'import sys; sys.path.insert(0, sys.argv[1])
import tricky
d = tricky.format_tricky_v1.__doc__
assert d is not None and "ends \"\"\" here, \\\" and \\u000a */" in d, d
print(tricky.format_tricky_v1("x", 1, None))' "$T" >"$T/py.out" ||
	    fail "the module with tricky descriptions does not work"
	printf '@Tricky:1\tx\t1\t\\N\n' | cmp - "$T/py.out" ||
	    fail "format_tricky_v1 gave $(cat "$T/py.out")"
fi
expect 0 "" gen-java -m "$gen" Tricky
grep -q ' String lambda,$' "$T/out" || fail "lambda renamed in Java"
grep -q ' Boolean null_) {$' "$T/out" || fail "null not renamed"
if command -v javac >/dev/null 2>&1; then
	mkdir "$T/j"
	cp "$T/out" "$T/j/BargeMessages.java"
	timeout 300 javac -Xlint:all -Werror -encoding UTF-8 -d "$T/j" \
	    "$T/j/BargeMessages.java" >&2 ||
	    fail "BargeMessages.java with tricky descriptions does not compile"
fi
echo "PASS: gen-langs"
