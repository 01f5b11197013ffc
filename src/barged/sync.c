/*
 * Sync points.  Order is everything here: spool_sync (fdatasync of every
 * segment with new rows) happens before the seal (a rename of synced
 * files), which happens before checkpoint_write, which happens before
 * the uploader hears of sealed segments.  A crash between any two steps
 * leaves a state spool_open() recovers to exactly the last checkpoint.
 */
#include "config.h"

#include "barged/sync.h"

#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xmalloc.h"

struct sync {
	char			*path;
	struct spool		*spool;
	struct tail		**tails;
	size_t			 ntails;
	struct sync_limits	 limits;
	sync_sealed_cb		 sealed_cb;
	void			*arg;
	uint64_t		 count;
};

struct sync *
sync_new(const char *path, struct spool *spool, sync_sealed_cb cb, void *arg)
{
	struct sync	*s = xcalloc(1, sizeof *s);

	s->path = xstrdup(path);
	s->spool = spool;
	s->sealed_cb = cb;
	s->arg = arg;
	s->limits.max_bytes = 128ULL << 20;
	s->limits.max_age_ms = 2 * 3600 * 1000;
	return s;
}

void
sync_free(struct sync *s)
{
	if (s == NULL)
		return;
	free(s->tails);
	free(s->path);
	free(s);
}

void
sync_add_tail(struct sync *s, struct tail *t)
{
	s->tails = xreallocarray(s->tails, s->ntails + 1, sizeof *s->tails);
	s->tails[s->ntails++] = t;
}

void
sync_set_limits(struct sync *s, const struct sync_limits *l)
{
	s->limits = *l;
}

uint64_t
sync_count(const struct sync *s)
{
	return s->count;
}

int
sync_point(struct sync *s, int64_t through_hour, bool seal_all,
    struct error *err)
{
	struct checkpoint cp;
	struct spool_durable *open;
	struct tail_pos	 pos;
	size_t		 i, n;
	int		 rc = -1;

	/* 1. Everything the tails handed out is in segments: make it durable. */
	if (spool_sync(s->spool, err) == -1)
		return -1;
	/* 2. Seal what is due; sealed files hold only synced bytes. */
	if (spool_seal(s->spool, s->limits.max_bytes, s->limits.max_age_ms,
	    through_hour, seal_all, err) == -1)
		return -1;
	/* 3. The checkpoint: positions after the last line in a segment. */
	checkpoint_init(&cp);
	cp.next_id = spool_next_id(s->spool);
	for (i = 0; i < s->ntails; i++) {
		struct checkpoint_input in;

		tail_pos(s->tails[i], &pos);
		memset(&in, 0, sizeof in);
		in.path = (char *)(uintptr_t)tail_path(s->tails[i]);
		in.dev = pos.dev;
		in.ino = pos.ino;
		in.fp_hash = pos.fp_hash;
		in.fp_len = pos.fp_len;
		in.offset = pos.offset;
		checkpoint_add_input(&cp, &in);
	}
	n = spool_open_count(s->spool);
	open = xcalloc(n + 1, sizeof *open);
	n = spool_open_segments(s->spool, open, n);
	for (i = 0; i < n; i++)
		checkpoint_add_segment(&cp, open[i].name, open[i].length,
		    open[i].rows);
	free(open);
	if (checkpoint_write(&cp, s->path, err) == -1)
		goto out;
	s->count++;
	/* 4. Only now may sealed segments leave. */
	if (s->sealed_cb != NULL)
		s->sealed_cb(s->arg);
	rc = 0;
out:
	checkpoint_clear(&cp);
	return rc;
}

int
sync_load(const char *path, struct checkpoint *cp, struct error *err)
{
	return checkpoint_read(cp, path, err);
}

bool
sync_resume_pos(const struct checkpoint *cp, const char *path,
    struct tail_pos *pos)
{
	const struct checkpoint_input *in = checkpoint_find_input(cp, path);

	if (in == NULL)
		return false;
	memset(pos, 0, sizeof *pos);
	pos->dev = in->dev;
	pos->ino = in->ino;
	pos->fp_hash = in->fp_hash;
	pos->fp_len = in->fp_len;
	pos->offset = in->offset;
	return true;
}
