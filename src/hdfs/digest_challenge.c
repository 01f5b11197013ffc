#include "config.h"

#include "hdfs/digest_challenge.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

/* The directives that may appear once at most; realm may repeat. */
static const char *const digest_once[] = { "nonce", "qop", "stale",
    "maxbuf", "charset", "algorithm", "cipher" };
#define DIGEST_NONCE		0
#define DIGEST_ALGORITHM	5
#define DIGEST_ONCE_COUNT	(sizeof digest_once / sizeof digest_once[0])

static bool
digest_is_token(unsigned char c)
{
	/* RFC 2616 token: CHAR except CTLs and separators. */
	return c > 0x20 && c < 0x7f && strchr("()<>@,;:\\\"/[]?={}", c) ==
	    NULL;
}

static int
digest_fail(struct error *err, const char *what, size_t at)
{
	return error_set(err, ERR_PROTO, "SASL: the DataNode's DIGEST-MD5 "
	    "challenge %s (byte %zu): refused", what, at);
}

int
digest_challenge_check(const char *p, size_t n, struct digest_challenge *c,
    struct error *err)
{
	unsigned	 seen[DIGEST_ONCE_COUNT] = { 0 };
	const char	*name, *val;
	size_t		 i = 0, namelen, vallen, k;

	memset(c, 0, sizeof *c);
	for (;;) {
		while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == ','))
			i++;
		if (i == n)
			break;
		name = p + i;
		while (i < n && digest_is_token((unsigned char)p[i]))
			i++;
		namelen = (size_t)(p + i - name);
		if (namelen == 0 || i == n || p[i] != '=')
			return digest_fail(err, "is not name=value", i);
		i++;
		if (i < n && p[i] == '"') {
			val = p + ++i;
			while (i < n && p[i] != '"') {
				if (p[i] == '\\')
					return digest_fail(err, "has a "
					    "backslash escape", i);
				if ((unsigned char)p[i] < 0x20 &&
				    p[i] != '\t')
					return digest_fail(err, "has a "
					    "control byte", i);
				i++;
			}
			if (i == n)
				return digest_fail(err, "has an unclosed "
				    "quote", i);
			vallen = (size_t)(p + i - val);
			i++;
		} else {
			val = p + i;
			while (i < n && digest_is_token((unsigned char)p[i]))
				i++;
			vallen = (size_t)(p + i - val);
			if (vallen == 0)
				return digest_fail(err, "has an empty value",
				    i);
		}
		if (i < n && p[i] != ',' && p[i] != ' ' && p[i] != '\t')
			return digest_fail(err, "is not name=value", i);
		for (k = 0; k < DIGEST_ONCE_COUNT; k++)
			if (strlen(digest_once[k]) == namelen &&
			    strncasecmp(digest_once[k], name, namelen) == 0)
				break;
		if (k == DIGEST_ONCE_COUNT)
			continue;	/* realm, or unknown: ignored */
		if (seen[k]++ > 0)
			return error_set(err, ERR_PROTO, "SASL: the "
			    "DataNode's DIGEST-MD5 challenge has %s twice: "
			    "refused", digest_once[k]);
		if (strcmp(digest_once[k], "qop") == 0) {
			c->qop = val;
			c->qoplen = vallen;
		}
	}
	if (seen[DIGEST_NONCE] == 0 || seen[DIGEST_ALGORITHM] == 0)
		return error_set(err, ERR_PROTO, "SASL: the DataNode's "
		    "DIGEST-MD5 challenge has no %s: refused",
		    seen[DIGEST_NONCE] == 0 ? "nonce" : "algorithm");
	return 0;
}
