/* SPDX-License-Identifier: MIT */
/* progress.h - a scoring run's progress on standard error: rows, bytes, the
 * share of the input when its size is known, the rate and the time left,
 * redrawn in place at most five times a second. */
#ifndef LS_PROGRESS_H
#define LS_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct progress {
	bool tty;               /* cleared at the end instead of kept */
	uint64_t total;         /* input bytes from where reading starts; 0: unknown */
	struct timespec start, last;
	uint64_t bytes;         /* as of the last tick */
	bool drawn;
	unsigned width;         /* of the last line drawn, to blank it */
};

/* Starts the clock. in_fd: the input, whose size is known when it is a
 * regular file. */
void progress_start(struct progress *p, int in_fd);

/* Redraws if a fifth of a second has passed since the last drawing. Called
 * every so many rows; bytes counts from where reading started (kept in
 * p->bytes). */
void progress_tick(struct progress *p, uint64_t rows, uint64_t bytes);

/* On a terminal, blanks the line (the summary or an error takes its place);
 * elsewhere (--progress into a file) ends with the final figures. */
void progress_end(struct progress *p, uint64_t rows, uint64_t bytes);

#endif
