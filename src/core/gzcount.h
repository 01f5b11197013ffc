/*
 * Counts the rows (LF-terminated lines) of a gzip file of any number of
 * members, fed in pieces as it is read, so that barge audit --rows can
 * hold a file's count against its manifest without storing the file.
 */
#ifndef CORE_GZCOUNT_H
#define CORE_GZCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

struct gzcount;

struct gzcount	*gzcount_new(void);
void		 gzcount_free(struct gzcount *);
/* Inflates n more bytes; -1 with err if they are not gzip. */
int		 gzcount_feed(struct gzcount *, const void *, size_t n,
		    struct error *);
/* After the last byte: the rows, or -1 if the file ended mid-member. */
int		 gzcount_finish(struct gzcount *, uint64_t *rows,
		    struct error *);

#endif
