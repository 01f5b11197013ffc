/*
 * A YAML document as a small tree of nodes that remember where they were
 * written, so loaders can report "file:line:column: what is wrong".
 * Built with libyaml; anchors, aliases and tags are refused.
 */
#ifndef CORE_YDOC_H
#define CORE_YDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"

enum ydoc_kind {
	YDOC_SCALAR,
	YDOC_SEQ,
	YDOC_MAP,
};

struct ydoc {
	enum ydoc_kind	  kind;
	unsigned	  line;		/* 1-based */
	unsigned	  col;		/* 1-based */
	char		 *text;		/* scalars: the value, NUL-terminated */
	size_t		  len;
	bool		  is_plain;	/* scalars: written without quotes */
	struct ydoc	**keys;		/* maps: key nodes (scalars) */
	struct ydoc	**items;	/* maps: values; sequences: items */
	size_t		  n;
};

/*
 * Parses one YAML document from path.  Syntax errors and refused
 * constructs go to diag; returns NULL then.  An empty file gives an empty
 * plain scalar node.
 */
struct ydoc	*ydoc_load(const char *path, struct diag *);
/* The same from memory; name is used in diagnostics. */
struct ydoc	*ydoc_parse(const char *name, const char *text, size_t len,
		    struct diag *);
void		 ydoc_free(struct ydoc *);

/* The value of key in map, or NULL. */
struct ydoc	*ydoc_get(const struct ydoc *map, const char *key);
/*
 * Reports every key of map that is not in allowed (a NULL-terminated
 * list), and every duplicate key, as "unknown key 'k' in <what>".
 * Returns the number reported.
 */
int		 ydoc_check_keys(const struct ydoc *map, const char *const *allowed,
		    const char *what, const char *file, struct diag *);
/* A plain or quoted scalar that is "true" or "false" (any case). */
int		 ydoc_bool(const struct ydoc *, bool *);
/* A plain scalar of decimal digits (optional '-') in [min, max]. */
int		 ydoc_int(const struct ydoc *, int64_t min, int64_t max, int64_t *);
/* A short name for the node's kind, for messages ("a list"). */
const char	*ydoc_kind_name(const struct ydoc *);

#endif
