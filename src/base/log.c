/*
 * Diagnostics for barged and barge.  Every function keeps errno intact so
 * that a log call never changes what the caller reports next.  Messages
 * always start with a subsystem word, so barged's own syslog lines can
 * never look like an analytics message ("@Name:").
 */
#include "config.h"

#include "base/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

static bool	 log_foreground = true;
static int	 log_verbose;
static unsigned	 log_trace_mask;
static const char *log_ident = "barge";

static const struct {
	const char	*name;
	enum log_trace	 bit;
} log_trace_names[] = {
	{ "tail", TRACE_TAIL },
	{ "spool", TRACE_SPOOL },
	{ "rpc", TRACE_RPC },
	{ "upload", TRACE_UPLOAD },
	{ "data", TRACE_DATA },
};

void
log_init(const char *ident, bool foreground, int verbose)
{
	log_ident = ident;
	log_foreground = foreground;
	log_verbose = verbose;
	if (!foreground)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_set_verbose(int verbose)
{
	log_verbose = verbose;
}

int
log_set_trace(const char *spec)
{
	char		*copy, *word, *save;
	unsigned	 mask = 0;
	size_t		 i;
	int		 rc = 0;

	if ((copy = strdup(spec)) == NULL)
		fatal("log_set_trace");
	for (word = strtok_r(copy, ",", &save); word != NULL;
	    word = strtok_r(NULL, ",", &save)) {
		bool	 off = word[0] == '-';
		unsigned bits = 0;

		if (off)
			word++;
		if (strcmp(word, "all") == 0)
			bits = ~0U;
		for (i = 0; i < nitems(log_trace_names); i++)
			if (strcmp(word, log_trace_names[i].name) == 0)
				bits = log_trace_names[i].bit;
		if (bits == 0) {
			rc = -1;
			break;
		}
		mask = off ? (mask & ~bits) : (mask | bits);
	}
	free(copy);
	if (rc == 0)
		log_trace_mask = mask;
	return rc;
}

bool
log_tracing(enum log_trace cat)
{
	return (log_trace_mask & cat) != 0;
}

static void PRINTFLIKE(2, 0)
log_vemit(int pri, const char *fmt, va_list ap, const char *suffix)
{
	char	 msg[2048];

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (log_foreground) {
		if (suffix != NULL)
			fprintf(stderr, "%s: %s: %s\n", log_ident, msg, suffix);
		else
			fprintf(stderr, "%s: %s\n", log_ident, msg);
		fflush(stderr);
	} else if (suffix != NULL)
		syslog(pri, "%s: %s", msg, suffix);
	else
		syslog(pri, "%s", msg);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	log_vemit(LOG_WARNING, fmt, ap, strerror(saved));
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	log_vemit(LOG_WARNING, fmt, ap, NULL);
	va_end(ap);
	errno = saved;
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	log_vemit(LOG_INFO, fmt, ap, NULL);
	va_end(ap);
	errno = saved;
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	if (log_verbose < 1)
		return;
	va_start(ap, fmt);
	log_vemit(LOG_DEBUG, fmt, ap, NULL);
	va_end(ap);
	errno = saved;
}

void
log_trace_(enum log_trace cat, const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	(void)cat;
	va_start(ap, fmt);
	log_vemit(LOG_DEBUG, fmt, ap, NULL);
	va_end(ap);
	errno = saved;
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	log_vemit(LOG_CRIT, fmt, ap, strerror(saved));
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vemit(LOG_CRIT, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}
