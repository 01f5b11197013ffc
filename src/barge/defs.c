/*
 * Loading definitions for the CLI.  Every problem is printed, then the
 * command fails, so one run shows all that is wrong.
 */
#include "config.h"

#include "barge/defs.h"

#include <getopt.h>
#include <stdio.h>

#include "barge/cmd.h"
#include "base/diag.h"

static int
defs_report(const char *cmd, struct diag *d)
{
	char	 prefix[64];

	if (diag_count(d) == 0)
		return 0;
	snprintf(prefix, sizeof prefix, "barge: %s: ", cmd);
	diag_print(d, stderr, prefix);
	fprintf(stderr, "barge: %s: %zu error%s\n", cmd, diag_count(d),
	    diag_count(d) == 1 ? "" : "s");
	return -1;
}

int
defs_option(int ch, const char *cmd, const char *help, struct defs_args *a)
{
	switch (ch) {
	case 'c':
		a->config = optarg;
		return DEFS_NEXT;
	case 'm':
		a->messages = optarg;
		return DEFS_NEXT;
	case 'h':
		return barge_cmd_help(cmd, help);
	case 'V':
		return barge_cmd_version();
	default:
		return barge_cmd_usage_error(cmd);
	}
}

int
defs_load(const char *cmd, const char *config_path, const char *messages_dir,
    struct config **cfgp, struct schema **schemap)
{
	struct diag	*d = diag_new();
	struct config	*cfg = NULL;
	struct schema	*s = NULL;
	int		 rc = 0;

	if (config_path == NULL && messages_dir == NULL)
		config_path = DEFS_CONFIG_DEFAULT;
	if (config_path != NULL)
		cfg = config_load(config_path, d);
	if (messages_dir != NULL)
		s = schema_load(messages_dir, d);
	else if (cfg != NULL)
		s = schema_load(cfg->messages_dir, d);
	if (s != NULL && cfg != NULL)
		schema_set_default_format(s, cfg->output_format ==
		    CONFIG_FORMAT_AVRO ? MESSAGE_FORMAT_AVRO :
		    MESSAGE_FORMAT_TSV_GZ);
	if (defs_report(cmd, d) == -1) {
		config_free(cfg);
		schema_free(s);
		cfg = NULL;
		s = NULL;
		rc = -1;
	}
	diag_free(d);
	*cfgp = cfg;
	*schemap = s;
	return rc;
}

int
defs_load_files(const char *cmd, char *const *paths, size_t n,
    struct schema **schemap)
{
	struct diag	*d = diag_new();
	struct schema	*s;
	int		 rc = 0;

	s = schema_load_files(paths, n, d);
	if (defs_report(cmd, d) == -1) {
		schema_free(s);
		s = NULL;
		rc = -1;
	}
	diag_free(d);
	*schemap = s;
	return rc;
}
