/*
 * libFuzzer target: barged's start-up recovery of its spool, as a whole.
 * The input (tests/fuzz/spooldir.h) is a spool folder: a checkpoint and
 * files in open/, sealed/ and corrupt/, written into a fresh folder
 * (under /dev/shm when there is one).  As barged starts, the checkpoint
 * is read with sync_load (one that does not read back is lost) and
 * spool_open recovers the folder; then each sealed segment is checked as
 * the uploader checks it before it ships, and set aside if damaged.  The
 * sealed segments still queued then read back whole with the rows their
 * names say.
 *
 * After each step, file by file, what core/spool.h promises:
 *  - an open segment the checkpoint names is cut back to its durable
 *    length and reads back whole with the rows it counted, else it is set
 *    aside; a sealed one it names is cut back and renamed to carry them;
 *  - a segment written after the checkpoint is deleted (its rows will be
 *    read again); with the checkpoint lost, open segments are set aside;
 *  - any other file stays where it is, byte for byte;
 *  - a file set aside is in corrupt/, as <name> or <name>.<n>, with the
 *    bytes it had (cut back if it was), beside what was there before;
 *  - two segments are never kept where the spool can keep one: a second
 *    open segment of a key, a sealed one whose new name is taken;
 * and the spool's figures (open and sealed segments, bytes, set aside,
 * next id, oldest hour) are those of the folder.  Nothing goes missing
 * that the contract does not say may go.  Seeds: tests/fuzz/spool_seeds.c.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libdeflate.h>

#include "barged/sync.h"
#include "base/buf.h"
#include "base/cdefs.h"
#include "base/fsio.h"
#include "base/xmalloc.h"
#include "core/avro_container.h"
#include "core/checkpoint.h"
#include "core/rowcount.h"
#include "core/segment.h"
#include "core/spool.h"
#include "spooldir.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* What one file of the input must have become. */
struct fuzz_spool_want {
	enum spooldir_folder folder;
	char		 name[256];
	const uint8_t	*data;
	size_t		 len;
	bool		 is_gone;	/* deleted, as the contract allows */
	bool		 is_aside;	/* in corrupt/ as name or name.<n> */
	bool		 is_segment;	/* one of the spool's */
	struct segment_key key;
	uint64_t	 rows;		/* open: the checkpoint's count */
	bool		 is_found;
};

struct fuzz_spool_file {
	enum spooldir_folder folder;
	char		 name[256];
	struct buf	 data;
};

#define FUZZ_SPOOL_MAX_DISK	(2 * SPOOLDIR_MAX_FILES)

static char		*fuzz_spool_base;
static int		 fuzz_spool_null = -1, fuzz_spool_stderr = -1;

static void PRINTFLIKE(1, 2)
fuzz_spool_fail(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	fprintf(stderr, "fuzz_spool: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

/* Removes a folder, if there is one, and the files in it. */
static void
fuzz_spool_rmdir(const char *path)
{
	struct dirent	*e;
	DIR		*dir;
	char		*file;

	if ((dir = opendir(path)) == NULL)
		return;
	while ((e = readdir(dir)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		file = xasprintf("%s/%s", path, e->d_name);
		if (unlink(file) == -1)
			fuzz_spool_fail("unlink %s", file);
		free(file);
	}
	closedir(dir);
	if (rmdir(path) == -1)
		fuzz_spool_fail("rmdir %s", path);
}

/* Removes root: the spool's folders, then state/ and the rest. */
static void
fuzz_spool_remove(const char *root)
{
	char	*path;
	int	 f;

	for (f = 0; f < SPOOLDIR_NFOLDERS; f++) {
		path = xasprintf("%s/spool/%s", root, spooldir_folders[f]);
		fuzz_spool_rmdir(path);
		free(path);
	}
	path = xasprintf("%s/spool", root);
	fuzz_spool_rmdir(path);
	free(path);
	path = xasprintf("%s/state", root);
	fuzz_spool_rmdir(path);
	free(path);
	fuzz_spool_rmdir(root);
}

static void
fuzz_spool_cleanup(void)
{
	char	*root = xasprintf("%s/r", fuzz_spool_base);

	fuzz_spool_remove(root);
	free(root);
	rmdir(fuzz_spool_base);
}

static void
fuzz_spool_init(void)
{
	const char	*tmp = getenv("TMPDIR");
	struct stat	 st;

	if (fuzz_spool_base != NULL)
		return;
	/* tmpfs: the spool's fsyncs cost nothing there. */
	if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
	    access("/dev/shm", W_OK) == 0)
		tmp = "/dev/shm";
	fuzz_spool_base = xasprintf("%s/fuzz-spool.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(fuzz_spool_base) == NULL)
		fuzz_spool_fail("mkdtemp %s", fuzz_spool_base);
	atexit(fuzz_spool_cleanup);
	fuzz_spool_null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	fuzz_spool_stderr = dup(2);
	if (fuzz_spool_null == -1 || fuzz_spool_stderr == -1)
		fuzz_spool_fail("/dev/null");
}

/*
 * The spool logs each file it sets aside: not a million times over.  A
 * sanitizer's report from inside is lost with it; the replay shows it.
 */
static void
fuzz_spool_quiet(bool on)
{
	fflush(stderr);
	dup2(on ? fuzz_spool_null : fuzz_spool_stderr, 2);
}

static void
fuzz_spool_write(const char *path, const void *data, size_t len)
{
	int	 fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0640)) == -1 || fsio_write_full(fd, data, len, NULL) == -1)
		fuzz_spool_fail("write %s", path);
	close(fd);
}

/* Writes the input's folder under root. */
static void
fuzz_spool_build(const struct spooldir *sd, const char *root)
{
	struct buf	 cp;
	bool		 made[SPOOLDIR_NFOLDERS] = { false };
	char		*path;
	size_t		 i;

	path = xasprintf("%s/state", root);
	if (mkdir(root, 0750) == -1 || mkdir(path, 0750) == -1)
		fuzz_spool_fail("mkdir %s", path);
	free(path);
	if (sd->flags & SPOOLDIR_CHECKPOINT) {
		buf_init(&cp);
		if (sd->checkpoint_len > 0)
			buf_append(&cp, sd->checkpoint, sd->checkpoint_len);
		if (sd->flags & SPOOLDIR_FIX_CRC)
			buf_printf(&cp, "crc %08lx\n", (unsigned long)
			    libdeflate_crc32(0, cp.data, cp.len));
		path = xasprintf("%s/state/checkpoint", root);
		fuzz_spool_write(path, cp.data, cp.len);
		free(path);
		buf_clear(&cp);
	}
	for (i = 0; i < sd->nfiles; i++) {
		const struct spooldir_file *f = &sd->files[i];

		if (!made[f->folder]) {
			path = xasprintf("%s/spool/%s", root,
			    spooldir_folders[f->folder]);
			if (fsio_mkdir_p(path, 0750, NULL) == -1)
				fuzz_spool_fail("mkdir %s", path);
			free(path);
			made[f->folder] = true;
		}
		path = xasprintf("%s/spool/%s/%s", root,
		    spooldir_folders[f->folder], f->name);
		fuzz_spool_write(path, f->data, f->len);
		free(path);
	}
}

/* Whether the bytes read back whole, with rows rows (UINT64_MAX: any). */
static bool
fuzz_spool_is_whole(const uint8_t *data, size_t len, bool is_avro,
    uint64_t rows)
{
	struct rowcount	*rc = rowcount_new(is_avro);
	struct error	 err;
	uint64_t	 n;
	bool		 ok;

	ok = rowcount_feed(rc, data, len, &err) == 0 &&
	    rowcount_finish(rc, &n, &err) == 0 &&
	    (rows == UINT64_MAX || n == rows);
	rowcount_free(rc);
	return ok;
}

/* Whether an Avro segment's bytes start with a header that parses. */
static bool
fuzz_spool_has_header(const uint8_t *data, size_t len)
{
	struct avro_header h;
	struct error	 err;

	if (avro_header_parse(data, len, &h, &err) == -1)
		return false;
	avro_header_clear(&h);
	return true;
}

/* The checkpoint's record of segment id, as spool_open finds it. */
static const struct spool_durable *
fuzz_spool_durable(const struct checkpoint *cp, uint64_t id)
{
	struct segment_key k;
	uint64_t	 did;
	size_t		 i;

	for (i = 0; i < cp->nsegments; i++)
		if (segment_parse_name(cp->segments[i].name, &did, &k,
		    NULL) == 0 && did == id)
			return &cp->segments[i];
	return NULL;
}

static int
fuzz_spool_cmp(const void *a, const void *b)
{
	const struct spooldir_file *x = *(const struct spooldir_file *const *)a;
	const struct spooldir_file *y = *(const struct spooldir_file *const *)b;

	if (x->folder != y->folder)
		return x->folder < y->folder ? -1 : 1;
	return strcmp(x->name, y->name);
}

static bool
fuzz_spool_same_key(const struct segment_key *a, const struct segment_key *b)
{
	return a->kind == b->kind && a->is_daily == b->is_daily &&
	    a->is_avro == b->is_avro && a->version == b->version &&
	    a->hour == b->hour && strcmp(a->name, b->name) == 0;
}

/*
 * Whether sealed/ holds a file called name when spool_open comes to the
 * i-th: one met before under its name now, or one not met yet.
 */
static bool
fuzz_spool_taken(const struct fuzz_spool_want *w,
    const struct spooldir_file *const *order, size_t i, size_t n,
    const char *name)
{
	size_t	 j;

	for (j = 0; j < n; j++) {
		if (j < i && !w[j].is_gone && !w[j].is_aside &&
		    w[j].folder == SPOOLDIR_SEALED &&
		    strcmp(w[j].name, name) == 0)
			return true;
		if (j > i && order[j]->folder == SPOOLDIR_SEALED &&
		    strcmp(order[j]->name, name) == 0)
			return true;
	}
	return false;
}

/* Whether an open segment of key k was kept before the i-th file. */
static bool
fuzz_spool_key_open(const struct fuzz_spool_want *w, size_t i,
    const struct segment_key *k)
{
	size_t	 j;

	for (j = 0; j < i; j++)
		if (w[j].is_segment && !w[j].is_aside && !w[j].is_gone &&
		    w[j].folder == SPOOLDIR_OPEN &&
		    fuzz_spool_same_key(&w[j].key, k))
			return true;
	return false;
}

/*
 * What the contract says becomes of each file, in the order spool_open
 * meets them (open/, then sealed/, each by name).  Returns the count.
 */
static size_t
fuzz_spool_expect(const struct spooldir *sd, const struct checkpoint *cp,
    struct fuzz_spool_want *want)
{
	const struct spooldir_file *order[SPOOLDIR_MAX_FILES];
	bool		 is_lost = cp->next_id == SPOOL_ID_LOST;
	size_t		 i, n = sd->nfiles;

	for (i = 0; i < n; i++)
		order[i] = &sd->files[i];
	qsort(order, n, sizeof *order, fuzz_spool_cmp);
	for (i = 0; i < n; i++) {
		const struct spooldir_file *f = order[i];
		struct fuzz_spool_want *w = &want[i];
		const struct spool_durable *d;
		char		 to[SEGMENT_NAME_MAX];
		uint64_t	 id;
		bool		 is_sealed = f->folder == SPOOLDIR_SEALED;

		memset(w, 0, sizeof *w);
		w->folder = f->folder;
		snprintf(w->name, sizeof w->name, "%s", f->name);
		w->data = f->data;
		w->len = f->len;
		if (f->folder == SPOOLDIR_CORRUPT ||
		    segment_parse_name(f->name, &id, &w->key, NULL) == -1)
			continue;	/* not the spool's: left alone */
		w->is_segment = true;
		w->rows = SEGMENT_ROWS_UNKNOWN;
		/* Below, the ways a segment is set aside. */
		w->is_aside = true;
		if (is_lost && !is_sealed)
			continue;
		if ((d = fuzz_spool_durable(cp, id)) == NULL) {
			w->is_aside = false;
			w->is_gone = !is_lost && (!is_sealed ||
			    id >= cp->next_id);
			continue;
		}
		segment_name(to, id, &w->key, d->rows);
		if (!is_sealed ? fuzz_spool_key_open(want, i, &w->key) :
		    strcmp(to, f->name) != 0 &&
		    fuzz_spool_taken(want, order, i, n, to))
			continue;
		if (f->len < d->length)
			continue;
		w->len = d->length;
		/* Avro: the marker at the end, and the schema at the start. */
		if (w->key.is_avro && (d->length < 4 + AVRO_SYNC_LEN ||
		    !fuzz_spool_has_header(f->data, w->len)))
			continue;
		if (!is_sealed && !fuzz_spool_is_whole(f->data, w->len,
		    w->key.is_avro, d->rows))
			continue;
		w->is_aside = false;
		w->rows = d->rows;
		if (is_sealed)
			snprintf(w->name, sizeof w->name, "%s", to);
	}
	return n;
}

/* Every file under the spool's folders now. */
static size_t
fuzz_spool_disk(const char *spool, struct fuzz_spool_file *disk)
{
	struct dirent	*e;
	DIR		*dir;
	char		*path;
	size_t		 n = 0;
	int		 f;

	for (f = 0; f < SPOOLDIR_NFOLDERS; f++) {
		path = xasprintf("%s/%s", spool, spooldir_folders[f]);
		dir = opendir(path);
		free(path);
		if (dir == NULL)
			continue;
		while ((e = readdir(dir)) != NULL) {
			struct error	 err;

			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			if (n == FUZZ_SPOOL_MAX_DISK)
				fuzz_spool_fail("more files than were given");
			disk[n].folder = (enum spooldir_folder)f;
			snprintf(disk[n].name, sizeof disk[n].name, "%s",
			    e->d_name);
			buf_init(&disk[n].data);
			path = xasprintf("%s/%s/%s", spool,
			    spooldir_folders[f], e->d_name);
			if (fsio_read_file(path, &disk[n].data, &err) == -1)
				fuzz_spool_fail("%s", err.msg);
			free(path);
			n++;
		}
		closedir(dir);
	}
	return n;
}

/* name is base, or base.<n>: where spool_open sets base aside. */
static bool
fuzz_spool_is_aside_name(const char *name, const char *base)
{
	size_t	 n = strlen(base);

	if (strncmp(name, base, n) != 0)
		return false;
	if (name[n] == '\0')
		return true;
	if (name[n] != '.' || name[n + 1] == '\0')
		return false;
	return strspn(name + n + 1, "0123456789") == strlen(name + n + 1);
}

static bool
fuzz_spool_match(const struct fuzz_spool_want *w,
    const struct fuzz_spool_file *f, bool asides)
{
	if (w->is_found || w->is_gone || w->is_aside != asides ||
	    w->len != f->data.len ||
	    (w->len > 0 && memcmp(w->data, f->data.data, w->len) != 0))
		return false;
	if (asides)
		return f->folder == SPOOLDIR_CORRUPT &&
		    fuzz_spool_is_aside_name(f->name, w->name);
	return f->folder == w->folder && strcmp(f->name, w->name) == 0;
}

/*
 * The folder holds exactly what want says: every file where it should
 * be with the bytes it should have, nothing else.  Files that stay come
 * first, so that a file set aside cannot take the place of one that was
 * in corrupt/ already.
 */
static void
fuzz_spool_check_disk(const char *spool, struct fuzz_spool_want *want,
    size_t nwant)
{
	struct fuzz_spool_file disk[FUZZ_SPOOL_MAX_DISK];
	bool		 used[FUZZ_SPOOL_MAX_DISK];
	size_t		 n = fuzz_spool_disk(spool, disk), i, j;
	int		 pass;

	memset(used, 0, sizeof used);
	for (j = 0; j < nwant; j++)
		want[j].is_found = false;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < n; i++)
			for (j = 0; !used[i] && j < nwant; j++)
				if (fuzz_spool_match(&want[j], &disk[i],
				    pass == 1))
					used[i] = want[j].is_found = true;
	for (i = 0; i < n; i++)
		if (!used[i])
			fuzz_spool_fail("%s/%s: not expected (%zu bytes)",
			    spooldir_folders[disk[i].folder], disk[i].name,
			    disk[i].data.len);
	for (j = 0; j < nwant; j++)
		if (!want[j].is_gone && !want[j].is_found)
			fuzz_spool_fail("%s/%s (%zu bytes%s): lost",
			    spooldir_folders[want[j].folder], want[j].name,
			    want[j].len, want[j].is_aside ? ", set aside" :
			    "");
	for (i = 0; i < n; i++)
		buf_clear(&disk[i].data);
}

/* The spool's figures are those of the segments it kept. */
static void
fuzz_spool_check_figures(struct spool *sp, const struct fuzz_spool_want *w,
    size_t n)
{
	struct spool_durable open[SPOOLDIR_MAX_FILES + 1];
	uint64_t	 bytes = 0, aside = 0;
	size_t		 nopen = 0, nsealed = 0, i, j, got;
	int64_t		 oldest = INT64_MAX;

	for (i = 0; i < n; i++) {
		if (w[i].is_aside && w[i].is_segment)
			aside++;
		if (!w[i].is_segment || w[i].is_aside || w[i].is_gone)
			continue;
		if (w[i].folder == SPOOLDIR_OPEN)
			nopen++;
		else {
			nsealed++;
			if (spool_sealed_size(sp, w[i].name) != w[i].len)
				fuzz_spool_fail("sealed/%s: size %ju, not "
				    "%zu", w[i].name, (uintmax_t)
				    spool_sealed_size(sp, w[i].name),
				    w[i].len);
		}
		bytes += w[i].len;
		if (segment_last_hour(&w[i].key) < oldest)
			oldest = segment_last_hour(&w[i].key);
	}
	if (spool_open_count(sp) != nopen || spool_sealed_count(sp) !=
	    nsealed || spool_bytes(sp) != bytes ||
	    spool_corrupt_count(sp) != aside ||
	    spool_oldest_hour(sp) != oldest)
		fuzz_spool_fail("figures: %zu open, %zu sealed, %ju bytes, "
		    "%ju set aside; want %zu, %zu, %ju, %ju",
		    spool_open_count(sp), spool_sealed_count(sp),
		    (uintmax_t)spool_bytes(sp),
		    (uintmax_t)spool_corrupt_count(sp), nopen, nsealed,
		    (uintmax_t)bytes, (uintmax_t)aside);
	/* What the next checkpoint will say of the open segments. */
	got = spool_open_segments(sp, open, nitems(open));
	for (i = 0; i < got; i++) {
		for (j = 0; j < n; j++)
			if (w[j].is_segment && !w[j].is_aside &&
			    !w[j].is_gone && w[j].folder == SPOOLDIR_OPEN &&
			    strcmp(w[j].name, open[i].name) == 0)
				break;
		if (j == n || open[i].length != w[j].len ||
		    open[i].rows != w[j].rows)
			fuzz_spool_fail("open/%s: %ju bytes, %ju rows",
			    open[i].name, (uintmax_t)open[i].length,
			    (uintmax_t)open[i].rows);
	}
}

/*
 * As the uploader does before a recovered segment ships: it must read
 * back whole with the rows its name says, or it is set aside.
 */
static size_t
fuzz_spool_upload(struct spool *sp, struct fuzz_spool_want *w, size_t n)
{
	struct segment_key k;
	struct error	 err;
	const char	*name;
	char		 copy[SEGMENT_NAME_MAX], *path;
	uint64_t	 id, rows;
	bool		 fresh, ok;
	size_t		 i, aside = 0;

	while ((name = spool_take_sealed(sp, &fresh)) != NULL) {
		snprintf(copy, sizeof copy, "%s", name);
		for (i = 0; i < n; i++)
			if (w[i].is_segment && !w[i].is_aside &&
			    !w[i].is_gone && w[i].folder == SPOOLDIR_SEALED &&
			    strcmp(w[i].name, copy) == 0)
				break;
		if (i == n || fresh)
			fuzz_spool_fail("sealed/%s: handed out%s", copy,
			    fresh ? " as fresh" : "");
		if (segment_parse_name(copy, &id, &k, &rows) == -1)
			fuzz_spool_fail("sealed/%s: not a name", copy);
		path = xasprintf("%s/%s", spool_sealed_dir(sp), copy);
		ok = rowcount_check(path, k.is_avro, rows, "its name says",
		    &err) == 0;
		free(path);
		if (ok != fuzz_spool_is_whole(w[i].data, w[i].len, k.is_avro,
		    rows))
			fuzz_spool_fail("sealed/%s: read back %s", copy,
			    ok ? "whole" : err.msg);
		if (ok)
			continue;
		fuzz_spool_quiet(true);
		if (spool_set_aside(sp, copy, err.msg, &err) == -1)
			fuzz_spool_fail("%s", err.msg);
		fuzz_spool_quiet(false);
		w[i].is_aside = true;
		aside++;
	}
	return aside;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct fuzz_spool_want want[SPOOLDIR_MAX_FILES];
	struct spooldir	 sd;
	struct checkpoint cp;
	struct spool	*sp;
	struct error	 err;
	char		*root, *spool, *cppath;
	uint64_t	 next_id;
	size_t		 n;

	fuzz_spool_init();
	spooldir_parse(&sd, data, len);
	root = xasprintf("%s/r", fuzz_spool_base);
	spool = xasprintf("%s/spool", root);
	cppath = xasprintf("%s/state/checkpoint", root);
	fuzz_spool_build(&sd, root);

	/* As barged starts: a checkpoint that does not read back is lost. */
	if (sync_load(cppath, &cp, &err) == -1) {
		if (err.code != ERR_INPUT)
			fuzz_spool_fail("%s", err.msg);
		checkpoint_clear(&cp);
		cp.next_id = SPOOL_ID_LOST;
	}
	next_id = cp.next_id;
	n = fuzz_spool_expect(&sd, &cp, want);
	fuzz_spool_quiet(true);
	sp = spool_open(spool, 1, cp.next_id, cp.segments, cp.nsegments, NULL,
	    &err);
	fuzz_spool_quiet(false);
	if (sp == NULL)
		fuzz_spool_fail("spool_open: %s", err.msg);
	if (next_id != SPOOL_ID_LOST && spool_next_id(sp) != next_id)
		fuzz_spool_fail("next id %ju, not %ju",
		    (uintmax_t)spool_next_id(sp), (uintmax_t)next_id);
	fuzz_spool_check_figures(sp, want, n);
	fuzz_spool_check_disk(spool, want, n);

	/* Checking reads the files: only setting aside changes them. */
	if (fuzz_spool_upload(sp, want, n) > 0) {
		fuzz_spool_check_figures(sp, want, n);
		fuzz_spool_check_disk(spool, want, n);
	}

	spool_free(sp);
	checkpoint_clear(&cp);
	fuzz_spool_remove(root);
	free(root);
	free(spool);
	free(cppath);
	return 0;
}
