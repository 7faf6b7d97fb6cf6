#include <jansson.h>

#include "common.h"

int main(int argc, char **argv) {
	size_t n;
	char *buf = slurp(argv[1], &n);
	double t0 = now();
	json_error_t e;
	json_t *j = json_loadb(buf, n, 0, &e);
	size_t events = json_array_size(json_object_get(j, "traceEvents"));
	printf("jansson %.3f s %zu events\n", now() - t0, events);
	json_decref(j);
	free(buf);
	return events ? 0 : 1;
}
