/*
 * reader.c - line reader over a file descriptor or a byte source.
 *
 * Operations: next line in O(line length) (one memchr over new bytes).
 * Memory: one buffer of OMSEC_READER_BUFSZ bytes, allocated once.
 *
 * The unread tail of the buffer is moved to the front before each refill, in
 * the manner of OpenBSD cat's raw_cat loop; a line that does not fit in the
 * whole buffer is handed out cut, and its remainder is skipped.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "out.h"
#include "reader.h"

struct omsec_reader {
	omsec_read_fn fn;
	void *ctx;
	int fd;
	int eof;
	int skipping;		/* dropping the rest of a cut line */
	uint64_t lineno;
	size_t start, end;	/* unread bytes are buf[start, end) */
	char buf[OMSEC_READER_BUFSZ];
};

static long
read_fd(void *ctx, char *buf, size_t cap)
{
	int fd = *(int *)ctx;
	ssize_t n;

	do
		n = read(fd, buf, cap);
	while (n < 0 && errno == EINTR);
	return (long)n;
}

struct omsec_reader *
omsec_reader_new_fn(omsec_read_fn fn, void *ctx)
{
	struct omsec_reader *r = malloc(sizeof(*r));

	if (r == NULL)
		return NULL;
	r->fn = fn;
	r->ctx = ctx;
	r->fd = -1;
	r->eof = 0;
	r->skipping = 0;
	r->lineno = 0;
	r->start = r->end = 0;
	return r;
}

struct omsec_reader *
omsec_reader_new_fd(int fd)
{
	struct omsec_reader *r = omsec_reader_new_fn(read_fd, NULL);

	if (r == NULL)
		return NULL;
	r->fd = fd;
	r->ctx = &r->fd;
	return r;
}

void
omsec_reader_free(struct omsec_reader *r)
{
	free(r);
}

uint64_t
omsec_reader_lineno(const struct omsec_reader *r)
{
	return r->lineno;
}

/* Moves unread bytes to the front and reads more. 1 got bytes, 0 eof, -1 error. */
static int
refill(struct omsec_reader *r)
{
	long n;

	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->eof)
		return 0;
	n = r->fn(r->ctx, r->buf + r->end, sizeof(r->buf) - r->end);
	if (n < 0)
		return -1;
	if (n == 0) {
		r->eof = 1;
		return 0;
	}
	r->end += (size_t)n;
	return 1;
}

/* The next line; with plain non-NULL, see omsec_reader_next_plain.
 * Inlined into both, so that the plain-less one has no test of it. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline int
next(struct omsec_reader *r, char **line, size_t *len, int *truncated,
    int *plain)
{
	size_t scanned = 0;	/* bytes after start known to hold no '\n' */

	*truncated = 0;
	if (plain != NULL)
		*plain = 0;
	for (;;) {
		char *p = r->buf + r->start;
		size_t avail = r->end - r->start;
		char *nl;

		if (plain != NULL && scanned == 0 && !r->skipping) {
			/* One pass to the first byte TSV escapes: when it is
			 * the '\n', the line is plain. */
			size_t k = omsec_tsv_plain_prefix(p, avail);
			if (k < avail && p[k] == '\n') {
				nl = p + k;
				*plain = 1;
			} else
				nl = memchr(p + k, '\n', avail - k);
		} else
			nl = memchr(p + scanned, '\n', avail - scanned);

		if (nl != NULL) {
			size_t n = (size_t)(nl - p);
			r->start += n + 1;
			scanned = 0;
			if (r->skipping) {
				r->skipping = 0;
				continue;
			}
			*line = p;
			*len = n;
			r->lineno++;
			return 1;
		}
		if (avail == sizeof(r->buf)) {
			/*
			 * The buffer is full and holds no newline, so the line is
			 * longer than OMSEC_READER_BUFSZ - 1: hand out that much as
			 * a cut line and drop the rest of it. The span stays valid
			 * until the next call, which refills.
			 */
			r->start = r->end = 0;
			scanned = 0;
			if (r->skipping)
				continue;
			r->skipping = 1;
			*line = r->buf;
			*len = avail - 1;
			*truncated = 1;
			r->lineno++;
			return 1;
		}
		scanned = avail;
		int rc = refill(r);	/* moves the unread bytes to the front */
		if (rc < 0)
			return -1;
		if (rc > 0)
			continue;
		/* End of input: a last line without '\n', if any. */
		avail = r->end - r->start;
		r->start = r->end = 0;
		if (avail == 0 || r->skipping) {
			r->skipping = 0;
			return 0;
		}
		*line = r->buf;
		*len = avail;
		r->lineno++;
		return 1;
	}
}

int
omsec_reader_next(struct omsec_reader *r, char **line, size_t *len,
    int *truncated)
{
	return next(r, line, len, truncated, NULL);
}

int
omsec_reader_next_plain(struct omsec_reader *r, char **line, size_t *len,
    int *truncated, int *plain)
{
	return next(r, line, len, truncated, plain);
}
