/*
 * For the fuzz targets that play a network peer (a NameNode, a
 * DataNode): a socketpair whose far end has already sent the input's
 * bytes, then end of stream.  What the client writes still goes in,
 * into buffers nobody reads, large enough for a block's packets.
 */
#ifndef TESTS_FUZZ_PEER_H
#define TESTS_FUZZ_PEER_H

#include <stddef.h>
#include <stdint.h>

/*
 * The client's end, with *far the peer's (close both, unless the client
 * took its end over), or -1 if the bytes do not fit (over 64 KiB).
 */
int	fuzz_peer(const uint8_t *data, size_t len, int *far);

#endif
