/*
 * fuzz_events - the event stream between stages: omsec_event_read_tsv
 * (header, "#fields" column maps, unescaping in place) as omsec-enrich
 * reads it (omsec_enrich_line, zones only: no database), then the events
 * go on to a summary (omsec_summary_add_event, "#stats" lines) and to the
 * detector (omsec_detect_event), as omsec-agg and omsec-detect read them.
 * Byte 0 selects TSV (even) or JSON (odd) output of omsec-enrich.
 * Enrichment runs twice, with and without its TSV pass-through (enrich.c),
 * into two memfds: the two outputs must be the same bytes.
 */
#include "fuzz.h"
#include "agg.h"
#include "detect.h"
#include "enrich.h"
#include "reader.h"

static struct omsec_enrich *en;

/* An emptied memfd of its own for each of the two enrich outputs. */
static int
out_memfd(int which)
{
	static int fd[2] = { -1, -1 };

	if (fd[which] < 0 &&
	    (fd[which] = (int)syscall(SYS_memfd_create, "out", 0)) < 0)
		abort();
	if (ftruncate(fd[which], 0) != 0 || lseek(fd[which], 0, SEEK_SET) != 0)
		abort();
	return fd[which];
}

/* Aborts unless the two memfds hold the same bytes. */
static void
same_output(int a, int b)
{
	static char pa[65536], pb[65536];
	off_t n = lseek(a, 0, SEEK_END), off = 0;

	if (n != lseek(b, 0, SEEK_END))
		abort();
	while (off < n) {
		ssize_t k = pread(a, pa, sizeof pa, off);
		if (k <= 0 || pread(b, pb, (size_t)k, off) != k ||
		    memcmp(pa, pb, (size_t)k) != 0)
			abort();
		off += k;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct omsec_out *o = fuzz_null_out(), *ofast, *oslow;
	struct omsec_enrich_stream st, slow;
	struct omsec_event_cols cols;
	struct omsec_detect_opts dop = OMSEC_DETECT_OPTS_INIT;
	struct omsec_summary *sum;
	struct omsec_detect *det;
	struct omsec_reader *r;
	struct omsec_event ev;
	const char *why;
	char *line, *copy = NULL, *copy2 = NULL;
	size_t len, copycap = 0;
	int trunc, rc, er, fdfast, fdslow;

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
	omsec_enrich_stream_init(&slow, data[0] & 1);
	slow.no_pass = 1;
	fdfast = out_memfd(0);
	fdslow = out_memfd(1);
	if ((ofast = omsec_out_new_fd(fdfast)) == NULL ||
	    (oslow = omsec_out_new_fd(fdslow)) == NULL)
		abort();
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
		/* enrich rewrites the line in place: keep copies for the
		 * second enrich and for agg. */
		if (len + 1 > copycap) {
			copycap = len + 1;
			char *grown = realloc(copy, copycap);
			char *grown2 = grown ? realloc(copy2, copycap) : NULL;
			if (grown == NULL || grown2 == NULL)
				abort();
			copy = grown;
			copy2 = grown2;
		}
		memcpy(copy, line, len);
		memcpy(copy2, line, len);
		er = omsec_enrich_line(en, &st, ofast, line, len, &why);
		if (omsec_enrich_line(en, &slow, oslow, copy2, len, &why) != er)
			abort();
		if (er == -2)
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
	omsec_enrich_stream_finish(&st, ofast);
	omsec_enrich_stream_finish(&slow, oslow);
	if (omsec_out_close(ofast) != 0 || omsec_out_close(oslow) != 0)
		abort();
	same_output(fdfast, fdslow);
	if (slow.passed != 0 || st.events != slow.events || st.bad != slow.bad)
		abort();
	if (omsec_summary_write(sum, o) != 0 || omsec_detect_finish(det) != 0)
		abort();
	omsec_detect_write(det, o);
	omsec_detect_free(det);
	omsec_summary_free(sum);
	omsec_reader_free(r);
	free(copy);
	free(copy2);
	return 0;
}
