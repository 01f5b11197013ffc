/*
 * Fleet records.  Their names are fixed (a manifest's hidden name, a
 * marker), so a repeat after a crash reuses them; the file a dead barged
 * left open there is still under that process's lease, and
 * create(OVERWRITE) is refused until the NameNode recovers it (an hour on
 * a real one), so a refused write clears the name and tries once more
 * (delete ignores leases).
 */
#include "config.h"

#include "barged/record.h"

#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "core/fleet.h"

static int
record_write_once(struct hdfs *h, const char *path, const void *data,
    size_t n, struct error *err)
{
	struct hdfs_writer *w;

	w = hdfs_create(h, path, 0644, HDFS_OVERWRITE | HDFS_CREATE_PARENT,
	    err);
	if (w == NULL)
		return -1;
	if (n > 0 && hdfs_write(w, data, n, err) == -1) {
		hdfs_writer_abort(w);
		return -1;
	}
	return hdfs_writer_close(w, err);
}

static int
record_write(struct hdfs *h, const char *path, const void *data, size_t n,
    struct error *err)
{
	struct error	 e2;

	if (record_write_once(h, path, data, n, err) == 0)
		return 0;
	if (err->code != ERR_REMOTE)
		return -1;
	(void)hdfs_delete(h, path, false, &e2);
	return record_write_once(h, path, data, n, err);
}

int
record_put(struct hdfs *h, const char *path, const void *data, size_t n,
    struct error *err)
{
	const char	*slash = strrchr(path, '/');
	char		*hidden;
	int		 rc;

	if (slash == NULL)
		return error_set(err, ERR_INPUT, "%s: not absolute", path);
	hidden = xasprintf("%.*s/.%s.tmp", (int)(slash - path), path,
	    slash + 1);
	if ((rc = record_write(h, hidden, data, n, err)) == 0)
		rc = hdfs_rename(h, hidden, path, true, err);
	if (rc == -1)
		error_prefix(err, "%s", path);
	free(hidden);
	return rc;
}

int
record_mark(struct hdfs *h, const char *root, const char *host, int64_t from,
    int64_t to, struct error *err)
{
	struct hdfs_stat st;
	char		*src = NULL, *dst = fleet_marker_path(root, host, to);
	int		 rc;

	if (from == to) {
		free(dst);
		return 0;
	}
	if (from != RECORD_NO_HOUR) {
		src = fleet_marker_path(root, host, from);
		if ((rc = hdfs_rename(h, src, dst, false, err)) == 0 ||
		    err->code != ERR_NOTFOUND)
			goto out;
	}
	/*
	 * No marker at from: the rename ran before a crash (the marker is at
	 * to already), or this is the host's first, or someone removed it.
	 */
	if (from != RECORD_NO_HOUR &&
	    (rc = hdfs_stat(h, dst, &st, err)) == 0)
		goto out;
	rc = record_write(h, dst, NULL, 0, err);
out:
	if (rc == -1)
		error_prefix(err, "marker %s", dst);
	free(src);
	free(dst);
	return rc;
}
