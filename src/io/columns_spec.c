/*
 * --columns: the user's own names for the roles of a table's columns
 * ("start=begin,stop=end:ms"), parsed and checked (see columns.h).
 */

#include "columns.h"
#include "scan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A unit --columns may give a time column after its role: "duration:ms=ttime". */
static bool spec_unit(const char *s, size_t len, tl_unit *unit, int64_t *mult) {
	static const struct {
		const char *w;
		tl_unit unit;
		int64_t mult;
	} units[] = {
		{"ns", TL_UNIT_NS, 1},  {"us", TL_UNIT_US, 1},   {"\xc2\xb5s", TL_UNIT_US, 1},
		{"ms", TL_UNIT_MS, 1},  {"s", TL_UNIT_S, 1},     {"min", TL_UNIT_S, 60},
		{"h", TL_UNIT_S, 3600}, {"d", TL_UNIT_S, 86400},
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strlen(units[i].w) == len && strncmp(s, units[i].w, len) == 0) {
			*unit = units[i].unit;
			*mult = units[i].mult;
			return true;
		}
	}
	return false;
}

void col_spec_free(struct col_spec *spec) {
	if (spec) {
		for (int r = 0; r < R_COUNT; r++) {
			free(spec->name[r]);
		}
		free(spec);
	}
}

static tl_status spec_error(struct col_spec *spec, struct tl_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static tl_status spec_error(struct col_spec *spec, struct tl_error *err, const char *fmt, ...) {
	char msg[TL_ERROR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	col_spec_free(spec);
	return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0, "--columns: %s", msg);
}

/* One NAME at *pp (quoted or up to the next ','), copied into a new string. */
static char *spec_value(const char **pp, bool *ret_bad) {
	const char *p = *pp;
	size_t cap = strlen(p) + 1, n = 0;
	char *out = malloc(cap);
	if (!out) {
		return NULL;
	}
	*ret_bad = false;
	if (*p == '"') {
		p++;
		for (;;) {
			if (!*p) {
				*ret_bad = true;
				break;
			}
			if (*p == '"' && p[1] == '"') {
				out[n++] = '"';
				p += 2;
			} else if (*p == '"') {
				p++;
				break;
			} else {
				out[n++] = *p++;
			}
		}
		if (*p && *p != ',') {
			*ret_bad = true;
		}
	} else {
		while (*p && *p != ',') {
			out[n++] = *p++;
		}
		/* Blanks around an unquoted name are not part of it. */
		while (n && (out[n - 1] == ' ' || out[n - 1] == '\t')) {
			n--;
		}
	}
	out[n] = '\0';
	*pp = p;
	return out;
}

tl_status col_spec_parse(const char *text, struct col_spec **ret_spec, struct tl_error *err) {
	struct col_spec *spec = calloc(1, sizeof(*spec));
	if (!spec) {
		return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	const char *p = text;
	if (!*p) {
		return spec_error(spec, err, "empty: expected ROLE=NAME,... such as start=Begin");
	}
	while (*p) {
		while (*p == ' ' || *p == '\t') {
			p++;
		}
		const char *eq = strchr(p, '=');
		const char *comma = strchr(p, ',');
		if (!eq || (comma && comma < eq)) {
			size_t l = comma ? (size_t)(comma - p) : strlen(p);
			return spec_error(spec, err, "'%.*s' is not ROLE=NAME",
					  (int)(l > 60 ? 60 : l), p);
		}
		size_t rl = (size_t)(eq - p);
		while (rl && (p[rl - 1] == ' ' || p[rl - 1] == '\t')) {
			rl--;
		}
		const char *colon = memchr(p, ':', rl);
		size_t wl = colon ? (size_t)(colon - p) : rl;
		enum col_role role;
		if (!col_role_from_word(p, wl, &role)) {
			return spec_error(spec, err,
					  "unknown role '%.*s' (start, stop, duration, time, job, "
					  "worker, group, status, label or kind)",
					  (int)(wl > 40 ? 40 : wl), p);
		}
		if (spec->set[role]) {
			return spec_error(spec, err, "%s is named twice", col_role_name(role));
		}
		spec->mult[role] = 1;
		if (colon && !col_is_time(role)) {
			return spec_error(spec, err, "%s is not a time: it has no unit",
					  col_role_name(role));
		}
		if (colon &&
		    !spec_unit(colon + 1, rl - wl - 1, &spec->unit[role], &spec->mult[role])) {
			return spec_error(spec, err,
					  "unknown unit '%.*s' for %s (ns, us, ms, s, min, h or d)",
					  (int)(rl - wl - 1 > 20 ? 20 : rl - wl - 1), colon + 1,
					  col_role_name(role));
		}
		p = eq + 1;
		while (*p == ' ' || *p == '\t') {
			p++;
		}
		bool bad;
		char *name = spec_value(&p, &bad);
		if (!name) {
			col_spec_free(spec);
			return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
		}
		spec->set[role] = true;
		spec->name[role] = name;
		if (bad) {
			return spec_error(spec, err,
					  "unterminated or misplaced quote in the name of %s",
					  col_role_name(role));
		}
		if (*p == ',') {
			p++;
			if (!*p) {
				return spec_error(spec, err,
						  "a ',' ends it: expected ROLE=NAME after it");
			}
		}
	}
	*ret_spec = spec;
	return TL_OK;
}

const char *col_spec_name(const struct col_spec *spec, enum col_role role) {
	return spec && role > R_IGNORE && role < R_COUNT && spec->set[role] ? spec->name[role]
									    : NULL;
}

tl_status tl_columns_check(const char *text, struct tl_error *err) {
	struct col_spec *spec = NULL;
	tl_status st = col_spec_parse(text, &spec, err);
	col_spec_free(spec);
	return st;
}
