/*
 * JSON lines: a cursor over the lines of a text and a parse of one line at a
 * time with cJSON (jsonl.h). A line whose value the text ends inside, when
 * it is the last, is told apart from a broken one: it is what a program that
 * is still writing its log (or died writing it) leaves, and the readers read
 * up to it.
 */

#include "jsonl.h"

#include "scan.h"

#include <stdlib.h>
#include <string.h>

static const char *skip_blank(const char *p, const char *e) {
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
		p++;
	}
	return p;
}

void tl_jsonl_init(struct tl_jsonl *j, const char *data, size_t len) {
	j->data = data;
	j->end = data + len;
	j->p = data + tl_bom_len(data, len);
	j->ls = j->le = j->p;
	j->line = 0;
}

static bool blank(char c) {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool tl_jsonl_next(struct tl_jsonl *j) {
	while (j->p < j->end) {
		const char *nl = memchr(j->p, '\n', (size_t)(j->end - j->p));
		const char *le = nl ? nl : j->end;
		j->ls = j->p;
		j->le = le;
		j->p = nl ? nl + 1 : j->end;
		j->line++;
		if (j->le > j->ls && j->le[-1] == '\r') {
			j->le--;
		}
		const char *q = j->ls;
		while (q < j->le && blank(*q)) {
			q++;
		}
		if (q < j->le) {
			return true;
		}
	}
	return false;
}

bool tl_jsonl_is_last(const struct tl_jsonl *j) {
	for (const char *q = j->p; q < j->end; q++) {
		if (!blank(*q)) {
			return false;
		}
	}
	return true;
}

enum tl_jsonl_parse tl_jsonl_parse(const struct tl_jsonl *j, cJSON **ret_value,
				   const char **ret_at) {
	const char *stop = NULL;
	size_t len = (size_t)(j->le - j->ls);
	cJSON *v = cJSON_ParseWithLengthOpts(j->ls, len, &stop, false);
	*ret_value = NULL;
	if (!v) {
		const char *at = stop && stop >= j->ls && stop <= j->le ? stop : j->ls;
		const char *ve;
		/* The last line, its value unfinished: the log was cut there. */
		bool cut =
			tl_jsonl_is_last(j) && tl_json_value_end(j->ls, j->le, &ve) == TL_JSONL_CUT;
		*ret_at = at;
		return cut ? TL_JSONL_CUT : TL_JSONL_BAD;
	}
	while (stop < j->le && blank(*stop)) {
		stop++;
	}
	if (stop < j->le) {
		cJSON_Delete(v);
		*ret_at = stop;
		return TL_JSONL_BAD;
	}
	*ret_value = v;
	return TL_JSONL_OK;
}

enum tl_jsonl_parse tl_json_value_end(const char *s, const char *e, const char **ret_end) {
	char stack[1000];
	int depth = 0;
	const char *q = s;
	while (q < e && blank(*q)) {
		q++;
	}
	*ret_end = e;
	do {
		if (q >= e) {
			return TL_JSONL_CUT;
		}
		char c = *q;
		if (c == '"') {
			for (q++; q < e && *q != '"'; q++) {
				q += *q == '\\';
			}
			if (q >= e) {
				return TL_JSONL_CUT;
			}
			q++;
		} else if (c == '{' || c == '[') {
			if (depth == (int)sizeof(stack)) {
				*ret_end = q;
				return TL_JSONL_BAD;
			}
			stack[depth++] = c == '{' ? '}' : ']';
			q++;
		} else if (c == '}' || c == ']') {
			if (depth == 0 || stack[depth - 1] != c) {
				*ret_end = q;
				return TL_JSONL_BAD;
			}
			depth--;
			q++;
		} else if (depth == 0) {
			/* A scalar at the top: up to the next blank or separator. */
			while (q < e && !blank(*q) && *q != ',' && *q != '}' && *q != ']') {
				q++;
			}
		} else {
			q++;
		}
	} while (depth > 0);
	*ret_end = q;
	return TL_JSONL_OK;
}

/* ---- walking the text of parsed JSON ---- */

/* The object at s (up to e): ready for tl_json_next_member(); false when s is no object. */
bool tl_json_members_of(const char *s, const char *e, struct tl_json_members *m) {
	s = skip_blank(s, e);
	if (s >= e || *s != '{') {
		return false;
	}
	m->p = s + 1;
	m->e = e;
	return true;
}

/*
 * The next member: its key as written (between the quotes) and its value
 * [*ret_v, *ret_ve). false at the object's end, or where the text ends or
 * breaks (detection reads a window that may end anywhere).
 */
bool tl_json_next_member(struct tl_json_members *m, const char **ret_k, size_t *ret_kl,
			 const char **ret_v, const char **ret_ve) {
	const char *p = skip_blank(m->p, m->e);
	if (p < m->e && *p == ',') {
		p = skip_blank(p + 1, m->e);
	}
	if (p >= m->e || *p != '"') {
		return false;
	}
	const char *ke;
	if (tl_json_value_end(p, m->e, &ke) != TL_JSONL_OK) {
		return false;
	}
	*ret_k = p + 1;
	*ret_kl = (size_t)(ke - p - 2);
	p = skip_blank(ke, m->e);
	if (p >= m->e || *p != ':') {
		return false;
	}
	p = skip_blank(p + 1, m->e);
	if (p >= m->e) {
		return false; /* the text ends before the value */
	}
	const char *ve;
	enum tl_jsonl_parse pr = tl_json_value_end(p, m->e, &ve);
	if (pr == TL_JSONL_BAD) {
		return false;
	}
	*ret_v = p;
	*ret_ve = ve;
	m->p = ve;
	return true;
}

bool tl_json_key_is(const char *k, size_t kl, const char *w) {
	return strlen(w) == kl && memcmp(k, w, kl) == 0;
}

/* The first element of the array at s, when it is an object: where it starts. */
const char *tl_json_first_object(const char *s, const char *e) {
	s = skip_blank(s, e);
	if (s >= e || *s != '[') {
		return NULL;
	}
	s = skip_blank(s + 1, e);
	return s < e && *s == '{' ? s : NULL;
}

/* Member or element named by one step of a path: the value inside the one at v. */
static bool json_step(const char *v, const char *ve, const char *name, size_t nl,
		      const char **ret_v, const char **ret_ve) {
	if (*v == '{') {
		struct tl_json_members m;
		const char *k, *x, *xe;
		size_t kl;
		tl_json_members_of(v, ve, &m);
		while (tl_json_next_member(&m, &k, &kl, &x, &xe)) {
			if (kl == nl && memcmp(k, name, nl) == 0) {
				*ret_v = x;
				*ret_ve = xe;
				return true;
			}
		}
		return false;
	}
	if (*v != '[' || nl == 0 || nl > 9 || strspn(name, "0123456789") < nl) {
		return false;
	}
	long want = strtol(name, NULL, 10);
	const char *p = skip_blank(v + 1, ve);
	for (long i = 0; p < ve && *p != ']'; i++) {
		const char *e;
		if (tl_json_value_end(p, ve, &e) != TL_JSONL_OK) {
			return false;
		}
		if (i == want) {
			*ret_v = p;
			*ret_ve = e;
			return true;
		}
		p = skip_blank(e, ve);
		p = p < ve && *p == ',' ? skip_blank(p + 1, ve) : p;
	}
	return false;
}

/* The value a dotted path names in the record [s, e). */
bool tl_json_walk(const char *s, const char *e, const char *path, const char **ret_v,
		  const char **ret_ve) {
	const char *v = skip_blank(s, e), *ve = e;
	for (const char *p = path;;) {
		const char *dot = strchr(p, '.');
		size_t nl = dot ? (size_t)(dot - p) : strlen(p);
		if (!json_step(v, ve, p, nl, &v, &ve)) {
			return false;
		}
		if (!dot) {
			*ret_v = v;
			*ret_ve = ve;
			return true;
		}
		p = dot + 1;
	}
}
