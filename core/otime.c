/*
 * otime.c - civil dates, ISO 8601, and time zones (see otime.h).
 *
 * Date arithmetic follows Howard Hinnant's public-domain algorithms
 * ("chrono-Compatible Low-Level Date Algorithms"): O(1), no tables, valid
 * for every year an int holds.
 *
 * IANA zones are resolved with the C library (TZ + localtime_r), which is
 * process-wide state: the zone last used is remembered so that switching
 * costs one tzset, and each omsec_tz caches the offset of the last hour it
 * converted, so a stream of log lines makes a libc call once per hour of
 * log time, not once per line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "otime.h"

int64_t
omsec_days_from_civil(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void
omsec_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

int
omsec_weekday(int64_t days)
{
	return (int)(days >= -4 ? (days + 4) % 7 : (days + 5) % 7 + 6);
}

int64_t
omsec_civil_to_ms(const struct omsec_civil *c)
{
	int64_t days = omsec_days_from_civil(c->year, c->month, c->day);

	return ((days * 24 + c->hour) * 60 + c->min) * 60000 +
	    (int64_t)c->sec * 1000 + c->msec;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

void
omsec_ms_to_civil(int64_t ms, struct omsec_civil *c)
{
	int64_t days = floor_div(ms, 86400000);
	int64_t rem = ms - days * 86400000;

	omsec_civil_from_days(days, &c->year, &c->month, &c->day);
	c->hour = (int)(rem / 3600000);
	c->min = (int)(rem / 60000 % 60);
	c->sec = (int)(rem / 1000 % 60);
	c->msec = (int)(rem % 1000);
}

static void
put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

void
omsec_format_iso(char buf[25], int64_t ms)
{
	struct omsec_civil c;
	int y;

	omsec_ms_to_civil(ms, &c);
	y = c.year < 0 ? 0 : c.year > 9999 ? 9999 : c.year;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	put2(buf + 2, y % 100);
	buf[4] = '-';
	put2(buf + 5, c.month);
	buf[7] = '-';
	put2(buf + 8, c.day);
	buf[10] = 'T';
	put2(buf + 11, c.hour);
	buf[13] = ':';
	put2(buf + 14, c.min);
	buf[16] = ':';
	put2(buf + 17, c.sec);
	buf[19] = '.';
	buf[20] = (char)('0' + c.msec / 100);
	put2(buf + 21, c.msec % 100);
	buf[23] = 'Z';
	buf[24] = '\0';
}

/* Reads exactly n digits at p; -1 if any is not a digit. */
static int
digits(const char *p, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		unsigned d = (unsigned char)p[i] - '0';
		if (d > 9)
			return -1;
		v = v * 10 + (int)d;
	}
	return v;
}

static int
days_in_month(int y, int m)
{
	static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return 29;
	return dm[m - 1];
}

int
omsec_parse_iso(int64_t *ms, int *had_zone, struct omsec_span s)
{
	struct omsec_civil c = { 0 };
	const char *p = s.p;
	size_t n = s.n, i;
	int off = 0;

	*had_zone = 0;
	if (n < 19 || p[4] != '-' || p[7] != '-' || (p[10] != 'T' && p[10] != ' ') ||
	    p[13] != ':' || p[16] != ':')
		return -1;
	c.year = digits(p, 4);
	c.month = digits(p + 5, 2);
	c.day = digits(p + 8, 2);
	c.hour = digits(p + 11, 2);
	c.min = digits(p + 14, 2);
	c.sec = digits(p + 17, 2);
	if (c.year < 0 || c.month < 1 || c.month > 12 || c.day < 1 ||
	    c.day > days_in_month(c.year, c.month) || c.hour < 0 || c.hour > 23 ||
	    c.min < 0 || c.min > 59 || c.sec < 0 || c.sec > 60)
		return -1;
	if (c.sec == 60)	/* a leap second reads as the next second's start */
		c.sec = 59;
	i = 19;
	if (i < n && (p[i] == '.' || p[i] == ',')) {
		int nd = 0, frac = 0;
		for (i++; i < n && p[i] >= '0' && p[i] <= '9'; i++, nd++)
			if (nd < 3)
				frac = frac * 10 + (p[i] - '0');
		if (nd == 0)
			return -1;
		for (; nd < 3; nd++)
			frac *= 10;
		c.msec = frac;
	}
	if (i < n) {
		if (p[i] == 'Z' && i + 1 == n) {
			*had_zone = 1;
		} else if ((p[i] == '+' || p[i] == '-') &&
		    (n - i == 6 || n - i == 5 || n - i == 3)) {
			int sign = p[i] == '-' ? -1 : 1, hh, mm = 0;
			hh = digits(p + i + 1, 2);
			if (n - i == 6) {
				if (p[i + 3] != ':')
					return -1;
				mm = digits(p + i + 4, 2);
			} else if (n - i == 5)
				mm = digits(p + i + 3, 2);
			if (hh < 0 || hh > 23 || mm < 0 || mm > 59)
				return -1;
			off = sign * (hh * 3600 + mm * 60);
			*had_zone = 1;
		} else
			return -1;
	}
	*ms = omsec_civil_to_ms(&c) - (int64_t)off * 1000;
	return 0;
}

/*
 * By the first letter, then the one or two names left: every syslog and
 * access line goes through here, and a loop over the twelve names was 2%
 * of omsec-parse.
 */
int
omsec_month_from_abbr(const char *p)
{
	int m = 0;

	switch (p[0]) {
	case 'J':
		m = p[1] == 'a' && p[2] == 'n' ? 1 :
		    p[1] == 'u' && p[2] == 'n' ? 6 :
		    p[1] == 'u' && p[2] == 'l' ? 7 : 0;
		break;
	case 'F': m = p[1] == 'e' && p[2] == 'b' ? 2 : 0; break;
	case 'M':
		m = p[1] == 'a' && p[2] == 'r' ? 3 :
		    p[1] == 'a' && p[2] == 'y' ? 5 : 0;
		break;
	case 'A':
		m = p[1] == 'p' && p[2] == 'r' ? 4 :
		    p[1] == 'u' && p[2] == 'g' ? 8 : 0;
		break;
	case 'S': m = p[1] == 'e' && p[2] == 'p' ? 9 : 0; break;
	case 'O': m = p[1] == 'c' && p[2] == 't' ? 10 : 0; break;
	case 'N': m = p[1] == 'o' && p[2] == 'v' ? 11 : 0; break;
	case 'D': m = p[1] == 'e' && p[2] == 'c' ? 12 : 0; break;
	default: break;
	}
	return m;
}

struct omsec_tz {
	char name[64];
	int fixed;		/* 1: offset is constant */
	int offset;		/* seconds east of UTC, when fixed */
	int64_t l2u_hour;	/* local hour number of the cached offset */
	int l2u_off;
	int64_t at_hour;	/* UTC hour number of the cached offset */
	int at_off;
};

/* The zone libc's localtime_r currently uses (TZ is process-wide). */
static char libc_zone[64];

static void
use_zone(const struct omsec_tz *tz)
{
	char env[80];

	if (strcmp(libc_zone, tz->name) == 0)
		return;
	snprintf(env, sizeof(env), ":%s", tz->name);
	setenv("TZ", env, 1);
	tzset();
	snprintf(libc_zone, sizeof(libc_zone), "%s", tz->name);
}

static int
parse_fixed(const char *s, int *off)
{
	int sign, hh, mm = 0;
	size_t n = strlen(s);

	if (strcmp(s, "UTC") == 0 || strcmp(s, "Z") == 0 || strcmp(s, "GMT") == 0) {
		*off = 0;
		return 0;
	}
	if ((s[0] != '+' && s[0] != '-') || (n != 3 && n != 5 && n != 6))
		return -1;
	sign = s[0] == '-' ? -1 : 1;
	hh = digits(s + 1, 2);
	if (n == 6 && s[3] != ':')
		return -1;
	if (n > 3)
		mm = digits(s + n - 2, 2);
	if (hh < 0 || hh > 23 || mm < 0 || mm > 59)
		return -1;
	*off = sign * (hh * 3600 + mm * 60);
	return 0;
}

struct omsec_tz *
omsec_tz_new(const char *name)
{
	struct omsec_tz *tz;
	char path[512];
	const char *dir = getenv("TZDIR");
	int off = 0, fixed;

	if (name == NULL || strlen(name) >= sizeof(tz->name) || name[0] == '\0')
		return NULL;
	fixed = parse_fixed(name, &off) == 0;
	if (!fixed) {
		/* Refuse names that are not zone files rather than get UTC. */
		if (strstr(name, "..") != NULL || name[0] == '/')
			return NULL;
		snprintf(path, sizeof(path), "%s/%s",
		    dir ? dir : "/usr/share/zoneinfo", name);
		if (access(path, R_OK) != 0)
			return NULL;
	}
	tz = calloc(1, sizeof(*tz));
	if (tz == NULL)
		return NULL;
	snprintf(tz->name, sizeof(tz->name), "%s", name);
	tz->fixed = fixed;
	tz->offset = off;
	tz->l2u_hour = tz->at_hour = INT64_MIN;
	return tz;
}

void
omsec_tz_free(struct omsec_tz *tz)
{
	free(tz);
}

const char *
omsec_tz_name(const struct omsec_tz *tz)
{
	return tz->name;
}

static int
libc_offset(struct omsec_tz *tz, int64_t utc_s)
{
	struct tm tm;
	time_t t = (time_t)utc_s;

	use_zone(tz);
	if (localtime_r(&t, &tm) == NULL)
		return 0;
	return (int)tm.tm_gmtoff;
}

int
omsec_tz_offset_at(struct omsec_tz *tz, int64_t utc_ms)
{
	int64_t hour;

	if (tz->fixed)
		return tz->offset;
	hour = floor_div(utc_ms, 3600000);
	if (hour != tz->at_hour) {
		/* Zones change offset on the hour or half hour; check both. */
		int a = libc_offset(tz, hour * 3600);
		int b = libc_offset(tz, hour * 3600 + 3599);
		if (a != b)
			return libc_offset(tz, floor_div(utc_ms, 1000));
		tz->at_hour = hour;
		tz->at_off = a;
	}
	return tz->at_off;
}

/* The offset that turns the local second ls into UTC. */
static int
l2u_offset(struct omsec_tz *tz, int64_t ls)
{
	/* Guess with the offset at ls read as UTC, then correct once. */
	int off1 = libc_offset(tz, ls);
	int off2 = libc_offset(tz, ls - off1);

	if (off1 != off2) {
		int off3 = libc_offset(tz, ls - off2);
		/* On an overlap take the earlier instant (larger offset). */
		off2 = off3 == off2 ? off2 : (off1 > off2 ? off1 : off2);
	}
	return off2;
}

int64_t
omsec_tz_local_to_utc(struct omsec_tz *tz, const struct omsec_civil *local)
{
	int64_t lms = omsec_civil_to_ms(local), hour;
	int off;

	if (tz->fixed)
		return lms - (int64_t)tz->offset * 1000;
	hour = floor_div(lms, 3600000);
	if (hour == tz->l2u_hour)
		return lms - (int64_t)tz->l2u_off * 1000;
	off = l2u_offset(tz, floor_div(lms, 1000));
	/*
	 * The hour's offset is kept only when its first and last seconds
	 * have it too. An offset that changes inside a local hour (St.
	 * John's DST at 00:01 until 2011, the odd seconds of old mean
	 * times) would otherwise make a time depend on the one before it.
	 */
	if (l2u_offset(tz, hour * 3600) == off &&
	    l2u_offset(tz, hour * 3600 + 3599) == off) {
		tz->l2u_hour = hour;
		tz->l2u_off = off;
	}
	return lms - (int64_t)off * 1000;
}
