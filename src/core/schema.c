/*
 * Message definitions: strict loading of the messages folder's *.yaml files and the
 * (name, version) registry.  The registry maps a name to its versions, so
 * both "which definition is @Name:version" and "is Name declared at all"
 * (unknown-message versus unknown-version) cost one hash lookup.
 */
#include "config.h"

#include "core/schema.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/hmap.h"
#include "base/xmalloc.h"
#include "core/avro_schema.h"
#include "core/ydoc.h"

#define SCHEMA_NAME_MAX		64

struct schema_name {
	struct message	**versions;
	size_t		  n;
};

struct schema {
	struct message	**all;		/* sorted by name, version */
	size_t		  n;
	struct hmap	 *by_name;	/* name -> struct schema_name */
};

static const char *const schema_type_names[] = {
	[FIELD_STRING] = "string",
	[FIELD_INT32] = "int32",
	[FIELD_INT64] = "int64",
	[FIELD_DOUBLE] = "double",
	[FIELD_BOOL] = "bool",
	[FIELD_TIMESTAMP] = "timestamp",
};

const char *
schema_type_name(enum field_type t)
{
	return schema_type_names[t];
}

bool
schema_field_range(const struct field *f, int64_t *min, int64_t *max)
{
	switch (f->type) {
	case FIELD_INT32:
		*min = INT32_MIN;
		*max = INT32_MAX;
		return true;
	case FIELD_INT64:
		*min = INT64_MIN;
		*max = INT64_MAX;
		return true;
	case FIELD_TIMESTAMP:
		*min = f->unit == FIELD_UNIT_S ? INT64_MIN / 1000 : INT64_MIN;
		*max = f->unit == FIELD_UNIT_S ? INT64_MAX / 1000 : INT64_MAX;
		return true;
	default:
		return false;
	}
}

static bool
schema_is_name(const char *s, size_t max, bool first_underscore)
{
	size_t	 i;

	if (s[0] == '\0' || !((s[0] >= 'A' && s[0] <= 'Z') ||
	    (s[0] >= 'a' && s[0] <= 'z') || (first_underscore && s[0] == '_')))
		return false;
	for (i = 1; s[i] != '\0'; i++) {
		char	 c = s[i];

		if (i >= max)
			return false;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}

static void
schema_message_free(struct message *m)
{
	size_t	 i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nfields; i++)
		free(m->fields[i].name);
	free(m->fields);
	free(m->name);
	free(m->description);
	free(m->owner);
	free(m->avro_schema);
	free(m->file);
	free(m);
}

static const char *
schema_scalar(const struct ydoc *n, const char *key, const char *file,
    struct diag *d)
{
	if (n->kind != YDOC_SCALAR) {
		diag_add(d, file, n->line, n->col, "'%s' must be a value, "
		    "not %s", key, ydoc_kind_name(n));
		return NULL;
	}
	return n->text;
}

static int
schema_field_load(const struct ydoc *node, struct field *f,
    const char *msgname, const char *file, struct diag *d)
{
	static const char *const keys[] = { "name", "type", "nullable",
	    "max_length", "unit", NULL };
	const struct ydoc *v;
	const char	*s;
	size_t		 before = diag_count(d);
	int64_t		 n;
	int		 t;

	memset(f, 0, sizeof *f);
	if (node->kind != YDOC_MAP) {
		diag_add(d, file, node->line, node->col, "a field must be a "
		    "mapping with name and type, not %s",
		    ydoc_kind_name(node));
		return -1;
	}
	ydoc_check_keys(node, keys, "a field", file, d);
	if ((v = ydoc_get(node, "name")) == NULL)
		diag_add(d, file, node->line, node->col,
		    "field of %s has no 'name'", msgname);
	else if ((s = schema_scalar(v, "name", file, d)) != NULL) {
		if (!schema_is_name(s, SCHEMA_NAME_MAX, true))
			diag_add(d, file, v->line, v->col, "bad field name "
			    "'%s': letters, digits and '_', starting with a "
			    "letter or '_', at most %d", s, SCHEMA_NAME_MAX);
		else if (strcasecmp(s, "_time") == 0 ||
		    strcasecmp(s, "_host") == 0 || strcasecmp(s, "dt") == 0 ||
		    strcasecmp(s, "hour") == 0)
			diag_add(d, file, v->line, v->col, "field name '%s' "
			    "is reserved (_time, _host, dt, hour are columns "
			    "barge adds)", s);
		f->name = xstrdup(s);
	}
	if ((v = ydoc_get(node, "type")) == NULL)
		diag_add(d, file, node->line, node->col,
		    "field '%s' of %s has no 'type'",
		    f->name != NULL ? f->name : "?", msgname);
	else if ((s = schema_scalar(v, "type", file, d)) != NULL) {
		for (t = 0; t < (int)nitems(schema_type_names); t++)
			if (strcmp(s, schema_type_names[t]) == 0)
				break;
		if (t == (int)nitems(schema_type_names))
			diag_add(d, file, v->line, v->col, "unknown type "
			    "'%s' (string, int32, int64, double, bool, "
			    "timestamp)", s);
		else
			f->type = (enum field_type)t;
	}
	if ((v = ydoc_get(node, "nullable")) != NULL &&
	    ydoc_bool(v, &f->nullable) == -1)
		diag_add(d, file, v->line, v->col,
		    "'nullable' must be true or false");
	if ((v = ydoc_get(node, "max_length")) != NULL) {
		if (f->type != FIELD_STRING)
			diag_add(d, file, v->line, v->col,
			    "'max_length' applies to strings only");
		else if (ydoc_int(v, 1, INT32_MAX, &n) == -1)
			diag_add(d, file, v->line, v->col, "'max_length' must "
			    "be a positive integer (bytes)");
		else
			f->max_length = (size_t)n;
	}
	if ((v = ydoc_get(node, "unit")) != NULL) {
		if (f->type != FIELD_TIMESTAMP)
			diag_add(d, file, v->line, v->col,
			    "'unit' applies to timestamps only");
		else if (v->kind == YDOC_SCALAR && strcmp(v->text, "ms") == 0)
			f->unit = FIELD_UNIT_MS;
		else if (v->kind == YDOC_SCALAR && strcmp(v->text, "s") == 0)
			f->unit = FIELD_UNIT_S;
		else
			diag_add(d, file, v->line, v->col,
			    "'unit' must be ms or s");
	}
	return diag_count(d) == before ? 0 : -1;
}

static struct message *
schema_message_load(const struct ydoc *node, const char *file,
    struct diag *d)
{
	static const char *const keys[] = { "name", "version",
	    "description", "owner", "partition", "format", "fields",
	    NULL };
	struct message	*m;
	const struct ydoc *v;
	const char	*s;
	struct buf	 avsc;
	size_t		 before = diag_count(d), i, j;
	int64_t		 n;

	if (node->kind != YDOC_MAP) {
		diag_add(d, file, node->line, node->col, "a message must be "
		    "a mapping, not %s", ydoc_kind_name(node));
		return NULL;
	}
	m = xcalloc(1, sizeof *m);
	m->file = xstrdup(file);
	m->line = node->line;
	ydoc_check_keys(node, keys, "a message", file, d);
	if ((v = ydoc_get(node, "name")) == NULL)
		diag_add(d, file, node->line, node->col,
		    "message has no 'name'");
	else if ((s = schema_scalar(v, "name", file, d)) != NULL) {
		if (!schema_is_name(s, SCHEMA_NAME_MAX, false))
			diag_add(d, file, v->line, v->col, "bad message name "
			    "'%s': a letter, then letters, digits and '_', at "
			    "most %d", s, SCHEMA_NAME_MAX);
		m->name = xstrdup(s);
	}
	if ((v = ydoc_get(node, "version")) == NULL)
		diag_add(d, file, node->line, node->col,
		    "message %s has no 'version'",
		    m->name != NULL ? m->name : "?");
	else if (ydoc_int(v, 1, 999999999, &n) == -1)
		diag_add(d, file, v->line, v->col, "'version' must be a "
		    "positive integer");
	else
		m->version = (unsigned)n;
	if ((v = ydoc_get(node, "description")) != NULL &&
	    (s = schema_scalar(v, "description", file, d)) != NULL)
		m->description = xstrdup(s);
	if ((v = ydoc_get(node, "owner")) != NULL &&
	    (s = schema_scalar(v, "owner", file, d)) != NULL)
		m->owner = xstrdup(s);
	if ((v = ydoc_get(node, "partition")) != NULL &&
	    (s = schema_scalar(v, "partition", file, d)) != NULL) {
		if (strcmp(s, "day") == 0)
			m->is_daily = true;
		else if (strcmp(s, "hour") != 0)
			diag_add(d, file, v->line, v->col, "'partition' must "
			    "be hour or day, not '%s'", s);
	}
	if ((v = ydoc_get(node, "format")) != NULL &&
	    (s = schema_scalar(v, "format", file, d)) != NULL) {
		if (strcmp(s, "avro") == 0)
			m->format = MESSAGE_FORMAT_AVRO;
		else if (strcmp(s, "tsv.gz") == 0)
			m->format = MESSAGE_FORMAT_TSV_GZ;
		else
			diag_add(d, file, v->line, v->col, "'format' must "
			    "be tsv.gz or avro, not '%s'", s);
	}
	if ((v = ydoc_get(node, "fields")) == NULL)
		diag_add(d, file, node->line, node->col,
		    "message %s has no 'fields'",
		    m->name != NULL ? m->name : "?");
	else if (v->kind != YDOC_SEQ || v->n == 0)
		diag_add(d, file, v->line, v->col,
		    "'fields' must be a list of at least one field");
	else {
		m->fields = xcalloc(v->n, sizeof *m->fields);
		m->nfields = v->n;
		for (i = 0; i < v->n; i++) {
			schema_field_load(v->items[i], &m->fields[i],
			    m->name != NULL ? m->name : "?", file, d);
			for (j = 0; j < i && m->fields[i].name != NULL; j++) {
				if (m->fields[j].name != NULL &&
				    strcasecmp(m->fields[j].name,
				    m->fields[i].name) == 0) {
					diag_add(d, file, v->items[i]->line,
					    v->items[i]->col, "duplicate "
					    "field '%s' (Hive column names "
					    "ignore case)", m->fields[i].name);
					break;
				}
			}
		}
	}
	if (diag_count(d) != before) {
		schema_message_free(m);
		return NULL;
	}
	buf_init(&avsc);
	avro_schema_json(&avsc, m);
	m->avro_schema = buf_take(&avsc);
	return m;
}

static int
schema_cmp(const void *a, const void *b)
{
	const struct message *x = *(struct message *const *)a;
	const struct message *y = *(struct message *const *)b;
	int	 c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return x->version < y->version ? -1 : x->version > y->version;
}

static void
schema_add(struct schema *s, struct message *m, struct diag *d)
{
	struct schema_name *sn;
	size_t		 i;

	sn = hmap_get(s->by_name, m->name, strlen(m->name));
	if (sn == NULL) {
		sn = xcalloc(1, sizeof *sn);
		hmap_put(s->by_name, m->name, strlen(m->name), sn);
	}
	for (i = 0; i < sn->n; i++) {
		if (sn->versions[i]->version == m->version) {
			diag_add(d, m->file, m->line, 0, "duplicate "
			    "definition of %s version %u (first defined at "
			    "%s:%u)", m->name, m->version,
			    sn->versions[i]->file, sn->versions[i]->line);
			schema_message_free(m);
			return;
		}
	}
	sn->versions = xreallocarray(sn->versions, sn->n + 1,
	    sizeof *sn->versions);
	sn->versions[sn->n++] = m;
	s->all = xreallocarray(s->all, s->n + 1, sizeof *s->all);
	s->all[s->n++] = m;
}

static void
schema_file_load(struct schema *s, const char *path, struct diag *d)
{
	static const char *const keys[] = { "messages", NULL };
	struct ydoc	*root;
	const struct ydoc *list;
	struct message	*m;
	size_t		 i;

	if ((root = ydoc_load(path, d)) == NULL)
		return;
	if (root->kind != YDOC_MAP) {
		diag_add(d, path, root->line, root->col, "expected a mapping "
		    "with 'messages:', found %s", root->kind == YDOC_SCALAR &&
		    root->len == 0 ? "an empty file" : ydoc_kind_name(root));
		goto out;
	}
	ydoc_check_keys(root, keys, "a messages file", path, d);
	if ((list = ydoc_get(root, "messages")) == NULL) {
		diag_add(d, path, root->line, root->col,
		    "no 'messages' list");
		goto out;
	}
	if (list->kind != YDOC_SEQ) {
		if (list->kind == YDOC_SCALAR && list->len == 0)
			goto out;	/* "messages:" with nothing yet */
		diag_add(d, path, list->line, list->col,
		    "'messages' must be a list, not %s", ydoc_kind_name(list));
		goto out;
	}
	for (i = 0; i < list->n; i++)
		if ((m = schema_message_load(list->items[i], path, d)) != NULL)
			schema_add(s, m, d);
out:
	ydoc_free(root);
}

static struct schema *
schema_new(void)
{
	struct schema	*s = xcalloc(1, sizeof *s);

	s->by_name = hmap_new();
	return s;
}

struct schema *
schema_load_files(char *const *paths, size_t n, struct diag *d)
{
	struct schema	*s = schema_new();
	size_t		 before = diag_count(d), i;

	for (i = 0; i < n; i++)
		schema_file_load(s, paths[i], d);
	if (diag_count(d) != before) {
		schema_free(s);
		return NULL;
	}
	if (s->n > 0)
		qsort(s->all, s->n, sizeof *s->all, schema_cmp);
	return s;
}

static int
schema_yaml_filter(const struct dirent *e)
{
	size_t	 len = strlen(e->d_name);

	return e->d_name[0] != '.' && len > 5 &&
	    strcmp(e->d_name + len - 5, ".yaml") == 0;
}

struct schema *
schema_load(const char *dir, struct diag *d)
{
	struct dirent	**ents;
	struct schema	 *s;
	char		**paths;
	int		  n, i;

	if ((n = scandir(dir, &ents, schema_yaml_filter, alphasort)) == -1) {
		diag_add(d, dir, 0, 0, "cannot read the messages folder: %s",
		    strerror(errno));
		return NULL;
	}
	paths = xcalloc((size_t)n + 1, sizeof *paths);
	for (i = 0; i < n; i++) {
		paths[i] = xasprintf("%s/%s", dir, ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
	s = schema_load_files(paths, (size_t)n, d);
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	return s;
}

void
schema_free(struct schema *s)
{
	size_t	 pos = 0, i;
	void	*v;

	if (s == NULL)
		return;
	while (hmap_next(s->by_name, &pos, NULL, NULL, &v)) {
		struct schema_name *sn = v;

		free(sn->versions);
		free(sn);
	}
	hmap_free(s->by_name);
	for (i = 0; i < s->n; i++)
		schema_message_free(s->all[i]);
	free(s->all);
	free(s);
}

const struct message *
schema_find(const struct schema *s, const char *name, size_t namelen,
    unsigned version)
{
	const struct schema_name *sn = hmap_get(s->by_name, name, namelen);
	size_t	 i;

	if (sn == NULL)
		return NULL;
	for (i = 0; i < sn->n; i++)
		if (sn->versions[i]->version == version)
			return sn->versions[i];
	return NULL;
}

bool
schema_has_name(const struct schema *s, const char *name, size_t namelen)
{
	return hmap_get(s->by_name, name, namelen) != NULL;
}

size_t
schema_count(const struct schema *s)
{
	return s->n;
}

const struct message *
schema_get(const struct schema *s, size_t i)
{
	return i < s->n ? s->all[i] : NULL;
}

bool
message_same_layout(const struct message *a, const struct message *b)
{
	size_t	 i;

	if (a->format != b->format || a->is_daily != b->is_daily ||
	    a->nfields != b->nfields)
		return false;
	for (i = 0; i < a->nfields; i++) {
		const struct field *x = &a->fields[i], *y = &b->fields[i];

		if (strcmp(x->name, y->name) != 0 || x->type != y->type ||
		    x->nullable != y->nullable ||
		    (x->type == FIELD_TIMESTAMP && x->unit != y->unit))
			return false;
	}
	return true;
}

size_t
schema_layout_changes(const struct schema *old, const struct schema *new,
    struct diag *d)
{
	const struct message *a, *b;
	size_t		 i, n = 0;

	for (i = 0; i < new->n; i++) {
		b = new->all[i];
		a = schema_find(old, b->name, strlen(b->name), b->version);
		if (a == NULL || message_same_layout(a, b))
			continue;
		diag_add(d, b->file, b->line, 0, "%s:%u: its fields, format or "
		    "partitions differ from the running definition's, and "
		    "within a version they never change: give the change a "
		    "new version", b->name, b->version);
		n++;
	}
	return n;
}

void
schema_set_default_format(struct schema *s, enum message_format f)
{
	size_t	 i;

	for (i = 0; i < s->n; i++)
		if (s->all[i]->format == MESSAGE_FORMAT_DEFAULT)
			s->all[i]->format = f;
}
