/*
 * reader.h - a line reader over a file descriptor.
 *
 * One buffer of OMSEC_READER_BUFSZ bytes is allocated at creation and never
 * grows: lines are split with memchr and handed out as spans into it, valid
 * until the next call. A line longer than the buffer is cut: the caller gets
 * its first OMSEC_READER_BUFSZ - 1 bytes with the truncated flag set, and the
 * rest of that line is skipped. Memory: one buffer, whatever the input.
 *
 * Lines are returned without their '\n'. A last line without '\n' is
 * returned too. Bytes are never interpreted: NUL, CR and invalid UTF-8 pass.
 */
#ifndef OMSEC_READER_H
#define OMSEC_READER_H

#include <stdint.h>
#include "span.h"

#define OMSEC_READER_BUFSZ (1024 * 1024 + 1)

struct omsec_reader;

/* Source of bytes: returns bytes read, 0 at end, -1 on error (errno set). */
typedef long (*omsec_read_fn)(void *ctx, char *buf, size_t cap);

/* Reads from fd (not closed by the reader). NULL on out of memory. */
struct omsec_reader *omsec_reader_new_fd(int fd);
/* Reads through fn(ctx, ...): how ingest feeds decompressed bytes. */
struct omsec_reader *omsec_reader_new_fn(omsec_read_fn fn, void *ctx);
void omsec_reader_free(struct omsec_reader *r);

/*
 * Gets the next line. Returns 1 with *line set (mutable: the caller may
 * rewrite bytes in place, e.g. to unescape), 0 at end of input, -1 on a read
 * error (errno set). *truncated is set to 1 when the line was cut.
 */
int omsec_reader_next(struct omsec_reader *r, char **line, size_t *len,
    int *truncated);
/*
 * omsec_reader_next, and *plain set to 1 when the line holds no byte that
 * TSV escapes (omsec_tsv_plain would say so), else 0: it does, or the
 * reader did not look (a line over two buffer fills, a cut line). One pass
 * finds both the end of the line and the answer.
 */
int omsec_reader_next_plain(struct omsec_reader *r, char **line, size_t *len,
    int *truncated, int *plain);

/* Lines returned so far. */
uint64_t omsec_reader_lineno(const struct omsec_reader *r);

#endif
