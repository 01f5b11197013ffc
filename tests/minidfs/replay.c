/*
 * minidfs-replay: plays the client side of a recorded NameNode
 * connection (a capture's c2s-nnN.bin) against minidfs and compares each
 * answer with the real NameNode's (s2c-nnN.bin): status, exception
 * class, detail code, first line of the message, which header fields are
 * present, and every field of the response body, values included except
 * those that differ between any two NameNodes (times, pool and storage
 * ids, ports, capacities, nonces).
 *
 *	minidfs-replay NN_PORT C2S S2C
 *	minidfs-replay --dn DN_PORT C2S S2C
 *
 * With --dn the recording is a DataNode connection: all the client's
 * bytes are sent, and what minidfs's DataNode answers, up to its close,
 * must equal the real DataNode's answer byte for byte (acks, connect-ack,
 * read response, read packets and their checksums).
 */
#include "config.h"

#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/fsio.h"
#include "hdfs/proto/namenode.pb-c.h"
#include "hdfs/proto/rpc.pb-c.h"
#include "hdfs/wire.h"

#include "short.h"

#define REPLAY_TIMEOUT	10000
#define REPLAY_MAXCALLS	256

struct frame {
	const uint8_t	*p;
	size_t		 len;
};

static const struct {
	const char				*method;
	const ProtobufCMessageDescriptor	*resp;
} replay_methods[] = {
	{ "getFileInfo", &hd__get_file_info_response_proto__descriptor },
	{ "getListing", &hd__get_listing_response_proto__descriptor },
	{ "mkdirs", &hd__mkdirs_response_proto__descriptor },
	{ "create", &hd__create_response_proto__descriptor },
	{ "addBlock", &hd__add_block_response_proto__descriptor },
	{ "complete", &hd__complete_response_proto__descriptor },
	{ "rename", &hd__rename_response_proto__descriptor },
	{ "rename2", &hd__rename2_response_proto__descriptor },
	{ "delete", &hd__delete_response_proto__descriptor },
	{ "getBlockLocations",
	    &hd__get_block_locations_response_proto__descriptor },
	{ "getServerDefaults",
	    &hd__get_server_defaults_response_proto__descriptor },
	{ "getFsStats", &hd__get_fs_stats_response_proto__descriptor },
};

/* Fields whose values differ between any two NameNodes. */
static const char *const replay_volatile[] = {
	"modification_time", "access_time", "poolId", "datanodeUuid",
	"xferPort", "infoPort", "ipcPort", "capacity", "dfsUsed", "remaining",
	"blockPoolUsed", "lastUpdate", "lastUpdateMonotonic",
	"lastBlockReportTime", "lastBlockReportMonotonic", "nonDfsUsed",
	"storageIDs", "challenge", "xceiverCount", "numBlocks",
};

static int	replay_failures;

static void
replay_check(bool ok, const char *what, const char *detail)
{
	printf("%s: %s%s%s\n", ok ? "ok" : "FAIL", what, detail[0] != '\0' ?
	    ": " : "", detail);
	if (!ok)
		replay_failures++;
}

static void
replay_load(const char *path, struct buf *b)
{
	struct error	 err;

	buf_init(b);
	if (fsio_read_file(path, b, &err) == -1) {
		fprintf(stderr, "minidfs-replay: %s\n", err.msg);
		exit(2);
	}
}

/* Splits 4-byte-length frames starting at off. */
static size_t
replay_split(const struct buf *b, size_t off, struct frame *f, size_t max)
{
	const uint8_t	*p = (const uint8_t *)b->data;
	size_t		 n = 0;
	uint32_t	 len;

	while (off + 4 <= b->len && n < max) {
		len = wire_get_be32(p + off);
		if (off + 4 + len > b->len)
			break;
		f[n].p = p + off + 4;
		f[n].len = len;
		n++;
		off += 4 + len;
	}
	return n;
}

static bool
replay_volatile_field(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof replay_volatile / sizeof replay_volatile[0];
	    i++)
		if (strcmp(replay_volatile[i], name) == 0)
			return true;
	return false;
}

static void
replay_value(struct buf *b, const ProtobufCFieldDescriptor *f, const void *p)
{
	const ProtobufCBinaryData	*bd;
	size_t				 i;

	switch (f->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_ENUM:
		buf_printf(b, "%d", *(const int32_t *)p);
		break;
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		buf_printf(b, "%u", *(const uint32_t *)p);
		break;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		buf_printf(b, "%" PRIu64, *(const uint64_t *)p);
		break;
	case PROTOBUF_C_TYPE_BOOL:
		buf_printf(b, "%d", *(const protobuf_c_boolean *)p ? 1 : 0);
		break;
	case PROTOBUF_C_TYPE_STRING:
		buf_printf(b, "\"%s\"", *(char *const *)p);
		break;
	case PROTOBUF_C_TYPE_BYTES:
		bd = p;
		buf_putc(b, '"');
		for (i = 0; i < bd->len; i++)
			buf_printf(b, bd->data[i] >= 0x20 &&
			    bd->data[i] < 0x7f ? "%c" : "\\x%02x",
			    bd->data[i]);
		buf_putc(b, '"');
		break;
	default:
		buf_puts(b, "?");
		break;
	}
}

static size_t
replay_elem_size(const ProtobufCFieldDescriptor *f)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		return 8;
	case PROTOBUF_C_TYPE_BOOL:
		return sizeof(protobuf_c_boolean);
	case PROTOBUF_C_TYPE_STRING:
	case PROTOBUF_C_TYPE_MESSAGE:
		return sizeof(void *);
	case PROTOBUF_C_TYPE_BYTES:
		return sizeof(ProtobufCBinaryData);
	default:
		return 4;
	}
}

/* One line per present field: "path=value" ("path={" for messages). */
static void
replay_walk(struct buf *b, const ProtobufCMessage *m, const char *prefix)
{
	const ProtobufCMessageDescriptor	*d = m->descriptor;
	const char				*base = (const char *)m;
	char					 path[512];
	size_t					 i, j, n;

	for (i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor	*f = &d->fields[i];
		const void			*p = base + f->offset;

		n = 1;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			n = *(const size_t *)(base + f->quantifier_offset);
			p = *(void *const *)p;
		} else if (f->type == PROTOBUF_C_TYPE_MESSAGE ||
		    f->type == PROTOBUF_C_TYPE_STRING) {
			if (*(void *const *)p == NULL)
				n = 0;
		} else if (f->label == PROTOBUF_C_LABEL_OPTIONAL &&
		    f->quantifier_offset != 0 &&
		    !*(const protobuf_c_boolean *)(base + f->quantifier_offset))
			n = 0;
		for (j = 0; j < n; j++) {
			const void	*e = (const char *)p +
			    (f->label == PROTOBUF_C_LABEL_REPEATED ?
			    j * replay_elem_size(f) : 0);

			if (f->label == PROTOBUF_C_LABEL_REPEATED)
				snprintf(path, sizeof path, "%s%s[%zu]", prefix,
				    f->name, j);
			else
				snprintf(path, sizeof path, "%s%s", prefix,
				    f->name);
			if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
				buf_printf(b, "%s {\n", path);
				strncat(path, ".",
				    sizeof path - strlen(path) - 1);
				replay_walk(b, *(ProtobufCMessage *const *)e,
				    path);
				continue;
			}
			buf_printf(b, "%s=", path);
			if (replay_volatile_field(f->name))
				buf_puts(b, "*");
			else
				replay_value(b, f, e);
			buf_putc(b, '\n');
		}
	}
	for (i = 0; i < m->n_unknown_fields; i++)
		buf_printf(b, "%s?%u (not in barge's protos)\n", prefix,
		    m->unknown_fields[i].tag);
}

/* Compares two walks line by line; reports the first difference. */
static void
replay_compare(const char *what, const struct buf *real,
    const struct buf *mine)
{
	const char	*a = real->data != NULL ? real->data : "";
	const char	*b = mine->data != NULL ? mine->data : "";
	char		 detail[1024];
	size_t		 la, lb;

	while (*a != '\0' || *b != '\0') {
		la = strcspn(a, "\n");
		lb = strcspn(b, "\n");
		if (la != lb || strncmp(a, b, la) != 0) {
			snprintf(detail, sizeof detail, "real %.*s | minidfs "
			    "%.*s", (int)la, *a != '\0' ? a : "(end)", (int)lb,
			    *b != '\0' ? b : "(end)");
			replay_check(false, what, detail);
			return;
		}
		a += la + (a[la] == '\n');
		b += lb + (b[lb] == '\n');
	}
	replay_check(true, what, "same fields and values");
}

struct reply {
	Hd__RpcResponseHeaderProto	*h;
	const uint8_t			*body;
	size_t				 bodylen;
	bool				 has_body;
};

static int
replay_parse(const uint8_t *p, size_t len, struct reply *r)
{
	const uint8_t	*m;
	size_t		 mlen;
	struct error	 err;

	memset(r, 0, sizeof *r);
	if (wire_next_delimited(&p, &len, &m, &mlen, &err) == -1 ||
	    (r->h = (Hd__RpcResponseHeaderProto *)wire_unpack(
	    &hd__rpc_response_header_proto__descriptor, m, mlen, &err)) == NULL)
		return -1;
	if (len > 0) {
		if (wire_next_delimited(&p, &len, &r->body, &r->bodylen,
		    &err) == -1)
			return -1;
		r->has_body = true;
	}
	return len == 0 ? 0 : -1;
}

static void
replay_header(struct buf *b, const Hd__RpcResponseHeaderProto *h)
{
	size_t	 n;

	buf_printf(b, "callId=%u\nstatus=%d\n", h->callid, h->status);
	if (h->has_serveripcversionnum)
		buf_printf(b, "serverIpcVersionNum=%u\n",
		    h->serveripcversionnum);
	if (h->exceptionclassname != NULL)
		buf_printf(b, "exceptionClassName=%s\n", h->exceptionclassname);
	if (h->errormsg != NULL) {
		n = strcspn(h->errormsg, "\n");
		buf_printf(b, "errorMsg=%.*s\n", (int)n, h->errormsg);
	}
	if (h->has_errordetail)
		buf_printf(b, "errorDetail=%d\n", h->errordetail);
	if (h->has_clientid)
		buf_printf(b, "clientId=%zu bytes\n", h->clientid.len);
	if (h->has_retrycount)
		buf_printf(b, "retryCount=%d\n", h->retrycount);
	if (h->has_stateid)
		buf_printf(b, "stateId=present\n");
}

static const ProtobufCMessageDescriptor *
replay_resp_desc(const char *method)
{
	size_t	 i;

	for (i = 0; i < sizeof replay_methods / sizeof replay_methods[0]; i++)
		if (strcmp(replay_methods[i].method, method) == 0)
			return replay_methods[i].resp;
	return NULL;
}

static void
replay_body(struct buf *b, const ProtobufCMessageDescriptor *d,
    const struct reply *r)
{
	ProtobufCMessage	*m;
	struct error		 err;

	if (!r->has_body) {
		buf_puts(b, "(no body)\n");
		return;
	}
	buf_puts(b, r->bodylen > 0 ? "body\n" : "empty body\n");
	if (d == NULL || r->bodylen == 0)
		return;
	if ((m = wire_unpack(d, r->body, r->bodylen, &err)) == NULL) {
		buf_printf(b, "unparsable: %s\n", err.msg);
		return;
	}
	replay_walk(b, m, "");
	protobuf_c_message_free_unpacked(m, NULL);
}

static int
replay_connect(const char *port)
{
	struct sockaddr_in	 sin;
	int			 fd;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1) {
		perror("socket");
		exit(2);
	}
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)atoi(port));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		perror("connect");
		exit(2);
	}
	return fd;
}

static int
replay_dn(const char *port, const char *c2spath, const char *s2cpath)
{
	struct buf	 c2s, s2c, got;
	struct error	 err;
	char		 chunk[65536], detail[256];
	ssize_t		 r;
	size_t		 i;
	int		 fd;

	replay_load(c2spath, &c2s);
	replay_load(s2cpath, &s2c);
	buf_init(&got);
	fd = replay_connect(port);
	if (wire_write_full(fd, c2s.data, c2s.len,
	    wire_deadline(REPLAY_TIMEOUT), &err) == -1) {
		replay_check(false, "send the client's bytes", err.msg);
		return 1;
	}
	/* The client is done; a reader that sends no status just leaves. */
	shutdown(fd, SHUT_WR);
	for (;;) {
		r = read(fd, chunk, sizeof chunk);
		if (r <= 0)
			break;
		buf_append(&got, chunk, (size_t)r);
		if (got.len > s2c.len + (1 << 20))
			break;
	}
	for (i = 0; i < got.len && i < s2c.len && got.data[i] == s2c.data[i];
	    i++)
		;
	snprintf(detail, sizeof detail, "%zu bytes, real %zu; first "
	    "difference at %zu", got.len, s2c.len, i);
	replay_check(got.len == s2c.len && i == s2c.len,
	    "DataNode answer byte for byte", i == s2c.len && got.len ==
	    s2c.len ? "" : detail);
	close(fd);
	buf_clear(&c2s);
	buf_clear(&s2c);
	buf_clear(&got);
	printf("%s\n", replay_failures == 0 ? "PASS" : "FAIL");
	return replay_failures == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	static struct frame	 req[REPLAY_MAXCALLS], real[REPLAY_MAXCALLS];
	static char		 methods[REPLAY_MAXCALLS][64];
	struct buf		 c2s, s2c, got, wr, wm;
	struct reply		 rr, mr;
	struct error		 err;
	Hd__RpcRequestHeaderProto *rh;
	Hd__RequestHeaderProto	*h;
	const uint8_t		*p, *m;
	size_t			 nreq, nreal, i, k = 0, left, mlen;
	char			 what[160], c;
	int			 fd;
	const char		*method;

	if (argc == 5 && strcmp(argv[1], "--dn") == 0)
		return replay_dn(argv[2], argv[3], argv[4]);
	if (argc != 4) {
		fprintf(stderr, "usage: minidfs-replay [--dn] PORT C2S S2C\n");
		return 2;
	}
	replay_load(argv[2], &c2s);
	replay_load(argv[3], &s2c);
	nreq = replay_split(&c2s, 7, req, REPLAY_MAXCALLS);
	nreal = replay_split(&s2c, 0, real, REPLAY_MAXCALLS);
	fd = replay_connect(argv[1]);
	if (wire_write_full(fd, c2s.data, 7, 0, &err) == -1)
		return 2;
	buf_init(&got);
	buf_init(&wr);
	buf_init(&wm);
	for (i = 0; i < nreq; i++) {
		p = req[i].p;
		left = req[i].len;
		if (wire_next_delimited(&p, &left, &m, &mlen, &err) == -1 ||
		    (rh = (Hd__RpcRequestHeaderProto *)wire_unpack(
		    &hd__rpc_request_header_proto__descriptor, m, mlen,
		    &err)) == NULL) {
			fprintf(stderr, "request %zu: %s\n", i, err.msg);
			return 2;
		}
		method = rh->callid == -33 ? "sasl" : rh->callid == -3 ?
		    "context" : "?";
		if (rh->callid >= 0 &&
		    wire_next_delimited(&p, &left, &m, &mlen, &err) == 0 &&
		    (h = (Hd__RequestHeaderProto *)wire_unpack(
		    &hd__request_header_proto__descriptor, m, mlen,
		    &err)) != NULL) {
			snprintf(methods[i], sizeof methods[i], "%s",
			    h->methodname);
			method = methods[i];
			protobuf_c_message_free_unpacked(&h->base, NULL);
		}
		wire_put_be32((uint8_t *)what, (uint32_t)req[i].len);
		if (wire_write_full(fd, what, 4, 0, &err) == -1 ||
		    wire_write_full(fd, req[i].p, req[i].len, 0, &err) == -1) {
			replay_check(false, method, "minidfs closed early");
			break;
		}
		if (k == nreal || replay_parse(real[k].p, real[k].len,
		    &rr) == -1 || (int32_t)rr.h->callid != rh->callid) {
			/* The real server did not answer this one. */
			if (k < nreal && rr.h != NULL)
				protobuf_c_message_free_unpacked(&rr.h->base,
				    NULL);
			protobuf_c_message_free_unpacked(&rh->base, NULL);
			continue;
		}
		k++;
		snprintf(what, sizeof what, "call %d %s", rh->callid, method);
		if (wire_read_frame(fd, &got, 1 << 26,
		    wire_deadline(REPLAY_TIMEOUT), &err) == -1 ||
		    replay_parse((const uint8_t *)got.data, got.len,
		    &mr) == -1) {
			replay_check(false, what, "no answer from minidfs");
			protobuf_c_message_free_unpacked(&rr.h->base, NULL);
			protobuf_c_message_free_unpacked(&rh->base, NULL);
			break;
		}
		buf_reset(&wr);
		buf_reset(&wm);
		replay_header(&wr, rr.h);
		replay_header(&wm, mr.h);
		replay_body(&wr, rh->callid == -33 ?
		    &hd__rpc_sasl_proto__descriptor : replay_resp_desc(method),
		    &rr);
		replay_body(&wm, rh->callid == -33 ?
		    &hd__rpc_sasl_proto__descriptor : replay_resp_desc(method),
		    &mr);
		replay_compare(what, &wr, &wm);
		if (rr.h->status ==
		    ST_FATAL) {
			replay_check(wire_read_full(fd, &c, 1,
			    wire_deadline(REPLAY_TIMEOUT), &err) == -1 &&
			    err.code == ERR_NOTFOUND, what,
			    "closes the connection after FATAL");
			protobuf_c_message_free_unpacked(&rr.h->base, NULL);
			protobuf_c_message_free_unpacked(&mr.h->base, NULL);
			protobuf_c_message_free_unpacked(&rh->base, NULL);
			break;
		}
		protobuf_c_message_free_unpacked(&rr.h->base, NULL);
		protobuf_c_message_free_unpacked(&mr.h->base, NULL);
		protobuf_c_message_free_unpacked(&rh->base, NULL);
	}
	replay_check(k == nreal, "every recorded answer was compared", "");
	close(fd);
	buf_clear(&got);
	buf_clear(&wr);
	buf_clear(&wm);
	buf_clear(&c2s);
	buf_clear(&s2c);
	printf("%s\n", replay_failures == 0 ? "PASS" : "FAIL");
	return replay_failures == 0 ? 0 : 1;
}
