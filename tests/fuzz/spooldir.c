/*
 * fuzz_spool's input format (spooldir.h), read by the target and written
 * by spool_seeds, so that both agree on every byte.
 */
#include "config.h"

#include "spooldir.h"

#include <stdbool.h>
#include <string.h>

const char *const spooldir_folders[SPOOLDIR_NFOLDERS] = {
	"open", "sealed", "corrupt"
};

/* A 2-byte length, then that many bytes (or what is left). */
static bool
spooldir_blob(const uint8_t **p, const uint8_t *end, const uint8_t **blob,
    size_t *len)
{
	size_t	 n;

	if (end - *p < 2)
		return false;
	n = (size_t)(*p)[0] | (size_t)(*p)[1] << 8;
	*p += 2;
	if (n > (size_t)(end - *p))
		n = (size_t)(end - *p);
	*blob = *p;
	*len = n;
	*p += n;
	return true;
}

static bool
spooldir_is_name(const uint8_t *name, size_t n)
{
	return n > 0 && memchr(name, '/', n) == NULL &&
	    memchr(name, '\0', n) == NULL && !(n == 1 && name[0] == '.') &&
	    !(n == 2 && name[0] == '.' && name[1] == '.');
}

void
spooldir_parse(struct spooldir *sd, const uint8_t *data, size_t len)
{
	const uint8_t	*p = data, *end = data + len, *name;
	struct spooldir_file *f;
	size_t		 n, i;

	memset(sd, 0, sizeof *sd);
	if (len == 0)
		return;
	sd->flags = *p++;
	if ((sd->flags & SPOOLDIR_CHECKPOINT) && !spooldir_blob(&p, end,
	    &sd->checkpoint, &sd->checkpoint_len))
		return;
	while (sd->nfiles < SPOOLDIR_MAX_FILES && end - p >= 2) {
		f = &sd->files[sd->nfiles];
		f->folder = (enum spooldir_folder)(*p++ % SPOOLDIR_NFOLDERS);
		n = *p++;
		if (n > (size_t)(end - p))
			return;
		name = p;
		p += n;
		if (!spooldir_blob(&p, end, &f->data, &f->len))
			return;
		if (!spooldir_is_name(name, n))
			continue;
		memcpy(f->name, name, n);
		f->name[n] = '\0';
		for (i = 0; i < sd->nfiles; i++)
			if (sd->files[i].folder == f->folder &&
			    strcmp(sd->files[i].name, f->name) == 0)
				break;
		if (i == sd->nfiles)
			sd->nfiles++;
	}
}

static void
spooldir_put_len(struct buf *b, size_t len)
{
	buf_putc(b, (char)(len & 0xff));
	buf_putc(b, (char)(len >> 8 & 0xff));
}

void
spooldir_put_head(struct buf *b, unsigned flags, const void *cp, size_t len)
{
	buf_putc(b, (char)((flags & ~SPOOLDIR_CHECKPOINT) |
	    (cp != NULL ? SPOOLDIR_CHECKPOINT : 0)));
	if (cp != NULL) {
		spooldir_put_len(b, len);
		buf_append(b, cp, len);
	}
}

void
spooldir_put_file(struct buf *b, enum spooldir_folder folder,
    const char *name, const void *data, size_t len)
{
	buf_putc(b, (char)folder);
	buf_putc(b, (char)strlen(name));
	buf_puts(b, name);
	spooldir_put_len(b, len);
	buf_append(b, data, len);
}
