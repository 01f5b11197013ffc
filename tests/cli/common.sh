# Helpers for the CLI tests: run a command capturing its output and exit
# status, and compare exactly.  Sourced by tests/cli/*.sh.
set -u

: "${BARGE:?BARGE must name the barge binary}"
: "${top_srcdir:?top_srcdir must be set}"
data="$top_srcdir/tests/data"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/barge-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0
checks=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# run CMD...: sets $out, $err, $rc.
run() {
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# expect WHAT GOT WANT
expect() {
	checks=$((checks + 1))
	if [ "$2" != "$3" ]; then
		fail "$1"
		printf -- '--- want\n%s\n--- got\n%s\n' "$3" "$2" >&2
	fi
}

finish() {
	echo "$((checks - failures)) passed, $failures failed"
	[ "$failures" -eq 0 ]
}
