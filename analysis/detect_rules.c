/*
 * detect_rules.c - the detections beside the per-source SSH rules of
 * detect.c: accounts, privilege, web attacks, collection health
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
 * judges each series at the end (see health_eval).
 *
 * Memory: held records at most max_held (about 40 bytes plus their strings,
 * key and aux cut at 128 bytes, ref at 256); states for the keys of one
 * flush (freed after it unless a burst is still open); seen sets up to
 * SEEN_MAX entries; health at most SERIES_MAX series of HOURS_MAX hours (4
 * bytes an hour). Cost: O(log n) per record to sort, O(ring) per record for
 * the distinct-source rule, a URL decode and substring scans per web event.
 */
#define _GNU_SOURCE		/* memmem, qsort_r */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "detect.h"
#include "detect_int.h"
#include "event.h"
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
#define URL_MAX 2048

enum rule {
	R_DIST, R_OFFHOURS, R_NEWCTRY, R_SUDO_DENIED, R_SUDO_FAIL, R_SUDO_FIRST,
	R_IAM_USER, R_IAM_GROUP, R_WEB_SQLI, R_WEB_XSS, R_WEB_TRAV, R_WEB_SENS,
	R_WEB_SCAN, R_WEB_ERR, R_COUNT
};

static const char *const rule_name[R_COUNT] = {
	"ssh_distributed_bruteforce", "ssh_privileged_offhours",
	"ssh_new_country", "sudo_not_in_sudoers", "sudo_auth_failures",
	"sudo_first_use", "iam_user_created", "iam_group_change", "web_sqli",
	"web_xss", "web_traversal", "web_sensitive_probe", "web_scanner",
	"web_error_burst",
};

/* Base severity of each rule (iam_group_change: per event, see below). */
static const int rule_sev[R_COUNT] = { 3, 2, 3, 2, 2, 2, 2, 1, 3, 2, 3, 2,
	2, 1 };

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
};

/* ---- small helpers ----------------------------------------------------- */

static int
span_has(struct omsec_span s, const char *lit)
{
	return memmem(s.p, s.n, lit, strlen(lit)) != NULL;
}

static void
fmt_dur(char *buf, size_t cap, int64_t ms)
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

static int
match_any(const char *s, size_t n, const char *const *pat)
{
	for (; *pat; pat++)
		if (memmem(s, n, *pat, strlen(*pat)) != NULL)
			return 1;
	return 0;
}

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
	if (o->timezone && *o->timezone &&
	    (r->tz = omsec_tz_new(o->timezone)) == NULL) {
		free(r);
		return NULL;
	}
	r->npriv = omsec_detect_names(&r->priv[0][0], sizeof(r->priv[0]),
	    (int)(sizeof(r->priv) / sizeof(r->priv[0])), o->privileged);
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
	default: return 1;
	}
}

static int
burst_close(struct omsec_rules *r, struct kstate *k)
{
	char expl[1024], dur[32], ent[KEY_MAX + HOST_MAX + 2];
	const char *etype = "src_ip";
	int rc = 0;

	if (!k->in_burst || !k->triggered)
		goto reset;
	fmt_dur(dur, sizeof(dur), k->last - k->first);
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
reset:
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
	uint64_t found[64];
	uint32_t nf = 0;

	if (cap > 64)
		cap = 64;
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
		if (burst_close(r, k) != 0)
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
	if (k->in_burst && c->ts - k->last > w && burst_close(r, k) != 0)
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
	if (c->rule == R_DIST && dset_add(k, h) != 0)
		return -1;
	if (k->triggered)
		return 0;
	if (need <= 1) {
		k->triggered = 1;
		return 0;
	}
	uint32_t max = (uint32_t)(need < RING_MAX ? need : RING_MAX);
	if (c->rule == R_DIST)
		max = RING_MAX;
	if (ring_push(k, c->ts, h, max) != 0)
		return -1;
	if (c->rule == R_DIST) {
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
			if (final || !k->in_burst ||
			    newest - k->last > window_of(r, k->rule)) {
				if (burst_close(r, k) != 0)
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
	if (r->alen + kn + an + hn + rn > r->acap) {
		size_t nc = r->acap ? 2 * r->acap : 4096;
		while (nc < r->alen + kn + an + hn + rn)
			nc *= 2;
		char *na = realloc(r->arena, nc);
		if (na == NULL)
			return -1;
		r->arena = na;
		r->acap = nc;
	}
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
	/* An empty span may have a NULL p: memcpy must not see it. */
	if (kn)
		memcpy(r->arena + r->alen, key.p, kn);
	if (an)
		memcpy(r->arena + r->alen + kn, aux.p, an);
	if (hn)
		memcpy(r->arena + r->alen + kn + an, host.p, hn);
	if (rn)
		memcpy(r->arena + r->alen + kn + an + hn, ref.p, rn);
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
	int n = snprintf(key, sizeof(key), "%.*s@%.*s", (int)(user.n < 63 ?
	    user.n : 63), user.p, (int)(host.n < 63 ? host.n : 63), host.p);

	return hold(r, rule, sev, ev->ts_ms, omsec_span_make(key, (size_t)n),
	    aux, host, ev->f[OMSEC_F_REF]);
}

/* ---- collection health -------------------------------------------------- */

static struct series *
series_get(struct omsec_rules *r, struct omsec_span host,
    struct omsec_span module, int with_module)
{
	char name[sizeof(r->ser->name)];
	int n;

	if (with_module)
		n = snprintf(name, sizeof(name), "%.*s/%.*s", (int)(host.n <
		    HOST_MAX - 1 ? host.n : HOST_MAX - 1), host.p, (int)(module.n <
		    HOST_MAX - 1 ? module.n : HOST_MAX - 1), module.p);
	else
		n = snprintf(name, sizeof(name), "%.*s", (int)(host.n <
		    HOST_MAX - 1 ? host.n : HOST_MAX - 1), host.p);
	struct series *c = r->last_ser[with_module];
	if (c && strcmp(c->name, name) == 0)
		return c;
	for (size_t i = 0; i < r->nser; i++)
		if (strcmp(r->ser[i].name, name) == 0)
			return r->last_ser[with_module] = &r->ser[i];
	if (r->nser == SERIES_MAX)
		return NULL;
	if (r->nser % 64 == 0) {
		struct series *ns = realloc(r->ser, (r->nser + 64) * sizeof(*ns));
		if (ns == NULL)
			return NULL;
		r->ser = ns;
		r->last_ser[0] = r->last_ser[1] = NULL;
	}
	c = &r->ser[r->nser++];
	memset(c, 0, sizeof(*c));
	memcpy(c->name, name, (size_t)n + 1);
	c->hostn = (uint8_t)(host.n < HOST_MAX - 1 ? host.n : HOST_MAX - 1);
	c->module = (uint8_t)with_module;
	c->h0 = INT64_MIN;
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

/* Counts one event in hour h; returns 0 or -1 (OOM). */
static int
series_count(struct series *s, int64_t h)
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
	s->cnt[i]++;
	return 0;
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
 * Finds the silent runs of s: at least silent_hours consecutive whole
 * hours (the first and last hour of the input are partial and not judged),
 * and at least silent_expected / median of them, with fewer events than
 * silent_below % of the series' median hourly count, for series whose
 * median is at least silent_min_rate. *median is set.
 */
static int
series_runs(struct omsec_rules *r, struct series *s, uint32_t *median)
{
	int64_t a = r->hmin + 1, b = r->hmax - 1, run = INT64_MIN;
	uint32_t *tmp;
	size_t nh;

	*median = 0;
	s->nruns = 0;
	if (b < a)
		return 0;
	/* Series keep HOURS_MAX hours: an input spanning years (a stamp
	 * of year 0 or 9999) must not make this sort 87 million hours. */
	if (b - a + 1 > HOURS_MAX)
		a = b - HOURS_MAX + 1;
	nh = (size_t)(b - a + 1);
	if ((tmp = malloc(nh * sizeof(*tmp))) == NULL)
		return -1;
	for (size_t i = 0; i < nh; i++)
		tmp[i] = hour_count(s, a + (int64_t)i);
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

	if (r->o.silent_hours <= 0 || r->nser == 0)
		return 0;
	if ((med = calloc(r->nser, sizeof(*med))) == NULL)
		return -1;
	for (size_t i = 0; i < r->nser; i++)
		if (series_runs(r, &r->ser[i], &med[i]) != 0) {
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
	const char *p = memmem(msg.p, msg.n, marker, strlen(marker));
	const char *e, *end = msg.p + msg.n;

	if (p == NULL)
		return omsec_span_make("", 0);
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
	if (match_any(norm, n, sqli_pat) &&
	    hold(r, R_WEB_SQLI, 3, ev->ts_ms, ip, url, host, ref) != 0)
		return -1;
	if (match_any(norm, n, xss_pat) &&
	    hold(r, R_WEB_XSS, 2, ev->ts_ms, ip, url, host, ref) != 0)
		return -1;
	if (match_any(norm, n, trav_pat) &&
	    hold(r, R_WEB_TRAV, 3, ev->ts_ms, ip, url, host, ref) != 0)
		return -1;
	if ((match_any(norm, path, sens_pat) ||
	    (path > 0 && norm[path - 1] == '~')) &&
	    hold(r, R_WEB_SENS, 2, ev->ts_ms, ip, url, host, ref) != 0)
		return -1;
	n = ua.n < sizeof(lua) - 1 ? ua.n : sizeof(lua) - 1;
	for (size_t i = 0; i < n; i++)
		lua[i] = (char)tolower((unsigned char)ua.p[i]);
	lua[n] = '\0';
	if (n && match_any(lua, n, scanner_pat) &&
	    hold(r, R_WEB_SCAN, 2, ev->ts_ms, ip, ua, host, ref) != 0)
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
	if (r->o.silent_hours > 0) {
		int64_t h = ev->ts_ms >= 0 ? ev->ts_ms / 3600000 :
		    -((-ev->ts_ms + 3599999) / 3600000);
		if (h < r->hmin)
			r->hmin = h;
		if (h > r->hmax)
			r->hmax = h;
		if (ev->f[OMSEC_F_HOST].n > 0) {
			if (series_count(series_get(r, ev->f[OMSEC_F_HOST], mod, 0), h) ||
			    series_count(series_get(r, ev->f[OMSEC_F_HOST], mod, 1), h))
				return -1;
		} else if (series_count(source_series(r, ev->f[OMSEC_F_REF]), h)) {
			return -1;
		}
	}
	if (omsec_span_eq(ev->f[OMSEC_F_CATEGORY], "web"))
		return web_event(r, ev);
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
			const char *c = memmem(msg.p, msg.n, "COMMAND=", 8);
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
	if (flush(r, 1) != 0)
		return -1;
	return health_eval(r);
}

/* ---- state file ----------------------------------------------------------- */

/*
 * #omsec-detect-state	1
 * since	2026-11-01T00:00:00.000Z
 * country	liyang@bastion01 internal
 * country	liyang@bastion01
 * sudo	zhangwei
 */
int
omsec_rules_state_load(struct omsec_rules *r, const char *path, char *err,
    size_t errcap)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	unsigned no = 0;

	if (f == NULL) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		size_t n = strcspn(line, "\n");
		char *tab;
		no++;
		line[n] = '\0';
		if (no == 1) {
			if (strcmp(line, "#omsec-detect-state\t1") != 0)
				goto bad;
			continue;
		}
		if ((tab = strchr(line, '\t')) == NULL)
			goto bad;
		*tab++ = '\0';
		if (strcmp(line, "since") == 0) {
			int64_t ms;
			int hz;
			if (omsec_parse_iso(&ms, &hz, omsec_span_cstr(tab)) != 0)
				goto bad;
			r->since = ms;
		} else if (strcmp(line, "country") == 0) {
			if (seen_add(&r->countries, tab) != 0)
				goto oom;
		} else if (strcmp(line, "sudo") == 0) {
			if (seen_add(&r->sudoers, tab) != 0)
				goto oom;
		} else {
			goto bad;
		}
	}
	fclose(f);
	return 0;
bad:
	fclose(f);
	snprintf(err, errcap, "%s:%u: not an omsec-detect-state v1 line", path, no);
	return -1;
oom:
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

int
omsec_rules_state_save(struct omsec_rules *r, const char *path)
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
	fputs("#omsec-detect-state\t1\n", f);
	if (since != INT64_MAX) {
		omsec_format_iso(iso, since);
		fprintf(f, "since\t%s\n", iso);
	}
	if (write_set(f, "country", &r->countries) != 0 ||
	    write_set(f, "sudo", &r->sudoers) != 0 || ferror(f) ||
	    fclose(f) != 0) {
		omsec_atomic_abort(&at);
		return -1;
	}
	return omsec_atomic_commit(&at);
}
