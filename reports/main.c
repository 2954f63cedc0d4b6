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
	O_MONTHLY, O_PREVIOUS, O_YEAR_AGO, O_USER_PW, O_OWNER_PW, O_LANG,
	O_RECORDS, O_PREV_RECORDS, O_AGO_RECORDS };

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
	    "and their rows (#omsec-records 2)" },
	{ "records", O_RECORDS, "FILE", "records files of the period or of "
	    "its months, instead of the CSVs (repeatable: merged)" },
	{ "previous-records", O_PREV_RECORDS, "FILE", "records of the "
	    "previous period (repeatable: merged)" },
	{ "year-ago-records", O_AGO_RECORDS, "FILE", "records of the same "
	    "period a year earlier (repeatable: merged)" },
	{ "output", 'o', "FILE", "the PDF to write (required)" },
	{ "font", O_FONT, "FILE", "TrueType font (default: fonts/omsec-cjk.ttf)" },
	{ "lang", O_LANG, "LANG", "zh-CN or en (default: the site's "
	    "language, else zh-CN)" },
	{ "user-password", O_USER_PW, "PW", "encrypt: password to open the PDF" },
	{ "owner-password", O_OWNER_PW, "PW", "encrypt: owner password (default: "
	    "random); readers may print, not copy or modify" },
	{ "help", O_HELP, NULL, "show this help and exit" },
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))
#define MAXVULNS 16
#define MAXMONTHLY 64
#define MAXRECORDS 64

static void
add_records(const char **list, int *n, const char *path)
{
	if (*n == MAXRECORDS)
		errx(2, "at most %d records files per option", MAXRECORDS);
	list[(*n)++] = path;
}

/* 0 for zh-CN (also zh, zh_CN), 1 for en (en-*), -1 otherwise. */
static int
lang_code(const char *s)
{
	if (strcmp(s, "zh-CN") == 0 || strcmp(s, "zh") == 0 ||
	    strcmp(s, "zh_CN") == 0)
		return 0;
	if (strcmp(s, "en") == 0 || strncmp(s, "en-", 3) == 0 ||
	    strncmp(s, "en_", 3) == 0)
		return 1;
	return -1;
}

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
	    "                    [--records FILE]... "
	    "[--previous-records FILE]...\n"
	    "                    [--year-ago-records FILE]...\n"
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

/*
 * Loads the holiday files of [calendar] holidays (separated by commas or
 * spaces, e.g. "holidays-cn-2026.txt, holidays-cn-2027.txt"). Returns 0,
 * or -1 when one cannot be read (reported).
 */
static int
load_holidays(struct omsec_calendar *c, const struct omsec_config *cfg,
    const char *config, struct omsec_report_diag *diag)
{
	char list[sizeof(cfg->cal_holidays)], *save = NULL, *name;
	char path[4096];
	int rv = 0;

	snprintf(list, sizeof(list), "%s", cfg->cal_holidays);
	for (name = strtok_r(list, ", \t", &save); name != NULL;
	    name = strtok_r(NULL, ", \t", &save)) {
		relative_to(path, sizeof(path), config, name);
		/* A bare name is also looked up among the shipped calendars. */
		if (access(path, F_OK) != 0 && strchr(name, '/') == NULL) {
			char rel[512];
			snprintf(rel, sizeof(rel), "calendar/%s", name);
			if (omsec_data_path(path, sizeof(path), rel) != 0)
				relative_to(path, sizeof(path), config, name);
		}
		if (omsec_calendar_load(c, path, diag) != 0)
			rv = -1;
	}
	return rv;
}

/*
 * A business-hours SLA needs the holidays of every year of the period.
 * Without any holiday file the clock is weekends-only: said loudly, not
 * refused ("" is a documented choice). With holiday files that miss a
 * year of the period (the file of the new year not added yet), the
 * report would count the Spring Festival as working days and call met
 * targets breached: refused, naming the file to add. Returns 0 or -1.
 */
static int
check_holidays(const struct omsec_calendar *c,
    const struct omsec_calendar *const *cal, const struct omsec_config *cfg,
    const char *config, const struct omsec_period *per)
{
	int i, y, last, used = 0;

	for (i = 0; i < OMSEC_PRIO_COUNT; i++)
		used |= cal[i] != NULL;
	if (!used)
		return 0;
	last = per->year + (per->month - 1 + per->nmonths - 1) / 12;
	for (y = per->year; y <= last; y++) {
		if (cfg->cal_holidays[0] == '\0') {
			warnx("warning: %s: business-hours SLA without "
			    "[calendar] holidays: Monday to Friday are working "
			    "days, China's holidays and 调休 are not applied "
			    "(holidays = holidays-cn-%d.txt)", config ? config :
			    "default config", y);
			return 0;
		}
		if (!omsec_calendar_covers(c, y)) {
			warnx("%s: the business-hours SLA of %d needs that "
			    "year's holidays and 调休, and no file of [calendar] "
			    "holidays (%s) lists a day of %d: add "
			    "holidays-cn-%d.txt (published by the State Council "
			    "each November) and name it there", config ?
			    config : "default config", y, cfg->cal_holidays, y,
			    y);
			return -1;
		}
	}
	return 0;
}

/*
 * The CSV path: the records of the period read into s, the tickets
 * measured on their clocks as of the period end, and the month-by-month
 * series; omsec_records_figures then makes the figures as for records
 * files. *rval becomes 2 when an input cannot be used.
 */
static void
read_csvs(struct omsec_records_set *s, int *rval,
    struct omsec_report_diag *diag, struct omsec_tz *tz,
    const struct omsec_calendar *const *cal, const struct omsec_period *per,
    const char *tickets, const char *survey, const char *const *vulns,
    int nvulns, const char *insp, const char *assets, const char *outages)
{
	int i;

	if (tickets) {
		if (omsec_tickets_read(&s->tickets, tickets, tz, diag) != 0)
			*rval = 2;
		else {
			omsec_tickets_clock(&s->tickets, cal, per->end);
			s->have_tickets = 1;
		}
	}
	if (survey) {
		if (omsec_survey_read(&s->survey, survey, diag) != 0)
			*rval = 2;
		else
			s->have_survey = 1;
	}
	for (i = 0; i < nvulns; i++)
		if (omsec_vulns_read(&s->vulns, vulns[i], tz, diag) != 0)
			*rval = 2;
	if (nvulns > 0 && *rval != 2) {
		omsec_vulns_dedupe(&s->vulns);
		s->have_vulns = 1;
	}
	if (assets) {
		if (omsec_assets_read(&s->assets, assets, diag) != 0)
			*rval = 2;
		else
			s->have_assets = 1;
	}
	if (insp) {
		if (omsec_inspections_read(&s->inspections, insp, tz, diag) != 0)
			*rval = 2;
		else
			s->have_insp = 1;
	}
	if (outages) {
		if (omsec_outages_read(&s->outages, outages, tz, diag) != 0)
			*rval = 2;
		else
			s->have_outages = 1;
	}
	if (*rval == 2)
		return;
	s->nmonths = per->nmonths;
	if (omsec_report_months(s->months, per, tz, &s->cfg,
	    s->have_tickets ? &s->tickets : NULL, cal,
	    s->have_vulns ? &s->vulns : NULL,
	    s->have_insp ? &s->inspections : NULL,
	    s->have_survey ? &s->survey : NULL) != 0)
		errx(1, "out of memory");
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
	struct omsec_calendar business;
	const struct omsec_calendar *cal[OMSEC_PRIO_COUNT];
	struct omsec_records_set set, set_prev, set_ago;
	const char *records[MAXRECORDS], *prev_records[MAXRECORDS];
	const char *ago_records[MAXRECORDS];
	int nrecords = 0, nprev_records = 0, nago_records = 0;
	char fontbuf[4096], errbuf[1024];
	struct omsec_config cfg;
	struct omsec_report_diag diag = { warn_diag, NULL, 0 };
	struct omsec_report_input in = OMSEC_REPORT_INPUT_INIT;
	struct omsec_rpt_summary sum;
	struct omsec_rpt_alerts al;
	const char *sde;
	size_t i;
	const char *monthly[MAXMONTHLY], *previous = NULL, *year_ago = NULL;
	char *owned[MAXMONTHLY];
	int nmonthly = 0, nowned = 0;
	struct omsec_period per, pprev, pago;
	struct omsec_rpt_summary msum[OMSEC_RPT_MAXMONTHS], psum, asum;
	int have_msum[OMSEC_RPT_MAXMONTHS] = { 0 };
	const char *user_pw = NULL, *owner_pw = NULL, *lang = NULL;
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
		case O_RECORDS: add_records(records, &nrecords, optarg); break;
		case O_PREV_RECORDS:
			add_records(prev_records, &nprev_records, optarg);
			break;
		case O_AGO_RECORDS:
			add_records(ago_records, &nago_records, optarg);
			break;
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
	if (nrecords > 0 && (tickets || survey || nvulns || insp || assets ||
	    outages)) {
		warnx("--records replaces the CSV options: give one or the "
		    "other");
		return 2;
	}
	if (lang != NULL && (in.lang_en = lang_code(lang)) < 0) {
		warnx("--lang %s: want zh-CN or en", lang);
		return 2;
	}
	omsec_config_defaults(&cfg);
	if (config && omsec_config_load(&cfg, config, errbuf,
	    sizeof(errbuf)) != 0)
		errx(1, "%s", errbuf);
	if (lang == NULL && (in.lang_en = lang_code(cfg.language)) < 0)
		errx(1, "%s: [site] language %s: want zh or en",
		    config ? config : "default", cfg.language);
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
	if (nrecords == 0 && load_holidays(&business, &cfg, config, &diag) != 0)
		rval = 2;
	/* The records files carry the clock times: no calendar then. */
	if (nrecords == 0 && tickets != NULL &&
	    check_holidays(&business, cal, &cfg, config, &per) != 0)
		rval = 2;
	if (omsec_records_set_init(&set, &cfg) != 0 ||
	    omsec_records_set_init(&set_prev, &cfg) != 0 ||
	    omsec_records_set_init(&set_ago, &cfg) != 0)
		errx(1, "out of memory");
	if (nrecords > 0) {
		/* Records files written by earlier runs: their rows. */
		if (omsec_records_load(&set, records, nrecords, in.tz,
		    &diag) != 0)
			rval = 2;
	} else
		read_csvs(&set, &rval, &diag, in.tz, cal, &per, tickets, survey,
		    vulns, nvulns, insp, assets, outages);
	if (rval != 2 && omsec_records_figures(&set, in.summary, in.start,
	    in.end, in.tz, &diag) != 0)
		rval = 2;
	if (nprev_records > 0 && (omsec_records_load(&set_prev, prev_records,
	    nprev_records, in.tz, &diag) != 0 ||
	    omsec_records_figures(&set_prev, NULL, pprev.start, pprev.end,
	    in.tz, &diag) != 0))
		rval = 2;
	if (nago_records > 0 && (omsec_records_load(&set_ago, ago_records,
	    nago_records, in.tz, &diag) != 0 ||
	    omsec_records_figures(&set_ago, NULL, pago.start, pago.end,
	    in.tz, &diag) != 0))
		rval = 2;
	/* The report is drawn from the records' figures only. */
	in.records = &set.rec;
	in.tickets = set.rec.tickets;
	in.sla = set.rec.sla;
	in.survey = set.rec.survey;
	in.sat = set.rec.sat;
	in.records_previous = nprev_records > 0 ? &set_prev.rec : NULL;
	in.records_year_ago = nago_records > 0 ? &set_ago.rec : NULL;
	if (per.nmonths > 1 && rval != 2) {
		if (set.nmonths != per.nmonths)
			errx(1, "records have %d months, the period %d",
			    set.nmonths, per.nmonths);
		for (i = 0; i < (size_t)per.nmonths; i++)
			set.months[i].summary = have_msum[i] ? &msum[i] : NULL;
		in.months = set.months;
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
		if (omsec_records_write(&set.rec, at.fd) != 0) {
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
	omsec_records_set_free(&set);
	omsec_records_set_free(&set_prev);
	omsec_records_set_free(&set_ago);
	omsec_calendar_free(&business);
	omsec_tz_free(in.tz);
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0)
		err(1, "stdout");
	return rval;
}
