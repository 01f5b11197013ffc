/*
 * The fleet's records in HDFS, written from the uploader thread (layout
 * in core/fleet.h).  Every function is idempotent, so a task that failed
 * half way is simply run again.
 */
#ifndef BARGED_RECORD_H
#define BARGED_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "hdfs/hdfs.h"

/* No marker yet: the host has never closed an hour. */
#define RECORD_NO_HOUR	INT64_MIN

/*
 * Replaces path with the n bytes of data: written under a hidden name in
 * the same folder, then renamed over path.  NameNode calls: create,
 * addBlock, complete, rename2 (4), one DataNode block.
 */
int	record_put(struct hdfs *, const char *path, const void *data, size_t n,
	    struct error *);
/*
 * Says in HDFS that host has closed every hour up to to: its marker moves
 * from the name of from (RECORD_NO_HOUR: none yet) to the name of to.
 * One rename2; a host's first marker is created (create, complete: no
 * block).  A marker already at to (a repeat after a crash) is success.
 */
int	record_mark(struct hdfs *, const char *root, const char *host,
	    int64_t from, int64_t to, struct error *);

#endif
