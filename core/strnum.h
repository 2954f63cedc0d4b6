/*
 * strnum.h - checked number parsing (never atoi).
 */
#ifndef OMSEC_STRNUM_H
#define OMSEC_STRNUM_H

#include <stdint.h>
#include "span.h"

/*
 * Parses a decimal integer that fills the whole span (optional leading '-'),
 * in [min, max]. Returns 0 and sets *out, or -1 when the span is empty, has
 * other bytes, or is out of range (*out untouched).
 */
int omsec_strtonum(int64_t *out, struct omsec_span s, int64_t min, int64_t max);

/*
 * Parses a duration such as "90", "90s", "10m", "2h", "1d" into seconds.
 * Returns 0 or -1 as omsec_strtonum.
 */
int omsec_parse_duration(int64_t *out_seconds, struct omsec_span s);

#endif
