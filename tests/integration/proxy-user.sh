#!/bin/sh
# Proxy users with SIMPLE authentication: barge connects as hdfs.user
# and acts as --proxy-user / hdfs.proxy_user, which minidfs allows as
# hadoop.proxyuser.<real>.users does.  The context carries effectiveUser
# and realUser; files belong to the proxy user, relative paths live under
# its home, the Go client reads them back byte for byte as that user;
# a user the real one may not impersonate, or a real user with no such
# right at all, is refused with the NameNode's own FATAL reply.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
lib_init proxy-user
need_tool hdfs hdfs-cli
unset HADOOP_CONF_DIR HADOOP_HOME HADOOP_USER_NAME HADOOP_NAMENODE

start_minidfs p --owner admin --proxy-user loader=bob,carol \
    --proxy-user any='*'
NN=$MD_NN
LOG=$MD_LOG

bh() {
	timeout 60 "$BARGE" hdfs --namenode "$NN" "$@" 2>"$T/err"
}
gh() {
	HADOOP_NAMENODE="$NN" timeout 60 hdfs "$@"
}
expect_err() {
	printf '%s\n' "$2" | diff - "$T/err" >"$T/diff" ||
	    fail "$1: stderr differs: $(cat "$T/diff")"
}

# bob's home, made by the superuser.
bh --user admin mkdir -p /user/bob || fail "mkdir /user/bob: $(cat "$T/err")"
HADOOP_USER_NAME=admin gh chown bob /user/bob || fail "hdfs chown bob"
head -c 300000 /dev/urandom >"$T/data"

# 1. Allowed: loader writes as bob, from the command line and from
# barge.yaml; a relative path is bob's.
bh --user loader --proxy-user bob put "$T/data" rel ||
    fail "proxy put: $(cat "$T/err")"
bh --user loader --proxy-user bob stat /user/bob/rel >"$T/stat" ||
    fail "proxy stat: $(cat "$T/err")"
grep -qx 'owner: bob' "$T/stat" || fail "owner not bob: $(cat "$T/stat")"
grep -qx 'length: 300000' "$T/stat" || fail "length: $(cat "$T/stat")"
HADOOP_USER_NAME=bob gh cat /user/bob/rel >"$T/out" || fail "hdfs cat as bob"
cmp "$T/data" "$T/out" || fail "hdfs cat: the proxy user's file differs"
grep -q "context user=bob protocol=.* real=loader (sent: \
userInfo.effectiveUser=bob userInfo.realUser=loader protocol=" "$LOG" ||
    fail "context not effectiveUser=bob realUser=loader: \
$(grep context "$LOG")"

cat >"$T/barge.yaml" <<EOF
hdfs:
  namenodes: [$NN]
  user: loader
  proxy_user: bob
EOF
timeout 60 "$BARGE" hdfs --config "$T/barge.yaml" put "$T/data" \
    /user/bob/conf 2>"$T/err" || fail "barge.yaml put: $(cat "$T/err")"
timeout 60 "$BARGE" hdfs --config "$T/barge.yaml" ls -l /user/bob \
    >"$T/ls" 2>"$T/err" || fail "barge.yaml ls: $(cat "$T/err")"
grep -q '^-rw-r--r-- bob [a-z]* 300000 .* conf$' "$T/ls" ||
    fail "ls -l: $(cat "$T/ls")"
HADOOP_USER_NAME=bob gh cat /user/bob/conf >"$T/out" ||
    fail "hdfs cat conf as bob"
cmp "$T/data" "$T/out" || fail "hdfs cat: conf differs"
# The permissions are bob's: he may not write into admin's root.
bh --user loader --proxy-user bob put "$T/data" /nope &&
    fail "bob wrote into /"
expect_err "bob in /" "barge: hdfs: /nope: AccessControlException: \
Permission denied: user=bob, access=WRITE, inode=\"/\":admin:supergroup:\
drwxr-xr-x"

# 2. Refused: a user loader may not act as, a real user with no proxy
# rights; the FATAL AuthorizationException comes through as the
# NameNode says it, on the first try (one context refused), exit 1.
rc=0
bh --user loader --proxy-user mallory ls / || rc=$?
[ "$rc" -eq 1 ] || fail "mallory: exit $rc, not 1"
expect_err "not allowed" "barge: hdfs: AuthorizationException: User: \
loader is not allowed to impersonate mallory"
grep -q "fatal call=-3 class=org.apache.hadoop.security.authorize.\
AuthorizationException msg=User: loader is not allowed to impersonate \
mallory" "$LOG" || fail "no FATAL reply to the context in the log"
[ "$(grep -c 'impersonate mallory' "$LOG")" -eq 1 ] ||
    fail "the refused context was tried again"
rc=0
bh --user eve --proxy-user bob ls / || rc=$?
[ "$rc" -eq 1 ] || fail "eve: exit $rc, not 1"
expect_err "no proxy rights" "barge: hdfs: AuthorizationException: User: \
eve is not allowed to impersonate bob"
# The wildcard: "any" may act as anyone.
bh --user any --proxy-user bob ls /user/bob >"$T/ls" ||
    fail "wildcard: $(cat "$T/err")"
printf 'conf\nrel\n' | diff - "$T/ls" || fail "wildcard: ls"

# 3. Without a proxy user nothing changes: no realUser is sent.
bh --user admin ls /user >/dev/null || fail "plain ls: $(cat "$T/err")"
grep -q "context user=admin protocol=[^ ]* (sent: \
userInfo.effectiveUser=admin protocol=" "$LOG" ||
    fail "plain context: $(grep context "$LOG")"

exit 0
