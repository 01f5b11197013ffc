/*
 * The security layer a DataNode SASL handshake leaves behind at QOP
 * integrity or privacy (auth-int, auth-conf): from then on every byte
 * of the connection, the op included, travels in frames of a 4-byte
 * big-endian length and a token the mechanism wrapped, as Hadoop's
 * SaslOutputStream and SaslInputStream frame them.  Cyrus SASL wraps,
 * unwraps and keeps the sequence numbers; this module cuts the plain
 * bytes to the peer's buffer size.  One thread at a time per layer.
 */
#ifndef HDFS_SASL_LAYER_H
#define HDFS_SASL_LAYER_H

#include <stddef.h>

#include "base/buf.h"
#include "base/error.h"

/* The QOPs, as dfs.data.transfer.protection names them. */
#define SASL_QOP_NONE		0	/* no SASL at all */
#define SASL_QOP_AUTH		1	/* auth: authentication only */
#define SASL_QOP_INTEGRITY	2	/* auth-int: every frame signed */
#define SASL_QOP_PRIVACY	3	/* auth-conf: signed and encrypted */
/*
 * Privacy takes 128-bit RC4, the one DIGEST-MD5 cipher that Debian 12's
 * Cyrus SASL plugin runs on OpenSSL 3 (its 3DES fails to start), and
 * never single DES or the 40 and 56 bit RC4 of the export days.  The
 * plugin leaks memory on each of those other paths.
 */
#define SASL_PRIVACY_MIN_SSF	128

/* "none", "authentication", "integrity" or "privacy". */
const char	*sasl_qop_name(int qop);
/* The QOP SASL calls word[0..n) ("auth-int"), or -1. */
int		 sasl_qop_parse(const char *word, size_t n);

/*
 * Gives Cyrus SASL real mutexes: its own do nothing, and DIGEST-MD5
 * keeps a cache shared by every connection of the process.  Call before
 * sasl_client_init() or sasl_server_init(); once is enough.
 */
void		 sasl_use_pthreads(void);

struct sasl_layer;

/*
 * Sets conn's (a sasl_conn_t) security properties for qop: SASL names
 * a QOP by its strength, 0 auth, 1 auth-int, more auth-conf (the
 * cipher's key bits: SASL_PRIVACY_MIN_SSF or more).
 * maxbuf is the largest frame the peer may send.
 */
void	sasl_layer_secprops(void *conn, int qop, unsigned maxbuf);
/*
 * Takes over conn, a sasl_conn_t whose handshake succeeded at a QOP
 * with a layer, and what its callbacks use (release(arg) runs after the
 * connection is gone); both are let go of even on failure.  NULL with
 * err when SASL cannot tell the peer's buffer size.
 */
struct sasl_layer	*sasl_layer_new(void *conn, void (*release)(void *),
			    void *arg, struct error *);
/* "auth-int" or "auth-conf", and the strength (SASL's SSF). */
const char	*sasl_layer_qop(const struct sasl_layer *);
unsigned	 sasl_layer_ssf(const struct sasl_layer *);
/* Appends the frames that carry p[0..n) to out. */
int	sasl_layer_wrap(struct sasl_layer *, const void *p, size_t n,
	    struct buf *out, struct error *);
/*
 * Feeds n bytes from the wire; appends the plain bytes of every frame
 * now complete to out (a partial frame waits for the next call).  A
 * frame that fails its check is ERR_PROTO.
 */
int	sasl_layer_unwrap(struct sasl_layer *, const void *p, size_t n,
	    struct buf *out, struct error *);
void	sasl_layer_free(struct sasl_layer *);

#endif
