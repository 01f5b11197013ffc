/*
 * hdfs/wire: varint and zigzag edges, big-endian helpers, delimited and
 * framed messages through a socket pair, deadlines, required fields.
 */
#include "config.h"

#include <sys/socket.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/error.h"
#include "hdfs/proto/namenode.pb-c.h"
#include "hdfs/proto/rpc.pb-c.h"
#include "hdfs/wire.h"

#include "unit.h"

static void
check_varint(uint64_t v, const char *hex)
{
	uint8_t		 p[WIRE_VARINT_MAX];
	char		 got[64];
	size_t		 n, i;
	uint64_t	 back;

	n = wire_varint_put(p, v);
	for (i = 0; i < n; i++)
		snprintf(got + 2 * i, 3, "%02x", p[i]);
	ck_assert_str_eq(got, hex);
	ck_assert_uint_eq(wire_varint_len(v), n);
	ck_assert_int_eq(wire_varint_get(p, n, &back), (int)n);
	ck_assert_uint_eq(back, v);
	/* Every shorter prefix is incomplete, not an error. */
	for (i = 0; i < n; i++)
		ck_assert_int_eq(wire_varint_get(p, i, &back), 0);
}

START_TEST(test_varint_edges)
{
	check_varint(0, "00");
	check_varint(1, "01");
	check_varint(127, "7f");
	check_varint(128, "8001");
	check_varint(300, "ac02");
	check_varint(16383, "ff7f");
	check_varint(16384, "808001");
	check_varint(UINT32_MAX, "ffffffff0f");
	check_varint(1ULL << 63, "80808080808080808001");
	check_varint(UINT64_MAX, "ffffffffffffffffff01");
	/* A negative int32 is sign-extended: ten bytes. */
	check_varint((uint64_t)(int64_t)-1, "ffffffffffffffffff01");
	check_varint((uint64_t)(int64_t)INT32_MIN, "80808080f8ffffffff01");
	/* Call id -33 as the uint32 the response header carries. */
	check_varint((uint32_t)-33, "dfffffff0f");
}
END_TEST

START_TEST(test_varint_bad)
{
	const uint8_t	 eleven[] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	    0x80, 0x80, 0x80, 0x80, 0x01 };
	const uint8_t	 overflow[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0x02 };
	uint64_t	 v;

	ck_assert_int_eq(wire_varint_get(eleven, sizeof eleven, &v), -1);
	ck_assert_int_eq(wire_varint_get(overflow, sizeof overflow, &v), -1);
}
END_TEST

START_TEST(test_zigzag)
{
	ck_assert_uint_eq(wire_zigzag32(0), 0);
	ck_assert_uint_eq(wire_zigzag32(-1), 1);
	ck_assert_uint_eq(wire_zigzag32(1), 2);
	ck_assert_uint_eq(wire_zigzag32(-3), 5);
	ck_assert_uint_eq(wire_zigzag32(-4), 7);
	ck_assert_uint_eq(wire_zigzag32(-33), 0x41);
	ck_assert_uint_eq(wire_zigzag32(INT32_MAX), 0xfffffffe);
	ck_assert_uint_eq(wire_zigzag32(INT32_MIN), 0xffffffff);
	ck_assert_int_eq(wire_unzigzag32(0xffffffff), INT32_MIN);
	ck_assert_int_eq(wire_unzigzag32(0xfffffffe), INT32_MAX);
	ck_assert_int_eq(wire_unzigzag32(5), -3);
	ck_assert_uint_eq(wire_zigzag64(-2), 3);
	ck_assert_uint_eq(wire_zigzag64(INT64_MIN), UINT64_MAX);
	ck_assert_int_eq(wire_unzigzag64(UINT64_MAX), INT64_MIN);
	ck_assert_int_eq(wire_unzigzag64(UINT64_MAX - 1), INT64_MAX);
	ck_assert_int_eq(wire_unzigzag64(2), 1);
}
END_TEST

START_TEST(test_be)
{
	uint8_t	 p[4];

	wire_put_be32(p, 0x01020304);
	ck_assert_int_eq(memcmp(p, "\x01\x02\x03\x04", 4), 0);
	ck_assert_uint_eq(wire_get_be32(p), 0x01020304);
	wire_put_be32(p, 0xfffffffe);
	ck_assert_uint_eq(wire_get_be32(p), 0xfffffffe);
	wire_put_be16(p, 0x001c);
	ck_assert_int_eq(memcmp(p, "\x00\x1c", 2), 0);
	ck_assert_uint_eq(wire_get_be16(p), 28);
	wire_put_be16(p, 0xfedc);
	ck_assert_uint_eq(wire_get_be16(p), 0xfedc);
}
END_TEST

/* The fact sheet's getFileInfo("/") call, built and parsed back. */
START_TEST(test_frame_roundtrip)
{
	Hd__RpcRequestHeaderProto	 rh =
	    HD__RPC_REQUEST_HEADER_PROTO__INIT;
	Hd__RequestHeaderProto		 h = HD__REQUEST_HEADER_PROTO__INIT;
	Hd__GetFileInfoRequestProto	 req =
	    HD__GET_FILE_INFO_REQUEST_PROTO__INIT;
	Hd__GetFileInfoRequestProto	*back;
	const ProtobufCMessage		*msgs[3];
	const uint8_t			*p, *m;
	size_t				 left, mlen;
	struct buf			 b, in;
	struct error			 err;
	int				 sv[2];

	rh.has_rpckind = 1;
	rh.rpckind = HD__RPC_KIND_PROTO__RPC_PROTOCOL_BUFFER;
	rh.has_rpcop = 1;
	/* RPC_FINAL_PACKET */
	rh.rpcop = (Hd__RpcRequestHeaderProto__OperationProto)0;
	rh.callid = 1;
	rh.clientid.len = 16;
	rh.clientid.data = (uint8_t *)"0123456789abcdef";
	h.methodname = "getFileInfo";
	h.declaringclassprotocolname =
	    "org.apache.hadoop.hdfs.protocol.ClientProtocol";
	h.clientprotocolversion = 1;
	req.src = "/";
	msgs[0] = &rh.base;
	msgs[1] = &h.base;
	msgs[2] = &req.base;
	buf_init(&b);
	wire_append_frame(&b, msgs, 3);
	ck_assert_uint_eq(b.len, 4 + 0x5d);
	ck_assert_int_eq(memcmp(b.data, "\x00\x00\x00\x5d\x18\x08\x02\x10"
	    "\x00\x18\x02\x22\x10", 13), 0);
	ck_assert_int_eq(memcmp(b.data + b.len - 4, "\x03\x0a\x01\x2f", 4), 0);

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(wire_write_full(sv[0], b.data, b.len,
	    wire_deadline(1000), &err), 0);
	buf_init(&in);
	ck_assert_int_eq(wire_read_frame(sv[1], &in, 1 << 20,
	    wire_deadline(1000), &err), 0);
	ck_assert_uint_eq(in.len, 0x5d);
	p = (const uint8_t *)in.data;
	left = in.len;
	ck_assert_int_eq(wire_next_delimited(&p, &left, &m, &mlen, &err), 0);
	ck_assert_uint_eq(mlen, 0x18);
	ck_assert_int_eq(wire_next_delimited(&p, &left, &m, &mlen, &err), 0);
	ck_assert_uint_eq(mlen, 0x3f);
	ck_assert_int_eq(wire_next_delimited(&p, &left, &m, &mlen, &err), 0);
	ck_assert_uint_eq(left, 0);
	back = (Hd__GetFileInfoRequestProto *)wire_unpack(
	    &hd__get_file_info_request_proto__descriptor, m, mlen, &err);
	ck_assert_ptr_nonnull(back);
	ck_assert_str_eq(back->src, "/");
	protobuf_c_message_free_unpacked(&back->base, NULL);
	/* A length running past the end is refused. */
	p = (const uint8_t *)"\x05\x01\x02";
	left = 3;
	ck_assert_int_eq(wire_next_delimited(&p, &left, &m, &mlen, &err), -1);
	ck_assert_int_eq(err.code, ERR_PROTO);

	/* Delimited, then EOF. */
	ck_assert_int_eq(wire_write_delimited(sv[0], &req.base, 0, &err), 0);
	ck_assert_int_eq(wire_read_delimited(sv[1], &in, 100, 0, &err), 0);
	ck_assert_uint_eq(in.len, 3);
	ck_assert_int_eq(memcmp(in.data, "\x0a\x01\x2f", 3), 0);
	close(sv[0]);
	ck_assert_int_eq(wire_read_delimited(sv[1], &in, 100, 0, &err), -1);
	ck_assert_int_eq(err.code, ERR_NOTFOUND);
	close(sv[1]);
	buf_clear(&b);
	buf_clear(&in);
}
END_TEST

START_TEST(test_limits_and_deadline)
{
	struct buf	 in;
	struct error	 err;
	uint64_t	 t0;
	int		 sv[2];
	char		 c;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	buf_init(&in);
	ck_assert_int_eq(write(sv[0], "\x00\x00\x10\x00", 4), 4);
	ck_assert_int_eq(wire_read_frame(sv[1], &in, 4095, 0, &err), -1);
	ck_assert_int_eq(err.code, ERR_PROTO);
	ck_assert_str_eq(err.msg,
	    "frame of 4096 bytes exceeds the limit of 4095");
	/* Nothing to read: the deadline ends the wait. */
	t0 = clock_mono_ms();
	ck_assert_int_eq(wire_read_full(sv[1], &c, 1, wire_deadline(100),
	    &err), -1);
	ck_assert_int_eq(err.code, ERR_TIMEOUT);
	ck_assert_uint_ge(clock_mono_ms() - t0, 100);
	ck_assert_uint_lt(clock_mono_ms() - t0, 2000);
	/* A frame cut short is a protocol error, not a clean close. */
	ck_assert_int_eq(write(sv[0], "\x00\x00\x00\x05\x01", 5), 5);
	close(sv[0]);
	ck_assert_int_eq(wire_read_frame(sv[1], &in, 100, 0, &err), -1);
	ck_assert_int_eq(err.code, ERR_PROTO);
	close(sv[1]);
	/* Writing to a closed peer is an error, not SIGPIPE. */
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	close(sv[1]);
	ck_assert_int_eq(wire_write_full(sv[0], "x", 1, 0, &err), -1);
	ck_assert_int_eq(err.code, ERR_SYS);
	close(sv[0]);
	buf_clear(&in);
}
END_TEST

/*
 * A peer claiming 100 MiB (under the limit) and sending 70,000 bytes
 * before it closes: the read fails, and the buffer grew to a few times
 * what arrived, not to the claim.  Then the same for a delimited
 * message.  A claim whose bytes all arrive is read whole.
 */
START_TEST(test_claimed_length_not_allocated)
{
	static uint8_t	 junk[70000];
	struct buf	 in;
	struct error	 err;
	int		 sv[2];
	int		 big = 1 << 20;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
	buf_init(&in);
	ck_assert_int_eq(write(sv[0], "\x06\x40\x00\x00", 4), 4);
	ck_assert_int_eq(write(sv[0], junk, sizeof junk), sizeof junk);
	close(sv[0]);
	ck_assert_int_eq(wire_read_frame(sv[1], &in, 128 << 20,
	    wire_deadline(2000), &err), -1);
	ck_assert_int_eq(err.code, ERR_PROTO);
	ck_assert_uint_le(in.cap, 4 * sizeof junk);
	ck_assert_uint_eq(in.len, 0);
	close(sv[1]);
	buf_clear(&in);

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
	ck_assert_int_eq(write(sv[0], "\x80\x80\x80\x32", 4), 4);
	ck_assert_int_eq(write(sv[0], junk, sizeof junk), sizeof junk);
	close(sv[0]);
	ck_assert_int_eq(wire_read_delimited(sv[1], &in, 128 << 20,
	    wire_deadline(2000), &err), -1);
	ck_assert_int_eq(err.code, ERR_PROTO);
	ck_assert_uint_le(in.cap, 4 * sizeof junk);
	close(sv[1]);
	buf_clear(&in);

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
	ck_assert_int_eq(write(sv[0], "\x00\x01\x11\x70", 4), 4);
	ck_assert_int_eq(write(sv[0], junk, sizeof junk), sizeof junk);
	ck_assert_int_eq(wire_read_frame(sv[1], &in, 128 << 20,
	    wire_deadline(2000), &err), 0);
	ck_assert_uint_eq(in.len, sizeof junk);
	ck_assert_int_eq(in.data[in.len], '\0');
	close(sv[0]);
	close(sv[1]);
	buf_clear(&in);
}
END_TEST

START_TEST(test_required_fields)
{
	Hd__MkdirsRequestProto	*m;
	struct error		 err;

	/* src only: masked and createParent are missing. */
	m = (Hd__MkdirsRequestProto *)wire_unpack(
	    &hd__mkdirs_request_proto__descriptor,
	    (const uint8_t *)"\x0a\x02/a", 4, &err);
	ck_assert_ptr_null(m);
	ck_assert_int_eq(err.code, ERR_PROTO);
	ck_assert_str_eq(err.msg, "MkdirsRequestProto: missing required "
	    "fields: masked, createParent");
	m = (Hd__MkdirsRequestProto *)wire_unpack(
	    &hd__mkdirs_request_proto__descriptor,
	    (const uint8_t *)"\x0a\x02/a\x12\x03\x08\xed\x03\x18\x01", 11,
	    &err);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->src, "/a");
	ck_assert_uint_eq(m->masked->perm, 0755);
	ck_assert(m->createparent);
	protobuf_c_message_free_unpacked(&m->base, NULL);
	/* Truncated inside a field. */
	m = (Hd__MkdirsRequestProto *)wire_unpack(
	    &hd__mkdirs_request_proto__descriptor,
	    (const uint8_t *)"\x0a\x05/a", 4, &err);
	ck_assert_ptr_null(m);
	ck_assert_int_eq(err.code, ERR_PROTO);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite	*s = suite_create("wire");
	TCase	*tc = tcase_create("wire");

	tcase_add_test(tc, test_varint_edges);
	tcase_add_test(tc, test_varint_bad);
	tcase_add_test(tc, test_zigzag);
	tcase_add_test(tc, test_be);
	tcase_add_test(tc, test_frame_roundtrip);
	tcase_add_test(tc, test_limits_and_deadline);
	tcase_add_test(tc, test_claimed_length_not_allocated);
	tcase_add_test(tc, test_required_fields);
	suite_add_tcase(s, tc);
	return s;
}
