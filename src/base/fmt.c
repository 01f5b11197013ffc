/*
 * Decimal digits two at a time from a table: half the divisions of the
 * plain loop, and no format string to parse.
 */
#include "config.h"

#include "base/fmt.h"

#include <string.h>

static const char fmt_pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930"
    "31323334353637383940414243444546474849505152535455565758596061"
    "6263646566676869707172737475767778798081828384858687888990919293"
    "949596979899";

/* Writes u backwards ending at end; returns where the digits start. */
static char *
fmt_digits(char *end, uint64_t u)
{
	char	*p = end;

	while (u >= 100) {
		p -= 2;
		memcpy(p, fmt_pairs + (u % 100) * 2, 2);
		u /= 100;
	}
	if (u >= 10) {
		p -= 2;
		memcpy(p, fmt_pairs + u * 2, 2);
	} else
		*--p = (char)('0' + u);
	return p;
}

size_t
fmt_u64(char *out, uint64_t v)
{
	char	 tmp[FMT_INT_MAX], *p = fmt_digits(tmp + sizeof tmp, v);
	size_t	 n = (size_t)(tmp + sizeof tmp - p);

	memcpy(out, p, n);
	out[n] = '\0';
	return n;
}

size_t
fmt_i64(char *out, int64_t v)
{
	char	 tmp[FMT_INT_MAX], *p;
	size_t	 n;

	/* -(v + 1) + 1 stays in range for INT64_MIN. */
	p = fmt_digits(tmp + sizeof tmp,
	    v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v);
	if (v < 0)
		*--p = '-';
	n = (size_t)(tmp + sizeof tmp - p);
	memcpy(out, p, n);
	out[n] = '\0';
	return n;
}

size_t
fmt_str(char *out, size_t cap, const char *s)
{
	size_t	 n = strnlen(s, cap - 1);

	memcpy(out, s, n);
	out[n] = '\0';
	return n;
}
