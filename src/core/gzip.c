/*
 * gzip member writer.  zlib writes the gzip header and trailer itself
 * (windowBits 15 + 16); the stream is ended at every member so that an
 * idle segment holds no deflate state (about 256 KiB each at level 6).
 */
#include "config.h"

#include "core/gzip.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/log.h"
#include "base/xmalloc.h"

#define GZIP_WINDOW_BITS	(15 + 16)	/* 32 KiB window, gzip wrapper */
#define GZIP_MEM_LEVEL		8

struct gzip {
	z_stream	 zs;
	int		 level;
	bool		 is_open;
};

struct gzip *
gzip_new(int level)
{
	struct gzip	*g = xcalloc(1, sizeof *g);

	g->level = level;
	return g;
}

void
gzip_free(struct gzip *g)
{
	if (g == NULL)
		return;
	if (g->is_open)
		deflateEnd(&g->zs);
	free(g);
}

bool
gzip_is_open(const struct gzip *g)
{
	return g->is_open;
}

static void
gzip_run(struct gzip *g, const void *p, size_t n, int flush, struct buf *out)
{
	int	 rc;

	g->zs.next_in = (Bytef *)(uintptr_t)p;
	g->zs.avail_in = (uInt)n;
	do {
		size_t	 room = deflateBound(&g->zs, g->zs.avail_in) + 64;

		g->zs.next_out = (Bytef *)buf_reserve(out, room);
		g->zs.avail_out = (uInt)room;
		rc = deflate(&g->zs, flush);
		if (rc == Z_STREAM_ERROR)
			fatalx("gzip: deflate: stream error");
		out->len += room - g->zs.avail_out;
	} while (g->zs.avail_out == 0 || g->zs.avail_in > 0 ||
	    (flush == Z_FINISH && rc != Z_STREAM_END));
	out->data[out->len] = '\0';
}

void
gzip_write(struct gzip *g, const void *p, size_t n, struct buf *out)
{
	if (n == 0)
		return;
	if (!g->is_open) {
		memset(&g->zs, 0, sizeof g->zs);
		if (deflateInit2(&g->zs, g->level, Z_DEFLATED,
		    GZIP_WINDOW_BITS, GZIP_MEM_LEVEL,
		    Z_DEFAULT_STRATEGY) != Z_OK)
			fatalx("gzip: deflateInit2 failed");
		g->is_open = true;
	}
	/* Input over 4 GiB would overflow avail_in; rows never are. */
	while (n > 0) {
		size_t	 chunk = n > (1U << 30) ? (1U << 30) : n;

		gzip_run(g, p, chunk, Z_NO_FLUSH, out);
		p = (const char *)p + chunk;
		n -= chunk;
	}
}

void
gzip_finish(struct gzip *g, struct buf *out)
{
	if (!g->is_open)
		return;
	gzip_run(g, NULL, 0, Z_FINISH, out);
	deflateEnd(&g->zs);
	g->is_open = false;
}
