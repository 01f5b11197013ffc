/*
 * Numbers and strings written without printf, for the text that is built
 * once per row (segment keys, metric keys, the row's integers), where
 * snprintf's format parsing costs more than the digits.
 */
#ifndef BASE_FMT_H
#define BASE_FMT_H

#include <stddef.h>
#include <stdint.h>

/* Room for any int64_t or uint64_t in decimal, with sign and NUL. */
#define FMT_INT_MAX	21

/*
 * Write v in decimal at out (FMT_INT_MAX bytes of room), NUL-terminated;
 * return the number of characters, the NUL not counted.
 */
size_t	fmt_u64(char *out, uint64_t v);
size_t	fmt_i64(char *out, int64_t v);
/*
 * Copies the string s into out of size cap (> 0), cut to cap - 1 bytes
 * like snprintf's "%s"; returns the length written.
 */
size_t	fmt_str(char *out, size_t cap, const char *s);

#endif
