/*
 * A growing list of formatted diagnostics.  Locations print the way
 * compilers print them so editors can jump to them.
 */
#include "config.h"

#include "base/diag.h"

#include <stdarg.h>
#include <stdlib.h>

#include "base/log.h"
#include "base/xmalloc.h"

struct diag {
	char	**items;
	size_t	  len;
	size_t	  cap;
};

struct diag *
diag_new(void)
{
	return xcalloc(1, sizeof(struct diag));
}

void
diag_free(struct diag *d)
{
	size_t	 i;

	if (d == NULL)
		return;
	for (i = 0; i < d->len; i++)
		free(d->items[i]);
	free(d->items);
	free(d);
}

void
diag_add(struct diag *d, const char *file, unsigned line, unsigned col,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*msg, *item;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		fatal("diag_add");
	va_end(ap);
	if (line == 0)
		item = xasprintf("%s: %s", file, msg);
	else if (col == 0)
		item = xasprintf("%s:%u: %s", file, line, msg);
	else
		item = xasprintf("%s:%u:%u: %s", file, line, col, msg);
	free(msg);
	if (d->len == d->cap) {
		d->cap = d->cap == 0 ? 8 : d->cap * 2;
		d->items = xreallocarray(d->items, d->cap, sizeof *d->items);
	}
	d->items[d->len++] = item;
}

size_t
diag_count(const struct diag *d)
{
	return d->len;
}

const char *
diag_get(const struct diag *d, size_t i)
{
	return i < d->len ? d->items[i] : NULL;
}

void
diag_print(const struct diag *d, FILE *fp, const char *prefix)
{
	size_t	 i;

	for (i = 0; i < d->len; i++)
		fprintf(fp, "%s%s\n", prefix, d->items[i]);
}
