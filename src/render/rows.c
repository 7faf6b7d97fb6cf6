/*
 * What each panel shows: its rows (jobs, workers, lanes or depths below a
 * worker), in the order asked for, and their labels.
 */

#include "layout.h"

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
uint64_t fig_row_key_span(const struct panel *p, const tl_span *s, size_t i, tl_rows rows) {
	if (rows == TL_ROWS_WORKER) {
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
	const struct row_info *x = a, *y = b;
	return (x->key > y->key) - (x->key < y->key);
}

/* Rows ordered by the rank stored in first (appearance << 32 | depth). */
static int cmp_row_first(const void *a, const void *b, void *ctx) {
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

static int cmp_row_duration(const void *a, const void *b, void *ctx) {
	const struct row_info *x = a, *y = b;
	if (x->longest != y->longest) {
		return x->longest > y->longest ? -1 : 1;
	}
	return cmp_row_start(a, b, ctx);
}

/* Add (or update) the row for key with one item's times. */
static tl_status note_row(struct build *b, struct panel *p, size_t *cap, uint64_t key, tl_ns start,
			  tl_ns stop, tl_str label, tl_str worker) {
	uint32_t idx;
	bool fresh;
	if (!fig_keymap_get_or_put(&p->row_of, key, (uint32_t)p->nrows, &idx, &fresh)) {
		return fig_nomem(b);
	}
	if (fresh) {
		if (!fig_grow((void **)&p->rows, cap, p->nrows + 1, sizeof(*p->rows))) {
			return fig_nomem(b);
		}
		p->rows[p->nrows++] = (struct row_info){.key = key,
							.first = start,
							.longest = stop - start,
							.label = label,
							.worker = worker};
		return TL_OK;
	}
	struct row_info *r = &p->rows[idx];
	if (start < r->first) {
		r->first = start;
	}
	if (stop - start > r->longest) {
		r->longest = stop - start;
	}
	if (r->label == TL_STR_NONE) {
		r->label = label;
	}
	return TL_OK;
}

tl_status fig_collect_rows(struct build *b, struct panel *p) {
	const tl_trace *t = b->t;
	tl_rows rows = b->o->rows;
	size_t cap = 0, n;
	p->lo = INT64_MAX;
	p->hi = INT64_MIN;
	p->span_ix = b->span_ix + b->span_off[p->group];
	p->nspans = b->span_off[p->group + 1] - b->span_off[p->group];
	p->sample_ix = b->sample_ix + b->sample_off[p->group];
	p->nsamples = b->sample_off[p->group + 1] - b->sample_off[p->group];
	if (!p->scatter) {
		const tl_span *sp = tl_trace_spans(t, &n);
		if (rows == TL_ROWS_WORKER) {
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
		for (size_t k = 0; k < p->nspans; k++) {
			size_t i = p->span_ix[k];
			p->lo = sp[i].start < p->lo ? sp[i].start : p->lo;
			p->hi = sp[i].stop > p->hi ? sp[i].stop : p->hi;
			tl_status st = note_row(b, p, &cap, fig_row_key_span(p, &sp[i], i, rows),
						sp[i].start, sp[i].stop, sp[i].label, sp[i].worker);
			if (st != TL_OK) {
				return st;
			}
		}
	} else {
		const tl_sample *sa = tl_trace_samples(t, &n);
		/* Rows of samples take the label their job's spans carry, if any. */
		struct keymap labels = {0};
		const tl_span *sp = tl_trace_spans(t, &(size_t){0});
		for (size_t k = 0; k < p->nspans; k++) {
			size_t i = p->span_ix[k];
			uint32_t v;
			if (sp[i].label != TL_STR_NONE &&
			    !fig_keymap_get_or_put(&labels, (uint64_t)sp[i].job, sp[i].label, &v,
						   NULL)) {
				fig_keymap_free(&labels);
				return fig_nomem(b);
			}
		}
		bool by_worker = false;
		if (rows == TL_ROWS_WORKER) {
			for (size_t k = 0; k < p->nsamples && !by_worker; k++) {
				by_worker = sa[p->sample_ix[k]].worker != TL_STR_NONE;
			}
		}
		for (size_t k = 0; k < p->nsamples; k++) {
			size_t i = p->sample_ix[k];
			p->lo = sa[i].t < p->lo ? sa[i].t : p->lo;
			p->hi = sa[i].t > p->hi ? sa[i].t : p->hi;
			uint64_t key = by_worker ? sa[i].worker : (uint64_t)sa[i].job;
			uint32_t label = TL_STR_NONE;
			if (!by_worker) {
				fig_keymap_find(&labels, (uint64_t)sa[i].job, &label);
			}
			tl_status st =
				note_row(b, p, &cap, key, sa[i].t, sa[i].t, label, sa[i].worker);
			if (st != TL_OK) {
				fig_keymap_free(&labels);
				return st;
			}
		}
		fig_keymap_free(&labels);
		if (!by_worker && rows == TL_ROWS_WORKER) {
			rows = TL_ROWS_JOB;
		}
	}
	/* Display order, then the key → row map rebuilt for it. */
	int (*cmp)(const void *, const void *, void *) = cmp_row_job;
	const char *order = tl_trace_meta_get(t, "row_order");
	bool appearance = order && strcmp(order, "appearance") == 0;
	if (rows == TL_ROWS_WORKER && appearance && !p->by_lane) {
		/* The input ordered its rows (Chrome's thread_sort_index): keep that order. */
		cmp = NULL;
	} else if (rows == TL_ROWS_WORKER) {
		cmp = p->by_lane ? cmp_row_lane : cmp_row_worker;
	} else if (b->o->sort == TL_SORT_START) {
		cmp = cmp_row_start;
	} else if (b->o->sort == TL_SORT_DURATION) {
		cmp = cmp_row_duration;
	}
	if (cmp && !fig_sorted(p->rows, p->nrows, sizeof(*p->rows), cmp, (void *)t)) {
		qsort_r(p->rows, p->nrows, sizeof(*p->rows), cmp, (void *)t);
	} else if (!cmp && p->nrows > 1) {
		/* Workers in order of appearance, each one's depths under it. */
		struct keymap first = {0};
		for (size_t r = 0; r < p->nrows; r++) {
			uint32_t v;
			if (!fig_keymap_get_or_put(&first, p->rows[r].key & 0xffffffffu,
						   (uint32_t)r, &v, NULL)) {
				fig_keymap_free(&first);
				return fig_nomem(b);
			}
			p->rows[r].first = (tl_ns)v << 32 | (tl_ns)(p->rows[r].key >> 32);
		}
		fig_keymap_free(&first);
		qsort_r(p->rows, p->nrows, sizeof(*p->rows), cmp_row_first, NULL);
	}
	fig_keymap_free(&p->row_of);
	for (size_t r = 0; r < p->nrows; r++) {
		uint32_t v;
		if (!fig_keymap_get_or_put(&p->row_of, p->rows[r].key, (uint32_t)r, &v, NULL)) {
			return fig_nomem(b);
		}
	}
	return TL_OK;
}

void fig_row_label(struct build *b, const struct panel *p, const struct row_info *r, char *buf,
		   size_t size) {
	const tl_trace *t = b->t;
	bool worker_rows =
		b->o->rows == TL_ROWS_WORKER && !(p->scatter && r->worker == TL_STR_NONE);
	if (worker_rows && p->by_lane) {
		snprintf(buf, size, "lane %llu", (unsigned long long)r->key);
	} else if (worker_rows && r->key >> 32) {
		buf[0] = '\0'; /* a deeper row of the worker above */
	} else if (worker_rows) {
		const char *w = tl_trace_str(t, (tl_str)r->key);
		snprintf(buf, size, w[strspn(w, "0123456789")] ? "%s" : "worker %s", w);
	} else if (r->label != TL_STR_NONE) {
		snprintf(buf, size, "%s", tl_trace_str(t, r->label));
	} else {
		snprintf(buf, size, "job %lld", (long long)(int64_t)r->key);
	}
}
