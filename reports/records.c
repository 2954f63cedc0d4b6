/*
 * records.c - the team's service records (CSV) and the figures made of them.
 *
 * Reads tickets.csv and survey.csv (docs/records.md) through the shared
 * CSV reader (records_csv.c: UTF-8 or GB18030, English or Chinese headers,
 * bad rows reported as "file:line:column: what" and skipped). Example row:
 *   T-1001,紧急,安全事件,fw01,2026-11-03 09:00,2026-11-03 09:40,2026-11-03 12:10,已关闭,"SSH 暴力破解封禁"
 * Optional columns: closed, pauses ("2026-11-03 10:00~2026-11-03 14:00;
 * ..."), reopened, alerts.
 *
 * SLA figures: per priority, on that priority's clock (calendar.c: 7x24 or
 * business hours with holidays), paused time excluded; counts, mean, median
 * and P90 of the response and resolution times, and the breaches.
 * Satisfaction: means, CSAT, NPS and the distribution of answers.
 * Cost: O(n log n) in the tickets (sorting for the quantiles), times the
 * days a business-hours clock has to walk. Memory: the records, and two
 * int64 arrays of the tickets' times while the SLA is computed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "out.h"
#include "records_int.h"
#include "span.h"
#include "strnum.h"

/* ---- text ------------------------------------------------------------ */

/* Decodes one UTF-8 character; returns its length, or 0 if invalid. */
static size_t
utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len, i;

	if (n == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	} else if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		c = p[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	/* Overlongs, surrogates and values past U+10FFFF are invalid. */
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return len;
}

size_t
omsec_report_sanitize(char *dst, size_t cap, const char *src, size_t n)
{
	static const char fffd[] = "\xef\xbf\xbd";
	const unsigned char *p = (const unsigned char *)src;
	size_t o = 0, i = 0, len;
	uint32_t cp;
	char one[4];
	const char *put;
	size_t putn;

	if (cap == 0)
		return 0;
	while (i < n) {
		len = utf8_decode(p + i, n - i, &cp);
		if (len == 0) {
			put = fffd;
			putn = 3;
			len = 1;
		} else if (cp == '\t' || cp == '\n' || cp == '\r' ||
		    cp == 0x2028 || cp == 0x2029) {
			one[0] = ' ';
			put = one;
			putn = 1;
		} else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
			i += len;
			continue;
		} else if (cp > 0xffff) {
			/* The font's cmap and libharu's encoder stop at the BMP. */
			put = fffd;
			putn = 3;
		} else {
			put = src + i;
			putn = len;
		}
		if (o + putn > cap - 1)
			break;
		memcpy(dst + o, put, putn);
		o += putn;
		i += len;
	}
	dst[o] = '\0';
	return o;
}

/* ---- tickets --------------------------------------------------------- */

enum { TK_ID, TK_PRIO, TK_CAT, TK_ASSET, TK_OPENED, TK_ACKED, TK_RESOLVED,
	TK_STATUS, TK_SUMMARY, TK_CLOSED, TK_PAUSES, TK_REOPENED, TK_LINKS,
	TK_N };

static const struct rec_colspec ticket_cols[TK_N] = {
	{ { "id", "工单号", "工单编号", "编号" }, 1 },
	{ { "priority", "优先级", "级别" }, 1 },
	{ { "category", "类别", "工单类型", "类型" }, 0 },
	{ { "asset", "资产", "设备" }, 0 },
	{ { "opened", "创建时间", "开单时间", "报告时间" }, 1 },
	{ { "acknowledged", "响应时间" }, 1 },
	{ { "resolved", "解决时间" }, 1 },
	{ { "status", "状态" }, 0 },
	{ { "summary", "摘要", "标题", "描述" }, 0 },
	{ { "closed", "关闭时间" }, 0 },
	{ { "pauses", "挂起时段", "暂停时段" }, 0 },
	{ { "reopened", "重开次数" }, 0 },
	{ { "alerts", "关联告警", "links" }, 0 },
};

struct ticket_ctx {
	struct omsec_tickets *t;
	struct omsec_tz *tz;
};

static const char *const st_open[] = { "open", "处理中", "待处理",
	"未解决", NULL };
static const char *const st_reopen[] = { "reopened", "重新打开", "重开",
	NULL };
static const char *const st_resolved[] = { "resolved", "已解决", NULL };
static const char *const st_closed[] = { "closed", "已关闭", "关闭", NULL };

/* Returns the status, or -1; *reopen is set for a reopened ticket. */
static int
status_parse(const char *s, int *reopen)
{
	*reopen = 0;
	if (*s == '\0' || rec_word(s, st_open))
		return OMSEC_TICKET_OPEN;
	if (rec_word(s, st_reopen)) {
		*reopen = 1;
		return OMSEC_TICKET_OPEN;
	}
	if (rec_word(s, st_resolved))
		return OMSEC_TICKET_RESOLVED;
	if (rec_word(s, st_closed))
		return OMSEC_TICKET_CLOSED;
	return -1;
}

/* A required time cell: must be present and parse. */
static int
need_time(int64_t *ms, const char *s, struct omsec_tz *tz)
{
	return *s == '\0' ? -1 : rec_time(ms, s, tz);
}

/*
 * "START~END; START~END" (also '；' or a line break between pauses; END
 * empty = still paused) into tk->pause. Returns 0, or -1 with msg.
 */
static int
pauses_parse(struct omsec_ticket *tk, const char *s, struct omsec_tz *tz,
    char *msg, size_t cap)
{
	char buf[1024], esc[96];
	char *p = buf;

	rec_copy(buf, sizeof(buf), s);
	tk->npause = 0;
	while (*p) {
		char *end, *tilde;
		size_t n;
		int64_t a, b;

		while (*p == ' ' || *p == ';' || *p == '\n' || *p == '\r')
			p++;
		if (strncmp(p, "\xef\xbc\x9b", 3) == 0) {	/* ； */
			p += 3;
			continue;
		}
		if (*p == '\0')
			break;
		n = strcspn(p, ";\n\r");
		end = strstr(p, "\xef\xbc\x9b");
		if (end != NULL && (size_t)(end - p) < n)
			n = (size_t)(end - p);
		end = p + n;
		if (*end != '\0') {
			if ((unsigned char)*end == 0xef)
				end[0] = end[1] = end[2] = ' ';
			*end++ = '\0';
		}
		while (n > 0 && p[n - 1] == ' ')
			p[--n] = '\0';
		if ((tilde = strchr(p, '~')) == NULL) {
			snprintf(msg, cap, "pause '%s' is not START~END",
			    rec_esc(esc, sizeof(esc), p));
			return -1;
		}
		*tilde = '\0';
		{
			char *x = tilde + 1, *y = tilde;
			while (*x == ' ')
				x++;
			while (y > p && y[-1] == ' ')
				*--y = '\0';
			if (need_time(&a, p, tz) != 0 || rec_time(&b, x, tz) != 0 ||
			    (b >= 0 && b <= a) || a < tk->opened) {
				char esc2[96];
				snprintf(msg, cap, "bad pause '%s~%s' (want "
				    "START~END local times, after opened, END "
				    "after START or empty)",
				    rec_esc(esc, sizeof(esc), p),
				    rec_esc(esc2, sizeof(esc2), x));
				return -1;
			}
		}
		if (tk->npause == OMSEC_TICKET_MAXPAUSE) {
			snprintf(msg, cap, "more than %d pauses",
			    OMSEC_TICKET_MAXPAUSE);
			return -1;
		}
		tk->pause[tk->npause][0] = a;
		tk->pause[tk->npause][1] = b;
		tk->npause++;
		p = end;
	}
	return 0;
}

static int
ticket_row(struct rec_csv *r, const char *const *f, char *msg, size_t cap)
{
	struct ticket_ctx *c = r->ctx;
	struct omsec_ticket tk;
	struct omsec_tickets *t = c->t;
	char esc[96];
	int reopen;
	int64_t n;

	memset(&tk, 0, sizeof(tk));
	tk.line = r->row_line;
	tk.closed = -1;
	tk.tta = tk.ttr = tk.age = tk.asof = -1;
	if (*f[TK_ID] == '\0') {
		snprintf(msg, cap, "empty ticket id");
		return TK_ID;
	}
	if ((tk.prio = omsec_priority_parse(f[TK_PRIO])) < 0) {
		snprintf(msg, cap, "unknown priority '%s'",
		    rec_esc(esc, sizeof(esc), f[TK_PRIO]));
		return TK_PRIO;
	}
	if (need_time(&tk.opened, f[TK_OPENED], c->tz) != 0) {
		snprintf(msg, cap, "bad time '%s' (want YYYY-MM-DD HH:MM)",
		    rec_esc(esc, sizeof(esc), f[TK_OPENED]));
		return TK_OPENED;
	}
	if (rec_time(&tk.acked, f[TK_ACKED], c->tz) != 0 ||
	    (tk.acked >= 0 && tk.acked < tk.opened)) {
		snprintf(msg, cap, "bad time '%s' (want YYYY-MM-DD HH:MM, "
		    "not before opened)", rec_esc(esc, sizeof(esc),
		    f[TK_ACKED]));
		return TK_ACKED;
	}
	if (rec_time(&tk.resolved, f[TK_RESOLVED], c->tz) != 0 ||
	    (tk.resolved >= 0 && tk.resolved < tk.opened)) {
		snprintf(msg, cap, "bad time '%s' (want YYYY-MM-DD HH:MM, "
		    "not before opened)", rec_esc(esc, sizeof(esc),
		    f[TK_RESOLVED]));
		return TK_RESOLVED;
	}
	if ((tk.status = status_parse(f[TK_STATUS], &reopen)) < 0) {
		snprintf(msg, cap, "unknown status '%s'",
		    rec_esc(esc, sizeof(esc), f[TK_STATUS]));
		return TK_STATUS;
	}
	if (rec_time(&tk.closed, f[TK_CLOSED], c->tz) != 0 ||
	    (tk.closed >= 0 && tk.closed < tk.opened)) {
		snprintf(msg, cap, "bad time '%s' (want YYYY-MM-DD HH:MM, "
		    "not before opened)", rec_esc(esc, sizeof(esc),
		    f[TK_CLOSED]));
		return TK_CLOSED;
	}
	if (pauses_parse(&tk, f[TK_PAUSES], c->tz, msg, cap) != 0)
		return TK_PAUSES;
	if (*f[TK_REOPENED] != '\0') {
		if (omsec_strtonum(&n, omsec_span_cstr(f[TK_REOPENED]), 0,
		    1000) != 0) {
			snprintf(msg, cap, "reopened '%s' is not a count",
			    rec_esc(esc, sizeof(esc), f[TK_REOPENED]));
			return TK_REOPENED;
		}
		tk.reopened = (unsigned)n;
	}
	if (reopen && tk.reopened == 0)
		tk.reopened = 1;
	rec_copy(tk.id, sizeof(tk.id), f[TK_ID]);
	rec_copy(tk.category, sizeof(tk.category), f[TK_CAT]);
	rec_copy(tk.asset, sizeof(tk.asset), f[TK_ASSET]);
	rec_copy(tk.summary, sizeof(tk.summary), f[TK_SUMMARY]);
	rec_copy(tk.links, sizeof(tk.links), f[TK_LINKS]);
	return rec_append(&t->v, &t->cap, &t->n, sizeof(*t->v), &tk,
	    msg, cap);
}

int
omsec_tickets_read(struct omsec_tickets *t, const char *path,
    struct omsec_tz *tz, struct omsec_report_diag *diag)
{
	struct ticket_ctx c = { t, tz };

	return rec_csv_read(path, ticket_cols, TK_N, ticket_row, &c, diag);
}

void
omsec_tickets_free(struct omsec_tickets *t)
{
	if (t == NULL)
		return;
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}

/* ---- survey ---------------------------------------------------------- */

enum { SV_DATE, SV_WHO, SV_SPEED, SV_PROF, SV_COMM, SV_QUAL, SV_OVERALL,
	SV_COMMENT, SV_RECOMMEND, SV_N };

static const struct rec_colspec survey_cols[SV_N] = {
	{ { "date", "日期" }, 0 },
	{ { "respondent", "评价人", "填写人" }, 0 },
	{ { "response_speed", "响应速度" }, 1 },
	{ { "professionalism", "专业能力" }, 1 },
	{ { "communication", "沟通协调" }, 1 },
	{ { "solution_quality", "解决质量" }, 1 },
	{ { "overall", "总体满意度" }, 1 },
	{ { "comment", "意见建议", "意见" }, 0 },
	{ { "recommend", "推荐意愿", "推荐度" }, 0 },
};

static int
survey_row(struct rec_csv *r, const char *const *f, char *msg, size_t cap)
{
	struct omsec_survey *s = r->ctx;
	struct omsec_response rs;
	char esc[64];
	int64_t n;
	int i;

	memset(&rs, 0, sizeof(rs));
	rs.line = r->row_line;
	rs.recommend = -1;
	for (i = 0; i < OMSEC_SURVEY_DIMS; i++) {
		const char *v = f[SV_SPEED + i];
		/* A blank answer is "not rated": left out of that mean. */
		if (*v == '\0')
			continue;
		if (omsec_strtonum(&n, omsec_span_cstr(v), 1, 5) != 0) {
			snprintf(msg, cap, "score '%s' is not 1-5",
			    rec_esc(esc, sizeof(esc), v));
			return SV_SPEED + i;
		}
		rs.score[i] = (int)n;
	}
	if (*f[SV_RECOMMEND] != '\0') {
		if (omsec_strtonum(&n, omsec_span_cstr(f[SV_RECOMMEND]), 0,
		    10) != 0) {
			snprintf(msg, cap, "recommend '%s' is not 0-10",
			    rec_esc(esc, sizeof(esc), f[SV_RECOMMEND]));
			return SV_RECOMMEND;
		}
		rs.recommend = (int)n;
	}
	if (*f[SV_DATE] != '\0') {
		int64_t d;
		if (strlen(f[SV_DATE]) != 10 || f[SV_DATE][4] != '-' ||
		    f[SV_DATE][7] != '-' ||
		    omsec_strtonum(&d, omsec_span_make(f[SV_DATE], 4), 1, 9999) ||
		    omsec_strtonum(&d, omsec_span_make(f[SV_DATE] + 5, 2), 1, 12) ||
		    omsec_strtonum(&d, omsec_span_make(f[SV_DATE] + 8, 2), 1, 31)) {
			snprintf(msg, cap, "bad date '%s' (want YYYY-MM-DD)",
			    rec_esc(esc, sizeof(esc), f[SV_DATE]));
			return SV_DATE;
		}
		memcpy(rs.date, f[SV_DATE], 11);
	}
	rec_copy(rs.respondent, sizeof(rs.respondent), f[SV_WHO]);
	rec_copy(rs.comment, sizeof(rs.comment), f[SV_COMMENT]);
	return rec_append(&s->v, &s->cap, &s->n, sizeof(*s->v), &rs,
	    msg, cap);
}

int
omsec_survey_read(struct omsec_survey *s, const char *path,
    struct omsec_report_diag *diag)
{
	return rec_csv_read(path, survey_cols, SV_N, survey_row, s, diag);
}

void
omsec_survey_free(struct omsec_survey *s)
{
	if (s == NULL)
		return;
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

/* ---- SLA ------------------------------------------------------------- */

double
omsec_sla_pct(unsigned met, unsigned breach)
{
	if (met + breach == 0)
		return -1;
	return 100.0 * met / (met + breach);
}

static int
add_breach(struct omsec_sla *s, size_t *cap, size_t ticket, int resolve,
    int64_t took, int64_t target)
{
	struct omsec_sla_breach *b;

	if ((b = rec_grow(s->breaches, cap, s->nbreaches, sizeof(*b))) == NULL)
		return -1;
	s->breaches = b;
	b[s->nbreaches].ticket = ticket;
	b[s->nbreaches].resolve = resolve;
	b[s->nbreaches].took = took;
	b[s->nbreaches].target = target;
	s->nbreaches++;
	return 0;
}

/*
 * Time on the clock from tk->opened to `to`, minus the clock time of the
 * ticket's pauses inside that span (overlapping pauses merged first).
 */
static int64_t
sla_measure(const struct omsec_calendar *cal, const struct omsec_ticket *tk,
    int64_t to)
{
	int64_t iv[OMSEC_TICKET_MAXPAUSE][2], total, paused = 0;
	int i, j, n = 0;

	total = omsec_calendar_elapsed(cal, tk->opened, to);
	for (i = 0; i < tk->npause; i++) {
		int64_t a = tk->pause[i][0], b = tk->pause[i][1];
		if (b < 0 || b > to)
			b = to;
		if (a < tk->opened)
			a = tk->opened;
		if (b <= a)
			continue;
		/* Insertion by start keeps the merge below linear. */
		for (j = n; j > 0 && iv[j - 1][0] > a; j--) {
			iv[j][0] = iv[j - 1][0];
			iv[j][1] = iv[j - 1][1];
		}
		iv[j][0] = a;
		iv[j][1] = b;
		n++;
	}
	for (i = 0; i < n; i++) {
		int64_t a = iv[i][0], b = iv[i][1];
		while (i + 1 < n && iv[i + 1][0] <= b) {
			if (iv[i + 1][1] > b)
				b = iv[i + 1][1];
			i++;
		}
		paused += omsec_calendar_elapsed(cal, a, b);
	}
	return total - paused;
}

static int
i64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Median (mean of the middle two) and P90 (nearest rank) of v[0..n). */
static void
quantiles(int64_t *v, size_t n, int64_t *median, int64_t *p90)
{
	if (n == 0) {
		*median = *p90 = -1;
		return;
	}
	qsort(v, n, sizeof(*v), i64_cmp);
	*median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	*p90 = v[(9 * n + 9) / 10 - 1];
}

/* The ticket's clock times as of end (see struct omsec_ticket). */
static void
ticket_clock(const struct omsec_calendar *c, const struct omsec_ticket *tk,
    int64_t end, int64_t *tta, int64_t *ttr, int64_t *age)
{
	/* Done after the period end is "not yet" as of the report. */
	*tta = tk->acked >= 0 && tk->acked < end ? sla_measure(c, tk,
	    tk->acked) : -1;
	*ttr = tk->resolved >= 0 && tk->resolved < end ? sla_measure(c, tk,
	    tk->resolved) : -1;
	*age = *tta >= 0 && *ttr >= 0 ? -1 : sla_measure(c, tk, end);
}

void
omsec_tickets_clock(struct omsec_tickets *t,
    const struct omsec_calendar *const *cal, int64_t end)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		struct omsec_ticket *tk = &t->v[i];
		if (tk->opened >= end)
			continue;
		ticket_clock(cal ? cal[tk->prio] : NULL, tk, end, &tk->tta,
		    &tk->ttr, &tk->age);
		tk->asof = end;
	}
}

/*
 * The SLA of the tickets opened in [start, end) from their clock times
 * clk[i] = { tta, ttr, age } (-1 as in struct omsec_ticket).
 */
static int
sla_aggregate(struct omsec_sla *out, const struct omsec_tickets *t,
    const int64_t (*clk)[3], const struct omsec_config *cfg, int64_t start,
    int64_t end)
{
	int64_t *tmp = NULL;
	size_t i, cap = 0;
	int p;

	memset(out, 0, sizeof(*out));
	if (t->n > 0 && (tmp = malloc(t->n * sizeof(*tmp))) == NULL)
		return -1;
	for (i = 0; i < t->n; i++) {
		const struct omsec_ticket *tk = &t->v[i];
		struct omsec_sla_row *rows[2] = { &out->prio[tk->prio],
			&out->total };
		int64_t rt = cfg->sla_response[tk->prio] * 1000;
		int64_t st = cfg->sla_resolve[tk->prio] * 1000;
		int64_t tta = clk[i][0], ttr = clk[i][1], took;
		int k;

		if (tk->opened < start || tk->opened >= end)
			continue;
		for (k = 0; k < 2; k++) {
			struct omsec_sla_row *row = rows[k];
			row->tickets++;
			if (tta >= 0) {
				row->tta_sum += tta;
				row->tta_n++;
			}
			if (ttr >= 0) {
				row->ttr_sum += ttr;
				row->ttr_n++;
			} else
				row->open_end++;
			if (tk->reopened > 0)
				row->reopened++;
			if (tk->npause > 0)
				row->paused++;
		}
		/* Not done yet: breached once the clock passed the target. */
		took = tta >= 0 ? tta : clk[i][2];
		for (k = 0; k < 2; k++) {
			if (took <= rt && tta >= 0)
				rows[k]->resp_met++;
			else if (took > rt)
				rows[k]->resp_breach++;
		}
		if (took > rt && add_breach(out, &cap, i, 0, tta >= 0 ? took : -1,
		    rt) != 0)
			goto nomem;
		took = ttr >= 0 ? ttr : clk[i][2];
		for (k = 0; k < 2; k++) {
			if (took <= st && ttr >= 0)
				rows[k]->res_met++;
			else if (took > st)
				rows[k]->res_breach++;
		}
		if (took > st && add_breach(out, &cap, i, 1, ttr >= 0 ? took : -1,
		    st) != 0)
			goto nomem;
	}
	for (p = 0; p <= OMSEC_PRIO_COUNT; p++) {
		struct omsec_sla_row *row = p < OMSEC_PRIO_COUNT ?
		    &out->prio[p] : &out->total;
		size_t n;
		int k;
		for (k = 0; k < 2; k++) {
			for (n = 0, i = 0; i < t->n; i++)
				if (t->v[i].opened >= start &&
				    t->v[i].opened < end && clk[i][k] >= 0 &&
				    (p == OMSEC_PRIO_COUNT || t->v[i].prio == p))
					tmp[n++] = clk[i][k];
			if (k == 0)
				quantiles(tmp, n, &row->tta_median,
				    &row->tta_p90);
			else
				quantiles(tmp, n, &row->ttr_median,
				    &row->ttr_p90);
		}
	}
	free(tmp);
	return 0;
nomem:
	free(tmp);
	omsec_sla_free(out);
	return -1;
}

/*
 * The figures from each ticket's clocks (time to acknowledge, to resolve,
 * age): measured now over the calendars cal (NULL: around the clock) for
 * tickets opened in [start, end), or, with stored set, the times already
 * measured on them (omsec_tickets_clock). Both ways share the aggregation.
 */
static int
sla_clocked(struct omsec_sla *out, const struct omsec_tickets *t,
    const struct omsec_config *cfg, const struct omsec_calendar *const *cal,
    int stored, int64_t start, int64_t end)
{
	int64_t (*clk)[3] = NULL;
	size_t i;
	int rv;

	if (t->n > 0 && (clk = malloc(t->n * sizeof(*clk))) == NULL) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	for (i = 0; i < t->n; i++) {
		const struct omsec_ticket *tk = &t->v[i];
		if (stored) {
			clk[i][0] = tk->tta;
			clk[i][1] = tk->ttr;
			clk[i][2] = tk->age;
			continue;
		}
		clk[i][0] = clk[i][1] = clk[i][2] = -1;
		if (tk->opened >= start && tk->opened < end)
			ticket_clock(cal ? cal[tk->prio] : NULL, tk, end,
			    &clk[i][0], &clk[i][1], &clk[i][2]);
	}
	rv = sla_aggregate(out, t, (const int64_t (*)[3])clk, cfg, start, end);
	free(clk);
	return rv;
}

int
omsec_sla_compute_cal(struct omsec_sla *out, const struct omsec_tickets *t,
    const struct omsec_config *cfg, const struct omsec_calendar *const *cal,
    int64_t start, int64_t end)
{
	return sla_clocked(out, t, cfg, cal, 0, start, end);
}

int
omsec_sla_from_clock(struct omsec_sla *out, const struct omsec_tickets *t,
    const struct omsec_config *cfg, int64_t start, int64_t end)
{
	return sla_clocked(out, t, cfg, NULL, 1, start, end);
}

int
omsec_sla_compute(struct omsec_sla *out, const struct omsec_tickets *t,
    const struct omsec_config *cfg, int64_t start, int64_t end)
{
	return omsec_sla_compute_cal(out, t, cfg, NULL, start, end);
}

void
omsec_sla_free(struct omsec_sla *s)
{
	if (s == NULL)
		return;
	free(s->breaches);
	s->breaches = NULL;
	s->nbreaches = 0;
}

/* ---- satisfaction ---------------------------------------------------- */

void
omsec_satisfaction_compute(struct omsec_satisfaction *out,
    const struct omsec_survey *s)
{
	double sum[OMSEC_SURVEY_DIMS] = { 0 };
	unsigned overall_n = 0, asked;
	size_t i;
	int d;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < s->n; i++) {
		const struct omsec_response *r = &s->v[i];
		out->respondents++;
		for (d = 0; d < OMSEC_SURVEY_DIMS; d++) {
			if (r->score[d] == 0)
				continue;
			sum[d] += r->score[d];
			out->nscored[d]++;
			out->dist[d][r->score[d] - 1]++;
		}
		if (r->score[OMSEC_SURVEY_DIMS - 1] > 0) {
			overall_n++;
			if (r->score[OMSEC_SURVEY_DIMS - 1] >= 4)
				out->satisfied++;
		}
		if (r->recommend >= 9)
			out->promoters++;
		else if (r->recommend >= 7)
			out->passives++;
		else if (r->recommend >= 0)
			out->detractors++;
	}
	for (d = 0; d < OMSEC_SURVEY_DIMS; d++)
		out->mean[d] = out->nscored[d] ? sum[d] / out->nscored[d] : -1;
	out->csat = overall_n ? 100.0 * out->satisfied / overall_n : -1;
	asked = out->promoters + out->passives + out->detractors;
	out->nps = asked ? 100.0 * ((double)out->promoters -
	    (double)out->detractors) / asked : -1000;
}
