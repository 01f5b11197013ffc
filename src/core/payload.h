/*
 * The analytics payload of DESIGN section 3: "@Name:version" then fields
 * separated by TAB (or rsyslog's "#011"), each escaped with \\ \t \n \r
 * \# and \N for NULL.  Decoding checks every field against its
 * definition; a refused line gets one of the reasons of core/reason.h.
 */
#ifndef CORE_PAYLOAD_H
#define CORE_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "core/reason.h"
#include "core/schema.h"

enum payload_status {
	PAYLOAD_SKIP,		/* not an analytics message */
	PAYLOAD_VALID,
	PAYLOAD_INVALID,	/* see reason */
};

struct payload_value {
	const char	*text;		/* unescaped; not NUL-terminated */
	size_t		 len;
	bool		 is_null;
	bool		 is_canonical;	/* integers: text is the canonical form
					   (timestamps in s: but for "000") */
	int64_t		 num;		/* int32, int64, timestamp (ms), bool */
};

struct payload {
	const struct message	*msg;		/* set when valid */
	const char		*name;		/* as written in the line */
	size_t			 namelen;
	unsigned		 version;
	enum reason		 reason;	/* set when invalid */
	size_t			 field;		/* the field at fault */
	struct payload_value	*values;	/* msg->nfields of them */
	size_t			 cap;
	struct buf		 scratch;	/* unescaped text that needed copying */
};

void	payload_init(struct payload *);
void	payload_clear(struct payload *);

/*
 * Whether msg starts with "@Name:version" followed by a separator or its
 * end; if so, sets name and version in p and returns the header length.
 * Returns 0 otherwise.
 */
size_t	payload_header(struct payload *, const char *msg, size_t len);
/* Decodes and validates msg against s.  Values point into msg or p. */
enum payload_status payload_match(struct payload *, const struct schema *s,
	    const char *msg, size_t len);
/*
 * The number of a valid double value.  Validation does not parse it (the
 * TSV row keeps the text); writers that need the number call this.
 */
double	payload_double(const struct payload_value *);

#endif
