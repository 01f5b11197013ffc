/*
 * A DataNode connection's stream, plain or through a SASL layer.  With a
 * layer, reads pull whatever the socket has, unwrap it and serve from
 * the plain buffer; writes wrap the whole piece first and then send the
 * frames.
 */
#include "config.h"

#include "hdfs/dnconn.h"

#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "base/cdefs.h"
#include "base/net.h"
#include "hdfs/wire.h"

/* What one read from the socket takes at most. */
#define DNCONN_CHUNK	65536

void
dnconn_init(struct dnconn *c, int fd)
{
	memset(c, 0, sizeof *c);
	c->fd = fd;
	buf_init(&c->in);
	buf_init(&c->out);
}

void
dnconn_set_layer(struct dnconn *c, struct sasl_layer *l)
{
	sasl_layer_free(c->layer);
	c->layer = l;
}

void
dnconn_close(struct dnconn *c)
{
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
	sasl_layer_free(c->layer);
	c->layer = NULL;
	buf_clear(&c->in);
	buf_clear(&c->out);
}

size_t
dnconn_buffered(const struct dnconn *c)
{
	return c->in.len - c->inpos;
}

/* Copies up to n buffered plain bytes to p. */
static size_t
dnconn_take(struct dnconn *c, void *p, size_t n)
{
	size_t	 k = MIN(n, dnconn_buffered(c));

	if (k == 0)
		return 0;
	memcpy(p, c->in.data + c->inpos, k);
	c->inpos += k;
	if (c->inpos == c->in.len) {
		buf_reset(&c->in);
		c->inpos = 0;
	}
	return k;
}

/*
 * One read from the socket (flags: MSG_DONTWAIT or 0), unwrapped into
 * the plain buffer.  Returns 1 when bytes arrived, 0 when none could be
 * read now, -1 with err (ERR_NOTFOUND at the end of the stream).
 */
static int
dnconn_pull(struct dnconn *c, int flags, struct error *err)
{
	uint8_t		 raw[DNCONN_CHUNK];
	ssize_t		 r;

	r = recv(c->fd, raw, sizeof raw, flags);
	if (r == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		return error_sys(err, "read");
	}
	if (r == 0)
		return error_set(err, ERR_NOTFOUND, "connection closed");
	if (sasl_layer_unwrap(c->layer, raw, (size_t)r, &c->in, err) == -1)
		return -1;
	return 1;
}

int
dnconn_read(struct dnconn *c, void *p, size_t n, uint64_t deadline,
    struct error *err)
{
	uint8_t	*s = p;
	size_t	 got;

	if (c->layer == NULL)
		return wire_read_full(c->fd, p, n, deadline, err);
	got = dnconn_take(c, s, n);
	while (got < n) {
		if (net_wait(c->fd, POLLIN, deadline, err) == -1)
			return -1;
		if (dnconn_pull(c, 0, err) == -1) {
			if (got > 0 && err != NULL &&
			    err->code == ERR_NOTFOUND)
				error_set(err, ERR_PROTO, "connection closed "
				    "after %zu of %zu bytes", got, n);
			return -1;
		}
		got += dnconn_take(c, s + got, n - got);
	}
	return 0;
}

static int
dnconn_reader(void *ctx, void *p, size_t n, uint64_t deadline,
    struct error *err)
{
	return dnconn_read(ctx, p, n, deadline, err);
}

int
dnconn_read_delimited(struct dnconn *c, struct buf *b, size_t max,
    uint64_t deadline, struct error *err)
{
	if (c->layer == NULL)
		return wire_read_delimited(c->fd, b, max, deadline, err);
	return wire_read_delimited_from(dnconn_reader, c, b, max, deadline,
	    err);
}

int
dnconn_queue(struct dnconn *c, const void *p, size_t n, struct error *err)
{
	if (c->layer == NULL) {
		c->pend = p;
		c->npend = n;
		return 0;
	}
	buf_reset(&c->out);
	if (sasl_layer_wrap(c->layer, p, n, &c->out, err) == -1)
		return -1;
	c->pend = (const uint8_t *)c->out.data;
	c->npend = c->out.len;
	return 0;
}

size_t
dnconn_pending(const struct dnconn *c)
{
	return c->npend;
}

int
dnconn_send_some(struct dnconn *c, struct error *err)
{
	ssize_t	 s;

	if (c->npend == 0)
		return 0;
	s = send(c->fd, c->pend, c->npend, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (s == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		return error_sys(err, "write");
	}
	c->pend += s;
	c->npend -= (size_t)s;
	return 0;
}

int
dnconn_write(struct dnconn *c, const void *p, size_t n, uint64_t deadline,
    struct error *err)
{
	if (c->layer == NULL)
		return wire_write_full(c->fd, p, n, deadline, err);
	if (dnconn_queue(c, p, n, err) == -1)
		return -1;
	c->npend = 0;
	return wire_write_full(c->fd, c->out.data, c->out.len, deadline, err);
}

ssize_t
dnconn_recv_some(struct dnconn *c, void *p, size_t n, struct error *err)
{
	ssize_t	 r;

	if (c->layer == NULL) {
		r = recv(c->fd, p, n, MSG_DONTWAIT);
		if (r == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR)
				return 0;
			return error_sys(err, "read");
		}
		if (r == 0)
			return error_set(err, ERR_NOTFOUND,
			    "connection closed");
		return r;
	}
	if (dnconn_buffered(c) == 0 && dnconn_pull(c, MSG_DONTWAIT, err) == -1)
		return -1;
	return (ssize_t)dnconn_take(c, p, n);
}
