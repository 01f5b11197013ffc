/*
 * libFuzzer target: a DataNode's side of the DIGEST-MD5 handshake
 * (dfs.data.transfer.protection) as arbitrary bytes.  The first input
 * byte picks the protection asked for (auth, integrity, privacy); the
 * rest is what the DataNode sends after the client's magic number: the
 * DataTransferEncryptorMessageProto steps carrying its challenge (parsed
 * by Cyrus SASL's DIGEST-MD5 plugin) and its rspauth.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "base/clock.h"
#include "hdfs/sasl_digest.h"
#include "hdfs/sasl_layer.h"

#include "peer.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const uint8_t	 ident[] = "fuzz-block-token-identifier";
	static const uint8_t	 pass[] = "fuzz-block-token-password";
	static const int	 qops[] = { SASL_QOP_AUTH, SASL_QOP_INTEGRITY,
				    SASL_QOP_PRIVACY };
	struct sasl_layer	*layer = NULL;
	struct error		 err;
	int			 fd, far;

	if (len < 1 || (fd = fuzz_peer(data + 1, len - 1, &far)) == -1)
		return 0;
	if (sasl_digest_handshake(fd, ident, sizeof ident - 1, pass,
	    sizeof pass - 1, qops[data[0] % 3], &layer,
	    clock_mono_ms() + 1000, &err) == 0)
		sasl_layer_free(layer);
	close(fd);
	close(far);
	return 0;
}
