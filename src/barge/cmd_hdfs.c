/*
 * barge hdfs: a small HDFS shell over the native client, for operators
 * and for the tests that check barge's client against the Go one.
 * Errors print as "barge: hdfs: <path>: <ExceptionClass>: <message>".
 */
#include "config.h"

#include "barge/cmd.h"
#include "barge/conn.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/fsio.h"
#include "base/xmalloc.h"
#include "core/config.h"
#include "core/hadoop_client.h"
#include "core/hadoop_conf.h"
#include "hdfs/hdfs.h"

#define HDFS_IOBUF	(128 * 1024)

struct hdfs_cmd {
	struct hdfs	*h;
	bool		 lflag, Rflag, pflag, fflag, rflag;
};

static const char hdfs_usage[] =
    "usage: barge hdfs [--namenode host:port[,host:port]] [--user name]\n"
    "                  [--config file] [--replication n] [--block-size bytes]\n"
    "                  [--timeout ms] [--kerberos [--principal p]\n"
    "                  [--keytab file] [--namenode-principal p]]\n"
    "                  [--proxy-user name] [--data-transfer-protection p]\n"
    "                  command ...\n";
static const char hdfs_help[] =
    "A small HDFS shell over barge's own client.\n\n"
    "  ls [-l] [-R] path ...      list directories (or name files)\n"
    "  stat path ...              print the status of each path\n"
    "  mkdir [-p] path ...        create directories (-p: and parents)\n"
    "  put [-f] local remote      upload (- is stdin); -f replaces\n"
    "  cat path ...               print files\n"
    "  get remote [local]         download\n"
    "  mv src dst                 rename\n"
    "  rm [-r] path ...           delete (-r: directories too)\n"
    "  df                         capacity and use\n\n"
    "A path may be hdfs://nameservice/path or hdfs://host:port/path.\n"
    "Without --config, --namenode and $HADOOP_NAMENODE the cluster's\n"
    "core-site.xml and hdfs-site.xml are read from $HADOOP_CONF_DIR,\n"
    "else /etc/hadoop/conf (NameNodes, Kerberos, protection, ...).\n\n"
    "  -n, --namenode list    host:port[,host:port] (HA: tried in order);\n"
    "                         default: barge.yaml with --config, else\n"
    "                         $HADOOP_NAMENODE, else Hadoop's files\n"
    "  -u, --user name        user to act as (default: barge.yaml,\n"
    "                         $HADOOP_USER_NAME, the login name)\n"
    "  -c, --config file      read namenodes, user, replication, block\n"
    "                         size and Kerberos settings from barge.yaml\n"
    "  --replication n, --block-size bytes   for new files\n"
    "  --timeout ms           per connect and socket operation (default\n"
    "                         5000 to connect, 60000 for I/O)\n"
    "  --kerberos             authenticate with Kerberos (hdfs.auth:\n"
    "                         kerberos), from the default credential\n"
    "                         cache ($KRB5CCNAME) unless --keytab\n"
    "  --principal p, --keytab file   log in as p from the keytab\n"
    "  --namenode-principal p\n"
    "                         refuse a NameNode that is not p, e.g.\n"
    "                         nn/_HOST@EXAMPLE.COM (_HOST: its host name)\n"
    "  --proxy-user name      act as name (the NameNode must allow the\n"
    "                         real user to impersonate it)\n"
    "  --data-transfer-protection p\n"
    "                         SASL (DIGEST-MD5 with the block token) on\n"
    "                         DataNode connections: none, authentication,\n"
    "                         integrity or privacy\n\n"
    "Errors print as barge: hdfs: <path>: <ExceptionClass>: <message>.\n"
    "Exit status 0 on success, 1 on failure, 2 on a usage error.\n";

static void
hdfs_perr(const char *path, const struct error *err)
{
	if (path != NULL)
		fprintf(stderr, "barge: hdfs: %s: %s\n", path, err->msg);
	else
		fprintf(stderr, "barge: hdfs: %s\n", err->msg);
}

static void
hdfs_mode_string(const struct hdfs_stat *st, char s[11])
{
	static const char rwx[] = "rwxrwxrwx";
	int	 i;

	s[0] = st->is_dir ? 'd' : '-';
	for (i = 0; i < 9; i++)
		s[i + 1] = (st->mode & (0400 >> i)) ? rwx[i] : '-';
	if (st->mode & 01000)
		s[9] = (st->mode & 01) ? 't' : 'T';
	s[10] = '\0';
}

static void
hdfs_time_string(int64_t ms, char *s, size_t len)
{
	time_t		 t = (time_t)(ms / 1000);
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(s, len, "%Y-%m-%d %H:%M", &tm);
}

static char *
hdfs_join(const char *dir, const char *name)
{
	size_t	 n = strlen(dir);

	if (n > 0 && dir[n - 1] == '/')
		return xasprintf("%s%s", dir, name);
	return xasprintf("%s/%s", dir, name);
}

static void
hdfs_print_entry(const struct hdfs_cmd *c, const char *shown,
    const struct hdfs_stat *st)
{
	char	 mode[11], when[32];

	if (!c->lflag) {
		printf("%s\n", shown);
		return;
	}
	hdfs_mode_string(st, mode);
	hdfs_time_string(st->mtime_ms, when, sizeof when);
	printf("%s %s %s %" PRIu64 " %s %s\n", mode, st->owner, st->group,
	    st->length, when, shown);
}

struct hdfs_ls_ctx {
	const struct hdfs_cmd	*c;
	const char		*dir;
	char			**subdirs;
	size_t			 nsub;
};

static int
hdfs_ls_cb(const struct hdfs_stat *st, void *arg)
{
	struct hdfs_ls_ctx	*x = arg;
	char			*full = hdfs_join(x->dir, st->name);

	hdfs_print_entry(x->c, x->c->Rflag ? full : st->name, st);
	if (x->c->Rflag && st->is_dir) {
		x->subdirs = xreallocarray(x->subdirs, x->nsub + 1,
		    sizeof *x->subdirs);
		x->subdirs[x->nsub++] = full;
	} else
		free(full);
	return 0;
}

static int
hdfs_ls_dir(struct hdfs_cmd *c, const char *dir)
{
	struct hdfs_ls_ctx	 x = { .c = c, .dir = dir };
	struct error		 err;
	size_t			 i;
	int			 rc = 0;

	if (hdfs_list(c->h, dir, hdfs_ls_cb, &x, &err) == -1) {
		hdfs_perr(dir, &err);
		rc = -1;
	}
	for (i = 0; i < x.nsub; i++) {
		if (rc == 0 && hdfs_ls_dir(c, x.subdirs[i]) == -1)
			rc = -1;
		free(x.subdirs[i]);
	}
	free(x.subdirs);
	return rc;
}

static int
hdfs_cmd_ls(struct hdfs_cmd *c, int argc, char **argv)
{
	struct hdfs_stat	 st;
	struct error		 err;
	int			 i, rc = CMD_OK;

	for (i = 0; i < argc; i++) {
		if (hdfs_stat(c->h, argv[i], &st, &err) == -1) {
			hdfs_perr(argv[i], &err);
			rc = CMD_FAIL;
			continue;
		}
		if (!st.is_dir) {
			hdfs_print_entry(c, argv[i], &st);
			continue;
		}
		if (argc > 1)
			printf("%s/:\n", argv[i]);
		if (hdfs_ls_dir(c, argv[i]) == -1)
			rc = CMD_FAIL;
	}
	return rc;
}

static int
hdfs_cmd_stat(struct hdfs_cmd *c, int argc, char **argv)
{
	struct hdfs_stat	 st;
	struct error		 err;
	char			 mode[11], when[32];
	int			 i, rc = CMD_OK;

	for (i = 0; i < argc; i++) {
		if (hdfs_stat(c->h, argv[i], &st, &err) == -1) {
			hdfs_perr(argv[i], &err);
			rc = CMD_FAIL;
			continue;
		}
		hdfs_mode_string(&st, mode);
		hdfs_time_string(st.mtime_ms, when, sizeof when);
		printf("path: %s\ntype: %s\nlength: %" PRIu64 "\n"
		    "mode: %04o %s\nowner: %s\ngroup: %s\nmtime: %s\n",
		    argv[i], st.is_dir ? "directory" : "file", st.length,
		    st.mode, mode, st.owner, st.group, when);
		if (!st.is_dir)
			printf("replication: %u\nblock_size: %" PRIu64 "\n",
			    st.replication, st.block_size);
	}
	return rc;
}

static int
hdfs_cmd_mkdir(struct hdfs_cmd *c, int argc, char **argv)
{
	struct error	 err;
	int		 i, rc = CMD_OK;

	for (i = 0; i < argc; i++)
		if (hdfs_mkdirs(c->h, argv[i], 0755, c->pflag, &err) == -1) {
			hdfs_perr(argv[i], &err);
			rc = CMD_FAIL;
		}
	return rc;
}

static int
hdfs_cmd_put(struct hdfs_cmd *c, int argc, char **argv)
{
	struct hdfs_writer	*w = NULL;
	struct hdfs_stat	 st;
	struct error		 err;
	char			*target, *tmp = NULL, *buf = NULL, *lcopy;
	const char		*local = argv[0];
	ssize_t			 n;
	int			 fd, rc = CMD_FAIL;
	bool			 found;

	if (argc != 2) {
		fprintf(stderr, "%s", hdfs_usage);
		return CMD_USAGE;
	}
	if (strcmp(local, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(local, O_RDONLY | O_CLOEXEC)) == -1) {
		fprintf(stderr, "barge: hdfs: %s: %s\n", local,
		    strerror(errno));
		return CMD_FAIL;
	}
	target = xstrdup(argv[1]);
	found = hdfs_stat(c->h, target, &st, &err) == 0;
	if (!found && err.code != ERR_NOTFOUND)
		goto fail_err;
	if (found && st.is_dir && strcmp(local, "-") != 0) {
		lcopy = xstrdup(local);
		free(target);
		target = hdfs_join(argv[1], basename(lcopy));
		free(lcopy);
		found = hdfs_stat(c->h, target, &st, &err) == 0;
		if (!found && err.code != ERR_NOTFOUND)
			goto fail_err;
	}
	if (found && (st.is_dir || !c->fflag)) {
		/* As hadoop fs -put: never replace without -f. */
		error_remote(&err,
		    "org.apache.hadoop.fs.FileAlreadyExistsException",
		    "FileAlreadyExistsException: %s",
		    st.is_dir ? "is a directory" : "file exists");
		goto fail_err;
	}

	/* Like hadoop fs -put: write a hidden name, rename when complete. */
	tmp = xasprintf("%s._COPYING_", target);
	if ((w = hdfs_create(c->h, tmp, 0644, HDFS_OVERWRITE, &err)) == NULL)
		goto fail_err;
	buf = xmalloc(HDFS_IOBUF);
	for (;;) {
		n = read(fd, buf, HDFS_IOBUF);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			fprintf(stderr, "barge: hdfs: %s: %s\n", local,
			    strerror(errno));
			hdfs_writer_abort(w);
			goto out;
		}
		if (n == 0)
			break;
		if (hdfs_write(w, buf, (size_t)n, &err) == -1) {
			hdfs_writer_abort(w);
			goto fail_err;
		}
	}
	if (hdfs_writer_close(w, &err) == -1) {
		hdfs_delete(c->h, tmp, false, NULL);
		goto fail_err;
	}
	if (hdfs_rename(c->h, tmp, target, c->fflag, &err) == -1) {
		hdfs_delete(c->h, tmp, false, NULL);
		goto fail_err;
	}
	rc = CMD_OK;
	goto out;
fail_err:
	hdfs_perr(target, &err);
out:
	free(buf);
	free(tmp);
	free(target);
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}

static int
hdfs_copy_out(struct hdfs_cmd *c, const char *path, int fd,
    const char *local)
{
	struct hdfs_reader	*r;
	struct error		 err;
	char			*buf;
	ssize_t			 n;
	int			 rc = -1;

	if ((r = hdfs_open(c->h, path, &err)) == NULL) {
		hdfs_perr(path, &err);
		return -1;
	}
	buf = xmalloc(HDFS_IOBUF);
	for (;;) {
		if ((n = hdfs_read(r, buf, HDFS_IOBUF, &err)) == -1) {
			hdfs_perr(path, &err);
			goto out;
		}
		if (n == 0)
			break;
		if (fsio_write_full(fd, buf, (size_t)n, &err) == -1) {
			fprintf(stderr, "barge: hdfs: %s: %s\n", local,
			    err.msg);
			goto out;
		}
	}
	rc = 0;
out:
	free(buf);
	hdfs_reader_close(r);
	return rc;
}

static int
hdfs_cmd_cat(struct hdfs_cmd *c, int argc, char **argv)
{
	int	 i, rc = CMD_OK;

	for (i = 0; i < argc; i++)
		if (hdfs_copy_out(c, argv[i], STDOUT_FILENO, "stdout") == -1)
			rc = CMD_FAIL;
	return rc;
}

static int
hdfs_cmd_get(struct hdfs_cmd *c, int argc, char **argv)
{
	char	*copy, *local;
	int	 fd, rc;

	if (argc < 1 || argc > 2) {
		fprintf(stderr, "%s", hdfs_usage);
		return CMD_USAGE;
	}
	copy = xstrdup(argv[0]);
	local = xstrdup(argc == 2 ? argv[1] : basename(copy));
	fd = open(local, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd == -1) {
		fprintf(stderr, "barge: hdfs: %s: %s\n", local,
		    strerror(errno));
		rc = CMD_FAIL;
		goto out;
	}
	rc = hdfs_copy_out(c, argv[0], fd, local) == 0 ? CMD_OK : CMD_FAIL;
	if (close(fd) == -1 && rc == CMD_OK) {
		fprintf(stderr, "barge: hdfs: %s: %s\n", local,
		    strerror(errno));
		rc = CMD_FAIL;
	}
	if (rc != CMD_OK)
		unlink(local);
out:
	free(copy);
	free(local);
	return rc;
}

static int
hdfs_cmd_mv(struct hdfs_cmd *c, int argc, char **argv)
{
	struct hdfs_stat	 st;
	struct error		 err;
	char			*dst, *copy;
	int			 rc = CMD_OK;

	if (argc != 2) {
		fprintf(stderr, "%s", hdfs_usage);
		return CMD_USAGE;
	}
	if (hdfs_stat(c->h, argv[1], &st, &err) == 0 && st.is_dir) {
		copy = xstrdup(argv[0]);
		dst = hdfs_join(argv[1], basename(copy));
		free(copy);
	} else
		dst = xstrdup(argv[1]);
	if (hdfs_rename(c->h, argv[0], dst, false, &err) == -1) {
		hdfs_perr(argv[0], &err);
		rc = CMD_FAIL;
	}
	free(dst);
	return rc;
}

static int
hdfs_cmd_rm(struct hdfs_cmd *c, int argc, char **argv)
{
	struct hdfs_stat	 st;
	struct error		 err;
	int			 i, rc = CMD_OK;

	for (i = 0; i < argc; i++) {
		if (hdfs_stat(c->h, argv[i], &st, &err) == -1) {
			hdfs_perr(argv[i], &err);
			rc = CMD_FAIL;
			continue;
		}
		if (st.is_dir && !c->rflag) {
			fprintf(stderr, "barge: hdfs: %s: "
			    "PathIsDirectoryException: is a directory "
			    "(use -r)\n", argv[i]);
			rc = CMD_FAIL;
			continue;
		}
		if (hdfs_delete(c->h, argv[i], c->rflag, &err) == -1) {
			hdfs_perr(argv[i], &err);
			rc = CMD_FAIL;
		}
	}
	return rc;
}

static int
hdfs_cmd_df(struct hdfs_cmd *c, int argc, char **argv)
{
	struct hdfs_fsstats	 fs;
	struct error		 err;

	(void)argv;
	if (argc != 0) {
		fprintf(stderr, "%s", hdfs_usage);
		return CMD_USAGE;
	}
	if (hdfs_fsstats(c->h, &fs, &err) == -1) {
		hdfs_perr(NULL, &err);
		return CMD_FAIL;
	}
	printf("Filesystem Size Used Available Use%%\n");
	printf("%s %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 "%%\n",
	    hdfs_namenode(c->h), fs.capacity, fs.used, fs.remaining,
	    fs.capacity > 0 ? fs.used * 100 / fs.capacity : 0);
	return CMD_OK;
}

static const struct {
	const char	*name;
	const char	*flags;		/* its short options */
	int		 minargs;
	unsigned	 local;		/* bit n: argument n is a local file */
	int		 (*run)(struct hdfs_cmd *, int, char **);
} hdfs_cmds[] = {
	{ "ls", "lR", 1, 0, hdfs_cmd_ls },
	{ "stat", "", 1, 0, hdfs_cmd_stat },
	{ "mkdir", "p", 1, 0, hdfs_cmd_mkdir },
	{ "put", "f", 2, 1, hdfs_cmd_put },
	{ "cat", "", 1, 0, hdfs_cmd_cat },
	{ "get", "", 1, 2, hdfs_cmd_get },
	{ "mv", "", 2, 0, hdfs_cmd_mv },
	{ "rm", "r", 1, 0, hdfs_cmd_rm },
	{ "df", "", 0, 0, hdfs_cmd_df },
};

/*
 * Turns each hdfs://authority/path argument into its path, as `hdfs dfs`
 * takes them; *authority is the one file system they name (NULL: none,
 * or hdfs:///path, the default one).
 */
static int
hdfs_uris(unsigned local, int argc, char **argv, char **authority)
{
	struct error	 err;
	const char	*path;
	char		*a;
	int		 k, rc;

	*authority = NULL;
	for (k = 0; k < argc; k++) {
		if (k < 32 && (local & (1u << k)))
			continue;
		if ((rc = hadoop_uri_split(argv[k], &a, &path, &err)) == -1) {
			fprintf(stderr, "barge: hdfs: %s\n", err.msg);
			goto fail;
		}
		if (rc == 0)
			continue;
		if (*a == '\0')
			free(a);
		else if (*authority == NULL)
			*authority = a;
		else {
			rc = strcmp(*authority, a);
			if (rc != 0)
				fprintf(stderr, "barge: hdfs: hdfs://%s and "
				    "hdfs://%s: one file system at a time\n",
				    *authority, a);
			free(a);
			if (rc != 0)
				goto fail;
		}
		argv[k] = (char *)path;
	}
	return 0;
fail:
	free(*authority);
	*authority = NULL;
	return -1;
}

static struct config *
hdfs_config(const char *path)
{
	struct diag	*d = diag_new();
	struct config	*cfg;

	if ((cfg = config_load(path, d)) == NULL)
		diag_print(d, stderr, "barge: hdfs: ");
	diag_free(d);
	return cfg;
}

/* hdfs.data_transfer_protection, in HDFS_PROTECT_* order. */
static const char *const hdfs_protections[] = { "none", "authentication",
    "integrity", "privacy", NULL };

static int
hdfs_parse_u64(const char *s, uint64_t *v)
{
	char			*end;
	unsigned long long	 n;

	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		return -1;
	*v = n;
	return 0;
}

int
cmd_hdfs(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "namenode", required_argument, NULL, 'n' },
		{ "user", required_argument, NULL, 'u' },
		{ "replication", required_argument, NULL, 'P' },
		{ "block-size", required_argument, NULL, 'B' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "config", required_argument, NULL, 'c' },
		{ "kerberos", no_argument, NULL, 'K' },
		{ "principal", required_argument, NULL, 'k' },
		{ "keytab", required_argument, NULL, 't' },
		{ "namenode-principal", required_argument, NULL, 'N' },
		{ "proxy-user", required_argument, NULL, 'U' },
		{ "data-transfer-protection", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct hdfs_options	 o;
	struct hdfs_cmd		 c;
	struct error		 err;
	struct config		*cfg = NULL;
	const char		*used = "", *config_path = NULL;
	char			*nnlist = NULL, *authority = NULL, *urinn = NULL;
	struct hadoop_conf	*hconf = NULL;
	struct hadoop_client	 hc;
	bool			 failed;
	char			 seen[8] = "";
	uint64_t		 v;
	size_t			 i;
	int			 ch, rc;
	bool			 protection_set = false;

	memset(&c, 0, sizeof c);
	memset(&hc, 0, sizeof hc);
	hdfs_options_init(&o);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "n:u:c:hlRpfr", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'n':
			o.namenodes = optarg;
			break;
		case 'u':
			o.user = optarg;
			break;
		case 'P':
			if (hdfs_parse_u64(optarg, &v) == -1 || v == 0 ||
			    v > 512)
				goto usage;
			o.replication = (unsigned)v;
			break;
		case 'B':
			if (hdfs_parse_u64(optarg, &v) == -1 || v == 0)
				goto usage;
			o.block_size = v;
			break;
		case 'T':
			if (hdfs_parse_u64(optarg, &v) == -1 || v == 0 ||
			    v > 3600000)
				goto usage;
			o.connect_timeout_ms = o.io_timeout_ms = (int)v;
			break;
		case 'h':
			return barge_cmd_help("hdfs", hdfs_help);
		case 'V':
			return barge_cmd_version();
		case 'c':
			config_path = optarg;
			break;
		case 'K':
			o.kerberos = true;
			break;
		case 'k':
			o.principal = optarg;
			break;
		case 't':
			o.keytab = optarg;
			break;
		case 'N':
			o.namenode_principal = optarg;
			break;
		case 'U':
			o.proxy_user = optarg;
			break;
		case 'D':
			for (v = 0; hdfs_protections[v] != NULL; v++)
				if (strcmp(optarg, hdfs_protections[v]) == 0)
					break;
			if (hdfs_protections[v] == NULL)
				goto usage;
			o.protection = (int)v;
			protection_set = true;
			break;
		case 'l': case 'R': case 'p': case 'f': case 'r':
			if (strchr(seen, ch) == NULL &&
			    strlen(seen) < sizeof seen - 1)
				seen[strlen(seen)] = (char)ch;
			c.lflag |= ch == 'l';
			c.Rflag |= ch == 'R';
			c.pflag |= ch == 'p';
			c.fflag |= ch == 'f';
			c.rflag |= ch == 'r';
			break;
		default:
			goto usage;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		goto usage;
	for (i = 0; i < nitems(hdfs_cmds); i++)
		if (strcmp(argv[0], hdfs_cmds[i].name) == 0)
			break;
	if (i == nitems(hdfs_cmds)) {
		fprintf(stderr, "barge: hdfs: unknown command: %s\n", argv[0]);
		goto usage;
	}
	used = seen;
	if (strspn(used, hdfs_cmds[i].flags) != strlen(used)) {
		fprintf(stderr, "barge: hdfs: %s: unknown option -%c\n",
		    argv[0], used[strspn(used, hdfs_cmds[i].flags)]);
		goto usage;
	}
	if (argc - 1 < hdfs_cmds[i].minargs)
		goto usage;
	if (hdfs_uris(hdfs_cmds[i].local, argc - 1, argv + 1, &authority) ==
	    -1)
		return CMD_FAIL;
	if (config_path != NULL) {
		if ((cfg = hdfs_config(config_path)) == NULL) {
			rc = CMD_FAIL;
			goto out;
		}
		conn_from_config(&o, cfg, protection_set, &nnlist);
		if (cfg->hadoop_conf_dir != NULL && authority != NULL) {
			hconf = hadoop_conf_new();
			if (hadoop_conf_load_dir(hconf, cfg->hadoop_conf_dir,
			    &err) == -1) {
				fprintf(stderr, "barge: hdfs: %s\n", err.msg);
				rc = CMD_FAIL;
				goto out;
			}
		}
	} else if ((o.namenodes == NULL && getenv("HADOOP_NAMENODE") == NULL)
	    || authority != NULL) {
		if ((hconf = conn_hadoop_conf("hdfs", &failed)) == NULL && failed) {
			rc = CMD_FAIL;
			goto out;
		}
		if (hconf != NULL) {
			if (hadoop_client_from_conf(hconf, authority, &hc,
			    &err) == -1) {
				fprintf(stderr, "barge: hdfs: %s\n", err.msg);
				rc = CMD_FAIL;
				goto out;
			}
			conn_from_hadoop(&o, &hc, protection_set);
		}
	}
	if (authority != NULL) {
		/* The URI names the file system, whatever the defaults. */
		if ((urinn = hadoop_client_namenodes(hconf, authority,
		    &err)) == NULL) {
			fprintf(stderr, "barge: hdfs: %s\n", err.msg);
			rc = CMD_FAIL;
			goto out;
		}
		o.namenodes = urinn;
	}
	if (conn_check(&o, "hdfs") == -1) {
		rc = CMD_USAGE;
		goto out;
	}
	if ((c.h = hdfs_connect(&o, &err)) == NULL) {
		hdfs_perr(NULL, &err);
		rc = CMD_FAIL;
		goto out;
	}
	rc = hdfs_cmds[i].run(&c, argc - 1, argv + 1);
	hdfs_free(c.h);
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "barge: hdfs: stdout: %s\n", strerror(errno));
		rc = CMD_FAIL;
	}
out:
	free(nnlist);
	free(urinn);
	free(authority);
	hadoop_client_clear(&hc);
	hadoop_conf_free(hconf);
	config_free(cfg);
	return rc;
usage:
	fprintf(stderr, "%s", hdfs_usage);
	return CMD_USAGE;
}
