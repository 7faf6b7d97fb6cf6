/*
 * The render options: their defaults and the words the command line gives
 * them. No drawing here: the layout library holds it, with no cairo.
 */

#include <timeline/render.h>

#include <string.h>
#include <strings.h>

void tl_render_opts_init(tl_render_opts *o) {
	memset(o, 0, sizeof(*o));
	o->format = TL_IMAGE_PNG;
	o->width = 1200;
	o->height = 0; /* from the content */
	o->dpi = 100;
	o->scale = 1;
}

static bool pick(const char *s, const char *const *names, int count, int *ret) {
	for (int i = 0; i < count; i++) {
		if (strcmp(s, names[i]) == 0) {
			*ret = i;
			return true;
		}
	}
	return false;
}

/*
 * Each option's words in one table, read both ways: fn##_to_string gives the
 * word of a value ("?" out of range), fn##_from_string the value of a word.
 */
#define WORDS(fn, type, ...)                                                                       \
	static const char *const fn##_names[] = {__VA_ARGS__};                                     \
	const char *fn##_to_string(type v) {                                                       \
		return (size_t)v < sizeof(fn##_names) / sizeof(fn##_names[0]) ? fn##_names[v]      \
									      : "?";               \
	}                                                                                          \
	bool fn##_from_string(const char *s, type *ret) {                                          \
		int i;                                                                             \
		if (!pick(s, fn##_names, (int)(sizeof(fn##_names) / sizeof(fn##_names[0])), &i)) { \
			return false;                                                              \
		}                                                                                  \
		*ret = (type)i;                                                                    \
		return true;                                                                       \
	}

WORDS(tl_image_format, tl_image_format, "png", "svg", "pdf")
WORDS(tl_chart_kind, tl_chart_kind, "auto", "gantt", "scatter")
WORDS(tl_rows, tl_rows, "job", "worker")
WORDS(tl_sort, tl_sort, "job", "start", "duration")
WORDS(tl_color_by, tl_color_by, "worker", "job", "status", "group", "none")
WORDS(tl_theme, tl_theme, "light", "dark")
WORDS(tl_span_labels, tl_span_labels, "auto", "none", "all")
WORDS(tl_time_axis, tl_time_axis, "elapsed", "clock")
WORDS(tl_panels, tl_panels, "auto", "group", "one")

bool tl_image_format_from_path(const char *path, tl_image_format *ret) {
	const char *dot = strrchr(path, '.');
	if (!dot || strchr(dot, '/')) {
		return false;
	}
	for (int i = 0; i < TL_IMAGE_COUNT; i++) {
		if (strcasecmp(dot + 1, tl_image_format_names[i]) == 0) {
			*ret = (tl_image_format)i;
			return true;
		}
	}
	return false;
}
