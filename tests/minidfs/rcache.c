/*
 * The NameNode's retry cache, as a client can see it: the successful
 * outcome of every at-most-once call, keyed by (client id, call id), kept
 * for --retry-cache-ms.  One cache serves both NameNodes of an HA pair,
 * as a real standby fills its own from the edit log.  A call whose key is
 * cached is not run again: it gets the cached outcome.  That is also what
 * a client that reuses call ids for other calls gets, down to the
 * ClassCastException a real NameNode throws when a create meets the
 * entry of a call without a payload.  Failed calls are not kept: their
 * retries run again, as Java's RetryCache does.  Callers hold ns_lock.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/hmap.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "hdfs/proto/namenode.pb-c.h"
#include "hdfs/proto/rpc.pb-c.h"

#include "minidfs.h"

#define RCACHE_KEYLEN	(16 + 4)
#define RCACHE_CCE	"java.lang.ClassCastException"
#define RCACHE_CCE_MSG	"class org.apache.hadoop.ipc.RetryCache$CacheEntry " \
	"cannot be cast to class org.apache.hadoop.ipc.RetryCache$" \
	"CacheEntryWithPayload (org.apache.hadoop.ipc.RetryCache$CacheEntry " \
	"and org.apache.hadoop.ipc.RetryCache$CacheEntryWithPayload are in " \
	"unnamed module of loader 'app')"

struct rcache_entry {
	uint8_t		 key[RCACHE_KEYLEN];
	uint64_t	 expires_ms;
	uint8_t		*payload;	/* create's CreateResponseProto */
	size_t		 payload_len;
	bool		 has_payload;
	struct rcache_entry *next;	/* in insertion order, for expiry */
};

static struct hmap		*rcache_map;
static struct rcache_entry	*rcache_head, **rcache_tail = &rcache_head;

/* @AtMostOnce in ClientProtocol, of the methods minidfs serves. */
bool
rcache_at_most_once(const char *method)
{
	return strcmp(method, "create") == 0 ||
	    strcmp(method, "rename") == 0 ||
	    strcmp(method, "rename2") == 0 ||
	    strcmp(method, "delete") == 0;
}

static bool
rcache_key(uint8_t key[RCACHE_KEYLEN], const Hd__RpcRequestHeaderProto *rh)
{
	uint32_t	 id = (uint32_t)rh->callid;

	/* Java skips calls without a real client id or with a negative id. */
	if (mdfs.retry_cache_ms == 0 || rh->clientid.len != 16 ||
	    rh->callid < 0)
		return false;
	memcpy(key, rh->clientid.data, 16);
	memcpy(key + 16, &id, 4);
	return true;
}

static void
rcache_expire(void)
{
	struct rcache_entry	*e;
	uint64_t		 now = clock_mono_ms();

	while ((e = rcache_head) != NULL && e->expires_ms <= now) {
		rcache_head = e->next;
		if (rcache_head == NULL)
			rcache_tail = &rcache_head;
		hmap_del(rcache_map, e->key, RCACHE_KEYLEN);
		free(e->payload);
		free(e);
	}
}

static void *
rcache_arena_alloc(void *data, size_t n)
{
	return arena_alloc(data, n);
}

static void
rcache_arena_free(void *data, void *p)
{
	(void)data;
	(void)p;
}

/* The answer of a payload-less call that succeeded. */
static ProtobufCMessage *
rcache_success(struct arena *a, const char *method)
{
	Hd__DeleteResponseProto	*d;
	Hd__RenameResponseProto	*r;

	if (strcmp(method, "delete") == 0) {
		d = ARENA_NEW(a, Hd__DeleteResponseProto,
		    HD__DELETE_RESPONSE_PROTO__INIT);
		d->result = 1;
		return &d->base;
	}
	if (strcmp(method, "rename") == 0) {
		r = ARENA_NEW(a, Hd__RenameResponseProto,
		    HD__RENAME_RESPONSE_PROTO__INIT);
		r->result = 1;
		return &r->base;
	}
	return &ARENA_NEW(a, Hd__Rename2ResponseProto,
	    HD__RENAME2_RESPONSE_PROTO__INIT)->base;
}

int
rcache_lookup(const Hd__RpcRequestHeaderProto *rh, const char *method,
    struct ns_call *c, ProtobufCMessage **resp)
{
	ProtobufCAllocator	 al = { rcache_arena_alloc, rcache_arena_free,
				    c->arena };
	struct rcache_entry	*e;
	uint8_t			 key[RCACHE_KEYLEN];

	if (!rcache_at_most_once(method) || !rcache_key(key, rh))
		return 0;
	rcache_expire();
	if (rcache_map == NULL ||
	    (e = hmap_get(rcache_map, key, RCACHE_KEYLEN)) == NULL)
		return 0;
	mlog("retry-cache hit call=%d retry=%d method=%s payload=%s",
	    rh->callid, rh->retrycount, method, e->has_payload ? "yes" : "no");
	if (strcmp(method, "create") != 0) {
		*resp = rcache_success(c->arena, method);
		return 1;
	}
	if (!e->has_payload)
		return exc_throw(c->exc, RCACHE_CCE, "%s", RCACHE_CCE_MSG);
	*resp = protobuf_c_message_unpack(
	    &hd__create_response_proto__descriptor, &al, e->payload_len,
	    e->payload);
	if (*resp == NULL)
		fatalx("retry cache: cannot unpack a cached create");
	return 1;
}

void
rcache_store(const Hd__RpcRequestHeaderProto *rh, const char *method,
    const ProtobufCMessage *resp)
{
	struct rcache_entry	*e;
	uint8_t			 key[RCACHE_KEYLEN];

	if (!rcache_at_most_once(method) || !rcache_key(key, rh))
		return;
	if (rcache_map == NULL)
		rcache_map = hmap_new();
	rcache_expire();
	e = xcalloc(1, sizeof *e);
	memcpy(e->key, key, RCACHE_KEYLEN);
	e->expires_ms = clock_mono_ms() + mdfs.retry_cache_ms;
	if (strcmp(method, "create") == 0) {
		e->has_payload = true;
		e->payload_len = protobuf_c_message_get_packed_size(resp);
		e->payload = xmalloc(e->payload_len + 1);
		protobuf_c_message_pack(resp, e->payload);
	}
	/* A key seen again after its entry expired replaces nothing. */
	if (hmap_put(rcache_map, key, RCACHE_KEYLEN, e) != NULL)
		fatalx("retry cache: a key stored twice");
	*rcache_tail = e;
	rcache_tail = &e->next;
}
