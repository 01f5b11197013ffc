/*
 * Avro binary encoding.  The values come validated from core/payload, so
 * nothing here can fail: integers are in range, doubles finite (parsed
 * once, by the check), strings unescaped bytes.
 */
#include "config.h"

#include "core/avro_encode.h"

#include <string.h>

size_t
avro_put_long(unsigned char *p, int64_t v)
{
	/* Zig-zag: the sign goes to bit 0, so small magnitudes are short. */
	uint64_t	 u = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
	size_t		 n = 0;

	while (u >= 0x80) {
		p[n++] = (unsigned char)(u | 0x80);
		u >>= 7;
	}
	p[n++] = (unsigned char)u;
	return n;
}

void
avro_long(struct buf *out, int64_t v)
{
	unsigned char	*p = (unsigned char *)buf_reserve(out,
			    AVRO_LONG_MAX_LEN);

	out->len += avro_put_long(p, v);
	out->data[out->len] = '\0';
}

size_t
avro_get_long(const unsigned char *p, size_t n, int64_t *v)
{
	uint64_t	 u = 0;
	size_t		 i;

	for (i = 0; i < n && i < AVRO_LONG_MAX_LEN; i++) {
		u |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if ((p[i] & 0x80) == 0) {
			*v = (int64_t)((u >> 1) ^ -(u & 1));
			return i + 1;
		}
	}
	return 0;
}

void
avro_bytes(struct buf *out, const void *p, size_t n)
{
	avro_long(out, (int64_t)n);
	buf_append(out, p, n);
}

/* IEEE 754 binary64, little-endian, whatever the host's order. */
static void
avro_double(struct buf *out, double d)
{
	uint64_t	 u;
	unsigned char	*p;
	int		 i;

	memcpy(&u, &d, sizeof u);
	p = (unsigned char *)buf_reserve(out, 8);
	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(u >> (8 * i));
	out->len += 8;
	out->data[out->len] = '\0';
}

void
avro_encode_row(struct buf *out, int64_t time_ms, const char *host,
    size_t hostlen, const struct payload *p)
{
	const struct message *m = p->msg;
	size_t	 i;

	avro_long(out, time_ms);
	avro_bytes(out, host, hostlen);
	for (i = 0; i < m->nfields; i++) {
		const struct payload_value *v = &p->values[i];

		/* Nullable fields are ["null", T]: branch 0 or 1. */
		if (m->fields[i].nullable) {
			buf_putc_fast(out, v->is_null ? 0 : 2);
			if (v->is_null)
				continue;
		}
		switch (m->fields[i].type) {
		case FIELD_STRING:
			avro_bytes(out, v->text, v->len);
			break;
		case FIELD_DOUBLE:
			avro_double(out, payload_double(v));
			break;
		case FIELD_BOOL:
			buf_putc_fast(out, v->num ? 1 : 0);
			break;
		case FIELD_INT32:
		case FIELD_INT64:
		case FIELD_TIMESTAMP:
			/* v->num is in ms for timestamps, whatever the unit. */
			avro_long(out, v->num);
			break;
		}
	}
}
