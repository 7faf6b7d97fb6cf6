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

#include "../model/hash.h"

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

void fig_keymap_free(struct keymap *m) {
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
		fig_keymap_free(&nm);
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
	fig_keymap_free(m);
	*m = nm;
	return true;
}

/* The value of key; when absent, insert val. *ret_new says which. */
bool fig_keymap_get_or_put(struct keymap *m, uint64_t key, uint32_t val, uint32_t *ret,
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

bool fig_keymap_find(const struct keymap *m, uint64_t key, uint32_t *ret) {
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
 * rows, "Tasks (4 per line)".
 */
static void y_label(struct build *b, const char *base, size_t nrows, size_t every,
		    const struct slots *sl, double room, char *buf, size_t size) {
	if (sl->binned && sl->count) {
		snprintf(buf, size, "%s (%zu per line)", base, (nrows + sl->count - 1) / sl->count);
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

static tl_status build(struct build *b) {
	const tl_render_opts *o = b->o;
	const tl_trace *t = b->t;
	struct tl_figure *fig = b->fig;
	char stopped_text[256];
	bool stopped = tl_trace_interrupted(t, stopped_text, sizeof(stopped_text));
	tl_status st = fig_make_panels(b);
	if (st != TL_OK) {
		return st;
	}
	if (o->time_axis == TL_TIME_AXIS_CLOCK) {
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
		b->origin = strtoll(epoch ? epoch : tod, NULL, 10);
	}
	bool any_data = fig_panel_ranges(b);
	/* Speedups are against the library's reference group, when it is drawn. */
	const struct panel *ref = fig_reference(b);

	double u = b->u, W = fig->width, H = fig->height;
	double margin = 14 * u;
	double y = margin;
	const char *title = o->title ? o->title : tl_trace_meta_get(t, "title");
	double w, h;
	if (title && title[0]) {
		/* Up to three lines before an ellipsis. */
		char line[3][512];
		snprintf(line[0], sizeof(line[0]), "%s", title);
		int nl = 1;
		while (nl < 3 && fig_split_text(b, line[nl - 1], TL_TEXT_TITLE, W - 2 * margin,
						line[nl], sizeof(line[nl]))) {
			nl++;
		}
		for (int k = 0; k < nl; k++) {
			fig_measure(b, line[k], TL_TEXT_TITLE, &w, &h);
			if (!fig_add_text(fig, W / 2, y, line[k], TL_TEXT_TITLE, TL_ALIGN_CENTER,
					  W - 2 * margin, false, false)) {
				goto oom;
			}
			y += h + (k == nl - 1 ? 6 * u : 0);
		}
	}
	if (stopped) {
		/* Under the title, so that nobody reads a partial run as a whole one. */
		fig_measure(b, stopped_text, TL_TEXT_LABEL, &w, &h);
		if (!fig_add_text(fig, W / 2, y, stopped_text, TL_TEXT_LABEL, TL_ALIGN_CENTER,
				  W - 2 * margin, false, false)) {
			goto oom;
		}
		y += h + 6 * u;
	}

	double legend_y = y;
	double legend_h = text_h(b, TL_TEXT_TICK);
	/*
	 * The legend's lines are known before any mark: colours are handed out
	 * in a first pass (fig_legend_lines). Its entries are drawn at the end.
	 * With a row per worker, the row labels already say which worker a
	 * colour is.
	 */
	bool want_legend =
		any_data && ((o->color_by == TL_COLOR_WORKER && o->rows != TL_ROWS_WORKER) ||
			     o->color_by == TL_COLOR_GROUP || o->color_by == TL_COLOR_STATUS);
	size_t legend_lines = 0;
	if (want_legend) {
		legend_lines = 1;
		y += (legend_h + 4 * u) * (double)fig_legend_lines(b, W - 2 * margin) + 4 * u;
	}

	/* The grid: span panels above, sample panels below, wrapped to fit. */
	size_t grid_rows, at_least = 1, cols;
	double *band_h = NULL, *band_y;
regrid:
	cols = place_grid(b, W - 2 * margin, at_least, &grid_rows);
	free(band_h);
	band_h = calloc(2 * grid_rows, sizeof(*band_h));
	if (!band_h) {
		goto oom;
	}
	band_y = band_h + grid_rows;

	double tick_h = text_h(b, TL_TEXT_TICK), label_h = text_h(b, TL_TEXT_LABEL);
	double panel_h = text_h(b, TL_TEXT_PANEL), note_h = text_h(b, TL_TEXT_NOTE);
	double cell_w = (W - 2 * margin) / (double)cols;
	double row_gap = 16 * u;
	const char *xlabel_fixed = o->xlabel;
	const char *ylabel = o->ylabel                   ? o->ylabel
			     : o->rows == TL_ROWS_WORKER ? "Workers"
			     : b->bench                  ? "Commands"
							 : "Tasks";
	/* A panel's note takes a second line when it does not fit one: then every
	 * panel's plot starts a line lower, so that the plots stay aligned. */
	int note_lines = 1, title_lines = 1;
	/* Times read off a clock start at 0: a footnote says where 0 was. */
	char foot[160];
	bool has_foot = !b->clock && origin_footnote(t, foot, sizeof(foot));
	double foot_h = has_foot ? note_h + 6 * u : 0;
relayout:;
	double top = panel_h * title_lines + 2 * u + note_h * note_lines + 8 * u;
	double bottom = 6 * u + tick_h + 4 * u + label_h + 4 * u;
	H = band_heights(b, grid_rows, top + bottom, tick_h * 1.3, y, margin + foot_h, row_gap,
			 band_h);
	fig->height = H;
	for (size_t gr = 0; gr < grid_rows; gr++) {
		band_y[gr] = gr ? band_y[gr - 1] + band_h[gr - 1] + row_gap : y;
	}
	for (size_t i = 0; i < b->npanels; i++) {
		struct panel *p = &b->panels[i];
		size_t gc = p->grid_col, gr = p->grid_row;
		double cell_h = band_h[gr];
		p->first_col = gc == 0;
		p->cell =
			(struct tl_rectf){margin + (double)gc * cell_w, band_y[gr], cell_w, cell_h};
		/* Row labels: the widest shown one, capped at a third of the cell. */
		size_t every = label_every(p->nrows, cell_h - top - bottom, tick_h);
		double label_w = 0;
		for (size_t r = 0; r < p->nrows; r += every) {
			char buf[512];
			fig_row_label(b, p, &p->rows[r], buf, sizeof(buf));
			fig_measure(b, buf, TL_TEXT_TICK, &w, &h);
			label_w = w > label_w ? w : label_w;
		}
		double label_cap = cell_w / 3;
		if (label_w > label_cap) {
			label_w = label_cap;
		}
		double left = label_w + 8 * u + (p->first_col ? label_h + 8 * u : 0);
		/* Half the widest tick label may stick out right of the plot. */
		double right = 24 * u;
		p->plot = (struct tl_rectf){p->cell.x + left, p->cell.y + top,
					    cell_w - left - right - (gc + 1 < cols ? 16 * u : 0),
					    cell_h - top - bottom};
		/* Bands too short for a height that was given: fewer bands, more columns. */
		if (p->plot.h < 10 && o->cols <= 0 && b->o->height > 0 && cols < b->npanels &&
		    place_grid(b, W - 2 * margin, cols + 1, &(size_t){0}) > cols) {
			at_least = cols + 1;
			goto regrid;
		}
		if (p->plot.w < 20 || p->plot.h < 10) {
			free(band_h);
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
		fig_panel_annotation(b, &b->panels[i], ref, note, sizeof(note));
		if (fig_split_note(b, note, b->panels[i].plot.w + 24 * u, rest, sizeof(rest))) {
			note_lines = 2;
			goto relayout;
		}
	}
	/* A title too long for its panel takes a second line rather than an ellipsis. */
	for (size_t i = 0; i < b->npanels && title_lines == 1; i++) {
		char title_text[320], rest[320];
		fig_panel_title(b, &b->panels[i], title_text, sizeof(title_text));
		if (fig_split_text(b, title_text, TL_TEXT_PANEL, b->panels[i].plot.w + 24 * u, rest,
				   sizeof(rest))) {
			title_lines = 2;
			goto relayout;
		}
	}
	free(band_h);
	band_h = NULL;
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
			st = narrow ? fig_choose_ticks(b, narrow) : TL_OK;
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
			st = fig_choose_ticks(b, &b->panels[i]);
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
			double x = fig_time_x(p, v);
			if (!fig_add_line(fig, x, p->plot.y, x, p->plot.y + p->plot.h,
					  TL_LINE_GRID) ||
			    !fig_add_line(fig, x, p->plot.y + p->plot.h, x,
					  p->plot.y + p->plot.h + 4 * u, TL_LINE_TICK)) {
				goto oom;
			}
			char buf[64];
			fig_tick_label(b, p, v, buf, sizeof(buf));
			if (!fig_add_text(fig, x, p->plot.y + p->plot.h + 6 * u, buf, TL_TEXT_TICK,
					  TL_ALIGN_CENTER, 0, false, true)) {
				goto oom;
			}
		}
		if (!p->empty && b->pool_origin && !fig_startup_band(b, p)) {
			goto oom;
		}
		st = p->empty     ? TL_OK
		     : p->scatter ? fig_scatter_shapes(b, p)
				  : fig_gantt_shapes(b, p);
		if (st == TL_OK && !p->empty && p->runtimes) {
			st = fig_bench_whiskers(b, p);
		}
		if (st != TL_OK) {
			goto fail;
		}
		if (!fig_add_line(fig, p->plot.x, p->plot.y + p->plot.h, p->plot.x + p->plot.w,
				  p->plot.y + p->plot.h, TL_LINE_AXIS) ||
		    !fig_add_line(fig, p->plot.x, p->plot.y, p->plot.x, p->plot.y + p->plot.h,
				  TL_LINE_AXIS)) {
			goto oom;
		}
		/*
		 * Row labels, thinned so that they never overlap: every k-th, the
		 * first and the last always; the y label says so.
		 */
		struct slots sl = fig_slots_for(p);
		double row_h = p->nrows ? p->plot.h / (double)p->nrows : 0;
		size_t every = label_every(p->nrows, p->plot.h, tick_h);
		for (size_t r = 0; r < p->nrows; r = next_label(r, every, p->nrows)) {
			char buf[512];
			fig_row_label(b, p, &p->rows[r], buf, sizeof(buf));
			fig_fit_middle(b, buf, sizeof(buf), TL_TEXT_TICK, label_w);
			double cy = sl.binned ? p->plot.y + ((double)r + 0.5) * row_h
					      : p->plot.y + ((double)r + 0.5) * sl.h;
			if (!fig_add_text(fig, p->plot.x - 6 * u, cy - tick_h / 2, buf,
					  TL_TEXT_TICK, TL_ALIGN_RIGHT, label_w, false, false)) {
				goto oom;
			}
		}
		/* Panel title and its wall time / speedup; an empty panel says why it is. */
		char ptitle[320], trest[320];
		fig_panel_title(b, p, ptitle, sizeof(ptitle));
		bool two_titles =
			title_lines == 2 && fig_split_text(b, ptitle, TL_TEXT_PANEL,
							   p->plot.w + right, trest, sizeof(trest));
		double note_y = p->cell.y + panel_h * title_lines + 2 * u;
		char note[320], rest[320];
		fig_panel_annotation(b, p, ref, note, sizeof(note));
		bool two = fig_split_note(b, note, p->plot.w + right, rest, sizeof(rest));
		double cx = p->plot.x + p->plot.w / 2;
		if (two && !p->empty &&
		    !fig_add_text(fig, cx, note_y + note_h, rest, TL_TEXT_NOTE, TL_ALIGN_CENTER,
				  p->plot.w + right, false, true)) {
			goto oom;
		}
		if (two_titles && !fig_add_text(fig, cx, p->cell.y + panel_h, trest, TL_TEXT_PANEL,
						TL_ALIGN_CENTER, p->plot.w + right, false, false)) {
			goto oom;
		}
		if ((ptitle[0] &&
		     !fig_add_text(fig, cx, p->cell.y, ptitle, TL_TEXT_PANEL, TL_ALIGN_CENTER,
				   p->plot.w + right, false, false)) ||
		    (!p->empty && !fig_add_text(fig, cx, note_y, note, TL_TEXT_NOTE,
						TL_ALIGN_CENTER, p->plot.w + right, false, true)) ||
		    (p->empty &&
		     !fig_add_text(fig, cx, p->plot.y + (p->plot.h - label_h) / 2, TL_NO_JOB_TEXT,
				   TL_TEXT_LABEL, TL_ALIGN_CENTER, p->plot.w, false, true))) {
			goto oom;
		}
		char run_label[64];
		snprintf(run_label, sizeof(run_label),
			 tl_ticks_self_labelled(&p->ticks) ? "Run time" : "Run time (%s)",
			 tl_time_unit_symbol(p->ticks.unit));
		const char *xlabel = p->runtimes    ? run_label
				     : xlabel_fixed ? xlabel_fixed
				     : b->clock ? (b->dated ? "Time of day (UTC)" : "Time of day")
						: tl_time_unit_title(p->ticks.unit);
		if (timed &&
		    !fig_add_text(fig, cx, p->plot.y + p->plot.h + 6 * u + tick_h + 4 * u, xlabel,
				  TL_TEXT_LABEL, TL_ALIGN_CENTER, p->plot.w, false, false)) {
			goto oom;
		}
		char yl[200];
		y_label(b, ylabel, p->nrows, every, &sl, p->plot.h, yl, sizeof(yl));
		if (p->first_col && yl[0] &&
		    !fig_add_text(fig, p->cell.x + label_h / 2, p->plot.y + p->plot.h / 2, yl,
				  TL_TEXT_LABEL, TL_ALIGN_CENTER, p->plot.h, true, false)) {
			goto oom;
		}
		fig->panels[fig->npanels++] = (struct tl_panel_geom){.plot = p->plot,
								     .lo = p->axis_lo,
								     .hi = p->axis_hi,
								     .rows = p->nrows,
								     .row_h = row_h};
	}

	if (has_foot && !fig_add_text(fig, margin, H - margin - note_h, foot, TL_TEXT_NOTE,
				      TL_ALIGN_LEFT, W - 2 * margin, false, true)) {
		goto oom;
	}
	if (fig_legend(b, legend_lines > 0, legend_y, legend_h) != TL_OK) {
		goto oom;
	}
	return TL_OK;
oom:
	st = fig_nomem(b);
fail:
	return st;
}

static tl_status figure_build(const tl_trace *trace, const tl_render_opts *opts, tl_measure_fn fn,
			      void *ctx, struct tl_figure **ret_fig, struct tl_error *err);

tl_status tl_figure_build(const tl_trace *trace, const tl_render_opts *opts, tl_measure_fn fn,
			  void *ctx, struct tl_figure **ret_fig, struct tl_error *err) {
	tl_trace *own = NULL;
	tl_status st = fig_gantt_input(trace, opts, &own, err);
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
