/*
 * event.h - the normalised security event, and its TSV and JSON forms.
 *
 * The column list below is the version-1 contract of docs/formats.md. An
 * event holds spans only: it owns no memory, and is valid as long as the
 * buffers its spans point into (the parser's line, the reader's buffer).
 * Writing an event costs one pass over its bytes; reading one splits the line
 * in place (no allocation).
 */
#ifndef OMSEC_EVENT_H
#define OMSEC_EVENT_H

#include <stdint.h>
#include "span.h"

struct omsec_out;

enum omsec_field {
	OMSEC_F_TS,		/* derived from ts_ms on write */
	OMSEC_F_HOST,
	OMSEC_F_MODULE,
	OMSEC_F_CATEGORY,
	OMSEC_F_ACTION,
	OMSEC_F_OUTCOME,
	OMSEC_F_SEVERITY,	/* derived from severity on write */
	OMSEC_F_SRC_IP,
	OMSEC_F_SRC_PORT,
	OMSEC_F_DST_IP,
	OMSEC_F_DST_PORT,
	OMSEC_F_USER,
	OMSEC_F_PROCESS,
	OMSEC_F_PID,
	OMSEC_F_METHOD,
	OMSEC_F_URL,
	OMSEC_F_STATUS,
	OMSEC_F_BYTES,
	OMSEC_F_USER_AGENT,
	OMSEC_F_RULE_ID,
	OMSEC_F_RULE_NAME,
	OMSEC_F_COUNTRY,
	OMSEC_F_CITY,
	OMSEC_F_ASN,
	OMSEC_F_AS_ORG,
	OMSEC_F_ZONE,
	OMSEC_F_REF,
	OMSEC_F_MSG,
	OMSEC_F_ASSET,		/* inventory asset id (omsec-enrich) */
	OMSEC_F_COUNT
};

/* Severity scale of event.severity. */
enum omsec_severity {
	OMSEC_SEV_INFO = 0,
	OMSEC_SEV_LOW = 1,
	OMSEC_SEV_MEDIUM = 2,
	OMSEC_SEV_HIGH = 3,
	OMSEC_SEV_CRITICAL = 4
};

struct omsec_event {
	int64_t ts_ms;		/* UTC milliseconds since the epoch */
	int severity;		/* enum omsec_severity */
	struct omsec_span f[OMSEC_F_COUNT];
	/*
	 * Optional: bytes known to hold nothing that TSV escapes (the raw
	 * line, when omsec_tsv_plain says so). A field inside them is copied
	 * to TSV without a look at each byte. Empty when unknown.
	 */
	struct omsec_span tsv_clean;
	/*
	 * Optional: OMSEC_FIELD_BIT(f) for each field f known to be written
	 * to TSV as it is (no byte that TSV escapes, and not a lone "-"):
	 * the names a parser sets from its own literals, such as the event
	 * class and the ref. They skip the escaper. 0 when unknown;
	 * omsec_event_plain_ok checks the claim.
	 */
	uint32_t tsv_plain;
};

#define OMSEC_FIELD_BIT(f) (UINT32_C(1) << (f))

/* TSV column name and ECS name of a field. */
const char *omsec_field_name(enum omsec_field f);
const char *omsec_field_ecs(enum omsec_field f);
/* 1 if the field is written as a JSON number. */
int omsec_field_is_number(enum omsec_field f);

/* 1 if every field marked in ev->tsv_plain is written to TSV as it is. */
int omsec_event_plain_ok(const struct omsec_event *ev);

/* Clears all fields (spans empty, ts 0, severity 0). */
void omsec_event_clear(struct omsec_event *ev);

/* Writes "#omsec-events\t1\n#fields\t...\n". */
void omsec_event_write_header(struct omsec_out *o);
/* Writes one event as a TSV line, escaping every field. */
void omsec_event_write_tsv(struct omsec_out *o, const struct omsec_event *ev);
/* Writes one event as a JSON object on one line (ECS dotted keys). */
void omsec_event_write_json(struct omsec_out *o, const struct omsec_event *ev);

/* Writes a "#stats" trailer line (docs/formats.md). */
void omsec_stats_write(struct omsec_out *o, struct omsec_span path,
    uint64_t lines, uint64_t events, uint64_t rejects, uint64_t truncated);

/*
 * Column map of an event stream: which TSV column holds which field, built
 * from the "#fields" line so that readers survive added columns.
 */
struct omsec_event_cols {
	int col_of[OMSEC_F_COUNT];	/* -1 when the stream lacks the field */
	int ncols;
	int identity;			/* col_of[i] == i, ncols == OMSEC_F_COUNT */
	int have_version;		/* saw "#omsec-events\t1" */
	/* The last ts read, up to its minute: events come in bursts. */
	char ts_key[17];
	int ts_valid;
	int64_t ts_ms;			/* of ts_key, at second 0 */
};

void omsec_event_cols_init(struct omsec_event_cols *c);

/*
 * Reads one line of an event stream in place.
 * Returns 1 when *ev holds an event (spans into line, unescaped),
 *         0 for a header or comment line it consumed ("#omsec-events",
 *           "#fields"; other '#' lines are also 0 and the caller may look
 *           at them, e.g. "#stats"),
 *        -1 for a malformed line; *why is a static message.
 * Before a "#fields" line the version-1 column order is assumed.
 */
int omsec_event_read_tsv(struct omsec_event_cols *c, struct omsec_event *ev,
    char *line, size_t len, const char **why);

/*
 * Splits a TSV line at its tabs into cols[0..max) (spans into line, not
 * unescaped). Returns the number of columns, or -1 when there are more
 * than max (cols then holds the first max). *plain is set to 1 when no
 * byte but the tabs is one that TSV escapes: nothing to unescape, and
 * every field written back as it is.
 */
int omsec_tsv_split(struct omsec_span *cols, int max, const char *line,
    size_t len, int *plain);

#endif
