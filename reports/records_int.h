/*
 * records_int.h - private to the omsec_reports library: the CSV reader
 * shared by every kind of service record (records_csv.c), and small helpers.
 *
 * A record kind describes its columns as a table of colspec rows (English
 * name first, then Chinese and vendor aliases) and gives one row function.
 * The reader decodes the file (UTF-8 with or without BOM, UTF-16 with BOM,
 * or GB18030/GBK converted with iconv), maps the header names to the table,
 * and calls the row function once per data row with the fields in table
 * order ("" for an absent column). The row function returns -1 (row kept or
 * quietly ignored), the table index of the bad column (reported as
 * "file:line:column: msg", row skipped), or -2 (fatal: out of memory).
 */
#ifndef OMSEC_RECORDS_INT_H
#define OMSEC_RECORDS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "report.h"

#define REC_MAXFIELDS 64
#define REC_MAXALIAS 6

struct rec_colspec {
	const char *names[REC_MAXALIAS];	/* NULL-terminated aliases */
	int required;
};

struct rec_csv;
typedef int (*rec_row_fn)(struct rec_csv *r, const char *const *f,
    char *msg, size_t msgcap);

struct rec_csv {
	const char *path;
	const struct rec_colspec *spec;
	int nspec;
	int map[REC_MAXFIELDS];		/* file column -> spec index, -1 */
	int where[REC_MAXFIELDS];	/* spec index -> file column, -1 */
	int header_done;
	int fatal;
	unsigned line;			/* physical line being fed */
	unsigned row_line;		/* line the current row started on */
	int nfields;
	size_t used;
	size_t off[REC_MAXFIELDS];
	char *buf;			/* REC_ROWBUF bytes */
	int overflow;
	rec_row_fn fn;
	void *ctx;
	const char *encoding;		/* "UTF-8", "GB18030", "UTF-16" */
	unsigned rows;			/* data rows seen */
	struct omsec_report_diag *diag;
};

/*
 * Reads path with spec and fn (see above). Returns 0, or -1 when the file
 * cannot be read or decoded, has no header, lacks a required column, or
 * memory ran out (message given to diag). Files above 64 MiB are refused:
 * service records are spreadsheets, not logs.
 */
int rec_csv_read(const char *path, const struct rec_colspec *spec, int nspec,
    rec_row_fn fn, void *ctx, struct omsec_report_diag *diag);

/* 1 if the column of spec index i is present in the header. */
int rec_has(const struct rec_csv *r, int i);

void rec_diagf(struct omsec_report_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Grows an array by doubling; returns the (maybe moved) array or NULL. */
void *rec_grow(void *v, size_t *cap, size_t n, size_t elem);

/*
 * Appends row (elem bytes) to a set's array *vp of n (cap allocated): the
 * last step of every CSV row callback. Returns what such a callback then
 * returns: -1, taken; -2 with msg "out of memory".
 */
int rec_append(void *vp, size_t *cap, size_t *n, size_t elem,
    const void *row, char *msg, size_t msgcap);

/* Copies a field cut at a UTF-8 character boundary. */
void rec_copy(char *dst, size_t cap, const char *s);

/* Case-insensitive ASCII compare against any of the NULL-ended words. */
int rec_word(const char *s, const char *const *words);

/*
 * A time cell: "" gives -1 and 0; a local "YYYY-MM-DD[ HH:MM[:SS]]" (a bare
 * date is local midnight); or ISO 8601 with Z or an offset. Returns 0/-1.
 */
int rec_time(int64_t *ms, const char *s, struct omsec_tz *tz);

/* The local day (days since 1970-01-01) of the instant ms, in tz. */
int64_t rec_local_day(struct omsec_tz *tz, int64_t ms);

/*
 * The day number of a survey date "YYYY-MM-DD", or -1 when undated or not
 * such a date. Survey rows are checked against this form when read, so
 * it compares with rec_local_day's days.
 */
int64_t rec_date_day(const char *s);

/* Writes a diagnostic-safe copy of s (quoted by the caller). */
const char *rec_esc(char *buf, size_t cap, const char *s);

/* Names in the records file (records_out.c), NULL-terminated, by enum. */
extern const char *const rec_tk_status[4];	/* omsec_ticket_status */
extern const char *const rec_v_status[6];	/* omsec_vuln_status */
extern const char *const rec_v_format[4];	/* omsec_vuln_format */
extern const char *const rec_i_result[4];	/* OMSEC_INSP_* + 1 */
extern const char *const rec_crit_name[4];	/* OMSEC_CRIT_* */
extern const char *const rec_dim_name[OMSEC_SURVEY_DIMS + 1];

#endif
