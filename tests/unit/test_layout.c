/*
 * Layout rules on the laid-out figure, with a fixed-width text measurer (no
 * fonts): panels wrap into a balanced grid, bands take the height their rows
 * need, the canvas grows with rows, every row is identifiable, titles wrap
 * before they are cut.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include <timeline/timeline.h>

#include "figures.h"
#include "traces.h"

/* jobs spans of one second each in group name, one after another on one worker. */
static void add_group(tl_trace *t, const char *name, int jobs, bool samples) {
	uint32_t g = group(t, name);
	for (int j = 0; j < jobs; j++) {
		if (samples) {
			tl_sample s = {.group = g, .job = j, .worker = str(t, "w"), .t = j * SEC};
			assert_int_equal(tl_trace_add_sample(t, &s, NULL), TL_OK);
		} else {
			add_worker_span(t, g, j, "w", j * SEC, (j + 1) * SEC);
		}
	}
}

static size_t distinct(const double *v, size_t n) {
	size_t d = 0;
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t k = 0; k < i; k++) {
			seen |= fabs(v[k] - v[i]) < 0.5;
		}
		d += !seen;
	}
	return d;
}

static const struct tl_text_item *find_text(const struct tl_figure *fig, const char *s) {
	for (size_t i = 0; i < fig->ntexts; i++) {
		if (strcmp(fig->texts[i].text, s) == 0) {
			return &fig->texts[i];
		}
	}
	return NULL;
}

static const struct tl_text_item *find_prefix(const struct tl_figure *fig, const char *s) {
	for (size_t i = 0; i < fig->ntexts; i++) {
		if (strncmp(fig->texts[i].text, s, strlen(s)) == 0) {
			return &fig->texts[i];
		}
	}
	return NULL;
}

/* Nine panels at the default width: 3 × 3, none narrower than a readable minimum. */
static void test_panels_wrap_into_a_grid(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	char name[32];
	for (int g = 0; g < 9; g++) {
		snprintf(name, sizeof(name), "pool of %d", g + 1);
		add_group(t, name, 6, false);
	}
	tl_render_opts o;
	tl_render_opts_init(&o);
	struct tl_figure *fig = lay(t, &o);
	assert_int_equal(fig->npanels, 9);
	double xs[9], ys[9];
	for (size_t i = 0; i < 9; i++) {
		xs[i] = fig->panels[i].plot.x + fig->panels[i].plot.w;
		ys[i] = fig->panels[i].plot.y;
		assert_true(fig->panels[i].plot.w >= 150);
	}
	assert_int_equal(distinct(xs, 9), 3);
	assert_int_equal(distinct(ys, 9), 3);
	/* Reading order: left to right, then down. */
	assert_true(fig->panels[1].plot.x > fig->panels[0].plot.x);
	assert_true(fig->panels[3].plot.y > fig->panels[0].plot.y);
	tl_figure_free(fig);
	/* --cols forces one band. */
	o.cols = 9;
	o.width = 4000;
	fig = lay(t, &o);
	for (size_t i = 0; i < 9; i++) {
		ys[i] = fig->panels[i].plot.y;
	}
	assert_int_equal(distinct(ys, 9), 1);
	tl_figure_free(fig);
	tl_trace_free(t);
}

/* Stacked bands take heights in proportion to their rows: 37 rows over 7. */
static void test_bands_follow_rows(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	add_group(t, "build", 37, false);
	add_group(t, "events", 7, true);
	tl_render_opts o;
	tl_render_opts_init(&o);
	struct tl_figure *fig = lay(t, &o);
	assert_int_equal(fig->npanels, 2);
	double ratio = fig->panels[0].plot.h / fig->panels[1].plot.h;
	assert_true(fabs(ratio - 37.0 / 7.0) < 0.01);
	/* Every row got a label: the canvas grew for them. */
	assert_true(fig->height > 500);
	assert_non_null(find_text(fig, "job 36"));
	assert_non_null(find_text(fig, "Tasks"));
	tl_figure_free(fig);
	tl_trace_free(t);
}

/* Panels of one band share its row pitch: few rows beside many are not stretched. */
static void test_band_shares_row_pitch(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	add_group(t, "many", 40, false);
	add_group(t, "few", 8, false);
	add_group(t, "one", 1, false);
	tl_render_opts o;
	tl_render_opts_init(&o);
	struct tl_figure *fig = lay(t, &o);
	assert_int_equal(fig->npanels, 3);
	const struct tl_panel_geom *many = &fig->panels[0], *few = &fig->panels[1],
				   *one = &fig->panels[2];
	/* One band: the plots start at one height; rows have one pitch. */
	assert_true(many->plot.y == few->plot.y && few->plot.y == one->plot.y);
	assert_true(fabs(many->row_h - few->row_h) < 0.01);
	assert_true(fabs(few->plot.h - many->plot.h * 8 / 40) < 0.01);
	/* A single row keeps a few rows' room (at least three labels' pitch), not a 40th. */
	assert_true(one->plot.h > 3 * many->row_h - 0.01);
	assert_true(one->plot.h < many->plot.h / 4);
	tl_figure_free(fig);
	tl_trace_free(t);
}

/* On a narrow canvas the legend takes more lines rather than cut its names to nothing. */
static void test_narrow_legend(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "g");
	for (int j = 0; j < 4; j++) {
		char name[16];
		snprintf(name, sizeof(name), "%d", j);
		add_worker_span(t, g, j, name, j * SEC, (j + 1) * SEC);
	}
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.width = 200;
	struct tl_figure *fig = lay(t, &o);
	for (int j = 0; j < 4; j++) {
		char name[16];
		snprintf(name, sizeof(name), "worker %d", j);
		assert_non_null(find_text(fig, name));
	}
	tl_figure_free(fig);
	tl_trace_free(t);
}

/* The canvas grows with rows up to a cap; --height forces it, and labels thin out, said. */
static void test_height_and_row_labels(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	add_group(t, "few", 4, false);
	tl_render_opts o;
	tl_render_opts_init(&o);
	struct tl_figure *fig = lay(t, &o);
	assert_true(fig->height == 500);
	tl_figure_free(fig);
	tl_trace_free(t);

	t = tl_trace_new();
	add_group(t, "many", 150, false);
	fig = lay(t, &o);
	assert_true(fig->height == 1500); /* 1.25 × the width */
	tl_figure_free(fig);
	o.height = 400;
	fig = lay(t, &o);
	assert_true(fig->height == 400);
	/* The first and the last row are always labelled, and the axis says how rows are. */
	assert_non_null(find_text(fig, "job 0"));
	assert_non_null(find_text(fig, "job 149"));
	size_t labels = 0;
	const char *ylabel = NULL;
	for (size_t i = 0; i < fig->ntexts; i++) {
		labels += strncmp(fig->texts[i].text, "job ", 4) == 0;
		if (strncmp(fig->texts[i].text, "Tasks (", 7) == 0) {
			ylabel = fig->texts[i].text;
		}
	}
	assert_non_null(ylabel);
	size_t every = 0;
	assert_int_equal(sscanf(ylabel, "Tasks (every %zu", &every), 1);
	assert_true(every > 1);
	assert_int_equal(labels,
			 149 / every + 1); /* 0, k, 2k... no nearer the last than k, the last */
	tl_figure_free(fig);
	tl_trace_free(t);
	/* Rows past the pixels: each line of the plot holds several, and the axis says how many. */
	t = tl_trace_new();
	add_group(t, "more", 3000, false);
	fig = lay(t, &o);
	bool said = false;
	for (size_t i = 0; i < fig->ntexts; i++) {
		size_t per = 0;
		said |= sscanf(fig->texts[i].text, "Tasks (%zu per pixel row)", &per) == 1 &&
			per >= 10;
	}
	assert_true(said);
	tl_figure_free(fig);
	tl_trace_free(t);
}

/* A title too long for its panel takes two lines, whole, instead of an ellipsis. */
static void test_titles_wrap(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	const char *long_name = "a group named at some length";
	add_group(t, long_name, 3, false);
	add_group(t, "b", 3, false);
	add_group(t, "c", 3, false);
	add_group(t, "d", 3, false);
	tl_render_opts o;
	tl_render_opts_init(&o);
	struct tl_figure *fig = lay(t, &o);
	assert_null(find_text(fig, long_name));
	const struct tl_text_item *first = NULL, *second = NULL;
	for (size_t i = 0; i < fig->ntexts; i++) {
		const struct tl_text_item *it = &fig->texts[i];
		if (it->role != TL_TEXT_PANEL) {
			continue;
		}
		double w, h;
		fixed_measure(NULL, it->text, TL_TEXT_PANEL, it->px, &w, &h);
		assert_true(it->max_w == 0 || w <= it->max_w); /* never cut */
		if (strncmp(long_name, it->text, strlen(it->text)) == 0 && !first) {
			first = it;
		}
	}
	for (size_t i = 0; first && i < fig->ntexts; i++) {
		const struct tl_text_item *it = &fig->texts[i];
		if (it->role == TL_TEXT_PANEL && fabs(it->x - first->x) < 0.5 && it->y > first->y) {
			second = it;
		}
	}
	assert_non_null(first);
	assert_non_null(second);
	char joined[128];
	snprintf(joined, sizeof(joined), "%s %s", first->text, second->text);
	assert_string_equal(joined, long_name);
	assert_true(second->y > first->y);
	tl_figure_free(fig);
	tl_trace_free(t);
}

/* Times read off a clock: the footnote says where zero was, its fraction without trailing zeros. */
static void test_origin_footnote(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	add_group(t, "server", 3, false);
	tl_render_opts o;
	tl_render_opts_init(&o);
	struct tl_figure *fig = lay(t, &o);
	for (size_t i = 0; i < fig->ntexts; i++) {
		assert_null(strstr(fig->texts[i].text, "time 0"));
	}
	tl_figure_free(fig);
	assert_int_equal(tl_trace_meta_set(t, "epoch_ns", "1700000000123450000", NULL), TL_OK);
	fig = lay(t, &o);
	const struct tl_text_item *foot = find_text(fig, "time 0 = 2023-11-14 22:13:20.12345 UTC");
	assert_non_null(foot);
	assert_true(foot->y > fig->panels[0].plot.y + fig->panels[0].plot.h);
	assert_true(foot->y < fig->height);
	tl_figure_free(fig);
	tl_trace_free(t);
}

/* Labels too long for a third of the panel keep their distinguishing end. */
static void test_long_labels_keep_their_end(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "api");
	char url[160];
	for (int j = 0; j < 3; j++) {
		snprintf(url, sizeof(url),
			 "https://api.example.org/v2/catalogue/items/%d/thumbnails?size=large",
			 40 + j);
		tl_span s = {.group = g, .job = j, .label = str(t, url), .start = 0, .stop = SEC};
		assert_int_equal(tl_trace_add_span(t, &s, NULL), TL_OK);
	}
	tl_render_opts o;
	tl_render_opts_init(&o);
	struct tl_figure *fig = lay(t, &o);
	size_t found = 0;
	for (size_t i = 0; i < fig->ntexts; i++) {
		const char *x = fig->texts[i].text;
		const char *dots = strstr(x, "\xe2\x80\xa6");
		if (strncmp(x, "https://", 8) == 0 && dots) {
			found++;
			assert_non_null(strstr(dots, "/thumbnails?size=large"));
			double w, h;
			fixed_measure(NULL, x, TL_TEXT_TICK, fig->texts[i].px, &w, &h);
			assert_true(w <= fig->texts[i].max_w);
		}
	}
	assert_int_equal(found, 3);
	tl_figure_free(fig);
	tl_trace_free(t);
}

/* A group drawn as spans over samples: two titles that say which is which. */
static void test_stacked_panels_titled_apart(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	add_group(t, "threads", 2, false);
	add_group(t, "threads", 2, true);
	add_group(t, "processes", 2, true);
	tl_render_opts o;
	tl_render_opts_init(&o);
	struct tl_figure *fig = lay(t, &o);
	assert_non_null(find_text(fig, "threads \xc2\xb7 spans"));
	assert_non_null(find_text(fig, "threads \xc2\xb7 samples"));
	assert_non_null(find_text(fig, "processes")); /* drawn once: its name alone */
	assert_null(find_text(fig, "threads"));
	tl_figure_free(fig);
	tl_trace_free(t);
}

/* Fifty panels at default options: drawn, taller than the cap rather than refused. */
static void test_many_panels_drawn(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	char name[32];
	for (int g = 0; g < 50; g++) {
		snprintf(name, sizeof(name), "ForkPoolWorker-%d", g);
		add_group(t, name, 3, false);
	}
	tl_render_opts o;
	tl_render_opts_init(&o);
	struct tl_figure *fig = lay(t, &o);
	assert_int_equal(fig->npanels, 50);
	assert_true(fig->height > 1500);
	for (size_t i = 0; i < 50; i++) {
		assert_true(fig->panels[i].plot.h >= 30);
		assert_true(fig->panels[i].plot.y + fig->panels[i].plot.h < fig->height);
	}
	tl_figure_free(fig);
	tl_trace_free(t);
}

/* --time-axis clock: ticks on round times of day, the date when midnight is passed. */
static void test_clock_axis(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	add_group(t, "jobs", 4, false); /* 0 to 4 s */
	/* 2023-11-14 22:13:20 UTC */
	assert_int_equal(tl_trace_meta_set(t, "epoch_ns", "1700000000000000000", NULL), TL_OK);
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.time_axis = TL_TIME_AXIS_CLOCK;
	struct tl_figure *fig = lay(t, &o);
	assert_non_null(find_prefix(fig, "22:13:21")); /* "22:13:21" or "22:13:21.0" */
	assert_non_null(find_text(fig, "Time of day (UTC)"));
	for (size_t i = 0; i < fig->ntexts; i++) {
		assert_null(strstr(fig->texts[i].text, "time 0 ="));
	}
	tl_figure_free(fig);
	/* Three hours from 22:13:20: past midnight, so dates, on a clock step. */
	add_span(t, 0, 9, 0, 3 * 3600 * SEC);
	fig = lay(t, &o);
	assert_non_null(find_text(fig, "11-15 00:00"));
	tl_figure_free(fig);
	/* A time of day with no date: no date, no UTC. */
	tl_trace_free(t);
	t = tl_trace_new();
	add_group(t, "jobs", 4, false);
	assert_int_equal(tl_trace_meta_set(t, "time_of_day_ns", "50400000000000", NULL), TL_OK);
	fig = lay(t, &o);
	assert_non_null(find_prefix(fig, "14:00:02"));
	assert_non_null(find_text(fig, "Time of day"));
	tl_figure_free(fig);
	tl_trace_free(t);
	/* Times with no clock: refused, saying why. */
	t = tl_trace_new();
	add_group(t, "jobs", 4, false);
	struct tl_error err = {0};
	assert_int_equal(tl_figure_build(t, &o, fixed_measure, NULL, &fig, &err), TL_ERR_USAGE);
	assert_string_equal(err.msg, "--time-axis clock: the input's times are not dates or "
				     "times of day, so there is no time of day to show");
	tl_trace_free(t);
}

/* Groups that ran beside the reference (processes of one input) get no speedup. */
static void test_no_speedup_beside_the_reference(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	add_group(t, "a:p1", 4, false);
	add_group(t, "a:p2", 3, false);
	add_group(t, "b:p1", 2, false);
	assert_int_equal(tl_trace_meta_set(t, "groups", "concurrent 0-1 2-2", NULL), TL_OK);
	tl_render_opts o;
	tl_render_opts_init(&o);
	struct tl_figure *fig = lay(t, &o);
	assert_non_null(find_text(fig, "wall 4.00 s \xc2\xb7 reference"));
	assert_non_null(find_text(fig, "wall 3.00 s"));
	assert_non_null(find_text(fig, "wall 2.00 s \xc2\xb7 2.00\xc3\x97 vs a:p1"));
	tl_figure_free(fig);
	tl_trace_free(t);
}

/*
 * Each bar on its job's row, whatever order the jobs come in: jobs first
 * rising (rows made without a key map), then out of order (the map from
 * there on), a job with two spans, and the rows sorted three ways.
 */
static void test_bars_on_their_rows(void **state) {
	(void)state;
	static const struct {
		int64_t job;
		tl_ns start, stop; /* seconds; starts rise, so bar k (by x) is span k */
	} spans[] = {{2, 0, 1}, {3, 1, 3}, {5, 2, 3}, {1, 3, 7}, {4, 4, 5}, {0, 5, 6}, {3, 6, 7}};
	enum { NSPANS = sizeof(spans) / sizeof(spans[0]) };
	static const struct {
		tl_sort sort;
		int64_t top_down[6]; /* jobs, top row first */
	} orders[] = {
		{TL_SORT_JOB, {0, 1, 2, 3, 4, 5}},
		{TL_SORT_START, {2, 3, 5, 1, 4, 0}},
		{TL_SORT_DURATION, {1, 3, 2, 5, 4, 0}},
	};
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "g");
	for (size_t i = 0; i < NSPANS; i++) {
		add_worker_span(t, g, spans[i].job, "w", spans[i].start * SEC, spans[i].stop * SEC);
	}
	for (size_t k = 0; k < sizeof(orders) / sizeof(orders[0]); k++) {
		tl_render_opts o;
		tl_render_opts_init(&o);
		o.sort = orders[k].sort;
		struct tl_figure *fig = lay(t, &o);
		const struct tl_shape *bar[NSPANS];
		size_t n = 0;
		for (size_t i = 0; i < fig->nshapes; i++) {
			if (fig->shapes[i].style == TL_SHAPE_BAR) {
				assert_true(n < NSPANS);
				bar[n++] = &fig->shapes[i];
			}
		}
		assert_int_equal(n, NSPANS);
		/* Bars in the order of their x, then each one's row: the bars above it. */
		for (size_t i = 1; i < n; i++) {
			for (size_t j = i; j > 0 && bar[j]->x < bar[j - 1]->x; j--) {
				const struct tl_shape *tmp = bar[j];
				bar[j] = bar[j - 1];
				bar[j - 1] = tmp;
			}
		}
		for (size_t i = 0; i < n; i++) {
			size_t row = 0; /* the row the job is on, top first */
			while (orders[k].top_down[row] != spans[i].job) {
				row++;
			}
			/* The row its bar is on: the heights of the bars above it, each once. */
			size_t above = 0;
			float seen[NSPANS];
			for (size_t j = 0; j < n; j++) {
				bool again = false;
				for (size_t q = 0; q < above; q++) {
					again |= fabsf(bar[j]->y - seen[q]) < 0.5f;
				}
				if (!again && bar[j]->y < bar[i]->y - 0.5f) {
					seen[above++] = bar[j]->y;
				}
			}
			if (above != row) {
				fail_msg("sort %zu: job %lld's bar on row %zu, not %zu", k,
					 (long long)spans[i].job, above, row);
			}
		}
		tl_figure_free(fig);
	}
	tl_trace_free(t);
}

/* Every option word reads back to its value, and past the last there is none. */
static void test_option_words_round_trip(void **state) {
	(void)state;
#define ROUND_TRIP(prefix, type, count)                                                            \
	for (int i = 0; i < (count); i++) {                                                        \
		type v;                                                                            \
		assert_true(prefix##_from_string(prefix##_to_string((type)i), &v));                \
		assert_int_equal(v, i);                                                            \
	}                                                                                          \
	assert_string_equal(prefix##_to_string((type)(count)), "?")
	ROUND_TRIP(tl_chart_kind, tl_chart_kind, TL_KIND_COUNT);
	ROUND_TRIP(tl_rows, tl_rows, TL_ROWS_COUNT);
	ROUND_TRIP(tl_sort, tl_sort, TL_SORT_COUNT);
	ROUND_TRIP(tl_color_by, tl_color_by, TL_COLOR_COUNT);
	ROUND_TRIP(tl_theme, tl_theme, TL_THEME_COUNT);
	ROUND_TRIP(tl_span_labels, tl_span_labels, TL_SPAN_LABELS_COUNT);
	ROUND_TRIP(tl_time_axis, tl_time_axis, TL_TIME_AXIS_COUNT);
	ROUND_TRIP(tl_panels, tl_panels, TL_PANELS_COUNT);
#undef ROUND_TRIP
	assert_string_equal(tl_color_by_to_string(TL_COLOR_STATUS), "status");
	assert_string_equal(tl_panels_to_string(TL_PANELS_ONE), "one");
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_panels_wrap_into_a_grid),
		cmocka_unit_test(test_bands_follow_rows),
		cmocka_unit_test(test_band_shares_row_pitch),
		cmocka_unit_test(test_narrow_legend),
		cmocka_unit_test(test_height_and_row_labels),
		cmocka_unit_test(test_titles_wrap),
		cmocka_unit_test(test_origin_footnote),
		cmocka_unit_test(test_long_labels_keep_their_end),
		cmocka_unit_test(test_stacked_panels_titled_apart),
		cmocka_unit_test(test_many_panels_drawn),
		cmocka_unit_test(test_clock_axis),
		cmocka_unit_test(test_no_speedup_beside_the_reference),
		cmocka_unit_test(test_bars_on_their_rows),
		cmocka_unit_test(test_option_words_round_trip),
	};
	return cmocka_run_group_tests_name("layout", tests, NULL, NULL);
}
