/*
 * barge check: loads barge.yaml and the message definitions exactly as
 * barged would, prints every problem or a summary of what was declared.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "barge/cmd.h"
#include "barge/defs.h"

static const char cmd_check_help[] =
    "Validates barge.yaml and every message definition.  Prints each\n"
    "problem as file:line:column: message, or a summary of the declared\n"
    "messages.  Exit status 0 if all is valid, 1 if not.\n\n"
    "  -c, --config file    barge.yaml to check (default "
    DEFS_CONFIG_DEFAULT ")\n"
    "  -m, --messages dir   check the definitions in dir\n";

int
cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		DEFS_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct defs_args args = { NULL, NULL };
	struct config	*cfg;
	struct schema	*s;
	size_t		 i;
	int		 ch;

	while ((ch = getopt_long(argc, argv, DEFS_OPTSTRING, longopts,
	    NULL)) != -1) {
		switch (ch) {
		default:
			ch = defs_option(ch, "check", cmd_check_help, &args);
			if (ch != DEFS_NEXT)
				return ch;
			break;
		}
	}
	if (optind != argc)
		return barge_cmd_usage_error("check");
	if (defs_load("check", args.config, args.messages, &cfg, &s) == -1)
		return CMD_FAIL;
	if (cfg != NULL)
		printf("config %s: ok\n", cfg->file);
	printf("messages %s: %zu definition%s\n",
	    args.messages != NULL ? args.messages : cfg->messages_dir,
	    schema_count(s), schema_count(s) == 1 ? "" : "s");
	for (i = 0; i < schema_count(s); i++) {
		const struct message *m = schema_get(s, i);

		printf("  %s:%u\t%zu field%s\t%s:%u\n", m->name, m->version,
		    m->nfields, m->nfields == 1 ? "" : "s", m->file, m->line);
	}
	config_free(cfg);
	schema_free(s);
	return CMD_OK;
}
