/*
 * agg.c - building, reading, merging and writing period summaries (see
 * agg.h for the format, cost and memory bound).
 *
 * Strings that repeat (module, category, action, outcome; source paths)
 * are interned in a pool: one copy each in a growing byte arena, found
 * through an open-addressing index. The hourly table then keys on small
 * integers, so a key is 32 bytes whatever the strings.
 */
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "event.h"
#include "otime.h"
#include "out.h"
#include "sketch.h"
#include "strnum.h"

#define CLASS_MAX 64		/* class strings are cut here */

/* ---- string pool ------------------------------------------------------ */

struct pool_str {
	uint64_t hash;
	size_t off;
	size_t n;
};

struct pool {
	char *buf;
	size_t len, cap;
	struct pool_str *s;
	size_t n, scap;
	int32_t *idx;
	size_t mask;		/* index size - 1; 0 before the first intern */
};

static void
pool_free(struct pool *p)
{
	free(p->buf);
	free(p->s);
	free(p->idx);
	memset(p, 0, sizeof(*p));
}

static struct omsec_span
pool_get(const struct pool *p, uint32_t id)
{
	/* Only empty strings interned so far: buf is still NULL. */
	if (p->buf == NULL)
		return omsec_span_make("", 0);
	return omsec_span_make(p->buf + p->s[id].off, p->s[id].n);
}

static int
pool_rehash(struct pool *p, size_t size)
{
	int32_t *idx = malloc(size * sizeof(*idx));

	if (idx == NULL)
		return -1;
	for (size_t i = 0; i < size; i++)
		idx[i] = -1;
	for (size_t k = 0; k < p->n; k++) {
		size_t i = (size_t)p->s[k].hash & (size - 1);
		while (idx[i] >= 0)
			i = (i + 1) & (size - 1);
		idx[i] = (int32_t)k;
	}
	free(p->idx);
	p->idx = idx;
	p->mask = size - 1;
	return 0;
}

/* Returns the id of s in the pool, adding it; -1 on out of memory. */
static int64_t
pool_intern(struct pool *p, struct omsec_span s)
{
	uint64_t h = omsec_hash64(s.p, s.n);
	size_t i;

	if (p->idx == NULL && pool_rehash(p, 16) != 0)
		return -1;
	for (i = (size_t)h & p->mask; p->idx[i] >= 0; i = (i + 1) & p->mask) {
		const struct pool_str *e = &p->s[p->idx[i]];
		if (e->hash == h && e->n == s.n &&
		    (s.n == 0 || memcmp(p->buf + e->off, s.p, s.n) == 0))
			return p->idx[i];
	}
	if (p->n >= INT32_MAX - 1)
		return -1;
	if (p->len + s.n > p->cap) {
		size_t nc = p->cap ? p->cap : 1024;
		while (nc < p->len + s.n)
			nc *= 2;
		char *nb = realloc(p->buf, nc);
		if (nb == NULL)
			return -1;
		p->buf = nb;
		p->cap = nc;
	}
	if (p->n == p->scap) {
		size_t nc = p->scap ? 2 * p->scap : 16;
		struct pool_str *ns = realloc(p->s, nc * sizeof(*ns));
		if (ns == NULL)
			return -1;
		p->s = ns;
		p->scap = nc;
	}
	if (s.n)
		memcpy(p->buf + p->len, s.p, s.n);
	p->s[p->n] = (struct pool_str){ h, p->len, s.n };
	p->len += s.n;
	p->idx[i] = (int32_t)p->n;
	p->n++;
	if (2 * p->n > p->mask + 1 && pool_rehash(p, 2 * (p->mask + 1)) != 0)
		return -1;
	return (int64_t)(p->n - 1);
}

/* ---- the summary ------------------------------------------------------ */

struct hkey {
	int64_t hour;		/* hours since the epoch, UTC */
	uint32_t cls[4];	/* module, category, action, outcome */
	int32_t sev;
};

struct hentry {
	struct hkey k;
	uint64_t count;
};

struct srcent {
	uint64_t lines, events, rejects;
};

struct omsec_summary {
	int have_period;
	int64_t first, last;
	uint64_t events;

	struct pool classes;
	uint32_t last_cls[4];		/* class ids of the last event added */
	size_t last_h;			/* its hourly entry, when hn > 0 */
	struct hentry *h;
	size_t hn, hcap;
	int32_t *hidx;
	size_t hmask;

	struct omsec_ss *top[OMSEC_DIM_COUNT];
	struct omsec_hll hll[2];	/* src_ip, user */

	struct pool paths;
	struct srcent *src;		/* by path id */
	size_t srccap;
};

static const char *const dim_names[OMSEC_DIM_COUNT] = {
	"src_ip", "user", "dst_ip", "url", "country", "fail_src_ip", "fail_user",
	"asset"
};

const char *
omsec_dim_name(enum omsec_dim d)
{
	return (unsigned)d < OMSEC_DIM_COUNT ? dim_names[d] : NULL;
}

struct omsec_summary *
omsec_summary_new(void)
{
	struct omsec_summary *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	for (int d = 0; d < OMSEC_DIM_COUNT; d++) {
		if ((s->top[d] = omsec_ss_new(OMSEC_SS_CAPACITY)) == NULL) {
			omsec_summary_free(s);
			return NULL;
		}
	}
	omsec_hll_init(&s->hll[0]);
	omsec_hll_init(&s->hll[1]);
	return s;
}

void
omsec_summary_free(struct omsec_summary *s)
{
	if (s == NULL)
		return;
	pool_free(&s->classes);
	pool_free(&s->paths);
	free(s->h);
	free(s->hidx);
	free(s->src);
	for (int d = 0; d < OMSEC_DIM_COUNT; d++)
		omsec_ss_free(s->top[d]);
	free(s);
}

size_t
omsec_summary_fixed_bytes(void)
{
	return sizeof(struct omsec_summary) +
	    OMSEC_DIM_COUNT * omsec_ss_bytes(OMSEC_SS_CAPACITY);
}

uint64_t
omsec_summary_events(const struct omsec_summary *s)
{
	return s->events;
}

size_t
omsec_summary_hourly_keys(const struct omsec_summary *s)
{
	return s->hn;
}

const struct omsec_ss *
omsec_summary_top(const struct omsec_summary *s, enum omsec_dim d)
{
	return s->top[d];
}

const struct omsec_hll *
omsec_summary_hll(const struct omsec_summary *s, enum omsec_dim d)
{
	if (d == OMSEC_DIM_SRC_IP)
		return &s->hll[0];
	if (d == OMSEC_DIM_USER)
		return &s->hll[1];
	return NULL;
}

static void
period_add(struct omsec_summary *s, int64_t first, int64_t last)
{
	if (!s->have_period) {
		s->first = first;
		s->last = last;
		s->have_period = 1;
		return;
	}
	if (first < s->first)
		s->first = first;
	if (last > s->last)
		s->last = last;
}

static uint64_t
hkey_hash(const struct hkey *k)
{
	uint64_t v[6] = { (uint64_t)k->hour, k->cls[0], k->cls[1], k->cls[2],
	    k->cls[3], (uint64_t)(uint32_t)k->sev };
	unsigned char b[48];

	/* Hash a byte image built field by field: struct padding is not ours. */
	for (int i = 0; i < 6; i++)
		for (int j = 0; j < 8; j++)
			b[i * 8 + j] = (unsigned char)(v[i] >> (8 * j));
	return omsec_hash64(b, sizeof(b));
}

static int
hkey_eq(const struct hkey *a, const struct hkey *b)
{
	return a->hour == b->hour && a->sev == b->sev &&
	    memcmp(a->cls, b->cls, sizeof(a->cls)) == 0;
}

static int
hourly_rehash(struct omsec_summary *s, size_t size)
{
	int32_t *idx = malloc(size * sizeof(*idx));

	if (idx == NULL)
		return -1;
	for (size_t i = 0; i < size; i++)
		idx[i] = -1;
	for (size_t k = 0; k < s->hn; k++) {
		size_t i = (size_t)hkey_hash(&s->h[k].k) & (size - 1);
		while (idx[i] >= 0)
			i = (i + 1) & (size - 1);
		idx[i] = (int32_t)k;
	}
	free(s->hidx);
	s->hidx = idx;
	s->hmask = size - 1;
	return 0;
}

/* Adds count to key k; *at is then its entry. Returns 0, or -1 (memory). */
static int
hourly_add_at(struct omsec_summary *s, const struct hkey *k, uint64_t count,
    size_t *at)
{
	size_t i;

	if (s->hidx == NULL && hourly_rehash(s, 64) != 0)
		return -1;
	for (i = (size_t)hkey_hash(k) & s->hmask; s->hidx[i] >= 0;
	    i = (i + 1) & s->hmask) {
		if (hkey_eq(&s->h[s->hidx[i]].k, k)) {
			s->h[s->hidx[i]].count += count;
			*at = (size_t)s->hidx[i];
			return 0;
		}
	}
	if (s->hn >= INT32_MAX - 1)
		return -1;
	if (s->hn == s->hcap) {
		size_t nc = s->hcap ? 2 * s->hcap : 64;
		struct hentry *nh = realloc(s->h, nc * sizeof(*nh));
		if (nh == NULL)
			return -1;
		s->h = nh;
		s->hcap = nc;
	}
	s->h[s->hn].k = *k;
	s->h[s->hn].count = count;
	s->hidx[i] = (int32_t)s->hn;
	*at = s->hn++;
	if (2 * s->hn > s->hmask + 1)
		return hourly_rehash(s, 2 * (s->hmask + 1));
	return 0;
}

static int
hourly_add(struct omsec_summary *s, const struct hkey *k, uint64_t count)
{
	size_t at;

	return hourly_add_at(s, k, count, &at);
}

static struct omsec_span
cut(struct omsec_span v, size_t max)
{
	if (v.n > max)
		v.n = max;
	return v;
}

/* 1 if a and b hold the same bytes (an empty span's p may be NULL). */
static int
span_same(struct omsec_span a, struct omsec_span b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int
omsec_summary_add_event(struct omsec_summary *s, const struct omsec_event *ev)
{
	static const enum omsec_field cf[4] = { OMSEC_F_MODULE,
	    OMSEC_F_CATEGORY, OMSEC_F_ACTION, OMSEC_F_OUTCOME };
	struct hkey k;

	period_add(s, ev->ts_ms, ev->ts_ms);
	s->events++;
	memset(&k, 0, sizeof(k));
	k.hour = floor_div(ev->ts_ms, 3600000);
	k.sev = ev->severity;
	for (int i = 0; i < 4; i++) {
		struct omsec_span v = cut(ev->f[cf[i]], CLASS_MAX);
		uint32_t last = s->last_cls[i];
		int64_t id;

		/* Events come in runs of one kind: a compare with the last
		 * event's class saves a hash (a tenth of omsec-agg's time). */
		if (last < s->classes.n &&
		    span_same(pool_get(&s->classes, last), v)) {
			k.cls[i] = last;
			continue;
		}
		if ((id = pool_intern(&s->classes, v)) < 0)
			return -1;
		k.cls[i] = s->last_cls[i] = (uint32_t)id;
	}
	/* The same run of events mostly shares the hour and class too: the
	 * last event's entry, when its key is equal, is the one a lookup
	 * would find, without hashing the key. */
	if (s->hn > 0 && hkey_eq(&s->h[s->last_h].k, &k))
		s->h[s->last_h].count++;
	else if (hourly_add_at(s, &k, 1, &s->last_h) != 0)
		return -1;

	struct omsec_span none = OMSEC_SPAN_NULL;
	struct omsec_span src = ev->f[OMSEC_F_SRC_IP], user = ev->f[OMSEC_F_USER];
	/* omsec_ss_add returns the item's omsec_hash64 (of its first
	 * OMSEC_SS_ITEM_MAX bytes): the fail_ sketches and, for an item that
	 * was not cut, the HyperLogLogs take it instead of hashing again. */
	uint64_t hsrc = omsec_ss_add(s->top[OMSEC_DIM_SRC_IP], src,
	    ev->f[OMSEC_F_COUNTRY], 1);
	uint64_t huser = omsec_ss_add(s->top[OMSEC_DIM_USER], user, none, 1);
	omsec_ss_add(s->top[OMSEC_DIM_DST_IP], ev->f[OMSEC_F_DST_IP], none, 1);
	omsec_ss_add(s->top[OMSEC_DIM_URL], ev->f[OMSEC_F_URL], none, 1);
	omsec_ss_add(s->top[OMSEC_DIM_COUNTRY], ev->f[OMSEC_F_COUNTRY], none, 1);
	omsec_ss_add(s->top[OMSEC_DIM_ASSET], ev->f[OMSEC_F_ASSET], none, 1);
	if (omsec_span_eq(ev->f[OMSEC_F_OUTCOME], "failure")) {
		omsec_ss_add_hash(s->top[OMSEC_DIM_FAIL_SRC_IP], src,
		    ev->f[OMSEC_F_COUNTRY], 1, hsrc);
		omsec_ss_add_hash(s->top[OMSEC_DIM_FAIL_USER], user, none, 1,
		    huser);
	}
	if (src.n > OMSEC_SS_ITEM_MAX)
		omsec_hll_add(&s->hll[0], src);
	else if (src.n > 0)
		omsec_hll_add_hash(&s->hll[0], hsrc);
	if (user.n > OMSEC_SS_ITEM_MAX)
		omsec_hll_add(&s->hll[1], user);
	else if (user.n > 0)
		omsec_hll_add_hash(&s->hll[1], huser);
	return 0;
}

int
omsec_summary_add_source(struct omsec_summary *s, struct omsec_span path,
    uint64_t lines, uint64_t events, uint64_t rejects)
{
	int64_t id = pool_intern(&s->paths, path);

	if (id < 0)
		return -1;
	if ((size_t)id >= s->srccap) {
		size_t nc = s->srccap ? 2 * s->srccap : 16;
		struct srcent *ns = realloc(s->src, nc * sizeof(*ns));
		if (ns == NULL)
			return -1;
		memset(ns + s->srccap, 0, (nc - s->srccap) * sizeof(*ns));
		s->src = ns;
		s->srccap = nc;
	}
	s->src[id].lines += lines;
	s->src[id].events += events;
	s->src[id].rejects += rejects;
	return 0;
}

/* Splits line at tabs into at most max fields; returns the count. */
static int
split_tabs(char *line, size_t len, struct omsec_span *f, int max)
{
	int n = 0;
	size_t start = 0;

	for (;;) {
		char *tab = memchr(line + start, '\t', len - start);
		size_t end = tab ? (size_t)(tab - line) : len;
		if (n == max)
			return max + 1;
		f[n++] = omsec_span_make(line + start, end - start);
		if (tab == NULL)
			return n;
		start = end + 1;
	}
}

static int
unescape(struct omsec_span *f)
{
	long n = omsec_tsv_unescape((char *)f->p, f->n);

	if (n < 0)
		return -1;
	f->n = (size_t)n;
	return 0;
}

static int
parse_u64(uint64_t *v, struct omsec_span s)
{
	int64_t x;

	if (omsec_strtonum(&x, s, 0, INT64_MAX) != 0)
		return -1;
	*v = (uint64_t)x;
	return 0;
}

int
omsec_summary_add_stats_line(struct omsec_summary *s, char *line, size_t len,
    const char **why)
{
	struct omsec_span f[8];
	uint64_t lines, events, rejects;
	int n = split_tabs(line, len, f, 7);

	/*
	 * Older streams may lack the truncated column; sources with
	 * multi-line records add a continued one (docs/formats.md).
	 */
	if (n != 7 && n != 6 && n != 5) {
		*why = "#stats line needs path, lines, events, rejects";
		return -1;
	}
	if (unescape(&f[1]) != 0 || parse_u64(&lines, f[2]) != 0 ||
	    parse_u64(&events, f[3]) != 0 || parse_u64(&rejects, f[4]) != 0) {
		*why = "bad #stats line";
		return -1;
	}
	if (omsec_summary_add_source(s, f[1], lines, events, rejects) != 0) {
		*why = "out of memory";
		return -1;
	}
	return 0;
}

static int
parse_hour(int64_t *hour, struct omsec_span s)
{
	char buf[25];
	int64_t y, mo, d, h;

	if (s.n != 13 || s.p[4] != '-' || s.p[7] != '-' || s.p[10] != 'T')
		return -1;
	if (omsec_strtonum(&y, omsec_span_make(s.p, 4), 0, 9999) != 0 ||
	    omsec_strtonum(&mo, omsec_span_make(s.p + 5, 2), 1, 12) != 0 ||
	    omsec_strtonum(&d, omsec_span_make(s.p + 8, 2), 1, 31) != 0 ||
	    omsec_strtonum(&h, omsec_span_make(s.p + 11, 2), 0, 23) != 0)
		return -1;
	*hour = omsec_days_from_civil((int)y, (int)mo, (int)d) * 24 + h;
	/* Round trip, so that 2026-02-31 is refused rather than moved. */
	omsec_format_iso(buf, *hour * 3600000);
	return memcmp(buf, s.p, 13) == 0 ? 0 : -1;
}

static int
parse_time(int64_t *ms, struct omsec_span s)
{
	int had_zone;

	return omsec_parse_iso(ms, &had_zone, s);
}

static int
dim_of(struct omsec_span s)
{
	for (int d = 0; d < OMSEC_DIM_COUNT; d++)
		if (omsec_span_eq(s, dim_names[d]))
			return d;
	return -1;
}

int
omsec_summary_read_line(struct omsec_summary *s, char *line, size_t len,
    int first, const char **why)
{
	struct omsec_span f[9];
	struct omsec_span l = omsec_span_make(line, len);
	int n;

	if (first) {
		if (omsec_span_eq(l, "#omsec-summary\t1"))
			return 0;
		*why = omsec_span_has_prefix(l, "#omsec-summary\t") ?
		    "unsupported summary version (this omsec-agg reads 1)" :
		    "not an omsec summary (no #omsec-summary line)";
		return -1;
	}
	n = split_tabs(line, len, f, 8);
	if (n > 8) {
		*why = "too many fields";
		return -1;
	}
	if (omsec_span_eq(f[0], "period")) {
		int64_t a, b;
		if (n != 3) {
			*why = "period needs first and last";
			return -1;
		}
		if (omsec_span_eq(f[1], "-") && omsec_span_eq(f[2], "-"))
			return 0;
		if (parse_time(&a, f[1]) != 0 || parse_time(&b, f[2]) != 0 ||
		    a > b) {
			*why = "bad period";
			return -1;
		}
		period_add(s, a, b);
		return 0;
	}
	if (omsec_span_eq(f[0], "events")) {
		uint64_t v;
		if (n != 2 || parse_u64(&v, f[1]) != 0) {
			*why = "bad events line";
			return -1;
		}
		s->events += v;
		return 0;
	}
	if (omsec_span_eq(f[0], "hourly")) {
		struct hkey k;
		int64_t sev;
		uint64_t count;
		memset(&k, 0, sizeof(k));
		if (n != 8) {
			*why = "hourly needs hour, module, category, action, outcome, severity, count";
			return -1;
		}
		if (parse_hour(&k.hour, f[1]) != 0) {
			*why = "bad hour (want YYYY-MM-DDTHH)";
			return -1;
		}
		for (int i = 0; i < 4; i++) {
			if (unescape(&f[2 + i]) != 0) {
				*why = "bad escape sequence";
				return -1;
			}
			int64_t id = pool_intern(&s->classes, cut(f[2 + i], CLASS_MAX));
			if (id < 0) {
				*why = "out of memory";
				return -1;
			}
			k.cls[i] = (uint32_t)id;
		}
		if (omsec_strtonum(&sev, f[6], 0, 4) != 0 ||
		    parse_u64(&count, f[7]) != 0) {
			*why = "bad severity or count";
			return -1;
		}
		k.sev = (int32_t)sev;
		if (hourly_add(s, &k, count) != 0) {
			*why = "out of memory";
			return -1;
		}
		return 0;
	}
	if (omsec_span_eq(f[0], "top")) {
		uint64_t count, error;
		int d;
		if (n != 6 || (d = dim_of(f[1])) < 0) {
			*why = "top needs a known dimension, item, count, error, attr";
			return -1;
		}
		if (unescape(&f[2]) != 0 || unescape(&f[5]) != 0 ||
		    parse_u64(&count, f[3]) != 0 || parse_u64(&error, f[4]) != 0) {
			*why = "bad top line";
			return -1;
		}
		if (omsec_ss_insert(s->top[d], f[2], f[5], count, error) != 0) {
			*why = "top item empty, repeated, beyond capacity or error > count";
			return -1;
		}
		return 0;
	}
	if (omsec_span_eq(f[0], "hll")) {
		struct omsec_hll h;
		int d;
		if (n != 4 || ((d = dim_of(f[1])) != OMSEC_DIM_SRC_IP &&
		    d != OMSEC_DIM_USER)) {
			*why = "hll needs dimension src_ip or user, precision, registers";
			return -1;
		}
		if (!omsec_span_eq(f[2], "12") || omsec_hll_from_hex(&h, f[3]) != 0) {
			*why = "bad hll: want precision 12 and 8192 hex digits";
			return -1;
		}
		omsec_hll_merge(&s->hll[d == OMSEC_DIM_USER], &h);
		return 0;
	}
	if (omsec_span_eq(f[0], "source")) {
		uint64_t a, b, c;
		if (n != 5 || unescape(&f[1]) != 0 || parse_u64(&a, f[2]) != 0 ||
		    parse_u64(&b, f[3]) != 0 || parse_u64(&c, f[4]) != 0) {
			*why = "bad source line";
			return -1;
		}
		if (omsec_summary_add_source(s, f[1], a, b, c) != 0) {
			*why = "out of memory";
			return -1;
		}
		return 0;
	}
	if (omsec_span_has_prefix(l, "#omsec-summary\t")) {
		/* A version line after line 1: omsec-agg --merge starts a new
		 * summary at one (cat a b | omsec-agg --merge); others only
		 * have it checked. */
		if (omsec_span_eq(l, "#omsec-summary\t1"))
			return 0;
		*why = "unsupported summary version (this omsec-agg reads 1)";
		return -1;
	}
	*why = "unknown line type";
	return -1;
}

int
omsec_summary_merge(struct omsec_summary *dst, const struct omsec_summary *src)
{
	if (src->have_period)
		period_add(dst, src->first, src->last);
	dst->events += src->events;
	for (size_t i = 0; i < src->hn; i++) {
		struct hkey k = src->h[i].k;
		for (int j = 0; j < 4; j++) {
			int64_t id = pool_intern(&dst->classes,
			    pool_get(&src->classes, k.cls[j]));
			if (id < 0)
				return -1;
			k.cls[j] = (uint32_t)id;
		}
		if (hourly_add(dst, &k, src->h[i].count) != 0)
			return -1;
	}
	for (int d = 0; d < OMSEC_DIM_COUNT; d++)
		if (omsec_ss_merge(dst->top[d], src->top[d]) != 0)
			return -1;
	omsec_hll_merge(&dst->hll[0], &src->hll[0]);
	omsec_hll_merge(&dst->hll[1], &src->hll[1]);
	for (size_t i = 0; i < src->paths.n; i++)
		if (omsec_summary_add_source(dst, pool_get(&src->paths, (uint32_t)i),
		    src->src[i].lines, src->src[i].events,
		    src->src[i].rejects) != 0)
			return -1;
	return 0;
}

/* ---- canonical output ------------------------------------------------- */

struct hrow {
	int64_t hour;
	struct omsec_span cls[4];
	int32_t sev;
	uint64_t count;
};

static int
cmp_hrow(const void *a, const void *b)
{
	const struct hrow *x = a, *y = b;

	if (x->hour != y->hour)
		return x->hour < y->hour ? -1 : 1;
	for (int i = 0; i < 4; i++) {
		int c = omsec_span_cmp(x->cls[i], y->cls[i]);
		if (c)
			return c;
	}
	return (x->sev > y->sev) - (x->sev < y->sev);
}

struct prow {
	struct omsec_span path;
	const struct srcent *v;
};

static int
cmp_prow(const void *a, const void *b)
{
	const struct prow *x = a, *y = b;

	return omsec_span_cmp(x->path, y->path);
}

int
omsec_summary_write(const struct omsec_summary *s, struct omsec_out *o)
{
	char ts[25];
	struct hrow *rows = malloc(s->hn * sizeof(*rows) + 1);
	const struct omsec_ss_entry **top = malloc(OMSEC_SS_CAPACITY *
	    sizeof(*top));
	struct prow *prows = malloc(s->paths.n * sizeof(*prows) + 1);
	char *hx = malloc(2 * OMSEC_HLL_M);

	if (rows == NULL || top == NULL || prows == NULL || hx == NULL) {
		free(rows);
		free(top);
		free(prows);
		free(hx);
		return -1;
	}
	omsec_out_str(o, "#omsec-summary\t1\nperiod\t");
	if (s->have_period) {
		omsec_format_iso(ts, s->first);
		omsec_out_str(o, ts);
		omsec_out_putc(o, '\t');
		omsec_format_iso(ts, s->last);
		omsec_out_str(o, ts);
	} else {
		omsec_out_str(o, "-\t-");
	}
	omsec_out_str(o, "\nevents\t");
	omsec_out_u64(o, s->events);
	omsec_out_putc(o, '\n');

	for (size_t i = 0; i < s->hn; i++) {
		rows[i].hour = s->h[i].k.hour;
		for (int j = 0; j < 4; j++)
			rows[i].cls[j] = pool_get(&s->classes, s->h[i].k.cls[j]);
		rows[i].sev = s->h[i].k.sev;
		rows[i].count = s->h[i].count;
	}
	qsort(rows, s->hn, sizeof(*rows), cmp_hrow);
	for (size_t i = 0; i < s->hn; i++) {
		omsec_format_iso(ts, rows[i].hour * 3600000);
		omsec_out_str(o, "hourly\t");
		omsec_out_write(o, ts, 13);
		for (int j = 0; j < 4; j++) {
			omsec_out_putc(o, '\t');
			omsec_out_tsv(o, rows[i].cls[j]);
		}
		omsec_out_putc(o, '\t');
		omsec_out_i64(o, rows[i].sev);
		omsec_out_putc(o, '\t');
		omsec_out_u64(o, rows[i].count);
		omsec_out_putc(o, '\n');
	}

	for (int d = 0; d < OMSEC_DIM_COUNT; d++) {
		size_t n = omsec_ss_sorted(s->top[d], top);
		for (size_t i = 0; i < n; i++) {
			omsec_out_str(o, "top\t");
			omsec_out_str(o, dim_names[d]);
			omsec_out_putc(o, '\t');
			omsec_out_tsv(o, omsec_span_make(top[i]->item, top[i]->n));
			omsec_out_putc(o, '\t');
			omsec_out_u64(o, top[i]->count);
			omsec_out_putc(o, '\t');
			omsec_out_u64(o, top[i]->error);
			omsec_out_putc(o, '\t');
			omsec_out_tsv(o, omsec_span_make(top[i]->attr,
			    top[i]->attr_n));
			omsec_out_putc(o, '\n');
		}
	}

	for (int i = 0; i < 2; i++) {
		omsec_hll_to_hex(&s->hll[i], hx);
		omsec_out_str(o, i == 0 ? "hll\tsrc_ip\t12\t" : "hll\tuser\t12\t");
		omsec_out_write(o, hx, 2 * OMSEC_HLL_M);
		omsec_out_putc(o, '\n');
	}

	for (size_t i = 0; i < s->paths.n; i++) {
		prows[i].path = pool_get(&s->paths, (uint32_t)i);
		prows[i].v = &s->src[i];
	}
	qsort(prows, s->paths.n, sizeof(*prows), cmp_prow);
	for (size_t i = 0; i < s->paths.n; i++) {
		omsec_out_str(o, "source\t");
		omsec_out_tsv(o, prows[i].path);
		omsec_out_putc(o, '\t');
		omsec_out_u64(o, prows[i].v->lines);
		omsec_out_putc(o, '\t');
		omsec_out_u64(o, prows[i].v->events);
		omsec_out_putc(o, '\t');
		omsec_out_u64(o, prows[i].v->rejects);
		omsec_out_putc(o, '\n');
	}
	free(rows);
	free(top);
	free(prows);
	free(hx);
	return 0;
}
