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
	char msg[sizeof(err->msg)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p = p ? p : fallback;
	long line = 0, column = 0;
	if (p) {
		const char *ls;
		line = tl_line_of(w->data, w->end, p, &ls);
		column = tl_column(ls, p);
	}
	return tl_error_set(err, TL_ERR_INPUT, name, line, column, "%s", msg);
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
		const char *ls;
		long line = tl_line_of(data, data + len, at, &ls);
		return tl_error_set(err, TL_ERR_INPUT, name, line, tl_column(ls, at),
				    "invalid JSON in a hyperfine export");
	}
	tl_trace *t = tl_io_trace_new(opts);
	st = t ? TL_OK : tl_error_set(err, TL_ERR_NOMEM, name, 0, 0, "out of memory");
	struct where w = {data, data + len};
	const char *root = blank(&w, data + tl_skip_bom_blank(data, len));
	const char *results_at = member(&w, root, "results");
	const cJSON *results = cJSON_GetObjectItemCaseSensitive(doc, "results");
	if (st == TL_OK && !cJSON_IsArray(results)) {
		st = fail_at(err, name, &w, results_at, root, "\"results\" is not an array");
	}
	uint32_t group = 0;
	if (st == TL_OK) {
		st = tl_trace_group(t, "hyperfine", 9, &group, err);
	}
	if (st == TL_OK) {
		st = tl_trace_meta_set(t, TL_META_BENCHMARK, "hyperfine", err);
	}
	int64_t job = 0;
	size_t runs = 0;
	/* The first command with no runs, and with codes not one per time; how many of each. */
	const char *no_runs = NULL, *uneven = NULL;
	size_t n_no_runs = 0, n_uneven = 0, uneven_times = 0, uneven_codes = 0;
	const cJSON *res;
	cJSON_ArrayForEach(res, results) {
		if (st != TL_OK) {
			break;
		}
		const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(res, "command");
		const cJSON *times = cJSON_GetObjectItemCaseSensitive(res, "times");
		const cJSON *codes = cJSON_GetObjectItemCaseSensitive(res, "exit_codes");
		const char *res_at = element(&w, results_at, (size_t)job);
		if (!cJSON_IsString(cmd) || !cJSON_IsArray(times)) {
			st = fail_at(err, name, &w, res_at, results_at,
				     "result %lld has no \"command\" string or \"times\" array",
				     (long long)job + 1);
			break;
		}
		size_t cl = strlen(cmd->valuestring);
		if (tl_utf8_check(cmd->valuestring, cl) != cl) {
			st = fail_at(err, name, &w, member(&w, res_at, "command"), res_at,
				     "invalid UTF-8 in a command");
			break;
		}
		tl_str label;
		st = tl_trace_intern(t, cmd->valuestring, cl, &label, err);
		tl_ns at = 0;
		size_t k = 0;
		/* The codes walked beside the times: a list, slow to index. */
		const cJSON *code = cJSON_IsArray(codes) ? codes->child : NULL;
		const cJSON *tm;
		cJSON_ArrayForEach(tm, times) {
			if (st != TL_OK) {
				break;
			}
			double ns = cJSON_IsNumber(tm) ? tm->valuedouble * 1e9 : NAN;
			if (!isfinite(ns) || ns < 0 || ns > (double)TL_TIME_MAX - (double)at) {
				char ex[128];
				st = fail_at(err, name, &w,
					     element(&w, member(&w, res_at, "times"), k), res_at,
					     "run %zu of '%s' has a bad time", k + 1,
					     tl_excerpt(cmd->valuestring, cl, ex, 40));
				break;
			}
			tl_span sp = {.group = group,
				      .job = job,
				      .label = label,
				      .start = at,
				      .stop = at + (tl_ns)llround(ns)};
			if (cJSON_IsNumber(code)) {
				sp.status = tl_status_from_double(code->valuedouble);
			}
			code = code ? code->next : NULL;
			st = tl_trace_add_span(t, &sp, err);
			/* And each run's time as a mark on the command's row: their scatter. */
			tl_sample sa = {.group = group, .job = job, .t = sp.stop - sp.start};
			if (st == TL_OK) {
				st = tl_trace_add_sample(t, &sa, err);
			}
			at = sp.stop;
			k++;
			runs++;
		}
		if (k == 0) {
			no_runs = no_runs ? no_runs : cmd->valuestring;
			n_no_runs++;
		}
		size_t ncodes = cJSON_IsArray(codes) ? (size_t)cJSON_GetArraySize(codes) : k;
		if (ncodes != k && n_uneven++ == 0) {
			uneven = cmd->valuestring;
			uneven_times = k;
			uneven_codes = ncodes;
		}
		job++;
	}
	if (st == TL_OK && n_no_runs) {
		st = note(t, "no_runs", no_runs, n_no_runs, "has no runs (its \"times\" is empty)",
			  err);
	}
	if (st == TL_OK && n_uneven) {
		char what[96];
		snprintf(what, sizeof(what),
			 "has %zu time%s and %zu exit code%s: a run without a code counts as "
			 "succeeded",
			 uneven_times, uneven_times == 1 ? "" : "s", uneven_codes,
			 uneven_codes == 1 ? "" : "s");
		st = note(t, "exit_codes", uneven, n_uneven, what, err);
	}
	if (st == TL_OK && runs == 0) {
		st = tl_error_set(err, TL_ERR_INPUT, name, 0, 0, "no runs in the hyperfine export");
	}
	cJSON_Delete(doc);
	tl_error_locate(err, st, name, 0, 0);
	if (st != TL_OK) {
		tl_trace_free(t);
		return st;
	}
	*ret_trace = t;
	return TL_OK;
}
