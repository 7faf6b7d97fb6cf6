#ifndef TIMELINE_IO_CSV_REPEAT_H
#define TIMELINE_IO_CSV_REPEAT_H

/*
 * Rows that repeat the row before but for their last field: read by
 * comparing their first bytes with the earlier row's, not field by field.
 */

#include "../model/model.h"
#include "bytescan.h"
#include "scan.h"

#include <stdbool.h>
#include <stdint.h>

/*
 * A sample row's bytes before its time field, when that field ends the row
 * and starts within the row's first 32 bytes. A row that begins with the
 * same bytes has the same fields before its time, so the same group,
 * worker, job and track: only its time is read. A live tracker's rows are
 * mostly such repeats ("threads,0," then a time).
 */
struct row_key {
	unsigned char b[32];
	uint32_t len; /* bytes before the time field; 0: no key */
	int scale;    /* the time column's power of ten to nanoseconds */
	uint32_t id;  /* the rows' track */
};

/*
 * Bit i set when q[i] equals the key's byte i, for the 32 bytes at q (q + 32 within the range).
 */
static inline uint32_t key_equal_mask(const struct row_key *k, const char *q) {
#if defined(__SSE2__)
	__m128i a = _mm_loadu_si128((const __m128i *)(const void *)q);
	__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(q + 16));
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)k->b);
	__m128i y = _mm_loadu_si128((const __m128i *)(const void *)(k->b + 16));
	return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, x)) |
	       (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, y)) << 16;
#else
	uint32_t m = 0;
	for (int i = 0; i < 32; i++) {
		m |= (uint32_t)((unsigned char)q[i] == k->b[i]) << i;
	}
	return m;
#endif
}

/* The byte after the line end at e ("\n" or "\r\n"); NULL when there is none at e. */
static inline const char *past_line_end(const char *e, const char *end) {
	if (e < end && *e == '\n') {
		return e + 1;
	}
	return e + 1 < end && e[0] == '\r' && e[1] == '\n' ? e + 2 : NULL;
}

/*
 * Row q (the stops of its first 32 bytes in mask; q + 32 within the range)
 * as a repeat of the key's: its time in *ret_v and the byte after its line
 * end in *ret_q. false when it is not one, or its time is not a plain
 * number: the caller then reads the row field by field.
 */
static inline bool key_repeat(const struct row_key *k, const struct tl_stops *stops, const char *q,
			      const char *end, uint32_t mask, tl_ns *ret_v, const char **ret_q) {
	uint32_t want = (UINT32_C(1) << k->len) - 1;
	if ((key_equal_mask(k, q) & want) != want) {
		return false;
	}
	uint32_t after = mask >> k->len;
	const char *s = q + k->len,
		   *e = after ? s + __builtin_ctz(after) : tl_stops_next(stops, q + 32, end);
	const char *next = past_line_end(e, end);
	if (!next || e == s || (unsigned)(*s - '0') >= 10 ||
	    !(tl_parse_time_plain(s, (size_t)(e - s), k->scale, ret_v) ||
	      tl_parse_time(s, (size_t)(e - s), k->scale, ret_v) == TL_NUM_OK)) {
		return false;
	}
	*ret_q = next;
	return true;
}

#endif
