/*
 * detect_int.h - what detect.c (the SSH per-source rules, alerts, levels,
 * incidents) and detect_rules.c (the other rules, state, collection
 * health) share inside omsec-detect's library. Not installed.
 */
#ifndef OMSEC_DETECT_INT_H
#define OMSEC_DETECT_INT_H

#include <stddef.h>
#include <stdint.h>

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
int omsec_rules_state_load(struct omsec_rules *r, const char *path,
    char *err, size_t errcap);
int omsec_rules_state_save(struct omsec_rules *r, const char *path);

/* Appends ref to a comma-joined refs buffer (cap bytes), escaping ','. */
/*
 * Splits a list of names separated by commas or blanks into dst, max
 * entries of width bytes each (NUL-terminated); names of width bytes or
 * more are skipped. Returns the number of entries written.
 */
int omsec_detect_names(char *dst, size_t width, int max, const char *list);

void omsec_refs_append(char *buf, size_t cap, size_t *len, const char *ref,
    size_t n);

#endif
