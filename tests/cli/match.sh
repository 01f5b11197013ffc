# barge match: exact output on real rsyslog lines in all three formats,
# INVALID lines with their reasons, --stats counts, the line limit, and
# usage errors.
. "$top_srcdir/tests/cli/common.sh"

export TZ=UTC
defs="$top_srcdir/conf/messages.d"
now=2026-11-26T08:00:00Z

row1="1795673521000	alice	1795673521000	spring#011sale	3	\\N"
row2="2026-11-26T05:00:00Z"
for f in default traditional 5424; do
	case $f in
	traditional) t1=1795677711000 t2=1795677711000 ;;
	*) t1=1795677711197 t2=1795677711203 ;;
	esac
	run "$BARGE" match --messages "$defs" --now $now "$data/syslog/rsyslog-$f.log"
	expect "match $f: rc" "$rc" 0
	expect "match $f: rows" "$out" "EmailSent:1	$t1	vm	alice	1795673521000	spring#011sale	3	\\N
EmailSent:1	$t2	vm	bob\\	by\\\\x	1795669200000	c	7	true"
done

# Invalid lines keep their raw text and carry a reason; noise prints nothing.
cat >"$tmp/in.log" <<'EOF2'
Nov 26 06:00:00 h app[1]: @EmailSent:1	a	1	c	99999999999	true
Nov 26 06:00:01 h app[1]: @EmailSent:2	a
Nov 26 06:00:02 h app[1]: @Unknown:1	a
Nov 26 06:00:03 h app[1]: just noise @EmailSent:1
not a syslog line at all
Nov 26 06:00:04 h app[1]: @EmailSent:1	a	1	c	1	\N
Nov 26 06:00:05 h app[1]: @EmailSent:1	a	1	c	1	maybe
EOF2
run "$BARGE" match --messages "$defs" --now $now --stats "$tmp/in.log"
expect "match invalid: rc" "$rc" 0
expect "match invalid: stdout" "$out" "INVALID	bad-int32	Nov 26 06:00:00 h app[1]: @EmailSent:1	a	1	c	99999999999	true
INVALID	unknown-version	Nov 26 06:00:01 h app[1]: @EmailSent:2	a
INVALID	unknown-message	Nov 26 06:00:02 h app[1]: @Unknown:1	a
EmailSent:1	1795672804000	h	a	1	c	1	\\N
INVALID	bad-bool	Nov 26 06:00:05 h app[1]: @EmailSent:1	a	1	c	1	maybe"
expect "match invalid: stats" "$err" "lines 7
not-syslog 1
not-analytics 1
valid 1
invalid 4
message EmailSent:1 valid 1 invalid 2
reason unknown-message 1
reason unknown-version 1
reason bad-int32 1
reason bad-bool 1"

# A line cut at the limit is "truncated" if it is an analytics message.
printf 'Nov 26 06:00:00 h a: @EmailSent:1\t%s\t1\tc\t1\ttrue\nNov 26 06:00:01 h a: %s\n' \
    "$(head -c 200 /dev/zero | tr '\0' x)" "$(head -c 200 /dev/zero | tr '\0' y)" >"$tmp/long.log"
run "$BARGE" match --messages "$defs" --now $now --max-line 64 --stats "$tmp/long.log"
expect "match truncated: stdout" "$out" "INVALID	truncated	Nov 26 06:00:00 h a: @EmailSent:1	xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
expect "match truncated: reason count" "$(echo "$err" | grep '^reason')" "reason truncated 1"

# Standard input, and a file without a final newline.
run sh -c "printf 'Nov 26 06:00:04 h app: @EmailSent:1\tz\t1\tc\t1\t0' | '$BARGE' match --messages '$defs' --now $now -"
expect "match stdin: stdout" "$out" "EmailSent:1	1795672804000	h	z	1	c	1	false"

run "$BARGE" match --messages "$defs" "$tmp/nope.log"
expect "match missing file: rc" "$rc" 1
expect "match missing file: stderr" "$err" "barge: match: $tmp/nope.log: No such file or directory"
run "$BARGE" match --messages "$defs" --now yesterday
expect "match bad --now: rc" "$rc" 2
expect "match bad --now: stderr" "$err" "barge: match: --now: not an RFC 3339 time: yesterday"
run "$BARGE" match --messages "$tmp/nodefs"
expect "match missing defs: rc" "$rc" 1
run "$BARGE" match a b
expect "match two files: rc" "$rc" 2

finish
