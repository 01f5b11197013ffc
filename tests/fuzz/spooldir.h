/*
 * The fuzz input fuzz_spool builds a spool folder from, and spool_seeds
 * packs a real one into:
 *	flags		one byte: SPOOLDIR_CHECKPOINT, SPOOLDIR_FIX_CRC
 *	checkpoint	with SPOOLDIR_CHECKPOINT: a 2-byte length
 *			(little-endian), then the file's bytes
 *	files		each: its folder (one byte, enum spooldir_folder
 *			modulo SPOOLDIR_NFOLDERS), a 1-byte name length,
 *			the name, a 2-byte length, the file's bytes
 * An input that ends early ends there; a length past the end takes what
 * is left.
 */
#ifndef TESTS_FUZZ_SPOOLDIR_H
#define TESTS_FUZZ_SPOOLDIR_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define SPOOLDIR_CHECKPOINT	0x01	/* state/checkpoint exists */
#define SPOOLDIR_FIX_CRC	0x02	/* append its right CRC line */
#define SPOOLDIR_MAX_FILES	8

enum spooldir_folder {
	SPOOLDIR_OPEN,
	SPOOLDIR_SEALED,
	SPOOLDIR_CORRUPT,
	SPOOLDIR_NFOLDERS
};

/* "open", "sealed", "corrupt": the folders under the spool. */
extern const char *const spooldir_folders[SPOOLDIR_NFOLDERS];

struct spooldir_file {
	enum spooldir_folder folder;
	char		 name[256];
	const uint8_t	*data;
	size_t		 len;
};

struct spooldir {
	unsigned	 flags;
	const uint8_t	*checkpoint;
	size_t		 checkpoint_len;
	struct spooldir_file files[SPOOLDIR_MAX_FILES];
	size_t		 nfiles;
};

/*
 * Reads an input (sd points into data).  A name that is no plain file
 * name (empty, ".", "..", with a '/' or a NUL) and a second file of the
 * same folder and name are left out.
 */
void	spooldir_parse(struct spooldir *sd, const uint8_t *data, size_t len);
/* Appends the flags and the checkpoint (NULL: none) of an input. */
void	spooldir_put_head(struct buf *, unsigned flags, const void *cp,
	    size_t len);
/* Appends one file of an input. */
void	spooldir_put_file(struct buf *, enum spooldir_folder,
	    const char *name, const void *, size_t len);

#endif
