/*
 * istate.h - private: the ingest state's streams, shared by state.c (file
 * format, load, save) and ingest.c (matching files to streams, reading
 * what is new). The public interface is in ingest.h.
 */
#ifndef OMSEC_ISTATE_H
#define OMSEC_ISTATE_H

#include <stddef.h>
#include <stdint.h>

/*
 * The fingerprint covers the first OMSEC_FP_MAX decompressed bytes of a
 * stream, or all of them while the stream is shorter: the same bytes
 * whether the file is x.log, x.log.1 or x.log.2.gz.
 */
#define OMSEC_FP_MAX 1024

/* One log stream: a sequence of bytes, whatever file holds it now. */
struct omsec_stream {
	uint64_t fp;		/* FNV-1a 64 of the first fp_len bytes */
	uint64_t fp_len;	/* 1 .. OMSEC_FP_MAX */
	uint64_t offset;	/* decompressed bytes consumed (line ends) */
	uint64_t lines;		/* lines consumed */
	uint64_t dev, ino, size;	/* the file as last seen ... */
	int64_t mtime_ns;	/* ... unchanged stat: nothing new to read */
	uint64_t seen;		/* run that last saw it */
	char *path;		/* where it was last seen (owned) */
	int claimed;		/* matched to a file in this run */
};

struct omsec_state {
	uint64_t run;		/* run that wrote the state; 0 = none yet */
	uint64_t keep;		/* forget streams unseen for this many runs */
	struct omsec_stream *s;
	size_t n, cap;
};

uint64_t omsec_fp_hash(const void *p, size_t n);

/* Appends a stream (path copied). Returns it, or NULL on out of memory. */
struct omsec_stream *omsec_state_add(struct omsec_state *st,
    const char *path);

/* Replaces a stream's path. 0, or -1 on out of memory (path kept). */
int omsec_stream_set_path(struct omsec_stream *s, const char *path);

#endif
