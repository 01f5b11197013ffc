/*
 * A recursive-descent JSON reader.  Depth is bounded so that a hostile
 * document cannot exhaust the stack; every allocation is sized by bytes
 * already read, so memory is bounded by the input's length.
 */
#include "config.h"

#include "base/json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"

struct json_reader {
	const char	*p;
	const char	*start;
	const char	*end;
	struct error	*err;
};

void
json_put_string(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_printf(b, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			buf_printf(b, "\\u%04x", (unsigned char)*s);
		else
			buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

static int
json_fail(struct json_reader *r, const char *what)
{
	const char	*q;
	unsigned	 line = 1, col = 1;

	for (q = r->start; q < r->p && q < r->end; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else
			col++;
	}
	return error_set(r->err, ERR_INPUT, "line %u col %u: %s", line, col,
	    what);
}

static void
json_skip_space(struct json_reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
	    *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static int
json_hex4(struct json_reader *r, unsigned *out)
{
	unsigned	 v = 0;
	int		 i;

	if (r->end - r->p < 4)
		return json_fail(r, "short \\u escape");
	for (i = 0; i < 4; i++) {
		char	 c = r->p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return json_fail(r, "bad \\u escape");
	}
	r->p += 4;
	*out = v;
	return 0;
}

static void
json_put_utf8(struct buf *b, unsigned cp)
{
	if (cp < 0x80)
		buf_putc(b, (char)cp);
	else if (cp < 0x800) {
		buf_putc(b, (char)(0xc0 | (cp >> 6)));
		buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_putc(b, (char)(0xe0 | (cp >> 12)));
		buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		buf_putc(b, (char)(0xf0 | (cp >> 18)));
		buf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
		buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

/* At the opening quote; leaves the text in b. */
static int
json_read_string(struct json_reader *r, struct buf *b)
{
	unsigned	 cp, lo;

	r->p++;
	for (;;) {
		char	 c;

		if (r->p >= r->end)
			return json_fail(r, "unterminated string");
		c = *r->p++;
		if (c == '"')
			return 0;
		if ((unsigned char)c < 0x20)
			return json_fail(r, "control character in a string");
		if (c != '\\') {
			buf_putc(b, c);
			continue;
		}
		if (r->p >= r->end)
			return json_fail(r, "unterminated string");
		switch ((c = *r->p++)) {
		case '"': case '\\': case '/':
			buf_putc(b, c);
			break;
		case 'b':
			buf_putc(b, '\b');
			break;
		case 'f':
			buf_putc(b, '\f');
			break;
		case 'n':
			buf_putc(b, '\n');
			break;
		case 'r':
			buf_putc(b, '\r');
			break;
		case 't':
			buf_putc(b, '\t');
			break;
		case 'u':
			if (json_hex4(r, &cp) == -1)
				return -1;
			if (cp >= 0xd800 && cp < 0xdc00) {
				if (r->end - r->p < 2 || r->p[0] != '\\' ||
				    r->p[1] != 'u')
					return json_fail(r, "lone surrogate");
				r->p += 2;
				if (json_hex4(r, &lo) == -1)
					return -1;
				if (lo < 0xdc00 || lo >= 0xe000)
					return json_fail(r, "lone surrogate");
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
			} else if (cp >= 0xdc00 && cp < 0xe000)
				return json_fail(r, "lone surrogate");
			json_put_utf8(b, cp);
			break;
		default:
			r->p--;
			return json_fail(r, "bad escape");
		}
	}
}

static bool
json_is_digit(const struct json_reader *r)
{
	return r->p < r->end && *r->p >= '0' && *r->p <= '9';
}

static int
json_read_number(struct json_reader *r, struct json *j)
{
	const char	*from = r->p;

	if (r->p < r->end && *r->p == '-')
		r->p++;
	if (!json_is_digit(r))
		return json_fail(r, "bad number");
	if (*r->p == '0')
		r->p++;
	else
		while (json_is_digit(r))
			r->p++;
	if (r->p < r->end && *r->p == '.') {
		r->p++;
		if (!json_is_digit(r))
			return json_fail(r, "bad number");
		while (json_is_digit(r))
			r->p++;
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		if (!json_is_digit(r))
			return json_fail(r, "bad number");
		while (json_is_digit(r))
			r->p++;
	}
	j->kind = JSON_NUMBER;
	j->len = (size_t)(r->p - from);
	j->text = xmalloc(j->len + 1);
	memcpy(j->text, from, j->len);
	j->text[j->len] = '\0';
	return 0;
}

static int
json_read_word(struct json_reader *r, const char *word)
{
	size_t	 n = strlen(word);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
		return json_fail(r, "unexpected character");
	r->p += n;
	return 0;
}

static int	json_read_value(struct json_reader *, struct json *, int depth);

static void
json_push(struct json *j, struct json *item, char *key)
{
	j->items = xreallocarray(j->items, j->n + 1, sizeof *j->items);
	if (j->kind == JSON_OBJECT)
		j->keys = xreallocarray(j->keys, j->n + 1, sizeof *j->keys);
	j->items[j->n] = item;
	if (j->kind == JSON_OBJECT)
		j->keys[j->n] = key;
	j->n++;
}

/* An array or object: at its opening bracket. */
static int
json_read_items(struct json_reader *r, struct json *j, int depth)
{
	char	 close = j->kind == JSON_OBJECT ? '}' : ']';
	struct buf key;

	r->p++;
	json_skip_space(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		return 0;
	}
	for (;;) {
		struct json	*item;
		char		*k = NULL;

		json_skip_space(r);
		if (j->kind == JSON_OBJECT) {
			if (r->p >= r->end || *r->p != '"')
				return json_fail(r, "expected a key");
			buf_init(&key);
			if (json_read_string(r, &key) == -1) {
				buf_clear(&key);
				return -1;
			}
			k = buf_take(&key);
			json_skip_space(r);
			if (r->p >= r->end || *r->p != ':') {
				free(k);
				return json_fail(r, "expected ':'");
			}
			r->p++;
		}
		item = xcalloc(1, sizeof *item);
		json_push(j, item, k);
		if (json_read_value(r, item, depth + 1) == -1)
			return -1;
		json_skip_space(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == close) {
			r->p++;
			return 0;
		}
		return json_fail(r, close == '}' ? "expected ',' or '}'" :
		    "expected ',' or ']'");
	}
}

static int
json_read_value(struct json_reader *r, struct json *j, int depth)
{
	struct buf	 b;

	if (depth > JSON_DEPTH_MAX)
		return json_fail(r, "nested too deep");
	json_skip_space(r);
	if (r->p >= r->end)
		return json_fail(r, "expected a value");
	switch (*r->p) {
	case '{':
		j->kind = JSON_OBJECT;
		return json_read_items(r, j, depth);
	case '[':
		j->kind = JSON_ARRAY;
		return json_read_items(r, j, depth);
	case '"':
		j->kind = JSON_STRING;
		buf_init(&b);
		if (json_read_string(r, &b) == -1) {
			buf_clear(&b);
			return -1;
		}
		j->len = b.len;
		j->text = buf_take(&b);
		if (j->text == NULL)
			j->text = xstrdup("");
		return 0;
	case 't':
		j->kind = JSON_BOOL;
		j->boolean = true;
		return json_read_word(r, "true");
	case 'f':
		j->kind = JSON_BOOL;
		return json_read_word(r, "false");
	case 'n':
		j->kind = JSON_NULL;
		return json_read_word(r, "null");
	default:
		return json_read_number(r, j);
	}
}

struct json *
json_parse(const char *text, size_t len, struct error *err)
{
	struct json_reader r;
	struct json	*j = xcalloc(1, sizeof *j);

	r.p = r.start = text;
	r.end = text + len;
	r.err = err;
	if (json_read_value(&r, j, 0) == -1)
		goto fail;
	json_skip_space(&r);
	if (r.p != r.end) {
		json_fail(&r, "text after the value");
		goto fail;
	}
	return j;
fail:
	json_free(j);
	return NULL;
}

void
json_free(struct json *j)
{
	size_t	 i;

	if (j == NULL)
		return;
	for (i = 0; i < j->n; i++) {
		json_free(j->items[i]);
		if (j->keys != NULL)
			free(j->keys[i]);
	}
	free(j->items);
	free(j->keys);
	free(j->text);
	free(j);
}

const struct json *
json_get(const struct json *j, const char *key)
{
	size_t	 i;

	if (j == NULL || j->kind != JSON_OBJECT)
		return NULL;
	for (i = 0; i < j->n; i++)
		if (strcmp(j->keys[i], key) == 0)
			return j->items[i];
	return NULL;
}

const char *
json_string(const struct json *j)
{
	if (j == NULL || j->kind != JSON_STRING || strlen(j->text) != j->len)
		return NULL;
	return j->text;
}

int
json_uint(const struct json *j, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char		*end;

	if (j == NULL || j->kind != JSON_NUMBER || j->text[0] == '-')
		return -1;
	errno = 0;
	v = strtoull(j->text, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}
