/*
 * `timeline run`: parse the experiment, run it with tl_run(), write the CSV
 * atomically, print the stats table, and render it when asked. SIGINT and
 * SIGTERM stop the run: running jobs are abandoned, completed ones written,
 * and the exit status is 130.
 */

#include "cli.h"

#include <timeline/render.h>
#include <timeline/run.h>

#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char cmd_run_help[] =
	"Usage: timeline run [OPTIONS] [-- COMMAND [ARG...]]\n"
	"\n"
	"Run J jobs on W workers serially, in a thread pool and in a process pool,\n"
	"recording when each job started and stopped (and, for the live tracker,\n"
	"a timestamp on every iteration). Writes the CSV that 'timeline render'\n"
	"draws, then prints the stats table.\n"
	"\n"
	"Workload:\n"
	"      --workload NAME   cpu: a counting loop of -n iterations (default)\n"
	"                        io: write --size bytes to a file per job\n"
	"                        sleep: wait --latency ms (+ up to --jitter ms)\n"
	"                        dot: dot product of two vectors of -n doubles\n"
	"                        track: a timestamp on each of -n iterations\n"
	"                        exec: run COMMAND per job; {} becomes the job number\n"
	"  -n N                  iterations or vector length (default 10000000)\n"
	"      --size BYTES      io: bytes per job (default 1048576)\n"
	"      --latency MS      sleep: milliseconds (default 100)\n"
	"      --jitter MS       sleep: extra milliseconds, fixed per job (default 0)\n"
	"Pool:\n"
	"      --modes LIST      serial,threads,processes (default threads,processes)\n"
	"      --workers W       workers per pool (default: the number of CPUs)\n"
	"      --jobs J          jobs per mode (default 4)\n"
	"      --repeat R        run each mode R times (default 1)\n"
	"      --gil[=MS]        threads under an emulated GIL handed over every MS ms\n"
	"                        (default 5, CPython's switch interval)\n"
	"      --timeout SECONDS stop a job after this long; recorded as 'timeout'\n"
	"Output:\n"
	"  -o, --output FILE     the results (default results.csv, or results.json\n"
	"                        with --format chrome; '-' for standard output)\n"
	"      --format csv|chrome   CSV, or Chrome trace JSON for Perfetto UI\n"
	"                        (default: from the -o extension, else csv)\n"
	"      --plot OUT        render the results to OUT (.png, .svg or .pdf)\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 all jobs succeeded, 3 some failed or never ran, 130 interrupted,\n"
	"1 I/O error, 2 bad command line.\n";

enum {
	OPT_WORKLOAD = 256,
	OPT_SIZE,
	OPT_LATENCY,
	OPT_JITTER,
	OPT_MODES,
	OPT_WORKERS,
	OPT_JOBS,
	OPT_REPEAT,
	OPT_GIL,
	OPT_TIMEOUT,
	OPT_FORMAT,
	OPT_PLOT,
};

static atomic_int stop_flag;

static void on_stop(int sig) {
	(void)sig;
	atomic_store(&stop_flag, 1);
}

static bool number(const char *s, double lo, double hi, double *ret) {
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end || !(v >= lo && v <= hi)) {
		return false;
	}
	*ret = v;
	return true;
}

static bool integer(const char *s, long long lo, long long hi, long long *ret) {
	char *end;
	long long v = strtoll(s, &end, 10);
	if (end == s || *end || v < lo || v > hi) {
		return false;
	}
	*ret = v;
	return true;
}

static bool parse_modes(const char *s, tl_run_opts *o) {
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", s);
	o->nmodes = 0;
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		tl_mode m;
		if (o->nmodes == TL_MODE_COUNT || !tl_mode_from_string(tok, &m)) {
			return false;
		}
		o->modes[o->nmodes++] = m;
	}
	return o->nmodes > 0;
}

static void progress(void *ctx, tl_mode mode, int done, int total, tl_ns elapsed) {
	(void)ctx;
	fprintf(stderr, "\r%-10s %d/%d jobs  %.1f s ", tl_mode_to_string(mode), done, total,
		(double)elapsed / 1e9);
	if (done == total) {
		fputc('\n', stderr);
	}
}

#define BAD(what, expected) cli_usage_error("run", "invalid %s '%s' (%s)", what, optarg, expected)

int cmd_run(int argc, char **argv) {
	static const struct option opts[] = {
		{"workload", required_argument, NULL, OPT_WORKLOAD},
		{"size", required_argument, NULL, OPT_SIZE},
		{"latency", required_argument, NULL, OPT_LATENCY},
		{"jitter", required_argument, NULL, OPT_JITTER},
		{"modes", required_argument, NULL, OPT_MODES},
		{"workers", required_argument, NULL, OPT_WORKERS},
		{"jobs", required_argument, NULL, OPT_JOBS},
		{"repeat", required_argument, NULL, OPT_REPEAT},
		{"gil", optional_argument, NULL, OPT_GIL},
		{"timeout", required_argument, NULL, OPT_TIMEOUT},
		{"output", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, OPT_FORMAT},
		{"plot", required_argument, NULL, OPT_PLOT},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	tl_run_opts o;
	tl_run_opts_init(&o);
	const char *output = NULL, *plot = NULL;
	tl_format out_format = TL_FORMAT_AUTO;
	long long v;
	double d;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+:n:o:h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_WORKLOAD:
			if (!tl_workload_from_string(optarg, &o.workload)) {
				return BAD("workload", "cpu, io, sleep, dot, track or exec");
			}
			break;
		case 'n':
			if (!integer(optarg, 1, INT64_MAX, &v)) {
				return BAD("n", "a whole number of at least 1");
			}
			o.n = v;
			break;
		case OPT_SIZE:
			if (!integer(optarg, 0, INT64_MAX, &v)) {
				return BAD("size", "bytes");
			}
			o.size = v;
			break;
		case OPT_LATENCY:
			if (!number(optarg, 0, 86400000, &o.latency_ms)) {
				return BAD("latency", "milliseconds");
			}
			break;
		case OPT_JITTER:
			if (!number(optarg, 0, 86400000, &o.jitter_ms)) {
				return BAD("jitter", "milliseconds");
			}
			break;
		case OPT_MODES:
			if (!parse_modes(optarg, &o)) {
				return BAD("modes", "a list of serial, threads and processes");
			}
			break;
		case OPT_WORKERS:
			if (!integer(optarg, 0, 4096, &v) || v == 0) {
				return BAD("workers", "1 to 4096");
			}
			o.workers = (int)v;
			break;
		case OPT_JOBS:
			if (!integer(optarg, 0, 10000000, &v) || v == 0) {
				return BAD("jobs", "1 to 10000000");
			}
			o.jobs = (int)v;
			break;
		case OPT_REPEAT:
			if (!integer(optarg, 1, 1000, &v)) {
				return BAD("repeat", "1 to 1000");
			}
			o.repeat = (int)v;
			break;
		case OPT_GIL:
			o.gil_ms = 5;
			if (optarg && !number(optarg, 0.001, 10000, &o.gil_ms)) {
				return BAD("gil", "milliseconds");
			}
			break;
		case OPT_TIMEOUT:
			if (!number(optarg, 0.000001, 31536000, &d)) {
				return BAD("timeout", "seconds");
			}
			o.timeout_s = d;
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "csv") == 0) {
				out_format = TL_FORMAT_CSV;
			} else if (strcmp(optarg, "chrome") == 0) {
				out_format = TL_FORMAT_CHROME;
			} else {
				return BAD("format", "csv or chrome");
			}
			break;
		case OPT_PLOT:
			plot = optarg;
			break;
		case 'h':
			fputs(cmd_run_help, stdout);
			return EXIT_OK;
		default:
			return cli_bad_option("run", c, argv);
		}
	}
	if (optind < argc && strcmp(argv[optind - 1], "--") != 0) {
		return cli_usage_error("run", "unexpected argument '%s' (a command goes after --)",
				       argv[optind]);
	}
	o.argv = optind < argc ? argv + optind : NULL;
	if (o.argv && o.workload != TL_WORK_EXEC) {
		if (o.workload != TL_WORK_CPU) {
			return cli_usage_error("run", "a command after -- needs --workload exec");
		}
		o.workload = TL_WORK_EXEC;
	}
	tl_image_format plot_format = TL_IMAGE_PNG;
	if (plot && !tl_image_format_from_path(plot, &plot_format)) {
		return cli_usage_error("run",
				       "cannot tell the format from '%s': name it .png, .svg or "
				       ".pdf",
				       plot);
	}
	if (!output) {
		output = out_format == TL_FORMAT_CHROME ? "results.json" : "results.csv";
	}
	if (plot && strcmp(plot, "-") != 0 && strcmp(output, "-") != 0) {
		struct stat a, b;
		if (strcmp(plot, output) == 0 || (stat(plot, &a) == 0 && stat(output, &b) == 0 &&
						  a.st_dev == b.st_dev && a.st_ino == b.st_ino)) {
			return cli_usage_error("run", "--plot and -o name the same file '%s'",
					       plot);
		}
	}
	/* Find out now, not after the jobs ran, that the results cannot be written. */
	int rc = cli_check_output(output);
	if (rc == EXIT_OK && plot) {
		rc = cli_check_output(plot);
	}
	if (rc != EXIT_OK) {
		return rc;
	}
	o.stop = &stop_flag;
	if (isatty(STDERR_FILENO)) {
		o.progress = progress;
	}
	struct sigaction sa = {.sa_handler = on_stop};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	struct tl_error err = {0};
	tl_trace *t = NULL;
	size_t failed = 0;
	tl_status st = tl_run(&o, &t, &failed, &err);
	if (st != TL_OK) {
		return err.code == TL_ERR_USAGE ? cli_usage_error("run", "%s", err.msg)
						: cli_report(&err);
	}
	if (tl_write_file(t, output, out_format, &err) != TL_OK) {
		rc = cli_report(&err);
	}
	if (rc == EXIT_OK && strcmp(output, "-") != 0) {
		rc = cli_stats_table(t);
	}
	if (rc == EXIT_OK && plot) {
		tl_render_opts ro;
		tl_render_opts_init(&ro);
		ro.format = plot_format;
		ro.source = output;
		if (tl_render_file(t, &ro, plot, &err) != TL_OK) {
			rc = cli_report(&err);
		}
	}
	const char *nr = t ? tl_trace_meta_get(t, "jobs_not_run") : NULL;
	size_t not_run = nr ? strtoul(nr, NULL, 10) : 0;
	tl_trace_free(t);
	if (rc == EXIT_OK && atomic_load(&stop_flag)) {
		fprintf(stderr, "timeline: run: interrupted; completed jobs written to %s\n",
			output);
		return EXIT_INTERRUPTED;
	}
	if (rc == EXIT_OK && not_run) {
		fprintf(stderr,
			"timeline: run: %zu job%s failed; %zu of them never ran: every worker "
			"process died\n",
			failed, failed == 1 ? "" : "s", not_run);
		return EXIT_JOBS_FAILED;
	}
	if (rc == EXIT_OK && failed) {
		fprintf(stderr, "timeline: run: %zu job%s failed\n", failed,
			failed == 1 ? "" : "s");
		return EXIT_JOBS_FAILED;
	}
	return rc;
}
