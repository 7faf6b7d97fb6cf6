/* Chrome Trace Event JSON: exact times, lenient forms Perfetto reads, B/E matching, names. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "samples.h"
#include <timeline/timeline.h>

static tl_trace *read_ok(const char *json) {
	tl_trace *t = NULL;
	struct tl_error err = {0};
	if (tl_read_mem(json, strlen(json), "t.json", NULL, &t, &err) != TL_OK) {
		char buf[2048];
		fail_msg("%s", tl_error_format(&err, buf, sizeof(buf)));
	}
	return t;
}

static void expect_error(const char *json, const char *want) {
	tl_trace *t = NULL;
	struct tl_error err = {0};
	assert_int_equal(tl_read_mem(json, strlen(json), "t.json", NULL, &t, &err), TL_ERR_INPUT);
	char buf[2048];
	assert_string_equal(tl_error_format(&err, buf, sizeof(buf)), want);
	assert_null(t);
}

/* ts and dur are read from their text: epoch-sized times keep every nanosecond. */
static void test_exact_nanoseconds(void **state) {
	(void)state;
	tl_trace *t = read_ok("[{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"tid\":1,"
			      "\"ts\":1700000000123456.789,\"dur\":0.211}]");
	size_t n;
	const tl_span *s = tl_trace_spans(t, &n);
	assert_int_equal(n, 1);
	assert_string_equal(tl_trace_meta_get(t, "epoch_ns"), "1700000000123456789");
	assert_int_equal(s[0].start, 0);
	assert_int_equal(s[0].stop, 211);
	tl_trace_free(t);
	/* Exponents and spaces around the number, as JSON allows. */
	t = read_ok("[{\"ph\":\"X\" , \"ts\" : 1.5e3 , \"dur\" : 25E-1 ,\"pid\":1}]");
	s = tl_trace_spans(t, &n);
	assert_int_equal(n, 1);
	/* A clock that is not the epoch: the trace starts at 0, the clock's reading kept. */
	assert_int_equal(s[0].start, 0);
	assert_int_equal(s[0].stop, 2500);
	assert_string_equal(tl_trace_meta_get(t, "clock_ns"), "1500000");
	tl_trace_free(t);
	/* A "ts" inside args is not the event's. */
	t = read_ok("[{\"ph\":\"X\",\"args\":{\"ts\":5,\"dur\":7},\"ts\":1.0005,\"dur\":2}]");
	s = tl_trace_spans(t, &n);
	assert_int_equal(s[0].start, 0);
	assert_int_equal(s[0].stop, 2000);
	assert_string_equal(tl_trace_meta_get(t, "clock_ns"), "1001");
	tl_trace_free(t);
	expect_error("[{\"ph\":\"X\",\"ts\":1e300,\"pid\":1}]",
		     "t.json:1:2: \"ts\" is out of range");
}

/* Numeric strings (Hermes writes "ts":"11550183666"), and a comma before the first event. */
static void test_string_times_leading_comma(void **state) {
	(void)state;
	tl_trace *t = read_ok("[\n,{\"ph\":\"X\",\"pid\":1,\"ts\":\"11550183666.0015\","
			      "\"dur\":\"2.5\"}\n]");
	size_t n;
	const tl_span *s = tl_trace_spans(t, &n);
	assert_int_equal(n, 1);
	assert_int_equal(s[0].start, 0);
	assert_int_equal(s[0].stop, 2500);
	assert_string_equal(tl_trace_meta_get(t, "clock_ns"), "11550183666002");
	tl_trace_free(t);
	t = read_ok("{\"traceEvents\":[ , {\"ph\":\"i\",\"pid\":1,\"ts\":\"7\"}]}");
	const tl_sample *sa = test_samples(t, &n);
	assert_int_equal(n, 1);
	assert_int_equal(sa[0].t, 0);
	assert_string_equal(tl_trace_meta_get(t, "clock_ns"), "7000");
	tl_trace_free(t);
	expect_error("[{\"ph\":\"X\",\"pid\":1,\"ts\":\"1\",\"dur\":\"\"}]",
		     "t.json:1:2: \"dur\" is not a number");
	expect_error("[{\"ph\":\"X\",\"pid\":1,\"ts\":\"9e99\"}]",
		     "t.json:1:2: \"ts\" is out of range");
	/* Only one comma may lead. */
	expect_error("[,,{\"ph\":\"X\",\"pid\":1,\"ts\":1}]",
		     "t.json:1:3: invalid JSON in a trace event");
}

static const char *label_of(const tl_trace *t, const tl_span *s) {
	return tl_trace_str(t, s->label);
}

/*
 * B/E events are matched per thread in time order, not file order; an E with
 * nothing open is skipped and noted; the B names the span.
 */
static void test_begin_end_matching(void **state) {
	(void)state;
	tl_trace *t = read_ok("[{\"name\":\"\",\"ph\":\"E\",\"pid\":1,\"tid\":1,\"ts\":30},"
			      "{\"name\":\"outer\",\"ph\":\"B\",\"pid\":1,\"tid\":1,\"ts\":10},"
			      "{\"name\":\"e\",\"ph\":\"E\",\"pid\":1,\"tid\":1,\"ts\":40},"
			      "{\"name\":\"inner\",\"ph\":\"B\",\"pid\":1,\"tid\":1,\"ts\":20},"
			      "{\"name\":\"\",\"ph\":\"E\",\"pid\":1,\"tid\":1,\"ts\":5},"
			      "{\"name\":\"\",\"ph\":\"B\",\"pid\":1,\"tid\":2,\"ts\":0},"
			      "{\"name\":\"from E\",\"ph\":\"E\",\"pid\":1,\"tid\":2,\"ts\":60}]");
	size_t n;
	const tl_span *s = tl_trace_spans(t, &n);
	assert_int_equal(n, 3);
	/* Spans where their E is in the file. */
	assert_string_equal(label_of(t, &s[0]), "inner");
	assert_int_equal(s[0].start, 20000);
	assert_int_equal(s[0].stop, 30000);
	assert_string_equal(label_of(t, &s[1]), "outer");
	assert_int_equal(s[1].start, 10000);
	assert_int_equal(s[1].stop, 40000);
	assert_string_equal(label_of(t, &s[2]), "from E");
	assert_int_equal(s[2].start, 0);
	assert_int_equal(s[2].stop, 60000);
	assert_string_equal(tl_trace_meta_get(t, "note.unmatched_end"),
			    "1 end event (E, e) with nothing open skipped");
	assert_null(tl_trace_meta_get(t, "note.unfinished"));
	tl_trace_free(t);
	/* Equal times keep the file's order: this E comes before its B, which stays open. */
	t = read_ok("[{\"name\":\"x\",\"ph\":\"X\",\"pid\":1,\"tid\":1,\"ts\":0,\"dur\":9},"
		    "{\"ph\":\"E\",\"pid\":1,\"tid\":1,\"ts\":5},"
		    "{\"name\":\"b\",\"ph\":\"B\",\"pid\":1,\"tid\":1,\"ts\":5},"
		    "{\"ph\":\"E\",\"pid\":1,\"tid\":9,\"ts\":1}]");
	s = tl_trace_spans(t, &n);
	assert_int_equal(n, 2);
	assert_string_equal(label_of(t, &s[1]), "b");
	assert_int_equal(s[1].start, 5000);
	assert_int_equal(s[1].stop, 9000);
	assert_int_equal(s[1].status, TL_EXIT_UNFINISHED);
	assert_string_equal(tl_trace_meta_get(t, "note.unmatched_end"),
			    "2 end events (E, e) with nothing open skipped");
	assert_string_equal(
		tl_trace_meta_get(t, "note.unfinished"),
		"1 begin event (B, b) never ended: unfinished, drawn to the end of their "
		"process");
	tl_trace_free(t);
	/* Nothing but an unmatched E: no spans. */
	expect_error("[{\"ph\":\"E\",\"pid\":1,\"tid\":1,\"ts\":5}]",
		     "t.json:1:1: no spans or samples in the trace (X, B/E or instant events)");
}

#define M(what, pid, tid, name)                                                                    \
	"{\"name\":\"" what "_name\",\"ph\":\"M\",\"pid\":" #pid ",\"tid\":" #tid                  \
	",\"args\":{\"name\":\"" name "\"}},"
#define X(pid, tid) "{\"ph\":\"X\",\"pid\":" #pid ",\"tid\":" #tid ",\"ts\":0,\"dur\":1},"

/* Threads or processes that share a name stay apart; one named "" is named by its id. */
/* Counters, flows and async events are not drawn, and the notes say how many. */
static void test_not_drawn_counted(void **state) {
	(void)state;
	tl_trace *t =
		read_ok("[{\"ph\":\"X\",\"pid\":1,\"tid\":1,\"ts\":0,\"dur\":5},"
			"{\"ph\":\"C\",\"pid\":1,\"tid\":1,\"ts\":1,\"args\":{\"x\":1}},"
			"{\"ph\":\"C\",\"pid\":1,\"tid\":1,\"ts\":2,\"args\":{\"x\":2}},"
			"{\"ph\":\"s\",\"pid\":1,\"tid\":1,\"ts\":1,\"id\":7},"
			"{\"ph\":\"T\",\"pid\":1,\"tid\":1,\"ts\":1,\"id\":7,\"cat\":\"c\"}]");
	assert_string_equal(tl_trace_meta_get(t, "note.not_drawn"),
			    "4 events not drawn (2 counter, 1 flow, 1 other): only complete (X), "
			    "duration (B/E), async (b/e, S/F) and instant events are drawn");
	tl_trace_free(t);
	t = read_ok("[{\"ph\":\"X\",\"pid\":1,\"tid\":1,\"ts\":0,\"dur\":5}]");
	assert_null(tl_trace_meta_get(t, "note.not_drawn"));
	tl_trace_free(t);
	/* clang's summaries ("Total ...", with their mean) are not work on the timeline. */
	t = read_ok("[{\"ph\":\"X\",\"pid\":1,\"tid\":1,\"ts\":10,\"dur\":5,\"name\":\"Total "
		    "Parse\"},{\"ph\":\"X\",\"pid\":1,\"tid\":2,\"ts\":0,\"dur\":5,\"name\":"
		    "\"Total Parse\",\"args\":{\"count\":1,\"avg ms\":0}}]");
	size_t n;
	tl_trace_spans(t, &n);
	assert_int_equal(n, 1); /* a span merely named so stays */
	assert_string_equal(
		tl_trace_meta_get(t, "note.summaries"),
		"1 summary event (clang's \"Total ...\") not drawn nor counted: they sum "
		"the others");
	tl_trace_free(t);
	/* systrace's ftrace text: said, not misread. */
	expect_error(
		"{\"systemTraceEvents\":\"# tracer: nop\\n\"}",
		"t.json:1:2: \"systemTraceEvents\" (ftrace text, as systrace writes it) is not "
		"supported: open it in Perfetto, or give a trace with \"traceEvents\"");
	t = read_ok("{\"traceEvents\":[{\"ph\":\"X\",\"pid\":1,\"tid\":1,\"ts\":0,\"dur\":5}],"
		    "\"systemTraceEvents\":\"\"}");
	assert_non_null(tl_trace_meta_get(t, "note.system"));
	tl_trace_free(t);
}

static void test_shared_names(void **state) {
	(void)state;
	tl_trace *t = read_ok(
		"[" M("process", 1, 0, "app") M("process", 2, 0, "app") M("process", 3, 0, "") M(
			"thread", 1, 1, "Worker") M("thread", 1, 2, "Worker") M("thread", 1, 3, "")
			M("thread", 2, 1, "Worker") X(1, 1) X(1, 2) X(1, 3) X(2, 1) X(3, 5)
				X(1, 4) "{\"ph\":\"i\",\"pid\":1,\"tid\":1,\"ts\":0}]");
	size_t n;
	const tl_span *s = tl_trace_spans(t, &n);
	assert_int_equal(n, 6);
	assert_int_equal(tl_trace_group_count(t), 3);
	assert_string_equal(tl_trace_group_name(t, s[0].group), "app (pid 1)");
	assert_string_equal(tl_trace_group_name(t, s[3].group), "app (pid 2)");
	assert_string_equal(tl_trace_group_name(t, s[4].group), "pid 3");
	assert_string_equal(tl_trace_str(t, s[0].worker), "Worker (tid 1)");
	assert_string_equal(tl_trace_str(t, s[1].worker), "Worker (tid 2)");
	assert_string_equal(tl_trace_str(t, s[2].worker), "tid 3");
	assert_string_equal(tl_trace_str(t, s[3].worker), "Worker");
	assert_string_equal(tl_trace_str(t, s[4].worker), "tid 5");
	assert_string_equal(tl_trace_str(t, s[5].worker), "tid 4");
	const tl_sample *sa = test_samples(t, &n);
	assert_int_equal(n, 1);
	assert_string_equal(tl_trace_str(t, sa[0].worker), "Worker (tid 1)");
	tl_trace_free(t);
}

/* The name of span i's row (its worker). */
static const char *row_of(const tl_trace *t, size_t i) {
	size_t n;
	const tl_span *s = tl_trace_spans(t, &n);
	assert_true(i < n);
	return tl_trace_str(t, s[i].worker);
}

#define A(ph, ts, cat, id)                                                                         \
	"{\"ph\":\"" ph "\",\"pid\":1,\"tid\":1,\"ts\":" #ts ",\"cat\":\"" cat "\",\"id\":" id     \
	",\"name\":\"" cat "\"},"

/*
 * Async events b/e (and the legacy S/F) are spans on a row per (category,
 * id) of their process, matched like B/E; clang 19 writes its "Source"
 * spans so, nested, all with id 0.
 */
static void test_async_spans(void **state) {
	(void)state;
	tl_trace *t = read_ok("[" M("thread", 1, 1, "clang") X(1, 1) A("b", 10, "Source", "0")
				      A("b", 20, "Source", "0") A("e", 30, "Source", "0")
					      A("e", 40, "Source", "0") A("b", 50, "Source", "0")
						      A("e", 60, "Source",
							"0") "{\"ph\":\"X\",\"pid\":1,"
							     "\"tid\":1,\"ts\":0,\"dur\":100}]");
	size_t n;
	const tl_span *s = tl_trace_spans(t, &n);
	assert_int_equal(n, 5);
	/* Each span where its end event is, as for B/E: inner first. */
	assert_string_equal(row_of(t, 0), "clang");
	assert_string_equal(row_of(t, 1), "Source");
	assert_int_equal(s[1].start, 20000);
	assert_int_equal(s[1].stop, 30000);
	assert_int_equal(s[2].start, 10000);
	assert_int_equal(s[2].stop, 40000);
	assert_int_equal(s[3].start, 50000);
	assert_string_equal(tl_trace_str(t, s[3].label), "Source");
	assert_string_equal(tl_trace_meta_get(t, "note.async"),
			    "3 async spans (b/e) on 1 row of their own, one per category and id");
	tl_group_stats *gs;
	struct tl_error err = {0};
	assert_int_equal(tl_trace_stats(t, &gs, &err), TL_OK);
	assert_int_equal(gs[0].workers, 2);
	assert_int_equal(gs[0].busy, 100000 + 30000 + 10000); /* nested spans count once */
	free(gs);
	tl_trace_free(t);

	/* Several ids of a category: a row each, named with the id; id2 and legacy S/F too. */
	t = read_ok("[" A("b", 0, "net", "\"0x1f\"") A("b", 1, "net", "\"0x20\"") A(
		"e", 5, "net", "\"0x20\"") A("e", 6, "net", "\"0x1f\"") A("S", 2, "old", "3")
			    A("F", 4, "old",
			      "3") "{\"ph\":\"b\",\"pid\":1,"
				   "\"ts\":7,\"cat\":\"loc\",\"id2\":{\"local\":\"0x9\"}},"
				   "{\"ph\":\"e\",\"pid\":1,\"ts\":8,\"cat\":\"loc\",\"id2\":{"
				   "\"local\":\"0x9\"}},"
				   "{\"ph\":\"n\",\"pid\":1,\"ts\":3,\"cat\":\"old\",\"id\":3}]");
	s = tl_trace_spans(t, &n);
	assert_int_equal(n, 4);
	assert_string_equal(row_of(t, 0), "net 0x20");
	assert_int_equal(s[0].start, 1000);
	assert_int_equal(s[0].stop, 5000);
	assert_string_equal(row_of(t, 1), "net 0x1f");
	assert_string_equal(row_of(t, 2), "old");
	assert_int_equal(s[2].stop - s[2].start, 2000);
	assert_string_equal(row_of(t, 3), "loc");
	const tl_sample *sa = test_samples(t, &n);
	assert_int_equal(n, 1);
	assert_string_equal(tl_trace_str(t, sa[0].worker), "old");
	tl_trace_free(t);

	/*
	 * An e with nothing open is skipped and counted; a b never ended lasts
	 * to the trace's end; a row named like a thread stays apart.
	 */
	t = read_ok("[" M("thread", 1, 1, "io") A("e", 1, "io", "1") A("b", 2, "io", "1")
			    X(1, 1) "{\"ph\":\"X\",\"pid\":1,\"tid\":1,\"ts\":0,\"dur\":9}]");
	s = tl_trace_spans(t, &n);
	assert_int_equal(n, 3);
	assert_string_equal(row_of(t, 2), "io (async)");
	assert_int_equal(s[2].start, 2000);
	assert_int_equal(s[2].stop, 9000);
	assert_string_equal(tl_trace_meta_get(t, "note.unmatched_end"),
			    "1 end event (E, e) with nothing open skipped");
	tl_trace_free(t);
	/* A local and a global id of one value are two operations. */
	t = read_ok("[{\"ph\":\"b\",\"pid\":1,\"ts\":1,\"cat\":\"c\",\"id2\":{\"local\":7}},"
		    "{\"ph\":\"b\",\"pid\":1,\"ts\":2,\"cat\":\"c\",\"id2\":{\"global\":7}},"
		    "{\"ph\":\"e\",\"pid\":1,\"ts\":3,\"cat\":\"c\",\"id2\":{\"local\":7}},"
		    "{\"ph\":\"e\",\"pid\":1,\"ts\":4,\"cat\":\"c\",\"id2\":{\"global\":7}}]");
	s = tl_trace_spans(t, &n);
	assert_int_equal(n, 2);
	assert_int_equal(s[0].start, 0);
	assert_int_equal(s[0].stop, 2000);
	assert_int_equal(s[1].start, 1000);
	assert_int_equal(s[1].stop, 3000);
	assert_true(s[0].worker != s[1].worker);
	tl_trace_free(t);
	expect_error("[{\"ph\":\"b\",\"pid\":1,\"ts\":1,\"id\":[1]}]",
		     "t.json:1:2: an async event's \"id\" is neither a number nor a string");
}

/*
 * PyTorch's Kineto: the CPU and GPU processes are both "python3", told apart
 * by their labels; its profiler window ("Spans") and its instants-only
 * processes ("Traces", "") are bookkeeping, with no panel.
 */
static void test_kineto_processes(void **state) {
	(void)state;
	tl_trace *t = read_ok(
		"{\"traceEvents\":[" M("process", 9, 0, "python3") M("process", 0, 0, "python3") M(
			"process", 3, 0, "python3")
			M("process", 4, 0,
			  "python3") "{\"name\":\"process_labels\",\"ph\":\"M\",\"pid\":9,\"args\":"
				     "{\"labels\":\"CPU\"}},"
				     "{\"name\":\"process_labels\",\"ph\":\"M\",\"pid\":0,\"args\":"
				     "{\"labels\":\"GPU 0\"}},"
				     "{\"name\":\"process_labels\",\"ph\":\"M\",\"pid\":3,\"args\":"
				     "{\"labels\":\"GPU 1\"}},"
				     "{\"name\":\"process_labels\",\"ph\":\"M\",\"pid\":4,\"args\":"
				     "{\"labels\":\"GPU 1\"}}," X(9, 9) X(0, 7) X(3, 7) X(
					     4, 7) "{\"ph\":\"X\",\"cat\":\"Trace\",\"ts\":0,"
						   "\"dur\":40,\"pid\":\"Spans\","
						   "\"tid\":\"PyTorch "
						   "Profiler\",\"name\":\"PyTorch Profiler (0)\"},"
						   "{\"name\":\"Iteration "
						   "Start\",\"ph\":\"i\",\"s\":\"g\",\"pid\":"
						   "\"Traces\","
						   "\"tid\":\"x\",\"ts\":0},"
						   "{\"name\":\"Record Window "
						   "End\",\"ph\":\"i\",\"pid\":\"\",\"tid\":\"\","
						   "\"ts\":1},"
						   "{\"ph\":\"i\",\"pid\":9,\"tid\":9,\"ts\":0}]}");
	size_t n;
	const tl_span *s = tl_trace_spans(t, &n);
	assert_int_equal(n, 4);
	assert_int_equal(tl_trace_group_count(t), 4);
	assert_string_equal(tl_trace_group_name(t, s[0].group), "python3 (CPU)");
	assert_string_equal(tl_trace_group_name(t, s[1].group), "python3 (GPU 0)");
	/* A label two processes share tells them apart no more than the name. */
	assert_string_equal(tl_trace_group_name(t, s[2].group), "python3 (pid 3)");
	assert_string_equal(tl_trace_group_name(t, s[3].group), "python3 (pid 4)");
	test_samples(t, &n);
	assert_int_equal(n, 1); /* the instant of a process with spans stays */
	assert_string_equal(tl_trace_meta_get(t, "note.windows"),
			    "1 profiler window (Kineto's \"Spans\" process) not drawn nor counted");
	assert_string_equal(tl_trace_meta_get(t, "note.lone_instants"),
			    "2 instants of processes with no span not drawn (bookkeeping, such as "
			    "Kineto's \"Traces\")");
	tl_trace_free(t);
	/* A trace of instants alone is still drawn: they are all it has. */
	t = read_ok("[{\"ph\":\"i\",\"pid\":1,\"tid\":1,\"ts\":0}]");
	test_samples(t, &n);
	assert_int_equal(n, 1);
	tl_trace_free(t);
}

/*
 * A trace Perfetto opens is read: a bad event is skipped and counted (the
 * first named), a file cut inside an event is read up to it, text after the
 * array is noted; --strict refuses instead. Nothing good at all: refused.
 */
static void test_bad_events_skipped(void **state) {
	(void)state;
	tl_trace *t = read_ok("[{\"ph\":\"X\",\"pid\":1,\"tid\":1,\"ts\":0,\"dur\":5},\n"
			      "{\"pid\":1,\"ts\":1},\n"
			      "{\"ph\":\"X\",\"pid\":1,\"ts\":2},\n"
			      "{\"ph\":\"b\",\"pid\":1,\"ts\":2,\"cat\":\"c\"},\n"
			      "{\"ph\":\"X\",\"pid\":1,\"ts\":");
	size_t n;
	tl_trace_spans(t, &n);
	assert_int_equal(n, 1);
	assert_string_equal(tl_trace_meta_get(t, "note.bad_events"),
			    "3 events skipped, as Perfetto skips them (--strict refuses the file); "
			    "the first, line 2 column 1: event without a \"ph\" phase");
	assert_string_equal(
		tl_trace_meta_get(t, "note.cut"),
		"the file ends inside an event (line 5 column 1): the trace up to it is read");
	tl_trace_free(t);
	t = read_ok("[{\"ph\":\"X\",\"pid\":1,\"ts\":0,\"dur\":5}]\n[{\"ph\":\"X\"}]");
	assert_string_equal(tl_trace_meta_get(t, "note.after"),
			    "text after the events' closing ']' (line 2 column 1) not read");
	tl_trace_free(t);
	/* --strict: the first bad event refuses the file. */
	tl_read_opts o = {.strict = true};
	struct tl_error err = {0};
	const char *bad = "[{\"ph\":\"X\",\"pid\":1,\"ts\":0,\"dur\":5},{\"pid\":1,\"ts\":1}]";
	assert_int_equal(tl_read_mem(bad, strlen(bad), "t.json", &o, &t, &err), TL_ERR_INPUT);
	assert_string_equal(err.msg, "event without a \"ph\" phase");
	/* Nothing good: the first bad event is the answer. */
	expect_error("[{\"ph\":\"X\",\"pid\":1,\"ts\":2},{\"pid\":1}]",
		     "t.json:1:2: event without \"dur\"");
}

/* An E with a name closes the innermost open B of that name, as Perfetto does. */
static void test_named_end(void **state) {
	(void)state;
	tl_trace *t = read_ok("[{\"ph\":\"B\",\"name\":\"a\",\"pid\":1,\"tid\":1,\"ts\":0},"
			      "{\"ph\":\"B\",\"name\":\"b\",\"pid\":1,\"tid\":1,\"ts\":1},"
			      "{\"ph\":\"E\",\"name\":\"a\",\"pid\":1,\"tid\":1,\"ts\":2},"
			      "{\"ph\":\"E\",\"name\":\"b\",\"pid\":1,\"tid\":1,\"ts\":3}]");
	size_t n;
	const tl_span *s = tl_trace_spans(t, &n);
	assert_int_equal(n, 2);
	assert_string_equal(tl_trace_str(t, s[0].label), "a");
	assert_int_equal(s[0].stop - s[0].start, 2000);
	assert_string_equal(tl_trace_str(t, s[1].label), "b");
	assert_int_equal(s[1].stop - s[1].start, 2000);
	tl_trace_free(t);
}

/* Instants alone: each its own job, with no duration, so no busy time. */
static void test_instants_alone(void **state) {
	(void)state;
	tl_trace *t = read_ok("[{\"ph\":\"i\",\"pid\":1,\"tid\":1,\"ts\":0},"
			      "{\"ph\":\"i\",\"pid\":1,\"tid\":2,\"ts\":500},"
			      "{\"ph\":\"i\",\"pid\":1,\"tid\":1,\"ts\":2000}]");
	tl_group_stats *gs;
	struct tl_error err = {0};
	assert_int_equal(tl_trace_stats(t, &gs, &err), TL_OK);
	assert_int_equal(gs[0].jobs, 3);
	assert_int_equal(gs[0].busy, 0);
	assert_int_equal(gs[0].wall, 2000000);
	free(gs);
	tl_trace_free(t);
}

/* Names given and names made from ids never merge two threads or two processes. */
static void test_names_never_merge(void **state) {
	(void)state;
	tl_trace *t = read_ok(
		"[" M("thread", 1, 1, "T") M("thread", 1, 2, "T") M("thread", 1, 3, "T (tid 1)")
			M("thread", 1, 4, "tid 5") X(1, 1) X(1, 2) X(1, 3) X(1, 4) X(1, 5)
				M("process", 7, 0, "pid 8") X(7, 1)
					X(8, 1) "{\"ph\":\"X\",\"pid\":"
						"99999999999999999999999,\"ts\":0,\"dur\":1}]");
	size_t n;
	const tl_span *s = tl_trace_spans(t, &n);
	assert_int_equal(n, 8);
	for (size_t i = 0; i < 5; i++) {
		for (size_t k = 0; k < i; k++) {
			assert_true(s[i].worker != s[k].worker);
		}
	}
	assert_true(s[5].group != s[6].group);
	assert_string_equal(tl_trace_group_name(t, s[7].group), "pid 99999999999999999999999");
	tl_trace_free(t);
}

/* A B never ended lasts to its own process's last time, not another's. */
static void test_unfinished_to_its_process_end(void **state) {
	(void)state;
	tl_trace *t = read_ok("[{\"ph\":\"B\",\"pid\":1,\"tid\":1,\"ts\":0},"
			      "{\"ph\":\"X\",\"pid\":1,\"tid\":2,\"ts\":0,\"dur\":10},"
			      "{\"ph\":\"X\",\"pid\":2,\"tid\":1,\"ts\":0,\"dur\":1000}]");
	size_t n;
	const tl_span *s = tl_trace_spans(t, &n);
	assert_int_equal(n, 3);
	bool found = false;
	for (size_t i = 0; i < n; i++) {
		if (s[i].status == TL_EXIT_UNFINISHED) {
			assert_int_equal(s[i].stop - s[i].start, 10000);
			found = true;
		}
	}
	assert_true(found);
	tl_trace_free(t);
}

/* Many bad events: counted in one note (placed by the first only); one over 16 MB is skipped too.
 */
static void test_many_and_giant_bad_events(void **state) {
	(void)state;
	size_t n = 20000, cap = 64 + n * 64;
	char *json = malloc(cap);
	assert_non_null(json);
	size_t len = (size_t)snprintf(json, cap, "[{\"ph\":\"X\",\"pid\":1,\"ts\":0,\"dur\":5}");
	for (size_t i = 0; i < n; i++) {
		len += (size_t)snprintf(json + len, cap - len,
					",\n{\"ph\":\"X\",\"pid\":1,\"ts\":%zu}", i);
	}
	snprintf(json + len, cap - len, "]");
	tl_trace *t = read_ok(json);
	assert_string_equal(tl_trace_meta_get(t, "note.bad_events"),
			    "20000 events skipped, as Perfetto skips them (--strict refuses the "
			    "file); the first, line 2 column 1: event without \"dur\"");
	tl_trace_free(t);
	free(json);
	size_t big = (17u << 20) + 200;
	json = malloc(big);
	assert_non_null(json);
	len = (size_t)snprintf(json, big,
			       "[{\"ph\":\"X\",\"pid\":1,\"ts\":0,\"dur\":5},"
			       "{\"ph\":\"X\",\"pid\":1,\"ts\":1,\"dur\":1,\"name\":\"");
	memset(json + len, 'x', 17u << 20);
	len += 17u << 20;
	snprintf(json + len, big - len, "\"},{\"ph\":\"X\",\"pid\":1,\"ts\":2,\"dur\":1}]");
	t = read_ok(json);
	size_t ns;
	tl_trace_spans(t, &ns);
	assert_int_equal(ns, 2);
	assert_string_equal(
		tl_trace_meta_get(t, "note.bad_events"),
		"1 event skipped, as Perfetto skips them (--strict refuses the file); the "
		"first, line 1 column 36: a trace event larger than 16 MB");
	tl_trace_free(t);
	free(json);
	/* A clock origin before zero reads as such. */
	t = read_ok("[{\"ph\":\"X\",\"pid\":1,\"ts\":-1500,\"dur\":10}]");
	char origin[128];
	assert_true(tl_trace_origin(t, origin, sizeof(origin)));
	assert_string_equal(origin, "-0.001500000 s on the input's clock");
	tl_trace_free(t);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_nanoseconds),
		cmocka_unit_test(test_string_times_leading_comma),
		cmocka_unit_test(test_begin_end_matching),
		cmocka_unit_test(test_shared_names),
		cmocka_unit_test(test_not_drawn_counted),
		cmocka_unit_test(test_async_spans),
		cmocka_unit_test(test_kineto_processes),
		cmocka_unit_test(test_bad_events_skipped),
		cmocka_unit_test(test_named_end),
		cmocka_unit_test(test_instants_alone),
		cmocka_unit_test(test_names_never_merge),
		cmocka_unit_test(test_unfinished_to_its_process_end),
		cmocka_unit_test(test_many_and_giant_bad_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
