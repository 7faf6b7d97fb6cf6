/*
 * `timeline render INPUT... [-o OUTPUT]`: read traces, pick the output and
 * its format, and hand over to tl_render_file(). The format is never
 * switched silently: an -o extension that disagrees with --format is an
 * error, and an input file is never overwritten.
 */

#include "cli.h"

#include "../util/arg.h"

#include <timeline/render.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

enum {
	OPT_WIDTH = 256,
	OPT_HEIGHT,
	OPT_DPI,
	OPT_SCALE,
	OPT_KIND,
	OPT_ROWS,
	OPT_SORT,
	OPT_COLOR,
	OPT_THEME,
	OPT_COLS,
	OPT_FREE_X,
	OPT_XLIM,
	OPT_TITLE,
	OPT_XLABEL,
	OPT_YLABEL,
	OPT_ASCII,
	OPT_BASELINE,
	OPT_SPAN_LABELS,
	OPT_PANELS,
	OPT_SHOW_WAIT,
	OPT_TIME_AXIS,
};

/* -T: the image formats, and txt for the text preview. */
static const char *format_word(int i) {
	return i < TL_IMAGE_COUNT    ? tl_image_format_to_string((tl_image_format)i)
	       : i == TL_IMAGE_COUNT ? "txt"
				     : NULL;
}
CLI_WORDS(kind_word, tl_chart_kind_to_string, tl_chart_kind, 0, TL_KIND_COUNT)
CLI_WORDS(rows_word, tl_rows_to_string, tl_rows, 0, TL_ROWS_COUNT)
CLI_WORDS(sort_word, tl_sort_to_string, tl_sort, 0, TL_SORT_COUNT)
CLI_WORDS(color_word, tl_color_by_to_string, tl_color_by, 0, TL_COLOR_COUNT)
CLI_WORDS(theme_word, tl_theme_to_string, tl_theme, 0, TL_THEME_COUNT)
CLI_WORDS(span_labels_word, tl_span_labels_to_string, tl_span_labels, 0, TL_SPAN_LABELS_COUNT)
CLI_WORDS(time_axis_word, tl_time_axis_to_string, tl_time_axis, 0, TL_TIME_AXIS_COUNT)
CLI_WORDS(panels_word, tl_panels_to_string, tl_panels, 0, TL_PANELS_COUNT)

static const struct cli_option options[] = {
	{.text = "Usage: timeline render [OPTIONS] INPUT... [-o OUTPUT]\n"
		 "\n"
		 "Draw a trace: Gantt bars for spans, a scatter timeline for samples, one\n"
		 "panel per group side by side on one shared time axis. Several inputs are\n"
		 "drawn as separate groups named after their files.\n"
		 "\n"
		 "Output:\n"},
	{'o', 'o', "output", required_argument, "FILE",
	 .help = "output file; '-' is standard output (needs -T);\n"
		 "default: the first input with .png"},
	{'T', 'T', "format", required_argument, .word = format_word,
	 .help = "default: from the -o extension; txt draws\n"
		 "the chart as text on standard output (a quick\n"
		 "look over SSH), sized to the terminal"},
	{OPT_ASCII, 0, "ascii", no_argument, .help = "txt in plain ASCII, no colour"},
	{OPT_WIDTH, 0, "width", required_argument, "PX", .expect = "1 to 20000 pixels",
	 .help = "canvas width in pixels at --dpi (default 1200)"},
	{OPT_HEIGHT, 0, "height", required_argument, "PX", .expect = "1 to 20000 pixels",
	 .help = "canvas height (default: from the rows, 500 and up)"},
	{OPT_DPI, 0, "dpi", required_argument, "N", .expect = "10 to 2400",
	 .help = "pixels per inch: text size, PNG resolution\n(default 100)"},
	{OPT_SCALE, 0, "scale", required_argument, "N", .expect = "0.25 to 8",
	 .help = "device pixels per pixel for PNG, 2 for HiDPI\n(default 1)"},
	{.text = "Chart:\n"},
	{OPT_KIND, 0, "kind", required_argument, .word = kind_word,
	 .help = "auto: spans -> Gantt, samples -> scatter,\n"
		 "both -> both, stacked; gantt of samples: each job\n"
		 "from its first sample to its last"},
	{OPT_ROWS, 0, "rows", required_argument, .word = rows_word,
	 .help = "a row per job, or a lane per worker (default job)"},
	{OPT_SORT, 0, "sort", required_argument, .word = sort_word,
	 .help = "row order (default job)"},
	{OPT_COLOR, 0, "color-by", required_argument, .word = color_word,
	 .help = "bar colours (default worker)"},
	{OPT_THEME, 0, "theme", required_argument, .word = theme_word, .help = "(default light)"},
	{OPT_SPAN_LABELS, 0, "span-labels", required_argument, .word = span_labels_word,
	 .help = "span names inside bars wide enough for\n"
		 "them; auto: names that say more than the row's\n"
		 "label (Chrome trace events, joblog commands in\n"
		 "lanes); all: every span (default auto)"},
	{OPT_TIME_AXIS, 0, "time-axis", required_argument, .word = time_axis_word,
	 .help = "time from the trace's start (default), or\n"
		 "the wall-clock time of day, for dates and times\n"
		 "(groups stay where they ran: --align absolute)"},
	{OPT_PANELS, 0, "panels", required_argument, .word = panels_word,
	 .help = "a panel per group, or all in one (auto: one\n"
		 "when 8 or more groups ran at the same time, as a\n"
		 "workflow's processes or Spark's stages)"},
	{OPT_SHOW_WAIT, 0, "show-wait", no_argument,
	 .help = "each job's queue wait (submit to start: Slurm,\n"
		 "Nextflow) as a pale lead-in to its bar"},
	{OPT_COLS, 0, "cols", required_argument, "N", .expect = "1 to 64",
	 .help = "panels per row (default: as many as fit, balanced)"},
	{OPT_FREE_X, 0, "no-shared-x", no_argument, .help = "give each panel its own time axis"},
	{OPT_XLIM, 0, "xlim", required_argument, "A:B",
	 .expect = "START:END in seconds or with units, like 0:2.5, 0:20ms or 1h:2h 30min",
	 .help = "time range to draw, seconds or with units ('0.5:2',\n"
		 "'0:20ms', '1h:2h 30min')"},
	{OPT_BASELINE, 0, "baseline", required_argument, "GROUP",
	 .help = "the group speedups are against (default: the one\n"
		 "named 'serial', else the first)"},
	{OPT_TITLE, 0, "title", required_argument, "TEXT",
	 .help = "figure title (default: the input's title)"},
	{OPT_XLABEL, 0, "xlabel", required_argument, "TEXT",
	 .help = "(default: the unit, 'Seconds')"},
	{OPT_YLABEL, 0, "ylabel", required_argument, "TEXT", .help = "(default 'Tasks')"},
	{.text = "Input:\n"},
	{.include = cli_input_options},
	{'v', 'v', "verbose", no_argument,
	 .help = "say how the input was read: columns, units, rows\n"
		 "skipped"},
	{'h', 'h', "help", no_argument, .help = "show this help"},
	{0},
};

const struct cli_spec cmd_render_spec = {"render", options, 27, false};

/* An int option's value in [lo, hi] into *ret; false when it is not one. */
static bool int_value(const char *s, int lo, int hi, int *ret) {
	long long v;
	if (!tl_arg_integer(s, lo, hi, &v)) {
		return false;
	}
	*ret = (int)v;
	return true;
}

static bool parse_xlim(const char *s, tl_ns *lo, tl_ns *hi) {
	const char *colon = strchr(s, ':');
	/* Seconds, or with units: "0:20ms", "1h:2h 30min", "1d:2d". */
	return colon && tl_duration_from_string(s, (size_t)(colon - s), lo) &&
	       tl_duration_from_string(colon + 1, strlen(colon + 1), hi);
}

/* The default output: the input's name with its extension replaced by .png. */
static char *default_output(const char *input) {
	const char *slash = strrchr(input, '/');
	const char *dot = strrchr(input, '.');
	size_t keep = dot && (!slash || dot > slash) && dot != input && dot[-1] != '/'
			      ? (size_t)(dot - input)
			      : strlen(input);
	/* trace.csv.gz draws to trace.png, as trace.csv does. */
	if (dot && cli_packed_suffix(input) == strlen(dot)) {
		const char *prev = dot;
		while (prev > input && prev[-1] != '.' && prev[-1] != '/') {
			prev--;
		}
		if (prev > input + 1 && prev[-1] == '.' && prev[-2] != '/') {
			keep = (size_t)(prev - 1 - input);
		}
	}
	char *out = malloc(keep + 5);
	if (out) {
		memcpy(out, input, keep);
		memcpy(out + keep, ".png", 5);
	}
	return out;
}

#define BAD_VALUE(key, arg) cli_bad_value("render", options, key, arg)

/* --xlim A:B into ro: EXIT_OK, or EXIT_USAGE after saying why. */
static int xlim_option(int c, const char *arg, tl_render_opts *ro) {
	if (!parse_xlim(arg, &ro->xlim_lo, &ro->xlim_hi)) {
		return BAD_VALUE(c, arg);
	}
	if (ro->xlim_hi <= ro->xlim_lo) {
		return cli_usage_error("render",
				       "invalid xlim '%s' (the end must be after the start)", arg);
	}
	ro->has_xlim = true;
	return EXIT_OK;
}

/*
 * The options of the chart itself (size, kind, rows, colours, axes, labels)
 * into ro: EXIT_OK, EXIT_USAGE after saying why, or CLI_NOT_MINE.
 */
static int chart_option(int c, const char *arg, tl_render_opts *ro, bool *rows_given) {
	bool ok = true; /* the value is one the option takes */
	switch (c) {
	case OPT_WIDTH:
		ok = int_value(arg, 1, TL_RENDER_MAX_SIDE, &ro->width);
		break;
	case OPT_HEIGHT:
		ok = int_value(arg, 1, TL_RENDER_MAX_SIDE, &ro->height);
		break;
	case OPT_DPI:
		ok = tl_arg_decimal(arg, 10, 2400, &ro->dpi);
		break;
	case OPT_SCALE:
		ok = tl_arg_decimal(arg, 0.25, 8, &ro->scale);
		break;
	case OPT_COLS:
		ok = int_value(arg, 1, 64, &ro->cols);
		break;
	case OPT_KIND:
		ok = tl_chart_kind_from_string(arg, &ro->kind);
		break;
	case OPT_ROWS:
		ok = *rows_given = tl_rows_from_string(arg, &ro->rows);
		break;
	case OPT_SORT:
		ok = tl_sort_from_string(arg, &ro->sort);
		break;
	case OPT_COLOR:
		ok = tl_color_by_from_string(arg, &ro->color_by);
		break;
	case OPT_THEME:
		ok = tl_theme_from_string(arg, &ro->theme);
		break;
	case OPT_SPAN_LABELS:
		ok = tl_span_labels_from_string(arg, &ro->span_labels);
		break;
	case OPT_PANELS:
		ok = tl_panels_from_string(arg, &ro->panels);
		break;
	case OPT_TIME_AXIS:
		ok = tl_time_axis_from_string(arg, &ro->time_axis);
		break;
	case OPT_XLIM:
		return xlim_option(c, arg, ro);
	case OPT_FREE_X:
		ro->free_x = true;
		break;
	case OPT_SHOW_WAIT:
		ro->show_wait = true;
		break;
	case OPT_TITLE:
		ro->title = arg;
		break;
	case OPT_XLABEL:
		ro->xlabel = arg;
		break;
	case OPT_YLABEL:
		ro->ylabel = arg;
		break;
	case OPT_BASELINE:
		ro->baseline = arg;
		break;
	default:
		return CLI_NOT_MINE;
	}
	return ok ? EXIT_OK : BAD_VALUE(c, arg);
}

/* What the command line asks of render. */
struct render_args {
	tl_render_opts ro;
	struct cli_input in;
	const char *output;
	bool text, ascii, format_given, rows_given;
};

/* Options into a; EXIT_OK, -1 after printing the help, or the exit code after saying why. */
static int parse_args(int argc, char **argv, struct render_args *a) {
	struct cli_parser p;
	cli_parser_init(&p, &cmd_render_spec);
	int c, rc;
	while ((c = cli_next_own_option(&p, argc, argv, &a->in)) != -1) {
		rc = chart_option(c, optarg, &a->ro, &a->rows_given);
		if (rc != CLI_NOT_MINE) {
			if (rc != EXIT_OK) {
				return rc;
			}
			continue;
		}
		switch (c) {
		case 'v':
			a->in.verbose = true;
			break;
		case 'o':
			a->output = optarg;
			break;
		case 'T':
			if (strcmp(optarg, "txt") == 0) {
				a->text = true;
				break;
			}
			if (!tl_image_format_from_string(optarg, &a->ro.format)) {
				return BAD_VALUE(c, optarg);
			}
			a->format_given = true;
			break;
		case OPT_ASCII:
			a->ascii = true;
			break;
		case 'h':
			cli_print_help(&cmd_render_spec);
			return -1;
		default:
			return EXIT_USAGE;
		}
	}
	return EXIT_OK;
}

/*
 * --time-axis clock: times of day are read off each group's own clock, so
 * the groups stay where they ran (--align absolute, implied). EXIT_OK, or
 * EXIT_USAGE after saying why the command line cannot draw it.
 */
static int clock_axis_align(struct render_args *a) {
	if (a->ro.time_axis != TL_TIME_AXIS_CLOCK) {
		return EXIT_OK;
	}
	if (a->text || a->ascii) {
		return cli_usage_error("render", "--time-axis clock is drawn in images only: the "
						 "text preview's axis is the time elapsed");
	}
	if (!a->in.align_given) {
		a->in.ro.align = TL_TIMES_ABSOLUTE;
		a->in.clock_axis = true;
	} else if (a->in.ro.align != TL_TIMES_ABSOLUTE) {
		return cli_usage_error("render",
				       "--time-axis clock shows when each group ran: "
				       "with --align %s its groups would not be at their "
				       "times of day (drop --align, or --align absolute)",
				       tl_time_align_to_string(a->in.ro.align));
	}
	return EXIT_OK;
}

/*
 * The inputs as one trace for the chart a asks for: EXIT_OK with *ret
 * (tl_trace_free() it), or the exit code after saying why. A --baseline
 * must name one of its groups; readers of per-thread traces ask for a lane
 * per worker unless --rows says otherwise.
 */
static int load_chart(char **inputs, int n, struct render_args *a, tl_trace **ret) {
	tl_trace *t = NULL;
	int rc = cli_load(inputs, n, &a->in, &t);
	if (rc != EXIT_OK) {
		return rc;
	}
	if (a->ro.baseline && !cli_has_group(t, a->ro.baseline)) {
		tl_trace_free(t);
		return cli_usage_error("render", "--baseline: no group '%s'", a->ro.baseline);
	}
	const char *hint = tl_trace_meta_get(t, TL_META_ROWS);
	if (!a->rows_given && hint && strcmp(hint, TL_ROWS_BY_WORKER) == 0) {
		a->ro.rows = TL_ROWS_WORKER;
	}
	*ret = t;
	return EXIT_OK;
}

/*
 * -T txt: the terminal preview on standard output (or -o FILE), of the chart
 * a describes, as the image would draw it.
 */
static int render_text(char **inputs, int n, struct render_args *a) {
	tl_image_format by_name;
	if (a->output && tl_image_format_from_path(a->output, &by_name)) {
		return cli_usage_error("render", "'%s' names a %s file but --format is txt",
				       a->output, tl_image_format_to_string(by_name));
	}
	tl_trace *t = NULL;
	int rc = load_chart(inputs, n, a, &t);
	if (rc != EXIT_OK) {
		return rc;
	}
	bool to_file = a->output && strcmp(a->output, "-") != 0;
	tl_term_opts to = {.width = 100, .max_rows = 40, .ascii = a->ascii, .chart = &a->ro};
	struct winsize ws;
	const char *cols = getenv("COLUMNS");
	if (!to_file && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
		to.width = ws.ws_col;
	} else if (cols && atoi(cols) > 0) {
		to.width = atoi(cols);
	}
	/* Colour only for a terminal, and never when NO_COLOR is set. */
	to.color = !a->ascii && !to_file && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	struct tl_error err = {0};
	tl_status st = to_file ? tl_render_term_file(t, &to, a->output, &err)
			       : tl_render_term(t, &to, stdout, &err);
	tl_trace_free(t);
	if (st != TL_OK) {
		if (!err.path[0]) {
			snprintf(err.path, sizeof(err.path), "%s", inputs[0]);
		}
		return cli_report(&err);
	}
	return EXIT_OK;
}

/*
 * The image's file into a->output (-o, else the first input's name with the
 * format's extension: new in *owned, free() it) and its format into
 * a->ro.format (--format, else told from that name); the two must agree,
 * and no input is overwritten. EXIT_OK or the exit code after saying why.
 */
static int image_output(char **inputs, int n, struct render_args *a, char **owned) {
	if (!a->output) {
		if (strcmp(inputs[0], "-") == 0) {
			return cli_usage_error("render", "reading standard input needs -o OUTPUT");
		}
		a->output = *owned = default_output(inputs[0]);
		if (!*owned) {
			fprintf(stderr, "timeline: out of memory\n");
			return EXIT_INPUT;
		}
		if (a->format_given) {
			/* The default name follows the requested format. */
			strcpy(*owned + strlen(*owned) - 3,
			       tl_image_format_to_string(a->ro.format));
		}
	}
	tl_image_format by_name;
	bool named = strcmp(a->output, "-") != 0 && tl_image_format_from_path(a->output, &by_name);
	if (!a->format_given) {
		if (strcmp(a->output, "-") == 0) {
			return cli_usage_error("render",
					       "writing to standard output needs --format");
		}
		if (!named) {
			return cli_usage_error(
				"render",
				"cannot tell the format from '%s': name it .png, .svg "
				"or .pdf, or give --format",
				a->output);
		}
		a->ro.format = by_name;
	} else if (named && by_name != a->ro.format) {
		return cli_usage_error("render", "'%s' names a %s file but --format is %s",
				       a->output, tl_image_format_to_string(by_name),
				       tl_image_format_to_string(a->ro.format));
	}
	return cli_refuse_overwrite(a->output, inputs, n);
}

/* The chart a describes, drawn to a->output: EXIT_OK or the exit code after saying why. */
static int render_image(char **inputs, int n, struct render_args *a) {
	tl_trace *t = NULL;
	int rc = load_chart(inputs, n, a, &t);
	if (rc != EXIT_OK) {
		return rc;
	}
	a->ro.source = inputs[0];
	struct tl_error err = {0};
	if (tl_render_file(t, &a->ro, a->output, &err) != TL_OK) {
		if (err.code == TL_ERR_USAGE) {
			rc = cli_usage_error("render", "%s", err.msg);
		} else {
			if (!err.path[0]) {
				snprintf(err.path, sizeof(err.path), "%s", inputs[0]);
			}
			rc = cli_report(&err);
		}
	}
	tl_trace_free(t);
	return rc;
}

int cmd_render(int argc, char **argv) {
	struct render_args a = {0};
	tl_render_opts_init(&a.ro);
	cli_input_init(&a.in);
	int rc = parse_args(argc, argv, &a);
	if (rc != EXIT_OK) {
		return rc == -1 ? EXIT_OK : rc;
	}
	int ninputs = argc - optind;
	char **inputs = argv + optind;
	if (ninputs < 1) {
		return cli_usage_error("render", "no input file given");
	}
	rc = clock_axis_align(&a);
	if (rc != EXIT_OK) {
		return rc;
	}
	if (a.text || a.ascii) {
		return render_text(inputs, ninputs, &a);
	}
	char *owned = NULL;
	rc = image_output(inputs, ninputs, &a, &owned);
	if (rc == EXIT_OK) {
		rc = render_image(inputs, ninputs, &a);
	}
	free(owned);
	return rc;
}
