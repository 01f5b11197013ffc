/*
 * gzip member compressor.  zlib writes the gzip header and trailer itself
 * (windowBits 15 + 16); deflateReset() starts each member without
 * reallocating the 256 KiB of deflate state.
 */
#include "config.h"

#include "core/gzip.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/xmalloc.h"

#define GZIP_WINDOW_BITS	(15 + 16)	/* 32 KiB window, gzip wrapper */
#define GZIP_MEM_LEVEL		8

struct gzip {
	z_stream	 zs;
	struct buf	 out;
};

struct gzip *
gzip_new(int level)
{
	struct gzip	*g = xcalloc(1, sizeof *g);

	if (deflateInit2(&g->zs, level, Z_DEFLATED, GZIP_WINDOW_BITS,
	    GZIP_MEM_LEVEL, Z_DEFAULT_STRATEGY) != Z_OK)
		fatalx("gzip: deflateInit2 failed (level %d)", level);
	buf_init(&g->out);
	return g;
}

void
gzip_free(struct gzip *g)
{
	if (g == NULL)
		return;
	deflateEnd(&g->zs);
	buf_clear(&g->out);
	free(g);
}

const char *
gzip_member(struct gzip *g, const void *p, size_t n, size_t *outlen)
{
	size_t	 room;
	int	 rc;

	/* Rows are buffered in chunks far below 4 GiB (avail_in is 32 bits). */
	if (n > UINT32_MAX / 2)
		fatalx("gzip: %zu bytes in one member", n);
	if (deflateReset(&g->zs) != Z_OK)
		fatalx("gzip: deflateReset failed");
	buf_reset(&g->out);
	room = deflateBound(&g->zs, (uLong)n) + 32;
	g->zs.next_in = (Bytef *)(uintptr_t)p;
	g->zs.avail_in = (uInt)n;
	g->zs.next_out = (Bytef *)buf_reserve(&g->out, room);
	g->zs.avail_out = (uInt)room;
	/* deflateBound makes the whole member fit: one call finishes it. */
	if ((rc = deflate(&g->zs, Z_FINISH)) != Z_STREAM_END)
		fatalx("gzip: deflate: %d", rc);
	g->out.len = room - g->zs.avail_out;
	*outlen = g->out.len;
	return g->out.data;
}
