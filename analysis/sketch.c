/*
 * sketch.c - SipHash-2-4, HyperLogLog and Space-Saving (see sketch.h for
 * the algorithms, their cost and memory bounds).
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sketch.h"

/* ---- SipHash-2-4 ------------------------------------------------------ */

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND do {							\
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);	\
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);	\
} while (0)

static uint64_t
load64le(const unsigned char *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	    (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 |
	    (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
	    (uint64_t)p[7] << 56;
}

uint64_t
omsec_siphash24(uint64_t k0, uint64_t k1, const void *data, size_t n)
{
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0;
	uint64_t v1 = 0x646f72616e646f6dULL ^ k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0;
	uint64_t v3 = 0x7465646279746573ULL ^ k1;
	const unsigned char *p = data;
	size_t left = n & 7, i;
	uint64_t m, b = (uint64_t)n << 56;

	for (i = 0; i + 8 <= n; i += 8) {
		m = load64le(p + i);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	if (i > 0)
		p += i;	/* not on an empty key, whose p may be NULL */
	switch (left) {
	case 7: b |= (uint64_t)p[6] << 48; /* FALLTHROUGH */
	case 6: b |= (uint64_t)p[5] << 40; /* FALLTHROUGH */
	case 5: b |= (uint64_t)p[4] << 32; /* FALLTHROUGH */
	case 4: b |= (uint64_t)p[3] << 24; /* FALLTHROUGH */
	case 3: b |= (uint64_t)p[2] << 16; /* FALLTHROUGH */
	case 2: b |= (uint64_t)p[1] << 8; /* FALLTHROUGH */
	case 1: b |= (uint64_t)p[0]; break;
	default: break;
	}
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t
omsec_hash64(const void *data, size_t n)
{
	/* k0, k1 = bytes 00..07 and 08..0f read little-endian. */
	return omsec_siphash24(0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL,
	    data, n);
}

/* ---- HyperLogLog ------------------------------------------------------ */

void
omsec_hll_init(struct omsec_hll *h)
{
	memset(h->reg, 0, sizeof(h->reg));
}

void
omsec_hll_add_hash(struct omsec_hll *h, uint64_t hash)
{
	uint32_t idx = (uint32_t)(hash >> (64 - OMSEC_HLL_P));
	/* The low 52 bits; a guard bit keeps the rank at most 53. */
	uint64_t w = (hash << OMSEC_HLL_P) | ((uint64_t)1 << (OMSEC_HLL_P - 1));
	uint8_t rank = 1;

	while (!(w & 0x8000000000000000ULL)) {
		rank++;
		w <<= 1;
	}
	if (rank > h->reg[idx])
		h->reg[idx] = rank;
}

void
omsec_hll_add(struct omsec_hll *h, struct omsec_span item)
{
	omsec_hll_add_hash(h, omsec_hash64(item.p, item.n));
}

void
omsec_hll_merge(struct omsec_hll *dst, const struct omsec_hll *src)
{
	for (size_t i = 0; i < OMSEC_HLL_M; i++)
		if (src->reg[i] > dst->reg[i])
			dst->reg[i] = src->reg[i];
}

double
omsec_hll_estimate(const struct omsec_hll *h)
{
	const double m = OMSEC_HLL_M;
	double sum = 0, est;
	unsigned zeros = 0;

	for (size_t i = 0; i < OMSEC_HLL_M; i++) {
		sum += ldexp(1.0, -(int)h->reg[i]);
		zeros += h->reg[i] == 0;
	}
	est = 0.7213 / (1 + 1.079 / m) * m * m / sum;
	/* Linear counting is more accurate while registers are still empty. */
	if (est <= 2.5 * m && zeros > 0)
		est = m * log(m / zeros);
	return est;
}

void
omsec_hll_to_hex(const struct omsec_hll *h, char *buf)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < OMSEC_HLL_M; i++) {
		buf[2 * i] = hex[h->reg[i] >> 4];
		buf[2 * i + 1] = hex[h->reg[i] & 15];
	}
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
omsec_hll_from_hex(struct omsec_hll *h, struct omsec_span s)
{
	if (s.n != 2 * OMSEC_HLL_M)
		return -1;
	for (size_t i = 0; i < OMSEC_HLL_M; i++) {
		int hi = hexval(s.p[2 * i]), lo = hexval(s.p[2 * i + 1]);
		if (hi < 0 || lo < 0 || hi * 16 + lo > 64 - OMSEC_HLL_P + 1)
			return -1;
		h->reg[i] = (uint8_t)(hi * 16 + lo);
	}
	return 0;
}

/* ---- Space-Saving ----------------------------------------------------- */

struct omsec_ss {
	size_t cap, n;
	size_t mask;			/* index size - 1 (power of two, >= 2 cap) */
	struct omsec_ss_entry *e;	/* cap counters */
	uint32_t *heap;			/* counter numbers, min-heap */
	uint32_t *pos;			/* counter number -> heap position */
	int32_t *idx;			/* open addressing: counter number or -1 */
	uint32_t last;			/* counter of the last item added */
};

size_t
omsec_ss_bytes(size_t cap)
{
	size_t isz = 1;

	while (isz < 2 * cap)
		isz <<= 1;
	return sizeof(struct omsec_ss) + cap * (sizeof(struct omsec_ss_entry) +
	    2 * sizeof(uint32_t)) + isz * sizeof(int32_t);
}

struct omsec_ss *
omsec_ss_new(size_t cap)
{
	struct omsec_ss *ss;
	size_t isz = 1;

	if (cap == 0 || cap > UINT32_MAX / 4)
		return NULL;
	while (isz < 2 * cap)
		isz <<= 1;
	if ((ss = calloc(1, sizeof(*ss))) == NULL)
		return NULL;
	ss->cap = cap;
	ss->mask = isz - 1;
	ss->e = calloc(cap, sizeof(*ss->e));
	ss->heap = calloc(cap, sizeof(*ss->heap));
	ss->pos = calloc(cap, sizeof(*ss->pos));
	ss->idx = malloc(isz * sizeof(*ss->idx));
	if (!ss->e || !ss->heap || !ss->pos || !ss->idx) {
		omsec_ss_free(ss);
		return NULL;
	}
	omsec_ss_clear(ss);
	return ss;
}

void
omsec_ss_free(struct omsec_ss *ss)
{
	if (ss == NULL)
		return;
	free(ss->e);
	free(ss->heap);
	free(ss->pos);
	free(ss->idx);
	free(ss);
}

void
omsec_ss_clear(struct omsec_ss *ss)
{
	ss->n = 0;
	ss->last = 0;
	for (size_t i = 0; i <= ss->mask; i++)
		ss->idx[i] = -1;
}

size_t
omsec_ss_capacity(const struct omsec_ss *ss)
{
	return ss->cap;
}

size_t
omsec_ss_size(const struct omsec_ss *ss)
{
	return ss->n;
}

/* Heap order: count, then hash, then bytes; a total order on items. */
static int
ss_less(const struct omsec_ss_entry *a, const struct omsec_ss_entry *b)
{
	if (a->count != b->count)
		return a->count < b->count;
	if (a->hash != b->hash)
		return a->hash < b->hash;
	return omsec_span_cmp(omsec_span_make(a->item, a->n),
	    omsec_span_make(b->item, b->n)) < 0;
}

static void
heap_swap(struct omsec_ss *ss, size_t i, size_t j)
{
	uint32_t t = ss->heap[i];

	ss->heap[i] = ss->heap[j];
	ss->heap[j] = t;
	ss->pos[ss->heap[i]] = (uint32_t)i;
	ss->pos[ss->heap[j]] = (uint32_t)j;
}

static void
heap_up(struct omsec_ss *ss, size_t i)
{
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!ss_less(&ss->e[ss->heap[i]], &ss->e[ss->heap[p]]))
			break;
		heap_swap(ss, i, p);
		i = p;
	}
}

static void
heap_down(struct omsec_ss *ss, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < ss->n && ss_less(&ss->e[ss->heap[l]], &ss->e[ss->heap[m]]))
			m = l;
		if (r < ss->n && ss_less(&ss->e[ss->heap[r]], &ss->e[ss->heap[m]]))
			m = r;
		if (m == i)
			break;
		heap_swap(ss, i, m);
		i = m;
	}
}

/* Index slot holding item, or the empty slot where it would go. */
static size_t
idx_probe(const struct omsec_ss *ss, const char *p, size_t n, uint64_t h)
{
	size_t i = (size_t)h & ss->mask;

	for (;;) {
		int32_t k = ss->idx[i];
		if (k < 0)
			return i;
		const struct omsec_ss_entry *e = &ss->e[k];
		if (e->hash == h && e->n == n && memcmp(e->item, p, n) == 0)
			return i;
		i = (i + 1) & ss->mask;
	}
}

/* Removes index slot i, shifting the probe chain back (no tombstones). */
static void
idx_delete(struct omsec_ss *ss, size_t i)
{
	size_t j = i;

	for (;;) {
		j = (j + 1) & ss->mask;
		int32_t k = ss->idx[j];
		if (k < 0)
			break;
		size_t home = (size_t)ss->e[k].hash & ss->mask;
		/* Move k into the hole unless its home lies in (i, j]. */
		int in_range = i <= j ? (home > i && home <= j) :
		    (home > i || home <= j);
		if (!in_range) {
			ss->idx[i] = k;
			i = j;
		}
	}
	ss->idx[i] = -1;
}

/*
 * omsec_span_cmp for attributes (at most OMSEC_SS_ATTR_MAX bytes), in line:
 * every count of a source compares its country with the one kept.
 */
static int
attr_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t n = an < bn ? an : bn;

	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return (unsigned char)a[i] < (unsigned char)b[i] ? -1 : 1;
	return (an > bn) - (an < bn);
}

static void
set_attr(struct omsec_ss_entry *e, struct omsec_span attr, int fresh)
{
	size_t n = attr.n < OMSEC_SS_ATTR_MAX ? attr.n : OMSEC_SS_ATTR_MAX;

	if (n == 0) {
		if (fresh)
			e->attr_n = 0;
		return;
	}
	if (!fresh && e->attr_n != 0 && attr_cmp(attr.p, n, e->attr,
	    e->attr_n) >= 0)
		return;
	memcpy(e->attr, attr.p, n);
	e->attr_n = (uint16_t)n;
}

static void
fill_entry(struct omsec_ss_entry *e, const char *p, size_t n, uint64_t h,
    struct omsec_span attr, uint64_t count, uint64_t error)
{
	memcpy(e->item, p, n);
	e->n = (uint16_t)n;
	e->hash = h;
	e->count = count;
	e->error = error;
	set_attr(e, attr, 1);
}

/* Counter k's item was seen inc more times. */
static void
ss_bump(struct omsec_ss *ss, uint32_t k, struct omsec_span attr, uint64_t inc)
{
	struct omsec_ss_entry *e = &ss->e[k];

	e->count += inc;
	set_attr(e, attr, 0);
	/* A count only grows: at most a sift down, which stops at once
	 * while the counter is still below its children. */
	heap_down(ss, ss->pos[k]);
	ss->last = k;
}

/*
 * The counter of the last item added, when item (already cut, n > 0) is
 * that item again; UINT32_MAX otherwise. Items are unique in the sketch,
 * so a counter holding item's bytes is item's own counter whatever has
 * happened since: a repeat (events come in bursts from one source, user,
 * host) then needs neither a hash nor an index probe.
 */
static uint32_t
ss_last_is(const struct omsec_ss *ss, const char *p, size_t n)
{
	const struct omsec_ss_entry *e;

	if (ss->last >= ss->n)
		return UINT32_MAX;
	e = &ss->e[ss->last];
	return e->n == n && memcmp(e->item, p, n) == 0 ? ss->last : UINT32_MAX;
}

/* The general path of omsec_ss_add: item (cut, n > 0) hashes to h. */
static void
ss_add_hashed(struct omsec_ss *ss, const char *p, size_t n,
    struct omsec_span attr, uint64_t inc, uint64_t h)
{
	size_t slot = idx_probe(ss, p, n, h);

	if (ss->idx[slot] >= 0) {
		ss_bump(ss, (uint32_t)ss->idx[slot], attr, inc);
		return;
	}
	if (ss->n < ss->cap) {
		uint32_t k = (uint32_t)ss->n++;
		fill_entry(&ss->e[k], p, n, h, attr, inc, 0);
		ss->idx[slot] = (int32_t)k;
		ss->heap[k] = k;
		ss->pos[k] = k;
		heap_up(ss, k);
		ss->last = k;
		return;
	}
	/* Full: the new item takes over the smallest counter. */
	uint32_t k = ss->heap[0];
	struct omsec_ss_entry *e = &ss->e[k];
	uint64_t min = e->count;
	idx_delete(ss, idx_probe(ss, e->item, e->n, e->hash));
	fill_entry(e, p, n, h, attr, min + inc, min);
	ss->idx[idx_probe(ss, p, n, h)] = (int32_t)k;
	heap_down(ss, 0);
	ss->last = k;
}

uint64_t
omsec_ss_add(struct omsec_ss *ss, struct omsec_span item,
    struct omsec_span attr, uint64_t inc)
{
	size_t n = item.n < OMSEC_SS_ITEM_MAX ? item.n : OMSEC_SS_ITEM_MAX;
	uint32_t k;
	uint64_t h;

	if (n == 0)
		return 0;
	if (inc > 0 && (k = ss_last_is(ss, item.p, n)) != UINT32_MAX) {
		/* The counter's stored hash is omsec_hash64 of these bytes. */
		h = ss->e[k].hash;
		ss_bump(ss, k, attr, inc);
		return h;
	}
	h = omsec_hash64(item.p, n);
	if (inc > 0)
		ss_add_hashed(ss, item.p, n, attr, inc, h);
	return h;
}

void
omsec_ss_add_hash(struct omsec_ss *ss, struct omsec_span item,
    struct omsec_span attr, uint64_t inc, uint64_t hash)
{
	size_t n = item.n < OMSEC_SS_ITEM_MAX ? item.n : OMSEC_SS_ITEM_MAX;
	uint32_t k;

	if (n == 0 || inc == 0)
		return;
	if ((k = ss_last_is(ss, item.p, n)) != UINT32_MAX)
		ss_bump(ss, k, attr, inc);
	else
		ss_add_hashed(ss, item.p, n, attr, inc, hash);
}

int
omsec_ss_insert(struct omsec_ss *ss, struct omsec_span item,
    struct omsec_span attr, uint64_t count, uint64_t error)
{
	size_t n = item.n < OMSEC_SS_ITEM_MAX ? item.n : OMSEC_SS_ITEM_MAX;
	uint64_t h;
	size_t slot;

	if (n == 0 || ss->n == ss->cap || error > count)
		return -1;
	h = omsec_hash64(item.p, n);
	slot = idx_probe(ss, item.p, n, h);
	if (ss->idx[slot] >= 0)
		return -1;
	uint32_t k = (uint32_t)ss->n++;
	fill_entry(&ss->e[k], item.p, n, h, attr, count, error);
	ss->idx[slot] = (int32_t)k;
	ss->heap[k] = k;
	ss->pos[k] = k;
	heap_up(ss, k);
	return 0;
}

const struct omsec_ss_entry *
omsec_ss_find(const struct omsec_ss *ss, struct omsec_span item)
{
	size_t n = item.n < OMSEC_SS_ITEM_MAX ? item.n : OMSEC_SS_ITEM_MAX;
	uint64_t h = omsec_hash64(item.p, n);
	size_t slot = idx_probe(ss, item.p, n, h);

	return ss->idx[slot] >= 0 ? &ss->e[ss->idx[slot]] : NULL;
}

static int
cmp_canonical(const void *a, const void *b)
{
	const struct omsec_ss_entry *x = *(const struct omsec_ss_entry *const *)a;
	const struct omsec_ss_entry *y = *(const struct omsec_ss_entry *const *)b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return omsec_span_cmp(omsec_span_make(x->item, x->n),
	    omsec_span_make(y->item, y->n));
}

size_t
omsec_ss_sorted(const struct omsec_ss *ss, const struct omsec_ss_entry **out)
{
	for (size_t i = 0; i < ss->n; i++)
		out[i] = &ss->e[i];
	qsort(out, ss->n, sizeof(*out), cmp_canonical);
	return ss->n;
}

/* The count an absent item may have had: the minimum of a full sketch. */
static uint64_t
ss_floor(const struct omsec_ss *ss)
{
	return ss->n == ss->cap ? ss->e[ss->heap[0]].count : 0;
}

int
omsec_ss_merge(struct omsec_ss *dst, const struct omsec_ss *src)
{
	size_t total = dst->n + src->n, m = 0;
	uint64_t fd = ss_floor(dst), fs = ss_floor(src);
	struct omsec_ss_entry *u = malloc(total * sizeof(*u) + 1);
	const struct omsec_ss_entry **order;

	if (u == NULL)
		return -1;
	order = malloc(total * sizeof(*order) + 1);
	if (order == NULL) {
		free(u);
		return -1;
	}
	for (size_t i = 0; i < dst->n; i++) {
		struct omsec_ss_entry *e = &u[m++];
		*e = dst->e[i];
		const struct omsec_ss_entry *o = omsec_ss_find(src,
		    omsec_span_make(e->item, e->n));
		if (o) {
			e->count += o->count;
			e->error += o->error;
			set_attr(e, omsec_span_make(o->attr, o->attr_n), 0);
		} else {
			e->count += fs;
			e->error += fs;
		}
	}
	for (size_t i = 0; i < src->n; i++) {
		const struct omsec_ss_entry *o = &src->e[i];
		if (omsec_ss_find(dst, omsec_span_make(o->item, o->n)))
			continue;
		struct omsec_ss_entry *e = &u[m++];
		*e = *o;
		e->count += fd;
		e->error += fd;
	}
	for (size_t i = 0; i < m; i++)
		order[i] = &u[i];
	qsort(order, m, sizeof(*order), cmp_canonical);
	omsec_ss_clear(dst);
	for (size_t i = 0; i < m && i < dst->cap; i++) {
		const struct omsec_ss_entry *e = order[i];
		int rc = omsec_ss_insert(dst, omsec_span_make(e->item, e->n),
		    omsec_span_make(e->attr, e->attr_n), e->count, e->error);
		assert(rc == 0);
		(void)rc;
	}
	free(order);
	free(u);
	return 0;
}
