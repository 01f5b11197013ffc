/*
 * Checkpoint records.  The format is line-oriented text so that ops can
 * read it:
 *	barge-checkpoint 1
 *	next-id <hex>
 *	input <dev> <ino> <fp-hash hex> <fp-len> <offset> <path>
 *	segment <length> <name> <rows>
 *	crc <crc32 hex of every byte above>
 */
#include "config.h"

#include "core/checkpoint.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>

#include "base/fsio.h"
#include "base/xmalloc.h"

#define CHECKPOINT_MAGIC	"barge-checkpoint 1\n"

void
checkpoint_init(struct checkpoint *cp)
{
	memset(cp, 0, sizeof *cp);
}

void
checkpoint_clear(struct checkpoint *cp)
{
	size_t	 i;

	for (i = 0; i < cp->ninputs; i++)
		free(cp->inputs[i].path);
	free(cp->inputs);
	free(cp->segments);
	checkpoint_init(cp);
}

void
checkpoint_add_input(struct checkpoint *cp, const struct checkpoint_input *in)
{
	cp->inputs = xreallocarray(cp->inputs, cp->ninputs + 1,
	    sizeof *cp->inputs);
	cp->inputs[cp->ninputs] = *in;
	cp->inputs[cp->ninputs].path = xstrdup(in->path);
	cp->ninputs++;
}

void
checkpoint_add_segment(struct checkpoint *cp, const char *name,
    uint64_t length, uint64_t rows)
{
	struct spool_durable *d;

	cp->segments = xreallocarray(cp->segments, cp->nsegments + 1,
	    sizeof *cp->segments);
	d = &cp->segments[cp->nsegments++];
	snprintf(d->name, sizeof d->name, "%s", name);
	d->length = length;
	d->rows = rows;
}

const struct checkpoint_input *
checkpoint_find_input(const struct checkpoint *cp, const char *path)
{
	size_t	 i;

	for (i = 0; i < cp->ninputs; i++)
		if (strcmp(cp->inputs[i].path, path) == 0)
			return &cp->inputs[i];
	return NULL;
}

void
checkpoint_encode(const struct checkpoint *cp, struct buf *b)
{
	size_t	 i;

	buf_puts(b, CHECKPOINT_MAGIC);
	buf_printf(b, "next-id %" PRIx64 "\n", cp->next_id);
	for (i = 0; i < cp->ninputs; i++) {
		const struct checkpoint_input *in = &cp->inputs[i];

		buf_printf(b, "input %" PRIu64 " %" PRIu64 " %" PRIx64 " %"
		    PRIu32 " %" PRIu64 " %s\n", in->dev, in->ino, in->fp_hash,
		    in->fp_len, in->offset, in->path);
	}
	for (i = 0; i < cp->nsegments; i++) {
		const struct spool_durable *d = &cp->segments[i];

		if (d->rows == SEGMENT_ROWS_UNKNOWN)
			buf_printf(b, "segment %" PRIu64 " %s\n", d->length,
			    d->name);
		else
			buf_printf(b, "segment %" PRIu64 " %s %" PRIu64 "\n",
			    d->length, d->name, d->rows);
	}
	buf_printf(b, "crc %08lx\n",
	    (unsigned long)libdeflate_crc32(0, b->data, b->len));
}

int
checkpoint_decode(struct checkpoint *cp, const char *text, size_t len,
    struct error *err)
{
	const char	*p = text, *end, *nl, *crcline;
	char		 line[4200], name[SEGMENT_NAME_MAX], path[4096];
	unsigned long	 crc;
	unsigned	 lineno = 1;
	int		 n;

	checkpoint_init(cp);
	/* Before any arithmetic on text: an empty file reads as NULL, 0. */
	if (len < sizeof CHECKPOINT_MAGIC - 1 ||
	    memcmp(text, CHECKPOINT_MAGIC, sizeof CHECKPOINT_MAGIC - 1) != 0)
		return error_set(err, ERR_INPUT, "not a barge checkpoint");
	end = text + len;
	/* The CRC line is the last one and covers all before it. */
	crcline = end - 1;
	while (crcline > text && crcline[-1] != '\n')
		crcline--;
	if (end[-1] != '\n' || sscanf(crcline, "crc %8lx\n%n", &crc, &n) != 1 ||
	    crcline + n != end || crc != libdeflate_crc32(0, text,
	    (size_t)(crcline - text)))
		return error_set(err, ERR_INPUT, "checksum mismatch (torn or "
		    "edited file)");
	p += sizeof CHECKPOINT_MAGIC - 1;
	for (; p < crcline; p = nl + 1) {
		struct checkpoint_input in;
		uint64_t	 length, rows;

		lineno++;
		nl = memchr(p, '\n', (size_t)(crcline - p));
		if ((size_t)(nl - p) >= sizeof line)
			goto bad;
		memcpy(line, p, (size_t)(nl - p));
		line[nl - p] = '\0';
		memset(&in, 0, sizeof in);
		if (sscanf(line, "next-id %" SCNx64 "%n", &cp->next_id,
		    &n) == 1 && line[n] == '\0')
			continue;
		if (sscanf(line, "input %" SCNu64 " %" SCNu64 " %" SCNx64 " %"
		    SCNu32 " %" SCNu64 " %n", &in.dev, &in.ino, &in.fp_hash,
		    &in.fp_len, &in.offset, &n) == 5 && line[n] == '/') {
			snprintf(path, sizeof path, "%s", line + n);
			in.path = path;
			checkpoint_add_input(cp, &in);
			continue;
		}
		/* Without rows: written by a barged that did not count. */
		if (sscanf(line, "segment %" SCNu64 " %159s%n", &length, name,
		    &n) == 2 && line[n] == '\0') {
			checkpoint_add_segment(cp, name, length,
			    SEGMENT_ROWS_UNKNOWN);
			continue;
		}
		if (sscanf(line, "segment %" SCNu64 " %159s %" SCNu64 "%n",
		    &length, name, &rows, &n) == 3 && line[n] == '\0') {
			checkpoint_add_segment(cp, name, length, rows);
			continue;
		}
		goto bad;
	}
	return 0;
bad:
	checkpoint_clear(cp);
	return error_set(err, ERR_INPUT, "line %u: not understood", lineno);
}

int
checkpoint_write(const struct checkpoint *cp, const char *path,
    struct error *err)
{
	struct buf	 b;
	int		 rc;

	buf_init(&b);
	checkpoint_encode(cp, &b);
	rc = fsio_write_file_atomic(path, b.data, b.len, err);
	buf_clear(&b);
	return rc;
}

int
checkpoint_read(struct checkpoint *cp, const char *path, struct error *err)
{
	struct buf	 b;
	int		 rc = 0;

	buf_init(&b);
	checkpoint_init(cp);
	if (fsio_read_file(path, &b, err) == -1) {
		rc = err != NULL && err->code == ERR_NOTFOUND ? 0 : -1;
	} else if (checkpoint_decode(cp, b.data, b.len, err) == -1) {
		error_prefix(err, "%s", path);
		rc = -1;
	}
	buf_clear(&b);
	return rc;
}
