/*
 * ingest.h - omsec-ingest as a library: frame raw log lines per source.
 *
 * Reads files, directories (recursively), stdin, plain or gzip (sniffed by
 * the magic bytes 1f 8b, multi-member), and writes the ingest framing of
 * docs/formats.md section 1 to an omsec_out:
 *
 *   #omsec-ingest	1
 *   #source	/var/log/auth.log.1	-	1764201600
 *   Nov 26 03:12:01 web1 sshd[811]: Accepted publickey for deploy from ...
 *
 * Rotated sets (x.log.3.gz x.log.2.gz x.log.1 x.log, or dateext
 * x.log-20261101.gz x.log) are emitted oldest first.
 *
 * Memory: one context holds a 256 KiB compressed-input buffer and one zlib
 * inflate state, both allocated once; each source gets a core line reader
 * (one 1 MiB buffer, freed after the source). A directory walk holds the
 * names of one directory level at a time per level of depth.
 *
 * The library never prints: warnings and errors are formatted into a
 * message and handed to the opts.warn callback (may be NULL).
 */
#ifndef OMSEC_INGEST_H
#define OMSEC_INGEST_H

#include <stddef.h>
#include <stdint.h>

struct omsec_out;
struct omsec_ingest;

/* msg is "PATH: what", without the program name; valid during the call. */
typedef void (*omsec_ingest_warn_fn)(void *arg, const char *msg);

struct omsec_ingest_opts {
	omsec_ingest_warn_fn warn;
	void *warn_arg;
};
#define OMSEC_INGEST_OPTS_INIT { NULL, NULL }

struct omsec_ingest_stats {
	uint64_t files;		/* sources read (stdin counts) */
	uint64_t bytes_in;	/* bytes read from the sources (compressed) */
	uint64_t bytes_raw;	/* bytes after decompression */
	uint64_t lines;		/* raw lines written */
	uint64_t truncated;	/* lines cut at 1 MiB */
	uint64_t failed;	/* sources that could not be read completely */
	uint64_t skipped;	/* non-regular files and loops in walks */
};

/*
 * One source of a batch given on the command line: path ("-" is stdin) and
 * its type hint (NULL or "" for none, written as "-").
 */
struct omsec_ingest_src {
	const char *path;
	const char *type;
};

/*
 * Creates a context writing to out (borrowed, must outlive the context).
 * NULL on out of memory.
 */
struct omsec_ingest *omsec_ingest_new(struct omsec_out *out,
    const struct omsec_ingest_opts *opts);
void omsec_ingest_free(struct omsec_ingest *ig);

/* Writes the "#omsec-ingest<TAB>1" line. */
void omsec_ingest_begin(struct omsec_ingest *ig);

/*
 * Never read the file that fd is open on (the output file, so that a walk
 * over the directory holding it does not read what is being written).
 * Does nothing if fd is not a regular file.
 */
void omsec_ingest_exclude_fd(struct omsec_ingest *ig, int fd);

/*
 * Frames one open source. path is written in the #source header as given;
 * mtime < 0 is written as "-" (stdin). fd is not closed. Returns 0, or -1
 * if the source failed (read or gzip error: the lines before the error are
 * written, the warning is given).
 */
int omsec_ingest_fd(struct omsec_ingest *ig, int fd, const char *path,
    const char *type, int64_t mtime);

/*
 * Frames a path: "-" is stdin, a directory is walked recursively (names
 * sorted bytewise, rotated sets oldest first, symlink loops skipped,
 * non-regular files skipped with a warning), anything else is opened and
 * read. Returns 0, or -1 if anything failed (after going on with the rest).
 */
int omsec_ingest_path(struct omsec_ingest *ig, const char *path,
    const char *type);

/*
 * Frames a batch of command-line sources in order, except that members of
 * one rotated set with the same type hint are read together, oldest first,
 * at the place of the first of them. Returns 0 or -1 as omsec_ingest_path.
 */
int omsec_ingest_batch(struct omsec_ingest *ig,
    const struct omsec_ingest_src *srcs, size_t n);

/* Stops early (returns 1) once the output has failed. */
int omsec_ingest_out_failed(const struct omsec_ingest *ig);

const struct omsec_ingest_stats *omsec_ingest_stats(
    const struct omsec_ingest *ig);

/*
 * Rotation names (rotate.c). A name is parsed into a base and a rank:
 *   x.log.N[.gz]            numbered, older as N grows
 *   x.log-YYYYMMDD[HH][.gz] dateext, older as the date is earlier
 *   anything else           live file, base = the whole name
 */
enum omsec_rot_kind { OMSEC_ROT_NUMBERED, OMSEC_ROT_DATE, OMSEC_ROT_LIVE };

struct omsec_rot {
	size_t base_len;		/* name[0, base_len) is the base */
	enum omsec_rot_kind kind;
	uint64_t num;			/* N, or the date digits as a number */
	size_t date_digits;		/* 8 or 10 for dateext */
};

void omsec_rot_parse(struct omsec_rot *r, const char *name);

/*
 * Emission order: by base bytewise, then within one base numbered (highest
 * N first), dateext (earliest first), the live file last; ties bytewise.
 * A qsort-style result.
 */
int omsec_rot_cmp(const char *a, const char *b);

/* Sorts names (borrowed strings) in emission order. */
void omsec_rot_sort(const char **names, size_t n);

#endif
