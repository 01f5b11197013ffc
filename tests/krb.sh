# A private MIT Kerberos realm for the shell tests, sourced after lib.sh
# and lib_init.
#
#	start_kdc REALM [MAX_LIFE]
#				creates a realm database under $T/kdc, starts
#				krb5kdc on a free loopback port and exports
#				KRB5_CONFIG and KRB5_KDC_PROFILE (the private
#				configuration), KRB5CCNAME (a ticket cache in
#				$T) and KRB5RCACHEDIR; sets KDC_PORT, KDC_PID,
#				KDC_LOG.  MAX_LIFE (e.g. "1m") caps ticket
#				lifetimes; default 10h.
#	krb_principal NAME [KEYTAB]
#				adds NAME@REALM with a random key and, with
#				KEYTAB, writes its keys there
#	krb_kadmin QUERY	runs one kadmin.local query on the realm
#	krb_hadoop_conf DIR [PROTECTION]
#				writes core-site.xml and hdfs-site.xml for the
#				Go client into DIR: Kerberos, the NameNode
#				principal nn/localhost@REALM and, if given,
#				dfs.data.transfer.protection

krb_kadmin() {
	timeout 30 kadmin.local -r "$KRB_REALM" -q "$1" \
	    >>"$T/kdc/kadmin.log" 2>&1 ||
	    fail "kadmin.local: $1: $(tail -n 3 "$T/kdc/kadmin.log")"
}

krb_principal() {
	krb_kadmin "addprinc -randkey $1@$KRB_REALM"
	[ $# -lt 2 ] || krb_kadmin "ktadd -k $2 $1@$KRB_REALM"
}

krb_write_conf() {
	cat >"$KRB5_KDC_PROFILE" <<EOF
[kdcdefaults]
	kdc_listen = 127.0.0.1:$1
	kdc_tcp_listen = 127.0.0.1:$1

[realms]
	$KRB_REALM = {
		database_name = $T/kdc/principal
		key_stash_file = $T/kdc/stash
		acl_file = $T/kdc/kadm5.acl
		max_life = $KRB_MAX_LIFE
		max_renewable_life = 0
		supported_enctypes = aes256-cts-hmac-sha1-96:normal
	}

[logging]
	kdc = FILE:$KDC_LOG
	admin_server = FILE:$T/kdc/kadmind.log
	default = FILE:$T/kdc/krb5.log
EOF
	cat >"$KRB5_CONFIG" <<EOF
[libdefaults]
	default_realm = $KRB_REALM
	dns_lookup_kdc = false
	dns_lookup_realm = false
	dns_canonicalize_hostname = false
	rdns = false
	udp_preference_limit = 1
	ticket_lifetime = $KRB_MAX_LIFE

[realms]
	$KRB_REALM = {
		kdc = 127.0.0.1:$1
	}

[logging]
	default = FILE:$T/kdc/krb5.log
EOF
}

start_kdc() {
	need_tool krb5kdc krb5-kdc
	need_tool kdb5_util krb5-kdc
	need_tool kadmin.local krb5-admin-server
	need_tool kinit krb5-user
	need_tool klist krb5-user
	KRB_REALM=$1
	KRB_MAX_LIFE=${2:-10h}
	mkdir -p "$T/kdc/rcache"
	KRB5_CONFIG=$T/kdc/krb5.conf
	KRB5_KDC_PROFILE=$T/kdc/kdc.conf
	KRB5CCNAME=FILE:$T/kdc/ccache
	KRB5RCACHEDIR=$T/kdc/rcache
	KDC_LOG=$T/kdc/kdc.log
	export KRB5_CONFIG KRB5_KDC_PROFILE KRB5CCNAME KRB5RCACHEDIR
	: >"$T/kdc/kadm5.acl"
	# The port only matters once the KDC runs; the database needs a profile.
	krb_write_conf 1
	timeout 30 kdb5_util -r "$KRB_REALM" create -s -P "barge-test-master" \
	    >"$T/kdc/kdb5_util.log" 2>&1 ||
	    fail "kdb5_util create: $(cat "$T/kdc/kdb5_util.log")"
	# krb5kdc cannot be told to take port 0: try a few random high ports.
	for krb_try in 1 2 3 4 5 6 7 8; do
		KDC_PORT=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000 ))
		krb_write_conf "$KDC_PORT"
		: >"$KDC_LOG"
		lib_start 900 krb5kdc -n -r "$KRB_REALM" \
		    2>>"$T/kdc/krb5kdc.stderr"
		KDC_PID=$LAST_PID
		krb_deadline=$(($(date +%s) + 10))
		while :; do
			if grep -q 'commencing operation' "$KDC_LOG"; then
				return 0
			fi
			kill -0 "$KDC_PID" 2>/dev/null || break
			[ "$(date +%s)" -lt "$krb_deadline" ] ||
			    fail "krb5kdc did not start: $(tail -n 5 "$KDC_LOG")"
			sleep 0.05
		done
		lib_stop "$KDC_PID"
	done
	fail "krb5kdc found no free port: $(tail -n 5 "$KDC_LOG")"
}

krb_hadoop_conf() {
	mkdir -p "$1"
	cat >"$1/core-site.xml" <<EOF
<configuration>
  <property><name>hadoop.security.authentication</name><value>kerberos</value></property>
</configuration>
EOF
	{
		echo "<configuration>"
		echo "  <property><name>dfs.namenode.kerberos.principal</name><value>nn/localhost@$KRB_REALM</value></property>"
		[ -z "${2:-}" ] || echo "  <property><name>dfs.data.transfer.protection</name><value>$2</value></property>"
		echo "</configuration>"
	} >"$1/hdfs-site.xml"
}
