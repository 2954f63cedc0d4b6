/*
 * records_csv.c - the CSV reader under every service record (tickets,
 * surveys, vulnerability findings, inspections, assets, outages).
 *
 * Spreadsheets in China are saved as UTF-8 with a BOM (Excel's "CSV UTF-8"),
 * UTF-8 without one (LibreOffice, scripts), or GBK/GB18030 (Excel's plain
 * "CSV" on a Chinese Windows). The whole file is read (at most 64 MiB),
 * its encoding decided once:
 *   EF BB BF          UTF-8, BOM dropped
 *   FF FE / FE FF     UTF-16 with BOM, converted with iconv
 *   valid UTF-8       UTF-8
 *   otherwise         GB18030 (a superset of GBK and GB2312), iconv
 * Line breaks survive conversion, so line numbers stay those of the file.
 * Then libcsv (RFC 4180) gets one physical line at a time, so a row knows
 * the line it started on; fields of a row are collected in one buffer
 * reused for every row. Example (GBK bytes shown decoded):
 *   工单号,优先级,创建时间,...
 *   T-1001,紧急,2026-11-03 09:00,...
 * Cost: linear in the file. Memory: the file twice (raw and converted) plus
 * one row buffer.
 */
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "out.h"
#include "records_int.h"
#include "strnum.h"

#define ROWBUF (64 * 1024)
#define MAXFILE (64 * 1024 * 1024)

void
rec_diagf(struct omsec_report_diag *d, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (d != NULL && d->fn != NULL)
		d->fn(d->ctx, msg);
}

void *
rec_grow(void *v, size_t *cap, size_t n, size_t elem)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return v;
	ncap = *cap ? *cap * 2 : 64;
	if ((nv = realloc(v, ncap * elem)) == NULL)
		return NULL;
	*cap = ncap;
	return nv;
}

int
rec_append(void *vp, size_t *cap, size_t *n, size_t elem, const void *row,
    char *msg, size_t msgcap)
{
	void **v = vp;
	void *nv = rec_grow(*v, cap, *n, elem);

	if (nv == NULL) {
		snprintf(msg, msgcap, "out of memory");
		return -2;
	}
	*v = nv;
	memcpy((char *)nv + (*n)++ * elem, row, elem);
	return -1;
}

void
rec_copy(char *dst, size_t cap, const char *s)
{
	size_t n = strlen(s);

	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

int
rec_word(const char *s, const char *const *words)
{
	for (; *words != NULL; words++)
		if (strcasecmp(s, *words) == 0)
			return 1;
	return 0;
}

const char *
rec_esc(char *buf, size_t cap, const char *s)
{
	return omsec_term_escape(buf, cap, omsec_span_cstr(s));
}

/* Here, not in records.c: the asset library (no PDF) needs rec_time. */
int
omsec_report_parse_local(int64_t *ms, const char *s, struct omsec_tz *tz)
{
	struct omsec_civil c;
	int64_t v[6] = { 0, 0, 0, 0, 0, 0 };
	static const int width[6] = { 4, 2, 2, 2, 2, 2 };
	static const int64_t hi[6] = { 9999, 12, 31, 23, 59, 60 };
	size_t i, pos = 0, nparts;
	char sep_date;

	if (strlen(s) < 16)
		return -1;
	sep_date = s[4];
	if (sep_date != '-' && sep_date != '/')
		return -1;
	nparts = strlen(s) == 16 ? 5 : 6;
	for (i = 0; i < nparts; i++) {
		static const char *const seps = "--T::";
		if (omsec_strtonum(&v[i], omsec_span_make(s + pos, width[i]),
		    i < 3 ? 1 : 0, hi[i]) != 0)
			return -1;
		pos += width[i];
		if (i + 1 < nparts) {
			char want = seps[i];
			char got = s[pos];
			if (i < 2 ? got != sep_date :
			    i == 2 ? (got != ' ' && got != 'T') : got != want)
				return -1;
			pos++;
		}
	}
	if (s[pos] != '\0')
		return -1;
	if (v[2] > 28) {
		int64_t d = omsec_days_from_civil((int)v[0], (int)v[1], (int)v[2]);
		int yy, mm, dd;
		omsec_civil_from_days(d, &yy, &mm, &dd);
		if (dd != v[2])
			return -1;
	}
	memset(&c, 0, sizeof(c));
	c.year = (int)v[0];
	c.month = (int)v[1];
	c.day = (int)v[2];
	c.hour = (int)v[3];
	c.min = (int)v[4];
	c.sec = (int)v[5];
	*ms = omsec_tz_local_to_utc(tz, &c);
	return 0;
}

int64_t
rec_local_day(struct omsec_tz *tz, int64_t ms)
{
	struct omsec_civil c;

	omsec_ms_to_civil(ms + (int64_t)omsec_tz_offset_at(tz, ms) * 1000, &c);
	return omsec_days_from_civil(c.year, c.month, c.day);
}

int64_t
rec_date_day(const char *s)
{
	int64_t y, m, d;

	if (strlen(s) != 10 ||
	    omsec_strtonum(&y, omsec_span_make(s, 4), 1, 9999) != 0 ||
	    omsec_strtonum(&m, omsec_span_make(s + 5, 2), 1, 12) != 0 ||
	    omsec_strtonum(&d, omsec_span_make(s + 8, 2), 1, 31) != 0)
		return -1;
	return omsec_days_from_civil((int)y, (int)m, (int)d);
}

int
rec_time(int64_t *ms, const char *s, struct omsec_tz *tz)
{
	char tmp[32];
	int had_zone;
	size_t n = strlen(s);

	*ms = -1;
	if (n == 0)
		return 0;
	if (n == 10 && (s[4] == '-' || s[4] == '/')) {
		/* A bare date is local midnight. */
		snprintf(tmp, sizeof(tmp), "%s 00:00", s);
		return omsec_report_parse_local(ms, tmp, tz);
	}
	if (omsec_report_parse_local(ms, s, tz) == 0)
		return 0;
	if (omsec_parse_iso(ms, &had_zone, omsec_span_make(s, n)) == 0 &&
	    had_zone)
		return 0;
	*ms = -1;
	return -1;
}

int
rec_has(const struct rec_csv *r, int i)
{
	return i >= 0 && i < r->nspec && r->where[i] >= 0;
}

/* ---- libcsv callbacks ----------------------------------------------- */

static void
cb_field(void *s, size_t len, void *data)
{
	struct rec_csv *r = data;

	if (r->nfields == 0)
		r->row_line = r->line;
	if (r->nfields >= REC_MAXFIELDS || r->used + len + 1 > ROWBUF) {
		r->overflow = 1;
		return;
	}
	r->off[r->nfields++] = r->used;
	if (len > 0)
		memcpy(r->buf + r->used, s, len);
	r->used += len;
	r->buf[r->used++] = '\0';
}

/* Trims ASCII blanks in place (header names often carry a stray space). */
static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static void
header_row(struct rec_csv *r)
{
	int i, j, k;

	for (i = 0; i < REC_MAXFIELDS; i++)
		r->map[i] = -1;
	for (j = 0; j < r->nspec; j++)
		r->where[j] = -1;
	for (i = 0; i < r->nfields; i++) {
		char *name = trim(r->buf + r->off[i]);
		int found = 0;
		for (j = 0; j < r->nspec && !found; j++) {
			for (k = 0; k < REC_MAXALIAS &&
			    r->spec[j].names[k] != NULL; k++) {
				if (strcasecmp(name, r->spec[j].names[k]) != 0)
					continue;
				if (r->where[j] < 0) {
					r->where[j] = i;
					r->map[i] = j;
				}
				found = 1;
				break;
			}
		}
	}
	for (j = 0; j < r->nspec; j++) {
		if (r->spec[j].required && r->where[j] < 0) {
			rec_diagf(r->diag, "%s:%u: missing column %s (%s)",
			    r->path, r->row_line, r->spec[j].names[0],
			    r->spec[j].names[1] ? r->spec[j].names[1] : "");
			r->fatal = 1;
		}
	}
	r->header_done = 1;
}

static void
cb_row(int c, void *data)
{
	struct rec_csv *r = data;
	const char *f[REC_MAXFIELDS];
	char msg[512];
	int i, bad, empty = 1;

	(void)c;
	if (r->fatal)
		goto reset;
	if (r->overflow) {
		rec_diagf(r->diag, "%s:%u: row too long or too many fields",
		    r->path, r->row_line);
		r->diag->nbad++;
		goto reset;
	}
	for (i = 0; i < r->nfields; i++)
		if (r->buf[r->off[i]] != '\0')
			empty = 0;
	if (!r->header_done) {
		if (r->nfields > 0 && !empty)
			header_row(r);
		goto reset;
	}
	if (empty)
		goto reset;
	r->rows++;
	for (i = 0; i < r->nspec; i++) {
		int col = r->where[i];
		f[i] = col >= 0 && col < r->nfields ?
		    trim(r->buf + r->off[col]) : "";
	}
	msg[0] = '\0';
	bad = r->fn(r, f, msg, sizeof(msg));
	if (bad >= 0) {
		rec_diagf(r->diag, "%s:%u:%d: %s", r->path, r->row_line,
		    r->where[bad] + 1, msg);
		r->diag->nbad++;
	} else if (bad == -2) {
		rec_diagf(r->diag, "%s:%u: %s", r->path, r->row_line,
		    msg[0] ? msg : "out of memory");
		r->fatal = 1;
	}
reset:
	r->nfields = 0;
	r->used = 0;
	r->overflow = 0;
}

/* ---- decoding ------------------------------------------------------- */

/*
 * Counts the valid multi-byte UTF-8 characters (*mb) and the bytes that
 * are not part of a valid character (*bad): overlongs, surrogates and
 * values past U+10FFFF are invalid. GBK text read as UTF-8 is mostly
 * invalid; UTF-8 text with a stray byte is mostly valid.
 */
static void
utf8_stats(const unsigned char *p, size_t n, size_t *mb, size_t *bad,
    size_t *first)
{
	size_t i = 0, len, k;
	uint32_t c;

	*mb = *bad = 0;
	*first = n;
	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] >= 0xc2 && p[i] <= 0xdf) {
			len = 2;
			c = p[i] & 0x1f;
		} else if (p[i] >= 0xe0 && p[i] <= 0xef) {
			len = 3;
			c = p[i] & 0x0f;
		} else if (p[i] >= 0xf0 && p[i] <= 0xf4) {
			len = 4;
			c = p[i] & 0x07;
		} else
			goto invalid;
		if (n - i < len)
			goto invalid;
		for (k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				goto invalid;
			c = (c << 6) | (p[i + k] & 0x3f);
		}
		if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
		    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
			goto invalid;
		(*mb)++;
		i += len;
		continue;
invalid:
		if (*bad == 0)
			*first = i;
		(*bad)++;
		i++;
	}
}

/* Line number (1-based) of byte offset off in p. */
static unsigned
line_of(const char *p, size_t off)
{
	unsigned line = 1;
	size_t i;

	for (i = 0; i < off; i++)
		if (p[i] == '\n')
			line++;
	return line;
}

/*
 * Converts raw[0..n) from `from` to UTF-8 into a new buffer (*out, *outn).
 * Returns 0, or -1 with errno (EILSEQ/EINVAL at *bad, ENOMEM).
 */
static int
convert(const char *from, const char *raw, size_t n, char **out,
    size_t *outn, size_t *bad)
{
	iconv_t cd;
	char *in = (char *)raw, *o, *buf;
	size_t inleft = n, cap = n * 2 + 16, oleft;

	if ((cd = iconv_open("UTF-8", from)) == (iconv_t)-1)
		return -1;
	if ((buf = malloc(cap)) == NULL) {
		iconv_close(cd);
		errno = ENOMEM;
		return -1;
	}
	o = buf;
	oleft = cap;
	while (inleft > 0) {
		if (iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1)
			continue;
		if (errno == E2BIG) {
			size_t used = (size_t)(o - buf);
			char *nb = realloc(buf, cap * 2);
			if (nb == NULL) {
				free(buf);
				iconv_close(cd);
				errno = ENOMEM;
				return -1;
			}
			buf = nb;
			cap *= 2;
			o = buf + used;
			oleft = cap - used;
			continue;
		}
		*bad = (size_t)(in - raw);
		free(buf);
		iconv_close(cd);
		return -1;
	}
	iconv_close(cd);
	*out = buf;
	*outn = (size_t)(o - buf);
	return 0;
}

/* Reads the whole file into *raw (*n bytes). Returns 0 or -1 (errno). */
static int
slurp(const char *path, char **raw, size_t *n)
{
	struct stat st;
	char *buf;
	size_t have = 0, cap;
	ssize_t got;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	cap = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 ?
	    (size_t)st.st_size + 1 : 65536;
	if (cap > MAXFILE + 1)
		cap = MAXFILE + 1;
	if ((buf = malloc(cap)) == NULL)
		goto fail;
	for (;;) {
		if (have == cap) {
			char *nb;
			if (cap > MAXFILE) {
				free(buf);
				errno = EFBIG;
				goto fail;
			}
			if ((nb = realloc(buf, cap * 2)) == NULL) {
				free(buf);
				goto fail;
			}
			buf = nb;
			cap *= 2;
		}
		got = read(fd, buf + have, cap - have);
		if (got == -1 && errno == EINTR)
			continue;
		if (got == -1) {
			int e = errno;
			free(buf);
			errno = e;
			goto fail;
		}
		if (got == 0)
			break;
		have += (size_t)got;
	}
	close(fd);
	if (have > MAXFILE) {
		free(buf);
		errno = EFBIG;
		return -1;
	}
	*raw = buf;
	*n = have;
	return 0;
fail:
	{
		int e = errno;
		close(fd);
		errno = e;
	}
	return -1;
}

int
rec_csv_read(const char *path, const struct rec_colspec *spec, int nspec,
    rec_row_fn fn, void *ctx, struct omsec_report_diag *diag)
{
	struct csv_parser p;
	struct rec_csv r;
	char *raw = NULL, *conv = NULL;
	const char *text;
	size_t n, tn, start = 0, bad = 0;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	r.path = path;
	r.spec = spec;
	r.nspec = nspec;
	r.fn = fn;
	r.ctx = ctx;
	r.diag = diag;
	r.line = 1;
	if (slurp(path, &raw, &n) != 0) {
		rec_diagf(diag, "%s: %s", path, errno == EFBIG ?
		    "larger than 64 MiB" : strerror(errno));
		return -1;
	}
	text = raw;
	tn = n;
	if (n >= 2 && (memcmp(raw, "\xff\xfe", 2) == 0 ||
	    memcmp(raw, "\xfe\xff", 2) == 0)) {
		if (convert("UTF-16", raw, n, &conv, &tn, &bad) != 0) {
			rec_diagf(diag, "%s: bad UTF-16 at byte %zu", path, bad);
			free(raw);
			return -1;
		}
		r.encoding = "UTF-16";
		text = conv;
	} else {
		int bom = n >= 3 && memcmp(raw, "\xef\xbb\xbf", 3) == 0;
		size_t mb, nbad, first;

		utf8_stats((const unsigned char *)raw, n, &mb, &nbad, &first);
		if (nbad == 0 || bom || mb > nbad) {
			/* UTF-8; stray bytes are drawn as U+FFFD later. */
			r.encoding = "UTF-8";
			if (nbad > 0)
				rec_diagf(diag, "%s:%u: invalid UTF-8 (%zu byte(s) "
				    "in the file, shown as U+FFFD)", path,
				    line_of(raw, first), nbad);
		} else if (convert("GB18030", raw, n, &conv, &tn, &bad) == 0) {
			r.encoding = "GB18030";
			text = conv;
		} else {
			if (errno == ENOMEM)
				rec_diagf(diag, "%s: out of memory", path);
			else
				rec_diagf(diag, "%s:%u: neither UTF-8 nor "
				    "GB18030 (byte %zu); save the sheet as CSV "
				    "UTF-8", path, line_of(raw, bad), bad);
			free(raw);
			return -1;
		}
	}
	if ((r.buf = malloc(ROWBUF)) == NULL || csv_init(&p, 0) != 0) {
		rec_diagf(diag, "%s: out of memory", path);
		free(r.buf);
		free(raw);
		free(conv);
		return -1;
	}
	/* A UTF-8 BOM, or a UTF-16 one converted to U+FEFF: dropped. */
	if (tn >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		tn -= 3;
	}
	while (start < tn) {
		const char *nl = memchr(text + start, '\n', tn - start);
		size_t len = nl ? (size_t)(nl - (text + start)) + 1 : tn - start;
		csv_parse(&p, text + start, len, cb_field, cb_row, &r);
		if (nl)
			r.line++;
		start += len;
	}
	csv_fini(&p, cb_field, cb_row, &r);
	csv_free(&p);
	free(r.buf);
	free(raw);
	free(conv);
	if (!r.header_done) {
		rec_diagf(diag, "%s: no header row", path);
		rc = -1;
	}
	if (r.fatal)
		rc = -1;
	return rc;
}
