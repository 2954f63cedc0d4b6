/*
 * fuzz_summary - the summary reader and merger of analysis/agg.h, as
 * `omsec-agg --merge` runs them: each input holds up to two summaries
 * separated by a line "%%"; each is read line by line
 * (omsec_summary_read_line, stopping at the first bad line as omsec-agg
 * does), the valid ones are merged into one (omsec_summary_merge, both
 * orders), and the result is written (omsec_summary_write). The merge is
 * commutative, so both orders must give the same bytes.
 */
#include "fuzz.h"
#include "agg.h"
#include "reader.h"

/* Reads [p, p+n) as one summary; NULL if any line is bad. */
static struct omsec_summary *
read_one(const uint8_t *p, size_t n)
{
	struct omsec_summary *s = omsec_summary_new();
	struct omsec_reader *r;
	const char *why;
	char *line;
	size_t len;
	int trunc, rc, bad = 0;

	if (s == NULL)
		abort();
	if ((r = omsec_reader_new_fd(fuzz_memfd(p, n))) == NULL)
		abort();
	while ((rc = omsec_reader_next(r, &line, &len, &trunc)) == 1) {
		if (trunc || omsec_summary_read_line(s, line, len,
		    omsec_reader_lineno(r) == 1, &why) != 0) {
			bad = 1;
			break;
		}
	}
	if (omsec_reader_lineno(r) == 0)
		bad = 1;
	omsec_reader_free(r);
	if (bad) {
		omsec_summary_free(s);
		return NULL;
	}
	return s;
}

/* Writes s into a memfd and returns its bytes (malloc'd) and length. */
static char *
written(const struct omsec_summary *s, size_t *n)
{
	int fd = (int)syscall(SYS_memfd_create, "out", 0);
	struct omsec_out *o;
	char *buf;
	off_t end;

	if (fd < 0 || (o = omsec_out_new_fd(fd)) == NULL)
		abort();
	if (omsec_summary_write(s, o) != 0 || omsec_out_close(o) != 0)
		abort();
	if ((end = lseek(fd, 0, SEEK_END)) < 0)
		abort();
	*n = (size_t)end;
	if ((buf = malloc(*n + 1)) == NULL ||
	    pread(fd, buf, *n, 0) != (ssize_t)*n)
		abort();
	close(fd);
	return buf;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *sep = NULL;
	struct omsec_summary *a, *b = NULL, *ab, *ba;
	size_t na, nb;
	char *wa, *wb;

	for (size_t i = 0; i + 3 <= size; i++)
		if (memcmp(data + i, "%%\n", 3) == 0 && (i == 0 ||
		    data[i - 1] == '\n')) {
			sep = data + i;
			break;
		}
	a = read_one(data, sep ? (size_t)(sep - data) : size);
	if (sep != NULL)
		b = read_one(sep + 3, size - (size_t)(sep + 3 - data));
	if (a == NULL || b == NULL) {
		if (a != NULL)
			free(written(a, &na));
		if (b != NULL)
			free(written(b, &nb));
		omsec_summary_free(a);
		omsec_summary_free(b);
		return 0;
	}
	if ((ab = omsec_summary_new()) == NULL || (ba = omsec_summary_new()) == NULL)
		abort();
	if (omsec_summary_merge(ab, a) != 0 || omsec_summary_merge(ab, b) != 0 ||
	    omsec_summary_merge(ba, b) != 0 || omsec_summary_merge(ba, a) != 0)
		abort();
	wa = written(ab, &na);
	wb = written(ba, &nb);
	if (na != nb || memcmp(wa, wb, na) != 0)
		abort();	/* merge must be commutative */
	free(wa);
	free(wb);
	omsec_summary_free(a);
	omsec_summary_free(b);
	omsec_summary_free(ab);
	omsec_summary_free(ba);
	return 0;
}
