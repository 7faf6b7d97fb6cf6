/*
 * A scatter panel's marks: samples counted per device-pixel column of their
 * row, each run of columns of one density and colour one mark whose opacity
 * grows with the count; and on a benchmark's run-time panel, each command's
 * mean and standard deviation.
 */

#include "layout.h"

#include <math.h>
#include <stdlib.h>

/* The height of a row's marks: centred in the row; a benchmark's few rows get taller ones. */
static double mark_height(const struct build *b, const struct panel *p, const struct slots *sl) {
	return sl->binned ? sl->h
			  : fmin(fmax(sl->h * 0.45, 2.0), (p->runtimes ? 16.0 : 10.0) * b->u);
}

/* Samples counted per slot (count rows of cols columns), each cell's colour that of its last. */
struct bins {
	size_t cols;
	uint32_t *count;
	uint16_t *color;
	uint32_t max; /* the most in one cell */
};

/* Each of p's samples in its time range, in its row's slot and its column. */
static tl_status count_samples(struct build *b, const struct panel *p, const struct slots *sl,
			       struct bins *bn) {
	size_t cols = bn->cols;
	double scale = (double)cols / (double)(p->axis_hi - p->axis_lo);
	/* One pass over the samples; a track's row and colour are looked up when it changes. */
	struct sample_walk w = fig_walk_samples(b, p, NULL, 0, p->nsamples);
	const tl_track *s;
	uint32_t c = 0;
	size_t i, slot = 0;
	tl_ns v;
	bool have_row = false;
	while (fig_next_sample(&w, &i, &v, &s)) {
		if (s) {
			uint32_t row;
			have_row = fig_track_row(p, &p->row_of, s, &row);
			slot = have_row ? (size_t)fig_slot_of(p, sl, row) * cols : 0;
			tl_status st = fig_item_color(b, p, s->worker, 0, s->job, 0, &c);
			if (st != TL_OK) {
				return st;
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
		if (++bn->count[k] > bn->max) {
			bn->max = bn->count[k];
		}
		bn->color[k] = (uint16_t)c;
	}
	return TL_OK;
}

/*
 * The counted samples as marks: each run of a row's columns of one colour
 * and density level one mark, its opacity from the level (fig_density_level()
 * in 16 steps, so that runs of similar density merge): one sample is faint,
 * the densest column solid.
 */
static bool density_marks(struct build *b, const struct panel *p, const struct slots *sl,
			  const struct bins *bn) {
	double dev = b->o->scale; /* device pixels per canvas pixel */
	double mh = mark_height(b, p, sl);
	size_t cols = bn->cols;
	for (size_t r = 0; r < sl->count; r++) {
		double y = p->plot.y + (double)r * sl->h + (sl->h - mh) / 2;
		const uint32_t *count = bn->count + r * cols;
		const uint16_t *color = bn->color + r * cols;
		for (size_t x = 0; x < cols;) {
			if (!count[x]) {
				x++;
				continue;
			}
			int level = fig_density_level(count[x], bn->max, 15);
			size_t x1 = x + 1;
			while (x1 < cols && count[x1] && color[x1] == color[x] &&
			       fig_density_level(count[x1], bn->max, 15) == level) {
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
						 color[x],  alpha,    TL_SHAPE_MARK};
			if (!fig_add_shape(b->fig, shape)) {
				return false;
			}
			x = x1;
		}
	}
	return true;
}

tl_status fig_scatter_shapes(struct build *b, struct panel *p) {
	struct slots sl = fig_slots_for(p);
	size_t cols = (size_t)ceil(p->plot.w * b->o->scale);
	if (cols == 0) {
		cols = 1;
	}
	if (sl.count > SIZE_MAX / cols / 8) {
		return fig_nomem(b);
	}
	struct bins bn = {.cols = cols,
			  .count = calloc(sl.count * cols, sizeof(*bn.count)),
			  .color = calloc(sl.count * cols, sizeof(*bn.color))};
	tl_status st = bn.count && bn.color ? count_samples(b, p, &sl, &bn) : fig_nomem(b);
	if (st == TL_OK && !density_marks(b, p, &sl, &bn)) {
		st = fig_nomem(b);
	}
	free(bn.count);
	free(bn.color);
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
