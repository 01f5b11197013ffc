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
	tcase_add_test(tc, test_config_bad);
	suite_add_tcase(s, tc);
	return s;
}
