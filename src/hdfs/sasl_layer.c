/*
 * Wrapping and unwrapping through Cyrus SASL.  Cyrus's DIGEST-MD5 puts
 * the 4-byte length in front of each token it encodes and gathers
 * partial frames itself when decoding, which is the framing Hadoop's
 * streams use; what is left here is the peer's maximum buffer, which a
 * single sasl_encode call must not exceed.
 */
#include "config.h"

#include "hdfs/sasl_layer.h"

#include <stdlib.h>
#include <string.h>

#include "base/cdefs.h"
#include "base/xmalloc.h"

/* SASL's words for the QOPs and the setting's, in SASL_QOP_* order. */
static const struct {
	const char	*sasl;
	const char	*setting;
} sasl_qops[] = {
	{ "", "none" },
	{ "auth", "authentication" },
	{ "auth-int", "integrity" },
	{ "auth-conf", "privacy" },
};

const char *
sasl_qop_name(int qop)
{
	if (qop < SASL_QOP_NONE || qop > SASL_QOP_PRIVACY)
		return "none";
	return sasl_qops[qop].setting;
}

int
sasl_qop_parse(const char *word, size_t n)
{
	size_t	 i;

	for (i = SASL_QOP_AUTH; i < nitems(sasl_qops); i++)
		if (strlen(sasl_qops[i].sasl) == n &&
		    memcmp(sasl_qops[i].sasl, word, n) == 0)
			return (int)i;
	return -1;
}

#ifdef HAVE_KERBEROS

#include <pthread.h>

#include <sasl/sasl.h>

static void *
sasl_mutex_new(void)
{
	pthread_mutex_t	*m = xmalloc(sizeof *m);

	pthread_mutex_init(m, NULL);
	return m;
}

static int
sasl_mutex_take(void *m)
{
	return pthread_mutex_lock(m) == 0 ? SASL_OK : SASL_FAIL;
}

static int
sasl_mutex_give(void *m)
{
	return pthread_mutex_unlock(m) == 0 ? SASL_OK : SASL_FAIL;
}

static void
sasl_mutex_free(void *m)
{
	pthread_mutex_destroy(m);
	free(m);
}

void
sasl_use_pthreads(void)
{
	sasl_set_mutex(sasl_mutex_new, sasl_mutex_take, sasl_mutex_give,
	    sasl_mutex_free);
}

struct sasl_layer {
	sasl_conn_t	*conn;
	void		(*release)(void *);
	void		*arg;
	unsigned	 maxout;	/* plain bytes per frame */
	unsigned	 ssf;
};

void
sasl_layer_secprops(void *conn, int qop, unsigned maxbuf)
{
	sasl_security_properties_t	 sp;

	memset(&sp, 0, sizeof sp);
	sp.maxbufsize = maxbuf;
	sp.min_ssf = qop == SASL_QOP_PRIVACY ? SASL_PRIVACY_MIN_SSF :
	    qop == SASL_QOP_INTEGRITY ? 1 : 0;
	sp.max_ssf = qop == SASL_QOP_PRIVACY ? 256 :
	    qop == SASL_QOP_INTEGRITY ? 1 : 0;
	sasl_setprop(conn, SASL_SEC_PROPS, &sp);
}

struct sasl_layer *
sasl_layer_new(void *conn, void (*release)(void *), void *arg,
    struct error *err)
{
	struct sasl_layer	*l;
	const void		*v;

	l = xcalloc(1, sizeof *l);
	l->conn = conn;
	l->release = release;
	l->arg = arg;
	if (sasl_getprop(l->conn, SASL_MAXOUTBUF, &v) != SASL_OK ||
	    v == NULL || *(const unsigned *)v == 0) {
		error_set(err, ERR_PROTO, "SASL: no buffer size for the "
		    "security layer");
		sasl_layer_free(l);
		return NULL;
	}
	l->maxout = *(const unsigned *)v;
	if (sasl_getprop(l->conn, SASL_SSF, &v) == SASL_OK && v != NULL)
		l->ssf = (unsigned)*(const sasl_ssf_t *)v;
	return l;
}

const char *
sasl_layer_qop(const struct sasl_layer *l)
{
	return sasl_qops[l->ssf > 1 ? SASL_QOP_PRIVACY :
	    SASL_QOP_INTEGRITY].sasl;
}

unsigned
sasl_layer_ssf(const struct sasl_layer *l)
{
	return l->ssf;
}

int
sasl_layer_wrap(struct sasl_layer *l, const void *p, size_t n,
    struct buf *out, struct error *err)
{
	const char	*s = p, *enc;
	unsigned	 k, enclen;
	int		 r;

	while (n > 0) {
		k = n < l->maxout ? (unsigned)n : l->maxout;
		if ((r = sasl_encode(l->conn, s, k, &enc, &enclen)) !=
		    SASL_OK)
			return error_set(err, ERR_PROTO, "SASL: wrapping: %s",
			    sasl_errdetail(l->conn));
		buf_append(out, enc, enclen);
		s += k;
		n -= k;
	}
	return 0;
}

int
sasl_layer_unwrap(struct sasl_layer *l, const void *p, size_t n,
    struct buf *out, struct error *err)
{
	const char	*dec;
	unsigned	 k, declen;

	/* Cyrus takes unsigned lengths; feed a huge read in pieces. */
	while (n > 0) {
		k = n < 1U << 30 ? (unsigned)n : 1U << 30;
		if (sasl_decode(l->conn, p, k, &dec, &declen) != SASL_OK)
			return error_set(err, ERR_PROTO, "SASL: a frame failed "
			    "its %s check: %s", l->ssf > 1 ? "privacy" :
			    "integrity", sasl_errdetail(l->conn));
		if (declen > 0)
			buf_append(out, dec, declen);
		p = (const char *)p + k;
		n -= k;
	}
	return 0;
}

void
sasl_layer_free(struct sasl_layer *l)
{
	if (l == NULL)
		return;
	if (l->conn != NULL)
		sasl_dispose(&l->conn);
	if (l->release != NULL)
		l->release(l->arg);
	free(l);
}

#else /* !HAVE_KERBEROS */

void
sasl_use_pthreads(void)
{
}

struct sasl_layer {
	int	 unused;
};

void
sasl_layer_secprops(void *conn, int qop, unsigned maxbuf)
{
	(void)conn;
	(void)qop;
	(void)maxbuf;
}

struct sasl_layer *
sasl_layer_new(void *conn, void (*release)(void *), void *arg,
    struct error *err)
{
	(void)conn;
	if (release != NULL)
		release(arg);
	error_set(err, ERR_INPUT, "SASL: built without Cyrus SASL");
	return NULL;
}

const char *
sasl_layer_qop(const struct sasl_layer *l)
{
	(void)l;
	return "auth";
}

unsigned
sasl_layer_ssf(const struct sasl_layer *l)
{
	(void)l;
	return 0;
}

int
sasl_layer_wrap(struct sasl_layer *l, const void *p, size_t n,
    struct buf *out, struct error *err)
{
	(void)l;
	(void)p;
	(void)n;
	(void)out;
	return error_set(err, ERR_INPUT, "SASL: built without Cyrus SASL");
}

int
sasl_layer_unwrap(struct sasl_layer *l, const void *p, size_t n,
    struct buf *out, struct error *err)
{
	return sasl_layer_wrap(l, p, n, out, err);
}

void
sasl_layer_free(struct sasl_layer *l)
{
	free(l);
}

#endif /* HAVE_KERBEROS */
