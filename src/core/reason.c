/*
 * The table of reason names (DESIGN section 3).  Order matches enum reason.
 */
#include "config.h"

#include "core/reason.h"

#include <string.h>

static const char *const reason_names[REASON_COUNT] = {
	[REASON_NONE] = "",
	[REASON_UNKNOWN_MESSAGE] = "unknown-message",
	[REASON_UNKNOWN_VERSION] = "unknown-version",
	[REASON_FIELD_COUNT] = "field-count",
	[REASON_BAD_INT32] = "bad-int32",
	[REASON_BAD_INT64] = "bad-int64",
	[REASON_BAD_DOUBLE] = "bad-double",
	[REASON_BAD_BOOL] = "bad-bool",
	[REASON_BAD_TIMESTAMP] = "bad-timestamp",
	[REASON_NULL_NOT_ALLOWED] = "null-not-allowed",
	[REASON_TOO_LONG] = "too-long",
	[REASON_BAD_ESCAPE] = "bad-escape",
	[REASON_TRUNCATED] = "truncated",
};

const char *
reason_name(enum reason r)
{
	return (unsigned)r < REASON_COUNT ? reason_names[r] : "";
}

enum reason
reason_from_name(const char *name)
{
	int	 r;

	for (r = REASON_NONE + 1; r < REASON_COUNT; r++)
		if (strcmp(reason_names[r], name) == 0)
			return (enum reason)r;
	return REASON_NONE;
}
