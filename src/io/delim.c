/*
 * Delimited logs with a header of field names (see delim.h): splitting a
 * line at a delimiter of any length, finding that delimiter in the header,
 * and --columns ROLE=NAME over such a header; then reading one: its lines
 * to rows of fields, and what its trace says once read. No quoting: the
 * programs that write these logs write none, and a field never holds the
 * delimiter.
 */

#include "delim.h"

#include "csv.h"
#include "scan.h"
#include "../util/text.h"

#include <stdio.h>
#include <string.h>

size_t tl_delim_split(const char *s, const char *end, const char *delim, size_t dlen,
		      struct tl_dfield *f, size_t max) {
	size_t n = 0;
	for (;;) {
		const char *d = NULL;
		if (dlen == 1) {
			d = memchr(s, delim[0], (size_t)(end - s));
		} else {
			for (const char *p = s; p + dlen <= end; p++) {
				p = memchr(p, delim[0], (size_t)(end - p));
				if (!p || p + dlen > end) {
					break;
				}
				if (memcmp(p, delim, dlen) == 0) {
					d = p;
					break;
				}
			}
		}
		if (n < max) {
			f[n] = (struct tl_dfield){s, (size_t)((d ? d : end) - s)};
		}
		n++;
		if (!d) {
			return n;
		}
		s = d + dlen;
	}
}

bool tl_delim_sniff(const char *s, const char *end, bool (*is_name)(unsigned char),
		    const char **ret_delim, size_t *ret_dlen) {
	const char *p = s;
	while (p < end && is_name((unsigned char)*p)) {
		p++;
	}
	if (p == s || p == end) {
		return false;
	}
	const char *d = p;
	while (p < end && !is_name((unsigned char)*p)) {
		p++;
	}
	if (p == end) {
		return false;
	}
	*ret_delim = d;
	*ret_dlen = (size_t)(p - d);
	return true;
}

const char *tl_delim_line(const char *p, const char *end, const char **ret_next) {
	const char *eol = memchr(p, '\n', (size_t)(end - p));
	const char *lend = eol ? eol : end;
	*ret_next = eol ? eol + 1 : end;
	if (lend > p && lend[-1] == '\r') {
		lend--;
	}
	return lend;
}

static bool role_of(const char *s, size_t len, enum tl_delim_role *ret) {
	static const struct {
		const char *w;
		enum tl_delim_role r;
	} words[] = {{"start", TL_DR_START},   {"stop", TL_DR_STOP},
		     {"end", TL_DR_STOP},      {"duration", TL_DR_DURATION},
		     {"dur", TL_DR_DURATION},  {"job", TL_DR_JOB},
		     {"worker", TL_DR_WORKER}, {"group", TL_DR_GROUP},
		     {"status", TL_DR_STATUS}, {"label", TL_DR_LABEL}};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (tl_word_eq_nocase(s, len, words[i].w)) {
			*ret = words[i].r;
			return true;
		}
	}
	return false;
}

/* NAME at p (quoted with "" for a quote, or up to the next ','), into buf; NULL when bad. */
static const char *spec_name(const char *p, char *buf, size_t size) {
	size_t n = 0;
	if (*p == '"') {
		for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
			p += *p == '"';
			if (n + 1 < size) {
				buf[n++] = *p;
			}
		}
		if (*p != '"') {
			return NULL;
		}
		p++;
	} else {
		for (; *p && *p != ','; p++) {
			if (n + 1 < size) {
				buf[n++] = *p;
			}
		}
		while (n && (buf[n - 1] == ' ' || buf[n - 1] == '\t')) {
			n--;
		}
	}
	buf[n] = '\0';
	return p;
}

/* The field called name (ignoring case) or at position name (from 1); -2 when none. */
static int find_field(const char *name, const struct tl_dfield *names, size_t n) {
	size_t len = strlen(name), digits = strspn(name, "0123456789");
	if (len && digits == len && len < 6) {
		int pos = 0;
		for (size_t i = 0; i < len; i++) {
			pos = pos * 10 + (name[i] - '0');
		}
		return pos >= 1 && (size_t)pos <= n ? pos - 1 : -2;
	}
	for (size_t i = 0; i < n; i++) {
		if (tl_word_eq_nocase(names[i].s, names[i].len, name)) {
			return (int)i;
		}
	}
	return -2;
}

tl_status tl_delim_columns(const char *columns, const struct tl_dfield *names, size_t n,
			   int col[TL_DR_COUNT], char *msg, size_t size) {
	for (const char *p = columns; p && *p;) {
		while (*p == ' ' || *p == '\t') {
			p++;
		}
		const char *eq = strchr(p, '=');
		size_t rl = eq ? (size_t)(eq - p) : 0;
		while (rl && (p[rl - 1] == ' ' || p[rl - 1] == '\t')) {
			rl--;
		}
		enum tl_delim_role role;
		if (!eq || !role_of(p, rl, &role)) {
			snprintf(msg, size,
				 "--columns: '%.*s' is not a role of this format (start, stop, "
				 "duration, job, worker, group, status or label)",
				 (int)(rl > 40 ? 40 : rl), p);
			return TL_ERR_INPUT;
		}
		p = eq + 1;
		while (*p == ' ' || *p == '\t') {
			p++;
		}
		char name[256];
		p = spec_name(p, name, sizeof(name));
		if (!p) {
			snprintf(msg, size, "--columns: unterminated quote");
			return TL_ERR_INPUT;
		}
		int c = name[0] ? find_field(name, names, n) : -1;
		if (c == -2) {
			snprintf(msg, size, "--columns %.*s='%.60s': no such field", (int)rl,
				 eq - rl, name);
			return TL_ERR_INPUT;
		}
		col[role] = c;
		p += *p == ',';
	}
	return TL_OK;
}

tl_status tl_delim_map(const struct tl_delim_format *fmt, const struct tl_dfield *names, size_t n,
		       const char *columns, int *col, char *msg, size_t size) {
	for (int c = 0; c < fmt->count; c++) {
		col[c] = -1;
		for (size_t i = 0; i < n && col[c] < 0; i++) {
			const char *w = fmt->names[c];
			bool same = fmt->fold ? tl_word_eq_nocase(names[i].s, names[i].len, w)
					      : names[i].len == strlen(w) &&
							memcmp(names[i].s, w, names[i].len) == 0;
			col[c] = same ? (int)i : -1;
		}
	}
	if (!columns) {
		return TL_OK;
	}
	int rc[TL_DR_COUNT];
	for (int k = 0; k < TL_DR_COUNT; k++) {
		rc[k] = col[fmt->role_field[k]];
	}
	tl_status st = tl_delim_columns(columns, names, n, rc, msg, size);
	for (int k = 0; k < TL_DR_COUNT && st == TL_OK; k++) {
		col[fmt->role_field[k]] = rc[k];
	}
	return st;
}

/* One line, [p, lend), not skipped: its fields to row. */
static tl_status delim_row(struct tl_line_reader *in, const struct tl_delim_log *log, const char *p,
			   const char *lend, tl_status (*row)(void *ctx, const struct tl_dfield *f),
			   void *ctx) {
	struct tl_dfield f[TL_DELIM_MAX_FIELDS];
	size_t bad = tl_utf8_check(p, (size_t)(lend - p));
	if (bad != (size_t)(lend - p)) {
		return tl_line_fail(in, p + bad, "invalid UTF-8");
	}
	size_t n = tl_delim_split(p, lend, log->delim, log->dlen, f, TL_DELIM_MAX_FIELDS);
	/* --parsable ends a line with the delimiter: one more field, empty. */
	if (log->parsable && n == log->nf + 1 && n <= TL_DELIM_MAX_FIELDS && f[n - 1].len == 0) {
		n--;
	}
	if (n != log->nf) {
		const char *at = n > log->nf && log->nf < TL_DELIM_MAX_FIELDS ? f[log->nf].s : lend;
		return tl_line_fail(in, at, "line has %zu field%s, the header has %zu", n,
				    n == 1 ? "" : "s", log->nf);
	}
	return row(ctx, f);
}

tl_status tl_delim_rows(struct tl_line_reader *in, const struct tl_delim_log *log, const char *p,
			const char *end, tl_status (*row)(void *ctx, const struct tl_dfield *f),
			void *ctx, size_t *ret_rows) {
	for (; p < end; in->line++) {
		const char *next, *lend = tl_delim_line(p, end, &next);
		in->line_start = p;
		if (lend != p && !(log->comments && *p == '#')) {
			tl_status st = delim_row(in, log, p, lend, row, ctx);
			if (st != TL_OK) {
				return st;
			}
			(*ret_rows)++;
		}
		p = next;
	}
	return TL_OK;
}

tl_status tl_delim_finish(tl_trace *t, const tl_read_opts *opts, bool queued, bool naive,
			  struct tl_error *err) {
	tl_status st = queued ? tl_trace_meta_set(t, TL_META_QUEUED, "1", err) : TL_OK;
	if (st == TL_OK) {
		st = tl_trace_meta_set(t, TL_META_TASK_LOG, "1", err);
	}
	/* A host runs several tasks at once. */
	if (st == TL_OK) {
		st = tl_trace_meta_set(t, TL_META_WORKER_SLOTS, "1", err);
	}
	if (st == TL_OK && naive) {
		st = tl_trace_meta_set(t, TL_META_LOCAL_TIME, "1", err);
	}
	/* The groups of one log (partitions, processes, hosts) ran at the same time. */
	if (st == TL_OK) {
		tl_time_align a =
			opts->align == TL_TIMES_START ? TL_TIMES_START : TL_TIMES_ABSOLUTE;
		st = tl_io_place_times(t, TL_CLOCK_EPOCH, a, err);
	}
	if (st == TL_OK && tl_trace_group_count(t) > 1 && opts->align != TL_TIMES_START) {
		st = tl_trace_meta_set(t, TL_META_GROUPS, TL_GROUPS_CONCURRENT, err);
	}
	return st;
}
