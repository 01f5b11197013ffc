/*
 * Line handling for barged.  A valid message goes to the open segment of
 * (Name, version, hour of its event time); an invalid one, when the
 * quarantine is on, to the segment of (reason, hour) as
 * _time TAB _host TAB reason TAB raw line.  A message in format avro
 * goes as an Avro record to a segment of its own kind.  A spool failure
 * is fatal: the checkpoint has not moved, so a restart reads the line
 * again.
 */
#include "config.h"

#include "barged/pipeline.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/fmt.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "core/avro_encode.h"
#include "core/payload.h"
#include "core/row.h"
#include "core/syslog.h"

/*
 * What the rows of one message keep for the next row of it: its metrics
 * entry, and its segment key and spool hold for one hour.  Found by the
 * message's address, so a slot may hold another message; it is refilled
 * then.
 */
struct pipeline_slot {
	const struct message	*msg;
	size_t			 metrics_index;
	struct segment_key	 key;		/* hour INT64_MIN: not built */
	struct spool_ref	 ref;
};

#define PIPELINE_SLOTS	64

struct pipeline {
	const struct schema	*schema;
	struct spool		*spool;
	struct metrics		*metrics;
	bool			 quarantine;
	struct syslog_parser	*parser;
	struct payload		 payload;
	struct buf		 row;
	int64_t			 now_checked_ms;
	unsigned		 lines_since_check;
	struct pipeline_slot	 slots[PIPELINE_SLOTS];
};

struct pipeline *
pipeline_new(struct spool *spool, struct metrics *metrics, bool quarantine)
{
	struct pipeline	*p = xcalloc(1, sizeof *p);

	p->spool = spool;
	p->metrics = metrics;
	p->quarantine = quarantine;
	p->now_checked_ms = clock_wall_ms();
	p->parser = syslog_parser_new(p->now_checked_ms);
	payload_init(&p->payload);
	buf_init(&p->row);
	return p;
}

void
pipeline_free(struct pipeline *p)
{
	if (p == NULL)
		return;
	syslog_parser_free(p->parser);
	payload_clear(&p->payload);
	buf_clear(&p->row);
	free(p);
}

void
pipeline_set_schema(struct pipeline *p, const struct schema *s)
{
	p->schema = s;
	/* The old definitions are about to go. */
	memset(p->slots, 0, sizeof p->slots);
}

static struct pipeline_slot *
pipeline_slot(struct pipeline *p, const struct message *m)
{
	struct pipeline_slot *sl =
	    &p->slots[(uintptr_t)m / sizeof *m % PIPELINE_SLOTS];
	struct metrics_message *mm;

	if (sl->msg != m) {
		memset(sl, 0, sizeof *sl);
		sl->msg = m;
		/* After the call: it may move the array. */
		mm = metrics_message(p->metrics, m->name, m->version);
		sl->metrics_index = (size_t)(mm - p->metrics->messages);
		sl->key.hour = INT64_MIN;
	}
	return sl;
}

static struct metrics_message *
pipeline_counts(struct pipeline *p, const struct message *m)
{
	/* The slot first: filling it may move the array. */
	size_t	 i = pipeline_slot(p, m)->metrics_index;

	return &p->metrics->messages[i];
}

void
pipeline_set_quarantine(struct pipeline *p, bool on)
{
	p->quarantine = on;
}

static int64_t
pipeline_hour(int64_t ms)
{
	return ms >= 0 ? ms / 3600000 : -((-ms + 3599999) / 3600000);
}

static void
pipeline_spool(struct pipeline *p, const struct segment_key *k,
    const char *avro_schema)
{
	struct error	 err;

	if (spool_append(p->spool, k, p->row.data, p->row.len, avro_schema,
	    &err) == -1)
		fatalx("%s", err.msg);
}

static void
pipeline_invalid(struct pipeline *p, enum reason r, int64_t ms,
    const struct syslog_line *sl, const char *line, size_t len)
{
	const struct message *m;
	struct segment_key k;

	p->metrics->invalid[r]++;
	m = schema_find(p->schema, p->payload.name, p->payload.namelen,
	    p->payload.version);
	if (m != NULL)
		pipeline_counts(p, m)->invalid[r]++;
	if (!p->quarantine)
		return;
	buf_reset(&p->row);
	row_int(&p->row, ms);
	buf_putc(&p->row, '\t');
	row_escape(&p->row, sl->host, sl->hostlen);
	buf_putc(&p->row, '\t');
	buf_puts(&p->row, reason_name(r));
	buf_putc(&p->row, '\t');
	row_escape(&p->row, line, len);
	buf_putc(&p->row, '\n');
	memset(&k, 0, sizeof k);
	k.kind = SEGMENT_QUARANTINE;
	fmt_str(k.name, sizeof k.name, reason_name(r));
	k.hour = pipeline_hour(ms);
	pipeline_spool(p, &k, NULL);
}

void
pipeline_line(void *arg, const char *line, size_t len, bool truncated)
{
	struct pipeline		*p = arg;
	struct syslog_line	 sl;
	struct pipeline_slot	*slot;
	const struct message	*m;
	struct metrics_message	*mm;
	enum payload_status	 st;
	int64_t			 ms, hour;
	struct error		 err;

	p->metrics->lines++;
	if (syslog_parse(line, len, &sl) == -1) {
		p->metrics->not_syslog++;
		return;
	}
	if (sl.msglen == 0 || sl.msg[0] != '@') {
		p->metrics->not_analytics++;
		return;
	}
	if (truncated)
		st = payload_header(&p->payload, sl.msg, sl.msglen) == 0 ?
		    PAYLOAD_SKIP : PAYLOAD_INVALID;
	else
		st = payload_match(&p->payload, p->schema, sl.msg, sl.msglen);
	if (st == PAYLOAD_SKIP) {
		p->metrics->not_analytics++;
		return;
	}
	/*
	 * The year of old-style stamps is judged against a fresh clock;
	 * reading it every few thousand lines is fresh enough.
	 */
	if (sl.format == SYSLOG_RFC3164 && ++p->lines_since_check >= 4096) {
		int64_t	 now = clock_wall_ms();

		p->lines_since_check = 0;
		if (now - p->now_checked_ms > 60000) {
			syslog_parser_set_now(p->parser, now);
			p->now_checked_ms = now;
		}
	}
	if (syslog_time(p->parser, &sl, &ms) == -1) {
		p->metrics->not_syslog++;
		return;
	}
	if (st == PAYLOAD_INVALID) {
		pipeline_invalid(p, truncated ? REASON_TRUNCATED :
		    p->payload.reason, ms, &sl, line, len);
		return;
	}
	m = p->payload.msg;
	buf_reset(&p->row);
	if (m->format == MESSAGE_FORMAT_AVRO)
		avro_encode_row(&p->row, ms, sl.host, sl.hostlen, &p->payload);
	else
		row_encode(&p->row, ms, sl.host, sl.hostlen, &p->payload);
	slot = pipeline_slot(p, m);
	hour = pipeline_hour(ms);
	if (m->is_daily)
		hour -= ((hour % 24) + 24) % 24;
	if (slot->key.hour != hour) {
		memset(&slot->key, 0, sizeof slot->key);
		slot->key.kind = SEGMENT_MESSAGE;
		fmt_str(slot->key.name, sizeof slot->key.name, m->name);
		slot->key.version = m->version;
		slot->key.hour = hour;
		slot->key.is_daily = m->is_daily;
		slot->key.is_avro = m->format == MESSAGE_FORMAT_AVRO;
		memset(&slot->ref, 0, sizeof slot->ref);
	}
	if (spool_append_ref(p->spool, &slot->ref, &slot->key, p->row.data,
	    p->row.len, m->avro_schema, &err) == -1)
		fatalx("%s", err.msg);
	mm = &p->metrics->messages[slot->metrics_index];
	mm->rows++;
	mm->bytes += p->row.len;
}
