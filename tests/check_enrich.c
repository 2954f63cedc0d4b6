/*
 * check_enrich.c - Check suites for omsec-enrich's library (analysis/enrich.h).
 *
 * One runner, three modes (one ctest entry each):
 *   check_enrich            unit: zones, garbage addresses, cache, stream
 *                           handling, without any database
 *   check_enrich realdata   MaxMind's test databases in
 *                           $OMSEC_REALDATA/maxmind, checked record by record
 *                           against the JSON they were built from
 *   check_enrich iplocdb    the default ip-location-db country database from
 *                           third_party/geoip (fetched by
 *                           scripts/fetch-geoip.sh)
 * A mode whose data is missing exits 77, which ctest reports as skipped.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assets.h"
#include "enrich.h"
#include "out.h"

#ifndef OMSEC_GEOIP_DEFAULT_DB
#define OMSEC_GEOIP_DEFAULT_DB "third_party/geoip/country.mmdb"
#endif

static char realdata[4096];
static char testdata[4096];

/* ---- helpers ---------------------------------------------------------- */

static int
span_is(struct omsec_span s, const char *want)
{
	return omsec_span_eq(s, want);
}

#define ck_span(s, want) do { \
	struct omsec_span s_ = (s); \
	ck_assert_msg(span_is(s_, want), "%s: got '%.*s', want '%s'", #s, \
	    (int)s_.n, s_.p ? s_.p : "", want); \
} while (0)

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

static struct omsec_enrich *
open_enrich(const char *geoip, const char *asn, const struct omsec_config *cfg,
    size_t slots)
{
	struct omsec_enrich_opts o = OMSEC_ENRICH_OPTS_INIT;
	struct omsec_enrich *e;
	char err[512];

	o.geoip_path = geoip;
	o.asn_path = asn;
	o.cfg = cfg;
	o.cache_slots = slots;
	ck_assert_msg(omsec_enrich_open(&e, &o, err, sizeof err) == 0, "%s",
	    err);
	return e;
}

static void
test_config(struct omsec_config *cfg)
{
	char err[512], path[4200];

	omsec_config_defaults(cfg);
	snprintf(path, sizeof path, "%s/enrich/site.ini", testdata);
	ck_assert_msg(omsec_config_load(cfg, path, err, sizeof err) == 0,
	    "%s", err);
}

/*
 * Runs text (lines separated by '\n') through omsec_enrich_line into a
 * temporary file and returns what was written (caller frees). *bad gets
 * the count of -1 results, *stop 1 if a -2 ended the input.
 */
static char *
run_stream_pass(struct omsec_enrich *e, int json, int no_pass,
    const char *text, int *bad, int *stop, uint64_t *passed);

static char *
run_stream(struct omsec_enrich *e, int json, const char *text, int *bad,
    int *stop)
{
	return run_stream_pass(e, json, 0, text, bad, stop, NULL);
}

/* The same, with the TSV pass-through turned off when no_pass; *passed
 * (if not NULL) gets the count of events that took it. */
static char *
run_stream_pass(struct omsec_enrich *e, int json, int no_pass,
    const char *text, int *bad, int *stop, uint64_t *passed)
{
	struct omsec_enrich_stream st;
	struct omsec_out *o;
	FILE *tmp = tmpfile();
	char *copy = strdup(text), *p = copy, *nl, *res;
	const char *why;
	long n;

	ck_assert_ptr_nonnull(tmp);
	o = omsec_out_new_fd(fileno(tmp));
	omsec_enrich_stream_init(&st, json);
	st.no_pass = no_pass;
	*bad = *stop = 0;
	while (*p != '\0') {
		int r;

		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		r = omsec_enrich_line(e, &st, o, p, (size_t)(nl - p), &why);
		if (r == -1) {
			ck_assert_ptr_nonnull(why);
			(*bad)++;
		}
		if (r == -2) {
			ck_assert_ptr_nonnull(why);
			*stop = 1;
			break;
		}
		p = *nl ? nl + 1 : nl;
	}
	omsec_enrich_stream_finish(&st, o);
	if (passed != NULL)
		*passed = st.passed;
	ck_assert_uint_le(st.passed, st.events);
	ck_assert_int_eq(omsec_out_close(o), 0);
	n = ftell(tmp);
	ck_assert_int_ge(n, 0);
	res = malloc((size_t)n + 1);
	rewind(tmp);
	ck_assert_uint_eq(fread(res, 1, (size_t)n, tmp), (size_t)n);
	res[n] = '\0';
	fclose(tmp);
	free(copy);
	return res;
}

/* Asserts got == want, naming the first differing line (whole-stream
 * strings are too long for one Check message). */
static void
assert_same_text(const char *got, const char *want)
{
	size_t i = 0, line = 1, start = 0;

	while (got[i] != '\0' && got[i] == want[i]) {
		if (got[i] == '\n') {
			line++;
			start = i + 1;
		}
		i++;
	}
	ck_assert_msg(got[i] == want[i], "line %zu differs:\n got: %.200s\n"
	    "want: %.200s", line, got + start, want + start);
}

static const char V1_FIELDS[] = "#fields\tts\thost\tmodule\tcategory\taction"
    "\toutcome\tseverity\tsrc_ip\tsrc_port\tdst_ip\tdst_port\tuser\tprocess"
    "\tpid\tmethod\turl\tstatus\tbytes\tuser_agent\trule_id\trule_name"
    "\tcountry\tcity\tasn\tas_org\tzone\tref\tmsg\tasset";

/* ---- unit: no database ------------------------------------------------ */

static const struct {
	const char *ip;
	const char *zone;
} zone_cases[] = {
	{ "10.1.2.3", "internal" },
	{ "172.16.5.4", "internal" },
	{ "172.31.255.255", "internal" },
	{ "192.168.0.1", "internal" },
	{ "127.0.0.1", "internal" },
	{ "169.254.10.1", "internal" },
	{ "100.64.0.1", "internal" },	/* CGNAT: private in core */
	{ "::1", "internal" },
	{ "fe80::1", "internal" },
	{ "fe80::1%eth0", "internal" },
	{ "fd12:3456::1", "internal" },
	{ "::ffff:10.0.0.1", "internal" },
	{ "203.0.113.7", "internal" },	/* site.ini */
	{ "203.0.113.255", "internal" },
	{ "2001:db8::7", "internal" },	/* site.ini */
	{ "81.2.69.170", "internal" },	/* site.ini 81.2.69.160/27 */
	{ "81.2.69.159", "external" },	/* just below that range */
	{ "203.0.114.1", "external" },
	{ "172.32.0.1", "external" },
	{ "8.8.8.8", "external" },
	{ "2001:4860:4860::8888", "external" },
	{ "::ffff:8.8.8.8", "external" },
};

START_TEST(zones_table)
{
	struct omsec_config cfg;
	struct omsec_enrich *e;
	struct omsec_geo g;

	test_config(&cfg);
	e = open_enrich(NULL, NULL, &cfg, (size_t)(_i % 2) * 64);
	omsec_enrich_lookup(e, &g, omsec_span_cstr(zone_cases[_i / 2].ip));
	ck_span(g.zone, zone_cases[_i / 2].zone);
	ck_span(g.country, "");
	ck_span(g.city, "");
	ck_span(g.asn, "");
	ck_span(g.as_org, "");
	omsec_enrich_free(e);
}
END_TEST

START_TEST(zones_without_config)
{
	struct omsec_enrich *e = open_enrich(NULL, NULL, NULL, 16);
	struct omsec_geo g;

	/* Without a site config only private ranges are internal. */
	omsec_enrich_lookup(e, &g, omsec_span_cstr("203.0.113.7"));
	ck_span(g.zone, "external");
	omsec_enrich_lookup(e, &g, omsec_span_cstr("10.9.9.9"));
	ck_span(g.zone, "internal");
	ck_assert_int_eq(omsec_enrich_kind(e, 0), 0);
	ck_assert_int_eq(omsec_enrich_kind(e, 1), 0);
	omsec_enrich_free(e);
}
END_TEST

static const char *const garbage[] = {
	"not-an-ip", "999.1.1.1", "1.2.3", "1.2.3.4.5", "1.2.3.4:22",
	"[::1]", "::g", "-", " 1.2.3.4", "1.2.3.4 ", "0x7f.0.0.1",
	"1.2.3.256", "12345::1::2", "8.8.8.8/24",
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
};

START_TEST(garbage_addresses)
{
	struct omsec_config cfg;
	struct omsec_enrich *e;
	struct omsec_geo g;

	test_config(&cfg);
	e = open_enrich(NULL, NULL, &cfg, 64);
	memset(&g, 0xa5, sizeof g);
	omsec_enrich_lookup(e, &g, omsec_span_cstr(garbage[_i]));
	ck_span(g.zone, "");
	ck_span(g.country, "");
	ck_span(g.city, "");
	ck_span(g.asn, "");
	ck_span(g.as_org, "");
	omsec_enrich_free(e);
}
END_TEST

START_TEST(empty_address)
{
	struct omsec_enrich *e = open_enrich(NULL, NULL, NULL, 64);
	struct omsec_geo g;

	omsec_enrich_lookup(e, &g, OMSEC_SPAN_NULL);
	ck_span(g.zone, "");
	omsec_enrich_free(e);
}
END_TEST

START_TEST(open_errors)
{
	struct omsec_enrich_opts o = OMSEC_ENRICH_OPTS_INIT;
	struct omsec_enrich *e = (struct omsec_enrich *)&o;
	char err[512], path[4200];

	o.geoip_path = "/nonexistent/country.mmdb";
	ck_assert_int_eq(omsec_enrich_open(&e, &o, err, sizeof err), -1);
	ck_assert_ptr_null(e);
	ck_assert_str_eq(err, "/nonexistent/country.mmdb: cannot open");
	/* A file that is not a MaxMind DB at all. */
	snprintf(path, sizeof path, "%s/enrich/site.ini", testdata);
	o.geoip_path = path;
	ck_assert_int_eq(omsec_enrich_open(&e, &o, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "site.ini: "));
	omsec_enrich_free(NULL);
}
END_TEST

START_TEST(cache_counts)
{
	struct omsec_enrich *e = open_enrich(NULL, NULL, NULL, 1024);
	struct omsec_geo g;
	uint64_t hits, misses;
	int i;

	for (i = 0; i < 100; i++)
		omsec_enrich_lookup(e, &g, omsec_span_cstr("8.8.8.8"));
	omsec_enrich_cache_stats(e, &hits, &misses);
	ck_assert_uint_eq(misses, 1);
	ck_assert_uint_eq(hits, 99);
	/* Garbage never reaches the cache. */
	omsec_enrich_lookup(e, &g, omsec_span_cstr("bogus"));
	omsec_enrich_cache_stats(e, &hits, &misses);
	ck_assert_uint_eq(hits + misses, 100);
	omsec_enrich_free(e);
}
END_TEST

START_TEST(cache_one_slot)
{
	/* One slot: alternating addresses always evict each other, and the
	 * result is still right for each. */
	struct omsec_config cfg;
	struct omsec_enrich *e;
	struct omsec_geo g;
	uint64_t hits, misses;
	int i;

	test_config(&cfg);
	e = open_enrich(NULL, NULL, &cfg, 1);
	for (i = 0; i < 10; i++) {
		omsec_enrich_lookup(e, &g, omsec_span_cstr("8.8.8.8"));
		ck_span(g.zone, "external");
		omsec_enrich_lookup(e, &g, omsec_span_cstr("203.0.113.9"));
		ck_span(g.zone, "internal");
	}
	omsec_enrich_cache_stats(e, &hits, &misses);
	ck_assert_uint_eq(hits, 0);
	ck_assert_uint_eq(misses, 20);
	omsec_enrich_free(e);
}
END_TEST

START_TEST(cache_off)
{
	struct omsec_enrich *e = open_enrich(NULL, NULL, NULL, 0);
	struct omsec_geo g;
	uint64_t hits, misses;

	omsec_enrich_lookup(e, &g, omsec_span_cstr("8.8.8.8"));
	omsec_enrich_lookup(e, &g, omsec_span_cstr("8.8.8.8"));
	ck_span(g.zone, "external");
	omsec_enrich_cache_stats(e, &hits, &misses);
	ck_assert_uint_eq(hits + misses, 0);
	omsec_enrich_free(e);
}
END_TEST

START_TEST(stream_basic)
{
	struct omsec_enrich *e = open_enrich(NULL, NULL, NULL, 64);
	char in[4096], want[4096], *out;
	int bad, stop;

	snprintf(in, sizeof in, "#omsec-events\t1\n%s\n"
	    "2026-11-03T02:14:07.000Z\tweb1\tsshd\tauthentication\tlogin"
	    "\tfailure\t2\t10.0.0.5\t-\t-\t-\troot\t-\t-\t-\t-\t-\t-\t-\t-\t-"
	    "\tCN\tBeijing\t4134\tChinanet\t-\t/var/log/auth.log:1\tx\t-\n"
	    "#stats\t/var/log/auth.log\t1\t1\t0\t0\n", V1_FIELDS);
	out = run_stream(e, 0, in, &bad, &stop);
	/* No database: geo fields come through as they were, zone is set. */
	snprintf(want, sizeof want, "#omsec-events\t1\n%s\n"
	    "2026-11-03T02:14:07.000Z\tweb1\tsshd\tauthentication\tlogin"
	    "\tfailure\t2\t10.0.0.5\t-\t-\t-\troot\t-\t-\t-\t-\t-\t-\t-\t-\t-"
	    "\tCN\tBeijing\t4134\tChinanet\tinternal\t/var/log/auth.log:1\tx\t-\n"
	    "#stats\t/var/log/auth.log\t1\t1\t0\t0\n", V1_FIELDS);
	ck_assert_str_eq(out, want);
	ck_assert_int_eq(bad, 0);
	ck_assert_int_eq(stop, 0);
	free(out);
	omsec_enrich_free(e);
}
END_TEST

START_TEST(stream_extra_column_and_two_headers)
{
	struct omsec_enrich *e = open_enrich(NULL, NULL, NULL, 64);
	char want[4096], *out;
	int bad, stop;

	/* Columns found by name: an unknown one in the middle, then a second
	 * header with only three columns in another order. One header out. */
	out = run_stream(e, 0,
	    "#omsec-events\t1\n"
	    "#fields\tts\tsrc_ip\tmystery\tmsg\n"
	    "2026-11-03T02:14:07.000Z\t8.8.8.8\tzz\thello\n"
	    "#omsec-events\t1\n"
	    "#fields\tmsg\tsrc_ip\tts\n"
	    "again\t192.168.1.1\t2026-11-03T02:14:08.000Z\n", &bad, &stop);
	snprintf(want, sizeof want, "#omsec-events\t1\n%s\n"
	    "2026-11-03T02:14:07.000Z\t-\t-\t-\t-\t-\t0\t8.8.8.8\t-\t-\t-\t-"
	    "\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\texternal\t-\thello\t-\n"
	    "2026-11-03T02:14:08.000Z\t-\t-\t-\t-\t-\t0\t192.168.1.1\t-\t-\t-"
	    "\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\tinternal\t-\tagain\t-\n",
	    V1_FIELDS);
	ck_assert_str_eq(out, want);
	ck_assert_int_eq(bad, 0);
	free(out);
	omsec_enrich_free(e);
}
END_TEST

START_TEST(stream_json_drops_comments)
{
	struct omsec_enrich *e = open_enrich(NULL, NULL, NULL, 64);
	char *out;
	int bad, stop;

	out = run_stream(e, 1,
	    "#omsec-events\t1\n"
	    "#fields\tts\tsrc_ip\tmsg\n"
	    "2026-11-03T02:14:07.000Z\t::1\thi\n"
	    "#stats\t-\t1\t1\t0\t0\n", &bad, &stop);
	ck_assert_str_eq(out, "{\"@timestamp\":\"2026-11-03T02:14:07.000Z\","
	    "\"event.severity\":0,\"source.ip\":\"::1\","
	    "\"omsec.source.zone\":\"internal\",\"message\":\"hi\"}\n");
	free(out);
	omsec_enrich_free(e);
}
END_TEST

START_TEST(stream_empty_input)
{
	struct omsec_enrich *e = open_enrich(NULL, NULL, NULL, 64);
	char want[1024], *out;
	int bad, stop;

	out = run_stream(e, 0, "", &bad, &stop);
	snprintf(want, sizeof want, "#omsec-events\t1\n%s\n", V1_FIELDS);
	ck_assert_str_eq(out, want);
	free(out);
	out = run_stream(e, 1, "", &bad, &stop);
	ck_assert_str_eq(out, "");
	free(out);
	omsec_enrich_free(e);
}
END_TEST

START_TEST(stream_malformed_lines)
{
	struct omsec_enrich *e = open_enrich(NULL, NULL, NULL, 64);
	char want[1024], *out;
	int bad, stop;

	out = run_stream(e, 0,
	    "#fields\tts\tsrc_ip\tmsg\n"
	    "2026-11-03T02:14:07.000Z\t8.8.8.8\n"		/* too few */
	    "2026-11-03T02:14:07.000Z\t8.8.8.8\tx\ty\n"	/* too many */
	    "yesterday\t8.8.8.8\tx\n"			/* bad ts */
	    "2026-11-03T02:14:07.000Z\t8.8.8.8\tbad\\q\n"	/* bad escape */
	    "\n"
	    "2026-11-03T02:14:09.000Z\tnot-an-ip\tok\n", &bad, &stop);
	ck_assert_int_eq(bad, 5);
	ck_assert_int_eq(stop, 0);
	snprintf(want, sizeof want, "#omsec-events\t1\n%s\n"
	    "2026-11-03T02:14:09.000Z\t-\t-\t-\t-\t-\t0\tnot-an-ip\t-\t-\t-\t-"
	    "\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\tok\t-\n", V1_FIELDS);
	ck_assert_str_eq(out, want);
	free(out);
	omsec_enrich_free(e);
}
END_TEST

static const char *const not_events[] = {
	"#omsec-ingest\t1\n#source\t/var/log/auth.log\t-\t1764201600\n",
	"#omsec-alerts\t1\n",
	"#omsec-summary\t1\n",
	"#omsec-events\t2\n",
};

START_TEST(stream_refuses_other_formats)
{
	struct omsec_enrich *e = open_enrich(NULL, NULL, NULL, 64);
	char *out;
	int bad, stop;

	out = run_stream(e, 0, not_events[_i], &bad, &stop);
	ck_assert_int_eq(stop, 1);
	free(out);
	omsec_enrich_free(e);
}
END_TEST

/* ---- assets ----------------------------------------------------------- */

/*
 * tests/data/enrich/assets.csv: A-LAN 10.20.0.0/16 holds A-WEB
 * 10.20.1.0/24 and A-DB 10.20.2.10 (also 2001:db8:2::10, inside A-V6
 * 2001:db8::/32); fw01 (10.99.0.1) has no id.
 */
static void
load_assets(struct omsec_assets *as, struct omsec_asset_index *ax)
{
	struct omsec_report_diag diag = { NULL, NULL, 0 };
	char path[4200];

	snprintf(path, sizeof path, "%s/enrich/assets.csv", testdata);
	ck_assert_int_eq(omsec_assets_load(as, ax, path, &diag), 0);
	ck_assert_uint_eq(diag.nbad, 0);
	ck_assert_uint_eq(as->n, 5);
}

static const struct {
	const char *host, *src, *dst, *want;
} asset_cases[] = {
	/* Longest prefix of the target, nested ranges. */
	{ "gw01", "8.8.8.8", "10.20.2.10", "A-DB" },
	{ "gw01", "8.8.8.8", "10.20.1.77", "A-WEB" },
	{ "gw01", "8.8.8.8", "10.20.9.9", "A-LAN" },
	{ "gw01", "8.8.8.8", "2001:db8:2::10", "A-DB" },
	{ "gw01", "8.8.8.8", "2001:db8:ffff::1", "A-V6" },
	{ "gw01", "8.8.8.8", "::ffff:10.20.2.10", "A-DB" },
	/* No match anywhere. */
	{ "gw01", "8.8.8.8", "192.0.2.1", "" },
	{ "", "", "", "" },
	/* A sensor's record of outbound traffic: the internal sender. */
	{ "ids01", "10.20.1.5", "45.33.1.1", "A-WEB" },
	{ "db01", "10.20.1.5", "45.33.1.1", "A-WEB" },
	/* The target beats the logging host. */
	{ "db01", "8.8.8.8", "10.20.1.9", "A-WEB" },
	/* A machine's own log: the host, never the peer it names. */
	{ "db01", "10.20.3.5", "", "A-DB" },
	{ "db02", "10.20.1.5", "", "" },
	/* The host by id, address, first label; a row without id. */
	{ "A-WEB", "", "", "A-WEB" },
	{ "10.20.2.10", "", "", "A-DB" },
	{ "web01.dhb.example", "", "", "A-WEB" },
	{ "web01x.dhb.example", "", "", "" },
	{ "192.0.2.7", "", "", "" },
	{ "fw01", "", "", "fw01" },
};

START_TEST(assets_table)
{
	struct omsec_config cfg;
	struct omsec_assets as;
	struct omsec_asset_index ax;
	struct omsec_enrich *e;
	struct omsec_event ev;

	test_config(&cfg);
	load_assets(&as, &ax);
	e = open_enrich(NULL, NULL, &cfg, 64);
	omsec_enrich_set_assets(e, &ax);
	omsec_event_clear(&ev);
	ev.f[OMSEC_F_HOST] = omsec_span_cstr(asset_cases[_i].host);
	ev.f[OMSEC_F_SRC_IP] = omsec_span_cstr(asset_cases[_i].src);
	ev.f[OMSEC_F_DST_IP] = omsec_span_cstr(asset_cases[_i].dst);
	ev.f[OMSEC_F_ASSET] = OMSEC_SPAN_LIT("stale");
	omsec_enrich_event(e, &ev);
	ck_assert_msg(span_is(ev.f[OMSEC_F_ASSET], asset_cases[_i].want),
	    "host %s src %s dst %s: got '%.*s', want '%s'",
	    asset_cases[_i].host, asset_cases[_i].src, asset_cases[_i].dst,
	    (int)ev.f[OMSEC_F_ASSET].n, ev.f[OMSEC_F_ASSET].p ?
	    ev.f[OMSEC_F_ASSET].p : "", asset_cases[_i].want);
	omsec_enrich_free(e);
	omsec_asset_index_free(&ax);
	omsec_assets_free(&as);
}
END_TEST

START_TEST(assets_source_must_be_internal)
{
	struct omsec_assets as;
	struct omsec_asset_index ax;
	struct omsec_enrich *e = open_enrich(NULL, NULL, NULL, 0);
	struct omsec_event ev;

	/* Without the site's ranges 2001:db8:: is external: an outside
	 * sender that merely looks like an asset is not the subject. */
	load_assets(&as, &ax);
	omsec_enrich_set_assets(e, &ax);
	omsec_event_clear(&ev);
	ev.f[OMSEC_F_SRC_IP] = OMSEC_SPAN_LIT("2001:db8:2::10");
	ev.f[OMSEC_F_DST_IP] = OMSEC_SPAN_LIT("45.33.1.1");
	omsec_enrich_event(e, &ev);
	ck_span(ev.f[OMSEC_F_ZONE], "external");
	ck_span(ev.f[OMSEC_F_ASSET], "");
	ev.f[OMSEC_F_SRC_IP] = OMSEC_SPAN_LIT("10.20.2.10");
	omsec_enrich_event(e, &ev);
	ck_span(ev.f[OMSEC_F_ASSET], "A-DB");
	/* Turned off: the column is left as it came. */
	omsec_enrich_set_assets(e, NULL);
	ev.f[OMSEC_F_ASSET] = OMSEC_SPAN_LIT("kept");
	omsec_enrich_event(e, &ev);
	ck_span(ev.f[OMSEC_F_ASSET], "kept");
	omsec_enrich_free(e);
	omsec_asset_index_free(&ax);
	omsec_assets_free(&as);
}
END_TEST

START_TEST(assets_stream)
{
	struct omsec_assets as;
	struct omsec_asset_index ax;
	struct omsec_enrich *e = open_enrich(NULL, NULL, NULL, 64);
	char *out;
	int bad, stop;

	load_assets(&as, &ax);
	omsec_enrich_set_assets(e, &ax);
	out = run_stream(e, 0,
	    "#fields\tts\thost\tsrc_ip\tdst_ip\tmsg\n"
	    "2026-11-03T02:14:07.000Z\tgw01\t8.8.8.8\t10.20.2.10\tin\n"
	    "2026-11-03T02:14:08.000Z\tgw01\t8.8.8.8\t192.0.2.1\tout\n",
	    &bad, &stop);
	ck_assert_int_eq(bad, 0);
	ck_assert_msg(strstr(out, "\tzone\tref\tmsg\tasset\n") != NULL,
	    "%s", out);
	ck_assert_msg(strstr(out, "\texternal\t-\tin\tA-DB\n") != NULL,
	    "%s", out);
	ck_assert_msg(strstr(out, "\texternal\t-\tout\t-\n") != NULL,
	    "%s", out);
	free(out);
	out = run_stream(e, 1,
	    "#fields\tts\tdst_ip\tmsg\n"
	    "2026-11-03T02:14:07.000Z\t10.20.1.3\tin\n", &bad, &stop);
	ck_assert_msg(strstr(out, "\"omsec.asset.id\":\"A-WEB\"") != NULL,
	    "%s", out);
	free(out);
	omsec_enrich_free(e);
	omsec_asset_index_free(&ax);
	omsec_assets_free(&as);
}
END_TEST

/* The last source is remembered parsed: repeats, garbage after a good
 * one and back must each give what a fresh lookup gives. */
START_TEST(same_source_again)
{
	static const char *const seq[] = { "10.0.0.1", "10.0.0.1", "8.8.8.8",
	    "8.8.8.8", "bogus", "bogus", "8.8.8.8", "", "8.8.8.8",
	    "2001:db8::7", "2001:db8::7", "2001:db8::7x",
	    "1234:5678:9abc:def0:1234:5678:255.255.255.255",
	    "1234:5678:9abc:def0:1234:5678:255.255.255.255x",
	    "::ffff:10.0.0.1", "10.0.0.1" };
	struct omsec_config cfg;
	struct omsec_enrich *e;
	struct omsec_event ev;
	struct omsec_geo g;
	size_t i;

	test_config(&cfg);
	e = open_enrich(NULL, NULL, &cfg, 64);
	for (i = 0; i < sizeof seq / sizeof seq[0]; i++) {
		omsec_event_clear(&ev);
		ev.f[OMSEC_F_SRC_IP] = omsec_span_cstr(seq[i]);
		omsec_enrich_event(e, &ev);
		omsec_enrich_lookup(e, &g, omsec_span_cstr(seq[i]));
		ck_assert_msg(ev.f[OMSEC_F_ZONE].n == g.zone.n &&
		    (g.zone.n == 0 || memcmp(ev.f[OMSEC_F_ZONE].p, g.zone.p,
		    g.zone.n) == 0), "%s (#%zu): zone '%.*s', want '%.*s'",
		    seq[i], i, (int)ev.f[OMSEC_F_ZONE].n,
		    ev.f[OMSEC_F_ZONE].p ? ev.f[OMSEC_F_ZONE].p : "",
		    (int)g.zone.n, g.zone.p ? g.zone.p : "");
	}
	/* And the zones themselves, so that the test cannot pass by both
	 * sides going wrong the same way. */
	omsec_event_clear(&ev);
	ev.f[OMSEC_F_SRC_IP] = OMSEC_SPAN_LIT("203.0.113.7");
	omsec_enrich_event(e, &ev);
	ck_span(ev.f[OMSEC_F_ZONE], "internal");
	omsec_enrich_event(e, &ev);
	ck_span(ev.f[OMSEC_F_ZONE], "internal");
	ev.f[OMSEC_F_SRC_IP] = OMSEC_SPAN_LIT("203.0.114.1");
	omsec_enrich_event(e, &ev);
	ck_span(ev.f[OMSEC_F_ZONE], "external");
	ev.f[OMSEC_F_SRC_IP] = OMSEC_SPAN_LIT("203.0.114.1:");
	omsec_enrich_event(e, &ev);
	ck_span(ev.f[OMSEC_F_ZONE], "");
	omsec_enrich_free(e);
}
END_TEST

/* ---- TSV pass-through -------------------------------------------------- */

/*
 * Lines already in the writer's form are copied but for the filled columns
 * (enrich.c); every other line takes the general read-and-write path.
 * Each case runs both ways: the output must be the same bytes, and the
 * pass-through must have been taken exactly when the case says so.
 */
static const char *const v1_base[OMSEC_F_COUNT] = {
	"2026-11-03T02:14:07.123Z", "db01", "sshd", "authentication", "login",
	"failure", "2", "10.20.1.5", "4242", "45.33.1.1", "22", "root", "sshd",
	"77", "-", "-", "-", "-", "-", "-", "-", "CN", "Beijing", "4134",
	"Chinanet", "-", "auth.log:9", "Failed password for root", "-"
};

/* A version-1 line: v1_base with field f (if >= 0) set to v. */
static void
v1_line(char *buf, size_t cap, int f, const char *v)
{
	size_t n = 0;
	int i;

	for (i = 0; i < OMSEC_F_COUNT; i++) {
		int k = snprintf(buf + n, cap - n, "%s%s", i ? "\t" : "",
		    i == f ? v : v1_base[i]);
		ck_assert(k >= 0 && (size_t)k < cap - n);
		n += (size_t)k;
	}
}

static const struct {
	int f;
	const char *v;
	int passed;
} pass_cases[] = {
	{ -1, NULL, 1 },
	{ OMSEC_F_TS, "2024-02-29T23:59:59.999Z", 1 },
	{ OMSEC_F_TS, "1970-01-01T00:00:00.000Z", 1 },
	/* ts is written from the time read: other spellings change. */
	{ OMSEC_F_TS, "2026-11-03T02:14:07Z", 0 },
	{ OMSEC_F_TS, "2026-11-03T02:14:07.5Z", 0 },
	{ OMSEC_F_TS, "2026-11-03T02:14:07.000+08:00", 0 },
	{ OMSEC_F_TS, "2026-11-03 02:14:07.000Z", 0 },
	{ OMSEC_F_TS, "2026-11-03T02:14:60.000Z", 0 },	/* leap second */
	{ OMSEC_F_TS, "1969-12-31T23:59:59.999Z", 0 },
	/* Malformed: the general path's message. */
	{ OMSEC_F_TS, "2026-11-03T24:00:00.000Z", 0 },
	{ OMSEC_F_TS, "2026-02-29T00:00:00.000Z", 0 },
	{ OMSEC_F_TS, "2026-11-03T02:14:07.12xZ", 0 },
	{ OMSEC_F_TS, "-", 0 },
	/* severity is written as the number read. */
	{ OMSEC_F_SEVERITY, "4", 1 },
	{ OMSEC_F_SEVERITY, "0", 1 },
	{ OMSEC_F_SEVERITY, "-", 0 },
	{ OMSEC_F_SEVERITY, "02", 0 },
	{ OMSEC_F_SEVERITY, "5", 0 },
	/* Escapes to undo, bytes to escape. */
	{ OMSEC_F_MSG, "a\\tb", 0 },
	{ OMSEC_F_MSG, "\\x41", 0 },
	{ OMSEC_F_MSG, "\\x2d", 0 },
	{ OMSEC_F_MSG, "bad\\q", 0 },
	{ OMSEC_F_USER, "a\001b", 0 },
	{ OMSEC_F_URL, "/a\177", 0 },
	{ OMSEC_F_ASSET, "x\r", 0 },
	{ OMSEC_F_MSG, "caf\303\251 \377", 1 },	/* not escaped in TSV */
	/* Empty columns read as empty and are written "-". */
	{ OMSEC_F_USER, "", 0 },
	{ OMSEC_F_TS, "", 0 },
	{ OMSEC_F_ASSET, "", 0 },
	{ OMSEC_F_COUNTRY, "", 0 },
	/* Column counts. */
	{ OMSEC_F_ASSET, "x\tmore", 0 },
	{ OMSEC_F_MSG, "a\t", 0 },
	/* Looked up or filled: IPv6, asset by target, other zone. */
	{ OMSEC_F_SRC_IP, "2001:db8:2::10", 1 },
	{ OMSEC_F_SRC_IP, "-", 1 },
	{ OMSEC_F_DST_IP, "10.20.2.10", 1 },
	{ OMSEC_F_ZONE, "internal", 1 },
};

START_TEST(pass_through_table)
{
	struct omsec_config cfg;
	struct omsec_assets as;
	struct omsec_asset_index ax;
	struct omsec_enrich *e;
	char base[2048], line[2048], in[8192], *fast, *slow;
	int bad, bad2, stop, stop2;
	uint64_t passed, passed2;

	test_config(&cfg);
	load_assets(&as, &ax);
	e = open_enrich(NULL, NULL, &cfg, 64);
	omsec_enrich_set_assets(e, &ax);
	/* After a line of the same day: its date is then known good, and
	 * the checks of the rest of ts are what decides. */
	v1_line(base, sizeof base, -1, NULL);
	v1_line(line, sizeof line, pass_cases[_i].f, pass_cases[_i].v);
	snprintf(in, sizeof in, "#omsec-events\t1\n%s\n%s\n%s\n", V1_FIELDS,
	    base, line);
	fast = run_stream_pass(e, 0, 0, in, &bad, &stop, &passed);
	slow = run_stream_pass(e, 0, 1, in, &bad2, &stop2, &passed2);
	assert_same_text(fast, slow);
	ck_assert_int_eq(bad, bad2);
	ck_assert_uint_eq(passed2, 0);
	ck_assert_msg(passed == 1 + (uint64_t)pass_cases[_i].passed,
	    "'%s': passed %llu, want %d", line, (unsigned long long)passed,
	    1 + pass_cases[_i].passed);
	if (pass_cases[_i].passed)
		/* The filled columns were written, not copied: every case
		 * has an asset (db01's own, or the target or sender's). */
		ck_assert_msg(strstr(fast, "\tA-") != NULL, "%s", fast);
	free(fast);
	free(slow);
	omsec_enrich_free(e);
	omsec_asset_index_free(&ax);
	omsec_assets_free(&as);
}
END_TEST

/* Runs text both ways; returns the count that passed through. */
static uint64_t
same_both_ways(struct omsec_enrich *e, int json, const char *text)
{
	char *fast, *slow;
	int bad, bad2, stop, stop2;
	uint64_t passed, passed2;

	fast = run_stream_pass(e, json, 0, text, &bad, &stop, &passed);
	slow = run_stream_pass(e, json, 1, text, &bad2, &stop2, &passed2);
	assert_same_text(fast, slow);
	ck_assert_int_eq(bad, bad2);
	ck_assert_int_eq(stop, stop2);
	ck_assert_uint_eq(passed2, 0);
	free(fast);
	free(slow);
	return passed;
}

START_TEST(pass_through_stream)
{
	struct omsec_enrich *e = open_enrich(NULL, NULL, NULL, 64);
	char l1[512], l2[512], l3[512], *in, *big;
	size_t cap = 700 * 1024;
	static const char key[] = "0123456789abcdef0123456789abcdef";
	char err[256];

	in = malloc(cap);
	big = malloc(cap);
	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(big);
	/* A day checked once serves its other times; the next day too. */
	v1_line(l1, sizeof l1, OMSEC_F_TS, "2026-11-03T00:00:00.000Z");
	v1_line(l2, sizeof l2, OMSEC_F_TS, "2026-11-03T23:59:59.999Z");
	v1_line(l3, sizeof l3, OMSEC_F_TS, "2026-11-04T12:30:00.001Z");
	snprintf(in, cap, "%s\n%s\n%s\n", l1, l2, l3);
	ck_assert_uint_eq(same_both_ways(e, 0, in), 3);
	/* Columns in another order (or more of them): general path until
	 * a header in the writer's order comes back. */
	snprintf(in, cap, "#fields\tts\tsrc_ip\tmsg\n"
	    "2026-11-03T02:14:07.000Z\t8.8.8.8\thello\n"
	    "%s\n%s\n#stats\t-\t1\t1\t0\t0\n%s\n", V1_FIELDS, l1, l2);
	ck_assert_uint_eq(same_both_ways(e, 0, in), 2);
	snprintf(in, cap, "%s\tmore\n%s\tx\n", V1_FIELDS, l1);
	ck_assert_uint_eq(same_both_ways(e, 0, in), 0);
	/* JSON output: never. */
	snprintf(in, cap, "%s\n", l1);
	ck_assert_uint_eq(same_both_ways(e, 1, in), 0);
	/* A line longer than the output buffer: written piece by piece. */
	memset(big, 'm', 300 * 1024);
	big[300 * 1024] = '\0';
	v1_line(in, cap, OMSEC_F_MSG, big);
	strcat(in, "\n");
	ck_assert_uint_eq(same_both_ways(e, 0, in), 1);
	/* Pseudonymised: src_ip, user and msg change, so never. */
	ck_assert_int_eq(omsec_enrich_pseudonymise(e, key, sizeof key - 1, err,
	    sizeof err), 0);
	snprintf(in, cap, "%s\n%s\n", l1, l2);
	ck_assert_uint_eq(same_both_ways(e, 0, in), 0);
	free(in);
	free(big);
	omsec_enrich_free(e);
}
END_TEST

static Suite *
unit_suite(void)
{
	Suite *s = suite_create("enrich");
	TCase *tc;

	tc = tcase_create("core");
	tcase_add_loop_test(tc, zones_table, 0,
	    (int)(2 * sizeof zone_cases / sizeof zone_cases[0]));
	tcase_add_test(tc, zones_without_config);
	tcase_add_test(tc, same_source_again);
	tcase_add_test(tc, stream_basic);
	tcase_add_test(tc, stream_extra_column_and_two_headers);
	tcase_add_test(tc, stream_json_drops_comments);
	suite_add_tcase(s, tc);

	tc = tcase_create("assets");
	tcase_add_loop_test(tc, assets_table, 0,
	    (int)(sizeof asset_cases / sizeof asset_cases[0]));
	tcase_add_test(tc, assets_source_must_be_internal);
	tcase_add_test(tc, assets_stream);
	suite_add_tcase(s, tc);

	tc = tcase_create("pass-through");
	tcase_add_loop_test(tc, pass_through_table, 0,
	    (int)(sizeof pass_cases / sizeof pass_cases[0]));
	tcase_add_test(tc, pass_through_stream);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_test(tc, cache_counts);
	tcase_add_test(tc, cache_one_slot);
	tcase_add_test(tc, cache_off);
	tcase_add_test(tc, stream_empty_input);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_add_loop_test(tc, garbage_addresses, 0,
	    (int)(sizeof garbage / sizeof garbage[0]));
	tcase_add_test(tc, empty_address);
	tcase_add_test(tc, open_errors);
	tcase_add_test(tc, stream_malformed_lines);
	tcase_add_loop_test(tc, stream_refuses_other_formats, 0,
	    (int)(sizeof not_events / sizeof not_events[0]));
	suite_add_tcase(s, tc);
	return s;
}

/* ---- realdata: MaxMind test databases --------------------------------- */

/*
 * A minimal JSON walker, enough to read MaxMind's source-data files (a list
 * of {"network": {record}} objects) without a JSON library. Values are
 * skipped structurally; only the path asked for is returned, as the raw
 * bytes of a string (without quotes, escapes left as they are) or number.
 */
static const char *
ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
		p++;
	return p;
}

static const char *
skip_string(const char *p)
{
	ck_assert_int_eq(*p, '"');
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\' && p[1])
			p++;
	ck_assert_int_eq(*p, '"');
	return p + 1;
}

static const char *
skip_value(const char *p)
{
	p = ws(p);
	if (*p == '"')
		return skip_string(p);
	if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';

		p = ws(p + 1);
		if (*p == close)
			return p + 1;
		for (;;) {
			if (close == '}') {
				p = ws(skip_string(ws(p)));
				ck_assert_int_eq(*p, ':');
				p++;
			}
			p = ws(skip_value(p));
			if (*p == ',') {
				p = ws(p + 1);
				continue;
			}
			ck_assert_int_eq(*p, close);
			return p + 1;
		}
	}
	while (*p && strchr(",}] \n\r\t", *p) == NULL)
		p++;
	return p;
}

/* Finds path in the object at p; 1 and the raw value bytes, or 0. */
static int
json_get(const char *p, const char *const *path, struct omsec_span *out)
{
	p = ws(p);
	if (*p != '{')
		return 0;
	p = ws(p + 1);
	while (*p == '"') {
		const char *k = p + 1, *v;
		size_t kn;

		p = skip_string(p);
		kn = (size_t)(p - 1 - k);
		p = ws(p);
		ck_assert_int_eq(*p, ':');
		v = ws(p + 1);
		if (strlen(path[0]) == kn && memcmp(k, path[0], kn) == 0) {
			if (path[1] != NULL)
				return json_get(v, path + 1, out);
			if (*v == '"') {
				const char *end = skip_string(v);
				*out = omsec_span_make(v + 1,
				    (size_t)(end - v - 2));
			} else
				*out = omsec_span_make(v,
				    (size_t)(skip_value(v) - v));
			return 1;
		}
		p = ws(skip_value(v));
		if (*p == ',')
			p = ws(p + 1);
	}
	return 0;
}

static void
maxmind_path(char *buf, size_t cap, const char *dir, const char *file)
{
	snprintf(buf, cap, "%s/maxmind/%s/%s", realdata, dir, file);
}

/*
 * Checks every record of a source-data JSON file against lookups of the
 * first address of its network. Records whose network is private are
 * internal and skipped. Returns the number of records checked.
 */
static int
check_all_records(const char *json_name, const char *db_name, int asn_db)
{
	static const char *const p_cc[] = { "country", "iso_code", NULL };
	static const char *const p_city[] = { "city", "names", "en", NULL };
	static const char *const p_asn[] = { "autonomous_system_number", NULL };
	static const char *const p_org[] = { "autonomous_system_organization",
	    NULL };
	char jpath[4200], dpath[4200];
	struct omsec_enrich *e;
	char *text;
	const char *p;
	int checked = 0;

	maxmind_path(jpath, sizeof jpath, "source-data", json_name);
	maxmind_path(dpath, sizeof dpath, "test-data", db_name);
	text = slurp(jpath, NULL);
	ck_assert_msg(text != NULL, "cannot read %s", jpath);
	e = asn_db ? open_enrich(NULL, dpath, NULL, 256) :
	    open_enrich(dpath, NULL, NULL, 256);
	p = ws(text);
	ck_assert_int_eq(*p, '[');
	p = ws(p + 1);
	while (*p == '{') {
		const char *rec_start = p, *k, *v;
		struct omsec_span want;
		struct omsec_ip ip;
		struct omsec_geo g;
		char net[64];
		size_t kn;

		p = ws(p + 1);
		k = p + 1;
		p = skip_string(p);
		kn = (size_t)(p - 1 - k);
		p = ws(p);
		ck_assert_int_eq(*p, ':');
		v = ws(p + 1);
		p = ws(skip_value(rec_start));
		if (*p == ',')
			p = ws(p + 1);

		ck_assert_uint_lt(kn, sizeof net);
		memcpy(net, k, kn);
		net[kn] = '\0';
		*strchr(net, '/') = '\0';
		ck_assert_int_eq(omsec_ip_parse(&ip, omsec_span_cstr(net)), 0);
		if (omsec_ip_is_private(&ip))
			continue;
		omsec_enrich_lookup_ip(e, &g, &ip);
		ck_span(g.zone, "external");
		if (asn_db) {
			char num[32];

			if (!json_get(v, p_asn, &want))
				want = OMSEC_SPAN_NULL;
			omsec_span_copy(num, sizeof num, want);
			ck_assert_msg(span_is(g.asn, num), "%s: asn '%.*s' "
			    "want '%s'", net, (int)g.asn.n, g.asn.p, num);
			if (!json_get(v, p_org, &want))
				want = OMSEC_SPAN_NULL;
			ck_assert_msg(g.as_org.n == want.n && (want.n == 0 ||
			    memcmp(g.as_org.p, want.p, want.n) == 0),
			    "%s: as_org '%.*s' want '%.*s'", net,
			    (int)g.as_org.n, g.as_org.p, (int)want.n, want.p);
		} else {
			if (!json_get(v, p_cc, &want))
				want = OMSEC_SPAN_NULL;
			ck_assert_msg(g.country.n == want.n && (want.n == 0 ||
			    memcmp(g.country.p, want.p, want.n) == 0),
			    "%s: country '%.*s' want '%.*s'", net,
			    (int)g.country.n, g.country.p, (int)want.n,
			    want.p);
			if (!json_get(v, p_city, &want))
				want = OMSEC_SPAN_NULL;
			/* Names with JSON escapes would differ in bytes;
			 * the test data has none (checked: no backslash). */
			ck_assert_ptr_null(memchr(want.p ? want.p : "", '\\',
			    want.n));
			ck_assert_msg(g.city.n == want.n && (want.n == 0 ||
			    memcmp(g.city.p, want.p, want.n) == 0),
			    "%s: city '%.*s' want '%.*s'", net,
			    (int)g.city.n, g.city.p, (int)want.n, want.p);
		}
		checked++;
	}
	omsec_enrich_free(e);
	free(text);
	return checked;
}

START_TEST(city_all_records)
{
	ck_assert_int_ge(check_all_records("GeoIP2-City-Test.json",
	    "GeoIP2-City-Test.mmdb", 0), 200);
}
END_TEST

START_TEST(country_all_records)
{
	ck_assert_int_ge(check_all_records("GeoLite2-Country-Test.json",
	    "GeoLite2-Country-Test.mmdb", 0), 200);
}
END_TEST

START_TEST(asn_all_records)
{
	ck_assert_int_ge(check_all_records("GeoLite2-ASN-Test.json",
	    "GeoLite2-ASN-Test.mmdb", 1), 100);
}
END_TEST

static const struct {
	const char *ip, *country, *city, *asn, *org;
} named_cases[] = {
	{ "81.2.69.142", "GB", "London", "", "" },
	{ "216.160.83.56", "US", "Milton", "209", "" },
	{ "1.128.0.1", "", "", "1221", "Telstra Pty Ltd" },
	{ "89.160.20.112", "SE", "Link\xc3\xb6ping", "29518", "Bredband2 AB" },
	{ "2001:480:10::1", "US", "San Diego", "", "" },
	{ "::ffff:81.2.69.142", "GB", "London", "", "" },
	{ "8.8.8.8", "", "", "", "" },		/* in neither database */
	{ "2001:4860:4860::8888", "", "", "", "" },
};

START_TEST(city_and_asn_named)
{
	char city[4200], asn[4200];
	struct omsec_enrich *e;
	struct omsec_geo g;

	maxmind_path(city, sizeof city, "test-data", "GeoIP2-City-Test.mmdb");
	maxmind_path(asn, sizeof asn, "test-data", "GeoLite2-ASN-Test.mmdb");
	e = open_enrich(city, asn, NULL, (size_t)(_i % 2) * 16);
	ck_assert_int_eq(omsec_enrich_kind(e, 0), OMSEC_GEODB_GEOIP2);
	ck_assert_int_eq(omsec_enrich_kind(e, 1), OMSEC_GEODB_ASN);
	/* Twice, so that the second answer comes from the cache. */
	omsec_enrich_lookup(e, &g, omsec_span_cstr(named_cases[_i / 2].ip));
	omsec_enrich_lookup(e, &g, omsec_span_cstr(named_cases[_i / 2].ip));
	ck_span(g.country, named_cases[_i / 2].country);
	ck_span(g.city, named_cases[_i / 2].city);
	ck_span(g.asn, named_cases[_i / 2].asn);
	ck_span(g.as_org, named_cases[_i / 2].org);
	ck_span(g.zone, "external");
	omsec_enrich_free(e);
}
END_TEST

START_TEST(internal_not_looked_up)
{
	/* 81.2.69.170 is GB/London in the City test database, but site.ini
	 * makes 81.2.69.160/27 internal: no geolocation for it. */
	struct omsec_config cfg;
	struct omsec_enrich *e;
	struct omsec_geo g;
	char city[4200];

	test_config(&cfg);
	maxmind_path(city, sizeof city, "test-data", "GeoIP2-City-Test.mmdb");
	e = open_enrich(city, NULL, &cfg, 16);
	omsec_enrich_lookup(e, &g, omsec_span_cstr("81.2.69.170"));
	ck_span(g.zone, "internal");
	ck_span(g.country, "");
	ck_span(g.city, "");
	omsec_enrich_free(e);
	e = open_enrich(city, NULL, NULL, 16);
	omsec_enrich_lookup(e, &g, omsec_span_cstr("81.2.69.170"));
	ck_span(g.zone, "external");
	ck_span(g.country, "GB");
	ck_span(g.city, "London");
	omsec_enrich_free(e);
}
END_TEST

START_TEST(golden_stream)
{
	struct omsec_config cfg;
	struct omsec_enrich *e;
	char city[4200], asn[4200], path[4200], *in, *want, *out;
	int bad, stop;
	int json = _i;

	test_config(&cfg);
	maxmind_path(city, sizeof city, "test-data", "GeoIP2-City-Test.mmdb");
	maxmind_path(asn, sizeof asn, "test-data", "GeoLite2-ASN-Test.mmdb");
	e = open_enrich(city, asn, &cfg, 4096);
	snprintf(path, sizeof path, "%s/enrich/events.tsv", testdata);
	in = slurp(path, NULL);
	ck_assert_ptr_nonnull(in);
	snprintf(path, sizeof path, "%s/enrich/expected.%s", testdata,
	    json ? "json" : "tsv");
	want = slurp(path, NULL);
	ck_assert_ptr_nonnull(want);
	out = run_stream(e, json, in, &bad, &stop);
	ck_assert_int_eq(bad, 0);
	ck_assert_int_eq(stop, 0);
	assert_same_text(out, want);
	free(in);
	free(want);
	free(out);
	omsec_enrich_free(e);
}
END_TEST

START_TEST(wrong_kind_of_file)
{
	/* The JSON source of a database is not a database. */
	struct omsec_enrich_opts o = OMSEC_ENRICH_OPTS_INIT;
	struct omsec_enrich *e;
	char path[4200], err[512];

	maxmind_path(path, sizeof path, "source-data", "GeoLite2-ASN-Test.json");
	o.asn_path = path;
	ck_assert_int_eq(omsec_enrich_open(&e, &o, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "GeoLite2-ASN-Test.json: "));
}
END_TEST

static Suite *
realdata_suite(void)
{
	Suite *s = suite_create("enrich-realdata");
	TCase *tc;

	tc = tcase_create("core");
	tcase_add_test(tc, city_all_records);
	tcase_add_test(tc, country_all_records);
	tcase_add_test(tc, asn_all_records);
	tcase_add_loop_test(tc, city_and_asn_named, 0,
	    (int)(2 * sizeof named_cases / sizeof named_cases[0]));
	tcase_add_test(tc, internal_not_looked_up);
	tcase_add_loop_test(tc, golden_stream, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_add_test(tc, wrong_kind_of_file);
	suite_add_tcase(s, tc);
	return s;
}

/* ---- iplocdb: the default database ------------------------------------ */

static const struct {
	const char *ip, *country;
} iploc_cases[] = {
	{ "8.8.8.8", "US" },
	{ "1.1.1.1", "AU" },
	{ "2001:4860:4860::8888", "US" },
	{ "::ffff:8.8.8.8", "US" },
	{ "10.0.0.1", "" },		/* internal: not looked up */
};

START_TEST(iploc_lookup)
{
	struct omsec_enrich *e = open_enrich(OMSEC_GEOIP_DEFAULT_DB, NULL,
	    NULL, (size_t)(_i % 2) * 64);
	struct omsec_geo g;

	/* Recognised by record shape: its metadata type is "country ipvAll". */
	ck_assert_int_eq(omsec_enrich_kind(e, 0), OMSEC_GEODB_CC);
	omsec_enrich_lookup(e, &g, omsec_span_cstr(iploc_cases[_i / 2].ip));
	ck_span(g.country, iploc_cases[_i / 2].country);
	ck_span(g.city, "");
	ck_span(g.asn, "");
	omsec_enrich_free(e);
}
END_TEST

static Suite *
iplocdb_suite(void)
{
	Suite *s = suite_create("enrich-iplocdb");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, iploc_lookup, 0,
	    (int)(2 * sizeof iploc_cases / sizeof iploc_cases[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "unit";
	const char *rd = getenv("OMSEC_REALDATA");
	const char *td = getenv("OMSEC_TEST_DATA");
	SRunner *sr;
	Suite *s;
	int failed;
	char probe[4200];

	snprintf(realdata, sizeof realdata, "%s", rd ? rd : "");
	snprintf(testdata, sizeof testdata, "%s", td ? td : "tests/data");
	if (strcmp(mode, "unit") == 0)
		s = unit_suite();
	else if (strcmp(mode, "realdata") == 0) {
		maxmind_path(probe, sizeof probe, "test-data",
		    "GeoIP2-City-Test.mmdb");
		if (rd == NULL || access(probe, R_OK) != 0) {
			printf("SKIP: no %s\n", probe);
			return 77;
		}
		s = realdata_suite();
	} else if (strcmp(mode, "iplocdb") == 0) {
		if (access(OMSEC_GEOIP_DEFAULT_DB, R_OK) != 0) {
			printf("SKIP: no %s; run scripts/fetch-geoip.sh\n",
			    OMSEC_GEOIP_DEFAULT_DB);
			return 77;
		}
		s = iplocdb_suite();
	} else {
		fprintf(stderr, "usage: check_enrich [unit|realdata|iplocdb]\n");
		return 2;
	}
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
