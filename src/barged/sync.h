/*
 * THE delivery contract (DESIGN 6.3): at each sync point, segment data is
 * made durable first, then due segments are sealed, then the checkpoint
 * that covers exactly that data is written, and only then are sealed
 * segments offered for upload.  This is the only place that orders those
 * steps.
 */
#ifndef BARGED_SYNC_H
#define BARGED_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "core/checkpoint.h"
#include "core/spool.h"
#include "core/tail.h"

struct sync_limits {
	uint64_t	 max_bytes;	/* seal at this compressed size */
	uint64_t	 max_age_ms;	/* seal segments open this long */
};

/* Called after each checkpoint: sealed segments may be uploaded now. */
typedef void	(*sync_sealed_cb)(void *arg);

struct sync;

struct sync	*sync_new(const char *checkpoint_path, struct spool *,
		    sync_sealed_cb, void *arg);
void		 sync_free(struct sync *);
/* Inputs whose positions the checkpoint records (owned by the caller). */
void		 sync_add_tail(struct sync *, struct tail *);
void		 sync_set_limits(struct sync *, const struct sync_limits *);
/*
 * One sync point.  Segments of hours up to through_hour are sealed (the
 * hours the closer says are over), and those over the limits; with
 * seal_all every open segment (shutdown).  -1 with err: the checkpoint
 * was not written (the previous one stands).
 */
int		 sync_point(struct sync *, int64_t through_hour, bool seal_all,
		    struct error *);
uint64_t	 sync_count(const struct sync *);

/* Reads the checkpoint at path; a missing one is an empty first start. */
int		 sync_load(const char *path, struct checkpoint *,
		    struct error *);
/* The position the checkpoint holds for path, or NULL. */
bool		 sync_resume_pos(const struct checkpoint *, const char *path,
		    struct tail_pos *);

#endif
