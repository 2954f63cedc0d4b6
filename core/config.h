/*
 * config.h - the site configuration (INI, read with inih).
 *
 * One file describes one customer site: who the report is for, the time
 * zone of its syslog clocks, which address ranges are internal, detection
 * thresholds, SLA targets and document control fields. docs/site.ini.md
 * lists every key with its default. Unknown sections or keys are reported
 * (file:line: unknown key) and make loading fail, so a typo never silently
 * falls back to a default.
 */
#ifndef OMSEC_CONFIG_H
#define OMSEC_CONFIG_H

#include <stdint.h>
#include "ipaddr.h"

#define OMSEC_CFG_MAX_RANGES 64
#define OMSEC_CFG_STR 256
#define OMSEC_CFG_MAX_TYPES 32
#define OMSEC_CFG_MAX_JSON 32

enum omsec_priority { OMSEC_PRIO_URGENT, OMSEC_PRIO_HIGH, OMSEC_PRIO_MEDIUM,
	OMSEC_PRIO_LOW, OMSEC_PRIO_COUNT };

struct omsec_config {
	/* [site] */
	char customer[OMSEC_CFG_STR];
	char service[OMSEC_CFG_STR];	/* e.g. 信息安全运维服务 */
	char provider[OMSEC_CFG_STR];	/* the service company */
	char timezone[64];		/* default "Asia/Shanghai" */
	char language[8];		/* "zh" (default) or "en" */
	char assets[OMSEC_CFG_STR];	/* asset inventory CSV (enrich,
					   detect), relative to the config */

	/* [document] control fields for the report cover */
	char doc_id[OMSEC_CFG_STR];
	char version[32];
	char author[OMSEC_CFG_STR];	/* 编制 */
	char reviewer[OMSEC_CFG_STR];	/* 审核 */
	char approver[OMSEC_CFG_STR];	/* 批准 */
	char status[OMSEC_CFG_STR];	/* 受控状态, default 受控 */
	char classification[OMSEC_CFG_STR]; /* 密级, default 内部 */

	/* [network] internal = cidr, cidr, ... (besides private ranges) */
	struct omsec_cidr internal[OMSEC_CFG_MAX_RANGES];
	int ninternal;

	/* [geoip] */
	char geoip_db[OMSEC_CFG_STR];	/* "" = the installed default */
	char asn_db[OMSEC_CFG_STR];

	/* [detect] */
	int64_t ssh_bf_failures;	/* default 10 failures ... */
	int64_t ssh_bf_window;		/* ... within 600 s from one source */
	int64_t ssh_saf_failures;	/* success after >= 5 failures ... */
	int64_t ssh_saf_window;		/* ... within 3600 s */
	int64_t ssh_spray_users;	/* a burst over >= 10 accounts is a spray */
	int64_t ssh_dist_sources;	/* >= 20 sources failing on one account ... */
	int64_t ssh_dist_window;	/* ... within 600 s */
	char privileged_users[OMSEC_CFG_STR];	/* "root,admin,administrator" */
	char unusual_hours[32];		/* local "22:00-06:00" */
	char critical_hosts[OMSEC_CFG_STR];	/* assets that raise levels */
	int64_t learn_period;		/* 7 d of history before "never seen" */
	int64_t sudo_failures;		/* 3 sudo password failures ... */
	int64_t sudo_window;		/* ... within 600 s */
	int64_t web_attack_requests;	/* 3 matching requests ... */
	int64_t web_window;		/* ... within 600 s */
	int64_t web_errors;		/* 20 4xx/5xx from one source ... */
	int64_t web_errors_window;	/* ... within 60 s */
	int64_t merge_window;		/* single-event alerts merge within 1 h */
	int64_t silent_hours;		/* 2 h below silent_below % of usual */
	double silent_below;		/* 10 (%) */
	int64_t silent_min_rate;	/* series with a median >= 10 events/h */
	int64_t silent_expected;	/* a run must miss >= 100 usual events */
	int64_t incident_gap;		/* alerts on one entity within 6 h */
	int64_t port_scan_ports;	/* 20 ports of one host denied ... */
	int64_t port_scan_window;	/* ... within 300 s from one source */
	int64_t host_scan_hosts;	/* 10 hosts denied on one port ... */
	int64_t host_scan_window;	/* ... within 300 s from one source */
	char scan_ignore[OMSEC_CFG_STR];	/* CIDRs of sanctioned scanners */
	char bad_ranges[OMSEC_CFG_STR];	/* CIDR list file, "" = none */
	int64_t db_auth_failures;	/* 5 database login failures ... */
	int64_t db_auth_window;		/* ... within 600 s */
	int64_t db_export_tables;	/* 20 whole-table reads ... */
	int64_t db_export_window;	/* ... within 600 s: a mass export */
	char db_backup_window[32];	/* local "HH:MM-HH:MM": dumps expected */
	char db_backup_users[OMSEC_CFG_STR];	/* accounts that dump */
	char db_change_window[32];	/* local "HH:MM-HH:MM": planned DDL */
	int64_t ids_alerts;		/* 10 alerts of one signature ... */
	int64_t ids_window;		/* ... from one source within 600 s */
	int64_t volume_weeks;		/* seasonal baseline: 4 trailing weeks */
	int64_t volume_min_weeks;	/* ... at least 3 of them known */
	int64_t volume_ratio;		/* spike >= 3x the median, drop <= 1/3 */
	int64_t volume_z;		/* ... and >= 3 robust deviations ... */
	int64_t volume_min;		/* ... and >= 100 events off the median */

	/* [sla] targets in seconds per priority, availability target in % */
	int64_t sla_response[OMSEC_PRIO_COUNT];
	int64_t sla_resolve[OMSEC_PRIO_COUNT];
	double availability_target;
	/* [sla] <prio>_clock: "7x24" (default) or "business" ([calendar]) */
	char sla_clock[OMSEC_PRIO_COUNT][16];
	/* [sla] vuln_<severity>_deadline: remediation deadlines in seconds
	   for critical, high, medium, low, info (0 = none) */
	int64_t vuln_deadline[5];

	/* [calendar] business hours and the holiday file of the SLA clock */
	char cal_hours[64];		/* default "09:00-12:00,13:30-18:00" */
	char cal_holidays[OMSEC_CFG_STR]; /* "" = weekends only */

	/* [types] "path glob = parser type", first match wins (omsec-parse) */
	struct omsec_cfg_type {
		char glob[OMSEC_CFG_STR];
		char type[32];
	} types[OMSEC_CFG_MAX_TYPES];
	int ntypes;

	/* [json] "event field = dotted key path" or a "quoted" constant, and
	   ts_format; the field map of omsec-parse's json type */
	struct omsec_cfg_json {
		char field[16];
		char value[128];
	} json[OMSEC_CFG_MAX_JSON];
	int njson;
};

/* Fills defaults (documented in docs/site.ini.md). */
void omsec_config_defaults(struct omsec_config *cfg);

/*
 * Loads path over the values already in cfg. Returns 0, or -1 with a
 * message "path:line: what" in err (errcap bytes).
 */
int omsec_config_load(struct omsec_config *cfg, const char *path, char *err,
    size_t errcap);

/* 1 if ip is private or in one of cfg's internal ranges. */
int omsec_config_is_internal(const struct omsec_config *cfg,
    const struct omsec_ip *ip);

/* Priority names: "urgent" / 紧急 etc. Returns -1 for an unknown name. */
int omsec_priority_parse(const char *s);
const char *omsec_priority_name(int prio);	/* urgent, high, medium, low */
const char *omsec_priority_zh(int prio);	/* 紧急, 高, 中, 低 */

#endif
