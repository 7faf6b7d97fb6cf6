/*
 * Files in and out: whole-file reads (mmap for regular files, a read loop for
 * pipes), format detection by content, and atomic writes: a temporary file
 * created exclusively beside the target, renamed over it only when every byte
 * was written, removed otherwise. Parsing is the readers' business.
 */

#include <timeline/io.h>

#include "atomic.h"
#include "columns.h"
#include "compress.h"
#include "csv.h"
#include "chrome.h"
#include "hyperfine.h"
#include "joblog.h"
#include "mapped.h"
#include "nextflow.h"
#include "ninja.h"
#include "records.h"
#include "slurm.h"
#include "scan.h"
#include "spark.h"

#include "../model/bytes.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const format_names[TL_FORMAT_COUNT] = {
	[TL_FORMAT_AUTO] = "auto",           [TL_FORMAT_CSV] = "csv",
	[TL_FORMAT_JOBLOG] = "joblog",       [TL_FORMAT_CHROME] = "chrome",
	[TL_FORMAT_HYPERFINE] = "hyperfine", [TL_FORMAT_SLURM] = "slurm",
	[TL_FORMAT_NEXTFLOW] = "nextflow",   [TL_FORMAT_SPARK] = "spark",
	[TL_FORMAT_RECORDS] = "records",     [TL_FORMAT_NINJA] = "ninja",
};

const char *tl_format_to_string(tl_format format) {
	return format < TL_FORMAT_COUNT ? format_names[format] : "unknown";
}

/* The index of s among names[from, n), or -1: an option's word to its enum value. */
static int name_index(const char *const *names, int from, int n, const char *s) {
	for (int i = from; i < n; i++) {
		if (strcmp(s, names[i]) == 0) {
			return i;
		}
	}
	return -1;
}

bool tl_format_from_string(const char *s, tl_format *ret_format) {
	int i = name_index(format_names, 0, TL_FORMAT_COUNT, s);
	if (i >= 0) {
		*ret_format = (tl_format)i;
	}
	return i >= 0;
}

static const char *const align_names[TL_TIMES_COUNT] = {"auto", "start", "absolute"};

const char *tl_time_align_to_string(tl_time_align align) {
	return align < TL_TIMES_COUNT ? align_names[align] : "unknown";
}

bool tl_time_align_from_string(const char *s, tl_time_align *ret_align) {
	int i = name_index(align_names, 0, TL_TIMES_COUNT, s);
	if (i >= 0) {
		*ret_align = (tl_time_align)i;
	}
	return i >= 0;
}

/* The units' names are the time units' (util/timeunit.h). */
const char *tl_unit_to_string(tl_unit unit) {
	return unit >= TL_UNIT_COUNT     ? "unknown"
	       : unit == TL_UNIT_DEFAULT ? "default"
					 : tl_time_unit_name(tl_unit_time(unit));
}

bool tl_unit_from_string(const char *s, tl_unit *ret_unit) {
	/* "default" is no unit to ask for. */
	for (int i = 1; i < TL_UNIT_COUNT; i++) {
		/* By its name or its symbol: "us" or "µs". */
		tl_time_unit u = tl_unit_time((tl_unit)i);
		if (strcmp(s, tl_time_unit_name(u)) == 0 ||
		    strcmp(s, tl_time_unit_symbol(u)) == 0) {
			*ret_unit = (tl_unit)i;
			return true;
		}
	}
	return false;
}

static const char *const group_by_names[TL_GROUP_BY_COUNT] = {"default", "node", "app"};

const char *tl_group_by_to_string(tl_group_by group_by) {
	return group_by < TL_GROUP_BY_COUNT ? group_by_names[group_by] : "unknown";
}

bool tl_group_by_from_string(const char *s, tl_group_by *ret_group_by) {
	int i = name_index(group_by_names, 0, TL_GROUP_BY_COUNT, s);
	if (i >= 0) {
		*ret_group_by = (tl_group_by)i;
	}
	return i >= 0;
}

static tl_format detect(const char *data, size_t len, const tl_read_opts *o) {
	/* A log without its header: what --fields names tells. */
	if (o->fields && tl_slurm_fields_sniff(o->fields)) {
		return TL_FORMAT_SLURM;
	}
	if (o->fields && tl_nextflow_fields_sniff(o->fields)) {
		return TL_FORMAT_NEXTFLOW;
	}
	if (tl_hyperfine_sniff(data, len)) {
		return TL_FORMAT_HYPERFINE;
	}
	if (tl_spark_sniff(data, len)) {
		return TL_FORMAT_SPARK;
	}
	if (tl_records_sniff(data, len)) {
		return TL_FORMAT_RECORDS;
	}
	if (tl_chrome_sniff(data, len)) {
		return TL_FORMAT_CHROME;
	}
	if (tl_joblog_sniff(data, len)) {
		return TL_FORMAT_JOBLOG;
	}
	if (tl_slurm_sniff(data, len)) {
		return TL_FORMAT_SLURM;
	}
	if (tl_nextflow_sniff(data, len)) {
		return TL_FORMAT_NEXTFLOW;
	}
	if (tl_ninja_sniff(data, len)) {
		return TL_FORMAT_NINJA;
	}
	return TL_FORMAT_CSV;
}

static tl_status read_format(const char *data, size_t len, const char *name,
			     const tl_read_opts *opts, bool mapped, tl_trace **ret_trace,
			     struct tl_error *err);

/*
 * read_format(), and an error a reader gave with no position (out of memory
 * before the first row) names the input at least; a misused option stays
 * the option's.
 */
static tl_status read_mem(const char *data, size_t len, const char *name, const tl_read_opts *opts,
			  bool mapped, tl_trace **ret_trace, struct tl_error *err) {
	tl_status st = read_format(data, len, name, opts, mapped, ret_trace, err);
	return st == TL_ERR_USAGE ? st : tl_error_locate(err, st, name ? name : "-", 0, 0);
}

static tl_status read_format(const char *data, size_t len, const char *name,
			     const tl_read_opts *opts, bool mapped, tl_trace **ret_trace,
			     struct tl_error *err) {
	tl_read_opts o = opts ? *opts : (tl_read_opts){0};
	/* Nothing but blanks: no format to tell, and each reader would say it its own way. */
	if (o.format == TL_FORMAT_AUTO && tl_skip_bom_blank(data, len) == len) {
		return tl_error_set(err, TL_ERR_INPUT, name ? name : "-", 1, 1,
				    "empty file: nothing to read");
	}
	tl_format f = o.format != TL_FORMAT_AUTO ? o.format : detect(data, len, &o);
	/* Only a ninja log holds several builds: --build elsewhere is a mistake, said. */
	if (o.build != TL_BUILD_LAST && f != TL_FORMAT_NINJA) {
		return tl_error_set(
			err, TL_ERR_USAGE, name ? name : "-", 0, 0,
			"--build picks a build of a ninja log; this input is read as %s",
			tl_format_to_string(f));
	}
	switch (f) {
	case TL_FORMAT_CSV:
		return tl_csv_read_mapped(data, len, name, &o, mapped, ret_trace, err);
	case TL_FORMAT_JOBLOG:
		return tl_joblog_read(data, len, name, &o, ret_trace, err);
	case TL_FORMAT_CHROME:
		return tl_chrome_read(data, len, name, &o, ret_trace, err);
	case TL_FORMAT_HYPERFINE:
		return tl_hyperfine_read(data, len, name, &o, ret_trace, err);
	case TL_FORMAT_SLURM:
		return tl_slurm_read(data, len, name, &o, ret_trace, err);
	case TL_FORMAT_NEXTFLOW:
		return tl_nextflow_read(data, len, name, &o, ret_trace, err);
	case TL_FORMAT_SPARK:
		return tl_spark_read(data, len, name, &o, ret_trace, err);
	case TL_FORMAT_RECORDS:
		return tl_records_read(data, len, name, &o, ret_trace, err);
	case TL_FORMAT_NINJA:
		return tl_ninja_read(data, len, name, &o, ret_trace, err);
	default:
		return tl_error_set(
			err, TL_ERR_INPUT, name ? name : "-", 0, 0,
			"looks like JSON; this build reads CSV and GNU parallel joblogs");
	}
}

tl_status tl_read_mem(const char *data, size_t len, const char *name, const tl_read_opts *opts,
		      tl_trace **ret_trace, struct tl_error *err) {
	return read_mem(data, len, name, opts, false, ret_trace, err);
}

/*
 * Whether fd, read to a full buffer, has nothing more: a read of one byte
 * gives none (that byte, if any, is not kept: the input is then refused).
 */
static bool at_eof(int fd) {
	char c;
	ssize_t n;
	do {
		n = read(fd, &c, 1);
	} while (n < 0 && errno == EINTR);
	return n == 0;
}

static tl_status read_fd(int fd, const char *name, size_t max, char **ret_buf, size_t *ret_len,
			 struct tl_error *err) {
	size_t cap = 1 << 16, len = 0, checked = 0;
	char *buf = malloc(cap);
	if (!buf) {
		return tl_error_set(err, TL_ERR_NOMEM, name, 0, 0, "out of memory");
	}
	for (;;) {
		char b[32];
		/* Doubled, up to the limit: full at the limit, the input is over it. */
		size_t want = cap < SIZE_MAX / 2 ? cap * 2 : SIZE_MAX;
		want = max && want > max ? max : want;
		if (len == cap && want <= cap && !at_eof(fd)) {
			free(buf);
			return tl_error_set(err, TL_ERR_NOMEM, name, 0, 0,
					    "memory limit reached: the input is over %s "
					    "(--max-memory); read a file instead, it is not "
					    "copied into memory",
					    tl_bytes_str(cap, b));
		}
		if (len == cap && want <= cap) {
			break; /* exactly the limit, and no more */
		}
		if (len == cap) {
			char *nb = realloc(buf, want);
			if (!nb) {
				free(buf);
				return tl_error_set(err, TL_ERR_NOMEM, name, 0, 0,
						    "out of memory reading the input");
			}
			buf = nb;
			cap = want;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			int e = errno;
			free(buf);
			return tl_error_set(err, TL_ERR_IO, name, 0, 0, "cannot read: %s",
					    strerror(e));
		}
		if (n == 0) {
			break;
		}
		/*
		 * Text does not hold a NUL byte: stop reading binary data (a
		 * device, a wrong file) at its first one rather than at the
		 * memory limit. Compressed input is checked once decompressed.
		 */
		len += (size_t)n;
		if (len >= 6 && !tl_codec_sniff(buf, len) &&
		    memchr(buf + checked, '\0', len - checked)) {
			tl_status st = tl_check_text(buf, len, name, err);
			free(buf);
			return st;
		}
		checked = len >= 6 ? len : 0;
	}
	*ret_buf = buf;
	*ret_len = len;
	return TL_OK;
}

/* gzip, zstd or xz input: decompressed into memory (within --max-memory), then read. */
static tl_status read_compressed(tl_codec codec, const void *data, size_t len, const char *name,
				 const tl_read_opts *opts, tl_trace **ret_trace,
				 struct tl_error *err) {
	char *buf = NULL;
	size_t n = 0;
	tl_status st =
		tl_decompress(codec, data, len, name, opts ? opts->max_memory : 0, &buf, &n, err);
	if (st == TL_OK) {
		st = tl_read_mem(buf, n, name, opts, ret_trace, err);
		free(buf);
	}
	return st;
}

tl_status tl_read_file(const char *path, const tl_read_opts *opts, tl_trace **ret_trace,
		       struct tl_error *err) {
	if (!path[0]) {
		return tl_error_set(err, TL_ERR_IO, NULL, 0, 0,
				    "cannot open '': an empty file name");
	}
	bool is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "<stdin>" : path;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return tl_error_set(err, TL_ERR_IO, name, 0, 0, "cannot open: %s", strerror(errno));
	}
	struct stat sb;
	if (fstat(fd, &sb) != 0) {
		int e = errno;
		if (!is_stdin) {
			close(fd);
		}
		return tl_error_set(err, TL_ERR_IO, name, 0, 0, "cannot stat: %s", strerror(e));
	}
	if (S_ISDIR(sb.st_mode)) {
		if (!is_stdin) {
			close(fd);
		}
		return tl_error_set(err, TL_ERR_IO, name, 0, 0, "is a directory");
	}
	tl_status st;
	if (S_ISREG(sb.st_mode) && sb.st_size > 0) {
		size_t len = (size_t)sb.st_size;
		void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED) {
			int e = errno;
			if (!is_stdin) {
				close(fd);
			}
			return tl_error_set(err, TL_ERR_IO, name, 0, 0, "cannot map: %s",
					    strerror(e));
		}
		madvise(map, len, MADV_SEQUENTIAL);
		/* Named for a SIGBUS handler, should the file shrink while it is read. */
		int slot = tl_mapped_add(map, len, name);
		tl_codec codec = tl_codec_sniff(map, len);
		st = codec ? read_compressed(codec, map, len, name, opts, ret_trace, err)
			   : read_mem(map, len, name, opts, true, ret_trace, err);
		tl_mapped_remove(slot);
		munmap(map, len);
	} else {
		char *buf = NULL;
		size_t len = 0;
		st = read_fd(fd, name, opts ? opts->max_memory : 0, &buf, &len, err);
		if (st == TL_OK) {
			tl_codec codec = tl_codec_sniff(buf, len);
			st = codec ? read_compressed(codec, buf, len, name, opts, ret_trace, err)
				   : tl_read_mem(buf, len, name, opts, ret_trace, err);
			free(buf);
		}
	}
	if (!is_stdin) {
		close(fd);
	}
	return st;
}

tl_status tl_write_file(const tl_trace *trace, const char *path, tl_format format,
			struct tl_error *err) {
	tl_codec codec = tl_codec_from_path(path);
	if (format == TL_FORMAT_AUTO) {
		/* The extension before .gz, .zst or .xz names the format. */
		size_t n = strlen(path);
		const char *end = codec ? strrchr(path, '.') : path + n;
		format = end - path >= 5 && strncasecmp(end - 5, ".json", 5) == 0 ? TL_FORMAT_CHROME
										  : TL_FORMAT_CSV;
	}
	if (format != TL_FORMAT_CSV && format != TL_FORMAT_CHROME) {
		return tl_error_set(err, TL_ERR_USAGE, path, 0, 0, "cannot write %s files",
				    tl_format_to_string(format));
	}
	struct tl_atomic out;
	tl_status st = tl_atomic_open(&out, path, err);
	if (st != TL_OK) {
		return st;
	}
	const char *shown = out.tmp || out.direct ? path : "<stdout>";
	FILE *f = codec ? tl_compress_stream(codec, out.f) : out.f;
	if (!f) {
		tl_atomic_abort(&out);
		return tl_error_set(err, TL_ERR_NOMEM, path, 0, 0, "out of memory");
	}
	st = format == TL_FORMAT_CHROME ? tl_chrome_write(trace, f, shown, err)
					: tl_csv_write(trace, f, shown, err);
	if (f != out.f && fclose(f) != 0 && st == TL_OK) {
		st = tl_error_set(err, TL_ERR_IO, path, 0, 0, "cannot write: %s", strerror(errno));
	}
	if (st != TL_OK) {
		tl_atomic_abort(&out);
		return st;
	}
	return tl_atomic_commit(&out, err);
}
