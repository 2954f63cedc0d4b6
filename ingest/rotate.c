/*
 * rotate.c - order the members of rotated log sets oldest first.
 *
 * logrotate(8) names the generations of /var/log/auth.log either by number
 * (auth.log.1, auth.log.2.gz, ... with the highest the oldest) or, with
 * dateext, by date (auth.log-20261103.gz, or -2026110314 with an hourly
 * dateformat). Reading a set oldest first keeps the events in time order and
 * lets omsec-parse infer the year of RFC 3164 timestamps across New Year.
 *
 * Cost: parsing a name is one backward scan; comparing two names parses
 * both (O(length)); sorting is qsort, O(n log n) comparisons. No memory.
 */
#include <stdlib.h>
#include <string.h>

#include "ingest.h"

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

void
omsec_rot_parse(struct omsec_rot *r, const char *name)
{
	size_t len = strlen(name), end = len, d = 0, i;

	r->base_len = len;
	r->kind = OMSEC_ROT_LIVE;
	r->num = 0;
	r->date_digits = 0;
	/* The compression suffix says nothing about the age: look past it. */
	if (end > 3 && memcmp(name + end - 3, ".gz", 3) == 0)
		end -= 3;
	while (d < end && is_digit(name[end - 1 - d]))
		d++;
	/*
	 * The base must be a real name: not empty and not ending in '/', so
	 * that "logs/.1" or a bare "2026" are not mistaken for rotations.
	 */
	if (d == 0 || d + 2 > end || name[end - d - 2] == '/')
		return;
	if (name[end - d - 1] == '.' && d <= 9) {
		r->kind = OMSEC_ROT_NUMBERED;
	} else if (name[end - d - 1] == '-' && (d == 8 || d == 10)) {
		r->kind = OMSEC_ROT_DATE;
		r->date_digits = d;
	} else
		return;
	r->base_len = end - d - 1;
	for (i = end - d; i < end; i++)
		r->num = r->num * 10 + (uint64_t)(name[i] - '0');
}

/* Orders two ranks of one base: older first. */
static int
rank_cmp(const struct omsec_rot *a, const struct omsec_rot *b)
{
	uint64_t da, db;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	switch (a->kind) {
	case OMSEC_ROT_NUMBERED:
		/* The highest number is the oldest generation. */
		return (a->num < b->num) - (a->num > b->num);
	case OMSEC_ROT_DATE:
		/* Compare the day first, so 20261103 sorts before 2026110400. */
		da = a->date_digits == 10 ? a->num / 100 : a->num;
		db = b->date_digits == 10 ? b->num / 100 : b->num;
		if (da != db)
			return da < db ? -1 : 1;
		if (a->date_digits != b->date_digits)
			return a->date_digits < b->date_digits ? -1 : 1;
		return (a->num > b->num) - (a->num < b->num);
	case OMSEC_ROT_LIVE:
		break;
	}
	return 0;
}

int
omsec_rot_cmp(const char *a, const char *b)
{
	struct omsec_rot ra, rb;
	size_t n;
	int c;

	omsec_rot_parse(&ra, a);
	omsec_rot_parse(&rb, b);
	n = ra.base_len < rb.base_len ? ra.base_len : rb.base_len;
	c = memcmp(a, b, n);
	if (c != 0)
		return c;
	if (ra.base_len != rb.base_len)
		return ra.base_len < rb.base_len ? -1 : 1;
	c = rank_cmp(&ra, &rb);
	if (c != 0)
		return c;
	/* x.log.1 and x.log.1.gz side by side (mid-rotation): bytewise. */
	return strcmp(a, b);
}

static int
qsort_cmp(const void *a, const void *b)
{
	return omsec_rot_cmp(*(const char *const *)a, *(const char *const *)b);
}

void
omsec_rot_sort(const char **names, size_t n)
{
	if (n > 1)
		qsort(names, n, sizeof(*names), qsort_cmp);
}
