#!/bin/sh
# barged killed with SIGKILL, CRASH_ITERATIONS times (50 by default),
# while lines are appended to its input (rotated by rename every 2 s or
# so) and segments are sealed (batch.max_age 1s) and uploaded; restarted
# each time.  Most kills land
# at a random moment; every fifth right after minidfs logged the create
# of a hidden file, which leaves it open under a dead client's lease for
# the next barged to replace.  minidfs answers every call 20 ms late so
# that uploads last long enough to be hit.  At the end every valid row
# is in HDFS exactly once, every invalid line in the quarantine exactly
# once, nothing hidden is left and the spool is empty.  With
# CRASH_FORMAT=avro (crash-avro.sh) every message is written as Avro and
# read back by Python's avro and avrocat.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"
lib_init crash
e2e_init
need_tool shuf coreutils

ITER=${CRASH_ITERATIONS:-50}
start_minidfs md --owner "$E2E_USER" --slow-ms 20
E2E_MAX_AGE=1s
e2e_config "$MD_NN" -- "output: {format: ${CRASH_FORMAT:-tsv.gz}}"
: >"$E2E_INPUT"

# Batches of 37 lines every 50 ms until $T/stop appears (or 10 minutes
# pass); $T/last holds the last seq written.  Every 40 batches the file
# is rotated by rename, the way logrotate's create does it: syslog.N
# becomes syslog.N+1, syslog becomes syslog.1, the next batch creates
# syslog.  A barged that was down across several rotations finds its
# file further down the list.
appender() {
	a_s=1
	a_n=0
	a_rot=0
	a_end=$(($(date +%s) + 600))
	while [ ! -e "$T/stop" ] && [ "$(date +%s)" -lt "$a_end" ]; do
		e2e_append "$a_s" $((a_s + 36))
		a_s=$((a_s + 37))
		echo $((a_s - 1)) >"$T/last.tmp"
		mv "$T/last.tmp" "$T/last"
		a_n=$((a_n + 1))
		if [ $((a_n % 40)) -eq 0 ]; then
			a_k=$a_rot
			while [ "$a_k" -ge 1 ]; do
				mv "$E2E_INPUT.$a_k" "$E2E_INPUT.$((a_k + 1))"
				a_k=$((a_k - 1))
			done
			mv "$E2E_INPUT" "$E2E_INPUT.1"
			a_rot=$((a_rot + 1))
		fi
		sleep 0.05
	done
}
appender &
APP_PID=$!
PIDS="$PIDS $APP_PID"

creates() {
	grep -c '^create call=' "$MD_LOG" || :
}

more_creates() {
	[ "$(creates)" -gt "$1" ]
}

# Whether the last hidden file created has not been renamed since.
left_open() {
	awk -v src="$1" '
	index($0, " src=" src " ") == 0 { next }
	/^create call=/ { c = NR }
	/^rename2 call=/ { r = NR }
	END { exit !(c > r) }' "$MD_LOG"
}

started=$(date +%s)
stale=0
i=0
while [ "$i" -lt "$ITER" ]; do
	i=$((i + 1))
	e2e_start
	if [ $((i % 5)) -eq 0 ]; then
		n=$(creates)
		wait_for 30 more_creates "$n"
	else
		ms=$(shuf -i 0-2500 -n 1)
		sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
	fi
	kill -0 "$BD_PID" 2>/dev/null ||
	    fail "iteration $i: barged died by itself: $(tail -3 "$T/barged.log")"
	e2e_kill
	src=$(grep '^create call=' "$MD_LOG" | tail -1 |
	    sed 's/.* src=\([^ ]*\) .*/\1/')
	if [ -n "$src" ] && left_open "$src"; then
		stale=$((stale + 1))
	fi
done
[ "$ITER" -lt 5 ] || [ "$stale" -gt 0 ] ||
    fail "no kill left a hidden file open: the replacing went untested"
touch "$T/stop"
wait "$APP_PID"
last=$(cat "$T/last")
# The input exists at the end, and its last line is new.
e2e_append $((last + 1)) $((last + 1))
last=$((last + 1))

e2e_start
wait_for 120 e2e_drained "$E2E_INPUT"
e2e_collect "$MD_NN"
[ "${CRASH_FORMAT:-}" != avro ] || e2e_collect_avro "$MD_NN"
e2e_expect "$E2E_INPUT"*
e2e_compare 1 "$last"
files=$(grep -c '\.gz$\|\.avro$' "$T/ls")
e2e_term
e2e_spool_gone
echo "crash: $ITER kills ($stale mid-upload) in" \
    "$(($(date +%s) - started)) s, $last lines," \
    "$(wc -l <"$T/got.rows") rows and $(wc -l <"$T/got.qrows")" \
    "quarantined in $files files"
echo "PASS: crash"
