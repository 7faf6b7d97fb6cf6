/*
 * Colours. The categorical palette is Okabe and Ito's, chosen to stay
 * distinguishable under the common forms of colour blindness; its yellow is
 * left out on light backgrounds (too faint on white) and its black on dark
 * ones. Failure marking uses a colour outside the cycle's first entries.
 */

#include "figure.h"

static struct tl_rgb hex(unsigned v) {
	return (struct tl_rgb){((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0,
			       (v & 0xff) / 255.0};
}

struct tl_rgb tl_palette_color(tl_theme theme, unsigned i) {
	static const unsigned light[TL_PALETTE_SIZE] = {0x0072b2, 0xe69f00, 0x009e73, 0xcc79a7,
							0x56b4e9, 0xd55e00, 0x8c6d31, 0x6f6f6f};
	static const unsigned dark[TL_PALETTE_SIZE] = {0x56b4e9, 0xe69f00, 0x009e73, 0xcc79a7,
						       0xf0e442, 0xd55e00, 0x0072b2, 0xb0b0b0};
	return hex((theme == TL_THEME_DARK ? dark : light)[i % TL_PALETTE_SIZE]);
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
