/*
 * barge audit DAY: holds the hosts' manifests of a day against what is in
 * HDFS.  Every listed file must exist with its listed length (and, with
 * --rows, hold its listed rows); every file named like barge's in the
 * day's partitions must be listed by some manifest.  The partitions are
 * found by walking <root>, so messages no longer declared are audited too.
 */
#include "config.h"

#include "barge/cmd.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "barge/conn.h"
#include "barge/defs.h"
#include "base/buf.h"
#include "base/hmap.h"
#include "base/json.h"
#include "base/xmalloc.h"
#include "core/fleet.h"
#include "core/manifest.h"
#include "core/rowcount.h"
#include "hdfs/hdfs.h"

#define AUDIT_MANIFEST_MAX	(64 << 20)	/* refuse larger manifests */
#define AUDIT_IOBUF		(256 * 1024)

static const char cmd_audit_help[] =
    "Checks the manifests of a day (YYYY-MM-DD) against HDFS: each listed\n"
    "file is there with the listed length, and no file in that day's\n"
    "partitions named like barge's is missing from every manifest.\n\n"
    "  -c, --config file      barge.yaml: root, NameNodes, user, Kerberos\n"
    "  -m, --messages dir     the definitions, instead of the config's\n"
    "  -r, --root path        hdfs.root, instead of the config's\n"
    "  -n, --namenode list    host:port[,host:port]\n"
    "  -u, --user name        the HDFS user\n"
    "  --rows                 also read every file and count its rows\n"
    "  --json                 JSON instead of text\n\n"
    "Audit a day once its hours are complete (barge hours): files of hours\n"
    "not yet closed are not in a manifest yet and show as orphans.\n"
    "Exit status 0 if nothing is wrong, 1 if something is, 2 on an error.\n";

struct audit_msg {
	char		 name[96];	/* "Name:version" or "_invalid/reason" */
	struct hmap	*hosts;		/* host -> (void *)1 */
	uint64_t	 files, rows, bytes, problems;
	bool		 rows_unknown;
};

struct audit {
	struct hdfs	*h;
	const char	*root;
	bool		 rows;
	bool		 json;
	struct hmap	*listed;	/* path -> struct audit_msg */
	struct audit_msg *msgs;
	size_t		 nmsgs;
	struct buf	 problems;	/* text lines, or JSON items */
	size_t		 nproblems;
	bool		 error;		/* could not look: exit 2 */
	char		 day[FLEET_DAY_LEN];
};

static struct audit_msg *
audit_msg(struct audit *a, const struct segment_key *k)
{
	char	 name[96];
	size_t	 i;

	if (k->kind == SEGMENT_QUARANTINE)
		snprintf(name, sizeof name, "_invalid/%s", k->name);
	else
		snprintf(name, sizeof name, "%s:%u", k->name, k->version);
	for (i = 0; i < a->nmsgs; i++)
		if (strcmp(a->msgs[i].name, name) == 0)
			return &a->msgs[i];
	a->msgs = xreallocarray(a->msgs, a->nmsgs + 1, sizeof *a->msgs);
	memset(&a->msgs[a->nmsgs], 0, sizeof *a->msgs);
	snprintf(a->msgs[a->nmsgs].name, sizeof a->msgs[a->nmsgs].name, "%s",
	    name);
	a->msgs[a->nmsgs].hosts = hmap_new();
	return &a->msgs[a->nmsgs++];
}

/* One problem: kind ("missing", "length", ...), the file, what is wrong. */
static void
audit_problem(struct audit *a, struct audit_msg *m, const char *kind,
    const char *path, const char *fmt, ...) PRINTFLIKE(5, 6);

static void
audit_problem(struct audit *a, struct audit_msg *m, const char *kind,
    const char *path, const char *fmt, ...)
{
	char	 detail[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	if (m != NULL)
		m->problems++;
	if (a->json) {
		buf_printf(&a->problems, "%s{\"problem\":\"%s\",\"path\":",
		    a->nproblems > 0 ? "," : "", kind);
		json_put_string(&a->problems, path);
		buf_puts(&a->problems, ",\"detail\":");
		json_put_string(&a->problems, detail);
		buf_puts(&a->problems, "}");
	} else
		buf_printf(&a->problems, "%s: %s: %s\n", kind, path, detail);
	a->nproblems++;
}

/* Reads a whole HDFS file (at most max bytes) into b. */
static int
audit_read(struct audit *a, const char *path, uint64_t max, struct buf *b,
    struct error *err)
{
	struct hdfs_reader *r;
	ssize_t		 n;

	if ((r = hdfs_open(a->h, path, err)) == NULL)
		return -1;
	if (hdfs_reader_length(r) > max) {
		hdfs_reader_close(r);
		return error_set(err, ERR_LIMIT, "%" PRIu64 " bytes, more "
		    "than %" PRIu64, hdfs_reader_length(r), max);
	}
	while ((n = hdfs_read(r, buf_reserve(b, AUDIT_IOBUF), AUDIT_IOBUF,
	    err)) > 0) {
		b->len += (size_t)n;
		b->data[b->len] = '\0';
	}
	hdfs_reader_close(r);
	return n == -1 ? -1 : 0;
}

/* The rows of a .tsv.gz (its lines) or of an .avro (its blocks' counts). */
static int
audit_count_rows(struct audit *a, const char *path, uint64_t *rows,
    struct error *err)
{
	struct hdfs_reader *r;
	struct rowcount	*rc;
	size_t		 len = strlen(path);
	char		*buf;
	ssize_t		 n;
	int		 ret = 0;

	if ((r = hdfs_open(a->h, path, err)) == NULL)
		return -1;
	rc = rowcount_new(len > 5 && strcmp(path + len - 5, ".avro") == 0);
	buf = xmalloc(AUDIT_IOBUF);
	while ((n = hdfs_read(r, buf, AUDIT_IOBUF, err)) > 0)
		if ((ret = rowcount_feed(rc, buf, (size_t)n, err)) == -1)
			break;
	if (n == -1)
		ret = -1;
	if (ret == 0)
		ret = rowcount_finish(rc, rows, err);
	free(buf);
	rowcount_free(rc);
	hdfs_reader_close(r);
	return ret;
}

static void
audit_check_entry(struct audit *a, const char *host,
    const struct manifest_entry *e)
{
	struct audit_msg *m = audit_msg(a, &e->key);
	struct hdfs_stat st;
	struct error	 err;
	uint64_t	 rows;

	if (hmap_get(a->listed, e->path, strlen(e->path)) != NULL) {
		audit_problem(a, m, "listed twice", e->path, "again by %s",
		    host);
		return;
	}
	hmap_put(a->listed, e->path, strlen(e->path), m);
	hmap_put(m->hosts, host, strlen(host), (void *)1);
	m->files++;
	m->bytes += e->bytes;
	if (e->rows == SEGMENT_ROWS_UNKNOWN)
		m->rows_unknown = true;
	else
		m->rows += e->rows;
	if (hdfs_stat(a->h, e->path, &st, &err) == -1) {
		if (err.code == ERR_NOTFOUND)
			audit_problem(a, m, "missing", e->path, "listed by %s, "
			    "not in HDFS", host);
		else {
			audit_problem(a, m, "unreadable", e->path, "%s",
			    err.msg);
			a->error = true;
		}
		return;
	}
	if (st.is_dir || st.length != e->bytes) {
		audit_problem(a, m, "length", e->path, "%" PRIu64 " bytes in "
		    "HDFS, %" PRIu64 " in the manifest of %s", st.length,
		    e->bytes, host);
		return;
	}
	if (!a->rows || e->rows == SEGMENT_ROWS_UNKNOWN)
		return;
	if (audit_count_rows(a, e->path, &rows, &err) == -1)
		audit_problem(a, m, "unreadable", e->path, "%s", err.msg);
	else if (rows != e->rows)
		audit_problem(a, m, "rows", e->path, "%" PRIu64 " rows in "
		    "HDFS, %" PRIu64 " in the manifest of %s", rows, e->rows,
		    host);
}

/* A name barge gives its files: <host>-<16 hex digits>.tsv.gz or .avro */
static bool
audit_is_barge_name(const char *name)
{
	size_t	 n = strlen(name), ext, i;
	const char *dash;

	if (n > 7 && strcmp(name + n - 7, ".tsv.gz") == 0)
		ext = 7;
	else if (n > 5 && strcmp(name + n - 5, ".avro") == 0)
		ext = 5;
	else
		return false;
	if (name[0] == '.' || name[0] == '_' || n < 1 + 1 + 16 + ext)
		return false;
	dash = name + n - ext - 16 - 1;
	if (*dash != '-')
		return false;
	for (i = 1; i <= 16; i++)
		if (strchr("0123456789abcdef", dash[i]) == NULL)
			return false;
	return true;
}

struct audit_walk {
	struct audit	*a;
	char		*dir;
	char		**subdirs;
	size_t		 nsubdirs;
	bool		 files;		/* look at files here */
};

static int
audit_walk_cb(const struct hdfs_stat *st, void *arg)
{
	struct audit_walk *w = arg;
	char		*path;

	if (st->is_dir) {
		w->subdirs = xreallocarray(w->subdirs, w->nsubdirs + 1,
		    sizeof *w->subdirs);
		w->subdirs[w->nsubdirs++] = xasprintf("%s/%s", w->dir,
		    st->name);
		return 0;
	}
	if (!w->files || !audit_is_barge_name(st->name))
		return 0;
	path = xasprintf("%s/%s", w->dir, st->name);
	if (hmap_get(w->a->listed, path, strlen(path)) == NULL)
		audit_problem(w->a, NULL, "orphan", path, "%" PRIu64 " bytes, "
		    "in no manifest", st->length);
	free(path);
	return 0;
}

/* Lists dir; its subdirectories go to *subdirs (free them). */
static void
audit_list(struct audit *a, const char *dir, bool files, char ***subdirs,
    size_t *n)
{
	struct audit_walk w = { a, (char *)(uintptr_t)dir, NULL, 0, files };
	struct error	 err;

	if (hdfs_list(a->h, dir, audit_walk_cb, &w, &err) == -1 &&
	    err.code != ERR_NOTFOUND) {
		fprintf(stderr, "barge: audit: %s: %s\n", dir, err.msg);
		a->error = true;
	}
	*subdirs = w.subdirs;
	*n = w.nsubdirs;
}

static void
audit_free_list(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static const char *
audit_base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

/* <table>/dt=DAY and its hour=HH folders. */
static void
audit_walk_day(struct audit *a, const char *table)
{
	char	**hours, **rest, *dt = xasprintf("%s/dt=%s", table, a->day);
	size_t	 nhours, nrest, i;

	audit_list(a, dt, true, &hours, &nhours);
	for (i = 0; i < nhours; i++)
		if (strncmp(audit_base(hours[i]), "hour=", 5) == 0) {
			audit_list(a, hours[i], true, &rest, &nrest);
			audit_free_list(rest, nrest);
		}
	audit_free_list(hours, nhours);
	free(dt);
}

/* <root>/<Name>/v<version>/ and <root>/_invalid/<reason>/. */
static void
audit_orphans(struct audit *a)
{
	char	**tops, **vers;
	size_t	 ntops, nvers, i, j;

	audit_list(a, a->root, false, &tops, &ntops);
	for (i = 0; i < ntops; i++) {
		const char *base = audit_base(tops[i]);

		if (base[0] == '.' || (base[0] == '_' &&
		    strcmp(base, "_invalid") != 0))
			continue;
		audit_list(a, tops[i], false, &vers, &nvers);
		for (j = 0; j < nvers; j++) {
			const char *v = audit_base(vers[j]);

			if (strcmp(base, "_invalid") == 0 ||
			    (v[0] == 'v' && v[1] >= '1' && v[1] <= '9'))
				audit_walk_day(a, vers[j]);
		}
		audit_free_list(vers, nvers);
	}
	audit_free_list(tops, ntops);
}

struct audit_manifests {
	char		**paths;
	size_t		 n;
	const char	*dir;
};

static int
audit_manifest_cb(const struct hdfs_stat *st, void *arg)
{
	struct audit_manifests *m = arg;
	size_t	 n = strlen(st->name);

	if (st->is_dir || st->name[0] == '.' || n < 6 ||
	    strcmp(st->name + n - 5, ".json") != 0)
		return 0;
	m->paths = xreallocarray(m->paths, m->n + 1, sizeof *m->paths);
	m->paths[m->n++] = xasprintf("%s/%s", m->dir, st->name);
	return 0;
}

static void
audit_manifests(struct audit *a, int64_t day, size_t *nhosts)
{
	struct audit_manifests ms = { NULL, 0, NULL };
	struct manifest_doc doc;
	struct error	 err;
	struct buf	 b;
	char		*dir = fleet_manifest_dir(a->root, day);
	size_t		 i, k;

	ms.dir = dir;
	if (hdfs_list(a->h, dir, audit_manifest_cb, &ms, &err) == -1 &&
	    err.code != ERR_NOTFOUND) {
		fprintf(stderr, "barge: audit: %s: %s\n", dir, err.msg);
		a->error = true;
	}
	*nhosts = 0;
	for (i = 0; i < ms.n; i++) {
		buf_init(&b);
		if (audit_read(a, ms.paths[i], AUDIT_MANIFEST_MAX, &b,
		    &err) == -1)
			audit_problem(a, NULL, "manifest", ms.paths[i], "%s",
			    err.msg);
		else if (manifest_parse(b.data != NULL ? b.data : "", b.len,
		    &doc, &err) == -1)
			audit_problem(a, NULL, "manifest", ms.paths[i], "%s",
			    err.msg);
		else {
			if (doc.day != day)
				audit_problem(a, NULL, "manifest", ms.paths[i],
				    "says it is of another day");
			for (k = 0; k < doc.n; k++)
				audit_check_entry(a, doc.host,
				    &doc.entries[k]);
			(*nhosts)++;
			manifest_doc_clear(&doc);
		}
		buf_clear(&b);
		free(ms.paths[i]);
	}
	free(ms.paths);
	free(dir);
}

static void
audit_report(struct audit *a, size_t nhosts)
{
	size_t	 i;

	if (a->json) {
		printf("{\"day\":\"%s\",\"manifests\":%zu,\"messages\":[",
		    a->day, nhosts);
		for (i = 0; i < a->nmsgs; i++) {
			const struct audit_msg *m = &a->msgs[i];

			printf("%s{\"message\":\"%s\",\"hosts\":%zu,\"files\":%"
			    PRIu64 ",\"rows\":", i ? "," : "", m->name,
			    hmap_count(m->hosts), m->files);
			if (m->rows_unknown)
				printf("null");
			else
				printf("%" PRIu64, m->rows);
			printf(",\"bytes\":%" PRIu64 ",\"problems\":%" PRIu64
			    "}", m->bytes, m->problems);
		}
		printf("],\"problems\":[%s]}\n", a->problems.data != NULL ?
		    a->problems.data : "");
		return;
	}
	printf("%s: %zu manifests\n", a->day, nhosts);
	printf("%-32s %6s %8s %12s %14s %8s\n", "message", "hosts", "files",
	    "rows", "bytes", "problems");
	for (i = 0; i < a->nmsgs; i++) {
		const struct audit_msg *m = &a->msgs[i];
		char	 rows[24];

		if (m->rows_unknown)
			snprintf(rows, sizeof rows, "%" PRIu64 "+?", m->rows);
		else
			snprintf(rows, sizeof rows, "%" PRIu64, m->rows);
		printf("%-32s %6zu %8" PRIu64 " %12s %14" PRIu64 " %8" PRIu64
		    "\n", m->name, hmap_count(m->hosts), m->files, rows,
		    m->bytes, m->problems);
	}
	if (a->problems.len > 0)
		printf("\n%s", a->problems.data);
	printf("%zu problems\n", a->nproblems);
}

int
cmd_audit(int argc, char **argv)
{
	static const struct option longopts[] = {
		DEFS_LONGOPTS,
		{ "root", required_argument, NULL, 'r' },
		{ "namenode", required_argument, NULL, 'n' },
		{ "user", required_argument, NULL, 'u' },
		{ "rows", no_argument, NULL, 'R' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct defs_args args = { NULL, NULL };
	const char	*namenodes = NULL, *user = NULL;
	struct config	*cfg = NULL;
	struct schema	*s = NULL;
	struct audit	 a;
	int64_t		 day;
	size_t		 i, nhosts = 0;
	bool		 usage;
	int		 ch, rc = CMD_FAIL;

	memset(&a, 0, sizeof a);
	buf_init(&a.problems);
	optind = 1;
	while ((ch = getopt_long(argc, argv, DEFS_OPTSTRING "r:n:u:j",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			a.root = optarg;
			break;
		case 'n':
			namenodes = optarg;
			break;
		case 'u':
			user = optarg;
			break;
		case 'R':
			a.rows = true;
			break;
		case 'j':
			a.json = true;
			break;
		default:
			if ((ch = defs_option(ch, "audit", cmd_audit_help,
			    &args)) != DEFS_NEXT)
				return ch;
			break;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return barge_cmd_usage_error("audit");
	if (fleet_parse_day(argv[0], &day) == -1) {
		fprintf(stderr, "barge: audit: %s: not a day (YYYY-MM-DD)\n",
		    argv[0]);
		return CMD_USAGE;
	}
	fleet_day_name(day, a.day);
	/* The config for the connection; the definitions are not needed. */
	if ((args.config != NULL || args.messages == NULL) &&
	    defs_load("audit", args.config, args.messages, &cfg, &s) == -1)
		goto out;
	if (a.root == NULL)
		a.root = cfg != NULL ? cfg->hdfs_root : "/data/barge";
	if ((a.h = conn_open("audit", cfg, namenodes, user, &usage)) == NULL) {
		rc = usage ? CMD_USAGE : CMD_FAIL;
		goto out;
	}
	a.listed = hmap_new();
	audit_manifests(&a, day, &nhosts);
	audit_orphans(&a);
	audit_report(&a, nhosts);
	rc = a.error ? CMD_USAGE : a.nproblems > 0 ? CMD_FAIL : CMD_OK;
out:
	for (i = 0; i < a.nmsgs; i++)
		hmap_free(a.msgs[i].hosts);
	free(a.msgs);
	hmap_free(a.listed);
	buf_clear(&a.problems);
	hdfs_free(a.h);
	schema_free(s);
	config_free(cfg);
	return rc;
}
