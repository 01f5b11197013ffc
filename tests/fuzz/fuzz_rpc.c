/*
 * libFuzzer target: a NameNode that answers with arbitrary bytes.  The
 * first input byte picks SASL SIMPLE or no SASL; the rest is everything
 * the server sends, waiting on a socketpair before the client starts.
 * The client sets the connection up (reading the SASL answers) and makes
 * one call of each kind whose answer it decodes, until the connection
 * breaks (the bytes run out, or an answer was not understood).
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/net.h"
#include "hdfs/namenode.h"
#include "hdfs/rpc.h"

#include "peer.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Counts entries and keeps going. */
static int
fuzz_rpc_entry(const struct hdfs_stat *st, void *arg)
{
	size_t	*n = arg;

	(void)st;
	(*n)++;
	return 0;
}

/*
 * The calls, while the connection lasts: once the client has dropped it,
 * the next call would reconnect, which only costs time here.
 */
static void
fuzz_rpc_calls(struct nn *nn)
{
	struct nn_defaults	 d;
	struct hdfs_stat	 st;
	struct hdfs_fsstats	 fs;
	struct nn_locations	 loc;
	struct error		 err;
	uint64_t		 file_id;
	uint32_t		 remaining;
	size_t			 n = 0;
	char			*last = NULL;
	int			 fnrc, step;

	for (step = 0; step < 10 && nn_connected(nn); step++) {
		switch (step) {
		case 0:
			(void)nn_get_server_defaults(nn, &d, &err);
			break;
		case 1:
			(void)nn_get_file_info(nn, "/a", &st, &err);
			break;
		case 2:
			if (nn_get_listing(nn, "/", "", fuzz_rpc_entry, &n,
			    &remaining, &last, &fnrc, &err) == 0)
				free(last);
			break;
		case 3:
			(void)nn_mkdirs(nn, "/a/b", 0755, true, &err);
			break;
		case 4:
			(void)nn_create(nn, "/a/f", 0644, "fuzz", true, true,
			    3, 128 << 20, &file_id, &err);
			break;
		case 5:
			(void)nn_rename2(nn, "/a/f", "/a/g", false, &err);
			break;
		case 6:
			(void)nn_delete(nn, "/a", true, &err);
			break;
		case 7:
			(void)nn_renew_lease(nn, "fuzz", &err);
			break;
		case 8:
			(void)nn_get_fs_stats(nn, &fs, &err);
			break;
		case 9:
			memset(&loc, 0, sizeof loc);
			if (nn_get_block_locations(nn, "/a/g", 0, 1 << 20,
			    &loc, &err) == 0)
				nn_locations_clear(&loc);
			break;
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const uint8_t	 id[RPC_CLIENT_ID_LEN] = { 1 };
	struct net_addr		 nowhere = { "127.0.0.1", "1" };
	struct rpc_options	 o;
	struct rpc_conn		*c;
	struct error		 err;
	struct nn		*nn;
	int			 fd, far;

	if (len < 1 || (fd = fuzz_peer(data + 1, len - 1, &far)) == -1)
		return 0;

	memset(&o, 0, sizeof o);
	o.user = "fuzz";
	memcpy(o.client_id, id, sizeof id);
	o.connect_timeout_ms = 1000;
	o.io_timeout_ms = 1000;
	o.sasl = (data[0] & 1) != 0;
	nn = nn_new(&nowhere, 1, &o, 1);
	c = rpc_open_fd(fd, "fuzz", &o, &err);
	if (c != NULL) {
		nn_attach(nn, c);
		fuzz_rpc_calls(nn);
	}
	nn_free(nn);
	close(far);
	return 0;
}
