#!/bin/sh
# The real chain: logger -> an rsyslogd of the test's own (private
# socket, config, pid file, work directory and output file, written in
# Debian's traditional format, TAB as #011) -> barged tailing that file
# -> minidfs.  logrotate (own config and state file) rotates the file
# twice while barged reads it: once with create (rsyslogd told to reopen
# by SIGHUP, lines still flowing), once with copytruncate; and once with
# create while barged is stopped, with unread lines on both sides.  Every row is
# read back with the Go hdfs client and zcat and must equal what was
# sent, once; every invalid line must be in the quarantine, once.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"
lib_init rsyslog-logrotate
e2e_init
need_tool rsyslogd rsyslog
need_tool logger bsdutils
need_tool logrotate logrotate

start_minidfs md --owner "$E2E_USER"
e2e_config "$MD_NN"

mkdir "$T/rsyslog"
cat >"$T/rsyslog.conf" <<EOF
global(workDirectory="$T/rsyslog")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$T/log.sock" RateLimit.Interval="0")
*.* action(type="omfile" file="$E2E_INPUT"
    template="RSYSLOG_TraditionalFileFormat")
EOF
lib_start 300 rsyslogd -n -f "$T/rsyslog.conf" -i "$T/rsyslog.pid" \
    2>"$T/rsyslog.err"
wait_for 10 test -S "$T/log.sock"
wait_for 10 test -s "$T/rsyslog.pid"

for how in create copytruncate; do
	cat >"$T/logrotate-$how.conf" <<EOF
$E2E_INPUT {
	rotate 5
	$how
	postrotate
		kill -HUP \$(cat $T/rsyslog.pid)
	endscript
}
EOF
done

# send FIRST LAST: those lines through rsyslogd, real TABs between fields.
send() {
	e2e_gen "$1" "$2" '\t' | timeout 60 logger -u "$T/log.sock" -t e2e ||
	    fail "logger failed"
}

# Waits until rsyslogd wrote everything sent before: messages from one
# socket are written in order, so a marker sent last shows it.
marks=0
synced() {
	marks=$((marks + 1))
	echo "e2e-sync-$marks" | timeout 10 logger -u "$T/log.sock" -t e2e
	wait_for 20 marker_written "e2e-sync-$marks"
}
marker_written() {
	cat "$E2E_INPUT"* | grep -qx ".* e2e: $1"
}

rotate() {
	timeout 30 logrotate -f -s "$T/logrotate.state" \
	    "$T/logrotate-$1.conf" || fail "logrotate ($1) failed"
}

e2e_start
send 1 500
synced
# Shipped before the rotations: segments on both sides of them.
wait_for 30 e2e_drained "$E2E_INPUT"

# Rotation by rename and create while lines flow: rsyslogd writes to
# the renamed file until its SIGHUP; barged must read it to its end.
(for k in 0 1 2 3 4 5 6 7 8 9; do
	send $((501 + k * 100)) $((600 + k * 100))
done) &
SENDER=$!
PIDS="$PIDS $SENDER"
wait_for 20 grep -q '#011900#011' "$E2E_INPUT"
rotate create
wait "$SENDER" || fail "sending during the rotation failed"
synced
[ -s "$E2E_INPUT.1" ] || fail "logrotate did not rotate by create"
wait_for 30 e2e_drained "$E2E_INPUT"

# copytruncate loses whatever is written between its copy and its
# truncation, whoever reads; so nothing is sent meanwhile, but lines
# follow at once, and barged must start the truncated file over.
wait_for 30 e2e_caught_up "$E2E_INPUT"
rotate copytruncate
send 1501 2000
synced
[ -s "$E2E_INPUT.2" ] || fail "logrotate did not rotate twice"
wait_for 30 e2e_drained "$E2E_INPUT"

# Rotated while barged is down: at its start it finds the file its
# checkpoint names at syslog.1 and reads it to its end first.
e2e_term
send 2001 2300
synced
rotate create
send 2301 2600
synced
[ -s "$E2E_INPUT.3" ] || fail "logrotate did not rotate three times"
e2e_start

wait_for 60 e2e_drained "$E2E_INPUT"
e2e_collect "$MD_NN"
e2e_expect "$E2E_INPUT.3" "$E2E_INPUT.2" "$E2E_INPUT.1" "$E2E_INPUT"
e2e_compare 1 2600

# barged's own counters (since its restart: lines 2001..2600) agree.
rows=$(awk -F '\t' '$3 > 2000' "$T/want.rows" | wc -l)
invalid=$(seq 2001 2600 |
    awk '$1 % 20 == 7 || $1 % 20 == 13 || $1 % 20 == 17 || $1 % 20 == 19' |
    wc -l)
[ "$(e2e_json '.messages[] | select(.name == "E2e:1") | .rows')" = "$rows" ] ||
    fail "status: rows $(e2e_json '.messages')"
[ "$(e2e_json '[.invalid[]] | add')" = "$invalid" ] ||
    fail "status: invalid $(e2e_json '.invalid')"
[ "$(e2e_json '.inputs[0].lost_bytes')" = 0 ] ||
    fail "status: bytes lost: $(e2e_json '.inputs')"
[ "$(e2e_json '.inputs[0].rotations')" -ge 1 ] ||
    fail "status: no rotation seen: $(e2e_json '.inputs')"
e2e_term
e2e_spool_gone
echo "rsyslog-logrotate: $(wc -l <"$T/want.rows") rows," \
    "$(wc -l <"$T/want.qrows") quarantined, $(grep -c '\.gz$' "$T/ls") files"
echo "PASS: rsyslog-logrotate"
