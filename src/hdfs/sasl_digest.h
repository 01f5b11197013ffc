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
#include "hdfs/sasl_layer.h"

/*
 * Runs the handshake on fd for qop (SASL_QOP_*), before the data-transfer op.
 * Returns 0 once the DataNode proved it knows the token too (rspauth),
 * or -1 with err.  At integrity or privacy *layer is the security layer
 * all later bytes must pass through; at auth it is NULL.
 */
int	sasl_digest_handshake(int fd, const uint8_t *ident, size_t identlen,
	    const uint8_t *pass, size_t passlen, int qop,
	    struct sasl_layer **layer, uint64_t deadline, struct error *);

#endif
