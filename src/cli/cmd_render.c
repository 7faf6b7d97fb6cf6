/*
 * `timeline render INPUT... [-o OUTPUT]`: read traces, pick the output and
 * its format, and hand over to tl_render_file(). The format is never
 * switched silently: an -o extension that disagrees with --format is an
 * error, and an input file is never overwritten.
 */

#include "cli.h"

#include <timeline/render.h>

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <errno.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

const char cmd_render_help[] =
	"Usage: timeline render [OPTIONS] INPUT... [-o OUTPUT]\n"
	"\n"
	"Draw a trace: Gantt bars for spans, a scatter timeline for samples, one\n"
	"panel per group side by side on one shared time axis. Several inputs are\n"
	"drawn as separate groups named after their files.\n"
	"\n"
	"Output:\n"
	"  -o, --output FILE        output file; '-' is standard output (needs -T);\n"
	"                           default: the first input with .png\n"
	"  -T, --format png|svg|pdf|txt   default: from the -o extension; txt draws\n"
	"                           the chart as text on standard output (a quick\n"
	"                           look over SSH), sized to the terminal\n"
	"      --ascii              txt in plain ASCII, no colour\n"
	"      --width PX           canvas width in pixels at --dpi (default 1200)\n"
	"      --height PX          canvas height (default: from the rows, 500 and up)\n"
	"      --dpi N              pixels per inch: text size, PNG resolution (default 100)\n"
	"      --scale N            device pixels per pixel for PNG, 2 for HiDPI (default 1)\n"
	"Chart:\n"
	"      --kind auto|gantt|scatter   auto: spans -> Gantt, samples -> scatter,\n"
	"                           both -> both, stacked; gantt of samples: each job\n"
	"                           from its first sample to its last\n"
	"      --rows job|worker    a row per job, or a lane per worker (default job)\n"
	"      --sort job|start|duration   row order (default job)\n"
	"      --color-by worker|job|status|group|none   (default worker)\n"
	"      --theme light|dark   (default light)\n"
	"      --span-labels auto|none|all   span names inside bars wide enough for\n"
	"                           them; auto: names that say more than the row's\n"
	"                           label (Chrome trace events, joblog commands in\n"
	"                           lanes); all: every span (default auto)\n"
	"      --time-axis elapsed|clock   time from the trace's start (default), or\n"
	"                           the wall-clock time of day, for dates and times\n"
	"                           (groups stay where they ran: --align absolute)\n"
	"      --panels auto|group|one   a panel per group, or all in one (auto: one\n"
	"                           when 8 or more groups ran at the same time, as a\n"
	"                           workflow's processes or Spark's stages)\n"
	"      --show-wait          each job's queue wait (submit to start: Slurm,\n"
	"                           Nextflow) as a pale lead-in to its bar\n"
	"      --cols N             panels per row (default: as many as fit, balanced)\n"
	"      --no-shared-x        give each panel its own time axis\n"
	"      --xlim A:B           time range to draw, seconds or with units ('0.5:2',\n"
	"                           '0:20ms', '1h:2h 30min')\n"
	"      --baseline GROUP     the group speedups are against (default: the one\n"
	"                           named 'serial', else the first)\n"
	"      --title TEXT         figure title (default: the input's title)\n"
	"      --xlabel TEXT        (default: the unit, 'Seconds')\n"
	"      --ylabel TEXT        (default 'Tasks')\n"
	"Input:\n" CLI_INPUT_HELP
	"  -v, --verbose            say how the input was read: columns, units, rows\n"
	"                           skipped\n"
	"  -h, --help               show this help\n";

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

static bool parse_int(const char *s, int lo, int hi, int *ret) {
	char *end;
	long v = strtol(s, &end, 10);
	if (end == s || *end || v < lo || v > hi) {
		return false;
	}
	*ret = (int)v;
	return true;
}

static bool parse_double(const char *s, double lo, double hi, double *ret) {
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end || !(v >= lo && v <= hi)) {
		return false;
	}
	*ret = v;
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

/*
 * -T txt: the terminal preview on standard output (or -o FILE), of the chart
 * ro describes, as the image would draw it.
 */
static int render_text(char **inputs, int n, struct cli_input *in, const char *output, bool ascii,
		       tl_render_opts *ro, bool rows_given) {
	struct tl_error err = {0};
	tl_trace *t = NULL;
	int lrc = cli_load(inputs, n, in, &t);
	if (lrc != EXIT_OK) {
		return lrc;
	}
	if (ro->baseline && !cli_has_group(t, ro->baseline)) {
		tl_trace_free(t);
		return cli_usage_error("render", "--baseline: no group '%s'", ro->baseline);
	}
	/* Readers of per-thread traces ask for a lane per worker unless --rows says otherwise. */
	const char *hint = tl_trace_meta_get(t, "rows");
	if (!rows_given && hint && strcmp(hint, "worker") == 0) {
		ro->rows = TL_ROWS_WORKER;
	}
	bool to_file = output && strcmp(output, "-") != 0;
	tl_term_opts to = {.width = 100, .max_rows = 40, .ascii = ascii, .chart = ro};
	struct winsize ws;
	const char *cols = getenv("COLUMNS");
	if (!to_file && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
		to.width = ws.ws_col;
	} else if (cols && atoi(cols) > 0) {
		to.width = atoi(cols);
	}
	/* Colour only for a terminal, and never when NO_COLOR is set. */
	to.color = !ascii && !to_file && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	tl_status st = to_file ? tl_render_term_file(t, &to, output, &err)
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

#define BAD_VALUE(what, expected)                                                                  \
	cli_usage_error("render", "invalid %s '%s' (%s)", what, optarg, expected)

int cmd_render(int argc, char **argv) {
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, 'T'},
		CLI_INPUT_OPTIONS,
		{"verbose", no_argument, NULL, 'v'},
		{"width", required_argument, NULL, OPT_WIDTH},
		{"height", required_argument, NULL, OPT_HEIGHT},
		{"dpi", required_argument, NULL, OPT_DPI},
		{"scale", required_argument, NULL, OPT_SCALE},
		{"kind", required_argument, NULL, OPT_KIND},
		{"rows", required_argument, NULL, OPT_ROWS},
		{"sort", required_argument, NULL, OPT_SORT},
		{"color-by", required_argument, NULL, OPT_COLOR},
		{"theme", required_argument, NULL, OPT_THEME},
		{"cols", required_argument, NULL, OPT_COLS},
		{"no-shared-x", no_argument, NULL, OPT_FREE_X},
		{"xlim", required_argument, NULL, OPT_XLIM},
		{"title", required_argument, NULL, OPT_TITLE},
		{"xlabel", required_argument, NULL, OPT_XLABEL},
		{"ylabel", required_argument, NULL, OPT_YLABEL},
		{"ascii", no_argument, NULL, OPT_ASCII},
		{"baseline", required_argument, NULL, OPT_BASELINE},
		{"span-labels", required_argument, NULL, OPT_SPAN_LABELS},
		{"panels", required_argument, NULL, OPT_PANELS},
		{"show-wait", no_argument, NULL, OPT_SHOW_WAIT},
		{"time-axis", required_argument, NULL, OPT_TIME_AXIS},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool text = false, ascii = false;
	tl_render_opts ro;
	tl_render_opts_init(&ro);
	struct cli_input in;
	cli_input_init(&in);
	const char *output = NULL;
	bool format_given = false, rows_given = false;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":o:T:u:I:vh", opts, NULL)) != -1) {
		int irc = cli_input_option("render", c, optarg, &in);
		if (irc != CLI_NOT_MINE) {
			if (irc != EXIT_OK) {
				return irc;
			}
			continue;
		}
		switch (c) {
		case 'v':
			in.verbose = true;
			break;
		case 'o':
			output = optarg;
			break;
		case 'T':
			if (strcmp(optarg, "txt") == 0) {
				text = true;
				break;
			}
			if (!tl_image_format_from_string(optarg, &ro.format)) {
				return BAD_VALUE("format", "png, svg, pdf or txt");
			}
			format_given = true;
			break;
		case OPT_WIDTH:
			if (!parse_int(optarg, 1, TL_RENDER_MAX_SIDE, &ro.width)) {
				return BAD_VALUE("width", "1 to 20000 pixels");
			}
			break;
		case OPT_HEIGHT:
			if (!parse_int(optarg, 1, TL_RENDER_MAX_SIDE, &ro.height)) {
				return BAD_VALUE("height", "1 to 20000 pixels");
			}
			break;
		case OPT_DPI:
			if (!parse_double(optarg, 10, 2400, &ro.dpi)) {
				return BAD_VALUE("dpi", "10 to 2400");
			}
			break;
		case OPT_SCALE:
			if (!parse_double(optarg, 0.25, 8, &ro.scale)) {
				return BAD_VALUE("scale", "0.25 to 8");
			}
			break;
		case OPT_KIND:
			if (!tl_chart_kind_from_string(optarg, &ro.kind)) {
				return BAD_VALUE("kind", "auto, gantt or scatter");
			}
			break;
		case OPT_ROWS:
			if (!tl_rows_from_string(optarg, &ro.rows)) {
				return BAD_VALUE("rows", "job or worker");
			}
			rows_given = true;
			break;
		case OPT_SORT:
			if (!tl_sort_from_string(optarg, &ro.sort)) {
				return BAD_VALUE("sort", "job, start or duration");
			}
			break;
		case OPT_COLOR:
			if (!tl_color_by_from_string(optarg, &ro.color_by)) {
				return BAD_VALUE("color-by", "worker, job, status, group or none");
			}
			break;
		case OPT_THEME:
			if (!tl_theme_from_string(optarg, &ro.theme)) {
				return BAD_VALUE("theme", "light or dark");
			}
			break;
		case OPT_COLS:
			if (!parse_int(optarg, 1, 64, &ro.cols)) {
				return BAD_VALUE("cols", "1 to 64");
			}
			break;
		case OPT_FREE_X:
			ro.free_x = true;
			break;
		case OPT_XLIM:
			if (!parse_xlim(optarg, &ro.xlim_lo, &ro.xlim_hi)) {
				return BAD_VALUE("xlim", "START:END in seconds or with units, like "
							 "0:2.5, 0:20ms or 1h:2h 30min");
			}
			if (ro.xlim_hi <= ro.xlim_lo) {
				return cli_usage_error(
					"render",
					"invalid xlim '%s' (the end must be after the "
					"start)",
					optarg);
			}
			ro.has_xlim = true;
			break;
		case OPT_TITLE:
			ro.title = optarg;
			break;
		case OPT_XLABEL:
			ro.xlabel = optarg;
			break;
		case OPT_YLABEL:
			ro.ylabel = optarg;
			break;
		case OPT_ASCII:
			ascii = true;
			break;
		case OPT_BASELINE:
			ro.baseline = optarg;
			break;
		case OPT_SPAN_LABELS:
			if (!tl_span_labels_from_string(optarg, &ro.span_labels)) {
				return BAD_VALUE("span-labels", "auto, none or all");
			}
			break;
		case OPT_SHOW_WAIT:
			ro.show_wait = true;
			break;
		case OPT_PANELS:
			if (!tl_panels_from_string(optarg, &ro.panels)) {
				return BAD_VALUE("panels", "auto, group or one");
			}
			break;
		case OPT_TIME_AXIS:
			if (!tl_time_axis_from_string(optarg, &ro.time_axis)) {
				return BAD_VALUE("time-axis", "elapsed or clock");
			}
			break;
		case 'h':
			fputs(cmd_render_help, stdout);
			return EXIT_OK;
		default:
			return cli_bad_option("render", c, argv);
		}
	}
	int ninputs = argc - optind;
	char **inputs = argv + optind;
	if (ninputs < 1) {
		return cli_usage_error("render", "no input file given");
	}
	if ((text || ascii) && ro.time_axis == TL_TIME_AXIS_CLOCK) {
		return cli_usage_error("render", "--time-axis clock is drawn in images only: the "
						 "text preview's axis is the time elapsed");
	}
	if (ro.time_axis == TL_TIME_AXIS_CLOCK && !in.align_given) {
		/* Times of day are read off each group's own clock: groups stay where they ran. */
		in.ro.align = TL_TIMES_ABSOLUTE;
		in.clock_axis = true;
	} else if (ro.time_axis == TL_TIME_AXIS_CLOCK && in.ro.align != TL_TIMES_ABSOLUTE) {
		return cli_usage_error("render",
				       "--time-axis clock shows when each group ran: "
				       "with --align %s its groups would not be at their "
				       "times of day (drop --align, or --align absolute)",
				       in.ro.align == TL_TIMES_START ? "start" : "auto");
	}
	tl_image_format by_name;
	if ((text || ascii) && output && tl_image_format_from_path(output, &by_name)) {
		return cli_usage_error("render", "'%s' names a %s file but --format is txt", output,
				       tl_image_format_to_string(by_name));
	}
	if (text || ascii) {
		return render_text(inputs, ninputs, &in, output, ascii, &ro, rows_given);
	}
	char *owned = NULL;
	if (!output) {
		if (strcmp(inputs[0], "-") == 0) {
			return cli_usage_error("render", "reading standard input needs -o OUTPUT");
		}
		output = owned = default_output(inputs[0]);
		if (!output) {
			fprintf(stderr, "timeline: out of memory\n");
			return EXIT_INPUT;
		}
		if (format_given) {
			/* The default name follows the requested format. */
			strcpy(owned + strlen(owned) - 3, tl_image_format_to_string(ro.format));
		}
	}
	bool named = strcmp(output, "-") != 0 && tl_image_format_from_path(output, &by_name);
	int rc = EXIT_OK;
	if (!format_given) {
		if (strcmp(output, "-") == 0) {
			rc = cli_usage_error("render", "writing to standard output needs --format");
			goto out;
		}
		if (!named) {
			rc = cli_usage_error("render",
					     "cannot tell the format from '%s': name it .png, .svg "
					     "or .pdf, or give --format",
					     output);
			goto out;
		}
		ro.format = by_name;
	} else if (named && by_name != ro.format) {
		rc = cli_usage_error("render", "'%s' names a %s file but --format is %s", output,
				     tl_image_format_to_string(by_name),
				     tl_image_format_to_string(ro.format));
		goto out;
	}
	rc = cli_refuse_overwrite(output, inputs, ninputs);
	if (rc != EXIT_OK) {
		goto out;
	}

	struct tl_error err = {0};
	tl_trace *trace = NULL;
	rc = cli_load(inputs, ninputs, &in, &trace);
	if (rc != EXIT_OK) {
		goto out;
	}
	ro.source = inputs[0];
	if (ro.baseline && !cli_has_group(trace, ro.baseline)) {
		rc = cli_usage_error("render", "--baseline: no group '%s'", ro.baseline);
		tl_trace_free(trace);
		goto out;
	}
	/* Readers of per-thread traces ask for a lane per worker unless --rows says otherwise. */
	const char *hint = tl_trace_meta_get(trace, "rows");
	if (!rows_given && hint && strcmp(hint, "worker") == 0) {
		ro.rows = TL_ROWS_WORKER;
	}
	if (tl_render_file(trace, &ro, output, &err) != TL_OK) {
		if (!err.path[0] && err.code != TL_ERR_USAGE) {
			snprintf(err.path, sizeof(err.path), "%s", inputs[0]);
		}
		if (err.code == TL_ERR_USAGE) {
			rc = cli_usage_error("render", "%s", err.msg);
		} else {
			rc = cli_report(&err);
		}
	}
	tl_trace_free(trace);
out:
	free(owned);
	return rc;
}
