/*
 * check_samples.c - the sample site.ini as core reads it, and the
 * generator library's contract (return value, errors, month lengths).
 * Tool-level checks (determinism, ground truth) are in
 * samples/test-samplegen.sh.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "gen.h"

static int
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static int
count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	int c, n = 0;

	if (!f)
		return -1;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static void
rm_rf(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(site_ini_loads)
{
	struct omsec_config cfg;
	char err[512] = "";

	omsec_config_defaults(&cfg);
	ck_assert_msg(omsec_config_load(&cfg, OMSEC_SAMPLES_DIR "/site.ini", err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(cfg.customer, "东海市示例商业银行");
	ck_assert_str_eq(cfg.service, "信息安全运维服务");
	ck_assert_str_eq(cfg.provider, "示例安全服务有限公司");
	ck_assert_str_eq(cfg.timezone, "Asia/Shanghai");
	ck_assert_str_eq(cfg.language, "zh");
	ck_assert_str_eq(cfg.doc_id, "SLSS-DHB-YW-2026");
	ck_assert_str_eq(cfg.author, "陈杰");
	ck_assert_str_eq(cfg.status, "受控");
	ck_assert_int_eq(cfg.ninternal, 1);
	ck_assert_int_eq(cfg.ssh_bf_failures, 10);
	ck_assert_int_eq(cfg.ssh_bf_window, 600);
	ck_assert_int_eq(cfg.ssh_saf_failures, 5);
	ck_assert_int_eq(cfg.ssh_saf_window, 3600);
	ck_assert_int_eq(cfg.sla_response[OMSEC_PRIO_URGENT], 7200);
	ck_assert_int_eq(cfg.sla_resolve[OMSEC_PRIO_URGENT], 14400);
	ck_assert_int_eq(cfg.sla_resolve[OMSEC_PRIO_MEDIUM], 48 * 3600);
	ck_assert_int_eq(cfg.sla_resolve[OMSEC_PRIO_LOW], 120 * 3600);
	ck_assert(cfg.availability_target > 99.89 && cfg.availability_target < 99.91);
}
END_TEST

/* The compiled-in site.ini is the file in samples/, byte for byte. */
START_TEST(site_ini_embedded)
{
	FILE *f = fopen(OMSEC_SAMPLES_DIR "/site.ini", "rb");
	static char buf[65536];
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	ck_assert_uint_eq(strlen(omsec_samplegen_site_ini), n);
	ck_assert_str_eq(omsec_samplegen_site_ini, buf);
}
END_TEST

struct tally {
	int64_t lines, files;
};

static void
tally(void *ctx, const char *rel, int64_t lines, int64_t bytes)
{
	struct tally *t = ctx;

	(void)rel;
	ck_assert_int_gt(bytes, 0);
	if (lines >= 0)
		t->lines += lines;
	t->files++;
}

/* Month lengths decide the daily nginx files; totals add up. */
static const struct {
	int year, month, days, weeks;
} months[] = {
	{ 2026, 11, 30, 5 },	/* starts on a Sunday: 5 full-or-partial weeks */
	{ 2027, 2, 28, 5 },	/* Monday 1st: Feb 1-6, then 7-13 ... 28 */
	{ 2024, 2, 29, 5 },	/* leap year */
	{ 2026, 12, 31, 5 },	/* Tuesday 1st */
};

START_TEST(month_layout)
{
	struct omsec_samplegen_opts o = OMSEC_SAMPLEGEN_OPTS_INIT;
	struct tally t = { 0, 0 };
	char dir[] = "/tmp/check_samples.XXXXXX", path[600], err[256];
	int64_t total;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	o.year = months[_i].year;
	o.month = months[_i].month;
	o.outdir = dir;
	o.on_file = tally;
	o.ctx = &t;
	total = omsec_samplegen_run(&o, err, sizeof(err));
	ck_assert_msg(total > 0, "%s", err);
	ck_assert_int_eq(total, t.lines);
	ck_assert_int_gt(total, 150000);
	ck_assert_int_lt(total, 400000);
	snprintf(path, sizeof(path), "%s/logs/web01/nginx", dir);
	ck_assert_int_eq(count_entries(path), months[_i].days);
	snprintf(path, sizeof(path), "%s/logs/db01", dir);
	ck_assert_int_eq(count_entries(path), months[_i].weeks);
	/* 3 auth sets, kern.log, eve.json and general.log (weekly), the
	 * nginx set (daily), plus 6 record files. */
	ck_assert_int_eq(t.files, 6 * months[_i].weeks + months[_i].days + 6);
	snprintf(path, sizeof(path), "%s/ground-truth.tsv", dir);
	ck_assert_int_eq(count_lines(path), 36);
	snprintf(path, sizeof(path), "%s/survey.csv", dir);
	ck_assert_int_eq(count_lines(path), 9);
	rm_rf(dir);
}
END_TEST

START_TEST(bad_options)
{
	struct omsec_samplegen_opts o = OMSEC_SAMPLEGEN_OPTS_INIT;
	char err[256] = "";

	ck_assert_int_eq(omsec_samplegen_run(&o, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "-: no output directory");
	o.outdir = "/tmp/never-written";
	o.month = 13;
	ck_assert_int_eq(omsec_samplegen_run(&o, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "-: month out of range");
	o.month = 11;
	o.year = 1970;
	ck_assert_int_eq(omsec_samplegen_run(&o, err, sizeof(err)), -1);
	ck_assert_int_eq(access("/tmp/never-written", F_OK), -1);
}
END_TEST

START_TEST(unwritable)
{
	struct omsec_samplegen_opts o = OMSEC_SAMPLEGEN_OPTS_INIT;
	char err[256] = "";

	o.outdir = "/dev/null/sub";
	ck_assert_int_eq(omsec_samplegen_run(&o, err, sizeof(err)), -1);
	ck_assert_msg(strncmp(err, "/dev/null/sub", 13) == 0, "%s", err);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("samples");
	TCase *core = tcase_create("core"), *limits = tcase_create("limits"),
	    *bad = tcase_create("malformed");
	SRunner *sr;
	int failed;

	tcase_add_test(core, site_ini_loads);
	tcase_add_test(core, site_ini_embedded);
	tcase_add_loop_test(limits, month_layout, 0, sizeof(months) / sizeof(months[0]));
	tcase_add_test(bad, bad_options);
	tcase_add_test(bad, unwritable);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	suite_add_tcase(s, bad);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
