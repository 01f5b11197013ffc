/*
 * The byte stream of one DataNode connection: the socket itself, or,
 * after a SASL handshake at QOP integrity or privacy, the socket seen
 * through the security layer.  The data-transfer code reads and writes
 * plain bytes here and never learns which.  Plain streams cost nothing
 * extra: writes go straight from the caller's buffer.
 */
#ifndef HDFS_DNCONN_H
#define HDFS_DNCONN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/buf.h"
#include "base/error.h"
#include "hdfs/sasl_layer.h"

struct dnconn {
	int			 fd;
	struct sasl_layer	*layer;		/* NULL: plain */
	struct buf		 in;		/* unwrapped, unread */
	size_t			 inpos;
	struct buf		 out;		/* wrapped, unsent */
	const uint8_t		*pend;		/* the next bytes to send */
	size_t			 npend;
};

void	dnconn_init(struct dnconn *, int fd);
/* From now on the stream goes through layer (taken over). */
void	dnconn_set_layer(struct dnconn *, struct sasl_layer *);
/* Closes the socket and frees the layer. */
void	dnconn_close(struct dnconn *);

/* Blocking, each up to the deadline; errors as wire_read_full's. */
int	dnconn_read(struct dnconn *, void *, size_t n, uint64_t deadline,
	    struct error *);
int	dnconn_write(struct dnconn *, const void *, size_t n,
	    uint64_t deadline, struct error *);
int	dnconn_read_delimited(struct dnconn *, struct buf *, size_t max,
	    uint64_t deadline, struct error *);

/*
 * Non-blocking, for a writer that sends while it reads acks.  queue
 * hands over n bytes to send (p must stay valid until pending() is 0);
 * send_some() sends what the socket takes now; recv_some() copies up to
 * n plain bytes that have arrived: 0 when none yet, -1 with ERR_NOTFOUND
 * at the end of the stream.  buffered() tells whether plain bytes wait
 * that no poll() on the socket would announce.
 */
int	dnconn_queue(struct dnconn *, const void *, size_t, struct error *);
size_t	dnconn_pending(const struct dnconn *);
int	dnconn_send_some(struct dnconn *, struct error *);
ssize_t	dnconn_recv_some(struct dnconn *, void *, size_t n, struct error *);
size_t	dnconn_buffered(const struct dnconn *);

#endif
