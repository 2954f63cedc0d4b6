/*
 * fgtfast.h - private to omsec_parsers: the FortiGate key=value fast path
 * (fgtfast.c) that rules.c uses in place of fortigate.rules' regexes.
 */
#ifndef OMSEC_FGTFAST_H
#define OMSEC_FGTFAST_H

#include "span.h"

#define OMSEC_FGT_NRULES 14
extern const char *const omsec_fgt_rules[OMSEC_FGT_NRULES];

/* The values a rule's groups capture (empty span: group unset). */
enum {
	OMSEC_FGT_DATE, OMSEC_FGT_TIME, OMSEC_FGT_TZ, OMSEC_FGT_HOST,
	OMSEC_FGT_SRC_IP, OMSEC_FGT_SRC_PORT, OMSEC_FGT_DST_IP,
	OMSEC_FGT_DST_PORT, OMSEC_FGT_USER, OMSEC_FGT_RULE_ID,
	OMSEC_FGT_RULE_NAME, OMSEC_FGT_URL, OMSEC_FGT_NOUT
};

/*
 * Scans s once. Returns 0 with *rule (index into omsec_fgt_rules) and
 * out[OMSEC_FGT_NOUT] filled when a rule of fortigate.rules would match,
 * else -1.
 */
int omsec_fgt_scan(struct omsec_span s, struct omsec_span *out, int *rule);

#endif
