/*
 * The byte level both HDFS protocols share: protobuf varints and zigzag,
 * big-endian integers, and protobuf messages framed by a varint length
 * ("delimited") or by a 4-byte length, read from and written to a socket
 * with a deadline.  Deadlines are absolute clock_mono_ms() values; 0
 * means none.  Used by the client and by minidfs alike.
 */
#ifndef HDFS_WIRE_H
#define HDFS_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#include "base/buf.h"
#include "base/error.h"

#define WIRE_VARINT_MAX	10

/* Writes v at p (room for WIRE_VARINT_MAX bytes); returns the count. */
size_t		wire_varint_put(uint8_t *p, uint64_t v);
/* Bytes wire_varint_put would write. */
size_t		wire_varint_len(uint64_t v);
/*
 * Reads a varint from p[0..len): returns the bytes used, 0 if len ends
 * inside it, -1 if it is longer than 10 bytes or overflows 64 bits.
 */
int		wire_varint_get(const uint8_t *p, size_t len, uint64_t *v);

uint32_t	wire_zigzag32(int32_t);
int32_t		wire_unzigzag32(uint32_t);
uint64_t	wire_zigzag64(int64_t);
int64_t		wire_unzigzag64(uint64_t);

void		wire_put_be16(uint8_t *p, uint16_t);
void		wire_put_be32(uint8_t *p, uint32_t);
uint16_t	wire_get_be16(const uint8_t *p);
uint32_t	wire_get_be32(const uint8_t *p);

/* The deadline timeout_ms from now, 0 for none (timeout_ms 0). */
uint64_t	wire_deadline(uint64_t timeout_ms);

/*
 * Reads exactly n bytes.  EOF before the first byte is ERR_NOTFOUND
 * ("connection closed"), EOF after it ERR_PROTO, a passed deadline
 * ERR_TIMEOUT.
 */
int	wire_read_full(int fd, void *, size_t n, uint64_t deadline,
	    struct error *);
/* Writes exactly n bytes; never raises SIGPIPE. */
int	wire_write_full(int fd, const void *, size_t n, uint64_t deadline,
	    struct error *);

/* Appends a varint length and the packed message to b. */
void	wire_append_delimited(struct buf *b, const ProtobufCMessage *);
/*
 * Appends one 4-byte-length frame holding the n messages, each
 * delimited (a NULL message is sent as an empty one).
 */
void	wire_append_frame(struct buf *b, const ProtobufCMessage **, size_t n);

/*
 * Splits the next delimited message off p and left: on success sets
 * msg/msglen and advances.  -1 (ERR_PROTO) if the length is bad or runs
 * past the end.
 */
int	wire_next_delimited(const uint8_t **p, size_t *left,
	    const uint8_t **msg, size_t *msglen, struct error *);

/* Reads a varint length then that many bytes (at most max) into b. */
int	wire_read_delimited(int fd, struct buf *b, size_t max,
	    uint64_t deadline, struct error *);
/* Reads exactly n bytes from a stream that is not a bare fd. */
typedef int (*wire_reader)(void *ctx, void *p, size_t n, uint64_t deadline,
	    struct error *);
/* wire_read_delimited() from such a stream. */
int	wire_read_delimited_from(wire_reader, void *ctx, struct buf *b,
	    size_t max, uint64_t deadline, struct error *);
/* Reads a 4-byte big-endian length then that many bytes (at most max). */
int	wire_read_frame(int fd, struct buf *b, size_t max, uint64_t deadline,
	    struct error *);
/* Writes one delimited message. */
int	wire_write_delimited(int fd, const ProtobufCMessage *,
	    uint64_t deadline, struct error *);

/*
 * Unpacks data into a message of descriptor d; NULL with ERR_PROTO
 * naming the message when it is malformed or lacks a required field.
 * Free with protobuf_c_message_free_unpacked(m, NULL).
 */
ProtobufCMessage *wire_unpack(const ProtobufCMessageDescriptor *d,
	    const uint8_t *data, size_t len, struct error *);

#endif
