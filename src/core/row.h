/*
 * The output row of DESIGN section 5: _time TAB _host TAB the fields in
 * canonical form, escaped the way Hive's text SerDe reads them with
 * ESCAPED BY '\\' and serialization.escape.crlf, LF-terminated.
 */
#ifndef CORE_ROW_H
#define CORE_ROW_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "core/payload.h"

/* Appends the row of a valid payload to out. */
void	row_encode(struct buf *out, int64_t time_ms, const char *host,
	    size_t hostlen, const struct payload *);
/* Appends s escaped for Hive: \ -> \\, TAB -> \ TAB, LF -> \n, CR -> \r. */
void	row_escape(struct buf *out, const char *s, size_t len);
/* Appends a signed decimal integer. */
void	row_int(struct buf *out, int64_t);

#endif
