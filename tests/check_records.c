/*
 * check_records.c - unit tests of the service records (issue 6): the CSV
 * reader's encodings, the SLA clock (business hours, the 2026 holidays and
 * adjusted working days), the SLA with pauses, reopened and still-open
 * tickets, satisfaction with missing answers and NPS, vulnerability
 * exports (Nessus with duplicates, OpenVAS, a tracking sheet), inspections,
 * assets, availability, the "#omsec-records 2" file read back, and three
 * months merged into the quarter.
 * Every expected value is computed by hand in the comments; fixtures are in
 * $OMSEC_TEST_DATA/records/ and the 2026 calendar is $OMSEC_CAL_2026.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assets.h"
#include "report.h"
#include "report_testutil.h"

#define fixture(buf, cap, name) test_fixture(buf, cap, "records", name)

/* Local (UTC+8) wall-clock time to UTC ms. */
static int64_t
cst(int y, int mo, int d, int h, int mi)
{
	struct omsec_civil c = { y, mo, d, h, mi, 0, 0 };

	return omsec_civil_to_ms(&c) - 8 * HOUR;
}

/* February 2026 in Shanghai: [02-01 00:00, 03-01 00:00). */
#define FEB_START cst(2026, 2, 1, 0, 0)
#define FEB_END cst(2026, 3, 1, 0, 0)

static void
business(struct omsec_calendar *c, struct omsec_tz *tz)
{
	const char *path = getenv("OMSEC_CAL_2026");
	struct omsec_report_diag diag = { NULL, NULL, 0 };

	omsec_calendar_init(c, tz);
	ck_assert_int_eq(omsec_calendar_set_hours(c,
	    "09:00-12:00,13:30-18:00"), 0);
	ck_assert_ptr_nonnull(path);
	ck_assert_int_eq(omsec_calendar_load(c, path, &diag), 0);
	ck_assert_uint_eq(diag.nbad, 0);
}

/* ---- calendar -------------------------------------------------------- */

static const struct {
	int y, m, d, work;
} days2026[] = {
	{ 2026, 1, 1, 0 },	/* 元旦, Thursday */
	{ 2026, 1, 4, 1 },	/* Sunday worked (调休) */
	{ 2026, 1, 5, 1 },	/* ordinary Monday */
	{ 2026, 2, 13, 1 },	/* Friday before the Spring Festival */
	{ 2026, 2, 14, 1 },	/* Saturday worked */
	{ 2026, 2, 16, 0 },	/* Monday, 除夕 */
	{ 2026, 2, 21, 0 },	/* Saturday inside the holiday */
	{ 2026, 2, 23, 0 },	/* Monday, last day off */
	{ 2026, 2, 24, 1 },
	{ 2026, 2, 28, 1 },	/* Saturday worked */
	{ 2026, 3, 1, 0 },	/* ordinary Sunday */
	{ 2026, 5, 9, 1 },
	{ 2026, 9, 20, 1 },
	{ 2026, 10, 7, 0 },
	{ 2026, 10, 10, 1 },
	{ 2026, 11, 14, 0 },	/* ordinary Saturday */
};

START_TEST(calendar_2026_days)
{
	struct omsec_calendar c;
	struct omsec_tz *tz = shanghai();

	business(&c, tz);
	ck_assert_uint_eq(c.ndays, 3 + 1 + 9 + 2 + 3 + 5 + 1 + 3 + 3 + 7 + 2);
	ck_assert_msg(omsec_calendar_is_workday(&c, omsec_days_from_civil(
	    days2026[_i].y, days2026[_i].m, days2026[_i].d)) ==
	    days2026[_i].work, "%d-%02d-%02d", days2026[_i].y, days2026[_i].m,
	    days2026[_i].d);
	omsec_calendar_free(&c);
	omsec_tz_free(tz);
}
END_TEST

START_TEST(calendar_elapsed)
{
	struct omsec_calendar c;
	struct omsec_tz *tz = shanghai();

	business(&c, tz);
	/* Fri 02-13 17:00 to Tue 02-24 10:00: 1 h on Friday, 7.5 h on the
	   worked Saturday, nothing over the 9 days off, 1 h on Tuesday. */
	ck_assert_int_eq(omsec_calendar_elapsed(&c, cst(2026, 2, 13, 17, 0),
	    cst(2026, 2, 24, 10, 0)), 570 * MIN);
	/* The lunch break 12:00-13:30 does not count: 11:30-14:00 is 1 h. */
	ck_assert_int_eq(omsec_calendar_elapsed(&c, cst(2026, 2, 24, 11, 30),
	    cst(2026, 2, 24, 14, 0)), 60 * MIN);
	/* Overnight from a working evening to the next morning. */
	ck_assert_int_eq(omsec_calendar_elapsed(&c, cst(2026, 2, 26, 20, 0),
	    cst(2026, 2, 27, 9, 45)), 45 * MIN);
	ck_assert_int_eq(omsec_calendar_elapsed(&c, cst(2026, 2, 27, 9, 45),
	    cst(2026, 2, 26, 20, 0)), 0);
	/* 7x24 counts everything. */
	ck_assert_int_eq(omsec_calendar_elapsed(NULL, cst(2026, 2, 13, 17, 0),
	    cst(2026, 2, 24, 10, 0)), (10 * 24 + 17) * HOUR);
	omsec_calendar_free(&c);
	omsec_tz_free(tz);
}
END_TEST

START_TEST(calendar_bad_input)
{
	struct omsec_calendar c;
	struct diags dg = { .n = 0 };
	struct omsec_report_diag diag = { collect, &dg, 0 };
	char path[] = "/tmp/omsec-cal-XXXXXX";
	const char *text = "2026-02-30 holiday bad day\n"
	    "2026-03-02..2026-03-01 holiday backwards\n"
	    "2026-03-03 rest unknown kind\n"
	    "2026-03-04 休 清明 (Chinese kind)\n"
	    "2026-03-05\n";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	omsec_calendar_init(&c, NULL);
	ck_assert_int_eq(omsec_calendar_set_hours(&c, "18:00-09:00"), -1);
	ck_assert_int_eq(omsec_calendar_set_hours(&c, "09:00-12:00,11:00-13:00"),
	    -1);
	ck_assert_int_eq(omsec_calendar_set_hours(&c, "9:00-12:00"), -1);
	ck_assert_int_eq(omsec_calendar_set_hours(&c, "00:00-24:00"), 0);
	ck_assert_int_eq(omsec_calendar_set_hours(&c, "7x24"), 0);
	ck_assert_int_eq(c.nwin, 0);
	ck_assert_int_eq(omsec_calendar_load(&c, path, &diag), 0);
	unlink(path);
	ck_assert_uint_eq(diag.nbad, 4);
	ck_assert_msg(ends_with(dg.msg[0], ":1: bad date '2026-02-30' (want "
	    "YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD)"), "got %s", dg.msg[0]);
	ck_assert_msg(ends_with(dg.msg[1], ":2: range must run forward, at "
	    "most 366 days"), "got %s", dg.msg[1]);
	ck_assert_msg(ends_with(dg.msg[2], ":3: 'rest' is not holiday (休) "
	    "or workday (班)"), "got %s", dg.msg[2]);
	ck_assert_msg(ends_with(dg.msg[3], ":5: want DATE[..DATE] "
	    "holiday|workday [name]"), "got %s", dg.msg[3]);
	ck_assert_uint_eq(c.ndays, 1);
	ck_assert_int_eq(omsec_calendar_is_workday(&c,
	    omsec_days_from_civil(2026, 3, 4)), 0);
	omsec_calendar_free(&c);
}
END_TEST

/* ---- tickets and SLA ------------------------------------------------- */

START_TEST(tickets_optional_columns)
{
	struct omsec_tickets t = { NULL, 0, 0 };
	struct diags dg = { .n = 0 };
	struct omsec_report_diag diag = { collect, &dg, 0 };
	struct omsec_tz *tz = shanghai();
	char path[1024];

	ck_assert_int_eq(omsec_tickets_read(&t, fixture(path, sizeof(path),
	    "tickets.csv"), tz, &diag), 0);
	ck_assert_uint_eq(t.n, 8);
	ck_assert_uint_eq(diag.nbad, 1);
	ck_assert_msg(ends_with(dg.msg[0], "tickets.csv:10:11: pause "
	    "'2026-02-11 10:00-2026-02-11 12:00' is not START~END"),
	    "got %s", dg.msg[0]);
	ck_assert_int_eq(t.v[0].npause, 1);
	ck_assert_int_eq(t.v[0].pause[0][0], cst(2026, 2, 3, 11, 0));
	ck_assert_int_eq(t.v[0].pause[0][1], cst(2026, 2, 3, 13, 0));
	ck_assert_int_eq(t.v[0].closed, cst(2026, 2, 3, 16, 0));
	ck_assert_str_eq(t.v[0].links, "ssh_bruteforce-0a1b2c3d4e5f");
	ck_assert_int_eq(t.v[1].closed, -1);
	ck_assert_int_eq(t.v[1].status, OMSEC_TICKET_RESOLVED);
	ck_assert_uint_eq(t.v[4].reopened, 1);		/* column */
	ck_assert_int_eq(t.v[4].status, OMSEC_TICKET_CLOSED);
	ck_assert_uint_eq(t.v[5].reopened, 1);		/* status 重新打开 */
	ck_assert_int_eq(t.v[5].status, OMSEC_TICKET_OPEN);
	omsec_tickets_free(&t);
	omsec_tz_free(tz);
}
END_TEST

START_TEST(sla_business_pauses_reopened)
{
	struct omsec_tickets t = { NULL, 0, 0 };
	struct omsec_report_diag diag = { NULL, NULL, 0 };
	struct omsec_tz *tz = shanghai();
	struct omsec_calendar c;
	const struct omsec_calendar *cal[OMSEC_PRIO_COUNT];
	struct omsec_config cfg;
	struct omsec_sla s;
	const struct omsec_sla_row *r;
	char path[1024];

	omsec_config_defaults(&cfg);	/* 2/4 h, 4/8 h, 8/24 h, 24/72 h */
	business(&c, tz);
	cal[OMSEC_PRIO_URGENT] = NULL;	/* 7x24 */
	cal[OMSEC_PRIO_HIGH] = cal[OMSEC_PRIO_MEDIUM] = cal[OMSEC_PRIO_LOW] = &c;
	ck_assert_int_eq(omsec_tickets_read(&t, fixture(path, sizeof(path),
	    "tickets.csv"), tz, &diag), 0);
	ck_assert_int_eq(omsec_sla_compute_cal(&s, &t, &cfg, cal, FEB_START,
	    FEB_END), 0);

	/* Urgent (7x24): T1 resolves in 5 h less a 2 h pause = 3 h (met);
	   T5 (reopened) 7 h (breach); T8 acknowledged after the period end:
	   1 h on the clock at the end, undecided. T7 is January's. */
	r = &s.prio[OMSEC_PRIO_URGENT];
	ck_assert_uint_eq(r->tickets, 3);
	ck_assert_uint_eq(r->resp_met, 2);
	ck_assert_uint_eq(r->resp_breach, 0);
	ck_assert_uint_eq(r->res_met, 1);
	ck_assert_uint_eq(r->res_breach, 1);
	ck_assert_int_eq(r->tta_sum, 60 * MIN);
	ck_assert_int_eq(r->tta_median, 30 * MIN);
	ck_assert_int_eq(r->ttr_sum, 600 * MIN);
	ck_assert_int_eq(r->ttr_median, 300 * MIN);
	ck_assert_int_eq(r->ttr_p90, 420 * MIN);
	ck_assert_uint_eq(r->open_end, 1);
	ck_assert_uint_eq(r->reopened, 1);
	ck_assert_uint_eq(r->paused, 1);

	/* High (business hours): T2 acknowledged after 1 h on Friday and
	   0.5 h on the worked Saturday = 90 min (met), resolved after 9.5 h
	   across the Spring Festival (breach of 8 h); T6 reopened, 4 working
	   days of 7.5 h by the end = 30 h > 8 h (breach, not resolved). */
	r = &s.prio[OMSEC_PRIO_HIGH];
	ck_assert_uint_eq(r->tickets, 2);
	ck_assert_uint_eq(r->resp_met, 2);
	ck_assert_uint_eq(r->res_met, 0);
	ck_assert_uint_eq(r->res_breach, 2);
	ck_assert_int_eq(r->tta_sum, 100 * MIN);
	ck_assert_int_eq(r->tta_median, 50 * MIN);
	ck_assert_int_eq(r->tta_p90, 90 * MIN);
	ck_assert_int_eq(r->ttr_median, 570 * MIN);
	ck_assert_uint_eq(r->open_end, 1);
	ck_assert_uint_eq(r->reopened, 1);

	/* Medium: T3 open at the end with 2 + 7.5 + 7.5 (worked Saturday)
	   = 17 h < 24 h on the clock: resolution undecided. */
	r = &s.prio[OMSEC_PRIO_MEDIUM];
	ck_assert_uint_eq(r->tickets, 1);
	ck_assert_uint_eq(r->resp_met, 1);
	ck_assert_uint_eq(r->res_met + r->res_breach, 0);
	ck_assert_int_eq(r->ttr_median, -1);
	/* Low: T4 open, 75 working hours by the end > 72 h: breach. */
	r = &s.prio[OMSEC_PRIO_LOW];
	ck_assert_uint_eq(r->res_breach, 1);

	r = &s.total;
	ck_assert_uint_eq(r->tickets, 7);
	ck_assert_uint_eq(r->resp_met, 6);
	ck_assert_uint_eq(r->resp_breach, 0);
	ck_assert_uint_eq(r->res_met, 1);
	ck_assert_uint_eq(r->res_breach, 4);
	/* tta 10 20 30 30 60 90 min; ttr 180 420 570 min. */
	ck_assert_int_eq(r->tta_sum, 240 * MIN);
	ck_assert_int_eq(r->tta_median, 30 * MIN);
	ck_assert_int_eq(r->tta_p90, 90 * MIN);
	ck_assert_int_eq(r->ttr_sum, 1170 * MIN);
	ck_assert_int_eq(r->ttr_median, 420 * MIN);
	ck_assert_int_eq(r->ttr_p90, 570 * MIN);
	ck_assert_uint_eq(r->open_end, 4);
	ck_assert_uint_eq(r->reopened, 2);
	ck_assert_uint_eq(r->paused, 1);

	/* Breaches in ticket order: T2, T4, T5, T6 (all resolution). */
	ck_assert_uint_eq(s.nbreaches, 4);
	ck_assert_str_eq(t.v[s.breaches[0].ticket].id, "T2");
	ck_assert_int_eq(s.breaches[0].took, 570 * MIN);
	ck_assert_int_eq(s.breaches[0].target, 8 * HOUR);
	ck_assert_str_eq(t.v[s.breaches[1].ticket].id, "T4");
	ck_assert_int_eq(s.breaches[1].took, -1);
	ck_assert_int_eq(s.breaches[1].target, 72 * HOUR);
	ck_assert_str_eq(t.v[s.breaches[2].ticket].id, "T5");
	ck_assert_int_eq(s.breaches[2].took, 420 * MIN);
	ck_assert_str_eq(t.v[s.breaches[3].ticket].id, "T6");
	ck_assert_int_eq(s.breaches[3].resolve, 1);
	omsec_sla_free(&s);

	/* The same tickets on 7x24: T2's response (16.5 h) breaches too. */
	ck_assert_int_eq(omsec_sla_compute_cal(&s, &t, &cfg, NULL, FEB_START,
	    FEB_END), 0);
	ck_assert_uint_eq(s.prio[OMSEC_PRIO_HIGH].resp_breach, 1);
	ck_assert_int_eq(s.prio[OMSEC_PRIO_HIGH].tta_p90, 990 * MIN);
	omsec_sla_free(&s);
	omsec_tickets_free(&t);
	omsec_calendar_free(&c);
	omsec_tz_free(tz);
}
END_TEST

/* ---- satisfaction ---------------------------------------------------- */

START_TEST(survey_gbk_missing_answers_nps)
{
	struct omsec_survey sv = { NULL, 0, 0 };
	struct diags dg = { .n = 0 };
	struct omsec_report_diag diag = { collect, &dg, 0 };
	struct omsec_satisfaction sat;
	char path[1024];

	/* GBK bytes, Chinese headers: converted, then read as usual. */
	ck_assert_int_eq(omsec_survey_read(&sv, fixture(path, sizeof(path),
	    "survey_gbk.csv"), &diag), 0);
	ck_assert_uint_eq(sv.n, 6);
	ck_assert_int_eq(dg.n, 1);
	ck_assert_msg(ends_with(dg.msg[0], "survey_gbk.csv:8:8: recommend "
	    "'11' is not 0-10"), "got %s", dg.msg[0]);
	ck_assert_str_eq(sv.v[0].respondent, "甲");
	ck_assert_str_eq(sv.v[4].comment, "响应慢");
	omsec_satisfaction_compute(&sat, &sv);
	ck_assert_uint_eq(sat.respondents, 6);
	/* speed 5 4 3 - 2 5; professionalism 5 - 3 - 3 4; communication and
	   quality 5 4 - - 2 5; overall 5 4 - - 2 4. */
	ck_assert_uint_eq(sat.nscored[0], 5);
	ck_assert_double_eq_tol(sat.mean[0], 3.8, 1e-9);
	ck_assert_double_eq_tol(sat.mean[1], 3.75, 1e-9);
	ck_assert_double_eq_tol(sat.mean[2], 4.0, 1e-9);
	ck_assert_double_eq_tol(sat.mean[3], 4.0, 1e-9);
	ck_assert_uint_eq(sat.nscored[4], 4);
	ck_assert_double_eq_tol(sat.mean[4], 3.75, 1e-9);
	ck_assert_uint_eq(sat.satisfied, 3);
	ck_assert_double_eq_tol(sat.csat, 75.0, 1e-9);	/* of 4 answered */
	ck_assert_uint_eq(sat.dist[4][0], 0);
	ck_assert_uint_eq(sat.dist[4][1], 1);
	ck_assert_uint_eq(sat.dist[4][3], 2);
	ck_assert_uint_eq(sat.dist[4][4], 1);
	ck_assert_uint_eq(sat.dist[1][2], 2);
	/* recommend 10 9 6 - 8 7: 2 promoters, 2 passives, 1 detractor. */
	ck_assert_uint_eq(sat.promoters, 2);
	ck_assert_uint_eq(sat.passives, 2);
	ck_assert_uint_eq(sat.detractors, 1);
	ck_assert_double_eq_tol(sat.nps, 20.0, 1e-9);
	omsec_survey_free(&sv);
}
END_TEST

/* ---- vulnerabilities ------------------------------------------------- */

START_TEST(vulns_nessus_duplicates)
{
	struct omsec_vulns v = { NULL, 0, 0, 0 };
	struct diags dg = { .n = 0 };
	struct omsec_report_diag diag = { collect, &dg, 0 };
	struct omsec_tz *tz = shanghai();
	struct omsec_config cfg;
	struct omsec_vuln_figures f;
	char path[1024];

	omsec_config_defaults(&cfg);
	ck_assert_int_eq(omsec_vulns_read(&v, fixture(path, sizeof(path),
	    "nessus.csv"), tz, &diag), 0);
	ck_assert_uint_eq(v.n, 9);
	ck_assert_int_eq(dg.n, 1);
	ck_assert_msg(ends_with(dg.msg[0], "nessus.csv:11:4: unknown severity "
	    "'Severe'"), "got %s", dg.msg[0]);
	ck_assert_int_eq(v.v[0].format, OMSEC_VFMT_NESSUS);
	ck_assert_int_eq(v.v[0].sev, OMSEC_SEV_INFO);
	ck_assert_str_eq(v.v[0].port, "");	/* port 0: the host */
	ck_assert_str_eq(v.v[2].port, "22/tcp");
	/* A repeated row and a second CVE row of one plugin: two merged. */
	ck_assert_uint_eq(omsec_vulns_dedupe(&v), 2);
	ck_assert_uint_eq(v.n, 7);
	ck_assert_uint_eq(v.duplicates, 2);
	ck_assert_str_eq(v.v[2].id, "201194");
	ck_assert_uint_eq(v.v[2].dups, 1);
	ck_assert_str_eq(v.v[3].asset, "10.20.2.7");
	ck_assert_str_eq(v.v[3].cve, "CVE-2021-44228,CVE-2021-45046");
	ck_assert_int_eq(v.v[3].sev, OMSEC_SEV_CRITICAL);
	ck_assert_str_eq(v.v[4].asset, "10.20.2.8");
	ck_assert_str_eq(v.v[6].port, "8443/tcp");
	/* No dates in a Nessus export: all open, of unknown age. */
	ck_assert_int_eq(omsec_vuln_compute(&f, &v, &cfg, FEB_START, FEB_END), 0);
	ck_assert_uint_eq(f.total.open, 7);
	ck_assert_uint_eq(f.total.found, 0);
	ck_assert_uint_eq(f.total.age[4], 7);
	ck_assert_uint_eq(f.sev[OMSEC_SEV_CRITICAL].open, 2);
	ck_assert_uint_eq(f.sev[OMSEC_SEV_MEDIUM].open, 3);
	ck_assert_uint_eq(f.noverdue, 0);
	omsec_vuln_figures_free(&f);
	omsec_vulns_free(&v);
	omsec_tz_free(tz);
}
END_TEST

START_TEST(vulns_openvas)
{
	struct omsec_vulns v = { NULL, 0, 0, 0 };
	struct omsec_report_diag diag = { NULL, NULL, 0 };
	struct omsec_tz *tz = shanghai();
	char path[1024];

	ck_assert_int_eq(omsec_vulns_read(&v, fixture(path, sizeof(path),
	    "openvas.csv"), tz, &diag), 0);
	ck_assert_uint_eq(diag.nbad, 0);
	ck_assert_uint_eq(v.n, 3);
	ck_assert_int_eq(v.v[0].format, OMSEC_VFMT_OPENVAS);
	ck_assert_str_eq(v.v[0].asset, "10.20.3.4");
	ck_assert_str_eq(v.v[0].id, "1.3.6.1.4.1.25623.1.0.123456");
	ck_assert_str_eq(v.v[0].cve, "CVE-2024-1111,CVE-2024-2222");
	ck_assert_str_eq(v.v[0].port, "3306/tcp");
	ck_assert_int_eq(v.v[0].sev, OMSEC_SEV_HIGH);
	ck_assert_double_eq_tol(v.v[0].cvss, 7.5, 1e-9);
	ck_assert_int_eq(v.v[0].found, cst(2026, 2, 2, 10, 0));
	ck_assert_int_eq(v.v[1].sev, OMSEC_SEV_INFO);	/* Log */
	ck_assert_str_eq(v.v[1].port, "general/tcp");
	ck_assert_int_eq(v.v[2].sev, OMSEC_SEV_MEDIUM);
	ck_assert_int_eq(v.v[2].status, OMSEC_VULN_OPEN);
	omsec_vulns_free(&v);
	omsec_tz_free(tz);
}
END_TEST

START_TEST(vulns_tracking_figures)
{
	struct omsec_vulns v = { NULL, 0, 0, 0 };
	struct diags dg = { .n = 0 };
	struct omsec_report_diag diag = { collect, &dg, 0 };
	struct omsec_tz *tz = shanghai();
	struct omsec_config cfg;
	struct omsec_vuln_figures f;
	const struct omsec_vuln_row *r;
	char path[1024];

	omsec_config_defaults(&cfg);	/* deadlines 7, 15, 30, 90 days */
	ck_assert_int_eq(omsec_vulns_read(&v, fixture(path, sizeof(path),
	    "vulns.csv"), tz, &diag), 0);
	ck_assert_uint_eq(v.n, 10);
	ck_assert_int_eq(dg.n, 1);
	ck_assert_msg(ends_with(dg.msg[0], "vulns.csv:12:8: bad time "
	    "'2026-02-30' (want YYYY-MM-DD[ HH:MM])"), "got %s", dg.msg[0]);
	ck_assert_uint_eq(omsec_vulns_dedupe(&v), 1);	/* V-001 twice */
	ck_assert_uint_eq(v.n, 9);
	ck_assert_int_eq(v.v[0].status, OMSEC_VULN_VERIFIED);
	ck_assert_int_eq(v.v[0].found, cst(2026, 2, 3, 0, 0));
	ck_assert_int_eq(v.v[4].status, OMSEC_VULN_OPEN);	/* 重新打开 */
	ck_assert_uint_eq(v.v[4].reopened, 1);
	ck_assert_int_eq(omsec_vuln_compute(&f, &v, &cfg, FEB_START, FEB_END), 0);

	/* Critical: V-002 open 40 days (overdue), V-004 found 02-01, fixed
	   after 11 days (late), re-opened once before. */
	r = &f.sev[OMSEC_SEV_CRITICAL];
	ck_assert_uint_eq(r->found, 1);
	ck_assert_uint_eq(r->fixed, 1);
	ck_assert_uint_eq(r->open, 1);
	ck_assert_uint_eq(r->overdue, 1);
	ck_assert_uint_eq(r->fixed_late, 1);
	ck_assert_uint_eq(r->reopened, 1);
	ck_assert_uint_eq(r->age[2], 1);
	/* High: V-001 found, fixed, verified; V-005 re-opened, 90 days. */
	r = &f.sev[OMSEC_SEV_HIGH];
	ck_assert_uint_eq(r->found, 1);
	ck_assert_uint_eq(r->fixed, 1);
	ck_assert_uint_eq(r->verified, 1);
	ck_assert_uint_eq(r->open, 1);
	ck_assert_uint_eq(r->overdue, 1);
	ck_assert_uint_eq(r->age[2], 1);
	/* Medium: V-003 9 days, V-009 151 days (overdue); V-007 误报. */
	r = &f.sev[OMSEC_SEV_MEDIUM];
	ck_assert_uint_eq(r->found, 1);
	ck_assert_uint_eq(r->open, 2);
	ck_assert_uint_eq(r->overdue, 1);
	ck_assert_uint_eq(r->age[1], 1);
	ck_assert_uint_eq(r->age[3], 1);
	/* Low: V-006 risk accepted: found, not open. */
	ck_assert_uint_eq(f.sev[OMSEC_SEV_LOW].found, 1);
	ck_assert_uint_eq(f.sev[OMSEC_SEV_LOW].open, 0);

	r = &f.total;
	ck_assert_uint_eq(r->found, 4);
	ck_assert_uint_eq(r->fixed, 2);
	ck_assert_uint_eq(r->verified, 1);
	ck_assert_uint_eq(r->open, 4);
	ck_assert_uint_eq(r->overdue, 3);
	ck_assert_uint_eq(r->fixed_late, 1);
	ck_assert_uint_eq(r->reopened, 2);
	ck_assert_uint_eq(r->age[0], 0);
	ck_assert_uint_eq(r->age[1], 1);
	ck_assert_uint_eq(r->age[2], 2);
	ck_assert_uint_eq(r->age[3], 1);
	/* Oldest first: V-009, V-005, V-002. */
	ck_assert_uint_eq(f.noverdue, 3);
	ck_assert_str_eq(v.v[f.overdue[0]].id, "V-009");
	ck_assert_str_eq(v.v[f.overdue[1]].id, "V-005");
	ck_assert_str_eq(v.v[f.overdue[2]].id, "V-002");
	omsec_vuln_figures_free(&f);
	omsec_vulns_free(&v);
	omsec_tz_free(tz);
}
END_TEST

/* ---- assets, inspections, outages ------------------------------------ */

START_TEST(assets_cidr_criticality)
{
	struct omsec_assets a = { NULL, 0, 0 };
	struct diags dg = { .n = 0 };
	struct omsec_report_diag diag = { collect, &dg, 0 };
	struct omsec_ip ip;
	char path[1024];

	ck_assert_int_eq(omsec_assets_read(&a, fixture(path, sizeof(path),
	    "assets.csv"), &diag), 0);
	ck_assert_uint_eq(a.n, 3);
	ck_assert_int_eq(dg.n, 2);
	ck_assert_msg(ends_with(dg.msg[0], "assets.csv:5:3: bad address or "
	    "CIDR '10.20.9.300'"), "got %s", dg.msg[0]);
	ck_assert_msg(ends_with(dg.msg[1], "assets.csv:6:7: unknown "
	    "criticality '极高' (高/中/低)"), "got %s", dg.msg[1]);
	ck_assert_int_eq(a.v[0].nnet, 2);
	ck_assert_int_eq(a.v[0].crit, OMSEC_CRIT_HIGH);
	ck_assert_int_eq(omsec_ip_parse(&ip, omsec_span_cstr("10.20.255.77")), 0);
	ck_assert_int_eq(omsec_cidr_contains(&a.v[0].net[1], &ip), 1);
	ck_assert_int_eq(a.v[1].crit, OMSEC_CRIT_HIGH);	/* 核心 */
	ck_assert_int_eq(a.v[2].nnet, 2);		/* split at 、 */
	ck_assert_int_eq(a.v[2].crit, OMSEC_CRIT_MEDIUM);	/* blank */
	ck_assert_str_eq(a.v[2].system, "门户网站");
	ck_assert_ptr_eq(omsec_assets_find(&a, "A-002"), &a.v[1]);
	ck_assert_ptr_null(omsec_assets_find(&a, "oa"));
	omsec_assets_free(&a);
}
END_TEST

START_TEST(inspections_planned_done)
{
	struct omsec_inspections s = { NULL, 0, 0 };
	struct omsec_assets a = { NULL, 0, 0 };
	struct diags dg = { .n = 0 };
	struct omsec_report_diag diag = { collect, &dg, 0 };
	struct omsec_report_diag quiet = { NULL, NULL, 0 };
	struct omsec_tz *tz = shanghai();
	struct omsec_insp_figures f;
	char path[1024];

	ck_assert_int_eq(omsec_assets_read(&a, fixture(path, sizeof(path),
	    "assets.csv"), &quiet), 0);
	ck_assert_int_eq(omsec_inspections_read(&s, fixture(path, sizeof(path),
	    "inspections.csv"), tz, &diag), 0);
	ck_assert_uint_eq(s.n, 7);
	ck_assert_int_eq(dg.n, 1);
	ck_assert_msg(ends_with(dg.msg[0], "inspections.csv:9:6: unknown "
	    "result '坏结果' (正常/异常)"), "got %s", dg.msg[0]);
	omsec_insp_compute(&f, &s, &a, FEB_START, FEB_END);
	/* Planned in February: rows 2-5, of which 3 were done; done in
	   February: rows 2, 3, 5, 6, 7 (one planned in January, one ad hoc). */
	ck_assert_uint_eq(f.planned, 4);
	ck_assert_uint_eq(f.planned_done, 3);
	ck_assert_uint_eq(f.done, 5);
	ck_assert_uint_eq(f.abnormal, 2);
	ck_assert_uint_eq(f.followed, 1);
	/* By type in byte order: 数据库 (from the asset list), 服务器, 防火墙. */
	ck_assert_int_eq(f.ntype, 3);
	ck_assert_str_eq(f.type[0].type, "数据库");
	ck_assert_uint_eq(f.type[0].done, 1);
	ck_assert_uint_eq(f.type[0].abnormal, 1);
	ck_assert_uint_eq(f.type[0].followed, 1);
	ck_assert_str_eq(f.type[1].type, "服务器");
	ck_assert_uint_eq(f.type[1].done, 2);
	ck_assert_uint_eq(f.type[1].abnormal, 1);
	ck_assert_uint_eq(f.type[1].followed, 0);
	ck_assert_str_eq(f.type[2].type, "防火墙");
	ck_assert_uint_eq(f.type[2].done, 2);
	omsec_inspections_free(&s);
	omsec_assets_free(&a);
	omsec_tz_free(tz);
}
END_TEST

START_TEST(outages_availability)
{
	struct omsec_outages o = { NULL, 0, 0 };
	struct diags dg = { .n = 0 };
	struct omsec_report_diag diag = { collect, &dg, 0 };
	struct omsec_tz *tz = shanghai();
	struct omsec_availability av;
	const double month = 28.0 * 86400;
	char path[1024];

	ck_assert_int_eq(omsec_outages_read(&o, fixture(path, sizeof(path),
	    "outages.csv"), tz, &diag), 0);
	ck_assert_uint_eq(o.n, 6);
	ck_assert_int_eq(dg.n, 1);
	ck_assert_msg(ends_with(dg.msg[0], "outages.csv:7:3: bad time "
	    "'2026-02-15 09:00' (want YYYY-MM-DD HH:MM, not before start; "
	    "empty = ongoing)"), "got %s", dg.msg[0]);
	ck_assert_int_eq(omsec_availability_compute(&av, &o, 99.9, FEB_START,
	    FEB_END), 0);
	ck_assert_uint_eq(av.n, 3);
	/* 办公系统: 20 min. */
	ck_assert_str_eq(av.v[0].service, "办公系统");
	ck_assert_int_eq(av.v[0].down, 20 * MIN);
	ck_assert_double_eq_tol(av.v[0].pct, 100 * (1 - 1200 / month), 1e-9);
	ck_assert_int_eq(av.v[0].met, 1);
	/* 网上银行: 02:00-02:30 and 02:20-02:50 overlap: 50 min; the planned
	   upgrade does not count. */
	ck_assert_str_eq(av.v[1].service, "网上银行");
	ck_assert_uint_eq(av.v[1].outages, 2);
	ck_assert_int_eq(av.v[1].down, 50 * MIN);
	ck_assert_int_eq(av.v[1].met, 0);
	/* 门户网站: 1 h after the month starts, 30 min still down at its end. */
	ck_assert_str_eq(av.v[2].service, "门户网站");
	ck_assert_int_eq(av.v[2].down, 90 * MIN);
	ck_assert_double_eq_tol(av.v[2].pct, 100 * (1 - 5400 / month), 1e-9);
	omsec_availability_free(&av);
	omsec_outages_free(&o);
	omsec_tz_free(tz);
}
END_TEST

/* ---- encodings and the config keys ----------------------------------- */

static void
write_file(char *path, const char *bytes, size_t n)
{
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, bytes, n), (ssize_t)n);
	close(fd);
}

START_TEST(csv_encodings)
{
	struct omsec_assets a = { NULL, 0, 0 };
	struct diags dg = { .n = 0 };
	struct omsec_report_diag diag = { collect, &dg, 0 };
	/* UTF-16LE with BOM: "name\r\nfw01\r\n". */
	static const char u16[] = "\xff\xfen\0a\0m\0e\0\r\0\n\0f\0w\0"
	    "0\0001\0\r\0\n\0";
	/* 0x81 0x20 is neither UTF-8 nor GB18030. */
	static const char junk[] = "name\n\x81\x20\x81\x20\x81\x20\n";
	char p1[] = "/tmp/omsec-u16-XXXXXX", p2[] = "/tmp/omsec-bad-XXXXXX";

	write_file(p1, u16, sizeof(u16) - 1);
	ck_assert_int_eq(omsec_assets_read(&a, p1, &diag), 0);
	ck_assert_uint_eq(a.n, 1);
	ck_assert_str_eq(a.v[0].name, "fw01");
	write_file(p2, junk, sizeof(junk) - 1);
	ck_assert_int_eq(omsec_assets_read(&a, p2, &diag), -1);
	ck_assert_int_eq(dg.n, 1);
	ck_assert_msg(ends_with(dg.msg[0], ":2: neither UTF-8 nor GB18030 "
	    "(byte 5); save the sheet as CSV UTF-8"), "got %s", dg.msg[0]);
	unlink(p1);
	unlink(p2);
	omsec_assets_free(&a);
}
END_TEST

START_TEST(config_clock_keys)
{
	struct omsec_config cfg;
	char p1[] = "/tmp/omsec-ini-XXXXXX", p2[] = "/tmp/omsec-ini-XXXXXX";
	static const char good[] = "[sla]\nhigh_clock = business\n"
	    "vuln_critical_deadline = 3d\n[calendar]\nhours = 08:30-17:30\n"
	    "holidays = holidays-cn-2026.txt\n";
	static const char bad[] = "[sla]\n\nlow_clock = weekdays\n";
	char err[512];

	write_file(p1, good, sizeof(good) - 1);
	write_file(p2, bad, sizeof(bad) - 1);
	omsec_config_defaults(&cfg);
	ck_assert_str_eq(cfg.sla_clock[OMSEC_PRIO_URGENT], "7x24");
	ck_assert_int_eq(cfg.vuln_deadline[2], 30 * 86400);
	ck_assert_int_eq(omsec_config_load(&cfg, p1, err, sizeof(err)), 0);
	ck_assert_str_eq(cfg.sla_clock[OMSEC_PRIO_HIGH], "business");
	ck_assert_int_eq(cfg.vuln_deadline[0], 3 * 86400);
	ck_assert_str_eq(cfg.cal_hours, "08:30-17:30");
	ck_assert_str_eq(cfg.cal_holidays, "holidays-cn-2026.txt");
	ck_assert_int_eq(omsec_config_load(&cfg, p2, err, sizeof(err)), -1);
	ck_assert_msg(ends_with(err, ":3: [sla] low_clock: 'weekdays' is not "
	    "7x24 or business"), "got %s", err);
	unlink(p1);
	unlink(p2);
}
END_TEST

/* ---- assets: longest-prefix match -------------------------------------- */

static const char *
asset_at(const struct omsec_asset_index *x, const char *addr)
{
	const struct omsec_asset *a;
	struct omsec_ip ip;

	ck_assert_int_eq(omsec_ip_parse(&ip, omsec_span_cstr(addr)), 0);
	a = omsec_asset_by_ip(x, &ip);
	return a ? a->name : "-";
}

/*
 * assets-lpm.csv: 办公网 10.20.0.0/16 (low), 服务器区 10.20.3.0/24, db01
 * 10.20.3.4 (high), web01 10.20.3.10 and 2001:db8::/64, and "dup" claiming
 * 10.20.3.0/24 again (the first row keeps it).
 */
START_TEST(assets_longest_prefix)
{
	struct omsec_assets a;
	struct omsec_asset_index x;
	struct omsec_report_diag diag = { NULL, NULL, 0 };
	const struct omsec_asset *k;
	char path[4096];

	ck_assert_int_eq(omsec_assets_load(&a, &x, fixture(path, sizeof(path),
	    "assets-lpm.csv"), &diag), 0);
	ck_assert_uint_eq(diag.nbad, 0);
	ck_assert_uint_eq(a.n, 5);
	ck_assert_uint_eq(x.nnet, 5);		/* 6 ranges, one shadowed */
	ck_assert_uint_eq(x.shadowed, 1);
	ck_assert_int_eq(x.nlen, 4);		/* /128, /120, /112, /64 */
	ck_assert_str_eq(asset_at(&x, "10.20.3.4"), "db01");	/* /32 */
	ck_assert_str_eq(asset_at(&x, "::ffff:10.20.3.4"), "db01");
	ck_assert_str_eq(asset_at(&x, "10.20.3.5"), "服务器区");	/* /24 */
	ck_assert_str_eq(asset_at(&x, "10.20.3.10"), "web01");
	ck_assert_str_eq(asset_at(&x, "10.20.3.255"), "服务器区");
	ck_assert_str_eq(asset_at(&x, "10.20.9.9"), "办公网");	/* /16 */
	ck_assert_str_eq(asset_at(&x, "10.21.0.1"), "-");
	ck_assert_str_eq(asset_at(&x, "2001:db8::1"), "web01");
	ck_assert_str_eq(asset_at(&x, "2001:db8:0:1::1"), "-");
	k = omsec_asset_by_name(&x, omsec_span_cstr("A-2"));
	ck_assert_ptr_nonnull(k);
	ck_assert_str_eq(k->name, "web01");
	k = omsec_asset_by_name(&x, omsec_span_cstr("db01"));
	ck_assert_ptr_nonnull(k);
	ck_assert_int_eq(k->crit, OMSEC_CRIT_HIGH);
	ck_assert_ptr_null(omsec_asset_by_name(&x, omsec_span_cstr("db0")));
	ck_assert_ptr_null(omsec_asset_by_name(&x, omsec_span_cstr("")));
	k = omsec_asset_of(&x, omsec_span_cstr("10.20.3.4"));
	ck_assert_ptr_nonnull(k);
	ck_assert_str_eq(k->id, "A-1");
	ck_assert_ptr_null(omsec_asset_of(&x, omsec_span_cstr("oa")));
	omsec_asset_index_free(&x);
	omsec_assets_free(&a);
}
END_TEST

/* ---- the 2025 calendar ------------------------------------------------ */

static const struct {
	int m, d, work;
} days2025[] = {
	{ 1, 1, 0 },		/* 元旦, Wednesday */
	{ 1, 2, 1 },
	{ 1, 26, 1 },		/* Sunday worked */
	{ 1, 27, 1 },		/* Monday before the Spring Festival */
	{ 1, 28, 0 },		/* 除夕 */
	{ 2, 1, 0 },		/* Saturday inside the holiday */
	{ 2, 4, 0 },		/* Tuesday, last day off */
	{ 2, 5, 1 },
	{ 2, 8, 1 },		/* Saturday worked */
	{ 2, 9, 0 },		/* ordinary Sunday */
	{ 4, 4, 0 },		/* 清明, Friday */
	{ 4, 7, 1 },
	{ 4, 27, 1 },		/* Sunday worked */
	{ 5, 5, 0 },		/* Monday, last of 劳动节 */
	{ 5, 6, 1 },
	{ 6, 2, 0 },		/* 端午, Monday */
	{ 9, 28, 1 },		/* Sunday worked */
	{ 10, 8, 0 },		/* Wednesday, last of 国庆 + 中秋 */
	{ 10, 11, 1 },		/* Saturday worked */
	{ 10, 12, 0 },		/* ordinary Sunday */
};

static void
business2025(struct omsec_calendar *c, struct omsec_tz *tz)
{
	const char *path = getenv("OMSEC_CAL_2025");
	struct omsec_report_diag diag = { NULL, NULL, 0 };

	omsec_calendar_init(c, tz);
	ck_assert_int_eq(omsec_calendar_set_hours(c,
	    "09:00-12:00,13:30-18:00"), 0);
	ck_assert_ptr_nonnull(path);
	ck_assert_int_eq(omsec_calendar_load(c, path, &diag), 0);
	ck_assert_uint_eq(diag.nbad, 0);
}

START_TEST(calendar_2025_days)
{
	struct omsec_calendar c;
	struct omsec_tz *tz = shanghai();

	business2025(&c, tz);
	/* 元旦 1, 春节 8 + 2, 清明 3, 劳动节 5 + 1, 端午 3, 国庆 8 + 2. */
	ck_assert_uint_eq(c.ndays, 1 + 10 + 3 + 6 + 3 + 10);
	ck_assert_msg(omsec_calendar_is_workday(&c, omsec_days_from_civil(
	    2025, days2025[_i].m, days2025[_i].d)) == days2025[_i].work,
	    "2025-%02d-%02d", days2025[_i].m, days2025[_i].d);
	ck_assert_int_eq(omsec_calendar_covers(&c, 2025), 1);
	ck_assert_int_eq(omsec_calendar_covers(&c, 2026), 0);
	omsec_calendar_free(&c);
	omsec_tz_free(tz);
}
END_TEST

/*
 * Business hours 09:00-12:00 and 13:30-18:00 (450 min a day):
 *   Fri 01-24 17:00 .. Sun 01-26 10:00 (worked): 60 + 0 + 60 = 120 min
 *   Mon 01-27 17:30 .. Wed 02-05 09:30 over the Spring Festival: 30 + 30
 *   Fri 02-07 17:00 .. Mon 02-10 09:00 over the worked Saturday 02-08:
 *     60 + 450 + 0 = 510 min
 *   Wed 04-30 16:00 .. Wed 05-07 10:00 over 劳动节 (05-01..05 off, Tue
 *     05-06 worked whole): 120 + 450 + 60 = 630 min
 */
START_TEST(calendar_2025_elapsed)
{
	struct omsec_calendar c;
	struct omsec_tz *tz = shanghai();

	business2025(&c, tz);
	ck_assert_int_eq(omsec_calendar_elapsed(&c, cst(2025, 1, 24, 17, 0),
	    cst(2025, 1, 26, 10, 0)), 120 * MIN);
	ck_assert_int_eq(omsec_calendar_elapsed(&c, cst(2025, 1, 27, 17, 30),
	    cst(2025, 2, 5, 9, 30)), 60 * MIN);
	ck_assert_int_eq(omsec_calendar_elapsed(&c, cst(2025, 2, 7, 17, 0),
	    cst(2025, 2, 10, 9, 0)), 510 * MIN);
	ck_assert_int_eq(omsec_calendar_elapsed(&c, cst(2025, 4, 30, 16, 0),
	    cst(2025, 5, 7, 10, 0)), 630 * MIN);
	omsec_calendar_free(&c);
	omsec_tz_free(tz);
}
END_TEST

/* ---- records files: read back and merged ------------------------------ */

/*
 * The records file of [start, end) made from the tickets of the fixture
 * (7x24 clock), the way omsec-report makes it from CSVs.
 */
static void
tickets_records(const char *out, const char *csv, const char *period)
{
	struct omsec_config cfg;
	struct omsec_records_set s;
	struct omsec_report_diag diag = { NULL, NULL, 0 };
	struct omsec_tz *tz = shanghai();
	struct omsec_period p;
	char path[4096];
	int fd;

	omsec_config_defaults(&cfg);
	ck_assert_int_eq(omsec_period_parse(&p, period, tz), 0);
	ck_assert_int_eq(omsec_records_set_init(&s, &cfg), 0);
	ck_assert_int_eq(omsec_tickets_read(&s.tickets, fixture(path,
	    sizeof(path), csv), tz, &diag), 0);
	s.have_tickets = 1;
	omsec_tickets_clock(&s.tickets, NULL, p.end);
	s.nmonths = p.nmonths;
	ck_assert_int_eq(omsec_report_months(s.months, &p, tz, &cfg,
	    &s.tickets, NULL, NULL, NULL, NULL), 0);
	ck_assert_int_eq(omsec_records_figures(&s, NULL, p.start, p.end, tz,
	    &diag), 0);
	ck_assert_uint_eq(diag.nbad, 0);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(omsec_records_write(&s.rec, fd), 0);
	close(fd);
	omsec_records_set_free(&s);
	omsec_tz_free(tz);
}

static char *
slurp_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *b = calloc(1, 1 << 16);
	size_t n;

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(b);
	n = fread(b, 1, (1 << 16) - 1, f);
	ck_assert_uint_lt(n, (1 << 16) - 1);
	fclose(f);
	return b;
}

/*
 * tickets-q1.csv, urgent (respond 2 h, resolve 4 h, 7x24), Shanghai time:
 *   A 01-10 10:00  ack +10 min  resolved +60 min
 *   B 01-20 10:00  ack +30      resolved +300 (resolution breach)
 *   C 01-31 23:00  ack +80      resolved +180 (both in February)
 *   D 02-10 09:00  ack +5       resolved +45
 *   E 03-05 08:00  ack +50      resolved +240 (met: at most the target)
 *   F 03-30 20:00  not acknowledged: 28 h old at the quarter end (breach
 *                  of both, still open)
 * Quarter: 6 tickets; response met 5 breached 1 (83.33 %); resolution met
 * 4 (A C D E) breached 2 (B F) (66.67 %); MTTA over 5,10,30,50,80 min:
 * mean 35, median 30, P90 (5th of 5) 80; MTTR over 45,60,180,240,300:
 * mean 165, median 180, P90 300. January alone sees C unanswered 1 h
 * after it was opened (undecided), so the months' medians (20, 5, 50 min)
 * would give 20: only the per-ticket times merge exactly.
 */
START_TEST(records_merge_quarter)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char m[3][512], q[512], q2[512];
	const char *paths[3];
	struct omsec_config cfg;
	struct omsec_records_set s;
	struct diags d = { .n = 0 };
	struct omsec_report_diag diag = { collect, &d, 0 };
	struct omsec_tz *tz = shanghai();
	struct omsec_period p;
	const struct omsec_sla_row *r;
	char *a, *b;
	int i, fd;

	for (i = 0; i < 3; i++) {
		char per[16];
		snprintf(m[i], sizeof(m[i]), "%s/check_records.%d.m%d", dir,
		    (int)getpid(), i);
		snprintf(per, sizeof(per), "2026-%02d", i + 1);
		tickets_records(m[i], "tickets-q1.csv", per);
	}
	snprintf(q, sizeof(q), "%s/check_records.%d.q", dir, (int)getpid());
	snprintf(q2, sizeof(q2), "%s/check_records.%d.q2", dir, (int)getpid());
	tickets_records(q, "tickets-q1.csv", "2026-Q1");

	/* Given out of order: March, January, February. */
	paths[0] = m[2];
	paths[1] = m[0];
	paths[2] = m[1];
	omsec_config_defaults(&cfg);
	ck_assert_int_eq(omsec_period_parse(&p, "2026-Q1", tz), 0);
	ck_assert_int_eq(omsec_records_set_init(&s, &cfg), 0);
	ck_assert_int_eq(omsec_records_load(&s, paths, 3, tz, &diag), 0);
	ck_assert_int_eq(omsec_records_figures(&s, NULL, p.start, p.end, tz,
	    &diag), 0);
	ck_assert_msg(diag.nbad == 0, "%s", d.n ? d.msg[0] : "");
	r = &s.sla.prio[OMSEC_PRIO_URGENT];
	ck_assert_uint_eq(r->tickets, 6);
	ck_assert_uint_eq(r->resp_met, 5);
	ck_assert_uint_eq(r->resp_breach, 1);
	ck_assert_uint_eq(r->res_met, 4);
	ck_assert_uint_eq(r->res_breach, 2);
	ck_assert_uint_eq(r->open_end, 1);
	ck_assert_int_eq(r->tta_sum / r->tta_n, 35 * MIN);
	ck_assert_int_eq(r->tta_median, 30 * MIN);
	ck_assert_int_eq(r->tta_p90, 80 * MIN);
	ck_assert_int_eq(r->ttr_sum / r->ttr_n, 165 * MIN);
	ck_assert_int_eq(r->ttr_median, 180 * MIN);
	ck_assert_int_eq(r->ttr_p90, 300 * MIN);
	ck_assert_uint_eq(s.sla.nbreaches, 3);		/* B res, F resp+res */
	/* The months as each month's end saw them. */
	ck_assert_int_eq(s.nmonths, 3);
	ck_assert_uint_eq(s.months[0].sla.tickets, 3);
	ck_assert_int_eq(s.months[0].sla.tta_median, 20 * MIN);
	ck_assert_uint_eq(s.months[0].sla.open_end, 1);	/* C */
	ck_assert_uint_eq(s.months[1].sla.tickets, 1);
	ck_assert_uint_eq(s.months[2].sla.res_breach, 1);	/* F */
	/* And the same bytes as the quarter at once. */
	fd = open(q2, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(omsec_records_write(&s.rec, fd), 0);
	close(fd);
	a = slurp_file(q);
	b = slurp_file(q2);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	omsec_records_set_free(&s);

	/* January and March alone leave a gap. */
	paths[0] = m[0];
	paths[1] = m[2];
	d.n = 0;
	ck_assert_int_eq(omsec_records_set_init(&s, &cfg), 0);
	ck_assert_int_eq(omsec_records_load(&s, paths, 2, tz, &diag), -1);
	ck_assert_int_ge(d.n, 1);
	ck_assert_ptr_nonnull(strstr(d.msg[0], "a gap between them"));
	omsec_records_set_free(&s);
	for (i = 0; i < 3; i++)
		unlink(m[i]);
	unlink(q);
	unlink(q2);
	omsec_tz_free(tz);
}
END_TEST

/* The reader names the line and what is wrong with it. */
START_TEST(records_read_bad)
{
	static const struct {
		const char *line;	/* appended to a good file */
		const char *want;
	} cases[] = {
		{ "ticket\tX\n", ":NN: 2 fields, want 17: 'ticket'" },
		{ "response\t2026-13-01\tx\t5\t5\t5\t5\t5\t-\t-\n",
		  ":NN: bad date '2026-13-01'" },
		{ "response\t2026-01-05\tx\t6\t5\t5\t5\t5\t-\t-\n",
		  ":NN: score out of range: '6'" },
		{ "outage\tweb\t2026-01-05\t-\tunplanned\t-\n",
		  ":NN: not a UTC ISO 8601 time: '2026-01-05'" },
		{ "bogus\n", ":NN: unknown line kind 'bogus'" },
		/* Well formed, but the figures above do not count it. */
		{ "ticket\tG\turgent\tclosed\t0\t0\t2026-01-05T02:00:00.000Z\t"
		  "2026-01-05T02:10:00.000Z\t2026-01-05T03:00:00.000Z\t-\t"
		  "600000\t3600000\t-\t-\t-\t-\t-\n",
		  ":3: field 6 is '3', but the file's rows give '4'" },
		/* Rows of a kind the file has no figures for. */
		{ "response\t2026-01-05\tx\t5\t5\t5\t5\t5\t-\t-\n",
		  ":NN: extra line after the records" },
	};
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char good[512], bad[512], want[128];
	const char *paths[1] = { bad };
	struct omsec_config cfg;
	struct omsec_records_set s;
	struct diags d = { .n = 0 };
	struct omsec_report_diag diag = { collect, &d, 0 };
	struct omsec_tz *tz = shanghai();
	char *text, *nn;
	unsigned nlines = 0;
	size_t k;
	FILE *f;
	const char *p;

	snprintf(good, sizeof(good), "%s/check_records.%d.good", dir,
	    (int)getpid());
	snprintf(bad, sizeof(bad), "%s/check_records.%d.bad", dir,
	    (int)getpid());
	tickets_records(good, "tickets-q1.csv", "2026-01");
	text = slurp_file(good);
	for (p = text; *p; p++)
		nlines += *p == '\n';
	omsec_config_defaults(&cfg);
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		f = fopen(bad, "wb");
		ck_assert_ptr_nonnull(f);
		fputs(text, f);
		fputs(cases[k].line, f);
		fclose(f);
		snprintf(want, sizeof(want), "%s", cases[k].want);
		if ((nn = strstr(want, "NN")) != NULL) {
			char tail[128];
			snprintf(tail, sizeof(tail), "%s", nn + 2);
			snprintf(nn, sizeof(want) - (size_t)(nn - want), "%u%s",
			    nlines + 1, tail);
		}
		d.n = 0;
		ck_assert_int_eq(omsec_records_set_init(&s, &cfg), 0);
		ck_assert_int_eq(omsec_records_load(&s, paths, 1, tz, &diag),
		    -1);
		ck_assert_int_ge(d.n, 1);
		ck_assert_msg(strstr(d.msg[0], want) != NULL &&
		    strncmp(d.msg[0], bad, strlen(bad)) == 0,
		    "case %zu: '%s' lacks '%s'", k, d.msg[0], want);
		omsec_records_set_free(&s);
	}
	free(text);
	unlink(good);
	unlink(bad);
	omsec_tz_free(tz);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("records");
	TCase *core = tcase_create("core");
	TCase *bad = tcase_create("malformed");

	tcase_add_loop_test(core, calendar_2026_days, 0,
	    sizeof(days2026) / sizeof(days2026[0]));
	tcase_add_test(core, calendar_elapsed);
	tcase_add_loop_test(core, calendar_2025_days, 0,
	    sizeof(days2025) / sizeof(days2025[0]));
	tcase_add_test(core, calendar_2025_elapsed);
	tcase_add_test(core, tickets_optional_columns);
	tcase_add_test(core, sla_business_pauses_reopened);
	tcase_add_test(core, survey_gbk_missing_answers_nps);
	tcase_add_test(core, vulns_nessus_duplicates);
	tcase_add_test(core, vulns_openvas);
	tcase_add_test(core, vulns_tracking_figures);
	tcase_add_test(core, assets_cidr_criticality);
	tcase_add_test(core, inspections_planned_done);
	tcase_add_test(core, outages_availability);
	tcase_add_test(core, config_clock_keys);
	tcase_add_test(core, records_merge_quarter);
	tcase_add_test(core, assets_longest_prefix);
	tcase_add_test(bad, calendar_bad_input);
	tcase_add_test(bad, csv_encodings);
	tcase_add_test(bad, records_read_bad);
	suite_add_tcase(s, core);
	suite_add_tcase(s, bad);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(suite());
	int nfail;

	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
