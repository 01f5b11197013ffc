/*
 * Avro container framing.  Only the metadata barge writes is read back
 * by avro_header_parse (which the tests and barge's own readers use), but
 * the parse follows the spec: a map is blocks of entries ending with a
 * count of 0, and a negative count is followed by the block's size.
 */
#include "config.h"

#include "core/avro_container.h"

#include <sys/random.h>

#include <inttypes.h>
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

/* avro_header_parse, but 1 (and no error) if p is cut short. */
static int
avro_header_scan(const void *v, size_t n, struct avro_header *h,
    struct error *err)
{
	const unsigned char *p = v;
	size_t		 pos = sizeof avro_magic;
	int64_t		 count, size;
	char		*key, *val;

	memset(h, 0, sizeof *h);
	if (n < sizeof avro_magic && memcmp(p, avro_magic, n) == 0)
		return 1;
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
	return 1;
}

int
avro_header_parse(const void *v, size_t n, struct avro_header *h,
    struct error *err)
{
	int	 rc = avro_header_scan(v, n, h, err);

	if (rc == 1)
		return error_set(err, ERR_INPUT, "Avro header cut short");
	return rc;
}

/* A header longer than this is not one of barge's. */
#define AVRO_HEADER_MAX	(1024 * 1024)

enum avro_count_state {
	AVRO_COUNT_HEADER,
	AVRO_COUNT_BLOCK,	/* at a block's count and size */
	AVRO_COUNT_DATA,	/* skipping its data */
	AVRO_COUNT_SYNC,	/* at its marker */
};

struct avro_count {
	enum avro_count_state state;
	struct buf	 pending;
	unsigned char	 sync[AVRO_SYNC_LEN];
	uint64_t	 skip;
	uint64_t	 rows;
	uint64_t	 blocks;
};

struct avro_count *
avro_count_new(void)
{
	struct avro_count *c = xcalloc(1, sizeof *c);

	buf_init(&c->pending);
	return c;
}

void
avro_count_free(struct avro_count *c)
{
	if (c == NULL)
		return;
	buf_clear(&c->pending);
	free(c);
}

/* One step at pending + *pos; 1 if it needs more bytes. */
static int
avro_count_step(struct avro_count *c, size_t *pos, struct error *err)
{
	const unsigned char *p = (const unsigned char *)c->pending.data + *pos;
	size_t		 n = c->pending.len - *pos, k1, k2;
	struct avro_header h;
	int64_t		 count, size;
	int		 rc;

	switch (c->state) {
	case AVRO_COUNT_HEADER:
		if ((rc = avro_header_scan(p, n, &h, err)) == 1 &&
		    n > AVRO_HEADER_MAX)
			return error_set(err, ERR_INPUT, "Avro header longer "
			    "than %d bytes", AVRO_HEADER_MAX);
		if (rc != 0)
			return rc;
		memcpy(c->sync, h.sync, AVRO_SYNC_LEN);
		*pos += h.len;
		avro_header_clear(&h);
		c->state = AVRO_COUNT_BLOCK;
		return 0;
	case AVRO_COUNT_BLOCK:
		if ((k1 = avro_get_long(p, n, &count)) == 0 ||
		    (k2 = avro_get_long(p + k1, n - k1, &size)) == 0)
			return n >= 2 * AVRO_LONG_MAX_LEN ? error_set(err,
			    ERR_INPUT, "Avro block %" PRIu64 ": bad count or "
			    "size", c->blocks + 1) : 1;
		if (count < 0 || size < 0)
			return error_set(err, ERR_INPUT, "Avro block %" PRIu64
			    ": negative count or size", c->blocks + 1);
		c->rows += (uint64_t)count;
		c->skip = (uint64_t)size;
		*pos += k1 + k2;
		c->state = AVRO_COUNT_DATA;
		return 0;
	case AVRO_COUNT_DATA:
		if (n == 0 && c->skip > 0)
			return 1;
		k1 = c->skip < n ? (size_t)c->skip : n;
		c->skip -= k1;
		*pos += k1;
		if (c->skip == 0)
			c->state = AVRO_COUNT_SYNC;
		return 0;
	case AVRO_COUNT_SYNC:
		if (n < AVRO_SYNC_LEN)
			return 1;
		if (memcmp(p, c->sync, AVRO_SYNC_LEN) != 0)
			return error_set(err, ERR_INPUT, "Avro block %" PRIu64
			    ": not ended by the header's sync marker",
			    c->blocks + 1);
		*pos += AVRO_SYNC_LEN;
		c->blocks++;
		c->state = AVRO_COUNT_BLOCK;
		return 0;
	}
	return 0;
}

int
avro_count_feed(struct avro_count *c, const void *p, size_t n,
    struct error *err)
{
	size_t	 pos = 0;
	int	 rc;

	buf_append(&c->pending, p, n);
	while (pos < c->pending.len || c->state == AVRO_COUNT_DATA) {
		if ((rc = avro_count_step(c, &pos, err)) == -1)
			return -1;
		if (rc == 1)
			break;
	}
	/* What is left is the start of a header, a block head or a marker. */
	buf_consume(&c->pending, pos);
	return 0;
}

int
avro_count_finish(struct avro_count *c, uint64_t *rows, struct error *err)
{
	if (c->state != AVRO_COUNT_BLOCK || c->pending.len != 0)
		return error_set(err, ERR_INPUT, "Avro file cut short %s",
		    c->state == AVRO_COUNT_HEADER ? "in its header" :
		    "in a block");
	*rows = c->rows;
	return 0;
}

void
avro_header_clear(struct avro_header *h)
{
	free(h->schema);
	free(h->codec);
	memset(h, 0, sizeof *h);
}
