/*
 * agg_main.c - omsec-agg: summarise an event stream for one period, or
 * merge summaries (--merge). Thin main over agg.h; see omsec-agg.1.
 *
 * Reads events (docs/formats.md section 2) such as
 *   2026-11-03T02:14:07.000Z	web1	sshd	authentication	login	failure	2	203.0.113.9	...
 * and writes one summary (section 4). Memory: one summary (agg.h), one
 * 1 MiB line buffer per open input, whatever the input size.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agg.h"
#include "event.h"
#include "otime.h"
#include "out.h"
#include "reader.h"

#define MAX_WARN 20		/* bad-line messages shown per input */

struct opt {
	const char *name;
	int has_arg;
	int val;
	const char *arg;
	const char *help;
};

/* One table drives getopt_long and --help. */
static const struct opt opts[] = {
	{ "output", 1, 'o', "FILE", "write to FILE atomically (default stdout)" },
	{ "merge", 0, 'm', NULL, "inputs are summaries: merge them into one" },
	{ "from", 1, 'f', "TIME", "keep events at or after TIME (YYYY-MM-DD or ISO 8601)" },
	{ "to", 1, 't', "TIME", "keep events up to TIME (a date includes its whole day);\n"
	    "                        with --from or --to, #stats line counts are left out" },
	{ "help", 0, 'h', NULL, "show this help and exit" },
	{ NULL, 0, 0, NULL, NULL }
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: omsec-agg [-o FILE] [--from TIME] [--to TIME] [EVENTS...]\n"
	    "       omsec-agg --merge [-o FILE] [SUMMARY...]\n"
	    "Summarise omsec events (counts per hour and class, top sources,\n"
	    "users, targets, URLs and countries, distinct counts) or merge\n"
	    "summaries. Reads stdin when no file or '-' is given.\n\n");
	for (const struct opt *o = opts; o->name; o++) {
		char left[40];
		snprintf(left, sizeof(left), "-%c, --%s%s%s", o->val == 'o' ?
		    'o' : ' ', o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		if (o->val != 'o') {
			snprintf(left, sizeof(left), "    --%s%s%s", o->name,
			    o->arg ? " " : "", o->arg ? o->arg : "");
		}
		fprintf(fp, "  %-22s %s\n", left, o->help);
	}
}

struct input {
	const char *name;	/* for messages */
	int fd;
	struct omsec_reader *r;
};

static int
input_open(struct input *in, const char *path)
{
	if (strcmp(path, "-") == 0) {
		in->name = "stdin";
		in->fd = 0;
	} else {
		in->name = path;
		if ((in->fd = open(path, O_RDONLY)) < 0) {
			warn("%s", path);
			return -1;
		}
	}
	if ((in->r = omsec_reader_new_fd(in->fd)) == NULL) {
		warnx("out of memory");
		if (in->fd != 0)
			close(in->fd);
		return -1;
	}
	return 0;
}

static void
input_close(struct input *in)
{
	omsec_reader_free(in->r);
	if (in->fd != 0)
		close(in->fd);
}

static void
bad_line(const struct input *in, unsigned *nwarn, const char *why)
{
	if (++*nwarn <= MAX_WARN)
		warnx("%s:%llu: %s", in->name,
		    (unsigned long long)omsec_reader_lineno(in->r), why);
	else if (*nwarn == MAX_WARN + 1)
		warnx("%s: more bad lines not shown", in->name);
}

/* Summarises one event input into s. Returns 0, or 1 on bad data. */
static int
agg_events(struct omsec_summary *s, const char *path, int64_t from,
    int64_t to)
{
	struct input in;
	struct omsec_event_cols cols;
	struct omsec_event ev;
	char *line;
	size_t len;
	int trunc, rc, rval = 0;
	unsigned nwarn = 0;
	const char *why;

	if (input_open(&in, path) != 0)
		return 1;
	omsec_event_cols_init(&cols);
	while ((rc = omsec_reader_next(in.r, &line, &len, &trunc)) == 1) {
		if (trunc) {
			bad_line(&in, &nwarn, "line too long, skipped");
			rval = 1;
			continue;
		}
		if (len >= 7 && memcmp(line, "#stats\t", 7) == 0) {
			/*
			 * A source's line counts cover the whole input and cannot
			 * be split by time: a time-filtered summary leaves them
			 * out, so that merging the days does not count them twice.
			 */
			if (from != INT64_MIN || to != INT64_MAX)
				continue;
			if (omsec_summary_add_stats_line(s, line, len, &why) != 0) {
				bad_line(&in, &nwarn, why);
				rval = 1;
			}
			continue;
		}
		if (len >= 14 && memcmp(line, "#omsec-summary", 14) == 0) {
			warnx("%s:%llu: this is a summary; use omsec-agg --merge",
			    in.name, (unsigned long long)omsec_reader_lineno(in.r));
			rval = 1;
			break;
		}
		rc = omsec_event_read_tsv(&cols, &ev, line, len, &why);
		if (rc < 0) {
			bad_line(&in, &nwarn, why);
			rval = 1;
			continue;
		}
		if (rc == 0 || ev.ts_ms < from || ev.ts_ms > to)
			continue;
		if (omsec_summary_add_event(s, &ev) != 0) {
			warnx("%s: out of memory", in.name);
			rval = 1;
			break;
		}
	}
	if (rc < 0) {
		warn("%s", in.name);
		rval = 1;
	}
	input_close(&in);
	return rval;
}

/* Reads one summary and adds it to acc. Returns 0, or 1 on bad data. */
static int
merge_one(struct omsec_summary *acc, const char *path)
{
	struct input in;
	struct omsec_summary *s;
	char *line;
	size_t len;
	int trunc, rc, rval = 0, first;
	const char *why;

	if (input_open(&in, path) != 0)
		return 1;
	if ((s = omsec_summary_new()) == NULL) {
		warnx("out of memory");
		input_close(&in);
		return 1;
	}
	while ((rc = omsec_reader_next(in.r, &line, &len, &trunc)) == 1) {
		uint64_t no = omsec_reader_lineno(in.r);
		if (trunc) {
			warnx("%s:%llu: line too long", in.name,
			    (unsigned long long)no);
			rval = 1;
			break;
		}
		first = no == 1;
		if (!first && len >= 15 && memcmp(line, "#omsec-summary\t", 15) == 0) {
			/* The next summary of a concatenation (cat a b |
			 * omsec-agg --merge): the one read so far is whole. */
			if (omsec_summary_merge(acc, s) != 0) {
				warnx("out of memory");
				rval = 1;
				break;
			}
			omsec_summary_free(s);
			if ((s = omsec_summary_new()) == NULL) {
				warnx("out of memory");
				input_close(&in);
				return 1;
			}
			first = 1;
		}
		if (omsec_summary_read_line(s, line, len, first, &why) != 0) {
			warnx("%s:%llu: %s", in.name, (unsigned long long)no, why);
			rval = 1;
			break;
		}
	}
	if (rc < 0) {
		warn("%s", in.name);
		rval = 1;
	} else if (rval == 0 && omsec_reader_lineno(in.r) == 0) {
		warnx("%s:1: empty input, not an omsec summary", in.name);
		rval = 1;
	}
	if (rval == 0 && omsec_summary_merge(acc, s) != 0) {
		warnx("out of memory");
		rval = 1;
	}
	omsec_summary_free(s);
	input_close(&in);
	return rval;
}

/* "YYYY-MM-DD" (whole day; end_of_day picks its last ms) or ISO 8601. */
static int
parse_when(int64_t *ms, const char *arg, int end_of_day)
{
	struct omsec_span s = omsec_span_cstr(arg);
	int had_zone;

	if (s.n == 10) {
		char buf[32];
		snprintf(buf, sizeof(buf), "%sT00:00:00Z", arg);
		if (omsec_parse_iso(ms, &had_zone, omsec_span_cstr(buf)) != 0)
			return -1;
		if (end_of_day)
			*ms += 86400000 - 1;
		return 0;
	}
	return omsec_parse_iso(ms, &had_zone, s);
}

int
main(int argc, char **argv)
{
	struct option lopts[sizeof(opts) / sizeof(opts[0])];
	const char *outpath = NULL;
	int merge = 0, c, rval = 0;
	int64_t from = INT64_MIN, to = INT64_MAX;
	struct omsec_summary *s;
	struct omsec_atomic at;
	struct omsec_out *o;
	int fd = 1;

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		lopts[i] = (struct option){ opts[i].name, opts[i].has_arg,
		    NULL, opts[i].val };
	while ((c = getopt_long(argc, argv, "o:", lopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			outpath = optarg;
			break;
		case 'm':
			merge = 1;
			break;
		case 'f':
			if (parse_when(&from, optarg, 0) != 0) {
				warnx("--from: bad time '%s'", optarg);
				usage(stderr);
				return 2;
			}
			break;
		case 't':
			if (parse_when(&to, optarg, 1) != 0) {
				warnx("--to: bad time '%s'", optarg);
				usage(stderr);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (merge && (from != INT64_MIN || to != INT64_MAX)) {
		warnx("--from and --to apply to events, not to --merge");
		usage(stderr);
		return 2;
	}
	if (from > to) {
		warnx("--from is after --to");
		return 2;
	}
	if ((s = omsec_summary_new()) == NULL)
		errx(1, "out of memory");
	if (optind == argc)
		rval |= merge ? merge_one(s, "-") : agg_events(s, "-", from, to);
	for (int i = optind; i < argc; i++)
		rval |= merge ? merge_one(s, argv[i]) :
		    agg_events(s, argv[i], from, to);
	/* A merge is all or nothing: a month without one of its days is wrong. */
	if (merge && rval) {
		omsec_summary_free(s);
		errx(1, "summary not written");
	}
	if (outpath) {
		if (omsec_atomic_open(&at, outpath) != 0)
			err(1, "%s", outpath);
		fd = at.fd;
	}
	if ((o = omsec_out_new_fd(fd)) == NULL)
		errx(1, "out of memory");
	if (omsec_summary_write(s, o) != 0) {
		warnx("out of memory");
		rval = 1;
	}
	if (omsec_out_close(o) != 0) {
		warn("%s", outpath ? outpath : "stdout");
		if (outpath)
			omsec_atomic_abort(&at);
		omsec_summary_free(s);
		return 1;
	}
	if (outpath && omsec_atomic_commit(&at) != 0) {
		warn("%s", outpath);
		rval = 1;
	}
	omsec_summary_free(s);
	return rval;
}
