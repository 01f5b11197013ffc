/*
 * The emitter test program, compiled as C99 and as C++11 with warnings
 * as errors.  It sends every kind of value through a generated header
 * (barge_messages.h from tests/compile/messages) and through BARGE_LOG(),
 * and prints each call's result.  Built with -DEMIT_PRINT, it prints the
 * messages instead of calling syslog(3), so that their bytes can be
 * compared; built without, the messages go to syslog for the round trip.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#ifdef EMIT_PRINT
static void	emit_print(int, const char *);
#define BARGE_LOG_SYSLOG(priority, message) \
	emit_print((priority), (message))
#endif

#include <barge/log.h>
#include "barge_messages.h"

/* So that the stricter C++ build (-Wzero-as-null-pointer-constant) passes. */
#ifdef __cplusplus
#define NIL		nullptr
#else
#define NIL		NULL
#endif

#ifdef EMIT_PRINT
/* The message with each TAB shown as <TAB>; a long one cut short. */
static void
emit_print(int priority, const char *message)
{
	size_t	 len = strlen(message), i;

	printf("  sent %d ", priority);
	for (i = 0; i < len && i < 160; i++, message++) {
		if (*message == '\t')
			fputs("<TAB>", stdout);
		else
			putchar(*message);
	}
	if (len > 160)
		printf("... (%zu bytes)", len);
	putchar('\n');
}
#endif

static void
emit_result(const char *what, int rc)
{
	printf("%s: %d%s%s\n", what, rc, rc != 0 ? " " : "",
	    rc != 0 ? barge_log_strerror(rc) : "");
}

struct emit_text {
	const char	*label;
	const char	*value;
};

static const struct emit_text emit_texts[] = {
	{ "tab", "a\tb" },
	{ "lf", "a\nb" },
	{ "cr", "a\rb" },
	{ "crlf", "line1\r\nline2" },
	{ "backslash", "a\\b" },
	{ "hash011", "a#011b" },
	{ "hash", "#" },
	{ "invalid-utf8", "\xff\xfe\xc3(" },
	{ "utf8", "h\xc3\xa9llo \xe2\x9c\x93" },
	{ "literal-N", "\\N" },
	{ "null", NIL },
	{ "empty", "" },
	{ "spaces", "  lead and trail  " },
	{ "mix", "\\t#011\t\\N\n\r\\\\#\\" },
};

int
main(void)
{
	static char	long_value[BARGE_LOG_MAX];
	int32_t		i32 = 7;
	int64_t		ts_s = 1764141121, i64 = 0;
	double		d = -2.5e-300, inf = HUGE_VAL, nan = NAN;
	bool		b = false;
	size_t		i;
	char		what[64];

	for (i = 0; i < sizeof(emit_texts) / sizeof(emit_texts[0]); i++) {
		snprintf(what, sizeof(what), "Text %s", emit_texts[i].label);
		emit_result(what, barge_log_Text_v1(emit_texts[i].label,
		    emit_texts[i].value));
		snprintf(what, sizeof(what), "macro-%s", emit_texts[i].label);
		emit_result(what, BARGE_LOG("Text", 1,
		    BARGE_STRING(what),
		    BARGE_STRING_OR_NULL(emit_texts[i].value)));
	}

	emit_result("AllTypes values", barge_log_AllTypes_v2("x", "y",
	    "12345678", INT32_MIN, &i32, INT64_MAX, &i64, 0.1, &d, true, &b,
	    INT64_C(1764141121123), &ts_s, "k", -1));
	emit_result("AllTypes nulls", barge_log_AllTypes_v2("", NIL, "",
	    INT32_MAX, NIL, INT64_MIN, NIL, 1e300, NIL, false, NIL, 0, NIL,
	    "", 0));
	emit_result("BARGE_LOG AllTypes", BARGE_LOG("AllTypes", 2,
	    BARGE_STRING("x"), BARGE_STRING_OR_NULL("y"),
	    BARGE_STRING("12345678"), BARGE_INT32(INT32_MIN),
	    BARGE_INT32_OR_NULL(&i32), BARGE_INT64(INT64_MAX),
	    BARGE_INT64_OR_NULL(&i64), BARGE_DOUBLE(0.1),
	    BARGE_DOUBLE_OR_NULL(&d), BARGE_BOOL(true), BARGE_BOOL_OR_NULL(&b),
	    BARGE_TIMESTAMP(INT64_C(1764141121123)),
	    BARGE_TIMESTAMP_OR_NULL(&ts_s), BARGE_STRING("k"),
	    BARGE_INT64(-1)));
	emit_result("BARGE_LOG AllTypes nulls", BARGE_LOG("AllTypes", 2,
	    BARGE_STRING(""), BARGE_NULL, BARGE_STRING(""),
	    BARGE_INT32(INT32_MAX), BARGE_INT32_OR_NULL(NIL),
	    BARGE_INT64(INT64_MIN), BARGE_NULL, BARGE_DOUBLE(1e300),
	    BARGE_DOUBLE_OR_NULL(NIL), BARGE_BOOL(false),
	    BARGE_BOOL_OR_NULL(NIL), BARGE_TIMESTAMP(0),
	    BARGE_TIMESTAMP_OR_NULL(NIL), BARGE_STRING(""), BARGE_INT64(0)));
	emit_result("priority notice", barge_log_Text_v1_pri(LOG_NOTICE,
	    "priority", "notice"));
	emit_result("BARGE_LOG_PRI warning", BARGE_LOG_PRI(LOG_WARNING,
	    "Text", 1, BARGE_STRING("priority"), BARGE_STRING("warning")));
	emit_result("Names", barge_log_Names_v1("n", 1, true, NIL));

	/* Refused: each returns its code and sends nothing. */
	emit_result("NULL string", barge_log_Text_v1(NIL, "v"));
	emit_result("max_length", barge_log_AllTypes_v2("x", NIL, "123456789",
	    0, NIL, 0, NIL, 0, NIL, false, NIL, 0, NIL, "", 0));
	emit_result("NaN", barge_log_AllTypes_v2("x", NIL, "", 0, NIL, 0, NIL,
	    nan, NIL, false, NIL, 0, NIL, "", 0));
	emit_result("+Inf", barge_log_AllTypes_v2("x", NIL, "", 0, NIL, 0,
	    NIL, inf, NIL, false, NIL, 0, NIL, "", 0));
	inf = -inf;
	emit_result("-Inf nullable", barge_log_AllTypes_v2("x", NIL, "", 0,
	    NIL, 0, NIL, 0, &inf, false, NIL, 0, NIL, "", 0));
	ts_s = INT64_MAX / 1000 + 1;
	emit_result("seconds too late", barge_log_AllTypes_v2("x", NIL, "", 0,
	    NIL, 0, NIL, 0, NIL, false, NIL, 0, &ts_s, "", 0));
	ts_s = INT64_MIN / 1000 - 1;
	emit_result("seconds too early", barge_log_AllTypes_v2("x", NIL, "", 0,
	    NIL, 0, NIL, 0, NIL, false, NIL, 0, &ts_s, "", 0));
	emit_result("control 0x01", barge_log_Text_v1("ctl", "a\001b"));
	emit_result("control 0x7f", barge_log_Text_v1("ctl", "a\177b"));
	emit_result("control 0x1b", BARGE_LOG("Text", 1, BARGE_STRING("ctl"),
	    BARGE_STRING("\033[1m")));
	memset(long_value, 'a', sizeof(long_value) - 1);
	emit_result("too long", barge_log_Text_v1("long", long_value));
	/* Fits exactly: "@Text:1", TAB, "fit", TAB, the value. */
	long_value[BARGE_LOG_MAX - strlen("@Text:1\tfit\t")] = '\0';
	emit_result("longest", barge_log_Text_v1("fit", long_value) == 0 ?
	    0 : -100);
	long_value[BARGE_LOG_MAX - strlen("@Text:1\tfit\t") - 1] = '#';
	emit_result("escape past the end", barge_log_Text_v1("fit",
	    long_value));
	emit_result("bad name", BARGE_LOG("9Text", 1, BARGE_STRING("a"),
	    BARGE_NULL));
	emit_result("version 0", BARGE_LOG("Text", 0, BARGE_STRING("a"),
	    BARGE_NULL));
	emit_result("no helper", BARGE_LOG("Text", 1, 42, BARGE_NULL));
	return 0;
}
