/*
 * state.c - the ingest state file: how far each log stream has been read.
 *
 * A stream is identified by a fingerprint of its first decompressed bytes
 * (see istate.h), so that it is recognised after logrotate renamed it
 * (x.log -> x.log.1) or compressed it (-> x.log.2.gz, a new inode). The
 * matching itself is in ingest.c; this file reads and writes the state:
 *
 *   #omsec-ingest-state	1
 *   run	3
 *   stream	9c1d...	1024	52311	410	2049	131075	52311	1764547200000000000	3	/var/log/auth.log
 *
 * stream fields: fingerprint (16 hex digits), fingerprint length, offset
 * (decompressed bytes consumed, always just after a '\n' or at the end of
 * a finished file), lines consumed, device, inode, size and mtime (ns) of
 * the file as last seen, the run that last saw it, and its path
 * (TSV-escaped). Streams are written sorted by path then fingerprint, so
 * equal states are equal bytes.
 *
 * Cost: load and save are linear in the number of streams; the whole
 * state is in memory (about 100 bytes per stream plus its path). Save is
 * atomic and durable: temporary file, fsync, rename, fsync of the
 * directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest.h"
#include "istate.h"
#include "out.h"
#include "reader.h"

#define FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME UINT64_C(0x100000001b3)
/* Unseen streams are forgotten after this many runs (about a month). */
#define KEEP_DEFAULT 31

uint64_t
omsec_fp_hash(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = FNV_OFFSET;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= FNV_PRIME;
	}
	return h;
}

static struct omsec_state *
state_new(void)
{
	struct omsec_state *st = calloc(1, sizeof(*st));

	if (st != NULL)
		st->keep = KEEP_DEFAULT;
	return st;
}

void
omsec_state_free(struct omsec_state *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->n; i++)
		free(st->s[i].path);
	free(st->s);
	free(st);
}

uint64_t
omsec_state_run(const struct omsec_state *st)
{
	return st->run;
}

size_t
omsec_state_count(const struct omsec_state *st)
{
	return st->n;
}

void
omsec_state_set_keep(struct omsec_state *st, uint64_t runs)
{
	st->keep = runs > 0 ? runs : 1;
}

struct omsec_stream *
omsec_state_add(struct omsec_state *st, const char *path)
{
	struct omsec_stream *s;

	if (st->n == st->cap) {
		size_t nc = st->cap ? st->cap * 2 : 32;
		struct omsec_stream *ns = realloc(st->s, nc * sizeof(*ns));
		if (ns == NULL)
			return NULL;
		st->s = ns;
		st->cap = nc;
	}
	s = &st->s[st->n];
	memset(s, 0, sizeof(*s));
	if ((s->path = strdup(path)) == NULL)
		return NULL;
	st->n++;
	return s;
}

int
omsec_stream_set_path(struct omsec_stream *s, const char *path)
{
	char *p;

	if (s->path != NULL && strcmp(s->path, path) == 0)
		return 0;
	if ((p = strdup(path)) == NULL)
		return -1;
	free(s->path);
	s->path = p;
	return 0;
}

/* Decimal or (hex != 0) hexadecimal digits filling [p, p+n). 0 or -1. */
static int
parse_u64(uint64_t *out, const char *p, size_t n, int hex)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0 || n > (hex ? 16 : 20))
		return -1;
	for (i = 0; i < n; i++) {
		unsigned d;
		if (p[i] >= '0' && p[i] <= '9')
			d = (unsigned)(p[i] - '0');
		else if (hex && p[i] >= 'a' && p[i] <= 'f')
			d = (unsigned)(p[i] - 'a' + 10);
		else
			return -1;
		if (!hex && v > (UINT64_MAX - d) / 10)
			return -1;
		v = hex ? v << 4 | d : v * 10 + d;
	}
	*out = v;
	return 0;
}

#define NFIELDS 10

/* One "stream" line, split in place. 0, or -1 with why set. */
static int
load_stream(struct omsec_state *st, char *line, size_t len, const char **why)
{
	char *f[NFIELDS], *e = line + len, *q = line;
	size_t n[NFIELDS];
	uint64_t v[9];
	struct omsec_stream *s;
	long pl;
	int i;

	for (i = 0; i < NFIELDS; i++) {
		char *t = i < NFIELDS - 1 ? memchr(q, '\t', (size_t)(e - q)) : NULL;
		if (t == NULL && i < NFIELDS - 1) {
			*why = "too few fields";
			return -1;
		}
		f[i] = q;
		n[i] = (size_t)((t ? t : e) - q);
		q = t ? t + 1 : e;
	}
	for (i = 0; i < 9; i++)
		if (parse_u64(&v[i], f[i], n[i], i == 0) != 0) {
			*why = "bad number";
			return -1;
		}
	if (v[1] == 0 || v[1] > OMSEC_FP_MAX || v[1] > v[2] ||
	    v[7] > (uint64_t)INT64_MAX) {
		*why = "bad fingerprint length or offset";
		return -1;
	}
	if ((pl = omsec_tsv_unescape(f[9], n[9])) <= 0) {
		*why = "bad path";
		return -1;
	}
	f[9][pl] = '\0';
	if ((s = omsec_state_add(st, f[9])) == NULL) {
		*why = strerror(ENOMEM);
		return -1;
	}
	s->fp = v[0];
	s->fp_len = v[1];
	s->offset = v[2];
	s->lines = v[3];
	s->dev = v[4];
	s->ino = v[5];
	s->size = v[6];
	s->mtime_ns = (int64_t)v[7];
	s->seen = v[8];
	return 0;
}

int
omsec_state_load(struct omsec_state **out, const char *path, char *err,
    size_t errcap)
{
	struct omsec_state *st;
	struct omsec_reader *r;
	uint64_t lineno = 0;
	const char *why = NULL;
	char *line;
	size_t len;
	int fd, trunc, rc;

	*out = NULL;
	if ((st = state_new()) == NULL) {
		snprintf(err, errcap, "%s: %s", path, strerror(ENOMEM));
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT) {
			/* The first run: nothing read yet. */
			*out = st;
			return 0;
		}
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		omsec_state_free(st);
		return -1;
	}
	if ((r = omsec_reader_new_fd(fd)) == NULL) {
		snprintf(err, errcap, "%s: %s", path, strerror(ENOMEM));
		close(fd);
		omsec_state_free(st);
		return -1;
	}
	while ((rc = omsec_reader_next(r, &line, &len, &trunc)) == 1) {
		lineno++;
		if (lineno == 1) {
			if (len != 21 || memcmp(line, "#omsec-ingest-state\t1", 21)) {
				why = "not an omsec-ingest-state 1 file";
				break;
			}
		} else if (trunc) {
			why = "line too long";
			break;
		} else if (len > 4 && memcmp(line, "run\t", 4) == 0) {
			if (parse_u64(&st->run, line + 4, len - 4, 0) != 0) {
				why = "bad run number";
				break;
			}
		} else if (len > 7 && memcmp(line, "stream\t", 7) == 0) {
			if (load_stream(st, line + 7, len - 7, &why) != 0)
				break;
		} else if (len > 0 && line[0] != '#') {
			why = "unknown line";
			break;
		}
	}
	if (rc < 0)
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
	else if (why == NULL && lineno == 0)
		why = "empty file";
	omsec_reader_free(r);
	close(fd);
	if (rc < 0 || why != NULL) {
		if (rc >= 0)
			snprintf(err, errcap, "%s:%llu: %s", path,
			    (unsigned long long)lineno, why);
		omsec_state_free(st);
		return -1;
	}
	*out = st;
	return 0;
}

static int
stream_cmp(const void *pa, const void *pb)
{
	const struct omsec_stream *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);

	if (c != 0)
		return c;
	return (a->fp > b->fp) - (a->fp < b->fp);
}

static void
hex16(struct omsec_out *o, uint64_t v)
{
	static const char d[] = "0123456789abcdef";
	char b[16];
	int i;

	for (i = 15; i >= 0; i--, v >>= 4)
		b[i] = d[v & 15];
	omsec_out_write(o, b, 16);
}

/* fsyncs the directory holding path, so that a rename in it is durable. */
static int
sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];
	int fd, rc;

	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else if ((size_t)(slash - path) < sizeof(dir))
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	else {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int
omsec_state_save(struct omsec_state *st, const char *path)
{
	struct omsec_atomic at;
	struct omsec_out *o;
	size_t i;
	int e;

	qsort(st->s, st->n, sizeof(*st->s), stream_cmp);
	if (omsec_atomic_open(&at, path) != 0)
		return -1;
	if ((o = omsec_out_new_fd(at.fd)) == NULL) {
		omsec_atomic_abort(&at);
		errno = ENOMEM;
		return -1;
	}
	omsec_out_str(o, "#omsec-ingest-state\t1\nrun\t");
	omsec_out_u64(o, st->run);
	omsec_out_putc(o, '\n');
	for (i = 0; i < st->n; i++) {
		const struct omsec_stream *s = &st->s[i];
		omsec_out_str(o, "stream\t");
		hex16(o, s->fp);
		omsec_out_putc(o, '\t');
		omsec_out_u64(o, s->fp_len);
		omsec_out_putc(o, '\t');
		omsec_out_u64(o, s->offset);
		omsec_out_putc(o, '\t');
		omsec_out_u64(o, s->lines);
		omsec_out_putc(o, '\t');
		omsec_out_u64(o, s->dev);
		omsec_out_putc(o, '\t');
		omsec_out_u64(o, s->ino);
		omsec_out_putc(o, '\t');
		omsec_out_u64(o, s->size);
		omsec_out_putc(o, '\t');
		omsec_out_i64(o, s->mtime_ns);
		omsec_out_putc(o, '\t');
		omsec_out_u64(o, s->seen);
		omsec_out_putc(o, '\t');
		omsec_out_tsv(o, omsec_span_cstr(s->path));
		omsec_out_putc(o, '\n');
	}
	if (omsec_out_close(o) != 0) {
		e = errno;
		omsec_atomic_abort(&at);
		errno = e;
		return -1;
	}
	if (omsec_atomic_commit(&at) != 0)
		return -1;
	return sync_dir(path);
}
