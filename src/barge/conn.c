/* Connection settings shared by the subcommands that talk to HDFS. */
#include "config.h"

#include "barge/conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

void
conn_from_config(struct hdfs_options *o, const struct config *cfg,
    bool protection_set, char **nnlist)
{
	struct buf	 b;
	size_t		 i;

	*nnlist = NULL;
	if (o->namenodes == NULL && cfg->nnamenodes > 0) {
		buf_init(&b);
		for (i = 0; i < cfg->nnamenodes; i++) {
			if (i > 0)
				buf_putc(&b, ',');
			buf_puts(&b, cfg->namenodes[i]);
		}
		o->namenodes = *nnlist = b.data;
	}
	if (o->user == NULL)
		o->user = cfg->hdfs_user;
	if (o->replication == 0)
		o->replication = cfg->replication;
	if (o->block_size == 0)
		o->block_size = cfg->block_size;
	if (cfg->auth == CONFIG_AUTH_KERBEROS)
		o->kerberos = true;
	if (o->principal == NULL)
		o->principal = cfg->kerberos_principal;
	if (o->keytab == NULL)
		o->keytab = cfg->kerberos_keytab;
	if (o->namenode_principal == NULL)
		o->namenode_principal = cfg->kerberos_nn_principal;
	if (o->proxy_user == NULL)
		o->proxy_user = cfg->proxy_user;
	if (!protection_set)
		o->protection = (int)cfg->data_transfer_protection;
	if (cfg->use_datanode_hostname)
		o->use_datanode_hostname = true;
}

void
conn_from_hadoop(struct hdfs_options *o, const struct hadoop_client *hc,
    bool protection_set)
{
	if (o->namenodes == NULL)
		o->namenodes = hc->namenodes;
	if (o->replication == 0)
		o->replication = hc->replication;
	if (o->block_size == 0)
		o->block_size = hc->block_size;
	if (hc->kerberos)
		o->kerberos = true;
	/* Under simple authentication Hadoop ignores the principal too. */
	if (o->namenode_principal == NULL && o->kerberos)
		o->namenode_principal = hc->namenode_principal;
	if (!protection_set && hc->protection_set)
		o->protection = (int)hc->protection;
	if (hc->use_datanode_hostname)
		o->use_datanode_hostname = true;
}

struct hadoop_conf *
conn_hadoop_conf(const char *cmd, bool *failed)
{
	struct hadoop_conf	*conf = hadoop_conf_new();
	struct error		 err;
	const char		*dir = getenv("HADOOP_CONF_DIR");
	bool			 named = dir != NULL && *dir != '\0';

	*failed = false;
	if (hadoop_conf_load_dir(conf, named ? dir : HADOOP_CONF_DEFAULT_DIR,
	    &err) == -1) {
		hadoop_conf_free(conf);
		if (err.code == ERR_NOTFOUND && !named)
			return NULL;
		fprintf(stderr, "barge: %s: %s%s\n", cmd,
		    named ? "$HADOOP_CONF_DIR: " : "", err.msg);
		*failed = true;
		return NULL;
	}
	return conf;
}

int
conn_check(struct hdfs_options *o, const char *cmd)
{
	if ((o->principal != NULL || o->keytab != NULL ||
	    o->namenode_principal != NULL) && !o->kerberos) {
		fprintf(stderr, "barge: %s: --principal, --keytab and "
		    "--namenode-principal need --kerberos (or hdfs.auth: "
		    "kerberos)\n", cmd);
		return -1;
	}
	if (o->keytab != NULL && o->principal == NULL) {
		fprintf(stderr, "barge: %s: --keytab needs --principal\n", cmd);
		return -1;
	}
	if (o->namenodes == NULL)
		o->namenodes = getenv("HADOOP_NAMENODE");
	if (o->namenodes == NULL || *o->namenodes == '\0') {
		fprintf(stderr, "barge: %s: no NameNode: use --namenode "
		    "host:port (or set HADOOP_NAMENODE)\n", cmd);
		return -1;
	}
	return 0;
}

struct hdfs *
conn_open(const char *cmd, const struct config *cfg, const char *namenodes,
    const char *user, bool *usage)
{
	struct hdfs_options	 o;
	struct hdfs		*h = NULL;
	struct hadoop_conf	*conf = NULL;
	struct hadoop_client	 hc;
	struct error		 err;
	char			*nnlist = NULL;
	bool			 failed = false;

	*usage = false;
	memset(&hc, 0, sizeof hc);
	hdfs_options_init(&o);
	o.namenodes = namenodes;
	o.user = user;
	if (cfg != NULL)
		conn_from_config(&o, cfg, false, &nnlist);
	else if (namenodes == NULL && getenv("HADOOP_NAMENODE") == NULL &&
	    (conf = conn_hadoop_conf(cmd, &failed)) != NULL) {
		if (hadoop_client_from_conf(conf, NULL, &hc, &err) == -1) {
			fprintf(stderr, "barge: %s: %s\n", cmd, err.msg);
			failed = true;
		} else
			conn_from_hadoop(&o, &hc, false);
	}
	if (!failed) {
		if (conn_check(&o, cmd) == -1)
			*usage = true;
		else if ((h = hdfs_connect(&o, &err)) == NULL)
			fprintf(stderr, "barge: %s: %s\n", cmd, err.msg);
	}
	free(nnlist);
	hadoop_client_clear(&hc);
	hadoop_conf_free(conf);
	return h;
}
