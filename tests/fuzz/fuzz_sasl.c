/*
 * libFuzzer target: a DataNode's side of the DIGEST-MD5 handshake
 * (dfs.data.transfer.protection) as arbitrary bytes.  The first input
 * byte picks the protection asked for (auth, integrity, privacy); the
 * rest is what the DataNode sends after the client's magic number: the
 * DataTransferEncryptorMessageProto steps carrying its challenge (parsed
 * by Cyrus SASL's DIGEST-MD5 plugin) and its rspauth.
 */
#include "config.h"

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/clock.h"
#include "hdfs/sasl_digest.h"
#include "hdfs/sasl_layer.h"

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
	int			 sv[2];
	static bool		 ready;

	if (!ready) {
		signal(SIGPIPE, SIG_IGN);
		ready = true;
	}
	if (len < 1 || len > 65536 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		return 0;
	if (len > 1 && write(sv[1], data + 1, len - 1) != (ssize_t)(len - 1)) {
		close(sv[0]);
		close(sv[1]);
		return 0;
	}
	shutdown(sv[1], SHUT_WR);
	if (sasl_digest_handshake(sv[0], ident, sizeof ident - 1, pass,
	    sizeof pass - 1, qops[data[0] % 3], &layer,
	    clock_mono_ms() + 1000, &err) == 0)
		sasl_layer_free(layer);
	close(sv[0]);
	close(sv[1]);
	return 0;
}
