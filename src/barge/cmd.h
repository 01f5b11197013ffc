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

int	cmd_check(int, char **);
int	cmd_match(int, char **);

#endif
