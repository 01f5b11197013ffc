/*
 * Syslog lines as files hold them: RFC 3164 as Debian's rsyslog writes
 * it, rsyslog's high-precision RFC 3339 format, and RFC 5424.  Parsing
 * only splits the line (no copies); the event time is converted on demand
 * because most lines are not analytics messages.
 */
#ifndef CORE_SYSLOG_H
#define CORE_SYSLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum syslog_format {
	SYSLOG_RFC3164,		/* "Nov 26 06:12:01 host tag[pid]: msg" */
	SYSLOG_RFC3339,		/* "2026-11-26T06:12:01.123456+01:00 host ..." */
	SYSLOG_RFC5424,		/* "<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG" */
};

struct syslog_line {
	enum syslog_format	 format;
	const char		*stamp;	/* the timestamp as written */
	size_t			 stamplen;
	const char		*host;
	size_t			 hostlen;
	const char		*tag;	/* may be empty */
	size_t			 taglen;
	const char		*pid;	/* may be empty */
	size_t			 pidlen;
	const char		*msg;	/* the message part */
	size_t			 msglen;
};

struct syslog_parser;

/*
 * A parser; now_ms is the reference for the year of RFC 3164 stamps
 * (which have none).  Local time uses TZ like localtime(3).
 */
struct syslog_parser	*syslog_parser_new(int64_t now_ms);
void			 syslog_parser_free(struct syslog_parser *);
void			 syslog_parser_set_now(struct syslog_parser *, int64_t);

/* Splits a line (without its LF); -1 if it is not a syslog line. */
int	syslog_parse(const char *line, size_t len, struct syslog_line *);
/* The event time in ms since the epoch, UTC; -1 if the stamp is invalid. */
int	syslog_time(struct syslog_parser *, const struct syslog_line *,
	    int64_t *ms);

#endif
