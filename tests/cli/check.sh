# barge check: exit codes, the summary, every error printed with its
# location, --help and --version (of every command).
. "$top_srcdir/tests/cli/common.sh"

run "$BARGE" check --config "$top_srcdir/conf/barge.yaml"
expect "check example: rc" "$rc" 0
expect "check example: stdout" "$out" "config $top_srcdir/conf/barge.yaml: ok
messages $top_srcdir/conf/messages.d: 1 definition
  EmailSent:1	5 fields	$top_srcdir/conf/messages.d/email-sent.yaml:4"

run "$BARGE" check --messages "$data/messages/good"
expect "check good: rc" "$rc" 0
expect "check good: stdout" "$out" "messages $data/messages/good: 3 definitions
  Click:1	1 field	$data/messages/good/more.yaml:6
  Typed:1	1 field	$data/messages/good/more.yaml:2
  Typed:2	9 fields	$data/messages/good/all-types.yaml:3"

mkdir "$tmp/defs"
printf 'messages:\n  - {name: A, version: 1, fields: [{name: x, type: int}]}\n' >"$tmp/defs/a.yaml"
printf 'messages:\n  - {name: A, version: 1, fields: [{name: y, type: bool}]}\n' >"$tmp/defs/b.yaml"
printf 'oops: [\n' >"$tmp/defs/c.yaml"
run "$BARGE" check --messages "$tmp/defs"
expect "check bad: rc" "$rc" 1
expect "check bad: stdout" "$out" ""
expect "check bad: stderr" "$err" "barge: check: $tmp/defs/a.yaml:2:52: unknown type 'int' (string, int32, int64, double, bool, timestamp)
barge: check: $tmp/defs/c.yaml:2:1: YAML error: did not find expected node content while parsing a flow node
barge: check: 2 errors"

# --messages-file: one file whatever its name (puppet's validate_cmd
# hands over a temporary copy like messages.d/x.yaml20261126-1-abc).
cp "$data/messages/good/more.yaml" "$tmp/more.yaml20261126-1-abc"
run "$BARGE" check --messages-file "$tmp/more.yaml20261126-1-abc"
expect "check file: rc" "$rc" 0
expect "check file: stdout" "$out" "messages $tmp/more.yaml20261126-1-abc: 2 definitions
  Click:1	1 field	$tmp/more.yaml20261126-1-abc:6
  Typed:1	1 field	$tmp/more.yaml20261126-1-abc:2"
run "$BARGE" check -F "$tmp/defs/a.yaml" -F "$tmp/defs/b.yaml"
expect "check files: rc" "$rc" 1
expect "check files: stdout" "$out" ""
expect "check files: stderr" "$err" "barge: check: $tmp/defs/a.yaml:2:52: unknown type 'int' (string, int32, int64, double, bool, timestamp)
barge: check: 1 error"
printf 'messages:\n  - {name: A, version: 1, fields: [{name: x, type: int32}]}\n' >"$tmp/a1.yaml"
run "$BARGE" check -F "$tmp/a1.yaml" -F "$tmp/defs/b.yaml"
expect "check files duplicate: rc" "$rc" 1
expect "check files duplicate: stderr" "$err" "barge: check: $tmp/defs/b.yaml:2: duplicate definition of A version 1 (first defined at $tmp/a1.yaml:2)
barge: check: 1 error"
run "$BARGE" check --messages-file "$tmp/missing.yaml"
expect "check missing file: rc" "$rc" 1
expect "check missing file: stderr" "$err" "barge: check: $tmp/missing.yaml: cannot read: No such file or directory
barge: check: 1 error"
run "$BARGE" check --messages-file "$tmp/a1.yaml" --messages "$tmp/defs"
expect "check file and dir: rc" "$rc" 2

run "$BARGE" check --config "$tmp/missing.yaml"
expect "check missing config: rc" "$rc" 1
expect "check missing config: stderr" "$err" "barge: check: $tmp/missing.yaml: cannot read: No such file or directory
barge: check: 1 error"

run "$BARGE" check --bogus
expect "check bad option: rc" "$rc" 2
run "$BARGE" check extra
expect "check extra arg: rc" "$rc" 2
expect "check extra arg: stderr" "$err" "usage: barge check [--config file | --messages dir | --messages-file file ...]"

run "$BARGE" check --help
expect "check --help: rc" "$rc" 0
expect "check --help: first line" "$(echo "$out" | head -1)" "usage: barge check [--config file | --messages dir | --messages-file file ...]"
run "$BARGE" --version
expect "--version" "$out" "barge $PACKAGE_VERSION"
run "$BARGE" check --version
expect "check --version" "$out" "barge $PACKAGE_VERSION"
# Every command: the same line, exit 0.
for c in match log gen-header gen-python gen-java hive-ddl avro-schema \
    hours audit status hdfs; do
	run "$BARGE" "$c" --version
	expect "$c --version" "$out" "barge $PACKAGE_VERSION"
	expect "$c --version: rc" "$rc" 0
done
run "$BARGE" frobnicate
expect "unknown command: rc" "$rc" 2
expect "unknown command: first line" "$(echo "$err" | head -1)" "barge: unknown command 'frobnicate'"
run "$BARGE"
expect "no command: rc" "$rc" 2

finish
