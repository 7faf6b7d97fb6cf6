/*
 * `timeline run`: parse the experiment, run it with tl_run(), write the CSV
 * atomically, print the stats table, and render it when asked. SIGINT,
 * SIGTERM and SIGHUP stop the run: running jobs are abandoned (interrupted,
 * not failed), completed ones written with the file marked interrupted, and
 * the exit status is 130.
 */

#include "cli.h"

#include "../util/arg.h"

#include <timeline/render.h>
#include <timeline/run.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	OPT_TITLE,
	OPT_LARGE_OUTPUT,
};

CLI_WORDS(workload_word, tl_workload_to_string, tl_workload, 0, TL_WORK_COUNT)

static const struct cli_option options[] = {
	{.text = "Usage: timeline run [OPTIONS] [-- COMMAND [ARG...]]\n"
		 "\n"
		 "Run J jobs on W workers serially, in a thread pool and in a process pool,\n"
		 "recording when each job started and stopped (and, for the live tracker,\n"
		 "a timestamp on every iteration). Writes the CSV that 'timeline render'\n"
		 "draws, then prints the stats table.\n"
		 "\n"
		 "Workload:\n"},
	{OPT_WORKLOAD, 0, "workload", required_argument, .word = workload_word,
	 .help = "cpu: a counting loop of -n iterations (default)\n"
		 "io: write --size bytes to a file per job\n"
		 "sleep: wait --latency ms (+ up to --jitter ms)\n"
		 "dot: dot product of two vectors of -n doubles\n"
		 "track: a timestamp on each of -n iterations\n"
		 "exec: run COMMAND per job; {} becomes the job number"},
	{'n', 'n', NULL, required_argument, "N", .expect = "a whole number of at least 1",
	 .help = "cpu: iterations (default 100000000); dot: doubles per\n"
		 "vector (default 10000000); track: timestamps per job\n"
		 "(default 1000000)"},
	{OPT_SIZE, 0, "size", required_argument, "BYTES", .expect = "bytes",
	 .help = "io: bytes per job (default 1048576)"},
	{OPT_LATENCY, 0, "latency", required_argument, "MS", .expect = "milliseconds",
	 .help = "sleep: milliseconds (default 100)"},
	{OPT_JITTER, 0, "jitter", required_argument, "MS", .expect = "milliseconds",
	 .help = "sleep: extra milliseconds, fixed per job (default 0)"},
	{.text = "Pool:\n"},
	{OPT_MODES, 0, "modes", required_argument, "LIST",
	 .expect = "a list of serial, threads and processes, each once",
	 .help = "serial,threads,processes (default threads,processes;\n"
		 "processes for exec)"},
	{OPT_WORKERS, 0, "workers", required_argument, "W", .expect = "1 to 4096",
	 .help = "workers per pool (default: the number of CPUs)"},
	{OPT_JOBS, 0, "jobs", required_argument, "J", .expect = "1 to 10000000",
	 .help = "jobs per mode (default 4)"},
	{OPT_REPEAT, 0, "repeat", required_argument, "R", .expect = "1 to 1000",
	 .help = "run each mode R times (default 1)"},
	{OPT_GIL, 0, "gil", optional_argument, "MS", .expect = "milliseconds",
	 .help = "threads under an emulated GIL handed over every MS ms\n"
		 "(default 5, CPython's switch interval)"},
	{OPT_TIMEOUT, 0, "timeout", required_argument, "SECONDS", .expect = "seconds",
	 .help = "stop a job after this long; recorded as 'timeout'"},
	{.text = "Output:\n"},
	{'o', 'o', "output", required_argument, "FILE",
	 .help = "the results (default results.csv, or results.json\n"
		 "with --format chrome; '-' for standard output)"},
	{OPT_FORMAT, 0, "format", required_argument, .word = cli_written_format_word,
	 .help = "CSV, or Chrome trace JSON for Perfetto UI\n"
		 "(default: from the -o extension, else csv)"},
	{OPT_PLOT, 0, "plot", required_argument, "OUT",
	 .help = "render the results to OUT (.png, .svg or .pdf)"},
	{OPT_TITLE, 0, "title", required_argument, "TEXT",
	 .help = "the chart's title (with --plot; default: none)"},
	{OPT_LARGE_OUTPUT, 0, "large-output", no_argument,
	 .help = "write over 1 GB of samples all the same"},
	{'h', 'h', "help", no_argument, .help = "show this help"},
	{.text = "\n"
		 "Outputs named .gz, .zst or .xz are compressed (zstd: about a sixteenth of\n"
		 "the live tracker's CSV); render and stats read them as they are.\n"
		 "\n"
		 "Exit status: 0 all jobs succeeded, 3 some failed or never ran, 130 interrupted,\n"
		 "1 I/O error, 2 bad command line.\n"},
	{0},
};

const struct cli_spec cmd_run_spec = {"run", options, 24, true};

static atomic_int stop_flag;

static void on_stop(int sig) {
	(void)sig;
	atomic_store(&stop_flag, 1);
}

/* Each of serial, threads, processes at most once, in the order given. */
static bool parse_modes(const char *s, tl_run_opts *o) {
	o->nmodes = 0;
	bool seen[TL_MODE_COUNT] = {false};
	for (const char *p = s;;) {
		size_t len = strcspn(p, ",");
		char tok[16];
		tl_mode m;
		if (len == 0 || len >= sizeof(tok)) {
			return false;
		}
		memcpy(tok, p, len);
		tok[len] = '\0';
		if (!tl_mode_from_string(tok, &m) || seen[m]) {
			return false;
		}
		seen[m] = true;
		o->modes[o->nmodes++] = m;
		if (!p[len]) {
			return true;
		}
		p += len + 1;
	}
}

static void progress(void *ctx, tl_mode mode, int done, int total, tl_ns elapsed) {
	(void)ctx;
	fprintf(stderr, "\r%-10s %d/%d jobs  %.1f s ", tl_mode_to_string(mode), done, total,
		(double)elapsed / 1e9);
	if (done == total) {
		fputc('\n', stderr);
	}
}

/*
 * true when a and b name one file: the same string, the same existing file,
 * or the same name in the same (existing) folder.
 */
static bool same_file(const char *a, const char *b) {
	struct stat sa, sb;
	if (strcmp(a, b) == 0 || (stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
				  sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino)) {
		return true;
	}
	char *da = strdup(a), *db = strdup(b), *ba = strdup(a), *bb = strdup(b);
	bool same = false;
	if (da && db && ba && bb && strcmp(basename(ba), basename(bb)) == 0 &&
	    stat(dirname(da), &sa) == 0 && stat(dirname(db), &sb) == 0) {
		same = sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	}
	free(ba);
	free(bb);
	free(da);
	free(db);
	return same;
}

/* Options that belong to some workloads only, as bits of `given`. */
enum {
	GIVEN_N = 1 << 0,
	GIVEN_SIZE = 1 << 1,
	GIVEN_LATENCY = 1 << 2,
	GIVEN_JITTER = 1 << 3,
	GIVEN_TIMEOUT = 1 << 4,
};

static const struct {
	unsigned bit;
	const char *name;
	unsigned workloads; /* bits of 1 << tl_workload */
	const char *which;
} applies[] = {
	{GIVEN_N, "-n", 1u << TL_WORK_CPU | 1u << TL_WORK_DOT | 1u << TL_WORK_TRACK,
	 "cpu, dot and track"},
	{GIVEN_SIZE, "--size", 1u << TL_WORK_IO, "io"},
	{GIVEN_LATENCY, "--latency", 1u << TL_WORK_SLEEP, "sleep"},
	{GIVEN_JITTER, "--jitter", 1u << TL_WORK_SLEEP, "sleep"},
	{GIVEN_TIMEOUT, "--timeout",
	 1u << TL_WORK_CPU | 1u << TL_WORK_SLEEP | 1u << TL_WORK_TRACK | 1u << TL_WORK_EXEC,
	 "cpu, sleep, track and exec"},
};

/* EXIT_OK, or EXIT_USAGE naming an option given that the workload ignores. */
static int check_applies(tl_workload w, unsigned given) {
	for (size_t i = 0; i < sizeof(applies) / sizeof(applies[0]); i++) {
		if ((given & applies[i].bit) && !(applies[i].workloads & (1u << w))) {
			return cli_usage_error(
				"run", "%s does not apply to the %s workload: it is for %s",
				applies[i].name, tl_workload_to_string(w), applies[i].which);
		}
	}
	return EXIT_OK;
}

/* Bytes a CSV line of one tracker sample takes, about: "sample,threads,0,0,0.060021493,,,". */
#define SAMPLE_LINE_BYTES 34
/* Past this the user is told; past LARGE_REFUSE, asked to say so. */
#define LARGE_WARN (256ULL << 20)
#define LARGE_REFUSE (1ULL << 30)

/*
 * The live tracker writes a line per timestamp: warn before writing more
 * than LARGE_WARN, refuse past LARGE_REFUSE unless --large-output; a
 * compressed output (.gz, .zst, .xz) counts a tenth of its lines' size.
 */
static int check_output_size(const tl_run_opts *o, const char *output, bool large) {
	if (o->workload != TL_WORK_TRACK) {
		return EXIT_OK;
	}
	int64_t n = o->n ? o->n : tl_workload_default_n(o->workload);
	double lines = (double)n * o->jobs * o->nmodes * o->repeat;
	bool packed = cli_packed_suffix(output) > 0;
	double bytes = lines * SAMPLE_LINE_BYTES / (packed ? 10 : 1);
	char size[32];
	if (bytes >= 1e9) {
		snprintf(size, sizeof(size), "%.1f GB", bytes / 1e9);
	} else {
		snprintf(size, sizeof(size), "%.0f MB", bytes / 1e6);
	}
	if (bytes > (double)LARGE_REFUSE && !large) {
		return cli_usage_error("run",
				       "%.0f samples would make about %s of %s: name it .zst to "
				       "compress it, lower -n or --jobs, or give --large-output",
				       lines, size, output);
	}
	if (bytes > (double)LARGE_WARN && !packed && strcmp(output, "-") != 0) {
		fprintf(stderr,
			"timeline: run: %.0f samples make about %s of %s; name it .zst to write "
			"a sixteenth of that\n",
			lines, size, output);
	}
	return EXIT_OK;
}

#define BAD(key) cli_bad_value("run", options, key, optarg)

/* What the command line asks of run. */
struct run_args {
	tl_run_opts o;
	const char *output, *plot, *title;
	unsigned given; /* GIVEN_ bits */
	bool modes_given, large_output;
	tl_format out_format;
	tl_image_format plot_format; /* of --plot, from its name */
};

/* The workload and its sizes into a: EXIT_OK, EXIT_USAGE after saying why, or CLI_NOT_MINE. */
static int workload_option(int c, struct run_args *a) {
	long long v;
	double d;
	switch (c) {
	case OPT_WORKLOAD:
		if (!tl_workload_from_string(optarg, &a->o.workload)) {
			return BAD(c);
		}
		break;
	case 'n':
		if (!tl_arg_integer(optarg, 1, INT64_MAX, &v)) {
			return BAD(c);
		}
		a->o.n = v;
		a->given |= GIVEN_N;
		break;
	case OPT_SIZE:
		if (!tl_arg_integer(optarg, 0, INT64_MAX, &v)) {
			return BAD(c);
		}
		a->o.size = v;
		a->given |= GIVEN_SIZE;
		break;
	case OPT_LATENCY:
		if (!tl_arg_decimal(optarg, 0, 86400000, &d)) {
			return BAD(c);
		}
		a->o.latency = (tl_ns)(d * 1e6);
		a->given |= GIVEN_LATENCY;
		break;
	case OPT_JITTER:
		if (!tl_arg_decimal(optarg, 0, 86400000, &d)) {
			return BAD(c);
		}
		a->o.jitter = (tl_ns)(d * 1e6);
		a->given |= GIVEN_JITTER;
		break;
	case OPT_TIMEOUT:
		if (!tl_arg_decimal(optarg, 0.000001, 31536000, &d)) {
			return BAD(c);
		}
		a->o.timeout = (tl_ns)(d * 1e9);
		a->given |= GIVEN_TIMEOUT;
		break;
	default:
		return CLI_NOT_MINE;
	}
	return EXIT_OK;
}

/* Options into a; EXIT_OK, -1 after printing the help, or the exit code after saying why. */
static int parse_args(int argc, char **argv, struct run_args *a) {
	struct cli_parser p;
	cli_parser_init(&p, &cmd_run_spec);
	long long v;
	double d;
	int c;
	while ((c = cli_next_option(&p, argc, argv)) != -1) {
		int rc = workload_option(c, a);
		if (rc != CLI_NOT_MINE) {
			if (rc != EXIT_OK) {
				return rc;
			}
			continue;
		}
		switch (c) {
		case OPT_MODES:
			if (!parse_modes(optarg, &a->o)) {
				return BAD(c);
			}
			a->modes_given = true;
			break;
		case OPT_WORKERS:
			if (!tl_arg_integer(optarg, 1, 4096, &v)) {
				return BAD(c);
			}
			a->o.workers = (int)v;
			break;
		case OPT_JOBS:
			if (!tl_arg_integer(optarg, 1, 10000000, &v)) {
				return BAD(c);
			}
			a->o.jobs = (int)v;
			break;
		case OPT_REPEAT:
			if (!tl_arg_integer(optarg, 1, 1000, &v)) {
				return BAD(c);
			}
			a->o.repeat = (int)v;
			break;
		case OPT_GIL:
			d = 5;
			if (optarg && !tl_arg_decimal(optarg, 0.001, 10000, &d)) {
				return BAD(c);
			}
			a->o.gil_interval = (tl_ns)(d * 1e6);
			break;
		case 'o':
			a->output = optarg;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "csv") == 0) {
				a->out_format = TL_FORMAT_CSV;
			} else if (strcmp(optarg, "chrome") == 0) {
				a->out_format = TL_FORMAT_CHROME;
			} else {
				return BAD(c);
			}
			break;
		case OPT_PLOT:
			a->plot = optarg;
			break;
		case OPT_TITLE:
			a->title = optarg;
			break;
		case OPT_LARGE_OUTPUT:
			a->large_output = true;
			break;
		case 'h':
			cli_print_help(&cmd_run_spec);
			return -1;
		default:
			return EXIT_USAGE;
		}
	}
	return EXIT_OK;
}

/*
 * The arguments after the options (a command after --) and the options
 * together, into a: EXIT_OK, or the exit code after saying why they cannot
 * run, found before any job does, as that the results cannot be written.
 */
static int check_args(struct run_args *a, int argc, char **argv) {
	tl_run_opts *o = &a->o;
	if (optind == argc && strcmp(argv[optind - 1], "--") == 0) {
		return cli_usage_error("run", "no command after --");
	}
	if (optind < argc && strcmp(argv[optind - 1], "--") != 0) {
		return cli_usage_error("run", "unexpected argument '%s' (a command goes after --)",
				       argv[optind]);
	}
	o->argv = optind < argc ? argv + optind : NULL;
	if (o->argv && o->workload != TL_WORK_EXEC) {
		if (o->workload != TL_WORK_CPU) {
			return cli_usage_error("run", "a command after -- needs --workload exec");
		}
		o->workload = TL_WORK_EXEC;
	}
	int rc = check_applies(o->workload, a->given);
	if (rc != EXIT_OK) {
		return rc;
	}
	if (o->workload == TL_WORK_EXEC && !a->modes_given) {
		o->modes[0] = TL_MODE_PROCESSES;
		o->nmodes = 1;
	}
	bool threads = false;
	for (int i = 0; i < o->nmodes; i++) {
		threads = threads || o->modes[i] == TL_MODE_THREADS;
	}
	if (o->gil_interval > 0 && !threads) {
		return cli_usage_error("run", "--gil applies to the threads mode, which --modes "
					      "leaves out");
	}
	const char *plot = a->plot;
	if (plot && !tl_image_format_from_path(plot, &a->plot_format)) {
		return cli_usage_error("run",
				       "cannot tell the format from '%s': name it .png, .svg or "
				       ".pdf",
				       plot);
	}
	if (!a->output) {
		a->output = a->out_format == TL_FORMAT_CHROME ? "results.json" : "results.csv";
	}
	const char *output = a->output;
	if (!*output || (plot && !*plot)) {
		return cli_usage_error("run", "an empty file name");
	}
	if (a->title && !plot) {
		return cli_usage_error("run", "--title titles the chart: give --plot too");
	}
	if (plot && strcmp(plot, "-") != 0 && strcmp(output, "-") != 0 && same_file(plot, output)) {
		return cli_usage_error("run", "--plot and -o name the same file '%s'", plot);
	}
	if (strcmp(output, "-") == 0) {
		o->command_stdout = STDERR_FILENO; /* the results alone on stdout */
	}
	/* Find out now, not after the jobs ran, that the results cannot be written. */
	rc = check_output_size(o, output, a->large_output);
	if (rc == EXIT_OK) {
		rc = cli_check_output(output);
	}
	if (rc == EXIT_OK && plot) {
		rc = cli_check_output(plot);
	}
	return rc;
}

/*
 * SIGINT, SIGTERM and SIGHUP stop the run. A signal ignored at start
 * (nohup; a script's background job) stays ignored, as main() leaves it.
 */
static void catch_stop_signals(void) {
	struct sigaction sa = {.sa_handler = on_stop};
	sigemptyset(&sa.sa_mask);
	static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++) {
		struct sigaction old;
		if (sigaction(stop_signals[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN) {
			sigaction(stop_signals[i], &sa, NULL);
		}
	}
}

/*
 * After the run: write the results, print the stats table, draw the chart,
 * and say how the jobs went. Frees t; returns the exit status.
 */
static int finish(tl_trace *t, size_t failed, const struct run_args *a) {
	struct tl_error err = {0};
	int rc = EXIT_OK;
	if (tl_write_file(t, a->output, a->out_format, &err) != TL_OK) {
		rc = cli_report(&err);
	}
	if (rc == EXIT_OK && strcmp(a->output, "-") != 0) {
		rc = cli_stats_table(t);
	}
	if (rc == EXIT_OK && a->plot) {
		tl_render_opts ro;
		tl_render_opts_init(&ro);
		ro.format = a->plot_format;
		ro.source = a->output;
		ro.title = a->title;
		if (tl_render_file(t, &ro, a->plot, &err) != TL_OK) {
			rc = cli_report(&err);
		}
	}
	const char *nr = tl_trace_meta_get(t, TL_META_JOBS_NOT_RUN);
	size_t not_run = nr ? strtoul(nr, NULL, 10) : 0;
	const char *interrupted = tl_trace_meta_get(t, TL_META_INTERRUPTED);
	if (rc == EXIT_OK && (interrupted || atomic_load(&stop_flag))) {
		fprintf(stderr, "timeline: run: interrupted; %s, written to %s\n",
			interrupted ? interrupted : "every job had completed", a->output);
		tl_trace_free(t);
		return EXIT_INTERRUPTED;
	}
	tl_trace_free(t);
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

int cmd_run(int argc, char **argv) {
	struct run_args a = {.out_format = TL_FORMAT_AUTO, .plot_format = TL_IMAGE_PNG};
	tl_run_opts_init(&a.o);
	int rc = parse_args(argc, argv, &a);
	if (rc != EXIT_OK) {
		return rc == -1 ? EXIT_OK : rc;
	}
	rc = check_args(&a, argc, argv);
	if (rc != EXIT_OK) {
		return rc;
	}
	tl_run_opts *o = &a.o;
	o->stop = &stop_flag;
	if (isatty(STDERR_FILENO)) {
		o->progress = progress;
	}
	catch_stop_signals();
	/* TIMELINE_EVENTS=FILE: the runner's events appended to FILE, for tests
	 * and monitors that wait on what the runner does (docs/timeline.1). */
	const char *events = getenv("TIMELINE_EVENTS");
	if (events && *events) {
		o->events_fd = open(events, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
		if (o->events_fd < 0) {
			fprintf(stderr, "timeline: %s: cannot write events: %s\n", events,
				strerror(errno));
			return EXIT_INPUT;
		}
	}
	struct tl_error err = {0};
	tl_trace *t = NULL;
	size_t failed = 0;
	tl_status st = tl_run(o, &t, &failed, &err);
	if (o->events_fd >= 0) {
		close(o->events_fd);
	}
	if (st != TL_OK) {
		return err.code == TL_ERR_USAGE ? cli_usage_error("run", "%s", err.msg)
						: cli_report(&err);
	}
	return finish(t, failed, &a);
}
