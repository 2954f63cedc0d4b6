/*
 * check_reports.c - unit tests of omsec_reports: CSV records (Chinese
 * headers, BOM, bad rows with line:column), SLA and satisfaction figures
 * with exact expected values, summary and alerts readers, text sanitising.
 * Fixtures: $OMSEC_TEST_DATA/reports/ (hand-made, see the e2e test too).
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "messages.h"
#include "paths.h"
#include "render_int.h"
#include "report.h"
#include "report_testutil.h"

#define fixture(buf, cap, name) test_fixture(buf, cap, "reports", name)

static int64_t
utc(int y, int mo, int d, int h, int mi)
{
	struct omsec_civil c = { y, mo, d, h, mi, 0, 0 };

	return omsec_civil_to_ms(&c);
}

/* ---- core ------------------------------------------------------------ */

START_TEST(tickets_chinese_headers_bom_bad_row)
{
	struct omsec_tickets t = { NULL, 0, 0 };
	struct diags dg = { .n = 0 };
	struct omsec_report_diag diag = { collect, &dg, 0 };
	struct omsec_tz *tz = shanghai();
	char path[1024];

	ck_assert_int_eq(omsec_tickets_read(&t, fixture(path, sizeof(path),
	    "tickets.csv"), tz, &diag), 0);
	ck_assert_uint_eq(t.n, 9);
	ck_assert_uint_eq(diag.nbad, 1);
	ck_assert_int_eq(dg.n, 1);
	/* Line 10 (the quoted summary above spans lines 8-9), column 2. */
	ck_assert_msg(ends_with(dg.msg[0],
	    "tickets.csv:10:2: unknown priority '\xe4\xb8\xa5\xe9\x87\x8d'"),
	    "got: %s", dg.msg[0]);
	/* The BOM did not hide the first column. */
	ck_assert_str_eq(t.v[0].id, "T-0999");
	ck_assert_str_eq(t.v[1].id, "T-1001");
	ck_assert_int_eq(t.v[1].prio, OMSEC_PRIO_URGENT);
	ck_assert_int_eq(t.v[1].opened, utc(2026, 11, 3, 1, 0));
	ck_assert_int_eq(t.v[1].acked, utc(2026, 11, 3, 1, 40));
	ck_assert_int_eq(t.v[1].status, OMSEC_TICKET_CLOSED);
	ck_assert_str_eq(t.v[6].id, "T-1006");
	ck_assert_uint_eq(t.v[6].line, 8);
	ck_assert_ptr_nonnull(strchr(t.v[6].summary, '\n'));
	ck_assert_str_eq(t.v[7].id, "T-1007");
	ck_assert_int_eq(t.v[7].resolved, -1);
	ck_assert_int_eq(t.v[7].status, OMSEC_TICKET_OPEN);
	ck_assert_int_eq(t.v[8].prio, OMSEC_PRIO_LOW);	/* "low" */
	omsec_tickets_free(&t);
	omsec_tz_free(tz);
}
END_TEST

START_TEST(sla_exact_figures)
{
	struct omsec_tickets t = { NULL, 0, 0 };
	struct omsec_report_diag diag = { NULL, NULL, 0 };
	struct omsec_config cfg;
	struct omsec_sla s;
	struct omsec_tz *tz = shanghai();
	char path[1024];
	int64_t start = utc(2026, 10, 31, 16, 0), end = utc(2026, 11, 30, 16, 0);

	omsec_config_defaults(&cfg);
	ck_assert_int_eq(omsec_tickets_read(&t, fixture(path, sizeof(path),
	    "tickets.csv"), tz, &diag), 0);
	ck_assert_int_eq(omsec_sla_compute(&s, &t, &cfg, start, end), 0);

	/* T-0999 was opened in October: not counted. */
	ck_assert_uint_eq(s.total.tickets, 8);
	ck_assert_uint_eq(s.total.resp_met, 6);
	ck_assert_uint_eq(s.total.resp_breach, 2);
	ck_assert_uint_eq(s.total.res_met, 4);
	ck_assert_uint_eq(s.total.res_breach, 3);
	ck_assert_double_eq_tol(omsec_sla_pct(6, 2), 75.0, 1e-9);

	ck_assert_uint_eq(s.prio[OMSEC_PRIO_URGENT].tickets, 2);
	ck_assert_uint_eq(s.prio[OMSEC_PRIO_URGENT].resp_met, 1);
	ck_assert_uint_eq(s.prio[OMSEC_PRIO_URGENT].resp_breach, 1);
	ck_assert_int_eq(s.prio[OMSEC_PRIO_URGENT].tta_sum /
	    s.prio[OMSEC_PRIO_URGENT].tta_n, 95 * MIN);
	ck_assert_int_eq(s.prio[OMSEC_PRIO_URGENT].ttr_sum /
	    s.prio[OMSEC_PRIO_URGENT].ttr_n, 245 * MIN);

	ck_assert_uint_eq(s.prio[OMSEC_PRIO_HIGH].res_met, 2);
	ck_assert_uint_eq(s.prio[OMSEC_PRIO_HIGH].res_breach, 0);
	ck_assert_int_eq(s.prio[OMSEC_PRIO_HIGH].tta_sum, 330 * MIN);

	ck_assert_uint_eq(s.prio[OMSEC_PRIO_MEDIUM].tickets, 2);
	ck_assert_uint_eq(s.prio[OMSEC_PRIO_MEDIUM].res_breach, 1);
	ck_assert_int_eq(s.prio[OMSEC_PRIO_MEDIUM].ttr_sum, 71 * HOUR);

	/* Low: T-1007 unresolved past 72 h is a breach, T-1008 (4 h before
	 * the period end) is still undecided; no resolved low ticket. */
	ck_assert_uint_eq(s.prio[OMSEC_PRIO_LOW].tickets, 2);
	ck_assert_uint_eq(s.prio[OMSEC_PRIO_LOW].res_met, 0);
	ck_assert_uint_eq(s.prio[OMSEC_PRIO_LOW].res_breach, 1);
	ck_assert_uint_eq(s.prio[OMSEC_PRIO_LOW].ttr_n, 0);

	ck_assert_uint_eq(s.nbreaches, 5);
	ck_assert_str_eq(t.v[s.breaches[0].ticket].id, "T-1002");
	ck_assert_int_eq(s.breaches[0].resolve, 0);
	ck_assert_int_eq(s.breaches[0].took, 150 * MIN);
	ck_assert_str_eq(t.v[s.breaches[4].ticket].id, "T-1007");
	ck_assert_int_eq(s.breaches[4].took, -1);
	ck_assert_int_eq(s.breaches[4].target, 72 * HOUR);
	omsec_sla_free(&s);
	omsec_tickets_free(&t);
	omsec_tz_free(tz);
}
END_TEST

START_TEST(survey_means_csat)
{
	struct omsec_survey sv = { NULL, 0, 0 };
	struct diags dg = { .n = 0 };
	struct omsec_report_diag diag = { collect, &dg, 0 };
	struct omsec_satisfaction sat;
	char path[1024];

	ck_assert_int_eq(omsec_survey_read(&sv, fixture(path, sizeof(path),
	    "survey.csv"), &diag), 0);
	ck_assert_uint_eq(sv.n, 4);
	ck_assert_uint_eq(diag.nbad, 1);
	/* The stray 0xff on line 6 is noted, not fatal: mostly UTF-8. */
	ck_assert_int_eq(dg.n, 2);
	ck_assert_msg(ends_with(dg.msg[0], "survey.csv:6: invalid UTF-8 "
	    "(1 byte(s) in the file, shown as U+FFFD)"), "got: %s", dg.msg[0]);
	ck_assert_msg(ends_with(dg.msg[1], "survey.csv:5:3: score '6' is not 1-5"),
	    "got: %s", dg.msg[1]);
	omsec_satisfaction_compute(&sat, &sv);
	ck_assert_uint_eq(sat.respondents, 4);
	ck_assert_double_eq_tol(sat.mean[0], 4.25, 1e-9);
	ck_assert_double_eq_tol(sat.mean[1], 4.50, 1e-9);
	ck_assert_double_eq_tol(sat.mean[2], 4.00, 1e-9);
	ck_assert_double_eq_tol(sat.mean[3], 4.00, 1e-9);	/* one blank */
	ck_assert_uint_eq(sat.nscored[3], 3);
	ck_assert_double_eq_tol(sat.mean[4], 4.25, 1e-9);
	ck_assert_uint_eq(sat.satisfied, 3);
	ck_assert_double_eq_tol(sat.csat, 75.0, 1e-9);
	omsec_survey_free(&sv);
}
END_TEST

START_TEST(summary_folded)
{
	struct omsec_rpt_summary s;
	struct omsec_report_diag diag = { NULL, NULL, 0 };
	struct omsec_tz *tz = shanghai();
	char path[1024];
	uint64_t sum = 0;
	int i;

	ck_assert_int_eq(omsec_rpt_summary_read(&s, fixture(path, sizeof(path),
	    "summary.tsv"), tz, utc(2026, 10, 31, 16, 0),
	    utc(2026, 11, 30, 16, 0), &diag), 0);
	ck_assert_uint_eq(diag.nbad, 0);
	ck_assert_uint_eq(s.events, 18202);
	for (i = 0; i < 31; i++)
		sum += s.day[i];
	/* Local 2026-12-01 01:00 is outside the month. */
	ck_assert_uint_eq(s.outside, 7);
	ck_assert_uint_eq(sum, 18202 - 7);
	/* Day 1 local: 40 at 00:00 plus day 1's own hours. */
	ck_assert_uint_eq(s.day[0], 40 + 137 + 21 + 353);
	ck_assert_int_eq(s.ntop_src, 6);
	ck_assert_str_eq(s.top_src[0].item, "203.0.113.9");
	ck_assert_str_eq(s.top_src[0].attr, "CN");
	ck_assert_uint_eq(s.top_src[0].count, 2230);
	ck_assert_int_eq(s.ntop_user, 4);
	ck_assert_str_eq(s.top_user[2].item, "张三");
	ck_assert_uint_eq(s.nsrc, 3);
	ck_assert_uint_eq(s.src[1].lines, 120345);
	omsec_rpt_summary_free(&s);
	omsec_tz_free(tz);
}
END_TEST

START_TEST(alerts_sorted_unescaped)
{
	struct omsec_rpt_alerts a;
	struct omsec_report_diag diag = { NULL, NULL, 0 };
	char path[1024];

	ck_assert_int_eq(omsec_rpt_alerts_read(&a, fixture(path, sizeof(path),
	    "alerts.tsv"), &diag), 0);
	ck_assert_uint_eq(a.n, 6);
	ck_assert_uint_eq(a.level[0], 2);
	ck_assert_uint_eq(a.level[1], 2);
	ck_assert_uint_eq(a.level[2], 2);
	ck_assert_str_eq(a.v[0].rule, "ssh_bruteforce");
	ck_assert_uint_eq(a.v[0].count, 812);
	ck_assert_str_eq(a.v[2].rule, "port_scan");	/* 340 > 57 */
	ck_assert_str_eq(a.v[5].entity, "evil\x01\tname");
	omsec_rpt_alerts_free(&a);
}
END_TEST

static const struct {
	const char *in;
	size_t n;
	const char *out;
} san_cases[] = {
	{ "plain", 5, "plain" },
	{ "中文", 6, "中文" },
	{ "a\tb\nc\rd", 7, "a b c d" },
	{ "x\x01y\x7fz", 5, "xyz" },
	{ "bad\xff", 4, "bad\xef\xbf\xbd" },
	{ "\xc0\xaf", 2, "\xef\xbf\xbd\xef\xbf\xbd" },		/* overlong */
	{ "\xed\xa0\x80", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	{ "\xf0\x9f\x98\x80!", 5, "\xef\xbf\xbd!" },		/* outside BMP */
	{ "\xc2\x85x", 3, "x" },				/* C1 control */
	{ "nul\0x", 5, "nulx" },
	{ "\xe2\x80\xa8", 3, " " },				/* U+2028 */
};

START_TEST(sanitize_table)
{
	char buf[64];
	size_t n = omsec_report_sanitize(buf, sizeof(buf), san_cases[_i].in,
	    san_cases[_i].n);

	ck_assert_str_eq(buf, san_cases[_i].out);
	ck_assert_uint_eq(n, strlen(san_cases[_i].out));
}
END_TEST

static const struct {
	const char *in;
	int ok;
	int64_t ms;	/* UTC, zone Asia/Shanghai */
} local_cases[] = {
	{ "2026-11-03 09:00", 1, 1793667600000LL },
	{ "2026-11-03 09:00:30", 1, 1793667630000LL },
	{ "2026/11/03 09:00", 1, 1793667600000LL },
	{ "2026-11-03T09:00", 1, 1793667600000LL },
	{ "2026-11-31 09:00", 0, 0 },
	{ "2026-13-01 09:00", 0, 0 },
	{ "2026-11-03 24:00", 0, 0 },
	{ "2026-11-03", 0, 0 },
	{ "2026-11-03 9:00", 0, 0 },
	{ "2026-11-03 09:00 ", 0, 0 },
	{ "2026-11/03 09:00", 0, 0 },
};

START_TEST(parse_local_table)
{
	struct omsec_tz *tz = shanghai();
	int64_t ms = 0;
	int rc = omsec_report_parse_local(&ms, local_cases[_i].in, tz);

	ck_assert_int_eq(rc == 0, local_cases[_i].ok);
	if (local_cases[_i].ok)
		ck_assert_int_eq(ms, local_cases[_i].ms);
	omsec_tz_free(tz);
}
END_TEST

/* ---- limits ---------------------------------------------------------- */

START_TEST(sanitize_cuts_at_character)
{
	char buf[8];
	/* 3 CJK characters = 9 bytes; 7 fit: two characters, no half. */
	size_t n = omsec_report_sanitize(buf, sizeof(buf), "中文字", 9);

	ck_assert_uint_eq(n, 6);
	ck_assert_str_eq(buf, "中文");
	ck_assert_uint_eq(omsec_report_sanitize(buf, 1, "abc", 3), 0);
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(long_fields_truncated)
{
	char path[] = "/tmp/check_reports_XXXXXX";
	struct omsec_tickets t = { NULL, 0, 0 };
	struct omsec_report_diag diag = { NULL, NULL, 0 };
	struct omsec_tz *tz = shanghai();
	FILE *f;
	int fd = mkstemp(path), i;

	ck_assert_int_ne(fd, -1);
	f = fdopen(fd, "w");
	fputs("id,priority,opened,acknowledged,resolved,summary\n"
	    "T1,P1,2026-11-01 00:00,,,", f);
	for (i = 0; i < 400; i++)
		fputs("长", f);
	fputs("\n", f);
	fclose(f);
	ck_assert_int_eq(omsec_tickets_read(&t, path, tz, &diag), 0);
	ck_assert_uint_eq(t.n, 1);
	/* 256-byte field: 85 whole characters (255 bytes), never a half. */
	ck_assert_uint_eq(strlen(t.v[0].summary), 255);
	ck_assert_int_eq(t.v[0].prio, OMSEC_PRIO_URGENT);
	unlink(path);
	omsec_tickets_free(&t);
	omsec_tz_free(tz);
}
END_TEST

/* ---- malformed ------------------------------------------------------- */

static void
write_file(char *path, const char *text)
{
	int fd = mkstemp(path);
	FILE *f;

	ck_assert_int_ne(fd, -1);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
}

START_TEST(csv_missing_column)
{
	char path[] = "/tmp/check_reports_XXXXXX";
	struct omsec_tickets t = { NULL, 0, 0 };
	struct diags dg = { .n = 0 };
	struct omsec_report_diag diag = { collect, &dg, 0 };
	struct omsec_tz *tz = shanghai();

	write_file(path, "工单号,优先级,创建时间,响应时间\nT1,高,2026-11-01 00:00,\n");
	ck_assert_int_eq(omsec_tickets_read(&t, path, tz, &diag), -1);
	ck_assert_int_eq(dg.n, 1);
	ck_assert_msg(ends_with(dg.msg[0],
	    ":1: missing column resolved (解决时间)"), "got: %s", dg.msg[0]);
	unlink(path);
	omsec_tickets_free(&t);
	omsec_tz_free(tz);
}
END_TEST

START_TEST(csv_bad_times)
{
	char path[] = "/tmp/check_reports_XXXXXX";
	struct omsec_tickets t = { NULL, 0, 0 };
	struct diags dg = { .n = 0 };
	struct omsec_report_diag diag = { collect, &dg, 0 };
	struct omsec_tz *tz = shanghai();

	write_file(path, "id,priority,opened,acknowledged,resolved,status\n"
	    "A,high,2026-11-01 10:00,2026-11-01 09:00,,open\n"
	    "B,high,yesterday,,,open\n"
	    "C,high,2026-11-01 10:00,,,\"\x1b[31mpwned\"\n"
	    "\n"
	    ",high,2026-11-01 10:00,,,open\n"
	    "D,high,2026-11-01 10:00,,,closed\n");
	ck_assert_int_eq(omsec_tickets_read(&t, path, tz, &diag), 0);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_str_eq(t.v[0].id, "D");
	ck_assert_int_eq(dg.n, 4);
	ck_assert_ptr_nonnull(strstr(dg.msg[0], ":2:4: bad time"));
	ck_assert_ptr_nonnull(strstr(dg.msg[1], ":3:3: bad time 'yesterday'"));
	/* The escape byte is escaped in the message, not passed through. */
	ck_assert_ptr_nonnull(strstr(dg.msg[2], ":4:6: unknown status"));
	ck_assert_ptr_null(strchr(dg.msg[2], '\x1b'));
	ck_assert_ptr_nonnull(strstr(dg.msg[3], ":6:1: empty ticket id"));
	unlink(path);
	omsec_tickets_free(&t);
	omsec_tz_free(tz);
}
END_TEST

START_TEST(summary_wrong_version)
{
	char path[] = "/tmp/check_reports_XXXXXX";
	struct omsec_rpt_summary s;
	struct diags dg = { .n = 0 };
	struct omsec_report_diag diag = { collect, &dg, 0 };
	struct omsec_tz *tz = shanghai();

	write_file(path, "#omsec-summary\t2\nevents\t1\n");
	ck_assert_int_eq(omsec_rpt_summary_read(&s, path, tz, 0, 1, &diag), -1);
	ck_assert_ptr_nonnull(strstr(dg.msg[0], "not an omsec-summary v1"));
	unlink(path);
	omsec_rpt_summary_free(&s);
	omsec_tz_free(tz);
}
END_TEST

START_TEST(summary_bad_lines_skipped)
{
	char path[] = "/tmp/check_reports_XXXXXX";
	struct omsec_rpt_summary s;
	struct diags dg = { .n = 0 };
	struct omsec_report_diag diag = { collect, &dg, 0 };
	struct omsec_tz *tz = shanghai();

	write_file(path, "#omsec-summary\t1\nevents\tmany\n"
	    "hourly\t2026-11-03T02\tsshd\tauthentication\tlogin\tfailure\t9\t1\n"
	    "hourly\t2026-11-03T02\tsshd\tauthentication\tlogin\tfailure\t2\t5\n"
	    "bogus\tline\n");
	ck_assert_int_eq(omsec_rpt_summary_read(&s, path, tz,
	    utc(2026, 10, 31, 16, 0), utc(2026, 11, 30, 16, 0), &diag), 0);
	ck_assert_uint_eq(diag.nbad, 3);
	ck_assert_ptr_nonnull(strstr(dg.msg[0], ":2: malformed"));
	ck_assert_uint_eq(s.day[2], 5);
	omsec_rpt_summary_free(&s);
	omsec_tz_free(tz);
	unlink(path);
}
END_TEST

START_TEST(alerts_without_fields)
{
	char path[] = "/tmp/check_reports_XXXXXX";
	struct omsec_rpt_alerts a;
	struct diags dg = { .n = 0 };
	struct omsec_report_diag diag = { collect, &dg, 0 };

	write_file(path, "#omsec-alerts\t1\nx\ty\n");
	ck_assert_int_eq(omsec_rpt_alerts_read(&a, path, &diag), -1);
	ck_assert_ptr_nonnull(strstr(dg.msg[0], ":2: alert before #fields"));
	unlink(path);
	omsec_rpt_alerts_free(&a);
}
END_TEST

START_TEST(missing_file)
{
	struct omsec_survey sv = { NULL, 0, 0 };
	struct diags dg = { .n = 0 };
	struct omsec_report_diag diag = { collect, &dg, 0 };

	ck_assert_int_eq(omsec_survey_read(&sv, "/nonexistent/survey.csv",
	    &diag), -1);
	ck_assert_str_eq(dg.msg[0],
	    "/nonexistent/survey.csv: No such file or directory");
}
END_TEST

/* ---- periods, quarterly summaries (issue 7) -------------------------- */

static const struct period_case {
	const char *in;
	int kind, nmonths;
	int sy, sm, ey, em;		/* local first day of start and end */
	const char *label;
} period_cases[] = {
	{ "2026-11", OMSEC_REPORT_MONTH, 1, 2026, 11, 2026, 12, "2026年11月" },
	{ "2026-Q4", OMSEC_REPORT_QUARTER, 3, 2026, 10, 2027, 1,
	    "2026年第四季度" },
	{ "2026-q1", OMSEC_REPORT_QUARTER, 3, 2026, 1, 2026, 4,
	    "2026年第一季度" },
	{ "2026", OMSEC_REPORT_YEAR, 12, 2026, 1, 2027, 1, "2026年度" },
	{ "2026-Q0", -1, 0, 0, 0, 0, 0, NULL },
	{ "2026-Q5", -1, 0, 0, 0, 0, 0, NULL },
	{ "2026-13", -1, 0, 0, 0, 0, 0, NULL },
	{ "2026-1", -1, 0, 0, 0, 0, 0, NULL },
	{ "26", -1, 0, 0, 0, 0, 0, NULL },
	{ "2026-Q44", -1, 0, 0, 0, 0, 0, NULL },
	{ "2026/11", -1, 0, 0, 0, 0, 0, NULL },
};

START_TEST(period_table)
{
	const struct period_case *c = &period_cases[_i];
	struct omsec_tz *tz = shanghai();
	struct omsec_period p;
	char label[64];

	if (c->kind < 0) {
		ck_assert_int_eq(omsec_period_parse(&p, c->in, tz), -1);
	} else {
		ck_assert_int_eq(omsec_period_parse(&p, c->in, tz), 0);
		ck_assert_int_eq(p.kind, c->kind);
		ck_assert_int_eq(p.nmonths, c->nmonths);
		/* Local midnight in Shanghai is 16:00 UTC the day before. */
		ck_assert_int_eq(p.start, utc(c->sy, c->sm, 1, 0, 0) - 8 * 3600000);
		ck_assert_int_eq(p.end, utc(c->ey, c->em, 1, 0, 0) - 8 * 3600000);
		omsec_period_label(label, sizeof(label), &p, 0);
		ck_assert_str_eq(label, c->label);
	}
	omsec_tz_free(tz);
}
END_TEST

START_TEST(period_shift_labels)
{
	struct omsec_tz *tz = shanghai();
	struct omsec_period p;
	char label[64];

	ck_assert_int_eq(omsec_period_parse(&p, "2026-Q1", tz), 0);
	omsec_period_shift(&p, -1, tz);
	omsec_period_label(label, sizeof(label), &p, 0);
	ck_assert_str_eq(label, "2025年第四季度");
	ck_assert_int_eq(p.start, utc(2025, 9, 30, 16, 0));
	omsec_period_label(label, sizeof(label), &p, 1);
	ck_assert_str_eq(label, "Q4 2025");
	ck_assert_int_eq(omsec_period_parse(&p, "2026-01", tz), 0);
	omsec_period_shift(&p, -1, tz);
	omsec_period_label(label, sizeof(label), &p, 0);
	ck_assert_str_eq(label, "2025年12月");
	ck_assert_int_eq(omsec_period_parse(&p, "2026", tz), 0);
	omsec_period_shift(&p, -1, tz);
	ck_assert_int_eq(p.year, 2025);
	ck_assert_int_eq(p.end, utc(2025, 12, 31, 16, 0));
	omsec_tz_free(tz);
}
END_TEST

/*
 * The merged Q4 fixture: months, hour of week and days in local time.
 * 2026-10-05T02Z is Monday 10:00 local, 2026-12-07T01Z Monday 09:00.
 */
START_TEST(summary_quarter_series)
{
	struct omsec_rpt_summary s;
	struct omsec_report_diag diag = { NULL, NULL, 0 };
	struct omsec_tz *tz = shanghai();
	struct omsec_period p;
	char path[1024];

	ck_assert_int_eq(omsec_period_parse(&p, "2026-Q4", tz), 0);
	ck_assert_int_eq(omsec_rpt_summary_read(&s, fixture(path, sizeof(path),
	    "q4/q4.tsv"), tz, p.start, p.end, &diag), 0);
	ck_assert_uint_eq(diag.nbad, 0);
	ck_assert_uint_eq(s.month[0], 150);
	ck_assert_uint_eq(s.month[1], 240);
	ck_assert_uint_eq(s.month[2], 360);
	ck_assert_uint_eq(s.month[3], 0);
	ck_assert_str_eq(s.cat[0], "authentication");
	ck_assert_uint_eq(s.month_cat[2][0], 300);
	ck_assert_uint_eq(s.how[0][10], 100 + 60);	/* Mon 10:00 */
	ck_assert_uint_eq(s.how[0][9], 300);		/* Mon 09:00 */
	ck_assert_uint_eq(s.how[1][18], 50);		/* Tue 18:00 */
	ck_assert_uint_eq(s.how[1][10], 200);
	ck_assert_uint_eq(s.how[1][20], 40);
	ck_assert_uint_eq(s.day[4], 100);		/* Oct 5 */
	ck_assert_uint_eq(s.day[31 + 30 + 6], 360);	/* Dec 7 */
	ck_assert_uint_eq(s.outside, 0);
	omsec_rpt_summary_free(&s);
	omsec_tz_free(tz);
}
END_TEST

START_TEST(months_from_records)
{
	struct omsec_tz *tz = shanghai();
	struct omsec_tickets t = { NULL, 0, 0 };
	struct omsec_report_diag diag = { NULL, NULL, 0 };
	struct omsec_report_month m[3];
	struct omsec_rpt_alerts al;
	struct omsec_config cfg;
	struct omsec_period p;
	char path[1024];

	omsec_config_defaults(&cfg);
	ck_assert_int_eq(omsec_period_parse(&p, "2026-Q4", tz), 0);
	ck_assert_int_eq(omsec_tickets_read(&t, fixture(path, sizeof(path),
	    "q4/tickets.csv"), tz, &diag), 0);
	ck_assert_uint_eq(diag.nbad, 0);
	ck_assert_str_eq(t.v[0].links, "ssh_bruteforce-aaaaaaaaaaaa");
	ck_assert_int_eq(omsec_report_months(m, &p, tz, &cfg, &t, NULL, NULL,
	    NULL, NULL), 0);
	ck_assert_int_eq(m[0].month, 10);
	ck_assert_int_eq(m[2].year, 2026);
	ck_assert_int_eq(m[2].month, 12);
	ck_assert_int_eq(m[0].have_sla, 1);
	ck_assert_int_eq(m[0].have_vuln, 0);
	ck_assert_uint_eq(m[0].sla.tickets, 1);
	ck_assert_uint_eq(m[0].sla.resp_breach, 1);	/* 6 h against 4 h */
	ck_assert_uint_eq(m[1].sla.tickets, 1);
	ck_assert_uint_eq(m[1].sla.resp_met, 1);
	ck_assert_int_eq(m[2].end, p.end);
	omsec_tickets_free(&t);
	/* Alerts keep their id, which tickets link to. */
	ck_assert_int_eq(omsec_rpt_alerts_read(&al, fixture(path, sizeof(path),
	    "q4/alerts.tsv"), &diag), 0);
	ck_assert_uint_eq(al.n, 4);
	ck_assert_str_eq(al.v[0].id, "ssh_bruteforce-aaaaaaaaaaaa");
	ck_assert_str_eq(al.v[2].id, "port_scan-cccccccccccc");
	omsec_rpt_alerts_free(&al);
	omsec_tz_free(tz);
}
END_TEST

static const struct nat_case {
	const char *a, *b;
	int want;
} nat_cases[] = {
	{ "access.log", "access.log.1", -1 },
	{ "access.log.1", "access.log.2.gz", -1 },
	{ "access.log.2.gz", "access.log.10.gz", -1 },
	{ "access.log.10.gz", "access.log.9.gz", 1 },
	{ "a.log.007", "a.log.7", 0 },
	{ "auth.log", "access.log", 1 },
	{ "x", "x", 0 },
};

START_TEST(natcmp_table)
{
	const struct nat_case *c = &nat_cases[_i];

	ck_assert_int_eq(rd_natcmp(c->a, c->b), c->want);
	ck_assert_int_eq(rd_natcmp(c->b, c->a), -c->want);
}
END_TEST


/* ---- message catalogue and the rendered PDF (both languages) -------- */

struct conv {
	int pos;
	char spec[4];		/* length modifier and conversion */
};

/*
 * The conversions of a printf format, by argument position (numbered
 * "%2$s" or in order), and the argument positions of its plural choices
 * "%N{one|other}" (choice[], *nchoice). Returns how many conversions, or
 * -1 when the format mixes numbered and plain conversions or is not
 * understood.
 */
static int
convs(const char *f, struct conv *c, int max, int *choice, int *nchoice)
{
	int n = 0, next = 1, numbered = -1;

	*nchoice = 0;
	while ((f = strchr(f, '%')) != NULL && n < max) {
		int pos = 0, k = 0;
		const char *e;

		f++;
		if (*f == '%') {
			f++;
			continue;
		}
		if (*f >= '1' && *f <= '9' && (f[1] == '{' || (f[1] >= '0' &&
		    f[1] <= '9' && f[2] == '{'))) {
			e = strchr(f, '}');
			if (e == NULL || strchr(f, '|') == NULL ||
			    strchr(f, '|') > e || *nchoice == 8)
				return -1;
			choice[(*nchoice)++] = atoi(f);
			f = e + 1;
			continue;
		}
		if (*f >= '1' && *f <= '9' && f[1] == '$') {
			pos = *f - '0';
			f += 2;
		}
		if (numbered >= 0 && numbered != (pos > 0))
			return -1;
		numbered = pos > 0;
		while (strchr("-+ #0'", *f) != NULL && *f != '\0')
			f++;
		while ((*f >= '0' && *f <= '9') || *f == '.')
			f++;
		if (*f == '*')
			return -1;
		memset(c[n].spec, 0, sizeof(c[n].spec));
		while (strchr("hlzjtL", *f) != NULL && *f != '\0' && k < 2)
			c[n].spec[k++] = *f++;
		/* "90% 的": a '%' that starts no conversion is text. */
		if (strchr("diouxXeEfgGcsp", *f) == NULL || *f == '\0')
			continue;
		c[n].spec[k] = *f++;
		c[n].pos = pos ? pos : next++;
		n++;
	}
	return n;
}

static int
has_cjk(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	for (; *u; u++)
		/* U+2E80-U+9FFF (CJK, kana, CJK punctuation) and U+FF00-FFEF
		   (full-width forms) start with E2 BA.. to E9, or EF BC-BF. */
		if ((u[0] == 0xe2 && u[1] >= 0xba) || (u[0] >= 0xe3 &&
		    u[0] <= 0xe9) || (u[0] == 0xef && ((u[1] >= 0xbc &&
		    u[1] <= 0xbe) || (u[1] == 0xbf && u[2] <= 0xaf))))
			return 1;
	return 0;
}

START_TEST(catalogue_formats_match)
{
	int id;

	for (id = 0; id < OMSEC_MSG_COUNT; id++) {
		const char *zh = omsec_msg(id, 0), *en = omsec_msg(id, 1);
		struct conv a[16], b[16];
		int cha[8], chb[8], nca, ncb;
		int na = convs(zh, a, 16, cha, &nca);
		int nb = convs(en, b, 16, chb, &ncb), i, j;

		ck_assert_msg(zh[0] != '\0' && en[0] != '\0',
		    "message %d is empty", id);
		ck_assert_msg(!has_cjk(en), "English message %d has CJK: %s",
		    id, en);
		ck_assert_msg(na >= 0 && na == nb, "message %d: %d vs %d "
		    "conversions: %s | %s", id, na, nb, zh, en);
		/* Every argument taken once, with the same type. */
		for (i = 0; i < na; i++) {
			for (j = 0; j < nb; j++)
				if (b[j].pos == a[i].pos)
					break;
			ck_assert_msg(j < nb && strcmp(a[i].spec, b[j].spec) == 0,
			    "message %d argument %d: %s | %s", id, a[i].pos, zh,
			    en);
			ck_assert_int_le(a[i].pos, na);
		}
		/* Chinese counts take no plural: its texts stay printf's. */
		ck_assert_msg(nca == 0, "message %d: a choice in zh: %s", id,
		    zh);
		/* A choice names a count: an integer or a formatted %s. */
		for (i = 0; i < ncb; i++) {
			for (j = 0; j < nb; j++)
				if (b[j].pos == chb[i])
					break;
			ck_assert_msg(j < nb && strchr("diuxs",
			    b[j].spec[strlen(b[j].spec) - 1]) != NULL,
			    "message %d: choice on argument %d: %s", id, chb[i],
			    en);
		}
	}
	ck_assert_str_eq(omsec_msg(OMSEC_MSG_COUNT, 0), "");
}
END_TEST

START_TEST(round_half_up)
{
	char b[32];

	/* Ties that printf alone would round to even. */
	snprintf(b, sizeof(b), "%.2f", rd_round(4.125, 2));
	ck_assert_str_eq(b, "4.13");
	snprintf(b, sizeof(b), "%.2f", rd_round(4.375, 2));
	ck_assert_str_eq(b, "4.38");
	ck_assert_str_eq(rd_fmt_pct(b, sizeof(b), 12.25), "12.3%");
	ck_assert_str_eq(rd_fmt_pct(b, sizeof(b), 87.5), "87.5%");
	ck_assert_str_eq(rd_fmt_pct(b, sizeof(b), -1), "—");
}
END_TEST

static int
vf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = omsec_msg_vfmt(buf, cap, fmt, ap);
	va_end(ap);
	return r;
}

START_TEST(catalogue_plural_choice)
{
	char b[256];

	ck_assert_int_eq(omsec_msg_fmt(b, sizeof(b), M_REC_SPRAY_WHY, 1, 1ULL),
	    (int)strlen(b));
	ck_assert_str_eq(b, "1 password-spraying alert: one source tried "
	    "many accounts");
	omsec_msg_fmt(b, sizeof(b), M_REC_SPRAY_WHY, 1, 2ULL);
	ck_assert_str_eq(b, "2 password-spraying alerts: one source tried "
	    "many accounts");
	omsec_msg_fmt(b, sizeof(b), M_REC_SPRAY_WHY, 0, 1ULL);
	ck_assert_str_eq(b, "口令喷洒告警 1 条：同一来源尝试大量账号");
	/* A count already formatted is one only as "1"; numbered formats
	   choose by the argument named, wherever it is printed. */
	omsec_msg_fmt(b, sizeof(b), M_DS_MONTHS, 1, "1", "", "");
	ck_assert_str_eq(b, "Monthly summaries: 1 month provided.");
	omsec_msg_fmt(b, sizeof(b), M_DS_MONTHS, 1, "1,001", "", "");
	ck_assert_str_eq(b, "Monthly summaries: 1,001 months provided.");
	ck_assert_int_eq(vf(b, sizeof(b), "%2$s: %1$u %1{day|days} %%",
	    3u, "x"), 11);
	ck_assert_str_eq(b, "x: 3 days %");
	vf(b, sizeof(b), "%02lld:%1{one|other} %zu %2{x|y} %.1f %s", 1LL,
	    (size_t)1, 2.25, "end");
	ck_assert_str_eq(b, "01:one 1 x 2.2 end");
	vf(b, sizeof(b), "%lld %1{a|b}, 90%% done", -1LL);
	ck_assert_str_eq(b, "-1 b, 90% done");
	/* Cut as snprintf cuts, with the length the whole text needs. */
	ck_assert_int_eq(vf(b, 8, "%d %1{alert|alerts}", 12), 9);
	ck_assert_str_eq(b, "12 aler");
	ck_assert_int_eq(vf(b, 3, "%d %1{alert|alerts}", 1), 7);
	ck_assert_str_eq(b, "1 ");
	/* A choice on no argument, or unclosed, is refused. */
	ck_assert_int_eq(vf(b, sizeof(b), "%d %2{a|b}", 1), -1);
	ck_assert_int_eq(vf(b, sizeof(b), "%d %1{a|b", 1), -1);
}
END_TEST

START_TEST(catalogue_keyed_names)
{
	size_t i;
	char b[64];

	ck_assert_uint_gt(omsec_msg_nrules(), 20);
	for (i = 0; i < omsec_msg_nrules(); i++) {
		const char *r = omsec_msg_rule_id(i);
		ck_assert_msg(has_cjk(omsec_msg_rule(r, 0)), "rule %s", r);
		ck_assert_msg(!has_cjk(omsec_msg_rule(r, 1)), "rule %s", r);
	}
	ck_assert_str_eq(omsec_msg_rule("ssh_bruteforce", 0), "SSH 暴力破解");
	ck_assert_str_eq(omsec_msg_rule("ssh_bruteforce", 1), "SSH brute force");
	ck_assert_str_eq(omsec_msg_rule("no_such_rule", 1), "no_such_rule");
	ck_assert_str_eq(omsec_msg_country("CN", 1), "China");
	ck_assert_str_eq(omsec_msg_country("-", 0), "未知");
	ck_assert_str_eq(omsec_msg_country("ZZ", 0), "ZZ");
	ck_assert_str_eq(omsec_msg_category("web", 1), "Web");
	ck_assert_str_eq(omsec_msg_entity_type("src_ip", 0), "源地址");
	ck_assert_str_eq(omsec_msg_entity_type("user", 1), "account");
	ck_assert_str_eq(omsec_msg_entity_type("vlan", 1), "vlan");
	ck_assert_str_eq(omsec_msg_date(b, sizeof(b), 1, 2026, 11, 1, 0),
	    "1 November 2026");
	ck_assert_str_eq(omsec_msg_date(b, sizeof(b), 0, 2026, 11, 1, 0),
	    "2026年11月1日");
	ck_assert_str_eq(omsec_msg_date(b, sizeof(b), 0, 2026, 11, 1, 1),
	    "2026年11月01日");
}
END_TEST

/* Renders the fixture month of tests/data/reports in zh-CN or en, with
   the records of earlier periods when given (NULL: none). */
/*
 * Renders the fixtures (summary: sumname; assets: an inventory, or NULL)
 * to out in the language en.
 */
static void
render_fixture_full(const char *out, int en, const struct omsec_records *prev,
    const struct omsec_records *ago, const char *sumname,
    const struct omsec_assets *assets)
{
	struct omsec_config cfg;
	struct omsec_report_input in = OMSEC_REPORT_INPUT_INIT;
	struct omsec_report_diag diag = { NULL, NULL, 0 };
	static struct omsec_rpt_summary sum;
	static struct omsec_rpt_alerts al;
	struct omsec_tickets tk = { NULL, 0, 0 };
	struct omsec_survey sv = { NULL, 0, 0 };
	struct omsec_sla sla;
	struct omsec_satisfaction sat;
	struct omsec_period per;
	char path[1024], font[1024], err[256];

	omsec_config_defaults(&cfg);
	ck_assert_int_eq(omsec_config_load(&cfg, fixture(path, sizeof(path),
	    "site.ini"), err, sizeof(err)), 0);
	in.tz = shanghai();
	ck_assert_int_eq(omsec_period_parse(&per, "2026-11", in.tz), 0);
	ck_assert_int_eq(omsec_rpt_summary_read(&sum, fixture(path,
	    sizeof(path), sumname), in.tz, per.start, per.end, &diag), 0);
	ck_assert_int_eq(omsec_rpt_alerts_read(&al, fixture(path, sizeof(path),
	    "alerts.tsv"), &diag), 0);
	ck_assert_int_eq(omsec_tickets_read(&tk, fixture(path, sizeof(path),
	    "tickets.csv"), in.tz, &diag), 0);
	ck_assert_int_eq(omsec_survey_read(&sv, fixture(path, sizeof(path),
	    "survey.csv"), &diag), 0);
	ck_assert_int_eq(omsec_sla_compute(&sla, &tk, &cfg, per.start,
	    per.end), 0);
	omsec_satisfaction_compute(&sat, &sv);
	ck_assert_int_eq(omsec_data_path(font, sizeof(font),
	    "fonts/omsec-cjk.ttf"), 0);
	in.cfg = &cfg;
	in.year = per.year;
	in.month = per.month;
	in.start = per.start;
	in.end = per.end;
	in.period = &per;
	in.summary = &sum;
	in.alerts = &al;
	in.tickets = &tk;
	in.sla = &sla;
	in.survey = &sv;
	in.sat = &sat;
	in.font_path = font;
	in.source_date = 1796083200;
	in.lang_en = en;
	in.records_previous = prev;
	in.records_year_ago = ago;
	{
		/* The month's own satisfaction, for the trend. */
		static struct omsec_report_month cur[1];
		static struct omsec_records rec;
		memset(&rec, 0, sizeof(rec));
		memset(cur, 0, sizeof(cur));
		cur[0].year = 2026;
		cur[0].month = 11;
		cur[0].have_sat = 1;
		cur[0].sat = sat;
		rec.cfg = &cfg;
		rec.start = per.start;
		rec.end = per.end;
		rec.tickets = &tk;
		rec.sla = &sla;
		rec.survey = &sv;
		rec.sat = &sat;
		rec.months = cur;
		rec.nmonths = 1;
		rec.assets = assets;
		if (prev != NULL || assets != NULL)
			in.records = &rec;
	}
	ck_assert_msg(omsec_report_render(&in, out, NULL, err, sizeof(err)) == 0,
	    "render: %s", err);
	omsec_sla_free(&sla);
	omsec_tickets_free(&tk);
	omsec_survey_free(&sv);
	omsec_rpt_alerts_free(&al);
	omsec_rpt_summary_free(&sum);
	omsec_tz_free(in.tz);
}

static void
render_fixture_with(const char *out, int en, const struct omsec_records *prev,
    const struct omsec_records *ago)
{
	render_fixture_full(out, en, prev, ago, "summary.tsv", NULL);
}

static void
render_fixture(const char *out, int en)
{
	render_fixture_with(out, en, NULL, NULL);
}

/* The output of cmd (at most cap-1 bytes, NUL-terminated); its status. */
static int
run(const char *cmd, char *buf, size_t cap)
{
	FILE *f = popen(cmd, "r");
	size_t n = 0, r;

	ck_assert_ptr_nonnull(f);
	while (n + 1 < cap && (r = fread(buf + n, 1, cap - 1 - n, f)) > 0)
		n += r;
	buf[n] = '\0';
	return pclose(f);
}

static char *
slurp_fixtures(void)
{
	static const char *const names[] = { "site.ini", "summary.tsv",
	    "alerts.tsv", "tickets.csv", "survey.csv" };
	char *all = calloc(1, 1 << 20), path[1024];
	size_t n = 0, i;

	ck_assert_ptr_nonnull(all);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		FILE *f = fopen(fixture(path, sizeof(path), names[i]), "rb");
		ck_assert_ptr_nonnull(f);
		n += fread(all + n, 1, (1 << 20) - 1 - n, f);
		all[n++] = '\n';
		fclose(f);
	}
	{
		/* As the renderer draws them: control bytes dropped. */
		char *clean = calloc(1, 2 << 20);
		ck_assert_ptr_nonnull(clean);
		omsec_report_sanitize(clean, 2 << 20, all, n);
		free(all);
		all = clean;
	}
	return all;
}

static const char *const want_en[] = {
	"Information Security O&M Service Monthly Report", "November 2026",
	"Contents", "Executive summary", "Service level (SLA) achievement",
	"Problems and nonconformities", "Major security incidents",
	"Recommendations", "Appendix", "Glossary", "Events by hour of week",
	"Page 3 of", "Classification:", "18,202", "75.0%", "57.1%", "4.25",
	"T-1007", "not done at", "203.0.113.9", "China",
	"SSH brute force", "Urgent", "Reporting period: 1 November 2026",
	"Evidence:", "/var/log/auth.log", "1201, 1202",
	"Detection raised 6 alerts", "<script>alert(1)</script>",
	"No earlier period",
};

static const char *const want_zh[] = {
	"信息安全运维服务月度报告", "2026年11月", "执行摘要",
	"服务级别(SLA)达成情况", "重大安全事件", "建设性意见和建议",
	"第 3 页 共", "18,202", "75.0%", "57.1%", "T-1007", "期末未完成",
	"SSH 暴力破解", "证据：", "/var/log/auth.log", "1201, 1202",
	"报告期：2026年11月1日 — 2026年11月30日", "无更早期间",
};

START_TEST(pdf_english_no_catalogue_cjk)
{
	char pdf[] = "/tmp/check_reports_en_XXXXXX", pdf2[64], cmd[256];
	static char text[1 << 20], fonts[8192];
	char *inputs = slurp_fixtures();
	const unsigned char *u;
	size_t i;
	int fd = mkstemp(pdf);

	ck_assert_int_ge(fd, 0);
	close(fd);
	render_fixture(pdf, 1);
	snprintf(cmd, sizeof(cmd), "pdftotext %s - 2>/dev/null", pdf);
	ck_assert_int_eq(run(cmd, text, sizeof(text)), 0);
	for (i = 0; i < sizeof(want_en) / sizeof(want_en[0]); i++)
		ck_assert_msg(strstr(text, want_en[i]) != NULL,
		    "'%s' not in the English PDF", want_en[i]);
	/* Every run of CJK characters left is data from the inputs. */
	for (u = (const unsigned char *)text; *u; ) {
		const unsigned char *e = u;
		char run_[512];
		while (*e && rd_u8len(*e) == 3 && has_cjk((const char *)e) &&
		    has_cjk((const char *)(char[4]){ (char)e[0], (char)e[1],
		    (char)e[2], 0 }))
			e += 3;
		if (e == u) {
			u++;
			continue;
		}
		snprintf(run_, sizeof(run_), "%.*s", (int)(e - u),
		    (const char *)u);
		ck_assert_msg(strstr(inputs, run_) != NULL,
		    "CJK text '%s' in the English PDF is not from the inputs",
		    run_);
		u = e;
	}
	/* Fonts embedded; the same bytes again. */
	snprintf(cmd, sizeof(cmd), "pdffonts %s 2>/dev/null", pdf);
	ck_assert_int_eq(run(cmd, fonts, sizeof(fonts)), 0);
	ck_assert_ptr_nonnull(strstr(fonts, "CID TrueType"));
	ck_assert_ptr_null(strstr(fonts, " no  "));
	snprintf(pdf2, sizeof(pdf2), "%s.2", pdf);
	render_fixture(pdf2, 1);
	snprintf(cmd, sizeof(cmd), "cmp -s %s %s", pdf, pdf2);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "qpdf --check %s >/dev/null 2>&1", pdf);
	ck_assert_int_eq(system(cmd), 0);
	unlink(pdf);
	unlink(pdf2);
	free(inputs);
}
END_TEST

START_TEST(pdf_chinese_sections)
{
	char pdf[] = "/tmp/check_reports_zh_XXXXXX", cmd[256];
	static char text[1 << 20];
	size_t i;
	int fd = mkstemp(pdf);

	ck_assert_int_ge(fd, 0);
	close(fd);
	render_fixture(pdf, 0);
	snprintf(cmd, sizeof(cmd), "pdftotext %s - 2>/dev/null", pdf);
	ck_assert_int_eq(run(cmd, text, sizeof(text)), 0);
	for (i = 0; i < sizeof(want_zh) / sizeof(want_zh[0]); i++)
		ck_assert_msg(strstr(text, want_zh[i]) != NULL,
		    "'%s' not in the Chinese PDF", want_zh[i]);
	ck_assert_ptr_null(strstr(text, "Executive summary"));
	unlink(pdf);
}
END_TEST

/*
 * 环比/同比 of the record-based figures: the previous period has the
 * month's own figures (every change flat), the year-ago one 4 tickets
 * with 1 of 2 responses in time (50%) and a CSAT of 60%; the trend shows
 * the previous period's month.
 */
START_TEST(pdf_record_changes)
{
	char pdf[] = "/tmp/check_reports_rc_XXXXXX", cmd[256];
	static char text[1 << 20];
	static struct omsec_sla psla, asla;
	static struct omsec_satisfaction psat, asat;
	static struct omsec_report_month pm[1];
	struct omsec_records prev, ago;
	struct omsec_tickets tk = { NULL, 0, 0 };
	struct omsec_config cfg;
	struct omsec_report_diag diag = { NULL, NULL, 0 };
	struct omsec_tz *tz = shanghai();
	char path[1024];
	int lang, fd;

	omsec_config_defaults(&cfg);
	ck_assert_int_eq(omsec_tickets_read(&tk, fixture(path, sizeof(path),
	    "tickets.csv"), tz, &diag), 0);
	ck_assert_int_eq(omsec_sla_compute(&psla, &tk, &cfg,
	    utc(2026, 10, 31, 16, 0), utc(2026, 11, 30, 16, 0)), 0);
	memset(&psat, 0, sizeof(psat));
	psat.csat = 75.0;
	psat.respondents = 4;
	memset(pm, 0, sizeof(pm));
	pm[0].year = 2026;
	pm[0].month = 10;
	pm[0].have_sat = 1;
	pm[0].sat = psat;
	pm[0].sat.respondents = 3;
	pm[0].sat.csat = 66.7;
	pm[0].sat.nps = -1000;
	memset(&prev, 0, sizeof(prev));
	prev.sla = &psla;
	prev.sat = &psat;
	prev.months = pm;
	prev.nmonths = 1;
	memset(&asla, 0, sizeof(asla));
	asla.total.tickets = 4;
	asla.total.resp_met = 1;
	asla.total.resp_breach = 1;
	memset(&asat, 0, sizeof(asat));
	asat.csat = 60.0;
	memset(&ago, 0, sizeof(ago));
	ago.sla = &asla;
	ago.sat = &asat;
	for (lang = 0; lang < 2; lang++) {
		static const char *const want[2][6] = {
			{ "+100.0%", "+25.0 个百分点", "+15.0 个百分点", "持平",
			    "满意度趋势", "66.7%" },
			{ "+100.0%", "+25.0 pp", "+15.0 pp", "flat",
			    "Satisfaction trend", "66.7%" },
		};
		size_t i;
		strcpy(pdf, "/tmp/check_reports_rc_XXXXXX");
		ck_assert_int_ge(fd = mkstemp(pdf), 0);
		close(fd);
		render_fixture_with(pdf, lang, &prev, &ago);
		snprintf(cmd, sizeof(cmd), "pdftotext %s - 2>/dev/null", pdf);
		ck_assert_int_eq(run(cmd, text, sizeof(text)), 0);
		if (getenv("KEEP_PDF") != NULL)
			fprintf(stderr, "%s\n", pdf);
		for (i = 0; i < 6; i++)
			ck_assert_msg(strstr(text, want[lang][i]) != NULL,
			    "'%s' not in the PDF (%s)", want[lang][i],
			    lang ? "en" : "zh");
		ck_assert_ptr_null(strstr(text, lang ? "No earlier period" :
		    "无更早期间"));
		if (getenv("KEEP_PDF") == NULL)
			unlink(pdf);
	}
	omsec_sla_free(&psla);
	omsec_tickets_free(&tk);
	omsec_tz_free(tz);
}
END_TEST

/*
 * pdftotext's text with its line breaks taken out (a space between two
 * ASCII characters, nothing next to CJK), so a wrapped sentence matches.
 */
static void
unwrap(char *t)
{
	char *o = t, *p;

	for (p = t; *p; p++) {
		if (*p != '\n') {
			*o++ = *p;
			continue;
		}
		if (o > t && (unsigned char)o[-1] < 0x80 && o[-1] != ' ' &&
		    (unsigned char)p[1] < 0x80 && p[1] != '\n' && p[1] != '\f')
			*o++ = ' ';
	}
	*o = '\0';
}

/* The body's heading (the second occurrence: the first is the TOC's). */
static const char *
body_heading(const char *text, const char *h)
{
	const char *p = strstr(text, h);

	ck_assert_msg(p != NULL, "'%s' not in the contents", h);
	p = strstr(p + strlen(h), h);
	ck_assert_msg(p != NULL, "'%s' not in the body", h);
	return p;
}

/*
 * 6.6 and 6.7 from a summary with asset and url heavy hitters and an
 * inventory: names, systems and criticality from the inventory, one asset
 * not in it, counts with their share of 18,202 events, a merged count as
 * its range, a long URL cut, markup and a tab of a URL drawn as text; each
 * heading on the page of its first row; the alerts renumbered to 6.8.
 */
START_TEST(pdf_top_assets_urls)
{
	static const char *const want[2][14] = {
		{ "A-DB", "db01", "核心业务系统", "5,200", "28.6%", "web01",
		    "门户网站", "GHOST-9", "（不在资产识别表中）", "/login",
		    "780–900", "/search?q=<script>alert(2)</script> x",
		    "/api/v1/search?q=xxxx", ".8 安全告警" },
		{ "A-DB", "db01", "核心业务系统", "5,200", "28.6%", "web01",
		    "门户网站", "GHOST-9", "(not in the inventory)", "/login",
		    "780–900", "/search?q=<script>alert(2)</script> x",
		    "/api/v1/search?q=xxxx", ".8 Security alerts" },
	};
	static const char *const head[2][2] = {
		{ ".6 主要目标资产", ".7 主要访问URL" },
		{ ".6 Most targeted assets", ".7 Most requested URLs" },
	};
	static char text[1 << 20];
	char pdf[] = "/tmp/check_reports_top_XXXXXX", cmd[256], path[1024];
	struct omsec_assets inv = { NULL, 0, 0 };
	struct omsec_report_diag diag = { NULL, NULL, 0 };
	const char *h6, *h7, *row, *p;
	int en = _i, fd, i;

	ck_assert_int_eq(omsec_assets_read(&inv, fixture(path, sizeof(path),
	    "inventory.csv"), &diag), 0);
	ck_assert_uint_eq(inv.n, 3);
	ck_assert_int_ge(fd = mkstemp(pdf), 0);
	close(fd);
	render_fixture_full(pdf, en, NULL, NULL, "summary-assets.tsv", &inv);
	snprintf(cmd, sizeof(cmd), "pdftotext %s - 2>/dev/null", pdf);
	ck_assert_int_eq(run(cmd, text, sizeof(text)), 0);
	unwrap(text);
	h6 = body_heading(text, head[en][0]);
	h7 = body_heading(text, head[en][1]);
	ck_assert(h6 < h7);
	for (i = 0; i < 14; i++) {
		p = strstr(h6, want[en][i]);
		ck_assert_msg(p != NULL, "'%s' not after 6.6 (%s)", want[en][i],
		    en ? "en" : "zh");
	}
	/* The inventory's criticality of db01 follows its system. */
	p = strstr(h6, "核心业务系统");
	ck_assert_ptr_nonnull(strstr(p, en ? "High" : "高"));
	ck_assert_ptr_nonnull(strstr(h6, omsec_msg(M_TOP_ESTIMATE, en)));
	ck_assert_ptr_null(strstr(text, omsec_msg(M_NO_TOP_ASSET, en)));
	ck_assert_ptr_null(strstr(text, omsec_msg(M_NO_TOP_URL, en)));
	/* Cut: the long URL's end is not drawn. */
	ck_assert_ptr_null(strstr(text, "&page=2"));
	/* Kept with their tables: no page break between heading and row. */
	row = strstr(h6, "A-DB");
	for (p = h6; p < row; p++)
		ck_assert_msg(*p != '\f', "6.6 apart from its table");
	row = strstr(h7, "/login");
	ck_assert_ptr_nonnull(row);
	for (p = h7; p < row; p++)
		ck_assert_msg(*p != '\f', "6.7 apart from its table");
	if (getenv("KEEP_PDF") != NULL)
		fprintf(stderr, "%s\n", pdf);
	else
		unlink(pdf);
	omsec_assets_free(&inv);
}
END_TEST

/*
 * A summary from before asset and url were counted: each subsection says
 * so in one line, the numbering stays; without an inventory the assets
 * are listed by id with a note.
 */
START_TEST(pdf_top_dims_absent)
{
	static char text[1 << 20];
	char pdf[] = "/tmp/check_reports_nodim_XXXXXX", cmd[256];
	int en = _i, fd;

	ck_assert_int_ge(fd = mkstemp(pdf), 0);
	close(fd);
	render_fixture(pdf, en);
	snprintf(cmd, sizeof(cmd), "pdftotext %s - 2>/dev/null", pdf);
	ck_assert_int_eq(run(cmd, text, sizeof(text)), 0);
	unwrap(text);
	ck_assert_ptr_nonnull(strstr(body_heading(text, en ?
	    ".6 Most targeted assets" : ".6 主要目标资产"),
	    omsec_msg(M_NO_TOP_ASSET, en)));
	ck_assert_ptr_nonnull(strstr(body_heading(text, en ?
	    ".7 Most requested URLs" : ".7 主要访问URL"),
	    omsec_msg(M_NO_TOP_URL, en)));
	body_heading(text, en ? ".8 Security alerts" : ".8 安全告警");
	unlink(pdf);

	/* The dims, no inventory: ids only, with the note. */
	strcpy(pdf, "/tmp/check_reports_nodim_XXXXXX");
	ck_assert_int_ge(fd = mkstemp(pdf), 0);
	close(fd);
	render_fixture_full(pdf, en, NULL, NULL, "summary-assets.tsv", NULL);
	snprintf(cmd, sizeof(cmd), "pdftotext %s - 2>/dev/null", pdf);
	ck_assert_int_eq(run(cmd, text, sizeof(text)), 0);
	unwrap(text);
	ck_assert_ptr_nonnull(strstr(text, omsec_msg(M_TOP_ASSET_NOINV, en)));
	ck_assert_ptr_nonnull(strstr(text, "GHOST-9"));
	ck_assert_ptr_null(strstr(text, "核心业务系统"));
	unlink(pdf);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("reports");
	TCase *core = tcase_create("core");
	TCase *limits = tcase_create("limits");
	TCase *bad = tcase_create("malformed");

	tcase_add_test(core, tickets_chinese_headers_bom_bad_row);
	tcase_add_test(core, sla_exact_figures);
	tcase_add_test(core, survey_means_csat);
	tcase_add_test(core, summary_folded);
	tcase_add_test(core, alerts_sorted_unescaped);
	tcase_add_loop_test(core, sanitize_table, 0,
	    sizeof(san_cases) / sizeof(san_cases[0]));
	tcase_add_loop_test(core, parse_local_table, 0,
	    sizeof(local_cases) / sizeof(local_cases[0]));
	tcase_add_loop_test(core, period_table, 0,
	    sizeof(period_cases) / sizeof(period_cases[0]));
	tcase_add_test(core, period_shift_labels);
	tcase_add_test(core, summary_quarter_series);
	tcase_add_test(core, months_from_records);
	tcase_add_loop_test(core, natcmp_table, 0,
	    sizeof(nat_cases) / sizeof(nat_cases[0]));
	tcase_add_test(core, catalogue_formats_match);
	tcase_add_test(core, catalogue_keyed_names);
	tcase_add_test(core, catalogue_plural_choice);
	tcase_add_test(core, round_half_up);
	tcase_add_test(core, pdf_english_no_catalogue_cjk);
	tcase_add_test(core, pdf_chinese_sections);
	tcase_add_test(core, pdf_record_changes);
	tcase_add_loop_test(core, pdf_top_assets_urls, 0, 2);
	tcase_add_loop_test(core, pdf_top_dims_absent, 0, 2);
	tcase_add_test(limits, sanitize_cuts_at_character);
	tcase_add_test(limits, long_fields_truncated);
	tcase_add_test(bad, csv_missing_column);
	tcase_add_test(bad, csv_bad_times);
	tcase_add_test(bad, summary_wrong_version);
	tcase_add_test(bad, summary_bad_lines_skipped);
	tcase_add_test(bad, alerts_without_fields);
	tcase_add_test(bad, missing_file);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	suite_add_tcase(s, bad);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
