/*
 * The spool.  Open segments are found by key in a hash map; sealed ones
 * wait in an array sorted by id (oldest first).  Ids only grow, and the
 * checkpoint records the next one, which is how recovery tells a segment
 * the checkpoint knows from one written after it.
 */
#include "config.h"

#include "core/spool.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/fmt.h"
#include "base/fsio.h"
#include "base/hmap.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "core/rowcount.h"

struct spool_open {
	struct segment	*seg;
	uint64_t	 opened_ms;	/* monotonic */
};

struct spool_sealed {
	char		 name[SEGMENT_NAME_MAX];
	uint64_t	 id;
	int64_t		 last_hour;	/* segment_last_hour */
	uint64_t	 size;
	int64_t		 sealed_ms;	/* wall clock */
	bool		 is_taken;	/* handed to the uploader */
	/* Sealed by this process and never handed out: not in HDFS yet. */
	bool		 is_fresh;
};

struct spool {
	char			*dir;
	char			*open_dir;
	char			*sealed_dir;
	uint64_t		 next_id;
	struct hmap		*open;		/* key -> struct spool_open */
	struct spool_sealed	*sealed;
	size_t			 nsealed;
	uint64_t		 bytes;		/* sealed files + open durable */
	struct segment_codec	 codec;
	/* The segment of the last append: rows come in runs of one key. */
	struct segment_key	 last_key;
	struct spool_ref	 last;
	/* Counts removals from open: a spool_ref of another count is stale. */
	uint64_t		 gen;
	bool			 is_lost;	/* recovering without checkpoint */
	uint64_t		 ncorrupt;	/* set aside */
};

/* "m/Name/version/hour": the map key of an open segment. */
static size_t
spool_key(char *out, size_t len, const struct segment_key *k)
{
	size_t	 n = 0;

	out[n++] = k->kind == SEGMENT_QUARANTINE ? 'q' : k->is_daily ? 'd' :
	    'm';
	if (k->is_avro)
		out[n++] = 'a';
	out[n++] = '/';
	n += fmt_str(out + n, len - n - 2 * FMT_INT_MAX - 2, k->name);
	out[n++] = '/';
	n += fmt_u64(out + n, k->version);
	out[n++] = '/';
	n += fmt_i64(out + n, k->hour);
	return n;
}

static void
spool_add_open(struct spool *sp, struct segment *seg)
{
	struct spool_open *o = xcalloc(1, sizeof *o);
	char		 key[SEGMENT_NAME_MAX];
	size_t		 n = spool_key(key, sizeof key, segment_key(seg));

	o->seg = seg;
	o->opened_ms = clock_mono_ms();
	if (hmap_put(sp->open, key, n, o) != NULL)
		fatalx("spool: two open segments of %.*s", (int)n, key);
}

static bool
spool_is_open(const struct spool *sp, const struct segment_key *k)
{
	char	 key[SEGMENT_NAME_MAX];
	size_t	 n = spool_key(key, sizeof key, k);

	return hmap_get(sp->open, key, n) != NULL;
}

static int
spool_sealed_cmp(const void *a, const void *b)
{
	const struct spool_sealed *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static void
spool_add_sealed(struct spool *sp, const char *name, uint64_t id,
    const struct segment_key *k, uint64_t size, int64_t when, bool fresh)
{
	struct spool_sealed *s;

	sp->sealed = xreallocarray(sp->sealed, sp->nsealed + 1,
	    sizeof *sp->sealed);
	s = &sp->sealed[sp->nsealed++];
	memset(s, 0, sizeof *s);
	snprintf(s->name, sizeof s->name, "%s", name);
	s->id = id;
	s->last_hour = segment_last_hour(k);
	s->size = size;
	s->sealed_ms = when;
	s->is_fresh = fresh;
	sp->bytes += size;
}

/* By id: a segment sealed after the checkpoint has a new name. */
static const struct spool_durable *
spool_find_durable(uint64_t id, const struct spool_durable *d, size_t n)
{
	struct segment_key k;
	uint64_t	 did;
	size_t		 i;

	for (i = 0; i < n; i++)
		if (segment_parse_name(d[i].name, &did, &k, NULL) == 0 &&
		    did == id)
			return &d[i];
	return NULL;
}

/*
 * A segment sealed after the checkpoint is cut back to its durable
 * length, and its name must tell the rows of that length: sealed.
 */
static int
spool_rename_sealed(const char *dir, const char *name, const char *sealed,
    struct error *err)
{
	char	*from, *to;
	int	 rc = 0;

	if (strcmp(sealed, name) == 0)
		return 0;
	from = xasprintf("%s/%s", dir, name);
	to = xasprintf("%s/%s", dir, sealed);
	if (rename(from, to) == -1)
		rc = error_sys(err, "spool: rename %s to %s", from, to);
	free(from);
	free(to);
	return rc;
}

/*
 * Why a segment the checkpoint names cannot be recovered where it is
 * without losing another file, or NULL: a second open segment of its key
 * would never be sealed (nor be in the next checkpoint), and a sealed one
 * renamed to sealed would replace the file of that name.
 */
static char *
spool_clash(const struct spool *sp, const char *dir, const char *name,
    bool is_sealed, const struct segment_key *k, const char *sealed)
{
	char	*path, *why = NULL;

	if (!is_sealed) {
		if (spool_is_open(sp, k))
			why = xasprintf("spool: %s/%s: another open segment "
			    "has its key", dir, name);
		return why;
	}
	if (strcmp(sealed, name) == 0)
		return NULL;
	path = xasprintf("%s/%s", dir, sealed);
	if (access(path, F_OK) == 0)
		why = xasprintf("spool: %s/%s: cut back, it would replace %s",
		    dir, name, path);
	free(path);
	return why;
}

static int
spool_unlink(const char *dir, const char *name, struct error *err)
{
	char	*path = xasprintf("%s/%s", dir, name);
	int	 rc = 0;

	if (unlink(path) == -1 && errno != ENOENT)
		rc = error_sys(err, "spool: unlink %s", path);
	free(path);
	return rc;
}

/*
 * Moves dir/name to <spool>/corrupt/ (under another name if one is there
 * already) and logs why: the operator decides what to do with it.
 */
static int
spool_move_aside(struct spool *sp, const char *dir, const char *name,
    const char *why, struct error *err)
{
	char		*corrupt = xasprintf("%s/corrupt", sp->dir);
	char		*from = xasprintf("%s/%s", dir, name);
	char		*to = xasprintf("%s/%s", corrupt, name);
	unsigned	 n;
	int		 rc = -1;

	if (fsio_mkdir_p(corrupt, 0750, err) == -1)
		goto out;
	for (n = 1; access(to, F_OK) == 0; n++) {
		free(to);
		to = xasprintf("%s/%s.%u", corrupt, name, n);
	}
	if (rename(from, to) == -1) {
		error_sys(err, "spool: rename %s to %s", from, to);
		goto out;
	}
	if (fsio_fsync_dir(corrupt, err) == -1 ||
	    fsio_fsync_dir(dir, err) == -1)
		goto out;
	sp->ncorrupt++;
	log_warnx("%s: moved to %s, not uploaded", why, to);
	rc = 0;
out:
	free(corrupt);
	free(from);
	free(to);
	return rc;
}

/*
 * The durable part of a reopened segment (all of it now: reopening cut
 * it back) must read back whole, with the rows the checkpoint counted.
 */
static int
spool_check_durable(const char *dir, const char *name, bool is_avro,
    uint64_t want, struct error *err)
{
	char		*path = xasprintf("%s/%s", dir, name);
	int		 rc;

	rc = rowcount_check(path, is_avro, want, "the checkpoint counted", err);
	if (rc == -1 && err->code != ERR_SYS)
		error_prefix(err, "spool");
	free(path);
	return rc;
}

/* Recovery of one folder; is_sealed tells which. */
static int
spool_recover(struct spool *sp, const char *dir, bool is_sealed,
    const struct spool_durable *durable, size_t ndurable, struct error *err)
{
	struct dirent	**ents;
	int		  n, i, rc = 0;

	if ((n = scandir(dir, &ents, NULL, alphasort)) == -1)
		return error_sys(err, "spool: %s", dir);
	for (i = 0; i < n; i++) {
		const char	*name = ents[i]->d_name;
		const struct spool_durable *d;
		struct segment_key k;
		struct segment	*seg;
		struct stat	 st;
		uint64_t	 id;
		char		*path, sealed[SEGMENT_NAME_MAX];

		if (rc == -1 || segment_parse_name(name, &id, &k, NULL) == -1)
			goto next;	/* not ours: leave it alone */
		if (sp->is_lost && !is_sealed) {
			char	*why = xasprintf("spool: %s/%s: the checkpoint "
			    "was lost, so its durable length is unknown", dir,
			    name);

			rc = spool_move_aside(sp, dir, name, why, err);
			free(why);
			goto next;
		}
		d = spool_find_durable(id, durable, ndurable);
		if (d == NULL && !sp->is_lost &&
		    (!is_sealed || id >= sp->next_id)) {
			/* Written after the checkpoint: re-read from input. */
			rc = spool_unlink(dir, name, err);
			goto next;
		}
		if (d != NULL) {
			char	*why;

			segment_name(sealed, id, &k, d->rows);
			why = spool_clash(sp, dir, name, is_sealed, &k, sealed);
			if (why != NULL) {
				rc = spool_move_aside(sp, dir, name, why, err);
				free(why);
				goto next;
			}
			seg = segment_reopen(dir, name, d->length, d->rows,
			    &sp->codec, err);
			if (seg == NULL) {
				/* A failing disk or folder stops the start. */
				rc = err->code == ERR_SYS ? -1 :
				    spool_move_aside(sp, dir, name, err->msg,
				    err);
				goto next;
			}
			if (!is_sealed && spool_check_durable(dir, name,
			    k.is_avro, d->rows, err) == -1) {
				segment_free(seg);
				rc = err->code == ERR_SYS ? -1 :
				    spool_move_aside(sp, dir, name, err->msg,
				    err);
				goto next;
			}
			if (!is_sealed) {
				spool_add_open(sp, seg);
				sp->bytes += d->length;
				goto next;
			}
			segment_free(seg);
			if (spool_rename_sealed(dir, name, sealed, err) == -1) {
				rc = -1;
				goto next;
			}
			name = sealed;
		}
		path = xasprintf("%s/%s", dir, name);
		if (stat(path, &st) == -1)
			rc = error_sys(err, "spool: %s", path);
		else
			spool_add_sealed(sp, name, id, &k,
			    (uint64_t)st.st_size, (int64_t)st.st_mtime * 1000,
			    false);
		free(path);
next:
		free(ents[i]);
	}
	free(ents);
	if (rc == 0)
		rc = fsio_fsync_dir(dir, err);
	return rc;
}

struct spool *
spool_open(const char *dir, int gzip_level, uint64_t next_id,
    const struct spool_durable *durable, size_t ndurable, struct zpool *zp,
    struct error *err)
{
	struct spool	*sp = xcalloc(1, sizeof *sp);

	sp->codec.zp = zp;
	if (zp == NULL)
		sp->codec.gz = gzip_new(gzip_level);
	sp->dir = xstrdup(dir);
	sp->open_dir = xasprintf("%s/open", dir);
	sp->sealed_dir = xasprintf("%s/sealed", dir);
	sp->next_id = next_id;
	if (next_id == SPOOL_ID_LOST) {
		sp->is_lost = true;
		sp->next_id = (uint64_t)clock_wall_ms() * 1000;
	}
	sp->gen = 1;		/* a zeroed spool_ref is stale */
	sp->open = hmap_new();
	if (fsio_mkdir_p(sp->open_dir, 0750, err) == -1 ||
	    fsio_mkdir_p(sp->sealed_dir, 0750, err) == -1 ||
	    spool_recover(sp, sp->open_dir, false, durable, ndurable,
	    err) == -1 ||
	    spool_recover(sp, sp->sealed_dir, true, durable, ndurable,
	    err) == -1) {
		spool_free(sp);
		return NULL;
	}
	if (sp->nsealed > 0)
		qsort(sp->sealed, sp->nsealed, sizeof *sp->sealed,
		    spool_sealed_cmp);
	return sp;
}

void
spool_free(struct spool *sp)
{
	size_t	 pos = 0;
	void	*v;

	if (sp == NULL)
		return;
	while (hmap_next(sp->open, &pos, NULL, NULL, &v)) {
		struct spool_open *o = v;

		segment_free(o->seg);
		free(o);
	}
	hmap_free(sp->open);
	gzip_free(sp->codec.gz);
	free(sp->sealed);
	free(sp->dir);
	free(sp->open_dir);
	free(sp->sealed_dir);
	free(sp);
}

/* The open segment of k, created if there is none. */
static struct spool_open *
spool_lookup(struct spool *sp, const struct segment_key *k,
    const char *avro_schema, struct error *err)
{
	char		 key[SEGMENT_NAME_MAX];
	size_t		 n = spool_key(key, sizeof key, k);
	struct spool_open *o;
	struct segment	*seg;

	if ((o = hmap_get(sp->open, key, n)) != NULL)
		return o;
	seg = segment_create(sp->open_dir, sp->next_id, k, &sp->codec,
	    avro_schema, err);
	if (seg == NULL)
		return NULL;
	sp->next_id++;
	/* An Avro segment starts with its header, durable already. */
	sp->bytes += segment_durable(seg);
	spool_add_open(sp, seg);
	return hmap_get(sp->open, key, n);
}

int
spool_append(struct spool *sp, const struct segment_key *k, const char *row,
    size_t len, const char *avro_schema, struct error *err)
{
	if (sp->last_key.hour != k->hour || sp->last_key.kind != k->kind ||
	    sp->last_key.is_daily != k->is_daily ||
	    sp->last_key.is_avro != k->is_avro ||
	    sp->last_key.version != k->version ||
	    strcmp(sp->last_key.name, k->name) != 0) {
		sp->last_key = *k;
		sp->last.open = NULL;
	}
	return spool_append_ref(sp, &sp->last, k, row, len, avro_schema, err);
}

int
spool_append_ref(struct spool *sp, struct spool_ref *ref,
    const struct segment_key *k, const char *row, size_t len,
    const char *avro_schema, struct error *err)
{
	struct spool_open *o = ref->open;

	if (ref->gen != sp->gen || o == NULL) {
		if ((o = spool_lookup(sp, k, avro_schema, err)) == NULL)
			return -1;
		ref->open = o;
		ref->gen = sp->gen;
	}
	segment_append(o->seg, row, len);
	return 0;
}

int
spool_sync(struct spool *sp, struct error *err)
{
	size_t	 pos = 0;
	void	*v;

	/* All members end first, so the worker's wait is shared. */
	while (hmap_next(sp->open, &pos, NULL, NULL, &v)) {
		struct spool_open *o = v;

		if (segment_is_dirty(o->seg))
			segment_flush(o->seg);
	}
	if (sp->codec.zp != NULL)
		zpool_wait(sp->codec.zp);
	pos = 0;
	while (hmap_next(sp->open, &pos, NULL, NULL, &v)) {
		struct spool_open *o = v;
		uint64_t before = segment_durable(o->seg);

		if (!segment_is_dirty(o->seg))
			continue;
		if (segment_commit(o->seg, err) == -1)
			return -1;
		sp->bytes += segment_durable(o->seg) - before;
	}
	return 0;
}

/* spool_seal's rule. */
struct spool_limits {
	uint64_t	 now_ms;
	uint64_t	 max_bytes;
	uint64_t	 max_age_ms;
	int64_t		 through_hour;
	bool		 all;
};

/* Whether an open segment is due, by the rule arg points to. */
typedef bool spool_due_fn(const struct spool_open *, const void *arg);

static bool
spool_due_limits(const struct spool_open *o, const void *arg)
{
	const struct spool_limits *l = arg;

	return l->all || segment_size(o->seg) >= l->max_bytes ||
	    l->now_ms - o->opened_ms >= l->max_age_ms ||
	    segment_last_hour(segment_key(o->seg)) <= l->through_hour;
}

/* spool_seal_stale's rule. */
struct spool_stale {
	spool_stale_fn	*schema_of;
	void		*arg;
};

static bool
spool_due_stale(const struct spool_open *o, const void *arg)
{
	const struct spool_stale *st = arg;
	const char	*now_schema, *seg_schema;

	if ((seg_schema = segment_avro_schema(o->seg)) == NULL)
		return false;
	now_schema = st->schema_of(segment_key(o->seg), st->arg);
	return now_schema == NULL || strcmp(now_schema, seg_schema) != 0;
}

/* Seals the open segments that are due; their count, or -1. */
static int
spool_seal_due(struct spool *sp, spool_due_fn *due_fn, const void *arg,
    struct error *err)
{
	struct segment	**due = NULL;
	size_t		 pos = 0, ndue = 0, i;
	void		*v;
	int		 rc = 0;

	while (hmap_next(sp->open, &pos, NULL, NULL, &v)) {
		struct spool_open *o = v;

		if (due_fn(o, arg)) {
			due = xreallocarray(due, ndue + 1, sizeof *due);
			due[ndue++] = o->seg;
		}
	}
	for (i = 0; i < ndue; i++) {
		struct segment *seg = due[i];
		char	 k[SEGMENT_NAME_MAX];
		size_t	 n = spool_key(k, sizeof k, segment_key(seg));

		if (segment_is_dirty(seg))
			fatalx("spool: sealing %s with unsynced rows",
			    segment_file(seg));
		if (rc == 0 && segment_move(seg, sp->sealed_dir, err) == -1)
			rc = -1;
		if (rc == -1)
			break;
		sp->gen++;
		free(hmap_del(sp->open, k, n));
		/* Already counted in bytes while open. */
		sp->bytes -= segment_durable(seg);
		spool_add_sealed(sp, segment_file(seg), segment_id(seg),
		    segment_key(seg), segment_durable(seg), clock_wall_ms(),
		    true);
		segment_free(seg);
	}
	free(due);
	if (ndue > 0 && rc == 0 && (fsio_fsync_dir(sp->open_dir, err) == -1 ||
	    fsio_fsync_dir(sp->sealed_dir, err) == -1))
		rc = -1;
	return rc == -1 ? -1 : (int)i;
}

int
spool_seal(struct spool *sp, uint64_t max_bytes, uint64_t max_age_ms,
    int64_t through_hour, bool all, struct error *err)
{
	struct spool_limits l = { clock_mono_ms(), max_bytes, max_age_ms,
	    through_hour, all };

	return spool_seal_due(sp, spool_due_limits, &l, err);
}

int
spool_seal_stale(struct spool *sp, spool_stale_fn *schema_of, void *arg,
    struct error *err)
{
	struct spool_stale st = { schema_of, arg };
	size_t		 pos = 0;
	void		*v;

	while (hmap_next(sp->open, &pos, NULL, NULL, &v)) {
		struct spool_open *o = v;

		if (spool_due_stale(o, &st))
			log_warnx("spool: %s/%s: written with another "
			    "schema than its definition's now: sealed as it "
			    "is, new rows go to a new segment", sp->open_dir,
			    segment_file(o->seg));
	}
	return spool_seal_due(sp, spool_due_stale, &st, err);
}

uint64_t
spool_next_id(const struct spool *sp)
{
	return sp->next_id;
}

size_t
spool_open_segments(const struct spool *sp, struct spool_durable *out,
    size_t n)
{
	size_t	 pos = 0, i = 0;
	void	*v;

	while (i < n && hmap_next(sp->open, &pos, NULL, NULL, &v)) {
		const struct spool_open *o = v;

		snprintf(out[i].name, sizeof out[i].name, "%s",
		    segment_file(o->seg));
		out[i].length = segment_durable(o->seg);
		out[i].rows = segment_durable_rows(o->seg);
		i++;
	}
	return i;
}

size_t
spool_open_count(const struct spool *sp)
{
	return hmap_count(sp->open);
}

int64_t
spool_oldest_hour(const struct spool *sp)
{
	int64_t	 oldest = INT64_MAX, h;
	size_t	 pos = 0, i;
	void	*v;

	while (hmap_next(sp->open, &pos, NULL, NULL, &v)) {
		const struct spool_open *o = v;

		if ((h = segment_last_hour(segment_key(o->seg))) < oldest)
			oldest = h;
	}
	for (i = 0; i < sp->nsealed; i++)
		if (sp->sealed[i].last_hour < oldest)
			oldest = sp->sealed[i].last_hour;
	return oldest;
}

const char *
spool_take_sealed(struct spool *sp, bool *fresh)
{
	size_t	 i;

	for (i = 0; i < sp->nsealed; i++) {
		if (!sp->sealed[i].is_taken) {
			sp->sealed[i].is_taken = true;
			if (fresh != NULL)
				*fresh = sp->sealed[i].is_fresh;
			sp->sealed[i].is_fresh = false;
			return sp->sealed[i].name;
		}
	}
	return NULL;
}

const char *
spool_sealed_dir(const struct spool *sp)
{
	return sp->sealed_dir;
}

static struct spool_sealed *
spool_find_sealed(const struct spool *sp, const char *name)
{
	size_t	 i;

	for (i = 0; i < sp->nsealed; i++)
		if (strcmp(sp->sealed[i].name, name) == 0)
			return &sp->sealed[i];
	return NULL;
}

uint64_t
spool_sealed_size(const struct spool *sp, const char *name)
{
	const struct spool_sealed *s = spool_find_sealed(sp, name);

	return s == NULL ? 0 : s->size;
}

/* Forgets sealed segment s, gone from sealed/. */
static void
spool_drop_sealed(struct spool *sp, struct spool_sealed *s)
{
	size_t	 i = (size_t)(s - sp->sealed);

	sp->bytes -= s->size;
	memmove(&sp->sealed[i], &sp->sealed[i + 1],
	    (sp->nsealed - i - 1) * sizeof *sp->sealed);
	sp->nsealed--;
}

int
spool_done(struct spool *sp, const char *name, struct error *err)
{
	struct spool_sealed *s = spool_find_sealed(sp, name);

	if (s == NULL)
		return error_set(err, ERR_INPUT, "spool: %s: not sealed", name);
	if (spool_unlink(sp->sealed_dir, name, err) == -1 ||
	    fsio_fsync_dir(sp->sealed_dir, err) == -1)
		return -1;
	spool_drop_sealed(sp, s);
	return 0;
}

int
spool_set_aside(struct spool *sp, const char *name, const char *why,
    struct error *err)
{
	struct spool_sealed *s = spool_find_sealed(sp, name);

	if (s == NULL)
		return error_set(err, ERR_INPUT, "spool: %s: not sealed", name);
	if (spool_move_aside(sp, sp->sealed_dir, name, why, err) == -1)
		return -1;
	spool_drop_sealed(sp, s);
	return 0;
}

uint64_t
spool_corrupt_count(const struct spool *sp)
{
	return sp->ncorrupt;
}

void
spool_requeue(struct spool *sp, const char *name)
{
	struct spool_sealed *s = spool_find_sealed(sp, name);

	if (s != NULL)
		s->is_taken = false;
}

uint64_t
spool_bytes(const struct spool *sp)
{
	return sp->bytes;
}

size_t
spool_sealed_count(const struct spool *sp)
{
	return sp->nsealed;
}

int64_t
spool_oldest_ms(const struct spool *sp, int64_t now_ms)
{
	return sp->nsealed == 0 ? 0 : now_ms - sp->sealed[0].sealed_ms;
}
