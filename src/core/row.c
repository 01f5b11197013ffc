/*
 * Row encoding.  This is not the wire escaping of the payload: Hive reads
 * "\<TAB>" as a TAB inside a value and "\n" as LF (with
 * serialization.escape.crlf), so a value round-trips exactly.
 */
#include "config.h"

#include "core/row.h"

#include <stdbool.h>
#include <string.h>

#include "base/fmt.h"
#include "base/scan.h"

/* The bytes that Hive's text format needs escaped. */
static const struct scan_set row_special = SCAN_SET4('\\', '\t', '\n',
    '\r');

void
row_int(struct buf *out, int64_t v)
{
	char	*o = buf_reserve(out, FMT_INT_MAX);

	out->len += fmt_i64(o, v);
}

void
row_escape(struct buf *out, const char *s, size_t len)
{
	char		*o = buf_reserve(out, len * 2);
	const char	*end = s + len, *sp;

	for (;;) {
		/* Copy the run of plain bytes up to the next special one. */
		sp = scan_find(&row_special, s, end);
		memcpy(o, s, (size_t)(sp - s));
		o += sp - s;
		if (sp == end)
			break;
		*o++ = '\\';
		switch (*sp) {
		case '\t':
			*o++ = '\t';
			break;
		case '\n':
			*o++ = 'n';
			break;
		case '\r':
			*o++ = 'r';
			break;
		default:
			*o++ = '\\';
		}
		s = sp + 1;
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
			/* Copying the text is cheaper than printing the number. */
			if (!v->is_canonical) {
				row_int(out, v->num);
				break;
			}
			buf_append(out, v->text, v->len);
			if (m->fields[i].type == FIELD_TIMESTAMP &&
			    m->fields[i].unit == FIELD_UNIT_S)
				buf_append(out, "000", 3);
			break;
		}
	}
	buf_putc_fast(out, '\n');
}
