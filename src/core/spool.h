/*
 * The spool folder: segments being filled (open/) and segments waiting
 * for HDFS (sealed/).  It keeps one open segment per key, counts the
 * bytes on disk for backpressure, and on start-up puts the folder back
 * in the state the last checkpoint describes.
 */
#ifndef CORE_SPOOL_H
#define CORE_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "core/segment.h"

struct spool;

/*
 * A segment the last checkpoint recorded as open, with its durable length
 * and rows (SEGMENT_ROWS_UNKNOWN from a checkpoint that did not count).
 */
struct spool_durable {
	char		 name[SEGMENT_NAME_MAX];
	uint64_t	 length;
	uint64_t	 rows;
};

/*
 * Opens dir (creating open/ and sealed/) and recovers it: every segment
 * in durable[] is cut back to its length and reopened (or, if it was
 * sealed meanwhile, cut back and left sealed, renamed to carry the rows of
 * that length); any other segment with an id >= next_id was written after
 * the checkpoint and is deleted (its rows will be read again); sealed
 * segments with older ids are kept for upload.  A segment that does not
 * reopen at its durable length (cut shorter by the disk, no Avro marker
 * there) is set aside in <dir>/corrupt/ and logged, never uploaded; so
 * is one that would take the place of another: a second open segment of
 * a key, a sealed one whose cut-back name another file has.
 *
 * next_id SPOOL_ID_LOST: the checkpoint was lost.  Every open segment is
 * set aside (its durable length is unknown), every sealed one is kept,
 * and ids go on from the wall clock in ms times 1000, so that no name
 * shipped before is used again.
 */
#define SPOOL_ID_LOST	UINT64_MAX
struct spool	*spool_open(const char *dir, int gzip_level, uint64_t next_id,
		    const struct spool_durable *durable, size_t ndurable,
		    struct zpool *, struct error *);
void		 spool_free(struct spool *);

/*
 * Appends a row to the open segment of key, creating it if needed (an
 * Avro one with the schema avro_schema; NULL for TSV).
 */
int		 spool_append(struct spool *, const struct segment_key *,
		    const char *row, size_t len, const char *avro_schema,
		    struct error *);
/*
 * A caller's hold on the open segment of one key, which saves building
 * the key and looking it up on every row.  Zero it to start and use it
 * for one key only; sealing any segment makes every hold look again.
 */
struct spool_ref {
	uint64_t	 gen;
	void		*open;
};
/* spool_append through ref, which is filled when it is stale. */
int		 spool_append_ref(struct spool *, struct spool_ref *,
		    const struct segment_key *, const char *row, size_t len,
		    const char *avro_schema,
		    struct error *);
/* Syncs every segment with new rows (segment_sync). */
int		 spool_sync(struct spool *, struct error *);

/*
 * Seals (moves to sealed/) every open segment that is due: compressed
 * size >= max_bytes, open longer than max_age_ms, or its last hour
 * (segment_last_hour) is at most through_hour.  With all, every open
 * segment.  Segments must be synced first.  The folders are fsync'd.
 * Returns the count.
 */
int		 spool_seal(struct spool *, uint64_t max_bytes,
		    uint64_t max_age_ms, int64_t through_hour, bool all,
		    struct error *);
/* The Avro schema k's rows are written with now, or NULL if none. */
typedef const char *spool_stale_fn(const struct segment_key *k, void *arg);
/*
 * Seals, as they are, the open Avro segments whose header's schema is
 * not schema_of's (a definition changed within its version while no
 * barged ran, or went away): rows of the new layout must not follow a
 * header that describes the old one.  Each is logged.  For a start,
 * before rows are appended.  Returns the count.
 */
int		 spool_seal_stale(struct spool *, spool_stale_fn *schema_of,
		    void *arg, struct error *);
/*
 * The lowest segment_last_hour of any segment in the spool, open or
 * sealed (so not yet in HDFS), or INT64_MAX if there is none: every hour
 * below it has landed.
 */
int64_t		 spool_oldest_hour(const struct spool *);

/* The id the next new segment gets. */
uint64_t	 spool_next_id(const struct spool *);
/* The open segments, for the checkpoint: fills at most n, returns count. */
size_t		 spool_open_segments(const struct spool *,
		    struct spool_durable *, size_t n);
size_t		 spool_open_count(const struct spool *);

/*
 * Sealed segments not yet handed out, oldest first: returns the next name
 * (owned by the spool until spool_done) or NULL.  *fresh (if not NULL)
 * tells that no process can have uploaded it before: sealed by this one
 * and handed out for the first time.  Segments found by spool_open() and
 * requeued ones are not fresh.
 */
const char	*spool_take_sealed(struct spool *, bool *fresh);
/* The folder sealed segments live in. */
const char	*spool_sealed_dir(const struct spool *);
/* The bytes of a sealed segment, or 0 if name is not one. */
uint64_t	 spool_sealed_size(const struct spool *, const char *name);
/* Deletes an uploaded sealed segment. */
int		 spool_done(struct spool *, const char *name, struct error *);
/*
 * Moves sealed segment name to <dir>/corrupt/ (why is logged: it should
 * name the file and what is wrong), out of the upload queue.
 */
int		 spool_set_aside(struct spool *, const char *name,
		    const char *why, struct error *);
/* Segments set aside since spool_open, recovery included. */
uint64_t	 spool_corrupt_count(const struct spool *);
/* A sealed segment that could not be uploaded goes back to the queue. */
void		 spool_requeue(struct spool *, const char *name);

/* Bytes of every segment file (open and sealed). */
uint64_t	 spool_bytes(const struct spool *);
size_t		 spool_sealed_count(const struct spool *);
/* The age in ms (wall clock) of the oldest sealed segment, 0 if none. */
int64_t		 spool_oldest_ms(const struct spool *, int64_t now_ms);

#endif
