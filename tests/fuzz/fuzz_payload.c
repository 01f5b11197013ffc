/*
 * libFuzzer target: payload decoding against the example definitions and
 * a definition holding every type, then row encoding.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/log.h"
#include "core/payload.h"
#include "core/row.h"
#include "core/schema.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char fuzz_payload_defs[] =
    "messages:\n"
    "  - name: T\n"
    "    version: 1\n"
    "    fields:\n"
    "      - {name: s, type: string, max_length: 8}\n"
    "      - {name: i, type: int32}\n"
    "      - {name: l, type: int64, nullable: true}\n"
    "      - {name: d, type: double}\n"
    "      - {name: b, type: bool}\n"
    "      - {name: t, type: timestamp}\n"
    "      - {name: u, type: timestamp, unit: s, nullable: true}\n"
    "  - name: S\n"
    "    version: 2\n"
    "    fields: [{name: s, type: string}]\n";

static struct schema *
fuzz_payload_schema(void)
{
	char		 path[] = "/tmp/barge-fuzz-defs.XXXXXX";
	struct diag	*d = diag_new();
	struct schema	*s;
	char		*paths[1];
	int		 fd;

	if ((fd = mkstemp(path)) == -1 ||
	    write(fd, fuzz_payload_defs, sizeof fuzz_payload_defs - 1) !=
	    (ssize_t)(sizeof fuzz_payload_defs - 1))
		fatal("fuzz: %s", path);
	close(fd);
	paths[0] = path;
	if ((s = schema_load_files(paths, 1, d)) == NULL)
		fatalx("fuzz: definitions do not load");
	unlink(path);
	diag_free(d);
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct schema *s;
	static struct payload p;
	static struct buf out;

	if (s == NULL) {
		s = fuzz_payload_schema();
		payload_init(&p);
		buf_init(&out);
	}
	buf_reset(&out);
	if (payload_match(&p, s, (const char *)data, len) == PAYLOAD_VALID)
		row_encode(&out, 0, "h", 1, &p);
	return 0;
}
