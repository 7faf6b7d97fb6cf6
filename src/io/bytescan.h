#ifndef TIMELINE_IO_BYTESCAN_H
#define TIMELINE_IO_BYTESCAN_H

/*
 * Byte scans at the speed of the memory: counting line ends and finding the
 * next field delimiter of a CSV row, 16 bytes at a step where SSE2 is there
 * (every x86-64), a byte at a step elsewhere. Loads never reach past the end
 * of the range they are given.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/*
 * Line ends ('\n') in [p, end), and the first NUL byte there in *nul when
 * *nul is NULL (left alone when there is none or *nul was set already).
 */
size_t tl_bytes_count_lines(const char *p, const char *end, const char **nul);

/* The bytes that end a field of a CSV row: the separator, '\n', '\r', '"' and NUL. */
struct tl_stops {
	bool table[256];
#if defined(__SSE2__)
	__m128i sep, nl, cr, quote;
#endif
};

/* The stops of a table whose separator is sep. */
void tl_stops_init(struct tl_stops *st, char sep);

#if defined(__SSE2__)
/* Bit i set when q[i] is a stop, for the 16 bytes at q. */
static inline unsigned tl_stops_mask16(const struct tl_stops *st, const char *q) {
	__m128i b = _mm_loadu_si128((const __m128i *)(const void *)q);
	__m128i m = _mm_or_si128(
		_mm_or_si128(_mm_cmpeq_epi8(b, st->sep), _mm_cmpeq_epi8(b, st->nl)),
		_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(b, st->cr), _mm_cmpeq_epi8(b, st->quote)),
			     _mm_cmpeq_epi8(b, _mm_setzero_si128())));
	return (unsigned)_mm_movemask_epi8(m);
}
#endif

/*
 * Bit i set when q[i] is a stop, for the 32 bytes at q (q + 32 must be
 * within the range): a short row's field ends, all at once.
 */
static inline uint32_t tl_stops_mask32(const struct tl_stops *st, const char *q) {
#if defined(__SSE2__)
	return (uint32_t)tl_stops_mask16(st, q) | (uint32_t)tl_stops_mask16(st, q + 16) << 16;
#else
	uint32_t m = 0;
	for (int i = 0; i < 32; i++) {
		m |= (uint32_t)st->table[(unsigned char)q[i]] << i;
	}
	return m;
#endif
}

/* The first stop in [q, end), or end when there is none. */
static inline const char *tl_stops_next(const struct tl_stops *st, const char *q, const char *end) {
#if defined(__SSE2__)
	while (end - q >= 16) {
		unsigned bits = tl_stops_mask16(st, q);
		if (bits) {
			return q + __builtin_ctz(bits);
		}
		q += 16;
	}
#endif
	while (q < end && !st->table[(unsigned char)*q]) {
		q++;
	}
	return q;
}

/*
 * Whether a and b (len bytes each) are equal: short strings in a few loads,
 * none past len. The 4- and 2-byte cases are alike on purpose: each covers
 * its lengths with two overlapping loads of its own width.
 */
static inline bool tl_bytes_equal(const char *a, const char *b, size_t len) {
	if (len >= 8) {
		uint64_t x, y;
		for (size_t i = 0; i + 8 < len; i += 8) {
			memcpy(&x, a + i, 8);
			memcpy(&y, b + i, 8);
			if (x != y) {
				return false;
			}
		}
		memcpy(&x, a + len - 8, 8);
		memcpy(&y, b + len - 8, 8);
		return x == y;
	}
	if (len >= 4) {
		uint32_t x0, y0, x1, y1;
		memcpy(&x0, a, 4);
		memcpy(&y0, b, 4);
		memcpy(&x1, a + len - 4, 4);
		memcpy(&y1, b + len - 4, 4);
		return x0 == y0 && x1 == y1;
	}
	if (len >= 2) {
		uint16_t x0, y0, x1, y1;
		memcpy(&x0, a, 2);
		memcpy(&y0, b, 2);
		memcpy(&x1, a + len - 2, 2);
		memcpy(&y1, b + len - 2, 2);
		return x0 == y0 && x1 == y1;
	}
	return len == 0 || a[0] == b[0];
}

#endif
