/*
 * Text in a terminal's columns: how wide a string is (East Asian wide
 * characters take two, combining marks none), a label cut or padded to a
 * width, the chart's typography folded to ASCII.
 */

#include "preview.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

/*
 * Terminal columns of the character at p (its bytes in *ret_len): two for
 * East Asian wide and fullwidth characters (CJK, most emoji), none for
 * combining marks and zero-width characters, one for the rest, as glib's
 * Unicode tables say (wcwidth() would depend on the locale).
 */
static int char_cols(const char *p, size_t *ret_len) {
	const char *q = p + 1;
	while (((unsigned char)*q & 0xc0) == 0x80) {
		q++;
	}
	*ret_len = (size_t)(q - p);
	gunichar c = g_utf8_get_char_validated(p, (gssize)*ret_len);
	if (c == (gunichar)-1 || c == (gunichar)-2) {
		return 1;
	}
	return g_unichar_iszerowidth(c) ? 0 : g_unichar_iswide(c) ? 2 : 1;
}

int term_cols(const char *s) {
	int n = 0;
	size_t len;
	for (; *s; s += len) {
		n += char_cols(s, &len);
	}
	return n;
}

void term_put_fixed(FILE *f, const char *s, int w) {
	int n = 0;
	size_t len;
	for (const char *p = s; *p; p += len) {
		int c = char_cols(p, &len);
		if (n + c > w) {
			break; /* a wide character that would cross the edge: a blank instead */
		}
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			fputc(' ', f); /* tabs and other controls would break the columns */
		} else {
			fwrite(p, 1, len, f);
		}
		n += c;
	}
	for (; n < w; n++) {
		fputc(' ', f);
	}
}

void term_ascii_fold(char *s, size_t size) {
	static const struct {
		const char *from, *to;
	} map[] = {{"\xc2\xb7", "-"},  {"\xc3\x97", "x"},     {"\xc2\xb1", "+-"},
		   {"\xcf\x83", "sd"}, {"\xe2\x80\x93", "-"}, {"\xe2\x80\xa6", "..."},
		   {"\xc2\xb5", "u"}};
	char *out = malloc(size);
	if (!out) {
		return;
	}
	size_t n = 0;
	for (const char *p = s; *p && n + 1 < size;) {
		size_t k = 0;
		while (k < sizeof(map) / sizeof(map[0]) &&
		       strncmp(p, map[k].from, strlen(map[k].from)) != 0) {
			k++;
		}
		const char *to = k < sizeof(map) / sizeof(map[0]) ? map[k].to : NULL;
		size_t len = to ? strlen(to) : 1;
		if (n + len >= size) {
			break;
		}
		memcpy(out + n, to ? to : p, len);
		n += len;
		p += to ? strlen(map[k].from) : 1;
	}
	out[n] = '\0';
	memcpy(s, out, n + 1);
	free(out);
}

void term_measure_cols(void *ctx, const char *text, enum tl_text_role role, double px,
		       double *ret_w, double *ret_h) {
	(void)role;
	(void)px;
	int n = term_cols(text);
	for (const char *p = strstr(text, "\xe2\x80\xa6"); p && *(const bool *)ctx;
	     p = strstr(p + 3, "\xe2\x80\xa6")) {
		n += 2;
	}
	*ret_w = n;
	*ret_h = 1;
}

void term_fit_label(struct build *b, const struct tl_term_opts *o, char *buf, size_t size, int w) {
	fig_fit_middle(b, buf, size, TL_TEXT_TICK, w);
	if (o->ascii) {
		term_ascii_fold(buf, size);
	}
}
