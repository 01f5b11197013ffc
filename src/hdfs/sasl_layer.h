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

struct sasl_layer;

/*
 * Takes over conn, a sasl_conn_t whose handshake succeeded at a QOP
 * with a layer (disposed of even on failure).  NULL with err when SASL
 * cannot tell the peer's buffer size.
 */
struct sasl_layer	*sasl_layer_new(void *conn, struct error *);
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
