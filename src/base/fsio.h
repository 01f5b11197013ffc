/*
 * File I/O that either completes or says why: full reads and writes
 * across EINTR and short counts, atomic file replacement, mkdir -p.
 */
#ifndef BASE_FSIO_H
#define BASE_FSIO_H

#include <stddef.h>
#include <sys/types.h>

#include "base/buf.h"
#include "base/error.h"

/* Writes all n bytes; -1 with err on failure. */
int	fsio_write_full(int fd, const void *, size_t n, struct error *);
/* Reads up to n bytes, stopping early only at EOF; returns the count or -1. */
ssize_t	fsio_read_full(int fd, void *, size_t n, struct error *);
/* Appends the whole file to b; -1 with err (ERR_NOTFOUND if missing). */
int	fsio_read_file(const char *path, struct buf *b, struct error *);
/* Replaces path atomically: tmp file, fsync, rename, fsync of the folder. */
int	fsio_write_file_atomic(const char *path, const void *, size_t,
	    struct error *);
int	fsio_fsync_dir(const char *dir, struct error *);
/* Creates dir and missing parents with mode. */
int	fsio_mkdir_p(const char *dir, mode_t mode, struct error *);

#endif
