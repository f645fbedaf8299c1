/* SPDX-License-Identifier: MIT */
/* test_outfile.c - atomic output files: whole or untouched, no leftovers. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

#include "outfile.h"

static char dir[64];

static int make_dir(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/leadsift-outfile-XXXXXX");
	return mkdtemp(dir) == NULL;
}

static int remove_dir(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static int entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.' || (e->d_name[1] != '\0' && strcmp(e->d_name, "..") != 0);
	closedir(d);
	return n;
}

static void slurp(const char *path, char *out, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(out, 1, size - 1, f);
	out[n] = '\0';
	fclose(f);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_commit_replaces_and_keeps_mode(void **state)
{
	struct outfile f;
	const char *what = NULL;
	char path[128], text[32];
	struct stat sb;
	FILE *old;

	(void)state;
	snprintf(path, sizeof(path), "%s/out.csv", dir);
	old = fopen(path, "w");
	fputs("old", old);
	fclose(old);
	chmod(path, 0640);
	assert_true(outfile_open(&f, path, &what));
	assert_int_equal(entries(), 2);
	assert_int_equal(write(f.fd, "new", 3), 3);
	slurp(path, text, sizeof(text));
	assert_string_equal(text, "old");
	assert_true(outfile_commit(&f, &what));
	slurp(path, text, sizeof(text));
	assert_string_equal(text, "new");
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0640);
	assert_int_equal(entries(), 1);
	outfile_abort(&f); /* harmless after commit */
	assert_int_equal(entries(), 1);
}

static void test_abort_leaves_target_untouched(void **state)
{
	struct outfile f;
	const char *what = NULL;
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/new.csv", dir);
	assert_true(outfile_open(&f, path, &what));
	assert_int_equal(write(f.fd, "partial", 7), 7);
	outfile_abort(&f);
	outfile_abort(&f);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(entries(), 0);
}

/* A group appears together: when its last rename fails (the target has
 * become a directory that is not empty), the target already replaced gets
 * its old contents back, the one that did not exist is removed, and nothing
 * is left over. */
static void test_group_rolls_back(void **state)
{
	struct outfile a, b, c;
	struct outfile *group[] = {&a, &b, &c};
	const char *what = NULL;
	char pa[128], pb[128], pc[128], inside[160], text[32];
	size_t failed = 99;

	(void)state;
	snprintf(pa, sizeof(pa), "%s/a.csv", dir);
	snprintf(pb, sizeof(pb), "%s/b.json", dir);
	snprintf(pc, sizeof(pc), "%s/c.csv", dir);
	snprintf(inside, sizeof(inside), "%s/x", pc);
	write_file(pa, "old a");
	assert_true(outfile_open(&a, pa, &what));
	assert_true(outfile_open(&b, pb, &what));
	assert_true(outfile_open(&c, pc, &what));
	assert_int_equal(write(a.fd, "new a", 5), 5);
	assert_int_equal(write(b.fd, "new b", 5), 5);
	assert_int_equal(write(c.fd, "new c", 5), 5);
	assert_int_equal(mkdir(pc, 0700), 0);
	write_file(inside, "x");
	assert_false(outfile_commit_all(group, 3, &what, &failed));
	assert_int_equal(failed, 2);
	assert_string_equal(what, "cannot replace");
	slurp(pa, text, sizeof(text));
	assert_string_equal(text, "old a");
	assert_int_equal(access(pb, F_OK), -1);
	assert_int_equal(entries(), 2); /* a.csv and the directory c.csv */

	/* With nothing in the way the group appears whole, old copies gone. */
	assert_int_equal(unlink(inside), 0);
	assert_int_equal(rmdir(pc), 0);
	assert_true(outfile_open(&a, pa, &what));
	assert_true(outfile_open(&b, pb, &what));
	assert_true(outfile_open(&c, pc, &what));
	assert_int_equal(write(a.fd, "new a", 5), 5);
	assert_int_equal(write(b.fd, "new b", 5), 5);
	assert_int_equal(write(c.fd, "new c", 5), 5);
	assert_true(outfile_commit_all(group, 3, &what, &failed));
	slurp(pa, text, sizeof(text));
	assert_string_equal(text, "new a");
	slurp(pb, text, sizeof(text));
	assert_string_equal(text, "new b");
	slurp(pc, text, sizeof(text));
	assert_string_equal(text, "new c");
	assert_int_equal(entries(), 3);
}

static void test_open_failures(void **state)
{
	struct outfile f;
	const char *what = NULL;
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/missing/out.csv", dir);
	assert_false(outfile_open(&f, path, &what));
	assert_int_equal(errno, ENOENT);
	assert_string_equal(what, "cannot create a temporary file beside");
	assert_false(outfile_open(&f, dir, &what));
	assert_int_equal(errno, EISDIR);
	assert_int_equal(entries(), 0);
}

/* A signal in the instant after the temporary file is created (before the
 * first byte is written) still finds it to remove: a regression, seen as a
 * temporary file left by signal-during-output on a loaded machine. */
static volatile sig_atomic_t signalled;

static void on_hup(int sig)
{
	(void)sig;
	outfile_abort_all_from_signal();
	signalled = 1;
}

static void hup_now(const char *path)
{
	(void)path;
	raise(SIGHUP);
}

static void test_signal_right_after_create(void **state)
{
	struct sigaction sa = {0}, old;
	struct outfile f;
	const char *what = NULL;
	char path[128];

	(void)state;
	sa.sa_handler = on_hup;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGHUP, &sa, &old), 0);
	snprintf(path, sizeof(path), "%s/out.csv", dir);
	signalled = 0;
	unit_after_mkstemp(hup_now);
	assert_true(outfile_open(&f, path, &what));
	unit_after_mkstemp(NULL);
	assert_int_equal(signalled, 1);
	assert_int_equal(entries(), 0);
	outfile_abort(&f);
	assert_int_equal(sigaction(SIGHUP, &old, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commit_replaces_and_keeps_mode, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_abort_leaves_target_untouched, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_group_rolls_back, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_open_failures, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_signal_right_after_create, make_dir, remove_dir),
	};
	return cmocka_run_group_tests_name("outfile", tests, NULL, NULL);
}
