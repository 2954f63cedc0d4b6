/*
 * event.c - the event record's TSV and JSON forms (docs/formats.md §2).
 *
 * Writing is one pass over the fields through the escapers of out.c;
 * reading splits a line in place with memchr and unescapes each field in
 * place. Neither allocates.
 */
#include "event.h"
#include "otime.h"
#include "out.h"
#include "strnum.h"

static const struct {
	const char *tsv;
	const char *ecs;
	int number;
} fields[OMSEC_F_COUNT] = {
	[OMSEC_F_TS] = { "ts", "@timestamp", 0 },
	[OMSEC_F_HOST] = { "host", "host.name", 0 },
	[OMSEC_F_MODULE] = { "module", "event.module", 0 },
	[OMSEC_F_CATEGORY] = { "category", "event.category", 0 },
	[OMSEC_F_ACTION] = { "action", "event.action", 0 },
	[OMSEC_F_OUTCOME] = { "outcome", "event.outcome", 0 },
	[OMSEC_F_SEVERITY] = { "severity", "event.severity", 1 },
	[OMSEC_F_SRC_IP] = { "src_ip", "source.ip", 0 },
	[OMSEC_F_SRC_PORT] = { "src_port", "source.port", 1 },
	[OMSEC_F_DST_IP] = { "dst_ip", "destination.ip", 0 },
	[OMSEC_F_DST_PORT] = { "dst_port", "destination.port", 1 },
	[OMSEC_F_USER] = { "user", "user.name", 0 },
	[OMSEC_F_PROCESS] = { "process", "process.name", 0 },
	[OMSEC_F_PID] = { "pid", "process.pid", 1 },
	[OMSEC_F_METHOD] = { "method", "http.request.method", 0 },
	[OMSEC_F_URL] = { "url", "url.original", 0 },
	[OMSEC_F_STATUS] = { "status", "http.response.status_code", 1 },
	[OMSEC_F_BYTES] = { "bytes", "http.response.body.bytes", 1 },
	[OMSEC_F_USER_AGENT] = { "user_agent", "user_agent.original", 0 },
	[OMSEC_F_RULE_ID] = { "rule_id", "rule.id", 0 },
	[OMSEC_F_RULE_NAME] = { "rule_name", "rule.name", 0 },
	[OMSEC_F_COUNTRY] = { "country", "source.geo.country_iso_code", 0 },
	[OMSEC_F_CITY] = { "city", "source.geo.city_name", 0 },
	[OMSEC_F_ASN] = { "asn", "source.as.number", 1 },
	[OMSEC_F_AS_ORG] = { "as_org", "source.as.organization.name", 0 },
	[OMSEC_F_ZONE] = { "zone", "omsec.source.zone", 0 },
	[OMSEC_F_REF] = { "ref", "log.file.path", 0 },
	[OMSEC_F_MSG] = { "msg", "message", 0 },
};

const char *
omsec_field_name(enum omsec_field f)
{
	return f < OMSEC_F_COUNT ? fields[f].tsv : NULL;
}

const char *
omsec_field_ecs(enum omsec_field f)
{
	return f < OMSEC_F_COUNT ? fields[f].ecs : NULL;
}

int
omsec_field_is_number(enum omsec_field f)
{
	return f < OMSEC_F_COUNT && fields[f].number;
}

void
omsec_event_clear(struct omsec_event *ev)
{
	memset(ev, 0, sizeof(*ev));
}

void
omsec_event_write_header(struct omsec_out *o)
{
	int i;

	omsec_out_str(o, "#omsec-events\t1\n#fields");
	for (i = 0; i < OMSEC_F_COUNT; i++) {
		omsec_out_putc(o, '\t');
		omsec_out_str(o, fields[i].tsv);
	}
	omsec_out_putc(o, '\n');
}

void
omsec_event_write_tsv(struct omsec_out *o, const struct omsec_event *ev)
{
	char ts[25];
	int i;

	omsec_format_iso(ts, ev->ts_ms);
	omsec_out_write(o, ts, 24);
	for (i = 1; i < OMSEC_F_COUNT; i++) {
		omsec_out_putc(o, '\t');
		if (i == OMSEC_F_SEVERITY)
			omsec_out_i64(o, ev->severity);
		else
			omsec_out_tsv(o, ev->f[i]);
	}
	omsec_out_putc(o, '\n');
}

/* 1 if s is a plain decimal number that JSON can carry as one. */
static int
is_json_number(struct omsec_span s)
{
	int64_t v;

	if (s.n == 0 || s.n > 18 || (s.n > 1 && s.p[0] == '0'))
		return 0;
	return omsec_strtonum(&v, s, 0, INT64_MAX) == 0;
}

/* Splits "path:line" at the last ':' so JSON gets log.file.path and line. */
static int
split_ref(struct omsec_span ref, struct omsec_span *path, struct omsec_span *line)
{
	size_t i = ref.n;

	while (i > 0 && ref.p[i - 1] != ':')
		i--;
	if (i == 0 || !is_json_number(omsec_span_make(ref.p + i, ref.n - i)))
		return -1;
	*path = omsec_span_make(ref.p, i - 1);
	*line = omsec_span_make(ref.p + i, ref.n - i);
	return 0;
}

void
omsec_event_write_json(struct omsec_out *o, const struct omsec_event *ev)
{
	char ts[25];
	int i;

	omsec_format_iso(ts, ev->ts_ms);
	omsec_out_str(o, "{\"@timestamp\":\"");
	omsec_out_write(o, ts, 24);
	omsec_out_str(o, "\",\"event.severity\":");
	omsec_out_i64(o, ev->severity);
	for (i = 1; i < OMSEC_F_COUNT; i++) {
		struct omsec_span v = ev->f[i], path, line;

		if (i == OMSEC_F_SEVERITY || v.n == 0)
			continue;
		if (i == OMSEC_F_REF && split_ref(v, &path, &line) == 0) {
			omsec_out_str(o, ",\"log.file.path\":\"");
			omsec_out_json(o, path);
			omsec_out_str(o, "\",\"log.file.line\":");
			omsec_out_span(o, line);
			continue;
		}
		omsec_out_str(o, ",\"");
		omsec_out_str(o, fields[i].ecs);
		omsec_out_str(o, "\":");
		if (fields[i].number && is_json_number(v)) {
			omsec_out_span(o, v);
			continue;
		}
		omsec_out_putc(o, '"');
		omsec_out_json(o, v);
		omsec_out_putc(o, '"');
	}
	omsec_out_str(o, "}\n");
}

void
omsec_stats_write(struct omsec_out *o, struct omsec_span path, uint64_t lines,
    uint64_t events, uint64_t rejects, uint64_t truncated)
{
	omsec_out_str(o, "#stats\t");
	omsec_out_tsv(o, path);
	omsec_out_putc(o, '\t');
	omsec_out_u64(o, lines);
	omsec_out_putc(o, '\t');
	omsec_out_u64(o, events);
	omsec_out_putc(o, '\t');
	omsec_out_u64(o, rejects);
	omsec_out_putc(o, '\t');
	omsec_out_u64(o, truncated);
	omsec_out_putc(o, '\n');
}

void
omsec_event_cols_init(struct omsec_event_cols *c)
{
	int i;

	for (i = 0; i < OMSEC_F_COUNT; i++)
		c->col_of[i] = i;
	c->ncols = OMSEC_F_COUNT;
	c->have_version = 0;
}

/* Maps column names of a "#fields" line (after the tag) to fields. */
static int
read_fields_line(struct omsec_event_cols *c, char *p, size_t n)
{
	int i, col = 0;
	size_t start = 0;

	for (i = 0; i < OMSEC_F_COUNT; i++)
		c->col_of[i] = -1;
	while (start <= n) {
		char *tab = memchr(p + start, '\t', n - start);
		size_t end = tab ? (size_t)(tab - p) : n;
		struct omsec_span name = omsec_span_make(p + start, end - start);

		for (i = 0; i < OMSEC_F_COUNT; i++)
			if (omsec_span_eq(name, fields[i].tsv)) {
				c->col_of[i] = col;
				break;
			}
		col++;
		start = end + 1;
	}
	c->ncols = col;
	return c->col_of[OMSEC_F_TS] < 0 ? -1 : 0;
}

int
omsec_event_read_tsv(struct omsec_event_cols *c, struct omsec_event *ev,
    char *line, size_t len, const char **why)
{
	/* Column spans of this line; streams carry at most 64 columns. */
	struct omsec_span cols[64];
	size_t start = 0;
	int ncol = 0, i;

	*why = NULL;
	if (len > 0 && line[0] == '#') {
		struct omsec_span l = omsec_span_make(line, len);
		if (omsec_span_eq(l, "#omsec-events\t1")) {
			c->have_version = 1;
			return 0;
		}
		if (omsec_span_has_prefix(l, "#omsec-events\t")) {
			*why = "unsupported event stream version";
			return -1;
		}
		if (omsec_span_has_prefix(l, "#fields\t")) {
			if (read_fields_line(c, line + 8, len - 8) != 0) {
				*why = "#fields line has no ts column";
				return -1;
			}
		}
		return 0;
	}
	for (;;) {
		char *tab = memchr(line + start, '\t', len - start);
		size_t end = tab ? (size_t)(tab - line) : len;

		if (ncol == 64) {
			*why = "too many columns";
			return -1;
		}
		cols[ncol++] = omsec_span_make(line + start, end - start);
		if (tab == NULL)
			break;
		start = end + 1;
	}
	if (ncol != c->ncols) {
		*why = "wrong number of columns";
		return -1;
	}
	for (i = 0; i < OMSEC_F_COUNT; i++) {
		long n;
		int k = c->col_of[i];

		if (k < 0) {
			ev->f[i] = OMSEC_SPAN_NULL;
			continue;
		}
		n = omsec_tsv_unescape((char *)cols[k].p, cols[k].n);
		if (n < 0) {
			*why = "bad escape sequence";
			return -1;
		}
		ev->f[i] = omsec_span_make(cols[k].p, (size_t)n);
	}
	int had_zone;
	if (omsec_parse_iso(&ev->ts_ms, &had_zone, ev->f[OMSEC_F_TS]) != 0) {
		*why = "bad timestamp";
		return -1;
	}
	int64_t sev = 0;
	if (ev->f[OMSEC_F_SEVERITY].n &&
	    omsec_strtonum(&sev, ev->f[OMSEC_F_SEVERITY], 0, 4) != 0) {
		*why = "bad severity";
		return -1;
	}
	ev->severity = (int)sev;
	return 1;
}
