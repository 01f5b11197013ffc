/*
 * barged's counters and their three renderings: the text of
 * `barge status`, its JSON, and the Prometheus text format.  Owned by the
 * main thread; the uploader's figures arrive as a snapshot.
 */
#ifndef BARGED_METRICS_H
#define BARGED_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "core/reason.h"

struct metrics_input {
	char		*path;
	uint64_t	 offset;
	uint64_t	 lag;		/* bytes written but not yet read */
	uint64_t	 lost;		/* bytes rotated away unread */
	uint64_t	 rotations;
};

struct metrics_message {
	char		*name;		/* "Name:version" */
	uint64_t	 rows;
	uint64_t	 bytes;		/* row bytes before compression */
	uint64_t	 invalid[REASON_COUNT];
};

struct metrics_upload {
	char		 state[64];	/* "idle", "uploading", "retrying" */
	char		 last_error[1024];
	uint64_t	 files;
	uint64_t	 bytes;
	int64_t		 last_success_ms;	/* wall clock; 0 never */
	uint64_t	 failures;	/* failed attempts, all time */
	int64_t		 failing_since_ms;	/* first failure since the
						   last success; 0 none */
	char		 namenode[300];
	char		 principal[256];	/* Kerberos; "" without */
	int64_t		 ticket_expiry_ms;	/* wall clock; 0 unknown */
};

struct metrics {
	int64_t			 started_ms;
	uint64_t		 lines;
	uint64_t		 not_syslog;
	uint64_t		 not_analytics;
	uint64_t		 invalid[REASON_COUNT];
	struct metrics_input	*inputs;
	size_t			 ninputs;
	struct metrics_message	*messages;
	size_t			 nmessages;
	uint64_t		 spool_open;
	uint64_t		 spool_sealed;
	uint64_t		 spool_bytes;
	uint64_t		 spool_max_bytes;
	uint64_t		 spool_corrupt;	/* segments set aside */
	int64_t			 disk_full_since_ms;	/* 0: not full */
	int64_t			 state_stuck_since_ms;	/* 0: writable */
	int64_t			 spool_oldest_ms;
	bool			 is_paused;	/* backpressure */
	uint64_t		 checkpoints;
	int64_t			 closed_hour;	/* INT64_MIN: none yet */
	struct metrics_upload	 upload;
};

void	metrics_init(struct metrics *);
void	metrics_clear(struct metrics *);
/* The entry of an input or a message, created on first use. */
struct metrics_input	*metrics_input(struct metrics *, const char *path);
struct metrics_message	*metrics_message(struct metrics *, const char *name,
			    unsigned version);

void	metrics_text(const struct metrics *, struct buf *);
void	metrics_json(const struct metrics *, struct buf *);
void	metrics_prometheus(const struct metrics *, struct buf *);

#endif
