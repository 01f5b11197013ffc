/*
 * Input watching.  inotify only says "look now"; the tail module decides
 * what changed.  Each poll reads a bounded amount so a burst in one file
 * cannot starve the sync timer; if more is left, the poll is re-armed as
 * a zero timeout, which libevent runs only after the timers that are due.
 */
#include "config.h"

#include "barged/watch.h"

#include <sys/inotify.h>

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/error.h"
#include "base/log.h"
#include "base/xmalloc.h"

#define WATCH_BUDGET	(4 << 20)	/* bytes per input per turn */

struct watch_input {
	struct tail	*tail;
	int		 wd;		/* inotify watch of its folder, or -1 */
	char		*base;		/* the file's name in that folder */
};

struct watch {
	struct event_base	*base;
	tail_line_cb		 cb;
	void			*arg;
	struct watch_input	*inputs;
	size_t			 ninputs;
	int			 ifd;		/* inotify, or -1 */
	struct event		*iev;
	struct event		*timer;
	struct event		*more;
	bool			 is_paused;
	/* Wall clock at the start of the last poll that read every input
	   to its end: all written before it has been read. */
	int64_t			 caught_up_ms;
};

/*
 * Polls one input; returns whether it stopped at the budget.  *failed (if
 * not NULL) is set when the input could not be read.
 */
static bool
watch_poll(struct watch *w, struct watch_input *in, bool *failed)
{
	struct error	 err;
	ssize_t		 n;

	n = tail_poll(in->tail, w->is_paused ? 0 : WATCH_BUDGET, w->cb, w->arg,
	    &err);
	if (n == -1) {
		/* Logged on each poll would flood; the timer retries. */
		LOG_TRACE(TRACE_TAIL, "tail: %s", err.msg);
		if (failed != NULL)
			*failed = true;
		return false;
	}
	return !w->is_paused && n >= WATCH_BUDGET;
}

/* Polls again soon: after due timers (the sync) have had their turn. */
static void
watch_again(struct watch *w)
{
	struct timeval	 now = { 0, 0 };

	evtimer_add(w->more, &now);
}

static void
watch_poll_all(struct watch *w)
{
	int64_t	 start = clock_wall_ms();
	bool	 more = false, failed = false;
	size_t	 i;

	for (i = 0; i < w->ninputs; i++)
		if (watch_poll(w, &w->inputs[i], &failed))
			more = true;
	if (more)
		watch_again(w);
	else if (!failed && !w->is_paused)
		w->caught_up_ms = start;
}

static void
watch_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	watch_poll_all(arg);
}

static void
watch_inotify_cb(evutil_socket_t fd, short what, void *arg)
{
	struct watch	*w = arg;
	char		 buf[8192] __attribute__((aligned(8)));
	ssize_t		 n;
	bool		*hit = xcalloc(w->ninputs + 1, sizeof *hit), more = false;
	size_t		 i;
	char		*p;

	(void)what;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (p = buf; p < buf + n;
		    p += sizeof(struct inotify_event) +
		    ((struct inotify_event *)p)->len) {
			struct inotify_event *ev = (struct inotify_event *)p;

			for (i = 0; i < w->ninputs; i++)
				if (w->inputs[i].wd == ev->wd &&
				    (ev->len == 0 || strcmp(ev->name,
				    w->inputs[i].base) == 0))
					hit[i] = true;
			if (ev->mask & IN_Q_OVERFLOW)
				for (i = 0; i < w->ninputs; i++)
					hit[i] = true;
		}
	}
	for (i = 0; i < w->ninputs; i++)
		if (hit[i] && watch_poll(w, &w->inputs[i], NULL))
			more = true;
	if (more)
		watch_again(w);
	free(hit);
}

struct watch *
watch_new(struct event_base *base, tail_line_cb cb, void *arg,
    int stat_interval_ms)
{
	struct watch	*w = xcalloc(1, sizeof *w);
	struct timeval	 tv;

	w->base = base;
	w->cb = cb;
	w->arg = arg;
	w->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->ifd == -1)
		log_warn("watch: inotify unavailable, polling every %d ms",
		    stat_interval_ms);
	else {
		w->iev = event_new(base, w->ifd, EV_READ | EV_PERSIST,
		    watch_inotify_cb, w);
		event_add(w->iev, NULL);
	}
	w->timer = event_new(base, -1, EV_PERSIST, watch_timer_cb, w);
	tv.tv_sec = stat_interval_ms / 1000;
	tv.tv_usec = (stat_interval_ms % 1000) * 1000;
	event_add(w->timer, &tv);
	w->more = evtimer_new(base, watch_timer_cb, w);
	return w;
}

void
watch_free(struct watch *w)
{
	size_t	 i;

	if (w == NULL)
		return;
	for (i = 0; i < w->ninputs; i++)
		free(w->inputs[i].base);
	free(w->inputs);
	if (w->iev != NULL)
		event_free(w->iev);
	if (w->ifd != -1)
		close(w->ifd);
	event_free(w->timer);
	event_free(w->more);
	free(w);
}

void
watch_add(struct watch *w, struct tail *t)
{
	struct watch_input *in;
	char		*copy = xstrdup(tail_path(t));
	char		*copy2 = xstrdup(tail_path(t));

	w->inputs = xreallocarray(w->inputs, w->ninputs + 1,
	    sizeof *w->inputs);
	in = &w->inputs[w->ninputs++];
	in->tail = t;
	in->base = xstrdup(basename(copy));
	in->wd = -1;
	/* The folder, not the file: renames and creations show there. */
	if (w->ifd != -1 && (in->wd = inotify_add_watch(w->ifd, dirname(copy2),
	    IN_MODIFY | IN_CREATE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE |
	    IN_CLOSE_WRITE)) == -1)
		log_warn("watch: %s: no inotify, polling", tail_path(t));
	free(copy);
	free(copy2);
	watch_again(w);
}

void
watch_set_paused(struct watch *w, bool paused)
{
	if (w->is_paused == paused)
		return;
	w->is_paused = paused;
	if (!paused)
		watch_again(w);
}

bool
watch_is_paused(const struct watch *w)
{
	return w->is_paused;
}

int64_t
watch_caught_up_ms(const struct watch *w)
{
	return w->caught_up_ms;
}

void
watch_drain(struct watch *w)
{
	size_t	 i;

	if (w->is_paused)
		return;
	for (i = 0; i < w->ninputs; i++)
		while (watch_poll(w, &w->inputs[i], NULL))
			;
}
