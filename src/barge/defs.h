/*
 * What the definition-reading subcommands share: --config / --messages
 * handling and printing the loader's diagnostics.
 */
#ifndef BARGE_DEFS_H
#define BARGE_DEFS_H

#include "core/config.h"
#include "core/schema.h"

/* The barge.yaml read when neither --config nor --messages is given. */
#define DEFS_CONFIG_DEFAULT	BARGE_SYSCONFDIR "/barge.yaml"

/*
 * The options every such subcommand takes, for getopt_long tables and
 * optstrings: -c/--config, -m/--messages, -h/--help, -V/--version.
 */
#define DEFS_OPTSTRING		"c:m:hV"
#define DEFS_LONGOPTS \
	{ "config", required_argument, NULL, 'c' }, \
	{ "messages", required_argument, NULL, 'm' }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, 'V' }

struct defs_args {
	const char	*config;	/* --config, or NULL */
	const char	*messages;	/* --messages, or NULL */
};

/* defs_option() handled the option; the getopt loop goes on. */
#define DEFS_NEXT	(-1)

/*
 * Handles one of the shared options returned by getopt_long: records
 * --config and --messages in a (DEFS_NEXT), prints help or the version
 * (CMD_OK), or reports a usage error for anything else (CMD_USAGE).
 */
int	defs_option(int ch, const char *cmd, const char *help,
	    struct defs_args *a);

/*
 * Loads the configuration (config_path, or the default when neither path
 * is given) and the definitions (messages_dir if given, else the config's
 * messages_dir).  Prints every diagnostic as "barge: <cmd>: file:line:col:
 * message" and returns -1 if there was any.  *cfgp may be NULL on success
 * when only --messages was given.
 */
int	defs_load(const char *cmd, const char *config_path,
	    const char *messages_dir, struct config **cfgp,
	    struct schema **schemap);

/*
 * Loads the definitions of the given files only, whatever their names
 * (puppet's validate_cmd hands over a temporary file), printing
 * diagnostics like defs_load.
 */
int	defs_load_files(const char *cmd, char *const *paths, size_t n,
	    struct schema **schemap);

#endif
