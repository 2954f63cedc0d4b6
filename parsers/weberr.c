/*
 * weberr.c - web server error logs, and the ModSecurity messages in them.
 *
 *   nginx (ngx_log.c):   2016/10/25 14:49:34 [error] 54053#0: *1 open() "/x" failed (2: No such file or directory), client: 127.0.0.1, server: localhost, request: "GET /favicon.ico HTTP/1.1", host: "localhost:8080"
 *   Apache 2.2:          [Mon Dec 26 16:22:00 2016] [error] [client 192.168.33.1] File does not exist: /var/www/favicon.ico
 *   Apache 2.4:          [Wed Oct 11 14:32:52.123456 2017] [core:error] [pid 1234:tid 5678] [client 10.1.1.1:51234] AH00126: Invalid URI in request
 *   ModSecurity 2:       ... ModSecurity: Access denied with code 403 (phase 2). ... [id "942100"] [msg "SQL Injection Attack Detected via libinjection"] [severity "CRITICAL"] ... [uri "/login"] ...
 *
 * Both servers write local time without a zone: the site zone is used.
 * Events: module nginx / apache, category web, action error_log, outcome
 * unknown, severity from the level (emerg, alert, crit: 3; error, warn: 1;
 * others 0); src_ip from "client", method and url from nginx's "request".
 * A ModSecurity message becomes module modsecurity, category
 * intrusion_detection, action waf_block (outcome failure: the request was
 * refused) or waf_alert ("Warning.", outcome unknown), rule_id and
 * rule_name from [id] and [msg], url from [uri], severity from
 * [severity] (EMERGENCY..CRITICAL 3, ERROR 2, WARNING 1, else 0; CRS 3
 * writes numbers: 0-2 as 3, 3 as 2, 4 as 1). nginx's messages may span
 * lines (FastCGI stderr): the following lines are continuation lines.
 * Cost: one pass; no allocation.
 */
#include <string.h>

#include "pint.h"

#define S OMSEC_SPAN_LIT

static int
level_sev(struct omsec_span l)
{
	if (omsec_span_eq(l, "emerg") || omsec_span_eq(l, "alert") ||
	    omsec_span_eq(l, "crit"))
		return OMSEC_SEV_HIGH;
	if (omsec_span_eq(l, "error") || omsec_span_eq(l, "warn"))
		return OMSEC_SEV_LOW;
	return OMSEC_SEV_INFO;
}

/* Value of ModSecurity's [key "value"] in s, or an empty span. */
static struct omsec_span
msc_tag(struct omsec_span s, const char *key)
{
	char pat[24];
	long at;
	size_t kn = strlen(key);

	if (kn + 4 > sizeof(pat))
		return OMSEC_SPAN_NULL;
	pat[0] = '[';
	memcpy(pat + 1, key, kn);
	memcpy(pat + 1 + kn, " \"", 3);
	if ((at = omsec_span_find(s, pat)) < 0)
		return OMSEC_SPAN_NULL;
	const char *v = s.p + at + kn + 3, *end = s.p + s.n, *e = v;
	while (e + 1 < end && !(e[0] == '"' && e[1] == ']'))
		e++;
	if (e + 1 >= end)
		return OMSEC_SPAN_NULL;
	return omsec_span_make(v, (size_t)(e - v));
}

/* Turns ev into a ModSecurity event when msg is one; returns 1 then. */
static int
modsecurity(struct omsec_event *ev, struct omsec_span msg)
{
	long at = omsec_span_find(msg, "ModSecurity: ");
	struct omsec_span rest, sev, uri;

	if (at < 0)
		return 0;
	rest = omsec_span_make(msg.p + at + 13, msg.n - (size_t)at - 13);
	ev->f[OMSEC_F_MODULE] = S("modsecurity");
	ev->f[OMSEC_F_CATEGORY] = S("intrusion_detection");
	if (omsec_span_has_prefix(rest, "Access denied")) {
		ev->f[OMSEC_F_ACTION] = S("waf_block");
		ev->f[OMSEC_F_OUTCOME] = S("failure");
	} else {
		ev->f[OMSEC_F_ACTION] = S("waf_alert");
		ev->f[OMSEC_F_OUTCOME] = S("unknown");
	}
	ev->f[OMSEC_F_RULE_ID] = msc_tag(rest, "id");
	ev->f[OMSEC_F_RULE_NAME] = msc_tag(rest, "msg");
	if ((uri = msc_tag(rest, "uri")).n > 0)
		ev->f[OMSEC_F_URL] = uri;
	sev = msc_tag(rest, "severity");
	if (omsec_span_eq(sev, "EMERGENCY") || omsec_span_eq(sev, "ALERT") ||
	    omsec_span_eq(sev, "CRITICAL") || (sev.n == 1 && sev.p[0] <= '2' &&
	    sev.p[0] >= '0'))
		ev->severity = OMSEC_SEV_HIGH;
	else if (omsec_span_eq(sev, "ERROR") || omsec_span_eq(sev, "3"))
		ev->severity = OMSEC_SEV_MEDIUM;
	else if (omsec_span_eq(sev, "WARNING") || omsec_span_eq(sev, "4"))
		ev->severity = OMSEC_SEV_LOW;
	else
		ev->severity = OMSEC_SEV_INFO;
	return 1;
}

/* ", key: value" of nginx's trailer; quoted values lose their quotes. */
static struct omsec_span
ngx_kv(struct omsec_span s, const char *pat)
{
	long at = omsec_span_find(s, pat);
	const char *v, *e, *end = s.p + s.n;

	if (at < 0)
		return OMSEC_SPAN_NULL;
	v = s.p + at + strlen(pat);
	if (v < end && *v == '"') {
		v++;
		e = memchr(v, '"', (size_t)(end - v));
		if (e == NULL)
			return OMSEC_SPAN_NULL;
	} else {
		for (e = v; e < end && *e != ','; e++)
			;
	}
	return omsec_span_make(v, (size_t)(e - v));
}

int
omsec_nginx_error_parse(struct omsec_pctx *cx, struct omsec_event *ev,
    struct omsec_span s)
{
	const char *p = s.p;
	struct omsec_civil c = { 0 };
	struct omsec_cur cur;
	struct omsec_span lvl, pid, v;

	/* "YYYY/MM/DD HH:MM:SS [" is 21 bytes. */
	if (s.n < 24 || p[4] != '/' || p[7] != '/' || p[10] != ' ' ||
	    p[13] != ':' || p[16] != ':' || p[19] != ' ' || p[20] != '[')
		return OMSEC_P_NOMATCH;
	c.year = omsec_digits(p, 4);
	c.month = omsec_digits(p + 5, 2);
	c.day = omsec_digits(p + 8, 2);
	c.hour = omsec_digits(p + 11, 2);
	c.min = omsec_digits(p + 14, 2);
	c.sec = omsec_digits(p + 17, 2);
	if (c.year < 0 || c.month < 1 || c.month > 12 || c.day < 1 ||
	    c.day > 31 || c.hour < 0 || c.hour > 23 || c.min < 0 ||
	    c.min > 59 || c.sec < 0 || c.sec > 60) {
		cx->why = "bad nginx error log time";
		return OMSEC_P_ERROR;
	}
	if (c.sec == 60)
		c.sec = 59;
	cur = omsec_cur_of(omsec_span_make(p + 21, s.n - 21));
	lvl.p = cur.p;
	while (cur.p < cur.end && *cur.p != ']')
		cur.p++;
	lvl.n = (size_t)(cur.p - lvl.p);
	if (!omsec_cur_lit(&cur, "] ") || lvl.n == 0 || lvl.n > 6)
		return OMSEC_P_NOMATCH;
	/* "pid#tid: " then an optional "*cid ". */
	pid.p = cur.p;
	while (cur.p < cur.end && *cur.p >= '0' && *cur.p <= '9')
		cur.p++;
	pid.n = (size_t)(cur.p - pid.p);
	if (pid.n == 0 || !omsec_cur_lit(&cur, "#"))
		return OMSEC_P_NOMATCH;
	while (cur.p < cur.end && *cur.p >= '0' && *cur.p <= '9')
		cur.p++;
	if (!omsec_cur_lit(&cur, ": "))
		return OMSEC_P_NOMATCH;
	if (cur.p < cur.end && *cur.p == '*') {
		(void)omsec_cur_word(&cur);
		omsec_cur_spaces(&cur);
	}
	ev->ts_ms = omsec_pctx_local(cx, &c);
	ev->f[OMSEC_F_PID] = pid;
	ev->f[OMSEC_F_PROCESS] = S("nginx");
	ev->f[OMSEC_F_MSG] = omsec_cur_rest(&cur);
	ev->f[OMSEC_F_MODULE] = S("nginx");
	ev->f[OMSEC_F_CATEGORY] = S("web");
	ev->f[OMSEC_F_ACTION] = S("error_log");
	ev->f[OMSEC_F_OUTCOME] = S("unknown");
	ev->severity = level_sev(lvl);
	if ((v = ngx_kv(ev->f[OMSEC_F_MSG], ", client: ")).n > 0 &&
	    omsec_span_isip(v))
		ev->f[OMSEC_F_SRC_IP] = v;
	if ((v = ngx_kv(ev->f[OMSEC_F_MSG], ", request: ")).n > 0) {
		struct omsec_cur r = omsec_cur_of(v);
		ev->f[OMSEC_F_METHOD] = omsec_cur_word(&r);
		omsec_cur_spaces(&r);
		ev->f[OMSEC_F_URL] = omsec_cur_word(&r);
	}
	(void)modsecurity(ev, ev->f[OMSEC_F_MSG]);
	cx->cont = 1;
	return OMSEC_P_MATCH;
}

/* Apache level: "error", "core:error", ":error" -> "error". */
static struct omsec_span
apache_level(struct omsec_span l)
{
	const char *q = memchr(l.p, ':', l.n);
	if (q != NULL) {
		l.n -= (size_t)(q + 1 - l.p);
		l.p = q + 1;
	}
	return l;
}

int
omsec_apache_error_parse(struct omsec_pctx *cx, struct omsec_event *ev,
    struct omsec_span s)
{
	struct omsec_civil c = { 0 };
	struct omsec_cur cur = omsec_cur_of(s);
	struct omsec_span lvl, b;
	const char *p, *q;
	int any = 0;

	/* "[Www Mmm dd hh:mm:ss[.uuuuuu] yyyy] " */
	if (s.n < 27 || s.p[0] != '[' || s.p[4] != ' ' || s.p[8] != ' ' ||
	    s.p[11] != ' ' || s.p[14] != ':' || s.p[17] != ':')
		return OMSEC_P_NOMATCH;
	p = s.p + 1;
	if ((c.month = omsec_month_from_abbr(p + 4)) == 0)
		return OMSEC_P_NOMATCH;
	c.day = p[8] == ' ' ? omsec_digits(p + 9, 1) : omsec_digits(p + 8, 2);
	c.hour = omsec_digits(p + 11, 2);
	c.min = omsec_digits(p + 14, 2);
	c.sec = omsec_digits(p + 17, 2);
	q = p + 19;
	if (*q == '.') {
		int ms = 0, k = 0;
		for (q++; q < s.p + s.n && *q >= '0' && *q <= '9'; q++, k++)
			if (k < 3)
				ms = ms * 10 + (*q - '0');
		while (k > 0 && k < 3)
			ms *= 10, k++;
		c.msec = ms;
	}
	if (s.p + s.n - q < 7 || *q != ' ' || q[5] != ']')
		return OMSEC_P_NOMATCH;
	c.year = omsec_digits(q + 1, 4);
	if (c.year < 0 || c.day < 1 || c.day > 31 || c.hour < 0 ||
	    c.hour > 23 || c.min < 0 || c.min > 59 || c.sec < 0 || c.sec > 60) {
		cx->why = "bad apache error log time";
		return OMSEC_P_ERROR;
	}
	if (c.sec == 60)
		c.sec = 59;
	cur.p = q + 6;
	omsec_cur_spaces(&cur);
	/* "[level]" then optional "[pid N(:tid M)]", "[client IP(:port)]". */
	if (!omsec_cur_lit(&cur, "["))
		return OMSEC_P_NOMATCH;
	lvl.p = cur.p;
	while (cur.p < cur.end && *cur.p != ']' && *cur.p != ' ')
		cur.p++;
	lvl.n = (size_t)(cur.p - lvl.p);
	if (!omsec_cur_lit(&cur, "]"))
		return OMSEC_P_NOMATCH;
	lvl = apache_level(lvl);
	ev->ts_ms = omsec_pctx_local(cx, &c);
	ev->f[OMSEC_F_PROCESS] = S("httpd");
	for (;;) {
		omsec_cur_spaces(&cur);
		if (omsec_cur_lit(&cur, "[pid ")) {
			b.p = cur.p;
			while (cur.p < cur.end && *cur.p >= '0' && *cur.p <= '9')
				cur.p++;
			b.n = (size_t)(cur.p - b.p);
			ev->f[OMSEC_F_PID] = b;
		} else if (omsec_cur_lit(&cur, "[client ") ||
		    omsec_cur_lit(&cur, "[remote ")) {
			b.p = cur.p;
			while (cur.p < cur.end && *cur.p != ']')
				cur.p++;
			b.n = (size_t)(cur.p - b.p);
			if (!omsec_span_isip(b)) {
				/* "10.1.1.1:51234" or "2001:db8::1:51234". */
				const char *col = b.p + b.n;
				while (col > b.p && col[-1] != ':')
					col--;
				if (col > b.p) {
					struct omsec_span ip = omsec_span_make(
					    b.p, (size_t)(col - 1 - b.p));
					struct omsec_span port = omsec_span_make(
					    col, (size_t)(b.p + b.n - col));
					if (omsec_span_isip(ip) &&
					    omsec_span_isnum(port, 5)) {
						b = ip;
						ev->f[OMSEC_F_SRC_PORT] = port;
					}
				}
			}
			if (omsec_span_isip(b))
				ev->f[OMSEC_F_SRC_IP] = b;
		} else {
			break;
		}
		while (cur.p < cur.end && *cur.p != ']')
			cur.p++;
		if (!omsec_cur_lit(&cur, "]"))
			return OMSEC_P_NOMATCH;
		any = 1;
	}
	(void)any;
	ev->f[OMSEC_F_MSG] = omsec_cur_rest(&cur);
	ev->f[OMSEC_F_MODULE] = S("apache");
	ev->f[OMSEC_F_CATEGORY] = S("web");
	ev->f[OMSEC_F_ACTION] = S("error_log");
	ev->f[OMSEC_F_OUTCOME] = S("unknown");
	ev->severity = level_sev(lvl);
	(void)modsecurity(ev, ev->f[OMSEC_F_MSG]);
	return OMSEC_P_MATCH;
}
