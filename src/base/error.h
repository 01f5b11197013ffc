/*
 * The one error convention: a function that can fail for an expected
 * reason returns -1 (or NULL) and fills a caller-provided struct error
 * with a code and a message ready to print.
 */
#ifndef BASE_ERROR_H
#define BASE_ERROR_H

#include "base/cdefs.h"

enum error_code {
	ERR_NONE = 0,
	ERR_SYS,	/* a system call failed; sys holds errno */
	ERR_TIMEOUT,	/* a deadline passed */
	ERR_PROTO,	/* the peer broke the protocol */
	ERR_REMOTE,	/* the peer reported an error; remote holds its class */
	ERR_LIMIT,	/* a configured limit was reached */
	ERR_INPUT,	/* bad input from the user or a file */
	ERR_NOTFOUND,	/* the named thing does not exist */
};

struct error {
	enum error_code	 code;
	int		 sys;		/* errno, for ERR_SYS */
	char		 remote[128];	/* Java exception class, for ERR_REMOTE */
	char		 msg[1024];	/* "context: detail" */
};

void	error_clear(struct error *);
/* Each returns -1 so that "return error_set(...)" fails in one line. */
int	error_set(struct error *, enum error_code, const char *, ...)
	    PRINTFLIKE(3, 4);
int	error_sys(struct error *, const char *, ...) PRINTFLIKE(2, 3);
int	error_remote(struct error *, const char *cls, const char *, ...)
	    PRINTFLIKE(3, 4);
/* Prepends "context: " to the message. */
void	error_prefix(struct error *, const char *, ...) PRINTFLIKE(2, 3);

#endif
