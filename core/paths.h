/*
 * paths.h - where an installed or uninstalled tool finds its data files.
 *
 * Data (the report font, the default GeoIP database, parser rule files) is
 * looked up in $OMSEC_DATADIR alone when it is set; otherwise in the build
 * tree's data/ folder (so the tools work straight from a build), then in
 * the install prefix's share/omsec. The build tree is laid out as the install tree:
 *   data/fonts/omsec-cjk.ttf, data/geoip/country.mmdb, data/rules/.
 */
#ifndef OMSEC_PATHS_H
#define OMSEC_PATHS_H

#include <stddef.h>

/*
 * Finds data file rel (e.g. "fonts/omsec-cjk.ttf"). Returns 0 and the full
 * path in buf, or -1 if it is in none of the places.
 */
int omsec_data_path(char *buf, size_t cap, const char *rel);

#endif
