/*
 * core/gzip, core/segment, core/spool and core/checkpoint: gzip members
 * that zlib reads back as one stream, segment names and HDFS paths, the
 * checkpoint format and its CRC, and the crash recovery that cuts
 * segments back to what the checkpoint recorded.
 */
#include "config.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/fsio.h"
#include "base/xmalloc.h"
#include "core/checkpoint.h"
#include "core/gzip.h"
#include "core/segment.h"
#include "core/spool.h"

#include "unit.h"

/* 2026-11-26 06:00 UTC in hours since the epoch. */
#define HOUR	498798

/* Everything a gzip file decompresses to, all members, as a string. */
static char *
check_spool_gunzip(const char *path)
{
	gzFile		 gz = gzopen(path, "rb");
	struct buf	 b;
	char		 chunk[4096];
	int		 n;

	ck_assert_ptr_nonnull(gz);
	buf_init(&b);
	buf_reserve(&b, 1);
	while ((n = gzread(gz, chunk, sizeof chunk)) > 0)
		buf_append(&b, chunk, (size_t)n);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(gzclose(gz), Z_OK);
	return b.data;
}

static uint64_t
check_spool_size(const char *path)
{
	struct stat	 st;

	ck_assert_int_eq(stat(path, &st), 0);
	return (uint64_t)st.st_size;
}

static struct segment_key
check_spool_key(const char *name, unsigned version, int64_t hour)
{
	struct segment_key k;

	memset(&k, 0, sizeof k);
	k.kind = version == 0 ? SEGMENT_QUARANTINE : SEGMENT_MESSAGE;
	snprintf(k.name, sizeof k.name, "%s", name);
	k.version = version;
	k.hour = hour;
	return k;
}

START_TEST(test_gzip_members)
{
	struct gzip	*g = gzip_new(6);
	struct buf	 out;
	const char	*dir = unit_tmpdir(), *m;
	char		 path[4200], *text;
	size_t		 n;

	buf_init(&out);
	m = gzip_member(g, "one\n", 4, &n);
	ck_assert_uint_eq((unsigned char)m[0], 0x1f);
	ck_assert_uint_eq((unsigned char)m[1], 0x8b);
	/* The trailer: CRC-32 then the length, little-endian. */
	ck_assert_uint_eq((unsigned char)m[n - 4], 4);
	ck_assert_uint_eq((unsigned char)m[n - 3], 0);
	buf_append(&out, m, n);
	m = gzip_member(g, "two\nthree\n", 10, &n);
	buf_append(&out, m, n);
	m = gzip_member(g, "", 0, &n);		/* an empty member is valid */
	buf_append(&out, m, n);
	snprintf(path, sizeof path, "%s/x.gz", dir);
	ck_assert_int_eq(fsio_write_file_atomic(path, out.data, out.len, NULL),
	    0);
	text = check_spool_gunzip(path);
	ck_assert_str_eq(text, "one\ntwo\nthree\n");
	free(text);
	buf_clear(&out);
	gzip_free(g);
}
END_TEST

/*
 * Every batch.gzip_level writes a member zlib inflates back, with the
 * trailer's CRC-32 and length right, for rows and for random bytes
 * (stored blocks); higher levels never map to cheaper libdeflate ones.
 */
START_TEST(test_gzip_levels)
{
	enum { N = 200000 };
	unsigned char	*in = xmalloc(N), *back = xmalloc(N + 1);
	unsigned	 seed = 7;
	const char	*m;
	z_stream	 zs;
	size_t		 n, i, len;
	uint32_t	 crc;
	int		 level, pass;

	for (level = 1; level <= 9; level++) {
		ck_assert_int_ge(gzip_level_map(level), 1);
		ck_assert_int_le(gzip_level_map(level), 12);
		if (level > 1)
			ck_assert_int_ge(gzip_level_map(level),
			    gzip_level_map(level - 1));
	}
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < N; i++)
			in[i] = pass == 0 ? (unsigned char)"row\t42\tweb\n"[
			    i % 12] ^ (i % 997 == 0) :
			    (unsigned char)rand_r(&seed);
		for (level = 1; level <= 9; level++) {
			struct gzip *g = gzip_new(level);

			len = pass == 0 ? N : N / 2 + (size_t)level;
			m = gzip_member(g, in, len, &n);
			memset(&zs, 0, sizeof zs);
			ck_assert_int_eq(inflateInit2(&zs, 15 + 16), Z_OK);
			zs.next_in = (Bytef *)(uintptr_t)m;
			zs.avail_in = (uInt)n;
			zs.next_out = back;
			zs.avail_out = N + 1;
			ck_assert_int_eq(inflate(&zs, Z_FINISH), Z_STREAM_END);
			ck_assert_uint_eq(zs.total_out, len);
			ck_assert_uint_eq(zs.avail_in, 0);
			ck_assert_int_eq(memcmp(in, back, len), 0);
			inflateEnd(&zs);
			crc = (uint32_t)crc32(0, in, (uInt)len);
			ck_assert_uint_eq((unsigned char)m[n - 8], crc & 0xff);
			ck_assert_uint_eq((unsigned char)m[n - 5], crc >> 24);
			ck_assert_uint_eq((unsigned char)m[n - 4], len & 0xff);
			gzip_free(g);
		}
	}
	free(in);
	free(back);
}
END_TEST

START_TEST(test_segment_names)
{
	struct segment_key k = check_spool_key("EmailSent", 3, HOUR), p;
	char		 name[SEGMENT_NAME_MAX], *path;
	uint64_t	 id;

	uint64_t	 rows;

	segment_name(name, 42, &k, SEGMENT_ROWS_UNKNOWN);
	ck_assert_str_eq(name, "000000000000002a.m.EmailSent.3.2026-11-26.06.gz");
	ck_assert_int_eq(segment_parse_name(name, &id, &p, &rows), 0);
	ck_assert_uint_eq(rows, SEGMENT_ROWS_UNKNOWN);
	ck_assert(!p.is_daily);
	ck_assert_int_eq(segment_last_hour(&p), HOUR);
	ck_assert_uint_eq(id, 42);
	ck_assert_int_eq(p.kind, SEGMENT_MESSAGE);
	ck_assert_str_eq(p.name, "EmailSent");
	ck_assert_uint_eq(p.version, 3);
	ck_assert_int_eq(p.hour, HOUR);
	path = segment_hdfs_path("/data/barge", "web1", 42, &k);
	ck_assert_str_eq(path, "/data/barge/EmailSent/v3/dt=2026-11-26/"
	    "hour=06/web1-000000000000002a.tsv.gz");
	free(path);

	k = check_spool_key("bad-int32", 0, HOUR + 18);
	segment_name(name, 7, &k, SEGMENT_ROWS_UNKNOWN);
	ck_assert_str_eq(name, "0000000000000007.q.bad-int32.0.2026-11-27.00.gz");
	ck_assert_int_eq(segment_parse_name(name, &id, &p, NULL), 0);
	ck_assert_int_eq(p.kind, SEGMENT_QUARANTINE);
	ck_assert_str_eq(p.name, "bad-int32");
	path = segment_hdfs_path("/r", "h", 7, &k);
	ck_assert_str_eq(path, "/r/_invalid/bad-int32/dt=2026-11-27/hour=00/"
	    "h-0000000000000007.tsv.gz");
	free(path);

	/* Sealed: the row count travels in the name. */
	k = check_spool_key("A", 1, HOUR);
	segment_name(name, 9, &k, 1234567);
	ck_assert_str_eq(name, "0000000000000009.m.A.1.2026-11-26.06.r1234567"
	    ".gz");
	ck_assert_int_eq(segment_parse_name(name, &id, &p, &rows), 0);
	ck_assert_uint_eq(rows, 1234567);
	ck_assert_uint_eq(id, 9);
	segment_name(name, 9, &k, 0);
	ck_assert_str_eq(name, "0000000000000009.m.A.1.2026-11-26.06.r0.gz");

	/* partition: day: 'd', hour 00, and no hour= folder. */
	k = check_spool_key("Rare", 2, HOUR - 6);
	k.is_daily = true;
	segment_name(name, 3, &k, 5);
	ck_assert_str_eq(name, "0000000000000003.d.Rare.2.2026-11-26.00.r5.gz");
	ck_assert_int_eq(segment_parse_name(name, &id, &p, &rows), 0);
	ck_assert(p.is_daily);
	ck_assert_int_eq(p.kind, SEGMENT_MESSAGE);
	ck_assert_int_eq(p.hour, HOUR - 6);
	ck_assert_int_eq(segment_last_hour(&p), HOUR - 6 + 23);
	path = segment_hdfs_path("/r", "h", 3, &k);
	ck_assert_str_eq(path, "/r/Rare/v2/dt=2026-11-26/"
	    "h-0000000000000003.tsv.gz");
	free(path);

	ck_assert_int_eq(segment_parse_name("x.gz", &id, &p, NULL), -1);
	ck_assert_int_eq(segment_parse_name("000000000000002a.m.A.1."
	    "2026-11-26.06.gz.tmp", &id, &p, NULL), -1);
	ck_assert_int_eq(segment_parse_name("000000000000002a.x.A.1."
	    "2026-11-26.06.gz", &id, &p, NULL), -1);
	ck_assert_int_eq(segment_parse_name("000000000000002a.m.A.1."
	    "2026-13-26.06.gz", &id, &p, NULL), -1);
	ck_assert_int_eq(segment_parse_name("000000000000002a.m.A.1."
	    "2026-11-26.06.r.gz", &id, &p, NULL), -1);
	ck_assert_int_eq(segment_parse_name("000000000000002a.m.A.1."
	    "2026-11-26.06.r-1.gz", &id, &p, NULL), -1);
	ck_assert_int_eq(segment_parse_name("000000000000002a.d.A.1."
	    "2026-11-26.06.gz", &id, &p, NULL), -1);
	/*
	 * The day as segment_name writes it, or not a name: a year "-999"
	 * was an hour past 2^45 that segment_name overflowed (UBSan).
	 */
	ck_assert_int_eq(segment_parse_name("000000000000002a.m.A.1."
	    "-999-11-26.06.gz", &id, &p, NULL), -1);
	ck_assert_int_eq(segment_parse_name("000000000000002a.m.A.1."
	    "2026-1-026.06.gz", &id, &p, NULL), -1);
}
END_TEST

START_TEST(test_segment_cut_back)
{
	const char	*dir = unit_tmpdir();
	struct segment_key k = check_spool_key("A", 1, HOUR);
	struct segment_codec codec = { NULL, gzip_new(6) };
	struct segment	*seg;
	struct error	 err;
	char		 path[4200], *text;
	uint64_t	 first;

	seg = segment_create(dir, 1, &k, &codec, NULL, &err);
	ck_assert_ptr_nonnull(seg);
	segment_append(seg, "r1\n", 3);
	segment_append(seg, "r2\n", 3);
	ck_assert(segment_is_dirty(seg));
	ck_assert_int_eq(segment_sync(seg, &err), 0);
	ck_assert(!segment_is_dirty(seg));
	first = segment_durable(seg);
	ck_assert_uint_gt(first, 20);
	segment_append(seg, "r3\n", 3);
	ck_assert_int_eq(segment_sync(seg, &err), 0);
	ck_assert_uint_gt(segment_durable(seg), first);
	ck_assert_uint_eq(segment_rows(seg), 3);
	snprintf(path, sizeof path, "%s/%s", dir, segment_file(seg));
	ck_assert_uint_eq(check_spool_size(path), segment_durable(seg));
	segment_free(seg);
	text = check_spool_gunzip(path);
	ck_assert_str_eq(text, "r1\nr2\nr3\n");
	free(text);

	/* After a crash the checkpoint said "first": cut back, append on. */
	seg = segment_reopen(dir, "0000000000000001.m.A.1.2026-11-26.06.gz",
	    first, 2, &codec, &err);
	ck_assert_ptr_nonnull(seg);
	ck_assert_uint_eq(segment_rows(seg), 2);
	ck_assert_uint_eq(check_spool_size(path), first);
	segment_append(seg, "r4\n", 3);
	ck_assert_uint_eq(segment_durable_rows(seg), 2);
	ck_assert_int_eq(segment_sync(seg, &err), 0);
	ck_assert_uint_eq(segment_durable_rows(seg), 3);
	segment_free(seg);
	text = check_spool_gunzip(path);
	ck_assert_str_eq(text, "r1\nr2\nr4\n");
	free(text);

	/* A file shorter than its durable length is refused, not trusted. */
	ck_assert_ptr_null(segment_reopen(dir,
	    "0000000000000001.m.A.1.2026-11-26.06.gz", 1 << 20, 0, &codec,
	    &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "shorter than its durable "
	    "length 1048576"));
	gzip_free(codec.gz);
}
END_TEST

START_TEST(test_checkpoint_format)
{
	const char	*dir = unit_tmpdir();
	struct checkpoint cp, back;
	struct checkpoint_input in = { "/var/log/my syslog", 2049, 1234,
	    0xdeadbeefULL, 256, 98765 };
	struct buf	 b;
	struct error	 err;
	char		 path[4200];

	checkpoint_init(&cp);
	cp.next_id = 0x2b;
	checkpoint_add_input(&cp, &in);
	checkpoint_add_segment(&cp, "000000000000002a.m.A.1.2026-11-26.06.gz",
	    4711, 12);
	buf_init(&b);
	checkpoint_encode(&cp, &b);
	ck_assert_str_eq(b.data, "barge-checkpoint 1\nnext-id 2b\n"
	    "input 2049 1234 deadbeef 256 98765 /var/log/my syslog\n"
	    "segment 4711 000000000000002a.m.A.1.2026-11-26.06.gz 12\n"
	    "crc 55966d57\n");

	snprintf(path, sizeof path, "%s/checkpoint", dir);
	ck_assert_int_eq(checkpoint_write(&cp, path, &err), 0);
	ck_assert_int_eq(checkpoint_read(&back, path, &err), 0);
	ck_assert_uint_eq(back.next_id, 0x2b);
	ck_assert_uint_eq(back.ninputs, 1);
	ck_assert_str_eq(back.inputs[0].path, "/var/log/my syslog");
	ck_assert_uint_eq(back.inputs[0].dev, 2049);
	ck_assert_uint_eq(back.inputs[0].ino, 1234);
	ck_assert_uint_eq(back.inputs[0].fp_hash, 0xdeadbeefULL);
	ck_assert_uint_eq(back.inputs[0].fp_len, 256);
	ck_assert_uint_eq(back.inputs[0].offset, 98765);
	ck_assert_ptr_eq(checkpoint_find_input(&back, "/var/log/my syslog"),
	    &back.inputs[0]);
	ck_assert_uint_eq(back.nsegments, 1);
	ck_assert_uint_eq(back.segments[0].length, 4711);
	ck_assert_uint_eq(back.segments[0].rows, 12);
	checkpoint_clear(&back);

	/* Written by a barged that did not count rows: unknown, not 0. */
	{
		static const char old[] = "barge-checkpoint 1\nnext-id 2b\n"
		    "segment 4711 000000000000002a.m.A.1.2026-11-26.06.gz\n"
		    "crc c71b0407\n";

		ck_assert_int_eq(checkpoint_decode(&back, old, sizeof old - 1,
		    &err), 0);
		ck_assert_uint_eq(back.nsegments, 1);
		ck_assert_uint_eq(back.segments[0].rows, SEGMENT_ROWS_UNKNOWN);
		checkpoint_clear(&back);
	}

	/* One changed byte: refused. */
	b.data[40] = '3';
	ck_assert_int_eq(checkpoint_decode(&back, b.data, b.len, &err), -1);
	ck_assert_str_eq(err.msg, "checksum mismatch (torn or edited file)");
	ck_assert_int_eq(checkpoint_decode(&back, "hello\n", 6, &err), -1);
	ck_assert_str_eq(err.msg, "not a barge checkpoint");

	/*
	 * An empty file (renamed into place before its bytes reached the
	 * disk): not a checkpoint.  fsio_read_file gives NULL and 0, which
	 * checkpoint_decode offset before it looked at the length (UBSan).
	 */
	snprintf(path, sizeof path, "%s/empty", dir);
	ck_assert_int_eq(fsio_write_file_atomic(path, "", 0, &err), 0);
	ck_assert_int_eq(checkpoint_read(&back, path, &err), -1);
	ck_assert_int_eq(err.code, ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "not a barge checkpoint"));
	ck_assert_int_eq(checkpoint_decode(&back, NULL, 0, &err), -1);

	/* No file yet: an empty checkpoint, not an error. */
	snprintf(path, sizeof path, "%s/none", dir);
	ck_assert_int_eq(checkpoint_read(&back, path, &err), 0);
	ck_assert_uint_eq(back.ninputs, 0);
	ck_assert_uint_eq(back.next_id, 0);
	buf_clear(&b);
	checkpoint_clear(&cp);
}
END_TEST

START_TEST(test_spool_recovery)
{
	const char	*dir = unit_tmpdir();
	struct segment_key a = check_spool_key("A", 1, HOUR);
	struct segment_key b = check_spool_key("B", 2, HOUR);
	struct segment_key c = check_spool_key("bad-bool", 0, HOUR);
	struct spool_durable d[8];
	struct spool	*sp;
	struct error	 err;
	const char	*name;
	char		 path[4200], *text;
	uint64_t	 next;
	size_t		 n;
	bool		 fresh;

	sp = spool_open(dir, 6, 0, NULL, 0, NULL, &err);
	ck_assert_ptr_nonnull(sp);
	ck_assert_int_eq(spool_append(sp, &a, "a1\n", 3, NULL, &err), 0);
	ck_assert_int_eq(spool_append(sp, &b, "b1\n", 3, NULL, &err), 0);
	ck_assert_int_eq(spool_sync(sp, &err), 0);
	ck_assert_uint_eq(spool_open_count(sp), 2);

	/* The checkpoint: both open, next id 2. */
	n = spool_open_segments(sp, d, 8);
	ck_assert_uint_eq(n, 2);
	next = spool_next_id(sp);
	ck_assert_uint_eq(next, 2);

	/* After it: more rows, a new segment, and A sealed. */
	ck_assert_int_eq(spool_append(sp, &a, "a2\n", 3, NULL, &err), 0);
	ck_assert_int_eq(spool_append(sp, &b, "b2\n", 3, NULL, &err), 0);
	ck_assert_int_eq(spool_append(sp, &c, "c1\n", 3, NULL, &err), 0);
	ck_assert_int_eq(spool_sync(sp, &err), 0);
	ck_assert_int_eq(spool_oldest_hour(sp), HOUR);
	ck_assert_int_eq(spool_seal(sp, 1 << 30, 3600000, HOUR - 1, false,
	    &err), 0);
	ck_assert_int_eq(spool_seal(sp, 1, 3600000, HOUR - 1, false, &err), 3);
	ck_assert_uint_eq(spool_sealed_count(sp), 3);
	ck_assert_uint_eq(spool_open_count(sp), 0);
	/* The crash: no new checkpoint was written. */
	spool_free(sp);

	sp = spool_open(dir, 6, next, d, n, NULL, &err);
	ck_assert_ptr_nonnull(sp);
	/* A and B were sealed after the checkpoint: cut back, still sealed;
	   the quarantine segment (id 2) was never checkpointed: gone. */
	ck_assert_uint_eq(spool_sealed_count(sp), 2);
	ck_assert_uint_eq(spool_open_count(sp), 0);
	snprintf(path, sizeof path, "%s/sealed/0000000000000000.m.A.1."
	    "2026-11-26.06.r1.gz", dir);
	text = check_spool_gunzip(path);
	ck_assert_str_eq(text, "a1\n");
	free(text);
	/* Renamed to the rows of its durable length: r2 is gone. */
	snprintf(path, sizeof path, "%s/sealed/0000000000000000.m.A.1."
	    "2026-11-26.06.r2.gz", dir);
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_int_eq(spool_oldest_hour(sp), HOUR);
	snprintf(path, sizeof path, "%s/sealed/0000000000000002.q.bad-bool.0."
	    "2026-11-26.06.gz", dir);
	ck_assert_int_eq(access(path, F_OK), -1);
	/* Found after a crash: perhaps uploaded before it, never fresh. */
	fresh = true;
	ck_assert_str_eq(spool_take_sealed(sp, &fresh),
	    "0000000000000000.m.A.1.2026-11-26.06.r1.gz");
	ck_assert(!fresh);
	ck_assert_str_eq(spool_take_sealed(sp, NULL),
	    "0000000000000001.m.B.2.2026-11-26.06.r1.gz");
	ck_assert_ptr_null(spool_take_sealed(sp, NULL));
	spool_requeue(sp, "0000000000000001.m.B.2.2026-11-26.06.r1.gz");
	ck_assert_str_eq(spool_take_sealed(sp, NULL),
	    "0000000000000001.m.B.2.2026-11-26.06.r1.gz");
	ck_assert_uint_gt(spool_bytes(sp), 0);
	ck_assert_uint_gt(spool_sealed_size(sp,
	    "0000000000000000.m.A.1.2026-11-26.06.r1.gz"), 20);
	ck_assert_int_eq(spool_done(sp,
	    "0000000000000000.m.A.1.2026-11-26.06.r1.gz", &err), 0);
	ck_assert_int_eq(spool_done(sp,
	    "0000000000000001.m.B.2.2026-11-26.06.r1.gz", &err), 0);
	ck_assert_uint_eq(spool_bytes(sp), 0);
	ck_assert_uint_eq(spool_sealed_count(sp), 0);
	ck_assert_int_eq(spool_oldest_hour(sp), INT64_MAX);
	/* New segments continue from the checkpoint's id. */
	ck_assert_int_eq(spool_append(sp, &a, "a3\n", 3, NULL, &err), 0);
	ck_assert_uint_eq(spool_next_id(sp), next + 1);
	/* Sealed by this process: fresh the first time it is handed out. */
	ck_assert_int_eq(spool_sync(sp, &err), 0);
	ck_assert_int_eq(spool_seal(sp, 0, 0, 0, true, &err), 1);
	fresh = false;
	ck_assert_ptr_nonnull(name = spool_take_sealed(sp, &fresh));
	ck_assert(fresh);
	spool_requeue(sp, name);
	ck_assert_str_eq(spool_take_sealed(sp, &fresh), name);
	ck_assert(!fresh);
	spool_free(sp);
}
END_TEST

START_TEST(test_spool_reopen_open)
{
	const char	*dir = unit_tmpdir();
	struct segment_key a = check_spool_key("A", 1, HOUR);
	struct spool_durable d[2];
	struct zpool	*zp = zpool_new(1, 1 << 20);	/* the threaded path */
	struct spool	*sp;
	struct error	 err;
	char		 path[4200], *text;
	size_t		 n;

	sp = spool_open(dir, 1, 5, NULL, 0, zp, &err);
	ck_assert_int_eq(spool_append(sp, &a, "x\n", 2, NULL, &err), 0);
	ck_assert_int_eq(spool_sync(sp, &err), 0);
	n = spool_open_segments(sp, d, 2);
	ck_assert_int_eq(spool_append(sp, &a, "y\n", 2, NULL, &err), 0);
	ck_assert_int_eq(spool_sync(sp, &err), 0);
	spool_free(sp);

	/* Still open after the crash: cut back and appended to again. */
	sp = spool_open(dir, 1, 6, d, n, zp, &err);
	ck_assert_uint_eq(spool_open_count(sp), 1);
	ck_assert_int_eq(spool_append(sp, &a, "z\n", 2, NULL, &err), 0);
	ck_assert_uint_eq(spool_next_id(sp), 6);
	ck_assert_int_eq(spool_sync(sp, &err), 0);
	ck_assert_int_eq(spool_seal(sp, 0, 0, 0, true, &err), 1);
	snprintf(path, sizeof path, "%s/sealed/0000000000000005.m.A.1."
	    "2026-11-26.06.r2.gz", dir);
	text = check_spool_gunzip(path);
	ck_assert_str_eq(text, "x\nz\n");
	free(text);
	spool_free(sp);
	zpool_free(zp);
}
END_TEST

/* A hold stays on its segment until a seal, then finds the new one. */
/*
 * Damage the disk did: an open segment shorter than its durable length,
 * one whose durable bytes are not gzip, one whose rows differ from the
 * checkpoint's count.  Recovery sets each aside in corrupt/ (the file
 * kept as it was) and goes on with the one intact segment.  Then the
 * checkpoint is lost: open segments are set aside, sealed ones kept, and
 * new ids start far above any used before.
 */
START_TEST(test_spool_set_aside)
{
	const char	*dir = unit_tmpdir();
	struct segment_key k[4] = { check_spool_key("A", 1, HOUR),
	    check_spool_key("B", 1, HOUR), check_spool_key("C", 1, HOUR),
	    check_spool_key("D", 1, HOUR) };
	static const char *const names[4] = {
	    "0000000000000000.m.A.1.2026-11-26.06.gz",
	    "0000000000000001.m.B.1.2026-11-26.06.gz",
	    "0000000000000002.m.C.1.2026-11-26.06.gz",
	    "0000000000000003.m.D.1.2026-11-26.06.gz" };
	struct spool_durable d[4];
	struct spool	*sp;
	struct error	 err;
	char		 path[4200];
	size_t		 n, i;
	uint64_t	 next;
	int		 fd;

	sp = spool_open(dir, 6, 0, NULL, 0, NULL, &err);
	ck_assert_ptr_nonnull(sp);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(spool_append(sp, &k[i], "row\n", 4, NULL,
		    &err), 0);
	ck_assert_int_eq(spool_sync(sp, &err), 0);
	n = spool_open_segments(sp, d, 4);
	ck_assert_uint_eq(n, 4);
	next = spool_next_id(sp);
	spool_free(sp);
	for (i = 0; i < n; i++)
		ck_assert_uint_eq(d[i].rows, 1);

	/* B cut short, C's first byte broken, D counted 2 rows. */
	snprintf(path, sizeof path, "%s/open/%s", dir, names[1]);
	ck_assert_int_eq(truncate(path, 5), 0);
	snprintf(path, sizeof path, "%s/open/%s", dir, names[2]);
	ck_assert_int_ge(fd = open(path, O_WRONLY), 0);
	ck_assert_int_eq(pwrite(fd, "X", 1, 0), 1);
	close(fd);
	for (i = 0; i < n; i++)
		if (strcmp(d[i].name, names[3]) == 0)
			d[i].rows = 2;

	sp = spool_open(dir, 6, next, d, n, NULL, &err);
	ck_assert_msg(sp != NULL, "%s", err.msg);
	ck_assert_uint_eq(spool_open_count(sp), 1);
	ck_assert_uint_eq(spool_corrupt_count(sp), 3);
	for (i = 1; i < 4; i++) {
		snprintf(path, sizeof path, "%s/corrupt/%s", dir, names[i]);
		ck_assert_msg(access(path, F_OK) == 0, "%s", path);
		snprintf(path, sizeof path, "%s/open/%s", dir, names[i]);
		ck_assert_int_eq(access(path, F_OK), -1);
	}
	snprintf(path, sizeof path, "%s/corrupt/%s", dir, names[1]);
	ck_assert_uint_eq(check_spool_size(path), 5);

	/* A sealed segment that does not read back is set aside by name. */
	ck_assert_int_eq(spool_seal(sp, 0, 0, 0, true, &err), 1);
	ck_assert_int_eq(spool_set_aside(sp, names[0], "test: damaged",
	    &err), -1);
	ck_assert_str_eq(err.msg, "spool: 0000000000000000.m.A.1.2026-11-26."
	    "06.gz: not sealed");
	ck_assert_ptr_nonnull(spool_take_sealed(sp, NULL));
	ck_assert_int_eq(spool_set_aside(sp,
	    "0000000000000000.m.A.1.2026-11-26.06.r1.gz", "test: damaged",
	    &err), 0);
	ck_assert_uint_eq(spool_sealed_count(sp), 0);
	ck_assert_uint_eq(spool_bytes(sp), 0);
	ck_assert_uint_eq(spool_corrupt_count(sp), 4);

	/* The checkpoint lost: an open and a sealed segment on disk. */
	ck_assert_int_eq(spool_append(sp, &k[1], "b\n", 2, NULL, &err), 0);
	ck_assert_int_eq(spool_append(sp, &k[2], "c\n", 2, NULL, &err), 0);
	ck_assert_int_eq(spool_sync(sp, &err), 0);
	ck_assert_int_eq(spool_seal(sp, 0, 0, 0, true, &err), 2);
	ck_assert_int_eq(spool_append(sp, &k[3], "d\n", 2, NULL, &err), 0);
	ck_assert_int_eq(spool_sync(sp, &err), 0);
	ck_assert_uint_eq(spool_next_id(sp), next + 3);
	spool_free(sp);
	sp = spool_open(dir, 6, SPOOL_ID_LOST, NULL, 0, NULL, &err);
	ck_assert_msg(sp != NULL, "%s", err.msg);
	ck_assert_uint_eq(spool_open_count(sp), 0);
	ck_assert_uint_eq(spool_sealed_count(sp), 2);
	ck_assert_uint_eq(spool_corrupt_count(sp), 1);
	snprintf(path, sizeof path, "%s/corrupt/%016" PRIx64 ".m.D.1."
	    "2026-11-26.06.gz", dir, next + 2);
	ck_assert_msg(access(path, F_OK) == 0, "%s", path);
	ck_assert_uint_ge(spool_next_id(sp),
	    (uint64_t)clock_wall_ms() * 1000 - 60000000);
	spool_free(sp);
}
END_TEST

/*
 * Two copies of one segment, which only a hand or a broken barged leaves:
 * a second open segment of a key the checkpoint names, and a sealed one
 * whose cut-back name another file has.  Each is set aside rather than
 * kept where the spool can keep one (the open one was leaked and never
 * sealed, and its file deleted at the next start; the sealed one
 * replaced the other file).
 */
START_TEST(test_spool_clash)
{
	const char	*dir = unit_tmpdir();
	struct segment_key a = check_spool_key("A", 1, HOUR);
	static const char r1[] = "0000000000000000.m.A.1.2026-11-26.06.r1.gz";
	static const char r2[] = "0000000000000000.m.A.1.2026-11-26.06.r2.gz";
	static const char copy[] = "0000000000000005.m.A.1.2026-11-26.06.gz";
	struct spool_durable d[2];
	struct spool	*sp;
	struct error	 err;
	struct buf	 b;
	char		 path[4200];
	uint64_t	 next;

	sp = spool_open(dir, 6, 0, NULL, 0, NULL, &err);
	ck_assert_int_eq(spool_append(sp, &a, "a1\n", 3, NULL, &err), 0);
	ck_assert_int_eq(spool_sync(sp, &err), 0);
	ck_assert_uint_eq(spool_open_segments(sp, d, 2), 1);
	next = spool_next_id(sp);
	spool_free(sp);

	/* The open segment twice, both in the checkpoint. */
	buf_init(&b);
	snprintf(path, sizeof path, "%s/open/%s", dir, d[0].name);
	ck_assert_int_eq(fsio_read_file(path, &b, &err), 0);
	snprintf(path, sizeof path, "%s/open/%s", dir, copy);
	ck_assert_int_eq(fsio_write_file_atomic(path, b.data, b.len, &err), 0);
	d[1] = d[0];
	snprintf(d[1].name, sizeof d[1].name, "%s", copy);
	sp = spool_open(dir, 6, 6, d, 2, NULL, &err);
	ck_assert_msg(sp != NULL, "%s", err.msg);
	ck_assert_uint_eq(spool_open_count(sp), 1);
	ck_assert_uint_eq(spool_corrupt_count(sp), 1);
	ck_assert_uint_eq(spool_bytes(sp), d[0].length);
	snprintf(path, sizeof path, "%s/corrupt/%s", dir, copy);
	ck_assert_int_eq(access(path, F_OK), 0);

	/* Sealed after the checkpoint, and a copy cut back beside it. */
	ck_assert_int_eq(spool_append(sp, &a, "a2\n", 3, NULL, &err), 0);
	ck_assert_int_eq(spool_sync(sp, &err), 0);
	ck_assert_int_eq(spool_seal(sp, 0, 0, 0, true, &err), 1);
	spool_free(sp);
	snprintf(path, sizeof path, "%s/sealed/%s", dir, r1);
	ck_assert_int_eq(fsio_write_file_atomic(path, b.data, b.len, &err), 0);
	sp = spool_open(dir, 6, next, d, 1, NULL, &err);
	ck_assert_msg(sp != NULL, "%s", err.msg);
	ck_assert_uint_eq(spool_sealed_count(sp), 1);
	ck_assert_uint_eq(spool_corrupt_count(sp), 1);
	ck_assert_str_eq(spool_take_sealed(sp, NULL), r1);
	ck_assert_ptr_null(spool_take_sealed(sp, NULL));
	snprintf(path, sizeof path, "%s/corrupt/%s", dir, r2);
	ck_assert_uint_gt(check_spool_size(path), b.len);
	spool_free(sp);
	buf_clear(&b);
}
END_TEST

START_TEST(test_spool_ref)
{
	const char	*dir = unit_tmpdir();
	struct segment_key a = check_spool_key("A", 1, HOUR);
	struct segment_key b = check_spool_key("B", 1, HOUR);
	struct spool_ref ra, rb;
	struct spool	*sp;
	struct error	 err;
	char		 path[4200], *text;

	memset(&ra, 0, sizeof ra);
	memset(&rb, 0, sizeof rb);
	sp = spool_open(dir, 6, 0, NULL, 0, NULL, &err);
	ck_assert_int_eq(spool_append_ref(sp, &ra, &a, "a1\n", 3,
	    NULL, &err), 0);
	ck_assert_int_eq(spool_append_ref(sp, &rb, &b, "b1\n", 3,
	    NULL, &err), 0);
	/* Plain appends and held ones reach the same segment. */
	ck_assert_int_eq(spool_append(sp, &a, "a2\n", 3, NULL, &err), 0);
	ck_assert_int_eq(spool_append_ref(sp, &ra, &a, "a3\n", 3,
	    NULL, &err), 0);
	ck_assert_uint_eq(spool_open_count(sp), 2);
	ck_assert_int_eq(spool_sync(sp, &err), 0);
	ck_assert_int_eq(spool_seal(sp, 0, 0, 0, true, &err), 2);
	/* Both holds are stale now: new segments 2 and 3. */
	ck_assert_int_eq(spool_append_ref(sp, &rb, &b, "b2\n", 3,
	    NULL, &err), 0);
	ck_assert_int_eq(spool_append_ref(sp, &ra, &a, "a4\n", 3,
	    NULL, &err), 0);
	ck_assert_uint_eq(spool_next_id(sp), 4);
	ck_assert_int_eq(spool_sync(sp, &err), 0);
	ck_assert_int_eq(spool_seal(sp, 0, 0, 0, true, &err), 2);
	snprintf(path, sizeof path, "%s/sealed/0000000000000000.m.A.1."
	    "2026-11-26.06.r3.gz", dir);
	text = check_spool_gunzip(path);
	ck_assert_str_eq(text, "a1\na2\na3\n");
	free(text);
	snprintf(path, sizeof path, "%s/sealed/0000000000000003.m.A.1."
	    "2026-11-26.06.r1.gz", dir);
	text = check_spool_gunzip(path);
	ck_assert_str_eq(text, "a4\n");
	free(text);
	snprintf(path, sizeof path, "%s/sealed/0000000000000002.m.B.1."
	    "2026-11-26.06.r1.gz", dir);
	text = check_spool_gunzip(path);
	ck_assert_str_eq(text, "b2\n");
	free(text);
	spool_free(sp);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite	*s = suite_create("spool");
	TCase	*tc = tcase_create("spool");

	tcase_add_test(tc, test_gzip_members);
	tcase_add_test(tc, test_gzip_levels);
	tcase_add_test(tc, test_segment_names);
	tcase_add_test(tc, test_segment_cut_back);
	tcase_add_test(tc, test_checkpoint_format);
	tcase_add_test(tc, test_spool_recovery);
	tcase_add_test(tc, test_spool_reopen_open);
	tcase_add_test(tc, test_spool_set_aside);
	tcase_add_test(tc, test_spool_clash);
	tcase_add_test(tc, test_spool_ref);
	suite_add_tcase(s, tc);
	return s;
}
