/*
 * A compression worker: one thread that turns chunks of rows into gzip
 * members (or Avro blocks) so that parsing and matching on the main
 * thread overlap with compression (DESIGN 7 allows moving compression off
 * the main thread).
 * Jobs run in the order queued, so each segment's members stay in order.
 */
#ifndef CORE_ZPOOL_H
#define CORE_ZPOOL_H

#include <stddef.h>
#include <stdint.h>

/* Receives a finished member, on the worker thread. */
typedef void	(*zpool_sink)(void *arg, const char *member, size_t n);

struct zpool;

/*
 * Starts the worker (thread name "zpool") at batch.gzip_level 1-9;
 * writers block while more than max_queued input bytes wait.
 */
struct zpool	*zpool_new(int level, size_t max_queued);
/* Waits for queued jobs, stops the worker, frees. */
void		 zpool_free(struct zpool *);
/*
 * Queues data (a heap buffer, now the worker's) to be compressed into a
 * gzip member (sync NULL) or an Avro block of count rows ending with the
 * 16-byte marker sync (core/avro_container), handed to sink(arg, ...).
 * Whatever sink and sync touch belongs to the worker until zpool_wait()
 * returns.
 */
void		 zpool_block(struct zpool *, char *data, size_t len,
		    uint64_t count, const unsigned char *sync,
		    zpool_sink sink, void *arg);
/* Returns when every queued job is done. */
void		 zpool_wait(struct zpool *);

#endif
