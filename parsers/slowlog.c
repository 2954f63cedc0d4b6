/*
 * slowlog.c - the MySQL / MariaDB / Percona slow query log: one event per
 * query from a record of several lines.
 *
 *   # Time: 2018-08-07T16:27:47.169604+08:00        (MariaDB: "# Time: 190324 16:03:00")
 *   # User@Host: appuser[appuser] @ apphost [1.1.1.1]  Id: 10997316
 *   # Thread_id: 37  Schema: employees  QC_hit: No   (MariaDB, Percona: "# Schema: ...")
 *   # Query_time: 4.071491  Lock_time: 0.000212 Rows_sent: 1000  Rows_examined: 1489615
 *   use employees;
 *   SET timestamp=1533630467;
 *   SELECT ...                                        (any number of lines)
 *       LIMIT 1000;
 *
 * Source: MySQL Reference Manual 5.4.5 "The Slow Query Log" (the server
 * writes the statement followed by ";\n", so a statement line ending in
 * ';' closes the record). A record is begun by "# Time:" or, when the
 * second did not change (MariaDB omits the Time line then), by
 * "# User@Host:". Its lines are copied into cx->slow as they come; the
 * event is made on the line that closes the statement. The other lines of
 * the record return OMSEC_P_CONT ("part of a multi-line record"): they are
 * counted apart from events and rejects, since their content is in the
 * event. A record that is not closed (a new header comes first, or the
 * source ends: omsec_slow_finish) still gives its event.
 *
 * The server's start banner ("/usr/sbin/mysqld, Version: ... started
 * with:") is an event of its own (action log); its two following lines
 * ("Tcp port: ...", "Time  Id Command  Argument") are part of it.
 *
 * Mapping: module mysql, category database, action slow_query, outcome
 * success, severity 0; user = the account before '[', src_ip = the
 * bracketed address (empty for a socket), ts = SET timestamp (exact UTC),
 * else the Time line (site-local without an offset); msg =
 * "query_time=Q lock_time=L rows_sent=S rows_examined=E db=D: STATEMENT",
 * the statement's lines joined with '\n' and cut at OMSEC_SLOW_STMT bytes
 * (then ending in "..."). Memory: two fixed buffers in the context, no
 * allocation.
 */
#include <string.h>

#include "pint.h"
#include "strnum.h"

#define S OMSEC_SPAN_LIT

static void
rec_reset(struct omsec_slow *sl)
{
	sl->open = sl->stmt = sl->have_ts = sl->cut = 0;
	sl->user_n = sl->ip_n = sl->db_n = sl->info_n = sl->stmt_n = 0;
	sl->line = 0;
}

/* Copies s into a fixed field (cut at cap). */
static size_t
put(char *dst, size_t cap, struct omsec_span s)
{
	size_t n = s.n < cap ? s.n : cap;
	memcpy(dst, s.p, n);
	return n;
}

/* Starts an event of mysqld's: the fields every slow-log event has. */
static void
mysqld_event(struct omsec_event *ev, struct omsec_span action,
    struct omsec_span outcome)
{
	omsec_event_clear(ev);
	ev->f[OMSEC_F_MODULE] = S("mysql");
	ev->f[OMSEC_F_CATEGORY] = S("database");
	ev->f[OMSEC_F_ACTION] = action;
	ev->f[OMSEC_F_OUTCOME] = outcome;
	ev->f[OMSEC_F_PROCESS] = S("mysqld");
}

/*
 * Makes the event of the open record into ev; its text goes to sl->out,
 * valid until the next record ends.
 */
static void
rec_emit(struct omsec_pctx *cx, struct omsec_event *ev)
{
	struct omsec_slow *sl = &cx->slow;
	char *o = sl->out;
	size_t n = 0, cap = sizeof(sl->out);

	mysqld_event(ev, S("slow_query"), S("success"));
	ev->severity = OMSEC_SEV_INFO;
	ev->ts_ms = sl->have_ts ? sl->ts_ms : cx->src_ts_ms;

	memcpy(o + n, sl->user, sl->user_n);
	ev->f[OMSEC_F_USER] = omsec_span_make(o + n, sl->user_n);
	n += sl->user_n;
	memcpy(o + n, sl->ip, sl->ip_n);
	ev->f[OMSEC_F_SRC_IP] = omsec_span_make(o + n, sl->ip_n);
	n += sl->ip_n;

	{
		const char *m = o + n;
		/* info and db are bounded well below the room that is left. */
		memcpy(o + n, sl->info, sl->info_n);
		n += sl->info_n;
		if (sl->db_n > 0) {
			if (n > (size_t)(m - o))
				o[n++] = ' ';
			memcpy(o + n, "db=", 3);
			n += 3;
			memcpy(o + n, sl->db, sl->db_n);
			n += sl->db_n;
		}
		if (n > (size_t)(m - o)) {
			o[n++] = ':';
			o[n++] = ' ';
		}
		memcpy(o + n, sl->stmtbuf, sl->stmt_n);
		n += sl->stmt_n;
		if (sl->cut && n + 3 <= cap) {
			memcpy(o + n, "...", 3);
			n += 3;
		}
		ev->f[OMSEC_F_MSG] = omsec_span_make(m, (size_t)(o + n - m));
	}
	cx->ref_line = sl->line;
	rec_reset(sl);
}

/* Appends one statement line (joined with '\n', cut at the buffer). */
static void
stmt_add(struct omsec_slow *sl, struct omsec_span s)
{
	size_t room = sizeof(sl->stmtbuf) - sl->stmt_n;

	if (sl->cut)
		return;
	if (sl->stmt_n > 0) {
		if (room == 0) {
			sl->cut = 1;
			return;
		}
		sl->stmtbuf[sl->stmt_n++] = '\n';
		room--;
	}
	if (s.n > room) {
		s.n = room;
		sl->cut = 1;
	}
	memcpy(sl->stmtbuf + sl->stmt_n, s.p, s.n);
	sl->stmt_n += s.n;
}

/* Value after "key" up to the next space; empty when absent. */
static struct omsec_span
kv(struct omsec_span s, const char *key)
{
	long at = omsec_span_find(s, key);
	struct omsec_cur c;

	if (at < 0)
		return OMSEC_SPAN_NULL;
	c = omsec_cur_of(omsec_span_make(s.p + at + strlen(key),
	    s.n - (size_t)at - strlen(key)));
	omsec_cur_spaces(&c);
	return omsec_cur_word(&c);
}

/* "# Time: ISO" or "# Time: YYMMDD H:MM:SS" (site-local). */
static int
rec_time(struct omsec_pctx *cx, struct omsec_span t)
{
	struct omsec_slow *sl = &cx->slow;
	struct omsec_civil c = { 0 };
	int64_t ms;
	int zone;

	while (t.n > 0 && t.p[t.n - 1] == ' ')
		t.n--;
	if (t.n >= 19 && t.p[4] == '-' && omsec_parse_iso(&ms, &zone, t) == 0) {
		if (!zone) {
			omsec_ms_to_civil(ms, &c);
			ms = omsec_pctx_local(cx, &c);
		}
	} else if (t.n >= 14 && t.n <= 15 && t.p[6] == ' ' &&
	    omsec_digits(t.p, 6) >= 0) {
		const char *h = t.p + 7;
		size_t hn = t.n - 7;
		if (hn == 7) {
			c.hour = omsec_digits(h, 1);
			h += 1;
		} else {
			c.hour = omsec_digits(h, 2);
			h += 2;
		}
		if (h[0] != ':' || h[3] != ':')
			return -1;
		c.year = 2000 + omsec_digits(t.p, 2);
		c.month = omsec_digits(t.p + 2, 2);
		c.day = omsec_digits(t.p + 4, 2);
		c.min = omsec_digits(h + 1, 2);
		c.sec = omsec_digits(h + 4, 2);
		if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > 31 ||
		    c.hour < 0 || c.hour > 23 || c.min < 0 || c.min > 59 ||
		    c.sec < 0 || c.sec > 59)
			return -1;
		ms = omsec_pctx_local(cx, &c);
	} else {
		return -1;
	}
	/* SET timestamp, when it comes, is the query's start and wins. */
	sl->ts_ms = ms;
	sl->have_ts = 1;
	return 0;
}

/* "root[root] @ apphost [1.1.1.1]  Id: 10997316" */
static void
rec_user(struct omsec_slow *sl, struct omsec_span s)
{
	const char *b = memchr(s.p, '[', s.n);
	long at = omsec_span_find(s, " @ ");
	struct omsec_span ip;

	if (b != NULL)
		sl->user_n = put(sl->user, sizeof(sl->user),
		    omsec_span_make(s.p, (size_t)(b - s.p)));
	if (at < 0)
		return;
	{
		const char *p = s.p + at + 3, *e = s.p + s.n, *q;
		const char *lb = memchr(p, '[', (size_t)(e - p));
		if (lb == NULL || (q = memchr(lb, ']', (size_t)(e - lb))) == NULL)
			return;
		ip = omsec_span_make(lb + 1, (size_t)(q - lb - 1));
		if (ip.n > 0 && omsec_span_isip(ip))
			sl->ip_n = put(sl->ip, sizeof(sl->ip), ip);
	}
}

/* Adds " key=value" to the info text when the header has the key. */
static void
info_add(struct omsec_slow *sl, struct omsec_span s, const char *key,
    const char *name)
{
	struct omsec_span v = kv(s, key);
	size_t need = strlen(name) + 2 + v.n;

	if (v.n == 0 || v.n > 24 || sl->info_n + need > sizeof(sl->info))
		return;
	if (sl->info_n > 0)
		sl->info[sl->info_n++] = ' ';
	memcpy(sl->info + sl->info_n, name, strlen(name));
	sl->info_n += strlen(name);
	sl->info[sl->info_n++] = '=';
	memcpy(sl->info + sl->info_n, v.p, v.n);
	sl->info_n += v.n;
}

/* Statement lines and "use db;" / "SET timestamp=N;" of an open record. */
static int
rec_body(struct omsec_pctx *cx, struct omsec_event *ev, struct omsec_span s)
{
	struct omsec_slow *sl = &cx->slow;

	if (!sl->stmt && omsec_span_has_prefix(s, "SET timestamp=") &&
	    s.n > 15 && s.p[s.n - 1] == ';') {
		int64_t t;
		if (omsec_strtonum(&t, omsec_span_make(s.p + 14, s.n - 15), 0,
		    INT64_C(253402300799)) == 0) {
			sl->ts_ms = t * 1000;
			sl->have_ts = 1;
			sl->stmt = 1;
			return OMSEC_P_CONT;
		}
	}
	if (!sl->stmt && sl->stmt_n == 0 && omsec_span_has_prefix(s, "use ") &&
	    s.n > 5 && s.p[s.n - 1] == ';' && memchr(s.p + 4, ' ', s.n - 5) == NULL) {
		sl->db_n = put(sl->db, sizeof(sl->db),
		    omsec_span_make(s.p + 4, s.n - 5));
		return OMSEC_P_CONT;
	}
	stmt_add(sl, s);
	if (s.p[s.n - 1] != ';')
		return OMSEC_P_CONT;
	rec_emit(cx, ev);
	/* Lines after the ';' that no header begins: a statement's rest. */
	cx->cont = 1;
	return OMSEC_P_MATCH;
}

int
omsec_mysql_slow_parse(struct omsec_pctx *cx, struct omsec_event *ev,
    struct omsec_span s)
{
	struct omsec_slow *sl = &cx->slow;
	int r = OMSEC_P_CONT;

	if (omsec_span_has_prefix(s, "# Time: ") ||
	    omsec_span_has_prefix(s, "# User@Host: ")) {
		int is_time = s.p[2] == 'T';
		/*
		 * A new record: the open one is ended here if it has
		 * anything worth an event (its statement never closed).
		 */
		if (sl->open && (sl->stmt_n > 0 || sl->user_n > 0)) {
			rec_emit(cx, ev);
			r = OMSEC_P_MATCH;
		} else if (sl->open && !is_time) {
			/* "# Time:" then "# User@Host:": the same record. */
			goto user;
		} else {
			rec_reset(sl);
		}
		sl->open = 1;
		sl->line = cx->lineno;
		if (is_time) {
			if (rec_time(cx, omsec_span_make(s.p + 8, s.n - 8)) < 0) {
				rec_reset(sl);
				if (r == OMSEC_P_MATCH)
					return r;	/* the event above stands */
				cx->why = "bad slow log time";
				return OMSEC_P_ERROR;
			}
			return r;
		}
user:
		/* filebeat's record (and so omsec's ref) starts here. */
		sl->line = cx->lineno;
		rec_user(sl, omsec_span_make(s.p + 13, s.n - 13));
		return r;
	}
	if (sl->open && !sl->stmt && s.n > 2 && s.p[0] == '#' && s.p[1] == ' ') {
		/* The other "# Key: value  Key: value" header lines. */
		struct omsec_span v;
		if (omsec_span_has_prefix(s, "# Query_time: ")) {
			info_add(sl, s, "Query_time:", "query_time");
			info_add(sl, s, "Lock_time:", "lock_time");
			info_add(sl, s, "Rows_sent:", "rows_sent");
			info_add(sl, s, "Rows_examined:", "rows_examined");
		}
		if ((v = kv(s, "Schema:")).n > 0 && sl->db_n == 0)
			sl->db_n = put(sl->db, sizeof(sl->db), v);
		return OMSEC_P_CONT;
	}
	if (sl->open)
		return rec_body(cx, ev, s);
	if (sl->banner > 0 && (omsec_span_has_prefix(s, "Tcp port: ") ||
	    (omsec_span_has_prefix(s, "Time") && s.n > 4 &&
	    (s.p[4] == ' ' || s.p[4] == '\t') &&
	    omsec_span_find(s, "Id Command") >= 0))) {
		sl->banner--;
		return OMSEC_P_CONT;
	}
	if (s.n > 0 && s.p[0] == '/' &&
	    omsec_span_find(s, ", Version: ") > 0 &&
	    omsec_span_find(s, "started with:") > 0) {
		mysqld_event(ev, S("log"), S("unknown"));
		/* No time on the banner: the source's clock (mtime or now). */
		ev->ts_ms = cx->src_ts_ms;
		sl->banner = 2;
		return OMSEC_P_MATCH;
	}
	return OMSEC_P_NOMATCH;
}

int
omsec_slow_finish(struct omsec_pctx *cx, struct omsec_event *ev)
{
	struct omsec_slow *sl = &cx->slow;

	if (!sl->open || (sl->stmt_n == 0 && sl->user_n == 0)) {
		rec_reset(sl);
		return OMSEC_P_NOMATCH;
	}
	rec_emit(cx, ev);
	return OMSEC_P_MATCH;
}
