/*
 * DataTransferProtocol, client side.  A writer owns one TCP connection to
 * the first DataNode of a block's pipeline and one packet buffer: packets
 * go out while acks come back, both through one poll() for
 * POLLIN|POLLOUT, so the pipeline never stalls on either direction.
 * Packets are not kept after sending: barge does not repair pipelines
 * (DESIGN section 8), a failed DataNode fails the block.  A reader
 * verifies every chunk's checksum before handing data out.
 */
#include "config.h"

#include "hdfs/datanode.h"

#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/net.h"
#include "base/xmalloc.h"
#include "hdfs/dnconn.h"
#include "hdfs/packet.h"
#include "hdfs/proto/datatransfer.pb-c.h"
#include "hdfs/proto/namenode.pb-c.h"
#include "hdfs/sasl_digest.h"
#include "hdfs/wire.h"

/* DataTransferProtocol: version 28, ops 80 (WRITE_BLOCK), 81 (READ_BLOCK). */
#define DN_VERSION	28
#define DN_OP_WRITE	80
#define DN_OP_READ	81
#define DN_ACK_MAX	1024
#define DN_HEARTBEAT	(-1)
#define DN_SETUP_CREATE	\
    HD__OP_WRITE_BLOCK_PROTO__BLOCK_CONSTRUCTION_STAGE__PIPELINE_SETUP_CREATE

struct dn_inflight {
	int64_t		 seqno;
	uint64_t	 end;		/* block offset after it */
};

struct dn_writer {
	struct dnconn		 c;
	struct dn_options	 o;
	char			**names;	/* "ip:port" per node */
	size_t			 nnodes;
	size_t			 data_max;	/* per packet */
	uint8_t			*pkt;		/* head, sums, data */
	uint8_t			*data;
	size_t			 fill;
	uint64_t		 offset;	/* block offset of data[0] */
	int64_t			 seqno;
	struct dn_inflight	*q;
	size_t			 qhead, qlen;
	uint64_t		 acked;
	uint8_t			 ack[DN_ACK_MAX];
	size_t			 acklen;
	int			 bad_node;
};

struct dn_reader {
	struct dnconn		 c;
	struct dn_options	 o;
	char			*peer;
	int			 csum_type;
	uint32_t		 bpc;
	uint64_t		 want;		/* bytes still owed */
	uint64_t		 skip;		/* bytes before offset */
	int64_t			 next_seqno;
	uint64_t		 next_offset;
	uint64_t		 block_id;
	struct buf		 pkt;
	size_t			 pos, end;	/* unread data in pkt */
	bool			 done;
};

static const char *
dn_status_name(int s)
{
	const ProtobufCEnumValue	*v;

	v = protobuf_c_enum_descriptor_get_value(&hd__status__descriptor, s);
	return v != NULL ? v->name : "UNKNOWN";
}

static char *
dn_node_name(const struct nn_datanode *d)
{
	return xasprintf("%s:%u", d->ip, d->xfer_port);
}

/*
 * Where to reach d: its reported IP, or its host name on clusters whose
 * DataNodes report an address the client cannot reach (NAT,
 * multi-homed: dfs.client.use.datanode.hostname).
 */
static const char *
dn_connect_host(const struct nn_datanode *d, const struct dn_options *o)
{
	return o->use_hostname && d->host != NULL && *d->host != '\0' ?
	    d->host : d->ip;
}

static uint64_t
dn_deadline(const struct dn_options *o)
{
	return net_deadline(o->io_timeout_ms);
}

static void
dn_token(Hd__TokenProto *t, const struct nn_block *b)
{
	hd__token_proto__init(t);
	t->identifier.data = b->tok_ident;
	t->identifier.len = b->tok_ident_len;
	t->password.data = b->tok_pass;
	t->password.len = b->tok_pass_len;
	t->kind = b->tok_kind;
	t->service = b->tok_service;
}

static void
dn_block(Hd__ExtendedBlockProto *e, const struct nn_block *b,
    uint64_t num_bytes)
{
	hd__extended_block_proto__init(e);
	e->poolid = b->pool_id;
	e->blockid = b->id;
	e->generationstamp = b->gs;
	e->has_numbytes = 1;
	e->numbytes = num_bytes;
}

/* Writes version, op and the delimited op message in one write. */
static int
dn_send_op(struct dnconn *c, uint8_t op, const ProtobufCMessage *m,
    const struct dn_options *o, struct error *err)
{
	struct buf	 b;
	uint8_t		 head[3];
	int		 rc;

	wire_put_be16(head, DN_VERSION);
	head[2] = op;
	buf_init(&b);
	buf_append(&b, head, sizeof head);
	wire_append_delimited(&b, m);
	rc = dnconn_write(c, b.data, b.len, dn_deadline(o), err);
	buf_clear(&b);
	return rc;
}

/*
 * The SASL handshake when asked for, with the block's token; at QOP
 * integrity or privacy the rest of the connection goes through the
 * layer it leaves.
 */
static int
dn_sasl(struct dnconn *c, const struct nn_block *b,
    const struct dn_options *o, struct error *err)
{
	struct sasl_layer	*l = NULL;

	if (o->qop == SASL_QOP_NONE)
		return 0;
	if (sasl_digest_handshake(c->fd, b->tok_ident, b->tok_ident_len,
	    b->tok_pass, b->tok_pass_len, o->qop, &l, dn_deadline(o),
	    err) == -1) {
		error_prefix(err, "data transfer protection");
		return -1;
	}
	if (l != NULL)
		dnconn_set_layer(c, l);
	return 0;
}

static Hd__BlockOpResponseProto *
dn_read_response(struct dnconn *c, const struct dn_options *o,
    struct error *err)
{
	Hd__BlockOpResponseProto	*r;
	struct buf			 b;

	buf_init(&b);
	if (dnconn_read_delimited(c, &b, 65536, dn_deadline(o), err) == -1) {
		/* A DataNode expecting SASL resets a plain request. */
		if (err != NULL && o->qop == SASL_QOP_NONE && (err->code == ERR_NOTFOUND ||
		    (err->code == ERR_SYS && err->sys == ECONNRESET)))
			error_set(err, ERR_PROTO, "connection %s (does the "
			    "DataNode expect SASL? set "
			    "hdfs.data_transfer_protection)",
			    err->code == ERR_SYS ? "reset" : "closed");
		else if (err != NULL && err->code == ERR_NOTFOUND)
			error_set(err, ERR_PROTO, "connection closed");
		buf_clear(&b);
		return NULL;
	}
	r = (Hd__BlockOpResponseProto *)wire_unpack(
	    &hd__block_op_response_proto__descriptor, (uint8_t *)b.data, b.len,
	    err);
	buf_clear(&b);
	return r;
}

struct dn_writer *
dn_writer_open_fd(int fd, const struct nn_block *b, const char *client,
    const struct dn_options *o, int64_t seqno, int *bad_node,
    struct error *err)
{
	Hd__OpWriteBlockProto		 op;
	Hd__ClientOperationHeaderProto	 ch =
	    HD__CLIENT_OPERATION_HEADER_PROTO__INIT;
	Hd__BaseHeaderProto		 bh = HD__BASE_HEADER_PROTO__INIT;
	Hd__ExtendedBlockProto		 eb;
	Hd__TokenProto			 tok;
	Hd__ChecksumProto		 cs = HD__CHECKSUM_PROTO__INIT;
	Hd__CachingStrategyProto	 cache;
	Hd__DatanodeInfoProto		*tg = NULL, **tgp = NULL;
	Hd__DatanodeIDProto		*tgid = NULL;
	Hd__StorageTypeProto		*tgtypes = NULL;
	char				**tgids = NULL;
	protobuf_c_boolean		*pins = NULL;
	Hd__BlockOpResponseProto	*r = NULL;
	struct dn_writer		*w;
	size_t				 i, n = b->nlocs, chunks, csmax;

	w = xcalloc(1, sizeof *w);
	dnconn_init(&w->c, fd);
	w->o = *o;
	w->seqno = seqno;
	w->bad_node = -1;
	w->nnodes = n;
	w->names = xcalloc(n + 1, sizeof *w->names);
	for (i = 0; i < n; i++)
		w->names[i] = dn_node_name(&b->locs[i]);
	if (bad_node != NULL)
		*bad_node = -1;

	/* Java's packet sizing: whole chunks that fit in writePacketSize. */
	chunks = o->packet_size > PACKET_HEAD_MAX ?
	    (o->packet_size - PACKET_HEAD_MAX) / (o->bpc + 4) : 1;
	if (chunks == 0)
		chunks = 1;
	w->data_max = chunks * o->bpc;
	csmax = packet_csum_len(o->csum_type, o->bpc, w->data_max);
	w->pkt = xmalloc(PACKET_HEAD_MAX + csmax + w->data_max);
	w->data = w->pkt + PACKET_HEAD_MAX + csmax;
	w->q = xcalloc(o->max_inflight + 1, sizeof *w->q);

	/* The op as the Java client sends it (captures 02 and 03). */
	hd__op_write_block_proto__init(&op);
	hd__caching_strategy_proto__init(&cache);
	dn_block(&eb, b, o->block_size);
	dn_token(&tok, b);
	bh.block = &eb;
	bh.token = &tok;
	ch.baseheader = &bh;
	ch.clientname = (char *)client;
	op.header = &ch;
	if (n > 1) {
		tg = xcalloc(n - 1, sizeof *tg);
		tgid = xcalloc(n - 1, sizeof *tgid);
		tgp = xcalloc(n - 1, sizeof *tgp);
		tgtypes = xcalloc(n - 1, sizeof *tgtypes);
		tgids = xcalloc(n - 1, sizeof *tgids);
		for (i = 1; i < n; i++) {
			const struct nn_datanode *d = &b->locs[i];

			hd__datanode_info_proto__init(&tg[i - 1]);
			hd__datanode_idproto__init(&tgid[i - 1]);
			tgid[i - 1].ipaddr = d->ip;
			tgid[i - 1].hostname = d->host;
			tgid[i - 1].datanodeuuid = d->uuid;
			tgid[i - 1].xferport = d->xfer_port;
			tgid[i - 1].infoport = d->info_port;
			tgid[i - 1].ipcport = d->ipc_port;
			tgid[i - 1].has_infosecureport = 1;
			tgid[i - 1].infosecureport = d->info_secure_port;
			tg[i - 1].id = &tgid[i - 1];
			tg[i - 1].location = d->location;
			tgp[i - 1] = &tg[i - 1];
			tgtypes[i - 1] = (Hd__StorageTypeProto)d->storage_type;
			tgids[i - 1] = d->storage_id != NULL ?
			    d->storage_id : (char *)"";
		}
		op.n_targets = n - 1;
		op.targets = tgp;
		op.n_targetstoragetypes = n - 1;
		op.targetstoragetypes = tgtypes;
		if (b->locs[1].storage_id != NULL) {
			op.n_targetstorageids = n - 1;
			op.targetstorageids = tgids;
		}
	}
	op.stage = DN_SETUP_CREATE;
	op.pipelinesize = (uint32_t)n;
	op.minbytesrcvd = 0;
	op.maxbytesrcvd = 0;
	op.latestgenerationstamp = 0;
	cs.type = (Hd__ChecksumTypeProto)o->csum_type;
	cs.bytesperchecksum = o->bpc;
	op.requestedchecksum = &cs;
	op.cachingstrategy = &cache;
	op.has_storagetype = 1;
	op.storagetype = (Hd__StorageTypeProto)b->locs[0].storage_type;
	op.has_allowlazypersist = 1;
	op.allowlazypersist = 0;
	op.has_pinning = 1;
	op.pinning = 0;
	pins = xcalloc(n, sizeof *pins);
	op.n_targetpinnings = n;
	op.targetpinnings = pins;
	op.storageid = b->locs[0].storage_id;

	if (dn_sasl(&w->c, b, o, err) == -1 ||
	    dn_send_op(&w->c, DN_OP_WRITE, &op.base, o, err) == -1 ||
	    (r = dn_read_response(&w->c, o, err)) == NULL) {
		error_prefix(err, "DataNode %s: WRITE_BLOCK", w->names[0]);
		w->bad_node = 0;
		goto fail;
	}
	if (r->status != HD__STATUS__SUCCESS) {
		w->bad_node = 0;
		if (r->firstbadlink != NULL && r->firstbadlink[0] != '\0')
			for (i = 0; i < n; i++)
				if (strcmp(w->names[i], r->firstbadlink) == 0)
					w->bad_node = (int)i;
		error_set(err, ERR_REMOTE, "DataNode %s: WRITE_BLOCK "
		    "refused: %s%s%s%s%s", w->names[0],
		    dn_status_name(r->status),
		    r->message != NULL ? ": " : "",
		    r->message != NULL ? r->message : "",
		    r->firstbadlink != NULL && r->firstbadlink[0] != '\0' ?
		    ", first bad link " : "",
		    r->firstbadlink != NULL ? r->firstbadlink : "");
		goto fail;
	}
	protobuf_c_message_free_unpacked(&r->base, NULL);
	free(tg);
	free(tgid);
	free(tgp);
	free(tgtypes);
	free(tgids);
	free(pins);
	return w;
fail:
	if (bad_node != NULL)
		*bad_node = w->bad_node;
	if (r != NULL)
		protobuf_c_message_free_unpacked(&r->base, NULL);
	free(tg);
	free(tgid);
	free(tgp);
	free(tgtypes);
	free(tgids);
	free(pins);
	dn_writer_free(w);
	return NULL;
}

struct dn_writer *
dn_writer_open(const struct nn_block *b, const char *client,
    const struct dn_options *o, int64_t seqno, int *bad_node,
    struct error *err)
{
	char	 port[8];
	int	 fd;

	if (bad_node != NULL)
		*bad_node = 0;
	snprintf(port, sizeof port, "%u", b->locs[0].xfer_port);
	if ((fd = net_connect_tcp(dn_connect_host(&b->locs[0], o), port, o->connect_timeout_ms,
	    err)) == -1) {
		error_prefix(err, "DataNode");
		return NULL;
	}
	return dn_writer_open_fd(fd, b, client, o, seqno, bad_node, err);
}

void
dn_writer_free(struct dn_writer *w)
{
	size_t	 i;

	if (w == NULL)
		return;
	dnconn_close(&w->c);
	for (i = 0; i < w->nnodes; i++)
		free(w->names[i]);
	free(w->names);
	free(w->pkt);
	free(w->q);
	free(w);
}

uint64_t
dn_writer_acked(const struct dn_writer *w)
{
	return w->acked;
}

int64_t
dn_writer_seqno(const struct dn_writer *w)
{
	return w->seqno;
}

int
dn_writer_bad_node(const struct dn_writer *w)
{
	return w->bad_node;
}

static int
dn_handle_ack(struct dn_writer *w, const Hd__PipelineAckProto *a,
    struct error *err)
{
	struct dn_inflight	*f;
	size_t			 i, n;
	int			 s;

	if (a->seqno == DN_HEARTBEAT)
		return 0;
	if (w->qlen == 0)
		return error_set(err, ERR_PROTO, "DataNode %s: ack for packet "
		    "%lld, none outstanding", w->names[0],
		    (long long)a->seqno);
	f = &w->q[w->qhead];
	if (a->seqno != f->seqno)
		return error_set(err, ERR_PROTO, "DataNode %s: ack for packet "
		    "%lld, expected %lld", w->names[0], (long long)a->seqno,
		    (long long)f->seqno);
	n = a->n_flag > 0 ? a->n_flag : a->n_reply;
	if (n == 0)
		return error_set(err, ERR_PROTO, "DataNode %s: empty ack",
		    w->names[0]);
	for (i = 0; i < n; i++) {
		s = a->n_flag > 0 ? (int)(a->flag[i] & 0x0f) : (int)a->reply[i];
		if (s != HD__STATUS__SUCCESS) {
			w->bad_node = (int)i;
			return error_set(err, ERR_REMOTE, "DataNode %s: %s for "
			    "packet %lld", i < w->nnodes ? w->names[i] : "?",
			    dn_status_name(s), (long long)a->seqno);
		}
	}
	w->acked = f->end;
	w->qhead = (w->qhead + 1) % (w->o.max_inflight + 1);
	w->qlen--;
	return 0;
}

/*
 * Handles the complete acks in the buffer.  Acks wait there while no
 * packet is outstanding: they cannot belong to anything sent yet.
 */
static int
dn_parse_acks(struct dn_writer *w, struct error *err)
{
	Hd__PipelineAckProto	*a;
	uint64_t		 len;
	size_t			 used;
	int			 k, rc;

	while (w->qlen > 0) {
		k = wire_varint_get(w->ack, w->acklen, &len);
		if (k == 0)
			return 0;
		if (k < 0) {
			w->bad_node = 0;
			return error_set(err, ERR_PROTO, "DataNode %s: bad ack "
			    "length", w->names[0]);
		}
		if (len > sizeof w->ack - WIRE_VARINT_MAX) {
			w->bad_node = 0;
			return error_set(err, ERR_PROTO, "DataNode %s: ack of "
			    "%llu bytes exceeds the limit of %zu", w->names[0],
			    (unsigned long long)len,
			    sizeof w->ack - WIRE_VARINT_MAX);
		}
		if ((size_t)k + len > w->acklen)
			return 0;
		a = (Hd__PipelineAckProto *)wire_unpack(
		    &hd__pipeline_ack_proto__descriptor, w->ack + k,
		    (size_t)len, err);
		if (a == NULL)
			return -1;
		rc = dn_handle_ack(w, a, err);
		protobuf_c_message_free_unpacked(&a->base, NULL);
		if (rc == -1)
			return -1;
		used = (size_t)k + (size_t)len;
		memmove(w->ack, w->ack + used, w->acklen - used);
		w->acklen -= used;
	}
	return 0;
}

/* Reads whatever acks have arrived, without blocking. */
static int
dn_read_acks(struct dn_writer *w, struct error *err)
{
	ssize_t	 r;

	if (w->acklen == sizeof w->ack)
		return error_set(err, ERR_PROTO, "DataNode %s: acks for "
		    "packets never sent", w->names[0]);
	r = dnconn_recv_some(&w->c, w->ack + w->acklen,
	    sizeof w->ack - w->acklen, err);
	if (r == -1) {
		w->bad_node = 0;
		if (err != NULL && err->code == ERR_NOTFOUND)
			return error_set(err, ERR_PROTO, "DataNode %s: "
			    "connection closed with %zu packet%s "
			    "unacknowledged", w->names[0], w->qlen,
			    w->qlen == 1 ? "" : "s");
		error_prefix(err, "DataNode %s", w->names[0]);
		return -1;
	}
	w->acklen += (size_t)r;
	return dn_parse_acks(w, err);
}

/*
 * Sends n bytes from p while consuming acks, then keeps reading acks
 * until at most maxq packets are outstanding.  The deadline restarts at
 * every bit of progress.
 */
static int
dn_pump(struct dn_writer *w, const uint8_t *p, size_t n, size_t maxq,
    struct error *err)
{
	uint64_t	 deadline = dn_deadline(&w->o);
	size_t		 qlen, left;
	int		 rev;

	if (dn_parse_acks(w, err) == -1)
		return -1;
	if (n > 0 && dnconn_queue(&w->c, p, n, err) == -1) {
		w->bad_node = 0;
		error_prefix(err, "DataNode %s", w->names[0]);
		return -1;
	}
	while ((left = dnconn_pending(&w->c)) > 0 || w->qlen > maxq) {
		/* Acks the layer already unwrapped announce no POLLIN. */
		if (dnconn_buffered(&w->c) > 0)
			rev = POLLIN;
		else if ((rev = net_wait(w->c.fd, (short)(POLLIN |
		    (left > 0 ? POLLOUT : 0)), deadline, err)) == -1) {
			w->bad_node = 0;
			error_prefix(err, "DataNode %s: waiting for acks",
			    w->names[0]);
			return -1;
		}
		if (rev & (POLLIN | POLLHUP | POLLERR)) {
			qlen = w->qlen;
			if (dn_read_acks(w, err) == -1)
				return -1;
			if (w->qlen != qlen)
				deadline = dn_deadline(&w->o);
		}
		if (left > 0 && (rev & POLLOUT)) {
			if (dnconn_send_some(&w->c, err) == -1) {
				w->bad_node = 0;
				error_prefix(err, "DataNode %s", w->names[0]);
				return -1;
			}
			if (dnconn_pending(&w->c) != left)
				deadline = dn_deadline(&w->o);
		}
	}
	return 0;
}

static int
dn_send_packet(struct dn_writer *w, bool last, struct error *err)
{
	struct packet_header	 h;
	struct dn_inflight	*f;
	uint8_t			 head[PACKET_HEAD_MAX], *csum, *start;
	size_t			 clen, hl;

	clen = packet_csum_len(w->o.csum_type, w->o.bpc, w->fill);
	csum = w->data - clen;
	packet_csum(w->o.csum_type, w->o.bpc, w->data, w->fill, csum);
	memset(&h, 0, sizeof h);
	h.offset = (int64_t)w->offset;
	h.seqno = w->seqno;
	h.last = last;
	h.datalen = (int32_t)w->fill;
	hl = packet_head_encode(&h, clen, head);
	start = csum - hl;
	memcpy(start, head, hl);

	if (w->qlen >= w->o.max_inflight &&
	    dn_pump(w, NULL, 0, w->o.max_inflight - 1, err) == -1)
		return -1;
	f = &w->q[(w->qhead + w->qlen) % (w->o.max_inflight + 1)];
	f->seqno = w->seqno;
	f->end = w->offset + w->fill;
	w->qlen++;
	if (dn_pump(w, start, hl + clen + w->fill, w->o.max_inflight,
	    err) == -1)
		return -1;
	w->offset += w->fill;
	w->seqno++;
	w->fill = 0;
	return 0;
}

int
dn_writer_write(struct dn_writer *w, const void *p, size_t n,
    struct error *err)
{
	const uint8_t	*s = p;
	size_t		 k;

	while (n > 0) {
		k = MIN(n, w->data_max - w->fill);
		memcpy(w->data + w->fill, s, k);
		w->fill += k;
		s += k;
		n -= k;
		if (w->fill == w->data_max &&
		    dn_send_packet(w, false, err) == -1)
			return -1;
	}
	return 0;
}

int
dn_writer_finish(struct dn_writer *w, struct error *err)
{
	if (w->fill > 0 && dn_send_packet(w, false, err) == -1)
		return -1;
	/* Java waits for every ack before the empty last packet. */
	if (dn_pump(w, NULL, 0, 0, err) == -1)
		return -1;
	if (dn_send_packet(w, true, err) == -1 ||
	    dn_pump(w, NULL, 0, 0, err) == -1)
		return -1;
	return 0;
}

struct dn_reader *
dn_reader_open_fd(int fd, const struct nn_block *b, uint64_t offset,
    uint64_t len, const char *client, const struct dn_options *o,
    struct error *err)
{
	Hd__OpReadBlockProto		 op = HD__OP_READ_BLOCK_PROTO__INIT;
	Hd__ClientOperationHeaderProto	 ch =
	    HD__CLIENT_OPERATION_HEADER_PROTO__INIT;
	Hd__BaseHeaderProto		 bh = HD__BASE_HEADER_PROTO__INIT;
	Hd__ExtendedBlockProto		 eb;
	Hd__TokenProto			 tok;
	Hd__CachingStrategyProto	 cache;
	Hd__BlockOpResponseProto	*r = NULL;
	const Hd__ReadOpChecksumInfoProto *ci;
	struct dn_reader		*rd;

	rd = xcalloc(1, sizeof *rd);
	dnconn_init(&rd->c, fd);
	rd->o = *o;
	rd->want = len;
	rd->block_id = b->id;
	buf_init(&rd->pkt);

	hd__caching_strategy_proto__init(&cache);
	dn_block(&eb, b, b->num_bytes);
	dn_token(&tok, b);
	bh.block = &eb;
	bh.token = &tok;
	ch.baseheader = &bh;
	ch.clientname = (char *)client;
	op.header = &ch;
	op.offset = offset;
	op.len = len;
	op.has_sendchecksums = 1;
	op.sendchecksums = 1;
	op.cachingstrategy = &cache;
	if (dn_sasl(&rd->c, b, o, err) == -1 ||
	    dn_send_op(&rd->c, DN_OP_READ, &op.base, o, err) == -1 ||
	    (r = dn_read_response(&rd->c, o, err)) == NULL) {
		error_prefix(err, "READ_BLOCK");
		goto fail;
	}
	if (r->status != HD__STATUS__SUCCESS) {
		error_set(err, ERR_REMOTE, "READ_BLOCK refused: %s%s%s",
		    dn_status_name(r->status), r->message != NULL ? ": " : "",
		    r->message != NULL ? r->message : "");
		goto fail;
	}
	if ((ci = r->readopchecksuminfo) == NULL) {
		error_set(err, ERR_PROTO, "READ_BLOCK: no checksum info");
		goto fail;
	}
	rd->csum_type = (int)ci->checksum->type;
	rd->bpc = ci->checksum->bytesperchecksum;
	if ((rd->csum_type != PACKET_CSUM_NULL &&
	    rd->csum_type != PACKET_CSUM_CRC32 &&
	    rd->csum_type != PACKET_CSUM_CRC32C) || rd->bpc == 0 ||
	    ci->chunkoffset > offset || offset - ci->chunkoffset >= rd->bpc) {
		error_set(err, ERR_PROTO, "READ_BLOCK: bad checksum info "
		    "(type %d, %u bytes, chunk offset %llu for offset %llu)",
		    rd->csum_type, rd->bpc,
		    (unsigned long long)ci->chunkoffset,
		    (unsigned long long)offset);
		goto fail;
	}
	rd->skip = offset - ci->chunkoffset;
	rd->next_offset = ci->chunkoffset;
	protobuf_c_message_free_unpacked(&r->base, NULL);
	return rd;
fail:
	if (r != NULL)
		protobuf_c_message_free_unpacked(&r->base, NULL);
	dn_reader_free(rd);
	return NULL;
}

struct dn_reader *
dn_reader_open(const struct nn_block *b, size_t loc, uint64_t offset,
    uint64_t len, const char *client, const struct dn_options *o,
    struct error *err)
{
	struct dn_reader	*rd;
	char			 port[8], *name;
	int			 fd;

	name = dn_node_name(&b->locs[loc]);
	snprintf(port, sizeof port, "%u", b->locs[loc].xfer_port);
	if ((fd = net_connect_tcp(dn_connect_host(&b->locs[loc], o), port,
	    o->connect_timeout_ms, err)) == -1) {
		error_prefix(err, "DataNode");
		free(name);
		return NULL;
	}
	if ((rd = dn_reader_open_fd(fd, b, offset, len, client, o,
	    err)) == NULL) {
		error_prefix(err, "DataNode %s", name);
		free(name);
		return NULL;
	}
	rd->peer = name;
	return rd;
}

void
dn_reader_free(struct dn_reader *rd)
{
	if (rd == NULL)
		return;
	dnconn_close(&rd->c);
	buf_clear(&rd->pkt);
	free(rd->peer);
	free(rd);
}

/* Reads and verifies the next packet into rd->pkt; *last when empty-last. */
static int
dn_read_packet(struct dn_reader *rd, bool *last, struct error *err)
{
	struct packet_header	 h;
	uint8_t			 pre[PACKET_PREFIX_LEN];
	uint8_t			 hb[PACKET_HEAD_MAX];
	uint64_t		 deadline = dn_deadline(&rd->o);
	uint32_t		 plen;
	uint16_t		 hlen;
	size_t			 clen, bad, dlen;

	if (dnconn_read(&rd->c, pre, sizeof pre, deadline, err) == -1 ||
	    packet_prefix_decode(pre, &plen, &hlen, err) == -1)
		goto fail;
	if (hlen > sizeof hb) {
		error_set(err, ERR_PROTO, "packet header of %u bytes", hlen);
		goto fail;
	}
	if (dnconn_read(&rd->c, hb, hlen, deadline, err) == -1 ||
	    packet_header_decode(hb, hlen, &h, err) == -1 ||
	    packet_payload_split(&h, plen, rd->csum_type, rd->bpc, &clen,
	    err) == -1)
		goto fail;
	if (h.seqno != rd->next_seqno) {
		error_set(err, ERR_PROTO, "packet %lld out of order, expected "
		    "%lld", (long long)h.seqno, (long long)rd->next_seqno);
		goto fail;
	}
	if ((uint64_t)h.offset != rd->next_offset) {
		error_set(err, ERR_PROTO, "packet at offset %lld, expected "
		    "%llu", (long long)h.offset,
		    (unsigned long long)rd->next_offset);
		goto fail;
	}
	buf_reset(&rd->pkt);
	buf_reserve(&rd->pkt, plen - 4);
	if (dnconn_read(&rd->c, rd->pkt.data, plen - 4, deadline,
	    err) == -1)
		goto fail;
	rd->pkt.len = plen - 4;
	dlen = (size_t)h.datalen;
	if (packet_csum_verify(rd->csum_type, rd->bpc,
	    (uint8_t *)rd->pkt.data + clen, dlen, (uint8_t *)rd->pkt.data,
	    &bad, err) == -1) {
		error_set(err, ERR_PROTO, "checksum error in block %llu at "
		    "offset %llu", (unsigned long long)rd->block_id,
		    (unsigned long long)(rd->next_offset + bad * rd->bpc));
		goto fail;
	}
	rd->next_seqno++;
	rd->next_offset += dlen;
	rd->pos = clen;
	rd->end = clen + dlen;
	*last = h.last;
	return 0;
fail:
	if (err != NULL && err->code == ERR_NOTFOUND)
		error_set(err, ERR_PROTO, "connection closed");
	return -1;
}

ssize_t
dn_reader_read(struct dn_reader *rd, void *p, size_t n, struct error *err)
{
	static const uint8_t	 ok[] = { 0x02, 0x08, 0x06 };
	struct error		 e;
	size_t			 k;
	bool			 last;

	while (rd->pos == rd->end) {
		if (rd->done)
			return 0;
		if (rd->want == 0) {
			/* The empty last packet, then CHECKSUM_OK. */
			rd->done = true;
			if (dn_read_packet(rd, &last, &e) == 0 && last &&
			    rd->pos == rd->end)
				dnconn_write(&rd->c, ok, sizeof ok,
				    dn_deadline(&rd->o), &e);
			return 0;
		}
		if (dn_read_packet(rd, &last, err) == -1)
			goto fail;
		if (rd->skip > 0) {
			k = MIN(rd->skip, rd->end - rd->pos);
			rd->pos += k;
			rd->skip -= k;
		}
		if (rd->end - rd->pos > rd->want)
			rd->end = rd->pos + (size_t)rd->want;
		if (last && rd->pos == rd->end) {
			error_set(err, ERR_PROTO, "block ended %llu bytes "
			    "early", (unsigned long long)rd->want);
			goto fail;
		}
	}
	k = MIN(n, rd->end - rd->pos);
	memcpy(p, rd->pkt.data + rd->pos, k);
	rd->pos += k;
	rd->want -= k;
	return (ssize_t)k;
fail:
	if (rd->peer != NULL)
		error_prefix(err, "DataNode %s", rd->peer);
	return -1;
}
