#!/bin/sh
# A Kerberos cluster with data transfer protection, known to barge only
# through its core-site.xml and hdfs-site.xml: no barge.yaml, no
# --kerberos, no --namenode.  A real MIT KDC, minidfs in secure mode
# (an HA pair, the standby first in the nameservice) and the Go client
# on the same files: each reads what the other wrote, every DataNode
# handshake at privacy, the NameNode principal nn/_HOST taken from the
# files.  The same files with simple authentication are refused by the
# secure NameNode: the Kerberos came from the files.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/krb.sh"
lib_init kerberos-hadoop-conf
need_tool hdfs hdfs-cli
unset HADOOP_CONF_DIR HADOOP_HOME HADOOP_USER_NAME HADOOP_NAMENODE

R=BARGE.TEST
start_kdc "$R"
krb_principal alice "$T/alice.keytab"
krb_principal nn/localhost "$T/nn.keytab"
export KRB5CCNAME="FILE:$T/cc"
timeout 30 kinit -k -t "$T/alice.keytab" "alice@$R" || fail "kinit -k -t"

start_minidfs secure --namenodes 2 --datanodes 3 --replication 3 \
    --owner alice --kerberos-keytab "$T/nn.keytab" \
    --kerberos-principal "nn/localhost@$R" \
    --data-transfer-protection privacy
ACTIVE_PORT=${MD_NN##*:}
STANDBY_PORT=${MD_NN2##*:}

HC=$T/hconf
mkdir -p "$HC"
# write_conf kerberos|simple
write_conf() {
	hadoop_xml "$HC/core-site.xml" \
	    fs.defaultFS hdfs://securecluster \
	    hadoop.security.authentication "$1" \
	    hadoop.security.authorization true \
	    hadoop.rpc.protection authentication
	hadoop_xml "$HC/hdfs-site.xml" \
	    dfs.nameservices securecluster \
	    dfs.ha.namenodes.securecluster nn1,nn2 \
	    dfs.namenode.rpc-address.securecluster.nn1 "localhost:$STANDBY_PORT" \
	    dfs.namenode.rpc-address.securecluster.nn2 "localhost:$ACTIVE_PORT" \
	    dfs.client.failover.proxy.provider.securecluster \
	    org.apache.hadoop.hdfs.server.namenode.ha.ConfiguredFailoverProxyProvider \
	    dfs.block.access.token.enable true \
	    dfs.namenode.kerberos.principal "nn/_HOST@$R" \
	    dfs.datanode.kerberos.principal "dn/_HOST@$R" \
	    dfs.data.transfer.protection privacy
}
write_conf kerberos

bh() {
	HADOOP_CONF_DIR="$HC" timeout 60 "$BARGE" hdfs "$@" 2>"$T/err"
}
gh() {
	HADOOP_CONF_DIR="$HC" timeout 60 hdfs "$@"
}
handshakes() {
	tail -n +"$(($1 + 1))" "$MD_LOG" | grep '^dn[0-9] sasl ' || true
}

head -c 1500001 /dev/urandom >"$T/big"

bh mkdir -p /k || fail "mkdir -p /k: $(cat "$T/err")"
bh put "$T/big" /k/big || fail "put: $(cat "$T/err")"
bh cat hdfs://securecluster/k/big >"$T/out" || fail "cat: $(cat "$T/err")"
cmp "$T/big" "$T/out" || fail "barge cat differs from what it put"
grep -q "krb accept client=alice@$R" "$MD_LOG" ||
    fail "barge did not authenticate by Kerberos"
grep -q "StandbyException" "$MD_LOG" || fail "the standby was never asked"
handshakes 0 >"$T/hs"
[ "$(wc -l <"$T/hs")" -eq 4 ] || fail "expected 4 handshakes: $(cat "$T/hs")"
[ "$(grep -c 'qop=auth-conf' "$T/hs")" -eq 4 ] ||
    fail "a handshake not at privacy: $(cat "$T/hs")"

n=$(wc -l <"$MD_LOG")
gh cat /k/big >"$T/out" || fail "hdfs cat of barge's file"
cmp "$T/big" "$T/out" || fail "hdfs cat: barge's file differs"
gh put "$T/big" /k/from-go || fail "hdfs put"
bh cat /k/from-go >"$T/out" || fail "barge cat of hdfs's file: $(cat "$T/err")"
cmp "$T/big" "$T/out" || fail "barge cat: the Go client's file differs"
handshakes "$n" >"$T/hs"
[ "$(grep -c 'qop=auth-conf' "$T/hs")" -ge 4 ] ||
    fail "the Go client's handshakes: $(cat "$T/hs")"
if grep -q 'sasl relay:\|sasl refused' "$MD_LOG"; then
	fail "a frame failed: $(grep 'sasl r' "$MD_LOG")"
fi
bh ls /k >"$T/ls" || fail "ls: $(cat "$T/err")"
printf 'big\nfrom-go\n' | diff - "$T/ls" || fail "ls /k"

# The same cluster told "simple": the secure NameNode refuses it.
write_conf simple
if bh ls /k; then fail "simple authentication was accepted"; fi
echo "barge: hdfs: AccessControlException: SIMPLE authentication is not enabled.  Available:[TOKEN, KERBEROS]" |
    diff - "$T/err" || fail "simple: $(cat "$T/err")"

echo "kerberos-hadoop-conf: ok"
