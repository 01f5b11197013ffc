#!/bin/sh
# Data transfer protection integrity and privacy against a real MIT KDC
# and minidfs in secure mode: after the DIGEST-MD5 handshake every byte
# to and from a DataNode, the op included, travels in SASL frames
# (auth-int: signed; auth-conf: signed and encrypted), through a
# pipeline of three so that forwarding DataNodes wrap too.  barge and
# the Go client (hdfs-cli, an independent implementation of the same
# framing) read each other's files byte for byte; with privacy the
# file's bytes never appear on the wire, with integrity they do; a QOP
# the DataNode does not offer is refused with both names.

set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/krb.sh"
lib_init kerberos-dtp
need_tool hdfs hdfs-cli
need_tool strace strace
unset HADOOP_CONF_DIR HADOOP_HOME HADOOP_USER_NAME HADOOP_NAMENODE

R=BARGE.TEST
start_kdc "$R"
krb_principal alice "$T/alice.keytab"
krb_principal nn/localhost "$T/nn.keytab"
export KRB5CCNAME="FILE:$T/cc"
timeout 30 kinit -k -t "$T/alice.keytab" "alice@$R" || fail "kinit -k -t"

# Runs barge hdfs; stderr goes to $T/err.
bh() {
	timeout 60 "$BARGE" hdfs "$@" 2>"$T/err"
}
# The Go client with dfs.data.transfer.protection $1.
gh() {
	p=$1
	shift
	krb_hadoop_conf "$T/hconf-$p" "$p"
	HADOOP_CONF_DIR="$T/hconf-$p" timeout 60 hdfs "$@"
}
# Asserts that the last bh failed with exactly this stderr, DataNode
# addresses replaced by X.
expect_err() {
	sed 's/DataNode 127\.0\.0\.1:[0-9]*/DataNode X/' "$T/err" >"$T/err2"
	printf '%s\n' "$2" | diff - "$T/err2" >"$T/diff" ||
	    fail "$1: stderr differs: $(cat "$T/diff")"
}
# The "dnN sasl" lines of log $1 since line $2.
handshakes() {
	tail -n +"$(($2 + 1))" "$1" | grep '^dn[0-9] sasl ' || true
}

# Random data across several packets and an odd tail, and a text whose
# bytes are easy to look for on the wire.
head -c 1500001 /dev/urandom >"$T/big"
i=0
while [ $i -lt 2000 ]; do
	echo "barge-plaintext-marker line $i"
	i=$((i + 1))
done >"$T/text"

for prot in integrity privacy; do
	start_minidfs "dtp-$prot" --datanodes 3 --replication 3 \
	    --owner alice --kerberos-keytab "$T/nn.keytab" \
	    --kerberos-principal "nn/localhost@$R" \
	    --data-transfer-protection "$prot"
	NN=$MD_NN
	LOG=$MD_LOG
	if [ "$prot" = integrity ]; then
		qop='qop=auth-int ssf=1$'
	else
		qop='qop=auth-conf ssf=128$'
	fi
	cat >"$T/$prot.yaml" <<YAML
hdfs:
  namenodes: [$NN]
  auth: kerberos
  kerberos:
    principal: alice@$R
    keytab: $T/alice.keytab
  data_transfer_protection: $prot
YAML

	# barge writes and reads back; the client's handshake, dn0's and
	# dn1's when forwarding, the read's: all at the QOP asked for.
	bh --config "$T/$prot.yaml" put "$T/big" /big ||
	    fail "$prot: put: $(cat "$T/err")"
	bh --config "$T/$prot.yaml" cat /big >"$T/out" ||
	    fail "$prot: cat: $(cat "$T/err")"
	cmp "$T/big" "$T/out" || fail "$prot: cat differs from what was put"
	handshakes "$LOG" 0 >"$T/hs"
	[ "$(wc -l <"$T/hs")" -eq 4 ] ||
	    fail "$prot: expected 4 handshakes: $(cat "$T/hs")"
	[ "$(grep -c "$qop" "$T/hs")" -eq 4 ] ||
	    fail "$prot: a handshake not at $qop: $(cat "$T/hs")"
	if grep -q 'sasl relay:\|sasl refused' "$LOG"; then
		fail "$prot: a frame failed: $(grep 'sasl r' "$LOG")"
	fi

	# The Go client reads barge's file and barge the Go client's.
	n=$(wc -l <"$LOG")
	gh "$prot" cat "hdfs://$NN/big" >"$T/out" ||
	    fail "$prot: hdfs cat of barge's file"
	cmp "$T/big" "$T/out" || fail "$prot: hdfs cat: barge's file differs"
	gh "$prot" put "$T/big" "hdfs://$NN/from-go" || fail "$prot: hdfs put"
	bh --config "$T/$prot.yaml" cat /from-go >"$T/out" ||
	    fail "$prot: barge cat of the Go client's file: $(cat "$T/err")"
	cmp "$T/big" "$T/out" || fail "$prot: the Go client's file differs"
	handshakes "$LOG" "$n" >"$T/hs"
	[ "$(grep -c "$qop" "$T/hs")" -ge 4 ] ||
	    fail "$prot: the Go client's handshakes: $(cat "$T/hs")"
	if grep -q 'sasl relay:\|sasl refused' "$LOG"; then
		fail "$prot: a Go frame failed: $(grep 'sasl r' "$LOG")"
	fi

	# What barge sends: the text is on the wire only without privacy.
	strace -f -qq -e trace=sendto,write -e write=all -s 0 \
	    -o "$T/strace-$prot" "$BARGE" hdfs --config "$T/$prot.yaml" \
	    put "$T/text" /text 2>"$T/err" || fail "$prot: put text: $(cat "$T/err")"
	bh --config "$T/$prot.yaml" cat /text >"$T/out" ||
	    fail "$prot: cat text: $(cat "$T/err")"
	cmp "$T/text" "$T/out" || fail "$prot: text differs"
	# strace dumps 16 bytes a line: the file went out, one way or another.
	lines=$(grep -c '^ | [0-9a-f]\{5\}  ' "$T/strace-$prot" || true)
	[ "$lines" -ge $(($(wc -c <"$T/text") / 16)) ] ||
	    fail "$prot: only $lines lines of data seen by strace"
	hits=$(grep -c 'barge-plai' "$T/strace-$prot" || true)
	if [ "$prot" = integrity ]; then
		[ "$hits" -gt 0 ] || fail "integrity: the text is not on the wire"
	else
		[ "$hits" -eq 0 ] || fail "privacy: the text went out in clear"
	fi
	eval "NN_$prot=\$NN"
done

# A QOP the DataNode does not offer: refused, naming both.
bh --namenode "$NN_integrity" --kerberos --data-transfer-protection \
    privacy cat /big >/dev/null && fail "privacy against integrity succeeded"
expect_err "privacy against integrity" "barge: hdfs: /big: DataNode X: \
READ_BLOCK: data transfer protection: the DataNode offers integrity, \
hdfs.data_transfer_protection is privacy"
bh --namenode "$NN_privacy" --kerberos --data-transfer-protection \
    authentication put "$T/big" /nope && fail "auth against privacy succeeded"
expect_err "authentication against privacy" "barge: hdfs: /nope: DataNode \
X: WRITE_BLOCK: data transfer protection: the DataNode offers privacy, \
hdfs.data_transfer_protection is authentication"

# Block tokens the DataNodes cannot check: writes and reads refused.
start_minidfs badtok --owner alice --bad-block-tokens \
    --kerberos-keytab "$T/nn.keytab" --kerberos-principal "nn/localhost@$R" \
    --data-transfer-protection authentication
bh --namenode "$MD_NN" --kerberos --data-transfer-protection \
    authentication put "$T/big" /big && fail "put with a bad token succeeded"
expect_err "put with a bad block token" "barge: hdfs: /big: IOException: \
File /big._COPYING_ could only be written to 0 of the 1 minReplication \
nodes. There are 1 datanode(s) running and 1 node(s) are excluded in this \
operation. (excluded DataNode X: WRITE_BLOCK: data transfer protection: \
the DataNode refused the SASL handshake: DIGEST-MD5: digest response \
format violation. Mismatched response.)"
grep -q '^dn0 sasl refused: DIGEST-MD5: digest response format violation' \
    "$MD_LOG" || fail "the DataNode did not refuse the token"
if grep -q '^dn0 WRITE_BLOCK' "$MD_LOG"; then
	fail "the DataNode took a write op after a failed handshake"
fi

exit 0
