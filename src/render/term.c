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

#include "preview.h"
#include "ticks.h"

#include "../io/atomic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		term_ascii_fold(unit, sizeof(unit));
	}
	fprintf(f, "%*s  %s%s%s\n", label_w, "", axis, unit[0] ? " " : "", unit);
	free(axis);
}

/* A line of text, made visible (and ASCII as asked), in bold when in colour. */
static void print_bold(struct term *tm, const char *text) {
	char line[512];
	snprintf(line, sizeof(line), "%s", text);
	fig_visible(line);
	if (tm->o->ascii) {
		term_ascii_fold(line, sizeof(line));
	}
	bool bold = tm->o->color;
	fprintf(tm->f, "%s%s%s\n", bold ? "\x1b[1m" : "", line, bold ? "\x1b[0m" : "");
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
		term_ascii_fold(title, sizeof(title));
		term_ascii_fold(note, sizeof(note));
	}
	bool bold = tm->o->color && title[0];
	fprintf(tm->f, "%s%s%s%s%s\n", bold ? "\x1b[1m" : "", title, bold ? "\x1b[0m" : "",
		title[0] ? "  " : "", note);
	return TL_OK;
}

/*
 * In colour, what the colours stand for, as the image's legend says (when
 * it has one, fig_wants_legend()), with its entries: each the character its
 * cells show in its colour ("█ worker 1", "▓ timeout"), on one line, "+N
 * more" when they do not fit. The preview draws no queue waits: their entry
 * is left out.
 */
static tl_status print_legend(struct term *tm, size_t width, bool any_data) {
	struct build *b = tm->b;
	if (!tm->o->color || !fig_wants_legend(b->o, any_data)) {
		return TL_OK;
	}
	tl_status st = fig_legend_entries(b);
	size_t n = 0, shown = 0, used = 0;
	for (size_t i = 0; st == TL_OK && i < b->nlegend; i++) {
		n += b->legend[i].style != STYLE_WAIT;
	}
	for (size_t i = 0; i < b->nlegend; i++) {
		const struct legend_item *it = &b->legend[i];
		if (it->style == STYLE_WAIT) {
			continue;
		}
		/* A name too long for the line is cut in the middle, as row labels are. */
		char label[512];
		snprintf(label, sizeof(label), "%s", it->label);
		term_fit_label(b, tm->o, label, sizeof(label), width > 40 ? (int)width - 16 : 24);
		size_t w = (shown ? 2 : 0) + 2 + (size_t)term_cols(label);
		/* Room for "  +N more" after it, unless it is the last. */
		size_t after = shown + 1 < n ? 12 : 0;
		if (shown > 0 && used + w + after > width) {
			fprintf(tm->f, "  +%zu more", n - shown);
			break;
		}
		fprintf(tm->f, "%s\x1b[38;5;%dm%s\x1b[0m %s", shown ? "  " : "",
			term_ink(tm, it->color, it->style == TL_SHAPE_FAILED),
			term_style_char(it->style, tm->o->ascii), label);
		used += w;
		shown++;
	}
	if (shown) {
		fputc('\n', tm->f);
	}
	return st;
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
			w = term_cols(label) > w ? term_cols(label) : w;
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
	/* Only what labels are measured with: a column each (see term_measure_cols()). */
	struct tl_figure cells = {.px_per_pt = 1};
	bool ascii = o->ascii;
	struct build b = {.t = t,
			  .o = chart,
			  .measure = term_measure_cols,
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
		print_bold(&tm, title);
	}
	if (tl_trace_interrupted(t, line, sizeof(line))) {
		/* First, so that nobody reads a partial run as a whole one. */
		print_bold(&tm, line);
	}
	bool timed = false; /* the panels since the last axis have marks on it */
	for (size_t i = 0; i < b.npanels && st == TL_OK; i++) {
		struct panel *p = &b.panels[i];
		st = print_heading(&tm, p, ref);
		int note_w = 0, marks = term_marks_cols(&tm, p, &note_w);
		if (st == TL_OK && !p->empty) {
			st = term_panel_rows(&tm, p, marks, note_w);
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
		st = print_legend(&tm, (size_t)width, any_data);
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
