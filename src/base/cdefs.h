/*
 * The project's only macro toolbox: attributes and small helpers that
 * every layer may use.  Nothing here knows about barge.
 */
#ifndef BASE_CDEFS_H
#define BASE_CDEFS_H

#define PRINTFLIKE(f, a)	__attribute__((__format__(__printf__, f, a)))
#define NORETURN		__attribute__((__noreturn__))
#define UNUSED			__attribute__((__unused__))
#define nitems(a)		(sizeof(a) / sizeof((a)[0]))

#ifndef MIN
#define MIN(a, b)		((a) < (b) ? (a) : (b))
#endif
#ifndef MAX
#define MAX(a, b)		((a) > (b) ? (a) : (b))
#endif

#endif
