/*
 * ingest.c - read sources (plain, gzip, directories) and frame their lines.
 *
 * Output is docs/formats.md section 1, e.g.
 *   #source	/var/log/auth.log.2.gz	syslog	1764201600
 *   Nov 26 03:12:01 web1 sshd[811]: Accepted publickey for deploy from ...
 *
 * gzip (RFC 1952) is sniffed by its magic bytes 1f 8b, never by the name,
 * and may hold several members one after the other (what `cat a.gz b.gz`
 * or a log shipper appending gzip blocks produces): after each member's
 * end the stream is reset and the next member inflated. Decompressed bytes
 * go straight into the core line reader's buffer (omsec_reader_new_fn), so
 * line splitting and the 1 MiB line cap are the same as everywhere else.
 *
 * Cost: one read(2) per 1 MiB of plain input or per 256 KiB of compressed
 * input, one memchr pass per line, one memcpy of each line into the output
 * buffer. Memory: 256 KiB input buffer + zlib state (about 44 KiB) per
 * context, plus the 1 MiB reader while a source is read; a directory walk
 * keeps the entries of the directories on the current path.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "ingest.h"
#include "istate.h"
#include "out.h"
#include "reader.h"

#define INBUF_SZ (256 * 1024)
/* Output failure is polled this often, so a dead pipe stops reading soon. */
#define POLL_LINES 4096

/*
 * With a state, sources are first listed as candidates and read after all
 * are known (state_run): matching files to streams needs all of them.
 */
enum cand_do { C_READ, C_UNCHANGED, C_COPY, C_NONE };

struct cand {
	char *path;
	const char *type;	/* borrowed from the batch's sources */
	dev_t dev;
	ino_t ino;
	int gz;
	int live;		/* not a rotated name: a line may be half written */
	enum cand_do todo;
	long si;		/* stream index, -1 for none yet */
	size_t head_len;
	unsigned char head[OMSEC_FP_MAX];
};

struct omsec_ingest {
	struct omsec_out *out;
	struct omsec_ingest_opts opts;
	struct omsec_ingest_stats st;
	struct cand *cand;
	size_t ncand, capcand;
	uint64_t total;		/* bytes expected, for progress (0: unknown) */
	int excl_set;
	dev_t excl_dev;
	ino_t excl_ino;
	int z_ready;
	z_stream z;
	unsigned char inbuf[INBUF_SZ];
};

/* The state of one source while its lines are read. */
struct src {
	struct omsec_ingest *ig;
	int fd;
	int gz;
	int in_eof;		/* read(2) returned 0 */
	int done;		/* no more bytes will be produced */
	size_t pend_off, pend_n;	/* plain: sniffed bytes not yet handed out */
	uint64_t in_off;	/* file offset of inbuf[0] (gzip) */
	uint64_t skip;		/* gzip: decompressed bytes still to discard */
	int limited;		/* plain: stop after remain bytes */
	uint64_t remain;
	uint64_t delivered;	/* bytes handed to the line reader */
	int read_errno;		/* a read(2) failed */
	char zmsg[128];		/* a gzip error, with its offset */
};

static void
say(struct omsec_ingest *ig, const char *path, const char *fmt, ...)
{
	char esc[512], what[256], msg[800];
	va_list ap;

	if (ig->opts.warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	/* A path is bytes from the file system: never raw on a terminal. */
	omsec_term_escape(esc, sizeof(esc), omsec_span_cstr(path));
	snprintf(msg, sizeof(msg), "%s: %s", esc, what);
	ig->opts.warn(ig->opts.warn_arg, msg);
}

struct omsec_ingest *
omsec_ingest_new(struct omsec_out *out, const struct omsec_ingest_opts *opts)
{
	struct omsec_ingest *ig = calloc(1, sizeof(*ig));

	if (ig == NULL)
		return NULL;
	ig->out = out;
	if (opts != NULL)
		ig->opts = *opts;
	/* 16 + MAX_WBITS: gzip wrapper only, as sniffed. */
	if (inflateInit2(&ig->z, 16 + MAX_WBITS) != Z_OK) {
		free(ig);
		return NULL;
	}
	ig->z_ready = 1;
	return ig;
}

void
omsec_ingest_free(struct omsec_ingest *ig)
{
	if (ig == NULL)
		return;
	if (ig->z_ready)
		inflateEnd(&ig->z);
	while (ig->ncand > 0)
		free(ig->cand[--ig->ncand].path);
	free(ig->cand);
	free(ig);
}

void
omsec_ingest_begin(struct omsec_ingest *ig)
{
	omsec_out_str(ig->out, "#omsec-ingest\t1\n");
}

void
omsec_ingest_exclude_fd(struct omsec_ingest *ig, int fd)
{
	struct stat sb;

	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
		ig->excl_set = 1;
		ig->excl_dev = sb.st_dev;
		ig->excl_ino = sb.st_ino;
	}
}

int
omsec_ingest_out_failed(const struct omsec_ingest *ig)
{
	return omsec_out_failed(ig->out);
}

const struct omsec_ingest_stats *
omsec_ingest_stats(const struct omsec_ingest *ig)
{
	return &ig->st;
}

static long
read_retry(int fd, void *buf, size_t cap)
{
	ssize_t n;

	do
		n = read(fd, buf, cap);
	while (n < 0 && errno == EINTR);
	return (long)n;
}

/*
 * Byte sources for the line reader. Both report errors by recording them in
 * the src and returning end of input, so that the reader still hands out a
 * last partial line: everything decoded before the damage is kept.
 */
static long
plain_read(void *ctx, char *buf, size_t cap)
{
	struct src *s = ctx;
	long n;

	if (s->pend_n > 0) {
		size_t k = s->pend_n < cap ? s->pend_n : cap;
		memcpy(buf, s->ig->inbuf + s->pend_off, k);
		s->pend_off += k;
		s->pend_n -= k;
		s->delivered += k;
		return (long)k;
	}
	if (s->done)
		return 0;
	if (s->limited) {
		if (s->remain == 0) {
			s->done = 1;
			return 0;
		}
		if (cap > s->remain)
			cap = (size_t)s->remain;
	}
	n = read_retry(s->fd, buf, cap);
	if (n <= 0) {
		if (n < 0)
			s->read_errno = errno;
		s->done = 1;
		return 0;
	}
	if (s->limited)
		s->remain -= (uint64_t)n;
	s->ig->st.bytes_in += (uint64_t)n;
	s->ig->st.bytes_raw += (uint64_t)n;
	s->delivered += (uint64_t)n;
	return n;
}

/* Refills the compressed buffer when empty. 0 ok (maybe at eof), -1 error. */
static int
gz_fill(struct src *s)
{
	z_stream *z = &s->ig->z;
	long n;

	if (z->avail_in > 0 || s->in_eof)
		return 0;
	s->in_off += (uint64_t)(z->next_in - s->ig->inbuf);
	n = read_retry(s->fd, s->ig->inbuf, INBUF_SZ);
	if (n < 0) {
		s->read_errno = errno;
		return -1;
	}
	if (n == 0)
		s->in_eof = 1;
	s->ig->st.bytes_in += (uint64_t)n;
	z->next_in = s->ig->inbuf;
	z->avail_in = (uInt)n;
	return 0;
}

static long
gz_read(void *ctx, char *buf, size_t cap)
{
	struct src *s = ctx;
	z_stream *z = &s->ig->z;

	while (!s->done) {
		uint64_t at;
		size_t got;
		int rc;

		if (gz_fill(s) < 0) {
			s->done = 1;
			break;
		}
		z->next_out = (Bytef *)buf;
		z->avail_out = (uInt)cap;
		rc = inflate(z, Z_NO_FLUSH);
		got = cap - z->avail_out;
		at = s->in_off + (uint64_t)(z->next_in - s->ig->inbuf);
		if (rc == Z_STREAM_END) {
			/* A member ended: another may follow. */
			if (gz_fill(s) < 0)
				s->done = 1;
			else if (z->avail_in == 0)
				s->done = 1;
			else
				inflateReset(z);
		} else if (rc == Z_OK || rc == Z_BUF_ERROR) {
			if (got == 0 && z->avail_in == 0 && s->in_eof) {
				snprintf(s->zmsg, sizeof(s->zmsg),
				    "gzip error at offset %llu: unexpected end "
				    "of file", (unsigned long long)at);
				s->done = 1;
			}
		} else {
			snprintf(s->zmsg, sizeof(s->zmsg),
			    "gzip error at offset %llu: %s",
			    (unsigned long long)at,
			    z->msg ? z->msg : zError(rc));
			s->done = 1;
		}
		if (got > 0)
			s->ig->st.bytes_raw += got;
		if (got > 0 && s->skip > 0) {
			/* Read in an earlier run: decompressed and dropped. */
			size_t d = got < s->skip ? got : (size_t)s->skip;
			memmove(buf, buf + d, got - d);
			got -= d;
			s->skip -= d;
		}
		if (got > 0) {
			s->delivered += got;
			return (long)got;
		}
	}
	return 0;
}

/*
 * Reads the first bytes into inbuf to look for the gzip magic. Returns the
 * number of bytes sniffed (0 for an empty source), or -1 on a read error.
 */
static long
sniff(struct src *s)
{
	size_t have = 0;

	/* A pipe may deliver one byte at a time: wait for two, or the end. */
	while (have < 2) {
		long n = read_retry(s->fd, s->ig->inbuf + have, INBUF_SZ - have);
		if (n < 0) {
			s->read_errno = errno;
			return -1;
		}
		if (n == 0) {
			s->in_eof = 1;
			break;
		}
		have += (size_t)n;
	}
	s->ig->st.bytes_in += have;
	return (long)have;
}

/*
 * "#source path type mtime [line0]": line0, the lines of this stream that
 * earlier runs framed, lets omsec-parse number lines as the file does.
 */
static void
write_header(struct omsec_ingest *ig, const char *path, const char *type,
    int64_t mtime, uint64_t line0)
{
	struct omsec_out *o = ig->out;

	omsec_out_str(o, "#source\t");
	omsec_out_tsv(o, omsec_span_cstr(path));
	omsec_out_putc(o, '\t');
	omsec_out_tsv(o, omsec_span_cstr(type));
	omsec_out_putc(o, '\t');
	if (mtime < 0)
		omsec_out_putc(o, '-');
	else
		omsec_out_i64(o, mtime);
	if (line0 > 0) {
		omsec_out_putc(o, '\t');
		omsec_out_u64(o, line0);
	}
	omsec_out_putc(o, '\n');
}

/*
 * What part of a source to frame (incremental reading). known: gz is known
 * from the head, do not sniff (a plain file read from the middle may start
 * with any bytes). Plain: file offsets [skip, limit). gzip: decompressed
 * bytes from skip to the end.
 */
struct range {
	int known, gz;
	uint64_t skip, limit;
	uint64_t line0;		/* lines of the stream framed by earlier runs */
	int lazy_header;	/* write #source only before a first line */
	uint64_t consumed;	/* out: skip + bytes framed */
	uint64_t lines;		/* out */
};

static void
progress(struct omsec_ingest *ig)
{
	if (ig->opts.progress != NULL)
		ig->opts.progress(ig->opts.progress_arg, ig->st.bytes_in,
		    ig->total);
}

static int
frame(struct omsec_ingest *ig, int fd, const char *path, const char *type,
    int64_t mtime, struct range *rg)
{
	struct src s;
	struct omsec_reader *r;
	uint64_t lines = 0, cut = 0;
	long have = 0;
	char *line;
	size_t len;
	int trunc, rc, headed = 0;

	memset(&s, 0, sizeof(s));
	s.ig = ig;
	s.fd = fd;
	if (rg != NULL && rg->known && !rg->gz) {
		if (lseek(fd, (off_t)rg->skip, SEEK_SET) < 0) {
			say(ig, path, "seek: %s", strerror(errno));
			ig->st.failed++;
			return -1;
		}
		s.limited = 1;
		s.remain = rg->limit > rg->skip ? rg->limit - rg->skip : 0;
	} else if ((have = sniff(&s)) < 0) {
		say(ig, path, "read: %s", strerror(s.read_errno));
		ig->st.failed++;
		return -1;
	}
	s.gz = have >= 2 && ig->inbuf[0] == 0x1f && ig->inbuf[1] == 0x8b;
	if (s.gz) {
		inflateReset(&ig->z);
		ig->z.next_in = ig->inbuf;
		ig->z.avail_in = (uInt)have;
		s.in_off = 0;
		s.skip = rg != NULL ? rg->skip : 0;
		r = omsec_reader_new_fn(gz_read, &s);
	} else {
		s.pend_off = 0;
		s.pend_n = (size_t)have;
		ig->st.bytes_raw += (uint64_t)have;
		s.done = s.in_eof;
		r = omsec_reader_new_fn(plain_read, &s);
	}
	if (r == NULL) {
		say(ig, path, "%s", strerror(ENOMEM));
		ig->st.failed++;
		return -1;
	}
	ig->st.files++;
	if (rg == NULL || !rg->lazy_header) {
		write_header(ig, path, type, mtime, rg != NULL ? rg->line0 : 0);
		headed = 1;
	}
	while ((rc = omsec_reader_next(r, &line, &len, &trunc)) == 1) {
		if (!headed) {
			write_header(ig, path, type, mtime, rg != NULL ? rg->line0 : 0);
			headed = 1;
		}
		/* '#' starts a framing line: a raw one gets one more '#'. */
		if (len > 0 && line[0] == '#')
			omsec_out_putc(ig->out, '#');
		omsec_out_write(ig->out, line, len);
		omsec_out_putc(ig->out, '\n');
		lines++;
		cut += (uint64_t)trunc;
		if (lines % POLL_LINES == 0) {
			if (omsec_out_failed(ig->out))
				break;
			progress(ig);
		}
	}
	omsec_reader_free(r);
	ig->st.lines += lines;
	ig->st.truncated += cut;
	progress(ig);
	if (rg != NULL) {
		/* A plain source is read from skip; gzip skipped s.skip less. */
		rg->consumed = s.gz ? rg->skip - s.skip + s.delivered :
		    (rg->known ? rg->skip : 0) + s.delivered;
		rg->lines = lines;
	}
	if (cut > 0)
		say(ig, path, "%llu line%s longer than 1 MiB cut",
		    (unsigned long long)cut, cut == 1 ? "" : "s");
	if (rc < 0 && s.read_errno == 0)
		s.read_errno = errno;
	if (s.read_errno != 0) {
		say(ig, path, "read: %s", strerror(s.read_errno));
		ig->st.failed++;
		return -1;
	}
	if (s.zmsg[0] != '\0') {
		say(ig, path, "%s", s.zmsg);
		ig->st.failed++;
		return -1;
	}
	return 0;
}

int
omsec_ingest_fd(struct omsec_ingest *ig, int fd, const char *path,
    const char *type, int64_t mtime)
{
	return frame(ig, fd, path, type, mtime, NULL);
}

static int add_cand(struct omsec_ingest *ig, int fd, const struct stat *sb,
    const char *path, const char *type);

/* Opens and frames one file; explicit says it was named by the user. */
static int
ingest_file(struct omsec_ingest *ig, const char *path, const char *type,
    int explicit)
{
	struct stat sb;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		say(ig, path, "%s", strerror(errno));
		ig->st.failed++;
		return -1;
	}
	if (fstat(fd, &sb) != 0) {
		say(ig, path, "%s", strerror(errno));
		ig->st.failed++;
		close(fd);
		return -1;
	}
	if (!S_ISREG(sb.st_mode) && !explicit) {
		say(ig, path, "not a regular file, skipped");
		ig->st.skipped++;
		close(fd);
		return 0;
	}
	if (ig->excl_set && sb.st_dev == ig->excl_dev &&
	    sb.st_ino == ig->excl_ino) {
		/* As cat(1): reading the output would never end. */
		say(ig, path, "input file is output file");
		ig->st.failed++;
		close(fd);
		return -1;
	}
	if (ig->opts.state != NULL && S_ISREG(sb.st_mode))
		rc = add_cand(ig, fd, &sb, path, type);
	else
		rc = omsec_ingest_fd(ig, fd, path, type, (int64_t)sb.st_mtime);
	close(fd);
	return rc;
}

/* The directories on the path from the walk's root: loop detection. */
struct frame {
	dev_t dev;
	ino_t ino;
	const struct frame *up;
};

struct dent {
	char *path;		/* dir + "/" + name */
	const char *name;	/* points into path */
	int is_dir;		/* directory: keyed as a live name */
	int is_reg;
	int stat_errno;
};

static int
dent_cmp(const void *pa, const void *pb)
{
	const struct dent *a = pa, *b = pb;

	/* Only files form rotated sets: "10.0.0.5/" is a host, not a .5. */
	if (a->is_dir || b->is_dir) {
		int c = strcmp(a->name, b->name);
		if (c != 0 || a->is_dir == b->is_dir)
			return c;
		return a->is_dir ? 1 : -1;
	}
	return omsec_rot_cmp(a->name, b->name);
}

static int walk(struct omsec_ingest *ig, const char *dir, const char *type,
    const struct frame *up);

static int
walk_entries(struct omsec_ingest *ig, struct dent *d, size_t n,
    const char *type, const struct frame *fr)
{
	int rval = 0;
	size_t i;

	for (i = 0; i < n && !omsec_out_failed(ig->out); i++) {
		if (d[i].stat_errno != 0) {
			say(ig, d[i].path, "%s", strerror(d[i].stat_errno));
			ig->st.failed++;
			rval = -1;
		} else if (d[i].is_dir) {
			if (walk(ig, d[i].path, type, fr) < 0)
				rval = -1;
		} else if (!d[i].is_reg) {
			/* Opening a fifo found in a walk would block. */
			say(ig, d[i].path, "not a regular file, skipped");
			ig->st.skipped++;
		} else if (ingest_file(ig, d[i].path, type, 0) < 0)
			rval = -1;
	}
	return rval;
}

static int
walk(struct omsec_ingest *ig, const char *dir, const char *type,
    const struct frame *up)
{
	struct frame fr;
	const struct frame *f;
	struct dirent *de;
	struct dent *d = NULL;
	struct stat sb;
	size_t n = 0, cap = 0, dlen = strlen(dir), i;
	int rval = 0, sep;
	DIR *dp;

	if ((dp = opendir(dir)) == NULL) {
		say(ig, dir, "%s", strerror(errno));
		ig->st.failed++;
		return -1;
	}
	if (fstat(dirfd(dp), &sb) != 0) {
		say(ig, dir, "%s", strerror(errno));
		ig->st.failed++;
		closedir(dp);
		return -1;
	}
	for (f = up; f != NULL; f = f->up)
		if (f->dev == sb.st_dev && f->ino == sb.st_ino) {
			/* Reached again through a symlink: already read. */
			say(ig, dir, "directory loop, skipped");
			ig->st.skipped++;
			closedir(dp);
			return 0;
		}
	fr.dev = sb.st_dev;
	fr.ino = sb.st_ino;
	fr.up = up;
	sep = dlen == 0 || dir[dlen - 1] != '/';
	errno = 0;
	while ((de = readdir(dp)) != NULL) {
		size_t nl = strlen(de->d_name);
		struct dent *e;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			struct dent *nd = realloc(d, nc * sizeof(*d));
			if (nd == NULL)
				goto nomem;
			d = nd;
			cap = nc;
		}
		e = &d[n];
		if ((e->path = malloc(dlen + (size_t)sep + nl + 1)) == NULL)
			goto nomem;
		memcpy(e->path, dir, dlen);
		if (sep)
			e->path[dlen] = '/';
		memcpy(e->path + dlen + (size_t)sep, de->d_name, nl + 1);
		e->name = e->path + dlen + (size_t)sep;
		n++;
		errno = 0;
	}
	if (errno != 0) {
		say(ig, dir, "%s", strerror(errno));
		ig->st.failed++;
		rval = -1;
	}
	/* Close before descending: depth must not cost open descriptors. */
	closedir(dp);
	dp = NULL;
	for (i = 0; i < n; i++) {
		/* Follow symlinks: /var/log often links into other disks. */
		d[i].stat_errno = stat(d[i].path, &sb) != 0 ? errno : 0;
		d[i].is_dir = d[i].stat_errno == 0 && S_ISDIR(sb.st_mode);
		d[i].is_reg = d[i].stat_errno == 0 && S_ISREG(sb.st_mode);
	}
	qsort(d, n, sizeof(*d), dent_cmp);
	if (walk_entries(ig, d, n, type, &fr) < 0)
		rval = -1;
	for (i = 0; i < n; i++)
		free(d[i].path);
	free(d);
	return rval;

nomem:
	say(ig, dir, "%s", strerror(ENOMEM));
	ig->st.failed++;
	for (i = 0; i < n; i++)
		free(d[i].path);
	free(d);
	if (dp != NULL)
		closedir(dp);
	return -1;
}

/* ---- incremental reading (see ingest.h) ---- */

static int64_t
mtime_ns(const struct stat *sb)
{
	int64_t t = (int64_t)sb->st_mtim.tv_sec * 1000000000 +
	    (int64_t)sb->st_mtim.tv_nsec;

	return t < 0 ? 0 : t;
}

/*
 * Reads the first decompressed bytes of c (up to OMSEC_FP_MAX) into its
 * head. 0, or -1 on a read error (warned). A damaged gzip still gets the
 * head decoded before the damage; the damage is reported when it is read.
 */
static int
read_head(struct omsec_ingest *ig, int fd, struct cand *c)
{
	uint64_t in = ig->st.bytes_in, raw = ig->st.bytes_raw;
	struct src s;
	long have;

	memset(&s, 0, sizeof(s));
	s.ig = ig;
	s.fd = fd;
	have = sniff(&s);
	if (have >= 0) {
		c->gz = have >= 2 && ig->inbuf[0] == 0x1f && ig->inbuf[1] == 0x8b;
		if (!c->gz) {
			c->head_len = (size_t)have < OMSEC_FP_MAX ?
			    (size_t)have : OMSEC_FP_MAX;
			memcpy(c->head, ig->inbuf, c->head_len);
		} else {
			inflateReset(&ig->z);
			ig->z.next_in = ig->inbuf;
			ig->z.avail_in = (uInt)have;
			while (c->head_len < OMSEC_FP_MAX) {
				long n = gz_read(&s, (char *)c->head + c->head_len,
				    OMSEC_FP_MAX - c->head_len);
				if (n <= 0)
					break;
				c->head_len += (size_t)n;
			}
		}
	}
	/* Heads are not part of what was read. */
	ig->st.bytes_in = in;
	ig->st.bytes_raw = raw;
	if (have < 0 || s.read_errno != 0) {
		say(ig, c->path, "read: %s", strerror(s.read_errno));
		ig->st.failed++;
		return -1;
	}
	return 0;
}

/* Lists a regular file of a run; fd is open on it and not closed here. */
static int
add_cand(struct omsec_ingest *ig, int fd, const struct stat *sb,
    const char *path, const char *type)
{
	struct omsec_state *st = ig->opts.state;
	struct omsec_rot rot;
	struct cand *c;
	size_t i;

	/* The same file named twice (an argument and a walk) is one file. */
	for (i = 0; i < ig->ncand; i++)
		if (ig->cand[i].dev == sb->st_dev && ig->cand[i].ino == sb->st_ino)
			return 0;
	if (ig->ncand == ig->capcand) {
		size_t nc = ig->capcand ? ig->capcand * 2 : 32;
		struct cand *n = realloc(ig->cand, nc * sizeof(*n));
		if (n == NULL)
			goto nomem;
		ig->cand = n;
		ig->capcand = nc;
	}
	c = &ig->cand[ig->ncand];
	memset(c, 0, sizeof(*c));
	if ((c->path = strdup(path)) == NULL)
		goto nomem;
	c->type = type;
	c->dev = sb->st_dev;
	c->ino = sb->st_ino;
	c->si = -1;
	omsec_rot_parse(&rot, path);
	c->live = rot.kind == OMSEC_ROT_LIVE;
	/* Unchanged since a run saw it (maybe renamed): not even the head. */
	for (i = 0; i < st->n; i++) {
		struct omsec_stream *s = &st->s[i];
		if (!s->claimed && s->dev == (uint64_t)sb->st_dev &&
		    s->ino == (uint64_t)sb->st_ino &&
		    s->size == (uint64_t)sb->st_size &&
		    s->mtime_ns == mtime_ns(sb)) {
			unsigned char mg[2];
			s->claimed = 1;
			c->si = (long)i;
			/*
			 * A last line without '\n', left by the run before and
			 * still unchanged a run later, is complete after all.
			 */
			if (s->offset < s->size && (pread(fd, mg, 2, 0) != 2 ||
			    mg[0] != 0x1f || mg[1] != 0x8b)) {
				c->todo = C_READ;
				c->live = 0;
				ig->ncand++;
				return 0;
			}
			c->todo = C_UNCHANGED;
			ig->st.unchanged++;
			ig->ncand++;
			return 0;
		}
	}
	c->todo = C_READ;
	if (read_head(ig, fd, c) != 0) {
		free(c->path);
		return -1;
	}
	ig->ncand++;
	return 0;

nomem:
	say(ig, path, "%s", strerror(ENOMEM));
	ig->st.failed++;
	return -1;
}

static int
fp_match(const struct cand *c, const struct omsec_stream *s)
{
	return s->fp_len <= c->head_len &&
	    omsec_fp_hash(c->head, (size_t)s->fp_len) == s->fp;
}

/*
 * End of the last complete line of a live plain file in [from, size): a
 * line still being written is left for the next run. A tail without '\n'
 * longer than the reader's line cap is read anyway (it would be cut).
 */
static uint64_t
last_line_end(struct omsec_ingest *ig, int fd, uint64_t from, uint64_t size)
{
	uint64_t end = size;

	while (end > from) {
		size_t n = end - from < INBUF_SZ ? (size_t)(end - from) : INBUF_SZ, i;
		ssize_t got = pread(fd, ig->inbuf, n, (off_t)(end - n));

		if (got != (ssize_t)n)
			return size;	/* the read reports the error */
		for (i = n; i > 0; i--)
			if (ig->inbuf[i - 1] == '\n')
				return end - n + i;
		end -= n;
		if (size - end >= OMSEC_READER_BUFSZ)
			return size;
	}
	return from;
}

/* Records where a stream was seen, and its file's stat. */
static int
stream_seen(struct omsec_stream *s, const char *path, const struct stat *sb,
    uint64_t run)
{
	s->dev = (uint64_t)sb->st_dev;
	s->ino = (uint64_t)sb->st_ino;
	s->size = (uint64_t)sb->st_size;
	s->mtime_ns = mtime_ns(sb);
	s->seen = run;
	return omsec_stream_set_path(s, path);
}

/* Reads what is new in one candidate and advances its stream. */
static int
read_cand(struct omsec_ingest *ig, struct cand *c, uint64_t run)
{
	struct omsec_state *st = ig->opts.state;
	struct omsec_stream *s;
	struct range rg;
	struct stat sb;
	int fd, rc = 0;

	fd = open(c->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		say(ig, c->path, "%s", strerror(errno));
		ig->st.failed++;
		return -1;
	}
	if (fstat(fd, &sb) != 0 || sb.st_dev != c->dev || sb.st_ino != c->ino) {
		/* Rotated between listing and reading: the next run reads it. */
		say(ig, c->path, "replaced while being read, left for the next run");
		ig->st.skipped++;
		close(fd);
		return 0;
	}
	memset(&rg, 0, sizeof(rg));
	rg.known = 1;
	rg.gz = c->gz;
	rg.lazy_header = 1;
	rg.skip = c->si >= 0 ? st->s[c->si].offset : 0;
	rg.line0 = c->si >= 0 ? st->s[c->si].lines : 0;
	rg.limit = (uint64_t)sb.st_size;
	if (!c->gz) {
		if (rg.limit < rg.skip) {
			say(ig, c->path, "shorter (%llu bytes) than what was read "
			    "of it (%llu bytes): not read",
			    (unsigned long long)rg.limit,
			    (unsigned long long)rg.skip);
			ig->st.failed++;
			close(fd);
			return -1;
		}
		if (c->live)
			rg.limit = last_line_end(ig, fd, rg.skip, rg.limit);
	}
	if (c->gz || rg.limit > rg.skip)
		rc = frame(ig, fd, c->path, c->type, (int64_t)sb.st_mtime, &rg);
	else
		rg.consumed = rg.skip;
	close(fd);
	if (c->si < 0) {
		/* A new stream: remembered once a byte of it is read. */
		if (rg.consumed == 0)
			return rc;
		if ((s = omsec_state_add(st, c->path)) == NULL)
			goto nomem;
		c->si = (long)(s - st->s);
		s->claimed = 1;
		ig->st.streams_new++;
	}
	s = &st->s[c->si];
	if (rg.consumed > s->offset)
		s->offset = rg.consumed;
	s->lines += rg.lines;
	/* The fingerprint grows with the stream, up to OMSEC_FP_MAX. */
	if (s->fp_len < OMSEC_FP_MAX && c->head_len > s->fp_len &&
	    s->offset > s->fp_len) {
		s->fp_len = c->head_len < s->offset ? c->head_len : s->offset;
		s->fp = omsec_fp_hash(c->head, (size_t)s->fp_len);
	}
	if (stream_seen(s, c->path, &sb, run) != 0)
		goto nomem;
	return rc;

nomem:
	say(ig, c->path, "%s", strerror(ENOMEM));
	ig->st.failed++;
	return -1;
}

static void
claim(struct omsec_ingest *ig, struct cand *c, size_t si)
{
	ig->opts.state->s[si].claimed = 1;
	c->si = (long)si;
}

/* One run over the listed candidates: match, read, advance, forget. */
static int
state_run(struct omsec_ingest *ig)
{
	struct omsec_state *st = ig->opts.state;
	uint64_t run = st->run + 1;
	size_t i, j, k;
	int rval = 0;

	/*
	 * x.log.2 beside x.log.2.gz: gzip is still writing (or was killed).
	 * The plain file is whole; the gzip is read once it is alone.
	 */
	for (i = 0; i < ig->ncand; i++) {
		struct cand *c = &ig->cand[i];
		size_t pl = strlen(c->path);
		if (c->todo == C_UNCHANGED || pl < 4 ||
		    strcmp(c->path + pl - 3, ".gz") != 0)
			continue;
		for (k = 0; k < ig->ncand; k++)
			if (k != i && strlen(ig->cand[k].path) == pl - 3 &&
			    memcmp(ig->cand[k].path, c->path, pl - 3) == 0) {
				c->todo = C_COPY;
				ig->st.copies++;
				break;
			}
	}
	/* A: the stream last seen in this inode, if the start is the same. */
	for (i = 0; i < ig->ncand; i++) {
		struct cand *c = &ig->cand[i];
		if (c->todo != C_READ || c->si >= 0)
			continue;
		for (j = 0; j < st->n; j++) {
			struct omsec_stream *s = &st->s[j];
			if (s->claimed || s->dev != (uint64_t)c->dev ||
			    s->ino != (uint64_t)c->ino)
				continue;
			if (fp_match(c, s)) {
				claim(ig, c, j);
				break;
			}
			/* Same inode, other bytes: truncated (copytruncate). */
			ig->st.truncations++;
		}
	}
	/* B: any stream with the start: renamed, compressed or copied. */
	for (i = 0; i < ig->ncand; i++) {
		struct cand *c = &ig->cand[i];
		long best = -1;
		if (c->todo != C_READ || c->si >= 0)
			continue;
		for (j = 0; j < st->n; j++) {
			struct omsec_stream *s = &st->s[j], *b;
			if (s->claimed || !fp_match(c, s))
				continue;
			b = best >= 0 ? &st->s[best] : NULL;
			if (b == NULL || s->seen > b->seen ||
			    (s->seen == b->seen && s->offset > b->offset))
				best = (long)j;
		}
		if (best >= 0)
			claim(ig, c, (size_t)best);
	}
	/* C: a gzip and a plain file of one stream (mid-compression). */
	for (i = 0; i < ig->ncand; i++) {
		struct cand *c = &ig->cand[i];
		if (c->todo != C_READ || c->si >= 0)
			continue;
		if (c->head_len == 0) {
			c->todo = C_NONE;	/* empty: nothing yet */
			continue;
		}
		for (k = 0; k < ig->ncand; k++) {
			const struct cand *d = &ig->cand[k];
			if (k != i && d->si >= 0 && d->gz != c->gz &&
			    fp_match(c, &st->s[d->si])) {
				c->todo = C_COPY;
				ig->st.copies++;
				break;
			}
		}
	}
	for (i = 0; i < ig->ncand; i++)
		if (ig->cand[i].todo == C_READ) {
			struct stat sb;
			uint64_t off = ig->cand[i].si >= 0 && !ig->cand[i].gz ?
			    st->s[ig->cand[i].si].offset : 0;
			if (stat(ig->cand[i].path, &sb) == 0 &&
			    (uint64_t)sb.st_size > off)
				ig->total += (uint64_t)sb.st_size - off;
		}
	/* Read in the order listed: rotated sets oldest first. */
	for (i = 0; i < ig->ncand && !omsec_out_failed(ig->out); i++) {
		struct cand *c = &ig->cand[i];
		if (c->todo == C_READ) {
			if (read_cand(ig, c, run) != 0)
				rval = -1;
		} else if (c->todo == C_UNCHANGED) {
			struct stat sb;
			/* Renamed perhaps: the state names the new path. */
			if (stat(c->path, &sb) == 0 &&
			    stream_seen(&st->s[c->si], c->path, &sb, run) != 0)
				rval = -1;
		}
	}
	/* Streams not seen for keep runs are forgotten (deleted files). */
	for (i = j = 0; i < st->n; i++) {
		struct omsec_stream *s = &st->s[i];
		if (s->claimed)
			s->seen = run;
		if (run - s->seen >= st->keep) {
			free(s->path);
			continue;
		}
		s->claimed = 0;
		st->s[j++] = *s;
	}
	st->n = j;
	st->run = run;
	for (i = 0; i < ig->ncand; i++)
		free(ig->cand[i].path);
	ig->ncand = 0;
	return rval;
}

/*
 * A FILE source of a rotated set: FILE and every FILE.N[.gz] and
 * FILE-DATE[.gz] beside it, oldest first. FILE itself may be missing
 * (between logrotate's rename and the new file's creation).
 */
static int
rotated_set(struct omsec_ingest *ig, const char *path, const char *type)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	size_t plen = (size_t)(base - path), blen = strlen(base), n = 0, cap = 0, i;
	char dir[4096], full[4096];
	const char **names = NULL;
	struct dirent *de;
	int rval = 0;
	DIR *dp;

	if (plen == 0)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(plen > 1 ? plen - 1 : 1),
		    path);
	if (blen == 0 || (dp = opendir(dir)) == NULL) {
		say(ig, path, "%s", blen == 0 ? "not a file name" : strerror(errno));
		ig->st.failed++;
		return -1;
	}
	while ((de = readdir(dp)) != NULL) {
		struct omsec_rot r;
		omsec_rot_parse(&r, de->d_name);
		if (r.base_len != blen || memcmp(de->d_name, base, blen) != 0)
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			const char **nn = realloc(names, nc * sizeof(*nn));
			if (nn == NULL)
				break;
			names = nn;
			cap = nc;
		}
		if ((names[n] = strdup(de->d_name)) == NULL)
			break;
		n++;
	}
	if (de != NULL) {
		say(ig, path, "%s", strerror(ENOMEM));
		ig->st.failed++;
		rval = -1;
	}
	closedir(dp);
	if (n == 0 && rval == 0) {
		say(ig, path, "%s", strerror(ENOENT));
		ig->st.failed++;
		rval = -1;
	}
	omsec_rot_sort(names, n);
	for (i = 0; i < n; i++) {
		struct stat sb;
		snprintf(full, sizeof(full), "%.*s%s", (int)plen, path, names[i]);
		/* Only files: a directory x.log.d is no generation of x.log. */
		if (stat(full, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    ingest_file(ig, full, type, 0) < 0)
			rval = -1;
		free((void *)(uintptr_t)names[i]);
	}
	free(names);
	return rval;
}

int
omsec_ingest_path(struct omsec_ingest *ig, const char *path, const char *type)
{
	struct stat sb;

	if (strcmp(path, "-") == 0)
		return omsec_ingest_fd(ig, STDIN_FILENO, "-", type, -1);
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return walk(ig, path, type, NULL);
	if (ig->opts.rotated)
		return rotated_set(ig, path, type);
	return ingest_file(ig, path, type, 1);
}

struct slot {
	const struct omsec_ingest_src *src;
	size_t idx;		/* position on the command line */
	size_t first;		/* position of the first member of its set */
	size_t rank;		/* position within the sorted set */
	int alone;		/* stdin or a directory: never grouped */
};

static int
same_type(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Groups rotated sets: by rotation order, stdin and directories apart. */
static int
slot_set_cmp(const void *pa, const void *pb)
{
	const struct slot *a = pa, *b = pb;
	int c;

	if (a->alone || b->alone) {
		if (a->alone != b->alone)
			return a->alone ? 1 : -1;
		return (a->idx > b->idx) - (a->idx < b->idx);
	}
	c = strcmp(a->src->type ? a->src->type : "",
	    b->src->type ? b->src->type : "");
	if (c != 0)
		return c;
	c = omsec_rot_cmp(a->src->path, b->src->path);
	if (c != 0)
		return c;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

static int
slot_emit_cmp(const void *pa, const void *pb)
{
	const struct slot *a = pa, *b = pb;

	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	return (a->rank > b->rank) - (a->rank < b->rank);
}

/* Two paths are in one rotated set when their bases are equal. */
static int
same_set(const char *a, const char *b)
{
	struct omsec_rot ra, rb;

	omsec_rot_parse(&ra, a);
	omsec_rot_parse(&rb, b);
	return ra.base_len == rb.base_len && memcmp(a, b, ra.base_len) == 0;
}

int
omsec_ingest_batch(struct omsec_ingest *ig,
    const struct omsec_ingest_src *srcs, size_t n)
{
	struct slot *sl;
	struct stat sb;
	size_t i, j;
	int rval = 0;

	if (n == 0)
		return ig->opts.state != NULL ? state_run(ig) : 0;
	if ((sl = calloc(n, sizeof(*sl))) == NULL) {
		say(ig, "-", "%s", strerror(ENOMEM));
		return -1;
	}
	for (i = 0; i < n; i++) {
		sl[i].src = &srcs[i];
		sl[i].idx = i;
		sl[i].alone = strcmp(srcs[i].path, "-") == 0 ||
		    (stat(srcs[i].path, &sb) == 0 && S_ISDIR(sb.st_mode));
	}
	qsort(sl, n, sizeof(*sl), slot_set_cmp);
	for (i = 0; i < n; i = j) {
		size_t first = sl[i].idx, k;

		for (j = i + 1; j < n && !sl[i].alone && !sl[j].alone &&
		    same_type(sl[i].src->type, sl[j].src->type) &&
		    same_set(sl[i].src->path, sl[j].src->path); j++)
			if (sl[j].idx < first)
				first = sl[j].idx;
		for (k = i; k < j; k++) {
			sl[k].first = first;
			sl[k].rank = k - i;
		}
	}
	qsort(sl, n, sizeof(*sl), slot_emit_cmp);
	for (i = 0; i < n && !omsec_out_failed(ig->out); i++)
		if (omsec_ingest_path(ig, sl[i].src->path, sl[i].src->type) < 0)
			rval = -1;
	free(sl);
	if (ig->opts.state != NULL && state_run(ig) != 0)
		rval = -1;
	return rval;
}
