#ifndef TIMELINE_RENDER_TEXT_H
#define TIMELINE_RENDER_TEXT_H

/* The only pango user: measuring and drawing text with one set of metrics. */

#include <cairo.h>

#include "figure.h"

struct tl_text;

/* A text context, or NULL when out of memory. */
struct tl_text *tl_text_new(void);
void tl_text_free(struct tl_text *t);

/* tl_measure_fn for tl_figure_build(); ctx is a struct tl_text. */
void tl_text_measure(void *ctx, const char *text, enum tl_text_role role, double px, double *ret_w,
		     double *ret_h);

/* Draw one text item with cr's current source colour. */
void tl_text_draw(struct tl_text *t, cairo_t *cr, const struct tl_text_item *item);

#endif
