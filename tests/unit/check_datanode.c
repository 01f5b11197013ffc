/*
 * hdfs/datanode over a socketpair: WRITE_BLOCK and READ_BLOCK must send
 * what the Java client sent the real DataNode, byte for byte (captures
 * 02, 03, 04), and canned bad acks, refusals and corrupt packets must
 * end in clear errors.
 */
#include "config.h"

#include <sys/socket.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/fsio.h"
#include "base/xmalloc.h"
#include "hdfs/datanode.h"
#include "hdfs/digest_challenge.h"
#include "hdfs/proto/datatransfer.pb-c.h"
#include "hdfs/sasl_digest.h"
#include "hdfs/wire.h"
#include "hdfs/packet.h"

#include "unit.h"

static int	 sv[2];

static void
load(const char *name, struct buf *b)
{
	struct error	 err;
	char		 rel[256];

	snprintf(rel, sizeof rel, "hdfs-captures/%s", name);
	buf_init(b);
	ck_assert_msg(fsio_read_file(unit_data(rel), b, &err) == 0, "%s",
	    err.msg);
}

static void
serve(const void *p, size_t n)
{
	int	 big = 1024 * 1024;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	/* The client's whole stream must fit while nobody reads it. */
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
	setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
	if (n > 0)
		ck_assert_int_eq(write(sv[1], p, n), (ssize_t)n);
}

static void
drain(struct buf *out)
{
	char	 tmp[65536];
	ssize_t	 r;

	buf_init(out);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	while ((r = read(sv[1], tmp, sizeof tmp)) > 0)
		buf_append(out, tmp, (size_t)r);
}

static void
hexdiff(const struct buf *want, const struct buf *got, const char *what)
{
	size_t	 i;

	for (i = 0; i < want->len && i < got->len; i++)
		if (want->data[i] != got->data[i])
			break;
	ck_assert_msg(i == want->len && i == got->len, "%s: differs at byte "
	    "%zu (want %zu bytes, got %zu)", what, i, want->len, got->len);
}

static void
node(struct nn_datanode *d, const char *ip, const char *sid)
{
	memset(d, 0, sizeof *d);
	d->ip = xstrdup(ip);
	d->host = xstrdup(ip);
	d->uuid = xstrdup("033b9156-441c-41e9-b199-5f7eeff31a76");
	d->location = xstrdup("/default-rack");
	d->storage_id = xstrdup(sid);
	d->storage_type = 1;
	d->xfer_port = 9866;
	d->info_port = 9864;
	d->ipc_port = 9867;
}

static void
block(struct nn_block *b, const char *pool, uint64_t num_bytes,
    size_t nlocs, const char *sid)
{
	static const char	*ips[] = { "127.0.0.1", "127.0.0.2",
				    "127.0.0.3" };
	size_t			 i;

	memset(b, 0, sizeof *b);
	b->pool_id = xstrdup(pool);
	b->id = 1073741825;
	b->gs = 1001;
	b->num_bytes = num_bytes;
	b->tok_ident = xcalloc(1, 1);
	b->tok_pass = xcalloc(1, 1);
	b->tok_kind = xstrdup("");
	b->tok_service = xstrdup("");
	b->nlocs = nlocs;
	b->locs = xcalloc(nlocs, sizeof *b->locs);
	for (i = 0; i < nlocs; i++)
		node(&b->locs[i], ips[i], sid);
}

static void
options(struct dn_options *o, uint64_t block_size)
{
	memset(o, 0, sizeof *o);
	o->connect_timeout_ms = 2000;
	o->io_timeout_ms = 2000;
	o->csum_type = PACKET_CSUM_CRC32C;
	o->bpc = 512;
	o->packet_size = 65536;
	o->block_size = block_size;
	o->max_inflight = 80;
}

static uint8_t *
pattern(size_t n)
{
	uint8_t	*p = xmalloc(n);
	size_t	 i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)i;
	return p;
}

/* hadoop fs -put of 1000 and 70000 bytes: the whole client stream. */
START_TEST(test_write_block_like_java)
{
	static const struct {
		const char	*name, *pool, *client, *sid;
		size_t		 size, step;
		uint64_t	 block_size;
	} c[] = {
		{ "02-java-put-1000", "BP-951900420-127.0.0.1-1795674747200",
		    "DFSClient_NONMAPREDUCE_-2035228074_1",
		    "DS-d8db387e-d6e5-435b-95ec-a58a19ca9744", 1000, 1000,
		    134217728 },
		{ "03-java-put-70000-bs1m",
		    "BP-348301880-127.0.0.1-1795674766071",
		    "DFSClient_NONMAPREDUCE_-174408561_1",
		    "DS-9c9998d8-a689-4710-aa49-171bc49ce301", 70000, 4099,
		    1048576 },
	};
	struct dn_options	 o;
	struct dn_writer	*w;
	struct nn_block		 b;
	struct error		 err;
	struct buf		 s2c, want, got;
	char			 name[128];
	uint8_t			*data;
	size_t			 off, k;
	int			 bad;

	snprintf(name, sizeof name, "%s-s2c-dn1.bin", c[_i].name);
	load(name, &s2c);
	serve(s2c.data, s2c.len);
	block(&b, c[_i].pool, 0, 1, c[_i].sid);
	options(&o, c[_i].block_size);
	w = dn_writer_open_fd(sv[0], &b, c[_i].client, &o, 0, &bad, &err);
	ck_assert_msg(w != NULL, "%s", err.msg);
	data = pattern(c[_i].size);
	for (off = 0; off < c[_i].size; off += k) {
		k = MIN(c[_i].step, c[_i].size - off);
		ck_assert_int_eq(dn_writer_write(w, data + off, k, &err), 0);
	}
	ck_assert_msg(dn_writer_finish(w, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(dn_writer_acked(w), c[_i].size);
	ck_assert_int_eq(dn_writer_seqno(w), c[_i].size > 64512 ? 3 : 2);
	dn_writer_free(w);
	drain(&got);
	snprintf(name, sizeof name, "%s-c2s-dn1.bin", c[_i].name);
	load(name, &want);
	hexdiff(&want, &got, name);
	free(data);
	nn_block_clear(&b);
	buf_clear(&s2c);
	buf_clear(&want);
	buf_clear(&got);
}
END_TEST

static const uint8_t connect_ok[] = { 0x04, 0x08, 0x00, 0x12, 0x00 };

/* An ack that blames the third DataNode of the pipeline. */
START_TEST(test_bad_ack)
{
	static const uint8_t	 acks[] = {
		0x04, 0x08, 0x00, 0x12, 0x00,
		/* seq 0, reply [0 0 2], flag [0 0 2] */
		0x0f, 0x08, 0x00, 0x10, 0x00, 0x10, 0x00, 0x10, 0x02,
		0x18, 0x00, 0x22, 0x03, 0x00, 0x00, 0x02
	};
	struct dn_options	 o;
	struct dn_writer	*w;
	struct nn_block		 b;
	struct error		 err;
	uint8_t			 data[100] = { 0 };

	serve(acks, sizeof acks);
	block(&b, "BP-1", 0, 3, "DS-1");
	options(&o, 1048576);
	ck_assert_ptr_nonnull(w = dn_writer_open_fd(sv[0], &b, "c", &o, 0,
	    NULL, &err));
	ck_assert_int_eq(dn_writer_write(w, data, sizeof data, &err), 0);
	ck_assert_int_eq(dn_writer_finish(w, &err), -1);
	ck_assert_int_eq(err.code, ERR_REMOTE);
	ck_assert_str_eq(err.msg,
	    "DataNode 127.0.0.3:9866: ERROR_CHECKSUM for packet 0");
	ck_assert_int_eq(dn_writer_bad_node(w), 2);
	ck_assert_uint_eq(dn_writer_acked(w), 0);
	dn_writer_free(w);
	nn_block_clear(&b);
}
END_TEST

/* Acks must come in order. */
START_TEST(test_ack_out_of_order)
{
	static const uint8_t	 acks[] = {
		0x04, 0x08, 0x00, 0x12, 0x00,
		0x09, 0x08, 0x0a, 0x10, 0x00, 0x18, 0x00, 0x22, 0x01, 0x00
	};
	struct dn_options	 o;
	struct dn_writer	*w;
	struct nn_block		 b;
	struct error		 err;
	uint8_t			 data[10] = { 0 };

	serve(acks, sizeof acks);
	block(&b, "BP-1", 0, 1, "DS-1");
	options(&o, 1048576);
	ck_assert_ptr_nonnull(w = dn_writer_open_fd(sv[0], &b, "c", &o, 7,
	    NULL, &err));
	ck_assert_int_eq(dn_writer_write(w, data, sizeof data, &err), 0);
	ck_assert_int_eq(dn_writer_finish(w, &err), -1);
	ck_assert_int_eq(err.code, ERR_PROTO);
	ck_assert_str_eq(err.msg,
	    "DataNode 127.0.0.1:9866: ack for packet 5, expected 7");
	dn_writer_free(w);
	nn_block_clear(&b);
}
END_TEST

/* A refused pipeline names the first bad link. */
START_TEST(test_pipeline_refused)
{
	static const uint8_t	 refuse[] = {
		0x12, 0x08, 0x01, 0x12, 0x0e, '1', '2', '7', '.', '0', '.',
		'0', '.', '2', ':', '9', '8', '6', '6'
	};
	struct dn_options	 o;
	struct nn_block		 b;
	struct error		 err;
	int			 bad;

	serve(refuse, sizeof refuse);
	block(&b, "BP-1", 0, 3, "DS-1");
	options(&o, 1048576);
	ck_assert_ptr_null(dn_writer_open_fd(sv[0], &b, "c", &o, 0, &bad,
	    &err));
	ck_assert_int_eq(bad, 1);
	ck_assert_int_eq(err.code, ERR_REMOTE);
	ck_assert_str_eq(err.msg, "DataNode 127.0.0.1:9866: WRITE_BLOCK "
	    "refused: ERROR, first bad link 127.0.0.2:9866");
	nn_block_clear(&b);
}
END_TEST

/* A DataNode that goes away mid-block. */
START_TEST(test_datanode_dies)
{
	struct dn_options	 o;
	struct dn_writer	*w;
	struct nn_block		 b;
	struct error		 err;
	uint8_t			*data = pattern(300000);

	serve(connect_ok, sizeof connect_ok);
	block(&b, "BP-1", 0, 1, "DS-1");
	options(&o, 1048576);
	ck_assert_ptr_nonnull(w = dn_writer_open_fd(sv[0], &b, "c", &o, 0,
	    NULL, &err));
	close(sv[1]);
	ck_assert_int_eq(dn_writer_write(w, data, 300000, &err) == -1 ||
	    dn_writer_finish(w, &err) == -1, 1);
	ck_assert_msg(strncmp(err.msg, "DataNode 127.0.0.1:9866: ", 25) == 0,
	    "%s", err.msg);
	ck_assert_int_eq(dn_writer_bad_node(w), 0);
	dn_writer_free(w);
	free(data);
	nn_block_clear(&b);
}
END_TEST

/* hadoop fs -cat of 1000 bytes: same op, same CHECKSUM_OK at the end. */
START_TEST(test_read_block_like_java)
{
	struct dn_options	 o;
	struct dn_reader	*r;
	struct nn_block		 b;
	struct error		 err;
	struct buf		 s2c, want, got;
	uint8_t			 out[4096], *data = pattern(1000);
	size_t			 total = 0;
	ssize_t			 n;

	load("04-java-cat-s2c-dn1.bin", &s2c);
	serve(s2c.data, s2c.len);
	block(&b, "BP-1476063931-127.0.0.1-1795674784367", 1000, 1, "DS-1");
	options(&o, 0);
	r = dn_reader_open_fd(sv[0], &b, 0, 1000,
	    "DFSClient_NONMAPREDUCE_-355541802_1", &o, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	while ((n = dn_reader_read(r, out + total, 300, &err)) > 0)
		total += (size_t)n;
	ck_assert_int_eq(n, 0);
	ck_assert_uint_eq(total, 1000);
	ck_assert_mem_eq(out, data, 1000);
	dn_reader_free(r);
	drain(&got);
	load("04-java-cat-c2s-dn1.bin", &want);
	hexdiff(&want, &got, "READ_BLOCK session");
	free(data);
	nn_block_clear(&b);
	buf_clear(&s2c);
	buf_clear(&want);
	buf_clear(&got);
}
END_TEST

/* A range inside the chunk-aligned stream; and a corrupt byte. */
START_TEST(test_read_range_and_corruption)
{
	struct dn_options	 o;
	struct dn_reader	*r;
	struct nn_block		 b;
	struct error		 err;
	struct buf		 s2c;
	uint8_t			 out[100], *data = pattern(1000);
	size_t			 total = 0;
	ssize_t			 n;

	load("04-java-cat-s2c-dn1.bin", &s2c);
	if (_i == 1)
		s2c.data[14 + 6 + 25 + 8 + 700] ^= 0x01;
	serve(s2c.data, s2c.len);
	block(&b, "BP-1", 1000, 1, "DS-1");
	options(&o, 0);
	ck_assert_ptr_nonnull(r = dn_reader_open_fd(sv[0], &b, 100, 50, "c",
	    &o, &err));
	while ((n = dn_reader_read(r, out + total, sizeof out - total,
	    &err)) > 0)
		total += (size_t)n;
	if (_i == 0) {
		ck_assert_int_eq(n, 0);
		ck_assert_uint_eq(total, 50);
		ck_assert_mem_eq(out, data + 100, 50);
	} else {
		ck_assert_int_eq(n, -1);
		ck_assert_int_eq(err.code, ERR_PROTO);
		ck_assert_str_eq(err.msg, "checksum error in block "
		    "1073741825 at offset 512");
	}
	dn_reader_free(r);
	free(data);
	nn_block_clear(&b);
	buf_clear(&s2c);
}
END_TEST

/* What the Cyrus DIGEST-MD5 client may be given, and what it may not. */
static void
challenge_refused(const char *ch, const char *msg)
{
	struct digest_challenge	 dc;
	struct error		 err;

	ck_assert_int_eq(digest_challenge_check(ch, strlen(ch), &dc, &err),
	    -1);
	ck_assert_int_eq(err.code, ERR_PROTO);
	ck_assert_str_eq(err.msg, msg);
}

START_TEST(test_digest_challenge)
{
	/* As a Java DataNode sends it at privacy, and with two realms. */
	static const char java[] = "realm=\"0\",nonce=\"kyR9AJbU2JGl9q3eHmQ"
	    "Yy8LDhPpUQeJk5mM0Lh1Y\",qop=\"auth-conf\",charset=utf-8,"
	    "cipher=\"3des,rc4,des,rc4-56,rc4-40\",algorithm=md5-sess";
	static const char realms[] = "realm=\"a\", realm=\"b\",,nonce=\"n\","
	    "qop=\"auth,auth-int\",algorithm=md5-sess,future=x";
	struct digest_challenge	 dc;
	struct error		 err;

	ck_assert_int_eq(digest_challenge_check(java, sizeof java - 1, &dc,
	    &err), 0);
	ck_assert_uint_eq(dc.qoplen, 9);
	ck_assert_int_eq(memcmp(dc.qop, "auth-conf", 9), 0);
	ck_assert_int_eq(digest_challenge_check(realms, sizeof realms - 1,
	    &dc, &err), 0);
	ck_assert_uint_eq(dc.qoplen, 13);

	challenge_refused("realm=\"\\\\\\\\\",nonce=\"n\",algorithm=md5-sess",
	    "SASL: the DataNode's DIGEST-MD5 challenge has a backslash "
	    "escape (byte 7): refused");
	challenge_refused("nonce=\"a\",nonce=\"b\",algorithm=md5-sess",
	    "SASL: the DataNode's DIGEST-MD5 challenge has nonce twice: "
	    "refused");
	challenge_refused("nonce=\"a\",QOP=auth,qop=auth,algorithm=md5-sess",
	    "SASL: the DataNode's DIGEST-MD5 challenge has qop twice: "
	    "refused");
	challenge_refused("realm=\"0\",nonce=\"a\"",
	    "SASL: the DataNode's DIGEST-MD5 challenge has no algorithm: "
	    "refused");
	challenge_refused("algorithm=md5-sess",
	    "SASL: the DataNode's DIGEST-MD5 challenge has no nonce: "
	    "refused");
	challenge_refused("nonce=\"abc",
	    "SASL: the DataNode's DIGEST-MD5 challenge has an unclosed "
	    "quote (byte 10): refused");
	challenge_refused("nonce=\"a\nb\",algorithm=md5-sess",
	    "SASL: the DataNode's DIGEST-MD5 challenge has a control byte "
	    "(byte 8): refused");
	challenge_refused("nonce",
	    "SASL: the DataNode's DIGEST-MD5 challenge is not name=value "
	    "(byte 5): refused");
	challenge_refused("nonce=\"a\"x,algorithm=md5-sess",
	    "SASL: the DataNode's DIGEST-MD5 challenge is not name=value "
	    "(byte 9): refused");
}
END_TEST

#ifdef HAVE_KERBEROS
/*
 * At privacy, a DataNode that offers only 3DES, single DES and the 40
 * and 56 bit RC4 is refused (SASL_PRIVACY_MIN_SSF), before any data
 * moves.
 */
START_TEST(test_privacy_weak_ciphers)
{
	static const char ch[] = "realm=\"0\",nonce=\"OA6MG9tEQGm2hh\","
	    "qop=\"auth-conf\",charset=utf-8,algorithm=md5-sess,"
	    "cipher=\"3des,des,rc4-56,rc4-40\"";
	Hd__DataTransferEncryptorMessageProto m =
	    HD__DATA_TRANSFER_ENCRYPTOR_MESSAGE_PROTO__INIT;
	struct sasl_layer	*layer;
	struct error		 err;
	struct buf		 b;

	m.has_payload = 1;
	m.payload.data = (uint8_t *)ch;
	m.payload.len = sizeof ch - 1;
	buf_init(&b);
	wire_append_delimited(&b, &m.base);
	serve(b.data, b.len);
	buf_clear(&b);
	ck_assert_int_eq(sasl_digest_handshake(sv[0], (const uint8_t *)"id",
	    2, (const uint8_t *)"pw", 2, SASL_QOP_PRIVACY, &layer,
	    wire_deadline(2000), &err), -1);
	ck_assert_str_eq(err.msg, "SASL: DIGEST-MD5 challenge: SASL(-15): "
	    "mechanism too weak for this user: Can't find an acceptable "
	    "layer");
	ck_assert_ptr_null(layer);
	close(sv[0]);
	close(sv[1]);
}
END_TEST
#endif

Suite *
unit_suite(void)
{
	Suite	*s = suite_create("datanode");
	TCase	*tc = tcase_create("datanode");

	tcase_add_loop_test(tc, test_write_block_like_java, 0, 2);
	tcase_add_test(tc, test_bad_ack);
	tcase_add_test(tc, test_ack_out_of_order);
	tcase_add_test(tc, test_pipeline_refused);
	tcase_add_test(tc, test_datanode_dies);
	tcase_add_test(tc, test_read_block_like_java);
	tcase_add_test(tc, test_digest_challenge);
#ifdef HAVE_KERBEROS
	tcase_add_test(tc, test_privacy_weak_ciphers);
#endif
	tcase_add_loop_test(tc, test_read_range_and_corruption, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}
