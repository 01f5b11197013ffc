/*
 * Row encoding.  This is not the wire escaping of the payload: Hive reads
 * "\<TAB>" as a TAB inside a value and "\n" as LF (with
 * serialization.escape.crlf), so a value round-trips exactly.
 */
#include "config.h"

#include "core/row.h"

#include <string.h>

void
row_int(struct buf *out, int64_t v)
{
	char		 tmp[24], *p = tmp + sizeof tmp;
	uint64_t	 u = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	buf_append(out, p, (size_t)(tmp + sizeof tmp - p));
}

void
row_escape(struct buf *out, const char *s, size_t len)
{
	char		*o = buf_reserve(out, len * 2);
	const char	*end = s + len;

	for (; s < end; s++) {
		switch (*s) {
		case '\\':
			*o++ = '\\';
			*o++ = '\\';
			break;
		case '\t':
			*o++ = '\\';
			*o++ = '\t';
			break;
		case '\n':
			*o++ = '\\';
			*o++ = 'n';
			break;
		case '\r':
			*o++ = '\\';
			*o++ = 'r';
			break;
		default:
			*o++ = *s;
		}
	}
	out->len = (size_t)(o - out->data);
	out->data[out->len] = '\0';
}

void
row_encode(struct buf *out, int64_t time_ms, const char *host,
    size_t hostlen, const struct payload *p)
{
	const struct message *m = p->msg;
	size_t	 i;

	row_int(out, time_ms);
	buf_putc_fast(out, '\t');
	row_escape(out, host, hostlen);
	for (i = 0; i < m->nfields; i++) {
		const struct payload_value *v = &p->values[i];

		buf_putc_fast(out, '\t');
		if (v->is_null) {
			buf_append(out, "\\N", 2);
			continue;
		}
		switch (m->fields[i].type) {
		case FIELD_STRING:
		case FIELD_DOUBLE:
			row_escape(out, v->text, v->len);
			break;
		case FIELD_BOOL:
			if (v->num)
				buf_append(out, "true", 4);
			else
				buf_append(out, "false", 5);
			break;
		case FIELD_INT32:
		case FIELD_INT64:
		case FIELD_TIMESTAMP:
			row_int(out, v->num);
			break;
		}
	}
	buf_putc_fast(out, '\n');
}
