/*
 * A trace's metadata: ordered key/value pairs, and what a run that was
 * interrupted says of itself.
 */

#include <timeline/trace.h>

#include "trace_body.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

tl_status tl_trace_meta_set(tl_trace *t, const char *key, const char *value, struct tl_error *err) {
	char *v = strdup(value);
	if (!v) {
		return trace_nomem(t, err);
	}
	for (size_t i = 0; i < t->nmeta; i++) {
		if (strcmp(t->meta[i].key, key) == 0) {
			free(t->meta[i].value);
			t->meta[i].value = v;
			return TL_OK;
		}
	}
	char *k = strdup(key);
	if (!k || !trace_grow(t, (void **)&t->meta, &t->capmeta, t->nmeta + 1, sizeof(*t->meta))) {
		free(k);
		free(v);
		return trace_nomem(t, err);
	}
	t->meta[t->nmeta++] = (struct tl_meta){.key = k, .value = v};
	return TL_OK;
}

const char *tl_trace_meta_get(const tl_trace *t, const char *key) {
	for (size_t i = 0; i < t->nmeta; i++) {
		if (strcmp(t->meta[i].key, key) == 0) {
			return t->meta[i].value;
		}
	}
	return NULL;
}

size_t tl_trace_meta_count(const tl_trace *t) {
	return t->nmeta;
}

bool tl_trace_meta_at(const tl_trace *t, size_t i, const char **ret_key, const char **ret_value) {
	if (i >= t->nmeta) {
		return false;
	}
	*ret_key = t->meta[i].key;
	*ret_value = t->meta[i].value;
	return true;
}

static bool interrupted_sep(char c) {
	return c == ' ' || c == '\t' || c == ',' || c == ';' || c == ':' || c == '-';
}

bool tl_trace_interrupted(const tl_trace *t, char *buf, size_t size) {
	const char *v = tl_trace_meta_get(t, TL_META_INTERRUPTED);
	if (!v) {
		return false;
	}
	if (!buf || size == 0) {
		return true;
	}
	/* "yes, 3 of 8 jobs completed" and "3 of 8 jobs completed" say the same. */
	while (*v == ' ' || *v == '\t') {
		v++;
	}
	static const char *const affirm[] = {"yes", "true"};
	for (size_t i = 0; i < sizeof(affirm) / sizeof(affirm[0]); i++) {
		size_t n = strlen(affirm[i]);
		if (strncasecmp(v, affirm[i], n) == 0 && (v[n] == '\0' || interrupted_sep(v[n]))) {
			v += n;
			while (interrupted_sep(*v)) {
				v++;
			}
			break;
		}
	}
	int n = snprintf(buf, size, v[0] ? "interrupted: %s" : "interrupted", v);
	/* One line: control characters (a value read from JSON may hold any) become blanks. */
	size_t len = n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f) {
			buf[i] = ' ';
		}
	}
	/* Cut on a character boundary, never inside a UTF-8 sequence. */
	if (n > 0 && (size_t)n >= size) {
		size_t k = len;
		while (k > 0 && ((unsigned char)buf[k - 1] & 0xc0) == 0x80) {
			k--;
		}
		if (k > 0) {
			unsigned char lead = (unsigned char)buf[k - 1];
			size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
			len = k - 1 + need > len ? k - 1 : len;
		}
		buf[len] = '\0';
	}
	return true;
}
