/*
 * A panel's rows in the preview: its spans or samples painted into the rows
 * shown, in one pass over them, or, when every row of a large panel is
 * asked for, bucketed by row once and painted a batch of rows at a time so
 * that the cells in memory stay bounded (GRID_CELLS); then each row printed
 * as its label, its cells and, for a benchmark's run times, its note.
 */

#include "preview.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

/* Most cells painted at once: more rows than fit are painted in batches. */
#define GRID_CELLS (1u << 18)

/* A command's mean ± σ (the mean alone for one run). */
static void bench_note(const struct tl_term_opts *o, const tl_bench_stats *s, char *buf,
		       size_t size) {
	char m[32], sd[32];
	tl_format_duration(s->mean, m, sizeof(m));
	if (s->stddev >= 0) {
		tl_format_duration(s->stddev, sd, sizeof(sd));
		snprintf(buf, size, "%s %s %s", m, o->ascii ? "+-" : "\xc2\xb1", sd);
	} else {
		snprintf(buf, size, "%s", m);
	}
}

int term_marks_cols(const struct term *tm, const struct panel *p, int *ret_note_w) {
	int note_w = 0;
	for (size_t i = 0; p->runtimes && i < tm->nbench; i++) {
		char note[80];
		bench_note(tm->o, &tm->bench[i], note, sizeof(note));
		note_w = term_cols(note) > note_w ? term_cols(note) : note_w;
	}
	int marks = p->runtimes && tm->cols - note_w - 2 >= tm->cols / 2 ? tm->cols - note_w - 2
									 : tm->cols;
	*ret_note_w = marks < tm->cols ? note_w : 0;
	return marks;
}

/* The note at the end of run-time row r of p, or "". */
static void row_note(const struct term *tm, const struct panel *p, const struct row_info *r,
		     char *buf, size_t size) {
	buf[0] = '\0';
	/* tl_trace_bench() lists the commands by group, then job. */
	int64_t job = (int64_t)r->key;
	size_t lo = 0, hi = tm->nbench;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const tl_bench_stats *s = &tm->bench[mid];
		if (s->group < p->group || (s->group == p->group && s->job < job)) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	if (lo < tm->nbench && tm->bench[lo].group == p->group && tm->bench[lo].job == job) {
		bench_note(tm->o, &tm->bench[lo], buf, size);
	}
}

/* What paints a panel's items into a grid of some of its rows. */
struct painter {
	struct term *tm;
	const struct panel *p;
	struct grid *g;
	int marks;                       /* columns of marks */
	double scale;                    /* columns per ns */
	size_t r0;                       /* the panel's row in the grid's first */
	const struct tl_hashmap *row_of; /* key → row of the rows that may be painted */
	const tl_span *sp;               /* the trace's */
};

/*
 * Span k of p (an index into p->span_ix) into row r of the grid. Its row:
 * r when r < SIZE_MAX, else p->span_row's, painted only when the grid holds
 * that row.
 */
static tl_status paint_span(struct painter *pt, size_t k, size_t r) {
	const struct panel *p = pt->p;
	size_t i = p->span_ix[k];
	const tl_span *s = &pt->sp[i];
	if (s->stop < p->axis_lo || s->start > p->axis_hi) {
		return TL_OK;
	}
	uint32_t color = 0;
	if (r == SIZE_MAX) {
		uint32_t row = p->span_row[k];
		if (row < pt->r0 || row - pt->r0 >= pt->g->rows) {
			return TL_OK;
		}
		r = row;
	}
	if (pt->g->color) {
		tl_status st = fig_item_color(pt->tm->b, p, s->worker, p->lane ? p->lane[i] : 0,
					      s->job, s->status, &color);
		if (st != TL_OK) {
			return st;
		}
	}
	term_paint_bar(pt->g, r - pt->r0, (double)(s->start - p->axis_lo) * pt->scale,
		       (double)(s->stop - p->axis_lo) * pt->scale, color,
		       tl_exit_status_failed(s->status), s->status == TL_EXIT_UNFINISHED);
	return TL_OK;
}

/*
 * Samples [from, to) of p (indexes into p->sample_ix, or into order when
 * given), into cells (the grid's, or a copy of its shape): in row r, or
 * when r is SIZE_MAX in their rows, looked up when the key changes (as
 * scatter.c keys them).
 */
static tl_status paint_range(const struct painter *pt, struct cell *cells, const uint32_t *order,
			     size_t from, size_t to, size_t r) {
	const struct panel *p = pt->p;
	struct build *b = pt->tm->b;
	bool fixed = r != SIZE_MAX;
	bool have_row = fixed;
	uint32_t color = 0, row = 0;
	size_t cols = (size_t)pt->g->cols, rows = pt->g->rows;
	if (fixed) {
		cells += (r - pt->r0) * cols;
	}
	struct sample_walk w = fig_walk_samples(b, p, order, from, to);
	const tl_track *s;
	size_t i;
	tl_ns v;
	/* Consecutive samples mostly fall in one cell: counted as a run, added at once. */
	struct cell *run = NULL;
	uint32_t n = 0;
	while (fig_next_sample(&w, &i, &v, &s)) {
		if (s && !fixed) {
			have_row = fig_track_row(p, pt->row_of, s, &row) && row >= pt->r0 &&
				   row - pt->r0 < rows;
		}
		if (s && pt->g->color) {
			tl_status st = fig_item_color(b, p, s->worker, 0, s->job, 0, &color);
			if (st != TL_OK) {
				return st;
			}
		}
		if (!have_row) {
			continue;
		}
		size_t c = (size_t)((double)(v - p->axis_lo) * pt->scale);
		struct cell *cell =
			&cells[(fixed ? 0 : (row - pt->r0) * cols) + (c < cols ? c : cols - 1)];
		if (cell != run || (uint16_t)color != run->color || n == UINT32_MAX) {
			if (run) {
				run->hits += n;
			}
			run = cell;
			n = 0;
			cell->color = (uint16_t)color;
		}
		n++;
	}
	if (run) {
		run->hits += n;
	}
	return TL_OK;
}

/* The second half of a large panel's samples, on a thread of its own. */
struct paint_job {
	const struct painter *pt;
	struct cell *cells;
	const uint32_t *order;
	size_t from, to, r;
	tl_status st;
};

static void *paint_thread(void *arg) {
	struct paint_job *j = arg;
	j->st = paint_range(j->pt, j->cells, j->order, j->from, j->to, j->r);
	return NULL;
}

/*
 * paint_range() into the grid. From as many samples as the scatter counts
 * on two threads (fig_count_split()), the second half is painted on a
 * thread of its own into cells of its own, added after: a cell's hits are
 * the sum, its colour the second half's where it has any (its last
 * sample's, as one pass gives). The colours are handed out first, so that
 * the threads only read them.
 */
static tl_status paint_samples(struct painter *pt, const uint32_t *order, size_t from, size_t to,
			       size_t r) {
	size_t n = to - from, cells = pt->g->rows * (size_t)pt->g->cols;
	if (n < fig_count_split() || n < 2 || sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		return paint_range(pt, pt->g->cells, order, from, to, r);
	}
	tl_status st = fig_assign_colors(pt->tm->b);
	if (st != TL_OK) {
		return st;
	}
	struct paint_job second = {
		pt,   calloc(cells ? cells : 1, sizeof(struct cell)), order, from + n / 2, to, r,
		TL_OK};
	pthread_t tid;
	bool started = second.cells && pthread_create(&tid, NULL, paint_thread, &second) == 0;
	st = paint_range(pt, pt->g->cells, order, from, started ? from + n / 2 : to, r);
	if (started) {
		pthread_join(tid, NULL);
		st = st != TL_OK ? st : second.st;
		for (size_t k = 0; k < cells; k++) {
			if (second.cells[k].hits) {
				pt->g->cells[k].hits += second.cells[k].hits;
				pt->g->cells[k].color = second.cells[k].color;
			}
		}
	}
	free(second.cells);
	return st;
}

/* Item k's row in p, or SIZE_MAX for an item off the axis or in no row. */
static size_t row_of_item(const struct painter *pt, size_t k) {
	const struct panel *p = pt->p;
	const struct build *b = pt->tm->b;
	uint32_t row;
	if (!p->scatter) {
		const tl_span *s = &pt->sp[p->span_ix[k]];
		return s->stop < p->axis_lo || s->start > p->axis_hi ? SIZE_MAX : p->span_row[k];
	}
	size_t i = fig_sample_ix(p, k);
	if (b->stime[i] < p->axis_lo || b->stime[i] > p->axis_hi ||
	    !fig_track_row(p, &p->row_of, &b->tracks[b->strack[i]], &row)) {
		return SIZE_MAX;
	}
	return row;
}

/* Rows [r0, r0 + g->rows) of p, painted, as lines. */
static void print_rows(struct painter *pt, int note_w) {
	struct term *tm = pt->tm;
	const struct panel *p = pt->p;
	struct grid *g = pt->g;
	FILE *f = tm->f;
	/* Densities against the densest cell (of the batch, in a panel painted in batches). */
	uint32_t hmax = 0;
	for (size_t r = 0; r < g->rows; r++) {
		uint32_t h = term_grid_finish_row(g, r);
		hmax = h > hmax ? h : hmax;
	}
	for (size_t r = 0; r < g->rows; r++) {
		const struct row_info *ri = &p->rows[pt->r0 + r];
		char label[512];
		fig_row_label(tm->b, p, ri, label, sizeof(label));
		term_fit_label(tm->b, tm->o, label, sizeof(label), tm->label_w);
		term_put_fixed(f, label, tm->label_w);
		fputs(tm->o->ascii ? " |" : " \xe2\x94\x82", f);
		const struct cell *row = g->cells + r * (size_t)g->cols;
		/* No trailing blanks: a line ends with its last mark, unless notes follow. */
		int end = pt->marks;
		while (!note_w && end > 0 && row[end - 1].cover <= 0 && row[end - 1].hits == 0) {
			end--;
		}
		int ink = -1;
		for (int c = 0; c < end; c++) {
			term_cell_out(tm, &row[c], hmax, &ink);
		}
		if (ink >= 0) {
			fputs("\x1b[0m", f);
		}
		if (note_w) {
			char note[80];
			row_note(tm, p, ri, note, sizeof(note));
			fprintf(f, "  %*s%s", note_w - term_cols(note), "", note);
		}
		fputc('\n', f);
	}
}

/* Items [from, to) of p (indexes, or through order when given) into row r, or their own rows. */
static tl_status paint_items(struct painter *pt, const uint32_t *order, size_t from, size_t to,
			     size_t r) {
	if (pt->p->scatter) {
		return paint_samples(pt, order, from, to, r);
	}
	tl_status st = TL_OK;
	for (size_t q = from; q < to && st == TL_OK; q++) {
		st = paint_span(pt, order ? order[q] : q, r);
	}
	return st;
}

/*
 * The shown rows of p, all in the grid at once: every item's row found,
 * those shown painted. A sample's is looked up, when the rows shown are a
 * few of many, in a map of their own, which stays in the cache where the
 * panel's would not.
 */
static tl_status paint_in_one_pass(struct painter *pt, size_t shown, int note_w) {
	const struct panel *p = pt->p;
	struct tl_hashmap few = {0}; /* the rows shown, when they are a few of many */
	tl_status st = TL_OK;
	for (size_t r = 0; p->scatter && shown < p->nrows && r < shown && st == TL_OK; r++) {
		uint32_t v;
		if (!tl_hashmap_get_or_put(&few, p->rows[r].key, (uint32_t)r, &v, NULL)) {
			st = fig_nomem(pt->tm->b);
		}
		pt->row_of = &few;
	}
	if (st == TL_OK) {
		term_grid_clear(pt->g);
		st = paint_items(pt, NULL, 0, p->scatter ? p->nsamples : p->nspans, SIZE_MAX);
	}
	if (st == TL_OK) {
		print_rows(pt, note_w);
	}
	tl_hashmap_fini(&few);
	return st;
}

/*
 * More rows than the grid holds: the items bucketed by row (a counting
 * sort), then a batch of rows at a time, each row's items a run of order.
 */
static tl_status paint_in_batches(struct painter *pt, size_t shown, size_t batch, int note_w) {
	const struct panel *p = pt->p;
	struct grid *g = pt->g;
	size_t nitems = p->scatter ? p->nsamples : p->nspans;
	uint32_t *rows = malloc((nitems ? nitems : 1) * sizeof(*rows));
	uint32_t *order = malloc((nitems ? nitems : 1) * sizeof(*order));
	size_t *start = calloc(shown + 2, sizeof(*start));
	tl_status st = TL_OK;
	if (!rows || !order || !start || nitems > UINT32_MAX) {
		st = fig_nomem(pt->tm->b);
		goto out;
	}
	for (size_t k = 0; k < nitems; k++) {
		size_t r = row_of_item(pt, k);
		rows[k] = r < shown ? (uint32_t)r : UINT32_MAX;
		start[(r < shown ? r : shown) + 2]++;
	}
	for (size_t r = 0; r < shown; r++) {
		start[r + 2] += start[r + 1];
	}
	for (size_t k = 0; k < nitems; k++) {
		if (rows[k] != UINT32_MAX) {
			order[start[rows[k] + 1]++] = (uint32_t)k;
		}
	}
	free(rows);
	rows = NULL;
	/* start[r] is now where row r's items begin in order. */
	for (size_t r0 = 0; r0 < shown && st == TL_OK; r0 += batch) {
		g->rows = shown - r0 < batch ? shown - r0 : batch;
		pt->r0 = r0;
		term_grid_clear(g);
		for (size_t r = r0; r < r0 + g->rows && st == TL_OK; r++) {
			st = paint_items(pt, order, start[r], start[r + 1], r);
		}
		if (st == TL_OK) {
			print_rows(pt, note_w);
		}
	}
out:
	free(rows);
	free(order);
	free(start);
	return st;
}

tl_status term_panel_rows(struct term *tm, struct panel *p, int marks, int note_w) {
	size_t shown = p->nrows < tm->max_rows ? p->nrows : tm->max_rows;
	size_t batch = GRID_CELLS / ((size_t)marks + 1);
	batch = batch < 1 ? 1 : batch > shown ? shown : batch;
	if (shown == 0) {
		return TL_OK;
	}
	struct grid g;
	if (!term_grid_init(&g, batch, marks, tm->o->color)) {
		term_grid_fini(&g);
		return fig_nomem(tm->b);
	}
	struct painter pt = {.tm = tm,
			     .p = p,
			     .g = &g,
			     .marks = marks,
			     .scale = marks / (double)(p->axis_hi - p->axis_lo),
			     .sp = tl_trace_spans(tm->b->t, &(size_t){0}),
			     .row_of = &p->row_of};
	tl_status st = batch == shown ? paint_in_one_pass(&pt, shown, note_w)
				      : paint_in_batches(&pt, shown, batch, note_w);
	term_grid_fini(&g);
	return st;
}
