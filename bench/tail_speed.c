/*
 * Measures core/tail alone: reads a file from its start through
 * tail_poll() with a callback that only counts, so the figure is the
 * tailer's cost (reads, line splitting, position keeping) without
 * parsing.  Usage: tail_speed FILE [BUDGET]
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/error.h"
#include "core/tail.h"

struct tail_speed {
	uint64_t	 lines;
	uint64_t	 bytes;
	uint64_t	 cut;
};

static void
tail_speed_line(void *arg, const char *line, size_t len, bool truncated)
{
	struct tail_speed	*s = arg;

	(void)line;
	s->lines++;
	s->bytes += len;
	s->cut += truncated;
}

int
main(int argc, char **argv)
{
	struct tail_speed	 s = { 0, 0, 0 };
	struct timespec		 t0, t1;
	struct tail_pos		 p;
	struct error		 err;
	struct tail		*t;
	size_t			 budget;
	ssize_t			 r;
	uint64_t		 total = 0;
	double			 secs;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: tail_speed FILE [BUDGET]\n");
		return 2;
	}
	budget = argc == 3 ? (size_t)strtoull(argv[2], NULL, 10) : 1 << 20;
	if ((t = tail_open(argv[1], NULL, false, 65536, &err)) == NULL) {
		fprintf(stderr, "tail_speed: %s\n", err.msg);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while ((r = tail_poll(t, budget, tail_speed_line, &s, &err)) > 0)
		total += (uint64_t)r;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (r == -1) {
		fprintf(stderr, "tail_speed: %s\n", err.msg);
		return 1;
	}
	tail_pos(t, &p);
	tail_close(t);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%" PRIu64 " bytes, %" PRIu64 " lines (%" PRIu64 " cut), "
	    "position %" PRIu64 ", %.3f s, %.0f MB/s\n", total, s.lines,
	    s.cut, p.offset, secs, (double)total / 1048576 / secs);
	return 0;
}
