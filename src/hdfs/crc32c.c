/*
 * CRC32C in software (slicing-by-8, reflected polynomial 0x82F63B78) and
 * the run-time choice of the SSE4.2 path, plus zlib's CRC32.
 */
#include "config.h"

#include "hdfs/crc32c.h"

#include <pthread.h>

#include <zlib.h>

#define CRC32C_POLY	0x82f63b78u

static uint32_t		crc32c_tab[8][256];
static pthread_once_t	crc32c_once = PTHREAD_ONCE_INIT;
static int		crc32c_hw = -1;

static void
crc32c_init(void)
{
	uint32_t	 c;
	int		 i, j;

	for (i = 0; i < 256; i++) {
		c = (uint32_t)i;
		for (j = 0; j < 8; j++)
			c = c & 1 ? (c >> 1) ^ CRC32C_POLY : c >> 1;
		crc32c_tab[0][i] = c;
	}
	for (i = 0; i < 256; i++) {
		c = crc32c_tab[0][i];
		for (j = 1; j < 8; j++) {
			c = crc32c_tab[0][c & 0xff] ^ (c >> 8);
			crc32c_tab[j][i] = c;
		}
	}
#if defined(__x86_64__) || defined(__i386__)
	__builtin_cpu_init();
	crc32c_hw = __builtin_cpu_supports("sse4.2") ? 1 : 0;
#else
	crc32c_hw = 0;
#endif
}

bool
crc32c_have_sse42(void)
{
	pthread_once(&crc32c_once, crc32c_init);
	return crc32c_hw == 1;
}

uint32_t
crc32c_table(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t	*p = buf;
	uint32_t	 lo, hi;

	pthread_once(&crc32c_once, crc32c_init);
	crc = ~crc;
	while (len > 0 && ((uintptr_t)p & 7) != 0) {
		crc = crc32c_tab[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
		len--;
	}
	while (len >= 8) {
		lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 |
		    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
		hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 |
		    (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
		crc = crc32c_tab[7][lo & 0xff] ^
		    crc32c_tab[6][(lo >> 8) & 0xff] ^
		    crc32c_tab[5][(lo >> 16) & 0xff] ^
		    crc32c_tab[4][lo >> 24] ^
		    crc32c_tab[3][hi & 0xff] ^
		    crc32c_tab[2][(hi >> 8) & 0xff] ^
		    crc32c_tab[1][(hi >> 16) & 0xff] ^
		    crc32c_tab[0][hi >> 24];
		p += 8;
		len -= 8;
	}
	while (len > 0) {
		crc = crc32c_tab[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
		len--;
	}
	return ~crc;
}

uint32_t
crc32c(uint32_t crc, const void *buf, size_t len)
{
	if (crc32c_have_sse42())
		return crc32c_sse42(crc, buf, len);
	return crc32c_table(crc, buf, len);
}

uint32_t
crc32c_ieee(uint32_t crc, const void *buf, size_t len)
{
	const Bytef	*p = buf;
	uLong		 c = crc;
	uInt		 n;

	while (len > 0) {
		n = len > 0x40000000 ? 0x40000000 : (uInt)len;
		c = crc32(c, p, n);
		p += n;
		len -= n;
	}
	return (uint32_t)c;
}
