/*
 * A DataNode's DIGEST-MD5 challenge (RFC 2831 section 2.1.1), checked
 * before Cyrus SASL reads it: directives name=value separated by commas,
 * each value a token or a quoted string.  Refused: a backslash escape
 * in a quoted string (Hadoop sends none, and Cyrus's client has
 * mishandled them, cyrus-sasl issue 889), a directive other than realm
 * given twice (the RFC allows one; Cyrus's client keeps the last and
 * leaks the others), no nonce or algorithm, control bytes.
 */
#ifndef HDFS_DIGEST_CHALLENGE_H
#define HDFS_DIGEST_CHALLENGE_H

#include <stddef.h>

#include "base/error.h"

struct digest_challenge {
	const char	*qop;		/* the qop value, unquoted; NULL none */
	size_t		 qoplen;
};

/* 0 with c filled (pointing into p), or -1 with err (ERR_PROTO). */
int	digest_challenge_check(const char *p, size_t n,
	    struct digest_challenge *c, struct error *err);

#endif
