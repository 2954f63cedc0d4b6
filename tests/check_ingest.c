/*
 * check_ingest.c - Check suite for omsec_ingest (ingest/ingest.h).
 *
 * core: rotation order table, framing of plain, gzip (multi-member) and
 *       stdin-like pipes, '#' escaping, CRLF/NUL/invalid UTF-8 pass-through,
 *       empty files, argument batches.
 * limits: lines of 2 MiB (plain and gzip) cut at 1 MiB and counted.
 * malformed: truncated, corrupt and trailing-garbage gzip; missing files.
 * state: incremental reading through rename, compression (multi-member),
 *       copytruncate, mid-compression copies and deletion; the state
 *       file's format and its errors.
 *
 * Each test writes its inputs into a fresh temporary directory and captures
 * the framed output through a temporary file.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "ingest.h"
#include "out.h"

#define MIB (1024 * 1024)

static char tmpdir[256];

static void
setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_ingest.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

/* Path of name inside the test's directory (static buffer, rotating). */
static const char *
tpath(const char *name)
{
	static char bufs[8][512];
	static int k;
	char *b = bufs[k++ % 8];

	snprintf(b, 512, "%s/%s", tmpdir, name);
	return b;
}

static void
put_file(const char *name, const void *p, size_t n)
{
	FILE *fp = fopen(tpath(name), "wb");

	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(p, 1, n, fp), n);
	ck_assert_int_eq(fclose(fp), 0);
}

static long long
mtime_of(const char *name)
{
	struct stat sb;

	ck_assert_int_eq(stat(tpath(name), &sb), 0);
	return (long long)sb.st_mtime;
}

/* One gzip member of p[0, n) appended to *dst (grown with realloc). */
static void
gz_append(unsigned char **dst, size_t *dlen, const void *p, size_t n)
{
	z_stream z;
	size_t cap = compressBound((uLong)n) + 64;

	memset(&z, 0, sizeof(z));
	ck_assert_int_eq(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	{
		unsigned char *g = realloc(*dst, *dlen + cap);
		ck_assert_ptr_nonnull(g);
		*dst = g;
	}
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = (uInt)n;
	z.next_out = *dst + *dlen;
	z.avail_out = (uInt)cap;
	ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
	*dlen += z.total_out;
	deflateEnd(&z);
}

/* Captured run: output bytes, warnings, return code and stats. */
struct run {
	char *out;
	size_t len;
	char warn[4096];
	int rc;
	struct omsec_ingest_stats st;
};

static void
cap_warn(void *arg, const char *msg)
{
	struct run *r = arg;
	size_t n = strlen(r->warn);

	snprintf(r->warn + n, sizeof(r->warn) - n, "%s\n", msg);
}

enum how { BY_PATH, BY_BATCH, BY_FD };

static void
run_ingest(struct run *r, enum how how, const struct omsec_ingest_src *srcs,
    size_t n, int fd)
{
	struct omsec_ingest_opts o = OMSEC_INGEST_OPTS_INIT;
	struct omsec_ingest *ig;
	struct omsec_out *out;
	struct stat sb;
	char name[300];
	int ofd;

	memset(r, 0, sizeof(*r));
	snprintf(name, sizeof(name), "%s.out.XXXXXX", tmpdir);
	ofd = mkstemp(name);
	ck_assert_int_ge(ofd, 0);
	unlink(name);
	out = omsec_out_new_fd(ofd);
	o.warn = cap_warn;
	o.warn_arg = r;
	ig = omsec_ingest_new(out, &o);
	ck_assert_ptr_nonnull(ig);
	if (how == BY_PATH)
		r->rc = omsec_ingest_path(ig, srcs[0].path, srcs[0].type);
	else if (how == BY_BATCH)
		r->rc = omsec_ingest_batch(ig, srcs, n);
	else
		r->rc = omsec_ingest_fd(ig, fd, "-", srcs[0].type, -1);
	r->st = *omsec_ingest_stats(ig);
	omsec_ingest_free(ig);
	ck_assert_int_eq(omsec_out_close(out), 0);
	ck_assert_int_eq(fstat(ofd, &sb), 0);
	r->len = (size_t)sb.st_size;
	r->out = malloc(r->len + 1);
	ck_assert_ptr_nonnull(r->out);
	ck_assert_int_eq(pread(ofd, r->out, r->len, 0), (ssize_t)r->len);
	r->out[r->len] = '\0';
	close(ofd);
}

static void
run_path(struct run *r, const char *name, const char *type)
{
	struct omsec_ingest_src s = { tpath(name), type };

	run_ingest(r, BY_PATH, &s, 1, -1);
}

/* Expected "#source" header of a file in the test directory. */
static size_t
header(char *buf, size_t cap, const char *name, const char *type)
{
	return (size_t)snprintf(buf, cap, "#source\t%s\t%s\t%lld\n", tpath(name),
	    type ? type : "-", mtime_of(name));
}

static void
assert_bytes(const struct run *r, const char *exp, size_t n)
{
	ck_assert_uint_eq(r->len, n);
	ck_assert_msg(memcmp(r->out, exp, n) == 0, "output differs:\n%s", r->out);
}

/* ---- core ---- */

/* Each row: names in the expected emission order, NULL-terminated. */
static const char *const rot_rows[][8] = {
	{ "x.log.3.gz", "x.log.2.gz", "x.log.1", "x.log", NULL },
	{ "x.log.10.gz", "x.log.9.gz", "x.log.2", "x.log", NULL },
	{ "x.log-20261030.gz", "x.log-20261101.gz", "x.log-20261103", "x.log",
	    NULL },
	{ "auth.log.1", "auth.log", "kern.log.2.gz", "kern.log", "messages",
	    NULL },
	{ "x.log.1", "x.log.1.gz", "x.log", NULL },
	{ "x.log.2", "x.log-20261101", "x.log", NULL },
	{ "x.log-20261103", "x.log-2026110300", "x.log-2026110313",
	    "x.log-20261104", NULL },
	{ ".1", "2026", "a-1", "a.b", "logs.d", NULL },
	{ "x.1", "x", "x-y", "x.log", NULL },
	{ "/var/log/a/x.log.1", "/var/log/a/x.log", "/var/log/b.1/y", NULL },
	{ "syslog.7.gz", "syslog.6.gz", "syslog.5.gz", "syslog.4.gz",
	    "syslog.3.gz", "syslog.2.gz", "syslog.1", "syslog" },
};

START_TEST(rot_order)
{
	const char *const *row = rot_rows[_i];
	const char *names[8];
	size_t n = 0, k;

	while (n < 8 && row[n] != NULL)
		n++;
	/* Feed them reversed and rotated by one: sorting must undo both. */
	for (k = 0; k < n; k++)
		names[k] = row[(n - 1 - k + 1) % n];
	omsec_rot_sort(names, n);
	for (k = 0; k < n; k++)
		ck_assert_str_eq(names[k], row[k]);
}
END_TEST

START_TEST(rot_parse_fields)
{
	struct omsec_rot r;

	omsec_rot_parse(&r, "auth.log.12.gz");
	ck_assert_int_eq(r.kind, OMSEC_ROT_NUMBERED);
	ck_assert_uint_eq(r.base_len, 8);
	ck_assert_uint_eq(r.num, 12);
	omsec_rot_parse(&r, "auth.log-2026110314.gz");
	ck_assert_int_eq(r.kind, OMSEC_ROT_DATE);
	ck_assert_uint_eq(r.base_len, 8);
	ck_assert_uint_eq(r.num, 2026110314);
	ck_assert_uint_eq(r.date_digits, 10);
	omsec_rot_parse(&r, "auth.log.gz");
	ck_assert_int_eq(r.kind, OMSEC_ROT_LIVE);
	ck_assert_uint_eq(r.base_len, 11);
	omsec_rot_parse(&r, "auth.log-123");
	ck_assert_int_eq(r.kind, OMSEC_ROT_LIVE);
	omsec_rot_parse(&r, "dir/.3");
	ck_assert_int_eq(r.kind, OMSEC_ROT_LIVE);
}
END_TEST

START_TEST(plain_escapes)
{
	static const char in[] = "a\r\n#b\n\n##c\nd\0e\xff\n\r\nlast";
	static const char out[] = "a\r\n##b\n\n###c\nd\0e\xff\n\r\nlast\n";
	struct run r;
	char exp[1024];
	size_t n;

	put_file("p.log", in, sizeof(in) - 1);
	run_path(&r, "p.log", "syslog");
	n = header(exp, sizeof(exp), "p.log", "syslog");
	memcpy(exp + n, out, sizeof(out) - 1);
	n += sizeof(out) - 1;
	assert_bytes(&r, exp, n);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.st.lines, 7);
	ck_assert_uint_eq(r.st.files, 1);
	ck_assert_uint_eq(r.st.bytes_in, sizeof(in) - 1);
	ck_assert_str_eq(r.warn, "");
	free(r.out);
}
END_TEST

START_TEST(empty_file)
{
	struct run r;
	char exp[512];
	size_t n;

	put_file("empty", "", 0);
	run_path(&r, "empty", NULL);
	n = header(exp, sizeof(exp), "empty", NULL);
	assert_bytes(&r, exp, n);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.st.lines, 0);
	free(r.out);
}
END_TEST

START_TEST(gzip_multi_member)
{
	unsigned char *gz = NULL;
	size_t gzlen = 0, n;
	struct run r;
	char exp[1024];

	/* A member may end mid-line: the line continues in the next one. */
	gz_append(&gz, &gzlen, "first\n#second\nhal", 17);
	gz_append(&gz, &gzlen, "f\r\n", 3);
	gz_append(&gz, &gzlen, "", 0);
	gz_append(&gz, &gzlen, "third", 5);
	put_file("m.log.2.gz", gz, gzlen);
	run_path(&r, "m.log.2.gz", NULL);
	n = header(exp, sizeof(exp), "m.log.2.gz", NULL);
	n += (size_t)snprintf(exp + n, sizeof(exp) - n,
	    "first\n##second\nhalf\r\nthird\n");
	assert_bytes(&r, exp, n);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.st.lines, 4);
	ck_assert_uint_eq(r.st.bytes_in, gzlen);
	ck_assert_uint_eq(r.st.bytes_raw, 25);
	ck_assert_str_eq(r.warn, "");
	free(r.out);
	free(gz);
}
END_TEST

START_TEST(gzip_by_magic_not_name)
{
	unsigned char *gz = NULL;
	size_t gzlen = 0, n;
	struct run r;
	char exp[1024];

	gz_append(&gz, &gzlen, "zipped\n", 7);
	put_file("plain.txt", gz, gzlen);
	put_file("fake.gz", "not gzip\n", 9);
	run_path(&r, "plain.txt", NULL);
	n = header(exp, sizeof(exp), "plain.txt", NULL);
	n += (size_t)snprintf(exp + n, sizeof(exp) - n, "zipped\n");
	assert_bytes(&r, exp, n);
	free(r.out);
	run_path(&r, "fake.gz", NULL);
	n = header(exp, sizeof(exp), "fake.gz", NULL);
	n += (size_t)snprintf(exp + n, sizeof(exp) - n, "not gzip\n");
	assert_bytes(&r, exp, n);
	ck_assert_int_eq(r.rc, 0);
	free(r.out);
	free(gz);
}
END_TEST

/* A writer that sends its bytes in two parts, the first a single byte. */
static pid_t
slow_writer(int *rfd, const void *p, size_t n)
{
	int fds[2];
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		if (write(fds[1], p, 1) != 1)
			_exit(1);
		usleep(100000);
		if (write(fds[1], (const char *)p + 1, n - 1) != (ssize_t)(n - 1))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	*rfd = fds[0];
	return pid;
}

START_TEST(stdin_pipe_plain_and_gzip)
{
	struct omsec_ingest_src s = { "-", "nginx" };
	unsigned char *gz = NULL;
	size_t gzlen = 0;
	struct run r;
	int fd, status;
	pid_t pid;
	static const char exp1[] = "#source\t\\x2d\tnginx\t-\ns1\n##s2\n";
	static const char exp2[] = "#source\t\\x2d\tnginx\t-\ngz line\n";

	pid = slow_writer(&fd, "s1\n#s2", 6);
	run_ingest(&r, BY_FD, &s, 1, fd);
	close(fd);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	assert_bytes(&r, exp1, sizeof(exp1) - 1);
	ck_assert_int_eq(r.rc, 0);
	free(r.out);

	/* The magic arrives split across two reads. */
	gz_append(&gz, &gzlen, "gz line\n", 8);
	pid = slow_writer(&fd, gz, gzlen);
	run_ingest(&r, BY_FD, &s, 1, fd);
	close(fd);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	assert_bytes(&r, exp2, sizeof(exp2) - 1);
	ck_assert_int_eq(r.rc, 0);
	free(r.out);
	free(gz);
}
END_TEST

/* Returns the path field of every #source header, joined by ' '. */
static void
headers_of(char *dst, size_t cap, const struct run *r)
{
	const char *p = r->out;
	size_t n = 0;

	dst[0] = '\0';
	while ((p = strstr(p, "#source\t")) != NULL) {
		const char *e;
		p += 8;
		e = strchr(p, '\t');
		ck_assert_ptr_nonnull(e);
		/* Only the name after the test directory. */
		p += strlen(tmpdir) + 1;
		n += (size_t)snprintf(dst + n, cap - n, "%s%.*s", n ? " " : "",
		    (int)(e - p), p);
	}
}

START_TEST(batch_groups_rotations)
{
	struct omsec_ingest_src s[6];
	unsigned char *gz = NULL;
	size_t gzlen = 0;
	struct run r;
	char got[512];

	gz_append(&gz, &gzlen, "a2\n", 3);
	put_file("b.log", "b\n", 2);
	put_file("a.log", "a\n", 2);
	put_file("a.log.1", "a1\n", 3);
	put_file("a.log.2.gz", gz, gzlen);
	put_file("c", "c\n", 2);
	/* b.log a.log c a.log.2.gz a.log.1 (syslog) a.log (nginx) */
	s[0] = (struct omsec_ingest_src){ tpath("b.log"), NULL };
	s[1] = (struct omsec_ingest_src){ tpath("a.log"), NULL };
	s[2] = (struct omsec_ingest_src){ tpath("c"), NULL };
	s[3] = (struct omsec_ingest_src){ tpath("a.log.2.gz"), NULL };
	s[4] = (struct omsec_ingest_src){ tpath("a.log.1"), NULL };
	s[5] = (struct omsec_ingest_src){ tpath("a.log"), "nginx" };
	run_ingest(&r, BY_BATCH, s, 6, -1);
	headers_of(got, sizeof(got), &r);
	/* The set moves to its first member; a different hint stays apart. */
	ck_assert_str_eq(got, "b.log a.log.2.gz a.log.1 a.log c a.log");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.st.files, 6);
	ck_assert_uint_eq(r.st.lines, 6);
	free(r.out);
	free(gz);
}
END_TEST

START_TEST(directory_walk)
{
	struct run r;
	char got[512];

	ck_assert_int_eq(mkdir(tpath("d"), 0755), 0);
	ck_assert_int_eq(mkdir(tpath("d/10.0.0.5"), 0755), 0);
	ck_assert_int_eq(mkdir(tpath("d/10.0.0.12"), 0755), 0);
	put_file("d/10.0.0.5/m", "x\n", 2);
	put_file("d/10.0.0.12/m", "y\n", 2);
	put_file("d/s.log", "s\n", 2);
	put_file("d/s.log.1", "s1\n", 3);
	put_file("d/B", "B\n", 2);
	ck_assert_int_eq(mkfifo(tpath("d/fifo"), 0644), 0);
	ck_assert_int_eq(symlink("..", tpath("d/10.0.0.5/up")), 0);
	run_path(&r, "d", "syslog");
	headers_of(got, sizeof(got), &r);
	/* Directories sort bytewise as names ("10.0.0.12" < "10.0.0.5"). */
	ck_assert_str_eq(got, "d/10.0.0.12/m d/10.0.0.5/m d/B d/s.log.1 d/s.log");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.st.skipped, 2);
	ck_assert_ptr_nonnull(strstr(r.warn, "/d/fifo: not a regular file, skipped\n"));
	ck_assert_ptr_nonnull(strstr(r.warn, "/d/10.0.0.5/up: directory loop, skipped\n"));
	free(r.out);
}
END_TEST

/* ---- limits ---- */

static void
check_long_line(int gzip)
{
	size_t big = 2 * MIB, n, gzlen = 0;
	unsigned char *gz = NULL;
	char *in = malloc(big + 16), *exp = malloc(MIB + 512);
	struct run r;

	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(exp);
	memset(in, 'x', big);
	in[0] = '#';
	memcpy(in + big, "\nnext\n", 6);
	if (gzip) {
		gz_append(&gz, &gzlen, in, big + 6);
		put_file("long", gz, gzlen);
	} else
		put_file("long", in, big + 6);
	run_path(&r, "long", NULL);
	n = header(exp, MIB + 512, "long", NULL);
	/* The '#' escape comes on top of the 1 MiB cut. */
	exp[n++] = '#';
	memcpy(exp + n, in, MIB);
	n += MIB;
	memcpy(exp + n, "\nnext\n", 6);
	n += 6;
	assert_bytes(&r, exp, n);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.st.lines, 2);
	ck_assert_uint_eq(r.st.truncated, 1);
	ck_assert_ptr_nonnull(strstr(r.warn, ": 1 line longer than 1 MiB cut\n"));
	free(r.out);
	free(in);
	free(exp);
	free(gz);
}

START_TEST(long_line_plain)
{
	check_long_line(0);
}
END_TEST

START_TEST(long_line_gzip)
{
	check_long_line(1);
}
END_TEST

START_TEST(line_just_under_cap)
{
	size_t len = MIB - 1;
	char *in = malloc(len + 1);
	struct run r;

	memset(in, 'y', len);
	in[len] = '\n';
	put_file("edge", in, len + 1);
	run_path(&r, "edge", NULL);
	ck_assert_uint_eq(r.st.truncated, 0);
	ck_assert_uint_eq(r.st.lines, 1);
	ck_assert_str_eq(r.warn, "");
	free(r.out);
	free(in);
}
END_TEST

/* ---- malformed ---- */

/* "line 0000\n" ... "line 1999\n" */
static char *
numbered_lines(size_t *n)
{
	char *p = malloc(2000 * 10 + 1);
	int i;

	for (i = 0; i < 2000; i++)
		snprintf(p + i * 10, 11, "line %04d\n", i);
	*n = 2000 * 10;
	return p;
}

/* Asserts out's lines after the header are a prefix of "line NNNN". */
static size_t
count_prefix_lines(const struct run *r, int *partial)
{
	const char *p = strchr(r->out, '\n') + 1, *end = r->out + r->len;
	size_t k = 0;
	char want[16];

	*partial = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		ck_assert_ptr_nonnull(nl);
		snprintf(want, sizeof(want), "line %04zu", k);
		if ((size_t)(nl - p) != 9) {
			/* Only the last line may be cut short. */
			ck_assert_ptr_eq(nl + 1, end);
			ck_assert_int_eq(memcmp(p, want, (size_t)(nl - p)), 0);
			*partial = 1;
		} else
			ck_assert_int_eq(memcmp(p, want, 9), 0);
		k++;
		p = nl + 1;
	}
	return k;
}

START_TEST(gzip_truncated)
{
	unsigned char *gz = NULL;
	size_t gzlen = 0, n, cut, lines;
	char *in = numbered_lines(&n), want[600];
	struct run r;
	int partial;

	gz_append(&gz, &gzlen, in, n);
	cut = gzlen / 2;
	put_file("t.log.2.gz", gz, cut);
	run_path(&r, "t.log.2.gz", NULL);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_uint_eq(r.st.failed, 1);
	lines = count_prefix_lines(&r, &partial);
	ck_assert_uint_gt(lines, 100);
	ck_assert_uint_lt(lines, 2000);
	ck_assert_uint_eq(r.st.lines, lines);
	snprintf(want, sizeof(want), "%s: gzip error at offset %zu: unexpected "
	    "end of file\n", tpath("t.log.2.gz"), cut);
	ck_assert_str_eq(r.warn, want);
	free(r.out);
	free(in);
	free(gz);
}
END_TEST

START_TEST(gzip_corrupt_second_member)
{
	unsigned char *gz = NULL;
	size_t gzlen = 0, len1, n, lines;
	char *in = numbered_lines(&n);
	unsigned long long off;
	struct run r;
	int partial, k;

	gz_append(&gz, &gzlen, in, 5000);	/* lines 0-499 */
	len1 = gzlen;
	gz_append(&gz, &gzlen, in + 5000, n - 5000);
	/* Damage the deflate data of the second member. */
	for (k = 0; k < 16; k++)
		gz[len1 + 20 + (size_t)k] ^= 0xa5;
	put_file("c.gz", gz, gzlen);
	run_path(&r, "c.gz", NULL);
	ck_assert_int_eq(r.rc, -1);
	lines = count_prefix_lines(&r, &partial);
	ck_assert_uint_ge(lines, 500);
	ck_assert_msg(sscanf(r.warn, "%*[^:]: gzip error at offset %llu: ",
	    &off) == 1, "warning: %s", r.warn);
	ck_assert_uint_ge(off, len1);
	ck_assert_uint_le(off, gzlen);
	free(r.out);
	free(in);
	free(gz);
}
END_TEST

START_TEST(gzip_trailing_garbage)
{
	unsigned char *gz = NULL;
	size_t gzlen = 0, n;
	struct run r;
	char exp[512], want[600];

	gz_append(&gz, &gzlen, "ok\n", 3);
	{
		unsigned char *g = realloc(gz, gzlen + 8);
		ck_assert_ptr_nonnull(g);
		gz = g;
	}
	memcpy(gz + gzlen, "garbage\n", 8);
	put_file("g", gz, gzlen + 8);
	run_path(&r, "g", NULL);
	n = header(exp, sizeof(exp), "g", NULL);
	n += (size_t)snprintf(exp + n, sizeof(exp) - n, "ok\n");
	assert_bytes(&r, exp, n);
	ck_assert_int_eq(r.rc, -1);
	snprintf(want, sizeof(want), "%s: gzip error at offset %zu: incorrect "
	    "header check\n", tpath("g"), gzlen + 2);
	ck_assert_str_eq(r.warn, want);
	free(r.out);
	free(gz);
}
END_TEST

START_TEST(missing_then_next)
{
	struct omsec_ingest_src s[2];
	struct run r;
	char exp[512], want[600];
	size_t n;

	put_file("ok", "fine\n", 5);
	s[0] = (struct omsec_ingest_src){ tpath("nope"), NULL };
	s[1] = (struct omsec_ingest_src){ tpath("ok"), NULL };
	run_ingest(&r, BY_BATCH, s, 2, -1);
	n = header(exp, sizeof(exp), "ok", NULL);
	n += (size_t)snprintf(exp + n, sizeof(exp) - n, "fine\n");
	assert_bytes(&r, exp, n);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_uint_eq(r.st.failed, 1);
	ck_assert_uint_eq(r.st.files, 1);
	snprintf(want, sizeof(want), "%s: %s\n", tpath("nope"), strerror(ENOENT));
	ck_assert_str_eq(r.warn, want);
	free(r.out);
}
END_TEST

/* ---- state: incremental reading ---- */

/* One run with the state file sname over src (a rotated set). */
static void
run_state(struct run *r, const char *sname, const char *src)
{
	struct omsec_ingest_opts o = OMSEC_INGEST_OPTS_INIT;
	struct omsec_ingest_src sr = { tpath(src), NULL };
	struct omsec_state *st;
	struct omsec_ingest *ig;
	struct omsec_out *out;
	char err[512], name[300];
	struct stat sb;
	int ofd;

	memset(r, 0, sizeof(*r));
	ck_assert_msg(omsec_state_load(&st, tpath(sname), err, sizeof(err)) == 0,
	    "%s", err);
	snprintf(name, sizeof(name), "%s.out.XXXXXX", tmpdir);
	ofd = mkstemp(name);
	ck_assert_int_ge(ofd, 0);
	unlink(name);
	out = omsec_out_new_fd(ofd);
	o.warn = cap_warn;
	o.warn_arg = r;
	o.state = st;
	o.rotated = 1;
	ig = omsec_ingest_new(out, &o);
	ck_assert_ptr_nonnull(ig);
	omsec_ingest_begin(ig);
	r->rc = omsec_ingest_batch(ig, &sr, 1);
	r->st = *omsec_ingest_stats(ig);
	omsec_ingest_free(ig);
	ck_assert_int_eq(omsec_out_close(out), 0);
	ck_assert_int_eq(omsec_state_save(st, tpath(sname)), 0);
	omsec_state_free(st);
	ck_assert_int_eq(fstat(ofd, &sb), 0);
	r->len = (size_t)sb.st_size;
	r->out = malloc(r->len + 1);
	ck_assert_ptr_nonnull(r->out);
	ck_assert_int_eq(pread(ofd, r->out, r->len, 0), (ssize_t)r->len);
	r->out[r->len] = '\0';
	close(ofd);
}

/* The raw lines of a run, without framing; checked and freed. */
static void
assert_body(struct run *r, const char *want)
{
	char *b = malloc(r->len + 1), *p = r->out, *q = b;

	ck_assert_ptr_nonnull(b);
	while (*p) {
		char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
		if (strncmp(p, "#omsec-ingest\t", 14) != 0 &&
		    strncmp(p, "#source\t", 8) != 0) {
			memcpy(q, p, n);
			q += n;
		}
		p += n;
	}
	*q = '\0';
	ck_assert_msg(strcmp(b, want) == 0, "got:\n%s\nwant:\n%s\nwarnings:\n%s",
	    b, want, r->warn);
	free(b);
	free(r->out);
	r->out = NULL;
}

/*
 * The #source header of file name in a run carries line0 (lines of the
 * stream read before) as its fifth field, or has four fields for 0.
 */
static void
assert_line0(struct run *r, const char *name, unsigned long long line0)
{
	char want[64], needle[512];
	const char *h, *eol;
	int tabs = 0;

	snprintf(needle, sizeof(needle), "#source\t%s\t", tpath(name));
	h = strstr(r->out, needle);

	ck_assert_msg(h != NULL, "no #source for %s in:\n%s", name, r->out);
	eol = strchr(h, '\n');
	ck_assert_ptr_nonnull(eol);
	for (const char *c = h; c < eol; c++)
		tabs += *c == '\t';
	if (line0 == 0) {
		ck_assert_int_eq(tabs, 3);
		return;
	}
	ck_assert_int_eq(tabs, 4);
	snprintf(want, sizeof(want), "\t%llu\n", line0);
	ck_assert_msg(strncmp(eol - strlen(want) + 1, want, strlen(want)) == 0,
	    "want line0 %llu in %.*s", line0, (int)(eol - h), h);
}

static void
append_file(const char *name, const char *text)
{
	FILE *fp = fopen(tpath(name), "ab");

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fputs(text, fp) >= 0, 1);
	ck_assert_int_eq(fclose(fp), 0);
}

static void
gz_file(const char *name, const char *const *members, size_t n)
{
	unsigned char *gz = NULL;
	size_t gzlen = 0, i;

	for (i = 0; i < n; i++)
		gz_append(&gz, &gzlen, members[i], strlen(members[i]));
	put_file(name, gz, gzlen);
	free(gz);
}

START_TEST(state_logrotate_sequence)
{
	const char *m[1];
	struct run r;

	put_file("x.log", "a1\na2\n", 6);
	run_state(&r, "s", "x.log");
	ck_assert_uint_eq(r.st.streams_new, 1);
	assert_body(&r, "a1\na2\n");
	/* A line being written is left for the next run. */
	append_file("x.log", "a3\npart");
	run_state(&r, "s", "x.log");
	assert_line0(&r, "x.log", 2);
	assert_body(&r, "a3\n");
	/* Renamed (same inode), written to after, and a new live file. */
	append_file("x.log", "ial\na4\n");
	ck_assert_int_eq(rename(tpath("x.log"), tpath("x.log.1")), 0);
	put_file("x.log", "b1\n", 3);
	run_state(&r, "s", "x.log");
	ck_assert_uint_eq(r.st.streams_new, 1);
	assert_body(&r, "partial\na4\nb1\n");
	/* Compressed (another inode), with one more line than was read. */
	m[0] = "a1\na2\na3\npartial\na4\na5\n";
	gz_file("x.log.2.gz", m, 1);
	ck_assert_int_eq(unlink(tpath("x.log.1")), 0);
	append_file("x.log", "b2\n");
	run_state(&r, "s", "x.log");
	ck_assert_uint_eq(r.st.streams_new, 0);
	assert_line0(&r, "x.log.2.gz", 5);
	assert_line0(&r, "x.log", 1);
	assert_body(&r, "a5\nb2\n");
	/* Nothing new: nothing read, not even opened for a fingerprint. */
	run_state(&r, "s", "x.log");
	ck_assert_uint_eq(r.st.unchanged, 2);
	ck_assert_uint_eq(r.st.files, 0);
	assert_body(&r, "");
	/* copytruncate: the copy is the old stream, the live file a new one. */
	put_file("x.log.1", "b1\nb2\nb3\n", 9);
	ck_assert_int_eq(truncate(tpath("x.log"), 0), 0);
	append_file("x.log", "c1\n");
	run_state(&r, "s", "x.log");
	ck_assert_uint_eq(r.st.truncations, 1);
	ck_assert_uint_eq(r.st.streams_new, 1);
	assert_body(&r, "b3\nc1\n");
	/* The oldest generation deleted: its stream stays until forgotten. */
	ck_assert_int_eq(unlink(tpath("x.log.2.gz")), 0);
	run_state(&r, "s", "x.log");
	assert_body(&r, "");
}
END_TEST

START_TEST(state_unfinished_line)
{
	struct run r;

	put_file("u.log", "p1\nq", 4);
	run_state(&r, "s", "u.log");
	assert_body(&r, "p1\n");
	/* Unchanged a run later: the writer is done with it. */
	run_state(&r, "s", "u.log");
	assert_body(&r, "q\n");
	run_state(&r, "s", "u.log");
	ck_assert_uint_eq(r.st.unchanged, 1);
	assert_body(&r, "");
	/* A rotated plain file is read to its end at once. */
	put_file("v.log.1", "w1\nw", 4);
	run_state(&r, "s", "v.log");
	assert_body(&r, "w1\nw\n");
}
END_TEST

START_TEST(state_gzip_members_and_copies)
{
	const char *m[3] = { "l1\nl2\n", "l3\n", "l4\nl5\n" };
	struct run r;

	put_file("y.log", "l1\nl2\nl3\n", 9);
	run_state(&r, "s", "y.log");
	assert_body(&r, "l1\nl2\nl3\n");
	/* Mid-compression: y.log.1 (renamed) and a partial y.log.1.gz. */
	ck_assert_int_eq(rename(tpath("y.log"), tpath("y.log.1")), 0);
	gz_file("y.log.1.gz", m, 1);
	run_state(&r, "s", "y.log");
	ck_assert_uint_eq(r.st.copies, 1);
	assert_body(&r, "");
	/* Compressed as three members: the offset is skipped across them. */
	ck_assert_int_eq(unlink(tpath("y.log.1")), 0);
	gz_file("y.log.1.gz", m, 3);
	run_state(&r, "s", "y.log");
	assert_body(&r, "l4\nl5\n");
	/* A truncated gzip: warned with its offset, what came before kept. */
	{
		unsigned char *gz = NULL;
		size_t gzlen = 0;
		gz_append(&gz, &gzlen, "t1\nt2\n", 6);
		put_file("y.log", gz, gzlen - 4);
		free(gz);
	}
	run_state(&r, "s", "y.log");
	ck_assert_int_eq(r.rc, -1);
	ck_assert_ptr_nonnull(strstr(r.warn, "gzip error at offset"));
	assert_body(&r, "t1\nt2\n");
}
END_TEST

START_TEST(state_file_format)
{
	struct omsec_state *st;
	char err[512], *a, *b;
	size_t na, nb;
	struct run r;
	FILE *fp;

	put_file("z.log", "one\ntwo\n", 8);
	put_file("z.log.1", "zero\n", 5);
	run_state(&r, "s", "z.log");
	assert_body(&r, "zero\none\ntwo\n");
	/* Load and save again: the same bytes. */
	ck_assert_int_eq(omsec_state_load(&st, tpath("s"), err, sizeof(err)), 0);
	ck_assert_uint_eq(omsec_state_run(st), 1);
	ck_assert_uint_eq(omsec_state_count(st), 2);
	ck_assert_int_eq(omsec_state_save(st, tpath("s2")), 0);
	omsec_state_free(st);
	fp = fopen(tpath("s"), "rb");
	a = malloc(4096);
	na = fread(a, 1, 4096, fp);
	fclose(fp);
	fp = fopen(tpath("s2"), "rb");
	b = malloc(4096);
	nb = fread(b, 1, 4096, fp);
	fclose(fp);
	ck_assert_uint_eq(na, nb);
	ck_assert_int_eq(memcmp(a, b, na), 0);
	ck_assert_int_eq(strncmp(a, "#omsec-ingest-state\t1\nrun\t1\nstream\t", 35), 0);
	free(a);
	free(b);
	/* A damaged state is an error with its line, not an empty state. */
	put_file("bad", "#omsec-ingest-state\t1\nrun\t1\nstream\tzz\t1\n", 39);
	ck_assert_int_eq(omsec_state_load(&st, tpath("bad"), err, sizeof(err)), -1);
	ck_assert_ptr_null(st);
	ck_assert_ptr_nonnull(strstr(err, "bad:3: too few fields"));
	put_file("bad", "x\n", 2);
	ck_assert_int_eq(omsec_state_load(&st, tpath("bad"), err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "bad:1: not an omsec-ingest-state"));
	/* Missing: the first run. */
	ck_assert_int_eq(omsec_state_load(&st, tpath("none"), err, sizeof(err)), 0);
	ck_assert_uint_eq(omsec_state_run(st), 0);
	omsec_state_free(st);
}
END_TEST

static Suite *
ingest_suite(void)
{
	Suite *s = suite_create("ingest");
	TCase *tc;

	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, rot_order, 0,
	    (int)(sizeof(rot_rows) / sizeof(rot_rows[0])));
	tcase_add_test(tc, rot_parse_fields);
	tcase_add_test(tc, plain_escapes);
	tcase_add_test(tc, empty_file);
	tcase_add_test(tc, gzip_multi_member);
	tcase_add_test(tc, gzip_by_magic_not_name);
	tcase_add_test(tc, stdin_pipe_plain_and_gzip);
	tcase_add_test(tc, batch_groups_rotations);
	tcase_add_test(tc, directory_walk);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, long_line_plain);
	tcase_add_test(tc, long_line_gzip);
	tcase_add_test(tc, line_just_under_cap);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, gzip_truncated);
	tcase_add_test(tc, gzip_corrupt_second_member);
	tcase_add_test(tc, gzip_trailing_garbage);
	tcase_add_test(tc, missing_then_next);
	suite_add_tcase(s, tc);

	tc = tcase_create("state");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, state_logrotate_sequence);
	tcase_add_test(tc, state_unfinished_line);
	tcase_add_test(tc, state_gzip_members_and_copies);
	tcase_add_test(tc, state_file_format);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(ingest_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
