/*
 * fuzz_site.h - the site configuration the parser targets use: [types]
 * globs and a [json] field map, so that the json type and the per-source
 * override are reached by fuzzed input.
 */
#ifndef OMSEC_FUZZ_SITE_H
#define OMSEC_FUZZ_SITE_H

#include <stdio.h>
#include "config.h"

static inline const struct omsec_config *
fuzz_site_config(void)
{
	static struct omsec_config cfg;
	static const char *const types[][2] = {
		{ "*.json", "json" }, { "*.cef", "cef" }, { "*slow.log", "mysql-slow" },
	};
	static const char *const json[][2] = {
		{ "ts", "@timestamp" }, { "src_ip", "source.ip" },
		{ "src_port", "source.port" }, { "user", "user.name" },
		{ "action", "event.action" }, { "module", "\"app\"" },
		{ "severity", "sev" }, { "msg", "message" },
	};

	if (cfg.njson > 0)
		return &cfg;
	omsec_config_defaults(&cfg);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		snprintf(cfg.types[i].glob, sizeof(cfg.types[i].glob), "%s", types[i][0]);
		snprintf(cfg.types[i].type, sizeof(cfg.types[i].type), "%s", types[i][1]);
		cfg.ntypes++;
	}
	for (size_t i = 0; i < sizeof(json) / sizeof(json[0]); i++) {
		snprintf(cfg.json[i].field, sizeof(cfg.json[i].field), "%s", json[i][0]);
		snprintf(cfg.json[i].value, sizeof(cfg.json[i].value), "%s", json[i][1]);
		cfg.njson++;
	}
	return &cfg;
}

#endif
