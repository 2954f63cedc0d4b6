/*
 * fuzz_records - the CSV record readers of reports/report.h: tickets.csv
 * (omsec_tickets_read, then the SLA figures) or survey.csv
 * (omsec_survey_read, then the satisfaction figures), chosen by byte 0.
 * Diagnostics are checked to be one line of printable text.
 */
#include "fuzz.h"
#include "report.h"

static struct omsec_tz *tz;

static void
diag(void *ctx, const char *msg)
{
	(void)ctx;
	for (const char *p = msg; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct omsec_report_diag d = { diag, NULL, 0 };
	const char *path;

	if (tz == NULL && (tz = omsec_tz_new("Asia/Shanghai")) == NULL)
		abort();
	if (size < 1)
		return 0;
	path = fuzz_path(fuzz_memfd(data + 1, size - 1));
	if (data[0] & 1) {
		struct omsec_survey s = { 0 };
		struct omsec_satisfaction sat;
		(void)omsec_survey_read(&s, path, &d);
		omsec_satisfaction_compute(&sat, &s);
		omsec_survey_free(&s);
	} else {
		struct omsec_tickets t = { 0 };
		struct omsec_config cfg;
		struct omsec_sla sla;
		omsec_config_defaults(&cfg);
		(void)omsec_tickets_read(&t, path, tz, &d);
		/* November 2026 in UTC+8, as the sample report. */
		if (omsec_sla_compute(&sla, &t, &cfg, INT64_C(1793462400000),
		    INT64_C(1796054400000)) == 0)
			omsec_sla_free(&sla);
		omsec_tickets_free(&t);
	}
	return 0;
}
