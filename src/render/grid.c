/*
 * The figure's grid: which cell of it each panel takes (span panels above
 * sample panels, in balanced bands of columns), how tall each band is (its
 * rows' worth, within the canvas), and each panel's cell and plot
 * rectangle, room kept for its labels, title and notes.
 */

#include "layout.h"

#include <math.h>
#include <stdlib.h>

/* A panel's least width, in layout units: room for labels, ticks and a plot. */
#define MIN_PANEL_W 240
/* The narrowest plot worth drawing, in layout units: a few tick labels' width. */
#define MIN_PLOT_W 60
/* Most rows a band of the grid is weighed by, and least: see band_heights(). */
#define MIN_BAND_ROWS 3

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

size_t fig_label_every(size_t nrows, double plot_h, double tick_h) {
	double row_h = nrows ? plot_h / (double)nrows : 0;
	return row_h <= 0 || row_h >= tick_h * 1.15 ? 1 : (size_t)ceil(tick_h * 1.15 / row_h);
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
		size_t every = fig_label_every(p->nrows, cell_h - fr->top - fr->bottom, fr->tick_h);
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

tl_status fig_lay_out(struct build *b, struct frame *fr) {
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
