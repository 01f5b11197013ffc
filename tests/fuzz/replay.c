/*
 * A main() for the fuzz targets in ordinary builds: runs the target over
 * every file of its seed corpus (tests/fuzz/corpus/<name>/, or the
 * folders and files given), so `make check` replays the corpus.
 */
#include "config.h"

#include <dirent.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/fsio.h"
#include "base/xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
replay_file(const char *path)
{
	struct buf	 b;
	struct error	 err;
	char		*copy;

	buf_init(&b);
	if (fsio_read_file(path, &b, &err) == -1) {
		fprintf(stderr, "replay: %s\n", err.msg);
		return -1;
	}
	/* An exact-size copy so that ASan sees reads past the end. */
	copy = xmemdup(b.data != NULL ? b.data : "", b.len);
	LLVMFuzzerTestOneInput((const uint8_t *)copy, b.len);
	free(copy);
	buf_clear(&b);
	return 0;
}

static int
replay_dir(const char *dir, unsigned *n)
{
	struct dirent	**ents;
	int		  i, count, rc = 0;

	if ((count = scandir(dir, &ents, NULL, alphasort)) == -1) {
		perror(dir);
		return -1;
	}
	for (i = 0; i < count; i++) {
		if (ents[i]->d_name[0] != '.') {
			char	*path = xasprintf("%s/%s", dir, ents[i]->d_name);

			if (replay_file(path) == -1)
				rc = -1;
			(*n)++;
			free(path);
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int
main(int argc, char **argv)
{
	const char	*top = getenv("top_srcdir");
	char		*name = xstrdup(basename(argv[0])), *dir;
	unsigned	 n = 0;
	int		 i, rc = 0;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			if (replay_file(argv[i]) == -1)
				rc = 1;
		return rc;
	}
	/* fuzz_syslog -> corpus/syslog */
	dir = xasprintf("%s/tests/fuzz/corpus/%s", top != NULL ? top : ".",
	    strncmp(name, "fuzz_", 5) == 0 ? name + 5 : name);
	if (replay_dir(dir, &n) == -1 || n == 0) {
		fprintf(stderr, "replay: no seeds in %s\n", dir);
		rc = 1;
	} else
		printf("replay: %u seeds of %s\n", n, dir);
	free(dir);
	free(name);
	return rc;
}
