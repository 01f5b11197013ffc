#!/bin/sh
# A wrong type or a missing field is a compile error.  Each case calls a
# generated function (or BARGE_LOG) wrongly; gcc and clang must refuse it
# as C99 (with -pedantic-errors: the standard requires the diagnostic)
# and as C++11 (no flag needed), each with the diagnostic named here.
# The same program with a correct call must compile, so that a failure
# cannot come from anything else.
set -eu
. "$top_srcdir/tests/compile/common.sh"

good='barge_log_AllTypes_v2("x", NULL, "", 1, &i32, 2, NULL, 0.5, NULL, true, NULL, 0, NULL, "", 3)'

# try NAME CALL C-REGEX C++-REGEX
try() {
	cat >"$work/case.c" <<EOT
#include "barge_messages.h"
int
main(void)
{
	const int32_t	i32 = 1;

	(void)i32;
	return $2;
}
EOT
	for cc in "$CC" clang; do
		if timeout 120 $cc -std=c99 -pedantic-errors -I"$top_srcdir/include" \
		    -I"$work" -fsyntax-only -x c "$work/case.c" \
		    >"$work/diag" 2>&1; then
			compile_fail "$1: $cc accepted: $2"
		fi
		grep -Eq "$3" "$work/diag" || {
			cat "$work/diag" >&2
			compile_fail "$1: $cc: expected /$3/"
		}
	done
	for cxx in "$CXX" clang++; do
		if timeout 120 $cxx -std=c++11 -I"$top_srcdir/include" \
		    -I"$work" -fsyntax-only -x c++ "$work/case.c" \
		    >"$work/diag" 2>&1; then
			compile_fail "$1: $cxx accepted: $2"
		fi
		grep -Eq "$4" "$work/diag" || {
			cat "$work/diag" >&2
			compile_fail "$1: $cxx: expected /$4/"
		}
	done
	echo "ok: $1"
}

# The control: the right call compiles in all four.
cat >"$work/good.c" <<EOT
#include "barge_messages.h"
int
main(void)
{
	const int32_t	i32 = 1;

	return $good;
}
EOT
for cc in "$CC" clang; do
	cc_c "$cc" "$work/good" -x c "$work/good.c" ||
	    compile_fail "the correct call does not compile with $cc"
done
for cxx in "$CXX" clang++; do
	cc_cxx "$cxx" "$work/good" -x c++ "$work/good.c" ||
	    compile_fail "the correct call does not compile with $cxx"
done

try "string for a nullable int32" \
    'barge_log_AllTypes_v2("x", NULL, "", 1, "7", 2, NULL, 0.5, NULL, true, NULL, 0, NULL, "", 3)' \
    "argument 5 of .barge_log_AllTypes_v2. from incompatible pointer type|incompatible pointer types passing 'char\[2\]' to parameter of type 'const int32_t \*'" \
    "cannot convert .const char\*. to .const int32_t\*.|no known conversion from 'const char\[2\]' to 'const int32_t \*'.* for 5th argument"

try "value for a nullable int32 (a pointer)" \
    'barge_log_AllTypes_v2("x", NULL, "", 1, 7, 2, NULL, 0.5, NULL, true, NULL, 0, NULL, "", 3)' \
    "argument 5 of .barge_log_AllTypes_v2. makes pointer from integer|incompatible integer to pointer conversion passing 'int' to parameter of type 'const int32_t \*'" \
    "invalid conversion from .int. to .const int32_t\*.|no known conversion from 'int' to 'const int32_t \*'.* for 5th argument"

try "string for an int32" \
    'barge_log_AllTypes_v2("x", NULL, "", "1", &i32, 2, NULL, 0.5, NULL, true, NULL, 0, NULL, "", 3)' \
    "argument 4 of .barge_log_AllTypes_v2. makes integer from pointer|incompatible pointer to integer conversion passing 'char\[2\]' to parameter of type 'int32_t'" \
    "invalid conversion from .const char\*. to .int32_t.|no known conversion from 'const char\[2\]' to 'int32_t'.* for 4th argument"

try "int64 pointer for a nullable bool" \
    'barge_log_AllTypes_v2("x", NULL, "", 1, &i32, 2, NULL, 0.5, NULL, true, (const int64_t *)NULL, 0, NULL, "", 3)' \
    "argument 11 of .barge_log_AllTypes_v2. from incompatible pointer type|incompatible pointer types passing 'const int64_t \*' .* to parameter of type 'const _*[bB]ool \*'" \
    "cannot convert .const int64_t\*. .* to .const bool\*.|no known conversion from 'const int64_t \*' .* to 'const bool \*'.* for 11th argument"

try "a missing field" \
    'barge_log_AllTypes_v2("x", NULL, "", 1, &i32, 2, NULL, 0.5, NULL, true, NULL, 0, NULL, "")' \
    "too few arguments to function" \
    "too few arguments to function|requires 15 arguments, but 14 were provided"

try "one field too many" \
    'barge_log_Text_v1("a", "b", "c")' \
    "too many arguments to function" \
    "too many arguments to function|requires 2 arguments, but 3 were provided"

try "string for BARGE_INT32" \
    'BARGE_LOG("Text", 1, BARGE_INT32("x"), BARGE_NULL)' \
    "argument 1 of .barge_log_v_int32_. makes integer from pointer|incompatible pointer to integer conversion passing 'char\[2\]' to parameter of type 'int32_t'" \
    "invalid conversion from .const char\*. to .int32_t.|no matching function for call to 'barge_log_v_int32_'"
