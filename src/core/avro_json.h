/*
 * A row as an Avro reader prints it: the Avro JSON encoding of the
 * record of core/avro_schema, laid out the way Avro C's avrocat prints a
 * record ({"field": value, ...}, a non-null union branch as
 * {"type": value}, non-ASCII as \uXXXX, doubles with 17 digits), so
 * barge match shows what avrocat will show for the file.
 */
#ifndef CORE_AVRO_JSON_H
#define CORE_AVRO_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "core/payload.h"

/* Appends the record of a valid payload as one JSON object (no LF). */
void	avro_json_row(struct buf *out, int64_t time_ms, const char *host,
	    size_t hostlen, const struct payload *);

#endif
