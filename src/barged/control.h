/*
 * The control socket and the metrics endpoint.  The socket speaks a
 * versioned line protocol: the client sends "barge-control 1" and one
 * request ("status", "status json" or "metrics"); barged answers and
 * closes.  The HTTP endpoint serves GET /metrics in Prometheus text.
 */
#ifndef BARGED_CONTROL_H
#define BARGED_CONTROL_H

#include <event2/event.h>

#include "barged/metrics.h"
#include "base/error.h"

#define CONTROL_HELLO	"barge-control 1"

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
