#!/bin/sh
# barged logs in from its keytab by itself and never lets its ticket
# lapse: in a realm whose tickets live 8 seconds, barged ships four
# rounds of rows, each round on a new NameNode connection (the old one
# idles out after 10 s) made after the previous tickets expired.  Every
# row lands exactly once, the NameNode authenticated each connection by
# Kerberos, and the KDC saw barged log in again from the keytab.  No
# ticket cache is used or written, and barge status shows the login.
# Data transfer runs at privacy: every block written through a wrapped
# and encrypted stream.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/krb.sh"
lib_init kerberos-renew
unset HADOOP_CONF_DIR HADOOP_HOME HADOOP_USER_NAME HADOOP_NAMENODE
BARGED=$top_builddir/src/barged/barged
[ -x "$BARGED" ] || fail "$BARGED is not built"

R=BARGE.TEST
LIFE=8
start_kdc "$R" "${LIFE}s"
krb_principal barge/localhost "$T/barge.keytab"
krb_principal nn/localhost "$T/nn.keytab"
start_minidfs md --owner barge --kerberos-keytab "$T/nn.keytab" \
    --kerberos-principal "nn/localhost@$R" --data-transfer-protection privacy
export KRB5CCNAME="FILE:$T/no-such-cache"

mkdir -p "$T/messages.d"
cat >"$T/messages.d/ping.yaml" <<EOF
messages:
  - name: Ping
    version: 1
    fields:
      - {name: n, type: int64}
EOF
: >"$T/syslog"
cat >"$T/barge.yaml" <<EOF
host: krb-host
messages_dir: $T/messages.d
inputs:
  - {path: $T/syslog, start_at: beginning}
hdfs:
  namenodes: [$MD_NN]
  root: /data/barge
  auth: kerberos
  kerberos:
    principal: barge/localhost@$R
    keytab: $T/barge.keytab
  data_transfer_protection: privacy
spool: {dir: $T/spool}
state_dir: $T/state
batch: {max_age: 1s}
control: {socket: $T/barged.sock, metrics: ''}
EOF
lib_start 300 "$BARGED" -f -c "$T/barge.yaml" 2>"$T/barged.log"

landed() {
	timeout 10 "$BARGE" status --socket "$T/barged.sock" --json \
	    >"$T/status.json" 2>/dev/null || return 1
	grep -q "\"offset\":$(stat -c %s "$T/syslog")," "$T/status.json" &&
	    grep -q '"open":0,"sealed":0,' "$T/status.json" &&
	    grep -q '"state":"idle"' "$T/status.json"
}
later_than() {
	[ "$(date +%s)" -ge "$1" ]
}

: >"$T/want"
for round in 1 2 3 4; do
	i=0
	while [ $i -lt 50 ]; do
		n=$((round * 1000 + i))
		printf 'Nov 26 10:00:00 krb-host app[1]: @Ping:1#011%d\n' \
		    "$n" >>"$T/syslog"
		echo "$n" >>"$T/want"
		i=$((i + 1))
	done
	wait_for 60 landed ||
	    fail "round $round did not land: $(cat "$T/status.json")"
	# Past the tickets' life and the connection's 10 s idle limit.
	[ $round -eq 4 ] || wait_for 30 later_than $(($(date +%s) + 12))
done

# One Kerberos login on the NameNode per connection, several
# connections, and more than one AS exchange for barged's principal
# (counted before the checks below log in themselves).
conns=$(grep -c "krb authenticated principal=barge/localhost@$R" "$MD_LOG")
[ "$conns" -ge 4 ] || fail "only $conns Kerberos connections"
logins=$(grep -c "AS_REQ.*barge/localhost@$R for krbtgt" "$KDC_LOG")
[ "$logins" -ge 3 ] || fail "barged logged in $logins times from its keytab"
[ ! -e "$T/no-such-cache" ] || fail "barged wrote the default ticket cache"
# Each block went to the DataNode at privacy, and no frame failed.
writes=$(grep -c '^dn0 WRITE_BLOCK' "$MD_LOG")
sealed=$(grep -c '^dn0 sasl user=.* qop=auth-conf ssf=' "$MD_LOG")
[ "$writes" -ge 4 ] && [ "$sealed" -ge "$writes" ] ||
    fail "$writes blocks written, $sealed handshakes at privacy"
if grep -q 'sasl relay:\|sasl refused' "$MD_LOG"; then
	fail "a DataNode frame failed: $(grep 'sasl r' "$MD_LOG")"
fi

# barge status shows the login and a ticket that expires within its life.
timeout 10 "$BARGE" status --socket "$T/barged.sock" >"$T/status.txt" ||
    fail "barge status"
grep -Eq "^  kerberos: barge/localhost@$R, ticket expires in [0-$LIFE] s\$" \
    "$T/status.txt" || fail "barge status: $(cat "$T/status.txt")"
timeout 10 "$BARGE" status --socket "$T/barged.sock" --json \
    >"$T/status.json" || fail "barge status --json"
expiry=$(sed -n 's/.*"kerberos":{"principal":"barge\/localhost@BARGE\.TEST","ticket_expiry_ms":\([0-9]*\)}.*/\1/p' \
    "$T/status.json")
now_ms=$(($(date +%s) * 1000))
[ -n "$expiry" ] && [ "$expiry" -gt $((now_ms - 1000)) ] &&
    [ "$expiry" -le $((now_ms + LIFE * 1000 + 1000)) ] ||
    fail "barge status --json: ticket expiry: $(cat "$T/status.json")"

# Every row, once: the third column (time, host, n).
bh() {
	timeout 60 "$BARGE" hdfs --namenode "$MD_NN" --kerberos \
	    --principal "barge/localhost@$R" --keytab "$T/barge.keytab" \
	    --data-transfer-protection privacy "$@"
}
bh ls -R /data/barge >"$T/files" || fail "ls -R /data/barge"
: >"$T/got"
for f in $(grep '/Ping/.*\.tsv\.gz$' "$T/files"); do
	bh cat "$f" | gzip -dc | cut -f 3 >>"$T/got" || fail "cat $f"
done
sort -n "$T/got" | diff "$T/want" - >"$T/diff" ||
    fail "rows in HDFS differ from the rows written: $(head "$T/diff")"
exit 0
