#ifndef TIMELINE_CLI_CLI_H
#define TIMELINE_CLI_CLI_H

/*
 * The `timeline` program: one function per subcommand, dispatched from the
 * table in main.c. Only this layer prints and picks exit codes.
 */

#include <timeline/timeline.h>

#include <getopt.h>

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

/*
 * --max-rows N and --max-memory SIZE, shared by the commands that read
 * traces: put CLI_LIMIT_OPTIONS in the getopt_long table and pass the codes
 * to cli_limit_option(). CLI_LIMIT_HELP is their help text.
 */
enum { CLI_OPT_MAX_ROWS = 0x4000, CLI_OPT_MAX_MEMORY };
#define CLI_LIMIT_OPTIONS                                                                          \
	{"max-rows", required_argument, NULL, CLI_OPT_MAX_ROWS}, {                                 \
		"max-memory", required_argument, NULL, CLI_OPT_MAX_MEMORY                          \
	}
#define CLI_LIMIT_HELP                                                                             \
	"      --max-rows N         refuse inputs with more than N spans and samples\n"            \
	"      --max-memory SIZE    memory a trace may take, like 512M or 4G; 0 for no\n"          \
	"                           limit (default: half the memory available)\n"

/*
 * The options of every command that reads traces: put CLI_INPUT_OPTIONS in
 * the getopt_long table (with "u:I:" in its short options), pass every code
 * to cli_input_option() first, and CLI_INPUT_HELP in the help.
 */
enum {
	CLI_OPT_COLUMNS = 0x4100,
	CLI_OPT_TIME_UNIT,
	CLI_OPT_STRICT,
	CLI_OPT_ALIGN,
	CLI_OPT_GROUP_NAME,
	CLI_OPT_FIELDS,
	CLI_OPT_GROUP_BY,
	CLI_OPT_SLURM_STEPS,
	CLI_OPT_BUILD,
	CLI_NOT_MINE = -1,
};
#define CLI_INPUT_OPTIONS                                                                          \
	{"unit", required_argument, NULL, 'u'},                                                    \
		{"time-unit", required_argument, NULL, CLI_OPT_TIME_UNIT},                         \
		{"input-format", required_argument, NULL, 'I'},                                    \
		{"columns", required_argument, NULL, CLI_OPT_COLUMNS},                             \
		{"strict", no_argument, NULL, CLI_OPT_STRICT},                                     \
		{"align", required_argument, NULL, CLI_OPT_ALIGN},                                 \
		{"group-name", required_argument, NULL, CLI_OPT_GROUP_NAME},                       \
		{"fields", required_argument, NULL, CLI_OPT_FIELDS},                               \
		{"group-by", required_argument, NULL, CLI_OPT_GROUP_BY},                           \
		{"slurm-steps", no_argument, NULL, CLI_OPT_SLURM_STEPS},                           \
		{"build", required_argument, NULL, CLI_OPT_BUILD}, CLI_LIMIT_OPTIONS
#define CLI_INPUT_HELP                                                                             \
	"  -I, --input-format auto|csv|joblog|chrome|hyperfine|slurm|nextflow|spark|\n"            \
	"                     records|ninja\n"                                                     \
	"                           (default: from the content)\n"                                 \
	"      --columns ROLE=NAME,...   which column is what, e.g.\n"                             \
	"                           start=\"Start Time\",stop=End,job=Task,worker=Thread\n"        \
	"                           (roles: start stop duration time job worker group\n"           \
	"                           status label kind; ROLE:UNIT=NAME gives a time\n"              \
	"                           column its unit: ns us ms s min h d; NAME may be\n"            \
	"                           a position from 1)\n"                                          \
	"  -u, --time-unit s|ms|us|ns   unit of bare numbers in time columns whose\n"              \
	"                           name has none (default: seconds, or epoch ms, us,\n"           \
	"                           ns when their size says so)\n"                                 \
	"      --strict             refuse rows with a missing start or stop (default:\n"          \
	"                           skip them, or draw them as unfinished)\n"                      \
	"      --align auto|start|absolute   groups that ran one after another each\n"             \
	"                           from zero (auto, the default), every group and\n"              \
	"                           input from zero (start), or at their clock times\n"            \
	"      --group-name OLD=NEW rename a group (repeatable)\n"                                 \
	"      --fields NAME,...    the fields of a log without its header line, as\n"             \
	"                           given to sacct --format (sacct --noheader) or\n"               \
	"                           to Nextflow's trace.fields\n"                                  \
	"      --group-by default|node|app   a group per Slurm partition, Nextflow\n"              \
	"                           process or Spark stage (default), per node, or one\n"          \
	"                           for the whole run (app)\n"                                     \
	"      --slurm-steps        draw Slurm job steps (123.batch, 123.0) too\n"                 \
	"      --build last|all|N   which build of a ninja log: the last (default),\n"             \
	"                           all (a group each) or the Nth\n" CLI_LIMIT_HELP

#define CLI_MAX_RENAMES 64
struct cli_input {
	tl_read_opts ro;
	const char *rename[CLI_MAX_RENAMES]; /* --group-name OLD=NEW arguments */
	bool renamed[CLI_MAX_RENAMES];       /* ... applied to some input */
	size_t nrename;
	bool verbose;           /* say how each input was read on standard error */
	bool align_given;       /* --align was on the command line */
	bool clock_axis;        /* --time-axis clock: absolute alignment is implied */
	char columns_buf[4096]; /* several --columns joined */
};

/* Defaults: cli_default_limits(), the rest zero. */
void cli_input_init(struct cli_input *in);

/* Option c of command cmd: EXIT_OK, EXIT_USAGE (said why), or CLI_NOT_MINE. */
int cli_input_option(const char *cmd, int c, const char *arg, struct cli_input *in);

/*
 * Read inputs into one trace: one input as it is; several as groups named
 * after their files (base name without extension), each from zero or, with
 * --align absolute, at their absolute times. Then --group-name. EXIT_OK or
 * the exit code after saying why. Every command that reads traces loads
 * them so (cli_read_inputs() then cli_merge_inputs()), so that they name,
 * place and compare groups alike.
 */
int cli_load(char **inputs, int n, struct cli_input *in, tl_trace **ret);

/* Inputs read one by one, before they become one trace. */
struct cli_inputs {
	int n;
	tl_trace **trace; /* each input's, --group-name applied by its groups' own names
			   * and, for several, placed (from zero, or --align absolute) */
	char **name;      /* with several, the names they go by (cli_input_names()); NULL for one */
	char **path;      /* as given */
};

/*
 * The first half of cli_load(): read each input, say how (-v), rename and
 * place it. EXIT_OK with *ret filled (cli_inputs_fini() it), or the exit
 * code after saying why.
 */
int cli_read_inputs(char **inputs, int n, struct cli_input *in, struct cli_inputs *ret);

/*
 * The second half: the inputs of r with want[i] (want NULL: all) as one new
 * trace, as cli_load() makes it: one input as it is (taken out of r), several
 * as groups "NAME:GROUP" (or "NAME" for an unnamed group), with
 * TL_META_GROUPS saying which of them ran at the same time (the groups of
 * one input that did; separate inputs are separate runs). Then --group-name
 * by full names. EXIT_OK or the exit code after saying why.
 */
int cli_merge_inputs(struct cli_inputs *r, const bool *want, struct cli_input *in, tl_trace **ret);
void cli_inputs_fini(struct cli_inputs *r);

/*
 * The names of t's groups for a message, "'a', 'b'" (cli_visible()), in buf
 * (size bytes, cut when too long); "" for t NULL. Returns buf.
 */
const char *cli_group_list(const tl_trace *t, char *buf, size_t size);

/*
 * After cli_merge_inputs(): EXIT_OK, or EXIT_USAGE after saying which
 * --group-name matched no group (t's groups listed).
 */
int cli_renames_used(const tl_trace *t, const struct cli_input *in);

/*
 * The length of name's compressed-file suffix (.gz, .zst or .xz, any case, as
 * the writers read it), 0 when it has none.
 */
size_t cli_packed_suffix(const char *name);

/* Whether t has the group called name, or its first run "name#1" (a mode of repeated runs). */
bool cli_has_group(const tl_trace *t, const char *name);

/*
 * The names several inputs go by, as groups of one chart or rows of stats:
 * each file's base name without extensions ("runs/threads.csv.gz" is
 * "threads"), or the path as given where base names collide. NULL when out
 * of memory; free with cli_input_names_free().
 */
char **cli_input_names(char **inputs, int n);
void cli_input_names_free(char **names, int n);

/*
 * s as it may be shown on a terminal: each C0 control character and DEL as a
 * visible escape (\t, \n, \r, else \xHH, as \x1b for ESC), so that a name
 * read from an input cannot ring the bell, colour or clear the screen, or
 * break a line of a table. cli_visible_to writes it into buf (size bytes,
 * cut on a character boundary; buf may be NULL when size is 0) and returns
 * the length it needs; cli_visible returns a new string (free() it), NULL
 * when out of memory. Every name stats prints goes through them.
 */
size_t cli_visible_to(char *buf, size_t size, const char *s);
char *cli_visible(const char *s);

/*
 * The reader's notes of t, one line each (*ret_head then *ret_text), the
 * columns line last. Start with *i = 0; false when there are no more.
 */
bool cli_next_note(const tl_trace *t, size_t *i, const char **ret_head, const char **ret_text);

/* Default limits: none on rows, half the memory available on memory. */
void cli_default_limits(tl_read_opts *opts);

/*
 * Handle option c (CLI_OPT_MAX_ROWS or CLI_OPT_MAX_MEMORY) with its argument
 * for command cmd: EXIT_OK, or EXIT_USAGE after saying what is wrong.
 */
int cli_limit_option(const char *cmd, int c, const char *arg, tl_read_opts *opts);

/*
 * EXIT_OK when output ("-" or a path) can be written: its folder exists and
 * is writable, and it is not a folder itself. Otherwise says why and returns
 * EXIT_INPUT. For `run`, which would otherwise find out after the jobs ran.
 */
int cli_check_output(const char *output);

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
