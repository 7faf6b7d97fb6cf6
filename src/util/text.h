#ifndef TIMELINE_UTIL_TEXT_H
#define TIMELINE_UTIL_TEXT_H

/*
 * Comparing words of text as the formats' names and keywords are compared:
 * without regard to ASCII case, byte for byte otherwise. No locale: what a
 * word matches does not depend on the program that the library runs in.
 */

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* c in lower case when it is an ASCII capital letter; any other byte as it is. */
static inline unsigned char tl_ascii_lower(unsigned char c) {
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

/*
 * Whether the len bytes at s (no NUL needed) are word (NUL-terminated),
 * all of it and no more, ASCII letters matching either case ("jobid" is
 * "JobID"); other bytes, UTF-8 among them, must be the same.
 */
static inline bool tl_word_eq_nocase(const char *s, size_t len, const char *word) {
	if (strlen(word) != len) {
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		if (tl_ascii_lower((unsigned char)s[i]) != tl_ascii_lower((unsigned char)word[i])) {
			return false;
		}
	}
	return true;
}

#endif
