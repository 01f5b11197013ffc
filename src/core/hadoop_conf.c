/*
 * Hadoop configuration XML through expat.  A file is parsed into a list
 * of pending properties first and merged into the table only when the
 * whole file parsed, so a broken file leaves the table as it was.
 * Substitution happens at hadoop_conf_get(), as in Hadoop, so that a
 * later file can change a variable an earlier one used.
 */
#include "config.h"

#include "core/hadoop_conf.h"

#include <expat.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/fsio.h"
#include "base/hmap.h"
#include "base/log.h"
#include "base/xmalloc.h"

/* Bounds the work of one get: a=${b}${b}, b=${c}${c}... doubles. */
#define HC_MAX_SUBSTS	100000

struct hc_prop {
	char	*value;		/* as written, trimmed */
	char	*where;		/* "file:line:col" of the value */
	bool	 final;
	char	*expanded;	/* cache of the substituted value */
};

struct hadoop_conf {
	struct hmap	*props;		/* name -> struct hc_prop */
};

/* One property of the file being parsed, not yet in the table. */
struct hc_pending {
	char	*name;
	char	*value;
	char	*where;
	bool	 final;
};

enum hc_field { HC_NONE, HC_NAME, HC_VALUE, HC_FINAL };

struct hc_parse {
	XML_Parser		 xp;
	const char		*file;
	struct error		*err;
	bool			 failed;
	unsigned		 depth;		/* open elements */
	bool			 in_prop;
	enum hc_field		 field;
	struct buf		 name, value, final;
	bool			 has_name, has_value;
	char			*value_where;
	unsigned long		 prop_line, prop_col;
	struct hc_pending	*pend;
	size_t			 npend;
};

struct hadoop_conf *
hadoop_conf_new(void)
{
	struct hadoop_conf	*c = xcalloc(1, sizeof *c);

	c->props = hmap_new();
	return c;
}

static void
hc_prop_free(struct hc_prop *p)
{
	free(p->value);
	free(p->where);
	free(p->expanded);
	free(p);
}

void
hadoop_conf_free(struct hadoop_conf *c)
{
	size_t		 pos = 0, klen;
	const void	*key;
	void		*v;

	if (c == NULL)
		return;
	while (hmap_next(c->props, &pos, &key, &klen, &v))
		hc_prop_free(v);
	hmap_free(c->props);
	free(c);
}

size_t
hadoop_conf_count(const struct hadoop_conf *c)
{
	return hmap_count(c->props);
}

/* "file:line:col" where the parser stands (expat counts columns from 0). */
static char *
hc_here(const struct hc_parse *ps)
{
	return xasprintf("%s:%lu:%lu", ps->file,
	    (unsigned long)XML_GetCurrentLineNumber(ps->xp),
	    (unsigned long)XML_GetCurrentColumnNumber(ps->xp) + 1);
}

static void
hc_fail(struct hc_parse *ps, unsigned long line, unsigned long col,
    const char *what)
{
	if (ps->failed)
		return;
	ps->failed = true;
	error_set(ps->err, ERR_INPUT, "%s:%lu:%lu: %s", ps->file, line, col,
	    what);
	XML_StopParser(ps->xp, XML_FALSE);
}

static void
hc_fail_here(struct hc_parse *ps, const char *what)
{
	hc_fail(ps, (unsigned long)XML_GetCurrentLineNumber(ps->xp),
	    (unsigned long)XML_GetCurrentColumnNumber(ps->xp) + 1, what);
}

/* The text without leading and trailing XML white space (a copy). */
static bool
hc_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static char *
hc_trim(const char *s, size_t n)
{
	while (n > 0 && hc_space(s[0])) {
		s++;
		n--;
	}
	while (n > 0 && hc_space(s[n - 1]))
		n--;
	return n > 0 ? xstrndup(s, n) : xstrdup("");
}

static void
hc_prop_begin(struct hc_parse *ps, const XML_Char **attrs)
{
	size_t	 i;

	ps->in_prop = true;
	ps->has_name = ps->has_value = false;
	buf_reset(&ps->name);
	buf_reset(&ps->value);
	buf_reset(&ps->final);
	free(ps->value_where);
	ps->value_where = NULL;
	ps->prop_line = (unsigned long)XML_GetCurrentLineNumber(ps->xp);
	ps->prop_col = (unsigned long)XML_GetCurrentColumnNumber(ps->xp) + 1;
	/* Hadoop also takes <property name=".." value=".." final=".."/>. */
	for (i = 0; attrs[i] != NULL; i += 2) {
		if (strcmp(attrs[i], "name") == 0) {
			buf_puts(&ps->name, attrs[i + 1]);
			ps->has_name = true;
		} else if (strcmp(attrs[i], "value") == 0) {
			buf_puts(&ps->value, attrs[i + 1]);
			ps->has_value = true;
			ps->value_where = hc_here(ps);
		} else if (strcmp(attrs[i], "final") == 0)
			buf_puts(&ps->final, attrs[i + 1]);
	}
}

static void
hc_prop_end(struct hc_parse *ps)
{
	struct hc_pending	*p;
	char			*name, *fin;

	ps->in_prop = false;
	name = hc_trim(ps->name.data, ps->name.len);
	if (*name == '\0') {
		free(name);
		hc_fail(ps, ps->prop_line, ps->prop_col,
		    "<property> has no <name>");
		return;
	}
	if (!ps->has_value) {
		/* Hadoop skips a property without a value. */
		free(name);
		return;
	}
	ps->pend = xreallocarray(ps->pend, ps->npend + 1, sizeof *ps->pend);
	p = &ps->pend[ps->npend++];
	p->name = name;
	p->value = hc_trim(ps->value.data, ps->value.len);
	p->where = ps->value_where;
	ps->value_where = NULL;
	fin = hc_trim(ps->final.data, ps->final.len);
	p->final = strcmp(fin, "true") == 0;
	free(fin);
}

static void XMLCALL
hc_start(void *arg, const XML_Char *el, const XML_Char **attrs)
{
	struct hc_parse	*ps = arg;
	char		 what[160];

	if (ps->failed)
		return;
	ps->depth++;
	if (ps->depth == 1) {
		if (strcmp(el, "configuration") != 0) {
			snprintf(what, sizeof what, "expected <configuration>, "
			    "found <%.64s>", el);
			hc_fail_here(ps, what);
		}
		return;
	}
	if (ps->depth == 2) {
		/* Other elements (XInclude, comments in tags) are ignored. */
		if (strcmp(el, "property") == 0)
			hc_prop_begin(ps, attrs);
		return;
	}
	if (ps->depth != 3 || !ps->in_prop)
		return;
	if (strcmp(el, "name") == 0) {
		ps->field = HC_NAME;
		ps->has_name = true;
		buf_reset(&ps->name);
	} else if (strcmp(el, "value") == 0) {
		ps->field = HC_VALUE;
		ps->has_value = true;
		buf_reset(&ps->value);
		free(ps->value_where);
		ps->value_where = hc_here(ps);
	} else if (strcmp(el, "final") == 0) {
		ps->field = HC_FINAL;
		buf_reset(&ps->final);
	}
}

static void XMLCALL
hc_end(void *arg, const XML_Char *el)
{
	struct hc_parse	*ps = arg;

	(void)el;
	if (ps->failed)
		return;
	if (ps->depth == 3)
		ps->field = HC_NONE;
	else if (ps->depth == 2 && ps->in_prop)
		hc_prop_end(ps);
	ps->depth--;
}

static void XMLCALL
hc_text(void *arg, const XML_Char *s, int n)
{
	struct hc_parse	*ps = arg;

	if (ps->failed || ps->depth != 3)
		return;
	switch (ps->field) {
	case HC_NAME:
		buf_append(&ps->name, s, (size_t)n);
		break;
	case HC_VALUE:
		buf_append(&ps->value, s, (size_t)n);
		break;
	case HC_FINAL:
		buf_append(&ps->final, s, (size_t)n);
		break;
	case HC_NONE:
		break;
	}
}

/*
 * No DTD: entity declarations are where the XML bombs live, and Hadoop
 * refuses a DOCTYPE too.
 */
static void XMLCALL
hc_doctype(void *arg, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int internal)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)internal;
	hc_fail_here(arg, "a DOCTYPE is not allowed");
}

/* Merges the parsed file into the table; an earlier final one stays. */
static void
hc_commit(struct hadoop_conf *c, struct hc_pending *pend, size_t n)
{
	struct hc_prop	*p;
	size_t		 i, pos = 0, klen;
	const void	*key;
	void		*v;

	/* A later file may change what earlier values substitute to. */
	while (hmap_next(c->props, &pos, &key, &klen, &v)) {
		p = v;
		free(p->expanded);
		p->expanded = NULL;
	}
	for (i = 0; i < n; i++) {
		p = hmap_get(c->props, pend[i].name, strlen(pend[i].name));
		if (p != NULL && p->final) {
			if (strcmp(p->value, pend[i].value) != 0)
				log_warnx("%s: %s is final in %s; ignored",
				    pend[i].where, pend[i].name, p->where);
			free(pend[i].value);
			free(pend[i].where);
			free(pend[i].name);
			continue;
		}
		if (p == NULL) {
			p = xcalloc(1, sizeof *p);
			hmap_put(c->props, pend[i].name, strlen(pend[i].name),
			    p);
		} else {
			free(p->value);
			free(p->where);
		}
		p->value = pend[i].value;
		p->where = pend[i].where;
		p->final = p->final || pend[i].final;
		free(pend[i].name);
	}
}

static void
hc_pending_free(struct hc_pending *pend, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(pend[i].name);
		free(pend[i].value);
		free(pend[i].where);
	}
}

int
hadoop_conf_load_buf(struct hadoop_conf *c, const char *name, const char *p,
    size_t n, struct error *err)
{
	struct hc_parse	 ps;
	char		 what[160];
	int		 rc = 0;

	if (n > HADOOP_CONF_MAX_FILE)
		return error_set(err, ERR_INPUT, "%s: larger than %u MiB",
		    name, HADOOP_CONF_MAX_FILE >> 20);
	memset(&ps, 0, sizeof ps);
	ps.file = name;
	ps.err = err;
	buf_init(&ps.name);
	buf_init(&ps.value);
	buf_init(&ps.final);
	if ((ps.xp = XML_ParserCreate(NULL)) == NULL)
		return error_set(err, ERR_SYS, "%s: no memory for expat",
		    name);
	XML_SetUserData(ps.xp, &ps);
	XML_SetElementHandler(ps.xp, hc_start, hc_end);
	XML_SetCharacterDataHandler(ps.xp, hc_text);
	XML_SetStartDoctypeDeclHandler(ps.xp, hc_doctype);
	if (XML_Parse(ps.xp, p, (int)n, XML_TRUE) == XML_STATUS_ERROR &&
	    !ps.failed) {
		snprintf(what, sizeof what, "%s",
		    XML_ErrorString(XML_GetErrorCode(ps.xp)));
		hc_fail_here(&ps, what);
	}
	if (ps.failed) {
		hc_pending_free(ps.pend, ps.npend);
		rc = -1;
	} else
		hc_commit(c, ps.pend, ps.npend);
	free(ps.pend);
	free(ps.value_where);
	buf_clear(&ps.name);
	buf_clear(&ps.value);
	buf_clear(&ps.final);
	XML_ParserFree(ps.xp);
	return rc;
}

int
hadoop_conf_load_file(struct hadoop_conf *c, const char *path,
    struct error *err)
{
	struct buf	 b;
	int		 rc;

	buf_init(&b);
	if (fsio_read_file(path, &b, err) == -1) {
		buf_clear(&b);
		return -1;
	}
	rc = hadoop_conf_load_buf(c, path, b.data, b.len, err);
	buf_clear(&b);
	return rc;
}

int
hadoop_conf_load_dir(struct hadoop_conf *c, const char *dir,
    struct error *err)
{
	static const char *const files[] = { "core-site.xml",
	    "hdfs-site.xml" };
	char	*path;
	size_t	 i;
	int	 found = 0, rc;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		path = xasprintf("%s/%s", dir, files[i]);
		rc = hadoop_conf_load_file(c, path, err);
		free(path);
		if (rc == 0)
			found++;
		else if (err == NULL || err->code != ERR_NOTFOUND)
			return -1;
	}
	if (found == 0)
		return error_set(err, ERR_NOTFOUND, "%s: no core-site.xml "
		    "or hdfs-site.xml", dir);
	return 0;
}

struct hc_subst {
	struct hadoop_conf	*c;
	const char		*top;		/* the name asked for */
	const struct hc_prop	*top_prop;
	unsigned long		 substs;
	struct error		*err;
};

/* ${env.VAR}, ${env.VAR:-default} (unset or empty), ${env.VAR-default}. */
static bool
hc_env(const char *spec, size_t n, struct buf *out)
{
	char		*var;
	const char	*dash, *val, *def = NULL;
	size_t		 vn = n, dn = 0;
	bool		 if_empty = false;

	if ((dash = memchr(spec, '-', n)) != NULL) {
		vn = (size_t)(dash - spec);
		if (vn > 0 && spec[vn - 1] == ':') {
			vn--;
			if_empty = true;
		}
		def = dash + 1;
		dn = n - (size_t)(def - spec);
	}
	var = xstrndup(spec, vn);
	val = getenv(var);
	free(var);
	if (val != NULL && !(if_empty && *val == '\0')) {
		buf_puts(out, val);
		return true;
	}
	if (def == NULL)
		return false;
	buf_append(out, def, dn);
	return true;
}

static int
hc_expand(struct hc_subst *s, const char *text, unsigned depth,
    struct buf *out)
{
	const char		*q, *end;
	const struct hc_prop	*p;
	char			*name;
	size_t			 n;

	for (q = text; *q != '\0'; q++) {
		if (out->len > HADOOP_CONF_MAX_VALUE)
			return error_set(s->err, ERR_INPUT, "%s: %s: longer "
			    "than %u MiB after substitution",
			    s->top_prop->where, s->top,
			    HADOOP_CONF_MAX_VALUE >> 20);
		if (q[0] != '$' || q[1] != '{' ||
		    (end = strpbrk(q + 2, "${}")) == NULL || *end != '}') {
			buf_putc(out, *q);
			continue;
		}
		n = (size_t)(end - (q + 2));
		if (++s->substs > HC_MAX_SUBSTS)
			return error_set(s->err, ERR_INPUT, "%s: %s: more than "
			    "%u substitutions", s->top_prop->where, s->top,
			    HC_MAX_SUBSTS);
		if (n > 4 && strncmp(q + 2, "env.", 4) == 0) {
			if (!hc_env(q + 6, n - 4, out))
				buf_append(out, q, n + 3);
			q = end;
			continue;
		}
		name = xstrndup(q + 2, n);
		p = hmap_get(s->c->props, name, n);
		free(name);
		if (p == NULL) {
			buf_append(out, q, n + 3);	/* left as written */
		} else if (depth + 1 > HADOOP_CONF_MAX_DEPTH) {
			return error_set(s->err, ERR_INPUT, "%s: %s: variable "
			    "substitution nests deeper than %u (a loop?)",
			    s->top_prop->where, s->top,
			    HADOOP_CONF_MAX_DEPTH);
		} else if (hc_expand(s, p->value, depth + 1, out) == -1)
			return -1;
		q = end;
	}
	return 0;
}

const char *
hadoop_conf_get(struct hadoop_conf *c, const char *name, struct error *err)
{
	struct hc_prop	*p;
	struct hc_subst	 s;
	struct buf	 out;

	if ((p = hmap_get(c->props, name, strlen(name))) == NULL) {
		error_set(err, ERR_NOTFOUND, "%s: not set", name);
		return NULL;
	}
	if (p->expanded != NULL)
		return p->expanded;
	memset(&s, 0, sizeof s);
	s.c = c;
	s.top = name;
	s.top_prop = p;
	s.err = err;
	buf_init(&out);
	buf_reserve(&out, strlen(p->value) + 1);
	if (hc_expand(&s, p->value, 0, &out) == -1) {
		buf_clear(&out);
		return NULL;
	}
	p->expanded = buf_take(&out);
	return p->expanded;
}

const char *
hadoop_conf_where(const struct hadoop_conf *c, const char *name)
{
	const struct hc_prop	*p = hmap_get(c->props, name, strlen(name));

	return p != NULL ? p->where : NULL;
}
