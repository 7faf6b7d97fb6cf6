#include <cjson/cJSON.h>

#include "common.h"

int main(int argc, char **argv) {
	size_t n;
	char *buf = slurp(argv[1], &n);
	double t0 = now();
	cJSON *j = cJSON_ParseWithLength(buf, n);
	size_t events = (size_t)cJSON_GetArraySize(cJSON_GetObjectItem(j, "traceEvents"));
	printf("cJSON %.3f s %zu events\n", now() - t0, events);
	cJSON_Delete(j);
	free(buf);
	return events ? 0 : 1;
}
