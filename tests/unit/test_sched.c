/*
 * Scheduler logs: Slurm sacct --parsable2 and Nextflow trace files (fields,
 * steps, statuses, waits, notes, rejections), and the cluster figures of
 * tl_trace_stats() on hand-computed numbers.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <timeline/timeline.h>

#define S INT64_C(1000000000)

static tl_trace *read_with(const char *text, tl_read_opts o) {
	tl_trace *t = NULL;
	struct tl_error err = {0};
	if (tl_read_mem(text, strlen(text), "log", &o, &t, &err) != TL_OK) {
		char buf[2048];
		fail_msg("%s", tl_error_format(&err, buf, sizeof(buf)));
	}
	return t;
}

static void expect_error(const char *text, tl_read_opts o, const char *want) {
	tl_trace *t = NULL;
	struct tl_error err = {0};
	assert_int_equal(tl_read_mem(text, strlen(text), "log", &o, &t, &err), TL_ERR_INPUT);
	char buf[2048];
	assert_string_equal(tl_error_format(&err, buf, sizeof(buf)), want);
	assert_null(t);
}

#define SACCT_HEAD "JobID|JobName|Partition|NodeList|Submit|Start|End|Elapsed|State|ExitCode\n"

static void test_slurm_jobs(void **state) {
	(void)state;
	tl_trace *t = read_with(
		SACCT_HEAD "7_1|a|cpu|n[01-02]|2023-01-05T10:00:00|2023-01-05T10:00:10|"
			   "2023-01-05T10:01:00|00:00:50|FAILED|1:0\n"
			   "7_1.batch|batch||n01|2023-01-05T10:00:10|2023-01-05T10:00:10|"
			   "2023-01-05T10:01:00|00:00:50|FAILED|1:0\n"
			   "8|b|gpu|g1|2023-01-05T10:00:00|2023-01-05T10:00:05|Unknown|00:00:30|"
			   "RUNNING|0:0\n"
			   "9|c|gpu|g1|2023-01-05T10:00:00|2023-01-05T10:00:06|2023-01-05T10:00:07|"
			   "00:00:01|FAILED|0:9\n"
			   "10|d|gpu|None assigned|2023-01-05T10:00:00|Unknown|Unknown|00:00:00|"
			   "PENDING|0:0\n"
			   "11|e|cpu|n02|2023-01-05T10:00:00|2023-01-05T10:00:20|"
			   "2023-01-05T10:00:30|00:00:10|CANCELLED by 1000|0:15\n",
		(tl_read_opts){0});
	size_t n;
	const tl_span *s = tl_trace_spans(t, &n);
	assert_int_equal(n, 4);
	/* Times from the earliest start, 10:00:05. */
	assert_int_equal(s[0].start, 5 * S);
	assert_int_equal(s[0].stop, 55 * S);
	assert_int_equal(s[0].wait, 10 * S);
	assert_int_equal(s[0].status, 1);
	assert_string_equal(tl_trace_str(t, s[0].label), "a (7_1)");
	assert_string_equal(tl_trace_str(t, s[0].worker), "n01");
	assert_string_equal(tl_trace_group_name(t, s[0].group), "cpu");
	/* End Unknown: to Start + Elapsed, unfinished. */
	assert_int_equal(s[1].stop, 30 * S);
	assert_int_equal(s[1].status, TL_EXIT_UNFINISHED);
	assert_int_equal(s[2].status, TL_EXIT_SIGNAL(9));
	assert_int_equal(s[3].status, TL_EXIT_CANCELLED);
	assert_int_equal(s[3].job, 4);
	assert_string_equal(tl_trace_meta_get(t, TL_META_QUEUED), "1");
	assert_string_equal(tl_trace_meta_get(t, "note.slurm.steps"),
			    "1 job step (123.batch, 123.0) not drawn: --slurm-steps draws them");
	assert_string_equal(tl_trace_meta_get(t, "note.slurm.pending"),
			    "1 job that never started (pending, or cancelled while pending): not "
			    "drawn");
	assert_string_equal(tl_trace_meta_get(t, "note.slurm.nodes"),
			    "1 job ran on several nodes: each is drawn on its first node");
	tl_trace_free(t);
}

static void test_slurm_steps_and_nodes(void **state) {
	(void)state;
	const char *log = "JobID::Partition::NodeList::Start::End::State::ExitCode::\n"
			  "5::p::x1::2023-01-05T10:00:00::2023-01-05T10:00:09::COMPLETED::0:0::\n"
			  "5.0::::x1::2023-01-05T10:00:01::2023-01-05T10:00:08::COMPLETED::0:0::\n";
	tl_trace *t = read_with(log, (tl_read_opts){.steps = true});
	size_t n;
	const tl_span *s = tl_trace_spans(t, &n);
	assert_int_equal(n, 2);
	/* A step is in its job's partition, labelled with its JobID. */
	assert_int_equal(s[1].group, s[0].group);
	assert_string_equal(tl_trace_str(t, s[1].label), "5.0");
	assert_null(tl_trace_meta_get(t, TL_META_QUEUED));
	tl_trace_free(t);
	t = read_with(log, (tl_read_opts){.group_by = TL_GROUP_BY_NODE});
	assert_string_equal(tl_trace_group_name(t, 0), "x1");
	tl_trace_free(t);
}

static void test_slurm_noheader(void **state) {
	(void)state;
	/* A snowman delimiter, no header: --fields says the order. */
	tl_read_opts o = {.fields = "State,JobID,JobName%20,Start,End"};
	tl_trace *t = read_with("COMPLETED\xe2\x98\x83"
				"3\xe2\x98\x83j\xe2\x98\x83"
				"2023-01-05T10:00:00\xe2\x98\x83"
				"2023-01-05T10:00:02\n",
				o);
	size_t n;
	const tl_span *s = tl_trace_spans(t, &n);
	assert_int_equal(n, 1);
	assert_int_equal(s[0].stop, 2 * S);
	tl_trace_free(t);
	expect_error("1|2023-01-05T10:00:00\n", (tl_read_opts){.format = TL_FORMAT_SLURM},
		     "log:1:1: no sacct header (JobID|...): for sacct --noheader output, give the "
		     "fields as --format had them with --fields JobID,Start,End,...");
}

static void test_slurm_rejections(void **state) {
	(void)state;
	expect_error("JobID|JobName|Partition|Account|AllocCPUS|State|ExitCode\n1|a|p|x|1|"
		     "COMPLETED|0:0\n",
		     (tl_read_opts){0},
		     "log:1:1: sacct output without a Start field: nothing to draw (sacct's "
		     "default fields have no times; run it with --format=JobID,JobName,Partition,"
		     "NodeList,Submit,Start,End,Elapsed,State,ExitCode)");
	expect_error("JobID|Start|End\n1|2023-01-05 10:00|yesterday\n", (tl_read_opts){0},
		     "log:2:20: End 'yesterday' is not a date-time like 2023-01-05T10:00:00");
	expect_error("JobID|Start|End\n1|2023-01-05T10:00:00\n", (tl_read_opts){0},
		     "log:2:22: line has 2 fields, the header has 3");
	expect_error("JobID|Start|End\nx|2023-01-05T10:00:00|2023-01-05T10:00:00\n",
		     (tl_read_opts){0}, "log:2:1: JobID 'x' is not a Slurm job id");
	expect_error("JobID|Start|End\n", (tl_read_opts){0},
		     "log:1:1: no jobs after the sacct header");
	/* Comments alone, no line end: the error pointed past the last line (fuzzing). */
	expect_error("#Ss", (tl_read_opts){.format = TL_FORMAT_SLURM},
		     "log:1:1: no sacct header (JobID|...): for sacct --noheader output, give the "
		     "fields as --format had them with --fields JobID,Start,End,...");
}

#define NF_HEAD "task_id\thash\tnative_id\tname\tstatus\texit\tsubmit\tduration\trealtime\n"

static void test_nextflow_tasks(void **state) {
	(void)state;
	tl_trace *t = read_with(
		NF_HEAD "1\t1a/000000\t11\tFASTQC (s1)\tCOMPLETED\t0\t2023-05-04 15:46:02.000"
			"\t1m 4s\t4s\n"
			"2\t2b/000000\t12\tFASTQC (s2)\tFAILED\t137\t2023-05-04 15:46:03.500"
			"\t2.5s\t184ms\n"
			"3\t3c/000000\t13\tALIGN\tCACHED\t0\t2023-05-04 15:46:00.000\t1s\t1s\n"
			"4\t4d/000000\t14\tALIGN\tABORTED\t-\t2023-05-04 15:46:00.000\t-\t-\n",
		(tl_read_opts){0});
	size_t n;
	const tl_span *s = tl_trace_spans(t, &n);
	assert_int_equal(n, 2);
	/* submit + duration - realtime: 15:47:02 for task 1, the earliest is task 2's. */
	assert_int_equal(s[1].start, 0);
	assert_int_equal(s[1].stop, 184000000);
	assert_int_equal(s[1].wait, 2316000000);
	assert_int_equal(s[1].status, 137);
	assert_int_equal(s[0].job, 1);
	assert_int_equal(s[0].stop - s[0].start, 4 * S);
	assert_int_equal(s[0].wait, 60 * S);
	assert_string_equal(tl_trace_group_name(t, s[0].group), "FASTQC");
	assert_string_equal(tl_trace_str(t, s[0].label), "FASTQC (s1)");
	assert_string_equal(tl_trace_meta_get(t, "note.nextflow.cached"),
			    "1 CACHED task (done by an earlier run) not drawn");
	assert_string_equal(
		tl_trace_meta_get(t, "note.nextflow.untimed"),
		"1 task without times (not started, or ABORTED before they ran) not drawn");
	tl_trace_free(t);
}

static void test_nextflow_raw(void **state) {
	(void)state;
	tl_trace *t =
		read_with("task_id,hash,native_id,name,status,exit,submit,duration,realtime,"
			  "start,complete,process,hostname\n"
			  "6,c6/d3ff54,1,P (a),COMPLETED,0,1759849601467,524,500,1759849601546,"
			  "1759849601991,NF:P,h1\n",
			  (tl_read_opts){0});
	size_t n;
	const tl_span *s = tl_trace_spans(t, &n);
	assert_int_equal(n, 1);
	assert_int_equal(s[0].stop - s[0].start, 445000000);
	assert_int_equal(s[0].wait, 79000000);
	assert_string_equal(tl_trace_group_name(t, 0), "NF:P");
	assert_string_equal(tl_trace_str(t, s[0].worker), "h1");
	tl_trace_free(t);
	expect_error(NF_HEAD "1\ta\tb\tX\tCOMPLETED\t0\t2023-05-04 15:46:02.000\tlong\t1s\n",
		     (tl_read_opts){0}, "log:2:45: duration 'long' is not a duration like 1m 4s");
}

/*
 * Detection: the new readers take their headers and leave CSV alone, even a
 * comma-separated table with sacct-like names.
 */
static void test_detection_holds(void **state) {
	(void)state;
	tl_trace *t = read_with("JobID,Start,End\n1,0,2\n2,1,3\n", (tl_read_opts){0});
	assert_null(tl_trace_meta_get(t, TL_META_QUEUED));
	size_t n;
	tl_trace_spans(t, &n);
	assert_int_equal(n, 2);
	tl_trace_free(t);
	t = read_with("task_id,name,start,complete\n1,a,0,2\n", (tl_read_opts){0});
	tl_trace_spans(t, &n);
	assert_int_equal(n, 1);
	tl_trace_free(t);
}

/*
 * Cluster figures by hand: group of two workers over [0, 10] s; job 1 on
 * w1 [0, 4], job 2 on w2 [0, 6], job 3 on w1 [5, 10]. Busy 4 + 6 + 5 = 15 s,
 * utilisation 15 / (2 × 10) = 0.75; straggler job 3, alone from 6 s (job
 * 2's stop) to 10 s: 4 s. Waits 1, 2, 4 s: mean 7/3 s, max 4 s.
 */
static void test_cluster_stats(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g;
	tl_str w1, w2, l3;
	assert_int_equal(tl_trace_group(t, "g", 1, &g, NULL), TL_OK);
	assert_int_equal(tl_trace_intern(t, "w1", 2, &w1, NULL), TL_OK);
	assert_int_equal(tl_trace_intern(t, "w2", 2, &w2, NULL), TL_OK);
	assert_int_equal(tl_trace_intern(t, "last", 4, &l3, NULL), TL_OK);
	tl_span sp[] = {{.start = 0, .stop = 4 * S, .job = 1, .worker = w1, .wait = 1 * S},
			{.start = 0, .stop = 6 * S, .job = 2, .worker = w2, .wait = 2 * S},
			{.start = 5 * S,
			 .stop = 10 * S,
			 .job = 3,
			 .worker = w1,
			 .label = l3,
			 .wait = 4 * S}};
	for (int i = 0; i < 3; i++) {
		assert_int_equal(tl_trace_add_span(t, &sp[i], NULL), TL_OK);
	}
	tl_group_stats *st = NULL;
	assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
	assert_true(st[0].utilisation > 0.75 - 1e-12 && st[0].utilisation < 0.75 + 1e-12);
	assert_int_equal(st[0].straggler, 3);
	assert_int_equal(st[0].straggler_label, l3);
	assert_int_equal(st[0].straggler_alone, 4 * S);
	/* Waits unknown until the trace says they are. */
	assert_false(st[0].queued);
	assert_int_equal(st[0].wait_mean, 0);
	free(st);
	assert_int_equal(tl_trace_meta_set(t, TL_META_QUEUED, "1", NULL), TL_OK);
	assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
	assert_true(st[0].queued);
	assert_int_equal(st[0].wait_mean, 2333333333);
	assert_int_equal(st[0].wait_max, 4 * S);
	free(st);
	/* Another job ending at the same time: nobody ran alone. */
	tl_span tie = {.start = 9 * S, .stop = 10 * S, .job = 4, .worker = w2};
	assert_int_equal(tl_trace_add_span(t, &tie, NULL), TL_OK);
	assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
	assert_int_equal(st[0].straggler_alone, 0);
	free(st);
	tl_trace_free(t);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slurm_jobs),
		cmocka_unit_test(test_slurm_steps_and_nodes),
		cmocka_unit_test(test_slurm_noheader),
		cmocka_unit_test(test_slurm_rejections),
		cmocka_unit_test(test_nextflow_tasks),
		cmocka_unit_test(test_nextflow_raw),
		cmocka_unit_test(test_detection_holds),
		cmocka_unit_test(test_cluster_stats),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
