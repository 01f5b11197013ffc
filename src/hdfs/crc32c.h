/*
 * The two chunk checksums of HDFS and gzip's: CRC32C (Castagnoli, type 2)
 * with the SSE4.2 instruction when the CPU has it, and CRC32 (IEEE, type
 * 1, what the Go client and older writers use) through libdeflate's
 * carry-less multiply when the CPU has PCLMULQDQ.  Either falls back to
 * a slicing-by-8 table.  All take the running value (0 to start) like
 * zlib's crc32.
 */
#ifndef HDFS_CRC32C_H
#define HDFS_CRC32C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

uint32_t	crc32c(uint32_t crc, const void *, size_t);
uint32_t	crc32c_table(uint32_t crc, const void *, size_t);
/* Only call when crc32c_have_sse42() is true. */
uint32_t	crc32c_sse42(uint32_t crc, const void *, size_t);
bool		crc32c_have_sse42(void);

uint32_t	crc32c_ieee(uint32_t crc, const void *, size_t);
uint32_t	crc32c_ieee_table(uint32_t crc, const void *, size_t);
/* Always safe: libdeflate checks the CPU itself. */
uint32_t	crc32c_ieee_clmul(uint32_t crc, const void *, size_t);
bool		crc32c_have_clmul(void);

#endif
