/*
 * The Avro schema of a message definition: a record named
 * <Name>_v<version> in namespace "barge", fields _time and _host first,
 * then the declared ones in order.  int32 -> int, int64 -> long, double,
 * bool -> boolean, string, timestamp (and _time) -> long with logicalType
 * timestamp-millis; a nullable field is ["null", T] with default null.
 * Within a version the schema never changes: it depends on the
 * definition only.
 */
#ifndef CORE_AVRO_SCHEMA_H
#define CORE_AVRO_SCHEMA_H

#include "base/buf.h"
#include "core/schema.h"

/* Appends the schema as JSON (an .avsc, no final newline). */
void	avro_schema_json(struct buf *, const struct message *);

#endif
