/*
 * libFuzzer target for the CSV reader. Besides "never crash", it checks the
 * round trip on every input the reader accepts: written back as native CSV,
 * it must read again, and writing that must give the same bytes.
 */

#include <timeline/timeline.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *write_csv(const tl_trace *t, size_t *len) {
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (!f || tl_csv_write(t, f, "mem", NULL) != TL_OK) {
		abort();
	}
	fclose(f);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	tl_trace *t = NULL;
	struct tl_error err;
	if (tl_read_mem((const char *)data, size, "fuzz.csv", NULL, &t, &err) != TL_OK) {
		if (!err.msg[0] || strchr(err.msg, '\n')) {
			abort(); /* every rejection has a one-line message */
		}
		return 0;
	}
	size_t n1, n2;
	char *a = write_csv(t, &n1);
	tl_trace *back = NULL;
	if (tl_csv_read(a, n1, "again.csv", TL_UNIT_DEFAULT, &back, &err) != TL_OK) {
		fprintf(stderr, "written CSV does not read back: %s:%ld:%ld: %s\n", err.path,
			err.line, err.column, err.msg);
		abort();
	}
	char *b = write_csv(back, &n2);
	if (n1 != n2 || memcmp(a, b, n1) != 0) {
		fprintf(stderr, "second write differs\n");
		abort();
	}
	free(a);
	free(b);
	tl_trace_free(back);
	tl_trace_free(t);
	return 0;
}
