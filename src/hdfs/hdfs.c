/*
 * The public HDFS client: ties the NameNode calls and the DataNode
 * streams into files.  A writer holds the lease of one file and at most
 * one block pipeline; a reader holds the block list and at most one
 * DataNode stream.  Relative paths are taken under /user/<user>, as
 * Hadoop does.
 */
#include "config.h"

#include "hdfs/hdfs.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/net.h"
#include "base/xmalloc.h"
#include "hdfs/datanode.h"
#include "hdfs/namenode.h"
#include "hdfs/packet.h"
#include "hdfs/rpc.h"
#include "hdfs/sasl_digest.h"

#define HDFS_DEFAULT_PORT	"8020"
#define HDFS_CONNECT_TIMEOUT	5000
#define HDFS_IO_TIMEOUT		60000
#define HDFS_RETRIES		4
/* Renew at half the 60 s soft limit, as Java's LeaseRenewer does. */
#define HDFS_LEASE_RENEW_MS	30000
/* Java: 80 packets in flight (dfs.client.write.max-packets-in-flight). */
#define HDFS_MAX_INFLIGHT	80
/* New blocks whose pipeline fails to open are retried on other nodes. */
#define HDFS_BLOCK_TRIES	3
/*
 * DataNodes that failed a pipeline are left out of new blocks for a
 * while (dfs.client.write.exclude.nodes.cache.expiry.interval.millis).
 */
#define HDFS_EXCLUDE_MAX	8
#define HDFS_EXCLUDE_MS		(10 * 60 * 1000)
#define HDFS_BPC		512

struct hdfs {
	struct nn		*nn;
	char			*user;
	char			*principal;
	char			*keytab;
	char			*nn_principal;
	char			*proxy_user;
	struct rpc_ticket	 ticket;
	char			 client_name[64];
	struct hdfs_options	 o;
	struct nn_defaults	 defaults;
	struct dn_options	 dno;
	struct nn_datanode	 excluded[HDFS_EXCLUDE_MAX];
	uint64_t		 excluded_ms[HDFS_EXCLUDE_MAX];
	size_t			 nexcluded;
};

struct hdfs_writer {
	struct hdfs		*h;
	char			*path;
	uint64_t		 file_id;
	uint64_t		 block_size;
	struct nn_block		 blk;
	bool			 have_blk;
	struct dn_writer	*dw;
	uint64_t		 in_block;
	uint64_t		 total;
	int64_t			 seqno;
	uint64_t		 renewed_ms;
	bool			 broken;
};

struct hdfs_reader {
	struct hdfs		*h;
	char			*path;
	uint64_t		 length;
	uint64_t		 pos;
	struct nn_locations	 locs;
	struct dn_reader	*dr;
	size_t			 blk;		/* dr's block */
	size_t			 loc;		/* and its replica */
};

void
hdfs_options_init(struct hdfs_options *o)
{
	memset(o, 0, sizeof *o);
}

static char *
hdfs_default_user(void)
{
	struct passwd	*pw;
	const char	*env = getenv("HADOOP_USER_NAME");

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	if ((pw = getpwuid(geteuid())) != NULL)
		return xstrdup(pw->pw_name);
	return xasprintf("%lu", (unsigned long)geteuid());
}

/* hdfs.data_transfer_protection as the QOP asked of DataNodes. */
static int
hdfs_qop(int protection)
{
	switch (protection) {
	case HDFS_PROTECT_AUTHENTICATION:
		return SASL_QOP_AUTH;
	case HDFS_PROTECT_INTEGRITY:
		return SASL_QOP_INTEGRITY;
	case HDFS_PROTECT_PRIVACY:
		return SASL_QOP_PRIVACY;
	default:
		return SASL_QOP_NONE;
	}
}

struct hdfs *
hdfs_connect(const struct hdfs_options *o, struct error *err)
{
	struct rpc_options	 ro;
	struct net_addr		*addrs;
	struct hdfs		*h;
	size_t			 naddrs, i, k;

	if (o->namenodes == NULL || *o->namenodes == '\0') {
		error_set(err, ERR_INPUT, "no NameNode given");
		return NULL;
	}
	if ((addrs = net_parse_hostports(o->namenodes, HDFS_DEFAULT_PORT,
	    &naddrs, err)) == NULL)
		return NULL;
	h = xcalloc(1, sizeof *h);
	h->o = *o;
	h->o.namenodes = NULL;
	h->o.user = NULL;
	if (h->o.connect_timeout_ms <= 0)
		h->o.connect_timeout_ms = HDFS_CONNECT_TIMEOUT;
	if (h->o.io_timeout_ms <= 0)
		h->o.io_timeout_ms = HDFS_IO_TIMEOUT;
	if (h->o.retries == 0)
		h->o.retries = HDFS_RETRIES;
	h->user = o->user != NULL && *o->user != '\0' ? xstrdup(o->user) :
	    hdfs_default_user();

	memset(&ro, 0, sizeof ro);
	ro.user = h->user;
	rpc_new_client_id(ro.client_id);
	ro.connect_timeout_ms = h->o.connect_timeout_ms;
	ro.io_timeout_ms = h->o.io_timeout_ms;
	ro.sasl = !o->no_sasl;
	if (o->kerberos) {
		h->principal = o->principal != NULL ?
		    xstrdup(o->principal) : NULL;
		h->keytab = o->keytab != NULL ? xstrdup(o->keytab) : NULL;
		ro.kerberos = true;
		ro.principal = h->principal;
		ro.keytab = h->keytab;
		ro.ticket = &h->ticket;
	}
	if (o->kerberos && o->namenode_principal != NULL &&
	    *o->namenode_principal != '\0') {
		h->nn_principal = xstrdup(o->namenode_principal);
		ro.server_principal = h->nn_principal;
	}
	if (o->proxy_user != NULL && *o->proxy_user != '\0') {
		h->proxy_user = xstrdup(o->proxy_user);
		ro.proxy_user = h->proxy_user;
	}
	h->o.principal = h->o.keytab = h->o.namenode_principal = NULL;
	h->o.proxy_user = NULL;
	/* The lease holder's name: unique per client, like DFSClient_…. */
	i = (size_t)snprintf(h->client_name, sizeof h->client_name,
	    "barge_%d_", (int)getpid());
	for (k = 0; k < 8 && i + 2 < sizeof h->client_name; k++, i += 2)
		snprintf(h->client_name + i, 3, "%02x", ro.client_id[k]);
	h->nn = nn_new(addrs, naddrs, &ro, h->o.retries);
	free(addrs);

	/* The first call proves a NameNode is there and gives defaults. */
	if (nn_get_server_defaults(h->nn, &h->defaults, err) == -1) {
		hdfs_free(h);
		return NULL;
	}
	/*
	 * Relative paths live under the effective user: the proxy user, or
	 * with Kerberos the principal's first component (auth_to_local
	 * DEFAULT), as the NameNode knows us.
	 */
	if (h->proxy_user != NULL) {
		free(h->user);
		h->user = xstrdup(h->proxy_user);
	} else if (o->kerberos && (o->user == NULL || *o->user == '\0') &&
	    h->ticket.principal[0] != '\0') {
		free(h->user);
		h->user = xasprintf("%.*s",
		    (int)strcspn(h->ticket.principal, "/@"),
		    h->ticket.principal);
	}
	h->dno.connect_timeout_ms = h->o.connect_timeout_ms;
	h->dno.io_timeout_ms = h->o.io_timeout_ms;
	h->dno.csum_type = PACKET_CSUM_CRC32C;
	h->dno.bpc = HDFS_BPC;
	h->dno.packet_size = h->defaults.write_packet_size > 0 ?
	    h->defaults.write_packet_size : 65536;
	h->dno.max_inflight = HDFS_MAX_INFLIGHT;
	h->dno.qop = hdfs_qop(o->protection);
	h->dno.use_hostname = o->use_datanode_hostname;
	return h;
}

static void
hdfs_datanode_clear(struct nn_datanode *d)
{
	free(d->ip);
	free(d->host);
	free(d->uuid);
	free(d->location);
	free(d->storage_id);
	memset(d, 0, sizeof *d);
}

/* Forgets excluded DataNodes older than HDFS_EXCLUDE_MS (all: forget). */
static void
hdfs_exclude_prune(struct hdfs *h, bool all)
{
	uint64_t	 now = clock_mono_ms();
	size_t		 i, j;

	for (i = j = 0; i < h->nexcluded; i++) {
		if (all || now - h->excluded_ms[i] > HDFS_EXCLUDE_MS) {
			hdfs_datanode_clear(&h->excluded[i]);
			continue;
		}
		h->excluded[j] = h->excluded[i];
		h->excluded_ms[j++] = h->excluded_ms[i];
	}
	h->nexcluded = j;
}

/* Takes d over (its strings), dropping the oldest entry when full. */
static void
hdfs_exclude_add(struct hdfs *h, struct nn_datanode *d)
{
	size_t	 i;

	for (i = 0; i < h->nexcluded; i++)
		if (strcmp(h->excluded[i].uuid, d->uuid) == 0) {
			h->excluded_ms[i] = clock_mono_ms();
			hdfs_datanode_clear(d);
			return;
		}
	if (h->nexcluded == HDFS_EXCLUDE_MAX) {
		hdfs_datanode_clear(&h->excluded[0]);
		memmove(&h->excluded[0], &h->excluded[1],
		    (HDFS_EXCLUDE_MAX - 1) * sizeof h->excluded[0]);
		memmove(&h->excluded_ms[0], &h->excluded_ms[1],
		    (HDFS_EXCLUDE_MAX - 1) * sizeof h->excluded_ms[0]);
		h->nexcluded--;
	}
	h->excluded[h->nexcluded] = *d;
	h->excluded_ms[h->nexcluded++] = clock_mono_ms();
	memset(d, 0, sizeof *d);
}

void
hdfs_free(struct hdfs *h)
{
	if (h == NULL)
		return;
	hdfs_exclude_prune(h, true);
	nn_free(h->nn);
	free(h->user);
	free(h->principal);
	free(h->keytab);
	free(h->nn_principal);
	free(h->proxy_user);
	free(h);
}

int
hdfs_ticket(const struct hdfs *h, const char **principal,
    int64_t *expiry_ms)
{
	if (h->ticket.principal[0] == '\0')
		return -1;
	*principal = h->ticket.principal;
	*expiry_ms = h->ticket.expiry_ms;
	return 0;
}

const char *
hdfs_user(const struct hdfs *h)
{
	return h->user;
}

const char *
hdfs_namenode(const struct hdfs *h)
{
	return nn_current(h->nn);
}

/* Absolute form of path (heap); relative paths live in /user/<user>. */
static char *
hdfs_abs(const struct hdfs *h, const char *path)
{
	size_t	 n;
	char	*s;

	if (path[0] == '/')
		s = xstrdup(path);
	else if (path[0] == '\0')
		s = xasprintf("/user/%s", h->user);
	else
		s = xasprintf("/user/%s/%s", h->user, path);
	/* Hadoop refuses a trailing slash on anything but the root. */
	n = strlen(s);
	while (n > 1 && s[n - 1] == '/')
		s[--n] = '\0';
	return s;
}

int
hdfs_stat(struct hdfs *h, const char *path, struct hdfs_stat *st,
    struct error *err)
{
	char	*p = hdfs_abs(h, path);
	int	 rc;

	rc = nn_get_file_info(h->nn, p, st, err);
	free(p);
	return rc;
}

int
hdfs_list(struct hdfs *h, const char *path, hdfs_list_fn fn, void *arg,
    struct error *err)
{
	char		*p = hdfs_abs(h, path), *start = xstrdup(""), *last;
	uint32_t	 remaining;
	int		 fnrc = 0, rc = -1;

	for (;;) {
		if (nn_get_listing(h->nn, p, start, fn, arg, &remaining, &last,
		    &fnrc, err) == -1)
			goto out;
		if (fnrc != 0 || last == NULL) {
			free(last);
			break;
		}
		free(start);
		start = last;
		if (remaining == 0)
			break;
	}
	rc = fnrc;
out:
	free(start);
	free(p);
	return rc;
}

int
hdfs_mkdirs(struct hdfs *h, const char *path, uint16_t mode, bool parents,
    struct error *err)
{
	char	*p = hdfs_abs(h, path);
	int	 rc;

	rc = nn_mkdirs(h->nn, p, mode, parents, err);
	free(p);
	return rc;
}

int
hdfs_rename(struct hdfs *h, const char *src, const char *dst,
    bool overwrite, struct error *err)
{
	char	*s = hdfs_abs(h, src), *d = hdfs_abs(h, dst);
	int	 rc;

	rc = nn_rename2(h->nn, s, d, overwrite, err);
	free(s);
	free(d);
	return rc;
}

int
hdfs_delete(struct hdfs *h, const char *path, bool recursive,
    struct error *err)
{
	char	*p = hdfs_abs(h, path);
	int	 rc;

	rc = nn_delete(h->nn, p, recursive, err);
	free(p);
	return rc;
}

int
hdfs_fsstats(struct hdfs *h, struct hdfs_fsstats *fs, struct error *err)
{
	return nn_get_fs_stats(h->nn, fs, err);
}

struct hdfs_writer *
hdfs_create(struct hdfs *h, const char *path, uint16_t mode, int flags,
    struct error *err)
{
	struct hdfs_writer	*w;
	unsigned		 repl;
	uint64_t		 bs;

	bs = h->o.block_size > 0 ? h->o.block_size : h->defaults.block_size;
	repl = h->o.replication > 0 ? h->o.replication :
	    h->defaults.replication;
	if (bs == 0 || bs % HDFS_BPC != 0) {
		error_set(err, ERR_INPUT, "block size %llu is not a multiple "
		    "of %d", (unsigned long long)bs, HDFS_BPC);
		return NULL;
	}
	w = xcalloc(1, sizeof *w);
	w->h = h;
	w->path = hdfs_abs(h, path);
	w->block_size = bs;
	if (nn_create(h->nn, w->path, mode, h->client_name,
	    (flags & HDFS_OVERWRITE) != 0, (flags & HDFS_CREATE_PARENT) != 0,
	    repl, bs, &w->file_id, err) == -1) {
		free(w->path);
		free(w);
		return NULL;
	}
	w->renewed_ms = clock_mono_ms();
	return w;
}

uint64_t
hdfs_writer_length(const struct hdfs_writer *w)
{
	return w->total;
}

/*
 * Allocates the next block and opens its pipeline.  A DataNode that
 * cannot be reached is excluded (here and for later blocks), the block
 * abandoned and another asked for, as Java's DataStreamer does for a new
 * block.
 */
static int
hdfs_writer_next_block(struct hdfs_writer *w, struct error *err)
{
	struct hdfs	*h = w->h;
	struct nn_block	 nb;
	struct error	 e;
	char		 dnwhy[sizeof e.msg], msg[sizeof e.msg];
	int		 bad, tries;

	dnwhy[0] = '\0';
	for (tries = 0; tries < HDFS_BLOCK_TRIES; tries++) {
		hdfs_exclude_prune(h, false);
		if (nn_add_block(h->nn, w->path, h->client_name, w->file_id,
		    w->have_blk ? &w->blk : NULL, h->excluded, h->nexcluded,
		    &nb, err) == -1) {
			/* "No DataNode left" says nothing of why: say it. */
			if (dnwhy[0] != '\0' && err != NULL) {
				snprintf(msg, sizeof msg,
				    "%.500s (excluded %.500s)", err->msg,
				    dnwhy);
				memcpy(err->msg, msg, sizeof err->msg);
			}
			return -1;
		}
		h->dno.block_size = w->block_size;
		w->dw = dn_writer_open(&nb, h->client_name, &h->dno, w->seqno,
		    &bad, err);
		if (w->dw != NULL) {
			if (w->have_blk)
				nn_block_clear(&w->blk);
			w->blk = nb;
			w->have_blk = true;
			w->in_block = 0;
			return 0;
		}
		if (err != NULL)
			snprintf(dnwhy, sizeof dnwhy, "%s", err->msg);
		nn_abandon_block(h->nn, w->path, h->client_name, w->file_id,
		    &nb, &e);
		if (bad >= 0 && (size_t)bad < nb.nlocs)
			hdfs_exclude_add(h, &nb.locs[bad]);
		nn_block_clear(&nb);
		if (bad < 0)
			break;
	}
	return -1;
}

/* Ends the current block: last packet acked, length known. */
static int
hdfs_writer_end_block(struct hdfs_writer *w, struct error *err)
{
	/* On failure dw stays, for the caller to abandon its block. */
	if (dn_writer_finish(w->dw, err) == -1)
		return -1;
	w->blk.num_bytes = dn_writer_acked(w->dw);
	w->seqno = dn_writer_seqno(w->dw);
	dn_writer_free(w->dw);
	w->dw = NULL;
	return 0;
}

int
hdfs_write(struct hdfs_writer *w, const void *p, size_t n, struct error *err)
{
	struct nn_datanode	 d;
	struct error		 e;
	const char		*s = p;
	uint64_t		 now;
	size_t			 k;
	int			 bad;

	if (w->broken)
		return error_set(err, ERR_INPUT, "writer failed before");
	now = clock_mono_ms();
	if (now - w->renewed_ms >= HDFS_LEASE_RENEW_MS) {
		if (nn_renew_lease(w->h->nn, w->h->client_name, err) == -1)
			goto fail;
		w->renewed_ms = now;
	}
	while (n > 0) {
		if (w->dw == NULL && hdfs_writer_next_block(w, err) == -1)
			goto fail;
		k = (size_t)MIN((uint64_t)n, w->block_size - w->in_block);
		if (dn_writer_write(w->dw, s, k, err) == -1)
			goto fail;
		w->in_block += k;
		w->total += k;
		s += k;
		n -= k;
		if (w->in_block == w->block_size &&
		    hdfs_writer_end_block(w, err) == -1)
			goto fail;
	}
	return 0;
fail:
	w->broken = true;
	if (w->dw != NULL) {
		/* No pipeline recovery: give the block up at once. */
		bad = dn_writer_bad_node(w->dw);
		if (bad >= 0 && (size_t)bad < w->blk.nlocs) {
			nn_datanode_copy(&d, &w->blk.locs[bad]);
			hdfs_exclude_add(w->h, &d);
		}
		dn_writer_free(w->dw);
		w->dw = NULL;
		nn_abandon_block(w->h->nn, w->path, w->h->client_name,
		    w->file_id, &w->blk, &e);
	}
	return -1;
}

int
hdfs_writer_close(struct hdfs_writer *w, struct error *err)
{
	int	 rc = -1;

	if (w->broken) {
		error_set(err, ERR_INPUT, "writer failed before");
		hdfs_writer_abort(w);
		return -1;
	}
	if (w->dw != NULL && hdfs_writer_end_block(w, err) == -1) {
		w->broken = true;
		hdfs_writer_abort(w);
		return -1;
	}
	rc = nn_complete(w->h->nn, w->path, w->h->client_name, w->file_id,
	    w->have_blk ? &w->blk : NULL, err);
	if (w->have_blk)
		nn_block_clear(&w->blk);
	free(w->path);
	free(w);
	return rc;
}

void
hdfs_writer_abort(struct hdfs_writer *w)
{
	struct error	 e;

	if (w == NULL)
		return;
	if (w->dw != NULL) {
		dn_writer_free(w->dw);
		w->dw = NULL;
		nn_abandon_block(w->h->nn, w->path, w->h->client_name,
		    w->file_id, &w->blk, &e);
	}
	nn_delete(w->h->nn, w->path, false, &e);
	if (w->have_blk)
		nn_block_clear(&w->blk);
	free(w->path);
	free(w);
}

struct hdfs_reader *
hdfs_open(struct hdfs *h, const char *path, struct error *err)
{
	struct hdfs_reader	*r;
	struct hdfs_stat	 st;

	r = xcalloc(1, sizeof *r);
	r->h = h;
	r->path = hdfs_abs(h, path);
	if (nn_get_file_info(h->nn, r->path, &st, err) == -1)
		goto fail;
	if (st.is_dir) {
		error_remote(err, "java.io.FileNotFoundException",
		    "FileNotFoundException: Path is not a file: %s", r->path);
		err->code = ERR_INPUT;
		goto fail;
	}
	r->length = st.length;
	if (r->length > 0 && nn_get_block_locations(h->nn, r->path, 0,
	    r->length, &r->locs, err) == -1)
		goto fail;
	return r;
fail:
	free(r->path);
	free(r);
	return NULL;
}

uint64_t
hdfs_reader_length(const struct hdfs_reader *r)
{
	return r->length;
}

/* Finds the block holding pos, asking the NameNode again if needed. */
static int
hdfs_reader_find(struct hdfs_reader *r, struct error *err)
{
	const struct nn_block	*b;
	size_t			 i;
	int			 again;

	for (again = 0; again < 2; again++) {
		for (i = 0; i < r->locs.nblocks; i++) {
			b = &r->locs.blocks[i];
			if (b->offset <= r->pos &&
			    r->pos < b->offset + b->num_bytes) {
				r->blk = i;
				return 0;
			}
		}
		nn_locations_clear(&r->locs);
		if (nn_get_block_locations(r->h->nn, r->path, r->pos,
		    r->length - r->pos, &r->locs, err) == -1)
			return -1;
	}
	return error_set(err, ERR_PROTO, "no block holds offset %llu",
	    (unsigned long long)r->pos);
}

ssize_t
hdfs_read(struct hdfs_reader *r, void *p, size_t n, struct error *err)
{
	const struct nn_block	*b;
	struct error		 e;
	ssize_t			 got;
	uint64_t		 off;
	char			 tail[1];

	for (;;) {
		if (r->pos >= r->length && r->dr != NULL) {
			/* Take the last packet: the DataNode hears OK. */
			dn_reader_read(r->dr, tail, 0, &e);
			dn_reader_free(r->dr);
			r->dr = NULL;
		}
		if (r->pos >= r->length || n == 0)
			return 0;
		if (r->dr == NULL) {
			if (hdfs_reader_find(r, err) == -1)
				goto fail;
			b = &r->locs.blocks[r->blk];
			if (b->nlocs == 0) {
				error_set(err, ERR_PROTO, "block %llu has no "
				    "replica", (unsigned long long)b->id);
				goto fail;
			}
			off = r->pos - b->offset;
			for (; r->loc < b->nlocs; r->loc++) {
				r->dr = dn_reader_open(b, r->loc, off,
				    b->num_bytes - off, r->h->client_name,
				    &r->h->dno, err);
				if (r->dr != NULL)
					break;
			}
			if (r->dr == NULL)
				goto fail;
		}
		got = dn_reader_read(r->dr, p, n, err);
		if (got > 0) {
			r->pos += (uint64_t)got;
			return got;
		}
		dn_reader_free(r->dr);
		r->dr = NULL;
		if (got == 0) {
			r->loc = 0;
			continue;
		}
		/* This replica failed: go on from pos with the next one. */
		b = &r->locs.blocks[r->blk];
		if (++r->loc >= b->nlocs)
			goto fail;
	}
fail:
	return -1;
}

void
hdfs_reader_close(struct hdfs_reader *r)
{
	if (r == NULL)
		return;
	dn_reader_free(r->dr);
	nn_locations_clear(&r->locs);
	free(r->path);
	free(r);
}
