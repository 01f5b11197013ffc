/*
 * libFuzzer target: a DataNode that answers with arbitrary bytes.  The
 * first input byte picks the operation (odd: READ_BLOCK of 1000 bytes;
 * even: WRITE_BLOCK of 1000 bytes through a pipeline of three) and the
 * checksum the client asks for (bit 1: CRC32, else CRC32C); the rest is
 * everything the DataNode sends: the BlockOpResponse, then read packets
 * or pipeline acks.  Every path must end in data or an error, never a
 * crash or a wait past the stream's end.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "hdfs/datanode.h"
#include "hdfs/packet.h"

#include "peer.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_DN_BYTES	1000

static char	fuzz_dn_empty[1] = "";

static void
fuzz_dn_block(struct nn_block *b, struct nn_datanode *locs, size_t nlocs)
{
	static char	ip[] = "127.0.0.1", sid[] = "DS-1", pool[] = "BP-1";
	size_t		i;

	memset(b, 0, sizeof *b);
	memset(locs, 0, nlocs * sizeof *locs);
	for (i = 0; i < nlocs; i++) {
		locs[i].ip = locs[i].host = ip;
		locs[i].uuid = locs[i].location = locs[i].storage_id = sid;
		locs[i].xfer_port = 9866;
	}
	b->pool_id = pool;
	b->id = 1073741825;
	b->gs = 1001;
	b->num_bytes = FUZZ_DN_BYTES;
	b->tok_ident = b->tok_pass = (uint8_t *)fuzz_dn_empty;
	b->tok_kind = b->tok_service = fuzz_dn_empty;
	b->locs = locs;
	b->nlocs = nlocs;
}

static void
fuzz_dn_read(int fd, const struct nn_block *b, const struct dn_options *o)
{
	struct dn_reader	*r;
	struct error		 err;
	uint8_t			 out[4096];

	if ((r = dn_reader_open_fd(fd, b, 0, FUZZ_DN_BYTES, "fuzz", o,
	    &err)) == NULL)
		return;
	while (dn_reader_read(r, out, sizeof out, &err) > 0)
		;
	dn_reader_free(r);
}

static void
fuzz_dn_write(int fd, const struct nn_block *b, const struct dn_options *o)
{
	static uint8_t		 data[FUZZ_DN_BYTES];
	struct dn_writer	*w;
	struct error		 err;
	int			 bad;

	if ((w = dn_writer_open_fd(fd, b, "fuzz", o, 0, &bad, &err)) == NULL)
		return;
	if (dn_writer_write(w, data, sizeof data, &err) == 0)
		(void)dn_writer_finish(w, &err);
	dn_writer_free(w);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct nn_datanode	 locs[3];
	struct nn_block		 b;
	struct dn_options	 o;
	int			 fd, far;

	if (len < 1 || (fd = fuzz_peer(data + 1, len - 1, &far)) == -1)
		return 0;

	memset(&o, 0, sizeof o);
	o.connect_timeout_ms = 1000;
	o.io_timeout_ms = 1000;
	o.csum_type = (data[0] & 2) ? PACKET_CSUM_CRC32 : PACKET_CSUM_CRC32C;
	o.bpc = 512;
	o.packet_size = 65536;
	o.block_size = 1 << 20;
	o.max_inflight = 80;
	fuzz_dn_block(&b, locs, (data[0] & 1) ? 1 : 3);
	if (data[0] & 1)
		fuzz_dn_read(fd, &b, &o);
	else
		fuzz_dn_write(fd, &b, &o);
	close(far);
	return 0;
}
