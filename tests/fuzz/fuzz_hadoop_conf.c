/*
 * libFuzzer target: the Hadoop configuration reader on one XML document,
 * loaded twice (so that final and later-file-wins run), every property
 * read back through substitution, and the client settings taken from it.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/hadoop_client.h"
#include "core/hadoop_conf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The names the client reads, and a few a document might define. */
static const char *const fuzz_names[] = { "fs.defaultFS", "a", "b", "x",
    "dfs.nameservices", "dfs.ha.namenodes.ns", "dfs.replication",
    "dfs.blocksize", "hadoop.security.authentication" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct hadoop_conf	*c = hadoop_conf_new();
	struct hadoop_client	 hc;
	struct error		 err;
	size_t			 i;

	(void)hadoop_conf_load_buf(c, "fuzz.xml", (const char *)data, len,
	    &err);
	(void)hadoop_conf_load_buf(c, "fuzz2.xml", (const char *)data, len,
	    &err);
	for (i = 0; i < sizeof fuzz_names / sizeof fuzz_names[0]; i++)
		(void)hadoop_conf_get(c, fuzz_names[i], &err);
	if (hadoop_client_from_conf(c, NULL, &hc, &err) == 0)
		hadoop_client_clear(&hc);
	if (hadoop_client_from_conf(c, "ns", &hc, &err) == 0)
		hadoop_client_clear(&hc);
	hadoop_conf_free(c);
	return 0;
}
