/*
 * Varints, big-endian integers and protobuf framing over sockets with
 * deadlines.  Every wait goes through poll() so that no socket operation
 * can block past its deadline.
 */
#include "config.h"

#include "hdfs/wire.h"

#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/net.h"
#include "base/xmalloc.h"

/* A message's storage grows by at least this much as its bytes arrive. */
#define WIRE_READ_STEP	(64 * 1024)

size_t
wire_varint_put(uint8_t *p, uint64_t v)
{
	size_t	 n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

size_t
wire_varint_len(uint64_t v)
{
	size_t	 n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

int
wire_varint_get(const uint8_t *p, size_t len, uint64_t *v)
{
	uint64_t	 r = 0;
	size_t		 i;

	for (i = 0; i < len && i < WIRE_VARINT_MAX; i++) {
		/* The tenth byte may only hold the 64th bit. */
		if (i == 9 && p[i] > 1)
			return -1;
		r |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if ((p[i] & 0x80) == 0) {
			*v = r;
			return (int)i + 1;
		}
	}
	return i == WIRE_VARINT_MAX ? -1 : 0;
}

uint32_t
wire_zigzag32(int32_t v)
{
	return ((uint32_t)v << 1) ^ (uint32_t)(v >> 31);
}

int32_t
wire_unzigzag32(uint32_t v)
{
	return (int32_t)((v >> 1) ^ (~(v & 1) + 1));
}

uint64_t
wire_zigzag64(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

int64_t
wire_unzigzag64(uint64_t v)
{
	return (int64_t)((v >> 1) ^ (~(v & 1) + 1));
}

void
wire_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void
wire_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

uint16_t
wire_get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t
wire_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

uint64_t
wire_deadline(uint64_t timeout_ms)
{
	if (timeout_ms == 0)
		return 0;
	return clock_mono_ms() + timeout_ms;
}

int
wire_read_full(int fd, void *p, size_t n, uint64_t deadline,
    struct error *err)
{
	uint8_t	*s = p;
	size_t	 got = 0;
	ssize_t	 r;

	while (got < n) {
		if (net_wait(fd, POLLIN, deadline, err) == -1)
			return -1;
		r = read(fd, s + got, n - got);
		if (r == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return error_sys(err, "read");
		}
		if (r == 0) {
			if (got == 0)
				return error_set(err, ERR_NOTFOUND,
				    "connection closed");
			return error_set(err, ERR_PROTO,
			    "connection closed after %zu of %zu bytes", got, n);
		}
		got += (size_t)r;
	}
	return 0;
}

int
wire_write_full(int fd, const void *p, size_t n, uint64_t deadline,
    struct error *err)
{
	const uint8_t	*s = p;
	ssize_t		 w;
	int		 sock = 1;

	while (n > 0) {
		if (net_wait(fd, POLLOUT, deadline, err) == -1)
			return -1;
		if (sock) {
			w = send(fd, s, n, MSG_NOSIGNAL);
			if (w == -1 && errno == ENOTSOCK) {
				sock = 0;
				continue;
			}
		} else
			w = write(fd, s, n);
		if (w == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return error_sys(err, "write");
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

void
wire_append_delimited(struct buf *b, const ProtobufCMessage *m)
{
	size_t	 len = m == NULL ? 0 : protobuf_c_message_get_packed_size(m);
	uint8_t	*p = (uint8_t *)buf_reserve(b, WIRE_VARINT_MAX + len);
	size_t	 n = wire_varint_put(p, len);

	if (m != NULL)
		protobuf_c_message_pack(m, p + n);
	b->len += n + len;
	b->data[b->len] = '\0';
}

void
wire_append_frame(struct buf *b, const ProtobufCMessage **msgs, size_t n)
{
	size_t	 start, i;

	buf_reserve(b, 4);
	start = b->len;
	b->len += 4;
	for (i = 0; i < n; i++)
		wire_append_delimited(b, msgs[i]);
	wire_put_be32((uint8_t *)b->data + start,
	    (uint32_t)(b->len - start - 4));
}

int
wire_next_delimited(const uint8_t **p, size_t *left, const uint8_t **msg,
    size_t *msglen, struct error *err)
{
	uint64_t	 len;
	int		 n;

	n = wire_varint_get(*p, *left, &len);
	if (n <= 0)
		return error_set(err, ERR_PROTO, "bad message length");
	if (len > *left - (size_t)n)
		return error_set(err, ERR_PROTO,
		    "message length %llu runs past the frame",
		    (unsigned long long)len);
	*msg = *p + n;
	*msglen = (size_t)len;
	*p += (size_t)n + (size_t)len;
	*left -= (size_t)n + (size_t)len;
	return 0;
}

/*
 * Reads the len bytes of a message or frame into b (emptied first).  The
 * storage grows as the bytes arrive, so a peer that claims a large length
 * and sends less costs a small multiple of what it sent, not the claim.
 */
static int
wire_read_body(wire_reader rd, void *ctx, struct buf *b, size_t len,
    uint64_t deadline, struct error *err)
{
	size_t	 step;

	buf_reset(b);
	while (b->len < len) {
		step = b->len < WIRE_READ_STEP ? WIRE_READ_STEP : b->len;
		if (step > len - b->len)
			step = len - b->len;
		if (rd(ctx, buf_reserve(b, step), step, deadline, err) == -1) {
			if (err != NULL && err->code == ERR_NOTFOUND)
				err->code = ERR_PROTO;
			b->len = 0;
			return -1;
		}
		b->len += step;
	}
	buf_reserve(b, 0);
	b->data[b->len] = '\0';
	return 0;
}

int
wire_read_delimited_from(wire_reader rd, void *ctx, struct buf *b,
    size_t max, uint64_t deadline, struct error *err)
{
	uint8_t		 p[WIRE_VARINT_MAX];
	uint64_t	 len;
	size_t		 i;
	int		 n;

	for (i = 0; i < sizeof p; i++) {
		if (rd(ctx, p + i, 1, deadline, err) == -1) {
			if (i > 0 && err != NULL && err->code == ERR_NOTFOUND)
				err->code = ERR_PROTO;
			return -1;
		}
		if ((n = wire_varint_get(p, i + 1, &len)) != 0)
			break;
	}
	if (i == sizeof p || n < 0)
		return error_set(err, ERR_PROTO, "bad message length");
	if (len > max)
		return error_set(err, ERR_PROTO,
		    "message of %llu bytes exceeds the limit of %zu",
		    (unsigned long long)len, max);
	return wire_read_body(rd, ctx, b, (size_t)len, deadline, err);
}

static int
wire_fd_reader(void *ctx, void *p, size_t n, uint64_t deadline,
    struct error *err)
{
	return wire_read_full(*(int *)ctx, p, n, deadline, err);
}

int
wire_read_delimited(int fd, struct buf *b, size_t max, uint64_t deadline,
    struct error *err)
{
	return wire_read_delimited_from(wire_fd_reader, &fd, b, max, deadline,
	    err);
}

int
wire_read_frame(int fd, struct buf *b, size_t max, uint64_t deadline,
    struct error *err)
{
	uint8_t		 p[4];
	uint32_t	 len;

	if (wire_read_full(fd, p, 4, deadline, err) == -1)
		return -1;
	len = wire_get_be32(p);
	if (len > max)
		return error_set(err, ERR_PROTO,
		    "frame of %u bytes exceeds the limit of %zu", len, max);
	return wire_read_body(wire_fd_reader, &fd, b, len, deadline, err);
}

int
wire_write_delimited(int fd, const ProtobufCMessage *m, uint64_t deadline,
    struct error *err)
{
	struct buf	 b;
	int		 r;

	buf_init(&b);
	wire_append_delimited(&b, m);
	r = wire_write_full(fd, b.data, b.len, deadline, err);
	buf_clear(&b);
	return r;
}

/* Names the required fields of d whose tags do not appear in data. */
static void
wire_missing(const ProtobufCMessageDescriptor *d, const uint8_t *data,
    size_t len, char *out, size_t outlen)
{
	const uint8_t	*p = data;
	size_t		 left = len, i, used = 0;
	uint64_t	 key, v;
	uint8_t		 seen[64];
	int		 n;

	memset(seen, 0, sizeof seen);
	while (left > 0) {
		if ((n = wire_varint_get(p, left, &key)) <= 0)
			break;
		p += n;
		left -= (size_t)n;
		if ((key >> 3) < sizeof seen * 8)
			seen[(key >> 3) / 8] |=
			    (uint8_t)(1 << ((key >> 3) % 8));
		switch (key & 7) {
		case 0:
			if ((n = wire_varint_get(p, left, &v)) <= 0)
				left = 0;
			else {
				p += n;
				left -= (size_t)n;
			}
			break;
		case 1:
			v = 8;
			goto skip;
		case 5:
			v = 4;
			goto skip;
		case 2:
			if ((n = wire_varint_get(p, left, &v)) <= 0) {
				left = 0;
				break;
			}
			p += n;
			left -= (size_t)n;
		skip:
			if (v > left)
				left = 0;
			else {
				p += v;
				left -= (size_t)v;
			}
			break;
		default:
			left = 0;
			break;
		}
	}
	out[0] = '\0';
	for (i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor	*f = &d->fields[i];

		if (f->label != PROTOBUF_C_LABEL_REQUIRED)
			continue;
		if (f->id < sizeof seen * 8 &&
		    (seen[f->id / 8] & (1 << (f->id % 8))) != 0)
			continue;
		n = snprintf(out + used, outlen - used, "%s%s",
		    used > 0 ? ", " : "", f->name);
		if (n < 0 || (size_t)n >= outlen - used)
			break;
		used += (size_t)n;
	}
}

ProtobufCMessage *
wire_unpack(const ProtobufCMessageDescriptor *d, const uint8_t *data,
    size_t len, struct error *err)
{
	ProtobufCMessage	*m;
	char			 missing[256];

	m = protobuf_c_message_unpack(d, NULL, len, data);
	if (m != NULL)
		return m;
	wire_missing(d, data, len, missing, sizeof missing);
	if (missing[0] != '\0')
		error_set(err, ERR_PROTO, "%s: missing required fields: %s",
		    d->short_name, missing);
	else
		error_set(err, ERR_PROTO, "%s: malformed message",
		    d->short_name);
	return NULL;
}
