#!/bin/sh
# The client side of conversations recorded with a real Hadoop 3.3.2
# NameNode and DataNode (tests/data/hdfs-captures, from the fact sheet's
# captures) is played against minidfs.  NameNode: minidfs is prepared
# with the namespace each recording started from, and every answer must
# carry the same status, exception, message, header fields and response
# fields and values as the real one (values that differ between any two
# NameNodes aside: times, pool and storage ids, ports, capacities,
# nonces); the state is made with the Go client as user root, as the
# recordings were made as root.  DataNode: Java and Go writes and reads,
# whose answers (connect-ack, acks, read response, packets, checksums)
# must be the real DataNode's byte for byte.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib.sh"
lib_init minidfs-replay
need_tool hdfs hdfs-cli
REPLAY=$top_builddir/tests/minidfs/minidfs-replay
[ -x "$REPLAY" ] || fail "$REPLAY is not built"
CAP=$top_srcdir/tests/data/hdfs-captures

unset HADOOP_CONF_DIR HADOOP_HOME
export HADOOP_USER_NAME=root
# The recordings' 1000-byte file: byte k is k mod 256.
LC_ALL=C awk 'BEGIN { for (k = 0; k < 1000; k++) printf "%c", k % 256 }' \
    >"$T/f1000"
[ "$(cksum <"$T/f1000")" = "1520827854 1000" ] ||
    fail "test file: $(cksum <"$T/f1000")"

gh() {
	HADOOP_NAMENODE=$MD_NN timeout 60 hdfs "$@"
}

# replay CASE STATE...: STATE words are cap (mkdir /cap), ab (mkdir -p
# /cap/a/b), priv (mkdir -p /cap/priv), lock (chmod 700 /cap/priv) or a
# file name put under /cap.
replay() {
	case=$1
	shift
	start_minidfs "$case" --owner root --group root
	for w in "$@"; do
		case $w in
		cap)	gh mkdir -p /cap ;;
		ab)	gh mkdir -p /cap/a/b ;;
		priv)	gh mkdir -p /cap/priv ;;
		lock)	gh chmod 700 /cap/priv ;;
		*)	gh put "$T/f1000" "/cap/$w" ;;
		esac || fail "$case: preparing $w"
	done
	for c2s in "$CAP/$case"/c2s-nn*.bin; do
		s2c=$(dirname "$c2s")/s2c-${c2s##*/c2s-}
		if ! timeout 60 "$REPLAY" "${MD_NN#*:}" "$c2s" "$s2c" \
		    >"$T/out" 2>&1; then
			grep -v '^ok:' "$T/out" >&2 || :
			fail "$case: ${c2s##*/}"
		fi
		grep -qx PASS "$T/out" || fail "$case: no verdict"
	done
	lib_stop "$MD_PID"
}

replay 01-java-mkdir-p
replay 16-raw-sasl-negotiate
replay 17-raw-fatal
replay 26-go-mkdir-p
replay 10-java-err-cat-missing cap
replay 14-raw-unknown-method cap
replay 04-java-cat cap f1000
replay 09-java-err-put-exists cap f1000
replay 21-go-cat cap f1000
replay 05-java-ls ab f1000
replay 06-java-stat ab f1000
replay 07-java-mv ab f1000
replay 08-java-rm-r-skiptrash ab f1000
replay 22-go-ls-l ab f1000
replay 23-go-mv ab f1000
replay 24-go-rm-r ab f1000
replay 11-java-err-mkdir-under-file cap g1000
replay 15-raw-nn-errors cap g1000 h1000
# User nobody against a root-only folder (this host's user database says
# which groups nobody is in, as it does for a NameNode).
replay 12-java-err-permission-ls priv priv/f lock
replay 13-java-err-permission-put priv lock
# DataNode conversations, in order: each read finds the block the write
# before it stored.
start_minidfs dn
for case in 02-java-put-1000 04-java-cat 21-go-cat 03-java-put-70000-bs1m \
    20-go-put-1000 25-go-put-70000; do
	if ! timeout 60 "$REPLAY" --dn "$MD_DN" "$CAP/$case/c2s-dn1.bin" \
	    "$CAP/$case/s2c-dn1.bin" >"$T/out" 2>&1; then
		cat "$T/out" >&2
		fail "$case: DataNode"
	fi
done
echo "PASS: minidfs-replay"
