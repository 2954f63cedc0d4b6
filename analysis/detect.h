/*
 * detect.h - rule detections over an event stream (docs/formats.md
 * section 3 alerts):
 *
 *   ssh_bruteforce-3f2a9c01d4e7	ssh_bruteforce	important	src_ip	203.0.113.9
 *     2026-11-03T02:14:07.000Z	2026-11-03T02:20:11.000Z	312
 *     312 failed SSH logins from 203.0.113.9 in 6 min	auth.log:10,auth.log:11,...
 *
 * This file's engine keeps the per-source SSH rules below; the other rules
 * (distributed brute force, privileged and new-country logins, sudo, account
 * changes, web attacks, collection health) are in detect_rules.c, fed the
 * same events; both add their alerts here, where levels (severity and
 * critical_hosts) and incidents are set. docs/alerts.md lists them all.
 *
 * Rules, on event time (the ts column), thresholds from [detect]:
 *  ssh_bruteforce  sshd failures from one src_ip. A burst is a run of
 *    failures whose gaps are at most W (ssh_bf_window); it alerts when some
 *    W-long window inside it holds >= N (ssh_bf_failures) failures. One alert
 *    per burst, covering the whole burst, emitted when a later event shows
 *    the gap > W or at the end. important; urgent when count >= 10 N.
 *    A burst over >= spray_users accounts with <= 3 tries per account on
 *    average is ssh_password_spray instead (and triggers on that alone).
 *  ssh_success_after_failures  an sshd login success from a src_ip with
 *    >= M (ssh_saf_failures) failures in the W2 (ssh_saf_window) before it,
 *    not already reported by an earlier success. urgent.
 *
 * Order: every rule is evaluated per src_ip on that address's own
 * timeline, in event time, never against a clock shared by all sources. So
 * input that is interleaved, unsorted or made of whole host streams one after
 * another (each host's month, then the next host's) gives the same alerts as
 * sorted input. Relevant events (sshd failures and successes, nothing else)
 * are held per source, appended in arrival order, and sorted (by time, then
 * ref) only when the source is evaluated: at the end, when the source is
 * evicted, or when it holds more than max_held / 16 events, in which case its
 * older half is evaluated and the rest kept. An event that arrives older than
 * something its source already evaluated is "late" (omsec_detect_late): the
 * source's open burst is closed and its window forgotten, and the late event
 * starts a fresh timeline; it is never moved to another time, so late events
 * can split one attack into two alerts but cannot pile unrelated failures
 * onto one instant.
 *
 * Memory: at most max_sources src_ip entries (default 65536; each about
 * 250 bytes, plus a ring of up to max(N, M, 100) failure times and the first
 * 10 refs of the open burst: about 1.5 KiB for an attacker at the defaults) and at most max_held held events in all
 * (default 2^20, 24 bytes plus the user and ref each: ref cut at 256
 * bytes, user at 63; about 70 bytes on real logs). Beyond either
 * bound the least recently touched source is evicted: its held events are
 * evaluated, its open burst is closed (an alert if due) and its state freed;
 * a later event from it starts afresh (omsec_detect_evicted counts evictions).
 * A source's held arrays are at most about four times what it holds, freed when
 * it holds nothing.
 * With a state file loaded (omsec_detect_state_load), a burst still open
 * at the end of the input is not closed but written to the state, and the
 * next run continues it (docs/alerts.md, "The state file"); an alert it
 * was due is written all the same, and again, same id, if it grows.
 * Alerts are kept until written (sorted: first, rule, entity). Cost:
 * O(1) per event to hold, O(log k) amortised to sort a source's k held
 * events; O(1) to evaluate.
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
	size_t max_sources;	/* src_ip entries kept, >= 1 */
	size_t max_held;	/* events held for sorting, in all, 1 to 2^26 */
	/*
	 * The rules of detect_rules.c (docs/alerts.md). A count or window of 0
	 * turns its rule off, so options written for the SSH rules alone keep
	 * their meaning; the config gives every rule its documented default.
	 */
	int64_t spray_users;		/* a burst over >= this many accounts */
	int64_t dist_sources;		/* sources failing on one account ... */
	int64_t dist_window_ms;		/* ... within this */
	int64_t sudo_failures, sudo_window_ms;
	int64_t web_requests, web_window_ms;
	int64_t web_errors, web_errors_window_ms;
	int64_t merge_window_ms;	/* single-event rules merge within */
	int64_t learn_ms;		/* history before "never seen" alerts */
	int64_t silent_hours;		/* 0: no collection-health rule */
	double silent_below;		/* percent of the usual volume */
	int64_t silent_min_rate;	/* events per hour to be judged */
	int64_t silent_expected;	/* usual events a silent run must span */
	int64_t incident_gap_ms;	/* 0: every alert its own incident */
	int unusual_from, unusual_to;	/* local minutes of day; -1: off */
	const char *privileged;		/* comma-separated users, borrowed */
	const char *critical_hosts;	/* comma-separated hosts, borrowed */
	const char *timezone;		/* for unusual hours; NULL = UTC */
	/* Network, database and IDS rules (docs/alerts.md); 0 turns off. */
	int64_t scan_ports, scan_ports_window_ms;	/* vertical scan */
	int64_t scan_hosts, scan_hosts_window_ms;	/* horizontal scan */
	const char *scan_ignore;	/* CIDRs never judged as scanners */
	int64_t db_auth_failures, db_auth_window_ms;
	int64_t db_export_tables, db_export_window_ms;
	int db_statements;		/* 1: DROP/TRUNCATE/GRANT, INTO OUTFILE */
	int backup_from, backup_to;	/* local minutes; equal: no window */
	int change_from, change_to;	/* local minutes; equal: no window */
	int64_t ids_alerts, ids_window_ms;
	int ids_high;			/* 1: any priority-1 alert at once */
	/* volume_anomaly: seasonal baseline per (source, category). */
	int64_t volume_weeks;		/* 0: off */
	int64_t volume_min_weeks, volume_ratio, volume_z, volume_min;
	const char *db_backup_users;	/* accounts whose dumps are expected */
};

#define OMSEC_DETECT_OPTS_INIT { 10, 600000, 5, 3600000, 65536, 1048576, \
	10, 20, 600000, 3, 600000, 3, 600000, 20, 60000, 3600000, \
	7 * 86400000LL, 2, 10.0, 10, 100, 6 * 3600000LL, 22 * 60, 6 * 60, \
	"root,admin,administrator", "", "Asia/Shanghai", 20, 300000, 10, \
	300000, "", 5, 600000, 20, 600000, 1, 0, 0, 0, 0, 10, 600000, 1, \
	4, 3, 3, 3, 100, "" }

/*
 * Takes the [detect] thresholds from a loaded config (the strings stay
 * borrowed from cfg). Returns 0, or -1 with a static message in *why for
 * a bad unusual_hours.
 */
int omsec_detect_opts_from_config(struct omsec_detect_opts *o,
    const struct omsec_config *cfg, const char **why);

struct omsec_alert {
	char id[48];
	const char *rule;
	const char *level;		/* urgent, important, general */
	const char *entity_type;	/* src_ip, user, host */
	char *entity;
	int64_t first, last;
	uint64_t count;
	char *explanation;
	char *refs;			/* comma-joined, commas in paths as %2C */
	int severity;			/* 1 low .. 4 critical, before the asset */
	char *host;			/* asset the alert is about, "" if unknown */
	char incident[32];		/* INC- + 12 hex digits */
};

/*
 * An alert's id: rule "-" and 12 hex digits of SipHash-2-4 (omsec_hash64)
 * over rule NUL entity NUL first (ISO 8601, milliseconds), so the same
 * alert has the same id in every run. Also what a ticket quotes to link
 * an alert (samples/gen.c). out holds at least 48 bytes.
 */
void omsec_alert_id(char *out, size_t cap, const char *rule,
    const char *entity, int64_t first_ms);

struct omsec_detect;

/* NULL on out of memory or nonsensical options (threshold < 1, bad zone). */
struct omsec_detect *omsec_detect_new(const struct omsec_detect_opts *o);
/*
 * The asset inventory (borrowed, NULL: none): an alert on a host whose
 * asset has high criticality gets the critical-asset level (as for
 * [detect] critical_hosts). Call before the first event.
 */
struct omsec_asset_index;
void omsec_detect_set_assets(struct omsec_detect *d,
    const struct omsec_asset_index *x);
void omsec_detect_free(struct omsec_detect *d);

/* Feeds one event (copied as needed). Returns 0, or -1 on out of memory. */
int omsec_detect_event(struct omsec_detect *d, const struct omsec_event *ev);

/* Ends the input: evaluates all held events, closes open bursts. 0 or -1. */
int omsec_detect_finish(struct omsec_detect *d);

/*
 * The alerts found so far, sorted (after finish: all of them). *n is set.
 * Valid until the next call.
 */
const struct omsec_alert *omsec_detect_alerts(struct omsec_detect *d,
    size_t *n);

/*
 * Events older than something their source had already evaluated; they were
 * evaluated apart, on their own time (see Order above).
 */
uint64_t omsec_detect_late(const struct omsec_detect *d);

/* Sources evicted before the end to keep within max_sources or max_held. */
uint64_t omsec_detect_evicted(const struct omsec_detect *d);

/*
 * Loads the list of bad address ranges (docs/alerts.md, net_bad_range):
 * one CIDR or address per line, '#' starts a comment. Before the first
 * event. Returns 0, or -1 with "path:line: what" in err.
 */
int omsec_detect_bad_ranges_load(struct omsec_detect *d, const char *path,
    char *err, size_t errcap);

/* Writes the header and the sorted alerts. */
void omsec_detect_write(struct omsec_detect *d, struct omsec_out *o);

/*
 * State kept across runs (--state): the accounts' countries and sudo users
 * seen, and when the history began (docs/alerts.md). Load before the first
 * event: returns 0 (a missing file is an empty history), or -1 with
 * "path:line: what" in err. Save after finish, atomically: 0 or -1 (errno).
 */
int omsec_detect_state_load(struct omsec_detect *d, const char *path,
    char *err, size_t errcap);
int omsec_detect_state_save(struct omsec_detect *d, const char *path);

#endif
