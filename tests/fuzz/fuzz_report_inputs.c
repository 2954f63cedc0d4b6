/*
 * fuzz_report_inputs - omsec-report's readers of the other stages' files:
 * a summary (omsec_rpt_summary_read, hourly counts bucketed into local
 * days) or an alerts file (omsec_rpt_alerts_read), chosen by byte 0; and
 * the text sanitiser every drawn string goes through
 * (omsec_report_sanitize), checked to produce valid UTF-8 with no control
 * bytes, never longer than its buffer.
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

/* 1 if s[0, n) is UTF-8 of BMP characters without control bytes. */
static int
clean_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];
		if (c < 0x20 || c == 0x7f)
			return 0;
		if (c < 0x80) {
			i++;
		} else if (c >= 0xc2 && c <= 0xdf) {
			if (i + 1 >= n || (s[i + 1] & 0xc0) != 0x80)
				return 0;
			i += 2;
		} else if (c >= 0xe0 && c <= 0xef) {
			if (i + 2 >= n || (s[i + 1] & 0xc0) != 0x80 ||
			    (s[i + 2] & 0xc0) != 0x80 ||
			    (c == 0xe0 && s[i + 1] < 0xa0) ||
			    (c == 0xed && s[i + 1] >= 0xa0))
				return 0;
			i += 3;
		} else {
			return 0;
		}
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct omsec_report_diag d = { diag, NULL, 0 };
	const char *path;
	char clean[64];
	size_t n;

	if (tz == NULL && (tz = omsec_tz_new("Asia/Shanghai")) == NULL)
		abort();
	if (size < 1)
		return 0;
	n = omsec_report_sanitize(clean, sizeof(clean), (const char *)data + 1,
	    size - 1);
	if (n >= sizeof(clean) || clean[n] != '\0' ||
	    !clean_utf8((const unsigned char *)clean, n))
		abort();
	path = fuzz_path(fuzz_memfd(data + 1, size - 1));
	if (data[0] & 1) {
		struct omsec_rpt_alerts a = { 0 };
		(void)omsec_rpt_alerts_read(&a, path, &d);
		omsec_rpt_alerts_free(&a);
	} else {
		struct omsec_rpt_summary s = { 0 };
		(void)omsec_rpt_summary_read(&s, path, tz,
		    INT64_C(1793462400000), INT64_C(1796054400000), &d);
		omsec_rpt_summary_free(&s);
	}
	return 0;
}
