/*
 * Block access tokens and DataNode SASL for --data-transfer-protection:
 * the NameNode issues a random identifier and password with every
 * LocatedBlock and remembers them; a DataNode then demands the
 * 0xDEADBEEF magic and a DIGEST-MD5 handshake (realm "0", service
 * "hdfs", server "0", QOP auth) proving the client holds a token, as the
 * DataNode in the captures does.  Cyrus SASL does the digest; the
 * passwords reach it through an auxprop plugin of our own that looks the
 * token up.  A DataNode forwarding a write does the client side with the
 * token of the op, as a real one does.  At QOP integrity or privacy
 * the DataNode code reads plain bytes from a socket pair a thread
 * unwraps into, and writes through mdsasl_write.
 */
#include "config.h"

#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/net.h"
#include "base/xmalloc.h"
#include "hdfs/proto/datatransfer.pb-c.h"
#include "hdfs/proto/namenode.pb-c.h"
#include "hdfs/sasl_layer.h"
#include "hdfs/wire.h"

#include "minidfs.h"

#define MDSASL_MAGIC	0xdeadbeefU
#define MDSASL_OK	\
	HD__DATA_TRANSFER_ENCRYPTOR_MESSAGE_PROTO__DATA_TRANSFER_ENCRYPTOR_STATUS__SUCCESS
#define MDSASL_ERROR	\
	HD__DATA_TRANSFER_ENCRYPTOR_MESSAGE_PROTO__DATA_TRANSFER_ENCRYPTOR_STATUS__ERROR

struct mdsasl_token {
	char		*user;		/* base64(identifier) */
	char		*pass;		/* base64(password) */
	uint64_t	 blockid;
};

static pthread_mutex_t		 mdsasl_mu = PTHREAD_MUTEX_INITIALIZER;
static struct mdsasl_token	*mdsasl_tokens;
static size_t			 mdsasl_ntokens;

static char *
mdsasl_b64(const uint8_t *p, size_t n)
{
	static const char	 a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	char			*s = xmalloc((n + 2) / 3 * 4 + 1), *o = s;
	size_t			 i;
	uint32_t		 v;

	for (i = 0; i < n; i += 3) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		*o++ = a[v >> 18 & 63];
		*o++ = a[v >> 12 & 63];
		*o++ = i + 1 < n ? a[v >> 6 & 63] : '=';
		*o++ = i + 2 < n ? a[v & 63] : '=';
	}
	*o = '\0';
	return s;
}

void
mdsasl_token(struct arena *a, uint64_t blockid, Hd__TokenProto *t)
{
	uint8_t			*id = arena_alloc(a, 28);
	uint8_t			*pw = arena_alloc(a, 20);
	struct mdsasl_token	*k;

	arc4random_buf(id, 20);
	memcpy(id + 20, &blockid, 8);
	arc4random_buf(pw, 20);
	t->identifier.data = id;
	t->identifier.len = 28;
	t->password.data = pw;
	t->password.len = 20;
	t->kind = "HDFS_BLOCK_TOKEN";
	t->service = "";
	pthread_mutex_lock(&mdsasl_mu);
	mdsasl_tokens = xreallocarray(mdsasl_tokens, mdsasl_ntokens + 1,
	    sizeof *mdsasl_tokens);
	k = &mdsasl_tokens[mdsasl_ntokens++];
	k->user = mdsasl_b64(id, 28);
	k->pass = mdsasl_b64(pw, 20);
	k->blockid = blockid;
	pthread_mutex_unlock(&mdsasl_mu);
	/* As if signed with a key the DataNodes never received. */
	if (mdfs.bad_block_tokens)
		pw[0] ^= 0xff;
}

int
mdsasl_check(const char *user, const Hd__TokenProto *t, uint64_t blockid,
    char *why, size_t whylen)
{
	char	*ident;
	size_t	 i;
	int	 rc = -1;

	if (t == NULL) {
		snprintf(why, whylen, "no block token");
		return -1;
	}
	ident = mdsasl_b64(t->identifier.data, t->identifier.len);
	if (strcmp(ident, user) != 0) {
		snprintf(why, whylen, "the op's block token is not the one "
		    "the SASL handshake proved");
		free(ident);
		return -1;
	}
	free(ident);
	pthread_mutex_lock(&mdsasl_mu);
	for (i = 0; i < mdsasl_ntokens; i++)
		if (strcmp(mdsasl_tokens[i].user, user) == 0)
			break;
	if (i == mdsasl_ntokens)
		snprintf(why, whylen, "unknown block token");
	else if (mdsasl_tokens[i].blockid != blockid)
		snprintf(why, whylen, "Block token for blk_%llu used for "
		    "blk_%llu", (unsigned long long)mdsasl_tokens[i].blockid,
		    (unsigned long long)blockid);
	else
		rc = 0;
	pthread_mutex_unlock(&mdsasl_mu);
	return rc;
}

#ifdef HAVE_KERBEROS

#include <sasl/sasl.h>
#include <sasl/saslplug.h>

static pthread_once_t	 mdsasl_once = PTHREAD_ONCE_INIT;
static int		 mdsasl_init_rc;

/* The password (base64) of the token whose identifier is user. */
static char *
mdsasl_find(const char *user, size_t len)
{
	char	*pass = NULL;
	size_t	 i;

	pthread_mutex_lock(&mdsasl_mu);
	for (i = 0; i < mdsasl_ntokens; i++)
		if (strlen(mdsasl_tokens[i].user) == len &&
		    memcmp(mdsasl_tokens[i].user, user, len) == 0) {
			pass = xstrdup(mdsasl_tokens[i].pass);
			break;
		}
	pthread_mutex_unlock(&mdsasl_mu);
	return pass;
}

static int
mdsasl_lookup(void *glob, sasl_server_params_t *sp, unsigned flags,
    const char *user, unsigned ulen)
{
	const struct propval	*p;
	const char		*at;
	char			*pass;
	size_t			 len = ulen;

	(void)glob;
	if (flags & SASL_AUXPROP_AUTHZID)
		return SASL_OK;
	if ((at = memchr(user, '@', ulen)) != NULL)
		len = (size_t)(at - user);
	if ((pass = mdsasl_find(user, len)) == NULL)
		return SASL_NOUSER;
	for (p = sp->utils->prop_get(sp->propctx); p->name != NULL; p++) {
		if (strcmp(p->name, "*userPassword") != 0)
			continue;
		if (p->values != NULL)
			sp->utils->prop_erase(sp->propctx, p->name);
		sp->utils->prop_set(sp->propctx, p->name, pass,
		    (int)strlen(pass));
	}
	free(pass);
	return SASL_OK;
}

static sasl_auxprop_plug_t mdsasl_plug = {
	.auxprop_lookup = mdsasl_lookup,
	.name = "minidfs",
};

static int
mdsasl_plug_init(const sasl_utils_t *utils, int max_version,
    int *out_version, sasl_auxprop_plug_t **plug, const char *name)
{
	(void)utils;
	(void)name;
	if (max_version < SASL_AUXPROP_PLUG_VERSION)
		return SASL_BADVERS;
	*out_version = SASL_AUXPROP_PLUG_VERSION;
	*plug = &mdsasl_plug;
	return SASL_OK;
}

static int
mdsasl_getopt(void *ctx, const char *plugin, const char *option,
    const char **result, unsigned *len)
{
	(void)ctx;
	(void)plugin;
	if (strcmp(option, "auxprop_plugin") == 0)
		*result = "minidfs";
	else if (strcmp(option, "mech_list") == 0)
		*result = "DIGEST-MD5";
	else if (strcmp(option, "pwcheck_method") == 0)
		*result = "auxprop";
	else if (strcmp(option, "log_level") == 0)
		*result = "3";
	else
		return SASL_FAIL;
	if (len != NULL)
		*len = (unsigned)strlen(*result);
	return SASL_OK;
}

#define MDSASL_CB(f)	((int (*)(void))(void (*)(void))(f))

static int
mdsasl_log(void *ctx, int level, const char *msg)
{
	(void)ctx;
	if (level <= SASL_LOG_PASS)
		mlog("cyrus sasl: %s", msg);
	return SASL_OK;
}

static void
mdsasl_init(void)
{
	static sasl_callback_t	 cbs[] = {
		{ SASL_CB_GETOPT, MDSASL_CB(mdsasl_getopt), NULL },
		{ SASL_CB_LOG, MDSASL_CB(mdsasl_log), NULL },
		{ SASL_CB_LIST_END, NULL, NULL },
	};

	sasl_use_pthreads();
	if ((mdsasl_init_rc = sasl_auxprop_add_plugin("minidfs",
	    mdsasl_plug_init)) != SASL_OK)
		return;
	if ((mdsasl_init_rc = sasl_server_init(cbs, "minidfs")) != SASL_OK)
		return;
	mdsasl_init_rc = sasl_client_init(NULL);
}

static int
mdsasl_send(int fd, int status, const char *payload, unsigned len,
    const char *message, bool magic)
{
	Hd__DataTransferEncryptorMessageProto	 m;
	struct buf				 b;
	struct error				 err;
	uint8_t					 mg[4];
	int					 rc;

	hd__data_transfer_encryptor_message_proto__init(&m);
	m.status = status;
	if (payload != NULL) {
		m.has_payload = 1;
		m.payload.data = (uint8_t *)payload;
		m.payload.len = len;
	}
	m.message = (char *)message;
	buf_init(&b);
	if (magic) {
		wire_put_be32(mg, MDSASL_MAGIC);
		buf_append(&b, mg, sizeof mg);
	}
	wire_append_delimited(&b, &m.base);
	rc = wire_write_full(fd, b.data, b.len,
	    wire_deadline(MDFS_IO_TIMEOUT_MS), &err);
	buf_clear(&b);
	return rc;
}

static Hd__DataTransferEncryptorMessageProto *
mdsasl_recv(int fd, char *why, size_t whylen)
{
	Hd__DataTransferEncryptorMessageProto	*m;
	struct buf				 b;
	struct error				 err;

	buf_init(&b);
	if (wire_read_delimited(fd, &b, 65536,
	    wire_deadline(MDFS_IO_TIMEOUT_MS), &err) == -1) {
		snprintf(why, whylen, "%s", err.msg);
		buf_clear(&b);
		return NULL;
	}
	m = (Hd__DataTransferEncryptorMessageProto *)wire_unpack(
	    &hd__data_transfer_encryptor_message_proto__descriptor,
	    (const uint8_t *)b.data, b.len, &err);
	buf_clear(&b);
	if (m == NULL)
		snprintf(why, whylen, "%s", err.msg);
	else if (m->status != MDSASL_OK) {
		snprintf(why, whylen, "peer said status %d: %s", m->status,
		    m->message != NULL ? m->message : "");
		protobuf_c_message_free_unpacked(&m->base, NULL);
		m = NULL;
	}
	return m;
}

/*
 * The QOP of --data-transfer-protection; the largest buffer DIGEST-MD5
 * allows, as the Go client sends frames of a whole packet.
 */
static void
mdsasl_secprops(sasl_conn_t *conn)
{
	sasl_layer_secprops(conn, mdfs.dt_qop, 0xffffff);
}

/*
 * A connection at QOP integrity or privacy.  The DataNode code holds
 * pair, one end of a socket pair: a thread unwraps what arrives on net
 * into it, while writes wrap in place (mdsasl_write), one frame per
 * write, so that frames end where the DataNode's packets end, as a Java
 * DataNode's do.
 */
struct mdsasl_relay {
	pthread_mutex_t		 mu;		/* the Cyrus connection */
	pthread_mutex_t		 wmu;		/* frames in order on net */
	struct sasl_layer	*layer;
	int			 net;		/* the wire */
	int			 pair;		/* the DataNode code's end */
	int			 inner;		/* the thread's end */
	int			 refs;
};

static pthread_mutex_t		  mdsasl_relays_mu =
    PTHREAD_MUTEX_INITIALIZER;
static struct mdsasl_relay	**mdsasl_relays;
static size_t			  mdsasl_nrelays;

static void
mdsasl_relay_unref(struct mdsasl_relay *r)
{
	bool	 last;

	pthread_mutex_lock(&r->mu);
	last = --r->refs == 0;
	pthread_mutex_unlock(&r->mu);
	if (!last)
		return;
	close(r->net);
	close(r->inner);
	sasl_layer_free(r->layer);
	pthread_mutex_destroy(&r->mu);
	pthread_mutex_destroy(&r->wmu);
	free(r);
}

/* The relay whose pair end is fd, with a reference; NULL for none. */
static struct mdsasl_relay *
mdsasl_relay_find(int fd, bool remove)
{
	struct mdsasl_relay	*r = NULL;
	size_t			 i;

	pthread_mutex_lock(&mdsasl_relays_mu);
	for (i = 0; i < mdsasl_nrelays; i++)
		if (mdsasl_relays[i]->pair == fd) {
			r = mdsasl_relays[i];
			if (remove)
				mdsasl_relays[i] =
				    mdsasl_relays[--mdsasl_nrelays];
			else {
				pthread_mutex_lock(&r->mu);
				r->refs++;
				pthread_mutex_unlock(&r->mu);
			}
			break;
		}
	pthread_mutex_unlock(&mdsasl_relays_mu);
	return r;
}

/* Unwraps what arrives on the wire, within the I/O timeout. */
static void *
mdsasl_relay_unwrap(void *arg)
{
	struct mdsasl_relay	*r = arg;
	uint8_t			 raw[65536];
	struct buf		 out;
	struct error		 err;
	ssize_t			 n;
	int			 rc;

	buf_init(&out);
	for (;;) {
		if (net_wait(r->net, POLLIN, wire_deadline(MDFS_IO_TIMEOUT_MS),
		    &err) == -1)
			break;
		if ((n = read(r->net, raw, sizeof raw)) == -1 &&
		    errno == EINTR)
			continue;
		if (n <= 0)
			break;
		buf_reset(&out);
		pthread_mutex_lock(&r->mu);
		rc = sasl_layer_unwrap(r->layer, raw, (size_t)n, &out, &err);
		pthread_mutex_unlock(&r->mu);
		if (rc == -1) {
			mlog("sasl relay: %s", err.msg);
			break;
		}
		if (out.len > 0 && wire_write_full(r->inner, out.data,
		    out.len, wire_deadline(MDFS_IO_TIMEOUT_MS), &err) == -1)
			break;
	}
	shutdown(r->inner, SHUT_WR);
	buf_clear(&out);
	mdsasl_relay_unref(r);
	return NULL;
}

/* Takes over net and l; returns the DataNode code's end, or -1. */
static int
mdsasl_relay(int net, struct sasl_layer *l)
{
	struct mdsasl_relay	*r;
	pthread_t		 t;
	int			 sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		return -1;
	r = xcalloc(1, sizeof *r);
	pthread_mutex_init(&r->mu, NULL);
	pthread_mutex_init(&r->wmu, NULL);
	r->layer = l;
	r->net = net;
	r->pair = sv[1];
	r->inner = sv[0];
	r->refs = 2;
	pthread_mutex_lock(&mdsasl_relays_mu);
	mdsasl_relays = xreallocarray(mdsasl_relays, mdsasl_nrelays + 1,
	    sizeof *mdsasl_relays);
	mdsasl_relays[mdsasl_nrelays++] = r;
	pthread_mutex_unlock(&mdsasl_relays_mu);
	if (pthread_create(&t, NULL, mdsasl_relay_unwrap, r) != 0)
		fatalx("pthread_create");
	pthread_detach(t);
	return sv[1];
}

int
mdsasl_write(int fd, const void *p, size_t n, struct error *err)
{
	struct mdsasl_relay	*r;
	struct buf		 out;
	int			 rc;

	if ((r = mdsasl_relay_find(fd, false)) == NULL)
		return wire_write_full(fd, p, n,
		    wire_deadline(MDFS_IO_TIMEOUT_MS), err);
	buf_init(&out);
	pthread_mutex_lock(&r->wmu);
	pthread_mutex_lock(&r->mu);
	rc = sasl_layer_wrap(r->layer, p, n, &out, err);
	pthread_mutex_unlock(&r->mu);
	if (rc == 0)
		rc = wire_write_full(r->net, out.data, out.len,
		    wire_deadline(MDFS_IO_TIMEOUT_MS), err);
	pthread_mutex_unlock(&r->wmu);
	buf_clear(&out);
	mdsasl_relay_unref(r);
	return rc;
}

void
mdsasl_close(int fd)
{
	struct mdsasl_relay	*r;

	if ((r = mdsasl_relay_find(fd, true)) != NULL) {
		/* The relay thread sees the end and lets go too. */
		shutdown(r->net, SHUT_RDWR);
		mdsasl_relay_unref(r);
	}
	close(fd);
}

/*
 * After a successful handshake on conn (taken over, with what its
 * callbacks use: release(arg) once it is gone): *plain is fd
 * itself at QOP auth, else the pair's end of a relay onto net (taken
 * over; closed on failure unless it is fd).
 */
static int
mdsasl_finish(sasl_conn_t *conn, void (*release)(void *), void *arg, int fd,
    int net, int *plain, char *qop, size_t qoplen, char *why, size_t whylen)
{
	struct sasl_layer	*l;
	struct error		 err;

	if (mdfs.dt_qop == SASL_QOP_AUTH) {
		sasl_dispose(&conn);
		if (release != NULL)
			release(arg);
		snprintf(qop, qoplen, "auth");
		*plain = fd;
		return 0;
	}
	if ((l = sasl_layer_new(conn, release, arg, &err)) == NULL)
		snprintf(why, whylen, "%s", err.msg);
	else {
		snprintf(qop, qoplen, "%s ssf=%u", sasl_layer_qop(l),
		    sasl_layer_ssf(l));
		if ((*plain = mdsasl_relay(net, l)) != -1)
			return 0;
		snprintf(why, whylen, "socketpair: %s", strerror(errno));
		sasl_layer_free(l);
	}
	if (net != fd && net != -1)
		close(net);
	return -1;
}

int
mdsasl_serve(int fd, int *plain, char *user, size_t userlen, char *qop,
    size_t qoplen, char *why, size_t whylen)
{
	Hd__DataTransferEncryptorMessageProto	*m = NULL;
	sasl_conn_t				*conn = NULL;
	const char				*out;
	const void				*name;
	unsigned				 outlen;
	uint8_t					 mg[4];
	struct error				 err;
	int					 r, rc = -1;

	pthread_once(&mdsasl_once, mdsasl_init);
	if (mdsasl_init_rc != SASL_OK) {
		snprintf(why, whylen, "Cyrus SASL: %s",
		    sasl_errstring(mdsasl_init_rc, NULL, NULL));
		return -1;
	}
	if (wire_read_full(fd, mg, sizeof mg,
	    wire_deadline(MDFS_IO_TIMEOUT_MS), &err) == -1) {
		snprintf(why, whylen, "%s", err.msg);
		return -1;
	}
	if (wire_get_be32(mg) != MDSASL_MAGIC) {
		snprintf(why, whylen, "InvalidMagicNumberException: Received "
		    "%x instead of deadbeef from client.", wire_get_be32(mg));
		return -2;
	}
	if ((m = mdsasl_recv(fd, why, whylen)) == NULL)
		return -1;
	protobuf_c_message_free_unpacked(&m->base, NULL);
	m = NULL;
	/* rspauth is sent by us with SUCCESS: data with success allowed. */
	if ((r = sasl_server_new("hdfs", "0", "0", NULL, NULL, NULL,
	    SASL_SUCCESS_DATA, &conn)) != SASL_OK) {
		snprintf(why, whylen, "sasl_server_new: %s",
		    sasl_errstring(r, NULL, NULL));
		return -1;
	}
	mdsasl_secprops(conn);
	r = sasl_server_start(conn, "DIGEST-MD5", NULL, 0, &out, &outlen);
	if (r != SASL_CONTINUE) {
		snprintf(why, whylen, "sasl_server_start: %s",
		    sasl_errdetail(conn));
		goto out;
	}
	if (mdsasl_send(fd, MDSASL_OK, out, outlen, NULL, false) == -1 ||
	    (m = mdsasl_recv(fd, why, whylen)) == NULL)
		goto out;
	r = sasl_server_step(conn, (const char *)m->payload.data,
	    (unsigned)m->payload.len, &out, &outlen);
	if (r != SASL_OK) {
		/* A wrong password in Java's DIGEST-MD5 server's words. */
		if (r == SASL_BADAUTH)
			snprintf(why, whylen, "DIGEST-MD5: digest response "
			    "format violation. Mismatched response.");
		else
			snprintf(why, whylen, "DIGEST-MD5: %s",
			    sasl_errdetail(conn));
		mdsasl_send(fd, MDSASL_ERROR, NULL, 0, why, false);
		goto out;
	}
	if (sasl_getprop(conn, SASL_USERNAME, &name) != SASL_OK ||
	    name == NULL)
		name = "";
	/* Cyrus names the user with its realm, "...@0". */
	snprintf(user, userlen, "%.*s", (int)strcspn(name, "@"),
	    (const char *)name);
	if (mdsasl_send(fd, MDSASL_OK, out, outlen, NULL, false) == -1) {
		snprintf(why, whylen, "cannot send rspauth");
		goto out;
	}
	rc = mdsasl_finish(conn, NULL, NULL, fd, mdfs.dt_qop == SASL_QOP_AUTH ?
	    fd : dup(fd), plain, qop, qoplen, why, whylen);
	conn = NULL;
out:
	if (m != NULL)
		protobuf_c_message_free_unpacked(&m->base, NULL);
	if (conn != NULL)
		sasl_dispose(&conn);
	return rc;
}

/* Cyrus keeps the callbacks for the connection's life: on the heap. */
struct mdsasl_client {
	sasl_callback_t	 cbs[4];
	char		*user;
	sasl_secret_t	*secret;
};

static void
mdsasl_client_free(void *arg)
{
	struct mdsasl_client	*c = arg;

	free(c->user);
	free(c->secret);
	free(c);
}

static int
mdsasl_cb_name(void *ctx, int id, const char **result, unsigned *len)
{
	struct mdsasl_client	*c = ctx;

	(void)id;
	*result = c->user;
	if (len != NULL)
		*len = (unsigned)strlen(c->user);
	return SASL_OK;
}

static int
mdsasl_cb_pass(sasl_conn_t *conn, void *ctx, int id, sasl_secret_t **s)
{
	struct mdsasl_client	*c = ctx;

	(void)conn;
	(void)id;
	*s = c->secret;
	return SASL_OK;
}

static int
mdsasl_cb_realm(void *ctx, int id, const char **avail, const char **result)
{
	(void)ctx;
	(void)id;
	(void)avail;
	*result = "0";
	return SASL_OK;
}

int
mdsasl_connect(int fd, int *plain, const Hd__TokenProto *t, char *why,
    size_t whylen)
{
	Hd__DataTransferEncryptorMessageProto	*m = NULL;
	struct mdsasl_client			*c;
	sasl_conn_t				*conn = NULL;
	const char				*out, *mech;
	unsigned				 outlen;
	char					*pw, qop[32];
	int					 r, rc = -1;

	pthread_once(&mdsasl_once, mdsasl_init);
	if (mdsasl_init_rc != SASL_OK || t == NULL) {
		snprintf(why, whylen, "no SASL or no token");
		return -1;
	}
	c = xcalloc(1, sizeof *c);
	c->user = mdsasl_b64(t->identifier.data, t->identifier.len);
	pw = mdsasl_b64(t->password.data, t->password.len);
	c->secret = xmalloc(sizeof *c->secret + strlen(pw));
	c->secret->len = strlen(pw);
	memcpy(c->secret->data, pw, strlen(pw) + 1);
	free(pw);
	c->cbs[0] = (sasl_callback_t){ SASL_CB_AUTHNAME,
	    MDSASL_CB(mdsasl_cb_name), c };
	c->cbs[1] = (sasl_callback_t){ SASL_CB_PASS,
	    MDSASL_CB(mdsasl_cb_pass), c };
	c->cbs[2] = (sasl_callback_t){ SASL_CB_GETREALM,
	    MDSASL_CB(mdsasl_cb_realm), c };
	c->cbs[3] = (sasl_callback_t){ SASL_CB_LIST_END, NULL, NULL };
	if (sasl_client_new("hdfs", "0", NULL, NULL, c->cbs, 0, &conn) !=
	    SASL_OK) {
		snprintf(why, whylen, "sasl_client_new failed");
		goto out;
	}
	mdsasl_secprops(conn);
	r = sasl_client_start(conn, "DIGEST-MD5", NULL, &out, &outlen, &mech);
	if ((r != SASL_CONTINUE && r != SASL_OK) ||
	    mdsasl_send(fd, MDSASL_OK, out != NULL ? out : "", outlen, NULL,
	    true) == -1 || (m = mdsasl_recv(fd, why, whylen)) == NULL)
		goto out;
	r = sasl_client_step(conn, (const char *)m->payload.data,
	    (unsigned)m->payload.len, NULL, &out, &outlen);
	protobuf_c_message_free_unpacked(&m->base, NULL);
	if (r != SASL_CONTINUE || mdsasl_send(fd, MDSASL_OK, out, outlen,
	    NULL, false) == -1 || (m = mdsasl_recv(fd, why, whylen)) == NULL)
		goto out;
	r = sasl_client_step(conn, (const char *)m->payload.data,
	    (unsigned)m->payload.len, NULL, &out, &outlen);
	protobuf_c_message_free_unpacked(&m->base, NULL);
	if (r != SASL_OK) {
		snprintf(why, whylen, "downstream rspauth: %s",
		    sasl_errdetail(conn));
		goto out;
	}
	rc = mdsasl_finish(conn, mdsasl_client_free, c, fd, fd, plain, qop,
	    sizeof qop, why, whylen);
	conn = NULL;
	c = NULL;
out:
	if (conn != NULL)
		sasl_dispose(&conn);
	if (c != NULL)
		mdsasl_client_free(c);
	return rc;
}

#else /* !HAVE_KERBEROS */

int
mdsasl_write(int fd, const void *p, size_t n, struct error *err)
{
	return wire_write_full(fd, p, n, wire_deadline(MDFS_IO_TIMEOUT_MS),
	    err);
}

void
mdsasl_close(int fd)
{
	close(fd);
}

int
mdsasl_serve(int fd, int *plain, char *user, size_t userlen, char *qop,
    size_t qoplen, char *why, size_t whylen)
{
	(void)fd;
	(void)plain;
	(void)user;
	(void)userlen;
	(void)qop;
	(void)qoplen;
	snprintf(why, whylen, "built without Cyrus SASL");
	return -1;
}

int
mdsasl_connect(int fd, int *plain, const Hd__TokenProto *t, char *why,
    size_t whylen)
{
	(void)fd;
	(void)plain;
	(void)t;
	snprintf(why, whylen, "built without Cyrus SASL");
	return -1;
}

#endif /* HAVE_KERBEROS */
