/*
 * One Hadoop IPC connection to a NameNode: RPC v9 with the protobuf
 * engine, SASL SIMPLE or Kerberos (GSSAPI), the connection context, and
 * one call at a time.
 */
#ifndef HDFS_RPC_H
#define HDFS_RPC_H

#include <stdbool.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#include "base/error.h"

#define RPC_CLIENT_ID_LEN	16
#define RPC_PROTOCOL	"org.apache.hadoop.hdfs.protocol.ClientProtocol"

struct rpc_conn;

/* The Kerberos login of the last connection made with these options. */
struct rpc_ticket {
	char		 principal[256];
	int64_t		 expiry_ms;	/* wall clock; 0 unknown */
};

struct rpc_options {
	const char	*user;		/* SIMPLE: who we are */
	const char	*proxy_user;	/* act as this user; NULL: none */
	uint8_t		 client_id[RPC_CLIENT_ID_LEN];
	int		 connect_timeout_ms;
	int		 io_timeout_ms;
	bool		 sasl;		/* auth 0xdf, SASL SIMPLE */
	bool		 kerberos;	/* SASL GSSAPI (needs sasl) */
	const char	*principal;	/* client's; NULL: the cache's */
	const char	*keytab;	/* NULL: the default cache */
	/* The NameNode's expected principal; NULL: what it offers. */
	const char	*server_principal;
	struct rpc_ticket *ticket;	/* updated if not NULL */
};

/*
 * The NameNode principal for host from pattern, with "_HOST" replaced by
 * host in lower case (dfs.namenode.kerberos.principal).  Malloc'd.
 */
char	*rpc_server_principal(const char *pattern, const char *host);

/* Fills client_id with 16 random bytes shaped like a version 4 UUID. */
void	rpc_new_client_id(uint8_t id[RPC_CLIENT_ID_LEN]);

/*
 * Connects to host:port and sets the connection up (preamble, SASL,
 * context).  Returns the connection or NULL with err.
 */
struct rpc_conn	*rpc_connect(const char *host, const char *port,
		    const struct rpc_options *, struct error *);
/* The same over a connected socket fd (which it then owns). */
struct rpc_conn	*rpc_open_fd(int fd, const char *peer,
		    const struct rpc_options *, struct error *);
void		 rpc_close(struct rpc_conn *);

/*
 * Calls method with request req as call id (>= 0) and retry count
 * retry, and unpacks the answer as rdesc into *resp (free with
 * protobuf_c_message_free_unpacked).  The caller owns the call ids: a
 * NameNode's retry cache answers a repeated (client id, call id) with the
 * result of the first call, so an id is used again only to retry that
 * same call.  A remote exception is ERR_REMOTE with the class in
 * err->remote.  *sent (if not NULL) tells whether any of the request may
 * have reached the server.  After a transport failure or a FATAL answer
 * the connection is broken.
 */
int	rpc_call(struct rpc_conn *, const char *method, int32_t id,
	    int32_t retry, const ProtobufCMessage *req,
	    const ProtobufCMessageDescriptor *rdesc, ProtobufCMessage **resp,
	    bool *sent, struct error *);
/* True once the connection can no longer be used. */
bool	rpc_is_broken(const struct rpc_conn *);
/*
 * True if the connection is broken, idle for more than max_idle_ms, or
 * closed by the server since the last call: better not to send on it.
 */
bool	rpc_is_stale(struct rpc_conn *, uint64_t max_idle_ms);

/*
 * Fills err from a remote exception: remote = cls, message
 * "ShortClass: first line of msg".  Returns -1.
 */
int	rpc_remote_error(struct error *, const char *cls, const char *msg);

#endif
