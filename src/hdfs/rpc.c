/*
 * Hadoop IPC client connection (RPC version 9, protobuf engine).  Setup
 * is the preamble "hrpc" 9 0 <auth>, then with SASL a NEGOTIATE answered
 * by an INITIATE naming SIMPLE (the real NameNode sends nothing back) or
 * the Kerberos exchange, then the connection context.  Calls are
 * strictly one at a time: call ids count up from 0 as the Java client's
 * do, and a reply must carry the id just sent.
 */
#include "config.h"

#include "hdfs/rpc.h"

#include <sys/random.h>
#include <sys/socket.h>

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/net.h"
#include "base/xmalloc.h"
#include "hdfs/proto/rpc.pb-c.h"
#include "hdfs/sasl_gssapi.h"
#include "hdfs/wire.h"

/* Hadoop IPC: callId -3 is the context, -33 SASL (RpcConstants). */
#define RPC_CALL_CONTEXT	(-3)
#define RPC_CALL_SASL		(-33)
#define RPC_VERSION		9
#define RPC_AUTH_NONE		0x00
#define RPC_AUTH_SASL		0xdf
/* Like ipc.maximum.response.length: 128 MiB. */
#define RPC_MAX_RESPONSE	(128U * 1024 * 1024)

#define RPC_OK		\
	HD__RPC_RESPONSE_HEADER_PROTO__RPC_STATUS_PROTO__SUCCESS
#define RPC_FATAL	\
	HD__RPC_RESPONSE_HEADER_PROTO__RPC_STATUS_PROTO__FATAL
/* The Java client's refusal of a server without Kerberos, in its words. */
#define RPC_NO_FALLBACK	"Kerberos: Server asks us to fall back to " \
	"SIMPLE auth, but this client is configured to only allow secure " \
	"connections."

#define RPC_FINAL	\
	HD__RPC_REQUEST_HEADER_PROTO__OPERATION_PROTO__RPC_FINAL_PACKET

struct rpc_conn {
	int		 fd;
	char		*peer;
	uint8_t		 client_id[RPC_CLIENT_ID_LEN];
	int		 io_timeout_ms;
	bool		 broken;
	unsigned	 nframes;	/* frames received */
	uint64_t	 used_ms;	/* end of the last exchange */
	struct buf	 out;
	struct buf	 in;
	/* With integrity or privacy: every frame goes wrapped through it. */
	struct sasl_gssapi *gss;
};

void
rpc_new_client_id(uint8_t id[RPC_CLIENT_ID_LEN])
{
	size_t	 got = 0;
	ssize_t	 r;

	while (got < RPC_CLIENT_ID_LEN) {
		r = getrandom(id + got, RPC_CLIENT_ID_LEN - got, 0);
		if (r <= 0)
			fatal("rpc: getrandom failed");
		got += (size_t)r;
	}
	id[6] = (uint8_t)((id[6] & 0x0f) | 0x40);
	id[8] = (uint8_t)((id[8] & 0x3f) | 0x80);
}

int
rpc_remote_error(struct error *err, const char *cls, const char *msg)
{
	const char	*shortname, *nl;
	int		 len;

	if (cls == NULL || *cls == '\0')
		cls = "org.apache.hadoop.ipc.RemoteException";
	shortname = strrchr(cls, '.');
	shortname = shortname != NULL ? shortname + 1 : cls;
	if (msg == NULL || *msg == '\0')
		return error_remote(err, cls, "%s", shortname);
	nl = strchr(msg, '\n');
	len = nl != NULL ? (int)(nl - msg) : (int)strlen(msg);
	return error_remote(err, cls, "%s: %.*s", shortname, len, msg);
}

static void
rpc_header(struct rpc_conn *c, Hd__RpcRequestHeaderProto *rh, int32_t id,
    int32_t retry)
{
	hd__rpc_request_header_proto__init(rh);
	rh->has_rpckind = 1;
	rh->rpckind = HD__RPC_KIND_PROTO__RPC_PROTOCOL_BUFFER;
	rh->has_rpcop = 1;
	rh->rpcop = RPC_FINAL;
	rh->callid = id;
	rh->clientid.len = RPC_CLIENT_ID_LEN;
	rh->clientid.data = c->client_id;
	rh->has_retrycount = 1;
	rh->retrycount = retry;
}

/* A peer that hangs up before its first frame is likely no NameNode. */
static int
rpc_peer_gone(struct rpc_conn *c, struct error *err, const char *what)
{
	c->broken = true;
	return error_set(err, ERR_PROTO, "connection %s by peer%s", what,
	    c->nframes == 0 ? " (not a NameNode?)" : "");
}

static uint64_t
rpc_deadline(const struct rpc_conn *c)
{
	return net_deadline(c->io_timeout_ms);
}

/*
 * Replaces the frame in c->out by a SASL WRAP frame carrying it, as
 * Hadoop's wrapped streams do once a security layer was agreed.
 */
static int
rpc_wrap_out(struct rpc_conn *c, struct error *err)
{
	Hd__RpcRequestHeaderProto	 rh;
	Hd__RpcSaslProto		 w;
	const ProtobufCMessage		*msgs[2];
	uint8_t				*tok;
	size_t				 toklen;

	if (sasl_gssapi_wrap(c->gss, c->out.data, c->out.len, &tok, &toklen,
	    err) == -1)
		return -1;
	rpc_header(c, &rh, RPC_CALL_SASL, -1);
	hd__rpc_sasl_proto__init(&w);
	w.state = HD__RPC_SASL_PROTO__SASL_STATE__WRAP;
	w.has_token = 1;
	w.token.data = tok;
	w.token.len = toklen;
	msgs[0] = &rh.base;
	msgs[1] = &w.base;
	buf_reset(&c->out);
	wire_append_frame(&c->out, msgs, 2);
	free(tok);
	return 0;
}

/* Unwraps the SASL WRAP frame in c->in into the frame it carries. */
static int
rpc_unwrap_in(struct rpc_conn *c, struct error *err)
{
	Hd__RpcResponseHeaderProto	*h = NULL;
	Hd__RpcSaslProto		*w = NULL;
	const uint8_t			*p, *m;
	size_t				 left = c->in.len, mlen, ilen;
	uint8_t				*inner = NULL;
	int				 rc = -1;

	p = (const uint8_t *)c->in.data;
	if (wire_next_delimited(&p, &left, &m, &mlen, err) == -1 ||
	    (h = (Hd__RpcResponseHeaderProto *)wire_unpack(
	    &hd__rpc_response_header_proto__descriptor, m, mlen,
	    err)) == NULL)
		goto out;
	/* A refusal before any wrapping still comes in the clear. */
	if ((int32_t)h->callid != RPC_CALL_SASL || h->status != RPC_OK) {
		rc = 0;
		goto out;
	}
	if (wire_next_delimited(&p, &left, &m, &mlen, err) == -1 ||
	    (w = (Hd__RpcSaslProto *)wire_unpack(
	    &hd__rpc_sasl_proto__descriptor, m, mlen, err)) == NULL)
		goto out;
	if (w->state != HD__RPC_SASL_PROTO__SASL_STATE__WRAP || !w->has_token) {
		error_set(err, ERR_PROTO, "SASL: state %d where WRAP was due",
		    (int)w->state);
		goto out;
	}
	if (sasl_gssapi_unwrap(c->gss, w->token.data, w->token.len, &inner,
	    &ilen, err) == -1)
		goto out;
	if (ilen < 4 || wire_get_be32(inner) != ilen - 4) {
		error_set(err, ERR_PROTO, "SASL: a wrapped message of %zu "
		    "bytes is not one whole frame", ilen);
		goto out;
	}
	buf_reset(&c->in);
	buf_append(&c->in, inner + 4, ilen - 4);
	rc = 0;
out:
	free(inner);
	if (w != NULL)
		protobuf_c_message_free_unpacked(&w->base, NULL);
	if (h != NULL)
		protobuf_c_message_free_unpacked(&h->base, NULL);
	return rc;
}

static int
rpc_send(struct rpc_conn *c, const ProtobufCMessage **msgs, size_t n,
    struct error *err)
{
	buf_reset(&c->out);
	wire_append_frame(&c->out, msgs, n);
	if (c->gss != NULL && rpc_wrap_out(c, err) == -1) {
		c->broken = true;
		return -1;
	}
	if (wire_write_full(c->fd, c->out.data, c->out.len, rpc_deadline(c),
	    err) == -1) {
		c->broken = true;
		if (err != NULL && err->code == ERR_SYS &&
		    (err->sys == EPIPE || err->sys == ECONNRESET))
			rpc_peer_gone(c, err, "closed");
		return -1;
	}
	return 0;
}

/*
 * Reads one response frame and unpacks its header.  A first answer that
 * does not parse as Hadoop IPC is reported as "not a Hadoop IPC server?";
 * once a connection has spoken IPC, only what was wrong is.
 */
static Hd__RpcResponseHeaderProto *
rpc_read_header(struct rpc_conn *c, const uint8_t **body, size_t *bodylen,
    struct error *err)
{
	Hd__RpcResponseHeaderProto	*h;
	const uint8_t			*p, *m;
	size_t				 left, mlen;

	buf_reset(&c->in);
	if (wire_read_frame(c->fd, &c->in, RPC_MAX_RESPONSE, rpc_deadline(c),
	    err) == -1) {
		c->broken = true;
		if (err != NULL && err->code == ERR_NOTFOUND)
			rpc_peer_gone(c, err, "closed");
		else if (err != NULL && err->code == ERR_SYS &&
		    err->sys == ECONNRESET)
			rpc_peer_gone(c, err, "reset");
		else if (err != NULL && err->code == ERR_PROTO &&
		    c->nframes == 0)
			error_prefix(err, "not a Hadoop IPC server?");
		return NULL;
	}
	c->nframes++;
	if (c->gss != NULL && rpc_unwrap_in(c, err) == -1) {
		c->broken = true;
		return NULL;
	}
	p = (const uint8_t *)c->in.data;
	left = c->in.len;
	if (wire_next_delimited(&p, &left, &m, &mlen, err) == -1 ||
	    (h = (Hd__RpcResponseHeaderProto *)wire_unpack(
	    &hd__rpc_response_header_proto__descriptor, m, mlen,
	    err)) == NULL) {
		c->broken = true;
		error_prefix(err, "bad answer header");
		if (c->nframes == 1)
			error_prefix(err, "not a Hadoop IPC server?");
		return NULL;
	}
	*body = p;
	*bodylen = left;
	return h;
}

/* Turns an ERROR or FATAL header into err; FATAL breaks the connection. */
static int
rpc_status_error(struct rpc_conn *c, const Hd__RpcResponseHeaderProto *h,
    struct error *err)
{
	if (h->status == RPC_FATAL)
		c->broken = true;
	return rpc_remote_error(err, h->exceptionclassname, h->errormsg);
}

/*
 * Reads one SASL reply.  A FATAL answer (the server's refusal) arrives as
 * ERR_REMOTE with the server's own text.
 */
static Hd__RpcSaslProto *
rpc_sasl_read(struct rpc_conn *c, struct error *err)
{
	Hd__RpcResponseHeaderProto	*h;
	Hd__RpcSaslProto		*r = NULL;
	const uint8_t			*body, *m;
	size_t				 bodylen, mlen;

	if ((h = rpc_read_header(c, &body, &bodylen, err)) == NULL)
		return NULL;
	if (h->status != RPC_OK) {
		rpc_status_error(c, h, err);
		c->broken = true;
	} else if ((int32_t)h->callid != RPC_CALL_SASL) {
		error_set(err, ERR_PROTO, "SASL: reply to call %d",
		    (int32_t)h->callid);
		c->broken = true;
	} else if (wire_next_delimited(&body, &bodylen, &m, &mlen, err) ==
	    -1 || (r = (Hd__RpcSaslProto *)wire_unpack(
	    &hd__rpc_sasl_proto__descriptor, m, mlen, err)) == NULL)
		c->broken = true;
	protobuf_c_message_free_unpacked(&h->base, NULL);
	return r;
}

static int
rpc_sasl_send(struct rpc_conn *c, Hd__RpcSaslProto *s, struct error *err)
{
	Hd__RpcRequestHeaderProto	 rh;
	const ProtobufCMessage		*msgs[2];

	rpc_header(c, &rh, RPC_CALL_SASL, -1);
	msgs[0] = &rh.base;
	msgs[1] = &s->base;
	return rpc_send(c, msgs, 2, err);
}

/* "TOKEN, KERBEROS", the list a NameNode names in its refusals. */
static void
rpc_sasl_offered(const Hd__RpcSaslProto *r, char *b, size_t len)
{
	size_t	 i, n;

	b[0] = '\0';
	for (i = 0; i < r->n_auths; i++) {
		n = strlen(b);
		snprintf(b + n, len - n, "%s%s", i > 0 ? ", " : "",
		    r->auths[i]->method);
	}
}

static const Hd__RpcSaslProto__SaslAuth *
rpc_sasl_find(const Hd__RpcSaslProto *r, const char *method)
{
	size_t	 i;

	for (i = 0; i < r->n_auths; i++)
		if (strcmp(r->auths[i]->method, method) == 0)
			return r->auths[i];
	return NULL;
}

char *
rpc_server_principal(const char *pattern, const char *host)
{
	struct buf	 b;
	const char	*p, *h;

	buf_init(&b);
	for (p = pattern; *p != '\0'; p++) {
		if (strncmp(p, "_HOST", 5) != 0) {
			buf_putc(&b, *p);
			continue;
		}
		for (h = host; *h != '\0'; h++)
			buf_putc(&b, (char)tolower((unsigned char)*h));
		p += 4;
	}
	if (b.data == NULL)
		return xstrdup("");
	return buf_take(&b);
}

/*
 * The principal to authenticate to: what the NameNode offers
 * (protocol/serverId), unless one is configured, which the offer must
 * then name too (both completed with the default realm, as Java's
 * KerberosPrincipal does).  Hadoop's SaslRpcClient says the same words.
 */
static char *
rpc_sasl_target(const Hd__RpcSaslProto__SaslAuth *offer,
    const struct rpc_options *o, struct error *err)
{
	char	*offered, *server = NULL, *expected = NULL;

	offered = xasprintf("%s/%s", offer->protocol, offer->serverid);
	if (o->server_principal == NULL)
		return offered;
	if ((server = sasl_gssapi_qualify(offered, err)) != NULL &&
	    (expected = sasl_gssapi_qualify(o->server_principal, err)) !=
	    NULL && strcmp(server, expected) != 0) {
		error_set(err, ERR_INPUT, "Server has invalid Kerberos "
		    "principal: %s, expecting: %s", server, expected);
		free(expected);
		expected = NULL;
	}
	free(offered);
	free(server);
	return expected;
}

/*
 * Kerberos: INITIATE with the first GSS-API token for the NameNode's
 * principal, then CHALLENGE/RESPONSE until the security-layer answer has
 * gone out and SUCCESS comes back.
 */
static int
rpc_sasl_kerberos(struct rpc_conn *c, const Hd__RpcSaslProto *neg,
    const struct rpc_options *o, char **client, struct error *err)
{
	const Hd__RpcSaslProto__SaslAuth *offer;
	Hd__RpcSaslProto__SaslAuth	 chosen;
	Hd__RpcSaslProto__SaslAuth	*auths[1] = { &chosen };
	Hd__RpcSaslProto		 out, *r = NULL;
	struct sasl_gssapi		*g;
	uint8_t				*tok = NULL;
	size_t				 toklen;
	bool				 done = false;
	char				 offered[256], *target;
	int				 rc = -1;

	if ((offer = rpc_sasl_find(neg, "KERBEROS")) == NULL) {
		c->broken = true;
		if (rpc_sasl_find(neg, "SIMPLE") != NULL)
			return error_set(err, ERR_INPUT, RPC_NO_FALLBACK);
		rpc_sasl_offered(neg, offered, sizeof offered);
		return error_set(err, ERR_INPUT, "Kerberos: the NameNode does "
		    "not offer KERBEROS authentication (offered: %s)",
		    offered);
	}
	if (offer->protocol == NULL || *offer->protocol == '\0' ||
	    offer->serverid == NULL || *offer->serverid == '\0') {
		c->broken = true;
		return error_set(err, ERR_PROTO, "Kerberos: the NameNode's "
		    "offer names no principal (protocol/serverId)");
	}
	if ((target = rpc_sasl_target(offer, o, err)) == NULL) {
		c->broken = true;
		return -1;
	}
	g = sasl_gssapi_new(o->principal, o->keytab, target, err);
	free(target);
	if (g == NULL) {
		c->broken = true;
		return -1;
	}
	if (sasl_gssapi_step(g, NULL, 0, &tok, &toklen, &done, err) == -1)
		goto out;
	hd__rpc_sasl_proto__init(&out);
	hd__rpc_sasl_proto__sasl_auth__init(&chosen);
	chosen.method = offer->method;
	chosen.mechanism = offer->mechanism;
	chosen.protocol = offer->protocol;
	chosen.serverid = offer->serverid;
	out.state = HD__RPC_SASL_PROTO__SASL_STATE__INITIATE;
	out.n_auths = 1;
	out.auths = auths;
	for (;;) {
		out.has_token = 1;
		out.token.data = tok;
		out.token.len = toklen;
		if (rpc_sasl_send(c, &out, err) == -1)
			goto out;
		free(tok);
		tok = NULL;
		if ((r = rpc_sasl_read(c, err)) == NULL)
			goto out;
		if (r->state == HD__RPC_SASL_PROTO__SASL_STATE__SUCCESS) {
			if (!done) {
				error_set(err, ERR_PROTO, "Kerberos: SUCCESS "
				    "before the security-layer step");
				goto out;
			}
			break;
		}
		if (r->state != HD__RPC_SASL_PROTO__SASL_STATE__CHALLENGE ||
		    done) {
			error_set(err, ERR_PROTO, "Kerberos: unexpected SASL "
			    "state %d", (int)r->state);
			goto out;
		}
		if (sasl_gssapi_step(g, r->has_token ? r->token.data : NULL,
		    r->has_token ? r->token.len : 0, &tok, &toklen, &done,
		    err) == -1)
			goto out;
		protobuf_c_message_free_unpacked(&r->base, NULL);
		r = NULL;
		hd__rpc_sasl_proto__init(&out);
		out.state = HD__RPC_SASL_PROTO__SASL_STATE__RESPONSE;
	}
	if (sasl_gssapi_client(g) == NULL) {
		error_set(err, ERR_PROTO, "Kerberos: no client name");
		goto out;
	}
	*client = xstrdup(sasl_gssapi_client(g));
	if (o->ticket != NULL) {
		snprintf(o->ticket->principal, sizeof o->ticket->principal,
		    "%s", *client);
		o->ticket->expiry_ms = sasl_gssapi_expiry_ms(g);
	}
	/* A security layer: the context lives on to wrap every frame. */
	if (sasl_gssapi_qop(g) != SASL_GSSAPI_AUTH) {
		c->gss = g;
		g = NULL;
	}
	rc = 0;
out:
	if (rc == -1)
		c->broken = true;
	free(tok);
	if (r != NULL)
		protobuf_c_message_free_unpacked(&r->base, NULL);
	sasl_gssapi_free(g);
	return rc;
}

/*
 * NEGOTIATE, then SIMPLE (an INITIATE the server does not answer) or
 * Kerberos.  *client is set to the authenticated principal with
 * Kerberos.
 */
static int
rpc_sasl(struct rpc_conn *c, const struct rpc_options *o, char **client,
    struct error *err)
{
	Hd__RpcSaslProto		 neg, init;
	Hd__RpcSaslProto__SaslAuth	 simple;
	Hd__RpcSaslProto__SaslAuth	*auths[1] = { &simple };
	const Hd__RpcSaslProto__SaslAuth *a;
	Hd__RpcSaslProto		*r;
	char				 offered[256];
	int				 rc = -1;

	hd__rpc_sasl_proto__init(&neg);
	neg.state = HD__RPC_SASL_PROTO__SASL_STATE__NEGOTIATE;
	if (rpc_sasl_send(c, &neg, err) == -1)
		return -1;
	if ((r = rpc_sasl_read(c, err)) == NULL)
		return -1;
	/* A server with only SIMPLE enabled answers SUCCESS at once. */
	if (r->state == HD__RPC_SASL_PROTO__SASL_STATE__SUCCESS) {
		if (o->kerberos) {
			error_set(err, ERR_INPUT, RPC_NO_FALLBACK);
			goto broken;
		}
		rc = 0;
		goto out;
	}
	if (r->state != HD__RPC_SASL_PROTO__SASL_STATE__NEGOTIATE) {
		error_set(err, ERR_PROTO, "SASL: unexpected state %d",
		    (int)r->state);
		goto broken;
	}
	if (o->kerberos) {
		rc = rpc_sasl_kerberos(c, r, o, client, err);
		goto out;
	}
	if ((a = rpc_sasl_find(r, "SIMPLE")) == NULL) {
		/* What the NameNode itself says to a client without SASL. */
		rpc_sasl_offered(r, offered, sizeof offered);
		error_remote(err,
		    "org.apache.hadoop.security.AccessControlException",
		    "AccessControlException: SIMPLE authentication is not "
		    "enabled.  Available:[%s]", offered);
		goto broken;
	}
	hd__rpc_sasl_proto__init(&init);
	hd__rpc_sasl_proto__sasl_auth__init(&simple);
	simple.method = a->method;
	simple.mechanism = a->mechanism;
	init.state = HD__RPC_SASL_PROTO__SASL_STATE__INITIATE;
	init.n_auths = 1;
	init.auths = auths;
	rc = rpc_sasl_send(c, &init, err);
	goto out;
broken:
	c->broken = true;
out:
	protobuf_c_message_free_unpacked(&r->base, NULL);
	return rc;
}

struct rpc_conn *
rpc_open_fd(int fd, const char *peer, const struct rpc_options *o,
    struct error *err)
{
	Hd__RpcRequestHeaderProto	 rh;
	Hd__IpcConnectionContextProto	 ctx;
	Hd__UserInformationProto	 ui;
	const ProtobufCMessage		*msgs[2];
	struct rpc_conn			*c;
	char				*client = NULL;
	uint8_t				 pre[7] = { 'h', 'r', 'p', 'c',
					    RPC_VERSION, 0, RPC_AUTH_NONE };

	c = xcalloc(1, sizeof *c);
	c->fd = fd;
	c->peer = xstrdup(peer);
	memcpy(c->client_id, o->client_id, RPC_CLIENT_ID_LEN);
	c->io_timeout_ms = o->io_timeout_ms;
	buf_init(&c->out);
	buf_init(&c->in);

	if (o->sasl || o->kerberos)
		pre[6] = RPC_AUTH_SASL;
	if (wire_write_full(fd, pre, sizeof pre, rpc_deadline(c), err) == -1) {
		if (err != NULL && err->code == ERR_SYS &&
		    (err->sys == EPIPE || err->sys == ECONNRESET))
			rpc_peer_gone(c, err, "closed");
		goto fail;
	}
	if ((o->sasl || o->kerberos) && rpc_sasl(c, o, &client, err) == -1)
		goto fail;

	rpc_header(c, &rh, RPC_CALL_CONTEXT, -1);
	hd__ipc_connection_context_proto__init(&ctx);
	hd__user_information_proto__init(&ui);
	/*
	 * Who we act as, as Java's ProtoUtil says it: with Kerberos the
	 * NameNode knows the real user from the login, so only the
	 * effective one (the principal itself unless impersonating); with
	 * SIMPLE both, the real user only when it is not the effective one.
	 */
	if (o->proxy_user != NULL) {
		ui.effectiveuser = (char *)o->proxy_user;
		if (client == NULL)
			ui.realuser = (char *)o->user;
	} else
		ui.effectiveuser = client != NULL ? client : (char *)o->user;
	ctx.userinfo = &ui;
	ctx.protocol = (char *)RPC_PROTOCOL;
	msgs[0] = &rh.base;
	msgs[1] = &ctx.base;
	if (rpc_send(c, msgs, 2, err) == -1)
		goto fail;
	free(client);
	c->used_ms = clock_mono_ms();
	return c;
fail:
	free(client);
	if (err != NULL && err->code != ERR_REMOTE)
		error_prefix(err, "%s", peer);
	rpc_close(c);
	return NULL;
}

struct rpc_conn *
rpc_connect(const char *host, const char *port, const struct rpc_options *o,
    struct error *err)
{
	char	 peer[300];
	int	 fd;

	snprintf(peer, sizeof peer, "%s:%s", host, port);
	if ((fd = net_connect_tcp(host, port, o->connect_timeout_ms,
	    err)) == -1)
		return NULL;
	return rpc_open_fd(fd, peer, o, err);
}

void
rpc_close(struct rpc_conn *c)
{
	if (c == NULL)
		return;
	if (c->fd != -1)
		close(c->fd);
	buf_clear(&c->out);
	buf_clear(&c->in);
	free(c->peer);
	sasl_gssapi_free(c->gss);
	free(c);
}

bool
rpc_is_broken(const struct rpc_conn *c)
{
	return c->broken;
}

bool
rpc_is_stale(struct rpc_conn *c, uint64_t max_idle_ms)
{
	struct pollfd	 pfd;
	char		 b;

	if (c->broken || clock_mono_ms() - c->used_ms > max_idle_ms)
		return true;
	/* A server that hung up between calls: end of stream or a reset. */
	pfd.fd = c->fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) <= 0)
		return false;
	return recv(c->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) <= 0;
}

int
rpc_call(struct rpc_conn *c, const char *method, int32_t id, int32_t retry,
    const ProtobufCMessage *req, const ProtobufCMessageDescriptor *rdesc,
    ProtobufCMessage **resp, bool *sent, struct error *err)
{
	Hd__RpcRequestHeaderProto	 rh;
	Hd__RequestHeaderProto		 mh;
	Hd__RpcResponseHeaderProto	*h;
	const ProtobufCMessage		*msgs[3];
	const uint8_t			*body, *m = NULL;
	size_t				 bodylen, mlen = 0;
	int				 rc = -1;

	*resp = NULL;
	if (sent != NULL)
		*sent = false;
	if (c->broken)
		return error_set(err, ERR_PROTO, "%s: connection broken",
		    c->peer);
	rpc_header(c, &rh, id, retry);
	hd__request_header_proto__init(&mh);
	mh.methodname = (char *)method;
	mh.declaringclassprotocolname = (char *)RPC_PROTOCOL;
	mh.clientprotocolversion = 1;
	msgs[0] = &rh.base;
	msgs[1] = &mh.base;
	msgs[2] = req;
	if (sent != NULL)
		*sent = true;
	if (rpc_send(c, msgs, 3, err) == -1)
		goto fail;
	if ((h = rpc_read_header(c, &body, &bodylen, err)) == NULL)
		goto fail;
	if (h->status != RPC_OK) {
		rpc_status_error(c, h, err);
		goto out;
	}
	if ((int32_t)h->callid != id) {
		error_set(err, ERR_PROTO, "reply to call %d, expected %d",
		    (int32_t)h->callid, id);
		c->broken = true;
		goto out;
	}
	if (h->has_clientid && h->clientid.len != 0 &&
	    (h->clientid.len != RPC_CLIENT_ID_LEN ||
	    memcmp(h->clientid.data, c->client_id, RPC_CLIENT_ID_LEN) != 0)) {
		error_set(err, ERR_PROTO, "reply for another client id");
		c->broken = true;
		goto out;
	}
	/* An empty or absent body both mean "no fields set". */
	if (bodylen > 0 &&
	    wire_next_delimited(&body, &bodylen, &m, &mlen, err) == -1) {
		c->broken = true;
		goto out;
	}
	if (bodylen != 0) {
		error_set(err, ERR_PROTO, "%zu stray bytes after the reply",
		    bodylen);
		c->broken = true;
		goto out;
	}
	if ((*resp = wire_unpack(rdesc, m != NULL ? m : (const uint8_t *)"",
	    mlen, err)) == NULL)
		goto out;
	rc = 0;
out:
	protobuf_c_message_free_unpacked(&h->base, NULL);
	c->used_ms = clock_mono_ms();
	if (rc == 0)
		return 0;
fail:
	if (err != NULL && err->code != ERR_REMOTE)
		error_prefix(err, "%s: %s", c->peer, method);
	return -1;
}
