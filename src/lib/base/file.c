/* SPDX-License-Identifier: MIT */
/* file.c - reading a whole file (ls_read_file): rule files, run summaries. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"

#define READ_SIZE 65536

static ls_status too_large(ls_error *err, const char *path, size_t max)
{
	return ls_error_set(err, LS_ERR_USAGE, path, 0, 0, "larger than %zu bytes", max);
}

ls_status ls_read_file(const char *path, size_t max, char **text, size_t *len, ls_error *err)
{
	struct buf b = {0};
	ls_status st = LS_OK;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat info;

	if (fd < 0)
		return ls_error_set_errno(err, LS_ERR_IO, errno, "cannot open %s", path);
	/* A file too large is refused before it is read; what is not a regular
	 * file is counted as it is read. */
	if (max > 0 && fstat(fd, &info) == 0 && S_ISREG(info.st_mode) &&
	    (uintmax_t)info.st_size > max) {
		close(fd);
		return too_large(err, path, max);
	}
	for (;;) {
		ssize_t n;
		if (!buf_reserve(&b, READ_SIZE)) {
			st = err_nomem(err);
			goto out;
		}
		n = read(fd, b.data + b.len, b.cap - b.len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			st = ls_error_set_errno(err, LS_ERR_IO, errno, "cannot read %s", path);
			goto out;
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
		if (max > 0 && b.len > max) {
			st = too_large(err, path, max);
			goto out;
		}
	}
	if (!buf_terminate(&b))
		st = err_nomem(err);
out:
	close(fd);
	if (st != LS_OK) {
		buf_free(&b);
		return st;
	}
	*text = b.data;
	*len = b.len;
	return LS_OK;
}
