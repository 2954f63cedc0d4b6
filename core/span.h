/*
 * span.h - borrowed byte ranges.
 *
 * A span points into a buffer someone else owns (a line reader's buffer, a
 * parsed line); it is never NUL-terminated and may contain any byte, NUL
 * included. Whoever hands out a span says how long it stays valid.
 */
#ifndef OMSEC_SPAN_H
#define OMSEC_SPAN_H

#include <stddef.h>
#include <string.h>

struct omsec_span {
	const char *p;
	size_t n;
};

#define OMSEC_SPAN_NULL ((struct omsec_span){ NULL, 0 })
/* A span over a string literal, without its NUL. */
#define OMSEC_SPAN_LIT(s) ((struct omsec_span){ (s), sizeof(s) - 1 })

static inline struct omsec_span
omsec_span_make(const char *p, size_t n)
{
	struct omsec_span s = { p, n };
	return s;
}

static inline struct omsec_span
omsec_span_cstr(const char *s)
{
	return omsec_span_make(s, s ? strlen(s) : 0);
}

static inline int
omsec_span_eq(struct omsec_span a, const char *lit)
{
	size_t n = strlen(lit);
	return a.n == n && (n == 0 || memcmp(a.p, lit, n) == 0);
}

static inline int
omsec_span_has_prefix(struct omsec_span a, const char *lit)
{
	size_t n = strlen(lit);
	return a.n >= n && memcmp(a.p, lit, n) == 0;
}

/* Copies at most cap-1 bytes into dst and NUL-terminates; returns dst. */
char *omsec_span_copy(char *dst, size_t cap, struct omsec_span s);

/* Lexicographic byte comparison, shorter first on a common prefix. */
int omsec_span_cmp(struct omsec_span a, struct omsec_span b);

#endif
