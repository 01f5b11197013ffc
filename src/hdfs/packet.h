/*
 * DataTransferProtocol data packets, as pure functions over memory:
 *
 *	u32 BE	payload length = 4 + checksum bytes + data bytes
 *	u16 BE	header length
 *		PacketHeaderProto
 *		one 4-byte big-endian CRC per bytes-per-checksum chunk
 *		data
 *
 * Used by the client's writer and reader and by minidfs's DataNodes.
 */
#ifndef HDFS_PACKET_H
#define HDFS_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"

/* Checksum types, numbered as ChecksumTypeProto. */
#define PACKET_CSUM_NULL	0
#define PACKET_CSUM_CRC32	1
#define PACKET_CSUM_CRC32C	2

#define PACKET_PREFIX_LEN	6	/* payload length + header length */
#define PACKET_HEAD_MAX		33	/* prefix + the largest header */
#define PACKET_MAX		(16 * 1024 * 1024)

struct packet_header {
	int64_t		offset;		/* offsetInBlock */
	int64_t		seqno;
	bool		last;		/* lastPacketInBlock */
	int32_t		datalen;
	bool		sync;		/* syncBlock */
};

/* Checksum bytes for len data bytes: 4 per started chunk, 0 for NULL. */
size_t	packet_csum_len(int type, uint32_t bpc, size_t len);
/* Writes the chunk CRCs of data to out (packet_csum_len bytes). */
void	packet_csum(int type, uint32_t bpc, const uint8_t *data, size_t len,
	    uint8_t *out);
/*
 * Checks the chunk CRCs; -1 with ERR_PROTO naming the first bad chunk
 * (its index in *bad if not NULL).
 */
int	packet_csum_verify(int type, uint32_t bpc, const uint8_t *data,
	    size_t len, const uint8_t *sums, size_t *bad, struct error *);

/*
 * Writes the prefix and header of a packet carrying csumlen checksum
 * bytes and h->datalen data bytes to out (PACKET_HEAD_MAX bytes of room);
 * returns the bytes written.
 */
size_t	packet_head_encode(const struct packet_header *, size_t csumlen,
	    uint8_t *out);
/* Appends a whole packet with computed checksums to b. */
void	packet_append(struct buf *b, const struct packet_header *, int type,
	    uint32_t bpc, const uint8_t *data);

/*
 * Reads the 6-byte prefix; checks the lengths are sane (payload >= 4,
 * payload + header <= PACKET_MAX).
 */
int	packet_prefix_decode(const uint8_t *p, uint32_t *payloadlen,
	    uint16_t *headerlen, struct error *);
/* Parses a PacketHeaderProto; all four required fields must be present. */
int	packet_header_decode(const uint8_t *p, size_t len,
	    struct packet_header *, struct error *);
/*
 * Given a decoded prefix and header, splits the payload (after the
 * 4-byte payload length: checksums then data) and checks its layout
 * against the checksum type: dataLen >= 0 and the checksum bytes equal
 * packet_csum_len().
 */
int	packet_payload_split(const struct packet_header *, uint32_t payloadlen,
	    int type, uint32_t bpc, size_t *csumlen, struct error *);

#endif
