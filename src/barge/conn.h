/*
 * How the HDFS-speaking subcommands (hdfs, hours, audit) fill the
 * client's options from barge.yaml, so that all of them connect alike.
 */
#ifndef BARGE_CONN_H
#define BARGE_CONN_H

#include <stdbool.h>

#include "core/config.h"
#include "core/hadoop_client.h"
#include "hdfs/hdfs.h"

/*
 * Fills what the command line left unset in o from cfg.  The namenode
 * list is joined into *nnlist (free() it); protection_set: the command
 * line chose the data transfer protection.
 */
void	conn_from_config(struct hdfs_options *o, const struct config *cfg,
	    bool protection_set, char **nnlist);
/*
 * The same from Hadoop's configuration, for commands run without a
 * barge.yaml; o keeps pointers into hc.
 */
void	conn_from_hadoop(struct hdfs_options *o, const struct hadoop_client *hc,
	    bool protection_set);
/*
 * Hadoop's configuration for a command run without barge.yaml:
 * $HADOOP_CONF_DIR, else /etc/hadoop/conf (which may be absent: NULL).
 * NULL with *failed, the reason printed as "barge: <cmd>: ...", when it
 * cannot be read.
 */
struct hadoop_conf *conn_hadoop_conf(const char *cmd, bool *failed);
/*
 * The checks and the last default ($HADOOP_NAMENODE) before connecting;
 * prints "barge: <cmd>: ..." and returns -1 on a usage error.
 */
int	conn_check(struct hdfs_options *o, const char *cmd);

/*
 * Connects as the fleet commands do: namenodes and user from the command
 * line if given (NULL: not), everything else from cfg; without cfg,
 * --namenode and $HADOOP_NAMENODE, from Hadoop's configuration.
 * Prints the reason and returns NULL on failure; *usage tells a usage
 * error (no NameNode) from a failed connection.
 */
struct hdfs *conn_open(const char *cmd, const struct config *cfg,
	    const char *namenodes, const char *user, bool *usage);

#endif
