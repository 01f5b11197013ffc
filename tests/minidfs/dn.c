/*
 * A DataNode's data-transfer server.  WRITE_BLOCK: connect the mirror if
 * the pipeline goes on, send the connect-ack, then receive packets
 * (checked: layout, sequence, every chunk's checksum), store them, pass
 * them downstream, and let a responder thread send one ack per packet
 * carrying this node's status followed by the downstream ones.  The
 * replica is finalized and reported to the NameNode before the last
 * packet is acked.  READ_BLOCK: packets of up to 64 KiB with checksums
 * of the type the block was written with, then the empty last packet.
 *
 * As a real DataNode does, a malformed request or packet ends the
 * connection without a reply, and a checksum error is acked with
 * ERROR_CHECKSUM before the connection ends.
 *
 * --dn-lie makes the answers to the first N ops lies: what a DataNode
 * with a rotting disk, a broken proxy in front or a wedged thread sends.
 */
#include "config.h"

#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/xmalloc.h"
#include "hdfs/packet.h"
#include "hdfs/proto/datatransfer.pb-c.h"
#include "hdfs/sasl_layer.h"
#include "hdfs/wire.h"

#include "minidfs.h"
#include "short.h"

#define DN_VERSION		28
#define DN_OP_WRITE		0x50
#define DN_OP_READ		0x51
#define DN_READ_PACKET		65536
#define DN_ACKQ			1024
#define DN_CONNECT_MS		5000

struct dn_ack {
	int64_t		 seqno;
	bool		 last;
	Hd__Status	 status;
};

struct dn_write {
	struct mdfs_dn		*dn;
	int			 fd;		/* upstream */
	int			 mfd;		/* mirror, -1 if last */
	size_t			 nmirror;	/* nodes downstream */
	bool			 mirror_bad;

	int			 lie;		/* MDFS_DNLIE_*, once */

	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	struct dn_ack		 q[DN_ACKQ];
	size_t			 head;
	size_t			 n;
	bool			 done;
};

static void
dn_track(struct mdfs_dn *dn, int fd, bool add)
{
	int	 i;

	pthread_mutex_lock(&dn->mu);
	for (i = 0; i < MDFS_MAXCONN; i++) {
		if (add && dn->conns[i] == -1) {
			dn->conns[i] = fd;
			break;
		}
		if (!add && dn->conns[i] == fd) {
			dn->conns[i] = -1;
			break;
		}
	}
	pthread_mutex_unlock(&dn->mu);
}

void
dn_kill(struct mdfs_dn *dn)
{
	int	 i;

	pthread_mutex_lock(&dn->mu);
	if (!dn->dead) {
		dn->dead = true;
		mlog("dn%d dies", dn->index);
		for (i = 0; i < MDFS_MAXCONN; i++)
			if (dn->conns[i] != -1)
				shutdown(dn->conns[i], SHUT_RDWR);
	}
	pthread_mutex_unlock(&dn->mu);
	/* The accept loop closes the listening socket. */
	if (write(mdfs.wake[1], "k", 1) == -1)
		return;
}

static bool
dn_is_dead(struct mdfs_dn *dn)
{
	bool	 dead;

	pthread_mutex_lock(&dn->mu);
	dead = dn->dead;
	pthread_mutex_unlock(&dn->mu);
	return dead;
}

char *
dn_block_path(const struct mdfs_dn *dn, uint64_t blockid, const char *what)
{
	return xasprintf("%s/blk_%" PRIu64 "%s", dn->dir, blockid, what);
}

void
dn_delete_replica(const struct mdfs_dn *dn, uint64_t blockid)
{
	char	*p;

	p = dn_block_path(dn, blockid, "");
	unlink(p);
	free(p);
	p = dn_block_path(dn, blockid, ".meta");
	unlink(p);
	free(p);
}

/* One delimited message, through the SASL layer if there is one. */
static int
dn_send_msg(int fd, const ProtobufCMessage *m, struct error *err)
{
	struct buf	 b;
	int		 rc;

	buf_init(&b);
	wire_append_delimited(&b, m);
	rc = mdsasl_write(fd, b.data, b.len, err);
	buf_clear(&b);
	return rc;
}

static int
dn_send_response(int fd, Hd__BlockOpResponseProto *r)
{
	struct error	 err;

	return dn_send_msg(fd, &r->base, &err);
}

static void
dn_blockname(const Hd__ExtendedBlockProto *b, char *out, size_t len)
{
	snprintf(out, len, "%s:blk_%" PRIu64 "_%" PRIu64, b->poolid,
	    b->blockid, b->generationstamp);
}

const char *const dn_lie_kinds[] = { "none", "bad-checksum", "error",
	"truncate", "huge", "silent" };

/* --dn-lie: the lie, if any, this op's answer is to be. */
static int
dn_lie_due(const struct mdfs_dn *dn, const char *op, const char *name)
{
	static pthread_mutex_t	 mu = PTHREAD_MUTEX_INITIALIZER;
	int			 kind = MDFS_DNLIE_NONE;

	pthread_mutex_lock(&mu);
	if (mdfs.dn_lie != MDFS_DNLIE_NONE && mdfs.dn_lies_left > 0 &&
	    (mdfs.dn_lie_on == NULL || strcmp(mdfs.dn_lie_on, op) == 0)) {
		if (mdfs.dn_lies_left != UINT32_MAX)
			mdfs.dn_lies_left--;
		kind = mdfs.dn_lie;
	}
	pthread_mutex_unlock(&mu);
	if (kind != MDFS_DNLIE_NONE)
		mlog("dn%d lie %s op=%s blk=%s", dn->index, dn_lie_kinds[kind],
		    op, name);
	return kind;
}

/* The silent lie: reads and drops what comes until the client gives up. */
static void
dn_lie_silent(int fd)
{
	struct pollfd	 pfd = { fd, POLLIN, 0 };
	char		 junk[4096];

	while (poll(&pfd, 1, MDFS_IO_TIMEOUT_MS) == 1 &&
	    read(fd, junk, sizeof junk) > 0)
		continue;
}

/*
 * Sends the first len bytes of a message, or a length claiming 2 GiB
 * in place of it (huge), then ends the connection.
 */
static void
dn_lie_cut(int fd, int kind, const void *msg, size_t len, bool is_packet)
{
	/* A packet's payload length, then a header length of 25. */
	static const uint8_t	 huge_packet[] = { 0x7f, 0xff, 0xff, 0xff,
	    0x00, 0x19 };
	/* A varint message length of 2^31. */
	static const uint8_t	 huge_msg[] = { 0x80, 0x80, 0x80, 0x80, 0x08 };
	struct error		 err;

	if (kind == MDFS_DNLIE_HUGE)
		(void)mdsasl_write(fd, is_packet ? huge_packet : huge_msg,
		    is_packet ? sizeof huge_packet : sizeof huge_msg, &err);
	else
		(void)mdsasl_write(fd, msg, len / 2, &err);
	shutdown(fd, SHUT_RDWR);
}

/* Connects to ip:port within DN_CONNECT_MS. */
static int
dn_connect(const char *ip, uint32_t port)
{
	struct sockaddr_in	 sin;
	struct pollfd		 pfd;
	socklen_t		 len = sizeof(int);
	int			 fd, fl, soerr = 0;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, ip, &sin.sin_addr) != 1)
		return -1;
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		if (errno != EINPROGRESS)
			goto fail;
		pfd.fd = fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, DN_CONNECT_MS) != 1 ||
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1 ||
		    soerr != 0)
			goto fail;
	}
	fcntl(fd, F_SETFL, fl);
	return fd;
fail:
	close(fd);
	return -1;
}

/* Pipeline acks. */

static void
dn_enqueue(struct dn_write *w, int64_t seqno, bool last, Hd__Status status)
{
	pthread_mutex_lock(&w->mu);
	while (w->n == DN_ACKQ)
		pthread_cond_wait(&w->cv, &w->mu);
	w->q[(w->head + w->n) % DN_ACKQ] = (struct dn_ack){ seqno, last,
	    status };
	w->n++;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static void
dn_finish(struct dn_write *w)
{
	pthread_mutex_lock(&w->mu);
	w->done = true;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static void *
dn_responder(void *arg)
{
	struct dn_write		*w = arg;
	struct dn_ack		 a;
	Hd__PipelineAckProto	 ack = HD__PIPELINE_ACK_PROTO__INIT;
	Hd__PipelineAckProto	*mack;
	Hd__Status		 reply[MDFS_MAXDN + 1];
	uint32_t		 flag[MDFS_MAXDN + 1];
	struct buf		 b;
	struct error		 err;
	size_t			 n, i;

	buf_init(&b);
	for (;;) {
		pthread_mutex_lock(&w->mu);
		while (w->n == 0 && !w->done)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->n == 0) {
			pthread_mutex_unlock(&w->mu);
			break;
		}
		a = w->q[w->head];
		w->head = (w->head + 1) % DN_ACKQ;
		w->n--;
		pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->mu);

		reply[0] = a.status;
		n = 1;
		if (w->mfd != -1 && !w->mirror_bad &&
		    a.status == HD__STATUS__SUCCESS) {
			mack = NULL;
			if (wire_read_delimited(w->mfd, &b, 4096,
			    wire_deadline(MDFS_IO_TIMEOUT_MS), &err) == 0)
				mack = (Hd__PipelineAckProto *)wire_unpack(
				    &hd__pipeline_ack_proto__descriptor,
				    (uint8_t *)b.data, b.len, &err);
			if (mack == NULL || mack->seqno != a.seqno) {
				mlog("dn%d mirror ack for seq=%" PRId64
				    " failed: %s", w->dn->index, a.seqno,
				    mack == NULL ? err.msg : "seqno mismatch");
				w->mirror_bad = true;
			} else
				for (i = 0; i < mack->n_reply &&
				    n < nitems(reply); i++)
					reply[n++] = mack->reply[i];
			if (mack != NULL)
				protobuf_c_message_free_unpacked(&mack->base,
				    NULL);
		}
		if (w->mfd != -1 && n == 1)
			reply[n++] = w->mirror_bad ? HD__STATUS__ERROR :
			    HD__STATUS__SUCCESS;
		if (w->lie != MDFS_DNLIE_NONE && a.seqno >= 0) {
			if (w->lie == MDFS_DNLIE_BAD_CHECKSUM)
				reply[0] = HD__STATUS__ERROR_CHECKSUM;
			else if (w->lie == MDFS_DNLIE_ERROR)
				reply[0] = HD__STATUS__ERROR;
		}
		for (i = 0; i < n; i++)
			flag[i] = (uint32_t)reply[i];
		ack.seqno = a.seqno;
		ack.n_reply = n;
		ack.reply = reply;
		ack.has_downstreamacktimenanos = 1;
		ack.downstreamacktimenanos = 0;
		ack.n_flag = n;
		ack.flag = flag;
		if (mdfs.dn_slow_ms > 0)
			usleep(mdfs.dn_slow_ms * 1000);
		mlog("dn%d ack seq=%" PRId64 " status=%d%s", w->dn->index,
		    a.seqno, reply[0], n > 1 ? " +downstream" : "");
		if (w->lie != MDFS_DNLIE_NONE && a.seqno >= 0) {
			buf_reset(&b);
			wire_append_delimited(&b, &ack.base);
			if (w->lie == MDFS_DNLIE_TRUNCATE ||
			    w->lie == MDFS_DNLIE_HUGE)
				dn_lie_cut(w->fd, w->lie, b.data, b.len, false);
			else {
				(void)mdsasl_write(w->fd, b.data, b.len, &err);
				shutdown(w->fd, SHUT_RDWR);
			}
			break;
		}
		if (dn_send_msg(w->fd, &ack.base, &err) == -1)
			break;
		if (a.last || a.status != HD__STATUS__SUCCESS)
			break;
	}
	buf_clear(&b);
	return NULL;
}

/* Sets up the mirror; fills the connect-ack's status and firstBadLink. */
static void
dn_mirror(struct dn_write *w, Hd__OpWriteBlockProto *op,
    Hd__BlockOpResponseProto *resp, char *badlink, size_t badlen)
{
	Hd__OpWriteBlockProto		 fwd;
	Hd__BlockOpResponseProto	*mr;
	const Hd__DatanodeIDProto	*t = op->targets[0]->id;
	struct buf			 b;
	struct error			 err;
	char				 why[512];
	uint8_t				 hdr[3];
	int				 plain;

	snprintf(badlink, badlen, "%s:%u", t->ipaddr, t->xferport);
	if ((w->mfd = dn_connect(t->ipaddr, t->xferport)) == -1) {
		mlog("dn%d mirror %s: connect failed", w->dn->index, badlink);
		resp->status = HD__STATUS__ERROR;
		resp->firstbadlink = badlink;
		return;
	}
	dn_track(w->dn, w->mfd, true);
	if (mdfs.dt_sasl && mdsasl_connect(w->mfd, &plain,
	    op->header->baseheader->token, why, sizeof why) == -1) {
		mlog("dn%d mirror %s: sasl: %s", w->dn->index, badlink, why);
		resp->status = HD__STATUS__ERROR;
		resp->firstbadlink = badlink;
		return;
	}
	/* A relay took the socket over: go on with the plain end. */
	if (mdfs.dt_sasl && plain != w->mfd) {
		dn_track(w->dn, w->mfd, false);
		w->mfd = plain;
		dn_track(w->dn, w->mfd, true);
	}
	fwd = *op;
	fwd.n_targets = op->n_targets - 1;
	fwd.targets = op->targets + 1;
	fwd.n_targetstoragetypes = 0;
	fwd.n_targetpinnings = 0;
	fwd.n_targetstorageids = 0;
	wire_put_be16(hdr, DN_VERSION);
	hdr[2] = DN_OP_WRITE;
	buf_init(&b);
	buf_append(&b, hdr, sizeof hdr);
	wire_append_delimited(&b, &fwd.base);
	mr = NULL;
	if (mdsasl_write(w->mfd, b.data, b.len, &err) == 0 &&
	    wire_read_delimited(w->mfd, &b, 4096,
	    wire_deadline(MDFS_IO_TIMEOUT_MS), &err) == 0)
		mr = (Hd__BlockOpResponseProto *)wire_unpack(
		    &hd__block_op_response_proto__descriptor,
		    (uint8_t *)b.data, b.len, &err);
	buf_clear(&b);
	if (mr == NULL) {
		mlog("dn%d mirror %s: %s", w->dn->index, badlink, err.msg);
		resp->status = HD__STATUS__ERROR;
		resp->firstbadlink = badlink;
		return;
	}
	resp->status = mr->status;
	if (mr->status != HD__STATUS__SUCCESS && mr->firstbadlink != NULL &&
	    mr->firstbadlink[0] != '\0')
		snprintf(badlink, badlen, "%s", mr->firstbadlink);
	resp->firstbadlink = mr->status == HD__STATUS__SUCCESS ? "" : badlink;
	protobuf_c_message_free_unpacked(&mr->base, NULL);
}

static void
dn_write_block(struct mdfs_dn *dn, int fd, Hd__OpWriteBlockProto *op)
{
	Hd__BlockOpResponseProto	 resp =
	    HD__BLOCK_OP_RESPONSE_PROTO__INIT;
	const Hd__ExtendedBlockProto	*blk = op->header->baseheader->block;
	struct packet_header		 h;
	struct dn_write			 w;
	pthread_t			 responder;
	struct buf			 pkt;
	struct error			 err;
	uint8_t				 prefix[PACKET_PREFIX_LEN];
	uint32_t			 plen;
	uint16_t			 hlen;
	size_t				 clen;
	uint64_t			 received = 0;
	char				 badlink[300], name[160];
	char				*tmp = NULL, *final = NULL;
	char				*meta = NULL;
	int				 type, bfd = -1;
	uint32_t			 bpc;
	bool				 ok = false, started = false;
	FILE				*mf;

	memset(&w, 0, sizeof w);
	w.dn = dn;
	w.fd = fd;
	w.mfd = -1;
	pthread_mutex_init(&w.mu, NULL);
	pthread_cond_init(&w.cv, NULL);
	buf_init(&pkt);
	dn_blockname(blk, name, sizeof name);
	type = op->requestedchecksum->type;
	bpc = op->requestedchecksum->bytesperchecksum;
	resp.firstbadlink = "";
	if (op->stage !=
	    STAGE_CREATE ||
	    bpc == 0 || type < PACKET_CSUM_NULL || type > PACKET_CSUM_CRC32C) {
		resp.status = HD__STATUS__ERROR;
		resp.message = "minidfs: only PIPELINE_SETUP_CREATE with a "
		    "NULL, CRC32 or CRC32C checksum is supported";
		dn_send_response(fd, &resp);
		goto out;
	}
	if ((w.lie = dn_lie_due(dn, "WRITE_BLOCK", name)) ==
	    MDFS_DNLIE_SILENT) {
		dn_lie_silent(fd);
		goto out;
	}
	if (op->n_targets > 0)
		dn_mirror(&w, op, &resp, badlink, sizeof badlink);
	mlog("dn%d connect-ack status=%d firstBadLink=%s", dn->index,
	    resp.status, resp.firstbadlink);
	if (dn_send_response(fd, &resp) == -1 ||
	    resp.status != HD__STATUS__SUCCESS)
		goto out;
	w.nmirror = op->n_targets;

	tmp = dn_block_path(dn, blk->blockid, ".rbw");
	final = dn_block_path(dn, blk->blockid, "");
	meta = dn_block_path(dn, blk->blockid, ".meta");
	if ((bfd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1) {
		mlog("dn%d %s: %s", dn->index, tmp, strerror(errno));
		goto out;
	}
	if (pthread_create(&responder, NULL, dn_responder, &w) != 0)
		goto out;
	started = true;

	for (;;) {
		if (wire_read_full(fd, prefix, sizeof prefix,
		    wire_deadline(MDFS_IO_TIMEOUT_MS), &err) == -1 ||
		    packet_prefix_decode(prefix, &plen, &hlen, &err) == -1)
			break;
		buf_reset(&pkt);
		buf_reserve(&pkt, sizeof prefix + hlen + plen);
		memcpy(pkt.data, prefix, sizeof prefix);
		if (wire_read_full(fd, pkt.data + sizeof prefix,
		    hlen + plen - 4, wire_deadline(MDFS_IO_TIMEOUT_MS),
		    &err) == -1)
			break;
		pkt.len = sizeof prefix + hlen + plen - 4;
		if (packet_header_decode((uint8_t *)pkt.data + sizeof prefix,
		    hlen, &h, &err) == -1 ||
		    packet_payload_split(&h, plen, type, bpc, &clen,
		    &err) == -1)
			break;
		mlog("dn%d packet blk=%" PRIu64 " seq=%" PRId64 " off=%" PRId64
		    " len=%d last=%d sync=%d", dn->index, blk->blockid,
		    h.seqno, h.offset, h.datalen, h.last, h.sync);
		if (h.seqno == -1 && h.datalen == 0 && !h.last) {
			/* A heartbeat: pass it on and ack it. */
			if (w.mfd != -1 && !w.mirror_bad &&
			    mdsasl_write(w.mfd, pkt.data, pkt.len, &err) == -1)
				w.mirror_bad = true;
			dn_enqueue(&w, h.seqno, false, HD__STATUS__SUCCESS);
			continue;
		}
		if (h.offset < 0 || (uint64_t)h.offset > received) {
			snprintf(err.msg, sizeof err.msg, "Received an "
			    "out-of-sequence packet for %s at offset %" PRId64
			    ". Expecting packet starting at %" PRIu64, name,
			    h.offset, received);
			break;
		}
		if ((uint64_t)h.offset < received && bpc > 0 &&
		    h.offset % bpc != 0) {
			snprintf(err.msg, sizeof err.msg, "packet for %s at "
			    "offset %" PRId64 " overlaps the received %" PRIu64
			    " bytes off a chunk boundary", name, h.offset,
			    received);
			break;
		}
		if (packet_csum_verify(type, bpc, (uint8_t *)pkt.data +
		    sizeof prefix + hlen + clen, (size_t)h.datalen,
		    (uint8_t *)pkt.data + sizeof prefix + hlen, NULL,
		    &err) == -1) {
			mlog("dn%d checksum error blk=%" PRIu64 " seq=%" PRId64
			    ": %s", dn->index, blk->blockid, h.seqno, err.msg);
			dn_enqueue(&w, h.seqno, h.last,
			    HD__STATUS__ERROR_CHECKSUM);
			snprintf(err.msg, sizeof err.msg, "Terminating due "
			    "to a checksum error.");
			break;
		}
		if (h.datalen > 0) {
			pthread_mutex_lock(&dn->mu);
			dn->received += (uint64_t)h.datalen;
			if (mdfs.dn_die_after > 0 &&
			    dn->index == mdfs.dn_die_index &&
			    dn->received > mdfs.dn_die_after) {
				pthread_mutex_unlock(&dn->mu);
				dn_kill(dn);
				snprintf(err.msg, sizeof err.msg, "died");
				break;
			}
			pthread_mutex_unlock(&dn->mu);
			if (pwrite(bfd, pkt.data + sizeof prefix + hlen + clen,
			    (size_t)h.datalen, h.offset) != h.datalen) {
				snprintf(err.msg, sizeof err.msg, "write: %s",
				    strerror(errno));
				break;
			}
			if ((uint64_t)h.offset + (uint64_t)h.datalen > received)
				received = (uint64_t)h.offset +
				    (uint64_t)h.datalen;
		}
		if (w.mfd != -1 && !w.mirror_bad &&
		    mdsasl_write(w.mfd, pkt.data, pkt.len, &err) == -1) {
			mlog("dn%d mirror write: %s", dn->index, err.msg);
			w.mirror_bad = true;
		}
		if (h.last) {
			if (ftruncate(bfd, (off_t)received) == -1 ||
			    (mf = fopen(meta, "w")) == NULL) {
				snprintf(err.msg, sizeof err.msg, "finalize: "
				    "%s", strerror(errno));
				break;
			}
			fprintf(mf, "%" PRIu64 " %d %u %" PRIu64 "\n",
			    blk->generationstamp, type, bpc, received);
			if (fclose(mf) != 0 || rename(tmp, final) == -1) {
				snprintf(err.msg, sizeof err.msg, "finalize: "
				    "%s", strerror(errno));
				break;
			}
			mlog("dn%d finalized blk=%" PRIu64 " gs=%" PRIu64
			    " len=%" PRIu64, dn->index, blk->blockid,
			    blk->generationstamp, received);
			ns_replica_finalized(dn->index, blk->blockid,
			    blk->generationstamp, received);
			dn_enqueue(&w, h.seqno, true, HD__STATUS__SUCCESS);
			ok = true;
			break;
		}
		dn_enqueue(&w, h.seqno, false, HD__STATUS__SUCCESS);
	}
	if (!ok)
		mlog("dn%d write blk=%" PRIu64 " aborted: %s", dn->index,
		    blk->blockid, err.msg);
out:
	/* A broken mirror must not keep the responder waiting. */
	if (!ok && w.mfd != -1)
		shutdown(w.mfd, SHUT_RDWR);
	if (started) {
		dn_finish(&w);
		pthread_join(responder, NULL);
	}
	if (bfd != -1)
		close(bfd);
	if (!ok && tmp != NULL)
		unlink(tmp);
	if (w.mfd != -1) {
		dn_track(dn, w.mfd, false);
		mdsasl_close(w.mfd);
	}
	free(tmp);
	free(final);
	free(meta);
	buf_clear(&pkt);
	pthread_mutex_destroy(&w.mu);
	pthread_cond_destroy(&w.cv);
}

static void
dn_read_error(int fd, const char *name, const char *detail)
{
	Hd__BlockOpResponseProto	 resp =
	    HD__BLOCK_OP_RESPONSE_PROTO__INIT;
	char				 msg[600];

	snprintf(msg, sizeof msg, "opReadBlock %s received exception %s", name,
	    detail);
	mlog("READ_BLOCK refused: %s", msg);
	resp.status = HD__STATUS__ERROR;
	resp.message = msg;
	dn_send_response(fd, &resp);
}

static void
dn_read_block(struct mdfs_dn *dn, int fd, Hd__OpReadBlockProto *op)
{
	Hd__BlockOpResponseProto	 resp =
	    HD__BLOCK_OP_RESPONSE_PROTO__INIT;
	Hd__ReadOpChecksumInfoProto	 info =
	    HD__READ_OP_CHECKSUM_INFO_PROTO__INIT;
	Hd__ChecksumProto		 cs = HD__CHECKSUM_PROTO__INIT;
	Hd__ClientReadStatusProto	*st;
	const Hd__ExtendedBlockProto	*blk = op->header->baseheader->block;
	struct packet_header		 h;
	struct buf			 pkt, in;
	struct error			 err;
	uint64_t			 gs, len, start, end, pos;
	unsigned			 bpc;
	int				 type, bfd = -1, n, lie;
	int64_t				 seq = 0;
	uint8_t				*data = NULL;
	char				 name[160], detail[400];
	char				*path, *meta;
	FILE				*mf;
	ssize_t				 got;
	size_t				 psize;

	dn_blockname(blk, name, sizeof name);
	path = dn_block_path(dn, blk->blockid, "");
	meta = dn_block_path(dn, blk->blockid, ".meta");
	buf_init(&pkt);
	buf_init(&in);
	n = 0;
	if ((mf = fopen(meta, "r")) != NULL) {
		n = fscanf(mf, "%" SCNu64 " %d %u %" SCNu64, &gs, &type, &bpc,
		    &len);
		fclose(mf);
	}
	if (n != 4 || (bfd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(detail, sizeof detail, "org.apache.hadoop.hdfs.server."
		    "datanode.ReplicaNotFoundException: Replica not found for "
		    "%s", name);
		dn_read_error(fd, name, detail);
		goto out;
	}
	if (gs < blk->generationstamp) {
		snprintf(detail, sizeof detail, "java.io.IOException: Replica "
		    "gen stamp < block genstamp, block=%s, replica gs=%" PRIu64,
		    name, gs);
		dn_read_error(fd, name, detail);
		goto out;
	}
	if (op->offset > len || op->offset + op->len > len) {
		snprintf(detail, sizeof detail, "java.io.IOException:  Offset "
		    "%" PRIu64 " and length %" PRIu64 " don't match block %s "
		    "( blockLen %" PRIu64 " )", op->offset, op->len, name, len);
		dn_read_error(fd, name, detail);
		goto out;
	}
	if (op->has_sendchecksums && !op->sendchecksums)
		type = PACKET_CSUM_NULL;
	start = op->offset - op->offset % bpc;
	end = op->offset + op->len;
	end = end % bpc == 0 ? end : end - end % bpc + bpc;
	if (end > len)
		end = len;
	lie = dn_lie_due(dn, "READ_BLOCK", name);
	if (lie == MDFS_DNLIE_SILENT) {
		dn_lie_silent(fd);
		goto out;
	}
	if (lie == MDFS_DNLIE_ERROR) {
		resp.status = HD__STATUS__ERROR;
		resp.message = "minidfs: this DataNode lies";
		dn_send_response(fd, &resp);
		goto out;
	}
	cs.type = (Hd__ChecksumTypeProto)type;
	cs.bytesperchecksum = bpc;
	info.checksum = &cs;
	info.chunkoffset = start;
	resp.status = HD__STATUS__SUCCESS;
	resp.readopchecksuminfo = &info;
	mlog("dn%d READ_BLOCK blk=%" PRIu64 " off=%" PRIu64 " len=%" PRIu64
	    " csum=%d/%u chunkOffset=%" PRIu64, dn->index, blk->blockid,
	    op->offset, op->len, type, bpc, start);
	if (dn_send_response(fd, &resp) == -1)
		goto out;
	/*
	 * Under a SASL layer a whole packet must fit in one frame of the
	 * client's 64 KiB buffer: the Go client mis-counts a read that
	 * spans two frames.
	 */
	psize = mdfs.dt_qop > SASL_QOP_AUTH ? DN_READ_PACKET / 2 :
	    DN_READ_PACKET;
	data = xmalloc(psize);
	memset(&h, 0, sizeof h);
	for (pos = start; pos < end; pos += (uint64_t)h.datalen) {
		h.offset = (int64_t)pos;
		h.seqno = seq++;
		h.datalen = (int32_t)MIN(end - pos, (uint64_t)psize);
		got = pread(bfd, data, (size_t)h.datalen, (off_t)pos);
		if (got != h.datalen)
			goto out;
		buf_reset(&pkt);
		packet_append(&pkt, &h, type, bpc, data);
		if (mdfs.dn_slow_ms > 0)
			usleep(mdfs.dn_slow_ms * 1000);
		if (lie == MDFS_DNLIE_TRUNCATE || lie == MDFS_DNLIE_HUGE) {
			dn_lie_cut(fd, lie, pkt.data, pkt.len, true);
			goto out;
		}
		/* The data is the packet's end: a bit of its last byte rots. */
		if (lie == MDFS_DNLIE_BAD_CHECKSUM && h.datalen > 0) {
			pkt.data[pkt.len - 1] ^= 0x01;
			lie = MDFS_DNLIE_NONE;
		}
		if (mdsasl_write(fd, pkt.data, pkt.len, &err) == -1)
			goto out;
	}
	h.offset = (int64_t)end;
	h.seqno = seq;
	h.datalen = 0;
	h.last = true;
	buf_reset(&pkt);
	packet_append(&pkt, &h, type, bpc, NULL);
	if (mdsasl_write(fd, pkt.data, pkt.len, &err) == -1)
		goto out;
	/* Optional: Java sends CHECKSUM_OK, gohdfs just closes. */
	if (wire_read_delimited(fd, &in, 64, wire_deadline(10000), &err) == 0 &&
	    (st = (Hd__ClientReadStatusProto *)wire_unpack(
	    &hd__client_read_status_proto__descriptor, (uint8_t *)in.data,
	    in.len, &err)) != NULL) {
		mlog("dn%d read status=%d", dn->index, st->status);
		protobuf_c_message_free_unpacked(&st->base, NULL);
	}
out:
	if (bfd != -1)
		close(bfd);
	free(data);
	free(path);
	free(meta);
	buf_clear(&pkt);
	buf_clear(&in);
}

/*
 * The SASL handshake a protected DataNode demands first.  A client that
 * sends a plain request is reset, as the real DataNode does.
 */
static bool
dn_sasl(struct mdfs_dn *dn, int fd, int *plain, char *user, size_t userlen)
{
	struct linger	 l = { 1, 0 };
	char		 why[512], qop[32];
	int		 r;

	if ((r = mdsasl_serve(fd, plain, user, userlen, qop, sizeof qop, why,
	    sizeof why)) == 0) {
		mlog("dn%d sasl user=%s qop=%s", dn->index, user, qop);
		return true;
	}
	mlog("dn%d sasl refused: %s", dn->index, why);
	if (r == -2)
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	return false;
}

/*
 * With data transfer protection the op's token must be the one the
 * handshake proved, issued for this block; else ERROR_ACCESS_TOKEN.
 */
static bool
dn_token_ok(struct mdfs_dn *dn, int fd, const char *user,
    const Hd__BaseHeaderProto *bh)
{
	Hd__BlockOpResponseProto	 r = HD__BLOCK_OP_RESPONSE_PROTO__INIT;
	char				 why[256];

	if (!mdfs.dt_sasl || mdsasl_check(user, bh->token, bh->block->blockid,
	    why, sizeof why) == 0)
		return true;
	mlog("dn%d refused: %s", dn->index, why);
	r.status = HD__STATUS__ERROR_ACCESS_TOKEN;
	r.message = why;
	dn_send_response(fd, &r);
	return false;
}

void
dn_serve(struct mdfs_dn *dn, int net)
{
	Hd__OpWriteBlockProto	*wop;
	Hd__OpReadBlockProto	*rop;
	struct buf		 b, line;
	struct error		 err;
	uint8_t			 hdr[3];
	char			 user[256] = "";
	int			 fd = net;

	dn_track(dn, net, true);
	buf_init(&b);
	if (mdfs.dt_sasl && !dn_is_dead(dn) &&
	    !dn_sasl(dn, net, &fd, user, sizeof user))
		goto out;
	if (dn_is_dead(dn) || wire_read_full(fd, hdr, sizeof hdr,
	    wire_deadline(MDFS_IO_TIMEOUT_MS), &err) == -1)
		goto out;
	if (wire_get_be16(hdr) != DN_VERSION) {
		mlog("dn%d refused: Version Mismatch (Expected: %d, Received: "
		    "%u )", dn->index, DN_VERSION, wire_get_be16(hdr));
		goto out;
	}
	if (wire_read_delimited(fd, &b, 1 << 20,
	    wire_deadline(MDFS_IO_TIMEOUT_MS), &err) == -1) {
		mlog("dn%d refused: %s", dn->index, err.msg);
		goto out;
	}
	switch (hdr[2]) {
	case DN_OP_WRITE:
		if ((wop = (Hd__OpWriteBlockProto *)wire_unpack(
		    &hd__op_write_block_proto__descriptor, (uint8_t *)b.data,
		    b.len, &err)) == NULL) {
			mlog("dn%d WRITE_BLOCK refused: %s", dn->index,
			    err.msg);
			break;
		}
		if (mlog_enabled()) {
			buf_init(&line);
			mlog_fields(&line, &wop->base, "");
			mlog("dn%d WRITE_BLOCK%s", dn->index,
			    line.data != NULL ? line.data : "");
			buf_clear(&line);
		}
		if (dn_token_ok(dn, fd, user, wop->header->baseheader))
			dn_write_block(dn, fd, wop);
		protobuf_c_message_free_unpacked(&wop->base, NULL);
		break;
	case DN_OP_READ:
		if ((rop = (Hd__OpReadBlockProto *)wire_unpack(
		    &hd__op_read_block_proto__descriptor, (uint8_t *)b.data,
		    b.len, &err)) == NULL) {
			mlog("dn%d READ_BLOCK refused: %s", dn->index, err.msg);
			break;
		}
		if (dn_token_ok(dn, fd, user, rop->header->baseheader))
			dn_read_block(dn, fd, rop);
		protobuf_c_message_free_unpacked(&rop->base, NULL);
		break;
	default:
		mlog("dn%d refused: Unknown op %u in data stream", dn->index,
		    hdr[2]);
		break;
	}
out:
	dn_track(dn, net, false);
	/* The plain end of a SASL relay; the caller closes net. */
	if (fd != net)
		mdsasl_close(fd);
	buf_clear(&b);
}
