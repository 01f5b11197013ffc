#!/bin/sh
# minidfs serves the independent Go client (hdfs-cli): files put by it
# come back byte-identical through cat and get for sizes around every
# chunk (512 B), packet (64 KiB) and block (1 MiB) edge, with replication
# 1 and 3; the blocks and replicas minidfs stored are exactly the ones
# expected; listings, df, mkdir -p, mv, rm -r and the errors the client
# derives from minidfs's exceptions are asserted exactly.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib.sh"
lib_init minidfs-go
need_tool hdfs hdfs-cli

unset HADOOP_CONF_DIR HADOOP_HOME
export HADOOP_USER_NAME=tester
BS=1048576
SIZES="0 1 511 512 513 65535 65536 65537 $BS $((BS + 1)) $((3 * BS + 4321))"
for s in $SIZES; do
	head -c "$s" /dev/urandom >"$T/f$s"
done

gh() {
	HADOOP_NAMENODE=$MD_NN timeout 60 hdfs "$@"
}

# blocks SIZE: how many blocks of BS a file of SIZE bytes takes.
blocks() {
	echo $((($1 + BS - 1) / BS))
}

# replicas DN: how many finalized block files DataNode DN holds.
replicas() {
	find "$MD_DATA/dn$1" -name 'blk_*' ! -name '*.meta' ! -name '*.rbw' |
	    wc -l
}

for repl in 1 3; do
	start_minidfs "r$repl" --owner tester --datanodes 3 --block-size $BS \
	    --replication $repl
	gh mkdir -p /put/sub || fail "mkdir -p (r$repl)"
	total=0
	for s in $SIZES; do
		gh put "$T/f$s" "/put/f$s" || fail "put $s bytes (r$repl)"
		gh cat "/put/f$s" >"$T/out" || fail "cat $s bytes (r$repl)"
		cmp -s "$T/f$s" "$T/out" ||
		    fail "cat: $s bytes differ (r$repl)"
		n=$(grep -c "^addBlock call=[0-9]* user=tester src=/put/f$s " \
		    "$MD_LOG" || :)
		[ "$n" -eq "$(blocks "$s")" ] ||
		    fail "$s bytes: $n addBlock calls, want $(blocks "$s")"
		total=$((total + $(blocks "$s")))
	done
	rm -f "$T/out"
	gh get "/put/f$((3 * BS + 4321))" "$T/out" || fail "get (r$repl)"
	cmp -s "$T/f$((3 * BS + 4321))" "$T/out" || fail "get differs (r$repl)"

	# Every block finalized on exactly $repl DataNodes, in pipeline order.
	sum=0
	for d in 0 1 2; do
		sum=$((sum + $(replicas $d)))
	done
	[ "$sum" -eq $((total * repl)) ] ||
	    fail "$sum replicas on disk, want $((total * repl)) (r$repl)"
	[ "$(replicas 0)" -eq "$total" ] ||
	    fail "dn0 holds $(replicas 0) replicas, want $total (r$repl)"
	if [ $repl -eq 3 ]; then
		[ "$(replicas 2)" -eq "$total" ] ||
		    fail "dn2 holds $(replicas 2) replicas, want $total"
	fi
	# The Go client writes CRC32 checksums: every packet was verified.
	grep -q "requestedChecksum.type=CHECKSUM_CRC32 " "$MD_LOG" ||
	    fail "no CRC32 write seen (r$repl)"
	bad="checksum error\|aborted\|refused"
	! grep -q "$bad" "$MD_LOG" ||
	    fail "minidfs refused something: $(grep "$bad" "$MD_LOG")"

	# Listing: names in byte order, sizes, owner, group, mode.
	gh ls /put >"$T/ls" || fail "ls (r$repl)"
	printf '%s\n' f0 f1 f1048576 f1048577 f3150049 f511 f512 f513 \
	    f65535 f65536 f65537 sub | cmp -s - "$T/ls" ||
	    fail "ls /put: $(cat "$T/ls")"
	gh ls -l /put | awk '{ print $1, $2, $3, $4, $NF }' >"$T/ls"
	{
		for s in 0 1 1048576 1048577 3150049 511 512 513 65535 \
		    65536 65537; do
			echo "-rw-r--r-- tester supergroup $s f$s"
		done
		echo "drwxr-xr-x tester supergroup 0 sub"
	} | cmp -s - "$T/ls" || fail "ls -l /put: $(cat "$T/ls")"
	gh ls -l /put/f513 | awk '{ print $1, $2, $3, $4, $NF }' >"$T/ls"
	echo "-rw-r--r-- tester supergroup 513 /put/f513" | cmp -s - "$T/ls" ||
	    fail "ls -l of a file: $(cat "$T/ls")"

	# df: 3 DataNodes of 100 GiB; used = every replica's bytes.
	used=0
	for s in $SIZES; do
		used=$((used + s * repl))
	done
	gh df | awk 'NR == 2 { print $2, $3, $4 }' >"$T/df"
	echo "322122547200 $used $((322122547200 - used))" | cmp -s - "$T/df" ||
	    fail "df: $(cat "$T/df"), used should be $used"
	lib_stop "$MD_PID"
done

# Namespace operations and the errors the client makes of minidfs's
# exceptions.
start_minidfs ns --owner tester --datanodes 1
PND=org.apache.hadoop.fs.ParentNotDirectoryException
gh put "$T/f513" /f || fail "put /f"
if gh put "$T/f513" /f 2>"$T/err"; then fail "put onto a file"; fi
gh mkdir -p /a/b/c || fail "mkdir -p"
[ "$(gh ls /a/b)" = c ] || fail "mkdir -p: ls /a/b: $(gh ls /a/b)"
if gh mkdir /f/x 2>"$T/err"; then fail "mkdir under a file"; fi
grep -qx "mkdir /f/x: mkdirs call failed with ERROR_APPLICATION ($PND)" \
    "$T/err" || fail "mkdir under a file: $(cat "$T/err")"
if gh mkdir /q/r 2>"$T/err"; then fail "mkdir without parent"; fi
grep -qx "mkdir /q/r: file does not exist" "$T/err" ||
    fail "mkdir without parent: $(cat "$T/err")"
if gh put "$T/f1" /nodir/f 2>"$T/err"; then fail "put without parent"; fi
grep -qx "create /nodir/f: file does not exist" "$T/err" ||
    fail "put without parent: $(cat "$T/err")"
if gh cat /nope 2>"$T/err"; then fail "cat of a missing file"; fi
grep -qx "open /nope: file does not exist" "$T/err" ||
    fail "cat /nope: $(cat "$T/err")"
gh mv /f /a/b/g || fail "mv"
gh cat /a/b/g | cmp -s - "$T/f513" || fail "mv lost the data"
if gh ls /f 2>/dev/null; then fail "mv left /f"; fi
gh mv /a/b/g /a || fail "mv into a directory"
[ "$(gh ls /a)" = "$(printf 'b\ng')" ] ||
    fail "mv into a directory: $(gh ls /a)"
if gh rm /a 2>"$T/err"; then fail "rm of a directory"; fi
grep -qx "remove /a: file is a directory" "$T/err" ||
    fail "rm /a: $(cat "$T/err")"
gh rm -r /a || fail "rm -r"
[ -z "$(gh ls /)" ] || fail "rm -r left: $(gh ls /)"
[ "$(replicas 0)" -eq 0 ] || fail "rm -r left $(replicas 0) block files"
gh touch /t || fail "touch"
[ "$(gh ls -l /t | awk '{ print $1, $4, $NF }')" = "-rw-r--r-- 0 /t" ] ||
    fail "touch: $(gh ls -l /t)"
gh chmod 600 /t && gh chown bob:staff /t || fail "chmod/chown"
[ "$(gh ls -l /t | awk '{ print $1, $2, $3 }')" = "-rw------- bob staff" ] ||
    fail "chmod/chown: $(gh ls -l /t)"
[ "$(gh du -s / | awk '{ print $1 }')" = 0 ] || fail "du -s: $(gh du -s /)"

# Permissions: another user may read but not write tester's folders.
gh mkdir -p /home/d && gh chmod 700 /home/d || fail "mkdir /home/d"
export HADOOP_USER_NAME=intruder
[ "$(gh ls /home)" = d ] || fail "ls /home as another user"
if gh mkdir /home/x 2>"$T/err"; then fail "mkdir in another's folder"; fi
grep -qx "mkdir /home/x: permission denied" "$T/err" ||
    fail "mkdir in another's folder: $(cat "$T/err")"
if gh ls /home/d 2>"$T/err"; then fail "ls of a 700 folder"; fi
grep -qx "readdir /home/d: permission denied" "$T/err" ||
    fail "ls of a 700 folder: $(cat "$T/err")"
ACE=org.apache.hadoop.security.AccessControlException
denial="user=intruder, access=READ_EXECUTE"
denial="$denial, inode=\"/home/d\":tester:supergroup:drwx------"
grep -q "^error call=[0-9]* class=$ACE msg=Permission denied: $denial$" \
    "$MD_LOG" || fail "the denial is not in the log"
export HADOOP_USER_NAME=tester
echo "PASS: minidfs-go"
