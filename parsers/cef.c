/*
 * cef.c - ArcSight CEF and IBM QRadar LEEF envelopes, bare or behind a
 * syslog header.
 *
 *   CEF:0|Vendor|Product|Version|SignatureID|Name|Severity|k=v k=v ...
 *   LEEF:1.0|Vendor|Product|Version|EventID|k=v<TAB>k=v ...
 *   LEEF:2.0|Vendor|Product|Version|EventID|^|k=v^k=v ...   (delimiter
 *     field: one character, or its code as "x5E" / "0x5E"; empty = tab)
 *   <134>Nov  3 02:14:07 fw01 CEF:0|...  (any syslog form omsec reads)
 *
 * Sources: Micro Focus "Implementing ArcSight Common Event Format (CEF)"
 * revision 25 (header '|' and '\' escaped with '\'; in the extension '=',
 * '\' escaped, "\n" / "\r" are newlines, a value runs to the next
 * " key="); IBM "Log Event Extended Format (LEEF)" 1.0 and 2.0.
 *
 * Mapping: module = the product, lower case, blanks as '_' ("threat_
 * manager"); category network when the event has an address, else host;
 * rule_id = SignatureID / EventID, rule_name = Name (LEEF: the EventID);
 * severity: CEF 0-10 or Unknown/Low/Medium/High/Very-High, LEEF sev 0-10,
 * as 0 -> 0, 1-3 -> 1, 4-6 -> 2, 7-8 -> 3, 9-10 -> 4.
 * Extension keys (CEF / LEEF): src, dst, spt / srcPort, dpt / dstPort,
 * suser / usrName (else duser), act / action, outcome, request / url,
 * requestMethod, requestClientApplication / userAgent, dvchost / dvc,
 * dvcpid, rt / devTime (epoch ms, "Mmm dd yyyy HH:mm:ss[.SSS]", ISO
 * 8601), cs1..cs6 labelled by csNLabel ("url", "user agent", "request
 * method"). action: act words block/deny/drop/reject... ->
 * connection_denied (failure), allow/accept/permit/pass ->
 * connection_allowed (success), otherwise log; outcome keeps
 * success/failure when the event says so. ts: rt, else the syslog
 * header's, else the source's clock. Values with escapes are unescaped
 * into cx->scratch. msg is the whole CEF/LEEF text. Cost: one pass over
 * the line, no allocation.
 */
#include <stddef.h>
#include <string.h>

#include "pint.h"
#include "strnum.h"

#define S OMSEC_SPAN_LIT

/* Header fields before the extension: CEF 7, LEEF 1.0 5, LEEF 2.0 6. */
#define HMAX 7

static int
has_esc(struct omsec_span s)
{
	return memchr(s.p, '\\', s.n) != NULL;
}

/* Unescapes a CEF value into scratch (the raw bytes if it does not fit). */
static struct omsec_span
unesc(struct omsec_pctx *cx, struct omsec_span s)
{
	char *d = cx->scratch + cx->scratch_n, *d0 = d;
	size_t room = sizeof(cx->scratch) - cx->scratch_n;

	if (!has_esc(s) || s.n > room)
		return s;
	for (size_t i = 0; i < s.n; i++) {
		char c = s.p[i];
		if (c == '\\' && i + 1 < s.n) {
			c = s.p[++i];
			if (c == 'n')
				c = '\n';
			else if (c == 'r')
				c = '\r';
		}
		*d++ = c;
	}
	cx->scratch_n += (size_t)(d - d0);
	return omsec_span_make(d0, (size_t)(d - d0));
}

static int
keych(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' ||
	    c == '[' || c == ']';
}

/* 1 if p (at a blank) is followed by "key=" with an unescaped '='. */
static int
next_key(const char *p, const char *end)
{
	const char *q = p + 1;

	while (q < end && keych(*q))
		q++;
	return q > p + 1 && q < end && *q == '=';
}

/* Lower-cased copy of s in scratch with blanks as '_' (module name). */
static struct omsec_span
modname(struct omsec_pctx *cx, struct omsec_span s)
{
	char *d = cx->scratch + cx->scratch_n;
	size_t n = s.n < 48 ? s.n : 48;

	if (n == 0 || n > sizeof(cx->scratch) - cx->scratch_n)
		return OMSEC_SPAN_NULL;
	for (size_t i = 0; i < n; i++) {
		char c = s.p[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (c == ' ' || c == '\t' || c == '\\' || c == '|')
			c = '_';
		d[i] = c;
	}
	cx->scratch_n += n;
	return omsec_span_make(d, n);
}

#define ieq omsec_span_ieq	/* pint.h */

static int
sev_of(struct omsec_span s)
{
	int64_t v;

	if (ieq(s, "unknown"))
		return 0;
	if (ieq(s, "low"))
		return 1;
	if (ieq(s, "medium"))
		return 2;
	if (ieq(s, "high"))
		return 3;
	if (ieq(s, "very-high"))
		return 4;
	if (omsec_strtonum(&v, s, 0, 10) != 0)
		return -1;
	return v == 0 ? 0 : v <= 3 ? 1 : v <= 6 ? 2 : v <= 8 ? 3 : 4;
}

/*
 * rt / devTime: epoch ms, "Mmm dd yyyy HH:mm:ss[.SSS][ zone]" (site-local
 * unless the zone is UTC/GMT/Z), or ISO 8601. Returns 0 or -1.
 */
static int
cef_time(struct omsec_pctx *cx, struct omsec_span s, int64_t *ms)
{
	struct omsec_civil c = { 0 };
	int64_t v;
	int zone;

	if (s.n >= 10 && s.n <= 13 && omsec_strtonum(&v, s, 0,
	    INT64_C(253402300799999)) == 0) {
		*ms = s.n <= 10 ? v * 1000 : v;
		return 0;
	}
	if (s.n >= 19 && s.p[4] == '-' && omsec_parse_iso(ms, &zone, s) == 0) {
		if (!zone) {
			omsec_ms_to_civil(*ms, &c);
			*ms = omsec_pctx_local(cx, &c);
		}
		return 0;
	}
	if (s.n < 20 || s.p[3] != ' ' || s.p[6] != ' ' || s.p[11] != ' ' ||
	    s.p[14] != ':' || s.p[17] != ':' ||
	    (c.month = omsec_month_from_abbr(s.p)) == 0)
		return -1;
	c.day = omsec_digits(s.p + 4, 2);
	if (s.p[4] == ' ')
		c.day = omsec_digits(s.p + 5, 1);
	c.year = omsec_digits(s.p + 7, 4);
	c.hour = omsec_digits(s.p + 12, 2);
	c.min = omsec_digits(s.p + 15, 2);
	c.sec = omsec_digits(s.p + 18, 2);
	if (c.day < 1 || c.day > 31 || c.year < 1970 || c.hour < 0 ||
	    c.hour > 23 || c.min < 0 || c.min > 59 || c.sec < 0 || c.sec > 60)
		return -1;
	if (c.sec == 60)
		c.sec = 59;
	{
		size_t i = 20;
		if (i + 4 <= s.n && s.p[i] == '.' && (c.msec = omsec_digits(s.p + i + 1, 3)) >= 0)
			i += 4;
		else
			c.msec = 0;
		while (i < s.n && s.p[i] == ' ')
			i++;
		struct omsec_span z = omsec_span_make(s.p + i, s.n - i);
		if (z.n == 0)
			*ms = omsec_pctx_local(cx, &c);
		else if (ieq(z, "utc") || ieq(z, "gmt") || ieq(z, "z"))
			*ms = omsec_civil_to_ms(&c);
		else
			*ms = omsec_pctx_local(cx, &c);	/* other zone names are ambiguous */
	}
	return 0;
}

struct ext {
	struct omsec_span src, dst, spt, dpt, suser, duser, act, outcome;
	struct omsec_span req, method, ua, dvchost, dvc, pid, rt, sev;
	struct omsec_span cs[6], csl[6];
};

static void
ext_set(struct ext *x, struct omsec_span k, struct omsec_span v)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
#define K(name, field) { name, offsetof(struct ext, field) }
		K("src", src), K("dst", dst), K("spt", spt), K("dpt", dpt),
		K("srcPort", spt), K("dstPort", dpt), K("suser", suser),
		K("usrName", suser), K("duser", duser), K("act", act),
		K("action", act), K("outcome", outcome), K("request", req),
		K("url", req), K("requestMethod", method),
		K("requestClientApplication", ua), K("userAgent", ua),
		K("dvchost", dvchost), K("dvc", dvc), K("dvcpid", pid),
		K("rt", rt), K("devTime", rt), K("identHostName", dvchost),
		K("sev", sev),
#undef K
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (omsec_span_eq(k, keys[i].key)) {
			*(struct omsec_span *)(void *)((char *)x + keys[i].off) = v;
			return;
		}
	if (k.n >= 3 && k.p[0] == 'c' && k.p[1] == 's' && k.p[2] >= '1' &&
	    k.p[2] <= '6') {
		int i = k.p[2] - '1';
		if (k.n == 3)
			x->cs[i] = v;
		else if (omsec_span_eq(omsec_span_make(k.p + 3, k.n - 3), "Label"))
			x->csl[i] = v;
	}
}

/* CEF extension: "k=v k=v", a value running to the next " key=". */
static void
cef_ext(struct omsec_pctx *cx, struct ext *x, struct omsec_span s)
{
	const char *p = s.p, *end = s.p + s.n;

	while (p < end) {
		const char *k = p, *v, *e;
		while (p < end && *p == ' ')
			p++;
		k = p;
		while (p < end && keych(*p))
			p++;
		if (p == end || *p != '=' || p == k)
			return;		/* not key=value: the rest stays in msg */
		v = ++p;
		while (p < end) {
			if (*p == '\\' && p + 1 < end) {
				p += 2;
				continue;
			}
			if (*p == ' ' && next_key(p, end))
				break;
			p++;
		}
		e = p;
		while (e > v && e[-1] == ' ')
			e--;
		ext_set(x, omsec_span_make(k, (size_t)(v - 1 - k)),
		    unesc(cx, omsec_span_make(v, (size_t)(e - v))));
	}
}

/* LEEF attributes: "k=v" separated by delim (no escapes in LEEF). */
static void
leef_ext(struct ext *x, struct omsec_span s, char delim)
{
	const char *p = s.p, *end = s.p + s.n;

	while (p < end) {
		const char *f = p, *fe = memchr(p, delim, (size_t)(end - p));
		const char *eq;
		if (fe == NULL)
			fe = end;
		p = fe < end ? fe + 1 : end;
		eq = memchr(f, '=', (size_t)(fe - f));
		if (eq == NULL || eq == f)
			continue;
		while (f < eq && *f == ' ')
			f++;
		ext_set(x, omsec_span_make(f, (size_t)(eq - f)),
		    omsec_span_make(eq + 1, (size_t)(fe - eq - 1)));
	}
}

/* Splits the header at unescaped '|': n fields, then the rest in *rest. */
static int
split_header(struct omsec_span s, struct omsec_span *h, int n,
    struct omsec_span *rest)
{
	const char *p = s.p, *end = s.p + s.n;

	for (int i = 0; i < n; i++) {
		const char *f = p;
		while (p < end && *p != '|') {
			if (*p == '\\' && p + 1 < end)
				p++;
			p++;
		}
		if (p >= end)
			return -1;
		h[i] = omsec_span_make(f, (size_t)(p - f));
		p++;
	}
	*rest = omsec_span_make(p, (size_t)(end - p));
	return 0;
}

static int
is_deny(struct omsec_span a)
{
	static const char *const w[] = { "block", "blocked", "deny", "denied",
	    "drop", "dropped", "reject", "rejected", "quarantine",
	    "quarantined", "prevent", "prevented", "reset" };
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (ieq(a, w[i]))
			return 1;
	return 0;
}

static int
is_allow(struct omsec_span a)
{
	static const char *const w[] = { "allow", "allowed", "accept",
	    "accepted", "permit", "permitted", "pass", "passed", "built" };
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (ieq(a, w[i]))
			return 1;
	return 0;
}

/*
 * The syslog header in front of "CEF:" / "LEEF:": "<PRI>" alone, or
 * [<PRI>[1 ]]STAMP HOST [TAG[[PID]]:] (RFC 3164, rsyslog's RFC 3339
 * stamps, RFC 5424 "HOST APP PROCID MSGID SD"). Its time, host, tag and
 * pid go into ev. Read here rather than by the syslog rows, which would
 * also run the program parsers and the rule files on every line.
 * Returns 1, or -1 when the prefix is not such a header.
 */
static int
prefix_header(struct omsec_pctx *cx, struct omsec_event *ev,
    struct omsec_span line, size_t at)
{
	struct omsec_cur c = { line.p, line.p + at };
	struct omsec_span w[6];
	int64_t ms;
	int n = 0, v5424 = 0;

	if (c.p < c.end && *c.p == '<') {
		const char *q = c.p + 1;
		while (q < c.end && q < c.p + 5 && *q >= '0' && *q <= '9')
			q++;
		if (q == c.p + 1 || q >= c.end || *q != '>')
			return -1;
		c.p = q + 1;
		if (c.p == c.end)
			return 1;	/* "<134>CEF:..." */
		if (omsec_cur_lit(&c, "1 "))
			v5424 = 1;
	}
	if (omsec_stamp(cx, &c, &ms) <= 0)
		return -1;
	ev->ts_ms = ms;
	while (n < 6) {
		omsec_cur_spaces(&c);
		if (c.p >= c.end)
			break;
		w[n++] = omsec_cur_word(&c);
	}
	if (n == 0 || c.p < c.end)
		return -1;
	ev->f[OMSEC_F_HOST] = w[0];
	if (v5424) {
		if (n >= 2 && !omsec_span_eq(w[1], "-"))
			ev->f[OMSEC_F_PROCESS] = w[1];
		if (n >= 3 && omsec_span_isnum(w[2], 10))
			ev->f[OMSEC_F_PID] = w[2];
	} else if (n >= 2) {
		/* "tag[pid]:" or "tag:" */
		struct omsec_span t = w[1];
		const char *b;
		if (t.n > 0 && t.p[t.n - 1] == ':')
			t.n--;
		if (t.n > 2 && t.p[t.n - 1] == ']' &&
		    (b = memchr(t.p, '[', t.n)) != NULL) {
			struct omsec_span pid = omsec_span_make(b + 1,
			    (size_t)(t.p + t.n - 1 - b - 1));
			if (omsec_span_isnum(pid, 10))
				ev->f[OMSEC_F_PID] = pid;
			t.n = (size_t)(b - t.p);
		}
		if (t.n > 0)
			ev->f[OMSEC_F_PROCESS] = t;
	}
	return 1;
}

/*
 * A line that starts with the marker and is bad is a bad CEF line; one
 * that only holds " CEF:" in its text is left to the syslog rows.
 */
static int
bad(struct omsec_pctx *cx, long at, const char *why)
{
	if (at > 0)
		return OMSEC_P_NOMATCH;
	cx->why = why;
	return OMSEC_P_ERROR;
}

int
omsec_cef_parse(struct omsec_pctx *cx, struct omsec_event *ev,
    struct omsec_span s)
{
	struct omsec_span h[HMAX], rest, body;
	struct ext x;
	long at;
	int leef, hdr = 0, sev = 0;
	char delim = '\t';

	/* The marker is at the start or after a syslog header (< 512 bytes). */
	if (omsec_span_has_prefix(s, "CEF:") || omsec_span_has_prefix(s, "LEEF:")) {
		at = 0;
	} else {
		struct omsec_span head = omsec_span_make(s.p, s.n < 512 ? s.n : 512);
		long c = omsec_span_find(head, " CEF:"), l = omsec_span_find(head, " LEEF:");
		if (c < 0 && l < 0) {
			c = omsec_span_find(head, ">CEF:");
			l = omsec_span_find(head, ">LEEF:");
		}
		at = c >= 0 && (l < 0 || c < l) ? c : l;
		if (at < 0)
			return OMSEC_P_NOMATCH;
		at++;
	}
	body = omsec_span_make(s.p + at, s.n - (size_t)at);
	leef = body.p[0] == 'L';
	memset(&x, 0, sizeof(x));

	if (!leef) {
		/* "CEF:0|" .. 7 header fields, the first holding "CEF:N". */
		if (split_header(body, h, 7, &rest) < 0 || h[0].n < 5 ||
		    !omsec_span_isnum(omsec_span_make(h[0].p + 4, h[0].n - 4), 2)) {
			return bad(cx, at, "bad CEF header");
		}
		if ((sev = sev_of(h[6])) < 0) {
			return bad(cx, at, "bad CEF severity");
		}
		cef_ext(cx, &x, rest);
	} else {
		if (split_header(body, h, 5, &rest) < 0 ||
		    !(omsec_span_eq(h[0], "LEEF:1.0") || omsec_span_eq(h[0], "LEEF:2.0") ||
		    omsec_span_eq(h[0], "LEEF:1") || omsec_span_eq(h[0], "LEEF:2"))) {
			return bad(cx, at, "bad LEEF header");
		}
		if (h[0].p[5] == '2') {
			/* The delimiter field: "^", "x5E", "0x5E" or empty (tab). */
			const char *d = rest.p, *e = memchr(rest.p, '|', rest.n);
			size_t dn;
			if (e == NULL) {
				return bad(cx, at, "bad LEEF header");
			}
			dn = (size_t)(e - d);
			if (dn == 1) {
				delim = d[0];
			} else if (dn > 1) {
				int64_t v = 0;
				size_t i = d[0] == '0' ? 1 : 0;
				if (d[i] != 'x' && d[i] != 'X') {
					return bad(cx, at, "bad LEEF delimiter");
				}
				for (i++; i < dn; i++) {
					char c = d[i];
					int hv = c >= '0' && c <= '9' ? c - '0' :
					    c >= 'a' && c <= 'f' ? c - 'a' + 10 :
					    c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
					if (hv < 0 || v > 0xff) {
						return bad(cx, at, "bad LEEF delimiter");
					}
					v = v * 16 + hv;
				}
				if (v == 0 || v > 0x7f) {
					return bad(cx, at, "bad LEEF delimiter");
				}
				delim = (char)v;
			}
			rest = omsec_span_make(e + 1, (size_t)(rest.p + rest.n - e - 1));
		}
		leef_ext(&x, rest, delim);
		/* LEEF has no severity column: "sev" is an attribute. */
	}

	if (at > 0 && (hdr = prefix_header(cx, ev, s, (size_t)at)) < 0)
		return OMSEC_P_NOMATCH;
	if (leef && x.sev.n > 0 && (sev = sev_of(x.sev)) < 0)
		sev = 0;	/* an attribute, not the envelope: ignored */

	ev->f[OMSEC_F_MODULE] = modname(cx, h[2]);
	if (ev->f[OMSEC_F_MODULE].n == 0)
		ev->f[OMSEC_F_MODULE] = leef ? S("leef") : S("cef");
	ev->f[OMSEC_F_RULE_ID] = unesc(cx, h[4]);
	ev->f[OMSEC_F_RULE_NAME] = unesc(cx, leef ? h[4] : h[5]);
	ev->severity = sev;

	if (omsec_span_isip(x.src))
		ev->f[OMSEC_F_SRC_IP] = x.src;
	if (omsec_span_isip(x.dst))
		ev->f[OMSEC_F_DST_IP] = x.dst;
	if (omsec_span_isnum(x.spt, 5))
		ev->f[OMSEC_F_SRC_PORT] = x.spt;
	if (omsec_span_isnum(x.dpt, 5))
		ev->f[OMSEC_F_DST_PORT] = x.dpt;
	ev->f[OMSEC_F_USER] = x.suser.n > 0 ? x.suser : x.duser;
	for (int i = 0; i < 6; i++) {
		if (x.cs[i].n == 0)
			continue;
		if (ieq(x.csl[i], "url") && x.req.n == 0)
			x.req = x.cs[i];
		else if (ieq(x.csl[i], "user agent") && x.ua.n == 0)
			x.ua = x.cs[i];
		else if (ieq(x.csl[i], "request method") && x.method.n == 0)
			x.method = x.cs[i];
	}
	ev->f[OMSEC_F_URL] = x.req;
	ev->f[OMSEC_F_METHOD] = x.method;
	ev->f[OMSEC_F_USER_AGENT] = x.ua;
	if (x.dvchost.n > 0)
		ev->f[OMSEC_F_HOST] = x.dvchost;
	else if (ev->f[OMSEC_F_HOST].n == 0 && x.dvc.n > 0)
		ev->f[OMSEC_F_HOST] = x.dvc;
	if (omsec_span_isnum(x.pid, 10))
		ev->f[OMSEC_F_PID] = x.pid;

	if (x.rt.n > 0 && cef_time(cx, x.rt, &ev->ts_ms) == 0)
		hdr = 1;
	if (!hdr)
		ev->ts_ms = cx->src_ts_ms;

	ev->f[OMSEC_F_CATEGORY] = ev->f[OMSEC_F_SRC_IP].n > 0 ||
	    ev->f[OMSEC_F_DST_IP].n > 0 ? S("network") : S("host");
	if (is_deny(x.act)) {
		ev->f[OMSEC_F_ACTION] = S("connection_denied");
		ev->f[OMSEC_F_OUTCOME] = S("failure");
	} else if (is_allow(x.act)) {
		ev->f[OMSEC_F_ACTION] = S("connection_allowed");
		ev->f[OMSEC_F_OUTCOME] = S("success");
	} else {
		ev->f[OMSEC_F_ACTION] = S("log");
		ev->f[OMSEC_F_OUTCOME] = S("unknown");
	}
	if (ieq(x.outcome, "success") || ieq(x.outcome, "succeeded"))
		ev->f[OMSEC_F_OUTCOME] = S("success");
	else if (ieq(x.outcome, "failure") || ieq(x.outcome, "failed") ||
	    ieq(x.outcome, "fail"))
		ev->f[OMSEC_F_OUTCOME] = S("failure");
	ev->f[OMSEC_F_MSG] = body;
	return OMSEC_P_MATCH;
}
