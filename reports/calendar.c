/*
 * calendar.c - the SLA clock: 7x24, or business hours on working days with
 * China's statutory holidays and adjusted working days (调休).
 *
 * A holiday file lists the exceptions to "Monday to Friday are working
 * days", one date or date range per line (docs/records.md); the 2026 file
 * (reports/data/holidays-cn-2026.txt, from the State Council notice
 * 国办发明电〔2025〕7号) reads:
 *   2026-02-15..2026-02-23  holiday  春节
 *   2026-02-14              workday  春节调休上班
 * The exceptions are kept sorted by day and looked up by binary search.
 *
 * omsec_calendar_elapsed walks the local days between two instants and adds
 * the overlap of each working window: O(days x windows), each window edge
 * converted from local time through the zone (cached per hour by otime).
 * Memory: one entry per exceptional day (a year is about 40).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "out.h"
#include "records_int.h"
#include "strnum.h"

#define DAY_MS INT64_C(86400000)
#define MAXRANGE 366

void
omsec_calendar_init(struct omsec_calendar *c, struct omsec_tz *tz)
{
	memset(c, 0, sizeof(*c));
	c->tz = tz;
}

void
omsec_calendar_free(struct omsec_calendar *c)
{
	if (c == NULL)
		return;
	free(c->days);
	c->days = NULL;
	c->ndays = c->cap = 0;
}

/* "HH:MM" (00:00-24:00) to minutes. Returns 0 or -1. */
static int
hhmm(int *out, const char *p, size_t n)
{
	int64_t h, m;

	if (n != 5 || p[2] != ':' ||
	    omsec_strtonum(&h, omsec_span_make(p, 2), 0, 24) != 0 ||
	    omsec_strtonum(&m, omsec_span_make(p + 3, 2), 0, 59) != 0 ||
	    (h == 24 && m != 0))
		return -1;
	*out = (int)(h * 60 + m);
	return 0;
}

int
omsec_calendar_set_hours(struct omsec_calendar *c, const char *spec)
{
	int win[OMSEC_CAL_MAXWIN][2], n = 0;
	const char *p = spec;

	if (*spec == '\0' || strcasecmp(spec, "7x24") == 0) {
		c->nwin = 0;
		return 0;
	}
	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		while (len > 0 && *p == ' ') {
			p++;
			len--;
		}
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (n == OMSEC_CAL_MAXWIN || len != 11 || p[5] != '-' ||
		    hhmm(&win[n][0], p, 5) != 0 ||
		    hhmm(&win[n][1], p + 6, 5) != 0 ||
		    win[n][1] <= win[n][0] ||
		    (n > 0 && win[n][0] < win[n - 1][1]))
			return -1;
		n++;
		p = e ? e + 1 : p + len;
		if (e == NULL)
			break;
	}
	if (n == 0)
		return -1;
	memcpy(c->win, win, sizeof(win));
	c->nwin = n;
	return 0;
}

static int
day_cmp(const void *a, const void *b)
{
	const struct omsec_cal_day *x = a, *y = b;

	return x->day < y->day ? -1 : x->day > y->day;
}

/* "YYYY-MM-DD" to days since 1970. Returns 0 or -1. */
static int
parse_day(int64_t *day, const char *p, size_t n)
{
	int64_t y, m, d;
	int yy, mm, dd;

	if (n != 10 || p[4] != '-' || p[7] != '-' ||
	    omsec_strtonum(&y, omsec_span_make(p, 4), 1970, 9999) != 0 ||
	    omsec_strtonum(&m, omsec_span_make(p + 5, 2), 1, 12) != 0 ||
	    omsec_strtonum(&d, omsec_span_make(p + 8, 2), 1, 31) != 0)
		return -1;
	*day = omsec_days_from_civil((int)y, (int)m, (int)d);
	omsec_civil_from_days(*day, &yy, &mm, &dd);
	return dd == d ? 0 : -1;
}

static const char *const w_holiday[] = { "holiday", "休", "假", "off", NULL };
static const char *const w_workday[] = { "workday", "班", "work", NULL };

int
omsec_calendar_load(struct omsec_calendar *c, const char *path,
    struct omsec_report_diag *diag)
{
	FILE *f;
	char line[1024], esc[96];
	unsigned lineno = 0;
	size_t i, j;

	if ((f = fopen(path, "r")) == NULL) {
		rec_diagf(diag, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *tok[3], *save = NULL, *s, *dots;
		int64_t a, b, d;
		int ntok = 0, work;

		lineno++;
		if ((s = strchr(line, '#')) != NULL)
			*s = '\0';
		for (s = strtok_r(line, " \t\r\n", &save); s && ntok < 3;
		    s = strtok_r(NULL, " \t\r\n", &save))
			tok[ntok++] = s;
		if (ntok == 0)
			continue;
		if (ntok < 2) {
			rec_diagf(diag, "%s:%u: want DATE[..DATE] holiday|workday"
			    " [name]", path, lineno);
			diag->nbad++;
			continue;
		}
		dots = strstr(tok[0], "..");
		if (parse_day(&a, tok[0], dots ? (size_t)(dots - tok[0]) :
		    strlen(tok[0])) != 0 || (dots && parse_day(&b, dots + 2,
		    strlen(dots + 2)) != 0)) {
			rec_diagf(diag, "%s:%u: bad date '%s' (want YYYY-MM-DD "
			    "or YYYY-MM-DD..YYYY-MM-DD)", path, lineno,
			    rec_esc(esc, sizeof(esc), tok[0]));
			diag->nbad++;
			continue;
		}
		if (!dots)
			b = a;
		if (b < a || b - a >= MAXRANGE) {
			rec_diagf(diag, "%s:%u: range must run forward, at most "
			    "%d days", path, lineno, MAXRANGE);
			diag->nbad++;
			continue;
		}
		if (rec_word(tok[1], w_holiday))
			work = 0;
		else if (rec_word(tok[1], w_workday))
			work = 1;
		else {
			rec_diagf(diag, "%s:%u: '%s' is not holiday (休) or "
			    "workday (班)", path, lineno,
			    rec_esc(esc, sizeof(esc), tok[1]));
			diag->nbad++;
			continue;
		}
		for (d = a; d <= b; d++) {
			void *nv = rec_grow(c->days, &c->cap, c->ndays,
			    sizeof(*c->days));
			if (nv == NULL) {
				fclose(f);
				rec_diagf(diag, "%s: out of memory", path);
				return -1;
			}
			c->days = nv;
			c->days[c->ndays].day = d;
			c->days[c->ndays].work = work;
			c->ndays++;
		}
	}
	if (ferror(f)) {
		rec_diagf(diag, "%s: %s", path, strerror(errno));
		fclose(f);
		return -1;
	}
	fclose(f);
	/* Stable order, then the later line wins for a repeated day. */
	for (i = 1; i < c->ndays; i++) {
		struct omsec_cal_day x = c->days[i];
		j = i;
		while (j > 0 && c->days[j - 1].day > x.day) {
			c->days[j] = c->days[j - 1];
			j--;
		}
		c->days[j] = x;
	}
	for (i = 0, j = 0; i < c->ndays; i++) {
		if (j > 0 && c->days[j - 1].day == c->days[i].day)
			c->days[j - 1] = c->days[i];
		else
			c->days[j++] = c->days[i];
	}
	c->ndays = j;
	return 0;
}

int
omsec_calendar_is_workday(const struct omsec_calendar *c, int64_t day)
{
	struct omsec_cal_day key = { day, 0 };
	const struct omsec_cal_day *hit = NULL;
	int wd;

	if (c->ndays > 0)
		hit = bsearch(&key, c->days, c->ndays, sizeof(*c->days),
		    day_cmp);
	if (hit != NULL)
		return hit->work;
	wd = omsec_weekday(day);
	return wd >= 1 && wd <= 5;
}

int
omsec_calendar_covers(const struct omsec_calendar *c, int year)
{
	size_t i;
	int y, m, d;

	for (i = 0; i < c->ndays; i++) {
		omsec_civil_from_days(c->days[i].day, &y, &m, &d);
		if (y == year)
			return 1;
	}
	return 0;
}

/* UTC ms of local day `day` at `min` minutes past midnight. */
static int64_t
local_at(const struct omsec_calendar *c, int64_t day, int min)
{
	struct omsec_civil cv;

	memset(&cv, 0, sizeof(cv));
	if (min >= 1440) {
		day++;
		min -= 1440;
	}
	omsec_civil_from_days(day, &cv.year, &cv.month, &cv.day);
	cv.hour = min / 60;
	cv.min = min % 60;
	return omsec_tz_local_to_utc(c->tz, &cv);
}

/* Local day number of the instant ms. */
static int64_t
local_day(const struct omsec_calendar *c, int64_t ms)
{
	int64_t l = ms + (int64_t)omsec_tz_offset_at(c->tz, ms) * 1000;

	return l >= 0 ? l / DAY_MS : -((-l + DAY_MS - 1) / DAY_MS);
}

int64_t
omsec_calendar_elapsed(const struct omsec_calendar *c, int64_t from,
    int64_t to)
{
	int64_t d, d0, d1, sum = 0;
	int k;

	if (to <= from)
		return 0;
	if (c == NULL || c->nwin == 0)
		return to - from;
	d0 = local_day(c, from);
	d1 = local_day(c, to);
	for (d = d0; d <= d1; d++) {
		if (!omsec_calendar_is_workday(c, d))
			continue;
		for (k = 0; k < c->nwin; k++) {
			int64_t a = local_at(c, d, c->win[k][0]);
			int64_t b = local_at(c, d, c->win[k][1]);
			if (a < from)
				a = from;
			if (b > to)
				b = to;
			if (b > a)
				sum += b - a;
		}
	}
	return sum;
}
