/*
 * barged/control: the control socket's request lines as control_request
 * reads them from a connection's input, in the chunks reads deliver:
 * the answers, when it waits, and when it drops the client.
 */
#include "config.h"

#include <string.h>

#include <event2/buffer.h>

#include "barged/control.h"
#include "barged/metrics.h"
#include "base/buf.h"

#include "unit.h"

static struct metrics	 check_control_figures;

static const struct metrics *
check_control_metrics(void *arg)
{
	(void)arg;
	return &check_control_figures;
}

/*
 * Sends the n bytes of s in chunks of step bytes, calling control_request
 * after each; returns what the last call said, with the answer in out.
 */
static int
check_control_send(const char *s, size_t n, size_t step, struct buf *out)
{
	struct evbuffer	*in = evbuffer_new();
	struct control_req r;
	size_t		 off = 0, k;
	int		 rc = 0;

	memset(&r, 0, sizeof r);
	buf_reset(out);
	while (rc == 0 && off < n) {
		k = n - off < step ? n - off : step;
		evbuffer_add(in, s + off, k);
		off += k;
		rc = control_request(&r, in, check_control_metrics, NULL, out);
	}
	evbuffer_free(in);
	return rc;
}

static void
check_control_setup(void)
{
	metrics_init(&check_control_figures);
	check_control_figures.lines = 7;
}

static void
check_control_teardown(void)
{
	metrics_clear(&check_control_figures);
}

START_TEST(test_control_requests)
{
	static const char req[] = "barge-control 1\nmetrics\n";
	struct buf	 out, want;

	buf_init(&out);
	buf_init(&want);
	metrics_prometheus(&check_control_figures, &want);
	ck_assert_int_eq(check_control_send(req, sizeof req - 1, 1, &out), 1);
	ck_assert_uint_eq(out.len, want.len);
	ck_assert_int_eq(memcmp(out.data, want.data, want.len), 0);

	/* Half a request: no answer yet. */
	ck_assert_int_eq(check_control_send(req, 20, 64, &out), 0);
	ck_assert_uint_eq(out.len, 0);

	ck_assert_int_eq(check_control_send("hello\nstatus\n", 13, 64, &out),
	    1);
	buf_putc(&out, '\0');
	ck_assert_str_eq(out.data, "error: expected \"barge-control 1\"\n");
	ck_assert_int_eq(check_control_send("barge-control 1\nstats\nmore",
	    26, 64, &out), 1);
	buf_putc(&out, '\0');
	ck_assert_str_eq(out.data, "error: unknown request \"stats\"\n");
	buf_clear(&out);
	buf_clear(&want);
}
END_TEST

/*
 * A line longer than CONTROL_MAX_REQUEST drops the client, whether it
 * arrives in one read or in many (barged answered it when it came in one
 * read and echoed it back whole).
 */
START_TEST(test_control_long_line)
{
	char		 req[16 + CONTROL_MAX_REQUEST + 2];
	struct buf	 out;
	size_t		 n;

	buf_init(&out);
	memcpy(req, "barge-control 1\n", 16);
	memset(req + 16, 'x', CONTROL_MAX_REQUEST + 1);
	n = 16 + CONTROL_MAX_REQUEST + 1;
	req[n++] = '\n';
	ck_assert_int_eq(check_control_send(req, n, n, &out), -1);
	ck_assert_uint_eq(out.len, 0);
	ck_assert_int_eq(check_control_send(req, n, 1, &out), -1);
	ck_assert_uint_eq(out.len, 0);
	/* The first line too. */
	ck_assert_int_eq(check_control_send(req + 16, n - 16, n, &out), -1);

	/* CONTROL_MAX_REQUEST bytes are answered, in one read or many. */
	req[n - 2] = '\n';
	ck_assert_int_eq(check_control_send(req, n - 1, n, &out), 1);
	ck_assert_uint_eq(out.len, 26 + CONTROL_MAX_REQUEST);
	ck_assert_int_eq(check_control_send(req, n - 1, 1, &out), 1);
	ck_assert_uint_eq(out.len, 26 + CONTROL_MAX_REQUEST);
	buf_clear(&out);
}
END_TEST

/*
 * A NUL is a byte of the line like any other: "status\0x" is not
 * "status", and the error quotes all of it (barged compared and quoted
 * up to the NUL, so it answered "status\0x" as status).
 */
START_TEST(test_control_nul)
{
	static const char req[] = "barge-control 1\nstatus\0x\n";
	static const char want[] = "error: unknown request \"status\0x\"\n";
	static const char hello[] = "barge-control 1\0\nstatus\n";
	struct buf	 out;

	buf_init(&out);
	ck_assert_int_eq(check_control_send(req, sizeof req - 1, 64, &out),
	    1);
	ck_assert_uint_eq(out.len, sizeof want - 1);
	ck_assert_int_eq(memcmp(out.data, want, out.len), 0);
	ck_assert_int_eq(check_control_send(hello, sizeof hello - 1, 64,
	    &out), 1);
	buf_putc(&out, '\0');
	ck_assert_str_eq(out.data, "error: expected \"barge-control 1\"\n");
	buf_clear(&out);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite	*s = suite_create("control");
	TCase	*tc = tcase_create("control");

	tcase_add_checked_fixture(tc, check_control_setup,
	    check_control_teardown);
	tcase_add_test(tc, test_control_requests);
	tcase_add_test(tc, test_control_long_line);
	tcase_add_test(tc, test_control_nul);
	suite_add_tcase(s, tc);
	return s;
}
