/*
 * The chart's marks and legend (src/render/colors.c, legend.c, bars.c,
 * scatter.c, palette.c), checked on the laid-out figure with a fixed-width
 * text measurer (no fonts) and on PNG
 * pixels read back: colours per worker and the legend that names them, names
 * inside bars, and the open ends of bars that run past the plot.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>
#include <cmocka.h>
#include <math.h>

#include <timeline/timeline.h>

#include "../../src/render/layout.h"
#include "../../src/render/text.h"

#include "figures.h"
#include "traces.h"

/*
 * workers jobs in group g, job j on worker (j * 7) % workers named by its
 * number (so that the workers first appear out of order), each a second long
 * and starting 100 ms after the one before.
 */
static void add_jobs(tl_trace *t, uint32_t g, int workers, int jobs) {
	char w[16];
	for (int j = 0; j < jobs; j++) {
		snprintf(w, sizeof(w), "%d", (j * 7) % workers);
		add_worker_span(t, g, j, w, j * 100 * MS, j * 100 * MS + SEC);
	}
}

static bool in_plot(const struct tl_figure *fig, const struct tl_shape *s) {
	for (size_t i = 0; i < fig->npanels; i++) {
		const struct tl_rectf *r = &fig->panels[i].plot;
		if (s->x >= r->x - 1 && s->x <= r->x + r->w && s->y >= r->y - 1 &&
		    s->y <= r->y + r->h) {
			return true;
		}
	}
	return false;
}

static bool same_rgb(struct tl_rgb a, struct tl_rgb b) {
	return fabs(a.r - b.r) + fabs(a.g - b.g) + fabs(a.b - b.b) < 0.02;
}

/* Twenty workers, twenty colours, on either theme: none repeats. */
static void test_twenty_workers_twenty_colours(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	add_jobs(t, group(t, "pool"), 20, 20);
	tl_render_opts o;
	tl_render_opts_init(&o);
	for (int theme = 0; theme < TL_THEME_COUNT; theme++) {
		o.theme = (tl_theme)theme;
		struct tl_figure *fig = lay(t, &o);
		bool seen[TL_PALETTE_SIZE] = {false};
		size_t bars = 0;
		for (size_t i = 0; i < fig->nshapes; i++) {
			const struct tl_shape *s = &fig->shapes[i];
			if (s->style != TL_SHAPE_BAR || !in_plot(fig, s)) {
				continue;
			}
			bars++;
			assert_true(s->color < TL_PALETTE_SIZE);
			assert_false(seen[s->color]);
			seen[s->color] = true;
		}
		assert_int_equal(bars, 20);
		tl_figure_free(fig);
		for (unsigned a = 0; a < TL_PALETTE_SIZE; a++) {
			for (unsigned b = a + 1; b < TL_PALETTE_SIZE; b++) {
				assert_false(same_rgb(tl_palette_color(o.theme, a),
						      tl_palette_color(o.theme, b)));
			}
			/* None is the failure colour or the background. */
			assert_false(
				same_rgb(tl_palette_color(o.theme, a), tl_theme_failed(o.theme)));
			assert_false(same_rgb(tl_palette_color(o.theme, a),
					      tl_theme_background(o.theme)));
		}
	}
	/* The terminal's colours are twenty too. */
	for (unsigned a = 0; a < TL_PALETTE_SIZE; a++) {
		for (unsigned b = a + 1; b < TL_PALETTE_SIZE; b++) {
			assert_int_not_equal(tl_palette_ansi(a), tl_palette_ansi(b));
		}
	}
	tl_trace_free(t);
}

/* The legend's texts, left to right and line by line, joined with '|'. */
static void legend_texts(const struct tl_figure *fig, char *buf, size_t size) {
	double top = fig->panels[0].plot.y - 40; /* above every panel's title and note */
	buf[0] = '\0';
	const struct tl_text_item *prev = NULL;
	for (;;) {
		const struct tl_text_item *next = NULL;
		for (size_t i = 0; i < fig->ntexts; i++) {
			const struct tl_text_item *it = &fig->texts[i];
			if (it->role != TL_TEXT_TICK || it->y >= top) {
				continue;
			}
			bool after = !prev || it->y > prev->y + 1 ||
				     (fabs(it->y - prev->y) <= 1 && it->x > prev->x);
			bool before = !next || it->y < next->y - 1 ||
				      (fabs(it->y - next->y) <= 1 && it->x < next->x);
			if (after && before) {
				next = it;
			}
		}
		if (!next) {
			return;
		}
		size_t len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s", len ? "|" : "", next->text);
		prev = next;
	}
}

/* The colour of the legend swatch just left of the entry named label. */
static int swatch_of(const struct tl_figure *fig, const char *label) {
	for (size_t i = 0; i < fig->ntexts; i++) {
		const struct tl_text_item *it = &fig->texts[i];
		if (strcmp(it->text, label) != 0) {
			continue;
		}
		for (size_t k = 0; k < fig->nshapes; k++) {
			const struct tl_shape *s = &fig->shapes[k];
			if (s->style == TL_SHAPE_SWATCH && s->x + s->w < it->x &&
			    s->x + s->w > it->x - 10 && s->y >= it->y - 2 && s->y < it->y + 20) {
				return s->color;
			}
		}
	}
	return -1;
}

/*
 * Workers are listed as numbers compare, worker 2 before worker 10, not in
 * the order they first ran, and take the palette in that order.
 */
static void test_legend_in_natural_order(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	add_jobs(t, group(t, "pool"), 12, 24); /* first seen: 0, 7, 2, 9, 4, 11, 6, 1... */
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.width = 2400; /* one line holds them all */
	struct tl_figure *fig = lay(t, &o);
	char buf[512];
	legend_texts(fig, buf, sizeof(buf));
	assert_string_equal(buf, "worker 0|worker 1|worker 2|worker 3|worker 4|worker 5|worker "
				 "6|worker 7|worker 8|worker 9|worker 10|worker 11");
	char name[32];
	for (int w = 0; w < 12; w++) {
		snprintf(name, sizeof(name), "worker %d", w);
		assert_int_equal(swatch_of(fig, name), w);
	}
	tl_figure_free(fig);
	/* Names with numbers in them sort the same way. */
	tl_trace_free(t);
	t = tl_trace_new();
	uint32_t g = group(t, "pool");
	const char *names[] = {"ForkPoolWorker-10", "ForkPoolWorker-9", "MainThread",
			       "ForkPoolWorker-1"};
	for (int j = 0; j < 4; j++) {
		add_worker_span(t, g, j, names[j], j * SEC, (j + 1) * SEC);
	}
	fig = lay(t, &o);
	legend_texts(fig, buf, sizeof(buf));
	assert_string_equal(buf, "ForkPoolWorker-1|ForkPoolWorker-9|ForkPoolWorker-10|MainThread");
	tl_figure_free(fig);
	tl_trace_free(t);
}

/* Past twenty workers, colours would repeat: one colour, and the legend says why. */
static void test_past_the_palette_one_colour(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	add_jobs(t, group(t, "pool"), 40, 80);
	tl_render_opts o;
	tl_render_opts_init(&o);
	struct tl_figure *fig = lay(t, &o);
	size_t bars = 0;
	for (size_t i = 0; i < fig->nshapes; i++) {
		const struct tl_shape *s = &fig->shapes[i];
		if (s->style == TL_SHAPE_BAR && in_plot(fig, s)) {
			bars++;
			assert_int_equal(s->color, 0);
		}
	}
	assert_true(bars >= 40);
	char buf[512];
	legend_texts(fig, buf, sizeof(buf));
	assert_string_equal(buf, "40 workers: one colour (more than 20)");
	assert_int_equal(swatch_of(fig, "40 workers: one colour (more than 20)"), 0);
	tl_figure_free(fig);
	tl_trace_free(t);
}

/*
 * --color-by group names each group as its panel does: repeated runs
 * (groups "serial#1".."serial#3") by their mode, not by the median run's
 * group ("serial#3"), and the unnamed group TL_GROUP_UNNAMED.
 */
static void test_group_legend_names_as_panels(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	static const char *const names[] = {"serial#1",  "threads#1", "serial#2",
					    "threads#2", "serial#3",  "threads#3"};
	for (int i = 0; i < 6; i++) {
		add_span(t, group(t, names[i]), 0, 0, (i + 1) * SEC);
	}
	assert_int_equal(tl_trace_meta_set(t, "repeat", "3", NULL), TL_OK);
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.color_by = TL_COLOR_GROUP;
	struct tl_figure *fig = lay(t, &o);
	char legend[256];
	legend_texts(fig, legend, sizeof(legend));
	assert_string_equal(legend, "serial|threads");
	tl_figure_free(fig);
	tl_trace_free(t);
	/* Beside a named group, the unnamed one is called so in the legend as in its title. */
	t = tl_trace_new();
	add_span(t, group(t, ""), 0, 0, SEC);
	add_span(t, group(t, "pool"), 0, 0, SEC);
	fig = lay(t, &o);
	legend_texts(fig, legend, sizeof(legend));
	assert_string_equal(legend, TL_GROUP_UNNAMED "|pool");
	size_t titles = 0;
	for (size_t i = 0; i < fig->ntexts; i++) {
		titles += fig->texts[i].role == TL_TEXT_PANEL &&
			  strcmp(fig->texts[i].text, TL_GROUP_UNNAMED) == 0;
	}
	assert_int_equal(titles, 1);
	tl_figure_free(fig);
	tl_trace_free(t);
}

/*
 * Spans that name no worker take one colour, in every group: a colour per
 * job would read as workers. Asked for, jobs still get theirs.
 */
static void test_no_worker_one_colour(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	for (int k = 0; k < 2; k++) {
		uint32_t g = group(t, k ? "processes" : "threads");
		for (int j = 0; j < 8; j++) {
			tl_span s = {.group = g,
				     .job = j,
				     .start = j * 100 * MS,
				     .stop = j * 100 * MS + SEC,
				     .status = j == 3 ? 1 : 0};
			assert_int_equal(tl_trace_add_span(t, &s, NULL), TL_OK);
		}
	}
	tl_render_opts o;
	tl_render_opts_init(&o);
	struct tl_figure *fig = lay(t, &o);
	size_t bars = 0, swatches = 0;
	for (size_t i = 0; i < fig->nshapes; i++) {
		const struct tl_shape *s = &fig->shapes[i];
		if ((s->style == TL_SHAPE_BAR || s->style == TL_SHAPE_FAILED) && in_plot(fig, s)) {
			bars++;
			assert_int_equal(s->color, 0);
		}
		swatches += s->style == TL_SHAPE_SWATCH;
	}
	assert_int_equal(bars, 16);
	assert_int_equal(swatches, 0);
	/* The legend says only what failure looks like. */
	char buf[256];
	legend_texts(fig, buf, sizeof(buf));
	assert_string_equal(buf, "failed");
	tl_figure_free(fig);
	o.color_by = TL_COLOR_JOB;
	fig = lay(t, &o);
	bool seen[TL_PALETTE_SIZE] = {false};
	size_t colours = 0;
	for (size_t i = 0; i < fig->nshapes; i++) {
		const struct tl_shape *s = &fig->shapes[i];
		if ((s->style == TL_SHAPE_BAR || s->style == TL_SHAPE_FAILED) && in_plot(fig, s) &&
		    !seen[s->color]) {
			seen[s->color] = true;
			colours++;
		}
	}
	assert_int_equal(colours, 8);
	tl_figure_free(fig);
	tl_trace_free(t);
}

/* Legend entries fill lines left to right; when lines run out, "+N more" takes the end. */
static void test_legend_flow(void **state) {
	(void)state;
	const double w[] = {40, 40, 40, 40, 40, 40};
	size_t line[6];
	/* Two to a line (40 + 10 + 40 <= 100): three lines. */
	assert_int_equal(fig_legend_flow(w, 6, 100, 10, 30, 0, line), 3);
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(line[i], i / 2);
	}
	/* Two lines at most: the second keeps room for "+N more" after one entry. */
	assert_int_equal(fig_legend_flow(w, 6, 100, 10, 30, 2, line), 2);
	assert_int_equal(line[0], 0);
	assert_int_equal(line[1], 0);
	assert_int_equal(line[2], 1);
	assert_int_equal(line[3], SIZE_MAX);
	/* What fits whole needs no "+N more": one line of two. */
	assert_int_equal(fig_legend_flow(w, 2, 100, 10, 30, 1, line), 1);
	assert_int_equal(line[1], 0);
	/* An entry wider than the line still gets one of its own. */
	const double wide[] = {150, 40};
	assert_int_equal(fig_legend_flow(wide, 2, 100, 10, 30, 0, line), 2);
	assert_int_equal(line[0], 0);
	assert_int_equal(line[1], 1);
	assert_int_equal(fig_legend_flow(w, 0, 100, 10, 30, 0, line), 0);
}

/* ---- ends cut off by --xlim ---- */

static struct tl_rgb png_pixel(cairo_surface_t *png, double x, double y) {
	int xi = (int)x, yi = (int)y;
	assert_true(xi >= 0 && xi < cairo_image_surface_get_width(png) && yi >= 0 &&
		    yi < cairo_image_surface_get_height(png));
	const unsigned char *row = cairo_image_surface_get_data(png) +
				   (size_t)yi * cairo_image_surface_get_stride(png);
	uint32_t v;
	memcpy(&v, row + 4 * (size_t)xi, sizeof(v)); /* native-endian ARGB32 */
	return (struct tl_rgb){((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0,
			       (v & 0xff) / 255.0};
}

static void assert_rgb(struct tl_rgb got, struct tl_rgb want, const char *what) {
	if (!same_rgb(got, want)) {
		fail_msg("%s: got %.3f %.3f %.3f, want %.3f %.3f %.3f", what, got.r, got.g, got.b,
			 want.r, want.g, want.b);
	}
}

static cairo_surface_t *render_read(const tl_trace *t, const tl_render_opts *o) {
	char path[] = "/tmp/tl-marks-XXXXXX.png";
	int fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	close(fd);
	struct tl_error err = {0};
	assert_int_equal(tl_render_file(t, o, path, &err), TL_OK);
	cairo_surface_t *png = cairo_image_surface_create_from_png(path);
	unlink(path);
	assert_int_equal(cairo_surface_status(png), CAIRO_STATUS_SUCCESS);
	cairo_surface_flush(png);
	return png;
}

/* The first shape of a style whose top is within row j of panel p. */
static const struct tl_shape *shape_in_row(const struct tl_figure *fig, uint8_t style, size_t j) {
	const struct tl_panel_geom *p = &fig->panels[0];
	for (size_t i = 0; i < fig->nshapes; i++) {
		const struct tl_shape *s = &fig->shapes[i];
		if (s->style == style && s->y >= p->plot.y + (double)j * p->row_h &&
		    s->y < p->plot.y + (double)(j + 1) * p->row_h) {
			return s;
		}
	}
	return NULL;
}

/*
 * A bar that runs past --xlim's edges has a torn end there, not the clean
 * edge of a stop; a bar that ends at the edge keeps its clean end, and an
 * unfinished one its fade.
 */
static void test_cut_ends_torn(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "pool");
	tl_str w = str(t, "0");
	const tl_ns spans[][3] = {
		{0, 5 * SEC, 0},                        /* past both edges */
		{2 * SEC, 4 * SEC, 0},                  /* ends at the right edge */
		{SEC / 2, 2 * SEC, 0},                  /* starts before the left edge */
		{2 * SEC, 6 * SEC, TL_EXIT_UNFINISHED}, /* past the right edge, unfinished */
	};
	for (int j = 0; j < 4; j++) {
		tl_span s = {.group = g,
			     .job = j,
			     .worker = w,
			     .start = spans[j][0],
			     .stop = spans[j][1],
			     .status = (int32_t)spans[j][2]};
		assert_int_equal(tl_trace_add_span(t, &s, NULL), TL_OK);
	}
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.width = 800;
	o.height = 400;
	o.has_xlim = true;
	o.xlim_lo = SEC;
	o.xlim_hi = 4 * SEC;
	struct tl_figure *fig = lay_fonts(t, &o);
	size_t left = 0, right = 0;
	for (size_t i = 0; i < fig->nshapes; i++) {
		left += fig->shapes[i].style == TL_SHAPE_CUT_LEFT;
		right += fig->shapes[i].style == TL_SHAPE_CUT_RIGHT;
	}
	assert_int_equal(left, 2);  /* jobs 0 and 2 */
	assert_int_equal(right, 1); /* job 0: job 1 ends there, job 3 fades */
	assert_non_null(shape_in_row(fig, TL_SHAPE_CUT_LEFT, 0));
	assert_non_null(shape_in_row(fig, TL_SHAPE_CUT_LEFT, 2));
	const struct tl_shape *cut = shape_in_row(fig, TL_SHAPE_CUT_RIGHT, 0);
	assert_non_null(cut);
	const struct tl_panel_geom *p = &fig->panels[0];
	assert_true(fabs(cut->x + cut->w - (p->plot.x + p->plot.w)) < 0.5);

	cairo_surface_t *png = render_read(t, &o);
	struct tl_rgb bar = tl_palette_color(TL_THEME_LIGHT, 0),
		      bg = tl_theme_background(TL_THEME_LIGHT);
	/* Halfway down the first tooth: a notch of background at the cut end, bar before it. */
	int teeth = (int)fmax(1, round(cut->h / 8));
	double mid = cut->y + cut->h / (2.0 * teeth), edge = p->plot.x + p->plot.w;
	assert_rgb(png_pixel(png, edge - 2.5, mid), bg, "job 0's torn right end");
	assert_rgb(png_pixel(png, cut->x - 3, mid), bar, "job 0 before its end");
	assert_rgb(png_pixel(png, p->plot.x + 2.5, mid), bg, "job 0's torn left end");
	/* Job 1, on the row below, ends at the edge itself: a clean, solid end. */
	assert_rgb(png_pixel(png, edge - 2.5, mid + p->row_h), bar, "job 1's end");
	cairo_surface_destroy(png);
	tl_figure_free(fig);
	tl_trace_free(t);
}

/* ---- names inside bars ---- */

/* The text items of the figure that lie inside shape r, counted; the first in *ret. */
static size_t texts_inside(const struct tl_figure *fig, const struct tl_shape *r,
			   const struct tl_text_item **ret) {
	size_t n = 0;
	for (size_t i = 0; i < fig->ntexts; i++) {
		const struct tl_text_item *it = &fig->texts[i];
		if (it->x >= r->x && it->x + it->max_w <= r->x + r->w + 0.01 && it->y >= r->y &&
		    it->y < r->y + r->h) {
			if (ret && n == 0) {
				*ret = it;
			}
			n++;
		}
	}
	return n;
}

/* The bar shape (plain or failed) in row j whose left edge is nearest x. */
static const struct tl_shape *bar_at(const struct tl_figure *fig, size_t j, double x) {
	const struct tl_panel_geom *p = &fig->panels[0];
	const struct tl_shape *best = NULL;
	for (size_t i = 0; i < fig->nshapes; i++) {
		const struct tl_shape *s = &fig->shapes[i];
		if ((s->style == TL_SHAPE_BAR || s->style == TL_SHAPE_FAILED) &&
		    s->y >= p->plot.y + (double)j * p->row_h &&
		    s->y < p->plot.y + (double)(j + 1) * p->row_h &&
		    (!best || fabs(s->x - x) < fabs(best->x - x))) {
			best = s;
		}
	}
	assert_non_null(best);
	return best;
}

/*
 * A trace of two threads whose spans have names, as a Chrome trace gives:
 * a wide "compile main.c" on thread a and a narrow "tiny" after it; on
 * thread b, a wide one named as the thread is. *o: a row per thread, 1000 ×
 * 300 px.
 */
static tl_trace *named_spans(tl_render_opts *o) {
	tl_render_opts_init(o);
	o->rows = TL_ROWS_WORKER;
	o->width = 1000;
	o->height = 300;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "build");
	tl_str a = str(t, "a"), b = str(t, "b");
	const struct {
		tl_str worker;
		const char *name;
		tl_ns start, stop;
	} spans[] = {
		{a, "compile main.c", 0, 5 * SEC},
		{a, "tiny", 6 * SEC, 6 * SEC + 20 * MS},
		{b, "b", 0, 8 * SEC},
		{b, "link", 9 * SEC, 10 * SEC},
	};
	for (int j = 0; j < 4; j++) {
		tl_span s = {.group = g,
			     .job = j,
			     .worker = spans[j].worker,
			     .label = str(t, spans[j].name),
			     .start = spans[j].start,
			     .stop = spans[j].stop};
		assert_int_equal(tl_trace_add_span(t, &s, NULL), TL_OK);
	}
	return t;
}

/* Names show inside bars wide enough for them, in an ink that reads on the bar. */
static void test_span_names_inside_bars(void **state) {
	(void)state;
	tl_render_opts o;
	tl_trace *t = named_spans(&o);
	struct tl_figure *fig = lay(t, &o);
	const struct tl_panel_geom pg = fig->panels[0], *p = &pg; /* kept past fig */
	const struct tl_shape *wide = bar_at(fig, 0, p->plot.x);
	const struct tl_text_item *name = NULL;
	assert_int_equal(texts_inside(fig, wide, &name), 1);
	assert_string_equal(name->text, "compile main.c");
	assert_true(name->max_w > 0 && name->max_w < wide->w);
	/* Light ink on the first colour (a dark blue), dark on the second (orange). */
	assert_int_equal(wide->color, 0);
	assert_int_equal(name->ink, TL_INK_LIGHT);
	assert_int_equal(tl_ink_on(tl_palette_color(TL_THEME_LIGHT, 1)), TL_INK_DARK);
	/* Too narrow for a few characters: no name, nor any text over it. */
	const struct tl_shape *narrow = bar_at(fig, 0, p->plot.x + p->plot.w * 0.6);
	assert_true(narrow->w < 10);
	for (size_t i = 0; i < fig->ntexts; i++) {
		assert_string_not_equal(fig->texts[i].text, "tiny");
	}
	/* A name that is the row's label says nothing new: left out; "link" is in. */
	assert_int_equal(texts_inside(fig, bar_at(fig, 1, p->plot.x), NULL), 0);
	assert_int_equal(texts_inside(fig, bar_at(fig, 1, p->plot.x + p->plot.w * 0.9), &name), 1);
	assert_string_equal(name->text, "link");
	tl_figure_free(fig);
	/* all: every bar wide enough, the row's own name too. */
	o.span_labels = TL_SPAN_LABELS_ALL;
	fig = lay(t, &o);
	assert_int_equal(texts_inside(fig, bar_at(fig, 1, p->plot.x), &name), 1);
	assert_string_equal(name->text, "b");
	tl_figure_free(fig);
	/* none: no names at all. */
	o.span_labels = TL_SPAN_LABELS_NONE;
	fig = lay(t, &o);
	for (size_t i = 0; i < fig->ntexts; i++) {
		assert_int_equal(fig->texts[i].ink, TL_INK_THEME);
		assert_string_not_equal(fig->texts[i].text, "compile main.c");
		assert_string_not_equal(fig->texts[i].text, "link");
	}
	tl_figure_free(fig);
	tl_trace_free(t);
}

static double rgb_dist(struct tl_rgb a, struct tl_rgb b) {
	return fabs(a.r - b.r) + fabs(a.g - b.g) + fabs(a.b - b.b);
}

/* Pixels within shape r nearer to colour c than to the shape's own (text, antialiased). */
static int pixels_like(cairo_surface_t *png, const struct tl_shape *r, struct tl_rgb c) {
	struct tl_rgb own = tl_palette_color(TL_THEME_LIGHT, r->color);
	int n = 0;
	for (int y = (int)r->y + 1; y < (int)(r->y + r->h) - 1; y++) {
		for (int x = (int)r->x + 1; x < (int)(r->x + r->w) - 1; x++) {
			struct tl_rgb g = png_pixel(png, x, y);
			n += rgb_dist(g, c) < rgb_dist(g, own);
		}
	}
	return n;
}

/* The name is drawn: light ink inside the wide bar, and none with --span-labels none. */
static void test_span_name_drawn(void **state) {
	(void)state;
	tl_render_opts o;
	tl_trace *t = named_spans(&o);
	struct tl_figure *fig = lay_fonts(t, &o);
	const struct tl_shape *wide = bar_at(fig, 0, fig->panels[0].plot.x);
	struct tl_rgb ink = tl_ink_color(TL_INK_LIGHT);
	cairo_surface_t *png = render_read(t, &o);
	assert_true(pixels_like(png, wide, ink) > 20);
	cairo_surface_destroy(png);
	o.span_labels = TL_SPAN_LABELS_NONE;
	png = render_read(t, &o);
	assert_int_equal(pixels_like(png, wide, ink), 0);
	cairo_surface_destroy(png);
	tl_figure_free(fig);
	tl_trace_free(t);
}

/*
 * Names cost what is visible, not what was recorded: 200,000 named spans
 * give at most a few names per row's width, and spans merged into one bar
 * are named only when they share a name.
 */
static void test_span_names_bounded(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "pool");
	tl_str w[4] = {str(t, "0"), str(t, "1"), str(t, "2"), str(t, "3")};
	tl_str name[2] = {str(t, "step"), str(t, "other step")};
	for (int j = 0; j < 200000; j++) {
		int row = j % 4;
		tl_ns start = (tl_ns)(j / 4) * 100000; /* 100 µs each, back to back */
		tl_span s = {.group = g,
			     .job = j,
			     .worker = w[row],
			     .label = name[row < 2 ? 0 : (j / 4) % 2],
			     .start = start,
			     .stop = start + 100000};
		assert_int_equal(tl_trace_add_span(t, &s, NULL), TL_OK);
	}
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.rows = TL_ROWS_WORKER;
	struct tl_figure *fig = lay(t, &o);
	const struct tl_panel_geom *p = &fig->panels[0];
	size_t names[2] = {0, 0};
	for (size_t i = 0; i < fig->ntexts; i++) {
		const struct tl_text_item *it = &fig->texts[i];
		if (it->y > p->plot.y && it->y < p->plot.y + p->plot.h && it->x > p->plot.x) {
			names[strcmp(it->text, "step") != 0]++;
		}
	}
	/* Rows 0 and 1: one bar each, all "step"; rows 2 and 3 alternate: no name. */
	assert_int_equal(names[0], 2);
	assert_int_equal(names[1], 0);
	tl_figure_free(fig);
	tl_trace_free(t);
}

/* At the default width twenty workers take two lines of the legend, every one named. */
static void test_legend_lines_hold_twenty(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	add_jobs(t, group(t, "pool"), 20, 40);
	tl_render_opts o;
	tl_render_opts_init(&o);
	struct tl_figure *fig = lay(t, &o);
	char buf[1024], want[1024] = "";
	legend_texts(fig, buf, sizeof(buf));
	for (int w = 0; w < 20; w++) {
		size_t len = strlen(want);
		snprintf(want + len, sizeof(want) - len, "%sworker %d", w ? "|" : "", w);
	}
	assert_string_equal(buf, want);
	/* On two lines, and the panel's title below both. */
	double y0 = INFINITY, y1 = -INFINITY, title = INFINITY;
	for (size_t i = 0; i < fig->ntexts; i++) {
		const struct tl_text_item *it = &fig->texts[i];
		if (strncmp(it->text, "worker ", 7) == 0) {
			y0 = fmin(y0, it->y);
			y1 = fmax(y1, it->y);
		} else if (it->role == TL_TEXT_PANEL) {
			title = fmin(title, it->y);
		}
	}
	assert_true(y1 > y0 + 10);
	assert_true(title >= y1 + 1.2 * 9 * 100 / 72.0);
	tl_figure_free(fig);
	tl_trace_free(t);
}

/* The colour memo: a key per slot, the first to take it; the rest are left to the map. */
static void test_key_memo(void **state) {
	(void)state;
	struct key_memo m = {.used = 0};
	uint32_t v = 99;
	assert_false(key_memo_get(&m, 3, &v));
	key_memo_put(&m, 3, 30);
	key_memo_put(&m, 3 + KEY_MEMO, 40); /* the same slot: not kept */
	key_memo_put(&m, UINT64_MAX, 50);
	assert_true(key_memo_get(&m, 3, &v));
	assert_int_equal(v, 30);
	assert_false(key_memo_get(&m, 3 + KEY_MEMO, &v));
	assert_true(key_memo_get(&m, UINT64_MAX, &v));
	assert_int_equal(v, 50);
	assert_false(key_memo_get(&m, 4, &v));
}

/* A narrow chart of samples a row per worker, coloured by job. */
static tl_render_opts job_colours(void) {
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.width = 640;
	o.rows = TL_ROWS_WORKER;
	o.color_by = TL_COLOR_JOB;
	return o;
}

/* A panel's samples counted on two threads make the marks one pass makes, cell colours and all. */
static void test_scatter_counted_in_halves(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "threads");
	add_mixed_samples(t, g, 30000, 1);
	tl_render_opts o = job_colours();
	fig_set_count_split(SIZE_MAX);
	struct tl_figure *one = lay(t, &o);
	fig_set_count_split(0);
	struct tl_figure *two = lay(t, &o);
	fig_set_count_split((size_t)1 << 20);
	assert_int_equal(one->nshapes, two->nshapes);
	assert_true(one->nshapes > 100);
	assert_memory_equal(one->shapes, two->shapes, one->nshapes * sizeof(*one->shapes));
	tl_figure_free(one);
	tl_figure_free(two);
	tl_trace_free(t);
}

/* The colour of the scatter mark over time v of panel 0 (UINT16_MAX when none covers it). */
static uint16_t mark_color_at(const struct tl_figure *fig, tl_ns v) {
	const struct tl_panel_geom *pg = &fig->panels[0];
	double x = pg->plot.x + (double)(v - pg->lo) / (double)(pg->hi - pg->lo) * pg->plot.w;
	for (size_t i = 0; i < fig->nshapes; i++) {
		const struct tl_shape *s = &fig->shapes[i];
		if (s->style == TL_SHAPE_MARK && in_plot(fig, s) && x >= s->x && x < s->x + s->w) {
			return s->color;
		}
	}
	return UINT16_MAX;
}

/*
 * Samples of two jobs in one row and one pixel column: the cell has the
 * colour of the later, whichever it is, counted on one thread or two.
 */
static void test_scatter_cell_colour_of_its_last_sample(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "threads");
	static const struct {
		int64_t job;
		tl_ns t;
	} at[] = {{0, 0},      {1, 300000}, {0, 300001}, {1, 300002}, {1, 700000},
		  {0, 700001}, {1, 700002}, {0, 700003}, {1, 1000000}};
	for (size_t i = 0; i < sizeof(at) / sizeof(*at); i++) {
		tl_sample s = {.group = g, .job = at[i].job, .worker = str(t, "w"), .t = at[i].t};
		assert_int_equal(tl_trace_add_sample(t, &s, NULL), TL_OK);
	}
	tl_render_opts o = job_colours();
	for (int split = 0; split < 2; split++) {
		fig_set_count_split(split ? 0 : SIZE_MAX);
		struct tl_figure *fig = lay(t, &o);
		uint16_t job0 = mark_color_at(fig, 0), job1 = mark_color_at(fig, 1000000);
		assert_int_not_equal(job0, UINT16_MAX);
		assert_int_not_equal(job1, UINT16_MAX);
		assert_int_not_equal(job0, job1);
		assert_int_equal(mark_color_at(fig, 300001), job1);
		assert_int_equal(mark_color_at(fig, 700001), job0);
		tl_figure_free(fig);
	}
	fig_set_count_split((size_t)1 << 20);
	tl_trace_free(t);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_memo),
		cmocka_unit_test(test_scatter_counted_in_halves),
		cmocka_unit_test(test_scatter_cell_colour_of_its_last_sample),
		cmocka_unit_test(test_twenty_workers_twenty_colours),
		cmocka_unit_test(test_legend_in_natural_order),
		cmocka_unit_test(test_past_the_palette_one_colour),
		cmocka_unit_test(test_no_worker_one_colour),
		cmocka_unit_test(test_group_legend_names_as_panels),
		cmocka_unit_test(test_legend_flow),
		cmocka_unit_test(test_legend_lines_hold_twenty),
		cmocka_unit_test(test_cut_ends_torn),
		cmocka_unit_test(test_span_names_inside_bars),
		cmocka_unit_test(test_span_name_drawn),
		cmocka_unit_test(test_span_names_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
