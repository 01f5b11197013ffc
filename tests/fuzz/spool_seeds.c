/*
 * Writes fuzz_spool's seeds: spool folders as barged leaves them when it
 * is killed, each packed as a fuzz input (tests/fuzz/spooldir.h).  The
 * lines are rsyslog's, from tests/data/syslog/rsyslog-default.log, read
 * with core/tail and put through barged's pipeline, spool and sync point
 * (barged/pipeline.c, barged/sync.c) into TSV gzip, Avro and quarantine
 * segments; only the event loop is missing.  Built by make check, run
 * by hand from the build folder:
 *	make tests/fuzz/spool_seeds
 *	top_srcdir=.. tests/fuzz/spool_seeds ../tests/fuzz/corpus/spool
 * The Avro sync markers are random, so each run writes other bytes.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "barged/metrics.h"
#include "barged/pipeline.h"
#include "barged/sync.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/fsio.h"
#include "base/xmalloc.h"
#include "core/schema.h"
#include "core/spool.h"
#include "core/tail.h"
#include "spooldir.h"

/* conf/messages.d/email-sent.yaml, and the same fields in Avro. */
#define SPOOL_SEEDS_FIELDS \
    "    fields:\n" \
    "      - {name: username, type: string}\n" \
    "      - {name: sent_at, type: timestamp}\n" \
    "      - {name: campaign, type: string, max_length: 64}\n" \
    "      - {name: campaign_version, type: int32}\n" \
    "      - {name: opened, type: bool, nullable: true}\n"
static const char spool_seeds_yaml[] =
    "messages:\n"
    "  - name: EmailSent\n"
    "    version: 1\n"
    "    owner: growth@example.com\n"
    SPOOL_SEEDS_FIELDS
    "  - name: EmailSent\n"
    "    version: 2\n"
    "    format: avro\n"
    "    owner: growth@example.com\n"
    SPOOL_SEEDS_FIELDS;

#define SPOOL_SEEDS_HOUR	"T07:"	/* the hour of the captured lines */

struct spool_seeds {
	struct schema	*schema;
	struct metrics	 metrics;
	struct spool	*spool;
	struct tail	*tail;
	struct pipeline	*pipeline;
	struct sync	*sync;
	struct buf	 lines;		/* the captured log */
	char		*log;		/* the log barged follows */
	const char	*out;
};

static void
spool_seeds_fatal(const char *what, const struct error *err)
{
	fprintf(stderr, "spool_seeds: %s: %s\n", what,
	    err != NULL ? err->msg : strerror(errno));
	exit(1);
}

/* The idx-th captured line (0 or 2 are rows), edited. */
static void
spool_seeds_line(struct spool_seeds *g, int idx, unsigned version,
    bool bad_time, bool next_hour)
{
	struct buf	 line;
	const char	*p = g->lines.data, *end, *at;
	int		 fd;

	while (idx-- > 0)
		p = strchr(p, '\n') + 1;
	end = strchr(p, '\n') + 1;
	buf_init(&line);
	buf_append(&line, p, (size_t)(end - p));
	buf_putc(&line, '\0');
	if (next_hour && (at = strstr(line.data, SPOOL_SEEDS_HOUR)) != NULL)
		line.data[at - line.data + 2] = '8';
	if ((at = strstr(line.data, "@EmailSent:1")) != NULL)
		line.data[at - line.data + 11] = (char)('0' + version);
	/* A sent_at that is no timestamp: the quarantine's bad-timestamp. */
	if (bad_time && (at = strstr(line.data, "#0111795673521000")) != NULL)
		memcpy(line.data + (at - line.data) + 4, "soon_________", 13);
	if ((fd = open(g->log, O_WRONLY | O_CREAT | O_APPEND, 0640)) == -1 ||
	    fsio_write_full(fd, line.data, line.len - 1, NULL) == -1)
		spool_seeds_fatal(g->log, NULL);
	close(fd);
	buf_clear(&line);
}

/* Reads what was appended, as the watch would on inotify. */
static void
spool_seeds_poll(struct spool_seeds *g)
{
	struct error	 err;

	if (tail_poll(g->tail, 1 << 20, pipeline_line, g->pipeline,
	    &err) == -1)
		spool_seeds_fatal("tail", &err);
}

/* What barged does on start, up to its event loop. */
static void
spool_seeds_start(struct spool_seeds *g)
{
	struct sync_limits l = { UINT64_MAX, UINT64_MAX };
	struct checkpoint cp;
	struct tail_pos	 pos;
	struct error	 err;
	bool		 resume;

	if (sync_load("state/checkpoint", &cp, &err) == -1)
		spool_seeds_fatal("checkpoint", &err);
	g->spool = spool_open("spool", 6, cp.next_id, cp.segments,
	    cp.nsegments, NULL, &err);
	if (g->spool == NULL)
		spool_seeds_fatal("spool", &err);
	/* Inputs have absolute paths in the checkpoint. */
	resume = sync_resume_pos(&cp, g->log, &pos);
	if ((g->tail = tail_open(g->log, resume ? &pos : NULL, false,
	    65536, &err)) == NULL)
		spool_seeds_fatal("tail", &err);
	checkpoint_clear(&cp);
	metrics_init(&g->metrics);
	g->pipeline = pipeline_new(g->spool, &g->metrics, true);
	pipeline_set_schema(g->pipeline, g->schema);
	g->sync = sync_new("state/checkpoint", g->spool, NULL, NULL);
	sync_add_tail(g->sync, g->tail);
	sync_set_limits(g->sync, &l);
}

static void
spool_seeds_sync_point(struct spool_seeds *g, int64_t through_hour)
{
	struct error	 err;

	if (sync_point(g->sync, through_hour, false, &err) == -1)
		spool_seeds_fatal("sync point", &err);
}

/* kill -9: whatever was not synced is not in the files. */
static void
spool_seeds_crash(struct spool_seeds *g)
{
	sync_free(g->sync);
	pipeline_free(g->pipeline);
	tail_close(g->tail);
	spool_free(g->spool);
	metrics_clear(&g->metrics);
}

static void
spool_seeds_pack_folder(struct buf *b, enum spooldir_folder f)
{
	struct dirent	**ents;
	struct buf	 data;
	struct error	 err;
	char		 *path;
	int		  n, i;

	path = xasprintf("spool/%s", spooldir_folders[f]);
	n = scandir(path, &ents, NULL, alphasort);
	free(path);
	for (i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.') {
			path = xasprintf("spool/%s/%s", spooldir_folders[f],
			    ents[i]->d_name);
			buf_init(&data);
			if (fsio_read_file(path, &data, &err) == -1)
				spool_seeds_fatal(path, &err);
			spooldir_put_file(b, f, ents[i]->d_name, data.data,
			    data.len);
			buf_clear(&data);
			free(path);
		}
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
}

/*
 * Packs the folder as the seed name; with how "fix-crc", its checkpoint
 * without the CRC line, which fuzz_spool appends (SPOOLDIR_FIX_CRC), and
 * with "torn" cut in the middle as a disk might.
 */
static void
spool_seeds_pack(struct spool_seeds *g, const char *name, const char *how)
{
	struct buf	 b, cp;
	struct error	 err;
	unsigned	 flags = 0;
	char		*path, *crc;
	bool		 has_cp = true;
	int		 f;

	buf_init(&b);
	buf_init(&cp);
	if (fsio_read_file("state/checkpoint", &cp, &err) == -1) {
		if (err.code != ERR_NOTFOUND)
			spool_seeds_fatal("checkpoint", &err);
		has_cp = false;
	}
	buf_putc(&cp, '\0');
	cp.len--;
	if (strcmp(how, "fix-crc") == 0 &&
	    (crc = strstr(cp.data, "\ncrc ")) != NULL) {
		cp.len = (size_t)(crc - cp.data) + 1;
		flags |= SPOOLDIR_FIX_CRC;
	} else if (strcmp(how, "torn") == 0)
		cp.len /= 2;
	spooldir_put_head(&b, flags, has_cp ? cp.data : NULL, cp.len);
	for (f = 0; f < SPOOLDIR_NFOLDERS; f++)
		spool_seeds_pack_folder(&b, (enum spooldir_folder)f);
	if (b.len > 4096)
		fprintf(stderr, "spool_seeds: %s: %zu bytes, over the "
		    "-max_len of scripts/fuzz\n", name, b.len);
	path = xasprintf("%s/%s%s%s", g->out, name, how[0] != '\0' ? "-" : "",
	    how);
	if (fsio_write_file_atomic(path, b.data, b.len, &err) == -1)
		spool_seeds_fatal(path, &err);
	printf("%s: %zu bytes\n", path, b.len);
	free(path);
	buf_clear(&cp);
	buf_clear(&b);
}

/* A fresh folder: no spool, no checkpoint, no log. */
static void
spool_seeds_fresh(void)
{
	if (system("rm -rf spool state syslog") != 0)
		spool_seeds_fatal("rm", NULL);
	if (mkdir("state", 0750) == -1)
		spool_seeds_fatal("state", NULL);
}

/* Rows of EmailSent:1 and :2 and a quarantined line, in hour 07. */
static void
spool_seeds_rows(struct spool_seeds *g, int idx, bool next_hour)
{
	spool_seeds_line(g, idx, 1, false, next_hour);
	spool_seeds_line(g, 1, 1, false, next_hour);	/* noise */
	spool_seeds_line(g, idx, 2, false, next_hour);
	spool_seeds_line(g, idx, 1, true, next_hour);
	spool_seeds_poll(g);
}

/*
 * From a fresh folder: rows in hour 07, a sync point that seals through
 * through_hour, then more rows (in hour 08 with next_hour), not synced.
 */
static void
spool_seeds_run(struct spool_seeds *g, int64_t through_hour, bool next_hour)
{
	spool_seeds_fresh();
	spool_seeds_start(g);
	spool_seeds_rows(g, 0, false);
	spool_seeds_sync_point(g, through_hour);
	spool_seeds_rows(g, 2, next_hour);
}

int
main(int argc, char **argv)
{
	static const char cut[] = "spool/open/0000000000000000.m.EmailSent.1."
	    "2026-11-26.07.gz";
	const char	*top = getenv("top_srcdir");
	struct spool_seeds g;
	struct diag	*d;
	struct error	 err;
	char		 tmpl[] = "/tmp/spool_seeds.XXXXXX", *path, *dir;
	int64_t		 hour07 = 498799;	/* 2026-11-26 07:00 UTC */

	if (argc != 2) {
		fprintf(stderr, "usage: spool_seeds corpus-folder\n");
		return 2;
	}
	memset(&g, 0, sizeof g);
	if ((g.out = realpath(argv[1], NULL)) == NULL)
		spool_seeds_fatal(argv[1], NULL);
	buf_init(&g.lines);
	path = xasprintf("%s/tests/data/syslog/rsyslog-default.log",
	    top != NULL ? top : ".");
	if (fsio_read_file(path, &g.lines, &err) == -1)
		spool_seeds_fatal(path, &err);
	buf_putc(&g.lines, '\0');
	free(path);
	if ((dir = mkdtemp(tmpl)) == NULL || chdir(dir) == -1 ||
	    mkdir("messages", 0750) == -1 ||
	    fsio_write_file_atomic("messages/email-sent.yaml",
	    spool_seeds_yaml, sizeof spool_seeds_yaml - 1, &err) == -1)
		spool_seeds_fatal(tmpl, NULL);
	g.log = xasprintf("%s/syslog", dir);
	d = diag_new();
	if ((g.schema = schema_load("messages", d)) == NULL ||
	    diag_count(d) > 0) {
		diag_print(d, stderr, "spool_seeds: ");
		return 1;
	}
	diag_free(d);

	/* The first start: nothing there yet. */
	spool_seeds_fresh();
	spool_seeds_pack(&g, "first-start", "");

	/* Killed after rows synced past the checkpoint: cut back. */
	spool_seeds_run(&g, INT64_MIN, false);
	if (spool_sync(g.spool, &err) == -1)
		spool_seeds_fatal("sync", &err);
	spool_seeds_crash(&g);
	spool_seeds_pack(&g, "cut-back", "");
	spool_seeds_pack(&g, "cut-back", "fix-crc");

	/* Then a disk that lost an open segment's end: set aside. */
	if (truncate(cut, 5) == -1)
		spool_seeds_fatal(cut, NULL);
	spool_seeds_start(&g);
	spool_seeds_rows(&g, 0, false);
	spool_seeds_sync_point(&g, INT64_MIN);
	spool_seeds_crash(&g);
	spool_seeds_pack(&g, "set-aside", "");

	/* Killed after sealing, before the checkpoint; one segment new. */
	spool_seeds_run(&g, INT64_MIN, false);
	spool_seeds_line(&g, 0, 1, false, true);
	spool_seeds_poll(&g);
	if (spool_sync(g.spool, &err) == -1 ||
	    spool_seal(g.spool, 0, 0, 0, true, &err) == -1)
		spool_seeds_fatal("seal", &err);
	spool_seeds_crash(&g);
	spool_seeds_pack(&g, "sealed-after-checkpoint", "");
	spool_seeds_pack(&g, "sealed-after-checkpoint", "fix-crc");

	/* Hour 07 sealed and checkpointed, hour 08 open, then killed. */
	spool_seeds_run(&g, hour07, true);
	spool_seeds_sync_point(&g, INT64_MIN);
	spool_seeds_crash(&g);
	spool_seeds_pack(&g, "sealed-and-open", "");
	spool_seeds_pack(&g, "sealed-and-open", "fix-crc");
	/* The same with a torn checkpoint: lost. */
	spool_seeds_pack(&g, "sealed-and-open", "torn");

	path = xasprintf("rm -rf '%s'", dir);
	if (chdir("/") == -1 || system(path) != 0)
		spool_seeds_fatal(dir, NULL);
	free(path);
	schema_free(g.schema);
	buf_clear(&g.lines);
	free(g.log);
	return 0;
}
