/*
 * The NameNode's namespace and the ClientProtocol methods minidfs serves.
 * Everything here runs under ns_lock.  Error texts follow a Hadoop 3.3.2
 * NameNode (see the captures in the fact sheet's INDEX); a client should
 * not be able to tell the difference for the calls it makes.
 */
#include "config.h"

#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/hmap.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "hdfs/proto/namenode.pb-c.h"

#include "minidfs.h"

#define NS_ROOT_ID	16385
#define NS_MAXDEPTH	128
#define NS_DN_CAPACITY	107374182400ULL	/* 100 GiB per DataNode */
#define NS_CLIENT_ADDR	"127.0.0.1"

enum ns_bstate {
	BLK_UC,			/* allocated, being written */
	BLK_COMMITTED,		/* length reported by the client */
	BLK_COMPLETE,		/* committed and a replica of that length */
};

struct ns_inode;

struct ns_block {
	uint64_t	 id;
	uint64_t	 gs;
	uint64_t	 len;		/* committed length */
	uint64_t	 synced;	/* fsync'ed length while UC */
	enum ns_bstate	 state;
	int		 pipeline[MDFS_MAXDN];
	int		 npipeline;
	bool		 replica[MDFS_MAXDN];
	uint64_t	 replica_len[MDFS_MAXDN];
	struct ns_inode	*file;
};

struct ns_inode {
	uint64_t	  id;
	char		 *name;
	bool		  dir;
	uint32_t	  perm;
	char		 *owner;
	char		 *group;
	uint64_t	  mtime;
	uint64_t	  atime;
	struct ns_inode	 *parent;
	struct ns_inode	**kids;		/* sorted by name, bytewise */
	size_t		  nkids;
	uint32_t	  repl;
	uint64_t	  blocksize;
	struct ns_block	**blocks;
	size_t		  nblocks;
	char		 *holder;	/* lease holder while open for write */
};

/* A client's lease: renewed by create and renewLease, over all its files. */
struct ns_lease {
	char		*holder;
	uint64_t	 renewed;	/* clock_mono_ms() */
	unsigned	 nfiles;
	struct ns_lease	*next;
};

struct ns_path {
	char	 buf[PATH_MAX];
	char	*c[NS_MAXDEPTH];
	size_t	 n;
};

static pthread_mutex_t	 ns_mu = PTHREAD_MUTEX_INITIALIZER;
static struct ns_inode	*ns_root;
static struct hmap	*ns_blocks;
static uint64_t		 ns_next_inode = NS_ROOT_ID;
static uint64_t		 ns_next_block = 1073741825;
static uint64_t		 ns_gs = 1000;
static uint64_t		 ns_used[MDFS_MAXDN];
static unsigned		 ns_nry_left;
static unsigned		 ns_false_left;
static unsigned		 ns_retriable_left;
static struct ns_lease	*ns_leases;
static int		 ns_active_nn;
static unsigned		 ns_served_calls;

static struct ns_inode *
ns_inode_new(struct ns_inode *parent, const char *name, bool dir,
    uint32_t perm, const char *owner)
{
	struct ns_inode	*n = xcalloc(1, sizeof *n);
	uint64_t	 now = (uint64_t)clock_wall_ms();

	n->id = ns_next_inode++;
	n->name = xstrdup(name);
	n->dir = dir;
	n->perm = perm & 07777;
	n->owner = xstrdup(owner);
	n->group = xstrdup(parent != NULL ? parent->group : mdfs.group);
	n->mtime = now;
	n->atime = dir ? 0 : now;
	return n;
}

void
ns_init(void)
{
	ns_blocks = hmap_new();
	ns_root = ns_inode_new(NULL, "", true, 0755, mdfs.owner);
	ns_nry_left = mdfs.not_replicated_yet;
	ns_false_left = mdfs.complete_false;
	ns_retriable_left = mdfs.retriable;
}

void
ns_lock(void)
{
	pthread_mutex_lock(&ns_mu);
}

void
ns_unlock(void)
{
	pthread_mutex_unlock(&ns_mu);
}

/*
 * A valid HDFS path is absolute with no ".", ".." or ':' components and
 * no empty ones except a trailing slash (DFSUtil.isValidName).
 */
static int
ns_parse(const char *src, struct ns_path *p, struct exc *e)
{
	char	*s, *slash;

	p->n = 0;
	if (src[0] != '/' || strlen(src) >= sizeof p->buf)
		goto bad;
	strcpy(p->buf, src);
	s = p->buf + 1;
	while (*s != '\0') {
		if ((slash = strchr(s, '/')) != NULL)
			*slash = '\0';
		if (*s == '\0' || strcmp(s, ".") == 0 || strcmp(s, "..") == 0 ||
		    strchr(s, ':') != NULL || p->n == NS_MAXDEPTH)
			goto bad;
		p->c[p->n++] = s;
		if (slash == NULL)
			break;
		s = slash + 1;
	}
	return 0;
bad:
	return exc_throw(e, EXC_BADPATH, "Invalid path name Invalid file name: "
	    "%s", src);
}

static size_t
ns_find(const struct ns_inode *dir, const char *name, bool *found)
{
	size_t	 lo = 0, hi = dir->nkids, mid;
	int	 c;

	*found = false;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = strcmp(dir->kids[mid]->name, name);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct ns_inode *
ns_child(const struct ns_inode *dir, const char *name)
{
	bool	 found;
	size_t	 i = ns_find(dir, name, &found);

	return found ? dir->kids[i] : NULL;
}

static void
ns_link(struct ns_inode *dir, struct ns_inode *n)
{
	bool	 found;
	size_t	 i = ns_find(dir, n->name, &found);

	dir->kids = xreallocarray(dir->kids, dir->nkids + 1, sizeof *dir->kids);
	memmove(dir->kids + i + 1, dir->kids + i,
	    (dir->nkids - i) * sizeof *dir->kids);
	dir->kids[i] = n;
	dir->nkids++;
	n->parent = dir;
	dir->mtime = (uint64_t)clock_wall_ms();
}

static void
ns_unlink(struct ns_inode *n)
{
	struct ns_inode	*dir = n->parent;
	bool		 found;
	size_t		 i = ns_find(dir, n->name, &found);

	if (!found)
		fatalx("ns_unlink: %s is not in its folder", n->name);
	memmove(dir->kids + i, dir->kids + i + 1,
	    (dir->nkids - i - 1) * sizeof *dir->kids);
	dir->nkids--;
	n->parent = NULL;
	dir->mtime = (uint64_t)clock_wall_ms();
}

/*
 * Follows the path as far as it exists: returns the deepest inode found
 * and sets *depth to the number of components it covers.  Stops at a
 * file even if components remain.
 */
static struct ns_inode *
ns_walk(const struct ns_path *p, size_t *depth)
{
	struct ns_inode	*n = ns_root, *k;
	size_t		 i;

	for (i = 0; i < p->n; i++) {
		if (!n->dir || (k = ns_child(n, p->c[i])) == NULL)
			break;
		n = k;
	}
	*depth = i;
	return n;
}

static struct ns_inode *
ns_lookup(const struct ns_path *p)
{
	size_t		 depth;
	struct ns_inode	*n = ns_walk(p, &depth);

	return depth == p->n ? n : NULL;
}

/* The path of the first depth components, for messages. */
static const char *
ns_prefix(const struct ns_path *p, size_t depth, char *out, size_t len)
{
	size_t	 i, used = 0;

	if (depth == 0)
		return "/";
	out[0] = '\0';
	for (i = 0; i < depth && used < len; i++)
		used += (size_t)snprintf(out + used, len - used, "/%s",
		    p->c[i]);
	return out;
}

static struct ns_lease **
ns_lease_find(const char *holder)
{
	struct ns_lease	**l;

	for (l = &ns_leases; *l != NULL; l = &(*l)->next)
		if (strcmp((*l)->holder, holder) == 0)
			break;
	return l;
}

/* A new file for holder: it gets (or renews) a lease. */
static void
ns_lease_add(const char *holder)
{
	struct ns_lease	**l = ns_lease_find(holder);

	if (*l == NULL) {
		*l = xcalloc(1, sizeof **l);
		(*l)->holder = xstrdup(holder);
	}
	(*l)->renewed = clock_mono_ms();
	(*l)->nfiles++;
}

/* One of holder's files was closed or removed. */
static void
ns_lease_release(const char *holder)
{
	struct ns_lease	**l = ns_lease_find(holder), *dead;

	if (*l == NULL || --(*l)->nfiles > 0)
		return;
	dead = *l;
	*l = dead->next;
	free(dead->holder);
	free(dead);
}

/* Closes a file for writing; the caller owns the lease bookkeeping. */
static void
ns_close_file(struct ns_inode *f)
{
	free(f->holder);
	f->holder = NULL;
	f->mtime = (uint64_t)clock_wall_ms();
}

static void
ns_block_drop(struct ns_block *b)
{
	int	 i;

	for (i = 0; i < mdfs.ndn; i++) {
		if (!b->replica[i])
			continue;
		ns_used[i] -= b->replica_len[i];
		dn_delete_replica(&mdfs.dn[i], b->id);
	}
	hmap_del(ns_blocks, &b->id, sizeof b->id);
	free(b);
}

static void
ns_inode_free(struct ns_inode *n)
{
	size_t	 i;

	for (i = 0; i < n->nkids; i++)
		ns_inode_free(n->kids[i]);
	for (i = 0; i < n->nblocks; i++)
		ns_block_drop(n->blocks[i]);
	free(n->kids);
	free(n->blocks);
	free(n->name);
	free(n->owner);
	free(n->group);
	if (n->holder != NULL)
		ns_lease_release(n->holder);
	free(n->holder);
	free(n);
}

/* Length of the blocks a reader may see: all but an unfinished last one. */
static uint64_t
ns_file_length(const struct ns_inode *n)
{
	uint64_t	 len = 0;
	size_t		 i;

	for (i = 0; i < n->nblocks; i++)
		if (n->blocks[i]->state != BLK_UC)
			len += n->blocks[i]->len;
	return len;
}

static uint64_t
ns_block_offset(const struct ns_inode *n, const struct ns_block *b)
{
	uint64_t	 off = 0;
	size_t		 i;

	for (i = 0; i < n->nblocks && n->blocks[i] != b; i++)
		off += n->blocks[i]->len;
	return off;
}

static const char *
ns_blockname(const struct ns_block *b, char *out, size_t len)
{
	snprintf(out, len, "%s:blk_%llu_%llu", mdfs.pool_id,
	    (unsigned long long)b->id, (unsigned long long)b->gs);
	return out;
}

static void
ns_try_complete(struct ns_block *b)
{
	int	 i;

	if (b->state != BLK_COMMITTED)
		return;
	for (i = 0; i < mdfs.ndn; i++)
		if (b->replica[i] && b->replica_len[i] == b->len) {
			b->state = BLK_COMPLETE;
			return;
		}
}

void
ns_replica_finalized(int dn, uint64_t blockid, uint64_t gs, uint64_t len)
{
	struct ns_block	*b;

	ns_lock();
	b = hmap_get(ns_blocks, &blockid, sizeof blockid);
	if (b != NULL && b->gs == gs) {
		if (b->replica[dn])
			ns_used[dn] -= b->replica_len[dn];
		b->replica[dn] = true;
		b->replica_len[dn] = len;
		ns_used[dn] += len;
		ns_try_complete(b);
	}
	ns_unlock();
}

/*
 * Lease recovery for a holder past the hard limit, as the NameNode does
 * it on its own: the last block keeps what a DataNode finalized (or goes
 * if none did) and the file is closed.  The writer's next call then
 * finds it "not open for writing".
 */
static void
ns_recover(struct ns_inode *n, const char *holder)
{
	struct ns_block	*last;
	size_t		 i;
	int		 d;
	bool		 any = false;
	uint64_t	 len = 0;

	for (i = 0; i < n->nkids; i++)
		ns_recover(n->kids[i], holder);
	if (n->dir || n->holder == NULL || strcmp(n->holder, holder) != 0)
		return;
	last = n->nblocks > 0 ? n->blocks[n->nblocks - 1] : NULL;
	if (last != NULL && last->state == BLK_UC) {
		for (d = 0; d < mdfs.ndn; d++)
			if (last->replica[d] && (!any ||
			    last->replica_len[d] < len)) {
				len = last->replica_len[d];
				any = true;
			}
		if (any) {
			last->len = len;
			last->state = BLK_COMMITTED;
			ns_try_complete(last);
		} else {
			n->nblocks--;
			ns_block_drop(last);
		}
	}
	mlog("lease expired holder=%s file=%s blocks=%zu", holder, n->name,
	    n->nblocks);
	ns_close_file(n);
}

int
ns_active(void)
{
	return ns_active_nn;
}

void
ns_served(void)
{
	if (mdfs.failover_after == 0 ||
	    ++ns_served_calls % mdfs.failover_after != 0)
		return;
	ns_active_nn = (ns_active_nn + 1) % mdfs.nnn;
	mlog("failover: nn%d is active", ns_active_nn);
}

void
ns_expire_leases(void)
{
	struct ns_lease	**l = &ns_leases, *dead;
	uint64_t	  now = clock_mono_ms();

	while (*l != NULL) {
		if (now - (*l)->renewed <= mdfs.lease_hard_ms) {
			l = &(*l)->next;
			continue;
		}
		dead = *l;
		*l = dead->next;
		ns_recover(ns_root, dead->holder);
		free(dead->holder);
		free(dead);
	}
}

/*
 * Permissions, as FSPermissionChecker applies them: the superuser (the
 * owner of "/" and members of its group, the "supergroup") passes;
 * others need x on every directory above the target and the access each
 * method asks of the target, its parent or its nearest ancestor.  Group
 * membership comes from this host's user database, as Hadoop's default
 * group mapping does.
 */
#define NS_R	4
#define NS_W	2
#define NS_X	1

static bool
ns_in_group(const char *user, const char *group)
{
	struct passwd	 pw, *pwp;
	struct group	 gr, *grp;
	gid_t		 gids[64];
	char		 pbuf[4096], gbuf[4096];
	int		 n = (int)nitems(gids), i;

	if (getpwnam_r(user, &pw, pbuf, sizeof pbuf, &pwp) != 0 ||
	    pwp == NULL)
		return false;
	if (getgrouplist(user, pw.pw_gid, gids, &n) == -1)
		n = (int)nitems(gids);
	for (i = 0; i < n; i++)
		if (getgrgid_r(gids[i], &gr, gbuf, sizeof gbuf, &grp) == 0 &&
		    grp != NULL && strcmp(gr.gr_name, group) == 0)
			return true;
	return false;
}

static bool
ns_super(const struct ns_call *c)
{
	return !mdfs.permissions || strcmp(c->user, mdfs.owner) == 0 ||
	    ns_in_group(c->user, mdfs.group);
}

static const char *
ns_path_of(const struct ns_inode *n, char *out, size_t len)
{
	char	 tmp[PATH_MAX];

	if (n->parent == NULL)
		return snprintf(out, len, "/"), out;
	out[0] = '\0';
	for (; n->parent != NULL; n = n->parent) {
		/* Paths longer than PATH_MAX cannot be made by any client. */
		if ((size_t)snprintf(tmp, sizeof tmp, "/%s%s", n->name, out) >=
		    sizeof tmp)
			break;
		snprintf(out, len, "%s", tmp);
	}
	return out;
}

static void
ns_mode_string(const struct ns_inode *n, char out[11])
{
	static const char	 rwx[] = "rwxrwxrwx";
	int			 i;

	out[0] = n->dir ? 'd' : '-';
	for (i = 0; i < 9; i++)
		out[i + 1] = (n->perm & (0400 >> i)) != 0 ? rwx[i] : '-';
	if ((n->perm & 01000) != 0)
		out[9] = (n->perm & 1) != 0 ? 't' : 'T';
	out[10] = '\0';
}

static int
ns_access(struct ns_call *c, const struct ns_inode *n, int want)
{
	static const char *const names[] = { "NONE", "EXECUTE", "WRITE",
	    "WRITE_EXECUTE", "READ", "READ_EXECUTE", "READ_WRITE", "ALL" };
	char	 path[PATH_MAX], mode[11];
	int	 have;

	if (ns_super(c))
		return 0;
	if (strcmp(c->user, n->owner) == 0)
		have = (n->perm >> 6) & 7;
	else if (ns_in_group(c->user, n->group))
		have = (n->perm >> 3) & 7;
	else
		have = n->perm & 7;
	if ((have & want) == want)
		return 0;
	ns_mode_string(n, mode);
	return exc_throw(c->exc, "org.apache.hadoop.security."
	    "AccessControlException", "Permission denied: user=%s, access=%s, "
	    "inode=\"%s\":%s:%s:%s", c->user, names[want],
	    ns_path_of(n, path, sizeof path), n->owner, n->group, mode);
}

/* x on root and every existing directory above the last component. */
static int
ns_traverse(struct ns_call *c, const struct ns_path *p)
{
	struct ns_inode	*n = ns_root;
	size_t		 i;

	for (i = 0; i < p->n; i++) {
		if (!n->dir)
			return 0;
		if (ns_access(c, n, NS_X) == -1)
			return -1;
		if (i + 1 == p->n || (n = ns_child(n, p->c[i])) == NULL)
			return 0;
	}
	return 0;
}

/* want on the nearest existing ancestor of p's last component. */
static int
ns_ancestor_access(struct ns_call *c, const struct ns_path *p, int want)
{
	struct ns_path	 q = *p;
	struct ns_inode	*n;
	size_t		 depth;

	if (q.n == 0)
		return 0;
	q.n--;
	n = ns_walk(&q, &depth);
	return n->dir ? ns_access(c, n, want) : 0;
}

/* want on every directory of the subtree (a recursive delete needs ALL). */
static int
ns_sub_access(struct ns_call *c, const struct ns_inode *n, int want)
{
	size_t	 i;

	if (!n->dir)
		return 0;
	if (ns_access(c, n, want) == -1)
		return -1;
	for (i = 0; i < n->nkids; i++)
		if (ns_sub_access(c, n->kids[i], want) == -1)
			return -1;
	return 0;
}

/* Reply building. */

static Hd__HdfsFileStatusProto *
ns_status(struct ns_call *c, const struct ns_inode *n, const char *name)
{
	Hd__HdfsFileStatusProto	*s;
	Hd__FsPermissionProto	*perm;

	s = ARENA_NEW(c->arena, Hd__HdfsFileStatusProto,
	    HD__HDFS_FILE_STATUS_PROTO__INIT);
	perm = ARENA_NEW(c->arena, Hd__FsPermissionProto,
	    HD__FS_PERMISSION_PROTO__INIT);
	perm->perm = n->perm;
	s->filetype = n->dir ? HD__HDFS_FILE_STATUS_PROTO__FILE_TYPE__IS_DIR :
	    HD__HDFS_FILE_STATUS_PROTO__FILE_TYPE__IS_FILE;
	s->path.data = (uint8_t *)arena_strdup(c->arena, name);
	s->path.len = strlen(name);
	s->length = n->dir ? 0 : ns_file_length(n);
	s->permission = perm;
	s->owner = arena_strdup(c->arena, n->owner);
	s->group = arena_strdup(c->arena, n->group);
	s->modification_time = n->mtime;
	s->access_time = n->atime;
	s->has_block_replication = 1;
	s->block_replication = n->dir ? 0 : n->repl;
	s->has_blocksize = 1;
	s->blocksize = n->dir ? 0 : n->blocksize;
	s->has_fileid = 1;
	s->fileid = n->id;
	s->has_childrennum = 1;
	s->childrennum = n->dir ? (int32_t)n->nkids : 0;
	s->has_storagepolicy = 1;
	s->storagepolicy = 0;
	s->has_flags = 1;
	/* The real root is snapshottable. */
	s->flags = n == ns_root ? 8 : 0;
	return s;
}

static Hd__TokenProto *
ns_token(struct ns_call *c, uint64_t blockid)
{
	Hd__TokenProto	*t = ARENA_NEW(c->arena, Hd__TokenProto,
	    HD__TOKEN_PROTO__INIT);

	/* Block access tokens come with data transfer protection. */
	if (mdfs.dt_sasl) {
		mdsasl_token(c->arena, blockid, t);
		return t;
	}
	t->identifier.data = (uint8_t *)"";
	t->password.data = (uint8_t *)"";
	t->kind = "";
	t->service = "";
	return t;
}

static Hd__DatanodeInfoProto *
ns_dninfo(struct ns_call *c, int i)
{
	Hd__DatanodeInfoProto	*d;
	Hd__DatanodeIDProto	*id;
	uint64_t		 now = (uint64_t)clock_wall_ms();

	id = ARENA_NEW(c->arena, Hd__DatanodeIDProto,
	    HD__DATANODE_IDPROTO__INIT);
	id->ipaddr = (char *)mdfs.dn_ip;
	id->hostname = (char *)mdfs.dn_hostname;
	id->datanodeuuid = mdfs.dn[i].uuid;
	id->xferport = mdfs.dn[i].port;
	id->infoport = 0;
	id->ipcport = 0;
	id->has_infosecureport = 1;
	d = ARENA_NEW(c->arena, Hd__DatanodeInfoProto,
	    HD__DATANODE_INFO_PROTO__INIT);
	d->id = id;
	d->has_capacity = d->has_dfsused = d->has_remaining = 1;
	d->has_blockpoolused = d->has_lastupdate = d->has_xceivercount = 1;
	d->has_nondfsused = d->has_adminstate = 1;
	d->has_cachecapacity = d->has_cacheused = 1;
	d->has_lastupdatemonotonic = d->has_lastblockreporttime = 1;
	d->has_lastblockreportmonotonic = d->has_numblocks = 1;
	d->capacity = NS_DN_CAPACITY;
	d->dfsused = ns_used[i];
	d->remaining = NS_DN_CAPACITY - ns_used[i];
	d->blockpoolused = ns_used[i];
	d->lastupdate = now;
	d->location = "/default-rack";
	d->lastupdatemonotonic = clock_mono_ms();
	d->lastblockreporttime = now;
	d->lastblockreportmonotonic = clock_mono_ms();
	return d;
}

/* forwrite: the pipeline as allocated; else the finalized replicas. */
static Hd__LocatedBlockProto *
ns_located(struct ns_call *c, const struct ns_block *b, uint64_t offset,
    bool forwrite)
{
	Hd__LocatedBlockProto	*lb;
	Hd__ExtendedBlockProto	*eb;
	int			 locs[MDFS_MAXDN], n = 0, i;

	eb = ARENA_NEW(c->arena, Hd__ExtendedBlockProto,
	    HD__EXTENDED_BLOCK_PROTO__INIT);
	eb->poolid = mdfs.pool_id;
	eb->blockid = b->id;
	eb->generationstamp = b->gs;
	eb->has_numbytes = 1;
	eb->numbytes = forwrite ? 0 : b->state == BLK_UC ? b->synced : b->len;
	if (!forwrite)
		for (i = 0; i < mdfs.ndn; i++)
			if (b->replica[i])
				locs[n++] = i;
	if (n == 0)
		for (i = 0; i < b->npipeline; i++)
			locs[n++] = b->pipeline[i];
	lb = ARENA_NEW(c->arena, Hd__LocatedBlockProto,
	    HD__LOCATED_BLOCK_PROTO__INIT);
	lb->b = eb;
	lb->offset = offset;
	lb->corrupt = 0;
	lb->blocktoken = ns_token(c, b->id);
	lb->n_locs = lb->n_iscached = lb->n_storagetypes = lb->n_storageids =
	    (size_t)n;
	lb->locs = arena_alloc(c->arena, (size_t)n * sizeof *lb->locs);
	lb->iscached = arena_alloc(c->arena, (size_t)n * sizeof *lb->iscached);
	lb->storagetypes = arena_alloc(c->arena,
	    (size_t)n * sizeof *lb->storagetypes);
	lb->storageids = arena_alloc(c->arena,
	    (size_t)n * sizeof *lb->storageids);
	for (i = 0; i < n; i++) {
		lb->locs[i] = ns_dninfo(c, locs[i]);
		lb->storagetypes[i] = HD__STORAGE_TYPE_PROTO__DISK;
		lb->storageids[i] = mdfs.dn[locs[i]].storage;
	}
	return lb;
}

/* Checks common to the calls that change the namespace. */

static const char *
ns_safemode_tip(void)
{
	return ". Name node is in safe mode.\nIt was turned on manually. "
	    "Use \"hdfs dfsadmin -safemode leave\" to turn safe mode off.";
}

/*
 * A NameNode of an HA pair still in its startup safe mode wraps the
 * SafeModeException in a RetriableException: the client should wait and
 * call again (--retriable N does that to the first N changes).
 */
static int
ns_safemode(struct ns_call *c, const char *what, const char *arg)
{
	if (ns_retriable_left > 0) {
		ns_retriable_left--;
		return exc_throw(c->exc, EXC_RETRIABLE, "%s: %s%s. Name node "
		    "is in safe mode.\nThe reported blocks 0 needs additional "
		    "1 blocks to reach the threshold 0.9990 of total blocks 1.",
		    EXC_SAFEMODE, what, arg);
	}
	if (!mdfs.safe_mode)
		return 0;
	return exc_throw(c->exc, EXC_SAFEMODE, "%s%s%s", what, arg,
	    ns_safemode_tip());
}

/*
 * FSNamesystem.checkLease: the file must exist, be a file, be open for
 * writing, and be held by holder.
 */
static struct ns_inode *
ns_check_lease(struct ns_call *c, const char *src, const char *holder,
    uint64_t fileid)
{
	struct ns_path	 p;
	struct ns_inode	*n;
	char		 tail[PATH_MAX + 256];

	if (ns_parse(src, &p, c->exc) == -1)
		return NULL;
	snprintf(tail, sizeof tail, "%s (inode %llu) Holder %s does not have "
	    "any open files.", src, (unsigned long long)fileid, holder);
	if ((n = ns_lookup(&p)) == NULL) {
		exc_throw(c->exc, EXC_FNF, "File does not exist: %s", tail);
		return NULL;
	}
	if (n->dir) {
		exc_throw(c->exc, EXC_LEASE, "INode is not a regular file: %s",
		    tail);
		return NULL;
	}
	if (n->holder == NULL) {
		exc_throw(c->exc, EXC_LEASE, "File is not open for writing: %s",
		    tail);
		return NULL;
	}
	if (strcmp(n->holder, holder) != 0) {
		exc_throw(c->exc, EXC_LEASE, "Client (=%s) is not the lease "
		    "owner (=%s: %s", holder, n->holder, tail);
		return NULL;
	}
	return n;
}

static bool
ns_same_block(const Hd__ExtendedBlockProto *eb, const struct ns_block *b)
{
	return eb != NULL && b != NULL && eb->blockid == b->id &&
	    eb->generationstamp == b->gs;
}

static int
ns_check_pool(struct ns_call *c, const Hd__ExtendedBlockProto *eb)
{
	if (eb != NULL && strcmp(eb->poolid, mdfs.pool_id) != 0)
		return exc_throw(c->exc, EXC_IO, "Unexpected BlockPoolId %s - "
		    "expected %s", eb->poolid, mdfs.pool_id);
	return 0;
}

static void
ns_commit(struct ns_block *b, const Hd__ExtendedBlockProto *eb)
{
	if (b->state == BLK_UC) {
		b->len = eb->numbytes;
		b->state = BLK_COMMITTED;
	}
	ns_try_complete(b);
}

/* The methods. */

static int
ns_get_data_encryption_key(struct ns_call *c,
    const ProtobufCMessage *req UNUSED, ProtobufCMessage **resp)
{
	*resp = (ProtobufCMessage *)ARENA_NEW(c->arena,
	    Hd__GetDataEncryptionKeyResponseProto,
	    HD__GET_DATA_ENCRYPTION_KEY_RESPONSE_PROTO__INIT);
	return 0;
}

static int
ns_get_server_defaults(struct ns_call *c, const ProtobufCMessage *req UNUSED,
    ProtobufCMessage **resp)
{
	Hd__GetServerDefaultsResponseProto	*r;
	Hd__FsServerDefaultsProto		*d;

	d = ARENA_NEW(c->arena, Hd__FsServerDefaultsProto,
	    HD__FS_SERVER_DEFAULTS_PROTO__INIT);
	d->blocksize = mdfs.block_size;
	d->bytesperchecksum = 512;
	d->writepacketsize = 65536;
	d->replication = mdfs.replication;
	d->filebuffersize = 4096;
	d->has_encryptdatatransfer = 1;
	d->encryptdatatransfer = 0;
	d->has_trashinterval = 1;
	d->trashinterval = 0;
	d->has_checksumtype = 1;
	d->checksumtype = HD__CHECKSUM_TYPE_PROTO__CHECKSUM_CRC32C;
	d->keyprovideruri = "";
	d->has_policyid = 1;
	d->policyid = 7;
	r = ARENA_NEW(c->arena, Hd__GetServerDefaultsResponseProto,
	    HD__GET_SERVER_DEFAULTS_RESPONSE_PROTO__INIT);
	r->serverdefaults = d;
	*resp = &r->base;
	return 0;
}

static int
ns_get_file_info(struct ns_call *c, const ProtobufCMessage *m,
    ProtobufCMessage **resp)
{
	const Hd__GetFileInfoRequestProto	*req = (const void *)m;
	Hd__GetFileInfoResponseProto		*r;
	struct ns_path				 p;
	struct ns_inode				*n;

	if (ns_parse(req->src, &p, c->exc) == -1 ||
	    ns_traverse(c, &p) == -1)
		return -1;
	r = ARENA_NEW(c->arena, Hd__GetFileInfoResponseProto,
	    HD__GET_FILE_INFO_RESPONSE_PROTO__INIT);
	if ((n = ns_lookup(&p)) != NULL)
		r->fs = ns_status(c, n, "");
	*resp = &r->base;
	return 0;
}

static int
ns_get_listing(struct ns_call *c, const ProtobufCMessage *m,
    ProtobufCMessage **resp)
{
	const Hd__GetListingRequestProto	*req = (const void *)m;
	Hd__GetListingResponseProto		*r;
	Hd__DirectoryListingProto		*l;
	struct ns_path				 p;
	struct ns_inode				*n;
	size_t					 i, first, count, nlen;
	int					 cmp;

	if (ns_parse(req->src, &p, c->exc) == -1 ||
	    ns_traverse(c, &p) == -1)
		return -1;
	r = ARENA_NEW(c->arena, Hd__GetListingResponseProto,
	    HD__GET_LISTING_RESPONSE_PROTO__INIT);
	*resp = &r->base;
	if ((n = ns_lookup(&p)) == NULL)
		return 0;
	if (n->dir && ns_access(c, n, NS_R | NS_X) == -1)
		return -1;
	l = ARENA_NEW(c->arena, Hd__DirectoryListingProto,
	    HD__DIRECTORY_LISTING_PROTO__INIT);
	r->dirlist = l;
	if (!n->dir) {
		/* A file lists as itself, with an empty name. */
		l->n_partiallisting = 1;
		l->partiallisting = arena_alloc(c->arena, sizeof(void *));
		l->partiallisting[0] = ns_status(c, n, "");
		return 0;
	}
	for (first = 0; first < n->nkids && req->startafter.len > 0;
	    first++) {
		nlen = strlen(n->kids[first]->name);
		cmp = memcmp(n->kids[first]->name, req->startafter.data,
		    MIN(nlen, req->startafter.len));
		if (cmp > 0 || (cmp == 0 && nlen > req->startafter.len))
			break;
	}
	count = MIN(n->nkids - first, mdfs.ls_limit);
	l->n_partiallisting = count;
	l->partiallisting = arena_alloc(c->arena, count * sizeof(void *));
	for (i = 0; i < count; i++)
		l->partiallisting[i] = ns_status(c, n->kids[first + i],
		    n->kids[first + i]->name);
	l->remainingentries = (uint32_t)(n->nkids - first - count);
	return 0;
}

/* Creates the missing directories of p from depth on. */
static struct ns_inode *
ns_mkdirs_from(struct ns_inode *n, const struct ns_path *p, size_t depth,
    uint32_t perm, const char *user)
{
	struct ns_inode	*k;
	size_t		 i;

	for (i = depth; i < p->n; i++) {
		/* Implicit parents get u+wx so that the rest can be made. */
		k = ns_inode_new(n, p->c[i], true,
		    i + 1 < p->n ? perm | 0300 : perm, user);
		ns_link(n, k);
		n = k;
	}
	return n;
}

static int
ns_mkdirs(struct ns_call *c, const ProtobufCMessage *m,
    ProtobufCMessage **resp)
{
	const Hd__MkdirsRequestProto	*req = (const void *)m;
	Hd__MkdirsResponseProto		*r;
	struct ns_path			 p;
	struct ns_inode			*n;
	size_t				 depth;
	char				 pre[PATH_MAX];

	if (ns_parse(req->src, &p, c->exc) == -1 ||
	    ns_safemode(c, "Cannot create directory ", req->src) == -1)
		return -1;
	if (ns_traverse(c, &p) == -1)
		return -1;
	n = ns_walk(&p, &depth);
	if (depth == p.n && !n->dir)
		return exc_throw(c->exc, EXC_EXISTS, "Path is not a directory: "
		    "%s", req->src);
	if (depth < p.n && n->dir && ns_access(c, n, NS_W) == -1)
		return -1;
	if (depth < p.n && !n->dir)
		return exc_throw(c->exc, EXC_PARENT, "%s (is not a directory)",
		    ns_prefix(&p, depth, pre, sizeof pre));
	if (depth + 1 < p.n && !req->createparent)
		return exc_throw(c->exc, EXC_FNF, "Parent directory doesn't "
		    "exist: %s", ns_prefix(&p, p.n - 1, pre, sizeof pre));
	ns_mkdirs_from(n, &p, depth, req->masked->perm, c->user);
	r = ARENA_NEW(c->arena, Hd__MkdirsResponseProto,
	    HD__MKDIRS_RESPONSE_PROTO__INIT);
	r->result = 1;
	*resp = &r->base;
	return 0;
}

static int
ns_create(struct ns_call *c, const ProtobufCMessage *m,
    ProtobufCMessage **resp)
{
	const Hd__CreateRequestProto	*req = (const void *)m;
	Hd__CreateResponseProto		*r;
	struct ns_path			 p;
	struct ns_inode			*n, *f;
	size_t				 depth;
	char				 pre[PATH_MAX];

	if (ns_parse(req->src, &p, c->exc) == -1 ||
	    ns_safemode(c, "Cannot create file", req->src) == -1)
		return -1;
	if (p.n == 0)
		return exc_throw(c->exc, EXC_EXISTS, "/ already exists as a "
		    "directory");
	if (req->blocksize < mdfs.min_block_size)
		return exc_throw(c->exc, EXC_IO, "Specified block size is less "
		    "than configured minimum value "
		    "(dfs.namenode.fs-limits.min-block-size): %llu < %llu",
		    (unsigned long long)req->blocksize,
		    (unsigned long long)mdfs.min_block_size);
	if (req->replication > 512)
		return exc_throw(c->exc, EXC_IO, "Requested replication factor "
		    "of %u exceeds maximum of 512 for %s from %s",
		    req->replication, req->src, NS_CLIENT_ADDR);
	if (req->replication < 1)
		return exc_throw(c->exc, EXC_IO, "Requested replication factor "
		    "of %u is less than the required minimum of 1 for %s from "
		    "%s", req->replication, req->src, NS_CLIENT_ADDR);
	if ((req->createflag & HD__CREATE_FLAG_PROTO__APPEND) != 0)
		return exc_throw(c->exc, EXC_ILLEGAL, "minidfs: append is not "
		    "supported");
	if (ns_traverse(c, &p) == -1 ||
	    ns_ancestor_access(c, &p, NS_W) == -1)
		return -1;
	n = ns_walk(&p, &depth);
	if (depth == p.n) {
		if (n->dir)
			return exc_throw(c->exc, EXC_EXISTS, "%s already "
			    "exists as a directory", req->src);
		if (n->holder != NULL) {
			if (strcmp(n->holder, req->clientname) == 0)
				return exc_throw(c->exc, EXC_BEINGMADE,
				    "Failed to CREATE_FILE %s for %s on %s "
				    "because current leaseholder is trying to "
				    "recreate file.", req->src, req->clientname,
				    NS_CLIENT_ADDR);
			return exc_throw(c->exc, EXC_BEINGMADE, "Failed to "
			    "CREATE_FILE %s for %s on %s because this file "
			    "lease is currently owned by %s on %s", req->src,
			    req->clientname, NS_CLIENT_ADDR, n->holder,
			    NS_CLIENT_ADDR);
		}
		if ((req->createflag & HD__CREATE_FLAG_PROTO__OVERWRITE) == 0)
			return exc_throw(c->exc, EXC_EXISTS, "%s for client %s "
			    "already exists", req->src, NS_CLIENT_ADDR);
		if (ns_access(c, n, NS_W) == -1)
			return -1;
		f = n->parent;
		ns_unlink(n);
		ns_inode_free(n);
		n = f;
		depth--;
	} else if ((req->createflag & HD__CREATE_FLAG_PROTO__CREATE) == 0)
		return exc_throw(c->exc, EXC_FNF, "Can't overwrite "
		    "non-existent %s for client %s", req->src, NS_CLIENT_ADDR);
	if (!n->dir)
		return exc_throw(c->exc, EXC_PARENT, "%s (is not a directory)",
		    ns_prefix(&p, depth, pre, sizeof pre));
	if (depth + 1 < p.n) {
		if (!req->createparent)
			return exc_throw(c->exc, EXC_FNF, "Parent directory "
			    "doesn't exist: %s",
			    ns_prefix(&p, p.n - 1, pre, sizeof pre));
		p.n--;
		n = ns_mkdirs_from(n, &p, depth, 0755, c->user);
		p.n++;
	}
	f = ns_inode_new(n, p.c[p.n - 1], false, req->masked->perm, c->user);
	f->repl = req->replication;
	f->blocksize = req->blocksize;
	f->holder = xstrdup(req->clientname);
	ns_lease_add(req->clientname);
	ns_link(n, f);
	r = ARENA_NEW(c->arena, Hd__CreateResponseProto,
	    HD__CREATE_RESPONSE_PROTO__INIT);
	r->fs = ns_status(c, f, "");
	*resp = &r->base;
	return 0;
}

static bool
ns_excluded(int dn, const Hd__AddBlockRequestProto *req)
{
	size_t	 i;

	for (i = 0; i < req->n_excludenodes; i++) {
		const Hd__DatanodeIDProto	*id = req->excludenodes[i]->id;

		if (strcmp(id->datanodeuuid, mdfs.dn[dn].uuid) == 0 ||
		    id->xferport == mdfs.dn[dn].port)
			return true;
	}
	return false;
}

static int
ns_add_block(struct ns_call *c, const ProtobufCMessage *m,
    ProtobufCMessage **resp)
{
	const Hd__AddBlockRequestProto	*req = (const void *)m;
	Hd__AddBlockResponseProto	*r;
	struct ns_inode			*f;
	struct ns_block			*last, *pen, *b;
	char				 n1[128], n2[128];
	int				 i, want;

	if (ns_safemode(c, "Cannot add block to ", req->src) == -1 ||
	    ns_check_pool(c, req->previous) == -1)
		return -1;
	if ((f = ns_check_lease(c, req->src, req->clientname,
	    req->has_fileid ? req->fileid : 0)) == NULL)
		return -1;
	last = f->nblocks > 0 ? f->blocks[f->nblocks - 1] : NULL;
	pen = f->nblocks > 1 ? f->blocks[f->nblocks - 2] : NULL;
	r = ARENA_NEW(c->arena, Hd__AddBlockResponseProto,
	    HD__ADD_BLOCK_RESPONSE_PROTO__INIT);
	*resp = &r->base;

	/* A retried call: previous is the penultimate, last still empty. */
	if (last != NULL && last->state == BLK_UC && last->synced == 0 &&
	    (req->previous == NULL ? pen == NULL :
	    ns_same_block(req->previous, pen))) {
		for (i = 0; i < mdfs.ndn && !last->replica[i]; i++)
			;
		if (i == mdfs.ndn) {
			r->block = ns_located(c, last, ns_block_offset(f, last),
			    true);
			return 0;
		}
	}
	if ((req->previous == NULL) != (last == NULL) ||
	    (last != NULL && !ns_same_block(req->previous, last))) {
		if (req->previous != NULL)
			snprintf(n1, sizeof n1, "%s:blk_%llu_%llu",
			    req->previous->poolid,
			    (unsigned long long)req->previous->blockid,
			    (unsigned long long)req->previous->generationstamp);
		return exc_throw(c->exc, EXC_IO, "Cannot allocate block in %s: "
		    "passed 'previous' block %s does not match actual last "
		    "block in file %s", req->src,
		    req->previous != NULL ? n1 : "null",
		    last != NULL ? ns_blockname(last, n2, sizeof n2) : "null");
	}
	if (ns_nry_left > 0) {
		ns_nry_left--;
		return exc_throw(c->exc, EXC_NRY, "Not replicated yet: %s",
		    req->src);
	}
	if (last != NULL)
		ns_commit(last, req->previous);
	if (pen != NULL && pen->state != BLK_COMPLETE)
		return exc_throw(c->exc, EXC_NRY, "Not replicated yet: %s",
		    req->src);

	b = xcalloc(1, sizeof *b);
	want = (int)f->repl;
	for (i = 0; i < mdfs.ndn && b->npipeline < want; i++)
		if (!ns_excluded(i, req))
			b->pipeline[b->npipeline++] = i;
	if (b->npipeline == 0) {
		free(b);
		return exc_throw(c->exc, EXC_IO, "File %s could only be "
		    "written to 0 of the 1 minReplication nodes. There are %d "
		    "datanode(s) running and %zu node(s) are excluded in this "
		    "operation.", req->src, mdfs.ndn, req->n_excludenodes);
	}
	b->id = ns_next_block++;
	b->gs = ++ns_gs;
	b->state = BLK_UC;
	b->file = f;
	hmap_put(ns_blocks, &b->id, sizeof b->id, b);
	f->blocks = xreallocarray(f->blocks, f->nblocks + 1,
	    sizeof *f->blocks);
	f->blocks[f->nblocks++] = b;
	r->block = ns_located(c, b, ns_block_offset(f, b), true);
	return 0;
}

static int
ns_complete(struct ns_call *c, const ProtobufCMessage *m,
    ProtobufCMessage **resp)
{
	const Hd__CompleteRequestProto	*req = (const void *)m;
	Hd__CompleteResponseProto	*r;
	struct ns_path			 p;
	struct ns_inode			*f;
	struct ns_block			*last;
	char				 n1[128];
	size_t				 i;

	if (ns_safemode(c, "Cannot complete file ", req->src) == -1 ||
	    ns_check_pool(c, req->last) == -1 ||
	    ns_parse(req->src, &p, c->exc) == -1)
		return -1;
	r = ARENA_NEW(c->arena, Hd__CompleteResponseProto,
	    HD__COMPLETE_RESPONSE_PROTO__INIT);
	*resp = &r->base;
	/* A retry after success (HDFS-3031) is answered true again. */
	f = ns_lookup(&p);
	if (f != NULL && !f->dir && f->holder == NULL) {
		last = f->nblocks > 0 ? f->blocks[f->nblocks - 1] : NULL;
		if ((last == NULL && req->last == NULL) ||
		    ns_same_block(req->last, last)) {
			r->result = 1;
			return 0;
		}
	}
	if ((f = ns_check_lease(c, req->src, req->clientname,
	    req->has_fileid ? req->fileid : 0)) == NULL)
		return -1;
	last = f->nblocks > 0 ? f->blocks[f->nblocks - 1] : NULL;
	if ((req->last == NULL) != (last == NULL) ||
	    (last != NULL && !ns_same_block(req->last, last)))
		return exc_throw(c->exc, EXC_IO, "Cannot complete %s: last "
		    "block %s does not match the file's last block", req->src,
		    last != NULL ? ns_blockname(last, n1, sizeof n1) : "null");
	if (last != NULL)
		ns_commit(last, req->last);
	if (ns_false_left > 0) {
		ns_false_left--;
		return 0;
	}
	for (i = 0; i < f->nblocks; i++)
		if (f->blocks[i]->state != BLK_COMPLETE)
			return 0;
	ns_lease_release(f->holder);
	ns_close_file(f);
	r->result = 1;
	return 0;
}

static int
ns_abandon_block(struct ns_call *c, const ProtobufCMessage *m,
    ProtobufCMessage **resp)
{
	const Hd__AbandonBlockRequestProto	*req = (const void *)m;
	struct ns_inode				*f;
	struct ns_block				*last;
	char					 n1[128];

	if (ns_safemode(c, "Cannot abandon block ", ns_blockname(&(struct
	    ns_block){ .id = req->b->blockid, .gs = req->b->generationstamp },
	    n1, sizeof n1)) == -1 || ns_check_pool(c, req->b) == -1)
		return -1;
	if ((f = ns_check_lease(c, req->src, req->holder,
	    req->has_fileid ? req->fileid : 0)) == NULL)
		return -1;
	last = f->nblocks > 0 ? f->blocks[f->nblocks - 1] : NULL;
	if (last != NULL && last->id == req->b->blockid &&
	    last->state == BLK_UC) {
		f->nblocks--;
		ns_block_drop(last);
	}
	*resp = &ARENA_NEW(c->arena, Hd__AbandonBlockResponseProto,
	    HD__ABANDON_BLOCK_RESPONSE_PROTO__INIT)->base;
	return 0;
}

/* Moves n under dir as name; replaces nothing. */
static void
ns_move(struct ns_inode *n, struct ns_inode *dir, const char *name)
{
	ns_unlink(n);
	free(n->name);
	n->name = xstrdup(name);
	ns_link(dir, n);
}

static bool
ns_is_under(const struct ns_inode *n, const struct ns_inode *anc)
{
	for (; n != NULL; n = n->parent)
		if (n == anc)
			return true;
	return false;
}

static int
ns_rename(struct ns_call *c, const ProtobufCMessage *m,
    ProtobufCMessage **resp)
{
	const Hd__RenameRequestProto	*req = (const void *)m;
	Hd__RenameResponseProto		*r;
	struct ns_path			 sp, dp;
	struct ns_inode			*s, *d, *dparent;
	const char			*name;

	if (ns_parse(req->src, &sp, c->exc) == -1 ||
	    ns_parse(req->dst, &dp, c->exc) == -1 ||
	    ns_safemode(c, "Cannot rename ", req->src) == -1)
		return -1;
	if (ns_traverse(c, &sp) == -1 || ns_traverse(c, &dp) == -1 ||
	    ns_ancestor_access(c, &sp, NS_W) == -1 ||
	    ns_ancestor_access(c, &dp, NS_W) == -1)
		return -1;
	r = ARENA_NEW(c->arena, Hd__RenameResponseProto,
	    HD__RENAME_RESPONSE_PROTO__INIT);
	*resp = &r->base;
	/* The old rename answers false rather than throwing. */
	if ((s = ns_lookup(&sp)) == NULL || s == ns_root)
		return 0;
	if ((d = ns_lookup(&dp)) != NULL && d->dir) {
		dparent = d;
		name = s->name;
		if (ns_child(dparent, name) != NULL)
			return 0;
	} else if (d != NULL) {
		r->result = d == s;
		return 0;
	} else {
		dp.n--;
		dparent = dp.n == 0 ? ns_root : ns_lookup(&dp);
		if (dparent == NULL || !dparent->dir)
			return 0;
		name = dp.c[dp.n];
	}
	if (ns_is_under(dparent, s))
		return 0;
	ns_move(s, dparent, name);
	r->result = 1;
	return 0;
}

static int
ns_rename2(struct ns_call *c, const ProtobufCMessage *m,
    ProtobufCMessage **resp)
{
	const Hd__Rename2RequestProto	*req = (const void *)m;
	struct ns_path			 sp, dp;
	struct ns_inode			*s, *d, *dparent;
	char				 pre[PATH_MAX];

	if (ns_parse(req->src, &sp, c->exc) == -1 ||
	    ns_parse(req->dst, &dp, c->exc) == -1 ||
	    ns_safemode(c, "Cannot rename ", req->src) == -1)
		return -1;
	if (ns_traverse(c, &sp) == -1 || ns_traverse(c, &dp) == -1 ||
	    ns_ancestor_access(c, &sp, NS_W) == -1 ||
	    ns_ancestor_access(c, &dp, NS_W) == -1)
		return -1;
	if ((s = ns_lookup(&sp)) == NULL)
		return exc_throw(c->exc, EXC_FNF, "rename source %s is not "
		    "found.", req->src);
	d = ns_lookup(&dp);
	if (d == s)
		return exc_throw(c->exc, EXC_EXISTS, "The source %s and "
		    "destination %s are the same", req->src, req->dst);
	if (s == ns_root)
		return exc_throw(c->exc, EXC_IO, "rename source cannot be the "
		    "root");
	if (dp.n == 0)
		return exc_throw(c->exc, EXC_IO, "rename destination cannot be "
		    "the root");
	dp.n--;
	dparent = ns_lookup(&dp);
	if (dparent == NULL)
		return exc_throw(c->exc, EXC_FNF, "rename destination parent "
		    "%s not found.", ns_prefix(&dp, dp.n, pre, sizeof pre));
	if (!dparent->dir)
		return exc_throw(c->exc, EXC_PARENT, "rename destination "
		    "parent %s is a file.",
		    ns_prefix(&dp, dp.n, pre, sizeof pre));
	if (ns_is_under(dparent, s))
		return exc_throw(c->exc, EXC_IO, "Rename destination %s is a "
		    "directory or file under source %s", req->dst, req->src);
	if (d != NULL) {
		if (!req->overwritedest)
			return exc_throw(c->exc, EXC_EXISTS, "rename "
			    "destination %s already exists", req->dst);
		if (d->dir != s->dir)
			return exc_throw(c->exc, EXC_IO, "Source %s and "
			    "destination %s must both be %s", req->src,
			    req->dst, s->dir ? "directories" : "files");
		if (d->dir && d->nkids > 0)
			return exc_throw(c->exc, EXC_IO, "rename destination "
			    "directory is not empty: %s", req->dst);
		ns_unlink(d);
		ns_inode_free(d);
	}
	ns_move(s, dparent, dp.c[dp.n]);
	*resp = &ARENA_NEW(c->arena, Hd__Rename2ResponseProto,
	    HD__RENAME2_RESPONSE_PROTO__INIT)->base;
	return 0;
}

static int
ns_delete(struct ns_call *c, const ProtobufCMessage *m,
    ProtobufCMessage **resp)
{
	const Hd__DeleteRequestProto	*req = (const void *)m;
	Hd__DeleteResponseProto		*r;
	struct ns_path			 p;
	struct ns_inode			*n;

	if (ns_parse(req->src, &p, c->exc) == -1 ||
	    ns_safemode(c, "Cannot delete ", req->src) == -1)
		return -1;
	r = ARENA_NEW(c->arena, Hd__DeleteResponseProto,
	    HD__DELETE_RESPONSE_PROTO__INIT);
	*resp = &r->base;
	if (ns_traverse(c, &p) == -1 || ns_ancestor_access(c, &p, NS_W) == -1)
		return -1;
	if ((n = ns_lookup(&p)) == NULL || n == ns_root)
		return 0;
	if (req->recursive && ns_sub_access(c, n, NS_R | NS_W | NS_X) == -1)
		return -1;
	if (n->dir && n->nkids > 0 && !req->recursive)
		return exc_throw(c->exc, EXC_NOTEMPTY, "`%s is non empty': "
		    "Directory is not empty", req->src);
	ns_unlink(n);
	ns_inode_free(n);
	r->result = 1;
	return 0;
}

static int
ns_renew_lease(struct ns_call *c, const ProtobufCMessage *m,
    ProtobufCMessage **resp)
{
	const Hd__RenewLeaseRequestProto	*req = (const void *)m;

	struct ns_lease				*l;

	if (ns_safemode(c, "Cannot renew lease for ", req->clientname) == -1)
		return -1;
	if ((l = *ns_lease_find(req->clientname)) != NULL)
		l->renewed = clock_mono_ms();
	*resp = &ARENA_NEW(c->arena, Hd__RenewLeaseResponseProto,
	    HD__RENEW_LEASE_RESPONSE_PROTO__INIT)->base;
	return 0;
}

static int
ns_get_block_locations(struct ns_call *c, const ProtobufCMessage *m,
    ProtobufCMessage **resp)
{
	const Hd__GetBlockLocationsRequestProto	*req = (const void *)m;
	Hd__GetBlockLocationsResponseProto	*r;
	Hd__LocatedBlocksProto			*l;
	struct ns_path				 p;
	struct ns_inode				*f;
	struct ns_block				*b;
	uint64_t				 off = 0, end;
	size_t					 i;

	if (ns_parse(req->src, &p, c->exc) == -1 ||
	    ns_traverse(c, &p) == -1)
		return -1;
	if ((f = ns_lookup(&p)) == NULL)
		return exc_throw(c->exc, EXC_FNF, "File does not exist: %s",
		    req->src);
	if (f->dir)
		return exc_throw(c->exc, EXC_FNF, "Path is not a file: %s",
		    req->src);
	if (ns_access(c, f, NS_R) == -1)
		return -1;
	l = ARENA_NEW(c->arena, Hd__LocatedBlocksProto,
	    HD__LOCATED_BLOCKS_PROTO__INIT);
	l->filelength = ns_file_length(f);
	l->underconstruction = f->holder != NULL;
	l->blocks = arena_alloc(c->arena, f->nblocks * sizeof(void *));
	end = req->offset + req->length;
	for (i = 0; i < f->nblocks; i++) {
		b = f->blocks[i];
		if (b->state == BLK_UC)
			break;
		if (off < end && off + b->len > req->offset)
			l->blocks[l->n_blocks++] = ns_located(c, b, off, false);
		off += b->len;
	}
	if (f->nblocks > 0) {
		b = f->blocks[f->nblocks - 1];
		l->lastblock = ns_located(c, b, ns_block_offset(f, b), false);
	}
	l->islastblockcomplete = f->nblocks == 0 ? f->holder == NULL :
	    f->blocks[f->nblocks - 1]->state == BLK_COMPLETE;
	r = ARENA_NEW(c->arena, Hd__GetBlockLocationsResponseProto,
	    HD__GET_BLOCK_LOCATIONS_RESPONSE_PROTO__INIT);
	r->locations = l;
	*resp = &r->base;
	return 0;
}

static void
ns_count_blocks(const struct ns_inode *n, uint64_t *under, uint64_t *missing)
{
	size_t		 i;
	int		 d, live;

	for (i = 0; i < n->nkids; i++)
		ns_count_blocks(n->kids[i], under, missing);
	for (i = 0; i < n->nblocks; i++) {
		if (n->blocks[i]->state != BLK_COMPLETE)
			continue;
		live = 0;
		for (d = 0; d < mdfs.ndn; d++)
			if (n->blocks[i]->replica[d] && !mdfs.dn[d].dead)
				live++;
		if (live == 0)
			(*missing)++;
		else if ((uint32_t)live < n->repl)
			(*under)++;
	}
}

static int
ns_get_fs_stats(struct ns_call *c, const ProtobufCMessage *m UNUSED,
    ProtobufCMessage **resp)
{
	Hd__GetFsStatsResponseProto	*r;
	int				 i;

	r = ARENA_NEW(c->arena, Hd__GetFsStatsResponseProto,
	    HD__GET_FS_STATS_RESPONSE_PROTO__INIT);
	for (i = 0; i < mdfs.ndn; i++)
		r->used += ns_used[i];
	r->capacity = NS_DN_CAPACITY * (uint64_t)mdfs.ndn;
	r->remaining = r->capacity - r->used;
	ns_count_blocks(ns_root, &r->under_replicated, &r->missing_blocks);
	r->has_missing_repl_one_blocks = r->has_blocks_in_future = 1;
	r->has_pending_deletion_blocks = 1;
	*resp = &r->base;
	return 0;
}

static int
ns_fsync(struct ns_call *c, const ProtobufCMessage *m,
    ProtobufCMessage **resp)
{
	const Hd__FsyncRequestProto	*req = (const void *)m;
	struct ns_inode			*f;
	struct ns_block			*last;

	if (ns_safemode(c, "Cannot fsync file ", req->src) == -1)
		return -1;
	if ((f = ns_check_lease(c, req->src, req->client,
	    req->has_fileid ? req->fileid : 0)) == NULL)
		return -1;
	last = f->nblocks > 0 ? f->blocks[f->nblocks - 1] : NULL;
	if (last != NULL && last->state == BLK_UC &&
	    req->has_lastblocklength && req->lastblocklength >= 0)
		last->synced = (uint64_t)req->lastblocklength;
	*resp = &ARENA_NEW(c->arena, Hd__FsyncResponseProto,
	    HD__FSYNC_RESPONSE_PROTO__INIT)->base;
	return 0;
}

/*
 * A new generation stamp for pipeline recovery.  gohdfs calls it after
 * every block; like a real NameNode the stored stamp stays as it is
 * until updatePipeline, so the next addBlock names the old one.
 */
static int
ns_update_block_for_pipeline(struct ns_call *c, const ProtobufCMessage *m,
    ProtobufCMessage **resp)
{
	const Hd__UpdateBlockForPipelineRequestProto	*req = (const void *)m;
	Hd__UpdateBlockForPipelineResponseProto		*r;
	Hd__LocatedBlockProto				*lb;
	Hd__ExtendedBlockProto				*eb;
	struct ns_block					*b;
	char						 n1[128];

	snprintf(n1, sizeof n1, "%s:blk_%llu_%llu", req->block->poolid,
	    (unsigned long long)req->block->blockid,
	    (unsigned long long)req->block->generationstamp);
	if (ns_safemode(c, "Cannot get a new generation stamp and an access "
	    "token for block ", n1) == -1 ||
	    ns_check_pool(c, req->block) == -1)
		return -1;
	b = hmap_get(ns_blocks, &req->block->blockid,
	    sizeof req->block->blockid);
	if (b == NULL || b->state != BLK_UC || b->file->holder == NULL)
		return exc_throw(c->exc, EXC_IO, "%s does not exist or is not "
		    "under Construction", n1);
	if (strcmp(b->file->holder, req->clientname) != 0)
		return exc_throw(c->exc, EXC_LEASE, "Client (=%s) is not the "
		    "lease owner (=%s", req->clientname, b->file->holder);
	eb = ARENA_NEW(c->arena, Hd__ExtendedBlockProto,
	    HD__EXTENDED_BLOCK_PROTO__INIT);
	eb->poolid = mdfs.pool_id;
	eb->blockid = b->id;
	eb->generationstamp = ++ns_gs;
	eb->has_numbytes = 1;
	eb->numbytes = req->block->numbytes;
	lb = ARENA_NEW(c->arena, Hd__LocatedBlockProto,
	    HD__LOCATED_BLOCK_PROTO__INIT);
	lb->b = eb;
	lb->offset = UINT64_MAX;
	lb->blocktoken = ns_token(c, eb->blockid);
	r = ARENA_NEW(c->arena, Hd__UpdateBlockForPipelineResponseProto,
	    HD__UPDATE_BLOCK_FOR_PIPELINE_RESPONSE_PROTO__INIT);
	r->block = lb;
	*resp = &r->base;
	return 0;
}

static struct ns_inode *
ns_existing(struct ns_call *c, const char *src)
{
	struct ns_path	 p;
	struct ns_inode	*n;

	if (ns_parse(src, &p, c->exc) == -1 || ns_traverse(c, &p) == -1)
		return NULL;
	if ((n = ns_lookup(&p)) == NULL)
		exc_throw(c->exc, EXC_FNF, "File does not exist: %s", src);
	return n;
}

static int
ns_set_permission(struct ns_call *c, const ProtobufCMessage *m,
    ProtobufCMessage **resp)
{
	const Hd__SetPermissionRequestProto	*req = (const void *)m;
	struct ns_inode				*n;

	if (ns_safemode(c, "Cannot set permission for ", req->src) == -1 ||
	    (n = ns_existing(c, req->src)) == NULL)
		return -1;
	if (!ns_super(c) && strcmp(c->user, n->owner) != 0)
		return exc_throw(c->exc, "org.apache.hadoop.security."
		    "AccessControlException", "Permission denied. user=%s is "
		    "not the owner of inode=%s", c->user, req->src);
	n->perm = req->permission->perm & 07777;
	*resp = &ARENA_NEW(c->arena, Hd__SetPermissionResponseProto,
	    HD__SET_PERMISSION_RESPONSE_PROTO__INIT)->base;
	return 0;
}

static int
ns_set_owner(struct ns_call *c, const ProtobufCMessage *m,
    ProtobufCMessage **resp)
{
	const Hd__SetOwnerRequestProto	*req = (const void *)m;
	struct ns_inode			*n;

	if (ns_safemode(c, "Cannot set owner for ", req->src) == -1 ||
	    (n = ns_existing(c, req->src)) == NULL)
		return -1;
	if (!ns_super(c)) {
		if (strcmp(c->user, n->owner) != 0)
			return exc_throw(c->exc, "org.apache.hadoop.security."
			    "AccessControlException", "Permission denied. "
			    "user=%s is not the owner of inode=%s", c->user,
			    req->src);
		if (req->username != NULL && req->username[0] != '\0' &&
		    strcmp(req->username, n->owner) != 0)
			return exc_throw(c->exc, "org.apache.hadoop.security."
			    "AccessControlException", "User %s is not a super "
			    "user (non-super user cannot change owner).",
			    c->user);
		if (req->groupname != NULL && req->groupname[0] != '\0' &&
		    !ns_in_group(c->user, req->groupname))
			return exc_throw(c->exc, "org.apache.hadoop.security."
			    "AccessControlException", "User %s does not belong "
			    "to %s", c->user, req->groupname);
	}
	if (req->username != NULL && req->username[0] != '\0') {
		free(n->owner);
		n->owner = xstrdup(req->username);
	}
	if (req->groupname != NULL && req->groupname[0] != '\0') {
		free(n->group);
		n->group = xstrdup(req->groupname);
	}
	*resp = &ARENA_NEW(c->arena, Hd__SetOwnerResponseProto,
	    HD__SET_OWNER_RESPONSE_PROTO__INIT)->base;
	return 0;
}

static int
ns_set_times(struct ns_call *c, const ProtobufCMessage *m,
    ProtobufCMessage **resp)
{
	const Hd__SetTimesRequestProto	*req = (const void *)m;
	struct ns_inode			*n;

	if (ns_safemode(c, "Cannot set times ", req->src) == -1 ||
	    (n = ns_existing(c, req->src)) == NULL ||
	    ns_access(c, n, NS_W) == -1)
		return -1;
	/* -1 leaves a time as it is. */
	if (req->mtime != UINT64_MAX)
		n->mtime = req->mtime;
	if (req->atime != UINT64_MAX)
		n->atime = req->atime;
	*resp = &ARENA_NEW(c->arena, Hd__SetTimesResponseProto,
	    HD__SET_TIMES_RESPONSE_PROTO__INIT)->base;
	return 0;
}

static void
ns_summarize(const struct ns_inode *n, Hd__ContentSummaryProto *s)
{
	size_t	 i;

	if (n->dir) {
		s->directorycount++;
		for (i = 0; i < n->nkids; i++)
			ns_summarize(n->kids[i], s);
		return;
	}
	s->filecount++;
	s->length += ns_file_length(n);
	s->spaceconsumed += ns_file_length(n) * n->repl;
}

static int
ns_get_content_summary(struct ns_call *c, const ProtobufCMessage *m,
    ProtobufCMessage **resp)
{
	const Hd__GetContentSummaryRequestProto	*req = (const void *)m;
	Hd__GetContentSummaryResponseProto	*r;
	Hd__ContentSummaryProto			*s;
	struct ns_inode				*n;

	if ((n = ns_existing(c, req->path)) == NULL)
		return -1;
	s = ARENA_NEW(c->arena, Hd__ContentSummaryProto,
	    HD__CONTENT_SUMMARY_PROTO__INIT);
	ns_summarize(n, s);
	s->quota = UINT64_MAX;
	s->spacequota = UINT64_MAX;
	r = ARENA_NEW(c->arena, Hd__GetContentSummaryResponseProto,
	    HD__GET_CONTENT_SUMMARY_RESPONSE_PROTO__INIT);
	r->summary = s;
	*resp = &r->base;
	return 0;
}

static const struct ns_method ns_methods[] = {
	{ "abandonBlock", &hd__abandon_block_request_proto__descriptor,
	    ns_abandon_block, NS_WRITE },
	{ "addBlock", &hd__add_block_request_proto__descriptor,
	    ns_add_block, NS_WRITE },
	{ "complete", &hd__complete_request_proto__descriptor,
	    ns_complete, NS_WRITE },
	{ "create", &hd__create_request_proto__descriptor,
	    ns_create, NS_WRITE },
	{ "delete", &hd__delete_request_proto__descriptor,
	    ns_delete, NS_WRITE },
	{ "fsync", &hd__fsync_request_proto__descriptor,
	    ns_fsync, NS_WRITE },
	{ "getBlockLocations",
	    &hd__get_block_locations_request_proto__descriptor,
	    ns_get_block_locations, NS_READ },
	{ "getContentSummary",
	    &hd__get_content_summary_request_proto__descriptor,
	    ns_get_content_summary, NS_READ },
	{ "getDataEncryptionKey",
	    &hd__get_data_encryption_key_request_proto__descriptor,
	    ns_get_data_encryption_key, NS_READ },
	{ "getFileInfo", &hd__get_file_info_request_proto__descriptor,
	    ns_get_file_info, NS_READ },
	{ "getFsStats", &hd__get_fs_status_request_proto__descriptor,
	    ns_get_fs_stats, NS_READ },
	{ "getListing", &hd__get_listing_request_proto__descriptor,
	    ns_get_listing, NS_READ },
	{ "getServerDefaults",
	    &hd__get_server_defaults_request_proto__descriptor,
	    ns_get_server_defaults, NS_READ },
	{ "mkdirs", &hd__mkdirs_request_proto__descriptor,
	    ns_mkdirs, NS_WRITE },
	{ "rename", &hd__rename_request_proto__descriptor,
	    ns_rename, NS_WRITE },
	{ "rename2", &hd__rename2_request_proto__descriptor,
	    ns_rename2, NS_WRITE },
	{ "renewLease", &hd__renew_lease_request_proto__descriptor,
	    ns_renew_lease, NS_WRITE },
	{ "setOwner", &hd__set_owner_request_proto__descriptor,
	    ns_set_owner, NS_WRITE },
	{ "setPermission", &hd__set_permission_request_proto__descriptor,
	    ns_set_permission, NS_WRITE },
	{ "setTimes", &hd__set_times_request_proto__descriptor,
	    ns_set_times, NS_WRITE },
	{ "updateBlockForPipeline",
	    &hd__update_block_for_pipeline_request_proto__descriptor,
	    ns_update_block_for_pipeline, NS_WRITE },
};

const struct ns_method *
ns_method_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < nitems(ns_methods); i++)
		if (strcmp(ns_methods[i].name, name) == 0)
			return &ns_methods[i];
	return NULL;
}
