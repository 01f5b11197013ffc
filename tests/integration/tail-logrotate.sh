#!/bin/sh
# core/tail against the real logrotate: rotation by create (with lines
# written to the renamed file before the writer reopens), by copytruncate,
# and a kill -9 of the follower with a rotation while it is down.  Every
# line written must come out exactly once, in order.
set -u

: "${top_builddir:?top_builddir must be set}"
tailf=$top_builddir/tests/integration/tailf
PATH=$PATH:/usr/sbin:/sbin
if ! command -v logrotate >/dev/null 2>&1; then
	echo "FAIL: logrotate not found: apt-get install logrotate" >&2
	exit 1
fi

d=$(mktemp -d "${TMPDIR:-/tmp}/barge-tail.XXXXXX")
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null
		sleep 0.1
		kill -KILL "$pid" 2>/dev/null
	fi
	rm -rf "$d"
}
trap cleanup EXIT
log=$d/app.log
printf '%s {\n rotate 2\n create\n missingok\n nocompress\n}\n' "$log" \
    >"$d/create.conf"
printf '%s {\n rotate 2\n copytruncate\n missingok\n nocompress\n}\n' \
    "$log" >"$d/copy.conf"

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

start() {
	rm -f "$d/status"
	timeout 60 "$tailf" -b 700 -s "$d/status" "$d/ckpt" "$d/out" "$log" \
	    "$d/stop" 2>"$d/stats" &
	pid=$!
}

n=0
# emit K: K more numbered lines through fd 3.
emit() {
	k=$1
	while [ "$k" -gt 0 ]; do
		n=$((n + 1))
		printf 'line %06d of the test log\n' "$n" >&3
		k=$((k - 1))
	done
}

# caught_up: waits (bounded) until OUT holds every line written so far.
caught_up() {
	i=0
	while [ "$(wc -l <"$d/out" 2>/dev/null || echo 0)" -ne "$n" ]; do
		i=$((i + 1))
		[ $i -le 1000 ] || fail "follower stuck at $(wc -l <"$d/out") of $n lines"
		sleep 0.02
	done
}

# rotations: what the follower has seen so far (0 before its first status).
rotations() {
	sed -n 's/^rotations=\([0-9]*\) .*/\1/p' "$d/status" 2>/dev/null |
	    grep . || echo 0
}

# noticed N: waits (bounded) until the follower has seen N rotations.
noticed() {
	i=0
	while [ "$(rotations)" -lt "$1" ]; do
		i=$((i + 1))
		[ $i -le 1000 ] || fail "follower never saw rotation $1"
		sleep 0.02
	done
}

rotate() {
	logrotate -f -s "$d/state" "$d/$1.conf" || fail "logrotate $1"
}

exec 3>>"$log"
emit 50
start
for round in 1 2 3 4 5 6; do
	emit 300
	case $round in
	1|3|5)
		# create: the writer appends to the renamed file until it
		# reopens, as rsyslog does until its HUP.  The follower has
		# read everything and has seen the new, empty file before
		# those lines arrive: it must not leave the old file yet.
		caught_up
		seen=$(rotations)
		rotate create
		noticed $((seen + 1))
		emit 40
		exec 3>>"$log"
		;;
	*)
		# copytruncate loses what the follower has not read yet;
		# that is the method's own race, so wait for it first.
		caught_up
		rotate copy
		;;
	esac
	emit 20
	if [ $round -eq 3 ]; then
		caught_up
		# SIGKILL the follower itself, the child of timeout.
		pkill -KILL -P "$pid" || fail "no follower to kill"
		wait "$pid" 2>/dev/null
		pid=
		# Rotated while the follower is down: resumed from app.log.1.
		emit 30
		rotate create
		exec 3>>"$log"
		emit 10
		start
	fi
done
emit 5
touch "$d/stop"
wait "$pid"
rc=$?
pid=
[ $rc -eq 0 ] || fail "tailf exited $rc: $(cat "$d/stats")"

i=0
while [ $i -lt $n ]; do
	i=$((i + 1))
	printf 'line %06d of the test log\n' "$i"
done >"$d/want"
cmp -s "$d/want" "$d/out" || {
	diff "$d/want" "$d/out" | head -20 >&2
	fail "lines differ ($n written, $(wc -l <"$d/out") read)"
}
stats=$(cat "$d/stats")
case $stats in
"rotations=2 truncations=2 lost_bytes=0 lost_files=0") ;;
*) fail "unexpected counters: $stats" ;;
esac
echo "ok: $n lines exactly once; last run: $stats"
