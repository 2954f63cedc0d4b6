/*
 * access.c - web server access logs: NCSA common and combined (Apache
 * mod_log_config "%h %l %u %t \"%r\" %>s %b", nginx "combined"), Apache's
 * vhost_combined ("%v:%p %h ..."), and nginx logs whose client field is an
 * X-Forwarded-For list, e.g.
 *   85.181.35.98 - - [07/Dec/2016:11:05:07 +0100] "GET /ocelot HTTP/1.1" 200 571 "-" "Mozilla/5.0 ..."
 *   "10.5.102.222, 199.96.1.1, 204.246.1.1" 10.2.1.185 - - [22/Jan/2016:13:18:29 +0000] "GET /a HTTP/1.1" 200 25507 "-" "Amazon CloudFront"
 *
 * The client: of the addresses before the ident and user fields, the first
 * public one, else the first one (what filebeat's nginx module does); a
 * host name client leaves src_ip empty. Events: category web, action
 * http_request, outcome success below status 400 and failure from 400,
 * severity 0 / 1 (4xx) / 2 (5xx). Cost: one pass; no allocation.
 */
#include <string.h>

#include "ipaddr.h"
#include "pint.h"

#define S OMSEC_SPAN_LIT

static const struct omsec_span MODS[] = {
	[OMSEC_WEB_WEB] = S("web"),
	[OMSEC_WEB_NGINX] = S("nginx"),
	[OMSEC_WEB_APACHE] = S("apache"),
};

/* "03/Nov/2026:02:14:07 +0800" (26 bytes) to UTC ms; -1 if malformed. */
static int
clf_time(const char *p, size_t n, int64_t *ms)
{
	struct omsec_civil c = { 0 };
	int off, oh, om;

	if (n != 26 || p[2] != '/' || p[6] != '/' || p[11] != ':' ||
	    p[14] != ':' || p[17] != ':' || p[20] != ' ' ||
	    (p[21] != '+' && p[21] != '-'))
		return -1;
	c.day = omsec_digits(p, 2);
	c.month = omsec_month_from_abbr(p + 3);
	c.year = omsec_digits(p + 7, 4);
	c.hour = omsec_digits(p + 12, 2);
	c.min = omsec_digits(p + 15, 2);
	c.sec = omsec_digits(p + 18, 2);
	oh = omsec_digits(p + 22, 2);
	om = omsec_digits(p + 24, 2);
	if (c.day < 1 || c.day > 31 || c.month == 0 || c.year < 0 ||
	    c.hour < 0 || c.hour > 23 || c.min < 0 || c.min > 59 ||
	    c.sec < 0 || c.sec > 60 || oh < 0 || oh > 23 || om < 0 || om > 59)
		return -1;
	if (c.sec == 60)
		c.sec = 59;
	off = (oh * 60 + om) * 60 * (p[21] == '-' ? -1 : 1);
	*ms = omsec_civil_to_ms(&c) - (int64_t)off * 1000;
	return 0;
}

/*
 * Picks the client address from the bytes before " ident user [": words
 * split at spaces, commas and quotes.
 */
static struct omsec_span
pick_client(struct omsec_span pre)
{
	struct omsec_span first = OMSEC_SPAN_NULL;
	const char *p = pre.p, *end = pre.p + pre.n;
	struct omsec_ip one;

	/* Nearly always one plain IPv4 address: the loop below would take
	 * it, public or not. */
	if (omsec_ip_parse_quad(&one, pre) == 0)
		return pre;
	while (p < end) {
		while (p < end && (*p == ' ' || *p == ',' || *p == '"'))
			p++;
		const char *w = p;
		while (p < end && *p != ' ' && *p != ',' && *p != '"')
			p++;
		struct omsec_span word = omsec_span_make(w, (size_t)(p - w));
		struct omsec_ip ip;
		if (word.n == 0 || !omsec_span_isip(word) ||
		    omsec_ip_parse(&ip, word) < 0)
			continue;
		if (!omsec_ip_is_private(&ip))
			return word;
		if (first.p == NULL)
			first = word;
	}
	return first;
}

/*
 * End of a quoted field starting after its '"': the first '"' not escaped
 * by a backslash, that is, not after an odd run of backslashes. memchr
 * finds the candidates; a byte loop here was a third of the parse.
 */
static const char *
quote_end(const char *p, const char *end)
{
	const char *q = p, *b;

	while ((q = memchr(q, '"', (size_t)(end - q))) != NULL) {
		for (b = q; b > p && b[-1] == '\\'; b--)
			;
		if ((q - b) % 2 == 0)
			return q;
		q++;
	}
	return NULL;
}

int
omsec_access_parse(struct omsec_pctx *cx, struct omsec_event *ev,
    struct omsec_span s)
{
	const char *end = s.p + s.n, *lb, *rb, *p, *q;
	struct omsec_span pre, st, by;
	int status;

	/* The time in brackets anchors the line; the first '[' is it. */
	lb = memchr(s.p, '[', s.n);
	if (lb == NULL || lb - s.p < 5 || lb[-1] != ' ' || end - lb < 28)
		return OMSEC_P_NOMATCH;
	rb = lb + 27;
	if (*rb != ']' || clf_time(lb + 1, 26, &ev->ts_ms) < 0)
		return OMSEC_P_NOMATCH;
	/* " ident user " before the bracket. */
	p = lb - 1;
	for (int k = 0; k < 2; k++) {
		q = p;
		while (q > s.p && q[-1] != ' ')
			q--;
		if (q == p || q == s.p)
			return OMSEC_P_NOMATCH;
		if (k == 0 && !(p - q == 1 && *q == '-'))
			ev->f[OMSEC_F_USER] = omsec_span_make(q, (size_t)(p - q));
		p = q - 1;
	}
	pre = omsec_span_make(s.p, (size_t)(p - s.p));
	ev->f[OMSEC_F_SRC_IP] = pick_client(pre);

	p = rb + 1;
	if (end - p < 3 || p[0] != ' ' || p[1] != '"')
		return OMSEC_P_NOMATCH;
	q = quote_end(p + 2, end);
	if (q == NULL)
		return OMSEC_P_NOMATCH;
	{
		struct omsec_span rq = omsec_span_make(p + 2, (size_t)(q - p - 2));
		if (rq.n > 0 && !(rq.n == 1 && rq.p[0] == '-')) {
			const char *sp = memchr(rq.p, ' ', rq.n);
			if (sp == NULL) {
				ev->f[OMSEC_F_URL] = rq;
			} else {
				const char *ls = rq.p + rq.n;
				ev->f[OMSEC_F_METHOD] = omsec_span_make(rq.p,
				    (size_t)(sp - rq.p));
				while (ls > sp + 1 && ls[-1] != ' ')
					ls--;
				/* "GET /x HTTP/1.1": the URL stops at the
				 * protocol; "GET /x" (HTTP/0.9) has none. */
				if (ls > sp + 1 && end - ls >= 5 &&
				    memcmp(ls, "HTTP/", 5) == 0)
					ev->f[OMSEC_F_URL] = omsec_span_make(
					    sp + 1, (size_t)(ls - 1 - (sp + 1)));
				else
					ev->f[OMSEC_F_URL] = omsec_span_make(
					    sp + 1, (size_t)(rq.p + rq.n - sp - 1));
			}
		}
	}
	p = q + 1;
	if (p >= end || *p != ' ')
		return OMSEC_P_NOMATCH;
	p++;
	st = omsec_span_make(p, 0);
	while (p < end && *p != ' ')
		p++;
	st.n = (size_t)(p - st.p);
	if (st.n != 3 || (status = omsec_digits(st.p, 3)) < 100 || status > 999)
		return OMSEC_P_NOMATCH;
	ev->f[OMSEC_F_STATUS] = st;
	if (p < end) {
		p++;
		by = omsec_span_make(p, 0);
		while (p < end && *p != ' ')
			p++;
		by.n = (size_t)(p - by.p);
		if (omsec_span_isnum(by, 20))
			ev->f[OMSEC_F_BYTES] = by;
		else if (!omsec_span_eq(by, "-"))
			return OMSEC_P_NOMATCH;
	}
	/* Combined: "referer" "user agent"; more fields may follow. */
	if (end - p >= 3 && p[0] == ' ' && p[1] == '"' &&
	    (q = quote_end(p + 2, end)) != NULL) {
		p = q + 1;
		if (end - p >= 3 && p[0] == ' ' && p[1] == '"' &&
		    (q = quote_end(p + 2, end)) != NULL) {
			struct omsec_span ua = omsec_span_make(p + 2,
			    (size_t)(q - p - 2));
			if (!omsec_span_eq(ua, "-"))
				ev->f[OMSEC_F_USER_AGENT] = ua;
		}
	}
	ev->f[OMSEC_F_MODULE] = MODS[cx->web_hint];
	ev->f[OMSEC_F_CATEGORY] = S("web");
	ev->f[OMSEC_F_ACTION] = S("http_request");
	ev->f[OMSEC_F_OUTCOME] = status < 400 ? S("success") : S("failure");
	ev->tsv_plain |= OMSEC_CLASS_LITS | OMSEC_FIELD_BIT(OMSEC_F_MODULE);
	ev->severity = status < 400 ? OMSEC_SEV_INFO :
	    status < 500 ? OMSEC_SEV_LOW : OMSEC_SEV_MEDIUM;
	ev->f[OMSEC_F_MSG] = s;
	return OMSEC_P_MATCH;
}
