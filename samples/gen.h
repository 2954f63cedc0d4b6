/*
 * gen.h - the sample data generator behind omsec-samplegen.
 *
 * Makes one month of logs of a fictional customer (东海市示例商业银行) as a
 * log collection would hold them after logrotate: auth.log of three servers
 * rotated weekly, nginx access.log of the web server rotated daily, the
 * gateway's kern.log (iptables), Suricata's eve.json and a MySQL general
 * log rotated weekly, older generations gzip-compressed with delaycompress. Background activity (admin
 * logins, sudo, cron, web visitors, crawlers, internet SSH noise) follows a
 * daily and weekly rhythm; a fixed list of attacks is injected at times drawn
 * from the seed and written as ground truth. The service records of the same
 * month (tickets, survey) and the site configuration are written beside them.
 *
 * Everything is a function of (seed, month): the same pair gives the same
 * bytes, gzip members and file times included. Each part draws from its own
 * random stream (xoshiro256** seeded from the seed and the part's name), so
 * changing one part does not move the others.
 *
 * Cost: O(n log n) in the number of lines (about 320,000 for a month); memory
 * holds one log set at a time, about 40 bytes of bookkeeping plus the text of
 * each line (tens of MiB at most).
 */
#ifndef OMSEC_SAMPLES_GEN_H
#define OMSEC_SAMPLES_GEN_H

#include <stddef.h>
#include <stdint.h>

struct omsec_samplegen_opts {
	uint64_t seed;
	int year, month;	/* the month to generate, local time */
	const char *outdir;	/* created if missing; files in it are overwritten */
	/*
	 * Called after each file is written (path relative to outdir, its
	 * lines, its bytes on disk), if not NULL; the library never prints.
	 */
	void (*on_file)(void *ctx, const char *relpath, int64_t lines,
	    int64_t bytes);
	void *ctx;
};

#define OMSEC_SAMPLEGEN_OPTS_INIT { 42, 2026, 11, NULL, NULL, NULL }

/*
 * Writes outdir/logs/..., outdir/ground-truth.tsv, outdir/site.ini,
 * outdir/bad-ranges.txt, outdir/assets.csv, outdir/tickets.csv and
 * outdir/survey.csv. Returns the number of log lines
 * written, or -1 with a message ("path: what") in err (errcap bytes).
 */
int64_t omsec_samplegen_run(const struct omsec_samplegen_opts *o, char *err,
    size_t errcap);

/* The site configuration written as site.ini (NUL-terminated). */
extern const char omsec_samplegen_site_ini[];
/* The bad-range list written beside it as bad-ranges.txt. */
extern const char omsec_samplegen_bad_ranges[];
/* The asset inventory written beside it as assets.csv. */
extern const char omsec_samplegen_assets[];

#endif
