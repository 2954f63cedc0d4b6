/*
 * records_vuln.c - vulnerability findings: scanner exports and the team's
 * tracking sheet, deduplicated, and the figures of a period.
 *
 * Three CSV layouts, told apart by the header (docs/records.md):
 *   Nessus "Export > CSV": Plugin ID,CVE,CVSS v2.0 Base Score,Risk,Host,
 *     Protocol,Port,Name,Synopsis,... - one row per CVE of a plugin, so a
 *     plugin with five CVEs on one port is five rows of one finding;
 *     "19506","","","None","10.20.1.5","tcp","0","Nessus Scan Information",...
 *   OpenVAS/Greenbone results CSV: IP,Hostname,Port,Port Protocol,CVSS,
 *     Severity,Solution Type,NVT Name,Summary,Specific Result,NVT OID,CVEs,
 *     Task ID,Task Name,Timestamp,...
 *   generic: asset,id,cve,name,severity,cvss,port,found,fixed,verified,
 *     status,reopened (Chinese names accepted: 资产,漏洞编号,...).
 * Scanner exports carry no fix dates: a finding is open as of the scan
 * (OpenVAS's Timestamp is its found time; Nessus rows have no date, so
 * their age is unknown unless a tracking sheet gives it). Feeding the
 * exports and the tracking sheet together and deduplicating merges them.
 *
 * Dedupe sorts an index by (asset, id, port): O(n log n), one index array.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "out.h"
#include "records_int.h"
#include "strnum.h"

#define DAY_MS INT64_C(86400000)

enum { V_ASSET, V_HOSTNAME, V_ID, V_PLUGIN, V_NVT, V_CVE, V_NAME, V_SEV,
	V_CVSS, V_PORT, V_PROTO, V_FOUND, V_FIXED, V_VERIFIED, V_STATUS,
	V_REOPENED, V_N };

static const struct rec_colspec vuln_cols[V_N] = {
	{ { "asset", "资产", "Host", "IP", "主机", "IP地址" }, 1 },
	{ { "Hostname", "主机名" }, 0 },
	{ { "id", "漏洞编号", "编号" }, 0 },
	{ { "Plugin ID", "插件ID" }, 0 },
	{ { "NVT OID", "OID" }, 0 },
	{ { "cve", "CVE编号", "CVEs" }, 0 },
	{ { "name", "漏洞名称", "NVT Name", "名称" }, 0 },
	{ { "severity", "风险等级", "Risk", "危险等级" }, 0 },
	{ { "cvss", "CVSS评分", "CVSS v3.0 Base Score",
	    "CVSS v2.0 Base Score" }, 0 },
	{ { "port", "端口" }, 0 },
	{ { "protocol", "协议", "Port Protocol" }, 0 },
	{ { "found", "发现时间", "Timestamp", "发现日期" }, 0 },
	{ { "fixed", "修复时间", "修复日期" }, 0 },
	{ { "verified", "复测时间", "验证时间" }, 0 },
	{ { "status", "状态" }, 0 },
	{ { "reopened", "重开次数" }, 0 },
};

static const char *const sev_en[OMSEC_SEV_COUNT] = { "critical", "high",
	"medium", "low", "info" };
static const char *const sev_zh[OMSEC_SEV_COUNT] = { "紧急", "高危",
	"中危", "低危", "信息" };
static const char *const w_sev[OMSEC_SEV_COUNT][6] = {
	{ "critical", "紧急", "严重", "超危", NULL },
	{ "high", "高", "高危", NULL },
	{ "medium", "中", "中危", "moderate", NULL },
	{ "low", "低", "低危", NULL },
	{ "info", "none", "log", "信息", "提示", NULL },
};

const char *
omsec_severity_name(int sev)
{
	return sev >= 0 && sev < OMSEC_SEV_COUNT ? sev_en[sev] : "unknown";
}

const char *
omsec_severity_zh(int sev)
{
	return sev >= 0 && sev < OMSEC_SEV_COUNT ? sev_zh[sev] : "未知";
}

static const char *const st_open[] = { "open", "未修复", "待修复", "新发现",
	"new", "处理中", NULL };
static const char *const st_reopen[] = { "reopened", "重新打开", "重开",
	"复现", NULL };
static const char *const st_fixed[] = { "fixed", "已修复", "resolved", NULL };
static const char *const st_verified[] = { "verified", "已验证", "复测通过",
	"closed", "已关闭", NULL };
static const char *const st_accepted[] = { "accepted", "风险接受", "已接受",
	NULL };
static const char *const st_fp[] = { "false_positive", "误报", NULL };

/* CVSS "7.5" to 7.5; "" to -1. Returns 0 or -1. */
static int
cvss_parse(double *out, const char *s)
{
	char *end;
	double d;

	*out = -1;
	if (*s == '\0')
		return 0;
	d = strtod(s, &end);
	if (end == s || *end != '\0' || d < 0 || d > 10)
		return -1;
	*out = d;
	return 0;
}

static int
sev_from_cvss(double c)
{
	return c >= 9 ? OMSEC_SEV_CRITICAL : c >= 7 ? OMSEC_SEV_HIGH :
	    c >= 4 ? OMSEC_SEV_MEDIUM : c > 0 ? OMSEC_SEV_LOW : OMSEC_SEV_INFO;
}

struct vuln_ctx {
	struct omsec_vulns *v;
	struct omsec_tz *tz;
};

static int
vuln_row(struct rec_csv *r, const char *const *f, char *msg, size_t cap)
{
	struct vuln_ctx *c = r->ctx;
	struct omsec_vulns *vs = c->v;
	struct omsec_vuln v;
	const char *id;
	char esc[96];
	int64_t n;
	int k;

	memset(&v, 0, sizeof(v));
	v.line = r->row_line;
	v.format = rec_has(r, V_PLUGIN) ? OMSEC_VFMT_NESSUS :
	    rec_has(r, V_NVT) ? OMSEC_VFMT_OPENVAS : OMSEC_VFMT_GENERIC;
	if (*f[V_ASSET] == '\0' && *f[V_HOSTNAME] == '\0') {
		snprintf(msg, cap, "empty asset");
		return V_ASSET;
	}
	rec_copy(v.asset, sizeof(v.asset), *f[V_ASSET] ? f[V_ASSET] :
	    f[V_HOSTNAME]);
	id = *f[V_PLUGIN] ? f[V_PLUGIN] : *f[V_NVT] ? f[V_NVT] : f[V_ID];
	if (*id == '\0' && *f[V_CVE] == '\0' && *f[V_NAME] == '\0') {
		snprintf(msg, cap, "no id, CVE or name");
		return rec_has(r, V_ID) ? V_ID : V_ASSET;
	}
	rec_copy(v.id, sizeof(v.id), id);
	rec_copy(v.cve, sizeof(v.cve), f[V_CVE]);
	rec_copy(v.name, sizeof(v.name), f[V_NAME]);
	if (cvss_parse(&v.cvss, f[V_CVSS]) != 0) {
		snprintf(msg, cap, "CVSS '%s' is not 0-10",
		    rec_esc(esc, sizeof(esc), f[V_CVSS]));
		return V_CVSS;
	}
	v.sev = -1;
	for (k = 0; k < OMSEC_SEV_COUNT && *f[V_SEV]; k++)
		if (rec_word(f[V_SEV], w_sev[k]))
			v.sev = k;
	if (v.sev < 0 && *f[V_SEV] != '\0') {
		snprintf(msg, cap, "unknown severity '%s'",
		    rec_esc(esc, sizeof(esc), f[V_SEV]));
		return V_SEV;
	}
	if (v.sev < 0 && v.cvss >= 0)
		v.sev = sev_from_cvss(v.cvss);
	if (v.sev < 0) {
		snprintf(msg, cap, "no severity and no CVSS");
		return rec_has(r, V_SEV) ? V_SEV : V_ASSET;
	}
	/* Nessus port 0 is the host itself. */
	if (*f[V_PORT] && strcmp(f[V_PORT], "0") != 0)
		snprintf(v.port, sizeof(v.port), "%.12s%s%.8s", f[V_PORT],
		    *f[V_PROTO] && !strchr(f[V_PORT], '/') ? "/" : "",
		    strchr(f[V_PORT], '/') ? "" : f[V_PROTO]);
	if (rec_time(&v.found, f[V_FOUND], c->tz) != 0) {
		snprintf(msg, cap, "bad time '%s' (want YYYY-MM-DD[ HH:MM])",
		    rec_esc(esc, sizeof(esc), f[V_FOUND]));
		return V_FOUND;
	}
	if (rec_time(&v.fixed, f[V_FIXED], c->tz) != 0 ||
	    (v.fixed >= 0 && v.found >= 0 && v.fixed < v.found)) {
		snprintf(msg, cap, "bad time '%s' (want YYYY-MM-DD[ HH:MM], "
		    "not before found)", rec_esc(esc, sizeof(esc), f[V_FIXED]));
		return V_FIXED;
	}
	if (rec_time(&v.verified, f[V_VERIFIED], c->tz) != 0 ||
	    (v.verified >= 0 && v.fixed >= 0 && v.verified < v.fixed)) {
		snprintf(msg, cap, "bad time '%s' (want YYYY-MM-DD[ HH:MM], "
		    "not before fixed)", rec_esc(esc, sizeof(esc),
		    f[V_VERIFIED]));
		return V_VERIFIED;
	}
	if (*f[V_REOPENED] != '\0') {
		if (omsec_strtonum(&n, omsec_span_cstr(f[V_REOPENED]), 0,
		    1000) != 0) {
			snprintf(msg, cap, "reopened '%s' is not a count",
			    rec_esc(esc, sizeof(esc), f[V_REOPENED]));
			return V_REOPENED;
		}
		v.reopened = (unsigned)n;
	}
	if (*f[V_STATUS] == '\0')
		v.status = v.verified >= 0 ? OMSEC_VULN_VERIFIED :
		    v.fixed >= 0 ? OMSEC_VULN_FIXED : OMSEC_VULN_OPEN;
	else if (rec_word(f[V_STATUS], st_open))
		v.status = OMSEC_VULN_OPEN;
	else if (rec_word(f[V_STATUS], st_reopen)) {
		v.status = OMSEC_VULN_OPEN;
		if (v.reopened == 0)
			v.reopened = 1;
	} else if (rec_word(f[V_STATUS], st_fixed))
		v.status = OMSEC_VULN_FIXED;
	else if (rec_word(f[V_STATUS], st_verified))
		v.status = OMSEC_VULN_VERIFIED;
	else if (rec_word(f[V_STATUS], st_accepted))
		v.status = OMSEC_VULN_ACCEPTED;
	else if (rec_word(f[V_STATUS], st_fp))
		v.status = OMSEC_VULN_FALSE_POSITIVE;
	else {
		snprintf(msg, cap, "unknown status '%s'",
		    rec_esc(esc, sizeof(esc), f[V_STATUS]));
		return V_STATUS;
	}
	return rec_append(&vs->v, &vs->cap, &vs->n, sizeof(*vs->v), &v,
	    msg, cap);
}

int
omsec_vulns_read(struct omsec_vulns *v, const char *path,
    struct omsec_tz *tz, struct omsec_report_diag *diag)
{
	struct vuln_ctx c = { v, tz };

	return rec_csv_read(path, vuln_cols, V_N, vuln_row, &c, diag);
}

void
omsec_vulns_free(struct omsec_vulns *v)
{
	if (v == NULL)
		return;
	free(v->v);
	v->v = NULL;
	v->n = v->cap = 0;
	v->duplicates = 0;
}

/* ---- dedupe ---------------------------------------------------------- */

static const char *
vkey(const struct omsec_vuln *v)
{
	return v->id[0] ? v->id : v->cve[0] ? v->cve : v->name;
}

static const struct omsec_vuln *sort_base;

static int
idx_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const struct omsec_vuln *p = &sort_base[x], *q = &sort_base[y];
	int c;

	if ((c = strcmp(p->asset, q->asset)) != 0 ||
	    (c = strcmp(vkey(p), vkey(q))) != 0 ||
	    (c = strcmp(p->port, q->port)) != 0)
		return c;
	return x < y ? -1 : x > y;
}

/* Appends the comma-separated CVEs of src missing from dst (if they fit). */
static void
cve_join(char *dst, size_t cap, const char *src)
{
	char one[40];
	const char *p = src;

	while (*p) {
		size_t n = strcspn(p, ", ;");
		if (n > 0 && n < sizeof(one)) {
			memcpy(one, p, n);
			one[n] = '\0';
			if (strstr(dst, one) == NULL &&
			    strlen(dst) + n + 2 < cap) {
				if (dst[0])
					strcat(dst, ",");
				strcat(dst, one);
			}
		}
		p += n;
		while (*p == ',' || *p == ' ' || *p == ';')
			p++;
	}
}

static void
merge(struct omsec_vuln *a, const struct omsec_vuln *b)
{
	if (b->found >= 0 && (a->found < 0 || b->found < a->found))
		a->found = b->found;
	if (b->fixed > a->fixed)
		a->fixed = b->fixed;
	if (b->verified > a->verified)
		a->verified = b->verified;
	if (b->sev < a->sev)
		a->sev = b->sev;
	if (b->cvss > a->cvss)
		a->cvss = b->cvss;
	if (b->reopened > a->reopened)
		a->reopened = b->reopened;
	cve_join(a->cve, sizeof(a->cve), b->cve);
	if (a->name[0] == '\0')
		rec_copy(a->name, sizeof(a->name), b->name);
	/*
	 * A decision (accepted, false positive) stands; else the dates: a
	 * verification or a fix on any row closes the finding, unless it was
	 * re-opened; else the furthest status (open < fixed < verified).
	 */
	if (a->status == OMSEC_VULN_ACCEPTED ||
	    a->status == OMSEC_VULN_FALSE_POSITIVE)
		;
	else if (b->status == OMSEC_VULN_ACCEPTED ||
	    b->status == OMSEC_VULN_FALSE_POSITIVE)
		a->status = b->status;
	else if (a->reopened > 0 && (a->status == OMSEC_VULN_OPEN ||
	    b->status == OMSEC_VULN_OPEN))
		a->status = OMSEC_VULN_OPEN;
	else if (a->verified >= 0)
		a->status = OMSEC_VULN_VERIFIED;
	else if (a->fixed >= 0)
		a->status = OMSEC_VULN_FIXED;
	else if (b->status > a->status)
		a->status = b->status;
	a->dups += 1 + b->dups;
}

unsigned
omsec_vulns_dedupe(struct omsec_vulns *v)
{
	size_t *idx, i, j, o;
	unsigned merged = 0;
	char *gone;

	if (v->n < 2)
		return 0;
	if ((idx = malloc(v->n * sizeof(*idx))) == NULL)
		return 0;
	if ((gone = calloc(v->n, 1)) == NULL) {
		free(idx);
		return 0;
	}
	for (i = 0; i < v->n; i++)
		idx[i] = i;
	sort_base = v->v;
	qsort(idx, v->n, sizeof(*idx), idx_cmp);
	for (i = 0; i < v->n; i = j) {
		struct omsec_vuln *a = &v->v[idx[i]];
		for (j = i + 1; j < v->n; j++) {
			const struct omsec_vuln *b = &v->v[idx[j]];
			if (strcmp(a->asset, b->asset) != 0 ||
			    strcmp(vkey(a), vkey(b)) != 0 ||
			    strcmp(a->port, b->port) != 0)
				break;
			merge(a, b);
			gone[idx[j]] = 1;
			merged++;
		}
	}
	for (i = 0, o = 0; i < v->n; i++)
		if (!gone[i])
			v->v[o++] = v->v[i];
	v->n = o;
	v->duplicates += merged;
	free(gone);
	free(idx);
	return merged;
}

/* ---- figures --------------------------------------------------------- */

/* When the finding stopped being open; INT64_MAX = still open. */
static int64_t
closed_at(const struct omsec_vuln *v)
{
	if (v->status != OMSEC_VULN_FIXED && v->status != OMSEC_VULN_VERIFIED)
		return INT64_MAX;
	if (v->fixed >= 0)
		return v->fixed;
	if (v->verified >= 0)
		return v->verified;
	return INT64_MIN;		/* fixed, date not recorded */
}

static const struct omsec_vuln *age_base;

static int
overdue_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int64_t fx = age_base[x].found, fy = age_base[y].found;

	if (fx != fy)
		return fx < fy ? -1 : 1;
	return x < y ? -1 : x > y;
}

int
omsec_vuln_compute(struct omsec_vuln_figures *out,
    const struct omsec_vulns *vs, const struct omsec_config *cfg,
    int64_t start, int64_t end)
{
	size_t i, cap = 0;
	int k;

	memset(out, 0, sizeof(*out));
	for (k = 0; k < OMSEC_SEV_COUNT; k++)
		out->deadline[k] = cfg->vuln_deadline[k];
	for (i = 0; i < vs->n; i++) {
		const struct omsec_vuln *v = &vs->v[i];
		struct omsec_vuln_row *rows[2] = { &out->sev[v->sev],
			&out->total };
		int64_t dl = cfg->vuln_deadline[v->sev] * 1000;
		int64_t closed = closed_at(v);
		int isopen, overdue = 0, late = 0, age = OMSEC_VULN_AGES - 1;

		if (v->status == OMSEC_VULN_FALSE_POSITIVE)
			continue;
		if (v->found >= end)
			continue;
		isopen = v->status != OMSEC_VULN_ACCEPTED && closed >= end;
		if (isopen && v->found >= 0) {
			int64_t days = (end - v->found) / DAY_MS;
			age = days <= 7 ? 0 : days <= 30 ? 1 : days <= 90 ? 2 : 3;
			overdue = dl > 0 && end - v->found > dl;
		}
		if (v->fixed >= start && v->fixed < end && v->found >= 0 &&
		    dl > 0 && v->fixed - v->found > dl)
			late = 1;
		for (k = 0; k < 2; k++) {
			struct omsec_vuln_row *r = rows[k];
			if (v->found >= start)
				r->found++;
			if (v->fixed >= start && v->fixed < end)
				r->fixed++;
			if (v->verified >= start && v->verified < end)
				r->verified++;
			if (v->reopened > 0)
				r->reopened++;
			r->fixed_late += late;
			if (isopen) {
				r->open++;
				r->age[age]++;
				r->overdue += overdue;
			}
		}
		if (overdue) {
			size_t *nv = rec_grow(out->overdue, &cap, out->noverdue,
			    sizeof(*nv));
			if (nv == NULL) {
				omsec_vuln_figures_free(out);
				return -1;
			}
			out->overdue = nv;
			out->overdue[out->noverdue++] = i;
		}
	}
	age_base = vs->v;
	if (out->noverdue > 1)
		qsort(out->overdue, out->noverdue, sizeof(*out->overdue),
		    overdue_cmp);
	return 0;
}

void
omsec_vuln_figures_free(struct omsec_vuln_figures *f)
{
	if (f == NULL)
		return;
	free(f->overdue);
	f->overdue = NULL;
	f->noverdue = 0;
}
