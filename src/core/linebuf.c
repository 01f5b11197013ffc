/*
 * Line splitting with a cap.  The partial-line buffer never grows past the
 * cap, so a file without newlines cannot exhaust memory.
 */
#include "config.h"

#include "core/linebuf.h"

#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"

void
linebuf_init(struct linebuf *lb, size_t max)
{
	lb->part = xmalloc(max + 1);
	lb->len = 0;
	lb->max = max;
	lb->skipping = false;
}

void
linebuf_clear(struct linebuf *lb)
{
	free(lb->part);
	lb->part = NULL;
	lb->len = 0;
}

size_t
linebuf_pending(const struct linebuf *lb)
{
	return lb->len;
}

/* Adds [s, s+n) to the partial line; hands it out cut when it overflows. */
static void
linebuf_hold(struct linebuf *lb, const char *s, size_t n, linebuf_cb cb,
    void *arg)
{
	size_t	 room;

	if (lb->skipping)
		return;
	room = lb->max - lb->len;
	if (n <= room) {
		memcpy(lb->part + lb->len, s, n);
		lb->len += n;
		return;
	}
	memcpy(lb->part + lb->len, s, room);
	cb(arg, lb->part, lb->max, true);
	lb->len = 0;
	lb->skipping = true;
}

/* The line that ends at the LF nl, which lies in [s, ...). */
static void
linebuf_end(struct linebuf *lb, const char *s, const char *nl,
    linebuf_cb cb, void *arg)
{
	if (lb->skipping) {
		lb->skipping = false;
	} else if (lb->len > 0) {
		linebuf_hold(lb, s, (size_t)(nl - s), cb, arg);
		if (lb->skipping)
			lb->skipping = false;
		else {
			cb(arg, lb->part, lb->len, false);
			lb->len = 0;
		}
	} else if ((size_t)(nl - s) > lb->max)
		cb(arg, s, lb->max, true);
	else
		cb(arg, s, (size_t)(nl - s), false);
}

void
linebuf_feed(struct linebuf *lb, const char *s, size_t n, linebuf_cb cb,
    void *arg)
{
	const char	*end = s + n, *nl;

	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (nl == NULL) {
			linebuf_hold(lb, s, (size_t)(end - s), cb, arg);
			return;
		}
		linebuf_end(lb, s, nl, cb, arg);
		s = nl + 1;
	}
}

void
linebuf_feed_line(struct linebuf *lb, const char *s, size_t n,
    linebuf_cb cb, void *arg)
{
	linebuf_end(lb, s, s + n - 1, cb, arg);
}

void
linebuf_finish(struct linebuf *lb, linebuf_cb cb, void *arg)
{
	if (lb->len > 0 && !lb->skipping)
		cb(arg, lb->part, lb->len, false);
	lb->len = 0;
	lb->skipping = false;
}
