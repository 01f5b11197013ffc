/*
 * barge match: the engineer's dry run.  Reads syslog lines and prints,
 * for each analytics message, either the exact row barged would write to
 * HDFS (for an Avro message, the record as avrocat prints it) or why the
 * line would go to the quarantine.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/cdefs.h"
#include "base/clock.h"
#include "base/error.h"
#include "base/fsio.h"
#include "base/hmap.h"
#include "base/xmalloc.h"
#include "barge/cmd.h"
#include "barge/defs.h"
#include "core/avro_json.h"
#include "core/linebuf.h"
#include "core/payload.h"
#include "core/reason.h"
#include "core/row.h"
#include "core/syslog.h"

#define CMD_MATCH_MAX_LINE	LINEBUF_MAX_LINE
#define CMD_MATCH_FLUSH		(1 << 20)

static const char cmd_match_help[] =
    "Reads syslog lines from file (or standard input) and prints one line\n"
    "per analytics message, in input order:\n"
    "  Name:version<TAB>row              a valid message; the row exactly "
    "as\n"
    "                                    barged writes it to HDFS; for an\n"
    "                                    Avro message, the record as JSON\n"
    "                                    the way avrocat prints it\n"
    "  INVALID<TAB>reason<TAB>raw line   a refused one, with its reason\n"
    "Other lines print nothing.\n\n"
    "  -c, --config file    barge.yaml naming the messages folder\n"
    "  -m, --messages dir   use the definitions in dir\n"
    "  -s, --stats          print counts per message and reason on stderr\n"
    "  -n, --now time       reference time (RFC 3339) for the year of\n"
    "                       traditional syslog stamps (default: now)\n"
    "  -L, --max-line n     cut lines longer than n bytes (default 65536)\n";

struct cmd_match_counts {
	unsigned long	 valid;
	unsigned long	 invalid;
};

struct cmd_match {
	const struct schema	*schema;
	struct syslog_parser	*parser;
	struct payload		 payload;
	struct buf		 out;
	struct hmap		*per_message;	/* message pointer -> counts */
	const struct message	*last_message;	/* saves a lookup per line */
	struct cmd_match_counts	*last_counts;
	unsigned long		 lines;
	unsigned long		 not_syslog;
	unsigned long		 not_analytics;
	unsigned long		 valid;
	unsigned long		 invalid;
	unsigned long		 reasons[REASON_COUNT];
	int			 write_error;
};

static void
cmd_match_flush(struct cmd_match *cm)
{
	if (cm->out.len > 0 && fwrite(cm->out.data, 1, cm->out.len, stdout) !=
	    cm->out.len)
		cm->write_error = errno;
	buf_reset(&cm->out);
}

static struct cmd_match_counts *
cmd_match_counts(struct cmd_match *cm, const struct message *m)
{
	struct cmd_match_counts *c;

	if (m == cm->last_message)
		return cm->last_counts;
	if ((c = hmap_get(cm->per_message, &m, sizeof m)) == NULL) {
		c = xcalloc(1, sizeof *c);
		hmap_put(cm->per_message, &m, sizeof m, c);
	}
	cm->last_message = m;
	cm->last_counts = c;
	return c;
}

static void
cmd_match_invalid(struct cmd_match *cm, enum reason r, const char *line,
    size_t len)
{
	const struct message *m;

	cm->invalid++;
	cm->reasons[r]++;
	m = schema_find(cm->schema, cm->payload.name, cm->payload.namelen,
	    cm->payload.version);
	if (m != NULL)
		cmd_match_counts(cm, m)->invalid++;
	buf_append(&cm->out, "INVALID\t", 8);
	buf_puts(&cm->out, reason_name(r));
	buf_putc(&cm->out, '\t');
	buf_append(&cm->out, line, len);
	buf_putc(&cm->out, '\n');
}

static void
cmd_match_line(void *arg, const char *line, size_t len, bool truncated)
{
	struct cmd_match	*cm = arg;
	struct syslog_line	 sl;
	int64_t			 ms;
	const struct message	*m;

	cm->lines++;
	if (syslog_parse(line, len, &sl) == -1) {
		cm->not_syslog++;
		return;
	}
	if (sl.msglen == 0 || sl.msg[0] != '@') {
		cm->not_analytics++;
		return;
	}
	if (truncated) {
		if (payload_header(&cm->payload, sl.msg, sl.msglen) == 0) {
			cm->not_analytics++;
			return;
		}
		cmd_match_invalid(cm, REASON_TRUNCATED, line, len);
		goto out;
	}
	switch (payload_match(&cm->payload, cm->schema, sl.msg, sl.msglen)) {
	case PAYLOAD_SKIP:
		cm->not_analytics++;
		return;
	case PAYLOAD_INVALID:
		cmd_match_invalid(cm, cm->payload.reason, line, len);
		goto out;
	case PAYLOAD_VALID:
		break;
	}
	if (syslog_time(cm->parser, &sl, &ms) == -1) {
		cm->not_syslog++;
		return;
	}
	m = cm->payload.msg;
	cm->valid++;
	cmd_match_counts(cm, m)->valid++;
	buf_append(&cm->out, m->name, strlen(m->name));
	buf_putc_fast(&cm->out, ':');
	row_int(&cm->out, m->version);
	buf_putc_fast(&cm->out, '\t');
	if (m->format == MESSAGE_FORMAT_AVRO) {
		avro_json_row(&cm->out, ms, sl.host, sl.hostlen, &cm->payload);
		buf_putc_fast(&cm->out, '\n');
	} else
		row_encode(&cm->out, ms, sl.host, sl.hostlen, &cm->payload);
out:
	if (cm->out.len >= CMD_MATCH_FLUSH)
		cmd_match_flush(cm);
}

static void
cmd_match_stats(struct cmd_match *cm)
{
	size_t	 i;
	int	 r;

	fprintf(stderr, "lines %lu\nnot-syslog %lu\nnot-analytics %lu\n"
	    "valid %lu\ninvalid %lu\n", cm->lines, cm->not_syslog,
	    cm->not_analytics, cm->valid, cm->invalid);
	for (i = 0; i < schema_count(cm->schema); i++) {
		const struct message *m = schema_get(cm->schema, i);
		struct cmd_match_counts *c = hmap_get(cm->per_message, &m,
		    sizeof m);

		if (c != NULL)
			fprintf(stderr, "message %s:%u valid %lu invalid %lu\n",
			    m->name, m->version, c->valid, c->invalid);
	}
	for (r = REASON_NONE + 1; r < REASON_COUNT; r++)
		if (cm->reasons[r] > 0)
			fprintf(stderr, "reason %s %lu\n",
			    reason_name((enum reason)r), cm->reasons[r]);
}

static int
cmd_match_read(struct cmd_match *cm, int fd, size_t max_line)
{
	struct linebuf	 lb;
	struct stat	 st;
	char		*chunk, *map;
	ssize_t		 n;
	size_t		 off;
	int		 rc = 0;

	linebuf_init(&lb, max_line);
	/* A regular file is mapped: it saves the copy read() would make. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd,
	    0)) != MAP_FAILED) {
		madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
		for (off = 0; off < (size_t)st.st_size; off += CMD_MATCH_FLUSH)
			linebuf_feed(&lb, map + off, MIN(CMD_MATCH_FLUSH,
			    (size_t)st.st_size - off), cmd_match_line, cm);
		munmap(map, (size_t)st.st_size);
		goto out;
	}
	chunk = xmalloc(CMD_MATCH_FLUSH);
	for (;;) {
		n = read(fd, chunk, CMD_MATCH_FLUSH);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			rc = -1;
			break;
		}
		if (n == 0)
			break;
		linebuf_feed(&lb, chunk, (size_t)n, cmd_match_line, cm);
	}
	free(chunk);
out:
	linebuf_finish(&lb, cmd_match_line, cm);
	linebuf_clear(&lb);
	return rc;
}

int
cmd_match(int argc, char **argv)
{
	static const struct option longopts[] = {
		DEFS_LONGOPTS,
		{ "stats", no_argument, NULL, 's' },
		{ "now", required_argument, NULL, 'n' },
		{ "max-line", required_argument, NULL, 'L' },
		{ NULL, 0, NULL, 0 }
	};
	struct defs_args args = { NULL, NULL };
	const char	*path = "-";
	struct config	*cfg;
	struct schema	*s;
	struct cmd_match cm;
	int64_t		 now = clock_wall_ms();
	size_t		 max_line = CMD_MATCH_MAX_LINE, pos = 0;
	bool		 stats = false;
	char		*end;
	void		*v;
	int		 ch, fd = STDIN_FILENO, rc = CMD_OK;

	while ((ch = getopt_long(argc, argv,
	    DEFS_OPTSTRING "sn:L:", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			stats = true;
			break;
		case 'n':
			if (clock_parse_rfc3339(optarg, strlen(optarg), &now) !=
			    strlen(optarg)) {
				fprintf(stderr, "barge: match: --now: not an "
				    "RFC 3339 time: %s\n", optarg);
				return CMD_USAGE;
			}
			break;
		case 'L':
			errno = 0;
			max_line = strtoul(optarg, &end, 10);
			if (*end != '\0' || errno != 0 || max_line < 16 ||
			    optarg[0] == '-') {
				fprintf(stderr, "barge: match: --max-line: "
				    "need a number of bytes >= 16: %s\n",
				    optarg);
				return CMD_USAGE;
			}
			break;
		default:
			ch = defs_option(ch, "match", cmd_match_help, &args);
			if (ch != DEFS_NEXT)
				return ch;
			break;
		}
	}
	if (argc - optind > 1)
		return barge_cmd_usage_error("match");
	if (optind < argc)
		path = argv[optind];
	if (defs_load("match", args.config, args.messages, &cfg, &s) == -1)
		return CMD_FAIL;
	if (strcmp(path, "-") != 0 &&
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		fprintf(stderr, "barge: match: %s: %s\n", path,
		    strerror(errno));
		config_free(cfg);
		schema_free(s);
		return CMD_FAIL;
	}

	memset(&cm, 0, sizeof cm);
	cm.schema = s;
	cm.parser = syslog_parser_new(now);
	cm.per_message = hmap_new();
	payload_init(&cm.payload);
	buf_init(&cm.out);
	if (cmd_match_read(&cm, fd, max_line) == -1) {
		fprintf(stderr, "barge: match: %s: %s\n", path,
		    strerror(errno));
		rc = CMD_FAIL;
	}
	cmd_match_flush(&cm);
	if (fflush(stdout) == EOF || cm.write_error != 0) {
		fprintf(stderr, "barge: match: standard output: %s\n",
		    strerror(cm.write_error != 0 ? cm.write_error : errno));
		rc = CMD_FAIL;
	}
	if (stats)
		cmd_match_stats(&cm);

	if (fd != STDIN_FILENO)
		close(fd);
	while (hmap_next(cm.per_message, &pos, NULL, NULL, &v))
		free(v);
	hmap_free(cm.per_message);
	buf_clear(&cm.out);
	payload_clear(&cm.payload);
	syslog_parser_free(cm.parser);
	config_free(cfg);
	schema_free(s);
	return rc;
}
