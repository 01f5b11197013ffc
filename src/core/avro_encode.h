/*
 * Avro's binary encoding (Avro 1.11 specification, "Binary Encoding") of
 * barge's rows: longs and ints as zig-zag varints, doubles as 8
 * little-endian bytes, strings as a length then the bytes, a union as the
 * branch index then the value.  A row is the record of core/avro_schema:
 * _time, _host, then the declared fields.
 */
#ifndef CORE_AVRO_ENCODE_H
#define CORE_AVRO_ENCODE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "core/payload.h"

/* The most bytes a zig-zag varint of 64 bits takes. */
#define AVRO_LONG_MAX_LEN	10

/* Writes v as a zig-zag varint at p; returns its length. */
size_t	avro_put_long(unsigned char *p, int64_t v);
void	avro_long(struct buf *, int64_t);
/* A string or bytes: the length as a long, then the bytes. */
void	avro_bytes(struct buf *, const void *, size_t);
/*
 * Reads a zig-zag varint from p (n bytes); returns its length, or 0 if
 * it is cut short or longer than 10 bytes.
 */
size_t	avro_get_long(const unsigned char *p, size_t n, int64_t *v);

/* Appends the record of a valid payload. */
void	avro_encode_row(struct buf *out, int64_t time_ms, const char *host,
	    size_t hostlen, const struct payload *);

#endif
