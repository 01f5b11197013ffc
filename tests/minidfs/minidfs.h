/*
 * minidfs: a strict NameNode and N DataNodes in one process, for tests.
 * It links only base/, the hdfs/ protocol layer (wire, packet, crc32c)
 * and the generated protos, never the client, so that the client is
 * tested against an independent reading of the protocol.
 *
 * Threads: the main thread accepts; every connection gets a thread.  The
 * namespace is guarded by one mutex (ns_lock); a DataNode reports a
 * finished replica to the namespace in process, before it acks the last
 * packet, as a real DataNode's block report would.
 */
#ifndef MINIDFS_H
#define MINIDFS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#include "base/buf.h"
#include "base/cdefs.h"
#include "base/error.h"

#define MDFS_MAXDN		16
#define MDFS_MAXCONN		64
#define MDFS_MAXPROXY		8
#define MDFS_PROTOCOL		"org.apache.hadoop.hdfs.protocol.ClientProtocol"
#define MDFS_IO_TIMEOUT_MS	60000

/* --nn-lie kinds. */
#define MDFS_LIE_NONE		0
#define MDFS_LIE_TRUNCATE	1
#define MDFS_LIE_HUGE		2
#define MDFS_LIE_GARBAGE	3
#define MDFS_LIE_WRONG_ID	4
#define MDFS_LIE_UNKNOWN_EXC	5
#define MDFS_LIE_SILENT		6

/* Their names, by kind ([0] is "none"), in nn.c and dn.c. */
extern const char *const nn_lie_kinds[];

/* --dn-lie kinds. */
#define MDFS_DNLIE_NONE		0
#define MDFS_DNLIE_BAD_CHECKSUM	1
#define MDFS_DNLIE_ERROR	2
#define MDFS_DNLIE_TRUNCATE	3
#define MDFS_DNLIE_HUGE		4
#define MDFS_DNLIE_SILENT	5

extern const char *const dn_lie_kinds[];

/* Exception class names, exactly as a Hadoop 3.3 NameNode sends them. */
#define EXC_FNF		"java.io.FileNotFoundException"
#define EXC_IO		"java.io.IOException"
#define EXC_EXISTS	"org.apache.hadoop.fs.FileAlreadyExistsException"
#define EXC_PARENT	"org.apache.hadoop.fs.ParentNotDirectoryException"
#define EXC_NOTEMPTY	"org.apache.hadoop.fs.PathIsNotEmptyDirectoryException"
#define EXC_BADPATH	"org.apache.hadoop.fs.InvalidPathException"
#define EXC_LEASE \
	"org.apache.hadoop.hdfs.server.namenode.LeaseExpiredException"
#define EXC_BEINGMADE \
	"org.apache.hadoop.hdfs.protocol.AlreadyBeingCreatedException"
#define EXC_SAFEMODE \
	"org.apache.hadoop.hdfs.server.namenode.SafeModeException"
#define EXC_STANDBY	"org.apache.hadoop.ipc.StandbyException"
#define EXC_RETRIABLE	"org.apache.hadoop.ipc.RetriableException"
#define EXC_NRY \
	"org.apache.hadoop.hdfs.server.namenode.NotReplicatedYetException"
#define EXC_ILLEGAL	"org.apache.hadoop.HadoopIllegalArgumentException"
#define EXC_PROTOBUF \
	"org.apache.hadoop.thirdparty.protobuf.InvalidProtocolBufferException"
#define EXC_RPCSERVER	"org.apache.hadoop.ipc.RpcServerException"
#define EXC_NOMETHOD	"org.apache.hadoop.ipc.RpcNoSuchMethodException"
#define EXC_NOPROTOCOL	"org.apache.hadoop.ipc.RpcNoSuchProtocolException"
#define EXC_VERSION	"org.apache.hadoop.ipc.RPC$VersionMismatch"

struct mdfs_dn {
	int		 index;
	int		 lfd;		/* listening socket, -1 once dead */
	uint16_t	 port;
	char		 uuid[40];
	char		 storage[48];	/* storage id, "DS-<uuid>" */
	char		*dir;		/* block files */

	pthread_mutex_t	 mu;		/* guards the fields below */
	bool		 dead;
	uint64_t	 received;	/* data bytes received, for die-after */
	int		 conns[MDFS_MAXCONN];
};

struct mdfs {
	/* Options. */
	int		 ndn;
	uint64_t	 block_size;
	uint32_t	 replication;
	uint64_t	 min_block_size;
	uint32_t	 ls_limit;
	uint64_t	 lease_hard_ms;
	bool		 permissions;
	const char	*data_dir;
	const char	*port_file;
	const char	*owner;		/* of "/" */
	const char	*group;
	/* Fault injection. */
	uint64_t	 dn_die_after;	/* bytes; 0 = never */
	int		 dn_die_index;
	unsigned	 dn_dead;	/* bit i: DataNode i dead at start */
	bool		 standby;
	const char	*dn_ip;		/* what DataNodes report */
	const char	*dn_hostname;
	unsigned	 slow_ms;
	const char	*slow_method;	/* slow_ms for these only; NULL: all */
	unsigned	 dn_slow_ms;
	unsigned	 idle_close_ms;
	/* Every Nth run of a call (of drop_reply_method, if set) loses its
	   reply: the connection is closed after the call ran. */
	unsigned	 drop_reply_after;
	const char	*drop_reply_method;
	/* --nn-lie: a lying NameNode, for the first nn_lies_left calls
	   that run (0: every call). */
	int		 nn_lie;		/* MDFS_LIE_* */
	unsigned	 nn_lies_left;
	/* --dn-lie: lying DataNodes, in the answers to the first
	   dn_lies_left READ_BLOCK and WRITE_BLOCK ops (UINT32_MAX: all). */
	int		 dn_lie;		/* MDFS_DNLIE_* */
	unsigned	 dn_lies_left;
	const char	*dn_lie_on;	/* "READ_BLOCK", "WRITE_BLOCK"; NULL:
					   both */
	uint64_t	 retry_cache_ms;	/* 0: no retry cache */
	bool		 safe_mode;
	unsigned	 not_replicated_yet;
	unsigned	 complete_false;
	/* Kerberos (secure mode when krb_principal is set). */
	const char	*krb_keytab;
	const char	*krb_principal;	/* e.g. nn/localhost@REALM */
	char		 krb_protocol[64];	/* "nn" */
	char		 krb_server_id[256];	/* "localhost" */
	bool		 dt_sasl;	/* data transfer protection */
	int		 dt_qop;	/* its QOP: SASL_QOP_* */
	bool		 bad_block_tokens; /* passwords DNs do not know */
	uint8_t		 rpc_layer;	/* SASL layer offered: 1, 2 or 4 */
	/* hadoop.proxyuser.REAL.users, as "REAL=U1,U2" ("*": anyone). */
	const char	*proxy[MDFS_MAXPROXY];
	int		 nproxy;
	unsigned	 retriable;

	int		 nnn;		/* NameNodes: 1, or 2 for an HA pair */
	uint16_t	 nn_port[2];
	int		 nn_lfd[2];
	unsigned	 failover_after;
	char		 pool_id[64];
	struct mdfs_dn	 dn[MDFS_MAXDN];
	int		 wake[2];	/* wakes the accept loop */
};

extern struct mdfs	 mdfs;

/* An exception for the RPC reply: class and message (first line). */
struct exc {
	const char	*cls;
	char		 msg[1024];
};

int	exc_throw(struct exc *, const char *cls, const char *, ...)
	    PRINTFLIKE(3, 4);

/* arena.c: allocations freed together once a reply is sent. */
struct arena {
	void	**ptrs;
	size_t	  n;
	size_t	  cap;
};

void	*arena_alloc(struct arena *, size_t);
char	*arena_strdup(struct arena *, const char *);
char	*arena_printf(struct arena *, const char *, ...) PRINTFLIKE(2, 3);
void	 arena_free(struct arena *);
#define ARENA_NEW(a, type, init) \
	((type *)arena_init((a), sizeof(type), &(type)init))
void	*arena_init(struct arena *, size_t, const void *);

/* mlog.c: the --log file, one line per RPC, op, packet and ack. */
void	mlog_open(const char *path);
/* --log-times: each line starts with the wall clock in ms. */
void	mlog_set_times(bool on);
void	mlog(const char *, ...) PRINTFLIKE(1, 2);
bool	mlog_enabled(void);
/* Appends " name=value" for every field set in m, nested as a.b=. */
void	mlog_fields(struct buf *, const ProtobufCMessage *, const char *prefix);

/* ns.c: the namespace and the ClientProtocol methods. */
void	ns_init(void);
void	ns_lock(void);
void	ns_unlock(void);
/*
 * The active NameNode of an HA pair; counts a call it served and fails
 * over after --failover-after of them.
 */
int	ns_active(void);
void	ns_served(void);
/* Recovers the files of clients silent past the lease hard limit. */
void	ns_expire_leases(void);

enum ns_category {
	NS_READ,
	NS_WRITE,
	NS_UNCHECKED,
};

struct ns_call {
	const char			*user;		/* connection's user */
	struct arena			*arena;
	struct exc			*exc;
};

typedef int (*ns_handler)(struct ns_call *, const ProtobufCMessage *req,
    ProtobufCMessage **resp);

struct ns_method {
	const char				*name;
	const ProtobufCMessageDescriptor	*req;
	ns_handler				 fn;
	enum ns_category			 category;
};

const struct ns_method	*ns_method_find(const char *);
/* A DataNode finalized a replica; called without the lock held. */
void	ns_replica_finalized(int dn, uint64_t blockid, uint64_t gs,
	    uint64_t len);

/*
 * rcache.c: the retry cache (see there), with ns_lock held.  Lookup: 0
 * when the call is to run, 1 with *resp (in c's arena) when it is
 * answered from the cache, -1 with c->exc.  Store: the successful
 * outcome of a call that ran.
 */
struct Hd__RpcRequestHeaderProto;
bool	rcache_at_most_once(const char *method);
int	rcache_lookup(const struct Hd__RpcRequestHeaderProto *,
	    const char *method, struct ns_call *c, ProtobufCMessage **resp);
void	rcache_store(const struct Hd__RpcRequestHeaderProto *,
	    const char *method, const ProtobufCMessage *resp);

/* mkrb.c: the NameNode's side of SASL GSSAPI with mdfs.krb_keytab. */
struct mkrb;
bool		 mkrb_available(void);
/* NULL with why when the service credentials cannot be had. */
struct mkrb	*mkrb_new(char *why, size_t whylen);
/*
 * One client token in; *out (malloc'd) is the CHALLENGE to send when 0 is
 * returned; 1 means authenticated (SUCCESS next); -1 fails with why.
 */
int		 mkrb_step(struct mkrb *, const uint8_t *in, size_t inlen,
		    uint8_t **out, size_t *outlen, char *why, size_t whylen);
/* The authenticated principal, "alice@REALM". */
const char	*mkrb_client(const struct mkrb *);
/* Whether a security layer (integrity or privacy) was agreed. */
bool		 mkrb_wrapping(const struct mkrb *);
/* Wraps (wrap) or unwraps in into *out (malloc'd); -1 with why. */
int		 mkrb_wrap(struct mkrb *, bool wrap, const uint8_t *in,
		    size_t inlen, uint8_t **out, size_t *outlen, char *why,
		    size_t whylen);
void		 mkrb_free(struct mkrb *);

/*
 * mdsasl.c: block access tokens and DataNode SASL (DIGEST-MD5).
 * mdsasl_token fills t with a new token for blockid (arena memory) and
 * remembers it.  mdsasl_serve runs the DataNode's side on a new
 * connection: 0 with the token's user (base64 identifier), -2 when the
 * client sent no magic, -1 on failure; why says what.  mdsasl_connect is
 * the client side, for a DataNode forwarding a write with token t.  On
 * success both set *plain to the fd to go on with: fd itself, or at
 * QOP integrity or privacy one end of a socket pair a thread unwraps
 * into (serve relays a dup of fd; connect takes fd over).  Writes to
 * *plain go through mdsasl_write (one frame each) and it is closed
 * with mdsasl_close.  qop names what was agreed: "auth",
 * "auth-int ssf=1", ...
 */
struct Hd__TokenProto;
void	mdsasl_token(struct arena *, uint64_t blockid,
	    struct Hd__TokenProto *t);
int	mdsasl_serve(int fd, int *plain, char *user, size_t userlen,
	    char *qop, size_t qoplen, char *why, size_t whylen);
int	mdsasl_connect(int fd, int *plain, const struct Hd__TokenProto *t,
	    char *why, size_t whylen);
int	mdsasl_write(int fd, const void *, size_t, struct error *);
void	mdsasl_close(int fd);
/* Whether the op's token t is the SASL login's (user) and for blockid. */
int	mdsasl_check(const char *user, const struct Hd__TokenProto *t,
	    uint64_t blockid, char *why, size_t whylen);

/* nn.c / dn.c: serve one accepted connection, then close it. */
void	nn_serve(int nn, int fd);
void	dn_serve(struct mdfs_dn *, int fd);
/* Marks a DataNode dead: closes its listener and its connections. */
void	dn_kill(struct mdfs_dn *);
/* Path of the finalized replica of a block on a DataNode. */
char	*dn_block_path(const struct mdfs_dn *, uint64_t blockid,
	    const char *what);
void	dn_delete_replica(const struct mdfs_dn *, uint64_t blockid);

#endif
