#!/bin/sh
# barge's HDFS client under each minidfs fault switch: a DataNode dying
# mid-file fails the put clearly and leaves no file visible; the first
# addBlock's NotReplicatedYetException and complete() answering false are
# retried; a slow NameNode is waited for up to the timeout and no longer;
# safe mode and a NameNode that is only standby give the NameNode's
# exception.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
lib_init hdfs-faults
need_tool hdfs hdfs-cli

unset HADOOP_CONF_DIR HADOOP_HOME
USER_NAME=$(id -un)
export HADOOP_USER_NAME="$USER_NAME"
BS=1048576

bh() {
	timeout 60 "$BARGE" hdfs --namenode "$MD_NN" "$@"
}
gh() {
	HADOOP_NAMENODE="$MD_NN" timeout 60 hdfs "$@"
}
calls() {
	grep -c "^$1 call=" "$MD_LOG" || :
}

head -c $((3 * BS + 100)) /dev/urandom >"$T/f"

# A DataNode dies in the second block.
start_minidfs die --datanodes 1 --block-size $BS --owner "$USER_NAME" \
    --dn-die-after $((BS + BS / 2))
if bh put "$T/f" /d 2>"$T/err"; then fail "put survived a dead DataNode"; fi
grep -q "^barge: hdfs: /d: DataNode 127\.0\.0\.1:[0-9]*: " "$T/err" ||
    fail "dead DataNode: $(cat "$T/err")"
[ "$(calls abandonBlock)" -eq 1 ] || fail "the block was not abandoned"
[ -z "$(gh ls /)" ] || fail "a partial file is visible: $(gh ls /)"
lib_stop "$MD_PID"

# A DataNode that dies: the next file's blocks go around it.  The first
# put kills it; the second gets it in its first pipeline, abandons that
# block and excludes the node from then on.
start_minidfs dead --datanodes 3 --block-size $BS --owner "$USER_NAME" \
    --dn-die-after 1 --dn-die-index 0
if bh put "$T/f" /k1 2>"$T/err"; then fail "put survived a dead DataNode"; fi
bh put "$T/f" /k2 || fail "put around a dead DataNode"
gh cat /k2 | cmp - "$T/f" || fail "put around a dead DataNode: data differs"
[ "$(calls abandonBlock)" -eq 2 ] || fail "abandonBlock: $(calls abandonBlock)"
[ "$(grep -c "^addBlock call=.*src=/k2._COPYING_ .*excludeNodes=1" \
    "$MD_LOG")" -eq 4 ] || fail "dead DataNode not excluded"
lib_stop "$MD_PID"

# NotReplicatedYetException on the first addBlock is retried.
start_minidfs nry --block-size $BS --owner "$USER_NAME" \
    --not-replicated-yet 1
bh put "$T/f" /n || fail "put with NotReplicatedYet"
gh cat /n | cmp - "$T/f" || fail "NotReplicatedYet: data differs"
[ "$(calls addBlock)" -eq 5 ] || fail "addBlock calls: $(calls addBlock)"
lib_stop "$MD_PID"

# complete() answers false twice: retried until true.
start_minidfs cf --block-size $BS --owner "$USER_NAME" --complete-false 2
bh put "$T/f" /c || fail "put with complete false"
gh cat /c | cmp - "$T/f" || fail "complete false: data differs"
[ "$(calls complete)" -eq 3 ] || fail "complete calls: $(calls complete)"
lib_stop "$MD_PID"

# A slow NameNode: fine within the timeout, a clear error beyond it.
start_minidfs slow --owner "$USER_NAME" --slow-ms 700
bh --timeout 5000 stat / >/dev/null || fail "slow NameNode within timeout"
if bh --timeout 300 stat / 2>"$T/err"; then fail "no timeout"; fi
grep -q "timed out" "$T/err" || fail "timeout: $(cat "$T/err")"
lib_stop "$MD_PID"

# Safe mode: reads work, writes get the NameNode's exception.
start_minidfs safe --owner "$USER_NAME" --safe-mode
bh ls / || fail "ls in safe mode"
if bh put "$T/f" /s 2>"$T/err"; then fail "put in safe mode"; fi
grep -q "^barge: hdfs: /s: SafeModeException: " "$T/err" ||
    fail "safe mode: $(cat "$T/err")"
lib_stop "$MD_PID"

# Only a standby NameNode: bounded retries, then its exception.
start_minidfs sb --owner "$USER_NAME" --standby
if bh ls / 2>"$T/err"; then fail "ls against a standby"; fi
grep -q "^barge: hdfs: StandbyException: " "$T/err" ||
    fail "standby: $(cat "$T/err")"
n=$(grep -c StandbyException "$MD_LOG" || :)
[ "$n" -ge 2 ] && [ "$n" -le 8 ] || fail "standby asked $n times"

echo "PASS: hdfs-faults"
