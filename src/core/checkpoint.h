/*
 * The checkpoint: where each input was read to and how long each open
 * segment is, at one instant when everything it names was durable.  Plain
 * data; barged/sync.c fills it from the tailers and the spool.
 */
#ifndef CORE_CHECKPOINT_H
#define CORE_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"
#include "core/spool.h"

struct checkpoint_input {
	char		*path;
	uint64_t	 dev;
	uint64_t	 ino;
	uint64_t	 fp_hash;	/* fingerprint of the first fp_len bytes */
	uint32_t	 fp_len;
	uint64_t	 offset;	/* the next line to read starts here */
};

struct checkpoint {
	uint64_t		 next_id;	/* the spool's next segment id */
	struct checkpoint_input	*inputs;
	size_t			 ninputs;
	struct spool_durable	*segments;
	size_t			 nsegments;
};

void	checkpoint_init(struct checkpoint *);
void	checkpoint_clear(struct checkpoint *);
void	checkpoint_add_input(struct checkpoint *,
	    const struct checkpoint_input *);
void	checkpoint_add_segment(struct checkpoint *, const char *name,
	    uint64_t length, uint64_t rows);
/* The input recorded for path, or NULL. */
const struct checkpoint_input *checkpoint_find_input(
	    const struct checkpoint *, const char *path);

/* Text form, ending in a CRC line that detects a torn or edited file. */
void	checkpoint_encode(const struct checkpoint *, struct buf *);
int	checkpoint_decode(struct checkpoint *, const char *, size_t,
	    struct error *);

/* Writes path atomically (tmp, fsync, rename, fsync of the folder). */
int	checkpoint_write(const struct checkpoint *, const char *path,
	    struct error *);
/* Reads path; a missing file gives an empty checkpoint (first start). */
int	checkpoint_read(struct checkpoint *, const char *path, struct error *);

#endif
