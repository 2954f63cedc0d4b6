/*
 * main.c - omsec-ingest: frame log files, directories and stdin for
 * omsec-parse (docs/formats.md section 1).
 *
 *   omsec-ingest --type syslog /var/log/auth.log* > auth.ingest
 *   omsec-ingest --state s.state --rotated -o new.ingest /var/log/auth.log
 *
 * Options are read in order, so --type applies to the sources after it;
 * all the work is in ingest.c. Memory as ingest.h says.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ingest.h"
#include "out.h"
#include "strnum.h"

/* One table drives getopt_long and --help. */
static const struct opt {
	struct option lo;
	char so;
	const char *arg;
	const char *help;
} opts[] = {
	{ { "type", required_argument, NULL, 't' }, 't', "TYPE",
	    "type hint for the sources after it (syslog, nginx, ...; - to sniff)" },
	{ { "output", required_argument, NULL, 'o' }, 'o', "FILE",
	    "write to FILE (replaced atomically) instead of stdout" },
	{ { "state", required_argument, NULL, 's' }, 's', "FILE",
	    "read only what is new since the run that wrote FILE, then advance it" },
	{ { "state-out", required_argument, NULL, 'S' }, 'S', "FILE",
	    "write the advanced state to FILE instead of the --state FILE" },
	{ { "keep", required_argument, NULL, 'k' }, 'k', "RUNS",
	    "forget streams unseen for RUNS runs (default 31)" },
	{ { "rotated", no_argument, NULL, 'r' }, 'r', NULL,
	    "a FILE source stands for its rotated set (FILE.1, FILE.2.gz, ...)" },
	{ { "progress", no_argument, NULL, 'p' }, 'p', NULL,
	    "show progress on stderr (default: when stderr is a terminal)" },
	{ { "quiet", no_argument, NULL, 'q' }, 'q', NULL,
	    "no progress, whatever stderr is" },
	{ { "verbose", no_argument, NULL, 'v' }, 'v', NULL,
	    "print a one-line summary on stderr" },
	{ { "help", no_argument, NULL, 'h' }, 'h', NULL,
	    "show this help and exit" },
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

static void
usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: omsec-ingest [-vrpq] [-o FILE] [-s STATE [-S OUT] [-k RUNS]]\n"
	    "                    [[-t TYPE] SOURCE ...]\n"
	    "Frame log lines for omsec-parse. A SOURCE is a file (plain or gzip),\n"
	    "a directory (read recursively, rotated sets oldest first) or - for\n"
	    "stdin (the default).\n\n");
	for (i = 0; i < NOPTS; i++) {
		char left[40];
		snprintf(left, sizeof(left), "-%c, --%s%s%s", opts[i].so,
		    opts[i].lo.name, opts[i].arg ? " " : "",
		    opts[i].arg ? opts[i].arg : "");
		fprintf(fp, "  %-22s %s\n", left, opts[i].help);
	}
}

/* Progress is drawn on one line, at most 4 times a second. */
struct prog {
	int on, drawn;
	double start, last;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
human(char *buf, size_t cap, double b)
{
	const char *u[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int i = 0;

	while (b >= 1024 && i < 4) {
		b /= 1024;
		i++;
	}
	snprintf(buf, cap, i ? "%.1f %s" : "%.0f %s", b, u[i]);
}

static void
show_progress(void *arg, uint64_t done, uint64_t total)
{
	struct prog *pg = arg;
	double t = now_s(), rate;
	char d[32], tot[32], r[32], eta[32] = "";

	if (!pg->on || t - pg->last < 0.25)
		return;
	pg->last = t;
	rate = t > pg->start ? (double)done / (t - pg->start) : 0;
	human(d, sizeof(d), (double)done);
	human(r, sizeof(r), rate);
	if (total > done && rate > 0)
		snprintf(eta, sizeof(eta), ", ETA %.0fs",
		    (double)(total - done) / rate);
	if (total > 0) {
		human(tot, sizeof(tot), (double)total);
		fprintf(stderr, "\romsec-ingest: %s of %s, %s/s%s\033[K", d, tot,
		    r, eta);
	} else
		fprintf(stderr, "\romsec-ingest: %s, %s/s\033[K", d, r);
	pg->drawn = 1;
}

static void
end_progress(struct prog *pg)
{
	if (pg->drawn)
		fputs("\r\033[K", stderr);
	pg->drawn = 0;
}

static struct prog *the_prog;

static void
say(void *arg, const char *msg)
{
	(void)arg;
	/* A warning starts on a line of its own. */
	if (the_prog != NULL)
		end_progress(the_prog);
	warnx("%s", msg);
}

/*
 * Tests kill the program at a named point (OMSEC_CRASH_AT) to check that
 * a crash there loses and doubles nothing. _exit: no flush, no cleanup,
 * as after SIGKILL.
 */
static void
crash_point(const char *name)
{
	const char *at = getenv("OMSEC_CRASH_AT");

	if (at != NULL && strcmp(at, name) == 0)
		_exit(137);
}

/* A type hint is a short name: it goes into a TSV field and a lookup. */
static int
valid_type(const char *t)
{
	size_t i, n = strlen(t);

	if (n == 0 || n > 32)
		return 0;
	for (i = 0; i < n; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= '0' && t[i] <= '9') ||
		    t[i] == '_' || t[i] == '-' || t[i] == '.'))
			return 0;
	return 1;
}

int
main(int argc, char **argv)
{
	struct option lopts[NOPTS + 1];
	char sopts[3 * NOPTS + 2], *p = sopts;
	struct omsec_ingest_opts io = OMSEC_INGEST_OPTS_INIT;
	struct omsec_ingest_src *srcs;
	struct omsec_atomic at = { NULL, NULL, -1 };
	struct omsec_ingest *ig;
	struct omsec_out *out;
	const char *type = NULL, *ofile = NULL, *sfile = NULL, *sout = NULL;
	struct omsec_state *state = NULL;
	struct prog pg = { 0, 0, 0, 0 };
	int64_t keep = 0;
	size_t nsrc = 0, i;
	int c, verbose = 0, rval = 0, rotated = 0, prog = -1, out_ok;

	/* Leading '-': sources come back in order, between the options. */
	*p++ = '-';
	for (i = 0; i < NOPTS; i++) {
		lopts[i] = opts[i].lo;
		*p++ = opts[i].so;
		if (opts[i].arg)
			*p++ = ':';
	}
	*p = '\0';
	lopts[NOPTS] = (struct option){ NULL, 0, NULL, 0 };

	if ((srcs = calloc((size_t)argc + 1, sizeof(*srcs))) == NULL)
		err(1, NULL);
	while ((c = getopt_long(argc, argv, sopts, lopts, NULL)) != -1) {
		switch (c) {
		case 1:
			srcs[nsrc].path = optarg;
			srcs[nsrc++].type = type;
			break;
		case 't':
			if (strcmp(optarg, "-") == 0) {
				type = NULL;
				break;
			}
			if (!valid_type(optarg)) {
				warnx("bad type hint: %s (letters, digits, _ - .)",
				    optarg);
				usage(stderr);
				free(srcs);
				return 2;
			}
			type = optarg;
			break;
		case 'o':
			if (ofile != NULL) {
				warnx("-o given twice");
				usage(stderr);
				free(srcs);
				return 2;
			}
			ofile = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		case 's':
			sfile = optarg;
			break;
		case 'S':
			sout = optarg;
			break;
		case 'k':
			if (omsec_strtonum(&keep, omsec_span_cstr(optarg), 1,
			    1000000) != 0) {
				warnx("--keep %s: want a number of runs from 1",
				    optarg);
				free(srcs);
				return 2;
			}
			break;
		case 'r':
			rotated = 1;
			break;
		case 'p':
			prog = 1;
			break;
		case 'q':
			prog = 0;
			break;
		case 'h':
			free(srcs);
			usage(stdout);
			if (fflush(stdout) != 0 || ferror(stdout))
				err(1, "stdout");
			return 0;
		default:
			free(srcs);
			usage(stderr);
			return 2;
		}
	}
	/* After "--" getopt stops: the rest are sources. */
	for (; optind < argc; optind++) {
		srcs[nsrc].path = argv[optind];
		srcs[nsrc++].type = type;
	}
	if (nsrc == 0) {
		srcs[0].path = "-";
		srcs[0].type = type;
		nsrc = 1;
	}
	if ((sout != NULL || keep != 0) && sfile == NULL) {
		warnx("--state-out and --keep need --state");
		usage(stderr);
		free(srcs);
		return 2;
	}
	if (sfile != NULL) {
		char msg[512];
		if (omsec_state_load(&state, sfile, msg, sizeof(msg)) != 0)
			errx(1, "%s", msg);
		if (keep != 0)
			omsec_state_set_keep(state, (uint64_t)keep);
		if (sout == NULL)
			sout = sfile;
	}
	pg.on = prog >= 0 ? prog : isatty(STDERR_FILENO);
	pg.start = pg.last = now_s();
	the_prog = &pg;

	if (ofile != NULL) {
		if (omsec_atomic_open(&at, ofile) != 0)
			err(1, "%s", ofile);
		out = omsec_out_new_fd(at.fd);
	} else
		out = omsec_out_new_fd(STDOUT_FILENO);
	if (out == NULL)
		err(1, NULL);
	io.warn = say;
	io.state = state;
	io.rotated = rotated;
	io.progress = show_progress;
	io.progress_arg = &pg;
	if ((ig = omsec_ingest_new(out, &io)) == NULL)
		err(1, NULL);
	omsec_ingest_exclude_fd(ig, ofile ? at.fd : STDOUT_FILENO);
	omsec_ingest_begin(ig);
	if (omsec_ingest_batch(ig, srcs, nsrc) < 0)
		rval = 1;
	end_progress(&pg);
	if (verbose) {
		const struct omsec_ingest_stats *st = omsec_ingest_stats(ig);
		fprintf(stderr, "omsec-ingest: %llu files, %llu bytes in, "
		    "%llu bytes decompressed, %llu lines, %llu truncated, "
		    "%llu failed, %llu skipped",
		    (unsigned long long)st->files,
		    (unsigned long long)st->bytes_in,
		    (unsigned long long)st->bytes_raw,
		    (unsigned long long)st->lines,
		    (unsigned long long)st->truncated,
		    (unsigned long long)st->failed,
		    (unsigned long long)st->skipped);
		if (state != NULL)
			fprintf(stderr, "; run %llu: %llu unchanged, %llu new "
			    "streams, %llu truncated in place, %llu copies",
			    (unsigned long long)omsec_state_run(state),
			    (unsigned long long)st->unchanged,
			    (unsigned long long)st->streams_new,
			    (unsigned long long)st->truncations,
			    (unsigned long long)st->copies);
		fputc('\n', stderr);
	}
	omsec_ingest_free(ig);
	crash_point("ingest-output");
	/*
	 * The output first, then the state: a crash in between reads the
	 * same lines again (the nightly driver keeps both invisible until it
	 * commits them together).
	 */
	out_ok = 0;
	if (omsec_out_close(out) != 0) {
		warn("%s", ofile ? ofile : "stdout");
		rval = 1;
		if (ofile)
			omsec_atomic_abort(&at);
	} else if (ofile != NULL) {
		if (omsec_atomic_commit(&at) != 0) {
			warn("%s", ofile);
			rval = 1;
		} else
			out_ok = 1;
	} else if (close(STDOUT_FILENO) != 0 && errno != EBADF) {
		warn("stdout");
		rval = 1;
	} else
		out_ok = 1;
	crash_point("ingest-state");
	if (state != NULL && out_ok && omsec_state_save(state, sout) != 0) {
		warn("%s", sout);
		rval = 1;
	}
	omsec_state_free(state);
	free(srcs);
	return rval;
}
