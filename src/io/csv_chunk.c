/*
 * The rows of a chunk of a CSV table, on a thread of its own (csv_chunk.h):
 * the plain form only, read field by field, or as a repeat of a row before
 * but for its time (csv_repeat.h). Whatever is not plain makes the chunk
 * give up.
 */

#include "../util/grow.h"
#include "../util/hash.h"
#include "bytescan.h"
#include "csv.h"
#include "csv_chunk.h"
#include "csv_repeat.h"
#include "scan.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint64_t fresh_hash(const void *c, size_t i) {
	return ((const struct chunk *)c)->fresh[i].hash;
}

static bool chunk_event(struct chunk *c, uint32_t id, uint32_t group) {
	if (!tl_grow((void **)&c->ev, &c->evcap, c->nev + 1, sizeof(*c->ev))) {
		return false;
	}
	c->ev[c->nev++] = (struct chunk_event){id, group};
	return true;
}

/* The id string s (len bytes) will have; false to give up (bad UTF-8, out of memory). */
static bool chunk_str_new(struct chunk *c, enum col_role role, const char *s, size_t len,
			  tl_str *ret);

/* chunk_str_new() unless s is the string the column had on the row before. */
static inline __attribute__((always_inline)) bool
chunk_str(struct chunk *c, enum col_role role, const char *s, size_t len, tl_str *ret) {
	const struct strcache *k = &c->cache[role];
	if (k->s && k->len == len && tl_bytes_equal(k->s, s, len)) {
		*ret = k->id;
		return true;
	}
	return chunk_str_new(c, role, s, len, ret);
}

static bool chunk_str_new(struct chunk *c, enum col_role role, const char *s, size_t len,
			  tl_str *ret) {
	struct strcache *k = &c->cache[role];
	uint32_t h = tl_hash_bytes32(s, len); /* as the trace hashes its strings */
	tl_str id = 0;
	for (size_t i = 1; i < c->nknown && !id; i++) {
		const struct tl_strent *e = &c->known[i];
		if (e->hash == h && e->len == len && memcmp(e->s, s, len) == 0) {
			id = (tl_str)i;
		}
	}
	struct tl_index *x = &c->findex;
	if (!id && tl_index_full(x, c->nfresh) &&
	    !tl_index_rebuild(x, tl_index_grown(x, 64), 0, c->nfresh, fresh_hash, c)) {
		return false;
	}
	size_t i = id ? 0 : tl_index_start(x, h);
	for (; !id && x->slot[i]; i = tl_index_next(x, i)) {
		const struct newstr *e = &c->fresh[x->slot[i] - 1];
		if (e->hash == h && e->len == len && memcmp(e->s, s, len) == 0) {
			id = (tl_str)(c->nknown + x->slot[i] - 1);
		}
	}
	if (!id) {
		id = (tl_str)(c->nknown + c->nfresh);
		if (len > UINT32_MAX - 1 || id >= UINT32_MAX - 1 || tl_utf8_check(s, len) != len ||
		    !tl_grow((void **)&c->fresh, &c->freshcap, c->nfresh + 1, sizeof(*c->fresh)) ||
		    !chunk_event(c, id, UINT32_MAX)) {
			return false;
		}
		c->fresh[c->nfresh++] = (struct newstr){.s = s, .len = (uint32_t)len, .hash = h};
		x->slot[i] = (uint32_t)c->nfresh;
	}
	*k = (struct strcache){.s = s, .len = len, .id = id};
	*ret = id;
	return true;
}

/* A string column's id, TL_STR_NONE for an absent column or an empty field. */
static inline __attribute__((always_inline)) bool chunk_col_str(struct chunk *c, enum col_role role,
								tl_str *ret) {
	int col = c->r->col[role];
	if (col < 0 || c->f[col].len == 0) {
		*ret = TL_STR_NONE;
		return true;
	}
	return chunk_str(c, role, c->f[col].s, c->f[col].len, ret);
}

/* The group named by string id, as it will be numbered. */
static bool chunk_group(struct chunk *c, tl_str id, uint32_t *ret) {
	if (id < c->grpcap && c->grp[id]) {
		*ret = c->grp[id] - 1;
		return true;
	}
	size_t cap = c->grpcap;
	if (!tl_grow((void **)&c->grp, &cap, (size_t)id + 1, sizeof(*c->grp))) {
		return false;
	}
	memset(c->grp + c->grpcap, 0, (cap - c->grpcap) * sizeof(*c->grp));
	c->grpcap = cap;
	if (c->ngroups >= UINT32_MAX - 1 || !chunk_event(c, id, (uint32_t)c->ngroups)) {
		return false;
	}
	c->grp[id] = (uint32_t)++c->ngroups;
	*ret = c->grp[id] - 1;
	return true;
}

/* A time or job field that is a plain number: it starts with a digit. */
static inline bool plain(const struct field *f) {
	return f->len && f->s[0] >= '0' && f->s[0] <= '9';
}

/* A job number of at most 18 digits, inline: exact in int64, as tl_parse_int() reads it. */
static inline bool fast_int(const char *s, size_t len, int64_t *ret) {
	if (len == 0 || len > 18) {
		return false;
	}
	int64_t m = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned)((unsigned char)s[i] - '0');
		if (d >= 10) {
			return false;
		}
		m = m * 10 + (int64_t)d;
	}
	*ret = m;
	return true;
}

/* parse_time()'s fast path alone: a plain number in a column of numbers. */
static inline bool fast_time(const struct csv *r, const struct field *f, enum col_role role,
			     tl_ns *ret) {
	return plain(f) && r->tk[role] == TK_NUMBER && (r->guessed || !r->bare[role]) &&
	       r->mult[role] == 1 &&
	       (tl_parse_time_plain(f->s, f->len, r->scale[role], ret) ||
		tl_parse_time(f->s, f->len, r->scale[role], ret) == TL_NUM_OK);
}

/* A role's field as get() sees it: NULL when the column is absent or the field blank. */
static inline const struct field *chunk_get(const struct chunk *c, enum col_role role) {
	int col = c->r->col[role];
	if (col < 0) {
		return NULL;
	}
	const struct field *f = &c->f[col];
	/* Most fields start with neither blank: no need to look further. */
	return f->len && f->s[0] != ' ' && f->s[0] != '\t' ? f : csv_blank_field(f) ? NULL : f;
}

/* The row's kind, by its kind column as line_kind() reads it (1 sample, 0 span; -1 neither), or
 * by the chunk's when there is none. */
static inline int chunk_row_kind(const struct chunk *c) {
	int col = c->r->col[R_KIND];
	if (col < 0) {
		return c->samples;
	}
	return csv_plain_kind(c->f[col].s, c->f[col].len);
}

/* A sample row's time, counted in its track (and kept, unless tracks only). */
static inline bool chunk_sample(struct chunk *c, int64_t job, uint32_t group, tl_str worker) {
	const struct field *tf = chunk_get(c, R_TIME);
	enum col_role role = R_TIME;
	if (!tf) {
		tf = chunk_get(c, R_START);
		role = R_START;
	}
	tl_ns v;
	if (!tf || !fast_time(c->r, tf, role, &v)) {
		return false;
	}
	/* Mostly the row before's track: compared inline, not in a call. */
	uint32_t id = c->tracks.last;
	if (!tl_tracks_is_last(&c->tracks, job, group, worker) &&
	    !tl_tracks_put(&c->tracks, &(tl_track){.job = job, .group = group, .worker = worker},
			   &id, NULL, NULL)) {
		return false;
	}
	/* Kept, or (tracks only) counted in the track alone. */
	if (c->times) {
		c->times[c->n] = v;
		c->ids[c->n] = id;
	}
	tl_track_count(&c->tracks.v[id], 1, v, v);
	c->lo = v < c->lo ? v : c->lo;
	c->hi = v > c->hi ? v : c->hi;
	c->n++;
	return true;
}

/* A span row's times, status and label into *sp. */
static inline bool chunk_span(struct chunk *c, tl_span *sp) {
	const struct csv *r = c->r;
	const struct field *sf = chunk_get(c, R_START), *ef = chunk_get(c, R_STOP);
	if (!sf || !ef || !fast_time(r, sf, R_START, &sp->start) ||
	    !fast_time(r, ef, R_STOP, &sp->stop) || sp->stop < sp->start) {
		return false;
	}
	sp->status = 0;
	const struct field *xf = chunk_get(c, R_STATUS);
	if (xf) {
		const char *s = xf->s;
		size_t len = xf->len;
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
			len--;
		}
		while (len && (*s == ' ' || *s == '\t')) {
			s++;
			len--;
		}
		if (!csv_missing_word(s, len) &&
		    (!tl_exit_status_from_string(s, len, &sp->status) ||
		     !tl_exit_status_valid(sp->status))) {
			return false;
		}
	}
	sp->label = TL_STR_NONE;
	if (r->col[R_LABEL] >= 0 && !chunk_col_str(c, R_LABEL, &sp->label)) {
		return false;
	}
	c->lo = sp->start < c->lo ? sp->start : c->lo;
	c->hi = sp->stop > c->hi ? sp->stop : c->hi;
	return true;
}

/*
 * Where a span row of the chunk goes: the trace's room for a chunk of spans;
 * for a chunk of samples (the runner writes a pool's few job spans between
 * its samples) a list of its own, added to the trace when the chunk is
 * merged. NULL when there is no room.
 */
static inline tl_span *chunk_span_slot(struct chunk *c) {
	if (!c->samples) {
		return &c->spans[c->n];
	}
	return c->spans_cut && tl_grow((void **)&c->aside, &c->asidecap, c->naside + 1,
				       sizeof(*c->aside))
		       ? &c->aside[c->naside]
		       : NULL;
}

/* One row of a chunk, as csv_row() would read it; false to give up. */
static inline bool chunk_row(struct chunk *c) {
	const struct csv *r = c->r;
	tl_str gs, worker;
	uint32_t group;
	int kind = chunk_row_kind(c);
	if (kind < 0 || (kind == 1 && !c->samples) || !chunk_col_str(c, R_GROUP, &gs) ||
	    !chunk_group(c, gs, &group) || !chunk_col_str(c, R_WORKER, &worker)) {
		return false;
	}
	int64_t job = 0;
	if (r->col[R_JOB] >= 0) {
		const struct field *jf = &c->f[r->col[R_JOB]];
		if (!plain(jf) || (!fast_int(jf->s, jf->len, &job) &&
				   tl_parse_int(jf->s, jf->len, &job) != TL_NUM_OK)) {
			return false;
		}
	}
	if (kind == 1) {
		return chunk_sample(c, job, group, worker);
	}
	tl_span *sp = chunk_span_slot(c);
	if (!sp || !chunk_span(c, sp)) {
		return false;
	}
	sp->job = job;
	sp->group = group;
	sp->worker = worker;
	*(c->samples ? &c->naside : &c->n) += 1;
	return true;
}

/*
 * Which time columns of the chunk's rows a key can stand before: of plain
 * numbers in their unit, for samples.
 */
static void keys_init(struct row_keys *ks, const struct chunk *c) {
	const struct csv *r = c->r;
	*ks = (struct row_keys){.any = false};
	for (int i = 0; i < 2; i++) {
		enum col_role role = i ? R_START : R_TIME;
		ks->can[i] = c->samples && r->col[role] >= 0 && r->tk[role] == TK_NUMBER &&
			     (r->guessed || !r->bare[role]) && r->mult[role] == 1;
		ks->scales[i] = r->scale[role];
	}
}

/*
 * Keep the bytes of row q (just read; next is the byte after its line end)
 * around its time field, when the next rows can be matched on them: as the
 * key tried first, the oldest forgotten.
 */
static inline void keys_add(struct row_keys *ks, const struct chunk *c, const char *q,
			    const char *next, const char *end) {
	const struct field *tf = chunk_get(c, R_TIME);
	int i = !tf;
	tf = tf ? tf : chunk_get(c, R_START);
	if (!tf || !ks->can[i] || end - q < 32 || tf->s - q >= 32 || tf->s == q) {
		return;
	}
	const char *line_end = next > q && next[-1] == '\n' ? next - 1 : next;
	line_end -= line_end > q && line_end[-1] == '\r';
	const char *after = tf->s + tf->len;
	if (line_end - after > 16 || (next == end && end[-1] != '\n')) {
		return;
	}
	ks->old[ks->next] = ks->cur;
	ks->next = (ks->next + 1) % (ROW_KEYS - 1);
	struct row_key *k = &ks->cur;
	memcpy(k->b, q, 32);
	k->len = (uint32_t)(tf->s - q);
	k->nafter = (uint32_t)(line_end - after);
	memcpy(k->after, after, k->nafter);
	k->scale = ks->scales[i];
	k->id = c->tracks.last;
	ks->any = true;
}

/*
 * After a row read field by field, the misses-th in a row: its key kept.
 * Rows that keep changing (more tracks interleaved than there are keys)
 * have a key tried now and then only.
 */
static inline void keys_after_miss(struct row_keys *ks, const struct chunk *c, const char *q,
				   const char *next, const char *end, size_t misses) {
	if (misses < 4 * ROW_KEYS) {
		keys_add(ks, c, q, next, end);
	} else if (misses % 64 == 0) {
		keys_clear(ks);
		keys_add(ks, c, q, next, end);
	} else if (ks->any) {
		keys_clear(ks);
	}
}

/* Repeated rows of one track read since the last flush: their count and time range. */
struct repeats {
	size_t n;
	tl_ns lo, hi;
	uint32_t id;
};

/* Count the repeats in their track and in the chunk. */
static void repeats_flush(struct chunk *c, struct repeats *rp) {
	if (rp->n) {
		tl_track_count(&c->tracks.v[rp->id], rp->n, rp->lo, rp->hi);
		c->lo = rp->lo < c->lo ? rp->lo : c->lo;
		c->hi = rp->hi > c->hi ? rp->hi : c->hi;
	}
	*rp = (struct repeats){0, INT64_MAX, INT64_MIN, 0};
}

/* Row q's fields into c->f, from the stops of its first 32 bytes in mask (when q + 32 is
 * within the range, else 0); the byte after its line end, or NULL when the row is not plain. */
static inline const char *row_fields(struct chunk *c, const struct tl_stops *stops, char sep,
				     const char *q, const char *end, uint32_t mask) {
	const char *window = end - q >= 32 ? q + 32 : q;
	size_t n = 0, ncols = c->r->ncols;
	for (;;) {
		const char *s = q;
		if (mask) {
			q = window - 32 + __builtin_ctz(mask);
			mask &= mask - 1;
		} else {
			q = tl_stops_next(stops, s > window ? s : window, end);
		}
		if (n < ncols) {
			c->f[n] = (struct field){.s = s, .len = (size_t)(q - s)};
		}
		n++;
		if (q == end) {
			return n == ncols ? q : NULL;
		}
		if (*q == sep) {
			q++;
			continue;
		}
		/* Else a line end, or a quote, a NUL byte or a lone carriage return: not plain. */
		const char *next = past_line_end(q, end);
		return next && n == ncols ? next : NULL;
	}
}

/* Read a chunk's lines; c->ok when every one was a plain row. */
void *csv_chunk_rows(void *arg) {
	struct chunk *c = arg;
	const struct csv *r = c->r;
	/* A NUL byte stops too: a chunk not counted ahead was not looked at for them. */
	struct tl_stops stops;
	tl_stops_init(&stops, r->sep);
	const char *q = c->p, *end = c->end;
	/* Pages from the chunk's first whole one on: the page before is another's. */
	long page = sysconf(_SC_PAGESIZE);
	const char *dropped =
		(const char *)(((uintptr_t)q + (uintptr_t)page - 1) & ~(uintptr_t)(page - 1));
	const char *next_drop = q + DROP_EVERY;
	/* In a local: a char read may alias the fields stored, so r->sep would be loaded again. */
	const char sep = r->sep;
	struct row_keys keys;
	keys_init(&keys, c);
	struct repeats rp = {0, INT64_MAX, INT64_MIN, 0};
	size_t misses = 0; /* rows in a row read field by field */
	tl_ns *times = c->times;
	uint32_t *ids = c->ids;
	size_t n = c->n;
	c->lo = INT64_MAX;
	c->hi = INT64_MIN;
	while (q < end) {
		if ((n & 0xffff) == 0 && atomic_load_explicit(c->stop, memory_order_relaxed)) {
			return NULL;
		}
		if (c->drop_behind && q >= next_drop) {
			csv_drop_pages(c->data, &dropped, q);
			next_drop = q + DROP_EVERY;
		}
		/* The stops of the row's first 32 bytes at once: a short row's every field end. */
		bool wide = end - q >= 32;
		uint32_t mask = wide ? tl_stops_mask32(&stops, q) : 0;
		tl_ns v;
		const char *next;
		if (keys.any && wide && keys_match(&keys, q) &&
		    key_time(&keys.cur, &stops, q, end, mask, &v, &next)) {
			uint32_t id = keys.cur.id;
			if (id != rp.id && rp.n) {
				repeats_flush(c, &rp);
			}
			if (times) {
				times[n] = v;
				ids[n] = id;
			}
			n++;
			rp.n++;
			rp.id = id;
			rp.lo = v < rp.lo ? v : rp.lo;
			rp.hi = v > rp.hi ? v : rp.hi;
			q = next;
			continue;
		}
		if (rp.n) {
			repeats_flush(c, &rp);
			misses = 0;
		}
		c->n = n;
		char ch = *q;
		if (ch == '#' || ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
		    !(next = row_fields(c, &stops, sep, q, end, mask)) || !chunk_row(c)) {
			return NULL;
		}
		/* A sample row's key only: a span kept aside is no key to samples. */
		if ((keys.can[0] || keys.can[1]) && c->n > n) {
			keys_after_miss(&keys, c, q, next, end, ++misses);
		}
		n = c->n;
		q = next;
	}
	repeats_flush(c, &rp);
	c->n = n;
	c->ok = true;
	return NULL;
}
