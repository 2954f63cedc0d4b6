/*
 * out.h - buffered output with escaping, and atomic output files.
 *
 * An omsec_out collects bytes in one 256 KiB buffer and writes it to a file
 * descriptor when full. The first write error is latched: later calls do
 * nothing, and omsec_out_flush / omsec_out_close return -1 with errno set,
 * so a full disk can never look like success.
 *
 * Everything that came from a log goes through one of the escapers at the
 * place it is written:
 *   tsv   - \t \n \r \\ and other control bytes as \xHH; empty as "-"
 *   json  - RFC 8259 string body; control bytes, U+2028/2029 as \uXXXX,
 *           invalid UTF-8 as U+FFFD
 *   csv   - RFC 4180 quoting, and a leading = + - @ (formula) prefixed with '
 *   term  - for stderr messages: control bytes and non-UTF-8 as \xHH
 */
#ifndef OMSEC_OUT_H
#define OMSEC_OUT_H

#include <stdint.h>
#include "span.h"

struct omsec_out;

/* Wraps fd (not closed by omsec_out_free). NULL on out of memory. */
struct omsec_out *omsec_out_new_fd(int fd);
/* Flushes and frees; returns 0, or -1 if any write failed. NULL is fine. */
int omsec_out_close(struct omsec_out *o);
int omsec_out_flush(struct omsec_out *o);
/* 1 once a write has failed. */
int omsec_out_failed(const struct omsec_out *o);

void omsec_out_write(struct omsec_out *o, const void *p, size_t n);
void omsec_out_putc(struct omsec_out *o, char c);
void omsec_out_str(struct omsec_out *o, const char *s);
void omsec_out_span(struct omsec_out *o, struct omsec_span s);
void omsec_out_u64(struct omsec_out *o, uint64_t v);
void omsec_out_i64(struct omsec_out *o, int64_t v);

void omsec_out_tsv(struct omsec_out *o, struct omsec_span s);
void omsec_out_json(struct omsec_out *o, struct omsec_span s);
void omsec_out_csv(struct omsec_out *o, struct omsec_span s);

/*
 * Writes ms as "YYYY-MM-DDTHH:MM:SS.mmmZ" (omsec_format_iso). The date of
 * the last day written is kept, so a stream of events in time order
 * converts a date once per day, not once per line.
 */
void omsec_out_iso(struct omsec_out *o, int64_t ms);
/* The same text, not written: valid until the next call on o. */
#define OMSEC_ISO_LEN 24
const char *omsec_out_iso_text(struct omsec_out *o, int64_t ms);

/*
 * Direct access to the buffer, for writers of many small pieces (an event
 * line): omsec_out_reserve returns room for n bytes at the end of the
 * buffer, draining it first when needed, or NULL when n is more than the
 * buffer holds or a write has failed (the caller then uses the calls
 * above). The caller writes at most n bytes there and passes the end of
 * what it wrote to omsec_out_commit before any other call on o.
 */
char *omsec_out_reserve(struct omsec_out *o, size_t n);
void omsec_out_commit(struct omsec_out *o, char *end);

/*
 * The escapers of omsec_out_tsv and omsec_out_json into memory: write the
 * escaped form of s at d, which has room for OMSEC_TSV_MAX(s.n) or
 * OMSEC_JSON_MAX(s.n) bytes, and return the end of what they wrote.
 */
#define OMSEC_TSV_MAX(n) (4 * (size_t)(n) + 4)
#define OMSEC_JSON_MAX(n) (6 * (size_t)(n))
char *omsec_tsv_escape(char *d, struct omsec_span s);
/* 1 if no byte of s needs a TSV escape (empty and "-" aside). */
int omsec_tsv_plain(struct omsec_span s);
/* The index of the first byte of s[0, n) that needs a TSV escape ('\n'
 * is one), n if none. */
size_t omsec_tsv_plain_prefix(const char *s, size_t n);
/* n fields escaped and separated by tabs: room for the sum of
 * OMSEC_TSV_MAX(f[i].n) + 1 (one call per line, not per field). */
char *omsec_tsv_join(char *d, const struct omsec_span *f, size_t n);
char *omsec_json_escape(char *d, struct omsec_span s);

/*
 * Unescapes a TSV field in place (inverse of omsec_out_tsv, "-" becomes
 * empty). Returns the new length, or -1 on a bad escape.
 */
long omsec_tsv_unescape(char *p, size_t n);

/*
 * Escapes s for a terminal or a diagnostic into dst (NUL-terminated, cut at
 * cap with "..."). Returns dst.
 */
char *omsec_term_escape(char *dst, size_t cap, struct omsec_span s);

/*
 * Atomic output file: writes go to "PATH.tmp.PID"; omsec_atomic_commit
 * fsyncs it, renames it over PATH and fsyncs the directory; omsec_atomic_abort
 * removes it. Either a complete new file is at PATH, or the old one is
 * untouched, even after a power loss.
 */
struct omsec_atomic {
	char *path;
	char *tmp;
	int fd;
};
int omsec_atomic_open(struct omsec_atomic *a, const char *path);
int omsec_atomic_commit(struct omsec_atomic *a);
void omsec_atomic_abort(struct omsec_atomic *a);

#endif
