# Helpers for the shell tests, sourced after `set -eu`.
#
#	lib_init NAME		temp dir in $T, removed on exit with every
#				process started through lib_start stopped
#	fail MESSAGE		prints "FAIL: NAME: MESSAGE", exits 1
#	need_tool TOOL PKG	fails naming the Debian package PKG if TOOL is
#				missing
#	lib_start SECS CMD...	runs CMD in the background under timeout(1),
#				records its PID in $PIDS and $LAST_PID
#	lib_stop PID		stops one process started by lib_start
#	wait_for SECS CMD...	polls CMD every 50 ms until it succeeds; fails
#				after SECS seconds
#	start_minidfs NAME ARGS...
#				starts minidfs with data, port file and log
#				under $T/NAME; sets MD_NN (127.0.0.1:port),
#				MD_NN2 (the second of an HA pair, if any),
#				MD_DN (DataNode ports), MD_LOG and MD_PID;
#				minidfs writes nothing to stderr unless
#				something is wrong (a sanitizer report): the
#				test then fails.
#	barged_yaml [METRICS [HDFS]]
#				writes $T/barge.yaml for one barged (host h1)
#				reading $T/syslog from its beginning into
#				/r on minidfs $MD_NN as user tester, with the
#				example definitions, spool, state and control
#				socket ($T/sock) under $T, batches of 1 s;
#				METRICS is control.metrics (default: off),
#				HDFS more keys of the hdfs map
#	free_port		prints a loopback port no socket holds, below
#				the ephemeral range
#	hadoop_xml FILE NAME VALUE [NAME VALUE...]
#				writes a Hadoop configuration file (for
#				HADOOP_CONF_DIR) in the shape clusters ship:
#				declaration, stylesheet, a block per property

lib_init() {
	LIB_NAME=$1
	PIDS=""
	LIB_QUIET=""
	T=$(mktemp -d "${TMPDIR:-/tmp}/barge-$LIB_NAME.XXXXXX")
	trap lib_cleanup EXIT
	trap 'exit 1' INT TERM HUP
}

lib_cleanup() {
	lib_rc=$?
	for lib_p in $PIDS; do
		kill -TERM "$lib_p" 2>/dev/null || :
	done
	for lib_p in $PIDS; do
		wait "$lib_p" 2>/dev/null || :
	done
	for lib_f in $LIB_QUIET; do
		if [ -s "$lib_f" ]; then
			echo "FAIL: $LIB_NAME: $lib_f is not empty:" >&2
			head -n 20 "$lib_f" >&2
			lib_rc=1
		fi
	done
	if [ "$lib_rc" -eq 0 ] || [ -z "${KEEP_TMP:-}" ]; then
		rm -rf "$T"
	else
		echo "kept $T"
	fi
	exit "$lib_rc"
}

fail() {
	echo "FAIL: $LIB_NAME: $*" >&2
	exit 1
}

need_tool() {
	command -v "$1" >/dev/null 2>&1 ||
	    fail "$1 is missing: install the Debian package $2"
}

lib_start() {
	lib_secs=$1
	shift
	timeout "$lib_secs" "$@" &
	LAST_PID=$!
	PIDS="$PIDS $LAST_PID"
}

lib_stop() {
	kill -TERM "$1" 2>/dev/null || :
	wait "$1" 2>/dev/null || :
	lib_left=""
	for lib_p in $PIDS; do
		[ "$lib_p" = "$1" ] || lib_left="$lib_left $lib_p"
	done
	PIDS=$lib_left
}

wait_for() {
	lib_deadline=$(($(date +%s) + $1))
	shift
	until "$@"; do
		[ "$(date +%s)" -lt "$lib_deadline" ] ||
		    fail "timed out waiting for: $*"
		sleep 0.05
	done
}

start_minidfs() {
	lib_md=$1
	shift
	MINIDFS=${MINIDFS:-${top_builddir:?}/tests/minidfs/minidfs}
	[ -x "$MINIDFS" ] || fail "$MINIDFS is not built"
	mkdir -p "$T/$lib_md"
	lib_start 900 "$MINIDFS" --data-dir "$T/$lib_md/data" \
	    --port-file "$T/$lib_md/ports" --log "$T/$lib_md/log" "$@" \
	    2>"$T/$lib_md/stderr"
	MD_PID=$LAST_PID
	LIB_QUIET="$LIB_QUIET $T/$lib_md/stderr"
	wait_for 10 test -s "$T/$lib_md/ports"
	MD_NN=127.0.0.1:$(sed -n 's/^nn=\([0-9]*\) .*/\1/p' "$T/$lib_md/ports")
	MD_DN=$(sed -n 's/.* dn=\([0-9,]*\).*/\1/p' "$T/$lib_md/ports" |
	    tr , ' ')
	MD_NN2=$(sed -n 's/.* nn2=\([0-9]*\).*/127.0.0.1:\1/p' \
	    "$T/$lib_md/ports")
	MD_LOG=$T/$lib_md/log
	MD_DATA=$T/$lib_md/data
}

# free_port: a port of 127.0.0.1 that no TCP or UDP socket holds, below
# the kernel's ephemeral range.  Inside it, any outgoing connection or
# bind to port 0 of another test may take the port between this check
# and the bind; below it only an explicit bind can.
free_port() {
	lib_lo=$(cut -f 1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null) ||
	    lib_lo=32768
	[ "$lib_lo" -gt 11000 ] 2>/dev/null || lib_lo=32768
	for lib_try in 1 2 3 4 5 6 7 8 9 10; do
		lib_port=$(shuf -i "10000-$((lib_lo - 1))" -n 1)
		if ! ss -Htuan "sport = :$lib_port" | grep -q .; then
			echo "$lib_port"
			return 0
		fi
	done
	fail "no free port below $lib_lo after 10 tries"
}

barged_yaml() {
	cat >"$T/barge.yaml" <<EOF
host: h1
messages_dir: $top_srcdir/conf/messages.d
inputs:
  - {path: $T/syslog, start_at: beginning}
hdfs: {namenodes: ['$MD_NN'], user: tester, root: /r${2:+, $2}}
spool: {dir: $T/spool}
state_dir: $T/state
batch: {max_age: 1s}
control: {socket: $T/sock, metrics: '${1:-}'}
EOF
}

hadoop_xml() {
	lib_xml=$1
	shift
	{
		echo '<?xml version="1.0" encoding="UTF-8"?>'
		echo '<?xml-stylesheet type="text/xsl" href="configuration.xsl"?>'
		echo '<configuration>'
		while [ $# -ge 2 ]; do
			printf '  <property>\n    <name>%s</name>\n' "$1"
			printf '    <value>%s</value>\n  </property>\n' "$2"
			shift 2
		done
		echo '</configuration>'
	} >"$lib_xml"
}
