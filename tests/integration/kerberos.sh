#!/bin/sh
# Kerberos on the NameNode connection, against a real MIT KDC on loopback
# (private realm, config, database and keytabs) and minidfs in secure
# mode: barge hdfs put/cat/ls from a keytab (barge.yaml) and from a ticket
# cache (kinit -k -t); the Go client (hdfs-cli) reads what barge wrote and
# barge what it wrote, byte for byte, also with data transfer protection
# (DIGEST-MD5 keyed with block tokens, through a two-DataNode pipeline)
# and with hadoop.rpc.protection integrity and privacy (wrapped frames);
# and every refusal with its message:
# no ticket, an expired ticket, a keytab without the principal's keys, a
# NameNode principal unknown to the KDC, a NameNode with stale keys,
# SIMPLE against the secure NameNode, Kerberos against a SIMPLE one, a
# plain request to a protected DataNode.  A pinned NameNode principal
# (hdfs.kerberos.namenode_principal, _HOST) is checked against the one
# offered; a proxy user writes as itself where the NameNode allows it.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/krb.sh"
lib_init kerberos
need_tool hdfs hdfs-cli
unset HADOOP_CONF_DIR HADOOP_HOME HADOOP_USER_NAME HADOOP_NAMENODE

R=BARGE.TEST
start_kdc "$R"
krb_principal alice "$T/alice.keytab"
krb_principal nn/localhost "$T/nn.keytab"
# A NameNode whose principal the KDC no longer knows.
krb_principal nn/ghost "$T/ghost.keytab"
krb_kadmin "delprinc -force nn/ghost@$R"
# A NameNode whose keytab is out of date: the key was changed since.
krb_principal nn/stale "$T/stale.keytab"
krb_kadmin "cpw -randkey nn/stale@$R"

start_minidfs secure --datanodes 2 --replication 2 --owner alice \
    --kerberos-keytab "$T/nn.keytab" --kerberos-principal "nn/localhost@$R"
NN=$MD_NN
SECURE_LOG=$MD_LOG
start_minidfs ghost --kerberos-keytab "$T/ghost.keytab" \
    --kerberos-principal "nn/ghost@$R"
GHOST=$MD_NN
start_minidfs stale --kerberos-keytab "$T/stale.keytab" \
    --kerberos-principal "nn/stale@$R"
STALE=$MD_NN
start_minidfs simple --owner alice
SIMPLE=$MD_NN
# Block access tokens and SASL on every DataNode connection, a pipeline
# of two so that the first DataNode forwards with the token too.
start_minidfs dtp --datanodes 2 --replication 2 --owner alice \
    --kerberos-keytab "$T/nn.keytab" --kerberos-principal "nn/localhost@$R" \
    --data-transfer-protection authentication
DTP=$MD_NN
DTP_LOG=$MD_LOG

# Runs barge hdfs; stderr goes to $T/err.
bh() {
	timeout 60 "$BARGE" hdfs "$@" 2>"$T/err"
}
# Asserts that the last bh failed with exactly this stderr.
expect_err() {
	printf '%s\n' "$2" | diff - "$T/err" >"$T/diff" ||
	    fail "$1: stderr differs: $(cat "$T/diff")"
}

head -c 200000 /dev/urandom >"$T/big"
printf 'hello, kerberos\n' >"$T/small"

# 1. From a keytab, as barged would: barge.yaml, no ticket cache at all.
cat >"$T/barge.yaml" <<EOF
hdfs:
  namenodes: [$NN]
  auth: kerberos
  kerberos:
    principal: alice@$R
    keytab: $T/alice.keytab
EOF
export KRB5CCNAME="FILE:$T/no-such-cache"
bh --config "$T/barge.yaml" mkdir -p /k || fail "keytab: mkdir: $(cat "$T/err")"
bh --config "$T/barge.yaml" put "$T/big" /k/big ||
    fail "keytab: put: $(cat "$T/err")"
bh --config "$T/barge.yaml" cat /k/big >"$T/out" ||
    fail "keytab: cat: $(cat "$T/err")"
cmp "$T/big" "$T/out" || fail "keytab: cat differs from what was put"
bh --config "$T/barge.yaml" ls -l /k >"$T/ls" || fail "keytab: ls"
grep -q '^-rw-r--r-- alice supergroup 200000 .* big$' "$T/ls" ||
    fail "keytab: ls -l: $(cat "$T/ls")"
[ ! -e "$T/no-such-cache" ] || fail "keytab login wrote the default cache"
# The NameNode saw the principal, mapped to its short name, and the
# client asked for mutual authentication and no security layer.
grep -q "krb accept client=alice@$R mutual=1" "$SECURE_LOG" ||
    fail "no mutual authentication in the NameNode log"
grep -q 'krb layer choice=01 maxbuf=0 authzid=0' "$SECURE_LOG" ||
    fail "security-layer answer not as the Java client's"
grep -q "context user=alice " "$SECURE_LOG" ||
    fail "NameNode did not map alice@$R to alice"

# 2. From a ticket cache filled by kinit -k -t.
export KRB5CCNAME="FILE:$T/cc"
timeout 30 kinit -k -t "$T/alice.keytab" "alice@$R" ||
    fail "kinit -k -t failed"
bh --namenode "$NN" --kerberos put "$T/small" /k/small ||
    fail "ccache: put: $(cat "$T/err")"
bh --namenode "$NN" --kerberos cat /k/small >"$T/out" ||
    fail "ccache: cat: $(cat "$T/err")"
cmp "$T/small" "$T/out" || fail "ccache: cat differs"
bh --namenode "$NN" --kerberos ls /k >"$T/ls" || fail "ccache: ls"
printf 'big\nsmall\n' | diff - "$T/ls" || fail "ccache: ls"
# Relative paths live under the principal's short name, not the login's.
bh --namenode "$NN" --kerberos mkdir -p rel/dir ||
    fail "ccache: mkdir -p rel/dir: $(cat "$T/err")"
bh --namenode "$NN" --kerberos ls /user/alice >"$T/ls" ||
    fail "ccache: ls /user/alice: $(cat "$T/err")"
echo rel | diff - "$T/ls" || fail "ccache: relative path not under /user/alice"

# 3. The Go client with the same ticket cache reads barge's files, and
# barge reads the Go client's.
krb_hadoop_conf "$T/hconf"
gh() {
	HADOOP_CONF_DIR="$T/hconf" timeout 60 hdfs "$@"
}
gh cat "hdfs://$NN/k/big" >"$T/out" || fail "hdfs cat of barge's file"
cmp "$T/big" "$T/out" || fail "hdfs cat: barge's file differs"
gh put "$T/big" "hdfs://$NN/k/from-go" || fail "hdfs put"
bh --namenode "$NN" --kerberos cat /k/from-go >"$T/out" ||
    fail "barge cat of the Go client's file: $(cat "$T/err")"
cmp "$T/big" "$T/out" || fail "barge cat: the Go client's file differs"
grep -q "krb accept client=alice@$R mutual=0" "$SECURE_LOG" ||
    fail "the Go client did not authenticate by Kerberos"

# 4. Data transfer protection: DIGEST-MD5 with the block token on each
# DataNode connection, for barge (barge.yaml) and the Go client.
cat >"$T/dtp.yaml" <<EOF
hdfs:
  namenodes: [$DTP]
  auth: kerberos
  kerberos:
    principal: alice@$R
    keytab: $T/alice.keytab
  data_transfer_protection: authentication
EOF
bh --config "$T/dtp.yaml" put "$T/big" /big ||
    fail "protected: put: $(cat "$T/err")"
bh --config "$T/dtp.yaml" cat /big >"$T/out" ||
    fail "protected: cat: $(cat "$T/err")"
cmp "$T/big" "$T/out" || fail "protected: cat differs"
# The client's handshakes with dn0, dn0's with dn1 when forwarding, the
# read's: all with a token the NameNode issued.
[ "$(grep -c '^dn[01] sasl user=' "$DTP_LOG")" -ge 3 ] ||
    fail "protected: too few SASL handshakes on the DataNodes"
if grep -q 'sasl refused' "$DTP_LOG"; then
	fail "protected: a handshake failed: $(grep 'sasl refused' "$DTP_LOG")"
fi
krb_hadoop_conf "$T/hconf" authentication
gh cat "hdfs://$DTP/big" >"$T/out" || fail "protected: hdfs cat"
cmp "$T/big" "$T/out" || fail "protected: hdfs cat: barge's file differs"
gh put "$T/big" "hdfs://$DTP/from-go" || fail "protected: hdfs put"
bh --config "$T/dtp.yaml" cat /from-go >"$T/out" ||
    fail "protected: barge cat of the Go client's file: $(cat "$T/err")"
cmp "$T/big" "$T/out" || fail "protected: the Go client's file differs"
# A client not told about the protection is reset by the DataNode.
bh --namenode "$DTP" --kerberos cat /big >/dev/null &&
    fail "unprotected read from a protected DataNode succeeded"
grep -q 'sasl refused: InvalidMagicNumberException: Received ' "$DTP_LOG" ||
    fail "the DataNode did not refuse the plain request"
sed 's/DataNode 127\.0\.0\.1:[0-9]*:/DataNode X:/' "$T/err" >"$T/err2"
mv "$T/err2" "$T/err"
expect_err "protected DataNode, no protection asked" "barge: hdfs: /big: \
DataNode X: READ_BLOCK: connection reset (does the DataNode expect SASL? \
set hdfs.data_transfer_protection)"

# 5. hadoop.rpc.protection integrity and privacy: the NameNode offers only
# that layer, barge takes it and every frame after SUCCESS goes wrapped
# both ways; the Go client (which wraps nothing it sends, as Hadoop's
# server allows) reads barge's file.
krb_hadoop_conf "$T/hconf"
for prot in integrity privacy; do
	start_minidfs "rpc-$prot" --owner alice --rpc-protection "$prot" \
	    --kerberos-keytab "$T/nn.keytab" \
	    --kerberos-principal "nn/localhost@$R"
	bh --namenode "$MD_NN" --kerberos put "$T/big" /big ||
	    fail "$prot: put: $(cat "$T/err")"
	bh --namenode "$MD_NN" --kerberos cat /big >"$T/out" ||
	    fail "$prot: cat: $(cat "$T/err")"
	cmp "$T/big" "$T/out" || fail "$prot: cat differs"
	bh --namenode "$MD_NN" --kerberos ls /big >"$T/ls" || fail "$prot: ls"
	echo /big | diff - "$T/ls" || fail "$prot: ls"
	layer=$([ "$prot" = integrity ] && echo 02 || echo 04)
	grep -q "krb layer choice=$layer maxbuf=65536 authzid=0" "$MD_LOG" ||
	    fail "$prot: barge did not choose layer $layer"
	if grep -q 'unwrap' "$MD_LOG"; then
		fail "$prot: barge sent a frame unwrapped: $(grep unwrap "$MD_LOG")"
	fi
	gh cat "hdfs://$MD_NN/big" >"$T/out" || fail "$prot: hdfs cat"
	cmp "$T/big" "$T/out" || fail "$prot: hdfs cat differs"
done

# 6. Refusals.
NOCACHE="FILE:$T/no-such-cache"
KRB5CCNAME=$NOCACHE bh --namenode "$NN" --kerberos ls / &&
    fail "no ticket: ls succeeded"
expect_err "no ticket" "barge: hdfs: $NN: Kerberos: no valid ticket (run \
kinit or set hdfs.kerberos.keytab): No credentials were supplied, or the \
credentials were unavailable or inaccessible: No Kerberos credentials \
available (default cache: $NOCACHE)"

bh --namenode "$NN" --kerberos --principal "alice@$R" \
    --keytab "$T/nn.keytab" ls / && fail "wrong keytab: ls succeeded"
expect_err "wrong keytab" "barge: hdfs: $NN: Kerberos: no credentials for \
alice@$R from keytab $T/nn.keytab: No credentials were supplied, or the \
credentials were unavailable or inaccessible"

bh --namenode "$GHOST" --kerberos ls / && fail "ghost principal: ls succeeded"
expect_err "unknown NameNode principal" "barge: hdfs: $GHOST: Kerberos: \
cannot authenticate to nn/ghost: Server nn/ghost@$R not found in Kerberos \
database"

bh --namenode "$STALE" --kerberos ls / && fail "stale keytab: ls succeeded"
expect_err "NameNode with a stale keytab" "barge: hdfs: \
SaslException: GSS initiate failed"

bh --namenode "$NN" ls / && fail "SIMPLE against secure: ls succeeded"
expect_err "SIMPLE against secure" "barge: hdfs: AccessControlException: \
SIMPLE authentication is not enabled.  Available:[TOKEN, KERBEROS]"

bh --namenode "$SIMPLE" --kerberos ls / &&
    fail "Kerberos against SIMPLE: ls succeeded"
expect_err "Kerberos against SIMPLE" "barge: hdfs: $SIMPLE: Kerberos: \
Server asks us to fall back to SIMPLE auth, but this client is configured \
to only allow secure connections."

# An expired ticket: a 2-second one, used once it has run out.
KRB5CCNAME="FILE:$T/short"
timeout 30 kinit -l 2s -k -t "$T/alice.keytab" "alice@$R" ||
    fail "kinit -l 2s failed"
wait_for 10 sh -c '! klist -s'
bh --namenode "$NN" --kerberos ls / && fail "expired ticket: ls succeeded"
expect_err "expired ticket" "barge: hdfs: $NN: Kerberos: cannot \
authenticate to nn/localhost (the ticket cache has expired: run kinit \
again, or set hdfs.kerberos.keytab): Ticket expired"

# 7. A pinned NameNode principal.  _HOST is the NameNode's host as
# written in hdfs.namenodes, lower-cased: LocalHost gives nn/localhost,
# completed with the default realm when the pattern has none.
export KRB5CCNAME="FILE:$T/cc"
cat >"$T/pin.yaml" <<EOF
hdfs:
  namenodes: [LocalHost:${NN##*:}]
  auth: kerberos
  kerberos:
    principal: alice@$R
    keytab: $T/alice.keytab
    namenode_principal: nn/_HOST@$R
EOF
bh --config "$T/pin.yaml" put "$T/big" /k/pinned ||
    fail "pinned: put: $(cat "$T/err")"
bh --config "$T/pin.yaml" cat /k/pinned >"$T/out" ||
    fail "pinned: cat: $(cat "$T/err")"
cmp "$T/big" "$T/out" || fail "pinned: cat differs from what was put"
bh --namenode "$NN" --kerberos --namenode-principal nn/localhost \
    cat /k/small >"$T/out" || fail "pinned, no realm: $(cat "$T/err")"
cmp "$T/small" "$T/out" || fail "pinned, no realm: cat differs"
# The NameNode at 127.0.0.1 says it is nn/localhost: not what _HOST
# makes of its address.  Refused before any ticket goes to it.
initiates=$(grep -c 'sasl state=2 ' "$SECURE_LOG")
rc=0
bh --namenode "$NN" --kerberos --namenode-principal "nn/_HOST@$R" \
    ls / || rc=$?
[ "$rc" -eq 1 ] || fail "pinned mismatch: exit $rc, not 1"
expect_err "pinned mismatch" "barge: hdfs: $NN: Server has invalid \
Kerberos principal: nn/localhost@$R, expecting: nn/127.0.0.1@$R"
[ "$(grep -c 'sasl state=2 ' "$SECURE_LOG")" -eq "$initiates" ] ||
    fail "pinned mismatch: barge still sent its ticket"
rc=0
bh --config "$T/pin.yaml" --namenode-principal "hdfs/_HOST@$R" ls / ||
    rc=$?
[ "$rc" -eq 1 ] || fail "pinned other service: exit $rc, not 1"
expect_err "pinned other service" "barge: hdfs: LocalHost:${NN##*:}: \
Server has invalid Kerberos principal: nn/localhost@$R, expecting: \
hdfs/localhost@$R"

# 8. Proxy users: alice (the login) acts as bob, which the NameNode
# allows; the context carries only effectiveUser (no realUser), the file
# is bob's, the Go client reads it back; carol is refused.
start_minidfs proxy --owner alice --proxy-user alice=bob \
    --kerberos-keytab "$T/nn.keytab" --kerberos-principal "nn/localhost@$R"
PROXY=$MD_NN
cat >"$T/proxy.yaml" <<EOF
hdfs:
  namenodes: [$PROXY]
  auth: kerberos
  kerberos:
    principal: alice@$R
    keytab: $T/alice.keytab
  proxy_user: bob
EOF
bh --namenode "$PROXY" --kerberos mkdir -p /user/bob ||
    fail "proxy: mkdir: $(cat "$T/err")"
gh chown bob "hdfs://$PROXY/user/bob" || fail "proxy: hdfs chown"
bh --config "$T/proxy.yaml" put "$T/big" rel ||
    fail "proxy: put: $(cat "$T/err")"
bh --config "$T/proxy.yaml" stat /user/bob/rel >"$T/stat" ||
    fail "proxy: stat: $(cat "$T/err")"
grep -qx 'owner: bob' "$T/stat" || fail "proxy: owner: $(cat "$T/stat")"
bh --namenode "$PROXY" --kerberos --proxy-user bob ls -l /user/bob \
    >"$T/ls" || fail "proxy: ls: $(cat "$T/err")"
grep -q '^-rw-r--r-- bob [a-z]* 200000 .* rel$' "$T/ls" ||
    fail "proxy: ls -l: $(cat "$T/ls")"
gh cat "hdfs://$PROXY/user/bob/rel" >"$T/out" || fail "proxy: hdfs cat"
cmp "$T/big" "$T/out" || fail "proxy: hdfs cat: bob's file differs"
grep -q "context user=bob protocol=[^ ]* real=alice@$R (sent: \
userInfo.effectiveUser=bob protocol=" "$MD_LOG" ||
    fail "proxy: context: $(grep context "$MD_LOG")"
if grep -q 'realUser' "$MD_LOG"; then
	fail "proxy: realUser sent with Kerberos: $(grep realUser "$MD_LOG")"
fi
rc=0
bh --namenode "$PROXY" --kerberos --proxy-user carol ls / || rc=$?
[ "$rc" -eq 1 ] || fail "proxy carol: exit $rc, not 1"
expect_err "proxy carol" "barge: hdfs: AuthorizationException: User: \
alice@$R is not allowed to impersonate carol"

exit 0
