/* Spark event logs and JSON records: detection, tasks, statuses, cut logs, paths. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <timeline/timeline.h>

#define START(id, stage, att, idx, t, spec)                                                        \
	"{\"Event\":\"SparkListenerTaskStart\",\"Stage ID\":" #stage ",\"Stage Attempt ID\":" #att \
	",\"Task Info\":{\"Task ID\":" #id ",\"Index\":" #idx ",\"Launch Time\":" #t               \
	",\"Executor ID\":\"1\",\"Speculative\":" #spec "}}\n"
#define END(id, stage, att, idx, t0, t1, why)                                                      \
	"{\"Event\":\"SparkListenerTaskEnd\",\"Stage ID\":" #stage ",\"Stage Attempt ID\":" #att   \
	",\"Task End Reason\":{\"Reason\":\"" why "\"},\"Task Info\":{\"Task ID\":" #id            \
	",\"Index\":" #idx ",\"Launch Time\":" #t0 ",\"Finish Time\":" #t1                         \
	",\"Executor ID\":\"1\",\"Speculative\":false}}\n"

static tl_trace *read_as(const char *text, tl_format f, const char *columns) {
	tl_trace *t = NULL;
	struct tl_error err = {0};
	tl_read_opts o = {.format = f, .columns = columns};
	if (tl_read_mem(text, strlen(text), "x.json", &o, &t, &err) != TL_OK) {
		char buf[2048];
		fail_msg("%s", tl_error_format(&err, buf, sizeof(buf)));
	}
	return t;
}

static void expect_error(const char *text, const char *want) {
	tl_trace *t = NULL;
	struct tl_error err = {0};
	assert_int_equal(tl_read_mem(text, strlen(text), "x.json", NULL, &t, &err), TL_ERR_INPUT);
	char buf[2048];
	assert_string_equal(tl_error_format(&err, buf, sizeof(buf)), want);
	assert_null(t);
}

/* The name of group 0 of text read with the format told from its content. */
static void expect_group0(const char *text, const char *want) {
	tl_trace *t = read_as(text, TL_FORMAT_AUTO, NULL);
	assert_string_equal(tl_trace_group_label(t, 0), want);
	tl_trace_free(t);
}

static void test_tasks_statuses_groups(void **state) {
	(void)state;
	tl_trace *t = read_as(
		"{\"Event\":\"SparkListenerLogStart\"}\n" START(7, 2, 0, 0, 1700000001000, false)
			END(7, 2, 0, 0, 1700000001000, 1700000002000,
			    "Success") END(8, 2, 1, 3, 1700000001500, 1700000001600, "TaskKilled")
				END(9, 10, 0, 1, 1700000001000, 1700000001100, "FetchFailed")
					START(10, 2, 0, 4, 1700000001700, true),
		TL_FORMAT_AUTO, NULL);
	size_t n;
	const tl_span *s = tl_trace_spans(t, &n);
	assert_int_equal(n, 4);
	/* Groups in stage order: "stage 2", its retry "stage 2.1", then "stage 10". */
	assert_string_equal(tl_trace_group_name(t, 0), "stage 2");
	assert_string_equal(tl_trace_group_name(t, 1), "stage 2.1");
	assert_string_equal(tl_trace_group_name(t, 2), "stage 10");
	assert_int_equal(s[0].job, 7);
	assert_int_equal(s[0].status, 0);
	assert_int_equal(s[0].stop - s[0].start, 1000000000);
	assert_string_equal(tl_trace_str(t, s[0].label), "stage 2.0 task 0");
	/* Never ended: unfinished to the log's latest time; a speculative copy says so. */
	assert_int_equal(s[1].status, TL_EXIT_UNFINISHED);
	assert_int_equal(s[1].stop, 1000000000);
	assert_string_equal(tl_trace_str(t, s[1].label), "stage 2.0 task 4 (speculative)");
	assert_int_equal(s[2].status, TL_EXIT_CANCELLED);
	assert_int_equal(s[3].status, 1);
	assert_string_equal(tl_trace_str(t, s[3].worker), "1");
	tl_trace_free(t);
}

static void test_cut_last_line(void **state) {
	(void)state;
	tl_trace *t =
		read_as(START(1, 0, 0, 0, 1700000001000, false) "{\"Event\":\"SparkListenerTa",
			TL_FORMAT_AUTO, NULL);
	assert_non_null(tl_trace_meta_get(t, "note.cut"));
	tl_trace_free(t);
	expect_error(START(1, 0, 0, 0, 1700000001000, false) "{\"Event\":\"SparkListenerTaskEnd\","
							     "}\n" START(2, 0, 0, 0, 1, false),
		     "x.json:2:33: invalid JSON in a Spark event");
}

/*
 * A note is never cut, however long: the skipped events' note quotes the
 * first one's message after its file's name, and a long path once pushed
 * the message out of a note cut at 600 bytes.
 */
static void test_long_note_whole(void **state) {
	(void)state;
	char name[560];
	memset(name, 'd', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	const char *log = START(
		1, 0, 0, 0, 1700000001000,
		false) "{\"Event\":\"SparkListenerTaskStart\",\"Task Info\":{\"Launch Time\":1}}\n";
	tl_trace *t = NULL;
	struct tl_error err = {0};
	assert_int_equal(tl_read_mem(log, strlen(log), name, NULL, &t, &err), TL_OK);
	char want[1024];
	snprintf(want, sizeof(want),
		 "1 task event skipped; the first: %s:2:1: a task with no \"Task ID\" number",
		 name);
	assert_true(strlen(want) > 600);
	assert_string_equal(tl_trace_meta_get(t, "note.skipped"), want);
	tl_trace_free(t);
}

static void test_detection(void **state) {
	(void)state;
	/* A bare array of events with "ph" stays a Chrome trace (a group per pid); without,
	 * records. */
	expect_group0("[{\"ts\":1,\"dur\":2,\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"tid\":1}]",
		      "pid 1");
	expect_group0("[{\"ts\":1,\"dur\":2,\"name\":\"a\",\"group\":\"g\"}]", "g");
	expect_group0("{\"jobs\":[{\"start\":1,\"stop\":2,\"mode\":\"m\"}]}", "m");
	expect_group0("{\"start\":1,\"stop\":2,\"run\":\"r1\"}\n{\"start\":2,\"stop\":3}\n", "r1");
	expect_group0(START(1, 4, 0, 0, 1700000001000, false), "stage 4");
}

static void test_records_paths_and_values(void **state) {
	(void)state;
	tl_trace *t =
		read_as("{\"a\":{\"b\":\"2024-05-01T10:00:00Z\"},\"c\":[\"2024-05-01T11:00:"
			"05+01:00\"],\"worker\":3,\"status\":\"failure\"}\n"
			"{\"a\":{\"b\":\"2024-05-01T10:00:01Z\"},\"c\":[null],\"worker\":3}\n",
			TL_FORMAT_RECORDS, "start=a.b,stop=c.0");
	size_t n;
	const tl_span *s = tl_trace_spans(t, &n);
	assert_int_equal(n, 2);
	assert_int_equal(s[0].stop, 5000000000);
	assert_int_equal(s[0].status, 1);
	assert_string_equal(tl_trace_str(t, s[0].worker), "3");
	assert_int_equal(s[1].status, TL_EXIT_UNFINISHED);
	tl_trace_free(t);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tasks_statuses_groups),
		cmocka_unit_test(test_cut_last_line),
		cmocka_unit_test(test_long_note_whole),
		cmocka_unit_test(test_detection),
		cmocka_unit_test(test_records_paths_and_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
