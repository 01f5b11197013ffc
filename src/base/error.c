/*
 * struct error: a code plus a human message.  A NULL struct error pointer
 * is allowed everywhere and simply drops the detail.
 */
#include "config.h"

#include "base/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
error_clear(struct error *err)
{
	if (err == NULL)
		return;
	err->code = ERR_NONE;
	err->sys = 0;
	err->remote[0] = '\0';
	err->msg[0] = '\0';
}

static void PRINTFLIKE(3, 0)
error_vset(struct error *err, enum error_code code, const char *fmt,
    va_list ap)
{
	err->code = code;
	err->sys = 0;
	err->remote[0] = '\0';
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

int
error_set(struct error *err, enum error_code code, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	error_vset(err, code, fmt, ap);
	va_end(ap);
	return -1;
}

int
error_sys(struct error *err, const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;
	size_t	 len;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	error_vset(err, ERR_SYS, fmt, ap);
	va_end(ap);
	err->sys = saved;
	len = strlen(err->msg);
	snprintf(err->msg + len, sizeof err->msg - len, ": %s",
	    strerror(saved));
	errno = saved;
	return -1;
}

int
error_remote(struct error *err, const char *cls, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	error_vset(err, ERR_REMOTE, fmt, ap);
	va_end(ap);
	snprintf(err->remote, sizeof err->remote, "%s", cls);
	return -1;
}

void
error_prefix(struct error *err, const char *fmt, ...)
{
	va_list	 ap;
	char	 old[sizeof err->msg];
	int	 n;

	if (err == NULL)
		return;
	memcpy(old, err->msg, sizeof old);
	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof err->msg - 2)
		return;
	/* Truncation of the old detail is acceptable; it is text. */
	memcpy(err->msg + n, ": ", 2);
	memcpy(err->msg + n + 2, old,
	    MIN(strlen(old) + 1, sizeof err->msg - (size_t)n - 2));
	err->msg[sizeof err->msg - 1] = '\0';
}
