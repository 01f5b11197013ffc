/*
 * barge check: loads barge.yaml and the message definitions exactly as
 * barged would, prints every problem or a summary of what was declared.
 * --messages-file checks single files whatever their names, for puppet's
 * validate_cmd, which hands over a temporary copy before putting it in
 * place.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "barge/cmd.h"
#include "barge/defs.h"
#include "base/xmalloc.h"

static const char cmd_check_help[] =
    "Validates barge.yaml and every message definition.  Prints each\n"
    "problem as file:line:column: message, or a summary of the declared\n"
    "messages.  Exit status 0 if all is valid, 1 if not.\n\n"
    "  -c, --config file    barge.yaml to check (default "
    DEFS_CONFIG_DEFAULT ")\n"
    "  -m, --messages dir   check the definitions in dir\n"
    "  -F, --messages-file file\n"
    "                       check the definitions in file (repeatable),\n"
    "                       whatever its name\n";

int
cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		DEFS_LONGOPTS,
		{ "messages-file", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 }
	};
	struct defs_args args = { NULL, NULL };
	struct config	*cfg = NULL;
	struct schema	*s;
	char		**files;
	size_t		 i, nfiles = 0;
	int		 ch, rc;

	files = xcalloc((size_t)argc, sizeof *files);
	while ((ch = getopt_long(argc, argv, DEFS_OPTSTRING "F:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'F':
			files[nfiles++] = optarg;
			break;
		default:
			ch = defs_option(ch, "check", cmd_check_help, &args);
			if (ch != DEFS_NEXT) {
				free(files);
				return ch;
			}
			break;
		}
	}
	if (optind != argc ||
	    (nfiles > 0 && (args.config != NULL || args.messages != NULL))) {
		free(files);
		return barge_cmd_usage_error("check");
	}
	if (nfiles > 0)
		rc = defs_load_files("check", files, nfiles, &s);
	else
		rc = defs_load("check", args.config, args.messages, &cfg, &s);
	if (rc == -1) {
		free(files);
		return CMD_FAIL;
	}
	if (cfg != NULL)
		printf("config %s: ok\n", cfg->file);
	printf("messages ");
	for (i = 0; i < nfiles; i++)
		printf("%s%s", i > 0 ? ", " : "", files[i]);
	if (nfiles == 0)
		printf("%s", args.messages != NULL ? args.messages :
		    cfg->messages_dir);
	printf(": %zu definition%s\n", schema_count(s),
	    schema_count(s) == 1 ? "" : "s");
	for (i = 0; i < schema_count(s); i++) {
		const struct message *m = schema_get(s, i);

		printf("  %s:%u\t%zu field%s\t%s:%u\n", m->name, m->version,
		    m->nfields, m->nfields == 1 ? "" : "s", m->file, m->line);
	}
	config_free(cfg);
	schema_free(s);
	free(files);
	return CMD_OK;
}
