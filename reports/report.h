/*
 * report.h - the omsec_reports library: inputs, figures and the PDF of a
 * monthly service report (月报).
 *
 * Inputs (docs/formats.md, docs/records.md):
 *   omsec-summary v1   per-hour event classes, heavy hitters, log sources
 *   omsec-alerts v1    detections with rule, level, entity and time span
 *   tickets.csv        工单: SLA per priority (7x24 clock)
 *   survey.csv         满意度调查: mean per dimension, CSAT
 * Each reader fills a caller-owned struct, reports bad input through a
 * diagnostic callback as "file:line[:column]: what" and never prints.
 * Figures (SLA, satisfaction) are pure functions of the records, so tests
 * can check them exactly. omsec_report_render lays out the PDF with libharu.
 *
 * Memory: records and alerts are held in arrays grown by doubling (no
 * allocation per field); a summary is reduced while it is read to a fixed
 * set of counters plus the log-source list.
 */
#ifndef OMSEC_REPORT_H
#define OMSEC_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "assets.h"
#include "config.h"
#include "ipaddr.h"
#include "otime.h"

/* omsec_report_diag (diagnostics) and the asset inventory: assets.h. */

/* ---- CSV records ---------------------------------------------------- */

enum omsec_ticket_status { OMSEC_TICKET_OPEN, OMSEC_TICKET_RESOLVED,
	OMSEC_TICKET_CLOSED };

#define OMSEC_TICKET_MAXPAUSE 8

struct omsec_ticket {
	char id[64];
	char category[96];
	char asset[96];
	char summary[256];		/* raw UTF-8 as read: sanitise to show */
	int prio;			/* enum omsec_priority */
	int status;			/* enum omsec_ticket_status */
	int64_t opened, acked, resolved; /* UTC ms; -1 = not yet */
	unsigned line;			/* CSV line of the row */
	/* Optional columns (docs/records.md); absent = -1 / 0 / "". */
	int64_t closed;			/* UTC ms; -1 = not yet */
	int64_t pause[OMSEC_TICKET_MAXPAUSE][2]; /* [start, end); end -1 =
					   still paused */
	int npause;
	unsigned reopened;		/* times reopened */
	char links[256];		/* related alert ids, as written */
	/*
	 * On the priority's SLA clock, paused time excluded, as of asof (the
	 * end of the period they were measured for; -1 = not measured):
	 * time to acknowledge and to resolve (-1 = not done by asof) and the
	 * age at asof. omsec_tickets_clock fills them from the calendar; a
	 * records file carries them, so the figures need no calendar.
	 */
	int64_t tta, ttr, age, asof;
};

struct omsec_tickets {
	struct omsec_ticket *v;
	size_t n, cap;
};

#define OMSEC_SURVEY_DIMS 5	/* speed, professionalism, communication,
				   solution quality, overall */
struct omsec_response {
	char date[16];
	char respondent[64];
	int score[OMSEC_SURVEY_DIMS];	/* 1-5; 0 = not given */
	char comment[1024];
	unsigned line;
	int recommend;			/* 0-10; -1 = not asked / blank */
};

struct omsec_survey {
	struct omsec_response *v;
	size_t n, cap;
};

/*
 * Reads tickets.csv / survey.csv, appending to *t / *s. Local times are in
 * tz. Bad rows go to diag and are skipped. Returns 0, or -1 when the file
 * cannot be read, its header lacks a required column, or memory runs out
 * (the message went to diag).
 */
int omsec_tickets_read(struct omsec_tickets *t, const char *path,
    struct omsec_tz *tz, struct omsec_report_diag *diag);
void omsec_tickets_free(struct omsec_tickets *t);
int omsec_survey_read(struct omsec_survey *s, const char *path,
    struct omsec_report_diag *diag);
void omsec_survey_free(struct omsec_survey *s);

/*
 * Parses a local "YYYY-MM-DD HH:MM[:SS]" (or with 'T', or '/' in the date)
 * filling the whole string, into UTC ms via tz. Returns 0 or -1.
 */
int omsec_report_parse_local(int64_t *ms, const char *s, struct omsec_tz *tz);

/* ---- figures -------------------------------------------------------- */

struct omsec_sla_row {
	unsigned tickets;		/* opened in the period */
	unsigned resp_met, resp_breach;	/* decided (pending ones excluded) */
	unsigned res_met, res_breach;
	int64_t tta_sum, ttr_sum;	/* ms, over acknowledged / resolved */
	unsigned tta_n, ttr_n;
	/* On the priority's SLA clock, paused time excluded; -1 = none. */
	int64_t tta_median, tta_p90, ttr_median, ttr_p90;
	unsigned open_end;		/* not resolved at the period end */
	unsigned reopened;		/* reopened at least once */
	unsigned paused;		/* with at least one pause */
};

struct omsec_sla_breach {
	size_t ticket;			/* index into omsec_tickets.v */
	int resolve;			/* 0 response, 1 resolution */
	int64_t took;			/* ms; -1 = still not done at period end */
	int64_t target;			/* ms */
};

struct omsec_sla {
	struct omsec_sla_row prio[OMSEC_PRIO_COUNT];
	struct omsec_sla_row total;
	struct omsec_sla_breach *breaches;	/* owned; ordered by ticket */
	size_t nbreaches;
};

/*
 * SLA of the tickets opened in [start, end) against cfg's targets, on a
 * 7x24 clock (docs/records.md). Returns 0 or -1 (out of memory).
 */
int omsec_sla_compute(struct omsec_sla *out, const struct omsec_tickets *t,
    const struct omsec_config *cfg, int64_t start, int64_t end);

/*
 * The SLA clock (calendar.c). A 7x24 clock counts every millisecond; a
 * business-hours clock counts the working windows (e.g. 09:00-12:00 and
 * 13:30-18:00 local) of working days: Monday to Friday, minus the holidays
 * of the holiday file, plus its adjusted working days (调休, a Saturday or
 * Sunday worked in exchange for a longer holiday).
 */
#define OMSEC_CAL_MAXWIN 4

struct omsec_cal_day {
	int64_t day;			/* days since 1970-01-01 (local date) */
	int work;			/* 1 adjusted working day, 0 holiday */
};

struct omsec_calendar {
	int nwin;			/* 0: 7x24 */
	int win[OMSEC_CAL_MAXWIN][2];	/* [start, end) in local minutes */
	struct omsec_cal_day *days;	/* owned, sorted by day */
	size_t ndays, cap;
	struct omsec_tz *tz;		/* borrowed */
};

/* A 7x24 calendar in tz (borrowed). */
void omsec_calendar_init(struct omsec_calendar *c, struct omsec_tz *tz);
void omsec_calendar_free(struct omsec_calendar *c);
/*
 * Sets the working windows from "09:00-12:00,13:30-18:00" (ascending, not
 * overlapping, at most OMSEC_CAL_MAXWIN); "" or "7x24" means round the
 * clock. Returns 0 or -1.
 */
int omsec_calendar_set_hours(struct omsec_calendar *c, const char *spec);
/*
 * Reads a holiday file (docs/records.md): "DATE[..DATE] holiday|workday
 * [name]" per line, 休/班 accepted, '#' comments. Bad lines go to diag as
 * file:line: what. Returns 0, or -1 (unreadable, out of memory).
 */
int omsec_calendar_load(struct omsec_calendar *c, const char *path,
    struct omsec_report_diag *diag);
/*
 * 1 if the holiday files loaded list a day of year: a business-hours clock
 * over a year no file covers would count its holidays as working days.
 */
int omsec_calendar_covers(const struct omsec_calendar *c, int year);
/* 1 if the local day (days since 1970-01-01) is a working day. */
int omsec_calendar_is_workday(const struct omsec_calendar *c, int64_t day);
/* Counted ms in [from, to) (0 when to <= from). */
int64_t omsec_calendar_elapsed(const struct omsec_calendar *c, int64_t from,
    int64_t to);

/*
 * The SLA with a clock per priority (cal[p]; NULL entries and a NULL array
 * mean 7x24) and paused time excluded: a ticket's response or resolution
 * time is the clock's elapsed time from opened to the event minus the
 * clock's elapsed time of its pauses within that span. Means, medians and
 * P90 (nearest rank) are over the tickets whose event fell in the period.
 * Returns 0 or -1 (out of memory).
 */
int omsec_sla_compute_cal(struct omsec_sla *out,
    const struct omsec_tickets *t, const struct omsec_config *cfg,
    const struct omsec_calendar *const *cal, int64_t start, int64_t end);
void omsec_sla_free(struct omsec_sla *s);
/* Measures every ticket opened before end on its clock as of end. */
void omsec_tickets_clock(struct omsec_tickets *t,
    const struct omsec_calendar *const *cal, int64_t end);
/*
 * The SLA of the tickets opened in [start, end) from their measured times
 * (tta, ttr, age): the same figures as omsec_sla_compute_cal when they were
 * measured as of end. Returns 0 or -1 (out of memory).
 */
int omsec_sla_from_clock(struct omsec_sla *out, const struct omsec_tickets *t,
    const struct omsec_config *cfg, int64_t start, int64_t end);
/* met / (met + breach) in percent; -1 when nothing was decided. */
double omsec_sla_pct(unsigned met, unsigned breach);

struct omsec_satisfaction {
	double mean[OMSEC_SURVEY_DIMS];	/* -1 when no score */
	unsigned nscored[OMSEC_SURVEY_DIMS];
	unsigned respondents;
	unsigned satisfied;		/* overall 4 or 5 */
	double csat;			/* percent of scored overall; -1 none */
	unsigned dist[OMSEC_SURVEY_DIMS][5]; /* answers per score 1..5 */
	unsigned promoters, passives, detractors; /* recommend 9-10, 7-8, 0-6 */
	double nps;			/* promoters% - detractors%; -1000 none */
};

void omsec_satisfaction_compute(struct omsec_satisfaction *out,
    const struct omsec_survey *s);

/* ---- vulnerability findings (records_vuln.c) ----------------------- */

enum omsec_severity { OMSEC_SEV_CRITICAL, OMSEC_SEV_HIGH, OMSEC_SEV_MEDIUM,
	OMSEC_SEV_LOW, OMSEC_SEV_INFO, OMSEC_SEV_COUNT };

enum omsec_vuln_status { OMSEC_VULN_OPEN, OMSEC_VULN_FIXED,
	OMSEC_VULN_VERIFIED, OMSEC_VULN_ACCEPTED, OMSEC_VULN_FALSE_POSITIVE };

enum omsec_vuln_format { OMSEC_VFMT_GENERIC, OMSEC_VFMT_NESSUS,
	OMSEC_VFMT_OPENVAS };

struct omsec_vuln {
	char asset[96];			/* host address or name */
	char id[64];			/* Nessus plugin id, NVT OID or own id */
	char cve[160];			/* CVE ids, comma-separated */
	char name[192];
	char port[24];			/* "443/tcp"; "" for host-level */
	int sev;			/* enum omsec_severity */
	double cvss;			/* -1 = not given */
	int64_t found, fixed, verified;	/* UTC ms; -1 = not (yet) */
	int status;			/* enum omsec_vuln_status */
	unsigned reopened;		/* times re-opened */
	int format;			/* enum omsec_vuln_format */
	unsigned line;
	unsigned dups;			/* rows merged into this one */
};

struct omsec_vulns {
	struct omsec_vuln *v;
	size_t n, cap;
	unsigned duplicates;		/* rows merged by omsec_vulns_dedupe */
};

/*
 * Reads a Nessus CSV export, an OpenVAS/Greenbone CSV results export or a
 * generic tracking sheet (recognised from the header), appending to *v.
 * Returns 0 or -1 as omsec_tickets_read.
 */
int omsec_vulns_read(struct omsec_vulns *v, const char *path,
    struct omsec_tz *tz, struct omsec_report_diag *diag);
/*
 * Merges findings with the same asset, id and port (Nessus writes one row
 * per CVE of a plugin; two scans repeat a finding): earliest found, latest
 * fixed and verified, highest severity, CVEs joined, re-opens summed.
 * Keeps the first row's position. Returns the rows merged away.
 */
unsigned omsec_vulns_dedupe(struct omsec_vulns *v);
void omsec_vulns_free(struct omsec_vulns *v);

#define OMSEC_VULN_AGES 5	/* 0-7, 8-30, 31-90, over 90 days, unknown */

struct omsec_vuln_row {
	unsigned found, fixed, verified; /* events in the period */
	unsigned open;			/* open at the period end */
	unsigned overdue;		/* of those, past the deadline */
	unsigned fixed_late;		/* fixed in the period after it */
	unsigned reopened;		/* re-opened findings (any time) */
	unsigned age[OMSEC_VULN_AGES];	/* open at the end, by age */
};

struct omsec_vuln_figures {
	struct omsec_vuln_row sev[OMSEC_SEV_COUNT], total;
	size_t *overdue;		/* owned: indexes into v, by age desc */
	size_t noverdue;
	int64_t deadline[OMSEC_SEV_COUNT]; /* s, copied from the config */
};

/* Figures for [start, end) (docs/records.md). Returns 0 or -1 (memory). */
int omsec_vuln_compute(struct omsec_vuln_figures *out,
    const struct omsec_vulns *v, const struct omsec_config *cfg,
    int64_t start, int64_t end);
void omsec_vuln_figures_free(struct omsec_vuln_figures *f);
const char *omsec_severity_name(int sev);	/* critical ... info */
const char *omsec_severity_zh(int sev);		/* 紧急 高危 中危 低危 信息 */

/* ---- assets, inspections, outages (records_ops.c) ------------------ */

/* The asset inventory (struct omsec_assets, omsec_assets_read): assets.h. */

enum { OMSEC_INSP_NOT_DONE = -1, OMSEC_INSP_NORMAL, OMSEC_INSP_ABNORMAL };

struct omsec_inspection {
	int64_t planned, done;		/* local midnight UTC ms; -1 none */
	char asset[96], type[48], item[128], note[256], inspector[64];
	char ticket[64];		/* follow-up ticket id */
	int result;			/* OMSEC_INSP_* */
	unsigned line;
};

struct omsec_inspections {
	struct omsec_inspection *v;
	size_t n, cap;
};

int omsec_inspections_read(struct omsec_inspections *s, const char *path,
    struct omsec_tz *tz, struct omsec_report_diag *diag);
void omsec_inspections_free(struct omsec_inspections *s);

#define OMSEC_INSP_MAXTYPES 16

struct omsec_insp_type {
	char type[48];			/* "" = unknown type */
	unsigned done, abnormal, followed;
};

struct omsec_insp_figures {
	unsigned planned;		/* planned in the period */
	unsigned planned_done;		/* of those, done (any day) */
	unsigned done;			/* done in the period */
	unsigned abnormal, followed;	/* abnormal; with a follow-up ticket */
	struct omsec_insp_type type[OMSEC_INSP_MAXTYPES]; /* by name; the
					   last collects the overflow */
	int ntype;
};

/* Types come from the row, else from assets (may be NULL). */
void omsec_insp_compute(struct omsec_insp_figures *out,
    const struct omsec_inspections *s, const struct omsec_assets *assets,
    int64_t start, int64_t end);

struct omsec_outage {
	char service[96], cause[256];
	int64_t start, end;		/* UTC ms; end -1 = ongoing */
	int planned;			/* planned maintenance: not downtime */
	unsigned line;
};

struct omsec_outages {
	struct omsec_outage *v;
	size_t n, cap;
};

int omsec_outages_read(struct omsec_outages *o, const char *path,
    struct omsec_tz *tz, struct omsec_report_diag *diag);
void omsec_outages_free(struct omsec_outages *o);

struct omsec_avail_row {
	char service[96];
	unsigned outages;		/* unplanned, overlapping the period */
	int64_t down;			/* ms, overlaps merged */
	double pct;			/* availability % of the period */
	int met;			/* pct >= target */
};

struct omsec_availability {
	struct omsec_avail_row *v;	/* owned, sorted by service */
	size_t n;
	double target;
};

int omsec_availability_compute(struct omsec_availability *out,
    const struct omsec_outages *o, double target, int64_t start,
    int64_t end);
void omsec_availability_free(struct omsec_availability *a);

/* ---- workload and the records file (records_out.c) ------------------- */

#define OMSEC_WL_MAXCAT 16

struct omsec_workload {
	unsigned tickets;		/* opened in the period */
	unsigned by_prio[OMSEC_PRIO_COUNT];
	char cat[OMSEC_WL_MAXCAT][96];	/* by count desc; last = 其他 */
	unsigned cat_n[OMSEC_WL_MAXCAT];
	int ncat;
	unsigned resolved;		/* resolved in the period */
	unsigned inspections;		/* done in the period */
	unsigned vulns_fixed;		/* fixed in the period */
	unsigned vulns_verified;
	uint64_t log_lines, events;	/* from the summary; 0 without one */
};

struct omsec_rpt_summary;
void omsec_workload_compute(struct omsec_workload *w,
    const struct omsec_tickets *t, const struct omsec_insp_figures *insp,
    const struct omsec_vuln_figures *vf,
    const struct omsec_rpt_summary *sum, int64_t start, int64_t end);

struct omsec_report_month;

/* Everything computed from the records for one period. NULL = absent. */
struct omsec_records {
	int64_t start, end;
	const struct omsec_config *cfg;
	const struct omsec_tickets *tickets;
	const struct omsec_sla *sla;
	const char *clock[OMSEC_PRIO_COUNT];	/* "7x24" or "business" */
	const struct omsec_survey *survey;
	const struct omsec_satisfaction *sat;
	const struct omsec_vulns *vulns;
	const struct omsec_vuln_figures *vf;
	const struct omsec_insp_figures *insp;
	const struct omsec_assets *assets;
	const struct omsec_availability *avail;
	const struct omsec_workload *work;
	const struct omsec_inspections *inspections; /* the rows (report) */
	/*
	 * The month-by-month series of the period (nmonths entries, 1 for a
	 * month): SLA total, vulnerabilities, inspections and satisfaction
	 * (months[i].sat) of each month as of that month's end. From CSVs it
	 * is computed per month; from records files it is each file's own
	 * series, so a merged quarter or year keeps its months. NULL: none.
	 */
	const struct omsec_report_month *months;
	int nmonths;
	const struct omsec_outages *outages;	/* the rows (records file) */
};

/*
 * Writes the "#omsec-records 1" TSV (docs/records.md) to fd. Returns 0, or
 * -1 with errno on a write error.
 */
int omsec_records_write(const struct omsec_records *r, int fd);

/* ---- records of a period, from CSVs or records files (records_in.c) -- */

/*
 * The one place the figures come from. The CSV path reads the CSVs into the
 * row sets below, measures the tickets on their clocks (omsec_tickets_clock)
 * and fills months; the records-file path reads one or more records files
 * (each checked on its own: its figures must come out of its rows byte for
 * byte) and merges their rows. Both then call omsec_records_figures, which
 * keeps the rows that matter to the period and computes every figure into
 * rec; the report and --records-out use rec only.
 */
struct omsec_records_set {
	struct omsec_records rec;	/* points into the members below */
	struct omsec_config cfg;	/* targets, deadlines, clocks in use */
	int have_tickets, have_survey, have_vulns, have_insp, have_assets,
	    have_outages, have_logs;
	struct omsec_tickets tickets;
	struct omsec_survey survey;
	struct omsec_vulns vulns;
	struct omsec_inspections inspections;
	struct omsec_assets assets;
	struct omsec_outages outages;
	uint64_t log_lines, events;	/* have_logs: from the files' work */
	char clock[OMSEC_PRIO_COUNT][12]; /* "7x24" or "business" */
	int nmonths;
	struct omsec_report_month *months; /* owned, OMSEC_RPT_MAXMONTHS */
	/* Computed by omsec_records_figures. */
	struct omsec_sla sla;
	struct omsec_satisfaction sat;
	struct omsec_vuln_figures vf;
	struct omsec_insp_figures insp;
	struct omsec_availability avail;
	struct omsec_workload work;
	int computed;
	int64_t start, end;		/* what the files read cover; -1 */
};

/* An empty set with cfg's targets (copied). Returns 0 or -1 (memory). */
int omsec_records_set_init(struct omsec_records_set *s,
    const struct omsec_config *cfg);
void omsec_records_set_free(struct omsec_records_set *s);
/*
 * Reads "#omsec-records 2" files (docs/records.md) into the empty set s,
 * merging them: they must be of consecutive periods, given in any order,
 * with the same SLA targets and clocks; a row in several files (a ticket
 * by id, a finding by asset, id and port, an inspection, an outage) is
 * taken from the latest file, survey responses are added up, and the
 * months series are joined. Every line is parsed or reported as
 * "file:line: what", and a file whose figures do not follow from its rows
 * is refused. Returns 0, or -1 (the message went to diag).
 */
int omsec_records_load(struct omsec_records_set *s,
    const char *const *paths, int n, struct omsec_tz *tz,
    struct omsec_report_diag *diag);
/*
 * Computes every figure of [start, end) into s->rec (and s->months when
 * the files did not give them). sum (may be NULL) gives the workload's log
 * lines and events. Merged files must cover [start, end) month by month:
 * a gap is reported to diag and -1 returned. Returns 0 or -1.
 */
int omsec_records_figures(struct omsec_records_set *s,
    const struct omsec_rpt_summary *sum, int64_t start, int64_t end,
    struct omsec_tz *tz, struct omsec_report_diag *diag);

/* ---- summary and alerts -------------------------------------------- */

#define OMSEC_RPT_TOPN 10
#define OMSEC_RPT_MAXCAT 16

struct omsec_rpt_top {
	char item[128];
	char attr[16];
	uint64_t count, error;
};

struct omsec_rpt_source {
	char path[256];
	uint64_t lines, events, rejects;
};

#define OMSEC_RPT_MAXDAYS 366
#define OMSEC_RPT_MAXMONTHS 12

struct omsec_rpt_summary {
	int present;
	int64_t first, last;		/* UTC ms, -1 if absent */
	uint64_t events;
	uint64_t day[OMSEC_RPT_MAXDAYS]; /* events per local day of the period */
	/* Events per local month of the period (0 = the first month), and
	   per month and category (index as in cat[]): the trend series. */
	uint64_t month[OMSEC_RPT_MAXMONTHS];
	uint64_t month_cat[OMSEC_RPT_MAXMONTHS][OMSEC_RPT_MAXCAT];
	uint64_t how[7][24];		/* hour of week, local: [0] = Monday */
	uint64_t outside;		/* hourly counts outside the period */
	int ncat;
	char cat[OMSEC_RPT_MAXCAT][32];	/* last one collects the overflow */
	uint64_t cat_outcome[OMSEC_RPT_MAXCAT][3]; /* success, failure, unknown */
	uint64_t severity[5];
	struct omsec_rpt_top top_src[OMSEC_RPT_TOPN], top_user[OMSEC_RPT_TOPN];
	int ntop_src, ntop_user;
	/* Over all events: the inventory assets they concern and the URLs
	   requested. A summary written before omsec-agg counted a dimension
	   has no line of it: have_* 0 (not "none this period"). */
	struct omsec_rpt_top top_asset[OMSEC_RPT_TOPN], top_url[OMSEC_RPT_TOPN];
	int ntop_asset, ntop_url;
	int have_asset, have_url;
	struct omsec_rpt_source *src;
	size_t nsrc, capsrc;
};

/*
 * Reads an omsec-summary v1 file, bucketing hourly counts into the local
 * days of [start, end) (tz). Returns 0 or -1 (I/O, wrong version, memory).
 * Malformed lines go to diag and are skipped.
 */
int omsec_rpt_summary_read(struct omsec_rpt_summary *s, const char *path,
    struct omsec_tz *tz, int64_t start, int64_t end,
    struct omsec_report_diag *diag);
void omsec_rpt_summary_free(struct omsec_rpt_summary *s);

enum { OMSEC_LEVEL_URGENT, OMSEC_LEVEL_IMPORTANT, OMSEC_LEVEL_GENERAL };

struct omsec_rpt_alert {
	char id[64];			/* "" when the file has no id column */
	char rule[64];
	char entity_type[16];
	char entity[192];
	int level;
	int64_t first, last;
	uint64_t count;
	/* Evidence: the refs column as written ("path:line,...", a comma
	   in a path as %2C), cut after the last whole ref that fits; ""
	   when the file has no refs column. */
	char refs[512];
};

#define OMSEC_RPT_MAXALERTS 100000

struct omsec_rpt_alerts {
	int present;
	struct omsec_rpt_alert *v;	/* sorted by level, then count desc */
	size_t n, cap;
	uint64_t level[3];		/* all alerts read, kept or not */
	uint64_t dropped;		/* beyond OMSEC_RPT_MAXALERTS */
};

int omsec_rpt_alerts_read(struct omsec_rpt_alerts *a, const char *path,
    struct omsec_report_diag *diag);
void omsec_rpt_alerts_free(struct omsec_rpt_alerts *a);

/* ---- text ----------------------------------------------------------- */

/*
 * Makes untrusted bytes safe to draw: control bytes dropped (tab, CR, LF
 * become a space), invalid UTF-8 and characters outside the BMP become
 * U+FFFD. Writes at most cap-1 bytes, never cutting a character, and a NUL.
 * Returns the length written.
 */
size_t omsec_report_sanitize(char *dst, size_t cap, const char *src, size_t n);

/* ---- periods (period.c) -------------------------------------------- */

enum omsec_report_kind { OMSEC_REPORT_MONTH, OMSEC_REPORT_QUARTER,
	OMSEC_REPORT_YEAR };

struct omsec_period {
	int kind;			/* enum omsec_report_kind */
	int year;
	int month;			/* first month of the period, 1-12 */
	int nmonths;			/* 1, 3 or 12 */
	int64_t start, end;		/* UTC ms: [start, end) */
};

/*
 * Parses "YYYY-MM" (month), "YYYY-Qn" (quarter) or "YYYY" (year) and
 * computes its bounds in tz. Returns 0 or -1 (malformed).
 */
int omsec_period_parse(struct omsec_period *p, const char *s,
    struct omsec_tz *tz);
/* The period shifted by n of its own length (-1: the previous one). */
void omsec_period_shift(struct omsec_period *p, int n, struct omsec_tz *tz);
/* The period's label: 2026年11月, 2026年第四季度, 2026年度 (zh) or
   November 2026, Q4 2026, 2026 (en). */
void omsec_period_label(char *buf, size_t cap, const struct omsec_period *p,
    int en);
/* The local bounds of the period's i-th month (0-based). */
void omsec_period_month(const struct omsec_period *p, int i,
    struct omsec_tz *tz, int *year, int *month, int64_t *start,
    int64_t *end);

/* One month of a quarterly or annual report: the month-by-month series. */
struct omsec_report_month {
	int year, month;
	int64_t start, end;
	const struct omsec_rpt_summary *summary; /* the month's own, or NULL */
	int have_sla;
	struct omsec_sla_row sla;	/* total over priorities */
	int have_vuln;
	unsigned vfound, vfixed, vopen, voverdue;
	int have_insp;
	unsigned insp_done, insp_abnormal;
	int have_sat;
	unsigned respondents;
	double csat;
	/* The month's whole satisfaction (mean and answers per dimension,
	   CSAT, NPS) when have_sat: the satisfaction trend. respondents and
	   csat above are sat.respondents and sat.csat. */
	struct omsec_satisfaction sat;
};

/*
 * Fills m[0..p->nmonths-1] from the records (each may be NULL): SLA, vulns,
 * inspections and satisfaction of each month. cal as for
 * omsec_sla_compute_cal. Returns 0 or -1 (out of memory).
 */
int omsec_report_months(struct omsec_report_month *m,
    const struct omsec_period *p, struct omsec_tz *tz,
    const struct omsec_config *cfg, const struct omsec_tickets *t,
    const struct omsec_calendar *const *cal, const struct omsec_vulns *v,
    const struct omsec_inspections *insp, const struct omsec_survey *sv);

/* ---- the PDF -------------------------------------------------------- */

struct omsec_report_input {
	const struct omsec_config *cfg;
	struct omsec_tz *tz;
	int year, month;		/* the period's first month */
	int64_t start, end;		/* the period in UTC ms: [start, end) */
	const struct omsec_rpt_summary *summary;	/* NULL: absent */
	const struct omsec_rpt_alerts *alerts;		/* NULL: absent */
	const struct omsec_tickets *tickets;		/* NULL: absent */
	const struct omsec_sla *sla;			/* with tickets */
	const struct omsec_survey *survey;		/* NULL: absent */
	const struct omsec_satisfaction *sat;		/* with survey */
	const char *font_path;
	int64_t source_date;		/* SOURCE_DATE_EPOCH s, -1 = now */
	const struct omsec_records *records;	/* NULL: absent */
	/* Quarterly and annual reports (period NULL: the month above). */
	const struct omsec_period *period;
	const struct omsec_report_month *months; /* period->nmonths, or NULL */
	/* Summaries of the previous period (环比) and of the same period a
	   year earlier (同比), read over their own periods; NULL: absent. */
	const struct omsec_rpt_summary *previous, *year_ago;
	int lang_en;			/* 0 zh-CN, 1 en */
	const char *user_password;	/* NULL: not encrypted */
	const char *owner_password;	/* NULL: random when user_password */
	/*
	 * Records of the previous period (环比) and of the same period a year
	 * earlier (同比), read from their records files (--previous-records,
	 * --year-ago-records; omsec report passes them when the store has
	 * them); NULL: absent. Their figures (sla, sat, vf, insp, avail, work)
	 * and months[0..nmonths) cover their own periods [start, end): the
	 * satisfaction trend across periods is previous->months[i].sat,
	 * records->months[i].sat, ...
	 */
	const struct omsec_records *records_previous, *records_year_ago;
};
#define OMSEC_REPORT_INPUT_INIT { NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL, \
	NULL, NULL, NULL, NULL, -1, NULL, NULL, NULL, NULL, NULL, 0, NULL, \
	NULL, NULL, NULL }

/*
 * Renders the report and writes it atomically to out_path. Returns 0, or -1
 * with a message in err (libharu error code, or the I/O error). *npages
 * (may be NULL) gets the page count.
 */
int omsec_report_render(const struct omsec_report_input *in,
    const char *out_path, int *npages, char *err, size_t errcap);

#endif
