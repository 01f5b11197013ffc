/*
 * barge's own diagnostics, the OpenBSD shape: log_warn appends
 * strerror(errno), log_warnx does not, fatal/fatalx end the process.
 * Messages go to stderr in foreground mode and to syslog otherwise.
 */
#ifndef BASE_LOG_H
#define BASE_LOG_H

#include <stdbool.h>

#include "base/cdefs.h"

/* Trace categories, switched on by log_set_trace(). */
enum log_trace {
	TRACE_TAIL = 1 << 0,
	TRACE_SPOOL = 1 << 1,
	TRACE_RPC = 1 << 2,
	TRACE_UPLOAD = 1 << 3,
	TRACE_DATA = 1 << 4,
};

/* Starts logging under ident; to stderr if foreground, else syslog(LOG_DAEMON). */
void	log_init(const char *ident, bool foreground, int verbose);
void	log_set_verbose(int);
/* Parses "tail,rpc" or "all,-rpc"; returns -1 on an unknown name. */
int	log_set_trace(const char *spec);
bool	log_tracing(enum log_trace);

void	log_warn(const char *, ...) PRINTFLIKE(1, 2);
void	log_warnx(const char *, ...) PRINTFLIKE(1, 2);
void	log_info(const char *, ...) PRINTFLIKE(1, 2);
void	log_debug(const char *, ...) PRINTFLIKE(1, 2);
void	log_trace_(enum log_trace, const char *, ...) PRINTFLIKE(2, 3);
NORETURN void	fatal(const char *, ...) PRINTFLIKE(1, 2);
NORETURN void	fatalx(const char *, ...) PRINTFLIKE(1, 2);

#define LOG_TRACE(cat, ...) do {					\
	if (log_tracing(cat))						\
		log_trace_((cat), __VA_ARGS__);				\
} while (0)

#endif
