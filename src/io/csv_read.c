/*
 * Reading a CSV table's rows: one at a time through csv.c, and a large
 * table in chunks on several threads: the plan that cuts and counts the
 * chunks, and the merge that takes their rows in file order. The rows of a
 * chunk are read by csv_chunk.c.
 */

#include <timeline/io.h>

#include "../model/model.h"
#include "../util/hash.h"
#include "bytescan.h"
#include "csv.h"
#include "csv_chunk.h"
#include "csv_impl.h"
#include "scan.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* A NUL byte in [from, to): the error tl_check_text() gives for the whole input. */
tl_status csv_check_nul(struct csv *r, const char *from, const char *to) {
	if (to > from && memchr(from, '\0', (size_t)(to - from))) {
		return tl_check_text(r->data, (size_t)(r->end - r->data), r->name, r->err);
	}
	r->checked = to > r->checked ? to : r->checked;
	return TL_OK;
}

/* Give back the pages wholly before the current record. */
void csv_drop_pages(const char *data, const char **dropped, const char *upto) {
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t base = (uintptr_t)data & ~(uintptr_t)(page - 1);
	uintptr_t from = *dropped ? (uintptr_t)*dropped : base;
	uintptr_t to = (uintptr_t)upto & ~(uintptr_t)(page - 1);
	if (to > from) {
		madvise((void *)from, to - from, MADV_DONTNEED);
		*dropped = (const char *)to;
	}
}

/* ---- reading on several threads ---- */

/*
 * A large table of one kind of row (no kind column) is read in chunks on
 * several threads. The part after the header is cut at line ends: a short
 * first chunk, which the calling thread reads with the reader above, exactly
 * as it reads a whole file, then one chunk per processor. Those are read by
 * fast_rows() below, the first on the calling thread, the others each on a
 * thread of its own; it knows only the plain form (fields without quotes,
 * times and jobs that are plain numbers in the units the first chunk fixed)
 * and gives up on anything else. A sample row that repeats the row before
 * but for its time (csv_repeat.h) has only its time read. Rows go straight into the
 * room the trace reserved for them: in the plain form every line is a row, so
 * a chunk's first row lands where the rows of the lines before it end.
 * Strings a chunk meets that the trace did not know when it started get the
 * ids they would have if nothing else were interned before them; the chunks
 * are merged in file order, interning strings and creating groups in the
 * order the one-thread reader would have, and ids are rewritten only when a
 * guess was wrong.
 *
 * Whatever a chunk gives up on (quotes, which may hold line breaks;
 * comments; blank or odd lines; any value that is not plain, and so any bad
 * value), the calling thread reads that chunk and every later one itself, as
 * it would have without threads: the trace and every message are those of
 * one thread. So is a first chunk whose rows are not one per line.
 */

/* Tables smaller than this are read on one thread. */
static size_t split_min = (size_t)4 << 20;
static int split_threads; /* 0: one per online processor */

void tl_csv_set_split(size_t min_bytes, int threads) {
	split_min = min_bytes;
	split_threads = threads;
}

#define SPLIT_MAX 8
#define SPLIT_HEAD ((size_t)64 << 10) /* the first chunk, at most */
#define SPLIT_KNOWN_MAX 256           /* strings the trace may hold when chunks start */

/*
 * The line ends of a chunk. When the reader gives pages back, so does the
 * count, as it goes: else the whole file would be resident at once before
 * the first row is read.
 */
static void *count_chunk(void *arg) {
	struct chunk *c = arg;
	if (!c->drop_behind) {
		c->lines = tl_bytes_count_lines(c->p, c->end, &c->nul);
		return NULL;
	}
	/* Pages from the chunk's first whole one on: the page before is another's. */
	long page = sysconf(_SC_PAGESIZE);
	const char *dropped =
		(const char *)(((uintptr_t)c->p + (uintptr_t)page - 1) & ~(uintptr_t)(page - 1));
	c->lines = 0;
	for (const char *p = c->p; p < c->end;) {
		const char *to = (size_t)(c->end - p) > DROP_EVERY ? p + DROP_EVERY : c->end;
		c->lines += tl_bytes_count_lines(p, to, &c->nul);
		p = to;
		csv_drop_pages(c->data, &dropped, p);
	}
	return NULL;
}

/* The chunks of one read, and what the trace held when they were planned. */
struct split {
	struct chunk c[SPLIT_MAX + 1];
	size_t n;     /* chunks; 1 when the table is read on one thread */
	bool running; /* threads were started for chunks 1 .. n - 1 */
	bool samples; /* rows are samples (else spans) */
	size_t base;  /* rows of that kind before the first chunk */
	size_t other; /* rows of the other kind */
	/* The first chunk's rows of that kind and of the other (every line of it a row). */
	size_t head_rows, head_other;
	long line0; /* line of the first chunk's first line */
	/*
	 * Samples counted in their tracks only need no room reserved: the chunks
	 * after the first are not counted ahead, and one read whole has a row a
	 * line; a NUL byte stops it, and is looked for when the reader goes on
	 * alone.
	 */
	bool uncounted;
	size_t aside; /* spans merged from chunks of samples */
	atomic_bool stop;
	/* The reader's settings as the first row left them: the chunks read this copy, not
	 * the reader the calling thread goes on with. */
	struct csv settings;
};

/*
 * The kind of the rows of the line at p, by its kind column as this project
 * writes it: 1 "sample", 0 "span"; -1 for anything else (another kind or
 * spelling, a quote, a comment), which the chunks leave to the reader.
 */
static int line_kind(const struct csv *r, const char *p) {
	const char *eol = memchr(p, '\n', (size_t)(r->end - p));
	eol = eol ? eol : r->end;
	if (memchr(p, '"', (size_t)(eol - p))) {
		return -1;
	}
	for (int c = 0; c < r->col[R_KIND] && p; c++) {
		p = memchr(p, r->sep, (size_t)(eol - p));
		p = p ? p + 1 : NULL;
	}
	const char *e = p ? memchr(p, r->sep, (size_t)(eol - p)) : NULL;
	e = e ? e : eol > p && eol[-1] == '\r' ? eol - 1 : eol;
	return p ? csv_plain_kind(p, (size_t)(e - p)) : -1;
}

/*
 * The rows of chunk c (the first, read by the reader) of kind samples and of
 * the other; false unless every line is a row of either.
 */
static bool head_kinds(const struct csv *r, const struct chunk *c, bool samples, size_t *ret_rows,
		       size_t *ret_other) {
	*ret_rows = *ret_other = 0;
	for (const char *p = c->p; p < c->end;) {
		int k = line_kind(r, p);
		if (k < 0) {
			return false;
		}
		*(k == samples ? ret_rows : ret_other) += 1;
		const char *nl = memchr(p, '\n', (size_t)(c->end - p));
		p = nl ? nl + 1 : c->end;
	}
	return true;
}

/* Whether spans can be read in chunks: their start, stop and job columns are there. */
static bool spans_cut(const struct csv *r) {
	return r->col[R_STOP] >= 0 && r->col[R_JOB] >= 0 && r->col[R_START] >= 0;
}

/*
 * Of the chunks cut, the kind of their rows: a table without a kind column
 * has one, by its columns; one with a kind column, that of the first line
 * after the first chunk, which every row of the first chunk must have too
 * (or the other kind: spans then samples, as the runner writes them).
 * -1: not to be read in chunks.
 */
static int chunks_kind(const struct csv *r, struct split *s) {
	if (r->col[R_KIND] < 0) {
		bool samples = !(r->col[R_START] >= 0 || r->back);
		s->head_rows = s->c[0].lines;
		s->head_other = 0;
		return samples || spans_cut(r) ? samples : -1;
	}
	int kind = line_kind(r, s->c[1].p);
	if (kind < 0 || (kind == 0 && !spans_cut(r)) ||
	    !head_kinds(r, &s->c[0], kind == 1, &s->head_rows, &s->head_other)) {
		return -1;
	}
	return kind;
}

/*
 * Cut the rows into chunks and count their lines (and look for a NUL byte,
 * *ret_nul), in parallel: the lines [r->p, r->end) have, plus one.
 */
static size_t plan_split(struct csv *r, const char *data, bool drop_behind, bool tracks_only,
			 struct split *s, const char **ret_nul) {
	size_t len = (size_t)(r->end - r->p);
	long cpus = split_threads ? split_threads : sysconf(_SC_NPROCESSORS_ONLN);
	size_t k = cpus < 1 ? 1 : cpus > SPLIT_MAX ? SPLIT_MAX : (size_t)cpus;
	s->n = 1;
	if (k < 2 || len < split_min || r->blanks || r->back || r->col[R_WAIT] >= 0) {
		return tl_bytes_count_lines(r->p, r->end, ret_nul) + 1;
	}
	/*
	 * A short first chunk, read as ever, settles the columns' units; the rest
	 * is cut in k, the calling thread taking the first of them.
	 */
	size_t head = len / (2 * k) < SPLIT_HEAD ? len / (2 * k) : SPLIT_HEAD;
	const char *from = r->p, *rest = r->p + head;
	size_t n = 0;
	for (size_t i = 0; i <= k && from < r->end; i++) {
		const char *to = i == k ? r->end : rest + (len - head) / k * i;
		if (to < from) {
			to = from;
		}
		if (to < r->end) {
			const char *nl = memchr(to, '\n', (size_t)(r->end - to));
			to = nl ? nl + 1 : r->end;
		}
		s->c[n++] = (struct chunk){.r = r,
					   .p = from,
					   .end = to,
					   .data = data,
					   .drop_behind = drop_behind,
					   .stop = &s->stop};
		from = to;
	}
	if (n < 2) {
		return tl_bytes_count_lines(r->p, r->end, ret_nul) + 1;
	}
	/* The first chunk counted first: a kind column's kinds are looked at in it. */
	count_chunk(&s->c[0]);
	int kind = chunks_kind(r, s);
	if (kind < 0) {
		*ret_nul = s->c[0].nul;
		return tl_bytes_count_lines(s->c[0].end, r->end, ret_nul) + s->c[0].lines + 1;
	}
	bool samples = kind == 1, uncounted = tracks_only && samples;
	for (size_t i = 0; i < n; i++) {
		s->c[i].samples = samples;
		s->c[i].spans_cut = spans_cut(r);
	}
	for (size_t i = 2; i < n && !uncounted; i++) {
		s->c[i].started = pthread_create(&s->c[i].tid, NULL, count_chunk, &s->c[i]) == 0;
	}
	size_t rows = 1 + s->c[0].lines;
	*ret_nul = s->c[0].nul;
	for (size_t i = 1; i < n && !uncounted; i++) {
		if (i < 2 || !s->c[i].started) {
			count_chunk(&s->c[i]);
		} else {
			pthread_join(s->c[i].tid, NULL);
			s->c[i].started = false;
		}
		rows += s->c[i].lines;
		*ret_nul = *ret_nul ? *ret_nul : s->c[i].nul;
	}
	s->n = n;
	s->samples = samples;
	s->base = csv_rows_read(r, s->samples);
	s->other = csv_rows_read(r, !s->samples);
	s->line0 = r->line;
	s->uncounted = uncounted;
	return rows;
}

static void chunk_free(struct chunk *c) {
	free(c->f);
	free(c->known);
	free(c->grp);
	free(c->fresh);
	tl_index_free(&c->findex);
	free(c->ev);
	tl_tracks_free(&c->tracks);
	free(c->aside);
	c->aside = NULL;
	c->f = NULL;
	c->known = NULL;
	c->grp = NULL;
	c->fresh = NULL;
	c->ev = NULL;
}

/* Start threads on chunks 1 .. n - 1, once the first row has fixed the columns' units. */
static void start_split(struct csv *r, struct split *s) {
	tl_trace *t = r->trace;
	size_t total = s->base + 1, cap = tl_trace_room(t, s->samples), nstrs;
	const struct tl_strent *strs = tl_trace_strings(t, &nstrs);
	bool tracks_only = tl_trace_is_tracks_only(t);
	for (size_t i = 0; i < s->n; i++) {
		total += s->c[i].lines;
	}
	/* Samples counted in their tracks only need no room. */
	bool room = (s->samples && tracks_only) || total <= cap;
	if (r->p >= s->c[1].p || !room || nstrs > SPLIT_KNOWN_MAX) {
		s->n = 1;
		return;
	}
	s->settings = *r;
	size_t off = s->base + s->head_rows;
	for (size_t i = 1; i < s->n; i++) {
		struct chunk *c = &s->c[i];
		c->r = &s->settings;
		if (s->samples && !tracks_only) {
			tl_trace_sample_room(t, off, &c->times, &c->ids);
		} else if (!s->samples) {
			c->spans = tl_trace_span_room(t, off);
		}
		off += c->lines;
		c->f = malloc(r->ncols * sizeof(*c->f));
		c->known = malloc(nstrs * sizeof(*c->known));
		c->grpcap = nstrs;
		c->grp = calloc(c->grpcap, sizeof(*c->grp));
		if (!c->f || !c->known || !c->grp ||
		    !tl_tracks_copy(&c->tracks, tl_trace_track_table(t))) {
			continue;
		}
		memcpy(c->known, strs, nstrs * sizeof(*c->known));
		c->nknown = nstrs;
		c->ngroups = tl_trace_group_count(t);
		for (size_t g = 0; g < c->ngroups; g++) {
			c->grp[tl_trace_group_id(t, (uint32_t)g)] = (uint32_t)g + 1;
		}
		c->started = i == 1 || pthread_create(&c->tid, NULL, csv_chunk_rows, c) == 0;
	}
	s->running = true;
}

/*
 * The trace's tracks for those a chunk met, with their group and worker ids
 * mapped as the chunk's strings and groups were: the chunk's track ids are
 * rewritten where they were guessed wrong (when an earlier chunk made tracks
 * of its own first).
 */
static bool merge_tracks(tl_trace *t, struct chunk *c, const tl_str *smap, const uint32_t *gmap) {
	size_t nk = c->tracks.n;
	uint32_t *kmap = malloc((nk ? nk : 1) * sizeof(*kmap));
	bool ok = kmap != NULL, remap = false;
	for (size_t j = 0; ok && j < nk; j++) {
		tl_track k = c->tracks.v[j];
		k.group = gmap[k.group];
		k.worker = smap[k.worker];
		ok = tl_trace_track(t, &k, &kmap[j]);
		remap |= kmap[j] != j;
	}
	/* Samples not kept (tracks only): admitted here, counted in their tracks below. */
	ok = ok && (c->ids || tl_trace_summarize(t, c->n, c->lo, c->hi));
	for (size_t i = 0; ok && remap && c->ids && i < c->n; i++) {
		c->ids[i] = kmap[c->ids[i]];
	}
	for (size_t j = 0; ok && j < nk; j++) {
		const tl_track *k = &c->tracks.v[j];
		if (k->samples) {
			tl_trace_count_track(t, kmap[j], k->samples, k->first, k->last);
		}
	}
	free(kmap);
	return ok;
}

/* Take a chunk's rows into the trace, in file order; false to read it on one thread instead. */
/*
 * A chunk's samples moved to where the trace's end now, when rows of
 * another kind in the chunks before it left them further up than its room
 * assumed.
 */
static void samples_down(tl_trace *t, struct chunk *c) {
	tl_ns *times;
	uint32_t *ids;
	tl_trace_sample_room(t, tl_trace_sample_count(t), &times, &ids);
	if (times != c->times) {
		memmove(times, c->times, c->n * sizeof(*times));
		memmove(ids, c->ids, c->n * sizeof(*ids));
		c->times = times;
		c->ids = ids;
	}
}

static bool merge_chunk(struct csv *r, struct chunk *c) {
	tl_trace *t = r->trace;
	struct tl_trace_mark mark = tl_trace_mark(t);
	bool kept = !c->samples || c->ids;
	if (c->samples && c->ids) {
		samples_down(t, c);
	}
	if (kept && !tl_trace_append_reserved(t, c->samples, c->n, c->lo, c->hi)) {
		return false;
	}
	size_t nids = c->nknown + c->nfresh;
	tl_str *smap = malloc((nids ? nids : 1) * sizeof(*smap));
	uint32_t *gmap = malloc((c->ngroups ? c->ngroups : 1) * sizeof(*gmap));
	bool ok = smap && gmap, remap = false;
	for (size_t i = 0; ok && i < nids; i++) {
		smap[i] = (tl_str)i;
	}
	for (size_t g = 0; ok && g < c->ngroups; g++) {
		gmap[g] = (uint32_t)g;
	}
	for (size_t i = 0; ok && i < c->nev; i++) {
		const struct chunk_event *e = &c->ev[i];
		if (e->group == UINT32_MAX) {
			const struct newstr *ns = &c->fresh[e->id - c->nknown];
			ok = tl_trace_intern(t, ns->s, ns->len, &smap[e->id], NULL) == TL_OK;
			remap |= smap[e->id] != e->id;
		} else {
			const char *name = tl_trace_str(t, smap[e->id]);
			ok = tl_trace_group(t, name, strlen(name), &gmap[e->group], NULL) == TL_OK;
			remap |= gmap[e->group] != e->group;
		}
	}
	ok = ok && csv_job_counters(r) == TL_OK;
	if (ok && c->samples) {
		ok = merge_tracks(t, c, smap, gmap);
	}
	tl_span *spans = c->samples ? c->aside : c->spans;
	size_t nspans = c->samples ? c->naside : c->n;
	for (size_t i = 0; ok && remap && i < nspans; i++) {
		tl_span *sp = &spans[i];
		sp->group = gmap[sp->group];
		sp->worker = smap[sp->worker];
		sp->label = smap[sp->label];
	}
	for (size_t i = 0; ok && c->samples && i < c->naside; i++) {
		ok = tl_trace_add_span(t, &c->aside[i], NULL) == TL_OK;
	}
	if (!ok) {
		/* The tracks this chunk made go too: the reader going on alone makes its own. */
		tl_trace_rollback(t, &mark);
	}
	free(smap);
	free(gmap);
	return ok;
}

/*
 * The first chunk is read: wait for the others and take their rows in order,
 * up to the first that gave up, where the reader goes on by itself.
 */
static tl_status finish_split(struct csv *r, struct split *s, bool keep) {
	bool go = keep && r->p == s->c[1].p && r->line == s->line0 + (long)s->c[0].lines &&
		  csv_rows_read(r, s->samples) == s->base + s->head_rows &&
		  csv_rows_read(r, !s->samples) == s->other + s->head_other;
	/* The calling thread's own chunk: only after the first, whose rows it follows. */
	if (go && s->c[1].started) {
		csv_chunk_rows(&s->c[1]);
	}
	atomic_store(&s->stop, !go || !s->c[1].ok);
	for (size_t i = 2; i < s->n; i++) {
		if (s->c[i].started) {
			pthread_join(s->c[i].tid, NULL);
		}
	}
	tl_status st = TL_OK;
	size_t k = 1;
	for (; go && k < s->n; k++) {
		struct chunk *c = &s->c[k];
		bool open_end = k == s->n - 1 && c->end > c->p && c->end[-1] != '\n';
		if (s->uncounted && c->ok) {
			c->lines = c->n + c->naside - open_end; /* read whole: a row a line */
		}
		size_t want = c->lines + open_end;
		if (!c->ok || !c->started || c->n + c->naside != want || !merge_chunk(r, c)) {
			break;
		}
		s->aside += c->naside;
		r->p = c->end;
		r->line += (long)c->lines;
		r->line_start = c->end;
	}
	if (keep && s->uncounted && (!go || k < s->n)) {
		/* Reading on alone, from a chunk not looked at for NUL bytes. */
		st = csv_check_nul(r, r->p, r->end);
	}
	if (st == TL_OK && go && k > 1 && k < s->n && (!s->samples || s->aside)) {
		/* Reading on alone: spans so far per group, as csv_row() counts them. */
		size_t n;
		const tl_span *sp = tl_trace_spans(r->trace, &n);
		st = csv_job_counters(r);
		for (size_t g = 0; st == TL_OK && g < r->njobctr; g++) {
			r->next_job[g] = 0;
		}
		for (size_t i = 0; st == TL_OK && i < n; i++) {
			r->next_job[sp[i].group]++;
		}
	}
	for (size_t i = 0; i < s->n; i++) {
		chunk_free(&s->c[i]);
	}
	s->n = 1;
	s->running = false;
	return st;
}

tl_status csv_read_rows(struct csv *r, const char *data, bool drop_behind) {
	struct split s = {.n = 1};
	/* The header was looked at for NUL bytes; the rest is as the lines are counted. */
	tl_status st = csv_check_nul(r, r->checked, r->p);
	if (st == TL_OK) {
		const char *nul = NULL;
		size_t rows = plan_split(r, data, drop_behind, tl_trace_is_tracks_only(r->trace),
					 &s, &nul);
		if (nul) {
			s.n = 1;
			return csv_check_nul(r, nul, r->end);
		}
		if (s.uncounted) {
			/* The first chunk, read as ever: looked at here. */
			st = csv_check_nul(r, r->p, s.c[1].p);
		}
		/* Only a hint: a failed reservation leaves growth to doubling. */
		int kind = s.n > 1               ? s.samples
			   : r->col[R_KIND] >= 0 ? line_kind(r, r->p)
						 : !(r->col[R_START] >= 0 || r->back);
		tl_trace_reserve(r->trace, kind == 0 ? rows : 0, kind == 1 ? rows : 0, NULL);
	}
	if (st != TL_OK) {
		return st;
	}
	const char *limit = s.n > 1 ? s.c[1].p : r->end;
	const char *dropped = NULL, *next_drop = data + DROP_EVERY;
	for (;;) {
		if (s.running && r->p >= limit) {
			st = finish_split(r, &s, true);
			limit = r->end;
			if (st != TL_OK) {
				break;
			}
		}
		const char *row_start = r->p;
		if (drop_behind && row_start >= next_drop) {
			csv_drop_pages(data, &dropped, r->line_start);
			next_drop = row_start + DROP_EVERY;
		}
		size_t n;
		int rc = csv_read_record(r, &n);
		if (rc < 0) {
			st = r->err ? r->err->code : TL_ERR_INPUT;
			break;
		}
		if (rc == 0) {
			break;
		}
		st = csv_ensure_scratch(r, row_start);
		if (st == TL_OK) {
			st = csv_row(r, n);
		}
		if (st != TL_OK) {
			tl_error_locate(r->err, st, r->name, r->rec_line, 1);
			break;
		}
		if (s.n > 1 && !s.running) {
			start_split(r, &s);
			limit = s.n > 1 ? s.c[1].p : r->end;
		}
	}
	if (s.running) {
		finish_split(r, &s, false);
	}
	if (st != TL_OK && r->checked < r->end) {
		/* As on one thread, which looks at every byte first: a NUL byte anywhere comes
		 * first. */
		tl_status nul = csv_check_nul(r, r->checked, r->end);
		st = nul != TL_OK ? nul : st;
	}
	return st;
}
