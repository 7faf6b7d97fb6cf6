/*
 * One walker over a laid-out figure issuing cairo calls, shared by every
 * backend (cmark's render.c has one walker for all its formats). For PNG,
 * 1-pixel lines and bar edges are snapped to the device pixel grid so they
 * stay crisp; SVG and PDF get exact coordinates. Consecutive shapes with the
 * same paint are filled as one path: fewer operations, and fewer elements in
 * SVG and PDF.
 */

#include "draw.h"

#include <math.h>

static void set_rgb(cairo_t *cr, struct tl_rgb c, double alpha) {
	if (alpha >= 1.0) {
		cairo_set_source_rgb(cr, c.r, c.g, c.b);
	} else {
		cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
	}
}

/* Device-pixel snapping, only when asked (PNG). */
struct snap {
	bool on;
	double s; /* device pixels per canvas pixel */
};

static double snap_edge(const struct snap *sn, double v) {
	return sn->on ? round(v * sn->s) / sn->s : v;
}

/* A line of width w device pixels: odd widths centre on a pixel, even ones on an edge. */
static double snap_line(const struct snap *sn, double v, double w) {
	if (!sn->on) {
		return v;
	}
	double off = fmod(w, 2.0) == 1.0 ? 0.5 : 0.0;
	return (floor(v * sn->s) + off) / sn->s;
}

static void rect(cairo_t *cr, const struct snap *sn, const struct tl_shape *s) {
	double x0 = snap_edge(sn, s->x), x1 = snap_edge(sn, s->x + s->w);
	double y0 = snap_edge(sn, s->y), y1 = snap_edge(sn, s->y + s->h);
	double min = sn->on ? 1.0 / sn->s : 0;
	if (x1 - x0 < min) {
		x1 = x0 + min;
	}
	if (y1 - y0 < min) {
		y1 = y0 + min;
	}
	cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
}

/*
 * A bar with no known end: solid, then fading out over its last stretch (a
 * third of it, at most 48 px) with a dashed edge where it stops, so that it
 * reads as "still running" and not as a job that ended there.
 */
static void open_bar(cairo_t *cr, const struct snap *sn, const struct tl_shape *s, struct tl_rgb c,
		     double u) {
	double x0 = s->x, x1 = s->x + s->w;
	double fade = fmin(s->w / 3.0, 48.0 * u);
	cairo_pattern_t *g = cairo_pattern_create_linear(x1 - fade, 0, x1, 0);
	cairo_pattern_add_color_stop_rgba(g, 0, c.r, c.g, c.b, 1);
	cairo_pattern_add_color_stop_rgba(g, 1, c.r, c.g, c.b, 0.12);
	rect(cr, sn, s);
	cairo_set_source(cr, g);
	cairo_fill(cr);
	cairo_pattern_destroy(g);
	if (s->h >= 4 * u && x1 - x0 >= 4 * u) {
		double dash = 2.0 * u;
		cairo_set_dash(cr, &dash, 1, 0);
		cairo_set_line_width(cr, 1.0 * u);
		set_rgb(cr, c, 0.9);
		cairo_move_to(cr, x1 - 0.5 * u, s->y);
		cairo_line_to(cr, x1 - 0.5 * u, s->y + s->h);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
	}
}

/*
 * The torn end of a bar cut off by the plot's edge: teeth about 8 px apart
 * bitten out of the strip in the background colour, points inwards, so that
 * the bar's end is a zigzag and not the straight edge of a stop.
 */
static void cut_end(cairo_t *cr, const struct tl_shape *s, bool left, double u) {
	int teeth = (int)fmax(1, round(s->h / (8 * u)));
	double edge = left ? s->x : s->x + s->w, inner = left ? s->x + s->w : s->x;
	/* Past the edge: over a failed bar's outline, and against antialiasing seams. */
	double out = (left ? -1.5 : 1.5) * u;
	cairo_move_to(cr, edge + out, s->y);
	for (int k = 0; k < teeth; k++) {
		double y0 = s->y + s->h * k / teeth;
		cairo_line_to(cr, edge, y0);
		cairo_line_to(cr, inner, y0 + s->h / (2.0 * teeth));
	}
	cairo_line_to(cr, edge, s->y + s->h);
	cairo_line_to(cr, edge + out, s->y + s->h);
	cairo_close_path(cr);
}

static void lines(cairo_t *cr, const struct tl_figure *f, const struct snap *sn,
		  enum tl_line_kind kind, struct tl_rgb color, double width) {
	bool any = false;
	double dw = sn->on ? fmax(1.0, round(width * sn->s)) : width;
	if (sn->on) {
		width = dw / sn->s;
	}
	for (size_t i = 0; i < f->nlines; i++) {
		const struct tl_line *l = &f->lines[i];
		if (l->kind != kind) {
			continue;
		}
		double x0 = l->x0, y0 = l->y0, x1 = l->x1, y1 = l->y1;
		if (x0 == x1) {
			x0 = x1 = snap_line(sn, x0, dw);
		}
		if (y0 == y1) {
			y0 = y1 = snap_line(sn, y0, dw);
		}
		cairo_move_to(cr, x0, y0);
		cairo_line_to(cr, x1, y1);
		any = true;
	}
	if (any) {
		set_rgb(cr, color, 1);
		cairo_set_line_width(cr, width);
		cairo_stroke(cr);
	}
}

void tl_draw_figure(cairo_t *cr, const struct tl_figure *f, struct tl_text *text, bool snap,
		    double device_scale) {
	struct snap sn = {snap, device_scale};
	double u = f->px_per_pt * 72.0 / 100.0;
	tl_theme th = f->theme;
	set_rgb(cr, tl_theme_background(th), 1);
	cairo_paint(cr);
	cairo_set_antialias(cr, snap ? CAIRO_ANTIALIAS_NONE : CAIRO_ANTIALIAS_DEFAULT);
	lines(cr, f, &sn, TL_LINE_GRID, tl_theme_grid(th), 1.0 * u);
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);

	for (size_t i = 0; i < f->nshapes;) {
		const struct tl_shape *s = &f->shapes[i];
		size_t j = i;
		/* A run of shapes painted alike becomes one path. */
		while (j < f->nshapes && f->shapes[j].color == s->color &&
		       f->shapes[j].alpha == s->alpha && f->shapes[j].style == s->style) {
			rect(cr, &sn, &f->shapes[j]);
			j++;
		}
		struct tl_rgb c = tl_palette_color(th, s->color);
		if (s->style == TL_SHAPE_OPEN) {
			cairo_new_path(cr);
			for (size_t k = i; k < j; k++) {
				open_bar(cr, &sn, &f->shapes[k], c, u);
			}
		} else if (s->style == TL_SHAPE_FAILED) {
			/* Failed: a paler, still opaque, fill inside a strong outline. */
			set_rgb(cr, tl_palette_fill(th, s->color, true), 1);
			cairo_fill_preserve(cr);
			set_rgb(cr, tl_theme_failed(th), 1);
			cairo_set_line_width(cr, 2.0 * u);
			cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
			cairo_stroke(cr);
		} else if (s->style == TL_SHAPE_CUT_LEFT || s->style == TL_SHAPE_CUT_RIGHT) {
			cairo_new_path(cr);
			for (size_t k = i; k < j; k++) {
				cut_end(cr, &f->shapes[k], s->style == TL_SHAPE_CUT_LEFT, u);
			}
			set_rgb(cr, tl_theme_background(th), 1);
			cairo_fill(cr);
		} else if (s->style == TL_SHAPE_BAND) {
			set_rgb(cr, tl_theme_muted(th), s->alpha / 255.0);
			cairo_fill(cr);
		} else {
			set_rgb(cr, c, s->alpha / 255.0);
			cairo_fill(cr);
		}
		i = j;
	}

	lines(cr, f, &sn, TL_LINE_AXIS, tl_theme_muted(th), 1.0 * u);
	lines(cr, f, &sn, TL_LINE_TICK, tl_theme_muted(th), 1.0 * u);
	for (size_t i = 0; i < f->ntexts; i++) {
		const struct tl_text_item *it = &f->texts[i];
		set_rgb(cr,
			it->ink != TL_INK_THEME ? tl_ink_color((enum tl_ink)it->ink)
			: it->muted             ? tl_theme_muted(th)
						: tl_theme_foreground(th),
			1);
		tl_text_draw(text, cr, it);
	}
}
