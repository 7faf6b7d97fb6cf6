/*
 * The CSV writer: the native schema that the reader (csv.c) reads back to
 * the same trace: metadata lines, then kind,group,job,worker,start,stop,
 * status,label (and wait, the queue wait in seconds, when the trace knows
 * waits) with times as seconds with 9 decimals (exact nanoseconds).
 * docs/csv-format.md is the user's description.
 */

#include <timeline/io.h>
#include <timeline/version.h>

#include "csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	bool wait; /* a wait column (the trace knows queue waits: TL_META_QUEUED) */
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
		const char *st = tl_exit_status_to_string(s->status, buf);
		size_t n = strlen(st);
		memcpy(p, st, n);
		p += n;
	}
	*p++ = ',';
	o->n += (size_t)(p - p0);
	out_tstr(w, &w->label, s->label);
	if (w->wait) {
		p = p0 = out_room(o);
		*p++ = ',';
		p = put_seconds(p, s->wait);
		o->n += (size_t)(p - p0);
	}
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
	if (w->wait) {
		memcpy(p - 1, ",\n", 2);
		p++;
	}
	o->n += (size_t)(p - p0);
}

/* How the input was read is not part of the trace. */
bool tl_io_meta_written(const char *key) {
	return strncmp(key, TL_META_NOTE_PREFIX, strlen(TL_META_NOTE_PREFIX)) != 0 &&
	       strcmp(key, TL_META_COLUMNS) != 0;
}

void tl_io_walk(const tl_trace *t, bool *seen, void (*on_span)(void *, const tl_span *),
		void (*on_sample)(void *, const tl_sample *), void *ctx) {
	size_t nsp, nsa, i = 0, j = 0;
	const tl_span *sp = tl_trace_spans(t, &nsp);
	const tl_ns *ts = tl_trace_sample_times(t, &nsa);
	const uint32_t *tr = tl_trace_sample_tracks(t, &nsa);
	const tl_track *tk = tl_trace_tracks(t, &(size_t){0});
	while (i < nsp || j < nsa) {
		uint32_t g = j < nsa ? tk[tr[j]].group : 0;
		bool take_span;
		if (i == nsp) {
			take_span = false;
		} else if (j == nsa) {
			take_span = true;
		} else if (seen[sp[i].group]) {
			take_span = true;
		} else if (seen[g]) {
			take_span = false;
		} else {
			take_span = sp[i].group <= g;
		}
		if (take_span) {
			seen[sp[i].group] = true;
			on_span(ctx, &sp[i++]);
		} else {
			const tl_track *k = &tk[tr[j]];
			tl_sample s = {
				.t = ts[j++], .job = k->job, .group = g, .worker = k->worker};
			seen[g] = true;
			on_sample(ctx, &s);
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
	struct writer w = {.o = o, .t = t, .wait = tl_trace_meta_get(t, TL_META_QUEUED) != NULL};
	out_str(o, "# timeline " TL_VERSION " native CSV, times in seconds\n");
	for (size_t i = 0; i < tl_trace_meta_count(t); i++) {
		const char *k, *v;
		tl_trace_meta_at(t, i, &k, &v);
		if (!tl_io_meta_written(k)) {
			continue;
		}
		out_str(o, "# ");
		for (const char *p = k; *p; p++) {
			out_char(o, tl_csv_meta_key_char(*p) ? *p : '_');
		}
		out_str(o, ": ");
		/* Metadata is one line per key; line breaks inside become blanks. */
		for (const char *p = v; *p; p++) {
			out_char(o, *p == '\n' || *p == '\r' ? ' ' : *p);
		}
		out_char(o, '\n');
	}
	out_str(o, w.wait ? "kind,group,job,worker,start,stop,status,label,wait\n"
			  : "kind,group,job,worker,start,stop,status,label\n");
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
	/* A track's group has a sample: renumbering a job moves samples within their group. */
	const tl_track *tk = tl_trace_tracks(t, &n);
	for (size_t i = 0; i < n; i++) {
		seen[tk[i].group] = true;
	}
	bool declare = false;
	for (size_t g = 0; g < ng; g++) {
		declare |= !seen[g];
		seen[g] = false; /* for the walk below */
	}
	for (uint32_t g = 0; declare && g < ng; g++) {
		out_str(o, "group,");
		out_group(&w, g);
		out_str(o, w.wait ? ",,,,,,,\n" : ",,,,,,\n");
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
