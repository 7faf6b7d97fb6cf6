/* ninja build logs: versions, commands, builds, rewritten heads, notes, rejections. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <timeline/timeline.h>

static tl_trace *read_build(const char *log, long build) {
	tl_trace *t = NULL;
	struct tl_error err = {0};
	tl_read_opts o = {.build = build};
	if (tl_read_mem(log, strlen(log), "n.log", &o, &t, &err) != TL_OK) {
		char buf[2048];
		fail_msg("%s", tl_error_format(&err, buf, sizeof(buf)));
	}
	return t;
}

static tl_trace *read_ok(const char *log) {
	return read_build(log, TL_BUILD_LAST);
}

static void expect_error(const char *log, long build, tl_status code, const char *want) {
	tl_trace *t = NULL;
	struct tl_error err = {0};
	tl_read_opts o = {.format = TL_FORMAT_AUTO, .build = build};
	assert_int_equal(tl_read_mem(log, strlen(log), "n.log", &o, &t, &err), code);
	char buf[2048];
	assert_string_equal(tl_error_format(&err, buf, sizeof(buf)), want);
	assert_null(t);
}

static const char *label(const tl_trace *t, size_t i) {
	size_t n;
	const tl_span *s = tl_trace_spans(t, &n);
	assert_true(i < n);
	return tl_trace_str(t, s[i].label);
}

/* The groups' names, joined by ',': "build 1,build 2". */
static const char *groups(const tl_trace *t) {
	static char buf[256];
	buf[0] = '\0';
	for (size_t g = 0; g < tl_trace_group_count(t); g++) {
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", g ? "," : "",
			 tl_trace_group_name(t, (uint32_t)g));
	}
	return buf;
}

static void test_versions_read_alike(void **state) {
	(void)state;
	static const char *const heads[] = {"# ninja log v5\n", "# ninja log v6\r\n",
					    "# ninja log v7\n"};
	for (size_t v = 0; v < 3; v++) {
		char log[256];
		snprintf(log, sizeof(log),
			 "%s0\t455\t1692190099544768525\ta.o\t431ab3d464016a52\n"
			 "1\t456\t0\tb.o\t4423D66F0A48ED01\n",
			 heads[v]);
		tl_trace *t = read_ok(log);
		size_t n;
		const tl_span *s = tl_trace_spans(t, &n);
		assert_int_equal(n, 2);
		/* Milliseconds from the build's start, as they are: no epoch. */
		assert_int_equal(s[0].start, 0);
		assert_int_equal(s[0].stop, 455000000);
		assert_int_equal(s[1].start, 1000000);
		assert_int_equal(s[1].job, 2);
		assert_int_equal(s[1].status, 0);
		assert_int_equal(s[1].worker, TL_STR_NONE);
		assert_null(tl_trace_meta_get(t, "epoch_ns"));
		assert_string_equal(label(t, 1), "b.o");
		assert_string_equal(groups(t), "build 1");
		tl_trace_free(t);
	}
}

/* A command's outputs share start, end and hash: one span, "first +N". */
static void test_outputs_of_one_command(void **state) {
	(void)state;
	tl_trace *t = read_ok("# ninja log v7\n"
			      "0\t10\t1\tgen.h\taa\n"
			      "0\t10\t1\tgen.c\taa\n"
			      "0\t10\t1\tgen.txt\taa\n"
			      "2\t10\t1\tother\tbb\n"
			      "3\t12\t1\tsame-hash-other-times\taa\n");
	size_t n;
	tl_trace_spans(t, &n);
	assert_int_equal(n, 3);
	assert_string_equal(label(t, 0), "gen.h +2");
	assert_string_equal(label(t, 1), "other");
	assert_string_equal(label(t, 2), "same-hash-other-times");
	tl_trace_free(t);
}

#define BUILD1                                                                                     \
	"0\t100\t1000\ta.o\t1\n"                                                                   \
	"5\t200\t1100\tb.o\t2\n"                                                                   \
	"200\t300\t1200\tapp\t3\n"
#define BUILD2 "0\t50\t2000\ta.o\t1\n"
#define BUILD3                                                                                     \
	"0\t40\t3000\tb.o\t2\n"                                                                    \
	"40\t90\t3100\tapp\t3\n"

/* A new build where the end time goes down; the last by default. */
static void test_builds(void **state) {
	(void)state;
	const char *log = "# ninja log v6\n" BUILD1 BUILD2 BUILD3;
	tl_trace *t = read_ok(log);
	assert_string_equal(groups(t), "build 3");
	assert_string_equal(label(t, 0), "b.o");
	assert_string_equal(tl_trace_meta_get(t, TL_META_NOTE_PREFIX "builds"),
			    "ninja log v6: build 3 of 3, the last; the others not shown (--build "
			    "all or --build N shows them)");
	tl_trace_free(t);
	t = read_build(log, 2);
	assert_string_equal(groups(t), "build 2");
	assert_string_equal(tl_trace_meta_get(t, TL_META_NOTE_PREFIX "builds"),
			    "ninja log v6: build 2 of 3");
	tl_trace_free(t);
	t = read_build(log, TL_BUILD_ALL);
	assert_string_equal(groups(t), "build 1,build 2,build 3");
	size_t n;
	const tl_span *s = tl_trace_spans(t, &n);
	assert_int_equal(n, 6);
	assert_int_equal(s[3].group, 1);
	assert_int_equal(s[3].job, 1);
	assert_null(tl_trace_meta_get(t, TL_META_NOTE_PREFIX "rewritten"));
	tl_trace_free(t);
	expect_error(log, 4, TL_ERR_USAGE, "n.log: --build 4: the log holds 3 builds");
}

/* An output logged twice: a new build, though the end time went up. */
static void test_output_again_is_a_new_build(void **state) {
	(void)state;
	tl_trace *t = read_build("# ninja log v7\n"
				 "0\t13\t5\tverify_globs\t1\n"
				 "2\t24\t9\tverify_globs\t1\n",
				 TL_BUILD_ALL);
	assert_string_equal(groups(t), "build 1,build 2");
	tl_trace_free(t);
}

/*
 * Builds of new outputs each (a failed build resumed: failed commands are
 * not logged) are builds, not a rewritten log: each one's outputs are
 * newer than the last one's.
 */
static void test_resumed_builds_stay_apart(void **state) {
	(void)state;
	tl_trace *t = read_build("# ninja log v7\n"
				 "0\t100\t1000\ta.o\t1\n"
				 "0\t40\t2000\tb.o\t2\n"
				 "0\t30\t3000\tc.o\t3\n"
				 "30\t35\t3030\tapp\t4\n",
				 TL_BUILD_ALL);
	assert_string_equal(groups(t), "build 1,build 2,build 3");
	tl_trace_free(t);
}

/*
 * What ninja's Recompact writes: each output's last entry, from several
 * builds, in hash order; a command's outputs scattered. It is one build;
 * the build appended after it begins at the first output seen again.
 */
static void test_rewritten_head(void **state) {
	(void)state;
	const char *log = "# ninja log v5\n"
			  "40\t90\t1900\tapp\t9\n"
			  "0\t30\t1030\tgen.h\t7\n"
			  "0\t20\t1800\tb.o\t2\n"
			  "0\t80\t1080\tlib.a\t8\n"
			  "0\t30\t1030\tgen.c\t7\n"
			  "0\t10\t1010\tc.o\t3\n"
			  "0\t50\t3000\tb.o\t2\n"
			  "50\t70\t3100\tapp\t9\n";
	tl_trace *t = read_build(log, TL_BUILD_ALL);
	assert_string_equal(groups(t), "build 1,build 2");
	size_t n;
	const tl_span *s = tl_trace_spans(t, &n);
	assert_int_equal(n, 7);
	assert_string_equal(label(t, 1), "gen.h +1");
	assert_int_equal(s[5].group, 1);
	assert_string_equal(tl_trace_meta_get(t, TL_META_NOTE_PREFIX "rewritten"),
			    "build 1 is the log as ninja last rewrote it (recompacted): the last "
			    "entry of each output, from builds before, in no order");
	tl_trace_free(t);
	/* The last build alone needs no word on build 1. */
	t = read_ok(log);
	assert_string_equal(groups(t), "build 2");
	assert_null(tl_trace_meta_get(t, TL_META_NOTE_PREFIX "rewritten"));
	tl_trace_free(t);
	/* A rewritten log and nothing after it: one build. */
	t = read_ok("# ninja log v5\n"
		    "40\t90\t1900\tapp\t9\n"
		    "0\t20\t1800\tb.o\t2\n"
		    "0\t80\t1080\tlib.a\t8\n"
		    "0\t10\t1010\tc.o\t3\n");
	assert_string_equal(groups(t), "build 1");
	assert_non_null(tl_trace_meta_get(t, TL_META_NOTE_PREFIX "rewritten"));
	tl_trace_free(t);
}

/* Builds of new outputs appended after a rewrite, before any output comes again. */
static void test_new_outputs_after_rewrite(void **state) {
	(void)state;
	tl_trace *t = read_build("# ninja log v6\n"
				 "40\t90\t1900\tapp\t9\n"
				 "0\t20\t1800\tb.o\t2\n"
				 "0\t80\t1080\tlib.a\t8\n"
				 "0\t10\t1010\tc.o\t3\n"
				 "0\t5\t5000\tnew.o\t5\n"
				 "15\t40\t5040\tnew\t6\n",
				 TL_BUILD_ALL);
	assert_string_equal(groups(t), "build 1,build 2");
	assert_string_equal(label(t, 4), "new.o");
	tl_trace_free(t);
}

/* Lines ninja skips: blank, '#' (a second signature), a last line cut short. */
static void test_skipped_lines(void **state) {
	(void)state;
	tl_trace *t = read_ok("# ninja log v5\n"
			      "0\t1\t1\ta\t1\n"
			      "\n"
			      "# ninja log v5\n"
			      "# start_time end_time mtime command hash\n"
			      "1\t2\t1\tpath with spaces\t2\n"
			      "2\t3\t1");
	size_t n;
	tl_trace_spans(t, &n);
	assert_int_equal(n, 2);
	assert_string_equal(label(t, 1), "path with spaces");
	assert_string_equal(tl_trace_meta_get(t, TL_META_NOTE_PREFIX "comments"),
			    "2 lines starting with '#' skipped, as ninja does");
	assert_string_equal(tl_trace_meta_get(t, TL_META_NOTE_PREFIX "cut"),
			    "the last line is cut short (3 of 5 fields, no line end): skipped, as "
			    "ninja does");
	tl_trace_free(t);
}

/* A path in another encoding (ninja on Windows writes the ANSI code page). */
static void test_path_not_utf8(void **state) {
	(void)state;
	tl_trace *t = read_ok("# ninja log v6\n0\t1\t1\tM\xfcller.o\t1\n");
	assert_string_equal(label(t, 0), "M\xef\xbf\xbdller.o");
	assert_string_equal(tl_trace_meta_get(t, TL_META_NOTE_PREFIX "not_utf8"),
			    "1 output path is not UTF-8: its bytes shown as U+FFFD");
	tl_trace_free(t);
}

static void test_rejections(void **state) {
	(void)state;
	const long last = TL_BUILD_LAST;
	expect_error("# ninja log v4\n1\t2\t3\tout\tcommand\n", last, TL_ERR_INPUT,
		     "n.log:1:14: ninja log version 4 is too old: timeline reads versions 5 to 7 "
		     "(ninja 1.0 and later)");
	expect_error("# ninja log v8\n", last, TL_ERR_INPUT,
		     "n.log:1:14: ninja log version 8 is newer than timeline knows: it reads "
		     "versions 5 to 7");
	expect_error("# ninja log v5\n", last, TL_ERR_INPUT,
		     "n.log:1:1: no entries after the ninja log header: no command has finished");
	expect_error("# ninja log v5\n1\t2\t3\tout\n", last, TL_ERR_INPUT,
		     "n.log:2:10: line has 4 fields, a ninja log entry has 5 (start, end, mtime, "
		     "output, hash)");
	expect_error("# ninja log v5\n1\t2\t3\tout\tab\tcd\n", last, TL_ERR_INPUT,
		     "n.log:2:14: line has more than 5 fields, a ninja log entry has 5 (start, "
		     "end, mtime, output, hash)");
	expect_error("# ninja log v5\n1\t2\t3\ta\t1\n1.5\t2\t3\tout\tab\n", last, TL_ERR_INPUT,
		     "n.log:3:1: start time '1.5' is not a whole number of milliseconds");
	expect_error("# ninja log v5\n1\t\t3\tout\tab\n", last, TL_ERR_INPUT,
		     "n.log:2:3: end time '' is not a whole number of milliseconds");
	expect_error("# ninja log v5\n1\t99999999999999999999\t3\tout\tab\n", last, TL_ERR_INPUT,
		     "n.log:2:3: end time '99999999999999999999' is out of range");
	expect_error("# ninja log v5\n30\t12\t3\tout\tab\n", last, TL_ERR_INPUT,
		     "n.log:2:4: end time 12 ms is before start time 30 ms");
	expect_error("# ninja log v5\n1\t2\tx\tout\tab\n", last, TL_ERR_INPUT,
		     "n.log:2:5: mtime 'x' is not a whole number");
	expect_error("# ninja log v5\n1\t2\t3\t\tab\n", last, TL_ERR_INPUT,
		     "n.log:2:7: empty output path");
	expect_error("# ninja log v4\r\n", last, TL_ERR_INPUT,
		     "n.log:1:14: ninja log version 4 is too old: timeline reads versions 5 to 7 "
		     "(ninja 1.0 and later)");
	expect_error("# ninja log v5\n1\t2\t3\tout\tcommand\n", last, TL_ERR_INPUT,
		     "n.log:2:11: command hash 'command' is not a 64-bit hexadecimal number");
	expect_error("# ninja log v5\n1\t2\t3\tout\t11112222333344445\n", last, TL_ERR_INPUT,
		     "n.log:2:11: command hash '11112222333344445' is not a 64-bit hexadecimal "
		     "number");
	expect_error("# ninja log v5\n1\t2\t3\ta\t1\n", 2, TL_ERR_USAGE,
		     "n.log: --build 2: the log holds 1 build");
	/* Forced on something else. */
	tl_trace *t = NULL;
	struct tl_error err = {0};
	tl_read_opts o = {.format = TL_FORMAT_NINJA};
	assert_int_equal(tl_read_mem("start,stop\n0,1\n", 15, "n.csv", &o, &t, &err), TL_ERR_INPUT);
	assert_string_equal(err.msg, "not a ninja log: the first line is not '# ninja log vN'");
}

/* Detection: the signature, and nothing else taken for it. */
static void test_detection(void **state) {
	(void)state;
	tl_trace *t = read_ok("# ninja log v7\n0\t1\t0\tx\t0\n");
	tl_trace_free(t);
	struct tl_error err = {0};
	/* CSV with a comment line stays CSV. */
	const char *csv = "# ninja notes\nstart,stop\n0,1\n";
	assert_int_equal(tl_read_mem(csv, strlen(csv), "c.csv", NULL, &t, &err), TL_OK);
	tl_trace_free(t);
	/* --build is for ninja logs only. */
	tl_read_opts o = {.build = TL_BUILD_ALL};
	assert_int_equal(tl_read_mem(csv, strlen(csv), "c.csv", &o, &t, &err), TL_ERR_USAGE);
	assert_string_equal(err.msg,
			    "--build picks a build of a ninja log; this input is read as csv");
	tl_format f;
	assert_true(tl_format_from_string("ninja", &f));
	assert_int_equal(f, TL_FORMAT_NINJA);
	assert_string_equal(tl_format_to_string(TL_FORMAT_NINJA), "ninja");
}

/* --max-memory bounds the reader's tables as well as the trace. */
static void test_memory_limit(void **state) {
	(void)state;
	char *log = malloc(1 << 20);
	assert_non_null(log);
	size_t len = (size_t)sprintf(log, "# ninja log v7\n");
	for (int i = 0; len < (1 << 20) - 64; i++) {
		len += (size_t)sprintf(log + len, "%d\t%d\t0\tout%d\t1\n", i, i + 1, i);
	}
	tl_trace *t = NULL;
	struct tl_error err = {0};
	tl_read_opts o = {.max_memory = 256 << 10};
	assert_int_equal(tl_read_mem(log, len, "big.log", &o, &t, &err), TL_ERR_NOMEM);
	assert_non_null(strstr(err.msg, "memory limit reached"));
	assert_null(t);
	o.max_memory = 0;
	assert_int_equal(tl_read_mem(log, len, "big.log", &o, &t, &err), TL_OK);
	tl_trace_free(t);
	free(log);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_versions_read_alike),
		cmocka_unit_test(test_outputs_of_one_command),
		cmocka_unit_test(test_builds),
		cmocka_unit_test(test_output_again_is_a_new_build),
		cmocka_unit_test(test_resumed_builds_stay_apart),
		cmocka_unit_test(test_rewritten_head),
		cmocka_unit_test(test_new_outputs_after_rewrite),
		cmocka_unit_test(test_skipped_lines),
		cmocka_unit_test(test_path_not_utf8),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_detection),
		cmocka_unit_test(test_memory_limit),
	};
	return cmocka_run_group_tests_name("ninja", tests, NULL, NULL);
}
