/* GNU parallel joblogs: columns, hosts, statuses, epoch origin, rejections. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <timeline/timeline.h>

#define HEAD "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand"

static tl_trace *read_ok(const char *log) {
	tl_trace *t = NULL;
	struct tl_error err = {0};
	if (tl_read_mem(log, strlen(log), "j.log", NULL, &t, &err) != TL_OK) {
		char buf[2048];
		fail_msg("%s", tl_error_format(&err, buf, sizeof(buf)));
	}
	return t;
}

static void expect_error(const char *log, const char *want) {
	tl_trace *t = NULL;
	struct tl_error err = {0};
	assert_int_equal(tl_read_mem(log, strlen(log), "j.log", NULL, &t, &err), TL_ERR_INPUT);
	char buf[2048];
	assert_string_equal(tl_error_format(&err, buf, sizeof(buf)), want);
	assert_null(t);
}

static void test_columns_hosts_statuses(void **state) {
	(void)state;
	tl_trace *t = read_ok("\xef\xbb\xbf" HEAD "\r\n"
			      "2\t:\t1700000000.500\t     0.250\t0\t0\t0\t0\tsleep 0.25\r\n"
			      "\r\n"
			      "1\tbox2\t1700000000.000\t     1.000\t0\t0\t3\t0\tsh -c\texit 3\r\n"
			      "3\t:\t1700000001.000\t     0.100\t0\t0\t0\t15\tsleep 9\r\n");
	size_t n;
	const tl_span *s = tl_trace_spans(t, &n);
	assert_int_equal(n, 3);
	/* Completion order is kept; Seq is the job. */
	assert_int_equal(s[0].job, 2);
	assert_int_equal(s[1].job, 1);
	/* Times relative to the earliest start, with the origin kept. */
	assert_int_equal(s[1].start, 0);
	assert_int_equal(s[0].start, 500000000);
	assert_int_equal(s[0].stop, 750000000);
	assert_string_equal(tl_trace_meta_get(t, "epoch_ns"), "1700000000000000000");
	/* Hosts are groups; ":" is the local machine. */
	assert_string_equal(tl_trace_group_name(t, s[0].group), "local");
	assert_string_equal(tl_trace_group_name(t, s[1].group), "box2");
	/* Exit values and signals. */
	assert_int_equal(s[0].status, 0);
	assert_int_equal(s[1].status, 3);
	assert_int_equal(s[2].status, TL_EXIT_SIGNAL(15));
	/* A command with a tab is kept whole. */
	assert_string_equal(tl_trace_str(t, s[1].label), "sh -c\texit 3");
	tl_trace_free(t);
}

static void test_rejections(void **state) {
	(void)state;
	expect_error(HEAD "\n", "j.log:1:1: no jobs after the joblog header");
	expect_error("Seq\tHost\tStarttime\tJobRuntime\tSend\n1\t:\t1\t1\t0\n",
		     "j.log:1:1: not a GNU parallel joblog: the header has no Exitval column");
	expect_error(HEAD "\n1\t:\t1700000000\t-1\t0\t0\t0\t0\tx\n",
		     "j.log:2:16: JobRuntime '-1' is negative");
	expect_error(HEAD "\n1\t:\tnan\t1\t0\t0\t0\t0\tx\n",
		     "j.log:2:5: Starttime 'nan' is not a finite number");
	expect_error(HEAD "\n1\t:\t1\t1\t0\t0\t0\t0\tcaf\xe9\n", "j.log:2:20: invalid UTF-8");
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_columns_hosts_statuses),
		cmocka_unit_test(test_rejections),
	};
	return cmocka_run_group_tests_name("joblog", tests, NULL, NULL);
}
