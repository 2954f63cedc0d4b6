/*
 * rules.h - private to omsec_parsers: PCRE2 rule files (parsers/rules/,
 * format in docs/parsers.md).
 *
 * A rule set is every "*.rules" file of one directory, in name order, rules
 * in file order. Each regex is compiled and JIT-compiled once at load, with
 * one match-data block per rule reused for every line, so matching a line
 * allocates nothing. Memory: the files' text, the compiled patterns and one
 * match-data block per rule; nothing grows with the input.
 */
#ifndef OMSEC_RULES_H
#define OMSEC_RULES_H

#include <stddef.h>
#include "event.h"
#include "span.h"

struct omsec_pctx;
struct omsec_parse;
struct omsec_rules;

/*
 * Loads dir/\*.rules. Returns the set (possibly empty: a directory without
 * rule files is not an error), or NULL with "file:line:offset: what" (or
 * "dir: what") in err. The caller frees it with omsec_rules_free.
 */
struct omsec_rules *omsec_rules_load(const char *dir, char *err, size_t errcap);
void omsec_rules_free(struct omsec_rules *rs);
int omsec_rules_count(const struct omsec_rules *rs);
/* 1 if the shipped FortiGate rules are matched by fgtfast.c. */
int omsec_rules_fastpath(const struct omsec_rules *rs);
int omsec_rules_nfiles(const struct omsec_rules *rs);

/*
 * Tries the rules on s. envelope = 1: s is a whole line without a syslog
 * header, so only rules that capture a time are tried and they must give
 * one; envelope = 0: s is a syslog line's text from the tag on, and the
 * envelope's time, host and message stay. Fills *ev (spans into s or into
 * the rule set) and sets cx->rule_hit. Returns OMSEC_P_MATCH,
 * OMSEC_P_NOMATCH, or OMSEC_P_ERROR when a rule matched a time it cannot
 * read (cx->why set).
 */
int omsec_rules_apply(const struct omsec_rules *rs, struct omsec_pctx *cx,
    struct omsec_event *ev, struct omsec_span s, int envelope);

/*
 * Runs every rule's samples through p (whose rule set must be rs) and
 * compares the fields with the rule's "expect" lines. Each failure is
 * handed to report as "file:line:offset: what". Returns the number of
 * failures; *nsamples gets the number of samples checked.
 */
int omsec_rules_check(const struct omsec_rules *rs, struct omsec_parse *p,
    void (*report)(void *arg, const char *msg), void *arg, int *nsamples);

#endif
