/*
 * libFuzzer target: the definition and configuration loaders on one YAML
 * document (both read files, so the input goes through a memfd).
 */
#include "config.h"

#include <sys/mman.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/log.h"
#include "core/config.h"
#include "core/schema.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct diag	*d = diag_new();
	char		 path[64], *paths[1];
	int		 fd;

	if ((fd = memfd_create("defs", MFD_CLOEXEC)) == -1)
		fatal("fuzz: memfd_create");
	if (write(fd, data, len) != (ssize_t)len)
		fatal("fuzz: write");
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	paths[0] = path;
	schema_free(schema_load_files(paths, 1, d));
	config_free(config_load(path, d));
	close(fd);
	diag_free(d);
	return 0;
}
