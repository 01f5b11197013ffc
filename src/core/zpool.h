/*
 * A compression worker: one thread that runs deflate for the segments so
 * that parsing and matching on the main thread overlap with compression
 * (DESIGN 7 allows moving compression off the main thread).  Jobs run in
 * the order queued, so each segment's chunks stay in order.
 */
#ifndef CORE_ZPOOL_H
#define CORE_ZPOOL_H

#include <stddef.h>

#include "base/buf.h"
#include "core/gzip.h"

struct zpool;

/* Starts the worker; queued input beyond max_queued bytes blocks writers. */
struct zpool	*zpool_new(size_t max_queued);
/* Waits for queued jobs, stops the worker, frees. */
void		 zpool_free(struct zpool *);
/*
 * Queues gzip_write(g, data, len, out) followed by after(arg) (if not
 * NULL) on the worker; takes ownership of data (a heap buffer).  g, out
 * and whatever after touches belong to the worker until zpool_wait().
 */
void		 zpool_write(struct zpool *, struct gzip *g, struct buf *out,
		    char *data, size_t len, void (*after)(void *), void *arg);
/* Queues gzip_finish(g, out). */
void		 zpool_finish(struct zpool *, struct gzip *g, struct buf *out);
/* Returns when every queued job is done. */
void		 zpool_wait(struct zpool *);

#endif
