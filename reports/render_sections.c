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

/* "+12.3%", "−5.0%", "持平", "新增" or "—" (no base to compare with). */
static const char *
change(char *b, size_t cap, int have, double cur, double base)
{
	if (!have)
		snprintf(b, cap, "—");
	else if (base == 0 && cur == 0)
		snprintf(b, cap, "持平");
	else if (base == 0)
		snprintf(b, cap, "新增");
	else {
		double p = 100.0 * (cur - base) / base;
		if (fabs(p) < 0.05)
			snprintf(b, cap, "持平");
		else
			snprintf(b, cap, "%s%.1f%%", p > 0 ? "+" : "−", fabs(p));
	}
	return b;
}

static const char *
prev_word(const struct doc *d)
{
	const struct omsec_period *p = d->in->period;

	return p == NULL || p->kind == OMSEC_REPORT_MONTH ? "上月" :
	    p->kind == OMSEC_REPORT_QUARTER ? "上季度" : "上年度";
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

void
rd_sec_summary(struct doc *d)
{
	const struct omsec_report_input *in = d->in;
	const struct omsec_rpt_summary *s = in->summary, *pv = in->previous,
	    *ya = in->year_ago;
	static const struct tcol cols[] = {
		{ "指标", 0.28f, 0 }, { "本期", 0.16f, 1 }, { "环比", 0.13f, 1 },
		{ "同比", 0.13f, 1 }, { "说明", 0.30f, 0 },
	};
	struct table t;
	char text[TEXTMAX], part[512], a[32], b[32], c[32], e[32];

	rd_section(d, "执行摘要");
	snprintf(text, sizeof(text), "本报告为%s%s的%s%s，汇总本期安全事件监测、"
	    "告警处置、服务级别达成、漏洞与巡检工作及客户满意度情况。",
	    in->cfg->customer[0] ? in->cfg->customer : "客户", d->period,
	    in->cfg->service, d->kind);
	if (s) {
		snprintf(part, sizeof(part), "本期共采集日志 %s 行，识别安全事件 %s 条，"
		    "其中失败类事件 %s 条。", rd_fmt_u64(a, sizeof(a),
		    rd_sum_lines(s, 0)), rd_fmt_u64(b, sizeof(b), s->events),
		    rd_fmt_u64(c, sizeof(c), fails(s)));
		strncat(text, part, sizeof(text) - strlen(text) - 1);
		if (pv && pv->events > 0) {
			snprintf(part, sizeof(part), "安全事件较%s%s。", prev_word(d),
			    change(e, sizeof(e), 1, (double)s->events,
			    (double)pv->events));
			strncat(text, part, sizeof(text) - strlen(text) - 1);
		}
	}
	if (in->alerts) {
		const struct omsec_rpt_alerts *al = in->alerts;
		snprintf(part, sizeof(part), "检测产生告警 %llu 条（紧急 %llu 条、"
		    "重要 %llu 条、一般 %llu 条）。",
		    (unsigned long long)(al->level[0] + al->level[1] + al->level[2]),
		    (unsigned long long)al->level[0],
		    (unsigned long long)al->level[1],
		    (unsigned long long)al->level[2]);
		strncat(text, part, sizeof(text) - strlen(text) - 1);
	}
	if (in->sla) {
		const struct omsec_sla_row *r = &in->sla->total;
		snprintf(part, sizeof(part), "受理工单 %u 张，响应达标率 %s，"
		    "解决达标率 %s。", r->tickets, rd_fmt_pct(a, sizeof(a),
		    omsec_sla_pct(r->resp_met, r->resp_breach)),
		    rd_fmt_pct(b, sizeof(b), omsec_sla_pct(r->res_met,
		    r->res_breach)));
		strncat(text, part, sizeof(text) - strlen(text) - 1);
	}
	if (in->records && in->records->vf) {
		snprintf(part, sizeof(part), "新发现漏洞 %u 个、修复 %u 个，期末未修复 "
		    "%u 个（超期 %u 个）。", in->records->vf->total.found,
		    in->records->vf->total.fixed, in->records->vf->total.open,
		    in->records->vf->total.overdue);
		strncat(text, part, sizeof(text) - strlen(text) - 1);
	}
	if (in->sat) {
		snprintf(part, sizeof(part), "客户满意度调查回收 %u 份，"
		    "满意率（CSAT）%s。", in->sat->respondents,
		    rd_fmt_pct(a, sizeof(a), in->sat->csat));
		strncat(text, part, sizeof(text) - strlen(text) - 1);
	}
	rd_para(d, text);

	rd_sub(d, 1, "关键指标");
	rd_table_begin(d, &t, cols, 5);
	if (s) {
		struct {
			const char *name, *what;
			uint64_t cur, prev, ago;
		} row[4] = {
			{ "安全事件总数", "解析后的标准化事件", s->events,
			    pv ? pv->events : 0, ya ? ya->events : 0 },
			{ "日志采集行数", "全部日志源合计", rd_sum_lines(s, 0),
			    pv ? rd_sum_lines(pv, 0) : 0,
			    ya ? rd_sum_lines(ya, 0) : 0 },
			{ "失败类事件", "登录失败、访问被拒绝等", fails(s),
			    pv ? fails(pv) : 0, ya ? fails(ya) : 0 },
			{ "高危及以上事件", "严重度 3-4", s->severity[3] +
			    s->severity[4], pv ? pv->severity[3] + pv->severity[4] :
			    0, ya ? ya->severity[3] + ya->severity[4] : 0 },
		};
		int k;
		for (k = 0; k < 4; k++) {
			const char *cells[5];
			cells[0] = row[k].name;
			cells[1] = rd_fmt_u64(a, sizeof(a), row[k].cur);
			cells[2] = change(b, sizeof(b), pv != NULL,
			    (double)row[k].cur, (double)row[k].prev);
			cells[3] = change(c, sizeof(c), ya != NULL,
			    (double)row[k].cur, (double)row[k].ago);
			cells[4] = row[k].what;
			rd_table_row(d, &t, cells);
		}
	}
	if (in->alerts) {
		const struct omsec_rpt_alerts *al = in->alerts;
		const char *cells[5] = { "告警（紧急 / 重要 / 一般）", part, "—",
		    "—", "检测规则触发" };
		snprintf(part, sizeof(part), "%llu / %llu / %llu",
		    (unsigned long long)al->level[0],
		    (unsigned long long)al->level[1],
		    (unsigned long long)al->level[2]);
		rd_table_row(d, &t, cells);
	}
	if (in->sla) {
		const struct omsec_sla_row *r = &in->sla->total;
		char tk[16];
		const char *r1[] = { "工单数", tk, "—", "—", "本期创建的工单" };
		const char *r2[] = { "响应达标率", rd_fmt_pct(a, sizeof(a),
		    omsec_sla_pct(r->resp_met, r->resp_breach)), "—", "—",
		    "按合同响应时限" };
		const char *r3[] = { "解决达标率", rd_fmt_pct(b, sizeof(b),
		    omsec_sla_pct(r->res_met, r->res_breach)), "—", "—",
		    "按合同解决时限" };
		snprintf(tk, sizeof(tk), "%u", r->tickets);
		rd_table_row(d, &t, r1);
		rd_table_row(d, &t, r2);
		rd_table_row(d, &t, r3);
	}
	if (in->sat) {
		const char *r1[] = { "客户满意率（CSAT）", rd_fmt_pct(c, sizeof(c),
		    in->sat->csat), "—", "—", "总体满意度 4-5 分占比" };
		rd_table_row(d, &t, r1);
	}
	rd_table_end(d);
	snprintf(text, sizeof(text), "注：环比为与%s相比，同比为与上年同期相比，"
	    "按各期的汇总文件计算；“—”表示未提供可比数据。", prev_word(d));
	rd_note(d, text);
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
		{ "类型", 0.14f, 0 }, { "对象", 0.22f, 0 }, { "问题", 0.36f, 0 },
		{ "处理措施", 0.28f, 0 },
	};
	struct prob p;
	char text[TEXTMAX], obj[256], what[512], act[256], x[48], y[48];
	size_t i, nsla = 0, nvul = 0, ninsp = 0, nsil = 0, navail = 0;
	int any_data = in->sla || (rec && (rec->vf || rec->inspections ||
	    rec->avail)) || in->summary;

	rd_section(d, "问题与不符合项");
	if (!any_data) {
		rd_para(d, "本期无工单、漏洞、巡检或日志源数据，无法判定不符合项。");
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
	snprintf(text, sizeof(text), "本期共识别问题与不符合项 %zu 项：SLA 未达标 "
	    "%zu 项、超期未修复漏洞 %zu 项、巡检异常 %zu 项、无事件的日志源 %zu 个、"
	    "可用性未达标服务 %zu 个。%s", nsla + nvul + ninsp + nsil + navail,
	    nsla, nvul, ninsp, nsil, navail,
	    in->sla ? "" : "（未提供工单数据，SLA 未判定。）");
	rd_para(d, text);
	if (nsla + nvul + ninsp + nsil + navail == 0)
		return;
	memset(&p, 0, sizeof(p));
	rd_table_begin(d, &p.t, cols, 4);
	for (i = 0; i < nsla; i++) {
		const struct omsec_sla_breach *b = &in->sla->breaches[i];
		const struct omsec_ticket *tk = &in->tickets->v[b->ticket];
		snprintf(obj, sizeof(obj), "工单 %s（%s）", tk->id,
		    omsec_priority_zh(tk->prio));
		if (b->took < 0)
			snprintf(x, sizeof(x), "期末未完成");
		else
			rd_fmt_dur(x, sizeof(x), b->took);
		snprintf(what, sizeof(what), "%s超时：用时 %s，时限 %s。%s",
		    b->resolve ? "解决" : "响应", x, rd_fmt_dur(y, sizeof(y),
		    b->target), tk->summary);
		snprintf(act, sizeof(act), "%s", tk->resolved >= 0 &&
		    tk->resolved < in->end ? "已解决；复盘超时原因，优化值守与升级流程" :
		    "处理中，已升级跟进；复盘超时原因");
		prob_row(d, &p, "SLA 未达标", obj, what, act);
	}
	for (i = 0; i < nvul; i++) {
		const struct omsec_vuln *v = &rec->vulns->v[rec->vf->overdue[i]];
		int64_t age = v->found >= 0 ? (in->end - v->found) / 86400000 : -1;
		snprintf(obj, sizeof(obj), "%s", v->asset);
		snprintf(what, sizeof(what), "%s漏洞 %s 超期未修复（已开放 %lld 天）：%s",
		    omsec_severity_zh(v->sev), v->cve[0] ? v->cve : v->id,
		    (long long)age, v->name);
		prob_row(d, &p, "漏洞超期", obj, what,
		    "已通知资产责任人，制定修复计划，修复后复测验证");
	}
	if (rec && rec->inspections)
		for (i = 0; i < rec->inspections->n; i++) {
			const struct omsec_inspection *s = &rec->inspections->v[i];
			if (s->result != OMSEC_INSP_ABNORMAL || s->done < in->start ||
			    s->done >= in->end)
				continue;
			snprintf(obj, sizeof(obj), "%s", s->asset);
			snprintf(what, sizeof(what), "%s%s%s", s->item,
			    s->note[0] ? "：" : "", s->note);
			if (s->ticket[0])
				snprintf(act, sizeof(act), "已建跟进工单 %s", s->ticket);
			else
				snprintf(act, sizeof(act), "待建立跟进工单");
			prob_row(d, &p, "巡检异常", obj, what, act);
		}
	if (in->summary)
		for (i = 0; i < in->summary->nsrc; i++) {
			const struct omsec_rpt_source *s = &in->summary->src[i];
			if (s->events != 0)
				continue;
			snprintf(what, sizeof(what), "本期读取 %llu 行，未产生任何安全事件%s",
			    (unsigned long long)s->lines, s->lines == 0 ?
			    "（日志源静默）" : "（全部未解析）");
			prob_row(d, &p, "日志源无事件", s->path, what,
			    "检查日志转发配置、采集代理与解析规则");
		}
	if (rec && rec->avail)
		for (i = 0; i < rec->avail->n; i++) {
			const struct omsec_avail_row *r = &rec->avail->v[i];
			if (r->met)
				continue;
			snprintf(what, sizeof(what), "可用率 %.3f%%，低于目标 %.2f%%"
			    "（中断 %u 次，共 %s）", r->pct, rec->avail->target,
			    r->outages, rd_fmt_dur(x, sizeof(x), r->down));
			prob_row(d, &p, "可用性未达标", r->service, what,
			    "分析中断原因，落实整改并跟踪");
		}
	rd_table_end(d);
	if (p.dropped > 0) {
		snprintf(text, sizeof(text), "注：列出前 %d 项，其余 %d 项见各章节明细。",
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

void
rd_sec_incidents(struct doc *d)
{
	const struct omsec_report_input *in = d->in;
	const struct omsec_rpt_alerts *al = in->alerts;
	static const struct tcol cols[] = {
		{ "告警编号", 0.29f, 0 }, { "告警规则", 0.17f, 0 },
		{ "对象", 0.18f, 0 }, { "首次发生", 0.12f, 2 },
		{ "次数", 0.07f, 1 }, { "关联工单", 0.17f, 0 },
	};
	static const struct tcol tcols[] = {
		{ "阶段", 0.14f, 0 }, { "时间", 0.18f, 2 }, { "说明", 0.68f, 0 },
	};
	struct table t;
	char text[TEXTMAX], a[48], b[48];
	size_t i, nurg = 0, shown = 0;

	rd_section(d, "重大安全事件");
	if (al == NULL) {
		rd_para(d, "本期无告警数据，无法列出重大安全事件。");
		return;
	}
	for (i = 0; i < al->n; i++)
		if (al->v[i].level == OMSEC_LEVEL_URGENT)
			nurg++;
	if (nurg == 0) {
		rd_para(d, "本期无紧急级别告警，未发生重大安全事件。");
		return;
	}
	snprintf(text, sizeof(text), "本期紧急级别告警 %zu 条，视为重大安全事件，"
	    "逐一列出处置时间线：发现（首个相关事件）、确认（建立工单）、响应"
	    "（工程师首次响应）、恢复（问题解决）、复盘（工单关闭）。时间为本地时间"
	    "（%s）。", nurg, in->cfg->timezone);
	rd_para(d, text);
	rd_sub(d, 1, "紧急告警一览");
	rd_table_begin(d, &t, cols, 6);
	for (i = 0; i < al->n && shown < 30; i++) {
		const struct omsec_rpt_alert *x = &al->v[i];
		const struct omsec_ticket *tk;
		const char *cells[6];
		if (x->level != OMSEC_LEVEL_URGENT)
			continue;
		tk = linked_ticket(in->tickets, x->id);
		cells[0] = x->id[0] ? x->id : "—";
		cells[1] = rd_rule_zh(x->rule);
		cells[2] = x->entity;
		cells[3] = rd_fmt_local(d, a, sizeof(a), x->first);
		cells[4] = rd_fmt_u64(b, sizeof(b), x->count);
		cells[5] = tk ? tk->id : "未关联";
		rd_table_row(d, &t, cells);
		shown++;
	}
	rd_table_end(d);
	for (i = 0, shown = 0; i < al->n && shown < 10; i++) {
		const struct omsec_rpt_alert *x = &al->v[i];
		const struct omsec_ticket *tk;
		char title[256], when[5][48], what[5][512];
		int k;
		if (x->level != OMSEC_LEVEL_URGENT)
			continue;
		shown++;
		tk = linked_ticket(in->tickets, x->id);
		snprintf(title, sizeof(title), "%s：%s", rd_rule_zh(x->rule),
		    x->entity);
		rd_sub(d, (int)shown + 1, title);
		rd_fmt_local(d, when[0], sizeof(when[0]), x->first);
		snprintf(what[0], sizeof(what[0]), "首个相关事件；至 %s 共 %llu 条"
		    "（对象类型 %s）", rd_fmt_local(d, a, sizeof(a), x->last),
		    (unsigned long long)x->count, x->entity_type);
		if (tk == NULL) {
			const char *cells[3];
			snprintf(what[1], sizeof(what[1]), "未关联工单（工单的“关联告警”"
			    "列未包含 %s），无法给出确认、响应、恢复与复盘时间",
			    x->id[0] ? x->id : "该告警");
			rd_table_begin(d, &t, tcols, 3);
			cells[0] = "发现";
			cells[1] = when[0];
			cells[2] = what[0];
			rd_table_row(d, &t, cells);
			cells[0] = "确认至复盘";
			cells[1] = "—";
			cells[2] = what[1];
			rd_table_row(d, &t, cells);
			rd_table_end(d);
			continue;
		} else {
			const int64_t tt[4] = { tk->opened, tk->acked, tk->resolved,
			    tk->closed };
			static const char *const lbl[4] = { "建立工单", "工程师首次响应",
			    "问题解决、服务恢复", "客户确认后关闭" };
			for (k = 1; k < 5; k++) {
				int64_t v = tt[k - 1];
				if (v < 0 || v >= in->end) {
					snprintf(when[k], sizeof(when[k]), "—");
					snprintf(what[k], sizeof(what[k]), "%s：期末尚未完成",
					    lbl[k - 1]);
				} else {
					rd_fmt_local(d, when[k], sizeof(when[k]), v);
					if (k >= 2 && tk->opened >= 0)
						snprintf(what[k], sizeof(what[k]),
						    "%s（工单 %s，距建单 %s）", lbl[k - 1],
						    tk->id, rd_fmt_dur(b, sizeof(b),
						    v - tk->opened));
					else
						snprintf(what[k], sizeof(what[k]),
						    "%s（工单 %s：%s）", lbl[k - 1], tk->id,
						    tk->summary);
				}
			}
		}
		rd_table_begin(d, &t, tcols, 3);
		for (k = 0; k < 5; k++) {
			static const char *const ph[5] = { "发现", "确认", "响应",
			    "恢复", "复盘" };
			const char *cells[3] = { ph[k], when[k], what[k] };
			rd_table_row(d, &t, cells);
		}
		rd_table_end(d);
	}
	if (nurg > shown) {
		snprintf(text, sizeof(text), "注：时间线列出按次数排序的前 %zu 起，"
		    "其余见告警明细文件。", shown);
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
		{ "月份", 0.11f, 2 }, { "日志行数", 0.12f, 1 },
		{ "安全事件", 0.12f, 1 }, { "告警", 0.07f, 1 },
		{ "工单", 0.07f, 1 }, { "响应达标", 0.10f, 1 },
		{ "解决达标", 0.10f, 1 }, { "漏洞新增/修复", 0.12f, 1 },
		{ "巡检/异常", 0.10f, 1 }, { "满意率", 0.09f, 1 },
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
	rd_section(d, "趋势分析");
	rd_para(d, "本节按月列出本期各项指标的变化。事件数来自本期合并汇总的逐小时"
	    "统计（本地时间），日志行数来自各月汇总文件，工单、漏洞、巡检与满意度"
	    "按各月重新计算。");
	memset(alerts, 0, sizeof(alerts));
	for (i = 0; i < n; i++) {
		snprintf(lab[i], sizeof(lab[i]), "%d月", in->months[i].month);
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

	rd_sub(d, 1, "安全事件月度趋势（按类别）");
	if (s == NULL) {
		rd_para(d, "本期无事件汇总数据。");
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
			sr[k].name = k == 5 && s->ncat > 6 ? "其他" :
			    rd_cat_zh(s->cat[order[k]]);
			sr[k].v = catv[k];
		}
		rd_stacked_bars(d, lp, n, sr, ns, "事件数（条）");
	}

	rd_sub(d, 2, "告警、工单与漏洞月度趋势");
	ns = 0;
	if (in->alerts) {
		sr[ns].name = "告警";
		sr[ns++].v = alerts;
	}
	if (in->tickets) {
		sr[ns].name = "工单";
		sr[ns++].v = tickets;
	}
	if (in->records && in->records->vulns) {
		sr[ns].name = "新发现漏洞";
		sr[ns++].v = vfound;
	}
	if (ns == 0)
		rd_para(d, "本期无告警、工单或漏洞数据。");
	else
		rd_line_chart(d, lp, n, sr, ns, "数量");

	rd_sub(d, 3, "月度指标");
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
	rd_note(d, "注：“—”表示该月无相应数据（如未提供该月汇总文件或记录）。"
	    "达标率为该月已判定工单中达标的比例。");
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
			{ "序号", 0.07f, 2 }, { "发现（依据）", 0.40f, 0 },
			{ "建议措施", 0.43f, 0 }, { "优先级", 0.10f, 2 },
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

	rd_section(d, "建设性意见和建议");
	rd_para(d, "以下建议由明确的规则从本期发现中生成，每条均注明触发的依据；"
	    "未触发的规则不列出。");
	memset(&r, 0, sizeof(r));
	if ((n = alerts_of(in->alerts, "ssh_bruteforce", &ext, cfg)) > 0) {
		snprintf(why, sizeof(why), "SSH 服务暴露于互联网：本期 SSH 暴力破解告警 "
		    "%llu 条，其中来自外部地址 %zu 条", (unsigned long long)n, ext);
		recommend(d, &r, why, "限制 SSH 的来源地址（仅允许堡垒机或 VPN 网段），"
		    "禁用口令登录、改用密钥认证，并对多次失败的来源自动封禁", "高");
	}
	if ((n = alerts_of(in->alerts, "ssh_success_after_failures", NULL,
	    cfg)) > 0) {
		snprintf(why, sizeof(why), "多次失败后登录成功告警 %llu 条：账号口令"
		    "可能已被猜中", (unsigned long long)n);
		recommend(d, &r, why, "核查相关账号的登录来源与操作记录，重置口令，"
		    "对特权账号启用多因素认证", "高");
	}
	if ((n = alerts_of(in->alerts, "ssh_password_spray", NULL, cfg)) > 0) {
		snprintf(why, sizeof(why), "口令喷洒告警 %llu 条：同一来源尝试大量账号",
		    (unsigned long long)n);
		recommend(d, &r, why, "启用账号锁定策略，清理无用账号，统一口令复杂度"
		    "要求", "中");
	}
	if ((n = alerts_of(in->alerts, "web_", NULL, cfg)) > 0) {
		snprintf(why, sizeof(why), "Web 攻击告警 %llu 条（SQL 注入、跨站脚本、"
		    "目录遍历、扫描器等）", (unsigned long long)n);
		recommend(d, &r, why, "在 Web 应用防火墙上启用相应防护规则，对被攻击"
		    "的应用进行代码审计与渗透测试", "中");
	}
	if ((n = alerts_of(in->alerts, "port_scan", NULL, cfg) +
	    alerts_of(in->alerts, "host_scan", NULL, cfg)) > 0) {
		snprintf(why, sizeof(why), "端口与主机扫描告警 %llu 条",
		    (unsigned long long)n);
		recommend(d, &r, why, "收敛互联网暴露面：关闭不必要的端口，边界访问"
		    "控制按最小化原则配置", "中");
	}
	if ((n = alerts_of(in->alerts, "db_", NULL, cfg)) > 0) {
		snprintf(why, sizeof(why), "数据库登录失败或高危操作告警 %llu 条",
		    (unsigned long long)n);
		recommend(d, &r, why, "限制数据库的访问来源，启用数据库审计，高危操作"
		    "实行审批", "中");
	}
	if ((n = alerts_of(in->alerts, "sudo", NULL, cfg) +
	    alerts_of(in->alerts, "privileged_activity", NULL, cfg) +
	    alerts_of(in->alerts, "user_created", NULL, cfg) +
	    alerts_of(in->alerts, "group_change", NULL, cfg)) > 0) {
		snprintf(why, sizeof(why), "特权操作、新建账号或用户组变更告警 %llu 条",
		    (unsigned long long)n);
		recommend(d, &r, why, "逐一核对变更单，定期复核特权账号与用户组成员",
		    "中");
	}
	if (in->sla && in->sla->nbreaches > 0) {
		snprintf(why, sizeof(why), "SLA 未达标 %zu 项（见“问题与不符合项”）",
		    in->sla->nbreaches);
		recommend(d, &r, why, "复盘超时工单，优化值守排班、升级路径与备件"
		    "准备", "高");
	}
	if (rec && rec->vf && rec->vf->total.overdue > 0) {
		snprintf(why, sizeof(why), "超过修复时限的未修复漏洞 %u 个",
		    rec->vf->total.overdue);
		recommend(d, &r, why, "与资产责任人确定修复窗口；暂不能修复的制定"
		    "缓解措施并办理风险接受", "高");
	}
	if (rec && rec->insp && rec->insp->abnormal > rec->insp->followed) {
		snprintf(why, sizeof(why), "巡检异常 %u 项，其中 %u 项尚未建立跟进工单",
		    rec->insp->abnormal, rec->insp->abnormal - rec->insp->followed);
		recommend(d, &r, why, "为每项巡检异常建立跟进工单并闭环", "中");
	}
	if (in->summary) {
		size_t sil = 0;
		uint64_t l = rd_sum_lines(in->summary, 0),
		    rj = rd_sum_lines(in->summary, 2);
		for (i = 0; i < in->summary->nsrc; i++)
			if (in->summary->src[i].events == 0)
				sil++;
		if (sil > 0) {
			snprintf(why, sizeof(why), "%zu 个日志源本期未产生事件", sil);
			recommend(d, &r, why, "检查这些日志源的转发配置与采集代理，"
			    "确认设备仍在正常记录日志", "中");
		}
		if (l > 0 && (double)rj / (double)l > 0.01) {
			snprintf(why, sizeof(why), "日志解析率 %.1f%%，未解析 %llu 行",
			    floor(1000.0 * (double)(l - rj) / (double)l) / 10,
			    (unsigned long long)rj);
			recommend(d, &r, why, "用 omsec-parse --rejects 导出未解析行，"
			    "补充相应设备的解析规则", "低");
		}
	}
	if (in->sat && in->sat->respondents > 0) {
		int k, lo = -1;
		for (k = 0; k < OMSEC_SURVEY_DIMS - 1; k++)
			if (in->sat->mean[k] >= 0 && (lo < 0 ||
			    in->sat->mean[k] < in->sat->mean[lo]))
				lo = k;
		if (lo >= 0 && in->sat->mean[lo] < 4.0) {
			snprintf(why, sizeof(why), "满意度“%s”维度平均 %.2f 分，"
			    "低于 4 分", rd_dim_zh[lo], in->sat->mean[lo]);
			recommend(d, &r, why, "与客户沟通该维度的具体期望，"
			    "制定改进计划并在下期回访", "中");
		}
	}
	if (r.n == 0)
		rd_para(d, "本期未触发任何建议规则。");
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
		{ "数据", 0.30f, 0 }, { "状态", 0.16f, 2 }, { "记录数", 0.18f, 1 },
		{ "说明", 0.36f, 0 },
	};
	static const struct tcol gcols[] = {
		{ "术语", 0.22f, 0 }, { "含义", 0.78f, 0 },
	};
	static const char *const gloss[][2] = {
		{ "SLA", "服务级别协议：合同约定的响应、解决时限与可用率目标" },
		{ "MTTA / MTTR", "平均响应时间 / 平均解决时间" },
		{ "P90", "90% 的工单不超过的时间（n 个值中第 0.9n 个，向上取整）" },
		{ "CSAT", "客户满意率：总体满意度 4 分或 5 分的比例" },
		{ "NPS", "净推荐值：推荐者（9-10 分）比例减贬损者（0-6 分）比例" },
		{ "CVSS", "通用漏洞评分系统，0-10 分" },
		{ "环比 / 同比", "与上一周期相比 / 与上年同期相比" },
		{ "调休", "法定节假日前后调整的工作日（周末上班）" },
		{ "紧急 / 重要 / 一般", "告警级别，由事件严重度与资产重要程度确定" },
		{ "日志源静默", "日志源在报告期内未产生任何安全事件" },
	};
	struct table t;
	char n[8][32];
	size_t i;

	rd_section(d, "附录");
	rd_sub(d, 1, "数据来源");
	rd_table_begin(d, &t, cols, 4);
#define DROW(name, have, cnt, what) do { const char *c_[4] = { (name), \
	(have) ? "已提供" : "未提供", (have) ? (cnt) : "—", (what) }; \
	rd_table_row(d, &t, c_); } while (0)
	rd_fmt_u64(n[0], sizeof(n[0]), in->summary ? in->summary->events : 0);
	DROW("事件汇总（omsec-summary）", in->summary != NULL, n[0],
	    "逐小时事件统计、高频来源、日志源覆盖");
	rd_fmt_u64(n[1], sizeof(n[1]), in->alerts ? in->alerts->level[0] +
	    in->alerts->level[1] + in->alerts->level[2] : 0);
	DROW("告警（omsec-alerts）", in->alerts != NULL, n[1], "检测规则触发的告警");
	snprintf(n[2], sizeof(n[2]), "%zu", in->tickets ? in->tickets->n : 0);
	DROW("工单", in->tickets != NULL, n[2], "SLA 与重大事件时间线");
	snprintf(n[3], sizeof(n[3]), "%zu", in->survey ? in->survey->n : 0);
	DROW("满意度调查", in->survey != NULL, n[3], "各维度评分与意见");
	snprintf(n[4], sizeof(n[4]), "%zu", rec && rec->vulns ? rec->vulns->n : 0);
	DROW("漏洞记录", rec && rec->vulns, n[4], "Nessus、OpenVAS 或台账");
	snprintf(n[5], sizeof(n[5]), "%zu", rec && rec->inspections ?
	    rec->inspections->n : 0);
	DROW("巡检记录", rec && rec->inspections, n[5], "巡检与健康检查结果");
	snprintf(n[6], sizeof(n[6]), "%zu", rec && rec->assets ? rec->assets->n : 0);
	DROW("资产识别表", rec && rec->assets, n[6], "资产类型与重要程度");
	snprintf(n[7], sizeof(n[7]), "%zu", rec && rec->avail ? rec->avail->n : 0);
	DROW("中断记录", rec && rec->avail, n[7], "可用率（列出有中断的服务）");
#undef DROW
	rd_table_end(d);
	if (in->months) {
		int k, have = 0;
		for (k = 0; k < in->period->nmonths; k++)
			have += in->months[k].summary != NULL;
		snprintf(n[0], sizeof(n[0]), "%d/%d", have, in->period->nmonths);
		{
			char text[256];
			snprintf(text, sizeof(text), "月度汇总文件：已提供 %s 个月。"
			    "%s%s", n[0], in->previous ? "已提供上期汇总（环比）。" : "",
			    in->year_ago ? "已提供上年同期汇总（同比）。" : "");
			rd_para(d, text);
		}
	}
	rd_sec_coverage(d, 2);
	rd_sub(d, 3, "统计方法");
	rd_para(d, "安全事件由 omsec 从原始日志解析为标准化事件，按本地时间逐小时"
	    "统计；高频来源与账号用 Space-Saving 算法统计，计数上界误差随汇总文件"
	    "给出。告警由规则与统计检测产生（暴力破解、扫描、Web 攻击、特权操作、"
	    "日志源中断、日志量异常等）。SLA 按各优先级的计时方式计算，挂起时段不"
	    "计入；漏洞超期按各风险等级的修复时限判定；可用率按计划外中断时长计算。"
	    "季度与年度报告由各月汇总合并而成，合并满足结合律与交换律，与直接统计"
	    "整期的结果一致。");
	rd_sub(d, 4, "术语表");
	rd_table_begin(d, &t, gcols, 2);
	for (i = 0; i < sizeof(gloss) / sizeof(gloss[0]); i++)
		rd_table_row(d, &t, gloss[i]);
	rd_table_end(d);
}
