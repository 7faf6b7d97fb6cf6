/*
 * The CSV reader's header: the field separator, the columns' names matched
 * to roles through columns.c's alias table, and each time column's unit.
 */

#include <timeline/io.h>

#include "../model/model.h"
#include "csv.h"
#include "csv_impl.h"
#include "scan.h"
#include "timetext.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int unit_scale(tl_unit u) {
	return tl_time_unit_scale10(tl_unit_time(u));
}

/* Text that reads as a value, not a name: a number, a date or a time. */
static bool value_like(const char *s, size_t len) {
	int64_t v;
	tl_num rc = tl_parse_decimal(s, len, 0, &v);
	return rc == TL_NUM_OK || rc == TL_NUM_RANGE || tl_looks_like_datetime(s, len);
}

/* Header texts: unquoted, blanks around them dropped, NUL-terminated copies. */
static tl_status header_names(struct csv *r, size_t n, char ***ret_text, size_t **ret_len,
			      bool *ret_data) {
	char **text = calloc(n, sizeof(*text));
	size_t *lens = calloc(n, sizeof(*lens));
	if (!text || !lens) {
		free(text);
		free(lens);
		return csv_nomem(r);
	}
	*ret_text = text;
	*ret_len = lens;
	size_t values = 0, names = 0, dates = 0;
	for (size_t c = 0; c < n; c++) {
		const struct field *f = &r->f[c];
		size_t bad = tl_utf8_check(f->s, f->len);
		if (bad != f->len) {
			return csv_fail_at(r, f->s + bad, "invalid UTF-8 in the header");
		}
		const char *s;
		size_t len;
		csv_field_text(r, f, &s, &len);
		while (len && (*s == ' ' || *s == '\t')) {
			s++;
			len--;
		}
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
			len--;
		}
		text[c] = strndup(s, len);
		if (!text[c]) {
			return csv_nomem(r);
		}
		lens[c] = len;
		if (len && value_like(s, len)) {
			values++;
			dates += tl_looks_like_datetime(s, len) &&
				 tl_parse_decimal(s, len, 0, &(int64_t){0}) != TL_NUM_OK;
		} else if (len) {
			names++;
		}
	}
	/*
	 * A header names its columns: a line that holds a date, or more numbers
	 * than names, is data (sacct --noheader, numpy.savetxt, ninja's log).
	 */
	*ret_data = values > 0 && (dates > 0 || values >= names);
	/* pandas names the columns of a frame made from an array 0, 1, ...: a header. */
	bool numbered = n > 1 && lens[0] == 0;
	for (size_t c = 1; c < n && numbered; c++) {
		char want[24];
		snprintf(want, sizeof(want), "%zu", c - 1);
		numbered = strcmp(text[c], want) == 0;
	}
	*ret_data &= !numbered;
	return TL_OK;
}

static void free_names(char **text, size_t *lens, size_t n) {
	for (size_t c = 0; text && c < n; c++) {
		free(text[c]);
	}
	free(text);
	free(lens);
}

/*
 * The names of a header written as the comment just before the first line
 * ("# start,stop", as numpy.savetxt(header=...) writes it): as many as the
 * line has fields, split the same way, none of them a number. false when the
 * comment is no such header.
 */
static bool comment_names(struct csv *r, size_t n, char ***ret_text, size_t **ret_len) {
	if (!r->comment_s) {
		return false;
	}
	char **text = calloc(n, sizeof(*text));
	size_t *lens = calloc(n, sizeof(*lens));
	size_t c = 0;
	const char *p = r->comment_s;
	while (text && lens && p <= r->comment_e && c < n + 1) {
		const char *q = p;
		while (q < r->comment_e && *q != r->sep && !(r->blanks && *q == '\t')) {
			q++;
		}
		const char *a = p, *b = q;
		while (a < b && (*a == ' ' || *a == '\t')) {
			a++;
		}
		while (b > a && (b[-1] == ' ' || b[-1] == '\t')) {
			b--;
		}
		if (c == n || a == b || value_like(a, (size_t)(b - a)) ||
		    (!(text[c] = strndup(a, (size_t)(b - a))))) {
			c = n + 1;
			break;
		}
		lens[c++] = (size_t)(b - a);
		p = q + 1;
		while (r->blanks && p < r->comment_e && (*p == ' ' || *p == '\t')) {
			p++;
		}
	}
	if (c != n) {
		free_names(text, lens, n);
		return false;
	}
	*ret_text = text;
	*ret_len = lens;
	return true;
}

tl_status csv_parse_header(struct csv *r, size_t n, const tl_read_opts *o,
			   const struct col_spec *spec) {
	char **text = NULL;
	size_t *lens = NULL;
	bool data = false, commented = false;
	tl_status st = header_names(r, n, &text, &lens, &data);
	char **ctext;
	size_t *clens;
	if (st == TL_OK && data && !spec && comment_names(r, n, &ctext, &clens)) {
		free_names(text, lens, n);
		text = ctext;
		lens = clens;
		data = false;
		commented = true;
	}
	struct col_map *m = st == TL_OK ? malloc(sizeof(*m)) : NULL;
	if (st == TL_OK && !m) {
		st = csv_nomem(r);
	}
	if (st == TL_OK) {
		struct col_header h = {n, (const char *const *)text, lens};
		char msg[TL_ERROR_MSG_MAX];
		int bad = -1;
		st = col_assign(&h, spec, data, m, &bad, msg, sizeof(msg));
		if (st == TL_ERR_NOMEM) {
			st = csv_nomem(r);
		} else if (st != TL_OK) {
			st = csv_fail_at(r, bad >= 0 ? FIELD_POS(&r->f[bad]) : r->rec_start, "%s",
					 msg);
		}
	}
	if (st == TL_OK) {
		r->ncols = n;
		r->headerless = m->headerless || commented;
		r->back = m->col[R_START] < 0 && m->col[R_STOP] >= 0 && m->col[R_DUR] >= 0;
		for (int i = 0; i < R_COUNT; i++) {
			r->col[i] = m->col[i];
			tl_unit u = m->unit[i];
			r->bare[i] = u == TL_UNIT_DEFAULT && o->unit == TL_UNIT_DEFAULT;
			r->scale[i] = unit_scale(u != TL_UNIT_DEFAULT ? u : o->unit);
			r->mult[i] = m->mult[i];
		}
		st = tl_trace_meta_set(r->trace, TL_META_COLUMNS, m->note, r->err);
	}
	free_names(text, lens, n);
	free(m);
	return st;
}

/* The first bare number of a start, stop or time column decides the unit of every bare column. */
void csv_guess_unit(struct csv *r, const char *s, size_t len) {
	r->guessed = true;
	tl_columns_guess_unit(s, len, r->bare, r->scale, &r->guess_epoch, &r->guess_scale,
			      r->guess_example, sizeof(r->guess_example));
}

/*
 * The field separator, from the first line that is not a comment or blank:
 * of comma, tab, semicolon and pipe, the one that splits it into the most
 * fields outside quotes, preferring one that splits the next line alike.
 */
char csv_sniff_separator(const char *p, const char *end) {
	static const char cand[] = {',', '\t', ';', '|'};
	size_t count[2][4] = {{0}}, words[2] = {0};
	int line = 0;
	bool quoted = false, blank = true, in_word = false;
	for (; p < end && line < 2; p++) {
		char c = *p;
		if (c == '"') {
			quoted = !quoted;
		}
		if (!quoted && (c == '\n' || c == '\r')) {
			line += !blank;
			blank = true;
			in_word = false;
			continue;
		}
		if (blank && c == '#' && !quoted) {
			const char *eol = memchr(p, '\n', (size_t)(end - p));
			p = eol ? eol : end - 1;
			continue;
		}
		bool space = !quoted && (c == ' ' || c == '\t');
		if (!space && !in_word) {
			words[line]++;
		}
		in_word = !space;
		if (c != ' ' && c != '\t') {
			blank = false;
		}
		for (int k = 0; k < 4 && !quoted; k++) {
			count[line][k] += c == cand[k];
		}
	}
	int best = 0;
	for (int k = 1; k < 4; k++) {
		bool alike = line < 1 || count[1][k] == count[0][k];
		bool best_alike = line < 1 || count[1][best] == count[0][best];
		if ((alike && !best_alike && count[0][k]) ||
		    (alike == best_alike && count[0][k] > count[0][best])) {
			best = k;
		}
	}
	if (count[0][best]) {
		return cand[best];
	}
	/* numpy.savetxt's default: words apart by blanks, as many on the next line. */
	return words[0] >= 2 && line >= 2 && words[1] == words[0] ? ' ' : ',';
}
