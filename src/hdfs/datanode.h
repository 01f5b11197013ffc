/*
 * DataTransferProtocol (version 28) from the client side: one WRITE_BLOCK
 * pipeline per block being written, one READ_BLOCK per block range read.
 */
#ifndef HDFS_DATANODE_H
#define HDFS_DATANODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/error.h"
#include "hdfs/namenode.h"

struct dn_writer;
struct dn_reader;

struct dn_options {
	int		 connect_timeout_ms;
	int		 io_timeout_ms;
	int		 csum_type;		/* PACKET_CSUM_* */
	uint32_t	 bpc;			/* bytes per checksum */
	uint32_t	 packet_size;		/* writePacketSize */
	uint64_t	 block_size;		/* told in WRITE_BLOCK */
	unsigned	 max_inflight;		/* unacked packets */
	int		 qop;			/* SASL_QOP_* */
	bool		 use_hostname;		/* connect by name, not IP */
};

/*
 * Connects to b->locs[0], sends WRITE_BLOCK for a new block (targets the
 * rest of the pipeline) and reads the connect-ack.  seqno is the first
 * packet's sequence number.  NULL with err on failure; *bad_node (if
 * not NULL) is the index of the DataNode to blame, or -1.
 */
struct dn_writer	*dn_writer_open(const struct nn_block *b,
			    const char *client, const struct dn_options *,
			    int64_t seqno, int *bad_node, struct error *);
/* The same over a connected socket (the caller's fd is taken over). */
struct dn_writer	*dn_writer_open_fd(int fd, const struct nn_block *b,
			    const char *client, const struct dn_options *,
			    int64_t seqno, int *bad_node, struct error *);
/*
 * Queues n bytes into packets, sending full ones while reading acks.
 * The caller keeps the block's total under block_size.
 */
int	dn_writer_write(struct dn_writer *, const void *, size_t,
	    struct error *);
/*
 * Sends the last partial packet, waits for every ack, then sends the
 * empty last packet and waits for its ack: the replica is finalized.
 */
int	dn_writer_finish(struct dn_writer *, struct error *);
/* Bytes of the block acknowledged by the whole pipeline. */
uint64_t dn_writer_acked(const struct dn_writer *);
/* The next sequence number (to continue counting in the next block). */
int64_t	dn_writer_seqno(const struct dn_writer *);
/* Index in the pipeline of the DataNode that failed, or -1. */
int	dn_writer_bad_node(const struct dn_writer *);
void	dn_writer_free(struct dn_writer *);

/*
 * Connects to b->locs[loc] and asks for len bytes from offset (in the
 * block).  NULL with err on failure.
 */
struct dn_reader	*dn_reader_open(const struct nn_block *b, size_t loc,
			    uint64_t offset, uint64_t len, const char *client,
			    const struct dn_options *, struct error *);
struct dn_reader	*dn_reader_open_fd(int fd, const struct nn_block *b,
			    uint64_t offset, uint64_t len, const char *client,
			    const struct dn_options *, struct error *);
/*
 * Copies up to n verified bytes to p.  Returns the count, 0 once the
 * whole range was read (the DataNode is then told CHECKSUM_OK), or -1.
 */
ssize_t	dn_reader_read(struct dn_reader *, void *p, size_t n,
	    struct error *);
void	dn_reader_free(struct dn_reader *);

#endif
