/*
 * libFuzzer target: the bytes a client sends to barged's control socket,
 * through control_request as control_read_cb calls it, against a fixed
 * set of figures.  The input arrives three ways: at once, a byte at a
 * time, and in chunks of 1 to 64 bytes (the first byte says).  Each way
 * must end the same as the protocol says, whatever the chunks:
 *  - a line (or the part of one so far) over CONTROL_MAX_REQUEST bytes
 *    drops the connection, with no answer;
 *  - no answer before the second full line, and no more input read after
 *    it;
 *  - the answer to the hello line and "status", "status json" or
 *    "metrics" is that rendering of the figures, byte for byte; a first
 *    line other than the hello gets the hello error line, another
 *    request the unknown request error line quoting it whole.
 * Seeds: the bytes barge status sends for each of its requests (caught
 * with socat listening on the socket), the bad hello of
 * tests/integration/barged-status.sh, and a request barged does not know.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "barged/control.h"
#include "barged/metrics.h"
#include "base/buf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct metrics	 fuzz_control_figures;
static unsigned		 fuzz_control_calls;

static const struct metrics *
fuzz_control_metrics(void *arg)
{
	(void)arg;
	fuzz_control_calls++;
	return &fuzz_control_figures;
}

static void
fuzz_control_init(void)
{
	static bool	 done;
	struct metrics	*m = &fuzz_control_figures;

	if (done)
		return;
	done = true;
	metrics_init(m);
	m->lines = 4;
	m->not_analytics = 1;
	metrics_input(m, "/var/log/my \"syslog\"\n")->offset = 98765;
	metrics_message(m, "EmailSent", 1)->rows = 2;
	m->spool_max_bytes = 10737418240ULL;
	snprintf(m->upload.state, sizeof m->upload.state, "idle");
	snprintf(m->upload.namenode, sizeof m->upload.namenode,
	    "127.0.0.1:8020");
}

static bool
fuzz_control_is(const uint8_t *line, size_t len, const char *s)
{
	return len == strlen(s) && memcmp(line, s, len) == 0;
}

/* What the protocol says the input ends in: -1 dropped, 0 waiting, 1 answered. */
static int
fuzz_control_expect(const uint8_t *data, size_t len, struct buf *want)
{
	const uint8_t	*line[2], *lf;
	size_t		 linelen[2], off = 0, n;
	int		 i;

	for (i = 0; i < 2; i++) {
		lf = memchr(data + off, '\n', len - off);
		n = lf == NULL ? len - off : (size_t)(lf - (data + off));
		if (n > CONTROL_MAX_REQUEST)
			return -1;
		if (lf == NULL)
			return 0;
		line[i] = data + off;
		linelen[i] = n;
		off += n + 1;
	}
	if (!fuzz_control_is(line[0], linelen[0], CONTROL_HELLO))
		buf_printf(want, "error: expected \"%s\"\n", CONTROL_HELLO);
	else if (fuzz_control_is(line[1], linelen[1], "status"))
		metrics_text(&fuzz_control_figures, want);
	else if (fuzz_control_is(line[1], linelen[1], "status json"))
		metrics_json(&fuzz_control_figures, want);
	else if (fuzz_control_is(line[1], linelen[1], "metrics"))
		metrics_prometheus(&fuzz_control_figures, want);
	else {
		buf_puts(want, "error: unknown request \"");
		buf_append(want, line[1], linelen[1]);
		buf_puts(want, "\"\n");
	}
	return 1;
}

/* Feeds data step bytes at a time, as reads would; returns the end. */
static int
fuzz_control_feed(const uint8_t *data, size_t len, size_t step,
    struct buf *out)
{
	struct evbuffer	*in = evbuffer_new();
	struct control_req r;
	size_t		 off = 0, n;
	int		 rc = 0;

	if (in == NULL)
		abort();
	memset(&r, 0, sizeof r);
	fuzz_control_calls = 0;
	while (rc == 0 && off < len) {
		n = len - off < step ? len - off : step;
		evbuffer_add(in, data + off, n);
		off += n;
		rc = control_request(&r, in, fuzz_control_metrics, NULL, out);
		/* An answer comes whole, with the call that says so. */
		if ((rc == 1) != (out->len > 0))
			abort();
	}
	if (rc == 1 && (out->data[out->len - 1] != '\n' ||
	    fuzz_control_calls != 1))
		abort();
	evbuffer_free(in);
	return rc;
}

static bool
fuzz_control_same(const struct buf *a, const struct buf *b)
{
	return a->len == b->len && (a->len == 0 ||
	    memcmp(a->data, b->data, a->len) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct buf	 before, after, out;
	size_t		 steps[3], i;
	int		 want, rc;

	fuzz_control_init();
	steps[0] = len > 0 ? len : 1;
	steps[1] = 1;
	steps[2] = len > 0 ? 1 + data[0] % 64 : 1;
	buf_init(&before);
	buf_init(&after);
	/* The uptime in the text may tick between two renderings. */
	want = fuzz_control_expect(data, len, &before);
	for (i = 0; i < 3; i++) {
		buf_init(&out);
		rc = fuzz_control_feed(data, len, steps[i], &out);
		if (rc != want)
			abort();
		if (!fuzz_control_same(&out, &before)) {
			buf_reset(&after);
			fuzz_control_expect(data, len, &after);
			if (!fuzz_control_same(&out, &after))
				abort();
		}
		buf_clear(&out);
	}
	buf_clear(&before);
	buf_clear(&after);
	return 0;
}
