/*
 * core/syslog: the three line formats (including lines captured from
 * Debian's rsyslogd), RFC 3164 year inference across the turn of the
 * year, local time zones with daylight saving, and lines that are not
 * syslog at all.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/fsio.h"
#include "core/syslog.h"

#include "unit.h"

/* 2026-11-26T07:21:51Z, when the rsyslog captures were made. */
#define NOW_CAPTURE	1795677711000LL

static int64_t
check_syslog_ms(const char *rfc3339)
{
	int64_t	 ms;

	ck_assert_uint_eq(clock_parse_rfc3339(rfc3339, strlen(rfc3339), &ms),
	    strlen(rfc3339));
	return ms;
}

static void
check_syslog_field(const char *p, size_t len, const char *want)
{
	ck_assert_uint_eq(len, strlen(want));
	ck_assert_int_eq(memcmp(p, want, len), 0);
}

/* Parses the first line of a data file and checks its fields. */
static void
check_syslog_capture(const char *name, enum syslog_format fmt, int64_t want)
{
	struct buf	 b;
	struct syslog_line l;
	struct syslog_parser *p = syslog_parser_new(NOW_CAPTURE);
	size_t		 len;
	int64_t		 ms;

	buf_init(&b);
	ck_assert_int_eq(fsio_read_file(unit_data(name), &b, NULL), 0);
	len = (size_t)(strchr(b.data, '\n') - b.data);
	ck_assert_int_eq(syslog_parse(b.data, len, &l), 0);
	ck_assert_int_eq(l.format, fmt);
	check_syslog_field(l.host, l.hostlen, "vm");
	check_syslog_field(l.tag, l.taglen, "mailer");
	check_syslog_field(l.pid, l.pidlen, "14290");
	check_syslog_field(l.msg, l.msglen, "@EmailSent:1#011alice"
	    "#0111795673521000#011spring\\#011sale#0113#011\\N");
	ck_assert_int_eq(syslog_time(p, &l, &ms), 0);
	ck_assert_int_eq(ms, want);
	syslog_parser_free(p);
	buf_clear(&b);
}

START_TEST(test_syslog_rsyslog_captures)
{
	setenv("TZ", "UTC", 1);
	tzset();
	check_syslog_capture("syslog/rsyslog-default.log", SYSLOG_RFC3339,
	    check_syslog_ms("2026-11-26T07:21:51.197Z"));
	check_syslog_capture("syslog/rsyslog-traditional.log", SYSLOG_RFC3164,
	    check_syslog_ms("2026-11-26T07:21:51Z"));
	check_syslog_capture("syslog/rsyslog-5424.log", SYSLOG_RFC5424,
	    check_syslog_ms("2026-11-26T07:21:51.197Z"));
}
END_TEST

START_TEST(test_syslog_3164_shapes)
{
	struct syslog_line l;
	const char	*s;

	s = "Nov  6 06:12:01 web1 kernel: [  1.0] eth0 up";
	ck_assert_int_eq(syslog_parse(s, strlen(s), &l), 0);
	check_syslog_field(l.stamp, l.stamplen, "Nov  6 06:12:01");
	check_syslog_field(l.tag, l.taglen, "kernel");
	ck_assert_uint_eq(l.pidlen, 0);
	check_syslog_field(l.msg, l.msglen, "[  1.0] eth0 up");

	/* No tag: the whole rest is the message. */
	s = "Nov 26 06:12:01 web1 -- MARK --";
	ck_assert_int_eq(syslog_parse(s, strlen(s), &l), 0);
	ck_assert_uint_eq(l.taglen, 0);
	check_syslog_field(l.msg, l.msglen, "-- MARK --");

	/* A PRI before a traditional line is skipped. */
	s = "<13>Nov 26 06:12:01 web1 app[1]: @A:1";
	ck_assert_int_eq(syslog_parse(s, strlen(s), &l), 0);
	check_syslog_field(l.pid, l.pidlen, "1");
	check_syslog_field(l.msg, l.msglen, "@A:1");

	/*
	 * rsyslog's traditional and default file formats write a message
	 * that came in RFC 5424 as "app[procid] msg", with no ':'.
	 */
	s = "Dec  4 06:30:00 web1 java[4242] @A:1#011x";
	ck_assert_int_eq(syslog_parse(s, strlen(s), &l), 0);
	check_syslog_field(l.tag, l.taglen, "java");
	check_syslog_field(l.pid, l.pidlen, "4242");
	check_syslog_field(l.msg, l.msglen, "@A:1#011x");
	s = "2026-12-04T06:30:00.123+00:00 web1 java[7] @A:1";
	ck_assert_int_eq(syslog_parse(s, strlen(s), &l), 0);
	check_syslog_field(l.tag, l.taglen, "java");
	check_syslog_field(l.pid, l.pidlen, "7");
	check_syslog_field(l.msg, l.msglen, "@A:1");
	s = "Dec  4 06:30:00 web1 java[7]";
	ck_assert_int_eq(syslog_parse(s, strlen(s), &l), 0);
	check_syslog_field(l.tag, l.taglen, "java");
	ck_assert_uint_eq(l.msglen, 0);
	/* Anything else without ':' is no tag. */
	s = "Dec  4 06:30:00 web1 java[42x] @A:1";
	ck_assert_int_eq(syslog_parse(s, strlen(s), &l), 0);
	ck_assert_uint_eq(l.taglen, 0);
	check_syslog_field(l.msg, l.msglen, "java[42x] @A:1");
	s = "Dec  4 06:30:00 web1 [42] @A:1";
	ck_assert_int_eq(syslog_parse(s, strlen(s), &l), 0);
	ck_assert_uint_eq(l.taglen, 0);
	check_syslog_field(l.msg, l.msglen, "[42] @A:1");
	s = "Dec  4 06:30:00 web1 app[] @A:1";
	ck_assert_int_eq(syslog_parse(s, strlen(s), &l), 0);
	ck_assert_uint_eq(l.taglen, 0);
	check_syslog_field(l.msg, l.msglen, "app[] @A:1");
	s = "Dec  4 06:30:00 web1 app @A:1";
	ck_assert_int_eq(syslog_parse(s, strlen(s), &l), 0);
	ck_assert_uint_eq(l.taglen, 0);
	check_syslog_field(l.msg, l.msglen, "app @A:1");

	/* Host only. */
	s = "Nov 26 06:12:01 web1";
	ck_assert_int_eq(syslog_parse(s, strlen(s), &l), 0);
	check_syslog_field(l.host, l.hostlen, "web1");
	ck_assert_uint_eq(l.msglen, 0);
}
END_TEST

START_TEST(test_syslog_5424_sd)
{
	struct syslog_line l;
	struct syslog_parser *p = syslog_parser_new(NOW_CAPTURE);
	const char	*s;
	int64_t		 ms;

	s = "<165>1 2026-11-26T06:12:01.5-02:00 h.example app 4242 ID47 "
	    "[ex@1 a=\"x\\]y\" b=\"]\"][z@2] \xef\xbb\xbf@A:1\tv";
	ck_assert_int_eq(syslog_parse(s, strlen(s), &l), 0);
	ck_assert_int_eq(l.format, SYSLOG_RFC5424);
	check_syslog_field(l.host, l.hostlen, "h.example");
	check_syslog_field(l.tag, l.taglen, "app");
	check_syslog_field(l.pid, l.pidlen, "4242");
	check_syslog_field(l.msg, l.msglen, "@A:1\tv");
	ck_assert_int_eq(syslog_time(p, &l, &ms), 0);
	ck_assert_int_eq(ms, check_syslog_ms("2026-11-26T08:12:01.5Z"));

	s = "<14>1 2026-11-26T06:12:01Z - - - - -";
	ck_assert_int_eq(syslog_parse(s, strlen(s), &l), 0);
	ck_assert_uint_eq(l.taglen, 0);
	ck_assert_uint_eq(l.pidlen, 0);
	ck_assert_uint_eq(l.msglen, 0);

	/* A NILVALUE timestamp parses but has no time. */
	s = "<14>1 - host app - - - @A:1";
	ck_assert_int_eq(syslog_parse(s, strlen(s), &l), 0);
	ck_assert_int_eq(syslog_time(p, &l, &ms), -1);
	syslog_parser_free(p);
}
END_TEST

START_TEST(test_syslog_not_syslog)
{
	static const char *const bad[] = {
		"",
		"hello world",
		"Nov 26 06:12:01",
		"Nov 26 06:12:01 ",
		"Foo 26 06:12:01 host app: x",
		"Nov 26 6:12:01 host app: x",
		"<14>1 2026-11-26T06:12:01Z host app",
		"<14>1 2026-11-26T06:12:01Z host app 1 - [unterminated",
		"<14>1 2026-11-26T06:12:01Z host app 1 - x msg",
		"<14>1 2026-11-26T06:12:01Z host app 1 id ",	/* no SD */
		"<1234567>Nov 26 06:12:01 host app: x",
		"2026-11-26T06:12:01Z",
	};
	struct syslog_line l;
	size_t		 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(syslog_parse(bad[i], strlen(bad[i]), &l) == -1,
		    "parsed: %s", bad[i]);
}
END_TEST

static int64_t
check_syslog_3164_at(const char *line, const char *now)
{
	struct syslog_parser *p = syslog_parser_new(check_syslog_ms(now));
	struct syslog_line l;
	int64_t		 ms;
	int		 rc;

	ck_assert_int_eq(syslog_parse(line, strlen(line), &l), 0);
	rc = syslog_time(p, &l, &ms);
	syslog_parser_free(p);
	return rc == -1 ? -1 : ms;
}

START_TEST(test_syslog_year_inference)
{
	setenv("TZ", "UTC", 1);
	tzset();
	/* December lines read in January belong to the old year. */
	ck_assert_int_eq(check_syslog_3164_at("Dec 31 23:59:59 h a: x",
	    "2027-01-01T00:00:05Z"), check_syslog_ms("2026-12-31T23:59:59Z"));
	/* A line a little ahead of the clock at New Year is the new year. */
	ck_assert_int_eq(check_syslog_3164_at("Jan  1 00:00:01 h a: x",
	    "2026-12-31T23:59:58Z"), check_syslog_ms("2027-01-01T00:00:01Z"));
	/* An old line of this year stays in this year. */
	ck_assert_int_eq(check_syslog_3164_at("Feb  3 10:00:00 h a: x",
	    "2026-11-26T07:00:00Z"), check_syslog_ms("2026-02-03T10:00:00Z"));
	/* Feb 29 goes to the latest leap year not in the future. */
	ck_assert_int_eq(check_syslog_3164_at("Feb 29 12:00:00 h a: x",
	    "2028-03-01T00:00:00Z"), check_syslog_ms("2028-02-29T12:00:00Z"));
	ck_assert_int_eq(check_syslog_3164_at("Feb 29 12:00:00 h a: x",
	    "2026-03-01T00:00:00Z"), -1);
	ck_assert_int_eq(check_syslog_3164_at("Apr 31 12:00:00 h a: x",
	    "2026-05-01T00:00:00Z"), -1);
	ck_assert_int_eq(check_syslog_3164_at("Apr 30 24:00:00 h a: x",
	    "2026-05-01T00:00:00Z"), -1);
}
END_TEST

START_TEST(test_syslog_local_zone)
{
	/* Central European time with its DST rule, no tz database needed. */
	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
	ck_assert_int_eq(check_syslog_3164_at("Nov 26 07:12:01 h a: x",
	    "2026-11-26T09:00:00Z"), check_syslog_ms("2026-11-26T06:12:01Z"));
	ck_assert_int_eq(check_syslog_3164_at("Jul  1 12:00:00 h a: x",
	    "2026-11-26T09:00:00Z"), check_syslog_ms("2026-07-01T10:00:00Z"));
	/* The RFC 3339 formats carry their offset and ignore TZ. */
	ck_assert_int_eq(check_syslog_3164_at(
	    "2026-07-01T12:00:00+02:00 h a: x", "2026-11-26T09:00:00Z"),
	    check_syslog_ms("2026-07-01T10:00:00Z"));
}
END_TEST

/* The last stamp's time is kept, and dropped when the clock moves. */
START_TEST(test_syslog_stamp_cache)
{
	struct syslog_parser *p;
	struct syslog_line l;
	const char	*a = "Dec 31 23:59:59 h a: x";
	const char	*b = "Dec 31 23:59:58 h a: y";
	const char	*bad = "Apr 31 12:00:00 h a: x";
	int64_t		 ms;

	setenv("TZ", "UTC", 1);
	tzset();
	p = syslog_parser_new(check_syslog_ms("2027-01-01T00:00:05Z"));
	ck_assert_int_eq(syslog_parse(a, strlen(a), &l), 0);
	ck_assert_int_eq(syslog_time(p, &l, &ms), 0);
	ck_assert_int_eq(ms, check_syslog_ms("2026-12-31T23:59:59Z"));
	ck_assert_int_eq(syslog_parse(b, strlen(b), &l), 0);
	ck_assert_int_eq(syslog_time(p, &l, &ms), 0);
	ck_assert_int_eq(ms, check_syslog_ms("2026-12-31T23:59:58Z"));
	ck_assert_int_eq(syslog_parse(a, strlen(a), &l), 0);
	ck_assert_int_eq(syslog_time(p, &l, &ms), 0);
	ck_assert_int_eq(ms, check_syslog_ms("2026-12-31T23:59:59Z"));
	/* A year later the same stamp is of the new year. */
	syslog_parser_set_now(p, check_syslog_ms("2027-12-31T23:59:59Z"));
	ck_assert_int_eq(syslog_time(p, &l, &ms), 0);
	ck_assert_int_eq(ms, check_syslog_ms("2027-12-31T23:59:59Z"));
	/* A bad stamp stays bad the second time. */
	ck_assert_int_eq(syslog_parse(bad, strlen(bad), &l), 0);
	ck_assert_int_eq(syslog_time(p, &l, &ms), -1);
	ck_assert_int_eq(syslog_time(p, &l, &ms), -1);
	syslog_parser_free(p);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite	*s = suite_create("syslog");
	TCase	*tc = tcase_create("syslog");

	tcase_add_test(tc, test_syslog_rsyslog_captures);
	tcase_add_test(tc, test_syslog_3164_shapes);
	tcase_add_test(tc, test_syslog_5424_sd);
	tcase_add_test(tc, test_syslog_not_syslog);
	tcase_add_test(tc, test_syslog_year_inference);
	tcase_add_test(tc, test_syslog_local_zone);
	tcase_add_test(tc, test_syslog_stamp_cache);
	suite_add_tcase(s, tc);
	return s;
}
