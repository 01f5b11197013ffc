/*
 * hdfs/crc32c: known vectors for CRC32C and CRC32, the table and SSE4.2
 * paths agreeing on random buffers at every alignment, incremental use.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hdfs/crc32c.h"

#include "unit.h"

START_TEST(test_crc32c_vectors)
{
	uint8_t	 buf[32];
	int	 i;

	ck_assert_uint_eq(crc32c(0, "123456789", 9), 0xe3069283);
	ck_assert_uint_eq(crc32c_table(0, "123456789", 9), 0xe3069283);
	ck_assert_uint_eq(crc32c(0, "", 0), 0);
	memset(buf, 0, sizeof buf);
	ck_assert_uint_eq(crc32c(0, buf, 32), 0x8a9136aa);
	ck_assert_uint_eq(crc32c_table(0, buf, 32), 0x8a9136aa);
	memset(buf, 0xff, sizeof buf);
	ck_assert_uint_eq(crc32c(0, buf, 32), 0x62a8ab43);
	for (i = 0; i < 32; i++)
		buf[i] = (uint8_t)i;
	ck_assert_uint_eq(crc32c(0, buf, 32), 0x46dd794e);
	for (i = 0; i < 32; i++)
		buf[i] = (uint8_t)(31 - i);
	ck_assert_uint_eq(crc32c_table(0, buf, 32), 0x113fdb5c);
}
END_TEST

START_TEST(test_crc32_vectors)
{
	ck_assert_uint_eq(crc32c_ieee(0, "123456789", 9), 0xcbf43926);
	ck_assert_uint_eq(crc32c_ieee(0, "", 0), 0);
}
END_TEST

START_TEST(test_paths_agree)
{
	uint8_t		*buf = malloc(70000);
	unsigned	 seed = 12345;
	size_t		 off, len, i;
	uint32_t	 a, b;

	ck_assert_ptr_nonnull(buf);
	for (i = 0; i < 70000; i++)
		buf[i] = (uint8_t)rand_r(&seed);
	for (i = 0; i < 2000; i++) {
		off = (size_t)rand_r(&seed) % 64;
		len = i < 100 ? i : (size_t)rand_r(&seed) % (70000 - 64);
		a = crc32c_table(0, buf + off, len);
		b = crc32c(0, buf + off, len);
		ck_assert_uint_eq(a, b);
		if (crc32c_have_sse42())
			ck_assert_uint_eq(crc32c_sse42(0, buf + off, len), a);
	}
	/* Running value: two halves give the whole. */
	a = crc32c(0, buf, 65536);
	b = crc32c(crc32c(0, buf, 1000), buf + 1000, 65536 - 1000);
	ck_assert_uint_eq(a, b);
	b = crc32c_table(crc32c_table(0, buf, 7), buf + 7, 65536 - 7);
	ck_assert_uint_eq(a, b);
	a = crc32c_ieee(0, buf, 65536);
	b = crc32c_ieee(crc32c_ieee(0, buf, 513), buf + 513, 65536 - 513);
	ck_assert_uint_eq(a, b);
	free(buf);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite	*s = suite_create("crc32c");
	TCase	*tc = tcase_create("crc32c");

	tcase_add_test(tc, test_crc32c_vectors);
	tcase_add_test(tc, test_crc32_vectors);
	tcase_add_test(tc, test_paths_agree);
	suite_add_tcase(s, tc);
	return s;
}
