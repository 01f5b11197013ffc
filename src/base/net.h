/*
 * Blocking-style sockets with deadlines.  Every socket this module
 * returns is non-blocking and close-on-exec; reads and writes wait with
 * poll() until a deadline on the monotonic clock, so no call can hang.
 */
#ifndef BASE_NET_H
#define BASE_NET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/error.h"

struct net_addr {
	char	host[256];
	char	port[8];
};

/*
 * Parses "host:port[,host:port...]" ("[v6addr]:port" for IPv6; a missing
 * port becomes defport).  Returns a heap array of *n addresses the caller
 * frees, or NULL with err (ERR_INPUT) on a malformed list.
 */
struct net_addr	*net_parse_hostports(const char *list,
		    const char *defport, size_t *n, struct error *);

/* Returns the monotonic time in ms timeout_ms from now (0: no deadline). */
uint64_t	net_deadline(int timeout_ms);

/*
 * Connects to host:port, trying each resolved address in turn, giving up
 * after timeout_ms.  Returns the socket (TCP_NODELAY set) or -1 with err:
 * ERR_TIMEOUT, or ERR_SYS with sys = ECONNREFUSED and the like.
 */
int		net_connect_tcp(const char *host, const char *port,
		    int timeout_ms, struct error *);
/* Connects to a unix stream socket; -1 with err on failure. */
int		net_connect_unix(const char *path, int timeout_ms,
		    struct error *);

/*
 * Waits until fd is ready for events (POLLIN/POLLOUT) or the deadline
 * passes.  Returns the revents, or -1 with err (ERR_TIMEOUT).
 */
int		net_wait(int fd, short events, uint64_t deadline,
		    struct error *);
/*
 * Reads exactly n bytes.  A peer that closes first is ERR_PROTO
 * ("connection closed by peer"); a passed deadline is ERR_TIMEOUT.
 */
int		net_read_full(int fd, void *, size_t n, uint64_t deadline,
		    struct error *);
/*
 * Reads what is available, up to n bytes, waiting for at least one.
 * Returns the count, 0 at end of stream, or -1 with err.
 */
ssize_t		net_read_some(int fd, void *, size_t n,
		    uint64_t deadline, struct error *);
/* Writes exactly n bytes (never raises SIGPIPE). */
int		net_write_full(int fd, const void *, size_t n,
		    uint64_t deadline, struct error *);

#endif
