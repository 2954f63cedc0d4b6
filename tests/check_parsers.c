/*
 * check_parsers.c - Check suite of omsec_parsers.
 *
 * core:      table-driven valid samples of every parser with exact fields,
 *            then an invalid block; year rollover; zone conversion; the
 *            stream driver (framing, '##' unescape, #stats, rejects).
 * limits:    the tests/data/bad corpus through the stream and every parser.
 * malformed: 100k random byte strings (fixed-seed PRNG) through every
 *            parser row and every program parser.
 * realdata:  ../shared/realdata (label realdata; run with CK_RUN_CASE).
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "event.h"
#include "otime.h"
#include "out.h"
#include "parse.h"
#include "pint.h"
#include "reader.h"
#include "rules.h"

/* Mtime used by the samples: 2026-11-20T00:00:00Z. */
#define MTIME_NOV 1795132800

static struct omsec_parse *
mk(const char *tz, const char *type, int year)
{
	struct omsec_parse_opts o = OMSEC_PARSE_OPTS_INIT;
	char err[128];
	struct omsec_parse *p;

	o.tz = tz;
	o.type = type;
	o.year = year;
	o.now = MTIME_NOV;
	o.rules_dir = OMSEC_RULES_SRC;
	p = omsec_parse_new(&o, err, sizeof(err));
	ck_assert_msg(p != NULL, "%s", err);
	return p;
}

static void
fld(char *buf, size_t cap, const struct omsec_event *ev, enum omsec_field f)
{
	omsec_span_copy(buf, cap, ev->f[f]);
}

/* Asserts field f equals want (NULL: empty). */
static void
expect(const struct omsec_event *ev, enum omsec_field f, const char *want,
    const char *line)
{
	char got[1024];

	fld(got, sizeof(got), ev, f);
	ck_assert_msg(strcmp(got, want ? want : "") == 0,
	    "%s: field %s: got '%s', want '%s'", line, omsec_field_name(f),
	    got, want ? want : "");
}

/* ---------------------------------------------------------------- core */

struct sample {
	const char *path;	/* source path (module hint for web logs) */
	const char *line;
	const char *ts;		/* ISO UTC */
	const char *host, *module, *category, *action, *outcome;
	int sev;
	const char *src_ip, *src_port, *user, *process, *pid;
	const char *method, *url, *status, *bytes, *ua;
	const char *msg;
};

static const struct sample samples[] = {
	/* RFC 3164 + sshd; Asia/Shanghai is UTC+8. */
	{ "auth.log", "Nov  3 02:14:07 web1 sshd[811]: Accepted publickey for deploy from 10.0.0.5 port 50022 ssh2: RSA SHA256:abc",
	  "2026-11-02T18:14:07.000Z", "web1", "sshd", "authentication", "login", "success", 0,
	  "10.0.0.5", "50022", "deploy", "sshd", "811", NULL, NULL, NULL, NULL, NULL,
	  "Accepted publickey for deploy from 10.0.0.5 port 50022 ssh2: RSA SHA256:abc" },
	{ "auth.log", "Nov  3 02:14:08 web1 sshd[812]: Accepted password for root from 203.0.113.9 port 4242 ssh2",
	  "2026-11-02T18:14:08.000Z", "web1", "sshd", "authentication", "login", "success", 1,
	  "203.0.113.9", "4242", "root", "sshd", "812", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "auth.log", "Nov 13 12:00:00 web1 sshd[9]: Failed password for invalid user admin from 2001:db8::7 port 22 ssh2",
	  "2026-11-13T04:00:00.000Z", "web1", "sshd", "authentication", "login", "failure", 2,
	  "2001:db8::7", "22", "admin", "sshd", "9", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "auth.log", "Nov 13 12:00:00 web1 sshd[9]: Failed password for invalid user oracle test from 198.51.100.1 port 1 ssh2",
	  "2026-11-13T04:00:00.000Z", "web1", "sshd", "authentication", "login", "failure", 2,
	  "198.51.100.1", "1", "oracle test", "sshd", "9", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "auth.log", "Nov 13 12:00:00 web1 sshd[9]: Invalid user test from 10.0.2.2",
	  NULL, "web1", "sshd", "authentication", "invalid_user", "failure", 1,
	  "10.0.2.2", NULL, "test", "sshd", "9", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "auth.log", "Nov 13 12:00:00 web1 sshd[9]: Invalid user pi from 10.0.2.3 port 5555",
	  NULL, "web1", "sshd", "authentication", "invalid_user", "failure", 1,
	  "10.0.2.3", "5555", "pi", "sshd", "9", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "auth.log", "Nov 13 12:00:00 web1 sshd[9]: Connection closed by authenticating user root 203.0.113.9 port 52814 [preauth]",
	  NULL, "web1", "sshd", "authentication", "disconnect", "unknown", 0,
	  "203.0.113.9", "52814", "root", "sshd", "9", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "auth.log", "Nov 13 12:00:00 web1 sshd[9]: Connection closed by 212.47.254.145 [preauth]",
	  NULL, "web1", "sshd", "authentication", "disconnect", "unknown", 0,
	  "212.47.254.145", NULL, NULL, "sshd", "9", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "auth.log", "Nov 13 12:00:00 web1 sshd[9]: Disconnected from invalid user guest 192.0.2.4 port 40000 [preauth]",
	  NULL, "web1", "sshd", "authentication", "disconnect", "unknown", 0,
	  "192.0.2.4", "40000", "guest", "sshd", "9", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "auth.log", "Nov 13 12:00:00 web1 sshd[9]: Received disconnect from 103.99.0.122 port 51200:11: Bye Bye [preauth]",
	  NULL, "web1", "sshd", "authentication", "disconnect", "unknown", 0,
	  "103.99.0.122", "51200", NULL, "sshd", "9", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "auth.log", "Nov 13 12:00:00 web1 sshd[9]: Received disconnect from 103.99.0.122: 11: Bye Bye [preauth]",
	  NULL, "web1", "sshd", "authentication", "disconnect", "unknown", 0,
	  "103.99.0.122", NULL, NULL, "sshd", "9", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "auth.log", "Nov 13 12:00:00 web1 sshd[9]: error: maximum authentication attempts exceeded for invalid user ftp from 192.0.2.9 port 33 ssh2 [preauth]",
	  NULL, "web1", "sshd", "authentication", "max_auth_exceeded", "failure", 2,
	  "192.0.2.9", "33", "ftp", "sshd", "9", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "auth.log", "Nov 13 12:00:00 web1 sshd[9]: PAM 5 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=112.95.230.3  user=root",
	  NULL, "web1", "sshd", "authentication", "pam_auth_failures", "failure", 1,
	  "112.95.230.3", NULL, "root", "sshd", "9", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "auth.log", "Nov 13 12:00:00 web1 sshd[9]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=183.62.140.253  user=root",
	  NULL, "web1", "sshd", "authentication", "pam_auth_failure", "failure", 1,
	  "183.62.140.253", NULL, "root", "sshd", "9", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "auth.log", "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 ",
	  "2026-06-14T07:16:01.000Z", "combo", "sshd", "authentication", "pam_auth_failure", "failure", 1,
	  "218.188.2.4", NULL, NULL, "sshd(pam_unix)", "19939", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "auth.log", "Nov 13 12:00:00 web1 sshd[9]: message repeated 2 times: [ Failed password for root from 5.188.10.180 port 1022 ssh2]",
	  NULL, "web1", "sshd", "authentication", "login", "failure", 2,
	  "5.188.10.180", "1022", "root", "sshd", "9", NULL, NULL, NULL, NULL, NULL,
	  "message repeated 2 times: [ Failed password for root from 5.188.10.180 port 1022 ssh2]" },
	{ "auth.log", "Nov 13 12:00:00 web1 sshd[9]: Did not receive identification string from 2.125.160.217",
	  NULL, "web1", "sshd", "network", "no_identification", "failure", 1,
	  "2.125.160.217", NULL, NULL, "sshd", "9", NULL, NULL, NULL, NULL, NULL, NULL },
	/* sudo */
	{ "auth.log", "Nov 13 12:00:00 web1 sudo:    alice : TTY=pts/0 ; PWD=/x ; USER=root ; COMMAND=/bin/ls",
	  NULL, "web1", "sudo", "process", "sudo", "success", 0,
	  NULL, NULL, "alice", "sudo", NULL, NULL, NULL, NULL, NULL, NULL,
	  "   alice : TTY=pts/0 ; PWD=/x ; USER=root ; COMMAND=/bin/ls" },
	{ "auth.log", "Nov 13 12:00:00 web1 sudo:      tsg : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls",
	  NULL, "web1", "sudo", "process", "sudo", "failure", 3,
	  NULL, NULL, "tsg", "sudo", NULL, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "auth.log", "Nov 13 12:00:00 web1 sudo: bob : 3 incorrect password attempts ; TTY=pts/2 ; PWD=/ ; USER=root ; COMMAND=/bin/sh",
	  NULL, "web1", "sudo", "process", "sudo", "failure", 2,
	  NULL, NULL, "bob", "sudo", NULL, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "auth.log", "Nov 13 12:00:00 web1 sudo: pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)",
	  NULL, "web1", "sudo", "authentication", "session_open", "success", 0,
	  NULL, NULL, "root", "sudo", NULL, NULL, NULL, NULL, NULL, NULL, NULL },
	/* cron and PAM sessions */
	{ "auth.log", "Nov 13 12:17:01 web1 CRON[2201]: pam_unix(cron:session): session opened for user root by (uid=0)",
	  NULL, "web1", "cron", "process", "session_open", "success", 0,
	  NULL, NULL, "root", "CRON", "2201", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "auth.log", "Nov 13 12:17:01 web1 CRON[2201]: pam_unix(cron:session): session closed for user root",
	  NULL, "web1", "cron", "process", "session_close", "success", 0,
	  NULL, NULL, "root", "CRON", "2201", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "syslog", "Nov 13 12:17:01 web1 CRON[2202]: (root) CMD (   cd / && run-parts --report /etc/cron.hourly)",
	  NULL, "web1", "cron", "process", "exec", "success", 0,
	  NULL, NULL, "root", "CRON", "2202", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "messages", "Jul  1 09:00:00 combo su(pam_unix)[945]: session opened for user news by (uid=0)",
	  NULL, "combo", "su", "authentication", "session_open", "success", 0,
	  NULL, NULL, "news", "su(pam_unix)", "945", NULL, NULL, NULL, NULL, NULL, NULL },
	/* accounts */
	{ "secure", "Feb 22 11:47:05 localhost groupadd[6991]: new group: name=apache, GID=48",
	  NULL, "localhost", "groupadd", "iam", "group_created", "success", 1,
	  NULL, NULL, NULL, "groupadd", "6991", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "secure", "Feb 22 11:47:05 localhost useradd[6995]: new user: name=apache, UID=48, GID=48, home=/usr/share/httpd, shell=/sbin/nologin",
	  "2026-02-22T03:47:05.000Z", "localhost", "useradd", "iam", "user_created", "success", 1,
	  NULL, NULL, "apache", "useradd", "6995", NULL, NULL, NULL, NULL, NULL, NULL },
	/* generic syslog: the envelope is understood, the program is not */
	{ "syslog", "Jun 19 04:09:11 combo syslogd 1.4.1: restart.",
	  "2026-06-18T20:09:11.000Z", "combo", "syslog", "host", "log", "unknown", 0,
	  NULL, NULL, NULL, "syslogd", NULL, NULL, NULL, NULL, NULL, NULL, "1.4.1: restart." },
	{ "syslog", "Nov 13 12:00:00 web1 kernel: [ 1.0] eth0: link up",
	  NULL, "web1", "syslog", "host", "log", "unknown", 0,
	  NULL, NULL, NULL, "kernel", NULL, NULL, NULL, NULL, NULL, NULL, "[ 1.0] eth0: link up" },
	{ "syslog", "<13>Nov 13 12:00:00 web1 app: hi\r",
	  NULL, "web1", "syslog", "host", "log", "unknown", 0,
	  NULL, NULL, NULL, "app", NULL, NULL, NULL, NULL, NULL, NULL, "hi" },
	/* rsyslog RFC 3339 stamps */
	{ "messages", "2018-08-14T14:30:02.203151+02:00 linux-sqrz systemd[4179]: Stopped target Paths.",
	  "2018-08-14T12:30:02.203Z", "linux-sqrz", "syslog", "host", "log", "unknown", 0,
	  NULL, NULL, NULL, "systemd", "4179", NULL, NULL, NULL, NULL, NULL, "Stopped target Paths." },
	{ "messages", "2019-06-14T10:40:20.912134 localhost sudo: pam_unix(sudo-i:session): session opened for user root by userauth3(uid=0)",
	  "2019-06-14T02:40:20.912Z", "localhost", "sudo", "authentication", "session_open", "success", 0,
	  NULL, NULL, "root", "sudo", NULL, NULL, NULL, NULL, NULL, NULL, NULL },
	/* RFC 5424 */
	{ "syslog", "<34>1 2026-11-03T02:14:07.003Z web1 sshd 811 ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"App]\"] Failed password for bob from 192.0.2.1 port 22 ssh2",
	  "2026-11-03T02:14:07.003Z", "web1", "sshd", "authentication", "login", "failure", 2,
	  "192.0.2.1", "22", "bob", "sshd", "811", NULL, NULL, NULL, NULL, NULL,
	  "Failed password for bob from 192.0.2.1 port 22 ssh2" },
	{ "syslog", "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 - \xEF\xBB\xBF" "An application event",
	  "2003-10-11T22:14:15.003Z", "mymachine.example.com", "syslog", "host", "log", "unknown", 0,
	  NULL, NULL, NULL, "evntslog", NULL, NULL, NULL, NULL, NULL, NULL, "An application event" },
	/* web access logs */
	{ "/var/log/nginx/access.log", "85.181.35.98 - - [07/Dec/2016:11:05:07 +0100] \"GET /ocelot HTTP/1.1\" 200 571 \"-\" \"Mozilla/5.0 (X11)\"",
	  "2016-12-07T10:05:07.000Z", NULL, "nginx", "web", "http_request", "success", 0,
	  "85.181.35.98", NULL, NULL, NULL, NULL, "GET", "/ocelot", "200", "571", "Mozilla/5.0 (X11)", NULL },
	{ "/var/log/nginx/access.log", "\"10.5.102.222, 199.96.1.1, 204.246.1.1\" 10.2.1.185 - - [22/Jan/2016:13:18:29 +0000] \"GET /assets/xxxx?q=100 HTTP/1.1\" 200 25507 \"-\" \"Amazon CloudFront\"",
	  "2016-01-22T13:18:29.000Z", NULL, "nginx", "web", "http_request", "success", 0,
	  "199.96.1.1", NULL, NULL, NULL, NULL, "GET", "/assets/xxxx?q=100", "200", "25507", "Amazon CloudFront", NULL },
	{ "/var/log/httpd/access_log", "::1 - frank [26/Dec/2016:16:16:48 +0200] \"-\" 408 -",
	  "2016-12-26T14:16:48.000Z", NULL, "apache", "web", "http_request", "failure", 1,
	  "::1", NULL, "frank", NULL, NULL, NULL, NULL, "408", NULL, NULL, NULL },
	{ "access.log", "vhost1.domaine.fr:443 123.123.123.123 - - [04/Jul/2019:09:20:46 +0200] \"POST /login?x=1 HTTP/2.0\" 503 12 \"https://r/\" \"curl/8\"",
	  "2019-07-04T07:20:46.000Z", NULL, "web", "web", "http_request", "failure", 2,
	  "123.123.123.123", NULL, NULL, NULL, NULL, "POST", "/login?x=1", "503", "12", "curl/8", NULL },
	{ "access.log", "monitoring-server - - [29/May/2017:19:02:48 +0000] \"GET /status HTTP/1.1\" 200 612 \"-\" \"-\" \"-\"",
	  "2017-05-29T19:02:48.000Z", NULL, "web", "web", "http_request", "success", 0,
	  NULL, NULL, NULL, NULL, NULL, "GET", "/status", "200", "612", NULL, NULL },
	{ "access.log", "127.0.0.1 - - [12/Apr/2018:09:48:40 +0200] \"\" 400 0 \"-\" \"-\"",
	  "2018-04-12T07:48:40.000Z", NULL, "web", "web", "http_request", "failure", 1,
	  "127.0.0.1", NULL, NULL, NULL, NULL, NULL, NULL, "400", "0", NULL, NULL },
};

START_TEST(test_samples)
{
	const struct sample *s = &samples[_i];
	struct omsec_parse *p = mk(NULL, NULL, 0);
	struct omsec_event ev;
	const char *why;
	char ts[25];

	omsec_parse_source(p, omsec_span_cstr(s->path), OMSEC_SPAN_LIT("-"),
	    MTIME_NOV);
	ck_assert_msg(omsec_parse_line(p, &ev, s->line, strlen(s->line), 7,
	    &why) == OMSEC_P_MATCH, "%s: %s", s->line, why);
	ck_assert_msg(omsec_event_plain_ok(&ev), "%s: a field marked plain "
	    "is not", s->line);
	if (s->ts != NULL) {
		omsec_format_iso(ts, ev.ts_ms);
		ck_assert_str_eq(ts, s->ts);
	}
	expect(&ev, OMSEC_F_HOST, s->host, s->line);
	expect(&ev, OMSEC_F_MODULE, s->module, s->line);
	expect(&ev, OMSEC_F_CATEGORY, s->category, s->line);
	expect(&ev, OMSEC_F_ACTION, s->action, s->line);
	expect(&ev, OMSEC_F_OUTCOME, s->outcome, s->line);
	ck_assert_int_eq(ev.severity, s->sev);
	expect(&ev, OMSEC_F_SRC_IP, s->src_ip, s->line);
	expect(&ev, OMSEC_F_SRC_PORT, s->src_port, s->line);
	expect(&ev, OMSEC_F_USER, s->user, s->line);
	expect(&ev, OMSEC_F_PROCESS, s->process, s->line);
	expect(&ev, OMSEC_F_PID, s->pid, s->line);
	expect(&ev, OMSEC_F_METHOD, s->method, s->line);
	expect(&ev, OMSEC_F_URL, s->url, s->line);
	expect(&ev, OMSEC_F_STATUS, s->status, s->line);
	expect(&ev, OMSEC_F_BYTES, s->bytes, s->line);
	expect(&ev, OMSEC_F_USER_AGENT, s->ua, s->line);
	if (s->msg != NULL)
		expect(&ev, OMSEC_F_MSG, s->msg, s->line);
	{
		char want[300];
		snprintf(want, sizeof(want), "%s:7", s->path);
		expect(&ev, OMSEC_F_REF, want, s->line);
	}
	omsec_parse_free(p);
}
END_TEST

/*
 * Samples of the formats added by issue 3: path, line, and the fields they
 * must give as "field=value|field=value" ("-" = empty; ts in UTC).
 */
static const struct {
	const char *path, *line, *want;
} samples2[] = {
	/* host firewalls */
	{ "kern.log", "Jan  8 03:37:09 example-host kernel: iptables DROP_INPUT: IN=eth0 OUT= MAC=90:10:35:5a:1e:3a:90:10:9e:ec:2c:71:08:00 SRC=203.0.113.36 DST=172.16.54.114 LEN=52 TOS=0x00 PREC=0x00 TTL=115 ID=15743 DF PROTO=TCP SPT=17805 DPT=445 WINDOW=8192 RES=0x00 SYN URGP=0 ",
	  "ts=2026-01-07T19:37:09.000Z|host=example-host|module=iptables|category=network|action=connection_denied|outcome=failure|severity=1|src_ip=203.0.113.36|src_port=17805|dst_ip=172.16.54.114|dst_port=445|rule_name=iptables DROP_INPUT|process=kernel" },
	{ "kern.log", "Nov  3 02:14:07 gw kernel: [ 1234.567890] [UFW BLOCK] IN=eth0 OUT= MAC=00:11 SRC=198.51.100.7 DST=10.0.0.5 LEN=40 TOS=0x00 PREC=0x00 TTL=244 ID=54321 PROTO=UDP SPT=5353 DPT=161 LEN=20",
	  "module=ufw|action=connection_denied|outcome=failure|src_ip=198.51.100.7|dst_ip=10.0.0.5|dst_port=161|rule_name=UFW BLOCK" },
	{ "kern.log", "Nov  3 02:14:07 gw kernel: [UFW ALLOW] IN=eth0 OUT= SRC=10.0.0.9 DST=10.0.0.5 PROTO=TCP SPT=40000 DPT=22 SYN URGP=0",
	  "module=ufw|action=connection_allowed|outcome=success|severity=0|src_port=40000|dst_port=22" },
	{ "kern.log", "Jan 22 09:05:05 ubuntu-bionic kernel: [16571.459614] IN= OUT=lo SRC=2001:0db8:0000:0000:0000:0000:0000:0001 DST=2001:0db8:0000:0000:0000:0000:0000:0002 LEN=104 TC=0 HOPLIMIT=64 FLOWLBL=868225 PROTO=ICMPv6 TYPE=128 CODE=0 ID=3427 SEQ=1 ",
	  "module=iptables|action=connection_logged|outcome=unknown|src_ip=2001:0db8:0000:0000:0000:0000:0000:0001|src_port=-|dst_port=-|rule_name=-" },
	{ "messages", "Nov  3 02:14:07 gw kernel: nft-drop IN=ppp0 OUT= SRC=192.0.2.1 DST=198.51.100.2 PROTO=ICMP TYPE=3 CODE=3 [SRC=198.51.100.2 DST=192.0.2.1 PROTO=UDP SPT=53 DPT=33434 ]",
	  "rule_name=nft-drop|action=connection_denied|src_ip=192.0.2.1|dst_ip=198.51.100.2|src_port=-" },
	/* sshd: the last " from " and " port " count, whatever the user */
	{ "auth.log", "Nov  3 02:14:07 h sshd[7]: Failed password for invalid user from from 2001:db8::1 port 2222 ssh2",
	  "user=from|src_ip=2001:db8::1|src_port=2222|action=login|outcome=failure" },
	{ "auth.log", "Nov  3 02:14:07 h sshd[7]: Connection closed by invalid user a port b 203.0.113.9 port 52814 [preauth]",
	  "user=a port b|src_ip=203.0.113.9|src_port=52814|action=disconnect" },
	{ "auth.log", "Nov  3 02:14:07 h sshd[7]: Accepted password for f from 10.0.0.1 port 123456 ssh2",
	  "user=f|src_ip=10.0.0.1|src_port=-|outcome=success" },
	/* accounts, su, logind */
	{ "auth.log", "Nov  3 02:14:07 h su[811]: FAILED SU (to root) alice on pts/0", "module=su|category=process|action=su|outcome=failure|severity=2|user=alice" },
	{ "auth.log", "Nov  3 02:14:07 h su[811]: (to root) alice on pts/0", "module=su|action=su|outcome=success|severity=0|user=alice" },
	{ "auth.log", "Nov  3 02:14:07 h su: Successful su for root by bob", "module=su|outcome=success|user=bob" },
	{ "auth.log", "Nov  3 02:14:07 h su: FAILED su for root by bob", "module=su|outcome=failure|user=bob" },
	{ "auth.log", "Nov  3 02:14:07 h su[9]: + pts/1 carol:root", "module=su|outcome=success|user=carol" },
	{ "auth.log", "Nov  3 02:14:07 h su[9]: pam_unix(su:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/0 ruser=alice rhost=  user=root", "module=su|action=pam_auth_failure|outcome=failure|user=root" },
	{ "auth.log", "Nov  3 02:14:07 h su[9]: pam_unix(su-l:session): session opened for user root(uid=0) by alice(uid=1000)", "module=su|action=session_open|user=root" },
	{ "auth.log", "Nov  3 02:14:07 h systemd-logind[512]: New session 12 of user alice.", "module=systemd-logind|category=authentication|action=session_start|outcome=success|user=alice" },
	{ "auth.log", "Nov  3 02:14:07 h systemd-logind[512]: Removed session 12.", "module=systemd-logind|action=session_end|user=-" },
	{ "auth.log", "Nov  3 02:14:07 h systemd-logind[512]: Session 12 logged out. Waiting for processes to exit.", "action=session_end" },
	{ "auth.log", "Nov  3 02:14:07 h systemd-logind[512]: Watching system buttons on /dev/input/event0 (Power Button)", "module=syslog|action=log" },
	{ "auth.log", "Nov  3 02:14:07 h passwd[77]: pam_unix(passwd:chauthtok): password changed for alice", "module=passwd|category=iam|action=password_changed|user=alice" },
	{ "auth.log", "Nov  3 02:14:07 h chpasswd[78]: password for 'bob' changed by 'root'", "module=chpasswd|action=password_changed|user=bob" },
	{ "auth.log", "Nov  3 02:14:07 h userdel[79]: delete user 'mallory'", "module=userdel|action=user_deleted|user=mallory" },
	{ "auth.log", "Nov  3 02:14:07 h userdel[79]: removed group 'mallory' owned by 'mallory'", "module=userdel|action=group_deleted|user=-" },
	{ "auth.log", "Nov  3 02:14:07 h groupdel[80]: group 'dev' removed", "module=groupdel|action=group_deleted" },
	{ "auth.log", "Nov  3 02:14:07 h groupadd[81]: group added to /etc/group: name=dev, GID=1005", "module=syslog|action=log" },
	{ "auth.log", "Nov  3 02:14:07 h usermod[82]: change user 'alice' password", "module=usermod|action=user_changed|user=alice" },
	{ "auth.log", "Nov  3 02:14:07 h usermod[82]: lock user 'eve' password", "module=usermod|action=user_locked|user=eve" },
	{ "auth.log", "Nov  3 02:14:07 h usermod[82]: add 'alice' to group 'sudo'", "action=group_member_added|user=alice" },
	{ "auth.log", "Nov  3 02:14:07 h gpasswd[83]: user bob added by root to group docker", "module=gpasswd|action=group_member_added|user=bob" },
	{ "auth.log", "Nov  3 02:14:07 h gpasswd[83]: user bob removed by root from group docker", "action=group_member_removed|user=bob" },
	/* web error logs and ModSecurity */
	{ "/var/log/nginx/error.log", "2016/10/25 14:49:34 [error] 54053#0: *1 open() \"/usr/local/html/favicon.ico\" failed (2: No such file or directory), client: 127.0.0.1, server: localhost, request: \"GET /favicon.ico HTTP/1.1\", host: \"localhost:8080\"",
	  "ts=2016-10-25T06:49:34.000Z|module=nginx|category=web|action=error_log|outcome=unknown|severity=1|src_ip=127.0.0.1|method=GET|url=/favicon.ico|pid=54053|msg=open() \"/usr/local/html/favicon.ico\" failed (2: No such file or directory), client: 127.0.0.1, server: localhost, request: \"GET /favicon.ico HTTP/1.1\", host: \"localhost:8080\"" },
	{ "/var/log/nginx/error.log", "2026/11/03 02:14:07 [crit] 811#811: worker process exited on signal 11", "severity=3|src_ip=-|msg=worker process exited on signal 11" },
	{ "/var/log/nginx/error.log", "2026/11/03 02:14:07 [error] 811#811: *77 [client 203.0.113.9] ModSecurity: Access denied with code 403 (phase 2). detected SQLi using libinjection. [file \"/etc/modsecurity/crs/REQUEST-942-APPLICATION-ATTACK-SQLI.conf\"] [line \"45\"] [id \"942100\"] [rev \"\"] [msg \"SQL Injection Attack Detected via libinjection\"] [data \"Matched Data: s&sos found within ARGS:id: 1' or '1'='1\"] [severity \"2\"] [ver \"OWASP_CRS/3.2.0\"] [hostname \"10.0.0.5\"] [uri \"/item.php\"] [unique_id \"16038\"] [ref \"v8,10\"], client: 203.0.113.9, server: shop, request: \"GET /item.php?id=1%27+or+%271%27%3D%271 HTTP/1.1\", host: \"shop\"",
	  "module=modsecurity|category=intrusion_detection|action=waf_block|outcome=failure|severity=3|rule_id=942100|rule_name=SQL Injection Attack Detected via libinjection|url=/item.php|src_ip=203.0.113.9|method=GET" },
	{ "/var/log/apache2/error.log", "[Mon Dec 26 16:22:00 2016] [error] [client 192.168.33.1] File does not exist: /var/www/favicon.ico, referer: http://192.168.33.72/",
	  "ts=2016-12-26T08:22:00.000Z|module=apache|category=web|action=error_log|severity=1|src_ip=192.168.33.1|msg=File does not exist: /var/www/favicon.ico, referer: http://192.168.33.72/" },
	{ "/var/log/apache2/error.log", "[Wed Oct 11 14:32:52.123456 2017] [core:error] [pid 1234:tid 140] [client 10.1.1.1:51234] AH00126: Invalid URI in request GET /../../etc/passwd HTTP/1.1",
	  "ts=2017-10-11T06:32:52.123Z|module=apache|severity=1|pid=1234|src_ip=10.1.1.1|src_port=51234|msg=AH00126: Invalid URI in request GET /../../etc/passwd HTTP/1.1" },
	{ "/var/log/apache2/error.log", "[Thu Nov 05 10:01:02.000001 2026] [:error] [pid 2048] [client 198.51.100.3:40000] [client 198.51.100.3] ModSecurity: Warning. Pattern match \"(?i)<script\" at ARGS:q. [file \"/etc/modsecurity/rules.conf\"] [line \"12\"] [id \"941100\"] [msg \"XSS Attack Detected via libinjection\"] [severity \"CRITICAL\"] [hostname \"www\"] [uri \"/search\"] [unique_id \"X1\"]",
	  "module=modsecurity|action=waf_alert|outcome=unknown|severity=3|rule_id=941100|rule_name=XSS Attack Detected via libinjection|url=/search|src_ip=198.51.100.3" },
	/* IDS */
	{ "eve.json", "{\"timestamp\":\"2018-07-05T15:07:20.910626-0400\",\"flow_id\":904992230150281,\"in_iface\":\"en0\",\"event_type\":\"alert\",\"src_ip\":\"192.168.86.85\",\"src_port\":55641,\"dest_ip\":\"192.168.156.70\",\"dest_port\":443,\"proto\":\"TCP\",\"tx_id\":0,\"alert\":{\"action\":\"allowed\",\"gid\":1,\"signature_id\":2024833,\"rev\":3,\"signature\":\"ET POLICY Observed IP Lookup Domain (l2 .io in TLS SNI)\",\"category\":\"Potential Corporate Privacy Violation\",\"severity\":1},\"tls\":{\"sni\":\"l2.io\"},\"app_proto\":\"tls\"}",
	  "ts=2018-07-05T19:07:20.910Z|module=suricata|category=intrusion_detection|action=alert|outcome=unknown|severity=3|src_ip=192.168.86.85|src_port=55641|dst_ip=192.168.156.70|dst_port=443|rule_id=2024833|rule_name=ET POLICY Observed IP Lookup Domain (l2 .io in TLS SNI)" },
	{ "eve.json", "{\"timestamp\":\"2026-11-03T02:14:07.000000+0800\",\"host\":\"ids1\",\"event_type\":\"alert\",\"src_ip\":\"203.0.113.9\",\"dest_ip\":\"10.0.0.5\",\"alert\":{\"action\":\"blocked\",\"signature_id\":2001219,\"signature\":\"ET SCAN \\\"quoted\\\" \\u00e9\\ud83d\\ude00 \\/x\",\"severity\":3}}",
	  "ts=2026-11-02T18:14:07.000Z|host=ids1|outcome=failure|severity=1|rule_name=ET SCAN \"quoted\" \xc3\xa9\xf0\x9f\x98\x80 /x|src_port=-" },
	{ "eve.json", "{ \"timestamp\" : \"2018-07-05T15:43:47.690Z\" , \"event_type\":\"http\",\"src_ip\":\"192.168.86.85\",\"src_port\":56119,\"dest_ip\":\"192.168.86.28\",\"dest_port\":63963,\"http\":{\"hostname\":\"192.168.86.28\",\"url\":\"\\/dd.xml\",\"http_user_agent\":\"Go-http-client\\/1.1\",\"http_method\":\"GET\",\"protocol\":\"HTTP\\/1.1\",\"status\":404,\"length\":1234,\"nested\":{\"a\":[1,{\"b\":\"}\"}]}},\"list\":[\"x\",{\"y\":2}]}",
	  "module=suricata|category=web|action=http_request|outcome=failure|severity=1|method=GET|url=/dd.xml|status=404|bytes=1234|user_agent=Go-http-client/1.1" },
	{ "eve.json", "{\"timestamp\":\"2018-07-05T15:51:20.213Z\",\"event_type\":\"dns\",\"src_ip\":\"192.168.86.1\",\"src_port\":53,\"dest_ip\":\"192.168.86.85\",\"dest_port\":39464,\"proto\":\"UDP\",\"dns\":{\"type\":\"answer\",\"rrname\":\"example.com\"}}",
	  "category=network|action=dns|src_port=53" },
	{ "eve.json", "{\"timestamp\":\"2018-07-05T15:51:20.213Z\",\"event_type\":\"anomaly\",\"src_ip\":\"10.0.0.1\",\"anomaly\":{\"type\":\"decode\",\"event\":\"ipv4.trunc_pkt\"}}",
	  "category=intrusion_detection|action=anomaly|severity=1" },
	{ "eve.json", "{\"timestamp\":\"2018-07-05T15:51:20.213Z\",\"event_type\":\"flow\",\"src_ip\":\"10.0.0.1\",\"flow\":{\"state\":\"closed\"}}", "category=network|action=flow" },
	{ "fast.log", "10/05/2019-07:14:26.123456  [**] [1:2013028:7] ET POLICY curl User-Agent Outbound [**] [Classification: Attempted Information Leak] [Priority: 2] {TCP} 192.168.1.2:49152 -> 93.184.216.34:80",
	  "ts=2019-10-04T23:14:26.123Z|module=suricata|category=intrusion_detection|action=alert|severity=2|rule_id=2013028|rule_name=ET POLICY curl User-Agent Outbound|src_ip=192.168.1.2|src_port=49152|dst_ip=93.184.216.34|dst_port=80" },
	{ "fast.log", "10/05-07:14:26.123456  [**] [1:1000001:1] ICMP test [**] [Priority: 1] {ICMP} 2001:db8::1 -> 2001:db8::2",
	  "ts=2026-10-04T23:14:26.123Z|module=snort|severity=3|src_ip=2001:db8::1|src_port=-|dst_ip=2001:db8::2" },
	{ "fast.log", "10/05/2019-07:14:26.123456  [**] [1:2200074:2] SURICATA TCPv4 invalid checksum [**] [Classification: (null)] [Priority: 3] {TCP} [2001:db8::1]:443 -> [2001:db8::2]:5000",
	  "severity=1|src_ip=2001:db8::1|src_port=443|dst_port=5000" },
	/* databases */
	{ "mysql/error.log", "2019-03-24T13:44:27.924508Z 5 [Warning] [MY-010453] [Server] root@localhost is created with an empty password ! Please consider switching off the --initialize-insecure option.",
	  "ts=2019-03-24T13:44:27.924Z|module=mysql|category=database|action=log|outcome=unknown|rule_id=MY-010453|process=mysqld" },
	{ "mysql/error.log", "2026-11-03T02:14:07.123456Z 8 [Note] [MY-010926] [Server] Access denied for user 'root'@'203.0.113.9' (using password: YES)",
	  "action=login|outcome=failure|severity=2|user=root|src_ip=203.0.113.9" },
	{ "mysql/error.log", "2019-10-16 17:24:15 0 [Note] InnoDB: Using Linux native AIO", "ts=2019-10-16T09:24:15.000Z|module=mysql|action=log|msg=InnoDB: Using Linux native AIO" },
	{ "mysql/error.log", "191015  9:46:45 [ERROR] Aborted connection 7 to db: 'shop' user: 'app' host: '10.0.0.7' (Got timeout reading communication packets)",
	  "ts=2019-10-15T01:46:45.000Z|action=connection_aborted|outcome=failure|user=app|src_ip=10.0.0.7" },
	{ "mysql/query.log", "191015 19:46:45\t    13 Query\tSHOW /*!50002 GLOBAL */ STATUS", "action=statement|msg=Query\tSHOW /*!50002 GLOBAL */ STATUS" },
	{ "mysql/query.log", "2026-11-03T02:14:07.123456Z\t   14 Connect\tAccess denied for user 'eve'@'203.0.113.5' (using password: YES)", "action=login|outcome=failure|user=eve|src_ip=203.0.113.5" },
	{ "mysql/query.log", "2026-11-03T02:14:07.123456Z\t   15 Connect\tbob@10.0.0.7 on shop using TCP/IP", "action=login|outcome=success|user=bob|src_ip=10.0.0.7" },
	/* The thread id ties a statement to its Connect line (omsec-detect). */
	{ "mysql/query.log", "2026-11-03T02:14:07.123456Z\t   42 Query\tDROP TABLE x", "ts=2026-11-03T02:14:07.123Z|action=statement|pid=42|user=-|msg=Query\tDROP TABLE x" },
	{ "postgresql.log", "2020-04-16 11:45:11.844 CEST [26953] LOG:  listening on IPv6 address \"::1\", port 5432",
	  "ts=2020-04-16T03:45:11.844Z|module=postgresql|category=database|action=log|pid=26953|msg=listening on IPv6 address \"::1\", port 5432" },
	{ "postgresql.log", "2026-11-03 02:14:07.123 UTC [1234] postgres@shop FATAL:  password authentication failed for user \"postgres\"",
	  "ts=2026-11-03T02:14:07.123Z|action=login|outcome=failure|severity=2|user=postgres" },
	{ "postgresql.log", "2026-11-03 02:14:07.123 UTC [1234] FATAL:  no pg_hba.conf entry for host \"203.0.113.9\", user \"admin\", database \"shop\", SSL off",
	  "action=login|outcome=failure|user=admin|src_ip=203.0.113.9" },
	{ "postgresql.log", "2026-11-03 02:14:07.123 UTC [1234] ERROR:  relation \"x\" does not exist at character 15", "action=error|outcome=failure|severity=1" },
	{ "postgresql.csv", "2021-01-04 00:05:06.086 UTC,\"postgres\",\"postgres\",34,\"172.24.0.1:42304\",5ff25bb2.22,2,\"authentication\",2021-01-04 00:05:06 UTC,3/1,0,LOG,00000,\"connection authorized: user=postgres database=postgres\",,,,,,,,,\"\"",
	  "ts=2021-01-04T00:05:06.086Z|action=login|outcome=success|user=postgres|src_ip=172.24.0.1|src_port=42304|pid=34|rule_id=00000" },
	{ "postgresql.csv", "2021-01-04 00:06:00.000 UTC,\"bob\",\"shop\",35,\"[local]\",5ff,1,\"SELECT\",2021-01-04 00:05:06 UTC,3/1,0,ERROR,42P01,\"relation \"\"x\"\" does not exist\",,,,,,,,,\"psql\"",
	  "action=error|user=bob|src_ip=-|rule_id=42P01|msg=relation \"x\" does not exist" },
	/* rule files: Cisco ASA behind a syslog header, FortiGate bare */
	{ "asa.log", "Nov  3 02:14:07 fw01 %ASA-4-106023: Deny tcp src outside:203.0.113.9/4711 dst inside:10.0.0.5/22 by access-group \"outside_in\" [0x0, 0x0]",
	  "module=asa|category=network|action=connection_denied|outcome=failure|severity=1|src_ip=203.0.113.9|src_port=4711|dst_ip=10.0.0.5|dst_port=22|rule_id=106023|rule_name=outside_in|process=%ASA-4-106023" },
	{ "fgt.log", "<189>date=2026-11-03 time=10:15:30 devname=\"FGT60E\" logid=\"0000000013\" type=\"traffic\" subtype=\"forward\" srcip=203.0.113.9 srcport=58012 dstip=10.0.0.5 dstport=3389 action=\"deny\" policyid=0",
	  "ts=2026-11-03T02:15:30.000Z|host=FGT60E|module=fortigate|action=connection_denied|src_ip=203.0.113.9|dst_port=3389|rule_id=0" },
	/* Cisco ASA without a relay's header: own stamp (site zone), device id, none. */
	{ "asa.log", "Nov 03 2026 10:14:07: %ASA-4-106023: Deny tcp src outside:203.0.113.9/4711 dst inside:10.0.0.5/22 by access-group \"outside_in\" [0x0, 0x0]",
	  "ts=2026-11-03T02:14:07.000Z|host=-|module=asa|action=connection_denied|src_ip=203.0.113.9|dst_port=22|rule_id=106023|process=%ASA-4-106023|msg=%ASA-4-106023: Deny tcp src outside:203.0.113.9/4711 dst inside:10.0.0.5/22 by access-group \"outside_in\" [0x0, 0x0]" },
	{ "asa.log", "Nov  3 10:14:07 fw02 : %ASA-2-106001: Inbound TCP connection denied from 203.0.113.9/4711 to 10.0.0.5/22 flags SYN on interface outside",
	  "ts=2026-11-03T02:14:07.000Z|host=fw02|module=asa|category=network|action=log|outcome=unknown|severity=2|rule_id=106001" },
	{ "asa.log", "2026-11-03T02:14:07Z: %FTD-6-302014: Teardown TCP connection 9 for outside:198.51.100.3/5353 to inside:10.0.0.9/53 duration 0:00:00 bytes 40",
	  "ts=2026-11-03T02:14:07.000Z|action=connection_closed|src_ip=198.51.100.3|process=%FTD-6-302014|rule_id=302014" },
	{ "asa.log", "%ASA-6-302014: Teardown TCP connection 9 for outside:198.51.100.3/5353 to inside:10.0.0.9/53 duration 0:00:00 bytes 40",
	  "ts=2026-11-20T00:00:00.000Z|action=connection_closed|src_ip=198.51.100.3|dst_port=53|rule_id=302014" },
	/* CEF and LEEF */
	{ "cef.log", "CEF:0|Security|threatmanager|1.0|100|worm successfully stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232",
	  "ts=2026-11-20T00:00:00.000Z|module=threatmanager|category=network|action=log|outcome=unknown|severity=4|src_ip=10.0.0.1|src_port=1232|dst_ip=2.1.2.2|rule_id=100|rule_name=worm successfully stopped" },
	{ "cef.log", "<134>Nov  3 10:14:07 fw01 CEF:0|Fortinet|Forti Gate|6.0|13|traffic\\|deny|Medium|rt=Nov 03 2026 02:14:07 UTC src=203.0.113.9 spt=4711 dst=10.0.0.5 dpt=22 act=deny suser=bob msg=a\\=b\\\\c\\nd cs1Label=url cs1=/x?y=1 requestMethod=POST requestClientApplication=curl/8 a b outcome=failure dvchost=fgt1",
	  "ts=2026-11-03T02:14:07.000Z|host=fgt1|module=forti_gate|action=connection_denied|outcome=failure|severity=2|src_ip=203.0.113.9|src_port=4711|dst_ip=10.0.0.5|dst_port=22|user=bob|method=POST|url=/x?y=1|user_agent=curl/8 a b|rule_id=13|process=-" },
	{ "cef.log", "Sep 19 08:26:10 host app[12]: CEF:1|V|P|1|sig\\\\1|a \\| b|2|duser=alice rt=1793643247000 act=Allowed",
	  "ts=2026-11-02T18:14:07.000Z|host=host|module=p|category=host|action=connection_allowed|outcome=success|severity=1|user=alice|rule_id=sig\\1|process=app|pid=12" },
	{ "leef.log", "LEEF:1.0|Microsoft|MSExchange|4.0 SP1|15345|src=192.0.2.0\tdst=172.50.123.1\tsev=5\tcat=anomaly\tsrcPort=81\tdstPort=21\tusrName=joe.black\tdevTime=1793643247000",
	  "ts=2026-11-02T18:14:07.000Z|module=msexchange|category=network|severity=2|src_ip=192.0.2.0|src_port=81|dst_ip=172.50.123.1|dst_port=21|user=joe.black|rule_id=15345" },
	{ "leef.log", "LEEF:2.0|Lancope|StealthWatch|1.0|41|^|src=192.0.2.0^dst=172.50.123.1^sev=9^action=block",
	  "module=stealthwatch|action=connection_denied|outcome=failure|severity=4|src_ip=192.0.2.0|dst_ip=172.50.123.1" },
	{ "leef.log", "LEEF:2.0|Lancope|StealthWatch|1.0|41|0x7c|src=192.0.2.7|dst=172.50.123.1",
	  "src_ip=192.0.2.7|dst_ip=172.50.123.1" },
	{ "leef.log", "LEEF:2.0|Lancope|StealthWatch|1.0|41||src=192.0.2.8\tdst=172.50.123.1",
	  "src_ip=192.0.2.8|dst_ip=172.50.123.1" },
};

static int
field_of(const char *name)
{
	for (int f = 0; f < OMSEC_F_COUNT; f++)
		if (strcmp(omsec_field_name((enum omsec_field)f), name) == 0)
			return f;
	return -1;
}

START_TEST(test_samples2)
{
	struct omsec_parse *p = mk(NULL, NULL, 0);
	struct omsec_event ev;
	const char *why, *l = samples2[_i].line;
	char want[4096], *tok, *save = NULL, got[1024];

	omsec_parse_source(p, omsec_span_cstr(samples2[_i].path),
	    OMSEC_SPAN_LIT("-"), MTIME_NOV);
	ck_assert_msg(omsec_parse_line(p, &ev, l, strlen(l), 3, &why) ==
	    OMSEC_P_MATCH, "%s: %s", l, why);
	ck_assert_msg(omsec_event_plain_ok(&ev), "%s: a field marked plain "
	    "is not", l);
	snprintf(want, sizeof(want), "%s", samples2[_i].want);
	for (tok = strtok_r(want, "|", &save); tok != NULL;
	    tok = strtok_r(NULL, "|", &save)) {
		char *eq = strchr(tok, '=');
		int f;
		ck_assert_ptr_nonnull(eq);
		*eq = '\0';
		f = field_of(tok);
		ck_assert_msg(f >= 0, "unknown field %s", tok);
		if (f == OMSEC_F_TS)
			omsec_format_iso(got, ev.ts_ms);
		else if (f == OMSEC_F_SEVERITY)
			snprintf(got, sizeof(got), "%d", ev.severity);
		else
			omsec_span_copy(got, sizeof(got), ev.f[f]);
		ck_assert_msg(strcmp(got, strcmp(eq + 1, "-") == 0 ? "" :
		    eq + 1) == 0, "%s: field %s: got '%s', want '%s'", l, tok,
		    got, eq + 1);
	}
	omsec_parse_free(p);
}
END_TEST

/* Multi-line messages: the following lines are continuation rejects. */
START_TEST(test_continuation)
{
	struct omsec_parse *p = mk("UTC", NULL, 0);
	struct omsec_event ev;
	const char *why;
	static const char *l1 = "2019/10/30 23:26:34 [error] 205860#205860: *180289 FastCGI sent in stderr: \"PHP message: x",
	    *l2 = "PHP message: PHP Warning:  y",
	    *l3 = "2021-01-04 00:05:12.999 UTC,\"postgres\",\"postgres\",34,\"172.24.0.1:42304\",5ff25bb2.22,3,\"idle\",2021-01-04 00:05:06 UTC,3/2,0,LOG,00000,\"statement: SELECT 1",
	    *l4 = "LIMIT 1000\",,,,,,,,,\"psql\"";

	omsec_parse_source(p, OMSEC_SPAN_LIT("e"), OMSEC_SPAN_LIT("-"), MTIME_NOV);
	ck_assert_int_eq(omsec_parse_line(p, &ev, l1, strlen(l1), 1, &why), OMSEC_P_MATCH);
	ck_assert_int_eq(omsec_parse_line(p, &ev, l2, strlen(l2), 2, &why), OMSEC_P_NOMATCH);
	ck_assert_str_eq(why, "continuation of a multi-line message");
	ck_assert_int_eq(omsec_parse_line(p, &ev, l2, strlen(l2), 3, &why), OMSEC_P_NOMATCH);
	ck_assert_str_eq(why, "continuation of a multi-line message");
	ck_assert_int_eq(omsec_parse_line(p, &ev, l3, strlen(l3), 4, &why), OMSEC_P_MATCH);
	expect(&ev, OMSEC_F_ACTION, "statement", l3);
	expect(&ev, OMSEC_F_MSG, "statement: SELECT 1", l3);
	ck_assert_int_eq(omsec_parse_line(p, &ev, l4, strlen(l4), 5, &why), OMSEC_P_NOMATCH);
	ck_assert_str_eq(why, "continuation of a multi-line message");
	/* A new source forgets it. */
	omsec_parse_source(p, OMSEC_SPAN_LIT("f"), OMSEC_SPAN_LIT("-"), MTIME_NOV);
	ck_assert_int_eq(omsec_parse_line(p, &ev, l4, strlen(l4), 1, &why), OMSEC_P_NOMATCH);
	ck_assert_str_eq(why, "no parser matched");
	omsec_parse_free(p);
}
END_TEST

/* ---- rule files ---- */

static void
collect(void *arg, const char *msg)
{
	char *buf = arg;
	size_t n = strlen(buf);
	snprintf(buf + n, 4096 - n, "%s\n", msg);
}

static struct omsec_parse *
mk_rules(const char *dir, char *err, size_t cap)
{
	struct omsec_parse_opts o = OMSEC_PARSE_OPTS_INIT;
	o.now = MTIME_NOV;
	o.rules_dir = dir;
	return omsec_parse_new(&o, err, cap);
}

START_TEST(test_rules_shipped)
{
	char err[256], msgs[4096] = "";
	int nfiles, nsamples;
	struct omsec_parse *p = mk_rules(OMSEC_RULES_SRC, err, sizeof(err));

	ck_assert_msg(p != NULL, "%s", err);
	ck_assert_int_eq(omsec_parse_rules_count(p, &nfiles), 24);
	ck_assert_int_eq(nfiles, 2);
	ck_assert_int_eq(omsec_parse_check_rules(p, collect, msgs, &nsamples), 0);
	ck_assert_str_eq(msgs, "");
	ck_assert_int_eq(nsamples, 28);
	omsec_parse_free(p);
	/* "" means no rules: an ASA line is then a generic syslog event. */
	p = mk_rules("", err, sizeof(err));
	ck_assert_int_eq(omsec_parse_rules_count(p, NULL), 0);
	omsec_parse_free(p);
}
END_TEST

/* Bad rule directories and the exact message each gives. */
static const struct {
	const char *dir, *msg;	/* msg after "<data>/parsers/rules-bad/" */
} bad_rules[] = {
	{ "regex", "regex/a.rules:4:14: bad regex: missing closing parenthesis" },
	{ "group", "group/a.rules:2:10: group name 'source' is not an event field (nor ts, date, time, tz, severity or _name)" },
	{ "missing", "missing/a.rules:1:1: rule r has no outcome" },
	{ "key", "key/a.rules:3:3: unknown key (see docs/parsers.md)" },
	{ "order", "order/a.rules:2:1: expected 'rule NAME' first" },
	{ "expect", "expect/a.rules:7:11: expect of an unknown field" },
	{ "severity", "severity/a.rules:7:12: severity must be 0 to 4" },
	{ "nodir", "nodir: No such file or directory" },
};

START_TEST(test_rules_bad)
{
	const char *data = getenv("OMSEC_TEST_DATA");
	char dir[1024], err[512], want[1024];

	snprintf(dir, sizeof(dir), "%s/parsers/rules-bad/%s", data,
	    bad_rules[_i].dir);
	ck_assert_ptr_null(mk_rules(dir, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s/parsers/rules-bad/%s", data,
	    bad_rules[_i].msg);
	ck_assert_str_eq(err, want);
}
END_TEST

/* Samples that fail: wrong field, taken by another rule, not parsed. */
START_TEST(test_rules_check_fails)
{
	const char *data = getenv("OMSEC_TEST_DATA");
	char dir[512], err[512], msgs[4096] = "", want[4096];
	int ns;
	struct omsec_parse *p;

	snprintf(dir, sizeof(dir), "%s/parsers/rules-bad/samples", data);
	p = mk_rules(dir, err, sizeof(err));
	ck_assert_msg(p != NULL, "%s", err);
	ck_assert_int_eq(omsec_parse_check_rules(p, collect, msgs, &ns), 5);
	ck_assert_int_eq(ns, 4);
	snprintf(want, sizeof(want),
	    "%s/a.rules:8:17: rule first: sample gives user 'alice', expected 'bob'\n"
	    "%s/a.rules:17:1: rule shadowed: sample taken by rule first\n"
	    "%s/a.rules:25:1: rule nothing: sample not parsed: no parser matched\n"
	    "%s/a.rules:33:1: rule builtin: sample taken by a built-in parser\n"
	    "%s/a.rules:34:1: rule nosample has no sample\n",
	    dir, dir, dir, dir, dir);
	ck_assert_str_eq(msgs, want);
	omsec_parse_free(p);
}
END_TEST

/* Lines no parser may accept, and why they are rejected. */
static const struct {
	const char *line, *why;
} invalid[] = {
	{ "", "empty line" },
	{ "\r", "empty line" },
	{ "hello world", "no parser matched" },
	{ "Nov 31 02:14:07 web1 sshd[1]: x", "bad syslog date" },
	{ "Nov  3 25:14:07 web1 sshd[1]: x", "bad syslog timestamp" },
	{ "Nov  3 02:14:07 ", "no parser matched" },
	{ "Foo  3 02:14:07 web1 sshd[1]: x", "no parser matched" },
	{ "2026-13-03T02:14:07Z web1 x: y", "bad syslog timestamp" },
	{ "<34>1 - web1 app - - - x", "RFC 5424 line without timestamp" },
	{ "<34>1 2026-11-03T02:14:07Z web1 app 1 ID [a x=\"1\" unterminated", "unterminated RFC 5424 structured data" },
	{ "1.2.3.4 - - [07/Dec/2016:11:05:07 +0100] \"GET / HTTP/1.1\" 2000 5", "no parser matched" },
	{ "1.2.3.4 - - [07/Xyz/2016:11:05:07 +0100] \"GET / HTTP/1.1\" 200 5", "no parser matched" },
	{ "1.2.3.4 - - [07/Dec/2016:11:05:07 +0100] \"GET / HTTP/1.1 200 5", "no parser matched" },
	{ "[Sun Dec 04 04:47:44 2005] notice workerEnv.init() ok", "no parser matched" },
	{ "[Sun Dec 04 25:47:44 2005] [notice] workerEnv.init() ok", "bad apache error log time" },
	{ "2016/13/25 14:49:34 [error] 54053#0: *1 open() failed", "bad nginx error log time" },
	{ "2016/10/25 14:49:34 [error] x#0: *1 open() failed", "no parser matched" },
	{ "{\"timestamp\":\"2018-07-05T15:01:09Z\",\"event_type\":\"alert\",\"src_ip\":", "malformed EVE JSON" },
	{ "{\"timestamp\":\"2018-07-05T15:01:09Z\",\"event_type\":\"alert\"} x", "malformed EVE JSON" },
	{ "{\"event_type\":\"alert\"}", "EVE event without event_type or timestamp" },
	{ "{\"timestamp\":\"yesterday\",\"event_type\":\"alert\"}", "EVE event without event_type or timestamp" },
	{ "13/45/2019-07:14:26.123456  [**] [1:2013028:7] x [**] [Priority: 2] {TCP} 1.2.3.4:1 -> 5.6.7.8:80", "bad fast.log time" },
	{ "10/05/2019-07:14:26.123456  [**] [1:x:7] x [**] {TCP} 1.2.3.4:1 -> 5.6.7.8:80", "no parser matched" },
	{ "2019-03-24 13:44:25 0 [Bogus] [MY-013169] [Server] x", "no parser matched" },
	{ "2020-04-16 11:45:11.844 CEST [26953] LUNCH:  x", "no parser matched" },
	{ "2021-01-04 00:04:50.554 UTC,,,notapid,,5ff25ba2.1b,1,,2021-01-04 00:04:50 UTC,,0,LOG,00000,\"x\"", "no parser matched" },
	{ "date=2026-11-03 time=25:15:30 type=\"traffic\" action=\"deny\" srcip=1.2.3.4", "rule matched a time it cannot read" },
	{ "#comment", "no parser matched" },
	{ "Feb 30 2026 02:14:07: %ASA-6-302014: Teardown", "bad ASA time" },
	{ "Nov 03 2026 02:14:07: %ASA-x-302014: Teardown", "no parser matched" },
	{ "CEF:0|Security|threatmanager|1.0|100|worm", "bad CEF header" },
	{ "CEF:x|a|b|c|d|e|1|src=1.2.3.4", "bad CEF header" },
	{ "CEF:0|a|b|c|d|e|11|src=1.2.3.4", "bad CEF severity" },
	{ "LEEF:3.0|a|b|c|d|src=1.2.3.4", "bad LEEF header" },
	{ "LEEF:2.0|a|b|c|d|xZZ|src=1.2.3.4", "bad LEEF delimiter" },
	{ "LEEF:2.0|a|b|c|d|x00|src=1.2.3.4", "bad LEEF delimiter" },
	{ "LEEF:2.0|a|b|c|d", "bad LEEF header" },
	{ "# Time: 2026-13-01T00:00:00Z", "bad slow log time" },
};

START_TEST(test_invalid)
{
	struct omsec_parse *p = mk(NULL, NULL, 0);
	struct omsec_event ev;
	const char *why = NULL;
	const char *l = invalid[_i].line;

	omsec_parse_source(p, OMSEC_SPAN_LIT("x"), OMSEC_SPAN_LIT("-"), MTIME_NOV);
	ck_assert_msg(omsec_parse_line(p, &ev, l, strlen(l), 1, &why) !=
	    OMSEC_P_MATCH, "accepted: %s", l);
	ck_assert_str_eq(why, invalid[_i].why);
	omsec_parse_free(p);
}
END_TEST

START_TEST(test_year_rollover)
{
	struct omsec_parse *p = mk("UTC", NULL, 0);
	struct omsec_event ev;
	const char *why, *dec = "Dec 31 23:59:59 h p: x", *jan = "Jan  2 00:00:01 h p: x";
	char ts[25];

	/* mtime 2027-01-05: a December line is from 2026. */
	omsec_parse_source(p, OMSEC_SPAN_LIT("a"), OMSEC_SPAN_LIT("-"), 1799107200);
	ck_assert_int_eq(omsec_parse_line(p, &ev, dec, strlen(dec), 1, &why), OMSEC_P_MATCH);
	omsec_format_iso(ts, ev.ts_ms);
	ck_assert_str_eq(ts, "2026-12-31T23:59:59.000Z");
	ck_assert_int_eq(omsec_parse_line(p, &ev, jan, strlen(jan), 2, &why), OMSEC_P_MATCH);
	omsec_format_iso(ts, ev.ts_ms);
	ck_assert_str_eq(ts, "2027-01-02T00:00:01.000Z");
	omsec_parse_free(p);

	/* --year wins over the mtime. */
	p = mk("UTC", NULL, 2019);
	omsec_parse_source(p, OMSEC_SPAN_LIT("a"), OMSEC_SPAN_LIT("-"), 1799107200);
	ck_assert_int_eq(omsec_parse_line(p, &ev, dec, strlen(dec), 1, &why), OMSEC_P_MATCH);
	omsec_format_iso(ts, ev.ts_ms);
	ck_assert_str_eq(ts, "2019-12-31T23:59:59.000Z");
	omsec_parse_free(p);

	/*
	 * The mtime's month is local: 2026-12-31T20:00Z is already January
	 * 2027 in Shanghai, so a January line is 2027 and December is 2026.
	 */
	p = mk("Asia/Shanghai", NULL, 0);
	omsec_parse_source(p, OMSEC_SPAN_LIT("a"), OMSEC_SPAN_LIT("-"), 1798747200);
	ck_assert_int_eq(omsec_parse_line(p, &ev, jan, strlen(jan), 1, &why), OMSEC_P_MATCH);
	omsec_format_iso(ts, ev.ts_ms);
	ck_assert_str_eq(ts, "2027-01-01T16:00:01.000Z");
	omsec_parse_free(p);
}
END_TEST

START_TEST(test_tz)
{
	struct omsec_parse *p = mk("Asia/Shanghai", NULL, 0);
	struct omsec_event ev;
	const char *why, *l = "Nov  3 02:14:07 h sshd[1]: x";
	char ts[25];

	omsec_parse_source(p, OMSEC_SPAN_LIT("a"), OMSEC_SPAN_LIT("-"), MTIME_NOV);
	ck_assert_int_eq(omsec_parse_line(p, &ev, l, strlen(l), 1, &why), OMSEC_P_MATCH);
	omsec_format_iso(ts, ev.ts_ms);
	ck_assert_str_eq(ts, "2026-11-02T18:14:07.000Z");
	/* Same stamp again comes from the cache: same answer. */
	ck_assert_int_eq(omsec_parse_line(p, &ev, l, strlen(l), 2, &why), OMSEC_P_MATCH);
	omsec_format_iso(ts, ev.ts_ms);
	ck_assert_str_eq(ts, "2026-11-02T18:14:07.000Z");
	omsec_parse_free(p);

	/* A DST zone: New York is UTC-4 in July, UTC-5 in November. */
	p = mk("America/New_York", NULL, 0);
	omsec_parse_source(p, OMSEC_SPAN_LIT("a"), OMSEC_SPAN_LIT("-"), MTIME_NOV);
	l = "Jul  4 12:00:00 h p: x";
	ck_assert_int_eq(omsec_parse_line(p, &ev, l, strlen(l), 1, &why), OMSEC_P_MATCH);
	omsec_format_iso(ts, ev.ts_ms);
	ck_assert_str_eq(ts, "2026-07-04T16:00:00.000Z");
	l = "Nov 15 12:00:00 h p: x";
	ck_assert_int_eq(omsec_parse_line(p, &ev, l, strlen(l), 2, &why), OMSEC_P_MATCH);
	omsec_format_iso(ts, ev.ts_ms);
	ck_assert_str_eq(ts, "2026-11-15T17:00:00.000Z");
	omsec_parse_free(p);

	{
		struct omsec_parse_opts o = OMSEC_PARSE_OPTS_INIT;
		char err[128];
		o.tz = "Mars/Olympus";
		ck_assert_ptr_null(omsec_parse_new(&o, err, sizeof(err)));
		ck_assert_str_eq(err, "unknown time zone: Mars/Olympus");
		o.tz = NULL;
		o.type = "bogus";
		ck_assert_ptr_null(omsec_parse_new(&o, err, sizeof(err)));
	}
}
END_TEST

/*
 * RFC 3164 times are cached a minute at a time: every second of the
 * minutes around offset changes reads as a parser without a cache reads
 * it. New York's DST starts and ends on the hour; Monrovia went from
 * -0:44:30 to UTC on 1972-01-07 at 00:44:30, in the middle of a minute
 * (the only change since 1970 that is not a whole number of minutes);
 * St. John's changed at 00:01, inside an hour, until 2011; Kigali's
 * last minute of local mean time, in 1935, had two offsets 16 s apart.
 */
START_TEST(test_ts_cache)
{
	static const struct {
		const char *tz;
		int year;
		const char *minutes[6];
	} cases[] = {
		{ "America/New_York", 2026, { "Mar  8 01:59", "Mar  8 02:00",
		    "Mar  8 03:00", "Nov  1 00:59", "Nov  1 01:00", "Nov  1 02:00" } },
		{ "Africa/Monrovia", 1972, { "Jan  6 23:59", "Jan  7 00:00",
		    "Jan  7 00:43", "Jan  7 00:44", "Jan  7 00:45", "Jan  7 01:30" } },
		{ "America/St_Johns", 2006, { "Oct 29 00:30", "Oct 29 00:00",
		    "Oct 28 23:30", "Apr  2 01:30", "Apr  2 00:00", "Apr  2 00:30" } },
		{ "Africa/Kigali", 1935, { "May 31 23:58", "May 31 23:59",
		    "Jun  1 00:00", "Jun  1 00:01", "May 31 22:00", "Jun  1 01:00" } },
	};
	struct omsec_event ev;
	const char *why;
	char l[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct omsec_parse *p = mk(cases[i].tz, NULL, cases[i].year);
		omsec_parse_source(p, OMSEC_SPAN_LIT("a"), OMSEC_SPAN_LIT("-"),
		    MTIME_NOV);
		for (int m = 0; m < 6; m++)
			for (int ss = 0; ss <= 60; ss++) {
				struct omsec_parse *q = mk(cases[i].tz, NULL,
				    cases[i].year);
				int64_t cached;
				snprintf(l, sizeof(l), "%s:%02d h sshd[1]: x",
				    cases[i].minutes[m], ss);
				ck_assert_int_eq(omsec_parse_line(p, &ev, l,
				    strlen(l), 1, &why), OMSEC_P_MATCH);
				cached = ev.ts_ms;
				omsec_parse_source(q, OMSEC_SPAN_LIT("a"),
				    OMSEC_SPAN_LIT("-"), MTIME_NOV);
				ck_assert_int_eq(omsec_parse_line(q, &ev, l,
				    strlen(l), 1, &why), OMSEC_P_MATCH);
				ck_assert_msg(cached == ev.ts_ms, "%s %s: %lld, "
				    "uncached %lld", cases[i].tz, l,
				    (long long)cached, (long long)ev.ts_ms);
				omsec_parse_free(q);
			}
		omsec_parse_free(p);
	}
}
END_TEST

/*
 * The sshd address scan (16 bytes at a time on SSE2) takes what the byte
 * rule of omsec_span_isip takes: random words of address bytes and a few
 * others, 0 to 47 bytes long, before " port 22" and at the end of a line
 * (fewer than 16 bytes left).
 */
START_TEST(test_sshd_addresses)
{
	static const char abc[] = "0123456789abcdefABCDEF..::g/";
	struct omsec_parse *p = mk(NULL, NULL, 0);
	struct omsec_event ev;
	const char *why;
	char w[64], l[160];
	uint32_t seed = 7;
	int matched = 0;

	omsec_parse_source(p, OMSEC_SPAN_LIT("a"), OMSEC_SPAN_LIT("-"),
	    MTIME_NOV);
	for (int i = 0; i < 20000; i++) {
		size_t n = (seed = seed * 1103515245 + 12345) >> 16 & 47, k;
		for (k = 0; k < n; k++) {
			seed = seed * 1103515245 + 12345;
			/* Mostly digits and dots: quads and near-quads. */
			w[k] = seed >> 16 & 3 ? "0123456789."[(seed >> 18) % 11] :
			    abc[(seed >> 18) % (sizeof(abc) - 1)];
		}
		w[n] = '\0';
		if (n > 0 && w[n - 1] == ':')
			continue;	/* "IP:" has its own rule */
		snprintf(l, sizeof(l), i & 1 ?
		    "Nov  3 02:14:07 h sshd[1]: Failed password for root from %s port 22 ssh2" :
		    "Nov  3 02:14:07 h sshd[1]: Did not receive identification string from %s",
		    w);
		int r = omsec_parse_line(p, &ev, l, strlen(l), 1, &why);
		int want = omsec_span_isip(omsec_span_cstr(w));
		ck_assert_msg((r == OMSEC_P_MATCH && n > 0 &&
		    omsec_span_eq(ev.f[OMSEC_F_SRC_IP], w)) == want,
		    "%s: src_ip '%.*s', isip %d", l,
		    (int)ev.f[OMSEC_F_SRC_IP].n, ev.f[OMSEC_F_SRC_IP].p, want);
		matched += want;
	}
	ck_assert_int_gt(matched, 1000);
	omsec_parse_free(p);
}
END_TEST

/* omsec_scan_to, 16 bytes at a time, stops where a byte loop stops: every
 * start and length over a buffer of a few kinds of bytes. */
START_TEST(test_scan_to)
{
	static char buf[96];
	uint32_t seed = 3;

	for (size_t i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245 + 12345;
		buf[i] = "ab [:] "[(seed >> 16) % 7];
		if ((seed >> 24) % 5)
			buf[i] = 'x';	/* long runs without a stop */
	}
	for (size_t s = 0; s < sizeof(buf); s++)
		for (size_t e = s; e <= sizeof(buf); e++) {
			const char *want = buf + s;
			while (want < buf + e && *want != '[' && *want != ':' &&
			    *want != ' ')
				want++;
			ck_assert_ptr_eq(omsec_scan_to(buf + s, buf + e, '[', ':',
			    ' '), want);
		}
}
END_TEST

START_TEST(test_forced_type)
{
	struct omsec_parse *p = mk(NULL, "nginx", 0);
	struct omsec_event ev;
	const char *why, *sys = "Nov  3 02:14:07 h sshd[1]: x",
	    *web = "1.2.3.4 - - [07/Dec/2016:11:05:07 +0100] \"GET / HTTP/1.1\" 200 5";

	omsec_parse_source(p, OMSEC_SPAN_LIT("a"), OMSEC_SPAN_LIT("syslog"), MTIME_NOV);
	ck_assert_int_eq(omsec_parse_line(p, &ev, sys, strlen(sys), 1, &why), OMSEC_P_NOMATCH);
	ck_assert_int_eq(omsec_parse_line(p, &ev, web, strlen(web), 2, &why), OMSEC_P_MATCH);
	expect(&ev, OMSEC_F_MODULE, "nginx", web);
	omsec_parse_free(p);

	/* A "#source" hint when nothing is forced. */
	p = mk(NULL, NULL, 0);
	omsec_parse_source(p, OMSEC_SPAN_LIT("a"), OMSEC_SPAN_LIT("apache"), MTIME_NOV);
	ck_assert_int_eq(omsec_parse_line(p, &ev, sys, strlen(sys), 1, &why), OMSEC_P_NOMATCH);
	ck_assert_int_eq(omsec_parse_line(p, &ev, web, strlen(web), 2, &why), OMSEC_P_MATCH);
	expect(&ev, OMSEC_F_MODULE, "apache", web);
	omsec_parse_source(p, OMSEC_SPAN_LIT("a"), OMSEC_SPAN_LIT("nosuchtype"), MTIME_NOV);
	ck_assert_int_eq(omsec_parse_line(p, &ev, sys, strlen(sys), 1, &why), OMSEC_P_MATCH);
	omsec_parse_free(p);
	ck_assert_int_eq(omsec_parse_type_known("rfc5424"), 1);
	ck_assert_int_eq(omsec_parse_type_known("Syslog"), 0);
}
END_TEST

/* ---- stream driver over memory ---- */

struct mem {
	const char *p;
	size_t n, off;
};

static long
mem_read(void *ctx, char *buf, size_t cap)
{
	struct mem *m = ctx;
	size_t k = m->n - m->off;

	if (k > cap)
		k = cap;
	if (k > 7)
		k = 7;		/* small reads exercise the reader's refill */
	memcpy(buf, m->p + m->off, k);
	m->off += k;
	return (long)k;
}

/* Runs the stream over in[0..n); returns stdout and rejects in malloc'd
 * strings. */
/* The site configuration run_stream passes (NULL: none). */
static const struct omsec_config *stream_cfg;

static void
run_stream(const char *in, size_t n, int json, char **outs, char **rejs,
    struct omsec_parse_totals *tot)
{
	struct omsec_parse_opts o = OMSEC_PARSE_OPTS_INIT;
	struct mem m = { in, n, 0 };
	FILE *fo = tmpfile(), *fr = tmpfile();
	struct omsec_out *out, *rej;
	struct omsec_reader *r;
	struct omsec_parse *p;
	char err[64];
	long sz;

	o.json = json;
	o.now = MTIME_NOV;
	o.cfg = stream_cfg;
	o.tz = stream_cfg ? "UTC" : NULL;
	ck_assert_ptr_nonnull(fo);
	ck_assert_ptr_nonnull(fr);
	p = omsec_parse_new(&o, err, sizeof(err));
	ck_assert_msg(p != NULL, "%s", err);
	out = omsec_out_new_fd(fileno(fo));
	rej = omsec_out_new_fd(fileno(fr));
	r = omsec_reader_new_fn(mem_read, &m);
	omsec_parse_write_header(p, out);
	omsec_parse_write_rejects_header(rej);
	ck_assert_int_eq(omsec_parse_stream(p, r, "-", MTIME_NOV, out, rej, tot), 0);
	ck_assert_int_eq(omsec_out_close(out), 0);
	ck_assert_int_eq(omsec_out_close(rej), 0);
	omsec_reader_free(r);
	omsec_parse_free(p);
	for (int k = 0; k < 2; k++) {
		FILE *f = k ? fr : fo;
		char **dst = k ? rejs : outs;
		fseek(f, 0, SEEK_END);
		sz = ftell(f);
		rewind(f);
		*dst = calloc(1, (size_t)sz + 1);
		ck_assert_int_eq(fread(*dst, 1, (size_t)sz, f), (size_t)sz);
		fclose(f);
	}
}

START_TEST(test_stream_framed)
{
	static const char in[] =
	    "#omsec-ingest\t1\n"
	    "#source\t/var/log/a\\tb.log\t-\t1795132800\n"
	    "Nov  3 02:14:07 web1 sshd[811]: Failed password for root from 1.2.3.4 port 22 ssh2\n"
	    "##not a comment\n"
	    "\n"
	    "#source\t/var/log/nginx/access.log\tnginx\t-\n"
	    "1.2.3.4 - - [07/Dec/2016:11:05:07 +0100] \"GET / HTTP/1.1\" 200 5\n";
	struct omsec_parse_totals tot = { 0 };
	char *out, *rej;

	run_stream(in, sizeof(in) - 1, 0, &out, &rej, &tot);
	ck_assert_msg(strncmp(out, "#omsec-events\t1\n#fields\tts\t", 26) == 0, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "\t/var/log/a\\tb.log:1\tFailed password for root"));
	ck_assert_ptr_nonnull(strstr(out, "#stats\t/var/log/a\\tb.log\t3\t1\t2\t0\n"));
	ck_assert_ptr_nonnull(strstr(out, "\tnginx\tweb\thttp_request\tsuccess\t0\t1.2.3.4\t"));
	ck_assert_ptr_nonnull(strstr(out, "#stats\t/var/log/nginx/access.log\t1\t1\t0\t0\n"));
	ck_assert_str_eq(rej, "#omsec-rejects\t1\n"
	    "/var/log/a\\tb.log\t2\tno parser matched\t#not a comment\n"
	    "/var/log/a\\tb.log\t3\tempty line\t-\n");
	ck_assert_int_eq(tot.sources, 2);
	ck_assert_int_eq(tot.lines, 4);
	ck_assert_int_eq(tot.events, 2);
	ck_assert_int_eq(tot.rejects, 2);
	free(out);
	free(rej);
}
END_TEST

/* A nightly run's part of a file: refs and rejects number lines as the file does. */
START_TEST(test_stream_line0)
{
	static const char in[] =
	    "#omsec-ingest\t1\n"
	    "#source\t/var/log/auth.log\t-\t1795132800\t120\n"
	    "Nov  3 02:14:07 web1 sshd[811]: Failed password for root from 1.2.3.4 port 22 ssh2\n"
	    "garbage\n"
	    "#source\t/var/log/other.log\t-\t1795132800\n"
	    "Nov  3 02:14:08 web1 sshd[811]: Failed password for root from 1.2.3.4 port 22 ssh2\n";
	struct omsec_parse_totals tot = { 0 };
	char *out, *rej;

	run_stream(in, sizeof(in) - 1, 0, &out, &rej, &tot);
	ck_assert_ptr_nonnull(strstr(out, "\t/var/log/auth.log:121\tFailed password"));
	ck_assert_ptr_nonnull(strstr(out, "\t/var/log/other.log:1\tFailed password"));
	/* #stats count this part's lines, not the file's. */
	ck_assert_ptr_nonnull(strstr(out, "#stats\t/var/log/auth.log\t2\t1\t1\t0\n"));
	ck_assert_str_eq(rej, "#omsec-rejects\t1\n"
	    "/var/log/auth.log\t122\tno parser matched\tgarbage\n");
	free(out);
	free(rej);
}
END_TEST

START_TEST(test_stream_unframed_json)
{
	static const char in[] =
	    "Nov  3 02:14:07 web1 sshd[811]: Accepted password for bob from 1.2.3.4 port 22 ssh2\r\n"
	    "garbage";
	struct omsec_parse_totals tot = { 0 };
	char *out, *rej;

	run_stream(in, sizeof(in) - 1, 1, &out, &rej, &tot);
	ck_assert_msg(out[0] == '{' && strchr(out, '\n') == out + strlen(out) - 1,
	    "one JSON line: %s", out);
	ck_assert_ptr_nonnull(strstr(out, "\"@timestamp\":\"2026-11-02T18:14:07.000Z\""));
	ck_assert_ptr_nonnull(strstr(out, "\"user.name\":\"bob\""));
	ck_assert_ptr_nonnull(strstr(out, "\"source.port\":22"));
	ck_assert_ptr_null(strstr(out, "#stats"));
	ck_assert_str_eq(rej, "#omsec-rejects\t1\n\\x2d\t2\tno parser matched\tgarbage\n");
	ck_assert_int_eq(tot.lines, 2);
	free(out);
	free(rej);

	/* Empty input: one source with no lines. */
	run_stream("", 0, 0, &out, &rej, &tot);
	ck_assert_ptr_nonnull(strstr(out, "#stats\t\\x2d\t0\t0\t0\t0\n"));
	free(out);
	free(rej);
}
END_TEST

/*
 * MySQL slow log: one event per record, the other lines "continued", a
 * record cut by the next header or by the end of the source still an
 * event, lines = events + rejects + continued in the trailer.
 */
START_TEST(test_stream_slowlog)
{
	static const char in[] =
	    "#omsec-ingest\t1\n"
	    "#source\t/var/log/mysql/slow.log\tmysql\t1795132800\n"
	    "## Time: 2026-11-03T02:14:07.169604+08:00\n"
	    "## User@Host: shop[shop] @ app1 [10.0.0.7]  Id:  7234\n"
	    "## Query_time: 15.000223  Lock_time: 0.000001 Rows_sent: 1  Rows_examined: 0\n"
	    "use shop;\n"
	    "SET timestamp=1793643247;\n"
	    "SELECT *\n"
	    "  FROM orders\tWHERE id = 1;\n"
	    "## User@Host: root[root] @ localhost []\n"
	    "## Query_time: 1.5  Lock_time: 0 Rows_sent: 0  Rows_examined: 9\n"
	    "SET timestamp=1793643248;\n"
	    "DELETE FROM t\n"
	    "## Time: 261103 2:14:09\n"
	    "## Time: 2026-13-03T02:14:07Z\n"
	    "## User@Host: eve[eve] @  [203.0.113.5]  Id: 9\n"
	    "SET timestamp=1793643249;\n"
	    "SELECT 1\n";
	struct omsec_parse_totals tot = { 0 };
	char *out, *rej;

	run_stream(in, sizeof(in) - 1, 0, &out, &rej, &tot);
	ck_assert_ptr_nonnull(strstr(out, "2026-11-02T18:14:07.000Z\t-\tmysql\tdatabase\tslow_query\tsuccess\t0\t10.0.0.7\t-\t-\t-\tshop\tmysqld\t"));
	ck_assert_ptr_nonnull(strstr(out, "\t/var/log/mysql/slow.log:2\tquery_time=15.000223 lock_time=0.000001 rows_sent=1 rows_examined=0 db=shop: SELECT *\\n  FROM orders\\tWHERE id = 1;\t-\n"));
	/* Not closed by ';': ended by the next Time line, refers to its User@Host. */
	ck_assert_ptr_nonnull(strstr(out, "\troot\tmysqld\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t/var/log/mysql/slow.log:8\tquery_time=1.5 lock_time=0 rows_sent=0 rows_examined=9: DELETE FROM t\t-\n"));
	/* Cut by the end of the source. */
	ck_assert_ptr_nonnull(strstr(out, "\t203.0.113.5\t-\t-\t-\teve\tmysqld\t"));
	ck_assert_ptr_nonnull(strstr(out, "/var/log/mysql/slow.log:14\tSELECT 1\t-\n"));
	ck_assert_ptr_nonnull(strstr(out, "#stats\t/var/log/mysql/slow.log\t16\t3\t1\t0\t12\n"));
	ck_assert_str_eq(rej, "#omsec-rejects\t1\n"
	    "/var/log/mysql/slow.log\t13\tbad slow log time\t# Time: 2026-13-03T02:14:07Z\n");
	ck_assert_int_eq(tot.lines, tot.events + tot.rejects + tot.continued);
	ck_assert_int_eq(tot.continued, 12);
	free(out);
	free(rej);
}
END_TEST

/* CEF escapes: \| in the header, \= \\ \n in extension values. */
START_TEST(test_cef_escapes)
{
	struct omsec_parse *p = mk("UTC", "cef", 0);
	struct omsec_event ev;
	const char *why;
	static const char l[] = "CEF:0|V|P|1|42|a \\| b \\\\ c|3|suser=bo\\=b\\\\x\\ny request=/a b=c dst=10.0.0.1";

	omsec_parse_source(p, OMSEC_SPAN_LIT("c"), OMSEC_SPAN_LIT("cef"), MTIME_NOV);
	ck_assert_int_eq(omsec_parse_line(p, &ev, l, strlen(l), 1, &why), OMSEC_P_MATCH);
	expect(&ev, OMSEC_F_RULE_NAME, "a | b \\ c", l);
	expect(&ev, OMSEC_F_USER, "bo=b\\x\ny", l);
	/* "b=c" is a key=value pair, so the request ends before it. */
	expect(&ev, OMSEC_F_URL, "/a", l);
	expect(&ev, OMSEC_F_DST_IP, "10.0.0.1", l);
	omsec_parse_free(p);
}
END_TEST

/* Loads INI text into cfg; returns omsec_config_load's result, err set. */
static int
cfg_from(struct omsec_config *cfg, const char *ini, char *err, size_t cap)
{
	char path[] = "/tmp/omsec-check-parsers-XXXXXX";
	int fd = mkstemp(path), r;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, ini, strlen(ini)), (ssize_t)strlen(ini));
	close(fd);
	omsec_config_defaults(cfg);
	r = omsec_config_load(cfg, path, err, cap);
	unlink(path);
	return r;
}

static const char json_ini[] =
    "[types]\n"
    "*/app/*.json = json\n"
    "*/fw/* = cef\n"
    "[json]\n"
    "ts = @timestamp\n"
    "src_ip = client.ip\n"
    "src_port = client.port\n"
    "user = user.name\n"
    "action = event.action\n"
    "module = \"myapp\"\n"
    "severity = sev\n"
    "msg = message\n";

/*
 * [json]: nested and literal dotted keys, constants, escapes, numbers,
 * null, rejects; [types]: a glob gives the type of an unhinted source,
 * an explicit hint wins over it.
 */
START_TEST(test_json_map)
{
	static const char in[] =
	    "#omsec-ingest\t1\n"
	    "#source\t/srv/app/a.json\t-\t1795132800\n"
	    "{\"@timestamp\":\"2026-11-03T02:14:07Z\",\"client\":{\"ip\":\"203.0.113.9\",\"port\":4711},\"user.name\":\"b\\u00f6b\",\"event\":{\"action\":\"login\"},\"sev\":3,\"message\":\"x\\ty\"}\n"
	    "{\"@timestamp\":\"2026-11-03T02:14:08\",\"client\":{\"ip\":\"nope\",\"port\":\"x\"},\"user\":{\"name\":null},\"sev\":9,\"l\":[{\"client\":{\"ip\":\"1.1.1.1\"}}]}\n"
	    "{\"message\":\"no time\"}\n"
	    "{\"@timestamp\":\"2026-11-03T02:14:07Z\",\n"
	    "Nov  3 02:14:07 h sshd[1]: Accepted password for bob from 1.2.3.4 port 22 ssh2\n"
	    "#source\t/srv/app/b.json\tsyslog\t1795132800\n"
	    "Nov  3 02:14:07 h sshd[1]: Accepted password for bob from 1.2.3.4 port 22 ssh2\n"
	    "#source\t/srv/fw/c.log\t-\t1795132800\n"
	    "Nov  3 02:14:07 h app: plain\n"
	    "Nov  3 02:14:08 fw CEF:0|V|P|1|2|n|5|src=1.2.3.4\n";
	struct omsec_config cfg;
	struct omsec_parse_totals tot = { 0 };
	char err[256], *out, *rej;

	ck_assert_int_eq(cfg_from(&cfg, json_ini, err, sizeof(err)), 0);
	stream_cfg = &cfg;
	run_stream(in, sizeof(in) - 1, 0, &out, &rej, &tot);
	stream_cfg = NULL;
	ck_assert_msg(strstr(out, "2026-11-03T02:14:07.000Z\t-\tmyapp\thost\tlogin\tunknown\t3\t203.0.113.9\t4711\t-\t-\tb\xc3\xb6" "b\t") != NULL, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "/srv/app/a.json:1\tx\\ty\t-\n"));
	/* Zone-less time: site zone (UTC here); bad address, port, severity dropped; null empty. */
	ck_assert_ptr_nonnull(strstr(out, "2026-11-03T02:14:08.000Z\t-\tmyapp\thost\tlog\tunknown\t0\t-\t-\t-\t-\t-\t"));
	ck_assert_ptr_nonnull(strstr(out, "#stats\t/srv/app/a.json\t5\t2\t3\t0\n"));
	/* The hint "syslog" wins over the [types] glob. */
	ck_assert_ptr_nonnull(strstr(out, "#stats\t/srv/app/b.json\t1\t1\t0\t0\n"));
	ck_assert_ptr_nonnull(strstr(out, "\tp\tnetwork\tlog\tunknown\t2\t1.2.3.4\t"));
	ck_assert_ptr_nonnull(strstr(out, "#stats\t/srv/fw/c.log\t2\t2\t0\t0\n"));
	ck_assert_str_eq(rej, "#omsec-rejects\t1\n"
	    "/srv/app/a.json\t3\tJSON time missing or unreadable\t{\"message\":\"no time\"}\n"
	    "/srv/app/a.json\t4\tmalformed JSON\t{\"@timestamp\":\"2026-11-03T02:14:07Z\",\n"
	    "/srv/app/a.json\t5\tno parser matched\tNov  3 02:14:07 h sshd[1]: Accepted password for bob from 1.2.3.4 port 22 ssh2\n");
	free(out);
	free(rej);
}
END_TEST

/* epoch and epoch_ms times; without [json] the json type matches nothing. */
START_TEST(test_json_epoch)
{
	struct omsec_config cfg;
	struct omsec_parse_opts o = OMSEC_PARSE_OPTS_INIT;
	struct omsec_parse *p;
	struct omsec_event ev;
	const char *why;
	char err[256];
	static const char l1[] = "{\"t\":1793643247.25}", l2[] = "{\"t\":\"1793643247250\"}";

	ck_assert_int_eq(cfg_from(&cfg, "[json]\nts = t\nts_format = epoch\n", err, sizeof(err)), 0);
	o.cfg = &cfg;
	o.type = "json";
	ck_assert_ptr_nonnull(p = omsec_parse_new(&o, err, sizeof(err)));
	omsec_parse_source(p, OMSEC_SPAN_LIT("j"), OMSEC_SPAN_LIT("-"), MTIME_NOV);
	ck_assert_int_eq(omsec_parse_line(p, &ev, l1, strlen(l1), 1, &why), OMSEC_P_MATCH);
	ck_assert_int_eq(ev.ts_ms, INT64_C(1793643247250));
	expect(&ev, OMSEC_F_MODULE, "json", l1);
	omsec_parse_free(p);

	ck_assert_int_eq(cfg_from(&cfg, "[json]\nts = t\nts_format = epoch_ms\n", err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(p = omsec_parse_new(&o, err, sizeof(err)));
	omsec_parse_source(p, OMSEC_SPAN_LIT("j"), OMSEC_SPAN_LIT("-"), MTIME_NOV);
	ck_assert_int_eq(omsec_parse_line(p, &ev, l2, strlen(l2), 1, &why), OMSEC_P_MATCH);
	ck_assert_int_eq(ev.ts_ms, INT64_C(1793643247250));
	omsec_parse_free(p);

	o.cfg = NULL;
	ck_assert_ptr_nonnull(p = omsec_parse_new(&o, err, sizeof(err)));
	omsec_parse_source(p, OMSEC_SPAN_LIT("j"), OMSEC_SPAN_LIT("-"), MTIME_NOV);
	ck_assert_int_eq(omsec_parse_line(p, &ev, l2, strlen(l2), 1, &why), OMSEC_P_NOMATCH);
	omsec_parse_free(p);
}
END_TEST

/* Bad [json] / [types] entries: refused at load or at omsec_parse_new. */
static const struct {
	const char *ini, *err;
} bad_cfgs[] = {
	{ "[json]\nts = t\nbogus = x\n", ":3: [json] bogus: not an event field" },
	{ "[json]\nref = x\n", ":2: [json] ref: not an event field" },
	{ "[json]\nts = t\nts_format = rfc822\n", "[json] ts_format: 'rfc822' is not iso8601, epoch or epoch_ms" },
	{ "[json]\nsrc_ip = a\n", "[json] has no ts = key path of the time" },
	{ "[json]\nts = \"now\"\n", "[json] ts: a key path, not a constant" },
	{ "[types]\n*.log = nosuch\n", "[types] *.log: unknown type nosuch" },
	{ "[types]\n*.log =\n", ":2: [types] *.log: want 'path glob = parser type'" },
};

START_TEST(test_bad_config)
{
	struct omsec_config cfg;
	struct omsec_parse_opts o = OMSEC_PARSE_OPTS_INIT;
	struct omsec_parse *p = NULL;
	char err[256];

	if (cfg_from(&cfg, bad_cfgs[_i].ini, err, sizeof(err)) == 0) {
		o.cfg = &cfg;
		p = omsec_parse_new(&o, err, sizeof(err));
	}
	ck_assert_ptr_null(p);
	ck_assert_msg(strstr(err, bad_cfgs[_i].err) != NULL, "got '%s', want '%s'",
	    err, bad_cfgs[_i].err);
}
END_TEST

/*
 * The FortiGate fast path against the regexes of fortigate.rules: every
 * field, time and severity equal, on the rule file's samples, tricky lines
 * and 20000 generated ones, bare and behind a syslog header.
 */
static void
fgt_line(char *b, size_t cap, unsigned i)
{
	static const char *const types[] = { "traffic", "utm", "event", "\"traffic\"", "\"utm\"" };
	static const char *const subs[] = { "forward", "virus", "ips", "webfilter", "app-ctrl", "vpn", "user", "system", "\"ips\"", "dns" };
	static const char *const acts[] = { "deny", "\"close\"", "accept", "blocked", "\"block\"", "ssl-login-fail", "tunnel-up", "pass", "\"timeout\"", "login" };
	static const char *const sevs[] = { "\"critical\"", "high", "medium", "\"low\"" };
	static const char *const descs[] = { "\"Admin login failed\"", "\"Admin login successful\"", "\"Configuration changed\"", "\"\"" };
	static const char *const users[] = { "user=\"alice\" ", "user=\"\" ", "user=bob ", "", "user=\"x\\\" y\" " };
	static const char *const stats[] = { "failure", "\"failed\"", "success" };
	unsigned r = i * 2654435761u;

	snprintf(b, cap, "%sdate=2026-11-%02u time=%02u:%02u:%02u %sdevname=%s logid=\"0000000013\" type=%s subtype=%s "
	    "%ssrcip=%s srcport=%u dstip=10.0.%u.%u dstport=%u %saction=%s severity=%s status=%s logdesc=%s "
	    "policyid=%u virus=\"EICAR_%u\" virusid=%u attack=\"A.%u\" attackid=%u url=\"/u%u\" catdesc=\"C %u\" "
	    "app=\"App%u\" appid=%u remip=198.51.%u.%u msg=\"srcip=9.9.9.%u tz=-0500 x\"%s",
	    i % 7 == 0 ? "Nov  3 10:15:31 10.9.0.1 " : "",
	    1 + i % 28, i % 24, (r >> 3) % 60, (r >> 9) % 60,
	    i % 5 == 0 ? "tz=\"+0800\" " : i % 5 == 1 ? "tz=-0130 " : "",
	    i % 6 == 0 ? "\"FGT 60E\"" : i % 6 == 1 ? "\"\"" : "FGT60E-HQ",
	    types[i % 5], subs[(r >> 4) % 10], users[(r >> 8) % 5],
	    i % 11 == 0 ? "\"1.2.3.4\"" : i % 13 == 0 ? "" : "203.0.113.9",
	    1024 + i % 60000, (r >> 12) % 256, (r >> 16) % 256, 1 + (r >> 20) % 1024,
	    i % 9 == 0 ? "xsrcip=7.7.7.7 " : "",
	    acts[(r >> 5) % 10], sevs[(r >> 11) % 4], stats[(r >> 13) % 3],
	    descs[(r >> 15) % 4], i % 300, i, i % 9999, i, i % 99999, i, i, i, i,
	    (r >> 17) % 256, (r >> 19) % 256, i % 250,
	    i % 17 == 0 ? " time=25:00:00" : "");
}

START_TEST(test_fgt_fast)
{
	struct omsec_parse *fast, *slow;
	struct omsec_event a, b;
	const char *wa, *wb;
	char line[2048], fa[1024], fb[1024];
	int matched = 0, rules_seen[16] = { 0 };

	unsetenv("OMSEC_NO_FASTPATH");
	fast = mk(NULL, NULL, 0);
	setenv("OMSEC_NO_FASTPATH", "1", 1);
	slow = mk(NULL, NULL, 0);
	unsetenv("OMSEC_NO_FASTPATH");
	/* fgthash.h must match fortigate.rules, or this compares PCRE2 with itself. */
	ck_assert_msg(omsec_rules_fastpath(omsec_parse_cx(fast)->rules),
	    "fast path off: run parsers/fgthash.sh > parsers/fgthash.h");
	ck_assert(!omsec_rules_fastpath(omsec_parse_cx(slow)->rules));
	for (unsigned i = 0; i < 20000; i++) {
		int ra, rb;
		fgt_line(line, sizeof(line), i);
		omsec_parse_source(fast, OMSEC_SPAN_LIT("fgt.log"), OMSEC_SPAN_LIT("-"), MTIME_NOV);
		omsec_parse_source(slow, OMSEC_SPAN_LIT("fgt.log"), OMSEC_SPAN_LIT("-"), MTIME_NOV);
		ra = omsec_parse_line(fast, &a, line, strlen(line), 1, &wa);
		rb = omsec_parse_line(slow, &b, line, strlen(line), 1, &wb);
		ck_assert_msg(ra == rb, "%s: fast %d slow %d", line, ra, rb);
		if (ra != OMSEC_P_MATCH) {
			ck_assert_str_eq(wa, wb);
			continue;
		}
		matched++;
		ck_assert_msg(a.ts_ms == b.ts_ms && a.severity == b.severity,
		    "%s: ts/severity differ", line);
		for (int f = 0; f < OMSEC_F_COUNT; f++) {
			omsec_span_copy(fa, sizeof(fa), a.f[f]);
			omsec_span_copy(fb, sizeof(fb), b.f[f]);
			ck_assert_msg(strcmp(fa, fb) == 0, "%s: %s fast '%s' slow '%s'",
			    line, omsec_field_name((enum omsec_field)f), fa, fb);
		}
		omsec_span_copy(fa, sizeof(fa), a.f[OMSEC_F_ACTION]);
		rules_seen[(a.severity * 3 + (int)strlen(fa)) % 16] = 1;
	}
	/* The generator reaches many rules, not one. */
	ck_assert_int_gt(matched, 10000);
	{
		int kinds = 0;
		for (int k = 0; k < 16; k++)
			kinds += rules_seen[k];
		ck_assert_int_ge(kinds, 6);
	}
	omsec_parse_free(fast);
	omsec_parse_free(slow);
}
END_TEST

/* A statement longer than the event keeps is cut and marked. */
START_TEST(test_slowlog_bounded)
{
	struct omsec_parse *p = mk("UTC", "mysql-slow", 0);
	struct omsec_event ev;
	const char *why;
	static char big[3000];
	char msg[OMSEC_SLOW_STMT + 600];
	int r;

	memset(big, 'x', sizeof(big) - 1);
	omsec_parse_source(p, OMSEC_SPAN_LIT("s"), OMSEC_SPAN_LIT("-"), MTIME_NOV);
	ck_assert_int_eq(omsec_parse_line(p, &ev, "# User@Host: a[a] @ h []", 24, 1, &why), OMSEC_P_CONT);
	ck_assert_str_eq(why, "part of a multi-line record");
	ck_assert_int_eq(omsec_parse_line(p, &ev, "SET timestamp=1;", 16, 2, &why), OMSEC_P_CONT);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(omsec_parse_line(p, &ev, big, strlen(big), (uint64_t)i + 3, &why), OMSEC_P_CONT);
	r = omsec_parse_line(p, &ev, "x;", 2, 6, &why);
	ck_assert_int_eq(r, OMSEC_P_MATCH);
	fld(msg, sizeof(msg), &ev, OMSEC_F_MSG);
	ck_assert_uint_eq(strlen(msg), OMSEC_SLOW_STMT + 3);
	ck_assert_str_eq(msg + OMSEC_SLOW_STMT, "...");
	expect(&ev, OMSEC_F_TS, NULL, "bounded");
	ck_assert_int_eq(ev.ts_ms, 1000);
	/* After the ';': a statement's rest is a continuation reject. */
	ck_assert_int_eq(omsec_parse_line(p, &ev, "END", 3, 7, &why), OMSEC_P_NOMATCH);
	ck_assert_str_eq(why, "continuation of a multi-line message");
	omsec_parse_free(p);
}
END_TEST

/* -------------------------------------------------------------- limits */

static char *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long sz;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	sz = ftell(f);
	rewind(f);
	buf = malloc((size_t)sz + 1);
	*n = fread(buf, 1, (size_t)sz, f);
	fclose(f);
	return buf;
}

static const char *bad_files[] = {
	"binary.bin", "nul.log", "invalid-utf8.log", "long-line.log",
	"crlf.log", "empty.log", "truncated.log",
};

/* Every parser row and program parser on one span; must not crash. */
static void
all_parsers(struct omsec_parse *p, const char *b, size_t n)
{
	struct omsec_pctx cx;
	struct omsec_event ev;
	const char *why;

	memset(&cx, 0, sizeof(cx));
	cx.tz = omsec_tz_new("UTC");
	cx.last = -1;
	cx.src_year = 2026;
	cx.src_month = 11;
	cx.module = OMSEC_SPAN_LIT("x");
	for (int i = 0; i < omsec_nparsers; i++) {
		omsec_event_clear(&ev);
		int r = omsec_parsers[i].fn(&cx, &ev, omsec_span_make(b, n));
		ck_assert(r >= -1 && r <= 1);
	}
	for (int i = 0; i < omsec_nprogs; i++) {
		omsec_event_clear(&ev);
		int r = omsec_progs[i].fn(&cx, &ev, omsec_span_make(b, n));
		ck_assert(r >= -1 && r <= 1);
	}
	omsec_event_clear(&ev);
	(void)omsec_pam_parse(&cx, &ev, omsec_span_make(b, n));
	omsec_event_clear(&ev);
	(void)omsec_netfilter_parse(&cx, &ev, omsec_span_make(b, n));
	(void)omsec_parse_line(p, &ev, b, n, 1, &why);
	omsec_tz_free(cx.tz);
}

START_TEST(test_bad_corpus)
{
	const char *dir = getenv("OMSEC_TEST_DATA");
	char path[1024];
	struct omsec_parse_totals tot = { 0 };
	struct omsec_parse *p = mk(NULL, NULL, 0);
	char *in, *out, *rej;
	size_t n;

	ck_assert_ptr_nonnull(dir);
	snprintf(path, sizeof(path), "%s/bad/%s", dir, bad_files[_i]);
	in = slurp(path, &n);
	ck_assert_msg(in != NULL, "%s: %s", path, strerror(errno));
	run_stream(in, n, 0, &out, &rej, &tot);
	ck_assert_int_eq(tot.lines, tot.events + tot.rejects);
	/* Every line, split by hand, through every parser. */
	for (size_t s = 0; s <= n;) {
		const char *e = memchr(in + s, '\n', n - s);
		size_t len = e ? (size_t)(e - (in + s)) : n - s;
		all_parsers(p, in + s, len);
		s += len + 1;
	}
	free(in);
	free(out);
	free(rej);
	omsec_parse_free(p);
}
END_TEST

START_TEST(test_bad_expectations)
{
	const char *dir = getenv("OMSEC_TEST_DATA");
	char path[1024], *in, *out, *rej;
	struct omsec_parse_totals tot = { 0 };
	size_t n;

	/* CRLF: both lines parse, and no '\r' reaches the message. */
	snprintf(path, sizeof(path), "%s/bad/crlf.log", dir);
	in = slurp(path, &n);
	ck_assert_ptr_nonnull(in);
	run_stream(in, n, 0, &out, &rej, &tot);
	ck_assert_int_eq(tot.events, 2);
	ck_assert_ptr_null(strstr(out, "\\r"));
	free(in); free(out); free(rej);

	/* A 1.5 MiB line is cut by the reader and counted as truncated. */
	memset(&tot, 0, sizeof(tot));
	n = 1536 * 1024;
	in = malloc(n + 64);
	memcpy(in, "Nov  3 02:14:07 web1 app: ", 26);
	memset(in + 26, 'A', n - 26);
	memcpy(in + n, "\nNov  3 02:14:07 web1 app: b\n", 29);
	run_stream(in, n + 29, 0, &out, &rej, &tot);
	ck_assert_int_eq(tot.truncated, 1);
	ck_assert_int_eq(tot.lines, 2);
	ck_assert_int_eq(tot.events, 2);
	free(in); free(out); free(rej);
}
END_TEST

/* ----------------------------------------------------------- malformed */

static uint64_t
xorshift(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

START_TEST(test_fuzz)
{
	static const char *seeds[] = {
		"Nov  3 02:14:07 web1 sshd[811]: Failed password for invalid user a from 1.2.3.4 port 22 ssh2",
		"<34>1 2026-11-03T02:14:07.003Z h a 1 m [x a=\"b\"] msg",
		"2018-08-14T14:30:02.203151+02:00 h sudo: u : TTY=x ; PWD=/",
		"\"1.1.1.1, 2.2.2.2\" 3.3.3.3 - - [07/Dec/2016:11:05:07 +0100] \"GET / HTTP/1.1\" 200 5 \"r\" \"u\"",
		"PAM 3 more authentication failures; rhost=1.2.3.4 user=x",
		"Nov  3 02:14:07 gw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=1.2.3.4 DST=5.6.7.8 PROTO=TCP SPT=1 DPT=2",
		"{\"timestamp\":\"2018-07-05T15:07:20.910626-0400\",\"event_type\":\"alert\",\"src_ip\":\"1.2.3.4\",\"alert\":{\"signature\":\"a\\u00e9\\\"\",\"severity\":1},\"x\":[{\"y\":\"]\"}]}",
		"2016/10/25 14:49:34 [error] 54053#0: *1 x, client: 1.2.3.4, request: \"GET / HTTP/1.1\" ModSecurity: Access denied [id \"1\"] [msg \"m\"]",
		"[Wed Oct 11 14:32:52.123456 2017] [core:error] [pid 1:tid 2] [client ::1:5] AH0",
		"10/05/2019-07:14:26.123456  [**] [1:2:3] n [**] [Priority: 2] {TCP} 1.2.3.4:1 -> 5.6.7.8:80",
		"2019-03-24T13:44:25.484123Z 0 [System] [MY-013169] [Server] Access denied for user 'a'@'1.2.3.4'",
		"2021-01-04 00:05:06.086 UTC,\"p\",\"d\",34,\"1.2.3.4:42\",5,2,\"a\",2021-01-04 00:05:06 UTC,3/1,0,LOG,00000,\"x \"\"y\"\"\",,,,\"",
		"<189>date=2026-11-03 time=10:15:30 devname=\"F\" type=\"traffic\" srcip=1.2.3.4 action=\"deny\"",
		"Nov  3 02:14:07 fw01 %ASA-6-302013: Built inbound TCP connection 1 for outside:1.2.3.4/5 (1.2.3.4/5) to dmz:5.6.7.8/443 (9.9.9.9/443)",
	};
	struct omsec_parse *p = mk("UTC", NULL, 0);
	uint64_t st = 0x9E3779B97F4A7C15ull;
	char buf[256];

	for (int k = 0; k < 100000; k++) {
		uint64_t r = xorshift(&st);
		size_t n = r % sizeof(buf);
		if (k % 2) {
			/* Mutate a real line: keeps parsers past their prefixes. */
			const char *s = seeds[(r >> 8) %
			    (sizeof(seeds) / sizeof(seeds[0]))];
			size_t sl = strlen(s);
			n = sl < n ? sl : n;
			memcpy(buf, s, n);
			for (int m = 0; m < 3 && n > 0; m++)
				buf[xorshift(&st) % n] = (char)xorshift(&st);
		} else {
			for (size_t i = 0; i < n; i++)
				buf[i] = (char)xorshift(&st);
		}
		all_parsers(p, buf, n);
	}
	omsec_parse_free(p);
}
END_TEST

/* ------------------------------------------------------------ realdata */

/* Parsed lines of a file, fields copied out. */
struct rec {
	int matched;
	int sev;
	char f[OMSEC_F_COUNT][128];
};

static struct rec *
parse_file(const char *rel, const char *path_hint, size_t *nrec)
{
	const char *root = getenv("OMSEC_REALDATA");
	char path[1024], *line = NULL;
	size_t cap = 0, n = 0, alloc = 4096;
	ssize_t len;
	struct rec *v = calloc(alloc, sizeof(*v));
	struct omsec_parse *p = mk("UTC", NULL, 0);
	struct omsec_event ev;
	const char *why;
	FILE *f;

	ck_assert_ptr_nonnull(root);
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	omsec_parse_source(p, omsec_span_cstr(path_hint), OMSEC_SPAN_LIT("-"),
	    MTIME_NOV);
	while ((len = getline(&line, &cap, f)) >= 0) {
		if (len > 0 && line[len - 1] == '\n')
			len--;
		ck_assert_uint_lt(n, alloc);
		v[n].matched = omsec_parse_line(p, &ev, line, (size_t)len,
		    n + 1, &why) == OMSEC_P_MATCH;
		if (v[n].matched) {
			ck_assert_msg(omsec_event_plain_ok(&ev), "%s:%zu: a "
			    "field marked plain is not", rel, n + 1);
			v[n].sev = ev.severity;
			for (int i = 0; i < OMSEC_F_COUNT; i++)
				omsec_span_copy(v[n].f[i], sizeof(v[n].f[i]), ev.f[i]);
		}
		n++;
	}
	free(line);
	fclose(f);
	omsec_parse_free(p);
	*nrec = n;
	return v;
}

/*
 * The i-th object of a pretty-printed JSON array of flat objects, and the
 * value of "key" in it (string or number, no escapes needed here).
 */
static int
json_get(const char *doc, int idx, const char *key, char *val, size_t cap)
{
	const char *o = doc, *e;
	char pat[160];

	for (int i = 0; i <= idx; i++) {
		o = strstr(i ? o + 1 : o, "\n    {");
		if (o == NULL)
			return -1;
	}
	e = strstr(o + 1, "\n    }");
	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	const char *k = strstr(o, pat);
	if (k == NULL || (e != NULL && k > e))
		return -1;
	k += strlen(pat);
	size_t n = 0;
	if (*k == '"') {
		k++;
		while (k[n] != '"')
			n++;
	} else {
		while (k[n] != ',' && k[n] != '\n')
			n++;
	}
	if (n >= cap)
		n = cap - 1;
	memcpy(val, k, n);
	val[n] = '\0';
	return 0;
}

static char *
slurp_real(const char *rel)
{
	const char *root = getenv("OMSEC_REALDATA");
	char path[1024], *s;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	s = slurp(path, &n);
	ck_assert_msg(s != NULL, "%s", path);
	s[n] = '\0';
	return s;
}

START_TEST(test_real_system_auth)
{
	size_t n;
	struct rec *v = parse_file("beats/system-auth/test.log", "auth.log", &n);
	char *doc = slurp_real("beats/system-auth/test.log-expected.OLDER-REVISION.json");
	char want[128];
	int users = 0, users_ok = 0, ips = 0, ips_ok = 0, outc = 0, outc_ok = 0;

	ck_assert_int_eq(n, 10);
	for (size_t i = 0; i < n; i++) {
		ck_assert(v[i].matched);
		if (json_get(doc, (int)i, "system.auth.user", want, sizeof(want)) == 0) {
			users++;
			users_ok += strcmp(v[i].f[OMSEC_F_USER], want) == 0;
		}
		if (json_get(doc, (int)i, "system.auth.ssh.ip", want, sizeof(want)) == 0 ||
		    json_get(doc, (int)i, "system.auth.ssh.dropped_ip", want, sizeof(want)) == 0) {
			ips++;
			ips_ok += strcmp(v[i].f[OMSEC_F_SRC_IP], want) == 0;
		}
		if (json_get(doc, (int)i, "system.auth.ssh.event", want, sizeof(want)) == 0) {
			outc++;
			outc_ok += strcmp(v[i].f[OMSEC_F_OUTCOME],
			    strcmp(want, "Accepted") == 0 ? "success" : "failure") == 0;
		}
		if (json_get(doc, (int)i, "system.auth.sudo.error", want, sizeof(want)) == 0)
			ck_assert_str_eq(v[i].f[OMSEC_F_OUTCOME], "failure");
		if (json_get(doc, (int)i, "system.auth.useradd.name", want, sizeof(want)) == 0)
			ck_assert_str_eq(v[i].f[OMSEC_F_USER], want);
	}
	fprintf(stderr, "realdata system-auth: user %d/%d, source.ip %d/%d "
	    "(2 differ: expected file is an older revision), outcome %d/%d\n",
	    users_ok, users, ips_ok, ips, outc_ok, outc);
	ck_assert_int_eq(users, 7);
	ck_assert_int_eq(users_ok, users);
	ck_assert_int_eq(ips, 5);
	ck_assert_int_eq(ips_ok, 3);	/* lines 4 and 6 changed upstream */
	ck_assert_int_eq(outc_ok, outc);
	free(v);
	free(doc);
}
END_TEST

/* loghub template ids and the action each must get. */
static const char *
openssh_action(const char *eid)
{
	static const struct { const char *ids, *act; } map[] = {
		{ ",E1,", "login" },
		{ ",E8,E9,E10,E14,", "login" },
		{ ",E13,", "invalid_user" },
		{ ",E2,E6,E7,E24,E25,E26,", "disconnect" },
		{ ",E19,E20,", "pam_auth_failure" },
		{ ",E15,E16,E17,", "pam_auth_failures" },
		{ ",E4,E5,", "max_auth_exceeded" },
		{ ",E21,", "user_unknown" },
		{ ",E22,", "session_close" },
		{ ",E23,", "session_open" },
		{ ",E27,", "reverse_mapping_failed" },
		{ ",E3,", "no_identification" },
		{ ",E11,E12,E18,", "log" },
	};
	char k[16];

	snprintf(k, sizeof(k), ",%s,", eid);
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strstr(map[i].ids, k) != NULL)
			return map[i].act;
	return "?";
}

START_TEST(test_real_openssh)
{
	size_t n;
	struct rec *v = parse_file("loghub/OpenSSH/OpenSSH_2k.log", "auth.log", &n);
	char *csv = slurp_real("loghub/OpenSSH/OpenSSH_2k.log_structured.csv");
	char *line = strchr(csv, '\n') + 1;
	int ok = 0, acc = 0, acc_want = 0, fail = 0, fail_want = 0, ipok = 0, ipn = 0;

	ck_assert_int_eq(n, 2000);
	for (size_t i = 0; i < n; i++) {
		char *e = strchr(line, '\n'), eid[8] = "", *q;
		ck_assert_ptr_nonnull(e);
		*e = '\0';
		/* EventId is the last ",E<digits>," field. */
		for (q = line; (q = strstr(q, ",E")) != NULL; q++) {
			size_t d = strspn(q + 2, "0123456789");
			if (d > 0 && d < 4 && q[2 + d] == ',')
				snprintf(eid, sizeof(eid), "E%.*s", (int)d, q + 2);
		}
		ck_assert_msg(v[i].matched, "line %zu rejected", i + 1);
		const char *want = openssh_action(eid);
		ok += strcmp(v[i].f[OMSEC_F_ACTION], want) == 0;
		if (strcmp(v[i].f[OMSEC_F_ACTION], want) != 0)
			fprintf(stderr, "OpenSSH line %zu (%s): %s, want %s\n",
			    i + 1, eid, v[i].f[OMSEC_F_ACTION], want);
		acc_want += strcmp(eid, "E1") == 0;
		fail_want += strcmp(eid, "E8") == 0 || strcmp(eid, "E9") == 0 ||
		    strcmp(eid, "E10") == 0 || strcmp(eid, "E14") == 0;
		if (strcmp(v[i].f[OMSEC_F_ACTION], "login") == 0) {
			acc += strcmp(v[i].f[OMSEC_F_OUTCOME], "success") == 0;
			fail += strcmp(v[i].f[OMSEC_F_OUTCOME], "failure") == 0;
		}
		/* Every address-bearing line: its address is in the Content. */
		if (v[i].f[OMSEC_F_SRC_IP][0] != '\0') {
			ipn++;
			ipok += strstr(line, v[i].f[OMSEC_F_SRC_IP]) != NULL;
		}
		line = e + 1;
	}
	fprintf(stderr, "realdata OpenSSH_2k: 2000/2000 parsed, action "
	    "agreement with loghub templates %d/2000, accepts %d (templates %d), "
	    "login failures %d (templates %d), source.ip %d/%d\n",
	    ok, acc, acc_want, fail, fail_want, ipok, ipn);
	ck_assert_int_eq(ok, 2000);
	ck_assert_int_eq(acc, acc_want);
	ck_assert_int_eq(fail, fail_want);
	ck_assert_int_eq(ipok, ipn);
	free(v);
	free(csv);
}
END_TEST

START_TEST(test_real_linux)
{
	size_t n;
	struct rec *v = parse_file("loghub/Linux/Linux_2k.log", "messages", &n);
	int opened = 0, authfail = 0;

	ck_assert_int_eq(n, 2000);
	for (size_t i = 0; i < n; i++) {
		ck_assert_msg(v[i].matched, "line %zu rejected", i + 1);
		ck_assert_str_eq(v[i].f[OMSEC_F_HOST], "combo");
		opened += strcmp(v[i].f[OMSEC_F_ACTION], "session_open") == 0;
		authfail += strcmp(v[i].f[OMSEC_F_ACTION], "pam_auth_failure") == 0;
	}
	fprintf(stderr, "realdata Linux_2k: 2000/2000 parsed, session_open %d, "
	    "pam_auth_failure %d\n", opened, authfail);
	/* grep -c 'session opened' and 'authentication failure;' */
	ck_assert_int_eq(opened, 123);
	ck_assert_int_eq(authfail, 490);
	free(v);
}
END_TEST

static void
web_compare(const char *log, const char *expected, const char *hint,
    size_t nexp, const char *module)
{
	size_t n;
	struct rec *v = parse_file(log, hint, &n);
	char *doc = slurp_real(expected);
	char want[256];
	int tot = 0, ok = 0;

	ck_assert_uint_ge(n, nexp);
	for (size_t i = 0; i < nexp; i++) {
		ck_assert_msg(v[i].matched, "%s:%zu rejected", log, i + 1);
		ck_assert_str_eq(v[i].f[OMSEC_F_MODULE], module);
		static const struct { const char *key; enum omsec_field f; } m[] = {
			{ "source.ip", OMSEC_F_SRC_IP },
			{ "http.response.status_code", OMSEC_F_STATUS },
			{ "url.original", OMSEC_F_URL },
			{ "http.request.method", OMSEC_F_METHOD },
			{ "http.response.body.bytes", OMSEC_F_BYTES },
			{ "event.outcome", OMSEC_F_OUTCOME },
		};
		for (size_t k = 0; k < sizeof(m) / sizeof(m[0]); k++) {
			if (json_get(doc, (int)i, m[k].key, want, sizeof(want)) < 0) {
				/* Absent in the expectation: must be empty too,
				 * except outcome (older files lack it). */
				if (m[k].f != OMSEC_F_OUTCOME) {
					tot++;
					ok += v[i].f[m[k].f][0] == '\0';
				}
				continue;
			}
			tot++;
			if (strcasecmp(v[i].f[m[k].f], want) == 0)
				ok++;
			else
				fprintf(stderr, "%s:%zu %s: got '%s' want '%s'\n",
				    log, i + 1, m[k].key, v[i].f[m[k].f], want);
		}
	}
	fprintf(stderr, "realdata %s: %zu lines, fields equal %d/%d\n", log, n,
	    ok, tot);
	ck_assert_int_eq(ok, tot);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(v[i].matched, "%s:%zu rejected", log, i + 1);
	free(v);
	free(doc);
}

START_TEST(test_real_web)
{
	web_compare("beats/nginx-access/test.log",
	    "beats/nginx-access/test.log-expected.json",
	    "/var/log/nginx/access.log", 7, "nginx");
	web_compare("beats/apache-access/test.log",
	    "beats/apache-access/test.log-expected.PARTIAL.json",
	    "/var/log/apache2/access.log", 6, "apache");
	web_compare("beats/apache-access/darwin-2.4.23.log",
	    "beats/apache-access/darwin-2.4.23.log-expected.json",
	    "/var/log/apache2/access.log", 6, "apache");
}
END_TEST

/*
 * The realdata comparison harness: every beats log next to its
 * expected-JSON (filebeat's output for the same lines), matched by
 * log.offset -> line. For each expected event, each ECS field below that
 * the expectation has is compared with omsec's field: agreement is the
 * share of equal fields (timestamps as instants). A file fails below 98%,
 * or if a line omsec supports is rejected (continuation lines of a
 * multi-line message and empty lines are not events in omsec's model, and
 * are reported apart). An expected "-" (older filebeat kept the access
 * log's placeholder for "no user", "no agent") counts as empty, and
 * filebeat's module name "system" is omsec's "syslog". PARTIAL files are compared on the lines they cover.
 * The MySQL slow log's event refers (ref) to its record's "# User@Host"
 * line, filebeat's log.offset; the record's other lines are "continued".
 */
struct beats_pair {
	const char *log, *expected, *hint, *tz;
	int year;
};

static const struct beats_pair beats_pairs[] = {
	{ "system-syslog/suse-syslog.log", "system-syslog/suse-syslog.log-expected.json", "messages", "UTC", 0 },
	{ "system-syslog/tz-offset.log", "system-syslog/tz-offset.log-expected.PARTIAL.json", "messages", "UTC", 0 },
	{ "nginx-access/test.log", "nginx-access/test.log-expected.json", "/var/log/nginx/access.log", "UTC", 0 },
	{ "apache-access/test.log", "apache-access/test.log-expected.PARTIAL.json", "/var/log/apache2/access.log", "UTC", 0 },
	{ "apache-access/darwin-2.4.23.log", "apache-access/darwin-2.4.23.log-expected.json", "/var/log/apache2/access.log", "UTC", 0 },
	{ "nginx-error/error.log", "nginx-error/error.log-expected.json", "/var/log/nginx/error.log", "-02:00", 0 },
	{ "apache-error/ubuntu-2.2.22.log", "apache-error/ubuntu-2.2.22.log-expected.json", "/var/log/apache2/error.log", "UTC", 0 },
	{ "iptables/iptables.log", "iptables/iptables.log-expected.PARTIAL.json", "kern.log", "UTC", 2019 },
	{ "iptables/ipv6.log", "iptables/ipv6.log-expected.json", "kern.log", "UTC", 2019 },
	{ "suricata-eve/eve-small.log", "suricata-eve/eve-small.log-expected.PARTIAL.json", "eve.json", "UTC", 0 },
	{ "suricata-eve/eve-metadata.log", "suricata-eve/eve-metadata.log-expected.json", "eve.json", "UTC", 0 },
	{ "mysql-error/mysql-ubuntu-8.0.15.log", "mysql-error/mysql-ubuntu-8.0.15.log-expected.json", "mysql/error.log", "-02:00", 0 },
	{ "mysql-error/mariadb-10.4.8.log", "mysql-error/mariadb-10.4.8.log-expected.json", "mysql/error.log", "-02:00", 0 },
	{ "postgresql-log/postgresql-12-default.log", "postgresql-log/postgresql-12-default.log-expected.json", "postgresql.log", "Europe/Berlin", 0 },
	{ "postgresql-log/postgresql-11-connection-disconnection.csv.log", "postgresql-log/postgresql-11-connection-disconnection.csv.log-expected.json", "postgresql.csv", "UTC", 0 },
	{ "mysql-slowlog/mysql-5.7.22.log", "mysql-slowlog/mysql-5.7.22.log-expected.json", "mysql/slow.log", "UTC", 0 },
	{ "mysql-slowlog/mariadb-10.3.13.log", "mysql-slowlog/mariadb-10.3.13.log-expected.json", "mysql/slow.log", "UTC", 0 },
	{ "mysql-slowlog/percona-ubuntu-8.0.15.log", "mysql-slowlog/percona-ubuntu-8.0.15.log-expected.json", "mysql/slow.log", "UTC", 0 },
};

/* ECS key of the expectation -> omsec field (OMSEC_F_TS: compared as time). */
static const struct {
	const char *key;
	enum omsec_field f;
} beats_map[] = {
	{ "@timestamp", OMSEC_F_TS },
	{ "event.module", OMSEC_F_MODULE },
	{ "event.outcome", OMSEC_F_OUTCOME },
	{ "host.hostname", OMSEC_F_HOST },
	{ "source.ip", OMSEC_F_SRC_IP },
	{ "source.port", OMSEC_F_SRC_PORT },
	{ "destination.ip", OMSEC_F_DST_IP },
	{ "destination.port", OMSEC_F_DST_PORT },
	{ "user.name", OMSEC_F_USER },
	{ "process.name", OMSEC_F_PROCESS },
	{ "process.pid", OMSEC_F_PID },
	{ "http.request.method", OMSEC_F_METHOD },
	{ "url.original", OMSEC_F_URL },
	{ "http.response.status_code", OMSEC_F_STATUS },
	{ "http.response.body.bytes", OMSEC_F_BYTES },
	{ "user_agent.original", OMSEC_F_USER_AGENT },
	{ "rule.id", OMSEC_F_RULE_ID },
	{ "rule.name", OMSEC_F_RULE_NAME },
	{ "event.code", OMSEC_F_RULE_ID },
	{ "postgresql.log.sql_state_code", OMSEC_F_RULE_ID },
};

struct brec {
	int matched;
	int64_t ts;
	char why[64];
	char f[OMSEC_F_COUNT][256];
};

/* The line number at the end of a ref ("path:line"). */
static size_t
ref_line(struct omsec_span ref)
{
	size_t n = 0, mul = 1;

	while (ref.n > 0 && ref.p[ref.n - 1] >= '0' && ref.p[ref.n - 1] <= '9') {
		n += (size_t)(ref.p[ref.n - 1] - '0') * mul;
		mul *= 10;
		ref.n--;
	}
	return n;
}

static void
brec_fill(struct brec *r, const struct omsec_event *ev)
{
	r->matched = 1;
	r->ts = ev->ts_ms;
	for (int i = 0; i < OMSEC_F_COUNT; i++)
		omsec_span_copy(r->f[i], sizeof(r->f[i]), ev->f[i]);
}

static int
beats_one(const struct beats_pair *bp, int *agree_out, int *total_out)
{
	const char *root = getenv("OMSEC_REALDATA");
	char path[1024], want[512], *doc, *text;
	size_t n, nl = 0, starts[4096];
	struct omsec_parse *p = mk(bp->tz, NULL, bp->year);
	struct brec *v = calloc(4096, sizeof(*v));
	struct omsec_event ev;
	const char *why;
	int agree = 0, total = 0, objs = 0, rejected = 0, cont = 0, fails = 0;

	snprintf(path, sizeof(path), "%s/beats/%s", root, bp->log);
	text = slurp(path, &n);
	ck_assert_msg(text != NULL, "%s", path);
	snprintf(path, sizeof(path), "beats/%s", bp->expected);
	doc = slurp_real(path);
	omsec_parse_source(p, omsec_span_cstr(bp->hint), OMSEC_SPAN_LIT("-"),
	    MTIME_NOV);
	for (size_t off = 0; off < n && nl < 4096;) {
		const char *e = memchr(text + off, '\n', n - off);
		size_t len = e ? (size_t)(e - (text + off)) : n - off;
		struct brec *r = &v[nl];
		int pr = omsec_parse_line(p, &ev, text + off, len, nl + 1, &why);
		starts[nl] = off;
		if (pr == OMSEC_P_MATCH) {
			/* A multi-line record's event refers to its first line. */
			size_t rl = ref_line(ev.f[OMSEC_F_REF]);
			ck_assert_msg(rl >= 1 && rl <= nl + 1, "%s:%zu: ref %zu",
			    bp->log, nl + 1, rl);
			brec_fill(&v[rl - 1], &ev);
		} else if (pr == OMSEC_P_CONT) {
			snprintf(r->why, sizeof(r->why), "%s", why);
			cont++;
		} else {
			snprintf(r->why, sizeof(r->why), "%s", why);
			if (strcmp(why, "continuation of a multi-line message") == 0 ||
			    strcmp(why, "empty line") == 0) {
				cont++;
			} else {
				rejected++;
				fprintf(stderr, "%s:%zu rejected: %s\n", bp->log,
				    nl + 1, why);
			}
		}
		nl++;
		off += len + 1;
	}
	if (omsec_parse_finish(p, &ev) == OMSEC_P_MATCH) {
		size_t rl = ref_line(ev.f[OMSEC_F_REF]);
		ck_assert(rl >= 1 && rl <= nl);
		brec_fill(&v[rl - 1], &ev);
		cont--;
	}
	for (int i = 0; json_get(doc, i, "log.offset", want, sizeof(want)) == 0; i++) {
		size_t off = strtoul(want, NULL, 10), li;
		objs++;
		for (li = 0; li < nl && starts[li] != off; li++)
			;
		if (li == nl) {
			fprintf(stderr, "%s: offset %zu is no line start\n",
			    bp->log, off);
			fails++;
			continue;
		}
		if (!v[li].matched) {
			fprintf(stderr, "%s:%zu: expected an event, got a reject (%s)\n",
			    bp->log, li + 1, v[li].why);
			fails++;
			continue;
		}
		for (size_t k = 0; k < sizeof(beats_map) / sizeof(beats_map[0]); k++) {
			int ok;
			char got[40];
			if (json_get(doc, i, beats_map[k].key, want, sizeof(want)) < 0)
				continue;
			/* Older filebeat kept CLF's "-" placeholder; omsec empties it. */
			if (strcmp(want, "-") == 0)
				want[0] = '\0';
			total++;
			if (beats_map[k].f == OMSEC_F_TS) {
				int64_t ms;
				int z;
				ok = omsec_parse_iso(&ms, &z, omsec_span_cstr(want)) == 0 &&
				    ms == v[li].ts;
				omsec_format_iso(got, v[li].ts);
				if (!ok)
					fprintf(stderr, "%s:%zu @timestamp: got %s want %s\n",
					    bp->log, li + 1, got, want);
			} else {
				ok = strcasecmp(v[li].f[beats_map[k].f], want) == 0;
				/* filebeat's "system" module is omsec's generic syslog. */
				if (beats_map[k].f == OMSEC_F_MODULE &&
				    strcmp(want, "system") == 0)
					ok = strcmp(v[li].f[OMSEC_F_MODULE], "syslog") == 0;
				if (!ok)
					fprintf(stderr, "%s:%zu %s: got '%s' want '%s'\n",
					    bp->log, li + 1, beats_map[k].key,
					    v[li].f[beats_map[k].f], want);
			}
			agree += ok;
		}
	}
	fprintf(stderr, "realdata beats/%s: %zu lines, %d events expected, "
	    "fields agree %d/%d (%.1f%%), rejected %d, continued/continuation/empty %d\n",
	    bp->log, nl, objs, agree, total,
	    total ? 100.0 * agree / total : 100.0, rejected, cont);
	*agree_out += agree;
	*total_out += total;
	free(v);
	free(doc);
	free(text);
	omsec_parse_free(p);
	return fails == 0 && rejected == 0 && objs > 0 && total > 0 &&
	    agree * 100 >= total * 98;
}

START_TEST(test_real_beats)
{
	int agree = 0, total = 0, bad = 0;

	for (size_t i = 0; i < sizeof(beats_pairs) / sizeof(beats_pairs[0]); i++)
		if (!beats_one(&beats_pairs[i], &agree, &total)) {
			fprintf(stderr, "realdata beats/%s: FAILED\n",
			    beats_pairs[i].log);
			bad++;
		}
	fprintf(stderr, "realdata beats: %zu files, fields agree %d/%d "
	    "(%.2f%%), %d files below the bar\n",
	    sizeof(beats_pairs) / sizeof(beats_pairs[0]), agree, total,
	    100.0 * agree / total, bad);
	ck_assert_int_eq(bad, 0);
}
END_TEST

/* loghub Apache_2k: coverage by template, and [client] addresses. */
START_TEST(test_real_apache_error)
{
	size_t n;
	struct rec *v = parse_file("loghub/Apache/Apache_2k.log",
	    "/var/log/httpd/error_log", &n);
	char *raw = slurp_real("loghub/Apache/Apache_2k.log");
	int withclient = 0, ipok = 0, notice = 0;
	char *line = raw;

	ck_assert_int_eq(n, 2000);
	for (size_t i = 0; i < n; i++) {
		char *e = strchr(line, '\n');
		ck_assert_msg(v[i].matched, "Apache_2k line %zu rejected", i + 1);
		ck_assert_str_eq(v[i].f[OMSEC_F_MODULE], "apache");
		ck_assert_str_eq(v[i].f[OMSEC_F_ACTION], "error_log");
		if (e != NULL)
			*e = '\0';
		if (strstr(line, "[client ") != NULL) {
			withclient++;
			ipok += v[i].f[OMSEC_F_SRC_IP][0] != '\0' &&
			    strstr(line, v[i].f[OMSEC_F_SRC_IP]) != NULL;
		}
		notice += v[i].sev == 0;
		line = e ? e + 1 : line + strlen(line);
	}
	fprintf(stderr, "realdata Apache_2k: 2000/2000 parsed as apache "
	    "error_log, [client] lines %d with source.ip %d, severity 0 %d\n",
	    withclient, ipok, notice);
	ck_assert_int_eq(ipok, withclient);
	ck_assert_int_gt(withclient, 0);
	free(v);
	free(raw);
}
END_TEST

static Suite *
suite(int realdata)
{
	Suite *s = suite_create("parsers");
	TCase *tc;

	tc = tcase_create("core");
	tcase_add_loop_test(tc, test_samples, 0,
	    (int)(sizeof(samples) / sizeof(samples[0])));
	tcase_add_loop_test(tc, test_invalid, 0,
	    (int)(sizeof(invalid) / sizeof(invalid[0])));
	tcase_add_loop_test(tc, test_samples2, 0,
	    (int)(sizeof(samples2) / sizeof(samples2[0])));
	tcase_add_test(tc, test_continuation);
	tcase_add_test(tc, test_rules_shipped);
	tcase_add_loop_test(tc, test_rules_bad, 0,
	    (int)(sizeof(bad_rules) / sizeof(bad_rules[0])));
	tcase_add_test(tc, test_rules_check_fails);
	tcase_add_test(tc, test_year_rollover);
	tcase_add_test(tc, test_tz);
	tcase_add_test(tc, test_ts_cache);
	tcase_add_test(tc, test_sshd_addresses);
	tcase_add_test(tc, test_scan_to);
	tcase_add_test(tc, test_forced_type);
	tcase_add_test(tc, test_stream_framed);
	tcase_add_test(tc, test_stream_line0);
	tcase_add_test(tc, test_stream_unframed_json);
	tcase_add_test(tc, test_stream_slowlog);
	tcase_add_test(tc, test_slowlog_bounded);
	tcase_add_test(tc, test_cef_escapes);
	tcase_add_test(tc, test_fgt_fast);
	tcase_add_test(tc, test_json_map);
	tcase_add_test(tc, test_json_epoch);
	tcase_add_loop_test(tc, test_bad_config, 0,
	    (int)(sizeof(bad_cfgs) / sizeof(bad_cfgs[0])));
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_loop_test(tc, test_bad_corpus, 0,
	    (int)(sizeof(bad_files) / sizeof(bad_files[0])));
	tcase_add_test(tc, test_bad_expectations);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_add_test(tc, test_fuzz);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);

	if (!realdata)
		return s;
	tc = tcase_create("realdata");
	tcase_add_test(tc, test_real_system_auth);
	tcase_add_test(tc, test_real_openssh);
	tcase_add_test(tc, test_real_linux);
	tcase_add_test(tc, test_real_web);
	tcase_add_test(tc, test_real_beats);
	tcase_add_test(tc, test_real_apache_error);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * "check_parsers" runs the unit cases; "check_parsers realdata" runs only
 * the cases over ../shared/realdata, and exits 77 (skipped) without it.
 */
int
main(int argc, char **argv)
{
	int realdata = argc > 1 && strcmp(argv[1], "realdata") == 0;
	const char *dir = getenv("OMSEC_REALDATA");
	SRunner *sr;
	int nf;

	if (realdata && (dir == NULL || access(dir, R_OK) != 0)) {
		fprintf(stderr, "no real data at %s: skipped\n", dir ? dir : "(unset)");
		return 77;
	}
	sr = srunner_create(suite(realdata));
	srunner_run(sr, NULL, realdata ? "realdata" : NULL, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
