/*
 * Splits a byte stream into lines with a hard length cap.  Complete lines
 * are handed out where they lie in the fed chunk; only a partial last
 * line is copied.  A line longer than the cap is handed out cut to the
 * cap and flagged truncated; the rest of it is skipped.
 */
#ifndef CORE_LINEBUF_H
#define CORE_LINEBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef void (*linebuf_cb)(void *arg, const char *line, size_t len,
    bool truncated);

/* The line limit of barged and barge match (a cut line is "truncated"). */
#define LINEBUF_MAX_LINE	65536

struct linebuf {
	char	*part;		/* the partial line so far */
	size_t	 len;
	size_t	 max;		/* the cap, in bytes without the LF */
	bool	 skipping;	/* inside the rest of a cut line */
};

void	linebuf_init(struct linebuf *, size_t max);
void	linebuf_clear(struct linebuf *);
/* Feeds n bytes; cb gets every line completed by them (without the LF). */
void	linebuf_feed(struct linebuf *, const char *, size_t n, linebuf_cb,
	    void *arg);
/*
 * Feeds n > 0 bytes whose only LF is the last one, for a caller that has
 * found it already: the same as linebuf_feed without a second search.
 */
void	linebuf_feed_line(struct linebuf *, const char *, size_t n,
	    linebuf_cb, void *arg);
/* Bytes held back as a partial line (not yet handed out). */
size_t	linebuf_pending(const struct linebuf *);
/* At end of input: hands out a partial last line, if any. */
void	linebuf_finish(struct linebuf *, linebuf_cb, void *arg);

#endif
