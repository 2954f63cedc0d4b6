/*
 * omsec-report - the monthly service report (PDF) from a month's summary,
 * alerts, tickets, satisfaction survey and the site configuration.
 *
 *   omsec-report --config site.ini --period 2026-11 --summary nov.sum \
 *       --alerts nov.alerts --tickets tickets.csv --survey survey.csv \
 *       -o report.pdf
 *
 * Thin main: options, reading inputs through the omsec_reports library,
 * diagnostics on stderr, exit status. The PDF is written atomically.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "out.h"
#include "paths.h"
#include "report.h"
#include "strnum.h"

enum { O_SUMMARY = 256, O_ALERTS, O_TICKETS, O_SURVEY, O_CONFIG, O_PERIOD,
	O_FONT, O_HELP };

static const struct opt {
	const char *name;
	int val;
	const char *arg;
	const char *help;
} opts[] = {
	{ "config", O_CONFIG, "FILE", "site configuration (INI)" },
	{ "period", O_PERIOD, "YYYY-MM", "the month to report (site local time)" },
	{ "summary", O_SUMMARY, "FILE", "omsec-summary v1 of the month" },
	{ "alerts", O_ALERTS, "FILE", "omsec-alerts v1 of the month" },
	{ "tickets", O_TICKETS, "FILE", "tickets CSV (工单)" },
	{ "survey", O_SURVEY, "FILE", "satisfaction survey CSV (满意度调查)" },
	{ "output", 'o', "FILE", "the PDF to write (required)" },
	{ "font", O_FONT, "FILE", "TrueType font (default: fonts/omsec-cjk.ttf)" },
	{ "help", O_HELP, NULL, "show this help and exit" },
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: omsec-report --period YYYY-MM -o FILE [--config FILE]\n"
	    "                    [--summary FILE] [--alerts FILE] "
	    "[--tickets FILE]\n"
	    "                    [--survey FILE] [--font FILE]\n"
	    "Writes the monthly security O&M service report (PDF, Chinese).\n"
	    "Set SOURCE_DATE_EPOCH for a byte-identical PDF.\n\n");
	for (i = 0; i < NOPTS; i++) {
		char left[40];
		snprintf(left, sizeof(left), "%s%c%s--%s %s",
		    opts[i].val == 'o' ? "-o" : "  ",
		    opts[i].val == 'o' ? ',' : ' ', " ", opts[i].name,
		    opts[i].arg ? opts[i].arg : "");
		fprintf(f, "  %-26s %s\n", left, opts[i].help);
	}
}

static void
warn_diag(void *ctx, const char *msg)
{
	(void)ctx;
	warnx("%s", msg);
}

static int
parse_period(const char *s, int *y, int *m)
{
	int64_t v;

	if (strlen(s) != 7 || s[4] != '-' ||
	    omsec_strtonum(&v, omsec_span_make(s, 4), 1970, 9999) != 0)
		return -1;
	*y = (int)v;
	if (omsec_strtonum(&v, omsec_span_make(s + 5, 2), 1, 12) != 0)
		return -1;
	*m = (int)v;
	return 0;
}

int
main(int argc, char **argv)
{
	struct option lopts[NOPTS + 1];
	const char *summary = NULL, *alerts = NULL, *tickets = NULL;
	const char *survey = NULL, *config = NULL, *period = NULL;
	const char *output = NULL, *font = NULL;
	char fontbuf[4096], errbuf[1024];
	struct omsec_config cfg;
	struct omsec_report_diag diag = { warn_diag, NULL, 0 };
	struct omsec_report_input in = OMSEC_REPORT_INPUT_INIT;
	struct omsec_rpt_summary sum;
	struct omsec_rpt_alerts al;
	struct omsec_tickets tk = { NULL, 0, 0 };
	struct omsec_survey sv = { NULL, 0, 0 };
	struct omsec_sla sla;
	struct omsec_satisfaction sat;
	struct omsec_civil c;
	const char *sde;
	size_t i;
	int ch, year, month, npages = 0, rval = 0;

	for (i = 0; i < NOPTS; i++) {
		lopts[i].name = opts[i].name;
		lopts[i].has_arg = opts[i].arg ? required_argument : no_argument;
		lopts[i].flag = NULL;
		lopts[i].val = opts[i].val;
	}
	lopts[NOPTS] = (struct option){ NULL, 0, NULL, 0 };
	while ((ch = getopt_long(argc, argv, "o:h", lopts, NULL)) != -1) {
		switch (ch) {
		case O_SUMMARY: summary = optarg; break;
		case O_ALERTS: alerts = optarg; break;
		case O_TICKETS: tickets = optarg; break;
		case O_SURVEY: survey = optarg; break;
		case O_CONFIG: config = optarg; break;
		case O_PERIOD: period = optarg; break;
		case O_FONT: font = optarg; break;
		case 'o': output = optarg; break;
		case 'h':
		case O_HELP:
			usage(stdout);
			if (fflush(stdout) != 0 || ferror(stdout))
				err(1, "stdout");
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		warnx("unexpected argument: %s", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (output == NULL || period == NULL) {
		warnx("--period and -o are required");
		usage(stderr);
		return 2;
	}
	if (parse_period(period, &year, &month) != 0) {
		warnx("--period %s: want YYYY-MM", period);
		return 2;
	}

	omsec_config_defaults(&cfg);
	if (config && omsec_config_load(&cfg, config, errbuf,
	    sizeof(errbuf)) != 0)
		errx(1, "%s", errbuf);
	if ((in.tz = omsec_tz_new(cfg.timezone)) == NULL)
		errx(1, "%s: unknown time zone %s", config ? config : "default",
		    cfg.timezone);
	if (font == NULL) {
		if (omsec_data_path(fontbuf, sizeof(fontbuf),
		    "fonts/omsec-cjk.ttf") != 0)
			errx(1, "fonts/omsec-cjk.ttf not found "
			    "(set OMSEC_DATADIR or use --font)");
		font = fontbuf;
	}
	if ((sde = getenv("SOURCE_DATE_EPOCH")) != NULL && *sde != '\0') {
		int64_t v;
		if (omsec_strtonum(&v, omsec_span_cstr(sde), 0,
		    INT64_C(253402300799)) != 0)
			errx(1, "SOURCE_DATE_EPOCH=%s: not a number of seconds",
			    sde);
		in.source_date = v;
	}

	memset(&c, 0, sizeof(c));
	c.year = year;
	c.month = month;
	c.day = 1;
	in.start = omsec_tz_local_to_utc(in.tz, &c);
	c.year = month == 12 ? year + 1 : year;
	c.month = month == 12 ? 1 : month + 1;
	in.end = omsec_tz_local_to_utc(in.tz, &c);
	in.year = year;
	in.month = month;
	in.cfg = &cfg;
	in.font_path = font;

	if (summary) {
		if (omsec_rpt_summary_read(&sum, summary, in.tz, in.start,
		    in.end, &diag) != 0)
			rval = 2;
		else
			in.summary = &sum;
	}
	if (alerts) {
		if (omsec_rpt_alerts_read(&al, alerts, &diag) != 0)
			rval = 2;
		else
			in.alerts = &al;
	}
	if (tickets) {
		if (omsec_tickets_read(&tk, tickets, in.tz, &diag) != 0)
			rval = 2;
		else if (omsec_sla_compute(&sla, &tk, &cfg, in.start,
		    in.end) != 0)
			errx(1, "out of memory");
		else {
			in.tickets = &tk;
			in.sla = &sla;
		}
	}
	if (survey) {
		if (omsec_survey_read(&sv, survey, &diag) != 0)
			rval = 2;
		else {
			omsec_satisfaction_compute(&sat, &sv);
			in.survey = &sv;
			in.sat = &sat;
		}
	}
	/* An unreadable input would turn into "no data" in the report. */
	if (rval == 2)
		errx(1, "no report written");
	if (diag.nbad > 0) {
		warnx("%u bad row(s) or line(s) skipped", diag.nbad);
		rval = 1;
	}
	if (omsec_report_render(&in, output, &npages, errbuf,
	    sizeof(errbuf)) != 0)
		errx(1, "%s", errbuf);

	if (in.summary)
		omsec_rpt_summary_free(&sum);
	if (in.alerts)
		omsec_rpt_alerts_free(&al);
	if (in.sla)
		omsec_sla_free(&sla);
	omsec_tickets_free(&tk);
	omsec_survey_free(&sv);
	omsec_tz_free(in.tz);
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0)
		err(1, "stdout");
	return rval;
}
