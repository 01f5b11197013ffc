/*
 * barged(8): the agent.  main() owns the context and wires the modules
 * together on one libevent loop: watch (inputs) -> pipeline -> spool,
 * a sync timer (barged/sync.c) making it durable, the uploader thread
 * shipping sealed segments, and the control socket.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "barged/closer.h"
#include "barged/control.h"
#include "barged/daemon.h"
#include "barged/diskfull.h"
#include "barged/metrics.h"
#include "barged/pipeline.h"
#include "barged/sync.h"
#include "barged/upload.h"
#include "barged/watch.h"
#include "base/clock.h"
#include "base/diag.h"
#include "base/fsio.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "core/checkpoint.h"
#include "core/config.h"
#include "core/linebuf.h"
#include "core/schema.h"
#include "core/segment.h"
#include "core/spool.h"
#include "core/tail.h"
#include "core/zpool.h"

#define BARGED_SYNC_MS		1000
#define BARGED_STAT_MS		1000
#define BARGED_DRAIN_MS		10000	/* uploads waited for at exit */
#define BARGED_ZQUEUE		(1 << 20)	/* rows waiting for deflate */

struct barged {
	const char		*config_path;
	struct config		*cfg;
	struct schema		*schema;
	struct event_base	*base;
	struct metrics		 metrics;
	struct spool		*spool;
	struct zpool		*zpool;		/* compression thread */
	struct tail		**tails;
	size_t			 ntails;
	uint64_t		*lost_seen;	/* per tail, for the loud log */
	struct pipeline		*pipeline;
	struct watch		*watch;
	struct sync		*sync;
	struct upload		*upload;
	struct closer		*closer;
	struct control		*control;
	struct event		*sync_timer;
	struct event		*drain_timer;
	uint64_t		 drain_deadline;
	bool			 is_stopping;
	bool			 is_disk_full;	/* waiting for room */
	bool			 is_state_stuck; /* checkpoint unwritable */
};

static const char barged_usage[] =
    "usage: barged [-fhnVv] [-c file] [-p pidfile] [-T trace] [-u user]\n";

static int
barged_load(const char *path, struct config **cfgp, struct schema **sp)
{
	struct diag	*d = diag_new();
	struct config	*cfg;
	struct schema	*s = NULL;
	size_t		 i;

	if ((cfg = config_load(path, d)) != NULL &&
	    (s = schema_load(cfg->messages_dir, d)) != NULL)
		schema_set_default_format(s, cfg->output_format ==
		    CONFIG_FORMAT_AVRO ? MESSAGE_FORMAT_AVRO :
		    MESSAGE_FORMAT_TSV_GZ);
	if (diag_count(d) > 0) {
		for (i = 0; i < diag_count(d); i++)
			log_warnx("config: %s", diag_get(d, i));
		config_free(cfg);
		schema_free(s);
		diag_free(d);
		return -1;
	}
	diag_free(d);
	*cfgp = cfg;
	*sp = s;
	return 0;
}

static void
barged_limits(struct barged *b)
{
	struct sync_limits l;

	l.max_bytes = b->cfg->batch_max_bytes;
	l.max_age_ms = b->cfg->batch_max_age_ms;
	sync_set_limits(b->sync, &l);
	if (b->closer != NULL)
		closer_set_times(b->closer, b->cfg->batch_close_after_ms,
		    b->cfg->batch_close_spread_ms);
	b->metrics.spool_max_bytes = b->cfg->spool_max_bytes;
}

/*
 * A checkpoint that does not read back (edited, or broken by the disk)
 * would fail every start.  It is kept as checkpoint.corrupt and barged
 * starts without it: inputs from their start_at, open segments set aside
 * (what they hold is unknown), sealed ones kept and checked before they
 * are uploaded.
 */
static void
barged_checkpoint_lost(const char *path, const struct error *why,
    struct checkpoint *cp)
{
	char	*aside = xasprintf("%s.corrupt", path);

	if (rename(path, aside) == -1)
		fatal("rename %s to %s", path, aside);
	log_warnx("%s: moved to %s; inputs start again at their start_at, "
	    "open segments go to the spool's corrupt/ folder, sealed ones "
	    "are checked before they are uploaded", why->msg, aside);
	free(aside);
	checkpoint_clear(cp);
	cp->next_id = SPOOL_ID_LOST;
}

static const struct metrics *
barged_metrics(void *arg)
{
	struct barged	*b = arg;
	struct tail_stats st;
	struct tail_pos	 pos;
	size_t		 i;

	for (i = 0; i < b->ntails; i++) {
		struct metrics_input *in = metrics_input(&b->metrics,
		    tail_path(b->tails[i]));

		tail_pos(b->tails[i], &pos);
		tail_stats(b->tails[i], &st);
		in->offset = pos.offset;
		in->lag = st.lag;
		in->rotations = st.rotations;
		in->lost = st.lost_bytes;
	}
	b->metrics.spool_open = spool_open_count(b->spool);
	b->metrics.spool_sealed = spool_sealed_count(b->spool);
	b->metrics.spool_bytes = spool_bytes(b->spool);
	b->metrics.spool_corrupt = spool_corrupt_count(b->spool);
	b->metrics.spool_oldest_ms = spool_oldest_ms(b->spool,
	    clock_wall_ms());
	/* Paused for a full spool; the other pauses have their own. */
	b->metrics.is_paused = watch_is_paused(b->watch) && !b->is_disk_full &&
	    !b->is_state_stuck;
	b->metrics.checkpoints = sync_count(b->sync);
	b->metrics.closed_hour = closer_closed_through(b->closer);
	upload_snapshot(b->upload, &b->metrics.upload);
	return &b->metrics;
}

/* After each checkpoint: hand newly sealed segments to the uploader. */
static void
barged_sealed(void *arg)
{
	struct barged	*b = arg;
	struct segment_key k;
	const char	*name;
	char		*local, *dst;
	uint64_t	 id;
	bool		 fresh;

	while ((name = spool_take_sealed(b->spool, &fresh)) != NULL) {
		if (segment_parse_name(name, &id, &k, NULL) == -1)
			fatalx("spool: %s: not a segment name", name);
		local = xasprintf("%s/%s", spool_sealed_dir(b->spool), name);
		dst = segment_hdfs_path(b->cfg->hdfs_root, b->cfg->host, id,
		    &k);
		upload_submit(b->upload, name, local, dst, fresh);
		free(local);
		free(dst);
	}
}

/* A segment is in HDFS: into the manifest, and only then out of the spool. */
static void
barged_uploaded(void *arg, const char *name, bool ok, const char *damaged)
{
	struct barged	*b = arg;
	struct manifest_entry e;
	struct error	 err;
	uint64_t	 id;

	if (damaged != NULL) {
		if (spool_set_aside(b->spool, name, damaged, &err) == -1)
			fatalx("%s", err.msg);
		return;
	}
	if (!ok) {
		spool_requeue(b->spool, name);
		return;
	}
	if (segment_parse_name(name, &id, &e.key, &e.rows) == -1)
		fatalx("spool: %s: not a segment name", name);
	e.bytes = spool_sealed_size(b->spool, name);
	e.path = segment_hdfs_path(b->cfg->hdfs_root, b->cfg->host, id,
	    &e.key);
	if (closer_shipped(b->closer, &e, &err) == -1) {
		/* Kept: the next try finds it in HDFS and lists it then. */
		log_warnx("%s: %s kept in the spool", err.msg, name);
		spool_requeue(b->spool, name);
	} else if (spool_done(b->spool, name, &err) == -1)
		log_warnx("%s", err.msg);
	free(e.path);
}

static void
barged_check_lost(struct barged *b)
{
	size_t	 i;

	for (i = 0; i < b->ntails; i++) {
		uint64_t lost = tail_lost_bytes(b->tails[i]);

		if (lost > b->lost_seen[i]) {
			log_warnx("tail: %s: %" PRIu64 " bytes rotated or "
			    "truncated away unread (%" PRIu64 " in all): "
			    "they are lost", tail_path(b->tails[i]),
			    lost - b->lost_seen[i], lost);
			b->lost_seen[i] = lost;
		}
	}
}

/* A sync point could not write: wait for room (barged/diskfull.h). */
static void
barged_disk_full(struct barged *b, const struct error *why)
{
	log_warnx("%s: the spool's file system is full: input paused; "
	    "barged starts again from its last checkpoint once %s has %llu "
	    "MiB free", why->msg, b->cfg->spool_dir,
	    (unsigned long long)(diskfull_wanted(b->cfg->spool_dir) >> 20));
	b->is_disk_full = true;
	b->metrics.disk_full_since_ms = clock_wall_ms();
	watch_set_paused(b->watch, true);
	daemon_notify("STATUS=spool file system full: input paused");
}

/* While the disk is full: once there is room, start over. */
static void
barged_disk_full_tick(struct barged *b)
{
	uint64_t	 free_bytes;

	if ((uint64_t)(clock_wall_ms() - b->metrics.disk_full_since_ms) <
	    diskfull_wait_ms() ||
	    !diskfull_has_room(b->cfg->spool_dir, &free_bytes))
		return;
	log_info("spool: %llu bytes free on %s again: starting again from "
	    "the last checkpoint", (unsigned long long)free_bytes,
	    b->cfg->spool_dir);
	(void)upload_stop(b->upload, 10000);
	diskfull_restart();
}

/*
 * Whether err is a checkpoint that could not be written for want of
 * permission (a state folder chmod'ed, chown'ed or remounted read-only).
 * barged exited on it, and under systemd started and failed again and
 * again; a sync point that is retried as it is loses nothing (its
 * segments are synced, and sealed ones wait for the checkpoint).
 */
static bool
barged_state_stuck_is(const struct error *err)
{
	return err->code == ERR_SYS && (err->sys == EACCES ||
	    err->sys == EPERM || err->sys == EROFS);
}

/* Input paused until a checkpoint can be written; uploads go on. */
static void
barged_state_stuck(struct barged *b, const struct error *why)
{
	log_warnx("%s: the state folder %s is not writable: input paused; "
	    "each sync point tries the checkpoint again", why->msg,
	    b->cfg->state_dir);
	b->is_state_stuck = true;
	b->metrics.state_stuck_since_ms = clock_wall_ms();
	watch_set_paused(b->watch, true);
	daemon_notify("STATUS=state folder not writable: input paused");
}

/*
 * A sync point failed: wait for a full disk or a state folder that is
 * not writable; anything else restarts from the last checkpoint.
 */
static void
barged_sync_failed(struct barged *b, const struct error *err)
{
	if (diskfull_is(err))
		barged_disk_full(b, err);
	else if (barged_state_stuck_is(err)) {
		if (!b->is_state_stuck)
			barged_state_stuck(b, err);
	} else
		fatalx("%s", err->msg);
}

static void
barged_sync_cb(evutil_socket_t fd, short what, void *arg)
{
	struct barged	*b = arg;
	struct error	 err;
	bool		 full;

	int64_t		 now = clock_wall_ms();
	int64_t		 caught = watch_caught_up_ms(b->watch);

	(void)fd;
	(void)what;
	if (b->is_disk_full) {
		barged_disk_full_tick(b);
		return;
	}
	if (sync_point(b->sync, closer_seal_through(b->closer, now, caught),
	    false, &err) == -1) {
		barged_sync_failed(b, &err);
		return;
	}
	if (b->is_state_stuck) {
		log_info("state: %s is writable again: input resumed",
		    b->cfg->state_dir);
		b->is_state_stuck = false;
		b->metrics.state_stuck_since_ms = 0;
		watch_set_paused(b->watch, false);
		daemon_notify("STATUS=running");
	}
	diskfull_clear();
	closer_tick(b->closer, now, caught, spool_oldest_hour(b->spool));
	full = spool_bytes(b->spool) >= b->cfg->spool_max_bytes;
	if (full != watch_is_paused(b->watch)) {
		watch_set_paused(b->watch, full);
		if (full)
			log_warnx("spool: full (%" PRIu64 " bytes): input "
			    "paused until uploads free space",
			    spool_bytes(b->spool));
		else
			log_info("spool: below its limit again: input resumed");
	}
	barged_check_lost(b);
}

/* spool_seal_stale's: the schema of k's rows now, if they are Avro. */
static const char *
barged_avro_schema_of(const struct segment_key *k, void *arg)
{
	const struct barged *b = arg;
	const struct message *m = schema_find(b->schema, k->name,
	    strlen(k->name), k->version);

	return m != NULL && m->format == MESSAGE_FORMAT_AVRO ?
	    m->avro_schema : NULL;
}

/* Whether the inputs of two configurations differ (path or start). */
static bool
barged_inputs_differ(const struct config *a, const struct config *b)
{
	size_t	 i;

	if (a->ninputs != b->ninputs)
		return true;
	for (i = 0; i < a->ninputs; i++)
		if (strcmp(a->inputs[i].path, b->inputs[i].path) != 0 ||
		    a->inputs[i].start_at != b->inputs[i].start_at)
			return true;
	return false;
}

/*
 * Whether a reload must be refused because a definition changed its
 * layout within its version: its open segments (an Avro one's header)
 * hold rows of the old one.  Logs each.
 */
static bool
barged_layouts_kept(const struct schema *running, const struct schema *s)
{
	struct diag	*d = diag_new();
	size_t		 i;
	bool		 changed;

	changed = schema_layout_changes(running, s, d) > 0;
	for (i = 0; i < diag_count(d); i++)
		log_warnx("reload: %s", diag_get(d, i));
	diag_free(d);
	return changed;
}

static void
barged_reload(struct barged *b)
{
	struct config	*cfg = NULL;
	struct schema	*s = NULL;

	daemon_notify("RELOADING=1");
	if (barged_load(b->config_path, &cfg, &s) == -1 ||
	    barged_layouts_kept(b->schema, s)) {
		log_warnx("reload: %s has errors: keeping the running "
		    "configuration and definitions", b->config_path);
		config_free(cfg);
		schema_free(s);
		daemon_notify("READY=1");
		return;
	}
	if (barged_inputs_differ(cfg, b->cfg) ||
	    cfg->gzip_level != b->cfg->gzip_level ||
	    strcmp(cfg->spool_dir, b->cfg->spool_dir) != 0 ||
	    strcmp(cfg->state_dir, b->cfg->state_dir) != 0 ||
	    strcmp(cfg->hdfs_root, b->cfg->hdfs_root) != 0 ||
	    strcmp(cfg->host, b->cfg->host) != 0 ||
	    strcmp(cfg->control_socket, b->cfg->control_socket) != 0)
		log_warnx("reload: inputs, folders, host, gzip level, hdfs and "
		    "control settings take effect at the next restart");
	/* Keep what a running agent cannot change under its feet. */
	free(cfg->host);
	cfg->host = xstrdup(b->cfg->host);
	free(cfg->hdfs_root);
	cfg->hdfs_root = xstrdup(b->cfg->hdfs_root);
	pipeline_set_schema(b->pipeline, s);
	pipeline_set_quarantine(b->pipeline, cfg->quarantine);
	schema_free(b->schema);
	b->schema = s;
	config_free(b->cfg);
	b->cfg = cfg;
	barged_limits(b);
	log_info("reload: %zu message definitions", schema_count(s));
	daemon_notify("READY=1");
}

static void
barged_drain_cb(evutil_socket_t fd, short what, void *arg)
{
	struct barged	*b = arg;

	(void)fd;
	(void)what;
	if (upload_pending(b->upload) == 0 ||
	    clock_mono_ms() >= b->drain_deadline)
		event_base_loopbreak(b->base);
}

static void
barged_stop(struct barged *b)
{
	struct timeval	 tv = { 0, 100 * 1000 };
	struct error	 err;

	if (b->is_stopping)
		return;
	b->is_stopping = true;
	daemon_notify("STOPPING=1");
	log_info("stop: sealing and syncing");
	event_del(b->sync_timer);
	watch_set_paused(b->watch, true);
	if (sync_point(b->sync, INT64_MIN, true, &err) == -1)
		log_warnx("%s", err.msg);
	b->drain_deadline = clock_mono_ms() + BARGED_DRAIN_MS;
	b->drain_timer = event_new(b->base, -1, EV_PERSIST, barged_drain_cb,
	    b);
	event_add(b->drain_timer, &tv);
}

static void
barged_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct barged	*b = arg;

	(void)what;
	if (sig == SIGHUP)
		barged_reload(b);
	else
		barged_stop(b);
}

static void
barged_libevent_log(int severity, const char *msg)
{
	if (severity >= EVENT_LOG_WARN)
		log_warnx("libevent: %s", msg);
	else
		log_debug("libevent: %s", msg);
}

static void
barged_libevent_fatal(int code)
{
	fatalx("libevent: fatal error %d", code);
}

static void
barged_open_inputs(struct barged *b, const struct checkpoint *cp)
{
	struct tail_pos	 pos;
	struct error	 err;
	size_t		 i;

	b->tails = xcalloc(b->cfg->ninputs, sizeof *b->tails);
	b->lost_seen = xcalloc(b->cfg->ninputs, sizeof *b->lost_seen);
	for (i = 0; i < b->cfg->ninputs; i++) {
		const struct config_input *in = &b->cfg->inputs[i];
		bool	 resume = sync_resume_pos(cp, in->path, &pos);

		b->tails[i] = tail_open(in->path, resume ? &pos : NULL,
		    in->start_at == CONFIG_START_END, LINEBUF_MAX_LINE, &err);
		if (b->tails[i] == NULL)
			fatalx("%s", err.msg);
		b->ntails++;
		if (resume)
			log_info("tail: %s: resuming at offset %" PRIu64,
			    in->path, pos.offset);
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'n' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "trace", required_argument, NULL, 'T' },
		{ "user", required_argument, NULL, 'u' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct barged	 b;
	struct checkpoint cp;
	struct upload_config uc;
	struct closer_config cc;
	struct error	 err;
	struct event	*sigs[4];
	struct timeval	 tv;
	uint64_t	 tick_ms;
	const char	*pidfile = NULL, *user = NULL, *trace = NULL;
	bool		 foreground = false, check = false;
	char		*namenodes, *cppath;
	int		 ch, verbose = 0, i;
	size_t		 n;

	memset(&b, 0, sizeof b);
	b.config_path = BARGE_SYSCONFDIR "/barge.yaml";
	diskfull_init(argc, argv);
	while ((ch = getopt_long(argc, argv, "c:fhnp:T:u:vV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			b.config_path = optarg;
			break;
		case 'f':
			foreground = true;
			break;
		case 'n':
			check = true;
			break;
		case 'p':
			pidfile = optarg;
			break;
		case 'T':
			trace = optarg;
			break;
		case 'u':
			user = optarg;
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			printf("%s", barged_usage);
			return 0;
		case 'V':
			printf("barged %s\n", PACKAGE_VERSION);
			return 0;
		default:
			fprintf(stderr, "%s", barged_usage);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s", barged_usage);
		return 2;
	}
	log_init("barged", foreground || check, verbose);
	if (trace != NULL && log_set_trace(trace) == -1) {
		log_warnx("barged: -T %s: unknown trace category (tail, spool, "
		    "rpc, upload, data, all)", trace);
		return 2;
	}
	if ((i = clock_init_env(&err)) == -1) {
		log_warnx("%s", err.msg);
		return 2;
	}
	if (i == 1)
		log_warnx("BARGE_TEST_CLOCK is set: the wall clock is a "
		    "benchmark's, not the host's");
	if (barged_load(b.config_path, &b.cfg, &b.schema) == -1)
		return 1;
	if (check) {
		log_info("config: %s: ok, %zu message definitions",
		    b.config_path, schema_count(b.schema));
		schema_free(b.schema);
		config_free(b.cfg);
		return 0;
	}
	if (b.cfg->nnamenodes == 0) {
		log_warnx("config: %s: hdfs.namenodes is not set",
		    b.config_path);
		return 1;
	}
	if (!foreground)
		daemon_detach();
	if (pidfile != NULL && daemon_pidfile(pidfile, &err) == -1)
		fatalx("%s", err.msg);

	event_set_log_callback(barged_libevent_log);
	event_set_fatal_callback(barged_libevent_fatal);
	if ((b.base = event_base_new()) == NULL)
		fatalx("barged: cannot create the event loop");
	if (fsio_mkdir_p(b.cfg->state_dir, 0750, &err) == -1 ||
	    fsio_mkdir_p(b.cfg->spool_dir, 0750, &err) == -1)
		fatalx("%s", err.msg);
	metrics_init(&b.metrics);
	b.control = control_open(b.base, b.cfg->control_socket,
	    b.cfg->metrics, barged_metrics, &b, &err);
	if (b.control == NULL)
		fatalx("%s", err.msg);
	if (daemon_drop(user, &err) == -1)
		fatalx("%s", err.msg);

	/* Recovery: back to exactly what the last checkpoint recorded. */
	cppath = xasprintf("%s/checkpoint", b.cfg->state_dir);
	if (sync_load(cppath, &cp, &err) == -1) {
		if (err.code != ERR_INPUT)
			fatalx("%s", err.msg);
		barged_checkpoint_lost(cppath, &err, &cp);
	}
	b.zpool = zpool_new(b.cfg->gzip_level, BARGED_ZQUEUE);
	b.spool = spool_open(b.cfg->spool_dir, b.cfg->gzip_level, cp.next_id,
	    cp.segments, cp.nsegments, b.zpool, &err);
	if (b.spool == NULL ||
	    spool_seal_stale(b.spool, barged_avro_schema_of, &b, &err) == -1)
		fatalx("%s", err.msg);
	barged_open_inputs(&b, &cp);
	checkpoint_clear(&cp);

	b.pipeline = pipeline_new(b.spool, &b.metrics, b.cfg->quarantine);
	pipeline_set_schema(b.pipeline, b.schema);
	b.sync = sync_new(cppath, b.spool, barged_sealed, &b);
	free(cppath);
	for (n = 0; n < b.ntails; n++)
		sync_add_tail(b.sync, b.tails[n]);
	barged_limits(&b);

	namenodes = xcalloc(1, 1);
	for (n = 0; n < b.cfg->nnamenodes; n++) {
		char	*next = xasprintf("%s%s%s", namenodes, n ? "," : "",
		    b.cfg->namenodes[n]);

		free(namenodes);
		namenodes = next;
	}
	memset(&uc, 0, sizeof uc);
	uc.namenodes = namenodes;
	uc.user = b.cfg->hdfs_user;
	uc.replication = b.cfg->replication;
	uc.block_size = b.cfg->block_size;
	uc.kerberos = b.cfg->auth == CONFIG_AUTH_KERBEROS;
	uc.principal = b.cfg->kerberos_principal;
	uc.keytab = b.cfg->kerberos_keytab;
	uc.nn_principal = b.cfg->kerberos_nn_principal;
	uc.proxy_user = b.cfg->proxy_user;
	uc.protection = (int)b.cfg->data_transfer_protection;
	uc.use_datanode_hostname = b.cfg->use_datanode_hostname;
	uc.io_timeout_ms = b.cfg->hdfs_timeout_ms > INT_MAX ? INT_MAX :
	    (int)b.cfg->hdfs_timeout_ms;
	b.upload = upload_start(b.base, &uc, barged_uploaded, &b);
	free(namenodes);
	memset(&cc, 0, sizeof cc);
	cc.root = b.cfg->hdfs_root;
	cc.host = b.cfg->host;
	cc.close_after_ms = b.cfg->batch_close_after_ms;
	cc.close_spread_ms = b.cfg->batch_close_spread_ms;
	if ((b.closer = closer_open(b.cfg->state_dir, &cc, b.upload,
	    &err)) == NULL)
		fatalx("%s", err.msg);

	/* A test clock that runs fast runs barged's ticks as fast. */
	tick_ms = BARGED_STAT_MS / (uint64_t)clock_speed();
	b.watch = watch_new(b.base, pipeline_line, b.pipeline,
	    tick_ms ? tick_ms : 1);
	for (n = 0; n < b.ntails; n++)
		watch_add(b.watch, b.tails[n]);
	tick_ms = BARGED_SYNC_MS / (uint64_t)clock_speed();
	tick_ms = tick_ms ? tick_ms : 1;
	tv.tv_sec = (time_t)(tick_ms / 1000);
	tv.tv_usec = (suseconds_t)(tick_ms % 1000) * 1000;
	b.sync_timer = event_new(b.base, -1, EV_PERSIST, barged_sync_cb, &b);
	event_add(b.sync_timer, &tv);
	sigs[0] = evsignal_new(b.base, SIGHUP, barged_signal_cb, &b);
	sigs[1] = evsignal_new(b.base, SIGTERM, barged_signal_cb, &b);
	sigs[2] = evsignal_new(b.base, SIGINT, barged_signal_cb, &b);
	sigs[3] = NULL;
	for (i = 0; sigs[i] != NULL; i++)
		event_add(sigs[i], NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Segments recovered as sealed are offered once this checkpoint holds. */
	if (sync_point(b.sync, INT64_MIN, false, &err) == -1)
		barged_sync_failed(&b, &err);
	log_info("start: %zu inputs, %zu message definitions, "
	    "%zu sealed segments waiting", b.ntails, schema_count(b.schema),
	    spool_sealed_count(b.spool));
	daemon_notify("READY=1");
	event_base_dispatch(b.base);

	if (!upload_stop(b.upload, 2000))
		log_warnx("upload: still busy at exit; the next start "
		    "repeats it");
	log_info("stop: done, %zu sealed segments left for the next "
	    "start", spool_sealed_count(b.spool));
	closer_free(b.closer);
	for (i = 0; sigs[i] != NULL; i++)
		event_free(sigs[i]);
	if (b.drain_timer != NULL)
		event_free(b.drain_timer);
	event_free(b.sync_timer);
	watch_free(b.watch);
	control_close(b.control);
	sync_free(b.sync);
	pipeline_free(b.pipeline);
	for (n = 0; n < b.ntails; n++)
		tail_close(b.tails[n]);
	free(b.tails);
	free(b.lost_seen);
	spool_free(b.spool);
	zpool_free(b.zpool);
	metrics_clear(&b.metrics);
	schema_free(b.schema);
	config_free(b.cfg);
	event_base_free(b.base);
	if (pidfile != NULL)
		unlink(pidfile);
	return 0;
}
