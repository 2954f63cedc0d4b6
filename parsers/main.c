/*
 * omsec-parse - raw log lines (ingest framing or a plain log) to normalised
 * events (docs/formats.md). A thin main over omsec_parsers: options, inputs,
 * outputs, exit status. Usage: omsec-parse [options] [file ...]
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "out.h"
#include "parse.h"
#include "reader.h"
#include "strnum.h"

/* One table drives getopt_long and --help. */
static const struct opt {
	const char *name;
	int has_arg;
	int val;
	const char *arg, *help;
} opts[] = {
	{ "json", no_argument, 'j', NULL, "write JSON Lines with ECS names instead of TSV" },
	{ "rejects", required_argument, 'r', "FILE", "write lines no parser understood to FILE (TSV)" },
	{ "tz", required_argument, 'z', "ZONE", "zone of syslog clocks (default: config, else Asia/Shanghai)" },
	{ "config", required_argument, 'c', "FILE", "site configuration (INI): [site] timezone, [types], [json]" },
	{ "type", required_argument, 't', "TYPE", "force a parser instead of sniffing" },
	{ "year", required_argument, 'y', "YYYY", "year of RFC 3164 timestamps (default: from file time)" },
	{ "rules", required_argument, 'R', "DIR", "PCRE2 rule files (*.rules) in DIR (default: installed rules)" },
	{ "check-rules", no_argument, 'C', NULL, "check the rule files' samples ([DIR] or --rules) and exit" },
	{ "verbose", no_argument, 'v', NULL, "print a summary on stderr" },
	{ "help", no_argument, 'h', NULL, "show this help and exit" },
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

/* --check-rules: failures on stderr, as "omsec-parse: file:line:offset: what". */
static void
report_rule(void *arg, const char *msg)
{
	(void)arg;
	warnx("%s", msg);
}

static void
usage(FILE *f)
{
	char types[1024];

	omsec_parse_type_list(types, sizeof(types));
	fprintf(f, "usage: omsec-parse [options] [file ...]\n"
	    "       omsec-parse --check-rules [--rules DIR | DIR]\n"
	    "Parse raw logs (omsec-ingest framing, or plain files / stdin) into\n"
	    "normalised security events (TSV, or JSON Lines with --json).\n\n");
	for (size_t i = 0; i < NOPTS; i++) {
		char left[40];
		snprintf(left, sizeof(left), "--%s%s%s", opts[i].name,
		    opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
		fprintf(f, "  %-18s %s\n", left, opts[i].help);
	}
	fprintf(f, "\ntypes: %s\n", types);
}

int
main(int argc, char **argv)
{
	struct option lo[NOPTS + 1];
	struct omsec_parse_opts po = OMSEC_PARSE_OPTS_INIT;
	struct omsec_parse_totals tot = { 0 };
	struct omsec_config cfg;
	struct omsec_atomic at = { 0 };
	struct omsec_out *out, *rej = NULL;
	struct omsec_parse *p;
	const char *rejects = NULL, *config = NULL, *tz = NULL, *sde;
	char msg[512];
	int c, verbose = 0, rval = 0, check = 0;
	int64_t v;

	for (size_t i = 0; i < NOPTS; i++)
		lo[i] = (struct option){ opts[i].name, opts[i].has_arg, NULL,
		    opts[i].val };
	lo[NOPTS] = (struct option){ NULL, 0, NULL, 0 };
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'j': po.json = 1; break;
		case 'r': rejects = optarg; break;
		case 'z': tz = optarg; break;
		case 'c': config = optarg; break;
		case 't':
			if (!omsec_parse_type_known(optarg)) {
				warnx("unknown type: %s", optarg);
				usage(stderr);
				return 2;
			}
			po.type = optarg;
			break;
		case 'y':
			if (omsec_strtonum(&v, omsec_span_cstr(optarg), 1970,
			    9999) < 0) {
				warnx("bad year: %s", optarg);
				return 2;
			}
			po.year = (int)v;
			break;
		case 'v': verbose = 1; break;
		case 'R': po.rules_dir = optarg; break;
		case 'C': check = 1; break;
		case 'h':
			usage(stdout);
			return fclose(stdout) == 0 ? 0 : 1;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;

	omsec_config_defaults(&cfg);
	if (config != NULL &&
	    omsec_config_load(&cfg, config, msg, sizeof(msg)) < 0)
		errx(1, "%s", msg);
	po.tz = tz ? tz : (config && cfg.timezone[0] ? cfg.timezone : NULL);
	if (config != NULL)
		po.cfg = &cfg;	/* [types] and [json] */
	/* Reproducible builds' clock makes stdin's year inference repeatable. */
	if ((sde = getenv("SOURCE_DATE_EPOCH")) != NULL &&
	    omsec_strtonum(&v, omsec_span_cstr(sde), 1, INT64_C(253402300799)) == 0)
		po.now = v;
	if (check) {
		int nfiles, nsamples, bad;
		if (argc > 1 || (argc == 1 && po.rules_dir != NULL)) {
			usage(stderr);
			return 2;
		}
		if (argc == 1)
			po.rules_dir = argv[0];
		if ((p = omsec_parse_new(&po, msg, sizeof(msg))) == NULL) {
			warnx("%s", msg);
			return 1;
		}
		bad = omsec_parse_check_rules(p, report_rule, NULL, &nsamples);
		c = omsec_parse_rules_count(p, &nfiles);
		printf("%d rules in %d files, %d samples, %d failures\n",
		    c, nfiles, nsamples, bad);
		omsec_parse_free(p);
		if (fclose(stdout) != 0) {
			warn("stdout");
			return 1;
		}
		return bad == 0 && nsamples > 0 ? 0 : 1;
	}
	if ((p = omsec_parse_new(&po, msg, sizeof(msg))) == NULL) {
		/* [types] / [json] values are checked here, not by core. */
		if (msg[0] == '[' && config != NULL)
			errx(1, "%s: %s", config, msg);
		warnx("%s", msg);
		/* A bad option value is a usage error; a bad rule file is data. */
		return strncmp(msg, "unknown ", 8) == 0 ? 2 : 1;
	}
	if ((out = omsec_out_new_fd(STDOUT_FILENO)) == NULL)
		err(1, "stdout");
	if (rejects != NULL) {
		if (omsec_atomic_open(&at, rejects) < 0)
			err(1, "%s", rejects);
		if ((rej = omsec_out_new_fd(at.fd)) == NULL)
			err(1, "%s", rejects);
		omsec_parse_write_rejects_header(rej);
	}
	omsec_parse_write_header(p, out);

	for (int i = 0; i < (argc ? argc : 1); i++) {
		const char *path = argc ? argv[i] : "-";
		int fd = STDIN_FILENO;
		struct stat sb;
		struct omsec_reader *r;
		int64_t mtime = -1;

		if (strcmp(path, "-") != 0 && (fd = open(path, O_RDONLY)) < 0) {
			warn("%s", path);
			rval = 1;
			continue;
		}
		if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode))
			mtime = (int64_t)sb.st_mtime;
		if ((r = omsec_reader_new_fd(fd)) == NULL)
			err(1, "%s", path);
		if (omsec_parse_stream(p, r, path, mtime, out, rej, &tot) < 0) {
			warn("%s", path);
			rval = 1;
		}
		omsec_reader_free(r);
		if (fd != STDIN_FILENO)
			close(fd);
		if (omsec_out_failed(out))
			break;
	}
	if (omsec_out_close(out) < 0) {
		warn("stdout");
		rval = 1;
	}
	if (rej != NULL) {
		if (omsec_out_close(rej) < 0 || omsec_atomic_commit(&at) < 0) {
			warn("%s", rejects);
			omsec_atomic_abort(&at);
			rval = 1;
		}
	}
	if (verbose && tot.continued == 0)
		fprintf(stderr, "omsec-parse: %llu sources, %llu lines, "
		    "%llu events, %llu rejects, %llu truncated\n",
		    (unsigned long long)tot.sources,
		    (unsigned long long)tot.lines,
		    (unsigned long long)tot.events,
		    (unsigned long long)tot.rejects,
		    (unsigned long long)tot.truncated);
	else if (verbose)
		fprintf(stderr, "omsec-parse: %llu sources, %llu lines, "
		    "%llu events, %llu rejects, %llu truncated, %llu continued\n",
		    (unsigned long long)tot.sources,
		    (unsigned long long)tot.lines,
		    (unsigned long long)tot.events,
		    (unsigned long long)tot.rejects,
		    (unsigned long long)tot.truncated,
		    (unsigned long long)tot.continued);
	omsec_parse_free(p);
	return rval;
}
