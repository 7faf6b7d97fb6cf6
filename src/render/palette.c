/*
 * Colours. The categorical palette has TL_PALETTE_SIZE (20) entries, the
 * most a chart colours by: past them, colours would repeat and say nothing,
 * and colors.c hands out one colour instead.
 *
 * The first eight are Okabe and Ito's "Color Universal Design" set (Okabe &
 * Ito 2008, https://jfly.uni-koeln.de/color/), made to stay apart under the
 * common forms of colour blindness; on light backgrounds its yellow is left
 * out (too faint on white) and a brown and a grey take its and black's place;
 * on dark ones black is left out. The next twelve are Paul Tol's
 * (https://personal.sron.nl/~pault/, "Colour schemes", the muted, light,
 * medium-contrast, bright and vibrant sets), chosen one at a time as the
 * candidate farthest (CIEDE2000) from every colour before it, in normal
 * vision and with protanopia and deuteranopia simulated (Machado, Oliveira &
 * Fernandes 2009, severity 1), so that the first colours past eight are the
 * most distinct. Candidates too faint on the background (contrast under
 * 1.6:1 on white, 2.5:1 on the dark theme) or nearer than ΔE 25 to the
 * failure colour are left out. The closest pair of the twenty is ΔE 8.2
 * apart on light (vermillion and Tol's orange), 6.5 on dark (two greens);
 * among Okabe and Ito's eight it is 20. Failures are drawn with a red that no
 * entry comes near (ΔE ≥ 20).
 */

#include "figure.h"

#include <math.h>

static struct tl_rgb hex(unsigned v) {
	return (struct tl_rgb){((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0,
			       (v & 0xff) / 255.0};
}

static const unsigned light[TL_PALETTE_SIZE] = {0x0072b2, 0xe69f00, 0x009e73, 0xcc79a7, 0x56b4e9,
						0xd55e00, 0x8c6d31, 0x6f6f6f, 0x332288, 0xddcc77,
						0xffaabb, 0xaa4499, 0x999933, 0x004488, 0xee8866,
						0x44bb99, 0x6699cc, 0xbbcc33, 0x66ccee, 0xee7733};
static const unsigned dark[TL_PALETTE_SIZE] = {0x56b4e9, 0xe69f00, 0x009e73, 0xcc79a7, 0xf0e442,
					       0xd55e00, 0x0072b2, 0xb0b0b0, 0x994455, 0xaa4499,
					       0x117733, 0x99ddff, 0x999933, 0xddcc77, 0x44bb99,
					       0x6699cc, 0xbbcc33, 0x009988, 0xaa3377, 0x228833};

struct tl_rgb tl_palette_color(tl_theme theme, unsigned i) {
	return hex((theme == TL_THEME_DARK ? dark : light)[i % TL_PALETTE_SIZE]);
}

/* xterm-256 colours nearest (CIEDE2000) to the light palette, no two alike. */
int tl_palette_ansi(unsigned i) {
	static const int ansi[TL_PALETTE_SIZE] = {25,  178, 36,  175, 74,  166, 94, 244, 18, 186,
						  217, 133, 100, 24,  209, 72,  67, 148, 81, 202};
	return ansi[i % TL_PALETTE_SIZE];
}

struct tl_rgb tl_palette_fill(tl_theme theme, unsigned i, bool failed) {
	struct tl_rgb c = tl_palette_color(theme, i);
	if (!failed) {
		return c;
	}
	/* A failed bar: paler, still opaque, inside the failure outline. */
	struct tl_rgb bg = tl_theme_background(theme);
	return (struct tl_rgb){bg.r + 0.45 * (c.r - bg.r), bg.g + 0.45 * (c.g - bg.g),
			       bg.b + 0.45 * (c.b - bg.b)};
}

static double linear(double c) {
	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

/* WCAG 2 relative luminance. */
static double luminance(struct tl_rgb c) {
	return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

enum tl_ink tl_ink_on(struct tl_rgb fill) {
	/* Whichever of the two inks has the higher WCAG contrast ratio with the fill. */
	double l = luminance(fill);
	double dark_ink = luminance(tl_ink_color(TL_INK_DARK)),
	       light_ink = luminance(tl_ink_color(TL_INK_LIGHT));
	return (l + 0.05) / (dark_ink + 0.05) >= (light_ink + 0.05) / (l + 0.05) ? TL_INK_DARK
										 : TL_INK_LIGHT;
}

struct tl_rgb tl_ink_color(enum tl_ink ink) {
	return hex(ink == TL_INK_LIGHT ? 0xffffff : 0x1a1a1a);
}

struct tl_rgb tl_theme_background(tl_theme theme) {
	return hex(theme == TL_THEME_DARK ? 0x1b1d23 : 0xffffff);
}

struct tl_rgb tl_theme_foreground(tl_theme theme) {
	return hex(theme == TL_THEME_DARK ? 0xe6e6e6 : 0x1f1f1f);
}

struct tl_rgb tl_theme_muted(tl_theme theme) {
	return hex(theme == TL_THEME_DARK ? 0xa0a4ab : 0x5f6368);
}

struct tl_rgb tl_theme_grid(tl_theme theme) {
	return hex(theme == TL_THEME_DARK ? 0x383c45 : 0xe3e5e8);
}

struct tl_rgb tl_theme_failed(tl_theme theme) {
	return hex(theme == TL_THEME_DARK ? 0xff6b6b : 0xc0001a);
}
