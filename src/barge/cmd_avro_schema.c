/*
 * barge avro-schema: prints the Avro schema (.avsc) of a message, the
 * very text barged writes into the avro.schema of its Avro files.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "barge/cmd.h"
#include "barge/defs.h"

static const char cmd_avro_schema_help[] =
    "Prints the Avro schema of message NAME, version VERSION (the highest\n"
    "version if omitted): the avro.schema its Avro files carry.\n\n"
    "  -c, --config file    barge.yaml naming the messages folder\n"
    "  -m, --messages dir   use the definitions in dir\n";

int
cmd_avro_schema(int argc, char **argv)
{
	static const struct option longopts[] = {
		DEFS_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct defs_args args = { NULL, NULL };
	const struct message *m, *found = NULL;
	struct config	*cfg = NULL;
	struct schema	*s = NULL;
	unsigned long	 version = 0;
	const char	*colon;
	char		*end;
	size_t		 i, namelen;
	int		 ch, rc = CMD_FAIL;

	while ((ch = getopt_long(argc, argv, DEFS_OPTSTRING, longopts,
	    NULL)) != -1) {
		ch = defs_option(ch, "avro-schema", cmd_avro_schema_help,
		    &args);
		if (ch != DEFS_NEXT)
			return ch;
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return barge_cmd_usage_error("avro-schema");
	namelen = strlen(argv[0]);
	if ((colon = strchr(argv[0], ':')) != NULL) {
		namelen = (size_t)(colon - argv[0]);
		version = strtoul(colon + 1, &end, 10);
		if (colon[1] < '0' || colon[1] > '9' || *end != '\0' ||
		    version == 0 || version > 0xffffffffUL) {
			fprintf(stderr, "barge: avro-schema: %s: not a "
			    "version\n", colon + 1);
			return CMD_USAGE;
		}
	}
	if (defs_load("avro-schema", args.config, args.messages, &cfg,
	    &s) == -1)
		return CMD_FAIL;
	/* Sorted by name, then version: the last match is the highest. */
	for (i = 0; i < schema_count(s); i++) {
		m = schema_get(s, i);
		if (strlen(m->name) == namelen &&
		    strncmp(m->name, argv[0], namelen) == 0 &&
		    (version == 0 || m->version == version))
			found = m;
	}
	if (found == NULL) {
		if (version != 0 && schema_has_name(s, argv[0], namelen))
			fprintf(stderr, "barge: avro-schema: %.*s: no version "
			    "%lu\n", (int)namelen, argv[0], version);
		else
			fprintf(stderr, "barge: avro-schema: %.*s: no such "
			    "message\n", (int)namelen, argv[0]);
		goto out;
	}
	if (printf("%s\n", found->avro_schema) < 0 || fflush(stdout) != 0) {
		fprintf(stderr, "barge: avro-schema: write error\n");
		goto out;
	}
	rc = CMD_OK;
out:
	schema_free(s);
	config_free(cfg);
	return rc;
}
