/*
 * The NameNode's IPC server: one connection per thread.  Preamble, SASL
 * negotiation as a SIMPLE-auth Hadoop 3.3 NameNode answers it, the
 * connection context, header checks with the real FATAL replies, then
 * calls dispatched to ns.c.  Replies carry what a Java server puts in its
 * response header (call id, status, version 9, client id and retry count
 * echoed) and, on failure, the exception class and a message followed by
 * a stack-trace line, so that clients must cut the message at the first
 * newline as they must with a real server.
 */
#include "config.h"

#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/xmalloc.h"
#include "hdfs/proto/namenode.pb-c.h"
#include "hdfs/proto/rpc.pb-c.h"
#include "hdfs/wire.h"

#include "minidfs.h"
#include "short.h"

#define NN_FRAME_MAX	(128 * 1024 * 1024)
#define NN_CALLID_SASL	(-33)
#define NN_CALLID_CTX	(-3)
#define NN_CALLID_PING	(-4)

struct nn_conn {
	int		 nn;		/* which NameNode of the pair */
	int		 fd;
	int		 id;
	bool		 sasl;		/* preamble asked for SASL */
	bool		 sasl_done;
	bool		 context;
	char		 user[256];
	char		 principal[256];	/* Kerberos-authenticated */
	struct mkrb	*krb;
	bool		 closing;
	bool		 refused;	/* secure mode, no SASL: drain */
	bool		 wrap;		/* frames go SASL-wrapped */
};

#define NN_EXC_ACE	"org.apache.hadoop.security.AccessControlException"
#define NN_EXC_SASL	"javax.security.sasl.SaslException"
#define NN_SECURE_AUTHS	"[TOKEN, KERBEROS]"

static int	nn_next_id;

/* Replaces the frame in b by a SASL WRAP frame carrying it. */
static int
nn_wrap(struct nn_conn *c, struct buf *b)
{
	Hd__RpcResponseHeaderProto	 h = HD__RPC_RESPONSE_HEADER_PROTO__INIT;
	Hd__RpcSaslProto		 w = HD__RPC_SASL_PROTO__INIT;
	const ProtobufCMessage		*parts[2];
	uint8_t				*tok;
	size_t				 toklen;
	char				 why[512];

	if (mkrb_wrap(c->krb, true, (const uint8_t *)b->data, b->len, &tok,
	    &toklen, why, sizeof why) == -1) {
		mlog("nn%d wrap: %s", c->id, why);
		return -1;
	}
	h.callid = (uint32_t)NN_CALLID_SASL;
	h.status = HD__RPC_RESPONSE_HEADER_PROTO__RPC_STATUS_PROTO__SUCCESS;
	h.has_serveripcversionnum = 1;
	h.serveripcversionnum = 9;
	w.state = HD__RPC_SASL_PROTO__SASL_STATE__WRAP;
	w.has_token = 1;
	w.token.data = tok;
	w.token.len = toklen;
	parts[0] = &h.base;
	parts[1] = &w.base;
	buf_reset(b);
	wire_append_frame(b, parts, 2);
	free(tok);
	return 0;
}

/*
 * Unwraps a SASL WRAP frame from the client in place: frame then holds
 * the frame it carried.  -1 (logged) when it is not one.
 */
static int
nn_unwrap(struct nn_conn *c, struct buf *frame)
{
	Hd__RpcRequestHeaderProto	*rh = NULL;
	Hd__RpcSaslProto		*w = NULL;
	const uint8_t			*p = (const uint8_t *)frame->data, *m;
	size_t				 left = frame->len, mlen, ilen = 0;
	uint8_t				*inner = NULL;
	struct error			 err;
	char				 why[512] = "not a SASL frame";
	int				 rc = -1;

	if (wire_next_delimited(&p, &left, &m, &mlen, &err) == -1 ||
	    (rh = (Hd__RpcRequestHeaderProto *)wire_unpack(
	    &hd__rpc_request_header_proto__descriptor, m, mlen,
	    &err)) == NULL)
		goto out;
	/*
	 * Like Hadoop's server, take a frame the client did not wrap as it
	 * is (the Go client wraps nothing it sends); replies are wrapped.
	 */
	if (rh->callid != NN_CALLID_SASL) {
		mlog("nn%d unwrapped frame, call %d", c->id, rh->callid);
		rc = 0;
		goto out;
	}
	if (wire_next_delimited(&p, &left, &m, &mlen, &err) == -1 ||
	    (w = (Hd__RpcSaslProto *)wire_unpack(
	    &hd__rpc_sasl_proto__descriptor, m, mlen, &err)) == NULL ||
	    w->state != HD__RPC_SASL_PROTO__SASL_STATE__WRAP ||
	    mkrb_wrap(c->krb, false, w->token.data, w->token.len, &inner,
	    &ilen, why, sizeof why) == -1)
		goto out;
	if (ilen < 4 || wire_get_be32(inner) != ilen - 4) {
		snprintf(why, sizeof why, "wrapped %zu bytes are not one "
		    "frame", ilen);
		goto out;
	}
	buf_reset(frame);
	buf_append(frame, inner + 4, ilen - 4);
	rc = 0;
out:
	if (rc == -1)
		mlog("nn%d unwrap: %s", c->id, why);
	free(inner);
	if (w != NULL)
		protobuf_c_message_free_unpacked(&w->base, NULL);
	if (rh != NULL)
		protobuf_c_message_free_unpacked(&rh->base, NULL);
	return rc;
}

/* One reply frame into b (initialized); msg is NULL for errors. */
static void
nn_reply_frame(struct buf *b, int32_t callid,
    const Hd__RpcRequestHeaderProto *rh,
    Hd__RpcResponseHeaderProto__RpcStatusProto status,
    Hd__RpcResponseHeaderProto__RpcErrorCodeProto detail, const char *cls,
    const char *errmsg, const ProtobufCMessage *msg)
{
	Hd__RpcResponseHeaderProto	 h =
	    HD__RPC_RESPONSE_HEADER_PROTO__INIT;
	const ProtobufCMessage		*parts[2];

	h.callid = (uint32_t)callid;
	h.status = status;
	h.has_serveripcversionnum = 1;
	h.serveripcversionnum = 9;
	h.has_clientid = 1;
	h.has_retrycount = 1;
	h.retrycount = -1;
	/* SASL and FATAL replies carry an empty client id, as Java's do. */
	if (rh != NULL && callid != NN_CALLID_SASL &&
	    status != ST_FATAL)
		h.clientid = rh->clientid;
	if (rh != NULL && rh->has_retrycount && callid != NN_CALLID_SASL)
		h.retrycount = rh->retrycount;
	if (status != ST_SUCCESS) {
		h.exceptionclassname = (char *)cls;
		h.errormsg = (char *)errmsg;
		h.has_errordetail = 1;
		h.errordetail = detail;
	}
	parts[0] = &h.base;
	parts[1] = msg;
	wire_append_frame(b, parts, msg != NULL ? 2 : 1);
}

/* Sends one reply frame; msg is NULL for errors. */
static int
nn_reply(struct nn_conn *c, int32_t callid, const Hd__RpcRequestHeaderProto *rh,
    Hd__RpcResponseHeaderProto__RpcStatusProto status,
    Hd__RpcResponseHeaderProto__RpcErrorCodeProto detail, const char *cls,
    const char *errmsg, const ProtobufCMessage *msg)
{
	struct buf	 b;
	struct error	 err;
	int		 r;

	buf_init(&b);
	nn_reply_frame(&b, callid, rh, status, detail, cls, errmsg, msg);
	if (c->wrap && nn_wrap(c, &b) == -1) {
		buf_clear(&b);
		c->closing = true;
		return -1;
	}
	r = wire_write_full(c->fd, b.data, b.len,
	    wire_deadline(MDFS_IO_TIMEOUT_MS), &err);
	buf_clear(&b);
	if (r == -1)
		c->closing = true;
	return r;
}

static void
nn_fatal(struct nn_conn *c, int32_t callid, const Hd__RpcRequestHeaderProto *rh,
    Hd__RpcResponseHeaderProto__RpcErrorCodeProto detail, const char *cls,
    const char *msg)
{
	mlog("nn%d fatal call=%d class=%s msg=%s", c->id, callid, cls, msg);
	nn_reply(c, callid, rh, ST_FATAL,
	    detail, cls, msg, NULL);
	c->closing = true;
}

static void
nn_error(struct nn_conn *c, const Hd__RpcRequestHeaderProto *rh,
    const char *method, Hd__RpcResponseHeaderProto__RpcErrorCodeProto detail,
    const char *cls, const char *msg)
{
	char	*full;

	mlog("error call=%d class=%s msg=%s", rh->callid, cls, msg);
	full = xasprintf("%s\n\tat org.apache.hadoop.hdfs.server.namenode."
	    "MiniDFS.%s(ns.c)\n", msg, method);
	nn_reply(c, rh->callid, rh,
	    ST_ERROR, detail, cls,
	    full, NULL);
	free(full);
}

/* "X: missing required fields: a, b" -> protobuf-java's wording. */
static void
nn_protobuf_error(const struct error *err, char *out, size_t len)
{
	const char	*m = strstr(err->msg, "missing required fields: ");

	if (m != NULL)
		snprintf(out, len, "Message missing required fields: %s",
		    m + strlen("missing required fields: "));
	else
		snprintf(out, len, "While parsing a protocol message, the "
		    "input ended unexpectedly in the middle of a field.  This "
		    "could mean either that the input has been truncated or "
		    "that an embedded message misreported its own length.");
}

/*
 * Secure mode: INITIATE must name the KERBEROS auth as offered (else the
 * NameNode's "X authentication is not enabled" refusal), then tokens go
 * through mkrb until the security layer is agreed and SUCCESS is sent.
 */
static void
nn_sasl_kerberos(struct nn_conn *c, const Hd__RpcRequestHeaderProto *rh,
    const Hd__RpcSaslProto *in)
{
	Hd__RpcSaslProto	 out = HD__RPC_SASL_PROTO__INIT;
	const Hd__RpcSaslProto__SaslAuth *a;
	uint8_t			*tok = NULL;
	size_t			 toklen;
	char			 why[512], msg[600];
	int			 r;

	if (in->state == HD__RPC_SASL_PROTO__SASL_STATE__INITIATE) {
		if (c->krb != NULL || in->n_auths != 1) {
			nn_fatal(c, rh->callid, rh,
			    HD__RPC_RESPONSE_HEADER_PROTO__RPC_ERROR_CODE_PROTO__FATAL_UNAUTHORIZED,
			    NN_EXC_ACE, "Client cannot authenticate via:"
			    NN_SECURE_AUTHS);
			return;
		}
		a = in->auths[0];
		if (strcmp(a->method, "KERBEROS") != 0 ||
		    strcmp(a->mechanism, "GSSAPI") != 0 ||
		    a->protocol == NULL ||
		    strcmp(a->protocol, mdfs.krb_protocol) != 0 ||
		    a->serverid == NULL ||
		    strcmp(a->serverid, mdfs.krb_server_id) != 0) {
			snprintf(msg, sizeof msg, "%s authentication is not "
			    "enabled.  Available:" NN_SECURE_AUTHS, a->method);
			nn_fatal(c, rh->callid, rh,
			    HD__RPC_RESPONSE_HEADER_PROTO__RPC_ERROR_CODE_PROTO__FATAL_UNAUTHORIZED,
			    NN_EXC_ACE, msg);
			return;
		}
		if ((c->krb = mkrb_new(why, sizeof why)) == NULL) {
			mlog("nn%d krb service credentials: %s", c->id, why);
			goto failed;
		}
	} else if (c->krb == NULL) {
		nn_fatal(c, rh->callid, rh,
		    HD__RPC_RESPONSE_HEADER_PROTO__RPC_ERROR_CODE_PROTO__FATAL_UNAUTHORIZED,
		    NN_EXC_ACE, "Client cannot authenticate via:"
		    NN_SECURE_AUTHS);
		return;
	}
	r = mkrb_step(c->krb, in->has_token ? in->token.data : NULL,
	    in->has_token ? in->token.len : 0, &tok, &toklen, why, sizeof why);
	if (r == -1) {
		mlog("nn%d krb failed: %s", c->id, why);
		goto failed;
	}
	if (r == 1) {
		snprintf(c->principal, sizeof c->principal, "%s",
		    mkrb_client(c->krb));
		/* auth_to_local DEFAULT: the first component. */
		snprintf(c->user, sizeof c->user, "%.*s",
		    (int)strcspn(c->principal, "/@"), c->principal);
		c->sasl_done = true;
		mlog("nn%d krb authenticated principal=%s user=%s", c->id,
		    c->principal, c->user);
		out.state = HD__RPC_SASL_PROTO__SASL_STATE__SUCCESS;
	} else {
		out.state = HD__RPC_SASL_PROTO__SASL_STATE__CHALLENGE;
		out.has_token = 1;
		out.token.data = tok;
		out.token.len = toklen;
	}
	nn_reply(c, NN_CALLID_SASL, rh,
	    HD__RPC_RESPONSE_HEADER_PROTO__RPC_STATUS_PROTO__SUCCESS, 0, NULL,
	    NULL, &out.base);
	free(tok);
	/* With a security layer, everything after SUCCESS is wrapped. */
	if (r == 1 && mkrb_wrapping(c->krb))
		c->wrap = true;
	return;
failed:
	nn_fatal(c, rh->callid, rh,
	    HD__RPC_RESPONSE_HEADER_PROTO__RPC_ERROR_CODE_PROTO__FATAL_UNAUTHORIZED,
	    NN_EXC_SASL, "GSS initiate failed");
}

static void
nn_sasl(struct nn_conn *c, const Hd__RpcRequestHeaderProto *rh,
    const uint8_t *p, size_t left)
{
	Hd__RpcSaslProto		*in, out = HD__RPC_SASL_PROTO__INIT;
	Hd__RpcSaslProto__SaslAuth	 token =
	    HD__RPC_SASL_PROTO__SASL_AUTH__INIT;
	Hd__RpcSaslProto__SaslAuth	 simple =
	    HD__RPC_SASL_PROTO__SASL_AUTH__INIT;
	Hd__RpcSaslProto__SaslAuth	*auths[2];
	const uint8_t			*m;
	size_t				 mlen, i;
	struct error			 err;
	char				 challenge[160], nonce[41], msg[512];
	static const char		 b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";

	if (!c->sasl || c->sasl_done) {
		nn_fatal(c, rh->callid, rh,
		    F_HEADER,
		    EXC_RPCSERVER, "SASL protocol not requested by client");
		return;
	}
	if (wire_next_delimited(&p, &left, &m, &mlen, &err) == -1 ||
	    (in = (Hd__RpcSaslProto *)wire_unpack(
	    &hd__rpc_sasl_proto__descriptor, m, mlen, &err)) == NULL) {
		nn_protobuf_error(&err, msg, sizeof msg);
		nn_fatal(c, rh->callid, rh,
		    F_DECODE,
		    EXC_RPCSERVER, msg);
		return;
	}
	mlog("nn%d sasl state=%d auths=%zu%s%s", c->id, in->state, in->n_auths,
	    in->n_auths > 0 ? " method=" : "",
	    in->n_auths > 0 ? in->auths[0]->method : "");
	switch (in->state) {
	case HD__RPC_SASL_PROTO__SASL_STATE__NEGOTIATE:
		for (i = 0; i < 40; i++)
			nonce[i] = b64[arc4random_uniform(64)];
		nonce[40] = '\0';
		/* The qop says hadoop.rpc.protection, as a NameNode's. */
		snprintf(challenge, sizeof challenge, "realm=\"default\","
		    "nonce=\"%s\",qop=\"%s\",charset=utf-8,"
		    "algorithm=md5-sess", nonce, mdfs.rpc_layer == 0x04 ?
		    "auth-conf" : mdfs.rpc_layer == 0x02 ? "auth-int" :
		    "auth");
		token.method = "TOKEN";
		token.mechanism = "DIGEST-MD5";
		token.protocol = "";
		token.serverid = "default";
		token.has_challenge = 1;
		token.challenge.data = (uint8_t *)challenge;
		token.challenge.len = strlen(challenge);
		if (mdfs.krb_principal != NULL) {
			simple.method = "KERBEROS";
			simple.mechanism = "GSSAPI";
			simple.protocol = mdfs.krb_protocol;
			simple.serverid = mdfs.krb_server_id;
		} else {
			simple.method = "SIMPLE";
			simple.mechanism = "";
		}
		auths[0] = &token;
		auths[1] = &simple;
		out.state = HD__RPC_SASL_PROTO__SASL_STATE__NEGOTIATE;
		out.n_auths = 2;
		out.auths = auths;
		nn_reply(c, NN_CALLID_SASL, rh,
		    ST_SUCCESS, 0,
		    NULL, NULL, &out.base);
		break;
	case HD__RPC_SASL_PROTO__SASL_STATE__INITIATE:
	case HD__RPC_SASL_PROTO__SASL_STATE__RESPONSE:
		if (mdfs.krb_principal != NULL) {
			nn_sasl_kerberos(c, rh, in);
			break;
		}
		if (in->state != HD__RPC_SASL_PROTO__SASL_STATE__INITIATE)
			goto refuse;
		/* SIMPLE chosen: a real NameNode says nothing and goes on. */
		if (in->n_auths == 1 &&
		    strcmp(in->auths[0]->method, "SIMPLE") == 0) {
			c->sasl_done = true;
			break;
		}
		/* FALLTHROUGH */
	default:
	refuse:
		nn_fatal(c, rh->callid, rh,
		    F_UNAUTH,
		    "org.apache.hadoop.security.AccessControlException",
		    "Client cannot authenticate via:[TOKEN, KERBEROS]");
		break;
	}
	protobuf_c_message_free_unpacked(&in->base, NULL);
}

/* Whether --proxy-user lets real (a short name) act as user. */
static bool
nn_proxy_allowed(const char *real, const char *user)
{
	const char	*p, *eq;
	size_t		 n, ulen = strlen(user);
	int		 i;

	for (i = 0; i < mdfs.nproxy; i++) {
		eq = strchr(mdfs.proxy[i], '=');
		if ((size_t)(eq - mdfs.proxy[i]) != strlen(real) ||
		    strncmp(mdfs.proxy[i], real, strlen(real)) != 0)
			continue;
		for (p = eq + 1; *p != '\0'; p += n + (p[n] == ',')) {
			n = strcspn(p, ",");
			if ((n == 1 && *p == '*') ||
			    (n == ulen && strncmp(p, user, n) == 0))
				return true;
		}
	}
	return false;
}

static void
nn_context(struct nn_conn *c, const Hd__RpcRequestHeaderProto *rh,
    const uint8_t *p, size_t left)
{
	Hd__IpcConnectionContextProto	*ctx;
	const Hd__UserInformationProto	*ui;
	const uint8_t			*m;
	const char			*eff;
	size_t				 mlen;
	struct error			 err;
	struct buf			 line;
	char				 msg[800], pmsg[400];
	char				 real[256], real_short[256];
	bool				 proxy = false;

	if (c->sasl && !c->sasl_done) {
		nn_fatal(c, rh->callid, rh,
		    F_HEADER,
		    EXC_RPCSERVER,
		    "Connection header sent during SASL negotiation");
		return;
	}
	if (c->context) {
		nn_fatal(c, rh->callid, rh,
		    F_HEADER,
		    EXC_RPCSERVER, "Connection context already processed");
		return;
	}
	if (wire_next_delimited(&p, &left, &m, &mlen, &err) == -1 ||
	    (ctx = (Hd__IpcConnectionContextProto *)wire_unpack(
	    &hd__ipc_connection_context_proto__descriptor, m, mlen,
	    &err)) == NULL) {
		nn_protobuf_error(&err, pmsg, sizeof pmsg);
		snprintf(msg, sizeof msg, "Error decoding "
		    "IpcConnectionContextProto: %s: %s", EXC_PROTOBUF, pmsg);
		nn_fatal(c, rh->callid, rh,
		    F_DECODE,
		    EXC_RPCSERVER, msg);
		return;
	}
	ui = ctx->userinfo;
	eff = ui != NULL && ui->effectiveuser != NULL &&
	    ui->effectiveuser[0] != '\0' ? ui->effectiveuser : NULL;
	if (c->principal[0] != '\0') {
		/*
		 * Known by Kerberos, the real user: another effective user
		 * is impersonated by it, and a realUser field means nothing.
		 */
		if (eff != NULL && strcmp(eff, c->principal) != 0 &&
		    strcmp(eff, c->user) != 0) {
			snprintf(real, sizeof real, "%s", c->principal);
			snprintf(real_short, sizeof real_short, "%s", c->user);
			proxy = true;
		}
	} else if (eff != NULL && ui->realuser != NULL) {
		/* SIMPLE says both; any realUser makes a proxy user. */
		snprintf(real, sizeof real, "%s", ui->realuser);
		snprintf(real_short, sizeof real_short, "%s", ui->realuser);
		proxy = true;
	} else if (eff == NULL) {
		protobuf_c_message_free_unpacked(&ctx->base, NULL);
		nn_fatal(c, rh->callid, rh,
		    F_UNAUTH,
		    "org.apache.hadoop.security.AccessControlException",
		    "Authentication is required");
		return;
	} else
		snprintf(c->user, sizeof c->user, "%s", eff);
	if (proxy && !nn_proxy_allowed(real_short, eff)) {
		/* DefaultImpersonationProvider's words, a FATAL reply. */
		snprintf(msg, sizeof msg, "User: %s is not allowed to "
		    "impersonate %s", real, eff);
		protobuf_c_message_free_unpacked(&ctx->base, NULL);
		nn_fatal(c, rh->callid, rh,
		    F_UNAUTH,
		    "org.apache.hadoop.security.authorize."
		    "AuthorizationException", msg);
		return;
	}
	if (proxy)
		snprintf(c->user, sizeof c->user, "%s", eff);
	buf_init(&line);
	mlog_fields(&line, &ctx->base, "");
	mlog("nn%d context user=%s protocol=%s%s%s (sent:%s)", c->id, c->user,
	    ctx->protocol != NULL ? ctx->protocol : "", proxy ? " real=" : "",
	    proxy ? real : "", line.data != NULL ? line.data : "");
	buf_clear(&line);
	c->context = true;
	protobuf_c_message_free_unpacked(&ctx->base, NULL);
}

/* Whether method is in list, comma-separated; a NULL list holds all. */
static bool
nn_method_listed(const char *list, const char *method)
{
	const char	*m = list;
	size_t		 n = strlen(method);

	while (m != NULL && (strncmp(m, method, n) != 0 ||
	    (m[n] != '\0' && m[n] != ',')))
		if ((m = strchr(m, ',')) != NULL)
			m++;
	return list == NULL || m != NULL;
}

/* --drop-reply-after: whether this run of method loses its reply. */
static bool
nn_drop_reply(const char *method)
{
	static unsigned	 runs;

	if (mdfs.drop_reply_after == 0 ||
	    !nn_method_listed(mdfs.drop_reply_method, method))
		return false;
	return ++runs % mdfs.drop_reply_after == 0;
}

const char *const nn_lie_kinds[] = { "none", "truncate", "huge", "garbage",
	"wrong-id", "unknown-exception", "silent" };

/* --nn-lie: whether this call's answer is a lie (under ns_lock). */
static bool
nn_lie_due(void)
{
	if (mdfs.nn_lie == MDFS_LIE_NONE || mdfs.nn_lies_left == 0)
		return false;
	if (mdfs.nn_lies_left != UINT32_MAX)
		mdfs.nn_lies_left--;
	return true;
}

/* Answers call rh (which ran, with resp) with a lie of --nn-lie's kind. */
static void
nn_lie(struct nn_conn *c, const Hd__RpcRequestHeaderProto *rh,
    const char *method, const ProtobufCMessage *resp)
{
	static const uint8_t	 huge[] = { 0xff, 0xff, 0xff, 0xff };
	static const uint8_t	 junk[] = { 0, 0, 0, 4, 0x7f, 0xff, 0xff, 0xff };
	struct buf		 b;
	struct error		 err;

	mlog("nn%d lie %s call=%d method=%s", c->id, nn_lie_kinds[mdfs.nn_lie],
	    rh->callid, method);
	buf_init(&b);
	switch (mdfs.nn_lie) {
	case MDFS_LIE_TRUNCATE:
		nn_reply_frame(&b, rh->callid, rh, ST_SUCCESS, 0, NULL, NULL,
		    resp);
		b.len /= 2;
		break;
	case MDFS_LIE_HUGE:
		buf_append(&b, huge, sizeof huge);
		break;
	case MDFS_LIE_GARBAGE:
		buf_append(&b, junk, sizeof junk);
		break;
	case MDFS_LIE_WRONG_ID:
		nn_reply(c, rh->callid + 1000, rh, ST_SUCCESS, 0, NULL, NULL,
		    resp);
		break;
	case MDFS_LIE_UNKNOWN_EXC:
		nn_error(c, rh, method, E_APP,
		    "com.example.LyingNameNodeException", "this NameNode lies");
		break;
	case MDFS_LIE_SILENT:
		break;		/* the connection stays, with no answer */
	}
	if (b.len > 0) {
		(void)wire_write_full(c->fd, b.data, b.len,
		    wire_deadline(MDFS_IO_TIMEOUT_MS), &err);
		shutdown(c->fd, SHUT_RDWR);
		c->closing = true;
	}
	buf_clear(&b);
}

static void
nn_call(struct nn_conn *c, const Hd__RpcRequestHeaderProto *rh,
    const uint8_t *p, size_t left)
{
	Hd__RequestHeaderProto	*h;
	const struct ns_method	*meth;
	ProtobufCMessage	*req = NULL, *resp = NULL;
	const uint8_t		*m, *body = (const uint8_t *)"";
	size_t			 mlen, bodylen = 0;
	struct error		 err;
	struct exc		 exc;
	struct arena		 arena = { NULL, 0, 0 };
	struct ns_call		 call;
	struct buf		 line;
	char			 msg[1024], pmsg[400];
	bool			 standby, drop = false, lie = false;
	int			 r;

	if (!c->context) {
		nn_fatal(c, rh->callid, rh,
		    F_HEADER,
		    EXC_RPCSERVER, "Connection context not established");
		return;
	}
	if (wire_next_delimited(&p, &left, &m, &mlen, &err) == -1 ||
	    (h = (Hd__RequestHeaderProto *)wire_unpack(
	    &hd__request_header_proto__descriptor, m, mlen, &err)) == NULL) {
		nn_protobuf_error(&err, pmsg, sizeof pmsg);
		snprintf(msg, sizeof msg, "IPC server unable to read call "
		    "parameters: %s", pmsg);
		nn_fatal(c, rh->callid, rh,
		    F_DECODE,
		    EXC_RPCSERVER, msg);
		return;
	}
	if (left > 0 &&
	    wire_next_delimited(&p, &left, &body, &bodylen, &err) == -1) {
		nn_fatal(c, rh->callid, rh,
		    F_DECODE,
		    EXC_RPCSERVER, "IPC server unable to read call parameters: "
		    "bad request length");
		goto out;
	}
	if (strcmp(h->declaringclassprotocolname, MDFS_PROTOCOL) != 0) {
		snprintf(msg, sizeof msg, "Unknown protocol: %s",
		    h->declaringclassprotocolname);
		nn_error(c, rh, h->methodname,
		    E_NOPROTOCOL,
		    EXC_NOPROTOCOL, msg);
		goto out;
	}
	if (h->clientprotocolversion != 1) {
		snprintf(msg, sizeof msg, "Protocol %s version mismatch. "
		    "(client = %llu, server = 1)", MDFS_PROTOCOL,
		    (unsigned long long)h->clientprotocolversion);
		nn_error(c, rh, h->methodname,
		    E_VERSION,
		    EXC_VERSION, msg);
		goto out;
	}
	if ((meth = ns_method_find(h->methodname)) == NULL) {
		mlog("%s call=%d unknown", h->methodname, rh->callid);
		snprintf(msg, sizeof msg, "Unknown method %s called on %s "
		    "protocol.", h->methodname, MDFS_PROTOCOL);
		nn_error(c, rh, h->methodname,
		    E_NOMETHOD,
		    EXC_NOMETHOD, msg);
		goto out;
	}
	if ((req = wire_unpack(meth->req, body, bodylen, &err)) == NULL) {
		mlog("%s call=%d refused: %s", h->methodname, rh->callid,
		    err.msg);
		nn_protobuf_error(&err, msg, sizeof msg);
		nn_error(c, rh, h->methodname,
		    E_APP,
		    EXC_PROTOBUF, msg);
		goto out;
	}
	if (mlog_enabled()) {
		buf_init(&line);
		mlog_fields(&line, req, "");
		mlog("%s call=%d user=%s%s", h->methodname, rh->callid,
		    c->user, line.data != NULL ? line.data : "");
		buf_clear(&line);
	}
	ns_lock();
	standby = mdfs.standby || (mdfs.nnn > 1 && ns_active() != c->nn);
	ns_unlock();
	if (standby && meth->category != NS_UNCHECKED) {
		snprintf(msg, sizeof msg, "Operation category %s is not "
		    "supported in state standby. Visit "
		    "https://s.apache.org/sbnn-error",
		    meth->category == NS_READ ? "READ" : "WRITE");
		nn_error(c, rh, h->methodname,
		    E_APP,
		    EXC_STANDBY, msg);
		goto out;
	}
	call.user = c->user;
	call.arena = &arena;
	call.exc = &exc;
	if (rh->retrycount > 0)
		mlog("%s call=%d retry=%d", h->methodname, rh->callid,
		    rh->retrycount);
	ns_lock();
	ns_expire_leases();
	if ((r = rcache_lookup(rh, h->methodname, &call, &resp)) == 0) {
		r = meth->fn(&call, req, &resp);
		if (r == 0)
			rcache_store(rh, h->methodname, resp);
		drop = r == 0 && nn_drop_reply(h->methodname);
		lie = r == 0 && !drop && nn_lie_due();
	} else if (r == 1)
		r = 0;
	ns_served();
	ns_unlock();
	if (mdfs.slow_ms > 0 &&
	    nn_method_listed(mdfs.slow_method, h->methodname)) {
		/* The call has run: a test can kill its client now. */
		if (mdfs.slow_method != NULL)
			mlog("nn%d slow reply call=%d method=%s", c->id,
			    rh->callid, h->methodname);
		usleep(mdfs.slow_ms * 1000);
	}
	if (drop) {
		/* The call ran; its answer is lost with the connection. */
		mlog("nn%d drop reply call=%d method=%s", c->id, rh->callid,
		    h->methodname);
		shutdown(c->fd, SHUT_RDWR);
		c->closing = true;
	} else if (lie)
		nn_lie(c, rh, h->methodname, resp);
	else if (r == -1)
		nn_error(c, rh, h->methodname,
		    E_APP,
		    exc.cls, exc.msg);
	else {
		if (mlog_enabled()) {
			buf_init(&line);
			mlog_fields(&line, resp, "");
			mlog("reply call=%d%s", rh->callid,
			    line.data != NULL ? line.data : "");
			buf_clear(&line);
		}
		nn_reply(c, rh->callid, rh,
		    ST_SUCCESS, 0,
		    NULL, NULL, resp);
	}
out:
	if (req != NULL)
		protobuf_c_message_free_unpacked(req, NULL);
	protobuf_c_message_free_unpacked(&h->base, NULL);
	arena_free(&arena);
}

static void
nn_frame(struct nn_conn *c, const uint8_t *p, size_t left)
{
	Hd__RpcRequestHeaderProto	*rh;
	const uint8_t			*m;
	size_t				 mlen;
	struct error			 err;
	char				 msg[512], pmsg[400];

	if (wire_next_delimited(&p, &left, &m, &mlen, &err) == -1 ||
	    (rh = (Hd__RpcRequestHeaderProto *)wire_unpack(
	    &hd__rpc_request_header_proto__descriptor, m, mlen,
	    &err)) == NULL) {
		nn_protobuf_error(&err, pmsg, sizeof pmsg);
		snprintf(msg, sizeof msg, "Error decoding "
		    "RpcRequestHeaderProto: %s: %s", EXC_PROTOBUF, pmsg);
		nn_fatal(c, -1, NULL,
		    F_DECODE,
		    EXC_RPCSERVER, msg);
		return;
	}
	if (mdfs.krb_principal != NULL && !c->sasl) {
		/* As the NameNode answers a client that sent auth 0. */
		nn_fatal(c, -1, NULL,
		    HD__RPC_RESPONSE_HEADER_PROTO__RPC_ERROR_CODE_PROTO__FATAL_UNAUTHORIZED,
		    NN_EXC_ACE, "SIMPLE authentication is not enabled.  "
		    "Available:" NN_SECURE_AUTHS);
		c->refused = true;
	} else if (!rh->has_rpcop)
		nn_fatal(c, rh->callid, rh,
		    F_HEADER,
		    EXC_RPCSERVER,
		    " IPC Server: No rpc op in rpcRequestHeader");
	else if (rh->rpcop !=
	    OP_FINAL) {
		snprintf(msg, sizeof msg, "IPC Server does not implement rpc "
		    "header operation%d", rh->rpcop);
		nn_fatal(c, rh->callid, rh,
		    F_HEADER,
		    EXC_RPCSERVER, msg);
	} else if (!rh->has_rpckind)
		nn_fatal(c, rh->callid, rh,
		    F_HEADER,
		    EXC_RPCSERVER,
		    " IPC Server: No rpc kind in rpcRequestHeader");
	else if (rh->rpckind != HD__RPC_KIND_PROTO__RPC_PROTOCOL_BUFFER) {
		snprintf(msg, sizeof msg, "Unknown rpc kind in rpc header%d",
		    rh->rpckind);
		nn_fatal(c, rh->callid, rh,
		    F_HEADER,
		    EXC_RPCSERVER, msg);
	} else if (rh->callid == NN_CALLID_SASL)
		nn_sasl(c, rh, p, left);
	else if (rh->callid == NN_CALLID_CTX)
		nn_context(c, rh, p, left);
	else if (rh->callid == NN_CALLID_PING)
		mlog("nn%d ping", c->id);
	else if (rh->callid < 0) {
		snprintf(msg, sizeof msg, "Unknown out of band call #%d",
		    rh->callid);
		nn_fatal(c, rh->callid, rh,
		    F_HEADER,
		    EXC_RPCSERVER, msg);
	} else
		nn_call(c, rh, p, left);
	protobuf_c_message_free_unpacked(&rh->base, NULL);
}

void
nn_serve(int nn, int fd)
{
	struct nn_conn	 c;
	uint8_t		 pre[7];
	struct buf	 frame;
	struct error	 err;

	memset(&c, 0, sizeof c);
	c.nn = nn;
	c.fd = fd;
	ns_lock();
	c.id = ++nn_next_id;
	ns_unlock();
	if (wire_read_full(fd, pre, sizeof pre,
	    wire_deadline(MDFS_IO_TIMEOUT_MS), &err) == -1)
		return;
	if (memcmp(pre, "hrpc", 4) != 0 || pre[4] != 9 ||
	    (pre[6] != 0 && pre[6] != 0xdf)) {
		mlog("nn%d bad preamble %02x%02x%02x%02x %u %u %u", c.id,
		    pre[0], pre[1], pre[2], pre[3], pre[4], pre[5], pre[6]);
		return;
	}
	c.sasl = pre[6] == 0xdf;
	mlog("nn%d connect auth=%s namenode=%d", c.id,
	    c.sasl ? "sasl" : "none", nn);
	buf_init(&frame);
	while (!c.closing) {
		if (wire_read_frame(fd, &frame, NN_FRAME_MAX,
		    wire_deadline(mdfs.idle_close_ms), &err) == -1) {
			if (err.code == ERR_TIMEOUT)
				mlog("nn%d idle for %u ms", c.id,
				    mdfs.idle_close_ms);
			else if (err.code != ERR_NOTFOUND)
				mlog("nn%d read: %s", c.id, err.msg);
			break;
		}
		if (c.wrap && nn_unwrap(&c, &frame) == -1)
			break;
		nn_frame(&c, (const uint8_t *)frame.data, frame.len);
	}
	/*
	 * Let the refused client read the FATAL reply before the close: unread
	 * frames of its would otherwise turn the close into a reset.
	 */
	if (c.refused) {
		shutdown(fd, SHUT_WR);
		while (wire_read_frame(fd, &frame, NN_FRAME_MAX,
		    wire_deadline(2000), &err) == 0)
			;
	}
	mkrb_free(c.krb);
	mlog("nn%d close", c.id);
	buf_clear(&frame);
}
