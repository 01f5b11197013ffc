/*
 * Counter storage and rendering.  Inputs and messages are few (tens),
 * so they live in arrays searched linearly; the per-line hot path keeps
 * its own pointer to its entry.
 */
#include "config.h"

#include "barged/metrics.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/fmt.h"
#include "base/json.h"
#include "base/xmalloc.h"
#include "core/fleet.h"

void
metrics_init(struct metrics *m)
{
	memset(m, 0, sizeof *m);
	m->started_ms = clock_wall_ms();
	m->closed_hour = INT64_MIN;
	snprintf(m->upload.state, sizeof m->upload.state, "idle");
}

void
metrics_clear(struct metrics *m)
{
	size_t	 i;

	for (i = 0; i < m->ninputs; i++)
		free(m->inputs[i].path);
	for (i = 0; i < m->nmessages; i++)
		free(m->messages[i].name);
	free(m->inputs);
	free(m->messages);
	memset(m, 0, sizeof *m);
}

struct metrics_input *
metrics_input(struct metrics *m, const char *path)
{
	size_t	 i;

	for (i = 0; i < m->ninputs; i++)
		if (strcmp(m->inputs[i].path, path) == 0)
			return &m->inputs[i];
	m->inputs = xreallocarray(m->inputs, m->ninputs + 1,
	    sizeof *m->inputs);
	memset(&m->inputs[m->ninputs], 0, sizeof *m->inputs);
	m->inputs[m->ninputs].path = xstrdup(path);
	return &m->inputs[m->ninputs++];
}

struct metrics_message *
metrics_message(struct metrics *m, const char *name, unsigned version)
{
	char	 key[128];
	size_t	 i, n;

	n = fmt_str(key, sizeof key - FMT_INT_MAX - 1, name);
	key[n++] = ':';
	fmt_u64(key + n, version);
	for (i = 0; i < m->nmessages; i++)
		if (strcmp(m->messages[i].name, key) == 0)
			return &m->messages[i];
	m->messages = xreallocarray(m->messages, m->nmessages + 1,
	    sizeof *m->messages);
	memset(&m->messages[m->nmessages], 0, sizeof *m->messages);
	m->messages[m->nmessages].name = xstrdup(key);
	return &m->messages[m->nmessages++];
}

void
metrics_text(const struct metrics *m, struct buf *b)
{
	int64_t	 now = clock_wall_ms();
	char	 hn[FLEET_HOUR_LEN];
	size_t	 i;
	int	 r;

	buf_printf(b, "barged: up %" PRId64 " s, %" PRIu64 " lines read, %"
	    PRIu64 " not syslog, %" PRIu64 " not analytics\n",
	    (now - m->started_ms) / 1000, m->lines, m->not_syslog,
	    m->not_analytics);
	buf_printf(b, "\ninputs:\n");
	for (i = 0; i < m->ninputs; i++) {
		const struct metrics_input *in = &m->inputs[i];

		buf_printf(b, "  %s  offset %" PRIu64 "  lag %" PRIu64
		    " bytes  rotations %" PRIu64 "  lost %" PRIu64 " bytes\n",
		    in->path, in->offset, in->lag, in->rotations, in->lost);
	}
	buf_printf(b, "\nmessages:\n");
	for (i = 0; i < m->nmessages; i++) {
		const struct metrics_message *msg = &m->messages[i];

		buf_printf(b, "  %s  rows %" PRIu64 "  bytes %" PRIu64,
		    msg->name, msg->rows, msg->bytes);
		for (r = REASON_NONE + 1; r < REASON_COUNT; r++)
			if (msg->invalid[r] > 0)
				buf_printf(b, "  %s %" PRIu64,
				    reason_name((enum reason)r),
				    msg->invalid[r]);
		buf_putc(b, '\n');
	}
	buf_printf(b, "  invalid:");
	for (r = REASON_NONE + 1; r < REASON_COUNT; r++)
		if (m->invalid[r] > 0)
			buf_printf(b, " %s %" PRIu64,
			    reason_name((enum reason)r), m->invalid[r]);
	buf_printf(b, "\n\nspool: %" PRIu64 " open, %" PRIu64 " sealed "
	    "segments, %" PRIu64 " of %" PRIu64 " bytes, oldest sealed %"
	    PRId64 " s%s\n", m->spool_open, m->spool_sealed, m->spool_bytes,
	    m->spool_max_bytes, m->spool_oldest_ms / 1000,
	    m->is_paused ? ", input paused (spool full)" : "");
	if (m->spool_corrupt > 0)
		buf_printf(b, "  %" PRIu64 " damaged segments set aside in "
		    "corrupt/ (see the log)\n", m->spool_corrupt);
	if (m->disk_full_since_ms != 0)
		buf_printf(b, "  file system full for %" PRId64 " s: input "
		    "paused until it has room\n",
		    (now - m->disk_full_since_ms) / 1000);
	if (m->state_stuck_since_ms != 0)
		buf_printf(b, "  state folder not writable for %" PRId64 " s: "
		    "input paused until a checkpoint can be written\n",
		    (now - m->state_stuck_since_ms) / 1000);
	if (m->closed_hour != INT64_MIN) {
		fleet_hour_name(m->closed_hour, hn);
		buf_printf(b, "hours: closed up to %s\n", hn);
	} else
		buf_printf(b, "hours: none closed yet\n");
	buf_printf(b, "\nuploader: %s", m->upload.state);
	if (m->upload.namenode[0] != '\0')
		buf_printf(b, " (namenode %s)", m->upload.namenode);
	buf_printf(b, "\n  shipped %" PRIu64 " files, %" PRIu64 " bytes\n",
	    m->upload.files, m->upload.bytes);
	if (m->upload.last_success_ms != 0)
		buf_printf(b, "  last success %" PRId64 " s ago\n",
		    (now - m->upload.last_success_ms) / 1000);
	else
		buf_printf(b, "  last success never\n");
	if (m->upload.last_error[0] != '\0')
		buf_printf(b, "  last error: %s\n", m->upload.last_error);
	if (m->upload.principal[0] != '\0') {
		buf_printf(b, "  kerberos: %s", m->upload.principal);
		if (m->upload.ticket_expiry_ms > now)
			buf_printf(b, ", ticket expires in %" PRId64 " s",
			    (m->upload.ticket_expiry_ms - now) / 1000);
		else if (m->upload.ticket_expiry_ms != 0)
			buf_printf(b, ", ticket expired %" PRId64 " s ago "
			    "(renewed at the next login)",
			    (now - m->upload.ticket_expiry_ms) / 1000);
		buf_printf(b, "\n");
	}
}

void
metrics_json(const struct metrics *m, struct buf *b)
{
	char	 hn[FLEET_HOUR_LEN];
	size_t	 i;
	int	 r;

	buf_printf(b, "{\"started_ms\":%" PRId64 ",\"checkpoints\":%" PRIu64
	    ",\"lines\":%" PRIu64 ",\"not_syslog\":%" PRIu64
	    ",\"not_analytics\":%" PRIu64 ",\"inputs\":[", m->started_ms,
	    m->checkpoints, m->lines, m->not_syslog, m->not_analytics);
	for (i = 0; i < m->ninputs; i++) {
		const struct metrics_input *in = &m->inputs[i];

		buf_printf(b, "%s{\"path\":", i ? "," : "");
		json_put_string(b, in->path);
		buf_printf(b, ",\"offset\":%" PRIu64 ",\"lag\":%" PRIu64
		    ",\"rotations\":%" PRIu64 ",\"lost_bytes\":%" PRIu64 "}",
		    in->offset, in->lag, in->rotations, in->lost);
	}
	buf_printf(b, "],\"messages\":[");
	for (i = 0; i < m->nmessages; i++) {
		const struct metrics_message *msg = &m->messages[i];
		bool	 first = true;

		buf_printf(b, "%s{\"name\":", i ? "," : "");
		json_put_string(b, msg->name);
		buf_printf(b, ",\"rows\":%" PRIu64 ",\"bytes\":%" PRIu64
		    ",\"invalid\":{", msg->rows, msg->bytes);
		for (r = REASON_NONE + 1; r < REASON_COUNT; r++) {
			if (msg->invalid[r] == 0)
				continue;
			buf_printf(b, "%s\"%s\":%" PRIu64, first ? "" : ",",
			    reason_name((enum reason)r), msg->invalid[r]);
			first = false;
		}
		buf_printf(b, "}}");
	}
	buf_printf(b, "],\"invalid\":{");
	for (r = REASON_NONE + 1; r < REASON_COUNT; r++)
		buf_printf(b, "%s\"%s\":%" PRIu64, r > 1 ? "," : "",
		    reason_name((enum reason)r), m->invalid[r]);
	buf_printf(b, "},\"spool\":{\"open\":%" PRIu64 ",\"sealed\":%" PRIu64
	    ",\"bytes\":%" PRIu64 ",\"max_bytes\":%" PRIu64 ",\"oldest_ms\":%"
	    PRId64 ",\"paused\":%s,\"corrupt\":%" PRIu64
	    ",\"disk_full_since_ms\":%" PRId64 "},\"state_stuck_since_ms\":%"
	    PRId64 ",\"closed_hour\":",
	    m->spool_open, m->spool_sealed, m->spool_bytes, m->spool_max_bytes,
	    m->spool_oldest_ms, m->is_paused ? "true" : "false",
	    m->spool_corrupt, m->disk_full_since_ms, m->state_stuck_since_ms);
	if (m->closed_hour != INT64_MIN) {
		fleet_hour_name(m->closed_hour, hn);
		buf_printf(b, "\"%s\"", hn);
	} else
		buf_puts(b, "null");
	buf_puts(b, ",\"uploader\":{\"state\":");
	json_put_string(b, m->upload.state);
	buf_printf(b, ",\"namenode\":");
	json_put_string(b, m->upload.namenode);
	buf_printf(b, ",\"files\":%" PRIu64 ",\"bytes\":%" PRIu64
	    ",\"last_success_ms\":%" PRId64 ",\"last_error\":",
	    m->upload.files, m->upload.bytes, m->upload.last_success_ms);
	json_put_string(b, m->upload.last_error);
	buf_printf(b, ",\"failures\":%" PRIu64 ",\"failing_since_ms\":%"
	    PRId64, m->upload.failures, m->upload.failing_since_ms);
	buf_printf(b, ",\"kerberos\":{\"principal\":");
	json_put_string(b, m->upload.principal);
	buf_printf(b, ",\"ticket_expiry_ms\":%" PRId64 "}}}\n",
	    m->upload.ticket_expiry_ms);
}

/* A Prometheus label value: backslash, quote and LF escaped. */
static void
metrics_prom_label(struct buf *b, const char *label, const char *value)
{
	buf_printf(b, "{%s=\"", label);
	for (; *value != '\0'; value++) {
		if (*value == '\\' || *value == '"')
			buf_printf(b, "\\%c", *value);
		else if (*value == '\n')
			buf_puts(b, "\\n");
		else
			buf_putc(b, *value);
	}
	buf_puts(b, "\"}");
}

static void
metrics_prom(struct buf *b, const char *name, const char *type,
    const char *help)
{
	buf_printf(b, "# HELP barge_%s %s\n# TYPE barge_%s %s\n", name, help,
	    name, type);
}

void
metrics_prometheus(const struct metrics *m, struct buf *b)
{
	size_t	 i;
	int	 r;

	metrics_prom(b, "lines_total", "counter", "Input lines read.");
	buf_printf(b, "barge_lines_total %" PRIu64 "\n", m->lines);
	metrics_prom(b, "skipped_lines_total", "counter",
	    "Lines that were not analytics messages.");
	buf_printf(b, "barge_skipped_lines_total{kind=\"not-syslog\"} %"
	    PRIu64 "\n", m->not_syslog);
	buf_printf(b, "barge_skipped_lines_total{kind=\"not-analytics\"} %"
	    PRIu64 "\n", m->not_analytics);
	metrics_prom(b, "input_offset_bytes", "gauge",
	    "Read position in each input file.");
	for (i = 0; i < m->ninputs; i++) {
		buf_puts(b, "barge_input_offset_bytes");
		metrics_prom_label(b, "path", m->inputs[i].path);
		buf_printf(b, " %" PRIu64 "\n", m->inputs[i].offset);
	}
	metrics_prom(b, "input_lag_bytes", "gauge",
	    "Bytes written to each input but not yet read.");
	for (i = 0; i < m->ninputs; i++) {
		buf_puts(b, "barge_input_lag_bytes");
		metrics_prom_label(b, "path", m->inputs[i].path);
		buf_printf(b, " %" PRIu64 "\n", m->inputs[i].lag);
	}
	metrics_prom(b, "input_lost_bytes_total", "counter",
	    "Unread bytes rotated away while the spool was full or barged "
	    "was down.");
	for (i = 0; i < m->ninputs; i++) {
		buf_puts(b, "barge_input_lost_bytes_total");
		metrics_prom_label(b, "path", m->inputs[i].path);
		buf_printf(b, " %" PRIu64 "\n", m->inputs[i].lost);
	}
	metrics_prom(b, "rows_total", "counter", "Valid rows spooled.");
	for (i = 0; i < m->nmessages; i++)
		buf_printf(b, "barge_rows_total{message=\"%s\"} %" PRIu64 "\n",
		    m->messages[i].name, m->messages[i].rows);
	metrics_prom(b, "invalid_total", "counter",
	    "Invalid lines quarantined, by reason.");
	for (r = REASON_NONE + 1; r < REASON_COUNT; r++)
		buf_printf(b, "barge_invalid_total{reason=\"%s\"} %" PRIu64
		    "\n", reason_name((enum reason)r), m->invalid[r]);
	metrics_prom(b, "spool_bytes", "gauge", "Bytes in the spool.");
	buf_printf(b, "barge_spool_bytes %" PRIu64 "\n", m->spool_bytes);
	metrics_prom(b, "spool_max_bytes", "gauge",
	    "spool.max_bytes: input pauses when the spool reaches it.");
	buf_printf(b, "barge_spool_max_bytes %" PRIu64 "\n",
	    m->spool_max_bytes);
	metrics_prom(b, "spool_oldest_sealed_age_seconds", "gauge",
	    "Age of the oldest sealed segment not yet shipped; 0 if none.");
	buf_printf(b, "barge_spool_oldest_sealed_age_seconds %" PRId64 "\n",
	    m->spool_oldest_ms / 1000);
	metrics_prom(b, "spool_segments", "gauge", "Segments in the spool.");
	buf_printf(b, "barge_spool_segments{state=\"open\"} %" PRIu64 "\n",
	    m->spool_open);
	buf_printf(b, "barge_spool_segments{state=\"sealed\"} %" PRIu64 "\n",
	    m->spool_sealed);
	metrics_prom(b, "spool_corrupt_segments_total", "counter",
	    "Damaged segments set aside in the spool's corrupt/ folder.");
	buf_printf(b, "barge_spool_corrupt_segments_total %" PRIu64 "\n",
	    m->spool_corrupt);
	metrics_prom(b, "spool_disk_full", "gauge",
	    "1 while the spool's file system is full and input is paused.");
	buf_printf(b, "barge_spool_disk_full %d\n",
	    m->disk_full_since_ms != 0 ? 1 : 0);
	metrics_prom(b, "state_unwritable", "gauge",
	    "1 while no checkpoint can be written to the state folder and "
	    "input is paused.");
	buf_printf(b, "barge_state_unwritable %d\n",
	    m->state_stuck_since_ms != 0 ? 1 : 0);
	metrics_prom(b, "input_paused", "gauge",
	    "1 while input is paused because the spool is full.");
	buf_printf(b, "barge_input_paused %d\n", m->is_paused ? 1 : 0);
	if (m->closed_hour != INT64_MIN) {
		metrics_prom(b, "closed_hour_end_timestamp_seconds", "gauge",
		    "End of the last hour this host has closed.");
		buf_printf(b, "barge_closed_hour_end_timestamp_seconds %" PRId64
		    "\n", (m->closed_hour + 1) * 3600);
	}
	metrics_prom(b, "uploaded_files_total", "counter",
	    "Files completed in HDFS.");
	buf_printf(b, "barge_uploaded_files_total %" PRIu64 "\n",
	    m->upload.files);
	metrics_prom(b, "uploaded_bytes_total", "counter",
	    "Compressed bytes completed in HDFS.");
	buf_printf(b, "barge_uploaded_bytes_total %" PRIu64 "\n",
	    m->upload.bytes);
	metrics_prom(b, "upload_failures_total", "counter",
	    "Upload attempts that failed (each is retried).");
	buf_printf(b, "barge_upload_failures_total %" PRIu64 "\n",
	    m->upload.failures);
	metrics_prom(b, "upload_failing_since_timestamp_seconds", "gauge",
	    "When uploads began failing with no success since; 0 while "
	    "they succeed.");
	buf_printf(b, "barge_upload_failing_since_timestamp_seconds %" PRId64
	    "\n", m->upload.failing_since_ms / 1000);
	metrics_prom(b, "last_upload_timestamp_seconds", "gauge",
	    "When the last upload completed.");
	buf_printf(b, "barge_last_upload_timestamp_seconds %" PRId64 "\n",
	    m->upload.last_success_ms / 1000);
	if (m->upload.principal[0] != '\0' &&
	    m->upload.ticket_expiry_ms != 0) {
		metrics_prom(b, "kerberos_ticket_expiry_timestamp_seconds",
		    "gauge", "When the Kerberos ticket-granting ticket of the "
		    "last NameNode login expires.");
		buf_printf(b, "barge_kerberos_ticket_expiry_timestamp_seconds"
		    " %" PRId64 "\n", m->upload.ticket_expiry_ms / 1000);
	}
}
