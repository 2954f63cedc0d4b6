/*
 * sshd.c - OpenSSH sshd messages (the syslog message after "sshd[pid]: ").
 *
 * OpenSSH has no format document; the texts are those of auth2.c, auth.c,
 * sshd.c and packet.c as they appear in real auth.log files, e.g.
 *   Accepted publickey for vagrant from 10.0.2.2 port 63673 ssh2: RSA 39:33:99:e9:...
 *   Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2
 *   Connection closed by authenticating user root 203.0.113.9 port 52814 [preauth]
 * The event classes (action, outcome, severity) are listed in
 * parsers/README.md. Cost: a few prefix compares and one backward search
 * per line; no allocation.
 */
#define _GNU_SOURCE		/* memrchr */
#include <string.h>

#if defined(__SSE2__) && !defined(OMSEC_NO_SSE2)
#define ADDR_SSE2 1
#include <emmintrin.h>
#endif

#include "pint.h"

#define S OMSEC_SPAN_LIT

long
omsec_span_find(struct omsec_span s, const char *lit)
{
	size_t n = strlen(lit);
	const char *p = s.p, *end = s.p + s.n;

	if (n == 0)
		return 0;
	while ((size_t)(end - p) >= n) {
		const char *q = memchr(p, lit[0], (size_t)(end - p) - n + 1);
		if (q == NULL)
			return -1;
		if (memcmp(q, lit, n) == 0)
			return (long)(q - s.p);
		p = q + 1;
	}
	return -1;
}

/*
 * Last occurrence of lit in s, or -1. memrchr jumps between the candidates
 * (a byte loop with a memcmp call at each space was 6% of a brute-force
 * auth.log). It looks for lit's second byte when it has one: the literals
 * are " from ", " port "..., and a letter is rarer than a space. Inlined,
 * so that n and lit are constants at each call.
 */
static inline long
rfind(struct omsec_span s, const char *lit)
{
	size_t n = strlen(lit), a = n > 1, i;
	const char *q;

	if (s.n < n || n == 0)
		return -1;
	/* i candidate starts remain, 0 to i - 1; each one's byte a is
	 * looked for. */
	for (i = s.n - n + 1; (q = memrchr(s.p + a, lit[a], i)) != NULL;
	    i = (size_t)(q - a - s.p))
		if (memcmp(q - a, lit, n) == 0)
			return (long)(q - a - s.p);
	return -1;
}

int
omsec_span_isnum(struct omsec_span s, size_t max)
{
	if (s.n == 0 || s.n > max)
		return 0;
	for (size_t i = 0; i < s.n; i++)
		if (s.p[i] < '0' || s.p[i] > '9')
			return 0;
	return 1;
}

/*
 * What each byte adds to the count of omsec_span_isip: 1 for a hex digit,
 * '.' and ':', plus a dot in bits 8-15 or a colon in bits 16-23; 0 for a
 * byte that no address holds. One lookup per byte instead of a chain of
 * range tests (5% of omsec-parse on auth.log).
 */
#define IP_HEX 1
#define IP_DOT (1 | 1 << 8)
#define IP_COLON (1 | 1 << 16)
static const uint32_t ip_byte[256] = {
	['0'] = IP_HEX, ['1'] = IP_HEX, ['2'] = IP_HEX, ['3'] = IP_HEX,
	['4'] = IP_HEX, ['5'] = IP_HEX, ['6'] = IP_HEX, ['7'] = IP_HEX,
	['8'] = IP_HEX, ['9'] = IP_HEX,
	['a'] = IP_HEX, ['b'] = IP_HEX, ['c'] = IP_HEX, ['d'] = IP_HEX,
	['e'] = IP_HEX, ['f'] = IP_HEX,
	['A'] = IP_HEX, ['B'] = IP_HEX, ['C'] = IP_HEX, ['D'] = IP_HEX,
	['E'] = IP_HEX, ['F'] = IP_HEX,
	['.'] = IP_DOT, [':'] = IP_COLON,
};

/* The verdict of omsec_span_isip on n bytes, all of them address bytes,
 * that added up to sum. */
static int
ip_sum_ok(uint32_t sum, size_t n)
{
	/* At most 45 bytes: no count carries into the next. */
	uint32_t dots = sum >> 8 & 0xff, colons = sum >> 16;

	if (n < 2 || n > 45)
		return 0;
	return (dots == 3 && colons == 0) || colons >= 2;
}

int
omsec_span_isip(struct omsec_span s)
{
	uint32_t sum = 0, b;

	if (s.n < 2 || s.n > 45)
		return 0;
	for (size_t i = 0; i < s.n; i++) {
		if ((b = ip_byte[(unsigned char)s.p[i]]) == 0)
			return 0;
		sum += b;
	}
	return ip_sum_ok(sum, s.n);
}

#ifdef ADDR_SSE2
/*
 * The scan of ip_port over 16 bytes at once: how many bytes at p an
 * address may hold, with their ip_byte count in *sum; 16 when all may
 * (the byte loop goes on from there).
 */
static size_t
addr_run16(const char *p, uint32_t *sum)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
	__m128i h = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)),
	    _mm_set1_epi8('a'));
	__m128i dot = _mm_cmpeq_epi8(v, _mm_set1_epi8('.'));
	__m128i col = _mm_cmpeq_epi8(v, _mm_set1_epi8(':'));
	/* Unsigned x <= k as min(x, k) == x: digits, then a-f/A-F. */
	__m128i in = _mm_or_si128(
	    _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d),
	    _mm_cmpeq_epi8(_mm_min_epu8(h, _mm_set1_epi8(5)), h));
	unsigned all = (unsigned)_mm_movemask_epi8(
	    _mm_or_si128(in, _mm_or_si128(dot, col)));
	size_t n = (size_t)__builtin_ctz(~all);	/* bit 16 is clear */
	uint32_t below = (UINT32_C(1) << n) - 1, x;

	/* The dots in bits 0-15 and the colons in bits 16-31 of x, counted
	 * in place (no popcount instruction in plain x86-64): a count per
	 * byte, then the dots in byte 0 and the colons in byte 2. */
	x = ((uint32_t)_mm_movemask_epi8(dot) & below) |
	    ((uint32_t)_mm_movemask_epi8(col) & below) << 16;
	x -= x >> 1 & 0x55555555;
	x = (x & 0x33333333) + (x >> 2 & 0x33333333);
	x = (x + (x >> 4)) & 0x0f0f0f0f;
	x += x >> 8;
	*sum = (uint32_t)n + (x & 0xff) * (IP_DOT - 1) +
	    (x >> 16 & 0xff) * (IP_COLON - 1);
	return n;
}
#endif

/*
 * Reads "IP[ port P]" at the cursor into src_ip/src_port. Returns 0, or -1
 * when the word there is not an address.
 */
static int
ip_port(struct omsec_cur *c, struct omsec_event *ev)
{
	struct omsec_cur save;
	struct omsec_span ip, port;
	uint32_t sum = 0, b;
	const char *q = c->p, *end = c->end;

	/* The word and omsec_span_isip's count over it in one pass; a byte
	 * that no address holds (a space is one) ends it. */
#ifdef ADDR_SSE2
	if (end - q >= 16 && (q += addr_run16(q, &sum)) - c->p < 16)
		;	/* ended inside the 16 bytes */
	else
#endif
	for (; q < end && (b = ip_byte[(unsigned char)*q]) != 0; q++)
		sum += b;
	if (q < end && *q != ' ')
		return -1;	/* the word goes on: not an address */
	ip = omsec_span_make(c->p, (size_t)(q - c->p));
	c->p = q;
	/* "IP:" ends "Received disconnect from 1.2.3.4: 11: bye". */
	if (ip.n > 0 && ip.p[ip.n - 1] == ':' && !ip_sum_ok(sum, ip.n)) {
		ip.n--, c->p--;
		sum -= IP_COLON;
	}
	if (!ip_sum_ok(sum, ip.n))
		return -1;
	ev->f[OMSEC_F_SRC_IP] = ip;
	save = *c;
	if (omsec_cur_lit(c, " port ")) {
		/* "port 51200:11: Bye Bye": the port is the digits. */
		port = omsec_span_make(c->p, 0);
		while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
			c->p++;
		port.n = (size_t)(c->p - port.p);
		if (port.n >= 1 && port.n <= 5)	/* digits, as read */
			ev->f[OMSEC_F_SRC_PORT] = port;
		else
			*c = save;
	}
	return 0;
}

/* "[authenticating |invalid ]user U IP port P" or "IP port P". */
static int
user_ip_port(struct omsec_cur *c, struct omsec_event *ev)
{
	struct omsec_span rest;
	long at;

	if (omsec_cur_lit(c, "authenticating user ") ||
	    omsec_cur_lit(c, "invalid user ") || omsec_cur_lit(c, "user ")) {
		/* The user may hold spaces; the address is the last word
		 * before " port ". */
		rest = omsec_cur_rest(c);
		at = rfind(rest, " port ");
		if (at < 0)
			return -1;
		rest.n = (size_t)at;
		at = rfind(rest, " ");
		if (at < 0)
			return -1;
		ev->f[OMSEC_F_USER] = omsec_span_make(rest.p, (size_t)at);
		c->p = rest.p + at + 1;
	}
	return ip_port(c, ev);
}

/* "U from IP port P" with a user that may hold spaces. */
static int
user_from(struct omsec_cur *c, struct omsec_event *ev)
{
	struct omsec_span rest = omsec_cur_rest(c);
	long at = rfind(rest, " from ");

	if (at < 0)
		return -1;
	ev->f[OMSEC_F_USER] = omsec_span_make(rest.p, (size_t)at);
	c->p = rest.p + at + 6;
	return ip_port(c, ev);
}

int
omsec_sshd_parse(struct omsec_pctx *cx, struct omsec_event *ev,
    struct omsec_span msg)
{
	struct omsec_cur c = omsec_cur_of(msg);
	struct omsec_span mod = cx->module;

	if (c.p == c.end)
		return OMSEC_P_NOMATCH;
	switch (*c.p) {
	case 'A':
		if (!omsec_cur_lit(&c, "Accepted "))
			break;
		(void)omsec_cur_word(&c);	/* method */
		if (!omsec_cur_lit(&c, " for ") || user_from(&c, ev) < 0)
			return OMSEC_P_NOMATCH;
		set_class(ev, mod, S("authentication"), S("login"), S("success"),
		    omsec_span_eq(ev->f[OMSEC_F_USER], "root") ?
		    OMSEC_SEV_LOW : OMSEC_SEV_INFO);
		return OMSEC_P_MATCH;
	case 'F':
		if (!omsec_cur_lit(&c, "Failed "))
			break;
		(void)omsec_cur_word(&c);
		if (!omsec_cur_lit(&c, " for "))
			return OMSEC_P_NOMATCH;
		omsec_cur_lit(&c, "invalid user ");
		if (user_from(&c, ev) < 0)
			return OMSEC_P_NOMATCH;
		set_class(ev, mod, S("authentication"), S("login"), S("failure"),
		    OMSEC_SEV_MEDIUM);
		return OMSEC_P_MATCH;
	case 'I':
		if (!omsec_cur_lit(&c, "Invalid user ") || user_from(&c, ev) < 0)
			break;
		set_class(ev, mod, S("authentication"), S("invalid_user"),
		    S("failure"), OMSEC_SEV_LOW);
		return OMSEC_P_MATCH;
	case 'C':
		if (!omsec_cur_lit(&c, "Connection closed by ") &&
		    !omsec_cur_lit(&c, "Connection reset by "))
			break;
		if (user_ip_port(&c, ev) < 0)
			return OMSEC_P_NOMATCH;
		set_class(ev, mod, S("authentication"), S("disconnect"),
		    S("unknown"), OMSEC_SEV_INFO);
		return OMSEC_P_MATCH;
	case 'D':
		if (omsec_cur_lit(&c, "Disconnected from ")) {
			if (user_ip_port(&c, ev) < 0)
				return OMSEC_P_NOMATCH;
			set_class(ev, mod, S("authentication"), S("disconnect"),
			    S("unknown"), OMSEC_SEV_INFO);
			return OMSEC_P_MATCH;
		}
		if (omsec_cur_lit(&c, "Did not receive identification string from ")) {
			if (ip_port(&c, ev) < 0)
				return OMSEC_P_NOMATCH;
			set_class(ev, mod, S("network"), S("no_identification"),
			    S("failure"), OMSEC_SEV_LOW);
			return OMSEC_P_MATCH;
		}
		if (omsec_cur_lit(&c, "Disconnecting: Too many authentication failures for ") ||
		    omsec_cur_lit(&c, "Disconnecting: Too many authentication failures")) {
			struct omsec_span u = omsec_cur_word(&c);
			omsec_cur_lit(&c, "invalid user ");
			if (u.n > 0 && !omsec_span_eq(u, "[preauth]"))
				ev->f[OMSEC_F_USER] = u;
			set_class(ev, mod, S("authentication"),
			    S("max_auth_exceeded"), S("failure"),
			    OMSEC_SEV_MEDIUM);
			return OMSEC_P_MATCH;
		}
		if (omsec_cur_lit(&c, "Disconnecting ") &&
		    omsec_span_find(omsec_cur_rest(&c),
		    "Too many authentication failures") >= 0) {
			(void)user_ip_port(&c, ev);
			set_class(ev, mod, S("authentication"),
			    S("max_auth_exceeded"), S("failure"),
			    OMSEC_SEV_MEDIUM);
			return OMSEC_P_MATCH;
		}
		break;
	case 'R':
		if (omsec_cur_lit(&c, "Received disconnect from ")) {
			if (ip_port(&c, ev) < 0)
				return OMSEC_P_NOMATCH;
			set_class(ev, mod, S("authentication"), S("disconnect"),
			    S("unknown"), OMSEC_SEV_INFO);
			return OMSEC_P_MATCH;
		}
		break;
	case 'e':
		if (omsec_cur_lit(&c, "error: Received disconnect from ")) {
			if (ip_port(&c, ev) < 0)
				return OMSEC_P_NOMATCH;
			set_class(ev, mod, S("authentication"), S("disconnect"),
			    S("unknown"), OMSEC_SEV_INFO);
			return OMSEC_P_MATCH;
		}
		if (omsec_cur_lit(&c, "error: maximum authentication attempts exceeded for ")) {
			omsec_cur_lit(&c, "invalid user ");
			if (user_from(&c, ev) < 0)
				return OMSEC_P_NOMATCH;
			set_class(ev, mod, S("authentication"),
			    S("max_auth_exceeded"), S("failure"),
			    OMSEC_SEV_MEDIUM);
			return OMSEC_P_MATCH;
		}
		break;
	case 'P':
		if (omsec_cur_lit(&c, "PAM ")) {
			struct omsec_span n = omsec_cur_word(&c);
			if (!omsec_span_isnum(n, 6) ||
			    !omsec_cur_lit(&c, " more authentication failure"))
				break;
			omsec_pam_kv(ev, omsec_cur_rest(&c));
			set_class(ev, mod, S("authentication"),
			    S("pam_auth_failures"), S("failure"),
			    OMSEC_SEV_LOW);
			return OMSEC_P_MATCH;
		}
		break;
	case 'r':
		if (omsec_cur_lit(&c, "reverse mapping checking getaddrinfo for ")) {
			struct omsec_span rest = omsec_cur_rest(&c);
			long a = omsec_span_find(rest, " ["), b;
			if (a < 0 || (b = omsec_span_find(rest, "]")) < a)
				return OMSEC_P_NOMATCH;
			struct omsec_span ip = omsec_span_make(rest.p + a + 2,
			    (size_t)(b - a - 2));
			if (!omsec_span_isip(ip))
				return OMSEC_P_NOMATCH;
			ev->f[OMSEC_F_SRC_IP] = ip;
			set_class(ev, mod, S("network"),
			    S("reverse_mapping_failed"),
			    S("unknown"), OMSEC_SEV_LOW);
			return OMSEC_P_MATCH;
		}
		break;
	default:
		break;
	}
	/* pam_unix(sshd:auth) and the "sshd(pam_unix)" tag's bare text. */
	return omsec_pam_parse(cx, ev, msg);
}

struct omsec_span
omsec_scratch(struct omsec_pctx *cx, struct omsec_span s)
{
	char *d = cx->scratch + cx->scratch_n;

	if (s.n > sizeof(cx->scratch) - cx->scratch_n)
		return OMSEC_SPAN_NULL;
	memcpy(d, s.p, s.n);
	cx->scratch_n += s.n;
	return omsec_span_make(d, s.n);
}
