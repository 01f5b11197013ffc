/*
 * gzip members over libdeflate.  Every chunk of rows becomes one
 * complete member (header, deflate data, CRC-32, length), so a spool file
 * cut back to any member boundary is still a valid gzip file: zcat,
 * Hadoop's GzipCodec and Hive read several members as one stream.  One
 * compressor serves every segment, which keeps an open segment's memory
 * to its buffered rows.
 */
#ifndef CORE_GZIP_H
#define CORE_GZIP_H

#include <stddef.h>

struct gzip;

/*
 * A member compressor at batch.gzip_level 1-9 (gzip_level_map() says
 * which libdeflate level that is).
 */
struct gzip	*gzip_new(int level);
void		 gzip_free(struct gzip *);
/*
 * Compresses n bytes as one member; returns the member's bytes, valid
 * until the next call, and their count in *outlen.
 */
const char	*gzip_member(struct gzip *, const void *, size_t n,
		    size_t *outlen);
/*
 * Compresses n bytes as raw deflate (RFC 1951, no gzip framing), with the
 * same compressor and level: Avro's "deflate" codec.  Same buffer rules.
 */
const char	*gzip_deflate(struct gzip *, const void *, size_t n,
		    size_t *outlen);
/* The libdeflate level (1-12) of a batch.gzip_level (1-9). */
int		 gzip_level_map(int level);

#endif
