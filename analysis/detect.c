/*
 * detect.c - SSH brute force and success-after-failures detection (see
 * detect.h for the rules, the ordering strategy, cost and memory bound).
 */
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

enum kind { K_FAIL, K_SUCCESS };

/* An event as kept in the reorder heap: only what the rules need. */
struct rec {
	int64_t ts;
	uint64_t seq;		/* arrival order breaks ties: stable output */
	int kind;
	uint8_t ipn, usern;
	uint16_t refn;
	char ip[IP_MAX];
	char user[USER_MAX];
	char ref[REF_MAX];
};

struct ipstate {
	uint64_t hash;
	uint8_t ipn;
	char ip[IP_MAX];
	int64_t last_seen;	/* any relevant event */
	/* Failure times, newest at (head + n - 1) % cap. */
	int64_t *ring;
	uint32_t rcap, rn, rhead;
	/* The current burst of failures. */
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

	struct rec *heap;
	size_t hn, hcap;
	uint64_t seq;
	int64_t now;		/* time of the last released event */
	int started;
	uint64_t late;

	struct ipstate **tab;	/* open addressing by ip hash */
	size_t tsize, tn;
	int64_t next_sweep;

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
	    o->saf_window_ms < 0 || o->reorder < 1 ||
	    o->bf_failures > 1000000 || o->saf_failures > 1000000)
		return NULL;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->o = *o;
	d->ring_max = (uint32_t)(o->bf_failures > o->saf_failures ?
	    o->bf_failures : o->saf_failures);
	if (d->ring_max < RING_MIN)
		d->ring_max = RING_MIN;
	d->tsize = 1024;
	if ((d->tab = calloc(d->tsize, sizeof(*d->tab))) == NULL) {
		free(d);
		return NULL;
	}
	return d;
}

static void
state_free(struct ipstate *s)
{
	if (s == NULL)
		return;
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
		state_free(d->tab[i]);
	free(d->tab);
	free(d->heap);
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

static struct ipstate **
tab_slot(struct omsec_detect *d, const char *ip, size_t n, uint64_t h)
{
	size_t mask = d->tsize - 1, i = (size_t)h & mask;

	while (d->tab[i] && !(d->tab[i]->hash == h && d->tab[i]->ipn == n &&
	    memcmp(d->tab[i]->ip, ip, n) == 0))
		i = (i + 1) & mask;
	return &d->tab[i];
}

/* Rebuilds the table at a size for live states; NULL entries are dropped. */
static int
tab_rebuild(struct omsec_detect *d, size_t size)
{
	struct ipstate **old = d->tab;
	size_t osize = d->tsize;

	if ((d->tab = calloc(size, sizeof(*d->tab))) == NULL) {
		d->tab = old;
		return -1;
	}
	d->tsize = size;
	d->tn = 0;
	for (size_t i = 0; i < osize; i++) {
		if (old[i] == NULL)
			continue;
		*tab_slot(d, old[i]->ip, old[i]->ipn, old[i]->hash) = old[i];
		d->tn++;
	}
	free(old);
	return 0;
}

static int
refs_add(struct ipstate *s, const char *ref, size_t n)
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
burst_end(struct omsec_detect *d, struct ipstate *s)
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

/* Drops quiet sources and closes bursts that can no longer grow. */
static int
sweep(struct omsec_detect *d, int all)
{
	int64_t keep = d->o.bf_window_ms > d->o.saf_window_ms ?
	    d->o.bf_window_ms : d->o.saf_window_ms;

	for (size_t i = 0; i < d->tsize; i++) {
		struct ipstate *s = d->tab[i];
		if (s == NULL)
			continue;
		if (s->in_burst && (all || d->now - s->burst_last > d->o.bf_window_ms))
			if (burst_end(d, s) != 0)
				return -1;
		if (all || d->now - s->last_seen > keep) {
			state_free(s);
			d->tab[i] = NULL;
		}
	}
	size_t live = 0;
	for (size_t i = 0; i < d->tsize; i++)
		live += d->tab[i] != NULL;
	size_t size = 1024;
	while (size < 4 * live)
		size *= 2;
	return tab_rebuild(d, size);
}

static int
ring_push(struct omsec_detect *d, struct ipstate *s, int64_t ts)
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
ring_back(const struct ipstate *s, uint32_t k)
{
	return s->ring[(s->rhead + s->rn - k) % s->rcap];
}

static int
on_failure(struct omsec_detect *d, struct ipstate *s, const struct rec *r)
{
	uint32_t n = (uint32_t)d->o.bf_failures;

	if (s->in_burst && r->ts - s->burst_last > d->o.bf_window_ms)
		if (burst_end(d, s) != 0)
			return -1;
	if (!s->in_burst) {
		s->in_burst = 1;
		s->burst_first = r->ts;
		s->burst_count = 0;
	}
	s->burst_last = r->ts;
	s->burst_count++;
	if (refs_add(s, r->ref, r->refn) != 0 || ring_push(d, s, r->ts) != 0)
		return -1;
	if (!s->triggered && s->rn >= n &&
	    r->ts - ring_back(s, n) <= d->o.bf_window_ms)
		s->triggered = 1;
	return 0;
}

static int
on_success(struct omsec_detect *d, struct ipstate *s, const struct rec *r)
{
	uint64_t m = 0;
	int64_t first = r->ts;
	char expl[512], dur[32], user[USER_MAX * 4 + 1], refs[MAX_REFS *
	    (3 * REF_MAX + 1) + 1];
	size_t rl = 0;

	for (uint32_t k = 1; k <= s->rn; k++) {
		int64_t t = ring_back(s, k);
		if (r->ts - t > d->o.saf_window_ms || t <= s->saf_since)
			break;
		m++;
		first = t;
	}
	if (m < (uint64_t)d->o.saf_failures)
		return 0;
	s->saf_since = r->ts;
	/* The user came from a log: keep it printable in the sentence. */
	omsec_term_escape(user, sizeof(user), omsec_span_make(r->user, r->usern));
	fmt_duration(dur, sizeof(dur), r->ts - first);
	snprintf(expl, sizeof(expl), "Successful SSH login as %s from %s after "
	    "%" PRIu64 "%s failed logins in %s", r->usern ? user : "an unknown user",
	    s->ip, m, m == s->rcap && s->rcap == d->ring_max ? "+" : "", dur);
	/* Evidence: the burst's first refs, then the success itself. */
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
	if (r->refn) {
		if (rl)
			refs[rl++] = ',';
		for (size_t i = 0; i < r->refn; i++) {
			if (r->ref[i] == ',') {
				memcpy(refs + rl, "%2C", 3);
				rl += 3;
			} else {
				refs[rl++] = r->ref[i];
			}
		}
	}
	refs[rl] = '\0';
	return add_alert(d, "ssh_success_after_failures", "urgent", s->ip, first,
	    r->ts, m + 1, expl, refs, rl);
}

static int
process(struct omsec_detect *d, struct rec *r)
{
	uint64_t h;
	struct ipstate **slot, *s;

	if (d->started && r->ts < d->now) {
		d->late++;
		r->ts = d->now;
	}
	if (!d->started) {
		d->started = 1;
		d->next_sweep = r->ts;
	}
	d->now = r->ts;
	if (d->now >= d->next_sweep) {
		int64_t step = d->o.bf_window_ms > d->o.saf_window_ms ?
		    d->o.bf_window_ms : d->o.saf_window_ms;
		if (sweep(d, 0) != 0)
			return -1;
		d->next_sweep = d->now + (step > 1000 ? step : 1000);
	}
	h = omsec_hash64(r->ip, r->ipn);
	slot = tab_slot(d, r->ip, r->ipn, h);
	if ((s = *slot) == NULL) {
		if ((s = calloc(1, sizeof(*s))) == NULL)
			return -1;
		s->hash = h;
		s->ipn = r->ipn;
		memcpy(s->ip, r->ip, r->ipn);
		s->ip[r->ipn] = '\0';
		s->saf_since = INT64_MIN;
		*slot = s;
		d->tn++;
		if (2 * d->tn > d->tsize && tab_rebuild(d, 2 * d->tsize) != 0)
			return -1;
	}
	s->last_seen = r->ts;
	return r->kind == K_FAIL ? on_failure(d, s, r) : on_success(d, s, r);
}

/* ---- reorder heap ----------------------------------------------------- */

static int
rec_less(const struct rec *a, const struct rec *b)
{
	int c;

	if (a->ts != b->ts)
		return a->ts < b->ts;
	/* Equal times: order by evidence, so arrival order does not matter. */
	c = omsec_span_cmp(omsec_span_make(a->ref, a->refn),
	    omsec_span_make(b->ref, b->refn));
	return c ? c < 0 : a->seq < b->seq;
}

static void
rec_swap(struct rec *a, struct rec *b)
{
	struct rec t = *a;
	*a = *b;
	*b = t;
}

/* Removes the oldest record from the heap into *out. */
static void
heap_pop(struct omsec_detect *d, struct rec *out)
{
	size_t i = 0;

	*out = d->heap[0];
	d->heap[0] = d->heap[--d->hn];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < d->hn && rec_less(&d->heap[l], &d->heap[m]))
			m = l;
		if (r < d->hn && rec_less(&d->heap[r], &d->heap[m]))
			m = r;
		if (m == i)
			break;
		rec_swap(&d->heap[i], &d->heap[m]);
		i = m;
	}
}

static void
fill(char *dst, uint8_t *n, size_t cap, struct omsec_span s)
{
	size_t k = s.n < cap - 1 ? s.n : cap - 1;

	if (k)
		memcpy(dst, s.p, k);
	dst[k] = '\0';
	*n = (uint8_t)k;
}

int
omsec_detect_event(struct omsec_detect *d, const struct omsec_event *ev)
{
	int kind;
	struct rec *r, out;
	size_t i;

	if (!omsec_span_eq(ev->f[OMSEC_F_MODULE], "sshd") ||
	    ev->f[OMSEC_F_SRC_IP].n == 0)
		return 0;
	if (omsec_span_eq(ev->f[OMSEC_F_OUTCOME], "failure"))
		kind = K_FAIL;
	else if (omsec_span_eq(ev->f[OMSEC_F_OUTCOME], "success") &&
	    omsec_span_eq(ev->f[OMSEC_F_ACTION], "login"))
		kind = K_SUCCESS;
	else
		return 0;
	if (d->hn == d->o.reorder) {
		heap_pop(d, &out);
		if (process(d, &out) != 0)
			return -1;
	}
	if (d->hn == d->hcap) {
		size_t nc = d->hcap ? 2 * d->hcap : 64;
		if (nc > d->o.reorder)
			nc = d->o.reorder;
		struct rec *nh = realloc(d->heap, nc * sizeof(*nh));
		if (nh == NULL)
			return -1;
		d->heap = nh;
		d->hcap = nc;
	}
	r = &d->heap[d->hn];
	r->ts = ev->ts_ms;
	r->seq = d->seq++;
	r->kind = kind;
	fill(r->ip, &r->ipn, IP_MAX, ev->f[OMSEC_F_SRC_IP]);
	fill(r->user, &r->usern, USER_MAX, ev->f[OMSEC_F_USER]);
	{
		struct omsec_span ref = ev->f[OMSEC_F_REF];
		size_t k = ref.n < REF_MAX ? ref.n : REF_MAX;
		if (k)
			memcpy(r->ref, ref.p, k);
		r->refn = (uint16_t)k;
	}
	for (i = d->hn++; i > 0; i = (i - 1) / 2) {
		if (!rec_less(&d->heap[i], &d->heap[(i - 1) / 2]))
			break;
		rec_swap(&d->heap[i], &d->heap[(i - 1) / 2]);
	}
	return 0;
}

int
omsec_detect_finish(struct omsec_detect *d)
{
	struct rec out;

	while (d->hn > 0) {
		heap_pop(d, &out);
		if (process(d, &out) != 0)
			return -1;
	}
	return sweep(d, 1);
}
