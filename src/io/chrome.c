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
 *
 * This file walks the top level and is the entry point; chrome_impl.h lists
 * the files that do the rest: one event, the B/E matching, the names, the
 * trace made of the pending events, the writer.
 */

#include "chrome.h"
#include "chrome_impl.h"

#include "csv.h"
#include "reader.h"
#include "scan.h"

#include "../model/bytes.h"

#include <stdio.h>
#include <stdlib.h>

#define MAX_DEPTH 1000 /* cJSON's own nesting limit (CJSON_NESTING_LIMIT) */
#define MAX_EVENT_BYTES (16u << 20)

bool tl_chrome_sniff(const char *data, size_t len) {
	size_t i = tl_skip_bom_blank(data, len);
	return i < len && (data[i] == '{' || data[i] == '[');
}

static tl_status failv(struct reader *r, const char *pos, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static tl_status failv(struct reader *r, const char *pos, const char *fmt, va_list ap) {
	if (r->unplaced) {
		/* A bad event after the first is counted, not placed: no count of lines. */
		return tl_error_setv(r->err, TL_ERR_INPUT, r->name, 0, 0, fmt, ap);
	}
	return tl_io_fail_inv(r->err, r->name, 1, r->data, r->end, pos, fmt, ap);
}

tl_status chrome_fail(struct reader *r, const char *pos, const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	tl_status st = failv(r, pos, fmt, ap);
	va_end(ap);
	return st;
}

tl_status chrome_over_limit(struct reader *r, const char *pos, const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	failv(r, pos, fmt, ap);
	va_end(ap);
	if (r->err) {
		r->err->code = TL_ERR_NOMEM;
	}
	return TL_ERR_NOMEM;
}

tl_status chrome_nomem(struct reader *r) {
	return tl_error_set(r->err, TL_ERR_NOMEM, r->name, 0, 0, "out of memory");
}

tl_status chrome_charge(struct reader *r, const char *at, size_t n) {
	size_t lim = r->opts->max_memory, used = r->held + tl_trace_memory(r->t);
	if (lim && (used > lim || n > lim - used)) {
		char b[32];
		return chrome_over_limit(
			r, at,
			"memory limit reached: the trace would take more than %s after "
			"%zu events (--max-memory)",
			tl_bytes_str(lim, b), r->nev);
	}
	r->held += n;
	return TL_OK;
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
			return chrome_fail(r, r->p,
					   "truncated JSON: the value starting here never ends");
		}
		char c = *q;
		if (c == '"') {
			q++;
			while (q < r->end && *q != '"') {
				q += *q == '\\' ? 2 : 1;
			}
			if (q >= r->end) {
				r->cut = true;
				return chrome_fail(r, r->p, "truncated JSON: a string never ends");
			}
			q++;
		} else if (c == '{' || c == '[') {
			if (depth == MAX_DEPTH) {
				return chrome_fail(r, q, "JSON nested deeper than %d levels",
						   MAX_DEPTH);
			}
			stack[depth++] = c == '{' ? '}' : ']';
			q++;
		} else if (c == '}' || c == ']') {
			if (depth == 0 || stack[depth - 1] != c) {
				return chrome_fail(r, q, "unexpected '%c' in JSON", c);
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
		return chrome_fail(r, r->p, "a trace event larger than %u MB",
				   MAX_EVENT_BYTES >> 20);
	}
	*ret_end = q;
	return TL_OK;
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
			st = ev ? chrome_event(r, at, end, ev)
				: chrome_fail(r, stop && stop >= at && stop <= end ? stop : at,
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
			return chrome_fail(r, r->p, "expected ',' or ']' between trace events");
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
		    chrome_utf8_ok(m->string) && chrome_utf8_ok(m->valuestring) && st == TL_OK) {
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
			return chrome_fail(r, r->p, "truncated JSON: the trace object never ends");
		}
		if (*r->p == '}') {
			break;
		}
		if (*r->p != '"') {
			return chrome_fail(r, r->p, "expected a key in the trace object");
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
			return chrome_fail(r, r->p, "expected ':' after a key in the trace object");
		}
		r->p++;
		skip_ws(r);
		if (is_events) {
			if (r->p >= r->end || *r->p != '[') {
				return chrome_fail(r, r->p, "\"traceEvents\" is not an array");
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
					return chrome_fail(
						r, r->p, "\"beginningOfTime\" is %s",
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
		return chrome_fail(
			r, system,
			"\"systemTraceEvents\" (ftrace text, as systrace writes it) is not "
			"supported: open it in Perfetto, or give a trace with \"traceEvents\"");
	}
	if (!found) {
		return chrome_fail(r, r->data, "no \"traceEvents\" array in the trace object");
	}
	if (system) {
		return tl_trace_meta_set(r->t, TL_META_NOTE_PREFIX "system",
					 "\"systemTraceEvents\" (ftrace text) not read", r->err);
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
		return chrome_nomem(&r);
	}
	tl_status st;
	r.p += tl_bom_len(data, len);
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
			st = chrome_fail(&r, r.p, "not a Chrome trace: expected '{' or '['");
		}
	}
	if (st == TL_OK) {
		st = tl_error_locate(err, chrome_finish(&r), r.name, 0, 0);
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
	return tl_io_hand_over(st, r.t, ret_trace);
}
