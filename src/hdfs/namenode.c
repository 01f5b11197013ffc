/*
 * ClientProtocol over a list of NameNodes.  Every call goes through
 * nn_call(), which owns the failover rules (Java's
 * FailoverOnNetworkExceptionRetry, simplified): StandbyException, a
 * refused or timed-out connection move to the next NameNode;
 * RetriableException retries the same one; a transport failure after the
 * request went out retries the call.  Retries are bounded and back off
 * exponentially.
 *
 * Call ids belong to the client id, not to a connection: one counter for
 * the life of the handle, across every connection and NameNode, as Java's
 * Client has.  A retry sends the same call id with the retry count one
 * higher, so a NameNode's retry cache (shared by an HA pair through the
 * edit log) answers a call that did run before its reply was lost with
 * that run's result.  This is what makes the at-most-once calls safe to
 * retry: create, rename2 and delete (@AtMostOnce in ClientProtocol); the
 * others barge makes are idempotent.  Reusing an id for another call would
 * be answered from the cache with an earlier call's result.
 */
#include "config.h"

#include "hdfs/namenode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/xmalloc.h"
#include "hdfs/proto/namenode.pb-c.h"
#include "hdfs/proto/rpc.pb-c.h"

#define NN_STANDBY	"org.apache.hadoop.ipc.StandbyException"
#define NN_RETRIABLE	"org.apache.hadoop.ipc.RetriableException"
#define NN_NOT_REPL	\
	"org.apache.hadoop.hdfs.server.namenode.NotReplicatedYetException"
#define NN_FNF		"java.io.FileNotFoundException"
/* dfs.client.block.write.locateFollowingBlock.{retries,initial.delay.ms} */
#define NN_LOCATE_RETRIES	5
#define NN_LOCATE_DELAY_MS	400
/*
 * Like ipc.client.connection.maxidletime: an older connection may have
 * been dropped by the server, so a new one is made instead.
 */
#define NN_MAX_IDLE_MS		10000
/* Failover sleeps: base 500 ms doubling, capped (dfs.client.failover.*). */
#define NN_FAILOVER_BASE_MS	500
#define NN_FAILOVER_CAP_MS	15000

struct nn {
	struct net_addr		*addrs;
	size_t			 naddrs;
	size_t			 cur;
	char			*user;
	struct rpc_options	 ro;
	unsigned		 retries;
	struct rpc_conn		*conn;
	int32_t			 next_call;	/* see the top */
	char			 curname[300];
};

static void
nn_sleep_ms(uint64_t ms)
{
	struct timespec	 ts;

	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) == -1)
		continue;
}

static void
nn_set_current(struct nn *nn)
{
	const struct net_addr	*a = &nn->addrs[nn->cur];

	snprintf(nn->curname, sizeof nn->curname,
	    strchr(a->host, ':') != NULL ? "[%s]:%s" : "%s:%s", a->host,
	    a->port);
}

struct nn *
nn_new(const struct net_addr *addrs, size_t n, const struct rpc_options *ro,
    unsigned retries)
{
	struct nn	*nn = xcalloc(1, sizeof *nn);

	nn->addrs = xreallocarray(NULL, n, sizeof *addrs);
	memcpy(nn->addrs, addrs, n * sizeof *addrs);
	nn->naddrs = n;
	nn->ro = *ro;
	nn->user = xstrdup(ro->user);
	nn->ro.user = nn->user;
	nn->retries = retries > 0 ? retries : 1;
	nn_set_current(nn);
	return nn;
}

void
nn_attach(struct nn *nn, struct rpc_conn *c)
{
	rpc_close(nn->conn);
	nn->conn = c;
}

bool
nn_connected(const struct nn *nn)
{
	return nn->conn != NULL;
}

void
nn_free(struct nn *nn)
{
	if (nn == NULL)
		return;
	rpc_close(nn->conn);
	free(nn->addrs);
	free(nn->user);
	free(nn);
}

const char *
nn_current(const struct nn *nn)
{
	return nn->curname;
}

static int
nn_connect(struct nn *nn, struct error *err)
{
	const struct net_addr	*a = &nn->addrs[nn->cur];
	struct rpc_options	 ro = nn->ro;
	char			*sp = NULL;

	nn_set_current(nn);
	/* _HOST is the NameNode's name as configured, as in Java. */
	if (ro.server_principal != NULL)
		ro.server_principal = sp = rpc_server_principal(
		    ro.server_principal, a->host);
	nn->conn = rpc_connect(a->host, a->port, &ro, err);
	free(sp);
	return nn->conn != NULL ? 0 : -1;
}

/*
 * The NameNode refused who we are: another try or another NameNode of
 * the same cluster would say the same.
 */
static bool
nn_refused(const struct error *e)
{
	return e->code == ERR_REMOTE && (strcmp(e->remote,
	    "org.apache.hadoop.security.AccessControlException") == 0 ||
	    strcmp(e->remote,
	    "org.apache.hadoop.security.authorize.AuthorizationException") ==
	    0);
}

/*
 * The next call id: non-negative (the negative ones are the protocol's),
 * wrapping after 2^31 calls as Java's does.  A NameNode keeps retry cache
 * entries for minutes (dfs.namenode.retrycache.expirytime.millis, 10 by
 * default), far less than 2^31 calls take.
 */
static int32_t
nn_next_call(struct nn *nn)
{
	int32_t	 id = nn->next_call;

	nn->next_call = (int32_t)(((uint32_t)id + 1) & 0x7fffffff);
	return id;
}

/* The failover loop around one call; see the comment at the top. */
static int
nn_call(struct nn *nn, const char *method, const ProtobufCMessage *req,
    const ProtobufCMessageDescriptor *rd, ProtobufCMessage **resp,
    struct error *err)
{
	struct error	 e;
	unsigned	 attempt, max = nn->retries * (unsigned)nn->naddrs;
	int32_t		 id = nn_next_call(nn);
	bool		 same;

	if (nn->conn != NULL && rpc_is_stale(nn->conn, NN_MAX_IDLE_MS)) {
		rpc_close(nn->conn);
		nn->conn = NULL;
	}
	for (attempt = 0;; attempt++) {
		same = false;
		if (nn->conn == NULL && nn_connect(nn, &e) == -1) {
			if (nn_refused(&e))
				goto fail;
			goto next;
		}
		if (rpc_call(nn->conn, method, id, (int32_t)attempt, req, rd,
		    resp, NULL, &e) == 0)
			return 0;
		/* A refused connection context comes as the first answer. */
		if (rpc_is_broken(nn->conn) && nn_refused(&e))
			goto fail;
		if (e.code == ERR_REMOTE && !rpc_is_broken(nn->conn)) {
			if (strcmp(e.remote, NN_STANDBY) == 0) {
				rpc_close(nn->conn);
				nn->conn = NULL;
				goto next;
			}
			if (strcmp(e.remote, NN_RETRIABLE) == 0) {
				same = true;
				goto next;
			}
			goto fail;
		}
		rpc_close(nn->conn);
		nn->conn = NULL;
next:
		if (attempt + 1 >= max)
			goto fail;
		if (!same)
			nn->cur = (nn->cur + 1) % nn->naddrs;
		/* The first failover is immediate, as in Java. */
		if (attempt > 0 || same || nn->naddrs == 1)
			nn_sleep_ms(clock_backoff_ms(attempt,
			    NN_FAILOVER_BASE_MS, NN_FAILOVER_CAP_MS));
	}
fail:
	if (err != NULL)
		*err = e;
	return -1;
}

static char *
nn_strdup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* A heap copy of n bytes (p may be NULL when n is 0), NUL-terminated. */
static uint8_t *
nn_bytes(const uint8_t *p, size_t n)
{
	uint8_t	*s = xmalloc(n + 1);

	if (n > 0)
		memcpy(s, p, n);
	s[n] = 0;
	return s;
}

static void
nn_datanode_from_pb(struct nn_datanode *d, const Hd__DatanodeInfoProto *p)
{
	memset(d, 0, sizeof *d);
	d->ip = xstrdup(p->id->ipaddr);
	d->host = xstrdup(p->id->hostname);
	d->uuid = xstrdup(p->id->datanodeuuid);
	d->location = nn_strdup_or_null(p->location);
	d->xfer_port = p->id->xferport;
	d->info_port = p->id->infoport;
	d->ipc_port = p->id->ipcport;
	d->info_secure_port = p->id->infosecureport;
	d->storage_type = HD__STORAGE_TYPE_PROTO__DISK;
}

static void
nn_datanode_clear(struct nn_datanode *d)
{
	free(d->ip);
	free(d->host);
	free(d->uuid);
	free(d->location);
	free(d->storage_id);
	memset(d, 0, sizeof *d);
}

static int
nn_block_from_pb(struct nn_block *b, const Hd__LocatedBlockProto *p,
    struct error *err)
{
	size_t	 i;

	memset(b, 0, sizeof *b);
	b->pool_id = xstrdup(p->b->poolid);
	b->id = p->b->blockid;
	b->gs = p->b->generationstamp;
	b->num_bytes = p->b->numbytes;
	b->offset = p->offset;
	b->corrupt = p->corrupt;
	b->tok_ident = nn_bytes(p->blocktoken->identifier.data,
	    p->blocktoken->identifier.len);
	b->tok_ident_len = p->blocktoken->identifier.len;
	b->tok_pass = nn_bytes(p->blocktoken->password.data,
	    p->blocktoken->password.len);
	b->tok_pass_len = p->blocktoken->password.len;
	b->tok_kind = xstrdup(p->blocktoken->kind);
	b->tok_service = xstrdup(p->blocktoken->service);
	b->nlocs = p->n_locs;
	b->locs = xcalloc(p->n_locs + 1, sizeof *b->locs);
	for (i = 0; i < p->n_locs; i++) {
		nn_datanode_from_pb(&b->locs[i], p->locs[i]);
		if (i < p->n_storagetypes)
			b->locs[i].storage_type = (int)p->storagetypes[i];
		if (i < p->n_storageids)
			b->locs[i].storage_id = xstrdup(p->storageids[i]);
	}
	(void)err;
	return 0;
}

void
nn_block_clear(struct nn_block *b)
{
	size_t	 i;

	free(b->pool_id);
	free(b->tok_ident);
	free(b->tok_pass);
	free(b->tok_kind);
	free(b->tok_service);
	for (i = 0; i < b->nlocs; i++)
		nn_datanode_clear(&b->locs[i]);
	free(b->locs);
	memset(b, 0, sizeof *b);
}

void
nn_datanode_copy(struct nn_datanode *d, const struct nn_datanode *s)
{
	*d = *s;
	d->ip = xstrdup(s->ip);
	d->host = xstrdup(s->host);
	d->uuid = xstrdup(s->uuid);
	d->location = nn_strdup_or_null(s->location);
	d->storage_id = nn_strdup_or_null(s->storage_id);
}

void
nn_block_copy(struct nn_block *d, const struct nn_block *s)
{
	size_t	 i;

	*d = *s;
	d->pool_id = xstrdup(s->pool_id);
	d->tok_ident = nn_bytes(s->tok_ident, s->tok_ident_len);
	d->tok_pass = nn_bytes(s->tok_pass, s->tok_pass_len);
	d->tok_kind = xstrdup(s->tok_kind);
	d->tok_service = xstrdup(s->tok_service);
	d->locs = xcalloc(s->nlocs + 1, sizeof *d->locs);
	for (i = 0; i < s->nlocs; i++)
		nn_datanode_copy(&d->locs[i], &s->locs[i]);
}

void
nn_locations_clear(struct nn_locations *l)
{
	size_t	 i;

	for (i = 0; i < l->nblocks; i++)
		nn_block_clear(&l->blocks[i]);
	free(l->blocks);
	memset(l, 0, sizeof *l);
}

/* Points e at b's fields (no copies; valid while b lives). */
static void
nn_extended_block(Hd__ExtendedBlockProto *e, const struct nn_block *b)
{
	hd__extended_block_proto__init(e);
	e->poolid = b->pool_id;
	e->blockid = b->id;
	e->generationstamp = b->gs;
	e->has_numbytes = 1;
	e->numbytes = b->num_bytes;
}

static void
nn_stat_from_pb(struct hdfs_stat *st, const Hd__HdfsFileStatusProto *p)
{
	size_t	 n;

	memset(st, 0, sizeof *st);
	n = MIN(p->path.len, sizeof st->name - 1);
	if (n > 0)
		memcpy(st->name, p->path.data, n);
	st->name[n] = '\0';
	st->length = p->length;
	st->is_dir =
	    p->filetype == HD__HDFS_FILE_STATUS_PROTO__FILE_TYPE__IS_DIR;
	st->mode = (uint16_t)(p->permission->perm & 07777);
	snprintf(st->owner, sizeof st->owner, "%s", p->owner);
	snprintf(st->group, sizeof st->group, "%s", p->group);
	st->mtime_ms = (int64_t)p->modification_time;
	st->atime_ms = (int64_t)p->access_time;
	st->replication = p->block_replication;
	st->block_size = p->blocksize;
	st->file_id = p->fileid;
	st->children = p->has_childrennum ? p->childrennum : -1;
}

static int
nn_not_found(struct error *err, const char *path)
{
	error_set(err, ERR_NOTFOUND,
	    "FileNotFoundException: File does not exist: %s", path);
	if (err != NULL)
		snprintf(err->remote, sizeof err->remote, "%s", NN_FNF);
	return -1;
}

/* A remote FileNotFoundException becomes ERR_NOTFOUND. */
static int
nn_map_notfound(struct error *err)
{
	if (err != NULL && err->code == ERR_REMOTE &&
	    strcmp(err->remote, NN_FNF) == 0)
		err->code = ERR_NOTFOUND;
	return -1;
}

int
nn_get_server_defaults(struct nn *nn, struct nn_defaults *d,
    struct error *err)
{
	Hd__GetServerDefaultsRequestProto	 req =
	    HD__GET_SERVER_DEFAULTS_REQUEST_PROTO__INIT;
	Hd__GetServerDefaultsResponseProto	*resp;
	const Hd__FsServerDefaultsProto		*s;

	if (nn_call(nn, "getServerDefaults", &req.base,
	    &hd__get_server_defaults_response_proto__descriptor,
	    (ProtobufCMessage **)&resp, err) == -1)
		return -1;
	s = resp->serverdefaults;
	d->block_size = s->blocksize;
	d->bytes_per_checksum = s->bytesperchecksum;
	d->write_packet_size = s->writepacketsize;
	d->replication = s->replication;
	d->checksum_type = (int)s->checksumtype;
	d->encrypt_data_transfer = s->encryptdatatransfer;
	protobuf_c_message_free_unpacked(&resp->base, NULL);
	return 0;
}

int
nn_get_file_info(struct nn *nn, const char *src, struct hdfs_stat *st,
    struct error *err)
{
	Hd__GetFileInfoRequestProto	 req;
	Hd__GetFileInfoResponseProto	*resp;
	const char			*slash;

	hd__get_file_info_request_proto__init(&req);
	req.src = (char *)src;
	if (nn_call(nn, "getFileInfo", &req.base,
	    &hd__get_file_info_response_proto__descriptor,
	    (ProtobufCMessage **)&resp, err) == -1)
		return nn_map_notfound(err);
	if (resp->fs == NULL) {
		protobuf_c_message_free_unpacked(&resp->base, NULL);
		return nn_not_found(err, src);
	}
	nn_stat_from_pb(st, resp->fs);
	protobuf_c_message_free_unpacked(&resp->base, NULL);
	/* The NameNode leaves the name empty here; the caller knows it. */
	if (st->name[0] == '\0' && (slash = strrchr(src, '/')) != NULL)
		snprintf(st->name, sizeof st->name, "%s", slash + 1);
	return 0;
}

int
nn_get_listing(struct nn *nn, const char *src, const char *start_after,
    hdfs_list_fn fn, void *arg, uint32_t *remaining, char **last, int *fnrc,
    struct error *err)
{
	Hd__GetListingRequestProto	 req;
	Hd__GetListingResponseProto	*resp;
	struct hdfs_stat		 st;
	const char			*slash;
	size_t				 i, n;

	hd__get_listing_request_proto__init(&req);
	req.src = (char *)src;
	req.startafter.data = (uint8_t *)start_after;
	req.startafter.len = strlen(start_after);
	req.needlocation = 0;
	*fnrc = 0;
	*last = NULL;
	if (nn_call(nn, "getListing", &req.base,
	    &hd__get_listing_response_proto__descriptor,
	    (ProtobufCMessage **)&resp, err) == -1)
		return nn_map_notfound(err);
	if (resp->dirlist == NULL) {
		protobuf_c_message_free_unpacked(&resp->base, NULL);
		return nn_not_found(err, src);
	}
	*remaining = resp->dirlist->remainingentries;
	n = resp->dirlist->n_partiallisting;
	for (i = 0; i < n && *fnrc == 0; i++) {
		nn_stat_from_pb(&st, resp->dirlist->partiallisting[i]);
		/* Listing a file gives it with an empty name (capture 15). */
		if (st.name[0] == '\0' && (slash = strrchr(src, '/')) != NULL)
			snprintf(st.name, sizeof st.name, "%s", slash + 1);
		*fnrc = fn(&st, arg);
	}
	if (n > 0)
		*last = (char *)nn_bytes(
		    resp->dirlist->partiallisting[n - 1]->path.data,
		    resp->dirlist->partiallisting[n - 1]->path.len);
	protobuf_c_message_free_unpacked(&resp->base, NULL);
	return 0;
}

int
nn_mkdirs(struct nn *nn, const char *src, uint16_t mode, bool parents,
    struct error *err)
{
	Hd__MkdirsRequestProto	 req = HD__MKDIRS_REQUEST_PROTO__INIT;
	Hd__FsPermissionProto	 perm = HD__FS_PERMISSION_PROTO__INIT;
	Hd__FsPermissionProto	 unmasked = HD__FS_PERMISSION_PROTO__INIT;
	Hd__MkdirsResponseProto	*resp;
	int			 ok;

	/* As Java: the mode after the umask, and the one before it. */
	perm.perm = mode;
	unmasked.perm = 0777;
	req.src = (char *)src;
	req.masked = &perm;
	req.unmasked = &unmasked;
	req.createparent = parents;
	if (nn_call(nn, "mkdirs", &req.base,
	    &hd__mkdirs_response_proto__descriptor,
	    (ProtobufCMessage **)&resp, err) == -1)
		return nn_map_notfound(err);
	ok = resp->result;
	protobuf_c_message_free_unpacked(&resp->base, NULL);
	if (!ok)
		return error_set(err, ERR_REMOTE, "IOException: mkdirs "
		    "returned false");
	return 0;
}

int
nn_create(struct nn *nn, const char *src, uint16_t mode, const char *client,
    bool overwrite, bool create_parent, unsigned replication,
    uint64_t block_size, uint64_t *file_id, struct error *err)
{
	Hd__CreateRequestProto		 req;
	Hd__FsPermissionProto		 perm, unmasked;
	Hd__CreateResponseProto		*resp;
	Hd__CryptoProtocolVersionProto	 crypto[1] = {
	    HD__CRYPTO_PROTOCOL_VERSION_PROTO__ENCRYPTION_ZONES };

	hd__create_request_proto__init(&req);
	hd__fs_permission_proto__init(&perm);
	hd__fs_permission_proto__init(&unmasked);
	perm.perm = mode;
	unmasked.perm = 0666;
	req.src = (char *)src;
	req.masked = &perm;
	req.unmasked = &unmasked;
	req.clientname = (char *)client;
	req.createflag = HD__CREATE_FLAG_PROTO__CREATE |
	    (overwrite ? HD__CREATE_FLAG_PROTO__OVERWRITE : 0);
	req.createparent = create_parent;
	req.replication = replication;
	req.blocksize = block_size;
	req.n_cryptoprotocolversion = 1;
	req.cryptoprotocolversion = crypto;
	if (nn_call(nn, "create", &req.base,
	    &hd__create_response_proto__descriptor,
	    (ProtobufCMessage **)&resp, err) == -1)
		return nn_map_notfound(err);
	/* As Java's DFSOutputStream, which needs the file id from it. */
	if (resp->fs == NULL || resp->fs->fileid == 0) {
		protobuf_c_message_free_unpacked(&resp->base, NULL);
		return error_set(err, ERR_PROTO, "create %s: the NameNode "
		    "answered without the file's status", src);
	}
	*file_id = resp->fs->fileid;
	protobuf_c_message_free_unpacked(&resp->base, NULL);
	return 0;
}

static void
nn_datanode_to_pb(Hd__DatanodeInfoProto *p, Hd__DatanodeIDProto *id,
    const struct nn_datanode *d)
{
	hd__datanode_info_proto__init(p);
	hd__datanode_idproto__init(id);
	id->ipaddr = d->ip;
	id->hostname = d->host;
	id->datanodeuuid = d->uuid;
	id->xferport = d->xfer_port;
	id->infoport = d->info_port;
	id->ipcport = d->ipc_port;
	id->has_infosecureport = 1;
	id->infosecureport = d->info_secure_port;
	p->id = id;
	p->location = d->location;
}

int
nn_add_block(struct nn *nn, const char *src, const char *client,
    uint64_t file_id, const struct nn_block *previous,
    const struct nn_datanode *exclude, size_t nexclude, struct nn_block *out,
    struct error *err)
{
	Hd__AddBlockRequestProto	 req;
	Hd__ExtendedBlockProto		 prev;
	Hd__DatanodeInfoProto		*ex = NULL, **exp = NULL;
	Hd__DatanodeIDProto		*exid = NULL;
	Hd__AddBlockResponseProto	*resp = NULL;
	unsigned			 attempt;
	size_t				 i;
	int				 rc = -1;

	hd__add_block_request_proto__init(&req);
	req.src = (char *)src;
	req.clientname = (char *)client;
	if (previous != NULL) {
		nn_extended_block(&prev, previous);
		req.previous = &prev;
	}
	if (nexclude > 0) {
		ex = xcalloc(nexclude, sizeof *ex);
		exid = xcalloc(nexclude, sizeof *exid);
		exp = xcalloc(nexclude, sizeof *exp);
		for (i = 0; i < nexclude; i++) {
			nn_datanode_to_pb(&ex[i], &exid[i], &exclude[i]);
			exp[i] = &ex[i];
		}
		req.n_excludenodes = nexclude;
		req.excludenodes = exp;
	}
	if (file_id != 0) {
		req.has_fileid = 1;
		req.fileid = file_id;
	}
	for (attempt = 0;; attempt++) {
		if (nn_call(nn, "addBlock", &req.base,
		    &hd__add_block_response_proto__descriptor,
		    (ProtobufCMessage **)&resp, err) == 0)
			break;
		if (err == NULL || err->code != ERR_REMOTE ||
		    strcmp(err->remote, NN_NOT_REPL) != 0 ||
		    attempt >= NN_LOCATE_RETRIES)
			goto out;
		nn_sleep_ms((uint64_t)NN_LOCATE_DELAY_MS << attempt);
	}
	if (resp->block->n_locs == 0) {
		error_set(err, ERR_PROTO, "addBlock: no DataNode for %s", src);
		goto out;
	}
	rc = nn_block_from_pb(out, resp->block, err);
out:
	if (resp != NULL)
		protobuf_c_message_free_unpacked(&resp->base, NULL);
	free(ex);
	free(exid);
	free(exp);
	return rc;
}

int
nn_complete(struct nn *nn, const char *src, const char *client,
    uint64_t file_id, const struct nn_block *last, struct error *err)
{
	Hd__CompleteRequestProto	 req = HD__COMPLETE_REQUEST_PROTO__INIT;
	Hd__ExtendedBlockProto		 eb;
	Hd__CompleteResponseProto	*resp;
	unsigned			 attempt;
	int				 done;

	req.src = (char *)src;
	req.clientname = (char *)client;
	if (last != NULL) {
		nn_extended_block(&eb, last);
		req.last = &eb;
	}
	if (file_id != 0) {
		req.has_fileid = 1;
		req.fileid = file_id;
	}
	/* false = the last block lacks replicas yet; Java's schedule. */
	for (attempt = 0;; attempt++) {
		if (nn_call(nn, "complete", &req.base,
		    &hd__complete_response_proto__descriptor,
		    (ProtobufCMessage **)&resp, err) == -1)
			return -1;
		done = resp->result;
		protobuf_c_message_free_unpacked(&resp->base, NULL);
		if (done)
			return 0;
		if (attempt >= NN_LOCATE_RETRIES)
			return error_set(err, ERR_LIMIT, "IOException: unable "
			    "to close file %s: the last block does not have "
			    "enough replicas", src);
		nn_sleep_ms((uint64_t)NN_LOCATE_DELAY_MS << attempt);
	}
}

int
nn_abandon_block(struct nn *nn, const char *src, const char *client,
    uint64_t file_id, const struct nn_block *b, struct error *err)
{
	Hd__AbandonBlockRequestProto	 req =
	    HD__ABANDON_BLOCK_REQUEST_PROTO__INIT;
	Hd__ExtendedBlockProto		 eb;
	ProtobufCMessage		*resp;

	nn_extended_block(&eb, b);
	req.b = &eb;
	req.src = (char *)src;
	req.holder = (char *)client;
	if (file_id != 0) {
		req.has_fileid = 1;
		req.fileid = file_id;
	}
	if (nn_call(nn, "abandonBlock", &req.base,
	    &hd__abandon_block_response_proto__descriptor, &resp, err) == -1)
		return -1;
	protobuf_c_message_free_unpacked(resp, NULL);
	return 0;
}

int
nn_rename2(struct nn *nn, const char *src, const char *dst, bool overwrite,
    struct error *err)
{
	Hd__Rename2RequestProto	 req = HD__RENAME2_REQUEST_PROTO__INIT;
	ProtobufCMessage	*resp;

	req.src = (char *)src;
	req.dst = (char *)dst;
	req.overwritedest = overwrite;
	if (nn_call(nn, "rename2", &req.base,
	    &hd__rename2_response_proto__descriptor, &resp, err) == -1)
		return nn_map_notfound(err);
	protobuf_c_message_free_unpacked(resp, NULL);
	return 0;
}

int
nn_delete(struct nn *nn, const char *src, bool recursive, struct error *err)
{
	Hd__DeleteRequestProto	 req = HD__DELETE_REQUEST_PROTO__INIT;
	Hd__DeleteResponseProto	*resp;
	int			 ok;

	req.src = (char *)src;
	req.recursive = recursive;
	if (nn_call(nn, "delete", &req.base,
	    &hd__delete_response_proto__descriptor,
	    (ProtobufCMessage **)&resp, err) == -1)
		return nn_map_notfound(err);
	ok = resp->result;
	protobuf_c_message_free_unpacked(&resp->base, NULL);
	return ok ? 0 : nn_not_found(err, src);
}

int
nn_renew_lease(struct nn *nn, const char *client, struct error *err)
{
	Hd__RenewLeaseRequestProto	 req;
	ProtobufCMessage		*resp;

	hd__renew_lease_request_proto__init(&req);
	req.clientname = (char *)client;
	if (nn_call(nn, "renewLease", &req.base,
	    &hd__renew_lease_response_proto__descriptor, &resp, err) == -1)
		return -1;
	protobuf_c_message_free_unpacked(resp, NULL);
	return 0;
}

int
nn_get_block_locations(struct nn *nn, const char *src, uint64_t offset,
    uint64_t length, struct nn_locations *l, struct error *err)
{
	Hd__GetBlockLocationsRequestProto	 req =
	    HD__GET_BLOCK_LOCATIONS_REQUEST_PROTO__INIT;
	Hd__GetBlockLocationsResponseProto	*resp;
	const Hd__LocatedBlocksProto		*p;
	size_t					 i;

	memset(l, 0, sizeof *l);
	req.src = (char *)src;
	req.offset = offset;
	req.length = length;
	if (nn_call(nn, "getBlockLocations", &req.base,
	    &hd__get_block_locations_response_proto__descriptor,
	    (ProtobufCMessage **)&resp, err) == -1)
		return nn_map_notfound(err);
	if ((p = resp->locations) == NULL) {
		protobuf_c_message_free_unpacked(&resp->base, NULL);
		return nn_not_found(err, src);
	}
	l->file_length = p->filelength;
	l->under_construction = p->underconstruction;
	l->blocks = xcalloc(p->n_blocks + 1, sizeof *l->blocks);
	for (i = 0; i < p->n_blocks; i++) {
		nn_block_from_pb(&l->blocks[i], p->blocks[i], err);
		l->nblocks++;
	}
	protobuf_c_message_free_unpacked(&resp->base, NULL);
	return 0;
}

int
nn_get_fs_stats(struct nn *nn, struct hdfs_fsstats *fs, struct error *err)
{
	Hd__GetFsStatusRequestProto	 req;
	Hd__GetFsStatsResponseProto	*resp;

	hd__get_fs_status_request_proto__init(&req);
	if (nn_call(nn, "getFsStats", &req.base,
	    &hd__get_fs_stats_response_proto__descriptor,
	    (ProtobufCMessage **)&resp, err) == -1)
		return -1;
	memset(fs, 0, sizeof *fs);
	fs->capacity = resp->capacity;
	fs->used = resp->used;
	fs->remaining = resp->remaining;
	fs->under_replicated = resp->under_replicated;
	fs->corrupt_blocks = resp->corrupt_blocks;
	fs->missing_blocks = resp->missing_blocks;
	protobuf_c_message_free_unpacked(&resp->base, NULL);
	return 0;
}
