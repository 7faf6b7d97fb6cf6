#include "bytescan.h"

#include <string.h>

/* Line ends in [p, end) a line at a time: for the tail, and where there is no SSE2. */
static size_t count_lines_memchr(const char *p, const char *end) {
	size_t n = 0;
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

#if defined(__SSE2__)
/*
 * Line ends in whole 16-byte steps from p, at most 255 steps (a byte counter
 * each lane cannot overflow): each lane counts its '\n' bytes, summed once at
 * the end. *saw_nul when a step held a NUL byte.
 */
static size_t count_steps(const char *p, size_t steps, bool *saw_nul) {
	const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
	__m128i acc = zero, nuls = zero;
	for (size_t i = 0; i < steps; i++) {
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
		acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(b, nl));
		nuls = _mm_or_si128(nuls, _mm_cmpeq_epi8(b, zero));
	}
	*saw_nul = _mm_movemask_epi8(nuls) != 0;
	__m128i sums = _mm_sad_epu8(acc, zero);
	return (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4);
}
#endif

size_t tl_bytes_count_lines(const char *p, const char *end, const char **nul) {
	size_t n = 0;
#if defined(__SSE2__)
	while (end - p >= 16) {
		size_t steps = (size_t)(end - p) / 16;
		steps = steps > 255 ? 255 : steps;
		bool saw_nul;
		n += count_steps(p, steps, &saw_nul);
		if (saw_nul && !*nul) {
			*nul = memchr(p, '\0', steps * 16);
		}
		p += steps * 16;
	}
#endif
	if (!*nul && p < end) {
		*nul = memchr(p, '\0', (size_t)(end - p));
	}
	return n + count_lines_memchr(p, end);
}

void tl_stops_init(struct tl_stops *st, char sep) {
	memset(st->table, 0, sizeof(st->table));
	st->table[(unsigned char)sep] = st->table['\n'] = st->table['\r'] = st->table['"'] =
		st->table['\0'] = true;
#if defined(__SSE2__)
	st->sep = _mm_set1_epi8(sep);
	st->nl = _mm_set1_epi8('\n');
	st->cr = _mm_set1_epi8('\r');
	st->quote = _mm_set1_epi8('"');
#endif
}
