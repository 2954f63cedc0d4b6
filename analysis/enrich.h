/*
 * enrich.h - GeoIP / ASN / zone / asset enrichment of normalised events.
 *
 * Reads the event stream of docs/formats.md section 2, e.g.
 *   2026-11-03T02:14:07.000Z  web1  sshd  authentication  login  failure  2  81.2.69.142 ...
 * and fills country, city, asn, as_org and zone from src_ip, using MaxMind DB
 * files (libmaxminddb, memory-mapped). Three kinds of database are understood,
 * told apart by their metadata and record shape, never by the file name:
 *   - GeoIP2 / GeoLite2 Country and City: country.iso_code, city.names.en
 *   - GeoLite2 ASN (and ISP): autonomous_system_number / _organization
 *   - ip-location-db "geo-whois-asn-country": top-level country_code only
 *
 * Cost: one MMDB tree walk (at most 128 node reads) per distinct address not
 * in the cache; a cache hit is one hash and one 16-byte compare. Strings in a
 * result point into the mapped database, so a lookup allocates nothing.
 * Memory: the mapped databases plus a direct-mapped cache of a fixed number
 * of slots (about 80 bytes each) chosen at open time. The asset of an event
 * comes from the caller's inventory index (reports/assets.h), by longest
 * prefix: see omsec_enrich_asset.
 */
#ifndef OMSEC_ENRICH_H
#define OMSEC_ENRICH_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "event.h"
#include "ipaddr.h"
#include "span.h"

struct omsec_out;
struct omsec_enrich;
struct omsec_asset;
struct omsec_asset_index;

/* What a database was recognised as (bit set: one file may carry both). */
enum omsec_geodb_kind {
	OMSEC_GEODB_GEOIP2 = 1,		/* country.iso_code (+ city.names) */
	OMSEC_GEODB_CC = 2,		/* top-level country_code */
	OMSEC_GEODB_ASN = 4		/* autonomous_system_* */
};

struct omsec_enrich_opts {
	const char *geoip_path;		/* country/city DB; NULL = none */
	const char *asn_path;		/* ASN DB; NULL = none */
	const struct omsec_config *cfg;	/* internal ranges; NULL = private only */
	size_t cache_slots;		/* rounded up to a power of 2; 0 = off */
};
#define OMSEC_ENRICH_OPTS_INIT { NULL, NULL, NULL, 4096 }

/* Result of one lookup; spans valid until the next lookup or the free. */
struct omsec_geo {
	struct omsec_span country;
	struct omsec_span city;
	struct omsec_span asn;
	struct omsec_span as_org;
	struct omsec_span zone;		/* "internal", "external" or empty */
};

/*
 * Opens the databases named in opts. Returns 0 and *out (free with
 * omsec_enrich_free), or -1 with a message in err: "path: what".
 * With neither database the context still sets zones.
 */
int omsec_enrich_open(struct omsec_enrich **out,
    const struct omsec_enrich_opts *opts, char *err, size_t errcap);
void omsec_enrich_free(struct omsec_enrich *e);

/* Kind bits of the geoip (which = 0) or asn (which = 1) database; 0 if none. */
int omsec_enrich_kind(const struct omsec_enrich *e, int which);

/*
 * Looks up an address. An unparseable address gives all spans empty;
 * an internal one (private, loopback, link-local or a configured range)
 * gives zone "internal" and nothing else; any other gives zone "external"
 * and whatever the databases know.
 */
void omsec_enrich_lookup(struct omsec_enrich *e, struct omsec_geo *g,
    struct omsec_span addr);
void omsec_enrich_lookup_ip(struct omsec_enrich *e, struct omsec_geo *g,
    const struct omsec_ip *ip);

/*
 * Fills ev's country, city, asn, as_org and zone from its src_ip, and its
 * asset (from dst_ip, src_ip and host) when an inventory is set. Fields
 * for which no database is open are left as they came (zone is always
 * set; asset when an inventory is).
 * The new spans are valid until the next lookup (asset: as long as the
 * inventory).
 */
void omsec_enrich_event(struct omsec_enrich *e, struct omsec_event *ev);

/*
 * Tags events with their asset from the inventory x (reports/assets.h),
 * which must outlive e; NULL turns tagging off. The asset column then holds
 * the asset's id (its name when the row has no id), or is empty.
 */
void omsec_enrich_set_assets(struct omsec_enrich *e,
    const struct omsec_asset_index *x);

/*
 * The asset an event concerns, or NULL: the one whose longest prefix holds
 * dst_ip; else, when the event has a dst_ip (a firewall's or sensor's
 * record of traffic), the one holding src (its parsed src_ip, NULL if none)
 * when src_internal; else the one the host field names (name, id, address,
 * or first label of a dotted name). Allocates nothing.
 */
const struct omsec_asset *omsec_enrich_asset(const struct omsec_enrich *e,
    const struct omsec_event *ev, const struct omsec_ip *src,
    int src_internal);

/*
 * Pseudonymisation, for reports that leave the customer. Once turned on,
 * omsec_enrich_event replaces src_ip by "ip-" and user by "user-" followed
 * by 16 hex digits of SipHash-2-4 under a key derived from key[0, n)
 * (at least 16 bytes: keep it secret, keep it for the whole reporting
 * period). The same value gives the same token in every run with the same
 * key, so days, months and merged summaries agree, and detections still
 * group by source and account. The message is rewritten too: every place
 * where the event's own address or account name stands alone as a word is
 * replaced by its token (it is cut at 256 KiB rather than let one through).
 * Country, ASN, zone and asset are looked up from the real address first.
 * Other fields (host, dst_ip, url, user_agent, asset) are kept. Returns 0, or -1 with a
 * message in err (key too short, out of memory).
 */
#define OMSEC_PSEUDO_TOKEN 24	/* "user-" + 16 hex digits + NUL */
int omsec_enrich_pseudonymise(struct omsec_enrich *e, const void *key,
    size_t n, char *err, size_t errcap);

/*
 * The token of an address (user = 0) or account name (user = 1) under the
 * current key; "" when pseudonymisation is off or v is empty. Lets the
 * key's holder tell which token is which value.
 */
void omsec_enrich_pseudo_token(const struct omsec_enrich *e,
    char tok[OMSEC_PSEUDO_TOKEN], int user, struct omsec_span v);

/* Cache counters since open, for measurement. */
void omsec_enrich_cache_stats(const struct omsec_enrich *e, uint64_t *hits,
    uint64_t *misses);

/*
 * State of one output stream. The header is written once per output; the
 * column map is reset for each input with omsec_enrich_stream_input.
 */
struct omsec_enrich_stream {
	struct omsec_event_cols cols;
	int json;		/* write JSON Lines (and drop '#' lines) */
	int wrote_header;
	uint64_t events;
	uint64_t bad;		/* malformed lines skipped */
	/*
	 * TSV pass-through (enrich.c): an event line already in the form the
	 * writer would give it is copied but for the columns enrichment
	 * fills. passed counts the events that went that way; no_pass (for
	 * tests and measurement) sends every line through the general path.
	 * The output is the same byte for byte either way.
	 */
	int no_pass;
	uint64_t passed;
	char day[11];		/* "YYYY-MM-DDT" seen to read back as written */
};

void omsec_enrich_stream_init(struct omsec_enrich_stream *st, int json);
void omsec_enrich_stream_input(struct omsec_enrich_stream *st);

/*
 * Processes one line of an event stream (without its '\n'; rewritten in
 * place). Returns 1 for an event written, 0 for a '#' line passed through
 * or consumed, -1 for a malformed line that was skipped (*why says why, a
 * static string), -2 when the input is not a version-1 event stream and
 * the rest of it should not be read (*why says why).
 */
int omsec_enrich_line(struct omsec_enrich *e, struct omsec_enrich_stream *st,
    struct omsec_out *o, char *line, size_t len, const char **why);

/* Writes the header if nothing was written yet (an empty input). */
void omsec_enrich_stream_finish(struct omsec_enrich_stream *st,
    struct omsec_out *o);

#endif
