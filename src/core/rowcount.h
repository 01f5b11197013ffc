/*
 * The rows of a segment or a shipped file, whatever its format: the lines
 * of a multi-member gzip, or the block counts of an Avro container.  Fed
 * in pieces as it is read; a file that is not whole fails.  barge audit
 * counts HDFS files with it, barged checks a recovered segment before
 * it ships.
 */
#ifndef CORE_ROWCOUNT_H
#define CORE_ROWCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

struct rowcount;

struct rowcount	*rowcount_new(bool is_avro);
void		 rowcount_free(struct rowcount *);
/* Takes n more bytes; -1 with err (ERR_INPUT) if they break the file. */
int		 rowcount_feed(struct rowcount *, const void *, size_t n,
		    struct error *);
/* After the last byte: the rows, or -1 if the file ended mid-way. */
int		 rowcount_finish(struct rowcount *, uint64_t *rows,
		    struct error *);
/* All of the local file path; read errors are ERR_SYS. */
int		 rowcount_file(const char *path, bool is_avro, uint64_t *rows,
		    struct error *);
/*
 * Whether the local file path reads back whole with want rows (UINT64_MAX:
 * any count); source says where want came from ("its name says").  -1
 * with err: ERR_SYS if it cannot be read, else ERR_INPUT naming path.
 */
int		 rowcount_check(const char *path, bool is_avro, uint64_t want,
		    const char *source, struct error *);

#endif
