/*
 * One spool file: the rows of one (message, version, hour) or one
 * (reason, hour) of the quarantine, as gzip members or, for an Avro
 * message, as one Avro container whose blocks play the members' part.
 * Rows are buffered in chunks, each chunk is compressed into its own
 * member and written, and at each sync the file is made durable; the
 * durable length always ends on a member boundary, so cutting the file
 * back to it after a crash leaves a valid gzip (or Avro) file.
 */
#ifndef CORE_SEGMENT_H
#define CORE_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "core/gzip.h"
#include "core/zpool.h"

enum segment_kind {
	SEGMENT_MESSAGE,	/* valid rows of Name:version */
	SEGMENT_QUARANTINE,	/* invalid lines of one reason */
};

struct segment_key {
	enum segment_kind kind;
	char		 name[72];	/* message name, or reason name */
	unsigned	 version;	/* 0 for the quarantine */
	int64_t		 hour;		/* hours since the epoch, UTC */
	bool		 is_daily;	/* partition: day; hour is 00 of it */
	bool		 is_avro;	/* an Avro container, not TSV gzip */
};

#define SEGMENT_NAME_MAX	160
/* Rows of a segment sealed by a barged that did not count them. */
#define SEGMENT_ROWS_UNKNOWN	UINT64_MAX

/* The last hour whose rows the segment of k can hold. */
int64_t	segment_last_hour(const struct segment_key *);

struct segment;

/*
 * The spool file name of a segment: "<id>.<m|d|q>.<name>.<version>.<day>.
 * <hour>.gz" with the id as 16 hex digits, so names sort by age ('d': a
 * message partitioned by day); an Avro segment ends in ".avro" instead.
 * A sealed segment's name also carries its row count, ".r<rows>" before
 * ".gz" (rows not SEGMENT_ROWS_UNKNOWN), so the count arrives in sealed/
 * with the same rename as the file.
 */
void	segment_name(char out[SEGMENT_NAME_MAX], uint64_t id,
	    const struct segment_key *, uint64_t rows);
/*
 * Parses such a name; -1 if it is not one.  rows (if not NULL) gets the
 * count the name carries, or SEGMENT_ROWS_UNKNOWN.
 */
int	segment_parse_name(const char *, uint64_t *id, struct segment_key *,
	    uint64_t *rows);
/*
 * The HDFS path of a segment: <root>/<Name>/v<version>/dt=<day>/hour=<HH>/
 * <host>-<id>.tsv.gz or .avro (no hour= for a daily message), or
 * <root>/_invalid/<reason>/dt=.../hour=.../... for the quarantine.
 * Returns a heap string.
 */
char	*segment_hdfs_path(const char *root, const char *host, uint64_t id,
	    const struct segment_key *);

/*
 * How segments compress: on the zpool's worker thread if zp is set, else
 * inline with gz.  Owned by the caller (the spool), shared by segments.
 */
struct segment_codec {
	struct zpool	*zp;
	struct gzip	*gz;
};

/*
 * Creates dir/<name> for a new segment; NULL with err.  An Avro segment
 * (k->is_avro) starts with its container header carrying avro_schema,
 * made durable at once, so that any durable length holds the header.
 */
struct segment	*segment_create(const char *dir, uint64_t id,
		    const struct segment_key *, const struct segment_codec *,
		    const char *avro_schema, struct error *);
/*
 * Opens an existing segment file for appending after cutting it back to
 * length, holding rows rows (its durable length and rows from a
 * checkpoint).
 */
struct segment	*segment_reopen(const char *dir, const char *name,
		    uint64_t length, uint64_t rows,
		    const struct segment_codec *, struct error *);
/* Closes the file and frees (unsynced rows are dropped). */
void		 segment_free(struct segment *);
/* An Avro segment's schema (its header's); NULL for TSV. */
const char	*segment_avro_schema(const struct segment *);

/*
 * Buffers one row (TSV with its LF, or one Avro record); compresses in
 * large chunks.
 */
void		 segment_append(struct segment *, const char *, size_t);
/*
 * Compresses and writes the buffered rows and fdatasync()s: afterwards
 * segment_durable() covers every appended row.
 */
int		 segment_sync(struct segment *, struct error *);
/*
 * The two halves of segment_sync, so that many segments share one wait
 * for the compression worker: segment_flush hands over the buffered
 * rows; after zpool_wait, segment_commit fdatasync()s.
 */
void		 segment_flush(struct segment *);
int		 segment_commit(struct segment *, struct error *);
/*
 * Moves the (synced) file into dir under its sealed name (with its row
 * count); the caller fsyncs both folders.
 */
int		 segment_move(struct segment *, const char *dir, struct error *);

uint64_t	 segment_id(const struct segment *);
const struct segment_key *segment_key(const struct segment *);
const char	*segment_file(const struct segment *);	/* the name */
/* Bytes known durable (synced). */
uint64_t	 segment_durable(const struct segment *);
/* Compressed bytes as of the last sync. */
uint64_t	 segment_size(const struct segment *);
/* Rows appended, durable or not. */
uint64_t	 segment_rows(const struct segment *);
/* Rows known durable (synced). */
uint64_t	 segment_durable_rows(const struct segment *);
/* Whether rows were appended since the last sync. */
bool		 segment_is_dirty(const struct segment *);

#endif
