/*
 * fuzz_records - the record readers of reports/report.h, chosen by byte 0:
 * tickets.csv (omsec_tickets_read, then the SLA figures) or survey.csv
 * (omsec_survey_read, then the satisfaction figures) when bit 1 is clear;
 * with bit 1, a "#omsec-records 2" file (omsec_records_load and the
 * figures of its own period) or an asset inventory (omsec_assets_load and
 * longest-prefix lookups).
 * Diagnostics are checked to be one line of printable text.
 */
#include "assets.h"
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
	if ((data[0] & 3) == 2) {
		struct omsec_records_set s;
		struct omsec_config cfg;
		omsec_config_defaults(&cfg);
		if (omsec_records_set_init(&s, &cfg) != 0)
			abort();
		if (omsec_records_load(&s, &path, 1, tz, &d) == 0 &&
		    omsec_records_figures(&s, NULL, s.start, s.end, tz, &d) != 0)
			abort();	/* read alone, a file covers its period */
		omsec_records_set_free(&s);
	} else if ((data[0] & 3) == 3) {
		struct omsec_assets a;
		struct omsec_asset_index x;
		struct omsec_ip ip;
		if (omsec_assets_load(&a, &x, path, &d) == 0) {
			memset(&ip, 0, sizeof(ip));
			for (int i = 0; i < 256; i++) {
				ip.b[15] = (uint8_t)i;
				(void)omsec_asset_by_ip(&x, &ip);
			}
			for (size_t i = 0; i < a.n; i++)
				if (omsec_asset_of(&x, omsec_span_cstr(
				    a.v[i].name)) == NULL)
					abort();
			omsec_asset_index_free(&x);
			omsec_assets_free(&a);
		}
	} else if (data[0] & 1) {
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
