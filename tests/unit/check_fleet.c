/*
 * The fleet's records: names and times (core/fleet), the manifest journal
 * and its JSON (core/manifest), and the JSON reader under them.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/json.h"
#include "core/fleet.h"
#include "core/manifest.h"
#include "unit.h"

/* 2026-12-03T10 */
#define DAY	20790
#define HOUR	(DAY * 24 + 10)

START_TEST(test_fleet_names)
{
	char		 h[FLEET_HOUR_LEN], d[FLEET_DAY_LEN];
	char		 host[FLEET_HOST_MAX], *p;
	int64_t		 v;

	fleet_hour_name(HOUR, h);
	ck_assert_str_eq(h, "2026-12-03T10");
	fleet_day_name(DAY, d);
	ck_assert_str_eq(d, "2026-12-03");
	ck_assert_int_eq(fleet_parse_hour("2026-12-03T10", &v), 0);
	ck_assert_int_eq(v, HOUR);
	ck_assert_int_eq(fleet_parse_day("2026-12-03", &v), 0);
	ck_assert_int_eq(v, DAY);
	ck_assert_int_eq(fleet_day_of(HOUR), DAY);
	ck_assert_int_eq(fleet_day_of(-1), -1);
	ck_assert_int_eq(fleet_parse_hour("2026-12-03T24", &v), -1);
	ck_assert_int_eq(fleet_parse_hour("2026-12-03 10", &v), -1);
	ck_assert_int_eq(fleet_parse_hour("2026-12-03T1", &v), -1);
	ck_assert_int_eq(fleet_parse_day("2026-13-03", &v), -1);
	ck_assert_int_eq(fleet_parse_day("2026-12-03x", &v), -1);

	p = fleet_marker_path("/data/barge", "web1.example.com", HOUR);
	ck_assert_str_eq(p, "/data/barge/_barge/hosts/web1.example.com@"
	    "2026-12-03T10");
	free(p);
	ck_assert_int_eq(fleet_parse_marker("web1.example.com@2026-12-03T10",
	    host, &v), 0);
	ck_assert_str_eq(host, "web1.example.com");
	ck_assert_int_eq(v, HOUR);
	ck_assert_int_eq(fleet_parse_marker("@2026-12-03T10", host, &v), -1);
	ck_assert_int_eq(fleet_parse_marker("web1", host, &v), -1);
	ck_assert_int_eq(fleet_parse_marker(".web1@2026-12-03T10.tmp", host,
	    &v), -1);
	p = fleet_manifest_path("/r", "h", DAY);
	ck_assert_str_eq(p, "/r/_barge/manifests/dt=2026-12-03/h.json");
	free(p);
}
END_TEST

START_TEST(test_fleet_spread)
{
	uint64_t	 spread = 600000, buckets[10] = { 0 };
	char		 host[32];
	int		 i;

	ck_assert_uint_eq(fleet_offset_ms("web1", 0), 0);
	/* Deterministic, and in range. */
	ck_assert_uint_eq(fleet_offset_ms("web1", spread),
	    fleet_offset_ms("web1", spread));
	/* A fleet of numbered hosts spreads evenly over the window. */
	for (i = 0; i < 10000; i++) {
		uint64_t o;

		snprintf(host, sizeof host, "web%d.dc1", i);
		o = fleet_offset_ms(host, spread);
		ck_assert_uint_lt(o, spread);
		buckets[o / (spread / 10)]++;
	}
	for (i = 0; i < 10; i++) {
		ck_assert_uint_gt(buckets[i], 850);
		ck_assert_uint_lt(buckets[i], 1150);
	}
	ck_assert_int_eq(fleet_close_ms(HOUR, 300000, 1000),
	    (int64_t)(HOUR + 1) * 3600000 + 301000);
}
END_TEST

static struct manifest_entry
check_entry(const char *path, const char *name, unsigned version,
    int64_t hour, uint64_t bytes, uint64_t rows)
{
	struct manifest_entry e;

	memset(&e, 0, sizeof e);
	e.path = (char *)(uintptr_t)path;
	e.key.kind = version == 0 ? SEGMENT_QUARANTINE : SEGMENT_MESSAGE;
	snprintf(e.key.name, sizeof e.key.name, "%s", name);
	e.key.version = version;
	e.key.hour = hour;
	e.bytes = bytes;
	e.rows = rows;
	return e;
}

START_TEST(test_manifest_journal)
{
	const char	*dir = unit_tmpdir();
	struct manifest_entry a = check_entry("/r/A/v1/dt=2026-12-03/hour=10/"
	    "h-01.tsv.gz", "A", 1, HOUR, 100, 7);
	struct manifest_entry q = check_entry("/r/_invalid/bad-bool/"
	    "dt=2026-12-03/hour=09/h-02.tsv.gz", "bad-bool", 0, HOUR - 1, 50,
	    SEGMENT_ROWS_UNKNOWN);
	struct manifest_entry y = check_entry("/r/A/v1/dt=2026-12-02/hour=23/"
	    "h-03.tsv.gz", "A", 1, HOUR - 11, 10, 1);
	struct manifest	*m;
	struct error	 err;
	struct buf	 b;
	int64_t		 days[4];
	size_t		 count;
	char		 path[4200];
	int		 fd;

	m = manifest_open(dir, "h", &err);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(manifest_add(m, &a, &err), 1);
	ck_assert_int_eq(manifest_add(m, &q, &err), 1);
	/* A repeated upload is listed once. */
	ck_assert_int_eq(manifest_add(m, &a, &err), 0);
	ck_assert_int_eq(manifest_add(m, &y, &err), 1);
	ck_assert_uint_eq(manifest_count(m, DAY), 2);
	ck_assert_uint_eq(manifest_count(m, DAY - 1), 1);
	ck_assert_uint_eq(manifest_dirty_days(m, days, 4), 2);

	buf_init(&b);
	manifest_render(m, DAY, &b, &count);
	ck_assert_uint_eq(count, 2);
	ck_assert_str_eq(b.data, "{\"host\":\"h\",\"day\":\"2026-12-03\","
	    "\"files\":[\n"
	    "{\"path\":\"/r/A/v1/dt=2026-12-03/hour=10/h-01.tsv.gz\","
	    "\"message\":\"A\",\"version\":1,\"hour\":\"2026-12-03T10\","
	    "\"bytes\":100,\"rows\":7},\n"
	    "{\"path\":\"/r/_invalid/bad-bool/dt=2026-12-03/hour=09/"
	    "h-02.tsv.gz\",\"quarantine\":\"bad-bool\",\"hour\":"
	    "\"2026-12-03T09\",\"bytes\":50,\"rows\":null}\n]}\n");
	ck_assert_int_eq(manifest_published(m, DAY, count, &err), 0);
	ck_assert_uint_eq(manifest_dirty_days(m, days, 4), 1);
	ck_assert_int_eq(days[0], DAY - 1);
	manifest_free(m);

	/* A crash cut the last journal line short: that file was not let go. */
	snprintf(path, sizeof path, "%s/2026-12-03.tsv", dir);
	fd = open(path, O_WRONLY | O_APPEND);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, "m\tA\t1\t", 6), 6);
	close(fd);
	m = manifest_open(dir, "h", &err);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(manifest_count(m, DAY), 2);
	/* What was published stays published; the other day is still due. */
	ck_assert_uint_eq(manifest_dirty_days(m, days, 4), 1);
	ck_assert_int_eq(manifest_add(m, &a, &err), 0);
	ck_assert_int_eq(manifest_add(m, &(struct manifest_entry){ .path =
	    (char *)"/r/A/v1/dt=2026-12-03/hour=11/h-04.tsv.gz", .key = a.key,
	    .bytes = 1, .rows = 1 }, &err), 1);
	ck_assert_uint_eq(manifest_count(m, DAY), 3);
	ck_assert_int_eq(manifest_prune(m, DAY, &err), 0);
	ck_assert_uint_eq(manifest_count(m, DAY - 1), 0);
	snprintf(path, sizeof path, "%s/2026-12-02.tsv", dir);
	ck_assert_int_eq(access(path, F_OK), -1);
	manifest_free(m);
	m = manifest_open(dir, "h", &err);
	ck_assert_uint_eq(manifest_count(m, DAY), 3);
	manifest_free(m);

	/* Read back as barge audit does. */
	{
		struct manifest_doc doc;

		ck_assert_int_eq(manifest_parse(b.data, b.len, &doc, &err), 0);
		ck_assert_str_eq(doc.host, "h");
		ck_assert_int_eq(doc.day, DAY);
		ck_assert_uint_eq(doc.n, 2);
		ck_assert_str_eq(doc.entries[0].path, a.path);
		ck_assert_uint_eq(doc.entries[0].rows, 7);
		ck_assert_uint_eq(doc.entries[0].bytes, 100);
		ck_assert_int_eq(doc.entries[0].key.hour, HOUR);
		ck_assert_int_eq(doc.entries[1].key.kind, SEGMENT_QUARANTINE);
		ck_assert_uint_eq(doc.entries[1].rows, SEGMENT_ROWS_UNKNOWN);
		manifest_doc_clear(&doc);
	}
	ck_assert_int_eq(manifest_parse("{\"host\":\"h\"}", 12,
	    &(struct manifest_doc){ 0 }, &err), -1);
	ck_assert_str_eq(err.msg, "no \"day\"");
	buf_clear(&b);
}
END_TEST

START_TEST(test_json_reader)
{
	static const char doc[] = " {\"a\": [1, -2.5e3, true, false, null],"
	    " \"s\": \"t\\u00e9\\ud83d\\ude00\\n\", \"n\": 18446744073709551615}";
	struct json	*j;
	struct error	 err;
	uint64_t	 u;
	char		 deep[200];

	j = json_parse(doc, sizeof doc - 1, &err);
	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(json_get(j, "a")->kind, JSON_ARRAY);
	ck_assert_uint_eq(json_get(j, "a")->n, 5);
	ck_assert_str_eq(json_get(j, "a")->items[1]->text, "-2.5e3");
	ck_assert(json_get(j, "a")->items[2]->boolean);
	ck_assert_str_eq(json_string(json_get(j, "s")),
	    "t\xc3\xa9\xf0\x9f\x98\x80\n");
	ck_assert_int_eq(json_uint(json_get(j, "n"), UINT64_MAX, &u), 0);
	ck_assert_uint_eq(u, UINT64_MAX);
	ck_assert_int_eq(json_uint(json_get(j, "n"), 5, &u), -1);
	ck_assert_ptr_null(json_get(j, "missing"));
	json_free(j);

	ck_assert_ptr_null(json_parse("{\"a\":1,}", 8, &err));
	ck_assert_str_eq(err.msg, "line 1 col 8: expected a key");
	ck_assert_ptr_null(json_parse("[1]\n x", 6, &err));
	ck_assert_str_eq(err.msg, "line 2 col 2: text after the value");
	ck_assert_ptr_null(json_parse("\"\\ud800\"", 8, &err));
	ck_assert_str_eq(err.msg, "line 1 col 8: lone surrogate");
	ck_assert_ptr_null(json_parse("01", 2, &err));
	ck_assert_ptr_null(json_parse("", 0, &err));
	ck_assert_str_eq(err.msg, "line 1 col 1: expected a value");
	memset(deep, '[', sizeof deep);
	ck_assert_ptr_null(json_parse(deep, sizeof deep, &err));
	ck_assert_str_eq(err.msg, "line 1 col 34: nested too deep");
}
END_TEST

Suite *
unit_suite(void)
{
	Suite	*s = suite_create("fleet");
	TCase	*tc = tcase_create("fleet");

	tcase_add_test(tc, test_fleet_names);
	tcase_add_test(tc, test_fleet_spread);
	tcase_add_test(tc, test_manifest_journal);
	tcase_add_test(tc, test_json_reader);
	suite_add_tcase(s, tc);
	return s;
}
