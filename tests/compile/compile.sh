#!/bin/sh
# The emitter compiles cleanly and behaves the same as C99 and as C++11:
# tests/compile/emit.c is built against <barge/log.h> and a header that
# barge gen-header just wrote, by gcc and clang in both languages with
# -Werror (once more with the stricter warnings a service may use), and
# every build must print exactly tests/compile/emit.expected.
set -eu
. "$top_srcdir/tests/compile/common.sh"

src=$top_srcdir/tests/compile/emit.c
expected=$top_srcdir/tests/compile/emit.expected

# The generated header itself, byte for byte (but the version).
sed 's/(barge [^)]*)/(barge VERSION)/' "$work/barge_messages.h" \
    >"$work/header.out"
diff -u "$top_srcdir/tests/compile/types.h.expected" "$work/header.out" ||
    compile_fail "barge gen-header output differs"

C_EXTRA="-Wshadow -Wconversion -Wsign-conversion -Wcast-qual \
-Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wundef"
CXX_EXTRA="-Wshadow -Wconversion -Wsign-conversion -Wcast-qual \
-Wold-style-cast -Wzero-as-null-pointer-constant -Wformat=2 -Wundef"

n=0
for cc in "$CC" clang; do
	for extra in "" "$C_EXTRA"; do
		n=$((n + 1))
		# shellcheck disable=SC2086
		cc_c "$cc" "$work/emit$n" -DEMIT_PRINT $extra -x c "$src" ||
		    compile_fail "$cc -std=c99 $extra: emit.c did not compile"
		timeout 30 "$work/emit$n" >"$work/out$n"
		diff -u "$expected" "$work/out$n" ||
		    compile_fail "$cc -std=c99 $extra: output differs"
	done
	# The syslog build, as the round trip uses it.
	cc_c "$cc" "$work/emit-syslog$n" -x c "$src" ||
	    compile_fail "$cc -std=c99: emit.c (syslog) did not compile"
done
for cxx in "$CXX" clang++; do
	for extra in "" "$CXX_EXTRA"; do
		n=$((n + 1))
		# shellcheck disable=SC2086
		cc_cxx "$cxx" "$work/emit$n" -DEMIT_PRINT $extra -x c++ "$src" ||
		    compile_fail "$cxx -std=c++11 $extra: emit.c did not compile"
		timeout 30 "$work/emit$n" >"$work/out$n"
		diff -u "$expected" "$work/out$n" ||
		    compile_fail "$cxx -std=c++11 $extra: output differs"
	done
	cc_cxx "$cxx" "$work/emit-syslog$n" -x c++ "$src" ||
	    compile_fail "$cxx -std=c++11: emit.c (syslog) did not compile"
done
echo "compile: $n builds print the expected messages"
