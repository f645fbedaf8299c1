/* SPDX-License-Identifier: MIT */
/* outfile.c - output files that appear whole or not at all. */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "messages.h"

/* The temporary files a signal handler must remove: -o and --stats. */
#define MAX_OPEN 4
static char *volatile open_tmp[MAX_OPEN];

/* Signals are blocked while the table changes, so the handler never sees it
 * half-updated. */
static void block_signals(sigset_t *old)
{
	sigset_t all;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, old);
}

static void set_tracked(char *tmp, bool on)
{
	int i;

	for (i = 0; i < MAX_OPEN; i++) {
		if (on && open_tmp[i] == NULL) {
			open_tmp[i] = tmp;
			break;
		}
		if (!on && open_tmp[i] == tmp) {
			open_tmp[i] = NULL;
			break;
		}
	}
}

static void untrack(char *tmp)
{
	sigset_t old;

	block_signals(&old);
	set_tracked(tmp, false);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* Creates the temporary file and enters it in the table with signals
 * blocked throughout: a signal never finds it created but not entered. */
static int create_tracked(char *tmp)
{
	sigset_t old;
	int fd;

	block_signals(&old);
	fd = mkstemp(tmp);
	if (fd >= 0)
		set_tracked(tmp, true);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return fd;
}

void outfile_abort_all_from_signal(void)
{
	int i;

	for (i = 0; i < MAX_OPEN; i++)
		if (open_tmp[i] != NULL)
			unlink(open_tmp[i]);
}

bool outfile_open(struct outfile *f, const char *path, const char **what)
{
	const char *slash = strrchr(path, '/');
	size_t dir_len = slash != NULL ? (size_t)(slash - path) + 1 : 0;
	struct stat sb;
	mode_t mode, mask;
	int saved;

	memset(f, 0, sizeof(*f));
	f->fd = -1;
	if (stat(path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode)) {
			errno = EISDIR;
			*what = "cannot write";
			return false;
		}
		if (!S_ISREG(sb.st_mode)) {
			/* A device, FIFO or socket cannot be replaced by a rename (and
			 * must not be: think /dev/null): write to it directly. */
			f->fd = open(path, O_WRONLY | O_CLOEXEC);
			*what = "cannot write";
			return f->fd >= 0;
		}
		mode = sb.st_mode & 07777;
	} else {
		mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	f->path = strdup(path);
	f->tmp = malloc(strlen(path) + 32);
	if (f->path == NULL || f->tmp == NULL) {
		/* Nothing was created: the name is not written yet, and removing
		 * whatever path the block happens to hold could delete anything. */
		free(f->tmp);
		f->tmp = NULL;
		*what = "cannot write";
		errno = ENOMEM;
		goto fail;
	}
	/* Beside the target, so the final rename stays on one file system. */
	sprintf(f->tmp, "%.*s.%s.leadsift-XXXXXX", (int)dir_len, path, path + dir_len);
	f->fd = create_tracked(f->tmp);
	if (f->fd < 0) {
		*what = "cannot create a temporary file beside";
		saved = errno;
		free(f->tmp); /* nothing was created: nothing to remove */
		f->tmp = NULL;
		errno = saved;
		goto fail;
	}
	if (fchmod(f->fd, mode) != 0) {
		*what = "cannot set the permissions of the temporary file for";
		goto fail;
	}
	return true;
fail:
	saved = errno;
	outfile_abort(f);
	free(f->path);
	f->path = NULL;
	errno = saved;
	return false;
}

bool outfile_commit(struct outfile *f, const char **what)
{
	int saved;

	if (f->tmp == NULL) { /* written directly: nothing to rename */
		*what = "cannot write";
		saved = close(f->fd);
		f->fd = -1;
		return saved == 0;
	}
	if (fsync(f->fd) != 0 && errno != EINVAL) {
		*what = "cannot write";
		goto fail;
	}
	if (close(f->fd) != 0) {
		f->fd = -1;
		*what = "cannot write";
		goto fail;
	}
	f->fd = -1;
	if (rename(f->tmp, f->path) != 0) {
		*what = "cannot replace";
		goto fail;
	}
	untrack(f->tmp);
	free(f->tmp);
	f->tmp = NULL;
	free(f->path);
	f->path = NULL;
	return true;
fail:
	saved = errno;
	outfile_abort(f);
	errno = saved;
	return false;
}

void outfile_abort(struct outfile *f)
{
	if (f->fd >= 0) {
		close(f->fd);
		f->fd = -1;
	}
	if (f->tmp != NULL) {
		unlink(f->tmp);
		untrack(f->tmp);
		free(f->tmp);
		f->tmp = NULL;
	}
	free(f->path);
	f->path = NULL;
}

int write_file_atomically(const char *path, bool (*write)(FILE *f, const void *arg),
                          const void *arg)
{
	struct outfile out = {0};
	const char *what = "cannot write";
	FILE *f = NULL;
	int fd, code;

	out.fd = -1;
	if (!outfile_open(&out, path, &what))
		return report_errno(what, path);
	fd = dup(out.fd);
	if (fd >= 0)
		f = fdopen(fd, "w");
	if (f == NULL) {
		if (fd >= 0)
			close(fd);
		what = "cannot write";
		goto fail;
	}
	errno = 0;
	if (!write(f, arg)) {
		fclose(f);
		goto fail;
	}
	if (fclose(f) != 0)
		goto fail;
	if (!outfile_commit(&out, &what))
		goto fail;
	return EXIT_OK;
fail:
	code = report_errno(what, path);
	outfile_abort(&out);
	return code;
}
