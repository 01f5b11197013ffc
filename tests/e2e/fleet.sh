#!/bin/sh
# Three hosts into one minidfs, lines stamped in the previous hour, hours
# closing 2 s after they end (close_after 2s, close_spread 0).  Host c is
# not started at first: barge hours names it and exits 1; once c runs,
# the hour is complete, --mark writes _SUCCESS (seen by the Go client),
# each host has one marker, the manifests list every file once with its
# rows, and barge audit passes.  Then a deleted file and an orphan are
# each found by name, exit 1.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"
lib_init fleet
e2e_init

start_minidfs md --owner "$E2E_USER"
now=$(date -u +%s)
prev=$((now - 3600))
hour=$(date -u -d "@$prev" +%Y-%m-%dT%H)
day=$(date -u -d "@$prev" +%Y-%m-%d)
hh=$(date -u -d "@$prev" +%H)
stamp=$(date -u -d "@$prev" '+%b %e %H:%M:%S')
tab=$(printf '\t')

# host HOST: its config, and 5 lines of the previous hour.
host() {
	mkdir -p "$T/$1"
	i=1
	while [ $i -le 5 ]; do
		echo "$stamp $1 app[1]: @E2e:1${tab}$i${tab}$1${tab}\\N"
		i=$((i + 1))
	done >"$T/$1/syslog"
	cat >"$T/$1/barge.yaml" <<EOF
host: $1
messages_dir: $T/messages
inputs:
  - {path: $T/$1/syslog, start_at: beginning}
hdfs: {namenodes: [$MD_NN], user: $E2E_USER, root: /barge}
spool: {dir: $T/$1/spool}
state_dir: $T/$1/state
batch: {close_after: 2s, close_spread: 0}
control: {socket: $T/$1/sock, metrics: ''}
EOF
}

start_host() {
	lib_start 300 "$BARGED" -f -c "$T/$1/barge.yaml" 2>>"$T/$1/log"
	eval "PID_$1=\$LAST_PID"
}

closed() {
	[ "$(timeout 10 "$BARGE" status --socket "$T/$1/sock" --json |
	    jq -r .closed_hour)" = "$hour" ]
}

hours() {
	"$BARGE" hours -c "$T/a/barge.yaml" --hosts "$T/hosts" "$@" E2e:1 \
	    "$hour"
}

printf 'a\nb\nc\n' >"$T/hosts"
for h in a b c; do
	host $h
done
start_host a
start_host b
wait_for 60 closed a
wait_for 60 closed b

rc=0
hours >"$T/out" || rc=$?
[ "$rc" -eq 1 ] || fail "barge hours with c stopped: exit $rc"
[ "$(cat "$T/out")" = "E2e:1 $hour incomplete 2/3 hosts; open: c (never closed an hour)" ] ||
    fail "barge hours said: $(cat "$T/out")"

start_host c
wait_for 60 closed c
hours --mark >"$T/out" || fail "barge hours after c: $(cat "$T/out")"
[ "$(cat "$T/out")" = "E2e:1 $hour complete 3/3 hosts" ] ||
    fail "barge hours said: $(cat "$T/out")"
hours --mark --json >"$T/out.json" || fail "barge hours --json"
[ "$(jq -c '.hours[0] | [.complete, .closed, .expected]' "$T/out.json")" = \
    '[true,3,3]' ] || fail "json: $(cat "$T/out.json")"

export HADOOP_NAMENODE=$MD_NN
hdfs ls "/barge/E2e/v1/dt=$day/hour=$hh/_SUCCESS" >/dev/null ||
    fail "no _SUCCESS in hour=$hh"
hdfs ls /barge/_barge/hosts | sort >"$T/markers"
printf '%s\n' "a@$hour" "b@$hour" "c@$hour" >"$T/markers.want"
cmp -s "$T/markers" "$T/markers.want" || fail "markers: $(cat "$T/markers")"
# Every file listed once, with its rows: 5 per host, one file each.
for h in a b c; do
	hdfs cat "/barge/_barge/manifests/dt=$day/$h.json" >"$T/$h.json"
	[ "$(jq -c '[.host, (.files | length), .files[0].rows,
	    .files[0].hour, .files[0].message]' "$T/$h.json")" = \
	    "[\"$h\",1,5,\"$hour\",\"E2e\"]" ] || fail "$h.json: $(cat "$T/$h.json")"
done
[ "$(hdfs ls "/barge/E2e/v1/dt=$day/hour=$hh" | grep -c '\.tsv\.gz$')" = 3 ] ||
    fail "not one file per host: $(hdfs ls "/barge/E2e/v1/dt=$day/hour=$hh")"

"$BARGE" audit -c "$T/a/barge.yaml" --rows "$day" >"$T/audit" ||
    fail "audit: $(cat "$T/audit")"
grep -q '^E2e:1  *3  *3  *15 ' "$T/audit" || fail "audit: $(cat "$T/audit")"

# A deleted file and an orphan, each by name.
gone=$(jq -r '.files[0].path' "$T/b.json")
hdfs rm "$gone"
orphan=/barge/E2e/v1/dt=$day/hour=$hh/x-00000000000000ff.tsv.gz
echo x | gzip | hdfs put - "$orphan"
rc=0
"$BARGE" audit -c "$T/a/barge.yaml" "$day" >"$T/audit" || rc=$?
[ "$rc" -eq 1 ] || fail "audit exit $rc: $(cat "$T/audit")"
grep -qx "missing: $gone: listed by b, not in HDFS" "$T/audit" ||
    fail "audit: $(cat "$T/audit")"
grep -q "^orphan: $orphan: " "$T/audit" || fail "audit: $(cat "$T/audit")"
grep -qx '2 problems' "$T/audit" || fail "audit: $(cat "$T/audit")"

for h in a b c; do
	eval "kill -TERM \$PID_$h"
done
echo "fleet: 3 hosts closed $hour; hours, --mark, manifests and audit agree"
