#include "config.h"

#include "core/rowcount.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/xmalloc.h"
#include "core/avro_container.h"
#include "core/gzcount.h"

#define ROWCOUNT_IOBUF	(256 * 1024)

struct rowcount {
	struct gzcount		*gz;
	struct avro_count	*avro;
};

struct rowcount *
rowcount_new(bool is_avro)
{
	struct rowcount	*rc = xcalloc(1, sizeof *rc);

	if (is_avro)
		rc->avro = avro_count_new();
	else
		rc->gz = gzcount_new();
	return rc;
}

void
rowcount_free(struct rowcount *rc)
{
	if (rc == NULL)
		return;
	gzcount_free(rc->gz);
	avro_count_free(rc->avro);
	free(rc);
}

int
rowcount_feed(struct rowcount *rc, const void *p, size_t n,
    struct error *err)
{
	return rc->avro != NULL ? avro_count_feed(rc->avro, p, n, err) :
	    gzcount_feed(rc->gz, p, n, err);
}

int
rowcount_finish(struct rowcount *rc, uint64_t *rows, struct error *err)
{
	return rc->avro != NULL ? avro_count_finish(rc->avro, rows, err) :
	    gzcount_finish(rc->gz, rows, err);
}

int
rowcount_file(const char *path, bool is_avro, uint64_t *rows,
    struct error *err)
{
	struct rowcount	*rc;
	char		*buf;
	ssize_t		 n;
	int		 fd, r = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return error_sys(err, "%s", path);
	rc = rowcount_new(is_avro);
	buf = xmalloc(ROWCOUNT_IOBUF);
	while (r == 0 && (n = read(fd, buf, ROWCOUNT_IOBUF)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			r = error_sys(err, "%s", path);
		else
			r = rowcount_feed(rc, buf, (size_t)n, err);
	}
	if (r == 0)
		r = rowcount_finish(rc, rows, err);
	if (r == -1 && err != NULL && err->code != ERR_SYS)
		error_prefix(err, "%s", path);
	free(buf);
	rowcount_free(rc);
	close(fd);
	return r;
}

int
rowcount_check(const char *path, bool is_avro, uint64_t want,
    const char *source, struct error *err)
{
	uint64_t	 rows;

	if (rowcount_file(path, is_avro, &rows, err) == -1)
		return -1;
	if (want != UINT64_MAX && rows != want)
		return error_set(err, ERR_INPUT, "%s: %" PRIu64 " rows, where "
		    "%s %" PRIu64, path, rows, source, want);
	return 0;
}
