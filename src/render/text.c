/*
 * Text through pango: one font map and context for measuring and drawing, so
 * the sizes layout planned with are the sizes drawn. Metrics hinting is off:
 * glyph advances then do not depend on the surface, and PNG, SVG and PDF lay
 * text out identically. The family list names a Latin face first and a CJK
 * face after it; fontconfig falls back further for anything else, so Chinese
 * labels show real glyphs.
 */

#include "text.h"

#include <pango/pangocairo.h>
#include <stdlib.h>

#define FONT_FAMILY "DejaVu Sans, Noto Sans CJK SC, Noto Sans CJK JP, Sans"

struct tl_text {
	PangoFontMap *map;
	PangoContext *ctx;
	PangoLayout *layout;
	PangoFontDescription *font;
	cairo_font_options_t *options;
};

struct tl_text *tl_text_new(void) {
	struct tl_text *t = calloc(1, sizeof(*t));
	if (!t) {
		return NULL;
	}
	t->map = pango_cairo_font_map_new();
	t->ctx = t->map ? pango_font_map_create_context(t->map) : NULL;
	t->options = cairo_font_options_create();
	t->font = pango_font_description_from_string(FONT_FAMILY);
	if (!t->ctx || !t->font || cairo_font_options_status(t->options) != CAIRO_STATUS_SUCCESS) {
		tl_text_free(t);
		return NULL;
	}
	cairo_font_options_set_hint_metrics(t->options, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(t->options, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_antialias(t->options, CAIRO_ANTIALIAS_GRAY);
	pango_cairo_context_set_font_options(t->ctx, t->options);
	pango_cairo_context_set_resolution(t->ctx, 72.0);
	t->layout = pango_layout_new(t->ctx);
	if (!t->layout) {
		tl_text_free(t);
		return NULL;
	}
	return t;
}

void tl_text_free(struct tl_text *t) {
	if (!t) {
		return;
	}
	if (t->layout) {
		g_object_unref(t->layout);
	}
	if (t->ctx) {
		g_object_unref(t->ctx);
	}
	if (t->map) {
		g_object_unref(t->map);
	}
	if (t->font) {
		pango_font_description_free(t->font);
	}
	if (t->options) {
		cairo_font_options_destroy(t->options);
	}
	free(t);
}

static void set_text(struct tl_text *t, const char *text, enum tl_text_role role, double px,
		     double max_w) {
	pango_font_description_set_absolute_size(t->font, px * PANGO_SCALE);
	pango_font_description_set_weight(t->font, role == TL_TEXT_PANEL || role == TL_TEXT_TITLE
							   ? PANGO_WEIGHT_BOLD
							   : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(t->layout, t->font);
	pango_layout_set_width(t->layout, max_w > 0 ? (int)(max_w * PANGO_SCALE) : -1);
	pango_layout_set_ellipsize(t->layout,
				   max_w > 0 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
	pango_layout_set_single_paragraph_mode(t->layout, TRUE);
	/* Text from the command line may be any bytes; Pango takes UTF-8 only. */
	if (g_utf8_validate(text, -1, NULL)) {
		pango_layout_set_text(t->layout, text, -1);
	} else {
		gchar *valid = g_utf8_make_valid(text, -1);
		pango_layout_set_text(t->layout, valid, -1);
		g_free(valid);
	}
}

void tl_text_measure(void *ctx, const char *text, enum tl_text_role role, double px, double *ret_w,
		     double *ret_h) {
	struct tl_text *t = ctx;
	set_text(t, text, role, px, 0);
	PangoRectangle logical;
	pango_layout_get_extents(t->layout, NULL, &logical);
	*ret_w = (double)logical.width / PANGO_SCALE;
	*ret_h = (double)logical.height / PANGO_SCALE;
}

void tl_text_draw(struct tl_text *t, cairo_t *cr, const struct tl_text_item *it) {
	set_text(t, it->text, (enum tl_text_role)it->role, it->px, it->max_w);
	PangoRectangle logical;
	pango_layout_get_extents(t->layout, NULL, &logical);
	double w = (double)logical.width / PANGO_SCALE, h = (double)logical.height / PANGO_SCALE;
	/* With a width set, pango aligns inside it; our anchor does the aligning. */
	double lx = (double)logical.x / PANGO_SCALE;
	double x = it->x - lx;
	if (it->align == TL_ALIGN_CENTER) {
		x -= w / 2;
	} else if (it->align == TL_ALIGN_RIGHT) {
		x -= w;
	}
	cairo_save(cr);
	if (it->vertical) {
		cairo_translate(cr, it->x, it->y);
		cairo_rotate(cr, -G_PI / 2);
		cairo_move_to(cr, -w / 2 - lx, -h / 2);
	} else {
		cairo_move_to(cr, x, it->y);
	}
	pango_cairo_show_layout(cr, t->layout);
	cairo_restore(cr);
}
