/*
 * Columns to roles: a header's names matched through the synonym table or
 * the --columns spec, with the note that says which column took which role
 * and the message that says which were looked for when one is missing.
 */

#include "../util/text.h"
#include "columns.h"
#include "scan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool all_digits(const char *s) {
	if (!*s) {
		return false;
	}
	for (; *s; s++) {
		if (*s < '0' || *s > '9') {
			return false;
		}
	}
	return true;
}

/* s (len bytes) with blanks around it dropped equals name, or does ignoring case. */
static bool same_text(const char *s, size_t len, const char *name, bool fold) {
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
		len--;
	}
	return fold ? tl_word_eq_nocase(s, len, name)
		    : strlen(name) == len && !strncmp(s, name, len);
}

/* Whether some role has column c. */
static bool taken_by(const struct col_map *m, int c) {
	for (int o = 1; o < R_COUNT; o++) {
		if (m->col[o] == c) {
			return true;
		}
	}
	return false;
}

/* The column spec names for role, or -1 with a message. */
static int spec_column(const struct col_header *h, const char *name, bool positional,
		       const char *const *norm, char *msg, size_t size, const char *role) {
	if (positional) {
		long v = strtol(name, NULL, 10);
		if (v >= 1 && (size_t)v <= h->n) {
			return (int)(v - 1);
		}
		snprintf(msg, size, "--columns %s=%s: the line has %zu columns", role, name, h->n);
		return -1;
	}
	for (int pass = 0; pass < 2; pass++) {
		for (size_t c = 0; c < h->n; c++) {
			if (same_text(h->text[c], h->len[c], name, pass == 1)) {
				return (int)c;
			}
		}
	}
	char nn[64];
	if (col_normalise(name, strlen(name), nn, sizeof(nn)) > 0) {
		for (size_t c = 0; c < h->n; c++) {
			if (strcmp(norm[c], nn) == 0) {
				return (int)c;
			}
		}
	}
	if (all_digits(name)) {
		long v = strtol(name, NULL, 10);
		if (v >= 1 && (size_t)v <= h->n) {
			return (int)(v - 1);
		}
	}
	int n = snprintf(msg, size, "--columns %s='%s': no such column; the header has:", role,
			 name);
	for (size_t c = 0; c < h->n && n > 0 && (size_t)n < size; c++) {
		n += snprintf(msg + n, size - (size_t)n, "%s '%.40s'", c ? "," : "", h->text[c]);
	}
	return -1;
}

/* A name for a column in notes: its header text, or its position when it has none. */
static void put_name(char *buf, size_t size, size_t *n, const struct col_header *h, size_t c,
		     bool headerless) {
	if (*n >= size) {
		return;
	}
	const char *s = h->text[c];
	int w;
	if (!h->len[c] || headerless) {
		w = snprintf(buf + *n, size - *n, "column %zu", c + 1);
	} else if (strpbrk(s, ",;=") || s[0] == ' ' || s[h->len[c] - 1] == ' ') {
		w = snprintf(buf + *n, size - *n, "\"%.60s\"", s);
	} else {
		w = snprintf(buf + *n, size - *n, "%.60s", s);
	}
	*n += w > 0 ? (size_t)w : 0;
}

static void put(char *buf, size_t size, size_t *n, const char *s) {
	if (*n < size) {
		int w = snprintf(buf + *n, size - *n, "%s", s);
		*n += w > 0 ? (size_t)w : 0;
	}
}

/* "start=Start Time, stop=End; ignored: Notes, started_at (a second start)". */
static void write_note(const struct col_header *h, struct col_map *m, const int *rank) {
	static const enum col_role order[] = {R_KIND, R_GROUP, R_JOB,    R_WORKER, R_START, R_STOP,
					      R_DUR,  R_TIME,  R_STATUS, R_LABEL,  R_WAIT};
	char *buf = m->note;
	size_t size = sizeof(m->note), n = 0;
	bool first = true;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		int c = m->col[order[i]];
		if (c < 0) {
			continue;
		}
		put(buf, size, &n, first ? "" : ", ");
		put(buf, size, &n, col_role_name(order[i]));
		put(buf, size, &n, "=");
		if (order[i] == R_JOB && m->index_job && c == 0) {
			put(buf, size, &n, "the unnamed first column (an index)");
		} else if ((order[i] == R_JOB && m->index_job) ||
			   (order[i] == R_GROUP && m->index_group)) {
			char what[64];
			snprintf(what, sizeof(what), "unnamed column %d (an index level)", c + 1);
			put(buf, size, &n, what);
		} else {
			put_name(buf, size, &n, h, (size_t)c, m->headerless);
		}
		first = false;
	}
	bool any = false;
	for (size_t c = 0; c < h->n; c++) {
		bool used = false;
		for (int r = 1; r < R_COUNT; r++) {
			used |= m->col[r] == (int)c;
		}
		if (used) {
			continue;
		}
		put(buf, size, &n, any ? ", " : "; ignored: ");
		any = true;
		if (c == 0 && h->len[0] == 0) {
			put(buf, size, &n, "the unnamed first column (an index)");
			continue;
		}
		put_name(buf, size, &n, h, c, m->headerless);
		for (int r = 1; r < R_COUNT; r++) {
			if (rank[c * R_COUNT + (size_t)r] >= 0 && m->col[r] >= 0) {
				put(buf, size, &n, " (a second ");
				put(buf, size, &n, col_role_name(r));
				put(buf, size, &n, ")");
				break;
			}
		}
	}
	if (n >= size && size > 4) {
		memcpy(buf + size - 4, "...", 4);
	}
}

/* The names a role looks for, for messages: "start, start_time, started_at, ...". */
static void looked_for(enum col_role role, char *buf, size_t size) {
	size_t n = 0;
	for (int i = 0; col_role_entry(role)->names[i] && i < 4; i++) {
		put(buf, size, &n, i ? ", " : "");
		put(buf, size, &n, col_role_entry(role)->names[i]);
	}
	put(buf, size, &n, ", ...");
}

static tl_status missing_columns(const struct col_header *h, const struct col_map *m,
				 bool first_is_data, int *ret_col, char *msg, size_t size) {
	char a[96], b[96], d[96], t[96];
	looked_for(R_START, a, sizeof(a));
	looked_for(R_STOP, b, sizeof(b));
	looked_for(R_DUR, d, sizeof(d));
	looked_for(R_TIME, t, sizeof(t));
	if (m->col[R_START] >= 0) {
		*ret_col = m->col[R_START];
		snprintf(msg, size,
			 "the start column has no stop column (looked for %s) or duration "
			 "column (%s)",
			 b, d);
	} else if (m->col[R_STOP] >= 0 || m->col[R_DUR] >= 0) {
		*ret_col = m->col[R_STOP] >= 0 ? m->col[R_STOP] : m->col[R_DUR];
		snprintf(msg, size, "no start column (looked for %s) for the %s column", a,
			 m->col[R_STOP] >= 0 ? "stop" : "duration");
	} else if (first_is_data) {
		*ret_col = -1;
		snprintf(msg, size,
			 "the first line is data, not a header: say which columns hold what "
			 "with --columns, e.g. --columns start=1,stop=2 (numbers count columns "
			 "from 1)");
	} else {
		*ret_col = -1;
		size_t n = (size_t)snprintf(msg, size, "no time column in the header '");
		for (size_t c = 0; c < h->n && n < size; c++) {
			n += (size_t)snprintf(msg + n, size - n, "%s%.30s", c ? "," : "",
					      h->text[c]);
		}
		if (n < size) {
			snprintf(msg + n, size - n,
				 "': looked for start and stop (or duration), or t, and the "
				 "names 'timeline help formats' lists; --columns names them");
		}
	}
	return TL_ERR_INPUT;
}

/* Columns named by spec; *ret_positional when they are positions on a headerless file. */
static tl_status assign_spec(const struct col_header *h, const struct col_spec *spec,
			     bool first_is_data, const char *const *norm, bool *forced,
			     struct col_map *m, int *ret_col, char *msg, size_t size) {
	bool positional = first_is_data;
	for (int r = 1; r < R_COUNT && positional; r++) {
		if (spec->set[r] && spec->name[r][0] && !all_digits(spec->name[r])) {
			positional = false;
		}
	}
	m->headerless = positional;
	for (int r = 1; r < R_COUNT; r++) {
		if (!spec->set[r]) {
			continue;
		}
		forced[r] = true;
		if (!spec->name[r][0]) {
			continue;
		}
		int c = spec_column(h, spec->name[r], positional, norm, msg, size,
				    col_role_name(r));
		if (c < 0) {
			*ret_col = -1;
			return TL_ERR_INPUT;
		}
		for (int o = 1; o < R_COUNT; o++) {
			if (m->col[o] == c) {
				*ret_col = c;
				snprintf(msg, size, "--columns names column %d for both %s and %s",
					 c + 1, col_role_name(o), col_role_name(r));
				return TL_ERR_INPUT;
			}
		}
		m->col[r] = c;
		if (!positional && col_is_time((enum col_role)r)) {
			m->unit[r] = col_suffix_unit(norm[c]);
		}
		if (spec->unit[r] != TL_UNIT_DEFAULT) {
			m->unit[r] = spec->unit[r];
			m->mult[r] = spec->mult[r];
		}
	}
	return TL_OK;
}

tl_status col_assign(const struct col_header *h, const struct col_spec *spec, bool first_is_data,
		     struct col_map *m, int *ret_col, char *msg, size_t size) {
	for (int r = 0; r < R_COUNT; r++) {
		m->col[r] = -1;
		m->unit[r] = TL_UNIT_DEFAULT;
		m->mult[r] = 1;
	}
	m->index_job = false;
	m->index_group = false;
	m->headerless = false;
	m->note[0] = '\0';
	size_t n = h->n;
	char(*norm)[64] = calloc(n ? n : 1, sizeof(*norm));
	const char **normp = calloc(n ? n : 1, sizeof(*normp));
	int *rank = calloc(n ? n * R_COUNT : 1, sizeof(*rank));
	tl_unit *unit = calloc(n ? n : 1, sizeof(*unit));
	tl_status st = TL_OK;
	if (!norm || !normp || !rank || !unit) {
		snprintf(msg, size, "out of memory");
		*ret_col = -1;
		st = TL_ERR_NOMEM;
		goto out;
	}
	for (size_t c = 0; c < n; c++) {
		col_normalise(h->text[c], h->len[c], norm[c], sizeof(norm[c]));
		normp[c] = norm[c];
		col_match_name(norm[c], rank + c * R_COUNT, &unit[c]);
		rank[c * R_COUNT] = -1;
	}
	bool forced[R_COUNT] = {false};
	if (spec) {
		st = assign_spec(h, spec, first_is_data, normp, forced, m, ret_col, msg, size);
		if (st != TL_OK) {
			goto out;
		}
	}
	if (!m->headerless && !(first_is_data && !spec)) {
		static const enum col_role order[] = {R_KIND,   R_START, R_STOP, R_DUR,
						      R_TIME,   R_GROUP, R_JOB,  R_WORKER,
						      R_STATUS, R_LABEL, R_WAIT};
		for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
			enum col_role r = order[i];
			if (forced[r]) {
				continue;
			}
			int best = -1, best_rank = 0;
			for (size_t c = 0; c < n; c++) {
				int rk = rank[c * R_COUNT + r];
				bool taken = false;
				for (int o = 1; o < R_COUNT; o++) {
					taken |= m->col[o] == (int)c;
				}
				if (rk >= 0 && !taken && (best < 0 || rk < best_rank)) {
					best = (int)c;
					best_rank = rk;
				}
			}
			m->col[r] = best;
			m->unit[r] = best >= 0 ? unit[best] : TL_UNIT_DEFAULT;
		}
		/*
		 * pandas' to_csv() writes its index as an unnamed first column,
		 * and the levels of a MultiIndex (set_index(["mode", "job"]))
		 * as several: the first is the group, the last the job.
		 */
		size_t levels = 0;
		while (levels < n &&
		       (!norm[levels][0] || strncmp(norm[levels], "unnamed_", 8) == 0)) {
			levels++;
		}
		levels = levels < n ? levels : 0;
		if (levels >= 2 && m->col[R_GROUP] < 0 && !forced[R_GROUP] && !taken_by(m, 0)) {
			m->col[R_GROUP] = 0;
			m->index_group = true;
		}
		if (levels >= 1 && m->col[R_JOB] < 0 && !forced[R_JOB] &&
		    !taken_by(m, (int)levels - 1)) {
			m->col[R_JOB] = (int)levels - 1;
			m->index_job = true;
		}
	}
	/* A time with a stop or a duration is when the span started (JMeter's timeStamp). */
	if (m->col[R_START] < 0 && !forced[R_START] && m->col[R_TIME] >= 0 &&
	    (m->col[R_STOP] >= 0 || m->col[R_DUR] >= 0) && m->col[R_KIND] < 0) {
		m->col[R_START] = m->col[R_TIME];
		m->unit[R_START] = m->unit[R_TIME];
		m->col[R_TIME] = -1;
	}
	bool spans = m->col[R_START] >= 0 && (m->col[R_STOP] >= 0 || m->col[R_DUR] >= 0);
	bool back = m->col[R_START] < 0 && m->col[R_STOP] >= 0 && m->col[R_DUR] >= 0;
	bool kinded = m->col[R_KIND] >= 0 && m->col[R_START] >= 0;
	if (!spans && !back && !kinded && m->col[R_TIME] < 0) {
		st = missing_columns(h, m, first_is_data && !spec, ret_col, msg, size);
		goto out;
	}
	write_note(h, m, rank);
out:
	free(norm);
	free(normp);
	free(rank);
	free(unit);
	return st;
}
