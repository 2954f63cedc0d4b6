/*
 * messages.h - the report's message catalogue (messages.def): each
 * user-visible text of the PDF in zh-CN and en, looked up by id, plus the
 * keyed names (detection rules, event categories, countries) and dates.
 * The renderers never choose a language themselves: they ask here with
 * the report's language. Lookups are table reads (keyed names: a linear
 * scan of a short table); nothing is allocated.
 */
#ifndef OMSEC_MESSAGES_H
#define OMSEC_MESSAGES_H

#include <stdarg.h>
#include <stddef.h>

enum omsec_msg_id {
#define MSG(id, zh, en) id,
#include "messages.def"
#undef MSG
	OMSEC_MSG_COUNT
};

/* The text of id in zh-CN (en 0) or English (en 1); "" for a bad id. */
const char *omsec_msg(int id, int en);

/*
 * snprintf of a catalogue format, with one addition for the words that
 * follow a number in English: "%N{one|other}" is the text "one" when
 * argument N is 1 (an integer 1, or the string "1" of a count already
 * formatted) and "other" otherwise. Chinese texts have no such choice, so
 * the language never shows in the callers. Returns the length the text
 * needs, as snprintf; buf is always terminated (cap > 0).
 */
int omsec_msg_fmt(char *buf, size_t cap, int id, int en, ...);
int omsec_msg_vfmt(char *buf, size_t cap, const char *fmt, va_list ap);

/*
 * Keyed names: the name of a detection rule (omsec-detect's rule id), an
 * event category (event.category) or a country (ISO 3166 code; "" or "-"
 * is unknown). A key missing from the table is returned as it is.
 */
const char *omsec_msg_rule(const char *rule, int en);
const char *omsec_msg_category(const char *cat, int en);
/* What an alert is about: src_ip, user, host or source. */
const char *omsec_msg_entity_type(const char *type, int en);
const char *omsec_msg_country(const char *cc, int en);
/* The number of rules named, and the i-th rule id (tests). */
size_t omsec_msg_nrules(void);
const char *omsec_msg_rule_id(size_t i);

/*
 * A calendar date: 2026年11月1日 (pad: 2026年11月01日) or 1 November 2026.
 * Returns buf.
 */
const char *omsec_msg_date(char *buf, size_t cap, int en, int year,
    int month, int day, int pad);

#endif
