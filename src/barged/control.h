/*
 * The control socket and the metrics endpoint.  The socket speaks the
 * versioned line protocol of core/control_proto.h.  The HTTP endpoint
 * serves GET /metrics in Prometheus text.
 */
#ifndef BARGED_CONTROL_H
#define BARGED_CONTROL_H

#include <event2/event.h>

#include "barged/metrics.h"
#include "base/error.h"
#include "core/control_proto.h"

/* Brings the metrics up to date and returns them. */
typedef const struct metrics *(*control_metrics_cb)(void *arg);

struct control;

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
