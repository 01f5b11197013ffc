/*
 * Test driver for core/tail: follows PATH by polling and appends every
 * line to OUT, keeping a checkpoint the way barged does (output first,
 * then the position with the output's length, replaced atomically).  A
 * restart cuts OUT back to the checkpointed length and resumes the input,
 * so kill -9 at any instant must give neither loss nor duplicate.  Exits
 * once STOP exists and everything is read; prints the counters to stderr.
 * With -s, STATUS shows the rotations seen and the files held, rewritten
 * when they change, so a test can wait for the follower to notice.
 *
 * Usage: tailf [-b budget] [-s STATUS] CKPT OUT PATH STOP
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/fsio.h"
#include "core/tail.h"

static void
tailf_line(void *arg, const char *line, size_t len, bool truncated)
{
	struct buf	*out = arg;

	if (truncated)
		buf_puts(out, "CUT:");
	buf_append(out, line, len);
	buf_putc(out, '\n');
}

static void
tailf_die(const char *what, const struct error *err)
{
	fprintf(stderr, "tailf: %s: %s\n", what, err->msg);
	exit(1);
}

int
main(int argc, char **argv)
{
	const struct timespec	 nap = { 0, 2 * 1000 * 1000 };
	const char		*status = NULL;
	struct tail_stats	 st, shown = { 0, 0, 0, 0, 0, 0 };
	struct tail_pos		 p, *resume = NULL;
	struct error		 err;
	struct tail		*t;
	struct buf		 lines, ck;
	uint64_t		 outlen = 0;
	size_t			 budget = 65536;
	ssize_t			 r;
	int			 c, fd;

	while ((c = getopt(argc, argv, "b:s:")) != -1) {
		if (c == 'b')
			budget = (size_t)strtoull(optarg, NULL, 10);
		else if (c == 's')
			status = optarg;
		else
			return 2;
	}
	argc -= optind;
	argv += optind;
	if (argc != 4) {
		fprintf(stderr, "usage: tailf [-b budget] [-s STATUS] CKPT OUT "
		    "PATH STOP\n");
		return 2;
	}
	buf_init(&lines);
	buf_init(&ck);
	if (fsio_read_file(argv[0], &ck, &err) == 0) {
		if (sscanf(ck.data, "%" SCNu64 " %" SCNu64 " %" SCNu64 " %"
		    SCNu32 " %" SCNu64 " %" SCNu64, &p.dev, &p.ino,
		    &p.fp_hash, &p.fp_len, &p.offset, &outlen) != 6) {
			fprintf(stderr, "tailf: %s: bad checkpoint\n", argv[0]);
			return 1;
		}
		resume = &p;
	} else if (err.code != ERR_NOTFOUND)
		tailf_die(argv[0], &err);
	if ((fd = open(argv[1], O_WRONLY | O_CREAT, 0644)) == -1 ||
	    ftruncate(fd, (off_t)outlen) == -1 ||
	    lseek(fd, 0, SEEK_END) == -1) {
		fprintf(stderr, "tailf: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	/* A never-seen file is read from its start here. */
	if ((t = tail_open(argv[2], resume, false, 1000, &err)) == NULL)
		tailf_die(argv[2], &err);
	for (;;) {
		buf_reset(&lines);
		if ((r = tail_poll(t, budget, tailf_line, &lines, &err)) == -1)
			tailf_die(argv[2], &err);
		tail_stats(t, &st);
		if (status != NULL && (st.rotations != shown.rotations ||
		    st.open_files != shown.open_files)) {
			buf_reset(&ck);
			buf_printf(&ck, "rotations=%" PRIu64 " open_files=%u\n",
			    st.rotations, st.open_files);
			if (fsio_write_file_atomic(status, ck.data, ck.len,
			    &err) == -1)
				tailf_die(status, &err);
			shown = st;
		}
		if (lines.len > 0) {
			if (fsio_write_full(fd, lines.data, lines.len,
			    &err) == -1)
				tailf_die(argv[1], &err);
			outlen += lines.len;
		}
		if (r > 0 || lines.len > 0) {
			tail_pos(t, &p);
			buf_reset(&ck);
			buf_printf(&ck, "%" PRIu64 " %" PRIu64 " %" PRIu64 " %"
			    PRIu32 " %" PRIu64 " %" PRIu64 "\n", p.dev, p.ino,
			    p.fp_hash, p.fp_len, p.offset, outlen);
			if (fsio_write_file_atomic(argv[0], ck.data, ck.len,
			    &err) == -1)
				tailf_die(argv[0], &err);
			continue;
		}
		if (access(argv[3], F_OK) == 0 && st.lag == 0 &&
		    st.open_files <= 1)
			break;
		nanosleep(&nap, NULL);
	}
	fprintf(stderr, "rotations=%" PRIu64 " truncations=%" PRIu64
	    " lost_bytes=%" PRIu64 " lost_files=%" PRIu64 "\n", st.rotations,
	    st.truncations, st.lost_bytes, st.lost_files);
	tail_close(t);
	close(fd);
	buf_clear(&lines);
	buf_clear(&ck);
	return 0;
}
