#!/bin/sh
# Three hosts into one minidfs.  Lines are stamped in the previous hour
# H, whose close (close_after, close_spread 0) is set 15 s ahead: the
# last two lines of each running host arrive late, inside close_after,
# and still join the one file of that host and hour.  Host a also logs
# a Rare:1 line (partition: day) stamped a day ago, which lands in
# dt=<that day>/ alone (a late file: a host's first start counts the
# hours before H-1 as closed).  Host c is not started at first: barge hours
# names it and exits 1; once c runs, the hour is complete, --mark
# writes _SUCCESS (seen by the Go client), each host has one marker,
# the manifests list every file once with its rows, and barge audit
# passes.  minidfs's call log shows at most 5 NameNode calls per data
# file and at most 2 per host and hour closed for the markers.  Then a
# deleted file, an orphan and a truncated file are each found by name,
# exit 1.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"
lib_init fleet
e2e_init

cat >"$T/messages/rare.yaml" <<'EOF'
messages:
  - name: Rare
    version: 1
    partition: day
    fields:
      - {name: n, type: int32}
EOF
start_minidfs md --owner "$E2E_USER"
now=$(date -u +%s)
prev=$((now - 3600))
hour=$(date -u -d "@$prev" +%Y-%m-%dT%H)
day=$(date -u -d "@$prev" +%Y-%m-%d)
hh=$(date -u -d "@$prev" +%H)
stamp=$(date -u -d "@$prev" '+%b %e %H:%M:%S')
rday=$(date -u -d "@$((now - 86400))" +%Y-%m-%d)
rstamp=$(date -u -d "@$((now - 86400))" '+%b %e %H:%M:%S')
# Hour H closes 15 s from now.
close_after=$((now - (prev / 3600 + 1) * 3600 + 15))s
tab=$(printf '\t')

# lines HOST FIRST LAST: E2e:1 lines FIRST..LAST of the previous hour.
lines() {
	i=$2
	while [ "$i" -le "$3" ]; do
		echo "$stamp $1 app[1]: @E2e:1${tab}$i${tab}$1${tab}\\N"
		i=$((i + 1))
	done >>"$T/$1/syslog"
}

# host HOST: its config.
host() {
	mkdir -p "$T/$1"
	: >"$T/$1/syslog"
	cat >"$T/$1/barge.yaml" <<EOF
host: $1
messages_dir: $T/messages
inputs:
  - {path: $T/$1/syslog, start_at: beginning}
hdfs: {namenodes: [$MD_NN], user: $E2E_USER, root: /barge}
spool: {dir: $T/$1/spool}
state_dir: $T/$1/state
batch: {close_after: $close_after, close_spread: 0}
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
	lines $h 1 3
done
echo "$rstamp a app[1]: @Rare:1${tab}7" >>"$T/a/syslog"
start_host a
start_host b
sleep 3
! closed a || fail "hour $hour closed before its close_after ($close_after)"
lines a 4 5
lines b 4 5
lines c 4 5
wait_for 60 closed a
wait_for 60 closed b

rc=0
hours >"$T/out" || rc=$?
[ "$rc" -eq 1 ] || fail "barge hours with c stopped: exit $rc"
[ "$(cat "$T/out")" = "E2e:1 $hour incomplete 2/3 hosts; open: c (never closed an hour)" ] ||
    fail "barge hours said: $(cat "$T/out")"

start_host c
wait_for 60 closed c
# barged's calls only: the Go client's reads come after.
cp "$MD_LOG" "$T/calls"
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
	[ "$(jq -c '[.host, ([.files[] | select(.message == "E2e")] |
	    length, .[0].rows, .[0].hour)]' "$T/$h.json")" = \
	    "[\"$h\",1,5,\"$hour\"]" ] || fail "$h.json: $(cat "$T/$h.json")"
done
[ "$(hdfs ls "/barge/E2e/v1/dt=$day/hour=$hh" | grep -c '\.tsv\.gz$')" = 3 ] ||
    fail "not one file per host: $(hdfs ls "/barge/E2e/v1/dt=$day/hour=$hh")"

# The daily message: one file of host a in dt=<day> itself, listed in
# a's manifest of that day.
hdfs ls "/barge/Rare/v1/dt=$rday" >"$T/rare.ls"
grep -qx 'a-[0-9a-f]\{16\}\.tsv\.gz' "$T/rare.ls" && [ "$(wc -l <"$T/rare.ls")" = 1 ] ||
    fail "Rare:1 in dt=$rday: $(cat "$T/rare.ls")"
hdfs cat "/barge/Rare/v1/dt=$rday/$(cat "$T/rare.ls")" | zcat >"$T/rare.rows"
printf '%s000\ta\t7\n' $((now - 86400)) >"$T/rare.want"
cmp -s "$T/rare.rows" "$T/rare.want" || fail "Rare:1 rows: $(cat "$T/rare.rows")"
hdfs cat "/barge/_barge/manifests/dt=$rday/a.json" >"$T/a.rare.json"
[ "$(jq -c '[.files[] | select(.message == "Rare") |
    [.hour, .rows, .path]]' "$T/a.rare.json")" = \
    "[[null,1,\"/barge/Rare/v1/dt=$rday/$(cat "$T/rare.ls")\"]]" ] ||
    fail "a's manifest of $rday: $(cat "$T/a.rare.json")"

# The NameNode's bill, from minidfs's call log: per data file, the
# calls that name its hidden or final path; per host, the marker calls
# against the hours it closed.
awk '
$2 ~ /^call=/ {
	for (i = 3; i <= NF; i++)
		if ($i ~ /^(src|dst)=/) {
			p = substr($i, 5)
			if (p ~ /\.tsv\.gz(\.tmp)?$/) {
				sub(/\/\./, "/", p); sub(/\.tmp$/, "", p)
				files[p]++
				break
			}
			if (p ~ /\/_barge\/hosts\//) {
				h = p; sub(/.*\//, "", h); sub(/@.*/, "", h)
				mcalls[h]++
				if (!seen[p]++) mhours[h]++
				break
			}
		}
}
END {
	for (f in files) print "file", files[f], f
	for (h in mcalls) print "markers", mcalls[h], mhours[h], h
}' "$T/calls" | sort >"$T/bill"
awk '$1 == "file" && $2 > 5 { bad = 1 }
    $1 == "markers" && $2 > 2 * $3 { bad = 1 }
    END { exit bad }' "$T/bill" || fail "NameNode calls: $(cat "$T/bill")"
[ "$(grep -c '^file ' "$T/bill")" = 4 ] || fail "files: $(cat "$T/bill")"
[ "$(grep -c '^markers ' "$T/bill")" = 3 ] || fail "markers: $(cat "$T/bill")"

"$BARGE" audit -c "$T/a/barge.yaml" --rows "$day" >"$T/audit" ||
    fail "audit: $(cat "$T/audit")"
grep -q '^E2e:1  *3  *3  *15 ' "$T/audit" || fail "audit: $(cat "$T/audit")"
"$BARGE" audit -c "$T/a/barge.yaml" --rows "$rday" >"$T/audit" ||
    fail "audit $rday: $(cat "$T/audit")"
grep -q '^Rare:1  *1  *1  *1 ' "$T/audit" || fail "audit $rday: $(cat "$T/audit")"

# A deleted file, an orphan and a truncated file, each by name.
gone=$(jq -r '.files[] | select(.message == "E2e") | .path' "$T/b.json")
hdfs rm "$gone"
orphan=/barge/E2e/v1/dt=$day/hour=$hh/x-00000000000000ff.tsv.gz
echo x | gzip | hdfs put - "$orphan"
short=$(jq -r '.files[] | select(.message == "E2e") | .path' "$T/c.json")
bytes=$(jq -r '.files[] | select(.message == "E2e") | .bytes' "$T/c.json")
hdfs cat "$short" | head -c 20 >"$T/short"
hdfs rm "$short"
hdfs put "$T/short" "$short"
rc=0
"$BARGE" audit -c "$T/a/barge.yaml" "$day" >"$T/audit" || rc=$?
[ "$rc" -eq 1 ] || fail "audit exit $rc: $(cat "$T/audit")"
grep -qx "missing: $gone: listed by b, not in HDFS" "$T/audit" ||
    fail "audit: $(cat "$T/audit")"
grep -q "^orphan: $orphan: " "$T/audit" || fail "audit: $(cat "$T/audit")"
grep -qx "length: $short: 20 bytes in HDFS, $bytes in the manifest of c" \
    "$T/audit" || fail "audit: $(cat "$T/audit")"
grep -qx '3 problems' "$T/audit" || fail "audit: $(cat "$T/audit")"

for h in a b c; do
	eval "kill -TERM \$PID_$h"
done
echo "fleet: 3 hosts closed $hour, late lines joined their file;" \
    "hours, --mark, manifests, the call bill and audit agree"
