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
struct omsec_state;

/* msg is "PATH: what", without the program name; valid during the call. */
typedef void (*omsec_ingest_warn_fn)(void *arg, const char *msg);

/*
 * Progress: bytes read from the sources so far and (with a state) the
 * bytes expected in all; total is 0 when unknown. Called every few
 * thousand lines and after each source: the callee decides how often to
 * show it.
 */
typedef void (*omsec_ingest_progress_fn)(void *arg, uint64_t done,
    uint64_t total);

struct omsec_ingest_opts {
	omsec_ingest_warn_fn warn;
	void *warn_arg;
	/*
	 * With a state (borrowed), omsec_ingest_batch reads only what is new
	 * since the run that wrote it, and advances it: see "Incremental
	 * reading" below.
	 */
	struct omsec_state *state;
	/* A FILE source stands for its rotated set: FILE, FILE.N[.gz], ... */
	int rotated;
	omsec_ingest_progress_fn progress;
	void *progress_arg;
};
#define OMSEC_INGEST_OPTS_INIT { NULL, NULL, NULL, 0, NULL, NULL }

struct omsec_ingest_stats {
	uint64_t files;		/* sources read (stdin counts) */
	uint64_t bytes_in;	/* bytes read from the sources (compressed) */
	uint64_t bytes_raw;	/* bytes after decompression */
	uint64_t lines;		/* raw lines written */
	uint64_t truncated;	/* lines cut at 1 MiB */
	uint64_t failed;	/* sources that could not be read completely */
	uint64_t skipped;	/* non-regular files and loops in walks */
	/* With a state: */
	uint64_t unchanged;	/* files with nothing new since the last run */
	uint64_t streams_new;	/* files seen for the first time */
	uint64_t copies;	/* second copies of a stream (mid-compression) */
	uint64_t truncations;	/* files truncated in place (copytruncate) */
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

/*
 * Incremental reading. A state remembers, per log stream, a fingerprint of
 * its first decompressed bytes (up to 1 KiB) and how far it was read, so a
 * stream is recognised after a rename (x.log -> x.log.1) and after
 * compression (-> x.log.2.gz, another inode). With opts.state set,
 * omsec_ingest_batch is one run:
 *   - it lists the sources (directories walked, with opts.rotated a FILE
 *     brings its rotated set), without reading;
 *   - a file whose device, inode, size and mtime are those recorded is
 *     unchanged: not opened again;
 *   - otherwise its first bytes are read and matched to a stream: first a
 *     stream with the same inode and fingerprint, then any stream with the
 *     fingerprint. A live file whose fingerprint no longer matches its
 *     inode's stream was truncated (copytruncate) or replaced: a new
 *     stream. A gzip and a plain file with one fingerprint are one stream
 *     seen twice during compression: only one is read. Anything else is
 *     a new stream, read from its start;
 *   - each stream is read from its offset to its end, in the emission
 *     order of the sources; a live (not rotated) plain file only up to its
 *     last '\n', so that a line being written is read whole next time;
 *   - the state's run number is incremented; streams not seen for keep
 *     runs (omsec_state_set_keep, default 31) are forgotten.
 * The caller saves the state only after the output is safely stored
 * (omsec_state_save); not saving it means the next run reads the same
 * lines again. Lines before the damage in a corrupt gzip count as read.
 */

/*
 * Loads a state file; a missing file is an empty state (run 0). Returns 0
 * and a new state in *st, or -1 with "path[:line]: what" in err.
 */
int omsec_state_load(struct omsec_state **st, const char *path, char *err,
    size_t errcap);
/*
 * Writes the state to path atomically and durably (temporary file, fsync,
 * rename, fsync of the directory). Returns 0, or -1 with errno set.
 */
int omsec_state_save(struct omsec_state *st, const char *path);
void omsec_state_free(struct omsec_state *st);
/* The run that wrote the state (0: none), incremented by each batch. */
uint64_t omsec_state_run(const struct omsec_state *st);
size_t omsec_state_count(const struct omsec_state *st);
void omsec_state_set_keep(struct omsec_state *st, uint64_t runs);

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
