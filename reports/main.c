/*
 * omsec-report - the monthly, quarterly or annual service report (PDF)
 * from the period's summary, alerts, service records and the site
 * configuration.
 *
 *   omsec-report --config site.ini --period 2026-11 --summary nov.sum \
 *       --alerts nov.alerts --tickets tickets.csv --survey survey.csv \
 *       -o report.pdf
 *   omsec-report --config site.ini --period 2026-Q4 --summary q4.sum \
 *       --monthly months/ --previous q3.sum -o q4.pdf
 *
 * Thin main: options, reading inputs through the omsec_reports library,
 * diagnostics on stderr, exit status. The PDF is written atomically.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "out.h"
#include "paths.h"
#include "report.h"
#include "strnum.h"

enum { O_SUMMARY = 256, O_ALERTS, O_TICKETS, O_SURVEY, O_CONFIG, O_PERIOD,
	O_FONT, O_HELP, O_VULNS, O_INSP, O_ASSETS, O_OUTAGES, O_RECORDS_OUT,
	O_MONTHLY, O_PREVIOUS, O_YEAR_AGO, O_USER_PW, O_OWNER_PW, O_LANG };

static const struct opt {
	const char *name;
	int val;
	const char *arg;
	const char *help;
} opts[] = {
	{ "config", O_CONFIG, "FILE", "site configuration (INI)" },
	{ "period", O_PERIOD, "PERIOD", "YYYY-MM (月报), YYYY-Qn (季报) or "
	    "YYYY (年报), site local time" },
	{ "summary", O_SUMMARY, "FILE", "omsec-summary v1 of the period "
	    "(merged)" },
	{ "alerts", O_ALERTS, "FILE", "omsec-alerts v1 of the period" },
	{ "monthly", O_MONTHLY, "FILE|DIR", "summary of one month of the "
	    "period, or a folder of them (repeatable)" },
	{ "previous", O_PREVIOUS, "FILE", "summary of the previous period "
	    "(环比)" },
	{ "year-ago", O_YEAR_AGO, "FILE", "summary of the same period a year "
	    "earlier (同比)" },
	{ "tickets", O_TICKETS, "FILE", "tickets CSV (工单)" },
	{ "survey", O_SURVEY, "FILE", "satisfaction survey CSV (满意度调查)" },
	{ "vulns", O_VULNS, "FILE", "vulnerability findings CSV: Nessus, "
	    "OpenVAS or generic (repeatable)" },
	{ "inspections", O_INSP, "FILE", "inspections CSV (巡检记录)" },
	{ "assets", O_ASSETS, "FILE", "asset inventory CSV (资产识别表)" },
	{ "outages", O_OUTAGES, "FILE", "service outages CSV (availability)" },
	{ "records-out", O_RECORDS_OUT, "FILE", "also write the figures "
	    "computed from the records (#omsec-records 1)" },
	{ "output", 'o', "FILE", "the PDF to write (required)" },
	{ "font", O_FONT, "FILE", "TrueType font (default: fonts/omsec-cjk.ttf)" },
	{ "lang", O_LANG, "LANG", "zh-CN (default); en is not available yet" },
	{ "user-password", O_USER_PW, "PW", "encrypt: password to open the PDF" },
	{ "owner-password", O_OWNER_PW, "PW", "encrypt: owner password (default: "
	    "random); readers may print, not copy or modify" },
	{ "help", O_HELP, NULL, "show this help and exit" },
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))
#define MAXVULNS 16
#define MAXMONTHLY 64

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: omsec-report --period PERIOD -o FILE [--config FILE]\n"
	    "                    [--summary FILE] [--alerts FILE] "
	    "[--tickets FILE]\n"
	    "                    [--survey FILE] [--vulns FILE]... "
	    "[--inspections FILE]\n"
	    "                    [--assets FILE] [--outages FILE] "
	    "[--records-out FILE]\n"
	    "                    [--monthly FILE|DIR]... [--previous FILE] "
	    "[--year-ago FILE]\n"
	    "                    [--user-password PW] [--owner-password PW] "
	    "[--font FILE]\n"
	    "Writes the monthly, quarterly or annual security O&M service "
	    "report\n(PDF, Chinese). Set SOURCE_DATE_EPOCH for a byte-identical "
	    "PDF\n(not with encryption, whose document ID is random).\n\n");
	for (i = 0; i < NOPTS; i++) {
		char left[44];
		snprintf(left, sizeof(left), "%s%c%s--%s %s",
		    opts[i].val == 'o' ? "-o" : "  ",
		    opts[i].val == 'o' ? ',' : ' ', " ", opts[i].name,
		    opts[i].arg ? opts[i].arg : "");
		fprintf(f, "  %-30s %s\n", left, opts[i].help);
	}
}

static void
warn_diag(void *ctx, const char *msg)
{
	(void)ctx;
	warnx("%s", msg);
}

/*
 * A path from the config file: relative ones are taken from the config
 * file's folder, so a site's directory can be moved as a whole.
 */
static void
relative_to(char *buf, size_t cap, const char *config, const char *path)
{
	const char *slash = config ? strrchr(config, '/') : NULL;

	if (path[0] == '/' || slash == NULL)
		snprintf(buf, cap, "%s", path);
	else
		snprintf(buf, cap, "%.*s/%s", (int)(slash - config), config,
		    path);
}

/* Appends path, or the regular files of the folder path in name order. */
static void
add_monthly(const char **list, int *n, char **owned, int *nowned,
    const char *path)
{
	struct dirent **ent;
	struct stat st;
	int k, m;

	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		if (*n == MAXMONTHLY)
			errx(2, "at most %d monthly summaries", MAXMONTHLY);
		list[(*n)++] = path;
		return;
	}
	if ((m = scandir(path, &ent, NULL, alphasort)) < 0)
		err(1, "%s", path);
	for (k = 0; k < m; k++) {
		char buf[4096];
		if (ent[k]->d_name[0] != '.') {
			snprintf(buf, sizeof(buf), "%s/%s", path, ent[k]->d_name);
			if (stat(buf, &st) == 0 && S_ISREG(st.st_mode)) {
				if (*n == MAXMONTHLY || *nowned == MAXMONTHLY)
					errx(2, "at most %d monthly summaries",
					    MAXMONTHLY);
				if ((owned[*nowned] = strdup(buf)) == NULL)
					err(1, NULL);
				list[(*n)++] = owned[(*nowned)++];
			}
		}
		free(ent[k]);
	}
	free(ent);
}

/* The month (0-based in the period) holding most of a summary's events. */
static int
main_month(const struct omsec_rpt_summary *s, int nmonths)
{
	int i, best = -1;

	for (i = 0; i < nmonths; i++)
		if (s->month[i] > 0 && (best < 0 || s->month[i] > s->month[best]))
			best = i;
	return best;
}

int
main(int argc, char **argv)
{
	struct option lopts[NOPTS + 1];
	const char *summary = NULL, *alerts = NULL, *tickets = NULL;
	const char *survey = NULL, *config = NULL, *period = NULL;
	const char *output = NULL, *font = NULL;
	const char *vulns[MAXVULNS], *insp = NULL, *assets = NULL;
	const char *outages = NULL, *records_out = NULL;
	int nvulns = 0;
	char holbuf[4096];
	struct omsec_calendar business;
	const struct omsec_calendar *cal[OMSEC_PRIO_COUNT];
	struct omsec_vulns vl = { NULL, 0, 0, 0 };
	struct omsec_vuln_figures vf;
	struct omsec_assets as = { NULL, 0, 0 };
	struct omsec_inspections is = { NULL, 0, 0 };
	struct omsec_insp_figures inf;
	struct omsec_outages ou = { NULL, 0, 0 };
	struct omsec_availability av;
	struct omsec_workload wl;
	struct omsec_records rec;
	int have_vf = 0, have_inf = 0, have_av = 0, have_as = 0;
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
	const char *sde;
	size_t i;
	const char *monthly[MAXMONTHLY], *previous = NULL, *year_ago = NULL;
	char *owned[MAXMONTHLY];
	int nmonthly = 0, nowned = 0;
	struct omsec_period per, pprev, pago;
	struct omsec_report_month months[OMSEC_RPT_MAXMONTHS];
	struct omsec_rpt_summary msum[OMSEC_RPT_MAXMONTHS], psum, asum;
	int have_msum[OMSEC_RPT_MAXMONTHS] = { 0 };
	const char *user_pw = NULL, *owner_pw = NULL, *lang = "zh-CN";
	char ownerbuf[40];
	int ch, npages = 0, rval = 0;

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
		case O_VULNS:
			if (nvulns == MAXVULNS)
				errx(2, "at most %d --vulns files", MAXVULNS);
			vulns[nvulns++] = optarg;
			break;
		case O_INSP: insp = optarg; break;
		case O_ASSETS: assets = optarg; break;
		case O_OUTAGES: outages = optarg; break;
		case O_RECORDS_OUT: records_out = optarg; break;
		case O_CONFIG: config = optarg; break;
		case O_PERIOD: period = optarg; break;
		case O_FONT: font = optarg; break;
		case O_MONTHLY:
			add_monthly(monthly, &nmonthly, owned, &nowned, optarg);
			break;
		case O_PREVIOUS: previous = optarg; break;
		case O_YEAR_AGO: year_ago = optarg; break;
		case O_USER_PW: user_pw = optarg; break;
		case O_OWNER_PW: owner_pw = optarg; break;
		case O_LANG: lang = optarg; break;
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
	if (strcmp(lang, "zh-CN") != 0 && strcmp(lang, "zh") != 0) {
		warnx("--lang %s: only zh-CN is available", lang);
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

	if (omsec_period_parse(&per, period, in.tz) != 0) {
		warnx("--period %s: want YYYY-MM, YYYY-Qn or YYYY", period);
		omsec_tz_free(in.tz);
		return 2;
	}
	in.start = per.start;
	in.end = per.end;
	in.year = per.year;
	in.month = per.month;
	in.period = &per;
	in.cfg = &cfg;
	in.font_path = font;

	if (summary) {
		if (omsec_rpt_summary_read(&sum, summary, in.tz, in.start,
		    in.end, &diag) != 0)
			rval = 2;
		else
			in.summary = &sum;
	}
	/* Earlier periods (环比, 同比), each read over its own bounds. */
	pprev = per;
	omsec_period_shift(&pprev, -1, in.tz);
	pago = per;
	pago.year--;
	omsec_period_shift(&pago, 0, in.tz);
	if (previous) {
		if (omsec_rpt_summary_read(&psum, previous, in.tz, pprev.start,
		    pprev.end, &diag) != 0)
			rval = 2;
		else
			in.previous = &psum;
	}
	if (year_ago) {
		if (omsec_rpt_summary_read(&asum, year_ago, in.tz, pago.start,
		    pago.end, &diag) != 0)
			rval = 2;
		else
			in.year_ago = &asum;
	}
	/* Monthly summaries: each is placed by the month of its events. */
	for (i = 0; i < (size_t)nmonthly; i++) {
		struct omsec_rpt_summary ms;
		int mi;
		if (omsec_rpt_summary_read(&ms, monthly[i], in.tz, per.start,
		    per.end, &diag) != 0) {
			rval = 2;
			continue;
		}
		if ((mi = main_month(&ms, per.nmonths)) < 0) {
			warnx("%s: no events in %s: not used", monthly[i], period);
			omsec_rpt_summary_free(&ms);
			continue;
		}
		if (have_msum[mi]) {
			warnx("%s: a second summary of month %d: not used",
			    monthly[i], (per.month + mi - 1) % 12 + 1);
			omsec_rpt_summary_free(&ms);
			rval = rval ? rval : 1;
			continue;
		}
		msum[mi] = ms;
		have_msum[mi] = 1;
	}
	if (user_pw != NULL || owner_pw != NULL) {
		if (owner_pw == NULL) {
			/* A random owner password nobody knows: the
			   permissions cannot be lifted. */
			unsigned char rb[16];
			int fd = open("/dev/urandom", O_RDONLY);
			if (fd < 0 || read(fd, rb, sizeof(rb)) != sizeof(rb))
				err(1, "/dev/urandom");
			close(fd);
			for (i = 0; i < sizeof(rb); i++)
				snprintf(ownerbuf + 2 * i, 3, "%02x", rb[i]);
			owner_pw = ownerbuf;
		}
		if (user_pw != NULL && strcmp(user_pw, owner_pw) == 0)
			errx(2, "--owner-password must differ from --user-password");
		in.user_password = user_pw;
		in.owner_password = owner_pw;
	}
	if (alerts) {
		if (omsec_rpt_alerts_read(&al, alerts, &diag) != 0)
			rval = 2;
		else
			in.alerts = &al;
	}
	/* The SLA clock of each priority: 7x24 or the business calendar. */
	omsec_calendar_init(&business, in.tz);
	for (i = 0; i < OMSEC_PRIO_COUNT; i++) {
		cal[i] = NULL;
		if (strcasecmp(cfg.sla_clock[i], "business") != 0)
			continue;
		cal[i] = &business;
	}
	if (omsec_calendar_set_hours(&business, cfg.cal_hours) != 0)
		errx(1, "%s: [calendar] hours '%s': want HH:MM-HH:MM[,...]",
		    config ? config : "default", cfg.cal_hours);
	if (cfg.cal_holidays[0] != '\0') {
		relative_to(holbuf, sizeof(holbuf), config, cfg.cal_holidays);
		/* A bare name is also looked up among the shipped calendars. */
		if (access(holbuf, F_OK) != 0 &&
		    strchr(cfg.cal_holidays, '/') == NULL) {
			char rel[512];
			snprintf(rel, sizeof(rel), "calendar/%s",
			    cfg.cal_holidays);
			if (omsec_data_path(holbuf, sizeof(holbuf), rel) != 0)
				relative_to(holbuf, sizeof(holbuf), config,
				    cfg.cal_holidays);
		}
		if (omsec_calendar_load(&business, holbuf, &diag) != 0)
			rval = 2;
	}
	if (tickets) {
		if (omsec_tickets_read(&tk, tickets, in.tz, &diag) != 0)
			rval = 2;
		else if (omsec_sla_compute_cal(&sla, &tk, &cfg, cal, in.start,
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
	for (i = 0; i < (size_t)nvulns; i++)
		if (omsec_vulns_read(&vl, vulns[i], in.tz, &diag) != 0)
			rval = 2;
	if (nvulns > 0 && rval != 2) {
		omsec_vulns_dedupe(&vl);
		if (omsec_vuln_compute(&vf, &vl, &cfg, in.start, in.end) != 0)
			errx(1, "out of memory");
		have_vf = 1;
	}
	if (assets) {
		if (omsec_assets_read(&as, assets, &diag) != 0)
			rval = 2;
		else
			have_as = 1;
	}
	if (insp) {
		if (omsec_inspections_read(&is, insp, in.tz, &diag) != 0)
			rval = 2;
		else {
			omsec_insp_compute(&inf, &is, have_as ? &as : NULL,
			    in.start, in.end);
			have_inf = 1;
		}
	}
	if (outages) {
		if (omsec_outages_read(&ou, outages, in.tz, &diag) != 0)
			rval = 2;
		else if (omsec_availability_compute(&av, &ou,
		    cfg.availability_target, in.start, in.end) != 0)
			errx(1, "out of memory");
		else
			have_av = 1;
	}
	omsec_workload_compute(&wl, in.tickets, have_inf ? &inf : NULL,
	    have_vf ? &vf : NULL, in.summary, in.start, in.end);
	memset(&rec, 0, sizeof(rec));
	rec.start = in.start;
	rec.end = in.end;
	rec.cfg = &cfg;
	rec.tickets = in.tickets;
	rec.sla = in.sla;
	for (i = 0; i < OMSEC_PRIO_COUNT; i++)
		rec.clock[i] = cal[i] ? "business" : "7x24";
	rec.survey = in.survey;
	rec.sat = in.sat;
	rec.vulns = have_vf ? &vl : NULL;
	rec.vf = have_vf ? &vf : NULL;
	rec.insp = have_inf ? &inf : NULL;
	rec.assets = have_as ? &as : NULL;
	rec.avail = have_av ? &av : NULL;
	rec.work = &wl;
	rec.inspections = have_inf ? &is : NULL;
	in.records = &rec;
	if (per.nmonths > 1) {
		if (omsec_report_months(months, &per, in.tz, &cfg, in.tickets,
		    cal, have_vf ? &vl : NULL, have_inf ? &is : NULL, in.survey)
		    != 0)
			errx(1, "out of memory");
		for (i = 0; i < (size_t)per.nmonths; i++)
			months[i].summary = have_msum[i] ? &msum[i] : NULL;
		in.months = months;
	}

	/* An unreadable input would turn into "no data" in the report. */
	if (rval == 2)
		errx(1, "no report written");
	if (diag.nbad > 0) {
		warnx("%u bad row(s) or line(s) skipped", diag.nbad);
		rval = 1;
	}
	if (records_out) {
		struct omsec_atomic at;
		if (omsec_atomic_open(&at, records_out) != 0)
			err(1, "%s", records_out);
		if (omsec_records_write(&rec, at.fd) != 0) {
			int e = errno;
			omsec_atomic_abort(&at);
			errno = e;
			err(1, "%s", records_out);
		}
		if (omsec_atomic_commit(&at) != 0)
			err(1, "%s", records_out);
	}
	if (omsec_report_render(&in, output, &npages, errbuf,
	    sizeof(errbuf)) != 0)
		errx(1, "%s", errbuf);

	if (in.summary)
		omsec_rpt_summary_free(&sum);
	if (in.previous)
		omsec_rpt_summary_free(&psum);
	if (in.year_ago)
		omsec_rpt_summary_free(&asum);
	for (i = 0; i < OMSEC_RPT_MAXMONTHS; i++)
		if (have_msum[i])
			omsec_rpt_summary_free(&msum[i]);
	for (i = 0; i < (size_t)nowned; i++)
		free(owned[i]);
	if (in.alerts)
		omsec_rpt_alerts_free(&al);
	if (in.sla)
		omsec_sla_free(&sla);
	omsec_tickets_free(&tk);
	omsec_survey_free(&sv);
	if (have_vf)
		omsec_vuln_figures_free(&vf);
	omsec_vulns_free(&vl);
	omsec_assets_free(&as);
	omsec_inspections_free(&is);
	if (have_av)
		omsec_availability_free(&av);
	omsec_outages_free(&ou);
	omsec_calendar_free(&business);
	omsec_tz_free(in.tz);
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0)
		err(1, "stdout");
	return rval;
}
