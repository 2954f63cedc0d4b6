/*
 * samplegen.c - omsec-samplegen: write a month of sample logs and records.
 *
 *   omsec-samplegen --seed 42 --month 2026-11 --out DIR
 *
 * Thin main over gen.c (options, messages, exit status). See
 * omsec-samplegen.1 for what is written and samples/README.md for the
 * fictional customer behind it.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "strnum.h"

static const struct {
	struct option opt;
	const char *arg, *help;
} options[] = {
	{ { "seed", required_argument, NULL, 's' }, "N", "random seed, 0 to 2^63-1 (default 42)" },
	{ { "month", required_argument, NULL, 'm' }, "YYYY-MM", "month to generate, site local time (default 2026-11)" },
	{ { "out", required_argument, NULL, 'o' }, "DIR", "output directory (required; created if missing)" },
	{ { "verbose", no_argument, NULL, 'v' }, NULL, "list each file written on stderr: path, lines, bytes" },
	{ { "help", no_argument, NULL, 'h' }, NULL, "show this help and exit" },
};
#define NOPT (sizeof(options) / sizeof(options[0]))

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: omsec-samplegen [--seed N] [--month YYYY-MM] --out DIR\n\n"
	    "Writes one month of sample logs (auth.log of three servers, nginx\n"
	    "access.log, rotated as logrotate leaves them) with injected attacks,\n"
	    "their ground truth, and the month's tickets, survey and site.ini.\n\n");
	for (i = 0; i < NOPT; i++) {
		char left[40];

		snprintf(left, sizeof(left), "-%c, --%s%s%s", options[i].opt.val,
		    options[i].opt.name, options[i].arg ? " " : "",
		    options[i].arg ? options[i].arg : "");
		fprintf(f, "  %-24s %s\n", left, options[i].help);
	}
}

static void
on_file(void *ctx, const char *rel, int64_t lines, int64_t bytes)
{
	(void)ctx;
	if (lines >= 0)
		fprintf(stderr, "%s\t%lld lines\t%lld bytes\n", rel, (long long)lines, (long long)bytes);
	else
		fprintf(stderr, "%s\t-\t%lld bytes\n", rel, (long long)bytes);
}

int
main(int argc, char **argv)
{
	struct omsec_samplegen_opts o = OMSEC_SAMPLEGEN_OPTS_INIT;
	struct option longopts[NOPT + 1];
	char msg[512];
	int64_t v, total;
	size_t i;
	int c;

	for (i = 0; i < NOPT; i++)
		longopts[i] = options[i].opt;
	longopts[NOPT] = (struct option){ NULL, 0, NULL, 0 };
	while ((c = getopt_long(argc, argv, "s:m:o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (omsec_strtonum(&v, omsec_span_cstr(optarg), 0, INT64_MAX) < 0) {
				warnx("bad seed '%s' (a number from 0)", optarg);
				usage(stderr);
				return 2;
			}
			o.seed = (uint64_t)v;
			break;
		case 'm': {
			int64_t y, m;

			if (strlen(optarg) != 7 || optarg[4] != '-' ||
			    omsec_strtonum(&y, omsec_span_make(optarg, 4), 1971, 9998) < 0 ||
			    omsec_strtonum(&m, omsec_span_make(optarg + 5, 2), 1, 12) < 0) {
				warnx("bad month '%s' (YYYY-MM)", optarg);
				usage(stderr);
				return 2;
			}
			o.year = (int)y;
			o.month = (int)m;
			break;
		}
		case 'o':
			o.outdir = optarg;
			break;
		case 'v':
			o.on_file = on_file;
			break;
		case 'h':
			usage(stdout);
			if (fflush(stdout) != 0 || ferror(stdout))
				err(1, "stdout");
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || !o.outdir) {
		warnx(optind != argc ? "unexpected argument '%s'" : "--out DIR is required",
		    optind != argc ? argv[optind] : "");
		usage(stderr);
		return 2;
	}
	if ((total = omsec_samplegen_run(&o, msg, sizeof(msg))) < 0)
		errx(1, "%s", msg);
	if (o.on_file)
		fprintf(stderr, "total\t%lld lines\n", (long long)total);
	return 0;
}
