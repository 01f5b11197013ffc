/*
 * Collected "file:line:column: message" diagnostics, for loaders that
 * report every error of a load instead of stopping at the first.
 */
#ifndef BASE_DIAG_H
#define BASE_DIAG_H

#include <stddef.h>
#include <stdio.h>

#include "base/cdefs.h"

struct diag;

struct diag	*diag_new(void);
void		 diag_free(struct diag *);
/* Records one diagnostic; line and col are 1-based, 0 means "unknown". */
void		 diag_add(struct diag *, const char *file, unsigned line,
		    unsigned col, const char *, ...) PRINTFLIKE(5, 6);
size_t		 diag_count(const struct diag *);
/* The i-th diagnostic, formatted "file:line:col: message"; owned by diag. */
const char	*diag_get(const struct diag *, size_t i);
/* Writes every diagnostic, one per line, each prefixed with prefix. */
void		 diag_print(const struct diag *, FILE *, const char *prefix);

#endif
