/*
 * SASL on a DataNode connection (dfs.data.transfer.protection): the
 * 0xDEADBEEF magic, then DIGEST-MD5 keyed with the block token (user
 * base64(identifier), password base64(password), realm "0", digest-uri
 * "hdfs/0"), each step in a DataTransferEncryptorMessageProto.  On Cyrus
 * SASL's DIGEST-MD5 plugin; without it the handshake fails with a clear
 * message.
 */
#ifndef HDFS_SASL_DIGEST_H
#define HDFS_SASL_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

/*
 * Runs the handshake on fd for the QOP "auth" (authentication only),
 * before the data-transfer op.  Returns 0 once the DataNode proved it
 * knows the token too (rspauth), or -1 with err.
 */
int	sasl_digest_handshake(int fd, const uint8_t *ident, size_t identlen,
	    const uint8_t *pass, size_t passlen, uint64_t deadline,
	    struct error *);

#endif
