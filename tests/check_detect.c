/*
 * check_detect.c - the rules of detect_rules.c and the spray, level and
 * incident parts of detect.c, at their edges: exactly at a threshold and
 * one below, window boundaries (W and W + 1 ms), local midnight and the
 * unusual-hours wrap, out-of-order input, mid-stream flushes, learning
 * period and the state file across runs, collection health.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "detect.h"
#include "event.h"
#include "otime.h"
#include "out.h"

static int64_t
iso(const char *s)
{
	int64_t ms;
	int z;

	ck_assert_int_eq(omsec_parse_iso(&ms, &z, omsec_span_cstr(s)), 0);
	return ms;
}

/* One test event; NULL fields stay empty. */
struct tev {
	int64_t ts;
	const char *host, *module, *category, *action, *outcome, *src, *user;
	const char *url, *status, *ua, *country, *zone, *msg, *ref;
};

static struct omsec_event
mkev(const struct tev *t)
{
	struct omsec_event ev;

	omsec_event_clear(&ev);
	ev.ts_ms = t->ts;
	ev.f[OMSEC_F_HOST] = omsec_span_cstr(t->host ? t->host : "h1");
	ev.f[OMSEC_F_MODULE] = omsec_span_cstr(t->module);
	ev.f[OMSEC_F_CATEGORY] = omsec_span_cstr(t->category);
	ev.f[OMSEC_F_ACTION] = omsec_span_cstr(t->action);
	ev.f[OMSEC_F_OUTCOME] = omsec_span_cstr(t->outcome);
	ev.f[OMSEC_F_SRC_IP] = omsec_span_cstr(t->src);
	ev.f[OMSEC_F_USER] = omsec_span_cstr(t->user);
	ev.f[OMSEC_F_URL] = omsec_span_cstr(t->url);
	ev.f[OMSEC_F_STATUS] = omsec_span_cstr(t->status);
	ev.f[OMSEC_F_USER_AGENT] = omsec_span_cstr(t->ua);
	ev.f[OMSEC_F_COUNTRY] = omsec_span_cstr(t->country);
	ev.f[OMSEC_F_ZONE] = omsec_span_cstr(t->zone);
	ev.f[OMSEC_F_MSG] = omsec_span_cstr(t->msg);
	ev.f[OMSEC_F_REF] = omsec_span_cstr(t->ref ? t->ref : "x.log:1");
	return ev;
}

/* The defaults, without collection health unless asked (tests are short). */
static struct omsec_detect_opts
opts(void)
{
	struct omsec_detect_opts o = OMSEC_DETECT_OPTS_INIT;

	o.silent_hours = 0;
	return o;
}

/* Runs evs (in the order given) and returns the detector, finished. */
static struct omsec_detect *
run(const struct omsec_detect_opts *o, const struct tev *evs, int n,
    const char *state_in, const char *state_out)
{
	struct omsec_detect *d = omsec_detect_new(o);
	char err[256];

	ck_assert_ptr_nonnull(d);
	if (state_in)
		ck_assert_int_eq(omsec_detect_state_load(d, state_in, err,
		    sizeof(err)), 0);
	for (int i = 0; i < n; i++) {
		struct omsec_event ev = mkev(&evs[i]);
		ck_assert_int_eq(omsec_detect_event(d, &ev), 0);
	}
	ck_assert_int_eq(omsec_detect_finish(d), 0);
	if (state_out)
		ck_assert_int_eq(omsec_detect_state_save(d, state_out), 0);
	return d;
}

/* Number of alerts of rule; *first gets the first one (or NULL). */
static size_t
count_rule(struct omsec_detect *d, const char *rule,
    const struct omsec_alert **first)
{
	size_t n, k = 0;
	const struct omsec_alert *a = omsec_detect_alerts(d, &n);

	if (first)
		*first = NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(a[i].rule, rule) == 0) {
			if (k++ == 0 && first)
				*first = &a[i];
		}
	return k;
}

/* The whole alert output as a string (caller frees). */
static char *
render(struct omsec_detect *d)
{
	FILE *f = tmpfile();
	struct omsec_out *o;
	char *buf;
	long len;

	ck_assert_ptr_nonnull(f);
	o = omsec_out_new_fd(dup(fileno(f)));
	omsec_detect_write(d, o);
	ck_assert_int_eq(omsec_out_close(o), 0);
	len = ftell(f) >= 0 ? (fseek(f, 0, SEEK_END), ftell(f)) : 0;
	rewind(f);
	buf = calloc(1, (size_t)len + 1);
	ck_assert_uint_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return buf;
}

#define MAXEV 600
static struct tev evs[MAXEV];
static char users[MAXEV][16], ips[MAXEV][24], refs[MAXEV][24];

/* n failed sshd logins at t0 + i * step: one source, or one user. */
static void
ssh_fails(int n, int64_t t0, int64_t step, int many_users, int many_src)
{
	for (int i = 0; i < n; i++) {
		snprintf(users[i], sizeof(users[i]), "u%d", many_users ? i : 0);
		snprintf(ips[i], sizeof(ips[i]), "198.51.100.%d", many_src ? i + 1 : 7);
		snprintf(refs[i], sizeof(refs[i]), "a.log:%d", i + 1);
		evs[i] = (struct tev){ .ts = t0 + i * step, .module = "sshd",
		    .category = "authentication", .action = "login",
		    .outcome = "failure", .src = ips[i], .user = users[i],
		    .ref = refs[i] };
	}
}

/* ---- authentication ---------------------------------------------------- */

START_TEST(test_spray)
{
	struct omsec_detect_opts o = opts();
	const struct omsec_alert *a;
	struct omsec_detect *d;

	/* 10 accounts, one try each, 30 s apart: a spray, not brute force. */
	ssh_fails(10, iso("2026-11-03T10:00:00Z"), 30000, 1, 0);
	d = run(&o, evs, 10, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "ssh_password_spray", &a), 1);
	ck_assert_uint_eq(count_rule(d, "ssh_bruteforce", NULL), 0);
	ck_assert_str_eq(a->entity, "198.51.100.7");
	ck_assert_uint_eq(a->count, 10);
	ck_assert_str_eq(a->explanation, "10 failed SSH logins over 10 accounts "
	    "from 198.51.100.7 in 5 min");
	omsec_detect_free(d);
	/* 9 accounts: below both thresholds. */
	d = run(&o, evs, 9, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "ssh_password_spray", NULL), 0);
	omsec_detect_free(d);
	/* 10 accounts, 4 tries each within 10 min: brute force, not spray. */
	ssh_fails(40, iso("2026-11-03T10:00:00Z"), 5000, 0, 0);
	for (int i = 0; i < 40; i++)
		snprintf(users[i], sizeof(users[i]), "u%d", i % 10);
	d = run(&o, evs, 40, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "ssh_password_spray", NULL), 0);
	ck_assert_uint_eq(count_rule(d, "ssh_bruteforce", NULL), 1);
	omsec_detect_free(d);
}
END_TEST

START_TEST(test_distributed)
{
	struct omsec_detect_opts o = opts();
	const struct omsec_alert *a;
	struct omsec_detect *d;
	struct tev rev[20];

	/* 20 sources on one account, the last exactly W after the first. */
	ssh_fails(20, iso("2026-11-03T23:55:00Z"), 600000 / 19, 0, 1);
	evs[19].ts = evs[0].ts + 600000;
	d = run(&o, evs, 20, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "ssh_distributed_bruteforce", &a), 1);
	ck_assert_str_eq(a->entity, "u0@h1");
	ck_assert_str_eq(a->entity_type, "user");
	ck_assert_uint_eq(a->count, 20);
	ck_assert_int_eq(a->first, iso("2026-11-03T23:55:00Z"));
	ck_assert_int_eq(a->last, iso("2026-11-04T00:05:00Z"));
	omsec_detect_free(d);
	/* Out of order: the same. */
	for (int i = 0; i < 20; i++)
		rev[i] = evs[19 - i];
	d = run(&o, rev, 20, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "ssh_distributed_bruteforce", NULL), 1);
	omsec_detect_free(d);
	/* W + 1 ms: never 20 sources inside one window. */
	evs[19].ts += 1;
	d = run(&o, evs, 20, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "ssh_distributed_bruteforce", NULL), 0);
	omsec_detect_free(d);
	/* 19 sources, many tries each: no. */
	ssh_fails(19 * 3, iso("2026-11-03T10:00:00Z"), 1000, 0, 1);
	for (int i = 0; i < 57; i++)
		snprintf(ips[i], sizeof(ips[i]), "198.51.100.%d", i % 19 + 1);
	d = run(&o, evs, 57, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "ssh_distributed_bruteforce", NULL), 0);
	omsec_detect_free(d);
}
END_TEST

static struct tev
login_ok(const char *ts, const char *user, const char *src, const char *cc,
    const char *zone)
{
	return (struct tev){ .ts = iso(ts), .module = "sshd",
	    .category = "authentication", .action = "login",
	    .outcome = "success", .user = user, .src = src, .country = cc,
	    .zone = zone };
}

/* Unusual hours 22:00-06:00 Asia/Shanghai (UTC+8): 14:00Z to 22:00Z. */
static const struct {
	const char *ts, *user;
	int alert;
} offhours[] = {
	{ "2026-11-03T13:59:59.999Z", "root", 0 },	/* 21:59:59.999 */
	{ "2026-11-03T14:00:00.000Z", "root", 1 },	/* 22:00 */
	{ "2026-11-03T16:00:00.000Z", "root", 1 },	/* local midnight */
	{ "2026-11-03T21:59:59.000Z", "root", 1 },	/* 05:59:59 */
	{ "2026-11-03T22:00:00.000Z", "root", 0 },	/* 06:00 */
	{ "2026-11-03T19:00:00.000Z", "admin", 1 },
	{ "2026-11-03T19:00:00.000Z", "backup", 0 },	/* not privileged */
};

START_TEST(test_offhours)
{
	struct omsec_detect_opts o = opts();
	struct tev e = login_ok(offhours[_i].ts, offhours[_i].user, "10.0.0.1",
	    NULL, "internal");
	struct omsec_detect *d = run(&o, &e, 1, NULL, NULL);
	const struct omsec_alert *a;

	ck_assert_uint_eq(count_rule(d, "ssh_privileged_offhours", &a),
	    (size_t)offhours[_i].alert);
	if (a && _i == 2)
		ck_assert_str_eq(a->explanation, "Privileged account root@h1 logged "
		    "in at 00:00 local time from 10.0.0.1");
	omsec_detect_free(d);
}
END_TEST

START_TEST(test_new_country)
{
	struct omsec_detect_opts o = opts();
	const struct omsec_alert *a;
	struct omsec_detect *d;
	char st[] = "/tmp/check_detect.state.XXXXXX";
	struct tev e[5];
	int fd = mkstemp(st);

	ck_assert_int_ge(fd, 0);
	close(fd);
	unlink(st);
	e[0] = login_ok("2026-11-01T02:00:00Z", "liyang", "10.0.0.9", NULL, "internal");
	/* Inside the 7-day learning period: learnt, not alerted. */
	e[1] = login_ok("2026-11-07T01:59:59Z", "liyang", "203.0.113.5", "US", "external");
	/* After it: NL is new, exactly at the end of learning. */
	e[2] = login_ok("2026-11-08T02:00:00Z", "liyang", "192.0.2.8", "NL", "external");
	e[3] = login_ok("2026-11-09T02:00:00Z", "liyang", "192.0.2.9", "NL", "external");
	/* No history for this account: nothing to compare with. */
	e[4] = login_ok("2026-11-09T03:00:00Z", "newbie", "192.0.2.9", "NL", "external");
	d = run(&o, e, 5, NULL, st);
	ck_assert_uint_eq(count_rule(d, "ssh_new_country", &a), 1);
	ck_assert_str_eq(a->entity, "liyang@h1");
	ck_assert_int_eq(a->first, iso("2026-11-08T02:00:00Z"));
	ck_assert_str_eq(a->explanation, "liyang@h1 logged in from NL 192.0.2.8, "
	    "a country never seen for this account");
	omsec_detect_free(d);
	/* The next run, from the state: NL and US known, DE new at once. */
	e[0] = login_ok("2026-12-01T02:00:00Z", "liyang", "192.0.2.8", "NL", "external");
	e[1] = login_ok("2026-12-01T03:00:00Z", "liyang", "198.51.100.1", "DE", "external");
	e[2] = login_ok("2026-12-01T04:00:00Z", "newbie", "10.1.1.1", NULL, "internal");
	d = run(&o, e, 3, st, NULL);
	ck_assert_uint_eq(count_rule(d, "ssh_new_country", &a), 2);
	ck_assert_str_eq(a->entity, "liyang@h1");
	omsec_detect_free(d);
	/* Without the state the December run is all learning. */
	d = run(&o, e, 3, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "ssh_new_country", NULL), 0);
	omsec_detect_free(d);
	unlink(st);
}
END_TEST

START_TEST(test_state_file_bad)
{
	struct omsec_detect_opts o = opts();
	struct omsec_detect *d = omsec_detect_new(&o);
	char st[] = "/tmp/check_detect.bad.XXXXXX", err[256];
	int fd = mkstemp(st);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "#omsec-detect-state\t1\nbogus\tx\n", 30), 30);
	close(fd);
	ck_assert_int_eq(omsec_detect_state_load(d, st, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, ":2: not an omsec-detect-state v1 line"));
	/* A missing file is an empty history. */
	unlink(st);
	ck_assert_int_eq(omsec_detect_state_load(d, st, err, sizeof(err)), 0);
	omsec_detect_free(d);
}
END_TEST

/* ---- privilege and accounts ------------------------------------------- */

static struct tev
sudo_ev(int64_t ts, const char *user, const char *action, const char *outcome,
    const char *msg)
{
	return (struct tev){ .ts = ts, .module = "sudo", .category = "process",
	    .action = action, .outcome = outcome, .user = user, .msg = msg };
}

START_TEST(test_sudo_denied)
{
	struct omsec_detect_opts o = opts();
	const char *m = "zhaolei : user NOT in sudoers ; TTY=pts/2 ; COMMAND=/bin/sh";
	int64_t t = iso("2026-11-05T15:30:00Z");
	struct tev e[3] = {
		sudo_ev(t, "zhaolei", "sudo", "failure", m),
		sudo_ev(t + 3600000, "zhaolei", "sudo", "failure", m),	/* = 1 h */
		sudo_ev(t + 7200001, "zhaolei", "sudo", "failure", m),	/* > 1 h */
	};
	const struct omsec_alert *a;
	struct omsec_detect *d = run(&o, e, 3, NULL, NULL);

	ck_assert_uint_eq(count_rule(d, "sudo_not_in_sudoers", &a), 2);
	ck_assert_uint_eq(a->count, 2);
	ck_assert_str_eq(a->entity, "zhaolei@h1");
	ck_assert_str_eq(a->level, "general");
	omsec_detect_free(d);
	/* A wrong password is not "NOT in sudoers". */
	e[0].msg = "zhaolei : 1 incorrect password attempt ; TTY=pts/2";
	d = run(&o, e, 1, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "sudo_not_in_sudoers", NULL), 0);
	omsec_detect_free(d);
}
END_TEST

START_TEST(test_sudo_failures)
{
	struct omsec_detect_opts o = opts();
	int64_t t = iso("2026-11-05T23:58:00Z");
	struct tev e[3];
	struct omsec_detect *d;

	for (int i = 0; i < 3; i++)
		e[i] = sudo_ev(t + i * 300000, "wangfang", "pam_auth_failure",
		    "failure", NULL);
	/* 3 failures, the last exactly 10 min after the first, over midnight. */
	d = run(&o, e, 3, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "sudo_auth_failures", NULL), 1);
	omsec_detect_free(d);
	d = run(&o, e, 2, NULL, NULL);		/* two typos: no */
	ck_assert_uint_eq(count_rule(d, "sudo_auth_failures", NULL), 0);
	omsec_detect_free(d);
	e[2].ts += 1;				/* 10 min + 1 ms: no */
	d = run(&o, e, 3, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "sudo_auth_failures", NULL), 0);
	omsec_detect_free(d);
}
END_TEST

START_TEST(test_sudo_first_use)
{
	struct omsec_detect_opts o = opts();
	int64_t t = iso("2026-11-01T02:00:00Z");
	const struct omsec_alert *a;
	struct tev e[4] = {
		sudo_ev(t, "zhangwei", "sudo", "success", "zhangwei : COMMAND=/bin/ls"),
		sudo_ev(t + 8 * 86400000LL, "zhangwei", "sudo", "success", "x"),
		sudo_ev(t + 9 * 86400000LL, "liuqiang", "sudo", "success",
		    "liuqiang : TTY=pts/0 ; USER=root ; COMMAND=/usr/bin/cat /etc/shadow"),
		sudo_ev(t + 9 * 86400000LL + 60000, "liuqiang", "sudo", "success", "y"),
	};
	struct omsec_detect *d = run(&o, e, 4, NULL, NULL);

	ck_assert_uint_eq(count_rule(d, "sudo_first_use", &a), 1);
	ck_assert_str_eq(a->entity, "liuqiang@h1");
	ck_assert_str_eq(a->explanation, "liuqiang@h1 used sudo for the first "
	    "time: /usr/bin/cat /etc/shadow");
	omsec_detect_free(d);
	/* Inside the learning period nobody is new. */
	e[2].ts = e[3].ts = t + 3 * 86400000LL;
	d = run(&o, e, 4, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "sudo_first_use", NULL), 0);
	omsec_detect_free(d);
}
END_TEST

START_TEST(test_iam_and_levels)
{
	struct omsec_detect_opts o = opts();
	int64_t t = iso("2026-11-17T14:37:36Z");
	const struct omsec_alert *a;
	struct tev e[4] = {
		{ .ts = t, .host = "web01", .module = "useradd", .category = "iam",
		  .action = "group_created", .outcome = "success",
		  .msg = "new group: name=liuqiang, GID=1014" },
		{ .ts = t, .host = "web01", .module = "useradd", .category = "iam",
		  .action = "user_created", .outcome = "success", .user = "liuqiang" },
		{ .ts = t + 60000, .host = "web01", .module = "usermod",
		  .category = "iam", .action = "group_member_added",
		  .outcome = "success", .user = "liuqiang",
		  .msg = "add 'liuqiang' to group 'sudo'" },
		{ .ts = t, .host = "db01", .module = "usermod", .category = "iam",
		  .action = "group_member_added", .outcome = "success",
		  .user = "ops", .msg = "add 'ops' to group 'sudo'" },
	};
	struct omsec_detect *d;

	o.critical_hosts = "bastion01, db01";
	d = run(&o, e, 4, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "iam_user_created", &a), 1);
	ck_assert_str_eq(a->level, "general");		/* severity 2, web01 */
	ck_assert_uint_eq(count_rule(d, "iam_group_change", NULL), 2);
	size_t n;
	const struct omsec_alert *al = omsec_detect_alerts(d, &n);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(al[i].rule, "iam_group_change") != 0)
			continue;
		if (strcmp(al[i].host, "db01") == 0) {
			/* A sudo group on a critical asset: high -> urgent. */
			ck_assert_str_eq(al[i].level, "urgent");
			ck_assert_int_eq(al[i].severity, 3);
		} else {
			ck_assert_str_eq(al[i].entity, "liuqiang@web01");
			ck_assert_uint_eq(al[i].count, 2);
			ck_assert_str_eq(al[i].level, "important");
			ck_assert_str_eq(al[i].explanation, "Group change for "
			    "liuqiang@web01: group created and more");
		}
	}
	/* Alerts on liuqiang@web01 form one incident; db01's another. */
	const char *inc = NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(al[i].entity, "liuqiang@web01") == 0) {
			if (inc == NULL)
				inc = al[i].incident;
			ck_assert_str_eq(al[i].incident, inc);
		} else {
			ck_assert_str_ne(al[i].incident, inc ? inc : "");
		}
	ck_assert_uint_eq(strlen(inc), 16);
	omsec_detect_free(d);
}
END_TEST

START_TEST(test_incident_gap)
{
	struct omsec_detect_opts o = opts();
	const char *m = "x : user NOT in sudoers";
	int64_t t = iso("2026-11-05T00:00:00Z");
	size_t n;
	/* Two alerts on x@h1, the second starting 6 h after the first ends. */
	struct tev e[3] = {
		sudo_ev(t, "x", "sudo", "failure", m),
		sudo_ev(t + 6 * 3600000LL, "x", "sudo", "failure", m),
		sudo_ev(t + 12 * 3600000LL + 1, "x", "sudo", "failure", m),
	};
	struct omsec_detect *d = run(&o, e, 3, NULL, NULL);
	const struct omsec_alert *a = omsec_detect_alerts(d, &n);

	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(a[0].incident, a[1].incident);
	ck_assert_str_ne(a[1].incident, a[2].incident);
	omsec_detect_free(d);
}
END_TEST

/* ---- web -------------------------------------------------------------- */

static struct tev
web(int64_t ts, const char *src, const char *url, const char *status,
    const char *ua)
{
	return (struct tev){ .ts = ts, .host = "", .module = "nginx",
	    .category = "web", .action = "http_request", .outcome = "success",
	    .src = src, .url = url, .status = status, .ua = ua,
	    .ref = "logs/web01/nginx/access.log:1" };
}

static const struct {
	const char *url, *ua, *rule;
} web_cases[] = {
	{ "/news/detail?id=1%20UNION%20ALL%20SELECT%20NULL--", "x", "web_sqli" },
	{ "/news/detail?id=1%27%20AND%20SLEEP(5)--", "x", "web_sqli" },
	{ "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "x", "web_xss" },
	{ "/download?file=..%252f..%252fetc%252fpasswd", "x", "web_traversal" },
	{ "/static/..%2f..%2fetc%2fshadow", "x", "web_traversal" },
	{ "/.git/config", "x", "web_sensitive_probe" },
	{ "/backup.sql", "x", "web_sensitive_probe" },
	{ "/index.php~", "x", "web_sensitive_probe" },
	{ "/", "Mozilla/5.00 (Nikto/2.1.6)", "web_scanner" },
	{ "/", "sqlmap/1.8.11#stable", "web_scanner" },
	/* Look-alikes: none of these alerts. */
	{ "/search?q=union+pay+card+select", "x", NULL },
	{ "/search?q=UnionPay", "x", NULL },
	{ "/healthz", "Zabbix", NULL },
	{ "/download/app.html", "x", NULL },
	{ "/news/detail?id=1024&order=by", "x", NULL },
};

START_TEST(test_web_rules)
{
	struct omsec_detect_opts o = opts();
	int64_t t = iso("2026-11-11T08:30:00Z");
	struct tev e[3];
	struct omsec_detect *d;
	size_t n;

	/* Exactly 3 requests within 10 min (the last at +10 min). */
	for (int i = 0; i < 3; i++)
		e[i] = web(t + i * 300000, "203.0.113.3", web_cases[_i].url, "200",
		    web_cases[_i].ua);
	d = run(&o, e, 3, NULL, NULL);
	omsec_detect_alerts(d, &n);
	if (web_cases[_i].rule == NULL) {
		ck_assert_uint_eq(n, 0);
	} else {
		ck_assert_uint_eq(n, 1);
		ck_assert_uint_eq(count_rule(d, web_cases[_i].rule, NULL), 1);
	}
	omsec_detect_free(d);
	/* Two requests, or three over 10 min + 1 ms: nothing. */
	d = run(&o, e, 2, NULL, NULL);
	omsec_detect_alerts(d, &n);
	ck_assert_uint_eq(n, 0);
	omsec_detect_free(d);
	e[2].ts += 1;
	d = run(&o, e, 3, NULL, NULL);
	omsec_detect_alerts(d, &n);
	ck_assert_uint_eq(n, 0);
	omsec_detect_free(d);
}
END_TEST

START_TEST(test_web_errors)
{
	struct omsec_detect_opts o = opts();
	int64_t t = iso("2026-11-21T15:59:30Z");
	const struct omsec_alert *a;
	struct omsec_detect *d;
	char url[20][32];

	for (int i = 0; i < 20; i++) {
		snprintf(url[i], sizeof(url[i]), "/api/v1/accounts/%d", 620000 + i);
		evs[i] = web(t + i * 60000 / 19, "198.51.100.9", url[i],
		    i % 2 ? "403" : "404", "okhttp/4.12.0");
	}
	evs[19].ts = t + 60000;		/* exactly 60 s */
	d = run(&o, evs, 20, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "web_error_burst", &a), 1);
	ck_assert_uint_eq(a->count, 20);
	ck_assert_str_eq(a->entity, "198.51.100.9");
	omsec_detect_free(d);
	d = run(&o, evs, 19, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "web_error_burst", NULL), 0);
	omsec_detect_free(d);
	evs[19].ts += 1;
	d = run(&o, evs, 20, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "web_error_burst", NULL), 0);
	omsec_detect_free(d);
	/* 2xx and 3xx are not errors. */
	evs[19].ts -= 1;
	evs[5].status = "304";
	d = run(&o, evs, 20, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "web_error_burst", NULL), 0);
	omsec_detect_free(d);
}
END_TEST

/* ---- order and bounds --------------------------------------------------- */

static int
tev_cmp(const void *a, const void *b)
{
	const struct tev *x = a, *y = b;

	return (x->ts > y->ts) - (x->ts < y->ts);
}

/* A mixed month-day: every rule's events interleaved. */
static int
mixed(struct tev *e)
{
	int n = 0;
	int64_t t = iso("2026-11-12T10:00:00Z");

	for (int i = 0; i < 25; i++) {
		snprintf(ips[i], sizeof(ips[i]), "192.0.2.%d", i + 1);
		snprintf(refs[i], sizeof(refs[i]), "m.log:%d", i + 1);
		e[n++] = (struct tev){ .ts = t + i * 7000, .module = "sshd",
		    .category = "authentication", .action = "login",
		    .outcome = "failure", .src = ips[i], .user = "root",
		    .ref = refs[i] };
		e[n++] = web(t + i * 3000, "203.0.113.7", "/.env", "404", "curl/8");
		e[n++] = sudo_ev(t + i * 20000, "bob", "pam_auth_failure", "failure",
		    NULL);
	}
	return n;
}

START_TEST(test_order_and_flush)
{
	struct omsec_detect_opts o = opts();
	static struct tev e[100], r[100];
	int n = mixed(e);
	struct omsec_detect *d;
	char *sorted, *reversed, *flushed;

	d = run(&o, e, n, NULL, NULL);
	sorted = render(d);
	ck_assert_uint_eq(count_rule(d, "ssh_distributed_bruteforce", NULL), 1);
	ck_assert_uint_eq(count_rule(d, "web_sensitive_probe", NULL), 1);
	ck_assert_uint_eq(count_rule(d, "web_error_burst", NULL), 1);
	ck_assert_uint_eq(count_rule(d, "sudo_auth_failures", NULL), 1);
	ck_assert_uint_eq(omsec_detect_late(d), 0);
	omsec_detect_free(d);
	for (int i = 0; i < n; i++)
		r[i] = e[n - 1 - i];
	d = run(&o, r, n, NULL, NULL);
	reversed = render(d);
	ck_assert_str_eq(sorted, reversed);
	omsec_detect_free(d);
	/*
	 * In time order through a tiny buffer: flushed often, same alerts.
	 * (Unsorted input beyond max_held may split a burst: docs/alerts.md.)
	 */
	qsort(e, (size_t)n, sizeof(*e), tev_cmp);
	o.max_held = 4;
	d = run(&o, e, n, NULL, NULL);
	flushed = render(d);
	ck_assert_str_eq(sorted, flushed);
	ck_assert_uint_eq(omsec_detect_late(d), 0);
	omsec_detect_free(d);
	free(sorted);
	free(reversed);
	free(flushed);
}
END_TEST

/* ---- collection health -------------------------------------------------- */

START_TEST(test_silent)
{
	struct omsec_detect_opts o = OMSEC_DETECT_OPTS_INIT;
	static struct tev e[4000];
	static char when[4000][12];
	int64_t t0 = iso("2026-11-01T00:00:00Z");
	int n = 0, gap = _i == 0 ? 3 : 1;
	struct omsec_detect *d;
	const struct omsec_alert *a;

	/* 48 h of 60 cron events an hour on h1, silent for gap hours at 20:00. */
	for (int h = 0; h < 48; h++) {
		if (h >= 20 && h < 20 + gap)
			continue;
		for (int m = 0; m < 60; m++) {
			snprintf(when[n], sizeof(when[n]), "%d", n);
			e[n] = (struct tev){ .ts = t0 + h * 3600000LL + m * 60000,
			    .module = "cron", .category = "process",
			    .action = "session_open", .outcome = "success",
			    .ref = when[n] };
			n++;
		}
	}
	d = run(&o, e, n, NULL, NULL);
	if (_i == 0) {
		ck_assert_uint_eq(count_rule(d, "log_source_silent", &a), 1);
		ck_assert_str_eq(a->entity_type, "host");
		ck_assert_str_eq(a->entity, "h1");
		ck_assert_int_eq(a->first, iso("2026-11-01T20:00:00Z"));
		ck_assert_int_eq(a->last, iso("2026-11-01T22:59:59.999Z"));
		ck_assert_uint_eq(a->count, 3);
	} else {
		/* One silent hour is under silent_hours (2). */
		ck_assert_uint_eq(count_rule(d, "log_source_silent", NULL), 0);
	}
	omsec_detect_free(d);
}
END_TEST

START_TEST(test_bad_hours)
{
	struct omsec_config cfg;
	struct omsec_detect_opts o = OMSEC_DETECT_OPTS_INIT;
	const char *why = NULL;

	omsec_config_defaults(&cfg);
	ck_assert_int_eq(omsec_detect_opts_from_config(&o, &cfg, &why), 0);
	ck_assert_int_eq(o.unusual_from, 22 * 60);
	ck_assert_int_eq(o.unusual_to, 6 * 60);
	snprintf(cfg.unusual_hours, sizeof(cfg.unusual_hours), "22-06");
	ck_assert_int_eq(omsec_detect_opts_from_config(&o, &cfg, &why), -1);
	ck_assert_str_eq(why, "[detect] unusual_hours: want HH:MM-HH:MM");
	/* An unknown zone is refused at creation. */
	o = (struct omsec_detect_opts)OMSEC_DETECT_OPTS_INIT;
	o.timezone = "Mars/Olympus";
	ck_assert_ptr_null(omsec_detect_new(&o));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("detect");
	TCase *core = tcase_create("core"), *limits = tcase_create("limits"),
	    *bad = tcase_create("malformed");
	SRunner *sr;
	int failed;

	tcase_add_test(core, test_spray);
	tcase_add_test(core, test_distributed);
	tcase_add_loop_test(core, test_offhours, 0,
	    sizeof(offhours) / sizeof(offhours[0]));
	tcase_add_test(core, test_new_country);
	tcase_add_test(core, test_sudo_denied);
	tcase_add_test(core, test_sudo_failures);
	tcase_add_test(core, test_sudo_first_use);
	tcase_add_test(core, test_iam_and_levels);
	tcase_add_test(core, test_incident_gap);
	tcase_add_loop_test(core, test_web_rules, 0,
	    sizeof(web_cases) / sizeof(web_cases[0]));
	tcase_add_test(core, test_web_errors);
	tcase_add_loop_test(core, test_silent, 0, 2);
	tcase_add_test(limits, test_order_and_flush);
	tcase_add_test(bad, test_state_file_bad);
	tcase_add_test(bad, test_bad_hours);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	suite_add_tcase(s, bad);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
