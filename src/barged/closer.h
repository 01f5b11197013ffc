/*
 * Closing hours (DESIGN 12).  A host has closed hour H once its clock is
 * past H+1h + close_after + its offset in the close_spread window, its
 * inputs were read to their end after that moment, and no segment of an
 * hour <= H is left in the spool.  The closer then publishes the day
 * manifests that changed and moves the host's marker, in one uploader
 * task, and remembers the hour in <state_dir>/hours.  Hours close in
 * order; a host that was away catches up with one marker move.
 */
#ifndef BARGED_CLOSER_H
#define BARGED_CLOSER_H

#include <stdint.h>

#include "base/error.h"
#include "barged/upload.h"
#include "core/manifest.h"

struct closer_config {
	const char	*root;		/* hdfs.root */
	const char	*host;
	uint64_t	 close_after_ms;
	uint64_t	 close_spread_ms;
};

struct closer;

/* Loads or starts <state_dir>/hours and <state_dir>/manifests/. */
struct closer	*closer_open(const char *state_dir,
		    const struct closer_config *, struct upload *,
		    struct error *);
void		 closer_free(struct closer *);
/* close_after and close_spread after a reload (root and host stay). */
void		 closer_set_times(struct closer *, uint64_t close_after_ms,
		    uint64_t close_spread_ms);

/*
 * The highest hour whose segments are due for sealing: its close time is
 * past both now and the moment the inputs were last read to their end.
 */
int64_t		 closer_seal_through(const struct closer *, int64_t now_ms,
		    int64_t caught_up_ms);
/*
 * After a sync point: closes every hour that may be closed (oldest_hour
 * is spool_oldest_hour()).  At most one close is under way at a time.
 */
void		 closer_tick(struct closer *, int64_t now_ms,
		    int64_t caught_up_ms, int64_t oldest_hour);
/*
 * A file is in HDFS: list it in its day's manifest, durably, before its
 * segment is released.
 */
int		 closer_shipped(struct closer *, const struct manifest_entry *,
		    struct error *);
/* The last hour closed (the marker's), or INT64_MIN before the first. */
int64_t		 closer_closed_through(const struct closer *);
/* The host's offset in the spread window. */
uint64_t	 closer_offset_ms(const struct closer *);

#endif
