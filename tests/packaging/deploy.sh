#!/bin/sh
# tests/packaging/deploy.sh DEBDIR: the ops path end to end, as root on a
# throw-away machine (CI).  Installs barge_*.deb and barge-dev_*.deb from
# DEBDIR with dpkg -i, applies the puppet module with class barge pointing
# at a minidfs NameNode (from the build tree, $top_builddir) and one
# barge::message, with the 'base' service provider (systemd is not PID 1
# here), and checks:
#	- the package made the user barge (in adm), the spool and state
#	  folders (0750 barge:barge), an empty messages.d, the conffile;
#	- barged runs as barge and a message sent with `barge log` lands in
#	  HDFS, read back with barge hdfs cat | zcat;
#	- dpkg -i again (what an upgrade runs) keeps the user, spool, state
#	  and the configured barge.yaml;
#	- a changed definition reloads barged (same PID, "reload:" logged)
#	  and the messages sent around it all land, each once;
#	- an invalid definition fails at validate_cmd: same PID, the old file
#	  in place, no reload;
#	- puppet stops barged; dpkg --purge removes the user, group, spool and
#	  state.
# syslog(3) goes to a private rsyslogd (tests/rsyslog.sh's namespace), whose
# file is barged's input.  On any failure the trap stops barged and
# minidfs and purges the packages.
set -eu
: "${top_srcdir:?}" "${top_builddir:?}"
export top_srcdir top_builddir

. "$top_srcdir/tests/rsyslog.sh"
rsyslog_isolate "$@"
. "$top_srcdir/tests/lib.sh"
lib_init deploy

[ $# -eq 1 ] || fail "usage: deploy.sh DEBDIR"
debdir=$(cd "$1" && pwd)
[ "$(id -u)" = 0 ] || fail "must run as root (dpkg -i, puppet apply)"
need_tool dpkg dpkg
need_tool puppet puppet
need_tool zcat gzip
need_tool systemd-analyze systemd
set -- "$debdir"/barge_*.deb
[ -f "$1" ] || fail "no barge_*.deb in $debdir"
deb=$1
set -- "$debdir"/barge-dev_*.deb
[ -f "$1" ] || fail "no barge-dev_*.deb in $debdir"
devdeb=$1
if dpkg-query -W -f='${Status}' barge 2>/dev/null | grep -q installed; then
	fail "barge is already installed; this test installs and purges it"
fi

pidfile=/run/barge/barged.pid
installed=

deploy_cleanup() {
	deploy_rc=$?
	set +e
	if [ -f "$pidfile" ]; then
		p=$(cat "$pidfile")
		kill -TERM "$p" 2>/dev/null || :
		i=0
		while kill -0 "$p" 2>/dev/null && [ "$i" -lt 100 ]; do
			i=$((i + 1))
			sleep 0.1
		done
		kill -KILL "$p" 2>/dev/null || :
	fi
	if [ -n "$installed" ]; then
		dpkg --purge barge-dev barge >/dev/null 2>&1 || :
		rm -rf /etc/barge /run/barge
	fi
	[ -z "${udp_made:-}" ] || rm -f /etc/rsyslog.d/30-barge-udp.conf
	rsyslog_stop
	# lib_cleanup takes the status from $?.
	(exit "$deploy_rc")
	lib_cleanup
}
trap deploy_cleanup EXIT

step() {
	echo "deploy: $* ($(date -u +%T))"
}

# barged (as barge) reads its input under $T.
chmod 0755 "$T"
mkdir -m 0755 "$T/syslog"
rsyslog_start "$T/syslog"
input=$T/syslog/traditional.log
rsyslog_sync

start_minidfs hdfs --owner barge
barge() {
	timeout 60 /usr/bin/barge "$@"
}
hdfs() {
	timeout 60 /usr/bin/barge hdfs --namenode "$MD_NN" --user barge "$@"
}

step "dpkg -i $(basename "$deb") $(basename "$devdeb")"
installed=yes
timeout 120 dpkg -i "$deb" "$devdeb" >"$T/dpkg.log" 2>&1 ||
    { cat "$T/dpkg.log" >&2; fail "dpkg -i failed"; }
getent passwd barge >/dev/null || fail "no user barge after dpkg -i"
id -nG barge | tr ' ' '\n' | grep -qx adm || fail "barge is not in adm"
for d in /var/spool/barge /var/lib/barge; do
	got=$(stat -c '%a %U:%G' "$d") || fail "$d missing"
	[ "$got" = "750 barge:barge" ] || fail "$d is $got, want 750 barge:barge"
done
[ -d /etc/barge/messages.d ] || fail "no /etc/barge/messages.d"
[ -z "$(ls -A /etc/barge/messages.d)" ] ||
    fail "/etc/barge/messages.d is not empty: $(ls -A /etc/barge/messages.d)"
dpkg-query -W -f='${Conffiles}\n' barge | grep -q '^ /etc/barge/barge.yaml ' ||
    fail "/etc/barge/barge.yaml is not a conffile"
[ -f /usr/include/barge/log.h ] || fail "barge-dev did not install log.h"
for f in barge.rules.yml barge.dashboard.json; do
	[ -f "/usr/share/barge/prometheus/$f" ] ||
	    fail "no /usr/share/barge/prometheus/$f"
done
if command -v promtool >/dev/null 2>&1; then
	promtool check rules /usr/share/barge/prometheus/barge.rules.yml \
	    >"$T/promtool.log" 2>&1 ||
	    { cat "$T/promtool.log" >&2; fail "promtool check rules"; }
fi
systemd-analyze verify /lib/systemd/system/barged.service ||
    fail "systemd-analyze verify barged.service"
[ -L /etc/systemd/system/multi-user.target.wants/barged.service ] ||
    fail "barged.service is not enabled"

# One manifest per step: $1 = the class's service_ensure, $2 = the fields
# of DeployTest's version 2 (none without).  A new field is a new
# version: within one barged refuses to reload a changed layout.
manifest() {
	cat <<EOF
class { 'barge':
  namenodes        => ['$MD_NN'],
  host             => 'deploy-test',
  hdfs_root        => '/data/barge',
  inputs           => [{ 'path' => '$input', 'start_at' => 'beginning' }],
  batch_max_age    => '1s',
  metrics_port     => undef,
  service_ensure   => '$1',
  service_provider => 'base',
}
barge::message { 'DeployTest':
  version     => 1,
  description => "The deployment test's message",
  owner       => 'ops@example.com',
  fields      => [$fields1],
}
EOF
	[ -z "$2" ] || cat <<EOF
barge::message { 'DeployTest v2':
  message_name => 'DeployTest',
  version      => 2,
  fields       => [$2],
}
EOF
}
fields1="{ 'name' => 'user', 'type' => 'string' },
    { 'name' => 'n', 'type' => 'int32' }"
fields2="$fields1,
    { 'name' => 'ok', 'type' => 'bool', 'nullable' => true }"
fields_bad="$fields2,
    { 'name' => 'bad', 'type' => 'int32', 'max_length' => 3 }"

# papply NAME WANT-RC: puppet apply of $T/NAME.pp, --detailed-exitcodes
# (0 nothing changed, 2 changes, 4 or 6 failures).
papply() {
	mkdir -p "$T/puppet"
	set +e
	timeout 120 puppet apply --detailed-exitcodes --color=false \
	    --modulepath="$top_srcdir/packaging/puppet" \
	    --confdir="$T/puppet/etc" --vardir="$T/puppet/var" \
	    --codedir="$T/puppet/code" --logdir="$T/puppet/log" \
	    --rundir="$T/puppet/run" "$T/$1.pp" >"$T/$1.out" 2>&1
	papply_rc=$?
	set -e
	case " $2 " in
	*" $papply_rc "*) ;;
	*)	cat "$T/$1.out" >&2
		fail "puppet apply $1.pp: exit $papply_rc, want $2" ;;
	esac
}

running() {
	[ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

# rows NAME: the rows of every landed DeployTest file, of either version
# (no _time, _host).
rows() {
	for f in $(hdfs ls -R /data/barge/DeployTest 2>/dev/null |
	    grep -E '/[^/.][^/]*\.tsv\.gz$'); do
		hdfs cat "$f" | zcat
	done | cut -f 3- | sort >"$T/$1"
}

# landed NAME ROW...: waits until exactly these rows are in HDFS.
has_rows() {
	rows_name=$1
	shift
	rows "$rows_name"
	printf '%s\n' "$@" | sort >"$T/$rows_name.want"
	cmp -s "$T/$rows_name" "$T/$rows_name.want"
}
landed() {
	if ! wait_for_quiet 60 has_rows "$@"; then
		echo "--- want" >&2
		cat "$T/$1.want" >&2
		echo "--- got" >&2
		cat "$T/$1" >&2
		fail "rows in HDFS differ ($1)"
	fi
}
wait_for_quiet() {
	wfq_deadline=$(($(date +%s) + $1))
	shift
	until "$@"; do
		[ "$(date +%s)" -lt "$wfq_deadline" ] || return 1
		sleep 0.2
	done
}
reloads() {
	grep -c 'barged\[[0-9]*\]: reload: ' "$input" || :
}
reloaded() {
	[ "$(reloads)" -gt "$before" ]
}

step "puppet apply: class barge + barge::message"
manifest running "" >"$T/first.pp"
papply first 2
wait_for 10 running
pid=$(cat "$pidfile")
[ "$(ps -o user= -p "$pid")" = barge ] ||
    fail "barged runs as $(ps -o user= -p "$pid"), want barge"
def=/etc/barge/messages.d/DeployTest-v1.yaml
[ -f "$def" ] || fail "no $def"
barge check --messages-file "$def" >/dev/null || fail "$def does not check"
barge check >/dev/null || fail "/etc/barge/barge.yaml does not check"
grep -qx "  namenodes: \[$MD_NN\]" /etc/barge/barge.yaml ||
    fail "barge.yaml does not name the NameNode"
# A second identical run changes nothing.
papply first 0

step "barge log -> syslog -> barged -> minidfs"
barge log DeployTest 1 alice 1
rsyslog_sync
landed rows1 "alice	1"

step "dpkg -i again (the upgrade path) keeps user, spool, state, config"
uid=$(id -u barge)
[ -s /var/lib/barge/checkpoint ] || fail "barged wrote no checkpoint"
timeout 120 dpkg -i "$deb" >"$T/dpkg2.log" 2>&1 ||
    { cat "$T/dpkg2.log" >&2; fail "dpkg -i (upgrade) failed"; }
[ "$(id -u barge)" = "$uid" ] || fail "the upgrade changed barge's uid"
for d in /var/spool/barge /var/lib/barge; do
	got=$(stat -c '%a %U:%G' "$d") || fail "$d missing after the upgrade"
	[ "$got" = "750 barge:barge" ] || fail "$d is $got after the upgrade"
done
[ -s /var/lib/barge/checkpoint ] || fail "the upgrade lost the checkpoint"
grep -qx "  namenodes: \[$MD_NN\]" /etc/barge/barge.yaml ||
    fail "the upgrade replaced the configured barge.yaml"
[ "$(ls -A /etc/barge/messages.d)" = DeployTest-v1.yaml ] ||
    fail "messages.d after the upgrade: $(ls -A /etc/barge/messages.d)"

step "puppet apply: a new version reloads barged"
before=$(reloads)
barge log DeployTest 1 bob 2
manifest running "$fields2" >"$T/second.pp"
papply second 2
def2=/etc/barge/messages.d/DeployTest-v2.yaml
grep -q 'ok' "$def2" || fail "$def2 was not written"
wait_for 10 reloaded
running || fail "barged is gone after the reload"
[ "$(cat "$pidfile")" = "$pid" ] ||
    fail "barged was restarted ($pid -> $(cat "$pidfile")), not reloaded"
barge log DeployTest 2 carol 3 true
rsyslog_sync
landed rows2 "alice	1" "bob	2" "carol	3	true"

step "puppet apply: invalid definition fails at validate_cmd"
cp "$def2" "$T/def.before"
before=$(reloads)
manifest running "$fields_bad" >"$T/third.pp"
papply third "4 6"
grep -q "barge check --messages-file" "$T/third.out" ||
    { cat "$T/third.out" >&2; fail "puppet did not run validate_cmd"; }
grep -q "'max_length' applies to strings only" "$T/third.out" ||
    { cat "$T/third.out" >&2; fail "no barge check message in the output"; }
cmp -s "$def2" "$T/def.before" || fail "$def2 was changed by the bad run"
[ "$(ls -A /etc/barge/messages.d | tr '\n' ' ')" = \
    "DeployTest-v1.yaml DeployTest-v2.yaml " ] ||
    fail "messages.d holds: $(ls -A /etc/barge/messages.d)"
running || fail "barged is gone after the bad run"
[ "$(cat "$pidfile")" = "$pid" ] || fail "barged was restarted"
barge log DeployTest 2 dave 4 false
rsyslog_sync
landed rows3 "alice	1" "bob	2" "carol	3	true" "dave	4	false"
[ "$(reloads)" = "$before" ] || fail "the bad run reloaded barged"

step "puppet apply: service_ensure => stopped"
manifest stopped "$fields2" >"$T/stop.pp"
papply stop 2
! kill -0 "$pid" 2>/dev/null || fail "barged $pid still runs"
grep -q "barged\[$pid\]: stop: done" "$input" ||
    fail "barged did not log its clean stop"

step "puppet apply: barge::syslog_udp, a real rsyslogd reading its file"
udp=$T/udp
mkdir -p "$udp"
uport=$(free_port)
udp_conf=/etc/rsyslog.d/30-barge-udp.conf
[ ! -e "$udp_conf" ] || fail "$udp_conf is there before the test"
syslog_udp() {
	cat <<EOF
class { 'barge::syslog_udp':
  ensure  => '$1',
  port    => $uport,
  restart => "/bin/sh -c 'echo restart >>$udp/restarts'",
}
EOF
}
syslog_udp present >"$T/udp.pp"
udp_made=1
papply udp 2
printf '%s\n' \
    "# Managed by puppet (class barge::syslog_udp): syslog datagrams on" \
    "# 127.0.0.1 for services that send their barge messages over UDP." \
    'module(load="imudp")' \
    "input(type=\"imudp\" address=\"127.0.0.1\" port=\"$uport\")" |
    diff - "$udp_conf" || fail "$udp_conf differs"
[ "$(cat "$udp/restarts")" = restart ] || fail "rsyslog not restarted once"
papply udp 0
[ "$(wc -l <"$udp/restarts")" = 1 ] || fail "restarted with no change"
# An rsyslogd of its own that includes the file takes a datagram.
cat >"$udp/rsyslog.conf" <<EOF
global(workDirectory="$udp")
include(file="$udp_conf")
*.* action(type="omfile" file="$udp/got.log"
    template="RSYSLOG_TraditionalFileFormat")
EOF
rsyslogd -N1 -f "$udp/rsyslog.conf" >"$udp/check.log" 2>&1 ||
    { cat "$udp/check.log" >&2; fail "rsyslogd -N1 refuses the file"; }
lib_start 60 rsyslogd -n -f "$udp/rsyslog.conf" -i "$udp/pid"
UDP_PID=$LAST_PID
udp_got() {
	logger --rfc3164 -d -n 127.0.0.1 -P "$uport" -t deploy \
	    "@DeployTest:1 udp 5"
	grep -q 'deploy: @DeployTest:1 udp 5$' "$udp/got.log" 2>/dev/null
}
wait_for 20 udp_got
lib_stop "$UDP_PID"
syslog_udp absent >"$T/udp.pp"
papply udp 2
[ ! -e "$udp_conf" ] || fail "$udp_conf left with ensure => absent"
[ "$(wc -l <"$udp/restarts")" = 2 ] || fail "no restart for the removal"

step "dpkg --purge"
timeout 120 dpkg --purge barge-dev barge >"$T/purge.log" 2>&1 ||
    { cat "$T/purge.log" >&2; fail "dpkg --purge failed"; }
installed=
rm -rf /etc/barge
! getent passwd barge >/dev/null || fail "user barge left after purge"
! getent group barge >/dev/null || fail "group barge left after purge"
for d in /var/spool/barge /var/lib/barge \
    /etc/systemd/system/multi-user.target.wants/barged.service; do
	[ ! -e "$d" ] && [ ! -L "$d" ] || fail "$d left after purge"
done
step "ok"
