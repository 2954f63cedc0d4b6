/*
 * paths.c - finds data files for installed and uninstalled tools.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "paths.h"

int
omsec_data_path(char *buf, size_t cap, const char *rel)
{
	const char *dirs[3];
	int i;

	int ndirs = 3;

	/* An explicit OMSEC_DATADIR is the only place looked at. */
	dirs[0] = getenv("OMSEC_DATADIR");
	dirs[1] = OMSEC_BUILD_DATADIR;
	dirs[2] = OMSEC_DATADIR;
	if (dirs[0] != NULL && dirs[0][0] != '\0')
		ndirs = 1;
	for (i = 0; i < ndirs; i++) {
		if (dirs[i] == NULL || dirs[i][0] == '\0')
			continue;
		if ((size_t)snprintf(buf, cap, "%s/%s", dirs[i], rel) >= cap)
			continue;
		if (access(buf, R_OK) == 0)
			return 0;
	}
	return -1;
}
