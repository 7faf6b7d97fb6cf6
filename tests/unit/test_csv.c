/* CSV reader and writer: aliases, quoting, units, epochs, rejections, round trips. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../src/io/csv.h"
#include "../../src/io/jobnames.h"
#include "../../src/io/mapped.h"
#include "samples.h"
#include <timeline/timeline.h>

/* The Chrome writer through the public file API, into a stream. */
static tl_status tl_chrome_write_for_tests(const tl_trace *t, FILE *f) {
	char path[] = "/tmp/tl-chrome-XXXXXX.json";
	int fd = mkstemps(path, 5);
	if (fd < 0) {
		return TL_ERR_IO;
	}
	close(fd);
	tl_status st = tl_write_file(t, path, TL_FORMAT_AUTO, NULL);
	FILE *in = fopen(path, "rb");
	char buf[65536];
	size_t n;
	while (in && (n = fread(buf, 1, sizeof(buf), in)) > 0) {
		fwrite(buf, 1, n, f);
	}
	if (in) {
		fclose(in);
	}
	unlink(path);
	return st;
}

#define SEC 1000000000LL

static tl_trace *read_ok_unit(const char *csv, tl_unit unit) {
	tl_trace *t = NULL;
	struct tl_error err = {0};
	tl_status st = tl_csv_read(csv, strlen(csv), "t.csv", unit, &t, &err);
	if (st != TL_OK) {
		char buf[2048];
		fail_msg("unexpected error: %s", tl_error_format(&err, buf, sizeof(buf)));
	}
	return t;
}

static tl_trace *read_ok(const char *csv) {
	return read_ok_unit(csv, TL_UNIT_DEFAULT);
}

static void expect_error_len(const char *csv, size_t len, const char *want) {
	tl_trace *t = (tl_trace *)0x1;
	struct tl_error err = {0};
	tl_status st = tl_csv_read(csv, len, "t.csv", TL_UNIT_DEFAULT, &t, &err);
	if (st == TL_OK) {
		fail_msg("accepted input that should fail with: %s", want);
	}
	assert_int_equal(st, TL_ERR_INPUT);
	assert_ptr_equal(t, (tl_trace *)0x1); /* untouched on failure */
	char buf[2048];
	assert_string_equal(tl_error_format(&err, buf, sizeof(buf)), want);
}

static void expect_error(const char *csv, const char *want) {
	expect_error_len(csv, strlen(csv), want);
}

/* Read with options (CSV; opts->format is set here). */
static tl_trace *read_opts(const char *csv, tl_read_opts o) {
	tl_trace *t = NULL;
	struct tl_error err = {0};
	o.format = TL_FORMAT_CSV;
	if (tl_read_mem(csv, strlen(csv), "t.csv", &o, &t, &err) != TL_OK) {
		char buf[2048];
		fail_msg("unexpected error: %s", tl_error_format(&err, buf, sizeof(buf)));
	}
	return t;
}

static void expect_error_opts(const char *csv, tl_read_opts o, const char *want) {
	tl_trace *t = NULL;
	struct tl_error err = {0};
	o.format = TL_FORMAT_CSV;
	if (tl_read_mem(csv, strlen(csv), "t.csv", &o, &t, &err) == TL_OK) {
		fail_msg("accepted input that should fail with: %s", want);
	}
	assert_null(t);
	char buf[2048];
	assert_string_equal(tl_error_format(&err, buf, sizeof(buf)), want);
}

static void expect_strict(const char *csv, const char *want) {
	expect_error_opts(csv, (tl_read_opts){.strict = true}, want);
}

static const tl_span *spans(const tl_trace *t, size_t want) {
	size_t n;
	const tl_span *s = tl_trace_spans(t, &n);
	assert_int_equal(n, want);
	return s;
}

static const tl_sample *samples(const tl_trace *t, size_t want) {
	size_t n;
	const tl_sample *s = test_samples(t, &n);
	assert_int_equal(n, want);
	return s;
}

static void test_minimal_start_stop(void **state) {
	(void)state;
	tl_trace *t = read_ok("start,stop\n0,1.5\n0.5,2\n");
	const tl_span *s = spans(t, 2);
	assert_int_equal(s[0].job, 0);
	assert_int_equal(s[1].job, 1);
	assert_int_equal(s[0].start, 0);
	assert_int_equal(s[0].stop, 1500000000);
	assert_int_equal(s[1].start, 500000000);
	assert_int_equal(tl_trace_group_count(t), 1);
	assert_string_equal(tl_trace_group_name(t, 0), "");
	tl_trace_free(t);
}

static void test_pandas_index_column(void **state) {
	(void)state;
	tl_trace *t = read_ok(",start,stop\n5,0,1\n9,1,2\n");
	const tl_span *s = spans(t, 2);
	assert_int_equal(s[0].job, 5);
	assert_int_equal(s[1].job, 9);
	tl_trace_free(t);
}

static void test_job_t_samples(void **state) {
	(void)state;
	tl_trace *t = read_ok("job,t\n0,0.001\n1,0.002\n0,0.003\n");
	spans(t, 0);
	const tl_sample *s = samples(t, 3);
	assert_int_equal(s[2].job, 0);
	assert_int_equal(s[2].t, 3000000);
	assert_int_equal(s[1].job, 1);
	tl_trace_free(t);
}

static void test_lone_time_column_is_one_job(void **state) {
	(void)state;
	tl_trace *t = read_ok("timestamp\n1\n2\n");
	const tl_sample *s = samples(t, 2);
	assert_int_equal(s[0].job, 0);
	assert_int_equal(s[1].job, 0);
	tl_trace_free(t);
}

static void test_epoch_seconds_normalised(void **state) {
	(void)state;
	tl_trace *t = read_ok("start,stop\n1795325994.708,1795325994.759\n"
			      "1795325994.706,1795325994.757\n");
	const tl_span *s = spans(t, 2);
	assert_int_equal(s[0].start, 2000000);
	assert_int_equal(s[0].stop, 53000000);
	assert_int_equal(s[1].start, 0);
	assert_string_equal(tl_trace_meta_get(t, "epoch_ns"), "1795325994706000000");
	tl_trace_free(t);
}

static void test_relative_times_not_shifted(void **state) {
	(void)state;
	tl_trace *t = read_ok("start,stop\n5,6\n");
	assert_int_equal(spans(t, 1)[0].start, 5 * SEC);
	assert_null(tl_trace_meta_get(t, "epoch_ns"));
	tl_trace_free(t);
}

struct alias_case {
	const char *header;
	const char *row;
};

static void test_every_alias(void **state) {
	(void)state;
	const char *starts[] = {"start", "begin", "started", "START", " Start "};
	const char *stops[] = {"stop", "end", "finish", "finished"};
	const char *durs[] = {"duration", "dur", "elapsed", "runtime"};
	const char *jobs[] = {"job", "task", "id", "index", "Task ID"};
	const char *workers[] = {"worker", "thread", "tid", "pid", "slot"};
	const char *groups[] = {"group", "mode", "run", "panel", "series"};
	const char *statuses[] = {"status", "exit", "exitval"};
	const char *labels[] = {"label", "name"};
	char csv[512];
	for (size_t i = 0; i < 5; i++) {
		for (size_t j = 0; j < 4; j++) {
			snprintf(csv, sizeof(csv), "%s,%s,%s,%s,%s,%s,%s\n1,3,7,w,g,2,L\n",
				 starts[i], stops[j], jobs[i], workers[i], groups[i],
				 statuses[j % 3], labels[j % 2]);
			tl_trace *t = read_ok(csv);
			const tl_span *s = spans(t, 1);
			assert_int_equal(s->start, 1 * SEC);
			assert_int_equal(s->stop, 3 * SEC);
			assert_int_equal(s->job, 7);
			assert_string_equal(tl_trace_str(t, s->worker), "w");
			assert_string_equal(tl_trace_group_name(t, s->group), "g");
			assert_int_equal(s->status, 2);
			assert_string_equal(tl_trace_str(t, s->label), "L");
			tl_trace_free(t);

			snprintf(csv, sizeof(csv), "%s,%s\n1,2.5\n", starts[i], durs[j]);
			t = read_ok(csv);
			assert_int_equal(spans(t, 1)->stop, 3500000000LL);
			tl_trace_free(t);
		}
	}
	const char *times[] = {"t", "time", "timestamp", "ts"};
	for (size_t i = 0; i < 4; i++) {
		snprintf(csv, sizeof(csv), "%s,job\n0.25,3\n", times[i]);
		tl_trace *t = read_ok(csv);
		assert_int_equal(samples(t, 1)->t, SEC / 4);
		assert_int_equal(samples(t, 1)->job, 3);
		tl_trace_free(t);
	}
}

static void test_columns_any_order_unknown_ignored(void **state) {
	(void)state;
	tl_trace *t = read_ok("host,stop,colour,start,Worker\nbox,4,red,2,7\n");
	const tl_span *s = spans(t, 1);
	assert_int_equal(s->start, 2 * SEC);
	assert_int_equal(s->stop, 4 * SEC);
	assert_string_equal(tl_trace_str(t, s->worker), "7");
	tl_trace_free(t);
}

static void test_unit_suffixes(void **state) {
	(void)state;
	tl_trace *t = read_ok("start_ns,stop_ms\n1500,2\n");
	assert_int_equal(spans(t, 1)->start, 1500);
	assert_int_equal(spans(t, 1)->stop, 2000000);
	tl_trace_free(t);
	t = read_ok("ts_us,job\n3.5,0\n");
	assert_int_equal(samples(t, 1)->t, 3500);
	tl_trace_free(t);
	t = read_ok("t_s\n2\n");
	assert_int_equal(samples(t, 1)->t, 2 * SEC);
	tl_trace_free(t);
	t = read_ok("begin_\xc2\xb5s,DUR_MS\n10,1\n");
	assert_int_equal(spans(t, 1)->start, 10000);
	assert_int_equal(spans(t, 1)->stop, 1010000);
	tl_trace_free(t);
	/* A suffix on a column that is not a time is just an unknown column. */
	t = read_ok("start,stop,job_ms\n0,1,5\n");
	assert_int_equal(spans(t, 1)->job, 0);
	tl_trace_free(t);
}

/* The option gives bare columns their unit; a unit in a column's name stays. */
static void test_unit_option_overrides(void **state) {
	(void)state;
	tl_trace *t = read_ok_unit("start_ns,stop\n2,3\n", TL_UNIT_MS);
	assert_int_equal(spans(t, 1)->start, 2);
	assert_int_equal(spans(t, 1)->stop, 3000000);
	tl_trace_free(t);
	/* Small numbers meant as ms: only the option says so. */
	t = read_ok_unit("start,stop\n0,35\n", TL_UNIT_MS);
	assert_int_equal(spans(t, 1)->stop, 35000000);
	tl_trace_free(t);
}

static void test_kind_column_mixes(void **state) {
	(void)state;
	tl_trace *t = read_ok("kind,group,job,start,stop,t\n"
			      "span,a,0,0,1,\n"
			      "sample,a,0,,,0.5\n"
			      "SAMPLE,b,1,0.25,,\n"
			      ",a,2,1,2,\n");
	assert_int_equal(spans(t, 2)[1].job, 2);
	const tl_sample *s = samples(t, 2);
	assert_int_equal(s[0].t, SEC / 2);
	assert_int_equal(s[1].t, SEC / 4); /* native samples keep their time in start */
	assert_string_equal(tl_trace_group_name(t, s[1].group), "b");
	tl_trace_free(t);
}

static void test_rfc4180_quoting(void **state) {
	(void)state;
	tl_trace *t = read_ok("start,stop,label,group\n"
			      "0,1,\"a, b\",\"x\"\n"
			      "1,2,\"say \"\"hi\"\"\",x\n"
			      "2,3,\"two\nlines\",\"\"\n"
			      "\"3\",\"4\",\"\",x\n");
	const tl_span *s = spans(t, 4);
	assert_string_equal(tl_trace_str(t, s[0].label), "a, b");
	assert_string_equal(tl_trace_str(t, s[1].label), "say \"hi\"");
	assert_string_equal(tl_trace_str(t, s[2].label), "two\nlines");
	assert_string_equal(tl_trace_group_name(t, s[2].group), "");
	assert_int_equal(s[3].start, 3 * SEC);
	assert_int_equal(s[3].label, TL_STR_NONE);
	assert_int_equal(tl_trace_group_count(t), 2);
	tl_trace_free(t);
}

static void test_crlf_bom_comments_blank_lines(void **state) {
	(void)state;
	tl_trace *t = read_ok("\xef\xbb\xbf# title: Threads vs processes\r\n"
			      "# a plain comment\r\n"
			      "\r\n"
			      "start,stop\r\n"
			      "0,1\r\n"
			      "\r\n"
			      "# host: box 1\r\n"
			      "   \r\n"
			      "1,2\r\n");
	spans(t, 2);
	assert_string_equal(tl_trace_meta_get(t, "title"), "Threads vs processes");
	assert_string_equal(tl_trace_meta_get(t, "host"), "box 1");
	assert_string_equal(tl_trace_meta_get(t, TL_META_COLUMNS), "start=start, stop=stop");
	assert_int_equal(tl_trace_meta_count(t), 3);
	tl_trace_free(t);
	/* No final newline, lone CR line ends. */
	t = read_ok("start,stop\r0,1\r2,3");
	assert_int_equal(spans(t, 2)[1].stop, 3 * SEC);
	tl_trace_free(t);
}

static void test_text_jobs_numbered_in_order(void **state) {
	(void)state;
	tl_trace *t = read_ok("task,start,stop\nfetch a,0,1\nfetch b,0,2\nfetch a,2,3\n");
	const tl_span *s = spans(t, 3);
	assert_int_equal(s[0].job, 0);
	assert_int_equal(s[1].job, 1);
	assert_int_equal(s[2].job, 0);
	assert_string_equal(tl_trace_str(t, s[1].label), "fetch b");
	tl_trace_free(t);
}

static void test_default_jobs_count_per_group(void **state) {
	(void)state;
	tl_trace *t = read_ok("mode,start,stop\nthreads,0,1\nprocesses,0,1\nthreads,1,2\n");
	const tl_span *s = spans(t, 3);
	assert_int_equal(s[0].job, 0);
	assert_int_equal(s[1].job, 0);
	assert_int_equal(s[2].job, 1);
	tl_trace_free(t);
}

static void test_status_words(void **state) {
	(void)state;
	tl_trace *t =
		read_ok("start,stop,status\n0,1,ok\n0,1,timeout\n0,1,SIGKILL\n0,1,\n0,1, 3 \n");
	const tl_span *s = spans(t, 5);
	assert_int_equal(s[0].status, 0);
	assert_int_equal(s[1].status, TL_EXIT_TIMEOUT);
	assert_int_equal(s[2].status, -9);
	assert_int_equal(s[3].status, 0);
	assert_int_equal(s[4].status, 3);
	tl_trace_free(t);
}

static void test_utf8_labels_kept(void **state) {
	(void)state;
	tl_trace *t = read_ok("start,stop,label,mode\n0,1,\xe4\xbb\xbb\xe5\x8a\xa1 1,"
			      "\xe5\xa4\x9a\xe7\xba\xbf\xe7\xa8\x8b\n");
	const tl_span *s = spans(t, 1);
	assert_string_equal(tl_trace_str(t, s->label), "\xe4\xbb\xbb\xe5\x8a\xa1 1");
	assert_string_equal(tl_trace_group_name(t, 0), "\xe5\xa4\x9a\xe7\xba\xbf\xe7\xa8\x8b");
	tl_trace_free(t);
}

static void test_rejections(void **state) {
	(void)state;
	expect_error("", "t.csv:1:1: empty file: no header row");
	expect_error("# only a comment\n\n", "t.csv:3:1: empty file: no header row");
	expect_error("a,b\n", "t.csv:1:1: no time column in the header 'a,b': looked for start "
			      "and stop (or duration), or t, and the names 'timeline help "
			      "formats' lists; --columns names them");
	expect_error("a,b\n1,2\n",
		     "t.csv:1:1: no time column in the header 'a,b': looked for start and stop "
		     "(or duration), or t, and the names 'timeline help formats' lists; "
		     "--columns names them");
	expect_error("job,start\n1,2\n",
		     "t.csv:1:5: the start column has no stop column (looked for stop, "
		     "stop_time, end, end_time, ...) or duration column (duration, dur, "
		     "elapsed, elapsed_time, ...)");
	expect_error("job,stop\n1,2\n",
		     "t.csv:1:5: no start column (looked for start, start_time, started_at, "
		     "start_ts, ...) for the stop column");
	expect_error("start,stop\n0,1\n1,abc\n",
		     "t.csv:3:3: stop time 'abc' is not a number, a date-time or a duration");
	expect_error("start,stop\n0,-inf\n", "t.csv:2:3: stop time '-inf' is not a finite number");
	expect_error("start,stop\n0,1e300\n", "t.csv:2:3: stop time '1e300' is out of range");
	expect_error("start,stop\n2,1.5\n", "t.csv:2:3: stop time '1.5' is before start time '2'");
	expect_error("start,dur\n2,-1\n", "t.csv:2:3: duration '-1' is negative");
	expect_error("start,stop,job\n0,1,2\n0,1\n",
		     "t.csv:3:4: row has 2 fields, the header has 3");
	expect_error("start,stop\n0,1,2\n", "t.csv:2:5: row has 3 fields, the header has 2");
	/* Missing values are refused only with --strict. */
	expect_strict("start,stop\n0,\n", "t.csv:2:3: missing stop time");
	expect_strict("start,stop\n,1\n", "t.csv:2:1: missing start time");
	expect_strict("start,stop\nnan,1\n", "t.csv:2:1: missing start time");
	expect_strict("start,stop\n0,NaN\n", "t.csv:2:3: missing stop time");
	expect_strict("t,job\n,1\n", "t.csv:2:1: missing time");
	expect_error("start,stop,label\n0,1,\"open\n", "t.csv:2:5: unterminated quoted field");
	expect_error("start,stop,label\n0,1,\"a\"b\n",
		     "t.csv:2:8: unexpected 'b' after a closing quote");
	expect_error("kind,start,stop\nbar,0,1\n",
		     "t.csv:2:1: unknown kind 'bar': expected span, sample or group");
	expect_strict("start,stop,status\n0,1,maybe\n",
		      "t.csv:2:5: unknown status 'maybe': expected an exit code, ok, failed, "
		      "timeout or a signal name");
	expect_error("start,stop,label\n0,1,ab\xff\n", "t.csv:2:7: invalid UTF-8");
	expect_error("start,stop,\xc3\n0,1\n", "t.csv:1:12: invalid UTF-8 in the header");
	expect_error("# bad \xff\nstart,stop\n", "t.csv:1:7: invalid UTF-8 in a comment");
	expect_error_len("start,stop\n0,1\x00\n", 15,
			 "t.csv:2:4: binary data (a NUL byte): not a text file");
	/* Columns count characters, not bytes. */
	expect_error("label,start,stop\n\xe4\xbb\xbb\xe5\x8a\xa1,x,1\n",
		     "t.csv:2:4: start time 'x' is not a number, a date-time or a duration");
	/* Position inside a multi-line quoted field: after its line break. */
	expect_error("label,start,stop\n\"a\nb\",0,x\n",
		     "t.csv:3:6: stop time 'x' is not a number, a date-time or a duration");
	/* Long fields are cut in messages. */
	expect_error("start,stop\n0,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
		     "t.csv:2:3: stop time 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is not a "
		     "number, a date-time or a duration");
}

/* ---- the CSV people have ---- */

static char *write_to_string(const tl_trace *t);

static const char *columns_of(const tl_trace *t) {
	return tl_trace_meta_get(t, TL_META_COLUMNS);
}

/* pandas' unnamed index column loses to a column that names jobs. */
static void test_pandas_index(void **state) {
	(void)state;
	tl_trace *t = read_ok(",job,t\n0,0,0.1\n1,0,0.2\n2,1,0.1\n3,1,0.3\n");
	const tl_sample *sa = samples(t, 4);
	assert_int_equal(sa[0].job, 0);
	assert_int_equal(sa[1].job, 0);
	assert_int_equal(sa[2].job, 1);
	assert_string_equal(columns_of(t),
			    "job=job, time=t; ignored: the unnamed first column (an index)");
	tl_trace_free(t);
	/* Concatenated modes keep their own job numbers, not the index's 4-7. */
	t = read_ok(",mode,job,start,stop\n4,b,0,0,1\n5,b,1,0,2\n");
	assert_int_equal(spans(t, 2)[1].job, 1);
	tl_trace_free(t);
	/* Nothing else names jobs: the index does. */
	t = read_ok(",start,stop,mode\n0,0,1,a\n1,0,2,a\n7,0,1,b\n");
	assert_int_equal(spans(t, 3)[2].job, 7);
	assert_string_equal(columns_of(t), "group=mode, job=the unnamed first column (an index), "
					   "start=start, stop=stop");
	tl_trace_free(t);
	/* An unnamed MultiIndex, set_index(["mode", "job"]): the group, then the job. */
	t = read_ok(",,start,stop\nthreads,0,0.0,1.0\nthreads,1,0.5,2.0\nprocesses,0,0.0,0.5\n");
	assert_int_equal(tl_trace_group_count(t), 2);
	assert_int_equal(spans(t, 3)[1].job, 1);
	assert_string_equal(columns_of(t), "group=unnamed column 1 (an index level), job=unnamed "
					   "column 2 (an index level), start=start, stop=stop");
	tl_trace_free(t);
	t = read_ok("Unnamed: 0,start,stop\n5,0,1\n");
	assert_int_equal(spans(t, 1)->job, 5);
	tl_trace_free(t);
}

/* Names as people write them: case, blanks, hyphens, dots, camelCase, synonyms. */
static void test_header_names(void **state) {
	(void)state;
	static const char *const headers[] = {
		"Start Time,End Time,Thread ID,Method,Task",
		"startedAt,finishedAt,workerName,experiment,taskId",
		"started_at,finish_time,worker_name,mode,task_id",
		"Start,End,Process,Run,Name",
		"begin,complete,thread-name,method,job.id",
		"START_TS,END_TS,PID,Group,ID",
		"from,to,host,variant,index",
	};
	for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		char csv[256];
		snprintf(csv, sizeof(csv), "%s\n1,3,w1,g,7\n", headers[i]);
		tl_trace *t = read_ok(csv);
		const tl_span *s = spans(t, 1);
		assert_int_equal(s->start, 1 * SEC);
		assert_int_equal(s->stop, 3 * SEC);
		assert_string_equal(tl_trace_str(t, s->worker), "w1");
		assert_string_equal(tl_trace_group_name(t, s->group), "g");
		assert_int_equal(s->job, 7);
		tl_trace_free(t);
	}
	/* Units in words or brackets. */
	tl_trace *t = read_ok("Start (ms),Duration [seconds],elapsed_sec\n1500,2,9\n");
	assert_int_equal(spans(t, 1)->start, 1500000000);
	assert_int_equal(spans(t, 1)->stop, 3500000000);
	assert_string_equal(columns_of(t), "start=Start (ms), duration=Duration [seconds]; "
					   "ignored: elapsed_sec (a second duration)");
	tl_trace_free(t);
}

/* Two columns for one role: the earlier synonym wins, and the notes say so. */
static void test_competing_columns(void **state) {
	(void)state;
	tl_trace *t = read_ok("start_time,start,stop,thread,worker,notes\n9,1,3,t,w,x\n");
	const tl_span *s = spans(t, 1);
	assert_int_equal(s->start, 1 * SEC);
	assert_string_equal(tl_trace_str(t, s->worker), "w");
	assert_string_equal(columns_of(t), "worker=worker, start=start, stop=stop; ignored: "
					   "start_time (a second start), thread (a second "
					   "worker), notes");
	tl_trace_free(t);
	/* name is the job when nothing else is, else the label. */
	t = read_ok("name,start,stop\nfetch,0,1\n");
	assert_string_equal(tl_trace_str(t, spans(t, 1)->label), "fetch");
	tl_trace_free(t);
	t = read_ok("job,name,start,stop\n4,fetch,0,1\n");
	assert_int_equal(spans(t, 1)->job, 4);
	assert_string_equal(tl_trace_str(t, spans(t, 1)->label), "fetch");
	tl_trace_free(t);
}

static void test_columns_option(void **state) {
	(void)state;
	tl_read_opts o = {.columns = "start=Begun,stop=Done At,job=Ticket,worker=Box,group=Plan"};
	tl_trace *t = read_opts("Ticket,Begun,Done At,Box,Plan,start\nT-1,2,5,b1,p,99\n", o);
	const tl_span *s = spans(t, 1);
	assert_int_equal(s->start, 2 * SEC);
	assert_int_equal(s->stop, 5 * SEC);
	assert_string_equal(tl_trace_str(t, s->worker), "b1");
	assert_string_equal(tl_trace_group_name(t, 0), "p");
	assert_string_equal(tl_trace_str(t, s->label), "T-1");
	tl_trace_free(t);
	/* Case and blanks do not matter; quotes keep commas; an empty name drops a role. */
	o.columns = "start=\"begin, utc\",stop=END,job=";
	t = read_opts("id,\"begin, utc\",end\n5,1,2\n6,1,2\n", o);
	assert_int_equal(spans(t, 2)[1].job, 1);
	tl_trace_free(t);
	/* Positions, on a file whose first line is data (numpy savetxt). */
	o.columns = "start=2,stop=3,job=1";
	t = read_opts("0.000000000000000000e+00 1.5e+00  2.5e+00\n  1 1.75\t3 \n", o);
	assert_int_equal(spans(t, 2)[1].stop, 3 * SEC);
	assert_int_equal(spans(t, 2)[0].start, 1500000000);
	tl_trace_free(t);
	t = read_opts("0,1.5,2.5\n1,1.75,3\n", o);
	assert_int_equal(spans(t, 2)[1].stop, 3 * SEC);
	assert_int_equal(spans(t, 2)[1].job, 1);
	tl_trace_free(t);
	expect_error("0,1.5,2.5\n1,1.75,3\n",
		     "t.csv:1:1: the first line is data, not a header: say which columns hold "
		     "what with --columns, e.g. --columns start=1,stop=2 (numbers count columns "
		     "from 1)");
	expect_error("1.0e+00 2.0e+00\n3.0e+00 4.0e+00\n",
		     "t.csv:1:1: the first line is data, not a header: say which columns hold "
		     "what with --columns, e.g. --columns start=1,stop=2 (numbers count columns "
		     "from 1)");
	/* numpy.savetxt(header="job,start,stop", delimiter=","): the header is a comment. */
	t = read_ok("# job,start,stop\n0.000000000000000000e+00,1.5e+00,2.5e+00\n1,1.75,3\n");
	assert_int_equal(spans(t, 2)[0].start, 1500000000);
	assert_int_equal(spans(t, 2)[1].job, 1);
	tl_trace_free(t);
	t = read_ok("# start stop\n1.5 2.5\n3 4\n");
	assert_int_equal(spans(t, 2)[0].stop, 2500000000);
	tl_trace_free(t);
	/* A comment that is no header (a note, fewer names) leaves the refusal. */
	expect_error("# made by a script\n1,2\n",
		     "t.csv:2:1: the first line is data, not a header: say which columns hold "
		     "what with --columns, e.g. --columns start=1,stop=2 (numbers count columns "
		     "from 1)");
	/* Names apart by blanks, as some tools align them. */
	t = read_ok("job   start   stop\n  1     0.5      2\n");
	assert_int_equal(spans(t, 1)->stop, 2 * SEC);
	tl_trace_free(t);
	/* One column whose name has a blank is not split. */
	t = read_ok("time stamp\n1.5\n");
	assert_int_equal(samples(t, 1)->t, 1500000000);
	tl_trace_free(t);
	expect_error_opts("a,b,c\n1,2,3\n", (tl_read_opts){.columns = "start=x,stop=b"},
			  "t.csv:1:1: --columns start='x': no such column; the header has: 'a', "
			  "'b', 'c'");
	struct tl_error err = {0};
	assert_int_equal(tl_columns_check("begin=a", &err), TL_ERR_USAGE);
	assert_string_equal(err.msg, "--columns: unknown role 'begin' (start, stop, duration, "
				     "time, job, worker, group, status, label or kind)");
	assert_int_equal(tl_columns_check("start", &err), TL_ERR_USAGE);
	assert_string_equal(err.msg, "--columns: 'start' is not ROLE=NAME");
	assert_int_equal(tl_columns_check("start=a,start=b", &err), TL_ERR_USAGE);
	assert_string_equal(err.msg, "--columns: start is named twice");
	assert_int_equal(tl_columns_check("start=\"a", &err), TL_ERR_USAGE);
	assert_int_equal(tl_columns_check("start=a,", &err), TL_ERR_USAGE);
	assert_int_equal(tl_columns_check("end=b, dur = c ,t=d", &err), TL_OK);
	assert_int_equal(tl_columns_check("job:ms=a", &err), TL_ERR_USAGE);
	assert_string_equal(err.msg, "--columns: job is not a time: it has no unit");
	assert_int_equal(tl_columns_check("start:weeks=a", &err), TL_ERR_USAGE);
	assert_string_equal(
		err.msg, "--columns: unknown unit 'weeks' for start (ns, us, ms, s, min, h or d)");
	/* A unit for one column: ApacheBench's epoch seconds and milliseconds, a timesheet's
	 * minutes. */
	t = read_opts("starttime\tseconds\tctime\tdtime\tttime\twait\n"
		      "Tue Mar 01 13:13:25 2016\t1456827205\t115\t117\t232\t117\n",
		      (tl_read_opts){.columns = "start=seconds,duration:ms=ttime"});
	assert_int_equal(spans(t, 1)->stop, 232000000);
	tl_trace_free(t);
	t = read_opts("Start Time,Time Spent\n2019-05-24T17:24:36+01:00,1.5\n",
		      (tl_read_opts){.columns = "duration:min=Time Spent"});
	assert_int_equal(spans(t, 1)->stop, 90 * SEC);
	tl_trace_free(t);
}

static void test_separators(void **state) {
	(void)state;
	static const char *const files[] = {
		"job\tstart\tstop\n1\t0.5\t2\n",
		"job;start;stop\n1;0,5;2\n",
		"job|start|stop\n1|0.5|2\n",
		"job;start;stop\n1;\"0,5\";2,0\n",
		"# title: x\n\njob;label;start;stop\n1;a, b;0,5;2\n",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		tl_trace *t = read_ok(files[i]);
		const tl_span *s = spans(t, 1);
		assert_int_equal(s->job, 1);
		assert_int_equal(s->start, SEC / 2);
		assert_int_equal(s->stop, 2 * SEC);
		tl_trace_free(t);
	}
	/* A comma file's decimal point stays a point; commas in a comma file are fields. */
	expect_error("start,stop\n0,\"1,5\"\n",
		     "t.csv:2:3: stop time '1,5' is not a number, a date-time or a duration");
}

static void test_times_as_text(void **state) {
	(void)state;
	/* pandas datetime columns: absolute, moved to zero with the origin kept. */
	tl_trace *t = read_ok("start,stop\n2023-11-14 22:13:20.250000,2023-11-14 22:13:21\n"
			      "2023-11-14T22:13:20Z,2023-11-14T23:13:22+01:00\n");
	const tl_span *s = spans(t, 2);
	assert_int_equal(s[0].start, 250000000);
	assert_int_equal(s[0].stop, 1000000000);
	assert_int_equal(s[1].start, 0);
	assert_int_equal(s[1].stop, 2 * SEC);
	assert_string_equal(tl_trace_meta_get(t, "epoch_ns"), "1700000000000000000");
	tl_trace_free(t);
	/* Dates alone, before 2001: still dates. */
	t = read_ok("start,stop\n1999-12-31,2000-01-02\n");
	assert_int_equal(spans(t, 1)->stop, 2 * 86400 * SEC);
	assert_string_equal(tl_trace_meta_get(t, "epoch_ns"), "946598400000000000");
	tl_trace_free(t);
	/* Times of day: a stop before its start is the next day; zero is the earliest. */
	t = read_ok("start,stop\n13:36:30.147,13:36:31\n23:59:59,00:00:01\n");
	s = spans(t, 2);
	assert_int_equal(s[0].start, 0);
	assert_int_equal(s[0].stop, 853000000);
	assert_int_equal(s[1].stop - s[1].start, 2 * SEC);
	assert_null(tl_trace_meta_get(t, "epoch_ns"));
	assert_string_equal(tl_trace_meta_get(t, TL_META_TIME_OF_DAY_NS), "48990147000000");
	assert_string_equal(tl_trace_meta_get(t, "note.next_day"),
			    "1 span ends on the next day (a time of day before the start); a start "
			    "after midnight stays on the first day");
	tl_trace_free(t);
	t = read_ok("start,stop\n23:59:58,23:59:59\n00:00:01,00:00:02\n");
	assert_string_equal(
		tl_trace_meta_get(t, "note.midnight"),
		"line 3 starts half a day before the line above: times of day are read "
		"within one day, so a log across midnight draws the next day's jobs first");
	tl_trace_free(t);
	/* pandas' frame of an array: columns named 0, 1 after the index, a header. */
	t = read_opts(",0,1\n0,0.5,1.5\n1,1,2\n", (tl_read_opts){.columns = "start=0,stop=1"});
	assert_int_equal(spans(t, 2)[0].start, SEC / 2);
	tl_trace_free(t);
	expect_error("start,stop\n60000000000,60000000001\n",
		     "t.csv:2:1: start time '60000000000' is out of range in seconds (--time-unit "
		     "ms, us or ns names another unit)");
	/* Durations with units, clocks, Slurm days, pandas timedeltas. */
	static const struct {
		const char *text;
		tl_ns ns;
	} durs[] = {
		{"39.2s", 39200000000},
		{"184ms", 184000000},
		{"1m 4s", 64000000000},
		{"1h 2m", 3720000000000},
		{"00:12:58", 778000000000},
		{"2-03:04:05", ((2 * 24 + 3) * 3600 + 4 * 60 + 5) * SEC},
		{"0 days 00:00:01.500000", 1500000000},
		{"1.5", 1500000000},
	};
	for (size_t i = 0; i < sizeof(durs) / sizeof(durs[0]); i++) {
		char csv[128];
		snprintf(csv, sizeof(csv), "start,duration\n1,%s\n", durs[i].text);
		t = read_ok(csv);
		assert_int_equal(spans(t, 1)->stop - spans(t, 1)->start, durs[i].ns);
		tl_trace_free(t);
	}
	/* A date-time start with a duration. */
	t = read_ok("submit,start,duration\nx,2023-11-14 22:13:20,1m 4s\n");
	assert_int_equal(spans(t, 1)->stop, 64 * SEC);
	tl_trace_free(t);
	/* One column holds one kind of time. */
	expect_error("start,stop\n1,2\n2023-01-01,2\n",
		     "t.csv:3:1: start time '2023-01-01' is one of dates and times; earlier rows "
		     "of its column hold numbers");
	expect_error("start,stop\n2023-01-01,2023-01-02\n0,1\n",
		     "t.csv:3:1: start time '0' is one of numbers; earlier rows of its column "
		     "hold dates and times");
	expect_error("start,stop\n2023-02-29,2023-03-01\n",
		     "t.csv:2:1: start time '2023-02-29' is not a number, a date-time or a "
		     "duration");
}

/* Bare numbers too large for seconds are epoch ms, µs or ns; the notes say so. */
static void test_epoch_units(void **state) {
	(void)state;
	static const struct {
		const char *csv;
		const char *unit;
	} cases[] = {
		{"start,stop\n1795325949000,1795325950500\n", "milliseconds"},
		{"start,stop\n1795325949000000,1795325950500000\n", "microseconds"},
		{"start,stop\n1795325949000000000,1795325950500000000\n", "nanoseconds"},
	};
	for (size_t i = 0; i < 3; i++) {
		tl_trace *t = read_ok(cases[i].csv);
		assert_int_equal(spans(t, 1)->stop, 1500000000);
		assert_string_equal(tl_trace_meta_get(t, "epoch_ns"), "1795325949000000000");
		char want[200];
		snprintf(want, sizeof(want),
			 "bare times read as %s since 1970 (%.*s is too large for seconds); "
			 "--time-unit says otherwise",
			 cases[i].unit, (int)strcspn(cases[i].csv + 11, ","), cases[i].csv + 11);
		assert_string_equal(tl_trace_meta_get(t, "note.unit"), want);
		tl_trace_free(t);
	}
	/* JMeter: timeStamp in epoch ms, elapsed in ms too. */
	tl_trace *t = read_ok("timeStamp,elapsed,label,threadName\n"
			      "1700000000000,250,GET /,Thread Group 1-1\n"
			      "1700000000100,50,GET /a,Thread Group 1-2\n");
	const tl_span *s = spans(t, 2);
	assert_int_equal(s[0].stop, 250000000);
	assert_int_equal(s[1].start, 100000000);
	assert_int_equal(s[1].stop, 150000000);
	assert_string_equal(tl_trace_str(t, s[1].worker), "Thread Group 1-2");
	tl_trace_free(t);
	/* Too large for seconds and no epoch time: a clock's nanoseconds (perf_counter_ns). */
	t = read_ok("job,t\n0,86400000000000\n0,86400500000000\n");
	assert_int_equal(samples(t, 2)[1].t, 500000000);
	assert_string_equal(tl_trace_meta_get(t, TL_META_CLOCK_NS), "86400000000000");
	assert_string_equal(tl_trace_meta_get(t, "note.unit"),
			    "bare times read as a clock's nanoseconds (86400000000000 is too large "
			    "for seconds and no epoch time); --time-unit says otherwise");
	tl_trace_free(t);
	/* 30 minutes after boot in ns is no epoch time in ms: 2027 is after today. */
	t = read_ok(
		"job,start,stop\n0,1800000000000,1801000000000\n1,1800500000000,1802000000000\n");
	assert_int_equal(spans(t, 2)[1].stop, 2000000000);
	assert_non_null(tl_trace_meta_get(t, TL_META_CLOCK_NS));
	tl_trace_free(t);
	/* Nor is 200 s after boot (1976 in ms). */
	t = read_ok("t\n200000000000\n200500000000\n");
	assert_int_equal(samples(t, 2)[1].t, 500000000);
	tl_trace_free(t);
	/* Seconds-sized numbers stay seconds: no note. */
	t = read_ok("start,stop\n1700000000.5,1700000001\n");
	assert_null(tl_trace_meta_get(t, "note.unit"));
	tl_trace_free(t);
}

static void test_missing_values(void **state) {
	(void)state;
	tl_trace *t = read_ok("mode,start,stop\na,0,1\na,0.5,\na,,2\na,NaN,3\nb,0,4\nb,1,NaT\n");
	const tl_span *s = spans(t, 4);
	assert_int_equal(s[1].stop, 1 * SEC); /* the end of group a */
	assert_int_equal(s[1].status, TL_EXIT_UNFINISHED);
	assert_int_equal(s[3].stop, 4 * SEC);
	assert_int_equal(s[3].status, TL_EXIT_UNFINISHED);
	assert_string_equal(tl_trace_meta_get(t, "note.skipped"),
			    "2 rows with no start time skipped (the first on line 4)");
	assert_string_equal(tl_trace_meta_get(t, "note.unfinished"),
			    "2 spans with no stop (unfinished) drawn to the end of their group");
	tl_group_stats *st;
	assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
	assert_int_equal(st[0].unfinished, 1);
	assert_int_equal(st[0].failed, 0);
	free(st);
	/* Unfinished survives a round trip through the native form. */
	char *text = write_to_string(t);
	assert_non_null(strstr(text, ",unfinished,"));
	tl_trace *back = read_ok(text);
	assert_int_equal(spans(back, 4)[1].status, TL_EXIT_UNFINISHED);
	tl_trace_free(back);
	free(text);
	tl_trace_free(t);
	/* Status words of schedulers, and exit codes as pandas writes them beside a NaN. */
	t = read_ok("start,stop,status\n0,1,CANCELLED by 1000\n0,1,OUT_OF_MEMORY\n0,1,CACHED\n"
		    "0,1,1.0\n0,1,NaN\n0,1,0.0\n0,1,RUNNING\n");
	s = spans(t, 7);
	assert_int_equal(s[0].status, TL_EXIT_CANCELLED);
	assert_int_equal(s[1].status, TL_EXIT_OUT_OF_MEMORY);
	assert_int_equal(s[2].status, 0);
	assert_int_equal(s[3].status, 1);
	assert_int_equal(s[4].status, 0);
	assert_int_equal(s[5].status, 0);
	assert_int_equal(s[6].status, TL_EXIT_UNFINISHED);
	tl_trace_free(t);
	/* A column named like a status that holds something else: read as success, noted. */
	t = read_ok("start,stop,state\n0,1,CA\n0,1,NY\n");
	assert_int_equal(spans(t, 2)[1].status, 0);
	assert_string_equal(tl_trace_meta_get(t, "note.status"),
			    "2 statuses read as success: 'CA' (line 2) is no exit code, signal or "
			    "state word; --columns status= ignores the column");
	tl_trace_free(t);
	/* A job given as NaN is no job: numbered after the group's numbered jobs. */
	t = read_ok(",job,start,stop\n0,0.0,0.0,1.0\n1,1.0,0.5,2.0\n2,,0.6,2.0\n3,NaN,0,1\n");
	assert_int_equal(spans(t, 4)[2].job, 2);
	assert_int_equal(spans(t, 4)[3].job, 3);
	tl_trace_free(t);
	t = read_ok("job,start,stop\n,0,1\n0.0,0,2\n1.0,0.5,1.5\n2.0,0,1\n");
	assert_int_equal(spans(t, 4)[0].job, 3);
	tl_trace_free(t);
	/* Names beside numbers: after them too, names first, per group. */
	t = read_ok("mode,job,start,stop\na,0,0,1\na,fetch,0,2\na,,0,1\nb,fetch,0,1\nb,5,0,1\n"
		    "a,fetch,1,2\n");
	const tl_span *j = spans(t, 6);
	assert_int_equal(j[1].job, 1);
	assert_int_equal(j[2].job, 2);
	assert_int_equal(j[3].job, 6);
	assert_int_equal(j[5].job, 1);
	assert_string_equal(tl_trace_str(t, j[1].label), "fetch");
	tl_trace_free(t);
	/* Stop minus duration when there is no start. */
	t = read_ok("end,duration\n10,2.5\n,1\n");
	assert_int_equal(spans(t, 1)->start, 7500000000);
	assert_string_equal(tl_trace_meta_get(t, "note.skipped"),
			    "1 row with no stop time skipped (the first on line 3)");
	tl_trace_free(t);
	expect_strict("job,end,duration\n1,10,2.5\n2,,1\n", "t.csv:3:3: missing stop time");
}

static void test_groups_one_after_another(void **state) {
	(void)state;
	/* The articles' readers: threads, then processes, in epoch seconds. */
	const char *csv = "mode,start,stop\nthreads,1700000000,1700000024\n"
			  "processes,1700000024.5,1700000029\n";
	tl_trace *t = read_ok(csv);
	const tl_span *s = spans(t, 2);
	assert_int_equal(s[1].start, 0);
	assert_int_equal(s[1].stop, 4500000000);
	assert_non_null(tl_trace_meta_get(t, "note.align"));
	tl_trace_free(t);
	t = read_opts(csv, (tl_read_opts){.align = TL_TIMES_ABSOLUTE});
	assert_int_equal(spans(t, 2)[1].start, 24500000000);
	assert_null(tl_trace_meta_get(t, "note.align"));
	tl_trace_free(t);
	/* Groups that overlap ran at once: their times stay. */
	t = read_ok("mode,start,stop\na,0,2\nb,1,3\n");
	assert_int_equal(spans(t, 2)[1].start, 1 * SEC);
	tl_trace_free(t);
	t = read_opts("mode,start,stop\na,0,2\nb,1,3\n", (tl_read_opts){.align = TL_TIMES_START});
	assert_int_equal(spans(t, 2)[1].start, 0);
	tl_trace_free(t);
}

static void test_ten_megabyte_line(void **state) {
	(void)state;
	size_t n = 10 * 1024 * 1024;
	char *csv = malloc(n + 64);
	assert_non_null(csv);
	strcpy(csv, "start,stop,label\n0,1,");
	size_t off = strlen(csv);
	memset(csv + off, 'x', n);
	strcpy(csv + off + n, "\n");
	tl_trace *t = read_ok(csv);
	assert_int_equal(tl_trace_str_len(t, spans(t, 1)->label), n);
	tl_trace_free(t);
	free(csv);
}

/* ---- writer and round trips ---- */

static char *write_to_string(const tl_trace *t) {
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(tl_csv_write(t, f, "mem", NULL), TL_OK);
	fclose(f);
	return buf;
}

static void test_writer_native_form(void **state) {
	(void)state;
	tl_trace *t = read_ok("# title: demo\nmode,job,worker,start,stop,status,label\n"
			      "threads,0,1,0,1.5,0,\"a,b\"\nthreads,1,2,-0.000000001,2,SIGKILL,\n");
	char *out = write_to_string(t);
	assert_string_equal(out, "# timeline " TL_VERSION " native CSV, times in seconds\n"
				 "# title: demo\n"
				 "kind,group,job,worker,start,stop,status,label\n"
				 "span,threads,0,1,0.000000000,1.500000000,0,\"a,b\"\n"
				 "span,threads,1,2,-0.000000001,2.000000000,SIGKILL,\n");
	free(out);
	tl_trace_free(t);
}

/*
 * A header and no rows is an empty trace (pandas reads an empty frame): a
 * run interrupted before any job completed writes exactly that, and such
 * files used to be refused with "no rows after the header".
 */
static void test_header_only_is_an_empty_trace(void **state) {
	(void)state;
	tl_trace *t = read_ok("start,stop\n");
	spans(t, 0);
	samples(t, 0);
	assert_int_equal(tl_trace_group_count(t), 0);
	assert_false(tl_trace_interrupted(t, NULL, 0));
	tl_trace_free(t);
	t = read_ok("\xef\xbb\xbfjob,t\r\n\r\n# trailing comment\r\n");
	samples(t, 0);
	tl_trace_free(t);
	/* What the runner writes when stopped before the first job ended. */
	const char *native = "# timeline " TL_VERSION " native CSV, times in seconds\n"
			     "# workload: sleep\n"
			     "# interrupted: yes, 0 of 8 jobs completed\n"
			     "kind,group,job,worker,start,stop,status,label\n";
	t = read_ok(native);
	spans(t, 0);
	assert_string_equal(tl_trace_meta_get(t, TL_META_INTERRUPTED),
			    "yes, 0 of 8 jobs completed");
	char buf[64];
	assert_true(tl_trace_interrupted(t, buf, sizeof(buf)));
	assert_string_equal(buf, "interrupted: 0 of 8 jobs completed");
	char *out = write_to_string(t);
	assert_string_equal(out, native); /* and it reads back to the same bytes */
	free(out);
	tl_trace_free(t);
	/* The same as Chrome JSON: an empty trace timeline wrote reads back; others do not. */
	const char *ours = "{\"traceEvents\":[\n],\"otherData\":{\"generator\":\"timeline\","
			   "\"interrupted\":\"0 of 8 jobs completed\"}}";
	tl_read_opts ro = {0};
	assert_int_equal(tl_read_mem(ours, strlen(ours), "t.json", &ro, &t, NULL), TL_OK);
	spans(t, 0);
	assert_true(tl_trace_interrupted(t, NULL, 0));
	tl_trace_free(t);
	struct tl_error err = {0};
	const char *foreign = "{\"traceEvents\":[]}";
	assert_int_equal(tl_read_mem(foreign, strlen(foreign), "t.json", &ro, &t, &err),
			 TL_ERR_INPUT);
	assert_string_equal(err.msg, "no spans or samples in the trace (X, B/E or instant events)");
}

/*
 * Groups with nothing in them (modes a run never finished a job of) are
 * declared by rows of kind group, so the chart of the file still has their
 * panels; files without such groups are written as before.
 */
static void test_empty_groups_declared(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g;
	assert_int_equal(tl_trace_group(t, "serial", 6, &g, NULL), TL_OK);
	assert_int_equal(tl_trace_group(t, "threads, GIL", 12, &g, NULL), TL_OK);
	assert_int_equal(tl_trace_group(t, "processes", 9, &g, NULL), TL_OK);
	tl_span s = {.group = 0, .job = 0, .start = 0, .stop = SEC};
	assert_int_equal(tl_trace_add_span(t, &s, NULL), TL_OK);
	assert_int_equal(tl_trace_meta_set(t, TL_META_INTERRUPTED, "1 of 12 jobs completed", NULL),
			 TL_OK);
	const char *want = "# timeline " TL_VERSION " native CSV, times in seconds\n"
			   "# interrupted: 1 of 12 jobs completed\n"
			   "kind,group,job,worker,start,stop,status,label\n"
			   "group,serial,,,,,,\n"
			   "group,\"threads, GIL\",,,,,,\n"
			   "group,processes,,,,,,\n"
			   "span,serial,0,,0.000000000,1.000000000,0,\n";
	char *out = write_to_string(t);
	assert_string_equal(out, want);
	tl_trace *back = read_ok(out);
	assert_int_equal(tl_trace_group_count(back), 3);
	assert_string_equal(tl_trace_group_name(back, 1), "threads, GIL");
	assert_string_equal(tl_trace_group_name(back, 2), "processes");
	spans(back, 1);
	char *again = write_to_string(back);
	assert_string_equal(again, want);
	free(again);
	free(out);
	tl_trace_free(back);
	/* Chrome JSON keeps them too: a named process each, which timeline reads back. */
	char *json = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&json, &len);
	assert_int_equal(tl_chrome_write_for_tests(t, f), TL_OK);
	fclose(f);
	tl_read_opts ro = {.format = TL_FORMAT_CHROME};
	assert_int_equal(tl_read_mem(json, len, "t.json", &ro, &back, NULL), TL_OK);
	again = write_to_string(back);
	assert_string_equal(again, want);
	free(again);
	free(json);
	tl_trace_free(back);
	/* A declaration after rows of its group changes nothing; kinds are words. */
	back = read_ok("kind,group,start,stop\nspan,a,0,1\nGroup,a,,\ngroup,b,,\n");
	assert_int_equal(tl_trace_group_count(back), 2);
	spans(back, 1);
	tl_trace_free(back);
	tl_trace_free(t);
}

static void test_interrupted_text(void **state) {
	(void)state;
	static const char *const cases[][2] = {
		{"3 of 8 jobs completed", "interrupted: 3 of 8 jobs completed"},
		{"yes, 3 of 8 jobs completed", "interrupted: 3 of 8 jobs completed"},
		{"Yes; 3 of 8", "interrupted: 3 of 8"},
		{"true", "interrupted"},
		{"yes", "interrupted"},
		{"", "interrupted"},
		{"yesterday", "interrupted: yesterday"},
		{"by\tSIGINT\nat 3 s", "interrupted: by SIGINT at 3 s"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tl_trace *t = tl_trace_new();
		assert_int_equal(tl_trace_meta_set(t, TL_META_INTERRUPTED, cases[i][0], NULL),
				 TL_OK);
		char buf[64];
		assert_true(tl_trace_interrupted(t, buf, sizeof(buf)));
		assert_string_equal(buf, cases[i][1]);
		tl_trace_free(t);
	}
	/* Cut to the buffer on a character boundary: "é" is two bytes. */
	tl_trace *t = tl_trace_new();
	assert_int_equal(tl_trace_meta_set(t, TL_META_INTERRUPTED, "\xc3\xa9\xc3\xa9", NULL),
			 TL_OK);
	char small[17]; /* "interrupted: " is 13 bytes, then "é" and half of the next */
	assert_true(tl_trace_interrupted(t, small, sizeof(small)));
	assert_string_equal(small, "interrupted: \xc3\xa9");
	assert_true(tl_trace_interrupted(t, NULL, 0));
	tl_trace_free(t);
}

static bool is_reader_note(const char *key) {
	return strncmp(key, TL_META_NOTE_PREFIX, strlen(TL_META_NOTE_PREFIX)) == 0 ||
	       strcmp(key, TL_META_COLUMNS) == 0;
}

static void assert_same_trace(const tl_trace *a, const tl_trace *b) {
	assert_int_equal(tl_trace_group_count(a), tl_trace_group_count(b));
	for (uint32_t g = 0; g < tl_trace_group_count(a); g++) {
		assert_string_equal(tl_trace_group_name(a, g), tl_trace_group_name(b, g));
	}
	size_t na, nb;
	const tl_span *sa = tl_trace_spans(a, &na);
	const tl_span *sb = tl_trace_spans(b, &nb);
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		assert_int_equal(sa[i].start, sb[i].start);
		assert_int_equal(sa[i].stop, sb[i].stop);
		assert_int_equal(sa[i].job, sb[i].job);
		assert_int_equal(sa[i].group, sb[i].group);
		assert_int_equal(sa[i].status, sb[i].status);
		assert_string_equal(tl_trace_str(a, sa[i].worker), tl_trace_str(b, sb[i].worker));
		assert_string_equal(tl_trace_str(a, sa[i].label), tl_trace_str(b, sb[i].label));
	}
	const tl_sample *pa = test_samples(a, &na);
	const tl_sample *pb = test_samples(b, &nb);
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		assert_int_equal(pa[i].t, pb[i].t);
		assert_int_equal(pa[i].job, pb[i].job);
		assert_int_equal(pa[i].group, pb[i].group);
		assert_string_equal(tl_trace_str(a, pa[i].worker), tl_trace_str(b, pb[i].worker));
	}
	/* Metadata, less what the reader says about how it read the file. */
	size_t ia = 0, ib = 0;
	for (;;) {
		const char *ka = NULL, *va = NULL, *kb = NULL, *vb = NULL;
		while (ia < tl_trace_meta_count(a) && tl_trace_meta_at(a, ia++, &ka, &va) &&
		       is_reader_note(ka)) {
			ka = NULL;
		}
		while (ib < tl_trace_meta_count(b) && tl_trace_meta_at(b, ib++, &kb, &vb) &&
		       is_reader_note(kb)) {
			kb = NULL;
		}
		if (!ka || !kb) {
			assert_null(ka);
			assert_null(kb);
			break;
		}
		assert_string_equal(ka, kb);
		assert_string_equal(va, vb);
	}
}

static uint64_t rng_state;

static uint64_t rnd(void) {
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Strings that stress quoting: commas, quotes, line breaks, blanks, UTF-8, '#'. */
static void random_text(char *buf, size_t size) {
	static const char *const parts[] = {"a",    "b",  ",",   "\"",           "\n",
					    "\r\n", " ",  "#",   "\xe4\xbb\xbb", "job",
					    "7",    "\t", "x y", "\xc2\xb5"};
	size_t n = rnd() % 5, o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const char *p = parts[rnd() % (sizeof(parts) / sizeof(parts[0]))];
		size_t l = strlen(p);
		if (o + l + 1 >= size) {
			break;
		}
		memcpy(buf + o, p, l);
		o += l;
		buf[o] = '\0';
	}
}

/* Largest magnitude random_time() returns; Chrome JSON keeps ns below 2^53. */
static tl_ns time_limit = TL_EPOCH_THRESHOLD_NS / 2;

static tl_ns random_time(void) {
	if (time_limit < TL_EPOCH_THRESHOLD_NS / 2) {
		tl_ns v = (tl_ns)(rnd() % (uint64_t)time_limit);
		return rnd() % 2 ? v : -v;
	}
	switch (rnd() % 4) {
	case 0:
		return (tl_ns)(rnd() % 1000);
	case 1:
		return (tl_ns)(rnd() % (1000 * SEC)) - 10 * SEC;
	case 2:
		return (tl_ns)(rnd() % (TL_EPOCH_THRESHOLD_NS / 2));
	default:
		return -(tl_ns)(rnd() % (TL_EPOCH_THRESHOLD_NS / 2));
	}
}

static tl_trace *random_trace(void) {
	tl_trace *t = tl_trace_new();
	char buf[64];
	size_t nmeta = rnd() % 4;
	for (size_t i = 0; i < nmeta; i++) {
		char key[16], val[64];
		snprintf(key, sizeof(key), "k%zu", i);
		random_text(val, sizeof(val));
		for (char *p = val; *p; p++) {
			if (*p == '\n' || *p == '\r') {
				*p = '_';
			}
		}
		tl_trace_meta_set(t, key, val, NULL);
	}
	size_t rows = 1 + rnd() % 60;
	for (size_t i = 0; i < rows; i++) {
		static const char *const groups[] = {"threads", "", "pro,cesses",
						     "\xe5\xa4\x9a \"x\""};
		const char *gname = groups[rnd() % 4];
		uint32_t g;
		assert_int_equal(tl_trace_group(t, gname, strlen(gname), &g, NULL), TL_OK);
		tl_str worker, label;
		random_text(buf, sizeof(buf));
		tl_trace_intern(t, buf, strlen(buf), &worker, NULL);
		random_text(buf, sizeof(buf));
		tl_trace_intern(t, buf, strlen(buf), &label, NULL);
		int64_t job = (int64_t)(rnd() % 100) - 5;
		if (rnd() % 2) {
			tl_ns a = random_time(), d = (tl_ns)(rnd() % (100 * SEC));
			int32_t statuses[] = {0, 1, 255, TL_EXIT_TIMEOUT, -9, -15, -64};
			tl_span sp = {.group = g,
				      .job = job,
				      .worker = worker,
				      .label = label,
				      .start = a,
				      .stop = a + d,
				      .status = statuses[rnd() % 7]};
			assert_int_equal(tl_trace_add_span(t, &sp, NULL), TL_OK);
		} else {
			tl_sample sa = {
				.group = g, .job = job, .worker = worker, .t = random_time()};
			assert_int_equal(tl_trace_add_sample(t, &sa, NULL), TL_OK);
		}
	}
	return t;
}

static void test_round_trip_property(void **state) {
	(void)state;
	rng_state = 0x9e3779b97f4a7c15ULL;
	for (int iter = 0; iter < 500; iter++) {
		tl_trace *t = random_trace();
		char *csv = write_to_string(t);
		tl_trace *back = NULL;
		struct tl_error err = {0};
		if (tl_csv_read(csv, strlen(csv), "rt.csv", TL_UNIT_DEFAULT, &back, &err) !=
		    TL_OK) {
			char buf[2048];
			fail_msg("iteration %d: %s\n%s", iter,
				 tl_error_format(&err, buf, sizeof(buf)), csv);
		}
		assert_same_trace(t, back);
		/* And written again, byte for byte the same text. */
		char *again = write_to_string(back);
		assert_string_equal(csv, again);
		free(again);
		free(csv);
		tl_trace_free(back);
		tl_trace_free(t);
	}
}

static void test_chrome_round_trip_property(void **state) {
	(void)state;
	rng_state = 0x2545f4914f6cdd1dULL;
	time_limit = (tl_ns)1 << 50;
	for (int iter = 0; iter < 300; iter++) {
		tl_trace *t = random_trace();
		char *json = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&json, &len);
		assert_int_equal(tl_chrome_write_for_tests(t, f), TL_OK);
		fclose(f);
		tl_trace *back = NULL;
		struct tl_error err = {0};
		tl_read_opts o = {.format = TL_FORMAT_CHROME};
		if (tl_read_mem(json, len, "rt.json", &o, &back, &err) != TL_OK) {
			char buf[2048];
			fail_msg("iteration %d: %s\n%s", iter,
				 tl_error_format(&err, buf, sizeof(buf)), json);
		}
		assert_same_trace(t, back);
		free(json);
		tl_trace_free(back);
		tl_trace_free(t);
	}
	time_limit = TL_EPOCH_THRESHOLD_NS / 2;
}

static void test_write_file_atomic(void **state) {
	(void)state;
	char dir[] = "/tmp/tl-test-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof(path), "%s/out.csv", dir);
	tl_trace *t = read_ok("start,stop\n0,1\n");
	assert_int_equal(tl_write_file(t, path, TL_FORMAT_CSV, NULL), TL_OK);
	tl_trace *back = NULL;
	assert_int_equal(tl_read_file(path, NULL, &back, NULL), TL_OK);
	assert_same_trace(t, back);
	tl_trace_free(back);
	/* A folder that does not exist: an error naming the file, nothing written. */
	char bad[300];
	snprintf(bad, sizeof(bad), "%s/missing/out.csv", dir);
	struct tl_error err = {0};
	assert_int_equal(tl_write_file(t, bad, TL_FORMAT_CSV, &err), TL_ERR_IO);
	assert_string_equal(err.path, bad);
	tl_trace_free(t);
	unlink(path);
	assert_int_equal(rmdir(dir), 0); /* no temporary file left behind */
}

static char *file_text(const char *path) {
	static char buf[256];
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	buf[n] = '\0';
	if (f) {
		fclose(f);
	}
	return buf;
}

static void test_output_whole_or_not_at_all(void **state) {
	(void)state;
	char dir[] = "/tmp/tl-test-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof(path), "%s/report.md", dir);
	tl_output *o = NULL;
	assert_int_equal(tl_output_open(path, &o, NULL), TL_OK);
	fputs("first\n", tl_output_stream(o));
	assert_int_equal(access(path, F_OK), -1); /* nothing at the name until committed */
	assert_int_equal(tl_output_commit(o, NULL), TL_OK);
	assert_string_equal(file_text(path), "first\n");
	/* An abandoned rewrite leaves the old file as it was. */
	assert_int_equal(tl_output_open(path, &o, NULL), TL_OK);
	fputs("second, half wri", tl_output_stream(o));
	tl_output_abort(o);
	assert_string_equal(file_text(path), "first\n");
	tl_output_abort(NULL);
	/* A folder that does not exist: an error naming the file. */
	char bad[300];
	snprintf(bad, sizeof(bad), "%s/missing/report.md", dir);
	struct tl_error err = {0};
	assert_int_equal(tl_output_open(bad, &o, &err), TL_ERR_IO);
	assert_null(o);
	assert_string_equal(err.path, bad);
	unlink(path);
	assert_int_equal(rmdir(dir), 0); /* no temporary file left behind */
}

/* The inputs mapped while they are read, as a SIGBUS handler finds them. */
static void test_mapped_inputs(void **state) {
	(void)state;
	static char a[64], b[64];
	const char *name = NULL;
	int sa = tl_mapped_add(a, sizeof(a), "a.csv"), sb = tl_mapped_add(b, 10, "b.csv");
	assert_true(sa >= 0 && sb >= 0 && sa != sb);
	assert_true(tl_input_at(a, &name));
	assert_string_equal(name, "a.csv");
	assert_true(tl_input_at(a + 63, &name));
	assert_true(tl_input_at(b + 9, &name));
	assert_string_equal(name, "b.csv");
	assert_false(tl_input_at(b + 10, &name)); /* one past the end */
	tl_mapped_remove(sa);
	assert_false(tl_input_at(a, &name));
	/* Sixteen at most: the rest are read unregistered. */
	int slots[16];
	int n = 0;
	while (n < 16 && (slots[n] = tl_mapped_add(a, 1, "x")) >= 0) {
		n++;
	}
	assert_int_equal(n, 15); /* b.csv holds one */
	assert_int_equal(tl_mapped_add(a, 1, "y"), -1);
	for (int i = 0; i < n; i++) {
		tl_mapped_remove(slots[i]);
	}
	tl_mapped_remove(sb);
	tl_mapped_remove(-1);
	assert_false(tl_input_at(b, &name));
}

static void test_read_file_errors(void **state) {
	(void)state;
	struct tl_error err = {0};
	tl_trace *t = NULL;
	assert_int_equal(tl_read_file("/nonexistent/x.csv", NULL, &t, &err), TL_ERR_IO);
	char buf[2048];
	assert_string_equal(tl_error_format(&err, buf, sizeof(buf)),
			    "/nonexistent/x.csv: cannot open: No such file or directory");
	assert_int_equal(tl_read_file("/tmp", NULL, &t, &err), TL_ERR_IO);
	assert_string_equal(tl_error_format(&err, buf, sizeof(buf)), "/tmp: is a directory");
	assert_null(t);
}

/* ---- reading on several threads ---- */

/* Everything a trace holds, as text, to compare two reads. */
static char *dump_trace(const tl_trace *t) {
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	for (uint32_t g = 0; g < tl_trace_group_count(t); g++) {
		fprintf(f, "group %u %s\n", g, tl_trace_group_name(t, g));
	}
	size_t n;
	const tl_span *sp = tl_trace_spans(t, &n);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "span %u %lld %lld %lld %u:%s %u:%s %d\n", sp[i].group,
			(long long)sp[i].job, (long long)sp[i].start, (long long)sp[i].stop,
			sp[i].worker, tl_trace_str(t, sp[i].worker), sp[i].label,
			tl_trace_str(t, sp[i].label), sp[i].status);
	}
	const tl_sample *sa = test_samples(t, &n);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "sample %u %lld %lld %u:%s\n", sa[i].group, (long long)sa[i].job,
			(long long)sa[i].t, sa[i].worker, tl_trace_str(t, sa[i].worker));
	}
	const tl_track *tk = tl_trace_tracks(t, &n);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "track %u %lld %u %zu %lld %lld\n", tk[i].group, (long long)tk[i].job,
			tk[i].worker, tk[i].samples, (long long)tk[i].first, (long long)tk[i].last);
	}
	for (size_t i = 0; i < tl_trace_meta_count(t); i++) {
		const char *k, *v;
		tl_trace_meta_at(t, i, &k, &v);
		fprintf(f, "meta %s=%s\n", k, v);
	}
	tl_ns lo = 0, hi = 0;
	fprintf(f, "bounds %d %lld %lld\n", tl_trace_bounds(t, &lo, &hi), (long long)lo,
		(long long)hi);
	fclose(f);
	return buf;
}

/* Read len bytes of csv as t.csv, on threads threads (1: one). */
static tl_status read_on(const char *csv, size_t len, const tl_read_opts *o, int threads,
			 tl_trace **ret, struct tl_error *err) {
	tl_csv_set_split(threads > 1 ? 0 : SIZE_MAX, threads);
	tl_status st = tl_read_mem(csv, len, "t.csv", o, ret, err);
	tl_csv_set_split((size_t)4 << 20, 0);
	return st;
}

/* The outcome of one read (samples kept, or counted in their tracks only): the trace dumped, or
 * the error message. */
static char *read_split(const char *csv, size_t max_rows, bool tracks_only, int threads) {
	tl_read_opts o = {
		.format = TL_FORMAT_CSV, .max_rows = max_rows, .tracks_only = tracks_only};
	tl_trace *t = NULL;
	struct tl_error err = {0};
	tl_status st = read_on(csv, strlen(csv), &o, threads, &t, &err);
	if (st != TL_OK) {
		char buf[2048];
		return strdup(tl_error_format(&err, buf, sizeof(buf)));
	}
	char *d = dump_trace(t);
	tl_trace_free(t);
	return d;
}

/*
 * Read csv on one thread and on 2 to 8, samples kept and counted only: the
 * same trace, or the same message.
 */
static void same_on_threads(const char *csv, size_t max_rows) {
	for (int only = 0; only < 2; only++) {
		char *one = read_split(csv, max_rows, only, 1);
		for (int k = 2; k <= 8; k++) {
			char *many = read_split(csv, max_rows, only, k);
			if (strcmp(one, many) != 0) {
				fail_msg("%d threads read otherwise%s:\n--- one "
					 "thread\n%.3000s\n--- "
					 "%d\n%.3000s",
					 k, only ? " (tracks only)" : "", one, k, many);
			}
			free(many);
		}
		free(one);
	}
}

/* A table of rows made by row(i, buf) for i < n, after header. */
static char *table(const char *header, size_t n, void (*row)(size_t, char *, size_t)) {
	size_t cap = strlen(header) + 1 + n * 256, len = 0;
	char *s = malloc(cap);
	assert_non_null(s);
	len += (size_t)snprintf(s, cap, "%s\n", header);
	for (size_t i = 0; i < n; i++) {
		char line[256];
		row(i, line, sizeof(line));
		size_t l = strlen(line);
		assert_true(len + l + 1 < cap);
		memcpy(s + len, line, l + 1);
		len += l;
	}
	return s;
}

static void tracker_row(size_t i, char *b, size_t n) {
	/* threads, then processes from two thirds on: a group first met in a late chunk */
	snprintf(b, n, "%s,%zu,%zu.%09zu\n", i < 2000 ? "threads" : "processes", i % 4, i / 1000,
		 (i * 7919) % 1000000000);
}

static void test_threads_samples(void **state) {
	(void)state;
	char *s = table("mode,job,t", 3000, tracker_row);
	same_on_threads(s, 0);
	/* The row limit names the same row. */
	same_on_threads(s, 2500);
	same_on_threads(s, 3000);
	free(s);
}

static void gantt_row(size_t i, char *b, size_t n) {
	/* Workers and labels first met in every chunk, one of them a group's name too. */
	snprintf(b, n, "%s,%zu,w%zu,%zu.5,%zu.75,%s,l%zu\n",
		 i < 700    ? "a"
		 : i < 1400 ? "w3"
			    : "b",
		 i, (i * 31) % 97, i, i + 1,
		 i % 5   ? "0"
		 : i % 3 ? "failed"
			 : "SIGKILL",
		 i / 50);
}

static void test_threads_spans(void **state) {
	(void)state;
	char *s = table("mode,job,worker,start,stop,status,label", 2100, gantt_row);
	same_on_threads(s, 0);
	free(s);
}

/* s (len bytes) with a span whose label holds 10 000 line breaks put in at byte at. */
static char *with_quoted_lines(const char *s, size_t len, size_t at) {
	const char *quoted = "x,1,w1,1.0,2.0,0,\"";
	char *t = malloc(len + strlen(quoted) + 20000 + 3);
	assert_non_null(t);
	memcpy(t, s, at);
	size_t k = at;
	memcpy(t + k, quoted, strlen(quoted));
	k += strlen(quoted);
	for (int i = 0; i < 10000; i++) {
		t[k++] = 'q';
		t[k++] = '\n';
	}
	memcpy(t + k, "\"\n", 2);
	k += 2;
	memcpy(t + k, s + at, len - at + 1);
	return t;
}

static void test_threads_quoted_newlines(void **state) {
	(void)state;
	char *s = table("mode,job,worker,start,stop,status,label", 1000, gantt_row);
	size_t len = strlen(s);
	/* Across the middle: every cut but the first falls inside the quotes. */
	char *nl = strchr(s + len / 2, '\n');
	assert_non_null(nl);
	char *t = with_quoted_lines(s, len, (size_t)(nl + 1 - s));
	same_on_threads(t, 0);
	free(t);
	/* From the second row on, across the end of the first chunk. */
	t = with_quoted_lines(s, len, (size_t)(strchr(strchr(s, '\n') + 1, '\n') + 1 - s));
	same_on_threads(t, 0);
	free(t);
	/* Also with the quotes in the first row only. */
	char *q = strstr(s, ",l0\n");
	memcpy(q, ",\"\n\"", 4);
	same_on_threads(s, 0);
	free(s);
}

static void test_threads_first_error(void **state) {
	(void)state;
	char *s = table("mode,job,t", 3000, tracker_row);
	/* Bad values in the last chunk and in a middle one: the earlier is reported. */
	char *late = strstr(s, "processes,2,2");
	char *mid = strstr(s, "threads,1,1");
	assert_non_null(late);
	assert_non_null(mid);
	late[12] = 'x';
	same_on_threads(s, 0);
	mid[10] = 'y';
	same_on_threads(s, 0);
	free(s);
	/* A stop before its start, an odd status, a comment, a blank line, CRLF. */
	s = table("mode,job,worker,start,stop,status,label", 2100, gantt_row);
	char *row = strstr(s, "\nb,1800,");
	char *stop = strchr(row + 8, ',');
	stop = strchr(stop + 1, ',');
	stop[1] = '0';
	same_on_threads(s, 0);
	free(s);
	s = table("mode,job,worker,start,stop,status,label", 2100, gantt_row);
	memcpy(strstr(s, "failed"), "fooled", 6);
	memcpy(strstr(s + strlen(s) / 2, "failed"), "fooled", 6);
	same_on_threads(s, 0);
	memcpy(strstr(s, "\nb,1500,") + 1, "#", 1);
	same_on_threads(s, 0);
	memcpy(strstr(s, "\nb,1600,") + 1, "\n", 1);
	same_on_threads(s, 0);
	free(s);
}

/* The error of reading len bytes of csv on threads threads. */
static char *read_error(const char *csv, size_t len, int threads) {
	tl_read_opts o = {.format = TL_FORMAT_CSV};
	tl_trace *t = NULL;
	struct tl_error err = {0};
	tl_status st = read_on(csv, len, &o, threads, &t, &err);
	tl_trace_free(t);
	assert_int_equal(st, TL_ERR_INPUT);
	char buf[2048];
	return strdup(tl_error_format(&err, buf, sizeof(buf)));
}

static void native_row(size_t i, char *b, size_t n) {
	snprintf(b, n, "sample,threads,%zu,,%zu.%09zu,,,\n", i % 4, i / 1000,
		 (i * 7919) % 1000000000);
}

/*
 * A NUL byte past the first megabyte, which is looked at while the lines are
 * counted (on every thread), is reported as one found before reading.
 */
static void test_nul_past_the_header(void **state) {
	(void)state;
	for (int form = 0; form < 2; form++) {
		char *s = form ? table("kind,group,job,worker,start,stop,status,label", 60000,
				       native_row)
			       : table("mode,job,t", 100000, tracker_row);
		size_t len = strlen(s);
		assert_true(len > ((size_t)3 << 20) / 2);
		/* Four bytes into the line that starts after 1.4 MB. */
		char *line = strchr(s + ((size_t)14 << 20) / 10, '\n') + 1;
		line[3] = '\0';
		long lineno = 1;
		for (const char *p = s; p < line; p++) {
			lineno += *p == '\n';
		}
		char want[128];
		snprintf(want, sizeof(want),
			 "t.csv:%ld:4: binary data (a NUL byte): not a text file", lineno);
		for (int k = 1; k <= 4; k++) {
			char *got = read_error(s, len, k);
			assert_string_equal(got, want);
			free(got);
		}
		free(s);
	}
}

/* The statistics of csv read on threads threads, its samples kept or counted in their tracks. */
static tl_group_stats *stats_of(const char *csv, int threads, bool tracks_only, size_t *ret_ng,
				size_t *ret_kept) {
	tl_read_opts o = {.format = TL_FORMAT_CSV, .tracks_only = tracks_only};
	tl_trace *t = NULL;
	struct tl_error err = {0};
	if (read_on(csv, strlen(csv), &o, threads, &t, &err) != TL_OK) {
		char buf[2048];
		fail_msg("%s", tl_error_format(&err, buf, sizeof(buf)));
	}
	tl_group_stats *gs = NULL;
	assert_int_equal(tl_trace_stats(t, &gs, NULL), TL_OK);
	*ret_ng = tl_trace_group_count(t);
	*ret_kept = tl_trace_sample_count(t);
	tl_trace_free(t);
	return gs;
}

static void named_row(size_t i, char *b, size_t n) {
	/* Numbered jobs, some named, some with none; groups met again later. */
	char job[32];
	if (i % 97 == 0) {
		snprintf(job, sizeof(job), "n%zu", i % 5);
	} else if (i % 101 == 0) {
		job[0] = '\0';
	} else {
		snprintf(job, sizeof(job), "%zu", i % 13);
	}
	snprintf(b, n, "g%zu,%s,w%zu,%zu.%04zu\n", (i / 500) % 3, job, i % 4, i / 10000, i % 10000);
}

/*
 * `timeline stats` of one input counts samples in their tracks and keeps
 * none (but those a named job makes it renumber): the same figures as when
 * they are kept, on any number of threads.
 */
static void test_tracks_only_stats(void **state) {
	(void)state;
	char *tables[] = {table("mode,job,t", 3000, tracker_row),
			  table("group,job,worker,t", 3000, named_row)};
	for (size_t k = 0; k < 2; k++) {
		size_t ng, ng1, kept, kept1;
		tl_group_stats *want = stats_of(tables[k], 1, false, &ng, &kept);
		assert_int_equal(kept, 3000);
		for (int threads = 1; threads <= 4; threads++) {
			tl_group_stats *got = stats_of(tables[k], threads, true, &ng1, &kept1);
			assert_int_equal(ng1, ng);
			/* Only the samples whose job is a name or none are kept, to be numbered. */
			assert_true(kept1 < (k ? 100 : 1));
			for (size_t g = 0; g < ng; g++) {
				assert_int_equal(got[g].samples, want[g].samples);
				assert_int_equal(got[g].jobs, want[g].jobs);
				assert_int_equal(got[g].workers, want[g].workers);
				assert_int_equal(got[g].first, want[g].first);
				assert_int_equal(got[g].wall, want[g].wall);
				assert_int_equal(got[g].busy, want[g].busy);
				assert_true(got[g].speedup == want[g].speedup);
			}
			free(got);
		}
		free(want);
		free(tables[k]);
	}
}

/* The error of reading len bytes of csv as stats of one input reads them, on threads threads. */
static char *tracks_only_error(const char *csv, size_t len, int threads) {
	tl_read_opts o = {.format = TL_FORMAT_CSV, .tracks_only = true};
	tl_trace *t = NULL;
	struct tl_error err = {0};
	tl_status st = read_on(csv, len, &o, threads, &t, &err);
	tl_trace_free(t);
	assert_int_not_equal(st, TL_OK);
	char buf[2048];
	return strdup(tl_error_format(&err, buf, sizeof(buf)));
}

/* Counting samples in their tracks, the chunks are not counted ahead: bad bytes still tell. */
static void test_tracks_only_errors(void **state) {
	(void)state;
	char *s = table("mode,job,t", 3000, tracker_row);
	size_t len = strlen(s);
	char *late = strstr(s, "processes,2,2");
	assert_non_null(late);
	late[12] = 'x';
	char *want = read_error(s, len, 1);
	for (int k = 1; k <= 4; k++) {
		char *got = tracks_only_error(s, len, k);
		assert_string_equal(got, want);
		free(got);
	}
	free(want);
	late[12] = '\0';
	want = read_error(s, len, 1);
	assert_non_null(strstr(want, "binary data (a NUL byte)"));
	for (int k = 1; k <= 4; k++) {
		char *got = tracks_only_error(s, len, k);
		assert_string_equal(got, want);
		free(got);
	}
	free(want);
	free(s);
	/* A bad time in the first row, and a NUL byte past the first megabyte (looked at only as
	 * the rows are read): the NUL byte is the error, as on one thread. */
	s = table("mode,job,t", 100000, tracker_row);
	len = strlen(s);
	strchr(s, '\n')[11] = 'x';
	char *line = strchr(s + ((size_t)14 << 20) / 10, '\n') + 1;
	line[3] = '\0';
	want = read_error(s, len, 1);
	assert_non_null(strstr(want, "binary data (a NUL byte)"));
	for (int k = 1; k <= 4; k++) {
		char *got = tracks_only_error(s, len, k);
		assert_string_equal(got, want);
		free(got);
	}
	free(want);
	free(s);
}

static void crlf_row(size_t i, char *b, size_t n) {
	snprintf(b, n, "%zu,%zu.%03zu,%zu.%03zu\r\n", i % 7, i, i % 1000, i + 2, i % 1000);
}

static void test_threads_crlf_and_unterminated(void **state) {
	(void)state;
	char *s = table("job,start,stop", 4000, crlf_row);
	same_on_threads(s, 0);
	s[strlen(s) - 2] = '\0'; /* the last line without its line end */
	same_on_threads(s, 0);
	free(s);
}

/*
 * Runs of rows that repeat all but their time: keys of every length around
 * the 32 bytes a repeat is matched in, whole and fractional times, an
 * exponent, CRLF runs.
 */
static void repeat_row(size_t i, char *b, size_t n) {
	size_t run = i / 37;
	static const char *const modes[] = {"threads",
					    "processes",
					    "p",
					    "",
					    "gggggggggggggggggggggg",
					    "ggggggggggggggggggggggg",
					    "gggggggggggggggggggggggg",
					    "ggggggggggggggggggggggggggggggg"};
	const char *mode = modes[run % 8], *eol = run % 5 == 3 ? "\r\n" : "\n";
	switch (run % 4) {
	case 0:
		snprintf(b, n, "%s,%zu,w%zu,%zu.%09zu%s", mode, run % 3, run % 2, i / 100,
			 (i * 7919) % 1000000000, eol);
		break;
	case 1:
		snprintf(b, n, "%s,%zu,w%zu,%zu%s", mode, run % 3, run % 2, i * 1000, eol);
		break;
	case 2:
		snprintf(b, n, "%s,%zu,w%zu,%zu.5e-3%s", mode, run % 3, run % 2, i, eol);
		break;
	default:
		snprintf(b, n, "%s,%zu,,%zu.%03zu%s", mode, run % 3, i / 10, i % 1000, eol);
	}
}

/* Rows longer than 32 bytes, their keys within them: a chunk's last row is read as a repeat. */
static void long_repeat_row(size_t i, char *b, size_t n) {
	snprintf(b, n, "gggggggggggggggggggggg,%zu,w0,%zu.%09zu\n", i / 1000, 1000 + i / 10,
		 (i * 7919) % 1000000000);
}

/*
 * Tracks met in turn: 3 (fewer than the keys kept), 4 (as many), 5 (more:
 * none repeats in reach), then runs again.
 */
static void interleaved_row(size_t i, char *b, size_t n) {
	size_t job = i < 1000 ? i % 3 : i < 2000 ? i % 4 : i < 3000 ? i % 5 : i / 50;
	snprintf(b, n, "%s,%zu,%zu.%06zu\n", job % 2 ? "threads" : "processes", job, i / 7,
		 (i * 7919) % 1000000);
}

/* The native form: samples in runs, then spans, with a sample row's ignored fields set. */
static void native_mixed_row(size_t i, char *b, size_t n) {
	if (i < 3000) {
		snprintf(b, n, "sample,%s,%zu,w%zu,%zu.%06zu,%s,,\n",
			 i < 1500 ? "threads" : "processes", i / 300 % 4, i / 700, i / 3,
			 (i * 7919) % 1000000, i % 500 == 7 ? "9" : "");
	} else {
		snprintf(b, n, "span,p,%zu,w%zu,%zu.5,%zu.75,%s,l%zu\n", i, i % 3, i, i + 1,
			 i % 7 ? "0" : "failed", i % 11);
	}
}

/* As the runner writes a live tracker: each pool's job spans, then its samples. */
static void runner_row(size_t i, char *b, size_t n) {
	const char *pool = i < 2004 ? "threads" : "processes";
	size_t k = i < 2004 ? i : i - 2004;
	if (k < 4) {
		snprintf(b, n, "span,%s,%zu,%zu,0.%03zu,1.%03zu,%s,\n", pool, k, k % 2, k, k,
			 k == 3 ? "failed" : "0");
	} else {
		snprintf(b, n, "sample,%s,%zu,%zu,0.%06zu,,,\n", pool, (k - 4) / 500,
			 (k - 4) / 500 % 2, k * 37);
	}
}

/* A span, samples of another group, and among them two spans alike but for their start. */
static void span_pair_row(size_t i, char *b, size_t n) {
	if (i == 0) {
		snprintf(b, n, "span,A,0,0,3.000000000,3.100000000,0,\n");
	} else if (i == 1500 || i == 1501) {
		snprintf(b, n, "span,A,1,1,%s,9.000000000,0,\n",
			 i == 1500 ? "5.500000000" : "5.000000000");
	} else {
		snprintf(b, n, "sample,B,0,0,%zu.%06zu,,,\n", i / 1000000, i % 1000000);
	}
}

/* s's row (from 0) number k: where it starts. */
static char *row_at(char *s, size_t k) {
	char *p = strchr(s, '\n') + 1;
	for (size_t i = 0; i < k; i++) {
		p = strchr(p, '\n') + 1;
	}
	return p;
}

/* Rows read as repeats of the row before, and every way a row can stop being one. */
static void test_threads_repeated_rows(void **state) {
	(void)state;
	char *s = table("mode,job,worker,t", 4000, repeat_row);
	same_on_threads(s, 0);
	same_on_threads(s, 3001);
	s[strlen(s) - 1] = '\0'; /* the last line without its line end */
	same_on_threads(s, 0);
	free(s);
	s = table("mode,job,worker,t", 4000, long_repeat_row);
	same_on_threads(s, 0);
	free(s);
	s = table("mode,job,t", 4000, interleaved_row);
	same_on_threads(s, 0);
	/* A bad time among tracks met in turn, after a row of a track not seen before. */
	char *other = row_at(s, 1501), *bad = strchr(row_at(s, 1502) + 10, ',') + 1;
	assert_memory_equal(other, "threads,1,", 10);
	other[8] = '9';
	memcpy(bad, "1x", 2);
	same_on_threads(s, 0);
	char *msg = read_split(s, 0, false, 4);
	/* Row 1502 is line 1504; its time, 214.894338, starts after "processes,2,". */
	assert_string_equal(
		msg, "t.csv:1504:13: time '1x4.894338' is not a number, a date-time or a duration");
	free(msg);
	free(s);
	/* Within a run, far into the table: the time changed in each way in turn. */
	static const char *const times[] = {"x",
					    "\"1.5\"",
					    "1.5,7",
					    "",
					    " 1.5",
					    "1.5 ",
					    "-1.5",
					    "1.5\r",
					    "1.5\r1",
					    "1.",
					    "00000000000000000001.5"};
	for (size_t k = 0; k < sizeof(times) / sizeof(*times); k++) {
		s = table("mode,job,worker,t", 4000, repeat_row);
		char *row = row_at(s, 3010); /* run 81: "processes", an integer time */
		char *eol = strchr(row, '\n'), *t = eol;
		while (t[-1] != ',') {
			t--;
		}
		assert_true(t > row);
		char *out = malloc(strlen(s) + 64);
		assert_non_null(out);
		memcpy(out, s, (size_t)(t - s));
		size_t len = (size_t)(t - s);
		len += (size_t)sprintf(out + len, "%s", times[k]);
		strcpy(out + len, eol);
		same_on_threads(out, 0);
		free(out);
		free(s);
	}
	/* A NUL byte in a repeated row's time; a comment and a blank line among repeats. */
	s = table("mode,job,worker,t", 4000, repeat_row);
	size_t len = strlen(s);
	char *row = row_at(s, 3011);
	assert_memory_equal(row, "processes,0,w1,", 15);
	row[17] = '\0';
	char *want = read_error(s, len, 1);
	assert_non_null(strstr(want, ":3013:18: binary data (a NUL byte): not a text file"));
	for (int k = 2; k <= 4; k++) {
		char *got = read_error(s, len, k);
		assert_string_equal(got, want);
		free(got);
	}
	free(want);
	free(s);
	s = table("mode,job,worker,t", 4000, repeat_row);
	row_at(s, 3011)[0] = '#';
	row_at(s, 3020)[0] = '\n';
	same_on_threads(s, 0);
	free(s);
}

/*
 * Tables with a kind column (the native form) are cut when their first row
 * is a sample or a span: rows of another kind make a chunk give up.
 */
static void test_threads_kind_column(void **state) {
	(void)state;
	const char *header = "kind,group,job,worker,start,stop,status,label";
	char *s = table(header, 4000, native_mixed_row);
	same_on_threads(s, 0);
	same_on_threads(s, 2000);
	/* Spans first: the samples after make the chunks give up. */
	char *spans = strstr(s, "\nspan,") + 1;
	size_t head = strlen(header) + 1;
	char *t = malloc(strlen(s) + 1);
	assert_non_null(t);
	snprintf(t, strlen(s) + 1, "%.*s%s%.*s", (int)head, s, spans, (int)(spans - s - (long)head),
		 s + head);
	assert_int_equal(strlen(t), strlen(s));
	same_on_threads(t, 0);
	free(t);
	/* The first row of another kind, or another spelling: read on one thread, the same. */
	static const char *const firsts[] = {"group,threads,,,,,,\n",
					     "Sample,threads,0,w0,0.5,,,\n",
					     "\"sample\",threads,0,w0,0.5,,,\n"};
	for (size_t k = 0; k < sizeof(firsts) / sizeof(*firsts); k++) {
		size_t len = strlen(s) + strlen(firsts[k]) + 1;
		t = malloc(len);
		assert_non_null(t);
		snprintf(t, len, "%.*s%s%s", (int)head, s, firsts[k], s + head);
		same_on_threads(t, 0);
		free(t);
	}
	/* Spans between a chunk's samples, as the runner writes them; a bad one; a named job. */
	t = table(header, 4008, runner_row);
	same_on_threads(t, 0);
	char *row = row_at(t, 2005);
	assert_memory_equal(row, "span,processes,1,1,0.001,1.001,0,", 33);
	memcpy(row + 25, "9.", 2); /* a stop before its start */
	same_on_threads(t, 0);
	memcpy(row + 15, "x", 1); /* a job by name */
	same_on_threads(t, 0);
	free(t);
	/* Spans among samples that differ only in their start: spans, not repeats of a sample. */
	t = table(header, 3000, span_pair_row);
	same_on_threads(t, 0);
	char *msg = read_split(t, 0, false, 4);
	assert_non_null(strstr(msg, "span 0 1 5500000000 9000000000"));
	assert_non_null(strstr(msg, "span 0 1 5000000000 9000000000"));
	free(msg);
	free(t);
	/* No rows at all: nothing to cut. */
	same_on_threads("start,stop\n", 0);
	same_on_threads("kind,group,job,worker,start,stop,status,label\n", 0);
	same_on_threads("kind,group,job,worker,start,stop,status,label\nsample,a,0,,1,,,", 0);
	/* A kind the reader refuses, deep in a chunk; a span among the samples. */
	memcpy(row_at(s, 2200), "sampel", 6);
	same_on_threads(s, 0);
	memcpy(row_at(s, 2200), "span  ", 6);
	same_on_threads(s, 0);
	free(s);
}

/* Jobs given as text: numbered per group from 0, in order of first appearance. */
static void test_jobnames(void **state) {
	(void)state;
	struct tl_jobnames j = {0};
	int64_t job = -1;
	assert_int_equal(tl_jobnames_count(&j, 3), 0);
	assert_true(tl_jobnames_number(&j, 3, 10, &job));
	assert_int_equal(job, 0);
	assert_true(tl_jobnames_number(&j, 3, 11, &job));
	assert_int_equal(job, 1);
	assert_true(tl_jobnames_number(&j, 0, 11, &job)); /* the same name in another group */
	assert_int_equal(job, 0);
	assert_true(tl_jobnames_number(&j, 3, 10, &job)); /* met before */
	assert_int_equal(job, 0);
	assert_int_equal(tl_jobnames_count(&j, 3), 2);
	assert_int_equal(tl_jobnames_count(&j, 0), 1);
	assert_int_equal(tl_jobnames_count(&j, 1), 0);
	assert_int_equal(tl_jobnames_count(&j, 100), 0);
	for (tl_str name = 0; name < 1000; name++) {
		assert_true(tl_jobnames_number(&j, 40, name, &job));
		assert_int_equal(job, name);
	}
	assert_true(tl_jobnames_number(&j, 40, 999, &job));
	assert_int_equal(job, 999);
	tl_jobnames_free(&j);
	assert_int_equal(tl_jobnames_count(&j, 3), 0);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jobnames),
		cmocka_unit_test(test_minimal_start_stop),
		cmocka_unit_test(test_threads_samples),
		cmocka_unit_test(test_threads_spans),
		cmocka_unit_test(test_threads_quoted_newlines),
		cmocka_unit_test(test_threads_first_error),
		cmocka_unit_test(test_nul_past_the_header),
		cmocka_unit_test(test_tracks_only_stats),
		cmocka_unit_test(test_tracks_only_errors),
		cmocka_unit_test(test_threads_crlf_and_unterminated),
		cmocka_unit_test(test_threads_repeated_rows),
		cmocka_unit_test(test_threads_kind_column),
		cmocka_unit_test(test_pandas_index_column),
		cmocka_unit_test(test_job_t_samples),
		cmocka_unit_test(test_lone_time_column_is_one_job),
		cmocka_unit_test(test_epoch_seconds_normalised),
		cmocka_unit_test(test_relative_times_not_shifted),
		cmocka_unit_test(test_every_alias),
		cmocka_unit_test(test_columns_any_order_unknown_ignored),
		cmocka_unit_test(test_unit_suffixes),
		cmocka_unit_test(test_unit_option_overrides),
		cmocka_unit_test(test_kind_column_mixes),
		cmocka_unit_test(test_rfc4180_quoting),
		cmocka_unit_test(test_crlf_bom_comments_blank_lines),
		cmocka_unit_test(test_text_jobs_numbered_in_order),
		cmocka_unit_test(test_default_jobs_count_per_group),
		cmocka_unit_test(test_status_words),
		cmocka_unit_test(test_utf8_labels_kept),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_pandas_index),
		cmocka_unit_test(test_header_names),
		cmocka_unit_test(test_competing_columns),
		cmocka_unit_test(test_columns_option),
		cmocka_unit_test(test_separators),
		cmocka_unit_test(test_times_as_text),
		cmocka_unit_test(test_epoch_units),
		cmocka_unit_test(test_missing_values),
		cmocka_unit_test(test_groups_one_after_another),
		cmocka_unit_test(test_header_only_is_an_empty_trace),
		cmocka_unit_test(test_interrupted_text),
		cmocka_unit_test(test_empty_groups_declared),
		cmocka_unit_test(test_ten_megabyte_line),
		cmocka_unit_test(test_writer_native_form),
		cmocka_unit_test(test_round_trip_property),
		cmocka_unit_test(test_chrome_round_trip_property),
		cmocka_unit_test(test_write_file_atomic),
		cmocka_unit_test(test_output_whole_or_not_at_all),
		cmocka_unit_test(test_read_file_errors),
		cmocka_unit_test(test_mapped_inputs),
	};
	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
