/*
 * Runner costs. Prints, each the median of REPEAT runs:
 *  - a bare loop of clock_gettime(CLOCK_MONOTONIC) into an array: ns/sample;
 *  - the track workload (one job, threads mode): ns/sample and the ratio;
 *  - 4 jobs × N samples on 4 workers, threads vs processes: wall time and
 *    the ratio (process mode writes into shared memory; nothing is piped),
 *    and each pool's start-up (time 0 to its first job);
 *  - the dot workload, 4 jobs of two 10^7-double vectors: ms per job;
 *  - that trace written as CSV, gzip and zstd (into DIR): seconds and size.
 *
 *   bench_run [N] [REPEAT] [DIR]   (default 1000000 samples per job, 5, /tmp)
 */

#include <timeline/timeline.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int cmp(const void *a, const void *b) {
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static tl_ns wall_of(const tl_trace *t, uint32_t g) {
	tl_group_stats *st;
	if (tl_trace_stats(t, &st, NULL) != TL_OK) {
		exit(1);
	}
	tl_ns w = st[g].wall;
	free(st);
	return w;
}

int main(int argc, char **argv) {
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	int repeat = argc > 2 ? atoi(argv[2]) : 5;
	const char *dir = argc > 3 ? argv[3] : "/tmp";
	static const char *const ext[3] = {"csv", "csv.gz", "csv.zst"};
	double *up_thr = malloc((size_t)repeat * sizeof(double));
	double *up_proc = malloc((size_t)repeat * sizeof(double));
	double *dot = malloc((size_t)repeat * sizeof(double));
	double *wr[3];
	long size[3] = {0, 0, 0};
	for (int e = 0; e < 3; e++) {
		wr[e] = malloc((size_t)repeat * sizeof(double));
		if (!wr[e]) {
			return 1;
		}
	}
	if (!up_thr || !up_proc || !dot) {
		return 1;
	}
	double *bare = malloc((size_t)repeat * sizeof(double));
	double *track = malloc((size_t)repeat * sizeof(double));
	double *thr = malloc((size_t)repeat * sizeof(double));
	double *proc = malloc((size_t)repeat * sizeof(double));
	tl_ns *arr = malloc((size_t)n * sizeof(*arr));
	if (!bare || !track || !thr || !proc || !arr) {
		return 1;
	}
	for (int r = 0; r < repeat; r++) {
		tl_ns t0 = tl_now();
		for (long i = 0; i < n; i++) {
			struct timespec ts;
			clock_gettime(CLOCK_MONOTONIC, &ts);
			arr[i] = (tl_ns)ts.tv_sec * 1000000000 + ts.tv_nsec;
		}
		bare[r] = (double)(tl_now() - t0) / (double)n;

		tl_run_opts o;
		tl_run_opts_init(&o);
		o.workload = TL_WORK_TRACK;
		o.n = n;
		o.jobs = 1;
		o.workers = 1;
		o.modes[0] = TL_MODE_THREADS;
		o.nmodes = 1;
		tl_trace *t;
		size_t failed;
		struct tl_error err;
		if (tl_run(&o, &t, &failed, &err) != TL_OK) {
			fprintf(stderr, "bench_run: %s\n", err.msg);
			return 1;
		}
		size_t ns;
		const tl_span *sp = tl_trace_spans(t, &ns);
		track[r] = (double)(sp[0].stop - sp[0].start) / (double)n;
		tl_trace_free(t);

		o.jobs = 4;
		o.workers = 4;
		o.modes[0] = TL_MODE_THREADS;
		o.modes[1] = TL_MODE_PROCESSES;
		o.nmodes = 2;
		if (tl_run(&o, &t, &failed, &err) != TL_OK) {
			fprintf(stderr, "bench_run: %s\n", err.msg);
			return 1;
		}
		thr[r] = (double)wall_of(t, 0) / 1e9;
		proc[r] = (double)wall_of(t, 1) / 1e9;
		tl_group_stats *st;
		if (tl_trace_stats(t, &st, NULL) != TL_OK) {
			return 1;
		}
		up_thr[r] = (double)st[0].startup / 1e6;
		up_proc[r] = (double)st[1].startup / 1e6;
		free(st);
		for (int e = 0; e < 3; e++) {
			char path[4096];
			snprintf(path, sizeof(path), "%s/bench_run.%s", dir, ext[e]);
			tl_ns w0 = tl_now();
			if (tl_write_file(t, path, TL_FORMAT_CSV, &err) != TL_OK) {
				fprintf(stderr, "bench_run: %s\n", err.msg);
				return 1;
			}
			wr[e][r] = (double)(tl_now() - w0) / 1e9;
			FILE *f = fopen(path, "rb");
			if (f && fseek(f, 0, SEEK_END) == 0) {
				size[e] = ftell(f);
			}
			if (f) {
				fclose(f);
			}
			remove(path);
		}
		tl_trace_free(t);

		tl_run_opts d;
		tl_run_opts_init(&d);
		d.workload = TL_WORK_DOT;
		d.n = 10000000;
		d.jobs = 4;
		d.workers = 1;
		d.modes[0] = TL_MODE_SERIAL;
		d.nmodes = 1;
		if (tl_run(&d, &t, &failed, &err) != TL_OK) {
			fprintf(stderr, "bench_run: %s\n", err.msg);
			return 1;
		}
		sp = tl_trace_spans(t, &ns);
		double sum = 0;
		for (size_t i = 0; i < ns; i++) {
			sum += (double)(sp[i].stop - sp[i].start);
		}
		dot[r] = sum / (double)ns / 1e6;
		tl_trace_free(t);
	}
	double b = median(bare, repeat), k = median(track, repeat);
	printf("bare clock_gettime loop     %6.1f ns/sample\n", b);
	printf("track workload              %6.1f ns/sample  (%.2fx the bare loop)\n", k, k / b);
	double tw = median(thr, repeat), pw = median(proc, repeat);
	printf("4 jobs x %ld samples, 4 workers: threads %.3f s, processes %.3f s "
	       "(processes/threads %.3f)\n",
	       n, tw, pw, pw / tw);
	printf("start-up (time 0 to the first job): threads %.3f ms, processes %.3f ms\n",
	       median(up_thr, repeat), median(up_proc, repeat));
	printf("dot, two vectors of 10^7 doubles: %.2f ms per job\n", median(dot, repeat));
	for (int e = 0; e < 3; e++) {
		printf("write %-8s %.3f s  %8.1f MB\n", ext[e], median(wr[e], repeat),
		       (double)size[e] / 1e6);
	}
	free(arr);
	return 0;
}
