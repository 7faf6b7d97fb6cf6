/*
 * The renderer, checked on its output: PNG pixels read back with libpng at
 * coordinates computed from the layout, text kept inside the canvas, shape
 * counts that follow pixels rather than rows, byte-identical reruns, and
 * option errors.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <math.h>
#include <png.h>

#include <timeline/timeline.h>

#include "../../src/render/layout.h"
#include "../../src/render/text.h"

#include "figures.h"
#include "traces.h"

static char tmpdir[64];

static int setup(void **state) {
	(void)state;
	strcpy(tmpdir, "/tmp/tl-render-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state) {
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd);
}

/* Two groups of four jobs; job 2 of processes fails. */
static tl_trace *seed_trace(void) {
	tl_trace *t = tl_trace_new();
	uint32_t th = group(t, "threads"), pr = group(t, "processes");
	char w[8];
	for (int j = 0; j < 4; j++) {
		snprintf(w, sizeof(w), "%d", j);
		tl_span s = {.group = th,
			     .job = j,
			     .worker = str(t, w),
			     .start = j * 500 * MS,
			     .stop = (j + 2) * 500 * MS};
		assert_int_equal(tl_trace_add_span(t, &s, NULL), TL_OK);
	}
	for (int j = 0; j < 4; j++) {
		snprintf(w, sizeof(w), "%d", j);
		tl_span s = {.group = pr,
			     .job = j,
			     .worker = str(t, w),
			     .start = 0,
			     .stop = 1 * SEC,
			     .status = j == 2 ? 1 : 0};
		assert_int_equal(tl_trace_add_span(t, &s, NULL), TL_OK);
	}
	return t;
}

struct image {
	int w, h;
	unsigned char *rgb;
};

static struct image read_png(const char *path) {
	png_image img = {.version = PNG_IMAGE_VERSION};
	if (!png_image_begin_read_from_file(&img, path)) {
		fail_msg("%s: %s", path, img.message);
	}
	img.format = PNG_FORMAT_RGB;
	struct image out = {(int)img.width, (int)img.height, malloc(PNG_IMAGE_SIZE(img))};
	assert_non_null(out.rgb);
	assert_true(png_image_finish_read(&img, NULL, out.rgb, 0, NULL));
	return out;
}

static struct tl_rgb pixel(const struct image *im, double x, double y) {
	int xi = (int)x, yi = (int)y;
	assert_true(xi >= 0 && xi < im->w && yi >= 0 && yi < im->h);
	const unsigned char *p = im->rgb + 3 * ((size_t)yi * (size_t)im->w + (size_t)xi);
	return (struct tl_rgb){p[0] / 255.0, p[1] / 255.0, p[2] / 255.0};
}

static void assert_color(struct tl_rgb got, struct tl_rgb want, const char *what) {
	double d = fabs(got.r - want.r) + fabs(got.g - want.g) + fabs(got.b - want.b);
	if (d > 0.03) {
		fail_msg("%s: got %.3f %.3f %.3f, want %.3f %.3f %.3f", what, got.r, got.g, got.b,
			 want.r, want.g, want.b);
	}
}

static double time_x(const struct tl_panel_geom *p, tl_ns t) {
	return p->plot.x + (double)(t - p->lo) * p->plot.w / (double)(p->hi - p->lo);
}

static void render_png(const tl_trace *t, const tl_render_opts *o, const char *name, char *path) {
	sprintf(path, "%s/%s", tmpdir, name);
	struct tl_error err = {0};
	if (tl_render_file(t, o, path, &err) != TL_OK) {
		fail_msg("render: %s", err.msg);
	}
}

static void test_png_bars_where_layout_puts_them(void **state) {
	(void)state;
	tl_trace *t = seed_trace();
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.width = 800;
	o.height = 400;
	char path[128];
	render_png(t, &o, "bars.png", path);
	struct tl_figure *fig = lay_fonts(t, &o);
	struct image im = read_png(path);
	assert_int_equal(im.w, 800);
	assert_int_equal(im.h, 400);
	assert_int_equal(fig->npanels, 2);
	/* threads, job j (row j) runs [j*0.5 s, (j+2)*0.5 s] on worker j: colour j. */
	const struct tl_panel_geom *p = &fig->panels[0];
	for (int j = 0; j < 4; j++) {
		double x = time_x(p, (2 * j + 2) * 250 * MS);
		double y = p->plot.y + (j + 0.5) * p->row_h;
		assert_color(pixel(&im, x, y), tl_palette_color(TL_THEME_LIGHT, (unsigned)j),
			     "threads bar");
		/* Before its start the row is background. */
		if (j >= 2) {
			double bx = time_x(p, (j - 1) * 500 * MS) + 2;
			assert_color(pixel(&im, bx, y), tl_theme_background(TL_THEME_LIGHT),
				     "before the bar");
		}
	}
	/* processes, job 2 failed: its outline has the failure colour. */
	const struct tl_panel_geom *q = &fig->panels[1];
	/* Bars are 76 % of their row, at most 40 px tall (at 100 dpi), centred. */
	double pad = q->row_h * 0.12;
	pad = q->row_h - 2 * pad > 40 ? (q->row_h - 40) / 2 : pad;
	double top = q->plot.y + 2 * q->row_h + pad;
	assert_color(pixel(&im, time_x(q, 500 * MS), top + 0.5), tl_theme_failed(TL_THEME_LIGHT),
		     "failed outline");
	/* Outside every plot: the opaque background. */
	assert_color(pixel(&im, 2, 2), tl_theme_background(TL_THEME_LIGHT), "corner");
	free(im.rgb);
	tl_figure_free(fig);
	tl_trace_free(t);
}

static void test_dark_theme_is_dark(void **state) {
	(void)state;
	tl_trace *t = seed_trace();
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.theme = TL_THEME_DARK;
	o.width = 600;
	o.height = 300;
	char path[128];
	render_png(t, &o, "dark.png", path);
	struct image im = read_png(path);
	struct tl_rgb c = pixel(&im, 3, 3);
	assert_true(c.r + c.g + c.b < 0.4);
	assert_color(c, tl_theme_background(TL_THEME_DARK), "dark corner");
	/* Mostly dark overall: the mean brightness is low. */
	double sum = 0;
	for (int i = 0; i < im.w * im.h * 3; i++) {
		sum += im.rgb[i];
	}
	assert_true(sum / (im.w * im.h * 3) < 80);
	free(im.rgb);
	tl_trace_free(t);
}

static void test_scatter_samples_painted(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "threads");
	/* Job 0 dense on [0, 10 ms], job 1 a single sample at 15 ms. */
	for (int i = 0; i < 100000; i++) {
		tl_sample s = {.group = g, .job = 0, .t = (tl_ns)i * 100};
		assert_int_equal(tl_trace_add_sample(t, &s, NULL), TL_OK);
	}
	tl_sample one = {.group = g, .job = 1, .t = 15 * MS};
	assert_int_equal(tl_trace_add_sample(t, &one, NULL), TL_OK);
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.width = 700;
	o.height = 300;
	char path[128];
	render_png(t, &o, "scatter.png", path);
	struct tl_figure *fig = lay_fonts(t, &o);
	struct image im = read_png(path);
	const struct tl_panel_geom *p = &fig->panels[0];
	struct tl_rgb bg = tl_theme_background(TL_THEME_LIGHT);
	struct tl_rgb dense = pixel(&im, time_x(p, 5 * MS), p->plot.y + 0.5 * p->row_h);
	struct tl_rgb sparse = pixel(&im, time_x(p, 15 * MS), p->plot.y + 1.5 * p->row_h);
	double dd = fabs(dense.r - bg.r) + fabs(dense.g - bg.g) + fabs(dense.b - bg.b);
	double ds = fabs(sparse.r - bg.r) + fabs(sparse.g - bg.g) + fabs(sparse.b - bg.b);
	assert_true(ds > 0.1);      /* a lone sample is visible */
	assert_true(dd > ds + 0.1); /* and a dense stretch is darker */
	/* Between them, in job 1's row, nothing. */
	assert_color(pixel(&im, time_x(p, 5 * MS), p->plot.y + 1.5 * p->row_h), bg, "empty row");
	/* 100 000 samples became a handful of shapes. */
	assert_true(fig->nshapes < 2 * (size_t)o.width);
	free(im.rgb);
	tl_figure_free(fig);
	tl_trace_free(t);
}

/* Every text box lies inside the canvas. */
static void assert_text_inside(const struct tl_figure *fig) {
	struct tl_text *text = tl_text_new();
	for (size_t i = 0; i < fig->ntexts; i++) {
		const struct tl_text_item *it = &fig->texts[i];
		double w, h;
		tl_text_measure(text, it->text, (enum tl_text_role)it->role, it->px, &w, &h);
		if (it->max_w > 0 && w > it->max_w) {
			w = it->max_w;
		}
		double x0, y0, x1, y1;
		if (it->vertical) {
			x0 = it->x - h / 2;
			x1 = it->x + h / 2;
			y0 = it->y - w / 2;
			y1 = it->y + w / 2;
		} else {
			x0 = it->align == TL_ALIGN_LEFT     ? it->x
			     : it->align == TL_ALIGN_CENTER ? it->x - w / 2
							    : it->x - w;
			x1 = x0 + w;
			y0 = it->y;
			y1 = it->y + h;
		}
		if (x0 < -0.5 || y0 < -0.5 || x1 > fig->width + 0.5 || y1 > fig->height + 0.5) {
			fail_msg("text '%s' at [%.1f, %.1f]-[%.1f, %.1f] leaves the %.0fx%.0f "
				 "canvas",
				 it->text, x0, y0, x1, y1, fig->width, fig->height);
		}
	}
	tl_text_free(text);
}

static void test_long_and_cjk_labels_stay_inside(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t a = group(t, "\xe5\xa4\x9a\xe7\xba\xbf\xe7\xa8\x8b (multi-threading)");
	uint32_t b = group(t, "a group name that is much longer than any panel could ever show in "
			      "one line of its title");
	const char *labels[] = {
		"\xe4\xb8\x8b\xe8\xbd\xbd\xe4\xbb\xbb\xe5\x8a\xa1 1",
		"fetch https://example.invalid/a/very/long/path/that/goes/on/and/on/and/on.json",
		"x", "\xe8\xae\xa1\xe7\xae\x97"};
	for (int j = 0; j < 4; j++) {
		tl_span s = {.group = j % 2 ? b : a,
			     .job = j,
			     .label = str(t, labels[j]),
			     .start = j * MS,
			     .stop = (j + 3) * MS};
		assert_int_equal(tl_trace_add_span(t, &s, NULL), TL_OK);
	}
	tl_render_opts o;
	tl_render_opts_init(&o);
	const int sizes[][3] = {{1200, 500, 0}, {640, 300, 0}, {360, 420, 1}};
	for (int k = 0; k < 3; k++) {
		o.width = sizes[k][0];
		o.height = sizes[k][1];
		o.cols = sizes[k][2];
		o.title = "\xe5\xa4\x9a\xe7\xba\xbf\xe7\xa8\x8b\xe8\xbf\x98\xe6\x98\xaf\xe5\xa4\x9a"
			  "\xe8\xbf\x9b\xe7\xa8\x8b? A title long enough to need the whole width "
			  "of a small canvas";
		struct tl_figure *fig = lay_fonts(t, &o);
		assert_text_inside(fig);
		tl_figure_free(fig);
	}
	tl_trace_free(t);
}

static char *render_mem(const tl_trace *t, tl_render_opts *o, size_t *len) {
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	struct tl_error err = {0};
	if (tl_render_stream(t, o, f, "mem", &err) != TL_OK) {
		fail_msg("render: %s", err.msg);
	}
	fclose(f);
	return buf;
}

static void test_byte_identical_reruns(void **state) {
	(void)state;
	tl_trace *t = seed_trace();
	tl_render_opts o;
	tl_render_opts_init(&o);
	for (int fmt = 0; fmt < TL_IMAGE_COUNT; fmt++) {
		o.format = (tl_image_format)fmt;
		size_t n1, n2;
		char *a = render_mem(t, &o, &n1);
		char *b = render_mem(t, &o, &n2);
		assert_true(n1 > 100);
		assert_int_equal(n1, n2);
		assert_memory_equal(a, b, n1);
		if (fmt == TL_IMAGE_PDF) {
			assert_non_null(memmem(a, n1, "19700101000000Z", 15));
		}
		free(a);
		free(b);
	}
	/* SOURCE_DATE_EPOCH dates the PDF. */
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	o.format = TL_IMAGE_PDF;
	size_t n;
	char *p = render_mem(t, &o, &n);
	assert_non_null(memmem(p, n, "20231114221320Z", 15));
	free(p);
	unsetenv("SOURCE_DATE_EPOCH");
	tl_trace_free(t);
}

static void test_png_metadata(void **state) {
	(void)state;
	tl_trace *t = seed_trace();
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.dpi = 200;
	o.scale = 2;
	o.width = 1000;
	o.height = 500;
	o.title = "Threads vs processes";
	o.source = "results.csv";
	size_t n;
	unsigned char *png = (unsigned char *)render_mem(t, &o, &n);
	assert_memory_equal(png, "\x89PNG", 4);
	/* IHDR: 2000×1000 device pixels at scale 2. */
	assert_int_equal((png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19], 2000);
	assert_int_equal((png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23], 1000);
	unsigned char *phys = memmem(png, n, "pHYs", 4);
	assert_non_null(phys);
	/* 200 dpi × 2 = 400 px/inch = 15748 px/m */
	assert_int_equal((phys[4] << 24) | (phys[5] << 16) | (phys[6] << 8) | phys[7], 15748);
	assert_non_null(memmem(png, n, "Software\0timeline", 17));
	assert_non_null(memmem(png, n, "Title\0Threads vs processes", 26));
	assert_non_null(memmem(png, n, "Source\0results.csv", 18));
	free(png);
	/* A path names no folder: the base name alone; standard input, nothing. */
	o.source = "reports/someone/private/results.csv";
	png = (unsigned char *)render_mem(t, &o, &n);
	assert_non_null(memmem(png, n, "Source\0results.csv", 18));
	assert_null(memmem(png, n, "someone", 7));
	free(png);
	o.source = "-";
	png = (unsigned char *)render_mem(t, &o, &n);
	assert_null(memmem(png, n, "Source", 6));
	free(png);
	tl_trace_free(t);
}

static void test_big_gantt_bounded_by_pixels(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "threads");
	tl_str w[4] = {str(t, "0"), str(t, "1"), str(t, "2"), str(t, "3")};
	for (int j = 0; j < 200000; j++) {
		tl_span s = {.group = g,
			     .job = j,
			     .worker = w[j % 4],
			     .start = (tl_ns)j * 1000,
			     .stop = (tl_ns)j * 1000 + 3000};
		assert_int_equal(tl_trace_add_span(t, &s, NULL), TL_OK);
	}
	tl_render_opts o;
	tl_render_opts_init(&o);
	struct tl_figure *fig = lay_fonts(t, &o);
	/* At most a few shapes per pixel row and colour, not one per job. */
	double budget = fig->panels[0].plot.h * 4 * 8;
	if ((double)fig->nshapes > budget) {
		fail_msg("%zu shapes for 200000 spans (budget %.0f)", fig->nshapes, budget);
	}
	o.format = TL_IMAGE_SVG;
	size_t n;
	char *svg = render_mem(t, &o, &n);
	assert_true(n < 2 * 1024 * 1024);
	free(svg);
	tl_figure_free(fig);
	tl_trace_free(t);
}

static void expect_usage(tl_render_opts *o, const char *msg) {
	tl_trace *t = seed_trace();
	struct tl_error err = {0};
	char path[128];
	sprintf(path, "%s/never.png", tmpdir);
	assert_int_equal(tl_render_file(t, o, path, &err), TL_ERR_USAGE);
	assert_string_equal(err.msg, msg);
	assert_int_equal(access(path, F_OK), -1);
	tl_trace_free(t);
}

static void test_bad_options(void **state) {
	(void)state;
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.width = 0;
	expect_usage(&o, "width must be positive and height positive or 0 (got 0\xc3\x97"
			 "0)");
	tl_render_opts_init(&o);
	o.has_xlim = true;
	o.xlim_lo = 5 * SEC;
	o.xlim_hi = 1 * SEC;
	expect_usage(&o, "the time range must end after it starts");
	tl_render_opts_init(&o);
	o.width = 15000;
	o.scale = 2;
	expect_usage(&o, "canvas 30000\xc3\x97"
			 "1000 px is larger than the limit of 20000 px a side");
	tl_render_opts_init(&o);
	o.width = 90;
	o.height = 60;
	expect_usage(&o, "the canvas is too small for the labels: the plot area would be 0\xc3\x97"
			 "0 px; give a larger --width or --height");
}

static void test_nothing_to_draw(void **state) {
	(void)state;
	tl_trace *t = seed_trace();
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.kind = TL_KIND_SCATTER;
	struct tl_error err = {0};
	size_t n;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, &n);
	assert_int_equal(tl_render_stream(t, &o, f, "mem", &err), TL_ERR_INPUT);
	fclose(f);
	free(buf);
	assert_string_equal(err.msg,
			    "nothing to draw: the input has no samples for a scatter chart");
	tl_trace_free(t);
}

/* Row labels of the first panel, top to bottom, joined by '|'. */
static void row_labels(const struct tl_figure *fig, char *buf, size_t size) {
	buf[0] = '\0';
	for (size_t i = 0; i < fig->ntexts; i++) {
		const struct tl_text_item *it = &fig->texts[i];
		if (it->align == TL_ALIGN_RIGHT && it->x < fig->panels[0].plot.x) {
			if (buf[0]) {
				strncat(buf, "|", size - strlen(buf) - 1);
			}
			strncat(buf, it->text, size - strlen(buf) - 1);
		}
	}
}

static void test_rows_and_sorting(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "");
	/* job: start, stop — no workers named. Three overlap at 1.5 s. */
	const tl_ns spans[][3] = {{0, 0, 2}, {1, 1, 4}, {2, 1, 2}, {3, 2, 3}, {4, 3, 5}};
	for (int i = 0; i < 5; i++) {
		tl_span s = {.group = g,
			     .job = 4 - spans[i][0],
			     .start = spans[i][1] * SEC,
			     .stop = spans[i][2] * SEC};
		if (i == 2) {
			s.label = str(t, "fetch \xe4\xbb\xbb\xe5\x8a\xa1");
		}
		assert_int_equal(tl_trace_add_span(t, &s, NULL), TL_OK);
	}
	tl_render_opts o;
	tl_render_opts_init(&o);
	char buf[512];
	struct tl_figure *fig = lay_fonts(t, &o);
	row_labels(fig, buf, sizeof(buf));
	assert_string_equal(buf, "job 0|job 1|fetch \xe4\xbb\xbb\xe5\x8a\xa1|job 3|job 4");
	tl_figure_free(fig);
	/* Longest first: job 3 (3 s); 4 and 0 (2 s) by start; 2 and 1 (1 s) by start. */
	o.sort = TL_SORT_DURATION;
	fig = lay_fonts(t, &o);
	row_labels(fig, buf, sizeof(buf));
	assert_string_equal(buf, "job 3|job 4|job 0|fetch \xe4\xbb\xbb\xe5\x8a\xa1|job 1");
	tl_figure_free(fig);
	o.sort = TL_SORT_START; /* by start, then job: 4, 2, 3, 1, 0 */
	fig = lay_fonts(t, &o);
	row_labels(fig, buf, sizeof(buf));
	assert_string_equal(buf, "job 4|fetch \xe4\xbb\xbb\xe5\x8a\xa1|job 3|job 1|job 0");
	tl_figure_free(fig);
	/* Worker rows without workers: lanes packed by interval, as many as overlap. */
	o.rows = TL_ROWS_WORKER;
	fig = lay_fonts(t, &o);
	row_labels(fig, buf, sizeof(buf));
	assert_string_equal(buf, "lane 0|lane 1|lane 2");
	assert_int_equal(fig->panels[0].rows, 3);
	tl_figure_free(fig);
	tl_trace_free(t);
}

/* Chrome's thread_sort_index orders worker rows; a thread's nested spans get rows below it. */
static void test_chrome_thread_order_and_depth(void **state) {
	(void)state;
	const char json[] =
		"[{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":1,\"tid\":9,"
		"\"args\":{\"sort_index\":0}},"
		"{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":9,\"args\":{\"name\":"
		"\"zeta\"}},"
		"{\"ph\":\"X\",\"pid\":1,\"tid\":2,\"ts\":0,\"dur\":5,\"name\":\"a\"},"
		"{\"ph\":\"X\",\"pid\":1,\"tid\":9,\"ts\":1,\"dur\":2,\"name\":\"inner\"},"
		"{\"ph\":\"X\",\"pid\":1,\"tid\":9,\"ts\":0,\"dur\":5,\"name\":\"outer\"}]";
	tl_trace *t = NULL;
	assert_int_equal(tl_read_mem(json, strlen(json), "t.json", NULL, &t, NULL), TL_OK);
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.rows = TL_ROWS_WORKER;
	struct tl_figure *fig = lay_fonts(t, &o);
	char buf[256];
	row_labels(fig, buf, sizeof(buf));
	assert_string_equal(buf, "zeta||tid 2");
	assert_int_equal(fig->panels[0].rows, 3);
	tl_figure_free(fig);
	tl_trace_free(t);
}

static void test_colors_follow_workers_across_panels(void **state) {
	(void)state;
	tl_trace *t = seed_trace();
	tl_render_opts o;
	tl_render_opts_init(&o);
	struct tl_figure *fig = lay_fonts(t, &o);
	/* One swatch per worker in the legend, then one for failure. */
	size_t swatches = 0, failed = 0;
	for (size_t i = 0; i < fig->nshapes; i++) {
		swatches += fig->shapes[i].style == TL_SHAPE_SWATCH;
		failed += fig->shapes[i].style == TL_SHAPE_FAILED;
	}
	assert_int_equal(swatches, 4);
	assert_int_equal(failed, 2); /* the failed bar and its legend entry */
	tl_figure_free(fig);
	o.color_by = TL_COLOR_NONE;
	fig = lay_fonts(t, &o);
	for (size_t i = 0; i < fig->nshapes; i++) {
		assert_int_equal(fig->shapes[i].color, 0);
	}
	tl_figure_free(fig);
	tl_trace_free(t);
}

/* An unfinished job: solid where it ran, fading out to its group's end, in the legend. */
static void test_unfinished_bar_fades(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g;
	tl_str w;
	assert_int_equal(tl_trace_group(t, "threads", 7, &g, NULL), TL_OK);
	assert_int_equal(tl_trace_intern(t, "w0", 2, &w, NULL), TL_OK);
	tl_span a = {.start = 0, .stop = 4000 * MS, .job = 0, .group = g, .worker = w};
	tl_span b = {.start = 0,
		     .stop = 4000 * MS,
		     .job = 1,
		     .group = g,
		     .worker = w,
		     .status = TL_EXIT_UNFINISHED};
	assert_int_equal(tl_trace_add_span(t, &a, NULL), TL_OK);
	assert_int_equal(tl_trace_add_span(t, &b, NULL), TL_OK);
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.width = 800;
	o.height = 300;
	struct tl_figure *fig = lay_fonts(t, &o);
	size_t open = 0;
	for (size_t i = 0; i < fig->nshapes; i++) {
		open += fig->shapes[i].style == TL_SHAPE_OPEN;
	}
	assert_int_equal(open, 2); /* the bar and its legend entry */
	bool legend = false;
	for (size_t i = 0; i < fig->ntexts; i++) {
		legend |= strcmp(fig->texts[i].text, "unfinished") == 0;
	}
	assert_true(legend);
	char path[128];
	render_png(t, &o, "unfinished.png", path);
	struct image im = read_png(path);
	const struct tl_panel_geom *p = &fig->panels[0];
	struct tl_rgb c = tl_palette_color(TL_THEME_LIGHT, 0),
		      bg = tl_theme_background(TL_THEME_LIGHT);
	double y0 = p->plot.y + 0.5 * p->row_h, y1 = p->plot.y + 1.5 * p->row_h;
	/* Both solid in the middle; at the very end the finished one still is, the open one pale.
	 */
	assert_color(pixel(&im, time_x(p, 2000 * MS), y0), c, "finished bar");
	assert_color(pixel(&im, time_x(p, 2000 * MS), y1), c, "unfinished bar, where it ran");
	assert_color(pixel(&im, time_x(p, 3990 * MS) - 3, y0), c, "finished bar's end");
	struct tl_rgb end = pixel(&im, time_x(p, 3990 * MS) - 3, y1);
	double to_bg = fabs(end.r - bg.r) + fabs(end.g - bg.g) + fabs(end.b - bg.b);
	double to_c = fabs(end.r - c.r) + fabs(end.g - c.g) + fabs(end.b - c.b);
	if (!(to_bg < to_c)) {
		fail_msg("the unfinished bar's end is not faded: %.3f %.3f %.3f", end.r, end.g,
			 end.b);
	}
	free(im.rgb);
	tl_figure_free(fig);
	tl_trace_free(t);
}

/* ---- degenerate traces: nothing may divide by zero ---- */

/* Every coordinate is a finite number, every size non-negative, every axis a range. */
static void assert_figure_finite(const struct tl_figure *fig) {
	for (size_t i = 0; i < fig->nshapes; i++) {
		const struct tl_shape *s = &fig->shapes[i];
		if (!isfinite(s->x) || !isfinite(s->y) || !isfinite(s->w) || !isfinite(s->h) ||
		    s->w < 0 || s->h < 0) {
			fail_msg("shape %zu: %g %g %g %g", i, s->x, s->y, s->w, s->h);
		}
	}
	for (size_t i = 0; i < fig->nlines; i++) {
		const struct tl_line *l = &fig->lines[i];
		if (!isfinite(l->x0) || !isfinite(l->y0) || !isfinite(l->x1) || !isfinite(l->y1)) {
			fail_msg("line %zu: %g %g %g %g", i, l->x0, l->y0, l->x1, l->y1);
		}
	}
	for (size_t i = 0; i < fig->ntexts; i++) {
		const struct tl_text_item *it = &fig->texts[i];
		if (!isfinite(it->x) || !isfinite(it->y) || !isfinite(it->max_w)) {
			fail_msg("text '%s': %g %g %g", it->text, it->x, it->y, it->max_w);
		}
	}
	for (size_t i = 0; i < fig->npanels; i++) {
		const struct tl_panel_geom *p = &fig->panels[i];
		assert_true(p->hi > p->lo);
		assert_true(isfinite(p->row_h) && p->plot.w > 0 && p->plot.h > 0);
	}
}

/* The texts of the figure equal to s, counted; the first in *ret when asked. */
static size_t count_text(const struct tl_figure *fig, const char *s,
			 const struct tl_text_item **ret) {
	size_t n = 0;
	for (size_t i = 0; i < fig->ntexts; i++) {
		if (strcmp(fig->texts[i].text, s) == 0) {
			if (ret && n == 0) {
				*ret = &fig->texts[i];
			}
			n++;
		}
	}
	return n;
}

static char *term_mem(const tl_trace *t, tl_status want, const char *want_msg) {
	char *buf = NULL;
	size_t n;
	FILE *f = open_memstream(&buf, &n);
	tl_term_opts to = {.width = 60, .ascii = true};
	struct tl_error err = {0};
	assert_int_equal(tl_render_term(t, &to, f, &err), want);
	fclose(f);
	if (want_msg) {
		assert_string_equal(err.msg, want_msg);
	}
	return buf;
}

/*
 * Render t as PNG (to tmpdir/name, for the caller to read back), SVG and PDF
 * (in memory) and as text: every one succeeds and starts as its format does.
 * Returns the layout and, in *ret_text, the text preview (free both).
 */
static struct tl_figure *render_every_way(const tl_trace *t, tl_render_opts *o, const char *name,
					  char *png_path, char **ret_text) {
	o->format = TL_IMAGE_PNG;
	render_png(t, o, name, png_path);
	for (int fmt = TL_IMAGE_SVG; fmt <= TL_IMAGE_PDF; fmt++) {
		o->format = (tl_image_format)fmt;
		size_t n;
		char *buf = render_mem(t, o, &n);
		assert_true(n > 100);
		if (fmt == TL_IMAGE_SVG) {
			assert_non_null(memmem(buf, n, "<svg", 4));
			assert_non_null(memmem(buf, n, "</svg>", 6));
		} else {
			assert_memory_equal(buf, "%PDF-", 5);
			assert_non_null(memmem(buf, n, "%%EOF", 5));
		}
		free(buf);
	}
	o->format = TL_IMAGE_PNG;
	struct tl_figure *fig = lay_fonts(t, o);
	assert_figure_finite(fig);
	*ret_text = term_mem(t, TL_OK, NULL);
	return fig;
}

/* Some pixel within r of (x, y) has colour c. */
static bool color_near(const struct image *im, double x, double y, int r, struct tl_rgb c) {
	for (int dy = -r; dy <= r; dy++) {
		for (int dx = -r; dx <= r; dx++) {
			int xi = (int)x + dx, yi = (int)y + dy;
			if (xi < 0 || yi < 0 || xi >= im->w || yi >= im->h) {
				continue;
			}
			struct tl_rgb g = pixel(im, xi, yi);
			if (fabs(g.r - c.r) + fabs(g.g - c.g) + fabs(g.b - c.b) < 0.03) {
				return true;
			}
		}
	}
	return false;
}

/* Pixels in the box that differ from the background. */
static int inked(const struct image *im, double x0, double y0, double x1, double y1,
		 struct tl_rgb bg) {
	int n = 0;
	for (int y = (int)y0; y < (int)y1; y++) {
		for (int x = (int)x0; x < (int)x1; x++) {
			struct tl_rgb g = pixel(im, x, y);
			n += fabs(g.r - bg.r) + fabs(g.g - bg.g) + fabs(g.b - bg.b) > 0.1;
		}
	}
	return n;
}

static void expect_nothing_to_draw(const tl_trace *t, tl_render_opts *o) {
	const char *msg = "nothing to draw: the input has no spans or samples";
	char path[128];
	sprintf(path, "%s/nothing.png", tmpdir);
	for (int fmt = 0; fmt < TL_IMAGE_COUNT; fmt++) {
		o->format = (tl_image_format)fmt;
		struct tl_error err = {0};
		assert_int_equal(tl_render_file(t, o, path, &err), TL_ERR_INPUT);
		assert_string_equal(err.msg, msg);
		assert_int_equal(access(path, F_OK), -1);
	}
	free(term_mem(t, TL_ERR_INPUT, msg));
}

/*
 * An empty trace, with no groups or with groups that hold nothing, has
 * nothing to draw: one clear error in every format. (With no panel at all,
 * the layout divided by zero columns: SIGFPE.)
 */
static void test_empty_trace_nothing_to_draw(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	tl_render_opts o;
	tl_render_opts_init(&o);
	expect_nothing_to_draw(t, &o);
	group(t, "threads");
	group(t, "processes");
	expect_nothing_to_draw(t, &o);
	o.rows = TL_ROWS_WORKER;
	o.free_x = true;
	expect_nothing_to_draw(t, &o);
	tl_trace_free(t);
}

/* A run stopped before any job completed: the chart says so instead of failing. */
static void test_interrupted_empty_trace_says_so(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	assert_int_equal(
		tl_trace_meta_set(t, TL_META_INTERRUPTED, "yes, 0 of 4 jobs completed", NULL),
		TL_OK);
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.width = 800;
	o.height = 360;
	char path[128], *text;
	struct tl_figure *fig = render_every_way(t, &o, "stopped-empty.png", path, &text);
	assert_string_equal(text, "interrupted: 0 of 4 jobs completed\nno job completed\n");
	/* What the input says of it is shown as the image shows it: a bidi override is a blank. */
	assert_int_equal(tl_trace_meta_set(t, TL_META_INTERRUPTED,
					   "yes, 0 of 4 \xe2\x80\xae jobs completed", NULL),
			 TL_OK);
	char *odd = term_mem(t, TL_OK, NULL);
	assert_string_equal(odd, "interrupted: 0 of 4   jobs completed\nno job completed\n");
	free(odd);
	assert_int_equal(
		tl_trace_meta_set(t, TL_META_INTERRUPTED, "yes, 0 of 4 jobs completed", NULL),
		TL_OK);
	assert_int_equal(fig->npanels, 1);
	assert_int_equal(fig->panels[0].rows, 0);
	assert_int_equal(fig->nshapes, 0);
	const struct tl_text_item *sub = NULL, *none = NULL;
	assert_int_equal(count_text(fig, "interrupted: 0 of 4 jobs completed", &sub), 1);
	assert_int_equal(count_text(fig, "no job completed", &none), 1);
	const struct tl_panel_geom *p = &fig->panels[0];
	/* The note sits in the middle of the plot; the subtitle above the plot. */
	assert_true(fabs(none->x - (p->plot.x + p->plot.w / 2)) < 1);
	assert_true(none->y > p->plot.y && none->y < p->plot.y + p->plot.h);
	assert_true(sub->y < p->plot.y);
	struct image im = read_png(path);
	struct tl_rgb bg = tl_theme_background(TL_THEME_LIGHT);
	/* Ink where the words are, none in the rest of the plot. */
	assert_true(inked(&im, none->x - 40, none->y, none->x + 40, none->y + 12, bg) > 20);
	assert_int_equal(inked(&im, p->plot.x + 4, p->plot.y + 4, p->plot.x + p->plot.w - 4,
			       none->y - 4, bg),
			 0);
	free(im.rgb);
	free(text);
	tl_figure_free(fig);
	/* Groups known but none with a job: a panel each, under its name. */
	group(t, "serial");
	group(t, "threads");
	fig = render_every_way(t, &o, "stopped-groups.png", path, &text);
	assert_string_equal(text, "interrupted: 0 of 4 jobs completed\nserial  no job completed\n"
				  "threads  no job completed\n");
	assert_int_equal(fig->npanels, 2);
	assert_int_equal(count_text(fig, "no job completed", NULL), 2);
	assert_int_equal(count_text(fig, "serial", NULL), 1);
	assert_int_equal(count_text(fig, "threads", NULL), 1);
	free(text);
	tl_figure_free(fig);
	tl_trace_free(t);
}

/*
 * An empty group beside groups with jobs: left out of a finished run's chart,
 * shown as "no job completed" in an interrupted run's.
 */
static void test_empty_group(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t serial = group(t, "serial");
	group(t, "threads");
	add_span(t, serial, 0, 0, 1 * SEC);
	add_span(t, serial, 1, 1 * SEC, 2 * SEC);
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.width = 800;
	o.height = 360;
	char path[128], *text;
	struct tl_figure *fig = render_every_way(t, &o, "empty-group.png", path, &text);
	assert_int_equal(fig->npanels, 1);
	assert_null(strstr(text, "threads"));
	assert_non_null(strstr(text, "serial  wall 2.00 s\n"));
	free(text);
	tl_figure_free(fig);

	assert_int_equal(tl_trace_meta_set(t, TL_META_INTERRUPTED, "2 of 8 jobs completed", NULL),
			 TL_OK);
	const tl_render_opts variants[] = {
		o,
		{.format = TL_IMAGE_PNG,
		 .width = 800,
		 .height = 360,
		 .dpi = 100,
		 .scale = 2,
		 .rows = TL_ROWS_WORKER,
		 .free_x = true,
		 .cols = 1},
	};
	for (size_t v = 0; v < 2; v++) {
		tl_render_opts ov = variants[v];
		fig = render_every_way(t, &ov, "empty-group-stopped.png", path, &text);
		assert_non_null(strstr(text, "\nthreads  no job completed\n"));
		assert_int_equal(
			strncmp(text, "interrupted: 2 of 8 jobs completed\nserial  wall", 46), 0);
		assert_int_equal(fig->npanels, 2);
		assert_true(fig->panels[0].rows > 0);
		assert_int_equal(fig->panels[1].rows, 0);
		const struct tl_text_item *none = NULL;
		assert_int_equal(count_text(fig, "no job completed", &none), 1);
		const struct tl_panel_geom *q = &fig->panels[1];
		assert_true(none->x > q->plot.x && none->x < q->plot.x + q->plot.w);
		/* The serial panel keeps its wall time, with no speedup against nothing. */
		assert_int_equal(count_text(fig, "wall 2.00 s", NULL), 1);
		/* Its bars are drawn where they belong. */
		struct image im = read_png(path);
		const struct tl_panel_geom *p = &fig->panels[0];
		double sx = ov.scale;
		double x = time_x(p, SEC / 2) * sx, y = (p->plot.y + 0.5 * p->row_h) * sx;
		assert_true(color_near(&im, x, y, 1, tl_palette_color(TL_THEME_LIGHT, 0)));
		free(im.rgb);
		free(text);
		tl_figure_free(fig);
	}
	tl_trace_free(t);
}

/* Every time equal: the axis is centred on that instant, and the marks drawn there. */
static void test_zero_length_axis(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t a = group(t, "a"), b = group(t, "b");
	add_span(t, a, 0, 2 * SEC, 2 * SEC);
	add_span(t, a, 1, 2 * SEC, 2 * SEC);
	add_span(t, b, 0, 2 * SEC, 2 * SEC);
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.width = 800;
	o.height = 360;
	char path[128], *text;
	struct tl_figure *fig = render_every_way(t, &o, "instant.png", path, &text);
	assert_int_equal(fig->npanels, 2);
	struct image im = read_png(path);
	for (size_t i = 0; i < 2; i++) {
		const struct tl_panel_geom *p = &fig->panels[i];
		/* 2 s ± 5%: the instant in the middle. */
		assert_int_equal(p->lo, 2 * SEC - SEC / 10 - 1);
		assert_int_equal(p->hi, 2 * SEC + SEC / 10 + 1);
		double x = time_x(p, 2 * SEC);
		assert_true(fabs(x - (p->plot.x + p->plot.w / 2)) < 0.5);
		assert_true(color_near(&im, x, p->plot.y + 0.5 * p->row_h, 1,
				       tl_palette_color(TL_THEME_LIGHT, 0)));
	}
	/* No speedup from a wall time of zero. */
	assert_int_equal(count_text(fig, "wall 0 s", NULL), 2);
	assert_non_null(strstr(text, "a  wall 0 s\njob 0 |"));
	free(im.rgb);
	free(text);
	tl_figure_free(fig);
	/* Each panel its own axis: the same. */
	o.free_x = true;
	o.rows = TL_ROWS_WORKER;
	fig = render_every_way(t, &o, "instant-free.png", path, &text);
	assert_int_equal(fig->panels[1].lo, 2 * SEC - SEC / 10 - 1);
	free(text);
	tl_figure_free(fig);
	tl_trace_free(t);
}

static void test_single_sample(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	tl_sample one = {.group = group(t, "tracker"), .job = 3, .t = 0};
	assert_int_equal(tl_trace_add_sample(t, &one, NULL), TL_OK);
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.width = 800;
	o.height = 360;
	char path[128], *text;
	struct tl_figure *fig = render_every_way(t, &o, "one-sample.png", path, &text);
	assert_int_equal(fig->npanels, 1);
	const struct tl_panel_geom *p = &fig->panels[0];
	assert_int_equal(p->lo, -SEC);
	assert_int_equal(p->hi, SEC);
	assert_int_equal(p->rows, 1);
	assert_int_equal(fig->nshapes, 1); /* one mark, fully opaque: the densest column */
	struct image im = read_png(path);
	assert_true(color_near(&im, time_x(p, 0), p->plot.y + 0.5 * p->row_h, 1,
			       tl_palette_color(TL_THEME_LIGHT, 0)));
	free(im.rgb);
	/* The text preview marks it at full density, in the middle of the image's axis. */
	const char *row = strstr(text, "tracker  wall 0 s\njob 3 |");
	assert_non_null(row);
	row += strlen("tracker  wall 0 s\njob 3 |");
	size_t blanks = strspn(row, " ");
	assert_true(row[blanks] == '%' && row[blanks + 1] == '\n');
	assert_true(blanks >= 24 && blanks <= 27); /* 52 columns of plot, from -1 s to 1 s */
	free(text);
	tl_figure_free(fig);
	tl_trace_free(t);
}

/* A grey lighter than text and darker than the background: a wash over it. */
static bool is_wash(struct tl_rgb c, struct tl_rgb bg) {
	return fabs(c.r - c.g) < 0.05 && fabs(c.g - c.b) < 0.05 && c.r < bg.r - 0.1 && c.r > 0.5;
}

/* --show-wait: each job's queue wait, from submit to start, as a grey wash; the axis from the first
 * submit. */
static void test_show_wait(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "cpu");
	tl_span s[] = {{.group = g, .job = 0, .start = 4 * SEC, .stop = 6 * SEC, .wait = 4 * SEC},
		       {.group = g, .job = 1, .start = 5 * SEC, .stop = 8 * SEC, .wait = SEC}};
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(tl_trace_add_span(t, &s[i], NULL), TL_OK);
	}
	assert_int_equal(tl_trace_meta_set(t, TL_META_QUEUED, "1", NULL), TL_OK);
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.width = 800;
	o.height = 360;
	o.show_wait = true;
	char path[128], *text;
	struct tl_figure *fig = render_every_way(t, &o, "show-wait.png", path, &text);
	const struct tl_panel_geom *p = &fig->panels[0];
	assert_int_equal(p->lo, 0); /* the first submit */
	struct image im = read_png(path);
	struct tl_rgb bg = tl_theme_background(TL_THEME_LIGHT);
	double y0 = p->plot.y + 0.5 * p->row_h;
	/* A neutral grey wash: job 0 waited from 0 s to 4 s, job 1 from 4 s to 5 s. */
	assert_true(is_wash(pixel(&im, (int)time_x(p, 2.3 * SEC), (int)y0), bg));
	assert_true(
		color_near(&im, time_x(p, 5 * SEC), y0, 0, tl_palette_color(TL_THEME_LIGHT, 0)));
	assert_true(color_near(&im, time_x(p, 3.7 * SEC), y0 + p->row_h, 0, bg));
	assert_true(is_wash(pixel(&im, (int)time_x(p, 4.7 * SEC), (int)(y0 + p->row_h)), bg));
	free(im.rgb);
	free(text);
	tl_figure_free(fig);
	/* Without it, the axis starts at the first start, and no wash. */
	o.show_wait = false;
	fig = render_every_way(t, &o, "no-wait.png", path, &text);
	p = &fig->panels[0];
	im = read_png(path);
	assert_int_equal(p->lo, 4 * SEC); /* the first start: 4 s before the data is not shown */
	assert_false(
		is_wash(pixel(&im, (int)time_x(p, 4.7 * SEC), (int)(p->plot.y + 1.5 * p->row_h)),
			tl_theme_background(TL_THEME_LIGHT)));
	free(im.rgb);
	free(text);
	tl_figure_free(fig);
	tl_trace_free(t);
}

/* A span of no duration at the axis's zero is drawn right of the y axis's line, not under it. */
static void test_zero_span_at_axis(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "threads");
	tl_span s[] = {{.group = g, .job = 0, .start = 0, .stop = 0},
		       {.group = g, .job = 1, .start = 0, .stop = SEC}};
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(tl_trace_add_span(t, &s[i], NULL), TL_OK);
	}
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.width = 800;
	o.height = 360;
	char path[128], *text;
	struct tl_figure *fig = render_every_way(t, &o, "zero-at-axis.png", path, &text);
	const struct tl_panel_geom *p = &fig->panels[0];
	assert_int_equal(p->lo, 0);
	struct image im = read_png(path);
	assert_true(color_near(&im, p->plot.x + 1, p->plot.y + 0.5 * p->row_h, 0,
			       tl_palette_color(TL_THEME_LIGHT, 0)));
	free(im.rgb);
	free(text);
	tl_figure_free(fig);
	tl_trace_free(t);
}

static void test_single_zero_span(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	tl_span s = {.group = group(t, "threads"),
		     .job = 0,
		     .start = 0,
		     .stop = 0,
		     .worker = str(t, "1")};
	assert_int_equal(tl_trace_add_span(t, &s, NULL), TL_OK);
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.width = 800;
	o.height = 360;
	char path[128], *text;
	struct tl_figure *fig = render_every_way(t, &o, "zero-span.png", path, &text);
	const struct tl_panel_geom *p = &fig->panels[0];
	assert_int_equal(p->lo, -SEC);
	assert_int_equal(p->hi, SEC);
	/* A bar one pixel wide in the middle of the plot, not under the axis. */
	struct image im = read_png(path);
	double x = time_x(p, 0);
	assert_true(x > p->plot.x + p->plot.w / 2 - 1 && x < p->plot.x + p->plot.w / 2 + 1);
	assert_true(color_near(&im, x, p->plot.y + 0.5 * p->row_h, 1,
			       tl_palette_color(TL_THEME_LIGHT, 0)));
	free(im.rgb);
	assert_non_null(strstr(text, "threads  wall 0 s\njob 0 |"));
	free(text);
	tl_figure_free(fig);
	tl_trace_free(t);
}

/*
 * A trace whose times start at each pool's creation (timeline run's) shows
 * the pool's start-up: a light band from 0 to the first start, behind the
 * bars, and a start-up figure in the stats. Without that origin, neither.
 */
static void test_startup_band(void **state) {
	(void)state;
	for (int with = 0; with < 2; with++) {
		tl_trace *t = tl_trace_new();
		uint32_t g;
		assert_int_equal(tl_trace_group(t, "processes", 9, &g, NULL), TL_OK);
		for (int j = 0; j < 2; j++) {
			tl_span s = {.group = g,
				     .job = j,
				     .worker = str(t, j ? "1" : "0"),
				     .start = 300 * MS,
				     .stop = 1 * SEC};
			assert_int_equal(tl_trace_add_span(t, &s, NULL), TL_OK);
		}
		if (with) {
			assert_int_equal(tl_trace_meta_set(t, "origin", TL_ORIGIN_POOL, NULL),
					 TL_OK);
		}
		tl_group_stats *st;
		assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
		assert_int_equal(st[0].startup, with ? 300 * MS : -1);
		assert_int_equal(st[0].wall, 700 * MS);
		free(st);
		tl_render_opts o;
		tl_render_opts_init(&o);
		o.width = 800;
		o.height = 300;
		char path[128];
		render_png(t, &o, with ? "startup.png" : "nostartup.png", path);
		struct tl_figure *fig = lay_fonts(t, &o);
		struct image im = read_png(path);
		const struct tl_panel_geom *p = &fig->panels[0];
		if (with) {
			assert_int_equal(p->lo, 0);
		}
		struct tl_rgb bg = tl_theme_background(TL_THEME_LIGHT),
			      mu = tl_theme_muted(TL_THEME_LIGHT);
		double a = 48 / 255.0;
		struct tl_rgb band = {bg.r + a * (mu.r - bg.r), bg.g + a * (mu.g - bg.g),
				      bg.b + a * (mu.b - bg.b)};
		size_t bands = 0;
		for (size_t i = 0; i < fig->nshapes; i++) {
			bands += fig->shapes[i].style == TL_SHAPE_BAND;
		}
		assert_int_equal(bands, (size_t)with);
		double y = p->plot.y + 0.5 * p->row_h;
		if (with) {
			/* Inside a row, at 150 ms, where no grid line is. */
			assert_color(pixel(&im, time_x(p, 150 * MS) + 0.5, y), band, "start-up");
		}
		/* After the first start: the bar, either way. */
		assert_color(pixel(&im, time_x(p, 600 * MS), y),
			     tl_palette_color(TL_THEME_LIGHT, 0), "bar");
		free(im.rgb);
		tl_figure_free(fig);
		tl_trace_free(t);
	}
}

/*
 * Repeated runs (timeline run --repeat): one panel per mode, its median run,
 * saying which; tl_trace_repeats() gives the spread and speedups against the
 * serial mode's median.
 */
static void test_repeats_one_panel_per_mode(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	/* Walls: serial 4, 6, 5 s; threads 3, 1, 2 s (runs 1..3). */
	static const char *const names[] = {"serial#1",  "threads#1", "serial#2",
					    "threads#2", "serial#3",  "threads#3"};
	static const int walls[] = {4, 3, 6, 1, 5, 2};
	for (int i = 0; i < 6; i++) {
		uint32_t g;
		assert_int_equal(tl_trace_group(t, names[i], strlen(names[i]), &g, NULL), TL_OK);
		tl_span s = {.group = g,
			     .job = 0,
			     .worker = str(t, "0"),
			     .start = 0,
			     .stop = walls[i] * SEC};
		assert_int_equal(tl_trace_add_span(t, &s, NULL), TL_OK);
	}
	assert_int_equal(tl_trace_meta_set(t, "repeat", "3", NULL), TL_OK);
	tl_group_stats *st;
	assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
	tl_repeat *r;
	size_t n;
	assert_int_equal(tl_trace_repeats(t, st, &r, &n, NULL), TL_OK);
	assert_int_equal(n, 2);
	assert_string_equal(r[0].name, "serial");
	assert_int_equal(r[0].median_run, 3);
	assert_int_equal(r[0].median_group, 4);
	assert_int_equal(r[0].wall_min, 4 * SEC);
	assert_int_equal(r[0].wall_median, 5 * SEC);
	assert_int_equal(r[0].wall_max, 6 * SEC);
	assert_string_equal(r[1].name, "threads");
	assert_int_equal(r[1].median_run, 3);
	assert_int_equal(r[1].wall_median, 2 * SEC);
	assert_true(r[1].against_serial);
	assert_true(fabs(r[1].speedup - 2.5) < 1e-9);
	tl_repeats_free(r, n);
	free(st);

	tl_render_opts o;
	tl_render_opts_init(&o);
	struct tl_figure *fig = lay_fonts(t, &o);
	assert_int_equal(fig->npanels, 2);
	int titles = 0;
	for (size_t i = 0; i < fig->ntexts; i++) {
		const char *x = fig->texts[i].text;
		titles += strcmp(x, "serial \xc2\xb7 run 3 of 3, the median") == 0 ||
			  strcmp(x, "threads \xc2\xb7 run 3 of 3, the median") == 0;
		if (strstr(x, "vs serial")) {
			assert_non_null(strstr(x, "2.50\xc3\x97 vs serial"));
		}
	}
	assert_int_equal(titles, 2);
	tl_figure_free(fig);

	/* Without the metadata, or with a run missing, every group is its own. */
	assert_int_equal(tl_trace_meta_set(t, "repeat", "4", NULL), TL_OK);
	assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
	assert_int_equal(tl_trace_repeats(t, st, &r, &n, NULL), TL_OK);
	assert_int_equal(n, 0);
	assert_null(r);
	free(st);
	tl_trace_free(t);
}

/*
 * A benchmark (hyperfine's: runs back to back, each run's time a sample):
 * the run times get a panel with an axis of their own, from 0 to the longest
 * run, labelled as run time, with mean ± σ whiskers, instead of sitting on
 * the Gantt's time axis.
 */
static void test_bench_run_times_own_axis(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "hyperfine");
	static const tl_ns runs[2][3] = {{100 * MS, 110 * MS, 120 * MS}, {10 * MS, 20 * MS, 0}};
	for (int j = 0; j < 2; j++) {
		tl_ns at = 0;
		for (int k = 0; k < 3 && runs[j][k]; k++) {
			tl_span sp = {.group = g, .job = j, .start = at, .stop = at + runs[j][k]};
			tl_sample sa = {.group = g, .job = j, .t = runs[j][k]};
			assert_int_equal(tl_trace_add_span(t, &sp, NULL), TL_OK);
			assert_int_equal(tl_trace_add_sample(t, &sa, NULL), TL_OK);
			at = sp.stop;
		}
	}
	assert_int_equal(tl_trace_meta_set(t, TL_META_BENCHMARK, "hyperfine", NULL), TL_OK);
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.width = 800;
	o.height = 500;
	char path[128];
	render_png(t, &o, "bench.png", path);
	struct tl_figure *fig = lay_fonts(t, &o);
	assert_int_equal(fig->npanels, 2);
	const struct tl_panel_geom *gantt = &fig->panels[0], *strip = &fig->panels[1];
	/* The Gantt spans the 330 ms of runs; the strip 0 to the longest run and 2%. */
	assert_int_equal(gantt->lo, 0);
	assert_true(gantt->hi >= 330 * MS);
	assert_int_equal(strip->lo, 0);
	assert_int_equal(strip->hi, 120 * MS + 120 * MS / 50);
	bool label = false, title = false, wall = false;
	for (size_t i = 0; i < fig->ntexts; i++) {
		const struct tl_text_item *it = &fig->texts[i];
		label |= strcmp(it->text, "Run time (ms)") == 0 &&
			 it->y > strip->plot.y + strip->plot.h;
		title |= strcmp(it->text, "hyperfine run times") == 0;
		wall |= strncmp(it->text, "wall", 4) == 0;
	}
	assert_true(label);
	assert_true(title);
	assert_false(wall); /* nothing ran at once: no wall time */
	/* Job 1's whisker: mean 15 ms ± σ 7.07 ms, under its marks in row 1. */
	bool whisker = false;
	for (size_t i = 0; i < fig->nlines; i++) {
		const struct tl_line *l = &fig->lines[i];
		whisker |= l->y0 == l->y1 && l->y0 > strip->plot.y + strip->row_h &&
			   fabs(l->x0 - time_x(strip, 15 * MS - 7071068)) < 1 &&
			   fabs(l->x1 - time_x(strip, 15 * MS + 7071068)) < 1;
	}
	assert_true(whisker);
	/* Pixels: job 0's 100 ms run is a mark where the strip's own axis puts it,
	 * and nothing where the Gantt's time axis would (36 ms on the strip's, off
	 * its grid lines). */
	struct image im = read_png(path);
	struct tl_rgb bg = tl_theme_background(TL_THEME_LIGHT);
	double y0 = strip->plot.y + 0.5 * strip->row_h;
	struct tl_rgb mark = pixel(&im, time_x(strip, 100 * MS), y0);
	assert_true(fabs(mark.r - bg.r) + fabs(mark.g - bg.g) + fabs(mark.b - bg.b) > 0.3);
	double gantt_x = strip->plot.x + 100.0 * MS * strip->plot.w / (double)gantt->hi;
	assert_color(pixel(&im, gantt_x, y0), bg, "the Gantt axis' place for 100 ms");
	free(im.rgb);
	tl_figure_free(fig);
	tl_trace_free(t);
}

/* ---- the text preview shows what the image shows ---- */

#include "../../src/render/term.h"

/*
 * The preview of t with the image's chart options o, width columns, ASCII or
 * not. Not inlined: GCC 12 at -O3, inlining it, takes the returned buffer for
 * a pointer to the local `buf` (-Wdangling-pointer, a false positive).
 */
__attribute__((noinline)) static char *term_chart(const tl_trace *t, const tl_render_opts *o,
						  int width, int max_rows, bool ascii) {
	char *buf = NULL;
	size_t n;
	FILE *f = open_memstream(&buf, &n);
	assert_non_null(f);
	tl_term_opts to = {.width = width, .max_rows = max_rows, .ascii = ascii};
	struct tl_error err = {0};
	if (tl_render_term_chart(t, &to, o, f, &err) != TL_OK) {
		fail_msg("preview: %s", err.msg);
	}
	fclose(f);
	return buf;
}

/* The preview of t with to and o, as text. */
static char *term_with(const tl_trace *t, const tl_term_opts *to, const tl_render_opts *o) {
	char *buf = NULL;
	size_t n;
	FILE *f = open_memstream(&buf, &n);
	assert_non_null(f);
	assert_int_equal(tl_render_term_chart(t, to, o, f, NULL), TL_OK);
	fclose(f);
	return buf;
}

/*
 * serial: three jobs one after another on worker 1, 4 s; threads: four jobs
 * on workers 1 and 2, 2.5 s, 1.60× faster.
 */
static tl_trace *two_pools(void) {
	tl_trace *t = tl_trace_new();
	uint32_t se = group(t, "serial"), th = group(t, "threads");
	add_worker_span(t, se, 0, "1", 0, 1 * SEC);
	add_worker_span(t, se, 1, "1", 1 * SEC, 3 * SEC);
	add_worker_span(t, se, 2, "1", 3 * SEC, 4 * SEC);
	add_worker_span(t, th, 0, "1", 0, 1 * SEC);
	add_worker_span(t, th, 1, "2", 0, 2 * SEC);
	add_worker_span(t, th, 2, "1", 1 * SEC, 1500 * MS);
	add_worker_span(t, th, 3, "2", 2 * SEC, 2500 * MS);
	return t;
}

/* The row labels of the figure, panel after panel, top to bottom, one a line. */
static char *image_row_labels(const tl_trace *t, const tl_render_opts *o) {
	struct tl_figure *fig = lay_fonts(t, o);
	char *buf = NULL;
	size_t n;
	FILE *f = open_memstream(&buf, &n);
	for (size_t i = 0; i < fig->ntexts; i++) {
		const struct tl_text_item *it = &fig->texts[i];
		if (it->role == TL_TEXT_TICK && it->align == TL_ALIGN_RIGHT) {
			fprintf(f, "%s\n", it->text);
		}
	}
	fclose(f);
	tl_figure_free(fig);
	return buf;
}

/* The preview's row labels (what is left of " |" on a row's line), one a line. */
static char *preview_row_labels(const char *text) {
	char *buf = NULL;
	size_t n;
	FILE *f = open_memstream(&buf, &n);
	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n'), *bar = strstr(line, " |");
		if (bar && bar < end && bar > line) {
			const char *last = bar;
			while (last > line && last[-1] == ' ') {
				last--;
			}
			fprintf(f, "%.*s\n", (int)(last - line), line);
		}
		line = end + 1;
	}
	fclose(f);
	return buf;
}

/* The preview's rows are the image's: the same labels in the same order. */
static void assert_rows_as_image(const tl_trace *t, const tl_render_opts *o, const char *text) {
	char *want = image_row_labels(t, o), *got = preview_row_labels(text);
	assert_string_equal(got, want);
	free(want);
	free(got);
}

/*
 * --rows worker: a line per worker under each pool's name and subtitle (its
 * wall time, the speedup against the reference), as the image's rows.
 */
static void test_term_rows_by_worker(void **state) {
	(void)state;
	tl_trace *t = two_pools();
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.rows = TL_ROWS_WORKER;
	char *text = term_chart(t, &o, 60, 40, true);
	assert_string_equal(text,
			    "serial  wall 4.00 s - reference\n"
			    "worker 1 |#################################################+\n"
			    "threads  wall 2.50 s - 1.60x vs serial\n"
			    "worker 1 |##################+\n"
			    "worker 2 |###############################\n"
			    "         +--------------------------------------------------\n"
			    "          0           1           2           3            4 s\n");
	assert_rows_as_image(t, &o, text);
	free(text);
	/* In Unicode: the subtitle as the image writes it. */
	text = term_chart(t, &o, 60, 40, false);
	assert_non_null(strstr(text, "threads  wall 2.50 s \xc2\xb7 1.60\xc3\x97 vs serial\n"));
	free(text);
	tl_trace_free(t);
}

/* --sort duration: the longest job first, ties by start, as the image orders them. */
static void test_term_sort_duration(void **state) {
	(void)state;
	tl_trace *t = two_pools();
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.sort = TL_SORT_DURATION;
	char *text = term_chart(t, &o, 60, 40, true);
	assert_string_equal(text,
			    "serial  wall 4.00 s - reference\n"
			    "job 1 |            +##########################\n"
			    "job 0 |#############\n"
			    "job 2 |                                      +#############\n"
			    "threads  wall 2.50 s - 1.60x vs serial\n"
			    "job 1 |##########################\n"
			    "job 0 |#############\n"
			    "job 2 |            +######+\n"
			    "job 3 |                         +######+\n"
			    "      +-----------------------------------------------------\n"
			    "       0           1            2            3            4 s\n");
	assert_rows_as_image(t, &o, text);
	free(text);
	/* A budget of two rows a panel: the rest counted. */
	text = term_chart(t, &o, 60, 2, true);
	assert_non_null(strstr(text, "job 0 |#############\n      1 more row\nthreads"));
	assert_non_null(strstr(text, "job 0 |#############\n      2 more rows\n      +---"));
	free(text);
	/* The baseline: speedups against threads. */
	o.baseline = "threads";
	text = term_chart(t, &o, 60, 40, true);
	assert_non_null(strstr(text, "serial  wall 4.00 s - 0.62x vs threads\n"));
	assert_non_null(strstr(text, "threads  wall 2.50 s - reference\n"));
	free(text);
	tl_trace_free(t);
}

/*
 * A label too long for its column keeps its distinguishing end, cut in the
 * middle as the image cuts it; in ASCII the cut is "...", never "…".
 */
static void test_term_long_labels_cut_in_the_middle(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "fetch");
	for (int j = 0; j < 2; j++) {
		char url[128];
		snprintf(url, sizeof(url), "https://api.example.com/catalogue/items/%d/thumbnails",
			 40 + j);
		tl_span s = {.group = g,
			     .job = j,
			     .label = str(t, url),
			     .start = j * SEC,
			     .stop = (j + 1) * SEC};
		assert_int_equal(tl_trace_add_span(t, &s, NULL), TL_OK);
	}
	tl_render_opts o;
	tl_render_opts_init(&o);
	char *text = term_chart(t, &o, 90, 40, false);
	assert_non_null(strstr(text, "\nhttps://a\xe2\x80\xa6/items/40/thumbnails \xe2\x94\x82"));
	assert_non_null(strstr(text, "\nhttps://a\xe2\x80\xa6/items/41/thumbnails \xe2\x94\x82"));
	free(text);
	text = term_chart(t, &o, 90, 40, true);
	assert_string_equal(text, "fetch  wall 2.00 s\n"
				  "https://a...tems/40/thumbnails |############################+\n"
				  "https://a...tems/41/thumbnails |                            "
				  "#############################\n"
				  "                               "
				  "+----------------------------------------------------------\n"
				  "                                0.0           0.5           1.0 "
				  "          1.5           2.0 s\n");
	assert_null(strstr(text, "\xe2\x80\xa6"));
	free(text);
	tl_trace_free(t);
}

/*
 * Every row asked for (max_rows 0) of a panel with more rows than the cells
 * painted at once: painted in batches, each row as it would be alone. Job j
 * runs in second j % 50, so rows 50 apart are drawn alike.
 */
static void test_term_every_row_in_batches(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "many");
	for (int j = 0; j < 12000; j++) {
		add_span(t, g, j, (j % 50) * SEC, (j % 50 + 1) * SEC);
	}
	tl_render_opts o;
	tl_render_opts_init(&o);
	char *text = term_chart(t, &o, 100, 0, true);
	char *line = strchr(text, '\n') + 1;
	const char *first[50];
	for (int j = 0; j < 12000; j++) {
		char *end = strchr(line, '\n');
		assert_non_null(end);
		*end = '\0';
		char label[32];
		int n = snprintf(label, sizeof(label), "job %d", j);
		assert_memory_equal(line, label, (size_t)n);
		const char *bar = strchr(line, '|');
		assert_non_null(bar);
		if (j < 50) {
			first[j] = bar;
		} else if (strcmp(bar, first[j % 50]) != 0) {
			fail_msg("row %d: '%s', row %d: '%s'", j, bar, j % 50, first[j % 50]);
		}
		line = end + 1;
	}
	assert_memory_equal(line, "          +---", 14); /* the axis, under labels 9 wide */
	free(text);
	tl_trace_free(t);
}

/*
 * --rows worker, where some samples name a worker and some do not: those
 * that name none are drawn in a row of their own, in the image and in the
 * preview alike (they had a row, with no marks, and were drawn nowhere),
 * called FIG_WORKER_UNNAMED as the row of spans that name no worker is
 * (not "worker ", a bare number's label made of no number).
 */
static void test_samples_without_worker(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "g");
	tl_str a = str(t, "a");
	const struct {
		int64_t job;
		tl_str worker;
		tl_ns t;
	} in[] = {{1, a, 0},
		  {1, a, 1 * SEC},
		  {5, TL_STR_NONE, 1 * SEC},
		  {5, TL_STR_NONE, 3 * SEC},
		  {7, TL_STR_NONE, 2 * SEC}};
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		tl_sample s = {.group = g, .job = in[i].job, .worker = in[i].worker, .t = in[i].t};
		assert_int_equal(tl_trace_add_sample(t, &s, NULL), TL_OK);
	}
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.rows = TL_ROWS_WORKER;
	char *labels = image_row_labels(t, &o);
	assert_string_equal(labels, FIG_WORKER_UNNAMED "\na\n");
	free(labels);
	struct tl_figure *fig = lay_fonts(t, &o);
	assert_int_equal(fig->panels[0].rows, 2);
	size_t marks = 0;
	for (size_t i = 0; i < fig->nshapes; i++) {
		marks += fig->shapes[i].style == TL_SHAPE_MARK;
	}
	assert_int_equal(marks, 5);
	tl_figure_free(fig);
	char *text = term_chart(t, &o, 60, 40, true);
	assert_rows_as_image(t, &o, text);
	/* Each row's line has its marks: two of worker a, three of the others. */
	size_t rows = 0;
	for (const char *line = text; (line = strstr(line, " |")) != NULL; line += 2) {
		const char *end = strchr(line, '\n');
		size_t n = 0;
		for (const char *c = line + 2; c < end; c++) {
			n += *c != ' ';
		}
		assert_int_equal(n, rows++ == 0 ? 3 : 2);
	}
	assert_int_equal(rows, 2);
	free(text);
	/* Spans of no worker beside spans of worker 2: their row is called the same. */
	add_worker_span(t, g, 8, "2", 0, 1 * SEC);
	add_worker_span(t, g, 9, "", 1 * SEC, 2 * SEC);
	o.kind = TL_KIND_GANTT;
	labels = image_row_labels(t, &o);
	assert_string_equal(labels, FIG_WORKER_UNNAMED "\nworker 2\n");
	free(labels);
	tl_trace_free(t);
}

/*
 * In colour, the cells take the image's colours (a worker each here, as
 * colors.c hands them out) and a line under the axis says which is which, as
 * the image's legend does.
 */
/*
 * A panel's samples previewed on two threads print what one pass prints:
 * hits summed, each cell in its last sample's colour, in rows by worker and
 * by job.
 */
static void test_term_samples_in_halves(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "threads");
	add_mixed_samples(t, g, 30000, 2);
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.color_by = TL_COLOR_JOB;
	for (int rows = 0; rows < 2; rows++) {
		o.rows = rows ? TL_ROWS_WORKER : TL_ROWS_JOB;
		char *one[2], *two[2];
		for (int color = 0; color < 2; color++) {
			tl_term_opts to = {.width = 70, .max_rows = 40, .color = color};
			fig_set_count_split(SIZE_MAX);
			one[color] = term_with(t, &to, &o);
			fig_set_count_split(0);
			two[color] = term_with(t, &to, &o);
			assert_string_equal(one[color], two[color]);
			free(one[color]);
			free(two[color]);
		}
	}
	fig_set_count_split((size_t)1 << 20);
	tl_trace_free(t);
}

static void test_term_colors_as_the_image(void **state) {
	(void)state;
	tl_trace *t = two_pools();
	tl_render_opts o;
	tl_render_opts_init(&o);
	char *buf = NULL;
	size_t n;
	FILE *f = open_memstream(&buf, &n);
	tl_term_opts to = {.width = 60, .max_rows = 40, .color = true};
	assert_int_equal(tl_render_term_chart(t, &to, &o, f, NULL), TL_OK);
	fclose(f);
	char w1[32], w2[32], legend[128];
	snprintf(w1, sizeof(w1), "\x1b[38;5;%dm", tl_palette_ansi(0));
	snprintf(w2, sizeof(w2), "\x1b[38;5;%dm", tl_palette_ansi(1));
	/* threads' job 1 ran on worker 2: its line is in worker 2's colour. */
	const char *threads = strstr(buf, "threads");
	assert_non_null(threads);
	const char *job1 = strstr(threads, "job 1 ");
	assert_non_null(job1);
	assert_memory_equal(strchr(job1, '\x1b'), w2, strlen(w2));
	assert_memory_equal(strchr(strstr(threads, "job 0 "), '\x1b'), w1, strlen(w1));
	snprintf(legend, sizeof(legend),
		 "%s\xe2\x96\x88\x1b[0m worker 1  %s\xe2\x96\x88\x1b[0m worker 2\n", w1, w2);
	assert_non_null(strstr(buf, legend));
	free(buf);
	tl_trace_free(t);
}

/*
 * The preview's legend is the image's: shown by the same rule (with
 * --color-by status too), with the same entries, each by the character its
 * cells show; with --color-by status, failures in their kind's colour as
 * the image draws them, not all in one red. Names are made safe to print
 * (an escape sequence in a worker's name reaches no terminal).
 */
static void test_term_legend_as_the_image(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "g");
	const struct {
		const char *worker;
		int32_t status;
	} in[] = {{"1", 0}, {"2", 1}, {"w\x1b[31m", TL_EXIT_TIMEOUT}};
	for (int j = 0; j < 3; j++) {
		tl_span s = {.group = g,
			     .job = j,
			     .worker = str(t, in[j].worker),
			     .status = in[j].status,
			     .start = j * SEC,
			     .stop = (j + 1) * SEC};
		assert_int_equal(tl_trace_add_span(t, &s, NULL), TL_OK);
	}
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.color_by = TL_COLOR_STATUS;
	tl_term_opts to = {.width = 80, .max_rows = 40, .color = true};
	char *buf = NULL;
	size_t n;
	FILE *f = open_memstream(&buf, &n);
	assert_int_equal(tl_render_term_chart(t, &to, &o, f, NULL), TL_OK);
	fclose(f);
	char ok[16], exit_ink[16], timeout[16], legend[256];
	snprintf(ok, sizeof(ok), "\x1b[38;5;%dm", tl_palette_ansi(0));
	snprintf(exit_ink, sizeof(exit_ink), "\x1b[38;5;%dm",
		 tl_palette_ansi(fig_fail_color(FAIL_EXIT)));
	snprintf(timeout, sizeof(timeout), "\x1b[38;5;%dm",
		 tl_palette_ansi(fig_fail_color(FAIL_TIMEOUT)));
	assert_memory_equal(strchr(strstr(buf, "job 1 "), '\x1b'), exit_ink, strlen(exit_ink));
	assert_memory_equal(strchr(strstr(buf, "job 2 "), '\x1b'), timeout, strlen(timeout));
	assert_null(strstr(buf, "\x1b[38;5;196m"));
	snprintf(legend, sizeof(legend),
		 "\n%s\xe2\x96\x88\x1b[0m ok  %s\xe2\x96\x93\x1b[0m failed  %s\xe2\x96\x93\x1b[0m "
		 "timeout\n",
		 ok, exit_ink, timeout);
	assert_non_null(strstr(buf, legend));
	free(buf);
	/* By worker: the worker's name is shown with its escape as a blank. */
	o.color_by = TL_COLOR_WORKER;
	f = open_memstream(&buf, &n);
	assert_int_equal(tl_render_term_chart(t, &to, &o, f, NULL), TL_OK);
	fclose(f);
	assert_null(strstr(buf, "\x1b[31m"));
	assert_non_null(strstr(buf, "\x1b[0m w [31m"));
	free(buf);
	tl_trace_free(t);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_png_bars_where_layout_puts_them),
		cmocka_unit_test(test_dark_theme_is_dark),
		cmocka_unit_test(test_scatter_samples_painted),
		cmocka_unit_test(test_long_and_cjk_labels_stay_inside),
		cmocka_unit_test(test_byte_identical_reruns),
		cmocka_unit_test(test_png_metadata),
		cmocka_unit_test(test_big_gantt_bounded_by_pixels),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_nothing_to_draw),
		cmocka_unit_test(test_rows_and_sorting),
		cmocka_unit_test(test_colors_follow_workers_across_panels),
		cmocka_unit_test(test_unfinished_bar_fades),
		cmocka_unit_test(test_chrome_thread_order_and_depth),
		cmocka_unit_test(test_empty_trace_nothing_to_draw),
		cmocka_unit_test(test_interrupted_empty_trace_says_so),
		cmocka_unit_test(test_empty_group),
		cmocka_unit_test(test_zero_length_axis),
		cmocka_unit_test(test_single_sample),
		cmocka_unit_test(test_single_zero_span),
		cmocka_unit_test(test_zero_span_at_axis),
		cmocka_unit_test(test_show_wait),
		cmocka_unit_test(test_startup_band),
		cmocka_unit_test(test_repeats_one_panel_per_mode),
		cmocka_unit_test(test_bench_run_times_own_axis),
		cmocka_unit_test(test_term_rows_by_worker),
		cmocka_unit_test(test_term_sort_duration),
		cmocka_unit_test(test_term_long_labels_cut_in_the_middle),
		cmocka_unit_test(test_term_every_row_in_batches),
		cmocka_unit_test(test_term_colors_as_the_image),
		cmocka_unit_test(test_term_samples_in_halves),
		cmocka_unit_test(test_samples_without_worker),
		cmocka_unit_test(test_term_legend_as_the_image),
	};
	return cmocka_run_group_tests_name("render", tests, setup, teardown);
}
