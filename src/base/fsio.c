/*
 * Durable file helpers.  fsio_write_file_atomic is the one way barge
 * replaces a file that must survive a crash: a reader sees the old or the
 * new content, never a mix.
 */
#include "config.h"

#include "base/fsio.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/xmalloc.h"

int
fsio_write_full(int fd, const void *p, size_t n, struct error *err)
{
	const char	*s = p;

	while (n > 0) {
		ssize_t	 w = write(fd, s, n);

		if (w == -1) {
			if (errno == EINTR)
				continue;
			return error_sys(err, "write");
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

ssize_t
fsio_read_full(int fd, void *p, size_t n, struct error *err)
{
	char	*s = p;
	size_t	 got = 0;

	while (got < n) {
		ssize_t	 r = read(fd, s + got, n - got);

		if (r == -1) {
			if (errno == EINTR)
				continue;
			return error_sys(err, "read");
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

int
fsio_read_file(const char *path, struct buf *b, struct error *err)
{
	char	 chunk[65536];
	int	 fd;
	ssize_t	 r;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		error_sys(err, "%s", path);
		if (errno == ENOENT && err != NULL)
			err->code = ERR_NOTFOUND;
		return -1;
	}
	for (;;) {
		r = fsio_read_full(fd, chunk, sizeof chunk, err);
		if (r == -1) {
			error_prefix(err, "%s", path);
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		buf_append(b, chunk, (size_t)r);
	}
	close(fd);
	return 0;
}

int
fsio_fsync_dir(const char *dir, struct error *err)
{
	int	 fd;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return error_sys(err, "%s", dir);
	if (fsync(fd) == -1) {
		error_sys(err, "fsync %s", dir);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int
fsio_write_file_atomic(const char *path, const void *p, size_t n,
    struct error *err)
{
	char	*tmp, *copy;
	int	 fd, rc = -1;

	tmp = xasprintf("%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1) {
		error_sys(err, "%s", tmp);
		goto out;
	}
	if (fsio_write_full(fd, p, n, err) == -1) {
		error_prefix(err, "%s", tmp);
		close(fd);
		goto out;
	}
	if (fsync(fd) == -1) {
		error_sys(err, "fsync %s", tmp);
		close(fd);
		goto out;
	}
	close(fd);
	if (rename(tmp, path) == -1) {
		error_sys(err, "rename %s", tmp);
		goto out;
	}
	copy = xstrdup(path);
	rc = fsio_fsync_dir(dirname(copy), err);
	free(copy);
out:
	free(tmp);
	return rc;
}

int
fsio_mkdir_p(const char *dir, mode_t mode, struct error *err)
{
	char	*path = xstrdup(dir), *p;
	int	 rc = 0;

	for (p = path + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char	 saved = *p;

		*p = '\0';
		if (mkdir(path, mode) == -1 && errno != EEXIST) {
			rc = error_sys(err, "mkdir %s", path);
			break;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	free(path);
	return rc;
}
