/*
 * Reads lines "KIND<TAB>TEXT" (KIND: datetime, tod or duration) from stdin
 * and prints one line for each: the parsed ns, or "error N" with the tl_num
 * code. tests/timetext_check.py feeds it values Python formatted and compares.
 */

#include "../src/io/timetext.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		size_t len = (size_t)n;
		if (len > 0 && line[len - 1] == '\n') {
			line[--len] = '\0';
		}
		char *tab = memchr(line, '\t', len);
		if (!tab) {
			fprintf(stderr, "timetext_driver: no tab in '%s'\n", line);
			return 2;
		}
		*tab = '\0';
		const char *text = tab + 1;
		size_t tlen = len - (size_t)(text - line);
		tl_ns v = 0;
		tl_num rc;
		if (strcmp(line, "datetime") == 0) {
			rc = tl_parse_datetime(text, tlen, &v, NULL);
		} else if (strcmp(line, "tod") == 0) {
			rc = tl_parse_time_of_day(text, tlen, &v);
		} else if (strcmp(line, "duration") == 0) {
			rc = tl_parse_duration_text(text, tlen, &v);
		} else {
			fprintf(stderr, "timetext_driver: unknown kind '%s'\n", line);
			return 2;
		}
		if (rc == TL_NUM_OK) {
			printf("%" PRId64 "\n", v);
		} else {
			printf("error %d\n", (int)rc);
		}
	}
	free(line);
	return ferror(stdout) || fflush(stdout) != 0;
}
