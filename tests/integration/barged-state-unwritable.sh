#!/bin/sh
# The state folder stops being writable under barged (chmod 0555; as
# root, barged runs as nobody so that the mode holds).  barged does not
# exit: it logs the checkpoint it could not write, says so in barge
# status and the metrics, stops reading its input and keeps its PID;
# once the folder is writable again it resumes where it stopped.  Then
# barged is started with the folder not writable: it starts, waits the
# same way, and resumes.  Every row lands in HDFS exactly once.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
lib_init barged-state-unwritable
need_tool jq jq
unset HADOOP_CONF_DIR HADOOP_HOME HADOOP_NAMENODE
BARGED=$top_builddir/src/barged/barged
tab=$(printf '\t')
S=$T/state
mkdir "$S" "$T/spool"
as=
if [ "$(id -u)" = 0 ]; then
	as="-u nobody"
	chmod 0755 "$T"
	chown nobody "$S" "$T/spool"
fi
lock() { chmod 0555 "$S"; }
unlock() { chmod 0755 "$S"; }

row() {
	echo "Nov 26 06:12:0$1 web1 m[1]: @EmailSent:1${tab}u$1${tab}1${tab}c${tab}3${tab}true"
}
status() {
	"$BARGE" status --socket "$T/sock" --json >"$T/s.json" 2>/dev/null
}
files() {
	status && [ "$(jq .uploader.files "$T/s.json")" = "$1" ]
}
stuck() {
	status && [ "$(jq .state_stuck_since_ms "$T/s.json")" != 0 ]
}
offset() {
	status && jq .inputs[0].offset "$T/s.json"
}
hdfs_() {
	"$BARGE" hdfs --namenode "$MD_NN" --user tester "$@"
}
# check_stuck LOG: barged waits with the folder not writable.
check_stuck() {
	wait_for 30 stuck
	grep -qxF "barged: $S/checkpoint.tmp: Permission denied: the state folder $S is not writable: input paused; each sync point tries the checkpoint again" "$1" ||
	    fail "log: $(cat "$1")"
	"$BARGE" status --socket "$T/sock" >"$T/status.txt"
	grep -q '^  state folder not writable for [0-9]* s: input paused until a checkpoint can be written$' \
	    "$T/status.txt" || fail "barge status: $(cat "$T/status.txt")"
	"$BARGE" status --socket "$T/sock" --prometheus >"$T/prom.txt"
	grep -qx 'barge_state_unwritable 1' "$T/prom.txt" ||
	    fail "metrics: $(grep unwritable "$T/prom.txt")"
	grep -qx 'barge_input_paused 0' "$T/prom.txt" ||
	    fail "a full spool reported: $(grep paused "$T/prom.txt")"
	# Input stays paused: a row written now is not read.  Nothing marks
	# a line not read, so this one wait is on time: 3 of the tail's
	# 1 s polls, each of which would have read it.
	held=$(offset)
	row 9 >>"$T/syslog"
	sleep 3
	[ "$(offset)" = "$held" ] || fail "input read while stuck: $(offset)"
	kill -0 "$BPID" || fail "barged exited"
}

start_minidfs md --owner tester
barged_yaml
row 1 >"$T/syslog"
# shellcheck disable=SC2086
lib_start 300 "$BARGED" $as -f -c "$T/barge.yaml" 2>"$T/log"
BPID=$LAST_PID
wait_for 30 files 1

# The folder goes read-only under a running barged.
lock
row 2 >>"$T/syslog"
check_stuck "$T/log"
unlock
wait_for 30 files 2
grep -qxF "barged: state: $S is writable again: input resumed" "$T/log" ||
    fail "no resume logged: $(cat "$T/log")"
[ "$(jq .state_stuck_since_ms "$T/s.json")" = 0 ] ||
    fail "status: $(cat "$T/s.json")"
"$BARGE" status --socket "$T/sock" --prometheus >"$T/prom.txt"
grep -qx 'barge_state_unwritable 0' "$T/prom.txt" ||
    fail "metrics: $(grep unwritable "$T/prom.txt")"
lib_stop "$BPID"

# barged started with the folder not writable.
lock
row 3 >>"$T/syslog"
# shellcheck disable=SC2086
lib_start 300 "$BARGED" $as -f -c "$T/barge.yaml" 2>"$T/log2"
BPID=$LAST_PID
check_stuck "$T/log2"
unlock
wait_for 30 files 1
lib_stop "$BPID"

# Rows 1, 2, 9 (twice, one per wait), 3: each exactly once.
hdfs_ ls -R /r | grep '\.tsv\.gz$' >"$T/ls"
: >"$T/rows"
while read -r f; do hdfs_ cat "$f" | zcat >>"$T/rows"; done <"$T/ls"
cut -f3 "$T/rows" | sort >"$T/got"
printf 'u1\nu2\nu3\nu9\nu9\n' | diff - "$T/got" ||
    fail "rows in HDFS: $(cat "$T/rows")"
echo "barged-state-unwritable: ok"
