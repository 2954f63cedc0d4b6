/*
 * asa.c - Cisco ASA / FTD / PIX messages without a relay's syslog header:
 * the device's own stamp (or none) in front of "%ASA-sev-id: text".
 *
 *   Nov 03 2026 02:14:07: %ASA-4-106023: Deny tcp src outside:... ("logging timestamp")
 *   Nov 03 2026 02:14:07 fw01 : %ASA-4-106023: ...            (with "logging device-id hostname")
 *   Nov  3 02:14:07: %ASA-6-302014: ...                        (no year)
 *   2026-11-03T02:14:07Z: %ASA-6-302014: ...                   ("logging timestamp rfc5424")
 *   <166>%ASA-6-302014: Teardown TCP connection ...            (no stamp at all)
 *
 * Source: "Cisco Secure Firewall ASA Series Syslog Messages", "logging
 * timestamp" and "logging device-id" in the ASA command reference. The text
 * from '%' on goes to the rule files (envelope = 0: the rules need no
 * time), so cisco-asa.rules serves both this and the relayed form. A
 * message no rule knows is still an ASA event: module asa, category
 * network, action log, rule_id the message id, severity from the ASA
 * level (0-1 -> 3, 2-3 -> 2, 4 -> 1, else 0). Times without a zone are
 * site-local; a year-less stamp takes the year as RFC 3164 lines do (the
 * source's mtime); no stamp at all takes the source's clock (mtime or now).
 */
#include <string.h>

#include "pint.h"
#include "rules.h"

#define S OMSEC_SPAN_LIT

/* "%ASA-6-302014:" at p: its length (14..), or 0. */
static size_t
asa_tag(const char *p, const char *end)
{
	const char *q = p + 5;

	if (end - p < 9 || p[0] != '%' || !(memcmp(p + 1, "ASA-", 4) == 0 ||
	    memcmp(p + 1, "FTD-", 4) == 0 || memcmp(p + 1, "PIX-", 4) == 0))
		return 0;
	if (*q < '0' || *q > '7' || q[1] != '-')
		return 0;
	q += 2;
	while (q < end && *q >= '0' && *q <= '9')
		q++;
	if (q == p + 7 || q == end || *q != ':')
		return 0;
	return (size_t)(q + 1 - p);
}

/*
 * The stamp at the start of c: "Mmm dd yyyy hh:mm:ss", "Mmm dd
 * hh:mm:ss" (the year as for RFC 3164) or ISO 8601 up to a ' ' or ": ";
 * site-local without an offset. Returns 1 with *ms set and c after it, 0
 * if there is none, -1 if it is bad. Also cef.c's syslog header reader.
 */
int
omsec_stamp(struct omsec_pctx *cx, struct omsec_cur *c, int64_t *ms)
{
	struct omsec_civil t = { 0 };
	const char *p = c->p;
	size_t n = (size_t)(c->end - p), hm;

	if (n >= 20 && p[4] == '-' && p[10] == 'T') {
		/* ISO: up to the ": " before the hostname or the tag. */
		const char *e = p + 19;
		int zone;
		while (e < c->end && *e != ' ' && !(*e == ':' && e + 1 < c->end &&
		    e[1] == ' '))
			e++;
		if (omsec_parse_iso(ms, &zone, omsec_span_make(p, (size_t)(e - p))) < 0)
			return -1;
		if (!zone) {
			omsec_ms_to_civil(*ms, &t);
			*ms = omsec_pctx_local(cx, &t);
		}
		c->p = e;
		return 1;
	}
	if (n < 15 || p[3] != ' ' || (t.month = omsec_month_from_abbr(p)) == 0)
		return 0;
	t.day = p[4] == ' ' ? omsec_digits(p + 5, 1) : omsec_digits(p + 4, 2);
	if (n >= 20 && p[6] == ' ' && p[11] == ' ' && p[14] == ':') {
		t.year = omsec_digits(p + 7, 4);
		hm = 12;
	} else if (p[6] == ' ' && p[9] == ':') {
		t.year = cx->year_override ? cx->year_override :
		    t.month > cx->src_month ? cx->src_year - 1 : cx->src_year;
		hm = 7;
	} else {
		return 0;
	}
	t.hour = omsec_digits(p + hm, 2);
	t.min = omsec_digits(p + hm + 3, 2);
	t.sec = omsec_digits(p + hm + 6, 2);
	if (p[hm + 5] != ':' || t.day < 1 || t.day > 31 || t.year < 1970 ||
	    t.hour < 0 || t.hour > 23 || t.min < 0 || t.min > 59 ||
	    t.sec < 0 || t.sec > 60)
		return -1;
	if (t.sec == 60)
		t.sec = 59;
	{
		/* A day the month does not have (Feb 30) is refused. */
		struct omsec_civil back;
		omsec_ms_to_civil(omsec_civil_to_ms(&t), &back);
		if (back.day != t.day)
			return -1;
	}
	*ms = omsec_pctx_local(cx, &t);
	c->p = p + hm + 8;
	return 1;
}

int
omsec_asa_parse(struct omsec_pctx *cx, struct omsec_event *ev,
    struct omsec_span s)
{
	struct omsec_cur c = omsec_cur_of(s);
	struct omsec_span host = OMSEC_SPAN_NULL, msg;
	int64_t ms = cx->src_ts_ms;
	size_t tag;
	int st, r;

	if (c.p < c.end && *c.p == '<') {
		const char *q = c.p + 1;
		while (q < c.end && q < c.p + 5 && *q >= '0' && *q <= '9')
			q++;
		if (q == c.p + 1 || q >= c.end || *q != '>')
			return OMSEC_P_NOMATCH;
		c.p = q + 1;
	}
	if ((st = omsec_stamp(cx, &c, &ms)) < 0) {
		/* Only an error when the rest really is an ASA message. */
		long at = omsec_span_find(omsec_cur_rest(&c), "%ASA-");
		if (at < 0 || at > 40)
			return OMSEC_P_NOMATCH;
		cx->why = "bad ASA time";
		return OMSEC_P_ERROR;
	}
	if (st > 0) {
		omsec_cur_lit(&c, ":");
		omsec_cur_spaces(&c);
		if (c.p < c.end && *c.p != '%') {
			/* "logging device-id": "fw01 : %ASA-..." */
			host = omsec_cur_word(&c);
			omsec_cur_spaces(&c);
			omsec_cur_lit(&c, ":");
			omsec_cur_spaces(&c);
		}
	}
	if ((tag = asa_tag(c.p, c.end)) == 0)
		return OMSEC_P_NOMATCH;
	msg = omsec_cur_rest(&c);
	ev->ts_ms = ms;
	ev->f[OMSEC_F_HOST] = host;
	r = omsec_rules_apply(cx->rules, cx, ev, msg, 0);
	if (r == OMSEC_P_ERROR)
		return r;
	if (r != OMSEC_P_MATCH) {
		int lv = c.p[5] - '0';
		ev->f[OMSEC_F_MODULE] = S("asa");
		ev->f[OMSEC_F_CATEGORY] = S("network");
		ev->f[OMSEC_F_ACTION] = S("log");
		ev->f[OMSEC_F_OUTCOME] = S("unknown");
		ev->f[OMSEC_F_RULE_ID] = omsec_span_make(c.p + 7, tag - 8);
		ev->severity = lv <= 1 ? OMSEC_SEV_HIGH : lv <= 3 ?
		    OMSEC_SEV_MEDIUM : lv == 4 ? OMSEC_SEV_LOW : OMSEC_SEV_INFO;
	}
	/* rules may set the host from a capture; the ASA's own wins. */
	if (host.n > 0)
		ev->f[OMSEC_F_HOST] = host;
	/* As the relayed form's tag: "%ASA-6-302014". */
	ev->f[OMSEC_F_PROCESS] = omsec_span_make(c.p, tag - 1);
	ev->f[OMSEC_F_MSG] = msg;
	return OMSEC_P_MATCH;
}
