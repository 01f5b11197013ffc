/*
 * Avro JSON of a row.  Strings are the unescaped values; a byte sequence
 * that is not UTF-8 (barge does not refuse one) prints as U+FFFD, as a
 * reader replacing it would.
 */
#include "config.h"

#include "core/avro_json.h"

#include "base/json.h"
#include "core/row.h"

/* The code point at s (n bytes) and its length; U+FFFD, 1 if not UTF-8. */
static size_t
avro_json_utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t	 len, i;
	uint32_t c;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		goto bad;
	len = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (n < len)
		goto bad;
	c = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and beyond U+10FFFF are not UTF-8. */
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		goto bad;
	*cp = c;
	return len;
bad:
	*cp = 0xfffd;
	return 1;
}

static void
avro_json_string(struct buf *out, const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	const unsigned char *end = s + len;
	uint32_t	 cp;

	buf_putc(out, '"');
	while (s < end) {
		if (*s >= 0x20 && *s < 0x80 && *s != '"' && *s != '\\') {
			buf_putc_fast(out, (char)*s++);
			continue;
		}
		switch (*s) {
		case '"':
			buf_puts(out, "\\\"");
			break;
		case '\\':
			buf_puts(out, "\\\\");
			break;
		case '\b':
			buf_puts(out, "\\b");
			break;
		case '\f':
			buf_puts(out, "\\f");
			break;
		case '\n':
			buf_puts(out, "\\n");
			break;
		case '\r':
			buf_puts(out, "\\r");
			break;
		case '\t':
			buf_puts(out, "\\t");
			break;
		default:
			if (*s < 0x80) {
				buf_printf(out, "\\u%04X", *s);
				break;
			}
			s += avro_json_utf8(s, (size_t)(end - s), &cp) - 1;
			if (cp >= 0x10000) {
				cp -= 0x10000;
				buf_printf(out, "\\u%04X\\u%04X",
				    0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
			} else
				buf_printf(out, "\\u%04X", cp);
			break;
		}
		s++;
	}
	buf_putc(out, '"');
}

static const char *
avro_json_branch(enum field_type t)
{
	switch (t) {
	case FIELD_STRING:
		return "string";
	case FIELD_INT32:
		return "int";
	case FIELD_DOUBLE:
		return "double";
	case FIELD_BOOL:
		return "boolean";
	case FIELD_INT64:
	case FIELD_TIMESTAMP:
		break;
	}
	return "long";
}

void
avro_json_row(struct buf *out, int64_t time_ms, const char *host,
    size_t hostlen, const struct payload *p)
{
	const struct message *m = p->msg;
	size_t	 i;

	buf_puts(out, "{\"_time\": ");
	row_int(out, time_ms);
	buf_puts(out, ", \"_host\": ");
	avro_json_string(out, host, hostlen);
	for (i = 0; i < m->nfields; i++) {
		const struct field *f = &m->fields[i];
		const struct payload_value *v = &p->values[i];

		buf_puts(out, ", ");
		json_put_string(out, f->name);
		buf_puts(out, ": ");
		if (v->is_null) {
			buf_puts(out, "null");
			continue;
		}
		if (f->nullable)
			buf_printf(out, "{\"%s\": ", avro_json_branch(f->type));
		switch (f->type) {
		case FIELD_STRING:
			avro_json_string(out, v->text, v->len);
			break;
		case FIELD_DOUBLE:
			buf_printf(out, "%.17g", payload_double(v));
			break;
		case FIELD_BOOL:
			buf_puts(out, v->num ? "true" : "false");
			break;
		case FIELD_INT32:
		case FIELD_INT64:
		case FIELD_TIMESTAMP:
			row_int(out, v->num);
			break;
		}
		if (f->nullable)
			buf_putc(out, '}');
	}
	buf_putc(out, '}');
}
