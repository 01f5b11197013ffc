/*
 * Payload decoding.  A field without a backslash is used where it lies in
 * the line; only escaped fields are copied (into p->scratch), so the
 * common case allocates nothing.  The scratch buffer is sized for the
 * whole message before any copy, so value pointers stay valid.
 */
#include "config.h"

#include "core/payload.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/scan.h"
#include "base/xmalloc.h"
#include "core/decimal.h"

#define PAYLOAD_NAME_MAX	64

void
payload_init(struct payload *p)
{
	memset(p, 0, sizeof *p);
	buf_init(&p->scratch);
}

void
payload_clear(struct payload *p)
{
	free(p->values);
	buf_clear(&p->scratch);
	memset(p, 0, sizeof *p);
}

static bool
payload_is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool
payload_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Where a field may end: TAB, "#011" and an escaped byte. */
static const struct scan_set payload_special = SCAN_SET3('\t', '#', '\\');

/* The length of a separator at s: 1 for TAB, 4 for "#011", else 0. */
static size_t
payload_sep(const char *s, const char *end)
{
	if (*s == '\t')
		return 1;
	if (*s == '#' && end - s >= 4 && s[1] == '0' && s[2] == '1' &&
	    s[3] == '1')
		return 4;
	return 0;
}

size_t
payload_header(struct payload *p, const char *msg, size_t len)
{
	const char	*s = msg, *end = msg + len, *name;
	unsigned	 v = 0;
	size_t		 digits = 0;

	if (len < 4 || s[0] != '@' || !payload_is_alpha(s[1]))
		return 0;
	name = ++s;
	while (s < end && (payload_is_alpha(*s) || payload_is_digit(*s) ||
	    *s == '_'))
		s++;
	if (s - name > PAYLOAD_NAME_MAX || s == end || *s != ':')
		return 0;
	p->name = name;
	p->namelen = (size_t)(s - name);
	for (s++; s < end && payload_is_digit(*s); s++) {
		if (++digits > 9)
			return 0;
		v = v * 10 + (unsigned)(*s - '0');
	}
	if (digits == 0 || (s < end && payload_sep(s, end) == 0))
		return 0;
	p->version = v;
	return (size_t)(s - msg);
}

/* Unescapes [s, e) into scratch; -1 on a bad escape. */
static int
payload_unescape(struct payload *p, const char *s, const char *e,
    struct payload_value *v)
{
	char		*out = p->scratch.data + p->scratch.len, *o = out;
	const char	*bs;

	for (; s < e; s++) {
		/* Copy the run up to the next backslash at once. */
		if ((bs = memchr(s, '\\', (size_t)(e - s))) == NULL)
			bs = e;
		memcpy(o, s, (size_t)(bs - s));
		o += bs - s;
		if ((s = bs) == e)
			break;
		if (++s == e)
			return -1;
		switch (*s) {
		case '\\':
			*o++ = '\\';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case '#':
			*o++ = '#';
			break;
		default:
			return -1;	/* \N inside a value is also refused */
		}
	}
	v->text = out;
	v->len = (size_t)(o - out);
	p->scratch.len += v->len;
	return 0;
}

/* Whether a valid integer is already written as row_int() would. */
static bool
payload_is_canonical(const char *s, size_t len)
{
	if (s[0] == '-')
		return len > 1 && s[1] != '0';
	return s[0] != '0' || len == 1;
}

double
payload_double(const struct payload_value *v)
{
	char	 tmp[128];

	/* Validated already, so the text is a decimal double that fits. */
	if (v->len >= sizeof tmp)
		return 0;
	memcpy(tmp, v->text, v->len);
	tmp[v->len] = '\0';
	return strtod(tmp, NULL);
}

static enum reason
payload_check(const struct field *f, struct payload_value *v)
{
	int64_t	 n, lo, hi;

	v->is_canonical = false;
	if (v->is_null)
		return f->nullable ? REASON_NONE : REASON_NULL_NOT_ALLOWED;
	switch (f->type) {
	case FIELD_STRING:
		if (f->max_length != 0 && v->len > f->max_length)
			return REASON_TOO_LONG;
		return REASON_NONE;
	case FIELD_INT32:
	case FIELD_INT64:
		schema_field_range(f, &lo, &hi);
		if (decimal_int(v->text, v->len, lo, hi, &v->num) == -1)
			return f->type == FIELD_INT32 ? REASON_BAD_INT32 :
			    REASON_BAD_INT64;
		v->is_canonical = payload_is_canonical(v->text, v->len);
		return REASON_NONE;
	case FIELD_DOUBLE:
		return decimal_is_double(v->text, v->len) ? REASON_NONE :
		    REASON_BAD_DOUBLE;
	case FIELD_BOOL:
		if (v->len == 1 && (v->text[0] == '0' || v->text[0] == '1'))
			v->num = v->text[0] == '1';
		else if (v->len == 4 && memcmp(v->text, "true", 4) == 0)
			v->num = 1;
		else if (v->len == 5 && memcmp(v->text, "false", 5) == 0)
			v->num = 0;
		else
			return REASON_BAD_BOOL;
		return REASON_NONE;
	case FIELD_TIMESTAMP:
		schema_field_range(f, &lo, &hi);
		if (decimal_int(v->text, v->len, INT64_MIN, INT64_MAX,
		    &n) == 0) {
			if (n < lo || n > hi)
				return REASON_BAD_TIMESTAMP;
			if (f->unit == FIELD_UNIT_S)
				n *= 1000;
			v->num = n;
			/* Seconds are canonical ms with "000" appended. */
			v->is_canonical = n != 0 &&
			    payload_is_canonical(v->text, v->len);
			return REASON_NONE;
		}
		if (clock_parse_rfc3339(v->text, v->len, &v->num) == v->len)
			return REASON_NONE;
		return REASON_BAD_TIMESTAMP;
	}
	return REASON_NONE;
}

static enum payload_status
payload_invalid(struct payload *p, enum reason r, size_t field)
{
	p->reason = r;
	p->field = field;
	return PAYLOAD_INVALID;
}

enum payload_status
payload_match(struct payload *p, const struct schema *s, const char *msg,
    size_t len)
{
	const struct message *m;
	const char	*cur, *end = msg + len, *start;
	size_t		 hdr, i = 0;
	bool		 escaped;
	enum reason	 r;

	p->msg = NULL;
	p->reason = REASON_NONE;
	p->field = 0;
	if ((hdr = payload_header(p, msg, len)) == 0)
		return PAYLOAD_SKIP;
	if ((m = schema_find(s, p->name, p->namelen, p->version)) == NULL)
		return payload_invalid(p, schema_has_name(s, p->name,
		    p->namelen) ? REASON_UNKNOWN_VERSION :
		    REASON_UNKNOWN_MESSAGE, 0);
	if (p->cap < m->nfields) {
		p->values = xreallocarray(p->values, m->nfields,
		    sizeof *p->values);
		p->cap = m->nfields;
	}
	buf_reset(&p->scratch);
	buf_reserve(&p->scratch, len);
	cur = msg + hdr;
	while (cur < end) {
		cur += payload_sep(cur, end);	/* the separator before a field */
		start = cur;
		escaped = false;
		for (;;) {
			/* Skip plain bytes fast; stop at TAB, '#' and '\\'. */
			cur = scan_find(&payload_special, cur, end);
			if (cur == end || payload_sep(cur, end) != 0)
				break;
			if (*cur == '\\') {
				escaped = true;
				if (cur + 1 < end)
					cur++;
			}
			cur++;
		}
		if (i == m->nfields)
			return payload_invalid(p, REASON_FIELD_COUNT, i);
		struct payload_value *v = &p->values[i];

		v->is_null = cur - start == 2 && start[0] == '\\' &&
		    start[1] == 'N';
		if (v->is_null) {
			v->text = start;
			v->len = 0;
		} else if (escaped) {
			if (payload_unescape(p, start, cur, v) == -1)
				return payload_invalid(p, REASON_BAD_ESCAPE, i);
		} else {
			v->text = start;
			v->len = (size_t)(cur - start);
		}
		i++;
	}
	if (i != m->nfields)
		return payload_invalid(p, REASON_FIELD_COUNT, i);
	for (i = 0; i < m->nfields; i++)
		if ((r = payload_check(&m->fields[i], &p->values[i])) !=
		    REASON_NONE)
			return payload_invalid(p, r, i);
	p->msg = m;
	return PAYLOAD_VALID;
}
