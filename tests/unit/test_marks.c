/*
 * The chart's marks and legend (src/render/marks.c, palette.c), checked on
 * the laid-out figure with a fixed-width text measurer (no fonts) and on PNG
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

#include <cmocka.h>
#include <math.h>

#include <timeline/timeline.h>

#include "../../src/render/figure.h"

#define MS 1000000LL
#define SEC 1000000000LL

/* Every character 0.6 em wide, lines 1.2 em tall: a monospace stand-in for pango. */
static void fixed_measure(void *ctx, const char *text, enum tl_text_role role, double px,
			  double *ret_w, double *ret_h) {
	(void)ctx;
	(void)role;
	size_t chars = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		chars += (*p & 0xc0) != 0x80;
	}
	*ret_w = 0.6 * px * (double)chars;
	*ret_h = 1.2 * px;
}

static struct tl_figure *lay(const tl_trace *t, const tl_render_opts *o) {
	struct tl_figure *fig = NULL;
	struct tl_error err = {0};
	if (tl_figure_build(t, o, fixed_measure, NULL, &fig, &err) != TL_OK) {
		fail_msg("layout: %s", err.msg);
	}
	return fig;
}

static uint32_t group(tl_trace *t, const char *name) {
	uint32_t g;
	assert_int_equal(tl_trace_group(t, name, strlen(name), &g, NULL), TL_OK);
	return g;
}

static tl_str str(tl_trace *t, const char *s) {
	tl_str id;
	assert_int_equal(tl_trace_intern(t, s, strlen(s), &id, NULL), TL_OK);
	return id;
}

/*
 * workers jobs in group g, job j on worker (j * 7) % workers named by its
 * number (so that the workers first appear out of order), each a second long
 * and starting 100 ms after the one before.
 */
static void add_jobs(tl_trace *t, uint32_t g, int workers, int jobs) {
	char w[16];
	for (int j = 0; j < jobs; j++) {
		snprintf(w, sizeof(w), "%d", (j * 7) % workers);
		tl_span s = {.group = g,
			     .job = j,
			     .worker = str(t, w),
			     .start = j * 100 * MS,
			     .stop = j * 100 * MS + SEC};
		assert_int_equal(tl_trace_add_span(t, &s, NULL), TL_OK);
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

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_twenty_workers_twenty_colours),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
