/*
 * report_testutil.c - see report_testutil.h.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_testutil.h"

void
collect(void *ctx, const char *msg)
{
	struct diags *d = ctx;

	if (d->n < 16)
		snprintf(d->msg[d->n++], sizeof(d->msg[0]), "%s", msg);
}

const char *
test_fixture(char *buf, size_t cap, const char *area, const char *name)
{
	const char *dir = getenv("OMSEC_TEST_DATA");

	snprintf(buf, cap, "%s/%s/%s", dir ? dir : "tests/data", area, name);
	return buf;
}

int
ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

struct omsec_tz *
shanghai(void)
{
	struct omsec_tz *tz = omsec_tz_new("Asia/Shanghai");

	ck_assert_ptr_nonnull(tz);
	return tz;
}
