/*
 * detect.c - SSH brute force and success-after-failures detection (see
 * detect.h for the rules, the per-source ordering, cost and memory bound).
 *
 * Each src_ip has one struct src: the events held for it (in arrival order
 * until sorted), and the state of a streaming evaluator that consumes that
 * source's events in time order (the open burst, a ring of recent failure
 * times, what success-after-failures already reported). Sources sit in a
 * chained hash table and an LRU list, so eviction is O(1).
 */
#define _GNU_SOURCE		/* qsort_r: the comparator needs the arena */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "detect.h"
#include "assets.h"
#include "detect_int.h"
#include "event.h"
#include "otime.h"
#include "out.h"
#include "sketch.h"

#define IP_MAX 48
#define USER_MAX 64
#define HOST_MAX 64
#define SPRAY_MAX 256		/* distinct accounts tracked per burst */
#define REF_MAX 256
#define MAX_REFS 10
#define RING_MIN 100
#define HELD_SHARE 16		/* one source holds at most max_held / 16 */

enum kind { K_FAIL, K_SUCCESS };

/* A held event: its user and ref are in the source's arena at off. */
struct hrec {
	int64_t ts;
	uint64_t seq;		/* arrival order breaks full ties */
	uint32_t off;
	uint16_t refn;
	uint8_t usern;
	uint8_t hostn;
	uint8_t kind;
};

struct src {
	struct src *hnext;		/* hash chain */
	struct src *newer, *older;	/* LRU list */
	uint64_t hash;
	uint8_t ipn;
	char ip[IP_MAX];

	/* Held events, not yet evaluated. */
	struct hrec *held;
	uint32_t hn, hcap;
	int hsorted;
	char *arena;
	size_t alen, acap;

	/* The evaluator, fed in time order. */
	int fed;
	int64_t fed_ts;		/* time of the last event fed */
	int64_t *ring;		/* failure times, newest at (head + n - 1) % cap */
	uint32_t rcap, rn, rhead;
	int in_burst, triggered;
	int64_t burst_first, burst_last;
	uint64_t burst_count;
	uint64_t reported;	/* count an earlier run already alerted */
	char *refs;		/* first MAX_REFS refs of the burst, joined */
	size_t refs_len, refs_cap;
	unsigned nrefs;
	char burst_host[HOST_MAX];	/* host of the burst's first failure */
	uint64_t *users;	/* hashes of the burst's accounts, SPRAY_MAX */
	uint32_t nusers;
	int64_t saf_since;	/* failures up to here were already reported */
};

struct omsec_detect {
	struct omsec_detect_opts o;
	uint32_t ring_max;
	size_t src_held_max;	/* held events per source before a flush */
	uint64_t seq;
	size_t held;		/* held events over all sources */
	uint64_t late, evicted;

	struct src **tab;	/* buckets, a power of two */
	size_t tsize, tn;
	struct src *newest, *oldest;

	struct omsec_alert *alerts;
	size_t an, acap;
	int sorted;

	struct omsec_rules *rules;	/* the other rules (detect_rules.c) */
	int carry;			/* keep open bursts for the state file */
	int64_t max_ts;			/* newest event of the run */
	char crit[32][HOST_MAX];	/* critical hosts */
	int ncrit;
	const struct omsec_asset_index *assets;	/* NULL: no inventory */
};

/* "HH:MM-HH:MM" to minutes of day; 0 or -1. */
static int
parse_hours(const char *s, int *from, int *to)
{
	unsigned h1, m1, h2, m2;
	char tail;

	if (sscanf(s, "%2u:%2u-%2u:%2u%c", &h1, &m1, &h2, &m2, &tail) != 4 ||
	    h1 > 24 || h2 > 24 || m1 > 59 || m2 > 59)
		return -1;
	*from = (int)(h1 * 60 + m1) % 1440;
	*to = (int)(h2 * 60 + m2) % 1440;
	return 0;
}

int
omsec_detect_opts_from_config(struct omsec_detect_opts *o,
    const struct omsec_config *cfg, const char **why)
{
	o->bf_failures = cfg->ssh_bf_failures;
	o->bf_window_ms = cfg->ssh_bf_window * 1000;
	o->saf_failures = cfg->ssh_saf_failures;
	o->saf_window_ms = cfg->ssh_saf_window * 1000;
	o->spray_users = cfg->ssh_spray_users;
	o->dist_sources = cfg->ssh_dist_sources;
	o->dist_window_ms = cfg->ssh_dist_window * 1000;
	o->sudo_failures = cfg->sudo_failures;
	o->sudo_window_ms = cfg->sudo_window * 1000;
	o->web_requests = cfg->web_attack_requests;
	o->web_window_ms = cfg->web_window * 1000;
	o->web_errors = cfg->web_errors;
	o->web_errors_window_ms = cfg->web_errors_window * 1000;
	o->merge_window_ms = cfg->merge_window * 1000;
	o->learn_ms = cfg->learn_period * 1000;
	o->silent_hours = cfg->silent_hours;
	o->silent_below = cfg->silent_below;
	o->silent_min_rate = cfg->silent_min_rate;
	o->silent_expected = cfg->silent_expected;
	o->incident_gap_ms = cfg->incident_gap * 1000;
	o->privileged = cfg->privileged_users;
	o->critical_hosts = cfg->critical_hosts;
	o->timezone = cfg->timezone;
	o->unusual_from = o->unusual_to = -1;
	if (cfg->unusual_hours[0] && parse_hours(cfg->unusual_hours,
	    &o->unusual_from, &o->unusual_to) != 0) {
		*why = "[detect] unusual_hours: want HH:MM-HH:MM";
		return -1;
	}
	o->scan_ports = cfg->port_scan_ports;
	o->scan_ports_window_ms = cfg->port_scan_window * 1000;
	o->scan_hosts = cfg->host_scan_hosts;
	o->scan_hosts_window_ms = cfg->host_scan_window * 1000;
	o->scan_ignore = cfg->scan_ignore;
	o->db_auth_failures = cfg->db_auth_failures;
	o->db_auth_window_ms = cfg->db_auth_window * 1000;
	o->db_export_tables = cfg->db_export_tables;
	o->db_export_window_ms = cfg->db_export_window * 1000;
	o->db_statements = 1;
	o->db_backup_users = cfg->db_backup_users;
	o->ids_alerts = cfg->ids_alerts;
	o->ids_window_ms = cfg->ids_window * 1000;
	o->ids_high = 1;
	o->volume_weeks = cfg->volume_weeks;
	o->volume_min_weeks = cfg->volume_min_weeks;
	o->volume_ratio = cfg->volume_ratio;
	o->volume_z = cfg->volume_z;
	o->volume_min = cfg->volume_min;
	o->backup_from = o->backup_to = o->change_from = o->change_to = 0;
	if (cfg->db_backup_window[0] && parse_hours(cfg->db_backup_window,
	    &o->backup_from, &o->backup_to) != 0) {
		*why = "[detect] db_backup_window: want HH:MM-HH:MM";
		return -1;
	}
	if (cfg->db_change_window[0] && parse_hours(cfg->db_change_window,
	    &o->change_from, &o->change_to) != 0) {
		*why = "[detect] db_change_window: want HH:MM-HH:MM";
		return -1;
	}
	return 0;
}

struct omsec_detect *
omsec_detect_new(const struct omsec_detect_opts *o)
{
	struct omsec_detect *d;

	if (o->bf_failures < 1 || o->saf_failures < 1 || o->bf_window_ms < 0 ||
	    o->saf_window_ms < 0 || o->max_sources < 1 || o->max_held < 1 ||
	    o->max_held > ((size_t)1 << 26) ||
	    o->bf_failures > 1000000 || o->saf_failures > 1000000)
		return NULL;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->o = *o;
	d->max_ts = INT64_MIN;
	d->ring_max = (uint32_t)(o->bf_failures > o->saf_failures ?
	    o->bf_failures : o->saf_failures);
	if (d->ring_max < RING_MIN)
		d->ring_max = RING_MIN;
	d->src_held_max = o->max_held / HELD_SHARE;
	if (d->src_held_max < 1)
		d->src_held_max = 1;
	d->tsize = 1024;
	if ((d->tab = calloc(d->tsize, sizeof(*d->tab))) == NULL) {
		free(d);
		return NULL;
	}
	d->ncrit = omsec_detect_names(&d->crit[0][0], sizeof(d->crit[0]),
	    (int)(sizeof(d->crit) / sizeof(d->crit[0])), o->critical_hosts);
	if ((d->rules = omsec_rules_new(o, d)) == NULL) {
		omsec_detect_free(d);
		return NULL;
	}
	return d;
}

int
omsec_detect_names(char *dst, size_t width, int max, const char *list)
{
	int k = 0;

	for (const char *p = list ? list : ""; *p;) {
		size_t n = strcspn(p, ", \t");
		if (n > 0 && n < width && k < max) {
			memcpy(dst + (size_t)k * width, p, n);
			dst[(size_t)k++ * width + n] = '\0';
		}
		p += n;
		p += strspn(p, ", \t");
	}
	return k;
}

static void
src_free(struct src *s)
{
	if (s == NULL)
		return;
	free(s->held);
	free(s->arena);
	free(s->ring);
	free(s->refs);
	free(s->users);
	free(s);
}

void
omsec_detect_free(struct omsec_detect *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->tsize; i++)
		for (struct src *s = d->tab[i], *n; s; s = n) {
			n = s->hnext;
			src_free(s);
		}
	free(d->tab);
	omsec_rules_free(d->rules);
	for (size_t i = 0; i < d->an; i++) {
		free(d->alerts[i].host);
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
	return d->late + omsec_rules_late(d->rules);
}

uint64_t
omsec_detect_evicted(const struct omsec_detect *d)
{
	return d->evicted;
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

void
omsec_detect_duration(char *buf, size_t cap, int64_t ms)
{
	int64_t s = (ms + 500) / 1000;

	if (s < 120)
		snprintf(buf, cap, "%" PRId64 " s", s);
	else if (s < 7200)
		snprintf(buf, cap, "%" PRId64 " min", (s + 30) / 60);
	else
		snprintf(buf, cap, "%" PRId64 " h", (s + 1800) / 3600);
}

/*
 * A host named in [detect] critical_hosts, or whose asset in the inventory
 * (by name, id, or longest prefix of its address) has high criticality
 * (高/核心/关键).
 */
static int
is_critical(const struct omsec_detect *d, const char *host)
{
	const struct omsec_asset *a;

	for (int i = 0; host && i < d->ncrit; i++)
		if (strcmp(d->crit[i], host) == 0)
			return 1;
	if (host != NULL && d->assets != NULL &&
	    (a = omsec_asset_of(d->assets, omsec_span_cstr(host))) != NULL)
		return a->crit == OMSEC_CRIT_HIGH;
	return 0;
}

void
omsec_detect_set_assets(struct omsec_detect *d,
    const struct omsec_asset_index *x)
{
	d->assets = x;
}

/*
 * The contract's level from the rule's severity and the asset: critical
 * (4) is always urgent; high (3) is urgent on a critical asset, else
 * important; medium (2) is important on a critical asset, else general;
 * low (1) is general.
 */
static const char *
level_of(int sev, int critical)
{
	if (sev >= 4 || (sev == 3 && critical))
		return "urgent";
	if (sev == 3 || (sev == 2 && critical))
		return "important";
	return "general";
}

void
omsec_alert_id(char *out, size_t cap, const char *rule, const char *entity,
    int64_t first_ms)
{
	char iso[25], key[512];
	int n;

	omsec_format_iso(iso, first_ms);
	n = snprintf(key, sizeof(key), "%s%c%s%c%s", rule, 0, entity, 0, iso);
	if (n >= (int)sizeof(key))
		n = (int)sizeof(key) - 1;
	snprintf(out, cap, "%s-%012" PRIx64, rule,
	    (uint64_t)(omsec_hash64(key, (size_t)n) & 0xffffffffffffULL));
}

int
omsec_detect_add(struct omsec_detect *d, const char *rule, int severity,
    const char *entity_type, const char *ip, const char *host,
    int64_t first, int64_t last, uint64_t count, const char *expl,
    const char *refs, size_t refs_len)
{
	struct omsec_alert *a;

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
	omsec_alert_id(a->id, sizeof(a->id), rule, ip, first);
	a->rule = rule;
	a->severity = severity;
	a->level = level_of(severity, is_critical(d, host));
	a->entity_type = entity_type;
	a->first = first;
	a->last = last;
	a->count = count;
	a->entity = dupn(ip, strlen(ip));
	a->host = dupn(host ? host : "", host ? strlen(host) : 0);
	a->explanation = dupn(expl, strlen(expl));
	a->refs = dupn(refs ? refs : "", refs ? refs_len : 0);
	if (!a->entity || !a->explanation || !a->refs || !a->host) {
		free(a->entity);
		free(a->host);
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

/* Orders alert indices by entity, then time, for incident grouping. */
static int
cmp_entity(const void *pa, const void *pb, void *arg)
{
	const struct omsec_alert *al = arg;
	const struct omsec_alert *a = &al[*(const size_t *)pa];
	const struct omsec_alert *b = &al[*(const size_t *)pb];
	int c;

	if ((c = strcmp(a->entity_type, b->entity_type)) != 0)
		return c;
	if ((c = strcmp(a->entity, b->entity)) != 0)
		return c;
	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	return (*(const size_t *)pa > *(const size_t *)pb) -
	    (*(const size_t *)pa < *(const size_t *)pb);
}

/*
 * Incidents: alerts on the same entity (type and value) whose spans come
 * within incident_gap of each other form one incident, named INC- and 12
 * hex digits of a hash of the entity and the incident's first time, so the
 * id is stable across runs. Alerts must be sorted (the order is a tie
 * break only). Without memory for the index, every alert is its own.
 */
static void
assign_incidents(struct omsec_detect *d)
{
	size_t *ix = malloc(d->an * sizeof(*ix)), i, j;

	for (i = 0; i < d->an; i++) {
		char key[512], iso[25];
		int n;
		omsec_format_iso(iso, d->alerts[i].first);
		n = snprintf(key, sizeof(key), "%s%c%s%c%s", d->alerts[i].entity_type,
		    0, d->alerts[i].entity, 0, iso);
		if (n >= (int)sizeof(key))
			n = (int)sizeof(key) - 1;
		snprintf(d->alerts[i].incident, sizeof(d->alerts[i].incident),
		    "INC-%012" PRIx64, (uint64_t)(omsec_hash64(key, (size_t)n) &
		    0xffffffffffffULL));
	}
	if (ix == NULL)
		return;
	for (i = 0; i < d->an; i++)
		ix[i] = i;
	qsort_r(ix, d->an, sizeof(*ix), cmp_entity, d->alerts);
	for (i = 0; i < d->an; i = j) {
		struct omsec_alert *h = &d->alerts[ix[i]];
		int64_t end = h->last;
		for (j = i + 1; j < d->an; j++) {
			struct omsec_alert *a = &d->alerts[ix[j]];
			if (strcmp(a->entity_type, h->entity_type) != 0 ||
			    strcmp(a->entity, h->entity) != 0 ||
			    d->o.incident_gap_ms <= 0 ||
			    a->first > end + d->o.incident_gap_ms)
				break;
			memcpy(a->incident, h->incident, sizeof(a->incident));
			if (a->last > end)
				end = a->last;
		}
	}
	free(ix);
}

const struct omsec_alert *
omsec_detect_alerts(struct omsec_detect *d, size_t *n)
{
	if (!d->sorted) {
		if (d->an > 1)
			qsort(d->alerts, d->an, sizeof(*d->alerts), cmp_alert);
		assign_incidents(d);
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
	    "entity_type\tentity\tfirst\tlast\tcount\texplanation\trefs\t"
	    "severity\thost\tincident\n");
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
		omsec_out_putc(o, '\t');
		omsec_out_u64(o, (uint64_t)a[i].severity);
		omsec_out_putc(o, '\t');
		omsec_out_tsv(o, omsec_span_cstr(a[i].host));
		omsec_out_putc(o, '\t');
		omsec_out_str(o, a[i].incident);
		omsec_out_putc(o, '\n');
	}
}

/* ---- per-source state ------------------------------------------------- */

static int
refs_add(struct src *s, const char *ref, size_t n)
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

/*
 * A burst over many accounts with few tries each is a password spray:
 * at least spray_users distinct accounts and at most 3 tries per account
 * on average. It is reported as ssh_password_spray instead of
 * ssh_bruteforce (one alert per burst, never both).
 */
static int
is_spray(const struct omsec_detect *d, const struct src *s)
{
	return d->o.spray_users > 0 && s->nusers >= d->o.spray_users &&
	    s->burst_count <= 3 * (uint64_t)s->nusers;
}

/*
 * Ends s's burst with its alert if due, unless an earlier run already
 * wrote it with this count. With keep the alert is written and the burst
 * stays open, to be carried to the next run.
 */
static int
burst_close(struct omsec_detect *d, struct src *s, int keep)
{
	char expl[200], dur[32];
	int rc = 0;

	if (s->burst_count == s->reported) {
		/* nothing new since an earlier run's alert */
	} else if (s->in_burst && s->triggered && is_spray(d, s)) {
		omsec_detect_duration(dur, sizeof(dur),
		    s->burst_last - s->burst_first);
		snprintf(expl, sizeof(expl), "%" PRIu64 " failed SSH logins "
		    "over %" PRIu32 "%s accounts from %s in %s", s->burst_count,
		    s->nusers, s->nusers == SPRAY_MAX ? "+" : "", s->ip, dur);
		rc = omsec_detect_add(d, "ssh_password_spray", 3, "src_ip",
		    s->ip, s->burst_host, s->burst_first, s->burst_last,
		    s->burst_count, expl, s->refs, s->refs_len);
	} else if (s->in_burst && s->triggered) {
		uint64_t big = 10 * (uint64_t)d->o.bf_failures;
		omsec_detect_duration(dur, sizeof(dur),
		    s->burst_last - s->burst_first);
		snprintf(expl, sizeof(expl), "%" PRIu64 " failed SSH logins "
		    "from %s in %s", s->burst_count, s->ip, dur);
		rc = omsec_detect_add(d, "ssh_bruteforce", s->burst_count >= big ?
		    4 : 3, "src_ip", s->ip, s->burst_host, s->burst_first,
		    s->burst_last, s->burst_count, expl, s->refs, s->refs_len);
	}
	if (keep) {
		if (s->in_burst && s->triggered)
			s->reported = s->burst_count;
		return rc;
	}
	s->reported = 0;
	s->in_burst = s->triggered = 0;
	s->burst_count = 0;
	s->refs_len = 0;
	s->nrefs = 0;
	s->nusers = 0;
	return rc;
}

static int
burst_end(struct omsec_detect *d, struct src *s)
{
	return burst_close(d, s, 0);
}

/* Adds the account's hash to the burst's set (bounded by SPRAY_MAX). */
static int
users_add(struct src *s, const char *user, size_t n)
{
	uint64_t h = omsec_hash64(user, n);

	for (uint32_t i = 0; i < s->nusers; i++)
		if (s->users[i] == h)
			return 0;
	if (s->nusers == SPRAY_MAX)
		return 0;
	if (s->users == NULL &&
	    (s->users = malloc(SPRAY_MAX * sizeof(*s->users))) == NULL)
		return -1;
	s->users[s->nusers++] = h;
	return 0;
}

static int
ring_push(struct omsec_detect *d, struct src *s, int64_t ts)
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
ring_back(const struct src *s, uint32_t k)
{
	return s->ring[(s->rhead + s->rn - k) % s->rcap];
}

int
omsec_arena_reserve(char **buf, size_t *cap, size_t len, size_t need,
    size_t first)
{
	size_t nc;
	char *nb;

	if (*buf != NULL && len + need <= *cap)
		return 0;
	nc = *cap ? 2 * *cap : first;
	while (nc < len + need)
		nc *= 2;
	if ((nb = realloc(*buf, nc)) == NULL)
		return -1;
	*buf = nb;
	*cap = nc;
	return 0;
}

/* ---- the evaluator: one source's events in time order ----------------- */

void
omsec_refs_append(char *buf, size_t cap, size_t *len, const char *ref,
    size_t n)
{
	if (*len + 1 + 3 * n + 1 > cap)
		return;
	if (*len)
		buf[(*len)++] = ',';
	for (size_t i = 0; i < n; i++) {
		if (ref[i] == ',') {
			memcpy(buf + *len, "%2C", 3);
			*len += 3;
		} else {
			buf[(*len)++] = ref[i];
		}
	}
	buf[*len] = '\0';
}

static void
ref_escape_into(char *dst, size_t *len, const char *ref, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		/* The refs column is comma-separated: a comma in a path is %2C. */
		if (ref[i] == ',') {
			memcpy(dst + *len, "%2C", 3);
			*len += 3;
		} else {
			dst[(*len)++] = ref[i];
		}
	}
}

static int
on_failure(struct omsec_detect *d, struct src *s, int64_t ts,
    const char *user, size_t usern, const char *host, size_t hostn,
    const char *ref, size_t refn)
{
	uint32_t n = (uint32_t)d->o.bf_failures;

	if (s->in_burst && ts - s->burst_last > d->o.bf_window_ms)
		if (burst_end(d, s) != 0)
			return -1;
	if (!s->in_burst) {
		s->in_burst = 1;
		s->burst_first = ts;
		s->burst_count = 0;
		memcpy(s->burst_host, host, hostn);
		s->burst_host[hostn] = '\0';
	}
	s->burst_last = ts;
	s->burst_count++;
	if (refs_add(s, ref, refn) != 0 || ring_push(d, s, ts) != 0)
		return -1;
	if (d->o.spray_users > 0 && users_add(s, user, usern) != 0)
		return -1;
	if (!s->triggered && s->rn >= n &&
	    ts - ring_back(s, n) <= d->o.bf_window_ms)
		s->triggered = 1;
	/* A slow spray never reaches N in W: its accounts trigger it. */
	if (!s->triggered && is_spray(d, s))
		s->triggered = 1;
	return 0;
}

static int
on_success(struct omsec_detect *d, struct src *s, int64_t ts,
    const char *user, size_t usern, const char *host, const char *ref,
    size_t refn)
{
	uint64_t m = 0;
	int64_t first = ts;
	char expl[512], dur[32], ubuf[USER_MAX * 4 + 1], refs[MAX_REFS *
	    (3 * REF_MAX + 1) + 1];
	size_t rl = 0;

	for (uint32_t k = 1; k <= s->rn; k++) {
		int64_t t = ring_back(s, k);
		if (ts - t > d->o.saf_window_ms || t <= s->saf_since)
			break;
		m++;
		first = t;
	}
	if (m < (uint64_t)d->o.saf_failures)
		return 0;
	s->saf_since = ts;
	/* The user came from a log: keep it printable in the sentence. */
	omsec_term_escape(ubuf, sizeof(ubuf), omsec_span_make(user, usern));
	omsec_detect_duration(dur, sizeof(dur), ts - first);
	snprintf(expl, sizeof(expl), "Successful SSH login as %s from %s after "
	    "%" PRIu64 "%s failed logins in %s", usern ? ubuf : "an unknown user",
	    s->ip, m, m == s->rcap && s->rcap == d->ring_max ? "+" : "", dur);
	/* Evidence: the burst's first refs (already escaped), then the success. */
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
	if (refn) {
		if (rl)
			refs[rl++] = ',';
		ref_escape_into(refs, &rl, ref, refn);
	}
	refs[rl] = '\0';
	return omsec_detect_add(d, "ssh_success_after_failures", 4, "src_ip",
	    s->ip, host, first, ts, m + 1, expl, refs, rl);
}

/*
 * Feeds one held event. An event older than one already fed cannot be put
 * back in place: close the open burst and forget the window, so it starts a
 * timeline of its own instead of being counted at a time it did not happen.
 */
static int
feed(struct omsec_detect *d, struct src *s, const struct hrec *r)
{
	const char *user = s->arena + r->off, *host = user + r->usern;
	const char *ref = host + r->hostn;
	char hbuf[HOST_MAX];

	if (s->fed && r->ts < s->fed_ts) {
		d->late++;
		if (burst_end(d, s) != 0)
			return -1;
		s->rn = s->rhead = 0;
		s->saf_since = INT64_MIN;
	}
	s->fed = 1;
	s->fed_ts = r->ts;
	if (r->kind == K_FAIL)
		return on_failure(d, s, r->ts, user, r->usern, host, r->hostn,
		    ref, r->refn);
	memcpy(hbuf, host, r->hostn);
	hbuf[r->hostn] = '\0';
	return on_success(d, s, r->ts, user, r->usern, hbuf, ref, r->refn);
}

/* ---- held events ------------------------------------------------------ */

static int
hrec_cmp(const void *pa, const void *pb, void *arg)
{
	const struct hrec *a = pa, *b = pb;
	const char *arena = arg;
	int c;

	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	/* Equal times: order by evidence, so arrival order does not matter. */
	c = omsec_span_cmp(omsec_span_make(arena + a->off + a->usern + a->hostn,
	    a->refn), omsec_span_make(arena + b->off + b->usern + b->hostn,
	    b->refn));
	if (c)
		return c;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/*
 * Evaluates the oldest k held events of s in time order and keeps the rest,
 * with the arena compacted to them. Returns 0 or -1 (out of memory).
 */
static int
flush(struct omsec_detect *d, struct src *s, uint32_t k)
{
	if (!s->hsorted && s->hn > 1)
		qsort_r(s->held, s->hn, sizeof(*s->held), hrec_cmp, s->arena);
	s->hsorted = 1;
	for (uint32_t i = 0; i < k; i++)
		if (feed(d, s, &s->held[i]) != 0)
			return -1;
	/* Slide the kept events and their strings to the front, in place. */
	size_t alen = 0;
	for (uint32_t i = k; i < s->hn; i++) {
		struct hrec *r = &s->held[i - k];
		*r = s->held[i];
		size_t n = (size_t)r->usern + r->hostn + r->refn;
		memmove(s->arena + alen, s->arena + r->off, n);
		r->off = (uint32_t)alen;
		alen += n;
	}
	s->alen = alen;
	d->held -= k;
	s->hn -= k;
	/* Held memory follows the held count: a finished source keeps none. */
	if (s->hn == 0) {
		free(s->held);
		free(s->arena);
		s->held = NULL;
		s->arena = NULL;
		s->hcap = 0;
		s->acap = s->alen = 0;
	}
	return 0;
}

static int
hold(struct omsec_detect *d, struct src *s, int kind, int64_t ts,
    struct omsec_span user, struct omsec_span host, struct omsec_span ref)
{
	size_t un = user.n < USER_MAX - 1 ? user.n : USER_MAX - 1;
	size_t hn = host.n < HOST_MAX - 1 ? host.n : HOST_MAX - 1;
	size_t rn = ref.n < REF_MAX ? ref.n : REF_MAX;
	struct hrec *r;
	char *to;

	if (s->hn == s->hcap) {
		uint32_t nc = s->hcap ? 2 * s->hcap : 8;
		struct hrec *nh = realloc(s->held, nc * sizeof(*nh));
		if (nh == NULL)
			return -1;
		s->held = nh;
		s->hcap = nc;
	}
	if (omsec_arena_reserve(&s->arena, &s->acap, s->alen, un + hn + rn,
	    256) != 0)
		return -1;
	r = &s->held[s->hn];
	r->ts = ts;
	r->seq = d->seq++;
	r->off = (uint32_t)s->alen;
	r->usern = (uint8_t)un;
	r->hostn = (uint8_t)hn;
	r->refn = (uint16_t)rn;
	r->kind = (uint8_t)kind;
	to = omsec_arena_put(s->arena + s->alen, user.p, un);
	to = omsec_arena_put(to, host.p, hn);
	omsec_arena_put(to, ref.p, rn);
	s->alen += un + hn + rn;
	if (s->hn == 0)
		s->hsorted = 1;
	else if (s->hsorted && hrec_cmp(&s->held[s->hn - 1], r, s->arena) > 0)
		s->hsorted = 0;
	s->hn++;
	d->held++;
	return 0;
}

/* ---- sources: hash table and LRU -------------------------------------- */

static void
lru_unlink(struct omsec_detect *d, struct src *s)
{
	if (s->newer)
		s->newer->older = s->older;
	else
		d->newest = s->older;
	if (s->older)
		s->older->newer = s->newer;
	else
		d->oldest = s->newer;
	s->newer = s->older = NULL;
}

static void
lru_push(struct omsec_detect *d, struct src *s)
{
	s->older = d->newest;
	s->newer = NULL;
	if (d->newest)
		d->newest->newer = s;
	d->newest = s;
	if (d->oldest == NULL)
		d->oldest = s;
}

/* Evaluates everything s holds and closes its burst; s stays. */
static int
finalise(struct omsec_detect *d, struct src *s)
{
	if (flush(d, s, s->hn) != 0)
		return -1;
	return burst_end(d, s);
}

/* Finalises and frees the least recently touched source. */
static int
evict_oldest(struct omsec_detect *d)
{
	struct src *s = d->oldest, **pp;

	if (finalise(d, s) != 0)
		return -1;
	lru_unlink(d, s);
	for (pp = &d->tab[s->hash & (d->tsize - 1)]; *pp != s; pp = &(*pp)->hnext)
		;
	*pp = s->hnext;
	d->tn--;
	d->evicted++;
	src_free(s);
	return 0;
}

static int
tab_grow(struct omsec_detect *d)
{
	size_t nsize = 2 * d->tsize;
	struct src **nt = calloc(nsize, sizeof(*nt));

	if (nt == NULL)
		return -1;
	for (size_t i = 0; i < d->tsize; i++)
		for (struct src *s = d->tab[i], *n; s; s = n) {
			n = s->hnext;
			s->hnext = nt[s->hash & (nsize - 1)];
			nt[s->hash & (nsize - 1)] = s;
		}
	free(d->tab);
	d->tab = nt;
	d->tsize = nsize;
	return 0;
}

/* The source for ip, created (evicting the oldest if full); NULL on OOM. */
static struct src *
src_get(struct omsec_detect *d, struct omsec_span ip)
{
	size_t n = ip.n < IP_MAX - 1 ? ip.n : IP_MAX - 1;
	uint64_t h = omsec_hash64(ip.p, n);
	struct src *s;

	for (s = d->tab[h & (d->tsize - 1)]; s; s = s->hnext)
		if (s->hash == h && s->ipn == n && memcmp(s->ip, ip.p, n) == 0) {
			if (d->newest != s) {
				lru_unlink(d, s);
				lru_push(d, s);
			}
			return s;
		}
	while (d->tn >= d->o.max_sources)
		if (evict_oldest(d) != 0)
			return NULL;
	if (d->tn >= d->tsize && tab_grow(d) != 0)
		return NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->hash = h;
	s->ipn = (uint8_t)n;
	memcpy(s->ip, ip.p, n);
	s->ip[n] = '\0';
	s->saf_since = INT64_MIN;
	s->hnext = d->tab[h & (d->tsize - 1)];
	d->tab[h & (d->tsize - 1)] = s;
	d->tn++;
	lru_push(d, s);
	return s;
}

int
omsec_detect_event(struct omsec_detect *d, const struct omsec_event *ev)
{
	int kind;
	struct src *s;

	if (omsec_rules_event(d->rules, ev) != 0)
		return -1;
	if (ev->ts_ms > d->max_ts)
		d->max_ts = ev->ts_ms;
	if (!omsec_span_eq(ev->f[OMSEC_F_MODULE], "sshd") ||
	    ev->f[OMSEC_F_SRC_IP].n == 0)
		return 0;
	/*
	 * Only login attempts count: one password try also logs PAM lines
	 * ("authentication failure", "n more authentication failures"), and
	 * counting those would make a count mean lines, not attempts.
	 */
	if (!omsec_span_eq(ev->f[OMSEC_F_ACTION], "login"))
		return 0;
	if (omsec_span_eq(ev->f[OMSEC_F_OUTCOME], "failure"))
		kind = K_FAIL;
	else if (omsec_span_eq(ev->f[OMSEC_F_OUTCOME], "success"))
		kind = K_SUCCESS;
	else
		return 0;
	if ((s = src_get(d, ev->f[OMSEC_F_SRC_IP])) == NULL)
		return -1;
	if (hold(d, s, kind, ev->ts_ms, ev->f[OMSEC_F_USER],
	    ev->f[OMSEC_F_HOST], ev->f[OMSEC_F_REF]) != 0)
		return -1;
	/*
	 * Over a bound: first the source's own share (its older half is
	 * evaluated, the newer half can still take stragglers), then the total
	 * (other sources, least recently touched first, are finalised).
	 */
	if (s->hn > d->src_held_max && flush(d, s, s->hn - s->hn / 2) != 0)
		return -1;
	while (d->held > d->o.max_held && d->oldest != s)
		if (evict_oldest(d) != 0)
			return -1;
	if (d->held > d->o.max_held && flush(d, s, s->hn) != 0)
		return -1;
	return 0;
}

int
omsec_detect_explained(const struct omsec_detect *d, const char *src,
    int64_t from, int64_t to)
{
	size_t n = strlen(src);

	for (size_t i = 0; i < d->an; i++) {
		const struct omsec_alert *a = &d->alerts[i];
		if (a->last < from - 3600000 || a->first > to + 3600000)
			continue;
		if (strcmp(a->host, src) == 0 || strcmp(a->entity, src) == 0 ||
		    (strncmp(a->refs, src, n) == 0 && a->refs[n] == '/'))
			return 1;
	}
	return 0;
}

/*
 * 1 if something at t can still be extended by the next run's events: it
 * is within w of the newest event. A run without events (a quiet night)
 * ends nothing.
 */
static int
still_open(const struct omsec_detect *d, int64_t t, int64_t w)
{
	return d->max_ts == INT64_MIN || t >= d->max_ts || d->max_ts - t <= w;
}

/* What the next run needs of s: an open burst, or recent failures. */
static int
worth_carrying(const struct omsec_detect *d, const struct src *s)
{
	if (s->in_burst && still_open(d, s->burst_last, d->o.bf_window_ms))
		return 1;
	return s->rn > 0 && still_open(d, ring_back(s, 1), d->o.saf_window_ms);
}

int
omsec_detect_finish(struct omsec_detect *d)
{
	for (struct src *s = d->oldest; s; s = s->newer) {
		if (flush(d, s, s->hn) != 0)
			return -1;
		/*
		 * With a state file, a burst the next run could extend is
		 * carried (its alert, if due, is written now all the same).
		 */
		if (d->carry && s->in_burst &&
		    still_open(d, s->burst_last, d->o.bf_window_ms)) {
			if (burst_close(d, s, 1) != 0)
				return -1;
		} else if (burst_end(d, s) != 0) {
			return -1;
		}
	}
	return omsec_rules_finish(d->rules);
}

int
omsec_state_put(FILE *f, const char *s, size_t n)
{
	char stackbuf[1024], *buf = stackbuf, *e;

	if (OMSEC_TSV_MAX(n) > sizeof(stackbuf) &&
	    (buf = malloc(OMSEC_TSV_MAX(n))) == NULL)
		return -1;
	e = omsec_tsv_escape(buf, omsec_span_make(n ? s : "", n));
	fputc('\t', f);
	fwrite(buf, 1, (size_t)(e - buf), f);
	if (buf != stackbuf)
		free(buf);
	return 0;
}

int
omsec_state_split(char *line, char **fld, int max)
{
	int n = 0;

	for (char *p = line; p && n < max;) {
		char *tab = strchr(p, '\t');
		long len;
		if (tab)
			*tab = '\0';
		if ((len = omsec_tsv_unescape(p, strlen(p))) < 0)
			return -1;
		p[len] = '\0';
		fld[n++] = p;
		p = tab ? tab + 1 : NULL;
	}
	return n;
}

/*
 * ssh	IP	IN_BURST	TRIGGERED	FIRST	LAST	COUNT	REPORTED	HOST
 *	REFS	RING	USERS	SAF_SINCE: a source's open burst and its recent
 * failure times (ms), the burst's account hashes (hex).
 */
static int
ssh_line(void *ctx, char **f, int n)
{
	struct omsec_detect *d = ctx;
	int64_t v[7];
	struct src *s;

	if (n != 13 || strlen(f[1]) == 0 || strlen(f[1]) >= IP_MAX ||
	    strlen(f[8]) >= HOST_MAX)
		return 1;
	for (int i = 0; i < 6; i++) {
		char *e;
		v[i] = strtoll(f[2 + i], &e, 10);
		if (*f[2 + i] == '\0' || *e != '\0')
			return 1;
	}
	if (strcmp(f[12], "-") == 0 || f[12][0] == '\0')
		v[6] = INT64_MIN;
	else {
		char *e;
		v[6] = strtoll(f[12], &e, 10);
		if (*e != '\0')
			return 1;
	}
	if (v[4] < 0 || v[5] < 0 || v[5] > v[4] || v[2] > v[3])
		return 1;
	if ((s = src_get(d, omsec_span_cstr(f[1]))) == NULL)
		return -1;
	s->in_burst = v[0] != 0;
	s->triggered = v[1] != 0;
	s->burst_first = v[2];
	s->burst_last = v[3];
	s->burst_count = (uint64_t)v[4];
	s->reported = (uint64_t)v[5];
	s->saf_since = v[6];
	snprintf(s->burst_host, sizeof(s->burst_host), "%s", f[8]);
	s->refs_len = 0;
	s->nrefs = 0;
	if (f[9][0] != '\0') {
		size_t len = strlen(f[9]);
		if ((s->refs = malloc(len + 1)) == NULL)
			return -1;
		memcpy(s->refs, f[9], len + 1);
		s->refs_len = s->refs_cap = len;
		s->refs_cap++;
		for (const char *p = s->refs; p; p = strchr(p + 1, ','))
			s->nrefs++;
	}
	s->fed = 1;
	s->fed_ts = v[3];
	for (char *p = f[10]; *p;) {
		char *e;
		int64_t ts = strtoll(p, &e, 10);
		if (e == p || ring_push(d, s, ts) != 0)
			return e == p ? 1 : -1;
		if (ts > s->fed_ts)
			s->fed_ts = ts;
		p = *e == ',' ? e + 1 : e;
		if (*e != ',' && *e != '\0')
			return 1;
	}
	for (char *p = f[11]; *p;) {
		char *e;
		uint64_t h = strtoull(p, &e, 16);
		if (e == p)
			return 1;
		if (s->users == NULL &&
		    (s->users = malloc(SPRAY_MAX * sizeof(*s->users))) == NULL)
			return -1;
		if (s->nusers < SPRAY_MAX)
			s->users[s->nusers++] = h;
		p = *e == ',' ? e + 1 : e;
		if (*e != ',' && *e != '\0')
			return 1;
	}
	return 0;
}

static int
cmp_src(const void *pa, const void *pb)
{
	return strcmp((*(struct src *const *)pa)->ip,
	    (*(struct src *const *)pb)->ip);
}

static int
write_ssh(void *ctx, FILE *f)
{
	struct omsec_detect *d = ctx;
	struct src **v = malloc((d->tn + 1) * sizeof(*v));
	size_t n = 0;

	if (v == NULL)
		return -1;
	for (struct src *s = d->oldest; s; s = s->newer)
		if (worth_carrying(d, s))
			v[n++] = s;
	qsort(v, n, sizeof(*v), cmp_src);
	for (size_t i = 0; i < n; i++) {
		const struct src *s = v[i];
		int rc = 0;
		fputs("ssh", f);
		rc |= omsec_state_put(f, s->ip, strlen(s->ip));
		fprintf(f, "\t%d\t%d\t%" PRId64 "\t%" PRId64 "\t%" PRIu64 "\t%"
		    PRIu64, s->in_burst, s->triggered, s->burst_first,
		    s->burst_last, s->burst_count, s->reported);
		rc |= omsec_state_put(f, s->burst_host, strlen(s->burst_host));
		rc |= omsec_state_put(f, s->refs, s->in_burst ? s->refs_len : 0);
		fputc('\t', f);
		/* Failures older than both windows can no longer count. */
		for (uint32_t k = s->rn, first = 1; k >= 1; k--) {
			int64_t t = ring_back(s, k);
			if (!still_open(d, t, d->o.bf_window_ms) &&
			    !still_open(d, t, d->o.saf_window_ms))
				continue;
			fprintf(f, "%s%" PRId64, first ? "" : ",", t);
			first = 0;
		}
		fputc('\t', f);
		for (uint32_t k = 0; s->in_burst && k < s->nusers; k++)
			fprintf(f, "%s%" PRIx64, k ? "," : "", s->users[k]);
		if (s->saf_since == INT64_MIN)
			fputs("\t-\n", f);
		else
			fprintf(f, "\t%" PRId64 "\n", s->saf_since);
		if (rc) {
			free(v);
			return -1;
		}
	}
	free(v);
	return 0;
}

int
omsec_detect_state_load(struct omsec_detect *d, const char *path, char *err,
    size_t errcap)
{
	d->carry = 1;
	return omsec_rules_state_load(d->rules, path, err, errcap, ssh_line, d);
}

int
omsec_detect_state_save(struct omsec_detect *d, const char *path)
{
	return omsec_rules_state_save(d->rules, path, write_ssh, d);
}

int
omsec_detect_bad_ranges_load(struct omsec_detect *d, const char *path,
    char *err, size_t errcap)
{
	return omsec_rules_bad_ranges_load(d->rules, path, err, errcap);
}
