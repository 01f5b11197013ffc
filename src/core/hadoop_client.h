/*
 * What an HDFS client takes from Hadoop's configuration: the NameNodes
 * (of fs.defaultFS, or of a nameservice named by the caller), the
 * security settings and the defaults for new files.  barge.yaml
 * (config_load with hdfs.hadoop_conf_dir) and `barge hdfs` without a
 * barge.yaml both come through here.  Keys barge does not use are
 * ignored, as Hadoop ignores keys it does not know.
 */
#ifndef CORE_HADOOP_CLIENT_H
#define CORE_HADOOP_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "core/config.h"
#include "core/hadoop_conf.h"

/* The NameNode port when an hdfs:// authority has none (Hadoop's). */
#define HADOOP_DEFAULT_NN_PORT	"8020"

struct hadoop_client {
	char			*namenodes;	/* "host:port[,host:port]" */
	char			*nameservice;	/* NULL: one NameNode */
	bool			 kerberos;
	char			*namenode_principal;	/* NULL: unset */
	bool			 protection_set;
	enum config_protection	 protection;
	unsigned		 replication;	/* 0: unset */
	uint64_t		 block_size;	/* 0: unset */
	bool			 use_datanode_hostname;
	uint64_t		 socket_timeout_ms;	/* 0: unset */
};

/*
 * Fills hc from conf.  fs (NULL: take fs.defaultFS) names the file
 * system as an hdfs:// authority does: a nameservice of conf, else
 * host[:port]; hc->nameservice tells which it was.  ERR_INPUT with the
 * property's "file:line:col: " for a bad value, or one line saying what
 * is missing.
 */
int	hadoop_client_from_conf(struct hadoop_conf *conf, const char *fs,
	    struct hadoop_client *hc, struct error *);
/*
 * Loads dir (core-site.xml, hdfs-site.xml) and fills hc as above.
 * ERR_NOTFOUND when dir holds neither file.
 */
int	hadoop_client_load(const char *dir, const char *fs,
	    struct hadoop_client *hc, struct error *);
void	hadoop_client_clear(struct hadoop_client *hc);

/*
 * The NameNodes of an hdfs:// authority: a nameservice of conf (may be
 * NULL) or host[:port].  A heap "host:port,..." list, or NULL with err.
 */
char	*hadoop_client_namenodes(struct hadoop_conf *conf,
	    const char *authority, struct error *);

/*
 * Splits "hdfs://authority/path": *authority is a heap copy ("" for
 * hdfs:///path), *path points into uri ("/" when absent).  Returns 1
 * for an hdfs:// URI, 0 for a plain path (outputs untouched), -1 with
 * err for another scheme.
 */
int	hadoop_uri_split(const char *uri, char **authority,
	    const char **path, struct error *);

/*
 * Fills what barge.yaml did not set explicitly in cfg from hc (the
 * NameNodes, auth, NameNode principal, protection, replication, block
 * size, use_datanode_hostname).
 */
void	hadoop_client_merge(struct config *cfg, const struct hadoop_client *hc);

#endif
