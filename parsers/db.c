/*
 * db.c - database server logs: the MySQL / MariaDB error log and the
 * PostgreSQL log (stderr with the default or Debian prefix, and csvlog).
 *
 *   MySQL 8:     2019-03-24T13:44:27.924508Z 5 [Warning] [MY-010453] [Server] root@localhost is created with an empty password ! ...
 *   MariaDB:     2019-10-16 17:24:15 0 [Note] InnoDB: Using Linux native AIO
 *   MySQL 5.x:   191015  9:46:45 [Note] ... (also "191015  9:46:45\t    13 Query\tSHOW ...", a general-log line)
 *   PostgreSQL:  2020-04-16 11:45:11.844 CEST [26953] LOG:  starting PostgreSQL 12.2 ...
 *                2019-11-06 10:00:00.123 UTC [1234] postgres@db FATAL:  password authentication failed for user "postgres"
 *   csvlog:      2021-01-04 00:05:06.086 UTC,"postgres","postgres",34,"172.24.0.1:42304",5ff25bb2.22,2,"authentication",2021-01-04 00:05:06 UTC,3/1,0,LOG,00000,"connection authorized: user=postgres database=postgres",,,,,,,,,""
 *
 * Sources: MySQL Reference Manual 5.4.2 "The Error Log"; PostgreSQL
 * documentation 20.8 "Error Reporting and Logging" (csvlog columns).
 * Times: a 'Z' or UTC/GMT zone is exact; other zone names (CEST, CST) are
 * ambiguous, so the site zone is used, as for zone-less times. Mapping:
 *   MySQL "Access denied for user 'u'@'h'"        login failure, 2
 *   MySQL "Aborted connection ... user: 'u' host: 'h'"  connection_aborted failure, 1
 *   PostgreSQL "password authentication failed for user", "no pg_hba.conf
 *     entry for host", "authentication failed"    login failure, 2
 *   "connection authorized: user=u"                login success, 0
 *   "connection received: host=h port=p"           connection success, 0
 *   "disconnection: ... user=u ... host=h"          logout success, 0
 *   "statement: SQL" / "execute ...: SQL"           statement success, 0 (SQL in msg)
 *   other ERROR / FATAL / PANIC lines               error failure, 1 (PANIC 3)
 *   anything else                                  log unknown, 0
 * rule_id holds the MySQL error code (MY-010453) or the PostgreSQL
 * SQLSTATE (28P01). Messages may continue on following lines (csvlog
 * quoted fields, MariaDB's Version line): those are continuation lines.
 * Cost: one pass; csvlog fields with "" quotes are copied to scratch.
 */
#include <string.h>

#include "pint.h"

#define S OMSEC_SPAN_LIT

static void
cls(struct omsec_event *ev, struct omsec_span mod, struct omsec_span act,
    struct omsec_span outc, int sev)
{
	ev->f[OMSEC_F_MODULE] = mod;
	ev->f[OMSEC_F_CATEGORY] = S("database");
	ev->f[OMSEC_F_ACTION] = act;
	ev->f[OMSEC_F_OUTCOME] = outc;
	ev->severity = sev;
}

/* Text between the quote after pat and the next quote (q is the quote). */
static struct omsec_span
quoted_after(struct omsec_span s, const char *pat, char q)
{
	long at = omsec_span_find(s, pat);
	const char *v, *e;

	if (at < 0)
		return OMSEC_SPAN_NULL;
	v = s.p + at + strlen(pat);
	e = memchr(v, q, (size_t)(s.p + s.n - v));
	if (e == NULL)
		return OMSEC_SPAN_NULL;
	return omsec_span_make(v, (size_t)(e - v));
}

/* Value of "key=" up to a space, comma or the end. */
static struct omsec_span
eq_value(struct omsec_span s, const char *key)
{
	long at = omsec_span_find(s, key);
	const char *v, *e, *end = s.p + s.n;

	if (at < 0 || (at > 0 && s.p[at - 1] != ' '))
		return OMSEC_SPAN_NULL;
	v = e = s.p + at + strlen(key);
	while (e < end && *e != ' ' && *e != ',')
		e++;
	return omsec_span_make(v, (size_t)(e - v));
}

static void
mysql_classify(struct omsec_event *ev, struct omsec_span msg,
    struct omsec_span lvl)
{
	struct omsec_span u, h;

	if (omsec_span_find(msg, "Access denied for user '") >= 0) {
		u = quoted_after(msg, "Access denied for user '", '\'');
		h = quoted_after(msg, "'@'", '\'');
		ev->f[OMSEC_F_USER] = u;
		if (omsec_span_isip(h))
			ev->f[OMSEC_F_SRC_IP] = h;
		cls(ev, S("mysql"), S("login"), S("failure"), OMSEC_SEV_MEDIUM);
		return;
	}
	if (omsec_span_find(msg, "Aborted connection ") >= 0) {
		ev->f[OMSEC_F_USER] = quoted_after(msg, " user: '", '\'');
		h = quoted_after(msg, " host: '", '\'');
		if (omsec_span_isip(h))
			ev->f[OMSEC_F_SRC_IP] = h;
		cls(ev, S("mysql"), S("connection_aborted"), S("failure"),
		    OMSEC_SEV_LOW);
		return;
	}
	if ((u = quoted_after(msg, "  user: '", '\'')).n > 0)
		ev->f[OMSEC_F_USER] = u;
	if (omsec_span_eq(lvl, "ERROR") || omsec_span_eq(lvl, "Error"))
		cls(ev, S("mysql"), S("error"), S("failure"), OMSEC_SEV_LOW);
	else
		cls(ev, S("mysql"), S("log"), S("unknown"), OMSEC_SEV_INFO);
}

/*
 * A general query log line after its thread id (kept in pid):
 * "Command\targument", e.g. "Connect\tbob@10.0.0.7 on shop using TCP/IP",
 * "Query\tSELECT 1".
 */
static int
general_log(struct omsec_pctx *cx, struct omsec_event *ev,
    const struct omsec_civil *c, int zone, struct omsec_span thread,
    struct omsec_span rest)
{
	const char *tab = memchr(rest.p, '\t', rest.n);
	struct omsec_span cmd, arg;

	if (tab == NULL)
		return OMSEC_P_NOMATCH;
	cmd = omsec_span_make(rest.p, (size_t)(tab - rest.p));
	arg = omsec_span_make(tab + 1, (size_t)(rest.p + rest.n - tab - 1));
	ev->f[OMSEC_F_MSG] = rest;
	/* Only the thread's Connect line names its account (omsec-detect
	   carries it to the thread's statements). */
	ev->f[OMSEC_F_PID] = thread;
	if (omsec_span_eq(cmd, "Connect")) {
		const char *at = memchr(arg.p, '@', arg.n);
		if (omsec_span_find(arg, "Access denied for user '") >= 0) {
			mysql_classify(ev, arg, OMSEC_SPAN_NULL);
		} else {
			if (at != NULL) {
				struct omsec_cur h = omsec_cur_of(omsec_span_make(
				    at + 1, (size_t)(arg.p + arg.n - at - 1)));
				struct omsec_span host = omsec_cur_word(&h);
				ev->f[OMSEC_F_USER] = omsec_span_make(arg.p,
				    (size_t)(at - arg.p));
				if (omsec_span_isip(host))
					ev->f[OMSEC_F_SRC_IP] = host;
			}
			cls(ev, S("mysql"), S("login"), S("success"),
			    OMSEC_SEV_INFO);
		}
	} else if (omsec_span_eq(cmd, "Quit")) {
		cls(ev, S("mysql"), S("logout"), S("success"), OMSEC_SEV_INFO);
	} else {
		cls(ev, S("mysql"), S("statement"), S("success"), OMSEC_SEV_INFO);
	}
	if (!zone)
		ev->ts_ms = omsec_pctx_local(cx, c);
	ev->f[OMSEC_F_PROCESS] = S("mysqld");
	return OMSEC_P_MATCH;
}

int
omsec_mysql_error_parse(struct omsec_pctx *cx, struct omsec_event *ev,
    struct omsec_span s)
{
	const char *p = s.p, *end = s.p + s.n;
	struct omsec_civil c = { 0 };
	struct omsec_cur cur;
	struct omsec_span t, lvl = OMSEC_SPAN_NULL, code = OMSEC_SPAN_NULL;
	int zone = 0;

	if (s.n < 16)
		return OMSEC_P_NOMATCH;
	if (p[4] == '-' && p[7] == '-' && (p[10] == 'T' || p[10] == ' ')) {
		/* ISO: "2019-03-24T13:44:25.484123Z" or "2019-10-16 17:24:15". */
		cur = omsec_cur_of(s);
		if (p[10] == 'T') {
			/* The general log puts a tab after the time. */
			while (cur.p < cur.end && *cur.p != ' ' && *cur.p != '\t')
				cur.p++;
			t = omsec_span_make(p, (size_t)(cur.p - p));
		} else {
			cur.p += 11;
			(void)omsec_cur_word(&cur);
			t = omsec_span_make(p, (size_t)(cur.p - p));
		}
		int64_t ms;
		if (omsec_parse_iso(&ms, &zone, t) < 0)
			return OMSEC_P_NOMATCH;
		ev->ts_ms = ms;
		omsec_ms_to_civil(ms, &c);
	} else if (p[6] == ' ' && (p[7] == ' ' || p[7] == '1' || p[7] == '2') &&
	    omsec_digits(p, 6) >= 0) {
		/* "YYMMDD HH:MM:SS", the hour space-padded. */
		const char *h = p[7] == ' ' ? p + 8 : p + 7;
		if (end - h < 8 || h[h[1] == ':' ? 1 : 2] != ':')
			return OMSEC_P_NOMATCH;
		c.year = 2000 + omsec_digits(p, 2);
		c.month = omsec_digits(p + 2, 2);
		c.day = omsec_digits(p + 4, 2);
		if (h[1] == ':') {
			c.hour = omsec_digits(h, 1);
			h -= 1;
		} else {
			c.hour = omsec_digits(h, 2);
		}
		if (h[5] != ':')
			return OMSEC_P_NOMATCH;
		c.min = omsec_digits(h + 3, 2);
		c.sec = omsec_digits(h + 6, 2);
		if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > 31 ||
		    c.hour < 0 || c.hour > 23 || c.min < 0 || c.min > 59 ||
		    c.sec < 0 || c.sec > 59)
			return OMSEC_P_NOMATCH;
		cur = omsec_cur_of(omsec_span_make(h + 8, (size_t)(end - h - 8)));
	} else {
		return OMSEC_P_NOMATCH;
	}
	/* " thread [Level] " (the thread id is absent in 5.x). */
	while (cur.p < cur.end && (*cur.p == ' ' || *cur.p == '\t'))
		cur.p++;
	if (cur.p < cur.end && *cur.p >= '0' && *cur.p <= '9') {
		struct omsec_span th = omsec_cur_word(&cur);
		if (!omsec_span_isnum(th, 20))
			return OMSEC_P_NOMATCH;
		omsec_cur_spaces(&cur);
		if (cur.p < cur.end && *cur.p != '[')
			return general_log(cx, ev, &c, zone, th,
			    omsec_cur_rest(&cur));
	}
	if (!omsec_cur_lit(&cur, "["))
		return OMSEC_P_NOMATCH;
	lvl.p = cur.p;
	while (cur.p < cur.end && *cur.p != ']' && *cur.p != ' ')
		cur.p++;
	lvl.n = (size_t)(cur.p - lvl.p);
	if (!omsec_cur_lit(&cur, "]") || !(omsec_span_eq(lvl, "Note") ||
	    omsec_span_eq(lvl, "Warning") || omsec_span_eq(lvl, "ERROR") ||
	    omsec_span_eq(lvl, "Error") || omsec_span_eq(lvl, "System")))
		return OMSEC_P_NOMATCH;
	omsec_cur_spaces(&cur);
	ev->f[OMSEC_F_MSG] = omsec_cur_rest(&cur);
	/* MySQL 8: "[MY-010453] [Server] text". */
	if (omsec_cur_lit(&cur, "[MY-")) {
		code.p = cur.p - 3;
		while (cur.p < cur.end && *cur.p != ']')
			cur.p++;
		code.n = (size_t)(cur.p - code.p);
		ev->f[OMSEC_F_RULE_ID] = code;
	}
	mysql_classify(ev, ev->f[OMSEC_F_MSG], lvl);
	if (!zone)
		ev->ts_ms = omsec_pctx_local(cx, &c);
	ev->f[OMSEC_F_PROCESS] = S("mysqld");
	cx->cont = 1;
	return OMSEC_P_MATCH;
}

static void
pg_classify(struct omsec_event *ev, struct omsec_span msg,
    struct omsec_span lvl)
{
	struct omsec_span v;

	if (omsec_span_has_prefix(msg, "password authentication failed for user \"") ||
	    omsec_span_has_prefix(msg, "no pg_hba.conf entry for host \"") ||
	    omsec_span_find(msg, " authentication failed for user \"") >= 0) {
		if ((v = quoted_after(msg, "user \"", '"')).n > 0)
			ev->f[OMSEC_F_USER] = v;
		if ((v = quoted_after(msg, "host \"", '"')).n > 0 &&
		    omsec_span_isip(v))
			ev->f[OMSEC_F_SRC_IP] = v;
		cls(ev, S("postgresql"), S("login"), S("failure"),
		    OMSEC_SEV_MEDIUM);
		return;
	}
	if (omsec_span_has_prefix(msg, "connection authorized: ")) {
		ev->f[OMSEC_F_USER] = eq_value(msg, "user=");
		cls(ev, S("postgresql"), S("login"), S("success"), OMSEC_SEV_INFO);
		return;
	}
	if (omsec_span_has_prefix(msg, "connection received: ")) {
		if ((v = eq_value(msg, "host=")).n > 0 && omsec_span_isip(v))
			ev->f[OMSEC_F_SRC_IP] = v;
		if ((v = eq_value(msg, "port=")).n > 0 && omsec_span_isnum(v, 5))
			ev->f[OMSEC_F_SRC_PORT] = v;
		cls(ev, S("postgresql"), S("connection"), S("success"),
		    OMSEC_SEV_INFO);
		return;
	}
	if (omsec_span_has_prefix(msg, "disconnection: ")) {
		ev->f[OMSEC_F_USER] = eq_value(msg, "user=");
		if ((v = eq_value(msg, "host=")).n > 0 && omsec_span_isip(v))
			ev->f[OMSEC_F_SRC_IP] = v;
		if ((v = eq_value(msg, "port=")).n > 0 && omsec_span_isnum(v, 5))
			ev->f[OMSEC_F_SRC_PORT] = v;
		cls(ev, S("postgresql"), S("logout"), S("success"), OMSEC_SEV_INFO);
		return;
	}
	if (omsec_span_has_prefix(msg, "statement: ") ||
	    omsec_span_has_prefix(msg, "execute ") ||
	    omsec_span_has_prefix(msg, "duration: ")) {
		cls(ev, S("postgresql"), S("statement"), S("success"),
		    OMSEC_SEV_INFO);
		return;
	}
	if (omsec_span_eq(lvl, "PANIC"))
		cls(ev, S("postgresql"), S("error"), S("failure"), OMSEC_SEV_HIGH);
	else if (omsec_span_eq(lvl, "ERROR") || omsec_span_eq(lvl, "FATAL"))
		cls(ev, S("postgresql"), S("error"), S("failure"), OMSEC_SEV_LOW);
	else
		cls(ev, S("postgresql"), S("log"), S("unknown"), OMSEC_SEV_INFO);
}

static int
pg_level(struct omsec_span l)
{
	static const char *const lv[] = { "LOG", "ERROR", "FATAL", "PANIC",
	    "WARNING", "NOTICE", "INFO", "DEBUG1", "DEBUG2", "DEBUG3", "DEBUG4",
	    "DEBUG5", "DETAIL", "HINT", "STATEMENT", "CONTEXT", "QUERY",
	    "LOCATION" };
	for (size_t i = 0; i < sizeof(lv) / sizeof(lv[0]); i++)
		if (omsec_span_eq(l, lv[i]))
			return 1;
	return 0;
}

/* "YYYY-MM-DD HH:MM:SS[.mmm] ZONE" at the start of s; its length or -1. */
static long
pg_time(struct omsec_pctx *cx, struct omsec_span s, int64_t *ms, char stop)
{
	struct omsec_cur c = omsec_cur_of(s);
	struct omsec_span z;
	struct omsec_civil civ;
	int64_t t;
	int zone;

	if (s.n < 23 || s.p[4] != '-' || s.p[7] != '-' || s.p[10] != ' ' ||
	    s.p[13] != ':')
		return -1;
	c.p += 11;
	(void)omsec_cur_word(&c);
	if (omsec_parse_iso(&t, &zone, omsec_span_make(s.p,
	    (size_t)(c.p - s.p))) < 0)
		return -1;
	if (!omsec_cur_lit(&c, " "))
		return -1;
	z.p = c.p;
	while (c.p < c.end && *c.p != ' ' && *c.p != stop)
		c.p++;
	z.n = (size_t)(c.p - z.p);
	if (z.n == 0 || z.n > 6)
		return -1;
	if (!(omsec_span_eq(z, "UTC") || omsec_span_eq(z, "GMT"))) {
		omsec_ms_to_civil(t, &civ);
		t = omsec_pctx_local(cx, &civ);
	}
	*ms = t;
	return (long)(c.p - s.p);
}

/* One csvlog field at c: quoted ("" escapes, may run off the line) or bare. */
static struct omsec_span
csv_field(struct omsec_pctx *cx, struct omsec_cur *c, int *open)
{
	struct omsec_span f;

	if (c->p < c->end && *c->p == '"') {
		const char *s = ++c->p;
		int dq = 0;
		for (;;) {
			if (c->p >= c->end) {
				*open = 1;	/* continues on the next line */
				break;
			}
			if (*c->p == '"') {
				if (c->p + 1 < c->end && c->p[1] == '"') {
					dq = 1;
					c->p += 2;
					continue;
				}
				break;
			}
			c->p++;
		}
		f = omsec_span_make(s, (size_t)(c->p - s));
		if (c->p < c->end)
			c->p++;		/* closing quote */
		if (dq) {
			/* Halve the "" pairs into scratch. */
			char *d = cx->scratch + cx->scratch_n;
			size_t n = 0;
			if (f.n > sizeof(cx->scratch) - cx->scratch_n)
				return f;
			for (size_t i = 0; i < f.n; i++) {
				d[n++] = f.p[i];
				if (f.p[i] == '"' && i + 1 < f.n && f.p[i + 1] == '"')
					i++;
			}
			cx->scratch_n += n;
			f = omsec_span_make(d, n);
		}
	} else {
		f.p = c->p;
		while (c->p < c->end && *c->p != ',')
			c->p++;
		f.n = (size_t)(c->p - f.p);
	}
	if (c->p < c->end && *c->p == ',')
		c->p++;
	return f;
}

static int
pg_csv(struct omsec_pctx *cx, struct omsec_event *ev, struct omsec_span s,
    long tl)
{
	struct omsec_cur c = omsec_cur_of(omsec_span_make(s.p + tl + 1,
	    s.n - (size_t)tl - 1));
	struct omsec_span f[14];
	int open = 0, k;

	/* user, db, pid, from, session, line, tag, start, vxid, xid, level,
	 * sqlstate, message */
	for (k = 1; k < 14 && !open; k++)
		f[k] = csv_field(cx, &c, &open);
	if (k < 14 || !omsec_span_isnum(f[3], 10) || !pg_level(f[11]))
		return OMSEC_P_NOMATCH;
	/* The remaining columns only matter for a quote left open. */
	{
		size_t mark = cx->scratch_n;
		while (!open && c.p < c.end)
			(void)csv_field(cx, &c, &open);
		cx->scratch_n = mark;
	}
	ev->f[OMSEC_F_USER] = f[1];
	ev->f[OMSEC_F_PID] = f[3];
	if (f[4].n > 0) {
		const char *col = f[4].p + f[4].n;
		while (col > f[4].p && col[-1] != ':')
			col--;
		if (col > f[4].p) {
			struct omsec_span ip = omsec_span_make(f[4].p,
			    (size_t)(col - 1 - f[4].p));
			struct omsec_span port = omsec_span_make(col,
			    (size_t)(f[4].p + f[4].n - col));
			if (omsec_span_isip(ip))
				ev->f[OMSEC_F_SRC_IP] = ip;
			if (omsec_span_isnum(port, 5))
				ev->f[OMSEC_F_SRC_PORT] = port;
		} else if (omsec_span_isip(f[4])) {
			ev->f[OMSEC_F_SRC_IP] = f[4];
		}
	}
	ev->f[OMSEC_F_RULE_ID] = f[12];
	ev->f[OMSEC_F_MSG] = f[13];
	{
		struct omsec_span user = ev->f[OMSEC_F_USER];
		struct omsec_span ip = ev->f[OMSEC_F_SRC_IP];
		pg_classify(ev, f[13], f[11]);
		/* The session's columns know better than the message. */
		if (user.n > 0)
			ev->f[OMSEC_F_USER] = user;
		if (ip.n > 0)
			ev->f[OMSEC_F_SRC_IP] = ip;
	}
	if (open)
		cx->cont = 1;
	return OMSEC_P_MATCH;
}

int
omsec_postgresql_parse(struct omsec_pctx *cx, struct omsec_event *ev,
    struct omsec_span s)
{
	struct omsec_cur c;
	struct omsec_span lvl, w;
	long tl;

	if ((tl = pg_time(cx, s, &ev->ts_ms, ',')) < 0)
		return OMSEC_P_NOMATCH;
	ev->f[OMSEC_F_PROCESS] = S("postgres");
	if ((size_t)tl < s.n && s.p[tl] == ',')
		return pg_csv(cx, ev, s, tl);
	c = omsec_cur_of(omsec_span_make(s.p + tl, s.n - (size_t)tl));
	omsec_cur_spaces(&c);
	/* "[pid]" or "[pid-line]", then optional "user@db ", then LEVEL:  */
	if (omsec_cur_lit(&c, "[")) {
		w.p = c.p;
		while (c.p < c.end && *c.p >= '0' && *c.p <= '9')
			c.p++;
		w.n = (size_t)(c.p - w.p);
		while (c.p < c.end && *c.p != ']')
			c.p++;
		if (!omsec_cur_lit(&c, "]") || w.n == 0)
			return OMSEC_P_NOMATCH;
		ev->f[OMSEC_F_PID] = w;
		omsec_cur_spaces(&c);
	}
	w = omsec_cur_word(&c);
	if (w.n > 1 && w.p[w.n - 1] == ':') {
		lvl = omsec_span_make(w.p, w.n - 1);
	} else {
		const char *at = memchr(w.p, '@', w.n);
		if (at != NULL && at > w.p)
			ev->f[OMSEC_F_USER] = omsec_span_make(w.p,
			    (size_t)(at - w.p));
		omsec_cur_spaces(&c);
		w = omsec_cur_word(&c);
		if (w.n < 2 || w.p[w.n - 1] != ':')
			return OMSEC_P_NOMATCH;
		lvl = omsec_span_make(w.p, w.n - 1);
	}
	if (!pg_level(lvl))
		return OMSEC_P_NOMATCH;
	omsec_cur_spaces(&c);
	ev->f[OMSEC_F_MSG] = omsec_cur_rest(&c);
	{
		struct omsec_span user = ev->f[OMSEC_F_USER];
		pg_classify(ev, ev->f[OMSEC_F_MSG], lvl);
		if (user.n > 0 && ev->f[OMSEC_F_USER].n == 0)
			ev->f[OMSEC_F_USER] = user;
	}
	cx->cont = 1;
	return OMSEC_P_MATCH;
}
