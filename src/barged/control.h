/*
 * The control socket and the metrics endpoint.  The socket speaks the
 * versioned line protocol of core/control_proto.h.  The HTTP endpoint
 * serves GET /metrics in Prometheus text.
 */
#ifndef BARGED_CONTROL_H
#define BARGED_CONTROL_H

#include <stdbool.h>

#include <event2/event.h>

#include "barged/metrics.h"
#include "base/buf.h"
#include "base/error.h"
#include "core/control_proto.h"

/* Brings the metrics up to date and returns them. */
typedef const struct metrics *(*control_metrics_cb)(void *arg);

struct control;
struct evbuffer;

/* The longest request line (without its LF) a client may send. */
#define CONTROL_MAX_REQUEST	256

/* Where one connection is in the protocol; zero it to start. */
struct control_req {
	int		 nlines;
	bool		 is_hello;
};

/*
 * Reads the request lines that have arrived in in and, once both are
 * there, appends the answer to out.  Returns 1 when answered (read no
 * more), 0 when more is needed, -1 when a line is longer than
 * CONTROL_MAX_REQUEST, whole or not (drop the client).
 */
int		 control_request(struct control_req *, struct evbuffer *in,
		    control_metrics_cb, void *arg, struct buf *out);

/*
 * Listens on the unix socket path (replacing a stale one) and, when
 * http is "host:port" (not empty), serves /metrics there.
 */
struct control	*control_open(struct event_base *, const char *path,
		    const char *http, control_metrics_cb, void *arg,
		    struct error *);
/* Stops listening and removes the socket. */
void		 control_close(struct control *);

#endif
