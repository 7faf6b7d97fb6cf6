/*
 * Instrumenting your own program with the recorder: four threads each
 * compute a few chunks of a sum, recording a span per chunk and a sample
 * every 10 000 iterations, then the recording is written as CSV.
 *
 *   recorder-demo OUT.csv      then: timeline render OUT.csv
 */

#include <timeline/timeline.h>

#include <pthread.h>
#include <stdio.h>

static tl_recorder *rec;

static void *worker(void *arg) {
	int id = (int)(long)arg;
	for (int chunk = 0; chunk < 3; chunk++) {
		int job = id * 3 + chunk;
		tl_recorder_span_begin(rec, "threads", job);
		/* Work the compiler cannot drop: a volatile it must store each time. */
		volatile double sum = 0;
		for (int i = 0; i < 2000000; i++) {
			sum = sum + (double)i * 0.5;
			if (i % 10000 == 0) {
				tl_recorder_sample(rec, "threads", job);
			}
		}
		tl_recorder_span_end(rec, 0);
	}
	return NULL;
}

int main(int argc, char **argv) {
	if (argc != 2) {
		fprintf(stderr, "usage: recorder-demo OUT.csv\n");
		return 2;
	}
	rec = tl_recorder_new();
	if (!rec) {
		return 1;
	}
	pthread_t t[4];
	for (long i = 0; i < 4; i++) {
		pthread_create(&t[i], NULL, worker, (void *)i);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
	}
	struct tl_error err;
	int rc = 0;
	if (tl_recorder_write(rec, argv[1], &err) != TL_OK) {
		char buf[2048];
		fprintf(stderr, "recorder-demo: %s\n", tl_error_format(&err, buf, sizeof(buf)));
		rc = 1;
	}
	tl_recorder_free(rec);
	return rc;
}
