/*
 * replay.c - runs a fuzz target's LLVMFuzzerTestOneInput over files, without
 * libFuzzer, so that the regression inputs of tests/fuzz/regress/ (every
 * crash the fuzzers found, and the seeds) run in every build, gcc included,
 * and under the sanitizer build. Arguments are files or directories (their
 * regular files, in bytewise name order). Exit 0 when every input ran; a
 * crash is the target's abort() or a sanitizer report.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t n = 0, cap = 0;

	if (f == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			uint8_t *grown = realloc(buf, cap);
			if (grown == NULL) {
				fprintf(stderr, "replay: out of memory\n");
				exit(1);
			}
			buf = grown;
		}
		size_t k = fread(buf + n, 1, cap - n, f);
		if (k == 0)
			break;
		n += k;
	}
	if (ferror(f)) {
		fprintf(stderr, "replay: %s: read error\n", path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	/* Exactly n bytes on the heap: a read past them is an ASan report. */
	{
		uint8_t *exact = malloc(n ? n : 1);
		if (exact == NULL)
			exit(1);
		memcpy(exact, buf, n);
		free(buf);
		LLVMFuzzerTestOneInput(exact, n);
		free(exact);
	}
	return 0;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	unsigned ran = 0;
	int rval = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			rval = 1;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			rval |= run_file(argv[i]) != 0;
			ran++;
			continue;
		}
		DIR *d = opendir(argv[i]);
		struct dirent *e;
		char **names = NULL;
		size_t nn = 0;
		if (d == NULL) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			rval = 1;
			continue;
		}
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			char **grown = realloc(names, (nn + 1) * sizeof(*names));
			if (grown == NULL)
				exit(1);
			names = grown;
			size_t len = strlen(argv[i]) + strlen(e->d_name) + 2;
			if ((names[nn] = malloc(len)) == NULL)
				exit(1);
			snprintf(names[nn], len, "%s/%s", argv[i], e->d_name);
			nn++;
		}
		closedir(d);
		qsort(names, nn, sizeof(*names), cmp);
		for (size_t k = 0; k < nn; k++) {
			rval |= run_file(names[k]) != 0;
			ran++;
			free(names[k]);
		}
		free(names);
	}
	printf("replay: %u inputs\n", ran);
	return rval;
}
