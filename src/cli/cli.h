#ifndef TIMELINE_CLI_CLI_H
#define TIMELINE_CLI_CLI_H

/*
 * The `timeline` program: one function per subcommand, dispatched from the
 * table in main.c. Only this layer prints and picks exit codes.
 */

#include <timeline/timeline.h>

/* Exit codes (docs/timeline.1, EXIT STATUS). */
enum {
	EXIT_OK = 0,
	EXIT_INPUT = 1,         /* bad input, I/O error, out of memory */
	EXIT_USAGE = 2,         /* bad command line */
	EXIT_JOBS_FAILED = 3,   /* timeline run: every job ran, some failed */
	EXIT_INTERRUPTED = 130, /* timeline run: stopped by SIGINT or SIGTERM */
};

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary; /* one line for `timeline --help` */
	const char *help;    /* full text for `timeline help NAME` */
};

extern const struct cli_command cli_commands[];

/* Print "timeline: FILE:LINE:COLUMN: message" for err; returns the exit code for its status. */
int cli_report(const struct tl_error *err);

/* Print "timeline: CMD: message (try 'timeline help CMD')" and return EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Call after getopt_long returned '?' or ':': reports the offending option
 * from argv and returns EXIT_USAGE.
 */
int cli_bad_option(const char *cmd, int c, char **argv);

/* Print the stats table of t on standard output. */
int cli_stats_table(const tl_trace *t);

/*
 * EXIT_OK, or EXIT_INPUT after saying so when output is an existing file that
 * is also one of the n inputs ("-" is never one).
 */
int cli_refuse_overwrite(const char *output, char **inputs, int n);

int cmd_stats(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_help(int argc, char **argv);

extern const char cmd_stats_help[];
extern const char cmd_render_help[];
extern const char cmd_run_help[];
extern const char cmd_convert_help[];
extern const char cmd_demo_help[];

#endif
