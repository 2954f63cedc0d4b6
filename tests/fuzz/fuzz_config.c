/*
 * fuzz_config - the site configuration reader (omsec_config_load over
 * inih): sections, keys, CIDR lists, durations, numbers, unknown keys. A
 * failed load must leave a message of the form "path:line: what".
 */
#include "fuzz.h"
#include "config.h"
#include "ipaddr.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct omsec_config cfg;
	struct omsec_ip ip;
	char err[512];
	const char *path = fuzz_path(fuzz_memfd(data, size));

	omsec_config_defaults(&cfg);
	err[0] = '\0';
	if (omsec_config_load(&cfg, path, err, sizeof(err)) != 0) {
		if (strncmp(err, path, strlen(path)) != 0)
			abort();
		/* The message goes to a terminal: no control bytes in it. */
		for (const char *p = err; *p != '\0'; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				abort();
		return 0;
	}
	if (cfg.ninternal < 0 || cfg.ninternal > OMSEC_CFG_MAX_RANGES)
		abort();
	if (omsec_ip_parse(&ip, OMSEC_SPAN_LIT("203.0.113.9")) != 0)
		abort();
	(void)omsec_config_is_internal(&cfg, &ip);
	return 0;
}
