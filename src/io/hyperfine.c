/*
 * hyperfine --export-json reader: every run of every benchmarked command,
 * so the runs can be looked at and not just averaged. Each command is a job
 * (its row, labelled with the command) and its runs are spans laid back to
 * back in the order they ran, with their exit codes as status, and each run's
 * time is also a sample on the command's row, for a scatter of the run times
 * (drawn under the Gantt). The trace is marked a benchmark
 * (TL_META_BENCHMARK): hyperfine runs one command at a time, so its figures
 * are per command (tl_trace_bench()), not of concurrent work. Exports are
 * small (a few numbers per run), so cJSON parses the whole document; it
 * keeps no positions, so an error's line and column are found again in the
 * text, by walking it to the value at fault (struct where).
 *
 * A command with no runs ("times": []) and one whose "exit_codes" are not as
 * many as its times are said in the trace's notes: the first has no figures
 * to show, and the second's runs past its last code count as succeeded.
 */

#include "hyperfine.h"

#include "reader.h"
#include "scan.h"

#include "../model/bytes.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * The export's text, to find where a value is: the text cJSON parsed, so
 * well-formed JSON from its first value on. Each step takes a position of a
 * value (NULL: unknown) and gives one inside it, or NULL.
 */
struct where {
	const char *data, *end;
};

static const char *blank(const struct where *w, const char *p) {
	while (p < w->end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) {
		p++;
	}
	return p;
}

/* Past the string that starts at p (its opening quote). */
static const char *past_string(const struct where *w, const char *p) {
	for (p++; p < w->end && *p != '"'; p++) {
		p += *p == '\\';
	}
	return p < w->end ? p + 1 : w->end;
}

/* Past the value that starts at p. */
static const char *past_value(const struct where *w, const char *p) {
	if (*p == '"') {
		return past_string(w, p);
	}
	if (*p != '{' && *p != '[') {
		while (p < w->end && !strchr(",]} \t\r\n", *p)) {
			p++;
		}
		return p;
	}
	for (int depth = 0; p < w->end;) {
		if (*p == '"') {
			p = past_string(w, p);
			continue;
		}
		depth += (*p == '{' || *p == '[') - (*p == '}' || *p == ']');
		if (++p, depth == 0) {
			return p;
		}
	}
	return w->end;
}

/* Past the comma after the value at p, at the next value or key; NULL at the end. */
static const char *next(const struct where *w, const char *p) {
	p = blank(w, past_value(w, p));
	return p < w->end && *p == ',' ? blank(w, p + 1) : NULL;
}

/* The first value of member key of the object at p, as cJSON finds it. */
static const char *member(const struct where *w, const char *p, const char *key) {
	size_t kl = strlen(key);
	if (!p || p >= w->end || *p != '{') {
		return NULL;
	}
	for (p = blank(w, p + 1); p && p < w->end && *p == '"';) {
		const char *k = p + 1, *ke = past_string(w, p);
		bool hit = (size_t)(ke - 1 - k) == kl && memcmp(k, key, kl) == 0;
		p = blank(w, ke);
		p = p < w->end && *p == ':' ? blank(w, p + 1) : p;
		if (hit || p >= w->end) {
			return hit && p < w->end ? p : NULL;
		}
		p = next(w, p);
	}
	return NULL;
}

/* Element i of the array at p. */
static const char *element(const struct where *w, const char *p, size_t i) {
	if (!p || p >= w->end || *p != '[') {
		return NULL;
	}
	p = blank(w, p + 1);
	if (p >= w->end || *p == ']') {
		return NULL;
	}
	for (size_t k = 0; p && k < i; k++) {
		p = next(w, p);
	}
	return p;
}

/* An input error at p (or, unknown, at fallback), said with its line and column. */
static tl_status fail_at(struct tl_error *err, const char *name, const struct where *w,
			 const char *p, const char *fallback, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static tl_status fail_at(struct tl_error *err, const char *name, const struct where *w,
			 const char *p, const char *fallback, const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	p = p ? p : fallback;
	tl_status st = p ? tl_io_fail_inv(err, name, 1, w->data, w->end, p, fmt, ap)
			 : tl_error_setv(err, TL_ERR_INPUT, name, 0, 0, fmt, ap);
	va_end(ap);
	return st;
}

bool tl_hyperfine_sniff(const char *data, size_t len) {
	size_t i = tl_skip_bom_blank(data, len);
	if (i >= len || data[i] != '{') {
		return false;
	}
	i += 1 + tl_skip_bom_blank(data + i + 1, len - i - 1);
	return len - i >= 9 && memcmp(data + i, "\"results\"", 9) == 0;
}

/*
 * A note about n commands, the first of them cmd: "'CMD' WHAT", and how many
 * more are alike.
 */
static tl_status note(tl_trace *t, const char *key, const char *cmd, size_t n, const char *what,
		      struct tl_error *err) {
	char buf[512], more[64] = "", ex[128];
	if (n > 1) {
		snprintf(more, sizeof(more), " (and %zu more command%s)", n - 1, n > 2 ? "s" : "");
	}
	snprintf(buf, sizeof(buf), "'%s' %s%s", tl_excerpt(cmd, strlen(cmd), ex, 40), what, more);
	char k[64];
	snprintf(k, sizeof(k), "%s%s", TL_META_NOTE_PREFIX, key);
	return tl_trace_meta_set(t, k, buf, err);
}

/* An export being read: its text, and what its results have added up to so far. */
struct export {
	const char *name;
	struct tl_error *err;
	struct where w;
	tl_trace *t;
	uint32_t group;
	size_t runs;
	/* The first command with no runs, and with codes not one per time; how many of each. */
	const char *no_runs, *uneven;
	size_t n_no_runs, n_uneven, uneven_times, uneven_codes;
};

/*
 * The runs of command cmd (job, label), its times and exit codes (codes may
 * be absent): spans back to back, and each run's time as a sample on the
 * command's row, for their scatter. *ret_n: how many.
 */
static tl_status add_runs(struct export *x, int64_t job, const cJSON *cmd, tl_str label,
			  const cJSON *times, const cJSON *codes, const char *res_at,
			  size_t *ret_n) {
	tl_status st = TL_OK;
	tl_ns at = 0;
	size_t k = 0;
	/* The codes walked beside the times: a list, slow to index. */
	const cJSON *code = cJSON_IsArray(codes) ? codes->child : NULL;
	const cJSON *tm;
	cJSON_ArrayForEach(tm, times) {
		double ns = cJSON_IsNumber(tm) ? tm->valuedouble * 1e9 : NAN;
		if (!isfinite(ns) || ns < 0 || ns > (double)TL_TIME_MAX - (double)at) {
			char ex[128];
			const char *cs = cmd->valuestring;
			st = fail_at(x->err, x->name, &x->w,
				     element(&x->w, member(&x->w, res_at, "times"), k), res_at,
				     "run %zu of '%s' has a bad time", k + 1,
				     tl_excerpt(cs, strlen(cs), ex, 40));
			break;
		}
		tl_span sp = {.group = x->group,
			      .job = job,
			      .label = label,
			      .start = at,
			      .stop = at + (tl_ns)llround(ns)};
		if (cJSON_IsNumber(code)) {
			sp.status = tl_exit_status_from_double(code->valuedouble);
		}
		code = code ? code->next : NULL;
		st = tl_trace_add_span(x->t, &sp, x->err);
		tl_sample sa = {.group = x->group, .job = job, .t = sp.stop - sp.start};
		if (st == TL_OK) {
			st = tl_trace_add_sample(x->t, &sa, x->err);
		}
		if (st != TL_OK) {
			break;
		}
		at = sp.stop;
		k++;
	}
	*ret_n = k;
	return st;
}

/* Result number job (from 0) of the export, at res_at in its text: a command and its runs. */
static tl_status add_result(struct export *x, int64_t job, const cJSON *res, const char *res_at,
			    const char *results_at) {
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(res, "command");
	const cJSON *times = cJSON_GetObjectItemCaseSensitive(res, "times");
	const cJSON *codes = cJSON_GetObjectItemCaseSensitive(res, "exit_codes");
	if (!cJSON_IsString(cmd) || !cJSON_IsArray(times)) {
		return fail_at(x->err, x->name, &x->w, res_at, results_at,
			       "result %lld has no \"command\" string or \"times\" array",
			       (long long)job + 1);
	}
	size_t cl = strlen(cmd->valuestring);
	if (tl_utf8_check(cmd->valuestring, cl) != cl) {
		return fail_at(x->err, x->name, &x->w, member(&x->w, res_at, "command"), res_at,
			       "invalid UTF-8 in a command");
	}
	tl_str label;
	size_t k = 0;
	tl_status st = tl_trace_intern(x->t, cmd->valuestring, cl, &label, x->err);
	if (st == TL_OK) {
		st = add_runs(x, job, cmd, label, times, codes, res_at, &k);
	}
	if (st != TL_OK) {
		return st;
	}
	x->runs += k;
	if (k == 0) {
		x->no_runs = x->no_runs ? x->no_runs : cmd->valuestring;
		x->n_no_runs++;
	}
	size_t ncodes = cJSON_IsArray(codes) ? (size_t)cJSON_GetArraySize(codes) : k;
	if (ncodes != k && x->n_uneven++ == 0) {
		x->uneven = cmd->valuestring;
		x->uneven_times = k;
		x->uneven_codes = ncodes;
	}
	return TL_OK;
}

/* Every result of the export; then what the notes say of them. */
static tl_status add_results(struct export *x, const cJSON *doc) {
	const char *root = blank(
		&x->w, x->w.data + tl_skip_bom_blank(x->w.data, (size_t)(x->w.end - x->w.data)));
	const char *results_at = member(&x->w, root, "results");
	const cJSON *results = cJSON_GetObjectItemCaseSensitive(doc, "results");
	if (!cJSON_IsArray(results)) {
		return fail_at(x->err, x->name, &x->w, results_at, root,
			       "\"results\" is not an array");
	}
	tl_status st = tl_trace_group(x->t, "hyperfine", 9, &x->group, x->err);
	if (st == TL_OK) {
		st = tl_trace_meta_set(x->t, TL_META_BENCHMARK, "hyperfine", x->err);
	}
	int64_t job = 0;
	const cJSON *res;
	cJSON_ArrayForEach(res, results) {
		if (st != TL_OK) {
			break;
		}
		st = add_result(x, job, res, element(&x->w, results_at, (size_t)job), results_at);
		job++;
	}
	if (st == TL_OK && x->n_no_runs) {
		st = note(x->t, "no_runs", x->no_runs, x->n_no_runs,
			  "has no runs (its \"times\" is empty)", x->err);
	}
	if (st == TL_OK && x->n_uneven) {
		char what[96];
		snprintf(what, sizeof(what),
			 "has %zu time%s and %zu exit code%s: a run without a code counts as "
			 "succeeded",
			 x->uneven_times, x->uneven_times == 1 ? "" : "s", x->uneven_codes,
			 x->uneven_codes == 1 ? "" : "s");
		st = note(x->t, "exit_codes", x->uneven, x->n_uneven, what, x->err);
	}
	if (st == TL_OK && x->runs == 0) {
		st = tl_error_set(x->err, TL_ERR_INPUT, x->name, 0, 0,
				  "no runs in the hyperfine export");
	}
	return st;
}

tl_status tl_hyperfine_read(const char *data, size_t len, const char *name,
			    const tl_read_opts *opts, tl_trace **ret_trace, struct tl_error *err) {
	name = name ? name : "-";
	tl_status st = tl_check_text(data, len, name, err);
	if (st != TL_OK) {
		return st;
	}
	/* Parsed whole, JSON takes cJSON about 12 times its size (docs/BENCHMARKS.md). */
	char b[32];
	if (opts->max_memory && len > opts->max_memory / 12) {
		return tl_error_set(err, TL_ERR_NOMEM, name, 0, 0,
				    "too large for a hyperfine export (%s): parsing it would pass "
				    "the memory limit (--max-memory)",
				    tl_bytes_str(len, b));
	}
	const char *stop = NULL;
	cJSON *doc = cJSON_ParseWithLengthOpts(data, len, &stop, false);
	if (!doc) {
		const char *at = stop && stop >= data && stop <= data + len ? stop : data;
		return tl_io_fail_in(err, name, 1, data, data + len, at,
				     "invalid JSON in a hyperfine export");
	}
	struct export x = {.name = name, .err = err, .w = {data, data + len}};
	x.t = tl_io_trace_new(opts);
	st = x.t ? add_results(&x, doc)
		 : tl_error_set(err, TL_ERR_NOMEM, name, 0, 0, "out of memory");
	cJSON_Delete(doc);
	tl_error_locate(err, st, name, 0, 0);
	return tl_io_hand_over(st, x.t, ret_trace);
}
