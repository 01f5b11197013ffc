/*
 * CRC32C with the SSE4.2 crc32 instruction.  This file alone is built
 * with -msse4.2; crc32c() calls it only after checking the CPU.
 */
#include "config.h"

#include "hdfs/crc32c.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <nmmintrin.h>

uint32_t
crc32c_sse42(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t	*p = buf;

	crc = ~crc;
	while (len > 0 && ((uintptr_t)p & 7) != 0) {
		crc = _mm_crc32_u8(crc, *p++);
		len--;
	}
#if defined(__x86_64__)
	{
		uint64_t	 c = crc, v;

		while (len >= 8) {
			memcpy(&v, p, 8);
			c = _mm_crc32_u64(c, v);
			p += 8;
			len -= 8;
		}
		crc = (uint32_t)c;
	}
#endif
	while (len >= 4) {
		uint32_t	 v;

		memcpy(&v, p, 4);
		crc = _mm_crc32_u32(crc, v);
		p += 4;
		len -= 4;
	}
	while (len > 0) {
		crc = _mm_crc32_u8(crc, *p++);
		len--;
	}
	return ~crc;
}
#else
uint32_t
crc32c_sse42(uint32_t crc, const void *buf, size_t len)
{
	return crc32c_table(crc, buf, len);
}
#endif
