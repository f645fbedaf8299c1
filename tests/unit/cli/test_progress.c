/* SPDX-License-Identifier: MIT */
/* test_progress.c - the progress line: what it says, when it is drawn. */
#include "unit.h"

#include <stdio.h>
#include <unistd.h>

#include "progress.h"

/* Standard error goes to a temporary file while a test draws. */
struct capture {
	FILE *file;
	int saved;
};

static void capture_start(struct capture *c)
{
	fflush(stderr);
	c->file = tmpfile();
	assert_non_null(c->file);
	c->saved = dup(STDERR_FILENO);
	assert_true(c->saved >= 0);
	assert_true(dup2(fileno(c->file), STDERR_FILENO) >= 0);
}

/* Restores standard error; returns what was written (free it). */
static char *capture_end(struct capture *c)
{
	long n;
	char *text;

	fflush(stderr);
	assert_true(dup2(c->saved, STDERR_FILENO) >= 0);
	close(c->saved);
	n = ftell(c->file);
	assert_true(n >= 0);
	text = calloc((size_t)n + 1, 1);
	assert_non_null(text);
	rewind(c->file);
	assert_int_equal(fread(text, 1, (size_t)n, c->file), (size_t)n);
	fclose(c->file);
	return text;
}

/* A regular file of `size` bytes, read from `at`. */
static int input_file(long size, long at)
{
	FILE *f = tmpfile();
	int fd;

	assert_non_null(f);
	fd = dup(fileno(f));
	fclose(f);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, size), 0);
	assert_int_equal(lseek(fd, at, SEEK_SET), at);
	return fd;
}

/* Pretends the last drawing was long ago. */
static void age(struct progress *p)
{
	p->last.tv_sec -= 10;
	p->start.tv_sec -= 10;
}

static void test_size_of_the_input(void **state)
{
	struct progress p;
	int fds[2], fd = input_file(4096, 1000);

	(void)state;
	progress_start(&p, fd);
	assert_int_equal(p.total, 3096); /* from where reading starts */
	close(fd);
	assert_int_equal(pipe(fds), 0);
	progress_start(&p, fds[0]);
	assert_int_equal(p.total, 0);
	close(fds[0]);
	close(fds[1]);
}

static void test_redrawn_at_most_five_times_a_second(void **state)
{
	struct progress p;
	struct capture c;
	char *text;
	int fd = input_file(1 << 20, 0);

	(void)state;
	progress_start(&p, fd);
	close(fd);
	p.tty = true;
	capture_start(&c);
	progress_tick(&p, 1024, 1000); /* too soon after the start */
	progress_tick(&p, 2048, 2000);
	text = capture_end(&c);
	assert_string_equal(text, "");
	assert_int_equal(p.bytes, 2000);
	free(text);

	age(&p);
	capture_start(&c);
	progress_tick(&p, 4096, 1 << 19);
	progress_tick(&p, 5120, 600000); /* drawn just now: not again */
	text = capture_end(&c);
	assert_non_null(strstr(text, "\rleadsift: 4096 rows, 512.0 KiB of 1.0 MiB (50%), "));
	assert_non_null(strstr(text, " left"));
	assert_null(strchr(text + 1, '\r'));
	free(text);
}

static void test_a_shorter_line_blanks_the_longer_one(void **state)
{
	struct progress p;
	struct capture c;
	char *text;
	int fds[2];
	unsigned first;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	progress_start(&p, fds[0]);
	close(fds[0]);
	close(fds[1]);
	p.tty = true;
	age(&p);
	capture_start(&c);
	progress_tick(&p, 123456789, (uint64_t)5 << 30);
	first = p.width;
	age(&p);
	progress_tick(&p, 7, 10);
	progress_end(&p, 7, 10);
	text = capture_end(&c);
	/* The second line is padded to the first's width; the end blanks it. */
	assert_true(p.width < first);
	assert_non_null(strstr(text, "leadsift: 123456789 rows, 5.0 GiB, "));
	assert_non_null(strstr(text, "\rleadsift: 7 rows, 10 B, "));
	assert_int_equal(strlen(strstr(text, "\rleadsift: 7 rows") + 1), first + 1 + p.width + 1);
	assert_int_equal(text[strlen(text) - 1], '\r');
	free(text);
}

static void test_not_a_terminal_keeps_the_final_figures(void **state)
{
	struct progress p;
	struct capture c;
	char *text;
	int fd = input_file(2048, 0);

	(void)state;
	progress_start(&p, fd);
	close(fd);
	p.tty = false;
	capture_start(&c);
	progress_end(&p, 3, 2048);
	text = capture_end(&c);
	assert_non_null(strstr(text, "\rleadsift: 3 rows, 2.0 KiB of 2.0 KiB (100%), "));
	assert_non_null(strstr(text, " in all\n"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_of_the_input),
		cmocka_unit_test(test_redrawn_at_most_five_times_a_second),
		cmocka_unit_test(test_a_shorter_line_blanks_the_longer_one),
		cmocka_unit_test(test_not_a_terminal_keeps_the_final_figures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
