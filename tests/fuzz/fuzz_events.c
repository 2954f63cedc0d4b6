/*
 * fuzz_events - the event stream between stages: omsec_event_read_tsv
 * (header, "#fields" column maps, unescaping in place) as omsec-enrich
 * reads it (omsec_enrich_line, zones only: no database), then the events
 * go on to a summary (omsec_summary_add_event, "#stats" lines) and to the
 * detector (omsec_detect_event), as omsec-agg and omsec-detect read them.
 * Byte 0 selects TSV (even) or JSON (odd) output of omsec-enrich.
 */
#include "fuzz.h"
#include "agg.h"
#include "detect.h"
#include "enrich.h"
#include "reader.h"

static struct omsec_enrich *en;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct omsec_out *o = fuzz_null_out();
	struct omsec_enrich_stream st;
	struct omsec_event_cols cols;
	struct omsec_detect_opts dop = OMSEC_DETECT_OPTS_INIT;
	struct omsec_summary *sum;
	struct omsec_detect *det;
	struct omsec_reader *r;
	struct omsec_event ev;
	const char *why;
	char *line, *copy = NULL;
	size_t len, copycap = 0;
	int trunc, rc;

	if (en == NULL) {
		struct omsec_enrich_opts eo = OMSEC_ENRICH_OPTS_INIT;
		char err[256];
		eo.geoip_path = getenv("OMSEC_FUZZ_GEOIP");
		if (omsec_enrich_open(&en, &eo, err, sizeof(err)) != 0)
			abort();
	}
	if (size < 1)
		return 0;
	omsec_enrich_stream_init(&st, data[0] & 1);
	omsec_event_cols_init(&cols);
	/* Low thresholds: short inputs reach the alerting paths. */
	dop.bf_failures = 2;
	dop.saf_failures = 1;
	dop.max_sources = 8;
	dop.max_held = 64;
	if ((sum = omsec_summary_new()) == NULL ||
	    (det = omsec_detect_new(&dop)) == NULL)
		abort();
	if ((r = omsec_reader_new_fd(fuzz_memfd(data + 1, size - 1))) == NULL)
		abort();
	while ((rc = omsec_reader_next(r, &line, &len, &trunc)) == 1) {
		/* enrich rewrites the line in place: keep a copy for agg. */
		if (len + 1 > copycap) {
			copycap = len + 1;
			char *grown = realloc(copy, copycap);
			if (grown == NULL)
				abort();
			copy = grown;
		}
		memcpy(copy, line, len);
		if (omsec_enrich_line(en, &st, o, line, len, &why) == -2)
			break;
		if (len >= 7 && memcmp(copy, "#stats\t", 7) == 0) {
			(void)omsec_summary_add_stats_line(sum, copy, len, &why);
			continue;
		}
		omsec_event_clear(&ev);
		if (omsec_event_read_tsv(&cols, &ev, copy, len, &why) == 1) {
			if (omsec_summary_add_event(sum, &ev) != 0 ||
			    omsec_detect_event(det, &ev) != 0)
				abort();
		}
	}
	omsec_enrich_stream_finish(&st, o);
	if (omsec_summary_write(sum, o) != 0 || omsec_detect_finish(det) != 0)
		abort();
	omsec_detect_write(det, o);
	omsec_detect_free(det);
	omsec_summary_free(sum);
	omsec_reader_free(r);
	free(copy);
	return 0;
}
