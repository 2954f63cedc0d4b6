/*
 * rules.c - PCRE2 rule files: a device format without recompiling.
 *
 *   rule asa-106023
 *     regex    %ASA-\d-106023: Deny (?<_proto>\w+) src [^:]+:(?<src_ip>[^/ ]+)/(?<src_port>\d+) ...
 *     module   asa
 *     category network
 *     action   connection_denied
 *     outcome  failure
 *     severity 2
 *     sample   Nov  3 02:14:07 fw1 %ASA-4-106023: Deny tcp src outside:203.0.113.9/4711 ...
 *     expect   src_ip 203.0.113.9
 *
 * The format is documented in docs/parsers.md. Named groups whose name is an
 * event field (src_ip, user, ...) fill that field; ts, date, time and tz
 * give the time of a line without a syslog header; names starting with '_'
 * are for the rule's own use. Every other key of a rule sets a constant
 * field. Errors read "file:line:offset: what" (offset: 1-based byte column).
 *
 * Cost: at load, one compile and JIT compile per rule; per line, one
 * pcre2_match per rule tried, in file order, with the rule's own
 * match-data block and a shared match context that bounds backtracking;
 * the shipped FortiGate rules, while unchanged, are matched by one
 * key=value scan instead (fgtfast.c). No allocation per line.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "fgtfast.h"
#include "otime.h"
#include "pint.h"
#include "rules.h"

/* Pseudo fields of named groups. */
enum { G_TS = -1, G_DATE = -2, G_TIME = -3, G_TZ = -4, G_SEV = -5 };

struct gmap {
	uint32_t group;
	int field;			/* enum omsec_field or G_* */
};

struct sample {
	const char *text;
	int line;
	int e0, ne;			/* expects[e0 .. e0+ne) */
};

struct expect {
	int field;			/* enum omsec_field */
	const char *val;
	int line, col;
};

struct rule {
	const char *name, *file;
	int line;
	pcre2_code *code;
	pcre2_match_data *md;
	struct gmap *gm;
	int ngm;
	int has_time;			/* captures ts, or date and time */
	int sev, has_sev, sev_group;
	struct omsec_span k[OMSEC_F_COUNT];	/* constants */
	unsigned groups;		/* bit f: a group fills field f */
	int s0, ns;			/* samples[s0 .. s0+ns) */
	uint64_t rehash;		/* FNV-1a of the regex text */
	int first;			/* a byte every match starts with, or -1 */
};

struct omsec_rules {
	struct rule *r;
	int n, cap;
	struct sample *s;
	int ns, scap;
	struct expect *e;
	int ne, ecap;
	char **bufs;			/* one per file: "path\0text" */
	int nbufs;
	pcre2_match_context *mctx;
	/*
	 * rules [fgt0, fgt0 + OMSEC_FGT_NRULES) are the shipped FortiGate
	 * rules, unchanged: fgtfast.c stands in for their regexes. -1: none.
	 */
	int fgt0;
};

static const struct omsec_span NULLSPAN = { NULL, 0 };

static void *
grow(void *v, int *cap, int need, size_t size)
{
	if (need <= *cap)
		return v;
	int nc = *cap ? *cap * 2 : 16;
	while (nc < need)
		nc *= 2;
	void *nv = realloc(v, (size_t)nc * size);
	if (nv != NULL)
		*cap = nc;
	return nv;
}

void
omsec_rules_free(struct omsec_rules *rs)
{
	if (rs == NULL)
		return;
	for (int i = 0; i < rs->n; i++) {
		pcre2_match_data_free(rs->r[i].md);
		pcre2_code_free(rs->r[i].code);
		free(rs->r[i].gm);
	}
	for (int i = 0; i < rs->nbufs; i++)
		free(rs->bufs[i]);
	free(rs->bufs);
	free(rs->r);
	free(rs->s);
	free(rs->e);
	pcre2_match_context_free(rs->mctx);
	free(rs);
}

int
omsec_rules_count(const struct omsec_rules *rs)
{
	return rs ? rs->n : 0;
}

int
omsec_rules_nfiles(const struct omsec_rules *rs)
{
	return rs ? rs->nbufs : 0;
}

/* Field by TSV column name; -1 if none. */
static int
field_by_name(const char *name)
{
	for (int f = 0; f < OMSEC_F_COUNT; f++)
		if (strcmp(omsec_field_name((enum omsec_field)f), name) == 0)
			return f;
	return -1;
}

/* Fields a rule may set: not the derived or enrich-only ones. */
static int
settable(int f)
{
	return f >= 0 && f != OMSEC_F_TS && f != OMSEC_F_REF &&
	    f != OMSEC_F_SEVERITY && f != OMSEC_F_COUNTRY &&
	    f != OMSEC_F_CITY && f != OMSEC_F_ASN && f != OMSEC_F_AS_ORG &&
	    f != OMSEC_F_ZONE && f != OMSEC_F_ASSET;
}

/* Maps the named groups of r->code; returns 0 or -1 with a message. */
static int
map_groups(struct rule *r, char *what, size_t cap)
{
	uint32_t count, esize;
	PCRE2_SPTR tab;
	int have_date = 0, have_time = 0;

	pcre2_pattern_info(r->code, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(r->code, PCRE2_INFO_NAMEENTRYSIZE, &esize);
	pcre2_pattern_info(r->code, PCRE2_INFO_NAMETABLE, &tab);
	r->sev_group = -1;
	if (count > 0 && (r->gm = calloc(count, sizeof(*r->gm))) == NULL) {
		snprintf(what, cap, "%s", strerror(errno));
		return -1;
	}
	for (uint32_t i = 0; i < count; i++) {
		const unsigned char *ent = tab + i * esize;
		uint32_t g = (uint32_t)(ent[0] << 8 | ent[1]);
		const char *name = (const char *)ent + 2;
		int f;

		if (name[0] == '_')
			continue;
		if (strcmp(name, "ts") == 0)
			f = G_TS;
		else if (strcmp(name, "date") == 0)
			f = G_DATE, have_date = 1;
		else if (strcmp(name, "time") == 0)
			f = G_TIME, have_time = 1;
		else if (strcmp(name, "tz") == 0)
			f = G_TZ;
		else if (strcmp(name, "severity") == 0)
			f = G_SEV;
		else if (!settable(f = field_by_name(name))) {
			snprintf(what, cap, "group name '%s' is not an event "
			    "field (nor ts, date, time, tz, severity or _name)",
			    name);
			return -1;
		}
		if (f == G_TS)
			r->has_time = 1;
		if (f >= 0)
			r->groups |= 1u << f;
		r->gm[r->ngm].group = g;
		r->gm[r->ngm].field = f;
		r->ngm++;
	}
	if (have_date && have_time)
		r->has_time = 1;
	return 0;
}

struct loader {
	struct omsec_rules *rs;
	const char *file;
	char *err;
	size_t errcap;
};

static int
fail(struct loader *ld, int line, int col, const char *what)
{
	snprintf(ld->err, ld->errcap, "%s:%d:%d: %s", ld->file, line, col, what);
	return -1;
}

/* Checks that the rule being closed is complete. */
static int
finish_rule(struct loader *ld, struct rule *r)
{
	static const int need[] = { OMSEC_F_MODULE, OMSEC_F_CATEGORY,
	    OMSEC_F_ACTION, OMSEC_F_OUTCOME };
	char what[160];

	if (r->code == NULL)
		return fail(ld, r->line, 1, "rule has no regex");
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if (r->k[need[i]].p == NULL && !(r->groups & (1u << need[i]))) {
			snprintf(what, sizeof(what), "rule %s has no %s",
			    r->name, omsec_field_name((enum omsec_field)need[i]));
			return fail(ld, r->line, 1, what);
		}
	}
	return 0;
}

static int
compile(struct loader *ld, struct rule *r, const char *re, int line, int col)
{
	int ec;
	PCRE2_SIZE eo;
	char what[256], msg[160];

	if (r->code != NULL)
		return fail(ld, line, col, "second regex in one rule");
	r->rehash = UINT64_C(14695981039346656037);
	for (const char *q = re; *q != '\0'; q++)
		r->rehash = (r->rehash ^ (unsigned char)*q) * UINT64_C(1099511628211);
	r->code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, 0, &ec,
	    &eo, NULL);
	if (r->code == NULL) {
		pcre2_get_error_message(ec, (PCRE2_UCHAR *)msg, sizeof(msg));
		snprintf(what, sizeof(what), "bad regex: %s", msg);
		return fail(ld, line, col + (int)eo, what);
	}
	{
		/*
		 * A fixed first byte that is no letter (case-blind patterns
		 * would also start with its other case): a line without it
		 * skips the rule without a pcre2_match call.
		 */
		uint32_t type = 0, unit = 0;
		r->first = -1;
		if (pcre2_pattern_info(r->code, PCRE2_INFO_FIRSTCODETYPE, &type) == 0 &&
		    type == 1 &&
		    pcre2_pattern_info(r->code, PCRE2_INFO_FIRSTCODEUNIT, &unit) == 0 &&
		    unit < 256 && !((unit | 0x20) >= 'a' && (unit | 0x20) <= 'z'))
			r->first = (int)unit;
	}
	/* No JIT on this machine is not an error: the interpreter matches. */
	(void)pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE);
	if ((r->md = pcre2_match_data_create_from_pattern(r->code, NULL)) == NULL)
		return fail(ld, line, col, "out of memory");
	if (map_groups(r, what, sizeof(what)) < 0)
		return fail(ld, line, col, what);
	return 0;
}

/* Parses one file's text in place (lines become NUL-terminated). */
static int
load_text(struct loader *ld, char *text)
{
	struct omsec_rules *rs = ld->rs;
	struct rule *cur = NULL;
	int lineno = 0;
	char *p = text;

	while (*p != '\0' || p == text) {
		char *eol = strchr(p, '\n'), *key, *val, *e;
		int kcol, vcol, f;

		if (eol != NULL)
			*eol = '\0';
		lineno++;
		e = p + strlen(p);
		while (e > p && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		key = p;
		while (*key == ' ' || *key == '\t')
			key++;
		if (*key == '\0' || *key == '#')
			goto next;
		kcol = (int)(key - p) + 1;
		val = key;
		while (*val != '\0' && *val != ' ' && *val != '\t')
			val++;
		if (*val != '\0')
			*val++ = '\0';
		while (*val == ' ' || *val == '\t')
			val++;
		vcol = (int)(val - p) + 1;

		if (strcmp(key, "rule") == 0) {
			if (cur != NULL && finish_rule(ld, cur) < 0)
				return -1;
			if (*val == '\0')
				return fail(ld, lineno, vcol, "rule without a name");
			if ((rs->r = grow(rs->r, &rs->cap, rs->n + 1,
			    sizeof(*rs->r))) == NULL)
				return fail(ld, lineno, 1, "out of memory");
			cur = &rs->r[rs->n++];
			memset(cur, 0, sizeof(*cur));
			cur->name = val;
			cur->file = ld->file;
			cur->line = lineno;
			cur->s0 = rs->ns;
			goto next;
		}
		if (cur == NULL)
			return fail(ld, lineno, kcol, "expected 'rule NAME' first");
		if (*val == '\0')
			return fail(ld, lineno, vcol, "key without a value");
		if (strcmp(key, "regex") == 0) {
			if (compile(ld, cur, val, lineno, vcol) < 0)
				return -1;
		} else if (strcmp(key, "sample") == 0) {
			struct sample *s;
			if ((rs->s = grow(rs->s, &rs->scap, rs->ns + 1,
			    sizeof(*rs->s))) == NULL)
				return fail(ld, lineno, 1, "out of memory");
			s = &rs->s[rs->ns++];
			s->text = val;
			s->line = lineno;
			s->e0 = rs->ne;
			s->ne = 0;
			cur->ns++;
		} else if (strcmp(key, "expect") == 0) {
			struct expect *x;
			char *fv = val;
			while (*fv != '\0' && *fv != ' ' && *fv != '\t')
				fv++;
			if (*fv != '\0')
				*fv++ = '\0';
			while (*fv == ' ' || *fv == '\t')
				fv++;
			if (cur->ns == 0)
				return fail(ld, lineno, kcol, "expect before any sample");
			f = field_by_name(val);
			if (f < 0 || f == OMSEC_F_REF)
				return fail(ld, lineno, vcol, "expect of an unknown field");
			if (*fv == '\0')
				return fail(ld, lineno, vcol, "expect without a value ('-' for empty)");
			if ((rs->e = grow(rs->e, &rs->ecap, rs->ne + 1,
			    sizeof(*rs->e))) == NULL)
				return fail(ld, lineno, 1, "out of memory");
			x = &rs->e[rs->ne++];
			x->field = f;
			x->val = fv;
			x->line = lineno;
			x->col = (int)(fv - p) + 1;
			rs->s[rs->ns - 1].ne++;
		} else if (strcmp(key, "severity") == 0) {
			if (val[0] < '0' || val[0] > '4' || val[1] != '\0')
				return fail(ld, lineno, vcol, "severity must be 0 to 4");
			cur->sev = val[0] - '0';
			cur->has_sev = 1;
		} else if (settable(f = field_by_name(key))) {
			cur->k[f] = omsec_span_cstr(val);
		} else {
			return fail(ld, lineno, kcol, "unknown key (see docs/parsers.md)");
		}
next:
		if (eol == NULL)
			break;
		p = eol + 1;
	}
	if (cur != NULL && finish_rule(ld, cur) < 0)
		return -1;
	return 0;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads "dir/name" into a new buffer "path\0text"; returns it or NULL. */
static char *
read_file(const char *dir, const char *name, char *err, size_t errcap)
{
	size_t pl = strlen(dir) + 1 + strlen(name) + 1, n = 0, cap = 4096;
	char *b = malloc(pl + cap);
	FILE *f;

	if (b == NULL) {
		snprintf(err, errcap, "%s", strerror(errno));
		return NULL;
	}
	snprintf(b, pl, "%s/%s", dir, name);
	if ((f = fopen(b, "r")) == NULL) {
		snprintf(err, errcap, "%s: %s", b, strerror(errno));
		free(b);
		return NULL;
	}
	for (;;) {
		if (n + 1 >= cap) {
			char *nb = realloc(b, pl + cap * 2);
			if (nb == NULL) {
				snprintf(err, errcap, "%s", strerror(errno));
				fclose(f);
				free(b);
				return NULL;
			}
			b = nb;
			cap *= 2;
		}
		size_t r = fread(b + pl + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errcap, "%s: %s", b, strerror(errno));
		fclose(f);
		free(b);
		return NULL;
	}
	fclose(f);
	b[pl + n] = '\0';
	if (memchr(b + pl, '\0', n) != NULL) {
		snprintf(err, errcap, "%s:1:1: NUL byte in a rule file", b);
		free(b);
		return NULL;
	}
	return b;
}

/*
 * FNV-1a of each shipped fortigate.rules regex: the fast path stands in
 * for the rules only while the file still says exactly this.
 */
static const uint64_t fgt_hash[OMSEC_FGT_NRULES] = {
#include "fgthash.h"
};

/* Finds the shipped FortiGate rules (names and regexes) in rs. */
static void
fgt_detect(struct omsec_rules *rs)
{
	const char *off = getenv("OMSEC_NO_FASTPATH");

	rs->fgt0 = -1;
	if (off != NULL && off[0] != '\0')
		return;	/* for comparing the two paths (tests, bench) */
	for (int i = 0; i + OMSEC_FGT_NRULES <= rs->n; i++) {
		int k;
		for (k = 0; k < OMSEC_FGT_NRULES; k++) {
			const struct rule *r = &rs->r[i + k];
			if (strcmp(r->name, omsec_fgt_rules[k]) != 0 ||
			    r->rehash != fgt_hash[k])
				break;
		}
		if (k == OMSEC_FGT_NRULES) {
			rs->fgt0 = i;
			return;
		}
	}
}

struct omsec_rules *
omsec_rules_load(const char *dir, char *err, size_t errcap)
{
	struct omsec_rules *rs = calloc(1, sizeof(*rs));
	char **names = NULL;
	int nn = 0, nc = 0;
	DIR *d;
	struct dirent *de;

	if (rs == NULL || (rs->mctx = pcre2_match_context_create(NULL)) == NULL) {
		snprintf(err, errcap, "%s", strerror(ENOMEM));
		free(rs);
		return NULL;
	}
	/* A runaway pattern costs a bounded amount, then does not match. */
	pcre2_set_match_limit(rs->mctx, 1000000);
	pcre2_set_depth_limit(rs->mctx, 10000);
	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errcap, "%s: %s", dir, strerror(errno));
		omsec_rules_free(rs);
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (l <= 6 || de->d_name[0] == '.' ||
		    strcmp(de->d_name + l - 6, ".rules") != 0)
			continue;
		if ((names = grow(names, &nc, nn + 1, sizeof(*names))) == NULL ||
		    (names[nn] = strdup(de->d_name)) == NULL) {
			snprintf(err, errcap, "%s", strerror(ENOMEM));
			goto bad;
		}
		nn++;
	}
	closedir(d);
	d = NULL;
	if (nn > 0)
		qsort(names, (size_t)nn, sizeof(*names), cmp_names);
	if (nn > 0 && (rs->bufs = calloc((size_t)nn, sizeof(*rs->bufs))) == NULL) {
		snprintf(err, errcap, "%s", strerror(ENOMEM));
		goto bad;
	}
	for (int i = 0; i < nn; i++) {
		struct loader ld;
		char *b = read_file(dir, names[i], err, errcap);
		if (b == NULL)
			goto bad;
		rs->bufs[rs->nbufs++] = b;
		ld.rs = rs;
		ld.file = b;
		ld.err = err;
		ld.errcap = errcap;
		if (load_text(&ld, b + strlen(b) + 1) < 0)
			goto bad;
	}
	for (int i = 0; i < nn; i++)
		free(names[i]);
	free(names);
	fgt_detect(rs);
	return rs;
bad:
	if (d != NULL)
		closedir(d);
	for (int i = 0; i < nn; i++)
		free(names[i]);
	free(names);
	omsec_rules_free(rs);
	return NULL;
}

int
omsec_rules_fastpath(const struct omsec_rules *rs)
{
	return rs != NULL && rs->fgt0 >= 0;
}

/* "+0800", "+08:00", "-05", "Z", "UTC", "GMT": offset in seconds, or -1. */
static int
tz_offset(struct omsec_span z, int *off)
{
	int h, m = 0;

	if (z.n == 1 && z.p[0] == 'Z') {
		*off = 0;
		return 0;
	}
	if (omsec_span_eq(z, "UTC") || omsec_span_eq(z, "GMT")) {
		*off = 0;
		return 0;
	}
	if (z.n < 3 || (z.p[0] != '+' && z.p[0] != '-') ||
	    (h = omsec_digits(z.p + 1, 2)) < 0)
		return -1;
	if (z.n == 6 && z.p[3] == ':')
		m = omsec_digits(z.p + 4, 2);
	else if (z.n == 5)
		m = omsec_digits(z.p + 3, 2);
	else if (z.n != 3)
		return -1;
	if (m < 0 || h > 14 || m > 59)
		return -1;
	*off = (h * 3600 + m * 60) * (z.p[0] == '-' ? -1 : 1);
	return 0;
}

/*
 * The time of a rule match: ts (ISO 8601, "Mmm dd yyyy hh:mm:ss" or
 * "Mmm dd hh:mm:ss"), or date and time joined by a space; tz, when given,
 * is the offset of a zone-less time, else the site zone is. Returns 0 or -1.
 */
static int
rule_time(struct omsec_pctx *cx, int64_t *ms, struct omsec_span ts,
    struct omsec_span date, struct omsec_span tim, struct omsec_span tz)
{
	char buf[80];
	struct omsec_civil c = { 0 };
	int had_zone = 0, off;

	if (ts.n == 0 && date.n > 0 && tim.n > 0 &&
	    date.n + tim.n + 1 < sizeof(buf)) {
		memcpy(buf, date.p, date.n);
		buf[date.n] = ' ';
		memcpy(buf + date.n + 1, tim.p, tim.n);
		ts = omsec_span_make(buf, date.n + 1 + tim.n);
	}
	if (ts.n == 0)
		return -1;
	if (omsec_parse_iso(ms, &had_zone, ts) == 0) {
		if (had_zone)
			return 0;
		omsec_ms_to_civil(*ms, &c);
	} else {
		/* "Mmm dd yyyy hh:mm:ss" (20) or "Mmm dd hh:mm:ss" (15). */
		const char *p = ts.p;
		int mon, hm;
		if (ts.n < 15 || (mon = omsec_month_from_abbr(p)) == 0 ||
		    p[3] != ' ')
			return -1;
		c.month = mon;
		c.day = p[4] == ' ' ? omsec_digits(p + 5, 1) : omsec_digits(p + 4, 2);
		if (ts.n == 20 && p[6] == ' ' && p[11] == ' ') {
			c.year = omsec_digits(p + 7, 4);
			hm = 12;
		} else if (ts.n == 15 && p[6] == ' ') {
			c.year = cx->year_override ? cx->year_override :
			    (mon > cx->src_month ? cx->src_year - 1 : cx->src_year);
			hm = 7;
		} else {
			return -1;
		}
		if (p[hm + 2] != ':' || p[hm + 5] != ':')
			return -1;
		c.hour = omsec_digits(p + hm, 2);
		c.min = omsec_digits(p + hm + 3, 2);
		c.sec = omsec_digits(p + hm + 6, 2);
		if (c.year < 0 || c.day < 1 || c.day > 31 || c.hour < 0 ||
		    c.hour > 23 || c.min < 0 || c.min > 59 || c.sec < 0 ||
		    c.sec > 60)
			return -1;
		if (c.sec == 60)
			c.sec = 59;
	}
	if (tz.n > 0) {
		if (tz_offset(tz, &off) < 0)
			return -1;
		*ms = omsec_civil_to_ms(&c) - (int64_t)off * 1000;
		return 0;
	}
	*ms = omsec_pctx_local(cx, &c);
	return 0;
}

static int finish_match(const struct omsec_rules *, int, struct omsec_pctx *,
    struct omsec_event *, struct omsec_span, int, const struct omsec_span *);

static int
try_rule(const struct omsec_rules *rs, int i, struct omsec_pctx *cx,
    struct omsec_event *ev, struct omsec_span s, int envelope)
{
	const struct rule *r = &rs->r[i];
	struct omsec_span t[5] = { NULLSPAN, NULLSPAN, NULLSPAN, NULLSPAN,
	    NULLSPAN };		/* ts, date, time, tz, severity */
	PCRE2_SIZE *ov;
	int rc;

	if (envelope && !r->has_time)
		return OMSEC_P_NOMATCH;
	rc = pcre2_match(r->code, (PCRE2_SPTR)(s.n ? s.p : ""), s.n, 0, 0,
	    r->md, rs->mctx);
	if (rc < 0)
		return OMSEC_P_NOMATCH;	/* no match, or a limit hit */
	ov = pcre2_get_ovector_pointer(r->md);
	for (int k = 0; k < r->ngm; k++) {
		uint32_t g = r->gm[k].group;
		if (g >= (uint32_t)rc || ov[2 * g] == PCRE2_UNSET)
			continue;
		struct omsec_span v = omsec_span_make(s.p + ov[2 * g],
		    ov[2 * g + 1] - ov[2 * g]);
		if (r->gm[k].field < 0)
			t[-r->gm[k].field - 1] = v;
		else if (v.n > 0)
			ev->f[r->gm[k].field] = v;
	}
	return finish_match(rs, i, cx, ev, s, envelope, t);
}

/*
 * The end of a match (regex or fast path): the time of a header-less line,
 * the rule's constants where no group set the field, severity, rule_hit.
 */
static int
finish_match(const struct omsec_rules *rs, int i, struct omsec_pctx *cx,
    struct omsec_event *ev, struct omsec_span s, int envelope,
    const struct omsec_span *t)
{
	const struct rule *r = &rs->r[i];

	if (envelope) {
		if (rule_time(cx, &ev->ts_ms, t[0], t[1], t[2], t[3]) < 0) {
			if (t[0].n == 0 && (t[1].n == 0 || t[2].n == 0))
				return OMSEC_P_NOMATCH;
			cx->why = "rule matched a time it cannot read";
			return OMSEC_P_ERROR;
		}
	}
	for (int f = 0; f < OMSEC_F_COUNT; f++) {
		/* A group that matched wins over the constant. */
		if (r->k[f].p != NULL && !((r->groups & (1u << f)) &&
		    ev->f[f].n > 0 && ev->f[f].p >= s.p &&
		    ev->f[f].p <= s.p + s.n))
			ev->f[f] = r->k[f];
	}
	ev->severity = r->sev;
	if (t[4].n == 1 && t[4].p[0] >= '0' && t[4].p[0] <= '4')
		ev->severity = t[4].p[0] - '0';
	cx->rule_hit = i;
	cx->rule_last = i;
	return OMSEC_P_MATCH;
}

/* The shipped FortiGate rules through fgtfast.c: as their regexes would. */
static int
try_fgt(const struct omsec_rules *rs, struct omsec_pctx *cx,
    struct omsec_event *ev, struct omsec_span s, int envelope)
{
	static const int field[OMSEC_FGT_NOUT] = {
		[OMSEC_FGT_DATE] = -1, [OMSEC_FGT_TIME] = -1, [OMSEC_FGT_TZ] = -1,
		[OMSEC_FGT_HOST] = OMSEC_F_HOST, [OMSEC_FGT_SRC_IP] = OMSEC_F_SRC_IP,
		[OMSEC_FGT_SRC_PORT] = OMSEC_F_SRC_PORT,
		[OMSEC_FGT_DST_IP] = OMSEC_F_DST_IP,
		[OMSEC_FGT_DST_PORT] = OMSEC_F_DST_PORT,
		[OMSEC_FGT_USER] = OMSEC_F_USER,
		[OMSEC_FGT_RULE_ID] = OMSEC_F_RULE_ID,
		[OMSEC_FGT_RULE_NAME] = OMSEC_F_RULE_NAME,
		[OMSEC_FGT_URL] = OMSEC_F_URL,
	};
	struct omsec_span v[OMSEC_FGT_NOUT], t[5] = { NULLSPAN, NULLSPAN,
	    NULLSPAN, NULLSPAN, NULLSPAN };
	int k;

	if (omsec_fgt_scan(s, v, &k) < 0)
		return OMSEC_P_NOMATCH;
	for (int j = 0; j < OMSEC_FGT_NOUT; j++)
		if (field[j] > 0 && v[j].n > 0)
			ev->f[field[j]] = v[j];
	t[1] = v[OMSEC_FGT_DATE];
	t[2] = v[OMSEC_FGT_TIME];
	t[3] = v[OMSEC_FGT_TZ];
	return finish_match(rs, rs->fgt0 + k, cx, ev, s, envelope, t);
}

int
omsec_rules_apply(const struct omsec_rules *rs, struct omsec_pctx *cx,
    struct omsec_event *ev, struct omsec_span s, int envelope)
{
	struct omsec_event save;
	int r, last_first, has_first = 0;

	if (rs == NULL || rs->n == 0)
		return OMSEC_P_NOMATCH;
	save = *ev;
	last_first = -1;
	/*
	 * Always in file order: rules overlap (fgt-utm-ips-high before
	 * fgt-utm-ips), so trying the previous line's rule first gave a line
	 * the rule of its predecessor's kind rather than the first that
	 * matches.
	 */
	for (int i = 0; i < rs->n; i++) {
		if (i == rs->fgt0) {
			r = try_fgt(rs, cx, ev, s, envelope);
			if (r != OMSEC_P_NOMATCH)
				return r;
			*ev = save;
			i += OMSEC_FGT_NRULES - 1;
			continue;
		}
		/* Runs of rules with one first byte (%ASA-...) cost one memchr. */
		if (rs->r[i].first >= 0) {
			if (rs->r[i].first != last_first) {
				last_first = rs->r[i].first;
				has_first = s.n > 0 &&
				    memchr(s.p, last_first, s.n) != NULL;
			}
			if (!has_first)
				continue;
		}
		if ((r = try_rule(rs, i, cx, ev, s, envelope)) != OMSEC_P_NOMATCH)
			return r;
		*ev = save;
	}
	return OMSEC_P_NOMATCH;
}

static void
reportf(void (*report)(void *, const char *), void *arg, const char *file,
    int line, int col, const char *what)
{
	char msg[1024];
	snprintf(msg, sizeof(msg), "%s:%d:%d: %s", file, line, col, what);
	report(arg, msg);
}

int
omsec_rules_check(const struct omsec_rules *rs, struct omsec_parse *p,
    void (*report)(void *arg, const char *msg), void *arg, int *nsamples)
{
	struct omsec_pctx *cx = omsec_parse_cx(p);
	struct omsec_event ev;
	const char *why;
	char what[900], got[256], ts[25];
	int bad = 0;

	*nsamples = 0;
	for (int i = 0; rs != NULL && i < rs->n; i++) {
		const struct rule *r = &rs->r[i];
		if (r->ns == 0) {
			snprintf(what, sizeof(what), "rule %s has no sample", r->name);
			reportf(report, arg, r->file, r->line, 1, what);
			bad++;
			continue;
		}
		for (int j = r->s0; j < r->s0 + r->ns; j++) {
			const struct sample *sm = &rs->s[j];
			(*nsamples)++;
			omsec_parse_source(p, omsec_span_cstr(r->file),
			    OMSEC_SPAN_LIT("-"), -1);
			if (omsec_parse_line(p, &ev, sm->text, strlen(sm->text),
			    (uint64_t)sm->line, &why) != OMSEC_P_MATCH) {
				snprintf(what, sizeof(what), "rule %s: sample "
				    "not parsed: %s", r->name, why);
				reportf(report, arg, r->file, sm->line, 1, what);
				bad++;
				continue;
			}
			if (cx->rule_hit != i) {
				snprintf(what, sizeof(what), "rule %s: sample "
				    "taken by %s%s", r->name, cx->rule_hit >= 0 ?
				    "rule " : "a built-in parser", cx->rule_hit >= 0 ?
				    rs->r[cx->rule_hit].name : "");
				reportf(report, arg, r->file, sm->line, 1, what);
				bad++;
				continue;
			}
			for (int k = sm->e0; k < sm->e0 + sm->ne; k++) {
				const struct expect *x = &rs->e[k];
				const char *want = strcmp(x->val, "-") == 0 ? "" : x->val;
				if (x->field == OMSEC_F_TS) {
					omsec_format_iso(ts, ev.ts_ms);
					snprintf(got, sizeof(got), "%s", ts);
				} else if (x->field == OMSEC_F_SEVERITY) {
					snprintf(got, sizeof(got), "%d", ev.severity);
				} else {
					omsec_span_copy(got, sizeof(got), ev.f[x->field]);
				}
				if (strcmp(got, want) == 0)
					continue;
				snprintf(what, sizeof(what), "rule %s: sample "
				    "gives %s '%s', expected '%s'", r->name,
				    omsec_field_name((enum omsec_field)x->field),
				    got, want);
				reportf(report, arg, r->file, x->line, x->col, what);
				bad++;
			}
		}
	}
	return bad;
}
