/*
 * The agent configuration, barge.yaml (DESIGN section 4b).  The key names
 * are the interface puppet and users depend on; loading is strict and
 * reports every problem as "file:line:column: message".
 */
#ifndef CORE_CONFIG_H
#define CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"

enum config_start_at {
	CONFIG_START_END,
	CONFIG_START_BEGINNING,
};

enum config_auth {
	CONFIG_AUTH_SIMPLE,
	CONFIG_AUTH_KERBEROS,
};

enum config_protection {
	CONFIG_PROTECT_NONE,
	CONFIG_PROTECT_AUTHENTICATION,
	CONFIG_PROTECT_INTEGRITY,
	CONFIG_PROTECT_PRIVACY,
};

/* output.format: how message rows are written (the quarantine is TSV). */
enum config_format {
	CONFIG_FORMAT_TSV_GZ,
	CONFIG_FORMAT_AVRO,
};

struct config_input {
	char			*path;
	enum config_start_at	 start_at;
};

struct config {
	char			*file;		/* where it was loaded from */
	char			*host;		/* "auto" resolved to the hostname */
	char			*messages_dir;	/* absolute, or relative to file */
	struct config_input	*inputs;
	size_t			 ninputs;

	char			**namenodes;	/* "host:port" */
	size_t			 nnamenodes;
	char			*hdfs_user;
	char			*hdfs_root;
	unsigned		 replication;	/* 0 = server default */
	uint64_t		 block_size;	/* 0 = server default */
	enum config_auth	 auth;
	char			*kerberos_principal;
	char			*kerberos_keytab;	/* NULL: default ccache */
	char			*kerberos_nn_principal; /* NULL: as offered */
	char			*proxy_user;	/* NULL: none */
	enum config_protection	 data_transfer_protection;
	char			*hadoop_conf_dir;	/* NULL: not read */
	char			*nameservice;	/* NULL: fs.defaultFS's */
	bool			 use_datanode_hostname;
	uint64_t		 hdfs_timeout_ms;	/* each read or write */

	char			*spool_dir;
	uint64_t		 spool_max_bytes;
	char			*state_dir;
	uint64_t		 batch_max_bytes;
	uint64_t		 batch_max_age_ms;
	uint64_t		 batch_close_after_ms;	/* grace for late lines */
	uint64_t		 batch_close_spread_ms;	/* 0: every host at once */
	int			 gzip_level;
	enum config_format	 output_format;	/* messages without format: */
	bool			 quarantine;
	char			*control_socket;
	char			*metrics;	/* "host:port", or "" = off */

	uint64_t		 keys_set;	/* see config_is_set */
};

/* Loads path; NULL with every problem in diag. */
struct config	*config_load(const char *path, struct diag *);
/* The configuration with every default, as if the file were empty. */
struct config	*config_default(void);
void		 config_free(struct config *);
/*
 * Whether the file set key ("hdfs.auth") itself, rather than leaving it
 * to its default or to Hadoop's configuration.
 */
bool		 config_is_set(const struct config *, const char *key);

/* "10G" -> bytes; "1h" -> ms.  -1 if malformed. */
int		 config_parse_size(const char *, uint64_t *);
int		 config_parse_duration(const char *, uint64_t *);

#endif
