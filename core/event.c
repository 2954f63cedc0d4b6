/*
 * event.c - the event record's TSV and JSON forms (docs/formats.md §2).
 *
 * Writing is one pass over the fields through the escapers of out.c,
 * straight into the output buffer when the worst case of the escaped line
 * fits there (all but events of over about 40 KiB); fields inside the
 * event's tsv_clean bytes are copied as they are. Reading splits a line in
 * place and unescapes each field in place. Neither allocates.
 */

/* OMSEC_NO_SSE2 builds the portable reader on x86-64 too, for its tests. */
#if defined(__SSE2__) && !defined(OMSEC_NO_SSE2)
#define SPLIT_SSE2 1
#include <emmintrin.h>
#endif

#include "event.h"
#include "otime.h"
#include "out.h"
#include "strnum.h"
#include "swar.h"

/* The JSON writer's key, with its separators, is spelled out once here. */
#define F(tsv, ecs, number) \
	{ tsv, ecs, number, ",\"" ecs "\":", sizeof(",\"" ecs "\":") - 1 }

static const struct {
	const char *tsv;
	const char *ecs;
	int number;
	char jkey[32];		/* ,"ecs": copied 32 bytes at a time */
	size_t jkey_n;
} fields[OMSEC_F_COUNT] = {
	[OMSEC_F_TS] = F("ts", "@timestamp", 0),
	[OMSEC_F_HOST] = F("host", "host.name", 0),
	[OMSEC_F_MODULE] = F("module", "event.module", 0),
	[OMSEC_F_CATEGORY] = F("category", "event.category", 0),
	[OMSEC_F_ACTION] = F("action", "event.action", 0),
	[OMSEC_F_OUTCOME] = F("outcome", "event.outcome", 0),
	[OMSEC_F_SEVERITY] = F("severity", "event.severity", 1),
	[OMSEC_F_SRC_IP] = F("src_ip", "source.ip", 0),
	[OMSEC_F_SRC_PORT] = F("src_port", "source.port", 1),
	[OMSEC_F_DST_IP] = F("dst_ip", "destination.ip", 0),
	[OMSEC_F_DST_PORT] = F("dst_port", "destination.port", 1),
	[OMSEC_F_USER] = F("user", "user.name", 0),
	[OMSEC_F_PROCESS] = F("process", "process.name", 0),
	[OMSEC_F_PID] = F("pid", "process.pid", 1),
	[OMSEC_F_METHOD] = F("method", "http.request.method", 0),
	[OMSEC_F_URL] = F("url", "url.original", 0),
	[OMSEC_F_STATUS] = F("status", "http.response.status_code", 1),
	[OMSEC_F_BYTES] = F("bytes", "http.response.body.bytes", 1),
	[OMSEC_F_USER_AGENT] = F("user_agent", "user_agent.original", 0),
	[OMSEC_F_RULE_ID] = F("rule_id", "rule.id", 0),
	[OMSEC_F_RULE_NAME] = F("rule_name", "rule.name", 0),
	[OMSEC_F_COUNTRY] = F("country", "source.geo.country_iso_code", 0),
	[OMSEC_F_CITY] = F("city", "source.geo.city_name", 0),
	[OMSEC_F_ASN] = F("asn", "source.as.number", 1),
	[OMSEC_F_AS_ORG] = F("as_org", "source.as.organization.name", 0),
	[OMSEC_F_ZONE] = F("zone", "omsec.source.zone", 0),
	[OMSEC_F_REF] = F("ref", "log.file.path", 0),
	[OMSEC_F_MSG] = F("msg", "message", 0),
	[OMSEC_F_ASSET] = F("asset", "omsec.asset.id", 0),
};
#undef F

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

/* Decimal v at d; returns the end (at most 20 bytes). */
static char *
put_i64(char *d, int64_t v)
{
	char tmp[20];
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	size_t n = 0;

	do
		tmp[sizeof(tmp) - ++n] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*d++ = '-';
	memcpy(d, tmp + sizeof(tmp) - n, n);
	return d + n;
}

/* The severity at d; returns the end. One digit (0-4) is all but certain. */
static inline char *
put_severity(char *d, int v)
{
	if (v >= 0 && v <= 9) {
		*d = (char)('0' + v);
		return d + 1;
	}
	return put_i64(d, v);
}

/*
 * Copies n bytes that need no escape. Most fields are short (a port, an
 * address, a user): two overlapping loads and stores cost less than a call
 * to memcpy, and read and write only the n bytes.
 */
static inline char *
put_plain(char *d, const char *p, size_t n)
{
	uint64_t a, b;
	uint32_t x, y;

	if (n >= 8 && n <= 16) {
		memcpy(&a, p, 8);
		memcpy(&b, p + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4 && n < 8) {
		memcpy(&x, p, 4);
		memcpy(&y, p + n - 4, 4);
		memcpy(d, &x, 4);
		memcpy(d + n - 4, &y, 4);
	} else
		memcpy(d, p, n);
	return d + n;
}

/*
 * '\t' and the TSV form of v at d. v is known plain when marked so
 * (plain is 1) or when it lies inside [lo, hi).
 */
static inline char *
put_tsv_field(char *d, struct omsec_span v, uint32_t plain, uintptr_t lo,
    uintptr_t hi)
{
	*d++ = '\t';
	if (v.n == 0) {
		*d = '-';
		return d + 1;
	}
	/* As integers: the fields may point into other objects. A lone
	 * "-" is plain but must be escaped, so known plain starts at 2. */
	if (plain || (v.n > 1 && (uintptr_t)v.p >= lo &&
	    (uintptr_t)v.p + v.n <= hi))
		return put_plain(d, v.p, v.n);
	return omsec_tsv_escape(d, v);
}

int
omsec_event_plain_ok(const struct omsec_event *ev)
{
	for (int i = 0; i < OMSEC_F_COUNT; i++) {
		struct omsec_span v = ev->f[i];

		if ((ev->tsv_plain & OMSEC_FIELD_BIT(i)) && v.n > 0 &&
		    (!omsec_tsv_plain(v) || (v.n == 1 && v.p[0] == '-')))
			return 0;
	}
	return 1;
}

void
omsec_event_write_tsv(struct omsec_out *o, const struct omsec_event *ev)
{
	uintptr_t lo = (uintptr_t)ev->tsv_clean.p;
	uintptr_t hi = lo + ev->tsv_clean.n;
	size_t sum = 0, need;
	char *d;
	int i;

	/* The time, the sum over the fields of 1 + OMSEC_TSV_MAX(n), the
	 * severity's 21 bytes and '\n', added up the cheap way. */
#pragma GCC unroll 32
	for (i = 1; i < OMSEC_F_COUNT; i++)
		sum += ev->f[i].n;
	need = OMSEC_ISO_LEN + 21 + 1 +
	    (OMSEC_F_COUNT - 1) * (1 + OMSEC_TSV_MAX(0)) + 4 * sum;
	if ((d = omsec_out_reserve(o, need)) != NULL) {
		memcpy(d, omsec_out_iso_text(o, ev->ts_ms), OMSEC_ISO_LEN);
		d += OMSEC_ISO_LEN;
#pragma GCC unroll 32
		for (i = 1; i < OMSEC_F_SEVERITY; i++)
			d = put_tsv_field(d, ev->f[i],
			    ev->tsv_plain >> i & 1, lo, hi);
		*d++ = '\t';
		d = put_severity(d, ev->severity);
#pragma GCC unroll 32
		for (i = OMSEC_F_SEVERITY + 1; i < OMSEC_F_COUNT; i++)
			d = put_tsv_field(d, ev->f[i],
			    ev->tsv_plain >> i & 1, lo, hi);
		*d++ = '\n';
		omsec_out_commit(o, d);
		return;
	}
	omsec_out_iso(o, ev->ts_ms);
	for (i = 1; i < OMSEC_F_COUNT; i++) {
		omsec_out_putc(o, '\t');
		if (i == OMSEC_F_SEVERITY)
			omsec_out_i64(o, ev->severity);
		else
			omsec_out_tsv(o, ev->f[i]);
	}
	omsec_out_putc(o, '\n');
}

/*
 * 1 if s is a decimal number that JSON can carry as one: digits only (no
 * sign: JSON has no "+", and these fields are never negative), no leading
 * zero, and at most 18 digits so that every reader's int64 holds it.
 */
static int
is_json_number(struct omsec_span s)
{
	size_t i;

	if (s.n == 0 || s.n > 18 || (s.n > 1 && s.p[0] == '0'))
		return 0;
	for (i = 0; i < s.n; i++)
		if ((unsigned char)(s.p[i] - '0') > 9)
			return 0;
	return 1;
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

/* Copies the NUL-terminated s to d; returns the end. */
static char *
put_str(char *d, const char *s)
{
	size_t n = strlen(s);

	memcpy(d, s, n);
	return d + n;
}

/* Longest ECS name in fields[] plus the quotes and separators around it. */
#define JSON_KEY_MAX 64

/* Bytes write_json_at may write for ev; 0 when they would not fit. */
static size_t
json_need(const struct omsec_event *ev)
{
	size_t sum = 0;
	int i;

	for (i = 1; i < OMSEC_F_COUNT; i++)
		sum += ev->f[i].n;
	if (sum > (size_t)1 << 20)
		return 0;
	/* "{@timestamp..." up to the severity, "}\n"; a key per field. */
	return 64 + OMSEC_ISO_LEN + (OMSEC_F_COUNT - 1) * JSON_KEY_MAX +
	    OMSEC_JSON_MAX(sum);
}

/* The JSON form of ev after its timestamp, at d; returns the end. */
static char *
write_json_at(char *d, const struct omsec_event *ev)
{
	int i;

	d = put_str(d, "\",\"event.severity\":");
	d = put_severity(d, ev->severity);
	for (i = 1; i < OMSEC_F_COUNT; i++) {
		struct omsec_span v = ev->f[i], path, line;

		if (i == OMSEC_F_SEVERITY || v.n == 0)
			continue;
		if (i == OMSEC_F_REF && split_ref(v, &path, &line) == 0) {
			d = put_str(d, ",\"log.file.path\":\"");
			d = omsec_json_escape(d, path);
			d = put_str(d, "\",\"log.file.line\":");
			memcpy(d, line.p, line.n);
			d += line.n;
			continue;
		}
		/* A whole jkey: the bytes past jkey_n are written over. */
		memcpy(d, fields[i].jkey, sizeof(fields[i].jkey));
		d += fields[i].jkey_n;
		if (fields[i].number && is_json_number(v)) {
			memcpy(d, v.p, v.n);
			d += v.n;
			continue;
		}
		*d++ = '"';
		d = omsec_json_escape(d, v);
		*d++ = '"';
	}
	return put_str(d, "}\n");
}

void
omsec_event_write_json(struct omsec_out *o, const struct omsec_event *ev)
{
	size_t need = json_need(ev);
	char *d;
	int i;

	if (need > 0 && (d = omsec_out_reserve(o, need)) != NULL) {
		d = put_str(d, "{\"@timestamp\":\"");
		memcpy(d, omsec_out_iso_text(o, ev->ts_ms), OMSEC_ISO_LEN);
		omsec_out_commit(o, write_json_at(d + OMSEC_ISO_LEN, ev));
		return;
	}
	/* A line too long for the buffer: piece by piece. */
	omsec_out_str(o, "{\"@timestamp\":\"");
	omsec_out_iso(o, ev->ts_ms);
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
	c->identity = 1;
	c->have_version = 0;
	c->ts_valid = 0;
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
	c->identity = col == OMSEC_F_COUNT;
	for (i = 0; i < OMSEC_F_COUNT; i++)
		c->identity &= c->col_of[i] == i;
	return c->col_of[OMSEC_F_TS] < 0 ? -1 : 0;
}

int
omsec_tsv_split(struct omsec_span *cols, int max, const char *line,
    size_t len, int *plain)
{
	uint64_t odd = 0;
	size_t i = 0, start = 0;
	int ncol = 0;

#ifdef SPLIT_SSE2
	/* Sixteen bytes at a time: a bit per tab, lowest first, and a bit
	 * per byte that TSV escapes (control bytes but the tab, backslash,
	 * DEL). */
	const __m128i tab = _mm_set1_epi8('\t'), bsl = _mm_set1_epi8('\\');
	const __m128i del = _mm_set1_epi8(0x7f), c1f = _mm_set1_epi8(0x1f);

	for (; len - i >= 16; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(line + i));
		unsigned tm = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, tab));
		unsigned sm = (unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(v, bsl), _mm_cmpeq_epi8(v, del)),
		    _mm_cmpeq_epi8(_mm_max_epu8(v, c1f), c1f)));

		odd |= sm & ~tm;
		for (; tm != 0; tm &= tm - 1) {
			size_t at = i + (size_t)__builtin_ctz(tm);
			if (ncol == max)
				return -1;
			cols[ncol++] = omsec_span_make(line + start, at - start);
			start = at + 1;
		}
	}
#else
	/* Eight bytes at a time (SWAR), the same bits in 0x80 of each byte;
	 * the tests are exact, so a tab is never taken for a control byte. */
	for (; len - i >= 8; i += 8) {
		uint64_t x = load_le64(line + i), t;

		t = zero_bytes(x ^ B8('\t'));
		odd |= tsv_special_bits8(x) & ~t;
		for (; t != 0; t &= t - 1) {
			size_t at = i + (size_t)__builtin_ctzll(t) / 8;
			if (ncol == max)
				return -1;
			cols[ncol++] = omsec_span_make(line + start, at - start);
			start = at + 1;
		}
	}
#endif
	for (; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c == '\t') {
			if (ncol == max)
				return -1;
			cols[ncol++] = omsec_span_make(line + start, i - start);
			start = i + 1;
		} else if (c < 0x20 || c == '\\' || c == 0x7f)
			odd = 1;
	}
	if (ncol == max)
		return -1;
	cols[ncol++] = omsec_span_make(line + start, len - start);
	*plain = odd == 0;
	return ncol;
}

static inline unsigned
digit(char c)
{
	return (unsigned)(c - '0');
}

/*
 * Reads ts. Events come in bursts: when ts is "YYYY-MM-DDTHH:MM:SS.mmmZ",
 * as we write it, in the minute of the last one parsed, its time is that
 * minute's plus the seconds and milliseconds, what omsec_parse_iso would
 * add up (a leap second "60" is left to it).
 */
static int
read_ts(struct omsec_event_cols *c, int64_t *ms, struct omsec_span ts)
{
	int had_zone, canon;
	unsigned s1 = 9, s0 = 9, m2 = 9, m1 = 9, m0 = 9;

	canon = ts.n == 24 && ts.p[19] == '.' && ts.p[23] == 'Z' &&
	    (s1 = digit(ts.p[17])) <= 5 && (s0 = digit(ts.p[18])) <= 9 &&
	    (m2 = digit(ts.p[20])) <= 9 && (m1 = digit(ts.p[21])) <= 9 &&
	    (m0 = digit(ts.p[22])) <= 9;
	if (canon && c->ts_valid && memcmp(ts.p, c->ts_key, 17) == 0) {
		*ms = c->ts_ms + (int64_t)(s1 * 10 + s0) * 1000 +
		    m2 * 100 + m1 * 10 + m0;
		return 0;
	}
	if (omsec_parse_iso(ms, &had_zone, ts) != 0)
		return -1;
	/* Times before 1970 are rare enough to skip the cache. */
	c->ts_valid = canon && *ms >= 0;
	if (c->ts_valid) {
		memcpy(c->ts_key, ts.p, 17);
		c->ts_ms = *ms - *ms % 60000;
	}
	return 0;
}

int
omsec_event_read_tsv(struct omsec_event_cols *c, struct omsec_event *ev,
    char *line, size_t len, const char **why)
{
	/* Column spans of this line; streams carry at most 64 columns. */
	struct omsec_span cols[64];
	const struct omsec_span *col;
	int ncol, i, backslash, plain;

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
	ev->tsv_clean = OMSEC_SPAN_NULL;
	ev->tsv_plain = 0;
	/* Columns in the writer's order (most streams): straight into the
	 * event. Otherwise, or when the count is off, through cols. */
	if (c->identity &&
	    omsec_tsv_split(ev->f, OMSEC_F_COUNT, line, len, &plain) ==
	    OMSEC_F_COUNT)
		col = ev->f;
	else {
		if ((ncol = omsec_tsv_split(cols, 64, line, len, &plain)) < 0) {
			*why = "too many columns";
			return -1;
		}
		if (ncol != c->ncols) {
			*why = "wrong number of columns";
			return -1;
		}
		col = cols;
	}
	/* A plain line (most are) has nothing to unescape, and its fields
	 * can be written back as they are. */
	backslash = !plain && memchr(line, '\\', len) != NULL;
	if (col == ev->f && !backslash) {
		/* Already in place: only "-" (empty) to undo. */
		for (i = 0; i < OMSEC_F_COUNT; i++)
			if (ev->f[i].n == 1 && ev->f[i].p[0] == '-')
				ev->f[i].n = 0;
	} else for (i = 0; i < OMSEC_F_COUNT; i++) {
		struct omsec_span f;
		long n;
		int k = c->col_of[i];

		if (k < 0) {
			ev->f[i] = OMSEC_SPAN_NULL;
			continue;
		}
		f = col[k];
		if (backslash)
			n = omsec_tsv_unescape((char *)f.p, f.n);
		else
			n = f.n == 1 && f.p[0] == '-' ? 0 : (long)f.n;
		if (n < 0) {
			*why = "bad escape sequence";
			return -1;
		}
		ev->f[i] = omsec_span_make(f.p, (size_t)n);
	}
	if (plain)
		ev->tsv_clean = omsec_span_make(line, len);
	if (read_ts(c, &ev->ts_ms, ev->f[OMSEC_F_TS]) != 0) {
		*why = "bad timestamp";
		return -1;
	}
	int64_t sev = 0;
	struct omsec_span sv = ev->f[OMSEC_F_SEVERITY];
	/* One digit 0-4 (all we write) is what omsec_strtonum takes. */
	if (sv.n == 1 && digit(sv.p[0]) <= 4)
		sev = digit(sv.p[0]);
	else if (sv.n && omsec_strtonum(&sev, sv, 0, 4) != 0) {
		*why = "bad severity";
		return -1;
	}
	ev->severity = (int)sev;
	return 1;
}
