/*
 * barge hive-ddl: prints the CREATE EXTERNAL TABLE statement under which
 * Hive reads the files barged writes for a message (DESIGN section 5):
 * the same columns in the same order, the same escaping and NULL, and
 * the dt=/hour= partition folders.  An Avro message's table is STORED AS
 * AVRO with the schema of core/avro_schema as avro.schema.literal.
 */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "barge/cmd.h"
#include "barge/defs.h"

static const char cmd_hive_ddl_help[] =
    "Prints the Hive CREATE EXTERNAL TABLE statement for the files barged\n"
    "writes for message NAME, version VERSION (every version if omitted):\n"
    "columns _time, _host, then the fields; partitions dt and hour.\n\n"
    "  -c, --config file    barge.yaml naming the messages folder and\n"
    "                       hdfs.root\n"
    "  -m, --messages dir   use the definitions in dir\n"
    "  -l, --location root  the HDFS root of barge's files (default:\n"
    "                       hdfs.root of the configuration)\n";

static const char *
cmd_hive_ddl_type(enum field_type t)
{
	switch (t) {
	case FIELD_STRING:
		return "STRING";
	case FIELD_INT32:
		return "INT";
	case FIELD_INT64:
	case FIELD_TIMESTAMP:
		return "BIGINT";
	case FIELD_DOUBLE:
		return "DOUBLE";
	case FIELD_BOOL:
		return "BOOLEAN";
	}
	return "?";
}

/* Appends s as a HiveQL string literal. */
static void
cmd_hive_ddl_literal(struct buf *out, const char *s)
{
	buf_putc(out, '\'');
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '\\':
			buf_puts(out, "\\\\");
			break;
		case '\'':
			buf_puts(out, "\\'");
			break;
		case '\n':
			buf_puts(out, "\\n");
			break;
		case '\r':
			buf_puts(out, "\\r");
			break;
		case '\t':
			buf_puts(out, "\\t");
			break;
		default:
			buf_putc(out, *s);
			break;
		}
	}
	buf_putc(out, '\'');
}

static void
cmd_hive_ddl_columns(struct buf *out, const struct message *m)
{
	const struct field *f;
	size_t		 i;

	buf_puts(out, "  `_time` BIGINT COMMENT 'event time, milliseconds "
	    "since the epoch, UTC',\n"
	    "  `_host` STRING COMMENT 'host of the syslog line'");
	for (i = 0; i < m->nfields; i++) {
		f = &m->fields[i];
		buf_printf(out, ",\n  `%s` %s", f->name,
		    cmd_hive_ddl_type(f->type));
		if (f->type == FIELD_TIMESTAMP)
			buf_puts(out, " COMMENT 'milliseconds since the "
			    "epoch, UTC'");
	}
	buf_puts(out, "\n)\n");
}

static void
cmd_hive_ddl_table(struct buf *out, const struct message *m,
    const char *root, size_t rootlen)
{
	char		*loc;
	bool		 is_avro = m->format == MESSAGE_FORMAT_AVRO;

	buf_printf(out, "CREATE EXTERNAL TABLE IF NOT EXISTS `%s_v%u`%s\n",
	    m->name, m->version, is_avro ? "" : " (");
	/* Hive takes an Avro table's columns from its schema. */
	if (!is_avro)
		cmd_hive_ddl_columns(out, m);
	if (m->description != NULL) {
		buf_puts(out, "COMMENT ");
		cmd_hive_ddl_literal(out, m->description);
		buf_puts(out, "\n");
	}
	buf_puts(out, m->is_daily ? "PARTITIONED BY (`dt` STRING)\n" :
	    "PARTITIONED BY (`dt` STRING, `hour` STRING)\n");
	if (is_avro)
		buf_puts(out, "STORED AS AVRO\nLOCATION ");
	else
		buf_puts(out, "ROW FORMAT DELIMITED\n"
		    "  FIELDS TERMINATED BY '\\t'\n"
		    "  ESCAPED BY '\\\\'\n"
		    "  LINES TERMINATED BY '\\n'\n"
		    "STORED AS TEXTFILE\n"
		    "LOCATION ");
	loc = xasprintf("%.*s/%s/v%u", (int)rootlen, root, m->name,
	    m->version);
	cmd_hive_ddl_literal(out, loc);
	free(loc);
	buf_puts(out, "\nTBLPROPERTIES (\n");
	if (is_avro) {
		buf_puts(out, "  'avro.schema.literal'=");
		cmd_hive_ddl_literal(out, m->avro_schema);
		buf_puts(out, ",\n");
	} else
		buf_puts(out, "  'serialization.escape.crlf'='true',\n"
		    "  'serialization.null.format'='\\\\N',\n");
	buf_printf(out, "  'barge.message'='%s:%u'", m->name, m->version);
	if (m->owner != NULL) {
		buf_puts(out, ",\n  'barge.owner'=");
		cmd_hive_ddl_literal(out, m->owner);
	}
	buf_printf(out, "\n);\n-- barged adds %s folder at a time; "
	    "Hive sees the new ones after:\n"
	    "-- MSCK REPAIR TABLE `%s_v%u`;\n", m->is_daily ? "a day" :
	    "an hour", m->name, m->version);
}

int
cmd_hive_ddl(int argc, char **argv)
{
	static const struct option longopts[] = {
		DEFS_LONGOPTS,
		{ "location", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	struct defs_args args = { NULL, NULL };
	const char	*root = NULL, *name;
	const struct message *m;
	struct config	*cfg = NULL;
	struct schema	*s = NULL;
	struct buf	 out;
	unsigned long	 version = 0;
	size_t		 i, rootlen, found = 0;
	char		*end;
	int		 ch, rc = CMD_FAIL;

	while ((ch = getopt_long(argc, argv,
	    DEFS_OPTSTRING "l:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			root = optarg;
			break;
		default:
			ch = defs_option(ch, "hive-ddl", cmd_hive_ddl_help, &args);
			if (ch != DEFS_NEXT)
				return ch;
			break;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > 2)
		return barge_cmd_usage_error("hive-ddl");
	name = argv[0];
	if (argc == 2) {
		version = strtoul(argv[1], &end, 10);
		if (argv[1][0] < '0' || argv[1][0] > '9' || *end != '\0' ||
		    version == 0 || version > 0xffffffffUL) {
			fprintf(stderr, "barge: hive-ddl: %s: not a version\n",
			    argv[1]);
			return CMD_USAGE;
		}
	}
	if (defs_load("hive-ddl", args.config, args.messages, &cfg, &s) == -1)
		return CMD_FAIL;
	if (root == NULL) {
		if (cfg == NULL)
			cfg = config_default();
		root = cfg->hdfs_root;
	}
	rootlen = strlen(root);
	while (rootlen > 1 && root[rootlen - 1] == '/')
		rootlen--;

	buf_init(&out);
	for (i = 0; i < schema_count(s); i++) {
		m = schema_get(s, i);
		if (strcmp(m->name, name) != 0 ||
		    (version != 0 && m->version != version))
			continue;
		if (found++ > 0)
			buf_puts(&out, "\n");
		cmd_hive_ddl_table(&out, m, root, rootlen);
	}
	if (found == 0) {
		if (version != 0 && schema_has_name(s, name, strlen(name)))
			fprintf(stderr, "barge: hive-ddl: %s: no version %lu\n",
			    name, version);
		else
			fprintf(stderr, "barge: hive-ddl: %s: no such "
			    "message\n", name);
		goto out;
	}
	if (fwrite(out.data, 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "barge: hive-ddl: write error\n");
		goto out;
	}
	rc = CMD_OK;
out:
	buf_clear(&out);
	schema_free(s);
	config_free(cfg);
	return rc;
}
