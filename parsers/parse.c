/*
 * parse.c - the parser table, per-source state, and the stream driver of
 * omsec-parse (docs/formats.md section 1 in, sections 2 and 5 out).
 *
 *   #omsec-ingest	1
 *   #source	/var/log/auth.log	-	1764288000
 *   Nov 26 03:12:01 web1 sshd[811]: Accepted publickey for deploy from 10.0.0.5 port 50022 ssh2
 *
 * Sniffing: each line is offered first to the parser that matched the
 * previous line of the source, then to the table's rows in priority order,
 * skipping rows whose first-byte test fails. So a homogeneous file costs one
 * attempt per line. Memory: struct omsec_parse (about 30 KiB: the slow-log
 * record buffers and the [types] copy included), nothing per
 * line.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "out.h"
#include "paths.h"
#include "pint.h"
#include "reader.h"
#include "rules.h"
#include "strnum.h"

static int
first_lt(unsigned char c)
{
	return c == '<';
}

static int
first_brace(unsigned char c)
{
	return c == '{';
}

static int
first_bracket(unsigned char c)
{
	return c == '[';
}

static int
first_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int
first_3164(unsigned char c)
{
	return (c >= 'A' && c <= 'S') || c == '<';
}

static int
first_iso(unsigned char c)
{
	return (c >= '0' && c <= '9') || c == '<';
}

static int
first_access(unsigned char c)
{
	return c > ' ' && c != '#' && c != 0x7f;
}

static int
first_slow(unsigned char c)
{
	return c == '#' || c == '/';
}

static int
first_asa(unsigned char c)
{
	return c == '%' || c == '<' || (c >= 'A' && c <= 'S') ||
	    (c >= '0' && c <= '9');
}

static int
first_any(unsigned char c)
{
	return c != '#';
}

/* Rule files as an envelope: lines without a syslog header (FortiGate). */
static int
rules_row(struct omsec_pctx *cx, struct omsec_event *ev, struct omsec_span s)
{
	size_t off = 0;

	/* "<PRI>" of a device that sends straight to a file or a socket. */
	if (s.n > 2 && s.p[0] == '<') {
		size_t i = 1;
		while (i < s.n && i <= 4 && s.p[i] >= '0' && s.p[i] <= '9')
			i++;
		if (i > 1 && i < s.n && s.p[i] == '>')
			off = i + 1;
	}
	return omsec_rules_apply(cx->rules, cx, ev,
	    omsec_span_make(s.p + off, s.n - off), 1);
}

/*
 * Rows in sniffing order: cheap, specific tests first. The R_* bits below
 * follow this order.
 */
const struct omsec_parser_row omsec_parsers[] = {
	{ "cef", omsec_cef_parse, first_any, 3 },
	{ "json", omsec_json_parse, first_brace, 4 },
	{ "suricata-eve", omsec_eve_parse, first_brace, 5 },
	{ "rfc5424", omsec_rfc5424_parse, first_lt, 10 },
	{ "asa", omsec_asa_parse, first_asa, 15 },
	{ "rfc3164", omsec_rfc3164_parse, first_3164, 20 },
	{ "mysql-error", omsec_mysql_error_parse, first_digit, 24 },
	{ "mysql-slow", omsec_mysql_slow_parse, first_slow, 28 },
	{ "postgresql", omsec_postgresql_parse, first_digit, 25 },
	{ "nginx-error", omsec_nginx_error_parse, first_digit, 26 },
	{ "fast.log", omsec_fastlog_parse, first_digit, 27 },
	{ "rfc3339-syslog", omsec_isosyslog_parse, first_iso, 30 },
	{ "apache-error", omsec_apache_error_parse, first_bracket, 35 },
	{ "access", omsec_access_parse, first_access, 40 },
	{ "rules", rules_row, first_any, 90 },
};
const int omsec_nparsers = sizeof(omsec_parsers) / sizeof(omsec_parsers[0]);

enum {
	R_CEF = 1u << 0, R_JSON = 1u << 1, R_EVE = 1u << 2, R_5424 = 1u << 3,
	R_ASA = 1u << 4, R_3164 = 1u << 5, R_MYSQL = 1u << 6, R_SLOW = 1u << 7,
	R_PG = 1u << 8, R_NGINXERR = 1u << 9, R_FAST = 1u << 10, R_ISO = 1u << 11,
	R_APACHEERR = 1u << 12, R_ACCESS = 1u << 13, R_RULES = 1u << 14,
	/* Sniffing: every row but json, which would take any JSON object. */
	R_SNIFF = ~R_JSON,
	R_SYSLOG = R_5424 | R_3164 | R_ISO
};

/* --type and "#source" type names: which rows they allow, module hint. */
static const struct {
	const char *name;
	unsigned rows;		/* bit i = omsec_parsers[i] */
	int web;
} types[] = {
	{ "syslog", R_SYSLOG, OMSEC_WEB_WEB },
	{ "rfc3164", R_3164, OMSEC_WEB_WEB },
	{ "rfc5424", R_5424, OMSEC_WEB_WEB },
	{ "rfc3339-syslog", R_ISO, OMSEC_WEB_WEB },
	{ "auth", R_SYSLOG, OMSEC_WEB_WEB },
	{ "access", R_ACCESS, OMSEC_WEB_WEB },
	{ "web", R_ACCESS, OMSEC_WEB_WEB },
	{ "nginx", R_ACCESS | R_NGINXERR, OMSEC_WEB_NGINX },
	{ "apache", R_ACCESS | R_APACHEERR, OMSEC_WEB_APACHE },
	{ "httpd", R_ACCESS | R_APACHEERR, OMSEC_WEB_APACHE },
	{ "nginx-error", R_NGINXERR, OMSEC_WEB_NGINX },
	{ "apache-error", R_APACHEERR, OMSEC_WEB_APACHE },
	{ "iptables", R_SYSLOG, OMSEC_WEB_WEB },
	{ "ufw", R_SYSLOG, OMSEC_WEB_WEB },
	{ "suricata", R_EVE | R_FAST | R_SYSLOG, OMSEC_WEB_WEB },
	{ "eve", R_EVE, OMSEC_WEB_WEB },
	{ "fast.log", R_FAST, OMSEC_WEB_WEB },
	{ "snort", R_FAST | R_SYSLOG, OMSEC_WEB_WEB },
	{ "mysql", R_MYSQL | R_SLOW | R_SYSLOG, OMSEC_WEB_WEB },
	{ "mariadb", R_MYSQL | R_SLOW | R_SYSLOG, OMSEC_WEB_WEB },
	{ "mysql-slow", R_SLOW, OMSEC_WEB_WEB },
	{ "postgresql", R_PG | R_SYSLOG, OMSEC_WEB_WEB },
	{ "asa", R_SYSLOG | R_ASA | R_RULES, OMSEC_WEB_WEB },
	{ "fortigate", R_SYSLOG | R_RULES, OMSEC_WEB_WEB },
	{ "rules", R_SYSLOG | R_ASA | R_RULES, OMSEC_WEB_WEB },
	{ "cef", R_CEF | R_SYSLOG, OMSEC_WEB_WEB },
	{ "leef", R_CEF | R_SYSLOG, OMSEC_WEB_WEB },
	{ "json", R_JSON, OMSEC_WEB_WEB },
};
#define NTYPES ((int)(sizeof(types) / sizeof(types[0])))

struct omsec_parse {
	struct omsec_pctx cx;
	struct omsec_rules *rules;	/* owned; NULL without rule files */
	struct omsec_jsonmap *jmap;	/* owned; NULL without [json] */
	/* [types] of the site configuration, in file order. */
	struct omsec_cfg_type ctypes[OMSEC_CFG_MAX_TYPES];
	int nctypes;
	int forced_type;		/* --type index or -1 */
	int json;
	unsigned rows;			/* allowed rows for this source */
	size_t path_n;
	size_t ref_base;		/* bytes of "path:" in ref */
	uint64_t ref_lineno;		/* the number after ref_base; 0: none */
	size_t ref_n;			/* its digits */
	uint32_t ref_plain;		/* the REF bit, if the path is plain */
	char path[OMSEC_PATH_MAX];
	char ref[OMSEC_PATH_MAX + 24];
};

static int
type_index(const char *name, size_t n)
{
	for (int i = 0; i < NTYPES; i++)
		if (strlen(types[i].name) == n && memcmp(types[i].name, name, n) == 0)
			return i;
	return -1;
}

int
omsec_parse_type_known(const char *name)
{
	return type_index(name, strlen(name)) >= 0;
}

void
omsec_parse_type_list(char *buf, size_t cap)
{
	size_t n = 0;

	if (cap == 0)
		return;
	buf[0] = '\0';
	for (int i = 0; i < NTYPES; i++) {
		int w = snprintf(buf + n, cap - n, "%s%s", i ? ", " : "",
		    types[i].name);
		if (w < 0 || (size_t)w >= cap - n)
			return;
		n += (size_t)w;
	}
}

/* [types] (each type checked) and the [json] map of the site config. */
static int
config_setup(struct omsec_parse *p, const struct omsec_config *cfg,
    char *err, size_t errcap)
{
	for (int i = 0; i < cfg->ntypes; i++) {
		const char *t = cfg->types[i].type;
		if (type_index(t, strlen(t)) < 0) {
			snprintf(err, errcap, "[types] %.64s: unknown type %.32s",
			    cfg->types[i].glob, t);
			return -1;
		}
		p->ctypes[p->nctypes++] = cfg->types[i];
	}
	if (cfg->njson > 0) {
		const char *names[OMSEC_CFG_MAX_JSON], *values[OMSEC_CFG_MAX_JSON];
		for (int i = 0; i < cfg->njson; i++) {
			names[i] = cfg->json[i].field;
			values[i] = cfg->json[i].value;
		}
		if ((p->jmap = omsec_jsonmap_new(names, values, cfg->njson, err,
		    errcap)) == NULL)
			return -1;
		p->cx.jmap = p->jmap;
	}
	return 0;
}

struct omsec_parse *
omsec_parse_new(const struct omsec_parse_opts *opts, char *err, size_t errcap)
{
	struct omsec_parse *p;
	const char *tz = opts->tz ? opts->tz : "Asia/Shanghai";

	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		snprintf(err, errcap, "%s", strerror(errno));
		return NULL;
	}
	p->forced_type = -1;
	if (opts->type != NULL &&
	    (p->forced_type = type_index(opts->type, strlen(opts->type))) < 0) {
		snprintf(err, errcap, "unknown type: %s", opts->type);
		free(p);
		return NULL;
	}
	if ((p->cx.tz = omsec_tz_new(tz)) == NULL) {
		snprintf(err, errcap, "unknown time zone: %s", tz);
		free(p);
		return NULL;
	}
	if (opts->rules_dir == NULL) {
		/* The installed (or build-tree) rules; none is not an error. */
		char dir[OMSEC_PATH_MAX];
		if (omsec_data_path(dir, sizeof(dir), "rules") == 0 &&
		    (p->rules = omsec_rules_load(dir, err, errcap)) == NULL) {
			omsec_parse_free(p);
			return NULL;
		}
	} else if (opts->rules_dir[0] != '\0' &&
	    (p->rules = omsec_rules_load(opts->rules_dir, err, errcap)) == NULL) {
		omsec_parse_free(p);
		return NULL;
	}
	p->cx.rules = p->rules;
	if (opts->cfg != NULL && config_setup(p, opts->cfg, err, errcap) < 0) {
		omsec_parse_free(p);
		return NULL;
	}
	p->cx.year_override = opts->year;
	p->cx.now = opts->now ? opts->now : (int64_t)time(NULL);
	p->json = opts->json;
	omsec_parse_source(p, OMSEC_SPAN_LIT("-"), OMSEC_SPAN_LIT("-"), -1);
	return p;
}

void
omsec_parse_free(struct omsec_parse *p)
{
	if (p == NULL)
		return;
	omsec_tz_free(p->cx.tz);
	omsec_rules_free(p->rules);
	omsec_jsonmap_free(p->jmap);
	free(p);
}

struct omsec_pctx *
omsec_parse_cx(struct omsec_parse *p)
{
	return &p->cx;
}

int
omsec_parse_rules_count(const struct omsec_parse *p, int *nfiles)
{
	if (nfiles != NULL)
		*nfiles = omsec_rules_nfiles(p->rules);
	return omsec_rules_count(p->rules);
}

int
omsec_parse_check_rules(struct omsec_parse *p,
    void (*report)(void *arg, const char *msg), void *arg, int *nsamples)
{
	return omsec_rules_check(p->rules, p, report, arg, nsamples);
}

static int
contains(struct omsec_span s, const char *lit)
{
	return omsec_span_find(s, lit) >= 0;
}

void
omsec_parse_source(struct omsec_parse *p, struct omsec_span path,
    struct omsec_span type, int64_t mtime)
{
	struct omsec_pctx *cx = &p->cx;
	struct omsec_civil c;
	int64_t t = mtime >= 0 ? mtime : cx->now;
	int ti = p->forced_type;

	p->path_n = path.n < sizeof(p->path) ? path.n : sizeof(p->path) - 1;
	memcpy(p->path, path.p, p->path_n);
	memcpy(p->ref, p->path, p->path_n);
	p->ref[p->path_n] = ':';
	p->ref_base = p->path_n + 1;
	p->ref_lineno = 0;
	p->ref_plain = omsec_tsv_plain(omsec_span_make(p->path, p->path_n)) ?
	    OMSEC_FIELD_BIT(OMSEC_F_REF) : 0;

	if (ti < 0)
		ti = type_index(type.p, type.n);
	if (ti < 0 && p->nctypes > 0) {
		/* [types]: the first glob the path matches ('*' spans '/'). */
		char pz[OMSEC_PATH_MAX];
		memcpy(pz, p->path, p->path_n);
		pz[p->path_n] = '\0';
		for (int i = 0; i < p->nctypes && ti < 0; i++)
			if (fnmatch(p->ctypes[i].glob, pz, 0) == 0)
				ti = type_index(p->ctypes[i].type,
				    strlen(p->ctypes[i].type));
	}
	p->rows = ti >= 0 ? types[ti].rows : (unsigned)R_SNIFF;
	cx->web_hint = ti >= 0 ? types[ti].web : OMSEC_WEB_WEB;
	if (cx->web_hint == OMSEC_WEB_WEB) {
		struct omsec_span sp = omsec_span_make(p->path, p->path_n);
		if (contains(sp, "nginx"))
			cx->web_hint = OMSEC_WEB_NGINX;
		else if (contains(sp, "apache") || contains(sp, "httpd"))
			cx->web_hint = OMSEC_WEB_APACHE;
	}
	cx->last = -1;
	cx->rule_last = -1;
	cx->ts_valid = 0;
	cx->cont = 0;
	cx->cef = ti >= 0 && (types[ti].rows & R_CEF);
	memset(&cx->slow, 0, offsetof(struct omsec_slow, stmtbuf));

	/* The mtime's local date decides the year of RFC 3164 stamps. */
	t *= 1000;
	omsec_ms_to_civil(t + (int64_t)omsec_tz_offset_at(cx->tz, t) * 1000, &c);
	cx->src_year = c.year;
	cx->src_month = c.month;
	cx->src_ts_ms = t;
}

static int
try_row(struct omsec_parse *p, int i, struct omsec_event *ev,
    struct omsec_span s)
{
	omsec_event_clear(ev);
	return omsec_parsers[i].fn(&p->cx, ev, s);
}

/*
 * Adds one to the line number in ref, in place: lines come one after
 * another, and writing the number anew was 2% of omsec-parse. 0 when it
 * would need one more digit (the caller writes it anew).
 */
static int
ref_next(struct omsec_parse *p)
{
	char *b = p->ref + p->ref_base, *d = b + p->ref_n;

	while (d > b && d[-1] == '9')
		*--d = '0';
	if (d == b)
		return 0;
	d[-1]++;
	return 1;
}

/*
 * omsec_parse_line; plain is 1 when the caller's reader already found the
 * line plain (omsec_reader_next_plain), which saves a second pass over it.
 */
static int
parse_line(struct omsec_parse *p, struct omsec_event *ev, const char *line,
    size_t len, uint64_t lineno, int plain, const char **why)
{
	struct omsec_pctx *cx = &p->cx;
	struct omsec_span s = omsec_span_make(line, len);
	int r = OMSEC_P_NOMATCH, i, cont;

	/* CRLF files: the '\r' belongs to the line ending, not the message. */
	if (s.n > 0 && s.p[s.n - 1] == '\r')
		s.n--;
	*why = "no parser matched";
	if (s.n == 0) {
		*why = "empty line";
		return OMSEC_P_NOMATCH;
	}
	cx->why = NULL;
	cx->lineno = lineno;
	cx->ref_line = 0;
	cx->rule_hit = -1;
	cx->scratch_n = 0;
	cont = cx->cont;
	cx->cont = 0;
	if (cx->cef && cx->last != 0 && (p->rows & R_CEF) &&
	    (r = try_row(p, 0, ev, s)) == OMSEC_P_MATCH)
		cx->last = 0;
	if (r == OMSEC_P_NOMATCH && cx->last >= 0)
		r = try_row(p, cx->last, ev, s);
	for (i = 0; r == OMSEC_P_NOMATCH && i < omsec_nparsers; i++) {
		if (i == cx->last || (i == 0 && cx->cef) || !(p->rows & (1u << i)) ||
		    !omsec_parsers[i].first((unsigned char)s.p[0]))
			continue;
		r = try_row(p, i, ev, s);
		if (r == OMSEC_P_MATCH || r == OMSEC_P_CONT)
			cx->last = i;
	}
	if (r == OMSEC_P_MATCH && cx->last == 0)
		cx->cef = 1;
	if (r == OMSEC_P_CONT) {
		*why = "part of a multi-line record";
		return r;
	}
	if (r != OMSEC_P_MATCH) {
		cx->cont = cont;
		if (r == OMSEC_P_ERROR && cx->why != NULL)
			*why = cx->why;
		else if (cont)
			*why = "continuation of a multi-line message";
		return r;
	}
	if (ev->f[OMSEC_F_MSG].p == NULL)
		ev->f[OMSEC_F_MSG] = s;
	/* Fields cut from a line with no byte to escape are copied as they
	 * are (core/event.h); most lines are such lines. */
	if (!p->json && (plain || omsec_tsv_plain(s)))
		ev->tsv_clean = s;
	if (cx->ref_line != 0)
		lineno = cx->ref_line;
	if (p->ref_lineno == 0 || lineno != p->ref_lineno + 1 ||
	    !ref_next(p)) {
		/* By hand: snprintf here cost 5% of the whole run. */
		char num[24], *d = num + sizeof(num);
		uint64_t v = lineno;
		do
			*--d = (char)('0' + v % 10);
		while ((v /= 10) != 0);
		p->ref_n = (size_t)(num + sizeof(num) - d);
		memcpy(p->ref + p->ref_base, d, p->ref_n);
	}
	p->ref_lineno = lineno;
	ev->f[OMSEC_F_REF] = omsec_span_make(p->ref, p->ref_base + p->ref_n);
	ev->tsv_plain |= p->ref_plain;
	return OMSEC_P_MATCH;
}

int
omsec_parse_line(struct omsec_parse *p, struct omsec_event *ev,
    const char *line, size_t len, uint64_t lineno, const char **why)
{
	return parse_line(p, ev, line, len, lineno, 0, why);
}

int
omsec_parse_finish(struct omsec_parse *p, struct omsec_event *ev)
{
	struct omsec_pctx *cx = &p->cx;
	char num[24];
	int n;

	if (omsec_slow_finish(cx, ev) != OMSEC_P_MATCH)
		return OMSEC_P_NOMATCH;
	n = snprintf(num, sizeof(num), "%llu", (unsigned long long)cx->ref_line);
	memcpy(p->ref + p->ref_base, num, (size_t)n);
	p->ref_lineno = 0;
	ev->f[OMSEC_F_REF] = omsec_span_make(p->ref, p->ref_base + (size_t)n);
	ev->tsv_plain |= p->ref_plain;
	return OMSEC_P_MATCH;
}

void
omsec_parse_write_header(struct omsec_parse *p, struct omsec_out *out)
{
	if (!p->json)
		omsec_event_write_header(out);
}

void
omsec_parse_write_rejects_header(struct omsec_out *rej)
{
	omsec_out_str(rej, "#omsec-rejects\t1\n");
}

static void
write_event(struct omsec_parse *p, struct omsec_out *out,
    const struct omsec_event *ev)
{
	if (p->json)
		omsec_event_write_json(out, ev);
	else
		omsec_event_write_tsv(out, ev);
}

static void
end_source(struct omsec_parse *p, struct omsec_out *out,
    struct omsec_parse_stats *st, struct omsec_parse_totals *tot)
{
	struct omsec_event ev;

	/* A multi-line record the source ended in: one of its lines is the event. */
	if (omsec_parse_finish(p, &ev) == OMSEC_P_MATCH && st->continued > 0) {
		st->continued--;
		st->events++;
		write_event(p, out, &ev);
	}
	/* JSON Lines stays pure JSON for shippers: no "#stats" line there. */
	if (!p->json && st->continued == 0) {
		omsec_stats_write(out, omsec_span_make(p->path, p->path_n),
		    st->lines, st->events, st->rejects, st->truncated);
	} else if (!p->json) {
		/*
		 * The 7th column only where a source had multi-line records,
		 * so that other streams stay as they were (docs/formats.md).
		 */
		omsec_out_str(out, "#stats\t");
		omsec_out_tsv(out, omsec_span_make(p->path, p->path_n));
		omsec_out_putc(out, '\t');
		omsec_out_u64(out, st->lines);
		omsec_out_putc(out, '\t');
		omsec_out_u64(out, st->events);
		omsec_out_putc(out, '\t');
		omsec_out_u64(out, st->rejects);
		omsec_out_putc(out, '\t');
		omsec_out_u64(out, st->truncated);
		omsec_out_putc(out, '\t');
		omsec_out_u64(out, st->continued);
		omsec_out_putc(out, '\n');
	}
	if (tot != NULL) {
		tot->sources++;
		tot->lines += st->lines;
		tot->events += st->events;
		tot->rejects += st->rejects;
		tot->truncated += st->truncated;
		tot->continued += st->continued;
	}
}

/*
 * "#source\tpath\ttype\tmtime[\tline0]": fields in place; *line0 gets the
 * lines of the file before this part (0 without the field). Returns 0 or -1.
 */
static int
source_line(struct omsec_parse *p, char *line, size_t len, uint64_t *line0)
{
	char *f[3], *e = line + len, *q = line + 8;	/* after "#source\t" */
	size_t n[3];
	int64_t mtime = -1;
	long pl;

	for (int i = 0; i < 3; i++) {
		char *t = memchr(q, '\t', (size_t)(e - q));
		if (t == NULL && i < 2)
			return -1;
		f[i] = q;
		n[i] = (size_t)((t ? t : e) - q);
		q = t ? t + 1 : e;
	}
	if ((pl = omsec_tsv_unescape(f[0], n[0])) < 0)
		return -1;
	if (!(n[2] == 1 && f[2][0] == '-') &&
	    omsec_strtonum(&mtime, omsec_span_make(f[2], n[2]), 0,
	    INT64_C(253402300799)) < 0)
		return -1;
	*line0 = 0;
	if (q < e) {
		int64_t l0;
		if (omsec_strtonum(&l0, omsec_span_make(q, (size_t)(e - q)), 0,
		    INT64_MAX) < 0)
			return -1;
		*line0 = (uint64_t)l0;
	}
	omsec_parse_source(p, omsec_span_make(f[0], (size_t)pl),
	    omsec_span_make(f[1], n[1]), mtime);
	return 0;
}

static void
write_reject(struct omsec_parse *p, struct omsec_out *rej, uint64_t lineno,
    const char *why, const char *line, size_t len)
{
	if (rej == NULL)
		return;
	omsec_out_tsv(rej, omsec_span_make(p->path, p->path_n));
	omsec_out_putc(rej, '\t');
	omsec_out_u64(rej, lineno);
	omsec_out_putc(rej, '\t');
	omsec_out_str(rej, why);
	omsec_out_putc(rej, '\t');
	omsec_out_tsv(rej, omsec_span_make(line, len));
	omsec_out_putc(rej, '\n');
}

int
omsec_parse_stream(struct omsec_parse *p, struct omsec_reader *r,
    const char *path, int64_t mtime, struct omsec_out *out,
    struct omsec_out *rej, struct omsec_parse_totals *tot)
{
	struct omsec_parse_stats st = { 0 };
	uint64_t line0 = 0;	/* lines of the source before this part */
	struct omsec_event ev;
	const char *why;
	char *line;
	size_t len;
	int trunc, plain, rc, pr, framed = -1, open = 0;

	while ((rc = omsec_reader_next_plain(r, &line, &len, &trunc,
	    &plain)) == 1) {
		if (framed < 0) {
			framed = len == 15 && memcmp(line, "#omsec-ingest\t1", 15) == 0;
			if (framed)
				continue;
			omsec_parse_source(p, omsec_span_cstr(path),
			    OMSEC_SPAN_LIT("-"), mtime);
			open = 1;
		}
		if (framed && len > 0 && line[0] == '#') {
			if (len > 1 && line[1] == '#') {
				line++;
				len--;
			} else if (len >= 8 && memcmp(line, "#source\t", 8) == 0) {
				if (open)
					end_source(p, out, &st, tot);
				memset(&st, 0, sizeof(st));
				line0 = 0;
				if (source_line(p, line, len, &line0) < 0)
					omsec_parse_source(p,
					    OMSEC_SPAN_LIT("-"),
					    OMSEC_SPAN_LIT("-"), -1);
				open = 1;
				continue;
			} else if (len == 15 &&
			    memcmp(line, "#omsec-ingest\t1", 15) == 0) {
				continue;	/* concatenated streams */
			}
		}
		if (!open) {
			omsec_parse_source(p, OMSEC_SPAN_LIT("-"),
			    OMSEC_SPAN_LIT("-"), mtime);
			open = 1;
		}
		st.lines++;
		if (trunc)
			st.truncated++;
		pr = parse_line(p, &ev, line, len, line0 + st.lines, plain,
		    &why);
		if (pr == OMSEC_P_MATCH) {
			st.events++;
			write_event(p, out, &ev);
		} else if (pr == OMSEC_P_CONT) {
			st.continued++;
		} else {
			st.rejects++;
			write_reject(p, rej, line0 + st.lines, why, line, len);
		}
	}
	if (framed < 0) {
		/* Empty input is still a source: it is counted, with 0 lines. */
		omsec_parse_source(p, omsec_span_cstr(path),
		    OMSEC_SPAN_LIT("-"), mtime);
		open = 1;
	}
	if (open)
		end_source(p, out, &st, tot);
	return rc < 0 ? -1 : 0;
}
