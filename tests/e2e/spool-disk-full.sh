#!/bin/sh
# The spool's file system fills up (a small tmpfs of the test's own, as
# root), with the NameNode down so that nothing drains.  barged does not
# exit: it logs the full file system, says so in barge status and the
# metrics, and stops reading its input.  The NameNode comes back; the
# uploader ships what was sealed and so frees room, and barged starts
# again from its last checkpoint in the same process (same PID).  Every
# row lands in HDFS exactly once.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
lib_init spool-disk-full
if [ "$(id -u)" != 0 ]; then
	echo "spool-disk-full: skipped: mounting a tmpfs needs root"
	exit 77
fi
need_tool jq jq
BARGED=$top_builddir/src/barged/barged
FS=$T/fs
disk_cleanup() {
	disk_rc=$?
	[ "$disk_rc" = 0 ] || tail -n 15 "$T/log" >&2 2>/dev/null || :
	[ "$disk_rc" = 0 ] || cat "$T/s.json" >&2 2>/dev/null || :
	umount "$FS" 2>/dev/null || :
	(exit "$disk_rc")
	lib_cleanup
}
trap disk_cleanup EXIT

# The NameNode's port, then down until the spool is full.
start_minidfs md --owner tester
NN=$MD_NN
lib_stop "$MD_PID"
mkdir "$FS"
mount -t tmpfs -o size=6m tmpfs "$FS"

mkdir -p "$T/messages.d"
cat >"$T/messages.d/blob.yaml" <<'EOF'
messages:
  - name: Blob
    version: 1
    fields:
      - {name: n, type: int32}
      - {name: s, type: string}
EOF
# About 9 MB of rows that gzip cannot shrink much, written at about
# 1 MB/s (as a busy service would), so that segments seal as they go.
N=6000
head -c $((N * 1200)) /dev/urandom | base64 -w 1500 | head -n $N |
    awk '{ printf "Nov 26 10:00:00 h app[1]: @Blob:1\t%d\t%s\n", NR, $0 }' \
    >"$T/rows"
: >"$T/syslog"
cat >"$T/writer.sh" <<EOF
i=0
while [ \$i -lt $N ]; do
	sed -n "\$((i + 1)),\$((i + 300))p" "$T/rows" >>"$T/syslog"
	i=\$((i + 300))
	sleep 0.3
done
EOF
cat >"$T/barge.yaml" <<EOF
host: h
messages_dir: $T/messages.d
inputs:
  - {path: $T/syslog, start_at: beginning}
hdfs: {namenodes: ['$NN'], user: tester, root: /d}
spool: {dir: $FS/spool, max_bytes: 1G}
state_dir: $T/state
batch: {max_age: 1s, close_after: 0s, close_spread: 0s}
control: {socket: $T/sock, metrics: ''}
EOF
lib_start 600 "$BARGED" -f -c "$T/barge.yaml" 2>"$T/log"
BPID=$LAST_PID
lib_start 120 sh "$T/writer.sh"
WPID=$LAST_PID
status() {
	"$BARGE" status --socket "$T/sock" --json >"$T/s.json" 2>/dev/null
}
full() {
	status && [ "$(jq .spool.disk_full_since_ms "$T/s.json")" != 0 ]
}
wait_for 120 full
grep -q "No space left on device: the spool's file system is full: input paused; barged starts again from its last checkpoint once $FS/spool has 3 MiB free\$" "$T/log" ||
    fail "log: $(cat "$T/log")"
"$BARGE" status --socket "$T/sock" --prometheus >"$T/prom.txt"
grep -qx 'barge_spool_disk_full 1' "$T/prom.txt" ||
    fail "metrics: $(grep disk_full "$T/prom.txt")"
"$BARGE" status --socket "$T/sock" >"$T/status.txt"
grep -Eq '^  file system full for [0-9]+ s: input paused until it has room$' \
    "$T/status.txt" || fail "barge status: $(cat "$T/status.txt")"
# Still running and waiting, not failing start after start: full for
# 3 s by its own account, the same process, one line logged.
full_for() {
	"$BARGE" status --socket "$T/sock" >"$T/status.txt" 2>/dev/null &&
	    [ "$(sed -n 's/^  file system full for \([0-9]*\) s.*/\1/p' \
	    "$T/status.txt")" -ge "$1" ]
}
wait_for 30 full_for 3
kill -0 "$BPID" || fail "barged exited: $(tail "$T/log")"
[ "$(grep -c 'file system is full' "$T/log")" = 1 ] || fail "log: $(cat "$T/log")"

# The NameNode is back: shipping frees room, and barged starts again.
wait_for 60 sh -c "! kill -0 $WPID 2>/dev/null"
start_minidfs md2 --owner tester --nn-port "${NN##*:}"
done_all() {
	status && [ "$(jq .spool.disk_full_since_ms "$T/s.json")" = 0 ] &&
	    [ "$(jq '.inputs[0].offset' "$T/s.json")" = "$(stat -c %s "$T/syslog")" ] &&
	    [ "$(jq '.spool.open + .spool.sealed' "$T/s.json")" = 0 ]
}
wait_for 120 done_all
kill -0 "$BPID" || fail "barged is not the same process"
grep -q "^barged: spool: [0-9]* bytes free on $FS/spool again: starting again from the last checkpoint\$" "$T/log" ||
    fail "log: $(cat "$T/log")"

# Every row once.
bh() {
	timeout 120 "$BARGE" hdfs --namenode "$NN" --user tester "$@"
}
bh ls -R /d/Blob >"$T/files"
: >"$T/got"
for f in $(grep '\.tsv\.gz$' "$T/files"); do
	bh cat "$f" | gzip -dc | cut -f 3 >>"$T/got"
done
seq 1 $N >"$T/want"
sort -n "$T/got" | diff "$T/want" - >"$T/diff" ||
    fail "rows in HDFS differ: $(head -5 "$T/diff"), $(wc -l <"$T/got") rows"
echo "spool-disk-full: ok"
