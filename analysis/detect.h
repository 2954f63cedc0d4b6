/*
 * detect.h - rule detections over an event stream (docs/formats.md
 * section 3 alerts):
 *
 *   ssh_bruteforce-3f2a9c01d4e7	ssh_bruteforce	important	src_ip	203.0.113.9
 *     2026-11-03T02:14:07.000Z	2026-11-03T02:20:11.000Z	312
 *     312 failed SSH logins from 203.0.113.9 in 6 min	auth.log:10,auth.log:11,...
 *
 * Rules, on event time (the ts column), thresholds from [detect]:
 *  ssh_bruteforce  sshd failures from one src_ip. A burst is a run of
 *    failures whose gaps are at most W (ssh_bf_window); it alerts when some
 *    W-long window inside it holds >= N (ssh_bf_failures) failures. One alert
 *    per burst, covering the whole burst, emitted when a later event shows
 *    the gap > W or at the end. important; urgent when count >= 10 N.
 *  ssh_success_after_failures  an sshd login success from a src_ip with
 *    >= M (ssh_saf_failures) failures in the W2 (ssh_saf_window) before it,
 *    not already reported by an earlier success. urgent.
 *
 * Order: input from several hosts may be interleaved and unsorted. Relevant
 * events (sshd failures and successes, nothing else) are copied into a
 * min-heap of at most `reorder` records (about 400 bytes each) and released
 * in time order, so disorder within that many relevant events is undone
 * exactly. An event older than one already released is "late": it is
 * processed at the release time and counted (omsec_detect_late).
 *
 * Memory: the reorder heap, plus per active src_ip about 400 bytes and a
 * ring of up to max(N, M, 100) failure times; a source is dropped once it
 * has been quiet for max(W, W2) of event time, so state is bounded by the
 * sources active within the window. Alerts are kept until written (they are
 * sorted: first, rule, entity). Cost: O(log reorder) per relevant event.
 */
#ifndef OMSEC_DETECT_H
#define OMSEC_DETECT_H

#include <stddef.h>
#include <stdint.h>

struct omsec_event;
struct omsec_out;
struct omsec_config;

struct omsec_detect_opts {
	int64_t bf_failures;	/* N */
	int64_t bf_window_ms;	/* W */
	int64_t saf_failures;	/* M */
	int64_t saf_window_ms;	/* W2 */
	size_t reorder;		/* records in the reorder heap, >= 1 */
};

#define OMSEC_DETECT_OPTS_INIT { 10, 600000, 5, 3600000, 16384 }

/* Takes the [detect] thresholds from a loaded config. */
void omsec_detect_opts_from_config(struct omsec_detect_opts *o,
    const struct omsec_config *cfg);

struct omsec_alert {
	char id[48];
	const char *rule;
	const char *level;		/* urgent, important, general */
	const char *entity_type;
	char *entity;
	int64_t first, last;
	uint64_t count;
	char *explanation;
	char *refs;			/* comma-joined, commas in paths as %2C */
};

struct omsec_detect;

/* NULL on out of memory or nonsensical options (threshold < 1). */
struct omsec_detect *omsec_detect_new(const struct omsec_detect_opts *o);
void omsec_detect_free(struct omsec_detect *d);

/* Feeds one event (copied as needed). Returns 0, or -1 on out of memory. */
int omsec_detect_event(struct omsec_detect *d, const struct omsec_event *ev);

/* Ends the input: releases the heap, closes open bursts. 0 or -1 (OOM). */
int omsec_detect_finish(struct omsec_detect *d);

/*
 * The alerts found so far, sorted (after finish: all of them). *n is set.
 * Valid until the next call.
 */
const struct omsec_alert *omsec_detect_alerts(struct omsec_detect *d,
    size_t *n);

/* Events processed later than the reorder heap could fix. */
uint64_t omsec_detect_late(const struct omsec_detect *d);

/* Writes the header and the sorted alerts. */
void omsec_detect_write(struct omsec_detect *d, struct omsec_out *o);

#endif
