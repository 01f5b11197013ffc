/*
 * The per-host, per-day manifest (DESIGN 12): every file this host
 * shipped into one day's partitions, with bytes and rows.  barged keeps
 * the truth in a local journal (a line per file, fsync'd before the spool
 * lets the segment go), so after kill -9 at any instant each shipped file
 * is listed exactly once: the journal knows every path it holds, and a
 * segment still in the spool is added again on its next success only if
 * absent.  The JSON form is what goes to HDFS and what barge audit reads.
 */
#ifndef CORE_MANIFEST_H
#define CORE_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"
#include "core/segment.h"

/* Local journals of days older than this are dropped. */
#define MANIFEST_KEEP_DAYS	40

struct manifest_entry {
	char			*path;	/* the file's HDFS path */
	struct segment_key	 key;	/* message or reason, version, hour */
	uint64_t		 bytes;
	uint64_t		 rows;
};

struct manifest;

/*
 * Opens the journals in dir (created if missing) for host.  A last line
 * cut short by a crash is dropped: its file was not yet released.
 */
struct manifest	*manifest_open(const char *dir, const char *host,
		    struct error *);
void		 manifest_free(struct manifest *);

/*
 * Records a shipped file durably.  Returns 1 if added, 0 if the path was
 * already listed (a repeated upload), -1 with err.
 */
int		 manifest_add(struct manifest *, const struct manifest_entry *,
		    struct error *);
/* Days whose journal has entries HDFS has not seen: fills days, count. */
size_t		 manifest_dirty_days(const struct manifest *, int64_t *days,
		    size_t n);
/* The JSON of day into out; *count is how many entries it lists. */
void		 manifest_render(const struct manifest *, int64_t day,
		    struct buf *out, size_t *count);
/* The JSON with count entries is in HDFS: remember it (durably). */
int		 manifest_published(struct manifest *, int64_t day,
		    size_t count, struct error *);
/* Drops the journals of days before day. */
int		 manifest_prune(struct manifest *, int64_t before_day,
		    struct error *);
/* Entries listed for day. */
size_t		 manifest_count(const struct manifest *, int64_t day);

/* A manifest as read back from its JSON. */
struct manifest_doc {
	char			*host;
	int64_t			 day;
	struct manifest_entry	*entries;
	size_t			 n;
};

/* Parses the JSON; -1 with err naming what is wrong. */
int		 manifest_parse(const char *text, size_t len,
		    struct manifest_doc *, struct error *);
void		 manifest_doc_clear(struct manifest_doc *);

#endif
