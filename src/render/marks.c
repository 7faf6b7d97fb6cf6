/*
 * Marks: colours and the legend's entries, bars merged per pixel, samples
 * binned per pixel column, a benchmark's whiskers.
 */

#include "layout.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A bar style of this file only: a queue wait, drawn as a grey wash (WAIT_ALPHA of 255). */
#define STYLE_WAIT 200
#define WAIT_ALPHA 90

/* ---- colours and the legend ---- */

tl_status fig_legend_add(struct build *b, const char *label, unsigned color, uint8_t style) {
	if (!fig_grow((void **)&b->legend, &b->caplegend, b->nlegend + 1, sizeof(*b->legend))) {
		return fig_nomem(b);
	}
	char *copy = strdup(label);
	if (!copy) {
		return fig_nomem(b);
	}
	b->legend[b->nlegend++] =
		(struct legend_item){.label = copy, .color = (uint16_t)color, .style = style};
	return TL_OK;
}

/*
 * What a colour stands for, in the high word of its key: a named worker (the
 * low word its string), a lane packed from intervals, a group asked for by
 * --color-by group, spans that name no worker (one colour for them all, in
 * every group), a job. Kinds sort in this order; the first three are named in the
 * legend.
 */
enum key_kind { KEY_WORKER = 0, KEY_LANE, KEY_GROUP, KEY_UNNAMED, KEY_JOB, KEY_NONE };

/* The colour key of an item and its kind; KEY_NONE when colours do not depend on items. */
static enum key_kind color_key(const struct build *b, const struct panel *p, tl_str worker,
			       uint32_t lane, int64_t job, uint64_t *ret) {
	switch (b->o->color_by) {
	case TL_COLOR_WORKER:
		if (p->by_lane) {
			*ret = (uint64_t)KEY_LANE << 32 | lane;
			return KEY_LANE;
		}
		if (worker == TL_STR_NONE) {
			/*
			 * No worker to show: a colour per job would read as
			 * workers, and one per group would ask what it means.
			 */
			*ret = (uint64_t)KEY_UNNAMED << 32;
			return KEY_UNNAMED;
		}
		*ret = worker;
		return KEY_WORKER;
	case TL_COLOR_JOB:
		/* Jobs are the only kind of a chart coloured by job: the whole key is theirs. */
		*ret = (uint64_t)job;
		return KEY_JOB;
	case TL_COLOR_GROUP:
		*ret = (uint64_t)KEY_GROUP << 32 | p->group;
		return KEY_GROUP;
	default:
		return KEY_NONE;
	}
}

int fig_fail_kind(int32_t status) {
	switch (status) {
	case TL_STATUS_TIMEOUT:
		return FAIL_TIMEOUT;
	case TL_STATUS_CANCELLED:
		return FAIL_CANCELLED;
	case TL_STATUS_OUT_OF_MEMORY:
		return FAIL_OOM;
	case TL_STATUS_NODE_FAIL:
		return FAIL_NODE;
	case TL_STATUS_PREEMPTED:
		return FAIL_PREEMPTED;
	default:
		return FAIL_EXIT;
	}
}

/* What the legend must show of a span's status: failed (and how), unfinished. */
static void note_status(struct build *b, int32_t status) {
	if (tl_status_failed(status)) {
		b->any_failed = true;
		b->failed_kinds |= (uint8_t)(1u << fig_fail_kind(status));
	}
	b->any_open |= status == TL_STATUS_UNFINISHED;
}

static enum key_kind kind_of(const struct build *b, uint64_t key) {
	return b->o->color_by == TL_COLOR_JOB ? KEY_JOB : (enum key_kind)(key >> 32);
}

static void key_name(const struct build *b, uint64_t key, char *buf, size_t size) {
	uint32_t low = (uint32_t)key;
	switch (kind_of(b, key)) {
	case KEY_LANE:
		snprintf(buf, size, "lane %" PRIu32, low);
		break;
	case KEY_GROUP: {
		snprintf(buf, size, "%s", tl_trace_group_label(b->t, low));
		break;
	}
	case KEY_WORKER: {
		/* Numbers read as "worker 3"; names (threads, hosts) as themselves. */
		const char *w = tl_trace_str(b->t, (tl_str)low);
		snprintf(buf, size, w[strspn(w, "0123456789")] ? "%s" : "worker %s", w);
		break;
	}
	default:
		buf[0] = '\0';
	}
}

/* Natural order: kinds apart; workers as strverscmp sorts them (2 before 10); the rest by number.
 */
static int cmp_key(const void *x, const void *y, void *ctx) {
	const struct build *b = ctx;
	uint64_t a = *(const uint64_t *)x, c = *(const uint64_t *)y;
	enum key_kind ka = kind_of(b, a), kc = kind_of(b, c);
	if (ka != kc) {
		return ka < kc ? -1 : 1;
	}
	if (ka == KEY_JOB) {
		return ((int64_t)a > (int64_t)c) - ((int64_t)a < (int64_t)c);
	}
	if (ka == KEY_WORKER) {
		int r = strverscmp(tl_trace_str(b->t, (tl_str)a), tl_trace_str(b->t, (tl_str)c));
		if (r) {
			return r;
		}
	}
	return (a > c) - (a < c);
}

/* Note key (and whether it is new) in seen and keys. */
static bool collect_key(struct tl_hashmap *seen, uint64_t **keys, size_t *n, size_t *cap,
			uint64_t key) {
	uint32_t v;
	bool fresh;
	if (!tl_hashmap_get_or_put(seen, key, 0, &v, &fresh)) {
		return false;
	}
	if (fresh) {
		if (!fig_grow((void **)keys, cap, *n + 1, sizeof(**keys))) {
			return false;
		}
		(*keys)[(*n)++] = key;
	}
	return true;
}

/* The colour keys of a panel's drawn spans or samples (those in its time range, on a row). */
static bool panel_keys(struct build *b, const struct panel *p, struct tl_hashmap *seen,
		       uint64_t **keys, size_t *n, size_t *cap) {
	uint64_t key = 0, last = UINT64_MAX;
	if (!p->scatter) {
		const tl_span *sp = tl_trace_spans(b->t, &(size_t){0});
		for (size_t k = 0; k < p->nspans; k++) {
			size_t i = p->span_ix[k];
			const tl_span *s = &sp[i];
			if (s->stop < p->axis_lo || s->start > p->axis_hi) {
				continue; /* every span has a row (p->span_row) */
			}
			note_status(b, s->status);
			b->any_wait |= b->o->show_wait && s->wait > 0 && s->start > p->axis_lo;
			if (color_key(b, p, s->worker, p->lane ? p->lane[i] : 0, s->job, &key) !=
				    KEY_NONE &&
			    key != last && !collect_key(seen, keys, n, cap, key)) {
				return false;
			}
			last = key;
		}
		return true;
	}
	/*
	 * Samples: a track's key once, at its first sample in the time range.
	 * When the range holds them all, that is each track's in order of first use.
	 */
	bool all = p->lo >= p->axis_lo && p->hi <= p->axis_hi;
	uint32_t last_track = UINT32_MAX;
	for (size_t q = 0; q < (all ? p->ntracks : p->nsamples); q++) {
		size_t i = all ? 0 : fig_sample_ix(p, q);
		uint32_t id = all ? (uint32_t)p->track_ix[q] : b->strack[i], row;
		if (all ? !b->tracks[id].samples
			: id == last_track || b->stime[i] < p->axis_lo ||
				    b->stime[i] > p->axis_hi) {
			continue;
		}
		last_track = id;
		const tl_track *s = &b->tracks[id];
		if (!tl_hashmap_find(&p->row_of, fig_row_key_track(s, b->o->rows), &row)) {
			continue;
		}
		if (color_key(b, p, s->worker, 0, s->job, &key) != KEY_NONE && key != last &&
		    !collect_key(seen, keys, n, cap, key)) {
			return false;
		}
		last = key;
	}
	return true;
}

/*
 * Hand out the colours, once, before any mark is made: every colour key the
 * chart draws, in natural order, gets the next palette entry and, when it
 * names something, a legend entry. More keys than the palette has would
 * repeat colours, which then say nothing: all take the first colour, and the
 * legend says so ("40 workers: one colour (more than 20)").
 */
static tl_status assign_colors(struct build *b) {
	if (b->colors_ready) {
		return TL_OK;
	}
	struct tl_hashmap seen = {0};
	uint64_t *keys = NULL;
	size_t n = 0, cap = 0;
	tl_status st = TL_OK;
	for (size_t i = 0; i < b->npanels; i++) {
		if (!b->panels[i].empty && !panel_keys(b, &b->panels[i], &seen, &keys, &n, &cap)) {
			st = fig_nomem(b);
			goto out;
		}
	}
	if (n > 1 && !fig_sorted(keys, n, sizeof(*keys), cmp_key, b)) {
		qsort_r(keys, n, sizeof(*keys), cmp_key, b);
	}
	bool one = n > TL_PALETTE_SIZE;
	size_t named[KEY_NONE] = {0};
	for (size_t i = 0; i < n; i++) {
		uint32_t v;
		if (!tl_hashmap_get_or_put(&b->color_of, keys[i], one ? 0 : (uint32_t)i, &v,
					   NULL)) {
			st = fig_nomem(b);
			goto out;
		}
		enum key_kind kind = kind_of(b, keys[i]);
		named[kind]++;
		if (!one && kind <= KEY_GROUP) {
			char buf[256];
			key_name(b, keys[i], buf, sizeof(buf));
			st = fig_legend_add(b, buf, (unsigned)i, TL_SHAPE_SWATCH);
			if (st != TL_OK) {
				goto out;
			}
		}
	}
	b->ncolors = one ? 1 : (uint32_t)n;
	if (one) {
		static const char *const noun[] = {"workers", "lanes", "groups"};
		enum key_kind most = KEY_WORKER;
		for (enum key_kind k = KEY_LANE; k <= KEY_GROUP; k++) {
			most = named[k] > named[most] ? k : most;
		}
		char note[128];
		bool groups = tl_trace_meta_get(b->t, TL_META_WORKERS_ARE_GROUPS) != NULL;
		snprintf(note, sizeof(note), "%zu %s: one colour (more than %d)", named[most],
			 most == KEY_WORKER && groups ? "groups" : noun[most], TL_PALETTE_SIZE);
		st = named[most] ? fig_legend_add(b, note, 0, TL_SHAPE_SWATCH) : TL_OK;
	}
	b->colors_ready = st == TL_OK;
out:
	tl_hashmap_fini(&seen);
	free(keys);
	return st;
}

/* Colours of --color-by status: ok, then each kind of failure (FAIL_EXIT's is red's neighbour). */
static const uint32_t status_colors[FAIL_KINDS + 1] = {0, 5, 1, 7, 3, 6, 4};
static const char *const fail_names[FAIL_KINDS] = {"failed",        "timeout",      "cancelled",
						   "out of memory", "node failure", "preempted"};
/* ... and as one legend entry lists them, shorter: "failed (exit, timeout, OOM)". */
static const char *const fail_short[FAIL_KINDS] = {"exit", "timeout", "cancelled",
						   "OOM",  "node",    "preempted"};

tl_status fig_item_color(struct build *b, const struct panel *p, tl_str worker, uint32_t lane,
			 int64_t job, int32_t status, uint32_t *ret) {
	uint64_t key;
	if (b->o->color_by == TL_COLOR_STATUS) {
		*ret = tl_status_failed(status) ? status_colors[1 + fig_fail_kind(status)] : 0;
		return TL_OK;
	}
	if (color_key(b, p, worker, lane, job, &key) == KEY_NONE) {
		*ret = 0;
		return TL_OK;
	}
	tl_status st = assign_colors(b);
	if (st != TL_OK) {
		return st;
	}
	if (!tl_hashmap_find(&b->color_of, key, ret)) {
		*ret = 0; /* drawn by no mark: not handed out */
	}
	return TL_OK;
}

/*
 * The failures' legend entries: with --color-by status one per kind drawn, in
 * its colour; else one "failed" entry that names the kinds when they are
 * more than exit codes ("failed: timeout, out of memory").
 */
static tl_status failure_entries(struct build *b) {
	if (!b->any_failed) {
		return TL_OK;
	}
	tl_status st = TL_OK;
	if (b->o->color_by == TL_COLOR_STATUS) {
		for (int k = 0; k < FAIL_KINDS && st == TL_OK; k++) {
			if (b->failed_kinds & 1u << k) {
				st = fig_legend_add(b, fail_names[k], status_colors[1 + k],
						    TL_SHAPE_FAILED);
			}
		}
		return st;
	}
	char text[160] = "failed";
	size_t n = strlen(text);
	for (int k = 1; k < FAIL_KINDS && b->failed_kinds != 1u; k++) {
		if (b->failed_kinds & 1u << k) {
			n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s",
					      n == 6 ? (b->failed_kinds & 1u ? " (exit, " : " (")
						     : ", ",
					      fail_short[k]);
		}
	}
	if (n > 6) {
		snprintf(text + n, sizeof(text) - n, ")");
	}
	return fig_legend_add(b, text, 0, TL_SHAPE_FAILED);
}

/* Every legend entry, once: the colours', then ok, failed and unfinished as drawn. */
static tl_status legend_entries(struct build *b) {
	tl_status st = assign_colors(b);
	if (st != TL_OK || b->legend_ready) {
		return st;
	}
	bool status = b->o->color_by == TL_COLOR_STATUS;
	if ((status && (st = fig_legend_add(b, "ok", 0, TL_SHAPE_SWATCH)) != TL_OK) ||
	    (st = failure_entries(b)) != TL_OK ||
	    (b->any_open && (st = fig_legend_add(b, "unfinished", 0, TL_SHAPE_OPEN)) != TL_OK) ||
	    (b->any_wait && (st = fig_legend_add(b, "queue wait", 0, STYLE_WAIT)) != TL_OK)) {
		return st;
	}
	b->legend_ready = true;
	return TL_OK;
}

size_t fig_legend_flow(const double *w, size_t n, double width, double gap, double more_w,
		       size_t max_lines, size_t *line) {
	size_t lines = n ? 1 : 0, first = 0; /* first entry of the current line */
	double x = 0;
	for (size_t i = 0; i < n; i++) {
		line[i] = SIZE_MAX;
	}
	for (size_t i = 0; i < n; i++) {
		if (i > first && x + gap + w[i] > width) {
			if (max_lines && lines == max_lines) {
				/* Full: leave out entries from the end until "+N more" fits. */
				size_t shown = i;
				while (shown > first && x + gap + more_w > width) {
					shown--;
					line[shown] = SIZE_MAX;
					x = 0;
					for (size_t k = first; k < shown; k++) {
						x += (k > first ? gap : 0) + w[k];
					}
				}
				return lines;
			}
			lines++;
			first = i;
			x = 0;
		}
		x += (i > first ? gap : 0) + w[i];
		line[i] = lines - 1;
	}
	return lines;
}

/* Most lines a legend takes; its entries are capped so that twenty-odd always fit. */
#define LEGEND_MAX_LINES 8

/*
 * The legend's entries laid out in lines of at most width: each entry's line
 * (SIZE_MAX: left out), swatch size and text width in out arrays of
 * b->nlegend; the lines used.
 */
static size_t legend_layout(struct build *b, double width, double line_h, size_t max_lines,
			    size_t *line, double *text_w, char *more, size_t more_size) {
	double u = b->u, sw = line_h * 0.8, gap = 18 * u, h;
	/* Four entries to a line at the least: a long name is cut rather than take a line. */
	double per = b->nlegend == 0 ? 1 : b->nlegend < 4 ? (double)b->nlegend : 4;
	double cap = (width - (per - 1) * gap) / per - sw - 5 * u, few;
	/* ... but never below a few characters: on a narrow canvas, fewer to a line. */
	fig_measure(b, "abcdefg\xe2\x80\xa6", TL_TEXT_TICK, &few, &h);
	cap = fmax(cap, fmin(few, width - sw - 5 * u));
	double *w = malloc((b->nlegend ? b->nlegend : 1) * sizeof(*w));
	if (!w) {
		return 0;
	}
	for (size_t i = 0; i < b->nlegend; i++) {
		fig_measure(b, b->legend[i].label, TL_TEXT_TICK, &text_w[i], &h);
		text_w[i] = fmin(text_w[i], fmax(cap, 0));
		w[i] = sw + 5 * u + text_w[i];
	}
	double more_w;
	snprintf(more, more_size, "+%zu more", b->nlegend);
	fig_measure(b, more, TL_TEXT_TICK, &more_w, &h);
	size_t lines = fig_legend_flow(w, b->nlegend, width, gap, more_w, max_lines, line);
	size_t shown = 0;
	while (shown < b->nlegend && line[shown] != SIZE_MAX) {
		shown++;
	}
	if (shown == b->nlegend && lines > 1) {
		/* Balanced: the narrowest lines that need no more of them (13 + 7 becomes 10 + 10).
		 */
		double lo = 0, hi = width;
		for (int k = 0; k < 20; k++) {
			double mid = (lo + hi) / 2;
			if (fig_legend_flow(w, b->nlegend, mid, gap, more_w, 0, line) > lines) {
				lo = mid;
			} else {
				hi = mid;
			}
		}
		fig_legend_flow(w, b->nlegend, hi, gap, more_w, 0, line);
	}
	free(w);
	if (shown < b->nlegend) {
		snprintf(more, more_size, "+%zu more", b->nlegend - shown);
	} else {
		more[0] = '\0';
	}
	return lines;
}

size_t fig_legend_lines(struct build *b, double width) {
	if (legend_entries(b) != TL_OK) {
		/* Out of memory: the marks will meet it again and say so. */
		return 1;
	}
	size_t n = b->nlegend ? b->nlegend : 1;
	size_t *line = malloc(n * sizeof(*line));
	double *text_w = malloc(n * sizeof(*text_w));
	char more[64];
	size_t lines = 1;
	if (line && text_w) {
		double w, h;
		fig_measure(b, "Ag", TL_TEXT_TICK, &w, &h);
		lines = legend_layout(b, width, h, LEGEND_MAX_LINES, line, text_w, more,
				      sizeof(more));
		b->legend_lines = lines;
		b->legend_planned = true;
	}
	free(line);
	free(text_w);
	return lines;
}

/* ---- geometry ---- */

/* A bar's ends that the plot's edges cut off: the span runs on before or after. */
enum { CUT_LEFT = 1, CUT_RIGHT = 2 };

struct bar {
	uint32_t slot;
	uint16_t color;
	uint8_t style; /* TL_SHAPE_BAR, TL_SHAPE_FAILED or TL_SHAPE_OPEN */
	uint8_t cut;   /* CUT_LEFT | CUT_RIGHT */
	uint32_t span; /* the span it draws, for its name; NO_SPAN for none */
	double x0, x1;
};

#define NO_SPAN UINT32_MAX

/* Bars are fig_sorted by style as 0, 1, 2: plain, failed, open. */
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
		if (len > 1 && !fig_sorted(out + from, len, sizeof(*out), cmp_bar_x, NULL)) {
			qsort_r(out + from, len, sizeof(*out), cmp_bar_x, NULL);
		}
		from = start[k];
	}
	free(start);
	free(in);
	*bars = out;
	return TL_OK;
}

double fig_time_x(const struct panel *p, tl_ns t) {
	return p->plot.x + (double)(t - p->axis_lo) * p->plot.w / (double)(p->axis_hi - p->axis_lo);
}

/* Where a row is drawn: its slot (row, or pixel row when rows are many) and box. */

struct slots fig_slots_for(const struct panel *p) {
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

/*
 * The torn ends of a bar (shape) that the plot's edges cut: a strip at each
 * cut end, as wide as a few pixels, that draw.c draws as a zigzag, so that
 * the bar reads as going on past the edge and not as stopping there. Bars
 * too small for teeth get none.
 */
static bool add_cuts(struct build *b, struct tl_shape **cuts, size_t *n, size_t *cap,
		     const struct tl_shape *bar, uint8_t cut) {
	float d = (float)fmin(7 * b->u, bar->w / 3);
	if (d < 2 || bar->h < 4) {
		return true;
	}
	for (int side = CUT_LEFT; side <= CUT_RIGHT; side <<= 1) {
		if (!(cut & side)) {
			continue;
		}
		if (!fig_grow((void **)cuts, cap, *n + 1, sizeof(**cuts))) {
			return false;
		}
		bool left = side == CUT_LEFT;
		(*cuts)[(*n)++] = (struct tl_shape){left ? bar->x : bar->x + bar->w - d,
						    bar->y,
						    d,
						    bar->h,
						    bar->color,
						    255,
						    left ? TL_SHAPE_CUT_LEFT : TL_SHAPE_CUT_RIGHT};
	}
	return true;
}

/* Names inside bars (--span-labels): when and how they are drawn. */
struct namer {
	bool on;       /* bars this tall get names */
	double text_h; /* a name's height */
	double min_w;  /* the narrowest bar named: room for a few characters */
	double inset;  /* space between a bar's ends and its name */
};

static struct namer namer_for(struct build *b, const struct slots *sl, double bar_h) {
	struct namer nm = {.inset = 3 * b->u};
	double w;
	/* Slots are rows unless binned: a row of its own for a name. */
	if (b->o->span_labels == TL_SPAN_LABELS_NONE || sl->binned) {
		return nm;
	}
	fig_measure(b, "Ag", TL_TEXT_TICK, &w, &nm.text_h);
	fig_measure(b, "abc\xe2\x80\xa6", TL_TEXT_TICK, &nm.min_w, &w);
	nm.min_w += 2 * nm.inset;
	nm.on = bar_h >= nm.text_h * 0.9;
	return nm;
}

/*
 * The name of span s inside its bar, where it is wide enough: left-aligned,
 * cut in the middle with an ellipsis to end before the bar does (before a
 * torn end or a fade), in dark or light ink, whichever reads on the bar's
 * fill. With --span-labels auto,
 * only a name that says more than the row's label. Bars narrower than a few
 * characters get none, so that the names are at most a few per row's
 * width, however many spans there are.
 */
static bool name_bar(struct build *b, const struct panel *p, const struct namer *nm,
		     const struct tl_shape *bar, const tl_span *s, uint8_t cut, uint32_t row) {
	double x0 = bar->x + nm->inset, x1 = bar->x + bar->w - nm->inset;
	x0 += cut & CUT_LEFT ? fmin(7 * b->u, bar->w / 3) : 0;
	x1 -= cut & CUT_RIGHT ? fmin(7 * b->u, bar->w / 3) : 0;
	x1 -= bar->style == TL_SHAPE_OPEN ? fmin(bar->w / 3.0, 48.0 * b->u) : 0;
	if (x1 - x0 < nm->min_w - 2 * nm->inset) {
		return true;
	}
	char name[512];
	if (s->label != TL_STR_NONE && tl_trace_str(b->t, s->label)[0]) {
		snprintf(name, sizeof(name), "%s", tl_trace_str(b->t, s->label));
	} else if (b->o->span_labels == TL_SPAN_LABELS_ALL) {
		snprintf(name, sizeof(name), "job %lld", (long long)s->job);
	} else {
		return true;
	}
	if (b->o->span_labels == TL_SPAN_LABELS_AUTO) {
		/* A name the row's label already says is left out: a joblog's command on its job's
		 * row. */
		char label[512];
		fig_row_label(b, p, &p->rows[row], label, sizeof(label));
		if (strcmp(label, name) == 0) {
			return true;
		}
	}
	/* Cut in the middle, as row labels are: the end often tells spans apart (m941.cc). */
	double w, h;
	fig_fit_middle(b, name, sizeof(name), TL_TEXT_TICK, x1 - x0);
	fig_measure(b, name, TL_TEXT_TICK, &w, &h);
	if (w > x1 - x0) {
		return true;
	}
	struct tl_rgb fill =
		tl_palette_fill(b->fig->theme, bar->color, bar->style == TL_SHAPE_FAILED);
	if (!fig_add_text(b->fig, x0, bar->y + (bar->h - nm->text_h) / 2, name, TL_TEXT_TICK,
			  TL_ALIGN_LEFT, x1 - x0 + 0.5, false, false)) {
		return false;
	}
	b->fig->texts[b->fig->ntexts - 1].ink = (uint8_t)tl_ink_on(fill);
	return true;
}

/* How many bytes of s a hover text keeps: all, or 200 cut at a character's start. */
static int hover_cut(const char *s) {
	size_t n = strnlen(s, 201);
	if (n <= 200) {
		return (int)n;
	}
	n = 200;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80) {
		n--;
	}
	return (int)n;
}

/*
 * The hover text of the bar shape that draws span s alone, for the SVG:
 * its name, job, worker, start, duration and status. Past TL_HOVER_MAX bars
 * none are kept (a chart of that many is read by its shapes, not one by one).
 */
static bool add_hover(struct build *b, const struct tl_shape *shape, const tl_span *s) {
	struct tl_figure *f = b->fig;
	if (f->hovers_over) {
		return true;
	}
	if (f->nhovers == TL_HOVER_MAX) {
		for (size_t i = 0; i < f->nhovers; i++) {
			free(f->hovers[i].text);
		}
		free(f->hovers);
		f->hovers = NULL;
		f->nhovers = f->caphovers = 0;
		f->hovers_over = true;
		return true;
	}
	if (!fig_grow((void **)&f->hovers, &f->caphovers, f->nhovers + 1, sizeof(*f->hovers))) {
		return false;
	}
	char start[32], dur[32], status[16];
	tl_format_duration(s->start, start, sizeof(start));
	tl_format_duration(s->stop - s->start, dur, sizeof(dur));
	const char *label = tl_trace_str(b->t, s->label), *worker = tl_trace_str(b->t, s->worker);
	/* Names of any length (a 10 MB label is valid input): 200 bytes each at most. */
	int ll = hover_cut(label), wl = hover_cut(worker);
	bool lcut = label[ll] != '\0', wcut = worker[wl] != '\0';
	char *text = NULL;
	if (asprintf(&text, "%.*s%s%s%lld%s%.*s%s \xc2\xb7 start %s \xc2\xb7 %s \xc2\xb7 %s", ll,
		     label, lcut ? "\xe2\x80\xa6" : "", label[0] ? " \xc2\xb7 job " : "job ",
		     (long long)s->job, worker[0] ? " \xc2\xb7 worker " : "", wl, worker,
		     wcut ? "\xe2\x80\xa6" : "", start, dur,
		     s->status == 0 ? "ok" : tl_status_to_string(s->status, status)) < 0) {
		return false;
	}
	fig_visible(text); /* XML 1.0 allows no control characters */
	f->hovers[f->nhovers++] = (struct tl_hover){shape->x, shape->y, shape->w, shape->h, text};
	return true;
}

tl_status fig_gantt_shapes(struct build *b, struct panel *p) {
	size_t n;
	const tl_span *sp = tl_trace_spans(b->t, &n);
	struct slots sl = fig_slots_for(p);
	struct bar *bars = NULL;
	struct tl_shape *cuts = NULL;
	size_t nb = 0, cap = 0, ncuts = 0, capcuts = 0;
	double min_w = 1.0 / b->o->scale; /* one device pixel */
	tl_status st = TL_OK;
	for (size_t k = 0; k < p->nspans; k++) {
		size_t i = p->span_ix[k];
		const tl_span *s = &sp[i];
		if (s->stop < p->axis_lo || s->start > p->axis_hi) {
			continue;
		}
		uint32_t row = p->span_row[k], color;
		st = fig_item_color(b, p, s->worker, p->lane ? p->lane[i] : 0, s->job, s->status,
				    &color);
		if (st != TL_OK) {
			goto out;
		}
		double x0 = fig_time_x(p, s->start < p->axis_lo ? p->axis_lo : s->start);
		double x1 = fig_time_x(p, s->stop > p->axis_hi ? p->axis_hi : s->stop);
		if (x1 - x0 < min_w) {
			x1 = x0 + min_w;
		}
		/* A bar too thin to show beside the y axis's line is drawn right of it. */
		double clear = p->plot.x + 0.5 * b->u;
		if (x0 < clear && x1 < clear + min_w) {
			x0 = clear;
			x1 = clear + min_w;
		}
		if (!fig_grow((void **)&bars, &cap, nb + 1, sizeof(*bars))) {
			st = fig_nomem(b);
			goto out;
		}
		bool open = s->status == TL_STATUS_UNFINISHED;
		bool failed = tl_status_failed(s->status);
		note_status(b, s->status);
		uint8_t style = open ? TL_SHAPE_OPEN : failed ? TL_SHAPE_FAILED : TL_SHAPE_BAR;
		uint8_t cut = (s->start < p->axis_lo ? CUT_LEFT : 0) |
			      (s->stop > p->axis_hi ? CUT_RIGHT : 0);
		bars[nb++] = (struct bar){.slot = slot_of(p, &sl, row),
					  .color = (uint16_t)color,
					  .style = style,
					  .cut = cut,
					  .span = i < NO_SPAN ? (uint32_t)i : NO_SPAN,
					  .x0 = x0,
					  .x1 = x1};
		if (b->o->show_wait && s->wait > 0 && s->start > p->axis_lo) {
			/* The queue wait, from submit to start: a pale lead-in. */
			tl_ns submit = s->start - s->wait;
			double w0 = fig_time_x(p, submit < p->axis_lo ? p->axis_lo : submit);
			if (!fig_grow((void **)&bars, &cap, nb + 1, sizeof(*bars))) {
				st = fig_nomem(b);
				goto out;
			}
			bars[nb++] = (struct bar){.slot = slot_of(p, &sl, row),
						  .color = 0,
						  .style = STYLE_WAIT,
						  .span = NO_SPAN,
						  .x0 = w0,
						  .x1 = fmax(x0, w0 + min_w)};
		}
	}
	st = sort_bars(&bars, nb, sl.count);
	if (st != TL_OK) {
		st = fig_nomem(b);
		goto out;
	}
	/* Bars of one slot and colour that overlap, or touch while thinner than a pixel, merge. */
	/* Rows apart by a gap; thin ones by a pixel, so that rows of one colour stay apart. */
	double pad = sl.binned ? 0 : sl.h >= 6 ? sl.h * 0.12 : sl.h >= 3 ? 0.5 : 0;
	/* A few rows in a tall plot: bars of a bar's height, centred, not slabs. */
	if (!sl.binned && sl.h - 2 * pad > 40 * b->u) {
		pad = (sl.h - 40 * b->u) / 2;
	}
	struct namer names = namer_for(b, &sl, sl.h - 2 * pad);
	for (size_t i = 0; i < nb;) {
		struct bar cur = bars[i++];
		bool thin = cur.x1 - cur.x0 < 1.0, single = true;
		while (i < nb && bars[i].slot == cur.slot && bars[i].color == cur.color &&
		       bars[i].style == cur.style && cur.style != TL_SHAPE_OPEN &&
		       (bars[i].x0 < cur.x1 ||
			((thin || bars[i].x1 - bars[i].x0 < 1.0) && bars[i].x0 - cur.x1 < 0.5))) {
			if (bars[i].x1 > cur.x1) {
				cur.x1 = bars[i].x1;
			}
			cur.cut |= bars[i].cut;
			/* Spans merged into one bar are named only when they share their name. */
			if (cur.span != NO_SPAN && (bars[i].span == NO_SPAN ||
						    sp[bars[i].span].label != sp[cur.span].label)) {
				cur.span = NO_SPAN;
			}
			thin = bars[i].x1 - bars[i].x0 < 1.0;
			single = false;
			i++;
		}
		double y = p->plot.y + cur.slot * sl.h + pad;
		/* Jobs back to back in one lane stay apart by a hairline gap; not at a cut end. */
		double gap = cur.x1 - cur.x0 >= 4 * b->u && !(cur.cut & CUT_RIGHT) ? b->u : 0;
		bool wait = cur.style == STYLE_WAIT;
		struct tl_shape shape = {(float)cur.x0,
					 (float)y,
					 (float)(cur.x1 - cur.x0 - (wait ? 0 : gap)),
					 (float)(sl.h - 2 * pad),
					 cur.color,
					 wait ? WAIT_ALPHA : 255,
					 wait ? TL_SHAPE_BAND : cur.style};
		if (!fig_add_shape(b->fig, shape)) {
			st = fig_nomem(b);
			goto out;
		}
		/* An unfinished bar fades at its right end already: only its start is cut. */
		if (cur.style == TL_SHAPE_OPEN) {
			cur.cut &= (uint8_t)~CUT_RIGHT;
		}
		if (cur.cut && !add_cuts(b, &cuts, &ncuts, &capcuts, &shape, cur.cut)) {
			st = fig_nomem(b);
			goto out;
		}
		if (names.on && cur.span != NO_SPAN &&
		    !name_bar(b, p, &names, &shape, &sp[cur.span], cur.cut, cur.slot)) {
			st = fig_nomem(b);
			goto out;
		}
		if (single && cur.span != NO_SPAN && !add_hover(b, &shape, &sp[cur.span])) {
			st = fig_nomem(b);
			goto out;
		}
	}
	/* After every bar, so that bars of one paint stay one run for draw.c. */
	for (size_t i = 0; i < ncuts; i++) {
		if (!fig_add_shape(b->fig, cuts[i])) {
			st = fig_nomem(b);
			goto out;
		}
	}
out:
	free(bars);
	free(cuts);
	return st;
}

/* The height of a row's marks: centred in the row; a benchmark's few rows get taller ones. */
static double mark_height(const struct build *b, const struct panel *p, const struct slots *sl) {
	return sl->binned ? sl->h
			  : fmin(fmax(sl->h * 0.45, 2.0), (p->runtimes ? 16.0 : 10.0) * b->u);
}

tl_status fig_scatter_shapes(struct build *b, struct panel *p) {
	struct slots sl = fig_slots_for(p);
	double dev = b->o->scale; /* device pixels per canvas pixel */
	size_t cols = (size_t)ceil(p->plot.w * dev);
	if (cols == 0) {
		cols = 1;
	}
	if (sl.count > SIZE_MAX / cols / 8) {
		return fig_nomem(b);
	}
	uint32_t *count = calloc(sl.count * cols, sizeof(*count));
	uint16_t *color = calloc(sl.count * cols, sizeof(*color));
	tl_status st = TL_OK;
	if (!count || !color) {
		st = fig_nomem(b);
		goto out;
	}
	double scale = (double)cols / (double)(p->axis_hi - p->axis_lo);
	uint32_t cmax = 0;
	/* One pass over the samples; a track's row and colour are looked up when it changes. */
	uint32_t last_track = UINT32_MAX, c = 0;
	size_t slot = 0;
	bool have_row = false;
	for (size_t q = 0; q < p->nsamples; q++) {
		size_t i = fig_sample_ix(p, q);
		tl_ns v = b->stime[i];
		if (v < p->axis_lo || v > p->axis_hi) {
			continue;
		}
		if (b->strack[i] != last_track) {
			last_track = b->strack[i];
			const tl_track *s = &b->tracks[last_track];
			uint32_t row;
			have_row =
				tl_hashmap_find(&p->row_of, fig_row_key_track(s, b->o->rows), &row);
			slot = have_row ? (size_t)slot_of(p, &sl, row) * cols : 0;
			st = fig_item_color(b, p, s->worker, 0, s->job, 0, &c);
			if (st != TL_OK) {
				goto out;
			}
		}
		if (!have_row) {
			continue;
		}
		size_t col = (size_t)((double)(v - p->axis_lo) * scale);
		if (col >= cols) {
			col = cols - 1;
		}
		size_t k = slot + col;
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
			if (!fig_add_shape(b->fig, shape)) {
				st = fig_nomem(b);
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
tl_status fig_bench_whiskers(struct build *b, struct panel *p) {
	struct slots sl = fig_slots_for(p);
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
		    !tl_hashmap_find(&p->row_of, (uint64_t)cmd[i].job, &row)) {
			continue;
		}
		double y = p->plot.y + ((double)row + 0.5) * sl.h + mh / 2 + 4 * b->u;
		double xm = fig_time_x(p, cmd[i].mean), cap = 2.5 * b->u;
		bool ok = fig_add_line(b->fig, xm, y - cap - 1.5 * b->u, xm, y + cap + 1.5 * b->u,
				       TL_LINE_AXIS);
		if (ok && cmd[i].stddev > 0) {
			double x0 = fig_time_x(p, cmd[i].mean - cmd[i].stddev);
			double x1 = fig_time_x(p, cmd[i].mean + cmd[i].stddev);
			x0 = fmax(x0, p->plot.x);
			x1 = fmin(x1, p->plot.x + p->plot.w);
			ok = fig_add_line(b->fig, x0, y, x1, y, TL_LINE_AXIS) &&
			     fig_add_line(b->fig, x0, y - cap, x0, y + cap, TL_LINE_AXIS) &&
			     fig_add_line(b->fig, x1, y - cap, x1, y + cap, TL_LINE_AXIS);
		}
		st = ok ? TL_OK : fig_nomem(b);
	}
	free(cmd);
	return st;
}

/*
 * The legend at legend_y, in the lines fig_legend_lines() planned (one when
 * it was not asked), each line_h tall and centred: the colours in natural
 * order, then ok/failed/unfinished; "+N more" only when the lines cannot
 * hold them all. shown_row: whether the layout kept room for it. Entries are
 * still made when it did not.
 */
tl_status fig_legend(struct build *b, bool shown_row, double legend_y, double line_h) {
	struct tl_figure *fig = b->fig;
	double u = b->u, W = fig->width, margin = 14 * u;
	tl_status st = legend_entries(b);
	if (st != TL_OK || !shown_row || b->nlegend == 0) {
		return st;
	}
	size_t max_lines = b->legend_planned ? b->legend_lines : 1;
	size_t *line = malloc(b->nlegend * sizeof(*line));
	double *text_w = malloc(b->nlegend * sizeof(*text_w));
	char more[64];
	if (!line || !text_w) {
		st = fig_nomem(b);
		goto out;
	}
	double width = W - 2 * margin, sw = line_h * 0.8, gap = 18 * u;
	size_t lines = legend_layout(b, width, line_h, max_lines ? max_lines : 1, line, text_w,
				     more, sizeof(more));
	for (size_t l = 0; l < lines; l++) {
		/* The line's entries (and "+N more" on the last), centred. */
		double total = 0, w, h;
		size_t count = 0;
		for (size_t i = 0; i < b->nlegend; i++) {
			if (line[i] == l) {
				total += (count++ ? gap : 0) + sw + 5 * u + text_w[i];
			}
		}
		bool last = l + 1 == lines && more[0];
		if (last) {
			fig_measure(b, more, TL_TEXT_TICK, &w, &h);
			total += (count ? gap : 0) + w;
		}
		double x = (W - total) / 2, y = legend_y + (double)l * (line_h + 4 * u);
		for (size_t i = 0, k = 0; i < b->nlegend; i++) {
			if (line[i] != l) {
				continue;
			}
			struct legend_item *it = &b->legend[i];
			x += k++ ? gap : 0;
			bool wait = it->style == STYLE_WAIT;
			struct tl_shape swatch = {(float)x,
						  (float)(y + (line_h - sw) / 2),
						  (float)sw,
						  (float)sw,
						  it->color,
						  wait ? WAIT_ALPHA : 255,
						  wait ? TL_SHAPE_BAND : it->style};
			if (!fig_add_shape(fig, swatch)) {
				st = fig_nomem(b);
				goto out;
			}
			x += sw + 5 * u;
			/* A name too long for its share of the line is cut in the middle. */
			char name[256];
			snprintf(name, sizeof(name), "%s", it->label);
			fig_fit_middle(b, name, sizeof(name), TL_TEXT_TICK, text_w[i]);
			if (!fig_add_text(fig, x, y, name, TL_TEXT_TICK, TL_ALIGN_LEFT,
					  text_w[i] + 1, false, false)) {
				st = fig_nomem(b);
				goto out;
			}
			x += text_w[i];
		}
		if (last && !fig_add_text(fig, x + (count ? gap : 0), y, more, TL_TEXT_TICK,
					  TL_ALIGN_LEFT, 0, false, true)) {
			st = fig_nomem(b);
			goto out;
		}
	}
out:
	free(line);
	free(text_w);
	return st;
}
