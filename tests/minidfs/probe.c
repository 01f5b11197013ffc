/*
 * minidfs-probe: sends minidfs hand-built frames, well-formed and broken,
 * and checks it answers them as a Hadoop 3.3 NameNode or DataNode does
 * (the answers of the real servers are in the fact sheet's captures).
 *
 *	minidfs-probe SCENARIO NN_PORT [DN_PORT] [ARG]
 *
 * Prints "ok: ..." per check and "FAIL: ..." per failed one; exits 1 if
 * anything failed.
 */
#include "config.h"

#include <sys/random.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/error.h"
#include "hdfs/packet.h"
#include "hdfs/proto/datatransfer.pb-c.h"
#include "hdfs/proto/namenode.pb-c.h"
#include "hdfs/proto/rpc.pb-c.h"
#include "hdfs/wire.h"

#include "short.h"

#define PROBE_PROTOCOL	"org.apache.hadoop.hdfs.protocol.ClientProtocol"
#define PROBE_TIMEOUT	10000
#define PROBE_PBEXC \
	"org.apache.hadoop.thirdparty.protobuf.InvalidProtocolBufferException"

struct probe {
	int		 fd;
	int32_t		 callid;
	/*
	 * New for every connection, since call ids start at 1 on each: with
	 * one client id the NameNode's retry cache would answer a later
	 * connection's create with an earlier one's file.
	 */
	uint8_t		 cid[16];
	bool		 no_rpcop;	/* omit rpcOp in the next header */
	const char	*protocol;
	uint64_t	 version;
};

/* One reply: header plus the body bytes (if any). */
struct reply {
	Hd__RpcResponseHeaderProto	*h;
	struct buf			 body;
	bool				 has_body;
};


static int	 probe_failures;
static uint16_t	 probe_nn, probe_dn;

static void	 check(bool, const char *, ...) PRINTFLIKE(2, 3);

static void
check(bool ok, const char *fmt, ...)
{
	va_list	 ap;

	printf("%s: ", ok ? "ok" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!ok)
		probe_failures++;
}

static int
probe_connect(uint16_t port)
{
	struct sockaddr_in	 sin;
	int			 fd;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1) {
		perror("socket");
		exit(2);
	}
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		perror("connect");
		exit(2);
	}
	return fd;
}

static void
probe_send(int fd, const void *p, size_t n)
{
	struct error	 err;

	if (wire_write_full(fd, p, n, wire_deadline(PROBE_TIMEOUT), &err) ==
	    -1) {
		fprintf(stderr, "write: %s\n", err.msg);
		exit(2);
	}
}

/* Frames header + extra messages with call id callid. */
static void
probe_frame(struct probe *pr, int32_t callid, const ProtobufCMessage **msgs,
    size_t n)
{
	Hd__RpcRequestHeaderProto	 rh =
	    HD__RPC_REQUEST_HEADER_PROTO__INIT;
	const ProtobufCMessage		*all[4];
	struct buf			 b;
	size_t				 i;

	rh.has_rpckind = 1;
	rh.rpckind = HD__RPC_KIND_PROTO__RPC_PROTOCOL_BUFFER;
	rh.has_rpcop = !pr->no_rpcop;
	rh.rpcop = OP_FINAL;
	rh.callid = callid;
	rh.clientid.data = pr->cid;
	rh.clientid.len = 16;
	rh.has_retrycount = 1;
	rh.retrycount = callid < 0 ? -1 : 0;
	all[0] = &rh.base;
	for (i = 0; i < n; i++)
		all[i + 1] = msgs[i];
	buf_init(&b);
	wire_append_frame(&b, all, n + 1);
	probe_send(pr->fd, b.data, b.len);
	buf_clear(&b);
}

static void
probe_open(struct probe *pr, uint16_t port, bool sasl, bool context)
{
	Hd__IpcConnectionContextProto	 ctx =
	    HD__IPC_CONNECTION_CONTEXT_PROTO__INIT;
	Hd__UserInformationProto	 ui = HD__USER_INFORMATION_PROTO__INIT;
	const ProtobufCMessage		*m = &ctx.base;

	memset(pr, 0, sizeof *pr);
	if (getrandom(pr->cid, sizeof pr->cid, 0) !=
	    (ssize_t)sizeof pr->cid) {
		perror("minidfs-probe: getrandom");
		exit(1);
	}
	pr->fd = probe_connect(port);
	pr->protocol = PROBE_PROTOCOL;
	pr->version = 1;
	probe_send(pr->fd, sasl ? "hrpc\x09\x00\xdf" : "hrpc\x09\x00\x00", 7);
	if (!context)
		return;
	ui.effectiveuser = "prober";
	ctx.userinfo = &ui;
	ctx.protocol = PROBE_PROTOCOL;
	probe_frame(pr, -3, &m, 1);
}

/* Reads one reply frame; returns -1 at EOF. */
static int
probe_read(struct probe *pr, struct reply *r)
{
	struct buf	 f;
	struct error	 err;
	const uint8_t	*p, *m;
	size_t		 left, mlen;

	memset(r, 0, sizeof *r);
	buf_init(&r->body);
	buf_init(&f);
	if (wire_read_frame(pr->fd, &f, 1 << 26, wire_deadline(PROBE_TIMEOUT),
	    &err) == -1) {
		buf_clear(&f);
		return -1;
	}
	p = (const uint8_t *)f.data;
	left = f.len;
	if (wire_next_delimited(&p, &left, &m, &mlen, &err) == -1 ||
	    (r->h = (Hd__RpcResponseHeaderProto *)wire_unpack(
	    &hd__rpc_response_header_proto__descriptor, m, mlen, &err)) ==
	    NULL) {
		fprintf(stderr, "bad reply header: %s\n", err.msg);
		exit(2);
	}
	if (left > 0) {
		if (wire_next_delimited(&p, &left, &m, &mlen, &err) == -1) {
			fprintf(stderr, "bad reply body: %s\n", err.msg);
			exit(2);
		}
		buf_append(&r->body, m, mlen);
		r->has_body = true;
	}
	check(left == 0, "nothing after the reply (%zu bytes)", left);
	buf_clear(&f);
	return 0;
}

static void
reply_free(struct reply *r)
{
	if (r->h != NULL)
		protobuf_c_message_free_unpacked(&r->h->base, NULL);
	buf_clear(&r->body);
	r->h = NULL;
}

/* Sends a call with a raw body; reads its reply. */
static void
probe_raw(struct probe *pr, const char *method, const void *body,
    size_t bodylen, struct reply *r)
{
	Hd__RpcRequestHeaderProto rh = HD__RPC_REQUEST_HEADER_PROTO__INIT;
	Hd__RequestHeaderProto	 h = HD__REQUEST_HEADER_PROTO__INIT;
	const ProtobufCMessage	*hm[2];
	struct buf		 b;
	uint8_t			 vb[WIRE_VARINT_MAX];

	h.methodname = (char *)method;
	h.declaringclassprotocolname = (char *)pr->protocol;
	h.clientprotocolversion = pr->version;
	rh.has_rpckind = 1;
	rh.rpckind = HD__RPC_KIND_PROTO__RPC_PROTOCOL_BUFFER;
	rh.has_rpcop = !pr->no_rpcop;
	rh.callid = ++pr->callid;
	rh.clientid.data = pr->cid;
	rh.clientid.len = 16;
	rh.has_retrycount = 1;
	rh.retrycount = 0;
	hm[0] = &rh.base;
	hm[1] = &h.base;
	buf_init(&b);
	wire_append_frame(&b, hm, 2);
	buf_append(&b, vb, wire_varint_put(vb, bodylen));
	buf_append(&b, body, bodylen);
	wire_put_be32((uint8_t *)b.data, (uint32_t)(b.len - 4));
	probe_send(pr->fd, b.data, b.len);
	buf_clear(&b);
	if (probe_read(pr, r) == -1) {
		fprintf(stderr, "%s: connection closed\n", method);
		exit(2);
	}
}

static void
probe_call(struct probe *pr, const char *method, const ProtobufCMessage *req,
    struct reply *r)
{
	struct buf	 b;

	buf_init(&b);
	if (req != NULL) {
		buf_reserve(&b, protobuf_c_message_get_packed_size(req));
		b.len = protobuf_c_message_pack(req, (uint8_t *)b.data);
	}
	probe_raw(pr, method, b.data != NULL ? b.data : "", b.len, r);
	buf_clear(&b);
}

static ProtobufCMessage *
reply_body(struct reply *r, const ProtobufCMessageDescriptor *d)
{
	struct error		 err;
	ProtobufCMessage	*m;

	m = wire_unpack(d, (const uint8_t *)(r->body.data != NULL ?
	    r->body.data : ""), r->body.len, &err);
	check(m != NULL, "reply parses as %s%s%s", d->short_name,
	    m == NULL ? ": " : "", m == NULL ? err.msg : "");
	if (m == NULL)
		exit(1);
	return m;
}

static void
expect_success(struct reply *r, const char *what)
{
	check(r->h->status ==
	    ST_SUCCESS &&
	    r->has_body, "%s: SUCCESS with a body%s%s", what,
	    r->h->exceptionclassname != NULL ? ", got " : "",
	    r->h->exceptionclassname != NULL ? r->h->exceptionclassname : "");
}

/* msg is the first line of errorMsg, exactly. */
static void
expect_error(struct reply *r, int status, int detail, const char *cls,
    const char *msg, const char *what)
{
	const char	*em = r->h->errormsg != NULL ? r->h->errormsg : "";
	size_t		 n = strcspn(em, "\n");

	check(r->h->status == (unsigned)status, "%s: status %d (got %d)", what,
	    status, r->h->status);
	check(!r->has_body, "%s: no body after an error header", what);
	check(r->h->has_errordetail && (int)r->h->errordetail == detail,
	    "%s: errorDetail %d (got %d)", what, detail, r->h->errordetail);
	check(r->h->exceptionclassname != NULL &&
	    strcmp(r->h->exceptionclassname, cls) == 0,
	    "%s: class %s (got %s)", what, cls,
	    r->h->exceptionclassname != NULL ? r->h->exceptionclassname : "-");
	check(strlen(msg) == n && strncmp(em, msg, n) == 0,
	    "%s: message \"%s\" (got \"%.*s\")", what, msg, (int)n, em);
}

static void
expect_app_error(struct probe *pr, const char *method,
    const ProtobufCMessage *req, const char *cls, const char *msg)
{
	struct reply	 r;

	probe_call(pr, method, req, &r);
	expect_error(&r, ST_ERROR,
	    E_APP,
	    cls, msg, method);
	reply_free(&r);
}

static void
expect_eof(int fd, const char *what)
{
	struct error	 err;
	char		 c;

	check(wire_read_full(fd, &c, 1, wire_deadline(PROBE_TIMEOUT),
	    &err) == -1 && err.code == ERR_NOTFOUND,
	    "%s: the server closes the connection", what);
}

/* The NameNode's connection-level strictness. */
static void
scenario_nn_rpc(void)
{
	Hd__GetFileInfoRequestProto	 gfi =
	    HD__GET_FILE_INFO_REQUEST_PROTO__INIT;
	Hd__GetFileInfoResponseProto	*gr;
	Hd__RpcSaslProto		 sasl = HD__RPC_SASL_PROTO__INIT;
	Hd__RpcSaslProto__SaslAuth	 simple =
	    HD__RPC_SASL_PROTO__SASL_AUTH__INIT;
	Hd__RpcSaslProto__SaslAuth	*auths[1] = { &simple };
	Hd__RpcSaslProto		*sr;
	Hd__IpcConnectionContextProto	 ctx =
	    HD__IPC_CONNECTION_CONTEXT_PROTO__INIT;
	Hd__UserInformationProto	 ui = HD__USER_INFORMATION_PROTO__INIT;
	const ProtobufCMessage		*m;
	struct probe			 pr;
	struct reply			 r;

	/* A request missing its required src; the connection stays usable. */
	probe_open(&pr, probe_nn, false, true);
	probe_raw(&pr, "getFileInfo", "", 0, &r);
	expect_error(&r, ST_ERROR,
	    E_APP,
	    PROBE_PBEXC,
	    "Message missing required fields: src", "getFileInfo without src");
	check(r.h->callid == 1 && r.h->has_serveripcversionnum &&
	    r.h->serveripcversionnum == 9 &&
	    r.h->has_clientid && r.h->clientid.len == 16 &&
	    memcmp(r.h->clientid.data, pr.cid, 16) == 0 &&
	    r.h->has_retrycount && r.h->retrycount == 0,
	    "reply header echoes call id, client id and retry count, "
	    "version 9 (call %u, %zu-byte client id, retry %d)", r.h->callid,
	    r.h->clientid.len, r.h->retrycount);
	reply_free(&r);
	gfi.src = "/";
	probe_call(&pr, "getFileInfo", &gfi.base, &r);
	expect_success(&r, "getFileInfo / after the refusal");
	gr = (Hd__GetFileInfoResponseProto *)reply_body(&r,
	    &hd__get_file_info_response_proto__descriptor);
	check(gr->fs != NULL && gr->fs->fileid == 16385 &&
	    gr->fs->filetype == HD__HDFS_FILE_STATUS_PROTO__FILE_TYPE__IS_DIR &&
	    gr->fs->path.len == 0, "/ is a directory, inode 16385, empty path");
	protobuf_c_message_free_unpacked(&gr->base, NULL);
	reply_free(&r);
	/* mkdirs with src only: two required fields missing. */
	probe_raw(&pr, "mkdirs", "\x0a\x02/m", 4, &r);
	expect_error(&r, ST_ERROR,
	    E_APP,
	    PROBE_PBEXC,
	    "Message missing required fields: masked, createParent",
	    "mkdirs without masked and createParent");
	reply_free(&r);
	probe_call(&pr, "noSuchMethod", &gfi.base, &r);
	expect_error(&r, ST_ERROR,
	    E_NOMETHOD,
	    "org.apache.hadoop.ipc.RpcNoSuchMethodException",
	    "Unknown method noSuchMethod called on "
	    "org.apache.hadoop.hdfs.protocol.ClientProtocol protocol.",
	    "unknown method");
	reply_free(&r);
	pr.protocol = "org.apache.hadoop.hdfs.protocol.NoSuchProtocol";
	probe_call(&pr, "getFileInfo", &gfi.base, &r);
	expect_error(&r, ST_ERROR,
	    E_NOPROTOCOL,
	    "org.apache.hadoop.ipc.RpcNoSuchProtocolException",
	    "Unknown protocol: org.apache.hadoop.hdfs.protocol.NoSuchProtocol",
	    "unknown protocol");
	reply_free(&r);
	pr.protocol = PROBE_PROTOCOL;
	pr.version = 2;
	probe_call(&pr, "getFileInfo", &gfi.base, &r);
	expect_error(&r, ST_ERROR,
	    E_VERSION,
	    "org.apache.hadoop.ipc.RPC$VersionMismatch",
	    "Protocol org.apache.hadoop.hdfs.protocol.ClientProtocol version "
	    "mismatch. (client = 2, server = 1)", "wrong protocol version");
	reply_free(&r);
	close(pr.fd);

	/* A call before the context is FATAL and ends the connection. */
	probe_open(&pr, probe_nn, false, false);
	probe_call(&pr, "getFileInfo", &gfi.base, &r);
	expect_error(&r, ST_FATAL,
	    F_HEADER,
	    "org.apache.hadoop.ipc.RpcServerException",
	    "Connection context not established", "call before the context");
	reply_free(&r);
	expect_eof(pr.fd, "call before the context");
	close(pr.fd);

	/* A header without rpcOp. */
	probe_open(&pr, probe_nn, false, true);
	pr.no_rpcop = true;
	probe_call(&pr, "getFileInfo", &gfi.base, &r);
	expect_error(&r, ST_FATAL,
	    F_HEADER,
	    "org.apache.hadoop.ipc.RpcServerException",
	    " IPC Server: No rpc op in rpcRequestHeader",
	    "header without rpcOp");
	reply_free(&r);
	expect_eof(pr.fd, "header without rpcOp");
	close(pr.fd);

	/* A header missing its required callId and clientId. */
	probe_open(&pr, probe_nn, false, true);
	probe_send(pr.fd, "\x00\x00\x00\x05\x04\x08\x02\x10\x00", 9);
	if (probe_read(&pr, &r) == 0) {
		check(r.h->status ==
		    ST_FATAL &&
		    r.h->errordetail ==
		    F_DECODE &&
		    r.h->errormsg != NULL && strstr(r.h->errormsg,
		    "Message missing required fields: callId, clientId") !=
		    NULL, "header without callId/clientId: "
		    "FATAL_DESERIALIZING_REQUEST (%s)",
		    r.h->errormsg != NULL ? r.h->errormsg : "-");
		reply_free(&r);
	} else
		check(false, "header without callId/clientId: a FATAL reply");
	expect_eof(pr.fd, "header without callId");
	close(pr.fd);

	/* SASL as a SIMPLE-auth NameNode does it. */
	probe_open(&pr, probe_nn, true, false);
	sasl.state = HD__RPC_SASL_PROTO__SASL_STATE__NEGOTIATE;
	m = &sasl.base;
	probe_frame(&pr, -33, &m, 1);
	if (probe_read(&pr, &r) == -1) {
		check(false, "SASL NEGOTIATE answered");
		exit(1);
	}
	expect_success(&r, "SASL NEGOTIATE");
	check(r.h->callid == 0xffffffdfu && r.h->has_clientid &&
	    r.h->clientid.len == 0 && r.h->retrycount == -1,
	    "SASL reply: call id -33, empty client id, retry -1");
	sr = (Hd__RpcSaslProto *)reply_body(&r,
	    &hd__rpc_sasl_proto__descriptor);
	check(sr->state == HD__RPC_SASL_PROTO__SASL_STATE__NEGOTIATE &&
	    sr->n_auths == 2 && strcmp(sr->auths[0]->method, "TOKEN") == 0 &&
	    strcmp(sr->auths[0]->mechanism, "DIGEST-MD5") == 0 &&
	    sr->auths[0]->serverid != NULL &&
	    strcmp(sr->auths[0]->serverid, "default") == 0 &&
	    sr->auths[0]->has_challenge &&
	    memcmp(sr->auths[0]->challenge.data, "realm=\"default\",nonce=\"",
	    23) == 0 && strcmp(sr->auths[1]->method, "SIMPLE") == 0 &&
	    strcmp(sr->auths[1]->mechanism, "") == 0,
	    "NEGOTIATE offers TOKEN (DIGEST-MD5) then SIMPLE");
	protobuf_c_message_free_unpacked(&sr->base, NULL);
	reply_free(&r);
	sasl.state = HD__RPC_SASL_PROTO__SASL_STATE__INITIATE;
	simple.method = "SIMPLE";
	simple.mechanism = "";
	sasl.n_auths = 1;
	sasl.auths = auths;
	probe_frame(&pr, -33, &m, 1);
	ui.effectiveuser = "prober";
	ctx.userinfo = &ui;
	ctx.protocol = PROBE_PROTOCOL;
	m = &ctx.base;
	probe_frame(&pr, -3, &m, 1);
	probe_call(&pr, "getFileInfo", &gfi.base, &r);
	expect_success(&r,
	    "getFileInfo after INITIATE(SIMPLE), no reply to it");
	check(r.h->callid == 1, "the next reply is the call's (%u)",
	    r.h->callid);
	reply_free(&r);
	close(pr.fd);

	/* The context sent in the middle of SASL. */
	probe_open(&pr, probe_nn, true, false);
	sasl.state = HD__RPC_SASL_PROTO__SASL_STATE__NEGOTIATE;
	sasl.n_auths = 0;
	m = &sasl.base;
	probe_frame(&pr, -33, &m, 1);
	if (probe_read(&pr, &r) == 0)
		reply_free(&r);
	m = &ctx.base;
	probe_frame(&pr, -3, &m, 1);
	if (probe_read(&pr, &r) == 0) {
		expect_error(&r,
		    ST_FATAL,
		    F_HEADER,
		    "org.apache.hadoop.ipc.RpcServerException",
		    "Connection header sent during SASL negotiation",
		    "context during SASL");
		check((int32_t)r.h->callid == -3, "FATAL names call -3");
		reply_free(&r);
	} else
		check(false, "context during SASL: a FATAL reply");
	expect_eof(pr.fd, "context during SASL");
	close(pr.fd);
}

static Hd__FsPermissionProto	 perm644 = { PROTOBUF_C_MESSAGE_INIT(
    &hd__fs_permission_proto__descriptor), 0644 };

static void
probe_create(struct probe *pr, const char *src, const char *client,
    uint64_t bs, struct reply *r)
{
	Hd__CreateRequestProto	 c = HD__CREATE_REQUEST_PROTO__INIT;

	c.src = (char *)src;
	c.masked = &perm644;
	c.clientname = (char *)client;
	c.createflag = 1;
	c.createparent = 1;
	c.replication = 1;
	c.blocksize = bs;
	probe_call(pr, "create", &c.base, r);
}

/* The NameNode's answers, checked against those of the real one. */
static void
scenario_nn_errors(void)
{
	Hd__MkdirsRequestProto		 mk = HD__MKDIRS_REQUEST_PROTO__INIT;
	Hd__DeleteRequestProto		 del = HD__DELETE_REQUEST_PROTO__INIT;
	Hd__Rename2RequestProto		 rn = HD__RENAME2_REQUEST_PROTO__INIT;
	Hd__GetListingRequestProto	 ls =
	    HD__GET_LISTING_REQUEST_PROTO__INIT;
	Hd__GetBlockLocationsRequestProto bl =
	    HD__GET_BLOCK_LOCATIONS_REQUEST_PROTO__INIT;
	Hd__AddBlockRequestProto	 ab = HD__ADD_BLOCK_REQUEST_PROTO__INIT;
	Hd__CompleteRequestProto	 co = HD__COMPLETE_REQUEST_PROTO__INIT;
	Hd__DeleteResponseProto		*dr;
	Hd__CompleteResponseProto	*cr;
	struct probe			 pr;
	struct reply			 r;

	probe_open(&pr, probe_nn, false, true);
	mk.src = "/cap/d";
	mk.masked = &perm644;
	mk.createparent = 1;
	probe_call(&pr, "mkdirs", &mk.base, &r);
	expect_success(&r, "mkdirs -p /cap/d");
	reply_free(&r);
	probe_create(&pr, "/cap/g1000", "raw-client-1", 1048576, &r);
	expect_success(&r, "create /cap/g1000");
	reply_free(&r);
	co.src = "/cap/g1000";
	co.clientname = "raw-client-1";
	probe_call(&pr, "complete", &co.base, &r);
	cr = (Hd__CompleteResponseProto *)reply_body(&r,
	    &hd__complete_response_proto__descriptor);
	check(cr->result, "complete of an empty file: true");
	protobuf_c_message_free_unpacked(&cr->base, NULL);
	reply_free(&r);

	probe_create(&pr, "/cap/g1000", "raw-client-1", 1048576, &r);
	expect_error(&r, ST_ERROR,
	    E_APP,
	    "org.apache.hadoop.fs.FileAlreadyExistsException",
	    "/cap/g1000 for client 127.0.0.1 already exists",
	    "create existing");
	reply_free(&r);
	mk.src = "/cap/g1000/x";
	mk.createparent = 0;
	expect_app_error(&pr, "mkdirs", &mk.base,
	    "org.apache.hadoop.fs.ParentNotDirectoryException",
	    "/cap/g1000 (is not a directory)");
	mk.src = "/nope/x";
	expect_app_error(&pr, "mkdirs", &mk.base,
	    "java.io.FileNotFoundException",
	    "Parent directory doesn't exist: /nope");
	ls.src = "/nope";
	probe_call(&pr, "getListing", &ls.base, &r);
	check(r.h->status == 0 && r.has_body && r.body.len == 0,
	    "getListing of a missing path: SUCCESS, empty body");
	reply_free(&r);
	del.src = "/nope";
	probe_call(&pr, "delete", &del.base, &r);
	dr = (Hd__DeleteResponseProto *)reply_body(&r,
	    &hd__delete_response_proto__descriptor);
	check(!dr->result, "delete of a missing path: false");
	protobuf_c_message_free_unpacked(&dr->base, NULL);
	reply_free(&r);
	bl.src = "/nope";
	bl.length = 10;
	expect_app_error(&pr, "getBlockLocations", &bl.base,
	    "java.io.FileNotFoundException", "File does not exist: /nope");
	probe_create(&pr, "/cap/small", "raw-client-1", 1000, &r);
	expect_error(&r, ST_ERROR,
	    E_APP,
	    "java.io.IOException", "Specified block size is less than "
	    "configured minimum value (dfs.namenode.fs-limits.min-block-size): "
	    "1000 < 1048576", "create with a 1000-byte block size");
	reply_free(&r);
	rn.src = "/cap/g1000";
	rn.dst = "/cap/g1000";
	expect_app_error(&pr, "rename2", &rn.base,
	    "org.apache.hadoop.fs.FileAlreadyExistsException",
	    "The source /cap/g1000 and destination /cap/g1000 are the same");
	rn.dst = "/cap/d";
	expect_app_error(&pr, "rename2", &rn.base,
	    "org.apache.hadoop.fs.FileAlreadyExistsException",
	    "rename destination /cap/d already exists");
	ab.src = "/cap/g1000";
	ab.clientname = "raw-client-1";
	expect_app_error(&pr, "addBlock", &ab.base,
	    "org.apache.hadoop.hdfs.server.namenode.LeaseExpiredException",
	    "File is not open for writing: /cap/g1000 (inode 0) Holder "
	    "raw-client-1 does not have any open files.");
	del.src = "/cap";
	expect_app_error(&pr, "delete", &del.base,
	    "org.apache.hadoop.fs.PathIsNotEmptyDirectoryException",
	    "`/cap is non empty': Directory is not empty");

	/* Leases: a second writer, and another client's addBlock. */
	probe_create(&pr, "/cap/open", "writer-a", 1048576, &r);
	expect_success(&r, "create /cap/open by writer-a");
	reply_free(&r);
	probe_create(&pr, "/cap/open", "writer-b", 1048576, &r);
	expect_error(&r, ST_ERROR,
	    E_APP,
	    "org.apache.hadoop.hdfs.protocol.AlreadyBeingCreatedException",
	    "Failed to CREATE_FILE /cap/open for writer-b on 127.0.0.1 because "
	    "this file lease is currently owned by writer-a on 127.0.0.1",
	    "create of a file another client writes");
	reply_free(&r);
	ab.src = "/cap/open";
	ab.clientname = "writer-b";
	expect_app_error(&pr, "addBlock", &ab.base,
	    "org.apache.hadoop.hdfs.server.namenode.LeaseExpiredException",
	    "Client (=writer-b) is not the lease owner (=writer-a: /cap/open "
	    "(inode 0) Holder writer-b does not have any open files.");
	close(pr.fd);
}

/* The fault switches: --not-replicated-yet 2 --complete-false 2. */
static void
scenario_nn_faults(void)
{
	Hd__AddBlockRequestProto	 ab = HD__ADD_BLOCK_REQUEST_PROTO__INIT;
	Hd__CompleteRequestProto	 co = HD__COMPLETE_REQUEST_PROTO__INIT;
	Hd__CompleteResponseProto	*cr;
	Hd__AddBlockResponseProto	*ar;
	struct probe			 pr;
	struct reply			 r;
	int				 i;

	probe_open(&pr, probe_nn, false, true);
	probe_create(&pr, "/nry", "raw-client-1", 1048576, &r);
	expect_success(&r, "create /nry");
	reply_free(&r);
	ab.src = "/nry";
	ab.clientname = "raw-client-1";
	for (i = 0; i < 2; i++)
		expect_app_error(&pr, "addBlock", &ab.base,
		    "org.apache.hadoop.hdfs.server.namenode."
		    "NotReplicatedYetException", "Not replicated yet: /nry");
	probe_call(&pr, "addBlock", &ab.base, &r);
	expect_success(&r, "the third addBlock");
	ar = (Hd__AddBlockResponseProto *)reply_body(&r,
	    &hd__add_block_response_proto__descriptor);
	check(ar->block->b->blockid == 1073741825 &&
	    ar->block->b->generationstamp == 1001 && ar->block->n_locs == 1 &&
	    ar->block->offset == 0,
	    "first block 1073741825, GS 1001, 1 location");
	protobuf_c_message_free_unpacked(&ar->base, NULL);
	reply_free(&r);
	/* A retry of the same addBlock gets the same block back. */
	probe_call(&pr, "addBlock", &ab.base, &r);
	ar = (Hd__AddBlockResponseProto *)reply_body(&r,
	    &hd__add_block_response_proto__descriptor);
	check(ar->block->b->blockid == 1073741825,
	    "a retried addBlock returns the same empty block");
	protobuf_c_message_free_unpacked(&ar->base, NULL);
	reply_free(&r);

	probe_create(&pr, "/cf", "raw-client-1", 1048576, &r);
	reply_free(&r);
	co.src = "/cf";
	co.clientname = "raw-client-1";
	for (i = 0; i < 3; i++) {
		probe_call(&pr, "complete", &co.base, &r);
		cr = (Hd__CompleteResponseProto *)reply_body(&r,
		    &hd__complete_response_proto__descriptor);
		check(cr->result == (i == 2), "complete #%d: %s", i + 1,
		    i == 2 ? "true" : "false");
		protobuf_c_message_free_unpacked(&cr->base, NULL);
		reply_free(&r);
	}
	close(pr.fd);
}

/* --standby: every ClientProtocol call refused; --safe-mode: writes. */
static void
scenario_nn_standby(bool standby)
{
	Hd__GetFileInfoRequestProto	 gfi =
	    HD__GET_FILE_INFO_REQUEST_PROTO__INIT;
	Hd__MkdirsRequestProto		 mk = HD__MKDIRS_REQUEST_PROTO__INIT;
	struct probe			 pr;
	struct reply			 r;

	probe_open(&pr, probe_nn, false, true);
	gfi.src = "/";
	mk.src = "/x";
	mk.masked = &perm644;
	if (standby) {
		expect_app_error(&pr, "getFileInfo", &gfi.base,
		    "org.apache.hadoop.ipc.StandbyException",
		    "Operation category READ is not supported in state "
		    "standby. Visit https://s.apache.org/sbnn-error");
		expect_app_error(&pr, "mkdirs", &mk.base,
		    "org.apache.hadoop.ipc.StandbyException",
		    "Operation category WRITE is not supported in state "
		    "standby. Visit https://s.apache.org/sbnn-error");
	} else {
		probe_call(&pr, "getFileInfo", &gfi.base, &r);
		expect_success(&r, "getFileInfo in safe mode");
		reply_free(&r);
		expect_app_error(&pr, "mkdirs", &mk.base,
		    "org.apache.hadoop.hdfs.server.namenode.SafeModeException",
		    "Cannot create directory /x. Name node is in safe mode.");
	}
	close(pr.fd);
}

/* --retriable 2: the first two changes are to be retried. */
static void
scenario_nn_retriable(void)
{
	Hd__MkdirsRequestProto	 mk = HD__MKDIRS_REQUEST_PROTO__INIT;
	Hd__GetFileInfoRequestProto gfi = HD__GET_FILE_INFO_REQUEST_PROTO__INIT;
	struct probe		 pr;
	struct reply		 r;

	probe_open(&pr, probe_nn, false, true);
	gfi.src = "/";
	probe_call(&pr, "getFileInfo", &gfi.base, &r);
	expect_success(&r, "a read is not held back");
	reply_free(&r);
	mk.src = "/x";
	mk.masked = &perm644;
	expect_app_error(&pr, "mkdirs", &mk.base,
	    "org.apache.hadoop.ipc.RetriableException",
	    "org.apache.hadoop.hdfs.server.namenode.SafeModeException: Cannot "
	    "create directory /x. Name node is in safe mode.");
	expect_app_error(&pr, "mkdirs", &mk.base,
	    "org.apache.hadoop.ipc.RetriableException",
	    "org.apache.hadoop.hdfs.server.namenode.SafeModeException: Cannot "
	    "create directory /x. Name node is in safe mode.");
	probe_call(&pr, "mkdirs", &mk.base, &r);
	expect_success(&r, "the third mkdirs");
	reply_free(&r);
	close(pr.fd);
}

/* --idle-close-ms N: a connection silent for N ms is closed. */
static void
scenario_nn_idle(unsigned ms)
{
	Hd__GetFileInfoRequestProto	 gfi =
	    HD__GET_FILE_INFO_REQUEST_PROTO__INIT;
	struct probe			 pr;
	struct reply			 r;
	uint64_t			 t0, dt;

	probe_open(&pr, probe_nn, false, true);
	gfi.src = "/";
	probe_call(&pr, "getFileInfo", &gfi.base, &r);
	expect_success(&r, "a call on a fresh connection");
	reply_free(&r);
	t0 = clock_mono_ms();
	expect_eof(pr.fd, "an idle connection");
	dt = clock_mono_ms() - t0;
	check(dt + 50 >= ms && dt < ms + 5000, "closed after %" PRIu64
	    " ms idle, about %u", dt, ms);
	close(pr.fd);
}

/* --slow-ms N: a call takes at least N ms. */
static void
scenario_nn_slow(unsigned ms)
{
	Hd__GetFileInfoRequestProto	 gfi =
	    HD__GET_FILE_INFO_REQUEST_PROTO__INIT;
	struct probe			 pr;
	struct reply			 r;
	uint64_t			 t0, dt;

	probe_open(&pr, probe_nn, false, true);
	gfi.src = "/";
	t0 = clock_mono_ms();
	probe_call(&pr, "getFileInfo", &gfi.base, &r);
	dt = clock_mono_ms() - t0;
	expect_success(&r, "slow getFileInfo");
	check(dt >= ms && dt < ms + 5000, "the reply took %" PRIu64 " ms, "
	    "at least %u", dt, ms);
	reply_free(&r);
	close(pr.fd);
}

/* DataNode side. */

static Hd__TokenProto	empty_token = { PROTOBUF_C_MESSAGE_INIT(
    &hd__token_proto__descriptor), { 0, (uint8_t *)"" },
    { 0, (uint8_t *)"" }, "", "" };

static void
probe_pattern(uint8_t *p, size_t n, size_t off)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)((off + i) * 7 + 3);
}

/* Allocates a block for a new file; returns the addBlock reply. */
static Hd__AddBlockResponseProto *
probe_new_block(struct probe *pr, const char *src)
{
	Hd__AddBlockRequestProto	 ab = HD__ADD_BLOCK_REQUEST_PROTO__INIT;
	struct reply			 r;
	Hd__AddBlockResponseProto	*ar;

	probe_create(pr, src, "raw-writer", 1048576, &r);
	expect_success(&r, "create");
	reply_free(&r);
	ab.src = (char *)src;
	ab.clientname = "raw-writer";
	probe_call(pr, "addBlock", &ab.base, &r);
	expect_success(&r, "addBlock");
	ar = (Hd__AddBlockResponseProto *)reply_body(&r,
	    &hd__add_block_response_proto__descriptor);
	reply_free(&r);
	return ar;
}

/* Opens a DataNode connection and sends WRITE_BLOCK for blk. */
static int
probe_write_op(Hd__ExtendedBlockProto *blk, bool complete_op)
{
	Hd__OpWriteBlockProto		 op = HD__OP_WRITE_BLOCK_PROTO__INIT;
	Hd__ClientOperationHeaderProto	 ch =
	    HD__CLIENT_OPERATION_HEADER_PROTO__INIT;
	Hd__BaseHeaderProto		 bh = HD__BASE_HEADER_PROTO__INIT;
	Hd__ChecksumProto		 cs = HD__CHECKSUM_PROTO__INIT;
	struct buf			 b;
	int				 fd;

	bh.block = blk;
	bh.token = &empty_token;
	ch.baseheader = &bh;
	ch.clientname = "raw-writer";
	op.header = &ch;
	op.stage =
	    STAGE_CREATE;
	cs.type = HD__CHECKSUM_TYPE_PROTO__CHECKSUM_CRC32C;
	cs.bytesperchecksum = 512;
	if (complete_op)
		op.requestedchecksum = &cs;
	fd = probe_connect(probe_dn);
	buf_init(&b);
	buf_append(&b, "\x00\x1c\x50", 3);
	if (complete_op)
		wire_append_delimited(&b, &op.base);
	else {
		/* Packed by hand: protobuf-c refuses to pack it. */
		uint8_t		 vb[WIRE_VARINT_MAX];
		struct buf	 m;

		op.requestedchecksum = &cs;
		buf_init(&m);
		buf_reserve(&m, protobuf_c_message_get_packed_size(&op.base));
		m.len = protobuf_c_message_pack(&op.base, (uint8_t *)m.data);
		/* requestedChecksum is field 9, the last one: cut it. */
		m.len -= 2 + protobuf_c_message_get_packed_size(&cs.base);
		buf_append(&b, vb, wire_varint_put(vb, m.len));
		buf_append(&b, m.data, m.len);
		buf_clear(&m);
	}
	probe_send(fd, b.data, b.len);
	buf_clear(&b);
	return fd;
}

static bool
probe_connect_ack(int fd)
{
	struct buf	 b;
	struct error	 err;
	bool		 ok;

	buf_init(&b);
	ok = wire_read_delimited(fd, &b, 4096, wire_deadline(PROBE_TIMEOUT),
	    &err) == 0 && b.len == 4 &&
	    memcmp(b.data, "\x08\x00\x12\x00", 4) == 0;
	check(ok, "connect-ack is exactly 04 08 00 12 00");
	buf_clear(&b);
	return ok;
}

static void
probe_packet(int fd, int64_t off, int64_t seq, const uint8_t *data,
    int32_t len, bool last, bool corrupt)
{
	struct packet_header	 h = { off, seq, last, len, false };
	struct buf		 b;

	buf_init(&b);
	packet_append(&b, &h, PACKET_CSUM_CRC32C, 512, data);
	if (corrupt)
		b.data[b.len - 1] ^= 1;
	probe_send(fd, b.data, b.len);
	buf_clear(&b);
}

/* Reads one ack; returns its first reply status or -1 at EOF. */
static int
probe_ack(int fd, int64_t *seq)
{
	struct buf		 b;
	struct error		 err;
	Hd__PipelineAckProto	*a;
	int			 st;

	buf_init(&b);
	if (wire_read_delimited(fd, &b, 4096, wire_deadline(PROBE_TIMEOUT),
	    &err) == -1) {
		buf_clear(&b);
		return -1;
	}
	a = (Hd__PipelineAckProto *)wire_unpack(
	    &hd__pipeline_ack_proto__descriptor, (uint8_t *)b.data, b.len,
	    &err);
	if (a == NULL || a->n_reply == 0) {
		check(false, "ack parses: %s", err.msg);
		exit(1);
	}
	*seq = a->seqno;
	st = a->reply[0];
	protobuf_c_message_free_unpacked(&a->base, NULL);
	buf_clear(&b);
	return st;
}

static void
scenario_dn(void)
{
	Hd__AddBlockResponseProto	*ar;
	Hd__CompleteRequestProto	 co = HD__COMPLETE_REQUEST_PROTO__INIT;
	Hd__CompleteResponseProto	*cr;
	Hd__OpReadBlockProto		 rop = HD__OP_READ_BLOCK_PROTO__INIT;
	Hd__ClientOperationHeaderProto	 ch =
	    HD__CLIENT_OPERATION_HEADER_PROTO__INIT;
	Hd__BaseHeaderProto		 bh = HD__BASE_HEADER_PROTO__INIT;
	Hd__BlockOpResponseProto	*resp;
	Hd__ExtendedBlockProto		*blk, missing;
	struct packet_header		 h;
	struct probe			 pr;
	struct reply			 r;
	struct buf			 b;
	struct error			 err;
	static uint8_t			 data[70000], got[70000];
	uint8_t				 prefix[6];
	uint32_t			 plen;
	uint16_t			 hlen;
	size_t				 clen, have;
	int64_t				 seq;
	int				 fd, st;

	probe_pattern(data, sizeof data, 0);
	probe_open(&pr, probe_nn, false, true);
	ar = probe_new_block(&pr, "/w");
	blk = ar->block->b;

	/* WRITE_BLOCK without its required requestedChecksum. */
	fd = probe_write_op(blk, false);
	expect_eof(fd, "WRITE_BLOCK without requestedChecksum: no reply,");
	close(fd);

	/* A packet with a wrong checksum: ERROR_CHECKSUM, then close. */
	fd = probe_write_op(blk, true);
	if (probe_connect_ack(fd)) {
		probe_packet(fd, 0, 0, data, 1000, false, true);
		st = probe_ack(fd, &seq);
		check(st == HD__STATUS__ERROR_CHECKSUM && seq == 0,
		    "a corrupt packet is acked ERROR_CHECKSUM (got %d)", st);
		expect_eof(fd, "after ERROR_CHECKSUM");
	}
	close(fd);

	/* A packet out of sequence: no ack for it, the connection ends. */
	fd = probe_write_op(blk, true);
	if (probe_connect_ack(fd)) {
		probe_packet(fd, 0, 0, data, 1024, false, false);
		st = probe_ack(fd, &seq);
		check(st == HD__STATUS__SUCCESS && seq == 0, "packet 0 acked");
		probe_packet(fd, 2048, 1, data + 2048, 512, false, false);
		check(probe_ack(fd, &seq) == -1,
		    "a packet past the received bytes is not acked, the "
		    "connection ends");
	}
	close(fd);

	/* A good write: 64512 + 5488 bytes and the empty last packet. */
	fd = probe_write_op(blk, true);
	if (probe_connect_ack(fd)) {
		probe_packet(fd, 0, 0, data, 64512, false, false);
		probe_packet(fd, 64512, 1, data + 64512, 5488, false, false);
		probe_packet(fd, 70000, 2, NULL, 0, true, false);
		for (int i = 0; i < 3; i++) {
			st = probe_ack(fd, &seq);
			check(st == HD__STATUS__SUCCESS && seq == i,
			    "ack %d in order, SUCCESS", i);
		}
	}
	close(fd);
	blk->numbytes = 70000;
	co.src = "/w";
	co.clientname = "raw-writer";
	co.last = blk;
	probe_call(&pr, "complete", &co.base, &r);
	cr = (Hd__CompleteResponseProto *)reply_body(&r,
	    &hd__complete_response_proto__descriptor);
	check(cr->result, "complete after the last ack: true at once");
	protobuf_c_message_free_unpacked(&cr->base, NULL);
	reply_free(&r);

	/* READ_BLOCK from an unaligned offset. */
	bh.block = blk;
	bh.token = &empty_token;
	ch.baseheader = &bh;
	ch.clientname = "raw-reader";
	rop.header = &ch;
	rop.offset = 1000;
	rop.len = 65000;
	fd = probe_connect(probe_dn);
	buf_init(&b);
	buf_append(&b, "\x00\x1c\x51", 3);
	wire_append_delimited(&b, &rop.base);
	probe_send(fd, b.data, b.len);
	if (wire_read_delimited(fd, &b, 4096, wire_deadline(PROBE_TIMEOUT),
	    &err) == -1) {
		check(false, "READ_BLOCK answered: %s", err.msg);
		exit(1);
	}
	resp = (Hd__BlockOpResponseProto *)wire_unpack(
	    &hd__block_op_response_proto__descriptor, (uint8_t *)b.data, b.len,
	    &err);
	check(resp != NULL && resp->status == HD__STATUS__SUCCESS &&
	    resp->readopchecksuminfo != NULL &&
	    resp->readopchecksuminfo->chunkoffset == 512 &&
	    resp->readopchecksuminfo->checksum->type ==
	    HD__CHECKSUM_TYPE_PROTO__CHECKSUM_CRC32C &&
	    resp->firstbadlink == NULL,
	    "READ_BLOCK: SUCCESS, CRC32C/512 from chunk offset 512");
	if (resp != NULL)
		protobuf_c_message_free_unpacked(&resp->base, NULL);
	have = 0;
	for (seq = 0;; seq++) {
		if (wire_read_full(fd, prefix, 6, wire_deadline(PROBE_TIMEOUT),
		    &err) == -1 || packet_prefix_decode(prefix, &plen, &hlen,
		    &err) == -1)
			break;
		buf_reset(&b);
		buf_reserve(&b, hlen + plen);
		if (wire_read_full(fd, b.data, hlen + plen - 4,
		    wire_deadline(PROBE_TIMEOUT), &err) == -1 ||
		    packet_header_decode((uint8_t *)b.data, hlen, &h,
		    &err) == -1 || packet_payload_split(&h, plen,
		    PACKET_CSUM_CRC32C, 512, &clen, &err) == -1 ||
		    packet_csum_verify(PACKET_CSUM_CRC32C, 512,
		    (uint8_t *)b.data + hlen + clen, (size_t)h.datalen,
		    (uint8_t *)b.data + hlen, NULL, &err) == -1)
			break;
		if (h.seqno != seq || h.offset != (int64_t)(512 + have))
			break;
		if (h.last)
			break;
		if (have + (size_t)h.datalen > sizeof got)
			break;
		memcpy(got + have, b.data + hlen + clen, (size_t)h.datalen);
		have += (size_t)h.datalen;
	}
	/* 512 .. 66048: the requested range widened to whole chunks. */
	check(h.last && have == 65536 &&
	    memcmp(got, data + 512, have) == 0,
	    "READ_BLOCK: %zu bytes in verified packets from 512, seqnos in "
	    "order, then the empty last packet", have);
	probe_send(fd, "\x02\x08\x06", 3);
	close(fd);

	/* A block the DataNode does not have. */
	missing = *blk;
	missing.blockid = 42;
	bh.block = &missing;
	rop.offset = 0;
	rop.len = 10;
	fd = probe_connect(probe_dn);
	buf_reset(&b);
	buf_append(&b, "\x00\x1c\x51", 3);
	wire_append_delimited(&b, &rop.base);
	probe_send(fd, b.data, b.len);
	resp = NULL;
	if (wire_read_delimited(fd, &b, 4096, wire_deadline(PROBE_TIMEOUT),
	    &err) == 0)
		resp = (Hd__BlockOpResponseProto *)wire_unpack(
		    &hd__block_op_response_proto__descriptor,
		    (uint8_t *)b.data, b.len, &err);
	check(resp != NULL && resp->status == HD__STATUS__ERROR &&
	    resp->message != NULL && strstr(resp->message,
	    "ReplicaNotFoundException: Replica not found for ") != NULL,
	    "READ_BLOCK of an unknown block: ERROR, ReplicaNotFoundException");
	if (resp != NULL)
		protobuf_c_message_free_unpacked(&resp->base, NULL);
	close(fd);

	/* Another protocol version. */
	fd = probe_connect(probe_dn);
	probe_send(fd, "\x00\x1b\x51", 3);
	expect_eof(fd, "data transfer version 27: no reply,");
	close(fd);

	buf_clear(&b);
	protobuf_c_message_free_unpacked(&ar->base, NULL);
	close(pr.fd);
}

/* --lease-hard-ms 1500: a silent writer loses its file, a renewing one not. */
static void
scenario_lease(void)
{
	Hd__AddBlockRequestProto	 ab = HD__ADD_BLOCK_REQUEST_PROTO__INIT;
	Hd__RenewLeaseRequestProto	 rl =
	    HD__RENEW_LEASE_REQUEST_PROTO__INIT;
	struct probe			 pr;
	struct reply			 r;
	int				 i;

	probe_open(&pr, probe_nn, false, true);
	probe_create(&pr, "/silent", "sleepy", 1048576, &r);
	expect_success(&r, "create /silent");
	reply_free(&r);
	probe_create(&pr, "/busy", "renewer", 1048576, &r);
	expect_success(&r, "create /busy");
	reply_free(&r);
	rl.clientname = "renewer";
	for (i = 0; i < 7; i++) {
		usleep(300000);
		probe_call(&pr, "renewLease", &rl.base, &r);
		expect_success(&r, "renewLease");
		reply_free(&r);
	}
	ab.src = "/silent";
	ab.clientname = "sleepy";
	expect_app_error(&pr, "addBlock", &ab.base,
	    "org.apache.hadoop.hdfs.server.namenode.LeaseExpiredException",
	    "File is not open for writing: /silent (inode 0) Holder sleepy "
	    "does not have any open files.");
	ab.src = "/busy";
	ab.clientname = "renewer";
	probe_call(&pr, "addBlock", &ab.base, &r);
	expect_success(&r, "addBlock by the writer that renewed its lease");
	reply_free(&r);
	close(pr.fd);
}

/*
 * Stream details: a heartbeat (seqno -1) is acked and changes nothing; a
 * packet may resend from the chunk boundary before the bytes received
 * (hflush of a partial chunk), but not from elsewhere.
 */
static void
scenario_dn_stream(void)
{
	Hd__AddBlockResponseProto	*ar;
	Hd__CompleteRequestProto	 co = HD__COMPLETE_REQUEST_PROTO__INIT;
	Hd__CompleteResponseProto	*cr;
	Hd__ExtendedBlockProto		*blk;
	struct probe			 pr;
	struct reply			 r;
	static uint8_t			 data[2048];
	int64_t				 seq, want[4] = { 0, -1, 1, 2 };
	int				 fd, st, i;

	probe_pattern(data, sizeof data, 0);
	probe_open(&pr, probe_nn, false, true);
	ar = probe_new_block(&pr, "/stream");
	blk = ar->block->b;

	/* Overlap off a chunk boundary: refused. */
	fd = probe_write_op(blk, true);
	if (probe_connect_ack(fd)) {
		probe_packet(fd, 0, 0, data, 700, false, false);
		probe_packet(fd, 100, 1, data + 100, 700, false, false);
		st = probe_ack(fd, &seq);
		check(st == HD__STATUS__SUCCESS && seq == 0, "packet 0 acked");
		check(probe_ack(fd, &seq) == -1,
		    "a resend from offset 100 (not a chunk boundary) is "
		    "refused");
	}
	close(fd);

	fd = probe_write_op(blk, true);
	if (probe_connect_ack(fd)) {
		probe_packet(fd, 0, 0, data, 700, false, false);
		probe_packet(fd, 0, -1, NULL, 0, false, false);
		probe_packet(fd, 512, 1, data + 512, 700, false, false);
		probe_packet(fd, 1212, 2, NULL, 0, true, false);
		for (i = 0; i < 4; i++) {
			st = probe_ack(fd, &seq);
			check(st == HD__STATUS__SUCCESS && seq == want[i],
			    "ack %d: seqno %" PRId64 " (want %" PRId64 ")", i,
			    seq, want[i]);
		}
	}
	close(fd);
	blk->numbytes = 1212;
	co.src = "/stream";
	co.clientname = "raw-writer";
	co.last = blk;
	probe_call(&pr, "complete", &co.base, &r);
	cr = (Hd__CompleteResponseProto *)reply_body(&r,
	    &hd__complete_response_proto__descriptor);
	check(cr->result, "complete with the length after the resend: true");
	protobuf_c_message_free_unpacked(&cr->base, NULL);
	reply_free(&r);
	protobuf_c_message_free_unpacked(&ar->base, NULL);
	close(pr.fd);
}

/*
 * Block bookkeeping a writer relies on after a DataNode failure: abandon
 * the new block, ask again excluding the bad node; stale or foreign
 * blocks in previous/last are refused; delete of an open file ends it.
 * Needs --datanodes 2.
 */
static void
scenario_nn_blocks(void)
{
	Hd__AddBlockRequestProto	 ab = HD__ADD_BLOCK_REQUEST_PROTO__INIT;
	Hd__AbandonBlockRequestProto	 ad =
	    HD__ABANDON_BLOCK_REQUEST_PROTO__INIT;
	Hd__CompleteRequestProto	 co = HD__COMPLETE_REQUEST_PROTO__INIT;
	Hd__DeleteRequestProto		 del = HD__DELETE_REQUEST_PROTO__INIT;
	Hd__AddBlockResponseProto	*first, *second;
	Hd__DatanodeInfoProto		*excl[1];
	Hd__ExtendedBlockProto		 stale;
	struct probe			 pr;
	struct reply			 r;
	char				 want[256];
	uint32_t			 port0;

	probe_open(&pr, probe_nn, false, true);
	first = probe_new_block(&pr, "/ab");
	check(first->block->n_locs == 1, "replication 1: one location");
	port0 = first->block->locs[0]->id->xferport;
	ad.b = first->block->b;
	ad.src = "/ab";
	ad.holder = "raw-writer";
	probe_call(&pr, "abandonBlock", &ad.base, &r);
	expect_success(&r, "abandonBlock of the new block");
	reply_free(&r);
	excl[0] = first->block->locs[0];
	ab.src = "/ab";
	ab.clientname = "raw-writer";
	ab.n_excludenodes = 1;
	ab.excludenodes = excl;
	probe_call(&pr, "addBlock", &ab.base, &r);
	expect_success(&r, "addBlock excluding the first DataNode");
	second = (Hd__AddBlockResponseProto *)reply_body(&r,
	    &hd__add_block_response_proto__descriptor);
	check(second->block->n_locs == 1 &&
	    second->block->locs[0]->id->xferport != port0 &&
	    second->block->b->blockid != first->block->b->blockid &&
	    second->block->b->generationstamp >
	    first->block->b->generationstamp && second->block->offset == 0,
	    "a new block on the other DataNode, new id and stamp, offset 0");
	reply_free(&r);

	/* complete naming a block with a stale stamp. */
	stale = *second->block->b;
	stale.generationstamp--;
	co.src = "/ab";
	co.clientname = "raw-writer";
	co.last = &stale;
	snprintf(want, sizeof want, "Cannot complete /ab: last block "
	    "%s:blk_%" PRIu64 "_%" PRIu64 " does not match the file's last "
	    "block", second->block->b->poolid, second->block->b->blockid,
	    second->block->b->generationstamp);
	expect_app_error(&pr, "complete", &co.base, "java.io.IOException",
	    want);
	/* addBlock whose previous is the abandoned block. */
	ab.n_excludenodes = 0;
	ab.previous = first->block->b;
	snprintf(want, sizeof want, "Cannot allocate block in /ab: passed "
	    "'previous' block %s:blk_%" PRIu64 "_%" PRIu64 " does not match "
	    "actual last block in file %s:blk_%" PRIu64 "_%" PRIu64,
	    first->block->b->poolid, first->block->b->blockid,
	    first->block->b->generationstamp, second->block->b->poolid,
	    second->block->b->blockid, second->block->b->generationstamp);
	expect_app_error(&pr, "addBlock", &ab.base, "java.io.IOException",
	    want);
	/* A block of another pool. */
	stale = *second->block->b;
	stale.poolid = "BP-1-127.0.0.1-1";
	ab.previous = &stale;
	snprintf(want, sizeof want, "Unexpected BlockPoolId BP-1-127.0.0.1-1 "
	    "- expected %s", second->block->b->poolid);
	expect_app_error(&pr, "addBlock", &ab.base, "java.io.IOException",
	    want);
	/* Deleting the open file ends the writer's lease on it. */
	del.src = "/ab";
	probe_call(&pr, "delete", &del.base, &r);
	expect_success(&r, "delete of an open file");
	reply_free(&r);
	ab.previous = NULL;
	expect_app_error(&pr, "addBlock", &ab.base,
	    "java.io.FileNotFoundException", "File does not exist: /ab (inode "
	    "0) Holder raw-writer does not have any open files.");
	protobuf_c_message_free_unpacked(&first->base, NULL);
	protobuf_c_message_free_unpacked(&second->base, NULL);
	close(pr.fd);
}

int
main(int argc, char **argv)
{
	const char	*s;

	if (argc < 3) {
		fprintf(stderr, "usage: minidfs-probe SCENARIO NN_PORT "
		    "[DN_PORT | MS]\nscenarios: nn-rpc nn-errors nn-blocks "
		    "nn-faults standby safe-mode retriable idle slow dn "
		    "dn-stream lease\n");
		return 2;
	}
	s = argv[1];
	probe_nn = (uint16_t)atoi(argv[2]);

	probe_dn = argc > 3 ? (uint16_t)atoi(argv[3]) : 0;
	if (strcmp(s, "nn-rpc") == 0)
		scenario_nn_rpc();
	else if (strcmp(s, "nn-errors") == 0)
		scenario_nn_errors();
	else if (strcmp(s, "nn-blocks") == 0)
		scenario_nn_blocks();
	else if (strcmp(s, "nn-faults") == 0)
		scenario_nn_faults();
	else if (strcmp(s, "standby") == 0)
		scenario_nn_standby(true);
	else if (strcmp(s, "safe-mode") == 0)
		scenario_nn_standby(false);
	else if (strcmp(s, "idle") == 0)
		scenario_nn_idle(argc > 3 ? (unsigned)atoi(argv[3]) : 0);
	else if (strcmp(s, "slow") == 0)
		scenario_nn_slow(argc > 3 ? (unsigned)atoi(argv[3]) : 0);
	else if (strcmp(s, "dn") == 0)
		scenario_dn();
	else if (strcmp(s, "lease") == 0)
		scenario_lease();
	else if (strcmp(s, "dn-stream") == 0)
		scenario_dn_stream();
	else if (strcmp(s, "retriable") == 0)
		scenario_nn_retriable();
	else {
		fprintf(stderr, "minidfs-probe: unknown scenario %s\n", s);
		return 2;
	}
	printf("%s: %s\n", probe_failures == 0 ? "PASS" : "FAIL", s);
	return probe_failures == 0 ? 0 : 1;
}
