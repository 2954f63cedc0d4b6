/*
 * out.c - buffered output, escapers and atomic files (see out.h).
 *
 * Cost: every escaper is one pass over its input. The TSV and JSON
 * escapers test and copy eight bytes at a time while none of them needs an
 * escape (the common case: most fields of most lines need none), and write
 * straight into the output buffer; a profile of omsec-parse put half of its
 * time in the byte-at-a-time escaper before. Memory: one 256 KiB buffer per
 * omsec_out.
 */
#define _GNU_SOURCE		/* F_SETPIPE_SZ */

/*
 * x86-64 machines with AVX2 scan input lines 32 bytes at a time
 * (omsec_tsv_plain_prefix), chosen at run time. OMSEC_NO_SSE2 builds the
 * portable scan only, for its tests (check_core_portable).
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(OMSEC_NO_SSE2)
#define SCAN_AVX2 1
#include <immintrin.h>
#endif
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "otime.h"
#include "out.h"
#include "swar.h"

#define OUT_BUFSZ (256 * 1024)
/* Fields longer than this are escaped in pieces (see omsec_out_tsv). */
#define OUT_PIECE (OUT_BUFSZ / 8)

struct omsec_out {
	int fd;
	int failed;
	int err;		/* errno of the first failure */
	size_t len;
	int64_t iso_day;	/* day of iso_date; INT64_MIN: none yet */
	char iso_date[11];	/* "YYYY-MM-DDT" of iso_day */
	int iso_have;		/* iso_text is the time iso_ms */
	int64_t iso_ms;
	int64_t iso_min;	/* minute of iso_ms (floor), when iso_have */
	char iso_text[OMSEC_ISO_LEN];	/* the last time written */
	char buf[OUT_BUFSZ];
};

struct omsec_out *
omsec_out_new_fd(int fd)
{
	struct omsec_out *o = malloc(sizeof(*o));

	if (o == NULL)
		return NULL;
	o->fd = fd;
#ifdef F_SETPIPE_SZ
	{
		/* Between two stages of the chain: a 1 MiB pipe (Linux's
		 * default limit for a user) holds four of our buffers, so
		 * the stages switch four times less often than with 64 KiB.
		 * Only a speed-up: a refusal changes nothing. */
		struct stat st;
		if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode))
			(void)fcntl(fd, F_SETPIPE_SZ, 1 << 20);
	}
#endif
	o->failed = 0;
	o->err = 0;
	o->len = 0;
	o->iso_day = INT64_MIN;
	o->iso_have = 0;
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

char *
omsec_out_reserve(struct omsec_out *o, size_t n)
{
	if (o->failed || n > OUT_BUFSZ)
		return NULL;
	if (OUT_BUFSZ - o->len < n) {
		drain(o);
		if (o->failed)
			return NULL;
	}
	return o->buf + o->len;
}

void
omsec_out_commit(struct omsec_out *o, char *end)
{
	assert(end >= o->buf + o->len && end <= o->buf + OUT_BUFSZ);
	o->len = (size_t)(end - o->buf);
}

static void
put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

const char *
omsec_out_iso_text(struct omsec_out *o, int64_t ms)
{
	char *t = o->iso_text;
	int64_t min;
	int rem;

	/* Events come in bursts of one time: the text of the last one. */
	if (o->iso_have && ms == o->iso_ms)
		return t;
	/* Within the last minute (most of the rest) without a division;
	 * unsigned, so that no difference of two times can overflow. */
	if (o->iso_have &&
	    (uint64_t)ms - (uint64_t)(o->iso_min * 60000) < 60000) {
		min = o->iso_min;
		rem = (int)(ms - min * 60000);
	} else {
		/* Floor division: the time of day before 1970 is >= 0 too. */
		min = ms / 60000 - (ms % 60000 < 0);
		rem = (int)(ms - min * 60000);
	}
	/* Up to the minute the text is the last one's, most of the time. */
	if (!o->iso_have || min != o->iso_min) {
		int64_t day = min / 1440 - (min % 1440 < 0);
		int m = (int)(min - day * 1440);

		if (day != o->iso_day) {
			char full[25];
			omsec_format_iso(full, day * 86400000);
			memcpy(o->iso_date, full, sizeof(o->iso_date));
			o->iso_day = day;
		}
		memcpy(t, o->iso_date, sizeof(o->iso_date));
		put2(t + 11, m / 60);
		t[13] = ':';
		put2(t + 14, m % 60);
		t[16] = ':';
		t[19] = '.';
		t[23] = 'Z';
		o->iso_min = min;
	}
	put2(t + 17, rem / 1000);
	if ((rem %= 1000) == 0)
		memcpy(t + 20, "000", 3);	/* whole seconds: syslog's */
	else {
		t[20] = (char)('0' + rem / 100);
		put2(t + 21, rem % 100);
	}
	o->iso_ms = ms;
	o->iso_have = 1;
	return t;
}

void
omsec_out_iso(struct omsec_out *o, int64_t ms)
{
	omsec_out_write(o, omsec_out_iso_text(o, ms), OMSEC_ISO_LEN);
}

/*
 * Eight bytes at a time (swar.h). Only "does any byte need an escape" is
 * asked, so byte order does not matter.
 */
static inline int
tsv_special8(uint64_t x)
{
	return tsv_special_bits8(x) != 0;
}

/* Any byte below 0x20, '"', backslash, DEL or non-ASCII: what JSON looks at. */
static inline int
json_special8(uint64_t x)
{
	return ((x & B8(0x80)) | zero_bytes(x & B8(0xe0)) |
	    zero_bytes(x ^ B8('"')) | zero_bytes(x ^ B8('\\')) |
	    zero_bytes(x ^ B8(0x7f))) != 0;
}

static const char hexdig[] = "0123456789abcdef";

/* Bytes that TSV fields escape: control bytes, DEL and backslash. */
static const unsigned char tsv_special[256] = {
	[0] = 1, [1] = 1, [2] = 1, [3] = 1, [4] = 1, [5] = 1, [6] = 1, [7] = 1,
	[8] = 1, [9] = 1, [10] = 1, [11] = 1, [12] = 1, [13] = 1, [14] = 1, [15] = 1,
	[16] = 1, [17] = 1, [18] = 1, [19] = 1, [20] = 1, [21] = 1, [22] = 1, [23] = 1,
	[24] = 1, [25] = 1, [26] = 1, [27] = 1, [28] = 1, [29] = 1, [30] = 1, [31] = 1,
	['\\'] = 1, [0x7f] = 1,
};

/*
 * Sixteen bytes at a time with the compiler's vector extension (SSE2 on
 * x86-64, NEON on arm64, plain code elsewhere): the index of the first
 * byte of p[0, 16) that the TSV (json = 0) or JSON (json = 1) escaper
 * looks at; 16 if none.
 */
typedef unsigned char v16u8 __attribute__((vector_size(16)));

/* Nonzero in each byte of p[0, 16) that special16 looks for. */
static inline v16u8
special_mask16(const unsigned char *p, int json)
{
	v16u8 v, m;

	memcpy(&v, p, 16);
	m = (v < 0x20) | (v == '\\') | (v == 0x7f);
	if (json)
		m |= (v == '"') | (v >= 0x80);
	return m;
}

/* The index of the first nonzero byte of m, 16 if none: a count of the
 * zero bits before it in one of its two words, not a byte loop. */
static inline int
first_byte16(v16u8 m)
{
	uint64_t w[2];

	memcpy(w, &m, 16);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	if (w[0] != 0)
		return __builtin_clzll(w[0]) >> 3;
	if (w[1] != 0)
		return 8 + (__builtin_clzll(w[1]) >> 3);
#else
	if (w[0] != 0)
		return __builtin_ctzll(w[0]) >> 3;
	if (w[1] != 0)
		return 8 + (__builtin_ctzll(w[1]) >> 3);
#endif
	return 16;
}

static inline int
special16(const unsigned char *p, int json)
{
	return first_byte16(special_mask16(p, json));
}

/* Any byte of x that the TSV (json = 0) or JSON (json = 1) escaper looks at. */
static inline int
special8(uint64_t x, int json)
{
	return json ? json_special8(x) : tsv_special8(x);
}

/*
 * Copies the plain prefix of p[0, n), the bytes that need no escape, to d
 * a block at a time, and returns its length: exact from 16 bytes on, a
 * multiple of 8 (0 for under 8 bytes) below that. Overlapping loads and stores cover what is
 * left over (bytes copied twice are the same bytes), so a short field
 * such as "sshd" or "22" costs no byte loop: most fields of an event are
 * short.
 */
#if defined(__GNUC__)
__attribute__((always_inline))	/* so that json is a constant in each copy */
#endif
static inline size_t
copy_plain(char *d, const unsigned char *p, size_t n, int json)
{
	size_t i;
	int j;
	uint64_t x;
	uint32_t a, b;

	if (n >= 16) {
		/* Whole blocks are copied: what follows a special byte is
		 * written over by the escape and the rest of the field. */
		for (i = 0; n - i >= 16; i += 16) {
			memcpy(d + i, p + i, 16);
			if ((j = special16(p + i, json)) < 16)
				return i + (size_t)j;
		}
		if (i < n) {
			memcpy(d + n - 16, p + n - 16, 16);
			if ((j = special16(p + n - 16, json)) < 16)
				return n - 16 + (size_t)j;
		}
		return n;
	}
	if (n >= 8) {
		for (i = 0; n - i >= 8; i += 8) {
			memcpy(&x, p + i, 8);
			if (special8(x, json))
				return i;
			memcpy(d + i, &x, 8);
		}
		if (i < n) {
			memcpy(&x, p + n - 8, 8);
			if (special8(x, json))
				return i;
			memcpy(d + n - 8, &x, 8);
		}
		return n;
	}
	if (n >= 4) {
		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		if (special8((uint64_t)a << 32 | b, json))
			return 0;
		memcpy(d, &a, 4);
		memcpy(d + n - 4, &b, 4);
		return n;
	}
	if (n == 0)
		return 0;
	/* 1 to 3 bytes: the first, middle and last are all of them. */
	x = B8('a') << 24 | (uint64_t)p[0] | (uint64_t)p[n / 2] << 8 |
	    (uint64_t)p[n - 1] << 16;
	if (special8(x, json))
		return 0;
	d[0] = (char)p[0];
	d[n / 2] = (char)p[n / 2];
	d[n - 1] = (char)p[n - 1];
	return n;
}

/* The TSV escape of every byte of p[0, n) at d; returns the end. */
static inline char *
tsv_run(char *d, const unsigned char *p, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		k = copy_plain(d, p + i, n - i, 0);
		d += k;
		if ((i += k) == n)
			break;
		unsigned char c = p[i++];
		if (!tsv_special[c]) {
			*d++ = (char)c;
			continue;
		}
		*d++ = '\\';
		switch (c) {
		case '\t': *d++ = 't'; break;
		case '\n': *d++ = 'n'; break;
		case '\r': *d++ = 'r'; break;
		case '\\': *d++ = '\\'; break;
		default:
			*d++ = 'x';
			*d++ = hexdig[c >> 4];
			*d++ = hexdig[c & 15];
			break;
		}
	}
	return d;
}

char *
omsec_tsv_escape(char *d, struct omsec_span s)
{
	if (s.n == 0) {
		*d = '-';
		return d + 1;
	}
	if (s.n == 1 && s.p[0] == '-') {
		/* A literal "-" must not read back as empty. */
		memcpy(d, "\\x2d", 4);
		return d + 4;
	}
	/* Short plain fields (module, action, outcome...: most of them)
	 * without the loop of tsv_run and its call. */
	if (s.n < 16 && copy_plain(d, (const unsigned char *)s.p, s.n, 0) == s.n)
		return d + s.n;
	return tsv_run(d, (const unsigned char *)s.p, s.n);
}

static size_t
plain_prefix(const unsigned char *p, size_t n)
{
	size_t i;
	uint64_t w[2];
	v16u8 a, b;
	int j;

	/* Two blocks tested at once: one reduction per 32 bytes. */
	for (i = 0; n - i >= 32; i += 32) {
		a = special_mask16(p + i, 0);
		b = special_mask16(p + i + 16, 0);
		b |= a;
		memcpy(w, &b, 16);
		if ((w[0] | w[1]) != 0) {
			j = first_byte16(a);
			return i + (size_t)(j < 16 ? j : 16 + special16(p + i + 16, 0));
		}
	}
	if (n - i >= 16) {
		if ((j = special16(p + i, 0)) < 16)
			return i + (size_t)j;
		i += 16;
	}
	/* The rest in one load ending at n: its bytes before i are plain. */
	if (n >= 16)
		return n - 16 + (size_t)special16(p + n - 16, 0);
	while (i < n && !tsv_special[p[i]])
		i++;
	return i;
}

#ifdef SCAN_AVX2
/* plain_prefix with one 32-byte compare and one movemask per block. */
__attribute__((target("avx2"))) static size_t
plain_prefix_avx2(const unsigned char *p, size_t n)
{
	const __m256i c1f = _mm256_set1_epi8(0x1f), bsl = _mm256_set1_epi8('\\');
	const __m256i del = _mm256_set1_epi8(0x7f);
	size_t i;

	for (i = 0; n - i >= 32; i += 32) {
		__m256i v = _mm256_loadu_si256((const __m256i *)(const void *)
		    (p + i));
		unsigned m = (unsigned)_mm256_movemask_epi8(_mm256_or_si256(
		    _mm256_or_si256(_mm256_cmpeq_epi8(v, bsl),
		    _mm256_cmpeq_epi8(v, del)),
		    _mm256_cmpeq_epi8(_mm256_max_epu8(v, c1f), c1f)));
		if (m != 0)
			return i + (size_t)__builtin_ctz(m);
	}
	return i + plain_prefix(p + i, n - i);
}
#endif

size_t
omsec_tsv_plain_prefix(const char *s, size_t n)
{
#ifdef SCAN_AVX2
	static int avx2 = -1;

	if (avx2 < 0)
		avx2 = __builtin_cpu_supports("avx2") != 0;
	if (avx2)
		return plain_prefix_avx2((const unsigned char *)s, n);
#endif
	return plain_prefix((const unsigned char *)s, n);
}

int
omsec_tsv_plain(struct omsec_span s)
{
	return s.n == 0 || omsec_tsv_plain_prefix(s.p, s.n) == s.n;
}

char *
omsec_tsv_join(char *d, const struct omsec_span *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			*d++ = '\t';
		d = omsec_tsv_escape(d, f[i]);
	}
	return d;
}

void
omsec_out_tsv(struct omsec_out *o, struct omsec_span s)
{
	const unsigned char *p = (const unsigned char *)s.p;
	size_t n = s.n;
	char *d;

	if ((d = omsec_out_reserve(o, OMSEC_TSV_MAX(n))) != NULL) {
		omsec_out_commit(o, omsec_tsv_escape(d, s));
		return;
	}
	/* Longer than the buffer: each byte escapes alone, so in pieces. */
	while (n > 0 && !o->failed) {
		size_t k = n < OUT_PIECE ? n : OUT_PIECE;
		if ((d = omsec_out_reserve(o, OMSEC_TSV_MAX(k))) == NULL)
			return;
		omsec_out_commit(o, tsv_run(d, p, k));
		p += k;
		n -= k;
	}
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

/* The JSON string body of p[0, n) at d; returns the end. */
static char *
json_run(char *d, const unsigned char *p, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		unsigned char c;
		uint32_t cp;
		size_t len;

		k = copy_plain(d, p + i, n - i, 1);
		d += k;
		if ((i += k) == n)
			break;
		c = p[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			*d++ = (char)c;
			i++;
			continue;
		}
		if (c >= 0x80) {
			len = utf8_len(p + i, n - i, &cp);
			if (len && cp != 0x2028 && cp != 0x2029) {
				memcpy(d, p + i, len);
				d += len;
				i += len;
				continue;
			}
		} else
			len = 1;
		if (c == '"' || c == '\\' || c == '\n' || c == '\t' || c == '\r') {
			*d++ = '\\';
			*d++ = c == '\n' ? 'n' : c == '\t' ? 't' : c == '\r' ? 'r' :
			    (char)c;
		} else if (c < 0x80) {
			memcpy(d, "\\u00", 4);
			d[4] = hexdig[c >> 4];
			d[5] = hexdig[c & 15];
			d += 6;
		} else if (len == 0) {
			/* Invalid UTF-8: one U+FFFD per bad byte. */
			memcpy(d, "\xef\xbf\xbd", 3);
			d += 3;
			len = 1;
		} else {
			memcpy(d, cp == 0x2028 ? "\\u2028" : "\\u2029", 6);
			d += 6;
		}
		i += len;
	}
	return d;
}

char *
omsec_json_escape(char *d, struct omsec_span s)
{
	/* Short plain fields, as in omsec_tsv_escape. */
	if (s.n < 16 && copy_plain(d, (const unsigned char *)s.p, s.n, 1) == s.n)
		return d + s.n;
	return json_run(d, (const unsigned char *)s.p, s.n);
}

void
omsec_out_json(struct omsec_out *o, struct omsec_span s)
{
	const unsigned char *p = (const unsigned char *)s.p;
	size_t n = s.n;
	char *d;

	if ((d = omsec_out_reserve(o, OMSEC_JSON_MAX(n))) != NULL) {
		omsec_out_commit(o, json_run(d, p, n));
		return;
	}
	/* Longer than the buffer: in pieces, cut before a UTF-8 lead byte
	 * so that no sequence is split (a sequence is at most 4 bytes). */
	while (n > 0 && !o->failed) {
		size_t k = n < OUT_PIECE ? n : OUT_PIECE;
		for (int back = 0; k < n && back < 3 && (p[k] & 0xc0) == 0x80;
		    back++)
			k--;
		if ((d = omsec_out_reserve(o, OMSEC_JSON_MAX(k))) == NULL)
			return;
		omsec_out_commit(o, json_run(d, p, k));
		p += k;
		n -= k;
	}
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
