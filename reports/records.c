/*
 * records.c - the team's service records (CSV) and the figures made of them.
 *
 * Reads tickets.csv and survey.csv (docs/records.md) with libcsv: UTF-8,
 * RFC 4180 quoting, a header row naming the columns in English or Chinese,
 * a leading BOM ignored. Example row of tickets.csv:
 *   T-1001,紧急,安全事件,fw01,2026-11-03 09:00,2026-11-03 09:40,2026-11-03 12:10,已关闭,"SSH 暴力破解封禁"
 * A bad row is reported as "file:line:column: what" (column = the CSV
 * field's number) and skipped.
 *
 * The file is fed to libcsv one physical line at a time so that each row
 * knows the line it started on. Fields of a row are collected in one buffer
 * reused for every row; only the record arrays grow (doubling).
 * Cost: linear in the file size. Memory: the records plus one row buffer.
 *
 * SLA (7x24) and satisfaction figures follow docs/records.md exactly.
 */
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "out.h"
#include "report.h"
#include "span.h"
#include "strnum.h"

#define MAXFIELDS 64
#define ROWBUF (64 * 1024)

static void
diagf(struct omsec_report_diag *d, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (d != NULL && d->fn != NULL)
		d->fn(d->ctx, msg);
}

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

/* Copies a field cut at a character boundary (fields are sanitised later). */
static void
field_copy(char *dst, size_t cap, const char *s)
{
	size_t n = strlen(s);

	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

int
omsec_report_parse_local(int64_t *ms, const char *s, struct omsec_tz *tz)
{
	struct omsec_civil c;
	int64_t v[6] = { 0, 0, 0, 0, 0, 0 };
	static const int width[6] = { 4, 2, 2, 2, 2, 2 };
	static const int64_t hi[6] = { 9999, 12, 31, 23, 59, 60 };
	size_t i, pos = 0, nparts;
	char sep_date;

	if (strlen(s) < 16)
		return -1;
	sep_date = s[4];
	if (sep_date != '-' && sep_date != '/')
		return -1;
	nparts = strlen(s) == 16 ? 5 : 6;
	for (i = 0; i < nparts; i++) {
		static const char *const seps = "--T::";
		if (omsec_strtonum(&v[i], omsec_span_make(s + pos, width[i]),
		    i < 3 ? 1 : 0, hi[i]) != 0)
			return -1;
		pos += width[i];
		if (i + 1 < nparts) {
			char want = seps[i];
			char got = s[pos];
			if (i < 2 ? got != sep_date :
			    i == 2 ? (got != ' ' && got != 'T') : got != want)
				return -1;
			pos++;
		}
	}
	if (s[pos] != '\0')
		return -1;
	if (v[2] > 28) {
		int64_t d = omsec_days_from_civil((int)v[0], (int)v[1], (int)v[2]);
		int yy, mm, dd;
		omsec_civil_from_days(d, &yy, &mm, &dd);
		if (dd != v[2])
			return -1;
	}
	memset(&c, 0, sizeof(c));
	c.year = (int)v[0];
	c.month = (int)v[1];
	c.day = (int)v[2];
	c.hour = (int)v[3];
	c.min = (int)v[4];
	c.sec = (int)v[5];
	*ms = omsec_tz_local_to_utc(tz, &c);
	return 0;
}

/* ---- CSV ------------------------------------------------------------- */

struct colspec {
	const char *en, *zh;
	int required;
};

struct csvread;
/* Checks one row; returns 0, or the bad column index (0-based) with msg. */
typedef int (*row_fn)(struct csvread *r, const char *const *f, char *msg,
    size_t msgcap);

struct csvread {
	const char *path;
	const struct colspec *spec;
	int nspec;
	int map[MAXFIELDS];		/* file column -> spec index, -1 */
	int where[MAXFIELDS];		/* spec index -> file column, -1 */
	int header_done;
	int fatal;
	unsigned line;			/* physical line being fed */
	unsigned row_line;		/* line the current row started on */
	int nfields;
	size_t used;
	size_t off[MAXFIELDS];
	char *buf;			/* ROWBUF bytes */
	int overflow;
	row_fn fn;
	void *ctx;
	struct omsec_report_diag *diag;
};

static void
cb_field(void *s, size_t len, void *data)
{
	struct csvread *r = data;

	if (r->nfields == 0)
		r->row_line = r->line;
	if (r->nfields >= MAXFIELDS || r->used + len + 1 > ROWBUF) {
		r->overflow = 1;
		return;
	}
	r->off[r->nfields++] = r->used;
	if (len > 0)
		memcpy(r->buf + r->used, s, len);
	r->used += len;
	r->buf[r->used++] = '\0';
}

static int
name_eq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

static void
header_row(struct csvread *r)
{
	int i, j;

	for (i = 0; i < MAXFIELDS; i++)
		r->map[i] = -1;
	for (j = 0; j < r->nspec; j++)
		r->where[j] = -1;
	for (i = 0; i < r->nfields; i++) {
		char *name = r->buf + r->off[i];
		if (i == 0 && memcmp(name, "\xef\xbb\xbf", 3) == 0)
			name += 3;
		for (j = 0; j < r->nspec; j++) {
			if (name_eq(name, r->spec[j].en) ||
			    strcmp(name, r->spec[j].zh) == 0) {
				if (r->where[j] < 0) {
					r->where[j] = i;
					r->map[i] = j;
				}
				break;
			}
		}
	}
	for (j = 0; j < r->nspec; j++) {
		if (r->spec[j].required && r->where[j] < 0) {
			diagf(r->diag, "%s:%u: missing column %s (%s)", r->path,
			    r->row_line, r->spec[j].en, r->spec[j].zh);
			r->fatal = 1;
		}
	}
	r->header_done = 1;
}

static void
cb_row(int c, void *data)
{
	struct csvread *r = data;
	const char *f[MAXFIELDS];
	char msg[512];
	int i, bad, empty = 1;

	(void)c;
	if (r->fatal)
		goto reset;
	if (r->overflow) {
		diagf(r->diag, "%s:%u: row too long or too many fields",
		    r->path, r->row_line);
		r->diag->nbad++;
		goto reset;
	}
	for (i = 0; i < r->nfields; i++)
		if (r->buf[r->off[i]] != '\0')
			empty = 0;
	if (!r->header_done) {
		if (r->nfields > 0 && !empty)
			header_row(r);
		goto reset;
	}
	if (empty)
		goto reset;
	for (i = 0; i < r->nspec; i++) {
		int col = r->where[i];
		f[i] = col >= 0 && col < r->nfields ? r->buf + r->off[col] : "";
	}
	msg[0] = '\0';
	bad = r->fn(r, f, msg, sizeof(msg));
	if (bad >= 0) {
		diagf(r->diag, "%s:%u:%d: %s", r->path, r->row_line,
		    r->where[bad] + 1, msg);
		r->diag->nbad++;
	} else if (bad == -2) {
		r->fatal = 1;
	}
reset:
	r->nfields = 0;
	r->used = 0;
	r->overflow = 0;
}

/* Returns 0, or -1 with a message already given to diag. */
static int
csv_read_file(const char *path, const struct colspec *spec, int nspec,
    row_fn fn, void *ctx, struct omsec_report_diag *diag)
{
	struct csv_parser p;
	struct csvread r;
	char chunk[65536];
	int fd, rc = 0;
	ssize_t got;
	size_t carry = 0;

	memset(&r, 0, sizeof(r));
	r.path = path;
	r.spec = spec;
	r.nspec = nspec;
	r.fn = fn;
	r.ctx = ctx;
	r.diag = diag;
	r.line = 1;
	if ((r.buf = malloc(ROWBUF)) == NULL) {
		diagf(diag, "%s: out of memory", path);
		return -1;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		diagf(diag, "%s: %s", path, strerror(errno));
		free(r.buf);
		return -1;
	}
	if (csv_init(&p, 0) != 0) {
		diagf(diag, "%s: out of memory", path);
		close(fd);
		free(r.buf);
		return -1;
	}
	for (;;) {
		size_t have, start = 0;
		char *nl;

		got = read(fd, chunk + carry, sizeof(chunk) - carry);
		if (got == -1) {
			if (errno == EINTR)
				continue;
			diagf(diag, "%s: %s", path, strerror(errno));
			rc = -1;
			break;
		}
		have = carry + (size_t)got;
		/* Feed whole lines so each row knows its starting line. */
		while ((nl = memchr(chunk + start, '\n', have - start)) != NULL) {
			size_t len = (size_t)(nl - (chunk + start)) + 1;
			csv_parse(&p, chunk + start, len, cb_field, cb_row, &r);
			r.line++;
			start += len;
		}
		if (got == 0 || have - start == sizeof(chunk)) {
			/* End of file, or a line longer than the chunk. */
			csv_parse(&p, chunk + start, have - start, cb_field,
			    cb_row, &r);
			start = have;
		}
		carry = have - start;
		memmove(chunk, chunk + start, carry);
		if (got == 0)
			break;
	}
	csv_fini(&p, cb_field, cb_row, &r);
	csv_free(&p);
	close(fd);
	free(r.buf);
	if (rc == 0 && !r.header_done) {
		diagf(diag, "%s: no header row", path);
		rc = -1;
	}
	if (r.fatal)
		rc = -1;
	return rc;
}

static void *
grow(void *v, size_t *cap, size_t n, size_t elem)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return v;
	ncap = *cap ? *cap * 2 : 64;
	if ((nv = realloc(v, ncap * elem)) == NULL)
		return NULL;
	*cap = ncap;
	return nv;
}

/* ---- tickets --------------------------------------------------------- */

enum { TK_ID, TK_PRIO, TK_CAT, TK_ASSET, TK_OPENED, TK_ACKED, TK_RESOLVED,
	TK_STATUS, TK_SUMMARY, TK_N };

static const struct colspec ticket_cols[TK_N] = {
	{ "id", "工单号", 1 },
	{ "priority", "优先级", 1 },
	{ "category", "类别", 0 },
	{ "asset", "资产", 0 },
	{ "opened", "创建时间", 1 },
	{ "acknowledged", "响应时间", 1 },
	{ "resolved", "解决时间", 1 },
	{ "status", "状态", 0 },
	{ "summary", "摘要", 0 },
};

struct ticket_ctx {
	struct omsec_tickets *t;
	struct omsec_tz *tz;
};

static int
status_parse(const char *s)
{
	if (*s == '\0' || name_eq(s, "open") || strcmp(s, "处理中") == 0)
		return OMSEC_TICKET_OPEN;
	if (name_eq(s, "resolved") || strcmp(s, "已解决") == 0)
		return OMSEC_TICKET_RESOLVED;
	if (name_eq(s, "closed") || strcmp(s, "已关闭") == 0)
		return OMSEC_TICKET_CLOSED;
	return -1;
}

static int
ticket_time(int64_t *ms, const char *s, struct omsec_tz *tz, int optional)
{
	if (*s == '\0') {
		*ms = -1;
		return optional ? 0 : -1;
	}
	return omsec_report_parse_local(ms, s, tz);
}

static int
ticket_row(struct csvread *r, const char *const *f, char *msg, size_t cap)
{
	struct ticket_ctx *c = r->ctx;
	struct omsec_ticket tk;
	struct omsec_tickets *t = c->t;
	char esc[96];

	memset(&tk, 0, sizeof(tk));
	tk.line = r->row_line;
	if (*f[TK_ID] == '\0') {
		snprintf(msg, cap, "empty ticket id");
		return TK_ID;
	}
	if ((tk.prio = omsec_priority_parse(f[TK_PRIO])) < 0) {
		snprintf(msg, cap, "unknown priority '%s'", omsec_term_escape(
		    esc, sizeof(esc), omsec_span_cstr(f[TK_PRIO])));
		return TK_PRIO;
	}
	if (ticket_time(&tk.opened, f[TK_OPENED], c->tz, 0) != 0) {
		snprintf(msg, cap, "bad time '%s' (want YYYY-MM-DD HH:MM)",
		    omsec_term_escape(esc, sizeof(esc),
		    omsec_span_cstr(f[TK_OPENED])));
		return TK_OPENED;
	}
	if (ticket_time(&tk.acked, f[TK_ACKED], c->tz, 1) != 0 ||
	    (tk.acked >= 0 && tk.acked < tk.opened)) {
		snprintf(msg, cap, "bad time '%s' (want YYYY-MM-DD HH:MM, "
		    "not before opened)", omsec_term_escape(esc, sizeof(esc),
		    omsec_span_cstr(f[TK_ACKED])));
		return TK_ACKED;
	}
	if (ticket_time(&tk.resolved, f[TK_RESOLVED], c->tz, 1) != 0 ||
	    (tk.resolved >= 0 && tk.resolved < tk.opened)) {
		snprintf(msg, cap, "bad time '%s' (want YYYY-MM-DD HH:MM, "
		    "not before opened)", omsec_term_escape(esc, sizeof(esc),
		    omsec_span_cstr(f[TK_RESOLVED])));
		return TK_RESOLVED;
	}
	if ((tk.status = status_parse(f[TK_STATUS])) < 0) {
		snprintf(msg, cap, "unknown status '%s'", omsec_term_escape(
		    esc, sizeof(esc), omsec_span_cstr(f[TK_STATUS])));
		return TK_STATUS;
	}
	field_copy(tk.id, sizeof(tk.id), f[TK_ID]);
	field_copy(tk.category, sizeof(tk.category), f[TK_CAT]);
	field_copy(tk.asset, sizeof(tk.asset), f[TK_ASSET]);
	field_copy(tk.summary, sizeof(tk.summary), f[TK_SUMMARY]);
	if ((t->v = grow(t->v, &t->cap, t->n, sizeof(*t->v))) == NULL) {
		snprintf(msg, cap, "out of memory");
		return -2;
	}
	t->v[t->n++] = tk;
	return -1;
}

int
omsec_tickets_read(struct omsec_tickets *t, const char *path,
    struct omsec_tz *tz, struct omsec_report_diag *diag)
{
	struct ticket_ctx c = { t, tz };

	return csv_read_file(path, ticket_cols, TK_N, ticket_row, &c, diag);
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
	SV_COMMENT, SV_N };

static const struct colspec survey_cols[SV_N] = {
	{ "date", "日期", 0 },
	{ "respondent", "评价人", 0 },
	{ "response_speed", "响应速度", 1 },
	{ "professionalism", "专业能力", 1 },
	{ "communication", "沟通协调", 1 },
	{ "solution_quality", "解决质量", 1 },
	{ "overall", "总体满意度", 1 },
	{ "comment", "意见建议", 0 },
};

static int
survey_row(struct csvread *r, const char *const *f, char *msg, size_t cap)
{
	struct omsec_survey *s = r->ctx;
	struct omsec_response rs;
	char esc[64];
	int i;

	memset(&rs, 0, sizeof(rs));
	rs.line = r->row_line;
	for (i = 0; i < OMSEC_SURVEY_DIMS; i++) {
		const char *v = f[SV_SPEED + i];
		int64_t n;
		/* A blank score is "not rated"; overall is what CSAT needs. */
		if (*v == '\0' && SV_SPEED + i != SV_OVERALL)
			continue;
		if (omsec_strtonum(&n, omsec_span_cstr(v), 1, 5) != 0) {
			snprintf(msg, cap, "score '%s' is not 1-5",
			    omsec_term_escape(esc, sizeof(esc),
			    omsec_span_cstr(v)));
			return SV_SPEED + i;
		}
		rs.score[i] = (int)n;
	}
	if (*f[SV_DATE] != '\0') {
		int64_t d;
		if (strlen(f[SV_DATE]) != 10 || f[SV_DATE][4] != '-' ||
		    f[SV_DATE][7] != '-' ||
		    omsec_strtonum(&d, omsec_span_make(f[SV_DATE], 4), 1, 9999) ||
		    omsec_strtonum(&d, omsec_span_make(f[SV_DATE] + 5, 2), 1, 12) ||
		    omsec_strtonum(&d, omsec_span_make(f[SV_DATE] + 8, 2), 1, 31)) {
			snprintf(msg, cap, "bad date '%s' (want YYYY-MM-DD)",
			    omsec_term_escape(esc, sizeof(esc),
			    omsec_span_cstr(f[SV_DATE])));
			return SV_DATE;
		}
		memcpy(rs.date, f[SV_DATE], 11);
	}
	field_copy(rs.respondent, sizeof(rs.respondent), f[SV_WHO]);
	field_copy(rs.comment, sizeof(rs.comment), f[SV_COMMENT]);
	if ((s->v = grow(s->v, &s->cap, s->n, sizeof(*s->v))) == NULL) {
		snprintf(msg, cap, "out of memory");
		return -2;
	}
	s->v[s->n++] = rs;
	return -1;
}

int
omsec_survey_read(struct omsec_survey *s, const char *path,
    struct omsec_report_diag *diag)
{
	return csv_read_file(path, survey_cols, SV_N, survey_row, s, diag);
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

/* ---- figures --------------------------------------------------------- */

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

	if ((b = grow(s->breaches, cap, s->nbreaches, sizeof(*b))) == NULL)
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
 * One SLA clock: done at `at` (-1 = not yet). Returns 1 met, 0 breached,
 * -1 undecided (not done, target not yet passed at the period end).
 */
static int
sla_judge(int64_t opened, int64_t at, int64_t target, int64_t end)
{
	if (at >= 0)
		return at - opened <= target ? 1 : 0;
	return end - opened > target ? 0 : -1;
}

int
omsec_sla_compute(struct omsec_sla *out, const struct omsec_tickets *t,
    const struct omsec_config *cfg, int64_t start, int64_t end)
{
	size_t i, cap = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < t->n; i++) {
		const struct omsec_ticket *tk = &t->v[i];
		struct omsec_sla_row *row = &out->prio[tk->prio];
		struct omsec_sla_row *tot = &out->total;
		int64_t rt = cfg->sla_response[tk->prio] * 1000;
		int64_t st = cfg->sla_resolve[tk->prio] * 1000;
		int v;

		if (tk->opened < start || tk->opened >= end)
			continue;
		row->tickets++;
		tot->tickets++;
		/* Done after the period end is "not yet" as of the report. */
		int64_t ack = tk->acked >= end ? -1 : tk->acked;
		int64_t res = tk->resolved >= end ? -1 : tk->resolved;
		if (ack >= 0) {
			row->tta_sum += ack - tk->opened;
			row->tta_n++;
			tot->tta_sum += ack - tk->opened;
			tot->tta_n++;
		}
		if (res >= 0) {
			row->ttr_sum += res - tk->opened;
			row->ttr_n++;
			tot->ttr_sum += res - tk->opened;
			tot->ttr_n++;
		}
		v = sla_judge(tk->opened, ack, rt, end);
		if (v == 1) {
			row->resp_met++;
			tot->resp_met++;
		} else if (v == 0) {
			row->resp_breach++;
			tot->resp_breach++;
			if (add_breach(out, &cap, i, 0,
			    ack >= 0 ? ack - tk->opened : -1, rt) != 0)
				goto nomem;
		}
		v = sla_judge(tk->opened, res, st, end);
		if (v == 1) {
			row->res_met++;
			tot->res_met++;
		} else if (v == 0) {
			row->res_breach++;
			tot->res_breach++;
			if (add_breach(out, &cap, i, 1,
			    res >= 0 ? res - tk->opened : -1, st) != 0)
				goto nomem;
		}
	}
	return 0;
nomem:
	omsec_sla_free(out);
	return -1;
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

void
omsec_satisfaction_compute(struct omsec_satisfaction *out,
    const struct omsec_survey *s)
{
	double sum[OMSEC_SURVEY_DIMS] = { 0 };
	unsigned overall_n = 0;
	size_t i;
	int d;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < s->n; i++) {
		out->respondents++;
		for (d = 0; d < OMSEC_SURVEY_DIMS; d++) {
			if (s->v[i].score[d] == 0)
				continue;
			sum[d] += s->v[i].score[d];
			out->nscored[d]++;
		}
		if (s->v[i].score[OMSEC_SURVEY_DIMS - 1] > 0) {
			overall_n++;
			if (s->v[i].score[OMSEC_SURVEY_DIMS - 1] >= 4)
				out->satisfied++;
		}
	}
	for (d = 0; d < OMSEC_SURVEY_DIMS; d++)
		out->mean[d] = out->nscored[d] ? sum[d] / out->nscored[d] : -1;
	out->csat = overall_n ? 100.0 * out->satisfied / overall_n : -1;
}
