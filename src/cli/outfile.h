/* SPDX-License-Identifier: MIT */
/* outfile.h - output files that appear whole or not at all: written to a
 * temporary file beside the target and renamed over it on success. */
#ifndef LS_OUTFILE_H
#define LS_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

struct outfile {
	char *path;      /* the target */
	char *tmp;       /* the temporary file, NULL once committed or aborted */
	int fd;
};

/* Creates the temporary file. The target keeps its permissions when it
 * exists; a new one gets 0666 less the umask. A target that exists and is
 * not a regular file (/dev/null, a FIFO) is opened and written directly.
 * On failure returns false with errno set and *what naming the failed step. */
bool outfile_open(struct outfile *f, const char *path, const char **what);

/* Makes the outputs of one run appear together: each is flushed to disk and
 * closed, then every temporary file is renamed over its target. If a rename
 * fails, the targets already replaced get their old contents back (kept
 * under a second name, a hard link, until the last rename) and those that
 * did not exist are removed; signals wait until the group is in place or
 * rolled back. On failure every output is aborted, errno is set, *what names
 * the failed step and *failed the output. Outputs written directly (a
 * device, a FIFO) are only closed. */
bool outfile_commit_all(struct outfile *const *files, size_t n, const char **what,
                        size_t *failed);

/* outfile_commit_all for one output. */
bool outfile_commit(struct outfile *f, const char **what);

/* Removes the temporary file, leaving the target untouched. Safe to call
 * twice and after commit. */
void outfile_abort(struct outfile *f);

/* Removes every open temporary file, using only async-signal-safe calls;
 * for the handler of SIGINT and SIGTERM. */
void outfile_abort_all_from_signal(void);

/* Writes into an open output through a stdio stream: write(f, arg) prints
 * into it. False (errno set, *what naming the step) if that or a write
 * fails; the output stays open either way, to be committed or aborted. */
bool outfile_print(struct outfile *out, bool (*write)(FILE *f, const void *arg), const void *arg,
                   const char **what);

/* Writes a whole file atomically through a stdio stream: write(f, arg)
 * prints into it; the file appears only if that and every write succeed.
 * Prints the error and returns its exit code, or EXIT_OK. */
int write_file_atomically(const char *path, bool (*write)(FILE *f, const void *arg),
                          const void *arg);

#endif
