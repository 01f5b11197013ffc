/*
 * core/avro_encode, core/avro_schema and core/avro_container: the exact
 * bytes of zig-zag longs and of a row, the exact .avsc of a definition,
 * and an Avro spool segment that stays a valid container (header, then
 * blocks each ending with the header's marker) across a crash cut-back,
 * with the compression inline and on the zpool worker.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libdeflate.h>

#include "base/buf.h"
#include "base/cdefs.h"
#include "base/diag.h"
#include "base/fsio.h"
#include "core/avro_container.h"
#include "core/avro_encode.h"
#include "core/avro_schema.h"
#include "core/payload.h"
#include "core/schema.h"
#include "core/segment.h"
#include "core/spool.h"
#include "core/zpool.h"

#include "unit.h"

static uint64_t
check_avro_size(const char *dir, const char *name)
{
	struct stat	 st;
	char		 path[4200];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	ck_assert_int_eq(stat(path, &st), 0);
	return (uint64_t)st.st_size;
}

static void
check_avro_long(int64_t v, const char *hex)
{
	unsigned char	 b[AVRO_LONG_MAX_LEN];
	char		 got[2 * AVRO_LONG_MAX_LEN + 1];
	size_t		 n = avro_put_long(b, v), i;
	int64_t		 back;

	for (i = 0; i < n; i++)
		snprintf(got + 2 * i, 3, "%02x", b[i]);
	got[2 * n] = '\0';
	ck_assert_str_eq(got, hex);
	ck_assert_uint_eq(avro_get_long(b, n, &back), n);
	ck_assert(back == v);
	/* Cut short by one byte, it is not a long. */
	ck_assert_uint_eq(avro_get_long(b, n - 1, &back), 0);
}

START_TEST(test_avro_longs)
{
	check_avro_long(0, "00");
	check_avro_long(-1, "01");
	check_avro_long(1, "02");
	check_avro_long(-64, "7f");
	check_avro_long(64, "8001");
	check_avro_long(INT32_MAX, "feffffff0f");
	check_avro_long(INT32_MIN, "ffffffff0f");
	check_avro_long(INT64_MAX, "feffffffffffffffff01");
	check_avro_long(INT64_MIN, "ffffffffffffffffff01");
}
END_TEST

static struct schema *
check_avro_schema(void)
{
	const char	*dir = unit_tmpdir();
	struct diag	*d = diag_new();
	struct schema	*s;

	unit_write(dir, "t.yaml", "messages:\n"
	    "  - name: T\n    version: 1\n    format: avro\n"
	    "    owner: a@example.com\n    fields:\n"
	    "      - {name: s, type: string}\n"
	    "      - {name: i, type: int32}\n"
	    "      - {name: l, type: int64, nullable: true}\n"
	    "      - {name: d, type: double}\n"
	    "      - {name: b, type: bool, nullable: true}\n"
	    "      - {name: t, type: timestamp, unit: s}\n");
	s = schema_load(dir, d);
	ck_assert_uint_eq(diag_count(d), 0);
	ck_assert_ptr_nonnull(s);
	diag_free(d);
	return s;
}

START_TEST(test_avro_schema_json)
{
	struct schema	*s = check_avro_schema();
	const struct message *m = schema_get(s, 0);
	struct buf	 b;

	ck_assert_int_eq(m->format, MESSAGE_FORMAT_AVRO);
	buf_init(&b);
	avro_schema_json(&b, m);
	ck_assert_str_eq(b.data, "{\n"
	    "  \"type\": \"record\",\n"
	    "  \"name\": \"T_v1\",\n"
	    "  \"namespace\": \"barge\",\n"
	    "  \"doc\": \"Owner: a@example.com\",\n"
	    "  \"fields\": [\n"
	    "    {\"name\": \"_time\", \"type\": {\"type\": \"long\", "
	    "\"logicalType\": \"timestamp-millis\"}, \"doc\": \"event time "
	    "of the syslog line, UTC\"},\n"
	    "    {\"name\": \"_host\", \"type\": \"string\", \"doc\": \"host "
	    "of the syslog line\"},\n"
	    "    {\"name\": \"s\", \"type\": \"string\"},\n"
	    "    {\"name\": \"i\", \"type\": \"int\"},\n"
	    "    {\"name\": \"l\", \"type\": [\"null\", \"long\"], "
	    "\"default\": null},\n"
	    "    {\"name\": \"d\", \"type\": \"double\"},\n"
	    "    {\"name\": \"b\", \"type\": [\"null\", \"boolean\"], "
	    "\"default\": null},\n"
	    "    {\"name\": \"t\", \"type\": {\"type\": \"long\", "
	    "\"logicalType\": \"timestamp-millis\"}}\n"
	    "  ]\n}");
	/* The definition carries the same text for the spool. */
	ck_assert_str_eq(m->avro_schema, b.data);
	buf_clear(&b);
	schema_free(s);
}
END_TEST

START_TEST(test_avro_row)
{
	static const unsigned char want[] = {
		0x02,				/* _time 1 */
		0x02, 'h',			/* _host */
		0x06, 'a', '\t', 'b',		/* s, unescaped */
		0xff, 0xff, 0xff, 0xff, 0x0f,	/* i INT32_MIN */
		0x00,				/* l: branch null */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x3f, /* d 1.5 */
		0x02, 0x01,			/* b: branch boolean, true */
		0xd0, 0x0f,			/* t 1 s = 1000 ms */
	};
	const char	*msg = "@T:1\ta\\tb\t-2147483648\t\\N\t1.5\ttrue\t1";
	struct schema	*s = check_avro_schema();
	struct payload	 p;
	struct buf	 b;

	payload_init(&p);
	ck_assert_int_eq(payload_match(&p, s, msg, strlen(msg)),
	    PAYLOAD_VALID);
	buf_init(&b);
	avro_encode_row(&b, 1, "h", 1, &p);
	ck_assert_uint_eq(b.len, sizeof want);
	ck_assert_mem_eq(b.data, want, sizeof want);
	buf_clear(&b);
	payload_clear(&p);
	schema_free(s);
}
END_TEST

/* Checks the file's blocks against want (counts and rows, "|"-joined). */
static void
check_avro_blocks(const char *path, const char *schema, const char *want)
{
	struct libdeflate_decompressor *dc = libdeflate_alloc_decompressor();
	struct avro_header h;
	struct error	 err;
	struct buf	 got, fb;
	char		 out[256];
	size_t		 len, pos, k, outlen;
	int64_t		 count, size;
	const unsigned char *p;

	buf_init(&fb);
	ck_assert_int_eq(fsio_read_file(path, &fb, &err), 0);
	p = (const unsigned char *)fb.data;
	len = fb.len;
	ck_assert_int_eq(avro_header_parse(p, len, &h, &err), 0);
	ck_assert_str_eq(h.schema, schema);
	ck_assert_str_eq(h.codec, "deflate");
	buf_init(&got);
	buf_reserve(&got, 1);
	for (pos = h.len; pos < len; pos += (size_t)size + AVRO_SYNC_LEN) {
		ck_assert_uint_gt(k = avro_get_long(p + pos, len - pos,
		    &count), 0);
		pos += k;
		ck_assert_uint_gt(k = avro_get_long(p + pos, len - pos,
		    &size), 0);
		pos += k;
		ck_assert_uint_le(pos + (size_t)size + AVRO_SYNC_LEN, len);
		ck_assert_int_eq(libdeflate_deflate_decompress(dc, p + pos,
		    (size_t)size, out, sizeof out, &outlen),
		    LIBDEFLATE_SUCCESS);
		ck_assert_mem_eq(p + pos + size, h.sync, AVRO_SYNC_LEN);
		buf_printf(&got, "%s%d:%.*s", got.len > 0 ? "|" : "",
		    (int)count, (int)outlen, out);
	}
	ck_assert_uint_eq(pos, len);
	ck_assert_str_eq(got.data, want);
	buf_clear(&got);
	avro_header_clear(&h);
	buf_clear(&fb);
	libdeflate_free_decompressor(dc);
}

static void
check_avro_segment(const struct segment_codec *codec)
{
	const char	*dir = unit_tmpdir(), *schema = "\"string\"";
	struct segment_key k;
	struct segment	*seg;
	struct error	 err;
	char		 path[4200], name[SEGMENT_NAME_MAX];
	uint64_t	 first;

	memset(&k, 0, sizeof k);
	k.kind = SEGMENT_MESSAGE;
	snprintf(k.name, sizeof k.name, "A");
	k.version = 1;
	k.hour = 498798;
	k.is_avro = true;
	seg = segment_create(dir, 7, &k, codec, schema, &err);
	ck_assert_ptr_nonnull(seg);
	snprintf(name, sizeof name, "%s", segment_file(seg));
	ck_assert_str_eq(name, "0000000000000007.m.A.1.2026-11-26.06.avro");
	snprintf(path, sizeof path, "%s/%s", dir, name);
	/* The header alone is durable from the start. */
	ck_assert_uint_gt(segment_durable(seg), 0);
	check_avro_blocks(path, schema, "");
	segment_append(seg, "aa", 2);
	segment_append(seg, "bb", 2);
	ck_assert_int_eq(segment_sync(seg, &err), 0);
	first = segment_durable(seg);
	segment_append(seg, "cc", 2);
	ck_assert_int_eq(segment_sync(seg, &err), 0);
	segment_free(seg);
	check_avro_blocks(path, schema, "2:aabb|1:cc");

	/* The checkpoint said "first": cut back, and the marker still fits. */
	seg = segment_reopen(dir, name, first, 2, codec, &err);
	ck_assert_ptr_nonnull(seg);
	ck_assert_str_eq(segment_avro_schema(seg), schema);
	check_avro_blocks(path, schema, "2:aabb");
	segment_append(seg, "dd", 2);
	segment_append(seg, "ee", 2);
	segment_append(seg, "ff", 2);
	ck_assert_int_eq(segment_sync(seg, &err), 0);
	ck_assert_uint_eq(segment_durable_rows(seg), 5);
	segment_free(seg);
	check_avro_blocks(path, schema, "2:aabb|3:ddeeff");

	/* A length that cannot end on a marker is refused. */
	ck_assert_ptr_null(segment_reopen(dir, name, 5, 0, codec, &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "no Avro sync marker at its "
	    "durable length 5"));
}

/* Counts path's rows fed step bytes at a time. */
static int
check_avro_count(const char *path, size_t step, uint64_t *rows,
    struct error *err)
{
	struct avro_count *c = avro_count_new();
	struct buf	 fb;
	size_t		 i, n;
	int		 rc = 0;

	buf_init(&fb);
	ck_assert_int_eq(fsio_read_file(path, &fb, err), 0);
	for (i = 0; i < fb.len && rc == 0; i += n) {
		n = fb.len - i < step ? fb.len - i : step;
		rc = avro_count_feed(c, fb.data + i, n, err);
	}
	if (rc == 0)
		rc = avro_count_finish(c, rows, err);
	avro_count_free(c);
	buf_clear(&fb);
	return rc;
}

START_TEST(test_avro_count)
{
	struct segment_codec codec = { NULL, gzip_new(6) };
	const char	*dir = unit_tmpdir();
	struct segment_key k;
	struct segment	*seg;
	struct error	 err;
	char		 path[4200];
	uint64_t	 rows, len;
	size_t		 steps[] = { 1, 7, 100, 1 << 20 }, i;
	FILE		*fp;
	int		 byte;

	memset(&k, 0, sizeof k);
	k.kind = SEGMENT_MESSAGE;
	snprintf(k.name, sizeof k.name, "A");
	k.version = 1;
	k.is_avro = true;
	seg = segment_create(dir, 1, &k, &codec, "\"string\"", &err);
	ck_assert_ptr_nonnull(seg);
	segment_append(seg, "aa", 2);
	ck_assert_int_eq(segment_sync(seg, &err), 0);
	segment_append(seg, "bb", 2);
	segment_append(seg, "cc", 2);
	ck_assert_int_eq(segment_sync(seg, &err), 0);
	len = segment_durable(seg);
	snprintf(path, sizeof path, "%s/%s", dir, segment_file(seg));
	segment_free(seg);
	for (i = 0; i < nitems(steps); i++) {
		rows = 0;
		ck_assert_int_eq(check_avro_count(path, steps[i], &rows, &err),
		    0);
		ck_assert_uint_eq(rows, 3);
	}
	/*
	 * A marker that is not the header's. The marker is random, so flip
	 * its byte rather than write a fixed one that it may already be.
	 */
	ck_assert_ptr_nonnull(fp = fopen(path, "r+"));
	ck_assert_int_eq(fseek(fp, (long)len - 2, SEEK_SET), 0);
	ck_assert_int_ge(byte = fgetc(fp), 0);
	ck_assert_int_eq(fseek(fp, (long)len - 2, SEEK_SET), 0);
	ck_assert_int_eq(fputc(byte ^ 0xff, fp), byte ^ 0xff);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_int_eq(check_avro_count(path, 100, &rows, &err), -1);
	ck_assert_str_eq(err.msg, "Avro block 2: not ended by the header's "
	    "sync marker");
	/* Cut mid-block, the file is refused. */
	ck_assert_int_eq(truncate(path, (off_t)len - 1), 0);
	ck_assert_int_eq(check_avro_count(path, 7, &rows, &err), -1);
	ck_assert_str_eq(err.msg, "Avro file cut short in a block");
	gzip_free(codec.gz);
}
END_TEST

START_TEST(test_avro_segment_inline)
{
	struct segment_codec codec = { NULL, gzip_new(6) };

	check_avro_segment(&codec);
	gzip_free(codec.gz);
}
END_TEST

START_TEST(test_avro_segment_zpool)
{
	struct segment_codec codec = { zpool_new(6, 1 << 20), NULL };

	check_avro_segment(&codec);
	zpool_free(codec.zp);
}
END_TEST

/* The spool counts an Avro segment's header among its bytes. */
START_TEST(test_avro_spool_bytes)
{
	const char	*dir = unit_tmpdir();
	struct segment_key k;
	struct spool	*sp;
	struct error	 err;

	sp = spool_open(dir, 6, 1, NULL, 0, NULL, &err);
	ck_assert_ptr_nonnull(sp);
	memset(&k, 0, sizeof k);
	k.kind = SEGMENT_MESSAGE;
	snprintf(k.name, sizeof k.name, "A");
	k.version = 1;
	k.hour = 498798;
	k.is_avro = true;
	ck_assert_int_eq(spool_append(sp, &k, "aa", 2, "\"string\"", &err),
	    0);
	ck_assert_int_eq(spool_sync(sp, &err), 0);
	ck_assert_uint_eq(spool_bytes(sp), check_avro_size(dir,
	    "open/0000000000000001.m.A.1.2026-11-26.06.avro"));
	ck_assert_int_eq(spool_seal(sp, 0, 0, 0, true, &err), 1);
	ck_assert_uint_eq(spool_bytes(sp), check_avro_size(dir,
	    "sealed/0000000000000001.m.A.1.2026-11-26.06.r1.avro"));
	spool_free(sp);
}
END_TEST

/* check_avro_stale's schemas now: A's unchanged, B's changed. */
static const char *
check_avro_schema_of(const struct segment_key *k, void *arg)
{
	(void)arg;
	if (strcmp(k->name, "A") == 0)
		return "\"string\"";
	if (strcmp(k->name, "B") == 0)
		return "\"bytes\"";
	return NULL;
}

/*
 * After a crash, a definition changed within its version: its open Avro
 * segment is sealed as it is, the others stay open.
 */
START_TEST(test_avro_seal_stale)
{
	const char	*dir = unit_tmpdir();
	struct segment_key k;
	struct spool_durable d[4];
	struct spool	*sp;
	struct error	 err;
	const char	*name;
	size_t		 n;
	uint64_t	 next;

	sp = spool_open(dir, 6, 1, NULL, 0, NULL, &err);
	ck_assert_ptr_nonnull(sp);
	memset(&k, 0, sizeof k);
	k.kind = SEGMENT_MESSAGE;
	k.version = 1;
	k.hour = 498798;
	k.is_avro = true;
	snprintf(k.name, sizeof k.name, "A");
	ck_assert_int_eq(spool_append(sp, &k, "aa", 2, "\"string\"", &err),
	    0);
	snprintf(k.name, sizeof k.name, "B");
	ck_assert_int_eq(spool_append(sp, &k, "bb", 2, "\"string\"", &err),
	    0);
	k.is_avro = false;
	ck_assert_int_eq(spool_append(sp, &k, "cc\n", 3, NULL, &err), 0);
	ck_assert_int_eq(spool_sync(sp, &err), 0);
	n = spool_open_segments(sp, d, nitems(d));
	ck_assert_uint_eq(n, 3);
	next = spool_next_id(sp);
	spool_free(sp);		/* a crash: the segments stay open */

	sp = spool_open(dir, 6, next, d, n, NULL, &err);
	ck_assert_ptr_nonnull(sp);
	ck_assert_int_eq(spool_seal_stale(sp, check_avro_schema_of, NULL,
	    &err), 1);
	ck_assert_uint_eq(spool_open_count(sp), 2);
	ck_assert_ptr_nonnull(name = spool_take_sealed(sp, NULL));
	ck_assert_str_eq(name, "0000000000000002.m.B.1.2026-11-26.06.r1.avro");
	ck_assert_ptr_null(spool_take_sealed(sp, NULL));
	/* What stays open kept its header's schema. */
	n = spool_open_segments(sp, d, nitems(d));
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(spool_seal_stale(sp, check_avro_schema_of, NULL,
	    &err), 0);
	spool_free(sp);
}
END_TEST

START_TEST(test_avro_segment_names)
{
	struct segment_key k;
	uint64_t	 id, rows;
	char		*path;

	ck_assert_int_eq(segment_parse_name("000000000000002a.d.A.1."
	    "2026-11-26.00.r9.avro", &id, &k, &rows), 0);
	ck_assert(k.is_avro);
	ck_assert(k.is_daily);
	ck_assert_uint_eq(rows, 9);
	path = segment_hdfs_path("/r", "h1", id, &k);
	ck_assert_str_eq(path,
	    "/r/A/v1/dt=2026-11-26/h1-000000000000002a.avro");
	free(path);
	/* The quarantine is TSV gzip only. */
	ck_assert_int_eq(segment_parse_name("000000000000002a.q.bad-int32.0."
	    "2026-11-26.06.avro", &id, &k, NULL), -1);
}
END_TEST

START_TEST(test_avro_header_refused)
{
	struct avro_header h;
	struct error	 err;
	struct buf	 b;
	unsigned char	 sync[AVRO_SYNC_LEN] = { 0 };

	ck_assert_int_eq(avro_header_parse("PAR1", 4, &h, &err), -1);
	ck_assert_str_eq(err.msg, "not an Avro container (no Obj\\1 magic)");
	buf_init(&b);
	avro_container_header(&b, "\"int\"", sync);
	ck_assert_int_eq(avro_header_parse(b.data, b.len - 1, &h, &err), -1);
	ck_assert_str_eq(err.msg, "Avro header cut short");
	ck_assert_int_eq(avro_header_parse(b.data, b.len, &h, &err), 0);
	ck_assert_uint_eq(h.len, b.len);
	avro_header_clear(&h);
	buf_clear(&b);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite	*s = suite_create("avro");
	TCase	*tc = tcase_create("avro");

	tcase_add_test(tc, test_avro_longs);
	tcase_add_test(tc, test_avro_schema_json);
	tcase_add_test(tc, test_avro_row);
	tcase_add_test(tc, test_avro_segment_inline);
	tcase_add_test(tc, test_avro_segment_zpool);
	tcase_add_test(tc, test_avro_spool_bytes);
	tcase_add_test(tc, test_avro_count);
	tcase_add_test(tc, test_avro_seal_stale);
	tcase_add_test(tc, test_avro_segment_names);
	tcase_add_test(tc, test_avro_header_refused);
	suite_add_tcase(s, tc);
	return s;
}
