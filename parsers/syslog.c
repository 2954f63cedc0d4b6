/*
 * syslog.c - the syslog envelope: RFC 3164 (BSD), RFC 3164 with an RFC 3339
 * timestamp (rsyslog's high-precision template) and RFC 5424.
 *
 *   RFC 3164:  Nov  3 02:14:07 web1 sshd[811]: Accepted publickey for ...
 *              (an optional "<PRI>" in front is skipped)
 *   rsyslog:   2018-08-14T14:30:02.203151+02:00 linux-sqrz systemd[4179]: Stopped target Paths.
 *   RFC 5424:  <34>1 2026-11-03T02:14:07.003Z web1 sshd 811 - - Accepted ...
 *
 * RFC 3164 carries neither year nor zone: the year is the source mtime's
 * (local) year, or the year before when the line's month is after the
 * mtime's month (a December line in a file written in January); the clock is
 * the site zone's. An RFC 3339 time without offset is also site-local.
 *
 * The tag is read leniently, as rsyslog does: bytes up to '[', ':' or a
 * space; "syslogd 1.4.1: restart." has tag "syslogd" and message
 * "1.4.1: restart.". Cost: one pass over the header; no allocation.
 */
#include <string.h>

#include "pint.h"
#include "rules.h"
#include "strnum.h"

static const struct omsec_span LIT_SYSLOG = OMSEC_SPAN_LIT("syslog");
static const struct omsec_span LIT_HOST = OMSEC_SPAN_LIT("host");
static const struct omsec_span LIT_LOG = OMSEC_SPAN_LIT("log");
static const struct omsec_span LIT_UNKNOWN = OMSEC_SPAN_LIT("unknown");

int64_t
omsec_pctx_local(struct omsec_pctx *cx, const struct omsec_civil *c)
{
	return omsec_tz_local_to_utc(cx->tz, c);
}

int
omsec_syslog_split_tail(struct omsec_event *ev, struct omsec_span s)
{
	struct omsec_cur c = omsec_cur_of(s);
	const char *t;

	omsec_cur_spaces(&c);
	ev->f[OMSEC_F_HOST] = omsec_cur_word(&c);
	if (ev->f[OMSEC_F_HOST].n == 0)
		return -1;
	omsec_cur_spaces(&c);
	t = c.p;
	c.p = omsec_scan_to(c.p, c.end, '[', ':', ' ');
	ev->f[OMSEC_F_PROCESS] = omsec_span_make(t, (size_t)(c.p - t));
	if (c.p < c.end && *c.p == '[') {
		const char *q = omsec_scan_to(c.p, c.end, ']', ']', ']');
		if (q < c.end) {
			ev->f[OMSEC_F_PID] = omsec_span_make(c.p + 1,
			    (size_t)(q - c.p - 1));
			c.p = q + 1;
		}
	}
	if (c.p < c.end && *c.p == ':')
		c.p++;
	if (c.p < c.end && *c.p == ' ')
		c.p++;
	ev->f[OMSEC_F_MSG] = omsec_cur_rest(&c);
	return 0;
}

/* "sshd(pam_unix)" -> "sshd"; the program table is keyed by the base. */
static struct omsec_span
prog_base(struct omsec_span tag)
{
	const char *q;

	if (tag.n == 0)
		return tag;	/* an RFC 5424 "-" app-name: p is NULL */
	q = memchr(tag.p, '(', tag.n);
	if (q != NULL)
		tag.n = (size_t)(q - tag.p);
	return tag;
}

/*
 * What the envelope parsers above set before omsec_syslog_classify, on an
 * event cleared before them: all that a program parser that gives up must
 * give back. Copying the whole event instead was 2% of omsec-parse.
 */
struct envelope {
	int64_t ts_ms;
	struct omsec_span host, process, pid, msg;
};

static void
envelope_save(struct envelope *e, const struct omsec_event *ev)
{
	e->ts_ms = ev->ts_ms;
	e->host = ev->f[OMSEC_F_HOST];
	e->process = ev->f[OMSEC_F_PROCESS];
	e->pid = ev->f[OMSEC_F_PID];
	e->msg = ev->f[OMSEC_F_MSG];
}

static void
envelope_restore(struct omsec_event *ev, const struct envelope *e)
{
	omsec_event_clear(ev);
	ev->ts_ms = e->ts_ms;
	ev->f[OMSEC_F_HOST] = e->host;
	ev->f[OMSEC_F_PROCESS] = e->process;
	ev->f[OMSEC_F_PID] = e->pid;
	ev->f[OMSEC_F_MSG] = e->msg;
}

int
omsec_syslog_classify(struct omsec_pctx *cx, struct omsec_event *ev)
{
	struct omsec_span base = prog_base(ev->f[OMSEC_F_PROCESS]);
	struct omsec_span msg = ev->f[OMSEC_F_MSG];
	struct envelope save;

	envelope_save(&save, ev);

	/*
	 * rsyslog folds repeats into "message repeated N times: [ text]"; the
	 * folded text is parsed as one event (the count is in msg).
	 */
	if (msg.n > 0 && msg.p[0] == 'm' &&
	    omsec_span_has_prefix(msg, "message repeated ")) {
		long at = omsec_span_find(msg, ": [ ");
		if (at > 0 && msg.p[msg.n - 1] == ']') {
			msg.p += at + 4;
			msg.n -= (size_t)at + 5;
		}
	}
	cx->module = base;
	for (int i = 0; i < omsec_nprogs; i++) {
		const struct omsec_prog_row *r = &omsec_progs[i];
		/* The first letter rules out most rows before a compare. */
		if (base.n == 0 || (base.p[0] | 0x20) != r->prog.p[0] ||
		    !omsec_span_ieq_span(base, r->prog))
			continue;
		cx->module = r->module;
		if (r->fn(cx, ev, msg) == OMSEC_P_MATCH) {
			if (ev->f[OMSEC_F_MODULE].p == r->module.p)
				ev->tsv_plain |= OMSEC_FIELD_BIT(OMSEC_F_MODULE);
			return OMSEC_P_MATCH;
		}
		envelope_restore(ev, &save);
		break;
	}
	/* PAM speaks for many programs: login, su, gdm, sshd(pam_unix), ... */
	if (omsec_pam_parse(cx, ev, msg) == OMSEC_P_MATCH)
		return OMSEC_P_MATCH;
	envelope_restore(ev, &save);
	/* Firewall LOG lines come under "kernel" or a router's own tag. */
	if (omsec_netfilter_parse(cx, ev, msg) == OMSEC_P_MATCH)
		return OMSEC_P_MATCH;
	envelope_restore(ev, &save);
	/* Rule files see the text from the tag on ("%ASA-4-106023: ..."). */
	if (cx->rules != NULL) {
		const char *t = ev->f[OMSEC_F_PROCESS].p != NULL &&
		    ev->f[OMSEC_F_PROCESS].p <= msg.p ?
		    ev->f[OMSEC_F_PROCESS].p : ev->f[OMSEC_F_MSG].p;
		const char *e = ev->f[OMSEC_F_MSG].p + ev->f[OMSEC_F_MSG].n;
		if (t != NULL && omsec_rules_apply(cx->rules, cx, ev,
		    omsec_span_make(t, (size_t)(e - t)), 0) == OMSEC_P_MATCH)
			return OMSEC_P_MATCH;
		envelope_restore(ev, &save);
	}
	ev->f[OMSEC_F_MODULE] = LIT_SYSLOG;
	ev->f[OMSEC_F_CATEGORY] = LIT_HOST;
	ev->f[OMSEC_F_ACTION] = LIT_LOG;
	ev->f[OMSEC_F_OUTCOME] = LIT_UNKNOWN;
	ev->tsv_plain |= OMSEC_CLASS_LITS | OMSEC_FIELD_BIT(OMSEC_F_MODULE);
	ev->severity = OMSEC_SEV_INFO;
	return OMSEC_P_MATCH;
}

/* Skips "<PRI>" (1-3 digits); returns the bytes consumed, 0 if none. */
static size_t
skip_pri(struct omsec_span s)
{
	size_t i;

	if (s.n < 3 || s.p[0] != '<')
		return 0;
	for (i = 1; i < s.n && i <= 4 && s.p[i] >= '0' && s.p[i] <= '9'; i++)
		;
	if (i == 1 || i > 4 || i >= s.n || s.p[i] != '>')
		return 0;
	return i + 1;
}

int
omsec_rfc3164_parse(struct omsec_pctx *cx, struct omsec_event *ev,
    struct omsec_span s)
{
	struct omsec_civil c = { 0 };
	size_t off = skip_pri(s);
	const char *p = s.p + off;
	size_t n = s.n - off;
	int mon, day, hh, mm, ss;

	/* "Mmm dd hh:mm:ss " is 16 bytes, then at least a host. */
	if (n < 17 || p[3] != ' ' || p[6] != ' ' || p[9] != ':' ||
	    p[12] != ':' || p[15] != ' ')
		return OMSEC_P_NOMATCH;
	ss = omsec_digits(p + 13, 2);
	/* The cached minute was valid, month included: no need to look. */
	if (cx->ts_valid && memcmp(cx->ts_key, p, 12) == 0 && ss >= 0 &&
	    ss <= 60) {
		ev->ts_ms = cx->ts_ms + (ss == 60 ? 59 : ss) * 1000;
	} else {
		if ((mon = omsec_month_from_abbr(p)) == 0)
			return OMSEC_P_NOMATCH;
		day = p[4] == ' ' ? omsec_digits(p + 5, 1) : omsec_digits(p + 4, 2);
		hh = omsec_digits(p + 7, 2);
		mm = omsec_digits(p + 10, 2);
		if (day < 1 || day > 31 || hh < 0 || hh > 23 || mm < 0 ||
		    mm > 59 || ss < 0 || ss > 60) {
			cx->why = "bad syslog timestamp";
			return OMSEC_P_ERROR;
		}
		c.year = cx->year_override ? cx->year_override :
		    (mon > cx->src_month ? cx->src_year - 1 : cx->src_year);
		c.month = mon;
		c.day = day;
		/* Feb 29 in an inferred non-leap year and Apr 31 are not dates. */
		if (day > 28) {
			int64_t d = omsec_days_from_civil(c.year, mon, day);
			int y, m, dd;
			omsec_civil_from_days(d, &y, &m, &dd);
			if (m != mon) {
				cx->why = "bad syslog date";
				return OMSEC_P_ERROR;
			}
		}
		c.hour = hh;
		c.min = mm;
		c.sec = ss == 60 ? 59 : ss;
		ev->ts_ms = omsec_pctx_local(cx, &c);
		/* Seconds 0 and 59 59 s apart: one offset all minute long
		 * (not so in Kigali's last minute of May 1935), so the
		 * minute can be cached. */
		c.sec = 0;
		cx->ts_ms = omsec_pctx_local(cx, &c);
		c.sec = 59;
		cx->ts_valid = omsec_pctx_local(cx, &c) - cx->ts_ms == 59000;
		memcpy(cx->ts_key, p, 12);
	}
	if (omsec_syslog_split_tail(ev, omsec_span_make(p + 16, n - 16)) < 0) {
		cx->why = "syslog line without host";
		return OMSEC_P_ERROR;
	}
	return omsec_syslog_classify(cx, ev);
}

/* Parses an RFC 3339 time; an offset-less time is site-local. */
static int
iso_time(struct omsec_pctx *cx, int64_t *ms, struct omsec_span t)
{
	int had_zone = 0;
	struct omsec_civil c;

	if (omsec_parse_iso(ms, &had_zone, t) < 0)
		return -1;
	if (!had_zone) {
		omsec_ms_to_civil(*ms, &c);
		*ms = omsec_pctx_local(cx, &c);
	}
	return 0;
}

int
omsec_isosyslog_parse(struct omsec_pctx *cx, struct omsec_event *ev,
    struct omsec_span s)
{
	struct omsec_cur c = omsec_cur_of(skip_pri(s) ?
	    omsec_span_make(s.p + skip_pri(s), s.n - skip_pri(s)) : s);
	struct omsec_span t;

	/* "YYYY-MM-DDT" is the cheap test before the real parse. */
	if (c.end - c.p < 20 || omsec_digits(c.p, 4) < 0 || c.p[4] != '-' ||
	    c.p[7] != '-' || c.p[10] != 'T')
		return OMSEC_P_NOMATCH;
	t = omsec_cur_word(&c);
	if (iso_time(cx, &ev->ts_ms, t) < 0) {
		cx->why = "bad syslog timestamp";
		return OMSEC_P_ERROR;
	}
	if (omsec_syslog_split_tail(ev, omsec_cur_rest(&c)) < 0) {
		cx->why = "syslog line without host";
		return OMSEC_P_ERROR;
	}
	return omsec_syslog_classify(cx, ev);
}

/* RFC 5424 NILVALUE "-" is an empty field. */
static struct omsec_span
nil(struct omsec_span s)
{
	return s.n == 1 && s.p[0] == '-' ? OMSEC_SPAN_NULL : s;
}

int
omsec_rfc5424_parse(struct omsec_pctx *cx, struct omsec_event *ev,
    struct omsec_span s)
{
	size_t off = skip_pri(s);
	struct omsec_cur c;
	struct omsec_span t;

	if (off == 0 || off + 2 > s.n || s.p[off] != '1' || s.p[off + 1] != ' ')
		return OMSEC_P_NOMATCH;
	c = omsec_cur_of(omsec_span_make(s.p + off + 2, s.n - off - 2));
	t = omsec_cur_word(&c);
	if (t.n == 1 && t.p[0] == '-') {
		cx->why = "RFC 5424 line without timestamp";
		return OMSEC_P_ERROR;
	}
	if (iso_time(cx, &ev->ts_ms, t) < 0) {
		cx->why = "bad RFC 5424 timestamp";
		return OMSEC_P_ERROR;
	}
	omsec_cur_lit(&c, " ");
	ev->f[OMSEC_F_HOST] = nil(omsec_cur_word(&c));
	omsec_cur_lit(&c, " ");
	ev->f[OMSEC_F_PROCESS] = nil(omsec_cur_word(&c));
	omsec_cur_lit(&c, " ");
	ev->f[OMSEC_F_PID] = nil(omsec_cur_word(&c));
	omsec_cur_lit(&c, " ");
	(void)omsec_cur_word(&c);	/* MSGID */
	if (!omsec_cur_lit(&c, " ")) {
		cx->why = "truncated RFC 5424 header";
		return OMSEC_P_ERROR;
	}
	/* STRUCTURED-DATA: "-" or [id k="v" ...]..., with \] escapes. */
	if (c.p < c.end && *c.p == '-') {
		c.p++;
	} else {
		while (c.p < c.end && *c.p == '[') {
			int q = 0;
			for (c.p++; c.p < c.end; c.p++) {
				if (*c.p == '\\' && c.p + 1 < c.end)
					c.p++;
				else if (*c.p == '"')
					q = !q;
				else if (*c.p == ']' && !q)
					break;
			}
			if (c.p >= c.end) {
				cx->why = "unterminated RFC 5424 structured data";
				return OMSEC_P_ERROR;
			}
			c.p++;
		}
	}
	omsec_cur_lit(&c, " ");
	/* A UTF-8 BOM may start MSG (RFC 5424 6.4). */
	omsec_cur_lit(&c, "\xEF\xBB\xBF");
	ev->f[OMSEC_F_MSG] = omsec_cur_rest(&c);
	return omsec_syslog_classify(cx, ev);
}
