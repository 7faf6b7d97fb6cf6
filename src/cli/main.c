/*
 * Entry point of `timeline`: global options, the subcommand table, and the
 * shared error printing. Each subcommand lives in its own cmd_*.c file and
 * parses its own options.
 */

#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct cli_option help_options[] = {
	{.text = "Usage: timeline help [SUBCOMMAND|formats]\n\n"
		 "Show the help of SUBCOMMAND, the list of subcommands, or (formats) the\n"
		 "formats read and the CSV column names.\n"},
	{0},
};
static const struct cli_spec help_spec = {"help", help_options, 0, false};

const struct cli_command cli_commands[] = {
	{"convert", cmd_convert, "convert between CSV, joblogs and Chrome trace JSON",
	 &cmd_convert_spec},
	{"demo", cmd_demo, "rerun the articles' experiments here and write a report",
	 &cmd_demo_spec},
	{"render", cmd_render, "draw Gantt bars and scatter timelines to PNG, SVG or PDF",
	 &cmd_render_spec},
	{"run", cmd_run, "run jobs in thread and process pools and record when each ran",
	 &cmd_run_spec},
	{"stats", cmd_stats, "print jobs, workers, wall and busy time, concurrency and speedup",
	 &cmd_stats_spec},
	{"help", cmd_help, "show help for a subcommand", &help_spec},
	{NULL, NULL, NULL, NULL},
};

static void print_main_help(FILE *f) {
	fprintf(f, "Usage: timeline [--help] [--version] SUBCOMMAND [ARGS...]\n\n"
		   "Measure and draw parallel work.\n\nSubcommands:\n");
	for (const struct cli_command *c = cli_commands; c->name; c++) {
		fprintf(f, "  %-8s %s\n", c->name, c->summary);
	}
	fprintf(f, "\nRun 'timeline help SUBCOMMAND' for its options, and 'timeline help formats'\n"
		   "for the formats read and the CSV column names.\n"
		   "Exit status: 0 success, 1 bad input or I/O error, 2 bad command line;\n"
		   "timeline run: 3 some jobs failed, 130 interrupted.\n");
}

static const struct cli_command *find_command(const char *name) {
	for (const struct cli_command *c = cli_commands; c->name; c++) {
		if (strcmp(c->name, name) == 0) {
			return c;
		}
	}
	return NULL;
}

/* EXIT_USAGE after saying that name is no subcommand, and which it may have meant. */
static int unknown_command(const char *cmd, const char *name) {
	struct cli_match m = {.word = name};
	for (const struct cli_command *c = cli_commands; c->name; c++) {
		cli_match_try(&m, c->name);
	}
	if (cmd && strcmp(cmd, "help") == 0) {
		cli_match_try(&m, "formats");
	}
	const char *close = cli_match_close(&m);
	if (close) {
		return cli_suggest(cmd, "unknown subcommand '%s' (did you mean '%s'?)", name,
				   close);
	}
	return cli_usage_error(cmd, "unknown subcommand '%s'", name);
}

int cli_report(const struct tl_error *err) {
	char buf[TL_ERROR_MSG_MAX + TL_ERROR_PATH_MAX + 64];
	fprintf(stderr, "timeline: %s\n", tl_error_format(err, buf, sizeof(buf)));
	return err->code == TL_ERR_USAGE ? EXIT_USAGE : EXIT_INPUT;
}

/* "timeline: CMD: message", then hint when there is one. */
__attribute__((format(printf, 3, 0))) static int vusage(const char *cmd, bool hint, const char *fmt,
							va_list ap) {
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (cmd) {
		fprintf(stderr, "timeline: %s: %s", cmd, msg);
	} else {
		fprintf(stderr, "timeline: %s", msg);
	}
	if (hint && cmd) {
		fprintf(stderr, " (try 'timeline help %s')", cmd);
	} else if (hint) {
		fprintf(stderr, " (try 'timeline --help')");
	}
	fputc('\n', stderr);
	return EXIT_USAGE;
}

int cli_usage_error(const char *cmd, const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	int rc = vusage(cmd, true, fmt, ap);
	va_end(ap);
	return rc;
}

int cli_suggest(const char *cmd, const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	int rc = vusage(cmd, false, fmt, ap);
	va_end(ap);
	return rc;
}

int cli_refuse_overwrite(const char *output, char **inputs, int n) {
	struct stat out;
	if (strcmp(output, "-") == 0 || stat(output, &out) != 0) {
		return EXIT_OK;
	}
	for (int i = 0; i < n; i++) {
		struct stat in;
		if (strcmp(inputs[i], "-") != 0 && stat(inputs[i], &in) == 0 &&
		    in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
			fprintf(stderr, "timeline: %s: refusing to overwrite the input %s\n",
				output, inputs[i]);
			return EXIT_INPUT;
		}
	}
	return EXIT_OK;
}

int cli_check_output(const char *output) {
	if (strcmp(output, "-") == 0) {
		return EXIT_OK;
	}
	struct stat sb;
	if (stat(output, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "timeline: %s: is a directory\n", output);
		return EXIT_INPUT;
	}
	char *copy = strdup(output);
	if (!copy) {
		fprintf(stderr, "timeline: out of memory\n");
		return EXIT_INPUT;
	}
	const char *dir = dirname(copy);
	int rc = EXIT_OK;
	if (access(dir, W_OK | X_OK) != 0) {
		fprintf(stderr, "timeline: %s: cannot create a file in %s: %s\n", output, dir,
			strerror(errno));
		rc = EXIT_INPUT;
	}
	free(copy);
	return rc;
}

static void print_role_names(FILE *f, const char *const *names) {
	size_t col = 12;
	fputs("            ", f);
	for (size_t i = 0; names[i]; i++) {
		size_t w = strlen(names[i]) + (names[i + 1] ? 1 : 0);
		if (i && col + 1 + w > 79) {
			fputs("\n            ", f);
			col = 12;
		} else if (i) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%s%s", names[i], names[i + 1] ? "," : "");
		col += w;
	}
	fputc('\n', f);
}

/* `timeline help formats`: the formats read, how each is told, and the CSV column names. */
static void print_formats_help(FILE *f) {
	fputs("Usage: timeline help formats\n\n"
	      "What stats, render and convert read. The format is told from the content;\n"
	      "-I/--input-format names it instead.\n\n"
	      "  hyperfine  hyperfine --export-json: JSON whose first key is \"results\";\n"
	      "             a benchmark: stats per command, run times on their own axis\n"
	      "  spark      Apache Spark event log (JSON lines): first line starts\n"
	      "             {\"Event\":\"SparkListener...; a span per task, a group per\n"
	      "             stage (--group-by app: one); lz4: lz4cat FILE | ... -I spark -\n"
	      "  records    JSON records: an array whose first object has no \"ph\", objects\n"
	      "             one per line, or one object holding one array of objects\n"
	      "             ({\"jobs\": [...]}); fields named as CSV columns are, nested\n"
	      "             ones by --columns ROLE=a.b.c\n"
	      "  chrome     Chrome Trace Event Format JSON (Perfetto, clang -ftime-trace,\n"
	      "             Bazel, PyTorch, VizTracer, Node): any other text that starts\n"
	      "             with '{' or '['; see docs/chrome-format.md\n"
	      "  joblog     GNU parallel --joblog: starts with Seq, Host, Starttime, each\n"
	      "             followed by a tab\n"
	      "  slurm      sacct --parsable2 output: a header of sacct field names with\n"
	      "             JobID among them, any delimiter (--fields for --noheader\n"
	      "             output); a span per job, a group per partition\n"
	      "  nextflow   Nextflow's trace.txt: a header with hash or native_id (or\n"
	      "             task_id and realtime, %cpu...) and submit, start or complete;\n"
	      "             a span per task, a group per process\n"
	      "  ninja      ninja's build log (.ninja_log, versions 5 to 7): starts with\n"
	      "             '# ninja log v'; a span per command of the last build, or\n"
	      "             of the builds --build names\n"
	      "  csv        anything else: a table with a header row, its fields separated\n"
	      "             by commas, tabs, semicolons or pipes (told from its first lines);\n"
	      "             the native form that timeline writes is one\n\n"
	      "Files compressed with gzip, zstd or xz are told by their first bytes and\n"
	      "read as they are, standard input too.\n\n"
	      "CSV columns are matched by name. A header is lower-cased and its words\n"
	      "joined by '_' first ('Start Time', 'startedAt' and 'start-time' all read as\n"
	      "start_time), and a unit at its end gives a time column its unit\n"
	      "('start_ms', 'Duration (ms)'; s, ms, us, ns or their longer names). When\n"
	      "two columns name one role, the name earlier in its list wins; stats and\n"
	      "render -v say which columns were read. --columns ROLE=NAME,... says which\n"
	      "column is what instead. The roles, their meaning and their names:\n\n",
	      f);
	size_t n;
	const tl_column_role *roles = tl_column_roles(&n);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "  %-9s %s\n", roles[i].role, roles[i].meaning);
		print_role_names(f, roles[i].names);
	}
	fputs("\nWithout a job column, an unnamed first column (pandas' index) is the job.\n"
	      "A row with a start is a span; a row with a time and no start, a sample.\n\n"
	      "Times in CSV:\n"
	      "  numbers       seconds, or the unit of the column's name or of\n"
	      "                -u/--time-unit, or --columns ROLE:UNIT=NAME; too large for\n"
	      "                seconds, epoch ms (from 1e11), us (1e14) or ns (1e17), or\n"
	      "                else a clock's ns\n"
	      "  date-times    2023-11-14 22:13:20.25, 2023-11-14T22:13:20Z, ...+01:00,\n"
	      "                2023/11/14 22:13, 2023-11-14 (UTC when no zone is given),\n"
	      "                Tue Nov 14 22:13:20 2023, Tue, 14 Nov 2023 22:13:20 GMT\n"
	      "  times of day  13:36:30.147, 9:05 (a stop before its start is the next day)\n"
	      "  durations     39.2s, 184ms, 1m 4s, 1h2m3.5s, 00:12:58, 2-03:04:05,\n"
	      "                0 days 00:00:01.500000, 1 day, 2:03:04, PT1M4.5S\n"
	      "  missing       empty, NaN, NaT, <NA>, NA, N/A, #N/A, None, NULL, Unknown\n"
	      "                or '-': a row with no start is skipped, a span with no\n"
	      "                stop is unfinished (--strict refuses both)\n\n"
	      "docs/csv-format.md and timeline(1) tell the rest.\n",
	      f);
}

int cmd_help(int argc, char **argv) {
	if (argc < 2) {
		print_main_help(stdout);
		return EXIT_OK;
	}
	if (argc > 2) {
		return cli_usage_error("help", "too many arguments");
	}
	if (strcmp(argv[1], "formats") == 0) {
		print_formats_help(stdout);
		return EXIT_OK;
	}
	const struct cli_command *c = find_command(argv[1]);
	if (!c) {
		return unknown_command("help", argv[1]);
	}
	return cli_print_help(c->spec);
}

/*
 * Signals whose default action ends the program: Ctrl-C, kill, a closed
 * terminal or pipe, timers, and the CPU and file size limits (ulimit -t,
 * -f). SIGPROF and SIGVTALRM are left to profilers.
 */
static const int fatal_signals[] = {SIGHUP,  SIGINT,  SIGQUIT, SIGPIPE, SIGALRM,
				    SIGTERM, SIGUSR1, SIGUSR2, SIGXCPU, SIGXFSZ};
#define NFATAL (sizeof(fatal_signals) / sizeof(fatal_signals[0]))

/* Interrupted: leave no temporary file behind, then die of the same signal. */
static void on_fatal_signal(int sig) {
	tl_output_abandon();
	signal(sig, SIG_DFL);
	raise(sig);
	/* Blocked while its handler runs: let it through now, to die here of it. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* Write s to standard error from a signal handler. */
static void say_raw(const char *s) {
	size_t n = strlen(s);
	while (n) {
		ssize_t w = write(STDERR_FILENO, s, n);
		if (w <= 0) {
			return;
		}
		s += w;
		n -= (size_t)w;
	}
}

/*
 * A bus error in the mapping of an input being read: the file shrank under
 * it (truncated or rewritten while it was read). One line naming it, no
 * temporary file left, and the exit code of bad input. Any other bus error
 * is a fault of ours: it ends the program as it would have.
 */
static void on_bus_error(int sig, siginfo_t *si, void *ctx) {
	(void)ctx;
	const char *name;
	if (tl_input_at(si->si_addr, &name)) {
		tl_output_abandon();
		say_raw("timeline: ");
		say_raw(name);
		say_raw(": the file shrank while it was read (truncated or rewritten?)\n");
		_exit(EXIT_INPUT);
	}
	tl_output_abandon();
	signal(sig, SIG_DFL); /* the faulting access runs again, and ends the program */
}

/*
 * Catch the fatal signals before anything is written, each blocking the
 * others while it cleans up. A signal ignored on entry stays ignored, as
 * nohup and a shell's background jobs (SIGINT) ask: it cannot end us.
 */
static void catch_fatal_signals(void) {
	struct sigaction sa = {.sa_handler = on_fatal_signal};
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NFATAL; i++) {
		sigaddset(&sa.sa_mask, fatal_signals[i]);
	}
	for (size_t i = 0; i < NFATAL; i++) {
		struct sigaction old;
		if (sigaction(fatal_signals[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN) {
			sigaction(fatal_signals[i], &sa, NULL);
		}
	}
	struct sigaction bus = {.sa_sigaction = on_bus_error, .sa_flags = SA_SIGINFO};
	bus.sa_mask = sa.sa_mask;
	sigaction(SIGBUS, &bus, NULL);
}

int main(int argc, char **argv) {
	catch_fatal_signals();
	static const struct cli_option opts[] = {
		{'h', 'h', "help", no_argument, .help = "show the list of subcommands"},
		{'V', 'V', "version", no_argument, .help = "print the version"},
		{0},
	};
	static const struct cli_spec spec = {NULL, opts, 0, true};
	struct cli_parser p;
	cli_parser_init(&p, &spec);
	int c;
	while ((c = cli_next_option(&p, argc, argv)) != -1) {
		switch (c) {
		case 'h':
			print_main_help(stdout);
			return EXIT_OK;
		case 'V':
			printf("timeline %s\n", TL_VERSION);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		return cli_usage_error(NULL, "no subcommand given");
	}
	const struct cli_command *cmd = find_command(argv[optind]);
	if (!cmd) {
		return unknown_command(NULL, argv[optind]);
	}
	int sub_argc = argc - optind;
	char **sub_argv = argv + optind;
	optind = 0; /* glibc: 0 reinitialises getopt for the subcommand */
	int rc = cmd->run(sub_argc, sub_argv);
	if (fflush(stdout) != 0 && rc == EXIT_OK) {
		fprintf(stderr, "timeline: cannot write to standard output\n");
		rc = EXIT_INPUT;
	}
	return rc;
}
