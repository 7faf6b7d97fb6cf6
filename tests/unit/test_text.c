/* Words compared without regard to ASCII case: whole words, ASCII letters only. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/util/text.h"

static bool eq(const char *s, const char *word) {
	return tl_word_eq_nocase(s, strlen(s), word);
}

static void test_case_is_ignored(void **state) {
	(void)state;
	assert_true(eq("JobID", "jobid"));
	assert_true(eq("jobid", "JobID"));
	assert_true(eq("NULL", "null"));
	assert_true(eq("n/a", "N/A"));
	assert_true(eq("", ""));
}

/* The whole word: neither a prefix of it nor a longer text. */
static void test_whole_words_only(void **state) {
	(void)state;
	assert_false(eq("Job", "JobID"));
	assert_false(eq("JobIDRaw", "JobID"));
	assert_false(eq("", "x"));
	assert_false(eq("x", ""));
	/* len bytes of s, not up to its NUL. */
	assert_true(tl_word_eq_nocase("StartTime", 5, "start"));
	assert_false(tl_word_eq_nocase("Start", 4, "start"));
	/* A NUL inside the len bytes is no end of the word. */
	volatile size_t three = 3; /* not folded: the compiler would look past "ab" */
	assert_false(tl_word_eq_nocase("ab\0", three, "ab"));
}

/* Only A-Z fold: bytes 0x20 apart that are not letters, and UTF-8, stay apart. */
static void test_only_ascii_letters_fold(void **state) {
	(void)state;
	assert_false(eq("[", "{"));
	assert_false(eq("@", "`"));
	assert_false(eq("^", "~"));
	assert_false(eq("_", "\x7f"));
	assert_true(eq("\xc3\xa9t\xc3\xa9", "\xc3\xa9T\xc3\xa9")); /* été, éTé */
	assert_false(eq("\xc3\x89", "\xc3\xa9"));                  /* É is not é here */
	assert_int_equal(tl_ascii_lower('A'), 'a');
	assert_int_equal(tl_ascii_lower('Z'), 'z');
	assert_int_equal(tl_ascii_lower('a'), 'a');
	assert_int_equal(tl_ascii_lower('@'), '@');
	assert_int_equal(tl_ascii_lower('['), '[');
	assert_int_equal(tl_ascii_lower(0xc3), 0xc3);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_case_is_ignored),
		cmocka_unit_test(test_whole_words_only),
		cmocka_unit_test(test_only_ascii_letters_fold),
	};
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
