/*
 * The --log file: what minidfs was asked and what it did, one line per
 * event, "<event> key=value ...", so that tests can assert the exact
 * sequence of RPCs and packets a client produced.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"

#include "minidfs.h"

static FILE		*mlog_fp;
static bool		 mlog_times;
static pthread_mutex_t	 mlog_mu = PTHREAD_MUTEX_INITIALIZER;

void
mlog_set_times(bool on)
{
	mlog_times = on;
}

void
mlog_open(const char *path)
{
	if ((mlog_fp = fopen(path, "a")) == NULL)
		fatal("%s", path);
}

bool
mlog_enabled(void)
{
	return mlog_fp != NULL;
}

void
mlog(const char *fmt, ...)
{
	va_list	 ap;

	if (mlog_fp == NULL)
		return;
	pthread_mutex_lock(&mlog_mu);
	if (mlog_times)
		fprintf(mlog_fp, "%" PRId64 " ", clock_wall_ms());
	va_start(ap, fmt);
	vfprintf(mlog_fp, fmt, ap);
	va_end(ap);
	fputc('\n', mlog_fp);
	fflush(mlog_fp);
	pthread_mutex_unlock(&mlog_mu);
}

static void
mlog_value(struct buf *b, const ProtobufCFieldDescriptor *f, const void *p)
{
	const ProtobufCEnumValue	*ev;
	const ProtobufCBinaryData	*bd;
	size_t				 i;

	switch (f->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
		buf_printf(b, "%d", *(const int32_t *)p);
		break;
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		buf_printf(b, "%u", *(const uint32_t *)p);
		break;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		buf_printf(b, "%lld", (long long)*(const int64_t *)p);
		break;
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		buf_printf(b, "%llu", (unsigned long long)*(const uint64_t *)p);
		break;
	case PROTOBUF_C_TYPE_BOOL:
		buf_puts(b, *(const protobuf_c_boolean *)p ? "true" : "false");
		break;
	case PROTOBUF_C_TYPE_ENUM:
		ev = protobuf_c_enum_descriptor_get_value(f->descriptor,
		    *(const int *)p);
		if (ev != NULL)
			buf_puts(b, ev->name);
		else
			buf_printf(b, "%d", *(const int *)p);
		break;
	case PROTOBUF_C_TYPE_STRING:
		buf_puts(b, *(char *const *)p == NULL ? "" : *(char *const *)p);
		break;
	case PROTOBUF_C_TYPE_BYTES:
		bd = p;
		for (i = 0; i < bd->len; i++) {
			if (bd->data[i] > 0x20 && bd->data[i] < 0x7f)
				buf_putc(b, (char)bd->data[i]);
			else
				buf_printf(b, "\\x%02x", bd->data[i]);
		}
		break;
	default:
		buf_puts(b, "?");
		break;
	}
}

static size_t
mlog_size(const ProtobufCFieldDescriptor *f)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
	case PROTOBUF_C_TYPE_DOUBLE:
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

void
mlog_fields(struct buf *b, const ProtobufCMessage *m, const char *prefix)
{
	const ProtobufCMessageDescriptor	*d = m->descriptor;
	const char				*base = (const char *)m;
	char					 sub[256];
	size_t					 i, j, n;

	for (i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor	*f = &d->fields[i];
		const void			*p = base + f->offset;

		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			n = *(const size_t *)(base + f->quantifier_offset);
			if (n == 0)
				continue;
			p = *(void *const *)p;
			if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
				buf_printf(b, " %s%s=%zu", prefix, f->name, n);
				continue;
			}
			buf_printf(b, " %s%s=", prefix, f->name);
			for (j = 0; j < n; j++) {
				if (j > 0)
					buf_putc(b, ',');
				mlog_value(b, f, (const char *)p +
				    j * mlog_size(f));
			}
			continue;
		}
		if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
			if (*(void *const *)p == NULL)
				continue;
			snprintf(sub, sizeof sub, "%s%s.", prefix, f->name);
			mlog_fields(b, *(ProtobufCMessage *const *)p, sub);
			continue;
		}
		if (f->label == PROTOBUF_C_LABEL_OPTIONAL) {
			if (f->type == PROTOBUF_C_TYPE_STRING) {
				if (*(char *const *)p == NULL)
					continue;
			} else if (f->quantifier_offset != 0 &&
			    !*(const protobuf_c_boolean *)(base +
			    f->quantifier_offset))
				continue;
		}
		buf_printf(b, " %s%s=", prefix, f->name);
		mlog_value(b, f, p);
	}
}
