/*
 * A double of the plain form [+-]?digits[.digits][e[+-]digits] whose
 * magnitude is surely below DBL_MAX is accepted without strtod: that
 * is what strtod would say of it.  Anything else (hex, "inf", other
 * blanks, a huge exponent, junk) goes to strtod, which decides.
 */
#include "config.h"

#include "core/decimal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The longest double text accepted; longer is refused, not copied. */
#define DECIMAL_DOUBLE_MAX	128
/* 10^308 < DBL_MAX < 10^309. */
#define DECIMAL_DIGITS_FINITE	308

static bool
decimal_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int
decimal_int(const char *s, size_t len, int64_t min, int64_t max,
    int64_t *out)
{
	bool		 neg = false;
	uint64_t	 v = 0, limit;
	size_t		 i = 0, first;

	if (len > 0 && s[0] == '-') {
		neg = true;
		i = 1;
	}
	if (i == len)
		return -1;
	limit = neg ? (uint64_t)(-(min + 1)) + 1 : (uint64_t)max;
	while (i < len && s[i] == '0')
		i++;
	/* 19 digits always fit in 64 bits; the limit is checked once. */
	for (first = i; i < len; i++) {
		if (!decimal_is_digit(s[i]) || i - first == 19)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > limit)
		return -1;
	*out = neg ? (v == 0 ? 0 : -(int64_t)(v - 1) - 1) : (int64_t)v;
	return 0;
}

/* Whether s is surely a finite plain decimal; false if not sure. */
static bool
decimal_is_plain_double(const char *s, size_t len)
{
	size_t	 i = 0, start, sig, nsig, ndigits, e;
	unsigned exp = 0;
	bool	 eneg = false;

	if (s[i] == '+' || s[i] == '-')
		i++;
	for (start = i; i < len && s[i] == '0'; i++)
		;
	for (sig = i; i < len && decimal_is_digit(s[i]); i++)
		;
	nsig = i - sig;		/* integer digits after the leading zeros */
	ndigits = i - start;
	if (i < len && s[i] == '.') {
		for (e = ++i; i < len && decimal_is_digit(s[i]); i++)
			;
		ndigits += i - e;
	}
	if (ndigits == 0)
		return false;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		if (++i < len && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		for (e = i; i < len && decimal_is_digit(s[i]); i++) {
			if (i - e == 4)
				return false;
			exp = exp * 10 + (unsigned)(s[i] - '0');
		}
		if (i == e)
			return false;
	}
	/* Below 10^(nsig + exp), so finite when that is at most 10^308. */
	return i == len && (eneg || nsig + exp <= DECIMAL_DIGITS_FINITE);
}

bool
decimal_is_double(const char *s, size_t len)
{
	char	 tmp[DECIMAL_DOUBLE_MAX], *end;
	double	 d;

	if (len == 0 || len >= sizeof tmp || s[0] == ' ' || s[0] == '\t')
		return false;
	if (decimal_is_plain_double(s, len))
		return true;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	d = strtod(tmp, &end);
	return *end == '\0' && isfinite(d);
}
