/*
 * Avro container framing.  Only the metadata barge writes is read back
 * by avro_header_parse (which the tests and barge's own readers use), but
 * the parse follows the spec: a map is blocks of entries ending with a
 * count of 0, and a negative count is followed by the block's size.
 */
#include "config.h"

#include "core/avro_container.h"

#include <sys/random.h>

#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xmalloc.h"
#include "core/avro_encode.h"

static const char avro_magic[4] = { 'O', 'b', 'j', 1 };

void
avro_container_sync(unsigned char sync[AVRO_SYNC_LEN])
{
	/* A marker equal to some block's bytes would mislead a splitter. */
	if (getrandom(sync, AVRO_SYNC_LEN, 0) != AVRO_SYNC_LEN)
		fatal("avro: getrandom");
}

void
avro_container_header(struct buf *out, const char *schema,
    const unsigned char sync[AVRO_SYNC_LEN])
{
	buf_append(out, avro_magic, sizeof avro_magic);
	avro_long(out, 2);
	avro_bytes(out, "avro.schema", 11);
	avro_bytes(out, schema, strlen(schema));
	avro_bytes(out, "avro.codec", 10);
	avro_bytes(out, "deflate", 7);
	avro_long(out, 0);
	buf_append(out, sync, AVRO_SYNC_LEN);
}

void
avro_container_block(struct buf *out, struct gzip *gz, uint64_t count,
    const void *rows, size_t n, const unsigned char sync[AVRO_SYNC_LEN])
{
	const char	*data;
	size_t		 len;

	data = gzip_deflate(gz, rows, n, &len);
	avro_long(out, (int64_t)count);
	avro_long(out, (int64_t)len);
	buf_append(out, data, len);
	buf_append(out, sync, AVRO_SYNC_LEN);
}

/* A long at *pos, advanced; -1 if cut short. */
static int
avro_header_long(const unsigned char *p, size_t n, size_t *pos, int64_t *v)
{
	size_t	 k = avro_get_long(p + *pos, n - *pos, v);

	if (k == 0)
		return -1;
	*pos += k;
	return 0;
}

/* A string at *pos as a heap copy; NULL if cut short. */
static char *
avro_header_string(const unsigned char *p, size_t n, size_t *pos)
{
	int64_t	 len;
	char	*s;

	if (avro_header_long(p, n, pos, &len) == -1 || len < 0 ||
	    (uint64_t)len > n - *pos)
		return NULL;
	s = xmalloc((size_t)len + 1);
	memcpy(s, p + *pos, (size_t)len);
	s[len] = '\0';
	*pos += (size_t)len;
	return s;
}

int
avro_header_parse(const void *v, size_t n, struct avro_header *h,
    struct error *err)
{
	const unsigned char *p = v;
	size_t		 pos = sizeof avro_magic;
	int64_t		 count, size;
	char		*key, *val;

	memset(h, 0, sizeof *h);
	if (n < sizeof avro_magic || memcmp(p, avro_magic,
	    sizeof avro_magic) != 0)
		return error_set(err, ERR_INPUT, "not an Avro container "
		    "(no Obj\\1 magic)");
	for (;;) {
		if (avro_header_long(p, n, &pos, &count) == -1)
			goto short_header;
		if (count == 0)
			break;
		if (count < 0) {
			count = -count;
			if (avro_header_long(p, n, &pos, &size) == -1)
				goto short_header;
		}
		while (count-- > 0) {
			if ((key = avro_header_string(p, n, &pos)) == NULL)
				goto short_header;
			if ((val = avro_header_string(p, n, &pos)) == NULL) {
				free(key);
				goto short_header;
			}
			if (strcmp(key, "avro.schema") == 0 &&
			    h->schema == NULL) {
				h->schema = val;
				val = NULL;
			} else if (strcmp(key, "avro.codec") == 0 &&
			    h->codec == NULL) {
				h->codec = val;
				val = NULL;
			}
			free(key);
			free(val);
		}
	}
	if (n - pos < AVRO_SYNC_LEN)
		goto short_header;
	memcpy(h->sync, p + pos, AVRO_SYNC_LEN);
	h->len = pos + AVRO_SYNC_LEN;
	if (h->schema == NULL) {
		avro_header_clear(h);
		return error_set(err, ERR_INPUT, "Avro header without "
		    "avro.schema");
	}
	if (h->codec == NULL)
		h->codec = xstrdup("null");
	return 0;
short_header:
	avro_header_clear(h);
	return error_set(err, ERR_INPUT, "Avro header cut short");
}

void
avro_header_clear(struct avro_header *h)
{
	free(h->schema);
	free(h->codec);
	memset(h, 0, sizeof *h);
}
