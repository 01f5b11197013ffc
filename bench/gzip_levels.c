/*
 * What batch.gzip_level costs and saves, zlib against libdeflate: each
 * file of rows is cut the way a segment cuts it (a member per chunk,
 * ending at the first row end at or past 64 KiB) and compressed at zlib
 * levels 1-9 and at the libdeflate level gzip_level_map() picks for
 * each.  Prints, per file and for all of them, each level's bytes and
 * CPU seconds and libdeflate's ratio to zlib.  The evidence behind
 * core/gzip.c's level table.  Usage: gzip_levels FILE...
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libdeflate.h>
#include <zlib.h>

#include "core/gzip.h"

#define GZIP_LEVELS_CHUNK	(64 * 1024)	/* core/segment.c's */

struct gzip_levels_cost {
	double		 bytes;
	double		 secs;
};

static double
gzip_levels_cpu(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The end of the chunk starting at p: a row end at or past the size. */
static size_t
gzip_levels_chunk(const char *p, size_t left)
{
	const char	*nl;

	if (left <= GZIP_LEVELS_CHUNK)
		return left;
	nl = memchr(p + GZIP_LEVELS_CHUNK, '\n', left - GZIP_LEVELS_CHUNK);
	return nl == NULL ? left : (size_t)(nl - p) + 1;
}

static struct gzip_levels_cost
gzip_levels_zlib(const char *data, size_t len, int level, unsigned char *out,
    size_t outlen)
{
	struct gzip_levels_cost c = { 0, 0 };
	z_stream	 zs;
	size_t		 off, n;
	double		 t0;

	memset(&zs, 0, sizeof zs);
	if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		exit(1);
	t0 = gzip_levels_cpu();
	for (off = 0; off < len; off += n) {
		n = gzip_levels_chunk(data + off, len - off);
		deflateReset(&zs);
		zs.next_in = (Bytef *)(uintptr_t)(data + off);
		zs.avail_in = (uInt)n;
		zs.next_out = out;
		zs.avail_out = (uInt)outlen;
		if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
			exit(1);
		c.bytes += (double)(outlen - zs.avail_out);
	}
	c.secs = gzip_levels_cpu() - t0;
	deflateEnd(&zs);
	return c;
}

static struct gzip_levels_cost
gzip_levels_deflate(const char *data, size_t len, int level,
    unsigned char *out, size_t outlen)
{
	struct gzip_levels_cost c = { 0, 0 };
	struct libdeflate_compressor *d = libdeflate_alloc_compressor(level);
	size_t		 off, n;
	double		 t0;

	if (d == NULL)
		exit(1);
	t0 = gzip_levels_cpu();
	for (off = 0; off < len; off += n) {
		n = gzip_levels_chunk(data + off, len - off);
		c.bytes += (double)libdeflate_gzip_compress(d, data + off, n,
		    out, outlen);
	}
	c.secs = gzip_levels_cpu() - t0;
	libdeflate_free_compressor(d);
	return c;
}

static char *
gzip_levels_read(const char *path, size_t *len)
{
	FILE		*fp = fopen(path, "rb");
	char		*data = NULL;
	size_t		 cap = 0, n;

	if (fp == NULL) {
		perror(path);
		exit(1);
	}
	*len = 0;
	do {
		if (*len == cap) {
			cap = cap == 0 ? 1 << 20 : cap * 2;
			if ((data = realloc(data, cap)) == NULL)
				exit(1);
		}
		n = fread(data + *len, 1, cap - *len, fp);
		*len += n;
	} while (n > 0);
	fclose(fp);
	return data;
}

static void
gzip_levels_row(const char *what, int level, struct gzip_levels_cost z,
    struct gzip_levels_cost d)
{
	printf("%-24s %d  zlib %11.0f B %7.2f s   libdeflate %2d %11.0f B "
	    "%7.2f s   size %.3f  cpu %.2f\n", what, level, z.bytes, z.secs,
	    gzip_level_map(level), d.bytes, d.secs, d.bytes / z.bytes,
	    d.secs / z.secs);
}

int
main(int argc, char **argv)
{
	struct gzip_levels_cost all[10][2], z, d;
	size_t		 outlen = 2 * GZIP_LEVELS_CHUNK + 1024 * 1024, len;
	unsigned char	*out = malloc(outlen);
	char		*data;
	int		 i, level;

	if (argc < 2 || out == NULL) {
		fprintf(stderr, "usage: gzip_levels FILE...\n");
		return 2;
	}
	memset(all, 0, sizeof all);
	for (i = 1; i < argc; i++) {
		data = gzip_levels_read(argv[i], &len);
		for (level = 1; level <= 9; level++) {
			z = gzip_levels_zlib(data, len, level, out, outlen);
			d = gzip_levels_deflate(data, len,
			    gzip_level_map(level), out, outlen);
			gzip_levels_row(strrchr(argv[i], '/') != NULL ?
			    strrchr(argv[i], '/') + 1 : argv[i], level, z, d);
			all[level][0].bytes += z.bytes;
			all[level][0].secs += z.secs;
			all[level][1].bytes += d.bytes;
			all[level][1].secs += d.secs;
		}
		free(data);
	}
	for (level = 1; level <= 9; level++)
		gzip_levels_row("all", level, all[level][0], all[level][1]);
	free(out);
	return 0;
}
