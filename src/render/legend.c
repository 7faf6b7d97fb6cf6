/*
 * The legend: its entries (the colours' names, then ok, failed, unfinished
 * and queue wait as drawn), laid out in balanced lines above the panels.
 */

#include "layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

tl_status fig_legend_add(struct build *b, const char *label, unsigned color, uint8_t style) {
	if (!fig_grow((void **)&b->legend, &b->caplegend, b->nlegend + 1, sizeof(*b->legend))) {
		return fig_nomem(b);
	}
	char *copy = strdup(label);
	if (!copy) {
		return fig_nomem(b);
	}
	fig_visible(copy); /* measured as shown, and safe to print in a terminal */
	b->legend[b->nlegend++] =
		(struct legend_item){.label = copy, .color = (uint16_t)color, .style = style};
	return TL_OK;
}

/* The kinds of failure as the legend names them (enum FAIL_*)... */
static const char *const fail_names[FAIL_KINDS] = {"failed",        "timeout",      "cancelled",
						   "out of memory", "node failure", "preempted"};
/* ... and as one legend entry lists them, shorter: "failed (exit, timeout, OOM)". */
static const char *const fail_short[FAIL_KINDS] = {"exit", "timeout", "cancelled",
						   "OOM",  "node",    "preempted"};

/*
 * The failures' legend entries: with --color-by status one per kind drawn, in
 * its colour; else one "failed" entry that names the kinds when they are
 * more than exit codes ("failed: timeout, out of memory").
 */
static tl_status failure_entries(struct build *b) {
	if (!b->any_failed) {
		return TL_OK;
	}
	tl_status st = TL_OK;
	if (b->o->color_by == TL_COLOR_STATUS) {
		for (int k = 0; k < FAIL_KINDS && st == TL_OK; k++) {
			if (b->failed_kinds & 1u << k) {
				st = fig_legend_add(b, fail_names[k], fig_fail_color(k),
						    TL_SHAPE_FAILED);
			}
		}
		return st;
	}
	char text[160] = "failed";
	size_t n = strlen(text);
	for (int k = 1; k < FAIL_KINDS && b->failed_kinds != 1u; k++) {
		if (b->failed_kinds & 1u << k) {
			n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s",
					      n == 6 ? (b->failed_kinds & 1u ? " (exit, " : " (")
						     : ", ",
					      fail_short[k]);
		}
	}
	if (n > 6) {
		snprintf(text + n, sizeof(text) - n, ")");
	}
	return fig_legend_add(b, text, 0, TL_SHAPE_FAILED);
}

bool fig_wants_legend(const tl_render_opts *o, bool any_data) {
	/* With a row per worker, the row labels already say which worker a colour is. */
	return any_data && ((o->color_by == TL_COLOR_WORKER && o->rows != TL_ROWS_WORKER) ||
			    o->color_by == TL_COLOR_GROUP || o->color_by == TL_COLOR_STATUS);
}

tl_status fig_legend_entries(struct build *b) {
	tl_status st = fig_assign_colors(b);
	if (st != TL_OK || b->legend_ready) {
		return st;
	}
	bool status = b->o->color_by == TL_COLOR_STATUS;
	if ((status && (st = fig_legend_add(b, "ok", 0, TL_SHAPE_SWATCH)) != TL_OK) ||
	    (st = failure_entries(b)) != TL_OK ||
	    (b->any_open && (st = fig_legend_add(b, "unfinished", 0, TL_SHAPE_OPEN)) != TL_OK) ||
	    (b->any_wait && (st = fig_legend_add(b, "queue wait", 0, STYLE_WAIT)) != TL_OK)) {
		return st;
	}
	b->legend_ready = true;
	return TL_OK;
}

size_t fig_legend_flow(const double *w, size_t n, double width, double gap, double more_w,
		       size_t max_lines, size_t *line) {
	size_t lines = n ? 1 : 0, first = 0; /* first entry of the current line */
	double x = 0;
	for (size_t i = 0; i < n; i++) {
		line[i] = SIZE_MAX;
	}
	for (size_t i = 0; i < n; i++) {
		if (i > first && x + gap + w[i] > width) {
			if (max_lines && lines == max_lines) {
				/* Full: leave out entries from the end until "+N more" fits. */
				size_t shown = i;
				while (shown > first && x + gap + more_w > width) {
					shown--;
					line[shown] = SIZE_MAX;
					x = 0;
					for (size_t k = first; k < shown; k++) {
						x += (k > first ? gap : 0) + w[k];
					}
				}
				return lines;
			}
			lines++;
			first = i;
			x = 0;
		}
		x += (i > first ? gap : 0) + w[i];
		line[i] = lines - 1;
	}
	return lines;
}

/* Most lines a legend takes; its entries are capped so that twenty-odd always fit. */
#define LEGEND_MAX_LINES 8

/*
 * The legend's entries laid out in lines of at most width: each entry's line
 * (SIZE_MAX: left out), swatch size and text width in out arrays of
 * b->nlegend; the lines used.
 */
static size_t legend_layout(struct build *b, double width, double line_h, size_t max_lines,
			    size_t *line, double *text_w, char *more, size_t more_size) {
	double u = b->u, sw = line_h * 0.8, gap = 18 * u, h;
	/* Four entries to a line at the least: a long name is cut rather than take a line. */
	double per = b->nlegend == 0 ? 1 : b->nlegend < 4 ? (double)b->nlegend : 4;
	double cap = (width - (per - 1) * gap) / per - sw - 5 * u, few;
	/* ... but never below a few characters: on a narrow canvas, fewer to a line. */
	fig_measure(b, "abcdefg\xe2\x80\xa6", TL_TEXT_TICK, &few, &h);
	cap = fmax(cap, fmin(few, width - sw - 5 * u));
	double *w = malloc((b->nlegend ? b->nlegend : 1) * sizeof(*w));
	if (!w) {
		return 0;
	}
	for (size_t i = 0; i < b->nlegend; i++) {
		fig_measure(b, b->legend[i].label, TL_TEXT_TICK, &text_w[i], &h);
		text_w[i] = fmin(text_w[i], fmax(cap, 0));
		w[i] = sw + 5 * u + text_w[i];
	}
	double more_w;
	snprintf(more, more_size, "+%zu more", b->nlegend);
	fig_measure(b, more, TL_TEXT_TICK, &more_w, &h);
	size_t lines = fig_legend_flow(w, b->nlegend, width, gap, more_w, max_lines, line);
	size_t shown = 0;
	while (shown < b->nlegend && line[shown] != SIZE_MAX) {
		shown++;
	}
	if (shown == b->nlegend && lines > 1) {
		/* Balanced: the narrowest lines that need no more of them (13 + 7 becomes 10 + 10).
		 */
		double lo = 0, hi = width;
		for (int k = 0; k < 20; k++) {
			double mid = (lo + hi) / 2;
			if (fig_legend_flow(w, b->nlegend, mid, gap, more_w, 0, line) > lines) {
				lo = mid;
			} else {
				hi = mid;
			}
		}
		fig_legend_flow(w, b->nlegend, hi, gap, more_w, 0, line);
	}
	free(w);
	if (shown < b->nlegend) {
		snprintf(more, more_size, "+%zu more", b->nlegend - shown);
	} else {
		more[0] = '\0';
	}
	return lines;
}

size_t fig_legend_lines(struct build *b, double width) {
	if (fig_legend_entries(b) != TL_OK) {
		/* Out of memory: the marks will meet it again and say so. */
		return 1;
	}
	size_t n = b->nlegend ? b->nlegend : 1;
	size_t *line = malloc(n * sizeof(*line));
	double *text_w = malloc(n * sizeof(*text_w));
	char more[64];
	size_t lines = 1;
	if (line && text_w) {
		double w, h;
		fig_measure(b, "Ag", TL_TEXT_TICK, &w, &h);
		lines = legend_layout(b, width, h, LEGEND_MAX_LINES, line, text_w, more,
				      sizeof(more));
		b->legend_lines = lines;
		b->legend_planned = true;
	}
	free(line);
	free(text_w);
	return lines;
}

/*
 * Line l of the legend at y, line_h tall: its entries (line[i] == l), and
 * when more is not "", that "+N more" after them, centred on the canvas.
 */
static bool legend_line(struct build *b, const size_t *line, const double *text_w, size_t l,
			const char *more, double y, double line_h) {
	struct tl_figure *fig = b->fig;
	double u = b->u, sw = line_h * 0.8, gap = 18 * u, total = 0, w, h;
	size_t count = 0;
	for (size_t i = 0; i < b->nlegend; i++) {
		if (line[i] == l) {
			total += (count++ ? gap : 0) + sw + 5 * u + text_w[i];
		}
	}
	if (more[0]) {
		fig_measure(b, more, TL_TEXT_TICK, &w, &h);
		total += (count ? gap : 0) + w;
	}
	double x = (fig->width - total) / 2;
	for (size_t i = 0, k = 0; i < b->nlegend; i++) {
		if (line[i] != l) {
			continue;
		}
		const struct legend_item *it = &b->legend[i];
		x += k++ ? gap : 0;
		if (!fig_add_shape(fig, fig_mark_shape(x, y + (line_h - sw) / 2, sw, sw, it->color,
						       it->style))) {
			return false;
		}
		x += sw + 5 * u;
		/* A name too long for its share of the line is cut in the middle. */
		char name[256];
		snprintf(name, sizeof(name), "%s", it->label);
		fig_fit_middle(b, name, sizeof(name), TL_TEXT_TICK, text_w[i]);
		if (!fig_add_text(fig, x, y, name, TL_TEXT_TICK, TL_ALIGN_LEFT, text_w[i] + 1,
				  false, false)) {
			return false;
		}
		x += text_w[i];
	}
	return !more[0] || fig_add_text(fig, x + (count ? gap : 0), y, more, TL_TEXT_TICK,
					TL_ALIGN_LEFT, 0, false, true);
}

/*
 * The legend at legend_y, in the lines fig_legend_lines() planned (one when
 * it was not asked), each line_h tall and centred: the colours in natural
 * order, then ok/failed/unfinished; "+N more" only when the lines cannot
 * hold them all. shown_row: whether the layout kept room for it. Entries are
 * still made when it did not.
 */
tl_status fig_legend(struct build *b, bool shown_row, double legend_y, double line_h) {
	tl_status st = fig_legend_entries(b);
	if (st != TL_OK || !shown_row || b->nlegend == 0) {
		return st;
	}
	double u = b->u, margin = 14 * u, width = b->fig->width - 2 * margin;
	size_t max_lines = b->legend_planned && b->legend_lines ? b->legend_lines : 1;
	size_t *line = malloc(b->nlegend * sizeof(*line));
	double *text_w = malloc(b->nlegend * sizeof(*text_w));
	char more[64];
	bool ok = line && text_w;
	size_t lines =
		ok ? legend_layout(b, width, line_h, max_lines, line, text_w, more, sizeof(more))
		   : 0;
	for (size_t l = 0; ok && l < lines; l++) {
		ok = legend_line(b, line, text_w, l, l + 1 == lines ? more : "",
				 legend_y + (double)l * (line_h + 4 * u), line_h);
	}
	free(line);
	free(text_w);
	return ok ? TL_OK : fig_nomem(b);
}
