/*
 * gzip member compressor.  libdeflate compresses a whole buffer at once,
 * header and trailer included, which is exactly a member per chunk; it
 * takes about half the cycles of zlib's deflate for a smaller member.
 * The compressor (a few hundred KiB) is allocated once and reused.
 */
#include "config.h"

#include "core/gzip.h"

#include <stdlib.h>

#include <libdeflate.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/xmalloc.h"

struct gzip {
	struct libdeflate_compressor	*c;
	struct buf			 out;
};

/*
 * batch.gzip_level keeps zlib's scale (1 fastest, 9 smallest).  Each
 * level maps to a libdeflate level that, on every message type of the
 * benchmark's rows in 64 KiB members, compresses at least as small as
 * zlib did at that level, in 46-93% of its CPU overall
 * (bench/gzip-levels); the table keeps the scale spread rather than
 * folding the low levels onto libdeflate's 1.  libdeflate's 9-12 cost
 * 1.3-3 times zlib -9 for 1-4% less.
 */
static const int gzip_levels[10] = { 0, 1, 2, 2, 3, 5, 5, 7, 8, 8 };

int
gzip_level_map(int level)
{
	if (level < 1 || level > 9)
		fatalx("gzip: level %d out of 1-9", level);
	return gzip_levels[level];
}

struct gzip *
gzip_new(int level)
{
	struct gzip	*g = xcalloc(1, sizeof *g);

	if ((g->c = libdeflate_alloc_compressor(gzip_level_map(level))) ==
	    NULL)
		fatalx("gzip: cannot allocate a compressor (level %d)", level);
	buf_init(&g->out);
	return g;
}

void
gzip_free(struct gzip *g)
{
	if (g == NULL)
		return;
	libdeflate_free_compressor(g->c);
	buf_clear(&g->out);
	free(g);
}

const char *
gzip_member(struct gzip *g, const void *p, size_t n, size_t *outlen)
{
	size_t	 room = libdeflate_gzip_compress_bound(g->c, n);

	buf_reset(&g->out);
	/* The bound makes the whole member fit: 0 would be a bug. */
	if ((g->out.len = libdeflate_gzip_compress(g->c, p, n,
	    buf_reserve(&g->out, room), room)) == 0)
		fatalx("gzip: %zu bytes did not fit in %zu", n, room);
	*outlen = g->out.len;
	return g->out.data;
}

const char *
gzip_deflate(struct gzip *g, const void *p, size_t n, size_t *outlen)
{
	size_t	 room = libdeflate_deflate_compress_bound(g->c, n);

	buf_reset(&g->out);
	if ((g->out.len = libdeflate_deflate_compress(g->c, p, n,
	    buf_reserve(&g->out, room), room)) == 0)
		fatalx("gzip: %zu bytes did not fit in %zu", n, room);
	*outlen = g->out.len;
	return g->out.data;
}
