/*
 * core/tail: real files in a temp dir, changed between explicit polls the
 * way writers and logrotate change them.  Every test asserts the exact
 * lines handed out and the position a checkpoint would keep.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "core/tail.h"

#include "unit.h"

struct check_tail_out {
	struct buf	 text;		/* "line|\n" or "line|T\n" per line */
	struct tail	*t;		/* to check the position inside cb */
	uint64_t	 last_pos;
};

/* Static storage, reused by every poll: zeroed is an empty buf. */
static struct check_tail_out	 out;

static void
check_tail_collect(void *arg, const char *line, size_t len, bool truncated)
{
	struct check_tail_out	*o = arg;
	struct tail_pos		 p;

	buf_append(&o->text, line, len);
	buf_puts(&o->text, truncated ? "|T\n" : "|\n");
	if (o->t != NULL) {
		tail_pos(o->t, &p);
		o->last_pos = p.offset;
	}
}

/* Polls once with a budget; returns the lines handed out as text. */
static const char *
check_tail_poll(struct tail *t, size_t max, ssize_t *rc)
{
	struct error	 err;
	ssize_t		 r;

	buf_reset(&out.text);
	buf_puts(&out.text, "");
	out.t = t;
	r = tail_poll(t, max, check_tail_collect, &out, &err);
	ck_assert_msg(r >= 0, "tail_poll: %s", err.msg);
	ck_assert_uint_le((size_t)r, max);
	if (rc != NULL)
		*rc = r;
	return out.text.data;
}

/* Polls with budget max until nothing is left; returns all the lines. */
static const char *
check_tail_drain(struct tail *t, size_t max)
{
	static struct buf	 all;
	ssize_t			 rc;
	const char		*got;

	buf_reset(&all);
	buf_puts(&all, "");
	do {
		got = check_tail_poll(t, max, &rc);
		buf_puts(&all, got);
	} while (rc > 0);
	return all.data;
}

static const char *
check_tail_path(const char *name)
{
	static char	 path[4][4096];
	static int	 i;

	i = (i + 1) % 4;
	snprintf(path[i], sizeof path[i], "%s/%s", unit_tmpdir(), name);
	return path[i];
}

static void
check_tail_append(const char *path, const char *text)
{
	int	 fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void
check_tail_put(int fd, const char *text)
{
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
}

static struct tail *
check_tail_open(const char *path, const struct tail_pos *resume, bool end,
    size_t max_line)
{
	struct error	 err;
	struct tail	*t;

	t = tail_open(path, resume, end, max_line, &err);
	ck_assert_msg(t != NULL, "tail_open: %s", err.msg);
	return t;
}

static uint64_t
check_tail_offset(const struct tail *t)
{
	struct tail_pos	 p;

	tail_pos(t, &p);
	return p.offset;
}

static uint64_t
check_tail_ino(const char *path)
{
	struct stat	 st;

	ck_assert_int_eq(stat(path, &st), 0);
	return (uint64_t)st.st_ino;
}

START_TEST(test_tail_append)
{
	const char	*path = check_tail_path("append.log");
	struct tail	*t;
	ssize_t		 rc;

	check_tail_append(path, "a\nbb\n");
	t = check_tail_open(path, NULL, false, 100);
	ck_assert_str_eq(check_tail_poll(t, 1024, &rc), "a|\nbb|\n");
	ck_assert_int_eq(rc, 5);
	ck_assert_uint_eq(out.last_pos, 5);
	ck_assert_uint_eq(check_tail_offset(t), 5);
	ck_assert_str_eq(check_tail_poll(t, 1024, &rc), "");
	ck_assert_int_eq(rc, 0);
	check_tail_append(path, "ccc\n\n");
	ck_assert_str_eq(check_tail_poll(t, 1024, &rc), "ccc|\n|\n");
	ck_assert_int_eq(rc, 5);
	ck_assert_uint_eq(check_tail_offset(t), 10);
	ck_assert_uint_eq(tail_lag(t), 0);
	tail_close(t);
}
END_TEST

START_TEST(test_tail_partial)
{
	const char	*path = check_tail_path("partial.log");
	struct tail	*t;

	check_tail_append(path, "one\ntw");
	t = check_tail_open(path, NULL, false, 100);
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL), "one|\n");
	ck_assert_uint_eq(check_tail_offset(t), 4);
	ck_assert_uint_eq(tail_lag(t), 2);
	check_tail_append(path, "o\nthr");
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL), "two|\n");
	ck_assert_uint_eq(out.last_pos, 8);
	ck_assert_uint_eq(check_tail_offset(t), 8);
	check_tail_append(path, "ee\n");
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL), "three|\n");
	ck_assert_uint_eq(check_tail_offset(t), 14);
	tail_close(t);
}
END_TEST

START_TEST(test_tail_rename)
{
	const char		*path = check_tail_path("rot.log");
	const char		*path1 = check_tail_path("rot.log.1");
	struct tail_stats	 st;
	struct tail_pos		 p;
	struct tail		*t;
	int			 old;

	check_tail_append(path, "a1\na2\n");
	t = check_tail_open(path, NULL, false, 100);
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL), "a1|\na2|\n");
	old = open(path, O_WRONLY | O_APPEND);
	ck_assert_int_ge(old, 0);

	/* The writer still appends to the renamed file. */
	ck_assert_int_eq(rename(path, path1), 0);
	check_tail_put(old, "a3\n");
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL), "a3|\n");
	check_tail_append(path, "");
	check_tail_put(old, "a4\n");
	/* The new file is empty: the old one may still grow. */
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL), "a4|\n");
	tail_pos(t, &p);
	ck_assert_uint_eq(p.ino, check_tail_ino(path1));
	ck_assert_uint_eq(p.offset, 12);
	check_tail_put(old, "a5\npart");
	check_tail_append(path, "b1\n");
	/* Old to its end, its partial last line as a line, then the new. */
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL), "a5|\npart|\nb1|\n");
	tail_pos(t, &p);
	ck_assert_uint_eq(p.ino, check_tail_ino(path));
	ck_assert_uint_eq(p.offset, 3);
	check_tail_put(old, "late\n");
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL), "");
	tail_stats(t, &st);
	ck_assert_uint_eq(st.rotations, 1);
	ck_assert_uint_eq(st.open_files, 1);
	ck_assert_uint_eq(st.lost_bytes, 0);
	close(old);
	tail_close(t);
}
END_TEST

START_TEST(test_tail_rename_budget)
{
	const char	*path = check_tail_path("rotb.log");
	const char	*path1 = check_tail_path("rotb.log.1");
	struct tail	*t;
	int		 old;

	check_tail_append(path, "x1\n");
	t = check_tail_open(path, NULL, false, 100);
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL), "x1|\n");
	old = open(path, O_WRONLY | O_APPEND);
	ck_assert_int_ge(old, 0);
	ck_assert_int_eq(rename(path, path1), 0);
	check_tail_append(path, "y1\ny2\n");
	check_tail_put(old, "x2\nx3\n");
	ck_assert_str_eq(check_tail_drain(t, 4), "x2|\nx3|\ny1|\ny2|\n");
	close(old);
	tail_close(t);
}
END_TEST

START_TEST(test_tail_paused_rotations)
{
	const char		*path = check_tail_path("pause.log");
	const char		*path1 = check_tail_path("pause.log.1");
	const char		*path2 = check_tail_path("pause.log.2");
	struct tail_stats	 st;
	struct tail		*t;
	ssize_t			 rc;

	check_tail_append(path, "a\n");
	t = check_tail_open(path, NULL, false, 100);
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL), "a|\n");
	check_tail_append(path, "b\n");
	/* Paused: polls with no budget still hold every rotated file. */
	ck_assert_int_eq(rename(path, path1), 0);
	check_tail_append(path, "c\n");
	ck_assert_str_eq(check_tail_poll(t, 0, &rc), "");
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(rename(path1, path2), 0);
	ck_assert_int_eq(rename(path, path1), 0);
	check_tail_append(path, "d\n");
	ck_assert_str_eq(check_tail_poll(t, 0, NULL), "");
	ck_assert_int_eq(unlink(path2), 0);
	ck_assert_int_eq(unlink(path1), 0);
	tail_stats(t, &st);
	ck_assert_uint_eq(st.open_files, 3);
	ck_assert_uint_eq(st.lag, 6);
	ck_assert_str_eq(check_tail_drain(t, 1024), "b|\nc|\nd|\n");
	tail_stats(t, &st);
	ck_assert_uint_eq(st.rotations, 2);
	ck_assert_uint_eq(st.lost_bytes, 0);
	ck_assert_uint_eq(st.lag, 0);
	tail_close(t);
}
END_TEST

START_TEST(test_tail_renamed_back)
{
	const char	*path = check_tail_path("back.log");
	const char	*path1 = check_tail_path("back.log.1");
	const char	*other = check_tail_path("back.other");
	struct tail	*t;

	check_tail_append(path, "a\n");
	t = check_tail_open(path, NULL, false, 100);
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL), "a|\n");
	ck_assert_int_eq(rename(path, path1), 0);
	check_tail_append(path, "");
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL), "");
	/* The file being read comes back to the path: no second reading. */
	ck_assert_int_eq(rename(path, other), 0);
	ck_assert_int_eq(rename(path1, path), 0);
	check_tail_append(path, "b\n");
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL), "b|\n");
	ck_assert_uint_eq(check_tail_offset(t), 4);
	tail_close(t);
}
END_TEST

START_TEST(test_tail_copytruncate)
{
	const char		*path = check_tail_path("ct.log");
	struct tail_stats	 st;
	struct tail		*t;

	check_tail_append(path, "l1\nl2\n");
	t = check_tail_open(path, NULL, false, 100);
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL), "l1|\nl2|\n");
	/* Everything was read: nothing lost. */
	ck_assert_int_eq(truncate(path, 0), 0);
	check_tail_append(path, "n1\n");
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL), "n1|\n");
	ck_assert_uint_eq(check_tail_offset(t), 3);
	tail_stats(t, &st);
	ck_assert_uint_eq(st.truncations, 1);
	ck_assert_uint_eq(st.lost_bytes, 0);

	/* Seen but unread when truncated: counted lost. */
	check_tail_append(path, "x1\nx2\nx3");
	ck_assert_str_eq(check_tail_poll(t, 3, NULL), "x1|\n");
	ck_assert_uint_eq(tail_lag(t), 5);
	ck_assert_int_eq(truncate(path, 0), 0);
	check_tail_append(path, "zz\n");
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL), "zz|\n");
	ck_assert_uint_eq(tail_lost_bytes(t), 5);

	/* Truncated and written past the offset again between polls. */
	ck_assert_int_eq(truncate(path, 0), 0);
	check_tail_append(path, "a-longer-line\n");
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL), "a-longer-line|\n");
	tail_stats(t, &st);
	ck_assert_uint_eq(st.truncations, 3);
	ck_assert_uint_eq(st.lost_bytes, 5);
	ck_assert_uint_eq(st.rotations, 0);
	tail_close(t);
}
END_TEST

START_TEST(test_tail_vanish)
{
	const char		*path = check_tail_path("gone.log");
	struct tail_stats	 st;
	struct tail		*t;
	ssize_t			 rc;

	/* Missing at start, even with start_at_end: read from 0 later. */
	t = check_tail_open(path, NULL, true, 100);
	ck_assert_str_eq(check_tail_poll(t, 1024, &rc), "");
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(check_tail_offset(t), 0);
	check_tail_append(path, "first\n");
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL), "first|\n");

	/* Deleted, gone for a while, then back with other content. */
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_str_eq(check_tail_poll(t, 1024, &rc), "");
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(check_tail_poll(t, 1024, &rc), "");
	check_tail_append(path, "second\n");
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL), "second|\n");
	ck_assert_uint_eq(check_tail_offset(t), 7);
	tail_stats(t, &st);
	ck_assert_uint_eq(st.rotations, 1);
	ck_assert_uint_eq(st.open_files, 1);
	tail_close(t);
}
END_TEST

START_TEST(test_tail_inode_reuse)
{
	const char		*path = check_tail_path("reuse.log");
	struct tail_stats	 st;
	struct tail_pos		 p;
	struct tail		*t;
	int			 fd;

	check_tail_append(path, "old1\nold2\n");
	t = check_tail_open(path, NULL, false, 100);
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL), "old1|\nold2|\n");
	tail_pos(t, &p);
	tail_close(t);

	/* Same device and inode, other first bytes: another file. */
	fd = open(path, O_WRONLY | O_TRUNC);
	ck_assert_int_ge(fd, 0);
	check_tail_put(fd, "new1\nnew2\nnew3\n");
	close(fd);
	ck_assert_uint_eq(check_tail_ino(path), p.ino);
	t = check_tail_open(path, &p, true, 100);
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL),
	    "new1|\nnew2|\nnew3|\n");
	tail_stats(t, &st);
	ck_assert_uint_eq(st.lost_files, 1);
	tail_close(t);
}
END_TEST

START_TEST(test_tail_resume)
{
	const char		*path = check_tail_path("resume.log");
	struct tail_stats	 st;
	struct tail_pos		 p;
	struct tail		*t;

	check_tail_append(path, "line1\nline2\nline3\n");
	t = check_tail_open(path, NULL, false, 100);
	/* The budget stops inside line2: the position stays before it. */
	ck_assert_str_eq(check_tail_poll(t, 8, NULL), "line1|\n");
	tail_pos(t, &p);
	ck_assert_uint_eq(p.offset, 6);
	ck_assert_uint_eq(p.fp_len, 18);
	ck_assert_uint_eq(p.ino, check_tail_ino(path));
	tail_close(t);

	check_tail_append(path, "line4\n");
	t = check_tail_open(path, &p, true, 100);
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL),
	    "line2|\nline3|\nline4|\n");
	ck_assert_uint_eq(check_tail_offset(t), 24);
	tail_stats(t, &st);
	ck_assert_uint_eq(st.lost_files, 0);
	tail_close(t);
}
END_TEST

START_TEST(test_tail_resume_rotated)
{
	const char		*path = check_tail_path("rr.log");
	const char		*path1 = check_tail_path("rr.log.1");
	struct tail_stats	 st;
	struct tail_pos		 p;
	struct tail		*t;

	check_tail_append(path, "a\nb\n");
	t = check_tail_open(path, NULL, false, 100);
	ck_assert_str_eq(check_tail_poll(t, 2, NULL), "a|\n");
	tail_pos(t, &p);
	tail_close(t);

	/* Rotated while down; the old file got one more line first. */
	check_tail_append(path, "c\n");
	ck_assert_int_eq(rename(path, path1), 0);
	check_tail_append(path, "d\n");
	t = check_tail_open(path, &p, true, 100);
	ck_assert_str_eq(check_tail_drain(t, 1024), "b|\nc|\nd|\n");
	tail_stats(t, &st);
	ck_assert_uint_eq(st.lost_files, 0);
	ck_assert_uint_eq(st.rotations, 1);
	tail_close(t);

	/* Rotated twice: the file is nowhere; the new one from 0. */
	ck_assert_int_eq(unlink(path1), 0);
	ck_assert_int_eq(rename(path, path1), 0);
	check_tail_append(path, "e\n");
	ck_assert_int_eq(unlink(path1), 0);
	t = check_tail_open(path, &p, true, 100);
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL), "e|\n");
	tail_stats(t, &st);
	ck_assert_uint_eq(st.lost_files, 1);
	tail_close(t);
}
END_TEST

/* Sets a file's modification time to secs since the epoch. */
static void
check_tail_mtime(const char *path, time_t secs)
{
	struct timespec	 ts[2] = { { secs, 0 }, { secs, 0 } };

	ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
}

START_TEST(test_tail_resume_rotated_twice)
{
	char			 path[4096], path1[4096], path2[4096];
	struct tail_stats	 st;
	struct tail_pos		 p;
	struct tail		*t;

	/* Older rotations and files that are no rotations at all. */
	check_tail_append(check_tail_path("r2.log.3"), "old\n");
	check_tail_mtime(check_tail_path("r2.log.3"), 1000);
	check_tail_append(check_tail_path("r2.log.4.gz"), "zz\n");
	check_tail_append(check_tail_path("r2.log.conf"), "conf\n");
	check_tail_append(check_tail_path("r2.log-old"), "x\n");
	/* check_tail_path() reuses four buffers: keep copies. */
	snprintf(path, sizeof path, "%s", check_tail_path("r2.log"));
	snprintf(path1, sizeof path1, "%s", check_tail_path("r2.log.1"));
	snprintf(path2, sizeof path2, "%s", check_tail_path("r2.log.2"));

	check_tail_append(path, "a\nb\n");
	t = check_tail_open(path, NULL, false, 100);
	ck_assert_str_eq(check_tail_poll(t, 2, NULL), "a|\n");
	tail_pos(t, &p);
	tail_close(t);

	/* Down across two rotations: the file is at .2, another at .1. */
	check_tail_mtime(path, 2000);
	ck_assert_int_eq(rename(path, path1), 0);
	check_tail_append(path, "c\n");
	check_tail_mtime(path, 3000);
	ck_assert_int_eq(rename(path1, path2), 0);
	ck_assert_int_eq(rename(path, path1), 0);
	check_tail_append(path, "d\n");
	t = check_tail_open(path, &p, true, 100);
	ck_assert_str_eq(check_tail_drain(t, 1024), "b|\nc|\nd|\n");
	tail_stats(t, &st);
	ck_assert_uint_eq(st.lost_files, 0);
	ck_assert_uint_eq(st.rotations, 2);
	tail_close(t);
}
END_TEST

START_TEST(test_tail_resume_copied)
{
	const char	*path = check_tail_path("cp.log");
	const char	*path1 = check_tail_path("cp.log.1");
	struct buf	 all, want;
	struct tail_pos	 p;
	struct tail	*t;
	char		 line[64];
	int		 i;

	buf_init(&all);
	buf_init(&want);
	for (i = 0; i < 20; i++) {
		snprintf(line, sizeof line, "line %02d of the first file\n", i);
		buf_puts(&all, line);
		if (i > 0)
			buf_printf(&want, "line %02d of the first file|\n", i);
	}
	buf_puts(&want, "after|\n");
	check_tail_append(path, all.data);
	t = check_tail_open(path, NULL, false, 100);
	ck_assert_str_eq(check_tail_poll(t, 26, NULL),
	    "line 00 of the first file|\n");
	tail_pos(t, &p);
	ck_assert_uint_eq(p.fp_len, TAIL_FP_MAX);
	tail_close(t);

	/* copytruncate while down: path.1 is a copy with another inode. */
	check_tail_append(path1, all.data);
	ck_assert_int_eq(truncate(path, 0), 0);
	check_tail_append(path, "after\n");
	t = check_tail_open(path, &p, true, 100);
	ck_assert_str_eq(check_tail_drain(t, 1024), want.data);
	tail_close(t);
	buf_clear(&all);
	buf_clear(&want);
}
END_TEST

START_TEST(test_tail_start_at_end)
{
	const char	*path = check_tail_path("end.log");
	struct tail	*t;

	check_tail_append(path, "a\nb\npart");
	t = check_tail_open(path, NULL, true, 100);
	ck_assert_uint_eq(check_tail_offset(t), 4);
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL), "");
	check_tail_append(path, "ial\nc\n");
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL), "partial|\nc|\n");
	tail_close(t);

	t = check_tail_open(path, NULL, false, 100);
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL),
	    "a|\nb|\npartial|\nc|\n");
	tail_close(t);
}
END_TEST

START_TEST(test_tail_long_line)
{
	const char	*path = check_tail_path("long.log");
	struct tail	*t;
	size_t		 step;

	check_tail_append(path, "0123456789abc");
	t = check_tail_open(path, NULL, false, 8);
	/* Cut, but not handed out before its LF: the position stays. */
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL), "");
	ck_assert_uint_eq(check_tail_offset(t), 0);
	check_tail_append(path, "def\nok\n12345678\n");
	ck_assert_str_eq(check_tail_poll(t, 1024, NULL),
	    "01234567|T\nok|\n12345678|\n");
	ck_assert_uint_eq(check_tail_offset(t), 29);
	tail_close(t);

	for (step = 1; step <= 10; step++) {
		t = check_tail_open(path, NULL, false, 8);
		ck_assert_str_eq(check_tail_drain(t, step),
		    "01234567|T\nok|\n12345678|\n");
		ck_assert_uint_eq(check_tail_offset(t), 29);
		tail_close(t);
	}
}
END_TEST

START_TEST(test_tail_budget)
{
	const char	*path = check_tail_path("budget.log");
	struct buf	 want;
	struct tail	*t;
	char		 line[32];
	ssize_t		 rc;
	size_t		 total = 0;
	int		 i, polls = 0;

	buf_init(&want);
	for (i = 0; i < 1000; i++) {
		snprintf(line, sizeof line, "row %d\n", i);
		check_tail_append(path, line);
		buf_printf(&want, "row %d|\n", i);
	}
	t = check_tail_open(path, NULL, false, 100);
	do {
		(void)check_tail_poll(t, 100, &rc);
		total += (size_t)rc;
		polls++;
	} while (rc > 0);
	ck_assert_uint_eq(total, 7890);
	ck_assert_int_eq(polls, 80);
	tail_close(t);
	t = check_tail_open(path, NULL, false, 100);
	ck_assert_str_eq(check_tail_drain(t, 7), want.data);
	tail_close(t);
	buf_clear(&want);
}
END_TEST

START_TEST(test_tail_errors)
{
	struct error	 err;
	struct tail	*t;

	t = tail_open(unit_tmpdir(), NULL, false, 100, &err);
	ck_assert_ptr_null(t);
	ck_assert_int_eq(err.code, ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, ": not a regular file"));
	t = tail_open("x", NULL, false, 0, &err);
	ck_assert_ptr_null(t);
	ck_assert_str_eq(err.msg, "x: line limit is 0");
}
END_TEST

Suite *
unit_suite(void)
{
	Suite	*s = suite_create("tail");
	TCase	*tc = tcase_create("tail");

	tcase_add_test(tc, test_tail_append);
	tcase_add_test(tc, test_tail_partial);
	tcase_add_test(tc, test_tail_rename);
	tcase_add_test(tc, test_tail_rename_budget);
	tcase_add_test(tc, test_tail_paused_rotations);
	tcase_add_test(tc, test_tail_renamed_back);
	tcase_add_test(tc, test_tail_copytruncate);
	tcase_add_test(tc, test_tail_vanish);
	tcase_add_test(tc, test_tail_inode_reuse);
	tcase_add_test(tc, test_tail_resume);
	tcase_add_test(tc, test_tail_resume_rotated);
	tcase_add_test(tc, test_tail_resume_rotated_twice);
	tcase_add_test(tc, test_tail_resume_copied);
	tcase_add_test(tc, test_tail_start_at_end);
	tcase_add_test(tc, test_tail_long_line);
	tcase_add_test(tc, test_tail_budget);
	tcase_add_test(tc, test_tail_errors);
	suite_add_tcase(s, tc);
	return s;
}
