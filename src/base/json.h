/*
 * JSON, as much as barge needs: writing strings into a buffer, and a
 * reader that turns a document into a tree.  The reader is strict (RFC
 * 8259: no comments, no trailing commas), bounds its depth, and keeps
 * numbers as text so that 64-bit counts survive exactly.
 */
#ifndef BASE_JSON_H
#define BASE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"

#define JSON_DEPTH_MAX	32

enum json_kind {
	JSON_NULL,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json {
	enum json_kind	 kind;
	bool		 boolean;
	char		*text;		/* strings (UTF-8) and numbers */
	size_t		 len;		/* of text; strings may hold NULs */
	struct json	**items;	/* array items, object values */
	char		**keys;		/* object keys, NULL for arrays */
	size_t		 n;
};

/* Appends s as a JSON string, quotes included. */
void		 json_put_string(struct buf *, const char *s);

/*
 * Parses text (len bytes) into a tree; NULL with err ("line L col C:
 * what") on anything that is not one well-formed JSON value.
 */
struct json	*json_parse(const char *text, size_t len, struct error *);
void		 json_free(struct json *);

/* The value of key in an object, or NULL (not an object, no such key). */
const struct json *json_get(const struct json *, const char *key);
/* A string's text, or NULL if j is not a string without NULs. */
const char	*json_string(const struct json *);
/* A non-negative integer number up to max; -1 if j is not one. */
int		 json_uint(const struct json *, uint64_t max, uint64_t *);

#endif
