/*
 * One event of a Chrome trace (chrome.c cuts it out, cJSON parses it): its
 * ids, times and arguments read, and what it says kept for later. An X or
 * instant event becomes a pending span or sample, B/E and async events are
 * kept for matching (chrome_match.c), M events name processes and threads
 * (chrome_names.c); other phases are counted for the notes.
 */

#include "chrome_impl.h"

#include "scan.h"

#include "../util/grow.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
			return chrome_fail(r, at, "event without \"%s\"", field);
		}
		*ret = 0;
		return TL_OK;
	}
	const char *text = NULL, *tend = NULL;
	if (cJSON_IsString(v)) {
		text = v->valuestring;
		tend = text + strlen(text);
	} else if (!cJSON_IsNumber(v)) {
		return chrome_fail(r, at, "\"%s\" is not a number", field);
	} else if (!raw_member(at, end, field, &text, &tend)) {
		text = NULL; /* a key written with escapes: the double will do */
	}
	if (text) {
		tl_num rc = tl_parse_time(text, (size_t)(tend - text), 3, ret);
		if (rc == TL_NUM_OK) {
			return TL_OK;
		}
		if (rc == TL_NUM_RANGE) {
			return chrome_fail(r, at, "\"%s\" is out of range", field);
		}
		if (cJSON_IsString(v)) {
			return chrome_fail(r, at, "\"%s\" is not a number", field);
		}
	}
	double ns = v->valuedouble * 1000.0;
	if (!isfinite(ns) || fabs(ns) >= (double)TL_TIME_MAX) {
		return chrome_fail(r, at, "\"%s\" is out of range", field);
	}
	*ret = (tl_ns)llround(ns);
	return TL_OK;
}

/* Times a to b join the events' range; the trace refuses the same later, without a position. */
static tl_status widen(struct reader *r, const char *at, tl_ns a, tl_ns b) {
	bool any = r->nev || r->nbe;
	tl_ns lo = any && r->tlo < a ? r->tlo : a, hi = any && r->thi > b ? r->thi : b;
	if (hi - lo > TL_TIME_MAX) {
		return chrome_fail(r, at, "times more than 146 years apart");
	}
	r->tlo = lo;
	r->thi = hi;
	return TL_OK;
}

tl_status chrome_add_pending(struct reader *r, const char *at, const struct pending *p) {
	if (r->opts->max_rows && r->nev >= r->opts->max_rows) {
		return chrome_over_limit(
			r, at, "more than %zu spans and samples: the row limit (--max-rows)",
			r->opts->max_rows);
	}
	tl_status st = widen(r, at, p->sample ? p->smp.t : p->span.start,
			     p->sample ? p->smp.t : p->span.stop);
	if (st != TL_OK) {
		return st;
	}
	if (r->nev == r->capev) {
		size_t nc = r->capev ? r->capev * 2 : 256;
		st = chrome_charge(r, at, (nc - r->capev) * sizeof(struct pending));
		if (st != TL_OK) {
			return st;
		}
		struct pending *ne = realloc(r->ev, nc * sizeof(*ne));
		if (!ne) {
			return chrome_nomem(r);
		}
		r->ev = ne;
		r->capev = nc;
	}
	r->ev[r->nev++] = *p;
	return TL_OK;
}

tl_status chrome_intern(struct reader *r, const char *s, tl_str *ret) {
	return tl_trace_intern(r->t, s, strlen(s), ret, r->err);
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
		return chrome_over_limit(
			r, at, "more than %zu spans and samples: the row limit (--max-rows)",
			r->opts->max_rows);
	}
	struct names *thread;
	tl_status st;
	if ((st = smap_entry(r, &r->stacks, at, key, &thread)) != TL_OK ||
	    (st = chrome_charge(r, at,
				sizeof(struct be) + strlen(name) + 1 +
					(label ? strlen(label) + 1 : 0))) != TL_OK) {
		return st;
	}
	if (!thread->name[0] && p->pid[0]) {
		char *pid = strdup(p->pid);
		if (!pid) {
			return chrome_nomem(r);
		}
		free(thread->name);
		thread->name = pid;
	}
	size_t slot = 0;
	if (is_end) {
		p->span = (tl_span){.start = ts, .stop = ts};
		if ((st = chrome_add_pending(r, at, p)) != TL_OK) {
			return st;
		}
		slot = r->nev;
	} else if ((st = widen(r, at, ts, ts)) != TL_OK) {
		return st;
	}
	if (!tl_grow((void **)&r->be, &r->capbe, r->nbe + 1, sizeof(*r->be))) {
		return chrome_nomem(r);
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
		return chrome_nomem(r);
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
		return chrome_fail(r, at, "an async event without an \"id\"");
	}
	if (!id_text(id, idt, sizeof(idt))) {
		return chrome_fail(r, at,
				   "an async event's \"id\" is neither a number nor a string");
	}
	const char *ct = cJSON_IsString(cat) ? cat->valuestring : "";
	if (!chrome_utf8_ok(ct) || !chrome_utf8_ok(idt)) {
		return chrome_fail(r, at, "invalid UTF-8 in a trace event");
	}
	size_t pl = strlen(pid), cl = strlen(ct), need = pl + cl + strlen(idt) + 6;
	char *key = malloc(need);
	if (!key) {
		return chrome_nomem(r);
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

/*
 * The event's pid and tid (their text, into p) and name, all UTF-8, as are
 * its args.name and args.label when they are strings.
 */
static tl_status event_ids(struct reader *r, const char *at, const char *end, const cJSON *ev,
			   const cJSON *args, struct pending *p, const char **ret_name) {
	const char *pr = NULL, *pe = NULL, *tr = NULL, *te = NULL;
	raw_member(at, end, "pid", &pr, &pe);
	raw_member(at, end, "tid", &tr, &te);
	if (!id_text_raw(cJSON_GetObjectItemCaseSensitive(ev, "pid"), pr,
			 pr ? (size_t)(pe - pr) : 0, p->pid, sizeof(p->pid)) ||
	    !id_text_raw(cJSON_GetObjectItemCaseSensitive(ev, "tid"), tr,
			 tr ? (size_t)(te - tr) : 0, p->tid, sizeof(p->tid))) {
		return chrome_fail(r, at, "\"pid\" or \"tid\" is neither a number nor a string");
	}
	const cJSON *nm = cJSON_GetObjectItemCaseSensitive(ev, "name");
	*ret_name = cJSON_IsString(nm) ? nm->valuestring : "";
	const cJSON *aname = cJSON_GetObjectItemCaseSensitive(args, "name");
	const cJSON *alabel = cJSON_GetObjectItemCaseSensitive(args, "label");
	if (!chrome_utf8_ok(*ret_name) || !chrome_utf8_ok(p->pid) || !chrome_utf8_ok(p->tid) ||
	    (cJSON_IsString(aname) && !chrome_utf8_ok(aname->valuestring)) ||
	    (cJSON_IsString(alabel) && !chrome_utf8_ok(alabel->valuestring))) {
		return chrome_fail(r, at, "invalid UTF-8 in a trace event");
	}
	return TL_OK;
}

/* A sort index (args.sort_index) into m under key, as text that sorts as the number does. */
static tl_status sort_index(struct reader *r, const char *at, const cJSON *args, struct smap *m,
			    const char *key) {
	const cJSON *si = cJSON_GetObjectItemCaseSensitive(args, "sort_index");
	if (!cJSON_IsNumber(si)) {
		return TL_OK;
	}
	char idx[32];
	snprintf(idx, sizeof(idx), "%020.0f", si->valuedouble + 1e15);
	return smap_set(r, m, at, key, idx);
}

/* An M (metadata) event named name: a process's or thread's name, sort index or labels. */
static tl_status metadata(struct reader *r, const char *at, const cJSON *args, const char *pid,
			  const char *key, const char *name) {
	const cJSON *an = cJSON_GetObjectItemCaseSensitive(args, "name");
	if (strcmp(name, "process_sort_index") == 0) {
		return sort_index(r, at, args, &r->sorts, pid);
	}
	if (strcmp(name, "thread_sort_index") == 0) {
		return sort_index(r, at, args, &r->tsorts, key);
	}
	const cJSON *labels = cJSON_GetObjectItemCaseSensitive(args, "labels");
	if (strcmp(name, "process_labels") == 0 && cJSON_IsString(labels)) {
		if (!chrome_utf8_ok(labels->valuestring)) {
			return chrome_fail(r, at, "invalid UTF-8 in a trace event");
		}
		return smap_set(r, &r->plabels, at, pid, labels->valuestring);
	}
	if (!cJSON_IsString(an)) {
		return TL_OK; /* other metadata: nothing to show */
	}
	if (strcmp(name, "process_name") == 0) {
		return smap_set(r, &r->procs, at, pid, an->valuestring);
	}
	if (strcmp(name, "thread_name") == 0) {
		tl_status st = smap_set(r, &r->threads, at, key, an->valuestring);
		if (st == TL_OK) {
			smap_find(&r->threads, key)->top = strlen(pid); /* key: pid/tid */
		}
		return st;
	}
	return TL_OK;
}

/*
 * Whether an event of phase c is left out, and counted for the notes:
 * phases not drawn, clang's summaries, Kineto's profiler window.
 */
static bool left_out(struct reader *r, char c, const cJSON *ev, const cJSON *args, const char *pid,
		     const char *name) {
	bool async = c == 'b' || c == 'e' || c == 'S' || c == 'F';
	if (c != 'X' && c != 'B' && c != 'E' && c != 'i' && c != 'I' && c != 'n' && !async) {
		/* Counters, flows, async steps...: not drawn, not fatal; counted for the notes. */
		r->not_drawn[c == 'C' ? 0 : strchr("stf", c) ? 1 : 2]++;
		return true;
	}
	/*
	 * clang -ftime-trace ends with a "Total NAME" event per kind of work, from
	 * zero, with its count and mean ("avg ms"): a summary of the spans, not
	 * work on the timeline.
	 */
	if (c == 'X' && strncmp(name, "Total ", 6) == 0 &&
	    cJSON_GetObjectItemCaseSensitive(args, "avg ms")) {
		r->summaries++;
		return true;
	}
	/* Kineto's profiler window: a span over the whole recording, not work. */
	if (c == 'X' && strcmp(pid, "Spans") == 0) {
		const cJSON *cat = cJSON_GetObjectItemCaseSensitive(ev, "cat");
		if (cJSON_IsString(cat) && strcmp(cat->valuestring, "Trace") == 0) {
			r->windows++;
			return true;
		}
	}
	return false;
}

/* What an event's args say of its span: job, status and label. */
struct args {
	int64_t job;
	bool has_job;   /* args.job is a number (traces written by timeline) */
	int32_t status; /* args.status: an exit code or a status word; 0 when none */
	bool has_status;
	const char *label; /* args.label when has_job (else ""), else the event's name */
};

static void event_args(const cJSON *args, const char *name, struct args *ret) {
	const cJSON *job = cJSON_GetObjectItemCaseSensitive(args, "job");
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(args, "status");
	const cJSON *label = cJSON_GetObjectItemCaseSensitive(args, "label");
	*ret = (struct args){0};
	ret->has_job = cJSON_IsNumber(job) && job->valuedouble >= -9e15 && job->valuedouble <= 9e15;
	if (ret->has_job) {
		ret->job = (int64_t)job->valuedouble;
	}
	ret->has_status = cJSON_IsNumber(status) || cJSON_IsString(status);
	if (cJSON_IsNumber(status)) {
		ret->status = tl_exit_status_from_double(status->valuedouble);
	} else if (cJSON_IsString(status) &&
		   !tl_exit_status_from_string(status->valuestring, strlen(status->valuestring),
					       &ret->status)) {
		ret->status = 1;
	}
	/* Traces written by timeline carry the label apart from the name. */
	ret->label = ret->has_job ? cJSON_IsString(label) ? label->valuestring : "" : name;
}

/* An X (complete) event at ts: a span of "dur". */
static tl_status complete(struct reader *r, const char *at, const char *end, const cJSON *ev,
			  struct pending *p, tl_ns ts, const struct args *a) {
	tl_ns dur; /* required, as Perfetto requires it: an X without it is skipped */
	tl_status st = micros(r, at, end, ev, "dur", true, &dur);
	if (st != TL_OK) {
		return st;
	}
	if (dur < 0) {
		return chrome_fail(r, at, "\"dur\" is negative");
	}
	tl_ns stop = ts + dur; /* both within ±TL_TIME_MAX: no overflow */
	if (stop > TL_TIME_MAX) {
		return chrome_fail(r, at, "\"ts\" plus \"dur\" is out of range");
	}
	p->span = (tl_span){.start = ts, .stop = stop, .job = a->job, .status = a->status};
	p->numbered = a->has_job;
	if ((st = chrome_intern(r, a->label, &p->span.label)) != TL_OK) {
		return st;
	}
	return chrome_add_pending(r, at, p);
}

/* An event of phase c that is drawn: X, B/E, async b/e (S/F), or an instant. */
static tl_status timed(struct reader *r, const char *at, const char *end, const cJSON *ev,
		       const cJSON *args, struct pending *p, const char *key, const char *name,
		       char c) {
	bool async = c == 'b' || c == 'e' || c == 'S' || c == 'F';
	tl_status st;
	if ((async || (c == 'n' && (cJSON_GetObjectItemCaseSensitive(ev, "id") ||
				    cJSON_GetObjectItemCaseSensitive(ev, "id2")))) &&
	    (st = async_row(r, at, ev, p->pid, name, &p->arow)) != TL_OK) {
		return st;
	}
	tl_ns ts;
	if ((st = micros(r, at, end, ev, "ts", true, &ts)) != TL_OK) {
		return st;
	}
	struct args a;
	event_args(args, name, &a);
	if (c == 'i' || c == 'I' || c == 'n') {
		p->sample = true;
		p->smp = (tl_sample){.t = ts, .job = a.job};
		p->numbered = a.has_job;
		return chrome_add_pending(r, at, p);
	}
	if (c == 'B' || c == 'E' || async) {
		uint32_t arow = p->arow;
		return begin_end(r, at, p, arow ? r->arows.v[arow - 1].key : key, ts,
				 c == 'E' || c == 'e' || c == 'F', name,
				 &(struct be){.ts = ts,
					      .arow = arow,
					      .job = a.job,
					      .status = a.status,
					      .has_job = a.has_job,
					      .has_status = a.has_status},
				 a.has_job ? a.label : NULL);
	}
	return complete(r, at, end, ev, p, ts, &a);
}

tl_status chrome_event(struct reader *r, const char *at, const char *end, const cJSON *ev) {
	if (!cJSON_IsObject(ev)) {
		return chrome_fail(r, at, "a trace event is not an object");
	}
	const cJSON *ph = cJSON_GetObjectItemCaseSensitive(ev, "ph");
	if (!cJSON_IsString(ph) || !ph->valuestring[0]) {
		return chrome_fail(r, at, "event without a \"ph\" phase");
	}
	struct pending p = {0};
	const char *name = "";
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(ev, "args");
	tl_status st = event_ids(r, at, end, ev, args, &p, &name);
	if (st != TL_OK) {
		return st;
	}
	char key[160];
	snprintf(key, sizeof(key), "%s/%s", p.pid, p.tid);
	char c = ph->valuestring[0];
	if (c == 'M') {
		return metadata(r, at, args, p.pid, key, name);
	}
	if (left_out(r, c, ev, args, p.pid, name)) {
		return TL_OK;
	}
	return timed(r, at, end, ev, args, &p, key, name, c);
}
