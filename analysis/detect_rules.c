/*
 * detect_rules.c - the detections beside the per-source SSH rules of
 * detect.c: accounts, privilege, web attacks, network scans and bad
 * ranges, databases, IDS, collection health
 * (docs/alerts.md lists every rule, its entity, threshold and level).
 *
 *   ssh_distributed_bruteforce  user@host  >= S sources fail on it in W
 *   ssh_privileged_offhours     user@host  privileged login, unusual hours
 *   ssh_new_country             user@host  login from a country not seen
 *   sudo_not_in_sudoers         user@host  "user NOT in sudoers"
 *   sudo_auth_failures          user@host  >= N sudo password failures in W
 *   sudo_first_use              user@host  first sudo of an account
 *   iam_user_created            user@host  useradd / userdel
 *   iam_group_change            user@host  group created, member added
 *   web_sqli, web_xss, web_traversal, web_sensitive_probe, web_scanner
 *                               src_ip     >= N matching requests in W
 *   web_error_burst             src_ip     >= N 4xx/5xx responses in W
 *   log_source_silent           host       a source far below its volume
 *   net_port_scan               src_ip     >= N distinct ports of one host
 *   net_host_scan               src_ip     >= N distinct hosts, one port
 *   net_bad_range               src_ip     traffic with a listed range
 *   db_auth_failures            src_ip     >= N database login failures
 *   db_dangerous_statement      user/host/source  DROP, TRUNCATE, GRANT
 *   db_mass_export              user/host/source  INTO OUTFILE; >= N
 *                                          whole-table reads in W
 *   ids_signature_burst         src_ip     >= N alerts of one signature
 *   ids_high_priority           src_ip     a priority-1 IDS alert
 *
 * How: each relevant event becomes a small record (rule, key, aux, host,
 * ref, time) held in one buffer. When the buffer is full or the input ends
 * the records are sorted by (rule, key, time, ref) and fed to one state per
 * (rule, key) in time order, so input order does not matter. A state is a
 * burst (a run of records with gaps of at most the rule's window) and a
 * ring of the recent records' times and aux hashes; the burst alerts once,
 * when it ends, if some window inside it met the rule's count (and, for the
 * distributed rule, distinct-source) threshold. A record older than its
 * state's last one (possible only across a mid-stream flush) is "late": the
 * state restarts from it. "Never seen" rules look records up in sets that
 * the state file carries across runs; during the learning period (from the
 * start of the history) they only learn.
 *
 * Collection health counts every event per (host, module) and UTC hour and
 * judges each series at the end (see health_eval); the seasonal volume rule
 * counts per (source, category) and judges each hour against the same
 * local hour of the weekday in the trailing weeks (see vol_eval). The bad
 * ranges are a sorted array of disjoint blocks: one binary search an event.
 *
 * Memory: held records at most max_held (about 40 bytes plus their strings,
 * key and aux cut at 128 bytes, ref at 256); states for the keys of one
 * flush (freed after it unless a burst is still open); seen sets up to
 * SEEN_MAX entries; health and volume at most SERIES_MAX series of
 * HOURS_MAX hours each (4 bytes an hour); the bad-range list about 100
 * bytes a merged block; the MySQL thread accounts a fixed 4096 entries
 * (about 600 KB, in the rules' struct). Cost: O(log n) per record to sort, O(ring) per
 * record for the distinct-value rules, a URL decode and substring scans per
 * web event, one binary search per network event with a bad-range list.
 */
#define _GNU_SOURCE		/* memmem, qsort_r */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "detect.h"
#include "detect_int.h"
#include "event.h"
#include "ipaddr.h"
#include "otime.h"
#include "out.h"
#include "reader.h"
#include "sketch.h"

#define KEY_MAX 128
#define AUX_MAX 128
#define HOST_MAX 64
#define REF_MAX 256
#define MAX_REFS 10
#define RING_MAX 1024
#define DSET_MAX 256
#define SEEN_MAX (1u << 20)
#define SERIES_MAX 4096
#define HOURS_MAX (24 * 400)
#define SILENT_HIST (7 * 24)	/* hours of health history carried */
#define URL_MAX 2048
#define THR_SETS 1024		/* MySQL thread -> account: sets of ... */
#define THR_WAYS 4		/* ... this many entries, oldest evicted */

enum rule {
	R_DIST, R_OFFHOURS, R_NEWCTRY, R_SUDO_DENIED, R_SUDO_FAIL, R_SUDO_FIRST,
	R_IAM_USER, R_IAM_GROUP, R_WEB_SQLI, R_WEB_XSS, R_WEB_TRAV, R_WEB_SENS,
	R_WEB_SCAN, R_WEB_ERR, R_NET_VSCAN, R_NET_HSCAN, R_NET_BAD, R_DB_AUTH,
	R_DB_DANGER, R_DB_DUMP, R_DB_OUTFILE, R_IDS_BURST, R_IDS_HIGH, R_COUNT
};

static const char *const rule_name[R_COUNT] = {
	"ssh_distributed_bruteforce", "ssh_privileged_offhours",
	"ssh_new_country", "sudo_not_in_sudoers", "sudo_auth_failures",
	"sudo_first_use", "iam_user_created", "iam_group_change", "web_sqli",
	"web_xss", "web_traversal", "web_sensitive_probe", "web_scanner",
	"web_error_burst", "net_port_scan", "net_host_scan", "net_bad_range",
	"db_auth_failures", "db_dangerous_statement", "db_mass_export",
	"db_mass_export", "ids_signature_burst", "ids_high_priority",
};

/* Base severity of each rule (iam_group_change: per event, see below). */
static const int rule_sev[R_COUNT] = { 3, 2, 3, 2, 2, 2, 2, 1, 3, 2, 3, 2,
	2, 1, 2, 2, 3, 3, 3, 3, 3, 2, 3 };

/* Rules that count distinct aux values (sources, ports, hosts). */
#define DISTINCT(rule) ((rule) == R_DIST || (rule) == R_NET_VSCAN || \
	(rule) == R_NET_HSCAN)

/* A merged block of the bad-range list: [lo, hi], named by a line. */
struct brange {
	uint8_t lo[16], hi[16];
	char name[64];			/* "CIDR" of the block's first line */
	unsigned line;
};

struct rec {
	int64_t ts;
	uint64_t seq;
	uint32_t off;
	uint8_t rule, keyn, auxn, hostn, sev;
	uint16_t refn;
};

struct kstate {
	struct kstate *next;		/* hash chain */
	uint64_t hash;
	uint8_t rule, keyn;
	char key[KEY_MAX];
	int fed;
	int64_t fed_ts;
	int in_burst, triggered, sev;
	int64_t first, last;
	uint64_t count;
	uint64_t reported;		/* count an earlier run already alerted */
	char host[HOST_MAX];
	char note[AUX_MAX * 4 + 1];	/* the first record's aux, printable */
	char refs[MAX_REFS * (3 * REF_MAX + 1) + 1];
	size_t refs_len;
	unsigned nrefs;
	int64_t *rts;			/* ring: times and aux hashes */
	uint64_t *rh;
	uint32_t rcap, rn, rhead;
	uint64_t *dset;			/* distinct aux of the burst */
	uint32_t nd;
};

struct seen {				/* a set of strings, open addressing */
	char **slot;
	size_t cap, n;
};

struct series {
	char name[HOST_MAX * 2 + 2];	/* host or host/module */
	uint8_t hostn;
	uint8_t source;			/* named by its log directory: no host */
	uint8_t module;			/* host/module (else a whole host) */
	int64_t h0;			/* first hour (hours since the epoch) */
	uint32_t *cnt;
	uint32_t n, cap;
	int64_t *runs;			/* silent runs: start, end hour pairs */
	uint32_t nruns;
	/* volume_anomaly open at the end of the input (with a state): */
	int odir;			/* 1 spike, -1 drop, 0 none */
	int64_t ostart, oend;		/* its first and last hour */
	double ogot, ousual;		/* events in it, usual sum */
};

struct omsec_rules {
	struct omsec_detect_opts o;
	struct omsec_detect *d;
	struct omsec_tz *tz;
	char priv[32][64];
	int npriv;

	struct rec *held;
	size_t hn, hcap;
	char *arena;
	size_t alen, acap;
	uint64_t seq, late;

	struct kstate **tab;
	size_t tsize, tn;

	struct seen countries, sudoers;
	int64_t since;			/* start of the history, INT64_MIN: none */
	int64_t min_ts;			/* earliest event of this run */

	struct series *ser;
	size_t nser;
	struct series *last_ser[2];
	int64_t hmin, hmax;		/* hours seen, over all events */
	int64_t sfrom;			/* first hour of carried health history */
	int64_t suntil;			/* last hour judged silent or not */

	struct brange *bad;		/* sorted, disjoint */
	size_t nbad;
	char bad_path[128];		/* for the explanation */
	struct omsec_cidr ignore[32];	/* scan_ignore */
	int nignore;

	int carry;			/* keep bursts open at the end (state) */
	int64_t max_ts;			/* newest event of the run */

	/* volume_anomaly: hourly counts per source/category. */
	struct series *vser;
	size_t nvser;
	struct series *vlast;
	int64_t vfrom;			/* first whole hour known, or INT64_MIN */
	int64_t vuntil;			/* last hour judged, or INT64_MIN */

	/*
	 * The MySQL general log names the account only on a thread's
	 * Connect line: the account of each (source, thread id) seen
	 * connecting, so its statements can name it. Fixed size; a full set
	 * drops its least recently connected thread.
	 */
	struct thr {
		uint64_t h;		/* hash of source and thread id; 0: free */
		int64_t ts;		/* Connect time */
		char acct[KEY_MAX];	/* "user@client" */
	} thr[THR_SETS * THR_WAYS];
	char bkusers[16][64];		/* db_backup_users */
	int nbk;
};

/* ---- small helpers ----------------------------------------------------- */

/* The first lit in s, or NULL. An empty field's p may be NULL, which
 * memmem must not be given. */
static const char *
span_find(struct omsec_span s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n < n || n == 0 ? NULL : memmem(s.p, s.n, lit, n);
}

static int
span_has(struct omsec_span s, const char *lit)
{
	return span_find(s, lit) != NULL;
}

/* The names join2 writes fit whole, as they did with snprintf. */
_Static_assert(KEY_MAX >= 63 + 63 + 2, "user@host key");
_Static_assert(HOST_MAX * 2 + 2 >= 2 * (HOST_MAX - 1) + 2 &&
    HOST_MAX * 2 + 2 >= 100 + 24 + 2, "series names");

/* s cut at max bytes and at a NUL byte, as printf's "%.*s" cuts it. */
static size_t
put_cut(char *d, struct omsec_span s, size_t max)
{
	size_t n = s.n < max ? s.n : max;
	const char *z = n > 0 ? memchr(s.p, '\0', n) : NULL;

	if (z != NULL)
		n = (size_t)(z - s.p);
	if (n > 0)
		memcpy(d, s.p, n);
	return n;
}

/*
 * "a<sep>b" (or "a" when sep is 0) into d, each part cut as put_cut does,
 * NUL-terminated; d holds amax + bmax + 2 bytes. Returns the length. What
 * snprintf did, without its cost: a third of omsec-detect's time on an
 * auth log went to naming series and keys, once or twice per event.
 */
static int
join2(char *d, struct omsec_span a, size_t amax, char sep,
    struct omsec_span b, size_t bmax)
{
	size_t n = put_cut(d, a, amax);

	if (sep != 0) {
		d[n++] = sep;
		n += put_cut(d + n, b, bmax);
	}
	d[n] = '\0';
	return (int)n;
}

/*
 * Percent-decodes s twice (attackers double-encode), maps '+' to a space
 * and folds ASCII to lower case, into out (cap bytes, NUL-terminated).
 */
static size_t
url_norm(char *out, size_t cap, struct omsec_span s)
{
	char tmp[URL_MAX];
	size_t n = s.n < sizeof(tmp) - 1 ? s.n : sizeof(tmp) - 1, m = 0;

	if (n > 0)	/* an empty url's p may be NULL */
		memcpy(tmp, s.p, n);
	for (int pass = 0; pass < 2; pass++) {
		m = 0;
		for (size_t i = 0; i < n && m + 1 < cap; i++) {
			char c = tmp[i];
			if (c == '%' && i + 2 < n &&
			    isxdigit((unsigned char)tmp[i + 1]) &&
			    isxdigit((unsigned char)tmp[i + 2])) {
				char hx[3] = { tmp[i + 1], tmp[i + 2], 0 };
				c = (char)strtol(hx, NULL, 16);
				i += 2;
			} else if (c == '+' && pass == 0) {
				c = ' ';
			}
			out[m++] = (char)tolower((unsigned char)c);
		}
		out[m] = '\0';
		if (pass == 0) {
			memcpy(tmp, out, m);
			n = m;
		}
	}
	return m;
}

static const char *const sqli_pat[] = {
	"union select", "union all select", "select null", " or 1=1",
	"' or '", "' or 1", "\" or 1", " and 1=1", " and 1=2", "' and '",
	"sleep(", "pg_sleep", "benchmark(", "waitfor delay", "extractvalue(",
	"updatexml(", "information_schema", "order by 1", "concat(0x",
	"load_file(", "xp_cmdshell", "@@version", "version()", ";select ",
	"; select ", "'--", "' --", "/**/", NULL
};
static const char *const xss_pat[] = {
	"<script", "javascript:", "onerror=", "onload=", "<svg", "<iframe",
	"<img", "alert(", "document.cookie", "fromcharcode", "<body", NULL
};
static const char *const trav_pat[] = {
	"../", "..\\", "/etc/passwd", "/etc/shadow", "win.ini", "/proc/self",
	"....//", NULL
};
/* Matched in the path (before '?'). */
static const char *const sens_pat[] = {
	"/.env", "/.git", "/.svn", "/.hg/", "/.ds_store", "/.aws", "/.ssh",
	"id_rsa", "/.htpasswd", "/.htaccess", "wp-login.php", "wp-config",
	"/phpinfo.php", "/info.php", "/server-status", "/actuator",
	"docker-compose", "/.npmrc", "/.vscode", "/.idea", "web.config",
	".bak", ".old", ".sql", ".swp", "/backup", "/dump", "/www.zip",
	"/www.rar", "/web.zip", "/web.rar", "/wwwroot.", "/site.zip",
	"/db.zip", "/data.zip", ".tar.gz", ".tgz", ".key", NULL
};
static const char *const scanner_pat[] = {
	"nikto", "sqlmap", "nmap", "masscan", "zgrab", "nuclei", "acunetix",
	"wpscan", "dirbuster", "gobuster", "dirb/", "nessus", "openvas",
	"w3af", "arachni", "appscan", "netsparker", "whatweb", "fimap",
	"havij", "zmeu", "jorgee", "feroxbuster", "fuzz faster", NULL
};

/*
 * A list of literals searched for in one pass: the patterns sorted by
 * their first byte, so that each position of the subject tries only the
 * few that start with its byte. One memmem per pattern made these lists
 * two thirds of omsec-detect's time on a web log.
 */
#define LIT_MAX 64
struct litset {
	const char *const *pat;		/* NULL-terminated list */
	int ready;
	uint8_t n;
	uint8_t order[LIT_MAX];		/* pattern numbers by first byte */
	uint8_t len[LIT_MAX];
	uint8_t start[256], count[256];	/* of each first byte in order */
};

static void
litset_init(struct litset *ls)
{
	int k, c, at = 0;

	for (k = 0; ls->pat[k] != NULL; k++) {
		assert(k < LIT_MAX && strlen(ls->pat[k]) > 0 &&
		    strlen(ls->pat[k]) < 256);
		ls->len[k] = (uint8_t)strlen(ls->pat[k]);
	}
	ls->n = (uint8_t)k;
	for (c = 0; c < 256; c++) {
		ls->start[c] = (uint8_t)at;
		for (k = 0; k < ls->n; k++)
			if ((unsigned char)ls->pat[k][0] == c)
				ls->order[at++] = (uint8_t)k;
		ls->count[c] = (uint8_t)(at - ls->start[c]);
	}
	ls->ready = 1;
}

/* 1 if any pattern of ls occurs in s[0, n). */
static int
match_any(struct litset *ls, const char *s, size_t n)
{
	if (!ls->ready)
		litset_init(ls);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		for (int j = 0; j < ls->count[c]; j++) {
			int k = ls->order[ls->start[c] + j];
			if (ls->len[k] <= n - i &&
			    memcmp(s + i, ls->pat[k], ls->len[k]) == 0)
				return 1;
		}
	}
	return 0;
}

static struct litset sqli_set = { .pat = sqli_pat };
static struct litset xss_set = { .pat = xss_pat };
static struct litset trav_set = { .pat = trav_pat };
static struct litset sens_set = { .pat = sens_pat };
static struct litset scanner_set = { .pat = scanner_pat };

/* ---- seen sets ---------------------------------------------------------- */

static int
seen_has(const struct seen *st, const char *s)
{
	if (st->cap == 0)
		return 0;
	for (size_t i = omsec_hash64(s, strlen(s)) & (st->cap - 1);
	    st->slot[i]; i = (i + 1) & (st->cap - 1))
		if (strcmp(st->slot[i], s) == 0)
			return 1;
	return 0;
}

/* Adds s; 0, or -1 on OOM. Beyond SEEN_MAX entries nothing is added. */
static int
seen_add(struct seen *st, const char *s)
{
	if (seen_has(st, s) || st->n >= SEEN_MAX)
		return 0;
	if (2 * (st->n + 1) > st->cap) {
		size_t nc = st->cap ? 2 * st->cap : 64;
		char **ns = calloc(nc, sizeof(*ns));
		if (ns == NULL)
			return -1;
		for (size_t i = 0; i < st->cap; i++)
			if (st->slot[i]) {
				size_t j = omsec_hash64(st->slot[i],
				    strlen(st->slot[i])) & (nc - 1);
				while (ns[j])
					j = (j + 1) & (nc - 1);
				ns[j] = st->slot[i];
			}
		free(st->slot);
		st->slot = ns;
		st->cap = nc;
	}
	size_t i = omsec_hash64(s, strlen(s)) & (st->cap - 1);
	while (st->slot[i])
		i = (i + 1) & (st->cap - 1);
	if ((st->slot[i] = strdup(s)) == NULL)
		return -1;
	st->n++;
	return 0;
}

static void
seen_free(struct seen *st)
{
	for (size_t i = 0; i < st->cap; i++)
		free(st->slot[i]);
	free(st->slot);
}

/* ---- create, free ------------------------------------------------------- */

struct omsec_rules *
omsec_rules_new(const struct omsec_detect_opts *o, struct omsec_detect *d)
{
	struct omsec_rules *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->o = *o;
	r->d = d;
	r->since = INT64_MIN;
	r->min_ts = INT64_MAX;
	r->hmin = INT64_MAX;
	r->hmax = INT64_MIN;
	r->max_ts = INT64_MIN;
	r->vfrom = r->vuntil = INT64_MIN;
	r->sfrom = r->suntil = INT64_MIN;
	if (o->timezone && *o->timezone &&
	    (r->tz = omsec_tz_new(o->timezone)) == NULL) {
		free(r);
		return NULL;
	}
	r->npriv = omsec_detect_names(&r->priv[0][0], sizeof(r->priv[0]),
	    (int)(sizeof(r->priv) / sizeof(r->priv[0])), o->privileged);
	r->nbk = omsec_detect_names(&r->bkusers[0][0], sizeof(r->bkusers[0]),
	    (int)(sizeof(r->bkusers) / sizeof(r->bkusers[0])),
	    o->db_backup_users);
	{
		char cidr[32][64];
		int n = omsec_detect_names(&cidr[0][0], sizeof(cidr[0]), 32,
		    o->scan_ignore);
		for (int i = 0; i < n; i++)
			if (omsec_cidr_parse(&r->ignore[r->nignore],
			    omsec_span_cstr(cidr[i])) == 0)
				r->nignore++;
		/* A bad entry would silently judge a sanctioned scanner. */
		if (r->nignore != n || o->scan_ports > DSET_MAX ||
		    o->scan_hosts > DSET_MAX || o->scan_ports < 0 ||
		    o->scan_hosts < 0) {
			omsec_tz_free(r->tz);
			free(r);
			return NULL;
		}
	}
	r->tsize = 256;
	if ((r->tab = calloc(r->tsize, sizeof(*r->tab))) == NULL) {
		omsec_tz_free(r->tz);
		free(r);
		return NULL;
	}
	return r;
}

static void
kstate_free(struct kstate *k)
{
	if (k == NULL)
		return;
	free(k->rts);
	free(k->rh);
	free(k->dset);
	free(k);
}

void
omsec_rules_free(struct omsec_rules *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->tsize; i++)
		for (struct kstate *k = r->tab[i], *n; k; k = n) {
			n = k->next;
			kstate_free(k);
		}
	free(r->tab);
	free(r->held);
	free(r->arena);
	seen_free(&r->countries);
	seen_free(&r->sudoers);
	for (size_t i = 0; i < r->nser; i++) {
		free(r->ser[i].cnt);
		free(r->ser[i].runs);
	}
	free(r->ser);
	for (size_t i = 0; i < r->nvser; i++)
		free(r->vser[i].cnt);
	free(r->vser);
	free(r->bad);
	omsec_tz_free(r->tz);
	free(r);
}

uint64_t
omsec_rules_late(const struct omsec_rules *r)
{
	return r ? r->late : 0;
}

/* ---- evaluation of one (rule, key) in time order ---------------------- */

static int64_t
window_of(const struct omsec_rules *r, int rule)
{
	switch (rule) {
	case R_DIST: return r->o.dist_window_ms;
	case R_SUDO_FAIL: return r->o.sudo_window_ms;
	case R_WEB_SQLI: case R_WEB_XSS: case R_WEB_TRAV: case R_WEB_SENS:
	case R_WEB_SCAN: return r->o.web_window_ms;
	case R_WEB_ERR: return r->o.web_errors_window_ms;
	case R_NET_VSCAN: return r->o.scan_ports_window_ms;
	case R_NET_HSCAN: return r->o.scan_hosts_window_ms;
	case R_DB_AUTH: return r->o.db_auth_window_ms;
	case R_DB_DUMP: return r->o.db_export_window_ms;
	case R_IDS_BURST: return r->o.ids_window_ms;
	default: return r->o.merge_window_ms;
	}
}

static int64_t
need_of(const struct omsec_rules *r, int rule)
{
	switch (rule) {
	case R_DIST: return r->o.dist_sources;
	case R_SUDO_FAIL: return r->o.sudo_failures;
	case R_WEB_SQLI: case R_WEB_XSS: case R_WEB_TRAV: case R_WEB_SENS:
	case R_WEB_SCAN: return r->o.web_requests;
	case R_WEB_ERR: return r->o.web_errors;
	case R_NET_VSCAN: return r->o.scan_ports;
	case R_NET_HSCAN: return r->o.scan_hosts;
	case R_DB_AUTH: return r->o.db_auth_failures;
	case R_DB_DUMP: return r->o.db_export_tables;
	case R_IDS_BURST: return r->o.ids_alerts;
	default: return 1;
	}
}

/*
 * Ends k's burst: its alert if it triggered, unless an earlier run already
 * wrote this alert with this count (a carried burst that did not grow).
 * With keep, the alert is written but the burst stays open (it is carried
 * to the next run, which rewrites the alert, same id, if it grows).
 */
static int
burst_close(struct omsec_rules *r, struct kstate *k, int keep)
{
	char expl[1024], dur[32], ent[KEY_MAX + HOST_MAX + 2];
	const char *etype = "src_ip";
	int rc = 0;

	if (!k->in_burst || !k->triggered || k->count == k->reported)
		goto reset;
	omsec_detect_duration(dur, sizeof(dur), k->last - k->first);
	snprintf(ent, sizeof(ent), "%s", k->key);
	switch (k->rule) {
	case R_DIST:
		etype = "user";
		snprintf(expl, sizeof(expl), "%" PRIu64 " failed SSH logins on "
		    "%s from %" PRIu32 "%s sources in %s", k->count, k->key,
		    k->nd, k->nd == DSET_MAX ? "+" : "", dur);
		break;
	case R_OFFHOURS: {
		int off = r->tz ? omsec_tz_offset_at(r->tz, k->first) : 0;
		int64_t lm = ((k->first / 1000 + off) % 86400 + 86400) % 86400;
		etype = "user";
		snprintf(expl, sizeof(expl), "Privileged account %s logged in at "
		    "%02d:%02d local time from %s%s", k->key, (int)(lm / 3600),
		    (int)(lm / 60 % 60), k->note, k->count > 1 ?
		    " (and again within the hour)" : "");
		break;
	}
	case R_NEWCTRY:
		etype = "user";
		snprintf(expl, sizeof(expl), "%s logged in from %s, a country "
		    "never seen for this account", k->key, k->note);
		break;
	case R_SUDO_DENIED:
		etype = "user";
		snprintf(expl, sizeof(expl), "%s is not in sudoers and tried sudo "
		    "%" PRIu64 " time%s in %s", k->key, k->count,
		    k->count > 1 ? "s" : "", dur);
		break;
	case R_SUDO_FAIL:
		etype = "user";
		snprintf(expl, sizeof(expl), "%" PRIu64 " failed sudo password "
		    "attempts by %s in %s", k->count, k->key, dur);
		break;
	case R_SUDO_FIRST:
		etype = "user";
		/* The key is the account; the entity names where it happened. */
		snprintf(ent, sizeof(ent), "%s@%s", k->key, k->host);
		snprintf(expl, sizeof(expl), "%s used sudo for the first time: %s",
		    ent, k->note[0] ? k->note : "(no command logged)");
		break;
	case R_IAM_USER:
		etype = "user";
		snprintf(expl, sizeof(expl), "Account %s %s", k->key, k->note);
		break;
	case R_IAM_GROUP:
		etype = "user";
		snprintf(expl, sizeof(expl), "Group change for %s: %s%s", k->key,
		    k->note, k->count > 1 ? " and more" : "");
		break;
	case R_WEB_ERR:
		snprintf(expl, sizeof(expl), "%" PRIu64 " 4xx/5xx responses to %s "
		    "in %s, e.g. %s", k->count, k->key, dur, k->note);
		break;
	case R_NET_VSCAN: {
		/* key "src dst": the entity is the scanner. */
		size_t n = strcspn(k->key, " ");
		snprintf(ent, sizeof(ent), "%.*s", (int)n, k->key);
		snprintf(expl, sizeof(expl), "Port scan: %s probed %" PRIu32 "%s "
		    "ports of %s in %s (%" PRIu64 " denied connections)", ent, k->nd,
		    k->nd == DSET_MAX ? "+" : "", k->key + n + (k->key[n] != 0),
		    dur, k->count);
		break;
	}
	case R_NET_HSCAN: {
		size_t n = strcspn(k->key, " ");
		snprintf(ent, sizeof(ent), "%.*s", (int)n, k->key);
		snprintf(expl, sizeof(expl), "Host scan: %s probed port %s on "
		    "%" PRIu32 "%s hosts in %s (%" PRIu64 " denied connections)",
		    ent, k->key + n + (k->key[n] != 0), k->nd, k->nd == DSET_MAX ?
		    "+" : "", dur, k->count);
		break;
	}
	case R_NET_BAD:
		snprintf(expl, sizeof(expl), "%" PRIu64 " connection%s with %s, a "
		    "listed bad range, in %s, e.g. %s", k->count, k->count > 1 ?
		    "s" : "", k->key, dur, k->note);
		break;
	case R_DB_AUTH:
		etype = strchr(k->key, '@') ? "user" : "src_ip";
		snprintf(expl, sizeof(expl), "%" PRIu64 " failed database logins "
		    "from %s in %s, e.g. as %s", k->count, k->key, dur,
		    k->note[0] ? k->note : "(no user)");
		break;
	case R_DB_DANGER: case R_DB_DUMP: case R_DB_OUTFILE:
		/* user@host, a host, or a log directory (no host named). */
		etype = strchr(k->key, '@') ? "user" : strchr(k->key, '/') ?
		    "source" : "host";
		if (k->rule == R_DB_DANGER)
			snprintf(expl, sizeof(expl), "%" PRIu64 " DROP/TRUNCATE/GRANT "
			    "statement%s on %s in %s, e.g. %s", k->count, k->count > 1 ?
			    "s" : "", k->key, dur, k->note);
		else if (k->rule == R_DB_DUMP)
			snprintf(expl, sizeof(expl), "Mass export: %" PRIu64 " whole-"
			    "table reads on %s in %s outside the backup window, e.g. %s",
			    k->count, k->key, dur, k->note);
		else
			snprintf(expl, sizeof(expl), "Export to a file on %s: %s%s",
			    k->key, k->note, k->count > 1 ? " (and more)" : "");
		break;
	case R_IDS_BURST: case R_IDS_HIGH: {
		/* key "src sid": the entity is the source. */
		size_t n = strcspn(k->key, " ");
		snprintf(ent, sizeof(ent), "%.*s", (int)n, k->key);
		if (k->rule == R_IDS_BURST)
			snprintf(expl, sizeof(expl), "%" PRIu64 " IDS alerts of "
			    "signature %s from %s in %s: %s", k->count, k->key + n +
			    (k->key[n] != 0), ent, dur, k->note);
		else
			snprintf(expl, sizeof(expl), "Priority-1 IDS alert from %s: "
			    "%s (signature %s)%s", ent, k->note, k->key + n +
			    (k->key[n] != 0), k->count > 1 ? ", and more within the "
			    "hour" : "");
		break;
	}
	default: {
		static const char *const what[] = { "SQL injection",
		    "cross-site scripting", "path traversal",
		    "sensitive file probe", "scanner" };
		snprintf(expl, sizeof(expl), "%" PRIu64 " %s requests from %s in "
		    "%s, e.g. %s", k->count, what[k->rule - R_WEB_SQLI], k->key,
		    dur, k->note);
		break;
	}
	}
	rc = omsec_detect_add(r->d, rule_name[k->rule], k->sev, etype, ent,
	    k->host, k->first, k->last, k->count, expl, k->refs, k->refs_len);
	if (keep) {
		k->reported = k->count;
		return rc;
	}
reset:
	if (keep)
		return rc;
	k->reported = 0;
	k->in_burst = k->triggered = 0;
	k->count = 0;
	k->refs_len = 0;
	k->refs[0] = '\0';
	k->nrefs = 0;
	k->nd = 0;
	k->sev = 0;
	return rc;
}

/* Distinct aux hashes among the ring's records at or after since, up to cap. */
static uint32_t
ring_distinct(const struct kstate *k, int64_t since, uint32_t cap)
{
	uint64_t found[DSET_MAX];
	uint32_t nf = 0;

	if (cap > DSET_MAX)
		cap = DSET_MAX;
	for (uint32_t i = 1; i <= k->rn && nf < cap; i++) {
		uint32_t at = (k->rhead + k->rn - i) % k->rcap;
		uint32_t j;
		if (k->rts[at] < since)
			break;
		for (j = 0; j < nf && found[j] != k->rh[at]; j++)
			;
		if (j == nf)
			found[nf++] = k->rh[at];
	}
	return nf;
}

static int
ring_push(struct kstate *k, int64_t ts, uint64_t h, uint32_t max)
{
	if (k->rn == k->rcap && k->rcap < max) {
		uint32_t nc = k->rcap ? 2 * k->rcap : 8;
		if (nc > max)
			nc = max;
		int64_t *nt = malloc(nc * sizeof(*nt));
		uint64_t *nh = malloc(nc * sizeof(*nh));
		if (!nt || !nh) {
			free(nt);
			free(nh);
			return -1;
		}
		for (uint32_t i = 0; i < k->rn; i++) {
			nt[i] = k->rts[(k->rhead + i) % k->rcap];
			nh[i] = k->rh[(k->rhead + i) % k->rcap];
		}
		free(k->rts);
		free(k->rh);
		k->rts = nt;
		k->rh = nh;
		k->rcap = nc;
		k->rhead = 0;
	}
	if (k->rn == k->rcap) {
		k->rts[k->rhead] = ts;
		k->rh[k->rhead] = h;
		k->rhead = (k->rhead + 1) % k->rcap;
	} else {
		k->rts[(k->rhead + k->rn) % k->rcap] = ts;
		k->rh[(k->rhead + k->rn) % k->rcap] = h;
		k->rn++;
	}
	return 0;
}

static int
dset_add(struct kstate *k, uint64_t h)
{
	for (uint32_t i = 0; i < k->nd; i++)
		if (k->dset[i] == h)
			return 0;
	if (k->nd == DSET_MAX)
		return 0;
	if (k->dset == NULL &&
	    (k->dset = malloc(DSET_MAX * sizeof(*k->dset))) == NULL)
		return -1;
	k->dset[k->nd++] = h;
	return 0;
}

/*
 * The "never seen" rules: 1 if the record should count (the account has
 * a history and this value is new, after the learning period), 0 if it
 * only teaches; -1 on OOM. The sets learn in every case.
 */
static int
learned(struct omsec_rules *r, int rule, const char *key, const char *aux,
    size_t auxn, int64_t ts)
{
	char buf[KEY_MAX + AUX_MAX + 2];
	int64_t since = r->since != INT64_MIN ? r->since : r->min_ts;
	int learning = ts < since + r->o.learn_ms, fresh;

	if (rule == R_SUDO_FIRST) {
		fresh = !seen_has(&r->sudoers, key);
		if (seen_add(&r->sudoers, key) != 0)
			return -1;
		return fresh && !learning;
	}
	/* R_NEWCTRY: aux is "CC ip"; the set holds "user@host CC" and
	 * "user@host" (the account has a history). */
	size_t cn = strcspn(aux, " ");
	snprintf(buf, sizeof(buf), "%s %.*s", key, (int)(cn < auxn ? cn : auxn),
	    aux);
	fresh = !seen_has(&r->countries, buf);
	int known = seen_has(&r->countries, key);
	if (seen_add(&r->countries, buf) != 0 ||
	    seen_add(&r->countries, key) != 0)
		return -1;
	return fresh && known && !learning;
}

static int
feed(struct omsec_rules *r, struct kstate *k, const struct rec *c)
{
	const char *key = r->arena + c->off, *aux = key + c->keyn;
	const char *host = aux + c->auxn, *ref = host + c->hostn;
	int64_t w = window_of(r, c->rule), need = need_of(r, c->rule);
	char keybuf[KEY_MAX + 1], auxbuf[AUX_MAX + 1];
	int q;

	if (k->fed && c->ts < k->fed_ts) {
		r->late++;
		if (burst_close(r, k, 0) != 0)
			return -1;
		k->rn = k->rhead = 0;
	}
	k->fed = 1;
	k->fed_ts = c->ts;
	if (c->rule == R_SUDO_FIRST || c->rule == R_NEWCTRY) {
		memcpy(keybuf, key, c->keyn);
		keybuf[c->keyn] = '\0';
		memcpy(auxbuf, aux, c->auxn);
		auxbuf[c->auxn] = '\0';
		if ((q = learned(r, c->rule, keybuf, auxbuf, c->auxn, c->ts)) < 0)
			return -1;
		if (q == 0)
			return 0;
	}
	if (k->in_burst && c->ts - k->last > w && burst_close(r, k, 0) != 0)
		return -1;
	if (!k->in_burst) {
		k->in_burst = 1;
		k->first = c->ts;
		memcpy(k->host, host, c->hostn);
		k->host[c->hostn] = '\0';
		/* The note is from a log: keep it printable in the sentence. */
		omsec_term_escape(k->note, sizeof(k->note),
		    omsec_span_make(aux, c->auxn));
	}
	k->last = c->ts;
	k->count++;
	if (c->sev > k->sev)
		k->sev = c->sev;
	if (k->nrefs < MAX_REFS && c->refn) {
		omsec_refs_append(k->refs, sizeof(k->refs), &k->refs_len, ref,
		    c->refn);
		k->nrefs++;
	}
	uint64_t h = omsec_hash64(aux, c->auxn);
	if (DISTINCT(c->rule) && dset_add(k, h) != 0)
		return -1;
	if (k->triggered)
		return 0;
	if (need <= 1) {
		k->triggered = 1;
		return 0;
	}
	uint32_t max = (uint32_t)(need < RING_MAX ? need : RING_MAX);
	if (DISTINCT(c->rule))
		max = RING_MAX;
	if (ring_push(k, c->ts, h, max) != 0)
		return -1;
	if (DISTINCT(c->rule)) {
		/* need distinct sources within w (and so at least need tries) */
		if (ring_distinct(k, c->ts - w, (uint32_t)need) >= need)
			k->triggered = 1;
	} else if (k->rn >= need &&
	    c->ts - k->rts[(k->rhead + k->rn - (uint32_t)need) % k->rcap] <= w) {
		k->triggered = 1;
	}
	return 0;
}

/* ---- states ------------------------------------------------------------- */

static struct kstate *
state_get(struct omsec_rules *r, int rule, const char *key, size_t keyn)
{
	uint64_t h = omsec_hash64(key, keyn) ^ (uint64_t)rule * 0x9e3779b97f4a7c15ULL;
	struct kstate *k;

	for (k = r->tab[h & (r->tsize - 1)]; k; k = k->next)
		if (k->hash == h && k->rule == rule && k->keyn == keyn &&
		    memcmp(k->key, key, keyn) == 0)
			return k;
	if (r->tn >= r->tsize) {
		size_t nsize = 2 * r->tsize;
		struct kstate **nt = calloc(nsize, sizeof(*nt));
		if (nt == NULL)
			return NULL;
		for (size_t i = 0; i < r->tsize; i++)
			for (struct kstate *x = r->tab[i], *n; x; x = n) {
				n = x->next;
				x->next = nt[x->hash & (nsize - 1)];
				nt[x->hash & (nsize - 1)] = x;
			}
		free(r->tab);
		r->tab = nt;
		r->tsize = nsize;
	}
	if ((k = calloc(1, sizeof(*k))) == NULL)
		return NULL;
	k->hash = h;
	k->rule = (uint8_t)rule;
	k->keyn = (uint8_t)keyn;
	memcpy(k->key, key, keyn);
	k->key[keyn] = '\0';
	k->next = r->tab[h & (r->tsize - 1)];
	r->tab[h & (r->tsize - 1)] = k;
	r->tn++;
	return k;
}

static int
rec_cmp(const void *pa, const void *pb, void *arg)
{
	const struct rec *a = pa, *b = pb;
	const char *ar = arg;
	int c;

	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	if ((c = omsec_span_cmp(omsec_span_make(ar + a->off, a->keyn),
	    omsec_span_make(ar + b->off, b->keyn))) != 0)
		return c;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	c = omsec_span_cmp(omsec_span_make(ar + a->off + a->keyn + a->auxn +
	    a->hostn, a->refn), omsec_span_make(ar + b->off + b->keyn +
	    b->auxn + b->hostn, b->refn));
	if (c)
		return c;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/*
 * Evaluates every held record. At the end (final) every burst is closed
 * and every state freed; mid-stream, states whose burst can no longer grow
 * (older than the newest record by more than their window) are closed and
 * freed, the others kept for what comes next.
 */
static int
flush(struct omsec_rules *r, int final)
{
	int64_t newest = INT64_MIN;

	if (r->hn > 1)
		qsort_r(r->held, r->hn, sizeof(*r->held), rec_cmp, r->arena);
	for (size_t i = 0; i < r->hn; i++) {
		const struct rec *c = &r->held[i];
		struct kstate *k = state_get(r, c->rule, r->arena + c->off,
		    c->keyn);
		if (k == NULL || feed(r, k, c) != 0)
			return -1;
		if (c->ts > newest)
			newest = c->ts;
	}
	r->hn = 0;
	r->alen = 0;
	for (size_t i = 0; i < r->tsize; i++) {
		struct kstate **pp = &r->tab[i];
		while (*pp) {
			struct kstate *k = *pp;
			/*
			 * At the end with a state file, a burst that the next
			 * run's events could still extend is carried there (its
			 * alert, if due, is written now all the same).
			 */
			if (final && r->carry && k->in_burst &&
			    (r->max_ts == INT64_MIN || k->last >= r->max_ts ||
			    r->max_ts - k->last <= window_of(r, k->rule))) {
				if (burst_close(r, k, 1) != 0)
					return -1;
				pp = &k->next;
			} else if (final || !k->in_burst ||
			    newest - k->last > window_of(r, k->rule)) {
				if (burst_close(r, k, 0) != 0)
					return -1;
				*pp = k->next;
				kstate_free(k);
				r->tn--;
			} else {
				pp = &k->next;
			}
		}
	}
	return 0;
}

static int
hold(struct omsec_rules *r, int rule, int sev, int64_t ts,
    struct omsec_span key, struct omsec_span aux, struct omsec_span host,
    struct omsec_span ref)
{
	struct rec *c;
	size_t kn = key.n < KEY_MAX - 1 ? key.n : KEY_MAX - 1;
	size_t an = aux.n < AUX_MAX - 1 ? aux.n : AUX_MAX - 1;
	size_t hn = host.n < HOST_MAX - 1 ? host.n : HOST_MAX - 1;
	size_t rn = ref.n < REF_MAX ? ref.n : REF_MAX;
	char *to;

	if (r->hn >= r->o.max_held && flush(r, 0) != 0)
		return -1;
	if (r->hn == r->hcap) {
		size_t nc = r->hcap ? 2 * r->hcap : 256;
		struct rec *nh = realloc(r->held, nc * sizeof(*nh));
		if (nh == NULL)
			return -1;
		r->held = nh;
		r->hcap = nc;
	}
	if (omsec_arena_reserve(&r->arena, &r->acap, r->alen,
	    kn + an + hn + rn, 4096) != 0)
		return -1;
	c = &r->held[r->hn++];
	c->ts = ts;
	c->seq = r->seq++;
	c->off = (uint32_t)r->alen;
	c->rule = (uint8_t)rule;
	c->sev = (uint8_t)sev;
	c->keyn = (uint8_t)kn;
	c->auxn = (uint8_t)an;
	c->hostn = (uint8_t)hn;
	c->refn = (uint16_t)rn;
	to = omsec_arena_put(r->arena + r->alen, key.p, kn);
	to = omsec_arena_put(to, aux.p, an);
	to = omsec_arena_put(to, host.p, hn);
	omsec_arena_put(to, ref.p, rn);
	r->alen += kn + an + hn + rn;
	return 0;
}

/* Holds with key user@host. */
static int
hold_user(struct omsec_rules *r, int rule, int sev,
    const struct omsec_event *ev, struct omsec_span user,
    struct omsec_span aux)
{
	char key[KEY_MAX];
	struct omsec_span host = ev->f[OMSEC_F_HOST];
	int n = join2(key, user, 63, '@', host, 63);

	return hold(r, rule, sev, ev->ts_ms, omsec_span_make(key, (size_t)n),
	    aux, host, ev->f[OMSEC_F_REF]);
}

/* ---- collection health -------------------------------------------------- */

/*
 * The series called name (n bytes) in a table of them, appended zeroed
 * (no first hour yet) if there is none; *added says which. Both tables,
 * collection health's and volume's, grow by this. NULL at SERIES_MAX or
 * out of memory.
 */
static struct series *
series_find_add(struct series **tab, size_t *nt, const char *name, int n,
    int *added)
{
	struct series *c;

	*added = 0;
	for (size_t i = 0; i < *nt; i++)
		if (strcmp((*tab)[i].name, name) == 0)
			return &(*tab)[i];
	if (*nt == SERIES_MAX)
		return NULL;
	if (*nt % 64 == 0) {
		struct series *ns = realloc(*tab, (*nt + 64) * sizeof(*ns));
		if (ns == NULL)
			return NULL;
		*tab = ns;
	}
	c = &(*tab)[(*nt)++];
	memset(c, 0, sizeof(*c));
	memcpy(c->name, name, (size_t)n + 1);
	c->h0 = INT64_MIN;
	*added = 1;
	return c;
}

static struct series *
series_get(struct omsec_rules *r, struct omsec_span host,
    struct omsec_span module, int with_module)
{
	char name[sizeof(r->ser->name)];
	int n;

	n = join2(name, host, HOST_MAX - 1, with_module ? '/' : 0, module,
	    HOST_MAX - 1);
	struct series *c = r->last_ser[with_module];
	int added;

	if (c && strcmp(c->name, name) == 0)
		return c;
	if ((c = series_find_add(&r->ser, &r->nser, name, n, &added)) == NULL)
		return NULL;
	if (added) {
		/* The table may have moved: neither cache can be trusted. */
		r->last_ser[0] = r->last_ser[1] = NULL;
		c->hostn = (uint8_t)(host.n < HOST_MAX - 1 ? host.n :
		    HOST_MAX - 1);
		c->module = (uint8_t)with_module;
	}
	return r->last_ser[with_module] = c;
}

/*
 * Events without a host (web access logs name none) are counted per log
 * directory, from the ref: "logs/web01/nginx/access.log.2.gz:17" counts
 * for "logs/web01/nginx", the rotated set of one source.
 */
static struct series *
source_series(struct omsec_rules *r, struct omsec_span ref)
{
	const char *colon = NULL, *slash = NULL;
	struct series *s;

	if (ref.p == NULL)
		ref = omsec_span_make("", 0);	/* no ref: no arithmetic on NULL */
	for (size_t i = 0; i < ref.n; i++)
		if (ref.p[i] == ':')
			colon = ref.p + i;
	if (colon == NULL)
		colon = ref.p + ref.n;
	for (const char *p = ref.p; p < colon; p++)
		if (*p == '/')
			slash = p;
	if (slash != NULL)
		colon = slash;
	if (colon == ref.p)
		return NULL;
	s = series_get(r, omsec_span_make(ref.p, (size_t)(colon - ref.p)),
	    omsec_span_make("", 0), 0);
	if (s)
		s->source = 1;
	return s;
}

/* Counts c events in hour h; returns 0 or -1 (OOM). */
static int
series_add(struct series *s, int64_t h, uint32_t c)
{
	if (s == NULL)
		return 0;
	if (s->h0 == INT64_MIN)
		s->h0 = h;
	if (h < s->h0) {		/* shift to make room in front */
		int64_t shift = s->h0 - h;
		if (shift + s->n > HOURS_MAX)
			return 0;
		if (s->n + (uint32_t)shift > s->cap) {
			uint32_t nc = s->n + (uint32_t)shift + 64;
			uint32_t *nn = realloc(s->cnt, nc * sizeof(*nn));
			if (nn == NULL)
				return -1;
			s->cnt = nn;
			s->cap = nc;
		}
		memmove(s->cnt + shift, s->cnt, s->n * sizeof(*s->cnt));
		memset(s->cnt, 0, (size_t)shift * sizeof(*s->cnt));
		s->n += (uint32_t)shift;
		s->h0 = h;
	}
	int64_t i = h - s->h0;
	if (i >= HOURS_MAX)
		return 0;
	if ((uint32_t)i >= s->cap) {
		uint32_t nc = s->cap ? s->cap : 256;
		while (nc <= (uint32_t)i)
			nc *= 2;
		uint32_t *nn = realloc(s->cnt, nc * sizeof(*nn));
		if (nn == NULL)
			return -1;
		s->cnt = nn;
		s->cap = nc;
	}
	if ((uint32_t)i >= s->n) {
		memset(s->cnt + s->n, 0, ((size_t)i + 1 - s->n) * sizeof(*s->cnt));
		s->n = (uint32_t)i + 1;
	}
	s->cnt[i] += c;
	return 0;
}

static int
series_count(struct series *s, int64_t h)
{
	return series_add(s, h, 1);
}

static uint32_t
hour_count(const struct series *s, int64_t h)
{
	if (h < s->h0 || h - s->h0 >= s->n)
		return 0;
	return s->cnt[h - s->h0];
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/*
 * The hours judged: whole hours of the input (its first and last hour are
 * partial), or with a state from the hour after the last one judged (the
 * last run's partial hour, now completed). The usual volume is the median
 * over them and the carried history before them (*mfrom).
 */
static int
health_span(const struct omsec_rules *r, int64_t *a, int64_t *b,
    int64_t *mfrom)
{
	if (r->hmax == INT64_MIN)
		return 0;		/* no events: no "now" to judge up to */
	/* A state that ends hours before this input (a night not run, or
	   another site's file) says nothing of the gap: judged as a first
	   run, without the history. */
	int cont = r->suntil != INT64_MIN && r->suntil + 1 >= r->hmin - 1;
	*a = cont ? r->suntil + 1 : r->hmin + 1;
	*b = r->hmax - 1;
	*mfrom = cont && r->sfrom < *a ? r->sfrom : *a;
	/* Series keep HOURS_MAX hours: an input spanning years (a stamp
	 * of year 0 or 9999) must not make this sort 87 million hours. */
	if (*b - *mfrom + 1 > HOURS_MAX)
		*mfrom = *b - HOURS_MAX + 1;
	if (*a < *mfrom)
		*a = *mfrom;
	return *b >= *a;
}

/*
 * Finds the silent runs of s: at least silent_hours consecutive whole
 * hours in [a, b] (health_span), and at least silent_expected / median of
 * them, with fewer events than silent_below % of the series' median
 * hourly count over [mfrom, b], for series whose median is at least
 * silent_min_rate. *median is set.
 */
static int
series_runs(struct omsec_rules *r, struct series *s, int64_t a, int64_t b,
    int64_t mfrom, uint32_t *median)
{
	int64_t run = INT64_MIN;
	uint32_t *tmp;
	size_t nh;

	*median = 0;
	s->nruns = 0;
	nh = (size_t)(b - mfrom + 1);
	if ((tmp = malloc(nh * sizeof(*tmp))) == NULL)
		return -1;
	for (size_t i = 0; i < nh; i++)
		tmp[i] = hour_count(s, mfrom + (int64_t)i);
	qsort(tmp, nh, sizeof(*tmp), cmp_u32);
	*median = tmp[nh / 2];
	free(tmp);
	if (*median < r->o.silent_min_rate)
		return 0;
	double lim = *median * r->o.silent_below / 100.0;
	/*
	 * A quiet hour or two of a sparse series is chance, not an outage:
	 * the run must also span silent_expected usual events.
	 */
	int64_t need = r->o.silent_hours;
	if (need * (int64_t)*median < r->o.silent_expected)
		need = (r->o.silent_expected + *median - 1) / *median;
	for (int64_t h = a; h <= b + 1; h++) {
		int low = h <= b && hour_count(s, h) < lim;
		if (low && run == INT64_MIN)
			run = h;
		if (!low && run != INT64_MIN) {
			if (h - run >= need) {
				int64_t *nr = realloc(s->runs, (s->nruns + 1) * 2 *
				    sizeof(*nr));
				if (nr == NULL)
					return -1;
				s->runs = nr;
				s->runs[2 * s->nruns] = run;
				s->runs[2 * s->nruns + 1] = h - 1;
				s->nruns++;
			}
			run = INT64_MIN;
		}
	}
	return 0;
}

static int
silent_alert(struct omsec_rules *r, const char *entity, const char *host,
    int64_t h1, int64_t h2, uint32_t median, const struct series *s)
{
	const char *etype = s->source ? "source" : "host";
	char expl[512];
	uint64_t got = 0;

	for (int64_t h = h1; h <= h2; h++)
		got += hour_count(s, h);
	snprintf(expl, sizeof(expl), "%s logged %" PRIu64 " events in %" PRId64
	    " h (usually %" PRIu32 " an hour): the source fell silent or far "
	    "below its volume", entity, got, h2 - h1 + 1, median);
	return omsec_detect_add(r->d, "log_source_silent", 2, etype, entity,
	    s->source ? "" : host, h1 * 3600000, h2 * 3600000 + 3599999, (uint64_t)(h2 - h1 + 1),
	    expl, "", 0);
}

/*
 * Per host: when every judged module series of the host is silent over an
 * overlapping run, one alert names the host (the whole source stopped);
 * otherwise each silent module series gets its own alert (host/module).
 */
static int
health_eval(struct omsec_rules *r)
{
	uint32_t *med;

	int64_t ja, jb, mfrom;

	if (r->o.silent_hours <= 0 || r->nser == 0)
		return 0;
	if ((med = calloc(r->nser, sizeof(*med))) == NULL)
		return -1;
	if (!health_span(r, &ja, &jb, &mfrom)) {
		free(med);
		return 0;
	}
	r->sfrom = mfrom;
	r->suntil = jb;			/* for the state: judged */
	for (size_t i = 0; i < r->nser; i++)
		if (series_runs(r, &r->ser[i], ja, jb, mfrom, &med[i]) != 0) {
			free(med);
			return -1;
		}
	for (size_t i = 0; i < r->nser; i++) {
		struct series *hs = &r->ser[i];
		char host[HOST_MAX];
		if (hs->module)
			continue;
		memcpy(host, hs->name, hs->hostn);
		host[hs->hostn] = '\0';
		for (uint32_t k = 0; k < hs->nruns; k++) {
			int64_t a = hs->runs[2 * k], b = hs->runs[2 * k + 1];
			int all = 1, any = 0;
			/* Is every judged module of this host silent here? */
			for (size_t j = 0; j < r->nser; j++) {
				struct series *m = &r->ser[j];
				if (m == hs || !m->module || m->hostn != hs->hostn ||
				    strncmp(m->name, host, m->hostn) != 0 ||
				    m->name[m->hostn] != '/' ||
				    med[j] < r->o.silent_min_rate)
					continue;
				int ov = 0;
				for (uint32_t q = 0; q < m->nruns; q++)
					if (m->runs[2 * q] <= b && m->runs[2 * q + 1] >= a)
						ov = 1;
				any = 1;
				all &= ov;
			}
			/* A host without judged modules is judged on its own. */
			if (any && !all)
				continue;
			if (silent_alert(r, host, host, a, b, med[i], hs) != 0)
				goto oom;
			/* The host alert covers its modules' runs here. */
			for (size_t j = 0; j < r->nser; j++) {
				struct series *m = &r->ser[j];
				if (!m->module || m->hostn != hs->hostn ||
				    strncmp(m->name, host, m->hostn) != 0)
					continue;
				for (uint32_t q = 0; q < m->nruns; q++)
					if (m->runs[2 * q] <= b && m->runs[2 * q + 1] >= a)
						m->runs[2 * q] = INT64_MAX;
			}
		}
	}
	for (size_t j = 0; j < r->nser; j++) {
		struct series *m = &r->ser[j];
		char host[HOST_MAX];
		if (!m->module)
			continue;
		memcpy(host, m->name, m->hostn);
		host[m->hostn] = '\0';
		for (uint32_t q = 0; q < m->nruns; q++)
			if (m->runs[2 * q] != INT64_MAX && silent_alert(r, m->name,
			    host, m->runs[2 * q], m->runs[2 * q + 1], med[j], m) != 0)
				goto oom;
	}
	free(med);
	return 0;
oom:
	free(med);
	return -1;
}

/* "logs/db02/mysql/general.log.3.gz:17" -> "logs/db02/mysql". */
static struct omsec_span
ref_dir(struct omsec_span ref)
{
	size_t end = 0;

	for (size_t i = 0; i < ref.n && ref.p[i] != ':'; i++)
		if (ref.p[i] == '/')
			end = i;
	return omsec_span_make(end ? ref.p : "", end);
}

/* ---- seasonal volume ------------------------------------------------------- */

static int64_t
hour_of(int64_t ms)
{
	return ms >= 0 ? ms / 3600000 : -((-ms + 3599999) / 3600000);
}

/* The series "source/category" (source: the host, else the log's folder). */
static struct series *
vol_series(struct omsec_rules *r, struct omsec_span src, struct omsec_span cat,
    int is_host)
{
	char name[sizeof(r->vser->name)];
	struct series *c;
	int n, added;

	if (src.n == 0)
		return NULL;
	if (cat.n == 0)
		cat = omsec_span_cstr("-");
	n = join2(name, src, 100, '/', cat, 24);
	if (r->vlast && strcmp(r->vlast->name, name) == 0)
		return r->vlast;
	if ((c = series_find_add(&r->vser, &r->nvser, name, n, &added)) == NULL)
		return NULL;
	if (added) {
		c->hostn = (uint8_t)(src.n < 100 ? src.n : 100);
		c->source = (uint8_t)!is_host;
	}
	return r->vlast = c;
}

static int
vol_count(struct omsec_rules *r, const struct omsec_event *ev)
{
	struct omsec_span host = ev->f[OMSEC_F_HOST];
	struct series *s;

	if (host.n > 0)
		s = vol_series(r, host, ev->f[OMSEC_F_CATEGORY], 1);
	else
		s = vol_series(r, ref_dir(ev->f[OMSEC_F_REF]),
		    ev->f[OMSEC_F_CATEGORY], 0);
	return series_count(s, hour_of(ev->ts_ms));
}

static int
cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double
median_of(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_dbl);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * Hour h of s against the same local hour of the week in the trailing
 * volume_weeks weeks (those known: at or after vfrom): -1 a drop, 1 a
 * spike, 0 neither or not judged. *med gets the baseline's median.
 */
static int
vol_judge(const struct omsec_rules *r, const struct series *s, int64_t h,
    double *med)
{
	double b[64], dev[64], x = hour_count(s, h), m, sd;
	int n = 0;

	for (int64_t k = 1; k <= r->o.volume_weeks && k <= 64; k++)
		if (h - 168 * k >= r->vfrom)
			b[n++] = hour_count(s, h - 168 * k);
	if (n < r->o.volume_min_weeks || n == 0)
		return 0;
	m = median_of(b, n);
	for (int i = 0; i < n; i++)
		dev[i] = b[i] > m ? b[i] - m : m - b[i];
	/* MAD as a standard deviation, never below Poisson noise. */
	sd = 1.4826 * median_of(dev, n);
	if (sd < sqrt(m))
		sd = sqrt(m);
	if (sd < 1)
		sd = 1;
	*med = m;
	if (x >= r->o.volume_ratio * m && x - m >= r->o.volume_min &&
	    (x - m) / sd >= r->o.volume_z)
		return 1;
	if (x * r->o.volume_ratio <= m && m - x >= r->o.volume_min &&
	    (m - x) / sd >= r->o.volume_z)
		return -1;
	return 0;
}

static int
vol_alert(struct omsec_rules *r, const struct series *s, int dir, int64_t h1,
    int64_t h2, double got, double usual)
{
	static const char *const wd_en[] = { "Sundays", "Mondays", "Tuesdays",
		"Wednesdays", "Thursdays", "Fridays", "Saturdays" };
	static const char *const wd_zh[] = { "周日", "周一", "周二", "周三",
		"周四", "周五", "周六" };
	char src[128], expl[2400], ent[sizeof(s->name) * 4 + 1];
	struct omsec_civil c;
	int off = r->tz ? omsec_tz_offset_at(r->tz, h1 * 3600000) : 0;
	int64_t hours = h2 - h1 + 1;
	double ratio = usual > 0 ? got / usual : 0;

	memcpy(src, s->name, s->hostn);
	src[s->hostn] = '\0';
	if (omsec_detect_explained(r->d, src, h1 * 3600000, h2 * 3600000 +
	    3599999))
		return 0;
	omsec_ms_to_civil(h1 * 3600000 + (int64_t)off * 1000, &c);
	int wd = omsec_weekday(omsec_days_from_civil(c.year, c.month, c.day));
	/* The series name is from the logs: keep it printable. */
	omsec_term_escape(ent, sizeof(ent), omsec_span_cstr(s->name));
	if (dir > 0)
		snprintf(expl, sizeof(expl), "%s logged %.0f events in %" PRId64
		    " h from %02d-%02d %02d:00 local, %.1f times the usual %.0f of "
		    "%s at that hour (median of the past weeks): a spike / %s 自 "
		    "%02d-%02d %02d:00 起 %" PRId64 " 小时内产生 %.0f 条事件，为近几周"
		    "%s同一时段中位数 %.0f 的 %.1f 倍，属于突增", ent, got, hours,
		    c.month, c.day, c.hour, ratio, usual, wd_en[wd], ent, c.month,
		    c.day, c.hour, hours, got, wd_zh[wd], usual, ratio);
	else
		snprintf(expl, sizeof(expl), "%s logged %.0f events in %" PRId64
		    " h from %02d-%02d %02d:00 local, against the usual %.0f of %s "
		    "at that hour (median of the past weeks): a drop to %.0f%% / "
		    "%s 自 %02d-%02d %02d:00 起 %" PRId64 " 小时内仅产生 %.0f 条事件，"
		    "近几周%s同一时段中位数为 %.0f，降至 %.0f%%，属于骤降", ent, got,
		    hours, c.month, c.day, c.hour, usual, wd_en[wd], 100 * ratio,
		    ent, c.month, c.day, c.hour, hours, got, wd_zh[wd], usual,
		    100 * ratio);
	return omsec_detect_add(r->d, "volume_anomaly", 2, "source", s->name,
	    s->source ? "" : src, h1 * 3600000, h2 * 3600000 + 3599999,
	    (uint64_t)(got + 0.5), expl, "", 0);
}

/*
 * Judges the whole hours of this run not judged before (the last hour may
 * be partial: left to the next run), in local hour-of-week slots against
 * the trailing weeks, which come from this run and the state file. Runs
 * of consecutive hours of one direction make one alert, unless another
 * alert on the same source explains them (an attack, an outage).
 */
static int
vol_eval(struct omsec_rules *r)
{
	int64_t lo, hi;

	if (r->o.volume_weeks <= 0 || r->hmax == INT64_MIN)
		return 0;
	hi = r->hmax - 1;
	if (r->vfrom == INT64_MIN)
		r->vfrom = r->hmin + 1;	/* the first hour is partial */
	lo = r->vuntil != INT64_MIN ? r->vuntil + 1 : r->vfrom;
	if (lo < hi - HOURS_MAX)
		lo = hi - HOURS_MAX;
	for (size_t i = 0; i < r->nvser; i++) {
		struct series *s = &r->vser[i];
		int run = 0;
		int64_t start = 0, was = INT64_MIN;
		double got = 0, usual = 0, m = 0;
		/* An anomaly open at the last run's end goes on from there. */
		if (s->odir != 0 && s->oend == lo - 1) {
			run = s->odir;
			start = s->ostart;
			got = s->ogot;
			usual = s->ousual;
			was = s->oend;	/* alerted up to here already */
		}
		s->odir = 0;
		for (int64_t h = lo; h <= hi + 1; h++) {
			int dir = h <= hi ? vol_judge(r, s, h, &m) : 0;
			if (run != 0 && dir != run) {
				/*
				 * With a state, a run reaching the last hour
				 * judged is alerted now and kept open: the
				 * next run's hours may continue it under the
				 * same id (rule, entity, first hour).
				 */
				if (h > hi && r->carry) {
					s->odir = run;
					s->ostart = start;
					s->oend = hi;
					s->ogot = got;
					s->ousual = usual;
				}
				if (h - 1 > was && vol_alert(r, s, run, start, h - 1,
				    got, usual) != 0)
					return -1;
				run = 0;
				was = INT64_MIN;
			}
			if (dir != 0 && run == 0) {
				run = dir;
				start = h;
				got = usual = 0;
			}
			if (dir != 0) {
				got += hour_count(s, h);
				usual += m;
			}
		}
	}
	if (hi >= lo)
		r->vuntil = hi;
	return 0;
}

/* ---- events --------------------------------------------------------------- */

static int
local_minute(struct omsec_rules *r, int64_t ts)
{
	int off = r->tz ? omsec_tz_offset_at(r->tz, ts) : 0;
	int64_t s = ts / 1000 + off;

	return (int)(((s % 86400) + 86400) % 86400 / 60);
}

static int
in_unusual(const struct omsec_rules *r, int m)
{
	int a = r->o.unusual_from, b = r->o.unusual_to;

	if (a < 0 || b < 0 || a == b)
		return 0;
	return a < b ? m >= a && m < b : m >= a || m < b;
}

static int
is_priv(const struct omsec_rules *r, struct omsec_span u)
{
	for (int i = 0; i < r->npriv; i++)
		if (omsec_span_eq(u, r->priv[i]))
			return 1;
	return 0;
}

/* The word after marker in msg (quotes dropped), or an empty span. */
static struct omsec_span
word_after(struct omsec_span msg, const char *marker)
{
	const char *p = span_find(msg, marker);
	const char *e, *end;

	if (p == NULL)
		return omsec_span_make("", 0);
	end = msg.p + msg.n;
	p += strlen(marker);
	while (p < end && (*p == '\'' || *p == ' '))
		p++;
	for (e = p; e < end && *e != '\'' && *e != ' ' && *e != ','; e++)
		;
	return omsec_span_make(p, (size_t)(e - p));
}

static int
web_event(struct omsec_rules *r, const struct omsec_event *ev)
{
	struct omsec_span ip = ev->f[OMSEC_F_SRC_IP], url = ev->f[OMSEC_F_URL];
	struct omsec_span ua = ev->f[OMSEC_F_USER_AGENT];
	struct omsec_span st = ev->f[OMSEC_F_STATUS], host = ev->f[OMSEC_F_HOST];
	struct omsec_span ref = ev->f[OMSEC_F_REF];
	char norm[URL_MAX], lua[512];
	size_t n, path;

	if (ip.n == 0)
		return 0;
	if (r->o.web_errors > 0 && st.n == 3 && (st.p[0] == '4' || st.p[0] == '5') &&
	    hold(r, R_WEB_ERR, rule_sev[R_WEB_ERR], ev->ts_ms, ip, url, host,
	    ref) != 0)
		return -1;
	if (r->o.web_requests <= 0)
		return 0;
	n = url_norm(norm, sizeof(norm), url);
	path = strcspn(norm, "?");
	if (match_any(&sqli_set, norm, n) &&
	    hold(r, R_WEB_SQLI, 3, ev->ts_ms, ip, url, host, ref) != 0)
		return -1;
	if (match_any(&xss_set, norm, n) &&
	    hold(r, R_WEB_XSS, 2, ev->ts_ms, ip, url, host, ref) != 0)
		return -1;
	if (match_any(&trav_set, norm, n) &&
	    hold(r, R_WEB_TRAV, 3, ev->ts_ms, ip, url, host, ref) != 0)
		return -1;
	if ((match_any(&sens_set, norm, path) ||
	    (path > 0 && norm[path - 1] == '~')) &&
	    hold(r, R_WEB_SENS, 2, ev->ts_ms, ip, url, host, ref) != 0)
		return -1;
	n = ua.n < sizeof(lua) - 1 ? ua.n : sizeof(lua) - 1;
	for (size_t i = 0; i < n; i++)
		lua[i] = (char)tolower((unsigned char)ua.p[i]);
	lua[n] = '\0';
	if (n && match_any(&scanner_set, lua, n) &&
	    hold(r, R_WEB_SCAN, 2, ev->ts_ms, ip, ua, host, ref) != 0)
		return -1;
	return 0;
}

/* ---- network, database, IDS -------------------------------------------- */

static int
ip_cmp16(const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, 16);
}

/* The bad-range block holding ip, or NULL: a binary search, no malloc. */
static const struct brange *
bad_lookup(const struct omsec_rules *r, struct omsec_span s)
{
	struct omsec_ip ip;
	size_t lo = 0, hi = r->nbad;

	if (r->nbad == 0 || s.n == 0 || omsec_ip_parse(&ip, s) != 0)
		return NULL;
	while (lo < hi) {		/* first block with lo > ip */
		size_t mid = lo + (hi - lo) / 2;
		if (ip_cmp16(r->bad[mid].lo, ip.b) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || ip_cmp16(ip.b, r->bad[lo - 1].hi) > 0)
		return NULL;
	return &r->bad[lo - 1];
}

static int
scan_ignored(const struct omsec_rules *r, struct omsec_span s)
{
	struct omsec_ip ip;

	if (r->nignore == 0 || omsec_ip_parse(&ip, s) != 0)
		return 0;
	for (int i = 0; i < r->nignore; i++)
		if (omsec_cidr_contains(&r->ignore[i], &ip))
			return 1;
	return 0;
}

static int
in_window(int a, int b, int m)
{
	if (a < 0 || b < 0 || a == b)
		return 0;
	return a < b ? m >= a && m < b : m >= a || m < b;
}

static int
network_event(struct omsec_rules *r, const struct omsec_event *ev)
{
	struct omsec_span src = ev->f[OMSEC_F_SRC_IP], dst = ev->f[OMSEC_F_DST_IP];
	struct omsec_span dport = ev->f[OMSEC_F_DST_PORT];
	struct omsec_span host = ev->f[OMSEC_F_HOST], ref = ev->f[OMSEC_F_REF];
	int denied = omsec_span_eq(ev->f[OMSEC_F_ACTION], "connection_denied");
	char key[KEY_MAX];
	int n;

	if (r->nbad > 0) {
		const struct brange *b = bad_lookup(r, src);
		struct omsec_span who = src;
		if (b == NULL) {
			b = bad_lookup(r, dst);
			who = dst;
		}
		if (b != NULL) {
			char aux[AUX_MAX];
			n = snprintf(aux, sizeof(aux), "%.*s -> %.*s:%.*s %s, listed "
			    "as %s (line %u)", (int)(src.n < 40 ? src.n : 40), src.p,
			    (int)(dst.n < 40 ? dst.n : 40), dst.p, (int)(dport.n < 6 ?
			    dport.n : 6), dport.p, denied ? "denied" : "not denied",
			    b->name, b->line);
			if (n >= (int)sizeof(aux))
				n = (int)sizeof(aux) - 1;
			/* Let through is worse than stopped at the border. */
			if (hold(r, R_NET_BAD, denied ? 2 : 3, ev->ts_ms, who,
			    omsec_span_make(aux, (size_t)n), host, ref) != 0)
				return -1;
		}
	}
	if (!denied || src.n == 0 || dst.n == 0 || dport.n == 0 ||
	    scan_ignored(r, src))
		return 0;
	if (r->o.scan_ports > 0) {
		n = snprintf(key, sizeof(key), "%.*s %.*s", (int)(src.n < 60 ?
		    src.n : 60), src.p, (int)(dst.n < 60 ? dst.n : 60), dst.p);
		if (hold(r, R_NET_VSCAN, rule_sev[R_NET_VSCAN], ev->ts_ms,
		    omsec_span_make(key, (size_t)n), dport, host, ref) != 0)
			return -1;
	}
	if (r->o.scan_hosts > 0) {
		n = snprintf(key, sizeof(key), "%.*s %.*s", (int)(src.n < 60 ?
		    src.n : 60), src.p, (int)(dport.n < 8 ? dport.n : 8), dport.p);
		if (hold(r, R_NET_HSCAN, rule_sev[R_NET_HSCAN], ev->ts_ms,
		    omsec_span_make(key, (size_t)n), dst, host, ref) != 0)
			return -1;
	}
	return 0;
}

/*
 * The SQL of a statement event, lower case, runs of blanks as one space,
 * into out: after "statement: " (PostgreSQL) or the command word and tab
 * of a MySQL general log line ("Query\tSELECT ...").
 */
static size_t
sql_norm(char *out, size_t cap, struct omsec_span msg)
{
	const char *p = msg.p, *end = msg.p + msg.n, *q;
	size_t m = 0;

	if (msg.n == 0)
		return 0;
	if ((q = memmem(p, msg.n, "statement: ", 11)) != NULL)
		p = q + 11;
	else if ((q = memchr(p, '\t', msg.n)) != NULL)
		p = q + 1;
	for (; p < end && m + 1 < cap; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (m > 0 && out[m - 1] != ' ')
				out[m++] = ' ';
			continue;
		}
		out[m++] = (char)tolower(c);
	}
	while (m > 0 && (out[m - 1] == ' ' || out[m - 1] == ';'))
		m--;
	out[m] = '\0';
	return m;
}

static int
prefix(const char *s, const char *lit)
{
	return strncmp(s, lit, strlen(lit)) == 0;
}

/*
 * A whole-table read, what a dump tool sends for each table:
 * "select [/ *comment* /] * from TABLE" and nothing after the table name
 * (no where, limit, join, order or group clause).
 */
static int
whole_table_read(const char *q)
{
	if (!prefix(q, "select "))
		return 0;
	q += 7;
	if (prefix(q, "/*")) {
		const char *e = strstr(q, "*/");
		if (e == NULL)
			return 0;
		q = e + 2;
		while (*q == ' ')
			q++;
	}
	if (!prefix(q, "* from "))
		return 0;
	q += 7;
	q += strcspn(q, " ");
	return *q == '\0';
}

/* The thread of a MySQL general log line: its source and thread id. */
static uint64_t
thr_hash(const struct omsec_event *ev)
{
	struct omsec_span src = ev->f[OMSEC_F_HOST], pid = ev->f[OMSEC_F_PID];
	char buf[KEY_MAX + 24];
	int n;

	if (src.n == 0)
		src = ref_dir(ev->f[OMSEC_F_REF]);
	n = snprintf(buf, sizeof(buf), "%.*s%c%.*s", (int)(src.n < KEY_MAX ?
	    src.n : KEY_MAX), src.p, '\0', (int)(pid.n < 20 ? pid.n : 20), pid.p);
	uint64_t h = omsec_hash64(buf, (size_t)n);
	return h ? h : 1;
}

static struct thr *
thr_find(struct omsec_rules *r, uint64_t h)
{
	struct thr *set = &r->thr[(h % THR_SETS) * THR_WAYS];

	for (int i = 0; i < THR_WAYS; i++)
		if (set[i].h == h)
			return &set[i];
	return NULL;
}

/* Remembers acct for thread h, connected at ts. */
static void
thr_put(struct omsec_rules *r, uint64_t h, int64_t ts, struct omsec_span acct)
{
	struct thr *set = &r->thr[(h % THR_SETS) * THR_WAYS], *e;

	if ((e = thr_find(r, h)) == NULL) {
		e = &set[0];
		for (int i = 1; i < THR_WAYS && e->h != 0; i++)
			if (set[i].h == 0 || set[i].ts < e->ts)
				e = &set[i];
	}
	e->h = h;
	e->ts = ts;
	snprintf(e->acct, sizeof(e->acct), "%.*s", (int)(acct.n < KEY_MAX - 1 ?
	    acct.n : KEY_MAX - 1), acct.p);
}

/*
 * A MySQL Connect line's account as the server logs it, "user@client"
 * (the first word after "Connect\t"), else user@src_ip or the user.
 */
static struct omsec_span
connect_account(const struct omsec_event *ev, char *buf, size_t cap)
{
	struct omsec_span msg = ev->f[OMSEC_F_MSG], u = ev->f[OMSEC_F_USER];
	int n;

	if (omsec_span_has_prefix(msg, "Connect\t")) {
		const char *p = msg.p + 8, *e = p, *end = msg.p + msg.n;
		while (e < end && *e != ' ' && *e != '\t')
			e++;
		if (memchr(p, '@', (size_t)(e - p)) != NULL)
			return omsec_span_make(p, (size_t)(e - p));
	}
	if (ev->f[OMSEC_F_SRC_IP].n == 0)
		return u;
	n = snprintf(buf, cap, "%.*s@%.*s", (int)(u.n < 63 ? u.n : 63), u.p,
	    (int)(ev->f[OMSEC_F_SRC_IP].n < 63 ? ev->f[OMSEC_F_SRC_IP].n : 63),
	    ev->f[OMSEC_F_SRC_IP].p);
	return omsec_span_make(buf, (size_t)n);
}

/* 1 if acct ("user@client") or its user is listed in db_backup_users. */
static int
is_backup_user(const struct omsec_rules *r, const char *acct)
{
	size_t un = strcspn(acct, "@");

	for (int i = 0; i < r->nbk; i++)
		if (strcmp(r->bkusers[i], acct) == 0 ||
		    (strlen(r->bkusers[i]) == un &&
		    strncmp(r->bkusers[i], acct, un) == 0))
			return 1;
	return 0;
}

static int
database_event(struct omsec_rules *r, const struct omsec_event *ev)
{
	struct omsec_span act = ev->f[OMSEC_F_ACTION], user = ev->f[OMSEC_F_USER];
	struct omsec_span host = ev->f[OMSEC_F_HOST], src = ev->f[OMSEC_F_SRC_IP];
	struct omsec_span ref = ev->f[OMSEC_F_REF], key;
	char kbuf[KEY_MAX], sql[URL_MAX];
	const struct thr *th = NULL;
	int n;

	if (ev->f[OMSEC_F_PID].n && omsec_span_eq(ev->f[OMSEC_F_MODULE],
	    "mysql")) {
		uint64_t h = thr_hash(ev);
		if (omsec_span_eq(act, "login") &&
		    omsec_span_eq(ev->f[OMSEC_F_OUTCOME], "success") && user.n) {
			thr_put(r, h, ev->ts_ms, connect_account(ev, kbuf,
			    sizeof(kbuf)));
			return 0;
		}
		if (user.n == 0)
			th = thr_find(r, h);
	}
	/*
	 * The key: user@host, the account of the statement's MySQL thread,
	 * the host, or the log's directory.
	 */
	if (host.n && user.n)
		n = snprintf(kbuf, sizeof(kbuf), "%.*s@%.*s", (int)(user.n < 63 ?
		    user.n : 63), user.p, (int)(host.n < 63 ? host.n : 63), host.p);
	else if (th != NULL)
		n = snprintf(kbuf, sizeof(kbuf), "%s", th->acct);
	else if (host.n)
		n = snprintf(kbuf, sizeof(kbuf), "%.*s", (int)(host.n < 63 ?
		    host.n : 63), host.p);
	else {
		struct omsec_span d = ref_dir(ref);
		n = snprintf(kbuf, sizeof(kbuf), "%.*s", (int)(d.n < 120 ? d.n :
		    120), d.p);
	}
	key = omsec_span_make(kbuf, (size_t)n);
	if (omsec_span_eq(act, "login") &&
	    omsec_span_eq(ev->f[OMSEC_F_OUTCOME], "failure")) {
		if (r->o.db_auth_failures <= 0)
			return 0;
		return hold(r, R_DB_AUTH, rule_sev[R_DB_AUTH], ev->ts_ms,
		    src.n ? src : key, user, host, ref);
	}
	if (!omsec_span_eq(act, "statement") || key.n == 0)
		return 0;
	size_t m = sql_norm(sql, sizeof(sql), ev->f[OMSEC_F_MSG]);
	if (m == 0)
		return 0;
	int minute = local_minute(r, ev->ts_ms);
	struct omsec_span note = omsec_span_make(sql, m < AUX_MAX - 1 ? m :
	    AUX_MAX - 1);
	if (r->o.db_statements && (prefix(sql, "truncate ") ||
	    prefix(sql, "grant ") || (prefix(sql, "drop ") &&
	    !prefix(sql, "drop temporary "))) &&
	    !in_window(r->o.change_from, r->o.change_to, minute))
		return hold(r, R_DB_DANGER, rule_sev[R_DB_DANGER], ev->ts_ms, key,
		    note, host, ref);
	if (r->o.db_statements && (strstr(sql, " into outfile ") ||
	    strstr(sql, " into dumpfile ") || (prefix(sql, "copy ") &&
	    strstr(sql, " to '"))))
		return hold(r, R_DB_OUTFILE, rule_sev[R_DB_OUTFILE], ev->ts_ms,
		    key, note, host, ref);
	/* A dump by a backup account is expected at any hour; the window
	   covers backups whose account the log does not name. */
	if (r->o.db_export_tables > 0 && whole_table_read(sql) &&
	    !in_window(r->o.backup_from, r->o.backup_to, minute) &&
	    !(strchr(kbuf, '@') != NULL && is_backup_user(r, kbuf)))
		return hold(r, R_DB_DUMP, rule_sev[R_DB_DUMP], ev->ts_ms, key,
		    note, host, ref);
	return 0;
}

static int
ids_event(struct omsec_rules *r, const struct omsec_event *ev)
{
	struct omsec_span src = ev->f[OMSEC_F_SRC_IP], sid = ev->f[OMSEC_F_RULE_ID];
	char key[KEY_MAX];
	int n;

	if (src.n == 0 || !omsec_span_eq(ev->f[OMSEC_F_ACTION], "alert"))
		return 0;
	n = snprintf(key, sizeof(key), "%.*s %.*s", (int)(src.n < 60 ? src.n :
	    60), src.p, (int)(sid.n < 60 ? sid.n : 60), sid.p);
	if (r->o.ids_alerts > 0 && hold(r, R_IDS_BURST, rule_sev[R_IDS_BURST],
	    ev->ts_ms, omsec_span_make(key, (size_t)n), ev->f[OMSEC_F_RULE_NAME],
	    ev->f[OMSEC_F_HOST], ev->f[OMSEC_F_REF]) != 0)
		return -1;
	if (r->o.ids_high && ev->severity >= OMSEC_SEV_HIGH &&
	    hold(r, R_IDS_HIGH, rule_sev[R_IDS_HIGH], ev->ts_ms,
	    omsec_span_make(key, (size_t)n), ev->f[OMSEC_F_RULE_NAME],
	    ev->f[OMSEC_F_HOST], ev->f[OMSEC_F_REF]) != 0)
		return -1;
	return 0;
}

int
omsec_rules_event(struct omsec_rules *r, const struct omsec_event *ev)
{
	struct omsec_span mod = ev->f[OMSEC_F_MODULE], act = ev->f[OMSEC_F_ACTION];
	struct omsec_span out = ev->f[OMSEC_F_OUTCOME], user = ev->f[OMSEC_F_USER];
	struct omsec_span msg = ev->f[OMSEC_F_MSG];

	if (ev->ts_ms < r->min_ts)
		r->min_ts = ev->ts_ms;
	if (ev->ts_ms > r->max_ts)
		r->max_ts = ev->ts_ms;
	if (r->o.silent_hours > 0 || r->o.volume_weeks > 0) {
		int64_t h = hour_of(ev->ts_ms);
		if (h < r->hmin)
			r->hmin = h;
		if (h > r->hmax)
			r->hmax = h;
	}
	if (r->o.silent_hours > 0) {
		int64_t h = hour_of(ev->ts_ms);
		if (ev->f[OMSEC_F_HOST].n > 0) {
			if (series_count(series_get(r, ev->f[OMSEC_F_HOST], mod, 0), h) ||
			    series_count(series_get(r, ev->f[OMSEC_F_HOST], mod, 1), h))
				return -1;
		} else if (series_count(source_series(r, ev->f[OMSEC_F_REF]), h)) {
			return -1;
		}
	}
	if (r->o.volume_weeks > 0 && vol_count(r, ev) != 0)
		return -1;
	if (omsec_span_eq(ev->f[OMSEC_F_CATEGORY], "web"))
		return web_event(r, ev);
	if (omsec_span_eq(ev->f[OMSEC_F_CATEGORY], "network"))
		return network_event(r, ev);
	if (omsec_span_eq(ev->f[OMSEC_F_CATEGORY], "database"))
		return database_event(r, ev);
	if (omsec_span_eq(ev->f[OMSEC_F_CATEGORY], "intrusion_detection"))
		return ids_event(r, ev);
	if (omsec_span_eq(mod, "sshd") && omsec_span_eq(act, "login") &&
	    user.n > 0) {
		if (omsec_span_eq(out, "failure")) {
			if (r->o.dist_sources > 0 && ev->f[OMSEC_F_SRC_IP].n > 0)
				return hold_user(r, R_DIST, 3, ev, user,
				    ev->f[OMSEC_F_SRC_IP]);
			return 0;
		}
		if (!omsec_span_eq(out, "success"))
			return 0;
		if (is_priv(r, user) && in_unusual(r, local_minute(r, ev->ts_ms)) &&
		    hold_user(r, R_OFFHOURS, 2, ev, user, ev->f[OMSEC_F_SRC_IP]))
			return -1;
		if (r->o.learn_ms > 0) {
			/* "CC ip": internal addresses count as one place. */
			char aux[AUX_MAX];
			struct omsec_span cc = ev->f[OMSEC_F_COUNTRY];
			struct omsec_span ip = ev->f[OMSEC_F_SRC_IP];
			if (cc.n == 0 && omsec_span_eq(ev->f[OMSEC_F_ZONE], "internal"))
				cc = omsec_span_cstr("internal");
			if (cc.n == 0 || cc.n > 32)
				return 0;
			int n = snprintf(aux, sizeof(aux), "%.*s %.*s", (int)cc.n,
			    cc.p, (int)(ip.n < 64 ? ip.n : 64), ip.p);
			return hold_user(r, R_NEWCTRY, 3, ev, user,
			    omsec_span_make(aux, (size_t)n));
		}
		return 0;
	}
	if (omsec_span_eq(mod, "sudo")) {
		if (omsec_span_eq(act, "sudo") && omsec_span_eq(out, "failure") &&
		    (span_has(msg, "NOT in sudoers") ||
		    span_has(msg, "NOT authorized")))
			return user.n ? hold_user(r, R_SUDO_DENIED, 2, ev, user,
			    omsec_span_make("", 0)) : 0;
		if (omsec_span_eq(act, "pam_auth_failure") && user.n &&
		    r->o.sudo_failures > 0)
			return hold_user(r, R_SUDO_FAIL, 2, ev, user,
			    omsec_span_make("", 0));
		if (omsec_span_eq(act, "sudo") && omsec_span_eq(out, "success") &&
		    user.n && r->o.learn_ms > 0) {
			const char *c = span_find(msg, "COMMAND=");
			struct omsec_span cmd = c ? omsec_span_make(c + 8,
			    (size_t)(msg.p + msg.n - c - 8)) : omsec_span_make("", 0);
			return hold(r, R_SUDO_FIRST, 2, ev->ts_ms, user, cmd,
			    ev->f[OMSEC_F_HOST], ev->f[OMSEC_F_REF]);
		}
		return 0;
	}
	if (omsec_span_eq(ev->f[OMSEC_F_CATEGORY], "iam")) {
		if (omsec_span_eq(act, "user_created") && user.n)
			return hold_user(r, R_IAM_USER, 2, ev, user,
			    omsec_span_cstr("created"));
		if (omsec_span_eq(act, "user_deleted") && user.n)
			return hold_user(r, R_IAM_USER, 2, ev, user,
			    omsec_span_cstr("deleted"));
		if (omsec_span_eq(act, "group_member_added") && user.n) {
			struct omsec_span g = word_after(msg, " group ");
			char aux[AUX_MAX];
			int priv = omsec_span_eq(g, "sudo") || omsec_span_eq(g, "wheel") ||
			    omsec_span_eq(g, "admin") || omsec_span_eq(g, "adm") ||
			    omsec_span_eq(g, "root") || omsec_span_eq(g, "docker");
			int n = snprintf(aux, sizeof(aux), "added to group %.*s%s",
			    (int)(g.n < 64 ? g.n : 64), g.p, priv ?
			    " (privileged)" : "");
			return hold_user(r, R_IAM_GROUP, priv ? 3 : 1, ev, user,
			    omsec_span_make(aux, (size_t)n));
		}
		if (omsec_span_eq(act, "group_created")) {
			struct omsec_span g = word_after(msg, "name=");
			return g.n ? hold_user(r, R_IAM_GROUP, 1, ev, g,
			    omsec_span_cstr("group created")) : 0;
		}
	}
	return 0;
}

int
omsec_rules_finish(struct omsec_rules *r)
{
	if (flush(r, 1) != 0 || health_eval(r) != 0)
		return -1;
	return vol_eval(r);
}

/* ---- state file ----------------------------------------------------------- */

/*
 * #omsec-detect-state	2
 * since	2026-11-01T00:00:00.000Z
 * country	liyang@bastion01 internal
 * country	liyang@bastion01
 * sudo	zhangwei
 * open	RULE	KEY	FIRST	LAST	COUNT	REPORTED	SEV	TRIGGERED	HOST	NOTE	REFS	RING	DSET
 * ssh	IP	...	(detect.c)
 * volspan	VFROM	VUNTIL
 * vol	SOURCE/CATEGORY	IS_SOURCE	H0	COUNT,COUNT,...
 * volopen	SOURCE/CATEGORY	DIR	FIRST_HOUR	LAST_HOUR	EVENTS	USUAL
 * thread	HASH	CONNECT_MS	ACCOUNT
 * silspan	SFROM	SUNTIL
 * silent	SERIES	KIND	HOSTN	H0	COUNT,COUNT,...
 *
 * Version 1 files (no open bursts) are read as well. Times of open lines
 * are milliseconds since the epoch; text fields are TSV-escaped.
 */

/* Rule names in open lines: db_mass_export has two states of its own. */
static const char *
rule_tag(int rule)
{
	return rule == R_DB_OUTFILE ? "db_mass_export.file" : rule_name[rule];
}

static int
tag_rule(const char *tag)
{
	for (int i = 0; i < R_COUNT; i++)
		if (strcmp(tag, rule_tag(i)) == 0)
			return i;
	return -1;
}

static int
num(const char *s, int64_t *v)
{
	char *e;
	long long x;

	errno = 0;
	x = strtoll(s, &e, 10);
	if (*s == '\0' || *e != '\0' || errno)
		return -1;
	*v = x;
	return 0;
}

/* "ts/hash,ts/hash" into k's ring (times ascending), "hash,..." dset. */
static int
open_line(struct omsec_rules *r, char **f, int n)
{
	int64_t first, last, count, rep, sev, trig;
	int rule;
	struct kstate *k;

	if (n != 14 || (rule = tag_rule(f[1])) < 0 || strlen(f[2]) == 0 ||
	    strlen(f[2]) >= KEY_MAX || num(f[3], &first) || num(f[4], &last) ||
	    num(f[5], &count) || num(f[6], &rep) || num(f[7], &sev) ||
	    num(f[8], &trig) || first > last || count < 1 || rep < 0 ||
	    rep > count || sev < 1 || sev > 4 || strlen(f[9]) >= HOST_MAX)
		return 1;
	if ((k = state_get(r, rule, f[2], strlen(f[2]))) == NULL)
		return -1;
	k->fed = 1;
	k->fed_ts = last;
	k->in_burst = 1;
	k->triggered = trig != 0;
	k->first = first;
	k->last = last;
	k->count = (uint64_t)count;
	k->reported = (uint64_t)rep;
	k->sev = (int)sev;
	snprintf(k->host, sizeof(k->host), "%s", f[9]);
	snprintf(k->note, sizeof(k->note), "%s", f[10]);
	k->refs_len = strlen(f[11]) < sizeof(k->refs) ? strlen(f[11]) : 0;
	memcpy(k->refs, f[11], k->refs_len);
	k->refs[k->refs_len] = '\0';
	k->nrefs = 0;
	for (const char *p = k->refs; k->refs_len && p; p = strchr(p + 1, ','))
		k->nrefs++;
	for (char *p = f[12]; *p;) {
		char *e;
		int64_t ts = strtoll(p, &e, 10);
		if (*e != '/')
			return 1;
		uint64_t h = strtoull(e + 1, &e, 16);
		if (ring_push(k, ts, h, RING_MAX) != 0)
			return -1;
		p = *e == ',' ? e + 1 : e;
		if (*e != ',' && *e != '\0')
			return 1;
	}
	for (char *p = f[13]; *p;) {
		char *e;
		uint64_t h = strtoull(p, &e, 16);
		if (e == p || dset_add(k, h) != 0)
			return e == p ? 1 : -1;
		p = *e == ',' ? e + 1 : e;
		if (*e != ',' && *e != '\0')
			return 1;
	}
	return 0;
}

/*
 * The hourly counts of a volume series (hours since the epoch, UTC) and
 * the span of hours known and judged.
 */
/* "volopen SOURCE/CATEGORY DIR FIRST_HOUR LAST_HOUR EVENTS USUAL". */
static int
volopen_line(struct omsec_rules *r, char **f, int n)
{
	int64_t dir, a, b;
	char *e1, *e2;
	double got, usual;
	struct series *s = NULL;

	if (n != 7 || num(f[2], &dir) || (dir != 1 && dir != -1) ||
	    num(f[3], &a) || num(f[4], &b) || b < a)
		return 1;
	got = strtod(f[5], &e1);
	usual = strtod(f[6], &e2);
	if (e1 == f[5] || *e1 != '\0' || e2 == f[6] || *e2 != '\0' ||
	    !(got >= 0) || !(usual >= 0))
		return 1;
	/* Its series has come on a vol line before. */
	for (size_t i = 0; i < r->nvser && s == NULL; i++)
		if (strcmp(r->vser[i].name, f[1]) == 0)
			s = &r->vser[i];
	if (s == NULL)
		return 1;
	s->odir = (int)dir;
	s->ostart = a;
	s->oend = b;
	s->ogot = got;
	s->ousual = usual;
	return 0;
}

static int
vol_line(struct omsec_rules *r, char **f, int n)
{
	int64_t a, b;

	if (strcmp(f[0], "volspan") == 0) {
		if (n != 3 || num(f[1], &a) || num(f[2], &b))
			return 1;
		r->vfrom = a;
		r->vuntil = b;
		return 0;
	}
	const char *slash = strrchr(f[1], '/');
	struct series *s;
	if (n != 5 || slash == NULL || slash == f[1] || num(f[2], &a) ||
	    num(f[3], &b) || strlen(f[1]) >= sizeof(s->name))
		return 1;
	s = vol_series(r, omsec_span_make(f[1], (size_t)(slash - f[1])),
	    omsec_span_cstr(slash + 1), a == 0);
	if (s == NULL)
		return -1;
	for (char *p = f[4]; *p; b++) {
		char *e;
		unsigned long c = strtoul(p, &e, 10);
		if (e == p || (*e != ',' && *e != '\0') || c > UINT32_MAX)
			return 1;
		if (c > 0 && series_add(s, b, (uint32_t)c) != 0)
			return -1;
		p = *e == ',' ? e + 1 : e;
	}
	return 0;
}

/* Reads "a,b,c" as the counts of hours h, h + 1, ... of s. */
static int
counts_line(struct series *s, int64_t h, char *p)
{
	while (*p) {
		char *e;
		unsigned long c = strtoul(p, &e, 10);
		if (e == p || (*e != ',' && *e != '\0') || c > UINT32_MAX)
			return 1;
		if (c > 0 && series_add(s, h, (uint32_t)c) != 0)
			return -1;
		p = *e == ',' ? e + 1 : e;
		h++;
	}
	return 0;
}

/*
 * "silspan SFROM SUNTIL" and "silent SERIES KIND HOSTN H0 COUNTS": the
 * collection-health history (KIND h host, m host/module, s log folder).
 */
static int
sil_line(struct omsec_rules *r, char **f, int n)
{
	int64_t a, b;
	struct series *s;
	int added;

	if (strcmp(f[0], "silspan") == 0) {
		if (n != 3 || num(f[1], &a) || num(f[2], &b) || b < a)
			return 1;
		r->sfrom = a;
		r->suntil = b;
		return 0;
	}
	size_t len = strlen(f[1]);
	if (n != 6 || len == 0 || len >= sizeof(s->name) || f[2][1] != '\0' ||
	    strchr("hms", f[2][0]) == NULL || num(f[3], &a) || a < 1 ||
	    a > HOST_MAX - 1 || (size_t)a > len || num(f[4], &b))
		return 1;
	if ((s = series_find_add(&r->ser, &r->nser, f[1], (int)len,
	    &added)) == NULL)
		return r->nser == SERIES_MAX ? 1 : -1;
	r->last_ser[0] = r->last_ser[1] = NULL;
	s->hostn = (uint8_t)a;
	s->module = f[2][0] == 'm';
	s->source = f[2][0] == 's';
	return counts_line(s, b, f[5]);
}

/* "thread HASH CONNECT_MS ACCOUNT": a MySQL connection still known. */
static int
thr_line(struct omsec_rules *r, char **f, int n)
{
	int64_t ts;
	char *e;
	unsigned long long h;

	if (n != 4 || num(f[2], &ts) || f[3][0] == '\0')
		return 1;
	errno = 0;
	h = strtoull(f[1], &e, 16);
	if (e == f[1] || *e != '\0' || errno != 0 || h == 0)
		return 1;
	thr_put(r, (uint64_t)h, ts, omsec_span_cstr(f[3]));
	return 0;
}

int
omsec_rules_state_load(struct omsec_rules *r, const char *path, char *err,
    size_t errcap, int (*other)(void *ctx, char **fld, int n), void *ctx)
{
	FILE *f;
	char *line = NULL, *fld[16];
	size_t cap = 0;
	ssize_t len;
	unsigned no = 0;
	int n, q;

	r->carry = 1;
	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		no++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (no == 1) {
			if (strcmp(line, "#omsec-detect-state\t1") != 0 &&
			    strcmp(line, "#omsec-detect-state\t2") != 0)
				goto bad;
			continue;
		}
		/* since, country and sudo lines are one raw field each. */
		char *tab = strchr(line, '\t');
		if (tab == NULL)
			goto bad;
		*tab = '\0';
		if (strcmp(line, "since") == 0) {
			int64_t ms;
			int hz;
			if (omsec_parse_iso(&ms, &hz, omsec_span_cstr(tab + 1)) != 0)
				goto bad;
			r->since = ms;
			continue;
		} else if (strcmp(line, "country") == 0) {
			if (seen_add(&r->countries, tab + 1) != 0)
				goto oom;
			continue;
		} else if (strcmp(line, "sudo") == 0) {
			if (seen_add(&r->sudoers, tab + 1) != 0)
				goto oom;
			continue;
		}
		*tab = '\t';
		if ((n = omsec_state_split(line, fld, 16)) < 0)
			goto bad;
		if (strcmp(fld[0], "open") == 0)
			q = open_line(r, fld, n);
		else if (strcmp(fld[0], "vol") == 0 || strcmp(fld[0], "volspan") == 0)
			q = vol_line(r, fld, n);
		else if (strcmp(fld[0], "thread") == 0)
			q = thr_line(r, fld, n);
		else if (strcmp(fld[0], "volopen") == 0)
			q = volopen_line(r, fld, n);
		else if (strcmp(fld[0], "silent") == 0 ||
		    strcmp(fld[0], "silspan") == 0)
			q = sil_line(r, fld, n);
		else if (strcmp(fld[0], "ssh") == 0 && other != NULL)
			q = other(ctx, fld, n);
		else
			q = 1;
		if (q < 0)
			goto oom;
		if (q > 0)
			goto bad;
	}
	free(line);
	fclose(f);
	return 0;
bad:
	free(line);
	fclose(f);
	snprintf(err, errcap, "%s:%u: not an omsec-detect-state line", path, no);
	return -1;
oom:
	free(line);
	fclose(f);
	snprintf(err, errcap, "%s: out of memory", path);
	return -1;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
write_set(FILE *f, const char *tag, const struct seen *st)
{
	char **v = malloc((st->n + 1) * sizeof(*v));
	size_t n = 0;

	if (v == NULL)
		return -1;
	/* Names with control bytes cannot be written as a line: dropped. */
	for (size_t i = 0; i < st->cap; i++)
		if (st->slot[i]) {
			const unsigned char *p = (const unsigned char *)st->slot[i];
			while (*p >= 0x20 && *p != 0x7f)
				p++;
			if (*p == '\0')
				v[n++] = st->slot[i];
		}
	qsort(v, n, sizeof(*v), cmp_str);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\t%s\n", tag, v[i]);
	free(v);
	return 0;
}

static int
cmp_kstate(const void *pa, const void *pb)
{
	const struct kstate *a = *(struct kstate *const *)pa;
	const struct kstate *b = *(struct kstate *const *)pb;

	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	return strcmp(a->key, b->key);
}

/* The carried bursts, sorted by rule and key: same state, same bytes. */
static int
write_open(FILE *f, const struct omsec_rules *r)
{
	struct kstate **v = malloc((r->tn + 1) * sizeof(*v));
	size_t n = 0;

	if (v == NULL)
		return -1;
	for (size_t i = 0; i < r->tsize; i++)
		for (struct kstate *k = r->tab[i]; k; k = k->next)
			if (k->in_burst)
				v[n++] = k;
	qsort(v, n, sizeof(*v), cmp_kstate);
	for (size_t i = 0; i < n; i++) {
		const struct kstate *k = v[i];
		int rc = 0;
		fputs("open", f);
		rc |= omsec_state_put(f, rule_tag(k->rule), strlen(rule_tag(k->rule)));
		rc |= omsec_state_put(f, k->key, strlen(k->key));
		fprintf(f, "\t%" PRId64 "\t%" PRId64 "\t%" PRIu64 "\t%" PRIu64
		    "\t%d\t%d", k->first, k->last, k->count, k->reported, k->sev,
		    k->triggered);
		rc |= omsec_state_put(f, k->host, strlen(k->host));
		rc |= omsec_state_put(f, k->note, strlen(k->note));
		rc |= omsec_state_put(f, k->refs, k->refs_len);
		fputc('\t', f);
		for (uint32_t j = 0; j < k->rn; j++) {
			uint32_t at = (k->rhead + j) % k->rcap;
			fprintf(f, "%s%" PRId64 "/%" PRIx64, j ? "," : "", k->rts[at],
			    k->rh[at]);
		}
		fputc('\t', f);
		for (uint32_t j = 0; j < k->nd; j++)
			fprintf(f, "%s%" PRIx64, j ? "," : "", k->dset[j]);
		fputc('\n', f);
		if (rc) {
			free(v);
			return -1;
		}
	}
	free(v);
	return 0;
}

static int
cmp_series(const void *pa, const void *pb)
{
	return strcmp(((const struct series *)pa)->name,
	    ((const struct series *)pb)->name);
}

/*
 * The trailing volume_weeks weeks (and the hour before them) of every
 * volume series, so the next run has its baseline.
 */
static int
write_vol(FILE *f, struct omsec_rules *r)
{
	int64_t from, until = r->vuntil;

	if (r->o.volume_weeks <= 0 || r->nvser == 0 || until == INT64_MIN)
		return 0;
	from = until - 168 * r->o.volume_weeks;
	if (r->vfrom > from)
		from = r->vfrom;
	fprintf(f, "volspan\t%" PRId64 "\t%" PRId64 "\n", from, until);
	qsort(r->vser, r->nvser, sizeof(*r->vser), cmp_series);
	r->vlast = NULL;
	for (size_t i = 0; i < r->nvser; i++) {
		const struct series *s = &r->vser[i];
		int64_t h = from, end = s->h0 + (int64_t)s->n - 1;
		if (s->h0 == INT64_MIN || end < from)
			continue;
		fputs("vol", f);
		if (omsec_state_put(f, s->name, strlen(s->name)) != 0)
			return -1;
		fprintf(f, "\t%d\t%" PRId64 "\t", s->source ? 1 : 0, h);
		for (; h <= end; h++)
			fprintf(f, "%s%" PRIu32, h == from ? "" : ",", hour_count(s, h));
		fputc('\n', f);
	}
	for (size_t i = 0; i < r->nvser; i++) {
		const struct series *s = &r->vser[i];
		if (s->odir == 0)
			continue;
		fputs("volopen", f);
		if (omsec_state_put(f, s->name, strlen(s->name)) != 0)
			return -1;
		fprintf(f, "\t%d\t%" PRId64 "\t%" PRId64 "\t%.1f\t%.1f\n", s->odir,
		    s->ostart, s->oend, s->ogot, s->ousual);
	}
	return 0;
}

/*
 * The last SILENT_HIST hours of every health series, up to the newest
 * (partial) hour, which the next run completes and judges first.
 */
static int
write_sil(FILE *f, struct omsec_rules *r)
{
	int64_t from, until = r->hmax;

	if (r->o.silent_hours <= 0 || r->nser == 0 || r->suntil == INT64_MIN ||
	    until == INT64_MIN)
		return 0;
	from = until - SILENT_HIST + 1;
	if (r->sfrom != INT64_MIN && r->sfrom > from)
		from = r->sfrom;
	fprintf(f, "silspan\t%" PRId64 "\t%" PRId64 "\n", from, r->suntil);
	qsort(r->ser, r->nser, sizeof(*r->ser), cmp_series);
	r->last_ser[0] = r->last_ser[1] = NULL;
	for (size_t i = 0; i < r->nser; i++) {
		const struct series *s = &r->ser[i];
		int64_t end = s->h0 + (int64_t)s->n - 1;
		if (s->h0 == INT64_MIN || end < from)
			continue;
		if (end > until)
			end = until;
		fputs("silent", f);
		if (omsec_state_put(f, s->name, strlen(s->name)) != 0)
			return -1;
		fprintf(f, "\t%c\t%u\t%" PRId64 "\t", s->module ? 'm' :
		    s->source ? 's' : 'h', (unsigned)s->hostn, from);
		for (int64_t h = from; h <= end; h++)
			fprintf(f, "%s%" PRIu32, h == from ? "" : ",", hour_count(s, h));
		fputc('\n', f);
	}
	return 0;
}

static int
cmp_thr(const void *pa, const void *pb)
{
	const struct thr *a = *(const struct thr *const *)pa;
	const struct thr *b = *(const struct thr *const *)pb;

	return a->h < b->h ? -1 : a->h > b->h;
}

/*
 * The MySQL threads whose Connect line was seen, so statements of a
 * connection opened before midnight still name its account (at most
 * THR_SETS * THR_WAYS lines, sorted by hash: same state, same bytes).
 */
static int
write_thr(FILE *f, struct omsec_rules *r)
{
	const struct thr **v;
	size_t n = 0;

	if ((v = malloc(sizeof(*v) * THR_SETS * THR_WAYS)) == NULL)
		return -1;
	for (size_t i = 0; i < THR_SETS * THR_WAYS; i++)
		if (r->thr[i].h != 0)
			v[n++] = &r->thr[i];
	qsort(v, n, sizeof(*v), cmp_thr);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "thread\t%016" PRIx64 "\t%" PRId64, v[i]->h, v[i]->ts);
		if (omsec_state_put(f, v[i]->acct, strlen(v[i]->acct)) != 0) {
			free(v);
			return -1;
		}
		fputc('\n', f);
	}
	free(v);
	return 0;
}

int
omsec_rules_state_save(struct omsec_rules *r, const char *path,
    int (*more)(void *ctx, FILE *f), void *ctx)
{
	struct omsec_atomic at;
	FILE *f;
	char iso[25];
	int64_t since = r->since != INT64_MIN ? r->since : r->min_ts;

	if (omsec_atomic_open(&at, path) != 0)
		return -1;
	if ((f = fdopen(dup(at.fd), "w")) == NULL) {
		omsec_atomic_abort(&at);
		return -1;
	}
	fputs("#omsec-detect-state\t2\n", f);
	if (since != INT64_MAX) {
		omsec_format_iso(iso, since);
		fprintf(f, "since\t%s\n", iso);
	}
	if (write_set(f, "country", &r->countries) != 0 ||
	    write_set(f, "sudo", &r->sudoers) != 0 ||
	    write_open(f, r) != 0 || (more && more(ctx, f) != 0) ||
	    write_vol(f, r) != 0 || write_sil(f, r) != 0 ||
	    write_thr(f, r) != 0 ||
	    ferror(f) || fclose(f) != 0) {
		omsec_atomic_abort(&at);
		return -1;
	}
	return omsec_atomic_commit(&at);
}

/* ---- bad-range list ------------------------------------------------------- */

static int
brange_cmp(const void *pa, const void *pb)
{
	const struct brange *a = pa, *b = pb;
	int c = ip_cmp16(a->lo, b->lo);

	if (c)
		return c;
	return a->line < b->line ? -1 : a->line > b->line;
}

/*
 * One CIDR or address per line ("185.220.100.0/22", "2001:db8::/32",
 * "203.0.113.7"), anything after '#' is a comment, blank lines are
 * skipped. The ranges are sorted and overlapping ones merged into blocks,
 * each named by the line that starts it, so a lookup is one binary search.
 */
int
omsec_rules_bad_ranges_load(struct omsec_rules *r, const char *path,
    char *err, size_t errcap)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	unsigned no = 0;
	size_t cap = 0, n = 0;
	struct brange *v = NULL;
	const char *base = strrchr(path, '/');

	if (f == NULL) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		struct omsec_cidr c;
		char *p = line, *e;
		no++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errcap, "%s:%u: line too long", path, no);
			goto fail;
		}
		line[strcspn(line, "#\r\n")] = '\0';
		p += strspn(p, " \t");
		for (e = p + strlen(p); e > p && (e[-1] == ' ' || e[-1] == '\t'); e--)
			;
		*e = '\0';
		if (*p == '\0')
			continue;
		if (strcspn(p, " \t") != strlen(p) ||
		    omsec_cidr_parse(&c, omsec_span_cstr(p)) != 0) {
			char shown[64 * 4 + 1];
			omsec_term_escape(shown, sizeof(shown),
			    omsec_span_make(p, strlen(p) < 64 ? strlen(p) : 64));
			snprintf(err, errcap, "%s:%u: '%s' is not an address or "
			    "CIDR range", path, no, shown);
			goto fail;
		}
		if (n == cap) {
			size_t nc = cap ? 2 * cap : 64;
			struct brange *nv = realloc(v, nc * sizeof(*nv));
			if (nv == NULL)
				goto oom;
			v = nv;
			cap = nc;
		}
		struct brange *b = &v[n++];
		memset(b, 0, sizeof(*b));
		for (int i = 0; i < 16; i++) {
			int bits = c.bits - 8 * i;
			uint8_t mask = bits >= 8 ? 0xff : bits <= 0 ? 0 :
			    (uint8_t)(0xff << (8 - bits));
			b->lo[i] = c.ip.b[i] & mask;
			b->hi[i] = (uint8_t)(c.ip.b[i] | (uint8_t)~mask);
		}
		snprintf(b->name, sizeof(b->name), "%s", p);
		b->line = no;
	}
	if (ferror(f)) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		goto fail;
	}
	fclose(f);
	if (n > 1)
		qsort(v, n, sizeof(*v), brange_cmp);
	/* Merge overlapping (and adjacent) ranges into disjoint blocks. */
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (k > 0) {
			uint8_t next[16];
			int carry = 1;
			memcpy(next, v[k - 1].hi, 16);
			for (int j = 15; j >= 0 && carry; j--)
				carry = ++next[j] == 0;
			if (ip_cmp16(v[i].lo, v[k - 1].hi) <= 0 ||
			    (!carry && ip_cmp16(v[i].lo, next) == 0)) {
				if (ip_cmp16(v[i].hi, v[k - 1].hi) > 0)
					memcpy(v[k - 1].hi, v[i].hi, 16);
				continue;
			}
		}
		v[k++] = v[i];
	}
	free(r->bad);
	r->bad = v;
	r->nbad = k;
	snprintf(r->bad_path, sizeof(r->bad_path), "%s", base ? base + 1 : path);
	return 0;
oom:
	snprintf(err, errcap, "%s: out of memory", path);
fail:
	fclose(f);
	free(v);
	return -1;
}
