/*
 * assets.h - the asset inventory (资产识别表) shared by omsec-enrich,
 * omsec-detect and omsec-report: the CSV reader (docs/records.md, "Assets")
 * and a lookup of the asset an address, a host name or an asset id belongs
 * to; also the diagnostics callback of every records reader. It includes
 * no report.h, whose enum omsec_severity (vulnerabilities) differs from
 * event.h's. Linked as the small omsec_assets library (with the records' CSV
 * reader and libcsv, without the PDF), so the analysis stages can use it.
 *
 * Longest-prefix match: an address inside both 10.20.0.0/16 (asset "office
 * LAN") and 10.20.3.4/32 (asset "db01") is db01's. A range that two rows
 * claim is the first row's (counted in shadowed). Lookups allocate nothing
 * and do not change the index, so one index serves a whole stream.
 */
#ifndef OMSEC_ASSETS_H
#define OMSEC_ASSETS_H

#include <stddef.h>
#include <stdint.h>

#include "ipaddr.h"
#include "span.h"

/* Receives one diagnostic ("file:line:column: what"); ctx is the caller's. */
typedef void (*omsec_report_diag_fn)(void *ctx, const char *msg);

struct omsec_report_diag {
	omsec_report_diag_fn fn;	/* NULL: diagnostics are dropped */
	void *ctx;
	unsigned nbad;			/* rows or lines reported and skipped */
};

#define OMSEC_ASSET_MAXNET 8
enum { OMSEC_CRIT_HIGH, OMSEC_CRIT_MEDIUM, OMSEC_CRIT_LOW };

struct omsec_asset {
	char id[64], name[96], type[48], owner[64], system[96];
	struct omsec_cidr net[OMSEC_ASSET_MAXNET];
	int nnet;
	int crit;			/* OMSEC_CRIT_*, MEDIUM if blank */
	unsigned line;
};

struct omsec_assets {
	struct omsec_asset *v;
	size_t n, cap;
};

int omsec_assets_read(struct omsec_assets *a, const char *path,
    struct omsec_report_diag *diag);
void omsec_assets_free(struct omsec_assets *a);
/* The asset whose id or name is s, or NULL. */
const struct omsec_asset *omsec_assets_find(const struct omsec_assets *a,
    const char *s);

struct omsec_asset_net {
	uint8_t b[16];			/* the range's address, masked */
	int bits;			/* prefix length on the 128-bit form */
	uint32_t asset;			/* index into assets->v */
};

struct omsec_asset_key {
	uint32_t asset;
	int is_id;			/* the key is the id, else the name */
};

struct omsec_asset_index {
	const struct omsec_assets *assets;	/* borrowed */
	struct omsec_asset_net *net;	/* owned; by bits desc, then bytes */
	size_t nnet;
	struct {
		int bits;
		size_t lo, hi;		/* net[lo, hi) have this length */
	} len[129];			/* longest first */
	int nlen;
	struct omsec_asset_key *key;	/* owned; names and ids, sorted */
	size_t nkey;
	unsigned shadowed;		/* ranges claimed again by a later row */
};

/* Builds the index of a (which must outlive it). Returns 0 or -1 (memory). */
int omsec_asset_index_build(struct omsec_asset_index *x,
    const struct omsec_assets *a);
void omsec_asset_index_free(struct omsec_asset_index *x);
/* The asset with the longest prefix holding ip, or NULL. */
const struct omsec_asset *omsec_asset_by_ip(const struct omsec_asset_index *x,
    const struct omsec_ip *ip);
/* The (first) asset whose name or id is s, or NULL. */
const struct omsec_asset *omsec_asset_by_name(
    const struct omsec_asset_index *x, struct omsec_span s);
/* By name or id, else, when host is an address, by longest prefix. */
const struct omsec_asset *omsec_asset_of(const struct omsec_asset_index *x,
    struct omsec_span host);
/*
 * Reads the inventory at path into *a and indexes it into *x. Bad rows go
 * to diag (file:line:column) and are skipped. Returns 0, or -1 (unreadable,
 * no name column, out of memory; reported).
 */
int omsec_assets_load(struct omsec_assets *a, struct omsec_asset_index *x,
    const char *path, struct omsec_report_diag *diag);

#endif
