/*
 * The client side of the SASL GSSAPI mechanism (RFC 4752) with Kerberos,
 * as a Hadoop NameNode runs it: the GSS-API context tokens, then the
 * security-layer step.  Built on MIT GSS-API; without it (configure
 * --without-kerberos) every call fails with a clear message.
 */
#ifndef HDFS_SASL_GSSAPI_H
#define HDFS_SASL_GSSAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

struct sasl_gssapi;

/* Whether this build has Kerberos at all. */
bool	sasl_gssapi_available(void);

/*
 * The principal name with its realm: "nn/host" becomes
 * "nn/host@DEFAULT.REALM", as Kerberos itself completes a name without
 * one.  Returns a malloc'd string, or NULL with err for a bad name.
 */
char	*sasl_gssapi_qualify(const char *name, struct error *);

/*
 * Gets credentials and starts a context with target, the NameNode's
 * principal ("nn/nn1.example.com", the realm optional).  With a
 * keytab, principal's keys from it are used to get tickets into a
 * private in-memory cache, fetched again by the library when they expire;
 * without one, the default credential cache (KRB5CCNAME), for principal
 * if not NULL.  Returns NULL with err when there is no usable credential.
 */
struct sasl_gssapi	*sasl_gssapi_new(const char *principal,
			    const char *keytab, const char *target,
			    struct error *);

/*
 * One round: in is the server's token (NULL, 0 for the first), *out a
 * malloc'd token to send (possibly empty, *outlen 0).  *done is set once
 * the security-layer answer has been made: the server's SUCCESS comes
 * next.
 */
int	sasl_gssapi_step(struct sasl_gssapi *, const uint8_t *in,
	    size_t inlen, uint8_t **out, size_t *outlen, bool *done,
	    struct error *);

/* The authenticated client principal, e.g. "alice@EXAMPLE.COM". */
const char	*sasl_gssapi_client(const struct sasl_gssapi *);
/* When the credentials used (the ticket-granting ticket) expire, wall ms. */
int64_t		 sasl_gssapi_expiry_ms(const struct sasl_gssapi *);

/* The security layer agreed (hadoop.rpc.protection). */
#define SASL_GSSAPI_AUTH	0	/* none: messages go as they are */
#define SASL_GSSAPI_INTEGRITY	1	/* signed */
#define SASL_GSSAPI_PRIVACY	2	/* signed and encrypted */
int	sasl_gssapi_qop(const struct sasl_gssapi *);
/* Wraps (signs, encrypts with privacy) in into *out (malloc'd). */
int	sasl_gssapi_wrap(struct sasl_gssapi *, const void *in, size_t inlen,
	    uint8_t **out, size_t *outlen, struct error *);
/* Checks and unwraps a message from the server into *out (malloc'd). */
int	sasl_gssapi_unwrap(struct sasl_gssapi *, const void *in,
	    size_t inlen, uint8_t **out, size_t *outlen, struct error *);

void	sasl_gssapi_free(struct sasl_gssapi *);

#endif
