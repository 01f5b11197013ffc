/*
 * core/payload and core/row: every type's accepted and canonical forms,
 * every escape, both separators, each invalid reason, and the exact row
 * bytes Hive reads back.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "core/payload.h"
#include "core/row.h"
#include "core/schema.h"

#include "unit.h"

static struct schema *schema;
static struct payload payload;

static void
check_payload_setup(void)
{
	struct diag	*d = diag_new();

	schema = schema_load(unit_data("messages/good"), d);
	diag_print(d, stderr, "setup: ");
	ck_assert_ptr_nonnull(schema);
	diag_free(d);
	payload_init(&payload);
}

static void
check_payload_teardown(void)
{
	payload_clear(&payload);
	schema_free(schema);
}

/* Matches msg; returns the row (static) or "INVALID reason field". */
static const char *
check_payload_row(const char *msg)
{
	static struct buf out;

	buf_reset(&out);
	switch (payload_match(&payload, schema, msg, strlen(msg))) {
	case PAYLOAD_SKIP:
		return "SKIP";
	case PAYLOAD_INVALID:
		buf_printf(&out, "INVALID %s %zu", reason_name(payload.reason),
		    payload.field);
		return out.data;
	case PAYLOAD_VALID:
		break;
	}
	row_encode(&out, 1795673521000LL, "web1", 4, &payload);
	return out.data;
}

START_TEST(test_payload_all_types)
{
	/* Typed:2 = s(max 5) i l d b t ts(s) ns? ni? */
	ck_assert_str_eq(check_payload_row("@Typed:2\tabc\t-0042\t"
	    "9223372036854775807\t1.5e3\t1\t1795673521123\t1795673521\t\\N\t"
	    "\\N"), "1795673521000\tweb1\tabc\t-42\t9223372036854775807\t"
	    "1.5e3\ttrue\t1795673521123\t1795673521000\t\\N\t\\N\n");
	ck_assert_str_eq(check_payload_row("@Typed:2\t\t-2147483648\t"
	    "-9223372036854775808\t-0.0\tfalse\t2026-11-26T06:12:01.5+01:00\t"
	    "0\tx\t2147483647"), "1795673521000\tweb1\t\t-2147483648\t"
	    "-9223372036854775808\t-0.0\tfalse\t1795669921500\t0\tx\t"
	    "2147483647\n");
	ck_assert_str_eq(check_payload_row("@Typed:2\ta\t0\t0\t7\ttrue\t"
	    "-5\t-5\t\t-0"), "1795673521000\tweb1\ta\t0\t0\t7\ttrue\t-5\t"
	    "-5000\t\t0\n");
}
END_TEST

START_TEST(test_payload_escapes_and_separators)
{
	/* rsyslog's #011 and TAB separators mix; wire escapes decode. */
	ck_assert_str_eq(check_payload_row("@Typed:1#011a\\tb\\nc\\rd\\\\e"
	    "\\#011f"), "1795673521000\tweb1\ta\\\tb\\nc\\rd\\\\e#011f\n");
	/* A literal "\N" string (escaped backslash) is not NULL. */
	ck_assert_str_eq(check_payload_row("@Typed:1\t\\\\N"),
	    "1795673521000\tweb1\t\\\\N\n");
	/* '#' alone and "#01" are text, only "#011" separates. */
	ck_assert_str_eq(check_payload_row("@Click:1\ta#b#01"),
	    "1795673521000\tweb1\ta#b#01\n");
	/* Bytes above 0x7f pass through untouched (invalid UTF-8 too). */
	ck_assert_str_eq(check_payload_row("@Click:1\t\xff\xfe\xc3\xa9"),
	    "1795673521000\tweb1\t\xff\xfe\xc3\xa9\n");
	/* An empty string field. */
	ck_assert_str_eq(check_payload_row("@Click:1\t"),
	    "1795673521000\tweb1\t\n");
}
END_TEST

START_TEST(test_payload_reasons)
{
	static const struct {
		const char	*msg;
		const char	*want;
	} cases[] = {
		{ "@Nope:1\tx", "INVALID unknown-message 0" },
		{ "@Click:9\tx", "INVALID unknown-version 0" },
		{ "@Click:1", "INVALID field-count 0" },
		{ "@Click:1\ta\tb", "INVALID field-count 1" },
		{ "@Typed:2\tabc\t2147483648\t0\t0\t1\t0\t0\t\\N\t\\N",
		    "INVALID bad-int32 1" },
		{ "@Typed:2\tabc\t1x\t0\t0\t1\t0\t0\t\\N\t\\N",
		    "INVALID bad-int32 1" },
		{ "@Typed:2\tabc\t-\t0\t0\t1\t0\t0\t\\N\t\\N",
		    "INVALID bad-int32 1" },
		{ "@Typed:2\tabc\t+1\t0\t0\t1\t0\t0\t\\N\t\\N",
		    "INVALID bad-int32 1" },
		{ "@Typed:2\tabc\t1\t9223372036854775808\t0\t1\t0\t0\t\\N\t\\N",
		    "INVALID bad-int64 2" },
		{ "@Typed:2\tabc\t1\t2\tNaN\t1\t0\t0\t\\N\t\\N",
		    "INVALID bad-double 3" },
		{ "@Typed:2\tabc\t1\t2\tinf\t1\t0\t0\t\\N\t\\N",
		    "INVALID bad-double 3" },
		{ "@Typed:2\tabc\t1\t2\t1e999\t1\t0\t0\t\\N\t\\N",
		    "INVALID bad-double 3" },
		{ "@Typed:2\tabc\t1\t2\t 1\t1\t0\t0\t\\N\t\\N",
		    "INVALID bad-double 3" },
		{ "@Typed:2\tabc\t1\t2\t1.5\tyes\t0\t0\t\\N\t\\N",
		    "INVALID bad-bool 4" },
		{ "@Typed:2\tabc\t1\t2\t1.5\tTrue\t0\t0\t\\N\t\\N",
		    "INVALID bad-bool 4" },
		{ "@Typed:2\tabc\t1\t2\t1.5\t1\t2026-11-26\t0\t\\N\t\\N",
		    "INVALID bad-timestamp 5" },
		{ "@Typed:2\tabc\t1\t2\t1.5\t1\t0\t9223372036854776\t\\N\t\\N",
		    "INVALID bad-timestamp 6" },
		{ "@Typed:2\t\\N\t1\t2\t1.5\t1\t0\t0\t\\N\t\\N",
		    "INVALID null-not-allowed 0" },
		{ "@Typed:2\tabcdef\t1\t2\t1.5\t1\t0\t0\t\\N\t\\N",
		    "INVALID too-long 0" },
		/* max_length counts bytes after unescaping: 5 bytes fit. */
		{ "@Typed:2\ta\\tb\\\\c\t1\t2\t1.5\t1\t0\t0\t\\N\t\\N",
		    "1795673521000\tweb1\ta\\\tb\\\\c\t1\t2\t1.5\ttrue\t0\t0\t"
		    "\\N\t\\N\n" },
		{ "@Click:1\ta\\xb", "INVALID bad-escape 0" },
		{ "@Click:1\tab\\", "INVALID bad-escape 0" },
		{ "@Click:1\ta\\Nb", "INVALID bad-escape 0" },
		/* Field count is judged before field values. */
		{ "@Typed:2\t\\N", "INVALID field-count 1" },
	};
	size_t	 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ck_assert_msg(strcmp(check_payload_row(cases[i].msg),
		    cases[i].want) == 0, "%s: got %s, want %s", cases[i].msg,
		    check_payload_row(cases[i].msg), cases[i].want);
}
END_TEST

START_TEST(test_payload_not_analytics)
{
	static const char *const skip[] = {
		"", "@", "@Click", "@Click:", "@Click:x\ta", "@1Click:1\ta",
		"@Click:1x\ta", "@Click:1 a", "hello @Click:1\ta",
		"@Cl-ick:1\ta", "@Click:1234567890\ta",
		/* One name of 65 characters, over two lines. */
		("@A234567890123456789012345678901234567890123456789012345678901"
		    "2345:1\ta"),
	};
	size_t	 i;

	for (i = 0; i < sizeof skip / sizeof skip[0]; i++)
		ck_assert_msg(strcmp(check_payload_row(skip[i]), "SKIP") == 0,
		    "not skipped: %s", skip[i]);
	/* 64 characters is the longest name. */
	ck_assert_str_eq(check_payload_row("@A23456789012345678901234567890"
	    "1234567890123456789012345678901234:1\ta"),
	    "INVALID unknown-message 0");
}
END_TEST

START_TEST(test_row_escape_and_int)
{
	struct buf	 b;

	buf_init(&b);
	row_escape(&b, "a\\b\tc\nd\re#011", 14);
	ck_assert_str_eq(b.data, "a\\\\b\\\tc\\nd\\re#011");
	buf_reset(&b);
	row_int(&b, INT64_MIN);
	buf_putc(&b, ' ');
	row_int(&b, 0);
	buf_putc(&b, ' ');
	row_int(&b, -7);
	ck_assert_str_eq(b.data, "-9223372036854775808 0 -7");
	buf_clear(&b);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite	*s = suite_create("payload");
	TCase	*tc = tcase_create("payload");

	tcase_add_checked_fixture(tc, check_payload_setup,
	    check_payload_teardown);
	tcase_add_test(tc, test_payload_all_types);
	tcase_add_test(tc, test_payload_escapes_and_separators);
	tcase_add_test(tc, test_payload_reasons);
	tcase_add_test(tc, test_payload_not_analytics);
	tcase_add_test(tc, test_row_escape_and_int);
	suite_add_tcase(s, tc);
	return s;
}
