#ifndef TIMELINE_TESTS_FIGURES_H
#define TIMELINE_TESTS_FIGURES_H

/*
 * Figures laid out in tests: with a fixed-width text measurer (no fonts, so
 * that sizes are known to the pixel), or, in tests that link the renderer
 * and include its text.h first, with pango as tl_render_file() lays out what
 * it draws. A layout that fails fails the test, with its message.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../src/render/figure.h"

/* Every character 0.6 em wide, lines 1.2 em tall: a monospace stand-in for pango. */
static inline void fixed_measure(void *ctx, const char *text, enum tl_text_role role, double px,
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

/* t laid out as o says, text measured by fixed_measure(). */
static inline struct tl_figure *lay(const tl_trace *t, const tl_render_opts *o) {
	struct tl_figure *fig = NULL;
	struct tl_error err = {0};
	if (tl_figure_build(t, o, fixed_measure, NULL, &fig, &err) != TL_OK) {
		fail_msg("layout: %s", err.msg);
	}
	return fig;
}

#ifdef TIMELINE_RENDER_TEXT_H
/* t laid out as o says, text measured with pango. */
static inline struct tl_figure *lay_fonts(const tl_trace *t, const tl_render_opts *o) {
	struct tl_text *text = tl_text_new();
	assert_non_null(text);
	struct tl_figure *fig = NULL;
	struct tl_error err = {0};
	if (tl_figure_build(t, o, tl_text_measure, text, &fig, &err) != TL_OK) {
		fail_msg("layout: %s", err.msg);
	}
	tl_text_free(text);
	return fig;
}
#endif

#endif
