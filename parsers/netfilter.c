/*
 * netfilter.c - Linux netfilter LOG / NFLOG lines as the kernel writes them
 * (iptables, ip6tables, UFW, nftables "log prefix"), found in any syslog
 * message that holds "IN=", " OUT=" and " SRC=":
 *
 *   kernel: iptables DROP_INPUT: IN=eth0 OUT= MAC=90:10:... SRC=203.0.113.36 DST=172.16.54.114 LEN=52 ... PROTO=TCP SPT=17805 DPT=445 ...
 *   kernel: [ 1234.567] [UFW BLOCK] IN=eth0 OUT= MAC=... SRC=198.51.100.7 DST=10.0.0.5 ... PROTO=UDP SPT=5353 DPT=5353 LEN=40
 *
 * Source: the kernel's nf_log_syslog.c (key=value fields after the
 * administrator's log prefix). The prefix (less a "[ seconds.micro]" kernel
 * stamp) is the rule name; it also gives the verdict: BLOCK, DROP, REJECT,
 * DENY give connection_denied (failure, severity 1), ALLOW or ACCEPT give
 * connection_allowed (success, 0), anything else connection_logged
 * (unknown, 0). Module "ufw" for prefixes starting "[UFW ", else
 * "iptables". Cost: one pass over the fields; no allocation.
 */
#include <string.h>

#include "pint.h"

#define S OMSEC_SPAN_LIT

/* Case-insensitive search of an upper-case word in s. */
static int
has_word(struct omsec_span s, const char *up)
{
	size_t n = strlen(up);

	for (size_t i = 0; i + n <= s.n; i++) {
		size_t k = 0;
		while (k < n && (s.p[i + k] & ~0x20) == up[k])
			k++;
		if (k == n)
			return 1;
	}
	return 0;
}

int
omsec_netfilter_parse(struct omsec_pctx *cx, struct omsec_event *ev,
    struct omsec_span msg)
{
	struct omsec_span pre, v;
	const char *p, *end = msg.p + msg.n;
	long at;
	int seen_src = 0;

	(void)cx;
	/* "IN=" at the start or after a space, then OUT= and SRC= later. */
	for (at = 0;; at++) {
		long k = omsec_span_find(omsec_span_make(msg.p + at,
		    msg.n - (size_t)at), "IN=");
		if (k < 0)
			return OMSEC_P_NOMATCH;
		at += k;
		if (at == 0 || msg.p[at - 1] == ' ' || msg.p[at - 1] == ']')
			break;
	}
	if (omsec_span_find(omsec_span_make(msg.p + at, msg.n - (size_t)at),
	    " OUT=") < 0)
		return OMSEC_P_NOMATCH;

	/* The prefix: what precedes IN=, less a kernel "[ 123.456]" stamp. */
	pre = omsec_span_make(msg.p, (size_t)at);
	if (pre.n > 0 && pre.p[0] == '[') {
		const char *q = memchr(pre.p, ']', pre.n);
		int stamp = q != NULL;
		for (const char *r = pre.p + 1; stamp && r < q; r++)
			if (!((*r >= '0' && *r <= '9') || *r == '.' || *r == ' '))
				stamp = 0;
		if (stamp) {
			pre.n -= (size_t)(q + 1 - pre.p);
			pre.p = q + 1;
		}
	}
	while (pre.n > 0 && (pre.p[0] == ' '))
		pre.p++, pre.n--;
	while (pre.n > 0 && (pre.p[pre.n - 1] == ' ' || pre.p[pre.n - 1] == ':'))
		pre.n--;
	ev->f[OMSEC_F_RULE_NAME] = pre;
	if (pre.n >= 2 && pre.p[0] == '[' && pre.p[pre.n - 1] == ']') {
		ev->f[OMSEC_F_RULE_NAME] = omsec_span_make(pre.p + 1, pre.n - 2);
	}
	ev->f[OMSEC_F_MODULE] = omsec_span_has_prefix(pre, "[UFW ") ?
	    S("ufw") : S("iptables");
	ev->f[OMSEC_F_CATEGORY] = S("network");
	if (has_word(pre, "BLOCK") || has_word(pre, "DROP") ||
	    has_word(pre, "REJECT") || has_word(pre, "DENY")) {
		ev->f[OMSEC_F_ACTION] = S("connection_denied");
		ev->f[OMSEC_F_OUTCOME] = S("failure");
		ev->severity = OMSEC_SEV_LOW;
	} else if (has_word(pre, "ALLOW") || has_word(pre, "ACCEPT")) {
		ev->f[OMSEC_F_ACTION] = S("connection_allowed");
		ev->f[OMSEC_F_OUTCOME] = S("success");
		ev->severity = OMSEC_SEV_INFO;
	} else {
		ev->f[OMSEC_F_ACTION] = S("connection_logged");
		ev->f[OMSEC_F_OUTCOME] = S("unknown");
		ev->severity = OMSEC_SEV_INFO;
	}

	/* KEY=VALUE words; flags (DF, SYN) have no '='. */
	for (p = msg.p + at; p < end;) {
		const char *w = p, *eq;
		/* "[SRC=... ]" quotes the packet an ICMP error is about. */
		if (*p == '[')
			break;
		while (p < end && *p != ' ')
			p++;
		eq = memchr(w, '=', (size_t)(p - w));
		if (eq != NULL) {
			struct omsec_span k = omsec_span_make(w, (size_t)(eq - w));
			v = omsec_span_make(eq + 1, (size_t)(p - eq - 1));
			if (omsec_span_eq(k, "SRC") && !seen_src) {
				/* The first SRC/DST; ICMP errors quote a second. */
				ev->f[OMSEC_F_SRC_IP] = v;
				seen_src = 1;
			} else if (omsec_span_eq(k, "DST") &&
			    ev->f[OMSEC_F_DST_IP].p == NULL) {
				ev->f[OMSEC_F_DST_IP] = v;
			} else if (omsec_span_eq(k, "SPT") &&
			    ev->f[OMSEC_F_SRC_PORT].p == NULL &&
			    omsec_span_isnum(v, 5)) {
				ev->f[OMSEC_F_SRC_PORT] = v;
			} else if (omsec_span_eq(k, "DPT") &&
			    ev->f[OMSEC_F_DST_PORT].p == NULL &&
			    omsec_span_isnum(v, 5)) {
				ev->f[OMSEC_F_DST_PORT] = v;
			}
		}
		while (p < end && *p == ' ')
			p++;
	}
	if (!seen_src || !omsec_span_isip(ev->f[OMSEC_F_SRC_IP]))
		return OMSEC_P_NOMATCH;
	if (ev->f[OMSEC_F_DST_IP].p != NULL &&
	    !omsec_span_isip(ev->f[OMSEC_F_DST_IP]))
		ev->f[OMSEC_F_DST_IP] = OMSEC_SPAN_NULL;
	return OMSEC_P_MATCH;
}
