/*
 * core/linebuf: lines split across chunks, the length cap, and a partial
 * last line at the end of input.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "core/linebuf.h"

#include "unit.h"

static void
check_linebuf_collect(void *arg, const char *line, size_t len,
    bool truncated)
{
	struct buf	*out = arg;

	buf_append(out, line, len);
	buf_puts(out, truncated ? "|T\n" : "|\n");
}

/*
 * Feeds [s, s + n) as tail does: each piece up to an LF found here with
 * linebuf_feed_line, the rest with linebuf_feed.
 */
static void
check_linebuf_feed_lines(struct linebuf *lb, const char *s, size_t n,
    struct buf *out)
{
	const char	*end = s + n, *nl;

	while (s < end && (nl = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		linebuf_feed_line(lb, s, (size_t)(nl + 1 - s),
		    check_linebuf_collect, out);
		s = nl + 1;
	}
	if (s < end)
		linebuf_feed(lb, s, (size_t)(end - s), check_linebuf_collect,
		    out);
}

/*
 * Feeds text in chunks of size step and checks what came out, fed whole
 * and fed line by line.
 */
static void
check_linebuf_run(const char *text, size_t step, size_t max, const char *want)
{
	struct linebuf	 lb;
	struct buf	 out;
	size_t		 i, len = strlen(text), n;
	int		 by_line;

	for (by_line = 0; by_line <= 1; by_line++) {
		buf_init(&out);
		linebuf_init(&lb, max);
		for (i = 0; i < len; i += step) {
			n = len - i < step ? len - i : step;
			if (by_line)
				check_linebuf_feed_lines(&lb, text + i, n,
				    &out);
			else
				linebuf_feed(&lb, text + i, n,
				    check_linebuf_collect, &out);
		}
		linebuf_finish(&lb, check_linebuf_collect, &out);
		ck_assert_msg(strcmp(out.data != NULL ? out.data : "",
		    want) == 0, "step %zu max %zu by line %d: got \"%s\"",
		    step, max, by_line, out.data);
		linebuf_clear(&lb);
		buf_clear(&out);
	}
}

START_TEST(test_linebuf_chunks)
{
	size_t	 step;

	for (step = 1; step <= 20; step++) {
		check_linebuf_run("ab\ncd\n\nef", step, 8, "ab|\ncd|\n|\nef|\n");
		/* A line of exactly the cap is whole; one more byte cuts it. */
		check_linebuf_run("12345678\n123456789\nok\n", step, 8,
		    "12345678|\n12345678|T\nok|\n");
		check_linebuf_run("0123456789abcdef0123\nz\n", step, 4,
		    "0123|T\nz|\n");
	}
}
END_TEST

START_TEST(test_linebuf_pending)
{
	struct linebuf	 lb;
	struct buf	 out;

	buf_init(&out);
	linebuf_init(&lb, 100);
	linebuf_feed(&lb, "one\ntw", 6, check_linebuf_collect, &out);
	ck_assert_uint_eq(linebuf_pending(&lb), 2);
	linebuf_feed(&lb, "o\n", 2, check_linebuf_collect, &out);
	ck_assert_uint_eq(linebuf_pending(&lb), 0);
	ck_assert_str_eq(out.data, "one|\ntwo|\n");
	linebuf_clear(&lb);
	buf_clear(&out);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite	*s = suite_create("linebuf");
	TCase	*tc = tcase_create("linebuf");

	tcase_add_test(tc, test_linebuf_chunks);
	tcase_add_test(tc, test_linebuf_pending);
	suite_add_tcase(s, tc);
	return s;
}
