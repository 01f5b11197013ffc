#include "config.h"

#include "peer.h"

#include <sys/socket.h>

#include <signal.h>
#include <stdbool.h>
#include <unistd.h>

int
fuzz_peer(const uint8_t *data, size_t len, int *far)
{
	static bool	 ready;
	int		 sv[2], big = 1 << 20;

	if (!ready) {
		/* The client may write to a peer that has gone. */
		signal(SIGPIPE, SIG_IGN);
		ready = true;
	}
	/* All of it must fit the socket buffer before the client starts. */
	if (len > 65536 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		return -1;
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
	setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
	if (len > 0 && write(sv[1], data, len) != (ssize_t)len) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	shutdown(sv[1], SHUT_WR);
	*far = sv[1];
	return sv[0];
}
