/*
 * fuzz_parse_line - omsec_parse_line, one raw line per input.
 *
 * Input: byte 0 picks the parser set (0: sniff every row, else one of the
 * --type names of omsec_parse_type_list, in order), byte 1 moves the
 * source's mtime by whole days over two years (RFC 3164 year inference and
 * New Year rollover), the rest is the line. A matched event is written as
 * TSV and as JSON so that the escapers see every span the parsers hand out.
 * Every parser gets fuzz_site_config's [json] map (the json type), and
 * multi-line records (MySQL slow log) are ended with omsec_parse_finish.
 * A field the parser marks as needing no TSV escape must need none: the
 * writer copies it unchecked.
 */
#include "fuzz.h"
#include "fuzz_site.h"
#include "event.h"
#include "parse.h"

#define MAXTYPES 32

static struct omsec_parse *parsers[MAXTYPES + 1];
static int nparsers;

static void
init(void)
{
	char list[512], *name, *save = NULL;
	struct omsec_parse_opts o = OMSEC_PARSE_OPTS_INIT;
	char err[256];

	o.now = 1764547200;	/* 2025-12-01, fixed: runs are reproducible */
	o.cfg = fuzz_site_config();
	if ((parsers[nparsers++] = omsec_parse_new(&o, err, sizeof(err))) == NULL)
		abort();
	omsec_parse_type_list(list, sizeof(list));
	for (name = strtok_r(list, ", ", &save); name != NULL && nparsers <= MAXTYPES;
	    name = strtok_r(NULL, ", ", &save)) {
		o.type = name;
		if ((parsers[nparsers++] = omsec_parse_new(&o, err,
		    sizeof(err))) == NULL)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct omsec_out *o = fuzz_null_out();
	struct omsec_parse *p;
	struct omsec_event ev;
	const char *why = NULL;
	char *line;
	int r;

	if (nparsers == 0)
		init();
	if (size < 2)
		return 0;
	p = parsers[data[0] % nparsers];
	omsec_parse_source(p, OMSEC_SPAN_LIT("/var/log/nginx/fuzz.log"),
	    OMSEC_SPAN_LIT("-"), 1735660800 + (int64_t)data[1] * 3 * 86400);
	/* A heap copy of exactly the line: ASan sees any read past its end. */
	line = malloc(size - 2 ? size - 2 : 1);
	if (line == NULL)
		abort();
	memcpy(line, data + 2, size - 2);
	r = omsec_parse_line(p, &ev, line, size - 2, 1, &why);
	if (r == OMSEC_P_MATCH) {
		if (!omsec_event_plain_ok(&ev))
			abort();
		omsec_event_write_tsv(o, &ev);
		omsec_event_write_json(o, &ev);
	} else if (why == NULL) {
		abort();	/* the contract: a reason for every reject */
	}
	/* A second line on the same source: the remembered-parser path. */
	r = omsec_parse_line(p, &ev, line, size - 2, 2, &why);
	if (r == OMSEC_P_MATCH) {
		if (!omsec_event_plain_ok(&ev))
			abort();
		omsec_event_write_tsv(o, &ev);
	} else if (why == NULL)
		abort();
	if (omsec_parse_finish(p, &ev) == OMSEC_P_MATCH) {
		if (!omsec_event_plain_ok(&ev))
			abort();
		omsec_event_write_json(o, &ev);
	}
	free(line);
	return 0;
}
