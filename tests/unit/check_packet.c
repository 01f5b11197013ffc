/*
 * hdfs/packet: packets built here must equal, byte for byte, the ones a
 * real client sent a real DataNode (tests/data/hdfs-captures), and the
 * decoder must accept those and refuse broken ones.
 */
#include "config.h"

#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/fsio.h"
#include "hdfs/packet.h"

#include "unit.h"

static void
load(const char *name, struct buf *b)
{
	struct error	 err;

	buf_init(b);
	ck_assert_msg(fsio_read_file(unit_data(name), b, &err) == 0, "%s",
	    err.msg);
}

/* byte k of the captured test files is k mod 256 */
static void
pattern(uint8_t *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)i;
}

static void
check_capture(const char *name, size_t at, size_t lastat, int type,
    int64_t seq0)
{
	struct packet_header	 h, d;
	struct buf		 cap, b;
	uint8_t			 data[1000];
	uint32_t		 plen;
	uint16_t		 hlen;
	size_t			 clen;
	struct error		 err;

	load(name, &cap);
	ck_assert_uint_eq(cap.len, lastat + 31);
	pattern(data, sizeof data);
	memset(&h, 0, sizeof h);
	h.offset = 0;
	h.seqno = seq0;
	h.datalen = 1000;
	buf_init(&b);
	packet_append(&b, &h, type, 512, data);
	ck_assert_uint_eq(b.len, lastat - at);
	ck_assert_int_eq(memcmp(b.data, cap.data + at, b.len), 0);

	buf_reset(&b);
	h.offset = 1000;
	h.seqno = seq0 + 1;
	h.datalen = 0;
	h.last = true;
	packet_append(&b, &h, type, 512, NULL);
	ck_assert_uint_eq(b.len, 31);
	ck_assert_int_eq(memcmp(b.data, cap.data + lastat, 31), 0);

	/* And back: the captured data packet decodes and verifies. */
	ck_assert_int_eq(packet_prefix_decode((uint8_t *)cap.data + at, &plen,
	    &hlen, &err), 0);
	ck_assert_uint_eq(plen, 1012);
	ck_assert_uint_eq(hlen, 25);
	ck_assert_int_eq(packet_header_decode((uint8_t *)cap.data + at + 6,
	    hlen, &d, &err), 0);
	ck_assert_int_eq(d.offset, 0);
	ck_assert_int_eq(d.seqno, seq0);
	ck_assert(!d.last);
	ck_assert_int_eq(d.datalen, 1000);
	ck_assert_int_eq(packet_payload_split(&d, plen, type, 512, &clen,
	    &err), 0);
	ck_assert_uint_eq(clen, 8);
	ck_assert_int_eq(packet_csum_verify(type, 512,
	    (uint8_t *)cap.data + at + 6 + hlen + clen, 1000,
	    (uint8_t *)cap.data + at + 6 + hlen, NULL, &err), 0);
	/* The other checksum type does not match. */
	ck_assert_int_eq(packet_csum_verify(type == PACKET_CSUM_CRC32 ?
	    PACKET_CSUM_CRC32C : PACKET_CSUM_CRC32, 512,
	    (uint8_t *)cap.data + at + 6 + hlen + clen, 1000,
	    (uint8_t *)cap.data + at + 6 + hlen, NULL, &err), -1);
	buf_clear(&b);
	buf_clear(&cap);
}

START_TEST(test_java_packets)
{
	/* 02-java-put-1000: CRC32C, seqnos from 0. */
	check_capture("hdfs-captures/02-java-put-1000-c2s-dn1.bin", 180, 1219,
	    PACKET_CSUM_CRC32C, 0);
}
END_TEST

START_TEST(test_go_packets)
{
	/* 20-go-put-1000: CRC32, seqnos from 1. */
	check_capture("hdfs-captures/20-go-put-1000-c2s-dn1.bin", 112, 1151,
	    PACKET_CSUM_CRC32, 1);
}
END_TEST

START_TEST(test_sizes)
{
	struct packet_header	 h, d;
	static uint8_t		 data[65536];
	struct buf		 b;
	uint32_t		 plen;
	uint16_t		 hlen;
	size_t			 clen, bad;
	struct error		 err;

	ck_assert_uint_eq(packet_csum_len(PACKET_CSUM_CRC32C, 512, 0), 0);
	ck_assert_uint_eq(packet_csum_len(PACKET_CSUM_CRC32C, 512, 1), 4);
	ck_assert_uint_eq(packet_csum_len(PACKET_CSUM_CRC32C, 512, 512), 4);
	ck_assert_uint_eq(packet_csum_len(PACKET_CSUM_CRC32C, 512, 513), 8);
	ck_assert_uint_eq(packet_csum_len(PACKET_CSUM_CRC32, 512, 65536), 512);
	ck_assert_uint_eq(packet_csum_len(PACKET_CSUM_NULL, 512, 65536), 0);

	pattern(data, sizeof data);
	memset(&h, 0, sizeof h);
	h.offset = 131072;
	h.seqno = 7;
	h.datalen = 65536;
	h.sync = true;
	buf_init(&b);
	packet_append(&b, &h, PACKET_CSUM_CRC32C, 512, data);
	/* gohdfs's full packet: payloadLen 66052; syncBlock makes 27. */
	ck_assert_uint_eq(b.len, 6 + 27 + 512 + 65536);
	ck_assert_int_eq(packet_prefix_decode((uint8_t *)b.data, &plen, &hlen,
	    &err), 0);
	ck_assert_uint_eq(plen, 66052);
	ck_assert_uint_eq(hlen, 27);
	ck_assert_int_eq(packet_header_decode((uint8_t *)b.data + 6, hlen, &d,
	    &err), 0);
	ck_assert_int_eq(d.offset, 131072);
	ck_assert_int_eq(d.seqno, 7);
	ck_assert(d.sync);
	ck_assert_int_eq(packet_payload_split(&d, plen, PACKET_CSUM_CRC32C,
	    512, &clen, &err), 0);
	ck_assert_uint_eq(clen, 512);
	/* One flipped data bit is found in its chunk. */
	b.data[6 + 27 + 512 + 100 * 512 + 3] ^= 0x10;
	ck_assert_int_eq(packet_csum_verify(PACKET_CSUM_CRC32C, 512,
	    (uint8_t *)b.data + 6 + 27 + 512, 65536,
	    (uint8_t *)b.data + 6 + 27, &bad, &err), -1);
	ck_assert_uint_eq(bad, 100);
	ck_assert_int_eq(err.code, ERR_PROTO);
	/* Checksum bytes not matching the data length are refused. */
	ck_assert_int_eq(packet_payload_split(&d, plen, PACKET_CSUM_CRC32C,
	    1024, &clen, &err), -1);
	ck_assert_str_eq(err.msg, "invalid checksum length: received length "
	    "is 512 but expected length is 256");
	d.datalen = -1;
	ck_assert_int_eq(packet_payload_split(&d, plen, PACKET_CSUM_CRC32C,
	    512, &clen, &err), -1);
	buf_clear(&b);
}
END_TEST

START_TEST(test_bad_prefix_and_header)
{
	struct packet_header	 d;
	uint32_t		 plen;
	uint16_t		 hlen;
	struct error		 err;

	ck_assert_int_eq(packet_prefix_decode((const uint8_t *)
	    "\x00\x00\x00\x03\x00\x19", &plen, &hlen, &err), -1);
	ck_assert_int_eq(packet_prefix_decode((const uint8_t *)
	    "\x01\x00\x00\x00\x00\x19", &plen, &hlen, &err), -1);
	/* dataLen (field 4) missing. */
	ck_assert_int_eq(packet_header_decode((const uint8_t *)
	    "\x09\x00\x00\x00\x00\x00\x00\x00\x00"
	    "\x11\x01\x00\x00\x00\x00\x00\x00\x00\x18\x00", 20, &d, &err), -1);
	ck_assert_str_eq(err.msg,
	    "PacketHeaderProto: missing required fields: dataLen");
}
END_TEST

Suite *
unit_suite(void)
{
	Suite	*s = suite_create("packet");
	TCase	*tc = tcase_create("packet");

	tcase_add_test(tc, test_java_packets);
	tcase_add_test(tc, test_go_packets);
	tcase_add_test(tc, test_sizes);
	tcase_add_test(tc, test_bad_prefix_and_header);
	suite_add_tcase(s, tc);
	return s;
}
