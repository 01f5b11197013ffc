/*
 * barge log: sends one analytics message from the command line, for
 * shell scripts and any language.  The values are checked against the
 * local definition by the decoder barged itself uses, on the very text
 * that <barge/log.h> builds, so a message this command sends is one
 * barged accepts.
 */
#include "config.h"

#include <barge/log.h>

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include "base/cdefs.h"
#include "barge/cmd.h"
#include "barge/defs.h"
#include "core/payload.h"
#include "core/reason.h"

static const char cmd_log_help[] =
    "Checks VALUE... against the definition of NAME version VERSION, then\n"
    "sends the message with syslog(3), escaped as <barge/log.h> does.  A\n"
    "value equal to the NULL marker is NULL.\n\n"
    "  -c, --config file      barge.yaml naming the messages folder\n"
    "  -m, --messages dir     use the definitions in dir\n"
    "  -p, --priority pri     [facility.]level, as logger(1) takes it\n"
    "                         (default user.info)\n"
    "  -t, --tag tag          syslog tag (default barge)\n"
    "  -N, --null marker      the value that means NULL (default \\N)\n";

struct cmd_log_name {
	const char	*name;
	int		 value;
};

static const struct cmd_log_name cmd_log_levels[] = {
	{ "emerg", LOG_EMERG }, { "panic", LOG_EMERG },
	{ "alert", LOG_ALERT }, { "crit", LOG_CRIT },
	{ "err", LOG_ERR }, { "error", LOG_ERR },
	{ "warning", LOG_WARNING }, { "warn", LOG_WARNING },
	{ "notice", LOG_NOTICE }, { "info", LOG_INFO },
	{ "debug", LOG_DEBUG },
};

static const struct cmd_log_name cmd_log_facilities[] = {
	{ "kern", LOG_KERN }, { "user", LOG_USER }, { "mail", LOG_MAIL },
	{ "daemon", LOG_DAEMON }, { "auth", LOG_AUTH },
	{ "security", LOG_AUTH }, { "syslog", LOG_SYSLOG },
	{ "lpr", LOG_LPR }, { "news", LOG_NEWS }, { "uucp", LOG_UUCP },
	{ "cron", LOG_CRON }, { "authpriv", LOG_AUTHPRIV },
	{ "ftp", LOG_FTP }, { "local0", LOG_LOCAL0 },
	{ "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 },
	{ "local3", LOG_LOCAL3 }, { "local4", LOG_LOCAL4 },
	{ "local5", LOG_LOCAL5 }, { "local6", LOG_LOCAL6 },
	{ "local7", LOG_LOCAL7 },
};

static int
cmd_log_lookup(const struct cmd_log_name *t, size_t n, const char *s,
    size_t len)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strlen(t[i].name) == len &&
		    strncasecmp(t[i].name, s, len) == 0)
			return t[i].value;
	return -1;
}

/* "info" or "local3.notice" into a facility and a level. */
static int
cmd_log_priority(const char *s, int *facility, int *level)
{
	const char	*dot;

	if ((dot = strchr(s, '.')) != NULL) {
		*facility = cmd_log_lookup(cmd_log_facilities,
		    nitems(cmd_log_facilities), s, (size_t)(dot - s));
		s = dot + 1;
		if (*facility == -1)
			return -1;
	}
	*level = cmd_log_lookup(cmd_log_levels, nitems(cmd_log_levels), s,
	    strlen(s));
	return *level == -1 ? -1 : 0;
}

/* Why the decoder refused a value, for a person. */
static void
cmd_log_refused(const struct message *m, const struct payload *p,
    char **values)
{
	const struct field *f = &m->fields[p->field];
	const char	*v = values[p->field];

	fprintf(stderr, "barge: log: %s: %s: ", f->name,
	    reason_name(p->reason));
	switch (p->reason) {
	case REASON_BAD_INT32:
		fprintf(stderr, "'%s' is not an int32\n", v);
		break;
	case REASON_BAD_INT64:
		fprintf(stderr, "'%s' is not an int64\n", v);
		break;
	case REASON_BAD_DOUBLE:
		fprintf(stderr, "'%s' is not a finite double\n", v);
		break;
	case REASON_BAD_BOOL:
		fprintf(stderr, "'%s' is not true, false, 1 or 0\n", v);
		break;
	case REASON_BAD_TIMESTAMP:
		fprintf(stderr, "'%s' is neither an integer in %s nor RFC "
		    "3339\n", v, f->unit == FIELD_UNIT_S ? "seconds" :
		    "milliseconds");
		break;
	case REASON_NULL_NOT_ALLOWED:
		fprintf(stderr, "NULL for a field that is not nullable\n");
		break;
	case REASON_TOO_LONG:
		fprintf(stderr, "%zu bytes, longer than max_length %zu\n",
		    strlen(v), f->max_length);
		break;
	default:
		fprintf(stderr, "refused\n");
		break;
	}
}

int
cmd_log(int argc, char **argv)
{
	static const struct option longopts[] = {
		DEFS_LONGOPTS,
		{ "priority", required_argument, NULL, 'p' },
		{ "tag", required_argument, NULL, 't' },
		{ "null", required_argument, NULL, 'N' },
		{ NULL, 0, NULL, 0 }
	};
	struct defs_args args = { NULL, NULL };
	const char	*tag = "barge", *null = "\\N", *text;
	const struct message *m;
	struct config	*cfg = NULL;
	struct schema	*s = NULL;
	struct payload	 p;
	struct barge_log_msg msg;
	unsigned long	 version;
	size_t		 i;
	char		*end;
	int		 ch, facility = LOG_USER, level = LOG_INFO;
	int		 e, rc = CMD_FAIL;

	while ((ch = getopt_long(argc, argv,
	    "+" DEFS_OPTSTRING "p:t:N:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			if (cmd_log_priority(optarg, &facility, &level) == -1) {
				fprintf(stderr, "barge: log: %s: unknown "
				    "priority\n", optarg);
				return CMD_USAGE;
			}
			break;
		case 't':
			tag = optarg;
			break;
		case 'N':
			null = optarg;
			break;
		default:
			ch = defs_option(ch, "log", cmd_log_help, &args);
			if (ch != DEFS_NEXT)
				return ch;
			break;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		return barge_cmd_usage_error("log");
	version = strtoul(argv[1], &end, 10);
	if (argv[1][0] < '0' || argv[1][0] > '9' || *end != '\0' ||
	    version == 0 || version > 0xffffffffUL) {
		fprintf(stderr, "barge: log: %s: not a version\n", argv[1]);
		return CMD_USAGE;
	}
	if (defs_load("log", args.config, args.messages, &cfg, &s) == -1)
		return CMD_FAIL;
	payload_init(&p);

	if ((m = schema_find(s, argv[0], strlen(argv[0]),
	    (unsigned)version)) == NULL) {
		if (schema_has_name(s, argv[0], strlen(argv[0])))
			fprintf(stderr, "barge: log: %s: no version %lu\n",
			    argv[0], version);
		else
			fprintf(stderr, "barge: log: %s: no such message\n",
			    argv[0]);
		goto out;
	}
	argc -= 2;
	argv += 2;
	if ((size_t)argc != m->nfields) {
		fprintf(stderr, "barge: log: %s:%u: %d value%s for %zu "
		    "field%s\n", m->name, m->version, argc,
		    argc == 1 ? "" : "s", m->nfields,
		    m->nfields == 1 ? "" : "s");
		goto out;
	}

	barge_log_begin(&msg, m->name, m->version);
	for (i = 0; i < m->nfields; i++) {
		if (strcmp(argv[i], null) == 0)
			barge_log_add_null(&msg);
		else
			barge_log_add_string(&msg, argv[i]);
	}
	if ((text = barge_log_text(&msg)) == NULL) {
		e = msg.error;
		if (e == BARGE_LOG_ETOOLONG)
			fprintf(stderr, "barge: log: %s:%u: %s (more than %d "
			    "bytes)\n", m->name, m->version,
			    barge_log_strerror(e), BARGE_LOG_MAX);
		else
			fprintf(stderr, "barge: log: %s: %s\n",
			    m->fields[msg.error_field].name,
			    barge_log_strerror(e));
		goto out;
	}
	if (payload_match(&p, s, text, strlen(text)) != PAYLOAD_VALID) {
		if (p.reason == REASON_NONE || p.field >= m->nfields)
			fprintf(stderr, "barge: log: %s:%u: %s\n", m->name,
			    m->version, reason_name(p.reason));
		else
			cmd_log_refused(m, &p, argv);
		goto out;
	}

	openlog(tag, LOG_PID, facility);
	e = barge_log_send(&msg, level);
	closelog();
	if (e != 0) {
		fprintf(stderr, "barge: log: %s\n", barge_log_strerror(e));
		goto out;
	}
	rc = CMD_OK;
out:
	payload_clear(&p);
	schema_free(s);
	config_free(cfg);
	return rc;
}
