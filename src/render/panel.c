/*
 * A panel drawn: its grid lines, ticks, marks and axes, its row labels
 * (thinned so that they never overlap) and the y axis's label, its title
 * and note, the x axis's label.
 */

#include "layout.h"

#include <stdio.h>

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
	size_t every = fig_label_every(p->nrows, p->plot.h, fr->tick_h);
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

tl_status fig_draw_panel(struct build *b, const struct frame *fr, struct panel *p) {
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
