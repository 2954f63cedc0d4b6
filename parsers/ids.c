/*
 * ids.c - Suricata EVE JSON and the fast.log alert line (Suricata, Snort).
 *
 *   EVE:  {"timestamp":"2018-07-05T15:07:20.910626-0400","flow_id":9049,"event_type":"alert","src_ip":"192.168.86.85","src_port":55641,"dest_ip":"192.168.156.70","dest_port":443,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":2024833,"rev":3,"signature":"ET POLICY ...","category":"...","severity":1}}
 *   fast: 10/05/2019-07:14:26.123456  [**] [1:2013028:7] ET POLICY curl User-Agent Outbound [**] [Classification: Attempted Information Leak] [Priority: 2] {TCP} 192.168.1.2:49152 -> 93.184.216.34:80
 *         (Snort writes "10/05-07:14:26.123456": no year, inferred as for syslog)
 *
 * Sources: Suricata's "Eve JSON Format" documentation, output-json-*.c;
 * Snort's alert_fast. EVE is read by a small scanner that walks the object
 * once and keeps the values it needs (two levels deep; deeper values and
 * arrays are skipped); strings with escapes are decoded into the context's
 * scratch area. Mapping (docs/parsers.md):
 *   alert    intrusion_detection / alert; rule_id signature_id, rule_name
 *            signature; severity 1->3, 2->2, 3+->1; outcome failure when
 *            the action is "blocked", else unknown
 *   http     web / http_request; outcome and severity from the status
 *   (any event with an "http" object, alerts included, gets method, url,
 *   status, bytes and user agent from it)
 *   anomaly  intrusion_detection / anomaly, severity 1
 *   dns, tls, flow, ssh, ... network / <event_type>; stats host / stats
 * fast.log times are the sensor's local clock (the site zone).
 * Cost: one pass over the line; no allocation.
 */
#include <string.h>

#include "pint.h"

#define S OMSEC_SPAN_LIT

enum { MAXDEPTH = 64 };

/* The JSON scanning helpers are shared with jsonmap.c (pint.h). */
#define ws omsec_json_ws
#define jstring omsec_json_string
#define jskip omsec_json_skip
#define junescape omsec_json_unescape

void
ws(struct omsec_cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' ||
	    *c->p == '\r' || *c->p == '\n'))
		c->p++;
}

/* A string at c (at its opening quote); span of the raw bytes. */
int
jstring(struct omsec_cur *c, struct omsec_span *raw, int *esc)
{
	const char *s;

	if (c->p >= c->end || *c->p != '"')
		return -1;
	s = ++c->p;
	*esc = 0;
	while (c->p < c->end && *c->p != '"') {
		if (*c->p == '\\') {
			*esc = 1;
			c->p++;
		}
		c->p++;
	}
	if (c->p >= c->end)
		return -1;
	*raw = omsec_span_make(s, (size_t)(c->p - s));
	c->p++;
	return 0;
}

/* Skips any value (objects and arrays by bracket counting). */
int
jskip(struct omsec_cur *c)
{
	struct omsec_span r;
	int e, depth = 0;

	ws(c);
	do {
		if (c->p >= c->end)
			return -1;
		if (*c->p == '"') {
			if (jstring(c, &r, &e) < 0)
				return -1;
			continue;
		}
		if (*c->p == '{' || *c->p == '[') {
			depth++;
		} else if (*c->p == '}' || *c->p == ']') {
			if (--depth < 0)
				return -1;
		} else if (depth == 0) {
			/* A scalar: up to a delimiter. */
			while (c->p < c->end && *c->p != ',' && *c->p != '}' &&
			    *c->p != ']' && *c->p != ' ')
				c->p++;
			return 0;
		}
		c->p++;
	} while (depth > 0);
	return 0;
}

/*
 * The object grammar around the members, shared by the two walkers (this
 * file's EVE walk, jsonmap.c's path walk) that differ only in what they do
 * with a member's value.
 */
int
omsec_json_open(struct omsec_cur *c)
{
	ws(c);
	if (c->p >= c->end || *c->p != '{')
		return -1;
	c->p++;
	ws(c);
	if (c->p < c->end && *c->p == '}') {
		c->p++;
		return 1;
	}
	return 0;
}

int
omsec_json_key(struct omsec_cur *c, struct omsec_span *k, int *esc)
{
	ws(c);
	if (jstring(c, k, esc) < 0)
		return -1;
	ws(c);
	if (c->p >= c->end || *c->p != ':')
		return -1;
	c->p++;
	ws(c);
	return c->p < c->end ? 0 : -1;
}

int
omsec_json_next(struct omsec_cur *c)
{
	ws(c);
	if (c->p < c->end && *c->p == ',') {
		c->p++;
		return 1;
	}
	if (c->p < c->end && *c->p == '}') {
		c->p++;
		return 0;
	}
	return -1;
}

static void
put_utf8(char *d, size_t *n, unsigned cp)
{
	if (cp < 0x80) {
		d[(*n)++] = (char)cp;
	} else if (cp < 0x800) {
		d[(*n)++] = (char)(0xC0 | cp >> 6);
		d[(*n)++] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		d[(*n)++] = (char)(0xE0 | cp >> 12);
		d[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		d[(*n)++] = (char)(0x80 | (cp & 0x3F));
	} else {
		d[(*n)++] = (char)(0xF0 | cp >> 18);
		d[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
		d[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		d[(*n)++] = (char)(0x80 | (cp & 0x3F));
	}
}

static int
hex4(const char *p, const char *end)
{
	int v = 0;

	if (end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char ch = p[i];
		v <<= 4;
		if (ch >= '0' && ch <= '9')
			v |= ch - '0';
		else if (ch >= 'a' && ch <= 'f')
			v |= ch - 'a' + 10;
		else if (ch >= 'A' && ch <= 'F')
			v |= ch - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* Decodes a JSON string's raw bytes into cx->scratch; empty if no room. */
struct omsec_span
junescape(struct omsec_pctx *cx, struct omsec_span raw)
{
	char *d = cx->scratch + cx->scratch_n;
	size_t room = sizeof(cx->scratch) - cx->scratch_n, n = 0;
	const char *p = raw.p, *end = raw.p + raw.n;

	if (room < raw.n)
		return OMSEC_SPAN_NULL;
	while (p < end) {
		if (*p != '\\' || p + 1 >= end) {
			d[n++] = *p++;
			continue;
		}
		p++;
		switch (*p) {
		case 'n': d[n++] = '\n'; p++; break;
		case 't': d[n++] = '\t'; p++; break;
		case 'r': d[n++] = '\r'; p++; break;
		case 'b': d[n++] = '\b'; p++; break;
		case 'f': d[n++] = '\f'; p++; break;
		case 'u': {
			int cp = hex4(p + 1, end), lo;
			if (cp < 0) {
				d[n++] = *p++;
				break;
			}
			p += 5;
			if (cp >= 0xD800 && cp < 0xDC00 && end - p >= 6 &&
			    p[0] == '\\' && p[1] == 'u' &&
			    (lo = hex4(p + 2, end)) >= 0xDC00 && lo < 0xE000) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				p += 6;
			} else if (cp >= 0xD800 && cp < 0xE000) {
				cp = 0xFFFD;
			}
			/* \uXXXX is 6 bytes, its UTF-8 at most 4: fits. */
			put_utf8(d, &n, (unsigned)cp);
			break;
		}
		default: d[n++] = *p++; break;	/* \" \\ \/ */
		}
	}
	cx->scratch_n += n;
	return omsec_span_make(d, n);
}

/* The EVE values omsec keeps. */
enum {
	K_TIMESTAMP, K_EVENT_TYPE, K_SRC_IP, K_SRC_PORT, K_DEST_IP, K_DEST_PORT,
	K_HOST, K_A_ACTION, K_A_SID, K_A_SIG, K_A_SEV, K_H_METHOD, K_H_URL,
	K_H_STATUS, K_H_LENGTH, K_H_UA, K_H_HOSTNAME, K_COUNT
};

static const struct {
	const char *parent, *key;
} keys[K_COUNT] = {
	[K_TIMESTAMP] = { NULL, "timestamp" },
	[K_EVENT_TYPE] = { NULL, "event_type" },
	[K_SRC_IP] = { NULL, "src_ip" },
	[K_SRC_PORT] = { NULL, "src_port" },
	[K_DEST_IP] = { NULL, "dest_ip" },
	[K_DEST_PORT] = { NULL, "dest_port" },
	[K_HOST] = { NULL, "host" },
	[K_A_ACTION] = { "alert", "action" },
	[K_A_SID] = { "alert", "signature_id" },
	[K_A_SIG] = { "alert", "signature" },
	[K_A_SEV] = { "alert", "severity" },
	[K_H_METHOD] = { "http", "http_method" },
	[K_H_URL] = { "http", "url" },
	[K_H_STATUS] = { "http", "status" },
	[K_H_LENGTH] = { "http", "length" },
	[K_H_UA] = { "http", "http_user_agent" },
	[K_H_HOSTNAME] = { "http", "hostname" },
};

static int
key_index(struct omsec_span parent, struct omsec_span key)
{
	for (int i = 0; i < K_COUNT; i++) {
		if (keys[i].parent == NULL ? parent.p != NULL :
		    (parent.p == NULL || !omsec_span_eq(parent, keys[i].parent)))
			continue;
		if (omsec_span_eq(key, keys[i].key))
			return i;
	}
	return -1;
}

/* Walks one object; parent is NULL at the top. Returns 0 or -1. */
static int
jobject(struct omsec_pctx *cx, struct omsec_cur *c, struct omsec_span parent,
    struct omsec_span *v)
{
	int r = omsec_json_open(c);

	if (r != 0)
		return r < 0 ? -1 : 0;
	for (;;) {
		struct omsec_span k, raw;
		int esc, i;

		if (omsec_json_key(c, &k, &esc) < 0)
			return -1;
		if (*c->p == '{' && parent.p == NULL) {
			if (jobject(cx, c, k, v) < 0)
				return -1;
		} else if ((i = key_index(parent, k)) >= 0 && *c->p != '{' &&
		    *c->p != '[') {
			if (*c->p == '"') {
				if (jstring(c, &raw, &esc) < 0)
					return -1;
				v[i] = esc ? junescape(cx, raw) : raw;
			} else {
				const char *s = c->p;
				if (jskip(c) < 0)
					return -1;
				v[i] = omsec_span_make(s, (size_t)(c->p - s));
			}
		} else if (jskip(c) < 0) {
			return -1;
		}
		if ((r = omsec_json_next(c)) <= 0)
			return r;
	}
}

int
omsec_eve_parse(struct omsec_pctx *cx, struct omsec_event *ev,
    struct omsec_span s)
{
	struct omsec_span v[K_COUNT];
	struct omsec_cur c = { s.p, s.p + s.n };
	struct omsec_span et;
	int had_zone;

	if (s.n < 2 || s.p[0] != '{' ||
	    omsec_span_find(s, "\"event_type\"") < 0)
		return OMSEC_P_NOMATCH;
	memset(v, 0, sizeof(v));
	if (jobject(cx, &c, OMSEC_SPAN_NULL, v) < 0) {
		cx->why = "malformed EVE JSON";
		return OMSEC_P_ERROR;
	}
	ws(&c);
	if (c.p != c.end) {
		cx->why = "malformed EVE JSON";
		return OMSEC_P_ERROR;
	}
	if ((et = v[K_EVENT_TYPE]).n == 0 || v[K_TIMESTAMP].n == 0 ||
	    omsec_parse_iso(&ev->ts_ms, &had_zone, v[K_TIMESTAMP]) < 0) {
		cx->why = "EVE event without event_type or timestamp";
		return OMSEC_P_ERROR;
	}
	if (!had_zone) {
		struct omsec_civil civ;
		omsec_ms_to_civil(ev->ts_ms, &civ);
		ev->ts_ms = omsec_pctx_local(cx, &civ);
	}
	ev->f[OMSEC_F_HOST] = v[K_HOST];
	ev->f[OMSEC_F_MODULE] = S("suricata");
	ev->f[OMSEC_F_PROCESS] = S("suricata");
	if (omsec_span_isip(v[K_SRC_IP]))
		ev->f[OMSEC_F_SRC_IP] = v[K_SRC_IP];
	if (omsec_span_isip(v[K_DEST_IP]))
		ev->f[OMSEC_F_DST_IP] = v[K_DEST_IP];
	if (omsec_span_isnum(v[K_SRC_PORT], 5))
		ev->f[OMSEC_F_SRC_PORT] = v[K_SRC_PORT];
	if (omsec_span_isnum(v[K_DEST_PORT], 5))
		ev->f[OMSEC_F_DST_PORT] = v[K_DEST_PORT];
	ev->f[OMSEC_F_ACTION] = et;
	ev->f[OMSEC_F_OUTCOME] = S("unknown");
	ev->severity = OMSEC_SEV_INFO;
	if (omsec_span_eq(et, "alert")) {
		ev->f[OMSEC_F_CATEGORY] = S("intrusion_detection");
		ev->f[OMSEC_F_RULE_ID] = v[K_A_SID];
		ev->f[OMSEC_F_RULE_NAME] = v[K_A_SIG];
		if (omsec_span_eq(v[K_A_ACTION], "blocked"))
			ev->f[OMSEC_F_OUTCOME] = S("failure");
		ev->severity = omsec_span_eq(v[K_A_SEV], "1") ? OMSEC_SEV_HIGH :
		    omsec_span_eq(v[K_A_SEV], "2") ? OMSEC_SEV_MEDIUM :
		    OMSEC_SEV_LOW;
	} else if (omsec_span_eq(et, "http")) {
		ev->f[OMSEC_F_CATEGORY] = S("web");
		ev->f[OMSEC_F_ACTION] = S("http_request");
		if (omsec_span_isnum(v[K_H_STATUS], 3)) {
			ev->f[OMSEC_F_OUTCOME] = v[K_H_STATUS].p[0] >= '4' ?
			    S("failure") : S("success");
			ev->severity = v[K_H_STATUS].p[0] == '5' ?
			    OMSEC_SEV_MEDIUM : v[K_H_STATUS].p[0] == '4' ?
			    OMSEC_SEV_LOW : OMSEC_SEV_INFO;
		}
	} else if (omsec_span_eq(et, "anomaly")) {
		ev->f[OMSEC_F_CATEGORY] = S("intrusion_detection");
		ev->severity = OMSEC_SEV_LOW;
	} else if (omsec_span_eq(et, "stats")) {
		ev->f[OMSEC_F_CATEGORY] = S("host");
	} else {
		ev->f[OMSEC_F_CATEGORY] = S("network");
	}
	/* An alert on HTTP traffic carries the request too. */
	ev->f[OMSEC_F_METHOD] = v[K_H_METHOD];
	ev->f[OMSEC_F_URL] = v[K_H_URL];
	ev->f[OMSEC_F_USER_AGENT] = v[K_H_UA];
	if (omsec_span_isnum(v[K_H_STATUS], 3))
		ev->f[OMSEC_F_STATUS] = v[K_H_STATUS];
	if (omsec_span_isnum(v[K_H_LENGTH], 19))
		ev->f[OMSEC_F_BYTES] = v[K_H_LENGTH];
	return OMSEC_P_MATCH;
}

/* "ip:port" or "ip" (ICMP) of fast.log; IPv6 is written without brackets. */
static void
addr_port(struct omsec_span a, struct omsec_span *ip, struct omsec_span *port,
    int has_port)
{
	const char *col = a.p + a.n;

	*ip = a;
	*port = OMSEC_SPAN_NULL;
	if (a.n > 2 && a.p[0] == '[') {
		const char *q = memchr(a.p, ']', a.n);
		if (q != NULL) {
			*ip = omsec_span_make(a.p + 1, (size_t)(q - a.p - 1));
			if (q + 1 < a.p + a.n && q[1] == ':')
				*port = omsec_span_make(q + 2,
				    (size_t)(a.p + a.n - q - 2));
			return;
		}
	}
	if (!has_port)
		return;
	while (col > a.p && col[-1] != ':')
		col--;
	if (col > a.p) {
		*ip = omsec_span_make(a.p, (size_t)(col - 1 - a.p));
		*port = omsec_span_make(col, (size_t)(a.p + a.n - col));
	}
}

int
omsec_fastlog_parse(struct omsec_pctx *cx, struct omsec_event *ev,
    struct omsec_span s)
{
	const char *p = s.p, *end = s.p + s.n, *t;
	struct omsec_civil c = { 0 };
	struct omsec_cur cur;
	struct omsec_span gid, sid, name, prio = OMSEC_SPAN_NULL, proto, a, b;
	long at;
	int k;

	/* "MM/DD/YYYY-hh:mm:ss.uuuuuu" or "MM/DD-hh:mm:ss.uuuuuu". */
	if (s.n < 30 || p[2] != '/')
		return OMSEC_P_NOMATCH;
	c.month = omsec_digits(p, 2);
	c.day = omsec_digits(p + 3, 2);
	if (p[5] == '/') {
		c.year = omsec_digits(p + 6, 4);
		t = p + 10;
	} else {
		c.year = cx->year_override ? cx->year_override : -2;
		t = p + 5;
	}
	if (*t != '-' || t + 16 > end || t[3] != ':' || t[6] != ':')
		return OMSEC_P_NOMATCH;
	if (omsec_span_find(s, "[**] [") < 0)
		return OMSEC_P_NOMATCH;
	c.hour = omsec_digits(t + 1, 2);
	c.min = omsec_digits(t + 4, 2);
	c.sec = omsec_digits(t + 7, 2);
	if (c.year == -2 && c.month >= 1)
		c.year = c.month > cx->src_month ? cx->src_year - 1 : cx->src_year;
	if (c.year < 0 || c.month < 1 || c.month > 12 || c.day < 1 ||
	    c.day > 31 || c.hour < 0 || c.hour > 23 || c.min < 0 ||
	    c.min > 59 || c.sec < 0 || c.sec > 60) {
		cx->why = "bad fast.log time";
		return OMSEC_P_ERROR;
	}
	if (c.sec == 60)
		c.sec = 59;
	if (t[9] == '.') {
		int ms = omsec_digits(t + 10, 3);
		c.msec = ms > 0 ? ms : 0;
	}
	at = omsec_span_find(s, "[**] [");
	cur = omsec_cur_of(omsec_span_make(s.p + at + 6, s.n - (size_t)at - 6));
	/* "gid:sid:rev] name [**]" */
	gid.p = cur.p;
	while (cur.p < cur.end && *cur.p != ':')
		cur.p++;
	gid.n = (size_t)(cur.p - gid.p);
	if (!omsec_cur_lit(&cur, ":"))
		return OMSEC_P_NOMATCH;
	sid.p = cur.p;
	while (cur.p < cur.end && *cur.p != ':')
		cur.p++;
	sid.n = (size_t)(cur.p - sid.p);
	while (cur.p < cur.end && *cur.p != ']')
		cur.p++;
	if (!omsec_cur_lit(&cur, "] ") || !omsec_span_isnum(sid, 10) ||
	    !omsec_span_isnum(gid, 10))
		return OMSEC_P_NOMATCH;
	at = omsec_span_find(omsec_cur_rest(&cur), " [**]");
	if (at < 0)
		return OMSEC_P_NOMATCH;
	name = omsec_span_make(cur.p, (size_t)at);
	cur.p += at + 5;
	if ((at = omsec_span_find(omsec_cur_rest(&cur), "[Priority: ")) >= 0) {
		prio.p = cur.p + at + 11;
		prio.n = 0;
		while (prio.p + prio.n < cur.end && prio.p[prio.n] >= '0' &&
		    prio.p[prio.n] <= '9')
			prio.n++;
	}
	if ((at = omsec_span_find(omsec_cur_rest(&cur), "{")) < 0)
		return OMSEC_P_NOMATCH;
	cur.p += at + 1;
	proto.p = cur.p;
	while (cur.p < cur.end && *cur.p != '}')
		cur.p++;
	proto.n = (size_t)(cur.p - proto.p);
	if (!omsec_cur_lit(&cur, "} "))
		return OMSEC_P_NOMATCH;
	a = omsec_cur_word(&cur);
	if (!omsec_cur_lit(&cur, " -> "))
		return OMSEC_P_NOMATCH;
	b = omsec_cur_word(&cur);
	k = omsec_span_eq(proto, "TCP") || omsec_span_eq(proto, "UDP") ||
	    omsec_span_eq(proto, "SCTP");
	{
		struct omsec_span ip, port;
		addr_port(a, &ip, &port, k);
		if (omsec_span_isip(ip))
			ev->f[OMSEC_F_SRC_IP] = ip;
		if (omsec_span_isnum(port, 5))
			ev->f[OMSEC_F_SRC_PORT] = port;
		addr_port(b, &ip, &port, k);
		if (omsec_span_isip(ip))
			ev->f[OMSEC_F_DST_IP] = ip;
		if (omsec_span_isnum(port, 5))
			ev->f[OMSEC_F_DST_PORT] = port;
	}
	ev->ts_ms = omsec_pctx_local(cx, &c);
	ev->f[OMSEC_F_MODULE] = p[5] == '/' ? S("suricata") : S("snort");
	ev->f[OMSEC_F_CATEGORY] = S("intrusion_detection");
	ev->f[OMSEC_F_ACTION] = S("alert");
	ev->f[OMSEC_F_OUTCOME] = S("unknown");
	ev->f[OMSEC_F_RULE_ID] = sid;
	ev->f[OMSEC_F_RULE_NAME] = name;
	ev->severity = omsec_span_eq(prio, "1") ? OMSEC_SEV_HIGH :
	    omsec_span_eq(prio, "2") ? OMSEC_SEV_MEDIUM : OMSEC_SEV_LOW;
	return OMSEC_P_MATCH;
}
