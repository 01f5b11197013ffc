# barged's own surface: start-up checks and errors, barge status (text,
# JSON, Prometheus) and the HTTP metrics endpoint agreeing with it, and a
# clean stop on SIGTERM that leaves nothing in the spool.
set -eu
. "$top_srcdir/tests/lib.sh"
lib_init barged-status
need_tool socat socat
need_tool zcat gzip
BARGED=$top_builddir/src/barged/barged

# Usage and configuration errors, before anything runs.
"$BARGED" --version >"$T/out"
[ "$(cat "$T/out")" = "barged $PACKAGE_VERSION" ] || fail "--version: $(cat "$T/out")"
"$BARGED" -x 2>"$T/err" && fail "-x accepted"
[ "$(tail -n 1 "$T/err")" = "$("$BARGED" --help)" ] || fail "-x: $(cat "$T/err")"
printf 'hdfs:\n  namenods: [a:1]\n' >"$T/bad.yaml"
rc=0; "$BARGED" -n -c "$T/bad.yaml" 2>"$T/err" || rc=$?
[ $rc -eq 1 ] || fail "bad config: rc $rc"
[ "$(cat "$T/err")" = "barged: config: $T/bad.yaml:2:3: unknown key 'namenods' in hdfs" ] ||
    fail "bad config: $(cat "$T/err")"
printf 'messages_dir: %s\n' "$top_srcdir/conf/messages.d" >"$T/nonn.yaml"
rc=0; "$BARGED" -f -c "$T/nonn.yaml" 2>"$T/err" || rc=$?
[ $rc -eq 1 ] || fail "no namenodes: rc $rc"
[ "$(cat "$T/err")" = "barged: config: $T/nonn.yaml: hdfs.namenodes is not set" ] ||
    fail "no namenodes: $(cat "$T/err")"

start_minidfs md --owner tester
barged_yaml 127.0.0.1:0
"$BARGED" -n -c "$T/barge.yaml" 2>"$T/err" || fail "-n: $(cat "$T/err")"
[ "$(cat "$T/err")" = "barged: config: $T/barge.yaml: ok, 1 message definitions" ] ||
    fail "-n: $(cat "$T/err")"

tab=$(printf '\t')
# The invalid row comes first: its message is counted before any valid
# row of it has been, and its quarantine segment takes id 0.
{
	echo "Nov 26 06:12:03 web1 mailer[1]: @EmailSent:1${tab}carol${tab}x${tab}spring${tab}3${tab}true"
	echo "Nov 26 06:12:01 web1 mailer[1]: @EmailSent:1${tab}alice${tab}1795673521000${tab}spring${tab}3${tab}true"
	echo "Nov 26 06:12:02 web1 mailer[1]: @EmailSent:1${tab}bob${tab}1795673521000${tab}spring${tab}3${tab}\\N"
	echo "Nov 26 06:12:04 web1 sshd[2]: not analytics"
} >"$T/syslog"
lib_start 120 "$BARGED" -f -c "$T/barge.yaml" 2>"$T/log"
BPID=$LAST_PID
landed() {
	"$BARGE" status --socket "$T/sock" --json >"$T/status.json" 2>/dev/null &&
	    grep -q '"files":2,' "$T/status.json" &&
	    grep -q '"open":0,"sealed":0,' "$T/status.json"
}
wait_for 30 landed

json=$(cat "$T/status.json")
for want in '"lines":4,"not_syslog":0,"not_analytics":1,' \
    "\"path\":\"$T/syslog\",\"offset\":$(stat -c %s "$T/syslog"),\"lag\":0,\"rotations\":0,\"lost_bytes\":0" \
    '"name":"EmailSent:1","rows":2,' '"invalid":{"bad-timestamp":1}' \
    '"state":"idle",' "\"namenode\":\"$MD_NN\"" '"last_error":""'; do
	case $json in *"$want"*) ;; *) fail "status json lacks $want: $json" ;; esac
done

"$BARGE" status --socket "$T/sock" >"$T/status.txt"
for want in "inputs:" "  $T/syslog  offset $(stat -c %s "$T/syslog")  lag 0 bytes  rotations 0  lost 0 bytes" \
    "  EmailSent:1  rows 2  bytes 102  bad-timestamp 1" "  invalid: bad-timestamp 1" \
    "spool: 0 open, 0 sealed segments, 0 of 10737418240 bytes, oldest sealed 0 s" \
    "uploader: idle (namenode $MD_NN)"; do
	grep -qxF -- "$want" "$T/status.txt" || fail "status lacks '$want': $(cat "$T/status.txt")"
done
# The compressed size depends on zlib; the file count does not.
grep -qx '  shipped 2 files, [0-9]* bytes' "$T/status.txt" ||
    fail "status: $(cat "$T/status.txt")"

# The HTTP endpoint serves what barge status --prometheus shows.
port=$(sed -n 's|.*control: metrics on http://127.0.0.1:\([0-9]*\)/metrics$|\1|p' "$T/log")
[ -n "$port" ] || fail "no metrics port in the log: $(cat "$T/log")"
printf 'GET /metrics HTTP/1.0\r\n\r\n' | socat - "TCP:127.0.0.1:$port" |
    tr -d '\r' | sed '1,/^$/d' >"$T/http.txt"
"$BARGE" status --socket "$T/sock" --prometheus >"$T/prom.txt"
diff -u "$T/prom.txt" "$T/http.txt" >&2 || fail "HTTP and socket metrics differ"
for want in 'barge_lines_total 4' 'barge_rows_total{message="EmailSent:1"} 2' \
    'barge_invalid_total{reason="bad-timestamp"} 1' 'barge_uploaded_files_total 2' \
    'barge_spool_max_bytes 10737418240' 'barge_upload_failures_total 0' \
    'barge_upload_failing_since_timestamp_seconds 0' \
    'barge_spool_oldest_sealed_age_seconds 0' \
    "barge_input_offset_bytes{path=\"$T/syslog\"} $(stat -c %s "$T/syslog")"; do
	grep -qxF -- "$want" "$T/prom.txt" || fail "metrics lack '$want'"
done
printf 'hello\nstatus\n' | socat - "UNIX-CONNECT:$T/sock" >"$T/bad.txt"
[ "$(cat "$T/bad.txt")" = 'error: expected "barge-control 1"' ] ||
    fail "bad hello: $(cat "$T/bad.txt")"

# What landed: the rows and the quarantined line, each once.
"$BARGE" hdfs --namenode "$MD_NN" --user tester ls -R /r >"$T/ls"
grep -c '\.tsv\.gz$' "$T/ls" | grep -qx 2 || fail "files: $(cat "$T/ls")"
grep -q '/\.' "$T/ls" && fail "hidden file left: $(cat "$T/ls")"
"$BARGE" hdfs --namenode "$MD_NN" --user tester cat \
    /r/EmailSent/v1/dt=2026-11-26/hour=06/h1-0000000000000001.tsv.gz | zcat >"$T/rows"
printf '1795673521000\tweb1\talice\t1795673521000\tspring\t3\ttrue\n1795673522000\tweb1\tbob\t1795673521000\tspring\t3\t\\N\n' >"$T/want"
cmp "$T/want" "$T/rows" || fail "rows: $(cat "$T/rows")"

lib_stop "$BPID"
grep -qx "barged: stop: done, 0 sealed segments left for the next start" "$T/log" ||
    fail "clean stop: $(cat "$T/log")"
[ ! -e "$T/sock" ] || fail "control socket left behind"
echo "barged-status: ok"
