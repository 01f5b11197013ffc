#!/bin/sh
# Hadoop's own configuration files, in the shape real HA clusters write
# them, drive both barge and the Go client (hdfs-cli honours
# HADOOP_CONF_DIR) against minidfs: no --namenode, no barge.yaml.  Each
# reads what the other wrote; the first NameNode of the nameservice is
# the standby; hdfs://mycluster/path and hdfs://host:port/path work
# wherever barge hdfs takes a path; failover under way through the
# nameservice form; dfs.replication and dfs.blocksize reach new files;
# dfs.client.use.datanode.hostname reaches DataNodes that report an
# address nobody can reach; barge.yaml's hdfs.hadoop_conf_dir and
# hdfs.nameservice, with its explicit keys winning; every error is one
# exact line.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
lib_init hadoop-conf
need_tool hdfs hdfs-cli

unset HADOOP_CONF_DIR HADOOP_HOME HADOOP_NAMENODE
USER_NAME=$(id -un)
export HADOOP_USER_NAME="$USER_NAME"
HC=$T/hconf

bh() {
	HADOOP_CONF_DIR="$HC" timeout 60 "$BARGE" hdfs "$@" 2>"$T/err"
}
gh() {
	HADOOP_CONF_DIR="$HC" timeout 60 hdfs "$@"
}

# write_conf FIRST SECOND [NAME VALUE...]: the nameservice mycluster with
# NameNodes nn1=FIRST and nn2=SECOND, as an HA cluster's files have it;
# further properties go to the end of hdfs-site.xml.
write_conf() {
	mkdir -p "$HC"
	cat >"$HC/core-site.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="configuration.xsl"?>
<!--
  Licensed under the Apache License, Version 2.0 (the "License").
-->
<!-- Put site-specific property overrides in this file. -->
<configuration>
  <property>
    <name>fs.defaultFS</name>
    <value>hdfs://mycluster</value>
    <final>true</final>
  </property>
  <property>
    <name>hadoop.tmp.dir</name>
    <value>/tmp/hadoop-\${user.name}</value>
    <description>a variable barge leaves as written</description>
  </property>
  <property>
    <name>ha.zookeeper.quorum</name>
    <value>zk1.example.com:2181,zk2.example.com:2181</value>
  </property>
  <property>
    <name>hadoop.security.authentication</name>
    <value>simple</value>
  </property>
</configuration>
EOF
	wc_first=$1
	wc_second=$2
	shift 2
	hadoop_xml "$HC/hdfs-site.xml" \
	    dfs.nameservices mycluster \
	    dfs.ha.namenodes.mycluster nn1,nn2 \
	    dfs.namenode.rpc-address.mycluster.nn1 "$wc_first" \
	    dfs.namenode.rpc-address.mycluster.nn2 "$wc_second" \
	    dfs.namenode.http-address.mycluster.nn1 nn1.example.com:9870 \
	    dfs.namenode.http-address.mycluster.nn2 nn2.example.com:9870 \
	    dfs.namenode.shared.edits.dir \
	    "qjournal://jn1.example.com:8485;jn2.example.com:8485/mycluster" \
	    dfs.client.failover.proxy.provider.mycluster \
	    org.apache.hadoop.hdfs.server.namenode.ha.ConfiguredFailoverProxyProvider \
	    dfs.ha.automatic-failover.enabled true \
	    dfs.replication '${repl}' \
	    repl 2 \
	    dfs.blocksize 1m \
	    "$@"
}

for s in 0 1 65537 3146752; do
	head -c "$s" /dev/urandom >"$T/f$s"
done

# 1. nn1 is the standby, nn2 the active: both clients fail over to it.
start_minidfs ha --namenodes 2 --datanodes 2 --owner "$USER_NAME"
ACTIVE=$MD_NN
STANDBY=$MD_NN2
write_conf "$STANDBY" "$ACTIVE"

bh mkdir -p /b || fail "barge mkdir -p /b: $(cat "$T/err")"
gh mkdir -p /g || fail "hdfs mkdir -p /g"
for s in 0 1 65537 3146752; do
	bh put "$T/f$s" "/b/f$s" || fail "barge put $s: $(cat "$T/err")"
	gh cat "/b/f$s" >"$T/out" || fail "hdfs cat /b/f$s"
	cmp "$T/f$s" "$T/out" || fail "barge put, hdfs cat: $s bytes differ"

	gh put "$T/f$s" "/g/f$s" || fail "hdfs put $s"
	bh cat "hdfs://mycluster/g/f$s" >"$T/out" ||
	    fail "barge cat hdfs://mycluster/g/f$s: $(cat "$T/err")"
	cmp "$T/f$s" "$T/out" || fail "hdfs put, barge cat: $s bytes differ"
done
grep -q "StandbyException" "$MD_LOG" || fail "the standby was never asked"

# dfs.replication (through ${repl}) and dfs.blocksize reach new files.
bh stat /b/f3146752 >"$T/stat" || fail "barge stat: $(cat "$T/err")"
grep -qx "replication: 2" "$T/stat" || fail "replication: $(cat "$T/stat")"
grep -qx "block_size: 1048576" "$T/stat" ||
    fail "block size: $(cat "$T/stat")"

# Listings agree, through every path form.
gh ls /b >"$T/gls" || fail "hdfs ls /b"
printf 'f0\nf1\nf3146752\nf65537\n' | diff - "$T/gls" || fail "hdfs ls /b"
for p in /b hdfs://mycluster/b "hdfs://$ACTIVE/b" hdfs:///b; do
	bh ls "$p" >"$T/bls" || fail "barge ls $p: $(cat "$T/err")"
	diff "$T/gls" "$T/bls" || fail "barge ls $p differs"
done
# put's local file and get's local target are never taken for URIs.
bh get hdfs://mycluster/g/f65537 "$T/got" || fail "get: $(cat "$T/err")"
cmp "$T/f65537" "$T/got" || fail "barge get hdfs://mycluster: differs"
bh mv hdfs://mycluster/b/f1 hdfs://mycluster/b/f1m ||
    fail "mv: $(cat "$T/err")"
gh cat /b/f1m | cmp "$T/f1" - || fail "mv: /b/f1m differs"

# The fleet commands connect the same way: barge hours, no barge.yaml.
mkdir -p "$T/hdefs"
printf 'messages:\n  - name: M\n    version: 1\n    fields:\n      - {name: a, type: string}\n' \
    >"$T/hdefs/m.yaml"
echo web1 >"$T/hosts"
rc=0
HADOOP_CONF_DIR="$HC" timeout 60 "$BARGE" hours --messages "$T/hdefs" \
    --hosts "$T/hosts" M:1 2026-12-03T10 >"$T/hours" 2>"$T/err" || rc=$?
[ "$rc" -eq 1 ] || fail "barge hours: exit $rc: $(cat "$T/err")"
echo "M:1 2026-12-03T10 incomplete 0/1 hosts; open: web1 (never closed an hour)" |
    diff - "$T/hours" || fail "barge hours: $(cat "$T/hours")"

# Errors, each one exact line.
: >"$T/empty"
if bh ls hdfs://mycluster/b hdfs://other/b; then fail "two file systems"; fi
echo "barge: hdfs: hdfs://mycluster and hdfs://other: one file system at a time" |
    diff - "$T/err" || fail "two file systems: $(cat "$T/err")"
if bh ls s3a://bucket/x; then fail "s3a:// accepted"; fi
echo "barge: hdfs: s3a://bucket/x: not an hdfs:// URI" | diff - "$T/err" ||
    fail "s3a: $(cat "$T/err")"
cp "$HC/hdfs-site.xml" "$T/hdfs-site.good"
sed 's|<name>dfs.replication</name>|<name>dfs.replication</nam>|' \
    "$T/hdfs-site.good" >"$HC/hdfs-site.xml"
line=$(grep -n '</nam>' "$HC/hdfs-site.xml" | cut -d: -f1)
if bh ls /b; then fail "a broken hdfs-site.xml was accepted"; fi
echo "barge: hdfs: \$HADOOP_CONF_DIR: $HC/hdfs-site.xml:$line:28: mismatched tag" |
    diff - "$T/err" || fail "broken XML: $(cat "$T/err")"
sed 's|<name>dfs.ha.namenodes.mycluster</name>|<name>x</name>|' \
    "$T/hdfs-site.good" >"$HC/hdfs-site.xml"
if bh ls /b; then fail "a nameservice without NameNodes was accepted"; fi
echo "barge: hdfs: nameservice 'mycluster' has no NameNodes: set dfs.ha.namenodes.mycluster and dfs.namenode.rpc-address.mycluster.<id>" |
    diff - "$T/err" || fail "no NameNodes: $(cat "$T/err")"
cp "$T/hdfs-site.good" "$HC/hdfs-site.xml"
mv "$HC/core-site.xml" "$T/core-site.good"
echo "<configuration><property><name>fs.defaultFS</name><value>file:///</value></property></configuration>" \
    >"$HC/core-site.xml"
if bh ls /b; then fail "fs.defaultFS file:/// was accepted"; fi
echo "barge: hdfs: $HC/core-site.xml:1:51: fs.defaultFS: 'file:///' is not an hdfs:// URI" |
    diff - "$T/err" || fail "file:///: $(cat "$T/err")"
mv "$T/core-site.good" "$HC/core-site.xml"
if HADOOP_CONF_DIR="$T/nowhere" timeout 60 "$BARGE" hdfs ls / 2>"$T/err"; then
	fail "an empty HADOOP_CONF_DIR was accepted"
fi
echo "barge: hdfs: \$HADOOP_CONF_DIR: $T/nowhere: no core-site.xml or hdfs-site.xml" |
    diff - "$T/err" || fail "nowhere: $(cat "$T/err")"
# --namenode alone still means that NameNode, Hadoop's files unread.
if timeout 60 "$BARGE" hdfs --namenode "$STANDBY" ls / 2>"$T/err"; then
	fail "--namenode did not take the standby alone"
fi
grep -q StandbyException "$T/err" || fail "--namenode: $(cat "$T/err")"

# 2. barge.yaml: hdfs.hadoop_conf_dir (+ nameservice), explicit keys win.
mkdir -p "$T/defs"
cat >"$T/barge.yaml" <<EOF
messages_dir: $T/defs
hdfs:
  hadoop_conf_dir: $HC
  nameservice: mycluster
EOF
timeout 60 "$BARGE" hdfs --config "$T/barge.yaml" cat /g/f65537 \
    >"$T/out" 2>"$T/err" || fail "barge.yaml: $(cat "$T/err")"
cmp "$T/f65537" "$T/out" || fail "barge.yaml: cat differs"
timeout 60 "$BARGE" hdfs --config "$T/barge.yaml" ls hdfs://mycluster/b \
    >"$T/bls" 2>"$T/err" || fail "barge.yaml ls: $(cat "$T/err")"
diff - "$T/bls" <<EOF || fail "barge.yaml ls"
f0
f1m
f3146752
f65537
EOF
cat >>"$T/barge.yaml" <<EOF
  namenodes: [$STANDBY]
EOF
if timeout 60 "$BARGE" hdfs --config "$T/barge.yaml" ls / 2>"$T/err"; then
	fail "barge.yaml's namenodes did not win"
fi
grep -q StandbyException "$T/err" || fail "barge.yaml: $(cat "$T/err")"
cat >"$T/barge.yaml" <<EOF
messages_dir: $T/defs
hdfs:
  hadoop_conf_dir: $HC
  nameservice: elsewhere
EOF
if timeout 60 "$BARGE" hdfs --config "$T/barge.yaml" ls / 2>"$T/err"; then
	fail "an unknown nameservice was accepted"
fi
echo "barge: hdfs: $T/barge.yaml: hdfs.nameservice: 'elsewhere' is not a nameservice of $HC (dfs.nameservices, dfs.ha.namenodes.elsewhere)" |
    diff - "$T/err" || fail "elsewhere: $(cat "$T/err")"
lib_stop "$MD_PID"

# 3. Failover while working: the active NameNode changes every 7 calls.
start_minidfs fo --namenodes 2 --datanodes 2 --failover-after 7 --owner "$USER_NAME"
write_conf "$MD_NN" "$MD_NN2"
n=0
while [ $n -lt 12 ]; do
	bh put "$T/f65537" "hdfs://mycluster/fo$n" ||
	    fail "put fo$n during failover: $(cat "$T/err")"
	n=$((n + 1))
done
# The Go client tries each NameNode once per call, so a flip in the
# middle of its own calls fails it; it gets three tries.  barge reads all.
gh_retry() {
	gh "$@" >"$T/gout" 2>"$T/gerr" || gh "$@" >"$T/gout" 2>"$T/gerr" ||
	    gh "$@" >"$T/gout" 2>"$T/gerr" ||
	    fail "hdfs $* during failover: $(cat "$T/gerr")"
}
gh_retry ls /
[ "$(grep -c '^fo' "$T/gout")" -eq 12 ] || fail "failover: $(cat "$T/gout")"
for n in 0 5 11; do
	gh_retry cat "/fo$n"
	cmp "$T/f65537" "$T/gout" || fail "failover: hdfs cat fo$n differs"
done
n=0
while [ $n -lt 12 ]; do
	bh cat "hdfs://mycluster/fo$n" >"$T/out" ||
	    fail "cat fo$n during failover: $(cat "$T/err")"
	cmp "$T/f65537" "$T/out" || fail "failover: barge cat fo$n differs"
	n=$((n + 1))
done
[ "$(grep -c StandbyException "$MD_LOG")" -ge 2 ] ||
    fail "no failover happened: $(grep -c StandbyException "$MD_LOG")"
lib_stop "$MD_PID"

# 4. DataNodes that report an unreachable IP (127.0.0.2: nothing listens
# there) and a host name that resolves: only with
# dfs.client.use.datanode.hostname do writes and reads get through.
start_minidfs nat --datanodes 1 --replication 1 --owner "$USER_NAME" \
    --dn-ip 127.0.0.2 --dn-hostname localhost
write_conf "$MD_NN" "$MD_NN" repl 1
if bh put "$T/f1" /nat-ip; then
	fail "put through the unreachable IP succeeded"
fi
grep -q "127.0.0.2" "$T/err" || fail "nat: $(cat "$T/err")"
write_conf "$MD_NN" "$MD_NN" repl 1 dfs.client.use.datanode.hostname true
bh put "$T/f65537" /nat || fail "put by host name: $(cat "$T/err")"
bh cat /nat | cmp "$T/f65537" - || fail "cat by host name differs"
gh cat /nat | cmp "$T/f65537" - || fail "hdfs cat by host name differs"
lib_stop "$MD_PID"

echo "hadoop-conf: ok"
