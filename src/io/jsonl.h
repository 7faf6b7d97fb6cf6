#ifndef TIMELINE_IO_JSONL_H
#define TIMELINE_IO_JSONL_H

/*
 * JSON lines (https://jsonlines.org/): one JSON value per line, read one line
 * at a time, so that memory follows the longest line and not the file. Shared
 * by the readers of formats written that way (Spark event logs, records).
 */

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

struct tl_jsonl {
	const char *data, *end; /* the whole text */
	const char *p;          /* where the next line starts */
	const char *ls, *le; /* the current line: its start and end (a CR before the LF dropped) */
	long line;           /* 1-based number of the current line; 0 before the first */
};

/* Start reading data (len bytes; a UTF-8 byte order mark is skipped). */
void tl_jsonl_init(struct tl_jsonl *j, const char *data, size_t len);

/* Move to the next line that is not blank; false at the end of the text. */
bool tl_jsonl_next(struct tl_jsonl *j);

/* true when nothing but blanks and line ends follows the current line. */
bool tl_jsonl_is_last(const struct tl_jsonl *j);

/* How parsing a line went. */
enum tl_jsonl_parse {
	TL_JSONL_OK = 0,
	TL_JSONL_BAD, /* not JSON: *ret_at is where it goes wrong */
	TL_JSONL_CUT, /* the last line ends inside its value: a log still being written */
};

/*
 * Parse the current line as one JSON value with cJSON; *ret_value (free with
 * cJSON_Delete()) on TL_JSONL_OK, else NULL with *ret_at the position of
 * the fault in the line. Anything but blanks after the value is a fault;
 * so is a line cJSON cannot allocate for (*ret_at at the line's start).
 */
enum tl_jsonl_parse tl_jsonl_parse(const struct tl_jsonl *j, cJSON **ret_value,
				   const char **ret_at);

/*
 * Find the end of the JSON value that starts at s (blanks before it
 * skipped) without building it: strings closed, brackets matched, nested at
 * most 1000 deep; scalars are not checked. TL_JSONL_OK with *ret_end past
 * the value; TL_JSONL_CUT when the text ends at e inside it (*ret_end = e);
 * TL_JSONL_BAD with *ret_end at the fault.
 */
enum tl_jsonl_parse tl_json_value_end(const char *s, const char *e, const char **ret_end);

/*
 * Walking the text of JSON known to be well-formed (or a window of it that
 * may end anywhere), without building it: for detection, and to read a
 * value exactly as written (numbers from their digits, positions for
 * messages). Nothing here allocates.
 */
struct tl_json_members {
	const char *p, *e;
};

/* The object at s (blanks before it skipped; up to e): ready for tl_json_next_member(). */
bool tl_json_members_of(const char *s, const char *e, struct tl_json_members *m);

/*
 * The next member of the object: its key as written between the quotes
 * (escapes not undone) and its value [*ret_v, *ret_ve). false at the
 * object's end, or where the text ends or breaks.
 */
bool tl_json_next_member(struct tl_json_members *m, const char **ret_k, size_t *ret_kl,
			 const char **ret_v, const char **ret_ve);

/* The key of kl bytes at k is w. */
bool tl_json_key_is(const char *k, size_t kl, const char *w);

/* The first element of the array at s when it is an object: where it starts; else NULL. */
const char *tl_json_first_object(const char *s, const char *e);

/*
 * The value a dotted path ("status.startTime", "startstops.0.stop": a number
 * steps into an array) names inside the value [s, e): true with
 * [*ret_v, *ret_ve); false when there is none.
 */
bool tl_json_walk(const char *s, const char *e, const char *path, const char **ret_v,
		  const char **ret_ve);

#endif
