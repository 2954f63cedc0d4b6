/*
 * otime.h - civil time without the C library's global state.
 *
 * All event times are UTC milliseconds since 1970. Conversions between civil
 * dates and day numbers use Howard Hinnant's days_from_civil algorithm (exact
 * for the proleptic Gregorian calendar, no tables). Local wall-clock times
 * are converted with a zone: a fixed UTC offset or an IANA name resolved
 * through the system's tzdata (cached per hour whose offset is one from
 * start to end, so a stream of lines costs no system calls, and a time
 * never depends on the times converted before it).
 */
#ifndef OMSEC_OTIME_H
#define OMSEC_OTIME_H

#include <stddef.h>
#include <stdint.h>
#include "span.h"

struct omsec_civil {
	int year, month, day;		/* month 1-12, day 1-31 */
	int hour, min, sec, msec;
};

int64_t omsec_days_from_civil(int y, int m, int d);
void omsec_civil_from_days(int64_t days, int *y, int *m, int *d);
/* 0=Sunday ... 6=Saturday */
int omsec_weekday(int64_t days);

/* UTC civil time to ms and back. */
int64_t omsec_civil_to_ms(const struct omsec_civil *c);
void omsec_ms_to_civil(int64_t ms, struct omsec_civil *c);

/* Writes "YYYY-MM-DDTHH:MM:SS.mmmZ" (24 bytes + NUL) into buf[25]. */
void omsec_format_iso(char buf[25], int64_t ms);

/*
 * Parses an ISO 8601 / RFC 3339 time filling the whole span:
 * "YYYY-MM-DD[T ]HH:MM:SS[.fff...][Z|+HH:MM|+HHMM|-..]". Without an offset
 * the time is taken as UTC and *had_zone is 0. Returns 0 or -1.
 */
int omsec_parse_iso(int64_t *ms, int *had_zone, struct omsec_span s);

/* "Jan".."Dec" to 1..12, 0 if not a month. */
int omsec_month_from_abbr(const char *p);

/* A time zone for converting local wall-clock times. */
struct omsec_tz;

/*
 * "UTC", "+08:00", "-0530" or an IANA name such as "Asia/Shanghai".
 * Returns NULL for an unknown zone.
 */
struct omsec_tz *omsec_tz_new(const char *name);
void omsec_tz_free(struct omsec_tz *tz);
const char *omsec_tz_name(const struct omsec_tz *tz);

/* Local civil time in tz to UTC ms (the earlier instant on a DST overlap). */
int64_t omsec_tz_local_to_utc(struct omsec_tz *tz, const struct omsec_civil *local);
/* UTC offset in seconds in effect at utc_ms. */
int omsec_tz_offset_at(struct omsec_tz *tz, int64_t utc_ms);

#endif
