/*
 * A scatter panel's marks: samples counted per device-pixel column of their
 * row, each run of columns of one density and colour one mark whose opacity
 * grows with the count; and on a benchmark's run-time panel, each command's
 * mean and standard deviation.
 */

#include "layout.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

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

/* Samples [from, to) of a panel counted into bins: one thread's share. */
struct count_job {
	struct build *b;
	const struct panel *p;
	const struct slots *sl;
	struct bins *bn;
	size_t from, to;
	tl_status st;
};

/* A run of samples counted into one cell, added to the bins at once. */
struct cell_run {
	size_t k;   /* the cell */
	uint32_t n; /* samples; 0: none yet */
	uint16_t color;
};

static inline void run_flush(struct bins *bn, const struct cell_run *run) {
	if (run->n) {
		uint32_t n = bn->count[run->k] += run->n;
		bn->max = n > bn->max ? n : bn->max;
		bn->color[run->k] = run->color;
	}
}

/*
 * The job's samples in their rows' slots and their columns; a track's row and colour looked up
 * when it changes. Consecutive samples mostly fall in one cell: they are counted as a run, not
 * each through the bins in memory.
 */
static tl_status count_range(struct count_job *j) {
	const struct panel *p = j->p;
	struct bins *bn = j->bn;
	size_t cols = bn->cols;
	double scale = (double)cols / (double)(p->axis_hi - p->axis_lo);
	struct sample_walk w = fig_walk_samples(j->b, p, NULL, j->from, j->to);
	const tl_track *s;
	uint32_t c = 0;
	size_t i, slot = 0;
	tl_ns v;
	bool have_row = false;
	struct cell_run run = {0, 0, 0};
	while (fig_next_sample(&w, &i, &v, &s)) {
		if (s) {
			uint32_t row;
			have_row = fig_track_row(p, &p->row_of, s, &row);
			slot = have_row ? (size_t)fig_slot_of(p, j->sl, row) * cols : 0;
			tl_status st = fig_item_color(j->b, p, s->worker, 0, s->job, 0, &c);
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
		if (k != run.k || (uint16_t)c != run.color || run.n == UINT32_MAX) {
			run_flush(bn, &run);
			run = (struct cell_run){k, 0, (uint16_t)c};
		}
		run.n++;
	}
	run_flush(bn, &run);
	return TL_OK;
}

static void *count_thread(void *arg) {
	struct count_job *j = arg;
	j->st = count_range(j);
	return NULL;
}

/* From this many samples a panel's are counted on two threads, each half into bins of its own. */
static size_t count_split_min = (size_t)1 << 20;

void fig_set_count_split(size_t min_samples) {
	count_split_min = min_samples;
}

size_t fig_count_split(void) {
	return count_split_min;
}

/*
 * Each of p's samples in its time range, in its row's slot and its column.
 * A large panel's second half is counted on a thread of its own into bins
 * of its own, added after: a cell's count is the sum, its colour the second
 * half's where it has any (the colour of the cell's last sample, as one pass
 * gives). The colours are handed out before, so that the threads only read
 * them.
 */
static tl_status count_samples(struct build *b, const struct panel *p, const struct slots *sl,
			       struct bins *bn) {
	size_t n = p->nsamples, cells = sl->count * bn->cols;
	struct count_job first = {b, p, sl, bn, 0, n, TL_OK};
	if (n < count_split_min || n < 2 || sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		return count_range(&first);
	}
	tl_status st = fig_assign_colors(b);
	if (st != TL_OK) {
		return st;
	}
	struct bins half = {.cols = bn->cols,
			    .count = calloc(cells, sizeof(*half.count)),
			    .color = calloc(cells, sizeof(*half.color))};
	struct count_job second = {b, p, sl, &half, n / 2, n, TL_OK};
	pthread_t tid;
	bool started =
		half.count && half.color && pthread_create(&tid, NULL, count_thread, &second) == 0;
	first.to = started ? n / 2 : n;
	st = count_range(&first);
	if (started) {
		pthread_join(tid, NULL);
		st = st != TL_OK ? st : second.st;
		for (size_t k = 0; k < cells; k++) {
			if (half.count[k]) {
				bn->count[k] += half.count[k];
				bn->color[k] = half.color[k];
				bn->max = bn->count[k] > bn->max ? bn->count[k] : bn->max;
			}
		}
	}
	free(half.count);
	free(half.color);
	return st;
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
