/* SPDX-License-Identifier: MIT */
/* csv_write.c - writing CSV records through a large buffer, quoting a field
 * only where it needs it. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv/csv.h"
#include "base/buf.h"
#include "base/encoding.h"
#include "base/error.h"
#include "base/text.h"

#define FLUSH_AT (1024 * 1024)

#define ONES_X8 0x0101010101010101ULL
#define QUOTE_X8 (ONES_X8 * '"')
#define CR_X8 (ONES_X8 * '\r')
#define LF_X8 (ONES_X8 * '\n')

/* Whether any of the eight bytes of v equals the byte repeated in x8 (the
 * classic "has zero byte" test on v ^ x8). */
static inline uint64_t has_byte(uint64_t v, uint64_t x8)
{
	uint64_t d = v ^ x8;
	return (d - ONES_X8) & ~d & (ONES_X8 << 7);
}

struct ls_writer {
	int fd;              /* -1 for memory output */
	char *name;
	char delim;
	uint64_t delim_x8;   /* the delimiter in every byte, for has_byte */
	bool special[256];   /* the bytes that make a field need quotes */
	bool in_row;
	bool row_blank;      /* the row so far is one empty, unquoted field */
	bool started;        /* anything written yet */
	struct buf out;
	struct text_converter *encoder; /* text fields' encoding; NULL: UTF-8 */
	struct buf encoded;  /* a text field, encoded */
};

/* A writer, or NULL when memory ran out. */
static ls_writer *writer_new(int fd, const char *name, char delim)
{
	ls_writer *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return NULL;
	w->name = strdup(name == NULL || strcmp(name, "-") == 0 ? "<stdout>" : name);
	if (w->name == NULL || !buf_reserve(&w->out, fd >= 0 ? FLUSH_AT + 4096 : 4096)) {
		ls_writer_free(w);
		return NULL;
	}
	w->fd = fd;
	w->delim = delim;
	w->special[(unsigned char)delim] = w->special['"'] = w->special['\r'] = true;
	w->special['\n'] = true;
	w->delim_x8 = ONES_X8 * (unsigned char)delim;
	return w;
}

ls_status ls_writer_open_fd(ls_writer **out, int fd, const char *name, char delim,
                            ls_error *err)
{
	*out = NULL;
	if (fd < 0)
		return ls_error_set(err, LS_ERR_USAGE, NULL, 0, 0, "invalid file descriptor");
	*out = writer_new(fd, name, delim);
	return *out != NULL ? LS_OK : err_nomem(err);
}

ls_status ls_writer_open_mem(ls_writer **out, char delim, ls_error *err)
{
	*out = writer_new(-1, "<memory>", delim);
	return *out != NULL ? LS_OK : err_nomem(err);
}

void ls_writer_free(ls_writer *w)
{
	if (w == NULL)
		return;
	buf_free(&w->out);
	buf_free(&w->encoded);
	text_converter_free(w->encoder);
	free(w->name);
	free(w);
}

void csv_writer_clear(ls_writer *w, bool at_start)
{
	w->out.len = 0;
	w->in_row = false;
	w->row_blank = false;
	w->started = !at_start;
}

static ls_status write_all(ls_writer *w, const char *data, size_t len, ls_error *err)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(w->fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ls_error_set_errno(err, LS_ERR_IO, errno, "cannot write %s", w->name);
		done += (size_t)n;
	}
	return LS_OK;
}

ls_status ls_writer_flush(ls_writer *w, ls_error *err)
{
	ls_status st;

	if (w->fd < 0)
		return LS_OK;
	st = write_all(w, w->out.data, w->out.len, err);
	/* Even on failure: a retry must not write the same bytes twice. */
	w->out.len = 0;
	return st;
}

static ls_status maybe_flush(ls_writer *w, ls_error *err)
{
	if (w->fd >= 0 && w->out.len >= FLUSH_AT)
		return ls_writer_flush(w, err);
	return LS_OK;
}

/* Whether a field at the very start of the output would read back as a
 * byte order mark (UTF-8, UTF-16, UTF-32) and be stripped or refused. */
static bool looks_like_bom(const unsigned char *p, size_t len)
{
	return (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) ||
	       (len >= 2 && p[0] == 0xff && p[1] == 0xfe) ||
	       (len >= 2 && p[0] == 0xfe && p[1] == 0xff) ||
	       (len >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0xfe && p[3] == 0xff);
}

ls_status ls_writer_raw(ls_writer *w, const void *data, size_t len, ls_error *err)
{
	w->started |= len > 0;
	/* Large blocks (a parallel run's chunks) go out without a copy. */
	if (w->fd >= 0 && len >= FLUSH_AT) {
		ls_status st = ls_writer_flush(w, err);
		return st == LS_OK ? write_all(w, data, len, err) : st;
	}
	if (!buf_append(&w->out, data, len))
		return err_nomem(err);
	return maybe_flush(w, err);
}

static inline uint64_t has_special(const ls_writer *w, uint64_t v)
{
	return has_byte(v, w->delim_x8) | has_byte(v, QUOTE_X8) | has_byte(v, CR_X8) |
	       has_byte(v, LF_X8);
}

/* Whether a field holds the delimiter, a quote, CR or LF: most do not, and
 * finding out takes a few operations per eight bytes. */
static bool needs_quotes(const ls_writer *w, const unsigned char *p, size_t len)
{
	uint64_t v;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&v, p + i, 8);
		if (has_special(w, v))
			return true;
	}
	/* The tail, and short fields (scores, flags) whole: a byte at a time
	 * costs less than assembling a word. */
	for (; i < len; i++)
		if (w->special[p[i]])
			return true;
	return false;
}

/* The quoted form of a field that needs it: the delimiter (within a row),
 * two enclosing quotes and every quote doubled. */
static ls_status write_quoted(ls_writer *w, const unsigned char *p, size_t len, ls_error *err)
{
	const unsigned char *end = p + len, *q;
	size_t quotes = 0;
	char *out;

	for (q = memchr(p, '"', len); q != NULL; q = memchr(q + 1, '"', (size_t)(end - q - 1)))
		quotes++;
	if (len > SIZE_MAX - 3 - quotes || !buf_reserve(&w->out, len + quotes + 3))
		return err_nomem(err);
	out = w->out.data + w->out.len;
	if (w->in_row)
		*out++ = w->delim;
	*out++ = '"';
	/* Copied in runs up to and including each quote, which is then doubled. */
	while (p < end) {
		q = memchr(p, '"', (size_t)(end - p));
		size_t run = q != NULL ? (size_t)(q - p) + 1 : (size_t)(end - p);
		memcpy(out, p, run);
		out += run;
		p += run;
		if (q != NULL)
			*out++ = '"';
	}
	*out++ = '"';
	w->out.len = (size_t)(out - w->out.data);
	w->row_blank = false;
	w->in_row = true;
	w->started = true;
	return maybe_flush(w, err);
}

ls_status ls_writer_set_encoding(ls_writer *w, const char *encoding, ls_error *err)
{
	struct text_converter *c = NULL;
	ls_status st;

	if (encoding != NULL && !text_encoding_is_utf8(encoding) &&
	    (st = text_encoder_open(&c, encoding, err)) != LS_OK)
		return st;
	text_converter_free(w->encoder);
	w->encoder = c;
	return LS_OK;
}

ls_status ls_writer_text(ls_writer *w, const void *text, size_t len, ls_error *err)
{
	if (w->encoder == NULL || !text_has_high_bytes(text, len))
		return ls_writer_field(w, text, len, err);
	w->encoded.len = 0;
	if (!text_convert(w->encoder, text, len, &w->encoded))
		return err_nomem(err);
	return ls_writer_field(w, w->encoded.data, w->encoded.len, err);
}

ls_status ls_writer_field(ls_writer *w, const void *data, size_t len, ls_error *err)
{
	const unsigned char *p = data;

	if (needs_quotes(w, p, len))
		return write_quoted(w, p, len, err);
	return csv_writer_plain_field(w, data, len, err);
}

ls_status csv_writer_plain_field(ls_writer *w, const void *data, size_t len, ls_error *err)
{
	/* A cell that starts the output with BOM bytes is quoted, so that they
	 * read back as data (found by fuzz_csv). */
	if (!w->started && looks_like_bom(data, len))
		return write_quoted(w, data, len, err);
	return csv_writer_fields_verbatim(w, data, len, err);
}

ls_status csv_writer_fields_verbatim(ls_writer *w, const void *data, size_t len, ls_error *err)
{
	if (len > SIZE_MAX - 1 || !buf_reserve(&w->out, len + 1))
		return err_nomem(err);
	if (w->in_row)
		w->out.data[w->out.len++] = w->delim;
	if (len > 0)
		memcpy(w->out.data + w->out.len, data, len);
	w->out.len += len;
	w->row_blank = !w->in_row && len == 0;
	w->in_row = true;
	w->started = true;
	return maybe_flush(w, err);
}

bool csv_writer_would_quote(const ls_writer *w, const void *data, size_t len)
{
	return (!w->started && looks_like_bom(data, len)) || needs_quotes(w, data, len);
}

ls_status ls_writer_end_row(ls_writer *w, ls_line_end eol, ls_error *err)
{
	bool ok = true;

	/* A row of one empty field would be a blank line, which readers skip:
	 * write it as "" so it reads back as a record. */
	if (w->row_blank)
		ok = buf_append(&w->out, "\"\"", 2);
	w->row_blank = false;
	w->in_row = false;
	w->started = true;
	if (!ok)
		return err_nomem(err);
	if (eol == LS_EOL_CRLF)
		ok = buf_append(&w->out, "\r\n", 2);
	else if (eol == LS_EOL_LF)
		ok = buf_putc(&w->out, '\n');
	if (!ok)
		return err_nomem(err);
	return maybe_flush(w, err);
}

const char *ls_writer_mem_data(const ls_writer *w, size_t *len)
{
	*len = w->out.len;
	return w->out.data;
}
