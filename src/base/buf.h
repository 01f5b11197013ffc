/*
 * A growable byte buffer.  The bytes are always followed by a NUL that is
 * not counted in len, so text can be passed to C string functions.
 */
#ifndef BASE_BUF_H
#define BASE_BUF_H

#include <stddef.h>

#include "base/cdefs.h"

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	buf_init(struct buf *);
void	buf_clear(struct buf *);	/* frees the storage */
void	buf_reset(struct buf *);	/* len = 0, keeps the storage */
/* buf_reserve's growing: the inline check below runs on every append. */
char	*buf_grow(struct buf *, size_t n);
void	buf_append(struct buf *, const void *, size_t);
void	buf_putc(struct buf *, char);
void	buf_puts(struct buf *, const char *);
void	buf_printf(struct buf *, const char *, ...) PRINTFLIKE(2, 3);
/* Hands the storage to the caller (free() it) and empties b. */
char	*buf_take(struct buf *);
/* Removes the first n bytes. */
void	buf_consume(struct buf *, size_t n);

/* Makes room for n more bytes and returns where they go. */
static inline char *
buf_reserve(struct buf *b, size_t n)
{
	if (b->len + n + 1 > b->cap)
		return buf_grow(b, n);
	return b->data + b->len;
}

static inline void
buf_putc_fast(struct buf *b, char c)
{
	if (b->len + 1 >= b->cap)
		buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

#endif
