/*
 * strnum.c - checked decimal and duration parsing.
 *
 * Spans are not NUL-terminated, so strtoll cannot be used on them directly;
 * the digits are accumulated with an overflow check instead.
 */
#include "strnum.h"

int
omsec_strtonum(int64_t *out, struct omsec_span s, int64_t min, int64_t max)
{
	size_t i = 0;
	int neg = 0;
	uint64_t v = 0, lim;

	if (s.n == 0)
		return -1;
	if (s.p[0] == '-' || s.p[0] == '+') {
		neg = s.p[0] == '-';
		i = 1;
	}
	if (i == s.n)
		return -1;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < s.n; i++) {
		unsigned d = (unsigned char)s.p[i] - '0';
		if (d > 9)
			return -1;
		if (v > (lim - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	int64_t r;
	if (neg)
		r = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	else
		r = (int64_t)v;
	if (r < min || r > max)
		return -1;
	*out = r;
	return 0;
}

int
omsec_parse_duration(int64_t *out_seconds, struct omsec_span s)
{
	int64_t mult = 1, v;

	if (s.n == 0)
		return -1;
	switch (s.p[s.n - 1]) {
	case 's': mult = 1; s.n--; break;
	case 'm': mult = 60; s.n--; break;
	case 'h': mult = 3600; s.n--; break;
	case 'd': mult = 86400; s.n--; break;
	default: break;
	}
	if (omsec_strtonum(&v, s, 0, INT64_MAX / 86400) != 0)
		return -1;
	*out_seconds = v * mult;
	return 0;
}
