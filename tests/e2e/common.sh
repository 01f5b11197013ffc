# Sourced by the end-to-end tests after tests/lib.sh and lib_init.
#
# Every test line carries a sequence number; e2e_gen derives from it
# alone whether the line is a valid E2e:1 message (and which note it
# carries), an invalid one (and why) or noise, so the rows expected in
# HDFS follow from the syslog lines that were written, independently of
# barged's code.
#
#	e2e_init		tools, TZ=UTC, $T/messages with E2e:1
#	e2e_config NN... [-- YAML...]	$T/barge.yaml reading $T/syslog
#	e2e_start / e2e_kill / e2e_term	barged; $BD_PID is barged itself
#	e2e_status		barge status --json
#	e2e_caught_up FILE	barged read FILE to its end
#	e2e_spool_empty		nothing open, sealed or being uploaded
#	e2e_gen FIRST LAST SEP	message parts of lines FIRST..LAST
#	e2e_append FIRST LAST	those lines, as rsyslog writes them, to
#				$T/syslog
#	e2e_feed COUNT		lines 1..COUNT, 200 a second, each batch
#				read before the next; sets n to COUNT
#	e2e_expect FILE...	$T/expect.rows, expect.qrows, expect.seqs;
#				Late:1 lines (e2e_late) from seq
#				$E2E_LATE_FROM on in $T/expect.Late.rows
#	e2e_collect NN		every segment under /barge into $T/got.rows
#				and got.qrows (appending), checking names,
#				partitions and that nothing hidden is left
#	e2e_collect_avro NN	every .avro file under /barge, read by
#				Python's avro (avro-rows.py) and avrocat:
#				E2e's rows into $T/got.rows, others' into
#				$T/got.NAME.avro
#	e2e_compare FIRST LAST	the seqs seen in the input are exactly
#				FIRST..LAST; the rows got are exactly those
#				expected, none twice

E2E_HOST=e2ehost

e2e_init() {
	need_tool hdfs hdfs-cli
	need_tool jq jq
	need_tool zcat gzip
	BARGED=${BARGED:-${top_builddir:?}/src/barged/barged}
	[ -x "$BARGED" ] || fail "$BARGED is not built"
	TZ=UTC
	export TZ
	unset HADOOP_CONF_DIR HADOOP_HOME
	E2E_USER=$(id -un)
	HADOOP_USER_NAME=$E2E_USER
	export HADOOP_USER_NAME
	mkdir -p "$T/messages"
	cat >"$T/messages/e2e.yaml" <<'EOF'
messages:
  - name: E2e
    version: 1
    fields:
      - {name: seq, type: int64}
      - {name: who, type: string}
      - {name: note, type: string, nullable: true}
EOF
	e2e_reset
	E2E_INPUT=$T/syslog
}

# Forgets the rows collected so far.
e2e_reset() {
	: >"$T/got.rows"
	: >"$T/got.qrows"
	: >"$T/got.Late.rows"
}

# e2e_config NN... [-- extra YAML lines]
e2e_config() {
	e2e_nns=""
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		e2e_nns="$e2e_nns${e2e_nns:+, }$1"
		shift
	done
	[ $# -eq 0 ] || shift
	{
		cat <<EOF
host: $E2E_HOST
messages_dir: $T/messages
inputs:
  - {path: $E2E_INPUT, start_at: beginning}
hdfs:
  namenodes: [$e2e_nns]
  user: $E2E_USER
  root: /barge
spool: {dir: $T/spool, max_bytes: ${E2E_SPOOL_MAX:-1G}}
state_dir: $T/state
batch: {max_age: ${E2E_MAX_AGE:-2s}}
control: {socket: $T/sock, metrics: ''}
EOF
		for e2e_l in "$@"; do
			echo "$e2e_l"
		done
	} >"$T/barge.yaml"
}

# Starts barged in the foreground; BD_PID is barged's own PID (for
# SIGKILL and SIGHUP), BD_TPID that of the timeout(1) around it.
e2e_start() {
	rm -f "$T/barged.pid"
	# shellcheck disable=SC2016
	lib_start 600 sh -c 'echo $$ >"$0" && exec "$@"' "$T/barged.pid" \
	    "$BARGED" -f -c "$T/barge.yaml" 2>>"$T/barged.log"
	BD_TPID=$LAST_PID
	wait_for 10 test -s "$T/barged.pid"
	BD_PID=$(cat "$T/barged.pid")
	wait_for 20 e2e_status_ok
}

e2e_status_ok() {
	e2e_status >/dev/null
}

e2e_kill() {
	kill -KILL "$BD_PID" 2>/dev/null || :
	lib_stop "$BD_TPID"
}

# SIGTERM: barged must seal, sync and exit 0 by itself.
e2e_term() {
	kill -TERM "$BD_PID"
	e2e_rc=0
	wait "$BD_TPID" || e2e_rc=$?
	lib_stop "$BD_TPID"
	[ "$e2e_rc" -eq 0 ] || fail "barged exited $e2e_rc after SIGTERM"
}

e2e_status() {
	timeout 10 "$BARGE" status --socket "$T/sock" --json 2>/dev/null
}

# e2e_json FILTER: one value from barged's status.
e2e_json() {
	e2e_status | jq -r "$1"
}

e2e_caught_up() {
	e2e_s=$(e2e_status) || return 1
	e2e_size=$(stat -c %s "$1")
	[ "$(echo "$e2e_s" | jq --arg p "$1" \
	    '.inputs[] | select(.path == $p) | .offset')" = "$e2e_size" ]
}

e2e_spool_empty() {
	e2e_status | jq -e '.spool.open == 0 and .spool.sealed == 0 and
	    .spool.bytes == 0 and .uploader.state == "idle"' >/dev/null
}

e2e_drained() {
	e2e_caught_up "$1" && e2e_spool_empty
}

# Message parts for lines FIRST..LAST, fields separated by SEP.  Most
# are valid; seq % 20 picks the invalid ones and the noise.  The notes
# cycle through values whose Hive form differs from the wire form.
e2e_gen() {
	awk -v a="$1" -v b="$2" -v sep="$3" 'BEGIN {
		note[0] = "plain"; note[1] = "\\N"; note[2] = "a\\\\b"
		note[3] = "x\\#011y"; note[4] = "t\\tz"; note[5] = "l\\nm"
		note[6] = "caf\303\251"
		for (s = a; s <= b; s++) {
			k = s % 20
			if (k == 3)
				print "noise " s " mail to bob@example.com"
			else if (k == 11)
				print "@@ " s " not a name"
			else if (k == 7)
				print "@E2e:1" sep "x" s sep "u" s sep "n"
			else if (k == 13)
				print "@Nope:1" sep s
			else if (k == 17)
				print "@E2e:1" sep s sep "u" s
			else if (k == 19)
				print "@E2e:9" sep s sep "u" s sep "n"
			else
				print "@E2e:1" sep s sep "u" s sep note[s % 7]
		}
	}'
}

# Appends lines FIRST..LAST to $E2E_INPUT the way rsyslog's traditional
# file format writes them (TAB as #011), stamped now.
e2e_append() {
	e2e_stamp=$(date '+%b %e %H:%M:%S')
	e2e_gen "$1" "$2" '#011' |
	    sed "s/^/$e2e_stamp src7 app[42]: /" >>"$E2E_INPUT"
}

# e2e_feed COUNT: barged shipping continuously, batch after batch.
e2e_feed() {
	n=0
	while [ "$n" -lt "$1" ]; do
		e2e_append $((n + 1)) $((n + 200))
		n=$((n + 200))
		wait_for 30 e2e_caught_up "$E2E_INPUT"
		sleep 1
	done
}

# e2e_late FIRST LAST: Late:1 messages, a definition that a test adds
# while barged runs.
e2e_late() {
	e2e_stamp=$(date '+%b %e %H:%M:%S')
	seq "$1" "$2" | sed "s/.*/$e2e_stamp src7 app[42]: @Late:1#011&#011w&/" \
	    >>"$E2E_INPUT"
}

# From the syslog lines in FILE..., what HDFS must hold: message rows in
# $T/expect.rows, quarantine rows in $T/expect.qrows, and every seq seen
# (noise too) in $T/expect.seqs.  Late:1 lines are rows in
# $T/expect.Late.rows from seq $E2E_LATE_FROM on, unknown-message before.
# Timestamps are RFC 3164 ("Nov 26 07:40:01"), UTC, this year.
e2e_expect() {
	cat "$@" >"$T/expect.in"
	awk '{ print $1, $2, $3 }' "$T/expect.in" | sort -u |
	while read -r e2e_m e2e_d e2e_t; do
		printf '%s %s %s\t%s\n' "$e2e_m" "$e2e_d" "$e2e_t" \
		    "$(date -d "$e2e_m $e2e_d $e2e_t" +%s)"
	done >"$T/expect.stamps"
	awk -F '\t' -v rows="$T/expect.rows" -v qrows="$T/expect.qrows" \
	    -v seqs="$T/expect.seqs" -v lrows="$T/expect.Late.rows" \
	    -v late="${E2E_LATE_FROM:-999999999}" '
	BEGIN {
		hive[0] = "plain"; hive[1] = "\\N"; hive[2] = "a\\\\b"
		hive[3] = "x#011y"; hive[4] = "t\\\tz"; hive[5] = "l\\nm"
		hive[6] = "caf\303\251"
	}
	NR == FNR { ms[$1] = $2 "000"; next }
	{
		split($0, w, " ")
		stamp = w[1] " " w[2] " " w[3]
		host = w[4]
		msg = substr($0, index($0, ": ") + 2)
		if (msg ~ /^noise [0-9]+ / || msg ~ /^@@ [0-9]+ /) {
			split(msg, x, " ")
			print x[2] > seqs
			next
		}
		if (msg !~ /^@/)
			next		# rsyslog'"'"'s own lines, sync markers
		n = split(msg, f, "#011")
		if (f[1] == "@Late:1") {
			if (f[2] + 0 >= late + 0) {
				print ms[stamp] "\t" host "\t" f[2] "\t" f[3] \
				    > lrows
				next
			}
			s = ""; r = "unknown-message"
		} else if (f[1] == "@Nope:1") {
			s = f[2]; r = "unknown-message"
		} else if (f[1] == "@E2e:9") {
			s = f[2]; r = "unknown-version"
		} else if (f[2] ~ /^x/) {
			s = substr(f[2], 2); r = "bad-int64"
		} else if (n == 3) {
			s = f[2]; r = "field-count"
		} else {
			s = f[2]; r = ""
		}
		if (s != "")
			print s > seqs
		if (!(stamp in ms)) {
			print "no time for " stamp > "/dev/stderr"
			exit 1
		}
		if (r == "") {
			print ms[stamp] "\t" host "\t" s "\tu" s "\t" \
			    hive[s % 7] > rows
		} else {
			raw = $0
			gsub(/\\/, "\\\\", raw)
			print ms[stamp] "\t" host "\t" r "\t" raw > qrows
		}
	}' "$T/expect.stamps" "$T/expect.in" ||
	    fail "cannot derive the expected rows"
	touch "$T/expect.rows" "$T/expect.qrows" "$T/expect.seqs" \
	    "$T/expect.Late.rows"
}

# e2e_collect NN[,NN2]: reads every segment under /barge with the Go client,
# a folder at a time, appending message rows to $T/got.rows and
# quarantine rows to $T/got.qrows.  Checks that nothing hidden is left,
# that file names are HOST-<16 hex>.tsv.gz, and that every row lies in
# the partition (dt, hour) of its _time and, in the quarantine, in the
# folder of its reason.
e2e_collect() {
	timeout 60 "$BARGE" hdfs --namenode "$1" ls -R /barge >"$T/ls" ||
	    fail "barge hdfs ls -R /barge at $1 failed"
	if grep '/\.' "$T/ls"; then
		fail "hidden files left in HDFS"
	fi
	grep '\.gz$' "$T/ls" | sed 's|^\(.*\)/[^/]*$|\1|' | sort -u \
	    >"$T/ls.dirs" || :
	while read -r e2e_dir; do
		grep "^$e2e_dir/[^/]*\$" "$T/ls" >"$T/ls.files"
		if grep -v "^$e2e_dir/$E2E_HOST-[0-9a-f]\{16\}\.tsv\.gz\$" \
		    "$T/ls.files"; then
			fail "unexpected names in $e2e_dir"
		fi
		# An HA pair started with --failover-after keeps swapping
		# roles while we read: the Go client tries each NameNode
		# once per call, so a swap between its two tries fails the
		# call.  Such a read is tried again (three times at most).
		e2e_try=1
		# shellcheck disable=SC2046
		until HADOOP_NAMENODE=$1 timeout 60 hdfs cat \
		    $(cat "$T/ls.files") >"$T/cat.gz"; do
			[ "$e2e_try" -lt 3 ] || fail "hdfs cat $e2e_dir failed"
			e2e_try=$((e2e_try + 1))
		done
		zcat "$T/cat.gz" >"$T/cat" || fail "$e2e_dir: not gzip"
		case $e2e_dir in
		/barge/E2e/v1/dt=*/hour=*)
			e2e_reason=; e2e_out=$T/got.rows ;;
		/barge/Late/v1/dt=*/hour=*)
			e2e_reason=; e2e_out=$T/got.Late.rows ;;
		/barge/_invalid/*/dt=*/hour=*)
			e2e_reason=${e2e_dir#/barge/_invalid/}
			e2e_reason=${e2e_reason%%/*}
			e2e_out=$T/got.qrows ;;
		*)
			fail "unexpected folder $e2e_dir" ;;
		esac
		awk -F '\t' -v dir="$e2e_dir" -v reason="$e2e_reason" '
		function civil(days,	z, era, doe, yoe, y, doy, mp, d, m) {
			z = days + 719468
			era = int(z / 146097)
			doe = z - era * 146097
			yoe = int((doe - int(doe / 1460) + int(doe / 36524) - \
			    int(doe / 146096)) / 365)
			y = yoe + era * 400
			doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
			mp = int((5 * doy + 2) / 153)
			d = doy - int((153 * mp + 2) / 5) + 1
			m = mp < 10 ? mp + 3 : mp - 9
			return sprintf("%04d-%02d-%02d", y + (m <= 2), m, d)
		}
		{
			h = int($1 / 3600000)
			want = "/dt=" civil(int(h / 24)) sprintf("/hour=%02d",
			    h % 24)
			if (substr(dir, length(dir) - length(want) + 1) != want) {
				print "row in " dir " belongs in " want ": " $0
				bad = 1
			}
			if (reason != "" && $3 != reason) {
				print "row in " dir ": reason " $3
				bad = 1
			}
		}
		END { exit bad }' "$T/cat" || fail "rows in the wrong folder"
		cat "$T/cat" >>"$e2e_out"
	done <"$T/ls.dirs"
}

# e2e_collect_avro NN: after e2e_collect (whose listing it reads), every
# Avro file: its name, its schema (barge avro-schema's), every record
# readable to avrocat, and the rows as Python's avro reads them.
e2e_collect_avro() {
	need_tool avrocat avro-bin
	/usr/bin/python3 -c 'import avro.datafile' 2>/dev/null ||
	    fail "Python's avro is missing: install python3-avro"
	grep '\.avro$' "$T/ls" >"$T/ls.avro" || fail "no .avro file in HDFS"
	if grep -v "^/barge/[A-Za-z0-9_]*/v[0-9]*/dt=[0-9-]*/hour=[0-9][0-9]/$E2E_HOST-[0-9a-f]\{16\}\.avro\$" \
	    "$T/ls.avro"; then
		fail "unexpected Avro file names"
	fi
	rm -rf "$T/avro"
	mkdir "$T/avro"
	e2e_k=0
	while read -r e2e_f; do
		e2e_k=$((e2e_k + 1))
		HADOOP_NAMENODE=$1 timeout 60 hdfs cat "$e2e_f" \
		    >"$T/avro/$e2e_k.avro" || fail "hdfs cat $e2e_f failed"
		timeout 60 avrocat "$T/avro/$e2e_k.avro" >/dev/null \
		    2>"$T/avrocat.err" ||
		    fail "avrocat $e2e_f: $(cat "$T/avrocat.err")"
		echo "$T/avro/$e2e_k.avro $e2e_f"
	done <"$T/ls.avro" >"$T/avro.files"
	cut -d / -f 3,4 "$T/ls.avro" | sort -u | tr / ' ' |
	while read -r e2e_name e2e_v; do
		"$BARGE" avro-schema -m "$T/messages" \
		    "$e2e_name:${e2e_v#v}" >"$T/$e2e_name.avsc" ||
		    fail "barge avro-schema $e2e_name:${e2e_v#v} failed"
	done
	/usr/bin/python3 "$top_srcdir/tests/e2e/avro-rows.py" "$T" ||
	    fail "Python's avro reader refused a file"
}

# e2e_compare FIRST LAST
e2e_compare() {
	seq "$1" "$2" >"$T/want.seqs"
	sort -n "$T/expect.seqs" >"$T/got.seqs"
	cmp -s "$T/want.seqs" "$T/got.seqs" || {
		diff "$T/want.seqs" "$T/got.seqs" | head -20
		fail "the input does not hold lines $1..$2 exactly once"
	}
	for e2e_k in rows qrows Late.rows; do
		sort "$T/expect.$e2e_k" >"$T/want.$e2e_k"
		sort "$T/got.$e2e_k" >"$T/have.$e2e_k"
		if [ -n "$(uniq -d "$T/have.$e2e_k" | head -3)" ]; then
			uniq -d "$T/have.$e2e_k" | head -5
			fail "$e2e_k delivered twice"
		fi
		cmp -s "$T/want.$e2e_k" "$T/have.$e2e_k" || {
			diff "$T/want.$e2e_k" "$T/have.$e2e_k" | head -20
			fail "$e2e_k differ: want $(wc -l <"$T/want.$e2e_k")," \
			    "have $(wc -l <"$T/have.$e2e_k")"
		}
	done
	[ -s "$T/want.rows" ] && [ -s "$T/want.qrows" ] ||
	    fail "nothing was expected: the test is broken"
}

# No segment left in the spool (sealed or open) once everything arrived.
e2e_spool_gone() {
	e2e_left=$(find "$T/spool" -type f | head -5)
	[ -z "$e2e_left" ] || fail "left in the spool: $e2e_left"
}
