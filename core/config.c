/*
 * config.c - site configuration from an INI file (see config.h and
 * docs/site.ini.md), read with inih.
 *
 * inih calls the handler once per key; the handler returns 0 on the first
 * unknown or bad key, and ini_parse then returns that line number, which
 * is how messages get their "path:line:" prefix.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "config.h"
#include "event.h"
#include "out.h"
#include "strnum.h"

void
omsec_config_defaults(struct omsec_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->customer, sizeof(cfg->customer), "%s", "客户");
	snprintf(cfg->service, sizeof(cfg->service), "%s", "信息安全运维服务");
	snprintf(cfg->timezone, sizeof(cfg->timezone), "%s", "Asia/Shanghai");
	snprintf(cfg->language, sizeof(cfg->language), "%s", "zh");
	snprintf(cfg->version, sizeof(cfg->version), "%s", "V1.0");
	snprintf(cfg->status, sizeof(cfg->status), "%s", "受控");
	snprintf(cfg->classification, sizeof(cfg->classification), "%s", "内部");
	cfg->ssh_bf_failures = 10;
	cfg->ssh_bf_window = 600;
	cfg->ssh_saf_failures = 5;
	cfg->ssh_saf_window = 3600;
	cfg->ssh_spray_users = 10;
	cfg->ssh_dist_sources = 20;
	cfg->ssh_dist_window = 600;
	snprintf(cfg->privileged_users, sizeof(cfg->privileged_users), "%s",
	    "root,admin,administrator");
	snprintf(cfg->unusual_hours, sizeof(cfg->unusual_hours), "%s",
	    "22:00-06:00");
	cfg->learn_period = 7 * 86400;
	cfg->sudo_failures = 3;
	cfg->sudo_window = 600;
	cfg->web_attack_requests = 3;
	cfg->web_window = 600;
	cfg->web_errors = 20;
	cfg->web_errors_window = 60;
	cfg->merge_window = 3600;
	cfg->silent_hours = 2;
	cfg->silent_below = 10;
	cfg->silent_min_rate = 10;
	cfg->silent_expected = 100;
	cfg->incident_gap = 6 * 3600;
	cfg->port_scan_ports = 20;
	cfg->port_scan_window = 300;
	cfg->host_scan_hosts = 10;
	cfg->host_scan_window = 300;
	cfg->db_auth_failures = 5;
	cfg->db_auth_window = 600;
	cfg->db_export_tables = 20;
	cfg->db_export_window = 600;
	cfg->ids_alerts = 10;
	cfg->ids_window = 600;
	cfg->volume_weeks = 4;
	cfg->volume_min_weeks = 3;
	cfg->volume_ratio = 3;
	cfg->volume_z = 3;
	cfg->volume_min = 100;
	/* Common O&M contract targets: urgent 2 h / 4 h, then looser. */
	cfg->sla_response[OMSEC_PRIO_URGENT] = 2 * 3600;
	cfg->sla_resolve[OMSEC_PRIO_URGENT] = 4 * 3600;
	cfg->sla_response[OMSEC_PRIO_HIGH] = 4 * 3600;
	cfg->sla_resolve[OMSEC_PRIO_HIGH] = 8 * 3600;
	cfg->sla_response[OMSEC_PRIO_MEDIUM] = 8 * 3600;
	cfg->sla_resolve[OMSEC_PRIO_MEDIUM] = 24 * 3600;
	cfg->sla_response[OMSEC_PRIO_LOW] = 24 * 3600;
	cfg->sla_resolve[OMSEC_PRIO_LOW] = 72 * 3600;
	cfg->availability_target = 99.9;
	for (int p = 0; p < OMSEC_PRIO_COUNT; p++)
		snprintf(cfg->sla_clock[p], sizeof(cfg->sla_clock[p]), "7x24");
	cfg->vuln_deadline[0] = 7 * 86400;	/* critical */
	cfg->vuln_deadline[1] = 15 * 86400;	/* high */
	cfg->vuln_deadline[2] = 30 * 86400;	/* medium */
	cfg->vuln_deadline[3] = 90 * 86400;	/* low */
	snprintf(cfg->cal_hours, sizeof(cfg->cal_hours), "09:00-12:00,13:30-18:00");
}

struct load_ctx {
	struct omsec_config *cfg;
	char msg[256];
};

enum kind { K_STR, K_DURATION, K_COUNT, K_PERCENT, K_RANGES, K_CLOCK };

struct key {
	const char *section;
	const char *name;
	enum kind kind;
	size_t off;
	size_t size;		/* for strings */
};

#define STR(sec, name, field) \
	{ sec, name, K_STR, offsetof(struct omsec_config, field), \
	  sizeof(((struct omsec_config *)0)->field) }
#define NUM(sec, name, kind, field) \
	{ sec, name, kind, offsetof(struct omsec_config, field), 0 }

static const struct key keys[] = {
	STR("site", "customer", customer),
	STR("site", "service", service),
	STR("site", "provider", provider),
	STR("site", "timezone", timezone),
	STR("site", "language", language),
	STR("site", "assets", assets),
	STR("document", "doc_id", doc_id),
	STR("document", "version", version),
	STR("document", "author", author),
	STR("document", "reviewer", reviewer),
	STR("document", "approver", approver),
	STR("document", "status", status),
	STR("document", "classification", classification),
	{ "network", "internal", K_RANGES, 0, 0 },
	STR("geoip", "database", geoip_db),
	STR("geoip", "asn", asn_db),
	NUM("detect", "ssh_bruteforce_failures", K_COUNT, ssh_bf_failures),
	NUM("detect", "ssh_bruteforce_window", K_DURATION, ssh_bf_window),
	NUM("detect", "ssh_success_after_failures", K_COUNT, ssh_saf_failures),
	NUM("detect", "ssh_success_after_window", K_DURATION, ssh_saf_window),
	NUM("detect", "ssh_spray_users", K_COUNT, ssh_spray_users),
	NUM("detect", "ssh_distributed_sources", K_COUNT, ssh_dist_sources),
	NUM("detect", "ssh_distributed_window", K_DURATION, ssh_dist_window),
	STR("detect", "privileged_users", privileged_users),
	STR("detect", "unusual_hours", unusual_hours),
	STR("detect", "critical_hosts", critical_hosts),
	NUM("detect", "learn_period", K_DURATION, learn_period),
	NUM("detect", "sudo_failures", K_COUNT, sudo_failures),
	NUM("detect", "sudo_window", K_DURATION, sudo_window),
	NUM("detect", "web_attack_requests", K_COUNT, web_attack_requests),
	NUM("detect", "web_window", K_DURATION, web_window),
	NUM("detect", "web_errors", K_COUNT, web_errors),
	NUM("detect", "web_errors_window", K_DURATION, web_errors_window),
	NUM("detect", "merge_window", K_DURATION, merge_window),
	NUM("detect", "silent_hours", K_COUNT, silent_hours),
	NUM("detect", "silent_below", K_PERCENT, silent_below),
	NUM("detect", "silent_min_rate", K_COUNT, silent_min_rate),
	NUM("detect", "silent_expected", K_COUNT, silent_expected),
	NUM("detect", "incident_gap", K_DURATION, incident_gap),
	NUM("detect", "port_scan_ports", K_COUNT, port_scan_ports),
	NUM("detect", "port_scan_window", K_DURATION, port_scan_window),
	NUM("detect", "host_scan_hosts", K_COUNT, host_scan_hosts),
	NUM("detect", "host_scan_window", K_DURATION, host_scan_window),
	STR("detect", "scan_ignore", scan_ignore),
	STR("detect", "bad_ranges", bad_ranges),
	NUM("detect", "db_auth_failures", K_COUNT, db_auth_failures),
	NUM("detect", "db_auth_window", K_DURATION, db_auth_window),
	NUM("detect", "db_export_tables", K_COUNT, db_export_tables),
	NUM("detect", "db_export_window", K_DURATION, db_export_window),
	STR("detect", "db_backup_window", db_backup_window),
	STR("detect", "db_backup_users", db_backup_users),
	STR("detect", "db_change_window", db_change_window),
	NUM("detect", "ids_alerts", K_COUNT, ids_alerts),
	NUM("detect", "ids_window", K_DURATION, ids_window),
	NUM("detect", "volume_weeks", K_COUNT, volume_weeks),
	NUM("detect", "volume_min_weeks", K_COUNT, volume_min_weeks),
	NUM("detect", "volume_ratio", K_COUNT, volume_ratio),
	NUM("detect", "volume_z", K_COUNT, volume_z),
	NUM("detect", "volume_min", K_COUNT, volume_min),
	NUM("sla", "urgent_response", K_DURATION, sla_response[OMSEC_PRIO_URGENT]),
	NUM("sla", "urgent_resolve", K_DURATION, sla_resolve[OMSEC_PRIO_URGENT]),
	NUM("sla", "high_response", K_DURATION, sla_response[OMSEC_PRIO_HIGH]),
	NUM("sla", "high_resolve", K_DURATION, sla_resolve[OMSEC_PRIO_HIGH]),
	NUM("sla", "medium_response", K_DURATION, sla_response[OMSEC_PRIO_MEDIUM]),
	NUM("sla", "medium_resolve", K_DURATION, sla_resolve[OMSEC_PRIO_MEDIUM]),
	NUM("sla", "low_response", K_DURATION, sla_response[OMSEC_PRIO_LOW]),
	NUM("sla", "low_resolve", K_DURATION, sla_resolve[OMSEC_PRIO_LOW]),
	NUM("sla", "availability_target", K_PERCENT, availability_target),
	{ "sla", "urgent_clock", K_CLOCK, offsetof(struct omsec_config, sla_clock[OMSEC_PRIO_URGENT]), 16 },
	{ "sla", "high_clock", K_CLOCK, offsetof(struct omsec_config, sla_clock[OMSEC_PRIO_HIGH]), 16 },
	{ "sla", "medium_clock", K_CLOCK, offsetof(struct omsec_config, sla_clock[OMSEC_PRIO_MEDIUM]), 16 },
	{ "sla", "low_clock", K_CLOCK, offsetof(struct omsec_config, sla_clock[OMSEC_PRIO_LOW]), 16 },
	NUM("sla", "vuln_critical_deadline", K_DURATION, vuln_deadline[0]),
	NUM("sla", "vuln_high_deadline", K_DURATION, vuln_deadline[1]),
	NUM("sla", "vuln_medium_deadline", K_DURATION, vuln_deadline[2]),
	NUM("sla", "vuln_low_deadline", K_DURATION, vuln_deadline[3]),
	NUM("sla", "vuln_info_deadline", K_DURATION, vuln_deadline[4]),
	STR("calendar", "hours", cal_hours),
	STR("calendar", "holidays", cal_holidays),
};

static int
set_ranges(struct load_ctx *lc, const char *value)
{
	struct omsec_config *cfg = lc->cfg;
	const char *p = value;

	cfg->ninternal = 0;
	while (*p) {
		const char *end;
		size_t n;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		end = p;
		while (*end && *end != ',' && *end != ' ' && *end != '\t')
			end++;
		n = (size_t)(end - p);
		if (cfg->ninternal == OMSEC_CFG_MAX_RANGES) {
			snprintf(lc->msg, sizeof(lc->msg),
			    "more than %d internal ranges", OMSEC_CFG_MAX_RANGES);
			return -1;
		}
		if (omsec_cidr_parse(&cfg->internal[cfg->ninternal],
		    omsec_span_make(p, n)) != 0) {
			snprintf(lc->msg, sizeof(lc->msg),
			    "bad address range '%.*s'", (int)(n > 64 ? 64 : n), p);
			return -1;
		}
		cfg->ninternal++;
		p = end;
	}
	return 0;
}

/* [types]: "glob = type" (the type name is checked by omsec-parse). */
static int
set_type(struct load_ctx *lc, const char *name, const char *value)
{
	struct omsec_config *cfg = lc->cfg;
	struct omsec_cfg_type *t = &cfg->types[cfg->ntypes];

	if (cfg->ntypes == OMSEC_CFG_MAX_TYPES) {
		snprintf(lc->msg, sizeof(lc->msg), "more than %d [types] entries",
		    OMSEC_CFG_MAX_TYPES);
		return 0;
	}
	if (strlen(name) >= sizeof(t->glob) || value[0] == '\0' ||
	    strlen(value) >= sizeof(t->type)) {
		snprintf(lc->msg, sizeof(lc->msg),
		    "[types] %.64s: want 'path glob = parser type'", name);
		return 0;
	}
	snprintf(t->glob, sizeof(t->glob), "%s", name);
	snprintf(t->type, sizeof(t->type), "%s", value);
	cfg->ntypes++;
	return 1;
}

/* [json]: an event field (or ts_format) and its key path or constant. */
static int
set_json(struct load_ctx *lc, const char *name, const char *value)
{
	struct omsec_config *cfg = lc->cfg;
	struct omsec_cfg_json *j;
	int ok = strcmp(name, "ts_format") == 0;

	for (int f = 0; !ok && f < OMSEC_F_COUNT; f++)
		ok = f != OMSEC_F_REF && strcmp(name, omsec_field_name(f)) == 0;
	if (!ok) {
		snprintf(lc->msg, sizeof(lc->msg),
		    "[json] %.64s: not an event field (docs/formats.md) or ts_format",
		    name);
		return 0;
	}
	for (j = cfg->json; j < cfg->json + cfg->njson; j++)
		if (strcmp(j->field, name) == 0)
			break;
	if (j == cfg->json + OMSEC_CFG_MAX_JSON) {
		snprintf(lc->msg, sizeof(lc->msg), "more than %d [json] keys",
		    OMSEC_CFG_MAX_JSON);
		return 0;
	}
	if (strlen(value) >= sizeof(j->value)) {
		snprintf(lc->msg, sizeof(lc->msg), "[json] %.64s: value longer "
		    "than %zu bytes", name, sizeof(j->value) - 1);
		return 0;
	}
	if (j == cfg->json + cfg->njson)
		cfg->njson++;
	snprintf(j->field, sizeof(j->field), "%s", name);
	snprintf(j->value, sizeof(j->value), "%s", value);
	return 1;
}

static int
handler(void *user, const char *section, const char *name, const char *value)
{
	struct load_ctx *lc = user;
	char *base = (char *)lc->cfg;
	size_t i;

	/*
	 * [store] and [sources] are read by the nightly driver (driver/omsec,
	 * docs/nightly.md): a source is "name = path", any name.
	 */
	if (strcmp(section, "sources") == 0 ||
	    (strcmp(section, "store") == 0 && strcmp(name, "dir") == 0))
		return 1;
	if (strcmp(section, "types") == 0)
		return set_type(lc, name, value);
	if (strcmp(section, "json") == 0)
		return set_json(lc, name, value);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const struct key *k = &keys[i];
		int64_t v;

		if (strcmp(k->section, section) != 0 || strcmp(k->name, name) != 0)
			continue;
		switch (k->kind) {
		case K_STR:
			if (strlen(value) >= k->size) {
				snprintf(lc->msg, sizeof(lc->msg),
				    "[%s] %s: value longer than %zu bytes",
				    section, name, k->size - 1);
				return 0;
			}
			memcpy(base + k->off, value, strlen(value) + 1);
			return 1;
		case K_DURATION:
			if (omsec_parse_duration(&v, omsec_span_cstr(value)) != 0) {
				snprintf(lc->msg, sizeof(lc->msg),
				    "[%s] %s: bad duration '%.64s' (e.g. 90s, 10m, 2h, 1d)",
				    section, name, value);
				return 0;
			}
			memcpy(base + k->off, &v, sizeof(v));
			return 1;
		case K_COUNT:
			if (omsec_strtonum(&v, omsec_span_cstr(value), 1,
			    1000000000) != 0) {
				snprintf(lc->msg, sizeof(lc->msg),
				    "[%s] %s: '%.64s' is not a count from 1",
				    section, name, value);
				return 0;
			}
			memcpy(base + k->off, &v, sizeof(v));
			return 1;
		case K_PERCENT: {
			char *end;
			double d;
			errno = 0;
			d = strtod(value, &end);
			if (errno || end == value || *end != '\0' || d < 0 || d > 100) {
				snprintf(lc->msg, sizeof(lc->msg),
				    "[%s] %s: '%.64s' is not a percentage",
				    section, name, value);
				return 0;
			}
			memcpy(base + k->off, &d, sizeof(d));
			return 1;
		}
		case K_RANGES:
			return set_ranges(lc, value) == 0;
		case K_CLOCK:
			/* The SLA clock of a priority: round the clock or the
			   [calendar] business hours. */
			if (strcasecmp(value, "7x24") != 0 &&
			    strcasecmp(value, "business") != 0) {
				snprintf(lc->msg, sizeof(lc->msg),
				    "[%s] %s: '%.64s' is not 7x24 or business",
				    section, name, value);
				return 0;
			}
			snprintf(base + k->off, k->size, "%s", value);
			return 1;
		}
	}
	snprintf(lc->msg, sizeof(lc->msg), "unknown key '%.64s' in section [%.64s]",
	    name, section);
	return 0;
}

int
omsec_config_load(struct omsec_config *cfg, const char *path, char *err,
    size_t errcap)
{
	struct load_ctx lc = { cfg, "" };
	FILE *f = fopen(path, "r");
	int line;

	if (f == NULL) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		return -1;
	}
	line = ini_parse_file(f, handler, &lc);
	fclose(f);
	if (line == 0)
		return 0;
	if (line < 0)
		snprintf(err, errcap, "%s: cannot read", path);
	else {
		/* The message quotes the file's bytes: escape them for the
		 * terminal it will be printed on. */
		char esc[sizeof(lc.msg) * 4];
		omsec_term_escape(esc, sizeof(esc), omsec_span_cstr(lc.msg[0] ?
		    lc.msg : "syntax error"));
		snprintf(err, errcap, "%s:%d: %s", path, line, esc);
	}
	return -1;
}

int
omsec_config_is_internal(const struct omsec_config *cfg,
    const struct omsec_ip *ip)
{
	int i;

	if (omsec_ip_is_private(ip))
		return 1;
	for (i = 0; i < cfg->ninternal; i++)
		if (omsec_cidr_contains(&cfg->internal[i], ip))
			return 1;
	return 0;
}

static const char *const prio_en[OMSEC_PRIO_COUNT] = { "urgent", "high", "medium", "low" };
static const char *const prio_zh[OMSEC_PRIO_COUNT] = { "紧急", "高", "中", "低" };

int
omsec_priority_parse(const char *s)
{
	int i;

	for (i = 0; i < OMSEC_PRIO_COUNT; i++)
		if (strcasecmp(s, prio_en[i]) == 0 || strcmp(s, prio_zh[i]) == 0)
			return i;
	/* Ticket systems also say P1..P4. */
	if ((s[0] == 'P' || s[0] == 'p') && s[1] >= '1' && s[1] <= '4' && s[2] == '\0')
		return s[1] - '1';
	return -1;
}

const char *
omsec_priority_name(int prio)
{
	return prio >= 0 && prio < OMSEC_PRIO_COUNT ? prio_en[prio] : "unknown";
}

const char *
omsec_priority_zh(int prio)
{
	return prio >= 0 && prio < OMSEC_PRIO_COUNT ? prio_zh[prio] : "未知";
}
