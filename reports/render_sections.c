/*
 * render_sections.c - the report's sections that combine several inputs:
 * executive summary with 环比/同比, problems and nonconformities, major
 * incidents with their timelines, month-by-month trends (quarterly and
 * annual reports), recommendations from explicit rules, and the appendix.
 *
 * Every figure is read from the report input (summaries, alerts, records)
 * and drawn through render.c's helpers; a section whose data is absent
 * says so in one line. Cost: linear in the alerts and records shown (at
 * most MAXROWS rows per table); no allocation.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render_int.h"

#define MAXROWS 60

static uint64_t
fails(const struct omsec_rpt_summary *s)
{
	uint64_t f = 0;
	int k;

	for (k = 0; k < s->ncat; k++)
		f += s->cat_outcome[k][1];
	return f;
}

/* "+12.3%", "−5.0%", flat, new or "—" (no base to compare with). */
static const char *
change(struct doc *d, char *b, size_t cap, int have, double cur,
    double base)
{
	if (!have)
		snprintf(b, cap, "—");
	else if (base == 0 && cur == 0)
		snprintf(b, cap, "%s", T(M_CHANGE_FLAT));
	else if (base == 0)
		snprintf(b, cap, "%s", T(M_CHANGE_NEW));
	else {
		double p = 100.0 * (cur - base) / base;
		if (fabs(p) < 0.05)
			snprintf(b, cap, "%s", T(M_CHANGE_FLAT));
		else
			snprintf(b, cap, "%s%.1f%%", p > 0 ? "+" : "−",
			    rd_round(fabs(p), 1));
	}
	return b;
}

static const char *
prev_word(const struct doc *d)
{
	const struct omsec_period *p = d->in->period;

	return p == NULL || p->kind == OMSEC_REPORT_MONTH ? T(M_PREV_MONTH) :
	    p->kind == OMSEC_REPORT_QUARTER ? T(M_PREV_QUARTER) : T(M_PREV_YEAR);
}

/* Alerts of a rule (prefix match when the name ends in '_'). */
static uint64_t
alerts_of(const struct omsec_rpt_alerts *al, const char *rule, size_t *nsrc,
    const struct omsec_config *cfg)
{
	uint64_t n = 0;
	size_t i, l = strlen(rule), ext = 0;

	if (al == NULL)
		return 0;
	for (i = 0; i < al->n; i++) {
		const struct omsec_rpt_alert *x = &al->v[i];
		if (rule[l - 1] == '_' ? strncmp(x->rule, rule, l) != 0 :
		    strcmp(x->rule, rule) != 0)
			continue;
		n++;
		if (strcmp(x->entity_type, "src_ip") == 0 &&
		    !rd_is_internal(cfg, x->entity))
			ext++;
	}
	if (nsrc)
		*nsrc = ext;
	return n;
}

/* ---- executive summary ------------------------------------------------ */

/* The record-based key figures (环比/同比 from the records of earlier
   periods): SLA, MTTA/MTTR, CSAT, vulnerabilities and inspections. */
enum { RF_TICKETS, RF_RESP, RF_RES, RF_MTTA, RF_MTTR, RF_CSAT, RF_VOPEN,
	RF_VOVERDUE, RF_INSP, RF_INSP_ABN, RF_N };
enum { KIND_COUNT, KIND_RATE, KIND_DUR };

struct rfig {
	int have;
	double v;
};

static void
rec_figures(struct rfig *f, const struct omsec_sla *sla,
    const struct omsec_satisfaction *sat, const struct omsec_vuln_figures *vf,
    const struct omsec_insp_figures *insp)
{
	memset(f, 0, RF_N * sizeof(*f));
	if (sla != NULL) {
		const struct omsec_sla_row *r = &sla->total;
		f[RF_TICKETS] = (struct rfig){ 1, r->tickets };
		f[RF_RESP].v = omsec_sla_pct(r->resp_met, r->resp_breach);
		f[RF_RESP].have = f[RF_RESP].v >= 0;
		f[RF_RES].v = omsec_sla_pct(r->res_met, r->res_breach);
		f[RF_RES].have = f[RF_RES].v >= 0;
		if (r->tta_n > 0)
			f[RF_MTTA] = (struct rfig){ 1,
			    (double)(r->tta_sum / r->tta_n) };
		if (r->ttr_n > 0)
			f[RF_MTTR] = (struct rfig){ 1,
			    (double)(r->ttr_sum / r->ttr_n) };
	}
	if (sat != NULL && sat->csat >= 0)
		f[RF_CSAT] = (struct rfig){ 1, sat->csat };
	if (vf != NULL) {
		f[RF_VOPEN] = (struct rfig){ 1, vf->total.open };
		f[RF_VOVERDUE] = (struct rfig){ 1, vf->total.overdue };
	}
	if (insp != NULL) {
		f[RF_INSP] = (struct rfig){ 1, insp->done };
		f[RF_INSP_ABN] = (struct rfig){ 1, insp->abnormal };
	}
}

static void
rec_figures_of(struct rfig *f, const struct omsec_records *r)
{
	if (r == NULL)
		memset(f, 0, RF_N * sizeof(*f));
	else
		rec_figures(f, r->sla, r->sat, r->vf, r->insp);
}

/* A change of a rate in percentage points, or "—". */
static const char *
change_pp(struct doc *d, char *b, size_t cap, int have, double cur,
    double base)
{
	if (!have)
		snprintf(b, cap, "—");
	else if (fabs(cur - base) < 0.05)
		snprintf(b, cap, "%s", T(M_CHANGE_FLAT));
	else
		TF(b, cap, M_CHANGE_PP, cur > base ? "+" : "−",
		    rd_round(fabs(cur - base), 1));
	return b;
}

static const char *
fig_value(struct doc *d, char *b, size_t cap, int kind, double v)
{
	if (kind == KIND_RATE)
		return rd_fmt_pct(b, cap, v);
	if (kind == KIND_DUR)
		return rd_fmt_dur(d, b, cap, (int64_t)v);
	return rd_fmt_u64(b, cap, (uint64_t)v);
}

/* Adds the record-based rows to the key figures; returns how many. */
static int
record_rows(struct doc *d, struct table *t)
{
	static const struct {
		int name, what, kind;
	} rows[RF_N] = {
		{ M_KF_TICKETS, M_KF_TICKETS_WHAT, KIND_COUNT },
		{ M_KF_RESP_PCT, M_KF_RESP_WHAT, KIND_RATE },
		{ M_KF_RES_PCT, M_KF_RES_WHAT, KIND_RATE },
		{ M_KF_MTTA, M_KF_MTTA_WHAT, KIND_DUR },
		{ M_KF_MTTR, M_KF_MTTR_WHAT, KIND_DUR },
		{ M_KF_CSAT, M_KF_CSAT_WHAT, KIND_RATE },
		{ M_KF_VOPEN, M_KF_VOPEN_WHAT, KIND_COUNT },
		{ M_KF_VOVERDUE, M_KF_VOVERDUE_WHAT, KIND_COUNT },
		{ M_KF_INSP, M_KF_INSP_WHAT, KIND_COUNT },
		{ M_KF_INSP_ABN, M_KF_INSP_ABN_WHAT, KIND_COUNT },
	};
	const struct omsec_report_input *in = d->in;
	const struct omsec_records *rec = in->records;
	struct rfig cur[RF_N], prev[RF_N], ago[RF_N];
	char a[48], b[48], c[48];
	int k, n = 0;

	rec_figures(cur, rec ? rec->sla : in->sla, rec ? rec->sat : in->sat,
	    rec ? rec->vf : NULL, rec ? rec->insp : NULL);
	rec_figures_of(prev, in->records_previous);
	rec_figures_of(ago, in->records_year_ago);
	for (k = 0; k < RF_N; k++) {
		const char *cells[5];
		if (!cur[k].have)
			continue;
		cells[0] = T(rows[k].name);
		cells[1] = fig_value(d, a, sizeof(a), rows[k].kind, cur[k].v);
		if (rows[k].kind == KIND_RATE) {
			cells[2] = change_pp(d, b, sizeof(b), prev[k].have,
			    cur[k].v, prev[k].v);
			cells[3] = change_pp(d, c, sizeof(c), ago[k].have,
			    cur[k].v, ago[k].v);
		} else {
			cells[2] = change(d, b, sizeof(b), prev[k].have,
			    cur[k].v, prev[k].v);
			cells[3] = change(d, c, sizeof(c), ago[k].have,
			    cur[k].v, ago[k].v);
		}
		cells[4] = T(rows[k].what);
		rd_table_row(d, t, cells);
		n++;
	}
	return n;
}

void
rd_sec_summary(struct doc *d)
{
	const struct omsec_report_input *in = d->in;
	const struct omsec_rpt_summary *s = in->summary, *pv = in->previous,
	    *ya = in->year_ago;
	static const struct tcol cols[] = {
		/* Wide enough for "+25.0 个百分点" on one line. */
		{ M_COL_INDICATOR, 0.28f, 0, 0 },
		{ M_COL_CURRENT, 0.14f, 1, 0 },
		{ M_COL_MOM, 0.15f, 1, 0 }, { M_COL_YOY, 0.15f, 1, 0 },
		{ M_COL_NOTE, 0.28f, 0, 0 },
	};
	struct table t;
	char text[TEXTMAX], part[512], a[32], b[32], c[32], e[32];
	int nrec;

	rd_section(d, T(M_SEC_SUMMARY));
	TF(text, sizeof(text), M_SUMMARY_INTRO,
	    in->cfg->customer[0] ? rd_customer(d) : T(M_DEFAULT_CUSTOMER),
	    d->period, rd_service(d), d->kind);
	if (s) {
		TF(part, sizeof(part), M_SUMMARY_EVENTS, rd_fmt_u64(a, sizeof(a),
		    rd_sum_lines(s, 0)), rd_fmt_u64(b, sizeof(b), s->events),
		    rd_fmt_u64(c, sizeof(c), fails(s)));
		strncat(text, part, sizeof(text) - strlen(text) - 1);
		if (pv && pv->events > 0) {
			TF(part, sizeof(part), M_SUMMARY_EVENTS_CHANGE, prev_word(d),
			    change(d, e, sizeof(e), 1, (double)s->events,
			    (double)pv->events));
			strncat(text, part, sizeof(text) - strlen(text) - 1);
		}
	}
	if (in->alerts) {
		const struct omsec_rpt_alerts *al = in->alerts;
		TF(part, sizeof(part), M_SUMMARY_ALERTS,
		    (unsigned long long)(al->level[0] + al->level[1] + al->level[2]),
		    (unsigned long long)al->level[0],
		    (unsigned long long)al->level[1],
		    (unsigned long long)al->level[2]);
		strncat(text, part, sizeof(text) - strlen(text) - 1);
	}
	if (in->sla) {
		const struct omsec_sla_row *r = &in->sla->total;
		TF(part, sizeof(part), M_SUMMARY_SLA, r->tickets, rd_fmt_pct(a, sizeof(a),
		    omsec_sla_pct(r->resp_met, r->resp_breach)),
		    rd_fmt_pct(b, sizeof(b), omsec_sla_pct(r->res_met,
		    r->res_breach)));
		strncat(text, part, sizeof(text) - strlen(text) - 1);
	}
	if (in->records && in->records->vf) {
		TF(part, sizeof(part), M_SUMMARY_VULNS, in->records->vf->total.found,
		    in->records->vf->total.fixed, in->records->vf->total.open,
		    in->records->vf->total.overdue);
		strncat(text, part, sizeof(text) - strlen(text) - 1);
	}
	if (in->sat) {
		TF(part, sizeof(part), M_SUMMARY_SAT, in->sat->respondents,
		    rd_fmt_pct(a, sizeof(a), in->sat->csat));
		strncat(text, part, sizeof(text) - strlen(text) - 1);
	}
	rd_para(d, text);

	rd_sub(d, 1, T(M_SUB_KEY_FIGURES));
	rd_table_begin(d, &t, cols, 5);
	if (s) {
		struct {
			const char *name, *what;
			uint64_t cur, prev, ago;
		} row[4] = {
			{ T(M_KF_EVENTS), T(M_KF_EVENTS_WHAT), s->events,
			    pv ? pv->events : 0, ya ? ya->events : 0 },
			{ T(M_KF_LINES), T(M_KF_LINES_WHAT), rd_sum_lines(s, 0),
			    pv ? rd_sum_lines(pv, 0) : 0,
			    ya ? rd_sum_lines(ya, 0) : 0 },
			{ T(M_KF_FAILS), T(M_KF_FAILS_WHAT), fails(s),
			    pv ? fails(pv) : 0, ya ? fails(ya) : 0 },
			{ T(M_KF_HIGH), T(M_KF_HIGH_WHAT), s->severity[3] +
			    s->severity[4], pv ? pv->severity[3] + pv->severity[4] :
			    0, ya ? ya->severity[3] + ya->severity[4] : 0 },
		};
		int k;
		for (k = 0; k < 4; k++) {
			const char *cells[5];
			cells[0] = row[k].name;
			cells[1] = rd_fmt_u64(a, sizeof(a), row[k].cur);
			cells[2] = change(d, b, sizeof(b), pv != NULL,
			    (double)row[k].cur, (double)row[k].prev);
			cells[3] = change(d, c, sizeof(c), ya != NULL,
			    (double)row[k].cur, (double)row[k].ago);
			cells[4] = row[k].what;
			rd_table_row(d, &t, cells);
		}
	}
	if (in->alerts) {
		const struct omsec_rpt_alerts *al = in->alerts;
		const char *cells[5] = { T(M_KF_ALERTS), part, "—",
		    "—", T(M_KF_ALERTS_WHAT) };
		snprintf(part, sizeof(part), "%llu / %llu / %llu",
		    (unsigned long long)al->level[0],
		    (unsigned long long)al->level[1],
		    (unsigned long long)al->level[2]);
		rd_table_row(d, &t, cells);
	}
	nrec = record_rows(d, &t);
	rd_table_end(d);
	TF(text, sizeof(text), M_KF_NOTE, prev_word(d));
	rd_note(d, text);
	if (nrec > 0 && in->records_previous == NULL &&
	    in->records_year_ago == NULL)
		rd_note(d, T(M_KF_NO_EARLIER));
}

/* ---- problems and nonconformities -------------------------------------- */

struct prob {
	struct table t;
	int rows, dropped;
};

static void
prob_row(struct doc *d, struct prob *p, const char *kind, const char *obj,
    const char *what, const char *action)
{
	const char *cells[4] = { kind, obj, what, action };

	if (p->rows >= MAXROWS) {
		p->dropped++;
		return;
	}
	rd_table_row(d, &p->t, cells);
	p->rows++;
}

void
rd_sec_problems(struct doc *d)
{
	const struct omsec_report_input *in = d->in;
	const struct omsec_records *rec = in->records;
	static const struct tcol cols[] = {
		{ M_COL_TYPE, 0.14f, 0, 0 }, { M_COL_ENTITY, 0.22f, 0, 0 },
		{ M_COL_PROBLEM, 0.36f, 0, 0 },
		{ M_COL_ACTION, 0.28f, 0, 0 },
	};
	struct prob p;
	char text[TEXTMAX], obj[256], what[512], act[256], x[48], y[48];
	size_t i, nsla = 0, nvul = 0, ninsp = 0, nsil = 0, navail = 0;
	int any_data = in->sla || (rec && (rec->vf || rec->inspections ||
	    rec->avail)) || in->summary;

	rd_section(d, T(M_SEC_PROBLEMS));
	if (!any_data) {
		rd_para(d, T(M_NO_PROBLEM_DATA));
		return;
	}
	if (in->sla)
		nsla = in->sla->nbreaches;
	if (rec && rec->vf)
		nvul = rec->vf->noverdue;
	if (rec && rec->inspections)
		for (i = 0; i < rec->inspections->n; i++) {
			const struct omsec_inspection *s = &rec->inspections->v[i];
			if (s->result == OMSEC_INSP_ABNORMAL && s->done >= in->start &&
			    s->done < in->end)
				ninsp++;
		}
	if (in->summary)
		for (i = 0; i < in->summary->nsrc; i++)
			if (in->summary->src[i].events == 0)
				nsil++;
	if (rec && rec->avail)
		for (i = 0; i < rec->avail->n; i++)
			if (!rec->avail->v[i].met)
				navail++;
	TF(text, sizeof(text), M_PROBLEMS_TEXT, nsla + nvul + ninsp + nsil + navail,
	    nsla, nvul, ninsp, nsil, navail,
	    in->sla ? "" : T(M_PROBLEMS_NO_SLA));
	rd_para(d, text);
	if (nsla + nvul + ninsp + nsil + navail == 0)
		return;
	memset(&p, 0, sizeof(p));
	rd_table_begin(d, &p.t, cols, 4);
	p.t.nrows = (int)(nsla + nvul + ninsp + nsil + navail < MAXROWS ?
	    nsla + nvul + ninsp + nsil + navail : MAXROWS);
	for (i = 0; i < nsla; i++) {
		const struct omsec_sla_breach *b = &in->sla->breaches[i];
		const struct omsec_ticket *tk = &in->tickets->v[b->ticket];
		TF(obj, sizeof(obj), M_PROB_TICKET, tk->id,
		    rd_prio(d, tk->prio));
		if (b->took < 0)
			snprintf(x, sizeof(x), "%s", T(M_NOT_DONE_AT_END));
		else
			rd_fmt_dur(d, x, sizeof(x), b->took);
		TF(what, sizeof(what), M_PROB_SLA_WHAT,
		    b->resolve ? T(M_RESOLUTION) : T(M_RESPONSE), x, rd_fmt_dur(d, y, sizeof(y),
		    b->target), tk->summary);
		snprintf(act, sizeof(act), "%s", tk->resolved >= 0 &&
		    tk->resolved < in->end ? T(M_PROB_SLA_DONE) :
		    T(M_PROB_SLA_OPEN));
		prob_row(d, &p, T(M_PROB_SLA), obj, what, act);
	}
	for (i = 0; i < nvul; i++) {
		const struct omsec_vuln *v = &rec->vulns->v[rec->vf->overdue[i]];
		int64_t age = v->found >= 0 ? (in->end - v->found) / 86400000 : -1;
		snprintf(obj, sizeof(obj), "%s", v->asset);
		TF(what, sizeof(what), M_PROB_VULN_WHAT,
		    rd_sev(d, v->sev), v->cve[0] ? v->cve : v->id,
		    (long long)age, v->name);
		prob_row(d, &p, T(M_PROB_VULN), obj, what,
		    T(M_PROB_VULN_ACTION));
	}
	if (rec && rec->inspections)
		for (i = 0; i < rec->inspections->n; i++) {
			const struct omsec_inspection *s = &rec->inspections->v[i];
			if (s->result != OMSEC_INSP_ABNORMAL || s->done < in->start ||
			    s->done >= in->end)
				continue;
			snprintf(obj, sizeof(obj), "%s", s->asset);
			snprintf(what, sizeof(what), "%s%s%s", s->item,
			    s->note[0] ? T(M_COLON) : "", s->note);
			if (s->ticket[0])
				TF(act, sizeof(act), M_PROB_INSP_TICKET, s->ticket);
			else
				snprintf(act, sizeof(act), "%s", T(M_PROB_INSP_NO_TICKET));
			prob_row(d, &p, T(M_PROB_INSP), obj, what, act);
		}
	if (in->summary)
		for (i = 0; i < in->summary->nsrc; i++) {
			const struct omsec_rpt_source *s = &in->summary->src[i];
			if (s->events != 0)
				continue;
			TF(what, sizeof(what), M_PROB_SILENT_WHAT,
			    (unsigned long long)s->lines, s->lines == 0 ?
			    T(M_PROB_SILENT_QUIET) : T(M_PROB_SILENT_UNPARSED));
			prob_row(d, &p, T(M_PROB_SILENT), s->path, what,
			    T(M_PROB_SILENT_ACTION));
		}
	if (rec && rec->avail)
		for (i = 0; i < rec->avail->n; i++) {
			const struct omsec_avail_row *r = &rec->avail->v[i];
			if (r->met)
				continue;
			TF(what, sizeof(what), M_PROB_AVAIL_WHAT, r->pct, rec->avail->target,
			    r->outages, rd_fmt_dur(d, x, sizeof(x), r->down));
			prob_row(d, &p, T(M_PROB_AVAIL), r->service, what,
			    T(M_PROB_AVAIL_ACTION));
		}
	rd_table_end(d);
	if (p.dropped > 0) {
		TF(text, sizeof(text), M_PROB_MORE,
		    MAXROWS, p.dropped);
		rd_note(d, text);
	}
}

/* ---- major incidents ----------------------------------------------------- */

/* The ticket whose alerts column names id, or NULL. */
static const struct omsec_ticket *
linked_ticket(const struct omsec_tickets *t, const char *id)
{
	size_t i, l = strlen(id);

	if (t == NULL || l == 0)
		return NULL;
	for (i = 0; i < t->n; i++) {
		const char *p = t->v[i].links;
		while ((p = strstr(p, id)) != NULL) {
			char after = p[l];
			int start = p == t->v[i].links || strchr(" ,;，；",
			    p[-1]) != NULL || (unsigned char)p[-1] >= 0x80;
			if (start && (after == '\0' || strchr(" ,;", after) ||
			    (unsigned char)after >= 0x80))
				return &t->v[i];
			p += l;
		}
	}
	return NULL;
}

/*
 * Copies s into b, cut from the left with a leading "…" until it fits
 * width at SZ_TABLE: a long path keeps its file name. Returns b.
 */
static const char *
elide_left(struct doc *d, char *b, size_t cap, const char *s, float width)
{
	char tmp[512];
	const char *p;

	rd_clean(d, tmp, sizeof(tmp), s);
	p = tmp;
	snprintf(b, cap, "%s", p);
	while (*p != '\0' && rd_swidth(d, b, SZ_TABLE) > width) {
		p += rd_u8len((unsigned char)*p);
		snprintf(b, cap, "…%s", p);
	}
	return b;
}

/*
 * The alert's evidence: its refs ("path:line,...", %2C a comma in a path)
 * as a table of files with their line numbers, consecutive refs of one
 * file on one row. The refs come from a file: every cell is drawn through
 * rd_clean, a long path is elided at the left, lines wrap in their cell.
 */
/* One row of the evidence table: drawn, or (measure) its height added. */
static void
evidence_row(struct doc *d, struct table *t, const struct tcol *cols,
    const char *const *cells, int measure, int *nrows, float *h)
{
	if (measure) {
		*h += rd_table_row_height(d, t, cells);
		++*nrows;
		return;
	}
	if ((*nrows)++ == 0)
		rd_table_begin(d, t, cols, 2);
	rd_table_row(d, t, cells);
}

/* Draws the evidence, or (measure) returns the height it takes. */
static float
evidence(struct doc *d, const struct omsec_rpt_alert *x, int measure)
{
	static const struct tcol cols[] = {
		{ M_COL_EVID_FILE, 0.55f, 0, 0 },
		{ M_COL_EVID_LINES, 0.45f, 0, 0 },
	};
	struct table t;
	char path[512], cur[512], lines[TEXTMAX], cell[512];
	const char *p = x->refs;
	int nrows = 0;
	float h;

	if (x->refs[0] == '\0') {
		if (measure)
			return rd_para_height(d, T(M_EVID_NONE), SZ_TABLE, 0);
		rd_note(d, T(M_EVID_NONE));
		return 0;
	}
	h = rd_para_height(d, T(M_EVID_TEXT), SZ_TABLE, 0);
	if (measure) {
		/* The columns the table will have, to wrap the rows. */
		rd_table_layout(d, &t, cols, 2);
		h += rd_table_header_height(d, &t) + 14;
	} else {
		/* The caption stays with the table's header and first row. */
		rd_need(d, 90);
		rd_note(d, T(M_EVID_TEXT));
	}
	cur[0] = lines[0] = '\0';
	while (*p != '\0') {
		const char *e = strchr(p, ','), *colon = NULL, *q;
		size_t n = e ? (size_t)(e - p) : strlen(p), o = 0;

		for (q = p; q < p + n; q++)
			if (*q == ':')
				colon = q;
		/* path (decoded) and line */
		for (q = p; q < (colon ? colon : p + n) && o + 1 < sizeof(path);
		    q++) {
			if (q + 2 < p + n && q[0] == '%' && q[1] == '2' &&
			    (q[2] == 'C' || q[2] == 'c')) {
				path[o++] = ',';
				q += 2;
			} else
				path[o++] = *q;
		}
		path[o] = '\0';
		if (strcmp(path, cur) != 0 && cur[0] != '\0') {
			const char *cells[2];
			/* The width of the file column is known before the
			   table begins: it is a fixed share of the text. */
			cells[0] = elide_left(d, cell, sizeof(cell), cur,
			    cols[0].frac * CW - 8);
			cells[1] = lines;
			evidence_row(d, &t, cols, cells, measure, &nrows, &h);
			lines[0] = '\0';
		}
		snprintf(cur, sizeof(cur), "%s", path);
		if (colon != NULL) {
			size_t l = strlen(lines);
			snprintf(lines + l, sizeof(lines) - l, "%s%.*s",
			    l ? ", " : "", (int)(p + n - colon - 1), colon + 1);
		}
		p += n;
		if (*p == ',')
			p++;
	}
	if (cur[0] != '\0') {
		const char *cells[2];
		cells[0] = elide_left(d, cell, sizeof(cell), cur,
		    cols[0].frac * CW - 8);
		cells[1] = lines[0] ? lines : "—";
		evidence_row(d, &t, cols, cells, measure, &nrows, &h);
	}
	if (nrows > 0 && !measure)
		rd_table_end(d);
	return h;
}

void
rd_sec_incidents(struct doc *d)
{
	const struct omsec_report_input *in = d->in;
	const struct omsec_rpt_alerts *al = in->alerts;
	static const struct tcol cols[] = {
		{ M_COL_ALERT_ID, 0.29f, 0, 0 }, { M_COL_RULE, 0.17f, 0, 0 },
		{ M_COL_ENTITY, 0.18f, 0, 0 }, { M_COL_FIRST, 0.12f, 2, 0 },
		{ M_COL_COUNT, 0.07f, 1, 0 },
		{ M_COL_LINKED_TICKET, 0.17f, 0, 0 },
	};
	static const struct tcol tcols[] = {
		{ M_COL_PHASE, 0.14f, 0, 0 }, { M_COL_TIME, 0.18f, 2, 0 },
		{ M_COL_NOTE, 0.68f, 0, 0 },
	};
	struct table t;
	char text[TEXTMAX], a[48], b[48];
	size_t i, nurg = 0, shown = 0;

	rd_section(d, T(M_SEC_INCIDENTS));
	if (al == NULL) {
		rd_para(d, T(M_NO_ALERTS_INCIDENTS));
		return;
	}
	for (i = 0; i < al->n; i++)
		if (al->v[i].level == OMSEC_LEVEL_URGENT)
			nurg++;
	if (nurg == 0) {
		rd_para(d, T(M_NO_URGENT));
		return;
	}
	TF(text, sizeof(text), M_INCIDENTS_TEXT, nurg, in->cfg->timezone);
	rd_para(d, text);
	rd_sub(d, 1, T(M_SUB_URGENT_LIST));
	rd_table_begin(d, &t, cols, 6);
	t.nrows = (int)(nurg < 30 ? nurg : 30);
	for (i = 0; i < al->n && shown < 30; i++) {
		const struct omsec_rpt_alert *x = &al->v[i];
		const struct omsec_ticket *tk;
		const char *cells[6];
		if (x->level != OMSEC_LEVEL_URGENT)
			continue;
		tk = linked_ticket(in->tickets, x->id);
		cells[0] = x->id[0] ? x->id : "—";
		cells[1] = rd_rule(d, x->rule);
		cells[2] = x->entity;
		cells[3] = rd_fmt_local(d, a, sizeof(a), x->first);
		cells[4] = rd_fmt_u64(b, sizeof(b), x->count);
		cells[5] = tk ? tk->id : T(M_NOT_LINKED);
		rd_table_row(d, &t, cells);
		shown++;
	}
	rd_table_end(d);
	if (nurg > shown) {
		TF(text, sizeof(text), M_ALERTS_MORE, shown, rd_fmt_u64(a,
		    sizeof(a), nurg - shown));
		rd_note(d, text);
	}
	for (i = 0, shown = 0; i < al->n && shown < 10; i++) {
		const struct omsec_rpt_alert *x = &al->v[i];
		const struct omsec_ticket *tk;
		char title[256], when[5][48], what[5][512];
		int ph[5] = { M_PH_DETECT, M_PH_CONFIRM, M_PH_RESPOND,
		    M_PH_RECOVER, M_PH_REVIEW };
		int k, nph;
		float h;
		if (x->level != OMSEC_LEVEL_URGENT)
			continue;
		shown++;
		tk = linked_ticket(in->tickets, x->id);
		TF(title, sizeof(title), M_TITLE_COLON, rd_rule(d, x->rule),
		    x->entity);
		rd_fmt_local(d, when[0], sizeof(when[0]), x->first);
		TF(what[0], sizeof(what[0]), M_TL_DETECT_WHAT, rd_fmt_local(d, a, sizeof(a), x->last),
		    (unsigned long long)x->count,
		    omsec_msg_entity_type(x->entity_type, d->en));
		if (tk == NULL) {
			/* Unlinked: detect, then one row for the rest. */
			TF(what[1], sizeof(what[1]), M_TL_UNLINKED,
			    x->id[0] ? x->id : T(M_THIS_ALERT));
			snprintf(when[1], sizeof(when[1]), "—");
			ph[1] = M_PH_CONFIRM_REVIEW;
			nph = 2;
		} else {
			const int64_t tt[4] = { tk->opened, tk->acked, tk->resolved,
			    tk->closed };
			static const int lbl[4] = { M_TL_OPENED, M_TL_ACKED,
			    M_TL_RESOLVED, M_TL_CLOSED };
			for (k = 1; k < 5; k++) {
				int64_t v = tt[k - 1];
				if (v < 0 || v >= in->end) {
					snprintf(when[k], sizeof(when[k]), "—");
					TF(what[k], sizeof(what[k]), M_TL_NOT_DONE,
					    T(lbl[k - 1]));
				} else {
					rd_fmt_local(d, when[k], sizeof(when[k]), v);
					if (k >= 2 && tk->opened >= 0)
						TF(what[k], sizeof(what[k]),
						    M_TL_STEP_AFTER, T(lbl[k - 1]),
						    tk->id, rd_fmt_dur(d, b, sizeof(b),
						    v - tk->opened));
					else
						TF(what[k], sizeof(what[k]),
						    M_TL_STEP_FIRST, T(lbl[k - 1]), tk->id,
						    tk->summary);
				}
			}
			ph[1] = M_PH_CONFIRM;
			nph = 5;
		}
		/* An incident's heading, timeline and evidence together on
		   one page when they fit: measured as they will be drawn. */
		rd_table_layout(d, &t, tcols, 3);
		h = rd_table_header_height(d, &t) + 14 + evidence(d, x, 1);
		for (k = 0; k < nph; k++) {
			const char *cells[3] = { T(ph[k]), when[k], what[k] };
			h += rd_table_row_height(d, &t, cells);
		}
		rd_sub_keep(d, (int)shown + 1, title, h);
		rd_table_begin(d, &t, tcols, 3);
		for (k = 0; k < nph; k++) {
			const char *cells[3] = { T(ph[k]), when[k], what[k] };
			rd_table_row(d, &t, cells);
		}
		rd_table_end(d);
		evidence(d, x, 0);
	}
	if (nurg > shown) {
		TF(text, sizeof(text), M_INCIDENTS_MORE, shown);
		rd_note(d, text);
	}
}

/* ---- trends (quarterly and annual) --------------------------------------- */

void
rd_sec_trends(struct doc *d)
{
	const struct omsec_report_input *in = d->in;
	const struct omsec_period *per = in->period;
	const struct omsec_rpt_summary *s = in->summary;
	static const struct tcol cols[] = {
		{ M_COL_MONTH, 0.10f, 2, 0.10f },
		{ M_COL_LOG_LINES, 0.11f, 1, 0.11f },
		{ M_COL_SEC_EVENTS, 0.12f, 1, 0.10f },
		{ M_COL_ALERTS, 0.07f, 1, 0.08f },
		{ M_COL_TICKETS_SHORT, 0.07f, 1, 0.09f },
		{ M_COL_RESP_MET, 0.10f, 1, 0.11f },
		{ M_COL_RES_MET, 0.10f, 1, 0.11f },
		{ M_COL_VULN_FOUND_FIXED, 0.14f, 1, 0.11f },
		{ M_COL_INSP_ABNORMAL, 0.10f, 1, 0 },
		{ M_COL_CSAT, 0.09f, 1, 0 },
	};
	char lab[OMSEC_RPT_MAXMONTHS][16];
	const char *lp[OMSEC_RPT_MAXMONTHS];
	uint64_t alerts[OMSEC_RPT_MAXMONTHS], tickets[OMSEC_RPT_MAXMONTHS];
	uint64_t vfound[OMSEC_RPT_MAXMONTHS], catv[6][OMSEC_RPT_MAXMONTHS];
	struct series sr[6];
	struct table t;
	int n, i, k, ns;

	if (per == NULL || per->nmonths < 2 || in->months == NULL)
		return;
	n = per->nmonths;
	rd_section(d, T(M_SEC_TRENDS));
	rd_para(d, T(M_TRENDS_TEXT));
	memset(alerts, 0, sizeof(alerts));
	for (i = 0; i < n; i++) {
		snprintf(lab[i], sizeof(lab[i]), "%s",
		    T(M_MON_1 + in->months[i].month - 1));
		lp[i] = lab[i];
		tickets[i] = in->months[i].have_sla ? in->months[i].sla.tickets : 0;
		vfound[i] = in->months[i].have_vuln ? in->months[i].vfound : 0;
	}
	if (in->alerts)
		for (size_t j = 0; j < in->alerts->n; j++)
			for (i = 0; i < n; i++)
				if (in->alerts->v[j].first >= in->months[i].start &&
				    in->alerts->v[j].first < in->months[i].end)
					alerts[i]++;

	rd_sub_keep(d, 1, T(M_SUB_TREND_CATS), CHART_BARS_H);
	if (s == NULL) {
		rd_para(d, T(M_NO_SUMMARY));
	} else {
		/* The five largest categories, the rest as 其他. */
		int order[OMSEC_RPT_MAXCAT];
		uint64_t tot[OMSEC_RPT_MAXCAT];
		for (k = 0; k < s->ncat; k++) {
			order[k] = k;
			tot[k] = 0;
			for (i = 0; i < n; i++)
				tot[k] += s->month_cat[i][k];
		}
		for (k = 1; k < s->ncat; k++) {
			int x = order[k], j = k;
			while (j > 0 && tot[order[j - 1]] < tot[x]) {
				order[j] = order[j - 1];
				j--;
			}
			order[j] = x;
		}
		ns = s->ncat < 6 ? s->ncat : 6;
		memset(catv, 0, sizeof(catv));
		for (k = 0; k < s->ncat; k++) {
			int slot = k < 5 || s->ncat == 6 ? k : 5;
			for (i = 0; i < n; i++)
				catv[slot][i] += s->month_cat[i][order[k]];
		}
		for (k = 0; k < ns; k++) {
			sr[k].name = k == 5 && s->ncat > 6 ? T(M_OTHER) :
			    rd_cat(d, s->cat[order[k]]);
			sr[k].v = catv[k];
		}
		rd_stacked_bars(d, lp, n, sr, ns, T(M_AXIS_EVENTS));
	}

	rd_sub_keep(d, 2, T(M_SUB_TREND_WORK), CHART_LINE_H);
	ns = 0;
	if (in->alerts) {
		sr[ns].name = T(M_SERIES_ALERTS);
		sr[ns++].v = alerts;
	}
	if (in->tickets) {
		sr[ns].name = T(M_SERIES_TICKETS);
		sr[ns++].v = tickets;
	}
	if (in->records && in->records->vulns) {
		sr[ns].name = T(M_SERIES_VULNS);
		sr[ns++].v = vfound;
	}
	if (ns == 0)
		rd_para(d, T(M_NO_TREND_WORK));
	else
		rd_line_chart(d, lp, n, sr, ns, T(M_AXIS_COUNT));

	/* The heading, the month rows and the note below on one page. */
	rd_need(d, TABLE_H(n) + 80);
	rd_sub(d, 3, T(M_SUB_TREND_TABLE));
	rd_table_begin(d, &t, cols, 10);
	for (i = 0; i < n; i++) {
		const struct omsec_report_month *m = &in->months[i];
		char c[10][32];
		const char *cells[10];
		snprintf(c[0], sizeof(c[0]), "%d-%02d", m->year, m->month);
		if (m->summary)
			rd_fmt_u64(c[1], sizeof(c[1]), rd_sum_lines(m->summary, 0));
		else
			snprintf(c[1], sizeof(c[1]), "—");
		if (s)
			rd_fmt_u64(c[2], sizeof(c[2]), s->month[i]);
		else
			snprintf(c[2], sizeof(c[2]), "—");
		if (in->alerts)
			rd_fmt_u64(c[3], sizeof(c[3]), alerts[i]);
		else
			snprintf(c[3], sizeof(c[3]), "—");
		if (m->have_sla) {
			snprintf(c[4], sizeof(c[4]), "%u", m->sla.tickets);
			rd_fmt_pct(c[5], sizeof(c[5]), omsec_sla_pct(m->sla.resp_met,
			    m->sla.resp_breach));
			rd_fmt_pct(c[6], sizeof(c[6]), omsec_sla_pct(m->sla.res_met,
			    m->sla.res_breach));
		} else
			for (k = 4; k <= 6; k++)
				snprintf(c[k], sizeof(c[k]), "—");
		if (m->have_vuln)
			snprintf(c[7], sizeof(c[7]), "%u / %u", m->vfound, m->vfixed);
		else
			snprintf(c[7], sizeof(c[7]), "—");
		if (m->have_insp)
			snprintf(c[8], sizeof(c[8]), "%u / %u", m->insp_done,
			    m->insp_abnormal);
		else
			snprintf(c[8], sizeof(c[8]), "—");
		if (m->have_sat)
			rd_fmt_pct(c[9], sizeof(c[9]), m->csat);
		else
			snprintf(c[9], sizeof(c[9]), "—");
		for (k = 0; k < 10; k++)
			cells[k] = c[k];
		rd_table_row(d, &t, cells);
	}
	rd_table_end(d);
	rd_note(d, T(M_TREND_NOTE));
}

/* ---- recommendations ------------------------------------------------------ */

struct rec {
	struct table t;
	int n;
};

static void
recommend(struct doc *d, struct rec *r, const char *why, const char *what,
    const char *prio)
{
	char num[16];	/* an int in decimal */
	const char *cells[4];

	if (r->n == 0) {
		static const struct tcol cols[] = {
			{ M_COL_NO, 0.07f, 2, 0 },
			{ M_COL_FINDING, 0.40f, 0, 0 },
			{ M_COL_RECOMMENDATION, 0.43f, 0, 0 },
			{ M_COL_PRIO, 0.10f, 2, 0 },
		};
		rd_table_begin(d, &r->t, cols, 4);
	}
	snprintf(num, sizeof(num), "%d", ++r->n);
	cells[0] = num;
	cells[1] = why;
	cells[2] = what;
	cells[3] = prio;
	rd_table_row(d, &r->t, cells);
}

void
rd_sec_recommend(struct doc *d)
{
	const struct omsec_report_input *in = d->in;
	const struct omsec_records *rec = in->records;
	const struct omsec_config *cfg = in->cfg;
	struct rec r;
	char why[512];
	uint64_t n;
	size_t ext, i;

	rd_section(d, T(M_SEC_RECOMMEND));
	rd_para(d, T(M_RECOMMEND_TEXT));
	memset(&r, 0, sizeof(r));
	if ((n = alerts_of(in->alerts, "ssh_bruteforce", &ext, cfg)) > 0) {
		TF(why, sizeof(why), M_REC_SSH_WHY, (unsigned long long)n, ext);
		recommend(d, &r, why, T(M_REC_SSH_WHAT), T(M_REC_HIGH));
	}
	if ((n = alerts_of(in->alerts, "ssh_success_after_failures", NULL,
	    cfg)) > 0) {
		TF(why, sizeof(why), M_REC_SAF_WHY, (unsigned long long)n);
		recommend(d, &r, why, T(M_REC_SAF_WHAT), T(M_REC_HIGH));
	}
	if ((n = alerts_of(in->alerts, "ssh_password_spray", NULL, cfg)) > 0) {
		TF(why, sizeof(why), M_REC_SPRAY_WHY,
		    (unsigned long long)n);
		recommend(d, &r, why, T(M_REC_SPRAY_WHAT), T(M_REC_MEDIUM));
	}
	if ((n = alerts_of(in->alerts, "web_", NULL, cfg)) > 0) {
		TF(why, sizeof(why), M_REC_WEB_WHY, (unsigned long long)n);
		recommend(d, &r, why, T(M_REC_WEB_WHAT), T(M_REC_MEDIUM));
	}
	if ((n = alerts_of(in->alerts, "port_scan", NULL, cfg) +
	    alerts_of(in->alerts, "host_scan", NULL, cfg) +
	    alerts_of(in->alerts, "net_port_scan", NULL, cfg) +
	    alerts_of(in->alerts, "net_host_scan", NULL, cfg)) > 0) {
		TF(why, sizeof(why), M_REC_SCAN_WHY,
		    (unsigned long long)n);
		recommend(d, &r, why, T(M_REC_SCAN_WHAT), T(M_REC_MEDIUM));
	}
	if ((n = alerts_of(in->alerts, "db_", NULL, cfg)) > 0) {
		TF(why, sizeof(why), M_REC_DB_WHY,
		    (unsigned long long)n);
		recommend(d, &r, why, T(M_REC_DB_WHAT), T(M_REC_MEDIUM));
	}
	if ((n = alerts_of(in->alerts, "sudo", NULL, cfg) +
	    alerts_of(in->alerts, "privileged_activity", NULL, cfg) +
	    alerts_of(in->alerts, "user_created", NULL, cfg) +
	    alerts_of(in->alerts, "group_change", NULL, cfg)) > 0) {
		TF(why, sizeof(why), M_REC_PRIV_WHY,
		    (unsigned long long)n);
		recommend(d, &r, why, T(M_REC_PRIV_WHAT),
		    T(M_REC_MEDIUM));
	}
	if (in->sla && in->sla->nbreaches > 0) {
		TF(why, sizeof(why), M_REC_SLA_WHY,
		    in->sla->nbreaches);
		recommend(d, &r, why, T(M_REC_SLA_WHAT), T(M_REC_HIGH));
	}
	if (rec && rec->vf && rec->vf->total.overdue > 0) {
		TF(why, sizeof(why), M_REC_VULN_WHY,
		    rec->vf->total.overdue);
		recommend(d, &r, why, T(M_REC_VULN_WHAT), T(M_REC_HIGH));
	}
	if (rec && rec->insp && rec->insp->abnormal > rec->insp->followed) {
		TF(why, sizeof(why), M_REC_INSP_WHY,
		    rec->insp->abnormal, rec->insp->abnormal - rec->insp->followed);
		recommend(d, &r, why, T(M_REC_INSP_WHAT), T(M_REC_MEDIUM));
	}
	if (in->summary) {
		size_t sil = 0;
		uint64_t l = rd_sum_lines(in->summary, 0),
		    rj = rd_sum_lines(in->summary, 2);
		for (i = 0; i < in->summary->nsrc; i++)
			if (in->summary->src[i].events == 0)
				sil++;
		if (sil > 0) {
			TF(why, sizeof(why), M_REC_SILENT_WHY, sil);
			recommend(d, &r, why, T(M_REC_SILENT_WHAT), T(M_REC_MEDIUM));
		}
		if (l > 0 && (double)rj / (double)l > 0.01) {
			TF(why, sizeof(why), M_REC_PARSE_WHY,
			    floor(1000.0 * (double)(l - rj) / (double)l) / 10,
			    (unsigned long long)rj);
			recommend(d, &r, why, T(M_REC_PARSE_WHAT), T(M_REC_LOW));
		}
	}
	if (in->sat && in->sat->respondents > 0) {
		int k, lo = -1;
		for (k = 0; k < OMSEC_SURVEY_DIMS - 1; k++)
			if (in->sat->mean[k] >= 0 && (lo < 0 ||
			    in->sat->mean[k] < in->sat->mean[lo]))
				lo = k;
		if (lo >= 0 && in->sat->mean[lo] < 4.0) {
			TF(why, sizeof(why), M_REC_SAT_WHY, rd_dim(d, lo),
			    rd_round(in->sat->mean[lo], 2));
			recommend(d, &r, why, T(M_REC_SAT_WHAT), T(M_REC_MEDIUM));
		}
	}
	if (r.n == 0)
		rd_para(d, T(M_NO_RECOMMEND));
	else
		rd_table_end(d);
}

/* ---- appendix --------------------------------------------------------------- */

void
rd_sec_appendix(struct doc *d)
{
	const struct omsec_report_input *in = d->in;
	const struct omsec_records *rec = in->records;
	static const struct tcol cols[] = {
		{ M_COL_DATA, 0.30f, 0, 0 }, { M_COL_STATUS, 0.16f, 2, 0 },
		{ M_COL_RECORDS, 0.18f, 1, 0 },
		{ M_COL_NOTE, 0.36f, 0, 0 },
	};
	static const struct tcol gcols[] = {
		{ M_COL_TERM, 0.22f, 0, 0 }, { M_COL_MEANING, 0.78f, 0, 0 },
	};
	static const int gloss[][2] = {
		{ M_GL_SLA_TERM, M_GL_SLA },
		{ M_GL_MTTA_TERM, M_GL_MTTA },
		{ M_GL_P90_TERM, M_GL_P90 },
		{ M_GL_CSAT_TERM, M_GL_CSAT },
		{ M_GL_NPS_TERM, M_GL_NPS },
		{ M_GL_CVSS_TERM, M_GL_CVSS },
		{ M_GL_MOM_TERM, M_GL_MOM },
		{ M_GL_TIAOXIU_TERM, M_GL_TIAOXIU },
		{ M_GL_LEVELS_TERM, M_GL_LEVELS },
		{ M_GL_SILENT_TERM, M_GL_SILENT },
	};
	struct table t;
	char n[8][32];
	size_t i;
	float h;

	rd_section(d, T(M_SEC_APPENDIX));
	rd_sub(d, 1, T(M_SUB_DATA_SOURCES));
	rd_table_begin(d, &t, cols, 4);
#define DROW(name, have, cnt, what) do { const char *c_[4] = { (name), \
	(have) ? T(M_PROVIDED) : T(M_NOT_PROVIDED), (have) ? (cnt) : "—", (what) }; \
	rd_table_row(d, &t, c_); } while (0)
	rd_fmt_u64(n[0], sizeof(n[0]), in->summary ? in->summary->events : 0);
	DROW(T(M_DS_SUMMARY), in->summary != NULL, n[0],
	    T(M_DS_SUMMARY_WHAT));
	rd_fmt_u64(n[1], sizeof(n[1]), in->alerts ? in->alerts->level[0] +
	    in->alerts->level[1] + in->alerts->level[2] : 0);
	DROW(T(M_DS_ALERTS), in->alerts != NULL, n[1], T(M_DS_ALERTS_WHAT));
	snprintf(n[2], sizeof(n[2]), "%zu", in->tickets ? in->tickets->n : 0);
	DROW(T(M_DS_TICKETS), in->tickets != NULL, n[2], T(M_DS_TICKETS_WHAT));
	snprintf(n[3], sizeof(n[3]), "%zu", in->survey ? in->survey->n : 0);
	DROW(T(M_DS_SURVEY), in->survey != NULL, n[3], T(M_DS_SURVEY_WHAT));
	snprintf(n[4], sizeof(n[4]), "%zu", rec && rec->vulns ? rec->vulns->n : 0);
	DROW(T(M_DS_VULNS), rec && rec->vulns, n[4], T(M_DS_VULNS_WHAT));
	snprintf(n[5], sizeof(n[5]), "%zu", rec && rec->inspections ?
	    rec->inspections->n : 0);
	DROW(T(M_DS_INSP), rec && rec->inspections, n[5], T(M_DS_INSP_WHAT));
	snprintf(n[6], sizeof(n[6]), "%zu", rec && rec->assets ? rec->assets->n : 0);
	DROW(T(M_DS_ASSETS), rec && rec->assets, n[6], T(M_DS_ASSETS_WHAT));
	snprintf(n[7], sizeof(n[7]), "%zu", rec && rec->avail ? rec->avail->n : 0);
	DROW(T(M_DS_OUTAGES), rec && rec->avail, n[7], T(M_DS_OUTAGES_WHAT));
#undef DROW
	rd_table_end(d);
	if (in->months) {
		int k, have = 0;
		for (k = 0; k < in->period->nmonths; k++)
			have += in->months[k].summary != NULL;
		snprintf(n[0], sizeof(n[0]), "%d/%d", have, in->period->nmonths);
		{
			char text[256];
			TF(text, sizeof(text), M_DS_MONTHS, n[0], in->previous ? T(M_DS_PREVIOUS) : "",
			    in->year_ago ? T(M_DS_YEAR_AGO) : "");
			rd_para(d, text);
		}
	}
	rd_sec_coverage(d, 2);
	rd_sub(d, 3, T(M_SUB_METHODS));
	rd_para(d, T(M_METHODS_TEXT));
	/* The glossary is short: on one page with its heading. */
	rd_table_layout(d, &t, gcols, 2);
	h = rd_table_header_height(d, &t) + 14;
	for (i = 0; i < sizeof(gloss) / sizeof(gloss[0]); i++) {
		const char *cells[2] = { T(gloss[i][0]), T(gloss[i][1]) };
		h += rd_table_row_height(d, &t, cells);
	}
	rd_sub_keep(d, 4, T(M_SUB_GLOSSARY), h);
	rd_table_begin(d, &t, gcols, 2);
	for (i = 0; i < sizeof(gloss) / sizeof(gloss[0]); i++) {
		const char *cells[2] = { T(gloss[i][0]), T(gloss[i][1]) };
		rd_table_row(d, &t, cells);
	}
	rd_table_end(d);
}
