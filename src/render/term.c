/*
 * Terminal preview: the chart as text, a line per row sized to a given
 * width, for a quick look over SSH. It shows what the image shows: the same
 * panels in the same order under the same titles and subtitles (wall time,
 * speedup, start-up: rows.c and annotate.c, as the layout has them), the
 * same rows in the same order with the same labels, cut in the middle when
 * too long; then, under each run of panels that share an axis, that axis.
 * Unicode block characters (a cell is full, half or an eighth covered) with
 * ANSI 256-colour codes from the image's palette, coloured as the image
 * colours them (colors.c) with its legend under the axis, or plain ASCII. No
 * pixels and no fonts: a code point is a column.
 *
 * Cost: the panels and their rows are the layout's (one pass over the
 * numbers, and the rows' sort); then one pass over each panel's spans or
 * samples paints the rows shown, each span in constant time (the cells it
 * covers whole are counted in a difference array), and the lines are
 * printed. Rows not shown cost their share of that pass and nothing else;
 * the cells in memory are bounded (GRID_CELLS): when every row of a large
 * panel is asked for, its items are bucketed by row once and painted a
 * batch of rows at a time.
 */

#include "term.h"

#include "layout.h"
#include "ticks.h"

#include "../io/atomic.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Most cells painted at once: more rows than fit are painted in batches. */
#define GRID_CELLS (1u << 18)

struct cell {
	float cover;   /* fraction of the cell covered by bars */
	uint32_t hits; /* samples in the cell */
	uint16_t color;
	bool failed;
	bool open;        /* an unfinished span ends here: its end is not known */
	bool left, right; /* coverage touches the cell's left or right edge */
};

/*
 * Terminal columns of the character at p (its bytes in *ret_len): two for
 * East Asian wide and fullwidth characters (CJK, most emoji), none for
 * combining marks and zero-width characters, one for the rest, as glib's
 * Unicode tables say (wcwidth() would depend on the locale).
 */
static int char_cols(const char *p, size_t *ret_len) {
	const char *q = p + 1;
	while (((unsigned char)*q & 0xc0) == 0x80) {
		q++;
	}
	*ret_len = (size_t)(q - p);
	gunichar c = g_utf8_get_char_validated(p, (gssize)*ret_len);
	if (c == (gunichar)-1 || c == (gunichar)-2) {
		return 1;
	}
	return g_unichar_iszerowidth(c) ? 0 : g_unichar_iswide(c) ? 2 : 1;
}

/* UTF-8 width in terminal columns. */
static int cols_of(const char *s) {
	int n = 0;
	size_t len;
	for (; *s; s += len) {
		n += char_cols(s, &len);
	}
	return n;
}

/* Print s cut or padded to exactly w columns (labels are fitted before: see fit_label()). */
static void put_fixed(FILE *f, const char *s, int w) {
	int n = 0;
	size_t len;
	for (const char *p = s; *p; p += len) {
		int c = char_cols(p, &len);
		if (n + c > w) {
			break; /* a wide character that would cross the edge: a blank instead */
		}
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			fputc(' ', f); /* tabs and other controls would break the columns */
		} else {
			fwrite(p, 1, len, f);
		}
		n += c;
	}
	for (; n < w; n++) {
		fputc(' ', f);
	}
}

/*
 * The chart's typography in plain ASCII, in place: the separator "·", "×",
 * "±", "σ", the dash "–", the ellipsis and "µ" become "-", "x", "+-", "sd",
 * "-", "..." and "u".
 */
static void ascii_fold(char *s, size_t size) {
	static const struct {
		const char *from, *to;
	} map[] = {{"\xc2\xb7", "-"},  {"\xc3\x97", "x"},     {"\xc2\xb1", "+-"},
		   {"\xcf\x83", "sd"}, {"\xe2\x80\x93", "-"}, {"\xe2\x80\xa6", "..."},
		   {"\xc2\xb5", "u"}};
	char *out = malloc(size);
	if (!out) {
		return;
	}
	size_t n = 0;
	for (const char *p = s; *p && n + 1 < size;) {
		size_t k = 0;
		while (k < sizeof(map) / sizeof(map[0]) &&
		       strncmp(p, map[k].from, strlen(map[k].from)) != 0) {
			k++;
		}
		const char *to = k < sizeof(map) / sizeof(map[0]) ? map[k].to : NULL;
		size_t len = to ? strlen(to) : 1;
		if (n + len >= size) {
			break;
		}
		memcpy(out + n, to ? to : p, len);
		n += len;
		p += to ? strlen(map[k].from) : 1;
	}
	out[n] = '\0';
	memcpy(s, out, n + 1);
	free(out);
}

/*
 * Text measured in columns for fig_fit_middle(), ctx a bool: ASCII, where the
 * ellipsis it puts in will be printed as three dots.
 */
static void measure_cols(void *ctx, const char *text, enum tl_text_role role, double px,
			 double *ret_w, double *ret_h) {
	(void)role;
	(void)px;
	int n = cols_of(text);
	for (const char *p = strstr(text, "\xe2\x80\xa6"); p && *(const bool *)ctx;
	     p = strstr(p + 3, "\xe2\x80\xa6")) {
		n += 2;
	}
	*ret_w = n;
	*ret_h = 1;
}

/* A row label in w columns: as the image fits it, cut in the middle, keeping its end. */
static void fit_label(struct build *b, const struct tl_term_opts *o, char *buf, size_t size,
		      int w) {
	fig_fit_middle(b, buf, size, TL_TEXT_TICK, w);
	if (o->ascii) {
		ascii_fold(buf, size);
	}
}

/*
 * One cell. In colour, *ink is the colour the line is in (-1: none yet): a
 * code is written only where it changes; the line's end resets it.
 */
static void cell_out(FILE *f, const struct cell *c, const struct tl_term_opts *o, uint32_t hmax,
		     int *ink) {
	static const char *const eighth_left[8] = {" ",
						   "\xe2\x96\x8f",
						   "\xe2\x96\x8e",
						   "\xe2\x96\x8d",
						   "\xe2\x96\x8c",
						   "\xe2\x96\x8b",
						   "\xe2\x96\x8a",
						   "\xe2\x96\x89"};
	static const char *const levels[8] = {"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83",
					      "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
					      "\xe2\x96\x87", "\xe2\x96\x88"};
	static const char ascii_levels[] = ".:-=+*#%";
	if (c->cover <= 0 && c->hits == 0) {
		fputc(' ', f);
		return;
	}
	int want = c->failed ? 196 : tl_palette_ansi(c->color);
	if (o->color && want != *ink) {
		fprintf(f, "\x1b[38;5;%dm", want);
		*ink = want;
	}
	if (c->hits) {
		int lv = fig_density_level(c->hits, hmax, 7);
		if (o->ascii) {
			fputc(ascii_levels[lv], f);
		} else {
			fputs(levels[lv], f);
		}
	} else if (c->open) {
		fputs(o->ascii ? ">" : "\xe2\x96\x91", f); /* ░, as the chart fades it out */
	} else if (o->ascii) {
		fputc(c->failed ? 'x' : c->cover >= 0.5f ? '#' : '+', f);
	} else if (c->failed) {
		fputs(c->cover >= 0.5f ? "\xe2\x96\x93" : "\xe2\x96\x92", f); /* ▓ ▒ */
	} else if (c->cover >= 0.875f || (c->left && c->right)) {
		fputs("\xe2\x96\x88", f); /* █ */
	} else if (c->left) {
		/* A bar ending inside the cell: an eighth block from the left. */
		int e = (int)lround(c->cover * 8);
		fputs(eighth_left[e < 1 ? 1 : e > 7 ? 7 : e], f);
	} else {
		/* A bar starting inside the cell: the right half or eighth. */
		fputs(c->cover >= 0.5f ? "\xe2\x96\x90" : "\xe2\x96\x95", f); /* ▐ ▕ */
	}
}

/* A time axis of cols cells from lo to hi with 1-2-5 ticks, the unit and then what. */
static void print_axis(FILE *f, const struct tl_term_opts *o, tl_ns lo, tl_ns hi, int label_w,
		       int cols, const char *what) {
	double per = (double)(hi - lo) / cols;
	struct tl_ticks tk;
	/* Fewer ticks until the widest label fits between two, with two spaces. */
	for (int max = cols / 10 + 1;; max--) {
		tl_ticks_compute(lo, hi, max, &tk);
		size_t widest = 0;
		for (int k = 0; k < tk.count; k++) {
			char lb[32];
			tl_ticks_label(&tk, tk.first + k * tk.step, lb, sizeof(lb));
			widest = strlen(lb) > widest ? strlen(lb) : widest;
		}
		if (tk.count < 2 || (double)tk.step / per >= (double)widest + 2 || max <= 2) {
			break;
		}
	}
	fprintf(f, "%*s %s", label_w, "", o->ascii ? "+" : "\xe2\x94\x94");
	for (int c = 0; c < cols; c++) {
		fputs(o->ascii ? "-" : "\xe2\x94\x80", f);
	}
	fputc('\n', f);
	char *axis = malloc((size_t)cols + 64);
	if (!axis) {
		return;
	}
	memset(axis, ' ', (size_t)cols + 63);
	axis[cols + 63] = '\0';
	int next = 0; /* a label never overwrites the one before */
	for (int k = 0; k < tk.count; k++) {
		char lb[32];
		tl_ticks_label(&tk, tk.first + k * tk.step, lb, sizeof(lb));
		int c = (int)((double)(tk.first + k * tk.step - lo) / per);
		size_t n = strlen(lb);
		if (c >= next && c + (int)n <= cols + 8) {
			memcpy(axis + c, lb, n);
			next = c + (int)n + 1;
		}
	}
	int end = cols + 63;
	while (end > 0 && axis[end - 1] == ' ') {
		end--;
	}
	axis[end] = '\0';
	char unit[64];
	/* Labels such as "1 h 30 min" say their units themselves. */
	const char *sym = tl_ticks_self_labelled(&tk) ? "" : tl_time_unit_symbol(tk.unit);
	snprintf(unit, sizeof(unit), "%s%s", sym, sym[0] ? what : what + strspn(what, " "));
	if (o->ascii) {
		ascii_fold(unit, sizeof(unit));
	}
	fprintf(f, "%*s  %s%s%s\n", label_w, "", axis, unit[0] ? " " : "", unit);
	free(axis);
}

/*
 * Cells of a batch of rows, rows × cols, with per row two difference arrays
 * (cols + 1 each) counting the spans, and the failed ones, that cover a
 * cell whole, and, when colours are shown, the next cell still without a
 * colour (a cell takes the colour of the first span over it).
 */
struct grid {
	struct cell *cells;
	int32_t *whole, *whole_failed, *uncolored;
	size_t rows;
	int cols;
	bool color;
};

static bool grid_init(struct grid *g, size_t rows, int cols, bool color) {
	size_t n = rows * (size_t)cols, m = rows * ((size_t)cols + 1);
	*g = (struct grid){.cells = malloc(n * sizeof(*g->cells)),
			   .whole = malloc(m * sizeof(int32_t)),
			   .whole_failed = malloc(m * sizeof(int32_t)),
			   .uncolored = malloc(m * sizeof(int32_t)),
			   .rows = rows,
			   .cols = cols,
			   .color = color};
	return g->cells && g->whole && g->whole_failed && g->uncolored;
}

static void grid_clear(struct grid *g) {
	size_t w = (size_t)g->cols + 1;
	memset(g->cells, 0, g->rows * (size_t)g->cols * sizeof(*g->cells));
	memset(g->whole, 0, g->rows * w * sizeof(int32_t));
	memset(g->whole_failed, 0, g->rows * w * sizeof(int32_t));
	for (size_t r = 0; r < g->rows; r++) {
		for (size_t c = 0; c < w; c++) {
			g->uncolored[r * w + c] = (int32_t)c;
		}
	}
}

static void grid_fini(struct grid *g) {
	free(g->cells);
	free(g->whole);
	free(g->whole_failed);
	free(g->uncolored);
}

/* The first cell at or after c without a colour (path halving). */
static int32_t next_uncolored(int32_t *next, int32_t c) {
	while (next[c] != c) {
		next[c] = next[next[c]];
		c = next[c];
	}
	return c;
}

static void cover_part(struct cell *c, int at, double a, double b, bool failed) {
	c->cover += (float)(b - a);
	c->left |= a <= at + 1e-9;
	c->right |= b >= at + 1.0 - 1e-9;
	c->failed |= failed;
}

/* A bar over cells x0..x1 (in cells from the left edge) of row r. */
static void paint_bar(struct grid *g, size_t r, double x0, double x1, uint32_t color, bool failed,
		      bool open) {
	int cols = g->cols;
	x0 = x0 < 0 ? 0 : x0 > cols ? cols : x0;
	x1 = x1 > cols ? cols : x1;
	if (x1 - x0 < 0.125) {
		/* A bar too short to see gets an eighth of a cell. */
		x1 = x0 + 0.125;
		if (x1 > cols) {
			x0 = cols - 0.125;
			x1 = cols;
		}
	}
	/* The first and the last cell the bar covers in part or whole. */
	int c0 = (int)x0, c1 = (int)ceil(x1) - 1;
	c0 = c0 >= cols ? cols - 1 : c0;
	c1 = c1 < c0 ? c0 : c1 >= cols ? cols - 1 : c1;
	struct cell *row = g->cells + r * (size_t)cols;
	if (c0 == c1) {
		cover_part(&row[c0], c0, x0, x1, failed);
	} else {
		cover_part(&row[c0], c0, x0, c0 + 1.0, failed);
		cover_part(&row[c1], c1, c1, x1, failed);
		if (c1 > c0 + 1) {
			int32_t *w = g->whole + r * ((size_t)cols + 1);
			w[c0 + 1]++;
			w[c1]--;
			if (failed) {
				int32_t *wf = g->whole_failed + r * ((size_t)cols + 1);
				wf[c0 + 1]++;
				wf[c1]--;
			}
		}
	}
	row[c1].open |= open;
	if (g->color) {
		int32_t *next = g->uncolored + r * ((size_t)cols + 1);
		for (int32_t c = next_uncolored(next, c0); c <= c1; c = next_uncolored(next, c)) {
			row[c].color = (uint16_t)color;
			next[c] = c + 1;
		}
	}
}

/* The cells spans cover whole, added to the cells of row r; the most hits of a cell in it. */
static uint32_t grid_finish_row(struct grid *g, size_t r) {
	struct cell *row = g->cells + r * (size_t)g->cols;
	const int32_t *w = g->whole + r * ((size_t)g->cols + 1),
		      *wf = g->whole_failed + r * ((size_t)g->cols + 1);
	int32_t whole = 0, failed = 0;
	uint32_t hmax = 0;
	for (int c = 0; c < g->cols; c++) {
		whole += w[c];
		failed += wf[c];
		if (whole > 0) {
			row[c].cover += (float)whole;
			row[c].left = row[c].right = true;
		}
		row[c].failed |= failed > 0;
		row[c].cover = row[c].cover > 1 ? 1 : row[c].cover;
		hmax = row[c].hits > hmax ? row[c].hits : hmax;
	}
	return hmax;
}

/* What the preview prints around a panel's rows, shared by all panels. */
struct term {
	struct build *b;
	const struct tl_term_opts *o;
	FILE *f;
	int label_w, cols;
	size_t max_rows; /* rows shown per panel; SIZE_MAX: all */
	tl_bench_stats *bench;
	size_t nbench;
};

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

/*
 * The columns of marks in p's lines: all of them, but for a benchmark's run
 * times, whose lines end with each command's mean ± σ when the marks keep
 * most of the line; *ret_note_w the notes' width then (else 0).
 */
static int marks_cols(const struct term *tm, const struct panel *p, int *ret_note_w) {
	int note_w = 0;
	for (size_t i = 0; p->runtimes && i < tm->nbench; i++) {
		char note[80];
		bench_note(tm->o, &tm->bench[i], note, sizeof(note));
		note_w = cols_of(note) > note_w ? cols_of(note) : note_w;
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
	paint_bar(pt->g, r - pt->r0, (double)(s->start - p->axis_lo) * pt->scale,
		  (double)(s->stop - p->axis_lo) * pt->scale, color, tl_status_failed(s->status),
		  s->status == TL_STATUS_UNFINISHED);
	return TL_OK;
}

/*
 * Samples [from, to) of p (indexes into p->sample_ix, or into order when
 * given), into the grid: in row r, or when r is SIZE_MAX in their rows,
 * looked up when the key changes (as scatter.c keys them).
 */
static tl_status paint_samples(struct painter *pt, const uint32_t *order, size_t from, size_t to,
			       size_t r) {
	const struct panel *p = pt->p;
	struct build *b = pt->tm->b;
	bool fixed = r != SIZE_MAX;
	bool have_row = fixed;
	uint32_t color = 0, row = 0;
	struct cell *cells = pt->g->cells;
	size_t cols = (size_t)pt->g->cols, rows = pt->g->rows;
	if (fixed) {
		cells += (r - pt->r0) * cols;
	}
	struct sample_walk w = fig_walk_samples(b, p, order, from, to);
	const tl_track *s;
	size_t i;
	while (fig_next_sample(&w, &i, &s)) {
		if (s && !fixed) {
			have_row = fig_track_row(b, pt->row_of, s, &row) && row >= pt->r0 &&
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
		size_t c = (size_t)((double)(b->stime[i] - p->axis_lo) * pt->scale);
		struct cell *cell =
			&cells[(fixed ? 0 : (row - pt->r0) * cols) + (c < cols ? c : cols - 1)];
		cell->hits++;
		cell->color = (uint16_t)color;
	}
	return TL_OK;
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
	    !fig_track_row(b, &p->row_of, &b->tracks[b->strack[i]], &row)) {
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
		uint32_t h = grid_finish_row(g, r);
		hmax = h > hmax ? h : hmax;
	}
	for (size_t r = 0; r < g->rows; r++) {
		const struct row_info *ri = &p->rows[pt->r0 + r];
		char label[512];
		fig_row_label(tm->b, p, ri, label, sizeof(label));
		fit_label(tm->b, tm->o, label, sizeof(label), tm->label_w);
		put_fixed(f, label, tm->label_w);
		fputs(tm->o->ascii ? " |" : " \xe2\x94\x82", f);
		const struct cell *row = g->cells + r * (size_t)g->cols;
		/* No trailing blanks: a line ends with its last mark, unless notes follow. */
		int end = pt->marks;
		while (!note_w && end > 0 && row[end - 1].cover <= 0 && row[end - 1].hits == 0) {
			end--;
		}
		int ink = -1;
		for (int c = 0; c < end; c++) {
			cell_out(f, &row[c], tm->o, hmax, &ink);
		}
		if (ink >= 0) {
			fputs("\x1b[0m", f);
		}
		if (note_w) {
			char note[80];
			row_note(tm, p, ri, note, sizeof(note));
			fprintf(f, "  %*s%s", note_w - cols_of(note), "", note);
		}
		fputc('\n', f);
	}
}

/* The rows shown of panel p, painted from one pass over its items (or in batches). */
static tl_status print_panel_rows(struct term *tm, struct panel *p, int marks, int note_w) {
	struct build *b = tm->b;
	size_t shown = p->nrows < tm->max_rows ? p->nrows : tm->max_rows;
	size_t nitems = p->scatter ? p->nsamples : p->nspans;
	size_t batch = GRID_CELLS / ((size_t)marks + 1);
	batch = batch < 1 ? 1 : batch > shown ? shown : batch;
	struct grid g;
	uint32_t *order = NULL, *rows = NULL;
	size_t *start = NULL;
	struct tl_hashmap few = {0}; /* the rows shown, when they are a few of many */
	tl_status st = TL_OK;
	if (shown == 0) {
		return TL_OK;
	}
	if (!grid_init(&g, batch, marks, tm->o->color)) {
		st = fig_nomem(b);
		goto out;
	}
	struct painter pt = {.tm = tm,
			     .p = p,
			     .g = &g,
			     .marks = marks,
			     .scale = marks / (double)(p->axis_hi - p->axis_lo),
			     .sp = tl_trace_spans(b->t, &(size_t){0}),
			     .row_of = &p->row_of};
	if (batch == shown) {
		/*
		 * One pass: every item's row found, those shown painted. A sample's
		 * is looked up, when the rows shown are a few of many in a map of
		 * their own, which stays in the cache where the panel's would not.
		 */
		for (size_t r = 0; p->scatter && shown < p->nrows && r < shown; r++) {
			uint32_t v;
			if (!tl_hashmap_get_or_put(&few, p->rows[r].key, (uint32_t)r, &v, NULL)) {
				st = fig_nomem(b);
				goto out;
			}
			pt.row_of = &few;
		}
		grid_clear(&g);
		if (p->scatter) {
			st = paint_samples(&pt, NULL, 0, nitems, SIZE_MAX);
		}
		for (size_t k = 0; !p->scatter && k < nitems && st == TL_OK; k++) {
			st = paint_span(&pt, k, SIZE_MAX);
		}
		if (st == TL_OK) {
			print_rows(&pt, note_w);
		}
		goto out;
	}
	/*
	 * More rows than the cells held at once: the items bucketed by row (a
	 * counting sort), then a batch of rows at a time, each row's items in
	 * a run of order.
	 */
	rows = malloc((nitems ? nitems : 1) * sizeof(*rows));
	order = malloc((nitems ? nitems : 1) * sizeof(*order));
	start = calloc(shown + 2, sizeof(*start));
	if (!rows || !order || !start || nitems > UINT32_MAX) {
		st = fig_nomem(b);
		goto out;
	}
	for (size_t k = 0; k < nitems; k++) {
		size_t r = row_of_item(&pt, k);
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
		g.rows = shown - r0 < batch ? shown - r0 : batch;
		pt.r0 = r0;
		grid_clear(&g);
		for (size_t r = r0; r < r0 + g.rows && st == TL_OK; r++) {
			if (p->scatter) {
				st = paint_samples(&pt, order, start[r], start[r + 1], r);
			}
			for (size_t q = start[r]; !p->scatter && q < start[r + 1] && st == TL_OK;
			     q++) {
				st = paint_span(&pt, order[q], r);
			}
		}
		if (st == TL_OK) {
			print_rows(&pt, note_w);
		}
	}
out:
	tl_hashmap_fini(&few);
	grid_fini(&g);
	free(rows);
	free(order);
	free(start);
	return st;
}

/* "NAME  subtitle" (bold name in colour), or "NAME  no job completed" for an empty panel. */
static tl_status print_heading(struct term *tm, const struct panel *p, const struct panel *ref) {
	char title[320], note[320];
	fig_panel_title(tm->b, p, title, sizeof(title));
	if (p->empty) {
		snprintf(note, sizeof(note), "%s", TL_NO_JOB_TEXT);
	} else {
		tl_status st = fig_panel_annotation(tm->b, p, ref, note, sizeof(note));
		if (st != TL_OK) {
			return st;
		}
	}
	fig_visible(title);
	fig_visible(note);
	if (tm->o->ascii) {
		ascii_fold(title, sizeof(title));
		ascii_fold(note, sizeof(note));
	}
	bool bold = tm->o->color && title[0];
	fprintf(tm->f, "%s%s%s%s%s\n", bold ? "\x1b[1m" : "", title, bold ? "\x1b[0m" : "",
		title[0] ? "  " : "", note);
	return TL_OK;
}

/*
 * In colour, what the colours stand for, as the image's legend says (when
 * it has one): "█ name" for each, on one line, "+N more" when they do not fit.
 */
static void print_legend(struct term *tm, size_t width) {
	const struct build *b = tm->b;
	const tl_render_opts *c = b->o;
	bool want = (c->color_by == TL_COLOR_WORKER && c->rows != TL_ROWS_WORKER) ||
		    c->color_by == TL_COLOR_GROUP;
	if (!tm->o->color || !want || b->nlegend == 0) {
		return;
	}
	size_t used = 0;
	for (size_t i = 0; i < b->nlegend; i++) {
		size_t w = (i ? 2 : 0) + 2 + (size_t)cols_of(b->legend[i].label);
		/* Room for "  +N more" after it, unless it is the last. */
		size_t after = i + 1 < b->nlegend ? 12 : 0;
		if (i > 0 && used + w + after > width) {
			fprintf(tm->f, "  +%zu more", b->nlegend - i);
			break;
		}
		fprintf(tm->f, "%s\x1b[38;5;%dm\xe2\x96\x88\x1b[0m %s", i ? "  " : "",
			tl_palette_ansi(b->legend[i].color), b->legend[i].label);
		used += w;
	}
	fputc('\n', tm->f);
}

/* The image's chart options when the caller gives none: the defaults, rows as the trace asks. */
static void default_chart(const tl_trace *t, tl_render_opts *ret) {
	tl_render_opts_init(ret);
	/* Readers of per-thread traces ask for a lane per worker, as cmd_render.c heeds. */
	const char *hint = tl_trace_meta_get(t, TL_META_ROWS);
	if (hint && strcmp(hint, TL_ROWS_BY_WORKER) == 0) {
		ret->rows = TL_ROWS_WORKER;
	}
}

/* The widest label of the rows shown, at least "job N" wide, at most a third of the line. */
static int label_width(struct build *b, size_t max_rows, int width) {
	int w = 4;
	for (size_t i = 0; i < b->npanels; i++) {
		const struct panel *p = &b->panels[i];
		for (size_t r = 0; r < p->nrows && r < max_rows; r++) {
			char label[512];
			fig_row_label(b, p, &p->rows[r], label, sizeof(label));
			w = cols_of(label) > w ? cols_of(label) : w;
		}
	}
	return w > width / 3 ? width / 3 : w;
}

/* Whether panels i and j are drawn on one time axis, with one set of columns. */
static bool same_axis(const struct panel *x, const struct panel *y) {
	return x->axis_lo == y->axis_lo && x->axis_hi == y->axis_hi && x->runtimes == y->runtimes;
}

static tl_status term_chart(const tl_trace *t, const struct tl_term_opts *o,
			    const tl_render_opts *chart, FILE *f, struct tl_error *err);

tl_status tl_render_term_chart(const tl_trace *t, const struct tl_term_opts *o,
			       const tl_render_opts *chart, FILE *f, struct tl_error *err) {
	tl_render_opts defaults;
	if (!chart) {
		default_chart(t, &defaults);
		chart = &defaults;
	}
	tl_trace *own = NULL;
	tl_status st = fig_chart_input(t, chart, &own, err);
	if (st == TL_OK) {
		st = term_chart(own ? own : t, o, chart, f, err);
	}
	tl_trace_free(own);
	return st;
}

static tl_status term_chart(const tl_trace *t, const struct tl_term_opts *o,
			    const tl_render_opts *chart, FILE *f, struct tl_error *err) {
	/* Only what labels are measured with: a column each (see measure_cols()). */
	struct tl_figure cells = {.px_per_pt = 1};
	bool ascii = o->ascii;
	struct build b = {.t = t,
			  .o = chart,
			  .measure = measure_cols,
			  .ctx = &ascii,
			  .fig = &cells,
			  .err = err};
	struct term tm = {.b = &b, .o = o, .f = f};
	tl_status st = fig_make_panels(&b);
	if (st != TL_OK) {
		goto out;
	}
	bool any_data = fig_panel_ranges(&b);
	st = fig_check_xlim(&b);
	if (st != TL_OK) {
		goto out;
	}
	const struct panel *ref = fig_reference(&b);
	if (b.bench) {
		st = tl_trace_bench(t, &tm.bench, &tm.nbench, err);
		if (st != TL_OK) {
			goto out;
		}
	}
	int width = o->width < 30 ? 30 : o->width;
	tm.max_rows = o->max_rows > 0 ? (size_t)o->max_rows : SIZE_MAX;
	tm.label_w = label_width(&b, tm.max_rows, width);
	tm.cols = width - tm.label_w - 2;
	const char *title = chart->title ? chart->title : tl_trace_meta_get(t, TL_META_TITLE);
	char line[512];
	if (title && title[0]) {
		snprintf(line, sizeof(line), "%s", title);
		fig_visible(line);
		if (o->ascii) {
			ascii_fold(line, sizeof(line));
		}
		fprintf(f, "%s%s%s\n", o->color ? "\x1b[1m" : "", line, o->color ? "\x1b[0m" : "");
	}
	if (tl_trace_interrupted(t, line, sizeof(line))) {
		/* First, so that nobody reads a partial run as a whole one. */
		fprintf(f, "%s%s%s\n", o->color ? "\x1b[1m" : "", line, o->color ? "\x1b[0m" : "");
	}
	bool timed = false; /* the panels since the last axis have marks on it */
	for (size_t i = 0; i < b.npanels && st == TL_OK; i++) {
		struct panel *p = &b.panels[i];
		st = print_heading(&tm, p, ref);
		int note_w = 0, marks = marks_cols(&tm, p, &note_w);
		if (st == TL_OK && !p->empty) {
			st = print_panel_rows(&tm, p, marks, note_w);
		}
		if (st == TL_OK && !p->empty && p->nrows > tm.max_rows) {
			/* Rows beyond the height are summarised rather than scrolled past. */
			size_t more = p->nrows - tm.max_rows;
			fprintf(f, "%*s %zu more row%s\n", tm.label_w, "", more,
				more == 1 ? "" : "s");
		}
		timed |= !p->empty;
		/* An axis under each run of panels that share one. */
		if (st == TL_OK && timed && any_data &&
		    (i + 1 == b.npanels || !same_axis(p, &b.panels[i + 1]))) {
			print_axis(f, o, p->axis_lo, p->axis_hi, tm.label_w, marks,
				   p->runtimes ? ", run time" : "");
			timed = false;
		}
	}
	if (st == TL_OK) {
		print_legend(&tm, (size_t)width);
	}
out:
	free(tm.bench);
	fig_build_fini(&b);
	if (st == TL_OK && ferror(f)) {
		st = tl_error_set(err, TL_ERR_IO, NULL, 0, 0, "write failed");
	}
	return st;
}

tl_status tl_render_term(const tl_trace *t, const tl_term_opts *o, FILE *f, struct tl_error *err) {
	return tl_render_term_chart(t, o, o->chart, f, err);
}

tl_status tl_render_term_file(const tl_trace *t, const tl_term_opts *o, const char *path,
			      struct tl_error *err) {
	struct tl_atomic out;
	tl_status st = tl_atomic_open(&out, path, err);
	if (st != TL_OK) {
		return st;
	}
	st = tl_render_term(t, o, out.f, err);
	if (st != TL_OK) {
		tl_atomic_abort(&out);
		return st;
	}
	return tl_atomic_commit(&out, err);
}
