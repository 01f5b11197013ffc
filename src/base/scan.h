/*
 * Finding the next byte of a small set: the escaping of rows and the
 * splitting of payload fields stop at a few special bytes and copy or
 * skip everything between, which is most bytes of every row.
 */
#ifndef BASE_SCAN_H
#define BASE_SCAN_H

#include <stdbool.h>

/* Up to four bytes, as a list for the vector compare and as a table. */
struct scan_set {
	char	 c[4];
	bool	 is_in[256];
};

#define SCAN_SET4(a, b, c, d)	{ { (a), (b), (c), (d) }, {		\
	[(unsigned char)(a)] = true, [(unsigned char)(b)] = true,	\
	[(unsigned char)(c)] = true, [(unsigned char)(d)] = true } }
#define SCAN_SET3(a, b, c)	{ { (a), (b), (c), (a) }, {		\
	[(unsigned char)(a)] = true, [(unsigned char)(b)] = true,	\
	[(unsigned char)(c)] = true } }

/* The first byte of [s, end) that is in set, or end if there is none. */
const char	*scan_find(const struct scan_set *, const char *s,
		    const char *end);

#endif
