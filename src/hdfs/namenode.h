/*
 * ClientProtocol calls as typed C functions over a list of NameNodes,
 * with failover and bounded retries.  The types here are barge's own
 * copies of what the NameNode answers; no protobuf type leaves
 * namenode.c.
 */
#ifndef HDFS_NAMENODE_H
#define HDFS_NAMENODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "base/net.h"
#include "hdfs/hdfs.h"
#include "hdfs/rpc.h"

struct nn;

struct nn_datanode {
	char		*ip;
	char		*host;
	char		*uuid;
	char		*location;	/* may be NULL */
	char		*storage_id;	/* may be NULL */
	int		 storage_type;	/* StorageTypeProto (1 DISK) */
	uint32_t	 xfer_port;
	uint32_t	 info_port;
	uint32_t	 ipc_port;
	uint32_t	 info_secure_port;
};

/* A LocatedBlock: the block, where it is in the file, and its replicas. */
struct nn_block {
	char			*pool_id;
	uint64_t		 id;
	uint64_t		 gs;
	uint64_t		 num_bytes;
	uint64_t		 offset;	/* in the file */
	bool			 corrupt;
	uint8_t			*tok_ident;
	size_t			 tok_ident_len;
	uint8_t			*tok_pass;
	size_t			 tok_pass_len;
	char			*tok_kind;
	char			*tok_service;
	struct nn_datanode	*locs;
	size_t			 nlocs;
};

struct nn_defaults {
	uint64_t	 block_size;
	uint32_t	 bytes_per_checksum;
	uint32_t	 write_packet_size;
	uint32_t	 replication;
	int		 checksum_type;	/* ChecksumTypeProto */
	bool		 encrypt_data_transfer;
};

struct nn_locations {
	uint64_t	 file_length;
	bool		 under_construction;
	struct nn_block	*blocks;
	size_t		 nblocks;
};

/*
 * Prepares a client for the NameNodes addrs[0..n) (copied); connects
 * lazily.  retries bounds the failover rounds over the whole list.
 */
struct nn	*nn_new(const struct net_addr *addrs, size_t n,
		    const struct rpc_options *, unsigned retries);
void		 nn_free(struct nn *);
/* Makes c (owned from now on) the current connection; for tests. */
void		 nn_attach(struct nn *, struct rpc_conn *c);
/* Whether a connection is held (none yet, or dropped after a failure). */
bool		 nn_connected(const struct nn *);
/* "host:port" of the NameNode last used. */
const char	*nn_current(const struct nn *);

void	nn_block_clear(struct nn_block *);
void	nn_datanode_copy(struct nn_datanode *dst,
	    const struct nn_datanode *src);
void	nn_block_copy(struct nn_block *dst, const struct nn_block *src);
void	nn_locations_clear(struct nn_locations *);

int	nn_get_server_defaults(struct nn *, struct nn_defaults *,
	    struct error *);
/* ERR_NOTFOUND when the path does not exist. */
int	nn_get_file_info(struct nn *, const char *src, struct hdfs_stat *,
	    struct error *);
/*
 * One page of a listing, entries after start_after (bytes); calls fn for
 * each and sets *remaining and *last (heap copy of the last name).
 */
int	nn_get_listing(struct nn *, const char *src, const char *start_after,
	    hdfs_list_fn fn, void *arg, uint32_t *remaining, char **last,
	    int *fnrc, struct error *);
int	nn_mkdirs(struct nn *, const char *src, uint16_t mode, bool parents,
	    struct error *);
/* Creates src; fills *file_id from the answer. */
int	nn_create(struct nn *, const char *src, uint16_t mode,
	    const char *client, bool overwrite, bool create_parent,
	    unsigned replication, uint64_t block_size, uint64_t *file_id,
	    struct error *);
/*
 * Allocates the next block after previous (NULL for the first), avoiding
 * the exclude DataNodes; retries NotReplicatedYetException with backoff.
 */
int	nn_add_block(struct nn *, const char *src, const char *client,
	    uint64_t file_id, const struct nn_block *previous,
	    const struct nn_datanode *exclude, size_t nexclude,
	    struct nn_block *out, struct error *);
/* Completes the file, retrying with backoff while the NameNode says no. */
int	nn_complete(struct nn *, const char *src, const char *client,
	    uint64_t file_id, const struct nn_block *last, struct error *);
int	nn_abandon_block(struct nn *, const char *src, const char *client,
	    uint64_t file_id, const struct nn_block *, struct error *);
int	nn_rename2(struct nn *, const char *src, const char *dst,
	    bool overwrite, struct error *);
/* ERR_NOTFOUND when the NameNode answers false (nothing deleted). */
int	nn_delete(struct nn *, const char *src, bool recursive,
	    struct error *);
int	nn_renew_lease(struct nn *, const char *client, struct error *);
int	nn_get_block_locations(struct nn *, const char *src, uint64_t offset,
	    uint64_t length, struct nn_locations *, struct error *);
int	nn_get_fs_stats(struct nn *, struct hdfs_fsstats *, struct error *);

#endif
