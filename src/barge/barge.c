/*
 * barge(1): the command-line tool.  A static table of subcommands, each
 * in its own cmd_*.c; this file only dispatches and answers --help and
 * --version.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/cdefs.h"
#include "base/clock.h"
#include "base/log.h"
#include "barge/cmd.h"

struct barge_cmd {
	const char	*name;
	const char	*usage;		/* the same words as barge(1) */
	int		(*run)(int, char **);
};

static const struct barge_cmd barge_cmds[] = {
	{ .name = "check", .usage = "[--config file | --messages dir | "
	    "--messages-file file ...]", .run = cmd_check },
	{ .name = "hdfs", .usage = "[--namenode host:port[,host:port]] "
	    "[--user name] ls|stat|mkdir|put|cat|get|mv|rm|df ...",
	    .run = cmd_hdfs },
	{ .name = "match", .usage = "[--config file | --messages dir] "
	    "[--stats] [--now time] [--max-line bytes] [file | -]",
	    .run = cmd_match },
	{ .name = "status", .usage = "[--config file | --socket path] "
	    "[--json | --prometheus]", .run = cmd_status },
	{ .name = "log", .usage = "[--config file | --messages dir] "
	    "[--priority pri] [--tag tag] [--null marker] name version "
	    "[value ...]", .run = cmd_log },
	{ .name = "gen-header", .usage = "[--config file | --messages dir] "
	    "[name[:version] ...]", .run = cmd_gen_header },
	{ .name = "gen-python", .usage = "[--config file | --messages dir] "
	    "[name[:version] ...]", .run = cmd_gen_python },
	{ .name = "gen-java", .usage = "[--config file | --messages dir] "
	    "[--package name] [name[:version] ...]", .run = cmd_gen_java },
	{ .name = "hive-ddl", .usage = "[--config file | --messages dir] "
	    "[--location root] name [version]", .run = cmd_hive_ddl },
	{ .name = "avro-schema", .usage = "[--config file | --messages dir] "
	    "name[:version]", .run = cmd_avro_schema },
	{ .name = "hours", .usage = "[--config file | --messages dir] "
	    "[--root path] [--namenode list] [--hosts file | --alive "
	    "duration] [--mark] [--wait duration] [--json] "
	    "name[:version] [hour ...]", .run = cmd_hours },
	{ .name = "audit", .usage = "[--config file | --messages dir] "
	    "[--root path] [--namenode list] [--rows] [--json] day",
	    .run = cmd_audit },
};

static void
barge_usage(FILE *fp)
{
	size_t	 i;

	fprintf(fp, "usage: barge [--help] [--version] command [args]\n\n"
	    "commands:\n");
	for (i = 0; i < nitems(barge_cmds); i++)
		fprintf(fp, "  barge %s %s\n", barge_cmds[i].name,
		    barge_cmds[i].usage);
	fprintf(fp, "\n'barge command --help' describes a command; "
	    "barge(1) has the details.\n");
}

static const struct barge_cmd *
barge_cmd_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < nitems(barge_cmds); i++)
		if (strcmp(name, barge_cmds[i].name) == 0)
			return &barge_cmds[i];
	return NULL;
}

int
barge_cmd_help(const char *name, const char *text)
{
	const struct barge_cmd *c = barge_cmd_find(name);

	printf("usage: barge %s %s\n\n%s", name, c != NULL ? c->usage : "",
	    text);
	return CMD_OK;
}

int
barge_cmd_usage_error(const char *name)
{
	const struct barge_cmd *c = barge_cmd_find(name);

	fprintf(stderr, "usage: barge %s %s\n", name,
	    c != NULL ? c->usage : "");
	return CMD_USAGE;
}

int
barge_cmd_version(void)
{
	printf("barge %s\n", PACKAGE_VERSION);
	return CMD_OK;
}

int
main(int argc, char **argv)
{
	const struct barge_cmd *c;
	struct error	 err;

	log_init("barge", true, 0);
	if (clock_init_env(&err) == -1) {
		fprintf(stderr, "barge: %s\n", err.msg);
		return CMD_USAGE;
	}
	if (argc < 2) {
		barge_usage(stderr);
		return CMD_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		barge_usage(stdout);
		return CMD_OK;
	}
	if (strcmp(argv[1], "--version") == 0)
		return barge_cmd_version();
	if ((c = barge_cmd_find(argv[1])) != NULL)
		return c->run(argc - 1, argv + 1);
	fprintf(stderr, "barge: unknown command '%s'\n", argv[1]);
	barge_usage(stderr);
	return CMD_USAGE;
}
