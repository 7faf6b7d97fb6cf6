#ifndef TIMELINE_RENDER_FIGURE_H
#define TIMELINE_RENDER_FIGURE_H

/*
 * A laid-out figure: every shape, line and text with its position in canvas
 * pixels (before --scale). Pure geometry: no cairo here; text is measured
 * through a callback so that layout can be tested without fonts.
 */

#include <timeline/render.h>

#include <stdint.h>

enum tl_text_role {
	TL_TEXT_TICK = 0,
	TL_TEXT_LABEL,
	TL_TEXT_PANEL,
	TL_TEXT_TITLE,
	TL_TEXT_NOTE,
	TL_TEXT_ROLE_COUNT
};
enum tl_align { TL_ALIGN_LEFT = 0, TL_ALIGN_CENTER, TL_ALIGN_RIGHT };
/* A text's colour: the theme's (foreground or muted), or dark or light ink on a bar. */
enum tl_ink { TL_INK_THEME = 0, TL_INK_DARK, TL_INK_LIGHT };

/* What a panel of an interrupted run says when its group completed no job. */
#define TL_NO_JOB_TEXT "no job completed"

/* Text size in points for each role. */
extern const double tl_text_points[TL_TEXT_ROLE_COUNT];

/* Measures text of a role: width and height in canvas pixels. */
typedef void (*tl_measure_fn)(void *ctx, const char *text, enum tl_text_role role, double px,
			      double *ret_w, double *ret_h);

struct tl_text_item {
	double x, y;   /* anchor: x by align; y is the top (for vertical text: the centre) */
	char *text;    /* owned */
	double max_w;  /* ellipsize beyond this width; 0 for no limit */
	double px;     /* font size in canvas pixels */
	uint8_t role;  /* enum tl_text_role */
	uint8_t align; /* enum tl_align */
	bool vertical; /* rotated 90° counter-clockwise, centred on (x, y) */
	bool muted;    /* secondary colour */
	uint8_t ink;   /* enum tl_ink: the theme's colours, or an ink for text on a bar */
};

/*
 * TL_SHAPE_BAND: a neutral wash behind the data (a pool's start-up); color
 * unused. TL_SHAPE_OPEN: a bar whose end is not known (an unfinished job),
 * fading out towards its right end. TL_SHAPE_CUT_LEFT and _RIGHT: the end
 * strip of a bar that the plot's left or right edge cuts off (the span runs
 * on past it), drawn over the bar as a torn, zigzag edge.
 */
enum tl_shape_style {
	TL_SHAPE_BAR = 0,
	TL_SHAPE_FAILED,
	TL_SHAPE_MARK,
	TL_SHAPE_SWATCH,
	TL_SHAPE_BAND,
	TL_SHAPE_OPEN,
	TL_SHAPE_CUT_LEFT,
	TL_SHAPE_CUT_RIGHT
};

struct tl_shape {
	float x, y, w, h; /* canvas pixels */
	uint16_t color;   /* palette index */
	uint8_t alpha;    /* 0..255 */
	uint8_t style;    /* enum tl_shape_style */
};

enum tl_line_kind { TL_LINE_GRID = 0, TL_LINE_AXIS, TL_LINE_TICK };

struct tl_line {
	float x0, y0, x1, y1;
	uint8_t kind;
};

struct tl_rectf {
	double x, y, w, h;
};

struct tl_panel_geom {
	struct tl_rectf plot; /* the data area */
	tl_ns lo, hi;         /* time at the plot's left and right edges */
	size_t rows;          /* rows (jobs or workers) */
	double row_h;         /* pixels per row */
};

/*
 * A bar's hover text (SVG <title>): what one span is, where its bar is. Kept
 * for at most TL_HOVER_MAX bars, and only for bars that draw one span.
 */
struct tl_hover {
	float x, y, w, h; /* canvas pixels */
	char *text;       /* owned: "name · job 3 · worker 1 · start 1.20 s · 250 ms · ok" */
};
#define TL_HOVER_MAX 5000

struct tl_figure {
	double width, height; /* canvas pixels */
	double px_per_pt;     /* dpi / 72 */
	tl_theme theme;
	struct tl_shape *shapes;
	size_t nshapes, capshapes;
	struct tl_line *lines;
	size_t nlines, caplines;
	struct tl_text_item *texts;
	size_t ntexts, captexts;
	struct tl_panel_geom *panels;
	size_t npanels;
	struct tl_hover *hovers; /* none when more bars than TL_HOVER_MAX would need them */
	size_t nhovers, caphovers;
	bool hovers_over; /* past TL_HOVER_MAX: hovers dropped */
};

struct tl_rgb {
	double r, g, b;
};

/* Colour of palette index i (cycles) and of the theme's fixed roles. */
struct tl_rgb tl_palette_color(tl_theme theme, unsigned i);
/* The fill of a bar of colour i: the colour, or for a failed bar a paler one. */
struct tl_rgb tl_palette_fill(tl_theme theme, unsigned i, bool failed);
/* The xterm-256 colour nearest to palette index i (cycles). */
int tl_palette_ansi(unsigned i);
/* The ink, dark or light, that reads best on fill (WCAG contrast), and its colour. */
enum tl_ink tl_ink_on(struct tl_rgb fill);
struct tl_rgb tl_ink_color(enum tl_ink ink);
struct tl_rgb tl_theme_background(tl_theme theme);
struct tl_rgb tl_theme_foreground(tl_theme theme);
struct tl_rgb tl_theme_muted(tl_theme theme);
struct tl_rgb tl_theme_grid(tl_theme theme);
struct tl_rgb tl_theme_failed(tl_theme theme);
#define TL_PALETTE_SIZE 20

/*
 * Lay out the chart of trace. *ret_fig is new; free it with
 * tl_figure_free(). Fails with TL_ERR_INPUT when nothing can be drawn and
 * TL_ERR_USAGE for options that do not fit the trace.
 */
tl_status tl_figure_build(const tl_trace *trace, const tl_render_opts *opts, tl_measure_fn measure,
			  void *ctx, struct tl_figure **ret_fig, struct tl_error *err);

void tl_figure_free(struct tl_figure *fig);

#endif
