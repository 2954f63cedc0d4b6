/*
 * report_testutil.h - helpers shared by the report-side Check suites
 * (check_reports, check_records): a diagnostics collector, fixture paths,
 * and the site zone.
 */
#ifndef OMSEC_REPORT_TESTUTIL_H
#define OMSEC_REPORT_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "otime.h"

#define MIN (INT64_C(60) * 1000)
#define HOUR (60 * MIN)

/* The first 16 diagnostics a reader reported. */
struct diags {
	char msg[16][512];
	int n;
};

/* A diagnostics callback that appends to the struct diags at ctx. */
void collect(void *ctx, const char *msg);

/* $OMSEC_TEST_DATA/area/name into buf; returns buf. */
const char *test_fixture(char *buf, size_t cap, const char *area,
    const char *name);

int ends_with(const char *s, const char *suffix);

/* Asia/Shanghai; fails the test if the zone is missing. */
struct omsec_tz *shanghai(void);

#endif
