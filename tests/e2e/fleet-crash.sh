#!/bin/sh
# barged killed with SIGKILL at the moments the fleet's records are
# most fragile, each time after minidfs ran the call and before barged
# heard its answer (minidfs holds those replies 1.5 s):
#   1. a data file renamed to its final name, not yet in the manifest
#      journal;
#   2. the manifest's hidden file given a block, left open under the
#      dead barged's lease;
#   3. the manifest renamed into place, not yet recorded as published;
#   4. the host's first marker created, left open under that lease.
# Restarted each time.  At the end every row is in HDFS exactly once,
# every data file is listed exactly once in the manifest, nothing
# hidden is left, the marker names the hour, and barge audit --rows
# passes.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"
lib_init fleet-crash
e2e_init

start_minidfs md --owner "$E2E_USER" --slow-ms 1500 \
    --slow-method create,addBlock,rename2
now=$(date -u +%s)
prev=$((now - 3600))
hour=$(date -u -d "@$prev" +%Y-%m-%dT%H)
day=$(date -u -d "@$prev" +%Y-%m-%d)
stamp=$(date -u -d "@$prev" '+%b %e %H:%M:%S')

# Lines 1..10 of the previous hour: 8 rows, 1 bad-int64, 1 noise; two
# files.
e2e_gen 1 10 '#011' | sed "s/^/$stamp $E2E_HOST app[42]: /" >"$E2E_INPUT"
cat >"$T/barge.yaml" <<EOF
host: $E2E_HOST
messages_dir: $T/messages
inputs:
  - {path: $E2E_INPUT, start_at: beginning}
hdfs: {namenodes: [$MD_NN], user: $E2E_USER, root: /barge}
spool: {dir: $T/spool}
state_dir: $T/state
batch: {close_after: 1s, close_spread: 0}
control: {socket: $T/sock, metrics: ''}
EOF

# held METHOD PATTERN: minidfs holds (has logged the hold of) a reply
# to METHOD whose call named a path matching PATTERN, after line
# $seen of its log.
held() {
	awk -v from="$seen" -v m="$1" -v pat="$2" '
	NR <= from { next }
	$2 ~ /^call=/ { last = $0; next }
	$2 == "slow" && $5 == "method=" m && last ~ ("^" m " ") &&
	    last ~ pat { found = 1; exit }
	END { exit !found }' "$MD_LOG"
}

# crash METHOD PATTERN: start barged, kill it once that reply is held.
crash() {
	seen=$(wc -l <"$MD_LOG")
	e2e_start
	wait_for 60 held "$1" "$2"
	e2e_kill
	echo "killed at $1 $2" >>"$T/barged.log"
}

crash rename2 'dst=/barge/(E2e|_invalid)/[^ ]*\.tsv\.gz '
crash addBlock 'src=/barge/_barge/manifests/'
crash rename2 'dst=/barge/_barge/manifests/'
crash create 'src=/barge/_barge/hosts/'

e2e_start
wait_for 60 sh -c "[ \"\$(timeout 10 '$BARGE' status --socket '$T/sock' \
    --json | jq -r .closed_hour)\" = '$hour' ]"
e2e_term

e2e_expect "$E2E_INPUT"
e2e_collect "$MD_NN"
e2e_compare 1 10

export HADOOP_NAMENODE=$MD_NN
[ "$(hdfs ls /barge/_barge/hosts)" = "$E2E_HOST@$hour" ] ||
    fail "markers: $(hdfs ls /barge/_barge/hosts)"
if hdfs ls "/barge/_barge/manifests/dt=$day" | grep '^\.'; then
	fail "a hidden manifest is left"
fi
hdfs cat "/barge/_barge/manifests/dt=$day/$E2E_HOST.json" |
    jq -r '.files[].path' | sort >"$T/listed"
grep '\.tsv\.gz$' "$T/ls" | sort >"$T/files"
[ "$(wc -l <"$T/files")" = 2 ] || fail "files: $(cat "$T/files")"
cmp -s "$T/listed" "$T/files" || fail "listed: $(cat "$T/listed")"
"$BARGE" audit -c "$T/barge.yaml" --rows "$day" >"$T/audit" ||
    fail "audit: $(cat "$T/audit")"
grep -qx '0 problems' "$T/audit" || fail "audit: $(cat "$T/audit")"
echo "fleet-crash: 4 kills at the records' fragile moments; every row" \
    "once, every file listed once, audit passes"
