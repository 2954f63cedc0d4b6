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
	const char *dst, *dport, *sid, *sig, *pid;
	int sev;
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
	ev.f[OMSEC_F_DST_IP] = omsec_span_cstr(t->dst);
	ev.f[OMSEC_F_DST_PORT] = omsec_span_cstr(t->dport);
	ev.f[OMSEC_F_RULE_ID] = omsec_span_cstr(t->sid);
	ev.f[OMSEC_F_RULE_NAME] = omsec_span_cstr(t->sig);
	ev.f[OMSEC_F_PID] = omsec_span_cstr(t->pid);
	ev.severity = t->sev;
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

/*
 * Runs evs (with state files as run() takes them) and returns how many
 * alerts of rule they raise, 0 for rule NULL (a run for its state only):
 * most cases only ask whether a rule fires, and this keeps each one line.
 */
static size_t
carry(const struct omsec_detect_opts *o, const struct tev *evs, int n,
    const char *state_in, const char *state_out, const char *rule)
{
	struct omsec_detect *d = run(o, evs, n, state_in, state_out);
	size_t k = rule ? count_rule(d, rule, NULL) : 0;

	omsec_detect_free(d);
	return k;
}

static size_t
run_count(const struct omsec_detect_opts *o, const struct tev *evs, int n,
    const char *rule)
{
	return carry(o, evs, n, NULL, NULL, rule);
}

/*
 * The edges of a rule of "so many within a window" whose n events just fill
 * it: one event fewer, or the last one 1 ms later, and it does not fire.
 * ev is as it was on return.
 */
static void
assert_edges(const struct omsec_detect_opts *o, struct tev *ev, int n,
    const char *rule)
{
	ck_assert_uint_eq(run_count(o, ev, n - 1, rule), 0);
	ev[n - 1].ts += 1;
	ck_assert_uint_eq(run_count(o, ev, n, rule), 0);
	ev[n - 1].ts -= 1;
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
	ck_assert_uint_eq(run_count(&o, evs, 9, "ssh_password_spray"), 0);
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
	ck_assert_uint_eq(run_count(&o, rev, 20,
	    "ssh_distributed_bruteforce"), 1);
	/* W + 1 ms: never 20 sources inside one window. */
	evs[19].ts += 1;
	ck_assert_uint_eq(run_count(&o, evs, 20,
	    "ssh_distributed_bruteforce"), 0);
	/* 19 sources, many tries each: no. */
	ssh_fails(19 * 3, iso("2026-11-03T10:00:00Z"), 1000, 0, 1);
	for (int i = 0; i < 57; i++)
		snprintf(ips[i], sizeof(ips[i]), "198.51.100.%d", i % 19 + 1);
	ck_assert_uint_eq(run_count(&o, evs, 57,
	    "ssh_distributed_bruteforce"), 0);
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
	ck_assert_uint_eq(run_count(&o, e, 3, "ssh_new_country"), 0);
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
	ck_assert_ptr_nonnull(strstr(err, ":2: not an omsec-detect-state line"));
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
	ck_assert_uint_eq(run_count(&o, e, 1, "sudo_not_in_sudoers"), 0);
}
END_TEST

START_TEST(test_sudo_failures)
{
	struct omsec_detect_opts o = opts();
	int64_t t = iso("2026-11-05T23:58:00Z");
	struct tev e[3];

	for (int i = 0; i < 3; i++)
		e[i] = sudo_ev(t + i * 300000, "wangfang", "pam_auth_failure",
		    "failure", NULL);
	/* 3 failures, the last exactly 10 min after the first, over midnight. */
	ck_assert_uint_eq(run_count(&o, e, 3, "sudo_auth_failures"), 1);
	/* Two typos, or 10 min + 1 ms: no. */
	assert_edges(&o, e, 3, "sudo_auth_failures");
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
	ck_assert_uint_eq(run_count(&o, e, 4, "sudo_first_use"), 0);
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
	ck_assert_ptr_nonnull(inc);
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
	assert_edges(&o, evs, 20, "web_error_burst");
	/* 2xx and 3xx are not errors. */
	evs[5].status = "304";
	ck_assert_uint_eq(run_count(&o, evs, 20, "web_error_burst"), 0);
}
END_TEST

/* ---- network ------------------------------------------------------------ */

static char ports[MAXEV][8], dsts[MAXEV][24];

/* n firewall denials from src at t0 + i * step; port or host i % k. */
static void
fw_denies(int n, int64_t t0, int64_t step, const char *src, int vertical,
    int k)
{
	for (int i = 0; i < n; i++) {
		snprintf(ports[i], sizeof(ports[i]), "%d", vertical ? 1000 + i % k :
		    3389);
		snprintf(dsts[i], sizeof(dsts[i]), "198.51.100.%d", vertical ? 10 :
		    1 + i % k);
		snprintf(refs[i], sizeof(refs[i]), "fw.log:%d", i + 1);
		evs[i] = (struct tev){ .ts = t0 + i * step, .host = "gw01",
		    .module = "iptables", .category = "network",
		    .action = "connection_denied", .outcome = "failure",
		    .src = src, .dst = dsts[i], .dport = ports[i], .ref = refs[i] };
	}
}

static void
reverse(struct tev *e, int n)
{
	for (int i = 0; i < n / 2; i++) {
		struct tev x = e[i];
		e[i] = e[n - 1 - i];
		e[n - 1 - i] = x;
	}
}

/* _i: 0 vertical (20 ports of one host), 1 horizontal (10 hosts, 1 port). */
START_TEST(test_scans)
{
	struct omsec_detect_opts o = opts();
	const char *rule = _i == 0 ? "net_port_scan" : "net_host_scan";
	const char *other = _i == 0 ? "net_host_scan" : "net_port_scan";
	int need = _i == 0 ? 20 : 10;
	const struct omsec_alert *a;
	struct omsec_detect *d;

	/* need distinct values, the last exactly W after the first, over
	 * UTC midnight (and so over a daily log rotation). */
	fw_denies(need, iso("2026-11-03T23:58:00Z"), 300000 / (need - 1),
	    "203.0.113.5", _i == 0, need);
	evs[need - 1].ts = evs[0].ts + 300000;
	d = run(&o, evs, need, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, rule, &a), 1);
	ck_assert_uint_eq(count_rule(d, other, NULL), 0);
	ck_assert_str_eq(a->entity, "203.0.113.5");
	ck_assert_str_eq(a->entity_type, "src_ip");
	ck_assert_uint_eq(a->count, (uint64_t)need);
	ck_assert_int_eq(a->last, iso("2026-11-04T00:03:00Z"));
	ck_assert_str_eq(a->host, "gw01");
	ck_assert_str_eq(a->explanation, _i == 0 ? "Port scan: 203.0.113.5 "
	    "probed 20 ports of 198.51.100.10 in 5 min (20 denied connections)" :
	    "Host scan: 203.0.113.5 probed port 3389 on 10 hosts in 5 min "
	    "(10 denied connections)");
	omsec_detect_free(d);
	/* Out of order: the same alert. */
	reverse(evs, need);
	d = run(&o, evs, need, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, rule, &a), 1);
	ck_assert_int_eq(a->first, iso("2026-11-03T23:58:00Z"));
	omsec_detect_free(d);
	reverse(evs, need);
	/* One fewer distinct value, or the last one 1 ms late: none. */
	assert_edges(&o, evs, need, rule);
	/* Many denials on need - 1 values are not a scan. */
	fw_denies(3 * need, iso("2026-11-03T10:00:00Z"), 1000, "203.0.113.5",
	    _i == 0, need - 1);
	ck_assert_uint_eq(run_count(&o, evs, 3 * need, rule), 0);
	/* A sanctioned scanner is never judged; allowed traffic is no scan. */
	fw_denies(need, iso("2026-11-03T10:00:00Z"), 1000, "203.0.113.5",
	    _i == 0, need);
	o.scan_ignore = "192.0.2.0/24, 203.0.113.0/28";
	ck_assert_uint_eq(run_count(&o, evs, need, rule), 0);
	o.scan_ignore = "";
	for (int i = 0; i < need; i++)
		evs[i].action = "connection_allowed";
	ck_assert_uint_eq(run_count(&o, evs, need, rule), 0);
	/* A bad scan_ignore entry is refused, not ignored. */
	o.scan_ignore = "203.0.113.0/33";
	ck_assert_ptr_null(omsec_detect_new(&o));
}
END_TEST

static const char *
write_tmp(char *path, size_t cap, const char *text)
{
	int fd;

	snprintf(path, cap, "/tmp/check-detect-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

START_TEST(test_bad_ranges)
{
	struct omsec_detect_opts o = opts();
	const struct omsec_alert *a;
	struct omsec_detect *d;
	char path[64], err[256];
	size_t n;

	write_tmp(path, sizeof(path),
	    "# threat feed, 2026-11\n"
	    "\n"
	    "185.220.101.0/24   # inside the next one\n"
	    "185.220.100.0/22\n"
	    "  203.0.113.7  \n"
	    "2001:db8:bad::/48 # v6\n"
	    "203.0.113.8/31\n");
	d = omsec_detect_new(&o);
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(omsec_detect_bad_ranges_load(d, path, err,
	    sizeof(err)), 0);
	struct tev e[] = {
		/* out to the listed /22, allowed: severity 3 */
		{ .ts = iso("2026-11-05T23:50:00Z"), .host = "gw01",
		  .category = "network", .action = "connection_allowed",
		  .src = "10.20.3.44", .dst = "185.220.103.255", .dport = "443",
		  .ref = "fw.log:1" },
		/* again after midnight, within merge_window: the same alert */
		{ .ts = iso("2026-11-06T00:20:00Z"), .host = "gw01",
		  .category = "network", .action = "connection_allowed",
		  .src = "10.20.3.44", .dst = "185.220.103.255", .dport = "443",
		  .ref = "fw.log:2" },
		/* just outside the /22 */
		{ .ts = iso("2026-11-05T10:00:00Z"), .category = "network",
		  .action = "connection_denied", .src = "185.220.104.0",
		  .dst = "10.20.1.10", .dport = "22", .ref = "fw.log:3" },
		{ .ts = iso("2026-11-05T10:00:00Z"), .category = "network",
		  .action = "connection_denied", .src = "185.220.99.255",
		  .dst = "10.20.1.10", .dport = "22", .ref = "fw.log:4" },
		/* a single address, denied: severity 2 */
		{ .ts = iso("2026-11-05T11:00:00Z"), .category = "network",
		  .action = "connection_denied", .src = "203.0.113.7",
		  .dst = "10.20.1.10", .dport = "22", .ref = "fw.log:5" },
		{ .ts = iso("2026-11-05T11:00:00Z"), .category = "network",
		  .action = "connection_denied", .src = "203.0.113.10",
		  .dst = "10.20.1.10", .dport = "22", .ref = "fw.log:6" },
		{ .ts = iso("2026-11-05T12:00:00Z"), .category = "network",
		  .action = "connection_denied", .src = "2001:db8:bad:ffff::1",
		  .dst = "2001:db8:1::1", .dport = "22", .ref = "fw.log:7" },
		/* not a connection: web logs are judged by the web rules */
		{ .ts = iso("2026-11-05T12:00:00Z"), .category = "web",
		  .src = "203.0.113.7", .url = "/", .status = "200",
		  .ref = "access.log:1" },
	};
	for (size_t i = 0; i < sizeof(e) / sizeof(e[0]); i++) {
		struct omsec_event ev = mkev(&e[i]);
		ck_assert_int_eq(omsec_detect_event(d, &ev), 0);
	}
	ck_assert_int_eq(omsec_detect_finish(d), 0);
	omsec_detect_alerts(d, &n);
	ck_assert_uint_eq(count_rule(d, "net_bad_range", &a), 3);
	ck_assert_str_eq(a->entity, "203.0.113.7");
	ck_assert_int_eq(a->severity, 2);
	ck_assert_str_eq(a->explanation, "1 connection with 203.0.113.7, a "
	    "listed bad range, in 0 s, e.g. 203.0.113.7 -> 10.20.1.10:22 "
	    "denied, listed as 203.0.113.7 (line 5)");
	const struct omsec_alert *al = omsec_detect_alerts(d, &n);
	int seen = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(al[i].entity, "185.220.103.255") == 0) {
			ck_assert_uint_eq(al[i].count, 2);
			ck_assert_int_eq(al[i].severity, 3);
			ck_assert_str_eq(al[i].level, "important");
			/* the merged block is named by its first line */
			ck_assert_ptr_nonnull(strstr(al[i].explanation,
			    "listed as 185.220.100.0/22 (line 4)"));
			seen |= 1;
		}
		if (strcmp(al[i].entity, "2001:db8:bad:ffff::1") == 0)
			seen |= 2;
	}
	ck_assert_int_eq(seen, 3);
	omsec_detect_free(d);
	/* Bad lines say where. */
	write_tmp(path, sizeof(path), "10.0.0.0/8\n# ok\n10.0.0.0/40\n");
	d = omsec_detect_new(&o);
	ck_assert_int_eq(omsec_detect_bad_ranges_load(d, path, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, ":3: '10.0.0.0/40' is not an address"));
	unlink(path);
	write_tmp(path, sizeof(path), "10.0.0.1 10.0.0.2\n");
	ck_assert_int_eq(omsec_detect_bad_ranges_load(d, path, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, ":1: "));
	unlink(path);
	ck_assert_int_eq(omsec_detect_bad_ranges_load(d, "/nonexistent/bad",
	    err, sizeof(err)), -1);
	omsec_detect_free(d);
}
END_TEST

/* ---- databases ------------------------------------------------------------ */

static char drefs[MAXEV][40];

static struct tev
db_ev(int64_t ts, const char *action, const char *outcome, const char *src,
    const char *user, const char *msg, const char *ref)
{
	return (struct tev){ .ts = ts, .host = "", .module = "mysql",
	    .category = "database", .action = action, .outcome = outcome,
	    .src = src, .user = user, .msg = msg, .ref = ref };
}

START_TEST(test_db_auth)
{
	struct omsec_detect_opts o = opts();
	const struct omsec_alert *a;
	struct omsec_detect *d;
	int64_t t = iso("2026-11-07T15:55:00Z");	/* 23:55 local */

	for (int i = 0; i < 5; i++) {
		snprintf(drefs[i], sizeof(drefs[i]), "logs/db02/mysql/g.log:%d", i + 1);
		evs[i] = db_ev(t + i * 150000, "login", "failure", "10.20.12.77",
		    i % 2 ? "root" : "app", "Connect\tAccess denied", drefs[i]);
	}
	d = run(&o, evs, 5, NULL, NULL);	/* 5 in exactly 10 min */
	ck_assert_uint_eq(count_rule(d, "db_auth_failures", &a), 1);
	ck_assert_str_eq(a->entity, "10.20.12.77");
	ck_assert_str_eq(a->entity_type, "src_ip");
	ck_assert_uint_eq(a->count, 5);
	ck_assert_str_eq(a->explanation, "5 failed database logins from "
	    "10.20.12.77 in 10 min, e.g. as app");
	omsec_detect_free(d);
	reverse(evs, 5);
	ck_assert_uint_eq(run_count(&o, evs, 5, "db_auth_failures"), 1);
	reverse(evs, 5);
	assert_edges(&o, evs, 5, "db_auth_failures");
}
END_TEST

START_TEST(test_db_statements)
{
	struct omsec_detect_opts o = opts();
	const struct omsec_alert *a;
	struct omsec_detect *d;
	/* 22:30 local (UTC+8) */
	int64_t t = iso("2026-11-07T14:30:00Z");
	const char *g = "logs/db02/mysql/general.log:9";

	evs[0] = db_ev(t, "statement", "success", NULL, NULL,
	    "Query\tDROP   TABLE  audit_log;", g);
	evs[1] = db_ev(t + 1000, "statement", "success", NULL, NULL,
	    "Query\tdrop temporary table if exists tmp_rpt", g);
	evs[2] = db_ev(t + 2000, "statement", "success", NULL, NULL,
	    "Query\tSELECT * FROM customers WHERE id = 7", g);
	evs[3] = db_ev(t + 3000, "statement", "success", NULL, NULL,
	    "Query\tSELECT name, card_no FROM customers INTO OUTFILE "
	    "'/tmp/c.csv'", g);
	d = run(&o, evs, 4, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "db_dangerous_statement", &a), 1);
	ck_assert_str_eq(a->entity, "logs/db02/mysql");
	ck_assert_str_eq(a->entity_type, "source");
	ck_assert_str_eq(a->explanation, "1 DROP/TRUNCATE/GRANT statement on "
	    "logs/db02/mysql in 0 s, e.g. drop table audit_log");
	ck_assert_uint_eq(count_rule(d, "db_mass_export", &a), 1);
	ck_assert_ptr_nonnull(strstr(a->explanation, "into outfile"));
	omsec_detect_free(d);
	/* In the change window (22:00-23:00 local) a DROP is planned work;
	 * at 23:00 exactly the window has ended. */
	o.change_from = 22 * 60;
	o.change_to = 23 * 60;
	ck_assert_uint_eq(run_count(&o, evs, 1, "db_dangerous_statement"), 0);
	evs[0].ts = iso("2026-11-07T15:00:00Z");
	ck_assert_uint_eq(run_count(&o, evs, 1, "db_dangerous_statement"), 1);
	/* PostgreSQL csvlog names user and host: the entity is the account. */
	evs[0] = (struct tev){ .ts = t, .host = "db01", .module = "postgresql",
	    .category = "database", .action = "statement", .outcome = "success",
	    .user = "app", .msg = "statement: GRANT ALL ON accounts TO app",
	    .ref = "pg.csv:3" };
	d = run(&o, evs, 1, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "db_dangerous_statement", &a), 0);
	omsec_detect_free(d);
	o.change_from = o.change_to = 0;
	d = run(&o, evs, 1, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "db_dangerous_statement", &a), 1);
	ck_assert_str_eq(a->entity, "app@db01");
	ck_assert_str_eq(a->entity_type, "user");
	omsec_detect_free(d);
}
END_TEST

START_TEST(test_db_dump)
{
	struct omsec_detect_opts o = opts();
	const struct omsec_alert *a;
	struct omsec_detect *d;
	int64_t t = iso("2026-11-08T15:55:00Z");	/* 23:55 local */
	static char sql[MAXEV][80];

	for (int i = 0; i < 20; i++) {
		snprintf(sql[i], sizeof(sql[i]), "Query\tSELECT /*!40001 "
		    "SQL_NO_CACHE */ * FROM `t%d`", i);
		snprintf(drefs[i], sizeof(drefs[i]), "logs/db02/mysql/g.log:%d", i + 1);
		evs[i] = db_ev(t + i * 600000 / 19, "statement", "success", NULL,
		    NULL, sql[i], drefs[i]);
	}
	evs[19].ts = t + 600000;
	d = run(&o, evs, 20, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "db_mass_export", &a), 1);
	ck_assert_uint_eq(a->count, 20);
	ck_assert_str_eq(a->entity, "logs/db02/mysql");
	omsec_detect_free(d);
	assert_edges(&o, evs, 20, "db_mass_export");
	/* Reads with a clause are not whole-table reads. */
	evs[7].msg = "Query\tSELECT * FROM `t7` LIMIT 10";
	ck_assert_uint_eq(run_count(&o, evs, 20, "db_mass_export"), 0);
	evs[7].msg = sql[7];
	/* The nightly backup window (23:00-01:00 local, over midnight). */
	o.backup_from = 23 * 60;
	o.backup_to = 60;
	ck_assert_uint_eq(run_count(&o, evs, 20, "db_mass_export"), 0);
}
END_TEST

/*
 * The MySQL general log names the account only on a thread's Connect
 * line: statements of that thread (same log folder, same thread id) name
 * it; others fall back to the folder. A dump by a db_backup_users account
 * is expected at any hour.
 */
START_TEST(test_db_thread_account)
{
	struct omsec_detect_opts o = opts();
	const struct omsec_alert *a;
	struct omsec_detect *d;
	int64_t t = iso("2026-11-08T06:00:00Z");	/* 14:00 local */
	const char *g = "logs/db02/mysql/general.log:9";
	static char sql[MAXEV][80];
	char pid[16];

	evs[0] = db_ev(t, "login", "success", "10.20.52.77", "root",
	    "Connect\troot@10.20.52.77 on corebank using TCP/IP", g);
	evs[0].pid = "42";
	evs[1] = db_ev(t + 1000, "statement", "success", NULL, NULL,
	    "Query\tDROP TABLE audit_trail", g);
	evs[1].pid = "42";
	/* Thread 42 of another server is another connection. */
	evs[2] = evs[1];
	evs[2].ref = "logs/db03/mysql/general.log:7";
	evs[3] = evs[1];
	evs[3].pid = "43";
	d = run(&o, evs, 4, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "db_dangerous_statement", NULL), 3);
	count_rule(d, "db_dangerous_statement", &a);	/* sorted by entity */
	ck_assert_str_eq(a[0].entity, "logs/db02/mysql");
	ck_assert_str_eq(a[0].entity_type, "source");
	ck_assert_str_eq(a[1].entity, "logs/db03/mysql");
	ck_assert_str_eq(a[2].entity, "root@10.20.52.77");
	ck_assert_str_eq(a[2].entity_type, "user");
	ck_assert_str_eq(a[2].explanation, "1 DROP/TRUNCATE/GRANT statement on "
	    "root@10.20.52.77 in 0 s, e.g. drop table audit_trail");
	omsec_detect_free(d);

	/* A daytime dump of 20 tables by the backup account. */
	evs[0] = db_ev(t, "login", "success", "10.20.6.15", "backup",
	    "Connect\tbackup@10.20.6.15 on  using TCP/IP", g);
	evs[0].pid = "7";
	for (int i = 1; i <= 20; i++) {
		snprintf(sql[i], sizeof(sql[i]), "Query\tSELECT * FROM `t%d`", i);
		evs[i] = db_ev(t + i * 1000, "statement", "success", NULL, NULL,
		    sql[i], g);
		evs[i].pid = "7";
	}
	d = run(&o, evs, 21, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "db_mass_export", &a), 1);
	ck_assert_str_eq(a->entity, "backup@10.20.6.15");
	ck_assert_uint_eq(a->count, 20);
	omsec_detect_free(d);
	o.db_backup_users = "dump, backup";
	ck_assert_uint_eq(run_count(&o, evs, 21, "db_mass_export"), 0);
	o.db_backup_users = "backup@10.20.6.15";
	ck_assert_uint_eq(run_count(&o, evs, 21, "db_mass_export"), 0);
	o.db_backup_users = "backup@10.20.6.16 backupx";
	ck_assert_uint_eq(run_count(&o, evs, 21, "db_mass_export"), 1);

	/* The table is bounded: the oldest of many connections is forgotten. */
	d = omsec_detect_new(&o);
	ck_assert_ptr_nonnull(d);
	for (int i = 1; i <= 16384; i++) {
		snprintf(pid, sizeof(pid), "%d", i);
		evs[0] = db_ev(t + i, "login", "success", "10.20.1.9", "app",
		    "Connect\tapp@10.20.1.9 on corebank using TCP/IP", g);
		evs[0].pid = pid;
		struct omsec_event ev = mkev(&evs[0]);
		ck_assert_int_eq(omsec_detect_event(d, &ev), 0);
	}
	for (int i = 0; i < 2; i++) {
		evs[0] = db_ev(t + 3600000 * (i + 1), "statement", "success",
		    NULL, NULL, "Query\tTRUNCATE TABLE x", g);
		evs[0].pid = i ? "16384" : "1";
		struct omsec_event ev = mkev(&evs[0]);
		ck_assert_int_eq(omsec_detect_event(d, &ev), 0);
	}
	ck_assert_int_eq(omsec_detect_finish(d), 0);
	ck_assert_uint_eq(count_rule(d, "db_dangerous_statement", &a), 2);
	ck_assert_str_eq(a[0].entity, "logs/db02/mysql");
	ck_assert_str_eq(a[1].entity, "app@10.20.1.9");
	omsec_detect_free(d);
}
END_TEST

/* A connection opened before the nightly run's end keeps its account. */
START_TEST(test_db_thread_carry)
{
	struct omsec_detect_opts o = opts();
	const struct omsec_alert *a;
	struct omsec_detect *d;
	int64_t t = iso("2026-11-08T15:59:00Z");	/* 23:59 local */
	const char *g = "logs/db02/mysql/general.log:9";
	char st[] = "/tmp/check_detect.thr.XXXXXX";
	FILE *f;
	char line[256];
	int found = 0;

	close(mkstemp(st));
	unlink(st);
	evs[0] = db_ev(t, "login", "success", "10.20.52.77", "root",
	    "Connect\troot@10.20.52.77 on corebank using TCP/IP", g);
	evs[0].pid = "42";
	evs[1] = db_ev(t + 120000, "statement", "success", NULL, NULL,
	    "Query\tDROP TABLE audit_trail", g);
	evs[1].pid = "42";
	ck_assert_uint_eq(carry(&o, evs, 1, st, st, NULL), 0);
	ck_assert_ptr_nonnull(f = fopen(st, "r"));
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "thread\t", 7) == 0 &&
		    strstr(line, "\t1794153540000\troot@10.20.52.77\n") != NULL)
			found++;
	fclose(f);
	ck_assert_int_eq(found, 1);
	d = run(&o, evs + 1, 1, st, NULL);
	ck_assert_uint_eq(count_rule(d, "db_dangerous_statement", &a), 1);
	ck_assert_str_eq(a->entity, "root@10.20.52.77");
	omsec_detect_free(d);
	/* Without the state the statement names only the folder. */
	d = run(&o, evs + 1, 1, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "db_dangerous_statement", &a), 1);
	ck_assert_str_eq(a->entity, "logs/db02/mysql");
	omsec_detect_free(d);
	unlink(st);
}
END_TEST

/* ---- IDS ------------------------------------------------------------------ */

START_TEST(test_ids)
{
	struct omsec_detect_opts o = opts();
	const struct omsec_alert *a;
	struct omsec_detect *d;
	int64_t t = iso("2026-11-09T23:55:00Z");

	for (int i = 0; i < 10; i++) {
		snprintf(refs[i], sizeof(refs[i]), "eve.json:%d", i + 1);
		evs[i] = (struct tev){ .ts = t + i * 600000 / 9, .host = "ids01",
		    .module = "suricata", .category = "intrusion_detection",
		    .action = "alert", .outcome = "unknown", .src = "45.9.20.1",
		    .dst = "198.51.100.20", .dport = "443", .sid = "2034647",
		    .sig = "ET EXPLOIT Apache log4j RCE Attempt", .sev = 2,
		    .ref = refs[i] };
	}
	evs[9].ts = t + 600000;
	d = run(&o, evs, 10, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "ids_signature_burst", &a), 1);
	ck_assert_uint_eq(count_rule(d, "ids_high_priority", NULL), 0);
	ck_assert_str_eq(a->entity, "45.9.20.1");
	ck_assert_str_eq(a->explanation, "10 IDS alerts of signature 2034647 "
	    "from 45.9.20.1 in 10 min: ET EXPLOIT Apache log4j RCE Attempt");
	omsec_detect_free(d);
	reverse(evs, 10);
	ck_assert_uint_eq(run_count(&o, evs, 10, "ids_signature_burst"), 1);
	reverse(evs, 10);
	assert_edges(&o, evs, 10, "ids_signature_burst");
	/* Ten signatures, one each: no burst. */
	for (int i = 0; i < 10; i++)
		evs[i].sid = i % 2 ? "2034647" : "2034648";
	ck_assert_uint_eq(run_count(&o, evs, 10, "ids_signature_burst"), 0);
	/* One priority-1 alert is raised at once (severity 3). */
	evs[0].sev = 3;
	d = run(&o, evs, 1, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "ids_high_priority", &a), 1);
	ck_assert_int_eq(a->severity, 3);
	omsec_detect_free(d);
}
END_TEST

/* ---- open bursts carried across runs ------------------------------------ */

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 1 << 16);
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, (1 << 16) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/*
 * Three state files for runs that follow one another (templates ending in
 * XXXXXX); the first does not exist yet, as before a first night.
 */
static void
tmp_states(char *s1, char *s2, char *s3)
{
	close(mkstemp(s1));
	close(mkstemp(s2));
	close(mkstemp(s3));
	unlink(s1);
}

static void
rm_states(const char *s1, const char *s2, const char *s3)
{
	unlink(s1);
	unlink(s2);
	unlink(s3);
}

/*
 * A nightly job runs detect once a day with --state: a brute force that
 * straddles the end of one night's input is neither cut nor lost.
 */
START_TEST(test_carry_ssh)
{
	struct omsec_detect_opts o = opts();
	const struct omsec_alert *a;
	struct omsec_detect *d;
	char s1[] = "/tmp/check_detect.s1.XXXXXX", s2[] = "/tmp/check_detect.s2.XXXXXX";
	char s3[] = "/tmp/check_detect.s3.XXXXXX", id[48];
	char *text;
	static struct tev e1[20], e2[20];

	tmp_states(s1, s2, s3);
	/* 6 failures before midnight (run 1), 6 after (run 2): 12 in 5 min. */
	ssh_fails(12, iso("2026-11-03T23:57:00Z"), 25000, 0, 0);
	memcpy(e1, evs, 6 * sizeof(*evs));
	memcpy(e2, evs + 6, 6 * sizeof(*evs));
	ck_assert_uint_eq(carry(&o, e1, 6, s1, s2, "ssh_bruteforce"), 0);
	text = slurp(s2);
	ck_assert_ptr_nonnull(strstr(text, "#omsec-detect-state\t2\nsince\t"));
	ck_assert_ptr_nonnull(strstr(text, "\nssh\t198.51.100.7\t1\t0\t"));
	free(text);
	d = run(&o, e2, 6, s2, s3);
	ck_assert_uint_eq(count_rule(d, "ssh_bruteforce", &a), 1);
	ck_assert_uint_eq(a->count, 12);
	ck_assert_int_eq(a->first, iso("2026-11-03T23:57:00Z"));
	ck_assert_int_eq(a->last, e2[5].ts);
	/* The evidence starts in the first night's lines. */
	ck_assert_ptr_nonnull(strstr(a->refs, "a.log:1,"));
	omsec_alert_id(id, sizeof(id), "ssh_bruteforce", "198.51.100.7",
	    iso("2026-11-03T23:57:00Z"));
	ck_assert_str_eq(a->id, id);
	omsec_detect_free(d);
	/* A run with no events in between (a quiet night, a rerun) ends
	 * nothing: the burst is still carried. */
	unlink(s1);
	carry(&o, e1, 6, s1, s2, NULL);
	ck_assert_uint_eq(carry(&o, e1, 0, s2, s1, "ssh_bruteforce"), 0);
	d = run(&o, e2, 6, s1, s3);
	ck_assert_uint_eq(count_rule(d, "ssh_bruteforce", &a), 1);
	ck_assert_uint_eq(a->count, 12);
	omsec_detect_free(d);
	/* Without the state: neither night alone reaches the threshold. */
	ck_assert_uint_eq(run_count(&o, e2, 6, "ssh_bruteforce"), 0);
	/* One failure 10 min + 1 ms after the carried burst: a new burst. */
	unlink(s1);
	carry(&o, e1, 6, s1, s2, NULL);
	for (int i = 0; i < 6; i++)
		e2[i].ts = e1[5].ts + 600001 + i * 1000;
	ck_assert_uint_eq(carry(&o, e2, 6, s2, s3, "ssh_bruteforce"), 0);

	/* A burst that alerted in run 1 and goes on in run 2: run 2 writes
	 * the grown alert under the same id; a run 3 with nothing from the
	 * source writes it no more. */
	ssh_fails(16, iso("2026-11-03T23:55:00Z"), 20000, 0, 0);
	memcpy(e1, evs, 12 * sizeof(*evs));
	memcpy(e2, evs + 12, 4 * sizeof(*evs));
	unlink(s1);
	d = run(&o, e1, 12, s1, s2);
	ck_assert_uint_eq(count_rule(d, "ssh_bruteforce", &a), 1);
	ck_assert_uint_eq(a->count, 12);
	snprintf(id, sizeof(id), "%s", a->id);
	omsec_detect_free(d);
	d = run(&o, e2, 4, s2, s3);
	ck_assert_uint_eq(count_rule(d, "ssh_bruteforce", &a), 1);
	ck_assert_uint_eq(a->count, 16);
	ck_assert_str_eq(a->id, id);
	omsec_detect_free(d);
	e1[0] = (struct tev){ .ts = iso("2026-11-04T09:00:00Z"), .module = "cron",
	    .category = "process", .action = "run", .outcome = "success" };
	ck_assert_uint_eq(carry(&o, e1, 1, s3, s2, "ssh_bruteforce"), 0);
	text = slurp(s2);
	ck_assert_ptr_null(strstr(text, "\nssh\t"));
	free(text);

	/* Success after failures: the failures of the night before count. */
	ssh_fails(6, iso("2026-11-03T23:50:00Z"), 1000, 0, 0);
	unlink(s1);
	carry(&o, evs, 6, s1, s2, NULL);
	e2[0] = evs[0];
	e2[0].ts = iso("2026-11-04T00:40:00Z");
	e2[0].outcome = "success";
	d = run(&o, e2, 1, s2, s3);
	ck_assert_uint_eq(count_rule(d, "ssh_success_after_failures", &a), 1);
	ck_assert_uint_eq(a->count, 7);
	ck_assert_int_eq(a->first, iso("2026-11-03T23:50:00Z"));
	omsec_detect_free(d);
	rm_states(s1, s2, s3);
}
END_TEST

START_TEST(test_carry_rules)
{
	struct omsec_detect_opts o = opts();
	const struct omsec_alert *a;
	struct omsec_detect *d;
	char s1[] = "/tmp/check_detect.r1.XXXXXX", s2[] = "/tmp/check_detect.r2.XXXXXX";
	char s3[] = "/tmp/check_detect.r3.XXXXXX", err[256];
	char *text;
	static struct tev e1[20], e2[20];

	tmp_states(s1, s2, s3);
	/* 20 ports in 4 min over midnight: 12 in run 1, 8 in run 2. */
	fw_denies(20, iso("2026-11-03T23:58:00Z"), 12000, "203.0.113.5", 1, 20);
	memcpy(e1, evs, 12 * sizeof(*evs));
	memcpy(e2, evs + 12, 8 * sizeof(*evs));
	ck_assert_uint_eq(carry(&o, e1, 12, s1, s2, "net_port_scan"), 0);
	text = slurp(s2);
	ck_assert_ptr_nonnull(strstr(text, "\nopen\tnet_port_scan\t"
	    "203.0.113.5 198.51.100.10\t"));
	free(text);
	/* An empty run in between carries it on unchanged. */
	carry(&o, e2, 0, s2, s3, NULL);
	ck_assert_uint_eq(carry(&o, e2, 8, s3, s1, "net_port_scan"), 1);
	unlink(s1);
	d = run(&o, e2, 8, s2, s3);
	ck_assert_uint_eq(count_rule(d, "net_port_scan", &a), 1);
	ck_assert_uint_eq(a->count, 20);
	ck_assert_int_eq(a->first, iso("2026-11-03T23:58:00Z"));
	ck_assert_ptr_nonnull(strstr(a->explanation, "probed 20 ports"));
	omsec_detect_free(d);
	/* The state round-trips: load and save again, same bytes. */
	d = omsec_detect_new(&o);
	ck_assert_int_eq(omsec_detect_state_load(d, s2, err, sizeof(err)), 0);
	ck_assert_int_eq(omsec_detect_state_save(d, s3), 0);
	omsec_detect_free(d);
	text = slurp(s2);
	char *again = slurp(s3);
	ck_assert_str_eq(text, again);
	free(text);
	free(again);
	/* A damaged open line is refused with its line number. */
	FILE *f = fopen(s3, "w");
	fputs("#omsec-detect-state\t2\nopen\tnet_port_scan\tk\t5\t4\t1\t0\t2"
	    "\t0\t-\t-\t-\t-\t-\n", f);
	fclose(f);
	d = omsec_detect_new(&o);
	ck_assert_int_eq(omsec_detect_state_load(d, s3, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, ":2: not an omsec-detect-state line"));
	omsec_detect_free(d);
	rm_states(s1, s2, s3);
}
END_TEST

/* ---- seasonal volume ------------------------------------------------------ */

/*
 * n web events of host h1 spread over the hour that starts at h (ms),
 * appended to e at *k.
 */
static void
vol_hour(struct tev *e, int *k, int64_t h, int n)
{
	for (int i = 0; i < n; i++)
		e[(*k)++] = (struct tev){ .ts = h + (int64_t)i * 3600000 / (n + 1),
		    .host = "h1", .module = "nginx", .category = "web",
		    .action = "http_request", .outcome = "success", .status = "200",
		    .url = "/", .src = "192.0.2.1", .ref = "access.log:1" };
}

/*
 * Three Wednesdays at local midnight (Tuesday 16:00 UTC) with 190, 200 and
 * 210 events, then the fourth with x; one event an hour before the first
 * and two hours after the last bound the input (partial hours are not
 * judged). Returns the number of events in e.
 */
static int
vol_month(struct tev *e, int64_t t0, int weeks, int x, int from_week)
{
	static const int base[] = { 190, 200, 210, 205 };
	int k = 0;

	if (from_week == 0)
		vol_hour(e, &k, t0 - 3600000, 1);
	for (int w = from_week; w < weeks; w++)
		vol_hour(e, &k, t0 + w * 7 * 86400000LL, base[w]);
	if (x >= 0) {
		vol_hour(e, &k, t0 + weeks * 7 * 86400000LL, x);
		vol_hour(e, &k, t0 + weeks * 7 * 86400000LL + 2 * 3600000, 1);
	}
	return k;
}

START_TEST(test_volume)
{
	struct omsec_detect_opts o = opts();
	const struct omsec_alert *a;
	struct omsec_detect *d;
	struct tev *e = calloc(4000, sizeof(*e));
	int64_t t0 = iso("2026-11-03T16:00:00Z");	/* Wed 00:00 local */
	int n;

	ck_assert_ptr_nonnull(e);
	/* A spike: exactly 3 times the median (200), and one below. */
	n = vol_month(e, t0, 3, 600, 0);
	d = run(&o, e, n, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "volume_anomaly", &a), 1);
	ck_assert_str_eq(a->entity, "h1/web");
	ck_assert_str_eq(a->entity_type, "source");
	ck_assert_str_eq(a->host, "h1");
	ck_assert_int_eq(a->first, iso("2026-11-24T16:00:00Z"));
	ck_assert_int_eq(a->last, iso("2026-11-24T16:59:59.999Z"));
	ck_assert_uint_eq(a->count, 600);
	ck_assert_str_eq(a->explanation, "h1/web logged 600 events in 1 h from "
	    "11-25 00:00 local, 3.0 times the usual 200 of Wednesdays at that "
	    "hour (median of the past weeks): a spike / h1/web 自 11-25 00:00 起 "
	    "1 小时内产生 600 条事件，为近几周周三同一时段中位数 200 的 3.0 倍，"
	    "属于突增");
	omsec_detect_free(d);
	/* Out of order: the same. */
	reverse(e, n);
	ck_assert_uint_eq(run_count(&o, e, n, "volume_anomaly"), 1);
	n = vol_month(e, t0, 3, 599, 0);
	ck_assert_uint_eq(run_count(&o, e, n, "volume_anomaly"), 0);
	/* A drop: a third of the median (66 * 3 <= 200), and one above. */
	n = vol_month(e, t0, 3, 66, 0);
	d = run(&o, e, n, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "volume_anomaly", &a), 1);
	ck_assert_ptr_nonnull(strstr(a->explanation, "a drop to 33% / "));
	ck_assert_ptr_nonnull(strstr(a->explanation, "属于骤降"));
	omsec_detect_free(d);
	n = vol_month(e, t0, 3, 67, 0);
	ck_assert_uint_eq(run_count(&o, e, n, "volume_anomaly"), 0);
	/* Two weeks of history are not a baseline (volume_min_weeks 3). */
	n = vol_month(e, t0, 2, 600, 0);
	ck_assert_uint_eq(run_count(&o, e, n, "volume_anomaly"), 0);
	/* A spike another alert on the host explains is not repeated. */
	n = vol_month(e, t0, 3, 600, 0);
	e[n++] = (struct tev){ .ts = t0 + 21 * 86400000LL + 60000, .host = "h1",
	    .module = "sudo", .category = "process", .action = "sudo",
	    .outcome = "failure", .user = "eve",
	    .msg = "eve : user NOT in sudoers ; COMMAND=/bin/sh" };
	d = run(&o, e, n, NULL, NULL);
	ck_assert_uint_eq(count_rule(d, "sudo_not_in_sudoers", NULL), 1);
	ck_assert_uint_eq(count_rule(d, "volume_anomaly", NULL), 0);
	omsec_detect_free(d);
	free(e);
}
END_TEST

/* Nightly runs learn the baseline from each other through the state. */
START_TEST(test_volume_state)
{
	struct omsec_detect_opts o = opts();
	const struct omsec_alert *a;
	struct omsec_detect *d;
	struct tev *e = calloc(4000, sizeof(*e));
	int64_t t0 = iso("2026-11-03T16:00:00Z");
	char s1[] = "/tmp/check_detect.v1.XXXXXX", s2[] = "/tmp/check_detect.v2.XXXXXX";
	char s3[] = "/tmp/check_detect.v3.XXXXXX";
	char *text;
	int n;

	ck_assert_ptr_nonnull(e);
	tmp_states(s1, s2, s3);
	/* Run 1: the three weeks of history, and the hour after them. */
	n = vol_month(e, t0, 3, -1, 0);
	vol_hour(e, &n, t0 + 2 * 7 * 86400000LL + 2 * 3600000, 1);
	ck_assert_uint_eq(carry(&o, e, n, s1, s2, "volume_anomaly"), 0);
	text = slurp(s2);
	ck_assert_ptr_nonnull(strstr(text, "\nvol\th1/web\t0\t"));
	free(text);
	/* Run 2: only the fourth week's hour: the spike is seen. */
	n = 0;
	vol_hour(e, &n, t0 + 21 * 86400000LL, 600);
	vol_hour(e, &n, t0 + 21 * 86400000LL + 2 * 3600000, 1);
	d = run(&o, e, n, s2, s3);
	ck_assert_uint_eq(count_rule(d, "volume_anomaly", &a), 1);
	ck_assert_uint_eq(a->count, 600);
	omsec_detect_free(d);
	/* Without the state, run 2 has no baseline. */
	ck_assert_uint_eq(run_count(&o, e, n, "volume_anomaly"), 0);
	rm_states(s1, s2, s3);
	free(e);
}
END_TEST

/*
 * A spike over the hours on both sides of a nightly run's end is one alert:
 * run 2 alerts its first hour (the id), run 3 the whole, same id.
 */
START_TEST(test_volume_open)
{
	struct omsec_detect_opts o = opts();
	const struct omsec_alert *a;
	struct omsec_detect *d;
	struct tev *e = calloc(4000, sizeof(*e));
	int64_t t0 = iso("2026-11-03T16:00:00Z"), h4 = t0 + 21 * 86400000LL;
	char s1[] = "/tmp/check_detect.o1.XXXXXX", s2[] = "/tmp/check_detect.o2.XXXXXX";
	char s3[] = "/tmp/check_detect.o3.XXXXXX", id[48], *text;
	int n = 0;

	ck_assert_ptr_nonnull(e);
	tmp_states(s1, s2, s3);
	/* Run 1: three weeks of two hours of 200, bounded by partial hours. */
	vol_hour(e, &n, t0 - 3600000, 1);
	for (int w = 0; w < 3; w++) {
		vol_hour(e, &n, t0 + w * 7 * 86400000LL, 200);
		vol_hour(e, &n, t0 + w * 7 * 86400000LL + 3600000, 200);
	}
	vol_hour(e, &n, t0 + 2 * 7 * 86400000LL + 3 * 3600000, 1);
	ck_assert_uint_eq(carry(&o, e, n, s1, s2, "volume_anomaly"), 0);
	/* Run 2: 600 in the first hour; the second has begun (1 event). */
	n = 0;
	vol_hour(e, &n, h4, 600);
	vol_hour(e, &n, h4 + 3600000, 1);
	d = run(&o, e, n, s2, s3);
	ck_assert_uint_eq(count_rule(d, "volume_anomaly", &a), 1);
	ck_assert_int_eq(a->first, h4);
	ck_assert_int_eq(a->last, h4 + 3599999);
	ck_assert_uint_eq(a->count, 600);
	snprintf(id, sizeof(id), "%s", a->id);
	omsec_detect_free(d);
	text = slurp(s3);
	ck_assert_ptr_nonnull(strstr(text, "\nvolopen\th1/web\t1\t"));
	free(text);
	/* Run 3: the second hour is a spike too (1 + 599): one alert. */
	n = 0;
	vol_hour(e, &n, h4 + 3600000 + 1000, 599);
	vol_hour(e, &n, h4 + 3 * 3600000, 1);
	d = run(&o, e, n, s3, s1);
	ck_assert_uint_eq(count_rule(d, "volume_anomaly", &a), 1);
	ck_assert_str_eq(a->id, id);
	ck_assert_int_eq(a->first, h4);
	ck_assert_int_eq(a->last, h4 + 2 * 3600000 - 1);
	ck_assert_uint_eq(a->count, 1200);
	ck_assert_ptr_nonnull(strstr(a->explanation, "1200 events in 2 h"));
	omsec_detect_free(d);
	/* Closed in run 3: nothing left open. */
	text = slurp(s1);
	ck_assert_ptr_null(strstr(text, "\nvolopen\t"));
	free(text);
	/* Had the second hour been usual, run 3 writes nothing again. */
	n = 0;
	vol_hour(e, &n, h4 + 3600000 + 1000, 199);
	vol_hour(e, &n, h4 + 3 * 3600000, 1);
	ck_assert_uint_eq(carry(&o, e, n, s3, NULL, "volume_anomaly"), 0);
	rm_states(s1, s2, s3);
	free(e);
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

/*
 * The usual volume is carried: a host that logs nothing at all in the
 * next night's input is silent by the history of the night before.
 */
START_TEST(test_silent_carry)
{
	struct omsec_detect_opts o = OMSEC_DETECT_OPTS_INIT;
	static struct tev e[4000];
	int64_t t0 = iso("2026-11-01T00:00:00Z");
	int n = 0, m;
	struct omsec_detect *d;
	const struct omsec_alert *a;
	char st[] = "/tmp/check_detect.sil.XXXXXX", line[512];
	FILE *f;
	int span = 0, h1 = 0;

	close(mkstemp(st));
	unlink(st);
	/* Night 1: h1 and h2, 60 cron events an hour each. */
	for (int h = 0; h < 24; h++)
		for (m = 0; m < 60; m++)
			for (int k = 0; k < 2; k++)
				e[n++] = (struct tev){ .ts = t0 + h * 3600000LL +
				    m * 60000 + k, .host = k ? "h2" : "h1",
				    .module = "cron", .category = "process",
				    .action = "session_open", .outcome = "success" };
	d = run(&o, e, n, st, st);
	ck_assert_uint_eq(count_rule(d, "log_source_silent", NULL), 0);
	omsec_detect_free(d);
	ck_assert_ptr_nonnull(f = fopen(st, "r"));
	while (fgets(line, sizeof(line), f) != NULL) {
		span += strncmp(line, "silspan\t", 8) == 0;
		h1 += strncmp(line, "silent\th1\th\t2\t", 14) == 0;
	}
	fclose(f);
	ck_assert_int_eq(span, 1);
	ck_assert_int_eq(h1, 1);
	/* Night 2: only h2 logs. */
	n = 0;
	for (int h = 24; h < 48; h++)
		for (m = 0; m < 60; m++)
			e[n++] = (struct tev){ .ts = t0 + h * 3600000LL + m * 60000,
			    .host = "h2", .module = "cron", .category = "process",
			    .action = "session_open", .outcome = "success" };
	d = run(&o, e, n, st, NULL);
	ck_assert_uint_eq(count_rule(d, "log_source_silent", &a), 1);
	ck_assert_str_eq(a->entity, "h1");
	ck_assert_str_eq(a->entity_type, "host");
	/* From night 1's last hour, completed now, to night 2's last whole. */
	ck_assert_int_eq(a->first, iso("2026-11-02T00:00:00Z"));
	ck_assert_int_eq(a->last, iso("2026-11-02T22:59:59.999Z"));
	ck_assert_uint_eq(a->count, 23);
	ck_assert_str_eq(a->explanation, "h1 logged 0 events in 23 h (usually "
	    "60 an hour): the source fell silent or far below its volume");
	omsec_detect_free(d);
	/* Without the history, h1 is not a source of this input at all. */
	ck_assert_uint_eq(run_count(&o, e, n, "log_source_silent"), 0);
	unlink(st);
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
	tcase_add_loop_test(core, test_scans, 0, 2);
	tcase_add_test(core, test_bad_ranges);
	tcase_add_test(core, test_db_auth);
	tcase_add_test(core, test_db_statements);
	tcase_add_test(core, test_db_dump);
	tcase_add_test(core, test_db_thread_account);
	tcase_add_test(core, test_db_thread_carry);
	tcase_add_test(core, test_silent_carry);
	tcase_add_test(core, test_ids);
	tcase_add_test(limits, test_order_and_flush);
	tcase_add_test(bad, test_state_file_bad);
	tcase_add_test(core, test_carry_ssh);
	tcase_add_test(core, test_carry_rules);
	tcase_add_test(core, test_volume);
	tcase_add_test(core, test_volume_state);
	tcase_add_test(core, test_volume_open);
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
