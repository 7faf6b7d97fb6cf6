/*
 * CSV throughput: builds a live-tracker trace of N samples (default 8 million:
 * 4 jobs on 4 workers in 2 groups, like the seed's 10^6-iteration tracker),
 * writes it as native CSV and reads it back, and also reads the forms users
 * write: "mode,job,t" (about 170 MB for 8 million rows) and "job,t". Each step
 * runs R times (default 5); the median is printed with rows/s and MB/s.
 * Single-threaded, end to end through the public file API (open, map, parse,
 * close; for writes: temporary file, write, close, rename). Each write goes to
 * a fresh name: replacing an existing file by rename makes ext4 flush the new
 * data first (auto_da_alloc), which measures the disk, not this code.
 *
 *   bench_csv [ROWS] [REPEAT] [DIR]
 */

#include <timeline/timeline.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static long long file_size(const char *path) {
	struct stat sb;
	return stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

static void die(const struct tl_error *err) {
	char buf[2048];
	fprintf(stderr, "bench_csv: %s\n", tl_error_format(err, buf, sizeof(buf)));
	exit(1);
}

static void report(const char *what, double *t, int repeat, size_t rows, long long bytes) {
	double m = median(t, repeat);
	printf("%-28s %10zu rows %8.1f MB  median %.3f s  %6.2f Mrows/s  %7.1f MB/s\n", what, rows,
	       (double)bytes / 1e6, m, (double)rows / m / 1e6, (double)bytes / m / 1e6);
}

int main(int argc, char **argv) {
	size_t rows = argc > 1 ? strtoull(argv[1], NULL, 10) : 8000000;
	int repeat = argc > 2 ? atoi(argv[2]) : 5;
	const char *dir = argc > 3 ? argv[3] : "/tmp";
	if (rows == 0 || repeat <= 0 || repeat > 100) {
		fprintf(stderr, "usage: bench_csv [ROWS] [REPEAT] [DIR]\n");
		return 2;
	}
	char native[4096], minimal[4096], user[4096];
	snprintf(native, sizeof(native), "%s/bench-native-%d.csv", dir, (int)getpid());
	snprintf(minimal, sizeof(minimal), "%s/bench-minimal-%d.csv", dir, (int)getpid());
	snprintf(user, sizeof(user), "%s/bench-user-%d.csv", dir, (int)getpid());

	struct tl_error err = {0};
	tl_trace *t = tl_trace_new();
	uint32_t g[2];
	tl_str w[4];
	if (tl_trace_group(t, "threads", 7, &g[0], &err) ||
	    tl_trace_group(t, "processes", 9, &g[1], &err)) {
		die(&err);
	}
	for (int i = 0; i < 4; i++) {
		char name[8];
		snprintf(name, sizeof(name), "%d", i);
		if (tl_trace_intern(t, name, strlen(name), &w[i], &err)) {
			die(&err);
		}
	}
	if (tl_trace_reserve(t, 0, rows, &err)) {
		die(&err);
	}
	/* Iteration timestamps ~300 ns apart with jitter, per job. */
	uint64_t x = 88172645463325252ULL;
	size_t per_job = rows / 8 ? rows / 8 : 1;
	FILE *mf = fopen(minimal, "w");
	if (!mf) {
		perror(minimal);
		return 1;
	}
	fputs("job,t\n", mf);
	FILE *uf = fopen(user, "w");
	if (!uf) {
		perror(user);
		return 1;
	}
	fputs("mode,job,t\n", uf);
	tl_ns clock[8] = {0};
	for (size_t i = 0; i < rows; i++) {
		size_t k = (i / per_job) % 8;
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		clock[k] += 250 + (tl_ns)(x % 100);
		tl_sample s = {.group = g[k / 4],
			       .job = (int64_t)(k % 4),
			       .worker = w[k % 4],
			       .t = clock[k]};
		if (tl_trace_add_sample(t, &s, &err)) {
			die(&err);
		}
		fprintf(mf, "%d,%.9f\n", (int)(k % 4), (double)clock[k] / 1e9);
		fprintf(uf, "%s,%d,%.9f\n", k < 4 ? "threads" : "processes", (int)(k % 4),
			(double)clock[k] / 1e9);
	}
	fclose(mf);
	fclose(uf);

	double *times = malloc((size_t)repeat * sizeof(*times));
	for (int r = 0; r < repeat; r++) {
		unlink(native);
		double t0 = now();
		if (tl_write_file(t, native, TL_FORMAT_CSV, &err)) {
			die(&err);
		}
		times[r] = now() - t0;
	}
	report("write native csv", times, repeat, rows, file_size(native));

	for (int r = 0; r < repeat; r++) {
		tl_trace *back = NULL;
		double t0 = now();
		if (tl_read_file(native, NULL, &back, &err)) {
			die(&err);
		}
		times[r] = now() - t0;
		size_t n = tl_trace_sample_count(back);
		if (n != rows) {
			fprintf(stderr, "bench_csv: read %zu rows, wrote %zu\n", n, rows);
			return 1;
		}
		tl_trace_free(back);
	}
	report("read native csv", times, repeat, rows, file_size(native));

	for (int r = 0; r < repeat; r++) {
		tl_trace *back = NULL;
		double t0 = now();
		if (tl_read_file(user, NULL, &back, &err)) {
			die(&err);
		}
		times[r] = now() - t0;
		tl_trace_free(back);
	}
	report("read mode,job,t csv", times, repeat, rows, file_size(user));

	for (int r = 0; r < repeat; r++) {
		tl_trace *back = NULL;
		double t0 = now();
		if (tl_read_file(minimal, NULL, &back, &err)) {
			die(&err);
		}
		times[r] = now() - t0;
		tl_trace_free(back);
	}
	report("read job,t csv", times, repeat, rows, file_size(minimal));

	free(times);
	tl_trace_free(t);
	unlink(native);
	unlink(minimal);
	unlink(user);
	return 0;
}
