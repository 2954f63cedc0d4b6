/*
 * ipaddr.h - IPv4/IPv6 addresses and CIDR ranges.
 *
 * Addresses are kept as 16 bytes (IPv4 mapped to ::ffff:a.b.c.d) so one
 * comparison covers both families.
 */
#ifndef OMSEC_IPADDR_H
#define OMSEC_IPADDR_H

#include <stdint.h>
#include "span.h"

struct omsec_ip {
	uint8_t b[16];
	int v4;			/* 1 if an IPv4 address */
};

struct omsec_cidr {
	struct omsec_ip ip;
	int bits;		/* prefix length on the 128-bit form */
};

/* Parses a textual address (IPv4 dotted quad or IPv6). Returns 0 or -1. */
int omsec_ip_parse(struct omsec_ip *ip, struct omsec_span s);
/*
 * The fast path of omsec_ip_parse alone: 0 for a plain dotted quad (four
 * parts of 1 to 3 digits, 0 to 255, no leading zero), else -1 (the span
 * may still be an address omsec_ip_parse reads).
 */
int omsec_ip_parse_quad(struct omsec_ip *ip, struct omsec_span s);
/* Parses "addr" or "addr/len". Returns 0 or -1. */
int omsec_cidr_parse(struct omsec_cidr *c, struct omsec_span s);
int omsec_cidr_contains(const struct omsec_cidr *c, const struct omsec_ip *ip);
/* 1 for loopback, RFC 1918, link-local, CGNAT, ULA and unspecified. */
int omsec_ip_is_private(const struct omsec_ip *ip);

#endif
