/*
 * span.c - helpers for borrowed byte ranges (see span.h).
 */
#include "span.h"

char *
omsec_span_copy(char *dst, size_t cap, struct omsec_span s)
{
	size_t n;

	if (cap == 0)
		return dst;
	n = s.n < cap - 1 ? s.n : cap - 1;
	if (n)
		memcpy(dst, s.p, n);
	dst[n] = '\0';
	return dst;
}

int
omsec_span_cmp(struct omsec_span a, struct omsec_span b)
{
	size_t n = a.n < b.n ? a.n : b.n;
	int c = n ? memcmp(a.p, b.p, n) : 0;

	if (c)
		return c;
	return (a.n > b.n) - (a.n < b.n);
}
