/*
 * enrich.c - GeoIP / ASN / zone enrichment (see enrich.h).
 *
 * Reads MaxMind DB files (https://maxmind.github.io/MaxMind-DB/) through
 * libmaxminddb in MMDB_MODE_MMAP. A GeoIP2 City record looks like
 *   {"city":{"names":{"en":"London"}},"country":{"iso_code":"GB"},...}
 * a GeoLite2-ASN record like
 *   {"autonomous_system_number":1221,"autonomous_system_organization":"Telstra Pty Ltd"}
 * and an ip-location-db geo-whois-asn-country record like
 *   {"country_code":"US"}
 *
 * Lookups go through MMDB_lookup_sockaddr on the already parsed address (no
 * second text parse) and MMDB_aget_value with constant path arrays
 * (MMDB_get_value would calloc a path array on every call). The strings it
 * hands back point into the mapping and stay valid until MMDB_close, so a
 * result holds spans, not copies; only the ASN number is formatted, into the
 * result's own slot.
 *
 * Attack traffic repeats addresses (a brute-forcer sends thousands of lines
 * from one source), so results are kept in a direct-mapped cache indexed by
 * a hash of the 16 address bytes: a hit costs a hash and a compare, a
 * collision simply replaces the slot. Memory: slots * sizeof(struct slot).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <maxminddb.h>

#include "assets.h"
#include "enrich.h"
#include "otime.h"
#include "out.h"
#include "sketch.h"

enum zone { ZONE_NONE, ZONE_INTERNAL, ZONE_EXTERNAL };

/* One cached result; the string pointers point into a mapped database. */
struct slot {
	uint8_t key[16];
	uint8_t used;
	uint8_t zone;
	uint8_t asn_n;
	char asn[11];			/* decimal uint32 */
	const char *country, *city, *org;
	uint32_t country_n, city_n, org_n;
};

struct db {
	MMDB_s mmdb;
	int open;
	int kind;			/* enum omsec_geodb_kind bits */
};

struct omsec_enrich {
	struct db db[2];		/* 0 = geoip, 1 = asn */
	const struct omsec_config *cfg;
	struct slot *slots;		/* NULL when the cache is off */
	size_t mask;
	struct slot scratch;		/* result when the cache is off */
	uint64_t hits, misses;
	int has_country, has_city, has_asn;
	struct pseudo *pseudo;		/* NULL: addresses and names kept */
	const struct omsec_asset_index *assets;	/* borrowed; NULL: none */
	/* The last src_ip text and what it parsed to: most events come
	 * from the same source as the one before (9 in 10 of a brute
	 * force), and parsing cost more than the cached lookup. */
	char last_src[48];
	size_t last_src_n;		/* 0: none */
	int last_src_ok;
	struct omsec_ip last_ip;
};

/*
 * Pseudonymisation state: the SipHash-2-4 key, the tokens of the current
 * event and its rewritten message (valid until the next event).
 */
#define PSEUDO_MSG_CAP (256 * 1024)
struct pseudo {
	uint64_t k0, k1;
	char ip_tok[OMSEC_PSEUDO_TOKEN];
	char user_tok[OMSEC_PSEUDO_TOKEN];
	char msg[PSEUDO_MSG_CAP];
};

static const char *const P_COUNTRY[] = { "country", "iso_code", NULL };
static const char *const P_CITY_EN[] = { "city", "names", "en", NULL };
static const char *const P_CITY_ZH[] = { "city", "names", "zh-CN", NULL };
static const char *const P_CC[] = { "country_code", NULL };
static const char *const P_ASN[] = { "autonomous_system_number", NULL };
static const char *const P_ORG[] = { "autonomous_system_organization", NULL };

/* 1 and the string if path leads to a UTF-8 string; the type is checked
 * because a database of another vendor may reuse a key for a map. */
static int
get_str(MMDB_entry_s *entry, const char *const *path, const char **p,
    uint32_t *n)
{
	MMDB_entry_data_s ed;

	if (MMDB_aget_value(entry, &ed, path) != MMDB_SUCCESS ||
	    !ed.has_data || ed.type != MMDB_DATA_TYPE_UTF8_STRING)
		return 0;
	*p = ed.utf8_string;
	*n = ed.data_size;
	return 1;
}

static int
get_uint(MMDB_entry_s *entry, const char *const *path, uint64_t *v)
{
	MMDB_entry_data_s ed;

	if (MMDB_aget_value(entry, &ed, path) != MMDB_SUCCESS || !ed.has_data)
		return 0;
	switch (ed.type) {
	case MMDB_DATA_TYPE_UINT16: *v = ed.uint16; return 1;
	case MMDB_DATA_TYPE_UINT32: *v = ed.uint32; return 1;
	case MMDB_DATA_TYPE_UINT64: *v = ed.uint64; return 1;
	case MMDB_DATA_TYPE_INT32:
		if (ed.int32 < 0)
			return 0;
		*v = (uint64_t)ed.int32;
		return 1;
	default:
		return 0;
	}
}

/* Kind bits one record shows. */
static int
record_kind(MMDB_entry_s *entry)
{
	const char *p;
	uint32_t n;
	uint64_t v;
	int k = 0;

	if (get_str(entry, P_COUNTRY, &p, &n))
		k |= OMSEC_GEODB_GEOIP2;
	if (get_str(entry, P_CC, &p, &n))
		k |= OMSEC_GEODB_CC;
	if (get_uint(entry, P_ASN, &v))
		k |= OMSEC_GEODB_ASN;
	return k;
}

/*
 * Kind from the metadata's database_type, for the vendors whose names are
 * known (MaxMind, DB-IP's MaxMind-compatible files). 0 when unknown: a name
 * like ip-location-db's "country ipvAll" says nothing about the record shape.
 */
static int
kind_from_type(const char *t)
{
	if (t == NULL || !(strncmp(t, "GeoIP2-", 7) == 0 ||
	    strncmp(t, "GeoLite2-", 9) == 0 || strncmp(t, "DBIP-", 5) == 0))
		return 0;
	if (strstr(t, "ASN") != NULL || strstr(t, "ISP") != NULL)
		return OMSEC_GEODB_ASN;
	if (strstr(t, "City") != NULL || strstr(t, "Country") != NULL ||
	    strstr(t, "Enterprise") != NULL)
		return OMSEC_GEODB_GEOIP2;
	return 0;
}

/*
 * Kind from the shape of the first data records found by a depth-first walk
 * of the search tree. Bounded by a node budget, since aliased subtrees
 * (::ffff:0:0/96 pointing at the IPv4 tree) make the tree a graph.
 */
static int
kind_from_records(MMDB_s *m)
{
	uint32_t stack[260];
	int sp = 0, budget = 20000, found = 0, k = 0;

	if (m->metadata.node_count == 0)
		return 0;
	stack[sp++] = 0;
	while (sp > 0 && budget-- > 0 && found < 32) {
		MMDB_search_node_s node;
		uint32_t nn = stack[--sp];
		int side;

		if (MMDB_read_node(m, nn, &node) != MMDB_SUCCESS)
			continue;
		/* Right pushed first so the left (lower) addresses come first. */
		for (side = 1; side >= 0; side--) {
			uint8_t t = side ? node.right_record_type :
			    node.left_record_type;
			uint64_t rec = side ? node.right_record :
			    node.left_record;

			if (t == MMDB_RECORD_TYPE_SEARCH_NODE &&
			    sp < (int)(sizeof stack / sizeof stack[0]))
				stack[sp++] = (uint32_t)rec;
			else if (t == MMDB_RECORD_TYPE_DATA) {
				MMDB_entry_s entry = side ?
				    node.right_record_entry :
				    node.left_record_entry;
				k |= record_kind(&entry);
				found++;
			}
		}
	}
	return k;
}

static void
set_err(char *err, size_t cap, const char *path, const char *what)
{
	if (cap == 0)
		return;
	snprintf(err, cap, "%s: %s", path, what);
}

static int
db_open(struct db *d, const char *path, char *err, size_t errcap)
{
	int st = MMDB_open(path, MMDB_MODE_MMAP, &d->mmdb);

	if (st != MMDB_SUCCESS) {
		set_err(err, errcap, path, st == MMDB_FILE_OPEN_ERROR ?
		    "cannot open" : MMDB_strerror(st));
		return -1;
	}
	d->open = 1;
	d->kind = kind_from_type(d->mmdb.metadata.database_type);
	if (d->kind == 0)
		d->kind = kind_from_records(&d->mmdb);
	if (d->kind == 0) {
		set_err(err, errcap, path, "not a country, city or ASN "
		    "database (no country.iso_code, country_code or "
		    "autonomous_system_number in its records)");
		return -1;
	}
	return 0;
}

int
omsec_enrich_open(struct omsec_enrich **out,
    const struct omsec_enrich_opts *opts, char *err, size_t errcap)
{
	struct omsec_enrich *e;
	const char *paths[2];
	int i;

	*out = NULL;
	if ((e = calloc(1, sizeof *e)) == NULL) {
		set_err(err, errcap, "omsec_enrich_open", "out of memory");
		return -1;
	}
	e->cfg = opts->cfg;
	paths[0] = opts->geoip_path;
	paths[1] = opts->asn_path;
	for (i = 0; i < 2; i++) {
		if (paths[i] == NULL || paths[i][0] == '\0')
			continue;
		if (db_open(&e->db[i], paths[i], err, errcap) != 0) {
			omsec_enrich_free(e);
			return -1;
		}
		if (e->db[i].kind & (OMSEC_GEODB_GEOIP2 | OMSEC_GEODB_CC))
			e->has_country = 1;
		if (e->db[i].kind & OMSEC_GEODB_GEOIP2)
			e->has_city = 1;
		if (e->db[i].kind & OMSEC_GEODB_ASN)
			e->has_asn = 1;
	}
	if (opts->cache_slots > 0) {
		size_t n = 1;

		while (n < opts->cache_slots && n < ((size_t)1 << 24))
			n <<= 1;
		if ((e->slots = calloc(n, sizeof *e->slots)) == NULL) {
			set_err(err, errcap, "omsec_enrich_open",
			    "out of memory");
			omsec_enrich_free(e);
			return -1;
		}
		e->mask = n - 1;
	}
	*out = e;
	return 0;
}

void
omsec_enrich_free(struct omsec_enrich *e)
{
	int i;

	if (e == NULL)
		return;
	for (i = 0; i < 2; i++)
		if (e->db[i].open)
			MMDB_close(&e->db[i].mmdb);
	free(e->slots);
	free(e->pseudo);
	free(e);
}

int
omsec_enrich_kind(const struct omsec_enrich *e, int which)
{
	if (which < 0 || which > 1 || !e->db[which].open)
		return 0;
	return e->db[which].kind;
}

void
omsec_enrich_cache_stats(const struct omsec_enrich *e, uint64_t *hits,
    uint64_t *misses)
{
	*hits = e->hits;
	*misses = e->misses;
}

/* Looks ip up in one database and merges what it knows into s. */
static void
db_lookup(struct db *d, const struct omsec_ip *ip, struct slot *s)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	const struct sockaddr *sa;
	MMDB_lookup_result_s r;
	int merr = MMDB_SUCCESS;
	uint64_t v;

	if (ip->v4) {
		memset(&sin, 0, sizeof sin);
		sin.sin_family = AF_INET;
		memcpy(&sin.sin_addr, ip->b + 12, 4);
		sa = (const struct sockaddr *)&sin;
	} else {
		memset(&sin6, 0, sizeof sin6);
		sin6.sin6_family = AF_INET6;
		memcpy(&sin6.sin6_addr, ip->b, 16);
		sa = (const struct sockaddr *)&sin6;
	}
	r = MMDB_lookup_sockaddr(&d->mmdb, sa, &merr);
	/* An IPv6 address in an IPv4-only database is simply not there. */
	if (merr != MMDB_SUCCESS || !r.found_entry)
		return;
	if (d->kind & OMSEC_GEODB_GEOIP2) {
		get_str(&r.entry, P_COUNTRY, &s->country, &s->country_n);
		if (!get_str(&r.entry, P_CITY_EN, &s->city, &s->city_n))
			get_str(&r.entry, P_CITY_ZH, &s->city, &s->city_n);
	}
	if ((d->kind & OMSEC_GEODB_CC) && s->country_n == 0)
		get_str(&r.entry, P_CC, &s->country, &s->country_n);
	if ((d->kind & OMSEC_GEODB_ASN) && get_uint(&r.entry, P_ASN, &v)) {
		char tmp[24];
		int n = 0;

		/* Digits backwards; a uint32 has at most 10 of them. */
		v &= 0xffffffffu;
		do {
			tmp[n++] = (char)('0' + v % 10);
			v /= 10;
		} while (v != 0);
		s->asn_n = (uint8_t)n;
		while (n > 0)
			s->asn[s->asn_n - n] = tmp[n - 1], n--;
		get_str(&r.entry, P_ORG, &s->org, &s->org_n);
	}
}

static void
slot_fill(struct omsec_enrich *e, struct slot *s, const struct omsec_ip *ip)
{
	int i, internal;

	memcpy(s->key, ip->b, 16);
	s->used = 1;
	s->asn_n = 0;
	s->country = s->city = s->org = NULL;
	s->country_n = s->city_n = s->org_n = 0;
	internal = e->cfg ? omsec_config_is_internal(e->cfg, ip) :
	    omsec_ip_is_private(ip);
	if (internal) {
		s->zone = ZONE_INTERNAL;
		return;
	}
	s->zone = ZONE_EXTERNAL;
	for (i = 0; i < 2; i++)
		if (e->db[i].open)
			db_lookup(&e->db[i], ip, s);
}

/* 64-bit mix of the 16 address bytes (the high bits index the cache). */
static uint64_t
ip_hash(const uint8_t b[16])
{
	uint64_t x, y;

	memcpy(&x, b, 8);
	memcpy(&y, b + 8, 8);
	x = (x ^ (y * 0x9e3779b97f4a7c15u)) * 0xbf58476d1ce4e5b9u;
	return x ^ (x >> 31);
}

static void
slot_to_geo(const struct slot *s, struct omsec_geo *g)
{
	g->country = omsec_span_make(s->country, s->country_n);
	g->city = omsec_span_make(s->city, s->city_n);
	g->asn = omsec_span_make(s->asn, s->asn_n);
	g->as_org = omsec_span_make(s->org, s->org_n);
	switch (s->zone) {
	case ZONE_INTERNAL: g->zone = OMSEC_SPAN_LIT("internal"); break;
	case ZONE_EXTERNAL: g->zone = OMSEC_SPAN_LIT("external"); break;
	default: g->zone = OMSEC_SPAN_NULL; break;
	}
}

void
omsec_enrich_lookup_ip(struct omsec_enrich *e, struct omsec_geo *g,
    const struct omsec_ip *ip)
{
	struct slot *s;

	if (e->slots == NULL) {
		s = &e->scratch;
		slot_fill(e, s, ip);
	} else {
		s = &e->slots[(ip_hash(ip->b) >> 40) & e->mask];
		/* v4 rides along: the key bytes of ::ffff:a.b.c.d and of an
		 * IPv6 address written that way are equal and so are results. */
		if (s->used && memcmp(s->key, ip->b, 16) == 0)
			e->hits++;
		else {
			e->misses++;
			slot_fill(e, s, ip);
		}
	}
	slot_to_geo(s, g);
}

void
omsec_enrich_lookup(struct omsec_enrich *e, struct omsec_geo *g,
    struct omsec_span addr)
{
	struct omsec_ip ip;

	if (addr.n == 0 || omsec_ip_parse(&ip, addr) != 0) {
		memset(g, 0, sizeof *g);
		return;
	}
	omsec_enrich_lookup_ip(e, g, &ip);
}

/* ---- pseudonymisation ------------------------------------------------ */

int
omsec_enrich_pseudonymise(struct omsec_enrich *e, const void *key, size_t n,
    char *err, size_t errcap)
{
	struct pseudo *ps;

	if (n < 16) {
		snprintf(err, errcap, "key of %zu bytes: at least 16 are needed "
		    "(e.g. head -c 32 /dev/urandom > KEYFILE)", n);
		return -1;
	}
	if ((ps = calloc(1, sizeof(*ps))) == NULL) {
		snprintf(err, errcap, "%s", strerror(ENOMEM));
		return -1;
	}
	/* Any key length: two derived 64-bit halves. */
	ps->k0 = omsec_siphash24(0x6f6d7365632d6b30ULL, 0, key, n);
	ps->k1 = omsec_siphash24(0x6f6d7365632d6b31ULL, ps->k0, key, n);
	free(e->pseudo);
	e->pseudo = ps;
	return 0;
}

void
omsec_enrich_pseudo_token(const struct omsec_enrich *e,
    char tok[OMSEC_PSEUDO_TOKEN], int user, struct omsec_span v)
{
	static const char hex[] = "0123456789abcdef";
	const struct pseudo *ps = e->pseudo;
	struct omsec_ip ip;
	uint64_t h;
	size_t n;

	tok[0] = '\0';
	if (ps == NULL || v.n == 0)
		return;
	/* Domains kept apart by the key: user "10.0.0.1" is not that
	 * address. An address is hashed in its 16-byte form, so that
	 * ::ffff:10.0.0.1 and 10.0.0.1 get the same token. */
	if (user)
		h = omsec_siphash24(ps->k0 ^ 0x75, ps->k1, v.p, v.n);
	else if (omsec_ip_parse(&ip, v) == 0)
		h = omsec_siphash24(ps->k0 ^ 0x69, ps->k1, ip.b, sizeof(ip.b));
	else
		h = omsec_siphash24(ps->k0 ^ 0x74, ps->k1, v.p, v.n);
	n = (size_t)snprintf(tok, OMSEC_PSEUDO_TOKEN, "%s", user ? "user-" : "ip-");
	for (int i = 15; i >= 0; i--, h >>= 4)
		tok[n + (size_t)i] = hex[h & 15];
	tok[n + 16] = '\0';
}

static int
word_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80;
}

/* 1 if msg[i, i+len) stands alone: not inside a longer word, address or
 * number ("10.0.0.1" is not replaced inside "110.0.0.12" or "10.0.0.1.5"). */
static int
alone(const char *msg, size_t n, size_t i, size_t len)
{
	unsigned char prev = i > 0 ? (unsigned char)msg[i - 1] : ' ';
	unsigned char next = i + len < n ? (unsigned char)msg[i + len] : ' ';

	if (word_byte(prev) || word_byte(next))
		return 0;
	if ((prev == '.' || prev == ':') && i >= 2 &&
	    word_byte((unsigned char)msg[i - 2]))
		return 0;
	if (next == '.' && i + len + 1 < n &&
	    word_byte((unsigned char)msg[i + len + 1]))
		return 0;
	return 1;
}

/*
 * Replaces src_ip and user by their tokens, in their fields and wherever
 * they stand alone in the message. The message is cut at PSEUDO_MSG_CAP
 * bytes rather than let an original value through.
 */
static void
pseudonymise(struct pseudo *ps, const struct omsec_enrich *e,
    struct omsec_event *ev)
{
	struct omsec_span from[2] = { ev->f[OMSEC_F_SRC_IP], ev->f[OMSEC_F_USER] };
	char *to[2] = { ps->ip_tok, ps->user_tok };
	struct omsec_span m = ev->f[OMSEC_F_MSG];
	size_t i = 0, o = 0, tn[2];

	for (int k = 0; k < 2; k++) {
		omsec_enrich_pseudo_token(e, to[k], k, from[k]);
		tn[k] = strlen(to[k]);
		if (from[k].n > 0)
			ev->f[k ? OMSEC_F_USER : OMSEC_F_SRC_IP] =
			    omsec_span_make(to[k], tn[k]);
	}
	while (i < m.n) {
		int k, hit = -1;
		for (k = 0; k < 2 && hit < 0; k++)
			if (from[k].n > 0 && from[k].n <= m.n - i &&
			    memcmp(m.p + i, from[k].p, from[k].n) == 0 &&
			    alone(m.p, m.n, i, from[k].n))
				hit = k;
		if (hit >= 0) {
			if (o + tn[hit] > PSEUDO_MSG_CAP)
				break;
			memcpy(ps->msg + o, to[hit], tn[hit]);
			o += tn[hit];
			i += from[hit].n;
		} else {
			if (o + 1 > PSEUDO_MSG_CAP)
				break;
			ps->msg[o++] = m.p[i++];
		}
	}
	if (m.n > 0)
		ev->f[OMSEC_F_MSG] = omsec_span_make(ps->msg, o);
}

/* ---- assets ---------------------------------------------------------- */

void
omsec_enrich_set_assets(struct omsec_enrich *e,
    const struct omsec_asset_index *x)
{
	e->assets = x;
}

/* A host named as its asset, its address, or a name whose first label is
 * the asset's ("web01.dhb.local" is inventoried as web01). */
static const struct omsec_asset *
asset_of_host(const struct omsec_asset_index *x, struct omsec_span h)
{
	const struct omsec_asset *a;
	const char *dot;
	struct omsec_ip ip;

	if (h.n == 0)
		return NULL;
	if ((a = omsec_asset_of(x, h)) != NULL)
		return a;
	if ((dot = memchr(h.p, '.', h.n)) == NULL || dot == h.p ||
	    omsec_ip_parse(&ip, h) == 0)
		return NULL;
	return omsec_asset_by_name(x, omsec_span_make(h.p,
	    (size_t)(dot - h.p)));
}

const struct omsec_asset *
omsec_enrich_asset(const struct omsec_enrich *e, const struct omsec_event *ev,
    const struct omsec_ip *src, int src_internal)
{
	const struct omsec_asset_index *x = e->assets;
	const struct omsec_asset *a;
	struct omsec_span dst = ev->f[OMSEC_F_DST_IP];
	struct omsec_ip ip;

	if (x == NULL)
		return NULL;
	/*
	 * The target first: a firewall or sensor logs traffic between two
	 * other machines, and the one it went to is what the event concerns.
	 */
	if (dst.n > 0 && omsec_ip_parse(&ip, dst) == 0 &&
	    (a = omsec_asset_by_ip(x, &ip)) != NULL)
		return a;
	/*
	 * Then, for traffic records only, an inventoried internal sender
	 * (outbound or lateral traffic, e.g. a beacon to a bad range): the
	 * sensor that saw it is not the subject. In a machine's own log the
	 * source is the peer (the bastion logging in to db01), so there the
	 * logging host comes before it, and the source is not used at all.
	 */
	if (dst.n > 0 && src != NULL && src_internal &&
	    (a = omsec_asset_by_ip(x, src)) != NULL)
		return a;
	return asset_of_host(x, ev->f[OMSEC_F_HOST]);
}

void
omsec_enrich_event(struct omsec_enrich *e, struct omsec_event *ev)
{
	struct omsec_geo g;
	struct omsec_ip src;
	struct omsec_span s = ev->f[OMSEC_F_SRC_IP];
	int have_src;

	if (s.n == 0)
		have_src = 0;
	else if (s.n == e->last_src_n && memcmp(s.p, e->last_src, s.n) == 0) {
		have_src = e->last_src_ok;
		src = e->last_ip;
	} else {
		have_src = omsec_ip_parse(&src, s) == 0;
		e->last_src_n = 0;
		if (s.n <= sizeof e->last_src) {
			memcpy(e->last_src, s.p, s.n);
			e->last_src_n = s.n;
			e->last_src_ok = have_src;
			if (have_src)
				e->last_ip = src;
		}
	}

	if (have_src)
		omsec_enrich_lookup_ip(e, &g, &src);
	else
		memset(&g, 0, sizeof g);
	if (e->assets != NULL) {
		const struct omsec_asset *a = omsec_enrich_asset(e, ev,
		    have_src ? &src : NULL, omsec_span_eq(g.zone, "internal"));

		/* The id, or the name of a row without one; both live as long
		 * as the inventory, so the event only points at them. */
		ev->f[OMSEC_F_ASSET] = a == NULL ? OMSEC_SPAN_NULL :
		    omsec_span_cstr(a->id[0] != '\0' ? a->id : a->name);
	}
	if (e->has_country)
		ev->f[OMSEC_F_COUNTRY] = g.country;
	if (e->has_city)
		ev->f[OMSEC_F_CITY] = g.city;
	if (e->has_asn) {
		ev->f[OMSEC_F_ASN] = g.asn;
		ev->f[OMSEC_F_AS_ORG] = g.as_org;
	}
	ev->f[OMSEC_F_ZONE] = g.zone;
	/* After the lookup: country and zone come from the real address. */
	if (e->pseudo != NULL)
		pseudonymise(e->pseudo, e, ev);
}

void
omsec_enrich_stream_init(struct omsec_enrich_stream *st, int json)
{
	memset(st, 0, sizeof *st);
	st->json = json;
	omsec_event_cols_init(&st->cols);
}

void
omsec_enrich_stream_input(struct omsec_enrich_stream *st)
{
	omsec_event_cols_init(&st->cols);
}

static void
ensure_header(struct omsec_enrich_stream *st, struct omsec_out *o)
{
	if (st->wrote_header)
		return;
	st->wrote_header = 1;
	if (!st->json)
		omsec_event_write_header(o);
}

void
omsec_enrich_stream_finish(struct omsec_enrich_stream *st,
    struct omsec_out *o)
{
	ensure_header(st, o);
}

/* ---- TSV pass-through ------------------------------------------------ */

/*
 * Most event lines come from omsec-parse or an earlier omsec-enrich, so
 * they are already in the exact form omsec_event_write_tsv gives them, and
 * enrichment changes six columns of 29. For such a line, reading (unescape)
 * and writing (escape each field again) give back the very bytes of every
 * other column, so those are copied as they are and only the filled
 * columns go through the escaper. A line takes this path only when that
 * claim can be seen to hold:
 *   - output is TSV, nothing is pseudonymised (src_ip, user and msg would
 *     change), and the stream's columns are the writer's own 29 in
 *     version-1 order (cols.identity);
 *   - no byte of the line but its tabs is one TSV escapes: then no field
 *     has an escape sequence to undo (\x41 would be written back as A),
 *     and escaping a field gives its own bytes, "-" giving "-";
 *   - no column is empty (it reads as empty and would be written "-");
 *   - ts is "YYYY-MM-DDTHH:MM:SS.mmmZ" on a day whose text has been read
 *     and formatted back unchanged, with hours, minutes and seconds in
 *     range: the writer prints ts from the time it read (a time with an
 *     offset, no milliseconds or a leap second is written otherwise);
 *   - severity is one digit 0-4: the writer prints the number read.
 * Any other line, malformed ones included, takes the general path, which
 * gives the same errors as before. Columns are those of enum omsec_field.
 */
static const unsigned char filled[] = { OMSEC_F_COUNTRY, OMSEC_F_CITY,
	OMSEC_F_ASN, OMSEC_F_AS_ORG, OMSEC_F_ZONE, OMSEC_F_ASSET };
#define NFILLED (sizeof filled / sizeof filled[0])

/* The number of two (or three) ASCII digits at p, or -1. */
static int
dig2(const char *p)
{
	unsigned a = (unsigned)(p[0] - '0'), b = (unsigned)(p[1] - '0');

	return a < 10 && b < 10 ? (int)(a * 10 + b) : -1;
}

static int
dig3(const char *p)
{
	unsigned c = (unsigned)(p[2] - '0');
	int ab = dig2(p);

	return ab >= 0 && c < 10 ? ab * 10 + (int)c : -1;
}

/*
 * 1 if ts is "YYYY-MM-DDTHH:MM:SS.mmmZ" and the writer would print it as
 * it is. The date is checked once per day, by reading ts as
 * omsec_event_read_tsv does and formatting the time back; on a day that
 * passes, any hour 00-23, minute 00-59, second 00-59 (not a leap second)
 * and milliseconds read as themselves, so they print as they are.
 */
static int
ts_as_written(struct omsec_enrich_stream *st, struct omsec_span ts)
{
	const char *p = ts.p;
	int h, m, s, f;

	if (ts.n != 24 || p[13] != ':' || p[16] != ':' || p[19] != '.' ||
	    p[23] != 'Z')
		return 0;
	h = dig2(p + 11);
	m = dig2(p + 14);
	s = dig2(p + 17);
	f = dig3(p + 20);
	if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59 || f < 0)
		return 0;
	if (st->day[0] == '\0' || memcmp(p, st->day, sizeof st->day) != 0) {
		char back[25];
		int64_t t;
		int zone;

		/* Times before 1970 (none in practice) are left to the
		 * general path: omsec_out_iso rounds them down by its own
		 * arithmetic, which is not worth a proof here. */
		if (omsec_parse_iso(&t, &zone, ts) != 0 || t < 0)
			return 0;
		omsec_format_iso(back, t);
		if (memcmp(back, p, 24) != 0)
			return 0;
		memcpy(st->day, p, sizeof st->day);
	}
	return 1;
}

/*
 * Enriches and writes line when it qualifies (see above): returns 1, or 0
 * with nothing done (no lookup made, nothing written).
 */
static int
pass_through(struct omsec_enrich *e, struct omsec_enrich_stream *st,
    struct omsec_out *o, const char *line, size_t len)
{
	struct omsec_event ev;
	struct omsec_span sev;
	size_t at[NFILLED], to[NFILLED], from, need, j;
	char *d;
	int k, plain;

	/* The event omsec_event_read_tsv would give, but for ts_ms, which
	 * enrichment does not look at: nothing to unescape in a plain
	 * line, and "-" reads as empty. (&ev.f[0], not ev.f: so cppcheck
	 * sees the spans filled.) */
	if (omsec_tsv_split(&ev.f[0], OMSEC_F_COUNT, line, len, &plain) !=
	    OMSEC_F_COUNT || !plain)
		return 0;
	for (k = 0; k < OMSEC_F_COUNT; k++) {
		if (ev.f[k].n == 0)
			return 0;
		if (ev.f[k].n == 1 && ev.f[k].p[0] == '-')
			ev.f[k].n = 0;
	}
	if (!ts_as_written(st, ev.f[OMSEC_F_TS]))
		return 0;
	sev = ev.f[OMSEC_F_SEVERITY];
	if (sev.n != 1 || sev.p[0] < '0' || sev.p[0] > '4')
		return 0;
	ev.ts_ms = 0;
	ev.severity = sev.p[0] - '0';
	ev.tsv_clean = omsec_span_make(line, len);
	/* Where the filled columns are, before they are replaced: from the
	 * tab before each (no filled column is first) to the next tab. */
	for (j = 0; j < NFILLED; j++) {
		k = filled[j];
		at[j] = (size_t)(ev.f[k].p - line) - 1;
		to[j] = k + 1 < OMSEC_F_COUNT ?
		    (size_t)(ev.f[k + 1].p - line) - 1 : len;
	}

	omsec_enrich_event(e, &ev);
	ensure_header(st, o);
	need = len + 1;
	for (j = 0; j < NFILLED; j++)
		need += OMSEC_TSV_MAX(ev.f[filled[j]].n);
	if ((d = omsec_out_reserve(o, need)) == NULL) {
		/* Longer than the output buffer: the same, piece by piece. */
		for (j = 0, from = 0; j < NFILLED; j++) {
			omsec_out_write(o, line + from, at[j] - from);
			omsec_out_putc(o, '\t');
			omsec_out_tsv(o, ev.f[filled[j]]);
			from = to[j];
		}
		omsec_out_write(o, line + from, len - from);
		omsec_out_putc(o, '\n');
		return 1;
	}
	/* The bytes up to each filled column as they are (often just the
	 * tab before it), the column as the writer escapes it. */
	for (j = 0, from = 0; j < NFILLED; j++) {
		if (at[j] > from) {
			memcpy(d, line + from, at[j] - from);
			d += at[j] - from;
		}
		*d++ = '\t';
		d = omsec_tsv_escape(d, ev.f[filled[j]]);
		from = to[j];
	}
	if (len > from) {
		memcpy(d, line + from, len - from);
		d += len - from;
	}
	*d++ = '\n';
	omsec_out_commit(o, d);
	return 1;
}

int
omsec_enrich_line(struct omsec_enrich *e, struct omsec_enrich_stream *st,
    struct omsec_out *o, char *line, size_t len, const char **why)
{
	struct omsec_event ev;
	struct omsec_span l = omsec_span_make(line, len);
	int r;

	*why = NULL;
	if (len > 0 && line[0] == '#') {
		/* Another stage's format (ingest framing, alerts, a summary)
		 * would be misread column by column: refuse it whole. */
		if (omsec_span_has_prefix(l, "#omsec-") &&
		    !omsec_span_has_prefix(l, "#omsec-events\t")) {
			*why = "not an event stream";
			return -2;
		}
		if (omsec_event_read_tsv(&st->cols, &ev, line, len, why) < 0)
			return -2;
		ensure_header(st, o);
		if (omsec_span_has_prefix(l, "#omsec-events\t") ||
		    omsec_span_has_prefix(l, "#fields\t"))
			return 0;
		/* #stats and comments pass through; JSON Lines has no
		 * comment syntax, so they are dropped there. */
		if (!st->json) {
			omsec_out_write(o, line, len);
			omsec_out_putc(o, '\n');
		}
		return 0;
	}
	if (!st->json && !st->no_pass && st->cols.identity &&
	    e->pseudo == NULL && pass_through(e, st, o, line, len)) {
		st->passed++;
		st->events++;
		return 1;
	}
	omsec_event_clear(&ev);
	r = omsec_event_read_tsv(&st->cols, &ev, line, len, why);
	if (r < 0) {
		st->bad++;
		return -1;
	}
	if (r == 0)
		return 0;
	omsec_enrich_event(e, &ev);
	ensure_header(st, o);
	if (st->json)
		omsec_event_write_json(o, &ev);
	else
		omsec_event_write_tsv(o, &ev);
	st->events++;
	return 1;
}
