/*
 * Entry point of `timeline`: global options, the subcommand table, and the
 * shared error printing. Each subcommand lives in its own cmd_*.c file and
 * parses its own options.
 */

#include "cli.h"

#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

const struct cli_command cli_commands[] = {
	{"convert", cmd_convert, "convert between CSV, joblogs and Chrome trace JSON",
	 cmd_convert_help},
	{"demo", cmd_demo, "rerun the articles' experiments here and write a report",
	 cmd_demo_help},
	{"render", cmd_render, "draw Gantt bars and scatter timelines to PNG, SVG or PDF",
	 cmd_render_help},
	{"run", cmd_run, "run jobs in thread and process pools and record when each ran",
	 cmd_run_help},
	{"stats", cmd_stats, "print jobs, workers, wall and busy time, concurrency and speedup",
	 cmd_stats_help},
	{"help", cmd_help, "show help for a subcommand",
	 "Usage: timeline help [SUBCOMMAND]\n\nShow the help of SUBCOMMAND, or the list of "
	 "subcommands.\n"},
	{NULL, NULL, NULL, NULL},
};

static void print_main_help(FILE *f) {
	fprintf(f, "Usage: timeline [--help] [--version] SUBCOMMAND [ARGS...]\n\n"
		   "Measure and draw parallel work.\n\nSubcommands:\n");
	for (const struct cli_command *c = cli_commands; c->name; c++) {
		fprintf(f, "  %-8s %s\n", c->name, c->summary);
	}
	fprintf(f, "\nRun 'timeline help SUBCOMMAND' for its options.\n"
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

int cli_report(const struct tl_error *err) {
	char buf[TL_ERROR_MSG_MAX + TL_ERROR_PATH_MAX + 64];
	fprintf(stderr, "timeline: %s\n", tl_error_format(err, buf, sizeof(buf)));
	return err->code == TL_ERR_USAGE ? EXIT_USAGE : EXIT_INPUT;
}

int cli_usage_error(const char *cmd, const char *fmt, ...) {
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (cmd) {
		fprintf(stderr, "timeline: %s: %s (try 'timeline help %s')\n", cmd, msg, cmd);
	} else {
		fprintf(stderr, "timeline: %s (try 'timeline --help')\n", msg);
	}
	return EXIT_USAGE;
}

int cli_bad_option(const char *cmd, int c, char **argv) {
	const char *arg = argv[optind - 1];
	if (c == ':') {
		return cli_usage_error(cmd, "option '%s' needs a value", arg);
	}
	if (optopt && strncmp(arg, "--", 2) != 0) {
		return cli_usage_error(cmd, "unknown option '-%c'", optopt);
	}
	/* For "--name=value" name only the option. */
	char name[128];
	snprintf(name, sizeof(name), "%s", arg);
	char *eq = strchr(name, '=');
	if (eq) {
		*eq = '\0';
	}
	if (optopt) {
		return cli_usage_error(cmd, "option '%s' takes no value", name);
	}
	return cli_usage_error(cmd, "unknown option '%s'", name);
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

int cmd_help(int argc, char **argv) {
	if (argc < 2) {
		print_main_help(stdout);
		return EXIT_OK;
	}
	if (argc > 2) {
		return cli_usage_error("help", "too many arguments");
	}
	const struct cli_command *c = find_command(argv[1]);
	if (!c) {
		return cli_usage_error("help", "unknown subcommand '%s'", argv[1]);
	}
	fputs(c->help, stdout);
	return EXIT_OK;
}

/* Interrupted: leave no temporary file behind, then die of the same signal. */
static void on_fatal_signal(int sig) {
	tl_output_abandon();
	signal(sig, SIG_DFL);
	raise(sig);
}

int main(int argc, char **argv) {
	signal(SIGINT, on_fatal_signal);
	signal(SIGTERM, on_fatal_signal);
	signal(SIGHUP, on_fatal_signal);
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	opterr = 0;
	int c;
	/* "+" stops at the subcommand: its options are its own. */
	while ((c = getopt_long(argc, argv, "+:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			print_main_help(stdout);
			return EXIT_OK;
		case 'V':
			printf("timeline %s\n", TL_VERSION);
			return EXIT_OK;
		default:
			return cli_bad_option(NULL, c, argv);
		}
	}
	if (optind >= argc) {
		return cli_usage_error(NULL, "no subcommand given");
	}
	const struct cli_command *cmd = find_command(argv[optind]);
	if (!cmd) {
		return cli_usage_error(NULL, "unknown subcommand '%s'", argv[optind]);
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
