/*
 * zlib's inflate with the gzip wrapper; at the end of each member the
 * stream is reset for the next one, as zcat does.
 */
#include "config.h"

#include "core/gzcount.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/log.h"
#include "base/xmalloc.h"

#define GZCOUNT_OUT	(256 * 1024)

struct gzcount {
	z_stream	 zs;
	unsigned char	*out;
	uint64_t	 rows;
	uint64_t	 fed;
	int		 in_member;	/* a member started and not ended */
};

struct gzcount *
gzcount_new(void)
{
	struct gzcount	*g = xcalloc(1, sizeof *g);

	if (inflateInit2(&g->zs, 15 + 16) != Z_OK)
		fatalx("gzcount: inflateInit2 failed");
	g->out = xmalloc(GZCOUNT_OUT);
	return g;
}

void
gzcount_free(struct gzcount *g)
{
	if (g == NULL)
		return;
	inflateEnd(&g->zs);
	free(g->out);
	free(g);
}

static void
gzcount_lines(struct gzcount *g, const unsigned char *p, size_t n)
{
	const unsigned char *end = p + n;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		g->rows++;
		p++;
	}
}

int
gzcount_feed(struct gzcount *g, const void *data, size_t n,
    struct error *err)
{
	int	 zr;

	g->zs.next_in = (unsigned char *)(uintptr_t)data;
	g->zs.avail_in = (uInt)n;
	while (g->zs.avail_in > 0) {
		g->in_member = 1;
		g->zs.next_out = g->out;
		g->zs.avail_out = GZCOUNT_OUT;
		zr = inflate(&g->zs, Z_NO_FLUSH);
		gzcount_lines(g, g->out, GZCOUNT_OUT - g->zs.avail_out);
		if (zr == Z_STREAM_END) {
			g->in_member = 0;
			if (inflateReset(&g->zs) != Z_OK)
				return error_set(err, ERR_INPUT, "gzip: reset "
				    "failed");
		} else if (zr != Z_OK && zr != Z_BUF_ERROR)
			return error_set(err, ERR_INPUT, "not gzip: %s at "
			    "byte %llu", g->zs.msg != NULL ? g->zs.msg :
			    "inflate failed", (unsigned long long)(g->fed + n -
			    g->zs.avail_in));
	}
	g->fed += n;
	return 0;
}

int
gzcount_finish(struct gzcount *g, uint64_t *rows, struct error *err)
{
	if (g->in_member)
		return error_set(err, ERR_INPUT, "gzip: cut short after %llu "
		    "bytes", (unsigned long long)g->fed);
	*rows = g->rows;
	return 0;
}
