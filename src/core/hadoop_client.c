/*
 * Hadoop configuration keys -> client settings.  The key names and their
 * meaning are Hadoop's (hdfs-default.xml, core-default.xml); each bad
 * value is reported at the place it was written.
 */
#include "config.h"

#include "core/hadoop_client.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/cdefs.h"
#include "base/xmalloc.h"

/* 1: set (*v), 0: unset, -1: a substitution error in err. */
static int
hc_get(struct hadoop_conf *conf, const char *key, const char **v,
    struct error *err)
{
	struct error	 e;

	if ((*v = hadoop_conf_get(conf, key, &e)) != NULL)
		return 1;
	if (e.code == ERR_NOTFOUND)
		return 0;
	if (err != NULL)
		*err = e;
	return -1;
}

static int
hc_bad(struct hadoop_conf *conf, const char *key, const char *v,
    const char *want, struct error *err)
{
	return error_set(err, ERR_INPUT, "%s: %s: '%s' %s",
	    hadoop_conf_where(conf, key), key, v, want);
}

/* host:port with a port of 1..65535. */
static bool
hc_is_hostport(const char *s)
{
	const char	*colon = strrchr(s, ':');
	char		*end;
	long		 port;

	if (colon == NULL || colon == s || colon[1] == '\0')
		return false;
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	return *end == '\0' && errno == 0 && port > 0 && port <= 65535 &&
	    memchr(s, ',', (size_t)(colon - s)) == NULL;
}

/* Whether name is in the comma-separated list (items trimmed). */
static bool
hc_in_list(const char *list, const char *name)
{
	const char	*p = list, *e;
	size_t		 n = strlen(name), len;

	while (*p != '\0') {
		p += strspn(p, " \t\r\n,");
		e = p + strcspn(p, ",");
		len = (size_t)(e - p);
		while (len > 0 && strchr(" \t\r\n", p[len - 1]) != NULL)
			len--;
		if (len == n && len > 0 && strncmp(p, name, n) == 0)
			return true;
		p = e;
	}
	return false;
}

/* The NameNodes of HA nameservice ns, from dfs.ha.namenodes.<ns>. */
static char *
hc_ha_namenodes(struct hadoop_conf *conf, const char *ns, const char *ids,
    struct error *err)
{
	struct buf	 b;
	const char	*p = ids, *e, *addr;
	char		*hakey, *id, *key;
	int		 rc;

	hakey = xasprintf("dfs.ha.namenodes.%s", ns);
	buf_init(&b);
	while (*p != '\0') {
		p += strspn(p, " \t\r\n,");
		if (*p == '\0')
			break;
		e = p + strcspn(p, ", \t\r\n");
		id = xstrndup(p, (size_t)(e - p));
		p = e;
		key = xasprintf("dfs.namenode.rpc-address.%s.%s", ns, id);
		rc = hc_get(conf, key, &addr, err);
		if (rc == 0)
			error_set(err, ERR_INPUT, "%s: %s names NameNode '%s', "
			    "but %s is not set", hadoop_conf_where(conf, hakey),
			    hakey, id, key);
		else if (rc == 1 && !hc_is_hostport(addr)) {
			hc_bad(conf, key, addr, "is not host:port", err);
			rc = -1;
		}
		free(id);
		if (rc != 1) {
			free(key);
			free(hakey);
			buf_clear(&b);
			return NULL;
		}
		if (b.len > 0)
			buf_putc(&b, ',');
		buf_puts(&b, addr);
		free(key);
	}
	if (b.len == 0) {
		error_set(err, ERR_INPUT, "%s: %s: nameservice '%s' has no "
		    "NameNodes", hadoop_conf_where(conf, hakey), hakey, ns);
		free(hakey);
		buf_clear(&b);
		return NULL;
	}
	free(hakey);
	return buf_take(&b);
}

/*
 * The NameNodes of a nameservice, or NULL with *is_ns false when conf
 * does not name one.
 */
static char *
hc_nameservice(struct hadoop_conf *conf, const char *ns, bool *is_ns,
    struct error *err)
{
	const char	*v;
	char		*key;
	int		 rc;

	*is_ns = false;
	if (conf == NULL)
		return NULL;
	key = xasprintf("dfs.ha.namenodes.%s", ns);
	rc = hc_get(conf, key, &v, err);
	free(key);
	if (rc == -1) {
		*is_ns = true;
		return NULL;
	}
	if (rc == 1) {
		*is_ns = true;
		return hc_ha_namenodes(conf, ns, v, err);
	}
	/* A federated nameservice without HA: one address. */
	key = xasprintf("dfs.namenode.rpc-address.%s", ns);
	rc = hc_get(conf, key, &v, err);
	if (rc != 0) {
		*is_ns = true;
		if (rc == 1 && !hc_is_hostport(v)) {
			hc_bad(conf, key, v, "is not host:port", err);
			rc = -1;
		}
		free(key);
		return rc == 1 ? xstrdup(v) : NULL;
	}
	free(key);
	rc = hc_get(conf, "dfs.nameservices", &v, err);
	if (rc == -1 || (rc == 1 && hc_in_list(v, ns))) {
		*is_ns = true;
		if (rc == 1)
			error_set(err, ERR_INPUT, "nameservice '%s' has no "
			    "NameNodes: set dfs.ha.namenodes.%s and "
			    "dfs.namenode.rpc-address.%s.<id>", ns, ns, ns);
		return NULL;
	}
	return NULL;
}

/* hadoop_client_namenodes(), telling whether authority is a nameservice. */
static char *
hc_authority(struct hadoop_conf *conf, const char *authority, bool *is_ns,
    struct error *err)
{
	char	*nn;

	*is_ns = false;
	if (*authority == '\0') {
		error_set(err, ERR_INPUT, "an hdfs:// URI without a host or "
		    "nameservice");
		return NULL;
	}
	if (strchr(authority, ':') != NULL) {
		if (!hc_is_hostport(authority)) {
			error_set(err, ERR_INPUT, "hdfs://%s: not host:port",
			    authority);
			return NULL;
		}
		return xstrdup(authority);
	}
	nn = hc_nameservice(conf, authority, is_ns, err);
	if (*is_ns)
		return nn;
	return xasprintf("%s:%s", authority, HADOOP_DEFAULT_NN_PORT);
}

char *
hadoop_client_namenodes(struct hadoop_conf *conf, const char *authority,
    struct error *err)
{
	bool	 is_ns;

	return hc_authority(conf, authority, &is_ns, err);
}

int
hadoop_uri_split(const char *uri, char **authority, const char **path,
    struct error *err)
{
	const char	*rest, *slash, *sep;

	if (strncasecmp(uri, "hdfs://", 7) == 0) {
		rest = uri + 7;
		slash = strchr(rest, '/');
		*authority = slash != NULL ?
		    xstrndup(rest, (size_t)(slash - rest)) : xstrdup(rest);
		*path = slash != NULL ? slash : "/";
		return 1;
	}
	sep = strstr(uri, "://");
	if (sep != NULL && sep > uri &&
	    strspn(uri, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-") == (size_t)(sep - uri))
		return error_set(err, ERR_INPUT, "%s: not an hdfs:// URI",
		    uri);
	return 0;
}

/* fs.defaultFS (or its old name), or the single dfs.namenode.rpc-address. */
static int
hc_default_fs(struct hadoop_conf *conf, struct hadoop_client *hc,
    struct error *err)
{
	static const char *const keys[] = { "fs.defaultFS", "fs.default.name" };
	const char	*v, *path;
	char		*auth;
	size_t		 i;
	bool		 is_ns;
	int		 rc = 0;

	for (i = 0; i < 2 && rc == 0; i++)
		rc = hc_get(conf, keys[i], &v, err);
	if (rc == -1)
		return -1;
	if (rc == 0) {
		if ((rc = hc_get(conf, "dfs.namenode.rpc-address", &v,
		    err)) == -1)
			return -1;
		if (rc == 0)
			return error_set(err, ERR_INPUT, "the Hadoop "
			    "configuration sets neither fs.defaultFS nor "
			    "dfs.namenode.rpc-address");
		if (!hc_is_hostport(v))
			return hc_bad(conf, "dfs.namenode.rpc-address", v,
			    "is not host:port", err);
		hc->namenodes = xstrdup(v);
		return 0;
	}
	i--;
	if (hadoop_uri_split(v, &auth, &path, NULL) != 1)
		return hc_bad(conf, keys[i], v, "is not an hdfs:// URI", err);
	if ((hc->namenodes = hc_authority(conf, auth, &is_ns, err)) == NULL) {
		if (err != NULL && strncmp(err->msg, "hdfs://", 7) == 0)
			error_prefix(err, "%s: %s",
			    hadoop_conf_where(conf, keys[i]), keys[i]);
		free(auth);
		return -1;
	}
	if (is_ns)
		hc->nameservice = auth;
	else
		free(auth);
	return 0;
}

static int
hc_security(struct hadoop_conf *conf, struct hadoop_client *hc,
    struct error *err)
{
	static const char *const prot[] = { "none", "authentication",
	    "integrity", "privacy" };
	const char	*v;
	char		*first;
	size_t		 i, n;
	int		 rc;

	if ((rc = hc_get(conf, "hadoop.security.authentication", &v,
	    err)) == -1)
		return -1;
	if (rc == 1) {
		if (strcasecmp(v, "kerberos") == 0)
			hc->kerberos = true;
		else if (strcasecmp(v, "simple") != 0)
			return hc_bad(conf, "hadoop.security.authentication",
			    v, "is not simple or kerberos", err);
	}
	if ((rc = hc_get(conf, "dfs.namenode.kerberos.principal", &v,
	    err)) == -1)
		return -1;
	if (rc == 1 && *v != '\0')
		hc->namenode_principal = xstrdup(v);
	if ((rc = hc_get(conf, "dfs.data.transfer.protection", &v,
	    err)) == -1)
		return -1;
	if (rc == 1 && *v != '\0') {
		/* A list in the client's order of preference: its first. */
		n = strcspn(v, ", \t");
		first = xstrndup(v, n);
		for (i = 1; i < nitems(prot); i++)
			if (strcasecmp(first, prot[i]) == 0)
				break;
		free(first);
		if (i == nitems(prot))
			return hc_bad(conf, "dfs.data.transfer.protection", v,
			    "is not authentication, integrity or privacy",
			    err);
		hc->protection_set = true;
		hc->protection = (enum config_protection)i;
	}
	return 0;
}

/* Key's value as a decimal 1..max into *out, 0 if unset; else why. */
static int
hc_number(struct hadoop_conf *conf, const char *key, unsigned long max,
    const char *why, unsigned long *out, struct error *err)
{
	const char	*v;
	char		*end;
	unsigned long	 n;
	int		 rc;

	*out = 0;
	if ((rc = hc_get(conf, key, &v, err)) != 1)
		return rc;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (*v < '0' || *v > '9' || *end != '\0' || errno != 0 || n < 1 ||
	    n > max)
		return hc_bad(conf, key, v, why, err);
	*out = n;
	return 0;
}

static int
hc_files(struct hadoop_conf *conf, struct hadoop_client *hc,
    struct error *err)
{
	static const char *const bkeys[] = { "dfs.blocksize",
	    "dfs.block.size" };
	const char	*v;
	unsigned long	 n;
	size_t		 i;
	int		 rc;

	if (hc_number(conf, "dfs.replication", 512, "is not a replication of "
	    "1 to 512", &n, err) == -1)
		return -1;
	hc->replication = (unsigned)n;
	for (i = 0, rc = 0; i < 2 && rc == 0; i++)
		rc = hc_get(conf, bkeys[i], &v, err);
	if (rc == -1)
		return -1;
	if (rc == 1 && (config_parse_size(v, &hc->block_size) == -1 ||
	    hc->block_size == 0))
		return hc_bad(conf, bkeys[i - 1], v, "is not a size (bytes, or "
		    "with a unit k, m, g or t)", err);
	if ((rc = hc_get(conf, "dfs.client.use.datanode.hostname", &v,
	    err)) == -1)
		return -1;
	if (rc == 1) {
		if (strcasecmp(v, "true") == 0)
			hc->use_datanode_hostname = true;
		else if (strcasecmp(v, "false") != 0)
			return hc_bad(conf, "dfs.client.use.datanode.hostname",
			    v, "is not true or false", err);
	}
	/* Milliseconds, as Hadoop's client reads it. */
	if (hc_number(conf, "dfs.client.socket-timeout", 86400000, "is not a "
	    "time in milliseconds (1 to 86400000)", &n, err) == -1)
		return -1;
	hc->socket_timeout_ms = n;
	return 0;
}

int
hadoop_client_from_conf(struct hadoop_conf *conf, const char *fs,
    struct hadoop_client *hc, struct error *err)
{
	bool	 is_ns;

	memset(hc, 0, sizeof *hc);
	if (fs != NULL) {
		if ((hc->namenodes = hc_authority(conf, fs, &is_ns, err)) ==
		    NULL)
			return -1;
		if (is_ns)
			hc->nameservice = xstrdup(fs);
	} else if (hc_default_fs(conf, hc, err) == -1)
		goto fail;
	if (hc_security(conf, hc, err) == -1 || hc_files(conf, hc, err) == -1)
		goto fail;
	return 0;
fail:
	hadoop_client_clear(hc);
	return -1;
}

int
hadoop_client_load(const char *dir, const char *fs,
    struct hadoop_client *hc, struct error *err)
{
	struct hadoop_conf	*conf = hadoop_conf_new();
	int			 rc;

	memset(hc, 0, sizeof *hc);
	rc = hadoop_conf_load_dir(conf, dir, err);
	if (rc == 0)
		rc = hadoop_client_from_conf(conf, fs, hc, err);
	hadoop_conf_free(conf);
	return rc;
}

void
hadoop_client_clear(struct hadoop_client *hc)
{
	free(hc->namenodes);
	free(hc->nameservice);
	free(hc->namenode_principal);
	memset(hc, 0, sizeof *hc);
}

void
hadoop_client_merge(struct config *cfg, const struct hadoop_client *hc)
{
	const char	*p, *e;
	size_t		 i;

	if (!config_is_set(cfg, "hdfs.namenodes") && hc->namenodes != NULL) {
		for (i = 0; i < cfg->nnamenodes; i++)
			free(cfg->namenodes[i]);
		free(cfg->namenodes);
		cfg->namenodes = NULL;
		cfg->nnamenodes = 0;
		for (p = hc->namenodes; *p != '\0'; p = *e ? e + 1 : e) {
			e = p + strcspn(p, ",");
			cfg->namenodes = xreallocarray(cfg->namenodes,
			    cfg->nnamenodes + 1, sizeof *cfg->namenodes);
			cfg->namenodes[cfg->nnamenodes++] =
			    xstrndup(p, (size_t)(e - p));
		}
	}
	if (!config_is_set(cfg, "hdfs.auth"))
		cfg->auth = hc->kerberos ? CONFIG_AUTH_KERBEROS :
		    CONFIG_AUTH_SIMPLE;
	if (!config_is_set(cfg, "hdfs.kerberos.namenode_principal") &&
	    hc->namenode_principal != NULL &&
	    cfg->auth == CONFIG_AUTH_KERBEROS) {
		free(cfg->kerberos_nn_principal);
		cfg->kerberos_nn_principal = xstrdup(hc->namenode_principal);
	}
	if (!config_is_set(cfg, "hdfs.data_transfer_protection") &&
	    hc->protection_set)
		cfg->data_transfer_protection = hc->protection;
	if (!config_is_set(cfg, "hdfs.replication") && hc->replication != 0)
		cfg->replication = hc->replication;
	if (!config_is_set(cfg, "hdfs.block_size") && hc->block_size != 0)
		cfg->block_size = hc->block_size;
	if (!config_is_set(cfg, "hdfs.use_datanode_hostname"))
		cfg->use_datanode_hostname = hc->use_datanode_hostname;
	if (!config_is_set(cfg, "hdfs.timeout") && hc->socket_timeout_ms != 0)
		cfg->hdfs_timeout_ms = hc->socket_timeout_ms;
}
