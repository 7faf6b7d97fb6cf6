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
 * A sample row's bytes before its time field, when that field starts within
 * the row's first 32 bytes, and after it (a few). A row that begins and ends
 * with the same bytes has the same fields but its time, so the same group,
 * worker, job and track: only its time is read. A live tracker's rows are
 * mostly such repeats ("threads,0," then a time); samples of a few threads
 * written as they came interleave a few keys.
 */
struct row_key {
	unsigned char b[32];
	uint32_t len; /* bytes before the time field; 0: no key */
	int scale;    /* the time column's power of ten to nanoseconds */
	uint32_t id;  /* the rows' track */
	/* The bytes after the time field, to the line end: the empty fields after a sample's time
	 * in the native form (",,,"), at most 16. */
	unsigned char after[16];
	uint32_t nafter;
};

#define ROW_KEYS 4

/* The keys of the last rows read field by field. */
struct row_keys {
	struct row_key cur; /* the one a row matched last, tried first; held when any is */
	struct row_key old[ROW_KEYS - 1]; /* the others */
	unsigned next;                    /* the slot of old the next key pushes cur into */
	bool any;                         /* some key is held */
	/* Whether a key can stand before the time column [0] and the start column [1], and their
	 * powers of ten: fixed for a table. */
	bool can[2];
	int scales[2];
};

/* Forget every key. */
static inline void keys_clear(struct row_keys *ks) {
	ks->cur.len = 0;
	for (unsigned i = 0; i < ROW_KEYS - 1; i++) {
		ks->old[i].len = 0;
	}
	ks->any = false;
}

/* Whether the row at q (q + 32 within the range) begins with key k, which is held (k->len > 0).
 */
static inline bool key_starts(const struct row_key *k, const char *q) {
	uint32_t want = (UINT32_C(1) << k->len) - 1;
#if defined(__SSE2__)
	__m128i a = _mm_loadu_si128((const __m128i *)(const void *)q);
	__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(q + 16));
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)k->b);
	__m128i y = _mm_loadu_si128((const __m128i *)(const void *)(k->b + 16));
	uint32_t eq = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, x)) |
		      (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, y)) << 16;
#else
	uint32_t eq = 0;
	for (int i = 0; i < 32; i++) {
		eq |= (uint32_t)((unsigned char)q[i] == k->b[i]) << i;
	}
#endif
	return (eq & want) == want;
}

/* Whether the row at q (q + 32 within the range) begins with one of the other keys: then that
 * key becomes ks->cur (keys met in turn swap places each row). */
static inline bool keys_match_old(struct row_keys *ks, const char *q) {
	for (unsigned i = 0; i < ROW_KEYS - 1; i++) {
		if (ks->old[i].len && key_starts(&ks->old[i], q)) {
			struct row_key k = ks->old[i];
			ks->old[i] = ks->cur;
			ks->cur = k;
			return true;
		}
	}
	return false;
}

/* Whether the row at q (q + 32 within the range) begins with a key held (some is): then
 * ks->cur. */
static inline bool keys_match(struct row_keys *ks, const char *q) {
	return key_starts(&ks->cur, q) || keys_match_old(ks, q);
}

/* The byte after the line end at e ("\n" or "\r\n"); NULL when there is none at e. */
static inline const char *past_line_end(const char *e, const char *end) {
	if (e < end && *e == '\n') {
		return e + 1;
	}
	return e + 1 < end && e[0] == '\r' && e[1] == '\n' ? e + 2 : NULL;
}

/*
 * The time of row q, which begins with key k (the stops of its first 32
 * bytes in mask; q + 32 within the range), in *ret_v, and the byte after its
 * line end in *ret_q. false when the row does not end as the key's, or the
 * time is not a plain number: the caller then reads the row field by field.
 */
static inline bool key_time(const struct row_key *k, const struct tl_stops *stops, const char *q,
			    const char *end, uint32_t mask, tl_ns *ret_v, const char **ret_q) {
	uint32_t after = mask >> k->len;
	const char *s = q + k->len,
		   *e = after ? s + __builtin_ctz(after) : tl_stops_next(stops, q + 32, end);
	const char *t = e;
	if (k->nafter) {
		if ((size_t)(end - e) < k->nafter ||
		    !tl_bytes_equal(e, (const char *)k->after, k->nafter)) {
			return false;
		}
		t += k->nafter;
	}
	const char *next = past_line_end(t, end);
	if (!next || e == s || (unsigned)(*s - '0') >= 10 ||
	    !(tl_parse_time_plain(s, (size_t)(e - s), k->scale, ret_v) ||
	      tl_parse_time(s, (size_t)(e - s), k->scale, ret_v) == TL_NUM_OK)) {
		return false;
	}
	*ret_q = next;
	return true;
}

#endif
