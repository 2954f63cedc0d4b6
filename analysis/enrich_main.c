/*
 * enrich_main.c - omsec-enrich: add country, city, ASN and zone to events.
 *
 * Reads event streams (docs/formats.md section 2) from the files named, or
 * stdin, e.g.
 *   2026-11-03T02:14:07.000Z  web1  sshd  authentication  login  failure  2  81.2.69.142 ...
 * and writes them to stdout with country, city, asn, as_org and zone filled
 * from src_ip, and asset from the inventory (TSV, or JSON Lines with --json). All decisions live in
 * enrich.c; this file parses options, opens inputs and reports.
 * Memory: one 1 MiB line buffer, one 256 KiB output buffer, the cache and
 * the memory-mapped databases, and the asset inventory's index.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assets.h"
#include "config.h"
#include "enrich.h"
#include "out.h"
#include "paths.h"
#include "reader.h"
#include "strnum.h"

#define PROG "omsec-enrich"

/* One table drives getopt_long and --help. */
static const struct opt {
	const char *name;
	int has_arg;
	int val;
	const char *arg;
	const char *help;
} opts[] = {
	{ "config", 1, 'c', "FILE", "site configuration ([network] internal, [geoip])" },
	{ "geoip", 1, 'g', "FILE", "country or city MaxMind DB (default: the installed geoip/country.mmdb)" },
	{ "asn", 1, 'a', "FILE", "ASN MaxMind DB (GeoLite2-ASN style)" },
	{ "assets", 1, 'A', "FILE", "asset inventory CSV: fill asset (default: [site] assets)" },
	{ "json", 0, 'j', NULL, "write JSON Lines with ECS names instead of TSV" },
	{ "cache", 1, 'C', "N", "cache N recent addresses (default 4096, 0 = off)" },
	{ "pseudonymise", 1, 'p', "KEYFILE", "replace src_ip and user by keyed-hash tokens (key: 16+ secret bytes)" },
	{ "help", 0, 'h', NULL, "show this help and exit" },
};
#define NOPTS (sizeof opts / sizeof opts[0])

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: %s [options] [file ...]\n"
	    "Adds country, city, ASN, zone (internal/external) and the inventory "
	    "asset to an omsec event stream.\nReads the files named (- or none: stdin), writes "
	    "stdout.\n\n", PROG);
	for (i = 0; i < NOPTS; i++) {
		char left[40];

		snprintf(left, sizeof left, "-%c, --%s%s%s", opts[i].val,
		    opts[i].name,
		    opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
		fprintf(f, "  %-22s %s\n", left, opts[i].help);
	}
	fprintf(f, "\nExit status: 0 ok, 1 data or I/O error, 2 usage.\n");
}

static void
asset_diag(void *ctx, const char *msg)
{
	char esc[1024];

	(void)ctx;
	warnx("%s", omsec_term_escape(esc, sizeof esc, omsec_span_cstr(msg)));
}

/* A relative name in the config is relative to the config's folder. */
static void
relative_to(char *out, size_t cap, const char *cfgpath, const char *name)
{
	const char *slash = cfgpath ? strrchr(cfgpath, '/') : NULL;

	if (name[0] == '/' || slash == NULL)
		snprintf(out, cap, "%s", name);
	else
		snprintf(out, cap, "%.*s/%s", (int)(slash - cfgpath), cfgpath,
		    name);
}

/* Past this many, malformed lines are only counted: a stream of a
 * million bad lines must not bury the terminal. */
#define MAX_WARNINGS 100

struct run {
	struct omsec_enrich *e;
	uint64_t warned;
	struct omsec_enrich_stream st;
	struct omsec_out *out;
};

/* Enriches one input. Returns 0, or 1 after warning about a bad input. */
static int
do_input(struct run *r, const char *name)
{
	struct omsec_reader *rd;
	char shown[256], *line;
	size_t len;
	int fd, trunc, rs, st, rval = 0;
	const char *why;

	if (strcmp(name, "-") == 0) {
		fd = STDIN_FILENO;
		name = "-";
	} else if ((fd = open(name, O_RDONLY)) < 0) {
		warn("%s", omsec_term_escape(shown, sizeof shown,
		    omsec_span_cstr(name)));
		return 1;
	}
	omsec_term_escape(shown, sizeof shown, omsec_span_cstr(name));
	if ((rd = omsec_reader_new_fd(fd)) == NULL)
		err(1, "out of memory");
	omsec_enrich_stream_input(&r->st);
	while ((rs = omsec_reader_next(rd, &line, &len, &trunc)) == 1) {
		if (trunc) {
			r->st.bad++;
			if (r->warned++ < MAX_WARNINGS)
				warnx("%s:%llu: line too long, skipped", shown,
				    (unsigned long long)omsec_reader_lineno(rd));
			rval = 1;
			continue;
		}
		st = omsec_enrich_line(r->e, &r->st, r->out, line, len, &why);
		if (st == -1) {
			if (r->warned++ < MAX_WARNINGS)
				warnx("%s:%llu: %s", shown, (unsigned long long)
				    omsec_reader_lineno(rd), why);
			rval = 1;
		} else if (st == -2) {
			warnx("%s:%llu: %s", shown,
			    (unsigned long long)omsec_reader_lineno(rd), why);
			rval = 1;
			break;
		}
		/* Writing to a full disk or closed pipe: no use reading on. */
		if (omsec_out_failed(r->out))
			break;
	}
	if (rs < 0) {
		warn("%s", shown);
		rval = 1;
	}
	omsec_reader_free(rd);
	if (fd != STDIN_FILENO)
		close(fd);
	return rval;
}

/* Reads the pseudonymisation key (at most 4 KiB are used). 0 or 1. */
static int
load_key(struct omsec_enrich *e, const char *path)
{
	unsigned char key[4096];
	char shown[256], msg[256];
	size_t n = 0;
	ssize_t k;
	int fd;

	omsec_term_escape(shown, sizeof shown, omsec_span_cstr(path));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		warn("%s", shown);
		return 1;
	}
	while (n < sizeof key && (k = read(fd, key + n, sizeof key - n)) != 0) {
		if (k < 0) {
			warn("%s", shown);
			close(fd);
			return 1;
		}
		n += (size_t)k;
	}
	close(fd);
	if (omsec_enrich_pseudonymise(e, key, n, msg, sizeof msg) != 0) {
		warnx("%s: %s", shown, msg);
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct option lopts[NOPTS + 1];
	struct omsec_config cfg;
	struct omsec_enrich_opts eo = OMSEC_ENRICH_OPTS_INIT;
	struct run r;
	const char *config = NULL, *geoip = NULL, *asn = NULL, *keyfile = NULL;
	const char *assets = NULL;
	struct omsec_assets as;
	struct omsec_asset_index ax;
	struct omsec_report_diag adiag = { asset_diag, NULL, 0 };
	char defpath[4096], assetpath[4096], msg[512];
	int json = 0, c, i, rval = 0;
	int64_t cache = 4096;

	for (i = 0; i < (int)NOPTS; i++) {
		lopts[i].name = opts[i].name;
		lopts[i].has_arg = opts[i].has_arg;
		lopts[i].flag = NULL;
		lopts[i].val = opts[i].val;
	}
	memset(&lopts[NOPTS], 0, sizeof(struct option));
	while ((c = getopt_long(argc, argv, "c:g:a:A:jC:p:h", lopts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'g': geoip = optarg; break;
		case 'a': asn = optarg; break;
		case 'A': assets = optarg; break;
		case 'j': json = 1; break;
		case 'C':
			if (omsec_strtonum(&cache, omsec_span_cstr(optarg), 0,
			    1 << 24) != 0) {
				warnx("--cache: not a number in 0..16777216: %s",
				    optarg);
				usage(stderr);
				return 2;
			}
			break;
		case 'p': keyfile = optarg; break;
		case 'h':
			usage(stdout);
			return ferror(stdout) || fclose(stdout) ? 1 : 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;

	omsec_config_defaults(&cfg);
	if (config && omsec_config_load(&cfg, config, msg, sizeof msg) != 0)
		errx(1, "%s", msg);
	if (geoip == NULL && cfg.geoip_db[0] != '\0')
		geoip = cfg.geoip_db;
	if (asn == NULL && cfg.asn_db[0] != '\0')
		asn = cfg.asn_db;
	if (assets == NULL && cfg.assets[0] != '\0') {
		relative_to(assetpath, sizeof assetpath, config, cfg.assets);
		assets = assetpath;
	}
	if (geoip == NULL) {
		if (omsec_data_path(defpath, sizeof defpath,
		    "geoip/country.mmdb") == 0)
			geoip = defpath;
		else
			warnx("no GeoIP database found (geoip/country.mmdb); "
			    "run scripts/fetch-geoip.sh or give --geoip; "
			    "setting zones only");
	}
	eo.geoip_path = geoip;
	eo.asn_path = asn;
	eo.cfg = &cfg;
	eo.cache_slots = (size_t)cache;
	memset(&r, 0, sizeof r);
	if (omsec_enrich_open(&r.e, &eo, msg, sizeof msg) != 0)
		errx(1, "%s", msg);
	if (keyfile != NULL && load_key(r.e, keyfile) != 0) {
		omsec_enrich_free(r.e);
		return 1;
	}
	memset(&as, 0, sizeof as);
	memset(&ax, 0, sizeof ax);
	if (assets != NULL) {
		/* Bad rows were reported and skipped; an unreadable inventory
		 * would leave every event untagged without anyone noticing. */
		if (omsec_assets_load(&as, &ax, assets, &adiag) != 0)
			errx(1, "%s: asset inventory not usable", omsec_term_escape(
			    msg, sizeof msg, omsec_span_cstr(assets)));
		if (adiag.nbad > 0)
			rval = 1;
		omsec_enrich_set_assets(r.e, &ax);
	}
	if ((r.out = omsec_out_new_fd(STDOUT_FILENO)) == NULL)
		errx(1, "out of memory");
	omsec_enrich_stream_init(&r.st, json);

	if (argc == 0)
		rval |= do_input(&r, "-");
	for (i = 0; i < argc && !omsec_out_failed(r.out); i++)
		rval |= do_input(&r, argv[i]);
	omsec_enrich_stream_finish(&r.st, r.out);
	if (r.warned > MAX_WARNINGS)
		warnx("%llu malformed lines skipped in all (first %d shown)",
		    (unsigned long long)r.st.bad, MAX_WARNINGS);
	if (omsec_out_close(r.out) != 0) {
		warn("stdout");
		rval = 1;
	}
	omsec_enrich_free(r.e);
	omsec_asset_index_free(&ax);
	omsec_assets_free(&as);
	return rval;
}
