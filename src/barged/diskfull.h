/*
 * A spool whose file system is full.  A sync point that cannot write
 * (ENOSPC, EDQUOT) was fatal, and under systemd every restart failed
 * the same way while the disk stayed full.  Instead barged waits, input
 * paused, with the uploader and the control socket running (shipping
 * frees space), and once the file system has room it starts over from
 * its last checkpoint, as after a crash, in the same process: it execs
 * itself with the arguments it was started with.
 */
#ifndef BARGED_DISKFULL_H
#define BARGED_DISKFULL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/cdefs.h"
#include "base/error.h"

/* Room to find free before starting again (or half the file system). */
#define DISKFULL_RESUME_BYTES	(4ULL << 20)

/* Keeps main's arguments for diskfull_restart. */
void	diskfull_init(int argc, char **argv);
/* Whether err is a full file system or quota. */
bool	diskfull_is(const struct error *);
/* The free bytes dir's file system needs before starting again. */
uint64_t diskfull_wanted(const char *dir);
/* Whether dir's file system has room to start again; *free_bytes. */
bool	diskfull_has_room(const char *dir, uint64_t *free_bytes);
/*
 * How long to wait, once full, before looking for room: 1 s, doubling
 * with each start again that filled the disk before its first sync
 * point, up to 5 minutes, so that input faster than the disk can take
 * does not make barged start again and again.
 */
uint64_t diskfull_wait_ms(void);
/* A sync point succeeded: the next full disk waits 1 s again. */
void	diskfull_clear(void);
/* Execs barged again (in the foreground: it is detached already). */
NORETURN void	diskfull_restart(void);

#endif
