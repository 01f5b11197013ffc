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

/* The long options every such subcommand takes, for getopt_long tables. */
#define DEFS_OPT_CONFIG		'c'
#define DEFS_OPT_MESSAGES	'm'
#define DEFS_LONGOPTS \
	{ "config", required_argument, NULL, DEFS_OPT_CONFIG }, \
	{ "messages", required_argument, NULL, DEFS_OPT_MESSAGES }

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
