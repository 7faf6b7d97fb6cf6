/*
 * The option tables of the subcommands, read three ways: as getopt_long's
 * arrays, as the --help text, and as the message for a bad value, which
 * lists the words the library's own name tables accept. An option said once
 * in its table cannot be parsed, shown and refused differently. Unknown
 * subcommands and options are answered with the closest name when one is
 * close enough to be a typing slip.
 */

#include "cli.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

/* Calls f on each option of table and of the tables it includes, in order; stops when f does. */
static const struct cli_option *find(const struct cli_option *table,
				     bool (*f)(const struct cli_option *o, const void *ctx),
				     const void *ctx) {
	for (const struct cli_option *o = table; o->key || o->text || o->include; o++) {
		const struct cli_option *hit = o->include ? find(o->include, f, ctx) : NULL;
		if (hit) {
			return hit;
		}
		if (!o->include && o->key && f(o, ctx)) {
			return o;
		}
	}
	return NULL;
}

/* Adds o to the parser's getopt_long arrays. */
static bool add_option(const struct cli_option *o, const void *ctx) {
	struct cli_parser *p = (struct cli_parser *)ctx;
	assert(p->nlong < CLI_MAX_OPTIONS); /* else raise CLI_MAX_OPTIONS */
	if (o->name && p->nlong < CLI_MAX_OPTIONS) {
		p->longs[p->nlong++] = (struct option){o->name, o->has_arg, NULL, o->key};
	}
	size_t n = strlen(p->shorts);
	if (o->letter && n + 3 < sizeof(p->shorts)) {
		p->shorts[n++] = o->letter;
		if (o->has_arg != no_argument) {
			p->shorts[n++] = ':';
		}
		if (o->has_arg == optional_argument) {
			p->shorts[n++] = ':';
		}
		p->shorts[n] = '\0';
	}
	return false;
}

void cli_parser_init(struct cli_parser *p, const struct cli_spec *spec) {
	memset(p, 0, sizeof(*p));
	p->spec = spec;
	/* "+": options end at the first argument; ":": a missing value is told apart. */
	snprintf(p->shorts, sizeof(p->shorts), "%s:", spec->in_order ? "+" : "");
	find(spec->opts, add_option, p);
}

/* The distance between a and b: insertions, deletions, substitutions and swaps of neighbours. */
static size_t edit_distance(const char *a, const char *b) {
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64) {
		return (size_t)-1;
	}
	size_t d[65][65];
	for (size_t i = 0; i <= la; i++) {
		for (size_t j = 0; j <= lb; j++) {
			if (!i || !j) {
				d[i][j] = i + j;
				continue;
			}
			size_t sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
			size_t best = sub < del ? sub : del;
			best = ins < best ? ins : best;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best) {
				best = d[i - 2][j - 2] + 1;
			}
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

void cli_match_try(struct cli_match *m, const char *name) {
	size_t d = edit_distance(m->word, name);
	if (!m->best || d < m->distance) {
		m->best = name;
		m->distance = d;
	}
}

const char *cli_match_close(const struct cli_match *m) {
	/* A slip of a key or two: at most 2 edits, and at most a third of the word. */
	size_t len = strlen(m->word);
	return m->best && m->distance <= 2 && m->distance * 3 <= len ? m->best : NULL;
}

static bool try_long_name(const struct cli_option *o, const void *ctx) {
	if (o->name) {
		cli_match_try((struct cli_match *)ctx, o->name);
	}
	return false;
}

/* After getopt_long returned '?' or ':': says what was wrong with the option and how to mend it. */
static void bad_option(const struct cli_parser *p, int c, char **argv) {
	const char *cmd = p->spec->cmd, *arg = argv[optind - 1];
	if (c == ':') {
		cli_usage_error(cmd, "option '%s' needs a value", arg);
		return;
	}
	if (optopt && strncmp(arg, "--", 2) != 0) {
		cli_usage_error(cmd, "unknown option '-%c'", optopt);
		return;
	}
	/* For "--name=value" name only the option. */
	char name[128];
	snprintf(name, sizeof(name), "%s", arg);
	char *eq = strchr(name, '=');
	if (eq) {
		*eq = '\0';
	}
	if (optopt) {
		cli_usage_error(cmd, "option '%s' takes no value", name);
		return;
	}
	struct cli_match m = {.word = name + 2};
	find(p->spec->opts, try_long_name, &m);
	const char *close = cli_match_close(&m);
	if (close) {
		cli_suggest(cmd, "unknown option '%s' (did you mean '--%s'?)", name, close);
	} else {
		cli_usage_error(cmd, "unknown option '%s'", name);
	}
}

int cli_next_option(struct cli_parser *p, int argc, char **argv) {
	opterr = 0;
	int c = getopt_long(argc, argv, p->shorts, p->longs, NULL);
	if (c == '?' || c == ':') {
		bad_option(p, c, argv);
		return CLI_BAD_OPTION;
	}
	return c;
}

/* The words of o joined by sep, the last by last ("a, b or c"), in buf. */
static const char *join_words(const struct cli_option *o, const char *sep, const char *last,
			      char *buf, size_t size) {
	size_t n = 0;
	buf[0] = '\0';
	for (int i = 0; o->word(i) && n < size; i++) {
		const char *s = i == 0 ? "" : o->word(i + 1) ? sep : last;
		int w = snprintf(buf + n, size - n, "%s%s", s, o->word(i));
		n += w > 0 ? (size_t)w : 0;
	}
	return buf;
}

static bool has_key(const struct cli_option *o, const void *ctx) {
	return o->key == *(const int *)ctx;
}

int cli_bad_value(const char *cmd, const struct cli_option *table, int key, const char *arg) {
	const struct cli_option *o = find(table, has_key, &key);
	char words[512];
	const char *expect = !o        ? "?"
			     : o->word ? join_words(o, ", ", " or ", words, sizeof(words))
				       : o->expect;
	char letter[2] = {o ? o->letter : '?', '\0'};
	return cli_usage_error(cmd, "invalid %s '%s' (%s)", o && o->name ? o->name : letter, arg,
			       expect);
}

/* The left part of o's help line: "  -o, --output FILE", "      --kind auto|gantt". */
static size_t option_head(const struct cli_option *o, char *buf, size_t size) {
	char words[512];
	const char *arg = o->word ? join_words(o, "|", "|", words, sizeof(words)) : o->arg;
	char letter[8] = "    ";
	if (o->letter) {
		snprintf(letter, sizeof(letter), "-%c%s", o->letter, o->name ? ", " : "");
	}
	bool optional = o->has_arg == optional_argument;
	int w = snprintf(buf, size, "  %s%s%s%s%s%s", letter, o->name ? "--" : "",
			 o->name ? o->name : "",
			 optional ? "[="
			 : arg    ? " "
				  : "",
			 arg ? arg : "", optional ? "]" : "");
	return w > 0 ? (size_t)w : 0;
}

/* One option's help: its head, then its lines from the spec's column. */
static void print_option(FILE *f, const struct cli_option *o, int column) {
	char head[640];
	size_t n = option_head(o, head, sizeof(head));
	/* A long list of words breaks after a '|' before the 80th column. */
	const char *s = head;
	while (strlen(s) > 79) {
		const char *cut = s + 79;
		while (cut > s && cut[-1] != '|') {
			cut--;
		}
		if (cut == s) {
			break;
		}
		fprintf(f, "%.*s\n%*s", (int)(cut - s), s, 8, "");
		n = (size_t)column; /* the help under the words, not beside them */
		s = cut;
	}
	fputs(s, f);
	if ((int)n + 1 > column) {
		fprintf(f, "\n%*s", column, "");
	} else {
		fprintf(f, "%*s", column - (int)n, "");
	}
	for (const char *line = o->help; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		fprintf(f, "%.*s\n", (int)len, line);
		line += len + (nl != NULL);
		if (*line) {
			fprintf(f, "%*s", column, "");
		}
	}
}

static void print_table(FILE *f, const struct cli_option *table, int column) {
	for (const struct cli_option *o = table; o->key || o->text || o->include; o++) {
		if (o->include) {
			print_table(f, o->include, column);
		} else if (o->text) {
			fputs(o->text, f);
		} else if (o->help) {
			print_option(f, o, column);
		}
	}
}

int cli_print_help(const struct cli_spec *spec) {
	print_table(stdout, spec->opts, spec->column);
	return EXIT_OK;
}

const char *cli_written_format_word(int i) {
	static const tl_format written[] = {TL_FORMAT_CSV, TL_FORMAT_CHROME};
	return i >= 0 && i < 2 ? tl_format_to_string(written[i]) : NULL;
}
