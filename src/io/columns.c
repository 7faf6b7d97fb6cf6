/*
 * Column roles: the synonym table, name normalisation, unit suffixes, the
 * pandas index and --columns (see columns.h; docs/csv-format.md lists the
 * same table for people, and a test checks that it does).
 */

#include "columns.h"
#include "../util/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Names in order of preference: when two columns name one role, the earlier name wins. */
static const char *const syn_kind[] = {"kind", NULL};
static const char *const syn_start[] = {"start",
					"start_time",
					"started_at",
					"start_ts",
					"start_timestamp",
					"start_date",
					"begin",
					"begin_time",
					"began_at",
					"started",
					"from",
					"t_start",
					"t0",
					"time_start",
					"start_datetime",
					"datetime_start",
					"date_start",
					"starttime",
					"tstart",
					"tin",
					NULL};
static const char *const syn_stop[] = {"stop",
				       "stop_time",
				       "end",
				       "end_time",
				       "finish",
				       "finish_time",
				       "finished_at",
				       "finished",
				       "ended_at",
				       "end_ts",
				       "stop_ts",
				       "end_timestamp",
				       "end_date",
				       "complete",
				       "completed_at",
				       "completed",
				       "to",
				       "t_end",
				       "t1",
				       "time_end",
				       "end_datetime",
				       "datetime_complete",
				       "datetime_end",
				       "date_end",
				       "endtime",
				       "stoptime",
				       "tend",
				       "tout",
				       NULL};
static const char *const syn_dur[] = {"duration", "dur",        "elapsed", "elapsed_time",
				      "runtime",  "run_time",   "wall",    "wall_time",
				      "walltime", "time_taken", "took",    NULL};
static const char *const syn_time[] = {"t", "time", "timestamp", "time_stamp", "ts", NULL};
static const char *const syn_group[] = {"group", "mode",   "method",  "experiment", "run",
					"panel", "series", "variant", NULL};
static const char *const syn_job[] = {"job",   "job_id",   "task",      "task_id", "id",
				      "index", "job_name", "task_name", "name",    NULL};
static const char *const syn_worker[] = {
	"worker", "worker_id", "worker_name", "thread",   "thread_id", "thread_name",
	"tid",    "executor",  "executor_id", "slot",     "process",   "process_id",
	"pid",    "proc",      "host",        "hostname", "node",      NULL};
static const char *const syn_status[] = {"conclusion",  "status",  "state",       "exit",
					 "exit_code",   "exitval", "exit_status", "returncode",
					 "return_code", "rc",      NULL};
static const char *const syn_label[] = {"label", "name", "description", "command", "cmd", NULL};
static const char *const syn_wait[] = {"wait",       "queue_wait", "wait_time",
				       "queued_for", "queue_time", NULL};

static const tl_column_role roles[R_COUNT] = {
	[R_KIND] = {"kind", "row kind: span, sample or group", syn_kind},
	[R_START] = {"start", "span start", syn_start},
	[R_STOP] = {"stop", "span stop", syn_stop},
	[R_DUR] = {"duration", "span duration (start + duration is the stop)", syn_dur},
	[R_TIME] = {"time", "sample time (the start, when there is a stop or duration)", syn_time},
	[R_GROUP] = {"group", "group: a panel of the chart, a row of stats", syn_group},
	[R_JOB] = {"job", "job (a number, or text numbered in order)", syn_job},
	[R_WORKER] = {"worker", "worker: thread, process, host", syn_worker},
	[R_STATUS] = {"status", "exit code or state", syn_status},
	[R_LABEL] = {"label", "the span's label", syn_label},
	[R_WAIT] = {"wait", "queue wait before the start (submit to start), a duration", syn_wait},
};

const tl_column_role *tl_column_roles(size_t *ret_n) {
	*ret_n = R_COUNT - 1;
	return roles + 1;
}

const char *col_role_name(enum col_role role) {
	return role > R_IGNORE && role < R_COUNT ? roles[role].role : "none";
}

bool col_is_time(enum col_role role) {
	return role == R_START || role == R_STOP || role == R_DUR || role == R_TIME ||
	       role == R_WAIT;
}

/* --columns role words, with their short forms. */
static bool role_from_word(const char *s, size_t len, enum col_role *ret) {
	static const struct {
		const char *w;
		enum col_role r;
	} words[] = {{"end", R_STOP}, {"dur", R_DUR}, {"t", R_TIME}};
	for (int r = 1; r < R_COUNT; r++) {
		if (tl_word_eq_nocase(s, len, roles[r].role)) {
			*ret = (enum col_role)r;
			return true;
		}
	}
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (tl_word_eq_nocase(s, len, words[i].w)) {
			*ret = words[i].r;
			return true;
		}
	}
	return false;
}

size_t col_normalise(const char *s, size_t len, char *buf, size_t size) {
	size_t n = 0;
	bool sep = false;     /* a '_' is due before the next word character */
	bool lowprev = false; /* the previous byte was a lower-case letter or digit */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		bool upper = c >= 'A' && c <= 'Z';
		bool word = upper || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
		if (!word) {
			sep = n > 0;
			lowprev = false;
			continue;
		}
		if (upper && lowprev) {
			sep = true;
		}
		if (sep) {
			if (n + 1 >= size) {
				return 0;
			}
			buf[n++] = '_';
			sep = false;
		}
		if (n + 1 >= size) {
			return 0;
		}
		buf[n++] = upper ? (char)(c - 'A' + 'a') : (char)c;
		lowprev = !upper && c < 0x80;
	}
	buf[n] = '\0';
	return n;
}

static const struct {
	const char *suffix; /* after a '_' */
	tl_unit unit;
} unit_suffixes[] = {
	{"s", TL_UNIT_S},          {"sec", TL_UNIT_S},           {"secs", TL_UNIT_S},
	{"seconds", TL_UNIT_S},    {"ms", TL_UNIT_MS},           {"msec", TL_UNIT_MS},
	{"millis", TL_UNIT_MS},    {"milliseconds", TL_UNIT_MS}, {"us", TL_UNIT_US},
	{"\xc2\xb5s", TL_UNIT_US}, {"\xce\xbcs", TL_UNIT_US},    {"usecs", TL_UNIT_US},
	{"msecs", TL_UNIT_MS},     {"nsecs", TL_UNIT_NS},        {"usec", TL_UNIT_US},
	{"micros", TL_UNIT_US},    {"microseconds", TL_UNIT_US}, {"ns", TL_UNIT_NS},
	{"nsec", TL_UNIT_NS},      {"nanos", TL_UNIT_NS},        {"nanoseconds", TL_UNIT_NS},
};

/* The unit a name's last word names ("begin_ms": ms), or TL_UNIT_DEFAULT. */
static tl_unit suffix_unit(const char *norm) {
	size_t len = strlen(norm);
	for (size_t u = 0; u < sizeof(unit_suffixes) / sizeof(unit_suffixes[0]); u++) {
		size_t sl = strlen(unit_suffixes[u].suffix);
		if (len > sl + 1 && norm[len - sl - 1] == '_' &&
		    strcmp(norm + len - sl, unit_suffixes[u].suffix) == 0) {
			return unit_suffixes[u].unit;
		}
	}
	return TL_UNIT_DEFAULT;
}

/* Rank of name among role's synonyms, or -1. */
static int rank_of(const char *name, enum col_role role) {
	for (int i = 0; roles[role].names[i]; i++) {
		if (strcmp(roles[role].names[i], name) == 0) {
			return i;
		}
	}
	return -1;
}

/*
 * Ranks of a normalised name for every role (-1: no match), and the unit its
 * suffix names for time roles.
 */
static void match_name(const char *norm, int *rank, tl_unit *unit) {
	*unit = TL_UNIT_DEFAULT;
	bool any = false;
	for (int r = 1; r < R_COUNT; r++) {
		rank[r] = rank_of(norm, (enum col_role)r);
		any |= rank[r] >= 0;
	}
	if (any) {
		return;
	}
	size_t len = strlen(norm);
	for (size_t u = 0; u < sizeof(unit_suffixes) / sizeof(unit_suffixes[0]); u++) {
		size_t sl = strlen(unit_suffixes[u].suffix);
		if (len <= sl + 1 || norm[len - sl - 1] != '_' ||
		    strcmp(norm + len - sl, unit_suffixes[u].suffix) != 0) {
			continue;
		}
		char base[64];
		memcpy(base, norm, len - sl - 1);
		base[len - sl - 1] = '\0';
		for (int r = 1; r < R_COUNT; r++) {
			if (col_is_time((enum col_role)r)) {
				rank[r] = rank_of(base, (enum col_role)r);
				any |= rank[r] >= 0;
			}
		}
		if (any) {
			*unit = unit_suffixes[u].unit;
			return;
		}
	}
}

/* ---- --columns ---- */

struct col_spec {
	bool set[R_COUNT];
	char *name[R_COUNT];   /* NULL or "" when set: no column */
	tl_unit unit[R_COUNT]; /* ROLE:UNIT, DEFAULT when not given */
	int64_t mult[R_COUNT]; /* with unit S: minutes 60, hours 3600, days 86400 */
};

/* A unit --columns may give a time column after its role: "duration:ms=ttime". */
static bool spec_unit(const char *s, size_t len, tl_unit *unit, int64_t *mult) {
	static const struct {
		const char *w;
		tl_unit unit;
		int64_t mult;
	} units[] = {
		{"ns", TL_UNIT_NS, 1},  {"us", TL_UNIT_US, 1},   {"\xc2\xb5s", TL_UNIT_US, 1},
		{"ms", TL_UNIT_MS, 1},  {"s", TL_UNIT_S, 1},     {"min", TL_UNIT_S, 60},
		{"h", TL_UNIT_S, 3600}, {"d", TL_UNIT_S, 86400},
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strlen(units[i].w) == len && strncmp(s, units[i].w, len) == 0) {
			*unit = units[i].unit;
			*mult = units[i].mult;
			return true;
		}
	}
	return false;
}

void col_spec_free(struct col_spec *spec) {
	if (spec) {
		for (int r = 0; r < R_COUNT; r++) {
			free(spec->name[r]);
		}
		free(spec);
	}
}

static tl_status spec_error(struct col_spec *spec, struct tl_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static tl_status spec_error(struct col_spec *spec, struct tl_error *err, const char *fmt, ...) {
	char msg[TL_ERROR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	col_spec_free(spec);
	return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0, "--columns: %s", msg);
}

/* One NAME at *pp (quoted or up to the next ','), copied into a new string. */
static char *spec_value(const char **pp, bool *ret_bad) {
	const char *p = *pp;
	size_t cap = strlen(p) + 1, n = 0;
	char *out = malloc(cap);
	if (!out) {
		return NULL;
	}
	*ret_bad = false;
	if (*p == '"') {
		p++;
		for (;;) {
			if (!*p) {
				*ret_bad = true;
				break;
			}
			if (*p == '"' && p[1] == '"') {
				out[n++] = '"';
				p += 2;
			} else if (*p == '"') {
				p++;
				break;
			} else {
				out[n++] = *p++;
			}
		}
		if (*p && *p != ',') {
			*ret_bad = true;
		}
	} else {
		while (*p && *p != ',') {
			out[n++] = *p++;
		}
		/* Blanks around an unquoted name are not part of it. */
		while (n && (out[n - 1] == ' ' || out[n - 1] == '\t')) {
			n--;
		}
	}
	out[n] = '\0';
	*pp = p;
	return out;
}

tl_status col_spec_parse(const char *text, struct col_spec **ret_spec, struct tl_error *err) {
	struct col_spec *spec = calloc(1, sizeof(*spec));
	if (!spec) {
		return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	const char *p = text;
	if (!*p) {
		return spec_error(spec, err, "empty: expected ROLE=NAME,... such as start=Begin");
	}
	while (*p) {
		while (*p == ' ' || *p == '\t') {
			p++;
		}
		const char *eq = strchr(p, '=');
		const char *comma = strchr(p, ',');
		if (!eq || (comma && comma < eq)) {
			size_t l = comma ? (size_t)(comma - p) : strlen(p);
			return spec_error(spec, err, "'%.*s' is not ROLE=NAME",
					  (int)(l > 60 ? 60 : l), p);
		}
		size_t rl = (size_t)(eq - p);
		while (rl && (p[rl - 1] == ' ' || p[rl - 1] == '\t')) {
			rl--;
		}
		const char *colon = memchr(p, ':', rl);
		size_t wl = colon ? (size_t)(colon - p) : rl;
		enum col_role role;
		if (!role_from_word(p, wl, &role)) {
			return spec_error(spec, err,
					  "unknown role '%.*s' (start, stop, duration, time, job, "
					  "worker, group, status, label or kind)",
					  (int)(wl > 40 ? 40 : wl), p);
		}
		if (spec->set[role]) {
			return spec_error(spec, err, "%s is named twice", roles[role].role);
		}
		spec->mult[role] = 1;
		if (colon && !col_is_time(role)) {
			return spec_error(spec, err, "%s is not a time: it has no unit",
					  roles[role].role);
		}
		if (colon &&
		    !spec_unit(colon + 1, rl - wl - 1, &spec->unit[role], &spec->mult[role])) {
			return spec_error(spec, err,
					  "unknown unit '%.*s' for %s (ns, us, ms, s, min, h or d)",
					  (int)(rl - wl - 1 > 20 ? 20 : rl - wl - 1), colon + 1,
					  roles[role].role);
		}
		p = eq + 1;
		while (*p == ' ' || *p == '\t') {
			p++;
		}
		bool bad;
		char *name = spec_value(&p, &bad);
		if (!name) {
			col_spec_free(spec);
			return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
		}
		spec->set[role] = true;
		spec->name[role] = name;
		if (bad) {
			return spec_error(spec, err,
					  "unterminated or misplaced quote in the name of %s",
					  roles[role].role);
		}
		if (*p == ',') {
			p++;
			if (!*p) {
				return spec_error(spec, err,
						  "a ',' ends it: expected ROLE=NAME after it");
			}
		}
	}
	*ret_spec = spec;
	return TL_OK;
}

const char *col_spec_name(const struct col_spec *spec, enum col_role role) {
	return spec && role > R_IGNORE && role < R_COUNT && spec->set[role] ? spec->name[role]
									    : NULL;
}

tl_status tl_columns_check(const char *text, struct tl_error *err) {
	struct col_spec *spec = NULL;
	tl_status st = col_spec_parse(text, &spec, err);
	col_spec_free(spec);
	return st;
}

/* ---- assignment ---- */

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
		put(buf, size, &n, roles[order[i]].role);
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
				put(buf, size, &n, roles[r].role);
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
	for (int i = 0; roles[role].names[i] && i < 4; i++) {
		put(buf, size, &n, i ? ", " : "");
		put(buf, size, &n, roles[role].names[i]);
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
		int c = spec_column(h, spec->name[r], positional, norm, msg, size, roles[r].role);
		if (c < 0) {
			*ret_col = -1;
			return TL_ERR_INPUT;
		}
		for (int o = 1; o < R_COUNT; o++) {
			if (m->col[o] == c) {
				*ret_col = c;
				snprintf(msg, size, "--columns names column %d for both %s and %s",
					 c + 1, roles[o].role, roles[r].role);
				return TL_ERR_INPUT;
			}
		}
		m->col[r] = c;
		if (!positional && col_is_time((enum col_role)r)) {
			m->unit[r] = suffix_unit(norm[c]);
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
		match_name(norm[c], rank + c * R_COUNT, &unit[c]);
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
