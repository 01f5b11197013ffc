/*
 * Spool segments.  A segment owns its file descriptor, a buffer of rows
 * not yet compressed and a buffer of compressed bytes not yet written.
 * Nothing here decides when to sync or seal: core/spool.c and
 * barged/sync.c do.
 */
#include "config.h"

#include "core/segment.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/fsio.h"
#include "base/xmalloc.h"
#include "core/avro_container.h"

/*
 * Rows are compressed in chunks of this size, each its own member: big
 * enough that a fresh dictionary per member costs little ratio, small
 * enough that a hundred open segments fit in a few MiB.
 */
#define SEGMENT_CHUNK	(64 * 1024)
/* Room for an Avro header: a schema of a few hundred fields. */
#define SEGMENT_HEADER_MAX	(256 * 1024)

struct segment {
	uint64_t		 id;
	struct segment_key	 key;
	char			 name[SEGMENT_NAME_MAX];
	char			*path;
	int			 fd;
	uint64_t		 durable;
	uint64_t		 written;	/* bytes in the file */
	uint64_t		 rows;
	uint64_t		 durable_rows;
	bool			 dirty;
	struct buf		 pending;	/* rows not yet compressed */
	uint64_t		 pending_rows;	/* Avro: the block's count */
	unsigned char		 sync[AVRO_SYNC_LEN];	/* Avro marker */
	char			*avro_schema;	/* Avro: its header's */
	struct segment_codec	 codec;
	int			 write_errno;	/* a failed member write */
};

static void
segment_day_hour(int64_t hour, char day[11], char hh[3])
{
	clock_utc_day_hour(hour * 3600 * 1000, day, hh);
}

int64_t
segment_last_hour(const struct segment_key *k)
{
	return k->is_daily ? k->hour - k->hour % 24 + 23 : k->hour;
}

static char
segment_kind_char(const struct segment_key *k)
{
	if (k->kind == SEGMENT_QUARANTINE)
		return 'q';
	return k->is_daily ? 'd' : 'm';
}

void
segment_name(char out[SEGMENT_NAME_MAX], uint64_t id,
    const struct segment_key *k, uint64_t rows)
{
	char	 day[11], hh[3], r[24] = "";

	segment_day_hour(k->hour, day, hh);
	if (rows != SEGMENT_ROWS_UNKNOWN)
		snprintf(r, sizeof r, ".r%" PRIu64, rows);
	snprintf(out, SEGMENT_NAME_MAX, "%016" PRIx64 ".%c.%s.%u.%s.%s%s.%s",
	    id, segment_kind_char(k), k->name, k->version, day, hh, r,
	    k->is_avro ? "avro" : "gz");
}

/*
 * "YYYY-MM-DD" as segment_name writes it.  sscanf's %u alone would take
 * "-999" for a year of 4294966297, an hour no clock function can hold.
 */
static bool
segment_is_day(const char *day)
{
	int	 i;

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? day[i] != '-' :
		    day[i] < '0' || day[i] > '9')
			return false;
	return day[10] == '\0';
}

int
segment_parse_name(const char *s, uint64_t *id, struct segment_key *k,
    uint64_t *rowsp)
{
	char		 kind, name[sizeof k->name], day[11], hh[3];
	unsigned	 version, y, m, d, h;
	uint64_t	 rows = SEGMENT_ROWS_UNKNOWN;
	int		 n = 0, r = 0;

	memset(k, 0, sizeof *k);
	if (sscanf(s, "%16" SCNx64 ".%c.%71[A-Za-z0-9_-].%u.%10[0-9-].%2[0-9]"
	    "%n", id, &kind, name, &version, day, hh, &n) != 6 ||
	    (kind != 'm' && kind != 'd' && kind != 'q'))
		return -1;
	s += n;
	if (s[0] == '.' && s[1] == 'r') {
		if (s[2] < '0' || s[2] > '9' ||
		    sscanf(s, ".r%" SCNu64 "%n", &rows, &r) != 1)
			return -1;
		s += r;
	}
	if (strcmp(s, ".avro") == 0 && kind != 'q')
		k->is_avro = true;
	else if (strcmp(s, ".gz") != 0)
		return -1;
	if (!segment_is_day(day) ||
	    sscanf(day, "%4u-%2u-%2u", &y, &m, &d) != 3 || m < 1 || m > 12 ||
	    d < 1 || d > 31 || sscanf(hh, "%2u", &h) != 1 || h > 23 ||
	    (kind == 'd' && h != 0))
		return -1;
	k->kind = kind == 'q' ? SEGMENT_QUARANTINE : SEGMENT_MESSAGE;
	k->is_daily = kind == 'd';
	memcpy(k->name, name, sizeof k->name);
	k->version = version;
	k->hour = clock_days_from_civil(y, m, d) * 24 + h;
	if (rowsp != NULL)
		*rowsp = rows;
	return 0;
}

char *
segment_hdfs_path(const char *root, const char *host, uint64_t id,
    const struct segment_key *k)
{
	char		 day[11], hh[3];
	const char	*ext = k->is_avro ? "avro" : "tsv.gz";

	segment_day_hour(k->hour, day, hh);
	if (k->kind == SEGMENT_QUARANTINE)
		return xasprintf("%s/_invalid/%s/dt=%s/hour=%s/%s-%016" PRIx64
		    ".tsv.gz", root, k->name, day, hh, host, id);
	if (k->is_daily)
		return xasprintf("%s/%s/v%u/dt=%s/%s-%016" PRIx64 ".%s",
		    root, k->name, k->version, day, host, id, ext);
	return xasprintf("%s/%s/v%u/dt=%s/hour=%s/%s-%016" PRIx64 ".%s",
	    root, k->name, k->version, day, hh, host, id, ext);
}

static struct segment *
segment_alloc(const char *dir, const char *name,
    const struct segment_codec *codec)
{
	struct segment	*seg = xcalloc(1, sizeof *seg);

	seg->codec = *codec;
	snprintf(seg->name, sizeof seg->name, "%s", name);
	seg->path = xasprintf("%s/%s", dir, name);
	seg->fd = -1;
	buf_init(&seg->pending);
	return seg;
}

/* Writes an Avro segment's header and makes it durable. */
static int
segment_avro_header(struct segment *seg, const char *schema,
    struct error *err)
{
	struct buf	 hdr;
	int		 rc = 0;

	avro_container_sync(seg->sync);
	buf_init(&hdr);
	avro_container_header(&hdr, schema, seg->sync);
	if (fsio_write_full(seg->fd, hdr.data, hdr.len, NULL) == -1 ||
	    fdatasync(seg->fd) == -1)
		rc = error_sys(err, "spool: %s", seg->path);
	else
		seg->durable = seg->written = hdr.len;
	buf_clear(&hdr);
	return rc;
}

struct segment *
segment_create(const char *dir, uint64_t id, const struct segment_key *k,
    const struct segment_codec *codec, const char *avro_schema,
    struct error *err)
{
	char		 name[SEGMENT_NAME_MAX];
	struct segment	*seg;

	segment_name(name, id, k, SEGMENT_ROWS_UNKNOWN);
	seg = segment_alloc(dir, name, codec);
	seg->id = id;
	seg->key = *k;
	/* O_TRUNC: a leftover of a crash with this id holds nothing durable. */
	if ((seg->fd = open(seg->path, O_WRONLY | O_CREAT | O_TRUNC |
	    O_APPEND | O_CLOEXEC, 0640)) == -1) {
		error_sys(err, "spool: %s", seg->path);
		segment_free(seg);
		return NULL;
	}
	if (k->is_avro && segment_avro_header(seg, avro_schema, err) == -1) {
		segment_free(seg);
		return NULL;
	}
	if (k->is_avro)
		seg->avro_schema = xstrdup(avro_schema);
	return seg;
}

/* The schema of a reopened Avro segment, from its header. */
static int
segment_read_schema(struct segment *seg, uint64_t length, struct error *err)
{
	struct avro_header h;
	size_t		 n = length < SEGMENT_HEADER_MAX ? (size_t)length :
			    SEGMENT_HEADER_MAX;
	char		*p = xmalloc(n);
	int		 rc = -1;

	if (pread(seg->fd, p, n, 0) != (ssize_t)n)
		error_sys(err, "spool: read %s", seg->path);
	else if (avro_header_parse(p, n, &h, err) == -1)
		error_prefix(err, "spool: %s", seg->path);
	else {
		seg->avro_schema = h.schema;
		h.schema = NULL;
		avro_header_clear(&h);
		rc = 0;
	}
	free(p);
	return rc;
}

struct segment *
segment_reopen(const char *dir, const char *name, uint64_t length,
    uint64_t rows, const struct segment_codec *codec, struct error *err)
{
	struct segment	*seg = segment_alloc(dir, name, codec);
	struct stat	 st;

	if (segment_parse_name(name, &seg->id, &seg->key, NULL) == -1) {
		error_set(err, ERR_INPUT, "spool: %s: not a segment name",
		    seg->path);
		goto fail;
	}
	/* An Avro segment's marker is read back from its last bytes. */
	if ((seg->fd = open(seg->path, (seg->key.is_avro ? O_RDWR :
	    O_WRONLY) | O_APPEND | O_CLOEXEC)) == -1) {
		error_sys(err, "spool: %s", seg->path);
		goto fail;
	}
	if (fstat(seg->fd, &st) == -1) {
		error_sys(err, "spool: %s", seg->path);
		goto fail;
	}
	if ((uint64_t)st.st_size < length) {
		error_set(err, ERR_INPUT, "spool: %s: %jd bytes, shorter than "
		    "its durable length %" PRIu64, seg->path,
		    (intmax_t)st.st_size, length);
		goto fail;
	}
	if ((uint64_t)st.st_size > length &&
	    (ftruncate(seg->fd, (off_t)length) == -1 ||
	    fdatasync(seg->fd) == -1)) {
		error_sys(err, "spool: truncate %s", seg->path);
		goto fail;
	}
	/* Every durable length of an Avro segment ends with its marker. */
	if (seg->key.is_avro && (length < 4 + AVRO_SYNC_LEN ||
	    pread(seg->fd, seg->sync, AVRO_SYNC_LEN,
	    (off_t)(length - AVRO_SYNC_LEN)) != AVRO_SYNC_LEN)) {
		error_set(err, ERR_INPUT, "spool: %s: no Avro sync marker at "
		    "its durable length %" PRIu64, seg->path, length);
		goto fail;
	}
	if (seg->key.is_avro && segment_read_schema(seg, length, err) == -1) {
		err->code = ERR_INPUT;
		goto fail;
	}
	seg->durable = seg->written = length;
	seg->rows = seg->durable_rows = rows;
	return seg;
fail:
	segment_free(seg);
	return NULL;
}

void
segment_free(struct segment *seg)
{
	if (seg == NULL)
		return;
	if (seg->codec.zp != NULL)	/* the worker may be writing to it */
		zpool_wait(seg->codec.zp);
	if (seg->fd != -1)
		close(seg->fd);
	buf_clear(&seg->pending);
	free(seg->avro_schema);
	free(seg->path);
	free(seg);
}

const char *
segment_avro_schema(const struct segment *seg)
{
	return seg->avro_schema;
}

/*
 * Writes one member (on the compression worker, or inline).  It is not
 * durable until segment_commit, which is all the checkpoint relies on.
 * A failure is kept for segment_commit to report.
 */
static void
segment_write_member(void *arg, const char *member, size_t n)
{
	struct segment	*seg = arg;

	if (seg->write_errno != 0)
		return;
	if (fsio_write_full(seg->fd, member, n, NULL) == -1) {
		seg->write_errno = errno;
		return;
	}
	seg->written += n;
}

/* Hands the buffered rows to the compressor: one member or block. */
static void
segment_compress(struct segment *seg)
{
	const char	*member;
	size_t		 len = seg->pending.len, n;
	uint64_t	 count = seg->pending_rows;
	struct buf	 block;

	if (len == 0)
		return;
	seg->pending_rows = 0;
	if (seg->codec.zp != NULL) {
		zpool_block(seg->codec.zp, buf_take(&seg->pending), len, count,
		    seg->key.is_avro ? seg->sync : NULL, segment_write_member,
		    seg);
		return;
	}
	if (seg->key.is_avro) {
		buf_init(&block);
		avro_container_block(&block, seg->codec.gz, count,
		    seg->pending.data, len, seg->sync);
		segment_write_member(seg, block.data, block.len);
		buf_clear(&block);
	} else {
		member = gzip_member(seg->codec.gz, seg->pending.data, len,
		    &n);
		segment_write_member(seg, member, n);
	}
	buf_reset(&seg->pending);
}

void
segment_append(struct segment *seg, const char *row, size_t len)
{
	/* One allocation per chunk rather than a doubling series. */
	if (seg->pending.cap == 0)
		buf_reserve(&seg->pending, SEGMENT_CHUNK + len);
	buf_append(&seg->pending, row, len);
	seg->pending_rows++;
	if (seg->rows != SEGMENT_ROWS_UNKNOWN)
		seg->rows++;
	seg->dirty = true;
	if (seg->pending.len >= SEGMENT_CHUNK)
		segment_compress(seg);
}

void
segment_flush(struct segment *seg)
{
	segment_compress(seg);
}

int
segment_commit(struct segment *seg, struct error *err)
{
	if (seg->write_errno != 0) {
		errno = seg->write_errno;
		error_sys(err, "spool: write %s", seg->path);
		seg->write_errno = 0;
		/* Cut back to the last durable member; the rows come again. */
		if (ftruncate(seg->fd, (off_t)seg->durable) == 0)
			seg->written = seg->durable;
		seg->rows = seg->durable_rows;
		seg->pending_rows = 0;
		return -1;
	}
	if (seg->written != seg->durable) {
		if (fdatasync(seg->fd) == -1)
			return error_sys(err, "spool: fdatasync %s", seg->path);
		seg->durable = seg->written;
	}
	seg->durable_rows = seg->rows;
	/* An idle segment keeps no buffer. */
	buf_clear(&seg->pending);
	seg->dirty = false;
	return 0;
}

int
segment_sync(struct segment *seg, struct error *err)
{
	segment_flush(seg);
	if (seg->codec.zp != NULL)
		zpool_wait(seg->codec.zp);
	return segment_commit(seg, err);
}

int
segment_move(struct segment *seg, const char *dir, struct error *err)
{
	char	 name[SEGMENT_NAME_MAX], *to;

	segment_name(name, seg->id, &seg->key, seg->durable_rows);
	to = xasprintf("%s/%s", dir, name);
	if (rename(seg->path, to) == -1) {
		error_sys(err, "spool: rename %s to %s", seg->path, to);
		free(to);
		return -1;
	}
	free(seg->path);
	seg->path = to;
	snprintf(seg->name, sizeof seg->name, "%s", name);
	return 0;
}

uint64_t
segment_id(const struct segment *seg)
{
	return seg->id;
}

const struct segment_key *
segment_key(const struct segment *seg)
{
	return &seg->key;
}

const char *
segment_file(const struct segment *seg)
{
	return seg->name;
}

uint64_t
segment_durable(const struct segment *seg)
{
	return seg->durable;
}

uint64_t
segment_size(const struct segment *seg)
{
	return seg->written;
}

uint64_t
segment_rows(const struct segment *seg)
{
	return seg->rows;
}

uint64_t
segment_durable_rows(const struct segment *seg)
{
	return seg->durable_rows;
}

bool
segment_is_dirty(const struct segment *seg)
{
	return seg->dirty;
}
