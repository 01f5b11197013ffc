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

#include "base/xmalloc.h"

#ifdef HAVE_KERBEROS

#include <sasl/sasl.h>

struct sasl_layer {
	sasl_conn_t	*conn;
	unsigned	 maxout;	/* plain bytes per frame */
	unsigned	 ssf;
};

struct sasl_layer *
sasl_layer_new(void *conn, struct error *err)
{
	struct sasl_layer	*l;
	const void		*v;

	l = xcalloc(1, sizeof *l);
	l->conn = conn;
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
	return l->ssf > 1 ? "auth-conf" : "auth-int";
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
	free(l);
}

#else /* !HAVE_KERBEROS */

struct sasl_layer {
	int	 unused;
};

struct sasl_layer *
sasl_layer_new(void *conn, struct error *err)
{
	(void)conn;
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
