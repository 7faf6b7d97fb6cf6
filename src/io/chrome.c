/*
 * Chrome Trace Event Format reader (Perfetto, chrome://tracing, clang
 * -ftime-trace, Node, Ray, VizTracer...). The file is never parsed as one
 * document: a small scanner walks the top level ({"traceEvents": [...]} or a
 * bare array, whose closing ']' may be missing) and cuts out one event at a
 * time, and cJSON parses that slice. Memory follows one event, not the file
 * (parsed whole, a 100 MB trace costs cJSON 1.2 GB; docs/BENCHMARKS.md), and
 * the scanner bounds nesting, so hostile input is an error, never a crash.
 *
 * Events: X (complete) and B/E pairs (matched per pid/tid in time order)
 * become spans, and so do async b/e and S/F pairs, on a row per category and
 * id; i/I/n (instant) become samples; M names processes and threads; other
 * phases are counted and skipped. docs/chrome-format.md has every rule. Groups come from processes,
 * workers from threads, labels from event names, jobs from args.job when present (traces written by
 * timeline) or are numbered per group. ts and dur are microseconds, fractions allowed, as numbers
 * or numeric strings; they become int64 ns from their decimal text, never through a double, so
 * epoch times keep every nanosecond.
 */

#include "chrome.h"
#include "../util/hashmap.h"

#include "csv.h"
#include "scan.h"

#include "../model/bytes.h"
#include "../model/hash.h"
#include "../model/model.h"

#include <timeline/timeline.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 1000 /* cJSON's own nesting limit (CJSON_NESTING_LIMIT) */
#define MAX_EVENT_BYTES (16u << 20)

bool tl_chrome_sniff(const char *data, size_t len) {
	size_t i = tl_skip_bom_blank(data, len);
	return i < len && (data[i] == '{' || data[i] == '[');
}

struct names {
	char *key;  /* "pid" or "pid/tid" */
	char *name; /* the value */
	size_t top; /* stacks: index + 1 of the thread's innermost open B while matching */
	size_t mid; /* arows: where the id starts in the key */
};

/*
 * Keys to names in insertion order, with a hash index: traces name tens of
 * thousands of threads, and every event looks its thread up.
 */
struct smap {
	struct names *v;
	size_t n, cap;
	uint32_t *idx; /* entry + 1, 0 when empty */
	size_t icap;   /* power of two */
};

/*
 * A B or E event, kept until every event is read: a thread's B/E events are
 * matched in time order, which need not be the file's.
 */
struct be {
	tl_ns ts;
	char *name;
	char *label;   /* args.label (or "") when has_job */
	size_t thread; /* its thread's entry in stacks (key pid/tid, name pid) */
	size_t slot;   /* E: index + 1 of the pending entry its span fills; B: 0 */
	size_t below;  /* B, while matching: index + 1 of the next open B of its thread */
	uint32_t arow; /* async (b/e, S/F): index + 1 of its row in arows; 0 for B/E */
	int64_t job;
	int32_t status;
	bool has_job, has_status;
	bool closed; /* B: an E closed it */
};

struct reader {
	const char *data, *p, *end, *name;
	size_t not_drawn[3];  /* counter (C), flow (s, t, f) and other (T, p, O...) events */
	size_t summaries;     /* clang's "Total ..." summary events */
	size_t windows;       /* Kineto's profiler windows (cat "Trace" in process "Spans") */
	size_t lone_instants; /* instants of processes with no span, not drawn */
	struct tl_error *err;
	tl_trace *t;
	struct smap procs, threads;
	struct smap sorts;     /* pid → process sort index as sortable text */
	struct smap tsorts;    /* pid/tid → thread sort index as sortable text */
	struct smap stacks;    /* pid/tid → its B/E events' thread (names.top) */
	struct smap arows;     /* "\x1fpid\x1fcat\x1fscope\x1fid" → an async row and its name */
	struct smap plabels;   /* pid → process_labels (Kineto: "CPU", "GPU 0") */
	struct be *be;         /* B and E events in file order */
	size_t nbe, capbe, nb; /* nb: how many are B */
	size_t held;           /* bytes of the tables above and the pending events */
	int64_t *next_job;     /* per group */
	size_t njobctr;
	struct pending {
		char pid[64], tid[64];
		bool sample;
		bool numbered; /* the job number came from args.job */
		bool hole;     /* an E slot no span filled: dropped */
		uint32_t arow; /* async events: index + 1 of their row in arows */
		tl_span span;
		tl_sample smp;
	} * ev;
	size_t nev, capev;
	tl_ns tlo, thi;            /* time range of the pending events */
	bool ours;                 /* written by timeline: no hints to add */
	bool cut;                  /* the file ends inside an event (a writer that died) */
	size_t bad;                /* events skipped as Perfetto skips them: no ph, no ts... */
	bool unplaced;             /* errors without a position: only the first bad one shows */
	bool too_big;              /* the event value_end just refused is over MAX_EVENT_BYTES */
	struct tl_error first_bad; /* the first of them, with its position */
	struct tl_error cut_at;    /* where the file ends inside an event, when cut */
	const char *after;         /* text after the array's ']' (not read), or NULL */
	const tl_read_opts *opts;
};

static tl_status fail(struct reader *r, const char *pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static tl_status fail(struct reader *r, const char *pos, const char *fmt, ...) {
	char msg[TL_ERROR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r->unplaced) {
		/* A bad event after the first is counted, not placed: no count of lines. */
		return tl_error_set(r->err, TL_ERR_INPUT, r->name, 0, 0, "%s", msg);
	}
	const char *ls;
	long line = tl_line_of(r->data, r->end, pos, &ls);
	return tl_error_set(r->err, TL_ERR_INPUT, r->name, line, tl_column(ls, pos), "%s", msg);
}

/* A limit reached at pos: like fail(), as TL_ERR_NOMEM. */
static tl_status over_limit(struct reader *r, const char *pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static tl_status over_limit(struct reader *r, const char *pos, const char *fmt, ...) {
	char msg[TL_ERROR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fail(r, pos, "%s", msg);
	if (r->err) {
		r->err->code = TL_ERR_NOMEM;
	}
	return TL_ERR_NOMEM;
}

static tl_status nomem(struct reader *r) {
	return tl_error_set(r->err, TL_ERR_NOMEM, r->name, 0, 0, "out of memory");
}

static void skip_ws(struct reader *r) {
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')) {
		r->p++;
	}
}

/*
 * Find the end of the JSON value at r->p (strings, nesting); *ret_end past
 * it. An event (is_event) may not pass MAX_EVENT_BYTES; other members of the
 * trace object (VizTracer's file_info holds every traced source) are skipped
 * whatever their size. A value the file ends inside sets r->cut.
 */
static tl_status value_end(struct reader *r, const char **ret_end, bool is_event) {
	const char *q = r->p;
	int depth = 0;
	char stack[MAX_DEPTH];
	do {
		if (q >= r->end) {
			r->cut = true;
			return fail(r, r->p, "truncated JSON: the value starting here never ends");
		}
		char c = *q;
		if (c == '"') {
			q++;
			while (q < r->end && *q != '"') {
				q += *q == '\\' ? 2 : 1;
			}
			if (q >= r->end) {
				r->cut = true;
				return fail(r, r->p, "truncated JSON: a string never ends");
			}
			q++;
		} else if (c == '{' || c == '[') {
			if (depth == MAX_DEPTH) {
				return fail(r, q, "JSON nested deeper than %d levels", MAX_DEPTH);
			}
			stack[depth++] = c == '{' ? '}' : ']';
			q++;
		} else if (c == '}' || c == ']') {
			if (depth == 0 || stack[depth - 1] != c) {
				return fail(r, q, "unexpected '%c' in JSON", c);
			}
			depth--;
			q++;
		} else {
			/* A scalar at the top, or anything inside a container. */
			if (depth == 0) {
				while (q < r->end && *q != ',' && *q != ']' && *q != '}' &&
				       *q != ' ' && *q != '\n' && *q != '\r' && *q != '\t') {
					q++;
				}
				break;
			}
			q++;
		}
	} while (depth > 0);
	if (is_event && (size_t)(q - r->p) > MAX_EVENT_BYTES) {
		*ret_end = q; /* where the next event starts: the caller may skip this one */
		r->too_big = true;
		return fail(r, r->p, "a trace event larger than %u MB", MAX_EVENT_BYTES >> 20);
	}
	*ret_end = q;
	return TL_OK;
}

/*
 * The text of an id (pid, tid, async id: number or string) into buf; ""
 * when absent. An integer keeps its digits (no double rounds 2^53 and more,
 * the raw text is passed when the caller has it); other numbers print as
 * integers when finite, else as written ("1e400").
 */
static bool id_text_raw(const cJSON *v, const char *raw, size_t rawlen, char *buf, size_t size) {
	if (!v) {
		buf[0] = '\0';
		return true;
	}
	if (cJSON_IsString(v)) {
		snprintf(buf, size, "%s", v->valuestring);
		return true;
	}
	if (!cJSON_IsNumber(v)) {
		return false;
	}
	size_t digits = raw && rawlen ? (raw[0] == '-') : 0;
	while (raw && digits < rawlen && raw[digits] >= '0' && raw[digits] <= '9') {
		digits++;
	}
	if (raw && rawlen && digits == rawlen) {
		snprintf(buf, size, "%.*s", (int)rawlen, raw);
	} else if (isfinite(v->valuedouble) && fabs(v->valuedouble) < 9e18) {
		snprintf(buf, size, "%.0f", v->valuedouble);
	} else {
		snprintf(buf, size, "%.*s", raw ? (int)rawlen : 0, raw ? raw : "");
	}
	return true;
}

static bool id_text(const cJSON *v, char *buf, size_t size) {
	return id_text_raw(v, NULL, 0, buf, size);
}

/*
 * Count n more bytes of the reader's own tables against the memory limit
 * (which the trace shares); at names the event that asked.
 */
static tl_status charge(struct reader *r, const char *at, size_t n) {
	size_t lim = r->opts->max_memory, used = r->held + tl_trace_memory(r->t);
	if (lim && (used > lim || n > lim - used)) {
		char b[32];
		return over_limit(r, at,
				  "memory limit reached: the trace would take more than %s after "
				  "%zu events (--max-memory)",
				  tl_bytes_str(lim, b), r->nev);
	}
	r->held += n;
	return TL_OK;
}

static uint64_t hash_str(const char *s) {
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	}
	return tl_mix64(h);
}

/* The entry of key, or NULL. */
static struct names *smap_find(const struct smap *m, const char *key) {
	if (!m->icap) {
		return NULL;
	}
	for (size_t i = hash_str(key) & (m->icap - 1); m->idx[i]; i = (i + 1) & (m->icap - 1)) {
		struct names *e = &m->v[m->idx[i] - 1];
		if (strcmp(e->key, key) == 0) {
			return e;
		}
	}
	return NULL;
}

static const char *smap_get(const struct smap *m, const char *key) {
	const struct names *e = smap_find(m, key);
	return e ? e->name : NULL;
}

static bool smap_reindex(struct smap *m, size_t icap) {
	uint32_t *idx = calloc(icap, sizeof(*idx));
	if (!idx) {
		return false;
	}
	for (size_t k = 0; k < m->n; k++) {
		size_t i = hash_str(m->v[k].key) & (icap - 1);
		while (idx[i]) {
			i = (i + 1) & (icap - 1);
		}
		idx[i] = (uint32_t)k + 1;
	}
	free(m->idx);
	m->idx = idx;
	m->icap = icap;
	return true;
}

/* key's entry, added (with name "") when missing. at: the event, for limits. */
static tl_status smap_entry(struct reader *r, struct smap *m, const char *at, const char *key,
			    struct names **ret) {
	struct names *e = smap_find(m, key);
	if (e) {
		*ret = e;
		return TL_OK;
	}
	if (m->n >= UINT32_MAX - 1) {
		return over_limit(r, at, "too many process and thread names");
	}
	tl_status st = charge(r, at, sizeof(*e) + 2 * sizeof(*m->idx) + strlen(key) + 1);
	if (st != TL_OK) {
		return st;
	}
	if (m->n == m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 16;
		struct names *nv = realloc(m->v, nc * sizeof(*nv));
		if (!nv) {
			return nomem(r);
		}
		m->v = nv;
		m->cap = nc;
	}
	/* Load under 1/2 keeps probes short. */
	if ((m->n + 1) * 2 > m->icap && !smap_reindex(m, m->icap ? m->icap * 2 : 32)) {
		return nomem(r);
	}
	e = &m->v[m->n];
	*e = (struct names){.key = strdup(key), .name = strdup("")};
	if (!e->key || !e->name) {
		free(e->key);
		free(e->name);
		return nomem(r);
	}
	size_t i = hash_str(key) & (m->icap - 1);
	while (m->idx[i]) {
		i = (i + 1) & (m->icap - 1);
	}
	m->idx[i] = (uint32_t)++m->n;
	*ret = e;
	return TL_OK;
}

static tl_status smap_set(struct reader *r, struct smap *m, const char *at, const char *key,
			  const char *name) {
	struct names *e;
	tl_status st = smap_entry(r, m, at, key, &e);
	if (st != TL_OK) {
		return st;
	}
	if ((st = charge(r, at, strlen(name))) != TL_OK) {
		return st;
	}
	char *nn = strdup(name);
	if (!nn) {
		return nomem(r);
	}
	free(e->name);
	e->name = nn;
	return TL_OK;
}

static void smap_free(struct smap *m) {
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].key);
		free(m->v[i].name);
	}
	free(m->v);
	free(m->idx);
}

static const char *blank_end(const char *q, const char *e) {
	while (q < e && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')) {
		q++;
	}
	return q;
}

/*
 * The raw text of member field of the object in [s, e), which cJSON has
 * already parsed (so it is valid JSON); the first such member, as cJSON finds.
 * false when absent or when its key is written with escapes.
 */
static bool raw_member(const char *s, const char *e, const char *field, const char **ret_v,
		       const char **ret_vend) {
	size_t flen = strlen(field);
	const char *q = s;
	q = blank_end(q, e);
	if (q >= e || *q != '{') {
		return false;
	}
	q++;
	for (;;) {
		q = blank_end(q, e);
		if (q >= e || *q != '"') {
			return false;
		}
		const char *k = ++q;
		while (q < e && *q != '"') {
			q += *q == '\\' ? 2 : 1;
		}
		if (q >= e) {
			return false;
		}
		bool match = (size_t)(q - k) == flen && memcmp(k, field, flen) == 0;
		q++;
		q = blank_end(q, e);
		if (q >= e || *q != ':') {
			return false;
		}
		q++;
		q = blank_end(q, e);
		const char *v = q;
		size_t depth = 0;
		do {
			if (q >= e) {
				return false;
			}
			char c = *q;
			if (c == '"') {
				q++;
				while (q < e && *q != '"') {
					q += *q == '\\' ? 2 : 1;
				}
				q++;
			} else if (c == '{' || c == '[') {
				depth++;
				q++;
			} else if (c == '}' || c == ']') {
				depth--;
				q++;
			} else if (depth == 0) {
				while (q < e && *q != ',' && *q != '}' && *q != ']' && *q != ' ' &&
				       *q != '\t' && *q != '\n' && *q != '\r') {
					q++;
				}
			} else {
				q++;
			}
		} while (depth > 0);
		if (q > e) {
			return false;
		}
		if (match) {
			*ret_v = v;
			*ret_vend = q;
			return true;
		}
		q = blank_end(q, e);
		if (q >= e || *q != ',') {
			return false;
		}
		q++;
	}
}

/*
 * A time field in µs as ns: a number, or a string holding one (Hermes writes
 * "ts":"11550183666"). Read from the number's text, never through a double,
 * so epoch-sized times keep every nanosecond. ev is the event's slice [at, end).
 */
static tl_status micros(struct reader *r, const char *at, const char *end, const cJSON *ev,
			const char *field, bool required, tl_ns *ret) {
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(ev, field);
	if (!v) {
		if (required) {
			return fail(r, at, "event without \"%s\"", field);
		}
		*ret = 0;
		return TL_OK;
	}
	const char *text = NULL, *tend = NULL;
	if (cJSON_IsString(v)) {
		text = v->valuestring;
		tend = text + strlen(text);
	} else if (!cJSON_IsNumber(v)) {
		return fail(r, at, "\"%s\" is not a number", field);
	} else if (!raw_member(at, end, field, &text, &tend)) {
		text = NULL; /* a key written with escapes: the double will do */
	}
	if (text) {
		tl_num rc = tl_parse_time(text, (size_t)(tend - text), 3, ret);
		if (rc == TL_NUM_OK) {
			return TL_OK;
		}
		if (rc == TL_NUM_RANGE) {
			return fail(r, at, "\"%s\" is out of range", field);
		}
		if (cJSON_IsString(v)) {
			return fail(r, at, "\"%s\" is not a number", field);
		}
	}
	double ns = v->valuedouble * 1000.0;
	if (!isfinite(ns) || fabs(ns) >= (double)TL_TIME_MAX) {
		return fail(r, at, "\"%s\" is out of range", field);
	}
	*ret = (tl_ns)llround(ns);
	return TL_OK;
}

/* Times a to b join the events' range; the trace refuses the same later, without a position. */
static tl_status widen(struct reader *r, const char *at, tl_ns a, tl_ns b) {
	bool any = r->nev || r->nbe;
	tl_ns lo = any && r->tlo < a ? r->tlo : a, hi = any && r->thi > b ? r->thi : b;
	if (hi - lo > TL_TIME_MAX) {
		return fail(r, at, "times more than 146 years apart");
	}
	r->tlo = lo;
	r->thi = hi;
	return TL_OK;
}

static tl_status add_pending(struct reader *r, const char *at, const struct pending *p) {
	if (r->opts->max_rows && r->nev >= r->opts->max_rows) {
		return over_limit(r, at,
				  "more than %zu spans and samples: the row limit (--max-rows)",
				  r->opts->max_rows);
	}
	tl_status st = widen(r, at, p->sample ? p->smp.t : p->span.start,
			     p->sample ? p->smp.t : p->span.stop);
	if (st != TL_OK) {
		return st;
	}
	if (r->nev == r->capev) {
		size_t nc = r->capev ? r->capev * 2 : 256;
		st = charge(r, at, (nc - r->capev) * sizeof(struct pending));
		if (st != TL_OK) {
			return st;
		}
		struct pending *ne = realloc(r->ev, nc * sizeof(*ne));
		if (!ne) {
			return nomem(r);
		}
		r->ev = ne;
		r->capev = nc;
	}
	r->ev[r->nev++] = *p;
	return TL_OK;
}

static tl_status intern(struct reader *r, const char *s, tl_str *ret) {
	return tl_trace_intern(r->t, s, strlen(s), ret, r->err);
}

/* cJSON passes bytes through; a name that is not UTF-8 is refused here. */
static bool utf8_ok(const char *s) {
	size_t n = strlen(s);
	return tl_utf8_check(s, n) == n;
}

/*
 * Keep a B or E event (rec: its time, job and status) for matching once all
 * are read. An E holds a place among the pending events, so its span comes
 * where the E is in the file, as an X event would.
 */
static tl_status begin_end(struct reader *r, const char *at, struct pending *p, const char *key,
			   tl_ns ts, bool is_end, const char *name, const struct be *rec,
			   const char *label) {
	if (!is_end && r->opts->max_rows && r->nb + r->nev >= r->opts->max_rows) {
		return over_limit(r, at,
				  "more than %zu spans and samples: the row limit (--max-rows)",
				  r->opts->max_rows);
	}
	struct names *thread;
	tl_status st;
	if ((st = smap_entry(r, &r->stacks, at, key, &thread)) != TL_OK ||
	    (st = charge(r, at,
			 sizeof(struct be) + strlen(name) + 1 + (label ? strlen(label) + 1 : 0))) !=
		    TL_OK) {
		return st;
	}
	if (!thread->name[0] && p->pid[0]) {
		char *pid = strdup(p->pid);
		if (!pid) {
			return nomem(r);
		}
		free(thread->name);
		thread->name = pid;
	}
	size_t slot = 0;
	if (is_end) {
		p->span = (tl_span){.start = ts, .stop = ts};
		if ((st = add_pending(r, at, p)) != TL_OK) {
			return st;
		}
		slot = r->nev;
	} else if ((st = widen(r, at, ts, ts)) != TL_OK) {
		return st;
	}
	if (r->nbe == r->capbe) {
		size_t nc = r->capbe ? r->capbe * 2 : 16;
		struct be *nb = realloc(r->be, nc * sizeof(*nb));
		if (!nb) {
			return nomem(r);
		}
		r->be = nb;
		r->capbe = nc;
	}
	struct be *b = &r->be[r->nbe];
	*b = *rec;
	b->name = strdup(name);
	b->label = label ? strdup(label) : NULL;
	b->thread = (size_t)(thread - r->stacks.v);
	b->slot = slot;
	if (!b->name || (label && !b->label)) {
		free(b->name);
		free(b->label);
		return nomem(r);
	}
	r->nbe++;
	r->nb += !is_end;
	return TL_OK;
}

/*
 * The row of an async event (b/e/n, or the legacy S/F): one per (process,
 * category, id), as Perfetto and catapult give each async operation its own
 * track. The id is "id", or "id2"'s "local" or "global" (apart even when
 * their values are the same); the row's name is
 * set once every row is known (async_names). *ret: index + 1 in arows.
 */
static tl_status async_row(struct reader *r, const char *at, const cJSON *ev, const char *pid,
			   const char *name, uint32_t *ret) {
	const cJSON *cat = cJSON_GetObjectItemCaseSensitive(ev, "cat");
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(ev, "id");
	const cJSON *id2 = cJSON_GetObjectItemCaseSensitive(ev, "id2");
	const char *scope = ""; /* a local and a global id of one value stay apart */
	if (!id && cJSON_IsObject(id2)) {
		id = cJSON_GetObjectItemCaseSensitive(id2, "local");
		scope = id ? "l" : "g";
		id = id ? id : cJSON_GetObjectItemCaseSensitive(id2, "global");
	}
	char idt[64];
	if (!id) {
		return fail(r, at, "an async event without an \"id\"");
	}
	if (!id_text(id, idt, sizeof(idt))) {
		return fail(r, at, "an async event's \"id\" is neither a number nor a string");
	}
	const char *ct = cJSON_IsString(cat) ? cat->valuestring : "";
	if (!utf8_ok(ct) || !utf8_ok(idt)) {
		return fail(r, at, "invalid UTF-8 in a trace event");
	}
	size_t pl = strlen(pid), cl = strlen(ct), need = pl + cl + strlen(idt) + 6;
	char *key = malloc(need);
	if (!key) {
		return nomem(r);
	}
	snprintf(key, need, "\x1f%s\x1f%s\x1f%s\x1f%s", pid, ct, scope, idt);
	struct names *e;
	tl_status st = smap_entry(r, &r->arows, at, key, &e);
	free(key);
	if (st != TL_OK) {
		return st;
	}
	*ret = (uint32_t)(e - r->arows.v) + 1;
	if (!e->mid) {
		e->top = pl;
		e->mid = pl + cl + strlen(scope) + 4;
		st = smap_set(r, &r->arows, at, e->key, ct[0] ? ct : name[0] ? name : "async");
	}
	return st;
}

/* One event object, parsed from its slice. */
static tl_status event(struct reader *r, const char *at, const char *end, const cJSON *ev) {
	if (!cJSON_IsObject(ev)) {
		return fail(r, at, "a trace event is not an object");
	}
	const cJSON *ph = cJSON_GetObjectItemCaseSensitive(ev, "ph");
	if (!cJSON_IsString(ph) || !ph->valuestring[0]) {
		return fail(r, at, "event without a \"ph\" phase");
	}
	struct pending p = {0};
	const char *pr = NULL, *pe = NULL, *tr = NULL, *te = NULL;
	raw_member(at, end, "pid", &pr, &pe);
	raw_member(at, end, "tid", &tr, &te);
	if (!id_text_raw(cJSON_GetObjectItemCaseSensitive(ev, "pid"), pr,
			 pr ? (size_t)(pe - pr) : 0, p.pid, sizeof(p.pid)) ||
	    !id_text_raw(cJSON_GetObjectItemCaseSensitive(ev, "tid"), tr,
			 tr ? (size_t)(te - tr) : 0, p.tid, sizeof(p.tid))) {
		return fail(r, at, "\"pid\" or \"tid\" is neither a number nor a string");
	}
	const cJSON *nm = cJSON_GetObjectItemCaseSensitive(ev, "name");
	const char *name = cJSON_IsString(nm) ? nm->valuestring : "";
	const cJSON *args0 = cJSON_GetObjectItemCaseSensitive(ev, "args");
	const cJSON *aname = cJSON_GetObjectItemCaseSensitive(args0, "name");
	const cJSON *alabel = cJSON_GetObjectItemCaseSensitive(args0, "label");
	if (!utf8_ok(name) || !utf8_ok(p.pid) || !utf8_ok(p.tid) ||
	    (cJSON_IsString(aname) && !utf8_ok(aname->valuestring)) ||
	    (cJSON_IsString(alabel) && !utf8_ok(alabel->valuestring))) {
		return fail(r, at, "invalid UTF-8 in a trace event");
	}
	char key[160];
	snprintf(key, sizeof(key), "%s/%s", p.pid, p.tid);
	char c = ph->valuestring[0];
	tl_status st;
	if (c == 'M') {
		const cJSON *args = cJSON_GetObjectItemCaseSensitive(ev, "args");
		const cJSON *an = cJSON_GetObjectItemCaseSensitive(args, "name");
		if (strcmp(name, "process_sort_index") == 0) {
			const cJSON *si = cJSON_GetObjectItemCaseSensitive(args, "sort_index");
			if (cJSON_IsNumber(si)) {
				char idx[32];
				snprintf(idx, sizeof(idx), "%020.0f", si->valuedouble + 1e15);
				return smap_set(r, &r->sorts, at, p.pid, idx);
			}
			return TL_OK;
		}
		if (strcmp(name, "thread_sort_index") == 0) {
			const cJSON *si = cJSON_GetObjectItemCaseSensitive(args, "sort_index");
			if (cJSON_IsNumber(si)) {
				char idx[32];
				snprintf(idx, sizeof(idx), "%020.0f", si->valuedouble + 1e15);
				return smap_set(r, &r->tsorts, at, key, idx);
			}
			return TL_OK;
		}
		const cJSON *labels = cJSON_GetObjectItemCaseSensitive(args, "labels");
		if (strcmp(name, "process_labels") == 0 && cJSON_IsString(labels)) {
			if (!utf8_ok(labels->valuestring)) {
				return fail(r, at, "invalid UTF-8 in a trace event");
			}
			return smap_set(r, &r->plabels, at, p.pid, labels->valuestring);
		}
		if (!cJSON_IsString(an)) {
			return TL_OK; /* other metadata: nothing to show */
		}
		if (strcmp(name, "process_name") == 0) {
			return smap_set(r, &r->procs, at, p.pid, an->valuestring);
		}
		if (strcmp(name, "thread_name") == 0) {
			if ((st = smap_set(r, &r->threads, at, key, an->valuestring)) == TL_OK) {
				smap_find(&r->threads, key)->top = strlen(p.pid); /* key: pid/tid */
			}
			return st;
		}
		return TL_OK;
	}
	bool async = c == 'b' || c == 'e' || c == 'S' || c == 'F';
	if (c != 'X' && c != 'B' && c != 'E' && c != 'i' && c != 'I' && c != 'n' && !async) {
		/* Counters, flows, async steps...: not drawn, not fatal; counted for the notes. */
		r->not_drawn[c == 'C' ? 0 : strchr("stf", c) ? 1 : 2]++;
		return TL_OK;
	}
	/*
	 * clang -ftime-trace ends with a "Total NAME" event per kind of work, from
	 * zero, with its count and mean ("avg ms"): a summary of the spans, not
	 * work on the timeline.
	 */
	if (c == 'X' && strncmp(name, "Total ", 6) == 0 &&
	    cJSON_GetObjectItemCaseSensitive(args0, "avg ms")) {
		r->summaries++;
		return TL_OK;
	}
	/* Kineto's profiler window: a span over the whole recording, not work. */
	if (c == 'X' && strcmp(p.pid, "Spans") == 0) {
		const cJSON *cat = cJSON_GetObjectItemCaseSensitive(ev, "cat");
		if (cJSON_IsString(cat) && strcmp(cat->valuestring, "Trace") == 0) {
			r->windows++;
			return TL_OK;
		}
	}
	uint32_t arow = 0;
	if ((async || (c == 'n' && (cJSON_GetObjectItemCaseSensitive(ev, "id") ||
				    cJSON_GetObjectItemCaseSensitive(ev, "id2")))) &&
	    (st = async_row(r, at, ev, p.pid, name, &arow)) != TL_OK) {
		return st;
	}
	p.arow = arow;
	tl_ns ts;
	if ((st = micros(r, at, end, ev, "ts", true, &ts)) != TL_OK) {
		return st;
	}
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(ev, "args");
	const cJSON *job = cJSON_GetObjectItemCaseSensitive(args, "job");
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(args, "status");
	const cJSON *label = cJSON_GetObjectItemCaseSensitive(args, "label");
	int64_t jobnum = 0;
	bool has_job = cJSON_IsNumber(job) && job->valuedouble >= -9e15 && job->valuedouble <= 9e15;
	if (has_job) {
		jobnum = (int64_t)job->valuedouble;
	}
	if (c == 'i' || c == 'I' || c == 'n') {
		p.sample = true;
		p.smp = (tl_sample){.t = ts, .job = jobnum};
		p.numbered = has_job;
		return add_pending(r, at, &p);
	}
	int32_t stat = 0;
	bool has_status = cJSON_IsNumber(status) || cJSON_IsString(status);
	if (cJSON_IsNumber(status)) {
		stat = tl_status_from_double(status->valuedouble);
	} else if (cJSON_IsString(status) &&
		   !tl_status_from_string(status->valuestring, strlen(status->valuestring),
					  &stat)) {
		stat = 1;
	}
	/* Traces written by timeline carry the label apart from the name. */
	const char *label_text = has_job ? cJSON_IsString(label) ? label->valuestring : "" : name;
	if (c == 'B' || c == 'E' || async) {
		return begin_end(r, at, &p, arow ? r->arows.v[arow - 1].key : key, ts,
				 c == 'E' || c == 'e' || c == 'F', name,
				 &(struct be){.ts = ts,
					      .arow = arow,
					      .job = jobnum,
					      .status = stat,
					      .has_job = has_job,
					      .has_status = has_status},
				 has_job ? label_text : NULL);
	}
	tl_ns dur; /* required, as Perfetto requires it: an X without it is skipped */
	if ((st = micros(r, at, end, ev, "dur", true, &dur)) != TL_OK) {
		return st;
	}
	if (dur < 0) {
		return fail(r, at, "\"dur\" is negative");
	}
	tl_ns stop = ts + dur; /* both within ±TL_TIME_MAX: no overflow */
	if (stop > TL_TIME_MAX) {
		return fail(r, at, "\"ts\" plus \"dur\" is out of range");
	}
	p.span = (tl_span){.start = ts, .stop = stop, .job = jobnum, .status = stat};
	p.numbered = has_job;
	if ((st = intern(r, label_text, &p.span.label)) != TL_OK) {
		return st;
	}
	return add_pending(r, at, &p);
}

/*
 * Walk the elements of the events array at r->p (just after '['). A comma
 * before the first event ("[\n,{...}", as some writers emit) is passed over,
 * as Perfetto does.
 */
static tl_status events(struct reader *r) {
	skip_ws(r);
	if (r->p < r->end && *r->p == ',') {
		r->p++;
	}
	for (;;) {
		skip_ws(r);
		if (r->p >= r->end) {
			return TL_OK; /* the array form may end without ']' */
		}
		if (*r->p == ']') {
			r->p++;
			return TL_OK;
		}
		const char *at = r->p, *end = NULL;
		r->unplaced = false; /* where a file is cut is always said */
		r->too_big = false;
		tl_status st = value_end(r, &end, true);
		if (st != TL_OK && r->cut && !r->opts->strict) {
			/* A writer that died mid-event: what came before it is the trace. */
			r->cut_at = *r->err;
			*r->err = (struct tl_error){0};
			r->p = r->end;
			return TL_OK;
		}
		if (st != TL_OK && !r->too_big) {
			return st;
		}
		if (st == TL_OK) {
			r->unplaced = r->bad > 0 && !r->opts->strict;
			const char *stop = NULL;
			cJSON *ev = cJSON_ParseWithLengthOpts(at, (size_t)(end - at), &stop, false);
			st = ev ? event(r, at, end, ev)
				: fail(r, stop && stop >= at && stop <= end ? stop : at,
				       "invalid JSON in a trace event");
			cJSON_Delete(ev);
			r->unplaced = false;
		}
		if (st == TL_ERR_INPUT && !r->opts->strict) {
			/* One bad event does not make the trace unreadable: Perfetto skips it too.
			 */
			if (!r->bad++) {
				r->first_bad = *r->err;
			}
			*r->err = (struct tl_error){0};
			st = TL_OK;
		}
		if (st != TL_OK) {
			return st;
		}
		r->p = end;
		skip_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
		} else if (r->p < r->end && *r->p != ']') {
			return fail(r, r->p, "expected ',' or ']' between trace events");
		}
	}
}

/* otherData's string members become metadata (timeline writes its own there). */
static tl_status other_data(struct reader *r, const char *vend) {
	cJSON *o = cJSON_ParseWithLength(r->p, (size_t)(vend - r->p));
	tl_status st = TL_OK;
	const cJSON *m;
	cJSON_ArrayForEach(m, o) {
		if (cJSON_IsString(m) && m->string && strcmp(m->string, "generator") != 0 &&
		    utf8_ok(m->string) && utf8_ok(m->valuestring) && st == TL_OK) {
			st = tl_trace_meta_set(r->t, m->string, m->valuestring, r->err);
		}
		if (cJSON_IsString(m) && m->string && strcmp(m->string, "generator") == 0) {
			r->ours = true;
		}
	}
	cJSON_Delete(o);
	return st;
}

/* The object form: find "traceEvents"; keep beginningOfTime. */
static tl_status object(struct reader *r) {
	r->p++;
	bool found = false;
	const char *system = NULL; /* where "systemTraceEvents" is, if anywhere */
	for (;;) {
		skip_ws(r);
		if (r->p >= r->end && r->cut && found) {
			break; /* cut inside its events: read up to there */
		}
		if (r->p >= r->end) {
			return fail(r, r->p, "truncated JSON: the trace object never ends");
		}
		if (*r->p == '}') {
			break;
		}
		if (*r->p != '"') {
			return fail(r, r->p, "expected a key in the trace object");
		}
		const char *kend;
		tl_status st = value_end(r, &kend, false);
		if (st != TL_OK) {
			return st;
		}
		size_t klen = (size_t)(kend - r->p);
		bool is_events = klen == 13 && memcmp(r->p, "\"traceEvents\"", 13) == 0;
		bool is_begin = klen == 17 && memcmp(r->p, "\"beginningOfTime\"", 17) == 0;
		bool is_other = klen == 11 && memcmp(r->p, "\"otherData\"", 11) == 0;
		const char *system_at =
			klen == 19 && memcmp(r->p, "\"systemTraceEvents\"", 19) == 0 ? r->p : NULL;
		system = system ? system : system_at;
		r->p = kend;
		skip_ws(r);
		if (r->p >= r->end || *r->p != ':') {
			return fail(r, r->p, "expected ':' after a key in the trace object");
		}
		r->p++;
		skip_ws(r);
		if (is_events) {
			if (r->p >= r->end || *r->p != '[') {
				return fail(r, r->p, "\"traceEvents\" is not an array");
			}
			r->p++;
			st = events(r);
			found = true;
		} else {
			const char *vend;
			st = value_end(r, &vend, false);
			if (st == TL_OK && is_other) {
				st = other_data(r, vend);
			}
			if (st == TL_OK && is_begin) {
				tl_ns begin_ns;
				tl_num bn =
					tl_parse_decimal(r->p, (size_t)(vend - r->p), 3, &begin_ns);
				if (bn != TL_NUM_OK) {
					return fail(r, r->p, "\"beginningOfTime\" is %s",
						    bn == TL_NUM_RANGE
							    ? "out of range"
							    : "not a number of microseconds");
				}
				char buf[64];
				size_t n = (size_t)(vend - r->p) < sizeof(buf) - 1
						   ? (size_t)(vend - r->p)
						   : sizeof(buf) - 1;
				memcpy(buf, r->p, n);
				buf[n] = '\0';
				st = tl_trace_meta_set(r->t, TL_META_BEGINNING_OF_TIME_US, buf,
						       r->err);
			}
			r->p = vend;
		}
		if (st != TL_OK) {
			return st;
		}
		skip_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
		}
	}
	/* Linux ftrace text inside the JSON (Chrome's systrace): another format. */
	if (!found && system) {
		return fail(r, system,
			    "\"systemTraceEvents\" (ftrace text, as systrace writes it) is not "
			    "supported: open it in Perfetto, or give a trace with \"traceEvents\"");
	}
	if (!found) {
		return fail(r, r->data, "no \"traceEvents\" array in the trace object");
	}
	if (system) {
		return tl_trace_meta_set(r->t, TL_META_NOTE_PREFIX "system",
					 "\"systemTraceEvents\" (ftrace text) not read", r->err);
	}
	return TL_OK;
}

static int cmp_sort(const void *a, const void *b) {
	const struct names *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->key, y->key);
}

/* Compare event indices by their thread's rank, then by position: a stable order. */
static int cmp_rank(const void *a, const void *b, void *ctx) {
	const char *const *rank = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(rank[x], rank[y]);
	return c ? c : (x > y) - (x < y);
}

/* order: event indices by their thread's sort index, unindexed threads last. */
static bool sort_by_rank(const struct reader *r, size_t *order) {
	const char **rank = malloc(r->nev * sizeof(*rank));
	if (!rank) {
		return false;
	}
	for (size_t i = 0; i < r->nev; i++) {
		char key[160];
		snprintf(key, sizeof(key), "%s/%s", r->ev[i].pid, r->ev[i].tid);
		const char *idx = smap_get(&r->tsorts, key);
		rank[i] = idx ? idx : "~";
		order[i] = i;
	}
	qsort_r(order, r->nev, sizeof(*order), cmp_rank, rank);
	free(rank);
	return true;
}

/* Compare B/E indices by thread, then time, then file position: a stable order. */
static int cmp_be(const void *a, const void *b, void *ctx) {
	const struct be *be = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const struct be *p = &be[x], *q = &be[y];
	if (p->thread != q->thread) {
		return p->thread < q->thread ? -1 : 1;
	}
	if (p->ts != q->ts) {
		return p->ts < q->ts ? -1 : 1;
	}
	return (x > y) - (x < y);
}

/* The span of B event b closed at stop by E event e (NULL: never closed). */
static tl_status be_span(struct reader *r, const struct be *b, const struct be *e, tl_ns stop,
			 tl_span *ret, bool *ret_numbered) {
	const struct be *src = e && e->has_job ? e : b->has_job ? b : NULL;
	const char *text = src ? src->label : b->name[0] || !e ? b->name : e->name;
	*ret = (tl_span){.start = b->ts,
			 .stop = stop,
			 .job = src ? src->job : 0,
			 .status = e && e->has_status ? e->status : b->status};
	*ret_numbered = src != NULL;
	return intern(r, text, &ret->label);
}

/* The latest time of each process (pid → at[]): where its B events never ended end. */
struct ends {
	struct smap pids;
	tl_ns *at;
	size_t cap;
};

static tl_status end_at(struct reader *r, struct ends *e, const char *pid, tl_ns t) {
	struct names *n;
	tl_status st = smap_entry(r, &e->pids, r->end, pid, &n);
	if (st != TL_OK) {
		return st;
	}
	size_t k = (size_t)(n - e->pids.v), old = e->cap;
	if (k >= e->cap && !tl_grow((void **)&e->at, &e->cap, k + 1, sizeof(*e->at))) {
		return nomem(r);
	}
	for (size_t i = old; i < e->cap; i++) {
		e->at[i] = INT64_MIN;
	}
	e->at[k] = t > e->at[k] ? t : e->at[k];
	return TL_OK;
}

/*
 * Match each thread's B and E events in time order (the file's order among
 * equal times), an E closing the innermost open B; the span fills the E's
 * place. An E with nothing open is skipped and counted in a note. B events
 * never closed (a trace cut short when its process died) last to their
 * process's last time, unfinished; dropping them would hide exactly the work
 * that did not finish. Their count goes in the notes.
 */
static tl_status match_begin_end(struct reader *r) {
	if (!r->nbe) {
		return TL_OK;
	}
	size_t *order = malloc(r->nbe * sizeof(*order));
	if (!order) {
		return nomem(r);
	}
	for (size_t i = 0; i < r->nbe; i++) {
		order[i] = i;
	}
	qsort_r(order, r->nbe, sizeof(*order), cmp_be, r->be);
	for (size_t i = 0; i < r->stacks.n; i++) {
		r->stacks.v[i].top = 0;
	}
	size_t unmatched = 0;
	tl_status st = TL_OK;
	for (size_t k = 0; k < r->nbe && st == TL_OK; k++) {
		struct be *x = &r->be[order[k]];
		struct names *th = &r->stacks.v[x->thread];
		if (!x->slot) {
			x->below = th->top;
			th->top = order[k] + 1;
			continue;
		}
		struct pending *p = &r->ev[x->slot - 1];
		if (!th->top) {
			p->hole = true;
			unmatched++;
			continue;
		}
		/*
		 * An E with a name closes the innermost open B of that name, as
		 * Perfetto does (the ones above stay open); one without, or with
		 * a name no open B has, the innermost. The search is bounded.
		 */
		size_t *link = &th->top;
		for (size_t *l = &th->top, depth = 0; x->name[0] && *l && depth < 256;
		     l = &r->be[*l - 1].below, depth++) {
			if (strcmp(r->be[*l - 1].name, x->name) == 0) {
				link = l;
				break;
			}
		}
		struct be *b = &r->be[*link - 1];
		*link = b->below;
		b->closed = true;
		st = be_span(r, b, x, x->ts, &p->span, &p->numbered);
	}
	free(order);
	if (st != TL_OK) {
		return st;
	}
	/* The E events with nothing to close leave no place behind. */
	if (unmatched) {
		size_t n = 0;
		for (size_t i = 0; i < r->nev; i++) {
			if (!r->ev[i].hole) {
				r->ev[n++] = r->ev[i];
			}
		}
		r->nev = n;
		char note[80];
		snprintf(note, sizeof(note), "%zu end event%s (E, e) with nothing open skipped",
			 unmatched, unmatched == 1 ? "" : "s");
		if ((st = tl_trace_meta_set(r->t, "note.unmatched_end", note, r->err)) != TL_OK) {
			return st;
		}
	}
	struct ends ends = {0};
	bool open = false;
	for (size_t i = 0; i < r->nbe && !open; i++) {
		open = !r->be[i].slot && !r->be[i].closed;
	}
	for (size_t i = 0; open && i < r->nev && st == TL_OK; i++) {
		const struct pending *q = &r->ev[i];
		st = end_at(r, &ends, q->pid, q->sample ? q->smp.t : q->span.stop);
	}
	for (size_t i = 0; open && i < r->nbe && st == TL_OK; i++) {
		st = end_at(r, &ends, r->stacks.v[r->be[i].thread].name, r->be[i].ts);
	}
	size_t n = 0;
	for (size_t i = 0; i < r->nbe && st == TL_OK; i++) {
		const struct be *b = &r->be[i];
		if (b->slot || b->closed) {
			continue;
		}
		const struct names *th = &r->stacks.v[b->thread];
		struct pending p = {0};
		size_t pl = strlen(th->name);
		snprintf(p.pid, sizeof(p.pid), "%s", th->name);
		snprintf(p.tid, sizeof(p.tid), "%s", b->arow ? "" : th->key + pl + 1);
		p.arow = b->arow;
		/* To its process's last time, as CSV's unfinished jobs last to their group's. */
		const struct names *pe = smap_find(&ends.pids, th->name);
		tl_ns stop = pe ? ends.at[pe - ends.pids.v] : b->ts;
		st = be_span(r, b, NULL, stop > b->ts ? stop : b->ts, &p.span, &p.numbered);
		p.span.status = TL_STATUS_UNFINISHED;
		if (st == TL_OK) {
			st = add_pending(r, r->end, &p);
		}
		n += st == TL_OK;
	}
	smap_free(&ends.pids);
	free(ends.at);
	if (st != TL_OK) {
		return st;
	}
	if (!n) {
		return TL_OK;
	}
	char note[120];
	snprintf(note, sizeof(note),
		 "%zu begin event%s (B, b) never ended: unfinished, drawn to the end of their "
		 "process",
		 n, n == 1 ? "" : "s");
	return tl_trace_meta_set(r->t, TL_META_NOTE_PREFIX "unfinished", note, r->err);
}

/*
 * Names shared stay apart: of processes that share a process_name, each is
 * "NAME (LABEL)" when its process_labels tell them apart (Kineto's "python3
 * (CPU)" and "python3 (GPU 0)"), else "NAME (pid N)", and of threads of one process that share a
 * thread_name, each is "NAME (tid N)" (Chrome names many threads alike, and merging them would
 * stack their spans on one row). A thread or process named "" is named by its id. m is procs (key
 * pid) or threads (key pid/tid, top: the pid's length); its names are rewritten in place.
 */
static tl_status unique_names(struct reader *r, struct smap *m, const char *what) {
	bool threads = what[0] == 't';
	struct smap count = {0};
	tl_status st = TL_OK;
	char *key = NULL;
	size_t keycap = 0;
	/* Pass 0 counts each (pid,) name; pass 1 renames where it is shared. */
	for (int pass = 0; pass < 2 && st == TL_OK; pass++) {
		for (size_t i = 0; i < m->n && st == TL_OK; i++) {
			struct names *e = &m->v[i];
			const char *id = threads ? e->key + e->top + 1 : e->key;
			size_t pl = threads ? e->top : 0;
			const char *lb = threads ? NULL : smap_get(&r->plabels, id);
			size_t need = 24 + pl + strlen(e->name) + strlen(id) + strlen(what) +
				      (lb ? strlen(lb) : 0);
			if (need > keycap) {
				char *nk = realloc(key, need);
				if (!nk) {
					st = nomem(r);
					break;
				}
				key = nk;
				keycap = need;
			}
			if (!e->name[0]) {
				if (pass == 1) {
					snprintf(key, keycap, "%s%s%s", id[0] ? what : "",
						 id[0] ? " " : "", id);
					st = smap_set(r, m, r->end, e->key, key);
				}
				continue;
			}
			/* The pid's length first: no pid can run into the name. */
			snprintf(key, keycap, "%zu:%.*s%s", pl, (int)pl, e->key, e->name);
			struct names *c;
			if (pass == 0) {
				if ((st = smap_entry(r, &count, r->end, key, &c)) == TL_OK) {
					c->top++;
				}
				/* And each (name, label): a label tells apart only if unique. */
				if (st == TL_OK && lb && lb[0]) {
					snprintf(key, keycap, "L%zu:%s\x1f%s", strlen(e->name),
						 e->name, lb);
					if ((st = smap_entry(r, &count, r->end, key, &c)) ==
					    TL_OK) {
						c->top++;
					}
				}
			} else if ((c = smap_find(&count, key)) && c->top > 1) {
				struct names *lc = NULL;
				if (lb && lb[0]) {
					snprintf(key, keycap, "L%zu:%s\x1f%s", strlen(e->name),
						 e->name, lb);
					lc = smap_find(&count, key);
				}
				if (lc && lc->top == 1) {
					snprintf(key, keycap, "%s (%s)", e->name, lb);
				} else {
					snprintf(key, keycap, "%s (%s %s)", e->name, what, id);
				}
				st = smap_set(r, m, r->end, e->key, key);
			}
		}
	}
	free(key);
	smap_free(&count);
	return st;
}

/*
 * Every process and thread that has an event gets an entry in procs and
 * threads (name "" when no M event names it), so that names given and names
 * made from ids ("tid 2") are made distinct together.
 */
static tl_status register_ids(struct reader *r) {
	tl_status st = TL_OK;
	for (size_t i = 0; i < r->nev && st == TL_OK; i++) {
		const struct pending *p = &r->ev[i];
		if (p->arow) {
			continue; /* async rows are named apart */
		}
		struct names *e;
		char key[160];
		snprintf(key, sizeof(key), "%s/%s", p->pid, p->tid);
		st = smap_entry(r, &r->procs, r->end, p->pid, &e);
		if (st == TL_OK && (st = smap_entry(r, &r->threads, r->end, key, &e)) == TL_OK &&
		    !e->name[0]) {
			e->top = strlen(p->pid);
		}
	}
	return st;
}

/*
 * Names that are still alike after unique_names() (a thread named "T (tid
 * 1)" beside two named "T"; one named "tid 2" beside the unnamed tid 2):
 * the later ones take their id, then a number, so that no two rows (threads
 * of a process) or panels (processes) merge.
 */
static tl_status distinct_names(struct reader *r, struct smap *m, const char *what) {
	bool threads = what[0] == 't';
	struct smap seen = {0};
	tl_status st = TL_OK;
	for (size_t i = 0; i < m->n && st == TL_OK; i++) {
		struct names *e = &m->v[i];
		size_t pl = threads ? e->top : 0;
		const char *id = threads ? e->key + pl + 1 : e->key;
		char *name = NULL, *key = NULL;
		for (unsigned k = 0; st == TL_OK; k++) {
			int rc = k == 0   ? asprintf(&name, "%s", e->name)
				 : k == 1 ? asprintf(&name, "%s (%s %s)", e->name, what, id)
					  : asprintf(&name, "%s (%s %s) %u", e->name, what, id, k);
			if (rc < 0 || asprintf(&key, "%zu:%.*s%s", pl, (int)pl, e->key, name) < 0) {
				name = rc < 0 ? NULL : name;
				st = nomem(r);
				break;
			}
			if (!smap_find(&seen, key)) {
				break;
			}
			free(name);
			free(key);
			name = key = NULL;
		}
		if (st == TL_OK) {
			st = smap_entry(r, &seen, r->end, key, &(struct names *){0});
		}
		if (st == TL_OK && strcmp(name, e->name) != 0) {
			st = smap_set(r, m, r->end, e->key, name);
		}
		free(name);
		free(key);
	}
	smap_free(&seen);
	return st;
}

/*
 * Async rows are named by their category (else their first event's name),
 * with the id when the process has several of that category: "Source", or
 * "loading 0x1f" and "loading 0x20". A name one of the process's threads
 * has gets " (async)"; one another async row has (a local and a global id
 * of one value) " (2)", " (3)"...: the rows stay apart.
 */
static tl_status async_names(struct reader *r) {
	struct smap count = {0}, threads = {0}, rows = {0};
	tl_status st = TL_OK;
	char *buf = NULL;
	for (size_t i = 0; i < r->threads.n && st == TL_OK; i++) {
		const struct names *e = &r->threads.v[i];
		st = asprintf(&buf, "\x1f%.*s\x1f%s", (int)e->top, e->key, e->name) < 0
			     ? nomem(r)
			     : smap_entry(r, &threads, r->end, buf, &(struct names *){0});
		free(buf);
	}
	/* Pass 0 counts the ids of each (pid, category), all scopes; pass 1 names. */
	for (int pass = 0; pass < 2 && st == TL_OK; pass++) {
		for (size_t i = 0; i < r->arows.n && st == TL_OK; i++) {
			struct names *e = &r->arows.v[i], *c;
			const char *id = e->key + e->mid;
			/* The key is \x1f pid \x1f cat \x1f scope \x1f id; the scope is "", "l" or
			 * "g". */
			size_t cat_end = e->key[e->mid - 2] == '\x1f' ? e->mid - 2 : e->mid - 3;
			if (asprintf(&buf, "%.*s", (int)cat_end, e->key) < 0) {
				st = nomem(r);
				break;
			}
			if (pass == 0) {
				if ((st = smap_entry(r, &count, r->end, buf, &c)) == TL_OK) {
					c->top++;
				}
				free(buf);
				continue;
			}
			bool several = smap_find(&count, buf)->top > 1;
			free(buf);
			if (asprintf(&buf, "%s%s%s", e->name, several ? " " : "",
				     several ? id : "") < 0) {
				st = nomem(r);
				break;
			}
			/*
			 * A thread's name: NAME (async); another async row's (a local
			 * and a global id of one value): NAME (2), NAME (3)...
			 */
			char *probe = NULL, *name = NULL;
			bool thread_clash = false;
			for (unsigned k = 0; st == TL_OK; k++) {
				free(name);
				free(probe);
				probe = NULL;
				const char *tail = thread_clash ? " (async)" : "";
				int rc = k == 0 ? asprintf(&name, "%s%s", buf, tail)
						: asprintf(&name, "%s%s (%u)", buf, tail, k + 1);
				if (rc < 0 || asprintf(&probe, "\x1f%.*s\x1f%s", (int)e->top,
						       e->key + 1, name) < 0) {
					name = rc < 0 ? NULL : name;
					st = nomem(r);
				} else if (k == 0 && !thread_clash && smap_find(&threads, probe)) {
					thread_clash = true;
					k = (unsigned)-1; /* again, from NAME (async) */
				} else if (!smap_find(&threads, probe) &&
					   !smap_find(&rows, probe)) {
					break;
				}
			}
			if (st == TL_OK) {
				st = smap_entry(r, &rows, r->end, probe, &(struct names *){0});
			}
			if (st == TL_OK) {
				st = smap_set(r, &r->arows, r->end, e->key, name);
			}
			free(probe);
			free(name);
			free(buf);
		}
	}
	smap_free(&count);
	smap_free(&threads);
	smap_free(&rows);
	return st;
}

/* Groups, workers and jobs once every name is known; spans in file order. */
/* "4 events not drawn (2 counter, 1 flow, 1 other): ...", for the notes. */
static tl_status note_not_drawn(struct reader *r) {
	static const char *const what[3] = {"counter", "flow", "other"};
	size_t total = r->not_drawn[0] + r->not_drawn[1] + r->not_drawn[2];
	if (!total) {
		return TL_OK;
	}
	char kinds[120] = "";
	size_t n = 0;
	for (int k = 0; k < 3; k++) {
		if (r->not_drawn[k]) {
			int w = snprintf(kinds + n, sizeof(kinds) - n, "%s%zu %s", n ? ", " : "",
					 r->not_drawn[k], what[k]);
			n += w > 0 && (size_t)w < sizeof(kinds) - n ? (size_t)w : 0;
		}
	}
	char note[320];
	snprintf(note, sizeof(note),
		 "%zu event%s not drawn (%s): only complete (X), duration (B/E), async (b/e, "
		 "S/F) and instant events are drawn",
		 total, total == 1 ? "" : "s", kinds);
	return tl_trace_meta_set(r->t, TL_META_NOTE_PREFIX "not_drawn", note, r->err);
}

/*
 * Processes with instants and no span are bookkeeping, not work (Kineto's
 * "Traces" and its unnamed "Record Window End"): in a trace with spans
 * elsewhere they get no panel, and the notes count their instants.
 */
static tl_status drop_lone_instants(struct reader *r) {
	struct smap spanful = {0};
	tl_status st = TL_OK;
	for (size_t i = 0; i < r->nev && st == TL_OK; i++) {
		if (!r->ev[i].sample) {
			st = smap_entry(r, &spanful, r->end, r->ev[i].pid, &(struct names *){0});
		}
	}
	if (st == TL_OK && spanful.n) {
		size_t n = 0;
		for (size_t i = 0; i < r->nev; i++) {
			if (r->ev[i].sample && !smap_find(&spanful, r->ev[i].pid)) {
				r->lone_instants++;
			} else {
				r->ev[n++] = r->ev[i];
			}
		}
		r->nev = n;
	}
	smap_free(&spanful);
	return st;
}

/* The notes on what was read and left out: bookkeeping of the tools that wrote the trace. */
static tl_status note_left_out(struct reader *r) {
	tl_status st = note_not_drawn(r);
	char note[TL_ERROR_MSG_MAX + 200];
	if (st == TL_OK && r->bad) {
		snprintf(note, sizeof(note),
			 "%zu event%s skipped, as Perfetto skips them (--strict refuses the "
			 "file); the first, line %ld column %ld: %s",
			 r->bad, r->bad == 1 ? "" : "s", r->first_bad.line, r->first_bad.column,
			 r->first_bad.msg);
		st = tl_trace_meta_set(r->t, TL_META_NOTE_PREFIX "bad_events", note, r->err);
	}
	if (st == TL_OK && r->cut) {
		snprintf(note, sizeof(note),
			 "the file ends inside an event (line %ld column %ld): the trace up to it "
			 "is read",
			 r->cut_at.line, r->cut_at.column);
		st = tl_trace_meta_set(r->t, TL_META_NOTE_PREFIX "cut", note, r->err);
	}
	if (st == TL_OK && r->after) {
		const char *ls;
		long line = tl_line_of(r->data, r->end, r->after, &ls);
		snprintf(note, sizeof(note),
			 "text after the events' closing ']' (line %ld column %ld) not read", line,
			 tl_column(ls, r->after));
		st = tl_trace_meta_set(r->t, TL_META_NOTE_PREFIX "after", note, r->err);
	}
	if (st == TL_OK && r->summaries) {
		snprintf(note, sizeof(note),
			 "%zu summary event%s (clang's \"Total ...\") not drawn nor counted: they "
			 "sum the others",
			 r->summaries, r->summaries == 1 ? "" : "s");
		st = tl_trace_meta_set(r->t, TL_META_NOTE_PREFIX "summaries", note, r->err);
	}
	if (st == TL_OK && r->windows) {
		snprintf(note, sizeof(note),
			 "%zu profiler window%s (Kineto's \"Spans\" process) not drawn nor counted",
			 r->windows, r->windows == 1 ? "" : "s");
		st = tl_trace_meta_set(r->t, TL_META_NOTE_PREFIX "windows", note, r->err);
	}
	size_t spans = 0, rows = r->arows.n;
	for (size_t i = 0; i < r->nev; i++) {
		spans += r->ev[i].arow && !r->ev[i].sample;
	}
	if (st == TL_OK && spans) {
		snprintf(
			note, sizeof(note),
			"%zu async span%s (b/e) on %zu row%s of their own, one per category and id",
			spans, spans == 1 ? "" : "s", rows, rows == 1 ? "" : "s");
		st = tl_trace_meta_set(r->t, TL_META_NOTE_PREFIX "async", note, r->err);
	}
	if (st == TL_OK && r->lone_instants) {
		snprintf(note, sizeof(note),
			 "%zu instant%s of processes with no span not drawn (bookkeeping, such as "
			 "Kineto's \"Traces\")",
			 r->lone_instants, r->lone_instants == 1 ? "" : "s");
		st = tl_trace_meta_set(r->t, TL_META_NOTE_PREFIX "lone_instants", note, r->err);
	}
	return st;
}

static tl_status finish(struct reader *r) {
	tl_status ust = match_begin_end(r);
	if (ust == TL_OK && !r->ours) {
		ust = drop_lone_instants(r);
	}
	if (ust == TL_OK) {
		ust = note_left_out(r);
	}
	/* A trace's processes ran at the same time; timeline's own traces keep what they said. */
	if (ust == TL_OK && !r->ours) {
		ust = tl_trace_meta_set(r->t, TL_META_GROUPS, TL_GROUPS_CONCURRENT, r->err);
	}
	/* timeline writes its names unique, and "" for a worker it has none for. */
	if (ust == TL_OK && !r->ours) {
		ust = register_ids(r);
	}
	if (ust == TL_OK && !r->ours) {
		ust = unique_names(r, &r->procs, "pid");
	}
	if (ust == TL_OK && !r->ours) {
		ust = unique_names(r, &r->threads, "tid");
	}
	if (ust == TL_OK && !r->ours) {
		ust = distinct_names(r, &r->procs, "pid");
	}
	if (ust == TL_OK && !r->ours) {
		ust = distinct_names(r, &r->threads, "tid");
	}
	if (ust == TL_OK) {
		ust = async_names(r);
	}
	if (ust != TL_OK) {
		return ust;
	}
	/* Threads with a sort index: their events first, so rows follow the index. */
	if (r->tsorts.n && r->nev > 1) {
		/* qsort is not stable: break ties on the original position. */
		struct pending *copy = malloc(r->nev * sizeof(*copy));
		size_t *order = malloc(r->nev * sizeof(*order));
		if (!copy || !order) {
			free(copy);
			free(order);
			return nomem(r);
		}
		if (!sort_by_rank(r, order)) {
			free(copy);
			free(order);
			return nomem(r);
		}
		memcpy(copy, r->ev, r->nev * sizeof(*copy));
		for (size_t i = 0; i < r->nev; i++) {
			r->ev[i] = copy[order[i]];
		}
		free(copy);
		free(order);
		tl_status st =
			tl_trace_meta_set(r->t, TL_META_ROW_ORDER, TL_ROW_ORDER_APPEARANCE, r->err);
		if (st != TL_OK) {
			return st;
		}
	}
	/*
	 * Processes with a sort index come first, in its order; those without
	 * events are left out, except in a trace timeline wrote, where they are
	 * its groups with nothing in them (modes an interrupted run never
	 * finished a job of). Marked before sorting, which breaks the index.
	 */
	for (size_t k = 0; k < r->nev && r->sorts.n; k++) {
		struct names *e = smap_find(&r->sorts, r->ev[k].pid);
		if (e) {
			e->top = 1;
		}
	}
	if (r->sorts.n > 1) {
		qsort(r->sorts.v, r->sorts.n, sizeof(*r->sorts.v), cmp_sort);
	}
	for (size_t i = 0; i < r->sorts.n; i++) {
		if (!r->sorts.v[i].top && !r->ours) {
			continue;
		}
		const char *pn = smap_get(&r->procs, r->sorts.v[i].key);
		char buf[96];
		if (!pn) {
			snprintf(buf, sizeof(buf), "pid %s", r->sorts.v[i].key);
			pn = buf;
		}
		uint32_t g;
		tl_status st = tl_trace_group(r->t, pn, strlen(pn), &g, r->err);
		if (st != TL_OK) {
			return st;
		}
	}
	/* The pending events are still held while the trace grows: both count. */
	size_t lim = r->opts->max_memory;
	tl_trace_set_limits(r->t, r->opts->max_rows,
			    lim && lim > r->held ? lim - r->held
			    : lim                ? 1
						 : 0);
	const char *last_pid = NULL;
	uint32_t group = 0;
	bool any_span = false;
	for (size_t i = 0; i < r->nev && !any_span; i++) {
		any_span = !r->ev[i].sample;
	}
	for (size_t i = 0; i < r->nev; i++) {
		struct pending *p = &r->ev[i];
		if (!last_pid || strcmp(last_pid, p->pid) != 0) {
			const char *pn = smap_get(&r->procs, p->pid);
			char buf[96];
			if (!pn) {
				snprintf(buf, sizeof(buf), "%s%s", p->pid[0] ? "pid " : "", p->pid);
				pn = buf;
			}
			tl_status st = tl_trace_group(r->t, pn, strlen(pn), &group, r->err);
			if (st != TL_OK) {
				return st;
			}
			size_t ng = tl_trace_group_count(r->t);
			size_t cap = r->njobctr;
			if (!tl_grow((void **)&r->next_job, &cap, ng, sizeof(*r->next_job))) {
				return nomem(r);
			}
			for (size_t g = r->njobctr; g < cap; g++) {
				r->next_job[g] = 0;
			}
			r->njobctr = cap;
			last_pid = p->pid;
		}
		char key[160];
		snprintf(key, sizeof(key), "%s/%s", p->pid, p->tid);
		const char *tn =
			p->arow ? r->arows.v[p->arow - 1].name : smap_get(&r->threads, key);
		char buf[96];
		if (!tn) {
			snprintf(buf, sizeof(buf), "%s%s", p->tid[0] ? "tid " : "", p->tid);
			tn = buf;
		}
		tl_str worker;
		tl_status st = intern(r, tn, &worker);
		if (st != TL_OK) {
			return st;
		}
		if (p->sample) {
			p->smp.group = group;
			p->smp.worker = worker;
			/*
			 * In a trace of instants alone, each is a job of its own: one
			 * moment, no duration, not one job lasting from the first to
			 * the last of them.
			 */
			if (!p->numbered && !any_span && !r->ours) {
				p->smp.job = r->next_job[group]++;
			}
			st = tl_trace_add_sample(r->t, &p->smp, r->err);
		} else {
			p->span.group = group;
			p->span.worker = worker;
			if (!p->numbered) {
				p->span.job = r->next_job[group]++;
			}
			st = tl_trace_add_span(r->t, &p->span, r->err);
		}
		if (st != TL_OK) {
			return st;
		}
	}
	/*
	 * An empty trace from elsewhere is most likely a recording that did not
	 * happen; one timeline wrote is an empty trace on purpose (a run
	 * interrupted before any job completed, an empty CSV converted).
	 */
	if (r->nev == 0 && !r->ours && (r->bad || r->cut)) {
		/* Nothing good at all: the first thing wrong is the answer. */
		*r->err = r->bad ? r->first_bad : r->cut_at;
		return r->err->code;
	}
	if (r->nev == 0 && !r->ours) {
		return fail(r, r->data,
			    "no spans or samples in the trace (X, B/E or instant events)");
	}
	if (!r->ours && tl_trace_meta_get(r->t, TL_META_ROWS) == NULL) {
		/* Chrome traces are read by thread: a hint for the renderer's rows. */
		return tl_trace_meta_set(r->t, TL_META_ROWS, TL_ROWS_BY_WORKER, r->err);
	}
	return TL_OK;
}

tl_status tl_chrome_read(const char *data, size_t len, const char *name, const tl_read_opts *opts,
			 tl_trace **ret_trace, struct tl_error *err) {
	struct tl_error own = {0}; /* events' errors are kept even when the caller wants none */
	struct reader r = {.data = data,
			   .p = data,
			   .end = data + len,
			   .name = name ? name : "-",
			   .err = err ? err : &own};
	r.t = tl_io_trace_new(opts);
	r.opts = opts;
	if (!r.t) {
		return nomem(&r);
	}
	tl_status st;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		r.p += 3;
	}
	skip_ws(&r);
	/* JSON has no raw NUL; cJSON would cut strings at one. */
	st = tl_check_text(data, len, r.name, err);
	if (st == TL_OK) {
		if (r.p < r.end && *r.p == '{') {
			st = object(&r);
		} else if (r.p < r.end && *r.p == '[') {
			r.p++;
			st = events(&r);
			skip_ws(&r);
			r.after = st == TL_OK && r.p < r.end ? r.p : NULL;
		} else {
			st = fail(&r, r.p, "not a Chrome trace: expected '{' or '['");
		}
	}
	if (st == TL_OK) {
		st = tl_error_locate(err, finish(&r), r.name, 0, 0);
		tl_trace_set_limits(r.t, opts->max_rows, opts->max_memory);
	}
	if (st == TL_OK) {
		st = tl_io_normalise_epoch(r.t, err);
	}
	/*
	 * Most tools write a monotonic clock's microseconds (Chrome, Node,
	 * VizTracer): the trace starts at zero, as in Perfetto, the clock's
	 * reading at zero kept as the origin. The processes keep their places.
	 */
	tl_ns lo, hi;
	if (st == TL_OK && !r.ours && !tl_trace_meta_get(r.t, TL_META_EPOCH_NS) &&
	    tl_trace_bounds(r.t, &lo, &hi) && lo != 0) {
		st = tl_io_place_times(r.t, TL_CLOCK_OTHER, TL_TIMES_ABSOLUTE, err);
	}
	smap_free(&r.procs);
	smap_free(&r.threads);
	smap_free(&r.sorts);
	smap_free(&r.tsorts);
	smap_free(&r.stacks);
	smap_free(&r.arows);
	smap_free(&r.plabels);
	for (size_t i = 0; i < r.nbe; i++) {
		free(r.be[i].name);
		free(r.be[i].label);
	}
	free(r.be);
	free(r.ev);
	free(r.next_job);
	if (st != TL_OK) {
		tl_trace_free(r.t);
		return st;
	}
	*ret_trace = r.t;
	return TL_OK;
}

/* ---- writer ---- */

struct cw {
	FILE *f;
	const tl_trace *t;
	struct tl_hashmap tid; /* group << 32 | worker → thread number in its group */
	uint64_t last_key;     /* the last (group, worker) asked, */
	uint32_t last_tid;     /* its thread: rows of one thread come together */
	uint32_t *ntid;        /* per group: threads numbered so far */
	bool first;
	bool nomem;
};

static void json_string(FILE *f, const char *s) {
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			fputc('\\', f);
			fputc(*p, f);
		} else if (*p < 0x20) {
			fprintf(f, "\\u%04x", *p);
		} else {
			fputc(*p, f);
		}
	}
	fputc('"', f);
}

/* Microseconds with three decimals: nanoseconds exactly. */
static void json_micros(FILE *f, tl_ns v) {
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	fprintf(f, "%s%llu.%03llu", v < 0 ? "-" : "", (unsigned long long)(mag / 1000),
		(unsigned long long)(mag % 1000));
}

static void sep(struct cw *w) {
	fputs(w->first ? "\n" : ",\n", w->f);
	w->first = false;
}

/* The thread number of worker in group, announcing it with an M event when new. */
/* The thread of a group's worker, named when first met: one per (group, worker), numbered from 1.
 */
static uint32_t thread_of(struct cw *w, uint32_t group, tl_str worker) {
	uint64_t key = (uint64_t)group << 32 | worker;
	uint32_t tid;
	bool fresh;
	if (w->last_tid && key == w->last_key) {
		return w->last_tid;
	}
	if (!tl_hashmap_get_or_put(&w->tid, key, w->ntid[group] + 1, &tid, &fresh)) {
		w->nomem = true;
		return 0;
	}
	if (fresh) {
		w->ntid[group]++;
		sep(w);
		fprintf(w->f,
			"{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":%u,\"tid\":%u,\"args\":{"
			"\"name\":",
			group + 1, tid);
		json_string(w->f, tl_trace_str(w->t, worker));
		fputs("}}", w->f);
	}
	w->last_key = key;
	w->last_tid = tid;
	return tid;
}

static void chrome_span(void *ctx, const tl_span *s) {
	struct cw *w = ctx;
	uint32_t tid = thread_of(w, s->group, s->worker);
	sep(w);
	const char *label = tl_trace_str(w->t, s->label);
	fputs("{\"name\":", w->f);
	if (label[0]) {
		json_string(w->f, label);
	} else {
		fprintf(w->f, "\"job %lld\"", (long long)s->job);
	}
	fprintf(w->f, ",\"ph\":\"X\",\"pid\":%u,\"tid\":%u,\"ts\":", s->group + 1, tid);
	json_micros(w->f, s->start);
	fputs(",\"dur\":", w->f);
	json_micros(w->f, s->stop - s->start);
	if (s->status == TL_STATUS_UNFINISHED || s->status == TL_STATUS_TIMEOUT) {
		/* Not exit codes: the words tl_status_from_string() reads back. */
		char b[16];
		fprintf(w->f, ",\"args\":{\"job\":%lld,\"status\":\"%s\"", (long long)s->job,
			tl_status_to_string(s->status, b));
	} else {
		fprintf(w->f, ",\"args\":{\"job\":%lld,\"status\":%d", (long long)s->job,
			(int)s->status);
	}
	if (label[0]) {
		fputs(",\"label\":", w->f);
		json_string(w->f, label);
	}
	fputs("}}", w->f);
}

static void chrome_sample(void *ctx, const tl_sample *s) {
	struct cw *w = ctx;
	uint32_t tid = thread_of(w, s->group, s->worker);
	sep(w);
	fprintf(w->f, "{\"name\":\"sample\",\"ph\":\"i\",\"s\":\"t\",\"pid\":%u,\"tid\":%u,\"ts\":",
		s->group + 1, tid);
	json_micros(w->f, s->t);
	fprintf(w->f, ",\"args\":{\"job\":%lld}}", (long long)s->job);
}

tl_status tl_chrome_write(const tl_trace *t, FILE *f, const char *name, struct tl_error *err) {
	size_t ng = tl_trace_group_count(t);
	struct cw w = {.f = f, .t = t, .first = true};
	w.ntid = calloc(ng ? ng : 1, sizeof(*w.ntid));
	bool *seen = calloc(ng ? ng : 1, sizeof(*seen));
	tl_status st = TL_OK;
	if (!w.ntid || !seen) {
		st = tl_error_set(err, TL_ERR_NOMEM, name, 0, 0, "out of memory");
		goto out;
	}
	fputs("{\"traceEvents\":[", f);
	for (uint32_t g = 0; g < ng; g++) {
		sep(&w);
		fprintf(f,
			"{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":%u,\"tid\":0,\"args\":{"
			"\"name\":",
			g + 1);
		json_string(f, tl_trace_group_name(t, g));
		fprintf(f,
			"}},\n{\"name\":\"process_sort_index\",\"ph\":\"M\",\"pid\":%u,\"tid\":0,"
			"\"args\":{\"sort_index\":%u}}",
			g + 1, g);
	}
	tl_io_walk(t, seen, chrome_span, chrome_sample, &w);
	fputs("\n],\n\"displayTimeUnit\":\"ms\",\n\"otherData\":{\"generator\":"
	      "\"timeline " TL_VERSION "\"",
	      f);
	for (size_t i = 0; i < tl_trace_meta_count(t); i++) {
		const char *k, *v;
		tl_trace_meta_at(t, i, &k, &v);
		/* Queue waits are not written in a trace event: nor is the key that says so. */
		if (!tl_io_meta_written(k) || strcmp(k, TL_META_QUEUED) == 0) {
			continue;
		}
		fputc(',', f);
		json_string(f, k);
		fputc(':', f);
		json_string(f, v);
	}
	fputs("}}\n", f);
	if (w.nomem) {
		st = tl_error_set(err, TL_ERR_NOMEM, name, 0, 0, "out of memory");
	} else if (ferror(f)) {
		st = tl_error_set(err, TL_ERR_IO, name, 0, 0, "write failed");
	}
out:
	tl_hashmap_fini(&w.tid);
	free(w.ntid);
	free(seen);
	return st;
}
