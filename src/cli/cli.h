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

/*
 * One line of a subcommand's option table: an option, or (text) a heading
 * or paragraph of its help, or (include) another table in its place. The
 * getopt_long arrays, the --help text and the message for a bad value are
 * all made from it (opts.c). A table ends with an entry of zeros.
 */
struct cli_option {
	int key;                    /* what getopt_long returns: the letter, or a code from 256 */
	char letter;                /* the short form, -x; 0 for none */
	const char *name;           /* the long form, --name; NULL for none */
	int has_arg;                /* no_argument, required_argument or optional_argument */
	const char *arg;            /* the value's name in the help ("FILE"); NULL with word */
	const char *(*word)(int i); /* the i-th word the value may be, NULL past the last;
				     * NULL: the value is not one of a few words */
	const char *expect;         /* without word: the values taken, said of a bad one */
	const char *help;           /* its help, lines joined by '\n'; NULL: an alias, not shown */
	const char *text;           /* instead of an option: help text, printed as it is */
	const struct cli_option *include; /* instead of an option: this table's options */
};

/* fn(i): the word of value i of an enum whose names to_string gives, NULL from count on. */
#define CLI_WORDS(fn, to_string, type, first, count)                                               \
	static const char *fn(int i) {                                                             \
		return i >= 0 && i + (first) < (count) ? to_string((type)(i + (first))) : NULL;    \
	}

/* The words of the formats written (csv, chrome), as the readers name them. */
const char *cli_written_format_word(int i);

/* A subcommand's command line. */
struct cli_spec {
	const char *cmd;               /* "render" */
	const struct cli_option *opts; /* the options and the help text around them */
	int column;                    /* where the options' help starts in --help */
	bool in_order;                 /* options end at the first argument (run's command) */
};

#define CLI_MAX_OPTIONS 64
/* getopt_long over a spec's table. */
struct cli_parser {
	const struct cli_spec *spec;
	struct option longs[CLI_MAX_OPTIONS + 1]; /* ended by zeros */
	size_t nlong;
	char shorts[3 * CLI_MAX_OPTIONS];
};

void cli_parser_init(struct cli_parser *p, const struct cli_spec *spec);

/*
 * The next option of argv as getopt_long returns it (optarg its value, -1
 * after the last), or CLI_BAD_OPTION after saying what was wrong with it:
 * an unknown one (with the closest name when one is close), one missing its
 * value or given one it does not take. Then return EXIT_USAGE.
 */
enum { CLI_BAD_OPTION = -2 };
int cli_next_option(struct cli_parser *p, int argc, char **argv);

/* Print spec's --help on standard output; returns EXIT_OK. */
int cli_print_help(const struct cli_spec *spec);

/*
 * Say "invalid NAME 'arg' (what it takes)" for the option of table (or of
 * the tables it includes) whose key is key: its words ("a, b or c") or its
 * expect. Returns EXIT_USAGE.
 */
int cli_bad_value(const char *cmd, const struct cli_option *table, int key, const char *arg);

/*
 * The closest of several names to a word mistyped: start with {.word = W},
 * cli_match_try() each name, then cli_match_close() gives the closest when it
 * is close enough to be a slip (at most 2 edits, a swap of neighbours being
 * one, and at most a third of the word), else NULL.
 */
struct cli_match {
	const char *word;
	const char *best;
	size_t distance;
};
void cli_match_try(struct cli_match *m, const char *name);
const char *cli_match_close(const struct cli_match *m);

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;         /* one line for `timeline --help` */
	const struct cli_spec *spec; /* its options and help */
};

extern const struct cli_command cli_commands[];

/* Print "timeline: FILE:LINE:COLUMN: message" for err; returns the exit code for its status. */
int cli_report(const struct tl_error *err);

/* Print "timeline: CMD: message (try 'timeline help CMD')" and return EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Like cli_usage_error(), for a message that says itself how to mend the command line. */
int cli_suggest(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print the stats table of t on standard output. */
int cli_stats_table(const tl_trace *t);

/*
 * EXIT_OK, or EXIT_INPUT after saying so when output is an existing file that
 * is also one of the n inputs ("-" is never one).
 */
int cli_refuse_overwrite(const char *output, char **inputs, int n);

/*
 * The options of every command that reads traces (the format, units,
 * columns, alignment, group names, limits): include cli_input_options in
 * the command's table and pass every option to cli_input_option() first.
 */
enum {
	CLI_OPT_COLUMNS = 0x4100,
	CLI_OPT_STRICT,
	CLI_OPT_ALIGN,
	CLI_OPT_GROUP_NAME,
	CLI_OPT_FIELDS,
	CLI_OPT_GROUP_BY,
	CLI_OPT_SLURM_STEPS,
	CLI_OPT_BUILD,
	CLI_OPT_MAX_ROWS,
	CLI_OPT_MAX_MEMORY,
	CLI_NOT_MINE = -1,
};
extern const struct cli_option cli_input_options[];

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

/* Defaults: no limit on rows, half the memory available on memory, the rest zero. */
void cli_input_init(struct cli_input *in);

/* Option c of command cmd: EXIT_OK, EXIT_USAGE (said why), or CLI_NOT_MINE. */
int cli_input_option(const char *cmd, int c, const char *arg, struct cli_input *in);

/*
 * The next option of argv that is the command's own, as cli_next_option()
 * returns it: the input options before it go into in (cli_input_option()),
 * and one with a bad value is CLI_BAD_OPTION too, after saying why.
 */
int cli_next_own_option(struct cli_parser *p, int argc, char **argv, struct cli_input *in);

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
 * The first half of cli_load(): read each input, say how (-v), rename, and
 * place them with tl_traces_align(). EXIT_OK with *ret filled (cli_inputs_fini() it), or the exit
 * code after saying why.
 */
int cli_read_inputs(char **inputs, int n, struct cli_input *in, struct cli_inputs *ret);

/*
 * The second half: the inputs of r with want[i] (want NULL: all) as one new
 * trace, as cli_load() makes it: one input as it is (taken out of r),
 * several merged by tl_traces_merge(): groups "NAME:GROUP" (or "NAME" for
 * an unnamed group), with TL_META_GROUPS saying which of them ran at the
 * same time (the groups of one input that did; separate inputs are
 * separate runs). Then --group-name by full names. EXIT_OK or the exit code after saying why.
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

extern const struct cli_spec cmd_stats_spec, cmd_render_spec, cmd_run_spec, cmd_convert_spec,
	cmd_demo_spec;

#endif
