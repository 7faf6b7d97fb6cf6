/*
 * Layout: from a trace and the options to a figure of shapes, lines and text
 * in canvas pixels. Nothing here draws; draw.c walks the result.
 *
 * Cost follows what is visible, not the input size (DESIGN "Large data"):
 * times are mapped to pixels first; bars in the same row that overlap, or
 * that are thinner than a pixel and touch, become one shape; samples are
 * counted per device-pixel column of their row and each run of columns with
 * the same density becomes one shape whose opacity grows with the count. When
 * rows outnumber the plot's pixel rows, each pixel row gathers several rows.
 * So the figure holds at most a few shapes per pixel, and the only work per
 * input row is one pass over the numbers and one sort.
 *
 * Every label is measured before the plot area is sized, so text is never
 * cut by the canvas edge; labels too long for a third of a panel are
 * ellipsized.
 */

#include "figure.h"

#include "ticks.h"

#include "../model/hash.h"
#include "../model/lanes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const double tl_text_points[TL_TEXT_ROLE_COUNT] = {
	[TL_TEXT_TICK] = 9.0,   [TL_TEXT_LABEL] = 10.0, [TL_TEXT_PANEL] = 12.0,
	[TL_TEXT_TITLE] = 14.0, [TL_TEXT_NOTE] = 9.5,
};

/* ---- small containers ---- */

static bool grow(void **arr, size_t *cap, size_t need, size_t elem) {
	if (need <= *cap) {
		return true;
	}
	size_t ncap = *cap ? *cap : 64;
	while (ncap < need) {
		ncap *= 2;
	}
	void *p = realloc(*arr, ncap * elem);
	if (!p) {
		return false;
	}
	*arr = p;
	*cap = ncap;
	return true;
}

/* Open-addressing map from 64-bit keys to 32-bit values. */
struct keymap {
	uint64_t *keys;
	uint32_t *vals;
	bool *used;
	size_t cap, n;
};

static void keymap_free(struct keymap *m) {
	free(m->keys);
	free(m->vals);
	free(m->used);
	memset(m, 0, sizeof(*m));
}

static bool keymap_rehash(struct keymap *m, size_t ncap) {
	struct keymap nm = {.keys = malloc(ncap * sizeof(uint64_t)),
			    .vals = malloc(ncap * sizeof(uint32_t)),
			    .used = calloc(ncap, sizeof(bool)),
			    .cap = ncap};
	if (!nm.keys || !nm.vals || !nm.used) {
		keymap_free(&nm);
		return false;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (m->used[i]) {
			size_t k = tl_mix64(m->keys[i]) & (ncap - 1);
			while (nm.used[k]) {
				k = (k + 1) & (ncap - 1);
			}
			nm.used[k] = true;
			nm.keys[k] = m->keys[i];
			nm.vals[k] = m->vals[i];
			nm.n++;
		}
	}
	keymap_free(m);
	*m = nm;
	return true;
}

/* The value of key; when absent, insert val. *ret_new says which. */
static bool keymap_get_or_put(struct keymap *m, uint64_t key, uint32_t val, uint32_t *ret,
			      bool *ret_new) {
	if ((m->n + 1) * 2 > m->cap && !keymap_rehash(m, m->cap ? m->cap * 2 : 64)) {
		return false;
	}
	size_t k = tl_mix64(key) & (m->cap - 1);
	while (m->used[k]) {
		if (m->keys[k] == key) {
			*ret = m->vals[k];
			if (ret_new) {
				*ret_new = false;
			}
			return true;
		}
		k = (k + 1) & (m->cap - 1);
	}
	m->used[k] = true;
	m->keys[k] = key;
	m->vals[k] = val;
	m->n++;
	*ret = val;
	if (ret_new) {
		*ret_new = true;
	}
	return true;
}

static bool keymap_find(const struct keymap *m, uint64_t key, uint32_t *ret) {
	if (!m->cap) {
		return false;
	}
	size_t k = tl_mix64(key) & (m->cap - 1);
	while (m->used[k]) {
		if (m->keys[k] == key) {
			*ret = m->vals[k];
			return true;
		}
		k = (k + 1) & (m->cap - 1);
	}
	return false;
}

/* ---- figure building blocks ---- */

static bool add_shape(struct tl_figure *f, struct tl_shape s) {
	if (f->nshapes == f->capshapes &&
	    !grow((void **)&f->shapes, &f->capshapes, f->nshapes + 1, sizeof(s))) {
		return false;
	}
	f->shapes[f->nshapes++] = s;
	return true;
}

static bool add_line(struct tl_figure *f, double x0, double y0, double x1, double y1,
		     enum tl_line_kind kind) {
	if (f->nlines == f->caplines &&
	    !grow((void **)&f->lines, &f->caplines, f->nlines + 1, sizeof(*f->lines))) {
		return false;
	}
	f->lines[f->nlines++] =
		(struct tl_line){(float)x0, (float)y0, (float)x1, (float)y1, (uint8_t)kind};
	return true;
}

static bool add_text(struct tl_figure *f, double x, double y, const char *text,
		     enum tl_text_role role, enum tl_align align, double max_w, bool vertical,
		     bool muted) {
	if (f->ntexts == f->captexts &&
	    !grow((void **)&f->texts, &f->captexts, f->ntexts + 1, sizeof(*f->texts))) {
		return false;
	}
	char *copy = strdup(text);
	if (!copy) {
		return false;
	}
	f->texts[f->ntexts++] = (struct tl_text_item){
		.x = x,
		.y = y,
		.text = copy,
		.max_w = max_w,
		.px = tl_text_points[role] * f->px_per_pt,
		.role = (uint8_t)role,
		.align = (uint8_t)align,
		.vertical = vertical,
		.muted = muted,
	};
	return true;
}

void tl_figure_free(struct tl_figure *f) {
	if (!f) {
		return;
	}
	for (size_t i = 0; i < f->ntexts; i++) {
		free(f->texts[i].text);
	}
	free(f->texts);
	free(f->shapes);
	free(f->lines);
	free(f->panels);
	free(f);
}

/* ---- what each panel shows ---- */

/* The group of the panel drawn for a trace that has none. */
#define NO_GROUP UINT32_MAX

struct row_info {
	uint64_t key;  /* job number, worker string id or lane */
	tl_ns first;   /* earliest start or sample */
	tl_ns longest; /* longest span */
	tl_str label;  /* first non-empty label */
	tl_str worker; /* for worker rows: the worker */
};

struct panel {
	uint32_t group; /* NO_GROUP for the one panel of a trace with no groups */
	bool scatter;
	bool runtimes;         /* a benchmark's run times: an axis of its own, from 0 */
	bool empty;            /* no spans or samples: a box that says no job completed */
	bool by_lane;          /* worker rows packed from intervals */
	uint32_t *lane;        /* per span of the trace, when by_lane (build's, shared) */
	uint32_t *sub;         /* per span: depth below its named worker (shared) */
	const size_t *span_ix; /* indexes of this group's spans, in trace order */
	size_t nspans;
	const size_t *sample_ix; /* and of its samples */
	size_t nsamples;
	tl_ns lo, hi;          /* data extent */
	tl_ns first;           /* the group's first start or sample, spans and samples alike */
	struct row_info *rows; /* in display order, top first */
	size_t nrows;
	struct keymap row_of; /* key → display row */
	tl_ns wall;
	struct tl_rectf cell, plot;
	tl_ns axis_lo, axis_hi;
	struct tl_ticks ticks;
	bool first_col;
	double label_w; /* room for row labels */
};

struct build {
	const tl_trace *t;
	const tl_render_opts *o;
	tl_measure_fn measure;
	void *ctx;
	struct tl_figure *fig;
	struct tl_error *err;
	struct panel *panels;
	bool pool_origin; /* times start at each group's pool creation: show start-up */
	bool bench;       /* a benchmark (TL_META_BENCHMARK): samples are run times */
	tl_repeat *rep;   /* repeated runs: a panel per mode, its median run */
	size_t nrep;
	size_t npanels;
	struct keymap color_of; /* colour key → palette index */
	uint32_t ncolors;
	struct legend_item {
		char *label;
		uint16_t color;
		uint8_t style;
	} * legend;
	size_t nlegend, caplegend;
	bool any_failed;
	bool any_open; /* some span is unfinished */
	double u;      /* layout unit: one pixel at 100 dpi */
	/*
	 * Per span of the trace, for every panel at once: a panel writes only
	 * its group's spans, so one array each serves all groups instead of one
	 * per panel (256 groups of a million spans would take a gigabyte).
	 */
	uint32_t *lane_all, *sub_all;
	/* Spans and samples listed by group: a panel walks its own, not the trace. */
	size_t *span_ix, *span_off, *sample_ix, *sample_off;
};

/*
 * The n items (each stride bytes, group at *group0 for the first) listed by
 * group in trace order, a counting sort: group g's are ix[off[g]..off[g+1]).
 */
static bool index_by_group(const uint32_t *group0, size_t stride, size_t n, size_t ng,
			   size_t **ret_ix, size_t **ret_off) {
	size_t *off = calloc(ng + 2, sizeof(*off));
	size_t *ix = malloc((n ? n : 1) * sizeof(*ix));
	if (!off || !ix) {
		free(off);
		free(ix);
		return false;
	}
	const char *g0 = (const char *)group0;
	for (size_t i = 0; i < n; i++) {
		off[*(const uint32_t *)(g0 + i * stride) + 2]++;
	}
	for (size_t g = 0; g < ng; g++) {
		off[g + 2] += off[g + 1];
	}
	/* off[g + 1] is where group g's next item goes; afterwards, where it ends. */
	for (size_t i = 0; i < n; i++) {
		ix[off[*(const uint32_t *)(g0 + i * stride) + 1]++] = i;
	}
	*ret_ix = ix;
	*ret_off = off;
	return true;
}

static tl_status index_groups(struct build *b) {
	size_t ng = tl_trace_group_count(b->t), n, m;
	const tl_span *sp = tl_trace_spans(b->t, &n);
	const tl_sample *sa = tl_trace_samples(b->t, &m);
	static const uint32_t none = 0;
	if (!index_by_group(n ? &sp[0].group : &none, sizeof(*sp), n, ng, &b->span_ix,
			    &b->span_off) ||
	    !index_by_group(m ? &sa[0].group : &none, sizeof(*sa), m, ng, &b->sample_ix,
			    &b->sample_off)) {
		return tl_error_set(b->err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	return TL_OK;
}

/* The shared per-span array *arr, zeroed on first use. */
static uint32_t *per_span(struct build *b, uint32_t **arr) {
	if (!*arr) {
		size_t n;
		tl_trace_spans(b->t, &n);
		*arr = calloc(n ? n : 1, sizeof(**arr));
	}
	return *arr;
}

static tl_status nomem(struct build *b) {
	return tl_error_set(b->err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

static void measure(struct build *b, const char *text, enum tl_text_role role, double *w,
		    double *h) {
	b->measure(b->ctx, text, role, tl_text_points[role] * b->fig->px_per_pt, w, h);
}

static double text_h(struct build *b, enum tl_text_role role) {
	double w, h;
	measure(b, "Ag", role, &w, &h);
	return h;
}

/* Inputs usually arrive in order already; checking is cheaper than sorting. */
static bool sorted(const void *base, size_t n, size_t size,
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
static uint64_t row_key_span(const struct panel *p, const tl_span *s, size_t i, tl_rows rows) {
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
	p->sub = per_span(b, &b->sub_all);
	tl_status rc = TL_OK;
	if (!w || !st || !en || !lane || !p->sub) {
		rc = nomem(b);
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
			rc = nomem(b);
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
	p->lane = per_span(b, &b->lane_all);
	tl_status rc = TL_OK;
	size_t lanes;
	if (!st || !en || !lane || !p->lane) {
		rc = nomem(b);
		goto out;
	}
	for (size_t k = 0; k < m; k++) {
		st[k] = sp[p->span_ix[k]].start;
		en[k] = sp[p->span_ix[k]].stop;
	}
	if (!tl_pack_intervals(st, en, m, lane, &lanes)) {
		rc = nomem(b);
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
	if (!keymap_get_or_put(&p->row_of, key, (uint32_t)p->nrows, &idx, &fresh)) {
		return nomem(b);
	}
	if (fresh) {
		if (!grow((void **)&p->rows, cap, p->nrows + 1, sizeof(*p->rows))) {
			return nomem(b);
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

static tl_status collect_rows(struct build *b, struct panel *p) {
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
			tl_status st = note_row(b, p, &cap, row_key_span(p, &sp[i], i, rows),
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
			    !keymap_get_or_put(&labels, (uint64_t)sp[i].job, sp[i].label, &v,
					       NULL)) {
				keymap_free(&labels);
				return nomem(b);
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
				keymap_find(&labels, (uint64_t)sa[i].job, &label);
			}
			tl_status st =
				note_row(b, p, &cap, key, sa[i].t, sa[i].t, label, sa[i].worker);
			if (st != TL_OK) {
				keymap_free(&labels);
				return st;
			}
		}
		keymap_free(&labels);
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
	if (cmp && !sorted(p->rows, p->nrows, sizeof(*p->rows), cmp, (void *)t)) {
		qsort_r(p->rows, p->nrows, sizeof(*p->rows), cmp, (void *)t);
	} else if (!cmp && p->nrows > 1) {
		/* Workers in order of appearance, each one's depths under it. */
		struct keymap first = {0};
		for (size_t r = 0; r < p->nrows; r++) {
			uint32_t v;
			if (!keymap_get_or_put(&first, p->rows[r].key & 0xffffffffu, (uint32_t)r,
					       &v, NULL)) {
				keymap_free(&first);
				return nomem(b);
			}
			p->rows[r].first = (tl_ns)v << 32 | (tl_ns)(p->rows[r].key >> 32);
		}
		keymap_free(&first);
		qsort_r(p->rows, p->nrows, sizeof(*p->rows), cmp_row_first, NULL);
	}
	keymap_free(&p->row_of);
	for (size_t r = 0; r < p->nrows; r++) {
		uint32_t v;
		if (!keymap_get_or_put(&p->row_of, p->rows[r].key, (uint32_t)r, &v, NULL)) {
			return nomem(b);
		}
	}
	return TL_OK;
}

static void row_label(struct build *b, const struct panel *p, const struct row_info *r, char *buf,
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

/* ---- colours and the legend ---- */

static tl_status legend_add(struct build *b, const char *label, unsigned color, uint8_t style) {
	if (!grow((void **)&b->legend, &b->caplegend, b->nlegend + 1, sizeof(*b->legend))) {
		return nomem(b);
	}
	char *copy = strdup(label);
	if (!copy) {
		return nomem(b);
	}
	b->legend[b->nlegend++] =
		(struct legend_item){.label = copy, .color = (uint16_t)color, .style = style};
	return TL_OK;
}

/* Palette index for an item; new keys get the next colour and a legend entry. */
static tl_status color_for(struct build *b, const struct panel *p, uint64_t key_in,
			   const char *(*name)(struct build *, const struct panel *, uint64_t,
					       char *, size_t),
			   uint32_t *ret) {
	uint32_t c;
	bool fresh;
	if (!keymap_get_or_put(&b->color_of, key_in, b->ncolors, &c, &fresh)) {
		return nomem(b);
	}
	if (fresh) {
		b->ncolors++;
		if (name) {
			char buf[256];
			tl_status st = legend_add(b, name(b, p, key_in, buf, sizeof(buf)), c,
						  TL_SHAPE_SWATCH);
			if (st != TL_OK) {
				return st;
			}
		}
	}
	*ret = c;
	return TL_OK;
}

static const char *worker_name(struct build *b, const struct panel *p, uint64_t key, char *buf,
			       size_t size) {
	(void)p;
	if (key >> 32) {
		snprintf(buf, size, "lane %u", (unsigned)(key & 0xffffffffu));
	} else if (key == TL_STR_NONE) {
		snprintf(buf, size, "no worker");
	} else {
		/* Numbers read as "worker 3"; names (threads, hosts) as themselves. */
		const char *w = tl_trace_str(b->t, (tl_str)key);
		snprintf(buf, size, w[strspn(w, "0123456789")] ? "%s" : "worker %s", w);
	}
	return buf;
}

static const char *group_name(struct build *b, const struct panel *p, uint64_t key, char *buf,
			      size_t size) {
	(void)p;
	const char *g = tl_trace_group_name(b->t, (uint32_t)key);
	snprintf(buf, size, "%s", g[0] ? g : "(unnamed)");
	return buf;
}

static tl_status item_color(struct build *b, const struct panel *p, tl_str worker, uint32_t lane,
			    int64_t job, int32_t status, uint32_t *ret) {
	switch (b->o->color_by) {
	case TL_COLOR_WORKER:
		if (!p->by_lane && worker == TL_STR_NONE) {
			/* No worker to show: jobs get the colours, their rows say which. */
			return color_for(b, p, (2ULL << 32) | (uint32_t)job, NULL, ret);
		}
		/* Lanes are keyed apart from worker ids by the high word. */
		return color_for(b, p, p->by_lane ? (1ULL << 32) | lane : worker, worker_name, ret);
	case TL_COLOR_JOB:
		return color_for(b, p, (uint64_t)job, NULL, ret);
	case TL_COLOR_GROUP:
		return color_for(b, p, p->group, group_name, ret);
	case TL_COLOR_STATUS:
		*ret = tl_status_failed(status) ? 5 : 0;
		return TL_OK;
	default:
		*ret = 0;
		return TL_OK;
	}
}

/* ---- geometry ---- */

struct bar {
	uint32_t slot;
	uint16_t color;
	uint8_t style; /* TL_SHAPE_BAR, TL_SHAPE_FAILED or TL_SHAPE_OPEN */
	double x0, x1;
};

/* Bars are sorted by style as 0, 1, 2: plain, failed, open. */
static size_t style_rank(uint8_t style) {
	return style == TL_SHAPE_FAILED ? 1 : style == TL_SHAPE_OPEN ? 2 : 0;
}

static int cmp_bar(const void *a, const void *b) {
	const struct bar *x = a, *y = b;
	if (x->slot != y->slot) {
		return x->slot < y->slot ? -1 : 1;
	}
	if (x->style != y->style) {
		return style_rank(x->style) < style_rank(y->style) ? -1 : 1;
	}
	if (x->color != y->color) {
		return x->color < y->color ? -1 : 1;
	}
	return (x->x0 > y->x0) - (x->x0 < y->x0);
}

static int cmp_bar_x(const void *a, const void *b, void *ctx) {
	(void)ctx;
	const struct bar *x = a, *y = b;
	return (x->x0 > y->x0) - (x->x0 < y->x0);
}

/*
 * Order bars by (slot, style, colour, x0). A counting sort on the first
 * three, which are small integers, then x0 within each bucket, where spans
 * usually arrive in start order already: linear for the common case where a
 * general sort of a million bars took a third of the render.
 */
static tl_status sort_bars(struct bar **bars, size_t n, size_t slots) {
	size_t ncolors = 1;
	for (size_t i = 0; i < n; i++) {
		if ((size_t)(*bars)[i].color + 1 > ncolors) {
			ncolors = (size_t)(*bars)[i].color + 1;
		}
	}
	size_t nb = slots * 3 * ncolors;
	if (n < 2) {
		return TL_OK;
	}
	if (nb > 4 * n + 1024) {
		qsort(*bars, n, sizeof(**bars), cmp_bar);
		return TL_OK;
	}
	size_t *start = calloc(nb + 1, sizeof(*start));
	struct bar *out = malloc(n * sizeof(*out));
	if (!start || !out) {
		free(start);
		free(out);
		return TL_ERR_NOMEM;
	}
	struct bar *in = *bars;
#define BUCKET(b) (((size_t)(b).slot * 3 + style_rank((b).style)) * ncolors + (b).color)
	for (size_t i = 0; i < n; i++) {
		start[BUCKET(in[i]) + 1]++;
	}
	for (size_t k = 0; k < nb; k++) {
		start[k + 1] += start[k];
	}
	for (size_t i = 0; i < n; i++) {
		out[start[BUCKET(in[i])]++] = in[i];
	}
#undef BUCKET
	/* start[k] is now the end of bucket k. */
	size_t from = 0;
	for (size_t k = 0; k < nb; k++) {
		size_t len = start[k] - from;
		if (len > 1 && !sorted(out + from, len, sizeof(*out), cmp_bar_x, NULL)) {
			qsort_r(out + from, len, sizeof(*out), cmp_bar_x, NULL);
		}
		from = start[k];
	}
	free(start);
	free(in);
	*bars = out;
	return TL_OK;
}

static double time_x(const struct panel *p, tl_ns t) {
	return p->plot.x + (double)(t - p->axis_lo) * p->plot.w / (double)(p->axis_hi - p->axis_lo);
}

/* Where a row is drawn: its slot (row, or pixel row when rows are many) and box. */
struct slots {
	bool binned;  /* slot = pixel row */
	size_t count; /* slots */
	double h;     /* pixels per slot */
};

static struct slots slots_for(const struct panel *p) {
	double ph = floor(p->plot.h);
	if (p->nrows == 0) {
		return (struct slots){false, 0, p->plot.h};
	}
	if ((double)p->nrows <= ph) {
		return (struct slots){false, p->nrows, p->plot.h / (double)p->nrows};
	}
	return (struct slots){true, (size_t)ph, p->plot.h / ph};
}

static uint32_t slot_of(const struct panel *p, const struct slots *s, uint32_t row) {
	if (!s->binned) {
		return row;
	}
	return (uint32_t)((uint64_t)row * s->count / p->nrows);
}

static tl_status gantt_shapes(struct build *b, struct panel *p) {
	size_t n;
	const tl_span *sp = tl_trace_spans(b->t, &n);
	struct slots sl = slots_for(p);
	struct bar *bars = NULL;
	size_t nb = 0, cap = 0;
	double min_w = 1.0 / b->o->scale; /* one device pixel */
	tl_status st = TL_OK;
	for (size_t k = 0; k < p->nspans; k++) {
		size_t i = p->span_ix[k];
		const tl_span *s = &sp[i];
		if (s->stop < p->axis_lo || s->start > p->axis_hi) {
			continue;
		}
		uint32_t row;
		if (!keymap_find(&p->row_of, row_key_span(p, s, i, b->o->rows), &row)) {
			continue;
		}
		uint32_t color;
		st = item_color(b, p, s->worker, p->lane ? p->lane[i] : 0, s->job, s->status,
				&color);
		if (st != TL_OK) {
			goto out;
		}
		double x0 = time_x(p, s->start < p->axis_lo ? p->axis_lo : s->start);
		double x1 = time_x(p, s->stop > p->axis_hi ? p->axis_hi : s->stop);
		if (x1 - x0 < min_w) {
			x1 = x0 + min_w;
		}
		if (!grow((void **)&bars, &cap, nb + 1, sizeof(*bars))) {
			st = nomem(b);
			goto out;
		}
		bool open = s->status == TL_STATUS_UNFINISHED;
		bool failed = tl_status_failed(s->status);
		b->any_failed |= failed;
		b->any_open |= open;
		uint8_t style = open ? TL_SHAPE_OPEN : failed ? TL_SHAPE_FAILED : TL_SHAPE_BAR;
		bars[nb++] = (struct bar){slot_of(p, &sl, row), (uint16_t)color, style, x0, x1};
	}
	st = sort_bars(&bars, nb, sl.count);
	if (st != TL_OK) {
		st = nomem(b);
		goto out;
	}
	/* Bars of one slot and colour that overlap, or touch while thinner than a pixel, merge. */
	double pad = sl.binned ? 0 : (sl.h >= 6 ? sl.h * 0.12 : 0);
	for (size_t i = 0; i < nb;) {
		struct bar cur = bars[i++];
		bool thin = cur.x1 - cur.x0 < 1.0;
		while (i < nb && bars[i].slot == cur.slot && bars[i].color == cur.color &&
		       bars[i].style == cur.style && cur.style != TL_SHAPE_OPEN &&
		       (bars[i].x0 < cur.x1 ||
			((thin || bars[i].x1 - bars[i].x0 < 1.0) && bars[i].x0 - cur.x1 < 0.5))) {
			if (bars[i].x1 > cur.x1) {
				cur.x1 = bars[i].x1;
			}
			thin = bars[i].x1 - bars[i].x0 < 1.0;
			i++;
		}
		double y = p->plot.y + cur.slot * sl.h + pad;
		/* Jobs back to back in one lane stay apart by a hairline gap. */
		double gap = cur.x1 - cur.x0 >= 4 * b->u ? b->u : 0;
		struct tl_shape shape = {(float)cur.x0,
					 (float)y,
					 (float)(cur.x1 - cur.x0 - gap),
					 (float)(sl.h - 2 * pad),
					 cur.color,
					 255,
					 cur.style};
		if (!add_shape(b->fig, shape)) {
			st = nomem(b);
			goto out;
		}
	}
out:
	free(bars);
	return st;
}

/* The height of a row's marks: centred in the row; a benchmark's few rows get taller ones. */
static double mark_height(const struct build *b, const struct panel *p, const struct slots *sl) {
	return sl->binned ? sl->h
			  : fmin(fmax(sl->h * 0.45, 2.0), (p->runtimes ? 16.0 : 10.0) * b->u);
}

static tl_status scatter_shapes(struct build *b, struct panel *p) {
	size_t n;
	const tl_sample *sa = tl_trace_samples(b->t, &n);
	struct slots sl = slots_for(p);
	double dev = b->o->scale; /* device pixels per canvas pixel */
	size_t cols = (size_t)ceil(p->plot.w * dev);
	if (cols == 0) {
		cols = 1;
	}
	if (sl.count > SIZE_MAX / cols / 8) {
		return nomem(b);
	}
	uint32_t *count = calloc(sl.count * cols, sizeof(*count));
	uint16_t *color = calloc(sl.count * cols, sizeof(*color));
	tl_status st = TL_OK;
	if (!count || !color) {
		st = nomem(b);
		goto out;
	}
	bool by_worker = b->o->rows == TL_ROWS_WORKER;
	double scale = (double)cols / (double)(p->axis_hi - p->axis_lo);
	uint32_t cmax = 0;
	/* One pass over the samples; the previous sample's row and colour are reused. */
	uint64_t last_key = UINT64_MAX;
	tl_str last_worker = UINT32_MAX;
	uint32_t row = 0, c = 0;
	bool have_row = false;
	for (size_t q = 0; q < p->nsamples; q++) {
		const tl_sample *s = &sa[p->sample_ix[q]];
		if (s->t < p->axis_lo || s->t > p->axis_hi) {
			continue;
		}
		uint64_t key = by_worker && s->worker != TL_STR_NONE ? s->worker : (uint64_t)s->job;
		if (key != last_key || s->worker != last_worker) {
			have_row = keymap_find(&p->row_of, key, &row);
			st = item_color(b, p, s->worker, 0, s->job, 0, &c);
			if (st != TL_OK) {
				goto out;
			}
			last_key = key;
			last_worker = s->worker;
		}
		if (!have_row) {
			continue;
		}
		size_t col = (size_t)((double)(s->t - p->axis_lo) * scale);
		if (col >= cols) {
			col = cols - 1;
		}
		size_t k = (size_t)slot_of(p, &sl, row) * cols + col;
		if (++count[k] > cmax) {
			cmax = count[k];
		}
		color[k] = (uint16_t)c;
	}
	/*
	 * Opacity from the count on a log scale, in 16 steps so that runs of
	 * similar density merge: one sample is faint, the densest column solid.
	 */
	double lmax = log1p((double)cmax);
	double mh = mark_height(b, p, &sl);
	for (size_t r = 0; r < sl.count; r++) {
		double y = p->plot.y + (double)r * sl.h + (sl.h - mh) / 2;
		for (size_t x = 0; x < cols;) {
			uint32_t v = count[r * cols + x];
			if (!v) {
				x++;
				continue;
			}
			int level = cmax <= 1 ? 15 : (int)lround(15.0 * log1p((double)v) / lmax);
			uint16_t cc = color[r * cols + x];
			size_t x1 = x + 1;
			while (x1 < cols && count[r * cols + x1] && color[r * cols + x1] == cc &&
			       (cmax <= 1 ? 15
					  : (int)lround(15.0 * log1p((double)count[r * cols + x1]) /
							lmax)) == level) {
				x1++;
			}
			uint8_t alpha = (uint8_t)lround(255.0 * (0.22 + 0.78 * level / 15.0));
			/* A mark is at least two pixels wide, centred on its column(s). */
			double mx = p->plot.x + (double)x / dev, mw = (double)(x1 - x) / dev;
			if (mw < 2.0) {
				mx -= (2.0 - mw) / 2;
				mw = 2.0;
			}
			struct tl_shape shape = {(float)mx, (float)y, (float)mw,    (float)mh,
						 cc,        alpha,    TL_SHAPE_MARK};
			if (!add_shape(b->fig, shape)) {
				st = nomem(b);
				goto out;
			}
			x = x1;
		}
	}
out:
	free(count);
	free(color);
	return st;
}

/*
 * A benchmark's run-time panel: on each command's row, under its marks, a
 * bar from mean - σ to mean + σ with a tick at the mean (σ undefined for one
 * run: the tick alone). Rows thinner than their marks get none.
 */
static tl_status bench_whiskers(struct build *b, struct panel *p) {
	struct slots sl = slots_for(p);
	if (sl.binned || sl.h < 12 * b->u) {
		return TL_OK;
	}
	tl_bench_stats *cmd;
	size_t n;
	tl_status st = tl_trace_bench(b->t, &cmd, &n, b->err);
	if (st != TL_OK) {
		return st;
	}
	double mh = mark_height(b, p, &sl);
	for (size_t i = 0; i < n && st == TL_OK; i++) {
		uint32_t row;
		if (cmd[i].group != p->group ||
		    !keymap_find(&p->row_of, (uint64_t)cmd[i].job, &row)) {
			continue;
		}
		double y = p->plot.y + ((double)row + 0.5) * sl.h + mh / 2 + 4 * b->u;
		double xm = time_x(p, cmd[i].mean), cap = 2.5 * b->u;
		bool ok = add_line(b->fig, xm, y - cap - 1.5 * b->u, xm, y + cap + 1.5 * b->u,
				   TL_LINE_AXIS);
		if (ok && cmd[i].stddev > 0) {
			double x0 = time_x(p, cmd[i].mean - cmd[i].stddev);
			double x1 = time_x(p, cmd[i].mean + cmd[i].stddev);
			x0 = fmax(x0, p->plot.x);
			x1 = fmin(x1, p->plot.x + p->plot.w);
			ok = add_line(b->fig, x0, y, x1, y, TL_LINE_AXIS) &&
			     add_line(b->fig, x0, y - cap, x0, y + cap, TL_LINE_AXIS) &&
			     add_line(b->fig, x1, y - cap, x1, y + cap, TL_LINE_AXIS);
		}
		st = ok ? TL_OK : nomem(b);
	}
	free(cmd);
	return st;
}

/* ---- layout ---- */

static tl_status choose_ticks(struct build *b, struct panel *p) {
	/* Start generous, then thin out until the widest label fits its share. */
	int max = (int)(p->plot.w / (50 * b->u)) + 1;
	for (;;) {
		tl_ticks_compute(p->axis_lo, p->axis_hi, max, &p->ticks);
		double widest = 0;
		for (int i = 0; i < p->ticks.count; i++) {
			char buf[64], lb[64];
			tl_ticks_label(&p->ticks, p->ticks.first + i * p->ticks.step, buf,
				       sizeof(buf));
			snprintf(lb, sizeof(lb), "%s", buf);
			double w, h;
			measure(b, lb, TL_TEXT_TICK, &w, &h);
			widest = w > widest ? w : widest;
		}
		double room = p->ticks.count > 1 ? p->plot.w * (double)p->ticks.step /
							   (double)(p->axis_hi - p->axis_lo)
						 : p->plot.w;
		if (widest + 12 * b->u <= room || max <= 2) {
			return TL_OK;
		}
		/* Fewer ticks each round, so this ends. */
		max = p->ticks.count - 1 < max - 1 ? p->ticks.count - 1 : max - 1;
	}
}

/*
 * A note wider than max_w is cut in two at a " · ": note keeps the longest
 * head that fits (or the first part), rest gets the tail. false when it fits.
 */
static bool split_note(struct build *b, char *note, double max_w, char *rest, size_t size) {
	double w, h;
	measure(b, note, TL_TEXT_NOTE, &w, &h);
	if (w <= max_w) {
		return false;
	}
	static const char sep[] = " \xc2\xb7 ";
	char *cut = NULL;
	for (char *p = strstr(note, sep); p; p = strstr(p + 1, sep)) {
		char keep = *p;
		*p = '\0';
		measure(b, note, TL_TEXT_NOTE, &w, &h);
		*p = keep;
		if (cut && w > max_w) {
			break;
		}
		cut = p;
	}
	if (!cut) {
		return false; /* one piece: ellipsized where drawn */
	}
	snprintf(rest, size, "%s", cut + strlen(sep));
	*cut = '\0';
	return true;
}

/* The repeated mode group g is a run of, or NULL. */
static const tl_repeat *repeat_of(const struct build *b, uint32_t g) {
	for (size_t i = 0; i < b->nrep; i++) {
		for (uint32_t k = 0; k < b->rep[i].runs; k++) {
			if (b->rep[i].groups[k] == g) {
				return &b->rep[i];
			}
		}
	}
	return NULL;
}

/* What a panel is called: its group's name, or for a repeated run its mode's. */
static const char *panel_name(const struct build *b, uint32_t g) {
	const tl_repeat *r = repeat_of(b, g);
	return r ? r->name : tl_trace_group_name(b->t, g);
}

/* With repeats, only each mode's median run gets a panel. */
static tl_status find_repeats(struct build *b) {
	if (!tl_trace_meta_get(b->t, "repeat")) {
		return TL_OK;
	}
	tl_group_stats *st;
	tl_status rc = tl_trace_stats(b->t, &st, b->err);
	if (rc == TL_OK) {
		rc = tl_trace_repeats(b->t, st, &b->rep, &b->nrep, b->err);
		free(st);
	}
	return rc;
}

/*
 * A pool's start-up, where the trace's times start at each pool's creation
 * (timeline run's): a light band from time 0 to the first start, behind the
 * data, so that a pool that started late shows why.
 */
static bool startup_band(struct build *b, const struct panel *p) {
	tl_ns x0 = p->axis_lo > 0 ? p->axis_lo : 0,
	      x1 = p->first < p->axis_hi ? p->first : p->axis_hi;
	if (x1 <= x0) {
		return true;
	}
	double l = time_x(p, x0), r = time_x(p, x1);
	struct tl_shape band = {(float)l, (float)p->plot.y, (float)(r - l), (float)p->plot.h, 0,
				48,       TL_SHAPE_BAND};
	return add_shape(b->fig, band);
}

static tl_status panel_annotation(struct build *b, const struct panel *p, const struct panel *ref,
				  char *buf, size_t size) {
	if (p->runtimes) {
		/* What bench_whiskers() draws over the marks. */
		snprintf(buf, size, "each run a mark \xc2\xb7 mean \xc2\xb1 \xcf\x83 per command");
		return TL_OK;
	} else if (b->bench) {
		/* Nothing ran at once: no wall time, no speedup. */
		snprintf(buf, size, "each command's runs back to back");
		return TL_OK;
	}
	char wall[160];
	tl_format_duration(p->wall, wall, sizeof(wall));
	const tl_repeat *r = repeat_of(b, p->group);
	if (r) {
		/* How far the other runs were: "(24.7–25.8)", the unit said once. */
		char lo[32], hi[32];
		tl_format_duration(r->wall_min, lo, sizeof(lo));
		tl_format_duration(r->wall_max, hi, sizeof(hi));
		const char *ul = strrchr(lo, ' '), *uh = strrchr(hi, ' ');
		size_t n = strlen(wall);
		if (ul && uh && strcmp(ul, uh) == 0) {
			snprintf(wall + n, sizeof(wall) - n, " (%.*s\xe2\x80\x93%s)",
				 (int)(ul - lo), lo, hi);
		} else {
			snprintf(wall + n, sizeof(wall) - n, " (%s\xe2\x80\x93%s)", lo, hi);
		}
	}
	if (b->pool_origin && p->first > 0 && p->first >= p->wall / 200) {
		/* Said with the wall time it is not part of. */
		char up[32];
		tl_format_duration(p->first, up, sizeof(up));
		size_t n = strlen(wall);
		snprintf(wall + n, sizeof(wall) - n, " (+ start-up %s)", up);
	}
	bool several = false;
	for (size_t i = 0; i < b->npanels; i++) {
		several |= !b->panels[i].empty && b->panels[i].group != p->group;
	}
	if (!several || !ref || ref->wall <= 0) {
		/* No other panel, or no speedup against a wall time of zero. */
		snprintf(buf, size, "wall %s", wall);
	} else if (ref->group == p->group) {
		snprintf(buf, size, "wall %s \xc2\xb7 reference", wall);
	} else {
		tl_ns rw = ref->wall, w = p->wall;
		const char *rn = panel_name(b, ref->group);
		if (w > 0 && rw > 0) {
			snprintf(buf, size, "wall %s \xc2\xb7 %.2f\xc3\x97 vs %s", wall,
				 (double)rw / (double)w, rn[0] ? rn : "(unnamed)");
		} else {
			snprintf(buf, size, "wall %s", wall);
		}
	}
	return TL_OK;
}

static tl_status build(struct build *b) {
	const tl_render_opts *o = b->o;
	const tl_trace *t = b->t;
	struct tl_figure *fig = b->fig;
	size_t nspans, nsamples;
	tl_trace_spans(t, &nspans);
	tl_trace_samples(t, &nsamples);
	char stopped_text[256];
	bool stopped = tl_trace_interrupted(t, stopped_text, sizeof(stopped_text));
	bool gantt = o->kind == TL_KIND_GANTT || (o->kind == TL_KIND_AUTO && nspans > 0);
	bool scatter = o->kind == TL_KIND_SCATTER || (o->kind == TL_KIND_AUTO && nsamples > 0);
	/*
	 * A run interrupted before any job completed is an answer, not a
	 * mistake: its chart says so, a panel per group. An input that is
	 * simply empty has nothing to draw.
	 */
	bool stopped_empty = stopped && nspans == 0 && nsamples == 0;
	if (stopped_empty) {
		gantt = true;
		scatter = false;
	} else if (!gantt && !scatter) {
		return tl_error_set(b->err, TL_ERR_INPUT, NULL, 0, 0,
				    "nothing to draw: the input has no spans or samples");
	} else if (gantt && nspans == 0) {
		return tl_error_set(b->err, TL_ERR_INPUT, NULL, 0, 0,
				    "nothing to draw: the input has no spans for a Gantt chart");
	} else if (scatter && nsamples == 0) {
		return tl_error_set(
			b->err, TL_ERR_INPUT, NULL, 0, 0,
			"nothing to draw: the input has no samples for a scatter chart");
	}
	const char *origin = tl_trace_meta_get(t, "origin");
	b->pool_origin = origin && strcmp(origin, TL_ORIGIN_POOL) == 0;
	b->bench = tl_trace_meta_get(t, TL_META_BENCHMARK) != NULL;
	size_t ng = tl_trace_group_count(t);
	tl_status ist = index_groups(b);
	if (ist == TL_OK) {
		ist = find_repeats(b);
	}
	if (ist != TL_OK) {
		return ist;
	}
	/* Repeated runs take a panel per mode, not per run. */
	if ((b->nrep ? b->nrep : ng) > TL_RENDER_MAX_GROUPS) {
		return tl_error_set(b->err, TL_ERR_INPUT, NULL, 0, 0,
				    "%zu groups, a panel each: more than the %d a chart can show",
				    ng, TL_RENDER_MAX_GROUPS);
	}
	b->panels = calloc(2 * ng + 1, sizeof(*b->panels));
	if (!b->panels) {
		return nomem(b);
	}
	/*
	 * Gantt panels first, scatter panels below them. Groups without data of
	 * the kind are left out, except in an interrupted run, where a group
	 * with no data at all gets a panel (in the first row) that says so.
	 */
	for (int kind = 0; kind < 2; kind++) {
		if ((kind == 0 && !gantt) || (kind == 1 && !scatter)) {
			continue;
		}
		bool first_row = kind == 0 || !gantt;
		size_t count = b->nrep ? b->nrep : ng;
		for (uint32_t i = 0; i < count; i++) {
			/* Repeats: each mode's median run, in the modes' order. */
			uint32_t g = b->nrep ? b->rep[i].median_group : i;
			struct panel *p = &b->panels[b->npanels];
			*p = (struct panel){.group = g,
					    .scatter = kind == 1,
					    .runtimes = kind == 1 && b->bench};
			tl_status st = collect_rows(b, p);
			if (st != TL_OK) {
				return st;
			}
			if (p->nrows == 0) {
				free(p->rows);
				keymap_free(&p->row_of);
				bool no_data = b->span_off[g + 1] == b->span_off[g] &&
					       b->sample_off[g + 1] == b->sample_off[g];
				if (!(stopped && no_data && first_row)) {
					continue;
				}
				*p = (struct panel){.group = g,
						    .scatter = kind == 1,
						    .runtimes = kind == 1 && b->bench,
						    .empty = true};
			}
			b->npanels++;
		}
	}
	if (b->npanels == 0 && stopped_empty) {
		/* Interrupted before any group began: one panel, named by nothing. */
		b->panels[0] = (struct panel){.group = NO_GROUP, .empty = true};
		b->npanels = 1;
	}
	if (b->npanels == 0) {
		return tl_error_set(b->err, TL_ERR_INPUT, NULL, 0, 0,
				    "nothing to draw: the input has no spans or samples");
	}
	tl_status st = TL_OK;

	/*
	 * The time range: shared by every panel unless asked otherwise. A
	 * benchmark's run times are durations, not times: their panels share a
	 * range of their own, from 0 to the longest run.
	 */
	tl_ns lo = INT64_MAX, hi = INT64_MIN, run_hi = 0;
	bool any_data = false;
	for (size_t i = 0; i < b->npanels; i++) {
		if (b->panels[i].empty) {
			continue;
		} else if (b->panels[i].runtimes) {
			run_hi = b->panels[i].hi > run_hi ? b->panels[i].hi : run_hi;
			continue;
		}
		any_data = true;
		lo = b->panels[i].lo < lo ? b->panels[i].lo : lo;
		hi = b->panels[i].hi > hi ? b->panels[i].hi : hi;
	}
	if (!any_data) {
		lo = 0;
		hi = 1000000000;
	}
	for (size_t i = 0; i < b->npanels; i++) {
		struct panel *p = &b->panels[i];
		bool own = o->free_x && !p->empty;
		tl_ns plo = own ? p->lo : lo, phi = own ? p->hi : hi;
		if (p->runtimes) {
			/* From no time at all to the longest run, and a little room. */
			plo = 0;
			phi = own ? p->hi : run_hi;
			phi = phi > 0 ? phi + phi / 50 + (phi < 50) : 1000000;
		} else if (o->has_xlim) {
			plo = o->xlim_lo;
			phi = o->xlim_hi;
		} else if (phi <= plo) {
			/*
			 * Everything at one instant (one sample, one span of no
			 * duration): centre it, with 5% of its distance from zero
			 * either side, or a second at zero, so that it is not hidden
			 * under the axis at the left edge.
			 */
			tl_ns d = plo != 0 ? (plo < 0 ? -plo : plo) / 20 + 1 : 1000000000;
			plo -= d;
			phi += d;
		} else {
			/* Runs start at zero (always, when zero is the pool's creation);
			 * a little room after the last stop. */
			if (plo > 0 && (b->pool_origin || plo <= (phi - plo) / 4)) {
				plo = 0;
			}
			tl_ns span = phi - plo;
			phi = phi + span / 50 + (span < 50);
		}
		p->axis_lo = plo;
		p->axis_hi = phi;
		/* Wall time as stats defines it: last stop (or sample) - first start. */
		p->wall = p->empty ? 0 : p->hi - p->lo;
		/* A group's Gantt and scatter panels show one start-up: the first of both. */
		p->first = p->lo;
		const tl_span *sp = tl_trace_spans(t, &(size_t){0});
		const tl_sample *sa = tl_trace_samples(t, &(size_t){0});
		for (size_t k = 0; b->pool_origin && !p->empty && k < p->nspans; k++) {
			tl_ns v = sp[p->span_ix[k]].start;
			p->first = v < p->first ? v : p->first;
		}
		for (size_t k = 0; b->pool_origin && !p->empty && k < p->nsamples; k++) {
			tl_ns v = sa[p->sample_ix[k]].t;
			p->first = v < p->first ? v : p->first;
		}
	}

	/* Speedups are against the library's reference group, when it is drawn. */
	const struct panel *ref = NULL;
	uint32_t ref_group;
	if (tl_trace_reference(t, o->baseline, &ref_group)) {
		/* With repeats, the panel of the reference's mode (its median run). */
		const char *want = panel_name(b, ref_group);
		for (size_t i = 0; i < b->npanels && !ref; i++) {
			ref = !b->panels[i].empty && b->panels[i].group != NO_GROUP &&
					      strcmp(panel_name(b, b->panels[i].group), want) == 0
				      ? &b->panels[i]
				      : NULL;
		}
	}

	double u = b->u, W = fig->width, H = fig->height;
	double margin = 14 * u;
	double y = margin;
	const char *title = o->title ? o->title : tl_trace_meta_get(t, "title");
	double w, h;
	if (title && title[0]) {
		measure(b, title, TL_TEXT_TITLE, &w, &h);
		if (!add_text(fig, W / 2, y, title, TL_TEXT_TITLE, TL_ALIGN_CENTER, W - 2 * margin,
			      false, false)) {
			goto nomem;
		}
		y += h + 6 * u;
	}
	if (stopped) {
		/* Under the title, so that nobody reads a partial run as a whole one. */
		measure(b, stopped_text, TL_TEXT_LABEL, &w, &h);
		if (!add_text(fig, W / 2, y, stopped_text, TL_TEXT_LABEL, TL_ALIGN_CENTER,
			      W - 2 * margin, false, false)) {
			goto nomem;
		}
		y += h + 6 * u;
	}

	/* Gantt and scatter panels both present: one row of each, stacked. */
	size_t ngantt = 0;
	for (size_t i = 0; i < b->npanels; i++) {
		ngantt += !b->panels[i].scatter;
	}
	size_t widest = ngantt > b->npanels - ngantt ? ngantt : b->npanels - ngantt;
	size_t cols = o->cols > 0 ? (size_t)o->cols : widest;
	if (cols > b->npanels) {
		cols = b->npanels;
	}
	size_t grid_rows = (b->npanels + cols - 1) / cols;

	double legend_y = y;
	double legend_h = text_h(b, TL_TEXT_TICK);
	/* Colours are handed out while shapes are made: reserve the legend's row now
	 * and fill it in at the end. */
	/* With a row per worker, the row labels already say which worker a colour is. */
	bool want_legend =
		any_data && ((o->color_by == TL_COLOR_WORKER && o->rows != TL_ROWS_WORKER) ||
			     o->color_by == TL_COLOR_GROUP || o->color_by == TL_COLOR_STATUS);
	size_t legend_lines = 0;
	if (want_legend) {
		legend_lines = 1;
		y += legend_h + 8 * u;
	}

	double tick_h = text_h(b, TL_TEXT_TICK), label_h = text_h(b, TL_TEXT_LABEL);
	double panel_h = text_h(b, TL_TEXT_PANEL), note_h = text_h(b, TL_TEXT_NOTE);
	double cell_w = (W - 2 * margin) / (double)cols;
	double row_gap = 16 * u;
	double cell_h = (H - y - margin - row_gap * (double)(grid_rows - 1)) / (double)grid_rows;
	const char *xlabel_fixed = o->xlabel;
	const char *ylabel = o->ylabel                   ? o->ylabel
			     : o->rows == TL_ROWS_WORKER ? "Workers"
			     : b->bench                  ? "Commands"
							 : "Tasks";
	/* A panel's note takes a second line when it does not fit one: then every
	 * panel's plot starts a line lower, so that the plots stay aligned. */
	int note_lines = 1;
relayout:
	for (size_t i = 0; i < b->npanels; i++) {
		struct panel *p = &b->panels[i];
		size_t gc = i % cols, gr = i / cols;
		p->first_col = gc == 0;
		p->cell = (struct tl_rectf){margin + (double)gc * cell_w,
					    y + (double)gr * (cell_h + row_gap), cell_w, cell_h};
		/* Row labels: the widest shown one, capped at a third of the cell. */
		double row_h_guess = (cell_h - panel_h - note_h - tick_h - label_h - 30 * u) /
				     (double)(p->nrows ? p->nrows : 1);
		size_t every = 1;
		if (row_h_guess < tick_h * 1.15) {
			every = (size_t)ceil(tick_h * 1.15 / fmax(row_h_guess, 1e-9));
		}
		double label_w = 0;
		for (size_t r = 0; r < p->nrows; r += every) {
			char buf[512];
			row_label(b, p, &p->rows[r], buf, sizeof(buf));
			measure(b, buf, TL_TEXT_TICK, &w, &h);
			label_w = w > label_w ? w : label_w;
		}
		double label_cap = cell_w / 3;
		if (label_w > label_cap) {
			label_w = label_cap;
		}
		double left = label_w + 8 * u + (p->first_col ? label_h + 8 * u : 0);
		/* Half the widest tick label may stick out right of the plot. */
		double right = 24 * u;
		double top = panel_h + 2 * u + note_h * note_lines + 8 * u;
		double bottom = 6 * u + tick_h + 4 * u + label_h + 4 * u;
		p->plot = (struct tl_rectf){p->cell.x + left, p->cell.y + top,
					    cell_w - left - right - (gc + 1 < cols ? 16 * u : 0),
					    cell_h - top - bottom};
		if (p->plot.w < 20 || p->plot.h < 10) {
			return tl_error_set(
				b->err, TL_ERR_USAGE, NULL, 0, 0,
				"the canvas is too small for the labels: the plot area "
				"would be %.0f\xc3\x97%.0f px; give a larger --width or "
				"--height",
				fmax(p->plot.w, 0), fmax(p->plot.h, 0));
		}
		p->label_w = label_w;
	}
	for (size_t i = 0; i < b->npanels && note_lines == 1; i++) {
		char note[320], rest[320];
		panel_annotation(b, &b->panels[i], ref, note, sizeof(note));
		if (split_note(b, note, b->panels[i].plot.w + 24 * u, rest, sizeof(rest))) {
			note_lines = 2;
			goto relayout;
		}
	}
	/*
	 * One shared axis gets one set of ticks, chosen for the narrowest panel;
	 * a benchmark's run times are another axis, with ticks of their own.
	 */
	if (!o->free_x && b->npanels > 0) {
		for (int runtimes = 0; runtimes < 2; runtimes++) {
			struct panel *narrow = NULL;
			for (size_t i = 0; i < b->npanels; i++) {
				struct panel *p = &b->panels[i];
				if (p->runtimes == runtimes &&
				    (!narrow || p->plot.w < narrow->plot.w)) {
					narrow = p;
				}
			}
			st = narrow ? choose_ticks(b, narrow) : TL_OK;
			if (st != TL_OK) {
				goto fail;
			}
			for (size_t i = 0; narrow && i < b->npanels; i++) {
				if (b->panels[i].runtimes == runtimes) {
					b->panels[i].ticks = narrow->ticks;
				}
			}
		}
	} else {
		for (size_t i = 0; i < b->npanels; i++) {
			st = choose_ticks(b, &b->panels[i]);
			if (st != TL_OK) {
				goto fail;
			}
		}
	}
	for (size_t i = 0; i < b->npanels; i++) {
		struct panel *p = &b->panels[i];
		double label_w = p->label_w, right = 24 * u;
		/* An empty panel keeps the shared time axis; with no data anywhere, it has none. */
		bool timed = !p->empty || any_data;
		/* Grid, then bars or marks, then axes: draw order is the figure's order. */
		for (int k = 0; timed && k < p->ticks.count; k++) {
			tl_ns v = p->ticks.first + k * p->ticks.step;
			double x = time_x(p, v);
			if (!add_line(fig, x, p->plot.y, x, p->plot.y + p->plot.h, TL_LINE_GRID) ||
			    !add_line(fig, x, p->plot.y + p->plot.h, x,
				      p->plot.y + p->plot.h + 4 * u, TL_LINE_TICK)) {
				goto nomem;
			}
			char buf[64];
			tl_ticks_label(&p->ticks, v, buf, sizeof(buf));
			if (!add_text(fig, x, p->plot.y + p->plot.h + 6 * u, buf, TL_TEXT_TICK,
				      TL_ALIGN_CENTER, 0, false, true)) {
				goto nomem;
			}
		}
		if (!p->empty && b->pool_origin && !startup_band(b, p)) {
			goto nomem;
		}
		st = p->empty ? TL_OK : p->scatter ? scatter_shapes(b, p) : gantt_shapes(b, p);
		if (st == TL_OK && !p->empty && p->runtimes) {
			st = bench_whiskers(b, p);
		}
		if (st != TL_OK) {
			goto fail;
		}
		if (!add_line(fig, p->plot.x, p->plot.y + p->plot.h, p->plot.x + p->plot.w,
			      p->plot.y + p->plot.h, TL_LINE_AXIS) ||
		    !add_line(fig, p->plot.x, p->plot.y, p->plot.x, p->plot.y + p->plot.h,
			      TL_LINE_AXIS)) {
			goto nomem;
		}
		/* Row labels, thinned so that they never overlap. */
		struct slots sl = slots_for(p);
		double row_h = p->nrows ? p->plot.h / (double)p->nrows : 0;
		/* No rows (a panel that says no job completed): no labels to thin. */
		size_t every = row_h <= 0 || row_h >= tick_h * 1.15
				       ? 1
				       : (size_t)ceil(tick_h * 1.15 / row_h);
		for (size_t r = 0; r < p->nrows; r += every) {
			char buf[512];
			row_label(b, p, &p->rows[r], buf, sizeof(buf));
			double cy = sl.binned ? p->plot.y + ((double)r + 0.5) * row_h
					      : p->plot.y + ((double)r + 0.5) * sl.h;
			if (!add_text(fig, p->plot.x - 6 * u, cy - tick_h / 2, buf, TL_TEXT_TICK,
				      TL_ALIGN_RIGHT, label_w, false, false)) {
				goto nomem;
			}
		}
		/* Panel title and its wall time / speedup; an empty panel says why it is. */
		const char *gname = p->group == NO_GROUP ? "" : panel_name(b, p->group);
		const tl_repeat *r = p->group == NO_GROUP ? NULL : repeat_of(b, p->group);
		char runs[256];
		if (r) {
			/* Say which run stands for the mode. */
			snprintf(runs, sizeof(runs), "%s \xc2\xb7 run %u of %u, the median", gname,
				 r->median_run, r->runs);
			gname = runs;
		}
		char run_title[300];
		if (p->runtimes) {
			snprintf(run_title, sizeof(run_title), "%s%srun times", gname,
				 gname[0] ? " " : "");
			gname = run_title;
		}
		const char *ptitle = gname[0]               ? gname
				     : p->group == NO_GROUP ? ""
				     : p->scatter           ? "samples"
							    : "spans";
		char note[320], rest[320];
		panel_annotation(b, p, ref, note, sizeof(note));
		bool two = split_note(b, note, p->plot.w + right, rest, sizeof(rest));
		double cx = p->plot.x + p->plot.w / 2;
		if (two && !p->empty &&
		    !add_text(fig, cx, p->cell.y + panel_h + 2 * u + note_h, rest, TL_TEXT_NOTE,
			      TL_ALIGN_CENTER, p->plot.w + right, false, true)) {
			goto nomem;
		}
		if ((ptitle[0] && !add_text(fig, cx, p->cell.y, ptitle, TL_TEXT_PANEL,
					    TL_ALIGN_CENTER, p->plot.w + right, false, false)) ||
		    (!p->empty &&
		     !add_text(fig, cx, p->cell.y + panel_h + 2 * u, note, TL_TEXT_NOTE,
			       TL_ALIGN_CENTER, p->plot.w + right, false, true)) ||
		    (p->empty &&
		     !add_text(fig, cx, p->plot.y + (p->plot.h - label_h) / 2, TL_NO_JOB_TEXT,
			       TL_TEXT_LABEL, TL_ALIGN_CENTER, p->plot.w, false, true))) {
			goto nomem;
		}
		char run_label[64];
		snprintf(run_label, sizeof(run_label), "Run time (%s)",
			 tl_time_unit_symbol(p->ticks.unit));
		const char *xlabel = p->runtimes    ? run_label
				     : xlabel_fixed ? xlabel_fixed
						    : tl_time_unit_title(p->ticks.unit);
		if (timed &&
		    !add_text(fig, cx, p->plot.y + p->plot.h + 6 * u + tick_h + 4 * u, xlabel,
			      TL_TEXT_LABEL, TL_ALIGN_CENTER, p->plot.w, false, false)) {
			goto nomem;
		}
		if (p->first_col &&
		    !add_text(fig, p->cell.x + label_h / 2, p->plot.y + p->plot.h / 2, ylabel,
			      TL_TEXT_LABEL, TL_ALIGN_CENTER, p->plot.h, true, false)) {
			goto nomem;
		}
		fig->panels[fig->npanels++] = (struct tl_panel_geom){.plot = p->plot,
								     .lo = p->axis_lo,
								     .hi = p->axis_hi,
								     .rows = p->nrows,
								     .row_h = row_h};
	}

	/* The legend, centred on its row: colours as they were handed out, then failure. */
	if (o->color_by == TL_COLOR_STATUS) {
		if (legend_add(b, "ok", 0, TL_SHAPE_SWATCH) != TL_OK) {
			goto nomem;
		}
	}
	if (b->any_failed) {
		if (legend_add(b, "failed", o->color_by == TL_COLOR_STATUS ? 5 : 0,
			       TL_SHAPE_FAILED) != TL_OK) {
			goto nomem;
		}
	}
	if (b->any_open && legend_add(b, "unfinished", 0, TL_SHAPE_OPEN) != TL_OK) {
		goto nomem;
	}
	if (legend_lines && b->nlegend > 0) {
		double sw = legend_h * 0.8, gap = 18 * u, total = 0;
		size_t shown = 0;
		char more[64] = "";
		for (size_t i = 0; i < b->nlegend; i++) {
			measure(b, b->legend[i].label, TL_TEXT_TICK, &w, &h);
			double item = sw + 5 * u + w + (i ? gap : 0);
			if (total + item > W - 2 * margin - 80 * u) {
				snprintf(more, sizeof(more), "+%zu more", b->nlegend - i);
				break;
			}
			total += item;
			shown++;
		}
		if (more[0]) {
			measure(b, more, TL_TEXT_TICK, &w, &h);
			total += gap + w;
		}
		double x = (W - total) / 2;
		for (size_t i = 0; i < shown; i++) {
			struct legend_item *it = &b->legend[i];
			if (i) {
				x += gap;
			}
			struct tl_shape swatch = {
				(float)x,  (float)(legend_y + (legend_h - sw) / 2),
				(float)sw, (float)sw,
				it->color, 255,
				it->style};
			if (!add_shape(fig, swatch)) {
				goto nomem;
			}
			x += sw + 5 * u;
			measure(b, it->label, TL_TEXT_TICK, &w, &h);
			if (!add_text(fig, x, legend_y, it->label, TL_TEXT_TICK, TL_ALIGN_LEFT, 0,
				      false, false)) {
				goto nomem;
			}
			x += w;
		}
		if (more[0] && !add_text(fig, x + gap, legend_y, more, TL_TEXT_TICK, TL_ALIGN_LEFT,
					 0, false, true)) {
			goto nomem;
		}
	}
	return TL_OK;
nomem:
	st = nomem(b);
fail:
	return st;
}

tl_status tl_figure_build(const tl_trace *trace, const tl_render_opts *opts, tl_measure_fn fn,
			  void *ctx, struct tl_figure **ret_fig, struct tl_error *err) {
	/* Layout divides by these; tl_render_file checks their ranges before. */
	if (opts->width <= 0 || opts->height <= 0 || !(opts->dpi > 0) || !(opts->scale > 0)) {
		return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0,
				    "width, height, dpi and scale must be positive");
	}
	struct tl_figure *fig = calloc(1, sizeof(*fig));
	if (!fig) {
		return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	fig->width = opts->width;
	fig->height = opts->height;
	fig->px_per_pt = opts->dpi / 72.0;
	fig->theme = opts->theme;
	struct build b = {.t = trace,
			  .o = opts,
			  .measure = fn,
			  .ctx = ctx,
			  .fig = fig,
			  .err = err,
			  .u = opts->dpi / 100.0};
	fig->panels = calloc(2 * tl_trace_group_count(trace) + 1, sizeof(*fig->panels));
	tl_status st = fig->panels ? build(&b) : nomem(&b);
	for (size_t i = 0; i < b.npanels; i++) {
		free(b.panels[i].rows);
		keymap_free(&b.panels[i].row_of);
	}
	free(b.panels);
	tl_repeats_free(b.rep, b.nrep);
	free(b.lane_all);
	free(b.sub_all);
	free(b.span_ix);
	free(b.span_off);
	free(b.sample_ix);
	free(b.sample_off);
	keymap_free(&b.color_of);
	for (size_t i = 0; i < b.nlegend; i++) {
		free(b.legend[i].label);
	}
	free(b.legend);
	if (st != TL_OK) {
		tl_figure_free(fig);
		return st;
	}
	*ret_fig = fig;
	return TL_OK;
}
