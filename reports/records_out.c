/*
 * records_out.c - workload figures and the "#omsec-records 1" file: every
 * figure computed from the service records for one period, as TSV that
 * awk and diff can read (docs/records.md, section "The records file").
 *   #omsec-records	1
 *   period	2026-10-31T16:00:00.000Z	2026-11-30T16:00:00.000Z
 *   sla	urgent	7x24	7200	14400	2	1	1	1	1	5700	...
 *   breach	T-1002	urgent	response	9000	7200	Web 应用遭受 SQL 注入扫描
 * Lines come in a fixed order (the order of the struct fields below), so
 * the same records give the same bytes. Text from the records is written
 * through omsec_out_tsv (tab, newline, backslash escaped; "-" for empty).
 * Cost: linear in the records. Memory: one output buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "records_int.h"

/* ---- workload -------------------------------------------------------- */

void
omsec_workload_compute(struct omsec_workload *w,
    const struct omsec_tickets *t, const struct omsec_insp_figures *insp,
    const struct omsec_vuln_figures *vf,
    const struct omsec_rpt_summary *sum, int64_t start, int64_t end)
{
	size_t i;
	int k, j;

	memset(w, 0, sizeof(*w));
	for (i = 0; t != NULL && i < t->n; i++) {
		const struct omsec_ticket *tk = &t->v[i];
		const char *cat = tk->category[0] ? tk->category : "未分类";
		if (tk->resolved >= start && tk->resolved < end)
			w->resolved++;
		if (tk->opened < start || tk->opened >= end)
			continue;
		w->tickets++;
		w->by_prio[tk->prio]++;
		for (k = 0; k < w->ncat; k++)
			if (strcmp(w->cat[k], cat) == 0)
				break;
		if (k == w->ncat) {
			if (w->ncat == OMSEC_WL_MAXCAT) {
				k = OMSEC_WL_MAXCAT - 1;
				snprintf(w->cat[k], sizeof(w->cat[k]), "其他");
			} else
				rec_copy(w->cat[w->ncat++], sizeof(w->cat[0]),
				    cat);
		}
		w->cat_n[k]++;
	}
	/* By count, then by name: a stable, deterministic order. */
	for (k = 1; k < w->ncat; k++) {
		char name[96];
		unsigned n = w->cat_n[k];
		memcpy(name, w->cat[k], sizeof(name));
		for (j = k; j > 0 && (w->cat_n[j - 1] < n ||
		    (w->cat_n[j - 1] == n && strcmp(w->cat[j - 1], name) > 0));
		    j--) {
			memcpy(w->cat[j], w->cat[j - 1], sizeof(name));
			w->cat_n[j] = w->cat_n[j - 1];
		}
		memcpy(w->cat[j], name, sizeof(name));
		w->cat_n[j] = n;
	}
	if (insp != NULL)
		w->inspections = insp->done;
	if (vf != NULL) {
		w->vulns_fixed = vf->total.fixed;
		w->vulns_verified = vf->total.verified;
	}
	if (sum != NULL) {
		w->events = sum->events;
		for (i = 0; i < sum->nsrc; i++)
			w->log_lines += sum->src[i].lines;
	}
}

/* ---- the records file ------------------------------------------------ */

static void
tab(struct omsec_out *o)
{
	omsec_out_putc(o, '\t');
}

static void
put_s(struct omsec_out *o, const char *s)
{
	tab(o);
	omsec_out_tsv(o, omsec_span_cstr(s));
}

static void
put_u(struct omsec_out *o, uint64_t v)
{
	tab(o);
	omsec_out_u64(o, v);
}

/* Seconds from ms, rounded down; "-" when negative (none). */
static void
put_sec(struct omsec_out *o, int64_t ms)
{
	tab(o);
	if (ms < 0)
		omsec_out_putc(o, '-');
	else
		omsec_out_i64(o, ms / 1000);
}

static void
put_f(struct omsec_out *o, const char *fmt, double v, int none)
{
	char b[64];

	tab(o);
	if (none) {
		omsec_out_putc(o, '-');
		return;
	}
	snprintf(b, sizeof(b), fmt, v);
	omsec_out_str(o, b);
}

static void
put_iso(struct omsec_out *o, int64_t ms)
{
	char b[25];

	tab(o);
	if (ms < 0) {
		omsec_out_putc(o, '-');
		return;
	}
	omsec_format_iso(b, ms);
	omsec_out_str(o, b);
}

static void
sla_line(struct omsec_out *o, const char *name, const char *clock,
    int64_t rt, int64_t st, const struct omsec_sla_row *r)
{
	double rp = omsec_sla_pct(r->resp_met, r->resp_breach);
	double sp = omsec_sla_pct(r->res_met, r->res_breach);

	omsec_out_str(o, "sla");
	put_s(o, name);
	tab(o);
	omsec_out_str(o, clock);	/* "7x24", "business" or "-" */
	put_sec(o, rt);
	put_sec(o, st);
	put_u(o, r->tickets);
	put_u(o, r->resp_met);
	put_u(o, r->resp_breach);
	put_f(o, "%.2f", rp, rp < 0);
	put_u(o, r->res_met);
	put_u(o, r->res_breach);
	put_f(o, "%.2f", sp, sp < 0);
	put_sec(o, r->tta_n ? r->tta_sum / r->tta_n : -1);
	put_sec(o, r->tta_median);
	put_sec(o, r->tta_p90);
	put_sec(o, r->ttr_n ? r->ttr_sum / r->ttr_n : -1);
	put_sec(o, r->ttr_median);
	put_sec(o, r->ttr_p90);
	put_u(o, r->open_end);
	put_u(o, r->reopened);
	put_u(o, r->paused);
	omsec_out_putc(o, '\n');
}

static void
vuln_line(struct omsec_out *o, const char *name, int64_t deadline,
    const struct omsec_vuln_row *r)
{
	int k;

	omsec_out_str(o, "vuln");
	put_s(o, name);
	put_u(o, r->found);
	put_u(o, r->fixed);
	put_u(o, r->verified);
	put_u(o, r->open);
	put_u(o, r->overdue);
	put_u(o, r->fixed_late);
	put_u(o, r->reopened);
	for (k = 0; k < OMSEC_VULN_AGES; k++)
		put_u(o, r->age[k]);
	put_sec(o, deadline);
	omsec_out_putc(o, '\n');
}

/* Exact ms ("-" when negative): what a merge needs to stay exact. */
static void
put_ms(struct omsec_out *o, int64_t ms)
{
	tab(o);
	if (ms < 0)
		omsec_out_putc(o, '-');
	else
		omsec_out_i64(o, ms);
}

/*
 * One month of the series: SLA (16 fields), vulnerabilities (4),
 * inspections (2), satisfaction (5 + 25 answers per dimension and score);
 * a group the month has no records for is all "-".
 */
static void
month_line(struct omsec_out *o, const struct omsec_report_month *m)
{
	const struct omsec_sla_row *s = &m->sla;
	char ym[16];
	int k, d;

	snprintf(ym, sizeof(ym), "%04d-%02d", m->year, m->month);
	omsec_out_str(o, "month\t");
	omsec_out_str(o, ym);
	if (m->have_sla) {
		put_u(o, s->tickets);
		put_u(o, s->resp_met);
		put_u(o, s->resp_breach);
		put_u(o, s->res_met);
		put_u(o, s->res_breach);
		put_u(o, s->tta_n);
		put_ms(o, s->tta_sum);
		put_ms(o, s->tta_median);
		put_ms(o, s->tta_p90);
		put_u(o, s->ttr_n);
		put_ms(o, s->ttr_sum);
		put_ms(o, s->ttr_median);
		put_ms(o, s->ttr_p90);
		put_u(o, s->open_end);
		put_u(o, s->reopened);
		put_u(o, s->paused);
	} else
		for (k = 0; k < 16; k++)
			omsec_out_str(o, "\t-");
	if (m->have_vuln) {
		put_u(o, m->vfound);
		put_u(o, m->vfixed);
		put_u(o, m->vopen);
		put_u(o, m->voverdue);
	} else
		omsec_out_str(o, "\t-\t-\t-\t-");
	if (m->have_insp) {
		put_u(o, m->insp_done);
		put_u(o, m->insp_abnormal);
	} else
		omsec_out_str(o, "\t-\t-");
	if (m->have_sat) {
		put_u(o, m->sat.respondents);
		put_u(o, m->sat.satisfied);
		put_u(o, m->sat.promoters);
		put_u(o, m->sat.passives);
		put_u(o, m->sat.detractors);
		for (d = 0; d < OMSEC_SURVEY_DIMS; d++)
			for (k = 0; k < 5; k++)
				put_u(o, m->sat.dist[d][k]);
	} else
		for (k = 0; k < 5 + 5 * OMSEC_SURVEY_DIMS; k++)
			omsec_out_str(o, "\t-");
	omsec_out_putc(o, '\n');
}

const char *const rec_tk_status[4] = { "open", "resolved", "closed",
	NULL };
const char *const rec_v_status[6] = { "open", "fixed", "verified",
	"accepted", "false_positive", NULL };
const char *const rec_v_format[4] = { "generic", "nessus", "openvas", NULL };
const char *const rec_i_result[4] = { "not_done", "normal", "abnormal",
	NULL };
const char *const rec_crit_name[4] = { "high", "medium", "low", NULL };
const char *const rec_dim_name[OMSEC_SURVEY_DIMS + 1] = { "response_speed",
	"professionalism", "communication", "solution_quality", "overall",
	NULL };

/* A score 1-5 or 0-10, "-" when not given. */
static void
put_score(struct omsec_out *o, int v, int none)
{
	tab(o);
	if (v == none)
		omsec_out_putc(o, '-');
	else
		omsec_out_i64(o, v);
}

/*
 * The rows the figures are made of, so that a records file can be read
 * back, checked and merged (docs/records.md): times as UTC ISO 8601 with
 * ms, the tickets' clock times in ms as of the period end.
 */
static void
rows(struct omsec_out *o, const struct omsec_records *r)
{
	char b[32];
	size_t i;
	int d;

	for (i = 0; r->tickets != NULL && i < r->tickets->n; i++) {
		const struct omsec_ticket *t = &r->tickets->v[i];
		omsec_out_str(o, "ticket");
		put_s(o, t->id);
		put_s(o, omsec_priority_name(t->prio));
		put_s(o, rec_tk_status[t->status]);
		put_u(o, t->reopened);
		put_u(o, (uint64_t)t->npause);
		put_iso(o, t->opened);
		put_iso(o, t->acked);
		put_iso(o, t->resolved);
		put_iso(o, t->closed);
		put_ms(o, t->tta);
		put_ms(o, t->ttr);
		put_ms(o, t->age);
		put_s(o, t->category);
		put_s(o, t->asset);
		put_s(o, t->links);
		put_s(o, t->summary);
		omsec_out_putc(o, '\n');
	}
	for (i = 0; r->survey != NULL && i < r->survey->n; i++) {
		const struct omsec_response *x = &r->survey->v[i];
		omsec_out_str(o, "response");
		put_s(o, x->date);
		put_s(o, x->respondent);
		for (d = 0; d < OMSEC_SURVEY_DIMS; d++)
			put_score(o, x->score[d], 0);
		put_score(o, x->recommend, -1);
		put_s(o, x->comment);
		omsec_out_putc(o, '\n');
	}
	for (i = 0; r->vulns != NULL && i < r->vulns->n; i++) {
		const struct omsec_vuln *v = &r->vulns->v[i];
		omsec_out_str(o, "finding");
		put_s(o, v->asset);
		put_s(o, v->id);
		put_s(o, v->cve);
		put_s(o, v->port);
		put_s(o, omsec_severity_name(v->sev));
		if (v->cvss < 0)
			put_s(o, "");
		else {
			snprintf(b, sizeof(b), "%g", v->cvss);
			put_s(o, b);
		}
		put_iso(o, v->found);
		put_iso(o, v->fixed);
		put_iso(o, v->verified);
		put_s(o, rec_v_status[v->status]);
		put_u(o, v->reopened);
		put_s(o, rec_v_format[v->format]);
		put_u(o, v->dups);
		put_s(o, v->name);
		omsec_out_putc(o, '\n');
	}
	for (i = 0; r->inspections != NULL && i < r->inspections->n; i++) {
		const struct omsec_inspection *x = &r->inspections->v[i];
		omsec_out_str(o, "inspection");
		put_iso(o, x->planned);
		put_iso(o, x->done);
		put_s(o, rec_i_result[x->result + 1]);
		put_s(o, x->asset);
		put_s(o, x->type);
		put_s(o, x->item);
		put_s(o, x->ticket);
		put_s(o, x->inspector);
		put_s(o, x->note);
		omsec_out_putc(o, '\n');
	}
	for (i = 0; r->assets != NULL && i < r->assets->n; i++) {
		const struct omsec_asset *a = &r->assets->v[i];
		omsec_out_str(o, "asset");
		put_s(o, a->id);
		put_s(o, a->name);
		put_s(o, a->type);
		put_s(o, rec_crit_name[a->crit]);
		put_s(o, a->owner);
		put_s(o, a->system);
		omsec_out_putc(o, '\n');
	}
	for (i = 0; r->outages != NULL && i < r->outages->n; i++) {
		const struct omsec_outage *x = &r->outages->v[i];
		omsec_out_str(o, "outage");
		put_s(o, x->service);
		put_iso(o, x->start);
		put_iso(o, x->end);
		put_s(o, x->planned ? "planned" : "unplanned");
		put_s(o, x->cause);
		omsec_out_putc(o, '\n');
	}
}


int
omsec_records_write(const struct omsec_records *r, int fd)
{
	struct omsec_out *o;
	size_t i;
	int k, d;

	if ((o = omsec_out_new_fd(fd)) == NULL)
		return -1;
	omsec_out_str(o, "#omsec-records\t2\nperiod");
	put_iso(o, r->start);
	put_iso(o, r->end);
	omsec_out_putc(o, '\n');
	if (r->sla != NULL) {
		for (k = 0; k < OMSEC_PRIO_COUNT; k++)
			sla_line(o, omsec_priority_name(k),
			    r->clock[k] ? r->clock[k] : "7x24",
			    r->cfg->sla_response[k] * 1000,
			    r->cfg->sla_resolve[k] * 1000, &r->sla->prio[k]);
		sla_line(o, "total", "-", -1, -1, &r->sla->total);
		for (i = 0; i < r->sla->nbreaches; i++) {
			const struct omsec_sla_breach *b = &r->sla->breaches[i];
			const struct omsec_ticket *tk = &r->tickets->v[b->ticket];
			omsec_out_str(o, "breach");
			put_s(o, tk->id);
			put_s(o, omsec_priority_name(tk->prio));
			put_s(o, b->resolve ? "resolve" : "response");
			put_sec(o, b->took);
			put_sec(o, b->target);
			put_s(o, tk->summary);
			omsec_out_putc(o, '\n');
		}
	}
	if (r->sat != NULL) {
		const struct omsec_satisfaction *s = r->sat;
		for (d = 0; d < OMSEC_SURVEY_DIMS; d++) {
			omsec_out_str(o, "sat");
			put_s(o, rec_dim_name[d]);
			put_u(o, s->nscored[d]);
			put_f(o, "%.2f", s->mean[d], s->mean[d] < 0);
			for (k = 0; k < 5; k++)
				put_u(o, s->dist[d][k]);
			omsec_out_putc(o, '\n');
		}
		omsec_out_str(o, "csat");
		put_u(o, s->respondents);
		put_u(o, s->nscored[OMSEC_SURVEY_DIMS - 1]);
		put_u(o, s->satisfied);
		put_f(o, "%.2f", s->csat, s->csat < 0);
		omsec_out_str(o, "\nnps");
		put_u(o, s->promoters);
		put_u(o, s->passives);
		put_u(o, s->detractors);
		put_f(o, "%.2f", s->nps, s->nps < -100);
		omsec_out_putc(o, '\n');
	}
	if (r->vf != NULL) {
		for (k = 0; k < OMSEC_SEV_COUNT; k++)
			vuln_line(o, omsec_severity_name(k),
			    r->vf->deadline[k] > 0 ? r->vf->deadline[k] * 1000 :
			    -1, &r->vf->sev[k]);
		vuln_line(o, "total", -1, &r->vf->total);
		omsec_out_str(o, "vuln_dups");
		put_u(o, r->vulns ? r->vulns->duplicates : 0);
		omsec_out_putc(o, '\n');
		for (i = 0; i < r->vf->noverdue; i++) {
			const struct omsec_vuln *v = &r->vulns->v[r->vf->overdue[i]];
			omsec_out_str(o, "vuln_overdue");
			put_s(o, v->asset);
			put_s(o, v->id[0] ? v->id : v->cve);
			put_s(o, omsec_severity_name(v->sev));
			put_iso(o, v->found);
			put_u(o, (uint64_t)((r->end - v->found) / 86400000));
			put_s(o, v->name);
			omsec_out_putc(o, '\n');
		}
	}
	if (r->insp != NULL) {
		omsec_out_str(o, "insp");
		put_u(o, r->insp->planned);
		put_u(o, r->insp->planned_done);
		put_u(o, r->insp->done);
		put_u(o, r->insp->abnormal);
		put_u(o, r->insp->followed);
		omsec_out_putc(o, '\n');
		for (k = 0; k < r->insp->ntype; k++) {
			omsec_out_str(o, "insp_type");
			put_s(o, r->insp->type[k].type);
			put_u(o, r->insp->type[k].done);
			put_u(o, r->insp->type[k].abnormal);
			put_u(o, r->insp->type[k].followed);
			omsec_out_putc(o, '\n');
		}
	}
	if (r->assets != NULL) {
		unsigned crit[3] = { 0, 0, 0 };
		for (i = 0; i < r->assets->n; i++)
			crit[r->assets->v[i].crit]++;
		omsec_out_str(o, "assets");
		put_u(o, r->assets->n);
		for (k = 0; k < 3; k++)
			put_u(o, crit[k]);
		omsec_out_putc(o, '\n');
	}
	if (r->avail != NULL) {
		omsec_out_str(o, "avail_target");
		put_f(o, "%.4f", r->avail->target, 0);
		omsec_out_putc(o, '\n');
		for (i = 0; i < r->avail->n; i++) {
			const struct omsec_avail_row *a = &r->avail->v[i];
			omsec_out_str(o, "avail");
			put_s(o, a->service);
			put_u(o, a->outages);
			put_sec(o, a->down);
			put_f(o, "%.4f", a->pct, 0);
			put_f(o, "%.4f", r->avail->target, 0);
			put_s(o, a->met ? "met" : "missed");
			omsec_out_putc(o, '\n');
		}
	}
	if (r->work != NULL) {
		const struct omsec_workload *w = r->work;
		omsec_out_str(o, "work\ttickets");
		put_u(o, w->tickets);
		for (k = 0; k < OMSEC_PRIO_COUNT; k++) {
			omsec_out_str(o, "\nwork\ttickets_");
			omsec_out_str(o, omsec_priority_name(k));
			put_u(o, w->by_prio[k]);
		}
		for (k = 0; k < w->ncat; k++) {
			omsec_out_str(o, "\nwork_category");
			put_s(o, w->cat[k]);
			put_u(o, w->cat_n[k]);
		}
		omsec_out_str(o, "\nwork\tresolved");
		put_u(o, w->resolved);
		omsec_out_str(o, "\nwork\tinspections");
		put_u(o, w->inspections);
		omsec_out_str(o, "\nwork\tvulns_fixed");
		put_u(o, w->vulns_fixed);
		omsec_out_str(o, "\nwork\tvulns_verified");
		put_u(o, w->vulns_verified);
		omsec_out_str(o, "\nwork\tlog_lines");
		put_u(o, w->log_lines);
		omsec_out_str(o, "\nwork\tevents");
		put_u(o, w->events);
		omsec_out_putc(o, '\n');
	}
	for (k = 0; r->months != NULL && k < r->nmonths; k++)
		month_line(o, &r->months[k]);
	rows(o, r);
	return omsec_out_close(o);
}
