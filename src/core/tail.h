/*
 * Follows one input file by its path: reads what is appended, hands out
 * complete lines, and keeps going across rotation by rename, copy-truncate
 * and a file that vanishes and comes back.  No event loop and no clock: the
 * caller calls tail_poll() when inotify or a stat timer says something may
 * have changed, and calls it often enough (also while paused, with
 * max_bytes 0) that the module sees every rotation.
 *
 * A file is known by its device, inode and a fingerprint of its first
 * TAIL_FP_MAX bytes, so a new file that reuses an old inode is a new file.
 * The position handed to the checkpoint is always just after the last line
 * handed out: re-reading from it after a crash gives neither loss nor
 * duplicate.
 *
 * Rotated files stay open until a newer file at the path holds data (the
 * writer has moved on), so lines written to the old file after the rename
 * are still read, in order, before the new file's; lines written to it
 * after that are not read.  Up to 8 files are held; a file created and
 * rotated away while 8 are held, or between two polls, is lost uncounted.
 * A file truncated in place and written again past the position between
 * two polls is told apart by its first bytes only; the same first bytes
 * hide the truncation.
 */
#ifndef CORE_TAIL_H
#define CORE_TAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/error.h"

#define TAIL_FP_MAX	256	/* bytes in a full fingerprint */

/*
 * What a checkpoint keeps: plain data.  ino == 0 means no file existed at
 * the path yet; a file that appears later is then read from its start.
 */
struct tail_pos {
	uint64_t	 dev;
	uint64_t	 ino;
	uint64_t	 fp_hash;	/* FNV-1a of the first fp_len bytes */
	uint32_t	 fp_len;	/* grows with the file up to TAIL_FP_MAX */
	uint64_t	 offset;	/* start of the first line not handed out */
};

struct tail_stats {
	uint64_t	 rotations;	/* new files found at the path */
	uint64_t	 truncations;	/* the file got shorter or was rewritten */
	uint64_t	 lost_bytes;	/* seen but unread, then truncated away */
	uint64_t	 lost_files;	/* a resumed file found nowhere: unknown size */
	uint64_t	 lag;		/* bytes in the open files past the position */
	unsigned int	 open_files;	/* the file being read plus newer ones */
};

/* line is not NUL-terminated and is valid only during the call. */
typedef void (*tail_line_cb)(void *arg, const char *line, size_t len,
    bool truncated);

struct tail;

/*
 * Opens path for following.  resume is a position saved by tail_pos(), or
 * NULL for a file never seen before; then start_at_end skips the complete
 * lines already there (a file that appears later is read from its start).
 * When the resumed file is no longer at path, path.1 (logrotate's name for
 * the newest rotated file; other names are not searched) is finished first.
 * A missing path is not an error.  Lines are cut at max_line bytes (> 0).
 */
struct tail	*tail_open(const char *path, const struct tail_pos *resume,
		    bool start_at_end, size_t max_line, struct error *);
/*
 * Looks at the path, then reads at most max_bytes and calls cb for every
 * complete line, in file order.  A last line without LF waits for its LF,
 * unless its file was rotated away: then it is handed out as it is.  A line
 * longer than max_line is handed out cut, flagged truncated, once its LF
 * is read.  With max_bytes 0 it only follows the path (holds new files,
 * counts truncations): what a paused caller should keep doing.  Returns
 * the bytes read (0: nothing new), or -1 with err; lines handed out before
 * an error stay handed out and the position covers them.
 */
ssize_t		 tail_poll(struct tail *, size_t max_bytes, tail_line_cb cb,
		    void *arg, struct error *);
/* The position after the last line handed out (also valid inside cb). */
void		 tail_pos(const struct tail *, struct tail_pos *);
void		 tail_stats(const struct tail *, struct tail_stats *);
/*
 * Bytes that were in the file when last looked at but unread when it was
 * truncated.  Bytes written and truncated between two polls are not seen,
 * so this is a lower bound; a resumed file found nowhere counts in
 * tail_stats().lost_files instead.
 */
uint64_t	 tail_lost_bytes(const struct tail *);
/* Bytes known to be in the open files beyond the position. */
uint64_t	 tail_lag(const struct tail *);
const char	*tail_path(const struct tail *);
void		 tail_close(struct tail *);

#endif
