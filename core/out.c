/*
 * out.c - buffered output, escapers and atomic files (see out.h).
 *
 * Cost: every escaper is one pass over its input, copying runs of bytes
 * that need no escape with one memcpy. Memory: one 256 KiB buffer per
 * omsec_out.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "out.h"

#define OUT_BUFSZ (256 * 1024)

struct omsec_out {
	int fd;
	int failed;
	int err;		/* errno of the first failure */
	size_t len;
	char buf[OUT_BUFSZ];
};

struct omsec_out *
omsec_out_new_fd(int fd)
{
	struct omsec_out *o = malloc(sizeof(*o));

	if (o == NULL)
		return NULL;
	o->fd = fd;
	o->failed = 0;
	o->err = 0;
	o->len = 0;
	return o;
}

static void
drain(struct omsec_out *o)
{
	size_t off = 0;

	while (!o->failed && off < o->len) {
		ssize_t n = write(o->fd, o->buf + off, o->len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			o->failed = 1;
			o->err = errno;
		} else
			off += (size_t)n;
	}
	o->len = 0;
}

int
omsec_out_flush(struct omsec_out *o)
{
	drain(o);
	if (o->failed) {
		errno = o->err;
		return -1;
	}
	return 0;
}

int
omsec_out_close(struct omsec_out *o)
{
	int rc;

	if (o == NULL)
		return 0;
	rc = omsec_out_flush(o);
	free(o);
	return rc;
}

int
omsec_out_failed(const struct omsec_out *o)
{
	return o != NULL && o->failed;
}

void
omsec_out_write(struct omsec_out *o, const void *p, size_t n)
{
	if (o->failed)
		return;
	if (o->len + n > OUT_BUFSZ) {
		drain(o);
		if (n > OUT_BUFSZ) {
			/* Too big to buffer: write it through. */
			const char *q = p;
			while (!o->failed && n > 0) {
				ssize_t w = write(o->fd, q, n);
				if (w < 0) {
					if (errno == EINTR)
						continue;
					o->failed = 1;
					o->err = errno;
					return;
				}
				q += w;
				n -= (size_t)w;
			}
			return;
		}
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

void
omsec_out_putc(struct omsec_out *o, char c)
{
	if (o->len == OUT_BUFSZ)
		drain(o);
	if (!o->failed)
		o->buf[o->len++] = c;
}

void
omsec_out_str(struct omsec_out *o, const char *s)
{
	omsec_out_write(o, s, strlen(s));
}

void
omsec_out_span(struct omsec_out *o, struct omsec_span s)
{
	omsec_out_write(o, s.p, s.n);
}

void
omsec_out_u64(struct omsec_out *o, uint64_t v)
{
	char tmp[24];
	int i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	omsec_out_write(o, tmp + i, sizeof(tmp) - (size_t)i);
}

void
omsec_out_i64(struct omsec_out *o, int64_t v)
{
	if (v < 0) {
		omsec_out_putc(o, '-');
		omsec_out_u64(o, (uint64_t)0 - (uint64_t)v);
	} else
		omsec_out_u64(o, (uint64_t)v);
}

static const char hexdig[] = "0123456789abcdef";

static void
put_hex_escape(struct omsec_out *o, unsigned char c)
{
	char e[4] = { '\\', 'x', hexdig[c >> 4], hexdig[c & 15] };
	omsec_out_write(o, e, 4);
}

/* Bytes that TSV fields escape: control bytes, DEL and backslash. */
static const unsigned char tsv_special[256] = {
	[0] = 1, [1] = 1, [2] = 1, [3] = 1, [4] = 1, [5] = 1, [6] = 1, [7] = 1,
	[8] = 1, [9] = 1, [10] = 1, [11] = 1, [12] = 1, [13] = 1, [14] = 1, [15] = 1,
	[16] = 1, [17] = 1, [18] = 1, [19] = 1, [20] = 1, [21] = 1, [22] = 1, [23] = 1,
	[24] = 1, [25] = 1, [26] = 1, [27] = 1, [28] = 1, [29] = 1, [30] = 1, [31] = 1,
	['\\'] = 1, [0x7f] = 1,
};

void
omsec_out_tsv(struct omsec_out *o, struct omsec_span s)
{
	const unsigned char *p = (const unsigned char *)s.p;
	size_t i, run = 0;

	if (s.n == 0) {
		omsec_out_putc(o, '-');
		return;
	}
	if (s.n == 1 && s.p[0] == '-') {
		/* A literal "-" must not read back as empty. */
		omsec_out_write(o, "\\x2d", 4);
		return;
	}
	for (i = 0; i < s.n; i++) {
		unsigned char c = p[i];
		if (!tsv_special[c])
			continue;
		omsec_out_write(o, s.p + run, i - run);
		run = i + 1;
		switch (c) {
		case '\t': omsec_out_write(o, "\\t", 2); break;
		case '\n': omsec_out_write(o, "\\n", 2); break;
		case '\r': omsec_out_write(o, "\\r", 2); break;
		case '\\': omsec_out_write(o, "\\\\", 2); break;
		default: put_hex_escape(o, c); break;
		}
	}
	omsec_out_write(o, s.p + run, s.n - run);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long
omsec_tsv_unescape(char *p, size_t n)
{
	size_t i, j;
	char *bs;

	if (n == 1 && p[0] == '-')
		return 0;
	bs = memchr(p, '\\', n);
	if (bs == NULL)
		return (long)n;
	for (i = j = (size_t)(bs - p); i < n; i++) {
		if (p[i] != '\\') {
			p[j++] = p[i];
			continue;
		}
		if (++i == n)
			return -1;
		switch (p[i]) {
		case 't': p[j++] = '\t'; break;
		case 'n': p[j++] = '\n'; break;
		case 'r': p[j++] = '\r'; break;
		case '\\': p[j++] = '\\'; break;
		case 'x': {
			int hi, lo;
			if (i + 2 >= n)
				return -1;
			hi = hexval(p[i + 1]);
			lo = hexval(p[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			p[j++] = (char)(hi << 4 | lo);
			i += 2;
			break;
		}
		default:
			return -1;
		}
	}
	return (long)j;
}

/*
 * Length of the valid UTF-8 sequence at s[0..n), or 0 if invalid
 * (overlong forms, surrogates and code points above U+10FFFF are invalid).
 */
static size_t
utf8_len(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len, k;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[k] & 0x3f);
	}
	if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (len == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	*cp = c;
	return len;
}

void
omsec_out_json(struct omsec_out *o, struct omsec_span s)
{
	const unsigned char *p = (const unsigned char *)s.p;
	size_t i = 0, run = 0;

	while (i < s.n) {
		unsigned char c = p[i];
		uint32_t cp;
		size_t len;

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			i++;
			continue;
		}
		if (c >= 0x80) {
			len = utf8_len(p + i, s.n - i, &cp);
			if (len && cp != 0x2028 && cp != 0x2029) {
				i += len;
				continue;
			}
		} else
			len = 1;
		omsec_out_write(o, s.p + run, i - run);
		if (c == '"')
			omsec_out_write(o, "\\\"", 2);
		else if (c == '\\')
			omsec_out_write(o, "\\\\", 2);
		else if (c == '\n')
			omsec_out_write(o, "\\n", 2);
		else if (c == '\t')
			omsec_out_write(o, "\\t", 2);
		else if (c == '\r')
			omsec_out_write(o, "\\r", 2);
		else if (c < 0x80) {
			char e[6] = { '\\', 'u', '0', '0', hexdig[c >> 4], hexdig[c & 15] };
			omsec_out_write(o, e, 6);
		} else if (len == 0) {
			/* Invalid UTF-8: one U+FFFD per bad byte. */
			omsec_out_write(o, "\xef\xbf\xbd", 3);
			len = 1;
		} else {
			char e[6] = { '\\', 'u', '2', '0', '2', cp == 0x2028 ? '8' : '9' };
			omsec_out_write(o, e, 6);
		}
		i += len;
		run = i;
	}
	omsec_out_write(o, s.p + run, s.n - run);
}

void
omsec_out_csv(struct omsec_out *o, struct omsec_span s)
{
	size_t i, run = 0;
	int quote = 0, formula;

	formula = s.n > 0 && (s.p[0] == '=' || s.p[0] == '+' || s.p[0] == '-' ||
	    s.p[0] == '@' || s.p[0] == '\t' || s.p[0] == '\r');
	for (i = 0; i < s.n; i++)
		if (s.p[i] == '"' || s.p[i] == ',' || s.p[i] == '\n' ||
		    s.p[i] == '\r') {
			quote = 1;
			break;
		}
	if (!quote && !formula) {
		omsec_out_span(o, s);
		return;
	}
	omsec_out_putc(o, '"');
	/* A spreadsheet must not run a cell as a formula (CWE-1236). */
	if (formula)
		omsec_out_putc(o, '\'');
	for (i = 0; i < s.n; i++) {
		if (s.p[i] != '"')
			continue;
		omsec_out_write(o, s.p + run, i + 1 - run);
		omsec_out_putc(o, '"');
		run = i + 1;
	}
	omsec_out_write(o, s.p + run, s.n - run);
	omsec_out_putc(o, '"');
}

char *
omsec_term_escape(char *dst, size_t cap, struct omsec_span s)
{
	const unsigned char *p = (const unsigned char *)s.p;
	size_t i = 0, j = 0;

	if (cap == 0)
		return dst;
	while (i < s.n) {
		uint32_t cp;
		size_t len = p[i] >= 0x80 ? utf8_len(p + i, s.n - i, &cp) : 1;
		int plain = p[i] >= 0x80 ? len > 0 && !(cp >= 0x80 && cp < 0xa0) :
		    (p[i] >= 0x20 && p[i] != 0x7f && p[i] != '\\');
		size_t need = plain ? len : 4;

		if (j + need + 4 > cap) {
			if (cap >= 4) {
				j = j + 4 > cap ? cap - 4 : j;
				memcpy(dst + j, "...", 3);
				j += 3;
			}
			break;
		}
		if (plain) {
			memcpy(dst + j, p + i, len);
			j += len;
			i += len;
		} else {
			dst[j++] = '\\';
			dst[j++] = 'x';
			dst[j++] = hexdig[p[i] >> 4];
			dst[j++] = hexdig[p[i] & 15];
			i++;
		}
	}
	dst[j < cap ? j : cap - 1] = '\0';
	return dst;
}

int
omsec_atomic_open(struct omsec_atomic *a, const char *path)
{
	struct stat st;
	size_t n;

	/* Through a symbolic link (-o /dev/stdout to a file, a "current"
	 * link) the target is replaced, not the link. */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
	    stat(path, &st) == 0 && S_ISREG(st.st_mode))
		a->path = realpath(path, NULL);
	else
		a->path = strdup(path);
	n = (a->path ? strlen(a->path) : 0) + 32;
	a->tmp = malloc(n);
	a->fd = -1;
	if (a->path == NULL || a->tmp == NULL) {
		free(a->path);
		free(a->tmp);
		a->path = a->tmp = NULL;
		errno = ENOMEM;
		return -1;
	}
	snprintf(a->tmp, n, "%s.tmp.%ld", a->path, (long)getpid());
	/* A device or a FIFO (-o /dev/stdout to a pipe, /dev/null, a named
	 * pipe) is written in place: renaming a file over it would replace
	 * the device node. tmp "" marks that case. */
	if (stat(a->path, &st) == 0 && !S_ISREG(st.st_mode) &&
	    !S_ISDIR(st.st_mode))
		a->tmp[0] = '\0';
	if (a->tmp[0] == '\0')
		a->fd = open(a->path, O_WRONLY | O_CLOEXEC);
	else
		a->fd = open(a->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0644);
	if (a->fd < 0) {
		int e = errno;
		free(a->path);
		free(a->tmp);
		a->path = a->tmp = NULL;
		errno = e;
		return -1;
	}
	return 0;
}

static void
atomic_release(struct omsec_atomic *a)
{
	free(a->path);
	free(a->tmp);
	a->path = a->tmp = NULL;
	a->fd = -1;
}

/* fsyncs the directory holding path; returns 0 or an errno value. */
static int
sync_parent_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd, e = 0;

	if (slash == NULL)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (dir == NULL)
		return ENOMEM;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return errno;
	/* Some file systems cannot fsync a directory; that is not a failure. */
	if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
		e = errno;
	close(fd);
	return e;
}

int
omsec_atomic_commit(struct omsec_atomic *a)
{
	int e;

	if (a->fd < 0)
		return -1;
	if (a->tmp[0] == '\0') {
		/* In place: fsync means nothing on a pipe or a tty. */
		e = 0;
		if (fsync(a->fd) != 0 && errno != EINVAL && errno != EROFS)
			e = errno;
		if (close(a->fd) != 0 && e == 0)
			e = errno;
		atomic_release(a);
		errno = e;
		return e ? -1 : 0;
	}
	if (fsync(a->fd) != 0 || close(a->fd) != 0) {
		e = errno;
		a->fd = -1;
		unlink(a->tmp);
		atomic_release(a);
		errno = e;
		return -1;
	}
	a->fd = -1;
	if (rename(a->tmp, a->path) != 0) {
		e = errno;
		unlink(a->tmp);
		atomic_release(a);
		errno = e;
		return -1;
	}
	/* The rename is durable only once the directory is on disk too. */
	e = sync_parent_dir(a->path);
	atomic_release(a);
	if (e != 0) {
		errno = e;
		return -1;
	}
	return 0;
}

void
omsec_atomic_abort(struct omsec_atomic *a)
{
	if (a->tmp == NULL)
		return;
	if (a->fd >= 0)
		close(a->fd);
	if (a->tmp[0] != '\0')
		unlink(a->tmp);
	atomic_release(a);
}
