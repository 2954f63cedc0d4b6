/*
 * detect_int.h - what detect.c (the SSH per-source rules, alerts, levels,
 * incidents) and detect_rules.c (the other rules, state, collection
 * health) share inside omsec-detect's library. Not installed.
 */
#ifndef OMSEC_DETECT_INT_H
#define OMSEC_DETECT_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct omsec_detect;
struct omsec_detect_opts;
struct omsec_event;
struct omsec_rules;

/*
 * Adds one alert; strings are copied. severity 1..4; host may be "" or
 * NULL; refs is already comma-escaped (refs_len bytes). The level follows
 * from severity and whether host is critical. Returns 0 or -1 (OOM).
 */
int omsec_detect_add(struct omsec_detect *d, const char *rule, int severity,
    const char *entity_type, const char *entity, const char *host,
    int64_t first, int64_t last, uint64_t count, const char *expl,
    const char *refs, size_t refs_len);

/* The rules engine of detect_rules.c; alerts go to d. NULL on OOM. */
struct omsec_rules *omsec_rules_new(const struct omsec_detect_opts *o,
    struct omsec_detect *d);
void omsec_rules_free(struct omsec_rules *r);
int omsec_rules_event(struct omsec_rules *r, const struct omsec_event *ev);
int omsec_rules_finish(struct omsec_rules *r);
uint64_t omsec_rules_late(const struct omsec_rules *r);
/*
 * The state file (docs/alerts.md) is read and written here; lines of tag
 * "ssh" (detect.c's open bursts) go to other / come from more, with ctx.
 * Loading also turns on carrying: at finish, bursts still open at the end
 * of the input are kept for the state instead of closed.
 */
int omsec_rules_state_load(struct omsec_rules *r, const char *path,
    char *err, size_t errcap, int (*other)(void *ctx, char **fld, int n),
    void *ctx);
int omsec_rules_state_save(struct omsec_rules *r, const char *path,
    int (*more)(void *ctx, FILE *f), void *ctx);

/*
 * 1 if an alert already written names the source src (as its host, its
 * entity, or the directory of its first ref) and comes within 1 h of
 * [from, to] (ms): a volume change it explains.
 */
int omsec_detect_explained(const struct omsec_detect *d, const char *src,
    int64_t from, int64_t to);

/* One TSV-escaped field, preceded by a tab; 0 or -1 (OOM). */
int omsec_state_put(FILE *f, const char *s, size_t n);
/* Splits a line at tabs into at most max fields, unescaped in place;
   the count, or -1 on a bad escape. */
int omsec_state_split(char *line, char **fld, int max);
int omsec_rules_bad_ranges_load(struct omsec_rules *r, const char *path,
    char *err, size_t errcap);

/*
 * Splits a list of names separated by commas or blanks into dst, max
 * entries of width bytes each (NUL-terminated); names of width bytes or
 * more are skipped. Returns the number of entries written.
 */
int omsec_detect_names(char *dst, size_t width, int max, const char *list);

/* Appends ref to a comma-joined refs buffer (cap bytes), escaping ','. */
void omsec_refs_append(char *buf, size_t cap, size_t *len, const char *ref,
    size_t n);

/* A burst's length as alerts word it: s below 2 min, min below 2 h, else h. */
void omsec_detect_duration(char *buf, size_t cap, int64_t ms);

/*
 * The held-string arenas of both files (a source's in detect.c, the rules'
 * in detect_rules.c): room for need more bytes after len in *buf (*cap
 * allocated), doubling from first. *buf is never NULL after a 0 return,
 * even for need 0: records point into it by offset. 0 or -1 (OOM).
 */
int omsec_arena_reserve(char **buf, size_t *cap, size_t len, size_t need,
    size_t first);

/* Copies a span's n bytes to dst; an empty span's p may be NULL, which
   memcpy must not see. Returns dst + n, where the next string goes. */
static inline char *
omsec_arena_put(char *dst, const char *p, size_t n)
{
	if (n)
		memcpy(dst, p, n);
	return dst + n;
}

#endif
