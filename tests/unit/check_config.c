/*
 * core/config: defaults, every key of a full barge.yaml, size and
 * duration units, and each kind of error with its exact location (files
 * in tests/data/config/bad, see unit_expect_diags).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/xmalloc.h"
#include "core/config.h"

#include "unit.h"

START_TEST(test_config_defaults)
{
	struct config	*c = config_default();

	ck_assert_str_eq(c->messages_dir, "/etc/barge/messages.d");
	ck_assert_uint_eq(c->ninputs, 1);
	ck_assert_str_eq(c->inputs[0].path, "/var/log/syslog");
	ck_assert_int_eq(c->inputs[0].start_at, CONFIG_START_END);
	ck_assert_uint_eq(c->nnamenodes, 0);
	ck_assert_str_eq(c->hdfs_user, "barge");
	ck_assert_str_eq(c->hdfs_root, "/data/barge");
	ck_assert_uint_eq(c->replication, 0);
	ck_assert_uint_eq(c->block_size, 0);
	ck_assert_int_eq(c->auth, CONFIG_AUTH_SIMPLE);
	ck_assert_ptr_null(c->kerberos_nn_principal);
	ck_assert_ptr_null(c->proxy_user);
	ck_assert_int_eq(c->data_transfer_protection, CONFIG_PROTECT_NONE);
	ck_assert_str_eq(c->spool_dir, "/var/spool/barge");
	ck_assert_uint_eq(c->spool_max_bytes, 10ULL << 30);
	ck_assert_str_eq(c->state_dir, "/var/lib/barge");
	ck_assert_uint_eq(c->batch_max_bytes, 128ULL << 20);
	ck_assert_uint_eq(c->batch_max_age_ms, 7200000);
	ck_assert_uint_eq(c->batch_close_after_ms, 300000);
	ck_assert_uint_eq(c->batch_close_spread_ms, 600000);
	ck_assert_int_eq(c->gzip_level, 6);
	ck_assert(c->quarantine);
	ck_assert_str_eq(c->control_socket, "/run/barge/barged.sock");
	ck_assert_str_eq(c->metrics, "127.0.0.1:9732");
	config_free(c);
}
END_TEST

START_TEST(test_config_full)
{
	const char	*dir = unit_tmpdir();
	const char	*path;
	struct diag	*d = diag_new();
	struct config	*c;
	char		 want[4200];

	path = unit_write(dir, "barge.yaml",
	    "host: web7\n"
	    "messages_dir: defs\n"
	    "inputs:\n"
	    "  - path: /var/log/a.log\n"
	    "    start_at: beginning\n"
	    "  - {path: /var/log/b.log}\n"
	    "hdfs:\n"
	    "  namenodes: [nn1:8020, 'nn2:9000']\n"
	    "  user: loader\n"
	    "  root: /warehouse/raw\n"
	    "  replication: 2\n"
	    "  block_size: 64M\n"
	    "  auth: kerberos\n"
	    "  kerberos:\n"
	    "    principal: barge/web7@EX.COM\n"
	    "    keytab: /etc/barge/k.keytab\n"
	    "    namenode_principal: nn/_HOST@EX.COM\n"
	    "  proxy_user: etl\n"
	    "  data_transfer_protection: privacy\n"
	    "spool: {dir: /s, max_bytes: 512K}\n"
	    "state_dir: /st\n"
	    "batch:\n"
	    "  max_bytes: 1G\n"
	    "  max_age: 10s\n"
	    "  close_after: 2s\n"
	    "  close_spread: 0\n"
	    "  gzip_level: 1\n"
	    "quarantine: false\n"
	    "control:\n"
	    "  socket: /tmp/b.sock\n"
	    "  metrics: ''\n");
	c = config_load(path, d);
	diag_print(d, stderr, "unexpected: ");
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->host, "web7");
	snprintf(want, sizeof want, "%s/defs", dir);
	ck_assert_str_eq(c->messages_dir, want);
	ck_assert_uint_eq(c->ninputs, 2);
	ck_assert_str_eq(c->inputs[0].path, "/var/log/a.log");
	ck_assert_int_eq(c->inputs[0].start_at, CONFIG_START_BEGINNING);
	ck_assert_str_eq(c->inputs[1].path, "/var/log/b.log");
	ck_assert_int_eq(c->inputs[1].start_at, CONFIG_START_END);
	ck_assert_uint_eq(c->nnamenodes, 2);
	ck_assert_str_eq(c->namenodes[0], "nn1:8020");
	ck_assert_str_eq(c->namenodes[1], "nn2:9000");
	ck_assert_str_eq(c->hdfs_user, "loader");
	ck_assert_str_eq(c->hdfs_root, "/warehouse/raw");
	ck_assert_uint_eq(c->replication, 2);
	ck_assert_uint_eq(c->block_size, 64ULL << 20);
	ck_assert_int_eq(c->auth, CONFIG_AUTH_KERBEROS);
	ck_assert_str_eq(c->kerberos_principal, "barge/web7@EX.COM");
	ck_assert_str_eq(c->kerberos_keytab, "/etc/barge/k.keytab");
	ck_assert_str_eq(c->kerberos_nn_principal, "nn/_HOST@EX.COM");
	ck_assert_str_eq(c->proxy_user, "etl");
	ck_assert_int_eq(c->data_transfer_protection, CONFIG_PROTECT_PRIVACY);
	ck_assert_str_eq(c->spool_dir, "/s");
	ck_assert_uint_eq(c->spool_max_bytes, 512 * 1024);
	ck_assert_str_eq(c->state_dir, "/st");
	ck_assert_uint_eq(c->batch_max_bytes, 1ULL << 30);
	ck_assert_uint_eq(c->batch_max_age_ms, 10000);
	ck_assert_uint_eq(c->batch_close_after_ms, 2000);
	ck_assert_uint_eq(c->batch_close_spread_ms, 0);
	ck_assert_int_eq(c->gzip_level, 1);
	ck_assert(!c->quarantine);
	ck_assert_str_eq(c->control_socket, "/tmp/b.sock");
	ck_assert_str_eq(c->metrics, "");
	config_free(c);
	diag_free(d);
}
END_TEST

START_TEST(test_config_host_auto)
{
	const char	*path = unit_write(unit_tmpdir(), "b.yaml", "");
	struct diag	*d = diag_new();
	struct config	*c = config_load(path, d);
	char		 host[256];

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(gethostname(host, sizeof host), 0);
	ck_assert_str_eq(c->host, host);
	config_free(c);
	diag_free(d);
}
END_TEST

START_TEST(test_config_units)
{
	uint64_t	 v;

	ck_assert_int_eq(config_parse_size("0", &v), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(config_parse_size("10G", &v), 0);
	ck_assert_uint_eq(v, 10737418240ULL);
	ck_assert_int_eq(config_parse_size("3k", &v), 0);
	ck_assert_uint_eq(v, 3072);
	ck_assert_int_eq(config_parse_size("2MB", &v), 0);
	ck_assert_uint_eq(v, 2097152);
	ck_assert_int_eq(config_parse_size("1.5G", &v), -1);
	ck_assert_int_eq(config_parse_size("G", &v), -1);
	ck_assert_int_eq(config_parse_size("99999999999999T", &v), -1);
	ck_assert_int_eq(config_parse_duration("90", &v), 0);
	ck_assert_uint_eq(v, 90000);
	ck_assert_int_eq(config_parse_duration("250ms", &v), 0);
	ck_assert_uint_eq(v, 250);
	ck_assert_int_eq(config_parse_duration("5m", &v), 0);
	ck_assert_uint_eq(v, 300000);
	ck_assert_int_eq(config_parse_duration("2h", &v), 0);
	ck_assert_uint_eq(v, 7200000);
	ck_assert_int_eq(config_parse_duration("1d", &v), -1);
	ck_assert_int_eq(config_parse_duration("-1s", &v), -1);
}
END_TEST

START_TEST(test_config_example)
{
	struct diag	*d = diag_new();
	const char	*top = getenv("top_srcdir");
	char		*path = xasprintf("%s/conf/barge.yaml",
	    top != NULL ? top : ".");
	struct config	*c = config_load(path, d);

	diag_print(d, stderr, "unexpected: ");
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->nnamenodes, 2);
	ck_assert_str_eq(c->namenodes[1], "nn2.example.com:8020");
	config_free(c);
	diag_free(d);
	free(path);
}
END_TEST

/* hdfs.hadoop_conf_dir fills what barge.yaml leaves unset; its keys win. */
START_TEST(test_config_hadoop_conf_dir)
{
	const char	*dir = unit_tmpdir();
	const char	*path;
	struct diag	*d = diag_new();
	struct config	*c;
	char		 text[1024];

	unit_write(dir, "core-site.xml", "<configuration>\n"
	    "<property><name>fs.defaultFS</name>"
	    "<value>hdfs://ns1</value></property>\n"
	    "<property><name>hadoop.security.authentication</name>"
	    "<value>kerberos</value></property>\n"
	    "</configuration>\n");
	unit_write(dir, "hdfs-site.xml", "<configuration>\n"
	    "<property><name>dfs.ha.namenodes.ns1</name>"
	    "<value>a,b</value></property>\n"
	    "<property><name>dfs.namenode.rpc-address.ns1.a</name>"
	    "<value>nna:8020</value></property>\n"
	    "<property><name>dfs.namenode.rpc-address.ns1.b</name>"
	    "<value>nnb:8020</value></property>\n"
	    "<property><name>dfs.namenode.rpc-address.ns2</name>"
	    "<value>nnc:9000</value></property>\n"
	    "<property><name>dfs.namenode.kerberos.principal</name>"
	    "<value>nn/_HOST@EX.COM</value></property>\n"
	    "<property><name>dfs.data.transfer.protection</name>"
	    "<value>privacy</value></property>\n"
	    "<property><name>dfs.replication</name>"
	    "<value>2</value></property>\n"
	    "<property><name>dfs.blocksize</name>"
	    "<value>32m</value></property>\n"
	    "<property><name>dfs.client.use.datanode.hostname</name>"
	    "<value>true</value></property>\n"
	    "</configuration>\n");

	snprintf(text, sizeof text, "hdfs:\n  hadoop_conf_dir: %s\n", dir);
	path = unit_write(dir, "a.yaml", text);
	c = config_load(path, d);
	diag_print(d, stderr, "unexpected: ");
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->nnamenodes, 2);
	ck_assert_str_eq(c->namenodes[0], "nna:8020");
	ck_assert_str_eq(c->namenodes[1], "nnb:8020");
	ck_assert_int_eq(c->auth, CONFIG_AUTH_KERBEROS);
	ck_assert_str_eq(c->kerberos_nn_principal, "nn/_HOST@EX.COM");
	ck_assert_int_eq(c->data_transfer_protection, CONFIG_PROTECT_PRIVACY);
	ck_assert_uint_eq(c->replication, 2);
	ck_assert_uint_eq(c->block_size, 32u << 20);
	ck_assert(c->use_datanode_hostname);
	ck_assert(config_is_set(c, "hdfs.hadoop_conf_dir"));
	ck_assert(!config_is_set(c, "hdfs.namenodes"));
	config_free(c);

	/* Explicit keys win, even when they say the default. */
	snprintf(text, sizeof text, "hdfs:\n  hadoop_conf_dir: %s\n"
	    "  nameservice: ns2\n  auth: simple\n  replication: 0\n"
	    "  data_transfer_protection: none\n"
	    "  use_datanode_hostname: false\n", dir);
	path = unit_write(dir, "b.yaml", text);
	c = config_load(path, d);
	diag_print(d, stderr, "unexpected: ");
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->nnamenodes, 1);
	ck_assert_str_eq(c->namenodes[0], "nnc:9000");
	ck_assert_int_eq(c->auth, CONFIG_AUTH_SIMPLE);
	ck_assert_uint_eq(c->replication, 0);
	ck_assert_int_eq(c->data_transfer_protection, CONFIG_PROTECT_NONE);
	ck_assert(!c->use_datanode_hostname);
	ck_assert_uint_eq(c->block_size, 32u << 20);
	config_free(c);

	snprintf(text, sizeof text, "hdfs:\n  hadoop_conf_dir: %s\n"
	    "  namenodes: [x:1]\n", dir);
	path = unit_write(dir, "c.yaml", text);
	c = config_load(path, d);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->nnamenodes, 1);
	ck_assert_str_eq(c->namenodes[0], "x:1");
	config_free(c);
	ck_assert_uint_eq(diag_count(d), 0);

	/* The errors, one line each. */
	snprintf(text, sizeof text, "hdfs:\n  hadoop_conf_dir: %s\n"
	    "  nameservice: nope\n", dir);
	path = unit_write(dir, "d.yaml", text);
	ck_assert_ptr_null(config_load(path, d));
	snprintf(text, sizeof text, "%s: hdfs.nameservice: 'nope' is not a "
	    "nameservice of %s (dfs.nameservices, dfs.ha.namenodes.nope)",
	    path, dir);
	ck_assert_uint_eq(diag_count(d), 1);
	ck_assert_str_eq(diag_get(d, 0), text);
	diag_free(d);

	d = diag_new();
	path = unit_write(dir, "e.yaml", "hdfs:\n  nameservice: ns1\n");
	ck_assert_ptr_null(config_load(path, d));
	snprintf(text, sizeof text, "%s: hdfs.nameservice needs "
	    "hdfs.hadoop_conf_dir", path);
	ck_assert_str_eq(diag_get(d, 0), text);
	diag_free(d);

	d = diag_new();
	unit_write(dir, "hdfs-site.xml", "<configuration>\n<property>\n");
	path = unit_write(dir, "a.yaml", "hdfs:\n  hadoop_conf_dir: /nonexistent\n");
	ck_assert_ptr_null(config_load(path, d));
	snprintf(text, sizeof text, "%s: hdfs.hadoop_conf_dir: /nonexistent: "
	    "no core-site.xml or hdfs-site.xml", path);
	ck_assert_str_eq(diag_get(d, 0), text);
	diag_free(d);

	d = diag_new();
	snprintf(text, sizeof text, "hdfs:\n  hadoop_conf_dir: %s\n", dir);
	path = unit_write(dir, "a.yaml", text);
	ck_assert_ptr_null(config_load(path, d));
	snprintf(text, sizeof text, "%s: hdfs.hadoop_conf_dir: "
	    "%s/hdfs-site.xml:3:1: no element found", path, dir);
	ck_assert_str_eq(diag_get(d, 0), text);
	diag_free(d);
}
END_TEST

static void
check_config_bad_file(const char *path)
{
	struct diag	*d = diag_new();

	ck_assert_ptr_null(config_load(path, d));
	unit_expect_diags(path, d);
	diag_free(d);
}

START_TEST(test_config_bad)
{
	unit_each_file("config/bad", 5, check_config_bad_file);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite	*s = suite_create("config");
	TCase	*tc = tcase_create("config");

	tcase_add_test(tc, test_config_defaults);
	tcase_add_test(tc, test_config_full);
	tcase_add_test(tc, test_config_host_auto);
	tcase_add_test(tc, test_config_units);
	tcase_add_test(tc, test_config_example);
	tcase_add_test(tc, test_config_hadoop_conf_dir);
	tcase_add_test(tc, test_config_bad);
	suite_add_tcase(s, tc);
	return s;
}
