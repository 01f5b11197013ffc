/*
 * Finding the next byte of a small set: the escaping of rows and the
 * splitting of payload fields stop at a few special bytes and copy or
 * skip everything between, which is most bytes of every row.
 */
#ifndef BASE_SCAN_H
#define BASE_SCAN_H

#include <stdbool.h>

/*
 * Up to four bytes, each repeated 16 times for the vector compare (so it
 * is not built on every call), and as a table for the byte loop.
 */
struct scan_set {
	char	 c[4][16];
	bool	 is_in[256];
};

#define SCAN_REP16(x)	{ (x), (x), (x), (x), (x), (x), (x), (x),	\
	(x), (x), (x), (x), (x), (x), (x), (x) }
#define SCAN_SET4(a, b, c, d)	{					\
	{ SCAN_REP16(a), SCAN_REP16(b), SCAN_REP16(c), SCAN_REP16(d) },	\
	{ [(unsigned char)(a)] = true, [(unsigned char)(b)] = true,	\
	[(unsigned char)(c)] = true, [(unsigned char)(d)] = true } }
#define SCAN_SET3(a, b, c)	{					\
	{ SCAN_REP16(a), SCAN_REP16(b), SCAN_REP16(c), SCAN_REP16(a) },	\
	{ [(unsigned char)(a)] = true, [(unsigned char)(b)] = true,	\
	[(unsigned char)(c)] = true } }

/* The first byte of [s, end) that is in set, or end if there is none. */
const char	*scan_find(const struct scan_set *, const char *s,
		    const char *end);

#endif
