/*
 * jsonmap.c - generic JSON Lines: each event field taken from a key path
 * named in the site configuration's [json] section (docs/site.ini.md).
 *
 *   [json]
 *   ts        = @timestamp          ; dotted path: nested objects or a
 *   src_ip    = client.ip           ;  literal "client.ip" key alike
 *   user      = user.name
 *   action    = event.action
 *   module    = "myapp"             ; a quoted value is a constant
 *   ts_format = iso8601             ; iso8601 (default), epoch, epoch_ms
 *
 *   {"@timestamp":"2026-11-03T02:14:07Z","client":{"ip":"203.0.113.9"},"user.name":"bob","event":{"action":"login"}}
 *
 * Only for sources typed "json" (--type, a "#source" hint or [types]):
 * any JSON object would match, so it is never sniffed. Defaults: module
 * json, category host, action log, outcome unknown, severity 0 (a mapped
 * severity must be 0-4), msg the whole line. A line that is not one JSON
 * object, or whose time is missing or unreadable, is rejected. The object
 * is walked once, keeping the dotted path of the current key in a fixed
 * buffer (paths over 255 bytes never match); string values with escapes
 * are decoded into cx->scratch. No allocation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pint.h"
#include "strnum.h"

#define S OMSEC_SPAN_LIT
#define MAXPATH 256
#define MAXDEPTH 32

struct omsec_jsonmap {
	char path[OMSEC_F_COUNT][128];	/* "" = not from the object */
	struct omsec_span konst[OMSEC_F_COUNT];
	char kbuf[OMSEC_F_COUNT][128];
	int ts_format;			/* 0 iso8601, 1 epoch, 2 epoch_ms */
	int nmapped;
};

enum { TS_ISO, TS_EPOCH, TS_EPOCH_MS };

static int
field_index(const char *name)
{
	for (int f = 0; f < OMSEC_F_COUNT; f++)
		if (strcmp(name, omsec_field_name((enum omsec_field)f)) == 0)
			return f;
	return -1;
}

struct omsec_jsonmap *
omsec_jsonmap_new(const char *const *names, const char *const *values, int n,
    char *err, size_t errcap)
{
	struct omsec_jsonmap *m = calloc(1, sizeof(*m));

	if (m == NULL) {
		snprintf(err, errcap, "out of memory");
		return NULL;
	}
	for (int i = 0; i < n; i++) {
		const char *v = values[i];
		size_t vn = strlen(v);
		int f;

		if (strcmp(names[i], "ts_format") == 0) {
			if (strcmp(v, "iso8601") == 0)
				m->ts_format = TS_ISO;
			else if (strcmp(v, "epoch") == 0)
				m->ts_format = TS_EPOCH;
			else if (strcmp(v, "epoch_ms") == 0)
				m->ts_format = TS_EPOCH_MS;
			else {
				snprintf(err, errcap, "[json] ts_format: '%.64s' is "
				    "not iso8601, epoch or epoch_ms", v);
				free(m);
				return NULL;
			}
			continue;
		}
		if ((f = field_index(names[i])) < 0 || f == OMSEC_F_REF ||
		    vn == 0 || vn >= sizeof(m->path[0])) {
			snprintf(err, errcap, "[json] %.64s: not an event field "
			    "with a key path", names[i]);
			free(m);
			return NULL;
		}
		if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') {
			if (f == OMSEC_F_TS) {
				snprintf(err, errcap, "[json] ts: a key path, not "
				    "a constant");
				free(m);
				return NULL;
			}
			memcpy(m->kbuf[f], v + 1, vn - 2);
			m->konst[f] = omsec_span_make(m->kbuf[f], vn - 2);
			m->path[f][0] = '\0';
		} else {
			memcpy(m->path[f], v, vn + 1);
			m->konst[f] = OMSEC_SPAN_NULL;
			m->nmapped++;
		}
	}
	if (m->path[OMSEC_F_TS][0] == '\0') {
		snprintf(err, errcap, "[json] has no ts = key path of the time");
		free(m);
		return NULL;
	}
	return m;
}

void
omsec_jsonmap_free(struct omsec_jsonmap *m)
{
	free(m);
}

/* The field whose path is p (n bytes), or -1; *prefix if one goes deeper. */
static int
lookup(const struct omsec_jsonmap *m, const char *p, size_t n, int *prefix)
{
	int hit = -1;

	*prefix = 0;
	for (int f = 0; f < OMSEC_F_COUNT; f++) {
		const char *q = m->path[f];
		if (q[0] == '\0' || strncmp(q, p, n) != 0)
			continue;
		if (q[n] == '\0')
			hit = f;
		else if (q[n] == '.')
			*prefix = 1;
	}
	return hit;
}

struct walk {
	struct omsec_pctx *cx;
	const struct omsec_jsonmap *m;
	struct omsec_span *v;
	char path[MAXPATH];
};

static int
wobject(struct walk *w, struct omsec_cur *c, size_t plen, int depth)
{
	int r;

	if (depth > MAXDEPTH)
		return -1;
	if ((r = omsec_json_open(c)) != 0)
		return r < 0 ? -1 : 0;
	for (;;) {
		struct omsec_span k, raw;
		size_t nlen = plen + (plen > 0);
		int esc, f = -1, deeper = 0;

		if (omsec_json_key(c, &k, &esc) < 0)
			return -1;
		nlen += k.n;
		/* plen < nlen: the test also keeps path[plen] in bounds. */
		if (nlen < MAXPATH && plen < nlen) {
			char *d = w->path + plen;
			if (plen > 0)
				*d++ = '.';
			memcpy(d, k.p, k.n);
			f = lookup(w->m, w->path, nlen, &deeper);
		}
		if (f < 0 && deeper && *c->p == '{') {
			if (wobject(w, c, nlen, depth + 1) < 0)
				return -1;
		} else if (f >= 0 && *c->p == '"') {
			if (omsec_json_string(c, &raw, &esc) < 0)
				return -1;
			w->v[f] = esc ? omsec_json_unescape(w->cx, raw) : raw;
		} else {
			const char *s = c->p;
			if (omsec_json_skip(c) < 0)
				return -1;
			/* Numbers, true/false, objects and arrays: as written. */
			if (f >= 0 && !(c->p - s == 4 && memcmp(s, "null", 4) == 0))
				w->v[f] = omsec_span_make(s, (size_t)(c->p - s));
		}
		if ((r = omsec_json_next(c)) <= 0)
			return r;
	}
}

static int
json_time(struct omsec_pctx *cx, int fmt, struct omsec_span t, int64_t *ms)
{
	struct omsec_civil c;
	int zone;

	if (t.n == 0)
		return -1;
	if (fmt == TS_ISO) {
		if (omsec_parse_iso(ms, &zone, t) < 0)
			return -1;
		if (!zone) {
			omsec_ms_to_civil(*ms, &c);
			*ms = omsec_pctx_local(cx, &c);
		}
		return 0;
	}
	{
		/* Seconds may carry a fraction: "1793643247.123". */
		const char *dot = memchr(t.p, '.', t.n);
		struct omsec_span ip = dot ? omsec_span_make(t.p, (size_t)(dot - t.p)) : t;
		int64_t v, frac = 0;
		if (omsec_strtonum(&v, ip, 0, INT64_C(253402300799999)) != 0)
			return -1;
		if (dot != NULL) {
			size_t fn = (size_t)(t.p + t.n - dot - 1);
			int64_t scale = 100;
			if (fn == 0 || !omsec_span_isnum(omsec_span_make(dot + 1, fn), 32))
				return -1;
			for (size_t i = 0; i < fn && i < 3; i++, scale /= 10)
				frac += (dot[1 + i] - '0') * scale;
		}
		if (fmt == TS_EPOCH) {
			if (v > INT64_C(253402300799))
				return -1;
			*ms = v * 1000 + frac;
		} else {
			*ms = v;
		}
	}
	return 0;
}

int
omsec_json_parse(struct omsec_pctx *cx, struct omsec_event *ev,
    struct omsec_span s)
{
	const struct omsec_jsonmap *m = cx->jmap;
	struct omsec_span v[OMSEC_F_COUNT];
	struct omsec_cur c = omsec_cur_of(s);
	struct walk w;

	if (m == NULL || s.n == 0 || s.p[0] != '{')
		return OMSEC_P_NOMATCH;
	memset(v, 0, sizeof(v));
	w.cx = cx;
	w.m = m;
	w.v = v;
	if (wobject(&w, &c, 0, 0) < 0) {
		cx->why = "malformed JSON";
		return OMSEC_P_ERROR;
	}
	omsec_json_ws(&c);
	if (c.p != c.end) {
		cx->why = "malformed JSON";
		return OMSEC_P_ERROR;
	}
	if (json_time(cx, m->ts_format, v[OMSEC_F_TS], &ev->ts_ms) < 0) {
		cx->why = "JSON time missing or unreadable";
		return OMSEC_P_ERROR;
	}
	ev->f[OMSEC_F_MODULE] = S("json");
	ev->f[OMSEC_F_CATEGORY] = S("host");
	ev->f[OMSEC_F_ACTION] = S("log");
	ev->f[OMSEC_F_OUTCOME] = S("unknown");
	for (int f = 0; f < OMSEC_F_COUNT; f++) {
		if (f == OMSEC_F_TS)
			continue;
		if (m->konst[f].p != NULL)
			ev->f[f] = m->konst[f];
		else if (v[f].n > 0)
			ev->f[f] = v[f];
	}
	if (ev->f[OMSEC_F_SEVERITY].n > 0) {
		struct omsec_span sv = ev->f[OMSEC_F_SEVERITY];
		ev->severity = sv.n == 1 && sv.p[0] >= '0' && sv.p[0] <= '4' ?
		    sv.p[0] - '0' : 0;
		ev->f[OMSEC_F_SEVERITY] = OMSEC_SPAN_NULL;
	}
	/* Addresses and ports that are not ones stay out of their columns. */
	if (!omsec_span_isip(ev->f[OMSEC_F_SRC_IP]))
		ev->f[OMSEC_F_SRC_IP] = OMSEC_SPAN_NULL;
	if (!omsec_span_isip(ev->f[OMSEC_F_DST_IP]))
		ev->f[OMSEC_F_DST_IP] = OMSEC_SPAN_NULL;
	if (!omsec_span_isnum(ev->f[OMSEC_F_SRC_PORT], 5))
		ev->f[OMSEC_F_SRC_PORT] = OMSEC_SPAN_NULL;
	if (!omsec_span_isnum(ev->f[OMSEC_F_DST_PORT], 5))
		ev->f[OMSEC_F_DST_PORT] = OMSEC_SPAN_NULL;
	return OMSEC_P_MATCH;
}
