#!/bin/sh
# barge's HDFS client against minidfs, checked by the Go client (hdfs-cli):
# files written by one are read back byte-identical by the other, for
# sizes around every chunk, packet and block edge, with replication 1 and
# 3; listings and status agree; put refuses to replace without -f; a
# standby or dead NameNode listed first is skipped.  The Go client writes
# CRC32 chunk checksums, barge CRC32C: both checksum paths are read back.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
lib_init hdfs-client
need_tool hdfs hdfs-cli

# Keep the Go client away from any Hadoop configuration of the machine.
unset HADOOP_CONF_DIR HADOOP_HOME
USER_NAME=$(id -un)
export HADOOP_USER_NAME="$USER_NAME"

bh() {
	timeout 60 "$BARGE" hdfs --namenode "$NN" "$@"
}
gh() {
	HADOOP_NAMENODE="$NN" timeout 60 hdfs "$@"
}

# Sizes around the 512-byte chunk, the 64 KiB packet and the 1 MiB block.
SIZES="0 1 511 512 513 65535 65536 65537 1048576 1048577 3146752"
for s in $SIZES; do
	head -c "$s" /dev/urandom >"$T/f$s"
done

for repl in 1 3; do
	start_minidfs "r$repl" --datanodes 3 --block-size 1048576 \
	    --replication "$repl" --owner "$USER_NAME"
	NN=$MD_NN

	bh mkdir -p /b /g || fail "mkdir -p"
	for s in $SIZES; do
		bh put "$T/f$s" "/b/f$s" || fail "barge put $s (r$repl)"
		gh cat "/b/f$s" >"$T/out" || fail "hdfs cat $s (r$repl)"
		cmp "$T/f$s" "$T/out" ||
		    fail "barge put, hdfs cat: $s bytes differ (r$repl)"

		gh put "$T/f$s" "/g/f$s" || fail "hdfs put $s (r$repl)"
		bh cat "/g/f$s" >"$T/out" || fail "barge cat $s (r$repl)"
		cmp "$T/f$s" "$T/out" ||
		    fail "hdfs put, barge cat: $s bytes differ (r$repl)"

		bh get "/b/f$s" "$T/got" || fail "barge get $s"
		cmp "$T/f$s" "$T/got" || fail "barge get: $s bytes differ"
		rm -f "$T/got"

		# The replication the NameNode recorded is the one asked for.
		bh stat "/b/f$s" >"$T/stat"
		grep -qx "replication: $repl" "$T/stat" ||
		    fail "/b/f$s: $(cat "$T/stat")"
	done

	# The Go client wrote /g with CRC32 checksums and barge read every
	# chunk of it back through its CRC32 path (csum=1); barge itself
	# writes CRC32C.
	grep -q "requestedChecksum.type=CHECKSUM_CRC32 " "$MD_LOG" ||
	    fail "no CRC32 write by the Go client (r$repl)"
	grep -q "READ_BLOCK .* csum=1/512 " "$MD_LOG" ||
	    fail "no CRC32 block read (r$repl)"
	! grep -q "checksum error" "$MD_LOG" ||
	    fail "checksum error: $(grep "checksum error" "$MD_LOG")"

	# barge's pipeline is the NameNode's: all replicas in one WRITE_BLOCK.
	grep -q "^dn0 WRITE_BLOCK .*clientName=barge_.* pipelineSize=$repl " \
	    "$MD_LOG" || fail "no WRITE_BLOCK with a pipeline of $repl"

	# ls and ls -l agree with the Go client (mode owner group size name).
	bh ls /b >"$T/bls" || fail "barge ls"
	gh ls /b >"$T/gls" || fail "hdfs ls"
	diff "$T/gls" "$T/bls" || fail "ls differs"
	bh ls -l /b | awk '{ print $1, $2, $3, $4, $NF }' >"$T/bls"
	gh ls -l /b | awk '{ print $1, $2, $3, $4, $NF }' >"$T/gls"
	diff "$T/gls" "$T/bls" || fail "ls -l differs"
	[ "$(wc -l <"$T/bls")" -eq 11 ] || fail "ls -l: $(cat "$T/bls")"

	# stat agrees with hdfs ls -l of the same file.
	for f in /b/f513 /g/f1048577 /b; do
		bh stat "$f" >"$T/stat" || fail "stat $f"
		if [ "$f" = /b ]; then
			line=$(gh ls -l / | awk '$NF == "b"')
		else
			line=$(gh ls -l "$f")
		fi
		# shellcheck disable=SC2086
		set -- $line
		grep -qx "mode: .* $1" "$T/stat" ||
		    fail "$f mode: $1 vs $(cat "$T/stat")"
		grep -qx "owner: $2" "$T/stat" || fail "$f owner"
		grep -qx "group: $3" "$T/stat" || fail "$f group"
		if [ "$f" != /b ]; then
			grep -qx "length: $4" "$T/stat" || fail "$f length $4"
		fi
	done
done

# Reads fall over to another replica (NN is the replication-3 minidfs).
bh put "$T/f65537" /b/rf || fail "put /b/rf"
blk=$(ls -t "$MD_DATA/dn0" | grep -v meta | head -1)
rm -f "$MD_DATA/dn0/$blk" "$MD_DATA/dn1/$blk"
bh cat /b/rf | cmp - "$T/f65537" || fail "no fallback to the third replica"
rm -f "$MD_DATA/dn2/$blk"
if bh cat /b/rf >/dev/null 2>"$T/err"; then fail "cat with no replica left"; fi
grep -q "^barge: hdfs: /b/rf: DataNode 127.0.0.1:[0-9]*: READ_BLOCK refused: \
ERROR: .*ReplicaNotFoundException" "$T/err" ||
    fail "cat with no replica: $(cat "$T/err")"

# put never replaces a file without -f; with -f it does.
if bh put "$T/f1" /b/f513 2>"$T/err"; then
	fail "put replaced a file without -f"
fi
grep -qx "barge: hdfs: /b/f513: FileAlreadyExistsException: file exists" \
    "$T/err" || fail "put without -f: $(cat "$T/err")"
gh cat /b/f513 | cmp - "$T/f513" || fail "put without -f changed the file"
bh put -f "$T/f1" /b/f513 || fail "put -f"
gh cat /b/f513 | cmp - "$T/f1" || fail "put -f did not replace"
# No temporary name is left behind.
bh ls /b | grep -q _COPYING_ && fail "a ._COPYING_ file was left"

# Errors name the path and the NameNode's exception.
if bh cat /nope 2>"$T/err"; then fail "cat of a missing file"; fi
grep -qx "barge: hdfs: /nope: FileNotFoundException: \
File does not exist: /nope" "$T/err" ||
    fail "cat /nope: $(cat "$T/err")"
if bh mkdir /b/f513/x 2>"$T/err"; then fail "mkdir under a file"; fi
grep -q "^barge: hdfs: /b/f513/x: ParentNotDirectoryException: " "$T/err" ||
    fail "mkdir under a file: $(cat "$T/err")"

# mv, rm, mkdir -p, df.
bh mv /b/f1 /b/moved || fail "mv"
gh cat /b/moved | cmp - "$T/f1" || fail "mv lost the data"
bh mkdir -p /x/y/z || fail "mkdir -p"
gh ls /x/y | grep -qx z || fail "mkdir -p: hdfs ls /x/y"
if bh rm /x 2>"$T/err"; then fail "rm of a directory without -r"; fi
bh rm -r /x || fail "rm -r"
if gh ls /x >/dev/null 2>&1; then fail "rm -r left /x"; fi
bh df >"$T/df" || fail "df"
[ "$(wc -l <"$T/df")" -eq 2 ] || fail "df: $(cat "$T/df")"

# ls -R walks the tree.
bh mkdir -p /t/a/b || fail "mkdir -p /t/a/b"
bh put "$T/f1" /t/a/b/x || fail "put /t/a/b/x"
bh ls -R /t >"$T/lsr" || fail "ls -R"
printf '/t/a\n/t/a/b\n/t/a/b/x\n' | diff - "$T/lsr" || fail "ls -R"

# --config reads the NameNodes, the user and the replication.
cat >"$T/barge.yaml" <<EOF
hdfs:
  namenodes: [127.0.0.1:1, $NN]
  user: $USER_NAME
  replication: 2
EOF
timeout 60 "$BARGE" hdfs --config "$T/barge.yaml" put "$T/f513" /t/conf ||
    fail "put with --config"
timeout 60 "$BARGE" hdfs --config "$T/barge.yaml" stat /t/conf >"$T/stat" ||
    fail "stat with --config"
grep -qx "replication: 2" "$T/stat" || fail "--config: $(cat "$T/stat")"

# Listings come in pages (3 names each here): all of them, in order.
ACTIVE_NN=$NN
start_minidfs paged --ls-limit 3 --owner "$USER_NAME"
NN=$MD_NN
for d in d01 d02 d03 d04 d05 d06 d07 d08 d09 d10; do
	echo "$d"
done >"$T/want"
# shellcheck disable=SC2046
bh mkdir $(sed 's|^|/|' "$T/want") || fail "mkdir d01..d10"
bh ls / >"$T/got" || fail "paged ls"
diff "$T/want" "$T/got" || fail "paged ls differs"
[ "$(grep -c "^getListing call=" "$MD_LOG")" -eq 4 ] ||
    fail "getListing pages: $(grep -c "^getListing call=" "$MD_LOG")"
NN=$ACTIVE_NN

# Failover: a standby NameNode and a dead address listed before the active.
ACTIVE=$NN
start_minidfs standby --standby
NN="$MD_NN,$ACTIVE"
bh ls /b >/dev/null || fail "ls with a standby listed first"
bh put "$T/f65537" /b/ha || fail "put with a standby listed first"
gh cat /b/ha | cmp - "$T/f65537" || fail "put through failover"
grep -q "StandbyException\|standby" "$MD_LOG" ||
    fail "the standby was never asked"
NN="127.0.0.1:1,$ACTIVE"
bh stat /b/ha >/dev/null || fail "stat with a dead NameNode listed first"

echo "PASS: hdfs-client"
