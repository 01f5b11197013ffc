/*
 * libyaml's event stream folded into a ydoc tree.  Marks from libyaml
 * are 0-based; the tree stores them 1-based, as editors count.
 */
#include "config.h"

#include "core/ydoc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/fsio.h"
#include "base/log.h"
#include "base/xmalloc.h"

struct ydoc_builder {
	yaml_parser_t	 parser;
	const char	*name;
	struct diag	*diag;
	int		 failed;
};

static struct ydoc *
ydoc_node_new(enum ydoc_kind kind, const yaml_mark_t *mark)
{
	struct ydoc	*n = xcalloc(1, sizeof *n);

	n->kind = kind;
	n->line = (unsigned)mark->line + 1;
	n->col = (unsigned)mark->column + 1;
	return n;
}

void
ydoc_free(struct ydoc *n)
{
	size_t	 i;

	if (n == NULL)
		return;
	for (i = 0; i < n->n; i++) {
		if (n->keys != NULL)
			ydoc_free(n->keys[i]);
		ydoc_free(n->items[i]);
	}
	free(n->keys);
	free(n->items);
	free(n->text);
	free(n);
}

static void
ydoc_add(struct ydoc *parent, struct ydoc *key, struct ydoc *value)
{
	parent->items = xreallocarray(parent->items, parent->n + 1,
	    sizeof *parent->items);
	if (parent->kind == YDOC_MAP)
		parent->keys = xreallocarray(parent->keys, parent->n + 1,
		    sizeof *parent->keys);
	if (key != NULL)
		parent->keys[parent->n] = key;
	parent->items[parent->n++] = value;
}

static int
ydoc_next(struct ydoc_builder *b, yaml_event_t *ev)
{
	if (yaml_parser_parse(&b->parser, ev))
		return 0;
	diag_add(b->diag, b->name, (unsigned)b->parser.problem_mark.line + 1,
	    (unsigned)b->parser.problem_mark.column + 1, "YAML error: %s%s%s",
	    b->parser.problem != NULL ? b->parser.problem : "syntax error",
	    b->parser.context != NULL ? " " : "",
	    b->parser.context != NULL ? b->parser.context : "");
	b->failed = 1;
	return -1;
}

/* Builds the node that starts with ev (already read); NULL on error. */
static struct ydoc *
ydoc_build(struct ydoc_builder *b, yaml_event_t *ev)
{
	struct ydoc	*n, *key, *value;
	yaml_event_t	 sub;

	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		diag_add(b->diag, b->name, (unsigned)ev->start_mark.line + 1,
		    (unsigned)ev->start_mark.column + 1,
		    "YAML aliases are not supported");
		b->failed = 1;
		return NULL;
	case YAML_SCALAR_EVENT:
		n = ydoc_node_new(YDOC_SCALAR, &ev->start_mark);
		n->text = xstrndup((const char *)ev->data.scalar.value,
		    ev->data.scalar.length);
		n->len = ev->data.scalar.length;
		n->is_plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		if (ev->data.scalar.anchor != NULL ||
		    (ev->data.scalar.tag != NULL &&
		    ev->data.scalar.plain_implicit == 0 &&
		    ev->data.scalar.quoted_implicit == 0)) {
			diag_add(b->diag, b->name, n->line, n->col,
			    "YAML anchors and tags are not supported");
			b->failed = 1;
		}
		return n;
	case YAML_SEQUENCE_START_EVENT:
		n = ydoc_node_new(YDOC_SEQ, &ev->start_mark);
		for (;;) {
			if (ydoc_next(b, &sub) == -1)
				goto fail;
			if (sub.type == YAML_SEQUENCE_END_EVENT) {
				yaml_event_delete(&sub);
				return n;
			}
			value = ydoc_build(b, &sub);
			yaml_event_delete(&sub);
			if (value == NULL)
				goto fail;
			ydoc_add(n, NULL, value);
		}
	case YAML_MAPPING_START_EVENT:
		n = ydoc_node_new(YDOC_MAP, &ev->start_mark);
		for (;;) {
			if (ydoc_next(b, &sub) == -1)
				goto fail;
			if (sub.type == YAML_MAPPING_END_EVENT) {
				yaml_event_delete(&sub);
				return n;
			}
			key = ydoc_build(b, &sub);
			yaml_event_delete(&sub);
			if (key == NULL)
				goto fail;
			if (ydoc_next(b, &sub) == -1) {
				ydoc_free(key);
				goto fail;
			}
			value = ydoc_build(b, &sub);
			yaml_event_delete(&sub);
			if (value == NULL) {
				ydoc_free(key);
				goto fail;
			}
			if (key->kind != YDOC_SCALAR) {
				diag_add(b->diag, b->name, key->line, key->col,
				    "a key must be a plain value");
				b->failed = 1;
			}
			ydoc_add(n, key, value);
		}
	default:
		diag_add(b->diag, b->name, (unsigned)ev->start_mark.line + 1,
		    (unsigned)ev->start_mark.column + 1,
		    "unexpected YAML event");
		b->failed = 1;
		return NULL;
	}
fail:
	ydoc_free(n);
	return NULL;
}

struct ydoc *
ydoc_parse(const char *name, const char *text, size_t len, struct diag *d)
{
	struct ydoc_builder b;
	struct ydoc	*root = NULL;
	yaml_event_t	 ev;
	yaml_mark_t	 start = { 0, 0, 0 };

	memset(&b, 0, sizeof b);
	b.name = name;
	b.diag = d;
	if (!yaml_parser_initialize(&b.parser))
		fatalx("ydoc: cannot initialise libyaml");
	yaml_parser_set_input_string(&b.parser, (const unsigned char *)text,
	    len);
	for (;;) {
		if (ydoc_next(&b, &ev) == -1)
			break;
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type == YAML_STREAM_START_EVENT ||
		    ev.type == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		if (ev.type == YAML_DOCUMENT_START_EVENT) {
			if (root != NULL) {
				diag_add(d, name, (unsigned)ev.start_mark.line + 1,
				    (unsigned)ev.start_mark.column + 1,
				    "only one YAML document is allowed");
				b.failed = 1;
				yaml_event_delete(&ev);
				break;
			}
			yaml_event_delete(&ev);
			continue;
		}
		root = ydoc_build(&b, &ev);
		yaml_event_delete(&ev);
		if (root == NULL)
			break;
	}
	yaml_parser_delete(&b.parser);
	if (b.failed) {
		ydoc_free(root);
		return NULL;
	}
	if (root == NULL) {
		root = ydoc_node_new(YDOC_SCALAR, &start);
		root->text = xstrdup("");
		root->is_plain = true;
	}
	return root;
}

struct ydoc *
ydoc_load(const char *path, struct diag *d)
{
	struct buf	 b;
	struct error	 err;
	struct ydoc	*root;

	buf_init(&b);
	if (fsio_read_file(path, &b, &err) == -1) {
		diag_add(d, path, 0, 0, "cannot read: %s",
		    strerror(err.sys));
		buf_clear(&b);
		return NULL;
	}
	root = ydoc_parse(path, b.data != NULL ? b.data : "", b.len, d);
	buf_clear(&b);
	return root;
}

struct ydoc *
ydoc_get(const struct ydoc *map, const char *key)
{
	size_t	 i;

	if (map == NULL || map->kind != YDOC_MAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (map->keys[i]->kind == YDOC_SCALAR &&
		    strcmp(map->keys[i]->text, key) == 0)
			return map->items[i];
	return NULL;
}

int
ydoc_check_keys(const struct ydoc *map, const char *const *allowed,
    const char *what, const char *file, struct diag *d)
{
	size_t	 i, j;
	int	 bad = 0;

	for (i = 0; i < map->n; i++) {
		const struct ydoc *k = map->keys[i];
		const char *const *a;

		if (k->kind != YDOC_SCALAR)
			continue;
		for (a = allowed; *a != NULL; a++)
			if (strcmp(*a, k->text) == 0)
				break;
		if (*a == NULL) {
			diag_add(d, file, k->line, k->col,
			    "unknown key '%s' in %s", k->text, what);
			bad++;
			continue;
		}
		for (j = 0; j < i; j++) {
			if (map->keys[j]->kind == YDOC_SCALAR &&
			    strcmp(map->keys[j]->text, k->text) == 0) {
				diag_add(d, file, k->line, k->col,
				    "duplicate key '%s' in %s (first at "
				    "line %u)", k->text, what,
				    map->keys[j]->line);
				bad++;
				break;
			}
		}
	}
	return bad;
}

int
ydoc_bool(const struct ydoc *n, bool *out)
{
	if (n->kind != YDOC_SCALAR)
		return -1;
	if (strcasecmp(n->text, "true") == 0)
		*out = true;
	else if (strcasecmp(n->text, "false") == 0)
		*out = false;
	else
		return -1;
	return 0;
}

int
ydoc_int(const struct ydoc *n, int64_t min, int64_t max, int64_t *out)
{
	const char	*p;
	char		*end;
	long long	 v;

	if (n->kind != YDOC_SCALAR || !n->is_plain || n->len == 0)
		return -1;
	for (p = n->text[0] == '-' ? n->text + 1 : n->text; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return -1;
	errno = 0;
	v = strtoll(n->text, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

const char *
ydoc_kind_name(const struct ydoc *n)
{
	switch (n->kind) {
	case YDOC_SCALAR:
		return "a value";
	case YDOC_SEQ:
		return "a list";
	case YDOC_MAP:
		return "a mapping";
	}
	return "?";
}
