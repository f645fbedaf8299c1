/* SPDX-License-Identifier: MIT */
/* parallel.h - a scoring run on several cores: the input is cut into large
 * chunks at record boundaries, the chunks are scored by worker threads, and
 * their output is written in input order. The bytes written, the counts and
 * the first error (line, message, exit code) are those of the sequential
 * run (annotate_records over one reader). */
#ifndef LS_PARALLEL_H
#define LS_PARALLEL_H

#include "pipeline/annotate.h"

struct parallel_input {
	int fd;                     /* read on from here ... */
	const char *pending;        /* ... after these bytes, already read */
	size_t pending_len;
	bool eof;                   /* the input ended with the pending bytes */
	unsigned long line;         /* where the pending bytes begin */
	uint64_t offset;
	const char *name;           /* for messages */
	char delim;
	uint64_t max_record;        /* 0: no limit */
	const ls_cell *header;      /* the header's names (as text), ncols of them */
	const char *encoding;       /* the input's (ls_reader_set_encoding); NULL: UTF-8 */
	bool output_started;        /* anything written before the first chunk */
};

struct parallel_config {
	unsigned jobs;              /* worker threads */
	size_t chunk_size;          /* bytes a chunk holds at least (but the last) */
};

/* Scores the input as described above; `total` receives the engines'
 * statistics and the counts (blank lines and bytes too), and its watcher
 * is told of progress after each chunk written. Returns LS_OK or the first
 * error in input order (err filled). */
ls_status parallel_score(const struct parallel_config *cfg, const struct row_plan *plan,
                         const ls_ruleset *rules, const struct parallel_input *in,
                         struct row_sink *total, ls_error *err);

#endif
