#!/bin/sh
# The operator's kit against a real Prometheus.  promtool checks the
# shipped alerting rules and runs their unit tests
# (tests/prometheus/barge.rules.test.yml).  Then a Prometheus server of
# the test's own, on loopback, loads the rules and scrapes a barged that
# logs in by Kerberos and ships into minidfs.  Over its HTTP API:
# barged's figures match barge status; every metric the rules and the
# dashboard use has a series; every rule evaluates without error and
# none is pending or firing for the healthy host; barged(8) lists
# exactly the metrics barged exports.  Then minidfs is stopped: the
# failures and the failing-since time show up, and every panel of the
# dashboard has data.  A renamed metric fails this test.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/krb.sh"
lib_init prometheus
unset HADOOP_CONF_DIR HADOOP_HOME HADOOP_USER_NAME HADOOP_NAMENODE
need_tool prometheus prometheus
need_tool promtool prometheus
need_tool curl curl
need_tool jq jq
need_tool ss iproute2
BARGED=$top_builddir/src/barged/barged
RULES=$top_srcdir/packaging/prometheus/barge.rules.yml
DASH=$top_srcdir/packaging/prometheus/barge.dashboard.json

# The rules: valid, and each alert fires as its unit test says.
promtool check rules "$RULES" >"$T/check" 2>&1 ||
    fail "promtool check rules: $(cat "$T/check")"
nrules=$(grep -c '^      - alert: ' "$RULES")
grep -qxF "  SUCCESS: $nrules rules found" "$T/check" ||
    fail "promtool check rules: $(cat "$T/check")"
promtool test rules "$top_srcdir/tests/prometheus/barge.rules.test.yml" \
    >"$T/unit" 2>&1 || fail "promtool test rules: $(cat "$T/unit")"
jq -e '.panels | length > 0' "$DASH" >/dev/null || fail "$DASH: no panels"

R=BARGE.TEST
start_kdc "$R"
krb_principal barge/localhost "$T/barge.keytab"
krb_principal nn/localhost "$T/nn.keytab"
start_minidfs md --owner barge --kerberos-keytab "$T/nn.keytab" \
    --kerberos-principal "nn/localhost@$R"
export KRB5CCNAME="FILE:$T/no-such-cache"

mkdir -p "$T/messages.d"
cat >"$T/messages.d/ping.yaml" <<EOF
messages:
  - name: Ping
    version: 1
    fields:
      - {name: n, type: int64}
EOF
tab=$(printf '\t')
i=0
while [ $i -lt 50 ]; do
	printf 'Nov 26 10:00:00 prom-host app[1]: @Ping:1\t%d\n' "$i"
	i=$((i + 1))
done >"$T/syslog"
echo "Nov 26 10:00:01 prom-host app[1]: @Ping:1${tab}x" >>"$T/syslog"
echo "Nov 26 10:00:02 prom-host sshd[2]: not analytics" >>"$T/syslog"
cat >"$T/barge.yaml" <<EOF
host: prom-host
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
spool: {dir: $T/spool, max_bytes: 64M}
state_dir: $T/state
# The previous hour closes at once, whatever the time of the run.
batch: {max_age: 1s, close_after: 0s, close_spread: 0s}
control: {socket: $T/barged.sock, metrics: '127.0.0.1:0'}
EOF
lib_start 300 "$BARGED" -f -c "$T/barge.yaml" 2>"$T/barged.log"
bst() {
	timeout 10 "$BARGE" status --socket "$T/barged.sock" "$@"
}
landed() {
	bst --json >"$T/status.json" 2>/dev/null &&
	    [ "$(jq '.uploader.files' "$T/status.json")" = 2 ] &&
	    [ "$(jq '.spool.open + .spool.sealed' "$T/status.json")" = 0 ] &&
	    [ "$(jq -r '.closed_hour' "$T/status.json")" != null ]
}
wait_for 60 landed
mport=$(sed -n 's|.*control: metrics on http://127.0.0.1:\([0-9]*\)/metrics$|\1|p' \
    "$T/barged.log")
[ -n "$mport" ] || fail "no metrics port in the log: $(cat "$T/barged.log")"

# Prometheus on a free loopback port, scraping barged every second.
pport=$(free_port)
cat >"$T/prometheus.yml" <<EOF
global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: ['$RULES']
scrape_configs:
  - job_name: barge
    static_configs: [{targets: ['127.0.0.1:$mport']}]
EOF
lib_start 300 prometheus --config.file="$T/prometheus.yml" \
    --storage.tsdb.path="$T/prom-data" \
    --web.listen-address="127.0.0.1:$pport" 2>"$T/prometheus.log"
api() {
	curl -fsS --max-time 10 "http://127.0.0.1:$pport/api/v1/$1" \
	    ${2:+--data-urlencode "$2"} >"$T/api.json" 2>/dev/null &&
	    jq -e '.status == "success"' "$T/api.json" >/dev/null
}
# The query's result: one line "labels value" per series, sorted.
query() {
	api query "query=$1" || fail "query $1: $(cat "$T/api.json")"
	jq -r '.data.result[] | "\(.metric | del(.__name__, .instance, .job)
	    | to_entries | map("\(.key)=\(.value)") | join(",")) \(.value[1])"' \
	    "$T/api.json" | sort
}
scraped() {
	api query 'query=up{job="barge"}' &&
	    [ "$(jq -r '.data.result[0].value[1]' "$T/api.json")" = 1 ] &&
	    api query 'query=count_over_time(barge_lines_total[1m])' &&
	    [ "$(jq -r '.data.result[0].value[1] // 0' "$T/api.json")" -ge 3 ]
}
# On a failure, what Prometheus said, and its last answer.
prom_cleanup() {
	prom_rc=$?
	if [ "$prom_rc" != 0 ]; then
		tail -n 20 "$T/prometheus.log" >&2 2>/dev/null || :
		cat "$T/api.json" >&2 2>/dev/null || :
	fi
	(exit "$prom_rc")
	lib_cleanup
}
trap prom_cleanup EXIT
wait_for 60 scraped

# The figures Prometheus holds are barged's own.
bst --json >"$T/status.json"
expect() {
	got=$(query "$1")
	[ "$got" = "$2" ] || fail "$1: Prometheus has '$got', want '$2'"
}
expect 'barge_lines_total' " 52"
expect 'barge_rows_total' "message=Ping:1 50"
expect 'barge_invalid_total{reason="bad-int64"}' "reason=bad-int64 1"
expect 'barge_skipped_lines_total' "kind=not-analytics 1
kind=not-syslog 0"
expect 'barge_uploaded_files_total' " 2"
expect 'barge_uploaded_bytes_total' " $(jq .uploader.bytes "$T/status.json")"
expect 'barge_spool_max_bytes' " 67108864"
expect 'barge_spool_bytes' " 0"
expect 'barge_input_offset_bytes' "path=$T/syslog $(stat -c %s "$T/syslog")"
expect 'barge_input_lost_bytes_total' "path=$T/syslog 0"
expect 'barge_upload_failures_total' " 0"
expect 'barge_upload_failing_since_timestamp_seconds' " 0"
hour=$(jq -r .closed_hour "$T/status.json")
expect 'barge_closed_hour_end_timestamp_seconds' \
    " $(($(date -u -d "${hour%T*} ${hour#*T}:00" +%s) + 3600))"
expect 'barge_kerberos_ticket_expiry_timestamp_seconds' \
    " $(($(jq .uploader.kerberos.ticket_expiry_ms "$T/status.json") / 1000))"

# barged(8) lists exactly the metrics barged exports.
bst --prometheus | sed -n 's/^# TYPE \(barge_[a-z0-9_]*\) .*/\1/p' |
    sort >"$T/exported"
grep '^\.It Li barge_' "$top_srcdir/man/barged.8" | grep -o 'barge_[a-z0-9_]*' |
    sort >"$T/documented"
diff "$T/exported" "$T/documented" >"$T/diff" ||
    fail "barged(8) METRICS differs from what barged exports: $(cat "$T/diff")"

# Every metric the rules and the dashboard name is scraped.
grep -oh 'barge_[a-z0-9_]*' "$RULES" "$DASH" | sort -u >"$T/used"
[ -s "$T/used" ] || fail "no metric names in the rules and the dashboard"
while read -r name; do
	grep -qxF "$name" "$T/exported" ||
	    fail "$name, in the rules or the dashboard, is not a barged metric"
	[ -n "$(query "$name")" ] || fail "$name: no series in Prometheus"
done <"$T/used"

# Every rule is loaded and evaluates cleanly; nothing alerts on a
# healthy host.
evaluated() {
	api rules &&
	    [ "$(jq '[.data.groups[].rules[]] | length' "$T/api.json")" = \
	    "$nrules" ] &&
	    jq -e '[.data.groups[].rules[] | select(.health != "ok")] |
	    length == 0' "$T/api.json" >/dev/null
}
wait_for 30 evaluated
[ -z "$(query ALERTS)" ] || fail "alerts on a healthy host: $(query ALERTS)"

# Uploads fail once minidfs is gone.
lib_stop "$MD_PID"
killed=$(date +%s)
echo "Nov 26 10:00:03 prom-host app[1]: @Ping:1${tab}50" >>"$T/syslog"
failing() {
	api query 'query=barge_upload_failing_since_timestamp_seconds > 0' &&
	    [ "$(jq '.data.result | length' "$T/api.json")" = 1 ] &&
	    api query 'query=barge_upload_failures_total > 0' &&
	    [ "$(jq '.data.result | length' "$T/api.json")" = 1 ]
}
wait_for 60 failing
since=$(query barge_upload_failing_since_timestamp_seconds)
since=${since# }
[ "$since" -ge "$killed" ] && [ "$since" -le "$(date +%s)" ] ||
    fail "failing since $since; minidfs stopped at $killed"

# Every panel of the dashboard has data, for all hosts.
jq -r '.panels[] | .title as $t | .targets[] | "\($t)\t\(.expr)"' "$DASH" |
while IFS="$tab" read -r title expr; do
	expr=$(printf '%s' "$expr" | sed 's/\$instance/.*/g')
	[ -n "$(query "$expr")" ] || fail "panel '$title': no data for $expr"
done
exit 0
