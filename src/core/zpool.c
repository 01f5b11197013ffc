/*
 * The compression worker.  Locking: z->lock guards the queue and the
 * counters; the worker runs deflate without it.  Writers block while more
 * than max_queued input bytes wait, which bounds memory when compression
 * is the slower side.
 */
#include "config.h"

#include "core/zpool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "base/log.h"
#include "base/xmalloc.h"

struct zpool_job {
	struct gzip		*g;
	struct buf		*out;
	char			*data;	/* NULL: finish the member */
	size_t			 len;
	void			(*after)(void *);
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
	size_t			 queued;	/* input bytes waiting */
	size_t			 max_queued;
	unsigned		 running;	/* jobs taken, not finished */
	bool			 stopping;
};

static void *
zpool_main(void *arg)
{
	struct zpool	*z = arg;
	struct zpool_job *j;

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

		if (j->data != NULL)
			gzip_write(j->g, j->data, j->len, j->out);
		else
			gzip_finish(j->g, j->out);
		if (j->after != NULL)
			j->after(j->arg);

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
zpool_new(size_t max_queued)
{
	struct zpool	*z = xcalloc(1, sizeof *z);

	z->max_queued = max_queued;
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
	free(z);
}

static void
zpool_queue(struct zpool *z, struct zpool_job *j)
{
	pthread_mutex_lock(&z->lock);
	while (z->queued > 0 && z->queued + j->len > z->max_queued)
		pthread_cond_wait(&z->idle, &z->lock);
	if (z->tail != NULL)
		z->tail->next = j;
	else
		z->head = j;
	z->tail = j;
	z->queued += j->len;
	pthread_cond_signal(&z->work);
	pthread_mutex_unlock(&z->lock);
}

void
zpool_write(struct zpool *z, struct gzip *g, struct buf *out, char *data,
    size_t len, void (*after)(void *), void *arg)
{
	struct zpool_job *j = xcalloc(1, sizeof *j);

	j->g = g;
	j->out = out;
	j->data = data;
	j->len = len;
	j->after = after;
	j->arg = arg;
	zpool_queue(z, j);
}

void
zpool_finish(struct zpool *z, struct gzip *g, struct buf *out)
{
	struct zpool_job *j = xcalloc(1, sizeof *j);

	j->g = g;
	j->out = out;
	zpool_queue(z, j);
}

void
zpool_wait(struct zpool *z)
{
	pthread_mutex_lock(&z->lock);
	while (z->head != NULL || z->running > 0)
		pthread_cond_wait(&z->idle, &z->lock);
	pthread_mutex_unlock(&z->lock);
}
