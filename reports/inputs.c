/*
 * inputs.c - reads the pipeline's own outputs for the report: an
 * omsec-summary v1 (from omsec-agg) and an omsec-alerts v1 (from
 * omsec-detect), both in docs/formats.md. Example lines:
 *   hourly	2026-11-03T02	sshd	authentication	login	failure	2	371
 *   top	src_ip	203.0.113.9	1240	0	CN
 *   top	asset	DHB-SRV-003	45472	0	-
 *   source	/var/log/auth.log	120345	120001	344
 *   ssh_bruteforce-0a1b2c3d4e5f	ssh_bruteforce	urgent	src_ip	203.0.113.9	...
 *
 * Lines come from the core line reader (one 1 MiB buffer) and are split in
 * place. A summary is folded while it is read into fixed counters (days,
 * categories x outcome, severities, top 10 of each dimension shown) plus
 * the list of log sources; alerts are kept (up to OMSEC_RPT_MAXALERTS) and
 * sorted.
 * Cost: linear in the input; memory: the kept alerts and sources.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "out.h"
#include "reader.h"
#include "report.h"
#include "strnum.h"

#define MAXCOLS 32

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

/* Splits a line at tabs and unescapes each field in place. */
static int
split_tsv(char *line, size_t len, struct omsec_span *f, int max)
{
	int n = 0;
	size_t i, start = 0;

	for (i = 0; i <= len && n < max; i++) {
		if (i == len || line[i] == '\t') {
			long m = omsec_tsv_unescape(line + start, i - start);
			if (m < 0)
				return -1;
			f[n++] = omsec_span_make(line + start, (size_t)m);
			start = i + 1;
		}
	}
	return n;
}

static int
num(uint64_t *out, struct omsec_span s)
{
	int64_t v;

	if (omsec_strtonum(&v, s, 0, INT64_MAX) != 0)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

/* Like omsec_span_copy, but never cuts a UTF-8 character in half. */
static void
copy_utf8(char *dst, size_t cap, struct omsec_span s)
{
	size_t n = s.n;

	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)s.p[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, s.p, n);
	dst[n] = '\0';
}

struct lines {
	int fd;
	struct omsec_reader *r;
};

static int
lines_open(struct lines *l, const char *path, struct omsec_report_diag *diag)
{
	if ((l->fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		diagf(diag, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((l->r = omsec_reader_new_fd(l->fd)) == NULL) {
		diagf(diag, "%s: out of memory", path);
		close(l->fd);
		return -1;
	}
	return 0;
}

static void
lines_close(struct lines *l)
{
	omsec_reader_free(l->r);
	close(l->fd);
}

/* Keeps the n largest by count; ties broken by item for a stable order. */
static void
top_insert(struct omsec_rpt_top *t, int *n, struct omsec_span item,
    uint64_t count, uint64_t error, struct omsec_span attr)
{
	struct omsec_rpt_top e;
	int i;

	memset(&e, 0, sizeof(e));
	/* A cut item (a long URL) ends in "…" so that it is not taken for
	   the whole one. */
	if (item.n < sizeof(e.item))
		copy_utf8(e.item, sizeof(e.item), item);
	else {
		copy_utf8(e.item, sizeof(e.item) - strlen("…"), item);
		strcat(e.item, "…");
	}
	copy_utf8(e.attr, sizeof(e.attr), attr);
	e.count = count;
	e.error = error;
	for (i = *n; i > 0; i--) {
		const struct omsec_rpt_top *p = &t[i - 1];
		if (p->count > e.count ||
		    (p->count == e.count && strcmp(p->item, e.item) <= 0))
			break;
	}
	if (i >= OMSEC_RPT_TOPN)
		return;
	if (*n < OMSEC_RPT_TOPN)
		(*n)++;
	memmove(&t[i + 1], &t[i], (size_t)(*n - 1 - i) * sizeof(*t));
	t[i] = e;
}

static int
outcome_index(struct omsec_span s)
{
	if (omsec_span_eq(s, "success"))
		return 0;
	if (omsec_span_eq(s, "failure"))
		return 1;
	return 2;
}

static int
cat_index(struct omsec_rpt_summary *s, struct omsec_span c)
{
	int i;

	for (i = 0; i < s->ncat; i++)
		if (omsec_span_eq(c, s->cat[i]))
			return i;
	if (s->ncat == OMSEC_RPT_MAXCAT - 1) {
		snprintf(s->cat[s->ncat], sizeof(s->cat[0]), "other");
		return s->ncat++;
	}
	if (s->ncat == OMSEC_RPT_MAXCAT)
		return OMSEC_RPT_MAXCAT - 1;
	omsec_span_copy(s->cat[s->ncat], sizeof(s->cat[0]), c);
	return s->ncat++;
}

int
omsec_rpt_summary_read(struct omsec_rpt_summary *s, const char *path,
    struct omsec_tz *tz, int64_t start, int64_t end,
    struct omsec_report_diag *diag)
{
	struct lines l;
	struct omsec_span f[MAXCOLS];
	char *line;
	size_t len;
	int trunc, rc, nf, first = 1, ret = 0;
	int64_t day0, month0;
	struct omsec_civil c;

	memset(s, 0, sizeof(*s));
	s->first = s->last = -1;
	omsec_ms_to_civil(start + (int64_t)omsec_tz_offset_at(tz, start) * 1000, &c);
	day0 = omsec_days_from_civil(c.year, c.month, c.day);
	month0 = c.year * 12 + c.month;
	if (lines_open(&l, path, diag) != 0)
		return -1;
	while ((rc = omsec_reader_next(l.r, &line, &len, &trunc)) == 1) {
		unsigned lineno = (unsigned)omsec_reader_lineno(l.r);
		if (first) {
			first = 0;
			if (len != 16 || memcmp(line, "#omsec-summary\t1", 16) != 0) {
				diagf(diag, "%s:1: not an omsec-summary v1 file",
				    path);
				ret = -1;
				break;
			}
			continue;
		}
		if (len == 0 || line[0] == '#')
			continue;
		nf = split_tsv(line, len, f, MAXCOLS);
		if (nf < 1)
			goto bad;
		if (omsec_span_eq(f[0], "period") && nf == 3) {
			int hz;
			/* A summary of no events (omsec-agg writes "- -"). */
			if ((f[1].n == 0 || omsec_span_eq(f[1], "-")) &&
			    (f[2].n == 0 || omsec_span_eq(f[2], "-")))
				continue;
			if (omsec_parse_iso(&s->first, &hz, f[1]) != 0 ||
			    omsec_parse_iso(&s->last, &hz, f[2]) != 0)
				goto bad;
		} else if (omsec_span_eq(f[0], "events") && nf == 2) {
			if (num(&s->events, f[1]) != 0)
				goto bad;
		} else if (omsec_span_eq(f[0], "hourly") && nf == 8) {
			char iso[32];
			int64_t ms, d, dn, mi, sev;
			int hz, ci;
			uint64_t n;
			if (f[1].n != 13)
				goto bad;
			memcpy(iso, f[1].p, 13);
			memcpy(iso + 13, ":00:00Z", 8);
			if (omsec_parse_iso(&ms, &hz, omsec_span_cstr(iso)) != 0 ||
			    omsec_strtonum(&sev, f[6], 0, 4) != 0 ||
			    num(&n, f[7]) != 0)
				goto bad;
			ci = cat_index(s, f[3]);
			s->cat_outcome[ci][outcome_index(f[5])] += n;
			s->severity[sev] += n;
			if (ms < start || ms >= end) {
				s->outside += n;
				continue;
			}
			omsec_ms_to_civil(ms + (int64_t)omsec_tz_offset_at(tz, ms)
			    * 1000, &c);
			dn = omsec_days_from_civil(c.year, c.month, c.day);
			d = dn - day0;
			if (d >= 0 && d < OMSEC_RPT_MAXDAYS)
				s->day[d] += n;
			else
				s->outside += n;
			mi = (c.year * 12 + c.month) - month0;
			if (mi >= 0 && mi < OMSEC_RPT_MAXMONTHS) {
				s->month[mi] += n;
				s->month_cat[mi][ci] += n;
			}
			/* 1970-01-01 was a Thursday: Monday is 0. */
			s->how[((dn % 7) + 10) % 7][c.hour] += n;
		} else if (omsec_span_eq(f[0], "top") && nf == 6) {
			uint64_t n, e;
			if (num(&n, f[3]) != 0 || num(&e, f[4]) != 0)
				goto bad;
			/*
			 * The report ranks the sources and accounts of failed
			 * events: the busiest ones overall are the customer's own.
			 */
			if (omsec_span_eq(f[1], "fail_src_ip"))
				top_insert(s->top_src, &s->ntop_src, f[2], n, e, f[5]);
			else if (omsec_span_eq(f[1], "fail_user"))
				top_insert(s->top_user, &s->ntop_user, f[2], n, e,
				    f[5]);
			else if (omsec_span_eq(f[1], "asset")) {
				s->have_asset = 1;
				top_insert(s->top_asset, &s->ntop_asset, f[2], n, e,
				    f[5]);
			} else if (omsec_span_eq(f[1], "url")) {
				s->have_url = 1;
				top_insert(s->top_url, &s->ntop_url, f[2], n, e,
				    f[5]);
			}
		} else if (omsec_span_eq(f[0], "source") && nf == 5) {
			struct omsec_rpt_source src;
			memset(&src, 0, sizeof(src));
			if (num(&src.lines, f[2]) != 0 ||
			    num(&src.events, f[3]) != 0 ||
			    num(&src.rejects, f[4]) != 0)
				goto bad;
			copy_utf8(src.path, sizeof(src.path), f[1]);
			if (s->nsrc == s->capsrc) {
				size_t nc = s->capsrc ? s->capsrc * 2 : 16;
				void *nv = realloc(s->src, nc * sizeof(*s->src));
				if (nv == NULL) {
					diagf(diag, "%s: out of memory", path);
					ret = -1;
					break;
				}
				s->src = nv;
				s->capsrc = nc;
			}
			s->src[s->nsrc++] = src;
		} else if (omsec_span_eq(f[0], "hll")) {
			/* Distinct counts are not shown in the monthly report. */
		} else {
			goto bad;
		}
		continue;
bad:
		diagf(diag, "%s:%u: malformed summary line", path, lineno);
		if (diag)
			diag->nbad++;
	}
	if (rc == -1) {
		diagf(diag, "%s: %s", path, strerror(errno));
		ret = -1;
	} else if (first) {
		diagf(diag, "%s: empty file", path);
		ret = -1;
	}
	lines_close(&l);
	if (ret == 0)
		s->present = 1;
	return ret;
}

void
omsec_rpt_summary_free(struct omsec_rpt_summary *s)
{
	if (s == NULL)
		return;
	free(s->src);
	s->src = NULL;
	s->nsrc = s->capsrc = 0;
}

/* ---- alerts ---------------------------------------------------------- */

static int
level_parse(struct omsec_span s)
{
	if (omsec_span_eq(s, "urgent") || omsec_span_eq(s, "紧急"))
		return OMSEC_LEVEL_URGENT;
	if (omsec_span_eq(s, "important") || omsec_span_eq(s, "重要"))
		return OMSEC_LEVEL_IMPORTANT;
	if (omsec_span_eq(s, "general") || omsec_span_eq(s, "一般"))
		return OMSEC_LEVEL_GENERAL;
	return -1;
}

static int
alert_cmp(const void *a, const void *b)
{
	const struct omsec_rpt_alert *x = a, *y = b;
	int c;

	if (x->level != y->level)
		return x->level < y->level ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	if ((c = strcmp(x->rule, y->rule)) != 0)
		return c;
	return strcmp(x->entity, y->entity);
}

/*
 * Copies the refs column into dst (cap bytes) keeping whole refs only: a
 * list longer than dst ends at its last comma that fits. "-" is none.
 */
static void
copy_refs(char *dst, size_t cap, struct omsec_span f)
{
	size_t n = f.n;

	if (n == 1 && f.p[0] == '-')
		n = 0;
	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && f.p[n] != ',')
			n--;
	}
	copy_utf8(dst, n + 1, omsec_span_make(f.p, n));
}

enum { AC_RULE, AC_LEVEL, AC_ETYPE, AC_ENTITY, AC_FIRST, AC_LAST, AC_COUNT,
	AC_N };

int
omsec_rpt_alerts_read(struct omsec_rpt_alerts *a, const char *path,
    struct omsec_report_diag *diag)
{
	static const char *const names[AC_N] = { "rule", "level",
	    "entity_type", "entity", "first", "last", "count" };
	struct lines l;
	struct omsec_span f[MAXCOLS];
	int col[AC_N], idcol = -1, refcol = -1;
	char *line;
	size_t len;
	int trunc, rc, nf, i, j, state = 0, ret = 0;

	memset(a, 0, sizeof(*a));
	if (lines_open(&l, path, diag) != 0)
		return -1;
	while ((rc = omsec_reader_next(l.r, &line, &len, &trunc)) == 1) {
		unsigned lineno = (unsigned)omsec_reader_lineno(l.r);
		struct omsec_rpt_alert al;
		uint64_t cnt;
		int hz;

		if (state == 0) {
			if (len != 15 || memcmp(line, "#omsec-alerts\t1", 15) != 0) {
				diagf(diag, "%s:1: not an omsec-alerts v1 file",
				    path);
				ret = -1;
				break;
			}
			state = 1;
			continue;
		}
		if (len >= 8 && memcmp(line, "#fields\t", 8) == 0) {
			nf = split_tsv(line, len, f, MAXCOLS);
			for (i = 0; i < AC_N; i++) {
				col[i] = -1;
				for (j = 1; j < nf; j++)
					if (omsec_span_eq(f[j], names[i]))
						col[i] = j - 1;
				if (col[i] < 0) {
					diagf(diag, "%s:%u: #fields lacks %s",
					    path, lineno, names[i]);
					ret = -1;
				}
			}
			if (ret != 0)
				break;
			/* The id column is optional: tickets link alerts by it. */
			idcol = refcol = -1;
			for (j = 1; j < nf; j++) {
				if (omsec_span_eq(f[j], "id"))
					idcol = j - 1;
				if (omsec_span_eq(f[j], "refs"))
					refcol = j - 1;
			}
			state = 2;
			continue;
		}
		if (len == 0 || line[0] == '#')
			continue;
		if (state != 2) {
			diagf(diag, "%s:%u: alert before #fields line", path,
			    lineno);
			ret = -1;
			break;
		}
		nf = split_tsv(line, len, f, MAXCOLS);
		memset(&al, 0, sizeof(al));
		for (i = 0; i < AC_N; i++)
			if (col[i] >= nf)
				goto bad;
		if ((al.level = level_parse(f[col[AC_LEVEL]])) < 0 ||
		    omsec_parse_iso(&al.first, &hz, f[col[AC_FIRST]]) != 0 ||
		    omsec_parse_iso(&al.last, &hz, f[col[AC_LAST]]) != 0 ||
		    num(&cnt, f[col[AC_COUNT]]) != 0)
			goto bad;
		al.count = cnt;
		if (idcol >= 0 && idcol < nf)
			copy_utf8(al.id, sizeof(al.id), f[idcol]);
		if (refcol >= 0 && refcol < nf)
			copy_refs(al.refs, sizeof(al.refs), f[refcol]);
		copy_utf8(al.rule, sizeof(al.rule), f[col[AC_RULE]]);
		copy_utf8(al.entity_type, sizeof(al.entity_type),
		    f[col[AC_ETYPE]]);
		copy_utf8(al.entity, sizeof(al.entity), f[col[AC_ENTITY]]);
		a->level[al.level]++;
		if (a->n >= OMSEC_RPT_MAXALERTS) {
			a->dropped++;
			continue;
		}
		if (a->n == a->cap) {
			size_t nc = a->cap ? a->cap * 2 : 64;
			void *nv = realloc(a->v, nc * sizeof(*a->v));
			if (nv == NULL) {
				diagf(diag, "%s: out of memory", path);
				ret = -1;
				break;
			}
			a->v = nv;
			a->cap = nc;
		}
		a->v[a->n++] = al;
		continue;
bad:
		diagf(diag, "%s:%u: malformed alert line", path, lineno);
		if (diag)
			diag->nbad++;
	}
	if (rc == -1) {
		diagf(diag, "%s: %s", path, strerror(errno));
		ret = -1;
	} else if (ret == 0 && state == 0) {
		diagf(diag, "%s: empty file", path);
		ret = -1;
	}
	lines_close(&l);
	if (ret == 0) {
		if (a->n > 1)
			qsort(a->v, a->n, sizeof(*a->v), alert_cmp);
		a->present = 1;
	}
	return ret;
}

void
omsec_rpt_alerts_free(struct omsec_rpt_alerts *a)
{
	if (a == NULL)
		return;
	free(a->v);
	a->v = NULL;
	a->n = a->cap = 0;
}
