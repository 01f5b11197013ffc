/*
 * libFuzzer target: the checkpoint reader on a file's bytes, as barged
 * reads it after a crash.  If the first byte is odd, the rest gets the
 * right CRC line appended, so that the fuzzer reaches the records behind
 * the CRC check; if even, the rest is read as it is.  A checkpoint the
 * reader accepts must survive a round trip: encoded and read back, it
 * encodes the same (so a restart never changes what the last one said).
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>

#include "base/buf.h"
#include "core/checkpoint.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct checkpoint	 a, b;
	struct buf		 in, ea, eb;
	struct error		 err;
	int			 rc;

	if (len < 1)
		return 0;
	buf_init(&in);
	buf_append(&in, data + 1, len - 1);
	if (data[0] & 1)
		buf_printf(&in, "crc %08lx\n",
		    (unsigned long)libdeflate_crc32(0, in.data, in.len));
	checkpoint_init(&a);
	rc = checkpoint_decode(&a, in.data, in.len, &err);
	buf_clear(&in);
	if (rc == -1) {
		checkpoint_clear(&a);
		return 0;
	}
	buf_init(&ea);
	checkpoint_encode(&a, &ea);
	checkpoint_init(&b);
	if (checkpoint_decode(&b, ea.data, ea.len, &err) == -1)
		abort();	/* what we write, we must read */
	buf_init(&eb);
	checkpoint_encode(&b, &eb);
	if (ea.len != eb.len || memcmp(ea.data, eb.data, ea.len) != 0 ||
	    a.next_id != b.next_id || a.ninputs != b.ninputs ||
	    a.nsegments != b.nsegments)
		abort();
	buf_clear(&ea);
	buf_clear(&eb);
	checkpoint_clear(&a);
	checkpoint_clear(&b);
	return 0;
}
