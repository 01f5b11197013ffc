/*
 * Why a line that looks like an analytics message was refused.  The names
 * are stable: quarantine folders, metric labels and `barge match` use them.
 */
#ifndef CORE_REASON_H
#define CORE_REASON_H

enum reason {
	REASON_NONE = 0,
	REASON_UNKNOWN_MESSAGE,
	REASON_UNKNOWN_VERSION,
	REASON_FIELD_COUNT,
	REASON_BAD_INT32,
	REASON_BAD_INT64,
	REASON_BAD_DOUBLE,
	REASON_BAD_BOOL,
	REASON_BAD_TIMESTAMP,
	REASON_NULL_NOT_ALLOWED,
	REASON_TOO_LONG,
	REASON_BAD_ESCAPE,
	REASON_TRUNCATED,
	REASON_COUNT
};

/* The stable name ("bad-int32"); "" for REASON_NONE. */
const char	*reason_name(enum reason);
/* The reason with that name, or REASON_NONE. */
enum reason	 reason_from_name(const char *);

#endif
