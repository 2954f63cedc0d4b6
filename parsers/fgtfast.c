/*
 * fgtfast.c - the FortiGate key=value fast path: what the 14 rules of
 * parsers/rules/fortigate.rules match, in one pass over the line instead
 * of one regex scan per field.
 *
 * The rules read each field with a lookahead "(?=(?:.*?\bKEY=VALUE)?)":
 * the first place in the line where "KEY=" follows a non-word byte (or
 * the start) and VALUE's pattern fits. Conditions ("type=traffic",
 * "action=deny|block" ...) hold if any such place fits. This scanner visits
 * every word start of the line once (so, as for the regexes, a "srcip="
 * inside a quoted msg counts too), records the first fitting value of each
 * field and the conditions seen, then picks the first rule in file order
 * whose conditions hold. rules.c applies the chosen rule's constants and
 * time exactly as for a regex match, and uses this path only when the
 * loaded fortigate.rules regexes are the shipped ones (omsec_fgt_known), so
 * an edited rule file falls back to PCRE2. Byte-identical output with the
 * regexes is tested (tests/check_parsers.c test_fgt_fast).
 * Cost: one pass, no allocation.
 */
#include <string.h>

#include "fgtfast.h"
#include "pint.h"

/* The rule names, in fortigate.rules order. */
const char *const omsec_fgt_rules[OMSEC_FGT_NRULES] = {
	"fgt-traffic-deny", "fgt-traffic-allowed", "fgt-utm-virus",
	"fgt-utm-ips-high", "fgt-utm-ips", "fgt-utm-webfilter",
	"fgt-utm-app-ctrl", "fgt-event-admin-login-failed",
	"fgt-event-admin-login-ok", "fgt-event-vpn-login-fail",
	"fgt-event-vpn-tunnel-up", "fgt-event-user-auth-fail",
	"fgt-event-other", "fgt-utm-other",
};

/* Condition bits. */
enum {
	C_TRAFFIC = 1u << 0, C_UTM = 1u << 1, C_EVENT = 1u << 2,
	C_VIRUS = 1u << 3, C_IPS = 1u << 4, C_WEBFILTER = 1u << 5,
	C_APPCTRL = 1u << 6, C_VPN = 1u << 7, C_USER = 1u << 8,
	C_DENY = 1u << 9, C_ALLOW = 1u << 10, C_BLOCKED = 1u << 11,
	C_SSLFAIL = 1u << 12, C_TUNUP = 1u << 13, C_SEVHIGH = 1u << 14,
	C_ADMFAIL = 1u << 15, C_ADMOK = 1u << 16, C_STFAIL = 1u << 17
};

/* Captured values. */
enum {
	V_DATE, V_TIME, V_TZ, V_HOST, V_SRCIP, V_SRCPORT, V_DSTIP, V_DSTPORT,
	V_USER, V_POLICYID, V_VIRUS, V_VIRUSID, V_URL, V_ATTACK, V_ATTACKID,
	V_CATDESC, V_APP, V_APPID, V_REMIP, V_LOGDESC, V_SUBTYPE, V_N
};

/* The regexes' \w (no UCP): ASCII letters, digits, '_'. Branch-light: it
 * runs on every byte of the line. */
static inline int
word(unsigned char c)
{
	return (unsigned)((c | 0x20) - 'a') < 26u || (unsigned)(c - '0') < 10u ||
	    c == '_';
}

/* PCRE2's \s in its default tables: space, \t \n \v \f \r. */
static int
blank(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static int
digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int
hexdot(unsigned char c)
{
	return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
	    c == '.' || c == ':';
}

/* "?LIT"?(\s|$) at v: 1 if it fits. */
#define is_val(v, end, lit) is_val_n((v), (end), (lit), sizeof(lit) - 1)

static int
is_val_n(const char *v, const char *end, const char *lit, size_t n)
{
	if (v < end && *v == '"')
		v++;
	if ((size_t)(end - v) < n || memcmp(v, lit, n) != 0)
		return 0;
	v += n;
	if (v < end && *v == '"')
		v++;
	return v == end || blank((unsigned char)*v);
}

/* A run of bytes passing ok() at v, at least one: its span, else empty. */
static struct omsec_span
run(const char *v, const char *end, int (*ok)(unsigned char))
{
	const char *e = v;

	while (e < end && ok((unsigned char)*e))
		e++;
	return omsec_span_make(v, (size_t)(e - v));
}

/* "([^"]*)" at v: the text between the quotes, p == NULL if it does not fit. */
static struct omsec_span
quoted(const char *v, const char *end)
{
	const char *q;

	if (v >= end || *v != '"' ||
	    (q = memchr(v + 1, '"', (size_t)(end - v - 1))) == NULL)
		return OMSEC_SPAN_NULL;
	return omsec_span_make(v + 1, (size_t)(q - v - 1));
}

static int
notqsp(unsigned char c)
{
	return c != '"' && c != ' ';
}

/* Records a capture once: the first place that fits wins. */
#define TAKE(i, expr) do {						\
	if (got[i].p == NULL) {						\
		struct omsec_span t_ = (expr);				\
		if (t_.p != NULL && (t_.n > 0 || quoted_ok))		\
			got[i] = t_;					\
	}								\
} while (0)

/* The length test first: most words are not keys of interest. */
#define key_is(k, n, lit) \
	((n) == sizeof(lit) - 1 && memcmp((k), (lit), sizeof(lit) - 1) == 0)

int
omsec_fgt_scan(struct omsec_span s, struct omsec_span *out, int *rule)
{
	struct omsec_span got[V_N];
	const char *p = s.p, *end = s.p + s.n;
	unsigned c = 0;

	memset(got, 0, sizeof(got));
	for (const char *w = p; w < end;) {
		const char *k, *v;
		size_t kn;
		int quoted_ok = 0;

		/* Word by word: each word start is a place "\bKEY=" may begin. */
		while (w < end && !word((unsigned char)*w))
			w++;
		k = w;
		while (w < end && word((unsigned char)*w))
			w++;
		kn = (size_t)(w - k);
		if (w == end || *w != '=')
			continue;
		v = w + 1;
		switch (k[0]) {
		case 'a':
			if (key_is(k, kn, "action")) {
				if (is_val(v, end, "deny") || is_val(v, end, "block"))
					c |= C_DENY;
				if (is_val(v, end, "accept") || is_val(v, end, "close") ||
				    is_val(v, end, "timeout") ||
				    is_val(v, end, "server-rst") ||
				    is_val(v, end, "client-rst") ||
				    is_val(v, end, "start") || is_val(v, end, "ip-conn"))
					c |= C_ALLOW;
				if (is_val(v, end, "blocked"))
					c |= C_BLOCKED;
				if (is_val(v, end, "ssl-login-fail"))
					c |= C_SSLFAIL;
				if (is_val(v, end, "tunnel-up"))
					c |= C_TUNUP;
			} else if (key_is(k, kn, "attack")) {
				quoted_ok = 1;
				TAKE(V_ATTACK, quoted(v, end));
			} else if (key_is(k, kn, "attackid")) {
				TAKE(V_ATTACKID, run(v, end, digit));
			} else if (key_is(k, kn, "app")) {
				quoted_ok = 1;
				TAKE(V_APP, quoted(v, end));
			} else if (key_is(k, kn, "appid")) {
				TAKE(V_APPID, run(v, end, digit));
			}
			break;
		case 'c':
			if (key_is(k, kn, "catdesc")) {
				quoted_ok = 1;
				TAKE(V_CATDESC, quoted(v, end));
			}
			break;
		case 'd':
			if (key_is(k, kn, "date")) {
				if (end - v >= 10 && digit(v[0]) && digit(v[1]) &&
				    digit(v[2]) && digit(v[3]) && v[4] == '-' &&
				    digit(v[5]) && digit(v[6]) && v[7] == '-' &&
				    digit(v[8]) && digit(v[9]))
					TAKE(V_DATE, omsec_span_make(v, 10));
			} else if (key_is(k, kn, "devname")) {
				const char *x = v < end && *v == '"' ? v + 1 : v;
				TAKE(V_HOST, run(x, end, notqsp));
			} else if (key_is(k, kn, "dstip")) {
				TAKE(V_DSTIP, run(v, end, hexdot));
			} else if (key_is(k, kn, "dstport")) {
				TAKE(V_DSTPORT, run(v, end, digit));
			}
			break;
		case 'l':
			if (key_is(k, kn, "logdesc")) {
				if (is_val(v, end, "Admin login failed"))
					c |= C_ADMFAIL;
				if (is_val(v, end, "Admin login successful"))
					c |= C_ADMOK;
				quoted_ok = 1;
				TAKE(V_LOGDESC, quoted(v, end));
			}
			break;
		case 'p':
			if (key_is(k, kn, "policyid"))
				TAKE(V_POLICYID, run(v, end, digit));
			break;
		case 'r':
			if (key_is(k, kn, "remip"))
				TAKE(V_REMIP, run(v, end, hexdot));
			break;
		case 's':
			if (key_is(k, kn, "srcip")) {
				TAKE(V_SRCIP, run(v, end, hexdot));
			} else if (key_is(k, kn, "srcport")) {
				TAKE(V_SRCPORT, run(v, end, digit));
			} else if (key_is(k, kn, "subtype")) {
				if (is_val(v, end, "virus"))
					c |= C_VIRUS;
				if (is_val(v, end, "ips"))
					c |= C_IPS;
				if (is_val(v, end, "webfilter"))
					c |= C_WEBFILTER;
				if (is_val(v, end, "app-ctrl"))
					c |= C_APPCTRL;
				if (is_val(v, end, "vpn"))
					c |= C_VPN;
				if (is_val(v, end, "user"))
					c |= C_USER;
				quoted_ok = 1;
				TAKE(V_SUBTYPE, quoted(v, end));
			} else if (key_is(k, kn, "severity")) {
				if (is_val(v, end, "critical") || is_val(v, end, "high"))
					c |= C_SEVHIGH;
			} else if (key_is(k, kn, "status")) {
				if (is_val(v, end, "failure") || is_val(v, end, "failed"))
					c |= C_STFAIL;
			}
			break;
		case 't':
			if (key_is(k, kn, "type")) {
				if (is_val(v, end, "traffic"))
					c |= C_TRAFFIC;
				if (is_val(v, end, "utm"))
					c |= C_UTM;
				if (is_val(v, end, "event"))
					c |= C_EVENT;
			} else if (key_is(k, kn, "time")) {
				if (end - v >= 8 && digit(v[0]) && digit(v[1]) &&
				    v[2] == ':' && digit(v[3]) && digit(v[4]) &&
				    v[5] == ':' && digit(v[6]) && digit(v[7]))
					TAKE(V_TIME, omsec_span_make(v, 8));
			} else if (key_is(k, kn, "tz")) {
				const char *x = v < end && *v == '"' ? v + 1 : v;
				if (end - x >= 5 && (x[0] == '+' || x[0] == '-') &&
				    digit(x[1]) && digit(x[2]) && digit(x[3]) &&
				    digit(x[4]))
					TAKE(V_TZ, omsec_span_make(x, 5));
			}
			break;
		case 'u':
			if (key_is(k, kn, "user")) {
				quoted_ok = 1;
				TAKE(V_USER, quoted(v, end));
			} else if (key_is(k, kn, "url")) {
				quoted_ok = 1;
				TAKE(V_URL, quoted(v, end));
			}
			break;
		case 'v':
			if (key_is(k, kn, "virus")) {
				quoted_ok = 1;
				TAKE(V_VIRUS, quoted(v, end));
			} else if (key_is(k, kn, "virusid")) {
				TAKE(V_VIRUSID, run(v, end, digit));
			}
			break;
		}
	}
	if (got[V_DATE].p == NULL || got[V_TIME].p == NULL)
		return -1;

	/* The first rule in file order whose conditions hold. */
	{
		static const unsigned need[OMSEC_FGT_NRULES] = {
			C_TRAFFIC | C_DENY, C_TRAFFIC | C_ALLOW, C_UTM | C_VIRUS,
			C_UTM | C_IPS | C_SEVHIGH, C_UTM | C_IPS,
			C_UTM | C_WEBFILTER | C_BLOCKED, C_UTM | C_APPCTRL,
			C_EVENT | C_ADMFAIL, C_EVENT | C_ADMOK,
			C_EVENT | C_VPN | C_SSLFAIL, C_EVENT | C_VPN | C_TUNUP,
			C_EVENT | C_USER | C_STFAIL, C_EVENT, C_UTM,
		};
		int i;
		for (i = 0; i < OMSEC_FGT_NRULES && (c & need[i]) != need[i]; i++)
			;
		if (i == OMSEC_FGT_NRULES)
			return -1;
		*rule = i;
	}

	memset(out, 0, sizeof(*out) * OMSEC_FGT_NOUT);
	out[OMSEC_FGT_DATE] = got[V_DATE];
	out[OMSEC_FGT_TIME] = got[V_TIME];
	out[OMSEC_FGT_TZ] = got[V_TZ];
	out[OMSEC_FGT_HOST] = got[V_HOST];
	out[OMSEC_FGT_SRC_PORT] = got[V_SRCPORT];
	out[OMSEC_FGT_DST_IP] = got[V_DSTIP];
	out[OMSEC_FGT_DST_PORT] = got[V_DSTPORT];
	out[OMSEC_FGT_USER] = got[V_USER];
	/* The VPN rules take the remote address, not srcip. */
	out[OMSEC_FGT_SRC_IP] = *rule == 9 || *rule == 10 ? got[V_REMIP] :
	    got[V_SRCIP];
	switch (*rule) {
	case 0:
	case 1:
		out[OMSEC_FGT_RULE_ID] = got[V_POLICYID];
		break;
	case 2:
		out[OMSEC_FGT_RULE_NAME] = got[V_VIRUS];
		out[OMSEC_FGT_RULE_ID] = got[V_VIRUSID];
		out[OMSEC_FGT_URL] = got[V_URL];
		break;
	case 3:
	case 4:
		out[OMSEC_FGT_RULE_NAME] = got[V_ATTACK];
		out[OMSEC_FGT_RULE_ID] = got[V_ATTACKID];
		break;
	case 5:
		out[OMSEC_FGT_URL] = got[V_URL];
		out[OMSEC_FGT_RULE_NAME] = got[V_CATDESC];
		break;
	case 6:
		out[OMSEC_FGT_RULE_NAME] = got[V_APP];
		out[OMSEC_FGT_RULE_ID] = got[V_APPID];
		break;
	case 12:
		out[OMSEC_FGT_RULE_NAME] = got[V_LOGDESC];
		break;
	case 13:
		out[OMSEC_FGT_RULE_NAME] = got[V_SUBTYPE];
		break;
	}
	return 0;
}
