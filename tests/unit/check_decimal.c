/*
 * core/decimal: the integer bounds at both ends of int32 and int64, and
 * doubles judged exactly as strtod judges them, on fixed edge cases and
 * on every string of a small alphabet up to five characters long.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"

#include "unit.h"

START_TEST(test_decimal_int_bounds)
{
	static const struct {
		const char	*text;
		bool		 is_int64;
		int		 rc;
		int64_t		 v;
	} cases[] = {
		{ "0", false, 0, 0 },
		{ "-0", false, 0, 0 },
		{ "000", false, 0, 0 },
		{ "007", false, 0, 7 },
		{ "-007", false, 0, -7 },
		{ "2147483647", false, 0, INT32_MAX },
		{ "2147483648", false, -1, 0 },
		{ "-2147483648", false, 0, INT32_MIN },
		{ "-2147483649", false, -1, 0 },
		{ "00000000000000000002147483647", false, 0, INT32_MAX },
		{ "9223372036854775807", true, 0, INT64_MAX },
		{ "9223372036854775808", true, -1, 0 },
		{ "-9223372036854775808", true, 0, INT64_MIN },
		{ "-9223372036854775809", true, -1, 0 },
		{ "9999999999999999999", true, -1, 0 },
		{ "18446744073709551616", true, -1, 0 },
		{ "99999999999999999999", true, -1, 0 },
		{ "0000000000000000000000009223372036854775807", true, 0,
		    INT64_MAX },
		{ "", true, -1, 0 },
		{ "-", true, -1, 0 },
		{ "+1", true, -1, 0 },
		{ " 1", true, -1, 0 },
		{ "1 ", true, -1, 0 },
		{ "1x", true, -1, 0 },
		{ "--1", true, -1, 0 },
		{ "1.0", true, -1, 0 },
	};
	size_t	 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t	 v = 42;
		int	 rc = cases[i].is_int64 ?
		    decimal_int(cases[i].text, strlen(cases[i].text),
		    INT64_MIN, INT64_MAX, &v) :
		    decimal_int(cases[i].text, strlen(cases[i].text),
		    INT32_MIN, INT32_MAX, &v);

		ck_assert_msg(rc == cases[i].rc, "%s: rc %d", cases[i].text,
		    rc);
		if (rc == 0)
			ck_assert_msg(v == cases[i].v, "%s: %lld",
			    cases[i].text, (long long)v);
		else
			ck_assert_msg(v == 42, "%s: *out written",
			    cases[i].text);
	}
}
END_TEST

START_TEST(test_decimal_double_cases)
{
	static const struct {
		const char	*text;
		bool		 ok;
	} cases[] = {
		{ "0", true }, { "-0", true }, { "+0", true }, { "1.5", true },
		{ "1.", true }, { ".5", true }, { "-.5", true },
		{ "00012.50", true }, { "1e5", true }, { "1E+5", true },
		{ "2.5e-3", true }, { "1e308", true }, { "9.9e307", true },
		{ "1.7976931348623157e308", true },
		{ "1.7976931348623159e308", false },	/* rounds past DBL_MAX */
		{ "1e309", false }, { "10e308", false }, { "1e999", false },
		{ "0.001e310", true }, { "00000001e308", true },
		{ "1e-400", true },	/* underflows to 0: finite */
		{ "1e-99999", true }, { "1e00308", true }, { "1e00309", false },
		{ "0x1p3", true },	/* strtod reads hex */
		{ "0x", false }, { "NaN", false }, { "nan", false },
		{ "inf", false }, { "-Infinity", false }, { "", false },
		{ ".", false }, { "-", false }, { "+", false }, { "e5", false },
		{ "1e", false }, { "1e+", false }, { "1.5.", false },
		{ " 1", false }, { "\t1", false }, { "1 ", false },
		{ "\n1", true },	/* strtod skips the other blanks */
		{ "1,5", false }, { "--1", false }, { "1x", false },
	};
	size_t	 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ck_assert_msg(decimal_is_double(cases[i].text,
		    strlen(cases[i].text)) == cases[i].ok, "\"%s\"",
		    cases[i].text);
}
END_TEST

START_TEST(test_decimal_double_length)
{
	char	 s[200];

	memset(s, '1', sizeof s);
	ck_assert(decimal_is_double(s, 127));
	ck_assert(!decimal_is_double(s, 128));
	s[0] = '.';
	ck_assert(decimal_is_double(s, 127));
	/* 121 integer digits: 1.1e308 is finite, 1.1e309 is not. */
	s[0] = '1';
	memcpy(s + 120, "1e187", 5);
	ck_assert(decimal_is_double(s, 125));
	memcpy(s + 120, "1e188", 5);
	ck_assert(decimal_is_double(s, 125));
	memcpy(s + 120, "1e189", 5);
	ck_assert(!decimal_is_double(s, 125));
	/* Not NUL-terminated: only len bytes are read. */
	ck_assert(decimal_is_double("12x", 2));
}
END_TEST

/* The rule as strtod states it, for the exhaustive comparison. */
static bool
check_decimal_strtod(const char *s, size_t len)
{
	char	*end;
	double	 d;

	if (len == 0 || len >= 128 || s[0] == ' ' || s[0] == '\t')
		return false;
	d = strtod(s, &end);
	return *end == '\0' && isfinite(d);
}

START_TEST(test_decimal_double_as_strtod)
{
	static const char alphabet[] = "019+-.eE x";
	const size_t	 k = sizeof alphabet - 1;
	char		 s[8];
	size_t		 len, n, i, total, checked = 0, valid = 0;

	for (len = 1; len <= 5; len++) {
		for (total = 1, i = 0; i < len; i++)
			total *= k;
		for (n = 0; n < total; n++) {
			size_t	 c = n;
			bool	 want;

			for (i = 0; i < len; i++, c /= k)
				s[i] = alphabet[c % k];
			s[len] = '\0';
			want = check_decimal_strtod(s, len);
			ck_assert_msg(decimal_is_double(s, len) == want,
			    "\"%s\": strtod says %d", s, want);
			checked++;
			valid += want;
		}
	}
	ck_assert_uint_eq(checked, 111110);
	ck_assert_uint_gt(valid, 1000);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite	*s = suite_create("decimal");
	TCase	*tc = tcase_create("decimal");

	tcase_add_test(tc, test_decimal_int_bounds);
	tcase_add_test(tc, test_decimal_double_cases);
	tcase_add_test(tc, test_decimal_double_length);
	tcase_add_test(tc, test_decimal_double_as_strtod);
	suite_add_tcase(s, tc);
	return s;
}
