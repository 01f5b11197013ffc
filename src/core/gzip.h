/*
 * gzip members over zlib's deflate.  Each member is complete on its own
 * (header, deflate data, CRC-32, length), so a spool file cut back to a
 * member boundary is still a valid gzip file: zcat, Hadoop's GzipCodec
 * and Hive read several members as one stream.
 */
#ifndef CORE_GZIP_H
#define CORE_GZIP_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

struct gzip;

/* A member writer at zlib level 1-9.  Holds no zlib state until used. */
struct gzip	*gzip_new(int level);
void		 gzip_free(struct gzip *);
/* Compresses n bytes into out, starting a member if none is open. */
void		 gzip_write(struct gzip *, const void *, size_t n, struct buf *out);
/* Ends the open member (if any) into out and frees the zlib state. */
void		 gzip_finish(struct gzip *, struct buf *out);
bool		 gzip_is_open(const struct gzip *);

#endif
