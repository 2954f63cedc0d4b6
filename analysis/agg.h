/*
 * agg.h - the period summary of docs/formats.md section 4: build one from
 * events, read one back, merge summaries, write one canonically.
 *
 *   #omsec-summary	1
 *   period	2026-11-01T00:00:03.000Z	2026-11-30T23:59:41.250Z
 *   events	48213
 *   hourly	2026-11-03T02	sshd	authentication	login	failure	2	371
 *   top	src_ip	203.0.113.9	1240	0	CN
 *   hll	src_ip	12	0003010002...
 *   source	/var/log/auth.log	120345	120001	344
 *
 * Memory: eight Space-Saving sketches of capacity 1024 and two 4 KiB
 * HyperLogLogs, fixed at creation (omsec_summary_fixed_bytes, about
 * 2.5 MiB), plus the exact hourly table, which grows by
 * at most OMSEC_SUMMARY_HOURLY_BYTES per distinct (hour, class) key (40-byte
 * entry, doubling array, index at most half full): at most hours
 * x classes, e.g. 744 hours x 200 classes = 149k keys (at most 14 MiB) for a
 * month of a busy site. Class strings (module, category, action, outcome)
 * are interned once and cut at 64 bytes, source paths are kept once per
 * distinct source. Adding an event is O(1) expected, plus O(log 1024) per
 * heavy-hitter dimension.
 */
#ifndef OMSEC_AGG_H
#define OMSEC_AGG_H

#include <stddef.h>
#include <stdint.h>
#include "span.h"

struct omsec_event;
struct omsec_out;
struct omsec_ss;
struct omsec_hll;

/*
 * Heavy-hitter dimensions. The fail_ ones count only events whose outcome
 * is failure: the sources and accounts under attack, which the report
 * shows, rather than the busiest ones, which are usually the customer's own.
 * asset counts the events omsec-enrich tagged with an inventory asset.
 */
enum omsec_dim { OMSEC_DIM_SRC_IP, OMSEC_DIM_USER, OMSEC_DIM_DST_IP,
	OMSEC_DIM_URL, OMSEC_DIM_COUNTRY, OMSEC_DIM_FAIL_SRC_IP,
	OMSEC_DIM_FAIL_USER, OMSEC_DIM_ASSET, OMSEC_DIM_COUNT };

/* Bytes per hourly key: table entry plus its index slots at worst load. */
#define OMSEC_SUMMARY_HOURLY_BYTES 96

struct omsec_summary;

/* An empty summary. NULL on out of memory. */
struct omsec_summary *omsec_summary_new(void);
void omsec_summary_free(struct omsec_summary *s);
size_t omsec_summary_fixed_bytes(void);

/* Counts one event. Returns 0, or -1 on out of memory. */
int omsec_summary_add_event(struct omsec_summary *s,
    const struct omsec_event *ev);

/* Adds a source's parse coverage. Returns 0, or -1 on out of memory. */
int omsec_summary_add_source(struct omsec_summary *s, struct omsec_span path,
    uint64_t lines, uint64_t events, uint64_t rejects);

/*
 * Handles one "#stats\tpath\tlines\tevents\trejects\ttruncated" line of an
 * event stream (line is unescaped in place). Returns 0, or -1 with *why.
 */
int omsec_summary_add_stats_line(struct omsec_summary *s, char *line,
    size_t len, const char **why);

/*
 * Reads one line of a summary file into s, in place (line is modified).
 * Line 1 must be the version line: first is 1 for it. Returns 0, or -1
 * with *why (a static message).
 */
int omsec_summary_read_line(struct omsec_summary *s, char *line, size_t len,
    int first, const char **why);

/* dst += src. Returns 0, or -1 on out of memory. */
int omsec_summary_merge(struct omsec_summary *dst,
    const struct omsec_summary *src);

/* Writes s in canonical order. Returns 0, or -1 on out of memory. */
int omsec_summary_write(const struct omsec_summary *s, struct omsec_out *o);

/* Accessors for tests and the report. */
uint64_t omsec_summary_events(const struct omsec_summary *s);
size_t omsec_summary_hourly_keys(const struct omsec_summary *s);
const struct omsec_ss *omsec_summary_top(const struct omsec_summary *s,
    enum omsec_dim d);
const struct omsec_hll *omsec_summary_hll(const struct omsec_summary *s,
    enum omsec_dim d);	/* src_ip and user only, NULL otherwise */
const char *omsec_dim_name(enum omsec_dim d);

#endif
