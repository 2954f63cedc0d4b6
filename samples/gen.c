/*
 * gen.c - one month of logs and service records of a fictional bank.
 *
 * What is made (see samples/README.md for the story and the file layout):
 *   logs/{web01,db01,bastion01}/auth.log*   RFC 3164, weekly rotation at
 *       Sunday 00:00 local, e.g.
 *       Nov  3 02:14:07 bastion01 sshd[40213]: Failed password for root from 218.92.0.107 port 52144 ssh2
 *   logs/web01/nginx/access.log*            nginx "combined", daily rotation, e.g.
 *       117.136.8.21 - - [03/Nov/2026:10:14:07 +0800] "GET / HTTP/1.1" 200 18342 "-" "Mozilla/5.0 ..."
 *   logs/gw01/kern.log*                     iptables LOG lines, weekly
 *   logs/ids01/suricata/eve.json*           Suricata EVE alerts, weekly
 *   logs/db02/mysql/general.log*            MySQL 8 general log, weekly
 *   ground-truth.tsv, tickets.csv, survey.csv, site.ini, bad-ranges.txt
 *
 * How: every part (cron, admin sessions, internet noise, visitors, each
 * attack) appends lines with their UTC second to the log set it belongs to.
 * Lines carry markers for what only the final order can decide (process ids,
 * logind session numbers grow with time; the nginx time field is rendered
 * late), then each set is sorted by (time, insertion order), cut at the
 * rotation boundaries and written; file times are set to the last line.
 * Local time is Asia/Shanghai, UTC+8 without DST since 1991, so a fixed
 * offset is exact.
 *
 * Cost: O(n log n) for n lines (sort). Memory: per line a 32-byte record
 * plus its text, for all seven log sets at once (about 45 MiB for a month).
 */
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <zlib.h>

#include "detect.h"
#include "gen.h"
#include "otime.h"

#define TZ_OFF (8 * 3600)
#define DAY 86400

/* Markers replaced when a line is written (never occur in log text). */
#define PID "\001"
#define SESS "\002"
#define NTIME "\003"
#define EVE_TIME "\004"		/* Suricata: local ISO 8601, microseconds, +0800 */
#define MY_TIME "\005"		/* MySQL: UTC ISO 8601, microseconds, Z */

/* ---------------------------------------------------------------- random */

/* xoshiro256** (Blackman and Vigna), seeded through splitmix64. */
struct rng {
	uint64_t s[4];
};

static uint64_t
splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A stream of its own per part name, so parts do not shift each other. */
static void
rng_init(struct rng *r, uint64_t seed, const char *name)
{
	uint64_t h = 1469598103934665603ULL, x;
	int i;

	for (; *name; name++) {
		h ^= (unsigned char)*name;
		h *= 1099511628211ULL;
	}
	x = seed ^ h;
	for (i = 0; i < 4; i++)
		r->s[i] = splitmix(&x);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

/* Uniform in [0, n) (Lemire's multiply; the bias is below 2^-32). */
static uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * n) >> 32);
}

static int
rng_range(struct rng *r, int lo, int hi)
{
	return lo + (int)rng_below(r, (uint32_t)(hi - lo + 1));
}

static double
rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static int
rng_chance(struct rng *r, double p)
{
	return rng_unit(r) < p;
}

/*
 * e^-x by its series, for 0 <= x <= 20: libm's exp may differ in the last
 * bit between C libraries, and the output must not.
 */
static double
exp_neg(double x)
{
	double sum = 1, term = 1;
	int k;

	for (k = 1; k < 80; k++) {
		term *= x / k;
		sum += term;
	}
	return 1 / sum;
}

/* Poisson-distributed count with mean lambda (Knuth; lambda small). */
static int
rng_poisson(struct rng *r, double lambda)
{
	double l, p = 1;
	int k = 0;

	if (lambda <= 0)
		return 0;
	l = exp_neg(lambda > 20 ? 20 : lambda);
	do {
		k++;
		p *= rng_unit(r);
	} while (p > l);
	return k - 1;
}

#define PICK(r, arr) ((arr)[rng_below((r), (uint32_t)(sizeof(arr) / sizeof((arr)[0])))])
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------ log sets */

struct rec {
	int64_t t;		/* UTC seconds */
	uint32_t seq;		/* insertion order: ties keep causal order */
	uint32_t off, len;	/* text in the set's arena */
	uint32_t pk, sk;	/* process and session keys, 0 = none */
};

struct logset {
	const char *host;
	const char *dir;	/* under logs/ */
	const char *base;	/* auth.log, access.log */
	int nginx;		/* nginx combined (else RFC 3164) */
	int raw;		/* the line carries its own time (EVE_TIME, MY_TIME) */
	int daily;		/* daily rotation (else weekly, Sunday) */
	int logind_pid;
	struct rec *r;
	size_t n, cap;
	char *a;
	size_t alen, acap;
	uint32_t npk, nsk;
};

struct truth {
	const char *kind;
	char ip[16];
	char target[64];
	int64_t first, last;
	int64_t lines, attempts;
	char rules[128];	/* the rules that must alert on it, kind first */
	int64_t afirst;		/* the first event the kind's rule counts, or 0 */
	uint32_t aseq;		/* ... its line (for the microseconds) */
	int araw;		/* ... in a set whose lines carry microseconds */
	int64_t errt[20];	/* last 4xx/5xx response times (web) */
	int nerr, err_burst;	/* >= 20 of them within 60 s: an error burst */
};

#define MAX_TRUTH 48
#define MAX_TICKETS 64

/*
 * An alert a ticket responds to: the id is omsec_alert_id(rule, entity,
 * first), first in milliseconds as omsec-detect will see it; for lines with
 * microseconds, write_set fills us in when it renders line seq.
 */
struct alink {
	const char *rule;
	char entity[64];
	int64_t t;
	uint32_t seq, us;
	int raw;
};
#define MAX_LINKS 64

/* A service ticket; times in UTC seconds, -1 = not yet. */
struct ticket {
	int64_t opened, ack, res;
	int prio;		/* 0 urgent, 1 high, 2 medium, 3 low */
	const char *category, *asset;
	char summary[256];
	int link[4], nlink;	/* into gen.links */
};
#define NOISE_POOL 700

enum { H_WEB, H_DB, H_BASTION, NHOST };

struct gen {
	const struct omsec_samplegen_opts *o;
	int64_t t0, t1;		/* the month in UTC seconds, [t0, t1) */
	int64_t day0;		/* day number of the 1st (local) */
	int ndays;
	int oom;
	uint32_t seq;
	struct logset auth[NHOST];
	struct logset web;
	struct logset fw, ids, my;	/* gw01 kern.log, eve.json, db02 MySQL */
	struct truth truth[MAX_TRUTH];
	int ntruth;
	struct truth *cur;	/* attack being injected, or NULL */
	struct ticket *tickets;	/* MAX_TICKETS */
	int ntickets;
	struct alink links[MAX_LINKS];
	int nlinks;
	char noise_ip[NOISE_POOL][16];
	int64_t noise_last[NHOST][NOISE_POOL];
	int64_t fw_last[NOISE_POOL], ids_last[NOISE_POOL];
};

static void truth_mark(struct gen *g, struct truth *tr, int64_t t, int raw);

static uint32_t
new_pid(struct logset *s)
{
	return ++s->npk;
}

static uint32_t
new_sess(struct logset *s)
{
	return ++s->nsk;
}

/*
 * Appends one line at UTC second t. Lines outside the month are dropped
 * (a session that began on the last evening is cut where the collection
 * was taken). Returns 1 if the line was kept. While an attack is being
 * injected (g->cur), a kept line counts towards its ground truth: callers
 * pass only lines that name the attacker's address there.
 */
static int
vemit(struct gen *g, struct logset *s, int64_t t, uint32_t pk, uint32_t sk,
    int count, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	if (g->oom || t < g->t0 || t >= g->t1)
		return 0;
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 8192;
		struct rec *nr = realloc(s->r, nc * sizeof(*nr));

		if (!nr) {
			g->oom = 1;
			return 0;
		}
		s->r = nr;
		s->cap = nc;
	}
	for (;;) {
		size_t room = s->acap - s->alen;

		va_copy(aq, ap);
		n = vsnprintf(s->a ? s->a + s->alen : NULL, s->a ? room : 0, fmt, aq);
		va_end(aq);
		if (n < 0) {
			g->oom = 1;
			return 0;
		}
		if (s->a && (size_t)n < room)
			break;
		{
			size_t nc = s->acap ? s->acap * 2 : 1 << 20;
			char *na;

			while (nc - s->alen <= (size_t)n)
				nc *= 2;
			if (nc > UINT32_MAX || !(na = realloc(s->a, nc))) {
				g->oom = 1;
				return 0;
			}
			s->a = na;
			s->acap = nc;
		}
	}
	s->r[s->n].t = t;
	s->r[s->n].seq = g->seq++;
	s->r[s->n].off = (uint32_t)s->alen;
	s->r[s->n].len = (uint32_t)n;
	s->r[s->n].pk = pk;
	s->r[s->n].sk = sk;
	s->n++;
	s->alen += (size_t)n;
	if (count && g->cur) {
		struct truth *tr = g->cur;

		if (tr->lines == 0 || t < tr->first)
			tr->first = t;
		if (t > tr->last)
			tr->last = t;
		tr->lines++;
	}
	return 1;
}

/* A line that does not belong to an attack's count. */
static int
emit(struct gen *g, struct logset *s, int64_t t, uint32_t pk, uint32_t sk,
    const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vemit(g, s, t, pk, sk, 0, fmt, ap);
	va_end(ap);
	return r;
}

/* A line naming the attacker's address: counted in g->cur. */
static int
aemit(struct gen *g, struct logset *s, int64_t t, uint32_t pk,
    const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vemit(g, s, t, pk, 0, 1, fmt, ap);
	va_end(ap);
	return r;
}

/* ---------------------------------------------------------------- time */

/* UTC second of local day index d (0 = the 1st) at h:m:s. */
static int64_t
at(const struct gen *g, int d, int h, int m, int s)
{
	return (g->day0 + d) * DAY + h * 3600 + m * 60 + s - TZ_OFF;
}

/*
 * A random second of local day d between hlo:00:00 and hhi:59:59. The
 * draws are sequenced here: C leaves the order in which function arguments
 * are evaluated open (gcc and clang differ), so two draws must never be
 * arguments of one call.
 */
static int64_t
at_rand(const struct gen *g, struct rng *r, int d, int hlo, int hhi)
{
	int h = rng_range(r, hlo, hhi);
	int m = rng_range(r, 0, 59);
	int sec = rng_range(r, 0, 59);

	return at(g, d, h, m, sec);
}

static int
wday_of(const struct gen *g, int d)
{
	return omsec_weekday(g->day0 + d);
}

static int
is_weekend(const struct gen *g, int d)
{
	int w = wday_of(g, d);

	return w == 0 || w == 6;
}

static const char *const mon_abbr[12] = { "Jan", "Feb", "Mar", "Apr", "May",
	"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

struct lt {
	int y, mo, d, h, mi, s;
};

static void
local_of(struct lt *c, int64_t t)
{
	int64_t l = t + TZ_OFF, days = l / DAY, sod = l % DAY;

	if (sod < 0) {
		sod += DAY;
		days--;
	}
	omsec_civil_from_days(days, &c->y, &c->mo, &c->d);
	c->h = (int)(sod / 3600);
	c->mi = (int)(sod / 60 % 60);
	c->s = (int)(sod % 60);
}

static void
iso_utc(char buf[25], int64_t t)
{
	omsec_format_iso(buf, t * 1000);
}

/* Office activity by local hour, 0..1 (weekends much quieter). */
static double
office_weight(int hour, int weekend)
{
	static const double wd[24] = { .02, .01, .01, .01, .01, .02, .03, .1,
		.5, 1, 1, 1, .6, .8, 1, 1, 1, 1, .5, .25, .2, .15, .06, .03 };

	return weekend ? (hour >= 9 && hour <= 21 ? .06 : .015) : wd[hour];
}

/* Public web visitors by local hour, 0..1 (evening peak, quiet at 3-5). */
static double
web_weight(int hour, int weekend)
{
	static const double w[24] = { .12, .07, .04, .03, .03, .05, .15, .35,
		.6, .9, 1, .95, .7, .8, .95, 1, .9, .7, .6, .7, .85, .8, .5, .25 };

	return w[hour] * (weekend ? .7 : 1);
}

/* --------------------------------------------------------------- hosts */

struct user {
	const char *name;
	int uid;
	const char *ws;		/* office workstation */
};

static const struct user admins[] = {
	{ "zhangwei", 1001, "10.20.10.31" },	/* customer system admin */
	{ "liyang", 1002, "10.20.10.45" },	/* customer network/system */
	{ "wangfang", 1003, "10.20.10.52" },	/* customer DBA */
	{ "chenjie", 1004, "10.20.10.88" },	/* provider on-site engineer */
	{ "sunhao", 1005, "10.20.10.89" },	/* provider engineer */
	{ "zhaolei", 1011, "10.20.11.17" },	/* developer, not a sudoer */
};

#define BASTION_IP "10.20.1.10"
#define JENKINS_IP "10.20.5.21"
#define BACKUP_IP "10.20.6.15"
#define PROBE_IP "10.20.0.5"

static const char *const sudo_web[] = {
	"/usr/bin/systemctl restart nginx", "/usr/bin/systemctl reload nginx",
	"/usr/sbin/nginx -t", "/usr/bin/tail -n 200 /var/log/nginx/error.log",
	"/usr/bin/apt-get update", "/usr/bin/apt-get -y upgrade",
	"/usr/bin/vim /etc/nginx/conf.d/portal.conf",
	"/usr/bin/journalctl -u nginx --since today", "/usr/bin/df -h",
	"/usr/bin/less /var/log/auth.log",
};
static const char *const sudo_db[] = {
	"/usr/bin/systemctl status postgresql@15-main", "/usr/bin/su - postgres",
	"/usr/bin/df -h /var/lib/postgresql",
	"/usr/bin/tail -n 100 /var/log/postgresql/postgresql-15-main.log",
	"/usr/bin/vim /etc/postgresql/15/main/postgresql.conf",
	"/usr/bin/systemctl reload postgresql@15-main", "/usr/bin/apt-get update",
};
static const char *const sudo_bastion[] = {
	"/usr/bin/less /var/log/auth.log", "/usr/bin/last -n 20",
	"/usr/bin/systemctl status ssh", "/usr/bin/apt-get update",
	"/usr/bin/journalctl -u ssh --since yesterday",
};

/* A stable fake host-key fingerprint per user (43 base64 characters). */
static void
fingerprint(char out[44], const char *user)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct rng r;
	int i;

	rng_init(&r, 0x5eed, user);
	for (i = 0; i < 43; i++)
		out[i] = b64[rng_below(&r, 64)];
	out[43] = '\0';
}

static int
rand_port(struct rng *r)
{
	return rng_range(r, 32768, 60999);
}


/* --------------------------------------------------------- sshd pieces */

/*
 * One login that succeeds: Accepted ..., the PAM and logind session lines,
 * and dur seconds later the disconnect. Lines naming ip go through aemit,
 * so they count when the login is part of an attack.
 */
static void
ssh_session(struct gen *g, struct logset *s, struct rng *r, int64_t t,
    int64_t dur, const char *user, int uid, const char *ip, int password)
{
	uint32_t pk = new_pid(s), sk = new_sess(s);
	int port = rand_port(r);
	int64_t e = t + dur;
	char fp[44];

	if (password)
		aemit(g, s, t, pk, "sshd[" PID "]: Accepted password for %s from %s port %d ssh2",
		    user, ip, port);
	else {
		fingerprint(fp, user);
		aemit(g, s, t, pk, "sshd[" PID "]: Accepted publickey for %s from %s port %d ssh2: ED25519 SHA256:%s",
		    user, ip, port, fp);
	}
	emit(g, s, t, pk, 0, "sshd[" PID "]: pam_unix(sshd:session): session opened for user %s(uid=%d) by (uid=0)",
	    user, uid);
	emit(g, s, t, 0, sk, "systemd-logind[%d]: New session " SESS " of user %s.",
	    s->logind_pid, user);
	aemit(g, s, e, pk, "sshd[" PID "]: Received disconnect from %s port %d:11: disconnected by user",
	    ip, port);
	aemit(g, s, e, pk, "sshd[" PID "]: Disconnected from user %s %s port %d", user, ip, port);
	emit(g, s, e, pk, 0, "sshd[" PID "]: pam_unix(sshd:session): session closed for user %s", user);
	emit(g, s, e, 0, sk, "systemd-logind[%d]: Session " SESS " logged out. Waiting for processes to exit.",
	    s->logind_pid);
	emit(g, s, e, 0, sk, "systemd-logind[%d]: Removed session " SESS ".", s->logind_pid);
}

/* sudo as Debian 12's sudo 1.9 logs it: the user right-aligned in 8. */
static void
sudo_cmd(struct gen *g, struct logset *s, struct rng *r, int64_t t,
    const char *user, int uid, const char *tty, const char *cmd)
{
	const char *pwd = "/home/";

	if (strstr(cmd, "nginx") && rng_chance(r, .2))
		pwd = "/etc/nginx";
	emit(g, s, t, 0, 0, "sudo: %8s : TTY=%s ; PWD=%s%s ; USER=root ; COMMAND=%s",
	    user, tty, pwd, pwd[1] == 'h' ? user : "", cmd);
	emit(g, s, t, 0, 0, "sudo: pam_unix(sudo:session): session opened for user root(uid=0) by %s(uid=%d)",
	    user, uid);
	emit(g, s, t + rng_range(r, 0, 40), 0, 0,
	    "sudo: pam_unix(sudo:session): session closed for user root");
}

/* Counted: an attack's attempt to use sudo without the right. */
static void
sudo_denied(struct gen *g, struct logset *s, int64_t t, const char *user,
    int pts, const char *cmd)
{
	aemit(g, s, t, 0, "sudo: %8s : user NOT in sudoers ; TTY=pts/%d ; PWD=/home/%s ; USER=root ; COMMAND=%s",
	    user, pts, user, cmd);
}

/*
 * One connection of failed password attempts against user (invalid: no
 * such account), as OpenSSH 9.2 with UsePAM logs it. Every line but PAM's
 * "check pass; user unknown" names ip. Adds the "Failed password" lines
 * to *fails; returns the time after the connection.
 */
static int64_t
ssh_fail_conn(struct gen *g, struct logset *s, struct rng *r, int64_t t,
    const char *user, int invalid, const char *ip, int tries, int gap_lo,
    int gap_hi, int64_t *fails)
{
	uint32_t pk = new_pid(s);
	int port = rand_port(r), i;
	char who[96], disc[128];

	snprintf(who, sizeof(who), "%s%s", invalid ? "invalid user " : "", user);
	snprintf(disc, sizeof(disc), "%s%s", invalid ? "" : "authenticating user ", who);
	if (invalid) {
		aemit(g, s, t, pk, "sshd[" PID "]: Invalid user %s from %s port %d", user, ip, port);
		emit(g, s, t + 1, pk, 0, "sshd[" PID "]: pam_unix(sshd:auth): check pass; user unknown");
		aemit(g, s, t + 1, pk, "sshd[" PID "]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s ",
		    ip);
	} else {
		aemit(g, s, t + 1, pk, "sshd[" PID "]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=%s",
		    ip, user);
	}
	t += 2;
	for (i = 0; i < tries; i++) {
		aemit(g, s, t, pk, "sshd[" PID "]: Failed password for %s from %s port %d ssh2", who, ip, port);
		if (fails && g->cur && fails == &g->cur->attempts)
			truth_mark(g, g->cur, t, 0);
		if (fails)
			(*fails)++;
		if (i + 1 < tries)
			t += rng_range(r, gap_lo, gap_hi);
	}
	if (tries >= 6) {
		aemit(g, s, t, pk, "sshd[" PID "]: error: maximum authentication attempts exceeded for %s from %s port %d ssh2 [preauth]",
		    who, ip, port);
		aemit(g, s, t, pk, "sshd[" PID "]: Disconnecting %s %s port %d: Too many authentication failures [preauth]",
		    disc, ip, port);
	} else if (rng_chance(r, .5)) {
		aemit(g, s, t + 1, pk, "sshd[" PID "]: Received disconnect from %s port %d:11: Bye Bye [preauth]",
		    ip, port);
		aemit(g, s, t + 1, pk, "sshd[" PID "]: Disconnected from %s %s port %d [preauth]",
		    disc, ip, port);
	} else {
		aemit(g, s, t + 1, pk, "sshd[" PID "]: Connection closed by %s %s port %d [preauth]",
		    disc, ip, port);
	}
	if (tries > 1)
		aemit(g, s, t + 1, pk, "sshd[" PID "]: PAM %d more authentication failure%s; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s%s%s",
		    tries - 1, tries > 2 ? "s" : "", ip, invalid ? " " : "  user=",
		    invalid ? "" : user);
	return t + 2;
}

/* ------------------------------------------------------ background: auth */

static void
cron_run(struct gen *g, struct logset *s, struct rng *r, int64_t t,
    const char *user, int uid, int secs)
{
	uint32_t pk = new_pid(s);

	emit(g, s, t, pk, 0, "CRON[" PID "]: pam_unix(cron:session): session opened for user %s(uid=%d) by (uid=0)",
	    user, uid);
	emit(g, s, t + secs, pk, 0, "CRON[" PID "]: pam_unix(cron:session): session closed for user %s", user);
}

/* The crontabs of the three servers (Debian's hourly/daily plus site jobs). */
static void
gen_cron(struct gen *g)
{
	int h, d, hr, mi;
	struct rng r;

	rng_init(&r, g->o->seed, "cron");
	for (d = 0; d < g->ndays; d++)
		for (hr = 0; hr < 24; hr++)
			for (mi = 0; mi < 60; mi++)
				for (h = 0; h < NHOST; h++) {
					struct logset *s = &g->auth[h];
					int64_t t = at(g, d, hr, mi, rng_range(&r, 0, 1));

					if (mi == 17)
						cron_run(g, s, &r, t, "root", 0, rng_range(&r, 0, 1));
					if (hr == 6 && mi == 25)
						cron_run(g, s, &r, t, "root", 0, rng_range(&r, 20, 240));
					if (h == H_WEB && mi % 10 == 3)
						cron_run(g, s, &r, t, "root", 0, rng_range(&r, 0, 2));
					if (h == H_DB && mi % 5 == 0)
						cron_run(g, s, &r, t, "postgres", 108, rng_range(&r, 0, 3));
					if (h == H_BASTION && mi % 15 == 7)
						cron_run(g, s, &r, t, "root", 0, rng_range(&r, 0, 2));
				}
}

/* A local hour drawn with the office rhythm (rejection sampling). */
static int
office_hour(struct rng *r, int weekend)
{
	int i, h = 10;

	for (i = 0; i < 200; i++) {
		h = rng_range(r, 0, 23);
		if (rng_unit(r) < office_weight(h, weekend))
			break;
	}
	return h;
}

/* A hop from the bastion to web01 or db01, with some sudo inside. */
static void
gen_hop(struct gen *g, struct rng *r, int host, const struct user *u,
    int64_t t, int64_t dur)
{
	struct logset *s = &g->auth[host];
	char tty[16];
	int k, n;

	ssh_session(g, s, r, t, dur, u->name, u->uid, BASTION_IP, 0);
	if (u->uid == 1011)	/* zhaolei has no sudo */
		return;
	snprintf(tty, sizeof(tty), "pts/%d", rng_range(r, 0, 2));
	n = rng_range(r, 0, 3);
	for (k = 0; k < n; k++) {
		int64_t ts = t + 20 + rng_below(r, (uint32_t)(dur > 60 ? dur - 40 : 20));
		const char *cmd = host == H_WEB ? PICK(r, sudo_web) : PICK(r, sudo_db);

		sudo_cmd(g, s, r, ts, u->name, u->uid, tty, cmd);
	}
}

/* Admins log in to the bastion from their desks (or the VPN off hours). */
static void
gen_admins(struct gen *g)
{
	static const int lo[] = { 1, 1, 1, 2, 0, 0 }, hi[] = { 4, 3, 3, 5, 2, 2 };
	struct rng r;
	int d, ui, k;

	rng_init(&r, g->o->seed, "admins");
	for (d = 0; d < g->ndays; d++) {
		int we = is_weekend(g, d);

		for (ui = 0; ui < (int)NELEM(admins); ui++) {
			const struct user *u = &admins[ui];
			int n = we ? rng_chance(&r, .12) : rng_range(&r, lo[ui], hi[ui]);

			for (k = 0; k < n; k++) {
				int hr = office_hour(&r, we);
				int64_t t = at_rand(g, &r, d, hr, hr);
				double x = rng_unit(&r);
				int64_t dur = 240 + (int64_t)(x * x * 9000);
				char vpn[16];
				const char *src = u->ws;
				struct logset *b = &g->auth[H_BASTION];
				int pw = u->uid == 1002 && rng_chance(&r, .3);
				int hops, j;

				if (we || hr < 8 || hr > 19) {
					snprintf(vpn, sizeof(vpn), "10.20.200.%d", 10 + u->uid % 50);
					src = vpn;
				}
				if (pw && rng_chance(&r, .2)) {
					/* A mistyped password before the right one. */
					uint32_t pk = new_pid(b);
					int port = rand_port(&r);

					emit(g, b, t - 6, pk, 0, "sshd[" PID "]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=%s",
					    src, u->name);
					emit(g, b, t - 6, pk, 0, "sshd[" PID "]: Failed password for %s from %s port %d ssh2",
					    u->name, src, port);
					emit(g, b, t - 1, pk, 0, "sshd[" PID "]: Connection closed by authenticating user %s %s port %d [preauth]",
					    u->name, src, port);
				}
				ssh_session(g, b, &r, t, dur, u->name, u->uid, src, pw);
				if (ui < 2 && rng_chance(&r, .2)) {
					int64_t ts = t + rng_range(&r, 30, 200);

					sudo_cmd(g, b, &r, ts, u->name, u->uid, "pts/0", PICK(&r, sudo_bastion));
				}
				hops = u->uid == 1004 ? 2 : rng_range(&r, 0, 2);
				for (j = 0; j < hops; j++) {
					int host;
					int64_t hs = t + 30 + rng_below(&r, (uint32_t)(dur / 3));
					int64_t hd = 60 + rng_below(&r, (uint32_t)(t + dur - hs - 70 > 0 ? t + dur - hs - 70 : 30));

					switch (u->uid) {
					case 1001: host = rng_chance(&r, .7) ? H_WEB : H_DB; break;
					case 1003: host = rng_chance(&r, .9) ? H_DB : H_WEB; break;
					case 1004: host = j == 0 ? H_WEB : H_DB; break;
					case 1011: host = H_WEB; break;
					default: host = rng_chance(&r, .5) ? H_WEB : H_DB; break;
					}
					gen_hop(g, &r, host, u, hs, hd);
				}
			}
		}
		/* Deployments from Jenkins on working days. */
		if (!we) {
			int n = rng_range(&r, 0, 3);

			for (k = 0; k < n; k++) {
				int64_t t = at_rand(g, &r, d, 10, 17);
				int64_t dur = rng_range(&r, 20, 90);

				ssh_session(g, &g->auth[H_WEB], &r, t, dur, "deploy", 1010, JENKINS_IP, 0);
				sudo_cmd(g, &g->auth[H_WEB], &r, t + dur - 5, "deploy", 1010, "unknown",
				    "/usr/bin/systemctl reload nginx");
			}
		}
		/* The nightly database backup pulls over ssh. */
		{
			int64_t t = at(g, d, 2, 30, rng_range(&r, 0, 200));
			int64_t dur = rng_range(&r, 480, 1500);

			ssh_session(g, &g->auth[H_DB], &r, t, dur, "backup", 1020, BACKUP_IP, 0);
		}
	}
}

/* ------------------------------------------------- background: internet */

struct range {
	const char *base;
	int prefix;
	int weight;
};

/*
 * Address ranges of well-known providers in many countries (CN, HK, RU,
 * US, NL, BR, VN, IN, KR, DE), so GeoIP data has something to say.
 * Attackers below use other ranges: no noise address is an attacker's.
 */
static const struct range noise_ranges[] = {
	{ "222.186.0.0", 16, 6 }, { "121.36.0.0", 16, 3 }, { "47.92.0.0", 14, 4 },
	{ "119.29.0.0", 16, 2 }, { "95.213.0.0", 16, 3 }, { "77.88.0.0", 18, 1 },
	{ "167.99.0.0", 16, 3 }, { "143.198.0.0", 16, 2 }, { "45.33.0.0", 17, 2 },
	{ "188.166.0.0", 16, 3 }, { "177.126.0.0", 16, 2 }, { "187.45.0.0", 16, 1 },
	{ "14.161.0.0", 16, 2 }, { "113.161.0.0", 16, 2 }, { "49.36.0.0", 16, 2 },
	{ "182.75.0.0", 16, 1 }, { "121.130.0.0", 16, 2 }, { "211.36.0.0", 16, 1 },
	{ "78.46.0.0", 15, 2 }, { "116.202.0.0", 16, 1 }, { "159.69.0.0", 16, 1 },
};

static uint32_t
ip4_parse(const char *s)
{
	unsigned a, b, c, d;

	if (sscanf(s, "%u.%u.%u.%u", &a, &b, &c, &d) != 4)
		return 0;
	return a << 24 | b << 16 | c << 8 | d;
}

/* A random host address (not .0 or .255) in base/prefix. */
static void
ip_in(char out[16], struct rng *r, const char *base, int prefix)
{
	uint32_t b = ip4_parse(base), span = prefix >= 32 ? 1 : 1u << (32 - prefix), a;

	/* Every range used is /24 or wider: skip network and broadcast-like. */
	do
		a = b + rng_below(r, span);
	while ((a & 255) == 0 || (a & 255) == 255);
	snprintf(out, 16, "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255);
}

static void
make_noise_pool(struct gen *g)
{
	struct rng r;
	int i, j, total = 0;

	for (j = 0; j < (int)NELEM(noise_ranges); j++)
		total += noise_ranges[j].weight;
	rng_init(&r, g->o->seed, "noise-pool");
	for (i = 0; i < NOISE_POOL; i++) {
		int x = (int)rng_below(&r, (uint32_t)total);
		int dup;

		for (j = 0; x >= noise_ranges[j].weight; j++)
			x -= noise_ranges[j].weight;
		do {
			int k;

			ip_in(g->noise_ip[i], &r, noise_ranges[j].base, noise_ranges[j].prefix);
			dup = 0;
			for (k = 0; k < i; k++)
				if (strcmp(g->noise_ip[k], g->noise_ip[i]) == 0)
					dup = 1;
		} while (dup);
	}
	for (j = 0; j < NHOST; j++)
		for (i = 0; i < NOISE_POOL; i++)
			g->noise_last[j][i] = INT64_MIN / 2;
	for (i = 0; i < NOISE_POOL; i++)
		g->fw_last[i] = g->ids_last[i] = INT64_MIN / 2;
}

static const char *const noise_users[] = {
	"admin", "test", "user", "ubuntu", "oracle1", "git", "ftpuser", "guest",
	"pi", "support", "hadoop", "es", "minecraft", "steam", "1234", "postgres",
	"mysql", "demo", "dev", "server", "centos", "debian", "vagrant", "jenkins",
	"nagios", "tomcat", "www", "ftp", "student", "teamspeak", "ts3", "odoo",
	"sol", "solana", "validator", "docker", "user1", "admin1", "administrator",
};

/*
 * Low-rate internet noise against an exposed sshd: each connection makes
 * at most 2 password attempts, and one address is not seen twice on a host
 * within 30 minutes, so no noise source crosses a brute-force threshold.
 */
static void
gen_noise(struct gen *g, int host, double per_hour, const char *name)
{
	struct logset *s = &g->auth[host];
	struct rng r;
	int d, m;

	rng_init(&r, g->o->seed, name);
	for (d = 0; d < g->ndays; d++) {
		double mult = .6 + rng_unit(&r) * .9;

		for (m = 0; m < 1440; m++) {
			int k, n = rng_poisson(&r, per_hour * mult / 60);

			for (k = 0; k < n; k++) {
				int64_t t = at(g, d, m / 60, m % 60, rng_range(&r, 0, 59));
				int idx = -1, tries, port = rand_port(&r);
				const char *ip;
				uint32_t pk;
				double kind;

				for (tries = 0; tries < 10; tries++) {
					double u = rng_unit(&r);
					int i = (int)(u * u * NOISE_POOL);

					if (t - g->noise_last[host][i] >= 1800) {
						idx = i;
						break;
					}
				}
				if (idx < 0)
					continue;
				g->noise_last[host][idx] = t;
				ip = g->noise_ip[idx];
				kind = rng_unit(&r);
				if (kind < .35) {
					ssh_fail_conn(g, s, &r, t, "root", 0, ip, rng_range(&r, 1, 2), 2, 5, NULL);
				} else if (kind < .65) {
					ssh_fail_conn(g, s, &r, t, PICK(&r, noise_users), 1, ip, 1, 2, 5, NULL);
				} else if (kind < .72) {
					const char *nu = PICK(&r, noise_users);

					pk = new_pid(s);
					emit(g, s, t, pk, 0, "sshd[" PID "]: Invalid user %s from %s port %d",
					    nu, ip, port);
					emit(g, s, t + 1, pk, 0, "sshd[" PID "]: Connection closed by invalid user %s %s port %d [preauth]",
					    nu, ip, port);
				} else if (kind < .86) {
					pk = new_pid(s);
					emit(g, s, t, pk, 0, "sshd[" PID "]: Connection closed by %s port %d [preauth]", ip, port);
				} else if (kind < .93) {
					pk = new_pid(s);
					emit(g, s, t, pk, 0, "sshd[" PID "]: error: kex_exchange_identification: Connection closed by remote host");
					emit(g, s, t, pk, 0, "sshd[" PID "]: Connection closed by %s port %d", ip, port);
				} else if (kind < .97) {
					pk = new_pid(s);
					emit(g, s, t, pk, 0, "sshd[" PID "]: banner exchange: Connection from %s port %d: invalid format", ip, port);
				} else {
					pk = new_pid(s);
					emit(g, s, t, pk, 0, "sshd[" PID "]: Unable to negotiate with %s port %d: no matching key exchange method found. Their offer: diffie-hellman-group14-sha1,diffie-hellman-group-exchange-sha1,diffie-hellman-group1-sha1 [preauth]",
					    ip, port);
				}
			}
		}
	}
}

/* ---------------------------------------------------------- background: web */

#define SITE "https://www.donghai-bank.example"

struct page {
	const char *path;
	int bytes, jitter, weight;
};

/* The portal's pages: a "%d" takes a news id, a "%s" a search word. */
static const struct page pages[] = {
	{ "/", 18342, 400, 30 }, { "/about/", 9120, 0, 4 },
	{ "/about/history.html", 11873, 0, 2 }, { "/news/", 14230, 300, 10 },
	{ "/news/detail?id=%d", 8000, 4000, 14 },
	{ "/products/deposit.html", 12044, 0, 8 },
	{ "/products/loan.html", 13590, 0, 7 },
	{ "/products/wealth.html", 15211, 0, 9 },
	{ "/products/card.html", 12876, 0, 6 }, { "/rates.html", 7345, 0, 8 },
	{ "/branches/", 10422, 0, 5 }, { "/branches/search?district=%s", 6000, 2500, 3 },
	{ "/contact.html", 6120, 0, 3 }, { "/notice/", 9333, 200, 5 },
	{ "/careers/", 8420, 0, 2 }, { "/download/app.html", 7012, 0, 3 },
	{ "/search?q=%s", 5000, 3000, 4 },
};

static const struct {
	const char *path;
	int bytes;
} assets[] = {
	{ "/static/css/main.8c1f2a.css", 48213 },
	{ "/static/js/vendor.3b9e71.js", 183406 },
	{ "/static/js/app.f04d2c.js", 62877 },
	{ "/static/img/logo.svg", 5821 },
	{ "/static/img/banner-2611.jpg", 214733 },
	{ "/static/fonts/iconfont.woff2", 18344 },
	{ "/favicon.ico", 4286 },
};

static const char *const search_words[] = {
	"%E5%AD%98%E6%AC%BE%E5%88%A9%E7%8E%87",	/* 存款利率 */
	"%E4%BF%A1%E7%94%A8%E5%8D%A1",		/* 信用卡 */
	"%E7%BD%91%E7%82%B9",			/* 网点 */
	"%E7%90%86%E8%B4%A2%E4%BA%A7%E5%93%81",	/* 理财产品 */
	"%E8%B4%B7%E6%AC%BE",			/* 贷款 */
	"%E6%89%8B%E6%9C%BA%E9%93%B6%E8%A1%8C",	/* 手机银行 */
	"%E5%A4%96%E6%B1%87%E7%89%8C%E4%BB%B7",	/* 外汇牌价 */
	"%E5%A4%A7%E9%A2%9D%E5%AD%98%E5%8D%95",	/* 大额存单 */
};
static const char *const districts[] = { "xinhu", "binjiang", "donggang",
	"gaoxin", "haishu", "nanshan" };

struct ua {
	const char *s;
	int mobile, iphone, weight;
};

static const struct ua uas[] = {
	{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36", 0, 0, 22 },
	{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0", 0, 0, 10 },
	{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0", 0, 0, 3 },
	{ "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", 0, 0, 4 },
	{ "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", 1, 1, 14 },
	{ "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.53(0x18003531) NetType/WIFI Language/zh_CN", 1, 1, 12 },
	{ "Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.6668.100 Mobile Safari/537.36", 1, 0, 12 },
	{ "Mozilla/5.0 (Linux; Android 12; HarmonyOS; NOH-AN00; HMSCore 6.14.0.302) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.5735.196 HuaweiBrowser/15.0.4.312 Mobile Safari/537.36", 1, 0, 9 },
	{ "Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/108.0.0.0 Safari/537.36 QIHU 360SE", 0, 0, 4 },
};

/* Chinese consumer networks the portal's public visitors come from. */
static const char *const visitor_nets[] = { "117.136.0.0", "223.104.0.0",
	"183.192.0.0", "101.80.0.0", "180.166.0.0", "114.86.0.0", "58.33.0.0",
	"36.110.0.0" };

static void
web_line(struct gen *g, int64_t t, const char *ip, const char *method,
    const char *url, const char *proto, int status, int bytes,
    const char *ref, const char *ua)
{
	struct truth *tr = g->cur;

	if (aemit(g, &g->web, t, 0, "%s - - [" NTIME "] \"%s %s %s\" %d %d \"%s\" \"%s\"",
	    ip, method, url, proto, status, bytes, ref, ua) && tr && status >= 400) {
		/*
		 * The attack's responses in error: 20 of them within 60 s is a
		 * burst by the site's documented default (web_errors), so its
		 * ground truth also expects web_error_burst. Attacks emit in
		 * time order, so the ring holds the last 20.
		 */
		tr->errt[tr->nerr % 20] = t;
		tr->nerr++;
		if (tr->nerr >= 20 && t - tr->errt[tr->nerr % 20] <= 60)
			tr->err_burst = 1;
	}
}

static const struct page *
pick_page(struct rng *r)
{
	int total = 0, x;
	size_t i;

	for (i = 0; i < NELEM(pages); i++)
		total += pages[i].weight;
	x = (int)rng_below(r, (uint32_t)total);
	for (i = 0; x >= pages[i].weight; i++)
		x -= pages[i].weight;
	return &pages[i];
}

/* Fills url with a concrete address of page p; returns the body size. */
static int
page_url(char *url, size_t cap, struct rng *r, const struct page *p, int *status)
{
	int bytes = p->bytes + (p->jitter ? rng_range(r, -p->jitter / 2, p->jitter / 2) : 0);

	*status = 200;
	if (strstr(p->path, "%d")) {
		int id = 1001 + (int)rng_below(r, 118);

		if (rng_chance(r, .015)) {	/* a stale link to a removed story */
			id = 900 + (int)rng_below(r, 80);
			*status = 404;
			bytes = 153;
		}
		snprintf(url, cap, "/news/detail?id=%d", id);
	} else if (strstr(p->path, "district"))
		snprintf(url, cap, "/branches/search?district=%s", PICK(r, districts));
	else if (strstr(p->path, "%s"))
		snprintf(url, cap, "/search?q=%s", PICK(r, search_words));
	else
		snprintf(url, cap, "%s", p->path);
	return bytes;
}

/* One visitor: a few pages, the assets of the first, now and then a login. */
static void
web_visit(struct gen *g, struct rng *r, int64_t t)
{
	char ip[16], url[128], ref[192];
	const struct ua *ua;
	const char *proto;
	int internal = rng_chance(r, .15), npages, i, status, bytes, total = 0;
	size_t k;

	for (k = 0; k < NELEM(uas); k++)
		total += uas[k].weight;
	do {
		int x = (int)rng_below(r, (uint32_t)total);

		for (k = 0; x >= uas[k].weight; k++)
			x -= uas[k].weight;
		ua = &uas[k];
	} while (internal && ua->mobile);
	if (internal) {
		int net = rng_range(r, 10, 40);

		snprintf(ip, sizeof(ip), "10.20.%d.%d", net, rng_range(r, 2, 250));
	} else
		ip_in(ip, r, PICK(r, visitor_nets), 16);
	proto = rng_chance(r, ua->mobile ? .6 : .3) ? "HTTP/2.0" : "HTTP/1.1";
	if (strstr(ua->s, "MicroMessenger") || internal || rng_chance(r, .45))
		snprintf(ref, sizeof(ref), "-");
	else
		snprintf(ref, sizeof(ref), "%s", rng_chance(r, .7) ? "https://www.baidu.com/" : "https://cn.bing.com/");
	npages = 1;
	while (npages < 8 && rng_chance(r, .62))
		npages++;
	for (i = 0; i < npages; i++) {
		const struct page *p = i == 0 && rng_chance(r, .55) ? &pages[0] : pick_page(r);
		int returning = rng_chance(r, .3);

		bytes = page_url(url, sizeof(url), r, p, &status);
		web_line(g, t, ip, "GET", url, proto, status, bytes, ref, ua->s);
		if (i == 0) {
			char pref[192];

			snprintf(pref, sizeof(pref), SITE "%s", url);
			for (k = 0; k < NELEM(assets); k++) {
				int cached = returning && rng_chance(r, .8);

				web_line(g, t + (int64_t)rng_below(r, 3), ip, "GET", assets[k].path, proto,
				    cached ? 304 : 200, cached ? 0 : assets[k].bytes,
				    k + 1 == NELEM(assets) ? "-" : pref, ua->s);
			}
			if (ua->iphone && rng_chance(r, .5))
				web_line(g, t + 1, ip, "GET", "/apple-touch-icon.png", proto, 404, 153, "-", ua->s);
		} else if (rng_chance(r, .15)) {
			snprintf(ref, sizeof(ref), SITE "%s", url);
			web_line(g, t + 1, ip, "GET", assets[0].path, proto, 304, 0, ref, ua->s);
		}
		if (strcmp(url, "/rates.html") == 0 || strcmp(url, "/") == 0) {
			char api[64];
			static const char *const cur[] = { "USD", "EUR", "JPY", "HKD", "GBP" };

			if (url[1] == 'r')
				snprintf(api, sizeof(api), "/api/rates?currency=%s", PICK(r, cur));
			else
				snprintf(api, sizeof(api), "/api/notices?page=1");
			snprintf(ref, sizeof(ref), SITE "%s", url);
			web_line(g, t + 2, ip, "GET", api, proto, 200, rng_range(r, 280, 1900), ref, ua->s);
		}
		snprintf(ref, sizeof(ref), SITE "%s", url);
		t += 4 + (int64_t)rng_below(r, 110);
	}
	if (!ua->mobile && rng_chance(r, .08)) {
		/* Corporate customers sign in to the portal. */
		web_line(g, t, ip, "GET", "/login", proto, 200, 5230, ref, ua->s);
		t += rng_range(r, 8, 40);
		if (rng_chance(r, .15)) {
			web_line(g, t, ip, "POST", "/login", proto, 200, 5481, SITE "/login", ua->s);
			t += rng_range(r, 6, 30);
		}
		web_line(g, t, ip, "POST", "/login", proto, 302, 0, SITE "/login", ua->s);
		web_line(g, t + 1, ip, "GET", "/portal/", proto, 200, 22140 + rng_range(r, 0, 900), SITE "/login", ua->s);
		t += rng_range(r, 20, 400);
		web_line(g, t, ip, "GET", "/portal/statements?month=latest", proto, 200, 31876 + rng_range(r, 0, 4000),
		    SITE "/portal/", ua->s);
		t += rng_range(r, 20, 300);
		web_line(g, t, ip, "GET", "/logout", proto, 302, 0, SITE "/portal/", ua->s);
	}
}

static const struct {
	const char *net;
	int prefix;
	const char *ua;
} bots[] = {
	{ "220.181.108.0", 24, "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)" },
	{ "116.179.32.0", 24, "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)" },
	{ "66.249.66.0", 24, "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" },
	{ "40.77.167.0", 24, "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)" },
	{ "207.46.13.0", 24, "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)" },
};

static void
gen_web(struct gen *g)
{
	struct rng r;
	int d, m, k;

	rng_init(&r, g->o->seed, "web");
	for (d = 0; d < g->ndays; d++) {
		int we = is_weekend(g, d);
		double mult = .85 + rng_unit(&r) * .3;

		for (m = 0; m < 1440; m++) {
			int64_t t = at(g, d, m / 60, m % 60, 0);
			int n;

			/* The monitoring probe, once a minute. */
			web_line(g, t + 11 + (int64_t)rng_below(&r, 2), PROBE_IP, "GET", "/healthz", "HTTP/1.1",
			    200, 2, "-", "Zabbix");
			n = rng_poisson(&r, 24.0 * mult * web_weight(m / 60, we) / 60);
			for (k = 0; k < n; k++)
				web_visit(g, &r, t + (int64_t)rng_below(&r, 60));
			n = rng_poisson(&r, 5.0 / 60);
			for (k = 0; k < n; k++) {
				int b = (int)rng_below(&r, NELEM(bots)), np = rng_range(&r, 1, 4), i, st, by;
				int64_t bt = t + (int64_t)rng_below(&r, 60);
				char ip[16], url[128];

				ip_in(ip, &r, bots[b].net, bots[b].prefix);
				if (rng_chance(&r, .1))
					web_line(g, bt++, ip, "GET", "/robots.txt", "HTTP/1.1", 200, 87, "-", bots[b].ua);
				for (i = 0; i < np; i++) {
					by = page_url(url, sizeof(url), &r, pick_page(&r), &st);
					web_line(g, bt, ip, "GET", url, "HTTP/1.1", st, by, "-", bots[b].ua);
					bt += rng_range(&r, 2, 20);
				}
			}
		}
	}
}

/* -------------------------------------------------------------- attacks */

static struct truth *
truth_begin(struct gen *g, const char *kind, const char *ip,
    const char *target)
{
	struct truth *tr;

	assert(g->ntruth < MAX_TRUTH);
	tr = &g->truth[g->ntruth++];
	memset(tr, 0, sizeof(*tr));
	tr->kind = kind;
	snprintf(tr->rules, sizeof(tr->rules), "%s", kind);
	snprintf(tr->ip, sizeof(tr->ip), "%s", ip);
	snprintf(tr->target, sizeof(tr->target), "%s", target);
	g->cur = tr;
	return tr;
}

static void
truth_end(struct gen *g)
{
	g->cur = NULL;
}

/* Another rule that must alert on the attack of tr (ground truth). */
static void
truth_also(struct truth *tr, const char *rule)
{
	size_t n = strlen(tr->rules);

	snprintf(tr->rules + n, sizeof(tr->rules) - n, ",%s", rule);
}

/* A day index for day-of-month lo..hi (1-based), kept inside the month. */
static int
pick_day(const struct gen *g, struct rng *r, int lo, int hi)
{
	int d = rng_range(r, lo, hi) - 1;

	return d < g->ndays ? d : g->ndays - 1;
}

/*
 * Failed-password connections from ip until fails attempts are made and t
 * has passed until. Attempts are added to g->cur. Returns the end time.
 */
static int64_t
ssh_burst(struct gen *g, struct rng *r, struct logset *s, int64_t t,
    const char *ip, const char *user, int invalid, int64_t fails,
    int tries_lo, int tries_hi, int gap_lo, int gap_hi, int64_t until)
{
	while (g->cur->attempts < fails || t < until) {
		int tries = rng_range(r, tries_lo, tries_hi);

		t = ssh_fail_conn(g, s, r, t, user, invalid, ip, tries, gap_lo,
		    gap_hi, &g->cur->attempts);
		t += rng_range(r, 1, 5);
	}
	return t;
}

/*
 * The ticket the team opened for the attack in tr: delay minutes after its
 * last line, acknowledged and resolved ack and res minutes after opening.
 * fmt takes the source address (%s) then the attempts (%lld).
 */
/* Links tk to the alert of rule on entity that tr's first event starts. */
static void
ticket_link(struct gen *g, struct ticket *tk, const struct truth *tr,
    const char *rule, const char *entity)
{
	struct alink *l;

	if (tk == NULL || tr->afirst == 0 || tk->nlink == 4 ||
	    g->nlinks == MAX_LINKS)
		return;
	l = &g->links[g->nlinks];
	l->rule = rule;
	snprintf(l->entity, sizeof(l->entity), "%s", entity);
	l->t = tr->afirst;
	l->seq = tr->aseq;
	l->raw = tr->araw;
	l->us = 0;
	tk->link[tk->nlink++] = g->nlinks++;
}

/* Notes the line just emitted as the first event of tr's alert. */
static void
truth_mark(struct gen *g, struct truth *tr, int64_t t, int raw)
{
	if (tr->afirst)
		return;
	tr->afirst = t;
	tr->aseq = g->seq - 1;
	tr->araw = raw;
}

/* Counts the line just emitted as one attempt of tr, and notes it. */
static void
truth_hit(struct gen *g, struct truth *tr, int64_t t, int raw)
{
	truth_mark(g, tr, t, raw);
	tr->attempts++;
}

/*
 * An attack from one outside address: its own random stream (seeded by
 * name, so other scenarios do not shift it), the address drawn from
 * net/bits into ip, and its ground-truth row opened. Every scenario by an
 * outside attacker starts so.
 */
static struct truth *
attacker(struct gen *g, struct rng *r, char ip[16], const char *name,
    const char *net, int bits, const char *kind, const char *target)
{
	rng_init(r, g->o->seed, name);
	ip_in(ip, r, net, bits);
	return truth_begin(g, kind, ip, target);
}

/*
 * Also links the ticket to the alert of the row's kind when the row names
 * an address and its first event is known; returns the ticket or NULL.
 */
static struct ticket *
attack_ticket(struct gen *g, const struct truth *tr, int prio,
    const char *asset, int delay, int ack, int res, const char *fmt)
{
	struct ticket *tk;

	if (tr->lines == 0 || g->ntickets == MAX_TICKETS)
		return NULL;
	tk = &g->tickets[g->ntickets++];
	tk->opened = (tr->last + delay * 60) / 60 * 60;
	tk->ack = tk->opened + ack * 60;
	tk->res = tk->opened + res * 60;
	tk->prio = prio;
	tk->category = "安全事件";
	tk->asset = asset;
	tk->nlink = 0;
	snprintf(tk->summary, sizeof(tk->summary), fmt, tr->ip, (long long)tr->attempts);
	if (strcmp(tr->ip, "-") != 0)
		ticket_link(g, tk, tr, tr->kind, tr->ip);
	return tk;
}

static const char *const spray_users[] = {
	"root", "admin", "test", "user", "oracle", "zhangwei", "liyang", "wangwei",
	"liwei", "zhangmin", "wangfang", "liuyang", "chenjing", "yangli", "zhaojun",
	"huangyong", "zhoujie", "wujun", "xuming", "sunli", "guest", "operator",
	"backup", "deploy", "ftp", "mysql", "postgres", "www-data", "nginx", "web",
	"bank", "teller", "audit", "security", "secadmin", "sysadmin", "netadmin",
	"dba", "oa", "hr", "finance", "service", "support", "helpdesk", "monitor",
	"zabbix", "nagios", "ansible", "jenkins", "git", "svn", "ops", "devops",
	"dev", "uat", "prod", "app", "api", "ceshi", "yunwei", "anquan", "guanli",
	"caiwu", "kefu", "xitong", "shuju", "beifen", "jiankong", "fuwu", "zhanghu",
};

/* Accounts that exist on the bastion (the rest are "invalid user"). */
static int
bastion_has(const char *u)
{
	static const char *const known[] = { "root", "zhangwei", "liyang",
		"wangfang", "chenjie", "sunhao", "zhaolei", "oracle", "backup" };
	size_t i;

	for (i = 0; i < NELEM(known); i++)
		if (strcmp(u, known[i]) == 0)
			return 1;
	return 0;
}

static const char *const sqli_payloads[] = {
	"1", "1%27", "1'%20OR%201=1--", "1%27%20OR%201=1--", "1%20AND%201=1",
	"1%20AND%201=2", "1%27%20AND%20%27a%27=%27a", "1%20AND%20SLEEP(5)",
	"1%27%20AND%20SLEEP(5)--%20-", "1%20UNION%20ALL%20SELECT%20NULL--%20-",
	"1%20UNION%20ALL%20SELECT%20NULL,NULL--%20-",
	"1%20UNION%20ALL%20SELECT%20NULL,NULL,NULL--%20-",
	"1%20AND%20EXTRACTVALUE(1,CONCAT(0x7e,VERSION()))",
	"1%29%20AND%201=1%20AND%20(1=1", "1%20ORDER%20BY%201--%20-",
	"1%20ORDER%20BY%2010--%20-", "-1%20OR%203*2*1=6%20AND%20000123=000123",
	"1;SELECT%20PG_SLEEP(5)--",
};

static const char *const nikto_paths[] = {
	"/admin/", "/phpmyadmin/", "/cgi-bin/test-cgi", "/cgi-bin/printenv",
	"/server-status", "/.htaccess", "/config.php", "/login.php", "/README",
	"/manager/html", "/icons/README", "/test.php", "/admin.php",
	"/administrator/", "/wp-admin/", "/wp-login.php", "/xmlrpc.php",
	"/console/", "/jmx-console/", "/web-console/", "/solr/admin/",
	"/axis2/axis2-admin/", "/iisadmin/", "/scripts/", "/_vti_bin/",
	"/shopdb/", "/forum/", "/webmail/", "/cgi-bin/awstats.pl", "/servlet/",
	"/examples/", "/docs/", "/old/", "/temp/", "/install/", "/setup.php",
	"/Default.aspx", "/default.asp", "/global.asa", "/cgi-bin/php.cgi",
	"/cgi-bin/count.cgi", "/cgi-bin/guestbook.cgi", "/fckeditor/",
	"/ckeditor/", "/kindeditor/", "/ueditor/", "/uploads/", "/upload.php",
};

static const char *const xss_urls[] = {
	"/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
	"/search?q=%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E",
	"/search?q=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
	"/search?q=%3Csvg%2Fonload%3Dalert(1)%3E",
	"/search?q=javascript:alert(1)",
	"/search?q=<script>alert(1)</script>",
	"/search?q=%27%22%3E%3Cscript%3Ealert(String.fromCharCode(88,83,83))%3C%2Fscript%3E",
	"/news/?page=%3Cscript%3Ealert(1)%3C/script%3E",
	"/contact.html?name=%3Ciframe%20src%3Djavascript:alert(1)%3E",
	"/search?q=%3Cbody%20onload%3Dalert(%27xss%27)%3E",
};

static const char *const traversal_urls[] = {
	"/download?file=../../../../etc/passwd",
	"/download?file=..%2F..%2F..%2F..%2Fetc%2Fpasswd",
	"/download?file=....//....//....//etc/passwd",
	"/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
	"/static/%2e%2e/%2e%2e/%2e%2e/etc/shadow",
	"/images/../../../../windows/win.ini",
	"/download?file=..%252f..%252f..%252fetc%252fpasswd",
	"/download?file=../../../../proc/self/environ",
	"/static/../../../../etc/hosts",
	"/download?file=../../../../etc/nginx/nginx.conf",
};

static const char *const probe_urls[] = {
	"/.env", "/.env.bak", "/.env.production", "/.git/config", "/.git/HEAD",
	"/.git/index", "/.svn/entries", "/.DS_Store", "/config.php.bak",
	"/wp-config.php.bak", "/backup.sql", "/db.sql", "/dump.sql", "/www.zip",
	"/backup.zip", "/web.rar", "/.aws/credentials", "/actuator/env",
	"/.vscode/sftp.json", "/config.json", "/.npmrc", "/.htpasswd",
	"/server.key", "/.ssh/id_rsa", "/admin/.env", "/api/.env", "/app/.env",
	"/docker-compose.yml", "/.gitlab-ci.yml", "/phpinfo.php", "/info.php",
};

#define FAKE_CHROME "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.129 Safari/537.36"

/* Botnet ranges of the distributed brute force: no noise or attacker range. */
static const struct range botnets[] = {
	{ "103.145.0.0", 16, 1 }, { "36.89.0.0", 16, 1 }, { "190.12.0.0", 16, 1 },
	{ "41.216.0.0", 16, 1 }, { "94.102.0.0", 16, 1 }, { "201.48.0.0", 16, 1 },
};

/* A sudo command whose line counts in the ground truth row g->cur. */
static void
sudo_counted(struct gen *g, struct logset *s, struct rng *r, int64_t t,
    const char *user, int uid, const char *cmd)
{
	aemit(g, s, t, 0, "sudo: %8s : TTY=pts/0 ; PWD=/home/%s ; USER=root ; COMMAND=%s",
	    user, user, cmd);
	emit(g, s, t, 0, 0, "sudo: pam_unix(sudo:session): session opened for user root(uid=0) by %s(uid=%d)",
	    user, uid);
	emit(g, s, t + rng_range(r, 0, 20), 0, 0,
	    "sudo: pam_unix(sudo:session): session closed for user root");
}

/* A wrong sudo password, as pam_unix logs it (counted while g->cur is set). */
static void
sudo_badpw(struct gen *g, struct logset *s, int64_t t, const char *user, int uid)
{
	aemit(g, s, t, 0, "sudo: pam_unix(sudo:auth): authentication failure; logname=%s uid=%d euid=0 tty=/dev/pts/1 ruser=%s rhost=  user=%s",
	    user, uid, user, user);
}

/* A local working day between day-of-month lo and hi. */
static int
pick_workday(const struct gen *g, struct rng *r, int lo, int hi)
{
	int d, i;

	for (i = 0; i < 50; i++)
		if (!is_weekend(g, d = pick_day(g, r, lo, hi)))
			return d;
	return d;
}

/* ------------------------------------- background: network, IDS, MySQL */

/*
 * gw01 is the internet gateway (iptables, kernel log); the bank's public
 * block is 198.51.100.0/27, web01 is published as .21 and bastion01 as .10.
 * Suricata (ids01) watches the DMZ behind it; db02 is the MySQL 8 server of
 * the reporting system (general log on).
 */
#define PUBLIC_NET "198.51.100."
#define GW_MAC "MAC=00:1c:73:2a:5e:01:a4:6c:2a:0e:33:c1:08:00"
#define APP_IP "10.20.1.41"
#define C2_WS "10.20.60.57"

/* A line of a set that counts in g->cur when counted is set. */
static int
lemit(struct gen *g, struct logset *s, int64_t t, uint32_t pk, int counted,
    const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vemit(g, s, t, pk, 0, counted, fmt, ap);
	va_end(ap);
	return r;
}

/* A netfilter LOG line of gw01: denied inbound, or an accepted outbound. */
static void
fw_line(struct gen *g, struct rng *r, int64_t t, int counted, int out,
    const char *src, const char *dst, int dpt)
{
	if (out)
		lemit(g, &g->fw, t, 0, counted, "kernel: iptables ACCEPT_OUT: IN=eth0 OUT=eth1 "
		    GW_MAC " SRC=%s DST=%s LEN=52 TOS=0x00 PREC=0x00 TTL=127 ID=%u DF PROTO=TCP SPT=%d DPT=%d WINDOW=64240 RES=0x00 SYN URGP=0",
		    src, dst, rng_below(r, 65536), rand_port(r), dpt);
	else
		lemit(g, &g->fw, t, 0, counted, "kernel: iptables DROP_IN: IN=eth1 OUT= "
		    GW_MAC " SRC=%s DST=%s LEN=44 TOS=0x00 PREC=0x00 TTL=%d ID=%u PROTO=TCP SPT=%d DPT=%d WINDOW=1024 RES=0x00 SYN URGP=0",
		    src, dst, rng_range(r, 40, 250), rng_below(r, 65536), rand_port(r), dpt);
}

struct sig {
	int sid, rev, sev;
	const char *msg, *cat;
};

/* Everyday signatures of an internet-facing DMZ: never priority 1. */
static const struct sig bg_sigs[] = {
	{ 2402000, 7014, 2, "ET DROP Dshield Block Listed Source", "Misc Attack" },
	{ 2010937, 3, 2, "ET SCAN Suspicious inbound to mySQL port 3306", "Potentially Bad Traffic" },
	{ 2001219, 20, 2, "ET SCAN Potential SSH Scan", "Attempted Information Leak" },
	{ 2210045, 2, 3, "SURICATA STREAM Packet with invalid ack", "Generic Protocol Command Decode" },
	{ 2221010, 1, 3, "SURICATA HTTP unable to match response to request", "Generic Protocol Command Decode" },
	{ 2024364, 5, 2, "ET SCAN Possible Nmap User-Agent Observed", "Web Application Attack" },
	{ 2260002, 1, 3, "SURICATA Applayer Detect protocol only one direction", "Generic Protocol Command Decode" },
};

/* One Suricata EVE alert (alert.severity 1 is priority 1). */
static void
eve_alert(struct gen *g, struct rng *r, int64_t t, int counted,
    const char *src, const char *dst, int dport, const struct sig *sg)
{
	uint64_t flow = rng_next(r) >> 14;

	lemit(g, &g->ids, t, 0, counted, "{\"timestamp\":\"" EVE_TIME "\",\"flow_id\":%llu,"
	    "\"in_iface\":\"eth2\",\"event_type\":\"alert\",\"src_ip\":\"%s\",\"src_port\":%d,"
	    "\"dest_ip\":\"%s\",\"dest_port\":%d,\"proto\":\"TCP\",\"alert\":{\"action\":\"allowed\","
	    "\"gid\":1,\"signature_id\":%d,\"rev\":%d,\"signature\":\"%s\",\"category\":\"%s\","
	    "\"severity\":%d}}", (unsigned long long)flow, src, rand_port(r), dst, dport,
	    sg->sid, sg->rev, sg->msg, sg->cat, sg->sev);
}

/* One MySQL general log line of thread pk: "Command\targument". */
static void
my_line(struct gen *g, int64_t t, uint32_t pk, int counted, const char *cmd,
    const char *arg)
{
	lemit(g, &g->my, t, pk, counted, MY_TIME "\t   " PID " %s\t%s", cmd, arg);
}

/* A pool address not seen by this device within gap seconds, or NULL. */
static const char *
noise_pick(struct gen *g, struct rng *r, int64_t *last, int64_t t, int64_t gap)
{
	for (int tries = 0; tries < 10; tries++) {
		double u = rng_unit(r);
		int i = (int)(u * u * NOISE_POOL);

		if (t - last[i] >= gap) {
			last[i] = t;
			return g->noise_ip[i];
		}
	}
	return NULL;
}

static const int probed_ports[] = {
	23, 22, 445, 3389, 80, 8080, 1433, 3306, 5900, 6379, 8443, 2323, 5555,
	9200, 27017, 11211, 139, 135, 21, 25, 53, 161, 502, 7547, 81, 8000,
	8888, 9000, 5060, 1723, 3128, 10000,
};

/* Where the office goes: big Chinese and cloud providers, never listed. */
static const struct range office_dsts[] = {
	{ "110.242.0.0", 16, 3 }, { "140.205.0.0", 16, 3 }, { "20.205.0.0", 16, 1 },
	{ "183.2.0.0", 16, 2 },
};

/*
 * The gateway's denies: internet background radiation (about 25 probes an
 * hour), each address a few ports or a few hosts per visit and not back
 * within 10 minutes, so it never reaches a scan threshold (20 ports of one
 * host or 10 hosts in 5 minutes); and the office's new outbound
 * connections, logged as ACCEPT_OUT in office hours.
 */
static void
gen_firewall(struct gen *g)
{
	struct rng r;
	int d, m, k, i;

	rng_init(&r, g->o->seed, "background/firewall");
	for (d = 0; d < g->ndays; d++) {
		double mult = .7 + rng_unit(&r) * .6;
		int we = is_weekend(g, d);

		for (m = 0; m < 1440; m++) {
			int n = rng_poisson(&r, 25 * mult / 60);

			for (k = 0; k < n; k++) {
				int64_t t = at(g, d, m / 60, m % 60, rng_range(&r, 0, 59));
				const char *ip = noise_pick(g, &r, g->fw_last, t, 600);
				char dst[16];
				double u = rng_unit(&r);
				int np, port = PICK(&r, probed_ports);

				if (ip == NULL)
					continue;
				snprintf(dst, sizeof(dst), PUBLIC_NET "%d", rng_range(&r, 1, 30));
				if (u < .6) {		/* one port, a retransmission */
					np = rng_range(&r, 1, 2);
					for (i = 0; i < np; i++)
						fw_line(g, &r, t + 3 * i, 0, 0, ip, dst, port);
				} else if (u < .85) {	/* a few ports of one host */
					np = rng_range(&r, 2, 4);
					for (i = 0; i < np; i++)
						fw_line(g, &r, t + i, 0, 0, ip, dst, PICK(&r, probed_ports));
				} else {		/* one port on a few hosts */
					np = rng_range(&r, 2, 3);
					for (i = 0; i < np; i++) {
						snprintf(dst, sizeof(dst), PUBLIC_NET "%d", rng_range(&r, 1, 30));
						fw_line(g, &r, t + i, 0, 0, ip, dst, port);
					}
				}
			}
			n = rng_poisson(&r, 12 * office_weight(m / 60, we) / 60);
			for (k = 0; k < n; k++) {
				int64_t t = at(g, d, m / 60, m % 60, rng_range(&r, 0, 59));
				const struct range *o = &office_dsts[rng_below(&r, NELEM(office_dsts))];
				char ws[16], dst[16];

				/* .10-.49: the infected .57 is not among them. */
				snprintf(ws, sizeof(ws), "10.20.60.%d", rng_range(&r, 10, 49));
				ip_in(dst, &r, o->base, o->prefix);
				fw_line(g, &r, t, 0, 1, ws, dst, rng_chance(&r, .85) ? 443 : 80);
			}
		}
	}
}

/* Suricata's everyday alerts: about 4 an hour, 1-3 per visit. */
static void
gen_ids(struct gen *g)
{
	struct rng r;
	int d, m, k, i;

	rng_init(&r, g->o->seed, "background/ids");
	for (d = 0; d < g->ndays; d++)
		for (m = 0; m < 1440; m++) {
			int n = rng_poisson(&r, 4.0 / 60);

			for (k = 0; k < n; k++) {
				int64_t t = at(g, d, m / 60, m % 60, rng_range(&r, 0, 59));
				const char *ip = noise_pick(g, &r, g->ids_last, t, 1800);
				const struct sig *sg = &bg_sigs[rng_below(&r, NELEM(bg_sigs))];
				int np = rng_range(&r, 1, 3), web = rng_chance(&r, .7);

				if (ip == NULL)
					continue;
				for (i = 0; i < np; i++)
					eve_alert(g, &r, t + 2 * i, 0, ip, web ? "10.20.1.21" :
					    BASTION_IP, web ? 443 : 22, sg);
			}
		}
}

static const char *const my_tables[] = {
	"accounts", "customers", "branches", "txn_log", "loan_apply",
	"loan_repay", "card_info", "fx_rates", "rpt_daily", "rpt_monthly",
	"staff", "audit_trail", "products", "fees", "limits", "channels",
	"merchants", "settle_batch", "settle_detail", "risk_score", "blacklist",
	"kyc_docs", "sms_log", "login_log", "notices", "params", "holidays",
	"gl_entries", "gl_accounts", "tmp_import",
};

/*
 * db02's general log: the reporting application's connections and queries
 * (busy in office hours), Zabbix every 10 minutes, the nightly report job
 * (its temporary table is dropped, not a finding) and the nightly
 * mysqldump from the backup host at 02:30 (whole-table reads by the
 * backup account, in db_backup_window: not a finding). Every line carries
 * its thread id, and each thread starts with its Connect line.
 */
static void
gen_mysql(struct gen *g)
{
	struct rng r;
	char q[256];
	int d, h, m, k, i;

	rng_init(&r, g->o->seed, "background/mysql");
	for (d = 0; d < g->ndays; d++) {
		int we = is_weekend(g, d);

		for (m = 0; m < 1440; m += 10) {
			int64_t t = at(g, d, m / 60, m % 60, 7);
			uint32_t pk = new_pid(&g->my);

			my_line(g, t, pk, 0, "Connect", "zabbix@10.20.0.5 on  using TCP/IP");
			my_line(g, t, pk, 0, "Query", "SHOW GLOBAL STATUS");
			my_line(g, t + 1, pk, 0, "Quit", "");
		}
		for (h = 0; h < 24; h++) {
			int n = rng_poisson(&r, 1 + 6 * office_weight(h, we));

			for (k = 0; k < n; k++) {
				int64_t t = at(g, d, h, rng_range(&r, 0, 59), rng_range(&r, 0, 59));
				uint32_t pk = new_pid(&g->my);
				int nq = rng_range(&r, 2, 8);

				my_line(g, t, pk, 0, "Connect", "rptapp@" APP_IP " on corebank using TCP/IP");
				for (i = 0; i < nq; i++) {
					double u = rng_unit(&r);

					t += rng_range(&r, 0, 15);
					if (u < .4)
						snprintf(q, sizeof(q), "SELECT acct_no, balance, status FROM accounts WHERE acct_no = '6228480%09u'",
						    rng_below(&r, 1000000000));
					else if (u < .6)
						snprintf(q, sizeof(q), "SELECT branch_id, SUM(amount) FROM txn_log WHERE txn_date = '2026-%02d-%02d' GROUP BY branch_id",
						    g->o->month, rng_range(&r, 1, 28));
					else if (u < .75)
						snprintf(q, sizeof(q), "SELECT COUNT(*) FROM loan_apply WHERE status = %d AND branch_id = %d",
						    rng_range(&r, 0, 3), rng_range(&r, 1, 42));
					else if (u < .9)
						snprintf(q, sizeof(q), "INSERT INTO login_log (user_id, login_time, channel) VALUES (%u, NOW(), 'web')",
						    100000 + rng_below(&r, 900000));
					else
						snprintf(q, sizeof(q), "UPDATE notices SET read_flag = 1 WHERE id = %u",
						    rng_below(&r, 50000));
					my_line(g, t, pk, 0, "Query", q);
				}
				my_line(g, t + rng_range(&r, 1, 30), pk, 0, "Quit", "");
			}
		}
		{	/* the nightly report job */
			int64_t t = at(g, d, 1, 10, rng_range(&r, 0, 30));
			uint32_t pk = new_pid(&g->my);

			my_line(g, t, pk, 0, "Connect", "rptjob@" APP_IP " on corebank using TCP/IP");
			my_line(g, t, pk, 0, "Query", "CREATE TEMPORARY TABLE tmp_daily_rpt AS SELECT branch_id, SUM(amount) AS total FROM txn_log WHERE txn_date = CURDATE() - INTERVAL 1 DAY GROUP BY branch_id");
			my_line(g, t + rng_range(&r, 20, 90), pk, 0, "Query", "SELECT * FROM tmp_daily_rpt");
			t += rng_range(&r, 100, 200);
			my_line(g, t, pk, 0, "Query", "INSERT INTO rpt_daily SELECT CURDATE() - INTERVAL 1 DAY, branch_id, total FROM tmp_daily_rpt");
			my_line(g, t + 1, pk, 0, "Query", "DROP TEMPORARY TABLE IF EXISTS tmp_daily_rpt");
			my_line(g, t + 1, pk, 0, "Quit", "");
		}
		{	/* the nightly mysqldump from the backup host */
			int64_t t = at(g, d, 2, 30, rng_range(&r, 0, 20));
			uint32_t pk = new_pid(&g->my);

			my_line(g, t, pk, 0, "Connect", "backup@" BACKUP_IP " on  using TCP/IP");
			my_line(g, t, pk, 0, "Query", "/*!40100 SET @@SQL_MODE='' */");
			my_line(g, t, pk, 0, "Query", "FLUSH /*!40101 LOCAL */ TABLES");
			my_line(g, t, pk, 0, "Init DB", "corebank");
			my_line(g, t, pk, 0, "Query", "SHOW TABLES");
			for (i = 0; i < (int)NELEM(my_tables); i++) {
				snprintf(q, sizeof(q), "SHOW CREATE TABLE `%s`", my_tables[i]);
				my_line(g, t, pk, 0, "Query", q);
				snprintf(q, sizeof(q), "SELECT /*!40001 SQL_NO_CACHE */ * FROM `%s`", my_tables[i]);
				my_line(g, t, pk, 0, "Query", q);
				t += rng_range(&r, 0, 25);
			}
			my_line(g, t, pk, 0, "Quit", "");
		}
	}
}

/*
 * Scenarios of the network, IDS and database rules, with their benign
 * look-alikes (samples/README.md, scenarios 22-30).
 */
static void
gen_net_scenarios(struct gen *g)
{
	static const struct sig spring = { 2035674, 3, 2,
		"ET EXPLOIT Possible SpringCore RCE/Spring4Shell Inbound", "Attempted Administrator Privilege Gain" };
	static const struct sig beacon = { 2027082, 4, 1,
		"ET MALWARE Cobalt Strike Beacon Observed", "A Network Trojan was detected" };
	struct truth *tr, *tri, ids = { 0 };
	struct ticket *tk;
	struct rng r;
	char ip[16], dst[16], q[256], acct[64];
	int64_t t, end;
	int i, k, n;
	uint32_t pk;

	/* 22. masscan over web01's public address: hundreds of ports. */
	tr = attacker(g, &r, ip, "attack/net-portscan", "89.248.165.0", 24,
	    "net_port_scan", "gw01/-");
	t = at_rand(g, &r, pick_day(g, &r, 3, 26), 0, 23);
	n = rng_range(&r, 300, 900);
	k = rng_range(&r, 1, 400);
	for (i = 0; i < n; i++) {
		fw_line(g, &r, t, 1, 0, ip, PUBLIC_NET "21", 1 + (k + i * 37) % 65535);
		truth_hit(g, tr, t, 0);
		t += rng_below(&r, 3) == 0;
	}
	truth_end(g);
	attack_ticket(g, tr, 3, "gw01", 70, 60, 300,
	    "互联网地址%s对门户网站出口地址进行端口扫描（%lld个端口），已加入封禁名单");

	/* 23. An RDP sweep over the whole public block. */
	tr = attacker(g, &r, ip, "attack/net-hostscan", "2.57.122.0", 24,
	    "net_host_scan", "gw01/-");
	t = at_rand(g, &r, pick_day(g, &r, 3, 26), 0, 23);
	for (k = 0; k < 2; k++)
		for (i = 1; i <= 30; i++) {
			snprintf(dst, sizeof(dst), PUBLIC_NET "%d", i);
			fw_line(g, &r, t, 1, 0, ip, dst, 3389);
			truth_hit(g, tr, t, 0);
			t += rng_range(&r, 0, 2);
		}
	truth_end(g);
	attack_ticket(g, tr, 3, "gw01", 80, 60, 240,
	    "互联网地址%s对出口地址段进行RDP(3389)横向扫描（%lld次），端口未开放，已封禁");

	/*
	 * 24, 25. An office PC beacons to a command-and-control server in a
	 * listed range every 4-7 minutes for hours; Suricata recognises the
	 * beacon now and then (priority 1). Both rows count the same lines:
	 * every one names the PC and the server.
	 */
	tr = attacker(g, &r, ip, "attack/c2-beacon", "194.26.29.0", 24,
	    "net_bad_range", "gw01/-");
	t = at_rand(g, &r, pick_workday(g, &r, 5, 25), 9, 15);
	end = t + rng_range(&r, 5400, 10800);
	n = 0;
	for (; t < end; t += rng_range(&r, 240, 420)) {
		fw_line(g, &r, t, 1, 1, C2_WS, ip, 443);
		truth_hit(g, tr, t, 0);
		if (n++ % 4 == 1) {
			eve_alert(g, &r, t + 1, 1, C2_WS, ip, 443, &beacon);
			truth_mark(g, &ids, t + 1, 1);
		}
	}
	truth_end(g);
	tri = truth_begin(g, "ids_high_priority", C2_WS, "ids01/-");
	truth_end(g);
	tri->first = tr->first;
	tri->last = tr->last;
	tri->lines = tr->lines;
	tri->attempts = (n + 2) / 4;
	tri->afirst = ids.afirst;
	tri->aseq = ids.aseq;
	tri->araw = ids.araw;
	tk = attack_ticket(g, tr, 0, "办公终端", 15, 10, 180,
	    "办公终端10.20.60.57连接境外C2地址%s（%lld次），IDS检出Cobalt Strike信标，已隔离终端并排查");
	ticket_link(g, tk, tri, tri->kind, C2_WS);

	/* 26. Spring4Shell attempts against the portal. */
	tr = attacker(g, &r, ip, "attack/ids-spring", "45.155.205.0", 24,
	    "ids_signature_burst", "ids01/-");
	t = at_rand(g, &r, pick_day(g, &r, 4, 26), 0, 23);
	n = rng_range(&r, 15, 40);
	for (i = 0; i < n; i++) {
		eve_alert(g, &r, t, 1, ip, "10.20.1.21", 443, &spring);
		truth_hit(g, tr, t, 1);
		t += rng_range(&r, 2, 20);
	}
	truth_end(g);
	attack_ticket(g, tr, 2, "web01", 40, 30, 240,
	    "IDS检出针对门户网站的Spring4Shell漏洞利用尝试（来源%s，%lld次），确认未受影响");

	/*
	 * 27-29. An office PC guesses db02's passwords, gets in as root,
	 * exports the customer table to a file, and drops the audit table.
	 */
	rng_init(&r, g->o->seed, "attack/db-intruder");
	snprintf(ip, sizeof(ip), "10.20.52.77");
	tr = truth_begin(g, "db_auth_failures", ip, "db02/mysql");
	t = at_rand(g, &r, pick_workday(g, &r, 8, 24), 13, 16);
	n = rng_range(&r, 30, 50);
	for (i = 0; i < n; i++) {
		static const char *const who[] = { "root", "admin", "dba", "backup", "mysql" };

		snprintf(q, sizeof(q), "Access denied for user '%s'@'%s' (using password: YES)",
		    who[i % 5 == 4 ? 1 : 0], ip);
		pk = new_pid(&g->my);
		my_line(g, t, pk, 1, "Connect", q);
		truth_hit(g, tr, t, 1);
		t += rng_range(&r, 1, 4);
	}
	pk = new_pid(&g->my);
	snprintf(q, sizeof(q), "root@%s on corebank using TCP/IP", ip);
	my_line(g, t, pk, 1, "Connect", q);
	truth_end(g);
	tri = tr;
	my_line(g, t + 5, pk, 0, "Query", "SHOW DATABASES");
	my_line(g, t + 9, pk, 0, "Query", "SELECT COUNT(*) FROM customers");
	t += rng_range(&r, 20, 60);
	/* Statements name the account of their thread's Connect line. */
	snprintf(acct, sizeof(acct), "%s/root", ip);
	tr = truth_begin(g, "db_mass_export", "-", acct);
	my_line(g, t, pk, 1, "Query", "SELECT * FROM customers INTO OUTFILE '/var/lib/mysql-files/c.csv' FIELDS TERMINATED BY ','");
	truth_mark(g, tr, t, 1);
	tr->attempts = 1;
	truth_end(g);
	/* The ticket is opened 20 minutes after the last of the three. */
	t += rng_range(&r, 60, 300);
	tk = attack_ticket(g, tri, 0, "db02", (int)((t - tri->last) / 60) + 20, 10, 240,
	    "db02数据库root口令被暴力破解（来源%s，%lld次失败），客户信息表被导出、审计表被删除，已隔离终端并恢复");
	snprintf(acct, sizeof(acct), "root@%s", ip);
	ticket_link(g, tk, tr, tr->kind, acct);
	snprintf(acct, sizeof(acct), "%s/root", ip);
	tr = truth_begin(g, "db_dangerous_statement", "-", acct);
	my_line(g, t, pk, 1, "Query", "DROP TABLE audit_trail");
	truth_mark(g, tr, t, 1);
	my_line(g, t + 2, pk, 1, "Query", "TRUNCATE TABLE login_log");
	tr->attempts = 2;
	truth_end(g);
	snprintf(acct, sizeof(acct), "root@%s", ip);
	ticket_link(g, tk, tr, tr->kind, acct);
	my_line(g, t + 3, pk, 0, "Quit", "");

	/* 30. A contractor's laptop dumps every table in the afternoon. */
	rng_init(&r, g->o->seed, "attack/db-dump");
	t = at_rand(g, &r, pick_workday(g, &r, 3, 27), 14, 17);
	pk = new_pid(&g->my);
	my_line(g, t, pk, 0, "Connect", "rptapp@10.20.53.16 on  using TCP/IP");
	my_line(g, t, pk, 0, "Query", "/*!40100 SET @@SQL_MODE='' */");
	tr = truth_begin(g, "db_mass_export", "-", "10.20.53.16/rptapp");
	for (i = 0; i < (int)NELEM(my_tables); i++) {
		snprintf(q, sizeof(q), "SELECT /*!40001 SQL_NO_CACHE */ * FROM `%s`", my_tables[i]);
		my_line(g, t, pk, 1, "Query", q);
		truth_hit(g, tr, t, 1);
		t += rng_range(&r, 0, 6);
	}
	truth_end(g);
	my_line(g, t, pk, 0, "Quit", "");
	tk = attack_ticket(g, tr, 1, "db02", 45, 30, 480,
	    "db02在办公时间被整库导出%.0s（%lld张表，来源10.20.53.16），核实为外包人员违规导出，已回收账号");
	ticket_link(g, tk, tr, tr->kind, "rptapp@10.20.53.16");
}

/*
 * Look-alikes of the rules above, not in the ground truth: the provider's
 * attack-surface monitoring scans the public block every Monday night from
 * 139.224.201.0/28 (scan_ignore); a few denied probes from just outside a
 * listed range; a burst of one signature below the threshold; the DBA's
 * planned GRANT, DROP and TRUNCATE in the evening change window; the
 * application failing to log in twice after a password rotation.
 */
static void
gen_net_lookalikes(struct gen *g)
{
	struct rng r;
	char ip[16], dst[16];
	int d, i, k;
	int64_t t;
	uint32_t pk;

	rng_init(&r, g->o->seed, "lookalikes/net");
	for (d = 0; d < g->ndays; d++) {
		if (wday_of(g, d) != 1)
			continue;
		ip_in(ip, &r, "139.224.201.0", 28);
		t = at(g, d, 3, rng_range(&r, 0, 20), 0);
		for (k = 0; k < 3; k++) {
			snprintf(dst, sizeof(dst), PUBLIC_NET "%d", k == 0 ? 21 : k == 1 ? 10 : 1);
			for (i = 0; i < 80; i++) {
				fw_line(g, &r, t, 0, 0, ip, dst, i < (int)NELEM(probed_ports) ?
				    probed_ports[i] : 1000 + i);
				t += rng_below(&r, 2);
			}
		}
	}
	for (i = 0; i < 4; i++) {
		t = at_rand(g, &r, pick_day(g, &r, 1, 28), 0, 23);
		fw_line(g, &r, t, 0, 0, i % 2 ? "194.26.28.254" : "45.146.163.250",
		    PUBLIC_NET "10", 22);
	}
	{
		static const struct sig nmap = { 2024364, 5, 2, "ET SCAN Possible Nmap User-Agent Observed",
			"Web Application Attack" };
		t = at_rand(g, &r, pick_day(g, &r, 2, 27), 0, 23);
		ip_in(ip, &r, "167.99.0.0", 16);
		for (i = 0; i < 8; i++)
			eve_alert(g, &r, t + i * 40, 0, ip, "10.20.1.21", 443, &nmap);
	}
	t = at(g, pick_workday(g, &r, 5, 26), 21, rng_range(&r, 10, 40), 0);
	pk = new_pid(&g->my);
	my_line(g, t, pk, 0, "Connect", "wangfang@10.20.10.52 on corebank using TCP/IP");
	my_line(g, t + 40, pk, 0, "Query", "GRANT SELECT ON corebank.rpt_daily TO 'report'@'10.20.1.%'");
	my_line(g, t + 95, pk, 0, "Query", "DROP TABLE tmp_migrate_2025q3");
	my_line(g, t + 130, pk, 0, "Query", "TRUNCATE TABLE tmp_import");
	my_line(g, t + 160, pk, 0, "Quit", "");
	t = at_rand(g, &r, pick_workday(g, &r, 2, 27), 9, 11);
	for (i = 0; i < 2; i++) {
		pk = new_pid(&g->my);
		my_line(g, t + 30 * i, pk, 0, "Connect",
		    "Access denied for user 'rptapp'@'" APP_IP "' (using password: YES)");
	}
	/* An extra backup before planned work, in office hours: the backup
	   account (db_backup_users), not the window, makes it expected. */
	t = at_rand(g, &r, pick_workday(g, &r, 3, 26), 10, 16);
	pk = new_pid(&g->my);
	my_line(g, t, pk, 0, "Connect", "backup@" BACKUP_IP " on  using TCP/IP");
	for (i = 0; i < (int)NELEM(my_tables); i++) {
		char q[96];

		snprintf(q, sizeof(q), "SELECT /*!40001 SQL_NO_CACHE */ * FROM `%s`", my_tables[i]);
		my_line(g, t, pk, 0, "Query", q);
		t += rng_range(&r, 0, 6);
	}
	my_line(g, t, pk, 0, "Quit", "");
}

/*
 * The scenarios of the other detections (samples/README.md, ground truth
 * rows 14-21): a distributed brute force, a privileged login at night, a
 * login from abroad, a sudo password guessed, an account created outside
 * change control and used, an enumeration of the web API.
 */
static void
gen_scenarios(struct gen *g)
{
	struct logset *web = &g->auth[H_WEB], *db = &g->auth[H_DB];
	struct truth *tr, *trg;
	struct rng r;
	char ip[16], url[64];
	int64_t t, t2;
	int d, i, k, n;
	uint32_t pk;

	/* 14. A botnet, 2-3 tries per address, on web01's deploy account. */
	rng_init(&r, g->o->seed, "scenario/distributed-deploy");
	tr = truth_begin(g, "ssh_distributed_bruteforce", "-", "web01/deploy");
	t = at_rand(g, &r, pick_day(g, &r, 4, 26), 0, 23);
	n = rng_range(&r, 30, 40);
	for (i = 0; i < n; i++) {
		const struct range *b = &botnets[rng_below(&r, NELEM(botnets))];

		ip_in(ip, &r, b->base, b->prefix);
		ssh_fail_conn(g, web, &r, t, "deploy", 0, ip, rng_range(&r, 2, 3), 2, 5,
		    &tr->attempts);
		t += rng_range(&r, 5, 15);
	}
	truth_end(g);

	/* 15. root logs in to db01 from the bastion at 03:xx local time. */
	rng_init(&r, g->o->seed, "scenario/root-night");
	d = pick_day(g, &r, 6, 26);
	t = at(g, d, 3, rng_range(&r, 0, 50), rng_range(&r, 0, 59));
	tr = truth_begin(g, "ssh_privileged_offhours", "-", "db01/root");
	ssh_session(g, db, &r, t, rng_range(&r, 600, 1500), "root", 0, BASTION_IP, 0);
	tr->attempts = 1;
	truth_end(g);

	/* 16. liyang signs in to the bastion from abroad, on a working day. */
	tr = attacker(g, &r, ip, "scenario/new-country", "185.107.56.0", 24,
	    "ssh_new_country", "bastion01/liyang");
	t = at_rand(g, &r, pick_workday(g, &r, 12, 26), 14, 17);
	ssh_session(g, &g->auth[H_BASTION], &r, t, rng_range(&r, 600, 1800), "liyang",
	    1002, ip, 1);
	tr->attempts = 1;
	truth_end(g);

	/* 17. Someone at wangfang's open db01 session guesses her sudo password. */
	rng_init(&r, g->o->seed, "scenario/sudo-guess");
	t = at_rand(g, &r, pick_workday(g, &r, 9, 27), 12, 12);
	tr = truth_begin(g, "sudo_auth_failures", "-", "db01/wangfang");
	n = rng_range(&r, 2, 3);
	for (k = 0; k < n; k++) {
		for (i = 0; i < 3; i++) {
			sudo_badpw(g, db, t, "wangfang", 1003);
			tr->attempts++;
			t += rng_range(&r, 4, 12);
		}
		aemit(g, db, t, 0, "sudo: wangfang : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/home/wangfang ; USER=root ; COMMAND=/usr/bin/su - postgres");
		t += rng_range(&r, 30, 90);
	}
	truth_end(g);

	/*
	 * 18. sunhao creates an account late in the evening, makes it a sudoer
	 * (three rows: the account, the groups, its first sudo a day later).
	 */
	rng_init(&r, g->o->seed, "scenario/rogue-account");
	d = pick_day(g, &r, 12, 22);
	t = at_rand(g, &r, d, 22, 22);
	ssh_session(g, web, &r, t - 60, 900, "sunhao", 1005, BASTION_IP, 0);
	sudo_cmd(g, web, &r, t, "sunhao", 1005, "pts/1", "/usr/sbin/useradd -m -s /bin/bash liuqiang");
	pk = new_pid(web);
	trg = truth_begin(g, "iam_group_change", "-", "web01/liuqiang");
	aemit(g, web, t, pk, "useradd[" PID "]: new group: name=liuqiang, GID=1014");
	truth_end(g);
	tr = truth_begin(g, "iam_user_created", "-", "web01/liuqiang");
	aemit(g, web, t, pk, "useradd[" PID "]: new user: name=liuqiang, UID=1014, GID=1014, home=/home/liuqiang, shell=/bin/bash, from=/dev/pts/1");
	tr->attempts = 1;
	truth_end(g);
	t += rng_range(&r, 20, 90);
	sudo_cmd(g, web, &r, t, "sunhao", 1005, "pts/1", "/usr/sbin/usermod -aG sudo liuqiang");
	pk = new_pid(web);
	g->cur = trg;
	aemit(g, web, t, pk, "usermod[" PID "]: add 'liuqiang' to group 'sudo'");
	aemit(g, web, t, pk, "usermod[" PID "]: add 'liuqiang' to shadow group 'sudo'");
	trg->attempts = 2;
	truth_end(g);
	t2 = at_rand(g, &r, d + rng_range(&r, 1, 3), 10, 15);
	ssh_session(g, web, &r, t2, rng_range(&r, 1200, 2400), "liuqiang", 1014, "10.20.11.40", 1);
	tr = truth_begin(g, "sudo_first_use", "-", "web01/liuqiang");
	sudo_counted(g, web, &r, t2 + rng_range(&r, 60, 200), "liuqiang", 1014, "/usr/bin/cat /etc/shadow");
	sudo_counted(g, web, &r, t2 + rng_range(&r, 300, 600), "liuqiang", 1014, "/usr/bin/tar czf /tmp/n.tgz /etc/nginx");
	tr->attempts = 2;
	truth_end(g);

	/* 19. Enumeration of the web API's accounts: hundreds of 403s. */
	tr = attacker(g, &r, ip, "scenario/web-enum", "45.95.147.0", 24,
	    "web_error_burst", "web01/-");
	t = at_rand(g, &r, pick_day(g, &r, 3, 27), 0, 23);
	n = rng_range(&r, 150, 250);
	for (i = 0; i < n; i++) {
		snprintf(url, sizeof(url), "/api/v1/accounts/%u", 620000 + rng_below(&r, 9000));
		web_line(g, t, ip, "GET", url, "HTTP/1.1", 403, 157, "-", "okhttp/4.12.0");
		tr->attempts++;
		t += rng_range(&r, 0, 2);
	}
	truth_end(g);
}

/*
 * Benign look-alikes, not in the ground truth: admins who mistype their SSH
 * or sudo password once or twice, root logins on db01 in office hours, and
 * portal searches for "UnionPay" (银联), whose words look like SQL.
 */
static void
gen_lookalikes(struct gen *g)
{
	struct rng r;
	int i, k;

	rng_init(&r, g->o->seed, "lookalikes");
	for (i = 0; i < 4; i++) {
		const struct user *u = &admins[rng_below(&r, 2)];
		int64_t t = at_rand(g, &r, pick_workday(g, &r, 2, 27), 9, 17);

		ssh_fail_conn(g, &g->auth[H_BASTION], &r, t - 30, u->name, 0, u->ws, 2, 3, 8, NULL);
		ssh_session(g, &g->auth[H_BASTION], &r, t, rng_range(&r, 600, 3000), u->name,
		    u->uid, u->ws, 1);
	}
	for (i = 0; i < 7; i++) {
		/* Not wangfang: her sudo password is guessed in scenario 17. */
		static const int who[] = { 0, 1, 3, 4 };
		const struct user *u = &admins[who[rng_below(&r, 4)]];
		struct logset *s = &g->auth[rng_chance(&r, .5) ? H_WEB : H_DB];
		int64_t t = at_rand(g, &r, pick_workday(g, &r, 2, 27), 9, 17);
		int typos = i < 2 ? 2 : 1;

		for (k = 0; k < typos; k++)
			sudo_badpw(g, s, t + 5 * k, u->name, u->uid);
		sudo_cmd(g, s, &r, t + 5 * typos + 3, u->name, u->uid, "pts/0",
		    s == &g->auth[H_WEB] ? PICK(&r, sudo_web) : PICK(&r, sudo_db));
	}
	for (i = 0; i < 3; i++) {
		int64_t t = at_rand(g, &r, pick_workday(g, &r, 2, 27), 10, 16);

		ssh_session(g, &g->auth[H_DB], &r, t, rng_range(&r, 300, 1200), "root", 0,
		    BASTION_IP, 0);
	}
	for (i = 0; i < 30; i++) {
		char ip[16];
		int64_t t = at_rand(g, &r, pick_day(g, &r, 1, 28), 8, 22);

		ip_in(ip, &r, PICK(&r, visitor_nets), 16);
		web_line(g, t, ip, "GET", i % 2 ? "/search?q=UnionPay" : "/search?q=union+pay+card+select",
		    "HTTP/2.0", 200, 5230 + rng_range(&r, 0, 300), SITE "/", uas[4].s);
	}
}

/* Removes the lines of s in [from, to); returns how many. */
static int64_t
cut_lines(struct logset *s, int64_t from, int64_t to)
{
	size_t i, j = 0;
	int64_t n = 0;

	for (i = 0; i < s->n; i++) {
		if (s->r[i].t >= from && s->r[i].t < to) {
			n++;
			continue;
		}
		s->r[j++] = s->r[i];
	}
	s->n = j;
	return n;
}

/* 1 if a ground-truth row on host overlaps [from - 1 h, to + 1 h). */
static int
truth_overlaps(const struct gen *g, const char *host, int64_t from, int64_t to)
{
	int i;
	size_t n = strlen(host);

	for (i = 0; i < g->ntruth; i++) {
		const struct truth *tr = &g->truth[i];

		if (strncmp(tr->target, host, n) == 0 && tr->target[n] == '/' &&
		    tr->lines > 0 && tr->first < to + 3600 && tr->last >= from - 3600)
			return 1;
	}
	return 0;
}

/*
 * 20, 21. Collection outages: db01's rsyslog stops for 6-10 hours, and
 * web01's nginx stops writing its access log for 3-4 hours. Their lines
 * are cut from the logs; the ground truth counts what was cut. An outage
 * is moved a day later while it would hide an attack on the same host.
 */
static void
gen_outages(struct gen *g)
{
	static const struct {
		const char *name, *host, *target;
		int set, hlo, hhi, dlo, dhi;
	} out[] = {
		{ "outage/db01", "db01", "db01/-", H_DB, 9, 14, 6, 10 },
		{ "outage/web01-nginx", "web01", "web01/nginx", NHOST, 10, 16, 3, 4 },
	};
	size_t o;

	for (o = 0; o < NELEM(out); o++) {
		struct rng r;
		struct truth *tr;
		int d, tries;
		int64_t from = 0, to = 0;

		rng_init(&r, g->o->seed, out[o].name);
		d = pick_day(g, &r, 8, 24);
		for (tries = 0; tries < 20; tries++, d = (d + 1) % g->ndays) {
			from = at(g, d, rng_range(&r, out[o].hlo, out[o].hhi), rng_range(&r, 0, 59), 0);
			to = from + rng_range(&r, out[o].dlo, out[o].dhi) * 3600 + rng_range(&r, 0, 1800);
			if (!truth_overlaps(g, out[o].host, from, to))
				break;
		}
		tr = truth_begin(g, "log_source_silent", "-", out[o].target);
		truth_end(g);
		tr->first = from;
		tr->last = to - 1;
		tr->lines = cut_lines(out[o].set == NHOST ? &g->web : &g->auth[out[o].set], from, to);
		tr->attempts = (to - from) / 3600;
	}
}

/*
 * 1 if a scenario on host comes within 2 h of [from, to), or of the same
 * hours 1-3 weeks before. (omsec-detect judges whole hours and does not
 * report a change another alert within an hour explains.)
 */
static int
week_overlaps(const struct gen *g, const char *host, int64_t from, int64_t to)
{
	for (int k = 0; k <= 3; k++)
		if (truth_overlaps(g, host, from - k * 7 * DAY - 3600,
		    to - k * 7 * DAY + 3600))
			return 1;
	return 0;
}

/*
 * 31, 32. Volume anomalies in the fourth week, when three weeks of the
 * same hours make a baseline: a SYN flood on a closed port of the portal's
 * public address (gw01's denies jump tenfold for an hour), and a DNS
 * mistake that sends the portal's visitors elsewhere for 2.5-3 hours
 * (web01's access log keeps only the Zabbix probe and 5 % of the rest).
 * Each is moved a day while it, or the same hours of the three weeks
 * before (its baseline), would overlap a scenario on its host.
 */
static void
gen_volume(struct gen *g)
{
	struct rng r;
	struct truth *tr;
	char ip[16];
	int d, tries, i, n;
	int64_t from = 0, to = 0, t;

	rng_init(&r, g->o->seed, "volume/flood");
	d = pick_workday(g, &r, 22, 28);
	for (tries = 0; tries < 20; tries++, d = 21 + (d - 20) % (g->ndays - 21)) {
		from = at(g, d, rng_range(&r, 10, 15), rng_range(&r, 0, 30), 0);
		to = from + rng_range(&r, 2400, 3600);
		if (!week_overlaps(g, "gw01", from, to))
			break;
	}
	tr = truth_begin(g, "volume_anomaly", "-", "gw01/network");
	n = rng_range(&r, 900, 1500);
	for (i = 0; i < n; i++) {
		static const char *const nets[] = { "58.0.0.0", "59.0.0.0", "60.0.0.0" };

		ip_in(ip, &r, PICK(&r, nets), 8);
		t = from + (int64_t)((to - from) * (double)i / n);
		fw_line(g, &r, t, 1, 0, ip, PUBLIC_NET "21", 8443);
	}
	tr->attempts = tr->lines;
	truth_end(g);

	rng_init(&r, g->o->seed, "volume/web-drop");
	d = pick_workday(g, &r, 22, 28);
	for (tries = 0; tries < 20; tries++, d = 21 + (d - 20) % (g->ndays - 21)) {
		from = at(g, d, 14, 0, 0) + rng_range(&r, 0, 1800);
		to = from + rng_range(&r, 9000, 10800);
		if (!week_overlaps(g, "web01", from, to))
			break;
	}
	tr = truth_begin(g, "volume_anomaly", "-", "web01/nginx/web");
	truth_end(g);
	{
		struct logset *s = &g->web;
		size_t j = 0, k;
		size_t pl = strlen(PROBE_IP " ");

		for (k = 0; k < s->n; k++) {
			const char *line = s->a + s->r[k].off;

			if (s->r[k].t >= from && s->r[k].t < to &&
			    !(s->r[k].len > pl && memcmp(line, PROBE_IP " ", pl) == 0) &&
			    !rng_chance(&r, .05)) {
				tr->lines++;
				continue;
			}
			s->r[j++] = s->r[k];
		}
		s->n = j;
	}
	tr->first = from;
	tr->last = to - 1;
	tr->attempts = (to - from) / 3600;
}

static void
gen_attacks(struct gen *g)
{
	struct logset *bastion = &g->auth[H_BASTION], *web = &g->auth[H_WEB];
	struct ticket *tk;
	struct truth *tr;
	struct rng r;
	char ip[16], tgt[64];
	int64_t t, dur;
	int d, i, n, sats[6], nsat = 0;

	/* 1. Brute force on the bastion's root at night, MaxAuthTries 6. */
	tr = attacker(g, &r, ip, "attack/bf-bastion-root", "218.92.0.0", 24,
	    "ssh_bruteforce", "bastion01/root");
	t = at_rand(g, &r, pick_day(g, &r, 3, 9), 1, 4);
	ssh_burst(g, &r, bastion, t, ip, "root", 0, rng_range(&r, 220, 300), 6, 6, 1, 3, 0);
	truth_end(g);
	attack_ticket(g, tr, 1, "bastion01", 12, 18, 150,
	    "堡垒机遭受SSH暴力破解（来源%s，%lld次失败），已在边界防火墙封禁源地址");

	/* 2. Brute force on web01 over a user that does not exist. */
	tr = attacker(g, &r, ip, "attack/bf-web-admin", "171.244.0.0", 16,
	    "ssh_bruteforce", "web01/admin");
	t = at_rand(g, &r, pick_day(g, &r, 10, 14), 13, 16);
	ssh_burst(g, &r, web, t, ip, "admin", 1, rng_range(&r, 90, 140), 1, 3, 2, 4, 0);
	truth_end(g);
	attack_ticket(g, tr, 2, "web01", 20, 35, 600,
	    "web01 SSH暴力破解告警（来源%s，%lld次失败，用户名admin不存在），建议关闭公网22端口");

	/*
	 * 3. Brute force across Saturday midnight: also across the weekly
	 * rotation, so it is split between two files of the set.
	 */
	rng_init(&r, g->o->seed, "attack/bf-midnight");
	for (d = 0; d + 1 < g->ndays && nsat < 6; d++)
		if (wday_of(g, d) == 6)
			sats[nsat++] = d;
	ip_in(ip, &r, "88.198.0.0", 16);
	if (nsat > 0) {
		int64_t midnight = at(g, sats[rng_below(&r, (uint32_t)nsat)] + 1, 0, 0, 0);
		int64_t start = midnight - rng_range(&r, 300, 480);

		tr = truth_begin(g, "ssh_bruteforce", ip, "bastion01/root");
		ssh_burst(g, &r, bastion, start, ip, "root", 0, rng_range(&r, 150, 200), 3, 3, 2, 5,
		    midnight + 120);
		truth_end(g);
		attack_ticket(g, tr, 1, "bastion01", 25, 30, 200,
		    "堡垒机夜间SSH暴力破解跨零点持续（来源%s，%lld次失败），已封禁");
	}

	/* 4. Another night's brute force on web01's root. */
	tr = attacker(g, &r, ip, "attack/bf-web-root", "61.177.172.0", 24,
	    "ssh_bruteforce", "web01/root");
	t = at_rand(g, &r, pick_day(g, &r, 24, 28), 5, 6);
	ssh_burst(g, &r, web, t, ip, "root", 0, rng_range(&r, 60, 100), 2, 6, 1, 3, 0);
	truth_end(g);
	attack_ticket(g, tr, 2, "web01", 15, 20, 240,
	    "web01 root账号SSH暴力破解（来源%s，%lld次失败），已封禁");

	/*
	 * 5. A forgotten test account on web01 falls: failures, then the
	 * attacker logs in and tries sudo (a second ground-truth row).
	 */
	tr = attacker(g, &r, ip, "attack/saf-web-test", "45.79.0.0", 16,
	    "ssh_success_after_failures", "web01/test");
	t = at_rand(g, &r, pick_day(g, &r, 15, 19), 2, 3);
	t = ssh_burst(g, &r, web, t, ip, "test", 0, rng_range(&r, 40, 60), 1, 3, 2, 4, 0);
	t += rng_range(&r, 5, 30);
	dur = rng_range(&r, 900, 2400);
	ssh_session(g, web, &r, t, dur, "test", 1012, ip, 1);
	truth_also(tr, "ssh_bruteforce");
	tk = attack_ticket(g, tr, 0, "web01", 35, 25, 290,
	    "web01测试账号test被暴力破解后登录成功（来源%s，此前%lld次失败），已禁用账号并排查后门");
	ticket_link(g, tk, tr, "ssh_bruteforce", tr->ip);
	tr = truth_begin(g, "sudo_not_in_sudoers", "-", "web01/test");
	sudo_denied(g, web, t + rng_range(&r, 150, 240), "test", 1, "/bin/bash");
	sudo_denied(g, web, t + rng_range(&r, 300, 420), "test", 1, "/usr/bin/cat /etc/shadow");
	tr->attempts = tr->lines;
	truth_end(g);

	/* 6. The legacy oracle account on the bastion falls too. */
	tr = attacker(g, &r, ip, "attack/saf-bastion-oracle", "180.76.0.0", 16,
	    "ssh_success_after_failures", "bastion01/oracle");
	t = at_rand(g, &r, pick_day(g, &r, 20, 24), 20, 22);
	t = ssh_burst(g, &r, bastion, t, ip, "oracle", 0, rng_range(&r, 60, 90), 6, 6, 1, 3, 0);
	t += rng_range(&r, 3, 20);
	dur = rng_range(&r, 180, 480);
	ssh_session(g, bastion, &r, t, dur, "oracle", 1013, ip, 1);
	truth_also(tr, "ssh_bruteforce");
	truth_end(g);
	tk = attack_ticket(g, tr, 0, "bastion01", 10, 12, 200,
	    "堡垒机遗留账号oracle弱口令被破解并登录（来源%s，此前%lld次失败），已锁定账号并轮换凭据");
	ticket_link(g, tk, tr, "ssh_bruteforce", tr->ip);

	/* 7. Password spray: one address, one try per user name. */
	tr = attacker(g, &r, ip, "attack/spray-bastion", "5.188.10.0", 24,
	    "ssh_password_spray", "bastion01/*");
	t = at_rand(g, &r, pick_day(g, &r, 22, 27), 9, 16);
	n = rng_range(&r, 60, (int)NELEM(spray_users));
	for (i = 0; i < n; i++) {
		t = ssh_fail_conn(g, bastion, &r, t, spray_users[i], !bastion_has(spray_users[i]), ip, 1,
		    1, 1, &tr->attempts);
		t += rng_range(&r, 18, 40);
	}
	truth_end(g);
	attack_ticket(g, tr, 2, "bastion01", 30, 40, 300,
	    "堡垒机遭受密码喷洒攻击（来源%s，%lld个用户名），已封禁");

	/* 8. sqlmap against the news page's id parameter. */
	tr = attacker(g, &r, ip, "attack/web-sqli", "104.248.0.0", 16,
	    "web_sqli", "web01/-");
	truth_also(tr, "web_scanner");	/* sqlmap says so in its user agent */
	t = at_rand(g, &r, pick_day(g, &r, 5, 12), 10, 21);
	n = rng_range(&r, 100, 160);
	for (i = 0; i < n; i++) {
		const char *p = i < 2 ? "1" : PICK(&r, sqli_payloads);
		int err = (strchr(p, '\'') || strstr(p, "%27")) && rng_chance(&r, .4);
		char url[160];

		snprintf(url, sizeof(url), "/news/detail?id=%s", p);
		web_line(g, t, ip, "GET", url, "HTTP/1.1", err ? 500 : 200,
		    err ? 177 : 8123 + rng_range(&r, -40, 40), "-", "sqlmap/1.8.11#stable (https://sqlmap.org)");
		/* The first request web_sqli counts: "1" and "1'" are not. */
		if (strstr(p, "%20AND%201=") || strstr(p, "SLEEP") ||
		    strstr(p, "UNION") || strstr(p, "ORDER%20BY") ||
		    strstr(p, "EXTRACTVALUE") || strstr(p, "OR%201=1") ||
		    strstr(p, "%27a%27"))
			truth_mark(g, tr, t, 0);
		tr->attempts++;
		t += rng_range(&r, 0, 2);
	}
	truth_end(g);
	attack_ticket(g, tr, 1, "web01", 40, 30, 420,
	    "门户网站遭受SQL注入扫描（sqlmap，来源%s，%lld次请求），WAF规则已加固");

	/* 9. A Nikto scan: hundreds of well-known paths in minutes. */
	tr = attacker(g, &r, ip, "attack/web-nikto", "80.82.77.0", 24,
	    "web_scanner", "web01/-");
	truth_also(tr, "web_sensitive_probe");	/* wp-login.php, .htaccess, *.bak */
	t = at_rand(g, &r, pick_day(g, &r, 12, 18), 0, 23);
	n = rng_range(&r, 300, 450);
	for (i = 0; i < n; i++) {
		static const char *const ext[] = { "", ".bak", ".old", ".txt", ".zip", "~" };
		static const char *const meth[] = { "OPTIONS", "TRACE", "PROPFIND" };
		char ua[96], url[128];
		const char *m = "GET";
		int st = 404, by = 153;

		snprintf(ua, sizeof(ua), "Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:%06d)",
		    i == 0 ? 0 : 1000 + i * 7);
		if (i == 0) {
			snprintf(url, sizeof(url), "/");
			st = 200;
			by = 18342;
		} else if (i < 4) {
			m = meth[i - 1];
			snprintf(url, sizeof(url), "/");
			st = 405;
			by = 157;
		} else {
			const char *p = nikto_paths[(size_t)i % NELEM(nikto_paths)];

			snprintf(url, sizeof(url), "%s%s", p,
			    p[strlen(p) - 1] == '/' ? "" : ext[(size_t)i / NELEM(nikto_paths) % NELEM(ext)]);
			if (strncmp(p, "/.ht", 4) == 0)
				st = 403;
		}
		web_line(g, t, ip, m, url, "HTTP/1.1", st, by, "-", ua);
		truth_hit(g, tr, t, 0);
		t += rng_range(&r, 0, 1);
	}
	truth_end(g);
	attack_ticket(g, tr, 3, "web01", 60, 120, 1440,
	    "门户网站遭受Nikto漏洞扫描（来源%s，%lld次请求），未发现可利用漏洞");

	/* 10. Hand-made XSS attempts on the search page. */
	tr = attacker(g, &r, ip, "attack/web-xss", "141.98.10.0", 24,
	    "web_xss", "web01/-");
	t = at_rand(g, &r, pick_day(g, &r, 8, 25), 9, 22);
	n = rng_range(&r, 20, 35);
	for (i = 0; i < n; i++) {
		const char *u = xss_urls[(size_t)i % NELEM(xss_urls)];

		web_line(g, t, ip, "GET", u, "HTTP/1.1", u[1] == 's' ? 200 : 400,
		    u[1] == 's' ? 5210 + rng_range(&r, 0, 60) : 157, SITE "/search",
		    uas[2].s);
		truth_hit(g, tr, t, 0);
		t += rng_range(&r, 3, 30);
	}
	truth_end(g);
	attack_ticket(g, tr, 2, "web01", 90, 60, 720,
	    "门户网站搜索页XSS攻击尝试（来源%s，%lld次请求），已确认输出编码有效");

	/* 11. Path traversal against the download handler. */
	tr = attacker(g, &r, ip, "attack/web-traversal", "185.220.101.0", 24,
	    "web_traversal", "web01/-");
	t = at_rand(g, &r, pick_day(g, &r, 6, 26), 0, 23);
	n = rng_range(&r, 25, 40);
	for (i = 0; i < n; i++) {
		const char *u = PICK(&r, traversal_urls);
		int st = strstr(u, "/../") && u[1] != 'd' ? 400 : (u[1] == 'd' ? 403 : 404);

		web_line(g, t, ip, "GET", u, "HTTP/1.1", st, st == 400 ? 157 : 153, "-",
		    i % 3 ? "python-requests/2.32.3" : "curl/8.5.0");
		truth_hit(g, tr, t, 0);
		t += rng_range(&r, 1, 10);
	}
	truth_end(g);
	attack_ticket(g, tr, 2, "web01", 50, 45, 480,
	    "门户网站目录遍历攻击尝试（来源%s，%lld次请求），未发现文件泄露");

	/* 12. Probes for leaked secrets: .env, .git, backups. */
	tr = attacker(g, &r, ip, "attack/web-probe", "193.32.162.0", 24,
	    "web_sensitive_probe", "web01/-");
	t = at_rand(g, &r, pick_day(g, &r, 3, 28), 0, 23);
	n = rng_range(&r, 30, 45);
	for (i = 0; i < n; i++) {
		const char *u = probe_urls[(size_t)i % NELEM(probe_urls)];

		web_line(g, t, ip, "GET", u, "HTTP/1.1", u[1] == '.' ? 403 : 404, 153, "-", FAKE_CHROME);
		truth_hit(g, tr, t, 0);
		t += rng_range(&r, 0, 3);
	}
	truth_end(g);
	attack_ticket(g, tr, 2, "web01", 45, 30, 360,
	    "门户网站敏感文件探测（.env/.git等，来源%s，%lld次请求），已确认均不可访问");

	/* 13. A developer tries sudo on web01 without the right, on a workday. */
	rng_init(&r, g->o->seed, "attack/sudo-zhaolei");
	do
		d = pick_day(g, &r, 2, 27);
	while (is_weekend(g, d));
	t = at_rand(g, &r, d, 10, 16);
	ssh_session(g, web, &r, t, rng_range(&r, 1200, 3000), "zhaolei", 1011, BASTION_IP, 0);
	snprintf(tgt, sizeof(tgt), "web01/zhaolei");
	tr = truth_begin(g, "sudo_not_in_sudoers", "-", tgt);
	sudo_denied(g, web, t + rng_range(&r, 60, 180), "zhaolei", 2, "/usr/bin/systemctl restart nginx");
	sudo_denied(g, web, t + rng_range(&r, 240, 400), "zhaolei", 2, "/usr/bin/vim /etc/nginx/conf.d/portal.conf");
	sudo_denied(g, web, t + rng_range(&r, 500, 900), "zhaolei", 2, "/usr/bin/tail -f /var/log/nginx/error.log");
	truth_end(g);
	tr->attempts = tr->lines;
	attack_ticket(g, tr, 3, "web01", 120, 60, 240,
	    "开发人员zhaolei多次尝试越权sudo操作%.0s（%lld次），已沟通确认并提醒");
	gen_scenarios(g);
	gen_net_scenarios(g);
	gen_lookalikes(g);
	gen_net_lookalikes(g);
	gen_outages(g);
	gen_volume(g);
}

/* -------------------------------------------------------------- output */

struct buf {
	char *p;
	size_t n, cap;
};

static int
buf_grow(struct buf *b, size_t more)
{
	size_t nc = b->cap ? b->cap : 1 << 16;
	char *np;

	if (b->n + more <= b->cap)
		return 0;
	while (nc < b->n + more)
		nc *= 2;
	if (!(np = realloc(b->p, nc)))
		return -1;
	b->p = np;
	b->cap = nc;
	return 0;
}

static int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = b->cap - b->n;

		va_start(ap, fmt);
		n = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? room : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			return -1;
		if (b->p && (size_t)n < room) {
			b->n += (size_t)n;
			return 0;
		}
		if (buf_grow(b, (size_t)n + 1) < 0)
			return -1;
	}
}

static int
fail(char *err, size_t cap, const char *path, const char *what)
{
	snprintf(err, cap, "%s: %s", path, what);
	return -1;
}

/* mkdir -p */
static int
make_dirs(const char *path, char *err, size_t errcap)
{
	char tmp[4096];
	size_t i, n = strlen(path);

	if (n >= sizeof(tmp))
		return fail(err, errcap, path, "path too long");
	memcpy(tmp, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (tmp[i] != '/' && tmp[i] != '\0')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return fail(err, errcap, tmp, strerror(errno));
		tmp[i] = path[i];
	}
	return 0;
}

/*
 * Writes data to path, gzip-compressed if gz: the gzip header is set by
 * hand (mtime 0, no name, OS Unix) so that the bytes depend on the content
 * only. Then sets the file's times to mtime.
 */
static int
write_file(const char *path, const char *data, size_t n, int gz,
    int64_t mtime, size_t *ondisk, char *err, size_t errcap)
{
	unsigned char *z = NULL;
	const void *out = data;
	size_t outn = n;
	struct timeval tv[2];
	FILE *f;

	if (gz) {
		z_stream zs;
		gz_header h;
		int rc;

		memset(&zs, 0, sizeof(zs));
		memset(&h, 0, sizeof(h));
		h.os = 3;
		if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			return fail(err, errcap, path, "zlib: deflateInit2 failed");
		if (deflateSetHeader(&zs, &h) != Z_OK ||
		    !(z = malloc(deflateBound(&zs, (uLong)n)))) {
			deflateEnd(&zs);
			return fail(err, errcap, path, "zlib: out of memory");
		}
		zs.next_in = (unsigned char *)(uintptr_t)data;
		zs.avail_in = (uInt)n;
		zs.next_out = z;
		zs.avail_out = (uInt)deflateBound(&zs, (uLong)n);
		rc = deflate(&zs, Z_FINISH);
		outn = zs.total_out;
		deflateEnd(&zs);
		if (rc != Z_STREAM_END) {
			free(z);
			return fail(err, errcap, path, "zlib: deflate failed");
		}
		out = z;
	}
	if (!(f = fopen(path, "wb"))) {
		free(z);
		return fail(err, errcap, path, strerror(errno));
	}
	if (fwrite(out, 1, outn, f) != outn || fflush(f) != 0) {
		int e = errno;

		fclose(f);
		free(z);
		return fail(err, errcap, path, strerror(e));
	}
	free(z);
	if (fclose(f) != 0)
		return fail(err, errcap, path, strerror(errno));
	tv[0].tv_sec = (time_t)mtime;
	tv[0].tv_usec = 0;
	tv[1] = tv[0];
	if (utimes(path, tv) < 0)
		return fail(err, errcap, path, strerror(errno));
	*ondisk = outn;
	return 0;
}

static int
rec_cmp(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Renders one record: syslog header or nginx time, markers replaced. */
static int
render(struct buf *b, const struct logset *s, const struct rec *rc,
    const uint32_t *pid, const uint32_t *sess, uint32_t us)
{
	const char *p = s->a + rc->off, *e = p + rc->len;
	struct lt c, u;

	local_of(&c, rc->t);
	if (!s->nginx && !s->raw && buf_printf(b, "%s %2d %02d:%02d:%02d %s ",
	    mon_abbr[c.mo - 1], c.d, c.h, c.mi, c.s, s->host) < 0)
		return -1;
	while (p < e) {
		const char *q = p;
		int r = 0;

		while (q < e && (unsigned char)*q > 5)
			q++;
		if (buf_grow(b, (size_t)(q - p)) < 0)
			return -1;
		/* A raw line starts with its time marker: nothing to copy, and
		 * b->p may still be NULL. */
		if (q > p)
			memcpy(b->p + b->n, p, (size_t)(q - p));
		b->n += (size_t)(q - p);
		if (q == e)
			break;
		switch (*q) {
		case 1:
			r = buf_printf(b, "%u", pid[rc->pk]);
			break;
		case 2:
			r = buf_printf(b, "%u", sess[rc->sk]);
			break;
		case 4:
			r = buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02d.%06u+0800",
			    c.y, c.mo, c.d, c.h, c.mi, c.s, us);
			break;
		case 5:
			local_of(&u, rc->t - TZ_OFF);
			r = buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02d.%06uZ", u.y,
			    u.mo, u.d, u.h, u.mi, u.s, us);
			break;
		default:
			r = buf_printf(b, "%02d/%s/%04d:%02d:%02d:%02d +0800", c.d,
			    mon_abbr[c.mo - 1], c.y, c.h, c.mi, c.s);
			break;
		}
		if (r < 0)
			return -1;
		p = q + 1;
	}
	if (buf_grow(b, 1) < 0)
		return -1;
	b->p[b->n++] = '\n';
	return 0;
}

/*
 * Sorts a log set, gives out process ids and session numbers in time
 * order, and writes one file per rotation period, newest as the bare name.
 */
static int64_t
write_set(struct gen *g, struct logset *s, char *err, size_t errcap)
{
	int64_t starts[40], total = 0, prev_t = INT64_MIN;
	uint32_t *pid = NULL, *sess = NULL, curpid, cursess, us = 0;
	struct buf b = { NULL, 0, 0 };
	char dir[4096], path[4200], rel[512];
	struct rng r, ur;
	size_t i = 0;
	int nseg = 0, k, d;

	snprintf(dir, sizeof(dir), "%s/logs/%s", g->o->outdir, s->dir);
	if (make_dirs(dir, err, errcap) < 0)
		return -1;
	qsort(s->r, s->n, sizeof(*s->r), rec_cmp);
	pid = calloc(s->npk + 1, sizeof(*pid));
	sess = calloc(s->nsk + 1, sizeof(*sess));
	if (!pid || !sess)
		goto oom;
	snprintf(rel, sizeof(rel), "pids/%s/%s", s->dir, s->base);
	rng_init(&r, g->o->seed, rel);
	curpid = 20000 + rng_below(&r, 20000);
	cursess = 100 + rng_below(&r, 400);
	for (i = 0; i < s->n; i++) {
		struct rec *rc = &s->r[i];

		if (rc->pk && !pid[rc->pk]) {
			curpid += 1 + rng_below(&r, 24);
			if (curpid > 4194304)	/* Debian 12's pid_max */
				curpid = 300;
			pid[rc->pk] = curpid;
		}
		if (rc->sk && !sess[rc->sk]) {
			cursess += rng_chance(&r, .1) ? 2 : 1;
			sess[rc->sk] = cursess;
		}
	}
	/* Sub-second stamps grow within a second, as a real log's do. */
	snprintf(rel, sizeof(rel), "usec/%s/%s", s->dir, s->base);
	rng_init(&ur, g->o->seed, rel);
	starts[nseg++] = g->t0;
	for (d = 1; d < g->ndays; d++)
		if (s->daily || wday_of(g, d) == 0)
			starts[nseg++] = at(g, d, 0, 0, 0);
	i = 0;
	for (k = 0; k < nseg; k++) {
		int64_t end = k + 1 < nseg ? starts[k + 1] : g->t1, last = end - 1, lines = 0;
		int gen_no = nseg - 1 - k;
		size_t ondisk;
		char suffix[16] = "";

		b.n = 0;
		for (; i < s->n && s->r[i].t < end; i++) {
			if (s->r[i].t != prev_t)
				us = rng_below(&ur, 500000);
			else if (us < 999000)
				us += 1 + rng_below(&ur, 999);
			prev_t = s->r[i].t;
			for (int l = 0; s->raw && l < g->nlinks; l++)
				if (g->links[l].raw && g->links[l].seq == s->r[i].seq)
					g->links[l].us = us;
			if (render(&b, s, &s->r[i], pid, sess, us) < 0)
				goto oom;
			last = s->r[i].t;
			lines++;
		}
		if (gen_no > 0)
			snprintf(suffix, sizeof(suffix), ".%d%s", gen_no, gen_no > 1 ? ".gz" : "");
		snprintf(rel, sizeof(rel), "logs/%s/%s%s", s->dir, s->base, suffix);
		snprintf(path, sizeof(path), "%s/%s", g->o->outdir, rel);
		if (write_file(path, b.p ? b.p : "", b.n, gen_no > 1, last, &ondisk, err, errcap) < 0)
			goto fail;
		if (g->o->on_file)
			g->o->on_file(g->o->ctx, rel, lines, (int64_t)ondisk);
		total += lines;
	}
	free(b.p);
	free(pid);
	free(sess);
	return total;
oom:
	fail(err, errcap, s->dir, "out of memory");
fail:
	free(b.p);
	free(pid);
	free(sess);
	return -1;
}

/* ------------------------------------------------------ service records */

/*
 * The month's other tickets: day of month (0 = last day, -1 the day before)
 * and local time, minutes to acknowledge and resolve (-1 = not yet). A few
 * miss their SLA on purpose (see samples/README.md).
 */
static const struct {
	int day, h, mi, ack, res, prio;
	const char *category, *asset, *summary;
} routine[] = {
	{ 1, 9, 12, 10, 240, 2, "巡检", "全部服务器", "第1周例行安全巡检（主机、中间件、数据库）" },
	{ 2, 10, 5, 25, 90, 3, "咨询", "bastion01", "信息科技部咨询堡垒机账号申请流程" },
	{ 2, 14, 30, 15, 180, 2, "变更", "web01", "门户网站Nginx配置变更：启用HSTS响应头" },
	{ 3, 8, 47, 20, 300, 1, "故障", "db01", "数据库备份作业失败，备份目录磁盘空间不足" },
	{ 4, 16, 20, 60, 1440, 3, "咨询", "全部系统", "客户询问等保测评整改项进度" },
	{ 5, 9, 40, 30, 1260, 2, "漏洞修复", "web01", "修复OpenSSH版本信息泄露（漏洞扫描中危项）" },
	{ 6, 11, 15, 12, 95, 2, "变更", "bastion01", "堡垒机新增运维账号sunhao" },
	{ 7, 3, 20, 25, 262, 0, "故障", "web01", "门户网站服务中断（上游证书链配置错误）" },
	{ 8, 9, 5, 10, 250, 2, "巡检", "全部服务器", "第2周例行安全巡检" },
	{ 9, 13, 22, 35, 200, 1, "故障", "web01", "门户网站访问缓慢，Nginx worker连接数告警" },
	{ 9, 21, 40, 18, 170, 0, "故障", "核心交换机", "核心交换机端口故障导致办公网部分中断" },
	{ 10, 10, 10, 40, 600, 3, "咨询", "全部服务器", "客户咨询日志留存期限是否满足等保要求（不少于6个月）" },
	{ 11, 15, 0, 20, 240, 2, "变更", "db01", "数据库参数调整：max_connections 200→400" },
	{ 12, 9, 30, 15, 2100, 2, "漏洞修复", "web01", "升级nginx至1.22.1-9+deb12u2（安全更新）" },
	{ 13, 17, 45, 40, 600, 1, "安全事件", "办公终端", "办公终端检出挖矿木马，已隔离并重装" },
	{ 14, 20, 10, 45, 300, 2, "安全事件", "邮件网关", "邮件网关拦截钓鱼邮件批量投递，已通报全行" },
	{ 15, 9, 0, 10, 260, 2, "巡检", "全部服务器", "第3周例行安全巡检" },
	{ 16, 10, 30, 30, 400, 3, "变更", "防火墙", "更新防火墙策略说明文档" },
	{ 16, 14, 5, 300, 660, 1, "故障", "VPN网关", "VPN网关证书即将过期告警，已续期" },
	{ 17, 11, 20, 30, 1500, 2, "咨询", "bastion01", "配合审计部门导出上月堡垒机操作审计记录" },
	{ 18, 9, 50, 20, 2400, 2, "漏洞修复", "db01", "PostgreSQL小版本升级（15.8→15.10）" },
	{ 19, 16, 40, 50, 1300, 3, "故障", "打印服务器", "打印服务器队列卡死，重启服务后恢复" },
	{ 20, 10, 0, 15, 150, 2, "变更", "web01", "门户网站新增理财产品页面上线" },
	{ 21, 9, 0, 20, 180, 3, "巡检", "机房", "UPS及机房环境巡检" },
	{ 22, 9, 0, 10, 240, 2, "巡检", "全部服务器", "第4周例行安全巡检" },
	{ 23, 14, 10, 25, 900, 1, "故障", "db01", "数据库主从复制延迟超过5分钟" },
	{ 24, 10, 25, 90, 2000, 3, "咨询", "全部系统", "客户咨询年度渗透测试安排" },
	{ 26, 9, 45, 20, 300, 2, "变更", "防火墙", "防火墙策略：封禁境外SSH扫描源地址段, 收敛22端口暴露面" },
	{ 27, 11, 5, 30, 600, 3, "咨询", "全部系统", "确认本月月报内容及\"重点关注\"事项" },
	{ -2, 15, 20, 15, 100, 2, "故障", "办公网", "办公网DHCP地址池耗尽，已扩容" },
	{ -2, 10, 30, 10, -1, 2, "变更", "web01", "门户网站HTTPS证书续期（等待CA签发）" },
	{ 0, 10, 0, 30, -1, 3, "变更", "全部服务器", "下月例行巡检计划编制" },
};

static const struct {
	int day;
	const char *who;
	int score[5];
	const char *comment;
} survey[] = {
	{ -3, "信息科技部 张主任", { 5, 5, 4, 5, 5 }, "驻场响应及时，月报内容详实。" },
	{ -3, "信息科技部 系统管理员 张伟", { 5, 4, 5, 5, 5 }, "暴力破解事件处置迅速，建议尽快关闭web01公网SSH。" },
	{ -2, "信息科技部 网络管理员 李洋", { 4, 4, 4, 4, 4 }, "防火墙策略变更流程可再简化。" },
	{ -2, "信息科技部 DBA 王芳", { 4, 5, 4, 4, 4 }, "数据库巡检报告很专业，希望增加慢查询分析。" },
	{ -2, "风险管理部 刘经理", { 3, 4, 3, 4, 3 }, "test账号事件处置超时；建议每周同步一次\"高风险\"事项, 并抄送风险管理部。" },
	{ -1, "运营管理部 赵主管", { 5, 4, 4, 4, 4 }, "门户网站访问速度改善明显。" },
	{ -1, "审计部 孙审计师", { 4, 5, 4, 5, 4 }, "操作审计记录提供及时、完整。" },
	{ -1, "办公室 周主任", { 3, 3, 4, 3, 3 }, "办公网故障恢复时间偏长，建议完善应急预案。" },
};

static int
day_index(const struct gen *g, int day)
{
	return day > 0 ? (day <= g->ndays ? day - 1 : g->ndays - 1) : g->ndays - 1 + day;
}

/* RFC 4180 field: quoted when it holds a comma, quote or line break. */
static int
csv_field(struct buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\r\n"))
		return buf_printf(b, "%s", s);
	if (buf_printf(b, "\"") < 0)
		return -1;
	for (; *s; s++)
		if (buf_printf(b, *s == '"' ? "\"\"" : "%c", *s) < 0)
			return -1;
	return buf_printf(b, "\"");
}

static int
local_minute(struct buf *b, int64_t t)
{
	struct lt c;

	local_of(&c, t);
	return buf_printf(b, "%04d-%02d-%02d %02d:%02d", c.y, c.mo, c.d, c.h, c.mi);
}

static int
ticket_cmp(const void *a, const void *b)
{
	const struct ticket *x = a, *y = b;

	if (x->opened != y->opened)
		return x->opened < y->opened ? -1 : 1;
	return strcmp(x->summary, y->summary);
}

/*
 * tickets.csv as an Excel "CSV UTF-8" export: BOM, CRLF, Chinese headers
 * and values. Times after the end of the month are not known yet.
 */
static int
render_tickets(struct gen *g, struct buf *b)
{
	static const char *const prio_zh[] = { "紧急", "高", "中", "低" };
	size_t i;
	int k, r = 0;

	for (i = 0; i < NELEM(routine) && g->ntickets < MAX_TICKETS; i++) {
		struct ticket *tk = &g->tickets[g->ntickets++];

		tk->opened = at(g, day_index(g, routine[i].day), routine[i].h, routine[i].mi, 0);
		tk->ack = routine[i].ack < 0 ? -1 : tk->opened + routine[i].ack * 60;
		tk->res = routine[i].res < 0 ? -1 : tk->opened + routine[i].res * 60;
		tk->prio = routine[i].prio;
		tk->category = routine[i].category;
		tk->asset = routine[i].asset;
		snprintf(tk->summary, sizeof(tk->summary), "%s", routine[i].summary);
		tk->nlink = 0;
	}
	qsort(g->tickets, (size_t)g->ntickets, sizeof(*g->tickets), ticket_cmp);
	r |= buf_printf(b, "\xEF\xBB\xBF工单号,优先级,类别,资产,创建时间,响应时间,解决时间,状态,摘要,关联告警\r\n");
	for (k = 0; k < g->ntickets; k++) {
		struct ticket *tk = &g->tickets[k];
		struct lt c;
		int acked = tk->ack >= 0 && tk->ack < g->t1;
		int done = tk->res >= 0 && tk->res < g->t1;

		local_of(&c, g->t0);
		r |= buf_printf(b, "OPS-%04d%02d-%03d,%s,", c.y, c.mo, k + 1, prio_zh[tk->prio]);
		r |= csv_field(b, tk->category);
		r |= buf_printf(b, ",");
		r |= csv_field(b, tk->asset);
		r |= buf_printf(b, ",");
		r |= local_minute(b, tk->opened);
		r |= buf_printf(b, ",");
		if (acked)
			r |= local_minute(b, tk->ack);
		r |= buf_printf(b, ",");
		if (done)
			r |= local_minute(b, tk->res);
		r |= buf_printf(b, ",%s,", done ? "已关闭" : "处理中");
		r |= csv_field(b, tk->summary);
		r |= buf_printf(b, ",");
		/* The ids omsec-detect gives the alerts (docs/alerts.md). */
		for (int l = 0; l < tk->nlink; l++) {
			const struct alink *a = &g->links[tk->link[l]];
			char id[64];

			omsec_alert_id(id, sizeof(id), a->rule, a->entity,
			    a->t * 1000 + a->us / 1000);
			r |= buf_printf(b, "%s%s", l ? " " : "", id);
		}
		r |= buf_printf(b, "\r\n");
	}
	return r ? -1 : 0;
}

static int
render_survey(struct gen *g, struct buf *b)
{
	size_t i;
	int r = 0;

	r |= buf_printf(b, "date,respondent,response_speed,professionalism,communication,solution_quality,overall,comment\n");
	for (i = 0; i < NELEM(survey); i++) {
		struct lt c;

		local_of(&c, at(g, day_index(g, survey[i].day), 12, 0, 0));
		r |= buf_printf(b, "%04d-%02d-%02d,", c.y, c.mo, c.d);
		r |= csv_field(b, survey[i].who);
		r |= buf_printf(b, ",%d,%d,%d,%d,%d,", survey[i].score[0], survey[i].score[1],
		    survey[i].score[2], survey[i].score[3], survey[i].score[4]);
		r |= csv_field(b, survey[i].comment);
		r |= buf_printf(b, "\n");
	}
	return r ? -1 : 0;
}

static int
truth_cmp(const void *a, const void *b)
{
	const struct truth *x = a, *y = b;

	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return strcmp(x->kind, y->kind);
}

static int
render_truth(struct gen *g, struct buf *b)
{
	int i, r = 0;

	qsort(g->truth, (size_t)g->ntruth, sizeof(*g->truth), truth_cmp);
	r |= buf_printf(b, "kind\tsrc_ip\ttarget\tfirst\tlast\tlines\tattempts\trules\n");
	for (i = 0; i < g->ntruth; i++) {
		const struct truth *tr = &g->truth[i];
		char f[25], l[25];

		iso_utc(f, tr->first);
		iso_utc(l, tr->last);
		r |= buf_printf(b, "%s\t%s\t%s\t%s\t%s\t%lld\t%lld\t%s%s\n", tr->kind, tr->ip,
		    tr->target, f, l, (long long)tr->lines, (long long)tr->attempts,
		    tr->rules, tr->err_burst && !strstr(tr->rules, "web_error_burst") ?
		    ",web_error_burst" : "");
	}
	return r ? -1 : 0;
}

/* ----------------------------------------------------------------- run */

static void
set_init(struct logset *s, const char *host, const char *dir,
    const char *base, int nginx, int logind_pid)
{
	memset(s, 0, sizeof(*s));
	s->host = host;
	s->dir = dir;
	s->base = base;
	s->nginx = nginx;
	s->daily = nginx;	/* Debian's nginx logrotate is daily */
	s->logind_pid = logind_pid;
}

static void
set_free(struct logset *s)
{
	free(s->r);
	free(s->a);
}

static int
write_record_file(struct gen *g, const char *name,
    int (*fn)(struct gen *, struct buf *), char *err, size_t errcap)
{
	struct buf b = { NULL, 0, 0 };
	char path[4200];
	size_t ondisk;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", g->o->outdir, name);
	if (fn(g, &b) < 0) {
		free(b.p);
		return fail(err, errcap, path, "out of memory");
	}
	rc = write_file(path, b.p, b.n, 0, g->t1, &ondisk, err, errcap);
	if (rc == 0 && g->o->on_file)
		g->o->on_file(g->o->ctx, name, -1, (int64_t)ondisk);
	free(b.p);
	return rc;
}

static int
render_site(struct gen *g, struct buf *b)
{
	(void)g;
	return buf_printf(b, "%s", omsec_samplegen_site_ini);
}

static int
render_bad_ranges(struct gen *g, struct buf *b)
{
	(void)g;
	return buf_printf(b, "%s", omsec_samplegen_bad_ranges);
}

static int
render_assets(struct gen *g, struct buf *b)
{
	(void)g;
	return buf_printf(b, "%s", omsec_samplegen_assets);
}

int64_t
omsec_samplegen_run(const struct omsec_samplegen_opts *o, char *err,
    size_t errcap)
{
	struct gen *g;
	int64_t total = 0, n;
	int i, ny, nm;

	if (!o->outdir || !*o->outdir)
		return fail(err, errcap, "-", "no output directory");
	if (o->year < 1971 || o->year > 9998 || o->month < 1 || o->month > 12)
		return fail(err, errcap, "-", "month out of range");
	if (!(g = calloc(1, sizeof(*g))) ||
	    !(g->tickets = calloc(MAX_TICKETS, sizeof(*g->tickets)))) {
		free(g);
		return fail(err, errcap, o->outdir, "out of memory");
	}
	g->o = o;
	ny = o->month == 12 ? o->year + 1 : o->year;
	nm = o->month == 12 ? 1 : o->month + 1;
	g->day0 = omsec_days_from_civil(o->year, o->month, 1);
	g->ndays = (int)(omsec_days_from_civil(ny, nm, 1) - g->day0);
	g->t0 = g->day0 * DAY - TZ_OFF;
	g->t1 = (g->day0 + g->ndays) * DAY - TZ_OFF;
	set_init(&g->auth[H_WEB], "web01", "web01", "auth.log", 0, 598);
	set_init(&g->auth[H_DB], "db01", "db01", "auth.log", 0, 611);
	set_init(&g->auth[H_BASTION], "bastion01", "bastion01", "auth.log", 0, 587);
	set_init(&g->web, "web01", "web01/nginx", "access.log", 1, 0);
	set_init(&g->fw, "gw01", "gw01", "kern.log", 0, 0);
	set_init(&g->ids, "ids01", "ids01/suricata", "eve.json", 0, 0);
	set_init(&g->my, "db02", "db02/mysql", "general.log", 0, 0);
	g->ids.raw = g->my.raw = 1;

	make_noise_pool(g);
	gen_cron(g);
	gen_admins(g);
	gen_noise(g, H_BASTION, 12, "noise/bastion01");
	gen_noise(g, H_WEB, 5, "noise/web01");
	gen_web(g);
	gen_firewall(g);
	gen_ids(g);
	gen_mysql(g);
	gen_attacks(g);
	if (g->oom) {
		total = fail(err, errcap, o->outdir, "out of memory");
		goto out;
	}
	if (make_dirs(o->outdir, err, errcap) < 0) {
		total = -1;
		goto out;
	}
	for (i = 0; i <= NHOST + 3; i++) {
		struct logset *ls = i < NHOST ? &g->auth[i] : i == NHOST ? &g->web :
		    i == NHOST + 1 ? &g->fw : i == NHOST + 2 ? &g->ids : &g->my;

		n = write_set(g, ls, err, errcap);
		if (n < 0) {
			total = -1;
			goto out;
		}
		total += n;
	}
	if (write_record_file(g, "ground-truth.tsv", render_truth, err, errcap) < 0 ||
	    write_record_file(g, "tickets.csv", render_tickets, err, errcap) < 0 ||
	    write_record_file(g, "survey.csv", render_survey, err, errcap) < 0 ||
	    write_record_file(g, "site.ini", render_site, err, errcap) < 0 ||
	    write_record_file(g, "bad-ranges.txt", render_bad_ranges, err, errcap) < 0 ||
	    write_record_file(g, "assets.csv", render_assets, err, errcap) < 0)
		total = -1;
out:
	for (i = 0; i < NHOST; i++)
		set_free(&g->auth[i]);
	set_free(&g->web);
	set_free(&g->fw);
	set_free(&g->ids);
	set_free(&g->my);
	free(g->tickets);
	free(g);
	return total;
}
