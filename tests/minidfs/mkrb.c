/*
 * The NameNode's side of SASL GSSAPI (RFC 4752), as a Kerberos-secured
 * Hadoop 3.3 NameNode runs it in the captures: accept the AP-REQ with the
 * service keytab; when the client asked for mutual authentication send
 * the AP-REP and take the client's empty answer; then offer, wrapped,
 * the one security layer of --rpc-protection (01 for authentication, as
 * in the captures, 02 integrity, 04 privacy) with a 65536-byte maximum
 * buffer and check the client's wrapped choice.  With integrity or
 * privacy every reply travels wrapped (mkrb_wrap).  Written for minidfs
 * alone (it never calls the client's sasl_gssapi.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"

#include "minidfs.h"

#ifdef HAVE_KERBEROS

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>

enum mkrb_state {
	MKRB_ACCEPT,
	MKRB_AFTER_REP,		/* AP-REP sent, the empty answer due */
	MKRB_LAYER,		/* offer sent, the client's choice due */
};

struct mkrb {
	enum mkrb_state	 state;
	gss_cred_id_t	 cred;
	gss_ctx_id_t	 ctx;
	char		*client;
	uint8_t		 layer;		/* agreed: 1, 2 or 4 */
};

static void
mkrb_text(char *b, size_t len, OM_uint32 major, OM_uint32 minor)
{
	OM_uint32	 m, more;
	gss_buffer_desc	 msg;
	size_t		 n;
	int		 kind;
	OM_uint32	 code;

	b[0] = '\0';
	for (kind = 0; kind < 2; kind++) {
		code = kind == 0 ? major : minor;
		more = 0;
		if (code == 0)
			continue;
		do {
			if (GSS_ERROR(gss_display_status(&m, code, kind == 0 ?
			    GSS_C_GSS_CODE : GSS_C_MECH_CODE,
			    (gss_OID)gss_mech_krb5, &more, &msg)))
				break;
			n = strlen(b);
			snprintf(b + n, len - n, "%s%.*s", n > 0 ? ": " : "",
			    (int)msg.length, (const char *)msg.value);
			gss_release_buffer(&m, &msg);
		} while (more != 0);
	}
}

bool
mkrb_available(void)
{
	return true;
}

struct mkrb *
mkrb_new(char *why, size_t whylen)
{
	gss_key_value_element_desc	 kv;
	gss_key_value_set_desc		 store;
	gss_buffer_desc			 nb;
	gss_name_t			 name;
	OM_uint32			 major, minor;
	struct mkrb			*k;

	k = xcalloc(1, sizeof *k);
	k->cred = GSS_C_NO_CREDENTIAL;
	k->ctx = GSS_C_NO_CONTEXT;
	nb.value = (void *)mdfs.krb_principal;
	nb.length = strlen(mdfs.krb_principal);
	major = gss_import_name(&minor, &nb,
	    (gss_OID)GSS_KRB5_NT_PRINCIPAL_NAME, &name);
	if (GSS_ERROR(major)) {
		mkrb_text(why, whylen, major, minor);
		free(k);
		return NULL;
	}
	kv.key = "keytab";
	kv.value = mdfs.krb_keytab;
	store.count = 1;
	store.elements = &kv;
	major = gss_acquire_cred_from(&minor, name, GSS_C_INDEFINITE,
	    GSS_C_NO_OID_SET, GSS_C_ACCEPT, &store, &k->cred, NULL, NULL);
	gss_release_name(&minor, &name);
	if (GSS_ERROR(major)) {
		mkrb_text(why, whylen, major, minor);
		free(k);
		return NULL;
	}
	return k;
}

static int
mkrb_out(const gss_buffer_desc *b, uint8_t **out, size_t *outlen)
{
	*outlen = b->length;
	*out = xmalloc(b->length > 0 ? b->length : 1);
	if (b->length > 0)
		memcpy(*out, b->value, b->length);
	return 0;
}

/* The wrapped offer: no security layer only, 65536-byte buffer. */
static int
mkrb_offer(struct mkrb *k, uint8_t **out, size_t *outlen, char *why,
    size_t whylen)
{
	uint8_t		 offer[4] = { 0x01, 0x01, 0x00, 0x00 };
	gss_buffer_desc	 in = { sizeof offer, offer };
	gss_buffer_desc	 ob = GSS_C_EMPTY_BUFFER;
	OM_uint32	 major, minor;

	offer[0] = mdfs.rpc_layer;
	major = gss_wrap(&minor, k->ctx, 0, GSS_C_QOP_DEFAULT, &in, NULL, &ob);
	if (GSS_ERROR(major)) {
		mkrb_text(why, whylen, major, minor);
		return -1;
	}
	mkrb_out(&ob, out, outlen);
	gss_release_buffer(&minor, &ob);
	k->state = MKRB_LAYER;
	return 0;
}

int
mkrb_step(struct mkrb *k, const uint8_t *in, size_t inlen, uint8_t **out,
    size_t *outlen, char *why, size_t whylen)
{
	gss_buffer_desc	 ib = { inlen, (void *)in };
	gss_buffer_desc	 ob = GSS_C_EMPTY_BUFFER;
	gss_buffer_desc	 nb;
	gss_name_t	 src = GSS_C_NO_NAME;
	OM_uint32	 major, minor, flags = 0;
	uint8_t		 choice;

	*out = NULL;
	*outlen = 0;
	switch (k->state) {
	case MKRB_ACCEPT:
		major = gss_accept_sec_context(&minor, &k->ctx, k->cred, &ib,
		    GSS_C_NO_CHANNEL_BINDINGS, &src, NULL, &ob, &flags, NULL,
		    NULL);
		if (GSS_ERROR(major)) {
			mkrb_text(why, whylen, major, minor);
			gss_release_buffer(&minor, &ob);
			return -1;
		}
		if (major & GSS_S_CONTINUE_NEEDED) {
			mkrb_out(&ob, out, outlen);
			gss_release_buffer(&minor, &ob);
			return 0;
		}
		if (gss_display_name(&minor, src, &nb, NULL) ==
		    GSS_S_COMPLETE) {
			k->client = xasprintf("%.*s", (int)nb.length,
			    (const char *)nb.value);
			gss_release_buffer(&minor, &nb);
		}
		gss_release_name(&minor, &src);
		if (k->client == NULL) {
			snprintf(why, whylen, "no client name");
			gss_release_buffer(&minor, &ob);
			return -1;
		}
		mlog("krb accept client=%s mutual=%d", k->client,
		    (flags & GSS_C_MUTUAL_FLAG) != 0);
		if (ob.length > 0) {
			/* The AP-REP, for a client that asked for it. */
			mkrb_out(&ob, out, outlen);
			gss_release_buffer(&minor, &ob);
			k->state = MKRB_AFTER_REP;
			return 0;
		}
		gss_release_buffer(&minor, &ob);
		return mkrb_offer(k, out, outlen, why, whylen);
	case MKRB_AFTER_REP:
		if (inlen != 0) {
			snprintf(why, whylen, "%zu bytes where the empty "
			    "answer to the AP-REP was due", inlen);
			return -1;
		}
		return mkrb_offer(k, out, outlen, why, whylen);
	case MKRB_LAYER:
		major = gss_unwrap(&minor, k->ctx, &ib, &ob, NULL, NULL);
		if (GSS_ERROR(major)) {
			mkrb_text(why, whylen, major, minor);
			return -1;
		}
		if (ob.length < 4) {
			snprintf(why, whylen, "security-layer choice of %zu "
			    "bytes", ob.length);
			gss_release_buffer(&minor, &ob);
			return -1;
		}
		choice = ((const uint8_t *)ob.value)[0];
		mlog("krb layer choice=%02x maxbuf=%u authzid=%zu", choice,
		    (unsigned)((const uint8_t *)ob.value)[1] << 16 |
		    (unsigned)((const uint8_t *)ob.value)[2] << 8 |
		    ((const uint8_t *)ob.value)[3], ob.length - 4);
		gss_release_buffer(&minor, &ob);
		if (choice != mdfs.rpc_layer) {
			snprintf(why, whylen, "security layer 0x%02x not "
			    "offered", choice);
			return -1;
		}
		k->layer = choice;
		return 1;
	}
	snprintf(why, whylen, "bad state");
	return -1;
}

const char *
mkrb_client(const struct mkrb *k)
{
	return k->client;
}

bool
mkrb_wrapping(const struct mkrb *k)
{
	return k != NULL && k->layer > 0x01;
}

int
mkrb_wrap(struct mkrb *k, bool wrap, const uint8_t *in, size_t inlen,
    uint8_t **out, size_t *outlen, char *why, size_t whylen)
{
	gss_buffer_desc	 ib = { inlen, (void *)in };
	gss_buffer_desc	 ob = GSS_C_EMPTY_BUFFER;
	OM_uint32	 major, minor;
	int		 conf = 0;

	if (wrap)
		major = gss_wrap(&minor, k->ctx, k->layer == 0x04,
		    GSS_C_QOP_DEFAULT, &ib, &conf, &ob);
	else
		major = gss_unwrap(&minor, k->ctx, &ib, &ob, &conf, NULL);
	if (GSS_ERROR(major)) {
		mkrb_text(why, whylen, major, minor);
		return -1;
	}
	if (!wrap && k->layer == 0x04 && !conf) {
		gss_release_buffer(&minor, &ob);
		snprintf(why, whylen, "a message in the clear on a private "
		    "connection");
		return -1;
	}
	mkrb_out(&ob, out, outlen);
	gss_release_buffer(&minor, &ob);
	return 0;
}

void
mkrb_free(struct mkrb *k)
{
	OM_uint32	 minor;

	if (k == NULL)
		return;
	if (k->ctx != GSS_C_NO_CONTEXT)
		gss_delete_sec_context(&minor, &k->ctx, GSS_C_NO_BUFFER);
	if (k->cred != GSS_C_NO_CREDENTIAL)
		gss_release_cred(&minor, &k->cred);
	free(k->client);
	free(k);
}

#else /* !HAVE_KERBEROS */

bool
mkrb_available(void)
{
	return false;
}

struct mkrb *
mkrb_new(char *why, size_t whylen)
{
	snprintf(why, whylen, "built without Kerberos");
	return NULL;
}

int
mkrb_step(struct mkrb *k, const uint8_t *in, size_t inlen, uint8_t **out,
    size_t *outlen, char *why, size_t whylen)
{
	(void)k;
	(void)in;
	(void)inlen;
	*out = NULL;
	*outlen = 0;
	snprintf(why, whylen, "built without Kerberos");
	return -1;
}

const char *
mkrb_client(const struct mkrb *k)
{
	(void)k;
	return NULL;
}

bool
mkrb_wrapping(const struct mkrb *k)
{
	(void)k;
	return false;
}

int
mkrb_wrap(struct mkrb *k, bool wrap, const uint8_t *in, size_t inlen,
    uint8_t **out, size_t *outlen, char *why, size_t whylen)
{
	(void)k;
	(void)wrap;
	(void)in;
	(void)inlen;
	*out = NULL;
	*outlen = 0;
	snprintf(why, whylen, "built without Kerberos");
	return -1;
}

void
mkrb_free(struct mkrb *k)
{
	(void)k;
}

#endif /* HAVE_KERBEROS */
