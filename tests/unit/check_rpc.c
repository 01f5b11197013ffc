/*
 * hdfs/rpc and hdfs/namenode over a socketpair: the real NameNode's
 * recorded answers (tests/data/hdfs-captures) are written to one end
 * before the client runs, and the bytes the client sent are read from it
 * afterwards and compared with what the real clients sent.
 */
#include "config.h"

#include <sys/socket.h>

#include <netinet/in.h>

#include <arpa/inet.h>

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/fsio.h"
#include "hdfs/namenode.h"
#include "hdfs/proto/namenode.pb-c.h"
#include "hdfs/proto/rpc.pb-c.h"
#include "hdfs/rpc.h"
#include "hdfs/wire.h"

#include "unit.h"

static const uint8_t raw_id[16] = {
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f
};
static const uint8_t java02_id[16] = {
	0xfb, 0x73, 0x7b, 0xa8, 0x21, 0xfb, 0x45, 0x8e,
	0x95, 0x07, 0xf5, 0xc3, 0x6b, 0xbe, 0x33, 0xb0
};
#define JAVA02_CLIENT	"DFSClient_NONMAPREDUCE_-2035228074_1"
/* RpcRequestHeaderProto field 7, callerContext {context: "CLI"} */
static const uint8_t caller_cli[7] = { 0x3a, 0x05, 0x0a, 0x03, 'C', 'L', 'I' };

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

/* A socketpair whose server end already holds the canned answers. */
static void
serve(const void *p, size_t n)
{
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	if (n > 0)
		ck_assert_int_eq(write(sv[1], p, n), (ssize_t)n);
}

static void
serve_file(const char *name)
{
	struct buf	 b;

	load(name, &b);
	serve(b.data, b.len);
	buf_clear(&b);
}

/* Everything the client wrote so far. */
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
options(struct rpc_options *o, const uint8_t *id, bool sasl)
{
	memset(o, 0, sizeof *o);
	o->user = "root";
	memcpy(o->client_id, id, 16);
	o->connect_timeout_ms = 2000;
	o->io_timeout_ms = 2000;
	o->sasl = sasl;
}

static struct nn *
attach(const uint8_t *id, bool sasl)
{
	struct net_addr		 a = { "127.0.0.1", "1" };
	struct rpc_options	 o;
	struct rpc_conn		*c;
	struct error		 err;
	struct nn		*nn;

	options(&o, id, sasl);
	nn = nn_new(&a, 1, &o, 1);
	c = rpc_open_fd(sv[0], "test", &o, &err);
	ck_assert_msg(c != NULL, "%s", err.msg);
	nn_attach(nn, c);
	return nn;
}

static void
hexdiff(const uint8_t *want, size_t wlen, const uint8_t *got, size_t glen,
    const char *what)
{
	size_t	 i;

	for (i = 0; i < wlen && i < glen; i++)
		if (want[i] != got[i])
			break;
	ck_assert_msg(i == wlen && i == glen, "%s: differs at byte %zu "
	    "(want %zu bytes, got %zu): want %02x got %02x", what, i, wlen,
	    glen, i < wlen ? want[i] : 0, i < glen ? got[i] : 0);
}

/*
 * SASL as the real NameNode does it: NEGOTIATE, its offer of TOKEN and
 * SIMPLE, INITIATE(SIMPLE) without reply, context, a call.  Same client
 * id and user as the raw client, so every byte must match.
 */
START_TEST(test_sasl_simple_bytes)
{
	struct hdfs_stat	 st;
	struct error		 err;
	struct buf		 want, got;
	struct nn		*nn;

	serve_file("16-raw-sasl-negotiate-s2c-nn1.bin");
	nn = attach(raw_id, true);
	ck_assert_int_eq(nn_get_file_info(nn, "/", &st, &err), 0);
	ck_assert(st.is_dir);
	ck_assert_uint_eq(st.file_id, 16385);
	ck_assert_str_eq(st.owner, "root");
	ck_assert_str_eq(st.group, "root");
	ck_assert_uint_eq(st.mode, 0755);
	drain(&got);
	load("16-raw-sasl-negotiate-c2s-nn1.bin", &want);
	hexdiff((uint8_t *)want.data, want.len, (uint8_t *)got.data, got.len,
	    "SASL session");
	nn_free(nn);
	buf_clear(&want);
	buf_clear(&got);
}
END_TEST

/* A SASL offer without SIMPLE is refused with a clear error. */
START_TEST(test_sasl_no_simple)
{
	struct rpc_options	 o;
	struct error		 err;
	static const uint8_t	 reply[] = {
		0x00, 0x00, 0x00, 0x20,
		0x0e, 0x08, 0xdf, 0xff, 0xff, 0xff, 0x0f, 0x10, 0x00, 0x18,
		0x09, 0x3a, 0x00, 0x40, 0x01,
		0x10, 0x10, 0x01, 0x22, 0x0c, 0x0a, 0x08, 'K', 'E', 'R', 'B',
		'E', 'R', 'O', 'S', 0x12, 0x00
	};

	serve(reply, sizeof reply);
	options(&o, raw_id, true);
	ck_assert_ptr_null(rpc_open_fd(sv[0], "nn", &o, &err));
	ck_assert_int_eq(err.code, ERR_REMOTE);
	ck_assert_str_eq(err.remote,
	    "org.apache.hadoop.security.AccessControlException");
	/* In the NameNode's own words to a client without SASL. */
	ck_assert_str_eq(err.msg, "AccessControlException: SIMPLE "
	    "authentication is not enabled.  Available:[KERBEROS]");
}
END_TEST

/* Kerberos asked for, a SIMPLE-only server: refused as Java refuses. */
START_TEST(test_sasl_kerberos_no_fallback)
{
	struct rpc_options	 o;
	struct error		 err;
	static const uint8_t	 reply[] = {
		0x00, 0x00, 0x00, 0x0c,
		0x08, 0x08, 0xdf, 0xff, 0xff, 0xff, 0x0f, 0x10, 0x00,
		0x02, 0x10, 0x00
	};

	serve(reply, sizeof reply);
	options(&o, raw_id, true);
	o.kerberos = true;
	ck_assert_ptr_null(rpc_open_fd(sv[0], "nn", &o, &err));
	ck_assert_int_eq(err.code, ERR_INPUT);
	ck_assert_str_eq(err.msg, "nn: Kerberos: Server asks us to fall "
	    "back to SIMPLE auth, but this client is configured to only "
	    "allow secure connections.");
}
END_TEST

/* Compares one call frame with Java's, Java's callerContext aside. */
static void
same_call(const uint8_t *java, size_t jlen, const uint8_t *mine,
    size_t mlen, int n)
{
	uint64_t	 jh, mh;
	int		 jk, mk;
	char		 what[64];

	jk = wire_varint_get(java, jlen, &jh);
	mk = wire_varint_get(mine, mlen, &mh);
	ck_assert_int_gt(jk, 0);
	ck_assert_int_gt(mk, 0);
	ck_assert_uint_ge(jh, sizeof caller_cli);
	ck_assert_msg(memcmp(java + jk + jh - sizeof caller_cli, caller_cli,
	    sizeof caller_cli) == 0, "frame %d: no callerContext", n);
	snprintf(what, sizeof what, "frame %d header", n);
	hexdiff(java + jk, jh - sizeof caller_cli, mine + mk, mh, what);
	snprintf(what, sizeof what, "frame %d body", n);
	hexdiff(java + jk + jh, jlen - jk - jh, mine + mk + mh,
	    mlen - mk - mh, what);
}

static size_t
frames(const uint8_t *p, size_t len, const uint8_t **f, size_t *flen,
    size_t max)
{
	size_t	 n = 0, off = 7;

	while (off + 4 <= len && n < max) {
		flen[n] = wire_get_be32(p + off);
		f[n] = p + off + 4;
		off += 4 + flen[n];
		n++;
	}
	ck_assert_uint_eq(off, len);
	return n;
}

/*
 * hadoop fs -put of 1000 bytes (capture 02), NameNode side: the client
 * makes Java's calls in Java's order and must send the same headers and
 * the same create/addBlock/getServerDefaults/complete requests; the
 * first complete answers false, so complete is retried.
 */
START_TEST(test_java_put_requests)
{
	const uint8_t		*jf[16], *mf[16];
	size_t			 jl[16], ml[16], nj, nm, i;
	struct hdfs_stat	 st;
	struct nn_defaults	 d;
	struct nn_block		 b;
	struct error		 err;
	struct buf		 want, got;
	struct nn		*nn;
	uint64_t		 fid;

	serve_file("02-java-put-1000-s2c-nn1.bin");
	nn = attach(java02_id, false);
	ck_assert_int_eq(nn_get_file_info(nn, "/cap/f1000", &st, &err), -1);
	ck_assert_int_eq(err.code, ERR_NOTFOUND);
	ck_assert_int_eq(nn_get_file_info(nn, "/cap", &st, &err), 0);
	ck_assert(st.is_dir);
	ck_assert_int_eq(nn_get_file_info(nn, "/cap/f1000._COPYING_", &st,
	    &err), -1);
	ck_assert_int_eq(err.code, ERR_NOTFOUND);
	ck_assert_int_eq(nn_create(nn, "/cap/f1000._COPYING_", 0644,
	    JAVA02_CLIENT, true, true, 1, 134217728, &fid, &err), 0);
	ck_assert_uint_eq(fid, 16389);
	ck_assert_msg(nn_add_block(nn, "/cap/f1000._COPYING_", JAVA02_CLIENT,
	    fid, NULL, NULL, 0, &b, &err) == 0, "%s", err.msg);
	ck_assert_str_eq(b.pool_id, "BP-951900420-127.0.0.1-1795674747200");
	ck_assert_uint_eq(b.id, 1073741825);
	ck_assert_uint_eq(b.gs, 1001);
	ck_assert_uint_eq(b.nlocs, 1);
	ck_assert_str_eq(b.locs[0].ip, "127.0.0.1");
	ck_assert_uint_eq(b.locs[0].xfer_port, 9866);
	ck_assert_str_eq(b.locs[0].storage_id,
	    "DS-d8db387e-d6e5-435b-95ec-a58a19ca9744");
	ck_assert_int_eq(b.locs[0].storage_type, 1);
	ck_assert_int_eq(nn_get_server_defaults(nn, &d, &err), 0);
	ck_assert_uint_eq(d.block_size, 134217728);
	ck_assert_uint_eq(d.bytes_per_checksum, 512);
	ck_assert_uint_eq(d.write_packet_size, 65536);
	ck_assert_int_eq(d.checksum_type, 2);
	b.num_bytes = 1000;
	ck_assert_msg(nn_complete(nn, "/cap/f1000._COPYING_", JAVA02_CLIENT,
	    fid, &b, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(nn_get_file_info(nn, "/cap/f1000._COPYING_", &st,
	    &err), 0);
	ck_assert_uint_eq(st.length, 1000);
	ck_assert_uint_eq(st.replication, 1);
	ck_assert_str_eq(st.name, "f1000._COPYING_");

	drain(&got);
	load("02-java-put-1000-c2s-nn1.bin", &want);
	hexdiff((uint8_t *)want.data, 7, (uint8_t *)got.data, 7, "preamble");
	nj = frames((uint8_t *)want.data, want.len, jf, jl, 16);
	nm = frames((uint8_t *)got.data, got.len, mf, ml, 16);
	/* context, GFI x3, create, addBlock, defaults, complete x2, GFI */
	ck_assert_uint_eq(nj, 11);
	ck_assert_uint_eq(nm, 10);
	for (i = 0; i < nm; i++)
		same_call(jf[i], jl[i], mf[i], ml[i], (int)i);
	nn_block_clear(&b);
	nn_free(nn);
	buf_clear(&want);
	buf_clear(&got);
}
END_TEST

/* Replays a Java session: the same calls must send the same requests. */
static void
java_session(const char *name, const uint8_t *id, int which)
{
	const uint8_t		*jf[4], *mf[4];
	size_t			 jl[4], ml[4], i;
	struct hdfs_stat	 st;
	struct error		 err;
	struct buf		 want, got;
	struct nn		*nn;
	char			 file[128];

	snprintf(file, sizeof file, "%s-s2c-nn1.bin", name);
	serve_file(file);
	nn = attach(id, false);
	if (which == 0) {
		/* hadoop fs -mkdir -p /cap/a/b */
		ck_assert_int_eq(nn_get_file_info(nn, "/cap/a/b", &st, &err),
		    -1);
		ck_assert_int_eq(err.code, ERR_NOTFOUND);
		ck_assert_int_eq(nn_mkdirs(nn, "/cap/a/b", 0755, true, &err),
		    0);
	} else {
		/* hadoop fs -rm -r -skipTrash /cap/a */
		ck_assert_int_eq(nn_get_file_info(nn, "/cap/a", &st, &err), 0);
		ck_assert(st.is_dir);
		ck_assert_int_eq(nn_delete(nn, "/cap/a", true, &err), 0);
	}
	drain(&got);
	snprintf(file, sizeof file, "%s-c2s-nn1.bin", name);
	load(file, &want);
	ck_assert_uint_eq(frames((uint8_t *)want.data, want.len, jf, jl, 4),
	    3);
	ck_assert_uint_eq(frames((uint8_t *)got.data, got.len, mf, ml, 4), 3);
	for (i = 0; i < 3; i++)
		same_call(jf[i], jl[i], mf[i], ml[i], (int)i);
	nn_free(nn);
	buf_clear(&want);
	buf_clear(&got);
}

/* hadoop fs -mkdir -p and -rm -r (captures 01 and 08). */
START_TEST(test_java_mkdir_rm_requests)
{
	static const uint8_t	 id01[16] = {
		0x4c, 0x90, 0xac, 0xac, 0xd9, 0xa6, 0x44, 0x1c,
		0xad, 0x68, 0x37, 0x70, 0x5e, 0xf2, 0xc4, 0x5c
	};
	static const uint8_t	 id08[16] = {
		0xcb, 0x4e, 0xe9, 0x8a, 0x48, 0x5b, 0x40, 0x37,
		0x8c, 0x52, 0x5a, 0x37, 0xf0, 0x68, 0xc2, 0xf7
	};

	if (_i == 0)
		java_session("01-java-mkdir-p", id01, 0);
	else
		java_session("08-java-rm-r-skiptrash", id08, 1);
}
END_TEST

static void
expect_remote(const struct error *err, enum error_code code,
    const char *cls, const char *msg)
{
	ck_assert_int_eq(err->code, code);
	ck_assert_str_eq(err->remote, cls);
	ck_assert_str_eq(err->msg, msg);
}

struct names {
	char	 n[4][256];
	int	 count;
};

static int
collect(const struct hdfs_stat *st, void *arg)
{
	struct names	*x = arg;

	snprintf(x->n[x->count++ % 4], sizeof x->n[0], "%s", st->name);
	return 0;
}

/* The real NameNode's error answers (capture 15) map to clear errors. */
START_TEST(test_nn_errors)
{
	struct hdfs_stat	 st;
	struct nn_locations	 l;
	struct nn_block		 prev;
	struct names		 x;
	struct error		 err;
	struct nn		*nn;
	uint64_t		 fid;
	uint32_t		 remaining;
	char			*last;
	int			 fnrc;

	serve_file("15-raw-nn-errors-s2c-nn1.bin");
	nn = attach(raw_id, false);
	ck_assert_int_eq(nn_create(nn, "/cap/g1000", 0644, "raw-client-1",
	    false, false, 1, 134217728, &fid, &err), -1);
	expect_remote(&err, ERR_REMOTE,
	    "org.apache.hadoop.fs.FileAlreadyExistsException",
	    "FileAlreadyExistsException: /cap/g1000 for client 127.0.0.1 "
	    "already exists");
	ck_assert_int_eq(nn_mkdirs(nn, "/cap/g1000/x", 0755, true, &err), -1);
	expect_remote(&err, ERR_REMOTE,
	    "org.apache.hadoop.fs.ParentNotDirectoryException",
	    "ParentNotDirectoryException: /cap/g1000 (is not a directory)");
	ck_assert_int_eq(nn_mkdirs(nn, "/nope/x", 0755, false, &err), -1);
	expect_remote(&err, ERR_NOTFOUND, "java.io.FileNotFoundException",
	    "FileNotFoundException: Parent directory doesn't exist: /nope");
	ck_assert_int_eq(nn_get_file_info(nn, "/nope", &st, &err), -1);
	expect_remote(&err, ERR_NOTFOUND, "java.io.FileNotFoundException",
	    "FileNotFoundException: File does not exist: /nope");
	ck_assert_int_eq(nn_get_file_info(nn, "/cap/g1000", &st, &err), 0);
	ck_assert(!st.is_dir);
	ck_assert_uint_eq(st.length, 1000);
	ck_assert_int_eq(nn_get_listing(nn, "/nope", "", collect, &x,
	    &remaining, &last, &fnrc, &err), -1);
	ck_assert_int_eq(err.code, ERR_NOTFOUND);
	memset(&x, 0, sizeof x);
	ck_assert_int_eq(nn_get_listing(nn, "/cap/g1000", "", collect, &x,
	    &remaining, &last, &fnrc, &err), 0);
	ck_assert_int_eq(x.count, 1);
	ck_assert_str_eq(x.n[0], "g1000");
	ck_assert_uint_eq(remaining, 0);
	free(last);
	ck_assert_int_eq(nn_delete(nn, "/nope", true, &err), -1);
	ck_assert_int_eq(err.code, ERR_NOTFOUND);
	ck_assert_int_eq(nn_get_block_locations(nn, "/nope", 0, 1, &l, &err),
	    -1);
	expect_remote(&err, ERR_NOTFOUND, "java.io.FileNotFoundException",
	    "FileNotFoundException: File does not exist: /nope");
	ck_assert_int_eq(nn_create(nn, "/cap/small", 0644, "raw-client-1",
	    false, false, 1, 1000, &fid, &err), -1);
	expect_remote(&err, ERR_REMOTE, "java.io.IOException",
	    "IOException: Specified block size is less than configured "
	    "minimum value (dfs.namenode.fs-limits.min-block-size): "
	    "1000 < 1048576");
	ck_assert_int_eq(nn_rename2(nn, "/cap/g1000", "/cap/g1000", false,
	    &err), -1);
	expect_remote(&err, ERR_REMOTE,
	    "org.apache.hadoop.fs.FileAlreadyExistsException",
	    "FileAlreadyExistsException: The source /cap/g1000 and "
	    "destination /cap/g1000 are the same");
	/*
	 * Call 11 was a rename (v1), which the client does not make; its
	 * answer, result=false, has the shape of delete's.
	 */
	ck_assert_int_eq(nn_delete(nn, "/cap/g1000", false, &err), -1);
	ck_assert_int_eq(err.code, ERR_NOTFOUND);
	memset(&prev, 0, sizeof prev);
	ck_assert_int_eq(nn_add_block(nn, "/cap/g1000", "raw-client-1", 0,
	    NULL, NULL, 0, &prev, &err), -1);
	ck_assert_ptr_null(prev.pool_id);
	expect_remote(&err, ERR_REMOTE,
	    "org.apache.hadoop.hdfs.server.namenode.LeaseExpiredException",
	    "LeaseExpiredException: File is not open for writing: "
	    "/cap/g1000 (inode 0) Holder raw-client-1 does not have any "
	    "open files.");
	ck_assert_int_eq(nn_rename2(nn, "/cap/g1000", "/cap/h1000", false,
	    &err), -1);
	expect_remote(&err, ERR_REMOTE,
	    "org.apache.hadoop.fs.FileAlreadyExistsException",
	    "FileAlreadyExistsException: rename destination /cap/h1000 "
	    "already exists");
	ck_assert_int_eq(nn_delete(nn, "/cap", false, &err), -1);
	expect_remote(&err, ERR_REMOTE,
	    "org.apache.hadoop.fs.PathIsNotEmptyDirectoryException",
	    "PathIsNotEmptyDirectoryException: `/cap is non empty': "
	    "Directory is not empty");
	nn_free(nn);
}
END_TEST

/* Unknown method/protocol/version answers leave the connection usable. */
START_TEST(test_rpc_errors_keep_connection)
{
	Hd__GetFileInfoRequestProto	 req =
	    HD__GET_FILE_INFO_REQUEST_PROTO__INIT;
	struct rpc_options		 o;
	struct rpc_conn			*c;
	ProtobufCMessage		*resp;
	struct error			 err;

	serve_file("14-raw-unknown-method-s2c-nn1.bin");
	options(&o, raw_id, false);
	ck_assert_ptr_nonnull(c = rpc_open_fd(sv[0], "nn", &o, &err));
	req.src = (char *)"/cap";
	ck_assert_int_eq(rpc_call(c, "getFileInfo", 0, 0, &req.base,
	    &hd__get_file_info_response_proto__descriptor, &resp, NULL,
	    &err), 0);
	protobuf_c_message_free_unpacked(resp, NULL);
	ck_assert_int_eq(rpc_call(c, "noSuchMethod", 1, 0, &req.base,
	    &hd__get_file_info_response_proto__descriptor, &resp, NULL,
	    &err), -1);
	expect_remote(&err, ERR_REMOTE,
	    "org.apache.hadoop.ipc.RpcNoSuchMethodException",
	    "RpcNoSuchMethodException: Unknown method noSuchMethod called on "
	    "org.apache.hadoop.hdfs.protocol.ClientProtocol protocol.");
	ck_assert(!rpc_is_broken(c));
	ck_assert_int_eq(rpc_call(c, "getFileInfo", 2, 0, &req.base,
	    &hd__get_file_info_response_proto__descriptor, &resp, NULL,
	    &err), -1);
	expect_remote(&err, ERR_REMOTE,
	    "org.apache.hadoop.ipc.RpcNoSuchProtocolException",
	    "RpcNoSuchProtocolException: Unknown protocol: "
	    "org.apache.hadoop.hdfs.protocol.NoSuchProtocol");
	ck_assert_int_eq(rpc_call(c, "getFileInfo", 3, 0, &req.base,
	    &hd__get_file_info_response_proto__descriptor, &resp, NULL,
	    &err), -1);
	expect_remote(&err, ERR_REMOTE,
	    "org.apache.hadoop.ipc.RPC$VersionMismatch",
	    "RPC$VersionMismatch: Protocol org.apache.hadoop.hdfs.protocol."
	    "ClientProtocol version mismatch. (client = 2, server = 1)");
	ck_assert(!rpc_is_broken(c));
	ck_assert_int_eq(rpc_call(c, "getFileInfo", 4, 0, &req.base,
	    &hd__get_file_info_response_proto__descriptor, &resp, NULL,
	    &err), 0);
	protobuf_c_message_free_unpacked(resp, NULL);
	rpc_close(c);
}
END_TEST

/* dfs.namenode.kerberos.principal: _HOST is the host, lower-cased. */
START_TEST(test_server_principal)
{
	static const char *const cases[][3] = {
		{ "nn/_HOST@EXAMPLE.COM", "NN1.Example.com",
		    "nn/nn1.example.com@EXAMPLE.COM" },
		{ "nn/_HOST", "localhost", "nn/localhost" },
		{ "nn/fixed.example.com@R", "other", "nn/fixed.example.com@R" },
		{ "_HOST/_HOST@R", "A", "a/a@R" },
		{ "nn/_HOS@R", "a", "nn/_HOS@R" },
		{ "", "a", "" },
	};
	size_t	 i;
	char	*s;

	for (i = 0; i < nitems(cases); i++) {
		s = rpc_server_principal(cases[i][0], cases[i][1]);
		ck_assert_str_eq(s, cases[i][2]);
		free(s);
	}
}
END_TEST

/*
 * A proxy user with SIMPLE: the context names it as effectiveUser and
 * the real user as realUser (ProtoUtil.makeIpcConnectionContext); the
 * frame ends with exactly that IpcConnectionContextProto.
 */
START_TEST(test_proxy_user_context)
{
	static const uint8_t want[] = {
		0x3d,				/* length 61 */
		0x12, 0x0b,			/* userInfo, 11 bytes */
		0x0a, 0x03, 'b', 'o', 'b',	/* effectiveUser */
		0x12, 0x04, 'r', 'o', 'o', 't',	/* realUser */
		0x1a, 0x2e,			/* protocol, 46 bytes */
		'o', 'r', 'g', '.', 'a', 'p', 'a', 'c', 'h', 'e', '.',
		'h', 'a', 'd', 'o', 'o', 'p', '.', 'h', 'd', 'f', 's', '.',
		'p', 'r', 'o', 't', 'o', 'c', 'o', 'l', '.',
		'C', 'l', 'i', 'e', 'n', 't', 'P', 'r', 'o', 't', 'o', 'c',
		'o', 'l',
	};
	struct rpc_options	 o;
	struct rpc_conn		*c;
	struct error		 err;
	struct buf		 got;

	serve(NULL, 0);
	options(&o, raw_id, false);
	o.proxy_user = "bob";
	c = rpc_open_fd(sv[0], "nn", &o, &err);
	ck_assert_msg(c != NULL, "%s", err.msg);
	drain(&got);
	ck_assert_uint_gt(got.len, sizeof want);
	hexdiff(want, sizeof want,
	    (const uint8_t *)got.data + got.len - sizeof want, sizeof want,
	    "proxy user context");
	rpc_close(c);
	buf_clear(&got);
}
END_TEST

/* FATAL answers (capture 17) break the connection. */
START_TEST(test_rpc_fatal)
{
	Hd__GetFileInfoRequestProto	 req =
	    HD__GET_FILE_INFO_REQUEST_PROTO__INIT;
	struct rpc_options		 o;
	struct rpc_conn			*c;
	ProtobufCMessage		*resp;
	struct error			 err;
	bool				 sent;

	serve_file(_i == 0 ? "17-raw-fatal-s2c-nn1.bin" :
	    "17-raw-fatal-s2c-nn2.bin");
	options(&o, raw_id, false);
	ck_assert_ptr_nonnull(c = rpc_open_fd(sv[0], "nn", &o, &err));
	req.src = (char *)"/";
	ck_assert_int_eq(rpc_call(c, "getFileInfo", 0, 0, &req.base,
	    &hd__get_file_info_response_proto__descriptor, &resp, &sent,
	    &err), -1);
	ck_assert(sent);
	expect_remote(&err, ERR_REMOTE,
	    "org.apache.hadoop.ipc.RpcServerException", _i == 0 ?
	    "RpcServerException: Connection context not established" :
	    "RpcServerException:  IPC Server: No rpc op in rpcRequestHeader");
	ck_assert(rpc_is_broken(c));
	ck_assert_int_eq(rpc_call(c, "getFileInfo", 1, 0, &req.base,
	    &hd__get_file_info_response_proto__descriptor, &resp, &sent,
	    &err), -1);
	ck_assert(!sent);
	ck_assert_int_eq(err.code, ERR_PROTO);
	rpc_close(c);
}
END_TEST

/* A peer that is not a NameNode gives a clean error, never a hang. */
START_TEST(test_not_a_namenode)
{
	static const char	 http[] = "HTTP/1.1 400 Bad Request\r\n"
				    "Content-Length: 0\r\n\r\n";
	Hd__GetFileInfoRequestProto	 req =
	    HD__GET_FILE_INFO_REQUEST_PROTO__INIT;
	struct rpc_options		 o;
	struct rpc_conn			*c;
	ProtobufCMessage		*resp;
	struct error			 err;

	serve(http, sizeof http - 1);
	options(&o, raw_id, false);
	ck_assert_ptr_nonnull(c = rpc_open_fd(sv[0], "web:80", &o, &err));
	req.src = (char *)"/";
	ck_assert_int_eq(rpc_call(c, "getFileInfo", 0, 0, &req.base,
	    &hd__get_file_info_response_proto__descriptor, &resp, NULL,
	    &err), -1);
	ck_assert_int_eq(err.code, ERR_PROTO);
	ck_assert_msg(strstr(err.msg, "web:80: getFileInfo: not a Hadoop "
	    "IPC server?") == err.msg, "%s", err.msg);
	rpc_close(c);

	/* With SASL the first answer is awaited during setup. */
	serve(http, sizeof http - 1);
	o.sasl = true;
	ck_assert_ptr_null(rpc_open_fd(sv[0], "web:80", &o, &err));
	ck_assert_int_eq(err.code, ERR_PROTO);
	ck_assert_msg(strstr(err.msg, "web:80: not a Hadoop IPC server?") ==
	    err.msg, "%s", err.msg);

	/* A peer that closes at once. */
	serve(NULL, 0);
	close(sv[1]);
	ck_assert_ptr_null(rpc_open_fd(sv[0], "gone:1", &o, &err));
	ck_assert_int_eq(err.code, ERR_PROTO);
	ck_assert_str_eq(err.msg,
	    "gone:1: connection closed by peer (not a NameNode?)");
}
END_TEST

/* A silent peer runs into the I/O deadline. */
START_TEST(test_timeout)
{
	Hd__GetFileInfoRequestProto	 req =
	    HD__GET_FILE_INFO_REQUEST_PROTO__INIT;
	struct rpc_options		 o;
	struct rpc_conn			*c;
	ProtobufCMessage		*resp;
	struct error			 err;

	serve(NULL, 0);
	options(&o, raw_id, false);
	o.io_timeout_ms = 200;
	ck_assert_ptr_nonnull(c = rpc_open_fd(sv[0], "slow:1", &o, &err));
	req.src = (char *)"/";
	ck_assert_int_eq(rpc_call(c, "getFileInfo", 0, 0, &req.base,
	    &hd__get_file_info_response_proto__descriptor, &resp, NULL,
	    &err), -1);
	ck_assert_int_eq(err.code, ERR_TIMEOUT);
	ck_assert(rpc_is_broken(c));
	rpc_close(c);
}
END_TEST

/* A connection the server dropped between calls is not used again. */
START_TEST(test_stale)
{
	Hd__GetFileInfoRequestProto	 req =
	    HD__GET_FILE_INFO_REQUEST_PROTO__INIT;
	struct rpc_options		 o;
	struct rpc_conn			*c;
	ProtobufCMessage		*resp;
	struct error			 err;
	struct buf			 b;

	load("14-raw-unknown-method-s2c-nn1.bin", &b);
	/* Only the first answer: 4-byte length + frame. */
	serve(b.data, 4 + wire_get_be32((uint8_t *)b.data));
	buf_clear(&b);
	options(&o, raw_id, false);
	ck_assert_ptr_nonnull(c = rpc_open_fd(sv[0], "nn", &o, &err));
	req.src = (char *)"/cap";
	ck_assert_int_eq(rpc_call(c, "getFileInfo", 0, 0, &req.base,
	    &hd__get_file_info_response_proto__descriptor, &resp, NULL,
	    &err), 0);
	protobuf_c_message_free_unpacked(resp, NULL);
	ck_assert(!rpc_is_stale(c, 10000));
	usleep(20000);
	ck_assert(rpc_is_stale(c, 10));
	close(sv[1]);
	ck_assert(rpc_is_stale(c, 10000));
	rpc_close(c);
}
END_TEST

/* One answer frame: the header for call id, then body (may be NULL). */
static void
lying_frame(struct buf *b, uint32_t id, const char *cls, const char *msg)
{
	Hd__RpcResponseHeaderProto	 h = HD__RPC_RESPONSE_HEADER_PROTO__INIT;
	Hd__GetFileInfoResponseProto	 r =
	    HD__GET_FILE_INFO_RESPONSE_PROTO__INIT;
	const ProtobufCMessage		*msgs[2] = { &h.base, &r.base };
	struct buf			 f;
	uint8_t				 len[4];

	h.callid = id;
	if (cls != NULL) {
		h.status = HD__RPC_RESPONSE_HEADER_PROTO__RPC_STATUS_PROTO__ERROR;
		h.exceptionclassname = (char *)cls;
		h.errormsg = (char *)msg;
	}
	buf_init(&f);
	wire_append_delimited(&f, msgs[0]);
	if (cls == NULL)
		wire_append_delimited(&f, msgs[1]);
	wire_put_be32(len, (uint32_t)f.len);
	buf_append(b, len, 4);
	buf_append(b, f.data, f.len);
	buf_clear(&f);
}

/*
 * getFileInfo calls 0..n-1 against the bytes in b, then EOF: the last
 * call's result, and whether the connection is broken after it.
 */
static int
lying_calls(const struct buf *b, int n, struct error *err, bool *broken)
{
	Hd__GetFileInfoRequestProto	 req =
	    HD__GET_FILE_INFO_REQUEST_PROTO__INIT;
	struct rpc_options		 o;
	struct rpc_conn			*c;
	ProtobufCMessage		*resp;
	int				 i, rc = -1;

	serve(b->data, b->len);
	shutdown(sv[1], SHUT_WR);
	options(&o, raw_id, false);
	ck_assert_ptr_nonnull(c = rpc_open_fd(sv[0], "liar:8020", &o, err));
	req.src = (char *)"/";
	for (i = 0; i < n; i++) {
		resp = NULL;
		rc = rpc_call(c, "getFileInfo", i, 0, &req.base,
		    &hd__get_file_info_response_proto__descriptor, &resp,
		    NULL, err);
		if (resp != NULL)
			protobuf_c_message_free_unpacked(resp, NULL);
	}
	*broken = rpc_is_broken(c);
	rpc_close(c);
	close(sv[1]);
	return rc;
}

/*
 * A NameNode that lies: each bad answer fails the call with a line naming
 * what was wrong and breaks the connection (the first answer of one also
 * asks whether the peer is a NameNode at all); a remote exception, even
 * of a class never heard of, is an answer, and the connection goes on.
 */
START_TEST(test_lying_namenode)
{
	static const uint8_t	 huge[] = { 0xff, 0xff, 0xff, 0xff, 1, 2 };
	static const uint8_t	 cut[] = { 0, 0, 0, 100, 8, 0, 16, 0 };
	static const uint8_t	 junk[] = { 0, 0, 0, 3, 0x7f, 0xff, 0xff };
	struct error		 err;
	struct buf		 b;
	bool			 broken;

	buf_init(&b);
	buf_append(&b, huge, sizeof huge);
	ck_assert_int_eq(lying_calls(&b, 1, &err, &broken), -1);
	ck_assert_int_eq(err.code, ERR_PROTO);
	ck_assert_str_eq(err.msg, "liar:8020: getFileInfo: not a Hadoop IPC "
	    "server?: frame of 4294967295 bytes exceeds the limit of "
	    "134217728");
	ck_assert(broken);
	buf_reset(&b);

	/* Cut short: as a first answer, and after a good one. */
	buf_append(&b, cut, sizeof cut);
	ck_assert_int_eq(lying_calls(&b, 1, &err, &broken), -1);
	ck_assert_str_eq(err.msg, "liar:8020: getFileInfo: not a Hadoop IPC "
	    "server?: connection closed after 4 of 100 bytes");
	ck_assert(broken);
	buf_reset(&b);
	lying_frame(&b, 0, NULL, NULL);
	buf_append(&b, cut, sizeof cut);
	ck_assert_int_eq(lying_calls(&b, 2, &err, &broken), -1);
	ck_assert_str_eq(err.msg, "liar:8020: getFileInfo: connection closed "
	    "after 4 of 100 bytes");
	ck_assert(broken);
	buf_reset(&b);

	lying_frame(&b, 0, NULL, NULL);
	buf_append(&b, junk, sizeof junk);
	ck_assert_int_eq(lying_calls(&b, 2, &err, &broken), -1);
	ck_assert_int_eq(err.code, ERR_PROTO);
	ck_assert_str_eq(err.msg, "liar:8020: getFileInfo: bad answer header: "
	    "message length 127 runs past the frame");
	ck_assert(broken);
	buf_reset(&b);

	lying_frame(&b, 7, NULL, NULL);
	ck_assert_int_eq(lying_calls(&b, 1, &err, &broken), -1);
	ck_assert_int_eq(err.code, ERR_PROTO);
	ck_assert_str_eq(err.msg, "liar:8020: getFileInfo: reply to call 7, "
	    "expected 0");
	ck_assert(broken);
	buf_reset(&b);

	lying_frame(&b, 0, "com.example.NeverHeardOfIt", "odd\nline two");
	ck_assert_int_eq(lying_calls(&b, 1, &err, &broken), -1);
	expect_remote(&err, ERR_REMOTE, "com.example.NeverHeardOfIt",
	    "NeverHeardOfIt: odd");
	ck_assert(!broken);
	/* The next call on it gets its answer. */
	lying_frame(&b, 1, NULL, NULL);
	ck_assert_int_eq(lying_calls(&b, 2, &err, &broken), 0);
	ck_assert(!broken);
	buf_clear(&b);
}
END_TEST

/*
 * A scripted NameNode on loopback for the call-id tests: it serves
 * connections one after another and, per call, records the connection,
 * call id, retry count and method, then answers, or hangs up without an
 * answer (a reply lost after the call ran), or answers and hangs up.
 */
enum fake_act { FAKE_REPLY, FAKE_DROP, FAKE_REPLY_CLOSE };

struct fake_call {
	int		 conn;
	int32_t		 id;
	int32_t		 retry;
	char		 method[32];
};

struct fake_nn {
	int			 lfd;
	char			 port[8];
	const enum fake_act	*script;
	size_t			 nscript;
	struct fake_call	 seen[8];
	size_t			 nseen;
	int			 closed[2];	/* a byte per hang-up */
};

static void
fake_answer(int fd, int32_t id, const uint8_t *cid, const char *method)
{
	Hd__RpcResponseHeaderProto	 h =
	    HD__RPC_RESPONSE_HEADER_PROTO__INIT;
	Hd__MkdirsResponseProto		 mk = HD__MKDIRS_RESPONSE_PROTO__INIT;
	Hd__Rename2ResponseProto	 rn = HD__RENAME2_RESPONSE_PROTO__INIT;
	Hd__GetFileInfoResponseProto	 gf =
	    HD__GET_FILE_INFO_RESPONSE_PROTO__INIT;
	const ProtobufCMessage		*m[2];
	struct error			 err;
	struct buf			 b;

	h.callid = (uint32_t)id;
	h.status = HD__RPC_RESPONSE_HEADER_PROTO__RPC_STATUS_PROTO__SUCCESS;
	h.has_clientid = 1;
	h.clientid.data = (uint8_t *)cid;
	h.clientid.len = 16;
	mk.result = 1;
	m[0] = &h.base;
	m[1] = strcmp(method, "mkdirs") == 0 ? &mk.base :
	    strcmp(method, "rename2") == 0 ? &rn.base : &gf.base;
	buf_init(&b);
	wire_append_frame(&b, m, 2);
	ck_assert_int_eq(wire_write_full(fd, b.data, b.len,
	    wire_deadline(2000), &err), 0);
	buf_clear(&b);
}

static void *
fake_nn_main(void *arg)
{
	struct fake_nn			*f = arg;
	Hd__RpcRequestHeaderProto	*rh;
	Hd__RequestHeaderProto		*mh;
	const uint8_t			*p, *m;
	size_t				 left, mlen, step = 0;
	struct error			 err;
	struct buf			 frame;
	uint8_t				 pre[7];
	int				 fd, conn;

	buf_init(&frame);
	for (conn = 1; step < f->nscript; conn++) {
		fd = accept(f->lfd, NULL, NULL);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(wire_read_full(fd, pre, sizeof pre,
		    wire_deadline(5000), &err), 0);
		while (step < f->nscript && wire_read_frame(fd, &frame,
		    1 << 20, wire_deadline(5000), &err) == 0) {
			p = (const uint8_t *)frame.data;
			left = frame.len;
			ck_assert_int_eq(wire_next_delimited(&p, &left, &m,
			    &mlen, &err), 0);
			rh = (Hd__RpcRequestHeaderProto *)wire_unpack(
			    &hd__rpc_request_header_proto__descriptor, m,
			    mlen, &err);
			ck_assert_ptr_nonnull(rh);
			if (rh->callid < 0) {		/* the context */
				protobuf_c_message_free_unpacked(&rh->base,
				    NULL);
				continue;
			}
			ck_assert_int_eq(wire_next_delimited(&p, &left, &m,
			    &mlen, &err), 0);
			mh = (Hd__RequestHeaderProto *)wire_unpack(
			    &hd__request_header_proto__descriptor, m, mlen,
			    &err);
			ck_assert_ptr_nonnull(mh);
			ck_assert_uint_lt(f->nseen, 8);
			f->seen[f->nseen].conn = conn;
			f->seen[f->nseen].id = rh->callid;
			f->seen[f->nseen].retry = rh->retrycount;
			snprintf(f->seen[f->nseen].method,
			    sizeof f->seen[0].method, "%s", mh->methodname);
			f->nseen++;
			if (f->script[step] != FAKE_DROP)
				fake_answer(fd, rh->callid, rh->clientid.data,
				    mh->methodname);
			protobuf_c_message_free_unpacked(&mh->base, NULL);
			protobuf_c_message_free_unpacked(&rh->base, NULL);
			if (f->script[step++] != FAKE_REPLY)
				break;
		}
		close(fd);
		ck_assert_int_eq(write(f->closed[1], "x", 1), 1);
	}
	buf_clear(&frame);
	return NULL;
}

static void
fake_nn_start(struct fake_nn *f, const enum fake_act *script, size_t n,
    pthread_t *t)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;

	memset(f, 0, sizeof *f);
	f->script = script;
	f->nscript = n;
	ck_assert_int_eq(pipe(f->closed), 0);
	f->lfd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(f->lfd, (struct sockaddr *)&sin, sizeof sin), 0);
	ck_assert_int_eq(listen(f->lfd, 4), 0);
	ck_assert_int_eq(getsockname(f->lfd, (struct sockaddr *)&sin, &len),
	    0);
	snprintf(f->port, sizeof f->port, "%u", ntohs(sin.sin_port));
	ck_assert_int_eq(pthread_create(t, NULL, fake_nn_main, f), 0);
}

static void
expect_call(const struct fake_call *c, int conn, int32_t id, int32_t retry,
    const char *method)
{
	ck_assert_int_eq(c->conn, conn);
	ck_assert_int_eq(c->id, id);
	ck_assert_int_eq(c->retry, retry);
	ck_assert_str_eq(c->method, method);
}

/*
 * Call ids belong to the handle: they keep rising across reconnections,
 * and a call retried after its reply was lost keeps its id with the
 * retry count one higher (what a NameNode's retry cache keys on).
 */
START_TEST(test_call_ids_across_connections)
{
	static const enum fake_act script[] = {
		FAKE_DROP,		/* rename2 runs, its reply is lost */
		FAKE_REPLY,		/* rename2 retried */
		FAKE_REPLY_CLOSE,	/* mkdirs, then the server hangs up */
		FAKE_REPLY,		/* getFileInfo on a new connection */
	};
	struct fake_nn		 f;
	struct net_addr		 a = { "127.0.0.1", "" };
	struct rpc_options	 o;
	struct hdfs_stat	 st;
	struct error		 err;
	struct nn		*nn;
	pthread_t		 t;
	char			 x;

	fake_nn_start(&f, script, 4, &t);
	snprintf(a.port, sizeof a.port, "%s", f.port);
	options(&o, raw_id, false);
	nn = nn_new(&a, 1, &o, 3);
	ck_assert_msg(nn_rename2(nn, "/a", "/b", false, &err) == 0, "%s",
	    err.msg);
	ck_assert_int_eq(read(f.closed[0], &x, 1), 1);
	ck_assert_msg(nn_mkdirs(nn, "/d", 0755, true, &err) == 0, "%s",
	    err.msg);
	/* The hang-up is seen before the next call, so no retry there. */
	ck_assert_int_eq(read(f.closed[0], &x, 1), 1);
	ck_assert_int_eq(nn_get_file_info(nn, "/x", &st, &err), -1);
	ck_assert_int_eq(err.code, ERR_NOTFOUND);
	pthread_join(t, NULL);
	ck_assert_uint_eq(f.nseen, 4);
	expect_call(&f.seen[0], 1, 0, 0, "rename2");
	expect_call(&f.seen[1], 2, 0, 1, "rename2");
	expect_call(&f.seen[2], 2, 1, 0, "mkdirs");
	expect_call(&f.seen[3], 3, 2, 0, "getFileInfo");
	nn_free(nn);
	close(f.lfd);
	close(f.closed[0]);
	close(f.closed[1]);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite	*s = suite_create("rpc");
	TCase	*tc = tcase_create("rpc");

	tcase_add_test(tc, test_sasl_simple_bytes);
	tcase_add_test(tc, test_sasl_no_simple);
	tcase_add_test(tc, test_sasl_kerberos_no_fallback);
	tcase_add_test(tc, test_java_put_requests);
	tcase_add_loop_test(tc, test_java_mkdir_rm_requests, 0, 2);
	tcase_add_test(tc, test_nn_errors);
	tcase_add_test(tc, test_rpc_errors_keep_connection);
	tcase_add_loop_test(tc, test_rpc_fatal, 0, 2);
	tcase_add_test(tc, test_server_principal);
	tcase_add_test(tc, test_proxy_user_context);
	tcase_add_test(tc, test_not_a_namenode);
	tcase_add_test(tc, test_timeout);
	tcase_add_test(tc, test_lying_namenode);
	tcase_add_test(tc, test_stale);
	tcase_add_test(tc, test_call_ids_across_connections);
	suite_add_tcase(s, tc);
	return s;
}
