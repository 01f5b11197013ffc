/*
 * Message definitions (DESIGN section 4): every *.yaml of a messages
 * folder, loaded strictly, and a registry that finds the definition of
 * "@Name:version" in O(1).
 */
#ifndef CORE_SCHEMA_H
#define CORE_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"

enum field_type {
	FIELD_STRING,
	FIELD_INT32,
	FIELD_INT64,
	FIELD_DOUBLE,
	FIELD_BOOL,
	FIELD_TIMESTAMP,
};

enum field_unit {
	FIELD_UNIT_MS,	/* timestamps: integer milliseconds (default) */
	FIELD_UNIT_S,	/* timestamps: integer seconds */
};

/* How a message's rows are written to HDFS (DESIGN 5). */
enum message_format {
	MESSAGE_FORMAT_DEFAULT,	/* no format: key; output.format decides */
	MESSAGE_FORMAT_TSV_GZ,
	MESSAGE_FORMAT_AVRO,
};

struct field {
	char		*name;
	enum field_type	 type;
	bool		 nullable;
	size_t		 max_length;	/* strings, in bytes after unescaping; 0 = none */
	enum field_unit	 unit;		/* timestamps */
};

struct message {
	char		*name;
	unsigned	 version;
	char		*description;	/* NULL if absent */
	char		*owner;		/* NULL if absent */
	bool		 is_daily;	/* partition: day (dt= folders only) */
	enum message_format format;
	char		*avro_schema;	/* core/avro_schema's JSON */
	struct field	*fields;
	size_t		 nfields;
	char		*file;		/* where it was defined */
	unsigned	 line;
};

struct schema;

/*
 * Loads every *.yaml file of dir (in name order).  Every problem goes to
 * diag as "file:line:col: message"; returns NULL if there was any.
 */
struct schema	*schema_load(const char *dir, struct diag *);
/* Loads definitions from the given files only (same rules). */
struct schema	*schema_load_files(char *const *paths, size_t n, struct diag *);
void		 schema_free(struct schema *);

/* The definition of name:version, or NULL. */
const struct message *schema_find(const struct schema *, const char *name,
		    size_t namelen, unsigned version);
/* Whether any version of name is declared. */
bool		 schema_has_name(const struct schema *, const char *name,
		    size_t namelen);
/* Definitions sorted by name, then version. */
size_t		 schema_count(const struct schema *);
const struct message *schema_get(const struct schema *, size_t i);

/* Gives every message without a format: key the format f. */
void		 schema_set_default_format(struct schema *,
		    enum message_format f);

/*
 * Whether b writes rows exactly as a does: the same format, partitions,
 * and fields (names, types, nullability, units).  Descriptions, owners
 * and max_length may differ: they change no byte of a row.
 */
bool		 message_same_layout(const struct message *a,
		    const struct message *b);
/*
 * Within a version the layout never changes (DESIGN 4): one diag per
 * message version of both old and new whose layout differs, at its
 * place in new.  Returns how many.
 */
size_t		 schema_layout_changes(const struct schema *old,
		    const struct schema *new, struct diag *);

/* "string", "int32", ... as written in YAML. */
const char	*schema_type_name(enum field_type);
/*
 * The values an integer field (int32, int64, timestamp) holds, in
 * *min..*max; false for the other types.  A timestamp in seconds is
 * stored in milliseconds, so its range is int64's divided by 1000.
 */
bool		 schema_field_range(const struct field *, int64_t *min,
		    int64_t *max);

#endif
