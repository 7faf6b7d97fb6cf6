/*
 * CSV reader and writer (docs/csv-format.md is the user's description).
 *
 * The reader works on the whole file in memory in one pass: RFC 4180 fields
 * (quotes, doubled quotes, newlines inside quotes), CRLF or LF or CR line ends,
 * a UTF-8 byte order mark, '#' comment lines ("# key: value" become metadata)
 * and blank lines. Columns are matched by name through an alias table; time
 * columns take their unit from a suffix (_s, _ms, _us, _ns). Numbers are
 * parsed by scan.c straight to nanoseconds. Strings are interned through a
 * one-entry cache per column, because consecutive rows nearly always repeat
 * the group and worker. Every rejection names file, line and column, and no
 * trace escapes a failed read.
 *
 * The writer writes the native schema that the reader reads back to the same
 * trace: metadata lines, then kind,group,job,worker,start,stop,status,label
 * with times as seconds with 9 decimals (exact nanoseconds).
 */

#include <timeline/io.h>

#include "../model/hash.h"
#include "../model/model.h"
#include "csv.h"
#include "scan.h"

#include <timeline/timeline.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

enum role {
	R_IGNORE = 0,
	R_KIND,
	R_GROUP,
	R_JOB,
	R_WORKER,
	R_START,
	R_STOP,
	R_DUR,
	R_TIME,
	R_STATUS,
	R_LABEL,
	R_COUNT
};

struct alias {
	const char *name;
	enum role role;
};

/* Matched after lower-casing and trimming the header name. */
static const struct alias aliases[] = {
	{"kind", R_KIND},
	{"group", R_GROUP},
	{"mode", R_GROUP},
	{"run", R_GROUP},
	{"panel", R_GROUP},
	{"series", R_GROUP},
	{"job", R_JOB},
	{"task", R_JOB},
	{"id", R_JOB},
	{"index", R_JOB},
	{"", R_JOB},
	{"job_id", R_JOB},
	{"task_id", R_JOB},
	{"worker", R_WORKER},
	{"thread", R_WORKER},
	{"tid", R_WORKER},
	{"pid", R_WORKER},
	{"slot", R_WORKER},
	{"worker_id", R_WORKER},
	{"thread_id", R_WORKER},
	{"start", R_START},
	{"begin", R_START},
	{"started", R_START},
	{"start_time", R_START},
	{"stop", R_STOP},
	{"end", R_STOP},
	{"finish", R_STOP},
	{"finished", R_STOP},
	{"stop_time", R_STOP},
	{"end_time", R_STOP},
	{"duration", R_DUR},
	{"dur", R_DUR},
	{"elapsed", R_DUR},
	{"runtime", R_DUR},
	{"t", R_TIME},
	{"time", R_TIME},
	{"timestamp", R_TIME},
	{"ts", R_TIME},
	{"status", R_STATUS},
	{"exit", R_STATUS},
	{"exitval", R_STATUS},
	{"exit_code", R_STATUS},
	{"returncode", R_STATUS},
	{"label", R_LABEL},
	{"name", R_LABEL},
};

static const char *const role_time_name[R_COUNT] = {
	[R_START] = "start time",
	[R_STOP] = "stop time",
	[R_DUR] = "duration",
	[R_TIME] = "time",
};

struct field {
	const char *s; /* raw bytes (inside the quotes when quoted) */
	size_t len;
	bool quoted;  /* s is preceded by an opening quote */
	bool escaped; /* holds doubled quotes to undo */
};

/* One-entry cache per string column: the previous row's value and its id. */
struct strcache {
	const char *s; /* the interned copy: stable until the trace is freed */
	size_t len;
	tl_str id;
};

/* Text job names → job numbers, per group. */
struct jobname {
	uint64_t key; /* group << 32 | string id, + 1 so that 0 is empty */
	int64_t job;
};

struct csv {
	const char *name;
	const char *p, *end;
	long line;
	const char *line_start;
	const char *rec_start; /* start of the line the current record starts on */
	long rec_line;         /* its line number */
	const char *rec_end;   /* where the current record's final field ended */
	tl_trace *trace;
	struct tl_error *err;

	struct field *f;
	size_t fcap;
	size_t ncols;
	int col[R_COUNT];   /* column of each role, -1 when absent */
	int scale[R_COUNT]; /* power of ten from the column's unit to ns */

	char *scratch; /* unescaped quoted fields of the current row */
	size_t scratch_cap, scratch_used;

	struct strcache cache[R_COUNT];
	tl_str group_str;
	uint32_t group_idx;
	bool group_valid;

	int64_t *next_job;   /* per group: next default job number for spans */
	int64_t *next_named; /* per group: next number for a job given as text */
	size_t njobctr;
	struct jobname *names;
	size_t names_cap, names_n;
};

static tl_status fail(struct csv *r, long line, const char *line_start, const char *pos,
		      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static tl_status fail(struct csv *r, long line, const char *line_start, const char *pos,
		      const char *fmt, ...) {
	char msg[TL_ERROR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return tl_error_set(r->err, TL_ERR_INPUT, r->name, line, tl_column(line_start, pos), "%s",
			    msg);
}

/*
 * Line and column of pos, a byte of the current record. Only errors need
 * them, so fields keep no positions: count line breaks from the record start.
 */
static tl_status fail_at(struct csv *r, const char *pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static tl_status fail_at(struct csv *r, const char *pos, const char *fmt, ...) {
	const char *ls;
	long line = r->rec_line - 1 + tl_line_of(r->rec_start, r->end, pos, &ls);
	char msg[TL_ERROR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return tl_error_set(r->err, TL_ERR_INPUT, r->name, line, tl_column(ls, pos), "%s", msg);
}

/* A field's position is its first byte, or its opening quote. */
#define FIELD_POS(f) ((f)->s - (f)->quoted)

static tl_status nomem(struct csv *r) {
	return tl_error_set(r->err, TL_ERR_NOMEM, r->name, 0, 0, "out of memory");
}

/* Grow the field array to hold at least need entries. */
static bool grow_fields(struct csv *r, size_t need) {
	size_t ncap = r->fcap ? r->fcap * 2 : 16;
	while (ncap < need) {
		ncap *= 2;
	}
	struct field *nf = realloc(r->f, ncap * sizeof(*nf));
	if (!nf) {
		return false;
	}
	r->f = nf;
	r->fcap = ncap;
	return true;
}

/* Bytes that end an unquoted field. */
static const bool field_end[256] = {[','] = true, ['\n'] = true, ['\r'] = true};

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Nonzero when a byte of x is zero; its lowest set bit marks the first one. */
static inline uint64_t zero_byte(uint64_t x) {
	return (x - ONES) & ~x & HIGHS;
}

/* The end of an unquoted field starting at q: a comma, a line end or the end. */
static const char *scan_field(const char *q, const char *end) {
	/* Most fields are short: look at the first bytes one by one. */
	const char *stop = end - q > 8 ? q + 8 : end;
	while (q < stop) {
		if (field_end[(unsigned char)*q]) {
			return q;
		}
		q++;
	}
	/* Then eight bytes at a time. */
	while (end - q >= 8) {
		uint64_t v;
		memcpy(&v, q, 8);
		uint64_t hit = zero_byte(v ^ (ONES * ',')) | zero_byte(v ^ (ONES * '\n')) |
			       zero_byte(v ^ (ONES * '\r'));
		if (hit) {
			return q + (__builtin_ctzll(hit) >> 3);
		}
		q += 8;
	}
	while (q < end && !field_end[(unsigned char)*q]) {
		q++;
	}
	return q;
}

static void newline(struct csv *r, const char *q) {
	if (*q == '\r') {
		q++;
		if (q < r->end && *q == '\n') {
			q++;
		}
	} else {
		q++;
	}
	r->line++;
	r->line_start = q;
	r->p = q;
}

static bool meta_key_char(char c) {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

/* A '#' line at r->p: "# key: value" becomes metadata; anything else is skipped. */
static tl_status comment(struct csv *r) {
	const char *q = r->p;
	const char *eol = memchr(q, '\n', (size_t)(r->end - q));
	const char *cr = memchr(q, '\r', (size_t)((eol ? eol : r->end) - q));
	const char *stop = cr ? cr : eol ? eol : r->end;
	size_t bad = tl_utf8_check(q, (size_t)(stop - q));
	if (bad != (size_t)(stop - q)) {
		return fail(r, r->line, r->line_start, q + bad, "invalid UTF-8 in a comment");
	}
	const char *k = q + 1;
	while (k < stop && (*k == ' ' || *k == '\t')) {
		k++;
	}
	const char *ke = k;
	while (ke < stop && meta_key_char(*ke)) {
		ke++;
	}
	if (ke > k && ke < stop && *ke == ':') {
		const char *v = ke + 1;
		if (v < stop && *v == ' ') {
			v++;
		}
		char *key = strndup(k, (size_t)(ke - k));
		char *val = strndup(v, (size_t)(stop - v));
		tl_status st =
			key && val ? tl_trace_meta_set(r->trace, key, val, r->err) : nomem(r);
		free(key);
		free(val);
		if (st != TL_OK) {
			return st;
		}
	}
	if (stop == r->end) {
		r->p = r->end;
	} else {
		newline(r, stop);
	}
	return TL_OK;
}

/*
 * Read one record into r->f. Returns 1 when a record was read (count in
 * *ret_n), 0 at end of input, -1 on error.
 */
static int read_record(struct csv *r, size_t *ret_n) {
	for (;;) {
		const char *q = r->p;
		while (q < r->end && (*q == ' ' || *q == '\t')) {
			q++;
		}
		if (q == r->end) {
			r->p = q;
			return 0;
		}
		if (*q == '\n' || *q == '\r') {
			newline(r, q);
			continue;
		}
		if (*r->p == '#') {
			if (comment(r) != TL_OK) {
				return -1;
			}
			continue;
		}
		break;
	}
	r->rec_start = r->line_start;
	r->rec_line = r->line;
	size_t n = 0;
	const char *q = r->p;
	for (;;) {
		if (n == r->fcap && !grow_fields(r, n + 1)) {
			nomem(r);
			return -1;
		}
		struct field *f = &r->f[n++];
		f->escaped = false;
		f->quoted = false;
		if (q < r->end && *q == '"') {
			const char *open = q++;
			f->s = q;
			f->quoted = true;
			for (;;) {
				if (q >= r->end) {
					fail_at(r, open, "unterminated quoted field");
					return -1;
				}
				char c = *q;
				if (c == '"') {
					if (q + 1 < r->end && q[1] == '"') {
						f->escaped = true;
						q += 2;
						continue;
					}
					break;
				}
				if (c == '\n' || (c == '\r' && (q + 1 >= r->end || q[1] != '\n'))) {
					r->line++;
					r->line_start = q + 1;
				}
				q++;
			}
			f->len = (size_t)(q - f->s);
			q++;
			if (q < r->end && *q != ',' && *q != '\n' && *q != '\r') {
				char ch[16];
				fail_at(r, q, "unexpected '%s' after a closing quote",
					tl_excerpt(q, 1, ch, sizeof(ch)));
				return -1;
			}
		} else {
			f->s = q;
			q = scan_field(q, r->end);
			f->len = (size_t)(q - f->s);
		}
		if (q < r->end && *q == ',') {
			q++;
			continue;
		}
		break;
	}
	r->rec_end = q;
	if (q < r->end) {
		newline(r, q);
	} else {
		r->p = q;
	}
	*ret_n = n;
	return 1;
}

/* The field's text, with doubled quotes undone into the row's scratch space. */
static void field_text(struct csv *r, const struct field *f, const char **ret_s, size_t *ret_len) {
	if (!f->escaped) {
		*ret_s = f->s;
		*ret_len = f->len;
		return;
	}
	char *o = r->scratch + r->scratch_used;
	size_t n = 0;
	for (size_t i = 0; i < f->len; i++) {
		o[n++] = f->s[i];
		if (f->s[i] == '"') {
			i++;
		}
	}
	r->scratch_used += n;
	*ret_s = o;
	*ret_len = n;
}

static bool is_blank_field(const struct field *f) {
	if (f->len && f->s[0] != ' ' && f->s[0] != '\t') {
		return false;
	}
	for (size_t i = 0; i < f->len; i++) {
		if (f->s[i] != ' ' && f->s[i] != '\t') {
			return false;
		}
	}
	return true;
}

static const struct field *get(struct csv *r, enum role role) {
	int c = r->col[role];
	if (c < 0 || is_blank_field(&r->f[c])) {
		return NULL;
	}
	return &r->f[c];
}

static int unit_scale(tl_unit u) {
	switch (u) {
	case TL_UNIT_MS:
		return 6;
	case TL_UNIT_US:
		return 3;
	case TL_UNIT_NS:
		return 0;
	default:
		return 9;
	}
}

static bool is_time_role(enum role role) {
	return role == R_START || role == R_STOP || role == R_DUR || role == R_TIME;
}

static enum role lookup_alias(const char *name) {
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		if (strcmp(aliases[i].name, name) == 0) {
			return aliases[i].role;
		}
	}
	return R_IGNORE;
}

static const struct {
	const char *suffix;
	tl_unit unit;
} unit_suffixes[] = {
	{"_ns", TL_UNIT_NS}, {"_us", TL_UNIT_US}, {"_\xc2\xb5s", TL_UNIT_US},
	{"_ms", TL_UNIT_MS}, {"_s", TL_UNIT_S},
};

static tl_status parse_header(struct csv *r, size_t n, tl_unit unit_override) {
	for (int i = 0; i < R_COUNT; i++) {
		r->col[i] = -1;
		r->scale[i] = 9;
	}
	r->ncols = n;
	for (size_t c = 0; c < n; c++) {
		const struct field *f = &r->f[c];
		size_t bad = tl_utf8_check(f->s, f->len);
		if (bad != f->len) {
			return fail_at(r, f->s + bad, "invalid UTF-8 in the header");
		}
		const char *s;
		size_t len;
		field_text(r, f, &s, &len);
		while (len && (*s == ' ' || *s == '\t')) {
			s++;
			len--;
		}
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
			len--;
		}
		char name[64];
		if (len >= sizeof(name)) {
			continue;
		}
		for (size_t i = 0; i < len; i++) {
			char ch = s[i];
			name[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
		}
		name[len] = '\0';
		enum role role = lookup_alias(name);
		tl_unit unit = TL_UNIT_DEFAULT;
		if (role == R_IGNORE) {
			for (size_t u = 0; u < sizeof(unit_suffixes) / sizeof(unit_suffixes[0]);
			     u++) {
				size_t sl = strlen(unit_suffixes[u].suffix);
				if (len > sl &&
				    strcmp(name + len - sl, unit_suffixes[u].suffix) == 0) {
					name[len - sl] = '\0';
					enum role base = lookup_alias(name);
					name[len - sl] = unit_suffixes[u].suffix[0];
					if (is_time_role(base)) {
						role = base;
						unit = unit_suffixes[u].unit;
					}
					break;
				}
			}
		}
		if (role == R_IGNORE || r->col[role] >= 0) {
			continue;
		}
		r->col[role] = (int)c;
		r->scale[role] =
			unit_scale(unit_override != TL_UNIT_DEFAULT ? unit_override : unit);
	}
	bool span_cols = r->col[R_START] >= 0 && (r->col[R_STOP] >= 0 || r->col[R_DUR] >= 0);
	if (!span_cols && r->col[R_TIME] < 0) {
		const struct field *h = &r->f[0];
		if (r->col[R_START] >= 0) {
			h = &r->f[r->col[R_START]];
			if (r->col[R_KIND] < 0) {
				return fail_at(r, FIELD_POS(h),
					       "the start column has no stop or duration column");
			}
		} else if (r->col[R_STOP] >= 0 || r->col[R_DUR] >= 0) {
			h = &r->f[r->col[R_STOP] >= 0 ? r->col[R_STOP] : r->col[R_DUR]];
			return fail_at(r, FIELD_POS(h),
				       "no start column for the stop or duration column");
		} else {
			return fail_at(r, FIELD_POS(h),
				       "no time column: the header needs start and stop (or "
				       "duration), or t");
		}
	}
	return TL_OK;
}

/* Parse a time field with the unit of role's column; what names it in messages. */
static tl_status parse_time(struct csv *r, const struct field *f, enum role role,
			    enum role what_role, tl_ns *ret) {
	tl_num rc = tl_parse_time(f->s, f->len, r->scale[role], ret);
	if (rc == TL_NUM_OK) {
		return TL_OK;
	}
	char ex[64];
	const char *s;
	size_t len;
	field_text(r, f, &s, &len);
	tl_excerpt(s, len, ex, sizeof(ex));
	const char *what = role_time_name[what_role];
	switch (rc) {
	case TL_NUM_NONFINITE:
		return fail_at(r, FIELD_POS(f), "%s '%s' is not a finite number", what, ex);
	case TL_NUM_RANGE:
		return fail_at(r, FIELD_POS(f), "%s '%s' is out of range", what, ex);
	default:
		return fail_at(r, FIELD_POS(f), "%s '%s' is not a number", what, ex);
	}
}

/* Intern a string column's value, reusing the previous row's id when equal. */
static tl_status column_str(struct csv *r, enum role role, tl_str *ret_id) {
	int c = r->col[role];
	if (c < 0 || r->f[c].len == 0) {
		*ret_id = TL_STR_NONE;
		return TL_OK;
	}
	const struct field *f = &r->f[c];
	const char *s;
	size_t len;
	field_text(r, f, &s, &len);
	struct strcache *k = &r->cache[role];
	if (k->s && k->len == len && memcmp(k->s, s, len) == 0) {
		*ret_id = k->id;
		return TL_OK;
	}
	size_t bad = tl_utf8_check(s, len);
	if (bad != len) {
		/* Point at the bad byte when the field is raw bytes of the line. */
		if (!f->escaped) {
			return fail_at(r, f->s + bad, "invalid UTF-8");
		}
		return fail_at(r, FIELD_POS(f), "invalid UTF-8");
	}
	tl_status st = tl_trace_intern(r->trace, s, len, ret_id, r->err);
	if (st != TL_OK) {
		return st;
	}
	k->id = *ret_id;
	k->s = tl_trace_str(r->trace, *ret_id);
	k->len = len;
	return TL_OK;
}

static tl_status row_group(struct csv *r, uint32_t *ret_group) {
	tl_str id;
	tl_status st = column_str(r, R_GROUP, &id);
	if (st != TL_OK) {
		return st;
	}
	if (r->group_valid && r->group_str == id) {
		*ret_group = r->group_idx;
		return TL_OK;
	}
	const char *name = tl_trace_str(r->trace, id);
	st = tl_trace_group(r->trace, name, strlen(name), ret_group, r->err);
	if (st != TL_OK) {
		return st;
	}
	size_t ng = tl_trace_group_count(r->trace);
	if (ng > r->njobctr) {
		/* Both counters share one capacity, doubled (a group per row is common). */
		size_t cap = r->njobctr, cap_named = r->njobctr;
		if (!tl_grow((void **)&r->next_job, &cap, ng, sizeof(*r->next_job)) ||
		    !tl_grow((void **)&r->next_named, &cap_named, cap, sizeof(*r->next_named))) {
			return nomem(r);
		}
		for (size_t g = r->njobctr; g < cap; g++) {
			r->next_job[g] = 0;
			r->next_named[g] = 0;
		}
		r->njobctr = cap;
	}
	r->group_str = id;
	r->group_idx = *ret_group;
	r->group_valid = true;
	return TL_OK;
}

/* A job given as text: numbered per group in order of first appearance. */
static tl_status named_job(struct csv *r, uint32_t group, tl_str name, int64_t *ret_job) {
	if ((r->names_n + 1) * 2 > r->names_cap) {
		size_t ncap = r->names_cap ? r->names_cap * 2 : 64;
		struct jobname *nn = calloc(ncap, sizeof(*nn));
		if (!nn) {
			return nomem(r);
		}
		for (size_t i = 0; i < r->names_cap; i++) {
			if (r->names[i].key) {
				size_t k = tl_mix64(r->names[i].key) & (ncap - 1);
				while (nn[k].key) {
					k = (k + 1) & (ncap - 1);
				}
				nn[k] = r->names[i];
			}
		}
		free(r->names);
		r->names = nn;
		r->names_cap = ncap;
	}
	uint64_t key = (((uint64_t)group << 32) | name) + 1;
	size_t k = tl_mix64(key) & (r->names_cap - 1);
	while (r->names[k].key) {
		if (r->names[k].key == key) {
			*ret_job = r->names[k].job;
			return TL_OK;
		}
		k = (k + 1) & (r->names_cap - 1);
	}
	r->names[k] = (struct jobname){.key = key, .job = r->next_named[group]++};
	r->names_n++;
	*ret_job = r->names[k].job;
	return TL_OK;
}

/* s (len bytes) equals the lower-case ASCII word w, ignoring case. */
static bool word_ci(const char *s, size_t len, const char *w) {
	size_t i = 0;
	for (; i < len && w[i]; i++) {
		if ((s[i] | 0x20) != w[i]) {
			return false;
		}
	}
	return i == len && !w[i];
}

/* Room to undo quotes in every field of a row, twice over for messages. */
static tl_status ensure_scratch(struct csv *r, const char *row_start) {
	size_t need = 2 * (size_t)(r->p - row_start) + 16;
	r->scratch_used = 0;
	if (need <= r->scratch_cap) {
		return TL_OK;
	}
	free(r->scratch);
	r->scratch = malloc(need);
	r->scratch_cap = r->scratch ? need : 0;
	return r->scratch ? TL_OK : nomem(r);
}

static tl_status row(struct csv *r, size_t n) {
	if (n != r->ncols) {
		if (n > r->ncols) {
			return fail_at(r, FIELD_POS(&r->f[r->ncols]),
				       "row has %zu fields, the header has %zu", n, r->ncols);
		}
		return fail_at(r, r->rec_end, "row has %zu field%s, the header has %zu", n,
			       n == 1 ? "" : "s", r->ncols);
	}
	bool sample;
	const struct field *kf = get(r, R_KIND);
	if (kf) {
		const char *s;
		size_t len;
		field_text(r, kf, &s, &len);
		if (word_ci(s, len, "span")) {
			sample = false;
		} else if (word_ci(s, len, "sample")) {
			sample = true;
		} else if (word_ci(s, len, "group")) {
			/* A declaration: the group exists, at this place in the order, rows or not.
			 */
			uint32_t group;
			return row_group(r, &group);
		} else {
			char ex[64];
			return fail_at(r, FIELD_POS(kf),
				       "unknown kind '%s': expected span, sample or group",
				       tl_excerpt(s, len, ex, sizeof(ex)));
		}
	} else {
		sample = r->col[R_START] < 0 || (!get(r, R_START) && get(r, R_TIME));
	}

	uint32_t group;
	tl_status st = row_group(r, &group);
	if (st != TL_OK) {
		return st;
	}
	tl_str worker, label = TL_STR_NONE;
	st = column_str(r, R_WORKER, &worker);
	if (st != TL_OK) {
		return st;
	}
	bool has_job = false;
	int64_t job = 0;
	const struct field *jf = get(r, R_JOB);
	if (jf) {
		if (tl_parse_int(jf->s, jf->len, &job) == TL_NUM_OK) {
			has_job = true;
		} else {
			tl_str name;
			st = column_str(r, R_JOB, &name);
			if (st != TL_OK) {
				return st;
			}
			st = named_job(r, group, name, &job);
			if (st != TL_OK) {
				return st;
			}
			has_job = true;
			label = name;
		}
	}

	if (sample) {
		const struct field *tf = get(r, R_TIME);
		enum role trole = R_TIME;
		if (!tf) {
			tf = get(r, R_START);
			trole = R_START;
		}
		if (!tf) {
			int c = r->col[R_TIME] >= 0 ? r->col[R_TIME] : r->col[R_START];
			return fail_at(r, FIELD_POS(&r->f[c]), "missing time");
		}
		tl_sample sa = {.group = group, .worker = worker, .job = has_job ? job : 0};
		st = parse_time(r, tf, trole, R_TIME, &sa.t);
		if (st != TL_OK) {
			return st;
		}
		return tl_trace_add_sample(r->trace, &sa, r->err);
	}

	const struct field *sf = get(r, R_START);
	if (!sf) {
		return fail_at(r, FIELD_POS(&r->f[r->col[R_START] >= 0 ? r->col[R_START] : 0]),
			       "missing start time");
	}
	tl_span sp = {.group = group, .worker = worker, .label = label};
	st = parse_time(r, sf, R_START, R_START, &sp.start);
	if (st != TL_OK) {
		return st;
	}
	const struct field *ef = get(r, R_STOP);
	const struct field *df = get(r, R_DUR);
	if (ef) {
		st = parse_time(r, ef, R_STOP, R_STOP, &sp.stop);
		if (st != TL_OK) {
			return st;
		}
		if (sp.stop < sp.start) {
			char a[64], b[64];
			const char *s1, *s2;
			size_t l1, l2;
			field_text(r, ef, &s1, &l1);
			field_text(r, sf, &s2, &l2);
			return fail_at(r, FIELD_POS(ef), "stop time '%s' is before start time '%s'",
				       tl_excerpt(s1, l1, a, sizeof(a)),
				       tl_excerpt(s2, l2, b, sizeof(b)));
		}
	} else if (df) {
		tl_ns d;
		st = parse_time(r, df, R_DUR, R_DUR, &d);
		if (st != TL_OK) {
			return st;
		}
		char a[64];
		const char *s1;
		size_t l1;
		if (d < 0) {
			field_text(r, df, &s1, &l1);
			return fail_at(r, FIELD_POS(df), "duration '%s' is negative",
				       tl_excerpt(s1, l1, a, sizeof(a)));
		}
		if (__builtin_add_overflow(sp.start, d, &sp.stop) || sp.stop > TL_TIME_MAX) {
			field_text(r, df, &s1, &l1);
			return fail_at(r, FIELD_POS(df),
				       "start time plus duration '%s' is out of range",
				       tl_excerpt(s1, l1, a, sizeof(a)));
		}
	} else {
		int c = r->col[R_STOP] >= 0 ? r->col[R_STOP] : r->col[R_DUR];
		if (c < 0) {
			return fail_at(r, FIELD_POS(sf),
				       "span has a start time but the header has no stop "
				       "or duration column");
		}
		return fail_at(r, FIELD_POS(&r->f[c]), "missing stop time");
	}
	const struct field *xf = get(r, R_STATUS);
	if (xf) {
		const char *s;
		size_t len;
		field_text(r, xf, &s, &len);
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
			len--;
		}
		while (len && (*s == ' ' || *s == '\t')) {
			s++;
			len--;
		}
		if (!tl_status_from_string(s, len, &sp.status)) {
			char ex[64];
			return fail_at(r, FIELD_POS(xf),
				       "unknown status '%s': expected an exit code, ok, failed, "
				       "timeout or a signal name",
				       tl_excerpt(s, len, ex, sizeof(ex)));
		}
	}
	if (r->col[R_LABEL] >= 0 && r->f[r->col[R_LABEL]].len) {
		st = column_str(r, R_LABEL, &sp.label);
		if (st != TL_OK) {
			return st;
		}
	}
	sp.job = has_job ? job : r->next_job[group]++;
	return tl_trace_add_span(r->trace, &sp, r->err);
}

tl_status tl_io_normalise_epoch(tl_trace *t, struct tl_error *err) {
	tl_ns lo, hi;
	if (!tl_trace_bounds(t, &lo, &hi) || lo < TL_EPOCH_THRESHOLD_NS) {
		return TL_OK;
	}
	char buf[32];
	snprintf(buf, sizeof(buf), "%lld", (long long)lo);
	tl_status st = tl_trace_shift(t, lo, err); /* to [0, hi - lo]: cannot fail */
	return st != TL_OK ? st : tl_trace_meta_set(t, "epoch_ns", buf, err);
}

static size_t count_lines(const char *p, const char *end) {
	size_t n = 1;
	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

tl_status tl_csv_read(const char *data, size_t len, const char *name, tl_unit unit,
		      tl_trace **ret_trace, struct tl_error *err) {
	tl_read_opts o = {.format = TL_FORMAT_CSV, .unit = unit};
	return tl_csv_read_mapped(data, len, name, &o, false, ret_trace, err);
}

/* Give back the pages wholly before the current record. */
static void drop_pages(const char *data, const char **dropped, const char *upto) {
	static long page;
	if (!page) {
		page = sysconf(_SC_PAGESIZE);
	}
	uintptr_t base = (uintptr_t)data & ~(uintptr_t)(page - 1);
	uintptr_t from = *dropped ? (uintptr_t)*dropped : base;
	uintptr_t to = (uintptr_t)upto & ~(uintptr_t)(page - 1);
	if (to > from) {
		madvise((void *)from, to - from, MADV_DONTNEED);
		*dropped = (const char *)to;
	}
}

tl_status tl_csv_read_mapped(const char *data, size_t len, const char *name,
			     const tl_read_opts *opts, bool drop_behind, tl_trace **ret_trace,
			     struct tl_error *err) {
	struct csv r = {
		.name = name ? name : "-",
		.p = data,
		.end = data + len,
		.line = 1,
		.line_start = data,
		.err = err,
	};
	tl_status st = TL_OK;
	r.trace = tl_io_trace_new(opts);
	if (!r.trace) {
		st = nomem(&r);
		goto out;
	}
	st = tl_check_text(data, len, r.name, err);
	if (st != TL_OK) {
		goto out;
	}
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		r.p += 3;
		r.line_start = r.p;
	}
	size_t n;
	const char *header_from = r.p;
	int rc = read_record(&r, &n);
	if (rc < 0) {
		st = err ? err->code : TL_ERR_INPUT;
		goto out;
	}
	if (rc == 0) {
		st = fail(&r, r.line, r.line_start, r.p, "empty file: no header row");
		goto out;
	}
	st = ensure_scratch(&r, header_from);
	if (st != TL_OK) {
		goto out;
	}
	st = parse_header(&r, n, opts->unit);
	if (st != TL_OK) {
		goto out;
	}
	bool span_cols = r.col[R_START] >= 0 && (r.col[R_STOP] >= 0 || r.col[R_DUR] >= 0);
	if (r.col[R_KIND] < 0) {
		size_t rows = count_lines(r.p, r.end);
		/* Only a hint: a failed reservation leaves growth to doubling. */
		tl_trace_reserve(r.trace, span_cols ? rows : 0, span_cols ? 0 : rows, NULL);
	}
	const char *dropped = NULL, *next_drop = data + (32u << 20);
	for (;;) {
		const char *row_start = r.p;
		if (drop_behind && row_start >= next_drop) {
			drop_pages(data, &dropped, r.line_start);
			next_drop = row_start + (32u << 20);
		}
		rc = read_record(&r, &n);
		if (rc < 0) {
			st = err ? err->code : TL_ERR_INPUT;
			goto out;
		}
		if (rc == 0) {
			break;
		}
		st = ensure_scratch(&r, row_start);
		if (st != TL_OK) {
			goto out;
		}
		st = row(&r, n);
		if (st != TL_OK) {
			tl_error_locate(err, st, r.name, r.rec_line, 1);
			goto out;
		}
	}
	/*
	 * A header and no rows is an empty trace, as pandas reads it: a run
	 * interrupted before any job completed writes exactly that, and its
	 * metadata still says what happened. Drawing it is what fails.
	 */
	st = tl_io_normalise_epoch(r.trace, err);
	if (st != TL_OK) {
		goto out;
	}
	*ret_trace = r.trace;
	r.trace = NULL;
out:
	tl_trace_free(r.trace);
	free(r.f);
	free(r.scratch);
	free(r.next_job);
	free(r.next_named);
	free(r.names);
	return st;
}

/* ---- writer ---- */

struct out {
	FILE *f;
	size_t n;
	bool failed;
	char buf[1 << 16];
};

/* Room for short fixed-size pieces: numbers and separators. */
#define OUT_SLACK 128

static void out_flush(struct out *o) {
	if (o->n && fwrite(o->buf, 1, o->n, o->f) != o->n) {
		o->failed = true;
	}
	o->n = 0;
}

/* A pointer where at least OUT_SLACK bytes may be written. */
static char *out_room(struct out *o) {
	if (o->n + OUT_SLACK > sizeof(o->buf)) {
		out_flush(o);
	}
	return o->buf + o->n;
}

static void out_bytes(struct out *o, const char *s, size_t len) {
	if (o->n + len > sizeof(o->buf)) {
		out_flush(o);
		if (len > sizeof(o->buf)) {
			if (fwrite(s, 1, len, o->f) != len) {
				o->failed = true;
			}
			return;
		}
	}
	memcpy(o->buf + o->n, s, len);
	o->n += len;
}

static void out_char(struct out *o, char c) {
	*out_room(o) = c;
	o->n++;
}

static void out_str(struct out *o, const char *s) {
	out_bytes(o, s, strlen(s));
}

/* Quoted when it holds a comma, quote or line break, or starts or ends blank. */
static bool needs_quote(const char *s, size_t len) {
	if (len && (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t' ||
		    s[0] == '#')) {
		return true;
	}
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == ',' || c == '"' || c == '\n' || c == '\r') {
			return true;
		}
	}
	return false;
}

static void out_quoted(struct out *o, const char *s, size_t len) {
	out_char(o, '"');
	size_t from = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"') {
			out_bytes(o, s + from, i + 1 - from);
			from = i;
		}
	}
	out_bytes(o, s + from, len - from);
	out_char(o, '"');
}

/*
 * The previous value written in one column and whether it needed quotes:
 * consecutive rows repeat their group and worker, so the scan is done once.
 */
struct colcache {
	const char *s;
	size_t len;
	bool quote;
};

static void out_field(struct out *o, struct colcache *c, const char *s, size_t len) {
	if (c->s != s) {
		c->s = s;
		c->len = len;
		c->quote = needs_quote(s, len);
	}
	if (c->quote) {
		out_quoted(o, s, len);
	} else {
		out_bytes(o, s, len);
	}
}

static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324252627282930"
				  "31323334353637383940414243444546474849505152535455565758596061"
				  "62636465666768697071727374757677787980818283848586878889909192"
				  "93949596979899";

/* Decimal digits of v at p; returns the end. */
static char *put_u64(char *p, uint64_t v) {
	char tmp[24];
	char *e = tmp + sizeof(tmp), *q = e;
	while (v >= 100) {
		q -= 2;
		memcpy(q, digit_pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		q -= 2;
		memcpy(q, digit_pairs + 2 * v, 2);
	} else {
		*--q = (char)('0' + v);
	}
	size_t n = (size_t)(e - q);
	memcpy(p, q, n);
	return p + n;
}

static char *put_i64(char *p, int64_t v) {
	if (v < 0) {
		*p++ = '-';
		return put_u64(p, (uint64_t)0 - (uint64_t)v);
	}
	return put_u64(p, (uint64_t)v);
}

/* Nanoseconds as seconds with exactly 9 decimals. */
static char *put_seconds(char *p, tl_ns v) {
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	if (v < 0) {
		*p++ = '-';
	}
	p = put_u64(p, mag / 1000000000u);
	uint32_t f = (uint32_t)(mag % 1000000000u);
	p[0] = '.';
	for (int i = 8; i >= 2; i -= 2) {
		memcpy(p + i, digit_pairs + 2 * (f % 100), 2);
		f /= 100;
	}
	p[1] = (char)('0' + f);
	return p + 10;
}

struct writer {
	struct out *o;
	const tl_trace *t;
	struct colcache group, worker, label;
};

static void out_tstr(struct writer *w, struct colcache *c, tl_str id) {
	out_field(w->o, c, tl_trace_str(w->t, id), tl_trace_str_len(w->t, id));
}

static void out_group(struct writer *w, uint32_t g) {
	const char *name = tl_trace_group_name(w->t, g);
	if (w->group.s == name) {
		out_field(w->o, &w->group, name, w->group.len);
	} else {
		out_field(w->o, &w->group, name, strlen(name));
	}
}

/* "KIND,GROUP,JOB,WORKER," — the part every row starts with. */
static void write_head(struct writer *w, const char *kind, size_t kind_len, uint32_t group,
		       int64_t job, tl_str worker) {
	struct out *o = w->o;
	out_bytes(o, kind, kind_len);
	out_group(w, group);
	char *p = out_room(o), *p0 = p;
	*p++ = ',';
	p = put_i64(p, job);
	*p++ = ',';
	o->n += (size_t)(p - p0);
	out_tstr(w, &w->worker, worker);
}

static void write_span(struct writer *w, const tl_span *s) {
	struct out *o = w->o;
	write_head(w, "span,", 5, s->group, s->job, s->worker);
	char *p = out_room(o), *p0 = p;
	*p++ = ',';
	p = put_seconds(p, s->start);
	*p++ = ',';
	p = put_seconds(p, s->stop);
	*p++ = ',';
	if (s->status >= 0) {
		p = put_u64(p, (uint64_t)s->status);
	} else {
		char buf[16];
		const char *st = tl_status_to_string(s->status, buf);
		size_t n = strlen(st);
		memcpy(p, st, n);
		p += n;
	}
	*p++ = ',';
	o->n += (size_t)(p - p0);
	out_tstr(w, &w->label, s->label);
	out_char(o, '\n');
}

static void write_sample(struct writer *w, const tl_sample *s) {
	struct out *o = w->o;
	write_head(w, "sample,", 7, s->group, s->job, s->worker);
	char *p = out_room(o), *p0 = p;
	*p++ = ',';
	p = put_seconds(p, s->t);
	memcpy(p, ",,,\n", 4);
	p += 4;
	o->n += (size_t)(p - p0);
}

void tl_io_walk(const tl_trace *t, bool *seen, void (*on_span)(void *, const tl_span *),
		void (*on_sample)(void *, const tl_sample *), void *ctx) {
	size_t nsp, nsa, i = 0, j = 0;
	const tl_span *sp = tl_trace_spans(t, &nsp);
	const tl_sample *sa = tl_trace_samples(t, &nsa);
	while (i < nsp || j < nsa) {
		bool take_span;
		if (i == nsp) {
			take_span = false;
		} else if (j == nsa) {
			take_span = true;
		} else if (seen[sp[i].group]) {
			take_span = true;
		} else if (seen[sa[j].group]) {
			take_span = false;
		} else {
			take_span = sp[i].group <= sa[j].group;
		}
		if (take_span) {
			seen[sp[i].group] = true;
			on_span(ctx, &sp[i++]);
		} else {
			seen[sa[j].group] = true;
			on_sample(ctx, &sa[j++]);
		}
	}
}

static void csv_span(void *w, const tl_span *s) {
	write_span(w, s);
}

static void csv_sample(void *w, const tl_sample *s) {
	write_sample(w, s);
}

tl_status tl_csv_write(const tl_trace *t, FILE *f, const char *name, struct tl_error *err) {
	struct out *o = malloc(sizeof(*o));
	size_t ng = tl_trace_group_count(t);
	bool *seen = calloc(ng ? ng : 1, sizeof(*seen));
	if (!o || !seen) {
		free(o);
		free(seen);
		return tl_error_set(err, TL_ERR_NOMEM, name, 0, 0, "out of memory");
	}
	o->f = f;
	o->n = 0;
	o->failed = false;
	struct writer w = {.o = o, .t = t};
	out_str(o, "# timeline " TL_VERSION " native CSV, times in seconds\n");
	for (size_t i = 0; i < tl_trace_meta_count(t); i++) {
		const char *k, *v;
		tl_trace_meta_at(t, i, &k, &v);
		out_str(o, "# ");
		for (const char *p = k; *p; p++) {
			out_char(o, meta_key_char(*p) ? *p : '_');
		}
		out_str(o, ": ");
		/* Metadata is one line per key; line breaks inside become blanks. */
		for (const char *p = v; *p; p++) {
			out_char(o, *p == '\n' || *p == '\r' ? ' ' : *p);
		}
		out_char(o, '\n');
	}
	out_str(o, "kind,group,job,worker,start,stop,status,label\n");
	/*
	 * A group with nothing in it (a run interrupted before the group's first
	 * job ended) has no row to appear in: when there is one, every group is
	 * declared first, in order, by a row of kind group.
	 */
	size_t n;
	const tl_span *sp = tl_trace_spans(t, &n);
	for (size_t i = 0; i < n; i++) {
		seen[sp[i].group] = true;
	}
	const tl_sample *sa = tl_trace_samples(t, &n);
	for (size_t i = 0; i < n; i++) {
		seen[sa[i].group] = true;
	}
	bool declare = false;
	for (size_t g = 0; g < ng; g++) {
		declare |= !seen[g];
		seen[g] = false; /* for the walk below */
	}
	for (uint32_t g = 0; declare && g < ng; g++) {
		out_str(o, "group,");
		out_group(&w, g);
		out_str(o, ",,,,,,\n");
	}

	tl_io_walk(t, seen, csv_span, csv_sample, &w);
	out_flush(o);
	bool failed = o->failed || ferror(f);
	free(seen);
	free(o);
	if (failed) {
		return tl_error_set(err, TL_ERR_IO, name, 0, 0, "write failed");
	}
	return TL_OK;
}
