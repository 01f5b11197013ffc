/*
 * libevent wiring for the tailers: an inotify watch on each input's
 * folder plus a stat timer as fallback (a file system without inotify
 * still works, only later).  Reading pauses while the spool is full.
 */
#ifndef BARGED_WATCH_H
#define BARGED_WATCH_H

#include <stdbool.h>
#include <stdint.h>

#include <event2/event.h>

#include "core/tail.h"

struct watch;

/* cb gets every line read, as tail_poll() hands them out. */
struct watch	*watch_new(struct event_base *, tail_line_cb cb, void *arg,
		    int stat_interval_ms);
/* Frees the watch, not the tails. */
void		 watch_free(struct watch *);
/* Follows t (owned by the caller). */
void		 watch_add(struct watch *, struct tail *t);
/* While paused, files are still looked at (rotation) but not read. */
void		 watch_set_paused(struct watch *, bool);
bool		 watch_is_paused(const struct watch *);
/*
 * The wall clock (ms) at the start of the last poll that read every input
 * to its end, 0 before the first: every line written before that moment
 * has been handed out.  Never while paused.
 */
int64_t		 watch_caught_up_ms(const struct watch *);
/* Reads everything available now (used before a final checkpoint). */
void		 watch_drain(struct watch *);

#endif
