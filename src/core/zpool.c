/*
 * The compression worker.  Locking: z->lock guards the queue and the
 * counters; the worker compresses and calls the sink without it.  Writers
 * block while more than max_queued input bytes wait, which bounds memory
 * when compression is the slower side.
 */
#include "config.h"

#include "core/zpool.h"

#include <sys/prctl.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "core/avro_container.h"
#include "core/gzip.h"

struct zpool_job {
	char			*data;
	size_t			 len;
	uint64_t		 count;		/* Avro blocks: rows */
	const unsigned char	*sync;		/* Avro blocks; NULL: gzip */
	zpool_sink		 sink;
	void			*arg;
	struct zpool_job	*next;
};

struct zpool {
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 work;	/* jobs queued, or stopping */
	pthread_cond_t		 idle;	/* a job finished */
	struct zpool_job	*head;
	struct zpool_job	*tail;
	size_t			 queued;	/* input bytes waiting or running */
	size_t			 max_queued;
	unsigned		 running;
	bool			 stopping;
	struct gzip		*gz;		/* the worker's */
	struct buf		 block;		/* the worker's Avro block */
};

static void *
zpool_main(void *arg)
{
	struct zpool	*z = arg;
	struct zpool_job *j;
	const char	*member;
	size_t		 n;

	/* So that top -H and /proc/PID/task show compression on its own. */
	prctl(PR_SET_NAME, "zpool", 0, 0, 0);
	pthread_mutex_lock(&z->lock);
	for (;;) {
		while (z->head == NULL && !z->stopping)
			pthread_cond_wait(&z->work, &z->lock);
		if (z->head == NULL)
			break;
		j = z->head;
		z->head = j->next;
		if (z->head == NULL)
			z->tail = NULL;
		z->running++;
		pthread_mutex_unlock(&z->lock);

		if (j->sync != NULL) {
			buf_reset(&z->block);
			avro_container_block(&z->block, z->gz, j->count,
			    j->data, j->len, j->sync);
			j->sink(j->arg, z->block.data, z->block.len);
		} else {
			member = gzip_member(z->gz, j->data, j->len, &n);
			j->sink(j->arg, member, n);
		}

		pthread_mutex_lock(&z->lock);
		z->queued -= j->len;
		z->running--;
		pthread_cond_broadcast(&z->idle);
		free(j->data);
		free(j);
	}
	pthread_mutex_unlock(&z->lock);
	return NULL;
}

struct zpool *
zpool_new(int level, size_t max_queued)
{
	struct zpool	*z = xcalloc(1, sizeof *z);

	z->max_queued = max_queued;
	z->gz = gzip_new(level);
	buf_init(&z->block);
	pthread_mutex_init(&z->lock, NULL);
	pthread_cond_init(&z->work, NULL);
	pthread_cond_init(&z->idle, NULL);
	if (pthread_create(&z->thread, NULL, zpool_main, z) != 0)
		fatalx("zpool: cannot start the compression thread");
	return z;
}

void
zpool_free(struct zpool *z)
{
	if (z == NULL)
		return;
	zpool_wait(z);
	pthread_mutex_lock(&z->lock);
	z->stopping = true;
	pthread_cond_broadcast(&z->work);
	pthread_mutex_unlock(&z->lock);
	pthread_join(z->thread, NULL);
	pthread_mutex_destroy(&z->lock);
	pthread_cond_destroy(&z->work);
	pthread_cond_destroy(&z->idle);
	gzip_free(z->gz);
	buf_clear(&z->block);
	free(z);
}

void
zpool_block(struct zpool *z, char *data, size_t len, uint64_t count,
    const unsigned char *sync, zpool_sink sink, void *arg)
{
	struct zpool_job *j = xcalloc(1, sizeof *j);

	j->data = data;
	j->len = len;
	j->count = count;
	j->sync = sync;
	j->sink = sink;
	j->arg = arg;
	pthread_mutex_lock(&z->lock);
	while (z->queued > 0 && z->queued + len > z->max_queued)
		pthread_cond_wait(&z->idle, &z->lock);
	if (z->tail != NULL)
		z->tail->next = j;
	else
		z->head = j;
	z->tail = j;
	z->queued += len;
	pthread_cond_signal(&z->work);
	pthread_mutex_unlock(&z->lock);
}

void
zpool_wait(struct zpool *z)
{
	pthread_mutex_lock(&z->lock);
	while (z->head != NULL || z->running > 0)
		pthread_cond_wait(&z->idle, &z->lock);
	pthread_mutex_unlock(&z->lock);
}
