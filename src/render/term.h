#ifndef TIMELINE_RENDER_TERM_H
#define TIMELINE_RENDER_TERM_H

#include <timeline/render.h>

#include "figure.h"

/*
 * tl_render_term() with the image's chart options: rows, sort, colours,
 * baseline, kind, x range and title as tl_render_file() takes them in
 * chart (its output options unused). NULL: the defaults, with a row per
 * worker when the trace's readers ask for it ("rows" metadata), as the
 * command line does.
 */
tl_status tl_render_term_chart(const tl_trace *trace, const tl_term_opts *opts,
			       const tl_render_opts *chart, FILE *f, struct tl_error *err);

#endif
