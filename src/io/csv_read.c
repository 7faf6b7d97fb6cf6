/*
 * Reading a CSV table's rows: one at a time through csv.c, and a large
 * table of one kind of row in chunks on several threads. One file, past the
 * usual length, because the chunked reading is one mechanism: the plan that
 * cuts and counts the chunks, the fast row reader they run, and the merge
 * that takes their rows in file order share the chunk's state and its
 * invariants (every line a row; strings and groups guessed, then remapped),
 * and read apart they would hide them.
 */

#include <timeline/io.h>

#include "../model/model.h"
#include "../util/hash.h"
#include "bytescan.h"
#include "csv.h"
#include "csv_impl.h"
#include "csv_repeat.h"
#include "scan.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* A NUL byte in [from, to): the error tl_check_text() gives for the whole input. */
tl_status csv_check_nul(struct csv *r, const char *from, const char *to) {
	if (to > from && memchr(from, '\0', (size_t)(to - from))) {
		return tl_check_text(r->data, (size_t)(r->end - r->data), r->name, r->err);
	}
	r->checked = to > r->checked ? to : r->checked;
	return TL_OK;
}

/* Give back the pages wholly before the current record. */
void csv_drop_pages(const char *data, const char **dropped, const char *upto) {
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t base = (uintptr_t)data & ~(uintptr_t)(page - 1);
	uintptr_t from = *dropped ? (uintptr_t)*dropped : base;
	uintptr_t to = (uintptr_t)upto & ~(uintptr_t)(page - 1);
	if (to > from) {
		madvise((void *)from, to - from, MADV_DONTNEED);
		*dropped = (const char *)to;
	}
}

/* ---- reading on several threads ---- */

/*
 * A large table of one kind of row (no kind column) is read in chunks on
 * several threads. The part after the header is cut at line ends: a short
 * first chunk, which the calling thread reads with the reader above, exactly
 * as it reads a whole file, then one chunk per processor. Those are read by
 * fast_rows() below, the first on the calling thread, the others each on a
 * thread of its own; it knows only the plain form (fields without quotes,
 * times and jobs that are plain numbers in the units the first chunk fixed)
 * and gives up on anything else. A sample row that repeats the row before
 * but for its time (csv_repeat.h) has only its time read. Rows go straight into the
 * room the trace reserved for them: in the plain form every line is a row, so
 * a chunk's first row lands where the rows of the lines before it end.
 * Strings a chunk meets that the trace did not know when it started get the
 * ids they would have if nothing else were interned before them; the chunks
 * are merged in file order, interning strings and creating groups in the
 * order the one-thread reader would have, and ids are rewritten only when a
 * guess was wrong.
 *
 * Whatever a chunk gives up on (quotes, which may hold line breaks;
 * comments; blank or odd lines; any value that is not plain, and so any bad
 * value), the calling thread reads that chunk and every later one itself, as
 * it would have without threads: the trace and every message are those of
 * one thread. So is a first chunk whose rows are not one per line.
 */

/* Tables smaller than this are read on one thread. */
static size_t split_min = (size_t)4 << 20;
static int split_threads; /* 0: one per online processor */

void tl_csv_set_split(size_t min_bytes, int threads) {
	split_min = min_bytes;
	split_threads = threads;
}

#define SPLIT_MAX 8
#define SPLIT_HEAD ((size_t)64 << 10) /* the first chunk, at most */
#define SPLIT_KNOWN_MAX 256           /* strings the trace may hold when chunks start */

/* A string a chunk met that the trace did not hold when the chunk started. */
struct newstr {
	const char *s;
	uint32_t len;
	uint32_t hash;
};

/* What the one-thread reader would have done at this point: intern, or create a group. */
struct chunk_event {
	uint32_t id;    /* the string (as guessed) */
	uint32_t group; /* for a group: its index as guessed, else UINT32_MAX */
};

struct chunk {
	const struct csv *r;     /* the reader's column settings: read only */
	const char *p, *end;     /* whole lines */
	const char *data;        /* the mapping, for page alignment */
	bool drop_behind;        /* give back pages as they are read */
	size_t lines;            /* line ends in [p, end) */
	const char *nul;         /* the first NUL byte there, if any */
	bool samples;            /* rows are samples (else spans) */
	tl_span *spans;          /* where the chunk's rows go: spans, */
	tl_ns *times;            /* or samples' times */
	uint32_t *ids;           /* and tracks (as guessed) */
	struct tl_tracks tracks; /* the trace's when the chunk started, then those met here */
	size_t n;                /* rows read (of the chunk's kind) */
	bool spans_cut;          /* spans can be read here: their columns are there */
	tl_span *aside;          /* spans met in a chunk of samples */
	size_t naside, asidecap;
	tl_ns lo, hi;            /* their time range */
	bool ok;                 /* every line was read */
	const atomic_bool *stop; /* set when the calling thread needs no more */
	struct field *f;         /* ncols fields of the current line */
	/* The strings and groups the trace held when the chunk started. */
	struct tl_strent *known;
	size_t nknown;
	uint32_t *grp; /* by string id (as guessed): group + 1, 0 when it names none */
	size_t grpcap;
	size_t ngroups;
	struct newstr *fresh; /* strings first met here, in order: ids from nknown */
	size_t nfresh, freshcap;
	struct tl_index findex; /* over fresh, by content */
	struct chunk_event *ev;
	size_t nev, evcap;
	struct strcache cache[R_COUNT];
	pthread_t tid;
	bool started;
};

static uint64_t fresh_hash(const void *c, size_t i) {
	return ((const struct chunk *)c)->fresh[i].hash;
}

/*
 * The line ends of a chunk. When the reader gives pages back, so does the
 * count, as it goes: else the whole file would be resident at once before
 * the first row is read.
 */
static void *count_chunk(void *arg) {
	struct chunk *c = arg;
	if (!c->drop_behind) {
		c->lines = tl_bytes_count_lines(c->p, c->end, &c->nul);
		return NULL;
	}
	/* Pages from the chunk's first whole one on: the page before is another's. */
	long page = sysconf(_SC_PAGESIZE);
	const char *dropped =
		(const char *)(((uintptr_t)c->p + (uintptr_t)page - 1) & ~(uintptr_t)(page - 1));
	c->lines = 0;
	for (const char *p = c->p; p < c->end;) {
		const char *to = (size_t)(c->end - p) > DROP_EVERY ? p + DROP_EVERY : c->end;
		c->lines += tl_bytes_count_lines(p, to, &c->nul);
		p = to;
		csv_drop_pages(c->data, &dropped, p);
	}
	return NULL;
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
	const struct field *kf = &c->f[col];
	return kf->len == 6 && memcmp(kf->s, "sample", 6) == 0 ? 1
	       : kf->len == 4 && memcmp(kf->s, "span", 4) == 0 ? 0
							       : -1;
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
		if (*q == '\n') {
			return n == ncols ? q + 1 : NULL;
		}
		if (*q == '\r' && q + 1 < end && q[1] == '\n') {
			return n == ncols ? q + 2 : NULL;
		}
		return NULL; /* a quote, a NUL byte, or a lone carriage return */
	}
}

/* Read a chunk's lines; c->ok when every one was a plain row. */
static void *fast_rows(void *arg) {
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
		n = c->n;
		keys_after_miss(&keys, c, q, next, end, ++misses);
		q = next;
	}
	repeats_flush(c, &rp);
	c->n = n;
	c->ok = true;
	return NULL;
}

/* The chunks of one read, and what the trace held when they were planned. */
struct split {
	struct chunk c[SPLIT_MAX + 1];
	size_t n;     /* chunks; 1 when the table is read on one thread */
	bool running; /* threads were started for chunks 1 .. n - 1 */
	bool samples; /* rows are samples (else spans) */
	size_t base;  /* rows of that kind before the first chunk */
	size_t other; /* rows of the other kind */
	/* The first chunk's rows of that kind and of the other (every line of it a row). */
	size_t head_rows, head_other;
	long line0; /* line of the first chunk's first line */
	/*
	 * Samples counted in their tracks only need no room reserved: the chunks
	 * after the first are not counted ahead, and one read whole has a row a
	 * line; a NUL byte stops it, and is looked for when the reader goes on
	 * alone.
	 */
	bool uncounted;
	size_t aside; /* spans merged from chunks of samples */
	atomic_bool stop;
	/* The reader's settings as the first row left them: the chunks read this copy, not
	 * the reader the calling thread goes on with. */
	struct csv settings;
};

/*
 * The kind of the rows of the line at p, by its kind column as this project
 * writes it: 1 "sample", 0 "span"; -1 for anything else (another kind or
 * spelling, a quote, a comment), which the chunks leave to the reader.
 */
static int line_kind(const struct csv *r, const char *p) {
	const char *eol = memchr(p, '\n', (size_t)(r->end - p));
	eol = eol ? eol : r->end;
	if (memchr(p, '"', (size_t)(eol - p))) {
		return -1;
	}
	for (int c = 0; c < r->col[R_KIND] && p; c++) {
		p = memchr(p, r->sep, (size_t)(eol - p));
		p = p ? p + 1 : NULL;
	}
	const char *e = p ? memchr(p, r->sep, (size_t)(eol - p)) : NULL;
	e = e ? e : eol > p && eol[-1] == '\r' ? eol - 1 : eol;
	size_t len = p ? (size_t)(e - p) : 0;
	return len == 6 && memcmp(p, "sample", 6) == 0 ? 1
	       : len == 4 && memcmp(p, "span", 4) == 0 ? 0
						       : -1;
}

/*
 * The rows of chunk c (the first, read by the reader) of kind samples and of
 * the other; false unless every line is a row of either.
 */
static bool head_kinds(const struct csv *r, const struct chunk *c, bool samples, size_t *ret_rows,
		       size_t *ret_other) {
	*ret_rows = *ret_other = 0;
	for (const char *p = c->p; p < c->end;) {
		int k = line_kind(r, p);
		if (k < 0) {
			return false;
		}
		*(k == samples ? ret_rows : ret_other) += 1;
		const char *nl = memchr(p, '\n', (size_t)(c->end - p));
		p = nl ? nl + 1 : c->end;
	}
	return true;
}

/* Whether spans can be read in chunks: their start, stop and job columns are there. */
static bool spans_cut(const struct csv *r) {
	return r->col[R_STOP] >= 0 && r->col[R_JOB] >= 0 && r->col[R_START] >= 0;
}

/*
 * Of the chunks cut, the kind of their rows: a table without a kind column
 * has one, by its columns; one with a kind column, that of the first line
 * after the first chunk, which every row of the first chunk must have too
 * (or the other kind: spans then samples, as the runner writes them).
 * -1: not to be read in chunks.
 */
static int chunks_kind(const struct csv *r, struct split *s) {
	if (r->col[R_KIND] < 0) {
		bool samples = !(r->col[R_START] >= 0 || r->back);
		s->head_rows = s->c[0].lines;
		s->head_other = 0;
		return samples || spans_cut(r) ? samples : -1;
	}
	int kind = line_kind(r, s->c[1].p);
	if (kind < 0 || (kind == 0 && !spans_cut(r)) ||
	    !head_kinds(r, &s->c[0], kind == 1, &s->head_rows, &s->head_other)) {
		return -1;
	}
	return kind;
}

/*
 * Cut the rows into chunks and count their lines (and look for a NUL byte,
 * *ret_nul), in parallel: the lines [r->p, r->end) have, plus one.
 */
static size_t plan_split(struct csv *r, const char *data, bool drop_behind, bool tracks_only,
			 struct split *s, const char **ret_nul) {
	size_t len = (size_t)(r->end - r->p);
	long cpus = split_threads ? split_threads : sysconf(_SC_NPROCESSORS_ONLN);
	size_t k = cpus < 1 ? 1 : cpus > SPLIT_MAX ? SPLIT_MAX : (size_t)cpus;
	s->n = 1;
	if (k < 2 || len < split_min || r->blanks || r->back || r->col[R_WAIT] >= 0) {
		return tl_bytes_count_lines(r->p, r->end, ret_nul) + 1;
	}
	/*
	 * A short first chunk, read as ever, settles the columns' units; the rest
	 * is cut in k, the calling thread taking the first of them.
	 */
	size_t head = len / (2 * k) < SPLIT_HEAD ? len / (2 * k) : SPLIT_HEAD;
	const char *from = r->p, *rest = r->p + head;
	size_t n = 0;
	for (size_t i = 0; i <= k && from < r->end; i++) {
		const char *to = i == k ? r->end : rest + (len - head) / k * i;
		if (to < from) {
			to = from;
		}
		if (to < r->end) {
			const char *nl = memchr(to, '\n', (size_t)(r->end - to));
			to = nl ? nl + 1 : r->end;
		}
		s->c[n++] = (struct chunk){.r = r,
					   .p = from,
					   .end = to,
					   .data = data,
					   .drop_behind = drop_behind,
					   .stop = &s->stop};
		from = to;
	}
	if (n < 2) {
		return tl_bytes_count_lines(r->p, r->end, ret_nul) + 1;
	}
	/* The first chunk counted first: a kind column's kinds are looked at in it. */
	count_chunk(&s->c[0]);
	int kind = chunks_kind(r, s);
	if (kind < 0) {
		*ret_nul = s->c[0].nul;
		return tl_bytes_count_lines(s->c[0].end, r->end, ret_nul) + s->c[0].lines + 1;
	}
	bool samples = kind == 1, uncounted = tracks_only && samples;
	for (size_t i = 0; i < n; i++) {
		s->c[i].samples = samples;
		s->c[i].spans_cut = spans_cut(r);
	}
	for (size_t i = 2; i < n && !uncounted; i++) {
		s->c[i].started = pthread_create(&s->c[i].tid, NULL, count_chunk, &s->c[i]) == 0;
	}
	size_t rows = 1 + s->c[0].lines;
	*ret_nul = s->c[0].nul;
	for (size_t i = 1; i < n && !uncounted; i++) {
		if (i < 2 || !s->c[i].started) {
			count_chunk(&s->c[i]);
		} else {
			pthread_join(s->c[i].tid, NULL);
			s->c[i].started = false;
		}
		rows += s->c[i].lines;
		*ret_nul = *ret_nul ? *ret_nul : s->c[i].nul;
	}
	s->n = n;
	s->samples = samples;
	s->base = csv_rows_read(r, s->samples);
	s->other = csv_rows_read(r, !s->samples);
	s->line0 = r->line;
	s->uncounted = uncounted;
	return rows;
}

static void chunk_free(struct chunk *c) {
	free(c->f);
	free(c->known);
	free(c->grp);
	free(c->fresh);
	tl_index_free(&c->findex);
	free(c->ev);
	tl_tracks_free(&c->tracks);
	free(c->aside);
	c->aside = NULL;
	c->f = NULL;
	c->known = NULL;
	c->grp = NULL;
	c->fresh = NULL;
	c->ev = NULL;
}

/* Start threads on chunks 1 .. n - 1, once the first row has fixed the columns' units. */
static void start_split(struct csv *r, struct split *s) {
	tl_trace *t = r->trace;
	size_t total = s->base + 1, cap = tl_trace_room(t, s->samples), nstrs;
	const struct tl_strent *strs = tl_trace_strings(t, &nstrs);
	bool tracks_only = tl_trace_is_tracks_only(t);
	for (size_t i = 0; i < s->n; i++) {
		total += s->c[i].lines;
	}
	/* Samples counted in their tracks only need no room. */
	bool room = (s->samples && tracks_only) || total <= cap;
	if (r->p >= s->c[1].p || !room || nstrs > SPLIT_KNOWN_MAX) {
		s->n = 1;
		return;
	}
	s->settings = *r;
	size_t off = s->base + s->head_rows;
	for (size_t i = 1; i < s->n; i++) {
		struct chunk *c = &s->c[i];
		c->r = &s->settings;
		if (s->samples && !tracks_only) {
			tl_trace_sample_room(t, off, &c->times, &c->ids);
		} else if (!s->samples) {
			c->spans = tl_trace_span_room(t, off);
		}
		off += c->lines;
		c->f = malloc(r->ncols * sizeof(*c->f));
		c->known = malloc(nstrs * sizeof(*c->known));
		c->grpcap = nstrs;
		c->grp = calloc(c->grpcap, sizeof(*c->grp));
		if (!c->f || !c->known || !c->grp ||
		    !tl_tracks_copy(&c->tracks, tl_trace_track_table(t))) {
			continue;
		}
		memcpy(c->known, strs, nstrs * sizeof(*c->known));
		c->nknown = nstrs;
		c->ngroups = tl_trace_group_count(t);
		for (size_t g = 0; g < c->ngroups; g++) {
			c->grp[tl_trace_group_id(t, (uint32_t)g)] = (uint32_t)g + 1;
		}
		c->started = i == 1 || pthread_create(&c->tid, NULL, fast_rows, c) == 0;
	}
	s->running = true;
}

/*
 * The trace's tracks for those a chunk met, with their group and worker ids
 * mapped as the chunk's strings and groups were: the chunk's track ids are
 * rewritten where they were guessed wrong (when an earlier chunk made tracks
 * of its own first).
 */
static bool merge_tracks(tl_trace *t, struct chunk *c, const tl_str *smap, const uint32_t *gmap) {
	size_t nk = c->tracks.n;
	uint32_t *kmap = malloc((nk ? nk : 1) * sizeof(*kmap));
	bool ok = kmap != NULL, remap = false;
	for (size_t j = 0; ok && j < nk; j++) {
		tl_track k = c->tracks.v[j];
		k.group = gmap[k.group];
		k.worker = smap[k.worker];
		ok = tl_trace_track(t, &k, &kmap[j]);
		remap |= kmap[j] != j;
	}
	/* Samples not kept (tracks only): admitted here, counted in their tracks below. */
	ok = ok && (c->ids || tl_trace_summarize(t, c->n, c->lo, c->hi));
	for (size_t i = 0; ok && remap && c->ids && i < c->n; i++) {
		c->ids[i] = kmap[c->ids[i]];
	}
	for (size_t j = 0; ok && j < nk; j++) {
		const tl_track *k = &c->tracks.v[j];
		if (k->samples) {
			tl_trace_count_track(t, kmap[j], k->samples, k->first, k->last);
		}
	}
	free(kmap);
	return ok;
}

/* Take a chunk's rows into the trace, in file order; false to read it on one thread instead. */
/*
 * A chunk's samples moved to where the trace's end now, when rows of
 * another kind in the chunks before it left them further up than its room
 * assumed.
 */
static void samples_down(tl_trace *t, struct chunk *c) {
	tl_ns *times;
	uint32_t *ids;
	tl_trace_sample_room(t, tl_trace_sample_count(t), &times, &ids);
	if (times != c->times) {
		memmove(times, c->times, c->n * sizeof(*times));
		memmove(ids, c->ids, c->n * sizeof(*ids));
		c->times = times;
		c->ids = ids;
	}
}

static bool merge_chunk(struct csv *r, struct chunk *c) {
	tl_trace *t = r->trace;
	struct tl_trace_mark mark = tl_trace_mark(t);
	bool kept = !c->samples || c->ids;
	if (c->samples && c->ids) {
		samples_down(t, c);
	}
	if (kept && !tl_trace_append_reserved(t, c->samples, c->n, c->lo, c->hi)) {
		return false;
	}
	size_t nids = c->nknown + c->nfresh;
	tl_str *smap = malloc((nids ? nids : 1) * sizeof(*smap));
	uint32_t *gmap = malloc((c->ngroups ? c->ngroups : 1) * sizeof(*gmap));
	bool ok = smap && gmap, remap = false;
	for (size_t i = 0; ok && i < nids; i++) {
		smap[i] = (tl_str)i;
	}
	for (size_t g = 0; ok && g < c->ngroups; g++) {
		gmap[g] = (uint32_t)g;
	}
	for (size_t i = 0; ok && i < c->nev; i++) {
		const struct chunk_event *e = &c->ev[i];
		if (e->group == UINT32_MAX) {
			const struct newstr *ns = &c->fresh[e->id - c->nknown];
			ok = tl_trace_intern(t, ns->s, ns->len, &smap[e->id], NULL) == TL_OK;
			remap |= smap[e->id] != e->id;
		} else {
			const char *name = tl_trace_str(t, smap[e->id]);
			ok = tl_trace_group(t, name, strlen(name), &gmap[e->group], NULL) == TL_OK;
			remap |= gmap[e->group] != e->group;
		}
	}
	ok = ok && csv_job_counters(r) == TL_OK;
	if (ok && c->samples) {
		ok = merge_tracks(t, c, smap, gmap);
	}
	tl_span *spans = c->samples ? c->aside : c->spans;
	size_t nspans = c->samples ? c->naside : c->n;
	for (size_t i = 0; ok && remap && i < nspans; i++) {
		tl_span *sp = &spans[i];
		sp->group = gmap[sp->group];
		sp->worker = smap[sp->worker];
		sp->label = smap[sp->label];
	}
	for (size_t i = 0; ok && c->samples && i < c->naside; i++) {
		ok = tl_trace_add_span(t, &c->aside[i], NULL) == TL_OK;
	}
	if (!ok) {
		/* The tracks this chunk made go too: the reader going on alone makes its own. */
		tl_trace_rollback(t, &mark);
	}
	free(smap);
	free(gmap);
	return ok;
}

/*
 * The first chunk is read: wait for the others and take their rows in order,
 * up to the first that gave up, where the reader goes on by itself.
 */
static tl_status finish_split(struct csv *r, struct split *s, bool keep) {
	bool go = keep && r->p == s->c[1].p && r->line == s->line0 + (long)s->c[0].lines &&
		  csv_rows_read(r, s->samples) == s->base + s->head_rows &&
		  csv_rows_read(r, !s->samples) == s->other + s->head_other;
	/* The calling thread's own chunk: only after the first, whose rows it follows. */
	if (go && s->c[1].started) {
		fast_rows(&s->c[1]);
	}
	atomic_store(&s->stop, !go || !s->c[1].ok);
	for (size_t i = 2; i < s->n; i++) {
		if (s->c[i].started) {
			pthread_join(s->c[i].tid, NULL);
		}
	}
	tl_status st = TL_OK;
	size_t k = 1;
	for (; go && k < s->n; k++) {
		struct chunk *c = &s->c[k];
		bool open_end = k == s->n - 1 && c->end > c->p && c->end[-1] != '\n';
		if (s->uncounted && c->ok) {
			c->lines = c->n + c->naside - open_end; /* read whole: a row a line */
		}
		size_t want = c->lines + open_end;
		if (!c->ok || !c->started || c->n + c->naside != want || !merge_chunk(r, c)) {
			break;
		}
		s->aside += c->naside;
		r->p = c->end;
		r->line += (long)c->lines;
		r->line_start = c->end;
	}
	if (keep && s->uncounted && (!go || k < s->n)) {
		/* Reading on alone, from a chunk not looked at for NUL bytes. */
		st = csv_check_nul(r, r->p, r->end);
	}
	if (st == TL_OK && go && k > 1 && k < s->n && (!s->samples || s->aside)) {
		/* Reading on alone: spans so far per group, as csv_row() counts them. */
		size_t n;
		const tl_span *sp = tl_trace_spans(r->trace, &n);
		st = csv_job_counters(r);
		for (size_t g = 0; st == TL_OK && g < r->njobctr; g++) {
			r->next_job[g] = 0;
		}
		for (size_t i = 0; st == TL_OK && i < n; i++) {
			r->next_job[sp[i].group]++;
		}
	}
	for (size_t i = 0; i < s->n; i++) {
		chunk_free(&s->c[i]);
	}
	s->n = 1;
	s->running = false;
	return st;
}

tl_status csv_read_rows(struct csv *r, const char *data, bool drop_behind) {
	struct split s = {.n = 1};
	/* The header was looked at for NUL bytes; the rest is as the lines are counted. */
	tl_status st = csv_check_nul(r, r->checked, r->p);
	if (st == TL_OK) {
		const char *nul = NULL;
		size_t rows = plan_split(r, data, drop_behind, tl_trace_is_tracks_only(r->trace),
					 &s, &nul);
		if (nul) {
			s.n = 1;
			return csv_check_nul(r, nul, r->end);
		}
		if (s.uncounted) {
			/* The first chunk, read as ever: looked at here. */
			st = csv_check_nul(r, r->p, s.c[1].p);
		}
		/* Only a hint: a failed reservation leaves growth to doubling. */
		int kind = s.n > 1               ? s.samples
			   : r->col[R_KIND] >= 0 ? line_kind(r, r->p)
						 : !(r->col[R_START] >= 0 || r->back);
		tl_trace_reserve(r->trace, kind == 0 ? rows : 0, kind == 1 ? rows : 0, NULL);
	}
	if (st != TL_OK) {
		return st;
	}
	const char *limit = s.n > 1 ? s.c[1].p : r->end;
	const char *dropped = NULL, *next_drop = data + DROP_EVERY;
	for (;;) {
		if (s.running && r->p >= limit) {
			st = finish_split(r, &s, true);
			limit = r->end;
			if (st != TL_OK) {
				break;
			}
		}
		const char *row_start = r->p;
		if (drop_behind && row_start >= next_drop) {
			csv_drop_pages(data, &dropped, r->line_start);
			next_drop = row_start + DROP_EVERY;
		}
		size_t n;
		int rc = csv_read_record(r, &n);
		if (rc < 0) {
			st = r->err ? r->err->code : TL_ERR_INPUT;
			break;
		}
		if (rc == 0) {
			break;
		}
		st = csv_ensure_scratch(r, row_start);
		if (st == TL_OK) {
			st = csv_row(r, n);
		}
		if (st != TL_OK) {
			tl_error_locate(r->err, st, r->name, r->rec_line, 1);
			break;
		}
		if (s.n > 1 && !s.running) {
			start_split(r, &s);
			limit = s.n > 1 ? s.c[1].p : r->end;
		}
	}
	if (s.running) {
		finish_split(r, &s, false);
	}
	return st;
}
