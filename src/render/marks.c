/*
 * Where marks go: a time's x in its panel's plot, a row's slot (a row, or a
 * pixel row when rows outnumber them), and the shape that draws a mark of a
 * style. The marks themselves are bars.c's (spans) and scatter.c's
 * (samples); their colours colors.c's, the legend legend.c's.
 */

#include "layout.h"

#include <math.h>

double fig_time_x(const struct panel *p, tl_ns t) {
	return p->plot.x + (double)(t - p->axis_lo) * p->plot.w / (double)(p->axis_hi - p->axis_lo);
}

struct slots fig_slots_for(const struct panel *p) {
	double ph = floor(p->plot.h);
	if (p->nrows == 0) {
		return (struct slots){false, 0, p->plot.h};
	}
	if ((double)p->nrows <= ph) {
		return (struct slots){false, p->nrows, p->plot.h / (double)p->nrows};
	}
	return (struct slots){true, (size_t)ph, p->plot.h / ph};
}

uint32_t fig_slot_of(const struct panel *p, const struct slots *s, uint32_t row) {
	if (!s->binned) {
		return row;
	}
	return (uint32_t)((uint64_t)row * s->count / p->nrows);
}

struct tl_shape fig_mark_shape(double x, double y, double w, double h, unsigned color,
			       uint8_t style) {
	bool wait = style == STYLE_WAIT;
	return (struct tl_shape){(float)x,
				 (float)y,
				 (float)w,
				 (float)h,
				 (uint16_t)color,
				 wait ? WAIT_ALPHA : 255,
				 wait ? TL_SHAPE_BAND : style};
}

int fig_density_level(uint32_t n, uint32_t max, int top) {
	return max <= 1 ? top : (int)lround(top * log1p((double)n) / log1p((double)max));
}
