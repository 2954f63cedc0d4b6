/*
 * period.c - report periods (month, quarter, year) and the month-by-month
 * series of a quarterly or annual report.
 *
 *   --period 2026-11   a month       2026年11月
 *   --period 2026-Q4   a quarter     2026年第四季度 (October to December)
 *   --period 2026      a year        2026年度
 *
 * Bounds are local midnights of the site's zone converted to UTC ms, so a
 * period is [first day 00:00, day after the last 00:00) local time. The
 * series recompute the records' figures (SLA, vulnerabilities, inspections,
 * satisfaction) over each month with the same functions as the period's:
 * cost is the number of months times one pass over the records; memory is
 * what omsec_sla_compute_cal and omsec_vuln_compute allocate, freed again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "records_int.h"
#include "report.h"
#include "strnum.h"

static int64_t
local_midnight(struct omsec_tz *tz, int year, int month)
{
	struct omsec_civil c;

	while (month > 12) {
		month -= 12;
		year++;
	}
	while (month < 1) {
		month += 12;
		year--;
	}
	memset(&c, 0, sizeof(c));
	c.year = year;
	c.month = month;
	c.day = 1;
	return omsec_tz_local_to_utc(tz, &c);
}

static void
bounds(struct omsec_period *p, struct omsec_tz *tz)
{
	p->start = local_midnight(tz, p->year, p->month);
	p->end = local_midnight(tz, p->year, p->month + p->nmonths);
}

int
omsec_period_parse(struct omsec_period *p, const char *s,
    struct omsec_tz *tz)
{
	size_t n = strlen(s);
	int64_t v;

	memset(p, 0, sizeof(*p));
	if (n < 4 || omsec_strtonum(&v, omsec_span_make(s, 4), 1970, 9999) != 0)
		return -1;
	p->year = (int)v;
	if (n == 4) {
		p->kind = OMSEC_REPORT_YEAR;
		p->month = 1;
		p->nmonths = 12;
	} else if (n == 7 && s[4] == '-' && (s[5] == 'Q' || s[5] == 'q')) {
		if (s[6] < '1' || s[6] > '4')
			return -1;
		p->kind = OMSEC_REPORT_QUARTER;
		p->month = (s[6] - '1') * 3 + 1;
		p->nmonths = 3;
	} else if (n == 7 && s[4] == '-') {
		if (omsec_strtonum(&v, omsec_span_make(s + 5, 2), 1, 12) != 0)
			return -1;
		p->kind = OMSEC_REPORT_MONTH;
		p->month = (int)v;
		p->nmonths = 1;
	} else
		return -1;
	bounds(p, tz);
	return 0;
}

void
omsec_period_shift(struct omsec_period *p, int n, struct omsec_tz *tz)
{
	int m = (p->year * 12 + p->month - 1) + n * p->nmonths;

	p->year = m / 12;
	p->month = m % 12 + 1;
	bounds(p, tz);
}

void
omsec_period_label(char *buf, size_t cap, const struct omsec_period *p,
    int en)
{
	static const char *const qzh[4] = { "一", "二", "三", "四" };
	static const char *const mon[12] = { "January", "February", "March",
	    "April", "May", "June", "July", "August", "September", "October",
	    "November", "December" };

	if (p->kind == OMSEC_REPORT_YEAR)
		snprintf(buf, cap, en ? "%d" : "%d年度", p->year);
	else if (p->kind == OMSEC_REPORT_QUARTER && en)
		snprintf(buf, cap, "Q%d %d", (p->month - 1) / 3 + 1, p->year);
	else if (p->kind == OMSEC_REPORT_QUARTER)
		snprintf(buf, cap, "%d年第%s季度", p->year,
		    qzh[(p->month - 1) / 3]);
	else if (en)
		snprintf(buf, cap, "%s %d", mon[p->month - 1], p->year);
	else
		snprintf(buf, cap, "%d年%d月", p->year, p->month);
}

void
omsec_period_month(const struct omsec_period *p, int i, struct omsec_tz *tz,
    int *year, int *month, int64_t *start, int64_t *end)
{
	int m = p->year * 12 + p->month - 1 + i;

	*year = m / 12;
	*month = m % 12 + 1;
	*start = local_midnight(tz, *year, *month);
	*end = local_midnight(tz, *year, *month + 1);
}

/* CSAT of the responses dated in the month x (local dates). */
static int
month_survey(struct omsec_report_month *x, const struct omsec_survey *sv,
    struct omsec_tz *tz)
{
	struct omsec_survey one = { NULL, 0, 0 };
	struct omsec_satisfaction s;
	int64_t day0 = rec_local_day(tz, x->start);
	int64_t day1 = rec_local_day(tz, x->end);
	size_t k;

	if ((one.v = malloc((sv->n ? sv->n : 1) * sizeof(*one.v))) == NULL)
		return -1;
	for (k = 0; k < sv->n; k++) {
		int64_t dd = rec_date_day(sv->v[k].date);
		if (dd >= day0 && dd < day1)
			one.v[one.n++] = sv->v[k];
	}
	if (one.n > 0) {
		omsec_satisfaction_compute(&s, &one);
		x->respondents = s.respondents;
		x->csat = s.csat;
		x->sat = s;
		x->have_sat = 1;
	}
	free(one.v);
	return 0;
}

int
omsec_report_months(struct omsec_report_month *m,
    const struct omsec_period *p, struct omsec_tz *tz,
    const struct omsec_config *cfg, const struct omsec_tickets *t,
    const struct omsec_calendar *const *cal, const struct omsec_vulns *v,
    const struct omsec_inspections *insp, const struct omsec_survey *sv)
{
	int i;

	for (i = 0; i < p->nmonths; i++) {
		struct omsec_report_month *x = &m[i];

		memset(x, 0, sizeof(*x));
		omsec_period_month(p, i, tz, &x->year, &x->month, &x->start,
		    &x->end);
		if (t != NULL) {
			struct omsec_sla sla;
			if (omsec_sla_compute_cal(&sla, t, cfg, cal, x->start,
			    x->end) != 0)
				return -1;
			x->sla = sla.total;
			x->have_sla = 1;
			omsec_sla_free(&sla);
		}
		if (v != NULL) {
			struct omsec_vuln_figures vf;
			if (omsec_vuln_compute(&vf, v, cfg, x->start, x->end) != 0)
				return -1;
			x->vfound = vf.total.found;
			x->vfixed = vf.total.fixed;
			x->vopen = vf.total.open;
			x->voverdue = vf.total.overdue;
			x->have_vuln = 1;
			omsec_vuln_figures_free(&vf);
		}
		if (insp != NULL) {
			struct omsec_insp_figures f;
			omsec_insp_compute(&f, insp, NULL, x->start, x->end);
			x->insp_done = f.done;
			x->insp_abnormal = f.abnormal;
			x->have_insp = 1;
		}
		if (sv != NULL && month_survey(x, sv, tz) != 0)
			return -1;
	}
	return 0;
}
