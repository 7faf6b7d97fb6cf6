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

#include "layout.h"

#include <timeline/io.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const double tl_text_points[TL_TEXT_ROLE_COUNT] = {
	[TL_TEXT_TICK] = 9.0,   [TL_TEXT_LABEL] = 10.0, [TL_TEXT_PANEL] = 12.0,
	[TL_TEXT_TITLE] = 14.0, [TL_TEXT_NOTE] = 9.5,
};

/* ---- small containers ---- */

bool fig_grow(void **arr, size_t *cap, size_t need, size_t elem) {
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

/* ---- figure building blocks ---- */

bool fig_add_shape(struct tl_figure *f, struct tl_shape s) {
	if (f->nshapes == f->capshapes &&
	    !fig_grow((void **)&f->shapes, &f->capshapes, f->nshapes + 1, sizeof(s))) {
		return false;
	}
	f->shapes[f->nshapes++] = s;
	return true;
}

bool fig_add_line(struct tl_figure *f, double x0, double y0, double x1, double y1,
		  enum tl_line_kind kind) {
	if (f->nlines == f->caplines &&
	    !fig_grow((void **)&f->lines, &f->caplines, f->nlines + 1, sizeof(*f->lines))) {
		return false;
	}
	f->lines[f->nlines++] =
		(struct tl_line){(float)x0, (float)y0, (float)x1, (float)y1, (uint8_t)kind};
	return true;
}

bool fig_add_text(struct tl_figure *f, double x, double y, const char *text, enum tl_text_role role,
		  enum tl_align align, double max_w, bool vertical, bool muted) {
	if (f->ntexts == f->captexts &&
	    !fig_grow((void **)&f->texts, &f->captexts, f->ntexts + 1, sizeof(*f->texts))) {
		return false;
	}
	char *copy = strdup(text);
	if (!copy) {
		return false;
	}
	fig_visible(copy);
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
	for (size_t i = 0; i < f->nhovers; i++) {
		free(f->hovers[i].text);
	}
	free(f->hovers);
	free(f->shapes);
	free(f->lines);
	free(f->panels);
	free(f);
}

/* The shared per-span array *arr, zeroed on first use. */
uint32_t *fig_per_span(struct build *b, uint32_t **arr) {
	if (!*arr) {
		size_t n;
		tl_trace_spans(b->t, &n);
		*arr = calloc(n ? n : 1, sizeof(**arr));
	}
	return *arr;
}

tl_status fig_nomem(struct build *b) {
	return tl_error_set(b->err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

void fig_measure(struct build *b, const char *text, enum tl_text_role role, double *w, double *h) {
	b->measure(b->ctx, text, role, tl_text_points[role] * b->fig->px_per_pt, w, h);
}

static double text_h(struct build *b, enum tl_text_role role) {
	double w, h;
	fig_measure(b, "Ag", role, &w, &h);
	return h;
}

/*
 * "time 0 = 2023-11-14 22:13:20.123 UTC": where the axis's zero is, for a
 * trace read off a clock (tl_trace_origin(), its fraction without trailing
 * zeros). false when the times were relative already.
 */
static bool origin_footnote(const tl_trace *t, char *buf, size_t size) {
	char origin[128];
	if (!tl_trace_origin(t, origin, sizeof(origin))) {
		return false;
	}
	char *dot = strchr(origin, '.');
	if (dot) {
		size_t digits = strspn(dot + 1, "0123456789");
		char *end = dot + 1 + digits, *last = end;
		while (last > dot + 1 && last[-1] == '0') {
			last--;
		}
		memmove(last == dot + 1 ? dot : last, end, strlen(end) + 1);
	}
	snprintf(buf, size, "time 0 = %s", origin);
	return true;
}

/* A panel's least width, in layout units: room for labels, ticks and a plot. */
#define MIN_PANEL_W 240
/* The narrowest plot worth drawing, in layout units: a few tick labels' width. */
#define MIN_PLOT_W 60
/* Most rows a band of the grid is weighed by, and least: see band_heights(). */
#define MIN_BAND_ROWS 3
/* The canvas height chosen for content: from this to 1.25 × the width. */
#define AUTO_HEIGHT_MIN 500

/*
 * The grid: span panels in the first rows, sample panels in the rows below,
 * in as many columns as the most panels of one kind, unless that would make
 * a panel narrower than MIN_PANEL_W: then in bands, balanced (nine panels
 * that fit four across are 3 × 3, not 4 + 4 + 1), and at least at_least of
 * them. --cols forces the columns. Sets each panel's grid_row and grid_col;
 * returns the columns.
 */
static size_t place_grid(struct build *b, double avail_w, size_t at_least, size_t *ret_rows) {
	size_t n[2] = {0, 0};
	for (size_t i = 0; i < b->npanels; i++) {
		n[b->panels[i].scatter]++;
	}
	size_t widest = n[0] > n[1] ? n[0] : n[1], cols;
	if (b->o->cols > 0) {
		cols = (size_t)b->o->cols < widest ? (size_t)b->o->cols : widest;
	} else {
		size_t fit = (size_t)fmax(1, floor(avail_w / (MIN_PANEL_W * b->u)));
		size_t bands = (widest + fit - 1) / fit;
		cols = (widest + bands - 1) / bands;
		cols = cols < at_least ? at_least : cols;
		cols = cols > widest ? widest : cols;
	}
	size_t rows0 = (n[0] + cols - 1) / cols, k[2] = {0, 0};
	for (size_t i = 0; i < b->npanels; i++) {
		struct panel *p = &b->panels[i];
		size_t j = k[p->scatter]++;
		p->grid_row = (p->scatter ? rows0 : 0) + j / cols;
		p->grid_col = j % cols;
	}
	*ret_rows = rows0 + (n[1] + cols - 1) / cols;
	return cols;
}

/*
 * The height of each row of the grid (band_h, rows entries), its chrome
 * (titles, notes, axis) included, and the canvas height. A band's plots want
 * a label's pitch per row (its tallest panel's rows, at least MIN_BAND_ROWS),
 * so a band of 37 rows is taller than one of 7. When the options leave the
 * height to the layout, the canvas grows to give every band that, from
 * AUTO_HEIGHT_MIN up to 1.25 × the width (further only for every band's
 * MIN_BAND_ROWS, when panels are many); what is left over, or missing, is
 * shared in proportion, no band getting less than MIN_BAND_ROWS rows' worth
 * unless the canvas has no more.
 */
static double band_heights(struct build *b, size_t rows, double chrome, double pitch, double top,
			   double margin, double gap, double *band_h) {
	double total = 0;
	for (size_t gr = 0; gr < rows; gr++) {
		band_h[gr] = MIN_BAND_ROWS;
	}
	for (size_t i = 0; i < b->npanels; i++) {
		const struct panel *p = &b->panels[i];
		double want = (double)p->nrows;
		band_h[p->grid_row] = want > band_h[p->grid_row] ? want : band_h[p->grid_row];
	}
	for (size_t gr = 0; gr < rows; gr++) {
		band_h[gr] *= pitch; /* what each band's plots want */
		total += band_h[gr];
	}
	double fixed = top + margin + gap * (double)(rows - 1) + chrome * (double)rows;
	double H = b->fig->height;
	if (b->o->height <= 0) {
		/*
		 * Past the cap only as far as every band's least room needs: fifty
		 * panels make a tall figure rather than none.
		 */
		double side = floor(TL_RENDER_MAX_SIDE / b->o->scale);
		double cap = fmin(fmax(AUTO_HEIGHT_MIN, 1.25 * b->fig->width), side);
		double least = ceil(fixed + (double)rows * MIN_BAND_ROWS * pitch);
		H = fmin(cap, fmax(AUTO_HEIGHT_MIN, ceil(fixed + total)));
		H = fmin(fmax(H, least), side);
	}
	double avail = fmax(H - fixed, 0),
	       floor_h = fmin(MIN_BAND_ROWS * pitch, avail / (double)rows);
	/* Proportional shares; bands under the floor get it, the rest share what is left. */
	bool *at_floor = calloc(rows, sizeof(*at_floor));
	for (size_t pass = 0; pass < rows; pass++) {
		double left = avail, weight = 0;
		for (size_t gr = 0; gr < rows; gr++) {
			left -= at_floor && at_floor[gr] ? floor_h : 0;
			weight += at_floor && at_floor[gr] ? 0 : band_h[gr];
		}
		bool changed = false;
		for (size_t gr = 0; at_floor && gr < rows; gr++) {
			if (!at_floor[gr] && weight > 0 && left * band_h[gr] / weight < floor_h) {
				at_floor[gr] = changed = true;
			}
		}
		if (!changed) {
			for (size_t gr = 0; gr < rows; gr++) {
				bool f = at_floor && at_floor[gr];
				band_h[gr] = chrome + (f            ? floor_h
						       : weight > 0 ? left * band_h[gr] / weight
								    : avail / (double)rows);
			}
			break;
		}
	}
	free(at_floor);
	return H;
}

/* Label every how many rows, so that labels a tick's height tall never overlap. */
static size_t label_every(size_t nrows, double plot_h, double tick_h) {
	double row_h = nrows ? plot_h / (double)nrows : 0;
	return row_h <= 0 || row_h >= tick_h * 1.15 ? 1 : (size_t)ceil(tick_h * 1.15 / row_h);
}

/* The labelled row after r: every k-th, then the last, unless the k-th before is too near. */
static size_t next_label(size_t r, size_t every, size_t nrows) {
	size_t next = r + every;
	if (every > 1 && r + 1 < nrows && next >= nrows) {
		return nrows - 1; /* the last is always labelled */
	}
	if (every > 1 && next < nrows - 1 && nrows - 1 - next < every) {
		return nrows - 1; /* the last rather than one too near it */
	}
	return next;
}

/*
 * The y axis label, with how rows are shown when not one label each:
 * "Tasks (every 5th labelled)", or when rows outnumber the plot's pixel
 * rows, "Tasks (4 per pixel row)".
 */
static void y_label(struct build *b, const char *base, size_t nrows, size_t every,
		    const struct slots *sl, double room, char *buf, size_t size) {
	if (sl->binned && sl->count) {
		snprintf(buf, size, "%s (%zu per pixel row)", base,
			 (nrows + sl->count - 1) / sl->count);
	} else if (every > 1) {
		const char *sfx = every % 10 == 2 && every % 100 != 12   ? "nd"
				  : every % 10 == 3 && every % 100 != 13 ? "rd"
									 : "th";
		snprintf(buf, size, "%s (every %zu%s labelled)", base, every, sfx);
	} else {
		snprintf(buf, size, "%s", base);
	}
	/* A short plot: the short form, "Tasks (1 in 3)", then the name alone, then none. */
	double w, h;
	fig_measure(b, buf, TL_TEXT_LABEL, &w, &h);
	if (w > room && !sl->binned && every > 1) {
		snprintf(buf, size, "%s (1 in %zu)", base, every);
		fig_measure(b, buf, TL_TEXT_LABEL, &w, &h);
	}
	if (w > room) {
		snprintf(buf, size, "%s", base);
		fig_measure(b, buf, TL_TEXT_LABEL, &w, &h);
	}
	if (w > room) {
		buf[0] = '\0'; /* a plot too short for even the name: the row labels say */
	}
}

/* The --time-axis clock check, and where its clock starts. */
static tl_status clock_axis(struct build *b) {
	const tl_trace *t = b->t;
	if (b->o->time_axis != TL_TIME_AXIS_CLOCK) {
		return TL_OK;
	}
	/* Wall-clock times need a date or a time of day to start from. */
	const char *epoch = tl_trace_meta_get(t, TL_META_EPOCH_NS);
	const char *tod = tl_trace_meta_get(t, TL_META_TIME_OF_DAY_NS);
	if (!epoch && !tod) {
		return tl_error_set(b->err, TL_ERR_USAGE, NULL, 0, 0,
				    "--time-axis clock: the input's times are not dates or "
				    "times of day, so there is no time of day to show");
	}
	const char *clockless = tl_trace_meta_get(t, TL_META_CLOCKLESS_INPUT);
	if (clockless) {
		return tl_error_set(b->err, TL_ERR_USAGE, NULL, 0, 0,
				    "--time-axis clock: the times of %s are not dates or "
				    "times of day, so its groups have no time of day",
				    clockless);
	}
	b->clock = true;
	b->dated = epoch != NULL;
	b->local = tl_trace_meta_get(t, TL_META_LOCAL_TIME) != NULL;
	b->origin = strtoll(epoch ? epoch : tod, NULL, 10);
	return TL_OK;
}

/*
 * What every panel shares: text heights, the chrome above and below each
 * plot (a title and a note of one or two lines each), the footnote.
 */
struct frame {
	double margin, tick_h, label_h, panel_h, note_h;
	double top, bottom; /* a panel's chrome above and below its plot */
	double y;           /* where the grid starts */
	int title_lines, note_lines;
	bool any_data, has_foot;
	char foot[160];
	const char *ylabel;
	const struct panel *ref;
};

/* The figure's title (up to three lines) and an interrupted run's line, from *y down. */
static bool heading(struct build *b, const struct frame *fr, double *y) {
	const tl_render_opts *o = b->o;
	struct tl_figure *fig = b->fig;
	double W = fig->width, u = b->u, w, h;
	const char *title = o->title ? o->title : tl_trace_meta_get(b->t, TL_META_TITLE);
	if (title && title[0]) {
		/* Up to three lines before an ellipsis. */
		char line[3][512];
		snprintf(line[0], sizeof(line[0]), "%s", title);
		int nl = 1;
		while (nl < 3 && fig_split_text(b, line[nl - 1], TL_TEXT_TITLE, W - 2 * fr->margin,
						line[nl], sizeof(line[nl]))) {
			nl++;
		}
		for (int k = 0; k < nl; k++) {
			fig_measure(b, line[k], TL_TEXT_TITLE, &w, &h);
			if (!fig_add_text(fig, W / 2, *y, line[k], TL_TEXT_TITLE, TL_ALIGN_CENTER,
					  W - 2 * fr->margin, false, false)) {
				return false;
			}
			*y += h + (k == nl - 1 ? 6 * u : 0);
		}
	}
	char stopped[256];
	if (tl_trace_interrupted(b->t, stopped, sizeof(stopped))) {
		/* Under the title, so that nobody reads a partial run as a whole one. */
		fig_measure(b, stopped, TL_TEXT_LABEL, &w, &h);
		if (!fig_add_text(fig, W / 2, *y, stopped, TL_TEXT_LABEL, TL_ALIGN_CENTER,
				  W - 2 * fr->margin, false, false)) {
			return false;
		}
		*y += h + 6 * u;
	}
	return true;
}

/*
 * The height of panel p's plot in grid row gr, whose plots are full_h tall:
 * every panel of a band has the row pitch of its most rows, so a panel of 7
 * rows beside one of 70 is not stretched to rows ten times as tall. It keeps
 * MIN_BAND_ROWS rows' worth, and at least that many labels' pitch; the plot
 * is at the top of its cell.
 */
static double band_plot_h(const struct build *b, const struct frame *fr, size_t gr,
			  const struct panel *p, double full_h) {
	size_t most = MIN_BAND_ROWS;
	for (size_t i = 0; i < b->npanels; i++) {
		const struct panel *q = &b->panels[i];
		most = q->grid_row == gr && q->nrows > most ? q->nrows : most;
	}
	size_t mine = p->nrows > MIN_BAND_ROWS ? p->nrows : MIN_BAND_ROWS;
	double least = MIN_BAND_ROWS * fr->tick_h * 1.3;
	return fmin(full_h, fmax(full_h * (double)mine / (double)most, least));
}

/* Each panel's cell and plot rectangle, in a grid of cols columns of bands band_h tall. */
static void place_plots(struct build *b, const struct frame *fr, size_t cols, const double *band_h,
			const double *band_y) {
	double u = b->u, cell_w = (b->fig->width - 2 * fr->margin) / (double)cols;
	for (size_t i = 0; i < b->npanels; i++) {
		struct panel *p = &b->panels[i];
		size_t gc = p->grid_col, gr = p->grid_row;
		double cell_h = band_h[gr], w, h;
		p->first_col = gc == 0;
		p->cell = (struct tl_rectf){fr->margin + (double)gc * cell_w, band_y[gr], cell_w,
					    cell_h};
		/* Row labels: the widest shown one, capped at a third of the cell. */
		size_t every = label_every(p->nrows, cell_h - fr->top - fr->bottom, fr->tick_h);
		double label_w = 0;
		for (size_t r = 0; r < p->nrows; r += every) {
			char buf[512];
			fig_row_label(b, p, &p->rows[r], buf, sizeof(buf));
			fig_measure(b, buf, TL_TEXT_TICK, &w, &h);
			label_w = w > label_w ? w : label_w;
		}
		label_w = fmin(label_w, cell_w / 3);
		double left = label_w + 8 * u + (p->first_col ? fr->label_h + 8 * u : 0);
		/* Half the widest tick label may stick out right of the plot. */
		double right = 24 * u;
		p->plot =
			(struct tl_rectf){p->cell.x + left, p->cell.y + fr->top,
					  cell_w - left - right - (gc + 1 < cols ? 16 * u : 0),
					  band_plot_h(b, fr, gr, p, cell_h - fr->top - fr->bottom)};
		p->label_w = label_w;
	}
}

/* true when some panel's title (or its note) does not fit one line of its width. */
static bool chrome_wraps(struct build *b, const struct frame *fr, bool titles) {
	for (size_t i = 0; i < b->npanels; i++) {
		const struct panel *p = &b->panels[i];
		char text[320], rest[320];
		double room = p->plot.w + 24 * b->u;
		if (titles) {
			fig_panel_title(b, p, text, sizeof(text));
			if (fig_split_text(b, text, TL_TEXT_PANEL, room, rest, sizeof(rest))) {
				return true;
			}
		} else {
			fig_panel_annotation(b, p, fr->ref, text, sizeof(text));
			if (fig_split_note(b, text, room, rest, sizeof(rest))) {
				return true;
			}
		}
	}
	return false;
}

/*
 * The grid's layout: columns, band heights, the canvas height, each panel's
 * rectangles. A note or title that needs a second line gives every panel
 * one (plots stay aligned); bands too short for a given height take more
 * columns; a canvas too small for any plot is an error.
 */
static tl_status lay_out(struct build *b, struct frame *fr) {
	const tl_render_opts *o = b->o;
	double u = b->u, W = b->fig->width, row_gap = 16 * u;
	double foot_h = fr->has_foot ? fr->note_h + 6 * u : 0;
	size_t at_least = 1, rows, cols;
regrid:
	cols = place_grid(b, W - 2 * fr->margin, at_least, &rows);
	double *band_h = calloc(2 * rows, sizeof(*band_h)), *band_y = band_h + rows;
	if (!band_h) {
		return fig_nomem(b);
	}
	for (;;) {
		fr->top =
			fr->panel_h * fr->title_lines + 2 * u + fr->note_h * fr->note_lines + 8 * u;
		fr->bottom = 6 * u + fr->tick_h + 4 * u + fr->label_h + 4 * u;
		b->fig->height = band_heights(b, rows, fr->top + fr->bottom, fr->tick_h * 1.3,
					      fr->y, fr->margin + foot_h, row_gap, band_h);
		for (size_t gr = 0; gr < rows; gr++) {
			band_y[gr] = gr ? band_y[gr - 1] + band_h[gr - 1] + row_gap : fr->y;
		}
		place_plots(b, fr, cols, band_h, band_y);
		for (size_t i = 0; i < b->npanels; i++) {
			const struct panel *p = &b->panels[i];
			/* Bands too short for a height that was given: fewer bands, more columns.
			 */
			if (p->plot.h < 10 && o->cols <= 0 && o->height > 0 && cols < b->npanels &&
			    place_grid(b, W - 2 * fr->margin, cols + 1, &(size_t){0}) > cols) {
				at_least = cols + 1;
				free(band_h);
				goto regrid;
			}
			if (p->plot.w < MIN_PLOT_W * b->u || p->plot.h < 10) {
				free(band_h);
				return tl_error_set(
					b->err, TL_ERR_USAGE, NULL, 0, 0,
					"the canvas is too small for the labels: the plot area "
					"would be %.0f\xc3\x97%.0f px; give a larger --width or "
					"--height",
					fmax(p->plot.w, 0), fmax(p->plot.h, 0));
			}
		}
		if (fr->note_lines == 1 && chrome_wraps(b, fr, false)) {
			fr->note_lines = 2;
		} else if (fr->title_lines == 1 && chrome_wraps(b, fr, true)) {
			fr->title_lines = 2;
		} else {
			break;
		}
	}
	free(band_h);
	return TL_OK;
}

/*
 * One shared axis gets one set of ticks, chosen for the narrowest panel; a
 * benchmark's run times are another axis, with ticks of their own.
 */
static tl_status choose_ticks(struct build *b) {
	if (b->o->free_x) {
		for (size_t i = 0; i < b->npanels; i++) {
			tl_status st = fig_choose_ticks(b, &b->panels[i]);
			if (st != TL_OK) {
				return st;
			}
		}
		return TL_OK;
	}
	for (int runtimes = 0; runtimes < 2; runtimes++) {
		struct panel *narrow = NULL;
		for (size_t i = 0; i < b->npanels; i++) {
			struct panel *p = &b->panels[i];
			if (p->runtimes == runtimes && (!narrow || p->plot.w < narrow->plot.w)) {
				narrow = p;
			}
		}
		tl_status st = narrow ? fig_choose_ticks(b, narrow) : TL_OK;
		if (st != TL_OK) {
			return st;
		}
		for (size_t i = 0; narrow && i < b->npanels; i++) {
			if (b->panels[i].runtimes == runtimes) {
				b->panels[i].ticks = narrow->ticks;
			}
		}
	}
	return TL_OK;
}

/* A panel's grid lines, ticks, marks and axes: in the figure's draw order. */
static tl_status plot_marks(struct build *b, const struct frame *fr, struct panel *p) {
	struct tl_figure *fig = b->fig;
	double u = b->u, bottom = p->plot.y + p->plot.h;
	/* An empty panel keeps the shared time axis; with no data anywhere, it has none. */
	bool timed = !p->empty || fr->any_data;
	for (int k = 0; timed && k < p->ticks.count; k++) {
		tl_ns v = p->ticks.first + k * p->ticks.step;
		double x = fig_time_x(p, v);
		char buf[64];
		fig_tick_label(b, p, v, buf, sizeof(buf));
		if (!fig_add_line(fig, x, p->plot.y, x, bottom, TL_LINE_GRID) ||
		    !fig_add_line(fig, x, bottom, x, bottom + 4 * u, TL_LINE_TICK) ||
		    !fig_add_text(fig, x, bottom + 6 * u, buf, TL_TEXT_TICK, TL_ALIGN_CENTER, 0,
				  false, true)) {
			return fig_nomem(b);
		}
	}
	if (!p->empty && b->pool_origin && !fig_startup_band(b, p)) {
		return fig_nomem(b);
	}
	tl_status st = p->empty     ? TL_OK
		       : p->scatter ? fig_scatter_shapes(b, p)
				    : fig_gantt_shapes(b, p);
	if (st == TL_OK && !p->empty && p->runtimes) {
		st = fig_bench_whiskers(b, p);
	}
	if (st == TL_OK &&
	    (!fig_add_line(fig, p->plot.x, bottom, p->plot.x + p->plot.w, bottom, TL_LINE_AXIS) ||
	     !fig_add_line(fig, p->plot.x, p->plot.y, p->plot.x, bottom, TL_LINE_AXIS))) {
		st = fig_nomem(b);
	}
	return st;
}

/*
 * Row labels, thinned so that they never overlap: every k-th, the first and
 * the last always; the y label (first column only) says so.
 */
static bool row_labels(struct build *b, const struct frame *fr, const struct panel *p) {
	struct slots sl = fig_slots_for(p);
	double row_h = p->nrows ? p->plot.h / (double)p->nrows : 0, u = b->u;
	size_t every = label_every(p->nrows, p->plot.h, fr->tick_h);
	for (size_t r = 0; r < p->nrows; r = next_label(r, every, p->nrows)) {
		char buf[512];
		fig_row_label(b, p, &p->rows[r], buf, sizeof(buf));
		fig_fit_middle(b, buf, sizeof(buf), TL_TEXT_TICK, p->label_w);
		double cy = p->plot.y + ((double)r + 0.5) * (sl.binned ? row_h : sl.h);
		if (!fig_add_text(b->fig, p->plot.x - 6 * u, cy - fr->tick_h / 2, buf, TL_TEXT_TICK,
				  TL_ALIGN_RIGHT, p->label_w, false, false)) {
			return false;
		}
	}
	char yl[200];
	y_label(b, fr->ylabel, p->nrows, every, &sl, p->plot.h, yl, sizeof(yl));
	return !p->first_col || !yl[0] ||
	       fig_add_text(b->fig, p->cell.x + fr->label_h / 2, p->plot.y + p->plot.h / 2, yl,
			    TL_TEXT_LABEL, TL_ALIGN_CENTER, p->plot.h, true, false);
}

/* Panel title and its wall time / speedup; an empty panel says why it is. */
static bool panel_heading(struct build *b, const struct frame *fr, const struct panel *p) {
	struct tl_figure *fig = b->fig;
	double room = p->plot.w + 24 * b->u, cx = p->plot.x + p->plot.w / 2;
	char ptitle[320], trest[320], note[320], rest[320];
	fig_panel_title(b, p, ptitle, sizeof(ptitle));
	bool two_titles = fr->title_lines == 2 &&
			  fig_split_text(b, ptitle, TL_TEXT_PANEL, room, trest, sizeof(trest));
	double note_y = p->cell.y + fr->panel_h * fr->title_lines + 2 * b->u;
	fig_panel_annotation(b, p, fr->ref, note, sizeof(note));
	bool two = fig_split_note(b, note, room, rest, sizeof(rest));
	if (two && !p->empty &&
	    !fig_add_text(fig, cx, note_y + fr->note_h, rest, TL_TEXT_NOTE, TL_ALIGN_CENTER, room,
			  false, true)) {
		return false;
	}
	if (two_titles && !fig_add_text(fig, cx, p->cell.y + fr->panel_h, trest, TL_TEXT_PANEL,
					TL_ALIGN_CENTER, room, false, false)) {
		return false;
	}
	if (ptitle[0] && !fig_add_text(fig, cx, p->cell.y, ptitle, TL_TEXT_PANEL, TL_ALIGN_CENTER,
				       room, false, false)) {
		return false;
	}
	if (p->empty) {
		return fig_add_text(fig, cx, p->plot.y + (p->plot.h - fr->label_h) / 2,
				    TL_NO_JOB_TEXT, TL_TEXT_LABEL, TL_ALIGN_CENTER, p->plot.w,
				    false, true);
	}
	return fig_add_text(fig, cx, note_y, note, TL_TEXT_NOTE, TL_ALIGN_CENTER, room, false,
			    true);
}

/* A clock axis's label: dates when it passes midnight, the zone when the times name one. */
static const char *clock_label(const struct build *b, const struct panel *p) {
	bool dates = fig_clock_dates(b, p), utc = b->dated && !b->local;
	return dates ? (utc ? "Date and time (UTC)" : "Date and time")
		     : (utc ? "Time of day (UTC)" : "Time of day");
}

/* The x axis's label: what its times are, in which unit. */
static bool x_label(struct build *b, const struct frame *fr, const struct panel *p) {
	if (p->empty && !fr->any_data) {
		return true;
	}
	char run_label[64];
	snprintf(run_label, sizeof(run_label),
		 tl_ticks_self_labelled(&p->ticks) ? "Run time" : "Run time (%s)",
		 tl_time_unit_symbol(p->ticks.unit));
	const char *xlabel = p->runtimes    ? run_label
			     : b->o->xlabel ? b->o->xlabel
			     : b->clock     ? clock_label(b, p)
					    : tl_time_unit_title(p->ticks.unit);
	double y = p->plot.y + p->plot.h + 6 * b->u + fr->tick_h + 4 * b->u;
	return fig_add_text(b->fig, p->plot.x + p->plot.w / 2, y, xlabel, TL_TEXT_LABEL,
			    TL_ALIGN_CENTER, p->plot.w, false, false);
}

static tl_status draw_panel(struct build *b, const struct frame *fr, struct panel *p) {
	tl_status st = plot_marks(b, fr, p);
	if (st != TL_OK) {
		return st;
	}
	if (!row_labels(b, fr, p) || !panel_heading(b, fr, p) || !x_label(b, fr, p)) {
		return fig_nomem(b);
	}
	struct tl_figure *fig = b->fig;
	fig->panels[fig->npanels++] =
		(struct tl_panel_geom){.plot = p->plot,
				       .lo = p->axis_lo,
				       .hi = p->axis_hi,
				       .rows = p->nrows,
				       .row_h = p->nrows ? p->plot.h / (double)p->nrows : 0};
	return TL_OK;
}

/*
 * The stages: panels and their rows, time ranges, the heading, the legend's
 * room, the grid's layout, ticks, then each panel's marks and texts, the
 * footnote and the legend.
 */
static tl_status build(struct build *b) {
	const tl_render_opts *o = b->o;
	struct tl_figure *fig = b->fig;
	tl_status st = fig_make_panels(b);
	if (st == TL_OK) {
		st = clock_axis(b);
	}
	if (st != TL_OK) {
		return st;
	}
	struct frame fr = {.margin = 14 * b->u,
			   .tick_h = text_h(b, TL_TEXT_TICK),
			   .label_h = text_h(b, TL_TEXT_LABEL),
			   .panel_h = text_h(b, TL_TEXT_PANEL),
			   .note_h = text_h(b, TL_TEXT_NOTE),
			   .title_lines = 1,
			   .note_lines = 1,
			   .ylabel = o->ylabel                   ? o->ylabel
				     : o->rows == TL_ROWS_WORKER ? "Workers"
				     : b->bench                  ? "Commands"
								 : "Tasks"};
	fr.any_data = fig_panel_ranges(b);
	st = fig_check_xlim(b);
	if (st != TL_OK) {
		return st;
	}
	/* Speedups are against the library's reference group, when it is drawn. */
	fr.ref = fig_reference(b);
	/* Times read off a clock start at 0: a footnote says where 0 was. */
	fr.has_foot = b->clock ? fig_clock_footnote(b, fr.foot, sizeof(fr.foot))
			       : origin_footnote(b->t, fr.foot, sizeof(fr.foot));
	fr.y = fr.margin;
	if (!heading(b, &fr, &fr.y)) {
		return fig_nomem(b);
	}
	/*
	 * The legend's lines are known before any mark: colours are handed out
	 * in a first pass (fig_legend_lines). Its entries are drawn at the end.
	 * With a row per worker, the row labels already say which worker a
	 * colour is.
	 */
	double legend_y = fr.y, legend_h = fr.tick_h, W = fig->width;
	bool want_legend =
		fr.any_data && ((o->color_by == TL_COLOR_WORKER && o->rows != TL_ROWS_WORKER) ||
				o->color_by == TL_COLOR_GROUP || o->color_by == TL_COLOR_STATUS);
	if (want_legend) {
		fr.y += (legend_h + 4 * b->u) * (double)fig_legend_lines(b, W - 2 * fr.margin) +
			4 * b->u;
	}
	st = lay_out(b, &fr);
	if (st == TL_OK) {
		st = choose_ticks(b);
	}
	for (size_t i = 0; i < b->npanels && st == TL_OK; i++) {
		st = draw_panel(b, &fr, &b->panels[i]);
	}
	if (st != TL_OK) {
		return st;
	}
	if (fr.has_foot &&
	    !fig_add_text(fig, fr.margin, fig->height - fr.margin - fr.note_h, fr.foot,
			  TL_TEXT_NOTE, TL_ALIGN_LEFT, W - 2 * fr.margin, false, true)) {
		return fig_nomem(b);
	}
	return fig_legend(b, want_legend, legend_y, legend_h) != TL_OK ? fig_nomem(b) : TL_OK;
}

static tl_status figure_build(const tl_trace *trace, const tl_render_opts *opts, tl_measure_fn fn,
			      void *ctx, struct tl_figure **ret_fig, struct tl_error *err);

tl_status tl_figure_build(const tl_trace *trace, const tl_render_opts *opts, tl_measure_fn fn,
			  void *ctx, struct tl_figure **ret_fig, struct tl_error *err) {
	tl_trace *own = NULL;
	tl_status st = fig_chart_input(trace, opts, &own, err);
	if (st == TL_OK) {
		st = figure_build(own ? own : trace, opts, fn, ctx, ret_fig, err);
	}
	tl_trace_free(own);
	return st;
}

static tl_status figure_build(const tl_trace *trace, const tl_render_opts *opts, tl_measure_fn fn,
			      void *ctx, struct tl_figure **ret_fig, struct tl_error *err) {
	/* Layout divides by these; tl_render_file checks their ranges before. */
	if (opts->width <= 0 || opts->height < 0 || !(opts->dpi > 0) || !(opts->scale > 0)) {
		return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0,
				    "width, dpi and scale must be positive, and height too "
				    "(or 0: from the content)");
	}
	struct tl_figure *fig = calloc(1, sizeof(*fig));
	if (!fig) {
		return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	fig->width = opts->width;
	fig->height = opts->height > 0 ? opts->height : AUTO_HEIGHT_MIN; /* till laid out */
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
	tl_status st = fig->panels ? build(&b) : fig_nomem(&b);
	fig_build_fini(&b);
	if (st != TL_OK) {
		tl_figure_free(fig);
		return st;
	}
	*ret_fig = fig;
	return TL_OK;
}
