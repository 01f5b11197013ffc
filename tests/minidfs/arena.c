/*
 * Reply messages are trees of small allocations; an arena frees a whole
 * tree at once after the reply is packed.  Also the exception helper.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"

#include "minidfs.h"

void *
arena_alloc(struct arena *a, size_t n)
{
	void	*p = xcalloc(1, n == 0 ? 1 : n);

	if (a->n == a->cap) {
		a->cap = a->cap == 0 ? 32 : a->cap * 2;
		a->ptrs = xreallocarray(a->ptrs, a->cap, sizeof *a->ptrs);
	}
	a->ptrs[a->n++] = p;
	return p;
}

void *
arena_init(struct arena *a, size_t n, const void *init)
{
	void	*p = arena_alloc(a, n);

	memcpy(p, init, n);
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	size_t	 n = strlen(s) + 1;

	return memcpy(arena_alloc(a, n), s, n);
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	char	*s, *r;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = NULL;
	va_end(ap);
	if (s == NULL)
		return arena_strdup(a, "");
	r = arena_strdup(a, s);
	free(s);
	return r;
}

void
arena_free(struct arena *a)
{
	size_t	 i;

	for (i = 0; i < a->n; i++)
		free(a->ptrs[i]);
	free(a->ptrs);
	a->ptrs = NULL;
	a->n = a->cap = 0;
}

int
exc_throw(struct exc *e, const char *cls, const char *fmt, ...)
{
	va_list	 ap;

	e->cls = cls;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}
