/*
 * fuzz_ingest - omsec_ingest_fd on one source, plain or gzip (sniffed by
 * its magic bytes, several members, truncated or corrupt streams). Seeds
 * include gzip files, so the fuzzer starts inside inflate. Memory stays
 * bounded by the reader's 1 MiB whatever the compression ratio; a bomb
 * only costs time, which libFuzzer's -max_len keeps small.
 */
#include "fuzz.h"
#include "ingest.h"

static struct omsec_ingest *ig;
static unsigned warnings;

static void
warn(void *arg, const char *msg)
{
	(void)arg;
	/* Messages are escaped by the library: no control byte may remain. */
	for (const char *p = msg; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			abort();
	warnings++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct omsec_ingest_stats *st;
	uint64_t before;
	int fd;

	if (ig == NULL) {
		struct omsec_ingest_opts o = OMSEC_INGEST_OPTS_INIT;
		o.warn = warn;
		if ((ig = omsec_ingest_new(fuzz_null_out(), &o)) == NULL)
			abort();
		omsec_ingest_begin(ig);
	}
	fd = fuzz_memfd(data, size);
	st = omsec_ingest_stats(ig);
	before = st->bytes_in;
	(void)omsec_ingest_fd(ig, fd, "fuzz\x1b[31m.log", "-", 1764547200);
	if (st->bytes_in - before > size)
		abort();	/* never counts a byte twice */
	return 0;
}
