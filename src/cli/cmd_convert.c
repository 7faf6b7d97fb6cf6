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

const char cmd_convert_help[] =
	"Usage: timeline convert [OPTIONS] INPUT -o OUTPUT\n"
	"\n"
	"Convert a trace: CSV, GNU parallel joblog or Chrome trace JSON in; CSV or\n"
	"Chrome trace JSON (for Perfetto UI and chrome://tracing) out. Spans keep\n"
	"their nanoseconds exactly either way while times stay under 2^53 ns (104\n"
	"days) from the trace's start.\n"
	"\n"
	"Options:\n"
	"  -o, --output FILE        the output; '-' is standard output (needs -T)\n"
	"  -T, --format csv|chrome  default: chrome for .json, csv for .csv\n" CLI_INPUT_HELP
	"  -h, --help               show this help\n";

int cmd_convert(int argc, char **argv) {
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, 'T'},
		CLI_INPUT_OPTIONS,
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *output = NULL;
	tl_format out_format = TL_FORMAT_AUTO;
	struct cli_input in;
	cli_input_init(&in);
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":o:T:I:u:h", opts, NULL)) != -1) {
		int irc = cli_input_option("convert", c, optarg, &in);
		if (irc != CLI_NOT_MINE) {
			if (irc != EXIT_OK) {
				return irc;
			}
			continue;
		}
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'T':
			if (!tl_format_from_string(optarg, &out_format) ||
			    (out_format != TL_FORMAT_CSV && out_format != TL_FORMAT_CHROME)) {
				return cli_usage_error(
					"convert", "invalid format '%s' (csv or chrome)", optarg);
			}
			break;
		case 'h':
			fputs(cmd_convert_help, stdout);
			return EXIT_OK;
		default:
			return cli_bad_option("convert", c, argv);
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
