/*
 * The uploader: one thread owning one HDFS client, shipping sealed
 * segments (DESIGN 6.5): hidden name in the final folder, complete,
 * rename to the final name; only then is the local segment released.
 * The main loop hands it jobs and hears back through an eventfd.
 */
#ifndef BARGED_UPLOAD_H
#define BARGED_UPLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include <event2/event.h>

#include "barged/metrics.h"

struct upload;

struct upload_config {
	const char	*namenodes;	/* "host:port,host:port" */
	const char	*user;
	unsigned	 replication;
	uint64_t	 block_size;
	int		 io_timeout_ms;	/* 0: the client's default */
	bool		 kerberos;
	const char	*principal;	/* NULL: the credential cache's */
	const char	*keytab;	/* NULL: the default cache */
	const char	*nn_principal;	/* NULL: the NameNode's word */
	const char	*proxy_user;	/* NULL: none */
	int		 protection;	/* HDFS_PROTECT_* */
	bool		 use_datanode_hostname;
};

/*
 * Called on the main thread for each finished job: ok once it is in
 * HDFS; otherwise damaged says why the file will not ship (a recovered
 * segment that does not read back whole), or is NULL (the uploader
 * stopped first).
 */
typedef void	(*upload_done_cb)(void *arg, const char *name, bool ok,
		    const char *damaged);

struct hdfs;
struct error;
/*
 * A task: work of another module that needs the uploader's HDFS client
 * (the fleet's records).  run is called on the uploader thread and must
 * be idempotent: -1 with err retries it with backoff, like a file.  done
 * is called on the main thread once run succeeded (ok), or with ok false
 * if the uploader stopped first.
 */
typedef int	(*upload_task_run)(struct hdfs *, void *arg, struct error *);
typedef void	(*upload_task_done)(void *arg, bool ok);

/* Starts the thread; the config is copied. */
struct upload	*upload_start(struct event_base *, const struct upload_config *,
		    upload_done_cb, void *arg);
/*
 * Queues the file local (named name in done callbacks) for dst.  fresh:
 * no earlier try can have reached HDFS (spool_take_sealed), so the first
 * try skips looking for an earlier result; a file that is not fresh was
 * recovered from the spool and is read whole (its rows against the count
 * its name carries) before it ships.  Jobs run in order; a failed
 * one is retried with backoff until it succeeds or the uploader stops.
 */
void		 upload_submit(struct upload *, const char *name,
		    const char *local, const char *dst, bool fresh);
/* Queues a task (named name in logs) after the jobs queued so far. */
void		 upload_submit_task(struct upload *, const char *name,
		    upload_task_run, upload_task_done, void *arg);
/* Jobs queued or running. */
unsigned	 upload_pending(struct upload *);
/* Copies the uploader's figures into m. */
void		 upload_snapshot(struct upload *, struct metrics_upload *m);
/*
 * Stops: the file being sent may finish within timeout_ms, then the
 * thread is abandoned (a later start finds the hidden file and replaces
 * it).  Frees u.  Returns whether the thread ended in time.
 */
bool		 upload_stop(struct upload *, int timeout_ms);

#endif
