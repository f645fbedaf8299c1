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

/* Makes the written data durable and closes the file; false (errno set) if
 * either fails. Direct outputs are only closed. */
static bool finish_writing(struct outfile *f)
{
	int fd = f->fd;

	f->fd = -1;
	if (f->tmp != NULL && fsync(fd) != 0 && errno != EINVAL) {
		int saved = errno;
		close(fd);
		errno = saved;
		return false;
	}
	return close(fd) == 0;
}

/* The name beside a target where its old contents are kept while a group
 * is renamed: the temporary file's name, which no one else uses, plus "-old". */
static char *backup_name(const struct outfile *f)
{
	char *name = malloc(strlen(f->tmp) + 5);

	if (name != NULL)
		sprintf(name, "%s-old", f->tmp);
	return name;
}

static void forget(struct outfile *f)
{
	untrack(f->tmp);
	free(f->tmp);
	f->tmp = NULL;
	free(f->path);
	f->path = NULL;
}

/* Whether the target can be put back after its rename: it did not exist,
 * or its old contents are kept under a second name. */
static bool restorable(bool existed, const char *backup)
{
	return !existed || backup != NULL;
}

bool outfile_commit_all(struct outfile *const *files, size_t n, const char **what,
                        size_t *failed)
{
	char **backup = calloc(n + 1, sizeof(*backup));
	bool *existed = calloc(n + 1, sizeof(*existed));
	size_t *order = calloc(n + 1, sizeof(*order));
	size_t i, k, done = 0;
	sigset_t old;
	int saved = 0;

	*what = "cannot write";
	*failed = 0;
	if (backup == NULL || existed == NULL || order == NULL) {
		saved = ENOMEM;
		goto fail;
	}
	for (i = 0; i < n; i++) {
		if (!finish_writing(files[i])) {
			saved = errno;
			*failed = i;
			goto fail;
		}
	}
	/* The old contents stay reachable under a second name until every
	 * rename has succeeded, to be put back if one fails. A file system
	 * without hard links cannot keep them: such targets are renamed last. */
	for (i = 0; i < n; i++) {
		struct stat sb;
		if (files[i]->tmp == NULL)
			continue;
		existed[i] = lstat(files[i]->path, &sb) == 0;
		if (!existed[i])
			continue;
		backup[i] = backup_name(files[i]);
		if (backup[i] == NULL) {
			saved = ENOMEM;
			goto fail;
		}
		if (link(files[i]->path, backup[i]) != 0) {
			free(backup[i]);
			backup[i] = NULL;
		}
	}
	for (i = 0, k = 0; i < n; i++)
		if (files[i]->tmp != NULL && restorable(existed[i], backup[i]))
			order[k++] = i;
	for (i = 0; i < n; i++)
		if (files[i]->tmp != NULL && !restorable(existed[i], backup[i]))
			order[k++] = i;
	/* No signal between the first rename and the last (or the rollback). */
	block_signals(&old);
	*what = "cannot replace";
	for (done = 0; done < k; done++)
		if (rename(files[order[done]]->tmp, files[order[done]]->path) != 0)
			break;
	if (done < k) {
		saved = errno;
		*failed = order[done];
		while (done-- > 0) {
			i = order[done];
			if (!existed[i]) {
				unlink(files[i]->path);
			} else if (backup[i] != NULL) {
				/* Moved back; or, if even that fails, left for the user:
				 * either way not to be removed. */
				rename(backup[i], files[i]->path);
				backup[i][0] = '\0';
			}
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
fail:
	for (i = 0; backup != NULL && i < n; i++) {
		if (backup[i] != NULL && backup[i][0] != '\0')
			unlink(backup[i]);
		free(backup[i]);
	}
	free(backup);
	free(existed);
	free(order);
	for (i = 0; i < n; i++) {
		if (saved == 0 && files[i]->tmp != NULL)
			forget(files[i]);
		outfile_abort(files[i]);
	}
	errno = saved;
	return saved == 0;
}

bool outfile_commit(struct outfile *f, const char **what)
{
	size_t failed;

	return outfile_commit_all(&f, 1, what, &failed);
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

bool outfile_print(struct outfile *out, bool (*write)(FILE *f, const void *arg), const void *arg,
                   const char **what)
{
	int fd = dup(out->fd);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	bool ok;

	*what = "cannot write";
	if (f == NULL) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	errno = 0;
	ok = write(f, arg);
	if (!ok) {
		int saved = errno;
		fclose(f);
		errno = saved;
		return false;
	}
	return fclose(f) == 0;
}

int write_file_atomically(const char *path, bool (*write)(FILE *f, const void *arg),
                          const void *arg)
{
	struct outfile out = {0};
	const char *what = "cannot write";
	int code;

	out.fd = -1;
	if (!outfile_open(&out, path, &what))
		return report_errno(what, path);
	if (outfile_print(&out, write, arg, &what) && outfile_commit(&out, &what))
		return EXIT_OK;
	code = report_errno(what, path);
	outfile_abort(&out);
	return code;
}
