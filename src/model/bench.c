/*
 * Benchmark figures: a trace whose jobs are commands and whose spans are
 * their runs, made one after another (hyperfine's), summarised per command
 * as hyperfine summarises it: mean, sample standard deviation, median, min,
 * max, failed runs, and the speed relative to the fastest command with its
 * propagated uncertainty (hyperfine src/benchmark/relative_speed.rs). Pure
 * arithmetic on the model; formatting is the caller's.
 *
 * hyperfine computes on its times in seconds as doubles; the trace holds
 * them in whole nanoseconds, so the figures here are the export's own to
 * within a nanosecond. Sums are kept in long double: exact up to 2^64 ns of
 * runs in all.
 */

#include <timeline/trace.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct run {
	uint32_t group;
	int64_t job;
	size_t index; /* the span's, to keep the trace's order within a job */
	tl_ns time;
};

static int cmp_run(const void *a, const void *b) {
	const struct run *x = a, *y = b;
	if (x->group != y->group) {
		return x->group < y->group ? -1 : 1;
	}
	if (x->job != y->job) {
		return x->job < y->job ? -1 : 1;
	}
	return (x->index > y->index) - (x->index < y->index);
}

static int cmp_ns(const void *a, const void *b) {
	tl_ns x = *(const tl_ns *)a, y = *(const tl_ns *)b;
	return (x > y) - (x < y);
}

/* The figures of one command from its n >= 1 run times (sorted in place). */
static void summarise(tl_bench_stats *c, tl_ns *t, size_t n, long double *ret_mean,
		      long double *ret_sd) {
	long double sum = 0;
	for (size_t i = 0; i < n; i++) {
		sum += (long double)t[i];
	}
	long double mean = sum / (long double)n, sd = -1;
	if (n > 1) {
		long double sq = 0;
		for (size_t i = 0; i < n; i++) {
			long double d = (long double)t[i] - mean;
			sq += d * d;
		}
		sd = sqrtl(sq / (long double)(n - 1));
	}
	qsort(t, n, sizeof(*t), cmp_ns);
	c->runs = n;
	c->mean = (tl_ns)llroundl(mean);
	c->stddev = sd < 0 ? -1 : (tl_ns)llroundl(sd);
	c->min = t[0];
	c->max = t[n - 1];
	/* Even count: the middle two's mean, half a nanosecond rounded up. */
	c->median = n % 2 ? t[n / 2] : t[n / 2 - 1] + (t[n / 2] - t[n / 2 - 1] + 1) / 2;
	*ret_mean = mean;
	*ret_sd = sd;
}

/* Relative speeds within each group, against its first command of least mean. */
static void relate(tl_bench_stats *c, size_t n, const long double *mean, const long double *sd) {
	for (size_t a = 0, z; a < n; a = z) {
		size_t fast = a;
		for (z = a; z < n && c[z].group == c[a].group; z++) {
			fast = mean[z] < mean[fast] ? z : fast;
		}
		c[fast].fastest = true;
		for (size_t i = a; i < z; i++) {
			c[i].relative = 0;
			c[i].relative_stddev = -1;
			if (mean[fast] <= 0) {
				continue; /* hyperfine gives no comparison against a time of 0 */
			}
			long double r = i == fast ? 1 : mean[i] / mean[fast];
			c[i].relative = (double)r;
			if (i != fast && sd[i] >= 0 && sd[fast] >= 0) {
				long double u = sd[i] / mean[i], v = sd[fast] / mean[fast];
				c[i].relative_stddev = (double)(r * sqrtl(u * u + v * v));
			}
		}
	}
}

tl_status tl_trace_bench(const tl_trace *t, tl_bench_stats **ret, size_t *ret_n,
			 struct tl_error *err) {
	size_t nsp;
	const tl_span *sp = tl_trace_spans(t, &nsp);
	struct run *runs = malloc((nsp ? nsp : 1) * sizeof(*runs));
	tl_ns *times = malloc((nsp ? nsp : 1) * sizeof(*times));
	tl_bench_stats *cmds = NULL;
	long double *mean = NULL, *sd = NULL;
	size_t nr = 0, nc = 0;
	tl_status st = TL_OK;
	if (!runs || !times) {
		st = tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nsp; i++) {
		if (sp[i].status != TL_EXIT_UNFINISHED) {
			runs[nr++] =
				(struct run){sp[i].group, sp[i].job, i, sp[i].stop - sp[i].start};
		}
	}
	qsort(runs, nr, sizeof(*runs), cmp_run);
	for (size_t i = 0; i < nr; i++) {
		nc += i == 0 || runs[i].group != runs[i - 1].group ||
		      runs[i].job != runs[i - 1].job;
	}
	cmds = calloc(nc ? nc : 1, sizeof(*cmds));
	mean = malloc((nc ? nc : 1) * sizeof(*mean));
	sd = malloc((nc ? nc : 1) * sizeof(*sd));
	if (!cmds || !mean || !sd) {
		st = tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
		goto out;
	}
	for (size_t a = 0, z, k = 0; a < nr; a = z, k++) {
		tl_bench_stats *c = &cmds[k];
		*c = (tl_bench_stats){.group = runs[a].group, .job = runs[a].job};
		for (z = a; z < nr && runs[z].group == runs[a].group && runs[z].job == runs[a].job;
		     z++) {
			const tl_span *s = &sp[runs[z].index];
			times[z - a] = runs[z].time;
			c->failed += tl_exit_status_failed(s->status);
			if (c->label == TL_STR_NONE) {
				c->label = s->label;
			}
		}
		summarise(c, times, z - a, &mean[k], &sd[k]);
	}
	relate(cmds, nc, mean, sd);
	if (nc == 0) {
		free(cmds);
		cmds = NULL;
	}
	*ret = cmds;
	*ret_n = nc;
	cmds = NULL;
out:
	free(cmds);
	free(mean);
	free(sd);
	free(times);
	free(runs);
	return st;
}
