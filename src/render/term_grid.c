/*
 * The cells the preview paints a batch of rows into: how much of each cell
 * bars cover (a span in constant time: the cells it covers whole are counted
 * in a difference array), the samples in it, its colour; and the character
 * that shows a cell (Unicode blocks, an eighth of a cell at a bar's ends,
 * or ASCII).
 */

#include "preview.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

bool term_grid_init(struct grid *g, size_t rows, int cols, bool color) {
	size_t n = rows * (size_t)cols, m = rows * ((size_t)cols + 1);
	*g = (struct grid){.cells = malloc(n * sizeof(*g->cells)),
			   .whole = malloc(m * sizeof(int32_t)),
			   .whole_failed = malloc(m * sizeof(int32_t)),
			   .uncolored = malloc(m * sizeof(int32_t)),
			   .rows = rows,
			   .cols = cols,
			   .color = color};
	return g->cells && g->whole && g->whole_failed && g->uncolored;
}

void term_grid_clear(struct grid *g) {
	size_t w = (size_t)g->cols + 1;
	memset(g->cells, 0, g->rows * (size_t)g->cols * sizeof(*g->cells));
	memset(g->whole, 0, g->rows * w * sizeof(int32_t));
	memset(g->whole_failed, 0, g->rows * w * sizeof(int32_t));
	for (size_t r = 0; r < g->rows; r++) {
		for (size_t c = 0; c < w; c++) {
			g->uncolored[r * w + c] = (int32_t)c;
		}
	}
}

void term_grid_fini(struct grid *g) {
	free(g->cells);
	free(g->whole);
	free(g->whole_failed);
	free(g->uncolored);
}

/* The first cell at or after c without a colour (path halving). */
static int32_t next_uncolored(int32_t *next, int32_t c) {
	while (next[c] != c) {
		next[c] = next[next[c]];
		c = next[c];
	}
	return c;
}

static void cover_part(struct cell *c, int at, double a, double b, bool failed) {
	c->cover += (float)(b - a);
	c->left |= a <= at + 1e-9;
	c->right |= b >= at + 1.0 - 1e-9;
	c->failed |= failed;
}

void term_paint_bar(struct grid *g, size_t r, double x0, double x1, uint32_t color, bool failed,
		    bool open) {
	int cols = g->cols;
	x0 = x0 < 0 ? 0 : x0 > cols ? cols : x0;
	x1 = x1 > cols ? cols : x1;
	if (x1 - x0 < 0.125) {
		/* A bar too short to see gets an eighth of a cell. */
		x1 = x0 + 0.125;
		if (x1 > cols) {
			x0 = cols - 0.125;
			x1 = cols;
		}
	}
	/* The first and the last cell the bar covers in part or whole. */
	int c0 = (int)x0, c1 = (int)ceil(x1) - 1;
	c0 = c0 >= cols ? cols - 1 : c0;
	c1 = c1 < c0 ? c0 : c1 >= cols ? cols - 1 : c1;
	struct cell *row = g->cells + r * (size_t)cols;
	if (c0 == c1) {
		cover_part(&row[c0], c0, x0, x1, failed);
	} else {
		cover_part(&row[c0], c0, x0, c0 + 1.0, failed);
		cover_part(&row[c1], c1, c1, x1, failed);
		if (c1 > c0 + 1) {
			int32_t *w = g->whole + r * ((size_t)cols + 1);
			w[c0 + 1]++;
			w[c1]--;
			if (failed) {
				int32_t *wf = g->whole_failed + r * ((size_t)cols + 1);
				wf[c0 + 1]++;
				wf[c1]--;
			}
		}
	}
	row[c1].open |= open;
	if (g->color) {
		int32_t *next = g->uncolored + r * ((size_t)cols + 1);
		for (int32_t c = next_uncolored(next, c0); c <= c1; c = next_uncolored(next, c)) {
			row[c].color = (uint16_t)color;
			next[c] = c + 1;
		}
	}
}

uint32_t term_grid_finish_row(struct grid *g, size_t r) {
	struct cell *row = g->cells + r * (size_t)g->cols;
	const int32_t *w = g->whole + r * ((size_t)g->cols + 1),
		      *wf = g->whole_failed + r * ((size_t)g->cols + 1);
	int32_t whole = 0, failed = 0;
	uint32_t hmax = 0;
	for (int c = 0; c < g->cols; c++) {
		whole += w[c];
		failed += wf[c];
		if (whole > 0) {
			row[c].cover += (float)whole;
			row[c].left = row[c].right = true;
		}
		row[c].failed |= failed > 0;
		row[c].cover = row[c].cover > 1 ? 1 : row[c].cover;
		hmax = row[c].hits > hmax ? row[c].hits : hmax;
	}
	return hmax;
}

const char *term_style_char(uint8_t style, bool ascii) {
	switch (style) {
	case TL_SHAPE_FAILED:
		return ascii ? "x" : "\xe2\x96\x93"; /* ▓ */
	case TL_SHAPE_OPEN:
		return ascii ? ">" : "\xe2\x96\x91"; /* ░, as the chart fades it out */
	default:
		return ascii ? "#" : "\xe2\x96\x88"; /* █ */
	}
}

int term_ink(const struct term *tm, unsigned color, bool failed) {
	return failed && tm->b->o->color_by != TL_COLOR_STATUS ? TERM_FAILED_ANSI
							       : tl_palette_ansi(color);
}

void term_cell_out(const struct term *tm, const struct cell *c, uint32_t hmax, int *ink) {
	FILE *f = tm->f;
	const struct tl_term_opts *o = tm->o;
	static const char *const eighth_left[8] = {" ",
						   "\xe2\x96\x8f",
						   "\xe2\x96\x8e",
						   "\xe2\x96\x8d",
						   "\xe2\x96\x8c",
						   "\xe2\x96\x8b",
						   "\xe2\x96\x8a",
						   "\xe2\x96\x89"};
	static const char *const levels[8] = {"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83",
					      "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
					      "\xe2\x96\x87", "\xe2\x96\x88"};
	static const char ascii_levels[] = ".:-=+*#%";
	if (c->cover <= 0 && c->hits == 0) {
		fputc(' ', f);
		return;
	}
	int want = term_ink(tm, c->color, c->failed);
	if (o->color && want != *ink) {
		fprintf(f, "\x1b[38;5;%dm", want);
		*ink = want;
	}
	if (c->hits) {
		int lv = fig_density_level(c->hits, hmax, 7);
		if (o->ascii) {
			fputc(ascii_levels[lv], f);
		} else {
			fputs(levels[lv], f);
		}
	} else if (c->open) {
		fputs(term_style_char(TL_SHAPE_OPEN, o->ascii), f);
	} else if (o->ascii) {
		fputs(c->failed          ? term_style_char(TL_SHAPE_FAILED, true)
		      : c->cover >= 0.5f ? term_style_char(TL_SHAPE_BAR, true)
					 : "+",
		      f);
	} else if (c->failed) {
		fputs(c->cover >= 0.5f ? term_style_char(TL_SHAPE_FAILED, false) : "\xe2\x96\x92",
		      f); /* ▓ ▒ */
	} else if (c->cover >= 0.875f || (c->left && c->right)) {
		fputs(term_style_char(TL_SHAPE_BAR, false), f);
	} else if (c->left) {
		/* A bar ending inside the cell: an eighth block from the left. */
		int e = (int)lround(c->cover * 8);
		fputs(eighth_left[e < 1 ? 1 : e > 7 ? 7 : e], f);
	} else {
		/* A bar starting inside the cell: the right half or eighth. */
		fputs(c->cover >= 0.5f ? "\xe2\x96\x90" : "\xe2\x96\x95", f); /* ▐ ▕ */
	}
}
