/*
 * records_in.c - the figures of a period from one set of records, whether
 * they came from the CSVs or from "#omsec-records 2" files written by
 * earlier runs, and the merge of monthly records files into a quarter or
 * a year (docs/records.md, "The records file").
 *
 * One code path: both inputs end in a struct omsec_records_set of rows
 * (tickets with their clock times, survey responses, findings,
 * inspections, assets, outages) and omsec_records_figures computes every
 * figure from those rows with the same functions. A records file carries
 * its rows after its figures; reading it checks that the figures follow
 * from the rows by writing the file again and comparing byte for byte, so
 * every line is accounted for and a hand-edited figure is caught.
 *
 * Merging keeps one row per key, from the latest file: a ticket (by id)
 * measured at a later month end, a finding or inspection with a later
 * state. Survey responses are dated, so they are added up. Counters,
 * attainment, means, medians and P90 of the merged period are then
 * recomputed from the rows, which is exact (see docs/records.md for what
 * a merge cannot know). The months series is joined file by file.
 * Cost: O(n*m) key lookups over n rows and m files (records are
 * spreadsheets, thousands of rows); memory: the rows.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "out.h"
#include "records_int.h"
#include "span.h"
#include "strnum.h"

#define REC_MAXFILE (256u << 20)
/* Every message is a bad input (or out of memory): counted. */
#define RDIAG(d, ...) do {						\
	rec_diagf((d), __VA_ARGS__);					\
	if ((d) != NULL)						\
		(d)->nbad++;						\
} while (0)
#define MAXF 64
#define MAXFILES 64		/* records files in one merge */

/* ---- the set --------------------------------------------------------- */

int
omsec_records_set_init(struct omsec_records_set *s,
    const struct omsec_config *cfg)
{
	int k;

	memset(s, 0, sizeof(*s));
	s->cfg = *cfg;
	s->start = s->end = -1;
	for (k = 0; k < OMSEC_PRIO_COUNT; k++)
		snprintf(s->clock[k], sizeof(s->clock[k]), "%s",
		    strcmp(cfg->sla_clock[k], "business") == 0 ? "business" :
		    "7x24");
	s->months = calloc(OMSEC_RPT_MAXMONTHS, sizeof(*s->months));
	return s->months == NULL ? -1 : 0;
}

static void
figures_free(struct omsec_records_set *s)
{
	if (!s->computed)
		return;
	omsec_sla_free(&s->sla);
	omsec_vuln_figures_free(&s->vf);
	omsec_availability_free(&s->avail);
	s->computed = 0;
}

void
omsec_records_set_free(struct omsec_records_set *s)
{
	figures_free(s);
	omsec_tickets_free(&s->tickets);
	omsec_survey_free(&s->survey);
	omsec_vulns_free(&s->vulns);
	omsec_inspections_free(&s->inspections);
	omsec_assets_free(&s->assets);
	omsec_outages_free(&s->outages);
	free(s->months);
	s->months = NULL;
}

/* ---- figures ----------------------------------------------------------- */

/*
 * Keeps the rows that can matter to a period ending at end, in order, so
 * that the figures, the report and the records file see the same rows
 * whichever way they came: tickets opened before the end (measured as of
 * it), responses dated in the period or undated, findings found before
 * the end (or undated), inspections planned or done before the end.
 * Assets and outages are kept whole (an outage row lists its service).
 */
static void
keep_rows(struct omsec_records_set *s, struct omsec_tz *tz, int64_t start,
    int64_t end)
{
	int64_t d0 = rec_local_day(tz, start), d1 = rec_local_day(tz, end);
	size_t i, n;

	for (i = n = 0; i < s->tickets.n; i++)
		if (s->tickets.v[i].opened < end)
			s->tickets.v[n++] = s->tickets.v[i];
	s->tickets.n = n;
	for (i = n = 0; i < s->survey.n; i++) {
		int64_t d = rec_date_day(s->survey.v[i].date);
		if (d < 0 || (d >= d0 && d < d1))
			s->survey.v[n++] = s->survey.v[i];
	}
	s->survey.n = n;
	for (i = n = 0; i < s->vulns.n; i++)
		if (s->vulns.v[i].found < end)
			s->vulns.v[n++] = s->vulns.v[i];
	s->vulns.n = n;
	for (i = n = 0; i < s->inspections.n; i++) {
		const struct omsec_inspection *x = &s->inspections.v[i];
		if ((x->planned >= 0 && x->planned < end) ||
		    (x->done >= 0 && x->done < end))
			s->inspections.v[n++] = *x;
	}
	s->inspections.n = n;
}

int
omsec_records_figures(struct omsec_records_set *s,
    const struct omsec_rpt_summary *sum, int64_t start, int64_t end,
    struct omsec_tz *tz, struct omsec_report_diag *diag)
{
	struct omsec_records *r = &s->rec;
	size_t i;
	int k;

	figures_free(s);
	if (s->start >= 0 && (s->start != start || s->end != end)) {
		char a[25], b[25], c[25], d[25];
		omsec_format_iso(a, s->start);
		omsec_format_iso(b, s->end);
		omsec_format_iso(c, start);
		omsec_format_iso(d, end);
		RDIAG(diag, "records files cover %s..%s, not the period "
		    "%s..%s", a, b, c, d);
		return -1;
	}
	keep_rows(s, tz, start, end);
	for (i = 0; i < s->tickets.n; i++)
		if (s->tickets.v[i].asof < 0) {
			char id[96];
			omsec_term_escape(id, sizeof(id),
			    omsec_span_cstr(s->tickets.v[i].id));
			RDIAG(diag, "ticket %s not measured on its clock "
			    "(internal error)", id);
			return -1;
		}
	memset(&s->sla, 0, sizeof(s->sla));
	memset(&s->vf, 0, sizeof(s->vf));
	memset(&s->avail, 0, sizeof(s->avail));
	s->computed = 1;
	if (s->have_tickets && omsec_sla_from_clock(&s->sla, &s->tickets,
	    &s->cfg, start, end) != 0)
		goto nomem;
	if (s->have_survey)
		omsec_satisfaction_compute(&s->sat, &s->survey);
	if (s->have_vulns && omsec_vuln_compute(&s->vf, &s->vulns, &s->cfg,
	    start, end) != 0)
		goto nomem;
	if (s->have_insp)
		omsec_insp_compute(&s->insp, &s->inspections,
		    s->have_assets ? &s->assets : NULL, start, end);
	if (s->have_outages && omsec_availability_compute(&s->avail,
	    &s->outages, s->cfg.availability_target, start, end) != 0)
		goto nomem;
	omsec_workload_compute(&s->work, s->have_tickets ? &s->tickets : NULL,
	    s->have_insp ? &s->insp : NULL, s->have_vulns ? &s->vf : NULL,
	    sum, start, end);
	if (sum == NULL && s->have_logs) {
		s->work.log_lines = s->log_lines;
		s->work.events = s->events;
	}
	memset(r, 0, sizeof(*r));
	r->start = start;
	r->end = end;
	r->cfg = &s->cfg;
	for (k = 0; k < OMSEC_PRIO_COUNT; k++)
		r->clock[k] = s->clock[k];
	if (s->have_tickets) {
		r->tickets = &s->tickets;
		r->sla = &s->sla;
	}
	if (s->have_survey) {
		r->survey = &s->survey;
		r->sat = &s->sat;
	}
	if (s->have_vulns) {
		r->vulns = &s->vulns;
		r->vf = &s->vf;
	}
	if (s->have_insp) {
		r->insp = &s->insp;
		r->inspections = &s->inspections;
	}
	if (s->have_assets)
		r->assets = &s->assets;
	if (s->have_outages) {
		r->avail = &s->avail;
		r->outages = &s->outages;
	}
	r->work = &s->work;
	r->months = s->months;
	r->nmonths = s->nmonths;
	return 0;
nomem:
	RDIAG(diag, "out of memory");
	return -1;
}

/* ---- reading one file -------------------------------------------------- */

struct rd {
	const char *path;
	unsigned line;
	struct omsec_report_diag *diag;
	struct omsec_tz *tz;
	struct omsec_records_set *s;
	char *f[MAXF];
	int nf;
	int prio_seen;			/* sla lines of priorities read */
};

static int
bad(struct rd *r, const char *fmt, const char *what)
{
	char esc[128];

	omsec_term_escape(esc, sizeof(esc), omsec_span_cstr(what ? what : ""));
	RDIAG(r->diag, "%s:%u: %s%s%s%s", r->path, r->line, fmt,
	    what ? " '" : "", what ? esc : "", what ? "'" : "");
	return -1;
}

static int
f_u(struct rd *r, unsigned *v, int i)
{
	int64_t n;

	if (omsec_strtonum(&n, omsec_span_cstr(r->f[i]), 0, UINT32_MAX) != 0)
		return bad(r, "not a count:", r->f[i]);
	*v = (unsigned)n;
	return 0;
}

static int
f_u64(struct rd *r, uint64_t *v, int i)
{
	int64_t n;

	if (omsec_strtonum(&n, omsec_span_cstr(r->f[i]), 0, INT64_MAX) != 0)
		return bad(r, "not a count:", r->f[i]);
	*v = (uint64_t)n;
	return 0;
}

/* A duration or sum in ms (or s with scale 1000); "-" is -1. */
static int
f_ms(struct rd *r, int64_t *v, int i, int64_t scale)
{
	if (strcmp(r->f[i], "-") == 0) {
		*v = -1;
		return 0;
	}
	if (omsec_strtonum(v, omsec_span_cstr(r->f[i]), 0,
	    INT64_MAX / scale) != 0)
		return bad(r, "not a duration:", r->f[i]);
	*v *= scale;
	return 0;
}

static int
f_iso(struct rd *r, int64_t *v, int i)
{
	int zone = 0;

	if (strcmp(r->f[i], "-") == 0) {
		*v = -1;
		return 0;
	}
	if (omsec_parse_iso(v, &zone, omsec_span_cstr(r->f[i])) != 0 ||
	    !zone || *v < 0)
		return bad(r, "not a UTC ISO 8601 time:", r->f[i]);
	return 0;
}

/* A text field, unescaped into dst; too long for dst is an error. */
static int
f_txt(struct rd *r, char *dst, size_t cap, int i)
{
	long n = omsec_tsv_unescape(r->f[i], strlen(r->f[i]));

	if (n < 0)
		return bad(r, "bad escape in", r->f[i]);
	if ((size_t)n >= cap || memchr(r->f[i], '\0', (size_t)n) != NULL)
		return bad(r, "field too long or with a NUL byte", NULL);
	memcpy(dst, r->f[i], (size_t)n);
	dst[n] = '\0';
	return 0;
}

static int
f_word(struct rd *r, int *v, const char *const *names, int i)
{
	int k;

	for (k = 0; names[k] != NULL; k++)
		if (strcmp(r->f[i], names[k]) == 0) {
			*v = k;
			return 0;
		}
	return bad(r, "unknown value", r->f[i]);
}

static int
f_score(struct rd *r, int *v, int i, int lo, int hi, int none)
{
	int64_t n;

	if (strcmp(r->f[i], "-") == 0) {
		*v = none;
		return 0;
	}
	if (omsec_strtonum(&n, omsec_span_cstr(r->f[i]), lo, hi) != 0)
		return bad(r, "score out of range:", r->f[i]);
	*v = (int)n;
	return 0;
}

static int
want(struct rd *r, int n)
{
	char m[64];

	if (r->nf == n)
		return 0;
	snprintf(m, sizeof(m), "%d fields, want %d:", r->nf, n);
	return bad(r, m, r->f[0]);
}

static void *
push(struct rd *r, void *pv, size_t *n, size_t *cap, size_t elem)
{
	void **v = pv;
	void *nv = rec_grow(*v, cap, *n, elem);

	if (nv == NULL) {
		bad(r, "out of memory", NULL);
		return NULL;
	}
	*v = nv;
	memset((char *)nv + *n * elem, 0, elem);
	return (char *)nv + (*n)++ * elem;
}

static int
l_ticket(struct rd *r)
{
	struct omsec_tickets *t = &r->s->tickets;
	struct omsec_ticket *k;
	int np;

	if (want(r, 17) != 0 || (k = push(r, &t->v, &t->n, &t->cap,
	    sizeof(*k))) == NULL)
		return -1;
	k->line = r->line;
	k->asof = r->s->end;
	if (f_txt(r, k->id, sizeof(k->id), 1))
		return -1;
	if (k->id[0] == '\0')
		return bad(r, "empty ticket id", NULL);
	if ((k->prio = omsec_priority_parse(r->f[2])) < 0)
		return bad(r, "unknown priority", r->f[2]);
	if (f_word(r, &k->status, rec_tk_status, 3) || f_u(r, &k->reopened, 4) ||
	    f_score(r, &np, 5, 0, OMSEC_TICKET_MAXPAUSE, 0) ||
	    f_iso(r, &k->opened, 6) || f_iso(r, &k->acked, 7) ||
	    f_iso(r, &k->resolved, 8) || f_iso(r, &k->closed, 9) ||
	    f_ms(r, &k->tta, 10, 1) || f_ms(r, &k->ttr, 11, 1) ||
	    f_ms(r, &k->age, 12, 1) ||
	    f_txt(r, k->category, sizeof(k->category), 13) ||
	    f_txt(r, k->asset, sizeof(k->asset), 14) ||
	    f_txt(r, k->links, sizeof(k->links), 15) ||
	    f_txt(r, k->summary, sizeof(k->summary), 16))
		return -1;
	if (k->opened < 0)
		return bad(r, "ticket without an opened time", NULL);
	/* The pause times were spent in tta/ttr/age; only "paused" counts. */
	k->npause = np;
	return 0;
}

static int
l_response(struct rd *r)
{
	struct omsec_survey *s = &r->s->survey;
	struct omsec_response *x;
	int d;

	if (want(r, 10) != 0 || (x = push(r, &s->v, &s->n, &s->cap,
	    sizeof(*x))) == NULL)
		return -1;
	x->line = r->line;
	if (f_txt(r, x->date, sizeof(x->date), 1) ||
	    (x->date[0] && rec_date_day(x->date) < 0))
		return x->date[0] ? bad(r, "bad date", x->date) : -1;
	if (f_txt(r, x->respondent, sizeof(x->respondent), 2))
		return -1;
	for (d = 0; d < OMSEC_SURVEY_DIMS; d++)
		if (f_score(r, &x->score[d], 3 + d, 1, 5, 0))
			return -1;
	return f_score(r, &x->recommend, 8, 0, 10, -1) ||
	    f_txt(r, x->comment, sizeof(x->comment), 9) ? -1 : 0;
}

static int
l_finding(struct rd *r)
{
	struct omsec_vulns *s = &r->s->vulns;
	struct omsec_vuln *v;
	char cvss[32], *e;

	if (want(r, 15) != 0 || (v = push(r, &s->v, &s->n, &s->cap,
	    sizeof(*v))) == NULL)
		return -1;
	v->line = r->line;
	if (f_txt(r, v->asset, sizeof(v->asset), 1) ||
	    f_txt(r, v->id, sizeof(v->id), 2) ||
	    f_txt(r, v->cve, sizeof(v->cve), 3) ||
	    f_txt(r, v->port, sizeof(v->port), 4) ||
	    f_word(r, &v->sev, (const char *const[]){ "critical", "high",
	    "medium", "low", "info", NULL }, 5) ||
	    f_txt(r, cvss, sizeof(cvss), 6))
		return -1;
	v->cvss = -1;
	if (cvss[0] != '\0') {
		errno = 0;
		v->cvss = strtod(cvss, &e);
		if (errno || *e != '\0' || !(v->cvss >= 0 && v->cvss <= 10))
			return bad(r, "bad CVSS", cvss);
	}
	return f_iso(r, &v->found, 7) || f_iso(r, &v->fixed, 8) ||
	    f_iso(r, &v->verified, 9) ||
	    f_word(r, &v->status, rec_v_status, 10) ||
	    f_u(r, &v->reopened, 11) ||
	    f_word(r, &v->format, rec_v_format, 12) || f_u(r, &v->dups, 13) ||
	    f_txt(r, v->name, sizeof(v->name), 14) ? -1 : 0;
}

static int
l_inspection(struct rd *r)
{
	struct omsec_inspections *s = &r->s->inspections;
	struct omsec_inspection *x;

	if (want(r, 10) != 0 || (x = push(r, &s->v, &s->n, &s->cap,
	    sizeof(*x))) == NULL)
		return -1;
	x->line = r->line;
	if (f_iso(r, &x->planned, 1) || f_iso(r, &x->done, 2) ||
	    f_word(r, &x->result, rec_i_result, 3))
		return -1;
	x->result--;
	return f_txt(r, x->asset, sizeof(x->asset), 4) ||
	    f_txt(r, x->type, sizeof(x->type), 5) ||
	    f_txt(r, x->item, sizeof(x->item), 6) ||
	    f_txt(r, x->ticket, sizeof(x->ticket), 7) ||
	    f_txt(r, x->inspector, sizeof(x->inspector), 8) ||
	    f_txt(r, x->note, sizeof(x->note), 9) ? -1 : 0;
}

static int
l_asset(struct rd *r)
{
	struct omsec_assets *s = &r->s->assets;
	struct omsec_asset *a;

	if (want(r, 7) != 0 || (a = push(r, &s->v, &s->n, &s->cap,
	    sizeof(*a))) == NULL)
		return -1;
	a->line = r->line;
	return f_txt(r, a->id, sizeof(a->id), 1) ||
	    f_txt(r, a->name, sizeof(a->name), 2) ||
	    f_txt(r, a->type, sizeof(a->type), 3) ||
	    f_word(r, &a->crit, rec_crit_name, 4) ||
	    f_txt(r, a->owner, sizeof(a->owner), 5) ||
	    f_txt(r, a->system, sizeof(a->system), 6) ? -1 : 0;
}

static int
l_outage(struct rd *r)
{
	struct omsec_outages *s = &r->s->outages;
	struct omsec_outage *x;

	if (want(r, 6) != 0 || (x = push(r, &s->v, &s->n, &s->cap,
	    sizeof(*x))) == NULL)
		return -1;
	x->line = r->line;
	if (f_txt(r, x->service, sizeof(x->service), 1) ||
	    f_iso(r, &x->start, 2) || f_iso(r, &x->end, 3) ||
	    f_word(r, &x->planned, (const char *const[]){ "unplanned",
	    "planned", NULL }, 4) || f_txt(r, x->cause, sizeof(x->cause), 5))
		return -1;
	return x->start < 0 ? bad(r, "outage without a start", NULL) : 0;
}

static int
l_month(struct rd *r)
{
	struct omsec_records_set *s = r->s;
	struct omsec_report_month *m;
	struct omsec_sla_row *q;
	struct omsec_period p;
	unsigned *dist;
	int k, d, i;

	if (want(r, 54) != 0)
		return -1;
	if (s->nmonths == OMSEC_RPT_MAXMONTHS)
		return bad(r, "more than 12 months", NULL);
	if (strlen(r->f[1]) != 7 || omsec_period_parse(&p, r->f[1], r->tz) ||
	    p.kind != OMSEC_REPORT_MONTH)
		return bad(r, "not a month (YYYY-MM):", r->f[1]);
	m = &s->months[s->nmonths++];
	memset(m, 0, sizeof(*m));
	m->year = p.year;
	m->month = p.month;
	m->start = p.start;
	m->end = p.end;
	q = &m->sla;
	if ((m->have_sla = strcmp(r->f[2], "-") != 0) &&
	    (f_u(r, &q->tickets, 2) || f_u(r, &q->resp_met, 3) ||
	    f_u(r, &q->resp_breach, 4) || f_u(r, &q->res_met, 5) ||
	    f_u(r, &q->res_breach, 6) || f_u(r, &q->tta_n, 7) ||
	    f_ms(r, &q->tta_sum, 8, 1) || f_ms(r, &q->tta_median, 9, 1) ||
	    f_ms(r, &q->tta_p90, 10, 1) || f_u(r, &q->ttr_n, 11) ||
	    f_ms(r, &q->ttr_sum, 12, 1) || f_ms(r, &q->ttr_median, 13, 1) ||
	    f_ms(r, &q->ttr_p90, 14, 1) || f_u(r, &q->open_end, 15) ||
	    f_u(r, &q->reopened, 16) || f_u(r, &q->paused, 17)))
		return -1;
	/* Sums are "-" only for an empty month: read back as 0. */
	if (q->tta_sum < 0)
		q->tta_sum = 0;
	if (q->ttr_sum < 0)
		q->ttr_sum = 0;
	if ((m->have_vuln = strcmp(r->f[18], "-") != 0) &&
	    (f_u(r, &m->vfound, 18) || f_u(r, &m->vfixed, 19) ||
	    f_u(r, &m->vopen, 20) || f_u(r, &m->voverdue, 21)))
		return -1;
	if ((m->have_insp = strcmp(r->f[22], "-") != 0) &&
	    (f_u(r, &m->insp_done, 22) || f_u(r, &m->insp_abnormal, 23)))
		return -1;
	if ((m->have_sat = strcmp(r->f[24], "-") != 0)) {
		struct omsec_satisfaction *t = &m->sat;
		unsigned asked;
		if (f_u(r, &t->respondents, 24) || f_u(r, &t->satisfied, 25) ||
		    f_u(r, &t->promoters, 26) || f_u(r, &t->passives, 27) ||
		    f_u(r, &t->detractors, 28))
			return -1;
		/* The same arithmetic as omsec_satisfaction_compute (a sum of
		   small integers is exact in a double). */
		for (d = 0, i = 29; d < OMSEC_SURVEY_DIMS; d++) {
			double x = 0;
			dist = t->dist[d];
			for (k = 0; k < 5; k++, i++) {
				if (f_u(r, &dist[k], i))
					return -1;
				t->nscored[d] += dist[k];
				x += (double)(k + 1) * dist[k];
			}
			t->mean[d] = t->nscored[d] ? x / t->nscored[d] : -1;
		}
		t->csat = t->nscored[OMSEC_SURVEY_DIMS - 1] ? 100.0 *
		    t->satisfied / t->nscored[OMSEC_SURVEY_DIMS - 1] : -1;
		asked = t->promoters + t->passives + t->detractors;
		t->nps = asked ? 100.0 * ((double)t->promoters -
		    (double)t->detractors) / asked : -1000;
		m->respondents = t->respondents;
		m->csat = t->csat;
	}
	return 0;
}

/* Lines whose values are figures: checked by writing the file again. */
static int
l_figures(struct rd *r)
{
	struct omsec_records_set *s = r->s;
	const char *k = r->f[0];
	int p;

	if (strcmp(k, "sla") == 0) {
		if (want(r, 21) != 0)
			return -1;
		s->have_tickets = 1;
		if (strcmp(r->f[1], "total") == 0)
			return 0;
		if ((p = omsec_priority_parse(r->f[1])) < 0 ||
		    strcmp(r->f[1], omsec_priority_name(p)) != 0)
			return bad(r, "unknown priority", r->f[1]);
		if (strcmp(r->f[2], "7x24") != 0 &&
		    strcmp(r->f[2], "business") != 0)
			return bad(r, "unknown clock", r->f[2]);
		snprintf(s->clock[p], sizeof(s->clock[p]), "%s", r->f[2]);
		if (f_ms(r, &s->cfg.sla_response[p], 3, 1) ||
		    f_ms(r, &s->cfg.sla_resolve[p], 4, 1))
			return -1;
		r->prio_seen |= 1 << p;
		return 0;
	}
	if (strcmp(k, "sat") == 0 || strcmp(k, "csat") == 0 ||
	    strcmp(k, "nps") == 0) {
		s->have_survey = 1;
		return 0;
	}
	if (strcmp(k, "vuln") == 0) {
		int64_t dl;
		s->have_vulns = 1;
		if (want(r, 15) != 0)
			return -1;
		if (strcmp(r->f[1], "total") == 0)
			return 0;
		for (p = 0; p < OMSEC_SEV_COUNT; p++)
			if (strcmp(r->f[1], omsec_severity_name(p)) == 0)
				break;
		if (p == OMSEC_SEV_COUNT)
			return bad(r, "unknown severity", r->f[1]);
		if (f_ms(r, &dl, 14, 1))
			return -1;
		s->cfg.vuln_deadline[p] = dl < 0 ? 0 : dl;
		return 0;
	}
	if (strcmp(k, "vuln_dups") == 0)
		return want(r, 2) || f_u(r, &s->vulns.duplicates, 1) ? -1 : 0;
	if (strcmp(k, "insp") == 0) {
		s->have_insp = 1;
		return 0;
	}
	if (strcmp(k, "assets") == 0) {
		s->have_assets = 1;
		return 0;
	}
	if (strcmp(k, "avail_target") == 0) {
		char *e;
		if (want(r, 2) != 0)
			return -1;
		errno = 0;
		s->cfg.availability_target = strtod(r->f[1], &e);
		if (errno || *e != '\0' || r->f[1][0] == '\0')
			return bad(r, "bad availability target", r->f[1]);
		s->have_outages = 1;
		return 0;
	}
	if (strcmp(k, "work") == 0 && r->nf == 3 &&
	    (strcmp(r->f[1], "log_lines") == 0 ||
	    strcmp(r->f[1], "events") == 0)) {
		s->have_logs = 1;
		return f_u64(r, strcmp(r->f[1], "events") == 0 ? &s->events :
		    &s->log_lines, 2);
	}
	if (strcmp(k, "breach") == 0 || strcmp(k, "vuln_overdue") == 0 ||
	    strcmp(k, "insp_type") == 0 || strcmp(k, "avail") == 0 ||
	    strcmp(k, "work") == 0 || strcmp(k, "work_category") == 0)
		return 0;
	return bad(r, "unknown line kind", k);
}

static int
slurp(const char *path, char **buf, size_t *n,
    struct omsec_report_diag *diag)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, got;
	char *b;

	*buf = NULL;
	if (f == NULL) {
		RDIAG(diag, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((b = malloc(cap + 1)) == NULL)
		goto nomem;
	*n = 0;
	while ((got = fread(b + *n, 1, cap - *n, f)) > 0) {
		char *nb;
		*n += got;
		if (*n < cap)
			continue;
		if (cap >= REC_MAXFILE) {
			RDIAG(diag, "%s: larger than %u MiB", path,
			    REC_MAXFILE >> 20);
			free(b);
			fclose(f);
			return -1;
		}
		if ((nb = realloc(b, cap * 2 + 1)) == NULL)
			goto nomem;
		b = nb;
		cap *= 2;
	}
	if (ferror(f)) {
		RDIAG(diag, "%s: %s", path, strerror(errno));
		free(b);
		fclose(f);
		return -1;
	}
	fclose(f);
	b[*n] = '\0';
	*buf = b;
	return 0;
nomem:
	RDIAG(diag, "%s: out of memory", path);
	free(b);
	fclose(f);
	return -1;
}

/* Writes s's records to memory (the byte-for-byte check). */
static int
rewrite(struct omsec_records_set *s, char **out, size_t *n)
{
	FILE *f = tmpfile();
	long len;
	int rv = -1;

	*out = NULL;
	if (f == NULL)
		return -1;
	if (omsec_records_write(&s->rec, fileno(f)) == 0 &&
	    (len = lseek(fileno(f), 0, SEEK_END)) >= 0 &&
	    lseek(fileno(f), 0, SEEK_SET) == 0 &&
	    (*out = malloc((size_t)len + 1)) != NULL &&
	    fread(*out, 1, (size_t)len, f) == (size_t)len) {
		(*out)[len] = '\0';
		*n = (size_t)len;
		rv = 0;
	}
	fclose(f);
	if (rv != 0) {
		free(*out);
		*out = NULL;
	}
	return rv;
}

/* Reports the first line where the file and its rewrite differ. */
static int
compare(const char *path, const char *a, size_t an, const char *b,
    size_t bn, struct omsec_report_diag *diag)
{
	unsigned line = 1;
	size_t i = 0, j = 0;
	char ea[160], eb[160];

	while (i < an && j < bn) {
		const char *na = memchr(a + i, '\n', an - i);
		const char *nb = memchr(b + j, '\n', bn - j);
		size_t la = na ? (size_t)(na - a) - i : an - i;
		size_t lb = nb ? (size_t)(nb - b) - j : bn - j;
		if (la != lb || memcmp(a + i, b + j, la) != 0 ||
		    (na == NULL) != (nb == NULL)) {
			/* Name the first field that differs. */
			size_t x = i, y = j, fa, fb;
			int field = 1;
			for (;;) {
				fa = strcspn(a + x, "\t\n");
				fb = strcspn(b + y, "\t\n");
				if (fa != fb || memcmp(a + x, b + y, fa) != 0 ||
				    a[x + fa] != '\t' || b[y + fb] != '\t')
					break;
				x += fa + 1;
				y += fb + 1;
				field++;
			}
			omsec_term_escape(ea, sizeof(ea),
			    omsec_span_make(a + x, fa));
			omsec_term_escape(eb, sizeof(eb),
			    omsec_span_make(b + y, fb));
			RDIAG(diag, "%s:%u: field %d is '%s', but the file's "
			    "rows give '%s' (%s)", path, line, field, ea, eb,
			    field == 1 ? "a line missing, extra or out of "
			    "order" : "a figure that does not follow from them");
			return -1;
		}
		i += la + 1;
		j += lb + 1;
		line++;
	}
	if (i < an) {
		RDIAG(diag, "%s:%u: extra line after the records", path,
		    line);
		return -1;
	}
	if (j < bn) {
		omsec_term_escape(eb, sizeof(eb), omsec_span_make(b + j,
		    strcspn(b + j, "\n")));
		RDIAG(diag, "%s:%u: truncated: the rows give '%s' here",
		    path, line, eb);
		return -1;
	}
	return 0;
}

/* Reads and checks one file into the empty set s. */
static int
read_one(struct omsec_records_set *s, const char *path, struct omsec_tz *tz,
    struct omsec_report_diag *diag)
{
	struct rd r;
	char *buf, *p, *again = NULL;
	size_t n, n2;
	unsigned nbad0 = diag->nbad;
	int rv = -1;

	if (slurp(path, &buf, &n, diag) != 0)
		return -1;
	memset(&r, 0, sizeof(r));
	r.path = path;
	r.diag = diag;
	r.tz = tz;
	r.s = s;
	if (strncmp(buf, "#omsec-records\t", 15) != 0) {
		RDIAG(diag, "%s:1: not an omsec records file", path);
		goto out;
	}
	if (strncmp(buf + 15, "2\n", 2) != 0) {
		char e[32];
		omsec_term_escape(e, sizeof(e), omsec_span_make(buf + 15,
		    strcspn(buf + 15, "\n")));
		RDIAG(diag, "%s:1: records file version '%s', this omsec "
		    "reads 2 (version 1 has no rows: write it again with "
		    "--records-out)", path, e);
		goto out;
	}
	if (memchr(buf, '\0', n) != NULL) {
		RDIAG(diag, "%s: NUL byte in a records file", path);
		goto out;
	}
	if (n == 0 || buf[n - 1] != '\n') {
		RDIAG(diag, "%s: last line not complete", path);
		goto out;
	}
	/* The tickets' clock times are as of the period end: read it first. */
	p = buf + 17;
	for (r.line = 2; *p != '\0'; r.line++) {
		char *nl = strchr(p, '\n'), *q = p;
		int ok;
		*nl = '\0';
		r.nf = 0;
		for (;;) {
			char *t = strchr(q, '\t');
			if (r.nf == MAXF) {
				bad(&r, "too many fields", NULL);
				break;
			}
			r.f[r.nf++] = q;
			if (t == NULL)
				break;
			*t = '\0';
			q = t + 1;
		}
		if (r.nf == MAXF)
			ok = -1;
		else if (r.line == 2) {
			ok = strcmp(r.f[0], "period") != 0 ?
			    bad(&r, "want the period line, not", r.f[0]) :
			    want(&r, 3) || f_iso(&r, &s->start, 1) ||
			    f_iso(&r, &s->end, 2) ? -1 : 0;
			if (ok == 0 && (s->start < 0 || s->end <= s->start))
				ok = bad(&r, "empty period", NULL);
		} else if (strcmp(r.f[0], "ticket") == 0)
			ok = l_ticket(&r);
		else if (strcmp(r.f[0], "response") == 0)
			ok = l_response(&r);
		else if (strcmp(r.f[0], "finding") == 0)
			ok = l_finding(&r);
		else if (strcmp(r.f[0], "inspection") == 0)
			ok = l_inspection(&r);
		else if (strcmp(r.f[0], "asset") == 0)
			ok = l_asset(&r);
		else if (strcmp(r.f[0], "outage") == 0)
			ok = l_outage(&r);
		else if (strcmp(r.f[0], "month") == 0)
			ok = l_month(&r);
		else
			ok = l_figures(&r);
		if (ok != 0 && r.line == 2)
			goto out;
		p = nl + 1;
	}
	if (diag->nbad != nbad0)
		goto out;
	if (s->have_tickets && r.prio_seen != (1 << OMSEC_PRIO_COUNT) - 1) {
		RDIAG(diag, "%s: an sla line per priority is missing", path);
		goto out;
	}
	/* Put the file back together: its lines, its rows' figures. */
	if (slurp(path, &again, &n2, diag) != 0)
		goto out;
	free(buf);
	buf = again;
	n = n2;
	again = NULL;
	{
		struct omsec_report_diag quiet = { NULL, NULL, 0 };
		int64_t a = s->start, b = s->end;
		s->start = s->end = -1;
		if (omsec_records_figures(s, NULL, a, b, tz, &quiet) != 0) {
			RDIAG(diag, "%s: out of memory", path);
			goto out;
		}
		s->start = a;
		s->end = b;
	}
	if (rewrite(s, &again, &n2) != 0) {
		RDIAG(diag, "%s: cannot check: %s", path, strerror(errno));
		goto out;
	}
	rv = compare(path, buf, n, again, n2, diag);
out:
	if (rv != 0 && diag->nbad == nbad0)
		diag->nbad++;
	free(buf);
	free(again);
	return rv;
}

/* ---- merging ----------------------------------------------------------- */

static int
same_contract(const struct omsec_records_set *a,
    const struct omsec_records_set *b)
{
	int k;

	if (a->have_tickets && b->have_tickets)
		for (k = 0; k < OMSEC_PRIO_COUNT; k++)
			if (a->cfg.sla_response[k] != b->cfg.sla_response[k] ||
			    a->cfg.sla_resolve[k] != b->cfg.sla_resolve[k] ||
			    strcmp(a->clock[k], b->clock[k]) != 0)
				return 0;
	if (a->have_vulns && b->have_vulns)
		for (k = 0; k < OMSEC_SEV_COUNT; k++)
			if (a->cfg.vuln_deadline[k] != b->cfg.vuln_deadline[k])
				return 0;
	if (a->have_outages && b->have_outages &&
	    a->cfg.availability_target != b->cfg.availability_target)
		return 0;
	return 1;
}

/*
 * Row keys for the merge: a hash and an equality per kind. The key of a
 * finding is its identity as omsec_vulns_dedupe has it; of an inspection,
 * asset, item and planned date (done date when not planned).
 */
static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n-- > 0)
		h = (h ^ *c++) * UINT64_C(0x100000001b3);
	return h;
}

#define FNV0 UINT64_C(0xcbf29ce484222325)

static const char *
finding_name(const struct omsec_vuln *v)
{
	return v->id[0] ? v->id : v->cve[0] ? v->cve : v->name;
}

static uint64_t
h_ticket(const void *r)
{
	const struct omsec_ticket *t = r;

	return fnv(FNV0, t->id, strlen(t->id));
}

static int
same_ticket(const void *x, const void *y)
{
	return strcmp(((const struct omsec_ticket *)x)->id,
	    ((const struct omsec_ticket *)y)->id) == 0;
}

static uint64_t
h_finding(const void *r)
{
	const struct omsec_vuln *v = r;
	const char *k = finding_name(v);
	uint64_t h = fnv(FNV0, v->asset, strlen(v->asset) + 1);

	h = fnv(h, k, strlen(k) + 1);
	return fnv(h, v->port, strlen(v->port));
}

static int
same_finding(const void *x, const void *y)
{
	const struct omsec_vuln *a = x, *b = y;

	return strcmp(a->asset, b->asset) == 0 &&
	    strcmp(finding_name(a), finding_name(b)) == 0 &&
	    strcmp(a->port, b->port) == 0;
}

static uint64_t
h_inspection(const void *r)
{
	const struct omsec_inspection *x = r;
	int64_t when = x->planned >= 0 ? x->planned : x->done;
	uint64_t h = fnv(FNV0, x->asset, strlen(x->asset) + 1);

	h = fnv(h, x->item, strlen(x->item) + 1);
	return fnv(h, &when, sizeof(when));
}

static int
same_inspection(const void *x, const void *y)
{
	const struct omsec_inspection *a = x, *b = y;

	if (strcmp(a->asset, b->asset) != 0 || strcmp(a->item, b->item) != 0)
		return 0;
	if (a->planned >= 0 || b->planned >= 0)
		return a->planned == b->planned;
	return a->done == b->done;
}

static uint64_t
h_outage(const void *r)
{
	const struct omsec_outage *x = r;

	return fnv(fnv(FNV0, x->service, strlen(x->service) + 1), &x->start,
	    sizeof(x->start));
}

static int
same_outage(const void *x, const void *y)
{
	const struct omsec_outage *a = x, *b = y;

	return strcmp(a->service, b->service) == 0 && a->start == b->start;
}

/* One kind of row in the files, in period order: rows[f][0..nrows[f]). */
struct rowsets {
	const char *rows[MAXFILES];
	size_t nrows[MAXFILES];
	int n;
	size_t elem;
	uint64_t (*hash)(const void *);
	int (*same)(const void *, const void *);
};

/*
 * Appends to (*v, *n, *cap) the rows that no later file has (same key):
 * each row as it stood last, in the order of the sheet when it was
 * cumulative (the last file lists every row in its order) or month after
 * month when each file had its own rows. Files are walked from the last,
 * with a hash set of the keys of the files after the current one; rows of
 * one file never hide each other. Linear in the rows.
 */
static int
merge_kind(void **v, size_t *vn, size_t *vcap, const struct rowsets *k)
{
	struct slot { uint64_t h; int f; size_t i; } *tab = NULL;
	unsigned char *keep = NULL;
	size_t total = 0, cap = 16, i, at, base;
	int f, rv = -1;

	for (f = 0; f < k->n; f++)
		total += k->nrows[f];
	while (cap < 2 * total + 16)
		cap *= 2;
	if ((tab = calloc(cap, sizeof(*tab))) == NULL ||
	    (keep = malloc(total + 1)) == NULL)
		goto out;
	for (i = 0; i < cap; i++)
		tab[i].f = -1;
	base = total;
	for (f = k->n - 1; f >= 0; f--) {
		const char *r = k->rows[f];
		size_t n = k->nrows[f];
		base -= n;
		/* Look up first, insert after: one file's rows all count. */
		for (i = 0; i < n; i++) {
			uint64_t h = k->hash(r + i * k->elem);
			keep[base + i] = 1;
			for (at = h & (cap - 1); tab[at].f >= 0;
			    at = (at + 1) & (cap - 1))
				if (tab[at].h == h && k->same(r + i * k->elem,
				    k->rows[tab[at].f] + tab[at].i * k->elem)) {
					keep[base + i] = 0;
					break;
				}
		}
		for (i = 0; i < n; i++) {
			uint64_t h;
			if (!keep[base + i])
				continue;
			h = k->hash(r + i * k->elem);
			for (at = h & (cap - 1); tab[at].f >= 0;
			    at = (at + 1) & (cap - 1))
				;
			tab[at].h = h;
			tab[at].f = f;
			tab[at].i = i;
		}
	}
	for (f = 0, base = 0; f < k->n; f++) {
		for (i = 0; i < k->nrows[f]; i++) {
			void *nv;
			if (!keep[base + i])
				continue;
			if ((nv = rec_grow(*v, vcap, *vn, k->elem)) == NULL)
				goto out;
			*v = nv;
			memcpy((char *)nv + *vn * k->elem,
			    k->rows[f] + i * k->elem, k->elem);
			(*vn)++;
		}
		base += k->nrows[f];
	}
	rv = 0;
out:
	free(tab);
	free(keep);
	return rv;
}

/* Merges the files t[ord[0..n)], consecutive and of one contract, into a. */
static int
merge(struct omsec_records_set *a, const struct omsec_records_set *t,
    const int *ord, int n)
{
	int i, k, last_assets = -1;
	struct rowsets *rs;
	void *v;

	if (n > MAXFILES || (rs = calloc(1, sizeof(*rs))) == NULL)
		return -1;
	rs->n = n;
#define KIND(M, H, S) do {						\
	for (i = 0; i < n; i++) {					\
		rs->rows[i] = (const char *)t[ord[i]].M.v;		\
		rs->nrows[i] = t[ord[i]].M.n;				\
	}								\
	rs->elem = sizeof(*a->M.v);					\
	rs->hash = H;							\
	rs->same = S;							\
	v = a->M.v;							\
	if (merge_kind(&v, &a->M.n, &a->M.cap, rs) != 0) {		\
		a->M.v = v;						\
		free(rs);						\
		return -1;						\
	}								\
	a->M.v = v;							\
} while (0)
	KIND(tickets, h_ticket, same_ticket);
	KIND(vulns, h_finding, same_finding);
	KIND(inspections, h_inspection, same_inspection);
	KIND(outages, h_outage, same_outage);
#undef KIND
	free(rs);
	/* Responses are dated: each is in the file of its month. */
	for (i = 0; i < n; i++) {
		const struct omsec_survey *sv = &t[ord[i]].survey;
		size_t j;
		for (j = 0; j < sv->n; j++) {
			void *nv = rec_grow(a->survey.v, &a->survey.cap,
			    a->survey.n, sizeof(*a->survey.v));
			if (nv == NULL)
				return -1;
			a->survey.v = nv;
			a->survey.v[a->survey.n++] = sv->v[j];
		}
	}
	for (i = 0; i < n; i++) {
		const struct omsec_records_set *b = &t[ord[i]];
		if (b->have_assets)
			last_assets = ord[i];
		if (b->have_vulns) {
			a->vulns.duplicates = b->vulns.duplicates;
			for (k = 0; k < OMSEC_SEV_COUNT; k++)
				a->cfg.vuln_deadline[k] =
				    b->cfg.vuln_deadline[k];
		}
		if (b->have_tickets) {
			memcpy(a->clock, b->clock, sizeof(a->clock));
			for (k = 0; k < OMSEC_PRIO_COUNT; k++) {
				a->cfg.sla_response[k] = b->cfg.sla_response[k];
				a->cfg.sla_resolve[k] = b->cfg.sla_resolve[k];
			}
		}
		if (b->have_outages)
			a->cfg.availability_target =
			    b->cfg.availability_target;
		a->have_tickets |= b->have_tickets;
		a->have_survey |= b->have_survey;
		a->have_vulns |= b->have_vulns;
		a->have_insp |= b->have_insp;
		a->have_outages |= b->have_outages;
		if (b->have_logs) {
			a->have_logs = 1;
			a->log_lines += b->log_lines;
			a->events += b->events;
		}
		for (k = 0; k < b->nmonths; k++) {
			if (a->nmonths == OMSEC_RPT_MAXMONTHS)
				return -2;
			a->months[a->nmonths++] = b->months[k];
		}
		if (a->start < 0)
			a->start = b->start;
		a->end = b->end;
	}
	if (last_assets >= 0) {
		/* The inventory as it stood last. */
		const struct omsec_assets *l = &t[last_assets].assets;
		if (l->n > 0 && (a->assets.v = malloc(l->n *
		    sizeof(*l->v))) == NULL)
			return -1;
		if (l->n > 0)
			memcpy(a->assets.v, l->v, l->n * sizeof(*l->v));
		a->assets.n = a->assets.cap = l->n;
		a->have_assets = 1;
	}
	return 0;
}

static const struct omsec_records_set *sort_base;

static int
by_start(const void *x, const void *y)
{
	int64_t a = sort_base[*(const int *)x].start;
	int64_t b = sort_base[*(const int *)y].start;

	return a < b ? -1 : a > b;
}

int
omsec_records_load(struct omsec_records_set *s, const char *const *paths,
    int n, struct omsec_tz *tz, struct omsec_report_diag *diag)
{
	struct omsec_records_set *t;
	int *ord, i, rv = -1;
	char a[25], b[25];

	if (n <= 0)
		return 0;
	if (n > MAXFILES) {
		RDIAG(diag, "at most %d records files in one merge", MAXFILES);
		return -1;
	}
	if ((t = calloc((size_t)n, sizeof(*t))) == NULL ||
	    (ord = malloc((size_t)n * sizeof(*ord))) == NULL) {
		free(t);
		RDIAG(diag, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		ord[i] = i;
		if (omsec_records_set_init(&t[i], &s->cfg) != 0) {
			RDIAG(diag, "out of memory");
			goto out;
		}
	}
	for (i = 0; i < n; i++)
		if (read_one(&t[i], paths[i], tz, diag) != 0)
			goto out;
	sort_base = t;
	qsort(ord, (size_t)n, sizeof(*ord), by_start);
	for (i = 1; i < n; i++) {
		const struct omsec_records_set *p = &t[ord[i - 1]];
		const struct omsec_records_set *x = &t[ord[i]];
		if (x->start != p->end) {
			omsec_format_iso(a, p->end);
			omsec_format_iso(b, x->start);
			RDIAG(diag, "%s: starts at %s, %s ends at %s: %s",
			    paths[ord[i]], b, paths[ord[i - 1]], a, x->start <
			    p->end ? "periods overlap" : "a gap between them");
			goto out;
		}
		if (!same_contract(&t[ord[0]], x) || !same_contract(p, x)) {
			RDIAG(diag, "%s: SLA targets, clocks, vulnerability "
			    "deadlines or availability target differ from %s: "
			    "one merge needs one contract", paths[ord[i]],
			    paths[ord[0]]);
			goto out;
		}
	}
	switch (merge(s, t, ord, n)) {
	case 0:
		break;
	case -2:
		RDIAG(diag, "more than %d months in the records files",
		    OMSEC_RPT_MAXMONTHS);
		goto out;
	default:
		RDIAG(diag, "out of memory");
		goto out;
	}
	/* A ticket open at a file's end must be in the files after it. */
	for (i = 0; (size_t)i < s->tickets.n; i++) {
		const struct omsec_ticket *k = &s->tickets.v[i];
		if (k->asof < s->end && (k->tta < 0 || k->ttr < 0)) {
			char id[96];
			omsec_format_iso(a, k->asof);
			omsec_term_escape(id, sizeof(id),
			    omsec_span_cstr(k->id));
			RDIAG(diag, "ticket %s: open at %s but not in the "
			    "later records files: counted as of then", id, a);
		}
	}
	rv = 0;
out:
	for (i = 0; i < n; i++)
		omsec_records_set_free(&t[i]);
	free(t);
	free(ord);
	return rv;
}
