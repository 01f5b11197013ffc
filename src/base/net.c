/*
 * Sockets with deadlines.  Sockets are non-blocking from the moment they
 * are created; every wait is a poll() bounded by a monotonic deadline, so
 * the blocking HDFS client and the control socket cannot hang on a peer.
 */
#include "config.h"

#include "base/net.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/xmalloc.h"

static int
net_parse_one(const char *s, size_t len, const char *defport,
    struct net_addr *a, struct error *err)
{
	const char	*colon = NULL, *host = s, *p;
	size_t		 hostlen, portlen;

	if (len > 0 && s[0] == '[') {
		if ((p = memchr(s, ']', len)) == NULL)
			return error_set(err, ERR_INPUT,
			    "%.*s: missing ']'", (int)len, s);
		host = s + 1;
		hostlen = (size_t)(p - host);
		p++;
		if (p < s + len) {
			if (*p != ':')
				return error_set(err, ERR_INPUT, "%.*s: "
				    "expected ':' after ']'", (int)len, s);
			colon = p;
		}
	} else {
		for (p = s; p < s + len; p++)
			if (*p == ':')
				colon = p;
		hostlen = (colon != NULL ? (size_t)(colon - s) : len);
	}
	if (hostlen == 0 || hostlen >= sizeof a->host)
		return error_set(err, ERR_INPUT, "%.*s: bad host", (int)len, s);
	memcpy(a->host, host, hostlen);
	a->host[hostlen] = '\0';
	if (colon == NULL) {
		snprintf(a->port, sizeof a->port, "%s", defport);
		return 0;
	}
	portlen = len - (size_t)(colon + 1 - s);
	if (portlen == 0 || portlen >= sizeof a->port ||
	    strspn(colon + 1, "0123456789") < portlen)
		return error_set(err, ERR_INPUT, "%.*s: bad port", (int)len, s);
	memcpy(a->port, colon + 1, portlen);
	a->port[portlen] = '\0';
	if (atoi(a->port) < 1 || atoi(a->port) > 65535)
		return error_set(err, ERR_INPUT, "%.*s: bad port", (int)len, s);
	return 0;
}

struct net_addr *
net_parse_hostports(const char *list, const char *defport, size_t *n,
    struct error *err)
{
	struct net_addr	*v = NULL;
	const char	*s = list, *e;
	size_t		 count = 0;

	*n = 0;
	for (;;) {
		while (*s == ' ')
			s++;
		e = s + strcspn(s, ",");
		while (e > s && e[-1] == ' ')
			e--;
		v = xreallocarray(v, count + 1, sizeof *v);
		if (net_parse_one(s, (size_t)(e - s), defport, &v[count],
		    err) == -1) {
			free(v);
			return NULL;
		}
		count++;
		s = e + strspn(e, " ");
		if (*s == '\0')
			break;
		s++;
	}
	*n = count;
	return v;
}

uint64_t
net_deadline(int timeout_ms)
{
	if (timeout_ms <= 0)
		return 0;
	return clock_mono_ms() + (uint64_t)timeout_ms;
}

int
net_wait(int fd, short events, uint64_t deadline, struct error *err)
{
	struct pollfd	 pfd;
	uint64_t	 now;
	int		 ms, r;

	for (;;) {
		ms = -1;
		if (deadline != 0) {
			now = clock_mono_ms();
			if (now >= deadline)
				return error_set(err, ERR_TIMEOUT, "timed out");
			ms = (int)MIN(deadline - now, (uint64_t)INT32_MAX);
		}
		pfd.fd = fd;
		pfd.events = events;
		pfd.revents = 0;
		r = poll(&pfd, 1, ms);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			return error_sys(err, "poll");
		}
		if (r > 0)
			return pfd.revents;
	}
}

static int
net_connect_addr(const struct sockaddr *sa, socklen_t salen, int family,
    uint64_t deadline, struct error *err)
{
	socklen_t	 len;
	int		 fd, soerr, one = 1;

	fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1)
		return error_sys(err, "socket");
	if (connect(fd, sa, salen) == -1) {
		if (errno != EINPROGRESS) {
			error_sys(err, "connect");
			goto fail;
		}
		if (net_wait(fd, POLLOUT, deadline, err) == -1) {
			if (err != NULL && err->code == ERR_TIMEOUT)
				error_set(err, ERR_TIMEOUT,
				    "connect timed out");
			goto fail;
		}
		len = sizeof soerr;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1) {
			error_sys(err, "getsockopt");
			goto fail;
		}
		if (soerr != 0) {
			errno = soerr;
			error_sys(err, "connect");
			goto fail;
		}
	}
	if (family != AF_UNIX)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
fail:
	close(fd);
	return -1;
}

int
net_connect_tcp(const char *host, const char *port, int timeout_ms,
    struct error *err)
{
	struct addrinfo	 hints, *res, *ai;
	uint64_t	 deadline = net_deadline(timeout_ms);
	int		 fd = -1, r;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	if ((r = getaddrinfo(host, port, &hints, &res)) != 0)
		return error_set(err, ERR_SYS, "%s: %s", host,
		    gai_strerror(r));
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = net_connect_addr(ai->ai_addr, ai->ai_addrlen,
		    ai->ai_family, deadline, err);
		if (fd != -1 || (err != NULL && err->code == ERR_TIMEOUT))
			break;
	}
	freeaddrinfo(res);
	if (fd == -1)
		error_prefix(err, "%s:%s", host, port);
	return fd;
}

int
net_connect_unix(const char *path, int timeout_ms, struct error *err)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path)
		return error_set(err, ERR_INPUT, "%s: path too long", path);
	strcpy(sun.sun_path, path);
	fd = net_connect_addr((struct sockaddr *)&sun, sizeof sun, AF_UNIX,
	    net_deadline(timeout_ms), err);
	if (fd == -1)
		error_prefix(err, "%s", path);
	return fd;
}

ssize_t
net_read_some(int fd, void *p, size_t n, uint64_t deadline,
    struct error *err)
{
	ssize_t	 r;

	for (;;) {
		r = recv(fd, p, n, 0);
		if (r >= 0)
			return r;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return error_sys(err, "recv");
		if (net_wait(fd, POLLIN, deadline, err) == -1)
			return -1;
	}
}

int
net_read_full(int fd, void *p, size_t n, uint64_t deadline,
    struct error *err)
{
	char	*s = p;
	ssize_t	 r;

	while (n > 0) {
		if ((r = net_read_some(fd, s, n, deadline, err)) == -1)
			return -1;
		if (r == 0)
			return error_set(err, ERR_PROTO,
			    "connection closed by peer");
		s += r;
		n -= (size_t)r;
	}
	return 0;
}

int
net_write_full(int fd, const void *p, size_t n, uint64_t deadline,
    struct error *err)
{
	const char	*s = p;
	ssize_t		 w;

	while (n > 0) {
		w = send(fd, s, n, MSG_NOSIGNAL);
		if (w == -1) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return error_sys(err, "send");
			if (net_wait(fd, POLLOUT, deadline, err) == -1)
				return -1;
			continue;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}
