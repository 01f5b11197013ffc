/*
 * base/: hash map, buffer, civil time, RFC 3339, diagnostics, atomic
 * file replacement, error prefixing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/fmt.h"
#include "base/fsio.h"
#include "base/hmap.h"
#include "base/scan.h"

#include "unit.h"

START_TEST(test_hmap_put_get_del)
{
	struct hmap	*m = hmap_new();
	char		 key[32];
	int		 vals[1000], i;
	size_t		 pos = 0, n = 0;

	for (i = 0; i < 1000; i++) {
		vals[i] = i;
		snprintf(key, sizeof key, "k%d", i);
		ck_assert_ptr_null(hmap_put(m, key, strlen(key), &vals[i]));
	}
	ck_assert_uint_eq(hmap_count(m), 1000);
	for (i = 0; i < 1000; i += 2) {
		snprintf(key, sizeof key, "k%d", i);
		ck_assert_ptr_eq(hmap_del(m, key, strlen(key)), &vals[i]);
	}
	for (i = 0; i < 1000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		if (i % 2 == 0)
			ck_assert_ptr_null(hmap_get(m, key, strlen(key)));
		else
			ck_assert_ptr_eq(hmap_get(m, key, strlen(key)),
			    &vals[i]);
	}
	while (hmap_next(m, &pos, NULL, NULL, NULL))
		n++;
	ck_assert_uint_eq(n, 500);
	ck_assert_ptr_eq(hmap_put(m, "k1", 2, &vals[0]), &vals[1]);
	ck_assert_ptr_eq(hmap_get(m, "k1", 2), &vals[0]);
	ck_assert_ptr_null(hmap_get(m, "k", 1));
	hmap_free(m);
}
END_TEST

START_TEST(test_buf_grow_consume)
{
	struct buf	 b;
	int		 i;

	buf_init(&b);
	for (i = 0; i < 1000; i++)
		buf_printf(&b, "%03d", i);
	ck_assert_uint_eq(b.len, 3000);
	ck_assert_int_eq(memcmp(b.data + 2997, "999", 3), 0);
	buf_consume(&b, 2997);
	ck_assert_str_eq(b.data, "999");
	buf_reset(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(b.data, "");
	buf_clear(&b);
}
END_TEST

START_TEST(test_clock_civil)
{
	int64_t		 y;
	unsigned	 m, d;
	char		 day[11], hour[3];

	ck_assert_int_eq(clock_days_from_civil(1970, 1, 1), 0);
	ck_assert_int_eq(clock_days_from_civil(2000, 3, 1), 11017);
	ck_assert_int_eq(clock_days_from_civil(1969, 12, 31), -1);
	clock_civil_from_days(20783, &y, &m, &d);
	ck_assert_int_eq(y, 2026);
	ck_assert_uint_eq(m, 11);
	ck_assert_uint_eq(d, 26);
	clock_utc_day_hour(1795673521123LL, day, hour);
	ck_assert_str_eq(day, "2026-11-26");
	ck_assert_str_eq(hour, "06");
}
END_TEST

START_TEST(test_clock_rfc3339)
{
	int64_t	 ms;
	const char *s;

	s = "2026-11-26T06:12:01.123456+01:00 rest";
	ck_assert_uint_eq(clock_parse_rfc3339(s, strlen(s), &ms), 32);
	ck_assert_int_eq(ms, 1795673521123LL - 3600000);
	s = "2026-11-26T06:12:01Z";
	ck_assert_uint_eq(clock_parse_rfc3339(s, strlen(s), &ms), 20);
	ck_assert_int_eq(ms, 1795673521000LL);
	s = "2026-11-26t06:12:01.5z";
	ck_assert_uint_eq(clock_parse_rfc3339(s, strlen(s), &ms), 22);
	ck_assert_int_eq(ms, 1795673521500LL);
	s = "2026-02-29T00:00:00Z";	/* not a leap year */
	ck_assert_uint_eq(clock_parse_rfc3339(s, strlen(s), &ms), 0);
	s = "2026-11-26T06:12:01";	/* no zone */
	ck_assert_uint_eq(clock_parse_rfc3339(s, strlen(s), &ms), 0);
	s = "2026-11-26T24:00:00Z";
	ck_assert_uint_eq(clock_parse_rfc3339(s, strlen(s), &ms), 0);
}
END_TEST

START_TEST(test_diag_format)
{
	struct diag	*d = diag_new();

	diag_add(d, "a.yaml", 3, 7, "unknown key '%s'", "nmae");
	diag_add(d, "b.yaml", 0, 0, "empty");
	ck_assert_uint_eq(diag_count(d), 2);
	ck_assert_str_eq(diag_get(d, 0), "a.yaml:3:7: unknown key 'nmae'");
	ck_assert_str_eq(diag_get(d, 1), "b.yaml: empty");
	ck_assert_ptr_null(diag_get(d, 2));
	diag_free(d);
}
END_TEST

START_TEST(test_fsio_atomic)
{
	const char	*dir = unit_tmpdir();
	char		 path[4200];
	struct buf	 b;
	struct error	 err;

	snprintf(path, sizeof path, "%s/x/y/state", dir);
	ck_assert_int_eq(fsio_mkdir_p(path, 0755, &err), 0);
	snprintf(path, sizeof path, "%s/x/y/state/cp", dir);
	ck_assert_int_eq(fsio_write_file_atomic(path, "one", 3, &err), 0);
	ck_assert_int_eq(fsio_write_file_atomic(path, "two!", 4, &err), 0);
	buf_init(&b);
	ck_assert_int_eq(fsio_read_file(path, &b, &err), 0);
	ck_assert_str_eq(b.data, "two!");
	buf_clear(&b);
	snprintf(path, sizeof path, "%s/missing", dir);
	ck_assert_int_eq(fsio_read_file(path, &b, &err), -1);
	ck_assert_int_eq(err.code, ERR_NOTFOUND);
	buf_clear(&b);
}
END_TEST

START_TEST(test_error_prefix)
{
	struct error	 err;

	ck_assert_int_eq(error_set(&err, ERR_PROTO, "bad varint at %d", 4),
	    -1);
	error_prefix(&err, "rpc: call %u", 7u);
	ck_assert_str_eq(err.msg, "rpc: call 7: bad varint at 4");
	ck_assert_int_eq(err.code, ERR_PROTO);
	error_remote(&err, "java.io.FileNotFoundException", "gone");
	ck_assert_str_eq(err.remote, "java.io.FileNotFoundException");
}
END_TEST

START_TEST(test_fmt_numbers)
{
	static const struct {
		int64_t		 v;
		const char	*text;
	} ints[] = {
		{ 0, "0" }, { 7, "7" }, { -7, "-7" }, { 10, "10" },
		{ 99, "99" }, { 100, "100" }, { -1000, "-1000" },
		{ 2147483647, "2147483647" }, { -2147483648LL, "-2147483648" },
		{ INT64_MAX, "9223372036854775807" },
		{ INT64_MIN, "-9223372036854775808" },
	};
	char	 out[FMT_INT_MAX], small[5];
	size_t	 i;

	for (i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		ck_assert_uint_eq(fmt_i64(out, ints[i].v),
		    strlen(ints[i].text));
		ck_assert_str_eq(out, ints[i].text);
	}
	ck_assert_uint_eq(fmt_u64(out, UINT64_MAX), 20);
	ck_assert_str_eq(out, "18446744073709551615");
	ck_assert_uint_eq(fmt_u64(out, 0), 1);
	ck_assert_str_eq(out, "0");
	ck_assert_uint_eq(fmt_u64(out, 4294967295U), 10);
	ck_assert_str_eq(out, "4294967295");
	/* Cut like snprintf's "%s". */
	ck_assert_uint_eq(fmt_str(small, sizeof small, "abcdefg"), 4);
	ck_assert_str_eq(small, "abcd");
	ck_assert_uint_eq(fmt_str(small, sizeof small, "ab"), 2);
	ck_assert_str_eq(small, "ab");
	ck_assert_uint_eq(fmt_str(small, sizeof small, ""), 0);
	ck_assert_str_eq(small, "");
}
END_TEST

START_TEST(test_scan_find)
{
	char	 buf[64];
	size_t	 len, at;
	int	 which;
	const char set[] = { '\t', '#', '\\', '\n' };
	static const struct scan_set four = SCAN_SET4('\t', '#', '\\', '\n');
	static const struct scan_set three = SCAN_SET3('\t', '#', '\\');

	memset(buf, 'a', sizeof buf);
	/* Every length and every position, in and out of the 16-byte steps. */
	for (len = 0; len <= sizeof buf; len++) {
		/* Bytes near the set and with the high bit never match. */
		for (at = 0; at < len; at++)
			buf[at] = (char)(at % 2 ? 0x80 + at : 'a' + at % 26);
		ck_assert_ptr_eq(scan_find(&four, buf, buf + len), buf + len);
		for (at = 0; at < len; at++) {
			for (which = 0; which < 4; which++) {
				char	 keep = buf[at];

				buf[at] = set[which];
				ck_assert_ptr_eq(scan_find(&four, buf,
				    buf + len), buf + at);
				/* The first of two is found. */
				if (at + 1 < len) {
					char	 next = buf[at + 1];

					buf[at + 1] = set[3 - which];
					ck_assert_ptr_eq(scan_find(&four,
					    buf, buf + len), buf + at);
					buf[at + 1] = next;
				}
				/* Not past end. */
				ck_assert_ptr_eq(scan_find(&four, buf,
				    buf + at), buf + at);
				/* The LF is not one of three. */
				ck_assert_ptr_eq(scan_find(&three, buf,
				    buf + len), which == 3 ? buf + len :
				    buf + at);
				buf[at] = keep;
			}
		}
	}
}
END_TEST

Suite *
unit_suite(void)
{
	Suite	*s = suite_create("base");
	TCase	*tc = tcase_create("base");

	tcase_add_test(tc, test_hmap_put_get_del);
	tcase_add_test(tc, test_buf_grow_consume);
	tcase_add_test(tc, test_clock_civil);
	tcase_add_test(tc, test_clock_rfc3339);
	tcase_add_test(tc, test_diag_format);
	tcase_add_test(tc, test_fsio_atomic);
	tcase_add_test(tc, test_error_prefix);
	tcase_add_test(tc, test_fmt_numbers);
	tcase_add_test(tc, test_scan_find);
	suite_add_tcase(s, tc);
	return s;
}
