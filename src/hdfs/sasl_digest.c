/*
 * DataNode SASL, client side, as the captures show the Java client: the
 * magic, an empty SUCCESS message, the DataNode's DIGEST-MD5 challenge,
 * the response, the DataNode's rspauth.  Cyrus SASL computes the digest;
 * this file only frames it.
 */
#include "config.h"

#include "hdfs/sasl_digest.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "hdfs/digest_challenge.h"
#include "hdfs/proto/datatransfer.pb-c.h"
#include "hdfs/wire.h"

#ifdef HAVE_KERBEROS

#include <sasl/sasl.h>
#include <sasl/saslutil.h>

#define SASL_DIGEST_MAGIC	0xdeadbeefU
#define SASL_DIGEST_MAX_MSG	65536
#define SASL_DIGEST_OK		\
	HD__DATA_TRANSFER_ENCRYPTOR_MESSAGE_PROTO__DATA_TRANSFER_ENCRYPTOR_STATUS__SUCCESS
#define SASL_DIGEST_UNKNOWN_KEY	\
	HD__DATA_TRANSFER_ENCRYPTOR_MESSAGE_PROTO__DATA_TRANSFER_ENCRYPTOR_STATUS__ERROR_UNKNOWN_KEY

/*
 * What the client's callbacks need.  Cyrus keeps pointers to the
 * callbacks for the connection's whole life, so they live on the heap
 * and go with the connection into a security layer.
 */
struct sasl_digest {
	sasl_callback_t	 cbs[4];
	char		*user;		/* base64(identifier) */
	sasl_secret_t	*secret;	/* base64(password) */
};

static pthread_once_t	 sasl_digest_once = PTHREAD_ONCE_INIT;
static int		 sasl_digest_init_rc;

static void
sasl_digest_init(void)
{
	sasl_use_pthreads();
	sasl_digest_init_rc = sasl_client_init(NULL);
}

static char *
sasl_digest_b64(const uint8_t *p, size_t n)
{
	unsigned	 outlen;
	size_t		 cap = (n + 2) / 3 * 4 + 1;
	char		*s = xmalloc(cap);

	if (sasl_encode64((const char *)p, (unsigned)n, s, (unsigned)cap,
	    &outlen) != SASL_OK)
		fatalx("sasl_encode64 failed");
	return s;
}

static int
sasl_digest_cb_name(void *ctx, int id, const char **result, unsigned *len)
{
	struct sasl_digest	*d = ctx;

	if (id != SASL_CB_AUTHNAME && id != SASL_CB_USER)
		return SASL_BADPARAM;
	*result = d->user;
	if (len != NULL)
		*len = (unsigned)strlen(d->user);
	return SASL_OK;
}

static int
sasl_digest_cb_pass(sasl_conn_t *conn, void *ctx, int id,
    sasl_secret_t **secret)
{
	struct sasl_digest	*d = ctx;

	(void)conn;
	if (id != SASL_CB_PASS)
		return SASL_BADPARAM;
	*secret = d->secret;
	return SASL_OK;
}

static int
sasl_digest_cb_realm(void *ctx, int id, const char **avail,
    const char **result)
{
	(void)ctx;
	(void)avail;
	if (id != SASL_CB_GETREALM)
		return SASL_BADPARAM;
	*result = "0";
	return SASL_OK;
}

/* Cyrus keeps callbacks as int (*)(void); go through void (*)(void). */
#define SASL_DIGEST_CB(f)	((int (*)(void))(void (*)(void))(f))

static int
sasl_digest_send(int fd, const void *magic, const char *payload,
    unsigned len, uint64_t deadline, struct error *err)
{
	Hd__DataTransferEncryptorMessageProto	 m;
	struct buf				 b;
	int					 rc;

	hd__data_transfer_encryptor_message_proto__init(&m);
	m.status = SASL_DIGEST_OK;
	m.has_payload = 1;
	m.payload.data = (uint8_t *)payload;
	m.payload.len = len;
	buf_init(&b);
	if (magic != NULL)
		buf_append(&b, magic, 4);
	wire_append_delimited(&b, &m.base);
	rc = wire_write_full(fd, b.data, b.len, deadline, err);
	buf_clear(&b);
	return rc;
}

static Hd__DataTransferEncryptorMessageProto *
sasl_digest_recv(int fd, uint64_t deadline, struct error *err)
{
	Hd__DataTransferEncryptorMessageProto	*m;
	struct buf				 b;

	buf_init(&b);
	if (wire_read_delimited(fd, &b, SASL_DIGEST_MAX_MSG, deadline,
	    err) == -1) {
		if (err != NULL && err->code == ERR_NOTFOUND)
			error_set(err, ERR_PROTO, "connection closed");
		buf_clear(&b);
		return NULL;
	}
	m = (Hd__DataTransferEncryptorMessageProto *)wire_unpack(
	    &hd__data_transfer_encryptor_message_proto__descriptor,
	    (const uint8_t *)b.data, b.len, err);
	buf_clear(&b);
	if (m != NULL && m->status != SASL_DIGEST_OK) {
		error_set(err, ERR_REMOTE, "%s%s%s",
		    m->status == SASL_DIGEST_UNKNOWN_KEY ?
		    "the DataNode does not know the block token's key" :
		    "the DataNode refused the SASL handshake",
		    m->message != NULL ? ": " : "",
		    m->message != NULL ? m->message : "");
		protobuf_c_message_free_unpacked(&m->base, NULL);
		return NULL;
	}
	return m;
}

/*
 * The server's qop="..." list from its challenge, in the setting's
 * words ("integrity, privacy"), for an error message.
 */
static void
sasl_digest_offered(const struct digest_challenge *dc, char *out,
    size_t outlen)
{
	const char	*p = dc->qop, *end, *q;
	size_t		 used = 0;
	int		 qop;

	snprintf(out, outlen, "none");
	if (p == NULL)
		return;
	for (end = p + dc->qoplen; p < end; p = q) {
		for (q = p; q < end && *q != ','; q++)
			;
		if ((qop = sasl_qop_parse(p, (size_t)(q - p))) != -1)
			used += (size_t)snprintf(out + used,
			    used < outlen ? outlen - used : 0, "%s%s",
			    used > 0 ? ", " : "", sasl_qop_name(qop));
		if (q < end)
			q++;
	}
}

static void
sasl_digest_free(void *arg)
{
	struct sasl_digest	*d = arg;

	free(d->user);
	free(d->secret);
	free(d);
}

int
sasl_digest_handshake(int fd, const uint8_t *ident, size_t identlen,
    const uint8_t *pass, size_t passlen, int qop, struct sasl_layer **layer,
    uint64_t deadline, struct error *err)
{
	struct sasl_digest			*d;
	struct digest_challenge			 dc;
	sasl_conn_t				*conn = NULL;
	Hd__DataTransferEncryptorMessageProto	*m = NULL;
	const char				*out, *mech;
	unsigned				 outlen;
	uint8_t					 magic[4];
	char					*pw, offered[64];
	size_t					 pwlen;
	const void				*ssfp;
	unsigned				 ssf;
	int					 r, step, rc = -1;

	*layer = NULL;
	pthread_once(&sasl_digest_once, sasl_digest_init);
	if (sasl_digest_init_rc != SASL_OK)
		return error_set(err, ERR_INPUT, "SASL: cannot start Cyrus "
		    "SASL: %s", sasl_errstring(sasl_digest_init_rc, NULL,
		    NULL));
	if (identlen == 0)
		return error_set(err, ERR_INPUT, "SASL: the NameNode gave no "
		    "block token (are block access tokens enabled?)");
	d = xcalloc(1, sizeof *d);
	d->user = sasl_digest_b64(ident, identlen);
	pw = sasl_digest_b64(pass, passlen);
	pwlen = strlen(pw);
	d->secret = xmalloc(sizeof *d->secret + pwlen);
	d->secret->len = pwlen;
	memcpy(d->secret->data, pw, pwlen + 1);
	free(pw);

	d->cbs[0] = (sasl_callback_t){ SASL_CB_AUTHNAME,
	    SASL_DIGEST_CB(sasl_digest_cb_name), d };
	d->cbs[1] = (sasl_callback_t){ SASL_CB_PASS,
	    SASL_DIGEST_CB(sasl_digest_cb_pass), d };
	d->cbs[2] = (sasl_callback_t){ SASL_CB_GETREALM,
	    SASL_DIGEST_CB(sasl_digest_cb_realm), d };
	d->cbs[3] = (sasl_callback_t){ SASL_CB_LIST_END, NULL, NULL };
	/* Hadoop's DataNode SASL: service "hdfs", server name "0". */
	if ((r = sasl_client_new("hdfs", "0", NULL, NULL, d->cbs,
	    SASL_SUCCESS_DATA, &conn)) != SASL_OK) {
		error_set(err, ERR_INPUT, "SASL: %s",
		    sasl_errstring(r, NULL, NULL));
		goto out;
	}
	/* 65536 is Java's default buffer size. */
	sasl_layer_secprops(conn, qop, 65536);
	r = sasl_client_start(conn, "DIGEST-MD5", NULL, &out, &outlen, &mech);
	if (r != SASL_CONTINUE && r != SASL_OK) {
		error_set(err, ERR_INPUT, "SASL: DIGEST-MD5: %s (is the "
		    "Cyrus SASL DIGEST-MD5 plugin, libsasl2-modules, "
		    "installed?)", sasl_errdetail(conn));
		goto out;
	}
	wire_put_be32(magic, SASL_DIGEST_MAGIC);
	if (sasl_digest_send(fd, magic, out, outlen, deadline, err) == -1)
		goto out;
	/* The challenge, then the rspauth. */
	for (step = 0; step < 2; step++) {
		if ((m = sasl_digest_recv(fd, deadline, err)) == NULL)
			goto out;
		if (step == 0 && digest_challenge_check(
		    (const char *)m->payload.data, m->payload.len, &dc,
		    err) == -1)
			goto out;
		r = sasl_client_step(conn, (const char *)m->payload.data,
		    (unsigned)m->payload.len, NULL, &out, &outlen);
		if (step == 0 && r != SASL_CONTINUE) {
			sasl_digest_offered(&dc, offered, sizeof offered);
			if (strstr(offered, sasl_qop_name(qop)) == NULL)
				error_set(err, ERR_INPUT, "the DataNode offers "
				    "%s, hdfs.data_transfer_protection is %s",
				    offered, sasl_qop_name(qop));
			else
				error_set(err, ERR_PROTO, "SASL: DIGEST-MD5 "
				    "challenge: %s", sasl_errdetail(conn));
			goto out;
		}
		if (step == 1 && r != SASL_OK) {
			error_set(err, ERR_PROTO, "SASL: the DataNode did not "
			    "prove it knows the block token: %s",
			    sasl_errdetail(conn));
			goto out;
		}
		protobuf_c_message_free_unpacked(&m->base, NULL);
		m = NULL;
		if (step == 0 && sasl_digest_send(fd, NULL, out, outlen,
		    deadline, err) == -1)
			goto out;
	}
	ssf = 0;
	if (sasl_getprop(conn, SASL_SSF, &ssfp) == SASL_OK && ssfp != NULL)
		ssf = (unsigned)*(const sasl_ssf_t *)ssfp;
	if ((ssf != 0) != (qop != SASL_QOP_AUTH) ||
	    (ssf > 1) != (qop == SASL_QOP_PRIVACY)) {
		error_set(err, ERR_PROTO, "SASL: agreed on strength %u for "
		    "%s", ssf, sasl_qop_name(qop));
		goto out;
	}
	if (qop != SASL_QOP_AUTH) {
		/* The layer takes the connection and its callbacks. */
		*layer = sasl_layer_new(conn, sasl_digest_free, d, err);
		conn = NULL;
		d = NULL;
		if (*layer == NULL)
			goto out;
	}
	rc = 0;
out:
	if (m != NULL)
		protobuf_c_message_free_unpacked(&m->base, NULL);
	if (conn != NULL)
		sasl_dispose(&conn);
	if (d != NULL)
		sasl_digest_free(d);
	return rc;
}

#else /* !HAVE_KERBEROS */

int
sasl_digest_handshake(int fd, const uint8_t *ident, size_t identlen,
    const uint8_t *pass, size_t passlen, int qop, struct sasl_layer **layer,
    uint64_t deadline, struct error *err)
{
	*layer = NULL;
	(void)qop;
	(void)fd;
	(void)ident;
	(void)identlen;
	(void)pass;
	(void)passlen;
	(void)deadline;
	return error_set(err, ERR_INPUT, "SASL: this barge was built "
	    "without secure HDFS support (configure --with-kerberos, needs "
	    "libkrb5-dev and libsasl2-dev)");
}

#endif /* HAVE_KERBEROS */
