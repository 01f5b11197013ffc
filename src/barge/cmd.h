/*
 * The subcommands of barge(1).  Each takes argv with argv[0] the
 * subcommand name, parses its own options with getopt_long, prints its
 * errors as "barge: <cmd>: <message>", and returns the exit status:
 * 0 success, 1 failure, 2 usage error.
 */
#ifndef BARGE_CMD_H
#define BARGE_CMD_H

#define CMD_OK		0
#define CMD_FAIL	1
#define CMD_USAGE	2

/* Prints "usage: barge <name> <usage>" and text to stdout; returns CMD_OK. */
int	barge_cmd_help(const char *name, const char *text);
/* Prints the usage line to stderr; returns CMD_USAGE. */
int	barge_cmd_usage_error(const char *name);
/* Prints "barge <version>"; returns CMD_OK. */
int	barge_cmd_version(void);

int	cmd_check(int, char **);
int	cmd_hdfs(int, char **);
int	cmd_match(int, char **);
int	cmd_status(int, char **);
int	cmd_gen_header(int, char **);
int	cmd_gen_python(int, char **);
int	cmd_gen_java(int, char **);
int	cmd_hive_ddl(int, char **);
int	cmd_avro_schema(int, char **);
int	cmd_hours(int, char **);
int	cmd_audit(int, char **);
int	cmd_log(int, char **);

#endif
