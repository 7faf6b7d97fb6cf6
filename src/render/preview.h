#ifndef TIMELINE_RENDER_PREVIEW_H
#define TIMELINE_RENDER_PREVIEW_H

/*
 * The text preview's insides, shared by its files: term.c (the driver: the
 * headings, axes and legend around the panels), term_rows.c (a panel's rows
 * painted and printed, in batches when many), term_grid.c (the cells a
 * batch of rows is painted into, and their characters) and term_text.c
 * (text in a terminal's columns). Its panels, rows, colours and axes are
 * the layout's (layout.h).
 */

#include "layout.h"

#include <stdio.h>

struct cell {
	float cover;   /* fraction of the cell covered by bars */
	uint32_t hits; /* samples in the cell */
	uint16_t color;
	bool failed;
	bool open;        /* an unfinished span ends here: its end is not known */
	bool left, right; /* coverage touches the cell's left or right edge */
};

/*
 * Cells of a batch of rows, rows × cols, with per row two difference arrays
 * (cols + 1 each) counting the spans, and the failed ones, that cover a
 * cell whole, and, when colours are shown, the next cell still without a
 * colour (a cell takes the colour of the first span over it).
 */
struct grid {
	struct cell *cells;
	int32_t *whole, *whole_failed, *uncolored;
	size_t rows;
	int cols;
	bool color;
};

/* What the preview prints around a panel's rows, shared by all panels. */
struct term {
	struct build *b;
	const struct tl_term_opts *o;
	FILE *f;
	int label_w, cols;
	size_t max_rows; /* rows shown per panel; SIZE_MAX: all */
	tl_bench_stats *bench;
	size_t nbench;
};

/* term_text.c */
/* UTF-8 width in terminal columns. */
int term_cols(const char *s);
/* Print s cut or padded to exactly w columns (labels are fitted before: see term_fit_label()). */
void term_put_fixed(FILE *f, const char *s, int w);
/*
 * The chart's typography in plain ASCII, in place: the separator "·", "×",
 * "±", "σ", the dash "–", the ellipsis and "µ" become "-", "x", "+-", "sd",
 * "-", "..." and "u".
 */
void term_ascii_fold(char *s, size_t size);
/*
 * Text measured in columns for fig_fit_middle(), ctx a bool: ASCII, where the
 * ellipsis it puts in will be printed as three dots.
 */
void term_measure_cols(void *ctx, const char *text, enum tl_text_role role, double px,
		       double *ret_w, double *ret_h);
/* A row label in w columns: as the image fits it, cut in the middle, keeping its end. */
void term_fit_label(struct build *b, const struct tl_term_opts *o, char *buf, size_t size, int w);

/* term_grid.c */
/* A grid of rows × cols cells (all of them cleared by term_grid_clear()); false when out of memory.
 */
bool term_grid_init(struct grid *g, size_t rows, int cols, bool color);
void term_grid_clear(struct grid *g);
void term_grid_fini(struct grid *g);
/* A bar over cells x0..x1 (in cells from the left edge) of row r. */
void term_paint_bar(struct grid *g, size_t r, double x0, double x1, uint32_t color, bool failed,
		    bool open);
/* The cells spans cover whole, added to the cells of row r; the most hits of a cell in it. */
uint32_t term_grid_finish_row(struct grid *g, size_t r);
/*
 * One cell, on tm->f. In colour, *ink is the colour the line is in (-1: none
 * yet): a code is written only where it changes; the line's end resets it.
 */
void term_cell_out(const struct term *tm, const struct cell *c, uint32_t hmax, int *ink);
/*
 * The character that shows a bar of style (TL_SHAPE_BAR, _FAILED, _OPEN):
 * in its cells, and beside its legend entry.
 */
const char *term_style_char(uint8_t style, bool ascii);
/* The xterm-256 colour failures are printed in, unless --color-by status colours them. */
#define TERM_FAILED_ANSI 196
/* The colour of a cell, or a legend entry, of palette colour color, failed or not. */
int term_ink(const struct term *tm, unsigned color, bool failed);

/* term_rows.c */
/*
 * The columns of marks in p's lines: all of them, but for a benchmark's run
 * times, whose lines end with each command's mean ± σ when the marks keep
 * most of the line; *ret_note_w the notes' width then (else 0).
 */
int term_marks_cols(const struct term *tm, const struct panel *p, int *ret_note_w);
/* The rows shown of panel p, marks columns of marks and notes note_w wide, printed. */
tl_status term_panel_rows(struct term *tm, struct panel *p, int marks, int note_w);

#endif
