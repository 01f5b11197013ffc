/*
 * Sixteen bytes at a time with SSE2 where the compiler has it (every
 * x86-64 does); the last few bytes, and everything elsewhere, through
 * the table.
 */
#include "config.h"

#include "base/scan.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

const char *
scan_find(const struct scan_set *set, const char *s, const char *end)
{
#ifdef __SSE2__
	if (end - s >= 16) {
		const __m128i va = _mm_loadu_si128(
		    (const __m128i *)(const void *)set->c[0]);
		const __m128i vb = _mm_loadu_si128(
		    (const __m128i *)(const void *)set->c[1]);
		const __m128i vc = _mm_loadu_si128(
		    (const __m128i *)(const void *)set->c[2]);
		const __m128i vd = _mm_loadu_si128(
		    (const __m128i *)(const void *)set->c[3]);

		do {
			__m128i	 x = _mm_loadu_si128(
			    (const __m128i *)(const void *)s);
			__m128i	 hit = _mm_or_si128(
			    _mm_or_si128(_mm_cmpeq_epi8(x, va),
			    _mm_cmpeq_epi8(x, vb)),
			    _mm_or_si128(_mm_cmpeq_epi8(x, vc),
			    _mm_cmpeq_epi8(x, vd)));
			unsigned mask = (unsigned)_mm_movemask_epi8(hit);

			if (mask != 0)
				return s + __builtin_ctz(mask);
			s += 16;
		} while (end - s >= 16);
	}
#endif
	while (s < end && !set->is_in[(unsigned char)*s])
		s++;
	return s;
}
