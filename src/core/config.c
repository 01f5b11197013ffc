/*
 * barge.yaml loading, driven by one declarative table: every key with its
 * type, its place in struct config and its default written the way a
 * user would write it.  Defaults go through the same parsers as the file,
 * so the table is also the documentation barge.yaml(5) follows.
 */
#include "config.h"

#include "core/config.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/xmalloc.h"
#include "core/hadoop_client.h"
#include "core/ydoc.h"

enum config_type {
	CT_MAP,		/* a nested mapping of further keys */
	CT_STRING,
	CT_PATH,	/* a string that must be an absolute path */
	CT_SIZE,
	CT_DURATION,
	CT_DURATION0,		/* a duration, or 0 for off */
	CT_UINT,
	CT_BOOL,
	CT_ENUM,
	CT_HOSTPORTS,	/* a list of host:port */
	CT_HOSTPORT,	/* host:port or empty */
	CT_INPUTS,
};

struct config_key {
	const char		*key;		/* dotted path */
	enum config_type	 type;
	size_t			 off;
	const char		*def;		/* NULL: no default (unset) */
	int64_t			 min, max;	/* CT_UINT */
	const char *const	*names;		/* CT_ENUM, in enum order */
};

static const char *const config_auth_names[] = { "simple", "kerberos", NULL };
static const char *const config_protect_names[] = { "none",
    "authentication", "integrity", "privacy", NULL };
static const char *const config_format_names[] = { "tsv.gz", "avro", NULL };

#define C(f)	offsetof(struct config, f)
static const struct config_key config_keys[] = {
	{ "host", CT_STRING, C(host), "auto", 0, 0, NULL },
	{ "messages_dir", CT_STRING, C(messages_dir), "/etc/barge/messages.d",
	    0, 0, NULL },
	{ "inputs", CT_INPUTS, C(inputs), NULL, 0, 0, NULL },
	{ "hdfs", CT_MAP, 0, NULL, 0, 0, NULL },
	{ "hdfs.namenodes", CT_HOSTPORTS, C(namenodes), NULL, 0, 0, NULL },
	{ "hdfs.user", CT_STRING, C(hdfs_user), "barge", 0, 0, NULL },
	{ "hdfs.root", CT_PATH, C(hdfs_root), "/data/barge", 0, 0, NULL },
	{ "hdfs.replication", CT_UINT, C(replication), "0", 0, 512, NULL },
	{ "hdfs.block_size", CT_SIZE, C(block_size), "0", 0, 0, NULL },
	{ "hdfs.auth", CT_ENUM, C(auth), "simple", 0, 0, config_auth_names },
	{ "hdfs.kerberos", CT_MAP, 0, NULL, 0, 0, NULL },
	{ "hdfs.kerberos.principal", CT_STRING, C(kerberos_principal), NULL,
	    0, 0, NULL },
	{ "hdfs.kerberos.keytab", CT_PATH, C(kerberos_keytab), NULL, 0, 0,
	    NULL },
	{ "hdfs.kerberos.namenode_principal", CT_STRING,
	    C(kerberos_nn_principal), NULL, 0, 0, NULL },
	{ "hdfs.proxy_user", CT_STRING, C(proxy_user), NULL, 0, 0, NULL },
	{ "hdfs.data_transfer_protection", CT_ENUM,
	    C(data_transfer_protection), "none", 0, 0, config_protect_names },
	{ "hdfs.hadoop_conf_dir", CT_PATH, C(hadoop_conf_dir), NULL, 0, 0,
	    NULL },
	{ "hdfs.nameservice", CT_STRING, C(nameservice), NULL, 0, 0, NULL },
	{ "hdfs.use_datanode_hostname", CT_BOOL, C(use_datanode_hostname),
	    "false", 0, 0, NULL },
	{ "hdfs.timeout", CT_DURATION, C(hdfs_timeout_ms), "60s", 0, 0, NULL },
	{ "spool", CT_MAP, 0, NULL, 0, 0, NULL },
	{ "spool.dir", CT_PATH, C(spool_dir), "/var/spool/barge", 0, 0, NULL },
	{ "spool.max_bytes", CT_SIZE, C(spool_max_bytes), "10G", 0, 0, NULL },
	{ "state_dir", CT_PATH, C(state_dir), "/var/lib/barge", 0, 0, NULL },
	{ "batch", CT_MAP, 0, NULL, 0, 0, NULL },
	{ "batch.max_bytes", CT_SIZE, C(batch_max_bytes), "128M", 0, 0, NULL },
	{ "batch.max_age", CT_DURATION, C(batch_max_age_ms), "2h", 0, 0, NULL },
	{ "batch.close_after", CT_DURATION0, C(batch_close_after_ms), "5m", 0, 0,
	    NULL },
	{ "batch.close_spread", CT_DURATION0, C(batch_close_spread_ms), "10m",
	    0, 0, NULL },
	{ "batch.gzip_level", CT_UINT, C(gzip_level), "6", 1, 9, NULL },
	{ "output", CT_MAP, 0, NULL, 0, 0, NULL },
	{ "output.format", CT_ENUM, C(output_format), "tsv.gz", 0, 0,
	    config_format_names },
	{ "quarantine", CT_BOOL, C(quarantine), "true", 0, 0, NULL },
	{ "control", CT_MAP, 0, NULL, 0, 0, NULL },
	{ "control.socket", CT_PATH, C(control_socket),
	    "/run/barge/barged.sock", 0, 0, NULL },
	{ "control.metrics", CT_HOSTPORT, C(metrics), "127.0.0.1:9732", 0, 0,
	    NULL },
};
#undef C

/* keys_set has a bit per key. */
_Static_assert(nitems(config_keys) <= 64, "keys_set is too small");

int
config_parse_size(const char *s, uint64_t *out)
{
	char		*end;
	unsigned long long v;
	unsigned	 shift = 0;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	if (*end != '\0') {
		switch (*end) {
		case 'K': case 'k':
			shift = 10;
			break;
		case 'M': case 'm':
			shift = 20;
			break;
		case 'G': case 'g':
			shift = 30;
			break;
		case 'T': case 't':
			shift = 40;
			break;
		default:
			return -1;
		}
		if (end[1] != '\0' && !((end[1] == 'B' || end[1] == 'b') &&
		    end[2] == '\0'))
			return -1;
	}
	if (shift > 0 && v > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

int
config_parse_duration(const char *s, uint64_t *out)
{
	char		*end;
	unsigned long long v;
	uint64_t	 mul;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	if (*end == '\0' || strcmp(end, "s") == 0)
		mul = 1000;
	else if (strcmp(end, "ms") == 0)
		mul = 1;
	else if (strcmp(end, "m") == 0)
		mul = 60 * 1000;
	else if (strcmp(end, "h") == 0)
		mul = 3600 * 1000;
	else
		return -1;
	if (v > UINT64_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}

/* host:port; port 0 (a free port, for the metrics endpoint) if any_port. */
static bool
config_is_hostport(const char *s, bool any_port)
{
	const char	*colon = strrchr(s, ':');
	char		*end;
	long		 port;

	if (colon == NULL || colon == s)
		return false;
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	return colon[1] != '\0' && *end == '\0' && errno == 0 &&
	    (port > 0 || (any_port && port == 0)) && port <= 65535;
}

bool
config_is_set(const struct config *c, const char *key)
{
	size_t	 i;

	for (i = 0; i < nitems(config_keys); i++)
		if (strcmp(config_keys[i].key, key) == 0)
			return (c->keys_set & (UINT64_C(1) << i)) != 0;
	return false;
}

static void
config_mark_set(struct config *c, const struct config_key *k)
{
	c->keys_set |= UINT64_C(1) << (size_t)(k - config_keys);
}

static const struct config_key *
config_key_find(const char *key)
{
	size_t	 i;

	for (i = 0; i < nitems(config_keys); i++)
		if (strcmp(config_keys[i].key, key) == 0)
			return &config_keys[i];
	return NULL;
}

static void
config_input_add(struct config *c, const char *path, enum config_start_at at)
{
	c->inputs = xreallocarray(c->inputs, c->ninputs + 1,
	    sizeof *c->inputs);
	c->inputs[c->ninputs].path = xstrdup(path);
	c->inputs[c->ninputs].start_at = at;
	c->ninputs++;
}

static void
config_inputs_clear(struct config *c)
{
	size_t	 i;

	for (i = 0; i < c->ninputs; i++)
		free(c->inputs[i].path);
	free(c->inputs);
	c->inputs = NULL;
	c->ninputs = 0;
}

static void
config_namenodes_clear(struct config *c)
{
	size_t	 i;

	for (i = 0; i < c->nnamenodes; i++)
		free(c->namenodes[i]);
	free(c->namenodes);
	c->namenodes = NULL;
	c->nnamenodes = 0;
}

/*
 * Stores the scalar text for key k; returns NULL on success or what is
 * wrong with it.  Used for defaults and for values from the file.
 */
static const char *
config_set_scalar(struct config *c, const struct config_key *k,
    const char *text)
{
	char		*base = (char *)c;
	char		**sp = (char **)(base + k->off);
	uint64_t	 u;
	char		*end;
	long long	 n;
	size_t		 i;

	switch (k->type) {
	case CT_PATH:
		if (text[0] != '/')
			return "must be an absolute path";
		/* FALLTHROUGH */
	case CT_STRING:
		if (text[0] == '\0')
			return "must not be empty";
		free(*sp);
		*sp = xstrdup(text);
		return NULL;
	case CT_HOSTPORT:
		if (text[0] != '\0' && !config_is_hostport(text, true))
			return "must be host:port, or empty for off";
		free(*sp);
		*sp = xstrdup(text);
		return NULL;
	case CT_SIZE:
		if (config_parse_size(text, &u) == -1)
			return "must be a size: a number with an optional "
			    "unit K, M, G or T";
		*(uint64_t *)(base + k->off) = u;
		return NULL;
	case CT_DURATION:
		if (config_parse_duration(text, &u) == -1 || u == 0)
			return "must be a positive duration: a number with "
			    "unit ms, s, m or h";
		*(uint64_t *)(base + k->off) = u;
		return NULL;
	case CT_DURATION0:
		if (config_parse_duration(text, &u) == -1)
			return "must be a duration: a number with unit ms, s, "
			    "m or h, or 0";
		*(uint64_t *)(base + k->off) = u;
		return NULL;
	case CT_UINT:
		errno = 0;
		n = strtoll(text, &end, 10);
		if (text[0] < '0' || text[0] > '9' || *end != '\0' ||
		    errno != 0 || n < k->min || n > k->max)
			return "must be an integer in range";
		/* Both CT_UINT fields are int-sized (unsigned or int). */
		*(int *)(base + k->off) = (int)n;
		return NULL;
	case CT_BOOL:
		if (strcmp(text, "true") == 0)
			*(bool *)(base + k->off) = true;
		else if (strcmp(text, "false") == 0)
			*(bool *)(base + k->off) = false;
		else
			return "must be true or false";
		return NULL;
	case CT_ENUM:
		for (i = 0; k->names[i] != NULL; i++) {
			if (strcmp(k->names[i], text) == 0) {
				*(int *)(base + k->off) = (int)i;
				return NULL;
			}
		}
		return "is not one of the allowed values";
	case CT_HOSTPORTS:
		if (!config_is_hostport(text, false))
			return "must be host:port";
		config_namenodes_clear(c);
		c->namenodes = xcalloc(1, sizeof *c->namenodes);
		c->namenodes[0] = xstrdup(text);
		c->nnamenodes = 1;
		return NULL;
	case CT_MAP:
	case CT_INPUTS:
		break;
	}
	return "must not be a plain value";
}

/* What the values may be, for error messages: " (a | b)", " (1 to 9)". */
static void
config_hint(const struct config_key *k, char *out, size_t len)
{
	size_t	 i, used = 0;

	out[0] = '\0';
	if (k->type == CT_UINT) {
		snprintf(out, len, " (%lld to %lld)", (long long)k->min,
		    (long long)k->max);
		return;
	}
	for (i = 0; k->names != NULL && k->names[i] != NULL; i++) {
		int n = snprintf(out + used, len - used, "%s%s",
		    i > 0 ? " | " : " (", k->names[i]);
		if (n < 0 || (size_t)n >= len - used)
			return;
		used += (size_t)n;
	}
	if (used > 0 && used + 1 < len)
		snprintf(out + used, len - used, ")");
}

static void
config_inputs_load(struct config *c, const struct ydoc *v, const char *file,
    struct diag *d)
{
	static const char *const keys[] = { "path", "start_at", NULL };
	size_t	 i, j;

	if (v->kind != YDOC_SEQ || v->n == 0) {
		diag_add(d, file, v->line, v->col,
		    "'inputs' must be a list of at least one input");
		return;
	}
	config_inputs_clear(c);
	for (i = 0; i < v->n; i++) {
		const struct ydoc *in = v->items[i], *p, *s;
		enum config_start_at at = CONFIG_START_END;

		if (in->kind != YDOC_MAP) {
			diag_add(d, file, in->line, in->col, "an input must "
			    "be a mapping with 'path', not %s",
			    ydoc_kind_name(in));
			continue;
		}
		ydoc_check_keys(in, keys, "an input", file, d);
		if ((s = ydoc_get(in, "start_at")) != NULL) {
			if (s->kind == YDOC_SCALAR &&
			    strcmp(s->text, "beginning") == 0)
				at = CONFIG_START_BEGINNING;
			else if (!(s->kind == YDOC_SCALAR &&
			    strcmp(s->text, "end") == 0))
				diag_add(d, file, s->line, s->col, "'start_at' "
				    "must be end or beginning");
		}
		if ((p = ydoc_get(in, "path")) == NULL) {
			diag_add(d, file, in->line, in->col,
			    "input has no 'path'");
			continue;
		}
		if (p->kind != YDOC_SCALAR || p->text[0] != '/') {
			diag_add(d, file, p->line, p->col,
			    "'path' must be an absolute path");
			continue;
		}
		for (j = 0; j < c->ninputs; j++)
			if (strcmp(c->inputs[j].path, p->text) == 0)
				diag_add(d, file, p->line, p->col,
				    "input '%s' is listed twice", p->text);
		config_input_add(c, p->text, at);
	}
}

static void
config_hostports_load(struct config *c, const struct config_key *k,
    const struct ydoc *v, const char *file, struct diag *d)
{
	size_t	 i;

	if (v->kind == YDOC_SCALAR) {
		const char *why = config_set_scalar(c, k, v->text);

		if (why != NULL)
			diag_add(d, file, v->line, v->col, "'%s' %s", k->key,
			    why);
		return;
	}
	if (v->kind != YDOC_SEQ || v->n == 0) {
		diag_add(d, file, v->line, v->col,
		    "'%s' must be a list of host:port", k->key);
		return;
	}
	config_namenodes_clear(c);
	c->namenodes = xcalloc(v->n, sizeof *c->namenodes);
	for (i = 0; i < v->n; i++) {
		const struct ydoc *it = v->items[i];

		if (it->kind != YDOC_SCALAR || !config_is_hostport(it->text, false)) {
			diag_add(d, file, it->line, it->col,
			    "'%s' entries must be host:port", k->key);
			continue;
		}
		c->namenodes[c->nnamenodes++] = xstrdup(it->text);
	}
}

static void
config_walk(struct config *c, const struct ydoc *map, const char *prefix,
    const char *file, struct diag *d)
{
	const char	*allowed[nitems(config_keys) + 1];
	size_t		 i, na = 0, plen = strlen(prefix);
	char		 full[128], hint[128];

	for (i = 0; i < nitems(config_keys); i++) {
		const char *key = config_keys[i].key;

		if (plen == 0 ? strchr(key, '.') == NULL :
		    (strncmp(key, prefix, plen) == 0 && key[plen] == '.' &&
		    strchr(key + plen + 1, '.') == NULL))
			allowed[na++] = plen == 0 ? key : key + plen + 1;
	}
	allowed[na] = NULL;
	ydoc_check_keys(map, allowed, plen == 0 ? "barge.yaml" : prefix,
	    file, d);
	for (i = 0; i < map->n; i++) {
		const struct ydoc *kn = map->keys[i], *v = map->items[i];
		const struct config_key *k;
		const char *why;

		if (kn->kind != YDOC_SCALAR)
			continue;
		snprintf(full, sizeof full, "%s%s%s", prefix,
		    plen == 0 ? "" : ".", kn->text);
		if ((k = config_key_find(full)) == NULL)
			continue;	/* reported by ydoc_check_keys */
		switch (k->type) {
		case CT_MAP:
			if (v->kind == YDOC_MAP)
				config_walk(c, v, full, file, d);
			else if (!(v->kind == YDOC_SCALAR && v->len == 0 &&
			    v->is_plain))
				diag_add(d, file, v->line, v->col,
				    "'%s' must be a mapping", full);
			break;
		case CT_INPUTS:
			config_inputs_load(c, v, file, d);
			break;
		case CT_HOSTPORTS:
			config_hostports_load(c, k, v, file, d);
			config_mark_set(c, k);
			break;
		default:
			if (v->kind != YDOC_SCALAR) {
				diag_add(d, file, v->line, v->col, "'%s' must "
				    "be a value, not %s", full,
				    ydoc_kind_name(v));
				break;
			}
			if ((why = config_set_scalar(c, k, v->text)) != NULL) {
				config_hint(k, hint, sizeof hint);
				diag_add(d, file, v->line, v->col,
				    "'%s' %s: '%s'%s", full, why, v->text,
				    hint);
			} else
				config_mark_set(c, k);
			break;
		}
	}
}

struct config *
config_default(void)
{
	struct config	*c = xcalloc(1, sizeof *c);
	size_t		 i;

	for (i = 0; i < nitems(config_keys); i++) {
		const struct config_key *k = &config_keys[i];

		if (k->def != NULL && config_set_scalar(c, k, k->def) != NULL)
			fatalx("config: bad default for %s", k->key);
	}
	config_input_add(c, "/var/log/syslog", CONFIG_START_END);
	return c;
}

/* hdfs.hadoop_conf_dir: what barge.yaml left unset, from the cluster's. */
static void
config_hadoop(struct config *c, const char *path, struct diag *d)
{
	struct hadoop_client	 hc;
	struct error		 err;

	if (c->hadoop_conf_dir == NULL) {
		if (c->nameservice != NULL)
			diag_add(d, path, 0, 0, "hdfs.nameservice needs "
			    "hdfs.hadoop_conf_dir");
		return;
	}
	if (hadoop_client_load(c->hadoop_conf_dir, c->nameservice, &hc,
	    &err) == -1) {
		diag_add(d, path, 0, 0, "hdfs.hadoop_conf_dir: %s", err.msg);
		return;
	}
	if (c->nameservice != NULL && hc.nameservice == NULL)
		diag_add(d, path, 0, 0, "hdfs.nameservice: '%s' is not a "
		    "nameservice of %s (dfs.nameservices, "
		    "dfs.ha.namenodes.%s)", c->nameservice,
		    c->hadoop_conf_dir, c->nameservice);
	else
		hadoop_client_merge(c, &hc);
	hadoop_client_clear(&hc);
}

static void
config_resolve(struct config *c, const char *path, struct diag *d)
{
	char	 host[256];

	if (strcmp(c->host, "auto") == 0) {
		if (gethostname(host, sizeof host) == -1)
			diag_add(d, path, 0, 0, "host: auto: cannot get the "
			    "hostname: %s", strerror(errno));
		else {
			host[sizeof host - 1] = '\0';
			free(c->host);
			c->host = xstrdup(host);
		}
	}
	if (c->messages_dir[0] != '/') {
		char	*copy = xstrdup(path), *dir = dirname(copy);
		char	*abs = xasprintf("%s/%s", dir, c->messages_dir);

		free(c->messages_dir);
		c->messages_dir = abs;
		free(copy);
	}
	config_hadoop(c, path, d);
	if (c->auth == CONFIG_AUTH_KERBEROS && c->kerberos_principal == NULL &&
	    c->kerberos_keytab != NULL)
		diag_add(d, path, 0, 0, "hdfs.kerberos.keytab needs "
		    "hdfs.kerberos.principal");
}

struct config *
config_load(const char *path, struct diag *d)
{
	struct config	*c;
	struct ydoc	*root;
	size_t		 before = diag_count(d);

	if ((root = ydoc_load(path, d)) == NULL)
		return NULL;
	c = config_default();
	c->file = xstrdup(path);
	if (root->kind == YDOC_MAP)
		config_walk(c, root, "", path, d);
	else if (!(root->kind == YDOC_SCALAR && root->len == 0))
		diag_add(d, path, root->line, root->col,
		    "expected a mapping of settings, found %s",
		    ydoc_kind_name(root));
	ydoc_free(root);
	if (diag_count(d) == before)
		config_resolve(c, path, d);
	if (diag_count(d) != before) {
		config_free(c);
		return NULL;
	}
	return c;
}

void
config_free(struct config *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < nitems(config_keys); i++) {
		const struct config_key *k = &config_keys[i];

		if (k->type == CT_STRING || k->type == CT_PATH ||
		    k->type == CT_HOSTPORT)
			free(*(char **)((char *)c + k->off));
	}
	config_inputs_clear(c);
	config_namenodes_clear(c);
	free(c->file);
	free(c);
}
