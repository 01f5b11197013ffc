/*
 * Packet layout.  The header is encoded by hand, field by field in
 * number order as any protobuf encoder would, because it is written for
 * every 64 KiB of data; it is decoded with the generated code so that
 * any valid encoding is accepted.
 */
#include "config.h"

#include "hdfs/packet.h"

#include <string.h>

#include "hdfs/crc32c.h"
#include "hdfs/proto/datatransfer.pb-c.h"
#include "hdfs/wire.h"

static void
packet_le64(uint8_t *p, uint64_t v)
{
	int	 i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

size_t
packet_csum_len(int type, uint32_t bpc, size_t len)
{
	if (type == PACKET_CSUM_NULL || bpc == 0)
		return 0;
	return (len + bpc - 1) / bpc * 4;
}

static uint32_t
packet_crc(int type, const uint8_t *p, size_t len)
{
	if (type == PACKET_CSUM_CRC32)
		return crc32c_ieee(0, p, len);
	return crc32c(0, p, len);
}

void
packet_csum(int type, uint32_t bpc, const uint8_t *data, size_t len,
    uint8_t *out)
{
	size_t	 n;

	if (type == PACKET_CSUM_NULL || bpc == 0)
		return;
	while (len > 0) {
		n = len < bpc ? len : bpc;
		wire_put_be32(out, packet_crc(type, data, n));
		out += 4;
		data += n;
		len -= n;
	}
}

int
packet_csum_verify(int type, uint32_t bpc, const uint8_t *data, size_t len,
    const uint8_t *sums, size_t *bad, struct error *err)
{
	size_t		 n, i = 0;
	uint32_t	 want, got;

	if (type == PACKET_CSUM_NULL || bpc == 0)
		return 0;
	while (len > 0) {
		n = len < bpc ? len : bpc;
		want = wire_get_be32(sums + 4 * i);
		got = packet_crc(type, data, n);
		if (want != got) {
			if (bad != NULL)
				*bad = i;
			return error_set(err, ERR_PROTO,
			    "checksum error in chunk %zu: got %08x, "
			    "expected %08x", i, got, want);
		}
		data += n;
		len -= n;
		i++;
	}
	return 0;
}

size_t
packet_head_encode(const struct packet_header *h, size_t csumlen,
    uint8_t *out)
{
	uint8_t	*p = out + PACKET_PREFIX_LEN;

	*p++ = 0x09;			/* 1: offsetInBlock, sfixed64 */
	packet_le64(p, (uint64_t)h->offset);
	p += 8;
	*p++ = 0x11;			/* 2: seqno, sfixed64 */
	packet_le64(p, (uint64_t)h->seqno);
	p += 8;
	*p++ = 0x18;			/* 3: lastPacketInBlock, bool */
	*p++ = h->last ? 1 : 0;
	*p++ = 0x25;			/* 4: dataLen, sfixed32 */
	p[0] = (uint8_t)h->datalen;
	p[1] = (uint8_t)((uint32_t)h->datalen >> 8);
	p[2] = (uint8_t)((uint32_t)h->datalen >> 16);
	p[3] = (uint8_t)((uint32_t)h->datalen >> 24);
	p += 4;
	if (h->sync) {
		*p++ = 0x28;		/* 5: syncBlock, bool */
		*p++ = 1;
	}
	wire_put_be32(out, (uint32_t)(4 + csumlen + (size_t)h->datalen));
	wire_put_be16(out + 4, (uint16_t)(p - out - PACKET_PREFIX_LEN));
	return (size_t)(p - out);
}

void
packet_append(struct buf *b, const struct packet_header *h, int type,
    uint32_t bpc, const uint8_t *data)
{
	size_t	 dlen = (size_t)h->datalen;
	size_t	 clen = packet_csum_len(type, bpc, dlen);
	uint8_t	*p = (uint8_t *)buf_reserve(b, PACKET_HEAD_MAX + clen + dlen);
	size_t	 n;

	n = packet_head_encode(h, clen, p);
	packet_csum(type, bpc, data, dlen, p + n);
	if (dlen > 0)
		memcpy(p + n + clen, data, dlen);
	b->len += n + clen + dlen;
	b->data[b->len] = '\0';
}

int
packet_prefix_decode(const uint8_t *p, uint32_t *payloadlen,
    uint16_t *headerlen, struct error *err)
{
	*payloadlen = wire_get_be32(p);
	*headerlen = wire_get_be16(p + 4);
	if (*payloadlen < 4)
		return error_set(err, ERR_PROTO,
		    "invalid payload length %u", *payloadlen);
	if ((uint64_t)*payloadlen + *headerlen > PACKET_MAX)
		return error_set(err, ERR_PROTO,
		    "incorrect value for packet payload size: %u",
		    *payloadlen);
	return 0;
}

int
packet_header_decode(const uint8_t *p, size_t len, struct packet_header *h,
    struct error *err)
{
	Hd__PacketHeaderProto	*m;

	m = (Hd__PacketHeaderProto *)wire_unpack(
	    &hd__packet_header_proto__descriptor, p, len, err);
	if (m == NULL)
		return -1;
	h->offset = m->offsetinblock;
	h->seqno = m->seqno;
	h->last = m->lastpacketinblock;
	h->datalen = m->datalen;
	h->sync = m->has_syncblock && m->syncblock;
	protobuf_c_message_free_unpacked(&m->base, NULL);
	return 0;
}

int
packet_payload_split(const struct packet_header *h, uint32_t payloadlen,
    int type, uint32_t bpc, size_t *csumlen, struct error *err)
{
	size_t	 want;

	if (h->datalen < 0)
		return error_set(err, ERR_PROTO, "negative data length %d",
		    h->datalen);
	if ((size_t)h->datalen > payloadlen - 4)
		return error_set(err, ERR_PROTO,
		    "data length %d exceeds the payload of %u bytes",
		    h->datalen, payloadlen);
	*csumlen = payloadlen - 4 - (size_t)h->datalen;
	want = packet_csum_len(type, bpc, (size_t)h->datalen);
	if (*csumlen != want)
		return error_set(err, ERR_PROTO,
		    "invalid checksum length: received length is %zu but "
		    "expected length is %zu", *csumlen, want);
	return 0;
}
