#!/bin/sh
# minidfs's fault switches as the Go client (hdfs-cli) meets them: a
# standby NameNode (alone: refused; listed first: failed over), safe mode,
# a DataNode that dies in the middle of a pipeline (the write fails, the
# node refuses connections, reads fall over to another replica), one
# dead from the start (the pipeline's connect-ack names it),
# NotReplicatedYet on addBlock, complete() answering false, slow replies,
# an HA pair failing over mid-write, a slow DataNode.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib.sh"
lib_init minidfs-faults
need_tool hdfs hdfs-cli

unset HADOOP_CONF_DIR HADOOP_HOME
export HADOOP_USER_NAME=tester
head -c 1000 /dev/urandom >"$T/f1k"
head -c 3000000 /dev/urandom >"$T/f3m"
NN_EXC=org.apache.hadoop.hdfs.server.namenode

# gh NAMENODES ARGS...
gh() {
	gh_nn=$1
	shift
	HADOOP_NAMENODE=$gh_nn timeout 60 hdfs "$@"
}

# Standby alone, then listed before the active NameNode.
start_minidfs active --owner tester --datanodes 3 --replication 3 \
    --block-size 1048576 --dn-die-after 2000000
ACTIVE=$MD_NN
ALOG=$MD_LOG
set -- $MD_DN
DN0=$1
start_minidfs standby --owner tester --standby
STANDBY=$MD_NN
if gh "$STANDBY" ls / 2>"$T/err"; then fail "ls on a standby"; fi
APP="call failed with ERROR_APPLICATION"
SBE=org.apache.hadoop.ipc.StandbyException
grep -qx "stat /: no available namenodes: getFileInfo $APP ($SBE)" \
    "$T/err" || fail "standby: $(cat "$T/err")"
gh "$STANDBY,$ACTIVE" put "$T/f1k" /ha || fail "put with a standby first"
[ "$(gh "$STANDBY,$ACTIVE" ls /)" = ha ] || fail "ls with a standby first"
grep -q "^getFileInfo call=1 user=tester src=/ha" "$T/standby/log" ||
    fail "the standby was not asked first"
grep -q "^create call=[0-9]* user=tester src=/ha " "$ALOG" ||
    fail "the active did not create /ha"

# A DataNode dies 2 000 000 bytes in, in the middle of a pipeline of 3.
gh "$ACTIVE" put "$T/f1k" /before || fail "put before the death"
if gh "$ACTIVE" put "$T/f3m" /dies 2>"$T/err"; then
	fail "put through a dying DataNode succeeded"
fi
grep -q "^dn0 dies$" "$ALOG" || fail "dn0 did not die"
grep -q "^dn1 write blk=[0-9]* aborted: connection closed" "$ALOG" ||
    fail "dn0's downstream did not see it go"
wait_for 5 sh -c \
    "! timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/$DN0' 2>/dev/null"
# Its replicas are still listed; the reader falls over to the next one.
gh "$ACTIVE" cat /before >"$T/out" || fail "cat with dn0 dead"
cmp -s "$T/out" "$T/f1k" || fail "cat with dn0 dead: data differ"

# A DataNode dead from the start, second in a pipeline of 3: the first
# one's connect-ack names it in firstBadLink; gohdfs gives up.
start_minidfs dead1 --owner tester --datanodes 3 --replication 3 --dn-dead 1
set -- $MD_DN
if gh "$MD_NN" put "$T/f1k" /d 2>"$T/err"; then
	fail "put through a dead DataNode"
fi
grep -qx "dn0 connect-ack status=1 firstBadLink=127.0.0.1:$2" "$MD_LOG" ||
    fail "no firstBadLink naming dn1: $(grep connect-ack "$MD_LOG")"
lib_stop "$MD_PID"

# NotReplicatedYet: gohdfs does not retry addBlock; the next put works.
start_minidfs nry --owner tester --not-replicated-yet 1
if gh "$MD_NN" put "$T/f1k" /n1 2>"$T/err"; then fail "NotReplicatedYet"; fi
grep -qx "create /n1: addBlock $APP ($NN_EXC.NotReplicatedYetException)" \
    "$T/err" || fail "NotReplicatedYet: $(cat "$T/err")"
gh "$MD_NN" put "$T/f1k" /n2 || fail "put after the NotReplicatedYet"
gh "$MD_NN" cat /n2 | cmp -s - "$T/f1k" || fail "put after NRY: data"
lib_stop "$MD_PID"

# complete() false once: gohdfs does not retry, the file stays open.
start_minidfs cf --owner tester --complete-false 1
gh "$MD_NN" put "$T/f1k" /c || fail "put with complete false"
grep -q "^complete call=[0-9]* user=tester src=/c " "$MD_LOG" ||
    fail "no complete call"
reply=$(grep -A1 '^complete call=' "$MD_LOG" | tail -n 1)
[ "${reply#reply call=* }" = "result=false" ] ||
    fail "complete did not answer false: $reply"
lib_stop "$MD_PID"

# Safe mode: reads work, writes fail.
start_minidfs safe --owner tester --safe-mode
[ -z "$(gh "$MD_NN" ls /)" ] || fail "ls in safe mode"
if gh "$MD_NN" mkdir /x 2>"$T/err"; then fail "mkdir in safe mode"; fi
grep -qx "mkdir /x: mkdirs $APP ($NN_EXC.SafeModeException)" \
    "$T/err" || fail "safe mode: $(cat "$T/err")"
lib_stop "$MD_PID"

# Slow replies: each of ls's calls takes at least 250 ms.
start_minidfs slow --owner tester --slow-ms 250
t0=$(date +%s%N)
gh "$MD_NN" ls / || fail "ls on a slow NameNode"
ms=$((($(date +%s%N) - t0) / 1000000))
calls=$(grep -c '^reply call=' "$MD_LOG")
[ "$calls" -ge 3 ] || fail "slow ls: only $calls calls"
[ "$ms" -ge $((calls * 250)) ] || fail "slow ls: $calls calls in $ms ms"
lib_stop "$MD_PID"

# An HA pair sharing one namespace: the active one hands over in the
# middle of a 3-block put; gohdfs follows the StandbyException to the
# other and the write goes on under the same lease.
start_minidfs ha --owner tester --namenodes 2 --failover-after 8 \
    --block-size 1048576
[ -n "$MD_NN2" ] || fail "no second NameNode in the port file"
gh "$MD_NN,$MD_NN2" put "$T/f3m" /ha || fail "put across a failover"
grep -qx "failover: nn1 is active" "$MD_LOG" || fail "no failover"
grep -q "^nn[0-9]* connect auth=none namenode=1$" "$MD_LOG" ||
    fail "the second NameNode was never used"
gh "$MD_NN2,$MD_NN" cat /ha | cmp -s - "$T/f3m" || fail "HA put: data"
lib_stop "$MD_PID"

# Slow DataNode: a 3-packet block and its last packet, 200 ms per ack.
start_minidfs dnslow --owner tester --dn-slow-ms 200
head -c 140000 /dev/urandom >"$T/f140k"
t0=$(date +%s%N)
gh "$MD_NN" put "$T/f140k" /s || fail "put to a slow DataNode"
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$ms" -ge 800 ] || fail "put to a slow DataNode took only $ms ms"
gh "$MD_NN" cat /s | cmp -s - "$T/f140k" || fail "slow DataNode: data"
echo "PASS: minidfs-faults"
