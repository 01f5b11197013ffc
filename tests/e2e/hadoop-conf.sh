#!/bin/sh
# barged knowing its cluster only through hdfs.hadoop_conf_dir and
# hdfs.nameservice: no namenodes, replication or auth in barge.yaml.
# fs.defaultFS names another nameservice whose only NameNode is dead, so
# the rows can only land if barged took the NameNodes of the one named in
# barge.yaml; its first NameNode is the standby.  Every row arrives
# exactly once, with the replication of the cluster's dfs.replication;
# a SIGHUP reload with a broken hdfs-site.xml is refused and barged
# keeps shipping with what it had.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"
lib_init e2e-hadoop-conf
e2e_init

start_minidfs ha --owner "$E2E_USER" --namenodes 2 --datanodes 2
[ -n "$MD_NN2" ] || fail "no second NameNode in the port file"
HC=$T/hconf
mkdir -p "$HC"
hadoop_xml "$HC/core-site.xml" fs.defaultFS hdfs://elsewhere
hadoop_xml "$HC/hdfs-site.xml" \
    dfs.nameservices elsewhere,mycluster \
    dfs.namenode.rpc-address.elsewhere 127.0.0.1:1 \
    dfs.ha.namenodes.mycluster nn1,nn2 \
    dfs.namenode.rpc-address.mycluster.nn1 "$MD_NN2" \
    dfs.namenode.rpc-address.mycluster.nn2 "$MD_NN" \
    dfs.replication 2

E2E_INPUT=$T/syslog
: >"$E2E_INPUT"
e2e_config placeholder:1
sed -i "s|^  namenodes: \[placeholder:1\]\$|  hadoop_conf_dir: $HC\\
  nameservice: mycluster|" "$T/barge.yaml"
grep -q "^  nameservice: mycluster\$" "$T/barge.yaml" ||
    fail "barge.yaml not rewritten: $(cat "$T/barge.yaml")"
if grep -q "namenodes\|replication" "$T/barge.yaml"; then
	fail "barge.yaml names NameNodes or replication"
fi
timeout 30 "$BARGED" -n -c "$T/barge.yaml" 2>"$T/check" ||
    fail "barged -n: $(cat "$T/check")"

e2e_start
e2e_append 1 400
wait_for 60 e2e_drained "$E2E_INPUT"
[ "$(e2e_json .uploader.namenode)" = "$MD_NN" ] ||
    fail "uploader at $(e2e_json .uploader.namenode), not $MD_NN"
grep -q StandbyException "$MD_LOG" || fail "the standby was never asked"

# A reload with a broken hdfs-site.xml keeps the old settings.
cp "$HC/hdfs-site.xml" "$T/hdfs-site.good"
echo "<property>" >>"$HC/hdfs-site.xml"
kill -HUP "$BD_PID"
wait_for 20 grep -q "hdfs-site.xml:[0-9]*:[0-9]*: junk after document element" \
    "$T/barged.log"
e2e_append 401 800
wait_for 60 e2e_drained "$E2E_INPUT"
cp "$T/hdfs-site.good" "$HC/hdfs-site.xml"
e2e_term

e2e_collect "$MD_NN"
e2e_expect "$E2E_INPUT"
e2e_compare 1 800
e2e_spool_gone
timeout 60 "$BARGE" hdfs --namenode "$MD_NN" ls -R /barge/E2e >"$T/ls"
f=$(grep '\.gz$' "$T/ls" | head -1)
[ -n "$f" ] || fail "no file under /barge/E2e"
timeout 60 "$BARGE" hdfs --namenode "$MD_NN" stat "$f" >"$T/stat"
grep -qx "replication: 2" "$T/stat" ||
    fail "dfs.replication did not reach barged: $(cat "$T/stat")"
echo "PASS: e2e hadoop-conf"
