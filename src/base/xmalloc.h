/*
 * Allocation that never returns NULL: running out of memory is fatal,
 * which is safe because barged recovers from any crash by design.
 */
#ifndef BASE_XMALLOC_H
#define BASE_XMALLOC_H

#include <stddef.h>

#include "base/cdefs.h"

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
void	*xmemdup(const void *, size_t);
/* Returns a heap string the caller frees. */
char	*xasprintf(const char *, ...) PRINTFLIKE(1, 2);

#endif
