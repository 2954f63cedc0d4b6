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

#include "config.h"
#include "otime.h"

/* Receives one diagnostic ("file:line:column: what"); ctx is the caller's. */
typedef void (*omsec_report_diag_fn)(void *ctx, const char *msg);

struct omsec_report_diag {
	omsec_report_diag_fn fn;	/* NULL: diagnostics are dropped */
	void *ctx;
	unsigned nbad;			/* rows or lines reported and skipped */
};

/* ---- CSV records ---------------------------------------------------- */

enum omsec_ticket_status { OMSEC_TICKET_OPEN, OMSEC_TICKET_RESOLVED,
	OMSEC_TICKET_CLOSED };

struct omsec_ticket {
	char id[64];
	char category[96];
	char asset[96];
	char summary[256];		/* raw UTF-8 as read: sanitise to show */
	int prio;			/* enum omsec_priority */
	int status;			/* enum omsec_ticket_status */
	int64_t opened, acked, resolved; /* UTC ms; -1 = not yet */
	unsigned line;			/* CSV line of the row */
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
void omsec_sla_free(struct omsec_sla *s);
/* met / (met + breach) in percent; -1 when nothing was decided. */
double omsec_sla_pct(unsigned met, unsigned breach);

struct omsec_satisfaction {
	double mean[OMSEC_SURVEY_DIMS];	/* -1 when no score */
	unsigned nscored[OMSEC_SURVEY_DIMS];
	unsigned respondents;
	unsigned satisfied;		/* overall 4 or 5 */
	double csat;			/* percent of scored overall; -1 none */
};

void omsec_satisfaction_compute(struct omsec_satisfaction *out,
    const struct omsec_survey *s);

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

struct omsec_rpt_summary {
	int present;
	int64_t first, last;		/* UTC ms, -1 if absent */
	uint64_t events;
	uint64_t day[31];		/* events per local day of the period */
	uint64_t outside;		/* hourly counts outside the period */
	int ncat;
	char cat[OMSEC_RPT_MAXCAT][32];	/* last one collects the overflow */
	uint64_t cat_outcome[OMSEC_RPT_MAXCAT][3]; /* success, failure, unknown */
	uint64_t severity[5];
	struct omsec_rpt_top top_src[OMSEC_RPT_TOPN], top_user[OMSEC_RPT_TOPN];
	int ntop_src, ntop_user;
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
	char rule[64];
	char entity_type[16];
	char entity[192];
	int level;
	int64_t first, last;
	uint64_t count;
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

/* ---- the PDF -------------------------------------------------------- */

struct omsec_report_input {
	const struct omsec_config *cfg;
	struct omsec_tz *tz;
	int year, month;
	int64_t start, end;		/* the month in UTC ms: [start, end) */
	const struct omsec_rpt_summary *summary;	/* NULL: absent */
	const struct omsec_rpt_alerts *alerts;		/* NULL: absent */
	const struct omsec_tickets *tickets;		/* NULL: absent */
	const struct omsec_sla *sla;			/* with tickets */
	const struct omsec_survey *survey;		/* NULL: absent */
	const struct omsec_satisfaction *sat;		/* with survey */
	const char *font_path;
	int64_t source_date;		/* SOURCE_DATE_EPOCH s, -1 = now */
};
#define OMSEC_REPORT_INPUT_INIT { NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL, \
	NULL, NULL, NULL, NULL, -1 }

/*
 * Renders the report and writes it atomically to out_path. Returns 0, or -1
 * with a message in err (libharu error code, or the I/O error). *npages
 * (may be NULL) gets the page count.
 */
int omsec_report_render(const struct omsec_report_input *in,
    const char *out_path, int *npages, char *err, size_t errcap);

#endif
