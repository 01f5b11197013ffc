/*
 * barge's native HDFS client: Hadoop IPC (RPC v9, protobuf engine) to the
 * NameNode and DataTransferProtocol to the DataNodes, no JVM.
 *
 * The client is blocking and every socket operation has a deadline.  It
 * keeps no global state: one struct hdfs per thread.  Failures return -1
 * (or NULL) and fill a struct error; a NameNode exception arrives as
 * ERR_REMOTE with the Java class in err->remote and the message
 * "ShortClassName: message" (first line only, no stack trace).  A path
 * that does not exist is ERR_NOTFOUND with remote
 * "java.io.FileNotFoundException".
 */
#ifndef HDFS_HDFS_H
#define HDFS_HDFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/error.h"

struct hdfs;
struct hdfs_writer;
struct hdfs_reader;

struct hdfs_options {
	const char	*namenodes;	/* "host:port[,host:port...]" */
	const char	*user;		/* NULL: see hdfs_connect */
	int		 connect_timeout_ms;	/* 0: 5000 */
	int		 io_timeout_ms;	/* each I/O; 0: 60000 */
	unsigned	 replication;	/* new files; 0: server's */
	uint64_t	 block_size;	/* new files; 0: server's */
	unsigned	 retries;	/* failover rounds; 0: 4 */
	bool		 no_sasl;	/* auth byte 0, no SASL */
	bool		 kerberos;	/* SASL GSSAPI to the NameNode */
	const char	*principal;	/* Kerberos client; NULL: cache's */
	const char	*keytab;	/* NULL: default credential cache */
	/*
	 * The NameNode's principal, "_HOST" standing for its host name as
	 * in namenodes; NULL: whatever the NameNode says it is.
	 */
	const char	*namenode_principal;
	const char	*proxy_user;	/* act as this user; NULL: none */
	int		 protection;	/* data transfer: HDFS_PROTECT_* */
	/* Reach DataNodes by the host name they report, not their IP. */
	bool		 use_datanode_hostname;
};

/* dfs.data.transfer.protection: SASL on DataNode connections. */
#define HDFS_PROTECT_NONE		0
#define HDFS_PROTECT_AUTHENTICATION	1	/* DIGEST-MD5, QOP auth */
#define HDFS_PROTECT_INTEGRITY		2	/* QOP auth-int */
#define HDFS_PROTECT_PRIVACY		3	/* QOP auth-conf */

struct hdfs_stat {
	char		 name[256];	/* last component, "" for / */
	uint64_t	 length;
	bool		 is_dir;
	uint16_t	 mode;		/* permission bits, 07777 */
	char		 owner[128];
	char		 group[128];
	int64_t		 mtime_ms;	/* ms since the epoch */
	int64_t		 atime_ms;
	unsigned	 replication;	/* files only */
	uint64_t	 block_size;	/* files only */
	uint64_t	 file_id;	/* inode id */
	int		 children;	/* directories; -1 when unknown */
};

struct hdfs_fsstats {
	uint64_t	 capacity;
	uint64_t	 used;
	uint64_t	 remaining;
	uint64_t	 under_replicated;
	uint64_t	 corrupt_blocks;
	uint64_t	 missing_blocks;
};

/* Flags of hdfs_create(). */
#define HDFS_OVERWRITE		0x01	/* replace an existing file */
#define HDFS_CREATE_PARENT	0x02	/* create missing parents */

/* Fills o with the defaults (all zero, namenodes NULL). */
void	hdfs_options_init(struct hdfs_options *o);

/*
 * Resolves the options (user: o->user, else $HADOOP_USER_NAME, else the
 * login name of the effective uid) and connects to the first NameNode
 * that answers.  With kerberos the NameNode knows the client by its
 * principal: from the keytab (kept fresh in a private in-memory cache)
 * or from the default credential cache ($KRB5CCNAME).  With a proxy
 * user, that real user (principal or user) acts as the proxy user, if
 * the NameNode allows it (hadoop.proxyuser.*); else the first call fails
 * with AuthorizationException.
 * Returns a client the caller frees with hdfs_free(), or NULL with err
 * (ERR_INPUT for a bad namenode list; the last NameNode's failure else).
 */
struct hdfs	*hdfs_connect(const struct hdfs_options *, struct error *);
/* Closes the connection and frees h (open writers/readers first). */
void		 hdfs_free(struct hdfs *h);
/* The effective user name the client speaks as (the proxy user if any). */
const char	*hdfs_user(const struct hdfs *h);
/* The "host:port" of the NameNode currently in use. */
const char	*hdfs_namenode(const struct hdfs *h);
/*
 * With Kerberos, the principal of the last NameNode login and when its
 * ticket-granting ticket expires (ms since the epoch, 0 if unknown).
 * Returns -1 without Kerberos or before the first login.
 */
int	hdfs_ticket(const struct hdfs *h, const char **principal,
	    int64_t *expiry_ms);

/*
 * Fills st with the status of path (absolute).  ERR_NOTFOUND if it does
 * not exist.
 */
int	hdfs_stat(struct hdfs *h, const char *path, struct hdfs_stat *st,
	    struct error *);

/*
 * Calls fn for each entry of the directory path, in the NameNode's order,
 * fetching further pages as needed.  A non-zero return from fn stops the
 * listing and is returned.  Listing a file yields that file alone.
 * ERR_NOTFOUND if path does not exist.
 */
typedef int	(*hdfs_list_fn)(const struct hdfs_stat *, void *arg);
int	hdfs_list(struct hdfs *h, const char *path, hdfs_list_fn fn,
	    void *arg, struct error *);

/*
 * Creates directory path with mode (e.g. 0755); with parents, missing
 * parents too and an existing directory is not an error.
 */
int	hdfs_mkdirs(struct hdfs *h, const char *path, uint16_t mode,
	    bool parents, struct error *);

/*
 * Renames src to dst (rename2).  With overwrite, an existing file or
 * empty directory at dst is replaced; without it, FileAlreadyExists.
 */
int	hdfs_rename(struct hdfs *h, const char *src, const char *dst,
	    bool overwrite, struct error *);

/*
 * Deletes path; a non-empty directory needs recursive.  ERR_NOTFOUND if
 * path did not exist.
 */
int	hdfs_delete(struct hdfs *h, const char *path, bool recursive,
	    struct error *);

/* Fills fs with the file system's capacity and block counters. */
int	hdfs_fsstats(struct hdfs *h, struct hdfs_fsstats *fs,
	    struct error *);

/*
 * Creates path for writing (mode e.g. 0644, flags HDFS_*).  The file
 * exists at once, empty and under construction, until
 * hdfs_writer_close().  Returns a writer or NULL with err.
 */
struct hdfs_writer	*hdfs_create(struct hdfs *h, const char *path,
			    uint16_t mode, int flags, struct error *);
/*
 * Appends n bytes, opening blocks and DataNode pipelines as needed.  On
 * failure the writer is broken: only hdfs_writer_abort() remains.
 */
int	hdfs_write(struct hdfs_writer *w, const void *p, size_t n,
	    struct error *);
/* Bytes written so far. */
uint64_t hdfs_writer_length(const struct hdfs_writer *w);
/*
 * Flushes the last packets, waits for their acks, and completes the file
 * (retrying while the NameNode has too few replicas).  Frees w whatever
 * happens; -1 with err if the file could not be completed.
 */
int	hdfs_writer_close(struct hdfs_writer *w, struct error *);
/*
 * Gives up: abandons the current block, deletes the partial file, frees
 * w.  Errors on the way are ignored (the NameNode's lease recovery ends
 * what cannot be removed).
 */
void	hdfs_writer_abort(struct hdfs_writer *w);

/*
 * Opens path for reading.  Returns a reader or NULL with err
 * (ERR_NOTFOUND if path does not exist, ERR_INPUT for a directory).
 */
struct hdfs_reader	*hdfs_open(struct hdfs *h, const char *path,
			    struct error *);
/* Length of the file being read. */
uint64_t hdfs_reader_length(const struct hdfs_reader *r);
/*
 * Reads up to n bytes, verifying every chunk's checksum and moving to
 * another replica when a DataNode fails.  Returns the count, 0 at the
 * end of the file, or -1 with err.
 */
ssize_t	hdfs_read(struct hdfs_reader *r, void *p, size_t n,
	    struct error *);
/* Closes the DataNode connection and frees r. */
void	hdfs_reader_close(struct hdfs_reader *r);

#endif
