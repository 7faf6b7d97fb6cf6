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
	"      --height PX          canvas height (default 500)\n"
	"      --dpi N              pixels per inch: text size, PNG resolution (default 100)\n"
	"      --scale N            device pixels per pixel for PNG, 2 for HiDPI (default 1)\n"
	"Chart:\n"
	"      --kind auto|gantt|scatter   auto: spans -> Gantt, samples -> scatter,\n"
	"                           both -> both, stacked\n"
	"      --rows job|worker    a row per job, or a lane per worker (default job)\n"
	"      --sort job|start|duration   row order (default job)\n"
	"      --color-by worker|job|status|group|none   (default worker)\n"
	"      --theme light|dark   (default light)\n"
	"      --cols N             panels per row (default: all side by side)\n"
	"      --no-shared-x        give each panel its own time axis\n"
	"      --xlim A:B           time range to draw, seconds ('0.5:2', '0:20ms')\n"
	"      --align start|absolute   several inputs: each from zero (default), or\n"
	"                           at their absolute times (epoch, beginningOfTime)\n"
	"      --title TEXT         figure title (default: the input's title)\n"
	"      --xlabel TEXT        (default: the unit, 'Seconds')\n"
	"      --ylabel TEXT        (default 'Tasks')\n"
	"Input:\n"
	"  -u, --unit s|ms|us|ns    unit of the input's time columns\n"
	"  -I, --input-format auto|csv|joblog|chrome|hyperfine   (default: detected from the "
	"content)\n" CLI_LIMIT_HELP "  -h, --help               show this help\n";

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
	OPT_ALIGN,
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

/* A time for --xlim: seconds, or a number with s, ms, us or ns after it. */
static bool parse_time(const char *s, size_t len, tl_ns *ret) {
	static const struct {
		const char *suffix;
		double ns;
	} units[] = {{"ns", 1}, {"us", 1e3}, {"\xc2\xb5s", 1e3}, {"ms", 1e6}, {"s", 1e9}};
	double mult = 1e9;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t sl = strlen(units[i].suffix);
		if (len > sl && strncmp(s + len - sl, units[i].suffix, sl) == 0) {
			mult = units[i].ns;
			len -= sl;
			break;
		}
	}
	char buf[64];
	if (len == 0 || len >= sizeof(buf)) {
		return false;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	double v;
	if (!parse_double(buf, -9.2e18 / mult, 9.2e18 / mult, &v)) {
		return false;
	}
	*ret = (tl_ns)(v * mult + (v >= 0 ? 0.5 : -0.5));
	return true;
}

static bool parse_xlim(const char *s, tl_ns *lo, tl_ns *hi) {
	const char *colon = strchr(s, ':');
	return colon && parse_time(s, (size_t)(colon - s), lo) &&
	       parse_time(colon + 1, strlen(colon + 1), hi);
}

/* The default output: the input's name with its extension replaced by .png. */
static char *default_output(const char *input) {
	const char *slash = strrchr(input, '/');
	const char *dot = strrchr(input, '.');
	size_t keep = dot && (!slash || dot > slash) && dot != input && dot[-1] != '/'
			      ? (size_t)(dot - input)
			      : strlen(input);
	char *out = malloc(keep + 5);
	if (out) {
		memcpy(out, input, keep);
		memcpy(out + keep, ".png", 5);
	}
	return out;
}

/* Where a trace's time zero is, in epoch nanoseconds; false when it does not say. */
static bool absolute_origin(const tl_trace *t, long double *ret) {
	const char *e = tl_trace_meta_get(t, "epoch_ns");
	const char *b = tl_trace_meta_get(t, "beginning_of_time_us");
	if (e) {
		*ret = strtold(e, NULL);
		return true;
	}
	if (b) {
		*ret = strtold(b, NULL) * 1000.0L;
		return true;
	}
	return false;
}

/*
 * Read every input into one trace. A single input is read as it is; several
 * become groups named after their files, each moved to start at zero
 * (align start) or placed at its absolute time (align absolute: epoch
 * times, clang's beginningOfTime).
 */
static int load_inputs(char **inputs, int n, const tl_read_opts *rdo, bool absolute,
		       tl_trace **ret) {
	struct tl_error err = {0};
	if (n == 1) {
		return tl_read_file(inputs[0], rdo, ret, &err) == TL_OK ? EXIT_OK
									: cli_report(&err);
	}
	tl_trace **all = calloc((size_t)n, sizeof(*all));
	long double *origin = calloc((size_t)n, sizeof(*origin));
	tl_trace *t = tl_trace_new();
	int rc = EXIT_OK;
	if (t) {
		tl_trace_set_limits(t, rdo->max_rows, rdo->max_memory);
	}
	if (!all || !origin || !t) {
		fprintf(stderr, "timeline: out of memory\n");
		rc = EXIT_INPUT;
		goto out;
	}
	long double earliest = 0;
	for (int i = 0; i < n && rc == EXIT_OK; i++) {
		if (tl_read_file(inputs[i], rdo, &all[i], &err) != TL_OK) {
			rc = cli_report(&err);
			break;
		}
		tl_ns lo = 0, hi;
		tl_trace_bounds(all[i], &lo, &hi);
		if (!absolute) {
			tl_trace_shift(all[i], lo, NULL); /* to [0, hi - lo]: cannot fail */
		} else if (!absolute_origin(all[i], &origin[i])) {
			fprintf(stderr,
				"timeline: %s: no absolute time to align by (epoch times or "
				"beginningOfTime); use --align start\n",
				inputs[i]);
			rc = EXIT_INPUT;
		} else if (i == 0 || origin[i] < earliest) {
			earliest = origin[i];
		}
	}
	for (int i = 0; i < n && rc == EXIT_OK; i++) {
		/* A file's beginningOfTime is whatever it says: check before converting. */
		long double d = origin[i] - earliest;
		tl_status st = TL_OK;
		if (absolute && !(d >= 0 && d <= (long double)TL_TIME_MAX)) {
			st = tl_error_set(&err, TL_ERR_INPUT, NULL, 0, 0,
					  "more than 146 years after the earliest input: too far "
					  "apart to align");
		} else if (absolute) {
			st = tl_trace_shift(all[i], -(tl_ns)llroundl(d), &err);
		}
		if (st != TL_OK || tl_trace_merge(t, all[i], inputs[i], &err) != TL_OK) {
			if (!err.path[0]) {
				snprintf(err.path, sizeof(err.path), "%s", inputs[i]);
			}
			rc = cli_report(&err);
		}
	}
out:
	for (int i = 0; all && i < n; i++) {
		tl_trace_free(all[i]);
	}
	free(all);
	free(origin);
	if (rc != EXIT_OK) {
		tl_trace_free(t);
		return rc;
	}
	*ret = t;
	return EXIT_OK;
}

/* -T txt: the terminal preview on standard output (or -o FILE). */
static int render_text(char **inputs, int n, const tl_read_opts *rdo, bool absolute,
		       const char *output, bool ascii) {
	struct tl_error err = {0};
	tl_trace *t = NULL;
	int lrc = load_inputs(inputs, n, rdo, absolute, &t);
	if (lrc != EXIT_OK) {
		return lrc;
	}
	bool to_file = output && strcmp(output, "-") != 0;
	tl_term_opts to = {.width = 100, .max_rows = 40, .ascii = ascii};
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
		{"unit", required_argument, NULL, 'u'},
		{"input-format", required_argument, NULL, 'I'},
		CLI_LIMIT_OPTIONS,
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
		{"align", required_argument, NULL, OPT_ALIGN},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool text = false, ascii = false, absolute = false;
	tl_render_opts ro;
	tl_render_opts_init(&ro);
	tl_read_opts rdo = {0};
	cli_default_limits(&rdo);
	const char *output = NULL;
	bool format_given = false, rows_given = false;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":o:T:u:I:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'T':
			if (strcmp(optarg, "txt") == 0) {
				text = true;
				break;
			}
			if (!tl_image_format_from_string(optarg, &ro.format)) {
				return BAD_VALUE("format", "png, svg or pdf");
			}
			format_given = true;
			break;
		case 'u':
			if (!tl_unit_from_string(optarg, &rdo.unit)) {
				return BAD_VALUE("unit", "s, ms, us or ns");
			}
			break;
		case 'I':
			if (!tl_format_from_string(optarg, &rdo.format)) {
				return BAD_VALUE("input format",
						 "auto, csv, joblog, chrome or hyperfine");
			}
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
				return BAD_VALUE("xlim",
						 "START:END in seconds, like 0:2.5 or 0:20ms");
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
		case OPT_ALIGN:
			if (strcmp(optarg, "start") != 0 && strcmp(optarg, "absolute") != 0) {
				return BAD_VALUE("align", "start or absolute");
			}
			absolute = strcmp(optarg, "absolute") == 0;
			break;
		case CLI_OPT_MAX_ROWS:
		case CLI_OPT_MAX_MEMORY:
			if (cli_limit_option("render", c, optarg, &rdo) != EXIT_OK) {
				return EXIT_USAGE;
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
	if (text || ascii) {
		return render_text(inputs, ninputs, &rdo, absolute, output, ascii);
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
	tl_image_format by_name;
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
	rc = load_inputs(inputs, ninputs, &rdo, absolute, &trace);
	if (rc != EXIT_OK) {
		goto out;
	}
	ro.source = inputs[0];
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
