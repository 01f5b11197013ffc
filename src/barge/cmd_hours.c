/*
 * barge hours: is hour H of message M complete across the fleet?  The
 * answer comes from one paged listing of <root>/_barge/hosts (core/fleet.h):
 * every host's marker names the last hour it closed, and hosts close hours
 * in order, so H is complete once every expected host's marker is at H or
 * later.  No file is read.
 */
#include "config.h"

#include "barge/cmd.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "barge/conn.h"
#include "barge/defs.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/fsio.h"
#include "base/json.h"
#include "base/xmalloc.h"
#include "core/fleet.h"
#include "hdfs/hdfs.h"

#define HOURS_POLL_MS		10000	/* --wait: between listings */
#define HOURS_FORGET_HOURS	(30 * 24)	/* --mark drops such markers */
#define HOURS_UNITS_MAX		(24 * 62)

static const char cmd_hours_help[] =
    "Tells whether hours of a message are complete across the fleet: every\n"
    "expected host has closed them (shipped all their rows).\n\n"
    "  HOUR                   2026-12-03T10, a range 2026-12-03T00..\n"
    "                         2026-12-03T23, or a day 2026-12-03; default:\n"
    "                         the last 24 closed hours (a day for messages\n"
    "                         with partition: day)\n"
    "  -c, --config file      barge.yaml: root, NameNodes, user, Kerberos,\n"
    "                         close_after, close_spread and the messages\n"
    "  -m, --messages dir     the definitions, instead of the config's\n"
    "  -r, --root path        hdfs.root, instead of the config's\n"
    "  -n, --namenode list    host:port[,host:port]\n"
    "  -u, --user name        the HDFS user\n"
    "  --hosts file           the hosts to expect, one per line; default:\n"
    "                         every host that closed an hour within --alive\n"
    "                         before the hour asked\n"
    "  --alive duration       (default 6h)\n"
    "  --mark                 write _SUCCESS into the folder of each complete\n"
    "                         hour; drop stale markers (a host's older ones,\n"
    "                         hosts silent for 30 days)\n"
    "  --wait duration        poll until every hour asked is complete\n"
    "  --json                 JSON instead of text\n\n"
    "Exit status 0 if every hour asked is complete, 1 if some is not, 2 on\n"
    "an error.\n";

struct hours_host {
	char		 name[FLEET_HOST_MAX];
	int64_t		 last;		/* INT64_MIN: no marker */
	bool		 in_file;	/* listed by --hosts */
};

struct hours_state {
	struct hours_host *hosts;
	size_t		 nhosts;
	char		**stale;	/* markers --mark may delete */
	size_t		 nstale;
	const char	*root;
};

struct hours_opts {
	const char	*root;
	const char	*namenodes;
	const char	*user;
	const char	*hosts_file;
	uint64_t	 alive_ms;
	bool		 mark;
	bool		 json;
	uint64_t	 wait_ms;
	bool		 waiting;
};

struct hours_unit {
	int64_t		 unit;		/* an hour, or a day if daily */
	bool		 complete;
	bool		 marked;
};

static struct hours_host *
hours_find_host(struct hours_state *st, const char *name, bool add)
{
	size_t	 i;

	for (i = 0; i < st->nhosts; i++)
		if (strcmp(st->hosts[i].name, name) == 0)
			return &st->hosts[i];
	if (!add)
		return NULL;
	st->hosts = xreallocarray(st->hosts, st->nhosts + 1,
	    sizeof *st->hosts);
	memset(&st->hosts[st->nhosts], 0, sizeof *st->hosts);
	snprintf(st->hosts[st->nhosts].name, FLEET_HOST_MAX, "%s", name);
	st->hosts[st->nhosts].last = INT64_MIN;
	return &st->hosts[st->nhosts++];
}

static void
hours_add_stale(struct hours_state *st, const char *host, int64_t hour)
{
	st->stale = xreallocarray(st->stale, st->nstale + 1,
	    sizeof *st->stale);
	st->stale[st->nstale++] = fleet_marker_path(st->root, host, hour);
}

static int
hours_marker_cb(const struct hdfs_stat *s, void *arg)
{
	struct hours_state *st = arg;
	struct hours_host *h;
	char		 host[FLEET_HOST_MAX];
	int64_t		 hour;

	if (s->is_dir || s->name[0] == '.' ||
	    fleet_parse_marker(s->name, host, &hour) == -1)
		return 0;
	h = hours_find_host(st, host, true);
	if (h->last == INT64_MIN || hour > h->last) {
		if (h->last != INT64_MIN)
			hours_add_stale(st, host, h->last);
		h->last = hour;
	} else
		hours_add_stale(st, host, hour);
	return 0;
}

static void
hours_clear(struct hours_state *st, bool keep_file_hosts)
{
	size_t	 i, k = 0;

	for (i = 0; i < st->nstale; i++)
		free(st->stale[i]);
	free(st->stale);
	st->stale = NULL;
	st->nstale = 0;
	for (i = 0; i < st->nhosts; i++) {
		if (keep_file_hosts && st->hosts[i].in_file) {
			st->hosts[k] = st->hosts[i];
			st->hosts[k++].last = INT64_MIN;
		}
	}
	st->nhosts = k;
	if (k == 0) {
		free(st->hosts);
		st->hosts = NULL;
	}
}

static int
hours_read_hosts_file(struct hours_state *st, const char *path)
{
	struct buf	 b;
	struct error	 err;
	char		*p, *nl, *q;
	unsigned	 lineno = 0;

	buf_init(&b);
	if (fsio_read_file(path, &b, &err) == -1) {
		fprintf(stderr, "barge: hours: %s\n", err.msg);
		buf_clear(&b);
		return -1;
	}
	for (p = b.data; p != NULL && *p != '\0'; p = nl) {
		lineno++;
		if ((nl = strchr(p, '\n')) != NULL)
			*nl++ = '\0';
		p += strspn(p, " \t\r");
		for (q = p + strlen(p); q > p && strchr(" \t\r", q[-1]); q--)
			;
		*q = '\0';
		if (*p == '\0' || *p == '#')
			continue;
		if (strlen(p) >= FLEET_HOST_MAX || strpbrk(p, " \t/@") !=
		    NULL) {
			fprintf(stderr, "barge: hours: %s:%u: not a host name: "
			    "'%s'\n", path, lineno, p);
			buf_clear(&b);
			return -1;
		}
		hours_find_host(st, p, true)->in_file = true;
	}
	buf_clear(&b);
	return 0;
}

/* The last hour a unit covers. */
static int64_t
hours_last_hour(int64_t unit, bool daily)
{
	return daily ? unit * 24 + 23 : unit;
}

static void
hours_unit_name(int64_t unit, bool daily, char *out)
{
	if (daily)
		fleet_day_name(unit, out);
	else
		fleet_hour_name(unit, out);
}

/* HOUR arguments into units; -1 after printing the bad one. */
static int
hours_parse_units(char **argv, int argc, bool daily, struct hours_unit *u,
    size_t *nu)
{
	int64_t	 a, b, h;
	char	 first[32], *dots;
	int	 i;

	*nu = 0;
	for (i = 0; i < argc; i++) {
		if ((dots = strstr(argv[i], "..")) != NULL &&
		    (size_t)(dots - argv[i]) < sizeof first) {
			memcpy(first, argv[i], (size_t)(dots - argv[i]));
			first[dots - argv[i]] = '\0';
			dots += 2;
		} else {
			snprintf(first, sizeof first, "%s", argv[i]);
			dots = first;
		}
		if (fleet_parse_hour(first, &a) == 0 &&
		    fleet_parse_hour(dots, &b) == 0)
			;
		else if (fleet_parse_day(first, &a) == 0 &&
		    fleet_parse_day(dots, &b) == 0) {
			a *= 24;
			b = b * 24 + 23;
		} else {
			fprintf(stderr, "barge: hours: %s: not an hour "
			    "(2026-12-03T10), a range of them or a day\n",
			    argv[i]);
			return -1;
		}
		if (b < a || b - a >= HOURS_UNITS_MAX) {
			fprintf(stderr, "barge: hours: %s: an empty or too "
			    "long range\n", argv[i]);
			return -1;
		}
		for (h = a; h <= b; h++) {
			int64_t	 unit = daily ? fleet_day_of(h) : h;
			size_t	 k;

			for (k = 0; k < *nu && u[k].unit != unit; k++)
				;
			if (k < *nu)
				continue;
			if (*nu == HOURS_UNITS_MAX) {
				fprintf(stderr, "barge: hours: more than %d "
				    "hours asked\n", HOURS_UNITS_MAX);
				return -1;
			}
			memset(&u[*nu], 0, sizeof u[*nu]);
			u[(*nu)++].unit = unit;
		}
	}
	return 0;
}

/* The hours whose close window is over on every host, most recent last. */
static void
hours_default_units(const struct config *cfg, bool daily, struct hours_unit *u,
    size_t *nu)
{
	uint64_t after = cfg != NULL ? cfg->batch_close_after_ms : 300000;
	uint64_t spread = cfg != NULL ? cfg->batch_close_spread_ms : 600000;
	int64_t	 t = clock_wall_ms() - (int64_t)after - (int64_t)spread;
	int64_t	 last = t / 3600000 - 1, h;

	*nu = 0;
	for (h = last - 23; h <= last; h++) {
		int64_t	 unit = daily ? fleet_day_of(h) : h;

		if (daily && hours_last_hour(unit, true) > last)
			continue;
		if (*nu > 0 && u[*nu - 1].unit == unit)
			continue;
		memset(&u[*nu], 0, sizeof u[*nu]);
		u[(*nu)++].unit = unit;
	}
}

static int
hours_list(struct hdfs *h, struct hours_state *st)
{
	struct error	 err;
	char		*dir = fleet_hosts_dir(st->root);
	int		 rc = 0;

	if (hdfs_list(h, dir, hours_marker_cb, st, &err) == -1 &&
	    err.code != ERR_NOTFOUND) {
		fprintf(stderr, "barge: hours: %s: %s\n", dir, err.msg);
		rc = -1;
	}
	free(dir);
	return rc;
}

static bool
hours_is_expected(const struct hours_opts *o, const struct hours_host *h,
    int64_t last_hour)
{
	if (o->hosts_file != NULL)
		return h->in_file;
	return h->last != INT64_MIN &&
	    h->last >= last_hour - (int64_t)(o->alive_ms / 3600000);
}

/* The _SUCCESS of a unit of m, created if missing. */
static int
hours_mark_one(struct hdfs *h, const char *root, const struct message *m,
    int64_t unit)
{
	char		 d[FLEET_DAY_LEN], *path;
	struct hdfs_writer *w;
	struct hdfs_stat st;
	struct error	 err;
	int		 rc = 0;

	if (m->is_daily) {
		fleet_day_name(unit, d);
		path = xasprintf("%s/%s/v%u/dt=%s/_SUCCESS", root, m->name,
		    m->version, d);
	} else {
		fleet_day_name(fleet_day_of(unit), d);
		path = xasprintf("%s/%s/v%u/dt=%s/hour=%02d/_SUCCESS", root,
		    m->name, m->version, d,
		    (int)(unit - fleet_day_of(unit) * 24));
	}
	if (hdfs_stat(h, path, &st, &err) == 0)
		goto out;
	if (err.code != ERR_NOTFOUND ||
	    (w = hdfs_create(h, path, 0644, HDFS_CREATE_PARENT |
	    HDFS_OVERWRITE, &err)) == NULL ||
	    hdfs_writer_close(w, &err) == -1) {
		fprintf(stderr, "barge: hours: %s: %s\n", path, err.msg);
		rc = -1;
	}
out:
	free(path);
	return rc;
}

static int
hours_mark_cleanup(struct hdfs *h, struct hours_state *st, int64_t newest)
{
	struct error	 err;
	size_t		 i;
	int		 rc = 0;

	for (i = 0; i < st->nhosts; i++) {
		const struct hours_host *hh = &st->hosts[i];

		if (hh->last != INT64_MIN &&
		    hh->last < newest - HOURS_FORGET_HOURS)
			hours_add_stale(st, hh->name, hh->last);
	}
	for (i = 0; i < st->nstale; i++)
		if (hdfs_delete(h, st->stale[i], false, &err) == -1 &&
		    err.code != ERR_NOTFOUND) {
			fprintf(stderr, "barge: hours: %s: %s\n", st->stale[i],
			    err.msg);
			rc = -1;
		}
	return rc;
}

/*
 * One round: evaluates every unit, marks the complete ones, and writes
 * the answer into out.  Returns how many are incomplete.
 */
static int
hours_round(struct hdfs *h, const struct hours_opts *o,
    struct hours_state *st, const struct message *const *ms, size_t nms,
    struct hours_unit *u, size_t nu, struct buf *outp, bool *failed)
{
	char		 un[FLEET_HOUR_LEN], hn[FLEET_HOUR_LEN], ver[16];
	size_t		 i, k, m, closed, expected, incomplete = 0;
	bool		 daily = ms[0]->is_daily;
	int64_t		 newest = INT64_MIN;
#define out	(*outp)

	buf_reset(&out);
	if (nms == 1)
		snprintf(ver, sizeof ver, "%u", ms[0]->version);
	else
		snprintf(ver, sizeof ver, "*");
	if (o->json) {
		buf_puts(&out, "{\"message\":");
		json_put_string(&out, ms[0]->name);
		buf_puts(&out, ",\"versions\":[");
		for (m = 0; m < nms; m++)
			buf_printf(&out, "%s%u", m ? "," : "", ms[m]->version);
		buf_printf(&out, "],\"partition\":\"%s\",\"hours\":[",
		    daily ? "day" : "hour");
	}
	for (i = 0; i < st->nhosts; i++)
		if (st->hosts[i].last > newest)
			newest = st->hosts[i].last;
	for (k = 0; k < nu; k++) {
		int64_t	 last = hours_last_hour(u[k].unit, daily);

		closed = expected = 0;
		for (i = 0; i < st->nhosts; i++) {
			if (!hours_is_expected(o, &st->hosts[i], last))
				continue;
			expected++;
			if (st->hosts[i].last >= last)
				closed++;
		}
		u[k].complete = expected > 0 && closed == expected;
		if (!u[k].complete)
			incomplete++;
		if (u[k].complete && o->mark && !u[k].marked) {
			for (m = 0; m < nms; m++)
				if (hours_mark_one(h, st->root, ms[m],
				    u[k].unit) == -1)
					*failed = true;
			u[k].marked = !*failed;
		}
		hours_unit_name(u[k].unit, daily, un);
		if (o->json) {
			buf_printf(&out, "%s{\"hour\":\"%s\",\"complete\":%s,"
			    "\"closed\":%zu,\"expected\":%zu,\"open\":[",
			    k ? "," : "", un, u[k].complete ? "true" : "false",
			    closed, expected);
		} else
			buf_printf(&out, "%s:%s %s %s %zu/%zu hosts",
			    ms[0]->name, ver, un, u[k].complete ? "complete" :
			    "incomplete", closed, expected);
		for (i = 0, m = 0; i < st->nhosts; i++) {
			const struct hours_host *hh = &st->hosts[i];

			if (!hours_is_expected(o, hh, last) || hh->last >= last)
				continue;
			if (hh->last != INT64_MIN)
				fleet_hour_name(hh->last, hn);
			if (o->json) {
				buf_printf(&out, "%s{\"host\":", m ? "," : "");
				json_put_string(&out, hh->name);
				if (hh->last == INT64_MIN)
					buf_puts(&out, ",\"closed\":null}");
				else
					buf_printf(&out, ",\"closed\":\"%s\"}",
					    hn);
			} else
				buf_printf(&out, "%s %s (%s%s)", m ? "," :
				    "; open:", hh->name, hh->last == INT64_MIN ?
				    "never closed an hour" : "closed up to ",
				    hh->last == INT64_MIN ? "" : hn);
			m++;
		}
		if (expected == 0 && !o->json)
			buf_puts(&out, "; no hosts expected");
		buf_puts(&out, o->json ? "]}" : "\n");
	}
	/* Who is not waited for, against the most recent hour asked. */
	if (o->json)
		buf_puts(&out, "],\"not_expected\":[");
	for (i = 0, m = 0; nu > 0 && o->hosts_file == NULL &&
	    i < st->nhosts; i++) {
		const struct hours_host *hh = &st->hosts[i];

		if (hours_is_expected(o, hh, hours_last_hour(u[nu - 1].unit,
		    daily)) || hh->last >= hours_last_hour(u[nu - 1].unit,
		    daily))
			continue;
		fleet_hour_name(hh->last, hn);
		if (o->json) {
			buf_printf(&out, "%s{\"host\":", m ? "," : "");
			json_put_string(&out, hh->name);
			buf_printf(&out, ",\"closed\":\"%s\"}", hn);
		} else
			buf_printf(&out, "not waited for: %s (closed up to %s, "
			    "silent longer than --alive %" PRIu64 "h)\n",
			    hh->name, hn, o->alive_ms / 3600000);
		m++;
	}
	if (o->json)
		buf_puts(&out, "]}\n");
	if (o->mark && incomplete < nu &&
	    hours_mark_cleanup(h, st, newest) == -1)
		*failed = true;
#undef out
	return (int)incomplete;
}

/* NAME[:VERSION] into the definitions it names; -1 after saying why. */
static int
hours_messages(const struct schema *s, const char *arg,
    const struct message **ms, size_t max, size_t *n)
{
	const char	*colon = strchr(arg, ':');
	size_t		 namelen = colon != NULL ? (size_t)(colon - arg) :
			    strlen(arg), i;
	unsigned long	 version = 0;
	char		*end;

	if (colon != NULL) {
		version = strtoul(colon + 1, &end, 10);
		if (colon[1] < '1' || colon[1] > '9' || *end != '\0') {
			fprintf(stderr, "barge: hours: %s: not NAME:VERSION\n",
			    arg);
			return -1;
		}
	}
	*n = 0;
	for (i = 0; i < schema_count(s) && *n < max; i++) {
		const struct message *m = schema_get(s, i);

		if (strlen(m->name) == namelen &&
		    strncmp(m->name, arg, namelen) == 0 &&
		    (version == 0 || m->version == version))
			ms[(*n)++] = m;
	}
	if (*n == 0) {
		fprintf(stderr, "barge: hours: %s: no such message\n", arg);
		return -1;
	}
	for (i = 1; i < *n; i++)
		if (ms[i]->is_daily != ms[0]->is_daily) {
			fprintf(stderr, "barge: hours: %.*s: versions differ "
			    "in partition: name one version\n", (int)namelen,
			    arg);
			return -1;
		}
	return 0;
}

int
cmd_hours(int argc, char **argv)
{
	static const struct option longopts[] = {
		DEFS_LONGOPTS,
		{ "root", required_argument, NULL, 'r' },
		{ "namenode", required_argument, NULL, 'n' },
		{ "user", required_argument, NULL, 'u' },
		{ "hosts", required_argument, NULL, 'H' },
		{ "alive", required_argument, NULL, 'A' },
		{ "mark", no_argument, NULL, 'M' },
		{ "wait", required_argument, NULL, 'W' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	const struct message *ms[64];
	struct hours_unit *units = xcalloc(HOURS_UNITS_MAX, sizeof *units);
	struct hours_state st;
	struct hours_opts o;
	struct buf	 text;
	struct defs_args args = { NULL, NULL };
	struct config	*cfg = NULL;
	struct schema	*s = NULL;
	struct hdfs	*h = NULL;
	size_t		 nms, nu;
	uint64_t	 deadline;
	bool		 usage, failed = false;
	int		 ch, rc = CMD_FAIL, incomplete;

	memset(&st, 0, sizeof st);
	memset(&o, 0, sizeof o);
	buf_init(&text);
	o.alive_ms = 6 * 3600 * 1000;
	optind = 1;
	while ((ch = getopt_long(argc, argv, DEFS_OPTSTRING "r:n:u:j",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			o.root = optarg;
			break;
		case 'n':
			o.namenodes = optarg;
			break;
		case 'u':
			o.user = optarg;
			break;
		case 'H':
			o.hosts_file = optarg;
			break;
		case 'A':
			if (config_parse_duration(optarg, &o.alive_ms) == -1 ||
			    o.alive_ms < 3600000) {
				fprintf(stderr, "barge: hours: --alive %s: not "
				    "a duration of an hour or more\n", optarg);
				rc = CMD_USAGE;
				goto out;
			}
			break;
		case 'M':
			o.mark = true;
			break;
		case 'W':
			if (config_parse_duration(optarg, &o.wait_ms) == -1) {
				fprintf(stderr, "barge: hours: --wait %s: not "
				    "a duration\n", optarg);
				rc = CMD_USAGE;
				goto out;
			}
			o.waiting = true;
			break;
		case 'j':
			o.json = true;
			break;
		default:
			if ((ch = defs_option(ch, "hours", cmd_hours_help,
			    &args)) != DEFS_NEXT) {
				rc = ch;
				goto out;
			}
			break;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		rc = barge_cmd_usage_error("hours");
		goto out;
	}
	if (defs_load("hours", args.config, args.messages, &cfg, &s) == -1)
		goto out;
	if (o.root == NULL)
		o.root = cfg != NULL ? cfg->hdfs_root : "/data/barge";
	st.root = o.root;
	if (hours_messages(s, argv[0], ms, 64, &nms) == -1)
		goto out;
	if (argc > 1) {
		if (hours_parse_units(argv + 1, argc - 1, ms[0]->is_daily,
		    units, &nu) == -1) {
			rc = CMD_USAGE;
			goto out;
		}
	} else
		hours_default_units(cfg, ms[0]->is_daily, units, &nu);
	if (o.hosts_file != NULL && hours_read_hosts_file(&st,
	    o.hosts_file) == -1)
		goto out;
	if ((h = conn_open("hours", cfg, o.namenodes, o.user, &usage)) ==
	    NULL) {
		rc = usage ? CMD_USAGE : CMD_FAIL;
		goto out;
	}
	deadline = clock_mono_ms() + o.wait_ms;
	for (;;) {
		bool	 last_round;

		if (hours_list(h, &st) == -1)
			goto out;
		/* While waiting, only the final answer is printed. */
		incomplete = hours_round(h, &o, &st, ms, nms, units, nu, &text,
		    &failed);
		last_round = !o.waiting || incomplete == 0 ||
		    clock_mono_ms() >= deadline;
		if (last_round || failed)
			break;
		hours_clear(&st, true);
		usleep((useconds_t)(deadline - clock_mono_ms() <
		    HOURS_POLL_MS ? deadline - clock_mono_ms() :
		    HOURS_POLL_MS) * 1000);
	}
	if (fwrite(text.data, 1, text.len, stdout) != text.len ||
	    fflush(stdout) != 0)
		failed = true;
	rc = failed ? CMD_USAGE : incomplete == 0 ? CMD_OK : CMD_FAIL;
out:
	buf_clear(&text);
	hours_clear(&st, false);
	hdfs_free(h);
	schema_free(s);
	config_free(cfg);
	free(units);
	return rc;
}
