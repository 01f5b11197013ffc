/*
 * Uploader thread.  Locking: u->lock guards the job queue, the done
 * queue and the status; functions ending in _locked expect it held.  The
 * thread never touches libevent; it wakes the main loop by writing to an
 * eventfd the loop watches.  A job is idempotent: the final name is
 * deterministic, so a job repeated after a crash finds its own result.
 */
#include "config.h"

#include "barged/upload.h"

#include <sys/eventfd.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/error.h"
#include "base/fsio.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "core/rowcount.h"
#include "core/segment.h"
#include "hdfs/hdfs.h"

#define UPLOAD_CHUNK		(1 << 20)
#define UPLOAD_BACKOFF_MS	500
#define UPLOAD_BACKOFF_MAX_MS	30000

struct upload_job {
	char			*name;
	char			*local;
	char			*dst;
	bool			 fresh;		/* no try can have run */
	bool			 verify;	/* recovered: read it first */
	bool			 ok;
	char			*damaged;	/* why it will not ship */
	upload_task_run		 run;		/* a task, not a file */
	upload_task_done	 task_done;
	void			*task_arg;
	struct upload_job	*next;
};

struct upload {
	struct upload_config	 cfg;
	char			*namenodes;
	char			*user;
	char			*principal;
	char			*keytab;
	char			*nn_principal;
	char			*proxy_user;
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;
	struct upload_job	*jobs;		/* FIFO */
	struct upload_job	*done;		/* LIFO, reversed when read */
	unsigned		 pending;
	bool			 stopping;
	bool			 ended;
	struct metrics_upload	 status;
	int			 efd;
	struct event		*ev;
	upload_done_cb		 done_cb;
	void			*done_arg;
	struct hdfs		*hdfs;		/* the thread's only */
	char			*buf;
};

static void
upload_job_free(struct upload_job *j)
{
	/* A task never run must still hear of it, to free its argument. */
	if (j->run != NULL && j->task_done != NULL && !j->ok)
		j->task_done(j->task_arg, false);
	free(j->name);
	free(j->local);
	free(j->dst);
	free(j->damaged);
	free(j);
}

static void
upload_set_state_locked(struct upload *u, const char *state)
{
	snprintf(u->status.state, sizeof u->status.state, "%s", state);
}

static void
upload_set_state(struct upload *u, const char *state)
{
	pthread_mutex_lock(&u->lock);
	upload_set_state_locked(u, state);
	pthread_mutex_unlock(&u->lock);
}

/* Sleeps ms unless the uploader is told to stop; returns false then. */
static bool
upload_sleep(struct upload *u, uint64_t ms)
{
	struct timespec	 ts;
	bool		 stopping;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += (time_t)(ms / 1000);
	ts.tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&u->lock);
	while (!u->stopping &&
	    pthread_cond_timedwait(&u->wake, &u->lock, &ts) != ETIMEDOUT)
		;
	stopping = u->stopping;
	pthread_mutex_unlock(&u->lock);
	return !stopping;
}

/* Copies the client's Kerberos login into the status (lock held). */
static void
upload_ticket(struct upload *u)
{
	const char	*principal;
	int64_t		 expiry;

	if (u->hdfs == NULL || hdfs_ticket(u->hdfs, &principal, &expiry) == -1)
		return;
	snprintf(u->status.principal, sizeof u->status.principal, "%s",
	    principal);
	u->status.ticket_expiry_ms = expiry;
}

static int
upload_connect(struct upload *u, struct error *err)
{
	struct hdfs_options o;

	if (u->hdfs != NULL)
		return 0;
	hdfs_options_init(&o);
	o.namenodes = u->namenodes;
	o.user = u->user;
	o.replication = u->cfg.replication;
	o.block_size = u->cfg.block_size;
	o.io_timeout_ms = u->cfg.io_timeout_ms;
	o.kerberos = u->cfg.kerberos;
	o.principal = u->principal;
	o.keytab = u->keytab;
	o.namenode_principal = u->nn_principal;
	o.proxy_user = u->proxy_user;
	o.protection = u->cfg.protection;
	o.use_datanode_hostname = u->cfg.use_datanode_hostname;
	if ((u->hdfs = hdfs_connect(&o, err)) == NULL)
		return -1;
	pthread_mutex_lock(&u->lock);
	snprintf(u->status.namenode, sizeof u->status.namenode, "%s",
	    hdfs_namenode(u->hdfs));
	upload_ticket(u);
	pthread_mutex_unlock(&u->lock);
	return 0;
}

/* Whether dst already holds exactly our bytes (a job done before). */
static int
upload_is_done(struct upload *u, const char *dst, uint64_t size, bool *done,
    struct error *err)
{
	struct hdfs_stat st;

	*done = false;
	if (hdfs_stat(u->hdfs, dst, &st, err) == -1)
		return err->code == ERR_NOTFOUND ? 0 : -1;
	if (st.is_dir || st.length != size)
		return error_set(err, ERR_INPUT, "%s exists with %" PRIu64
		    " bytes, not the %" PRIu64 " of this segment: left alone",
		    dst, st.length, size);
	*done = true;
	return 0;
}

static int
upload_copy(struct upload *u, int fd, const char *hidden, struct error *err)
{
	struct hdfs_writer *w;
	ssize_t		 n;

	w = hdfs_create(u->hdfs, hidden, 0644, HDFS_OVERWRITE |
	    HDFS_CREATE_PARENT, err);
	if (w == NULL)
		return -1;
	for (;;) {
		if ((n = fsio_read_full(fd, u->buf, UPLOAD_CHUNK, err)) == -1)
			goto fail;
		if (n == 0)
			break;
		if (hdfs_write(w, u->buf, (size_t)n, err) == -1)
			goto fail;
	}
	return hdfs_writer_close(w, err);
fail:
	hdfs_writer_abort(w);
	return -1;
}

/*
 * One attempt at a job; -1 with err to retry later.  NameNode calls for a
 * fresh job of one block: create, addBlock, complete, rename2 and the
 * getFileInfo that proves the final file before the segment is released
 * (5).  A job that may have run before (found in the spool at start, or
 * retried) first looks for its final name and clears a stale hidden file
 * (7).  A lost reply is retried by the client with the same call id, so
 * the NameNode's retry cache answers it with the first run's result.
 */
static int
upload_one(struct upload *u, struct upload_job *j, uint64_t *bytes,
    struct error *err)
{
	char		*slash, *hidden = NULL;
	struct stat	 st;
	bool		 done, fresh = j->fresh;
	int		 fd, rc = -1;

	if (j->run != NULL) {
		*bytes = 0;
		if (upload_connect(u, err) == -1 ||
		    j->run(u->hdfs, j->task_arg, err) == -1) {
			error_prefix(err, "%s", j->name);
			return -1;
		}
		return 0;
	}
	if ((fd = open(j->local, O_RDONLY | O_CLOEXEC)) == -1)
		return error_sys(err, "upload: %s", j->local);
	if (fstat(fd, &st) == -1) {
		error_sys(err, "upload: %s", j->local);
		goto out;
	}
	*bytes = (uint64_t)st.st_size;
	if (upload_connect(u, err) == -1)
		goto out;
	if (!fresh) {
		if (upload_is_done(u, j->dst, *bytes, &done, err) == -1)
			goto out;
		if (done) {
			rc = 0;
			goto out;
		}
	}
	/* From here on a later try must look before it writes. */
	j->fresh = false;
	/* Readers skip names starting with '.': the file is hidden until
	   complete (DESIGN 5). */
	slash = strrchr(j->dst, '/');
	hidden = xasprintf("%.*s/.%s.tmp", (int)(slash - j->dst), j->dst,
	    slash + 1);
	/*
	 * A barged killed mid-upload leaves the hidden file open under its
	 * dead client's lease, and create(OVERWRITE) by another client is
	 * refused (AlreadyBeingCreatedException) until the NameNode recovers
	 * that lease.  delete ignores leases: clear the way first.  A fresh
	 * job has no such file.
	 */
	if (!fresh &&
	    hdfs_delete(u->hdfs, hidden, false, err) == -1 &&
	    err->code != ERR_NOTFOUND)
		goto out;
	if (upload_copy(u, fd, hidden, err) == -1)
		goto out;
	if (hdfs_rename(u->hdfs, hidden, j->dst, false, err) == -1) {
		struct error	 e2;

		/*
		 * A rename that ran without an answer, on a NameNode without
		 * a retry cache: the retry finds no source.  Whether the file
		 * is there is decided below.
		 */
		if (upload_is_done(u, j->dst, *bytes, &done, &e2) == -1 ||
		    !done)
			goto out;
		(void)hdfs_delete(u->hdfs, hidden, false, &e2);
	} else if (upload_is_done(u, j->dst, *bytes, &done, err) == -1)
		goto out;
	else if (!done) {
		/* rename2 said done, yet the file is not there. */
		error_set(err, ERR_PROTO, "%s: not there after the rename "
		    "answered done", j->dst);
		goto out;
	}
	rc = 0;
out:
	if (rc == -1)
		error_prefix(err, "upload %s", j->name);
	free(hidden);
	close(fd);
	return rc;
}

/*
 * A segment recovered from the spool, not sealed by this process, is read
 * whole before it ships: a file the disk broke must not reach HDFS.
 * Sets j->damaged to why.  A file that cannot be read at all now
 * (ERR_SYS) is left to the upload, which reports and retries.
 */
static bool
upload_is_damaged(struct upload_job *j)
{
	struct segment_key k;
	struct error	 err;
	uint64_t	 id, want;

	j->verify = false;
	if (segment_parse_name(j->name, &id, &k, &want) == -1)
		return false;
	if (rowcount_check(j->local, k.is_avro, want, "its name says",
	    &err) == -1 && err.code != ERR_SYS)
		j->damaged = xasprintf("spool: %s", err.msg);
	return j->damaged != NULL;
}

static void
upload_post(struct upload *u, struct upload_job *j)
{
	uint64_t	 one = 1;

	pthread_mutex_lock(&u->lock);
	j->next = u->done;
	u->done = j;
	pthread_mutex_unlock(&u->lock);
	if (write(u->efd, &one, sizeof one) == -1 && errno != EAGAIN)
		log_warn("upload: eventfd");
}

static void *
upload_main(void *arg)
{
	struct upload	*u = arg;
	struct upload_job *j;
	struct error	 err;
	unsigned	 attempt = 0;
	uint64_t	 bytes = 0, wait;
	char		 state[64];

	for (;;) {
		pthread_mutex_lock(&u->lock);
		while (u->jobs == NULL && !u->stopping) {
			upload_set_state_locked(u, "idle");
			pthread_cond_wait(&u->wake, &u->lock);
		}
		if (u->stopping) {
			pthread_mutex_unlock(&u->lock);
			break;
		}
		j = u->jobs;
		upload_set_state_locked(u, "uploading");
		pthread_mutex_unlock(&u->lock);

		if (j->verify && upload_is_damaged(j)) {
			pthread_mutex_lock(&u->lock);
			u->jobs = j->next;
			pthread_mutex_unlock(&u->lock);
			upload_post(u, j);
			continue;
		}
		if (upload_one(u, j, &bytes, &err) == 0) {
			attempt = 0;
			pthread_mutex_lock(&u->lock);
			u->jobs = j->next;
			if (j->run == NULL) {
				u->status.files++;
				u->status.bytes += bytes;
			}
			u->status.last_success_ms = clock_wall_ms();
			u->status.failing_since_ms = 0;
			upload_ticket(u);
			pthread_mutex_unlock(&u->lock);
			LOG_TRACE(TRACE_UPLOAD, "upload: %s: %s (%" PRIu64
			    " bytes)", j->name, j->dst, bytes);
			j->ok = true;
			upload_post(u, j);
			continue;
		}
		/* Drop the connection: the next try may need another NameNode. */
		hdfs_free(u->hdfs);
		u->hdfs = NULL;
		wait = clock_backoff_ms(attempt, UPLOAD_BACKOFF_MS,
		    UPLOAD_BACKOFF_MAX_MS);
		if (attempt < 16)
			attempt++;
		pthread_mutex_lock(&u->lock);
		/*
		 * A segment that keeps failing (its final name taken by a
		 * file of another length, say) must not hold up the rest:
		 * it goes to the back of the queue.
		 */
		if (j == u->jobs && j->next != NULL) {
			struct upload_job **tail;

			u->jobs = j->next;
			j->next = NULL;
			for (tail = &u->jobs; *tail != NULL;
			    tail = &(*tail)->next)
				;
			*tail = j;
		}
		snprintf(u->status.last_error, sizeof u->status.last_error,
		    "%s", err.msg);
		u->status.failures++;
		if (u->status.failing_since_ms == 0)
			u->status.failing_since_ms = clock_wall_ms();
		snprintf(state, sizeof state, "retrying in %" PRIu64 " ms",
		    wait);
		upload_set_state_locked(u, state);
		pthread_mutex_unlock(&u->lock);
		if (attempt == 1 || attempt % 8 == 0)
			log_warnx("%s (retrying)", err.msg);
		if (!upload_sleep(u, wait))
			break;
	}
	hdfs_free(u->hdfs);
	u->hdfs = NULL;
	upload_set_state(u, "stopped");
	pthread_mutex_lock(&u->lock);
	u->ended = true;
	pthread_cond_broadcast(&u->wake);
	pthread_mutex_unlock(&u->lock);
	return NULL;
}

static void
upload_eventfd_cb(evutil_socket_t fd, short what, void *arg)
{
	struct upload	*u = arg;
	struct upload_job *list, *rev = NULL, *j;
	uint64_t	 n;

	(void)what;
	if (read(fd, &n, sizeof n) == -1 && errno != EAGAIN)
		log_warn("upload: eventfd");
	pthread_mutex_lock(&u->lock);
	list = u->done;
	u->done = NULL;
	pthread_mutex_unlock(&u->lock);
	while (list != NULL) {		/* back to completion order */
		j = list->next;
		list->next = rev;
		rev = list;
		list = j;
	}
	while (rev != NULL) {
		j = rev->next;
		pthread_mutex_lock(&u->lock);
		u->pending--;
		pthread_mutex_unlock(&u->lock);
		if (rev->run != NULL) {
			if (rev->task_done != NULL)
				rev->task_done(rev->task_arg, rev->ok);
			rev->task_done = NULL;
		} else
			u->done_cb(u->done_arg, rev->name, rev->ok,
			    rev->damaged);
		upload_job_free(rev);
		rev = j;
	}
}

struct upload *
upload_start(struct event_base *base, const struct upload_config *cfg,
    upload_done_cb cb, void *arg)
{
	struct upload	*u = xcalloc(1, sizeof *u);

	u->cfg = *cfg;
	u->namenodes = xstrdup(cfg->namenodes);
	u->user = cfg->user != NULL ? xstrdup(cfg->user) : NULL;
	u->principal = cfg->principal != NULL ? xstrdup(cfg->principal) :
	    NULL;
	u->keytab = cfg->keytab != NULL ? xstrdup(cfg->keytab) : NULL;
	u->nn_principal = cfg->nn_principal != NULL ?
	    xstrdup(cfg->nn_principal) : NULL;
	u->proxy_user = cfg->proxy_user != NULL ? xstrdup(cfg->proxy_user) :
	    NULL;
	u->done_cb = cb;
	u->done_arg = arg;
	u->buf = xmalloc(UPLOAD_CHUNK);
	pthread_mutex_init(&u->lock, NULL);
	pthread_cond_init(&u->wake, NULL);
	upload_set_state(u, "idle");
	if ((u->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1)
		fatal("upload: eventfd");
	u->ev = event_new(base, u->efd, EV_READ | EV_PERSIST,
	    upload_eventfd_cb, u);
	event_add(u->ev, NULL);
	if (pthread_create(&u->thread, NULL, upload_main, u) != 0)
		fatalx("upload: cannot start the uploader thread");
	return u;
}

static void
upload_enqueue(struct upload *u, struct upload_job *j)
{
	struct upload_job **tail;

	pthread_mutex_lock(&u->lock);
	for (tail = &u->jobs; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = j;
	u->pending++;
	pthread_cond_broadcast(&u->wake);
	pthread_mutex_unlock(&u->lock);
}

void
upload_submit(struct upload *u, const char *name, const char *local,
    const char *dst, bool fresh)
{
	struct upload_job *j = xcalloc(1, sizeof *j);

	j->fresh = fresh;
	j->verify = !fresh;
	j->name = xstrdup(name);
	j->local = xstrdup(local);
	j->dst = xstrdup(dst);
	upload_enqueue(u, j);
}

void
upload_submit_task(struct upload *u, const char *name, upload_task_run run,
    upload_task_done done, void *arg)
{
	struct upload_job *j = xcalloc(1, sizeof *j);

	j->name = xstrdup(name);
	j->run = run;
	j->task_done = done;
	j->task_arg = arg;
	upload_enqueue(u, j);
}

unsigned
upload_pending(struct upload *u)
{
	unsigned	 n;

	pthread_mutex_lock(&u->lock);
	n = u->pending;
	pthread_mutex_unlock(&u->lock);
	return n;
}

void
upload_snapshot(struct upload *u, struct metrics_upload *m)
{
	pthread_mutex_lock(&u->lock);
	*m = u->status;
	pthread_mutex_unlock(&u->lock);
}

bool
upload_stop(struct upload *u, int timeout_ms)
{
	struct timespec	 ts;
	struct upload_job *j;
	bool		 ended;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&u->lock);
	u->stopping = true;
	pthread_cond_broadcast(&u->wake);
	while (!u->ended &&
	    pthread_cond_timedwait(&u->wake, &u->lock, &ts) != ETIMEDOUT)
		;
	ended = u->ended;
	pthread_mutex_unlock(&u->lock);
	event_free(u->ev);
	if (!ended) {
		/* The thread may still use u: leave it to the exit. */
		pthread_detach(u->thread);
		return false;
	}
	pthread_join(u->thread, NULL);
	/* Deliver what finished, so the caller can release those segments. */
	upload_eventfd_cb(u->efd, EV_READ, u);
	while ((j = u->jobs) != NULL) {
		u->jobs = j->next;
		upload_job_free(j);
	}
	close(u->efd);
	pthread_mutex_destroy(&u->lock);
	pthread_cond_destroy(&u->wake);
	free(u->namenodes);
	free(u->user);
	free(u->principal);
	free(u->keytab);
	free(u->nn_principal);
	free(u->proxy_user);
	free(u->buf);
	free(u);
	return true;
}
