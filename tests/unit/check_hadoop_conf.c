/*
 * core/hadoop_conf and core/hadoop_client: properties, substitution,
 * final, later-file-wins, every error with its exact position, and the
 * client settings of an HA cluster in the shape real clusters write.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "core/hadoop_client.h"
#include "core/hadoop_conf.h"

#include "unit.h"

#define HEAD	"<?xml version=\"1.0\"?>\n<configuration>\n"
#define TAIL	"</configuration>\n"
#define PROP(n, v) \
	"  <property><name>" n "</name><value>" v "</value></property>\n"

static struct hadoop_conf *
load(const char *name, const char *text)
{
	struct hadoop_conf	*c = hadoop_conf_new();
	struct error		 err;

	if (hadoop_conf_load_buf(c, name, text, strlen(text), &err) == -1)
		ck_abort_msg("unexpected: %s", err.msg);
	return c;
}

static void
expect_load_error(const char *text, const char *want)
{
	struct hadoop_conf	*c = hadoop_conf_new();
	struct error		 err;

	error_clear(&err);
	ck_assert_int_eq(hadoop_conf_load_buf(c, "x.xml", text, strlen(text),
	    &err), -1);
	ck_assert_int_eq(err.code, ERR_INPUT);
	ck_assert_str_eq(err.msg, want);
	/* A broken file leaves nothing behind. */
	ck_assert_uint_eq(hadoop_conf_count(c), 0);
	hadoop_conf_free(c);
}

static const char *
get(struct hadoop_conf *c, const char *name)
{
	struct error	 err;
	const char	*v = hadoop_conf_get(c, name, &err);

	if (v == NULL)
		ck_assert_int_eq(err.code, ERR_NOTFOUND);
	return v;
}

START_TEST(test_properties)
{
	struct hadoop_conf *c = load("core-site.xml", HEAD
	    "  <!-- a comment -->\n"
	    "  <property>\n"
	    "    <name> fs.defaultFS </name>\n"
	    "    <value>\n      hdfs://mycluster\n    </value>\n"
	    "    <description>the default</description>\n"
	    "  </property>\n"
	    "  <property name=\"a.attr\" value=\"from attrs\"/>\n"
	    "  <property><name>no.value</name></property>\n"
	    PROP("empty.value", "")
	    PROP("amp", "a&amp;b&lt;c")
	    "  <property><name>cdata</name><value><![CDATA[<x>]]></value>"
	    "</property>\n"
	    "  <unknown>ignored</unknown>\n"
	    TAIL);

	ck_assert_str_eq(get(c, "fs.defaultFS"), "hdfs://mycluster");
	ck_assert_str_eq(hadoop_conf_where(c, "fs.defaultFS"),
	    "core-site.xml:6:5");
	ck_assert_str_eq(get(c, "a.attr"), "from attrs");
	ck_assert_ptr_null(get(c, "no.value"));
	ck_assert_str_eq(get(c, "empty.value"), "");
	ck_assert_str_eq(get(c, "amp"), "a&b<c");
	ck_assert_str_eq(get(c, "cdata"), "<x>");
	ck_assert_ptr_null(get(c, "unknown"));
	ck_assert_uint_eq(hadoop_conf_count(c), 5);
	hadoop_conf_free(c);
}
END_TEST

START_TEST(test_substitution)
{
	struct hadoop_conf	*c;
	struct error		 err;

	setenv("HC_TEST_HOST", "nn7", 1);
	setenv("HC_TEST_EMPTY", "", 1);
	unsetenv("HC_TEST_UNSET");
	c = load("a.xml", HEAD
	    PROP("base", "/data")
	    PROP("dir", "${base}/dfs")
	    PROP("deep", "${dir}/name:${base}")
	    PROP("env", "${env.HC_TEST_HOST}:8020")
	    PROP("env.def1", "${env.HC_TEST_UNSET:-dflt}")
	    PROP("env.def2", "${env.HC_TEST_EMPTY:-dflt}")
	    PROP("env.def3", "${env.HC_TEST_EMPTY-dflt}|")
	    PROP("env.unset", "${env.HC_TEST_UNSET}")
	    PROP("unknown", "x${no.such}y")
	    PROP("broken", "${base")
	    PROP("dollar", "$base {base} $${base}")
	    PROP("loop.a", "${loop.b}")
	    PROP("loop.b", "[${loop.a}]")
	    PROP("self", "${self}")
	    TAIL);

	ck_assert_str_eq(get(c, "dir"), "/data/dfs");
	ck_assert_str_eq(get(c, "deep"), "/data/dfs/name:/data");
	ck_assert_str_eq(get(c, "env"), "nn7:8020");
	ck_assert_str_eq(get(c, "env.def1"), "dflt");
	ck_assert_str_eq(get(c, "env.def2"), "dflt");
	ck_assert_str_eq(get(c, "env.def3"), "|");
	ck_assert_str_eq(get(c, "env.unset"), "${env.HC_TEST_UNSET}");
	ck_assert_str_eq(get(c, "unknown"), "x${no.such}y");
	ck_assert_str_eq(get(c, "broken"), "${base");
	ck_assert_str_eq(get(c, "dollar"), "$base {base} $/data");

	ck_assert_ptr_null(hadoop_conf_get(c, "loop.a", &err));
	ck_assert_int_eq(err.code, ERR_INPUT);
	ck_assert_str_eq(err.msg, "a.xml:14:32: loop.a: variable "
	    "substitution nests deeper than 20 (a loop?)");
	ck_assert_ptr_null(hadoop_conf_get(c, "self", &err));
	ck_assert_str_eq(err.msg, "a.xml:16:30: self: variable "
	    "substitution nests deeper than 20 (a loop?)");
	hadoop_conf_free(c);
}
END_TEST

/* Each level doubles: 2^25 bytes are refused long before they exist. */
START_TEST(test_substitution_bomb)
{
	struct buf	 b;
	struct hadoop_conf *c;
	struct error	 err;
	int		 i;

	buf_init(&b);
	buf_puts(&b, HEAD PROP("v0", "0123456789abcdef0123456789abcdef"));
	for (i = 1; i <= 19; i++)
		buf_printf(&b, "  <property><name>v%d</name>"
		    "<value>${v%d}${v%d}</value></property>\n", i, i - 1,
		    i - 1);
	buf_puts(&b, TAIL);
	c = load("bomb.xml", b.data);
	ck_assert_ptr_null(hadoop_conf_get(c, "v19", &err));
	ck_assert_int_eq(err.code, ERR_INPUT);
	ck_assert_str_eq(err.msg, "bomb.xml:22:29: v19: longer than 1 MiB "
	    "after substitution");
	/* 2^14 * 32 bytes = 512 KiB is allowed. */
	ck_assert_uint_eq(strlen(get(c, "v14")), 512 * 1024);
	hadoop_conf_free(c);
	buf_clear(&b);
}
END_TEST

START_TEST(test_later_file_wins_and_final)
{
	struct hadoop_conf	*c = hadoop_conf_new();
	struct error		 err;
	const char *core = HEAD
	    PROP("x", "core")
	    PROP("port", "8020")
	    PROP("addr", "nn:${port}")
	    "  <property><name>locked</name><value>core</value>"
	    "<final>true</final></property>\n"
	    "  <property><name>notfinal</name><value>core</value>"
	    "<final>yes</final></property>\n"
	    TAIL;
	const char *hdfs = HEAD
	    PROP("x", "hdfs")
	    PROP("port", "9000")
	    PROP("locked", "hdfs")
	    PROP("notfinal", "hdfs")
	    TAIL;

	ck_assert_int_eq(hadoop_conf_load_buf(c, "core-site.xml", core,
	    strlen(core), &err), 0);
	ck_assert_str_eq(get(c, "addr"), "nn:8020");
	ck_assert_int_eq(hadoop_conf_load_buf(c, "hdfs-site.xml", hdfs,
	    strlen(hdfs), &err), 0);
	ck_assert_str_eq(get(c, "x"), "hdfs");
	ck_assert_str_eq(hadoop_conf_where(c, "x"), "hdfs-site.xml:3:27");
	/* Substitution sees the later file's variable. */
	ck_assert_str_eq(get(c, "addr"), "nn:9000");
	ck_assert_str_eq(get(c, "locked"), "core");
	ck_assert_str_eq(hadoop_conf_where(c, "locked"), "core-site.xml:6:32");
	ck_assert_str_eq(get(c, "notfinal"), "hdfs");
	hadoop_conf_free(c);
}
END_TEST

START_TEST(test_errors)
{
	expect_load_error("", "x.xml:1:1: no element found");
	expect_load_error(HEAD "  <property><name>a</name>\n" TAIL,
	    "x.xml:4:3: mismatched tag");
	expect_load_error("<?xml version=\"1.0\"?>\n<conf/>\n",
	    "x.xml:2:1: expected <configuration>, found <conf>");
	expect_load_error(HEAD "  <property><value>v</value></property>\n"
	    TAIL, "x.xml:3:3: <property> has no <name>");
	expect_load_error(HEAD "  <property>\n    <name> </name>\n"
	    "    <value>v</value>\n  </property>\n" TAIL,
	    "x.xml:3:3: <property> has no <name>");
	expect_load_error("<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE configuration [ <!ENTITY a \"aaaa\"> ]>\n"
	    "<configuration/>\n", "x.xml:2:25: a DOCTYPE is not allowed");
	expect_load_error(HEAD PROP("a", "&nosuch;") TAIL,
	    "x.xml:3:34: undefined entity");
	expect_load_error(HEAD PROP("a", "b") TAIL "<configuration/>\n",
	    "x.xml:5:1: junk after document element");
	expect_load_error(HEAD "  <property><name>a</name><value>\x01"
	    "</value></property>\n" TAIL, "x.xml:3:34: not well-formed "
	    "(invalid token)");
}
END_TEST

START_TEST(test_files)
{
	const char		*dir = unit_tmpdir();
	char			 sub[512];
	struct hadoop_conf	*c = hadoop_conf_new();
	struct error		 err;

	ck_assert_int_eq(hadoop_conf_load_dir(c, dir, &err), -1);
	ck_assert_int_eq(err.code, ERR_NOTFOUND);
	snprintf(sub, sizeof sub, "%s: no core-site.xml or hdfs-site.xml",
	    dir);
	ck_assert_str_eq(err.msg, sub);
	unit_write(dir, "hdfs-site.xml", HEAD PROP("a", "hdfs") TAIL);
	ck_assert_int_eq(hadoop_conf_load_dir(c, dir, &err), 0);
	ck_assert_str_eq(get(c, "a"), "hdfs");
	unit_write(dir, "core-site.xml", HEAD PROP("a", "core")
	    PROP("b", "core") TAIL);
	hadoop_conf_free(c);
	c = hadoop_conf_new();
	ck_assert_int_eq(hadoop_conf_load_dir(c, dir, &err), 0);
	ck_assert_str_eq(get(c, "a"), "hdfs");
	ck_assert_str_eq(get(c, "b"), "core");
	unit_write(dir, "core-site.xml", HEAD "<property>" TAIL);
	ck_assert_int_eq(hadoop_conf_load_dir(c, dir, &err), -1);
	snprintf(sub, sizeof sub, "%s/core-site.xml:3:13: mismatched tag",
	    dir);
	ck_assert_str_eq(err.msg, sub);
	hadoop_conf_free(c);
}
END_TEST

/* The shape of an HA cluster's files as Ambari or Cloudera write them. */
#define HA_CORE HEAD \
	PROP("fs.defaultFS", "hdfs://mycluster") \
	PROP("hadoop.security.authentication", "Kerberos") \
	TAIL
#define HA_HDFS HEAD \
	PROP("dfs.nameservices", "mycluster,other") \
	PROP("dfs.ha.namenodes.mycluster", "nn1, nn2") \
	PROP("dfs.namenode.rpc-address.mycluster.nn1", "nn1.example.com:8020") \
	PROP("dfs.namenode.rpc-address.mycluster.nn2", "nn2.example.com:8020") \
	PROP("dfs.namenode.http-address.mycluster.nn1", "nn1:9870") \
	PROP("dfs.client.failover.proxy.provider.mycluster", \
	    "org.apache.hadoop.hdfs.server.namenode.ha." \
	    "ConfiguredFailoverProxyProvider") \
	PROP("dfs.namenode.kerberos.principal", "nn/_HOST@EXAMPLE.COM") \
	PROP("dfs.data.transfer.protection", "integrity,privacy") \
	PROP("dfs.replication", "2") \
	PROP("dfs.blocksize", "64m") \
	PROP("dfs.client.use.datanode.hostname", "TRUE") \
	PROP("dfs.client.socket-timeout", "120000") \
	PROP("dfs.namenode.rpc-address.other", "other:9000") \
	TAIL

static struct hadoop_conf *
ha_conf(void)
{
	struct hadoop_conf	*c = load("core-site.xml", HA_CORE);
	struct error		 err;

	ck_assert_int_eq(hadoop_conf_load_buf(c, "hdfs-site.xml", HA_HDFS,
	    strlen(HA_HDFS), &err), 0);
	return c;
}

START_TEST(test_client_ha)
{
	struct hadoop_conf	*c = ha_conf();
	struct hadoop_client	 hc;
	struct error		 err;
	char			*nn;

	ck_assert_int_eq(hadoop_client_from_conf(c, NULL, &hc, &err), 0);
	ck_assert_str_eq(hc.namenodes,
	    "nn1.example.com:8020,nn2.example.com:8020");
	ck_assert_str_eq(hc.nameservice, "mycluster");
	ck_assert(hc.kerberos);
	ck_assert_str_eq(hc.namenode_principal, "nn/_HOST@EXAMPLE.COM");
	ck_assert(hc.protection_set);
	ck_assert_int_eq(hc.protection, CONFIG_PROTECT_INTEGRITY);
	ck_assert_uint_eq(hc.replication, 2);
	ck_assert_uint_eq(hc.block_size, 64u << 20);
	ck_assert(hc.use_datanode_hostname);
	ck_assert_uint_eq(hc.socket_timeout_ms, 120000);
	hadoop_client_clear(&hc);

	ck_assert_int_eq(hadoop_client_from_conf(c, "other", &hc, &err), 0);
	ck_assert_str_eq(hc.namenodes, "other:9000");
	ck_assert_str_eq(hc.nameservice, "other");
	hadoop_client_clear(&hc);

	nn = hadoop_client_namenodes(c, "mycluster", &err);
	ck_assert_str_eq(nn, "nn1.example.com:8020,nn2.example.com:8020");
	free(nn);
	nn = hadoop_client_namenodes(c, "plainhost", &err);
	ck_assert_str_eq(nn, "plainhost:8020");
	free(nn);
	nn = hadoop_client_namenodes(c, "h:9001", &err);
	ck_assert_str_eq(nn, "h:9001");
	free(nn);
	nn = hadoop_client_namenodes(NULL, "h", &err);
	ck_assert_str_eq(nn, "h:8020");
	free(nn);
	ck_assert_ptr_null(hadoop_client_namenodes(c, "h:0", &err));
	ck_assert_str_eq(err.msg, "hdfs://h:0: not host:port");
	hadoop_conf_free(c);
}
END_TEST

START_TEST(test_client_simple)
{
	struct hadoop_conf	*c;
	struct hadoop_client	 hc;
	struct error		 err;

	c = load("core-site.xml", HEAD PROP("fs.defaultFS", "hdfs://nn:9000/")
	    TAIL);
	ck_assert_int_eq(hadoop_client_from_conf(c, NULL, &hc, &err), 0);
	ck_assert_str_eq(hc.namenodes, "nn:9000");
	ck_assert_ptr_null(hc.nameservice);
	ck_assert(!hc.kerberos);
	ck_assert(!hc.protection_set);
	ck_assert_uint_eq(hc.replication, 0);
	ck_assert(!hc.use_datanode_hostname);
	ck_assert_uint_eq(hc.socket_timeout_ms, 0);
	hadoop_client_clear(&hc);
	hadoop_conf_free(c);

	c = load("core-site.xml", HEAD PROP("fs.default.name", "hdfs://old")
	    TAIL);
	ck_assert_int_eq(hadoop_client_from_conf(c, NULL, &hc, &err), 0);
	ck_assert_str_eq(hc.namenodes, "old:8020");
	hadoop_client_clear(&hc);
	hadoop_conf_free(c);

	c = load("hdfs-site.xml", HEAD PROP("dfs.namenode.rpc-address",
	    "single:8020") TAIL);
	ck_assert_int_eq(hadoop_client_from_conf(c, NULL, &hc, &err), 0);
	ck_assert_str_eq(hc.namenodes, "single:8020");
	hadoop_client_clear(&hc);
	hadoop_conf_free(c);
}
END_TEST

static void
expect_client_error(const char *text, const char *fs, const char *want)
{
	struct hadoop_conf	*c = load("s.xml", text);
	struct hadoop_client	 hc;
	struct error		 err;

	error_clear(&err);
	ck_assert_int_eq(hadoop_client_from_conf(c, fs, &hc, &err), -1);
	ck_assert_int_eq(err.code, ERR_INPUT);
	ck_assert_str_eq(err.msg, want);
	ck_assert_ptr_null(hc.namenodes);
	hadoop_conf_free(c);
}

START_TEST(test_client_errors)
{
	expect_client_error(HEAD TAIL, NULL, "the Hadoop configuration sets "
	    "neither fs.defaultFS nor dfs.namenode.rpc-address");
	expect_client_error(HEAD PROP("fs.defaultFS", "file:///") TAIL, NULL,
	    "s.xml:3:38: fs.defaultFS: 'file:///' is not an hdfs:// URI");
	expect_client_error(HEAD PROP("fs.defaultFS", "hdfs://ns")
	    PROP("dfs.nameservices", "ns") TAIL, NULL, "nameservice 'ns' has "
	    "no NameNodes: set dfs.ha.namenodes.ns and "
	    "dfs.namenode.rpc-address.ns.<id>");
	expect_client_error(HEAD PROP("fs.defaultFS", "hdfs://ns")
	    PROP("dfs.ha.namenodes.ns", "nn1,nn2")
	    PROP("dfs.namenode.rpc-address.ns.nn1", "a:1") TAIL, NULL,
	    "s.xml:4:45: dfs.ha.namenodes.ns names NameNode 'nn2', but "
	    "dfs.namenode.rpc-address.ns.nn2 is not set");
	expect_client_error(HEAD PROP("fs.defaultFS", "hdfs://ns")
	    PROP("dfs.ha.namenodes.ns", " , ") TAIL, NULL,
	    "s.xml:4:45: dfs.ha.namenodes.ns: nameservice 'ns' has no "
	    "NameNodes");
	expect_client_error(HEAD PROP("fs.defaultFS", "hdfs://ns")
	    PROP("dfs.ha.namenodes.ns", "nn1")
	    PROP("dfs.namenode.rpc-address.ns.nn1", "nohost") TAIL, NULL,
	    "s.xml:5:57: dfs.namenode.rpc-address.ns.nn1: 'nohost' is not "
	    "host:port");
	expect_client_error(HEAD PROP("fs.defaultFS", "hdfs://a:b") TAIL, NULL,
	    "s.xml:3:38: fs.defaultFS: hdfs://a:b: not host:port");
	expect_client_error(HEAD PROP("fs.defaultFS", "hdfs://nn:1")
	    PROP("hadoop.security.authentication", "ldap") TAIL, NULL,
	    "s.xml:4:56: hadoop.security.authentication: 'ldap' is not "
	    "simple or kerberos");
	expect_client_error(HEAD PROP("fs.defaultFS", "hdfs://nn:1")
	    PROP("dfs.data.transfer.protection", "secret") TAIL, NULL,
	    "s.xml:4:54: dfs.data.transfer.protection: 'secret' is not "
	    "authentication, integrity or privacy");
	expect_client_error(HEAD PROP("fs.defaultFS", "hdfs://nn:1")
	    PROP("dfs.replication", "0") TAIL, NULL,
	    "s.xml:4:41: dfs.replication: '0' is not a replication of 1 "
	    "to 512");
	expect_client_error(HEAD PROP("fs.defaultFS", "hdfs://nn:1")
	    PROP("dfs.blocksize", "128x") TAIL, NULL,
	    "s.xml:4:39: dfs.blocksize: '128x' is not a size (bytes, or "
	    "with a unit k, m, g or t)");
	expect_client_error(HEAD PROP("fs.defaultFS", "hdfs://nn:1")
	    PROP("dfs.client.use.datanode.hostname", "yes") TAIL, NULL,
	    "s.xml:4:58: dfs.client.use.datanode.hostname: 'yes' is not "
	    "true or false");
	expect_client_error(HEAD PROP("fs.defaultFS", "hdfs://nn:1")
	    PROP("dfs.client.socket-timeout", "60s") TAIL, NULL,
	    "s.xml:4:51: dfs.client.socket-timeout: '60s' is not a time in "
	    "milliseconds (1 to 86400000)");
	expect_client_error(HEAD PROP("fs.defaultFS", "hdfs://${fs}")
	    PROP("fs", "${fs}") TAIL, NULL, "s.xml:3:38: fs.defaultFS: "
	    "variable substitution nests deeper than 20 (a loop?)");
}
END_TEST

START_TEST(test_uri_split)
{
	struct error	 err;
	const char	*path = NULL;
	char		*a = NULL;

	ck_assert_int_eq(hadoop_uri_split("/plain", &a, &path, &err), 0);
	ck_assert_ptr_null(a);
	ck_assert_int_eq(hadoop_uri_split("hdfs://ns/a/b", &a, &path, &err),
	    1);
	ck_assert_str_eq(a, "ns");
	ck_assert_str_eq(path, "/a/b");
	free(a);
	ck_assert_int_eq(hadoop_uri_split("hdfs://h:8020", &a, &path, &err),
	    1);
	ck_assert_str_eq(a, "h:8020");
	ck_assert_str_eq(path, "/");
	free(a);
	ck_assert_int_eq(hadoop_uri_split("hdfs:///x", &a, &path, &err), 1);
	ck_assert_str_eq(a, "");
	ck_assert_str_eq(path, "/x");
	free(a);
	ck_assert_int_eq(hadoop_uri_split("s3a://bucket/x", &a, &path, &err),
	    -1);
	ck_assert_str_eq(err.msg, "s3a://bucket/x: not an hdfs:// URI");
	ck_assert_int_eq(hadoop_uri_split("/a://b", &a, &path, &err), 0);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite	*s = suite_create("hadoop_conf");
	TCase	*tc = tcase_create("reader");
	TCase	*tcc = tcase_create("client");

	tcase_add_test(tc, test_properties);
	tcase_add_test(tc, test_substitution);
	tcase_add_test(tc, test_substitution_bomb);
	tcase_add_test(tc, test_later_file_wins_and_final);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_files);
	suite_add_tcase(s, tc);
	tcase_add_test(tcc, test_client_ha);
	tcase_add_test(tcc, test_client_simple);
	tcase_add_test(tcc, test_client_errors);
	tcase_add_test(tcc, test_uri_split);
	suite_add_tcase(s, tcc);
	return s;
}
