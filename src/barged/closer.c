/*
 * The closer.  Its state file holds two hours, written atomically:
 *	barge-hours 1
 *	closed <YYYY-MM-DDTHH>		hours up to this one are closed
 *	marker <YYYY-MM-DDTHH>|none	where the marker is in HDFS
 * A host's first start takes the hour before the current one as the first
 * to close, so lines of the previous hour still in the input count.
 */
#include "config.h"

#include "barged/closer.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "barged/record.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/fsio.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "core/fleet.h"

#define CLOSER_MAGIC	"barge-hours 1\n"
#define CLOSER_DAYS_MAX	64	/* dirty days published in one close */

struct closer_page {
	char		*path;
	int64_t		 day;
	struct buf	 json;
	size_t		 count;
};

/* One close under way: what the uploader thread writes. */
struct closer_task {
	struct closer		*c;
	char			*root;
	char			*host;
	int64_t			 from;		/* marker now */
	int64_t			 to;		/* hour being closed */
	struct closer_page	 pages[CLOSER_DAYS_MAX];
	size_t			 npages;
};

struct closer {
	char			*path;		/* the state file */
	char			*root;
	char			*host;
	uint64_t		 close_after_ms;
	uint64_t		 offset_ms;
	int64_t			 closed;	/* last hour closed */
	int64_t			 marker;	/* RECORD_NO_HOUR: none */
	struct manifest		*manifest;
	struct upload		*upload;
	struct closer_task	*busy;
};

static int
closer_save(const struct closer *c, struct error *err)
{
	char		 h[FLEET_HOUR_LEN], m[FLEET_HOUR_LEN];
	struct buf	 b;
	int		 rc;

	fleet_hour_name(c->closed, h);
	if (c->marker == RECORD_NO_HOUR)
		snprintf(m, sizeof m, "none");
	else
		fleet_hour_name(c->marker, m);
	buf_init(&b);
	buf_printf(&b, CLOSER_MAGIC "closed %s\nmarker %s\n", h, m);
	rc = fsio_write_file_atomic(c->path, b.data, b.len, err);
	buf_clear(&b);
	return rc;
}

static int
closer_load(struct closer *c, struct error *err)
{
	char		 h[32], m[32];
	struct buf	 b;
	int		 n = 0, rc = 0;

	buf_init(&b);
	if (fsio_read_file(c->path, &b, err) == -1) {
		if (err->code != ERR_NOTFOUND) {
			buf_clear(&b);
			return -1;
		}
		c->closed = clock_wall_ms() / 3600000 - 2;
		c->marker = RECORD_NO_HOUR;
		buf_clear(&b);
		return closer_save(c, err);
	}
	if (sscanf(b.data, CLOSER_MAGIC "closed %31s\nmarker %31s\n%n", h, m,
	    &n) != 2 || (size_t)n != b.len ||
	    fleet_parse_hour(h, &c->closed) == -1)
		rc = -1;
	else if (strcmp(m, "none") == 0)
		c->marker = RECORD_NO_HOUR;
	else if (fleet_parse_hour(m, &c->marker) == -1)
		rc = -1;
	if (rc == -1)
		error_set(err, ERR_INPUT, "%s: not a barge hours file (remove it "
		    "to start closing from the last hour)", c->path);
	buf_clear(&b);
	return rc;
}

struct closer *
closer_open(const char *state_dir, const struct closer_config *cfg,
    struct upload *u, struct error *err)
{
	struct closer	*c = xcalloc(1, sizeof *c);
	char		*mdir;

	c->path = xasprintf("%s/hours", state_dir);
	c->root = xstrdup(cfg->root);
	c->host = xstrdup(cfg->host);
	c->upload = u;
	closer_set_times(c, cfg->close_after_ms, cfg->close_spread_ms);
	mdir = xasprintf("%s/manifests", state_dir);
	c->manifest = manifest_open(mdir, cfg->host, err);
	free(mdir);
	if (c->manifest == NULL || closer_load(c, err) == -1) {
		closer_free(c);
		return NULL;
	}
	return c;
}

void
closer_free(struct closer *c)
{
	if (c == NULL)
		return;
	/* A task still queued keeps a pointer: it is dropped with it. */
	if (c->busy != NULL)
		c->busy->c = NULL;
	manifest_free(c->manifest);
	free(c->path);
	free(c->root);
	free(c->host);
	free(c);
}

void
closer_set_times(struct closer *c, uint64_t close_after_ms,
    uint64_t close_spread_ms)
{
	c->close_after_ms = close_after_ms;
	c->offset_ms = fleet_offset_ms(c->host, close_spread_ms);
}

int64_t
closer_seal_through(const struct closer *c, int64_t now_ms,
    int64_t caught_up_ms)
{
	int64_t	 t = now_ms < caught_up_ms ? now_ms : caught_up_ms;
	int64_t	 base = t - (int64_t)c->close_after_ms - (int64_t)c->offset_ms;

	if (caught_up_ms <= 0)
		return INT64_MIN;
	/* The largest H with fleet_close_ms(H) <= t. */
	return (base >= 0 ? base / 3600000 : -((-base + 3599999) / 3600000)) -
	    1;
}

static void
closer_task_free(struct closer_task *t)
{
	size_t	 i;

	for (i = 0; i < t->npages; i++) {
		free(t->pages[i].path);
		buf_clear(&t->pages[i].json);
	}
	free(t->root);
	free(t->host);
	free(t);
}

/* On the uploader thread: manifests first, then the marker. */
static int
closer_run(struct hdfs *h, void *arg, struct error *err)
{
	struct closer_task *t = arg;
	size_t		 i;

	for (i = 0; i < t->npages; i++)
		if (record_put(h, t->pages[i].path, t->pages[i].json.data,
		    t->pages[i].json.len, err) == -1)
			return -1;
	return record_mark(h, t->root, t->host, t->from, t->to, err);
}

static void
closer_done(void *arg, bool ok)
{
	struct closer_task *t = arg;
	struct closer	*c = t->c;
	struct error	 err;
	char		 hn[FLEET_HOUR_LEN];
	size_t		 i;

	if (c != NULL)
		c->busy = NULL;
	if (c == NULL || !ok) {
		closer_task_free(t);
		return;
	}
	for (i = 0; i < t->npages; i++)
		if (manifest_published(c->manifest, t->pages[i].day,
		    t->pages[i].count, &err) == -1)
			log_warnx("%s", err.msg);
	c->closed = c->marker = t->to;
	if (closer_save(c, &err) == -1)
		log_warnx("%s", err.msg);
	if (manifest_prune(c->manifest, fleet_day_of(t->to) -
	    MANIFEST_KEEP_DAYS, &err) == -1)
		log_warnx("%s", err.msg);
	fleet_hour_name(t->to, hn);
	log_info("hours: closed up to %s (%zu manifests written)", hn,
	    t->npages);
	closer_task_free(t);
}

void
closer_tick(struct closer *c, int64_t now_ms, int64_t caught_up_ms,
    int64_t oldest_hour)
{
	struct closer_task *t;
	int64_t		 days[CLOSER_DAYS_MAX], to;
	size_t		 i, n;

	if (c->busy != NULL)
		return;
	to = closer_seal_through(c, now_ms, caught_up_ms);
	if (oldest_hour != INT64_MAX && oldest_hour - 1 < to)
		to = oldest_hour - 1;
	if (to <= c->closed)
		return;
	t = xcalloc(1, sizeof *t);
	t->c = c;
	t->root = xstrdup(c->root);
	t->host = xstrdup(c->host);
	t->from = c->marker;
	t->to = to;
	n = manifest_dirty_days(c->manifest, days, CLOSER_DAYS_MAX);
	for (i = 0; i < n; i++) {
		struct closer_page *p = &t->pages[t->npages++];

		p->day = days[i];
		p->path = fleet_manifest_path(c->root, c->host, days[i]);
		buf_init(&p->json);
		manifest_render(c->manifest, days[i], &p->json, &p->count);
	}
	c->busy = t;
	upload_submit_task(c->upload, "close hours", closer_run, closer_done,
	    t);
}

int
closer_shipped(struct closer *c, const struct manifest_entry *e,
    struct error *err)
{
	char	 hn[FLEET_HOUR_LEN];
	int	 rc;

	if ((rc = manifest_add(c->manifest, e, err)) == 1 &&
	    segment_last_hour(&e->key) <= c->closed) {
		fleet_hour_name(segment_last_hour(&e->key), hn);
		log_info("hours: %s is late: its hour %s was closed already",
		    e->path, hn);
	}
	return rc == -1 ? -1 : 0;
}

int64_t
closer_closed_through(const struct closer *c)
{
	return c->marker == RECORD_NO_HOUR ? INT64_MIN : c->closed;
}

uint64_t
closer_offset_ms(const struct closer *c)
{
	return c->offset_ms;
}
