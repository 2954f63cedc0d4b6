/*
 * parse.h - omsec_parsers: raw log lines to normalised events.
 *
 * The library behind omsec-parse. A struct omsec_parse holds the options,
 * the time zone and one per-source context; omsec_parse_line turns one raw
 * line into one struct omsec_event whose spans point into that line or into
 * the context's scratch area (valid until the next call). omsec_parse_stream
 * runs a whole input (ingest framing or an unframed log) to an output.
 *
 * Cost: one pass over each line (usually one parser attempt, thanks to the
 * remembered last match). Memory: the context (about 30 KiB) and the caller's
 * line reader; nothing is allocated per line.
 */
#ifndef OMSEC_PARSE_H
#define OMSEC_PARSE_H

#include <stdint.h>
#include "event.h"
#include "span.h"

struct omsec_config;
struct omsec_out;
struct omsec_reader;

/* Result of a parser (docs: parsers/README.md "The parser contract"). */
enum omsec_presult {
	OMSEC_P_ERROR = -1,	/* the format is recognised but the line is bad */
	OMSEC_P_NOMATCH = 0,	/* not this format: try the next parser */
	OMSEC_P_MATCH = 1,	/* *ev holds the event */
	/*
	 * The line is part of a multi-line record (MySQL slow log) whose
	 * event another line gives: neither an event nor a reject, counted
	 * as "continued".
	 */
	OMSEC_P_CONT = 2
};

struct omsec_parse_opts {
	const char *tz;		/* zone of syslog clocks; NULL = Asia/Shanghai */
	const char *type;	/* force a parser ("syslog", "nginx", ...) or NULL */
	int year;		/* RFC 3164 year override, 0 = infer from mtime */
	int64_t now;		/* "now" (s) for sources without mtime; 0 = time() */
	int json;		/* stream: JSON Lines instead of TSV */
	/*
	 * Directory of PCRE2 rule files (*.rules): NULL = omsec_data_path
	 * "rules" (none found: no rules), "" = no rules.
	 */
	const char *rules_dir;
	/*
	 * Site configuration or NULL: [types] (path glob -> type, between a
	 * "#source" hint and sniffing) and [json] (the json type's field
	 * map). Copied; need not outlive omsec_parse_new.
	 */
	const struct omsec_config *cfg;
};
#define OMSEC_PARSE_OPTS_INIT { NULL, NULL, 0, 0, 0, NULL, NULL }

struct omsec_parse;

/*
 * Creates a parser. Returns NULL with a message in err (errcap bytes) for an
 * unknown zone or type, or on out of memory. The caller frees it with
 * omsec_parse_free (NULL is fine).
 */
struct omsec_parse *omsec_parse_new(const struct omsec_parse_opts *opts,
    char *err, size_t errcap);
void omsec_parse_free(struct omsec_parse *p);

/* Number of rules loaded, and of rule files in *nfiles (may be NULL). */
int omsec_parse_rules_count(const struct omsec_parse *p, int *nfiles);

/*
 * Runs every rule file sample through p and compares its fields with the
 * sample's "expect" lines (omsec-parse --check-rules). Each failure goes to
 * report as "file:line:offset: what". Returns the number of failures and
 * the number of samples in *nsamples. Resets p's current source.
 */
int omsec_parse_check_rules(struct omsec_parse *p,
    void (*report)(void *arg, const char *msg), void *arg, int *nsamples);

/* 1 if name is a parser type accepted by --type or a "#source" hint. */
int omsec_parse_type_known(const char *name);
/* Writes the known type names, comma-separated, into buf. */
void omsec_parse_type_list(char *buf, size_t cap);

/*
 * Starts a source: path (copied), type hint ("-" or empty: sniff; an unknown
 * hint also sniffs), mtime in seconds or -1 when unknown. Resets the line
 * counters and the remembered parser.
 */
void omsec_parse_source(struct omsec_parse *p, struct omsec_span path,
    struct omsec_span type, int64_t mtime);

/*
 * Parses one raw line (lineno counts from 1 within the source). Returns
 * OMSEC_P_MATCH with *ev filled (spans valid until the next call and while
 * line is), OMSEC_P_CONT for a line taken into a multi-line record, or
 * OMSEC_P_NOMATCH / OMSEC_P_ERROR with *why set to a static reason for the
 * rejects file. The event of a multi-line record may refer (ref) to an
 * earlier line than lineno.
 */
int omsec_parse_line(struct omsec_parse *p, struct omsec_event *ev,
    const char *line, size_t len, uint64_t lineno, const char **why);

/*
 * Ends the current source: OMSEC_P_MATCH with *ev filled when a multi-line
 * record was left open (a slow log cut after its headers), else
 * OMSEC_P_NOMATCH. Call it before the next omsec_parse_source; the event
 * counts as one of the record's lines (one "continued" becomes an event).
 */
int omsec_parse_finish(struct omsec_parse *p, struct omsec_event *ev);

/*
 * Per-source counters, as written in the "#stats" trailer:
 * lines = events + rejects + continued.
 */
struct omsec_parse_stats {
	uint64_t lines, events, rejects, truncated, continued;
};

/* Totals of a whole stream, for the --verbose summary. */
struct omsec_parse_totals {
	uint64_t sources, lines, events, rejects, truncated, continued;
};

/*
 * Runs a whole input: reads lines from r (ingest framing if the first line
 * is "#omsec-ingest\t1", else one source named path with the given mtime),
 * writes events and "#stats" trailers to out, and rejected lines to rej
 * (NULL: not written). The events header is written by the caller once
 * (omsec_parse_write_header), so several inputs make one stream.
 * Returns 0, or -1 on a read error (errno set). Output errors are latched
 * in out/rej for the caller to check.
 */
int omsec_parse_stream(struct omsec_parse *p, struct omsec_reader *r,
    const char *path, int64_t mtime, struct omsec_out *out,
    struct omsec_out *rej, struct omsec_parse_totals *tot);

/* Writes the events header (TSV only; nothing for JSON). */
void omsec_parse_write_header(struct omsec_parse *p, struct omsec_out *out);
/* Writes the rejects header "#omsec-rejects\t1". */
void omsec_parse_write_rejects_header(struct omsec_out *rej);

#endif
