# Sourced by tests/emit/*.sh and tests/e2e/emit-*.sh after tests/lib.sh
# and lib_init: the emitters of the three languages built from
# tests/emit/messages by the barge just built, and checked by their own
# tools.  A tool that is not installed skips the test (exit 77); every
# failure of one that is fails it.
#
#	emit_need TOOL PKG	skips the test unless TOOL is installed
#	emit_c			$T/c/emit from emit.c and gen-header
#	emit_python		$T/py/barge_messages.py, through mypy --strict
#				(as Python 3.9) and pyflakes, with emit.py
#	emit_java		$T/java/*.class from gen-java and Emit.java,
#				javac --release 8 -Xlint:all -Werror
#	emit_same_as_c FILE SRC	FILE (texts or rows of src SRC) equals the C
#				emitter's $T/c.texts with src "c" made SRC

EMIT_DIR=$top_srcdir/tests/emit
EMIT_MESSAGES=$EMIT_DIR/messages

emit_need() {
	if ! command -v "$1" >/dev/null 2>&1; then
		echo "SKIP: $LIB_NAME: $1 not found (Debian package $2)"
		exit 77
	fi
}

emit_c() {
	mkdir -p "$T/c"
	timeout 60 "$BARGE" gen-header --messages "$EMIT_MESSAGES" \
	    >"$T/c/barge_messages.h" || fail "barge gen-header failed"
	# shellcheck disable=SC2086 # CC may carry flags
	timeout 120 ${CC:-cc} -std=c99 -Wall -Wextra -pedantic -Werror \
	    -I"$top_srcdir/include" -I"$T/c" -o "$T/c/emit" \
	    "$EMIT_DIR/emit.c" || fail "emit.c did not compile"
	timeout 30 "$T/c/emit" print >"$T/c.texts" ||
	    fail "emit print (C) failed"
}

emit_python() {
	emit_need python3 python3
	emit_need mypy mypy
	emit_need pyflakes3 pyflakes3
	mkdir -p "$T/py"
	timeout 60 "$BARGE" gen-python --messages "$EMIT_MESSAGES" \
	    >"$T/py/barge_messages.py" || fail "barge gen-python failed"
	cp "$EMIT_DIR/emit.py" "$T/py/emit.py"
	(cd "$T/py" && timeout 300 mypy --strict --python-version 3.9 \
	    --cache-dir "$T/py/.mypy_cache" barge_messages.py emit.py) \
	    >"$T/py/mypy.out" 2>&1 || {
		cat "$T/py/mypy.out" >&2
		fail "mypy --strict found errors"
	}
	timeout 60 pyflakes3 "$T/py/barge_messages.py" "$T/py/emit.py" >&2 ||
	    fail "pyflakes found errors"
}

emit_java() {
	emit_need javac default-jdk-headless
	emit_need java default-jdk-headless
	mkdir -p "$T/java/classes"
	timeout 60 "$BARGE" gen-java --messages "$EMIT_MESSAGES" \
	    >"$T/java/BargeMessages.java" || fail "barge gen-java failed"
	timeout 300 javac --release 8 -Xlint:all -Werror -encoding UTF-8 \
	    -d "$T/java/classes" "$T/java/BargeMessages.java" \
	    "$EMIT_DIR/Emit.java" >&2 || fail "javac failed"
}

emit_same_as_c() {
	sed "s/^\\(@*Emit:1	\\)$2	/\\1c	/" "$1" >"$1.as-c"
	cmp "$T/c.texts" "$1.as-c" || {
		diff -u "$T/c.texts" "$1.as-c" | cut -c1-200 | cat -A >&2
		fail "$1 differs from what the C emitter gives"
	}
}

# The end-to-end tests (after tests/rsyslog.sh's rsyslog_isolate and
# tests/e2e/common.sh's e2e_init):
#
#	emit_e2e_start		minidfs, an rsyslogd of the test's own, and
#				barged tailing its traditional file with the
#				definitions of tests/emit/messages
#	emit_e2e_rows SRC...	once everything sent is in HDFS: the rows of
#				each SRC (without _time and _host) in
#				$T/SRC.rows, sorted; fails if anything was
#				quarantined or is in another folder
#	emit_e2e_same SRC N	$T/SRC.rows holds every row of $T/c.rows N
#				times, with src SRC, and nothing else
emit_e2e_start() {
	cp "$EMIT_MESSAGES"/*.yaml "$T/messages/"
	start_minidfs md --owner "$E2E_USER"
	mkdir "$T/rs"
	rsyslog_start "$T/rs"
	PIDS="$PIDS $rsyslog_pid"
	E2E_INPUT=$T/rs/traditional.log
	e2e_config "$MD_NN"
	e2e_start
}

emit_e2e_rows() {
	rsyslog_sync
	wait_for 60 e2e_drained "$E2E_INPUT"
	timeout 60 "$BARGE" hdfs --namenode "$MD_NN" ls -R /barge >"$T/ls" ||
	    fail "barge hdfs ls -R /barge failed"
	if grep '\.gz$' "$T/ls" | grep -v '^/barge/Emit/v1/dt=[^/]*/hour=[0-9]*/[^/]*\.tsv\.gz$'; then
		fail "files outside /barge/Emit/v1 (quarantined?)"
	fi
	# shellcheck disable=SC2046
	HADOOP_NAMENODE=$MD_NN timeout 60 hdfs cat $(grep '\.gz$' "$T/ls") \
	    >"$T/all.gz" || fail "hdfs cat failed"
	zcat "$T/all.gz" | cut -f3- >"$T/all.rows" || fail "not gzip"
	for emit_src in "$@"; do
		grep "^$emit_src	" "$T/all.rows" | LC_ALL=C sort \
		    >"$T/$emit_src.rows" || :
	done
}

emit_e2e_same() {
	emit_n=0
	: >"$T/want.$1.rows"
	while [ "$emit_n" -lt "$2" ]; do
		sed "s/^c	/$1	/" "$T/c.rows" >>"$T/want.$1.rows"
		emit_n=$((emit_n + 1))
	done
	LC_ALL=C sort -o "$T/want.$1.rows" "$T/want.$1.rows"
	cmp "$T/want.$1.rows" "$T/$1.rows" || {
		diff -u "$T/want.$1.rows" "$T/$1.rows" | cut -c1-200 | cat -A >&2
		fail "the rows of $1 differ from the C emitter's"
	}
}
