/*
 * check_analysis.c - unit tests of omsec-agg and omsec-detect's library:
 * sketches (SipHash vectors, HyperLogLog, Space-Saving exact cases, error
 * bounds and merges), summaries (golden fixture, day-split merge equals the
 * whole month, order independence, associativity), detection rules
 * (thresholds, windows, midnight, gaps, success after failures, shuffled
 * input, whole host streams one after another, the memory bounds) and
 * malformed summary lines.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agg.h"
#include "detect.h"
#include "event.h"
#include "otime.h"
#include "out.h"
#include "reader.h"
#include "sketch.h"

/* ---- helpers ---------------------------------------------------------- */

/* xorshift64*: a fixed-seed generator so every run sees the same data. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static int64_t
iso(const char *s)
{
	int64_t ms;
	int z;

	ck_assert_int_eq(omsec_parse_iso(&ms, &z, omsec_span_cstr(s)), 0);
	return ms;
}

/* Bytes written by fn through an omsec_out; caller frees. */
static char *
capture_summary(const struct omsec_summary *s, size_t *len)
{
	FILE *fp = tmpfile();
	struct omsec_out *o;
	char *buf;
	long n;

	ck_assert_ptr_nonnull(fp);
	o = omsec_out_new_fd(fileno(fp));
	ck_assert_int_eq(omsec_summary_write(s, o), 0);
	ck_assert_int_eq(omsec_out_close(o), 0);
	n = lseek(fileno(fp), 0, SEEK_END);
	ck_assert_int_ge(n, 0);
	buf = malloc((size_t)n + 1);
	ck_assert_int_eq(pread(fileno(fp), buf, (size_t)n, 0), n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static char *
capture_alerts(struct omsec_detect *d)
{
	FILE *fp = tmpfile();
	struct omsec_out *o;
	char *buf;
	long n;

	o = omsec_out_new_fd(fileno(fp));
	omsec_detect_write(d, o);
	ck_assert_int_eq(omsec_out_close(o), 0);
	n = lseek(fileno(fp), 0, SEEK_END);
	buf = malloc((size_t)n + 1);
	ck_assert_int_eq(pread(fileno(fp), buf, (size_t)n, 0), n);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* Parses summary text back into a new summary (a copy is split in place). */
static struct omsec_summary *
parse_summary(const char *text, size_t len)
{
	struct omsec_summary *s = omsec_summary_new();
	char *copy = malloc(len + 1), *p, *end;
	const char *why = NULL;
	int first = 1;

	memcpy(copy, text, len);
	copy[len] = '\0';
	for (p = copy; p < copy + len; p = end + 1) {
		end = memchr(p, '\n', (size_t)(copy + len - p));
		if (end == NULL)
			end = copy + len;
		int rc = omsec_summary_read_line(s, p, (size_t)(end - p), first,
		    &why);
		ck_assert_msg(rc == 0, "read_line: %s", why ? why : "?");
		first = 0;
	}
	free(copy);
	return s;
}

/* ---- sketches --------------------------------------------------------- */

START_TEST(test_siphash_vectors)
{
	unsigned char m[15];

	for (int i = 0; i < 15; i++)
		m[i] = (unsigned char)i;
	/* SipHash-2-4 reference vectors, key 00..0f. */
	ck_assert_uint_eq(omsec_hash64(m, 0), 0x726fdb47dd0e0e31ULL);
	ck_assert_uint_eq(omsec_hash64(m, 15), 0xa129ca6149be45e5ULL);
	ck_assert_uint_eq(omsec_hash64(m, 8), 0x93f5f5799a932462ULL);
}
END_TEST

static const int hll_small[] = { 0, 1, 10, 100, 1000 };

START_TEST(test_hll_small)
{
	struct omsec_hll h;
	char item[32];
	int n = hll_small[_i];

	omsec_hll_init(&h);
	for (int rep = 0; rep < 3; rep++)
		for (int i = 0; i < n; i++) {
			snprintf(item, sizeof(item), "10.0.%d.%d", i / 256, i % 256);
			omsec_hll_add(&h, omsec_span_cstr(item));
		}
	double e = omsec_hll_estimate(&h);
	double tol = n < 100 ? 0.5 : 0.02 * n;
	ck_assert_msg(fabs(e - n) <= tol, "n=%d estimate %f", n, e);
}
END_TEST

START_TEST(test_hll_merge)
{
	struct omsec_hll a, b, all, ab, ba;
	char item[32];

	omsec_hll_init(&a);
	omsec_hll_init(&b);
	omsec_hll_init(&all);
	for (int i = 0; i < 5000; i++) {
		snprintf(item, sizeof(item), "user%d", i);
		omsec_hll_add(i % 3 ? &a : &b, omsec_span_cstr(item));
		omsec_hll_add(&all, omsec_span_cstr(item));
	}
	ab = a;
	omsec_hll_merge(&ab, &b);
	ba = b;
	omsec_hll_merge(&ba, &a);
	ck_assert_mem_eq(ab.reg, all.reg, OMSEC_HLL_M);
	ck_assert_mem_eq(ba.reg, all.reg, OMSEC_HLL_M);

	/* Hex round trip, and a register beyond 53 is refused. */
	char *hex = malloc(2 * OMSEC_HLL_M);
	struct omsec_hll back;
	omsec_hll_to_hex(&all, hex);
	ck_assert_int_eq(omsec_hll_from_hex(&back,
	    omsec_span_make(hex, 2 * OMSEC_HLL_M)), 0);
	ck_assert_mem_eq(back.reg, all.reg, OMSEC_HLL_M);
	hex[0] = '3';
	hex[1] = '6';
	ck_assert_int_eq(omsec_hll_from_hex(&back,
	    omsec_span_make(hex, 2 * OMSEC_HLL_M)), -1);
	ck_assert_int_eq(omsec_hll_from_hex(&back,
	    omsec_span_make(hex, 2 * OMSEC_HLL_M - 1)), -1);
	free(hex);
}
END_TEST

START_TEST(test_hll_100k)
{
	struct omsec_hll h;
	char item[32];

	omsec_hll_init(&h);
	for (int i = 0; i < 100000; i++) {
		snprintf(item, sizeof(item), "198.%d.%d.%d", i >> 16,
		    (i >> 8) & 255, i & 255);
		omsec_hll_add(&h, omsec_span_cstr(item));
	}
	double e = omsec_hll_estimate(&h);
	/* Three standard errors of 1.6%. */
	ck_assert_msg(fabs(e - 100000) <= 100000 * 3 * 0.016, "estimate %f", e);
}
END_TEST

static void
ss_add_s(struct omsec_ss *ss, const char *item, int times)
{
	for (int i = 0; i < times; i++)
		omsec_ss_add(ss, omsec_span_cstr(item), OMSEC_SPAN_NULL, 1);
}

START_TEST(test_ss_exact)
{
	struct omsec_ss *ss = omsec_ss_new(4);
	const struct omsec_ss_entry *top[4];

	ss_add_s(ss, "c", 1);
	ss_add_s(ss, "b", 2);
	ss_add_s(ss, "a", 3);
	ss_add_s(ss, "d", 2);
	ck_assert_uint_eq(omsec_ss_sorted(ss, top), 4);
	/* Count descending, then bytes: a 3, b 2, d 2, c 1; all exact. */
	ck_assert_str_eq(top[0]->item, "a");
	ck_assert_uint_eq(top[0]->count, 3);
	ck_assert_str_eq(top[1]->item, "b");
	ck_assert_str_eq(top[2]->item, "d");
	ck_assert_str_eq(top[3]->item, "c");
	for (int i = 0; i < 4; i++)
		ck_assert_uint_eq(top[i]->error, 0);
	/* Full: "e" takes over the smallest counter, c (1), as 2 with error 1. */
	ss_add_s(ss, "e", 1);
	ck_assert_ptr_null(omsec_ss_find(ss, omsec_span_cstr("c")));
	const struct omsec_ss_entry *e = omsec_ss_find(ss, omsec_span_cstr("e"));
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->count, 2);
	ck_assert_uint_eq(e->error, 1);
	omsec_ss_free(ss);
}
END_TEST

START_TEST(test_ss_attr_order_free)
{
	struct omsec_ss *a = omsec_ss_new(8), *b = omsec_ss_new(8);

	omsec_ss_add(a, omsec_span_cstr("1.2.3.4"), omsec_span_cstr("US"), 1);
	omsec_ss_add(a, omsec_span_cstr("1.2.3.4"), omsec_span_cstr("CN"), 1);
	omsec_ss_add(b, omsec_span_cstr("1.2.3.4"), omsec_span_cstr("CN"), 1);
	omsec_ss_add(b, omsec_span_cstr("1.2.3.4"), omsec_span_cstr("US"), 1);
	omsec_ss_add(b, omsec_span_cstr("1.2.3.4"), OMSEC_SPAN_NULL, 1);
	const struct omsec_ss_entry *x = omsec_ss_find(a, omsec_span_cstr("1.2.3.4"));
	const struct omsec_ss_entry *y = omsec_ss_find(b, omsec_span_cstr("1.2.3.4"));
	ck_assert_int_eq(x->attr_n, 2);
	ck_assert_mem_eq(x->attr, "CN", 2);
	ck_assert_mem_eq(y->attr, "CN", 2);
	ck_assert_uint_eq(y->count, 3);
	omsec_ss_free(a);
	omsec_ss_free(b);
}
END_TEST

/* Zipf-like stream over many items; true counts kept exactly. */
#define SK_ITEMS 5000
#define SK_N 200000

static void
skewed(struct omsec_ss *ss, uint64_t *truth, uint64_t seed, int from, int to)
{
	char item[32];
	uint64_t s = seed;

	for (int i = 0; i < SK_N; i++) {
		uint64_t r = rnd(&s);
		/* Squared uniform: small ids are much more likely. */
		double u = (double)(r >> 11) / 9007199254740992.0;
		int k = (int)(u * u * u * SK_ITEMS);
		if (i < from || i >= to)
			continue;
		snprintf(item, sizeof(item), "item%d", k);
		omsec_ss_add(ss, omsec_span_cstr(item), OMSEC_SPAN_NULL, 1);
		truth[k]++;
	}
}

static void
check_bounds(const struct omsec_ss *ss, const uint64_t *truth, uint64_t n)
{
	char item[32];
	size_t cap = omsec_ss_capacity(ss);
	unsigned tracked = 0;

	for (int k = 0; k < SK_ITEMS; k++) {
		snprintf(item, sizeof(item), "item%d", k);
		const struct omsec_ss_entry *e = omsec_ss_find(ss,
		    omsec_span_cstr(item));
		if (e == NULL) {
			/* Space-Saving keeps every item above n / capacity. */
			ck_assert_msg(truth[k] <= n / cap, "item%d lost", k);
			continue;
		}
		tracked++;
		ck_assert_msg(e->count >= truth[k] &&
		    e->count - e->error <= truth[k],
		    "item%d true %llu count %llu error %llu", k,
		    (unsigned long long)truth[k], (unsigned long long)e->count,
		    (unsigned long long)e->error);
	}
	ck_assert_uint_eq(tracked, cap);
}

START_TEST(test_ss_error_bounds)
{
	static uint64_t truth[SK_ITEMS];
	struct omsec_ss *ss = omsec_ss_new(OMSEC_SS_CAPACITY);

	memset(truth, 0, sizeof(truth));
	skewed(ss, truth, 42, 0, SK_N);
	check_bounds(ss, truth, SK_N);
	/* Small capacity: heavy overflow, bounds still hold. */
	omsec_ss_free(ss);
	ss = omsec_ss_new(64);
	memset(truth, 0, sizeof(truth));
	skewed(ss, truth, 42, 0, SK_N);
	check_bounds(ss, truth, SK_N);
	omsec_ss_free(ss);
}
END_TEST

START_TEST(test_ss_merge_bounds)
{
	static uint64_t truth[SK_ITEMS];
	struct omsec_ss *a = omsec_ss_new(64), *b = omsec_ss_new(64);

	memset(truth, 0, sizeof(truth));
	skewed(a, truth, 7, 0, SK_N / 3);
	skewed(b, truth, 7, SK_N / 3, SK_N);
	ck_assert_int_eq(omsec_ss_merge(a, b), 0);
	check_bounds(a, truth, SK_N);
	omsec_ss_free(a);
	omsec_ss_free(b);
}
END_TEST

START_TEST(test_ss_merge_exact)
{
	struct omsec_ss *a = omsec_ss_new(16), *b = omsec_ss_new(16);
	struct omsec_ss *c = omsec_ss_new(16), *d = omsec_ss_new(16);
	const struct omsec_ss_entry *x[16], *y[16];

	ss_add_s(a, "x", 3);
	ss_add_s(a, "y", 1);
	ss_add_s(b, "y", 4);
	ss_add_s(b, "z", 2);
	ss_add_s(c, "x", 3);
	ss_add_s(c, "y", 1);
	ss_add_s(d, "y", 4);
	ss_add_s(d, "z", 2);
	omsec_ss_merge(a, b);	/* a+b */
	omsec_ss_merge(d, c);	/* b+a */
	ck_assert_uint_eq(omsec_ss_sorted(a, x), 3);
	ck_assert_uint_eq(omsec_ss_sorted(d, y), 3);
	for (int i = 0; i < 3; i++) {
		ck_assert_str_eq(x[i]->item, y[i]->item);
		ck_assert_uint_eq(x[i]->count, y[i]->count);
		ck_assert_uint_eq(x[i]->error, 0);
	}
	ck_assert_str_eq(x[0]->item, "y");
	ck_assert_uint_eq(x[0]->count, 5);
	ck_assert_str_eq(x[1]->item, "x");
	ck_assert_str_eq(x[2]->item, "z");
	omsec_ss_free(a);
	omsec_ss_free(b);
	omsec_ss_free(c);
	omsec_ss_free(d);
}
END_TEST

START_TEST(test_ss_long_item)
{
	struct omsec_ss *ss = omsec_ss_new(4);
	char big[1000];

	memset(big, 'u', sizeof(big));
	omsec_ss_add(ss, omsec_span_make(big, sizeof(big)), OMSEC_SPAN_NULL, 1);
	omsec_ss_add(ss, omsec_span_make(big, OMSEC_SS_ITEM_MAX), OMSEC_SPAN_NULL, 1);
	omsec_ss_add(ss, OMSEC_SPAN_NULL, OMSEC_SPAN_NULL, 1);
	ck_assert_uint_eq(omsec_ss_size(ss), 1);
	const struct omsec_ss_entry *e = omsec_ss_find(ss,
	    omsec_span_make(big, OMSEC_SS_ITEM_MAX));
	ck_assert_uint_eq(e->count, 2);
	ck_assert_uint_eq(e->n, OMSEC_SS_ITEM_MAX);
	omsec_ss_free(ss);
}
END_TEST

/*
 * omsec_ss_add skips the hash and the index when an item repeats the
 * previous one: items that share a prefix or a length with it must not be
 * taken for it, nor an item whose counter was taken over since.
 */
START_TEST(test_ss_repeat_cache)
{
	static const char *const seq[] = { "1.2.3.4", "1.2.3.4", "1.2.3.5",
	    "1.2.3.45", "1.2.3.4", "1.2.3.", "1.2.3.45", "1.2.3.4" };
	struct omsec_ss *ss = omsec_ss_new(4);
	const struct omsec_ss_entry *e;
	char big[300];

	for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		struct omsec_span it = omsec_span_cstr(seq[i]);
		ck_assert_uint_eq(omsec_ss_add(ss, it, OMSEC_SPAN_NULL, 1),
		    omsec_hash64(it.p, it.n));
	}
	ck_assert_uint_eq(omsec_ss_find(ss, omsec_span_cstr("1.2.3.4"))->count, 4);
	ck_assert_uint_eq(omsec_ss_find(ss, omsec_span_cstr("1.2.3.5"))->count, 1);
	ck_assert_uint_eq(omsec_ss_find(ss, omsec_span_cstr("1.2.3.45"))->count, 2);
	ck_assert_uint_eq(omsec_ss_find(ss, omsec_span_cstr("1.2.3."))->count, 1);
	omsec_ss_free(ss);

	/* c takes over b's counter; b then comes back as a new item. */
	ss = omsec_ss_new(2);
	ss_add_s(ss, "a", 2);
	ss_add_s(ss, "b", 1);
	ss_add_s(ss, "c", 1);
	ck_assert_ptr_null(omsec_ss_find(ss, omsec_span_cstr("b")));
	ss_add_s(ss, "b", 1);
	e = omsec_ss_find(ss, omsec_span_cstr("b"));
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->count, 3);
	ck_assert_uint_eq(e->error, 2);
	omsec_ss_free(ss);

	/* Items cut to the same OMSEC_SS_ITEM_MAX bytes are one item. */
	ss = omsec_ss_new(2);
	memset(big, 'u', sizeof(big));
	uint64_t h = omsec_hash64(big, OMSEC_SS_ITEM_MAX);
	ck_assert_uint_eq(omsec_ss_add(ss, omsec_span_make(big, sizeof(big)),
	    OMSEC_SPAN_NULL, 1), h);
	big[sizeof(big) - 1] = 'v';
	ck_assert_uint_eq(omsec_ss_add(ss, omsec_span_make(big, sizeof(big)),
	    OMSEC_SPAN_NULL, 1), h);
	ck_assert_uint_eq(omsec_ss_size(ss), 1);
	ck_assert_uint_eq(omsec_ss_add(ss, OMSEC_SPAN_NULL, OMSEC_SPAN_NULL, 1),
	    0);
	omsec_ss_free(ss);
}
END_TEST

/*
 * A bursty stream of items that share prefixes, over a small sketch:
 * Space-Saving's bounds hold, the counts add up to the stream, and
 * omsec_ss_add_hash with the hashes omsec_ss_add returns builds the same
 * sketch.
 */
START_TEST(test_ss_bursts)
{
	static uint64_t truth[SK_ITEMS];
	struct omsec_ss *a = omsec_ss_new(64), *b = omsec_ss_new(64);
	static const struct omsec_ss_entry *x[64], *y[64];
	uint64_t s = 99, n = 0, sum = 0;
	char item[32];

	memset(truth, 0, sizeof(truth));
	while (n < SK_N) {
		uint64_t r = rnd(&s);
		double u = (double)(r >> 11) / 9007199254740992.0;
		int k = (int)(u * u * u * SK_ITEMS);
		int burst = 1 + (int)(rnd(&s) % 20);
		/* item1, item12, item123...: prefixes of one another. */
		snprintf(item, sizeof(item), "item%d", k);
		for (int i = 0; i < burst && n < SK_N; i++, n++) {
			struct omsec_span it = omsec_span_cstr(item);
			uint64_t h = omsec_ss_add(a, it, OMSEC_SPAN_NULL, 1);
			ck_assert_uint_eq(h, omsec_hash64(it.p, it.n));
			omsec_ss_add_hash(b, it, OMSEC_SPAN_NULL, 1, h);
			truth[k]++;
		}
	}
	check_bounds(a, truth, SK_N);
	ck_assert_uint_eq(omsec_ss_sorted(a, x), 64);
	ck_assert_uint_eq(omsec_ss_sorted(b, y), 64);
	for (int i = 0; i < 64; i++) {
		sum += x[i]->count;
		ck_assert_int_eq(x[i]->n, y[i]->n);
		ck_assert_mem_eq(x[i]->item, y[i]->item, x[i]->n);
		ck_assert_uint_eq(x[i]->count, y[i]->count);
		ck_assert_uint_eq(x[i]->error, y[i]->error);
	}
	ck_assert_uint_eq(sum, SK_N);
	omsec_ss_free(a);
	omsec_ss_free(b);
}
END_TEST

/* ---- summaries -------------------------------------------------------- */

static char *
read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(fp != NULL, "cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static const char *
datadir(void)
{
	const char *d = getenv("OMSEC_TEST_DATA");
	return d ? d : "tests/data";
}

START_TEST(test_agg_golden)
{
	char path[512], *line, *want, *got;
	size_t len, wlen, glen;
	int trunc, rc;
	struct omsec_event_cols cols;
	struct omsec_event ev;
	const char *why;
	struct omsec_summary *s = omsec_summary_new();

	snprintf(path, sizeof(path), "%s/analysis/small.events", datadir());
	FILE *fp = fopen(path, "rb");
	ck_assert_ptr_nonnull(fp);
	struct omsec_reader *r = omsec_reader_new_fd(fileno(fp));
	omsec_event_cols_init(&cols);
	while ((rc = omsec_reader_next(r, &line, &len, &trunc)) == 1) {
		if (len > 7 && memcmp(line, "#stats\t", 7) == 0) {
			ck_assert_int_eq(omsec_summary_add_stats_line(s, line, len,
			    &why), 0);
			continue;
		}
		rc = omsec_event_read_tsv(&cols, &ev, line, len, &why);
		ck_assert_int_ge(rc, 0);
		if (rc == 1)
			ck_assert_int_eq(omsec_summary_add_event(s, &ev), 0);
	}
	omsec_reader_free(r);
	fclose(fp);
	ck_assert_uint_eq(omsec_summary_events(s), 7);
	ck_assert_uint_eq(omsec_summary_hourly_keys(s), 5);
	got = capture_summary(s, &glen);
	snprintf(path, sizeof(path), "%s/analysis/small.summary", datadir());
	want = read_file(path, &wlen);
	ck_assert_uint_eq(glen, wlen);
	ck_assert_mem_eq(got, want, wlen);

	/* Reading the summary back and writing it again changes nothing. */
	struct omsec_summary *back = parse_summary(got, glen);
	size_t blen;
	char *again = capture_summary(back, &blen);
	ck_assert_uint_eq(blen, glen);
	ck_assert_mem_eq(again, got, glen);
	free(again);
	free(got);
	free(want);
	omsec_summary_free(back);
	omsec_summary_free(s);
}
END_TEST

#define DAYS 30
#define MONTH_EVENTS 30000

static const char *const modules[] = { "sshd", "nginx", "sudo", "iptables" };
static const char *const outcomes[] = { "success", "failure", "unknown" };
static const char *const countries[] = { "CN", "US", "DE", "RU", "", "JP" };

/*
 * A month of events from a fixed seed: each event goes to whole and to the
 * summary of its day. Fewer than 1024 distinct items per dimension.
 */
static void
gen_month(struct omsec_summary *whole, struct omsec_summary **days)
{
	uint64_t s = 20261101;
	int64_t start = iso("2026-11-01T00:00:00.000Z");
	char ts[25], src[32], dst[32], user[32], url[64];

	for (int i = 0; i < MONTH_EVENTS; i++) {
		struct omsec_event ev;
		omsec_event_clear(&ev);
		ev.ts_ms = start + (int64_t)(rnd(&s) % (DAYS * 86400000ULL));
		ev.severity = (int)(rnd(&s) % 5);
		omsec_format_iso(ts, ev.ts_ms);
		ev.f[OMSEC_F_TS] = omsec_span_cstr(ts);
		ev.f[OMSEC_F_MODULE] = omsec_span_cstr(modules[rnd(&s) % 4]);
		ev.f[OMSEC_F_CATEGORY] = omsec_span_cstr("authentication");
		ev.f[OMSEC_F_ACTION] = omsec_span_cstr(rnd(&s) % 2 ? "login" : "http_request");
		ev.f[OMSEC_F_OUTCOME] = omsec_span_cstr(outcomes[rnd(&s) % 3]);
		snprintf(src, sizeof(src), "203.0.%d.%d", (int)(rnd(&s) % 3),
		    (int)(rnd(&s) % 250));
		ev.f[OMSEC_F_SRC_IP] = omsec_span_cstr(src);
		snprintf(dst, sizeof(dst), "10.0.0.%d", (int)(rnd(&s) % 40));
		ev.f[OMSEC_F_DST_IP] = omsec_span_cstr(dst);
		if (rnd(&s) % 4) {
			snprintf(user, sizeof(user), "user%d", (int)(rnd(&s) % 300));
			ev.f[OMSEC_F_USER] = omsec_span_cstr(user);
		}
		snprintf(url, sizeof(url), "/page/%d?q=\t%d", (int)(rnd(&s) % 500),
		    (int)(rnd(&s) % 2));
		ev.f[OMSEC_F_URL] = omsec_span_cstr(url);
		/* The country follows the address, as GeoIP would give it. */
		ev.f[OMSEC_F_COUNTRY] = omsec_span_cstr(countries[(src[7] +
		    strlen(src)) % 6]);
		ck_assert_int_eq(omsec_summary_add_event(whole, &ev), 0);
		int day = (int)((ev.ts_ms - start) / 86400000);
		ck_assert_int_eq(omsec_summary_add_event(days[day], &ev), 0);
	}
	for (int d = 0; d < DAYS; d++) {
		char path[32];
		snprintf(path, sizeof(path), "/var/log/day%d.log", d % 7);
		omsec_summary_add_source(days[d], omsec_span_cstr(path), 100, 90, 10);
		omsec_summary_add_source(whole, omsec_span_cstr(path), 100, 90, 10);
	}
}

START_TEST(test_agg_merge_month)
{
	struct omsec_summary *whole = omsec_summary_new(), *days[DAYS];
	char *text[DAYS], *want;
	size_t tlen[DAYS], wlen;

	for (int d = 0; d < DAYS; d++)
		days[d] = omsec_summary_new();
	gen_month(whole, days);
	want = capture_summary(whole, &wlen);
	for (int d = 0; d < DAYS; d++) {
		ck_assert_uint_gt(omsec_summary_events(days[d]), 0);
		text[d] = capture_summary(days[d], &tlen[d]);
	}

	/* In day order, in reverse and in a shuffled order: same bytes. */
	int order[DAYS];
	uint64_t seed = 99;
	for (int variant = 0; variant < 3; variant++) {
		for (int d = 0; d < DAYS; d++)
			order[d] = variant == 1 ? DAYS - 1 - d : d;
		if (variant == 2)
			for (int d = DAYS - 1; d > 0; d--) {
				int j = (int)(rnd(&seed) % (uint64_t)(d + 1));
				int t = order[d];
				order[d] = order[j];
				order[j] = t;
			}
		struct omsec_summary *m = omsec_summary_new();
		for (int d = 0; d < DAYS; d++) {
			struct omsec_summary *one = parse_summary(text[order[d]],
			    tlen[order[d]]);
			ck_assert_int_eq(omsec_summary_merge(m, one), 0);
			omsec_summary_free(one);
		}
		size_t mlen;
		char *got = capture_summary(m, &mlen);
		ck_assert_msg(mlen == wlen && memcmp(got, want, wlen) == 0,
		    "variant %d differs from the whole month", variant);
		free(got);
		omsec_summary_free(m);
	}

	/* Associativity: merge(merge(A,B),C) == merge(A,B,C), through text. */
	struct omsec_summary *ab = parse_summary(text[0], tlen[0]);
	struct omsec_summary *b = parse_summary(text[1], tlen[1]);
	struct omsec_summary *c = parse_summary(text[2], tlen[2]);
	omsec_summary_merge(ab, b);
	size_t ablen, l1, l2;
	char *abtext = capture_summary(ab, &ablen);
	struct omsec_summary *left = parse_summary(abtext, ablen);
	omsec_summary_merge(left, c);
	struct omsec_summary *flat = parse_summary(text[0], tlen[0]);
	omsec_summary_merge(flat, b);
	omsec_summary_merge(flat, c);
	char *t1 = capture_summary(left, &l1), *t2 = capture_summary(flat, &l2);
	ck_assert_uint_eq(l1, l2);
	ck_assert_mem_eq(t1, t2, l1);
	free(t1);
	free(t2);
	free(abtext);
	omsec_summary_free(ab);
	omsec_summary_free(b);
	omsec_summary_free(c);
	omsec_summary_free(left);
	omsec_summary_free(flat);

	for (int d = 0; d < DAYS; d++) {
		free(text[d]);
		omsec_summary_free(days[d]);
	}
	free(want);
	omsec_summary_free(whole);
}
END_TEST

/*
 * omsec_summary_add_event reuses the last event's hourly entry and each
 * sketch's last counter and hash: the same events in runs and one by one
 * must give the same summary, and the distinct counts must be those of
 * omsec_hll_add on the whole values, long (cut) ones included.
 */
#define RUN_KINDS 12
#define RUN_EVENTS 4000

static void
run_event(struct omsec_event *ev, int k, char *user, char *src, char *ts)
{
	static const char *const outc[] = { "failure", "success", "failure " };

	omsec_event_clear(ev);
	/* Two hours, three outcomes, users and sources that share prefixes,
	 * and two users cut to the same OMSEC_SS_ITEM_MAX bytes. */
	ev->ts_ms = iso(k % 2 ? "2026-11-03T02:10:00.000Z" :
	    "2026-11-03T03:10:00.000Z");
	omsec_format_iso(ts, ev->ts_ms);
	ev->f[OMSEC_F_TS] = omsec_span_cstr(ts);
	ev->f[OMSEC_F_MODULE] = omsec_span_cstr("sshd");
	ev->f[OMSEC_F_OUTCOME] = omsec_span_cstr(outc[k % 3]);
	memset(user, 'u', 300);
	user[300] = '\0';
	if (k < 8)
		snprintf(user, 300, "%.*s", k + 1, "admin123");
	else
		user[299] = (char)('a' + k % 2);	/* k 8-11: long */
	ev->f[OMSEC_F_USER] = omsec_span_cstr(user);
	snprintf(src, 32, "10.0.0.%d", k % 2 ? k : 10 * k);
	ev->f[OMSEC_F_SRC_IP] = omsec_span_cstr(src);
	ev->f[OMSEC_F_COUNTRY] = omsec_span_cstr(k % 4 ? "CN" : "US");
}

START_TEST(test_agg_runs)
{
	struct omsec_summary *runs = omsec_summary_new();
	struct omsec_summary *single = omsec_summary_new();
	struct omsec_hll users, srcs;
	static int kind[RUN_EVENTS];
	char user[301], src[32], ts[25];
	uint64_t s = 5;
	int n = 0;

	omsec_hll_init(&users);
	omsec_hll_init(&srcs);
	while (n < RUN_EVENTS) {
		int k = (int)(rnd(&s) % RUN_KINDS);
		int burst = 1 + (int)(rnd(&s) % 30);
		for (int i = 0; i < burst && n < RUN_EVENTS; i++)
			kind[n++] = k;
	}
	for (int i = 0; i < RUN_EVENTS; i++) {
		struct omsec_event ev;
		run_event(&ev, kind[i], user, src, ts);
		ck_assert_int_eq(omsec_summary_add_event(runs, &ev), 0);
		omsec_hll_add(&users, ev.f[OMSEC_F_USER]);
		omsec_hll_add(&srcs, ev.f[OMSEC_F_SRC_IP]);
	}
	/* The same events, a kind at a time round robin: no two alike in a
	 * row while more than one kind is left. */
	int left[RUN_KINDS] = { 0 }, more = 1;
	for (int i = 0; i < RUN_EVENTS; i++)
		left[kind[i]]++;
	while (more) {
		more = 0;
		for (int k = 0; k < RUN_KINDS; k++) {
			struct omsec_event ev;
			if (left[k] == 0)
				continue;
			left[k]--;
			more = 1;
			run_event(&ev, k, user, src, ts);
			ck_assert_int_eq(omsec_summary_add_event(single, &ev), 0);
		}
	}
	size_t l1, l2;
	char *t1 = capture_summary(runs, &l1), *t2 = capture_summary(single, &l2);
	ck_assert_uint_eq(l1, l2);
	ck_assert_mem_eq(t1, t2, l1);
	ck_assert_mem_eq(omsec_summary_hll(runs, OMSEC_DIM_USER)->reg, users.reg,
	    OMSEC_HLL_M);
	ck_assert_mem_eq(omsec_summary_hll(runs, OMSEC_DIM_SRC_IP)->reg,
	    srcs.reg, OMSEC_HLL_M);
	/* 8 short users, and the long ones are 2 distinct values cut to 1. */
	ck_assert_uint_eq(omsec_ss_size(omsec_summary_top(runs,
	    OMSEC_DIM_USER)), 9);
	ck_assert_double_eq_tol(omsec_hll_estimate(&users), 10, 0.5);
	ck_assert_uint_eq(omsec_summary_hourly_keys(runs), 6);
	free(t1);
	free(t2);
	omsec_summary_free(runs);
	omsec_summary_free(single);
}
END_TEST

/* ---- detection -------------------------------------------------------- */

struct dev {
	const char *ts, *outcome, *action, *ip, *user, *ref;
};

static struct omsec_detect *
run_detect(const struct omsec_detect_opts *o, const struct dev *evs, int n)
{
	struct omsec_detect *d = omsec_detect_new(o);

	ck_assert_ptr_nonnull(d);
	for (int i = 0; i < n; i++) {
		struct omsec_event ev;
		omsec_event_clear(&ev);
		ev.ts_ms = iso(evs[i].ts);
		ev.f[OMSEC_F_MODULE] = omsec_span_cstr("sshd");
		ev.f[OMSEC_F_OUTCOME] = omsec_span_cstr(evs[i].outcome);
		ev.f[OMSEC_F_ACTION] = omsec_span_cstr(evs[i].action ?
		    evs[i].action : "login");
		ev.f[OMSEC_F_SRC_IP] = omsec_span_cstr(evs[i].ip);
		ev.f[OMSEC_F_USER] = omsec_span_cstr(evs[i].user ? evs[i].user : "");
		ev.f[OMSEC_F_REF] = omsec_span_cstr(evs[i].ref ? evs[i].ref : "");
		ck_assert_int_eq(omsec_detect_event(d, &ev), 0);
	}
	ck_assert_int_eq(omsec_detect_finish(d), 0);
	return d;
}

/* N = 5 within W = 60 s; M = 3 within W2 = 300 s. */
static const struct omsec_detect_opts small_opts = { .bf_failures = 5,
    .bf_window_ms = 60000, .saf_failures = 3, .saf_window_ms = 300000,
    .max_sources = 1024, .max_held = 1 << 16, .unusual_from = -1,
    .unusual_to = -1 };

static const struct dev at_threshold[] = {
	{ "2026-11-03T10:00:00.000Z", "failure", NULL, "192.0.2.7", "root", "a.log:1" },
	{ "2026-11-03T10:00:10.000Z", "failure", NULL, "192.0.2.7", "root", "a.log:2" },
	{ "2026-11-03T10:00:20.000Z", "failure", NULL, "192.0.2.7", "root", "a.log:3" },
	{ "2026-11-03T10:00:40.000Z", "failure", NULL, "192.0.2.7", "root", "a.log:4" },
	{ "2026-11-03T10:01:00.000Z", "failure", NULL, "192.0.2.7", "admin", "a,b.log:5" },
};

START_TEST(test_bf_threshold)
{
	size_t n;
	struct omsec_detect *d = run_detect(&small_opts, at_threshold, 5);
	const struct omsec_alert *a = omsec_detect_alerts(d, &n);

	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(a[0].rule, "ssh_bruteforce");
	ck_assert_str_eq(a[0].level, "important");
	ck_assert_str_eq(a[0].entity_type, "src_ip");
	ck_assert_str_eq(a[0].entity, "192.0.2.7");
	ck_assert_int_eq(a[0].first, iso("2026-11-03T10:00:00Z"));
	ck_assert_int_eq(a[0].last, iso("2026-11-03T10:01:00Z"));
	ck_assert_uint_eq(a[0].count, 5);
	ck_assert_str_eq(a[0].explanation,
	    "5 failed SSH logins from 192.0.2.7 in 60 s");
	ck_assert_str_eq(a[0].refs, "a.log:1,a.log:2,a.log:3,a.log:4,a%2Cb.log:5");
	ck_assert_int_eq(strncmp(a[0].id, "ssh_bruteforce-", 15), 0);
	ck_assert_uint_eq(strlen(a[0].id), 15 + 12);
	ck_assert_uint_eq(strspn(a[0].id + 15, "0123456789abcdef"), 12);
	omsec_detect_free(d);

	/* One below the threshold: nothing. */
	d = run_detect(&small_opts, at_threshold, 4);
	omsec_detect_alerts(d, &n);
	ck_assert_uint_eq(n, 0);
	omsec_detect_free(d);

	/* Five failures spread over W + 1 ms: one burst, never 5 in W. */
	struct dev wide[5];
	memcpy(wide, at_threshold, sizeof(wide));
	wide[4].ts = "2026-11-03T10:01:00.001Z";
	d = run_detect(&small_opts, wide, 5);
	omsec_detect_alerts(d, &n);
	ck_assert_uint_eq(n, 0);
	omsec_detect_free(d);
}
END_TEST

START_TEST(test_bf_midnight_and_gap)
{
	static const struct dev evs[] = {
		{ "2026-11-03T23:59:30.000Z", "failure", NULL, "192.0.2.8", NULL, "b:1" },
		{ "2026-11-03T23:59:45.000Z", "failure", NULL, "192.0.2.8", NULL, "b:2" },
		{ "2026-11-03T23:59:59.999Z", "failure", NULL, "192.0.2.8", NULL, "b:3" },
		{ "2026-11-04T00:00:10.000Z", "failure", NULL, "192.0.2.8", NULL, "b:4" },
		{ "2026-11-04T00:00:25.000Z", "failure", NULL, "192.0.2.8", NULL, "b:5" },
		{ "2026-11-04T00:01:20.000Z", "failure", NULL, "192.0.2.8", NULL, "b:6" },
		/* Gap of W + 1 ms: a second burst. */
		{ "2026-11-04T00:02:20.001Z", "failure", NULL, "192.0.2.8", NULL, "b:7" },
		{ "2026-11-04T00:02:21.000Z", "failure", NULL, "192.0.2.8", NULL, "b:8" },
		{ "2026-11-04T00:02:22.000Z", "failure", NULL, "192.0.2.8", NULL, "b:9" },
		{ "2026-11-04T00:02:23.000Z", "failure", NULL, "192.0.2.8", NULL, "b:10" },
		{ "2026-11-04T00:02:24.000Z", "failure", NULL, "192.0.2.8", NULL, "b:11" },
	};
	size_t n;
	struct omsec_detect *d = run_detect(&small_opts, evs, 11);
	const struct omsec_alert *a = omsec_detect_alerts(d, &n);

	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(a[0].first, iso("2026-11-03T23:59:30Z"));
	ck_assert_int_eq(a[0].last, iso("2026-11-04T00:01:20Z"));
	ck_assert_uint_eq(a[0].count, 6);
	ck_assert_int_eq(a[1].first, iso("2026-11-04T00:02:20.001Z"));
	ck_assert_uint_eq(a[1].count, 5);
	ck_assert_str_eq(a[1].refs, "b:7,b:8,b:9,b:10,b:11");
	ck_assert_str_ne(a[0].id, a[1].id);
	omsec_detect_free(d);
}
END_TEST

START_TEST(test_bf_urgent)
{
	struct dev evs[60];
	char ts[60][25], ref[60][16];
	size_t n;

	for (int i = 0; i < 60; i++) {
		omsec_format_iso(ts[i], iso("2026-11-05T08:00:00Z") + i * 1000);
		snprintf(ref[i], sizeof(ref[i]), "c:%d", i + 1);
		evs[i] = (struct dev){ ts[i], "failure", NULL, "2001:db8::1", "root", ref[i] };
	}
	struct omsec_detect *d = run_detect(&small_opts, evs, 49);
	const struct omsec_alert *a = omsec_detect_alerts(d, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(a[0].level, "important");
	omsec_detect_free(d);
	d = run_detect(&small_opts, evs, 50);
	a = omsec_detect_alerts(d, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(a[0].level, "urgent");
	ck_assert_uint_eq(a[0].count, 50);
	/* Only the first 10 refs are kept. */
	ck_assert_str_eq(a[0].refs, "c:1,c:2,c:3,c:4,c:5,c:6,c:7,c:8,c:9,c:10");
	omsec_detect_free(d);
}
END_TEST

START_TEST(test_saf)
{
	static const struct dev pos[] = {
		{ "2026-11-06T01:00:00.000Z", "failure", NULL, "198.51.100.3", "root", "d:1" },
		{ "2026-11-06T01:01:00.000Z", "failure", NULL, "198.51.100.3", "root", "d:2" },
		{ "2026-11-06T01:02:00.000Z", "failure", NULL, "198.51.100.3", "root", "d:3" },
		{ "2026-11-06T01:03:00.000Z", "success", "login", "198.51.100.3", "oracle", "d:4" },
		/* A second success right after: the failures were reported. */
		{ "2026-11-06T01:03:30.000Z", "success", "login", "198.51.100.3", "oracle", "d:5" },
	};
	size_t n;
	struct omsec_detect *d = run_detect(&small_opts, pos, 5);
	const struct omsec_alert *a = omsec_detect_alerts(d, &n);

	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(a[0].rule, "ssh_success_after_failures");
	ck_assert_str_eq(a[0].level, "urgent");
	ck_assert_str_eq(a[0].entity, "198.51.100.3");
	ck_assert_uint_eq(a[0].count, 4);
	ck_assert_int_eq(a[0].first, iso("2026-11-06T01:00:00Z"));
	ck_assert_int_eq(a[0].last, iso("2026-11-06T01:03:00Z"));
	ck_assert_str_eq(a[0].explanation, "Successful SSH login as oracle from "
	    "198.51.100.3 after 3 failed logins in 3 min");
	ck_assert_str_eq(a[0].refs, "d:1,d:2,d:3,d:4");
	omsec_detect_free(d);

	/* Two failures only; or three but the first is older than W2. */
	struct dev neg[4];
	memcpy(neg, pos, sizeof(neg));
	neg[0] = neg[1];
	d = run_detect(&small_opts, neg + 1, 3);
	omsec_detect_alerts(d, &n);
	ck_assert_uint_eq(n, 0);
	omsec_detect_free(d);
	memcpy(neg, pos, sizeof(neg));
	neg[0].ts = "2026-11-06T00:57:59.999Z";
	d = run_detect(&small_opts, neg, 4);
	omsec_detect_alerts(d, &n);
	ck_assert_uint_eq(n, 0);
	omsec_detect_free(d);
	/* A success from another address does not count. */
	memcpy(neg, pos, sizeof(neg));
	neg[3].ip = "198.51.100.4";
	d = run_detect(&small_opts, neg, 4);
	omsec_detect_alerts(d, &n);
	ck_assert_uint_eq(n, 0);
	omsec_detect_free(d);
}
END_TEST

START_TEST(test_detect_unsorted)
{
	enum { NE = 3000 };
	static struct dev evs[NE], shuf[NE];
	static char ts[NE][25], ip[NE][32], ref[NE][24];
	uint64_t s = 5;
	int64_t t0 = iso("2026-11-07T00:00:00Z");
	struct omsec_detect_opts o = small_opts;

	for (int i = 0; i < NE; i++) {
		/* Eight hosts' attackers, times increasing with jitter. */
		omsec_format_iso(ts[i], t0 + i * 4000 + (int64_t)(rnd(&s) % 1000));
		snprintf(ip[i], sizeof(ip[i]), "203.0.113.%d", (int)(rnd(&s) % 8));
		snprintf(ref[i], sizeof(ref[i]), "h%d.log:%d", i % 3, i + 1);
		evs[i] = (struct dev){ ts[i], rnd(&s) % 20 ? "failure" : "success",
		    "login", ip[i], "root", ref[i] };
	}
	/* Any order: a full shuffle (rules run per source on event time). */
	memcpy(shuf, evs, sizeof(evs));
	for (int i = NE - 1; i > 0; i--) {
		int j = (int)(rnd(&s) % (uint64_t)(i + 1));
		struct dev t = shuf[i];
		shuf[i] = shuf[j];
		shuf[j] = t;
	}
	struct omsec_detect *d1 = run_detect(&o, evs, NE);
	struct omsec_detect *d2 = run_detect(&o, shuf, NE);
	size_t n1, n2;
	omsec_detect_alerts(d1, &n1);
	omsec_detect_alerts(d2, &n2);
	ck_assert_uint_gt(n1, 5);
	ck_assert_uint_eq(n1, n2);
	ck_assert_uint_eq(omsec_detect_late(d2), 0);
	ck_assert_uint_eq(omsec_detect_evicted(d2), 0);
	char *t1 = capture_alerts(d1), *t2 = capture_alerts(d2);
	ck_assert_str_eq(t1, t2);
	free(t1);
	free(t2);
	omsec_detect_free(d1);
	omsec_detect_free(d2);
}
END_TEST

/*
 * What omsec-ingest DIR writes: host A's whole month, then host B's whole
 * month, so event time jumps back by weeks between the two. Noise addresses
 * fail on both hosts, 7 min apart per host and offset between hosts, so
 * their merged timeline never holds 5 failures in 60 s. True alerts:
 *  X 192.0.2.10: 6 failures on A in 50 s on Nov 20 (brute force);
 *  Y 192.0.2.11: 3 failures on A and 3 on B interleaved within 50 s on
 *    Nov 5: neither host alone reaches 5, the merged timeline does;
 *  Z 192.0.2.12: 3 failures on A, then the success on B 2 min later on
 *    Nov 12 (success after failures, no brute force).
 */
enum { NNOISE = 40, NPER = 300, NHOST = NNOISE * NPER + 16 };
static struct dev hosts[2][NHOST];
static int nhost[2];
static char hts[2][NHOST][25], hip[2][NHOST][32], href[2][NHOST][24];

static void
host_add(int h, int64_t t, const char *ip, const char *outcome)
{
	int i = nhost[h]++;

	ck_assert_int_lt(i, NHOST);
	omsec_format_iso(hts[h][i], t);
	snprintf(hip[h][i], sizeof(hip[h][i]), "%s", ip);
	snprintf(href[h][i], sizeof(href[h][i]), "%c.log:%d", 'a' + h, i + 1);
	hosts[h][i] = (struct dev){ hts[h][i], outcome, "login", hip[h][i],
	    "root", href[h][i] };
}

static int
dev_cmp_ts(const void *pa, const void *pb)
{
	const struct dev *a = pa, *b = pb;

	return strcmp(a->ts, b->ts);	/* fixed-width ISO: bytes order time */
}

/* Fills hosts[][]: each host's stream sorted by time, as a log would be. */
static void
make_two_hosts(void)
{
	int64_t m0 = iso("2026-11-01T00:00:00Z");
	char ip[32];

	nhost[0] = nhost[1] = 0;
	for (int k = 0; k < NNOISE; k++) {
		snprintf(ip, sizeof(ip), "198.18.%d.%d", k / 7, k);
		for (int i = 0; i < NPER; i++) {
			int64_t t = m0 + (int64_t)k * 11000 + (int64_t)i * 420000;
			host_add(0, t, ip, "failure");
			host_add(1, t + 200000, ip, "failure");
		}
	}
	for (int i = 0; i < 6; i++)
		host_add(0, iso("2026-11-20T03:00:00Z") + i * 10000, "192.0.2.10",
		    "failure");
	for (int i = 0; i < 3; i++) {
		host_add(0, iso("2026-11-05T12:00:00Z") + i * 20000, "192.0.2.11",
		    "failure");
		host_add(1, iso("2026-11-05T12:00:10Z") + i * 20000, "192.0.2.11",
		    "failure");
		host_add(0, iso("2026-11-12T08:00:00Z") + i * 30000, "192.0.2.12",
		    "failure");
	}
	host_add(1, iso("2026-11-12T08:03:00Z"), "192.0.2.12", "success");
	for (int h = 0; h < 2; h++)
		qsort(hosts[h], (size_t)nhost[h], sizeof(hosts[h][0]), dev_cmp_ts);
}

static void
check_two_host_alerts(struct omsec_detect *d)
{
	size_t n;
	const struct omsec_alert *a = omsec_detect_alerts(d, &n);

	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(a[0].rule, "ssh_bruteforce");
	ck_assert_str_eq(a[0].entity, "192.0.2.11");
	ck_assert_int_eq(a[0].first, iso("2026-11-05T12:00:00Z"));
	ck_assert_int_eq(a[0].last, iso("2026-11-05T12:00:50Z"));
	ck_assert_uint_eq(a[0].count, 6);
	ck_assert_str_eq(a[1].rule, "ssh_success_after_failures");
	ck_assert_str_eq(a[1].entity, "192.0.2.12");
	ck_assert_int_eq(a[1].first, iso("2026-11-12T08:00:00Z"));
	ck_assert_int_eq(a[1].last, iso("2026-11-12T08:03:00Z"));
	ck_assert_uint_eq(a[1].count, 4);
	ck_assert_str_eq(a[2].rule, "ssh_bruteforce");
	ck_assert_str_eq(a[2].entity, "192.0.2.10");
	ck_assert_int_eq(a[2].first, iso("2026-11-20T03:00:00Z"));
	ck_assert_int_eq(a[2].last, iso("2026-11-20T03:00:50Z"));
	ck_assert_uint_eq(a[2].count, 6);
}

START_TEST(test_detect_host_streams)
{
	static struct dev cat[2 * NHOST], merged[2 * NHOST];
	int n;

	make_two_hosts();
	n = nhost[0] + nhost[1];
	memcpy(cat, hosts[0], (size_t)nhost[0] * sizeof(cat[0]));
	memcpy(cat + nhost[0], hosts[1], (size_t)nhost[1] * sizeof(cat[0]));
	memcpy(merged, cat, (size_t)n * sizeof(cat[0]));
	qsort(merged, (size_t)n, sizeof(merged[0]), dev_cmp_ts);

	/* A then B, B then A, and one time-sorted stream: the same bytes. */
	struct omsec_detect *d1 = run_detect(&small_opts, cat, n);
	check_two_host_alerts(d1);
	ck_assert_uint_eq(omsec_detect_late(d1), 0);
	ck_assert_uint_eq(omsec_detect_evicted(d1), 0);
	memcpy(cat, hosts[1], (size_t)nhost[1] * sizeof(cat[0]));
	memcpy(cat + nhost[1], hosts[0], (size_t)nhost[0] * sizeof(cat[0]));
	struct omsec_detect *d2 = run_detect(&small_opts, cat, n);
	struct omsec_detect *d3 = run_detect(&small_opts, merged, n);
	char *t1 = capture_alerts(d1), *t2 = capture_alerts(d2),
	    *t3 = capture_alerts(d3);
	ck_assert_str_eq(t1, t2);
	ck_assert_str_eq(t1, t3);
	free(t1);
	free(t2);
	free(t3);
	omsec_detect_free(d1);
	omsec_detect_free(d2);
	omsec_detect_free(d3);
}
END_TEST

/*
 * Over the bounds, evidence may be split but an event is never moved in
 * time: the two-host input with room for only 8 sources, or 64 held events
 * (4 per source), gives no alert on a noise address, and still the attacks
 * that stay within one host's stream.
 */
START_TEST(test_detect_bounds)
{
	static struct dev cat[2 * NHOST];
	struct omsec_detect_opts o = small_opts;
	size_t n;

	make_two_hosts();
	memcpy(cat, hosts[0], (size_t)nhost[0] * sizeof(cat[0]));
	memcpy(cat + nhost[0], hosts[1], (size_t)nhost[1] * sizeof(cat[0]));
	for (int pass = 0; pass < 2; pass++) {
		o = small_opts;
		if (pass == 0)
			o.max_sources = 8;
		else
			o.max_held = 64;
		struct omsec_detect *d = run_detect(&o, cat, nhost[0] + nhost[1]);
		const struct omsec_alert *a = omsec_detect_alerts(d, &n);
		if (pass == 0)
			ck_assert_uint_gt(omsec_detect_evicted(d), 0);
		else
			ck_assert_uint_gt(omsec_detect_late(d), 0);
		ck_assert_uint_eq(n, 1);
		ck_assert_str_eq(a[0].rule, "ssh_bruteforce");
		ck_assert_str_eq(a[0].entity, "192.0.2.10");
		ck_assert_uint_eq(a[0].count, 6);
		omsec_detect_free(d);
	}
}
END_TEST

/* ---- malformed summaries ---------------------------------------------- */

static const struct {
	const char *line;
	int first;
	const char *why;	/* a word the message must contain */
} bad_lines[] = {
	{ "#omsec-summary\t2", 1, "version" },
	{ "#omsec-events\t1", 1, "not an omsec summary" },
	{ "events\t-3", 0, "events" },
	{ "events\t12x", 0, "events" },
	{ "period\t2026-11-01T00:00:00.000Z", 0, "period" },
	{ "period\t2026-11-02T00:00:00.000Z\t2026-11-01T00:00:00.000Z", 0, "period" },
	{ "hourly\t2026-02-30T01\tsshd\tauth\tlogin\tfailure\t2\t5", 0, "hour" },
	{ "hourly\t2026-11-03T24\tsshd\tauth\tlogin\tfailure\t2\t5", 0, "hour" },
	{ "hourly\t2026-11-03T02\tsshd\tauth\tlogin\tfailure\t5\t5", 0, "severity" },
	{ "hourly\t2026-11-03T02\tsshd\tauth\tlogin\tfailure\t2", 0, "hourly" },
	{ "top\tbogus\tx\t1\t0\t-", 0, "dimension" },
	{ "top\tuser\troot\t1\t2\t-", 0, "error" },
	{ "top\tuser\t-\t1\t0\t-", 0, "empty" },
	{ "top\tuser\tro\\qot\t1\t0\t-", 0, "top" },
	{ "hll\tsrc_ip\t14\t00", 0, "precision" },
	{ "hll\tdst_ip\t12\t00", 0, "dimension" },
	{ "source\t/var/log/x\t1\t2", 0, "source" },
	{ "frobnicate\t1", 0, "unknown" },
};

START_TEST(test_summary_malformed)
{
	struct omsec_summary *s = omsec_summary_new();
	char buf[256];
	const char *why = NULL;

	snprintf(buf, sizeof(buf), "%s", bad_lines[_i].line);
	ck_assert_int_eq(omsec_summary_read_line(s, buf, strlen(buf),
	    bad_lines[_i].first, &why), -1);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strstr(why, bad_lines[_i].why) != NULL,
	    "'%s' gave '%s'", bad_lines[_i].line, why);
	omsec_summary_free(s);
}
END_TEST

START_TEST(test_summary_duplicate_top)
{
	struct omsec_summary *s = omsec_summary_new();
	char a[] = "top\tuser\troot\t3\t0\t-", b[] = "top\tuser\troot\t1\t0\t-";
	const char *why;

	ck_assert_int_eq(omsec_summary_read_line(s, a, strlen(a), 0, &why), 0);
	ck_assert_int_eq(omsec_summary_read_line(s, b, strlen(b), 0, &why), -1);
	omsec_summary_free(s);
}
END_TEST

START_TEST(test_detect_bad_opts)
{
	struct omsec_detect_opts o = OMSEC_DETECT_OPTS_INIT;

	o.bf_failures = 0;
	ck_assert_ptr_null(omsec_detect_new(&o));
	o.bf_failures = 10;
	o.max_sources = 0;
	ck_assert_ptr_null(omsec_detect_new(&o));
	o.max_sources = 1;
	o.max_held = 0;
	ck_assert_ptr_null(omsec_detect_new(&o));
}
END_TEST

static Suite *
analysis_suite(void)
{
	Suite *s = suite_create("analysis");
	TCase *core = tcase_create("core");
	TCase *limits = tcase_create("limits");
	TCase *bad = tcase_create("malformed");

	tcase_add_test(core, test_siphash_vectors);
	tcase_add_loop_test(core, test_hll_small, 0,
	    (int)(sizeof(hll_small) / sizeof(hll_small[0])));
	tcase_add_test(core, test_hll_merge);
	tcase_add_test(core, test_ss_exact);
	tcase_add_test(core, test_ss_attr_order_free);
	tcase_add_test(core, test_ss_merge_exact);
	tcase_add_test(core, test_agg_golden);
	tcase_add_test(core, test_agg_merge_month);
	tcase_add_test(core, test_agg_runs);
	tcase_add_test(core, test_bf_threshold);
	tcase_add_test(core, test_bf_midnight_and_gap);
	tcase_add_test(core, test_bf_urgent);
	tcase_add_test(core, test_saf);
	tcase_add_test(core, test_detect_unsorted);
	tcase_add_test(core, test_detect_host_streams);
	tcase_add_test(limits, test_detect_bounds);
	tcase_add_test(limits, test_hll_100k);
	tcase_add_test(limits, test_ss_error_bounds);
	tcase_add_test(limits, test_ss_merge_bounds);
	tcase_add_test(limits, test_ss_long_item);
	tcase_add_test(limits, test_ss_repeat_cache);
	tcase_add_test(limits, test_ss_bursts);
	tcase_add_loop_test(bad, test_summary_malformed, 0,
	    (int)(sizeof(bad_lines) / sizeof(bad_lines[0])));
	tcase_add_test(bad, test_summary_duplicate_top);
	tcase_add_test(bad, test_detect_bad_opts);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	suite_add_tcase(s, bad);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(analysis_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
