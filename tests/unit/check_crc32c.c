/*
 * hdfs/crc32c: every path of both checksums (CRC32C: table and SSE4.2;
 * CRC32: table and libdeflate's carry-less multiply) on the same known
 * vectors, agreeing on random buffers at every alignment, incremental
 * use.  The fast paths run whenever the CPU has them, the tables always.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hdfs/crc32c.h"

#include "unit.h"

typedef uint32_t (*crc_fn)(uint32_t, const void *, size_t);

struct crc_path {
	const char	*name;
	crc_fn		 fn;
	bool		 ieee;		/* CRC32, else CRC32C */
};

static struct crc_path	paths[6];
static size_t		npaths;

static void
check_crc32c_paths(void)
{
	npaths = 0;
	paths[npaths++] = (struct crc_path){ "crc32c", crc32c, false };
	paths[npaths++] = (struct crc_path){ "crc32c_table", crc32c_table,
	    false };
	if (crc32c_have_sse42())
		paths[npaths++] = (struct crc_path){ "crc32c_sse42",
		    crc32c_sse42, false };
	paths[npaths++] = (struct crc_path){ "crc32c_ieee", crc32c_ieee,
	    true };
	paths[npaths++] = (struct crc_path){ "crc32c_ieee_table",
	    crc32c_ieee_table, true };
	paths[npaths++] = (struct crc_path){ "crc32c_ieee_clmul",
	    crc32c_ieee_clmul, true };
}

/* RFC 3720 B.4 for CRC32C, and the same inputs through CRC32. */
START_TEST(test_vectors)
{
	static const struct {
		int		 fill;	/* -1 "123456789", -2 up, -3 down */
		size_t		 len;
		uint32_t	 c, ieee;
	} v[] = {
		{ -1, 9, 0xe3069283, 0xcbf43926 },
		{ 0, 0, 0, 0 },
		{ 0, 32, 0x8a9136aa, 0x190a55ad },
		{ 0xff, 32, 0x62a8ab43, 0xff6cab0b },
		{ -2, 32, 0x46dd794e, 0x91267e8a },
		{ -3, 32, 0x113fdb5c, 0x9ab0ef72 },
		{ -4, 70001, 0x21d851cd, 0x5c5c297a },
	};
	uint8_t		*buf = malloc(70001);
	size_t		 i, j, k;

	ck_assert_ptr_nonnull(buf);
	check_crc32c_paths();
	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		for (k = 0; k < v[i].len; k++)
			buf[k] = v[i].fill >= 0 ? (uint8_t)v[i].fill :
			    v[i].fill == -1 ? (uint8_t)"123456789"[k] :
			    v[i].fill == -2 ? (uint8_t)k :
			    v[i].fill == -3 ? (uint8_t)(31 - k) :
			    (uint8_t)(k * 7 + 3);
		for (j = 0; j < npaths; j++)
			ck_assert_msg(paths[j].fn(0, buf, v[i].len) ==
			    (paths[j].ieee ? v[i].ieee : v[i].c),
			    "%s: vector %zu: %08x", paths[j].name, i,
			    paths[j].fn(0, buf, v[i].len));
	}
	free(buf);
}
END_TEST

START_TEST(test_paths_agree)
{
	uint8_t		*buf = malloc(70000);
	unsigned	 seed = 12345;
	size_t		 off, len, i, j;
	uint32_t	 want[2], got;

	ck_assert_ptr_nonnull(buf);
	check_crc32c_paths();
	for (i = 0; i < 70000; i++)
		buf[i] = (uint8_t)rand_r(&seed);
	for (i = 0; i < 2000; i++) {
		off = (size_t)rand_r(&seed) % 64;
		len = i < 100 ? i : (size_t)rand_r(&seed) % (70000 - 64);
		want[0] = crc32c_table(0, buf + off, len);
		want[1] = crc32c_ieee_table(0, buf + off, len);
		for (j = 0; j < npaths; j++) {
			got = paths[j].fn(0, buf + off, len);
			ck_assert_msg(got == want[paths[j].ieee],
			    "%s: %zu bytes at offset %zu", paths[j].name, len,
			    off);
		}
	}
	/* Running value: two halves give the whole, on every path. */
	for (j = 0; j < npaths; j++) {
		want[0] = paths[j].fn(0, buf, 65536);
		got = paths[j].fn(paths[j].fn(0, buf, 1000), buf + 1000,
		    65536 - 1000);
		ck_assert_uint_eq(got, want[0]);
		got = paths[j].fn(paths[j].fn(0, buf, 7), buf + 7, 65536 - 7);
		ck_assert_uint_eq(got, want[0]);
	}
	free(buf);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite	*s = suite_create("crc32c");
	TCase	*tc = tcase_create("crc32c");

	tcase_add_test(tc, test_vectors);
	tcase_add_test(tc, test_paths_agree);
	suite_add_tcase(s, tc);
	return s;
}
