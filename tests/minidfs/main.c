/*
 * minidfs: options, listening sockets on 127.0.0.1 port 0, the port
 * file, and the accept loop that gives every connection a thread.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/error.h"
#include "base/fsio.h"
#include "base/log.h"
#include "base/xmalloc.h"

#include "hdfs/sasl_layer.h"

#include "minidfs.h"

struct mdfs	 mdfs;

struct main_conn {
	int		 fd;
	int		 nn;		/* which NameNode, if not dn */
	struct mdfs_dn	*dn;		/* NULL for a NameNode */
};

/* Long options without a letter of their own. */
#define MAIN_OPT_KEYTAB		256
#define MAIN_OPT_PRINCIPAL	257
#define MAIN_OPT_DTP		258
#define MAIN_OPT_RPCPROT	259
#define MAIN_OPT_PROXY		260
#define MAIN_OPT_BADTOKENS	261
#define MAIN_OPT_RCACHE		262
#define MAIN_OPT_DROP		263
#define MAIN_OPT_DROPMETHOD	264
#define MAIN_OPT_SLOWMETHOD	265
#define MAIN_OPT_LOGTIMES	266
#define MAIN_OPT_DNIP		267
#define MAIN_OPT_DNHOST		268
#define MAIN_OPT_LIE		269
#define MAIN_OPT_DNLIE		270
#define MAIN_OPT_DNLIEON	271

static void
main_usage(FILE *fp)
{
	fprintf(fp,
"usage: minidfs --data-dir DIR [options]\n"
"A strict NameNode and DataNodes on 127.0.0.1, for tests.\n"
"  --data-dir DIR          block files go to DIR/dn<i>\n"
"  --port-file F           write \"nn=PORT dn=PORT,PORT...\" to F\n"
"  --log F                 append one line per call, op, packet and ack\n"
"  --log-times             start each of those lines with the time in ms\n"
"                          since the epoch\n"
"  --nn-port P             the (first) NameNode listens on port P, not on\n"
"                          a free one: a NameNode back at the address its\n"
"                          clients know (the namespace starts empty)\n"
"  --datanodes N           DataNodes (default 1, at most %d)\n"
"  --namenodes 2           an HA pair sharing the namespace: the first is\n"
"                          active, the second standby (port file: nn2=)\n"
"  --block-size N          server default block size (default 134217728)\n"
"  --replication N         server default replication (default 1)\n"
"  --min-block-size N      smallest block size create accepts (1048576)\n"
"  --ls-limit N            getListing page size (default 1000)\n"
"  --lease-hard-ms N       recover files of clients silent this long\n"
"  --owner U, --group G    owner and group of /; U and members of G are\n"
"                          superusers (default: the user running minidfs,\n"
"                          supergroup)\n"
"  --no-permissions        no permission checks\n"
"  --dn-ip A, --dn-hostname H\n"
"                          the address and name DataNodes report to\n"
"                          clients (default 127.0.0.1 for both; they\n"
"                          listen on 127.0.0.1 whatever is reported, and\n"
"                          forward pipelines to the reported IP, so keep\n"
"                          replication 1 with an unreachable --dn-ip)\n"
"  --retry-cache-ms N      keep the outcome of at-most-once calls (create,\n"
"                          rename, rename2, delete) by client and call id\n"
"                          for N ms, shared by an HA pair (default 600000,\n"
"                          as dfs.namenode.retrycache.expirytime.millis;\n"
"                          0: no retry cache)\n"
"Faults:\n"
"  --dn-die-after BYTES    DataNode --dn-die-index (default 0) dies once it\n"
"                          has received more than BYTES of block data\n"
"  --dn-dead I             DataNode I is dead from the start (the NameNode\n"
"                          still places blocks on it); may be repeated\n"
"  --standby               answer StandbyException to every call\n"
"  --failover-after N      with --namenodes 2: the other NameNode becomes\n"
"                          active after every N calls served\n"
"  --safe-mode             refuse changes with SafeModeException\n"
"  --retriable N           the first N changes get RetriableException\n"
"  --not-replicated-yet N  the first N addBlock calls get\n"
"                          NotReplicatedYetException\n"
"  --complete-false K      the first K complete calls answer false\n"
"  --slow-ms N             every NameNode reply waits N ms\n"
"  --slow-method M,M...    only the replies of these methods wait (the\n"
"                          call has run and is logged before the wait)\n"
"  --dn-slow-ms N          every DataNode ack and read packet waits N ms\n"
"  --idle-close-ms N       the NameNode closes connections idle for N ms\n"
"  --drop-reply-after N    every Nth call that runs loses its reply: the\n"
"                          NameNode closes the connection instead\n"
"  --drop-reply-method M,M...\n"
"                          count only calls of these methods for that\n"
"  --nn-lie KIND[:N]       the NameNode lies in the answers to the first N\n"
"                          calls that run (all, without N): truncate (half\n"
"                          a frame, then closes), huge (a 4 GiB length),\n"
"                          garbage (a frame of junk), wrong-id (the answer\n"
"                          of another call), unknown-exception (a class no\n"
"                          client knows), silent (no answer at all)\n"
"  --dn-lie KIND[:N]       DataNodes lie in the answers to the first N\n"
"                          READ_BLOCK and WRITE_BLOCK ops (all, without N):\n"
"                          bad-checksum (a read packet whose data does not\n"
"                          match its checksum; a write acked\n"
"                          ERROR_CHECKSUM), error (a read refused; a write's\n"
"                          first packet acked ERROR), truncate (half the\n"
"                          first packet or ack, then a close), huge (a\n"
"                          packet or ack claiming 2 GiB), silent (no answer\n"
"                          to the op at all)\n"
"  --dn-lie-on read|write  only the ops of that kind lie\n"
"Secure mode:\n"
"  --kerberos-keytab F --kerberos-principal proto/host@REALM\n"
"                          Kerberos (SASL GSSAPI) on the NameNode with the\n"
"                          service keys in F; SIMPLE is refused\n"
"  --data-transfer-protection authentication|integrity|privacy\n"
"                          block access tokens, and SASL DIGEST-MD5 with\n"
"                          them on every DataNode connection at that QOP\n"
"  --bad-block-tokens      the NameNode hands out block tokens whose\n"
"                          password the DataNodes do not know\n"
"  --rpc-protection authentication|integrity|privacy\n"
"                          the SASL security layer the NameNode demands\n"
"                          (hadoop.rpc.protection; default authentication)\n"
"  --proxy-user REAL=U1,U2 REAL may impersonate U1 and U2 (* for anyone),\n"
"                          from any host (hadoop.proxyuser.REAL.users and\n"
"                          .hosts=*); REAL is a short name; may be repeated\n",
	    MDFS_MAXDN);
}

/* Splits proto/host@REALM for the KERBEROS offer, as a NameNode does. */
static int
main_krb_principal(void)
{
	const char	*p = mdfs.krb_principal, *slash, *at;

	if (!mkrb_available()) {
		fprintf(stderr, "minidfs: built without Kerberos\n");
		return -1;
	}
	slash = strchr(p, '/');
	at = strchr(p, '@');
	if (slash == NULL || slash == p || (at != NULL && at < slash) ||
	    (size_t)(slash - p) >= sizeof mdfs.krb_protocol) {
		fprintf(stderr, "minidfs: --kerberos-principal: want "
		    "proto/host[@REALM]\n");
		return -1;
	}
	snprintf(mdfs.krb_protocol, sizeof mdfs.krb_protocol, "%.*s",
	    (int)(slash - p), p);
	snprintf(mdfs.krb_server_id, sizeof mdfs.krb_server_id, "%.*s",
	    at != NULL ? (int)(at - slash - 1) : (int)strlen(slash + 1),
	    slash + 1);
	return 0;
}

static uint64_t
main_number(const char *opt, const char *s, uint64_t max)
{
	char			*end;
	unsigned long long	 v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || v > max) {
		fprintf(stderr, "minidfs: --%s: bad number '%s'\n", opt, s);
		exit(2);
	}
	return v;
}

static void
main_uuid(char *out, size_t len)
{
	uint8_t	 u[16];

	arc4random_buf(u, sizeof u);
	u[6] = (u[6] & 0x0f) | 0x40;
	u[8] = (u[8] & 0x3f) | 0x80;
	snprintf(out, len, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4], u[5],
	    u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

/* Binds *port, or any free port when it is 0, and says which. */
static int
main_listen(uint16_t *port)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	int			 fd, one = 1;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		fatal("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(*port);
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    listen(fd, 128) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
		fatal("listen on 127.0.0.1:%u", *port);
	*port = ntohs(sin.sin_port);
	return fd;
}

static void *
main_thread(void *arg)
{
	struct main_conn	*c = arg;

	if (c->dn == NULL)
		nn_serve(c->nn, c->fd);
	else
		dn_serve(c->dn, c->fd);
	close(c->fd);
	free(c);
	return NULL;
}

static void
main_accept(int lfd, int nn, struct mdfs_dn *dn)
{
	struct main_conn	*c;
	pthread_t		 t;
	pthread_attr_t		 attr;
	int			 fd, one = 1;

	if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) == -1)
		return;
	/* As Hadoop's servers: no reply waits for a delayed ACK. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	c = xmalloc(sizeof *c);
	c->fd = fd;
	c->nn = nn;
	c->dn = dn;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, main_thread, c) != 0)
		fatalx("pthread_create failed");
	pthread_attr_destroy(&attr);
}

static void
main_port_file(void)
{
	struct buf	 b;
	struct error	 err;
	int		 i;

	buf_init(&b);
	buf_printf(&b, "nn=%u dn=", mdfs.nn_port[0]);
	for (i = 0; i < mdfs.ndn; i++)
		buf_printf(&b, "%s%u", i > 0 ? "," : "", mdfs.dn[i].port);
	if (mdfs.nnn > 1)
		buf_printf(&b, " nn2=%u", mdfs.nn_port[1]);
	buf_putc(&b, '\n');
	if (fsio_write_file_atomic(mdfs.port_file, b.data, b.len, &err) == -1)
		fatalx("%s", err.msg);
	buf_clear(&b);
}

static void
main_loop(void)
{
	struct pollfd	 pfd[MDFS_MAXDN + 3];
	struct mdfs_dn	*owner[MDFS_MAXDN + 3];
	int		 nn[MDFS_MAXDN + 3];
	char		 c;
	int		 n, i;

	for (;;) {
		n = 0;
		pfd[n].fd = mdfs.wake[0];
		pfd[n].events = POLLIN;
		owner[n++] = NULL;
		for (i = 0; i < mdfs.nnn; i++) {
			pfd[n].fd = mdfs.nn_lfd[i];
			pfd[n].events = POLLIN;
			nn[n] = i;
			owner[n++] = NULL;
		}
		for (i = 0; i < mdfs.ndn; i++) {
			pthread_mutex_lock(&mdfs.dn[i].mu);
			if (mdfs.dn[i].dead && mdfs.dn[i].lfd != -1) {
				close(mdfs.dn[i].lfd);
				mdfs.dn[i].lfd = -1;
			}
			pthread_mutex_unlock(&mdfs.dn[i].mu);
			if (mdfs.dn[i].lfd == -1)
				continue;
			pfd[n].fd = mdfs.dn[i].lfd;
			pfd[n].events = POLLIN;
			nn[n] = -1;
			owner[n++] = &mdfs.dn[i];
		}
		if (poll(pfd, (nfds_t)n, -1) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		if (pfd[0].revents != 0 && read(mdfs.wake[0], &c, 1) == -1)
			fatal("read");
		for (i = 1; i < n; i++)
			if ((pfd[i].revents & POLLIN) != 0)
				main_accept(pfd[i].fd, nn[i], owner[i]);
	}
}

/*
 * --nn-lie or --dn-lie KIND[:N]: sets *kind to KIND's index in kinds
 * (whose [0] is the no-lie kind) and *left to N, or UINT32_MAX for all.
 */
static void
main_lie(const char *opt, const char *arg, const char *const *kinds,
    int nkinds, int *kind, unsigned *left)
{
	const char	*colon = strchr(arg, ':');
	size_t		 n = colon != NULL ? (size_t)(colon - arg) : strlen(arg);
	int		 k;

	for (k = 1; k < nkinds; k++)
		if (strlen(kinds[k]) == n && strncmp(kinds[k], arg, n) == 0)
			break;
	if (k == nkinds) {
		fprintf(stderr, "minidfs: --%s %s: unknown kind\n", opt, arg);
		exit(2);
	}
	*kind = k;
	*left = colon != NULL ? (unsigned)main_number(opt, colon + 1,
	    UINT32_MAX - 1) : UINT32_MAX;
}

int
main(int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "data-dir", required_argument, NULL, 'd' },
		{ "port-file", required_argument, NULL, 'p' },
		{ "log", required_argument, NULL, 'l' },
		{ "log-times", no_argument, NULL, MAIN_OPT_LOGTIMES },
		{ "nn-port", required_argument, NULL, 'O' },
		{ "datanodes", required_argument, NULL, 'n' },
		{ "namenodes", required_argument, NULL, 'k' },
		{ "failover-after", required_argument, NULL, 'F' },
		{ "block-size", required_argument, NULL, 'b' },
		{ "replication", required_argument, NULL, 'r' },
		{ "min-block-size", required_argument, NULL, 'm' },
		{ "ls-limit", required_argument, NULL, 'L' },
		{ "lease-hard-ms", required_argument, NULL, 'H' },
		{ "no-permissions", no_argument, NULL, 'P' },
		{ "owner", required_argument, NULL, 'o' },
		{ "group", required_argument, NULL, 'g' },
		{ "dn-die-after", required_argument, NULL, 'D' },
		{ "dn-die-index", required_argument, NULL, 'I' },
		{ "dn-dead", required_argument, NULL, 'X' },
		{ "standby", no_argument, NULL, 'S' },
		{ "slow-ms", required_argument, NULL, 's' },
		{ "dn-slow-ms", required_argument, NULL, 'A' },
		{ "slow-method", required_argument, NULL, MAIN_OPT_SLOWMETHOD },
		{ "idle-close-ms", required_argument, NULL, 'c' },
		{ "safe-mode", no_argument, NULL, 'M' },
		{ "not-replicated-yet", required_argument, NULL, 'N' },
		{ "complete-false", required_argument, NULL, 'C' },
		{ "kerberos-keytab", required_argument, NULL, MAIN_OPT_KEYTAB },
		{ "kerberos-principal", required_argument, NULL,
		    MAIN_OPT_PRINCIPAL },
		{ "data-transfer-protection", required_argument, NULL,
		    MAIN_OPT_DTP },
		{ "rpc-protection", required_argument, NULL, MAIN_OPT_RPCPROT },
		{ "proxy-user", required_argument, NULL, MAIN_OPT_PROXY },
		{ "bad-block-tokens", no_argument, NULL, MAIN_OPT_BADTOKENS },
		{ "retry-cache-ms", required_argument, NULL, MAIN_OPT_RCACHE },
		{ "drop-reply-after", required_argument, NULL, MAIN_OPT_DROP },
		{ "drop-reply-method", required_argument, NULL,
		    MAIN_OPT_DROPMETHOD },
		{ "retriable", required_argument, NULL, 'R' },
		{ "dn-ip", required_argument, NULL, MAIN_OPT_DNIP },
		{ "dn-hostname", required_argument, NULL, MAIN_OPT_DNHOST },
		{ "nn-lie", required_argument, NULL, MAIN_OPT_LIE },
		{ "dn-lie", required_argument, NULL, MAIN_OPT_DNLIE },
		{ "dn-lie-on", required_argument, NULL, MAIN_OPT_DNLIEON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct passwd	*pw;
	struct error	 err;
	int		 ch, i;

	log_init("minidfs", true, 0);
	mdfs.ndn = 1;
	mdfs.nnn = 1;
	mdfs.block_size = 134217728;
	mdfs.replication = 1;
	mdfs.dn_ip = mdfs.dn_hostname = "127.0.0.1";
	mdfs.min_block_size = 1048576;
	mdfs.ls_limit = 1000;
	mdfs.lease_hard_ms = 3600000;
	mdfs.permissions = true;
	mdfs.retry_cache_ms = 600000;
	/* Like a NameNode's: the superuser is whoever runs it. */
	if ((pw = getpwuid(geteuid())) != NULL)
		mdfs.owner = xstrdup(pw->pw_name);
	else
		mdfs.owner = "root";
	mdfs.group = "supergroup";
	mdfs.rpc_layer = 0x01;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			mdfs.data_dir = optarg;
			break;
		case 'p':
			mdfs.port_file = optarg;
			break;
		case 'l':
			mlog_open(optarg);
			break;
		case 'O':
			mdfs.nn_port[0] = (uint16_t)main_number("nn-port",
			    optarg, 65535);
			break;
		case 'n':
			mdfs.ndn = (int)main_number("datanodes", optarg,
			    MDFS_MAXDN);
			break;
		case 'k':
			mdfs.nnn = (int)main_number("namenodes", optarg, 2);
			break;
		case 'F':
			mdfs.failover_after = (unsigned)main_number(
			    "failover-after", optarg, UINT32_MAX);
			break;
		case 'b':
			mdfs.block_size = main_number("block-size", optarg,
			    UINT64_MAX);
			break;
		case 'r':
			mdfs.replication = (uint32_t)main_number("replication",
			    optarg, 512);
			break;
		case 'm':
			mdfs.min_block_size = main_number("min-block-size",
			    optarg, UINT64_MAX);
			break;
		case 'L':
			mdfs.ls_limit = (uint32_t)main_number("ls-limit",
			    optarg, UINT32_MAX);
			break;
		case 'H':
			mdfs.lease_hard_ms = main_number("lease-hard-ms",
			    optarg, UINT64_MAX);
			break;
		case 'P':
			mdfs.permissions = false;
			break;
		case 'o':
			mdfs.owner = optarg;
			break;
		case 'g':
			mdfs.group = optarg;
			break;
		case 'D':
			mdfs.dn_die_after = main_number("dn-die-after", optarg,
			    UINT64_MAX);
			break;
		case 'I':
			mdfs.dn_die_index = (int)main_number("dn-die-index",
			    optarg, MDFS_MAXDN - 1);
			break;
		case 'X':
			mdfs.dn_dead |= 1u << main_number("dn-dead", optarg,
			    MDFS_MAXDN - 1);
			break;
		case 'S':
			mdfs.standby = true;
			break;
		case 's':
			mdfs.slow_ms = (unsigned)main_number("slow-ms", optarg,
			    3600000);
			break;
		case 'A':
			mdfs.dn_slow_ms = (unsigned)main_number("dn-slow-ms",
			    optarg, 3600000);
			break;
		case 'c':
			mdfs.idle_close_ms = (unsigned)main_number(
			    "idle-close-ms", optarg, 3600000);
			break;
		case MAIN_OPT_DNIP:
			mdfs.dn_ip = optarg;
			break;
		case MAIN_OPT_DNHOST:
			mdfs.dn_hostname = optarg;
			break;
		case MAIN_OPT_RCACHE:
			mdfs.retry_cache_ms = main_number("retry-cache-ms",
			    optarg, 86400000);
			break;
		case MAIN_OPT_DROP:
			mdfs.drop_reply_after = (unsigned)main_number(
			    "drop-reply-after", optarg, UINT32_MAX);
			break;
		case MAIN_OPT_DROPMETHOD:
			mdfs.drop_reply_method = optarg;
			break;
		case MAIN_OPT_LIE:
			main_lie("nn-lie", optarg, nn_lie_kinds,
			    MDFS_LIE_SILENT + 1, &mdfs.nn_lie,
			    &mdfs.nn_lies_left);
			break;
		case MAIN_OPT_DNLIE:
			main_lie("dn-lie", optarg, dn_lie_kinds,
			    MDFS_DNLIE_SILENT + 1, &mdfs.dn_lie,
			    &mdfs.dn_lies_left);
			break;
		case MAIN_OPT_DNLIEON:
			if (strcmp(optarg, "read") == 0)
				mdfs.dn_lie_on = "READ_BLOCK";
			else if (strcmp(optarg, "write") == 0)
				mdfs.dn_lie_on = "WRITE_BLOCK";
			else {
				fprintf(stderr, "minidfs: --dn-lie-on %s: "
				    "not read or write\n", optarg);
				exit(2);
			}
			break;
		case MAIN_OPT_LOGTIMES:
			mlog_set_times(true);
			break;
		case MAIN_OPT_SLOWMETHOD:
			mdfs.slow_method = optarg;
			break;
		case 'M':
			mdfs.safe_mode = true;
			break;
		case 'N':
			mdfs.not_replicated_yet = (unsigned)main_number(
			    "not-replicated-yet", optarg, UINT32_MAX);
			break;
		case 'C':
			mdfs.complete_false = (unsigned)main_number(
			    "complete-false", optarg, UINT32_MAX);
			break;
		case MAIN_OPT_KEYTAB:
			mdfs.krb_keytab = optarg;
			break;
		case MAIN_OPT_PRINCIPAL:
			mdfs.krb_principal = optarg;
			break;
		case MAIN_OPT_BADTOKENS:
			mdfs.bad_block_tokens = true;
			break;
		case MAIN_OPT_PROXY:
			if (mdfs.nproxy == MDFS_MAXPROXY ||
			    strchr(optarg, '=') == NULL || optarg[0] == '=') {
				fprintf(stderr, "minidfs: --proxy-user: want "
				    "REAL=USER[,USER...], at most %d\n",
				    MDFS_MAXPROXY);
				return 2;
			}
			mdfs.proxy[mdfs.nproxy++] = optarg;
			break;
		case MAIN_OPT_RPCPROT:
			if (strcmp(optarg, "authentication") == 0)
				mdfs.rpc_layer = 0x01;
			else if (strcmp(optarg, "integrity") == 0)
				mdfs.rpc_layer = 0x02;
			else if (strcmp(optarg, "privacy") == 0)
				mdfs.rpc_layer = 0x04;
			else {
				main_usage(stderr);
				return 2;
			}
			break;
		case MAIN_OPT_DTP:
			for (mdfs.dt_qop = SASL_QOP_AUTH;
			    mdfs.dt_qop <= SASL_QOP_PRIVACY; mdfs.dt_qop++)
				if (strcmp(optarg, sasl_qop_name(
				    mdfs.dt_qop)) == 0)
					break;
			if (mdfs.dt_qop > SASL_QOP_PRIVACY) {
				main_usage(stderr);
				return 2;
			}
			if (!mkrb_available()) {
				fprintf(stderr, "minidfs: built without "
				    "Cyrus SASL\n");
				return 2;
			}
			mdfs.dt_sasl = true;
			break;
		case 'R':
			mdfs.retriable = (unsigned)main_number("retriable",
			    optarg, UINT32_MAX);
			break;
		case 'h':
			main_usage(stdout);
			return 0;
		default:
			main_usage(stderr);
			return 2;
		}
	}
	if (optind != argc || mdfs.data_dir == NULL || mdfs.ls_limit == 0 ||
	    mdfs.nnn < 1 ||
	    mdfs.block_size == 0 || mdfs.replication == 0) {
		main_usage(stderr);
		return 2;
	}
	if ((mdfs.krb_principal == NULL) != (mdfs.krb_keytab == NULL)) {
		main_usage(stderr);
		return 2;
	}
	if (mdfs.krb_principal != NULL && main_krb_principal() == -1)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	if (pipe2(mdfs.wake, O_CLOEXEC) == -1)
		fatal("pipe");
	snprintf(mdfs.pool_id, sizeof mdfs.pool_id,
	    "BP-%u-127.0.0.1-%" PRId64, arc4random_uniform(1000000000),
	    clock_wall_ms());
	if (fsio_mkdir_p(mdfs.data_dir, 0755, &err) == -1)
		fatalx("%s", err.msg);
	for (i = 0; i < mdfs.nnn; i++)
		mdfs.nn_lfd[i] = main_listen(&mdfs.nn_port[i]);
	for (i = 0; i < mdfs.ndn; i++) {
		struct mdfs_dn	*dn = &mdfs.dn[i];
		char		 uuid[sizeof dn->uuid];

		dn->index = i;
		pthread_mutex_init(&dn->mu, NULL);
		memset(dn->conns, -1, sizeof dn->conns);
		main_uuid(uuid, sizeof uuid);
		snprintf(dn->uuid, sizeof dn->uuid, "%s", uuid);
		snprintf(dn->storage, sizeof dn->storage, "DS-%s", uuid);
		dn->dir = xasprintf("%s/dn%d", mdfs.data_dir, i);
		if (fsio_mkdir_p(dn->dir, 0755, &err) == -1)
			fatalx("%s", err.msg);
		dn->lfd = main_listen(&dn->port);
	}
	/* A dead DataNode's port stays reserved but refuses connections. */
	for (i = 0; i < mdfs.ndn; i++)
		if ((mdfs.dn_dead & (1u << i)) != 0) {
			mdfs.dn[i].dead = true;
			close(mdfs.dn[i].lfd);
			mdfs.dn[i].lfd = -1;
		}
	ns_init();
	if (mdfs.port_file != NULL)
		main_port_file();
	mlog("start nn=%u datanodes=%d pool=%s", mdfs.nn_port[0], mdfs.ndn,
	    mdfs.pool_id);
	main_loop();
	return 0;
}
