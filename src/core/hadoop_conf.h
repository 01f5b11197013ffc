/*
 * Hadoop's configuration files (core-site.xml, hdfs-site.xml): a table of
 * properties read from <configuration><property><name>..<value>.. with
 * expat, the way Hadoop's Configuration reads them.  Several files load
 * in order and the later one wins, except over a property an earlier one
 * marked <final>true</final>.  Values are substituted when read, as in
 * Hadoop: ${name} is another property, ${env.VAR} (also ${env.VAR:-def}
 * and ${env.VAR-def}) the environment; a variable that is not set stays
 * as written.  Names and values are trimmed of surrounding white space.
 * Every error reads "file:line:col: what is wrong".
 */
#ifndef CORE_HADOOP_CONF_H
#define CORE_HADOOP_CONF_H

#include <stddef.h>

#include "base/error.h"

/* Where an HDFS client looks when $HADOOP_CONF_DIR is not set. */
#define HADOOP_CONF_DEFAULT_DIR	"/etc/hadoop/conf"
/* Files larger than this are refused rather than parsed. */
#define HADOOP_CONF_MAX_FILE	(16u * 1024 * 1024)
/* Hadoop's limit on nested substitution (MAX_SUBST). */
#define HADOOP_CONF_MAX_DEPTH	20
/* A substituted value longer than this is an error, not a memory hog. */
#define HADOOP_CONF_MAX_VALUE	(1u * 1024 * 1024)

struct hadoop_conf;

struct hadoop_conf	*hadoop_conf_new(void);
void			 hadoop_conf_free(struct hadoop_conf *);

/*
 * Adds the properties of the XML text p[0..n) named name (for errors).
 * On error (ERR_INPUT, "name:line:col: ...") nothing of that text is
 * kept.
 */
int	hadoop_conf_load_buf(struct hadoop_conf *, const char *name,
	    const char *p, size_t n, struct error *);
/* The same for a file (ERR_NOTFOUND when it does not exist). */
int	hadoop_conf_load_file(struct hadoop_conf *, const char *path,
	    struct error *);
/*
 * Loads dir/core-site.xml then dir/hdfs-site.xml, as an HDFS client
 * does; a missing file is skipped, a directory with neither is
 * ERR_NOTFOUND.
 */
int	hadoop_conf_load_dir(struct hadoop_conf *, const char *dir,
	    struct error *);

/*
 * The substituted value of name (storage owned by the conf, valid until
 * the next load or hadoop_conf_free), or NULL: unset (err->code ERR_NOTFOUND) or a
 * substitution that nests too deep or grows too long (ERR_INPUT, at the
 * position of the value in its file).
 */
const char	*hadoop_conf_get(struct hadoop_conf *, const char *name,
		    struct error *);
/* Where name's value was set: "file:line:col", or NULL if unset. */
const char	*hadoop_conf_where(const struct hadoop_conf *,
		    const char *name);
/* The number of properties set. */
size_t		 hadoop_conf_count(const struct hadoop_conf *);

#endif
