#include <json-c/json.h>

#include "common.h"

int main(int argc, char **argv) {
	size_t n;
	char *buf = slurp(argv[1], &n);
	double t0 = now();
	struct json_tokener *tok = json_tokener_new_ex(64);
	json_object *j = json_tokener_parse_ex(tok, buf, (int)n);
	json_object *ev = NULL;
	json_object_object_get_ex(j, "traceEvents", &ev);
	size_t events = ev ? json_object_array_length(ev) : 0;
	printf("json-c %.3f s %zu events\n", now() - t0, events);
	json_object_put(j);
	json_tokener_free(tok);
	free(buf);
	return events ? 0 : 1;
}
