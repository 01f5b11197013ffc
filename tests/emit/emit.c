/*
 * The C side of the Python and Java emitter tests: the cases of emit.py
 * and Emit.java, value for value, through a header from barge
 * gen-header (src is "c").  "emit print" prints each message text on a
 * line; "emit send" sends them with syslog(3).  Timestamps that the
 * others pass as datetime or Instant are here the integers they stand
 * for.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int	emit_print;
static void	emit_out(int, const char *);
#define BARGE_LOG_SYSLOG(priority, message) \
	emit_out((priority), (message))

#include <barge/log.h>
#include "barge_messages.h"

static void
emit_out(int priority, const char *message)
{
	if (emit_print)
		printf("%s\n", message);
	else
		syslog(priority, "%s", message);
}

static int
emit(const char *name, const char *s, const int32_t *i32, const int64_t *i64,
    const double *d, const bool *b, const int64_t *ts, int64_t ts_s)
{
	int	 rc;

	if ((rc = barge_log_Emit_v1("c", name, s, i32, i64, d, b, ts,
	    ts_s)) != 0)
		fprintf(stderr, "emit: %s: %s\n", name,
		    barge_log_strerror(rc));
	return rc != 0;
}

/* A case with the default values but one string. */
static int
emit_s(const char *name, const char *s)
{
	int32_t	 i32 = 1;
	int64_t	 i64 = 2, ts = 1764141121123LL;
	double	 d = 0.5;
	bool	 b = true;

	return emit(name, s, &i32, &i64, &d, &b, &ts, 1764141121);
}

/* A case with the default values but one double. */
static int
emit_d(const char *name, double d)
{
	int32_t	 i32 = 1;
	int64_t	 i64 = 2, ts = 1764141121123LL;
	bool	 b = true;

	return emit(name, "v", &i32, &i64, &d, &b, &ts, 1764141121);
}

static int
emit_ts(const char *name, bool b, int64_t ts, int64_t ts_s)
{
	int32_t	 i32 = 0;
	int64_t	 i64 = 0;
	double	 d = 0.0;

	return emit(name, "v", &i32, &i64, &d, &b, &ts, ts_s);
}

int
main(int argc, char **argv)
{
	static char	 fit[7949];
	int32_t		 i32;
	int64_t		 i64, ts;
	double		 d = 0.0;
	bool		 b = false;
	int		 bad = 0;

	if (argc != 2 || (strcmp(argv[1], "print") != 0 &&
	    strcmp(argv[1], "send") != 0)) {
		fprintf(stderr, "usage: emit print | send\n");
		return 2;
	}
	emit_print = strcmp(argv[1], "print") == 0;
	if (!emit_print)
		openlog("emit-c", LOG_PID, LOG_USER);
	bad |= emit_s("tab", "a\tb");
	bad |= emit_s("lf", "a\nb");
	bad |= emit_s("cr", "a\rb");
	bad |= emit_s("crlf", "l1\r\nl2");
	bad |= emit_s("backslash", "a\\b");
	bad |= emit_s("hash", "#");
	bad |= emit_s("hash011", "x#011y");
	bad |= emit_s("literal-N", "\\N");
	bad |= emit_s("utf8", "h\xc3\xa9llo \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac "
	    "\xf0\x9f\x98\x80");
	bad |= emit_s("empty", "");
	bad |= emit_s("spaces", "  lead and trail  ");
	bad |= emit_s("mix", "\\t#011\t\\N\n\r\\\\#\\");
	bad |= emit("nulls", NULL, NULL, NULL, NULL, NULL, NULL, 0);
	i32 = INT32_MIN;
	i64 = ts = INT64_MIN;
	bad |= emit("int-min", "", &i32, &i64, &d, &b, &ts,
	    -9223372036854775LL);
	i32 = INT32_MAX;
	i64 = ts = INT64_MAX;
	bad |= emit("int-max", "", &i32, &i64, &d, &b, &ts,
	    9223372036854775LL);
	bad |= emit_d("d-tenth", 0.1);
	bad |= emit_d("d-third", 1.0 / 3);
	bad |= emit_d("d-tiny", -2.5e-300);
	bad |= emit_d("d-huge", 1e300);
	bad |= emit_d("d-max", 1.7976931348623157e308);
	bad |= emit_d("d-denormal", 5e-324);
	bad |= emit_d("d-negzero", -0.0);
	bad |= emit_d("d-exact", 123456789.125);
	bad |= emit_d("d-hundred", 100.0);
	bad |= emit_d("d-1e15", 1e15);
	bad |= emit_d("d-1e16", 1e16);
	bad |= emit_d("d-small", 0.0001);
	bad |= emit_d("d-smaller", 0.00001);
	bad |= emit_d("d-int", 3);
	bad |= emit_ts("ts-int", true, 1795673521123LL, 1795673521);
	bad |= emit_ts("ts-datetime", true, 1795677121123LL, 1795677121);
	bad |= emit_ts("ts-offset", true, 1795677121123LL, 1795677121);
	bad |= emit_ts("ts-before-epoch", false, -1, -1);
	memset(fit, 'a', sizeof(fit) - 1);
	bad |= emit_s("fit", fit);
	if (!emit_print)
		closelog();
	return bad;
}
