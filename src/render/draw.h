#ifndef TIMELINE_RENDER_DRAW_H
#define TIMELINE_RENDER_DRAW_H

#include <cairo.h>
#include <stdbool.h>

#include "figure.h"
#include "text.h"

/*
 * Draw f on cr, whose user space is canvas pixels. snap: align 1-pixel lines
 * and edges to the device grid (PNG); device_scale: device pixels per canvas
 * pixel.
 */
void tl_draw_figure(cairo_t *cr, const struct tl_figure *f, struct tl_text *text, bool snap,
		    double device_scale);

#endif
