/*
 * CRC32C and CRC32 in software (slicing-by-8 over the reflected
 * polynomials 0x82F63B78 and 0xEDB88320, one table generator for both)
 * and the run-time choice of the fast path for each.  The tables are
 * built once, on first use, under pthread_once.
 */
#include "config.h"

#include "hdfs/crc32c.h"

#include <pthread.h>

#include <libdeflate.h>

#define CRC32C_POLY_C		0x82f63b78u	/* Castagnoli */
#define CRC32C_POLY_IEEE	0xedb88320u	/* IEEE 802.3, gzip */

static uint32_t		crc32c_tab_c[8][256];
static uint32_t		crc32c_tab_ieee[8][256];
static pthread_once_t	crc32c_once = PTHREAD_ONCE_INIT;
static int		crc32c_hw = -1;
static int		crc32c_clmul = -1;

static void
crc32c_fill(uint32_t tab[8][256], uint32_t poly)
{
	uint32_t	 c;
	int		 i, j;

	for (i = 0; i < 256; i++) {
		c = (uint32_t)i;
		for (j = 0; j < 8; j++)
			c = c & 1 ? (c >> 1) ^ poly : c >> 1;
		tab[0][i] = c;
	}
	for (i = 0; i < 256; i++) {
		c = tab[0][i];
		for (j = 1; j < 8; j++) {
			c = tab[0][c & 0xff] ^ (c >> 8);
			tab[j][i] = c;
		}
	}
}

static void
crc32c_init(void)
{
	crc32c_fill(crc32c_tab_c, CRC32C_POLY_C);
	crc32c_fill(crc32c_tab_ieee, CRC32C_POLY_IEEE);
#if defined(__x86_64__) || defined(__i386__)
	__builtin_cpu_init();
	crc32c_hw = __builtin_cpu_supports("sse4.2") ? 1 : 0;
	crc32c_clmul = __builtin_cpu_supports("pclmul") ? 1 : 0;
#elif defined(__aarch64__)
	/* libdeflate picks ARMv8 crc32 and pmull there by itself. */
	crc32c_hw = 0;
	crc32c_clmul = 1;
#else
	crc32c_hw = 0;
	crc32c_clmul = 0;
#endif
}

bool
crc32c_have_sse42(void)
{
	pthread_once(&crc32c_once, crc32c_init);
	return crc32c_hw == 1;
}

bool
crc32c_have_clmul(void)
{
	pthread_once(&crc32c_once, crc32c_init);
	return crc32c_clmul == 1;
}

static uint32_t
crc32c_slice8(uint32_t tab[8][256], uint32_t crc, const void *buf,
    size_t len)
{
	const uint8_t	*p = buf;
	uint32_t	 lo, hi;

	pthread_once(&crc32c_once, crc32c_init);
	crc = ~crc;
	while (len > 0 && ((uintptr_t)p & 7) != 0) {
		crc = tab[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
		len--;
	}
	while (len >= 8) {
		lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 |
		    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
		hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 |
		    (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
		crc = tab[7][lo & 0xff] ^ tab[6][(lo >> 8) & 0xff] ^
		    tab[5][(lo >> 16) & 0xff] ^ tab[4][lo >> 24] ^
		    tab[3][hi & 0xff] ^ tab[2][(hi >> 8) & 0xff] ^
		    tab[1][(hi >> 16) & 0xff] ^ tab[0][hi >> 24];
		p += 8;
		len -= 8;
	}
	while (len > 0) {
		crc = tab[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
		len--;
	}
	return ~crc;
}

uint32_t
crc32c_table(uint32_t crc, const void *buf, size_t len)
{
	return crc32c_slice8(crc32c_tab_c, crc, buf, len);
}

uint32_t
crc32c(uint32_t crc, const void *buf, size_t len)
{
	if (crc32c_have_sse42())
		return crc32c_sse42(crc, buf, len);
	return crc32c_table(crc, buf, len);
}

uint32_t
crc32c_ieee_table(uint32_t crc, const void *buf, size_t len)
{
	return crc32c_slice8(crc32c_tab_ieee, crc, buf, len);
}

uint32_t
crc32c_ieee_clmul(uint32_t crc, const void *buf, size_t len)
{
	return libdeflate_crc32(crc, buf, len);
}

uint32_t
crc32c_ieee(uint32_t crc, const void *buf, size_t len)
{
	if (crc32c_have_clmul())
		return crc32c_ieee_clmul(crc, buf, len);
	return crc32c_ieee_table(crc, buf, len);
}
