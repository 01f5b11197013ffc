/*
 * Avro object container files (Avro 1.11 specification, "Object
 * Container Files"): a header (magic "Obj\1", a metadata map holding
 * avro.schema and avro.codec, a 16-byte sync marker), then blocks, each a
 * row count, a byte count, the encoded rows through the codec, and the
 * sync marker again.
 *
 * Why not libavro's file writer: a spool segment is appended block by
 * block, made durable at each sync point, and after a crash cut back to
 * the durable length the last checkpoint recorded (DESIGN 6), then
 * appended to again.  libavro's writer owns the FILE, flushes when it
 * likes and cannot resume a file at an arbitrary block boundary.  Every
 * valid cut here ends on a sync marker, so a cut-back file is a valid
 * container and the marker is read back from its last 16 bytes.
 */
#ifndef CORE_AVRO_CONTAINER_H
#define CORE_AVRO_CONTAINER_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"
#include "core/gzip.h"

#define AVRO_SYNC_LEN	16

/* Fills sync with a fresh random marker. */
void	avro_container_sync(unsigned char sync[AVRO_SYNC_LEN]);
/* Appends the header with codec "deflate". */
void	avro_container_header(struct buf *, const char *schema,
	    const unsigned char sync[AVRO_SYNC_LEN]);
/*
 * Appends one block of count rows: the n bytes of encoded rows go through
 * raw deflate (the "deflate" codec, RFC 1951) with gz's compressor.
 */
void	avro_container_block(struct buf *, struct gzip *gz, uint64_t count,
	    const void *rows, size_t n,
	    const unsigned char sync[AVRO_SYNC_LEN]);

struct avro_header {
	char		*schema;	/* heap copies */
	char		*codec;		/* "null" if absent */
	unsigned char	 sync[AVRO_SYNC_LEN];
	size_t		 len;		/* of the header, in bytes */
};

/*
 * Parses the header at the start of p (n bytes); -1 with err if it is not
 * one.  Free with avro_header_clear.
 */
int	avro_header_parse(const void *p, size_t n, struct avro_header *,
	    struct error *);
void	avro_header_clear(struct avro_header *);

/*
 * Counts the rows of a container fed in pieces as it is read (barge
 * audit --rows), from the blocks' counts, checking every block's marker
 * without inflating anything.
 */
struct avro_count;

struct avro_count *avro_count_new(void);
void	avro_count_free(struct avro_count *);
/* Takes n more bytes; -1 with err if they break the container. */
int	avro_count_feed(struct avro_count *, const void *, size_t n,
	    struct error *);
/* After the last byte: the rows, or -1 if the file ended mid-block. */
int	avro_count_finish(struct avro_count *, uint64_t *rows,
	    struct error *);

#endif
