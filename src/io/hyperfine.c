/*
 * hyperfine --export-json reader: every run of every benchmarked command,
 * so the runs can be looked at and not just averaged. Each command is a job
 * (its row, labelled with the command) and its runs are spans laid back to
 * back in the order they ran, with their exit codes as status, and each run's
 * time is also a sample on the command's row, for a scatter of the run times
 * (drawn under the Gantt). The trace is marked a benchmark
 * (TL_META_BENCHMARK): hyperfine runs one command at a time, so its figures
 * are per command (tl_trace_bench()), not of concurrent work. Exports are
 * small (a few numbers per run), so cJSON parses the whole document.
 */

#include "hyperfine.h"

#include "scan.h"

#include "../model/bytes.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <string.h>

bool tl_hyperfine_sniff(const char *data, size_t len) {
	size_t i = tl_skip_bom_blank(data, len);
	if (i >= len || data[i] != '{') {
		return false;
	}
	i += 1 + tl_skip_bom_blank(data + i + 1, len - i - 1);
	return len - i >= 9 && memcmp(data + i, "\"results\"", 9) == 0;
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
	const cJSON *results = cJSON_GetObjectItemCaseSensitive(doc, "results");
	if (st == TL_OK && !cJSON_IsArray(results)) {
		st = tl_error_set(err, TL_ERR_INPUT, name, 0, 0, "\"results\" is not an array");
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
	const cJSON *res;
	cJSON_ArrayForEach(res, results) {
		if (st != TL_OK) {
			break;
		}
		const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(res, "command");
		const cJSON *times = cJSON_GetObjectItemCaseSensitive(res, "times");
		const cJSON *codes = cJSON_GetObjectItemCaseSensitive(res, "exit_codes");
		if (!cJSON_IsString(cmd) || !cJSON_IsArray(times)) {
			st = tl_error_set(
				err, TL_ERR_INPUT, name, 0, 0,
				"result %lld has no \"command\" string or \"times\" array",
				(long long)job + 1);
			break;
		}
		size_t cl = strlen(cmd->valuestring);
		if (tl_utf8_check(cmd->valuestring, cl) != cl) {
			st = tl_error_set(err, TL_ERR_INPUT, name, 0, 0,
					  "invalid UTF-8 in a command");
			break;
		}
		tl_str label;
		st = tl_trace_intern(t, cmd->valuestring, cl, &label, err);
		tl_ns at = 0;
		int k = 0;
		const cJSON *tm;
		cJSON_ArrayForEach(tm, times) {
			if (st != TL_OK) {
				break;
			}
			double ns = cJSON_IsNumber(tm) ? tm->valuedouble * 1e9 : NAN;
			if (!isfinite(ns) || ns < 0 || ns > (double)TL_TIME_MAX - (double)at) {
				st = tl_error_set(err, TL_ERR_INPUT, name, 0, 0,
						  "run %d of '%s' has a bad time", k + 1,
						  cmd->valuestring);
				break;
			}
			tl_span sp = {.group = group,
				      .job = job,
				      .label = label,
				      .start = at,
				      .stop = at + (tl_ns)llround(ns)};
			const cJSON *code = cJSON_GetArrayItem(codes, k);
			if (cJSON_IsNumber(code)) {
				sp.status = tl_status_from_double(code->valuedouble);
			}
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
		job++;
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
