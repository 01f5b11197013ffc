/*
 * The number checks of payload fields.  Integers are plain decimal with
 * an optional '-'; a double is what strtod reads whole and finite.  Both
 * are asked once per field of every row, so the common spellings are
 * decided here without strtod, which is kept for the rare ones.
 */
#ifndef CORE_DECIMAL_H
#define CORE_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Parses [s, s + len) as -?[0-9]+ within [min, max] into *out; -1 if it
 * is not one (no '+', no spaces; leading zeros are allowed).
 */
int	decimal_int(const char *s, size_t len, int64_t min, int64_t max,
	    int64_t *out);
/*
 * Whether [s, s + len) is a finite double as strtod reads it in the C
 * locale, all of it: no leading blank, no NaN or infinity, nothing left
 * over, and shorter than 128 bytes.
 */
bool	decimal_is_double(const char *s, size_t len);

#endif
