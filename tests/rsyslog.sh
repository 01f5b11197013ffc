# Sourced by tests that need an rsyslogd of their own receiving what
# syslog(3) sends.  syslog(3) always writes to /dev/log, and /dev is the
# machine's, so the test re-runs itself in a private mount namespace
# (unshare -m; inside a user namespace too when not root) whose /dev is a
# tmpfs holding bind mounts of null, zero, random and urandom, and the
# socket of the test's rsyslogd.  Nothing outside sees that /dev/log, and
# the namespace and its mounts vanish with the test.
#
#   rsyslog_isolate "$@"   first thing: re-exec in the namespace
#   rsyslog_start DIR      rsyslogd with DIR/rsyslog.conf, writing
#                          DIR/traditional.log (RSYSLOG_TraditionalFileFormat),
#                          DIR/precise.log (RSYSLOG_FileFormat) and
#                          DIR/priority.log ("facility.severity tag msg");
#                          with RSYSLOG_UDP_PORT set, also listening on
#                          that UDP port of 127.0.0.1 (imudp)
#   rsyslog_sync           waits until every message sent so far is written
#   rsyslog_stop           stops it (by PID); safe to call twice

rsyslog_fail() {
	echo "FAIL: $*" >&2
	exit 1
}

rsyslog_need() {
	command -v "$1" >/dev/null 2>&1 ||
	    rsyslog_fail "$1 not found: install the Debian package $2"
}

rsyslog_isolate() {
	if [ "${BARGE_RSYSLOG_NS:-}" != 1 ]; then
		rsyslog_need unshare util-linux
		rsyslog_need timeout coreutils
		_userns=
		[ "$(id -u)" = 0 ] || _userns=--map-root-user
		BARGE_RSYSLOG_NS=1
		export BARGE_RSYSLOG_NS
		# shellcheck disable=SC2086
		exec timeout 600 unshare $_userns --mount --propagation private \
		    sh "$0" "$@"
	fi
	_dev=$(mktemp -d "${TMPDIR:-/tmp}/barge-dev.XXXXXX")
	mount -t tmpfs -o mode=755 barge-dev "$_dev" ||
	    rsyslog_fail "cannot mount a private /dev (unshare -m)"
	for _n in null zero random urandom; do
		: >"$_dev/$_n"
		mount --bind "/dev/$_n" "$_dev/$_n" ||
		    rsyslog_fail "cannot bind /dev/$_n"
	done
	ln -s /proc/self/fd "$_dev/fd"
	mount --rbind "$_dev" /dev || rsyslog_fail "cannot cover /dev"
	umount -l "$_dev" && rmdir "$_dev"
}

rsyslog_pid=
rsyslog_dir=

rsyslog_udp() {
	[ -n "${RSYSLOG_UDP_PORT:-}" ] || return 0
	echo 'module(load="imudp")'
	echo "input(type=\"imudp\" address=\"127.0.0.1\" port=\"$RSYSLOG_UDP_PORT\")"
}

rsyslog_start() {
	rsyslog_need rsyslogd rsyslog
	rsyslog_need logger bsdutils
	rsyslog_dir=$1
	cat >"$rsyslog_dir/rsyslog.conf" <<EOF
global(workDirectory="$rsyslog_dir")
module(load="imuxsock" SysSock.Name="/dev/log"
    SysSock.RateLimit.Interval="0")
$(rsyslog_udp)
template(name="barge_priority" type="string"
    string="%syslogfacility-text%.%syslogseverity-text% %syslogtag%%msg%\n")
*.* action(type="omfile" file="$rsyslog_dir/traditional.log"
    template="RSYSLOG_TraditionalFileFormat")
*.* action(type="omfile" file="$rsyslog_dir/precise.log"
    template="RSYSLOG_FileFormat")
*.* action(type="omfile" file="$rsyslog_dir/priority.log"
    template="barge_priority")
EOF
	timeout 300 rsyslogd -n -f "$rsyslog_dir/rsyslog.conf" \
	    -i "$rsyslog_dir/rsyslogd.pid" 2>"$rsyslog_dir/rsyslogd.err" &
	rsyslog_pid=$!
	_i=0
	until [ -S /dev/log ]; do
		kill -0 "$rsyslog_pid" 2>/dev/null || {
			cat "$rsyslog_dir/rsyslogd.err" >&2
			rsyslog_fail "rsyslogd exited"
		}
		_i=$((_i + 1))
		[ "$_i" -le 100 ] || rsyslog_fail "no /dev/log after 10 s"
		sleep 0.1
	done
}

# Messages on one socket are processed in order, so once a marker sent
# last is in every file, everything before it is too.
rsyslog_sync() {
	_mark="barge-test-sync-$$-$(date +%s%N)"
	logger -t barge-test "$_mark"
	_i=0
	for _f in traditional precise priority; do
		until grep -qF "$_mark" "$rsyslog_dir/$_f.log" 2>/dev/null; do
			_i=$((_i + 1))
			[ "$_i" -le 200 ] ||
			    rsyslog_fail "rsyslogd wrote nothing in 20 s"
			sleep 0.1
		done
	done
}

rsyslog_stop() {
	if [ -n "$rsyslog_pid" ]; then
		kill "$rsyslog_pid" 2>/dev/null || :
		wait "$rsyslog_pid" 2>/dev/null || :
		rsyslog_pid=
	fi
}
