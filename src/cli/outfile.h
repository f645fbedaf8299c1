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

/* Flushes the data to disk and renames the temporary file over the target.
 * On failure the temporary file is removed and errno is set. */
bool outfile_commit(struct outfile *f, const char **what);

/* Removes the temporary file, leaving the target untouched. Safe to call
 * twice and after commit. */
void outfile_abort(struct outfile *f);

/* Removes every open temporary file, using only async-signal-safe calls;
 * for the handler of SIGINT and SIGTERM. */
void outfile_abort_all_from_signal(void);

/* Writes a whole file atomically through a stdio stream: write(f, arg)
 * prints into it; the file appears only if that and every write succeed.
 * Prints the error and returns its exit code, or EXIT_OK. */
int write_file_atomically(const char *path, bool (*write)(FILE *f, const void *arg),
                          const void *arg);

#endif
