/*
 * detect_main.c - omsec-detect: rule detections over omsec events, written
 * as alerts. Thin main over detect.h; see omsec-detect.1.
 *
 * Reads events (docs/formats.md section 2) such as
 *   2026-11-03T02:14:07.000Z	web1	sshd	authentication	login	failure	2	203.0.113.9	...
 * and writes alerts (section 3). Memory: see detect.h; one 1 MiB line
 * buffer per open input.
 */
#include <err.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assets.h"
#include "config.h"
#include "detect.h"
#include "event.h"
#include "out.h"
#include "reader.h"
#include "strnum.h"

#define MAX_WARN 20

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
	{ "config", 1, 'c', "FILE", "site config; thresholds from [detect]" },
	{ "state", 1, 's', "FILE",
	    "history across runs (countries, sudo users): read, then rewritten" },
	{ "max-sources", 1, 'S', "N",
	    "keep state for at most N source addresses (default 65536)" },
	{ "max-held", 1, 'H', "N",
	    "hold at most N events per engine for sorting (default 1048576)" },
	{ "assets", 1, 'A', "FILE",
	    "asset inventory CSV; high criticality raises levels "
	    "(default: [site] assets)" },
	{ "help", 0, 'h', NULL, "show this help and exit" },
	{ NULL, 0, 0, NULL, NULL }
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: omsec-detect [-o FILE] [-c site.ini] [-s STATE]\n"
	    "                    [--max-sources N] [--max-held N] "
	    "[--assets FILE]\n                    [EVENTS...]\n"
	    "Detect attacks (SSH, sudo, accounts, web, network scans and bad\n"
	    "ranges, databases, IDS) and silent log sources in\n"
	    "omsec events; write alerts. Reads stdin when no file or '-' is given.\n\n");
	for (const struct opt *o = opts; o->name; o++) {
		char left[40];
		/* Long-only options have an upper-case val. */
		int sh = o->val >= 'a' && o->val <= 'z' && o->val != 'h';
		snprintf(left, sizeof(left), "%c%c%s--%s%s%s",
		    sh ? '-' : ' ', sh ? o->val : ' ', sh ? ", " : "  ", o->name,
		    o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(fp, "  %-22s %s\n", left, o->help);
	}
}

static void
asset_diag(void *ctx, const char *msg)
{
	char esc[1024];

	(void)ctx;
	warnx("%s", omsec_term_escape(esc, sizeof(esc), omsec_span_cstr(msg)));
}

/* A relative name in the config is relative to the config's folder. */
static void
relative_to(char *out, size_t cap, const char *cfgpath, const char *name)
{
	const char *slash = cfgpath ? strrchr(cfgpath, '/') : NULL;

	if (name[0] == '/' || slash == NULL)
		snprintf(out, cap, "%s", name);
	else
		snprintf(out, cap, "%.*s/%s", (int)(slash - cfgpath), cfgpath, name);
}

/* Feeds one input to d. Returns 0, or 1 on bad data or I/O error. */
static int
detect_input(struct omsec_detect *d, const char *path)
{
	struct omsec_event_cols cols;
	struct omsec_event ev;
	struct omsec_reader *r;
	const char *name = strcmp(path, "-") == 0 ? "stdin" : path;
	char *line;
	size_t len;
	int fd = 0, trunc, rc, rval = 0;
	unsigned nwarn = 0;
	const char *why;

	if (strcmp(path, "-") != 0 && (fd = open(path, O_RDONLY)) < 0) {
		warn("%s", path);
		return 1;
	}
	if ((r = omsec_reader_new_fd(fd)) == NULL)
		errx(1, "out of memory");
	omsec_event_cols_init(&cols);
	while ((rc = omsec_reader_next(r, &line, &len, &trunc)) == 1) {
		if (trunc)
			why = "line too long, skipped";
		else if ((rc = omsec_event_read_tsv(&cols, &ev, line, len,
		    &why)) >= 0) {
			if (rc == 1 && omsec_detect_event(d, &ev) != 0)
				errx(1, "out of memory");
			continue;
		}
		rval = 1;
		if (++nwarn <= MAX_WARN)
			warnx("%s:%llu: %s", name,
			    (unsigned long long)omsec_reader_lineno(r), why);
		else if (nwarn == MAX_WARN + 1)
			warnx("%s: more bad lines not shown", name);
	}
	if (rc < 0) {
		warn("%s", name);
		rval = 1;
	}
	omsec_reader_free(r);
	if (fd != 0)
		close(fd);
	return rval;
}

int
main(int argc, char **argv)
{
	struct option lopts[sizeof(opts) / sizeof(opts[0])];
	struct omsec_detect_opts dopts = OMSEC_DETECT_OPTS_INIT;
	struct omsec_config cfg;
	struct omsec_detect *d;
	struct omsec_atomic at;
	struct omsec_out *o;
	const char *outpath = NULL, *cfgpath = NULL, *statepath = NULL, *why;
	char errbuf[512], badpath[4096], assetpath[4096];
	const char *assets = NULL;
	struct omsec_assets as = { NULL, 0, 0 };
	struct omsec_asset_index ax;
	struct omsec_report_diag adiag = { asset_diag, NULL, 0 };
	int c, rval = 0, fd = 1;
	int64_t v;

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		lopts[i] = (struct option){ opts[i].name, opts[i].has_arg,
		    NULL, opts[i].val };
	while ((c = getopt_long(argc, argv, "o:c:s:", lopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			outpath = optarg;
			break;
		case 'c':
			cfgpath = optarg;
			break;
		case 's':
			statepath = optarg;
			break;
		case 'A':
			assets = optarg;
			break;
		case 'S':
		case 'H':
			if (omsec_strtonum(&v, omsec_span_cstr(optarg), 1,
			    c == 'S' ? 1 << 28 : 1 << 26) != 0) {
				warnx("--%s: want a number from 1 to %d",
				    c == 'S' ? "max-sources" : "max-held",
				    c == 'S' ? 1 << 28 : 1 << 26);
				usage(stderr);
				return 2;
			}
			if (c == 'S')
				dopts.max_sources = (size_t)v;
			else
				dopts.max_held = (size_t)v;
			break;
		case 'h':
			usage(stdout);
			return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
		default:
			usage(stderr);
			return 2;
		}
	}
	omsec_config_defaults(&cfg);
	if (cfgpath && omsec_config_load(&cfg, cfgpath, errbuf,
	    sizeof(errbuf)) != 0)
		errx(1, "%s", errbuf);
	if (omsec_detect_opts_from_config(&dopts, &cfg, &why) != 0)
		errx(1, "%s: %s", cfgpath ? cfgpath : "defaults", why);
	if ((d = omsec_detect_new(&dopts)) == NULL)
		errx(1, "%s: [detect] thresholds must be at least 1 and the "
		    "timezone known", cfgpath ? cfgpath : "defaults");
	if (statepath && omsec_detect_state_load(d, statepath, errbuf,
	    sizeof(errbuf)) != 0)
		errx(1, "%s", errbuf);
	if (cfg.bad_ranges[0] != '\0') {
		relative_to(badpath, sizeof(badpath), cfgpath, cfg.bad_ranges);
		if (omsec_detect_bad_ranges_load(d, badpath, errbuf,
		    sizeof(errbuf)) != 0)
			errx(1, "%s", errbuf);
	}
	/* The inventory: bad rows are named and skipped (exit 1). */
	memset(&ax, 0, sizeof(ax));
	if (assets == NULL && cfg.assets[0] != '\0') {
		relative_to(assetpath, sizeof(assetpath), cfgpath, cfg.assets);
		assets = assetpath;
	}
	if (assets != NULL) {
		if (omsec_assets_load(&as, &ax, assets, &adiag) != 0)
			errx(1, "%s: asset inventory not usable", assets);
		if (adiag.nbad > 0)
			rval = 1;
		omsec_detect_set_assets(d, &ax);
	}
	if (optind == argc)
		rval |= detect_input(d, "-");
	for (int i = optind; i < argc; i++)
		rval |= detect_input(d, argv[i]);
	if (omsec_detect_finish(d) != 0)
		errx(1, "out of memory");
	if (statepath && omsec_detect_state_save(d, statepath) != 0) {
		warn("%s", statepath);
		rval = 1;
	}
	/* Both only split an attack's evidence; neither moves an event. */
	if (omsec_detect_evicted(d))
		warnx("%llu source addresses were evicted before the end "
		    "(--max-sources %zu, --max-held %zu); an attack from one "
		    "may be reported in parts",
		    (unsigned long long)omsec_detect_evicted(d),
		    dopts.max_sources, dopts.max_held);
	if (omsec_detect_late(d))
		warnx("%llu events came after later events of their "
		    "source had been evaluated; they were evaluated apart",
		    (unsigned long long)omsec_detect_late(d));
	if (outpath) {
		if (omsec_atomic_open(&at, outpath) != 0)
			err(1, "%s", outpath);
		fd = at.fd;
	}
	if ((o = omsec_out_new_fd(fd)) == NULL)
		errx(1, "out of memory");
	omsec_detect_write(d, o);
	omsec_detect_free(d);
	omsec_asset_index_free(&ax);
	omsec_assets_free(&as);
	if (omsec_out_close(o) != 0) {
		warn("%s", outpath ? outpath : "stdout");
		if (outpath)
			omsec_atomic_abort(&at);
		return 1;
	}
	if (outpath && omsec_atomic_commit(&at) != 0) {
		warn("%s", outpath);
		return 1;
	}
	return rval;
}
