/*
 * main.c - omsec-ingest: frame log files, directories and stdin for
 * omsec-parse (docs/formats.md section 1).
 *
 *   omsec-ingest --type syslog /var/log/auth.log* > auth.ingest
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
#include <unistd.h>

#include "ingest.h"
#include "out.h"

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

	fprintf(fp, "usage: omsec-ingest [-v] [-o FILE] [[-t TYPE] SOURCE ...]\n"
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

static void
say(void *arg, const char *msg)
{
	(void)arg;
	warnx("%s", msg);
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
	const char *type = NULL, *ofile = NULL;
	size_t nsrc = 0, i;
	int c, verbose = 0, rval = 0;

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

	if (ofile != NULL) {
		if (omsec_atomic_open(&at, ofile) != 0)
			err(1, "%s", ofile);
		out = omsec_out_new_fd(at.fd);
	} else
		out = omsec_out_new_fd(STDOUT_FILENO);
	if (out == NULL)
		err(1, NULL);
	io.warn = say;
	if ((ig = omsec_ingest_new(out, &io)) == NULL)
		err(1, NULL);
	omsec_ingest_exclude_fd(ig, ofile ? at.fd : STDOUT_FILENO);
	omsec_ingest_begin(ig);
	if (omsec_ingest_batch(ig, srcs, nsrc) < 0)
		rval = 1;
	if (verbose) {
		const struct omsec_ingest_stats *st = omsec_ingest_stats(ig);
		fprintf(stderr, "omsec-ingest: %llu files, %llu bytes in, "
		    "%llu bytes decompressed, %llu lines, %llu truncated, "
		    "%llu failed, %llu skipped\n",
		    (unsigned long long)st->files,
		    (unsigned long long)st->bytes_in,
		    (unsigned long long)st->bytes_raw,
		    (unsigned long long)st->lines,
		    (unsigned long long)st->truncated,
		    (unsigned long long)st->failed,
		    (unsigned long long)st->skipped);
	}
	omsec_ingest_free(ig);
	if (omsec_out_close(out) != 0) {
		warn("%s", ofile ? ofile : "stdout");
		rval = 1;
		if (ofile)
			omsec_atomic_abort(&at);
	} else if (ofile != NULL) {
		if (omsec_atomic_commit(&at) != 0) {
			warn("%s", ofile);
			rval = 1;
		}
	} else if (close(STDOUT_FILENO) != 0 && errno != EBADF) {
		warn("stdout");
		rval = 1;
	}
	free(srcs);
	return rval;
}
