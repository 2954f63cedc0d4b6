/*
 * fuzz_parse_stream - omsec_parse_stream over a whole input: the ingest
 * framing ("#omsec-ingest", "#source" lines), the format sniffer across
 * lines, the line reader, the "#stats" trailers and the rejects file.
 * Byte 0 selects TSV (even) or JSON (odd) output. The parsers have
 * fuzz_site_config's [types] and [json], so "#source" paths ending in
 * .json, .cef or slow.log reach those types.
 */
#include "fuzz.h"
#include "fuzz_site.h"
#include "parse.h"
#include "reader.h"

static struct omsec_parse *tsv, *json;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct omsec_out *o = fuzz_null_out();
	struct omsec_parse_totals tot = { 0 };
	struct omsec_reader *r;
	struct omsec_parse *p;
	char err[256];
	int fd;

	if (tsv == NULL) {
		struct omsec_parse_opts op = OMSEC_PARSE_OPTS_INIT;
		op.now = 1764547200;
		op.cfg = fuzz_site_config();
		if ((tsv = omsec_parse_new(&op, err, sizeof(err))) == NULL)
			abort();
		op.json = 1;
		if ((json = omsec_parse_new(&op, err, sizeof(err))) == NULL)
			abort();
	}
	if (size < 1)
		return 0;
	p = data[0] & 1 ? json : tsv;
	fd = fuzz_memfd(data + 1, size - 1);
	if ((r = omsec_reader_new_fd(fd)) == NULL)
		abort();
	omsec_parse_write_header(p, o);
	if (omsec_parse_stream(p, r, "fuzz.log", 1764547200, o, o, &tot) != 0)
		abort();	/* a memfd does not fail to read */
	if (tot.lines != tot.events + tot.rejects + tot.continued)
		abort();	/* every line is an event, a reject or continued */
	omsec_reader_free(r);
	return 0;
}
