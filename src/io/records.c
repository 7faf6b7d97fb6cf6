/*
 * JSON records reader: what `gh run view --json jobs`, `kubectl get pods -o
 * json`, Dask's task stream and home-grown loggers write. The text is
 * either an array of objects, or JSON lines (https://jsonlines.org/: one
 * object per line; objects written over several lines one after another
 * too), or one object holding exactly one array member, whose elements are
 * then the records ({"jobs": [...]}, kubectl's {"items": [...]}; the member
 * is named in the notes). Each object is a row: its members are the columns,
 * matched to roles (start, stop, duration, job, worker, group, status,
 * label, time) by their names through the CSV reader's table (columns.c,
 * docs/csv-format.md), and --columns ROLE=NAME names others, nested members
 * by dotted path ("start=status.startTime", "stop=startstops.0.stop": a
 * number steps into an array). Only members whose values are not objects or
 * arrays are matched by name; a null value is a missing one.
 *
 * Values as in CSV: numbers in seconds (or the unit of the name, of
 * --time-unit, or the epoch unit their size shows), date-times
 * ("2024-05-01T10:00:03Z"), times of day and durations ("1m 4s") as
 * strings (timetext.h); Go's zero time "0001-01-01T00:00:00Z", which gh
 * writes for a step that never ran, is missing. A record with no start is
 * skipped, one with no stop is unfinished (--strict refuses both). Numbers
 * are read from their text, never through a double.
 *
 * The text is never parsed as one document: it is cut into records by their
 * brackets first (jsonl.h), each record is parsed on its own with cJSON to
 * check it and learn its member names, and the values are then read from
 * the record's text. Memory follows the trace plus one record. The last
 * record may be cut short (a log still being written): it is left out and
 * said in the notes.
 */

#include "records.h"
#include "records_impl.h"

#include "csv.h"
#include "jsonl.h"
#include "reader.h"
#include "scan.h"

#include "../model/bytes.h"
#include "../util/grow.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool blank(char c) {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static const char *skip_blank(const char *p, const char *e) {
	while (p < e && blank(*p)) {
		p++;
	}
	return p;
}

tl_status rec_fail(struct reader *r, const char *pos, const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	tl_status st = r->cur ? tl_io_fail_inv(r->err, r->name, r->cur->line, r->cur->ls, r->end,
					       pos, fmt, ap)
			      : tl_io_fail_inv(r->err, r->name, 1, r->data, r->end, pos, fmt, ap);
	va_end(ap);
	return st;
}

tl_status rec_nomem(struct reader *r) {
	return tl_error_set(r->err, TL_ERR_NOMEM, r->name, 0, 0, "out of memory");
}

/* The object at s has a member "ph": a Chrome trace event. */
static bool has_ph(const char *s, const char *e) {
	struct tl_json_members m;
	const char *k, *v, *ve;
	size_t kl;
	if (!tl_json_members_of(s, e, &m)) {
		return false;
	}
	while (tl_json_next_member(&m, &k, &kl, &v, &ve)) {
		if (tl_json_key_is(k, kl, "ph")) {
			return true;
		}
	}
	return false;
}

/*
 * The one member of the object at s whose value is an array of objects (or
 * an empty array): its value and name. false when there is none or more
 * than one, or a member says the object is a trace (traceEvents, results).
 */
static bool records_member(const char *s, const char *e, const char **ret_v, const char **ret_k,
			   size_t *ret_kl) {
	struct tl_json_members m;
	const char *k, *v, *ve, *found = NULL;
	size_t kl, n = 0;
	if (!tl_json_members_of(s, e, &m)) {
		return false;
	}
	while (tl_json_next_member(&m, &k, &kl, &v, &ve)) {
		if (tl_json_key_is(k, kl, "traceEvents") ||
		    tl_json_key_is(k, kl, "systemTraceEvents") ||
		    tl_json_key_is(k, kl, "results")) {
			return false;
		}
		const char *in = skip_blank(v + 1, ve);
		if (*v == '[' && (tl_json_first_object(v, ve) || (in < ve && *in == ']'))) {
			n++;
			found = v;
			*ret_k = k;
			*ret_kl = kl;
		}
	}
	*ret_v = found;
	return n == 1;
}

#define SNIFF_BYTES ((size_t)1 << 20) /* how far detection looks */

bool tl_records_sniff(const char *data, size_t len) {
	size_t i = tl_skip_bom_blank(data, len);
	const char *s = data + i, *e = data + (len - i > SNIFF_BYTES ? i + SNIFF_BYTES : len);
	if (s >= e) {
		return false;
	}
	if (*s == '[') {
		const char *o = tl_json_first_object(s, e);
		return o && !has_ph(o, e);
	}
	if (*s != '{') {
		return false;
	}
	const char *ve, *v, *k;
	size_t kl;
	enum tl_jsonl_parse pr = tl_json_value_end(s, e, &ve);
	const char *after = pr == TL_JSONL_OK ? skip_blank(ve, e) : e;
	if (pr == TL_JSONL_OK && after < e && *after == '{') {
		return !has_ph(s, ve); /* JSON lines */
	}
	if (records_member(s, pr == TL_JSONL_OK ? ve : e, &v, &k, &kl)) {
		const char *o = tl_json_first_object(v, e);
		return !o || !has_ph(o, e);
	}
	/* One object: a record, unless it is a trace ("traceEvents", hyperfine's "results"). */
	struct tl_json_members m;
	tl_json_members_of(s, e, &m);
	while (tl_json_next_member(&m, &k, &kl, &v, &ve)) {
		if (tl_json_key_is(k, kl, "traceEvents") ||
		    tl_json_key_is(k, kl, "systemTraceEvents") ||
		    tl_json_key_is(k, kl, "results") || tl_json_key_is(k, kl, "ph")) {
			return false;
		}
	}
	return pr == TL_JSONL_OK;
}

/* ---- cutting the text into records ---- */

/* Count lines from where the last record started up to s. */
static void advance(struct reader *r, const char *s) {
	for (const char *q = r->pos; q < s; q++) {
		q = memchr(q, '\n', (size_t)(s - q));
		if (!q) {
			break;
		}
		r->line++;
		r->ls = q + 1;
	}
	r->pos = s;
}

static tl_status add_rec(struct reader *r, const char *s, const char *e) {
	if (r->opts->max_rows && r->nrecs >= r->opts->max_rows) {
		rec_fail(r, s, "more than %zu spans and samples: the row limit (--max-rows)",
			 r->opts->max_rows);
		r->err->code = TL_ERR_NOMEM;
		return TL_ERR_NOMEM;
	}
	size_t lim = r->opts->max_memory;
	if (lim && (r->nrecs + 1) * sizeof(struct rec) > lim / 4) {
		char b[32];
		rec_fail(r, s, "memory limit reached: more than %zu records for %s (--max-memory)",
			 r->nrecs, tl_bytes_str(lim, b));
		r->err->code = TL_ERR_NOMEM;
		return TL_ERR_NOMEM;
	}
	if (!tl_grow((void **)&r->recs, &r->cap, r->nrecs + 1, sizeof(*r->recs))) {
		return rec_nomem(r);
	}
	advance(r, s);
	r->recs[r->nrecs++] = (struct rec){s, e, r->line, r->ls};
	return TL_OK;
}

/* A record at p: an object, its end in *ret_end; a cut one is noted, not kept. */
static tl_status one(struct reader *r, const char *p, const char **ret_end, bool *ret_cut) {
	const char *ve;
	*ret_cut = false;
	if (*p != '{') {
		return rec_fail(r, p, "a record is a JSON object: expected '{'");
	}
	enum tl_jsonl_parse pr = tl_json_value_end(p, r->end, &ve);
	if (pr == TL_JSONL_CUT) {
		advance(r, p);
		r->cut_line = r->line;
		*ret_cut = true;
		return TL_OK;
	}
	if (pr == TL_JSONL_BAD) {
		return rec_fail(r, ve, "invalid JSON in a record");
	}
	*ret_end = ve;
	return add_rec(r, p, ve);
}

/* The elements of the array whose '[' is at p; an array the text ends inside is read up to there.
 */
static tl_status elements(struct reader *r, const char *p) {
	for (p = skip_blank(p + 1, r->end);;) {
		if (p >= r->end) {
			advance(r, p);
			r->cut_line = r->line;
			return TL_OK;
		}
		if (*p == ']') {
			return TL_OK;
		}
		const char *e = p;
		bool cut;
		tl_status st = one(r, p, &e, &cut);
		if (st != TL_OK || cut) {
			return st;
		}
		p = skip_blank(e, r->end);
		if (p < r->end && *p == ',') {
			p = skip_blank(p + 1, r->end);
		} else if (p < r->end && *p != ']') {
			return rec_fail(r, p, "expected ',' or ']' between records");
		}
	}
}

static tl_status split(struct reader *r) {
	const char *p = r->data + tl_skip_bom_blank(r->data, (size_t)(r->end - r->data));
	if (p < r->end && *p == '[') {
		return elements(r, p);
	}
	if (p >= r->end || *p != '{') {
		return rec_fail(r, p, "not JSON records: expected '[' or '{'");
	}
	const char *ve, *v, *k;
	size_t kl;
	if (tl_json_value_end(p, r->end, &ve) == TL_JSONL_OK && skip_blank(ve, r->end) == r->end &&
	    records_member(p, ve, &v, &k, &kl)) {
		snprintf(r->member, sizeof(r->member), "%.*s", (int)(kl < 60 ? kl : 60), k);
		return elements(r, v);
	}
	/* JSON lines, or objects one after another. */
	while (p < r->end) {
		bool cut;
		tl_status st = one(r, p, &ve, &cut);
		if (st != TL_OK || cut) {
			return st;
		}
		p = skip_blank(ve, r->end);
	}
	return TL_OK;
}

/* ---- the header: member names and --columns paths ---- */

static tl_status add_key(struct reader *r, const char *k, size_t kl, bool path) {
	for (size_t i = 0; i < r->nkeys; i++) {
		if (r->klen[i] == kl && memcmp(r->keys[i], k, kl) == 0) {
			return TL_OK;
		}
	}
	if (r->nkeys == MAX_KEYS) {
		return TL_OK;
	}
	size_t c1 = r->kcap, c2 = r->kcap, c3 = r->kcap;
	if (!tl_grow((void **)&r->keys, &c1, r->nkeys + 1, sizeof(*r->keys)) ||
	    !tl_grow((void **)&r->klen, &c2, r->nkeys + 1, sizeof(*r->klen)) ||
	    !tl_grow((void **)&r->path, &c3, r->nkeys + 1, sizeof(*r->path))) {
		return rec_nomem(r);
	}
	r->kcap = c1 < c2 ? (c1 < c3 ? c1 : c3) : (c2 < c3 ? c2 : c3);
	r->keys[r->nkeys] = strndup(k, kl);
	if (!r->keys[r->nkeys]) {
		return rec_nomem(r);
	}
	r->klen[r->nkeys] = kl;
	r->path[r->nkeys++] = path;
	return TL_OK;
}

/* Every record parsed once: valid JSON, an object; its names of plain values kept. */
static tl_status learn_keys(struct reader *r) {
	size_t lim = r->opts->max_memory;
	for (size_t i = 0; i < r->nrecs; i++) {
		const struct rec *rc = &r->recs[i];
		r->cur = rc;
		/* Parsed, JSON takes cJSON about 12 times its size (docs/BENCHMARKS.md). */
		if (lim && (size_t)(rc->e - rc->s) > lim / 12) {
			char b[32];
			rec_fail(r, rc->s, "a record too large to parse within %s (--max-memory)",
				 tl_bytes_str(lim, b));
			r->err->code = TL_ERR_NOMEM;
			return TL_ERR_NOMEM;
		}
		const char *stop = NULL;
		cJSON *o = cJSON_ParseWithLengthOpts(rc->s, (size_t)(rc->e - rc->s), &stop, false);
		if (!o) {
			return rec_fail(r, stop && stop >= rc->s && stop <= rc->e ? stop : rc->s,
					"invalid JSON in a record");
		}
		tl_status st = TL_OK;
		const cJSON *m;
		cJSON_ArrayForEach(m, o) {
			if (i == 0 && m->string) {
				bool nest = cJSON_IsObject(m) || cJSON_IsArray(m);
				char *buf = nest ? r->nested_seen : r->names_seen;
				size_t n = strlen(buf), size = sizeof(r->names_seen);
				char ex[48];
				tl_excerpt(m->string, strlen(m->string), ex, 30);
				if (n + strlen(ex) + 8 < size) {
					snprintf(buf + n, size - n, "%s'%s'", n ? ", " : "", ex);
				} else if (n + 5 < size && strcmp(buf + n - 3, "...") != 0) {
					snprintf(buf + n, size - n, ", ...");
				}
			}
			if (st == TL_OK && m->string && !cJSON_IsNull(m) && !cJSON_IsObject(m) &&
			    !cJSON_IsArray(m) &&
			    tl_utf8_check(m->string, strlen(m->string)) == strlen(m->string)) {
				st = add_key(r, m->string, strlen(m->string), false);
			}
		}
		cJSON_Delete(o);
		if (st != TL_OK) {
			return st;
		}
	}
	r->cur = NULL;
	return TL_OK;
}

static int unit_scale(tl_unit u) {
	return tl_time_unit_scale10(tl_unit_time(u));
}

/* Roles from the names (and --columns), as CSV columns get them. */
static tl_status assign(struct reader *r, const struct col_spec *spec) {
	tl_status st = TL_OK;
	for (int role = 1; role < R_COUNT && st == TL_OK; role++) {
		const char *n = col_spec_name(spec, (enum col_role)role);
		if (n && strchr(n, '.')) {
			st = add_key(r, n, strlen(n), true);
		}
	}
	/* "kind" is a record's type to Kubernetes and most loggers, not a row kind. */
	for (size_t i = 0; i < r->nkeys && st == TL_OK && !col_spec_name(spec, R_KIND); i++) {
		if (strcmp(r->keys[i], "kind") == 0) {
			free(r->keys[i]);
			memmove(r->keys + i, r->keys + i + 1,
				(r->nkeys - i - 1) * sizeof(*r->keys));
			memmove(r->klen + i, r->klen + i + 1,
				(r->nkeys - i - 1) * sizeof(*r->klen));
			memmove(r->path + i, r->path + i + 1,
				(r->nkeys - i - 1) * sizeof(*r->path));
			r->nkeys--;
			break;
		}
	}
	if (st != TL_OK) {
		return st;
	}
	struct col_header h = {r->nkeys, (const char *const *)r->keys, r->klen};
	char msg[TL_ERROR_MSG_MAX];
	int bad = -1;
	st = col_assign(&h, spec, false, &r->map, &bad, msg, sizeof(msg));
	if (st == TL_ERR_NOMEM) {
		return rec_nomem(r);
	}
	if (st != TL_OK) {
		r->cur = r->nrecs ? &r->recs[0] : NULL;
		if (strncmp(msg, "no time column in the header", 28) == 0) {
			return rec_fail(r, r->cur ? r->cur->s : r->data,
					"no time field in the records (fields: %s; objects: %s): "
					"--columns names them, nested ones by dotted path, as "
					"start=status.startTime",
					r->names_seen[0] ? r->names_seen : "none",
					r->nested_seen[0] ? r->nested_seen : "none");
		}
		return rec_fail(r, r->cur ? r->cur->s : r->data, "%s", msg);
	}
	r->back = r->map.col[R_START] < 0 && r->map.col[R_STOP] >= 0 && r->map.col[R_DUR] >= 0;
	r->guess_scale = 9;
	for (int i = 0; i < R_COUNT; i++) {
		tl_unit u = r->map.unit[i];
		r->bare[i] = u == TL_UNIT_DEFAULT && r->opts->unit == TL_UNIT_DEFAULT;
		r->scale[i] = unit_scale(u != TL_UNIT_DEFAULT ? u : r->opts->unit);
	}
	return tl_trace_meta_set(r->t, TL_META_COLUMNS, r->map.note, r->err);
}

static tl_status notes(struct reader *r) {
	tl_status st = TL_OK;
	if (r->member[0]) {
		st = tl_io_note(r->t, r->err, "records",
				"the records are the \"%s\" array of the object", r->member);
	}
	if (st == TL_OK && r->guess_scale != 9) {
		const char *unit = r->guess_scale == 6   ? "milliseconds"
				   : r->guess_scale == 3 ? "microseconds"
							 : "nanoseconds";
		st = r->guess_epoch
			     ? tl_io_note(r->t, r->err, "unit",
					  "bare times read as %s since 1970 (%s is too large for "
					  "seconds); --time-unit says otherwise",
					  unit, r->guess_example)
			     : tl_io_note(
				       r->t, r->err, "unit",
				       "bare times read as a clock's nanoseconds (%s is too large "
				       "for seconds and no epoch time); --time-unit says otherwise",
				       r->guess_example);
	}
	if (st == TL_OK && r->nunfinished) {
		st = tl_io_note(r->t, r->err, "unfinished",
				"%zu span%s with no stop (unfinished) drawn to the end of %s group",
				r->nunfinished, r->nunfinished == 1 ? "" : "s",
				r->nunfinished == 1 ? "its" : "their");
	}
	if (st == TL_OK && r->zero_times) {
		st = tl_io_note(
			r->t, r->err, "zero_time",
			"%zu time%s of 0001-01-01T00:00:00Z (Go's zero time: never happened) read "
			"as missing",
			r->zero_times, r->zero_times == 1 ? "" : "s");
	}
	if (st == TL_OK && r->odd_status) {
		st = tl_io_note(
			r->t, r->err, "status",
			"%zu status%s read as success: '%s' (line %ld) is no exit code, signal or "
			"state word; --columns status= ignores the field",
			r->odd_status, r->odd_status == 1 ? "" : "es", r->odd_status_text,
			r->odd_status_line);
	}
	if (st == TL_OK && r->skipped) {
		st = tl_io_note(r->t, r->err, "skipped",
				"%zu record%s with no %s skipped (the first on line %ld)",
				r->skipped, r->skipped == 1 ? "" : "s", r->skipped_what,
				r->skipped_line);
	}
	if (st == TL_OK && r->cut_line) {
		st = tl_io_note(
			r->t, r->err, "cut",
			"the text ends inside the record of line %ld (still being written?): read "
			"up to it",
			r->cut_line);
	}
	return st;
}

static tl_status place(struct reader *r) {
	enum tl_io_clock clock = r->absolute || r->guess_epoch ? TL_CLOCK_EPOCH
				 : r->tk[R_START] == TK_TOD || r->tk[R_TIME] == TK_TOD
					 ? TL_CLOCK_TIME_OF_DAY
				 : r->guess_scale != 9 ? TL_CLOCK_OTHER
						       : TL_CLOCK_EPOCH_IF_LARGE;
	tl_status st = tl_io_place_times(r->t, clock, r->opts->align, r->err);
	return st == TL_OK && r->queued ? tl_trace_meta_set(r->t, TL_META_QUEUED, "1", r->err) : st;
}

tl_status tl_records_read(const char *data, size_t len, const char *name, const tl_read_opts *opts,
			  tl_trace **ret_trace, struct tl_error *err) {
	struct tl_error own = {0};
	tl_read_opts none = {0};
	struct reader r = {.name = name ? name : "-",
			   .data = data,
			   .end = data + len,
			   .err = err ? err : &own,
			   .opts = opts ? opts : &none,
			   .line = 1,
			   .pos = data,
			   .ls = data};
	struct col_spec *spec = NULL;
	tl_status st = tl_check_text(data, len, r.name, err);
	if (st == TL_OK && r.opts->columns) {
		st = col_spec_parse(r.opts->columns, &spec, err);
	}
	if (st == TL_OK && !(r.t = tl_io_trace_new(r.opts))) {
		st = rec_nomem(&r);
	}
	if (st == TL_OK) {
		st = split(&r);
	}
	if (st == TL_OK && r.nrecs == 0) {
		st = rec_fail(&r, data, "no records: nothing to read");
	}
	if (st == TL_OK) {
		st = learn_keys(&r);
	}
	if (st == TL_OK) {
		st = assign(&r, spec);
	}
	if (st == TL_OK) {
		st = rec_rows(&r);
	}
	if (st == TL_OK && r.nunfinished) {
		st = rec_finish_unfinished(&r);
	}
	if (st == TL_OK) {
		st = notes(&r);
	}
	if (st == TL_OK) {
		st = place(&r);
	}
	col_spec_free(spec);
	for (size_t i = 0; i < r.nkeys; i++) {
		free(r.keys[i]);
	}
	free(r.keys);
	free(r.klen);
	free(r.path);
	free(r.recs);
	tl_jobnames_free(&r.names);
	free(r.next_row);
	free(r.unfinished);
	return tl_io_hand_over(st, r.t, ret_trace);
}
