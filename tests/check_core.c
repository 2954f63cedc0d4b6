/*
 * check_core.c - unit tests of the shared core library.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "event.h"
#include "ipaddr.h"
#include "otime.h"
#include "out.h"
#include "reader.h"
#include "strnum.h"

/* Runs fn's output through an omsec_out into a string. */
static char captured[1 << 16];

static const char *
capture_begin(int *fd)
{
	FILE *f = tmpfile();
	ck_assert_ptr_nonnull(f);
	*fd = dup(fileno(f));
	fclose(f);
	return NULL;
}

static const char *
capture_end(int fd, struct omsec_out *o)
{
	ssize_t n;

	ck_assert_int_eq(omsec_out_flush(o), 0);
	omsec_out_close(o);
	lseek(fd, 0, SEEK_SET);
	n = read(fd, captured, sizeof(captured) - 1);
	ck_assert_int_ge(n, 0);
	captured[n] = '\0';
	close(fd);
	return captured;
}

typedef void (*escaper)(struct omsec_out *, struct omsec_span);

/* The text an escaper writes for in[0..inlen). */
static const char *
ESCAPE(escaper fn, const char *in, size_t inlen)
{
	int fd;
	struct omsec_out *o;

	capture_begin(&fd);
	o = omsec_out_new_fd(fd);
	fn(o, omsec_span_make(in, inlen));
	return capture_end(fd, o);
}

/* The TSV line omsec_event_write_tsv writes for ev. */
static const char *
tsv_of(const struct omsec_event *ev)
{
	int fd;
	struct omsec_out *o;

	capture_begin(&fd);
	o = omsec_out_new_fd(fd);
	omsec_event_write_tsv(o, ev);
	return capture_end(fd, o);
}

START_TEST(strtonum_cases)
{
	int64_t v = 7;

	ck_assert_int_eq(omsec_strtonum(&v, OMSEC_SPAN_LIT("1234"), 0, 10000), 0);
	ck_assert_int_eq(v, 1234);
	ck_assert_int_eq(omsec_strtonum(&v, OMSEC_SPAN_LIT("-9223372036854775808"),
	    INT64_MIN, 0), 0);
	ck_assert(v == INT64_MIN);
	ck_assert_int_eq(omsec_strtonum(&v, OMSEC_SPAN_LIT("9223372036854775808"),
	    0, INT64_MAX), -1);
	ck_assert_int_eq(omsec_strtonum(&v, OMSEC_SPAN_LIT("12a"), 0, 100), -1);
	ck_assert_int_eq(omsec_strtonum(&v, OMSEC_SPAN_LIT(""), 0, 100), -1);
	ck_assert_int_eq(omsec_strtonum(&v, OMSEC_SPAN_LIT("101"), 0, 100), -1);
	ck_assert_int_eq(omsec_strtonum(&v, OMSEC_SPAN_LIT("-"), -5, 100), -1);
	ck_assert_int_eq(omsec_parse_duration(&v, OMSEC_SPAN_LIT("2h")), 0);
	ck_assert_int_eq(v, 7200);
	ck_assert_int_eq(omsec_parse_duration(&v, OMSEC_SPAN_LIT("10m")), 0);
	ck_assert_int_eq(v, 600);
	ck_assert_int_eq(omsec_parse_duration(&v, OMSEC_SPAN_LIT("45")), 0);
	ck_assert_int_eq(v, 45);
	ck_assert_int_eq(omsec_parse_duration(&v, OMSEC_SPAN_LIT("h")), -1);
}
END_TEST

START_TEST(tsv_escape_roundtrip)
{
	static const char raw[] = "a\tb\nc\\d\re\x01\x7f-";
	const char *e = ESCAPE(omsec_out_tsv, raw, sizeof(raw) - 1);
	char buf[64];
	long n;

	ck_assert_str_eq(e, "a\\tb\\nc\\\\d\\re\\x01\\x7f-");
	strcpy(buf, e);
	n = omsec_tsv_unescape(buf, strlen(buf));
	ck_assert_int_eq(n, sizeof(raw) - 1);
	ck_assert_mem_eq(buf, raw, sizeof(raw) - 1);
	ck_assert_str_eq(ESCAPE(omsec_out_tsv, "", 0), "-");
	ck_assert_str_eq(ESCAPE(omsec_out_tsv, "-", 1), "\\x2d");
	strcpy(buf, "\\x2d");
	ck_assert_int_eq(omsec_tsv_unescape(buf, 4), 1);
	ck_assert_int_eq(buf[0], '-');
	strcpy(buf, "-");
	ck_assert_int_eq(omsec_tsv_unescape(buf, 1), 0);
}
END_TEST

START_TEST(tsv_unescape_bad)
{
	static const char *const bad[] = { "ab\\", "\\q", "\\x4", "\\xZZ", "x\\x" };
	char buf[16];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strcpy(buf, bad[i]);
		ck_assert_int_eq(omsec_tsv_unescape(buf, strlen(buf)), -1);
	}
}
END_TEST

START_TEST(json_escape)
{
	/* quote, backslash, control, U+2028, invalid byte, valid CJK */
	static const char raw[] = "\"\\\x01\xe2\x80\xa8\xff中";
	ck_assert_str_eq(ESCAPE(omsec_out_json, raw, sizeof(raw) - 1),
	    "\\\"\\\\\\u0001\\u2028\xef\xbf\xbd中");
	/* overlong encoding of '/' and a UTF-16 surrogate are invalid */
	ck_assert_str_eq(ESCAPE(omsec_out_json, "\xc0\xaf", 2),
	    "\xef\xbf\xbd\xef\xbf\xbd");
	ck_assert_str_eq(ESCAPE(omsec_out_json, "\xed\xa0\x80", 3),
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}
END_TEST

START_TEST(csv_escape)
{
	ck_assert_str_eq(ESCAPE(omsec_out_csv, "plain", 5), "plain");
	ck_assert_str_eq(ESCAPE(omsec_out_csv, "a,\"b\"", 5), "\"a,\"\"b\"\"\"");
	ck_assert_str_eq(ESCAPE(omsec_out_csv, "=1+2", 4), "\"'=1+2\"");
	ck_assert_str_eq(ESCAPE(omsec_out_csv, "@SUM(A1)", 8), "\"'@SUM(A1)\"");
}
END_TEST

START_TEST(term_escape)
{
	char buf[32];

	ck_assert_str_eq(omsec_term_escape(buf, sizeof(buf),
	    OMSEC_SPAN_LIT("ok\x1b[2Jx\xc2\x9b中")), "ok\\x1b[2Jx\\xc2\\x9b中");
	omsec_term_escape(buf, 10, OMSEC_SPAN_LIT("abcdefghijklmnop"));
	ck_assert_uint_le(strlen(buf), 9);
	ck_assert_ptr_nonnull(strstr(buf, "..."));
}
END_TEST

/* Writes data to a temp file and returns an fd at its start. */
static int
temp_with(const char *data, size_t n)
{
	FILE *f = tmpfile();
	int fd;

	ck_assert_ptr_nonnull(f);
	fd = dup(fileno(f));
	fclose(f);
	ck_assert_int_eq(write(fd, data, n), (ssize_t)n);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

START_TEST(reader_lines)
{
	static const char data[] = "one\r\n\ntwo\0x\nlast";
	int fd = temp_with(data, sizeof(data) - 1), tr;
	struct omsec_reader *r = omsec_reader_new_fd(fd);
	char *l;
	size_t n;

	ck_assert_int_eq(omsec_reader_next(r, &l, &n, &tr), 1);
	ck_assert_uint_eq(n, 4);
	ck_assert_mem_eq(l, "one\r", 4);
	ck_assert_int_eq(omsec_reader_next(r, &l, &n, &tr), 1);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(omsec_reader_next(r, &l, &n, &tr), 1);
	ck_assert_uint_eq(n, 5);
	ck_assert_mem_eq(l, "two\0x", 5);
	ck_assert_int_eq(omsec_reader_next(r, &l, &n, &tr), 1);
	ck_assert_uint_eq(n, 4);
	ck_assert_mem_eq(l, "last", 4);
	ck_assert_int_eq(omsec_reader_next(r, &l, &n, &tr), 0);
	ck_assert_int_eq(omsec_reader_next(r, &l, &n, &tr), 0);
	ck_assert_uint_eq(omsec_reader_lineno(r), 4);
	omsec_reader_free(r);
	close(fd);
}
END_TEST

/* A source that hands out its bytes a few at a time: lines straddle the
 * reader's refills. */
struct drip {
	const char *p;
	size_t n, at, step;
};

static long
drip_read(void *ctx, char *buf, size_t cap)
{
	struct drip *d = ctx;
	size_t k = d->n - d->at;

	d->step = d->step % 37 + 1;
	if (k > d->step)
		k = d->step;
	if (k > cap)
		k = cap;
	memcpy(buf, d->p + d->at, k);
	d->at += k;
	return (long)k;
}

/*
 * omsec_reader_next_plain gives the lines omsec_reader_next gives, and
 * calls a line plain only when omsec_tsv_plain does; read in one piece,
 * every line ended by '\n' gets the exact answer. omsec_tsv_plain_prefix
 * stops at the first byte a byte loop stops at.
 */
START_TEST(reader_plain)
{
	static const char odd[] = { '\t', '\\', 0x01, 0x7f, '\r', (char)0xc3 };
	static char data[64 * 1024];
	size_t n = 0, len, len2, k, want;
	uint32_t seed = 12345;
	struct omsec_reader *r, *r2;
	struct drip d = { data, 0, 0, 0 };
	char *l, *l2;
	int tr, tr2, plain, fd, fd2, pass, lines = 0, plains = 0;

	while (n < sizeof(data) - 200) {
		size_t ll = (seed = seed * 1103515245 + 12345) >> 16 & 127;
		for (k = 0; k < ll; k++)
			data[n + k] = (char)('a' + k % 26);
		seed = seed * 1103515245 + 12345;
		if ((seed >> 16 & 1) && ll > 0)
			data[n + (seed >> 8) % ll] = odd[(seed >> 20) % sizeof(odd)];
		n += ll;
		data[n++] = '\n';
	}
	memcpy(data + n, "last", 4);	/* no '\n' at the end */
	n += 4;
	for (k = 0; k < n; k += 7) {
		for (want = k; want < n; want++)
			if (data[want] == '\\' || data[want] == 0x7f ||
			    (unsigned char)data[want] < 0x20)
				break;
		ck_assert_uint_eq(omsec_tsv_plain_prefix(data + k, n - k),
		    want - k);
	}
	d.n = n;
	for (pass = 0; pass < 2; pass++) {
		fd = temp_with(data, n);
		fd2 = temp_with(data, n);
		r = pass ? omsec_reader_new_fn(drip_read, &d) :
		    omsec_reader_new_fd(fd);
		r2 = omsec_reader_new_fd(fd2);
		while (omsec_reader_next_plain(r, &l, &len, &tr, &plain) == 1) {
			struct omsec_span s = omsec_span_make(l, len);
			ck_assert_int_eq(omsec_reader_next(r2, &l2, &len2, &tr2), 1);
			ck_assert_uint_eq(len, len2);
			ck_assert_mem_eq(l, l2, len);
			if (plain)
				ck_assert(omsec_tsv_plain(s));
			else if (pass == 0 && !omsec_span_eq(s, "last"))
				ck_assert(!omsec_tsv_plain(s));
			lines++;
			plains += plain;
		}
		ck_assert_int_eq(omsec_reader_next(r2, &l2, &len2, &tr2), 0);
		omsec_reader_free(r);
		omsec_reader_free(r2);
		close(fd);
		close(fd2);
	}
	ck_assert_int_gt(plains, lines / 4);
}
END_TEST

START_TEST(reader_long_line)
{
	size_t big = 3 * 1024 * 1024;
	char *data = malloc(big + 16);
	int fd, tr;
	struct omsec_reader *r;
	char *l;
	size_t n;

	memset(data, 'A', big);
	memcpy(data + big, "\nnext\n", 6);
	fd = temp_with(data, big + 6);
	r = omsec_reader_new_fd(fd);
	ck_assert_int_eq(omsec_reader_next(r, &l, &n, &tr), 1);
	ck_assert_int_eq(tr, 1);
	ck_assert_uint_eq(n, OMSEC_READER_BUFSZ - 1);
	ck_assert_int_eq(omsec_reader_next(r, &l, &n, &tr), 1);
	ck_assert_int_eq(tr, 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_mem_eq(l, "next", 4);
	ck_assert_int_eq(omsec_reader_next(r, &l, &n, &tr), 0);
	ck_assert_uint_eq(omsec_reader_lineno(r), 2);
	omsec_reader_free(r);
	close(fd);

	/* A line of exactly the limit is whole, one byte more is cut. */
	for (size_t extra = 0; extra < 2; extra++) {
		size_t n1 = OMSEC_READER_BUFSZ - 1 + extra;
		memset(data, 'B', n1);
		data[n1] = '\n';
		fd = temp_with(data, n1 + 1);
		r = omsec_reader_new_fd(fd);
		ck_assert_int_eq(omsec_reader_next(r, &l, &n, &tr), 1);
		ck_assert_int_eq(tr, (int)extra);
		ck_assert_uint_eq(n, OMSEC_READER_BUFSZ - 1);
		ck_assert_int_eq(omsec_reader_next(r, &l, &n, &tr), 0);
		omsec_reader_free(r);
		close(fd);
	}
	free(data);
}
END_TEST

START_TEST(civil_days)
{
	int y, m, d;

	ck_assert_int_eq(omsec_days_from_civil(1970, 1, 1), 0);
	ck_assert_int_eq(omsec_days_from_civil(2000, 3, 1), 11017);
	ck_assert_int_eq(omsec_days_from_civil(2026, 11, 27), 20784);
	omsec_civil_from_days(20784, &y, &m, &d);
	ck_assert_int_eq(y, 2026);
	ck_assert_int_eq(m, 11);
	ck_assert_int_eq(d, 27);
	omsec_civil_from_days(-1, &y, &m, &d);
	ck_assert_int_eq(y * 10000 + m * 100 + d, 19691231);
	ck_assert_int_eq(omsec_weekday(20784), 5);	/* a Friday */
	ck_assert_int_eq(omsec_weekday(-1), 3);		/* 1969-12-31 Wed */
}
END_TEST

static const struct {
	const char *in;
	int rc;
	const char *out;
} iso_cases[] = {
	{ "2026-11-03T02:14:07Z", 0, "2026-11-03T02:14:07.000Z" },
	{ "2026-11-03 02:14:07.123456+08:00", 0, "2026-11-02T18:14:07.123Z" },
	{ "2026-11-03T02:14:07.5-0230", 0, "2026-11-03T04:44:07.500Z" },
	{ "2024-02-29T23:59:60+00", 0, "2024-02-29T23:59:59.000Z" },
	{ "2026-11-03T02:14:07", 0, "2026-11-03T02:14:07.000Z" },
	{ "2025-02-29T00:00:00Z", -1, NULL },
	{ "2026-13-03T02:14:07Z", -1, NULL },
	{ "2026-11-03T24:00:00Z", -1, NULL },
	{ "2026-11-03T02:14:07.Z", -1, NULL },
	{ "2026-11-03T02:14:07+8", -1, NULL },
	{ "2026-11-03", -1, NULL },
	{ "Nov  3 02:14:07 host", -1, NULL },
};

START_TEST(iso_parse)
{
	int64_t ms;
	int had;
	char buf[25];
	int rc = omsec_parse_iso(&ms, &had, omsec_span_cstr(iso_cases[_i].in));

	ck_assert_msg(rc == iso_cases[_i].rc, "%s", iso_cases[_i].in);
	if (rc == 0) {
		omsec_format_iso(buf, ms);
		ck_assert_str_eq(buf, iso_cases[_i].out);
	}
}
END_TEST

START_TEST(tz_shanghai)
{
	struct omsec_tz *tz = omsec_tz_new("Asia/Shanghai");
	struct omsec_civil c = { 2026, 11, 3, 2, 14, 7, 0 };
	char buf[25];

	ck_assert_ptr_nonnull(tz);
	omsec_format_iso(buf, omsec_tz_local_to_utc(tz, &c));
	ck_assert_str_eq(buf, "2026-11-02T18:14:07.000Z");
	ck_assert_int_eq(omsec_tz_offset_at(tz, 0), 8 * 3600);
	omsec_tz_free(tz);
	ck_assert_ptr_null(omsec_tz_new("Mars/Olympus"));
	ck_assert_ptr_null(omsec_tz_new("../../etc/passwd"));
	tz = omsec_tz_new("-05:30");
	ck_assert_ptr_nonnull(tz);
	omsec_format_iso(buf, omsec_tz_local_to_utc(tz, &c));
	ck_assert_str_eq(buf, "2026-11-03T07:44:07.000Z");
	omsec_tz_free(tz);
}
END_TEST

START_TEST(tz_dst)
{
	/* New York left DST on 2026-11-01 at 02:00 local (06:00Z). */
	struct omsec_tz *tz = omsec_tz_new("America/New_York");
	struct omsec_civil before = { 2026, 10, 31, 12, 0, 0, 0 };
	struct omsec_civil after = { 2026, 11, 2, 12, 0, 0, 0 };
	char buf[25];

	ck_assert_ptr_nonnull(tz);
	omsec_format_iso(buf, omsec_tz_local_to_utc(tz, &before));
	ck_assert_str_eq(buf, "2026-10-31T16:00:00.000Z");
	omsec_format_iso(buf, omsec_tz_local_to_utc(tz, &after));
	ck_assert_str_eq(buf, "2026-11-02T17:00:00.000Z");
	omsec_tz_free(tz);
}
END_TEST

START_TEST(ip_parse)
{
	struct omsec_ip ip;
	struct omsec_cidr c;

	ck_assert_int_eq(omsec_ip_parse(&ip, OMSEC_SPAN_LIT("203.0.113.9")), 0);
	ck_assert_int_eq(ip.v4, 1);
	ck_assert_int_eq(ip.b[15], 9);
	ck_assert_int_eq(omsec_ip_is_private(&ip), 0);
	ck_assert_int_eq(omsec_ip_parse(&ip, OMSEC_SPAN_LIT("999.1.1.1")), -1);
	ck_assert_int_eq(omsec_ip_parse(&ip, OMSEC_SPAN_LIT("1.2.3")), -1);
	ck_assert_int_eq(omsec_ip_parse(&ip, OMSEC_SPAN_LIT("")), -1);
	ck_assert_int_eq(omsec_ip_parse(&ip, OMSEC_SPAN_LIT("fe80::1%eth0")), 0);
	ck_assert_int_eq(omsec_ip_is_private(&ip), 1);
	ck_assert_int_eq(omsec_ip_parse(&ip, OMSEC_SPAN_LIT("::ffff:10.1.2.3")), 0);
	ck_assert_int_eq(ip.v4, 1);
	ck_assert_int_eq(omsec_ip_is_private(&ip), 1);
	ck_assert_int_eq(omsec_ip_parse(&ip, OMSEC_SPAN_LIT("172.31.255.255")), 0);
	ck_assert_int_eq(omsec_ip_is_private(&ip), 1);
	ck_assert_int_eq(omsec_ip_parse(&ip, OMSEC_SPAN_LIT("172.32.0.1")), 0);
	ck_assert_int_eq(omsec_ip_is_private(&ip), 0);
	ck_assert_int_eq(omsec_cidr_parse(&c, OMSEC_SPAN_LIT("58.33.0.0/16")), 0);
	ck_assert_int_eq(omsec_ip_parse(&ip, OMSEC_SPAN_LIT("58.33.200.1")), 0);
	ck_assert_int_eq(omsec_cidr_contains(&c, &ip), 1);
	ck_assert_int_eq(omsec_ip_parse(&ip, OMSEC_SPAN_LIT("58.34.0.1")), 0);
	ck_assert_int_eq(omsec_cidr_contains(&c, &ip), 0);
	ck_assert_int_eq(omsec_cidr_parse(&c, OMSEC_SPAN_LIT("2001:db8::/33")), 0);
	ck_assert_int_eq(omsec_ip_parse(&ip, OMSEC_SPAN_LIT("2001:db8:7fff::1")), 0);
	ck_assert_int_eq(omsec_cidr_contains(&c, &ip), 1);
	ck_assert_int_eq(omsec_ip_parse(&ip, OMSEC_SPAN_LIT("2001:db8:8000::1")), 0);
	ck_assert_int_eq(omsec_cidr_contains(&c, &ip), 0);
	ck_assert_int_eq(omsec_cidr_parse(&c, OMSEC_SPAN_LIT("10.0.0.0/33")), -1);
}
END_TEST

/*
 * Dotted quads are read without inet_pton: the verdict and the bytes must
 * be inet_pton's for every string of digits and dots (leading zeros, parts
 * over 255, empty parts, too many or too few parts), here the tricky ones
 * and then random ones.
 */
static void
ip_like_pton(const char *t)
{
	struct omsec_ip ip;
	unsigned char v4[4];
	int want = inet_pton(AF_INET, t, v4) == 1 ? 0 : -1;

	ck_assert_msg(omsec_ip_parse(&ip, omsec_span_cstr(t)) == want,
	    "%s: not inet_pton's verdict", t);
	if (want == 0)
		ck_assert_msg(ip.v4 == 1 && memcmp(ip.b + 12, v4, 4) == 0,
		    "%s: not inet_pton's bytes", t);
}

START_TEST(ip_parse_dotted_quad)
{
	static const char *const tricky[] = {
		"0.0.0.0", "255.255.255.255", "256.1.1.1", "1.2.3.256",
		"01.2.3.4", "1.2.3.00", "1.2.3.0", "10.0.0.1", "1.2.3.4.",
		".1.2.3.4", "1..2.3", "1.2.3", "1.2.3.4.5", "1", "1.", "...",
		"9999999999.1.1.1", "1.2.3.4000", "192.168.001.1",
	};
	char t[16];
	unsigned seed = 42;

	for (size_t i = 0; i < sizeof(tricky) / sizeof(tricky[0]); i++)
		ip_like_pton(tricky[i]);
	for (int i = 0; i < 200000; i++) {
		int n = 1 + (int)((seed = seed * 1103515245 + 12345) >> 16) % 15;
		for (int j = 0; j < n; j++) {
			unsigned r = (seed = seed * 1103515245 + 12345) >> 16;
			t[j] = r % 4 == 0 ? '.' : (char)('0' + r / 4 % 10);
		}
		t[n] = '\0';
		ip_like_pton(t);
	}
}
END_TEST

static const char *
write_temp_file(const char *text)
{
	static char path[64];
	int fd;

	strcpy(path, "/tmp/omsec-check-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

START_TEST(config_good)
{
	struct omsec_config cfg;
	struct omsec_ip ip;
	char err[300];
	const char *p = write_temp_file(
	    "; a site\n[site]\ncustomer = 东海市示例商业银行\ntimezone = Asia/Shanghai\n"
	    "[network]\ninternal = 58.33.0.0/16, 2001:db8::/32\n"
	    "[detect]\nssh_bruteforce_failures = 20\nssh_bruteforce_window = 5m\n"
	    "[sla]\nurgent_response = 30m\navailability_target = 99.95\n");

	omsec_config_defaults(&cfg);
	ck_assert_int_eq(omsec_config_load(&cfg, p, err, sizeof(err)), 0);
	unlink(p);
	ck_assert_str_eq(cfg.customer, "东海市示例商业银行");
	ck_assert_int_eq(cfg.ssh_bf_failures, 20);
	ck_assert_int_eq(cfg.ssh_bf_window, 300);
	ck_assert_int_eq(cfg.sla_response[OMSEC_PRIO_URGENT], 1800);
	ck_assert_int_eq(cfg.sla_resolve[OMSEC_PRIO_URGENT], 4 * 3600);
	ck_assert_double_eq_tol(cfg.availability_target, 99.95, 1e-9);
	ck_assert_int_eq(cfg.ninternal, 2);
	omsec_ip_parse(&ip, OMSEC_SPAN_LIT("58.33.1.1"));
	ck_assert_int_eq(omsec_config_is_internal(&cfg, &ip), 1);
	omsec_ip_parse(&ip, OMSEC_SPAN_LIT("8.8.8.8"));
	ck_assert_int_eq(omsec_config_is_internal(&cfg, &ip), 0);
	ck_assert_int_eq(omsec_priority_parse("紧急"), OMSEC_PRIO_URGENT);
	ck_assert_int_eq(omsec_priority_parse("P3"), OMSEC_PRIO_MEDIUM);
	ck_assert_int_eq(omsec_priority_parse("whenever"), -1);
}
END_TEST

static const struct {
	const char *text;
	const char *msg;
} bad_configs[] = {
	{ "[site]\ncustomer = x\ncustomr = y\n", ":3: unknown key 'customr' in section [site]" },
	{ "[detect]\nssh_bruteforce_window = soon\n", ":2: [detect] ssh_bruteforce_window: bad duration" },
	{ "[detect]\nssh_bruteforce_failures = 0\n", ":2: [detect] ssh_bruteforce_failures: '0' is not a count" },
	{ "[network]\n\ninternal = 10.0.0.0/8, 300.1.1.1\n", ":3: bad address range '300.1.1.1'" },
	{ "[sla]\navailability_target = 101\n", ":2: [sla] availability_target: '101' is not a percentage" },
	{ "[nosuch]\nkey = 1\n", ":2: unknown key 'key' in section [nosuch]" },
};

START_TEST(config_bad)
{
	struct omsec_config cfg;
	char err[300];
	const char *p = write_temp_file(bad_configs[_i].text);

	omsec_config_defaults(&cfg);
	ck_assert_int_eq(omsec_config_load(&cfg, p, err, sizeof(err)), -1);
	unlink(p);
	ck_assert_msg(strstr(err, bad_configs[_i].msg) != NULL, "got: %s", err);
	ck_assert_msg(strncmp(err, p, strlen(p)) == 0, "no path in: %s", err);
}
END_TEST

START_TEST(event_roundtrip)
{
	struct omsec_event ev, back;
	struct omsec_event_cols cols;
	const char *why, *text;
	char line[4096], *nl;
	int fd, i;
	struct omsec_out *o;

	omsec_event_clear(&ev);
	ev.ts_ms = 1762136047123;	/* 2025-11-03T02:14:07.123Z */
	ev.severity = 2;
	ev.f[OMSEC_F_HOST] = OMSEC_SPAN_LIT("web1");
	ev.f[OMSEC_F_MODULE] = OMSEC_SPAN_LIT("sshd");
	ev.f[OMSEC_F_SRC_IP] = OMSEC_SPAN_LIT("203.0.113.9");
	ev.f[OMSEC_F_SRC_PORT] = OMSEC_SPAN_LIT("52144");
	ev.f[OMSEC_F_USER] = OMSEC_SPAN_LIT("ro\tot\n");
	ev.f[OMSEC_F_REF] = OMSEC_SPAN_LIT("/var/log/auth.log:12");
	ev.f[OMSEC_F_MSG] = OMSEC_SPAN_LIT("Failed password for \\x");

	capture_begin(&fd);
	o = omsec_out_new_fd(fd);
	omsec_event_write_header(o);
	omsec_event_write_tsv(o, &ev);
	omsec_event_write_json(o, &ev);
	text = capture_end(fd, o);

	omsec_event_cols_init(&cols);
	strcpy(line, text);
	char *p = line;
	int got = 0;
	while ((nl = strchr(p, '\n')) != NULL && p[0] != '{') {
		*nl = '\0';
		int rc = omsec_event_read_tsv(&cols, &back, p, strlen(p), &why);
		ck_assert_int_ge(rc, 0);
		got += rc;
		p = nl + 1;
	}
	ck_assert_int_eq(got, 1);
	ck_assert_int_eq(cols.have_version, 1);
	ck_assert(back.ts_ms == ev.ts_ms);
	ck_assert_int_eq(back.severity, 2);
	for (i = 1; i < OMSEC_F_COUNT; i++) {
		if (i == OMSEC_F_SEVERITY)
			continue;
		ck_assert_uint_eq(back.f[i].n, ev.f[i].n);
		if (ev.f[i].n)
			ck_assert_mem_eq(back.f[i].p, ev.f[i].p, ev.f[i].n);
	}
	ck_assert_str_eq(p, "{\"@timestamp\":\"2025-11-03T02:14:07.123Z\","
	    "\"event.severity\":2,\"host.name\":\"web1\",\"event.module\":\"sshd\","
	    "\"source.ip\":\"203.0.113.9\",\"source.port\":52144,"
	    "\"user.name\":\"ro\\tot\\n\",\"log.file.path\":\"/var/log/auth.log\","
	    "\"log.file.line\":12,\"message\":\"Failed password for \\\\x\"}\n");
}
END_TEST

/* JSON numbers are plain digits: no sign, no leading zero, 18 at most. */
START_TEST(event_json_numbers)
{
	static const struct {
		const char *port;
		const char *json;
	} cases[] = {
		{ "22", "\"source.port\":22," },
		{ "0", "\"source.port\":0," },
		{ "+5", "\"source.port\":\"+5\"," },
		{ "-0", "\"source.port\":\"-0\"," },
		{ "007", "\"source.port\":\"007\"," },
		{ "2x", "\"source.port\":\"2x\"," },
		{ "123456789012345678", "\"source.port\":123456789012345678," },
		{ "1234567890123456789", "\"source.port\":\"1234567890123456789\"," },
	};
	struct omsec_event ev;
	struct omsec_out *o;
	const char *text;
	size_t i;
	int fd;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		omsec_event_clear(&ev);
		ev.f[OMSEC_F_SRC_PORT] = omsec_span_cstr(cases[i].port);
		ev.f[OMSEC_F_PID] = OMSEC_SPAN_LIT("7");
		capture_begin(&fd);
		o = omsec_out_new_fd(fd);
		omsec_event_write_json(o, &ev);
		text = capture_end(fd, o);
		ck_assert_msg(strstr(text, cases[i].json) != NULL, "%s: %s",
		    cases[i].port, text);
	}
}
END_TEST

/*
 * Fields inside tsv_clean are copied without a look (short ones with
 * overlapping loads): every length, at every offset of the clean bytes,
 * gives what the escaper gives; a lone "-" inside them is still escaped.
 */
START_TEST(event_tsv_clean_copy)
{
	static char raw[] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ-";
	static char plain[4096];
	struct omsec_event ev;
	size_t off, n, last = sizeof(raw) - 2;

	for (off = 0; off < 8; off++)
		for (n = 0; off + n <= last; n++) {
			omsec_event_clear(&ev);
			ev.f[OMSEC_F_USER] = omsec_span_make(raw + off, n);
			ev.f[OMSEC_F_URL] = omsec_span_make(raw + last - n, n);
			ev.f[OMSEC_F_ASSET] = omsec_span_make(raw + last, 1);
			strcpy(plain, tsv_of(&ev));
			ev.tsv_clean = omsec_span_make(raw, sizeof(raw) - 1);
			ck_assert_str_eq(tsv_of(&ev), plain);
			ck_assert_ptr_nonnull(strstr(plain, "\t\\x2d\n"));
		}
}
END_TEST

/*
 * Fields marked in tsv_plain are copied as they are, and give what the
 * escaper gives; omsec_event_plain_ok refuses a mark on a field that
 * needs an escape or is a lone "-".
 */
START_TEST(event_tsv_plain_mark)
{
	static const char *vals[] = { "sshd", "a", "authentication",
	    "a_name_longer_than_sixteen_bytes", "x:1" };
	static char plain[4096];
	struct omsec_event ev;
	size_t i;

	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		omsec_event_clear(&ev);
		ev.f[OMSEC_F_ACTION] = omsec_span_cstr(vals[i]);
		ev.f[OMSEC_F_REF] = omsec_span_cstr(vals[i]);
		strcpy(plain, tsv_of(&ev));
		ev.tsv_plain = OMSEC_FIELD_BIT(OMSEC_F_ACTION) |
		    OMSEC_FIELD_BIT(OMSEC_F_REF) | OMSEC_FIELD_BIT(OMSEC_F_URL);
		ck_assert(omsec_event_plain_ok(&ev));
		ck_assert_str_eq(tsv_of(&ev), plain);
	}
	ev.f[OMSEC_F_URL] = OMSEC_SPAN_LIT("a\tb");
	ck_assert(!omsec_event_plain_ok(&ev));
	ev.f[OMSEC_F_URL] = OMSEC_SPAN_LIT("a\\b");
	ck_assert(!omsec_event_plain_ok(&ev));
	ev.f[OMSEC_F_URL] = OMSEC_SPAN_LIT("-");
	ck_assert(!omsec_event_plain_ok(&ev));
	ev.tsv_plain &= ~OMSEC_FIELD_BIT(OMSEC_F_URL);
	ck_assert(omsec_event_plain_ok(&ev));
}
END_TEST

/* The time text cached up to the minute equals the full conversion,
 * across seconds, minutes, days and 1970. */
START_TEST(out_iso_cache)
{
	static const int64_t steps[] = { 0, 1, 999, 1000, 59999, 60000, 61001,
	    3599999, 86399999, 86400000, -1, -60000, -86400001, 1796083199999,
	    1796083200000, 1796083200000, 1796083260000, 1796083259999,
	    1796083201234, 1796083259001, 1796083200100, -60001, -59999, -1 };
	char want[25], got[25];
	size_t i;

	struct omsec_out *o = omsec_out_new_fd(-1);
	ck_assert_ptr_nonnull(o);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		omsec_format_iso(want, steps[i]);
		memcpy(got, omsec_out_iso_text(o, steps[i]), OMSEC_ISO_LEN);
		got[OMSEC_ISO_LEN] = '\0';
		ck_assert_str_eq(got, want);
	}
	omsec_out_close(o);
}
END_TEST

/* omsec_tsv_split against a byte-at-a-time split, on random lines of
 * tabs, controls, backslashes, DEL and high bytes, near every length. */
START_TEST(tsv_split_random)
{
	static const char alphabet[] = "\t\tab-\\\x01\x1f\x20\x7f\x80\xff\n";
	struct omsec_span cols[64], want[64];
	char line[200];
	uint32_t seed = 12345;
	int iter;

	for (iter = 0; iter < 20000; iter++) {
		size_t len, i, start = 0;
		int max = iter % 3 == 0 ? 8 : 64, n, nwant = 0, plain = -1;
		int wplain = 1;

		seed = seed * 1103515245 + 12345;
		len = (seed >> 8) % sizeof(line);
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245 + 12345;
			/* Mostly plain letters, so that plain lines occur. */
			line[i] = (seed >> 16) % 8 ? 'x' :
			    alphabet[(seed >> 20) % (sizeof(alphabet) - 1)];
		}
		for (i = 0; i <= len; i++) {
			unsigned char c = i < len ? (unsigned char)line[i] : '\t';
			if (c == '\t') {
				if (nwant < 64)
					want[nwant] = omsec_span_make(line + start, i - start);
				nwant++;
				start = i + 1;
			} else if (c < 0x20 || c == '\\' || c == 0x7f)
				wplain = 0;
		}
		n = omsec_tsv_split(cols, max, line, len, &plain);
		if (nwant > max) {
			ck_assert_int_eq(n, -1);
			continue;
		}
		ck_assert_int_eq(n, nwant);
		ck_assert_int_eq(plain, wplain);
		for (i = 0; i < (size_t)n; i++) {
			ck_assert_ptr_eq(cols[i].p, want[i].p);
			ck_assert_uint_eq(cols[i].n, want[i].n);
		}
	}
}
END_TEST

START_TEST(event_read_malformed)
{
	struct omsec_event_cols cols;
	struct omsec_event ev;
	const char *why;
	char line[256];

	omsec_event_cols_init(&cols);
	strcpy(line, "2026-11-03T02:14:07.000Z\tonly-two");
	ck_assert_int_eq(omsec_event_read_tsv(&cols, &ev, line, strlen(line), &why), -1);
	ck_assert_str_eq(why, "wrong number of columns");
	strcpy(line, "#omsec-events\t2");
	ck_assert_int_eq(omsec_event_read_tsv(&cols, &ev, line, strlen(line), &why), -1);
	/* A #fields line with an extra column and another order still reads. */
	strcpy(line, "#fields\textra\tuser\tts");
	ck_assert_int_eq(omsec_event_read_tsv(&cols, &ev, line, strlen(line), &why), 0);
	strcpy(line, "x\talice\t2026-11-03T02:14:07.000Z");
	ck_assert_int_eq(omsec_event_read_tsv(&cols, &ev, line, strlen(line), &why), 1);
	ck_assert(omsec_span_eq(ev.f[OMSEC_F_USER], "alice"));
	ck_assert_uint_eq(ev.f[OMSEC_F_HOST].n, 0);
	strcpy(line, "x\talice\tyesterday");
	ck_assert_int_eq(omsec_event_read_tsv(&cols, &ev, line, strlen(line), &why), -1);
	ck_assert_str_eq(why, "bad timestamp");
}
END_TEST

START_TEST(atomic_file)
{
	char dir[] = "/tmp/omsec-atomic-XXXXXX", path[128], buf[16];
	struct omsec_atomic a;
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	ck_assert_int_eq(write(fd, "old", 3), 3);
	close(fd);
	ck_assert_int_eq(omsec_atomic_open(&a, path), 0);
	ck_assert_int_eq(write(a.fd, "new", 3), 3);
	omsec_atomic_abort(&a);
	fd = open(path, O_RDONLY);
	ck_assert_int_eq(read(fd, buf, sizeof(buf)), 3);
	ck_assert_mem_eq(buf, "old", 3);
	close(fd);
	ck_assert_int_eq(omsec_atomic_open(&a, path), 0);
	ck_assert_int_eq(write(a.fd, "new!", 4), 4);
	ck_assert_int_eq(omsec_atomic_commit(&a), 0);
	fd = open(path, O_RDONLY);
	ck_assert_int_eq(read(fd, buf, sizeof(buf)), 4);
	ck_assert_mem_eq(buf, "new!", 4);
	close(fd);
	unlink(path);
	ck_assert_int_eq(rmdir(dir), 0);	/* no temp file left behind */
}
END_TEST

START_TEST(out_full_disk)
{
	int fd = open("/dev/full", O_WRONLY);
	struct omsec_out *o;
	int i;

	if (fd < 0)
		return;
	o = omsec_out_new_fd(fd);
	for (i = 0; i < 1000; i++)
		omsec_out_str(o, "some line that will not fit\n");
	ck_assert_int_eq(omsec_out_flush(o), -1);
	ck_assert_int_eq(errno, ENOSPC);
	ck_assert_int_eq(omsec_out_close(o), -1);
	close(fd);
}
END_TEST

static Suite *
core_suite(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("core");
	TCase *lim = tcase_create("limits");
	TCase *bad = tcase_create("malformed");

	tcase_add_test(tc, strtonum_cases);
	tcase_add_test(tc, tsv_escape_roundtrip);
	tcase_add_test(tc, json_escape);
	tcase_add_test(tc, csv_escape);
	tcase_add_test(tc, term_escape);
	tcase_add_test(tc, reader_lines);
	tcase_add_test(tc, civil_days);
	tcase_add_loop_test(tc, iso_parse, 0, sizeof(iso_cases) / sizeof(iso_cases[0]));
	tcase_add_test(tc, tz_shanghai);
	tcase_add_test(tc, tz_dst);
	tcase_add_test(tc, ip_parse);
	tcase_add_test(tc, ip_parse_dotted_quad);
	tcase_add_test(tc, config_good);
	tcase_add_test(tc, event_roundtrip);
	tcase_add_test(tc, event_json_numbers);
	tcase_add_test(tc, event_tsv_clean_copy);
	tcase_add_test(tc, event_tsv_plain_mark);
	tcase_add_test(tc, reader_plain);
	tcase_add_test(tc, out_iso_cache);
	tcase_add_test(tc, tsv_split_random);
	tcase_add_test(tc, atomic_file);
	tcase_add_test(lim, reader_long_line);
	tcase_add_test(lim, out_full_disk);
	tcase_add_test(bad, tsv_unescape_bad);
	tcase_add_loop_test(bad, config_bad, 0, sizeof(bad_configs) / sizeof(bad_configs[0]));
	tcase_add_test(bad, event_read_malformed);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, lim);
	suite_add_tcase(s, bad);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(core_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
