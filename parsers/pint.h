/*
 * pint.h - private to omsec_parsers: the parser contract, the per-source
 * context and small scanning helpers shared by the parser files.
 *
 * THE PARSER CONTRACT (one signature for every parser, envelope or program):
 *
 *   int fn(struct omsec_pctx *cx, struct omsec_event *ev, struct omsec_span s)
 *
 *   s   the bytes to parse (a whole raw line for envelope parsers, the syslog
 *       message for program parsers); never NUL-terminated, may hold any
 *       byte, and is never written to.
 *   ev  filled with spans into s, or string literals, or cx->scratch; the
 *       caller has cleared it (envelope) or filled the envelope (program).
 *   returns OMSEC_P_MATCH, OMSEC_P_NOMATCH (not this format, ev may hold
 *       garbage the caller discards) or OMSEC_P_ERROR (this format, but the
 *       line is bad: cx->why names the reason).
 *   A parser never allocates, never prints and reads only inside s.
 *
 * Parsers are rows of a table (name, function, first-byte test, priority);
 * a new format is one row and one file.
 */
#ifndef OMSEC_PINT_H
#define OMSEC_PINT_H

#include <stdint.h>
#if defined(__SSE2__) && !defined(OMSEC_NO_SSE2)
#define PINT_SSE2 1
#include <emmintrin.h>
#endif
#include "event.h"
#include "otime.h"
#include "parse.h"
#include "span.h"

#define OMSEC_PATH_MAX 4096

struct omsec_pctx;
struct omsec_cur;
typedef int (*omsec_parser_fn)(struct omsec_pctx *cx, struct omsec_event *ev,
    struct omsec_span s);

/* Envelope parsers: tried on whole lines. */
struct omsec_parser_row {
	const char *name;
	omsec_parser_fn fn;
	int (*first)(unsigned char c);	/* cheap test of the first byte */
	int prio;			/* lower is tried first when sniffing */
};

/* Program parsers: tried on the message of a syslog line. */
struct omsec_prog_row {
	struct omsec_span prog;		/* tag before '[' or '(' (any case) */
	struct omsec_span module;	/* event.module when it matches */
	omsec_parser_fn fn;
};

/* Web access log module hint, from the type or the source path. */
enum omsec_web_hint { OMSEC_WEB_WEB, OMSEC_WEB_NGINX, OMSEC_WEB_APACHE };

/* Bytes of a slow-log statement kept in its event (the rest is cut). */
#define OMSEC_SLOW_STMT 4096

/* The open record of a MySQL slow query log (slowlog.c). */
struct omsec_slow {
	int open;			/* a record has begun */
	int stmt;			/* SET timestamp seen: the statement follows */
	int have_ts;
	int cut;			/* the statement was longer than stmtbuf */
	int banner;			/* lines of a server banner still to come */
	int64_t ts_ms;
	uint64_t line;			/* line the record's event refers to */
	size_t user_n, ip_n, db_n, info_n, stmt_n;
	char user[64], ip[64], db[64], info[160];
	char stmtbuf[OMSEC_SLOW_STMT];
	/* The last event's text: valid until the next record ends. */
	char out[OMSEC_SLOW_STMT + 512];
};

struct omsec_pctx {
	struct omsec_tz *tz;
	int year_override;		/* 0 = infer */
	int64_t now;			/* s, for sources without mtime */

	/* Per source. */
	int src_year, src_month;	/* local civil time of the mtime */
	int64_t src_ts_ms;		/* the mtime (or now), for lines without a time */
	int web_hint;			/* enum omsec_web_hint */
	int forced;			/* index into the type table, or -1 */
	int last;			/* parser row that matched last, or -1 */
	/*
	 * Set by a parser whose format has multi-line messages (nginx error,
	 * MySQL, PostgreSQL): a following line that no row understands is
	 * rejected as a continuation line rather than as unknown.
	 */
	int cont;
	/*
	 * The source has CEF/LEEF lines (a type named them, or one matched):
	 * the CEF row is tried before the remembered syslog row, since relays
	 * mix CEF lines with plain syslog in one file.
	 */
	int cef;

	/* Per line. */
	const char *why;		/* reason of an OMSEC_P_ERROR */
	uint64_t lineno;		/* of the line being parsed */
	/*
	 * Set by a parser whose event belongs to an earlier line (a
	 * multi-line record): the event's ref names that line; 0 = this one.
	 */
	uint64_t ref_line;
	struct omsec_span module;	/* program row's module for prog parsers */

	/* The [json] field map (jsonmap.c); NULL without one. */
	const struct omsec_jsonmap *jmap;

	/* PCRE2 rule files (rules.h); NULL when none are loaded. */
	const struct omsec_rules *rules;
	int rule_last;			/* rule that matched last (per source), or -1 */
	int rule_hit;			/* rule that made this line's event, or -1 */

	/*
	 * Per-line scratch for values that are not bytes of the line (JSON
	 * strings with escapes); spans into it are valid until the next line.
	 */
	char scratch[4096];
	size_t scratch_n;

	struct omsec_slow slow;		/* per source */

	/*
	 * Timestamp cache: RFC 3164 lines come in bursts of one minute.
	 * ts_key is its "Mmm dd hh:mm", ts_ms the UTC time of its second 0;
	 * kept only when the zone's offset is the same all minute long.
	 */
	char ts_key[12];
	int64_t ts_ms;
	int ts_valid;
};

struct omsec_rules;

extern const struct omsec_parser_row omsec_parsers[];
extern const int omsec_nparsers;
extern const struct omsec_prog_row omsec_progs[];
extern const int omsec_nprogs;

/* Envelope parsers (one file each). */
int omsec_rfc3164_parse(struct omsec_pctx *, struct omsec_event *, struct omsec_span);
int omsec_isosyslog_parse(struct omsec_pctx *, struct omsec_event *, struct omsec_span);
int omsec_rfc5424_parse(struct omsec_pctx *, struct omsec_event *, struct omsec_span);
int omsec_access_parse(struct omsec_pctx *, struct omsec_event *, struct omsec_span);
int omsec_nginx_error_parse(struct omsec_pctx *, struct omsec_event *, struct omsec_span);
int omsec_apache_error_parse(struct omsec_pctx *, struct omsec_event *, struct omsec_span);
int omsec_eve_parse(struct omsec_pctx *, struct omsec_event *, struct omsec_span);
int omsec_fastlog_parse(struct omsec_pctx *, struct omsec_event *, struct omsec_span);
int omsec_mysql_error_parse(struct omsec_pctx *, struct omsec_event *, struct omsec_span);
int omsec_postgresql_parse(struct omsec_pctx *, struct omsec_event *, struct omsec_span);
/* MySQL slow query log: OMSEC_P_CONT for the lines of a record but one. */
int omsec_mysql_slow_parse(struct omsec_pctx *, struct omsec_event *, struct omsec_span);
/* Cisco ASA / FTD lines with the device's own stamp or none (asa.c). */
int omsec_stamp(struct omsec_pctx *cx, struct omsec_cur *c, int64_t *ms);
int omsec_asa_parse(struct omsec_pctx *, struct omsec_event *, struct omsec_span);
/* Generic JSON Lines with the [json] field map (jsonmap.c). */
int omsec_json_parse(struct omsec_pctx *, struct omsec_event *, struct omsec_span);
struct omsec_jsonmap;
/* names/values: the [json] pairs. NULL with a message in err. */
struct omsec_jsonmap *omsec_jsonmap_new(const char *const *names,
    const char *const *values, int n, char *err, size_t errcap);
void omsec_jsonmap_free(struct omsec_jsonmap *m);
/* CEF and LEEF, bare or behind a syslog header (cef.c). */
int omsec_cef_parse(struct omsec_pctx *, struct omsec_event *, struct omsec_span);
/* At the end of a source: the event of a record left open, if any. */
int omsec_slow_finish(struct omsec_pctx *cx, struct omsec_event *ev);

/* Program parsers, on the syslog message. */
int omsec_sshd_parse(struct omsec_pctx *, struct omsec_event *, struct omsec_span);
int omsec_sudo_parse(struct omsec_pctx *, struct omsec_event *, struct omsec_span);
int omsec_cron_parse(struct omsec_pctx *, struct omsec_event *, struct omsec_span);
int omsec_pam_parse(struct omsec_pctx *, struct omsec_event *, struct omsec_span);
/* Takes rhost= (when an address) and user= from a PAM message. */
void omsec_pam_kv(struct omsec_event *ev, struct omsec_span s);
int omsec_accounts_parse(struct omsec_pctx *, struct omsec_event *, struct omsec_span);
int omsec_su_parse(struct omsec_pctx *, struct omsec_event *, struct omsec_span);
int omsec_logind_parse(struct omsec_pctx *, struct omsec_event *, struct omsec_span);
/*
 * netfilter LOG lines (iptables, ip6tables, UFW, nftables "log"), on any
 * syslog message holding "IN=... OUT=... SRC=": not keyed by the tag, as
 * routers log them under their own tags.
 */
int omsec_netfilter_parse(struct omsec_pctx *, struct omsec_event *, struct omsec_span);

/*
 * After an envelope parser found host, process and msg: runs the program
 * parsers, else classifies the line as a generic syslog event. Always MATCH.
 */
int omsec_syslog_classify(struct omsec_pctx *cx, struct omsec_event *ev);

/*
 * Splits "host tag[pid]: msg" (the part after a timestamp) into ev's host,
 * process, pid and msg. Returns 0, or -1 when there is not even a host.
 */
int omsec_syslog_split_tail(struct omsec_event *ev, struct omsec_span s);

/* The context of a parser (for rules.c's sample check). */
struct omsec_pctx *omsec_parse_cx(struct omsec_parse *p);

/* Local civil time to UTC ms in the site zone. */
int64_t omsec_pctx_local(struct omsec_pctx *cx, const struct omsec_civil *c);

/* ---- scanning helpers over a cursor (p, end) ---- */

struct omsec_cur {
	const char *p, *end;
};

static inline struct omsec_cur
omsec_cur_of(struct omsec_span s)
{
	struct omsec_cur c = { s.p, s.p + s.n };
	return c;
}

/* Consumes lit if the cursor starts with it; returns 1 then. */
static inline int
omsec_cur_lit(struct omsec_cur *c, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, lit, n) != 0)
		return 0;
	c->p += n;
	return 1;
}

/*
 * The first byte of [p, end) that is a, b or c; end if none. Sixteen
 * bytes at a time with SSE2: the host, tag and words of a syslog line
 * are found this way on every line.
 */
static inline const char *
omsec_scan_to(const char *p, const char *end, char a, char b, char c)
{
#ifdef PINT_SSE2
	const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b);
	const __m128i vc = _mm_set1_epi8(c);

	for (; end - p >= 16; p += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
		    _mm_cmpeq_epi8(v, vc)));
		if (m != 0)
			return p + __builtin_ctz(m);
	}
#endif
	while (p < end && *p != a && *p != b && *p != c)
		p++;
	return p;
}

/* Takes bytes up to (not including) the next space or the end. */
static inline struct omsec_span
omsec_cur_word(struct omsec_cur *c)
{
	const char *s = c->p;

	c->p = omsec_scan_to(c->p, c->end, ' ', ' ', ' ');
	return omsec_span_make(s, (size_t)(c->p - s));
}

static inline void
omsec_cur_spaces(struct omsec_cur *c)
{
	while (c->p < c->end && *c->p == ' ')
		c->p++;
}

static inline struct omsec_span
omsec_cur_rest(const struct omsec_cur *c)
{
	return omsec_span_make(c->p, (size_t)(c->end - c->p));
}

/* 1 if s equals low ignoring ASCII case; low is lower case. */
static inline int
omsec_span_ieq_span(struct omsec_span s, struct omsec_span low)
{
	if (s.n != low.n)
		return 0;
	for (size_t i = 0; i < low.n; i++) {
		char c = s.p[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != low.p[i])
			return 0;
	}
	return 1;
}

/* The same with a NUL-terminated lit. */
static inline int
omsec_span_ieq(struct omsec_span s, const char *lit)
{
	return omsec_span_ieq_span(s, omsec_span_cstr(lit));
}

/* Finds lit inside s; returns its offset or -1. */
long omsec_span_find(struct omsec_span s, const char *lit);

/* Fixed-width decimal of n digits at p; -1 if any byte is not a digit. */
static inline int
omsec_digits(const char *p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* JSON scanning (ids.c): blanks; a string at '"' (raw bytes, *esc set if
 * it has escapes); any value skipped; a string's raw bytes decoded into
 * cx->scratch (empty if no room). The cursor functions return 0 or -1. */
void omsec_json_ws(struct omsec_cur *c);
int omsec_json_string(struct omsec_cur *c, struct omsec_span *raw, int *esc);
int omsec_json_skip(struct omsec_cur *c);
struct omsec_span omsec_json_unescape(struct omsec_pctx *cx, struct omsec_span raw);
/* An object's frame: open at '{' (1 if empty and consumed, 0 if a member
 * follows, -1 if no object); key reads `"k" :` and leaves c at the value;
 * next reads ',' (1) or the closing '}' (0), else -1. */
int omsec_json_open(struct omsec_cur *c);
int omsec_json_key(struct omsec_cur *c, struct omsec_span *k, int *esc);
int omsec_json_next(struct omsec_cur *c);

/* Copies s into cx->scratch; returns the copy (empty if it does not fit). */
struct omsec_span omsec_scratch(struct omsec_pctx *cx, struct omsec_span s);

/* The event class names a parser sets from its own literals. */
#define OMSEC_CLASS_LITS (OMSEC_FIELD_BIT(OMSEC_F_CATEGORY) | \
	OMSEC_FIELD_BIT(OMSEC_F_ACTION) | OMSEC_FIELD_BIT(OMSEC_F_OUTCOME))

/*
 * Sets the event class. cat, act and outc must be the parser's literals
 * (they are marked for TSV to copy as they are); module is what the
 * caller has, marked by omsec_syslog_classify when it is the program
 * table's.
 */
static inline void
set_class(struct omsec_event *ev, struct omsec_span module,
    struct omsec_span cat, struct omsec_span act, struct omsec_span outc,
    int sev)
{
	ev->f[OMSEC_F_MODULE] = module;
	ev->f[OMSEC_F_CATEGORY] = cat;
	ev->f[OMSEC_F_ACTION] = act;
	ev->f[OMSEC_F_OUTCOME] = outc;
	ev->tsv_plain |= OMSEC_CLASS_LITS;
	ev->severity = sev;
}

/* 1 if s is a non-empty run of ASCII digits of at most max bytes. */
int omsec_span_isnum(struct omsec_span s, size_t max);
/* 1 if s looks like an IPv4 or IPv6 address (digits, hex, '.', ':'). */
int omsec_span_isip(struct omsec_span s);

#endif
