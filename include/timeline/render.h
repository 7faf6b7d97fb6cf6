#ifndef TIMELINE_RENDER_H
#define TIMELINE_RENDER_H

/*
 * Charts of a trace: Gantt bars (spans) and scatter timelines (samples), one
 * panel per group, to PNG, SVG or PDF. The renderer reads the trace and never
 * keeps pointers into it after returning. Output files are written
 * atomically: a failed render leaves no file behind.
 */

#include <stdio.h>

#include <timeline/trace.h>

/** The image file formats (tl_render_opts.format). */
typedef enum tl_image_format {
	TL_IMAGE_PNG = 0,
	TL_IMAGE_SVG,
	TL_IMAGE_PDF,
	TL_IMAGE_COUNT
} tl_image_format;

/**
 * The chart's kind (AUTO: Gantt bars for spans, a scatter timeline for
 * samples), its rows (a job or a worker each), their order, what colours
 * the bars, and the light or dark theme.
 */
typedef enum tl_chart_kind {
	TL_KIND_AUTO = 0,
	TL_KIND_GANTT,
	TL_KIND_SCATTER,
	TL_KIND_COUNT
} tl_chart_kind;
typedef enum tl_rows { TL_ROWS_JOB = 0, TL_ROWS_WORKER, TL_ROWS_COUNT } tl_rows;
typedef enum tl_sort { TL_SORT_JOB = 0, TL_SORT_START, TL_SORT_DURATION, TL_SORT_COUNT } tl_sort;
typedef enum tl_color_by {
	TL_COLOR_WORKER = 0,
	TL_COLOR_JOB,
	TL_COLOR_STATUS,
	TL_COLOR_GROUP,
	TL_COLOR_NONE,
	TL_COLOR_COUNT
} tl_color_by;
typedef enum tl_theme { TL_THEME_LIGHT = 0, TL_THEME_DARK, TL_THEME_COUNT } tl_theme;
/*
 * Span names inside their bars, where a bar is wide and tall enough for a
 * few characters (cut with an ellipsis beyond): AUTO for the spans whose
 * name says more than their row's label (a Chrome trace's event names, a
 * joblog's commands drawn by --rows worker), ALL for every span (its name,
 * else "job N"), NONE for none.
 */
typedef enum tl_span_labels {
	TL_SPAN_LABELS_AUTO = 0,
	TL_SPAN_LABELS_NONE,
	TL_SPAN_LABELS_ALL,
	TL_SPAN_LABELS_COUNT
} tl_span_labels;

/*
 * Panels: GROUP, a panel per group (and kind); ONE, every group in one
 * panel (tl_trace_fold(): a row per job, each coloured by its group when it
 * names no worker); AUTO, GROUP unless the trace has TL_FOLD_MIN_GROUPS or
 * more groups that all ran at the same time (a workflow's processes, a
 * Spark application's stages) and no per-thread rows (Chrome traces keep
 * their processes apart): then ONE.
 */
typedef enum tl_panels {
	TL_PANELS_AUTO = 0,
	TL_PANELS_GROUP,
	TL_PANELS_ONE,
	TL_PANELS_COUNT
} tl_panels;
#define TL_FOLD_MIN_GROUPS 8

/*
 * The time axis: ELAPSED from the trace's zero (its first event, for inputs
 * read off a clock), or CLOCK: the wall-clock time of day ("14:03:10", UTC
 * for dates; a date too when the range passes midnight), for inputs whose
 * times are dates or times of day (tl_trace_origin()); asking CLOCK of an
 * input with no such origin is TL_ERR_USAGE.
 */
typedef enum tl_time_axis {
	TL_TIME_AXIS_ELAPSED = 0,
	TL_TIME_AXIS_CLOCK,
	TL_TIME_AXIS_COUNT
} tl_time_axis;

/* Largest canvas side in pixels (after --scale): beyond it rendering is refused. */
#define TL_RENDER_MAX_SIDE 20000

/*
 * Most groups a chart draws (a panel each, a section each in text). Far more
 * than can be read; the bound keeps a file that names a group per row from
 * costing groups × rows of layout work.
 */
#define TL_RENDER_MAX_GROUPS 256

typedef struct tl_render_opts {
	tl_image_format format;
	tl_chart_kind kind;
	tl_rows rows;
	tl_sort sort;
	tl_color_by color_by;
	tl_theme theme;
	int width;            /* canvas width in pixels at dpi (default 1200) */
	int height;           /* canvas height in pixels at dpi; 0 (the default): from the
			       * content, 500 up to 1.25 × width, rows given room for labels */
	double dpi;           /* pixels per inch: sets text size and PNG pHYs (default 100) */
	double scale;         /* device pixels per pixel for PNG (default 1; 2 for HiDPI) */
	int cols;             /* panels per row; 0: as many as fit, balanced */
	bool free_x;          /* each panel its own time axis instead of one shared */
	const char *title;    /* figure title; NULL: the trace's "title" metadata */
	const char *baseline; /* the group speedups are against (tl_trace_reference()); NULL:
			       * "serial", else the first group */
	const char *xlabel;   /* NULL: the unit's name ("Seconds") */
	const char *ylabel;   /* NULL: "Tasks" */
	bool has_xlim;        /* draw only [xlim_lo, xlim_hi] */
	tl_ns xlim_lo, xlim_hi;
	const char *source; /* input name; PNG tEXt "Source" gets its base name; may be NULL */
	tl_span_labels span_labels; /* names inside bars (default AUTO) */
	tl_time_axis time_axis;     /* elapsed (default) or wall-clock time of day */
	tl_panels panels;           /* a panel per group, or one (default AUTO) */
	bool show_wait;             /* each job's queue wait (tl_span.wait) as a pale lead-in */
} tl_render_opts;

/** Fill the caller's opts with the defaults documented above. Never fails. */
void tl_render_opts_init(tl_render_opts *opts);

/** "png", "svg", "pdf" ("?" out of range): a static string. */
const char *tl_image_format_to_string(tl_image_format f);
/** "png", "svg", "pdf" → the format; false (and *ret untouched) for anything else. */
bool tl_image_format_from_string(const char *s, tl_image_format *ret);
/**
 * Format for a path's extension (.png, .svg, .pdf; any case); false (*ret
 * untouched) when unknown.
 */
bool tl_image_format_from_path(const char *path, tl_image_format *ret);

/*
 * Option words for the command line, as `timeline render --help` lists them
 * ("gantt", "worker", "start", "status", "dark"...). Each _to_string gives the
 * word of a value (a static string; "?" for one out of range; a value from 0
 * to its _COUNT - 1 lists them all), each _from_string the value of a word
 * (false, and *ret untouched, for another word), from one table.
 */
const char *tl_chart_kind_to_string(tl_chart_kind v); /* auto, gantt, scatter */
bool tl_chart_kind_from_string(const char *s, tl_chart_kind *ret);
const char *tl_rows_to_string(tl_rows v); /* job, worker */
bool tl_rows_from_string(const char *s, tl_rows *ret);
const char *tl_sort_to_string(tl_sort v); /* job, start, duration */
bool tl_sort_from_string(const char *s, tl_sort *ret);
const char *tl_color_by_to_string(tl_color_by v); /* worker, job, status, group, none */
bool tl_color_by_from_string(const char *s, tl_color_by *ret);
const char *tl_theme_to_string(tl_theme v); /* light, dark */
bool tl_theme_from_string(const char *s, tl_theme *ret);
const char *tl_span_labels_to_string(tl_span_labels v); /* auto, none, all */
bool tl_span_labels_from_string(const char *s, tl_span_labels *ret);
const char *tl_time_axis_to_string(tl_time_axis v); /* elapsed, clock */
bool tl_time_axis_from_string(const char *s, tl_time_axis *ret);
const char *tl_panels_to_string(tl_panels v); /* auto, group, one */
bool tl_panels_from_string(const char *s, tl_panels *ret);

/**
 * Render trace to path ("-" writes to standard output) in opts->format,
 * atomically (as tl_output_open: a failed render leaves no file, an old one
 * is kept). Sizes are pixels at opts->dpi; times are the trace's ns. The
 * trace and opts stay the caller's and are not kept.
 * Fails with TL_ERR_USAGE for invalid options (message says which),
 * TL_ERR_INPUT when the trace has nothing to draw ("nothing to draw: the
 * input has no spans or samples") or more than TL_RENDER_MAX_GROUPS groups,
 * TL_ERR_IO when the file cannot be written or drawing fails,
 * TL_ERR_NOMEM when out of memory or TL_OUTPUT_PENDING_MAX writes are in
 * progress.
 */
tl_status tl_render_file(const tl_trace *trace, const tl_render_opts *opts, const char *path,
			 struct tl_error *err);

/**
 * tl_render_file() to the caller's open stream f, which stays open (name is
 * used in messages; may be NULL). Not atomic: after a TL_ERR_IO, f may hold
 * part of the image. Errors as tl_render_file(): TL_ERR_USAGE, TL_ERR_INPUT,
 * TL_ERR_IO (a write to f failed), TL_ERR_NOMEM.
 */
tl_status tl_render_stream(const tl_trace *trace, const tl_render_opts *opts, FILE *f,
			   const char *name, struct tl_error *err);

typedef struct tl_term_opts {
	int width;                   /* columns (at least 30) */
	int max_rows;                /* rows per group before "N more rows"; 0: all */
	bool ascii;                  /* plain ASCII instead of Unicode blocks */
	bool color;                  /* ANSI 256-colour codes */
	const tl_render_opts *chart; /* the chart's options, as the image takes them: kind,
				      * rows, sort, color_by, baseline, xlim, free_x, title
				      * (the image's size and format unused); NULL: the
				      * defaults, a row per worker where the trace's readers
				      * ask for one (its "rows" metadata) */
} tl_term_opts;

/**
 * Draw the trace as text for a terminal: the image's panels (opts->chart),
 * each a title line with its subtitle (wall time, speedup), a line per row
 * with its bars (or its samples' density) across the width (in columns; less
 * than 30 is taken as 30), and under each run of panels that share one, a
 * time axis with 1-2-5 ticks. Writes to the caller's open stream f, which
 * stays open. Errors: TL_ERR_USAGE for invalid chart options (message says
 * which); TL_ERR_INPUT when there is nothing to draw; TL_ERR_IO when a
 * write to f fails; TL_ERR_NOMEM.
 */
tl_status tl_render_term(const tl_trace *trace, const tl_term_opts *opts, FILE *f,
			 struct tl_error *err);

/**
 * tl_render_term() into the file at path ("-": standard output), atomically
 * like tl_render_file(). Errors: those of tl_render_term(); TL_ERR_IO also
 * when the file cannot be created; TL_ERR_NOMEM also when
 * TL_OUTPUT_PENDING_MAX writes are in progress.
 */
tl_status tl_render_term_file(const tl_trace *trace, const tl_term_opts *opts, const char *path,
			      struct tl_error *err);

#endif
