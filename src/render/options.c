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

static const char *const format_names[TL_IMAGE_COUNT] = {"png", "svg", "pdf"};

const char *tl_image_format_to_string(tl_image_format f) {
	return f < TL_IMAGE_COUNT ? format_names[f] : "?";
}

#define PICKER(fn, type, ...)                                                                      \
	bool fn(const char *s, type *ret) {                                                        \
		static const char *const names[] = {__VA_ARGS__};                                  \
		int i;                                                                             \
		if (!pick(s, names, (int)(sizeof(names) / sizeof(names[0])), &i)) {                \
			return false;                                                              \
		}                                                                                  \
		*ret = (type)i;                                                                    \
		return true;                                                                       \
	}

PICKER(tl_image_format_from_string, tl_image_format, "png", "svg", "pdf")
PICKER(tl_chart_kind_from_string, tl_chart_kind, "auto", "gantt", "scatter")
PICKER(tl_rows_from_string, tl_rows, "job", "worker")
PICKER(tl_sort_from_string, tl_sort, "job", "start", "duration")
PICKER(tl_color_by_from_string, tl_color_by, "worker", "job", "status", "group", "none")
PICKER(tl_theme_from_string, tl_theme, "light", "dark")
PICKER(tl_span_labels_from_string, tl_span_labels, "auto", "none", "all")
PICKER(tl_time_axis_from_string, tl_time_axis, "elapsed", "clock")
PICKER(tl_panels_from_string, tl_panels, "auto", "group", "one")

bool tl_image_format_from_path(const char *path, tl_image_format *ret) {
	const char *dot = strrchr(path, '.');
	if (!dot || strchr(dot, '/')) {
		return false;
	}
	for (int i = 0; i < TL_IMAGE_COUNT; i++) {
		if (strcasecmp(dot + 1, format_names[i]) == 0) {
			*ret = (tl_image_format)i;
			return true;
		}
	}
	return false;
}
