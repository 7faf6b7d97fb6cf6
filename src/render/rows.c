/*
 * What each panel shows: its rows (jobs, workers, lanes or depths below a
 * worker), each item's row, the rows in the order asked for, and their
 * labels. The image's layout (figure.c) and the text preview (term.c) both
 * take their rows from here, so that they show the same ones.
 */

#include "layout.h"
#include "ticks.h"

#include "../model/lanes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Inputs usually arrive in order already; checking is cheaper than sorting. */
bool fig_sorted(const void *base, size_t n, size_t size,
		int (*cmp)(const void *, const void *, void *), void *ctx) {
	const char *p = base;
	for (size_t i = 1; i < n; i++) {
		if (cmp(p + (i - 1) * size, p + i * size, ctx) > 0) {
			return false;
		}
	}
	return true;
}

/*
 * A span's row: its job, its packed lane, or its worker — and for a worker
 * whose spans overlap (nested events of one thread), its depth below the
 * worker in the high word, so that overlapping spans get rows of their own.
 */
static uint64_t row_key_span(const struct panel *p, const tl_span *s, size_t i) {
	if (p->worker_rows) {
		if (p->by_lane) {
			return p->lane[i];
		}
		return p->sub ? ((uint64_t)p->sub[i] << 32) | s->worker : s->worker;
	}
	return (uint64_t)s->job;
}

struct by_worker {
	tl_str worker;
	size_t index;
};

static int cmp_by_worker(const void *a, const void *b) {
	const struct by_worker *x = a, *y = b;
	if (x->worker != y->worker) {
		return x->worker < y->worker ? -1 : 1;
	}
	return (x->index > y->index) - (x->index < y->index);
}

/* Depth of each span below its worker where the worker's spans overlap. */
static tl_status worker_depths(struct build *b, struct panel *p, const tl_span *sp) {
	size_t m = p->nspans;
	struct by_worker *w = malloc((m ? m : 1) * sizeof(*w));
	tl_ns *st = malloc((m ? m : 1) * sizeof(*st));
	tl_ns *en = malloc((m ? m : 1) * sizeof(*en));
	uint32_t *lane = malloc((m ? m : 1) * sizeof(*lane));
	p->sub = fig_per_span(b, &b->sub_all);
	tl_status rc = TL_OK;
	if (!w || !st || !en || !lane || !p->sub) {
		rc = fig_nomem(b);
		goto out;
	}
	for (size_t k = 0; k < m; k++) {
		size_t i = p->span_ix[k];
		w[k] = (struct by_worker){sp[i].worker, i};
	}
	qsort(w, m, sizeof(*w), cmp_by_worker);
	for (size_t a = 0; a < m;) {
		size_t z = a;
		while (z < m && w[z].worker == w[a].worker) {
			st[z - a] = sp[w[z].index].start;
			en[z - a] = sp[w[z].index].stop;
			z++;
		}
		size_t lanes;
		if (!tl_pack_intervals(st, en, z - a, lane, &lanes)) {
			rc = fig_nomem(b);
			goto out;
		}
		for (size_t q = a; q < z; q++) {
			p->sub[w[q].index] = lane[q - a];
		}
		a = z;
	}
out:
	free(w);
	free(st);
	free(en);
	free(lane);
	return rc;
}

/* Lanes for a group whose spans name no worker: packed from the intervals. */
static tl_status group_lanes(struct build *b, struct panel *p, const tl_span *sp) {
	size_t m = p->nspans;
	tl_ns *st = malloc((m ? m : 1) * sizeof(*st));
	tl_ns *en = malloc((m ? m : 1) * sizeof(*en));
	uint32_t *lane = malloc((m ? m : 1) * sizeof(*lane));
	p->lane = fig_per_span(b, &b->lane_all);
	tl_status rc = TL_OK;
	size_t lanes;
	if (!st || !en || !lane || !p->lane) {
		rc = fig_nomem(b);
		goto out;
	}
	for (size_t k = 0; k < m; k++) {
		st[k] = sp[p->span_ix[k]].start;
		en[k] = sp[p->span_ix[k]].stop;
	}
	if (!tl_pack_intervals(st, en, m, lane, &lanes)) {
		rc = fig_nomem(b);
		goto out;
	}
	for (size_t k = 0; k < m; k++) {
		p->lane[p->span_ix[k]] = lane[k];
	}
out:
	free(st);
	free(en);
	free(lane);
	return rc;
}

static int cmp_row_job(const void *a, const void *b, void *ctx) {
	(void)ctx;
	const struct row_info *x = a, *y = b;
	int64_t jx = (int64_t)x->key, jy = (int64_t)y->key;
	return (jx > jy) - (jx < jy);
}

static int cmp_row_worker(const void *a, const void *b, void *ctx) {
	const struct row_info *x = a, *y = b;
	const tl_trace *t = ctx;
	int c = strverscmp(tl_trace_str(t, (tl_str)(x->key & 0xffffffffu)),
			   tl_trace_str(t, (tl_str)(y->key & 0xffffffffu)));
	return c ? c : (x->key >> 32 > y->key >> 32) - (x->key >> 32 < y->key >> 32);
}

static int cmp_row_lane(const void *a, const void *b, void *ctx) {
	(void)ctx;
	const struct row_info *x = a, *y = b;
	return (x->key > y->key) - (x->key < y->key);
}

/* Rows ordered by the rank stored in first (appearance << 32 | depth). */
static int cmp_row_first(const void *a, const void *b, void *ctx) {
	(void)ctx;
	const struct row_info *x = a, *y = b;
	return (x->first > y->first) - (x->first < y->first);
}

static int cmp_row_start(const void *a, const void *b, void *ctx) {
	const struct row_info *x = a, *y = b;
	if (x->first != y->first) {
		return x->first < y->first ? -1 : 1;
	}
	return cmp_row_job(a, b, ctx);
}

/* A row's duration: its longest span; for samples (no span long), first to last sample. */
static tl_ns row_duration(const struct row_info *r) {
	return r->longest > 0 ? r->longest : r->last - r->first;
}

static int cmp_row_duration(const void *a, const void *b, void *ctx) {
	const struct row_info *x = a, *y = b;
	tl_ns dx = row_duration(x), dy = row_duration(y);
	if (dx != dy) {
		return dx > dy ? -1 : 1;
	}
	return cmp_row_start(a, b, ctx);
}

/*
 * The rows being collected, and the last key's row: items of one row tend
 * to come together. While each new key is above every key before it (jobs
 * in order, a row each), it is new without a look-up and the rows need no
 * map; the first key out of order puts the rows' keys in p->row_of, which
 * then holds every key. A scatter panel keeps its map for its marks, so it
 * maps from the start.
 */
struct collect {
	size_t cap;
	size_t items; /* the panel's spans or samples: the most rows it can have */
	uint64_t last_key;
	uint32_t last_idx;
	bool have_last;
	bool mapped; /* p->row_of holds every row's key */
};

/* The rows so far into p->row_of, with room for up to items rows. */
static bool map_rows(struct panel *p, size_t items) {
	if (!tl_hashmap_reserve(&p->row_of, items > p->nrows ? items : p->nrows)) {
		return false;
	}
	for (size_t r = 0; r < p->nrows; r++) {
		uint32_t v;
		if (!tl_hashmap_get_or_put(&p->row_of, p->rows[r].key, (uint32_t)r, &v, NULL)) {
			return false;
		}
	}
	return true;
}

/* Add (or update) the row for key with one item's times; *ret_row (may be NULL) is its row. */
static tl_status note_row(struct build *b, struct panel *p, struct collect *c, uint64_t key,
			  tl_ns start, tl_ns stop, tl_str label, tl_str worker, uint32_t *ret_row) {
	uint32_t idx;
	bool fresh = false;
	if (c->have_last && key == c->last_key) {
		idx = c->last_idx;
	} else if (!c->mapped && (p->nrows == 0 || key > p->rows[p->nrows - 1].key)) {
		idx = (uint32_t)p->nrows;
		fresh = true;
	} else if ((!c->mapped && !(c->mapped = map_rows(p, c->items))) ||
		   !tl_hashmap_get_or_put(&p->row_of, key, (uint32_t)p->nrows, &idx, &fresh)) {
		return fig_nomem(b);
	}
	c->have_last = true;
	c->last_key = key;
	c->last_idx = idx;
	if (ret_row) {
		*ret_row = idx;
	}
	if (fresh) {
		if (!fig_grow((void **)&p->rows, &c->cap, p->nrows + 1, sizeof(*p->rows))) {
			return fig_nomem(b);
		}
		p->rows[p->nrows++] = (struct row_info){.key = key,
							.first = start,
							.last = stop,
							.longest = stop - start,
							.label = label,
							.worker = worker,
							.made = idx};
		return TL_OK;
	}
	struct row_info *r = &p->rows[idx];
	if (start < r->first) {
		r->first = start;
	}
	if (stop - start > r->longest) {
		r->longest = stop - start;
	}
	r->last = stop > r->last ? stop : r->last;
	if (r->label == TL_STR_NONE) {
		r->label = label;
	}
	return TL_OK;
}

/*
 * The rows of p's samples, keyed by fig_row_key_track(): from its tracks,
 * each noted as its earliest and latest sample, in order of first use,
 * which is the order the samples name them in.
 */
static tl_status sample_rows(struct build *b, struct panel *p, struct collect *c,
			     const struct tl_hashmap *labels) {
	uint32_t label = TL_STR_NONE;
	int64_t last_job = 0;
	for (size_t k = 0; k < p->ntracks; k++) {
		const tl_track *x = &b->tracks[p->track_ix[k]];
		tl_ns lo = x->first, hi = x->last;
		if (!x->samples) {
			continue;
		}
		p->lo = lo < p->lo ? lo : p->lo;
		p->hi = hi > p->hi ? hi : p->hi;
		uint64_t key = fig_row_key_track(p, x);
		if (!p->worker_rows && (label == TL_STR_NONE || x->job != last_job)) {
			label = TL_STR_NONE;
			tl_hashmap_find(labels, (uint64_t)x->job, &label);
		}
		last_job = x->job;
		tl_status st = note_row(b, p, c, key, lo, lo, label, x->worker, NULL);
		if (st == TL_OK && hi != lo) {
			st = note_row(b, p, c, key, hi, hi, label, x->worker, NULL);
		}
		if (st != TL_OK) {
			return st;
		}
	}
	return TL_OK;
}

/* After p->rows moved: the rows their items had, as made, become display rows. */
static tl_status renumber_rows(struct build *b, struct panel *p) {
	if (p->scatter) {
		for (size_t r = 0; r < p->nrows; r++) {
			*tl_hashmap_value(&p->row_of, p->rows[r].key) = (uint32_t)r;
		}
		return TL_OK;
	}
	uint32_t *to = malloc((p->nrows ? p->nrows : 1) * sizeof(*to)); /* as made → shown */
	if (!to) {
		return fig_nomem(b);
	}
	for (size_t r = 0; r < p->nrows; r++) {
		to[p->rows[r].made] = (uint32_t)r;
	}
	for (size_t k = 0; k < p->nspans; k++) {
		p->span_row[k] = to[p->span_row[k]];
	}
	free(to);
	return TL_OK;
}

/* Panel p's spans, samples and tracks: its group's runs of b's indexes. */
static void panel_items(const struct build *b, struct panel *p) {
	p->span_ix = b->span_ix + b->span_off[p->group];
	p->nspans = b->span_off[p->group + 1] - b->span_off[p->group];
	p->sample_ix = b->sample_ix ? b->sample_ix + b->sample_off[p->group] : NULL;
	p->sample_first = b->sample_start ? b->sample_start[p->group] : 0;
	p->track_ix = b->track_ix + b->track_off[p->group];
	p->ntracks = b->track_off[p->group + 1] - b->track_off[p->group];
	p->nsamples = b->sample_off[p->group + 1] - b->sample_off[p->group];
}

/*
 * A Gantt panel's rows, and each span's (p->span_row), as made: with
 * --rows worker its workers (each one's depths where its spans overlap), or
 * when no span names a worker, lanes packed from the intervals.
 */
static tl_status span_rows(struct build *b, struct panel *p, struct collect *c) {
	const tl_span *sp = tl_trace_spans(b->t, &(size_t){0});
	if (p->worker_rows) {
		bool named = false;
		for (size_t k = 0; k < p->nspans && !named; k++) {
			named = sp[p->span_ix[k]].worker != TL_STR_NONE;
		}
		p->by_lane = !named;
		tl_status st = named ? worker_depths(b, p, sp) : group_lanes(b, p, sp);
		if (st != TL_OK) {
			return st;
		}
	}
	/* Each span's row, found once here for every later pass. */
	p->span_row = malloc((p->nspans ? p->nspans : 1) * sizeof(*p->span_row));
	if (!p->span_row) {
		return fig_nomem(b);
	}
	c->items = p->nspans;
	for (size_t k = 0; k < p->nspans; k++) {
		size_t i = p->span_ix[k];
		p->lo = sp[i].start < p->lo ? sp[i].start : p->lo;
		p->hi = sp[i].stop > p->hi ? sp[i].stop : p->hi;
		tl_ns submit = sp[i].start - sp[i].wait;
		p->wait_lo = submit < p->wait_lo ? submit : p->wait_lo;
		tl_status st = note_row(b, p, c, row_key_span(p, &sp[i], i), sp[i].start,
					sp[i].stop, sp[i].label, sp[i].worker, &p->span_row[k]);
		if (st != TL_OK) {
			return st;
		}
	}
	/* Every span has its row: no key is looked up again. */
	tl_hashmap_fini(&p->row_of);
	return TL_OK;
}

/*
 * A scatter panel's rows: its workers with --rows worker when some sample
 * names one, else its jobs, labelled as their job's spans are, if any.
 */
static tl_status scatter_rows(struct build *b, struct panel *p, struct collect *c) {
	struct tl_hashmap labels = {0};
	const tl_span *sp = tl_trace_spans(b->t, &(size_t){0});
	for (size_t k = 0; k < p->nspans; k++) {
		size_t i = p->span_ix[k];
		uint32_t v;
		if (sp[i].label != TL_STR_NONE &&
		    !tl_hashmap_get_or_put(&labels, (uint64_t)sp[i].job, sp[i].label, &v, NULL)) {
			tl_hashmap_fini(&labels);
			return fig_nomem(b);
		}
	}
	bool by_worker = false;
	for (size_t k = 0; p->worker_rows && k < p->ntracks && !by_worker; k++) {
		const tl_track *x = &b->tracks[p->track_ix[k]];
		by_worker = x->samples && x->worker != TL_STR_NONE;
	}
	p->worker_rows = by_worker;
	tl_status st = sample_rows(b, p, c, &labels);
	tl_hashmap_fini(&labels);
	return st;
}

/*
 * p's rows put in display order: workers as strverscmp sorts them (or as
 * the input ordered them), lanes by number, jobs as --sort says; then the
 * key → row map and the spans' rows renumbered if rows moved.
 */
static tl_status sort_rows(struct build *b, struct panel *p) {
	const tl_trace *t = b->t;
	int (*cmp)(const void *, const void *, void *) = cmp_row_job;
	const char *order = tl_trace_meta_get(t, TL_META_ROW_ORDER);
	bool appearance = order && strcmp(order, TL_ROW_ORDER_APPEARANCE) == 0;
	if (p->worker_rows && appearance && !p->by_lane) {
		/* The input ordered its rows (Chrome's thread_sort_index): keep that order. */
		cmp = NULL;
	} else if (p->worker_rows) {
		cmp = p->by_lane ? cmp_row_lane : cmp_row_worker;
	} else if (b->o->sort == TL_SORT_START) {
		cmp = cmp_row_start;
	} else if (b->o->sort == TL_SORT_DURATION) {
		cmp = cmp_row_duration;
	}
	bool moved = false;
	if (cmp && !fig_sorted(p->rows, p->nrows, sizeof(*p->rows), cmp, (void *)t)) {
		qsort_r(p->rows, p->nrows, sizeof(*p->rows), cmp, (void *)t);
		moved = true;
	} else if (!cmp && p->nrows > 1) {
		/* Workers in order of appearance, each one's depths under it. */
		struct tl_hashmap first = {0};
		for (size_t r = 0; r < p->nrows; r++) {
			uint32_t v;
			if (!tl_hashmap_get_or_put(&first, p->rows[r].key & 0xffffffffu,
						   (uint32_t)r, &v, NULL)) {
				tl_hashmap_fini(&first);
				return fig_nomem(b);
			}
			p->rows[r].first = (tl_ns)v << 32 | (tl_ns)(p->rows[r].key >> 32);
		}
		tl_hashmap_fini(&first);
		qsort_r(p->rows, p->nrows, sizeof(*p->rows), cmp_row_first, NULL);
		moved = true;
	}
	if (!moved) {
		/* Rows were made in this order: their numbers say so already. */
		return TL_OK;
	}
	return renumber_rows(b, p);
}

tl_status fig_collect_rows(struct build *b, struct panel *p) {
	struct collect c = {.mapped = p->scatter};
	p->lo = INT64_MAX;
	p->hi = INT64_MIN;
	p->wait_lo = INT64_MAX;
	p->worker_rows = b->o->rows == TL_ROWS_WORKER;
	panel_items(b, p);
	tl_status st = p->scatter ? scatter_rows(b, p, &c) : span_rows(b, p, &c);
	return st == TL_OK ? sort_rows(b, p) : st;
}

void fig_worker_label(const tl_trace *t, tl_str worker, char *buf, size_t size) {
	const char *w = tl_trace_str(t, worker);
	if (!w[0]) {
		snprintf(buf, size, "%s", FIG_WORKER_UNNAMED);
	} else {
		snprintf(buf, size, w[strspn(w, "0123456789")] ? "%s" : "worker %s", w);
	}
}

void fig_row_label(struct build *b, const struct panel *p, const struct row_info *r, char *buf,
		   size_t size) {
	const tl_trace *t = b->t;
	if (p->worker_rows && p->by_lane) {
		snprintf(buf, size, "lane %llu", (unsigned long long)r->key);
	} else if (p->worker_rows && r->key >> 32) {
		buf[0] = '\0'; /* a deeper row of the worker above */
	} else if (p->worker_rows) {
		fig_worker_label(t, (tl_str)r->key, buf, size);
	} else if (r->label != TL_STR_NONE) {
		snprintf(buf, size, "%s", tl_trace_str(t, r->label));
	} else {
		snprintf(buf, size, "job %lld", (long long)(int64_t)r->key);
	}
	fig_visible(buf); /* measured as it will be shown */
}
