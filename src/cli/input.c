/*
 * What every command that reads traces shares: the input options (format,
 * units, columns, missing values, alignment, group names, limits), loading
 * one or several inputs into one trace, and the reader's notes for people.
 */

#include "cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void cli_input_init(struct cli_input *in) {
	memset(in, 0, sizeof(*in));
	cli_default_limits(&in->ro);
}

int cli_input_option(const char *cmd, int c, const char *arg, struct cli_input *in) {
	struct tl_error err = {0};
	switch (c) {
	case 'u':
	case CLI_OPT_TIME_UNIT:
		if (!tl_unit_from_string(arg, &in->ro.unit)) {
			return cli_usage_error(cmd, "unknown unit '%s' (s, ms, us or ns)", arg);
		}
		return EXIT_OK;
	case 'I':
		if (!tl_format_from_string(arg, &in->ro.format)) {
			return cli_usage_error(cmd,
					       "unknown input format '%s' (auto, csv, joblog, "
					       "chrome or hyperfine)",
					       arg);
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
	case CLI_OPT_ALIGN:
		if (!tl_time_align_from_string(arg, &in->ro.align)) {
			return cli_usage_error(cmd, "invalid align '%s' (auto, start or absolute)",
					       arg);
		}
		return EXIT_OK;
	case CLI_OPT_GROUP_NAME: {
		const char *eq = strchr(arg, '=');
		if (!eq) {
			return cli_usage_error(cmd, "invalid group-name '%s' (OLD=NEW)", arg);
		}
		if (in->nrename == CLI_MAX_RENAMES) {
			return cli_usage_error(cmd, "more than %d --group-name options",
					       CLI_MAX_RENAMES);
		}
		in->rename[in->nrename++] = arg;
		return EXIT_OK;
	}
	case CLI_OPT_MAX_ROWS:
	case CLI_OPT_MAX_MEMORY:
		return cli_limit_option(cmd, c, arg, &in->ro) == EXIT_OK ? EXIT_OK : EXIT_USAGE;
	default:
		return CLI_NOT_MINE;
	}
}

/* The group of t that OLD names: its own name, or "PANEL:GROUP" (or "PANEL") of input panel. */
static bool find_old(const tl_trace *t, const char *old, const char *panel, uint32_t *ret) {
	if (tl_trace_find_group(t, old, ret)) {
		return true;
	}
	size_t pl = panel ? strlen(panel) : 0;
	if (!panel || strncmp(old, panel, pl) != 0) {
		return false;
	}
	if (!old[pl]) {
		return tl_trace_find_group(t, "", ret);
	}
	return old[pl] == ':' && tl_trace_find_group(t, old + pl + 1, ret);
}

/*
 * Apply --group-name OLD=NEW to t (an empty OLD is the unnamed group; panel,
 * when not NULL, the name the input goes by); with all, also those applied
 * to an earlier input already: a group is renamed in every input having it.
 */
static int rename_groups(tl_trace *t, struct cli_input *in, const char *panel, bool all) {
	for (size_t i = 0; i < in->nrename; i++) {
		const char *arg = in->rename[i], *eq = strchr(arg, '=');
		char old[512];
		snprintf(old, sizeof(old), "%.*s", (int)(eq - arg), arg);
		uint32_t g;
		if ((in->renamed[i] && !all) || !find_old(t, old, panel, &g)) {
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

/* The first --group-name that matched no group, said with t's groups; EXIT_USAGE. */
static int rename_unused(const tl_trace *t, const struct cli_input *in) {
	for (size_t i = 0; i < in->nrename; i++) {
		if (in->renamed[i]) {
			continue;
		}
		const char *arg = in->rename[i], *eq = strchr(arg, '=');
		char list[400] = "";
		size_t n = 0;
		for (size_t k = 0; k < tl_trace_group_count(t) && n < sizeof(list); k++) {
			char name[200];
			cli_visible_to(name, sizeof(name), tl_trace_group_name(t, (uint32_t)k));
			int w = snprintf(list + n, sizeof(list) - n, "%s'%s'", k ? ", " : "", name);
			n += w > 0 ? (size_t)w : 0;
		}
		fprintf(stderr, "timeline: --group-name %s: no group '%.*s' (the groups: %s)\n",
			arg, (int)(eq - arg), arg, list);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int cli_renames_used(const struct cli_input *in) {
	for (size_t i = 0; i < in->nrename; i++) {
		if (!in->renamed[i]) {
			const char *eq = strchr(in->rename[i], '=');
			fprintf(stderr,
				"timeline: --group-name %s: no input has a group '%.*s' (the "
				"groups: "
				"%s)\n",
				in->rename[i], (int)(eq - in->rename[i]), in->rename[i], in->seen);
			return EXIT_USAGE;
		}
	}
	return EXIT_OK;
}

/* Stats reads its inputs one by one: keep their groups' names for messages. */
static void note_groups(const tl_trace *t, struct cli_input *in) {
	size_t n = strlen(in->seen);
	for (size_t k = 0; k < tl_trace_group_count(t) && n < sizeof(in->seen) - 1; k++) {
		const char *g = tl_trace_group_name(t, (uint32_t)k);
		char name[200];
		cli_visible_to(name, sizeof(name), g);
		int w = snprintf(in->seen + n, sizeof(in->seen) - n, "%s'%s%s%s'", n ? ", " : "",
				 in->panel ? in->panel : "", in->panel && g[0] ? ":" : "", name);
		n += w > 0 ? (size_t)w : 0;
	}
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

/* Where a trace's time zero is, in epoch nanoseconds; false when it does not say. */
static bool absolute_origin(const tl_trace *t, long double *ret) {
	const char *e = tl_trace_meta_get(t, TL_META_EPOCH_NS);
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

/* Place input i's times: from zero, or at its absolute time less the earliest input's. */
static int place_input(tl_trace *t, bool absolute, long double origin, long double earliest,
		       struct tl_error *err) {
	long double d = origin - earliest;
	if (!absolute) {
		return TL_OK;
	}
	if (!(d >= 0 && d <= (long double)TL_TIME_MAX)) {
		return tl_error_set(err, TL_ERR_INPUT, NULL, 0, 0,
				    "more than 146 years after the earliest input: too far apart "
				    "to align");
	}
	return tl_trace_shift(t, -(tl_ns)llroundl(d), err);
}

static int load_several(char **inputs, int n, struct cli_input *in, tl_trace *t) {
	struct tl_error err = {0};
	bool absolute = in->ro.align == TL_TIMES_ABSOLUTE;
	tl_trace **all = calloc((size_t)n, sizeof(*all));
	long double *origin = calloc((size_t)n, sizeof(*origin));
	char **names = cli_input_names(inputs, n);
	int rc = EXIT_OK;
	if (!all || !origin || !names) {
		fprintf(stderr, "timeline: out of memory\n");
		rc = EXIT_INPUT;
		goto out;
	}
	long double earliest = 0;
	for (int i = 0; i < n && rc == EXIT_OK; i++) {
		if (tl_read_file(inputs[i], &in->ro, &all[i], &err) != TL_OK) {
			rc = cli_report(&err);
			break;
		}
		if (in->verbose) {
			say_notes(all[i], inputs[i]);
		}
		/* A group's own name, in every input that has it. */
		rc = rename_groups(all[i], in, NULL, true);
		if (rc != EXIT_OK) {
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
		if (place_input(all[i], absolute, origin[i], earliest, &err) != TL_OK ||
		    tl_trace_merge(t, all[i], names[i], &err) != TL_OK) {
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
	cli_input_names_free(names, n);
	return rc;
}

int cli_load(char **inputs, int n, struct cli_input *in, tl_trace **ret) {
	struct tl_error err = {0};
	tl_trace *t = NULL;
	int rc;
	if (n == 1) {
		rc = tl_read_file(inputs[0], &in->ro, &t, &err) == TL_OK ? EXIT_OK
									 : cli_report(&err);
		if (rc == EXIT_OK && in->verbose) {
			say_notes(t, NULL);
		}
	} else {
		t = tl_trace_new();
		if (!t) {
			fprintf(stderr, "timeline: out of memory\n");
			return EXIT_INPUT;
		}
		tl_trace_set_limits(t, in->ro.max_rows, in->ro.max_memory);
		rc = load_several(inputs, n, in, t);
	}
	/* One input's groups, or several inputs' panels by their full names ("runs:threads"). */
	if (rc == EXIT_OK && in->each) {
		note_groups(t, in);
	}
	if (rc == EXIT_OK) {
		rc = rename_groups(t, in, in->each ? in->panel : NULL, in->each);
	}
	if (rc == EXIT_OK && !in->each) {
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
