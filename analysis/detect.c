/*
 * detect.c - SSH brute force and success-after-failures detection (see
 * detect.h for the rules, the per-source ordering, cost and memory bound).
 *
 * Each src_ip has one struct src: the events held for it (in arrival order
 * until sorted), and the state of a streaming evaluator that consumes that
 * source's events in time order (the open burst, a ring of recent failure
 * times, what success-after-failures already reported). Sources sit in a
 * chained hash table and an LRU list, so eviction is O(1).
 */
#define _GNU_SOURCE		/* qsort_r: the comparator needs the arena */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "detect.h"
#include "event.h"
#include "otime.h"
#include "out.h"
#include "sketch.h"

#define IP_MAX 48
#define USER_MAX 64
#define REF_MAX 256
#define MAX_REFS 10
#define RING_MIN 100
#define HELD_SHARE 16		/* one source holds at most max_held / 16 */

enum kind { K_FAIL, K_SUCCESS };

/* A held event: its user and ref are in the source's arena at off. */
struct hrec {
	int64_t ts;
	uint64_t seq;		/* arrival order breaks full ties */
	uint32_t off;
	uint16_t refn;
	uint8_t usern;
	uint8_t kind;
};

struct src {
	struct src *hnext;		/* hash chain */
	struct src *newer, *older;	/* LRU list */
	uint64_t hash;
	uint8_t ipn;
	char ip[IP_MAX];

	/* Held events, not yet evaluated. */
	struct hrec *held;
	uint32_t hn, hcap;
	int hsorted;
	char *arena;
	size_t alen, acap;

	/* The evaluator, fed in time order. */
	int fed;
	int64_t fed_ts;		/* time of the last event fed */
	int64_t *ring;		/* failure times, newest at (head + n - 1) % cap */
	uint32_t rcap, rn, rhead;
	int in_burst, triggered;
	int64_t burst_first, burst_last;
	uint64_t burst_count;
	char *refs;		/* first MAX_REFS refs of the burst, joined */
	size_t refs_len, refs_cap;
	unsigned nrefs;
	int64_t saf_since;	/* failures up to here were already reported */
};

struct omsec_detect {
	struct omsec_detect_opts o;
	uint32_t ring_max;
	size_t src_held_max;	/* held events per source before a flush */
	uint64_t seq;
	size_t held;		/* held events over all sources */
	uint64_t late, evicted;

	struct src **tab;	/* buckets, a power of two */
	size_t tsize, tn;
	struct src *newest, *oldest;

	struct omsec_alert *alerts;
	size_t an, acap;
	int sorted;
};

void
omsec_detect_opts_from_config(struct omsec_detect_opts *o,
    const struct omsec_config *cfg)
{
	o->bf_failures = cfg->ssh_bf_failures;
	o->bf_window_ms = cfg->ssh_bf_window * 1000;
	o->saf_failures = cfg->ssh_saf_failures;
	o->saf_window_ms = cfg->ssh_saf_window * 1000;
}

struct omsec_detect *
omsec_detect_new(const struct omsec_detect_opts *o)
{
	struct omsec_detect *d;

	if (o->bf_failures < 1 || o->saf_failures < 1 || o->bf_window_ms < 0 ||
	    o->saf_window_ms < 0 || o->max_sources < 1 || o->max_held < 1 ||
	    o->max_held > ((size_t)1 << 26) ||
	    o->bf_failures > 1000000 || o->saf_failures > 1000000)
		return NULL;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->o = *o;
	d->ring_max = (uint32_t)(o->bf_failures > o->saf_failures ?
	    o->bf_failures : o->saf_failures);
	if (d->ring_max < RING_MIN)
		d->ring_max = RING_MIN;
	d->src_held_max = o->max_held / HELD_SHARE;
	if (d->src_held_max < 1)
		d->src_held_max = 1;
	d->tsize = 1024;
	if ((d->tab = calloc(d->tsize, sizeof(*d->tab))) == NULL) {
		free(d);
		return NULL;
	}
	return d;
}

static void
src_free(struct src *s)
{
	if (s == NULL)
		return;
	free(s->held);
	free(s->arena);
	free(s->ring);
	free(s->refs);
	free(s);
}

void
omsec_detect_free(struct omsec_detect *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->tsize; i++)
		for (struct src *s = d->tab[i], *n; s; s = n) {
			n = s->hnext;
			src_free(s);
		}
	free(d->tab);
	for (size_t i = 0; i < d->an; i++) {
		free(d->alerts[i].entity);
		free(d->alerts[i].explanation);
		free(d->alerts[i].refs);
	}
	free(d->alerts);
	free(d);
}

uint64_t
omsec_detect_late(const struct omsec_detect *d)
{
	return d->late;
}

uint64_t
omsec_detect_evicted(const struct omsec_detect *d)
{
	return d->evicted;
}

/* ---- alerts ----------------------------------------------------------- */

static char *
dupn(const char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

static void
fmt_duration(char *buf, size_t cap, int64_t ms)
{
	int64_t s = (ms + 500) / 1000;

	if (s < 120)
		snprintf(buf, cap, "%" PRId64 " s", s);
	else if (s < 7200)
		snprintf(buf, cap, "%" PRId64 " min", (s + 30) / 60);
	else
		snprintf(buf, cap, "%" PRId64 " h", (s + 1800) / 3600);
}

static int
add_alert(struct omsec_detect *d, const char *rule, const char *level,
    const char *ip, int64_t first, int64_t last, uint64_t count,
    const char *expl, const char *refs, size_t refs_len)
{
	struct omsec_alert *a;
	char iso[25], key[512];
	uint64_t h;
	int n;

	if (d->an == d->acap) {
		size_t nc = d->acap ? 2 * d->acap : 64;
		struct omsec_alert *na = realloc(d->alerts, nc * sizeof(*na));
		if (na == NULL)
			return -1;
		d->alerts = na;
		d->acap = nc;
	}
	a = &d->alerts[d->an];
	memset(a, 0, sizeof(*a));
	omsec_format_iso(iso, first);
	/* The id hashes rule NUL entity NUL first, so it is stable across runs. */
	n = snprintf(key, sizeof(key), "%s%c%s%c%s", rule, 0, ip, 0, iso);
	h = omsec_hash64(key, (size_t)n);
	snprintf(a->id, sizeof(a->id), "%s-%012" PRIx64, rule,
	    (uint64_t)(h & 0xffffffffffffULL));
	a->rule = rule;
	a->level = level;
	a->entity_type = "src_ip";
	a->first = first;
	a->last = last;
	a->count = count;
	a->entity = dupn(ip, strlen(ip));
	a->explanation = dupn(expl, strlen(expl));
	a->refs = dupn(refs ? refs : "", refs ? refs_len : 0);
	if (!a->entity || !a->explanation || !a->refs) {
		free(a->entity);
		free(a->explanation);
		free(a->refs);
		return -1;
	}
	d->an++;
	d->sorted = 0;
	return 0;
}

static int
cmp_alert(const void *pa, const void *pb)
{
	const struct omsec_alert *a = pa, *b = pb;
	int c;

	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	if ((c = strcmp(a->rule, b->rule)) != 0)
		return c;
	if ((c = strcmp(a->entity, b->entity)) != 0)
		return c;
	if (a->last != b->last)
		return a->last < b->last ? -1 : 1;
	return (a->count > b->count) - (a->count < b->count);
}

const struct omsec_alert *
omsec_detect_alerts(struct omsec_detect *d, size_t *n)
{
	if (!d->sorted && d->an > 1) {
		qsort(d->alerts, d->an, sizeof(*d->alerts), cmp_alert);
		d->sorted = 1;
	}
	*n = d->an;
	return d->alerts;
}

void
omsec_detect_write(struct omsec_detect *d, struct omsec_out *o)
{
	size_t n;
	const struct omsec_alert *a = omsec_detect_alerts(d, &n);
	char iso[25];

	omsec_out_str(o, "#omsec-alerts\t1\n#fields\tid\trule\tlevel\t"
	    "entity_type\tentity\tfirst\tlast\tcount\texplanation\trefs\n");
	for (size_t i = 0; i < n; i++) {
		omsec_out_str(o, a[i].id);
		omsec_out_putc(o, '\t');
		omsec_out_str(o, a[i].rule);
		omsec_out_putc(o, '\t');
		omsec_out_str(o, a[i].level);
		omsec_out_putc(o, '\t');
		omsec_out_str(o, a[i].entity_type);
		omsec_out_putc(o, '\t');
		omsec_out_tsv(o, omsec_span_cstr(a[i].entity));
		omsec_out_putc(o, '\t');
		omsec_format_iso(iso, a[i].first);
		omsec_out_str(o, iso);
		omsec_out_putc(o, '\t');
		omsec_format_iso(iso, a[i].last);
		omsec_out_str(o, iso);
		omsec_out_putc(o, '\t');
		omsec_out_u64(o, a[i].count);
		omsec_out_putc(o, '\t');
		omsec_out_tsv(o, omsec_span_cstr(a[i].explanation));
		omsec_out_putc(o, '\t');
		omsec_out_tsv(o, omsec_span_cstr(a[i].refs));
		omsec_out_putc(o, '\n');
	}
}

/* ---- per-source state ------------------------------------------------- */

static int
refs_add(struct src *s, const char *ref, size_t n)
{
	size_t need = s->refs_len + 1 + 3 * n + 1;

	if (s->nrefs >= MAX_REFS || n == 0)
		return 0;
	if (need > s->refs_cap) {
		size_t nc = s->refs_cap ? s->refs_cap : 256;
		while (nc < need)
			nc *= 2;
		char *nr = realloc(s->refs, nc);
		if (nr == NULL)
			return -1;
		s->refs = nr;
		s->refs_cap = nc;
	}
	if (s->nrefs)
		s->refs[s->refs_len++] = ',';
	for (size_t i = 0; i < n; i++) {
		/* The refs column is comma-separated: a comma in a path is %2C. */
		if (ref[i] == ',') {
			memcpy(s->refs + s->refs_len, "%2C", 3);
			s->refs_len += 3;
		} else {
			s->refs[s->refs_len++] = ref[i];
		}
	}
	s->refs[s->refs_len] = '\0';
	s->nrefs++;
	return 0;
}

static int
burst_end(struct omsec_detect *d, struct src *s)
{
	char expl[160], dur[32];
	int rc = 0;

	if (s->in_burst && s->triggered) {
		uint64_t big = 10 * (uint64_t)d->o.bf_failures;
		fmt_duration(dur, sizeof(dur), s->burst_last - s->burst_first);
		snprintf(expl, sizeof(expl), "%" PRIu64 " failed SSH logins "
		    "from %s in %s", s->burst_count, s->ip, dur);
		rc = add_alert(d, "ssh_bruteforce", s->burst_count >= big ?
		    "urgent" : "important", s->ip, s->burst_first, s->burst_last,
		    s->burst_count, expl, s->refs, s->refs_len);
	}
	s->in_burst = s->triggered = 0;
	s->burst_count = 0;
	s->refs_len = 0;
	s->nrefs = 0;
	return rc;
}

static int
ring_push(struct omsec_detect *d, struct src *s, int64_t ts)
{
	if (s->rn == s->rcap && s->rcap < d->ring_max) {
		uint32_t nc = s->rcap ? 2 * s->rcap : 4;
		if (nc > d->ring_max)
			nc = d->ring_max;
		int64_t *nr = malloc(nc * sizeof(*nr));
		if (nr == NULL)
			return -1;
		for (uint32_t i = 0; i < s->rn; i++)
			nr[i] = s->ring[(s->rhead + i) % s->rcap];
		free(s->ring);
		s->ring = nr;
		s->rcap = nc;
		s->rhead = 0;
	}
	if (s->rn == s->rcap) {
		s->ring[s->rhead] = ts;
		s->rhead = (s->rhead + 1) % s->rcap;
	} else {
		s->ring[(s->rhead + s->rn) % s->rcap] = ts;
		s->rn++;
	}
	return 0;
}

/* The k-th newest failure time (k = 1 is the newest); k <= rn. */
static int64_t
ring_back(const struct src *s, uint32_t k)
{
	return s->ring[(s->rhead + s->rn - k) % s->rcap];
}

/* ---- the evaluator: one source's events in time order ----------------- */

static void
ref_escape_into(char *dst, size_t *len, const char *ref, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		/* The refs column is comma-separated: a comma in a path is %2C. */
		if (ref[i] == ',') {
			memcpy(dst + *len, "%2C", 3);
			*len += 3;
		} else {
			dst[(*len)++] = ref[i];
		}
	}
}

static int
on_failure(struct omsec_detect *d, struct src *s, int64_t ts,
    const char *ref, size_t refn)
{
	uint32_t n = (uint32_t)d->o.bf_failures;

	if (s->in_burst && ts - s->burst_last > d->o.bf_window_ms)
		if (burst_end(d, s) != 0)
			return -1;
	if (!s->in_burst) {
		s->in_burst = 1;
		s->burst_first = ts;
		s->burst_count = 0;
	}
	s->burst_last = ts;
	s->burst_count++;
	if (refs_add(s, ref, refn) != 0 || ring_push(d, s, ts) != 0)
		return -1;
	if (!s->triggered && s->rn >= n &&
	    ts - ring_back(s, n) <= d->o.bf_window_ms)
		s->triggered = 1;
	return 0;
}

static int
on_success(struct omsec_detect *d, struct src *s, int64_t ts,
    const char *user, size_t usern, const char *ref, size_t refn)
{
	uint64_t m = 0;
	int64_t first = ts;
	char expl[512], dur[32], ubuf[USER_MAX * 4 + 1], refs[MAX_REFS *
	    (3 * REF_MAX + 1) + 1];
	size_t rl = 0;

	for (uint32_t k = 1; k <= s->rn; k++) {
		int64_t t = ring_back(s, k);
		if (ts - t > d->o.saf_window_ms || t <= s->saf_since)
			break;
		m++;
		first = t;
	}
	if (m < (uint64_t)d->o.saf_failures)
		return 0;
	s->saf_since = ts;
	/* The user came from a log: keep it printable in the sentence. */
	omsec_term_escape(ubuf, sizeof(ubuf), omsec_span_make(user, usern));
	fmt_duration(dur, sizeof(dur), ts - first);
	snprintf(expl, sizeof(expl), "Successful SSH login as %s from %s after "
	    "%" PRIu64 "%s failed logins in %s", usern ? ubuf : "an unknown user",
	    s->ip, m, m == s->rcap && s->rcap == d->ring_max ? "+" : "", dur);
	/* Evidence: the burst's first refs (already escaped), then the success. */
	if (s->in_burst && s->refs_len) {
		const char *p = s->refs;
		unsigned taken = 0;
		while (*p && taken < MAX_REFS - 1) {
			const char *c = strchr(p, ',');
			size_t len = c ? (size_t)(c - p) : strlen(p);
			if (rl)
				refs[rl++] = ',';
			memcpy(refs + rl, p, len);
			rl += len;
			taken++;
			p = c ? c + 1 : p + len;
		}
	}
	if (refn) {
		if (rl)
			refs[rl++] = ',';
		ref_escape_into(refs, &rl, ref, refn);
	}
	refs[rl] = '\0';
	return add_alert(d, "ssh_success_after_failures", "urgent", s->ip, first,
	    ts, m + 1, expl, refs, rl);
}

/*
 * Feeds one held event. An event older than one already fed cannot be put
 * back in place: close the open burst and forget the window, so it starts a
 * timeline of its own instead of being counted at a time it did not happen.
 */
static int
feed(struct omsec_detect *d, struct src *s, const struct hrec *r)
{
	const char *user = s->arena + r->off, *ref = user + r->usern;

	if (s->fed && r->ts < s->fed_ts) {
		d->late++;
		if (burst_end(d, s) != 0)
			return -1;
		s->rn = s->rhead = 0;
		s->saf_since = INT64_MIN;
	}
	s->fed = 1;
	s->fed_ts = r->ts;
	if (r->kind == K_FAIL)
		return on_failure(d, s, r->ts, ref, r->refn);
	return on_success(d, s, r->ts, user, r->usern, ref, r->refn);
}

/* ---- held events ------------------------------------------------------ */

static int
hrec_cmp(const void *pa, const void *pb, void *arg)
{
	const struct hrec *a = pa, *b = pb;
	const char *arena = arg;
	int c;

	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	/* Equal times: order by evidence, so arrival order does not matter. */
	c = omsec_span_cmp(omsec_span_make(arena + a->off + a->usern, a->refn),
	    omsec_span_make(arena + b->off + b->usern, b->refn));
	if (c)
		return c;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/*
 * Evaluates the oldest k held events of s in time order and keeps the rest,
 * with the arena compacted to them. Returns 0 or -1 (out of memory).
 */
static int
flush(struct omsec_detect *d, struct src *s, uint32_t k)
{
	if (!s->hsorted && s->hn > 1)
		qsort_r(s->held, s->hn, sizeof(*s->held), hrec_cmp, s->arena);
	s->hsorted = 1;
	for (uint32_t i = 0; i < k; i++)
		if (feed(d, s, &s->held[i]) != 0)
			return -1;
	/* Slide the kept events and their strings to the front, in place. */
	size_t alen = 0;
	for (uint32_t i = k; i < s->hn; i++) {
		struct hrec *r = &s->held[i - k];
		*r = s->held[i];
		size_t n = (size_t)r->usern + r->refn;
		memmove(s->arena + alen, s->arena + r->off, n);
		r->off = (uint32_t)alen;
		alen += n;
	}
	s->alen = alen;
	d->held -= k;
	s->hn -= k;
	/* Held memory follows the held count: a finished source keeps none. */
	if (s->hn == 0) {
		free(s->held);
		free(s->arena);
		s->held = NULL;
		s->arena = NULL;
		s->hcap = 0;
		s->acap = s->alen = 0;
	}
	return 0;
}

static int
hold(struct omsec_detect *d, struct src *s, int kind, int64_t ts,
    struct omsec_span user, struct omsec_span ref)
{
	size_t un = user.n < USER_MAX - 1 ? user.n : USER_MAX - 1;
	size_t rn = ref.n < REF_MAX ? ref.n : REF_MAX;
	struct hrec *r;

	if (s->hn == s->hcap) {
		uint32_t nc = s->hcap ? 2 * s->hcap : 8;
		struct hrec *nh = realloc(s->held, nc * sizeof(*nh));
		if (nh == NULL)
			return -1;
		s->held = nh;
		s->hcap = nc;
	}
	if (s->alen + un + rn > s->acap) {
		size_t nc = s->acap ? 2 * s->acap : 256;
		while (nc < s->alen + un + rn)
			nc *= 2;
		char *na = realloc(s->arena, nc);
		if (na == NULL)
			return -1;
		s->arena = na;
		s->acap = nc;
	}
	r = &s->held[s->hn];
	r->ts = ts;
	r->seq = d->seq++;
	r->off = (uint32_t)s->alen;
	r->usern = (uint8_t)un;
	r->refn = (uint16_t)rn;
	r->kind = (uint8_t)kind;
	if (un)
		memcpy(s->arena + s->alen, user.p, un);
	if (rn)
		memcpy(s->arena + s->alen + un, ref.p, rn);
	s->alen += un + rn;
	if (s->hn == 0)
		s->hsorted = 1;
	else if (s->hsorted && hrec_cmp(&s->held[s->hn - 1], r, s->arena) > 0)
		s->hsorted = 0;
	s->hn++;
	d->held++;
	return 0;
}

/* ---- sources: hash table and LRU -------------------------------------- */

static void
lru_unlink(struct omsec_detect *d, struct src *s)
{
	if (s->newer)
		s->newer->older = s->older;
	else
		d->newest = s->older;
	if (s->older)
		s->older->newer = s->newer;
	else
		d->oldest = s->newer;
	s->newer = s->older = NULL;
}

static void
lru_push(struct omsec_detect *d, struct src *s)
{
	s->older = d->newest;
	s->newer = NULL;
	if (d->newest)
		d->newest->newer = s;
	d->newest = s;
	if (d->oldest == NULL)
		d->oldest = s;
}

/* Evaluates everything s holds and closes its burst; s stays. */
static int
finalise(struct omsec_detect *d, struct src *s)
{
	if (flush(d, s, s->hn) != 0)
		return -1;
	return burst_end(d, s);
}

/* Finalises and frees the least recently touched source. */
static int
evict_oldest(struct omsec_detect *d)
{
	struct src *s = d->oldest, **pp;

	if (finalise(d, s) != 0)
		return -1;
	lru_unlink(d, s);
	for (pp = &d->tab[s->hash & (d->tsize - 1)]; *pp != s; pp = &(*pp)->hnext)
		;
	*pp = s->hnext;
	d->tn--;
	d->evicted++;
	src_free(s);
	return 0;
}

static int
tab_grow(struct omsec_detect *d)
{
	size_t nsize = 2 * d->tsize;
	struct src **nt = calloc(nsize, sizeof(*nt));

	if (nt == NULL)
		return -1;
	for (size_t i = 0; i < d->tsize; i++)
		for (struct src *s = d->tab[i], *n; s; s = n) {
			n = s->hnext;
			s->hnext = nt[s->hash & (nsize - 1)];
			nt[s->hash & (nsize - 1)] = s;
		}
	free(d->tab);
	d->tab = nt;
	d->tsize = nsize;
	return 0;
}

/* The source for ip, created (evicting the oldest if full); NULL on OOM. */
static struct src *
src_get(struct omsec_detect *d, struct omsec_span ip)
{
	size_t n = ip.n < IP_MAX - 1 ? ip.n : IP_MAX - 1;
	uint64_t h = omsec_hash64(ip.p, n);
	struct src *s;

	for (s = d->tab[h & (d->tsize - 1)]; s; s = s->hnext)
		if (s->hash == h && s->ipn == n && memcmp(s->ip, ip.p, n) == 0) {
			if (d->newest != s) {
				lru_unlink(d, s);
				lru_push(d, s);
			}
			return s;
		}
	while (d->tn >= d->o.max_sources)
		if (evict_oldest(d) != 0)
			return NULL;
	if (d->tn >= d->tsize && tab_grow(d) != 0)
		return NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->hash = h;
	s->ipn = (uint8_t)n;
	memcpy(s->ip, ip.p, n);
	s->ip[n] = '\0';
	s->saf_since = INT64_MIN;
	s->hnext = d->tab[h & (d->tsize - 1)];
	d->tab[h & (d->tsize - 1)] = s;
	d->tn++;
	lru_push(d, s);
	return s;
}

int
omsec_detect_event(struct omsec_detect *d, const struct omsec_event *ev)
{
	int kind;
	struct src *s;

	if (!omsec_span_eq(ev->f[OMSEC_F_MODULE], "sshd") ||
	    ev->f[OMSEC_F_SRC_IP].n == 0)
		return 0;
	/*
	 * Only login attempts count: one password try also logs PAM lines
	 * ("authentication failure", "n more authentication failures"), and
	 * counting those would make a count mean lines, not attempts.
	 */
	if (!omsec_span_eq(ev->f[OMSEC_F_ACTION], "login"))
		return 0;
	if (omsec_span_eq(ev->f[OMSEC_F_OUTCOME], "failure"))
		kind = K_FAIL;
	else if (omsec_span_eq(ev->f[OMSEC_F_OUTCOME], "success"))
		kind = K_SUCCESS;
	else
		return 0;
	if ((s = src_get(d, ev->f[OMSEC_F_SRC_IP])) == NULL)
		return -1;
	if (hold(d, s, kind, ev->ts_ms, ev->f[OMSEC_F_USER],
	    ev->f[OMSEC_F_REF]) != 0)
		return -1;
	/*
	 * Over a bound: first the source's own share (its older half is
	 * evaluated, the newer half can still take stragglers), then the total
	 * (other sources, least recently touched first, are finalised).
	 */
	if (s->hn > d->src_held_max && flush(d, s, s->hn - s->hn / 2) != 0)
		return -1;
	while (d->held > d->o.max_held && d->oldest != s)
		if (evict_oldest(d) != 0)
			return -1;
	if (d->held > d->o.max_held && flush(d, s, s->hn) != 0)
		return -1;
	return 0;
}

int
omsec_detect_finish(struct omsec_detect *d)
{
	for (struct src *s = d->oldest; s; s = s->newer)
		if (finalise(d, s) != 0)
			return -1;
	return 0;
}
