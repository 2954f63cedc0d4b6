/*
 * sketch.h - bounded-memory sketches for summaries: a fixed 64-bit hash,
 * HyperLogLog distinct counting and Space-Saving heavy hitters.
 *
 * Hash: SipHash-2-4 (Aumasson & Bernstein, 2012) with the fixed key
 * 00 01 02 ... 0f of the reference implementation, so that summaries written
 * on different machines and days merge. It is not used for secrecy.
 *
 * HyperLogLog (Flajolet et al., 2007) with precision 12: 4096 one-byte
 * registers (4 KiB), standard error 1.04/sqrt(4096) = 1.6%. The top 12 bits
 * of the hash pick the register, the rank of the remaining 52 bits is
 * stored. Small cardinalities use linear counting. Add is O(1), merge is
 * the register-wise maximum (exact, commutative, associative). Written as
 * 8192 hex digits, two per register: "hll\tsrc_ip\t12\t0003010002...".
 *
 * Space-Saving (Metwally et al., 2005) with capacity k: k counters, a hash
 * index and a min-heap, all allocated at creation and never grown. Items
 * are cut at OMSEC_SS_ITEM_MAX bytes and attributes at OMSEC_SS_ATTR_MAX so
 * that the sketch has a fixed size (about 300 KiB for k = 1024). Add is
 * O(log k). Ties are broken by (count, hash, bytes), so the same input
 * always gives the same sketch. A counter's count over-estimates the true
 * count by at most its error. Merge follows Agarwal et al., "Mergeable
 * summaries" (2012): counts and errors add; an item absent from a full
 * sketch is charged that sketch's minimum count as count and error; the k
 * largest are kept. While neither side has overflowed, merge is exact.
 */
#ifndef OMSEC_SKETCH_H
#define OMSEC_SKETCH_H

#include <stddef.h>
#include <stdint.h>
#include "span.h"

/* SipHash-2-4 under the key (k0, k1): a keyed PRF (pseudonymisation). */
uint64_t omsec_siphash24(uint64_t k0, uint64_t k1, const void *p, size_t n);
/* SipHash-2-4 with the fixed key 00..0f: a hash, stable across runs. */
uint64_t omsec_hash64(const void *p, size_t n);

#define OMSEC_HLL_P 12
#define OMSEC_HLL_M (1u << OMSEC_HLL_P)

struct omsec_hll {
	uint8_t reg[OMSEC_HLL_M];
};

void omsec_hll_init(struct omsec_hll *h);
/* Adds an item by its omsec_hash64 value. */
void omsec_hll_add_hash(struct omsec_hll *h, uint64_t hash);
void omsec_hll_add(struct omsec_hll *h, struct omsec_span item);
void omsec_hll_merge(struct omsec_hll *dst, const struct omsec_hll *src);
double omsec_hll_estimate(const struct omsec_hll *h);
/* Writes 2 * OMSEC_HLL_M lowercase hex digits into buf (no NUL). */
void omsec_hll_to_hex(const struct omsec_hll *h, char *buf);
/* Parses exactly 2 * OMSEC_HLL_M hex digits; returns 0, or -1 if invalid. */
int omsec_hll_from_hex(struct omsec_hll *h, struct omsec_span s);

#define OMSEC_SS_CAPACITY 1024
#define OMSEC_SS_ITEM_MAX 256
#define OMSEC_SS_ATTR_MAX 16

struct omsec_ss_entry {
	uint64_t count;
	uint64_t error;
	uint64_t hash;
	uint16_t n, attr_n;
	char item[OMSEC_SS_ITEM_MAX];
	char attr[OMSEC_SS_ATTR_MAX];
};

struct omsec_ss;

/* A sketch of capacity cap (>= 1). NULL on out of memory. */
struct omsec_ss *omsec_ss_new(size_t cap);
void omsec_ss_free(struct omsec_ss *ss);
void omsec_ss_clear(struct omsec_ss *ss);
size_t omsec_ss_capacity(const struct omsec_ss *ss);
size_t omsec_ss_size(const struct omsec_ss *ss);
/* Bytes the sketch holds (fixed at creation). */
size_t omsec_ss_bytes(size_t cap);

/*
 * Counts item inc times. attr (may be empty) is kept per item: the
 * bytewise smallest non-empty value seen, so that it does not depend on
 * the order of events or merges. Items longer than OMSEC_SS_ITEM_MAX are
 * cut. An empty item is ignored (and 0 returned). Returns the
 * omsec_hash64 of the item as kept (cut), so that a caller counting the
 * same value elsewhere (another sketch, a HyperLogLog when item.n <=
 * OMSEC_SS_ITEM_MAX) need not hash it again. An item repeated from the
 * previous call costs no hash at all.
 */
uint64_t omsec_ss_add(struct omsec_ss *ss, struct omsec_span item,
    struct omsec_span attr, uint64_t inc);
/* omsec_ss_add with hash, the value omsec_ss_add returned for item. */
void omsec_ss_add_hash(struct omsec_ss *ss, struct omsec_span item,
    struct omsec_span attr, uint64_t inc, uint64_t hash);

/*
 * Inserts a counter as read back from a summary. Returns 0, or -1 when the
 * sketch is full, the item is already there, the item is empty or error
 * exceeds count.
 */
int omsec_ss_insert(struct omsec_ss *ss, struct omsec_span item,
    struct omsec_span attr, uint64_t count, uint64_t error);

/* The counter of item, or NULL. Valid until the next change. */
const struct omsec_ss_entry *omsec_ss_find(const struct omsec_ss *ss,
    struct omsec_span item);

/* dst := merge(dst, src). Returns 0, or -1 on out of memory (dst kept). */
int omsec_ss_merge(struct omsec_ss *dst, const struct omsec_ss *src);

/*
 * Fills out[] (room for omsec_ss_size entries) with the counters in
 * canonical order: count descending, then item bytes ascending. Returns
 * the number written. Pointers are valid until the next change.
 */
size_t omsec_ss_sorted(const struct omsec_ss *ss,
    const struct omsec_ss_entry **out);

#endif
