/*
 * Writes the benchmark inputs, deterministic for a given size:
 *   gen_trace tracker N FILE   live tracker, 2 modes × 4 jobs × N samples
 *                              ("mode,job,t"; threads interleave in 5 ms
 *                              slices as under CPython's GIL)
 *   gen_trace gantt N FILE     2 modes × N spans on 4 workers ("mode,job,worker,start,stop")
 *   gen_trace seed FILE        the seed-000 figure: 2 modes × 16 spans
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long rng = 88172645463325252ULL;

static double uniform(double lo, double hi) {
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return lo + (hi - lo) * (double)(rng >> 11) / 9007199254740992.0;
}

static void tracker(FILE *f, long n) {
	fputs("mode,job,t\n", f);
	/* threads: 4 jobs take turns, 5 ms each */
	double t[4] = {0}, clock = 0;
	long done[4] = {0};
	double start[4] = {-1, -1, -1, -1};
	for (;;) {
		int active = 0;
		for (int j = 0; j < 4; j++) {
			if (done[j] >= n) {
				continue;
			}
			active++;
			double end = clock + 0.005;
			while (clock < end && done[j] < n) {
				if (start[j] < 0) {
					start[j] = clock;
				}
				fprintf(f, "threads,%d,%.9f\n", j, clock - start[j]);
				clock += uniform(0.2e-6, 0.4e-6);
				done[j]++;
			}
		}
		if (!active) {
			break;
		}
	}
	for (int j = 0; j < 4; j++) {
		t[j] = 0;
		for (long i = 0; i < n; i++) {
			fprintf(f, "processes,%d,%.9f\n", j, t[j]);
			t[j] += uniform(0.25e-6, 0.35e-6);
		}
	}
}

static void gantt(FILE *f, long n, double slow_threads) {
	fputs("mode,job,worker,start,stop\n", f);
	const char *modes[2] = {"threads", "processes"};
	for (int m = 0; m < 2; m++) {
		double free_at[4] = {0};
		for (long j = 0; j < n; j++) {
			int w = 0;
			for (int k = 1; k < 4; k++) {
				if (free_at[k] < free_at[w]) {
					w = k;
				}
			}
			double start = free_at[w] + uniform(0.00001, 0.0001);
			double stop =
				start + 0.0005 * (m == 0 ? slow_threads : 1) * uniform(0.8, 1.5);
			free_at[w] = stop;
			fprintf(f, "%s,%ld,%d,%.9f,%.9f\n", modes[m], j, w, start, stop);
		}
	}
}

int main(int argc, char **argv) {
	if (argc == 3 && strcmp(argv[1], "seed") == 0) {
		FILE *f = fopen(argv[2], "w");
		if (!f) {
			perror(argv[2]);
			return 1;
		}
		fputs("mode,job,worker,start,stop\n", f);
		const char *modes[2] = {"Multi-Threading", "Multi-Processing"};
		for (int m = 0; m < 2; m++) {
			double free_at[4] = {0};
			for (int j = 0; j < 16; j++) {
				int w = j % 4;
				double start = free_at[w] + uniform(0.0, 0.05);
				double stop = start + (m == 0 ? 0.9 : 0.25) * uniform(0.6, 1.4);
				free_at[w] = stop;
				fprintf(f, "%s,%d,%d,%.6f,%.6f\n", modes[m], j, w, start, stop);
			}
		}
		return fclose(f) != 0;
	}
	if (argc != 4) {
		fprintf(stderr, "usage: gen_trace tracker|gantt N FILE | gen_trace seed FILE\n");
		return 2;
	}
	long n = atol(argv[2]);
	FILE *f = fopen(argv[3], "w");
	if (!f || n <= 0) {
		fprintf(stderr, "gen_trace: bad arguments\n");
		return 2;
	}
	static char buf[1 << 20];
	setvbuf(f, buf, _IOFBF, sizeof(buf));
	if (strcmp(argv[1], "tracker") == 0) {
		tracker(f, n);
	} else {
		gantt(f, n, 3.0);
	}
	return fclose(f) != 0;
}
