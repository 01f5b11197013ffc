/*
 * barge status: asks a running barged over its control socket and prints
 * the answer: text, JSON, or the Prometheus rendering.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/net.h"
#include "barge/cmd.h"
#include "barge/defs.h"
#include "core/control_proto.h"

#define CMD_STATUS_TIMEOUT_MS	5000

static const char cmd_status_help[] =
    "Asks the running barged for its figures: per input (offset, lag,\n"
    "rotations, lost bytes), per message (rows, bytes, invalid by reason),\n"
    "the spool and the uploader.\n\n"
    "  -c, --config file    barge.yaml naming the control socket (default "
    DEFS_CONFIG_DEFAULT ")\n"
    "  -S, --socket path    the control socket itself\n"
    "  -j, --json           JSON instead of text\n"
    "  -P, --prometheus     the Prometheus text format\n";

int
cmd_status(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'j' },
		{ "prometheus", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*config_path = DEFS_CONFIG_DEFAULT, *socket = NULL;
	const char	*request = "status";
	struct config	*cfg = NULL;
	struct diag	*d;
	struct error	 err;
	struct buf	 out;
	char		 chunk[8192];
	uint64_t	 deadline;
	ssize_t		 n;
	int		 ch, fd, rc = CMD_FAIL;

	while ((ch = getopt_long(argc, argv, "c:S:jPh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			config_path = optarg;
			break;
		case 'S':
			socket = optarg;
			break;
		case 'j':
			request = "status json";
			break;
		case 'P':
			request = "metrics";
			break;
		case 'h':
			return barge_cmd_help("status", cmd_status_help);
		case 'V':
			return barge_cmd_version();
		default:
			return barge_cmd_usage_error("status");
		}
	}
	if (optind != argc)
		return barge_cmd_usage_error("status");
	if (socket == NULL) {
		d = diag_new();
		if ((cfg = config_load(config_path, d)) == NULL) {
			diag_print(d, stderr, "barge: status: ");
			diag_free(d);
			return CMD_FAIL;
		}
		diag_free(d);
		socket = cfg->control_socket;
	}
	if ((fd = net_connect_unix(socket, CMD_STATUS_TIMEOUT_MS,
	    &err)) == -1) {
		fprintf(stderr, "barge: status: %s: %s (is barged running?)\n",
		    socket, err.msg);
		goto out;
	}
	deadline = net_deadline(CMD_STATUS_TIMEOUT_MS);
	buf_init(&out);
	buf_printf(&out, "%s\n%s\n", CONTROL_HELLO, request);
	if (net_write_full(fd, out.data, out.len, deadline, &err) == -1)
		goto fail;
	buf_reset(&out);
	while ((n = net_read_some(fd, chunk, sizeof chunk, deadline,
	    &err)) > 0)
		buf_append(&out, chunk, (size_t)n);
	if (n == -1)
		goto fail;
	if (out.len >= 7 && strncmp(out.data, "error: ", 7) == 0) {
		fprintf(stderr, "barge: status: %s: %s", socket, out.data + 7);
		goto done;
	}
	fwrite(out.data, 1, out.len, stdout);
	rc = CMD_OK;
	goto done;
fail:
	fprintf(stderr, "barge: status: %s: %s\n", socket, err.msg);
done:
	buf_clear(&out);
	close(fd);
out:
	config_free(cfg);
	return rc;
}
