/*
 * Marks: colours and the legend's entries, bars merged per pixel, samples
 * binned per pixel column, a benchmark's whiskers.
 */

#include "layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Palette index for an item; new keys get the next colour and a legend entry. */
static tl_status color_for(struct build *b, const struct panel *p, uint64_t key_in,
			   const char *(*name)(struct build *, const struct panel *, uint64_t,
					       char *, size_t),
			   uint32_t *ret) {
	uint32_t c;
	bool fresh;
	if (!fig_keymap_get_or_put(&b->color_of, key_in, b->ncolors, &c, &fresh)) {
		return fig_nomem(b);
	}
	if (fresh) {
		b->ncolors++;
		if (name) {
			char buf[256];
			tl_status st = fig_legend_add(b, name(b, p, key_in, buf, sizeof(buf)), c,
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

tl_status fig_gantt_shapes(struct build *b, struct panel *p) {
	size_t n;
	const tl_span *sp = tl_trace_spans(b->t, &n);
	struct slots sl = fig_slots_for(p);
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
		if (!fig_keymap_find(&p->row_of, fig_row_key_span(p, s, i, b->o->rows), &row)) {
			continue;
		}
		uint32_t color;
		st = item_color(b, p, s->worker, p->lane ? p->lane[i] : 0, s->job, s->status,
				&color);
		if (st != TL_OK) {
			goto out;
		}
		double x0 = fig_time_x(p, s->start < p->axis_lo ? p->axis_lo : s->start);
		double x1 = fig_time_x(p, s->stop > p->axis_hi ? p->axis_hi : s->stop);
		if (x1 - x0 < min_w) {
			x1 = x0 + min_w;
		}
		if (!fig_grow((void **)&bars, &cap, nb + 1, sizeof(*bars))) {
			st = fig_nomem(b);
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
		st = fig_nomem(b);
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
		if (!fig_add_shape(b->fig, shape)) {
			st = fig_nomem(b);
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

tl_status fig_scatter_shapes(struct build *b, struct panel *p) {
	size_t n;
	const tl_sample *sa = tl_trace_samples(b->t, &n);
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
			have_row = fig_keymap_find(&p->row_of, key, &row);
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
		    !fig_keymap_find(&p->row_of, (uint64_t)cmd[i].job, &row)) {
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
 * The legend on its row at legend_y (legend_h tall), centred: colours as they
 * were handed out, then ok/failed/unfinished; "+N more" when the row is full.
 * shown_row: whether the layout kept a row for it. Entries are still added
 * (and dropped) when it did not.
 */
tl_status fig_legend(struct build *b, bool shown_row, double legend_y, double legend_h) {
	const tl_render_opts *o = b->o;
	struct tl_figure *fig = b->fig;
	double u = b->u, W = fig->width, margin = 14 * u, w, h;
	/* The legend, centred on its row: colours as they were handed out, then failure. */
	if (o->color_by == TL_COLOR_STATUS) {
		if (fig_legend_add(b, "ok", 0, TL_SHAPE_SWATCH) != TL_OK) {
			return fig_nomem(b);
		}
	}
	if (b->any_failed) {
		if (fig_legend_add(b, "failed", o->color_by == TL_COLOR_STATUS ? 5 : 0,
				   TL_SHAPE_FAILED) != TL_OK) {
			return fig_nomem(b);
		}
	}
	if (b->any_open && fig_legend_add(b, "unfinished", 0, TL_SHAPE_OPEN) != TL_OK) {
		return fig_nomem(b);
	}
	if (shown_row && b->nlegend > 0) {
		double sw = legend_h * 0.8, gap = 18 * u, total = 0;
		size_t shown = 0;
		char more[64] = "";
		for (size_t i = 0; i < b->nlegend; i++) {
			fig_measure(b, b->legend[i].label, TL_TEXT_TICK, &w, &h);
			double item = sw + 5 * u + w + (i ? gap : 0);
			if (total + item > W - 2 * margin - 80 * u) {
				snprintf(more, sizeof(more), "+%zu more", b->nlegend - i);
				break;
			}
			total += item;
			shown++;
		}
		if (more[0]) {
			fig_measure(b, more, TL_TEXT_TICK, &w, &h);
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
			if (!fig_add_shape(fig, swatch)) {
				return fig_nomem(b);
			}
			x += sw + 5 * u;
			fig_measure(b, it->label, TL_TEXT_TICK, &w, &h);
			if (!fig_add_text(fig, x, legend_y, it->label, TL_TEXT_TICK, TL_ALIGN_LEFT,
					  0, false, false)) {
				return fig_nomem(b);
			}
			x += w;
		}
		if (more[0] && !fig_add_text(fig, x + gap, legend_y, more, TL_TEXT_TICK,
					     TL_ALIGN_LEFT, 0, false, true)) {
			return fig_nomem(b);
		}
	}
	return TL_OK;
}
