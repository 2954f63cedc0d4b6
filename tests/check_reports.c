/*
 * check_reports.c - unit tests of omsec_reports: CSV records (Chinese
 * headers, BOM, bad rows with line:column), SLA and satisfaction figures
 * with exact expected values, summary and alerts readers, text sanitising.
 * Fixtures: $OMSEC_TEST_DATA/reports/ (hand-made, see the e2e test too).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
