/*
 * Following one file.  The open files form a short queue: files[0] is the
 * one being read; newer ones found at the path wait behind it, held open so
 * that rotating them away cannot lose them.  files[0] is finished (its last
 * partial line handed out, its fd closed) only once a newer file holds
 * data, because a writer keeps appending to a renamed file until it is told
 * to reopen.
 *
 * Positions: rd is the next byte to read, pos the byte after the last line
 * handed out.  Lines are fed to linebuf one LF at a time so that the end
 * offset of every line handed out is known exactly; a cut line is held back
 * until its LF is read, so pos never points into the middle of a line.
 */
#include "config.h"

#include "core/tail.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cdefs.h"
#include "base/xmalloc.h"
#include "core/linebuf.h"

#define TAIL_FILES_MAX	8	/* the file being read and newer ones */
#define TAIL_CHUNK	65536	/* bytes per read */

struct tail_file {
	int		 fd;
	uint64_t	 dev;
	uint64_t	 ino;
	unsigned char	 fp[TAIL_FP_MAX];
	uint32_t	 fp_len;
	uint64_t	 rd;		/* next byte to read */
	uint64_t	 pos;		/* after the last line handed out */
	uint64_t	 size;		/* when last looked at */
};

struct tail {
	char		*path;
	char		*path1;		/* path.1 */
	struct tail_file files[TAIL_FILES_MAX];
	unsigned int	 nfiles;
	struct linebuf	 lb;		/* the partial line of files[0] */
	char		*cut;		/* a cut line waiting for its LF */
	size_t		 cut_len;
	bool		 cut_pending;
	char		*chunk;

	/* Set for the duration of one feed. */
	tail_line_cb	 cb;
	void		*arg;
	bool		 at_lf;		/* the fed bytes end with a LF */
	uint64_t	 line_end;	/* offset just after that LF */

	uint64_t	 rotations;
	uint64_t	 truncations;
	uint64_t	 lost_bytes;
	uint64_t	 lost_files;
};

static uint64_t
tail_hash(const unsigned char *p, size_t n)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;

	while (n-- > 0) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static ssize_t
tail_pread(int fd, void *p, size_t n, uint64_t off)
{
	ssize_t	 r;

	do
		r = pread(fd, p, n, (off_t)off);
	while (r == -1 && errno == EINTR);
	return r;
}

/* Reads up to n bytes at off, stopping early only at end of file. */
static ssize_t
tail_pread_full(int fd, void *p, size_t n, uint64_t off)
{
	size_t	 got = 0;
	ssize_t	 r;

	while (got < n) {
		r = tail_pread(fd, (char *)p + got, n - got, off + got);
		if (r == -1)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/*
 * Fstats f and reads its first bytes.  Returns 1 if they differ from the
 * fingerprint held (the file was rewritten in place), 0 if they agree (the
 * fingerprint then grows with the file), -1 on error.  *size gets the size.
 */
static int
tail_file_look(struct tail_file *f, uint64_t *size, struct error *err)
{
	unsigned char	 fp[TAIL_FP_MAX];
	struct stat	 st;
	ssize_t		 got;
	size_t		 n;

	if (fstat(f->fd, &st) == -1)
		return error_sys(err, "fstat");
	*size = (uint64_t)st.st_size;
	n = *size < TAIL_FP_MAX ? (size_t)*size : TAIL_FP_MAX;
	if ((got = tail_pread_full(f->fd, fp, n, 0)) == -1)
		return error_sys(err, "read");
	n = (size_t)got;
	if (memcmp(fp, f->fp, MIN(n, f->fp_len)) != 0)
		return 1;
	if (n > f->fp_len) {
		memcpy(f->fp, fp, n);
		f->fp_len = (uint32_t)n;
	}
	return 0;
}

/* Opens path into f.  Returns 1, 0 if there is no such file, or -1. */
static int
tail_file_open(const char *path, struct tail_file *f, struct error *err)
{
	struct stat	 st;
	uint64_t	 size;

	memset(f, 0, sizeof *f);
	if ((f->fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		return error_sys(err, "%s", path);
	}
	if (fstat(f->fd, &st) == -1) {
		error_sys(err, "fstat %s", path);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		error_set(err, ERR_INPUT, "%s: not a regular file", path);
		goto fail;
	}
	f->dev = (uint64_t)st.st_dev;
	f->ino = (uint64_t)st.st_ino;
	if (tail_file_look(f, &size, err) == -1) {
		error_prefix(err, "%s", path);
		goto fail;
	}
	f->size = size;
	return 1;
fail:
	close(f->fd);
	f->fd = -1;
	return -1;
}

/* Whether f is the file a checkpoint names (by fingerprint alone if !ino). */
static bool
tail_file_is(const struct tail_file *f, const struct tail_pos *p, bool ino)
{
	if (ino && (f->dev != p->dev || f->ino != p->ino))
		return false;
	if (f->fp_len < p->fp_len || f->size < p->offset)
		return false;
	return tail_hash(f->fp, p->fp_len) == p->fp_hash;
}

/* The start of the partial last line of f, or its end if it has none. */
static uint64_t
tail_file_last_line(struct tail *t, const struct tail_file *f)
{
	uint64_t	 start;
	ssize_t		 got;

	if (f->size == 0)
		return 0;
	start = f->size > TAIL_CHUNK ? f->size - TAIL_CHUNK : 0;
	got = tail_pread_full(f->fd, t->chunk, (size_t)(f->size - start),
	    start);
	while (got > 0) {
		if (t->chunk[got - 1] == '\n')
			return start + (uint64_t)got;
		got--;
	}
	/* No LF in the last chunk: a huge line; start after it. */
	return start == 0 ? 0 : f->size;
}

static void
tail_push(struct tail *t, const struct tail_file *f)
{
	t->files[t->nfiles++] = *f;
}

static void
tail_discard(void *arg UNUSED, const char *line UNUSED, size_t len UNUSED,
    bool truncated UNUSED)
{
}

/* linebuf's callback: hands a line out once its end offset is known. */
static void
tail_line(void *arg, const char *line, size_t len, bool truncated)
{
	struct tail	*t = arg;

	if (!t->at_lf) {
		/* A cut line whose LF is still to come: hold it back. */
		memcpy(t->cut, line, len);
		t->cut_len = len;
		t->cut_pending = true;
		return;
	}
	t->files[0].pos = t->line_end;
	t->cb(t->arg, line, len, truncated);
}

/* Splits n bytes read from files[0] at its rd into lines. */
static void
tail_feed(struct tail *t, const char *buf, size_t n)
{
	struct tail_file	*f = &t->files[0];
	const char		*s = buf, *end = buf + n, *nl;

	while (s < end) {
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL) {
			t->at_lf = false;
			linebuf_feed(&t->lb, s, (size_t)(end - s), tail_line,
			    t);
			return;
		}
		t->at_lf = true;
		t->line_end = f->rd + (uint64_t)(nl + 1 - buf);
		linebuf_feed_line(&t->lb, s, (size_t)(nl + 1 - s), tail_line,
		    t);
		if (t->cut_pending) {
			t->cut_pending = false;
			f->pos = t->line_end;
			t->cb(t->arg, t->cut, t->cut_len, true);
		}
		f->pos = t->line_end;
		s = nl + 1;
	}
}

/* Forgets the partial line of files[0] without handing it out. */
static void
tail_drop_partial(struct tail *t)
{
	t->cut_pending = false;
	linebuf_finish(&t->lb, tail_discard, NULL);
}

/* files[0] is done: hands out its partial last line and closes it. */
static void
tail_finish(struct tail *t)
{
	struct tail_file	*f = &t->files[0];

	t->at_lf = true;
	t->line_end = f->rd;
	if (t->cut_pending) {
		t->cut_pending = false;
		f->pos = f->rd;
		t->cb(t->arg, t->cut, t->cut_len, true);
	}
	linebuf_finish(&t->lb, tail_line, t);
	f->pos = f->rd;
	close(f->fd);
	t->nfiles--;
	memmove(&t->files[0], &t->files[1], t->nfiles * sizeof t->files[0]);
}

/*
 * The newest file was truncated or rewritten in place: what was seen but
 * not handed out is lost, and reading starts again at 0.
 */
static void
tail_truncated(struct tail *t, struct tail_file *f)
{
	uint64_t	 seen = MAX(f->size, f->rd);

	t->truncations++;
	t->lost_bytes += seen - f->pos;
	if (f == &t->files[0])
		tail_drop_partial(t);
	f->rd = f->pos = 0;
	f->fp_len = 0;
}

/* Looks at the path: truncation of the newest file, or a new file. */
static int
tail_scan(struct tail *t, struct error *err)
{
	struct tail_file	*n = NULL, nf;
	struct stat		 st;
	uint64_t		 size;
	unsigned int		 i;
	int			 r;

	if (stat(t->path, &st) == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		return error_sys(err, "%s", t->path);
	}
	if (t->nfiles > 0) {
		n = &t->files[t->nfiles - 1];
		if ((uint64_t)st.st_dev == n->dev &&
		    (uint64_t)st.st_ino == n->ino) {
			if ((r = tail_file_look(n, &size, err)) == -1) {
				error_prefix(err, "%s", t->path);
				return -1;
			}
			if (r == 1 || size < n->rd) {
				tail_truncated(t, n);
				if (tail_file_look(n, &size, err) == -1) {
					error_prefix(err, "%s", t->path);
					return -1;
				}
			}
			n->size = size;
			return 0;
		}
		/* An older file renamed back is not read twice. */
		for (i = 0; i + 1 < t->nfiles; i++)
			if ((uint64_t)st.st_dev == t->files[i].dev &&
			    (uint64_t)st.st_ino == t->files[i].ino)
				return 0;
		/* Hold no more; the next look after a switch finds it. */
		if (t->nfiles == TAIL_FILES_MAX)
			return 0;
	}
	if ((r = tail_file_open(t->path, &nf, err)) <= 0)
		return r;
	if (n != NULL && nf.dev == n->dev && nf.ino == n->ino) {
		/* Renamed back between the stat and the open. */
		close(nf.fd);
		return 0;
	}
	if (n != NULL)
		t->rotations++;
	tail_push(t, &nf);
	return 0;
}

/* Whether a file newer than files[0] holds data. */
static bool
tail_newer_has_data(const struct tail *t)
{
	struct stat	 st;
	unsigned int	 i;

	for (i = 1; i < t->nfiles; i++)
		if (fstat(t->files[i].fd, &st) == 0 && st.st_size > 0)
			return true;
	return false;
}

/*
 * Whether name is a rotated sibling of base as logrotate names them:
 * base.N (numbered) or base-DIGITS (dateext, digits and '-').  Compressed
 * ones (base.2.gz) do not qualify: they cannot be read as text.
 */
static bool
tail_is_rotated_name(const char *name, const char *base)
{
	size_t		 n = strlen(base);
	const char	*p;

	if (strncmp(name, base, n) != 0 || (name[n] != '.' && name[n] != '-'))
		return false;
	p = name + n + 1;
	if (*p < '0' || *p > '9')
		return false;
	for (; *p != '\0'; p++)
		if ((*p < '0' || *p > '9') && !(name[n] == '-' && *p == '-'))
			return false;
	return true;
}

struct tail_sibling {
	struct tail_file	 f;
	struct timespec		 mtime;
};

static int
tail_sibling_cmp(const void *a, const void *b)
{
	const struct tail_sibling *x = a, *y = b;

	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
	return 0;
}

/*
 * The checkpointed file is neither at the path nor at path.1: it was
 * rotated more than once while we were down.  Look for it among the
 * rotated siblings; when found, queue it at its offset followed by every
 * sibling written to after it (oldest first), so the files rotated in
 * between are read too.  Returns 1 if found, 0 if not, -1 on error.
 */
static int
tail_find_rotated(struct tail *t, const struct tail_pos *resume,
    const struct tail_file *cur, bool has_cur, struct error *err)
{
	struct tail_sibling	 sib[32];
	struct dirent		*d;
	struct stat		 st;
	char			*copy = xstrdup(t->path), *copy2 = xstrdup(t->path);
	char			*dir = dirname(copy), *base = basename(copy2);
	char			*p;
	DIR			*dp;
	size_t			 n = 0, i, found = SIZE_MAX;
	int			 rc = 0;

	if ((dp = opendir(dir)) == NULL) {
		free(copy);
		free(copy2);
		return 0;	/* no folder, no siblings */
	}
	while ((d = readdir(dp)) != NULL && n < nitems(sib)) {
		if (!tail_is_rotated_name(d->d_name, base))
			continue;
		p = xasprintf("%s/%s", dir, d->d_name);
		if (tail_file_open(p, &sib[n].f, err) == 1) {
			if (fstat(sib[n].f.fd, &st) == 0 && !(has_cur &&
			    sib[n].f.dev == cur->dev &&
			    sib[n].f.ino == cur->ino)) {
				sib[n].mtime = st.st_mtim;
				n++;
			} else
				close(sib[n].f.fd);
		}
		free(p);
	}
	closedir(dp);
	free(copy);
	free(copy2);
	if (n > 0)
		qsort(sib, n, sizeof *sib, tail_sibling_cmp);
	for (i = 0; i < n && found == SIZE_MAX; i++)
		if (tail_file_is(&sib[i].f, resume, true) ||
		    (resume->fp_len == TAIL_FP_MAX &&
		    tail_file_is(&sib[i].f, resume, false)))
			found = i;
	for (i = 0; i < n; i++) {
		/* Room stays for the file at the path. */
		if (found != SIZE_MAX && i >= found &&
		    t->nfiles < TAIL_FILES_MAX - 1) {
			if (i == found)
				sib[i].f.rd = sib[i].f.pos = resume->offset;
			tail_push(t, &sib[i].f);
			t->rotations++;
			rc = 1;
		} else
			close(sib[i].f.fd);
	}
	return rc;
}

struct tail *
tail_open(const char *path, const struct tail_pos *resume, bool start_at_end,
    size_t max_line, struct error *err)
{
	struct tail		*t;
	struct tail_file	 f, g;
	int			 r, r1;

	if (max_line == 0) {
		error_set(err, ERR_INPUT, "%s: line limit is 0", path);
		return NULL;
	}
	t = xcalloc(1, sizeof *t);
	t->path = xstrdup(path);
	t->path1 = xasprintf("%s.1", path);
	t->cut = xmalloc(max_line);
	t->chunk = xmalloc(TAIL_CHUNK);
	linebuf_init(&t->lb, max_line);

	if ((r = tail_file_open(path, &f, err)) == -1)
		goto fail;
	if (resume == NULL) {
		if (r == 1 && start_at_end)
			f.rd = f.pos = tail_file_last_line(t, &f);
	} else if (resume->ino != 0 && r == 1 && tail_file_is(&f, resume,
	    true))
		f.rd = f.pos = resume->offset;
	else if (resume->ino != 0) {
		/*
		 * Not at the path: look at path.1.  A copy left by
		 * copytruncate has another inode, so a full fingerprint
		 * alone is trusted there.
		 */
		if ((r1 = tail_file_open(t->path1, &g, err)) == -1) {
			if (r == 1)
				close(f.fd);
			goto fail;
		}
		if (r1 == 1 && (tail_file_is(&g, resume, true) ||
		    (resume->fp_len == TAIL_FP_MAX &&
		    tail_file_is(&g, resume, false))) &&
		    (r == 0 || g.dev != f.dev || g.ino != f.ino)) {
			g.rd = g.pos = resume->offset;
			tail_push(t, &g);
			if (r == 1)
				t->rotations++;
		} else {
			if (r1 == 1)
				close(g.fd);
			if (tail_find_rotated(t, resume, &f, r == 1, err) == 0)
				t->lost_files++;
		}
	}
	if (r == 1)
		tail_push(t, &f);
	return t;
fail:
	tail_close(t);
	return NULL;
}

ssize_t
tail_poll(struct tail *t, size_t max_bytes, tail_line_cb cb, void *arg,
    struct error *err)
{
	struct tail_file	*f;
	size_t			 total = 0;
	ssize_t			 got;
	uint64_t		 size;
	unsigned int		 i;

	t->cb = cb;
	t->arg = arg;
	if (tail_scan(t, err) == -1)
		return -1;
	while (t->nfiles > 0 && total < max_bytes) {
		f = &t->files[0];
		got = tail_pread(f->fd, t->chunk,
		    MIN(TAIL_CHUNK, max_bytes - total), f->rd);
		if (got == -1)
			return error_sys(err, "read %s", t->path);
		if (got > 0) {
			tail_feed(t, t->chunk, (size_t)got);
			f->rd += (uint64_t)got;
			total += (size_t)got;
			continue;
		}
		if (t->nfiles == 1 || !tail_newer_has_data(t))
			break;
		tail_finish(t);
	}
	for (i = 0; i < t->nfiles; i++) {
		f = &t->files[i];
		/* Only the newest is checked for rewrites, in tail_scan. */
		if (tail_file_look(f, &size, err) == -1) {
			error_prefix(err, "%s", t->path);
			return -1;
		}
		f->size = size;
	}
	return (ssize_t)total;
}

void
tail_pos(const struct tail *t, struct tail_pos *p)
{
	const struct tail_file	*f = &t->files[0];

	memset(p, 0, sizeof *p);
	if (t->nfiles == 0)
		return;
	p->dev = f->dev;
	p->ino = f->ino;
	p->fp_len = f->fp_len;
	p->fp_hash = tail_hash(f->fp, f->fp_len);
	p->offset = f->pos;
}

uint64_t
tail_lag(const struct tail *t)
{
	uint64_t	 lag = 0;
	unsigned int	 i;

	for (i = 0; i < t->nfiles; i++)
		lag += MAX(t->files[i].size, t->files[i].rd) -
		    t->files[i].pos;
	return lag;
}

uint64_t
tail_lost_bytes(const struct tail *t)
{
	return t->lost_bytes;
}

void
tail_stats(const struct tail *t, struct tail_stats *s)
{
	s->rotations = t->rotations;
	s->truncations = t->truncations;
	s->lost_bytes = t->lost_bytes;
	s->lost_files = t->lost_files;
	s->lag = tail_lag(t);
	s->open_files = t->nfiles;
}

const char *
tail_path(const struct tail *t)
{
	return t->path;
}

void
tail_close(struct tail *t)
{
	unsigned int	 i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nfiles; i++)
		close(t->files[i].fd);
	linebuf_clear(&t->lb);
	free(t->cut);
	free(t->chunk);
	free(t->path1);
	free(t->path);
	free(t);
}
