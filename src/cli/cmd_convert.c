/*
 * `timeline convert IN -o OUT`: read any format timeline reads, write CSV or
 * Chrome trace JSON (from -T or the output's extension), atomically, never
 * over the input.
 */

#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static const struct cli_option options[] = {
	{.text = "Usage: timeline convert [OPTIONS] INPUT -o OUTPUT\n"
		 "\n"
		 "Convert a trace: any format stats and render read in ('timeline help\n"
		 "formats'); CSV or Chrome trace JSON (for Perfetto UI and chrome://tracing)\n"
		 "out. Spans keep their nanoseconds exactly either way while times stay\n"
		 "under 2^53 ns (104 days) from the trace's start.\n"
		 "\n"
		 "Options:\n"},
	{'o', 'o', "output", required_argument, "FILE",
	 .help = "the output; '-' is standard output (needs -T)"},
	{'T', 'T', "format", required_argument, .word = cli_written_format_word,
	 .help = "default: chrome for .json, csv for .csv"},
	{.include = cli_input_options},
	{'h', 'h', "help", no_argument, .help = "show this help"},
	{0},
};

const struct cli_spec cmd_convert_spec = {"convert", options, 27, false};

int cmd_convert(int argc, char **argv) {
	const char *output = NULL;
	tl_format out_format = TL_FORMAT_AUTO;
	struct cli_input in;
	cli_input_init(&in);
	struct cli_parser p;
	cli_parser_init(&p, &cmd_convert_spec);
	int c;
	while ((c = cli_next_own_option(&p, argc, argv, &in)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'T':
			if (!tl_format_from_string(optarg, &out_format) ||
			    (out_format != TL_FORMAT_CSV && out_format != TL_FORMAT_CHROME)) {
				return cli_bad_value("convert", options, c, optarg);
			}
			break;
		case 'h':
			return cli_print_help(&cmd_convert_spec);
		default:
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		return cli_usage_error("convert", "no input file given");
	}
	if (argc - optind > 1) {
		return cli_usage_error("convert", "one input at a time ('%s' is extra)",
				       argv[optind + 1]);
	}
	if (!output) {
		return cli_usage_error("convert", "no output given (-o FILE)");
	}
	if (out_format == TL_FORMAT_AUTO) {
		/* The extension before a compressed file's .gz, .zst or .xz names the format. */
		char name[4096];
		snprintf(name, sizeof(name), "%s", output);
		name[strlen(name) - cli_packed_suffix(name)] = '\0';
		char *dot = strrchr(name, '.');
		if (dot && strcasecmp(dot, ".json") == 0) {
			out_format = TL_FORMAT_CHROME;
		} else if (dot && strcasecmp(dot, ".csv") == 0) {
			out_format = TL_FORMAT_CSV;
		} else {
			return cli_usage_error("convert",
					       "cannot tell the format from '%s': name it .csv or "
					       ".json, or give --format",
					       output);
		}
	}
	int rc = cli_refuse_overwrite(output, &argv[optind], 1);
	if (rc != EXIT_OK) {
		return rc;
	}
	struct tl_error err = {0};
	tl_trace *t = NULL;
	rc = cli_load(&argv[optind], 1, &in, &t);
	if (rc != EXIT_OK) {
		return rc;
	}
	if (tl_write_file(t, output, out_format, &err) != TL_OK) {
		rc = cli_report(&err);
	}
	tl_trace_free(t);
	return rc;
}
