/*
 * What every command that reads traces shares: the input options (format,
 * units, columns, missing values, alignment, group names, limits), loading
 * one or several inputs into one trace, and the reader's notes for people.
 */

#include "cli.h"

#include "../util/memory.h"
#include "../util/arg.h"

#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* -I's words are every format the readers know: auto, then each by its name. */
CLI_WORDS(format_word, tl_format_to_string, tl_format, 0, TL_FORMAT_COUNT)
/* -u: s, ms, us, ns; "default" is the option not given. */
CLI_WORDS(unit_word, tl_unit_to_string, tl_unit, 1, TL_UNIT_COUNT)
CLI_WORDS(align_word, tl_time_align_to_string, tl_time_align, 0, TL_TIMES_COUNT)
CLI_WORDS(group_by_word, tl_group_by_to_string, tl_group_by, 0, TL_GROUP_BY_COUNT)

const struct cli_option cli_input_options[] = {
	{'I', 'I', "input-format", required_argument, .word = format_word,
	 .help = "the input's format (default: told from the content,\n"
		 "or from --fields; see 'timeline help formats')"},
	{CLI_OPT_COLUMNS, 0, "columns", required_argument, "ROLE=NAME,...",
	 .help = "which column is what, e.g.\n"
		 "start=\"Start Time\",stop=End,job=Task,worker=Thread\n"
		 "(roles: start stop duration time job worker group\n"
		 "status label kind; ROLE:UNIT=NAME gives a time\n"
		 "column its unit: ns us ms s min h d; NAME may be\n"
		 "a position from 1)"},
	{'u', 'u', "time-unit", required_argument, .word = unit_word,
	 .help = "unit of bare numbers in time columns whose\n"
		 "name has none (default: seconds, or epoch ms, us,\n"
		 "ns when their size says so)"},
	{'u', 0, "unit", required_argument, .word = unit_word}, /* the older spelling */
	{CLI_OPT_STRICT, 0, "strict", no_argument,
	 .help = "refuse rows with a missing start or stop (default:\n"
		 "skip them, or draw them as unfinished)"},
	{CLI_OPT_ALIGN, 0, "align", required_argument, .word = align_word,
	 .help = "groups that ran one after another each\n"
		 "from zero (auto, the default), every group and\n"
		 "input from zero (start), or at their clock times"},
	{CLI_OPT_GROUP_NAME, 0, "group-name", required_argument, "OLD=NEW", .expect = "OLD=NEW",
	 .help = "rename a group (repeatable)"},
	{CLI_OPT_FIELDS, 0, "fields", required_argument, "NAME,...",
	 .help = "the fields of a log without its header line, as\n"
		 "given to sacct --format (sacct --noheader) or\n"
		 "to Nextflow's trace.fields"},
	{CLI_OPT_GROUP_BY, 0, "group-by", required_argument, .word = group_by_word,
	 .help = "a group per Slurm partition, Nextflow\n"
		 "process or Spark stage (default), per node, or one\n"
		 "for the whole run (app)"},
	{CLI_OPT_SLURM_STEPS, 0, "slurm-steps", no_argument,
	 .help = "draw Slurm job steps (123.batch, 123.0) too"},
	{CLI_OPT_BUILD, 0, "build", required_argument, "last|all|N",
	 .expect = "last, all or a number from 1",
	 .help = "which build of a ninja log: the last (default),\n"
		 "all (a group each) or the Nth"},
	{CLI_OPT_MAX_ROWS, 0, "max-rows", required_argument, "N",
	 .expect = "a whole number of at least 1",
	 .help = "refuse inputs with more than N spans and samples"},
	{CLI_OPT_MAX_MEMORY, 0, "max-memory", required_argument, "SIZE",
	 .expect = "bytes, like 512M or 4G; 0: no limit",
	 .help = "memory a trace may take, like 512M or 4G; 0 for no\n"
		 "limit (default: half the memory available)"},
	{0},
};

/*
 * The default limits: none on rows, and half the memory this process could
 * still get (4 GiB when nothing tells): drawing and sorting take memory of
 * their own besides the trace.
 */
static void default_limits(tl_read_opts *o) {
	uint64_t avail = tl_memory_available();
	if (!avail) {
		avail = 1ULL << 32;
	}
	o->max_rows = 0;
	o->max_memory = (avail > SIZE_MAX ? SIZE_MAX : (size_t)avail) / 2;
}

void cli_input_init(struct cli_input *in) {
	memset(in, 0, sizeof(*in));
	default_limits(&in->ro);
}

/* --max-rows N (at least 1) or --max-memory SIZE (0: none) into o; false when arg is no such value.
 */
static bool limit_option(int c, const char *arg, tl_read_opts *o) {
	bool rows = c == CLI_OPT_MAX_ROWS;
	uint64_t v;
	if (!tl_arg_count(arg, !rows, &v) || v > SIZE_MAX || (rows && v == 0)) {
		return false;
	}
	*(rows ? &o->max_rows : &o->max_memory) = (size_t)v;
	return true;
}

int cli_input_option(const char *cmd, int c, const char *arg, struct cli_input *in) {
	struct tl_error err = {0};
	switch (c) {
	case 'u':
		if (!tl_unit_from_string(arg, &in->ro.unit)) {
			return cli_bad_value(cmd, cli_input_options, c, arg);
		}
		return EXIT_OK;
	case 'I':
		if (!tl_format_from_string(arg, &in->ro.format)) {
			return cli_bad_value(cmd, cli_input_options, c, arg);
		}
		return EXIT_OK;
	case CLI_OPT_COLUMNS:
		if (tl_columns_check(arg, &err) != TL_OK) {
			return cli_usage_error(cmd, "%s", err.msg);
		}
		/* Given again, it adds to what it said: --columns start=a --columns stop=b. */
		if (in->ro.columns) {
			int w = snprintf(in->columns_buf, sizeof(in->columns_buf), "%s,%s",
					 in->ro.columns, arg);
			if (w < 0 || (size_t)w >= sizeof(in->columns_buf)) {
				return cli_usage_error(cmd, "--columns: too long");
			}
			if (tl_columns_check(in->columns_buf, &err) != TL_OK) {
				return cli_usage_error(cmd, "%s", err.msg);
			}
			arg = in->columns_buf;
		}
		in->ro.columns = arg;
		return EXIT_OK;
	case CLI_OPT_STRICT:
		in->ro.strict = true;
		return EXIT_OK;
	case CLI_OPT_FIELDS:
		if (!*arg || strlen(arg) >= 1024) {
			return cli_usage_error(cmd, "--fields: expected NAME,NAME,... (under 1024 "
						    "bytes)");
		}
		in->ro.fields = arg;
		return EXIT_OK;
	case CLI_OPT_GROUP_BY:
		if (!tl_group_by_from_string(arg, &in->ro.group_by)) {
			return cli_bad_value(cmd, cli_input_options, c, arg);
		}
		return EXIT_OK;
	case CLI_OPT_SLURM_STEPS:
		in->ro.steps = true;
		return EXIT_OK;
	case CLI_OPT_ALIGN:
		if (!tl_time_align_from_string(arg, &in->ro.align)) {
			return cli_bad_value(cmd, cli_input_options, c, arg);
		}
		in->align_given = true;
		return EXIT_OK;
	case CLI_OPT_GROUP_NAME: {
		const char *eq = strchr(arg, '=');
		if (!eq) {
			return cli_bad_value(cmd, cli_input_options, c, arg);
		}
		if (in->nrename == CLI_MAX_RENAMES) {
			return cli_usage_error(cmd, "more than %d --group-name options",
					       CLI_MAX_RENAMES);
		}
		in->rename[in->nrename++] = arg;
		return EXIT_OK;
	}
	case CLI_OPT_BUILD: {
		long long n;
		if (strcmp(arg, "last") == 0 || strcmp(arg, "all") == 0) {
			in->ro.build = arg[0] == 'l' ? TL_BUILD_LAST : TL_BUILD_ALL;
		} else if (arg[0] >= '1' && arg[0] <= '9' &&
			   tl_arg_integer(arg, 1, 999999999, &n)) {
			in->ro.build = (long)n;
		} else {
			return cli_bad_value(cmd, cli_input_options, c, arg);
		}
		return EXIT_OK;
	}
	case CLI_OPT_MAX_ROWS:
	case CLI_OPT_MAX_MEMORY:
		if (!limit_option(c, arg, &in->ro)) {
			return cli_bad_value(cmd, cli_input_options, c, arg);
		}
		return EXIT_OK;
	default:
		return CLI_NOT_MINE;
	}
}

int cli_next_own_option(struct cli_parser *p, int argc, char **argv, struct cli_input *in) {
	int c;
	while ((c = cli_next_option(p, argc, argv)) != -1) {
		int rc = cli_input_option(p->spec->cmd, c, optarg, in);
		if (rc == CLI_NOT_MINE) {
			return c;
		}
		if (rc != EXIT_OK) {
			return CLI_BAD_OPTION;
		}
	}
	return -1;
}

/*
 * Apply --group-name OLD=NEW to t (an empty OLD is the unnamed group); with
 * all, also those applied to an earlier input already: a group is renamed in
 * every input having it.
 */
static int rename_groups(tl_trace *t, struct cli_input *in, bool all) {
	for (size_t i = 0; i < in->nrename; i++) {
		const char *arg = in->rename[i], *eq = strchr(arg, '=');
		char old[512];
		snprintf(old, sizeof(old), "%.*s", (int)(eq - arg), arg);
		uint32_t g;
		if ((in->renamed[i] && !all) || !tl_trace_find_group(t, old, &g)) {
			continue;
		}
		struct tl_error err = {0};
		if (tl_trace_rename_group(t, g, eq + 1, strlen(eq + 1), &err) != TL_OK) {
			fprintf(stderr, "timeline: --group-name %s: %s\n", arg, err.msg);
			return err.code == TL_ERR_USAGE ? EXIT_USAGE : EXIT_INPUT;
		}
		in->renamed[i] = true;
	}
	return EXIT_OK;
}

const char *cli_group_list(const tl_trace *t, char *buf, size_t size) {
	size_t n = 0;
	buf[0] = '\0';
	for (size_t k = 0; t && k < tl_trace_group_count(t) && n < size; k++) {
		char name[200];
		cli_visible_to(name, sizeof(name), tl_trace_group_name(t, (uint32_t)k));
		int w = snprintf(buf + n, size - n, "%s'%s'", k ? ", " : "", name);
		n += w > 0 ? (size_t)w : 0;
	}
	return buf;
}

/* The first --group-name that matched no group, said with t's groups; EXIT_USAGE. */
static int rename_unused(const tl_trace *t, const struct cli_input *in) {
	for (size_t i = 0; i < in->nrename; i++) {
		if (in->renamed[i]) {
			continue;
		}
		const char *arg = in->rename[i], *eq = strchr(arg, '=');
		char list[400];
		fprintf(stderr, "timeline: --group-name %s: no group '%.*s' (the groups: %s)\n",
			arg, (int)(eq - arg), arg, cli_group_list(t, list, sizeof(list)));
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* -v: how one input was read, on standard error. */
static void say_notes(const tl_trace *t, const char *file) {
	size_t i = 0;
	const char *head, *text;
	while (cli_next_note(t, &i, &head, &text)) {
		fprintf(stderr, "timeline: %s%s%s%s\n", file ? file : "", file ? ": " : "", head,
			text);
	}
}

size_t cli_packed_suffix(const char *name) {
	static const char *const packed[] = {".gz", ".zst", ".xz"};
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof(packed) / sizeof(packed[0]); i++) {
		size_t l = strlen(packed[i]);
		if (n > l && strcasecmp(name + n - l, packed[i]) == 0) {
			return l;
		}
	}
	return 0;
}

bool cli_has_group(const tl_trace *t, const char *name) {
	uint32_t g;
	char first[512];
	snprintf(first, sizeof(first), "%s#1", name);
	return tl_trace_find_group(t, name, &g) || tl_trace_find_group(t, first, &g);
}

/* "runs/threads.csv.gz" → "threads": the file's name without folder or extensions. */
static void panel_name(const char *path, char *buf, size_t size) {
	const char *base = strrchr(path, '/');
	base = base && base[1] ? base + 1 : path;
	snprintf(buf, size, "%s", base);
	buf[strlen(buf) - cli_packed_suffix(buf)] = '\0';
	char *dot = strrchr(buf, '.');
	if (dot && dot != buf) {
		*dot = '\0';
	}
}

/*
 * Group names for several inputs: each file's base name, or the path as
 * given for files whose base names collide.
 */
char **cli_input_names(char **inputs, int n) {
	char **names = calloc((size_t)n, sizeof(*names));
	for (int i = 0; names && i < n; i++) {
		char buf[1024];
		panel_name(inputs[i], buf, sizeof(buf));
		names[i] = strdup(buf);
		if (!names[i]) {
			cli_input_names_free(names, i);
			return NULL;
		}
	}
	/* Decide every clash before renaming any: a renamed name clashes no more. */
	bool *clash = names ? calloc((size_t)n, sizeof(*clash)) : NULL;
	for (int i = 0; clash && i < n; i++) {
		for (int k = 0; k < n; k++) {
			clash[i] |= k != i && strcmp(names[k], names[i]) == 0;
		}
		clash[i] |= !names[i][0];
	}
	for (int i = 0; clash && i < n; i++) {
		if (!clash[i]) {
			continue;
		}
		/* The path as given; the same file given again gets its place: "x.csv (2)". */
		int same = 0;
		for (int k = 0; k < i; k++) {
			same += strcmp(inputs[k], inputs[i]) == 0;
		}
		char buf[1100];
		snprintf(buf, sizeof(buf), same ? "%s (%d)" : "%s", inputs[i], same + 1);
		free(names[i]);
		names[i] = strdup(buf);
		if (!names[i]) {
			free(clash);
			cli_input_names_free(names, n);
			return NULL;
		}
	}
	if (names && !clash) {
		cli_input_names_free(names, n);
		return NULL;
	}
	free(clash);
	return names;
}

void cli_input_names_free(char **names, int n) {
	for (int i = 0; names && i < n; i++) {
		free(names[i]);
	}
	free(names);
}

void cli_inputs_fini(struct cli_inputs *r) {
	for (int i = 0; r->trace && i < r->n; i++) {
		tl_trace_free(r->trace[i]);
	}
	free(r->trace);
	cli_input_names_free(r->name, r->name ? r->n : 0);
	memset(r, 0, sizeof(*r));
}

int cli_read_inputs(char **inputs, int n, struct cli_input *in, struct cli_inputs *ret) {
	struct tl_error err = {0};
	bool absolute = in->ro.align == TL_TIMES_ABSOLUTE;
	struct cli_inputs r = {.n = n, .path = inputs};
	r.trace = calloc((size_t)n, sizeof(*r.trace));
	r.name = n > 1 ? cli_input_names(inputs, n) : NULL;
	int rc = EXIT_OK;
	if (!r.trace || (n > 1 && !r.name)) {
		fprintf(stderr, "timeline: out of memory\n");
		rc = EXIT_INPUT;
	}
	for (int i = 0; i < n && rc == EXIT_OK; i++) {
		if (tl_read_file(inputs[i], &in->ro, &r.trace[i], &err) != TL_OK) {
			rc = cli_report(&err);
			break;
		}
		if (in->verbose) {
			say_notes(r.trace[i], n > 1 ? inputs[i] : NULL);
		}
		if (n == 1) {
			break;
		}
		/* A group's own name, in every input that has it. */
		rc = rename_groups(r.trace[i], in, true);
		if (rc == EXIT_OK && absolute && in->clock_axis && !in->align_given &&
		    !tl_trace_has_absolute_time(r.trace[i])) {
			rc = cli_usage_error("render",
					     "--time-axis clock: the times of %s are not dates or "
					     "times of day, so its groups have no time of day",
					     inputs[i]);
		}
	}
	if (rc == EXIT_OK && tl_traces_align(r.trace, (const char *const *)inputs, (size_t)n,
					     in->ro.align, &err) != TL_OK) {
		rc = cli_report(&err);
	}
	if (rc != EXIT_OK) {
		cli_inputs_fini(&r);
		return rc;
	}
	*ret = r;
	return EXIT_OK;
}

int cli_merge_inputs(struct cli_inputs *r, const bool *want, struct cli_input *in, tl_trace **ret) {
	tl_trace *t = NULL;
	if (r->n == 1) {
		/* One input is its own trace, its groups under their own names. */
		t = r->trace[0];
		r->trace[0] = NULL;
	} else {
		struct tl_error err = {0};
		if (tl_traces_merge((const tl_trace *const *)r->trace, (const char *const *)r->name,
				    (const char *const *)r->path, want, (size_t)r->n, &in->ro, &t,
				    &err) != TL_OK) {
			return cli_report(&err);
		}
	}
	/* Several inputs' groups by their full names ("runs:threads"). */
	int rc = rename_groups(t, in, false);
	if (rc != EXIT_OK) {
		tl_trace_free(t);
		return rc;
	}
	*ret = t;
	return EXIT_OK;
}

int cli_renames_used(const tl_trace *t, const struct cli_input *in) {
	return rename_unused(t, in);
}

int cli_load(char **inputs, int n, struct cli_input *in, tl_trace **ret) {
	struct cli_inputs r;
	tl_trace *t = NULL;
	int rc = cli_read_inputs(inputs, n, in, &r);
	if (rc != EXIT_OK) {
		return rc;
	}
	rc = cli_merge_inputs(&r, NULL, in, &t);
	cli_inputs_fini(&r);
	if (rc == EXIT_OK) {
		rc = rename_unused(t, in);
	}
	if (rc != EXIT_OK) {
		tl_trace_free(t);
		return rc;
	}
	*ret = t;
	return EXIT_OK;
}

size_t cli_visible_to(char *buf, size_t size, const char *s) {
	size_t n = 0, w = 0;
	bool full = size == 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[8] = {(char)c, 0};
		if (c == '\t' || c == '\n' || c == '\r') {
			snprintf(esc, sizeof(esc), "\\%c", c == '\t' ? 't' : c == '\n' ? 'n' : 'r');
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(esc, sizeof(esc), "\\x%02x", c);
		}
		size_t l = strlen(esc);
		n += l;
		if (!full && w + l < size) {
			memcpy(buf + w, esc, l);
			w += l;
		} else if (!full) {
			full = true;
			/* Cut before the character this byte belongs to. */
			while ((c & 0xc0) == 0x80 && w > 0 &&
			       ((unsigned char)buf[w - 1] & 0xc0) == 0x80) {
				w--;
			}
			w -= (c & 0xc0) == 0x80 && w > 0;
		}
	}
	if (size) {
		buf[w] = '\0';
	}
	return n;
}

char *cli_visible(const char *s) {
	size_t n = cli_visible_to(NULL, 0, s);
	char *v = malloc(n + 1);
	if (v) {
		cli_visible_to(v, n + 1, s);
	}
	return v;
}

bool cli_next_note(const tl_trace *t, size_t *i, const char **ret_head, const char **ret_text) {
	size_t n = tl_trace_meta_count(t), pl = strlen(TL_META_NOTE_PREFIX);
	while (*i < n) {
		const char *k, *v;
		tl_trace_meta_at(t, (*i)++, &k, &v);
		if (strncmp(k, TL_META_NOTE_PREFIX, pl) == 0) {
			*ret_head = "";
			*ret_text = v;
			return true;
		}
	}
	const char *cols = tl_trace_meta_get(t, TL_META_COLUMNS);
	if (*i == n && cols) {
		(*i)++;
		*ret_head = "columns: ";
		*ret_text = cols;
		return true;
	}
	return false;
}
