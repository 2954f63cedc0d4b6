/*
 * fuzz.h - helpers shared by the libFuzzer targets of tests/fuzz.
 *
 * Readers that take a path (config, CSV records, report inputs) get the
 * fuzzer's bytes through a memfd named /proc/self/fd/N, so no target touches
 * the disk; readers that take a descriptor get the memfd itself. Output goes
 * to /dev/null through one omsec_out per process, so the escapers run on
 * every field a target produces. Each target is one process (libFuzzer):
 * the statics below live for the whole run and hold no state between
 * inputs other than open descriptors.
 */
#ifndef OMSEC_FUZZ_H
#define OMSEC_FUZZ_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "out.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One memfd per process, rewritten for every input. Aborts on failure. */
static inline int
fuzz_memfd(const uint8_t *data, size_t size)
{
	static int fd = -1;
	size_t off = 0;

	if (fd < 0 && (fd = (int)syscall(SYS_memfd_create, "fuzz", 0)) < 0)
		abort();
	if (ftruncate(fd, 0) != 0)
		abort();
	while (off < size) {
		ssize_t w = pwrite(fd, data + off, size - off, (off_t)off);
		if (w <= 0)
			abort();
		off += (size_t)w;
	}
	if (lseek(fd, 0, SEEK_SET) != 0)
		abort();
	return fd;
}

/* The memfd's path, for readers that open a path. */
static inline const char *
fuzz_path(int fd)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", fd);
	return buf;
}

/* An omsec_out on /dev/null, shared by all inputs. */
static inline struct omsec_out *
fuzz_null_out(void)
{
	static struct omsec_out *o;

	if (o == NULL) {
		int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (fd < 0 || (o = omsec_out_new_fd(fd)) == NULL)
			abort();
	}
	return o;
}

/* A NUL-terminated heap copy of the input (freed by the caller). */
static inline char *
fuzz_strdup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
