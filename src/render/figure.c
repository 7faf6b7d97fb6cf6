/*
 * Layout: from a trace and the options to a figure of shapes, lines and text
 * in canvas pixels. Nothing here draws; draw.c walks the result. Here are
 * the figure's containers and the stages in their order (build()): the
 * panels (panels.c, rows.c), the heading and the legend's room, the grid
 * (grid.c), the ticks, each panel drawn (panel.c), the footnote and legend.
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
	 */
	double legend_y = fr.y, legend_h = fr.tick_h, W = fig->width;
	bool want_legend = fig_wants_legend(o, fr.any_data);
	if (want_legend) {
		fr.y += (legend_h + 4 * b->u) * (double)fig_legend_lines(b, W - 2 * fr.margin) +
			4 * b->u;
	}
	st = fig_lay_out(b, &fr);
	if (st == TL_OK) {
		st = choose_ticks(b);
	}
	for (size_t i = 0; i < b->npanels && st == TL_OK; i++) {
		st = fig_draw_panel(b, &fr, &b->panels[i]);
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
