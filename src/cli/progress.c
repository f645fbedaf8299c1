/* SPDX-License-Identifier: MIT */
/* progress.c - progress on standard error (see progress.h). No colour is
 * used, so NO_COLOR needs nothing. */
#include "progress.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define REDRAW_SECONDS 0.2

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void progress_start(struct progress *p, int in_fd)
{
	struct stat sb;
	off_t at;

	memset(p, 0, sizeof(*p));
	p->tty = isatty(STDERR_FILENO) != 0;
	if (fstat(in_fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
		at = lseek(in_fd, 0, SEEK_CUR);
		if (at >= 0 && at <= sb.st_size)
			p->total = (uint64_t)(sb.st_size - at);
	}
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	p->last = p->start;
}

/* "12.3 MiB" */
static int format_bytes(char *out, size_t size, double bytes)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	unsigned u = 0;

	while (bytes >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		bytes /= 1024;
		u++;
	}
	return u == 0 ? snprintf(out, size, "%.0f B", bytes)
	              : snprintf(out, size, "%.1f %s", bytes, units[u]);
}

/* "1:02:03" or "2:03" */
static int format_duration(char *out, size_t size, double seconds)
{
	unsigned long s = seconds < 0 ? 0 : seconds > 359999999.0 ? 359999999UL
	                                                        : (unsigned long)(seconds + 0.5);
	if (s >= 3600)
		return snprintf(out, size, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
	return snprintf(out, size, "%lu:%02lu", s / 60, s % 60);
}

static void draw(struct progress *p, uint64_t rows, uint64_t bytes, double elapsed, bool final)
{
	char line[256], done[32], total[32], rate[32], left[32];
	double per_second = elapsed > 0 ? (double)bytes / elapsed : 0;
	unsigned width;
	int n;

	format_bytes(done, sizeof(done), (double)bytes);
	format_bytes(rate, sizeof(rate), per_second);
	if (p->total > 0 && bytes <= p->total) {
		format_bytes(total, sizeof(total), (double)p->total);
		if (final)
			format_duration(left, sizeof(left), elapsed);
		else if (per_second > 0)
			format_duration(left, sizeof(left), (double)(p->total - bytes) / per_second);
		else
			snprintf(left, sizeof(left), "?");
		n = snprintf(line, sizeof(line), "leadsift: %llu rows, %s of %s (%u%%), %s/s, %s %s",
		             (unsigned long long)rows, done, total,
		             (unsigned)((double)bytes * 100 / (double)p->total), rate, left,
		             final ? "in all" : "left");
	} else {
		format_duration(left, sizeof(left), elapsed);
		n = snprintf(line, sizeof(line), "leadsift: %llu rows, %s, %s/s, %s", (unsigned long long)rows,
		             done, rate, left);
	}
	width = n < 0 ? 0 : (unsigned)n >= sizeof(line) ? sizeof(line) - 1 : (unsigned)n;
	/* Spaces over what a longer previous line left: no escape sequences, so
	 * any terminal (and a file) shows it right. */
	fprintf(stderr, "\r%s%*s", line, p->width > width ? (int)(p->width - width) : 0, "");
	p->width = width;
	p->drawn = true;
}

void progress_tick(struct progress *p, uint64_t rows, uint64_t bytes)
{
	struct timespec now;

	p->bytes = bytes;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (seconds_between(&p->last, &now) < REDRAW_SECONDS)
		return;
	p->last = now;
	draw(p, rows, bytes, seconds_between(&p->start, &now), false);
	fflush(stderr);
}

void progress_end(struct progress *p, uint64_t rows, uint64_t bytes)
{
	struct timespec now;

	if (p->tty) {
		if (p->drawn)
			fprintf(stderr, "\r%*s\r", (int)p->width, "");
	} else {
		clock_gettime(CLOCK_MONOTONIC, &now);
		draw(p, rows, bytes, seconds_between(&p->start, &now), true);
		fputc('\n', stderr);
	}
	fflush(stderr);
}
