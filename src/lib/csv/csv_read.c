/* SPDX-License-Identifier: MIT */
/* csv_read.c - records from CSV through libcsv, with what libcsv does not
 * track: input line numbers, each record's line end, the byte order mark,
 * and the field count against the header. A record that holds no quote
 * character is split without libcsv (fast_path.c) unless that is off. */
#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv/csv.h"
#include "base/buf.h"
#include "base/encoding.h"
#include "base/error.h"
#include "base/text.h"

#define READ_SIZE (256 * 1024)
/* libcsv's parser state between records (ROW_NOT_BEGUN in libcsv.c). */
#define PARSER_BETWEEN_RECORDS 0

struct span {
	size_t off, len;
	bool quoted;  /* in the input */
	bool in_raw;  /* off is into raw (the input bytes), not the arena */
};

struct ls_reader {
	char *name;
	int fd;                     /* -1 for memory input */
	const char *mem;
	size_t mem_len;
	struct csv_parser parser;
	bool parser_ready;

	char *buffer;               /* owned read buffer (file input) */
	size_t window;              /* its size */
	bool fast;                  /* quote-free records skip libcsv */
	uint64_t fast_records;      /* records they were */
	const char *in;             /* input window: in[pos..len) not yet fed */
	size_t pos, len;
	bool eof;
	bool started;               /* the byte order mark has been looked at */
	bool detect;                /* the delimiter is to be found (given as 0) */
	bool had_bom;

	struct buf arena;           /* the current record's field bytes */
	struct span *spans;
	size_t nspans, spans_cap;
	struct csv_cells row;       /* the row's cells, from spans or the fast path */

	unsigned long line;         /* physical line being fed, 1-based */
	size_t line_col;            /* bytes of that line fed so far */
	unsigned long record_line;  /* line where the current record began */
	uint64_t record_start;      /* input offset where it began */
	uint64_t max_record;        /* 0: no limit */
	struct buf raw;             /* the current record's input bytes, as fed to libcsv */
	const char *rec_raw;        /* the last record's input bytes: raw's, or the */
	size_t rec_raw_len;         /* window's for a fast record (with line end) */
	size_t field_raw_start;     /* where the next field begins in raw */
	bool in_body;               /* feeding a line's body, not its line end */
	ls_line_end feeding_eol;
	bool record_done;
	ls_line_end record_eol;
	bool bare_cr;               /* a record ended at a lone CR */
	bool alloc_failed;

	bool last;                  /* the input ends where the data ends */
	bool have_header;
	size_t header_fields;
	char **header_names;        /* copies, to name fields in messages */
	uint64_t blank_lines;
	uint64_t bytes;

	char *encoding;             /* as set; NULL: the input is UTF-8 */
	struct text_converter *decoder; /* NULL for UTF-8 */
	struct buf text_arena;      /* the current record's decoded cells */
	ls_cell *text;              /* the row's cells as UTF-8 (with a decoder) */
	size_t *text_off;           /* per cell: offset in text_arena, or SIZE_MAX */
	size_t text_cap;            /* cells text and text_off have room for */
	uint64_t non_utf8;          /* records not valid UTF-8 (no encoding set) */
	unsigned long non_utf8_line; /* the first of them */
};

#define CR_ONLY_UNSUPPORTED \
	"CR-only line ends are not supported (convert with: tr '\\r' '\\n')"

/* Leading and trailing blanks are data: libcsv would trim them. */
static int never_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void on_field(void *data, size_t len, void *ctx)
{
	ls_reader *r = ctx;

	if (r->alloc_failed)
		return;
	if (r->nspans == r->spans_cap) {
		struct span *grown = array_grow(r->spans, &r->spans_cap, sizeof(*grown), 32);
		if (grown == NULL) {
			r->alloc_failed = true;
			return;
		}
		r->spans = grown;
	}
	r->spans[r->nspans].len = len;
	/* The field's input form begins with a quote or is its bytes as they are
	 * (strict CSV, no trimming); quoted, each quote inside is doubled. */
	{
		size_t start = r->field_raw_start, raw_len = len;
		bool quoted = start < r->raw.len && r->raw.data[start] == '"';
		if (quoted) {
			const char *q = data, *end = q + len;
			raw_len += 2;
			while ((q = memchr(q, '"', (size_t)(end - q))) != NULL) {
				raw_len++;
				q++;
			}
		}
		r->spans[r->nspans].quoted = quoted;
		r->field_raw_start = start + raw_len + 1;
		/* An unquoted field is its input bytes: no copy needed. */
		if (!quoted && len > 0 && start + len <= r->raw.len) {
			r->spans[r->nspans].in_raw = true;
			r->spans[r->nspans].off = start;
			r->nspans++;
			return;
		}
	}
	r->spans[r->nspans].in_raw = false;
	r->spans[r->nspans].off = r->arena.len;
	if (!buf_append(&r->arena, data, len)) {
		r->alloc_failed = true;
		return;
	}
	r->nspans++;
}

static void on_record(int c, void *ctx)
{
	ls_reader *r = ctx;

	(void)c;
	if (r->in_body)
		r->bare_cr = true;
	r->record_done = true;
	r->record_eol = r->feeding_eol;
}

static ls_status reader_new(ls_reader **out, const char *name, char delim, ls_error *err)
{
	ls_reader *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (delim == '"' || delim == '\r' || delim == '\n')
		return free(r), ls_error_set(err, LS_ERR_USAGE, NULL, 0, 0,
		                             "the delimiter cannot be a quote or a line break");
	if (r == NULL)
		return err_nomem(err);
	r->name = strdup(name == NULL || strcmp(name, "-") == 0 ? "<stdin>" : name);
	if (r->name == NULL || csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(r->name);
		free(r);
		return err_nomem(err);
	}
	r->parser_ready = true;
	r->detect = delim == '\0';
	csv_set_delim(&r->parser, (unsigned char)(r->detect ? ',' : delim));
	csv_set_space_func(&r->parser, never_space);
	r->fd = -1;
	r->fast = csv_fast_path_enabled();
	r->line = 1;
	r->last = true;
	*out = r;
	return LS_OK;
}

ls_status ls_reader_open_fd(ls_reader **out, int fd, const char *name, char delim,
                            ls_error *err)
{
	ls_status st = reader_new(out, name, delim, err);

	if (st != LS_OK)
		return st;
	(*out)->fd = fd;
	(*out)->window = READ_SIZE;
	(*out)->buffer = malloc(READ_SIZE);
	(*out)->in = (*out)->buffer;
	if ((*out)->buffer == NULL) {
		ls_reader_free(*out);
		*out = NULL;
		return err_nomem(err);
	}
	return LS_OK;
}

bool csv_reader_set_window(ls_reader *r, size_t size)
{
	char *buffer = size >= 4 && r->fd >= 0 && r->len == 0 ? realloc(r->buffer, size) : NULL;

	if (buffer == NULL)
		return false;
	r->buffer = buffer;
	r->in = buffer;
	r->window = size;
	return true;
}

ls_status ls_reader_open_mem(ls_reader **out, const void *data, size_t len, const char *name,
                             char delim, ls_error *err)
{
	ls_status st = reader_new(out, name, delim, err);

	if (st != LS_OK)
		return st;
	(*out)->mem = data;
	(*out)->mem_len = len;
	return LS_OK;
}

static void forget_header(ls_reader *r)
{
	size_t i;

	for (i = 0; i < r->header_fields; i++)
		free(r->header_names[i]);
	free(r->header_names);
	r->header_names = NULL;
	r->header_fields = 0;
	r->have_header = false;
}

void ls_reader_free(ls_reader *r)
{
	if (r == NULL)
		return;
	if (r->parser_ready)
		csv_free(&r->parser);
	forget_header(r);
	free(r->buffer);
	buf_free(&r->arena);
	buf_free(&r->raw);
	free(r->spans);
	free(r->row.cells);
	free(r->row.quoted);
	free(r->name);
	free(r->encoding);
	text_converter_free(r->decoder);
	buf_free(&r->text_arena);
	free(r->text);
	free(r->text_off);
	free(r);
}

ls_status ls_reader_set_encoding(ls_reader *r, const char *encoding, ls_error *err)
{
	struct text_converter *d = NULL;
	char *name = NULL;
	ls_status st;

	if (encoding != NULL) {
		name = strdup(encoding);
		if (name == NULL)
			return err_nomem(err);
		if (!text_encoding_is_utf8(encoding) &&
		    (st = text_decoder_open(&d, encoding, err)) != LS_OK) {
			free(name);
			return st;
		}
	}
	free(r->encoding);
	text_converter_free(r->decoder);
	r->encoding = name;
	r->decoder = d;
	return LS_OK;
}

uint64_t ls_reader_non_utf8(const ls_reader *r, unsigned long *first_line)
{
	if (first_line != NULL)
		*first_line = r->non_utf8_line;
	return r->non_utf8;
}

const char *csv_reader_encoding(const ls_reader *r) { return r->encoding; }

const char *ls_reader_raw(const ls_reader *r, size_t *len)
{
	size_t n = r->rec_raw_len;

	/* The line end was fed with the record; it is not part of it. */
	if (r->record_eol == LS_EOL_CRLF && n >= 2)
		n -= 2;
	else if (r->record_eol == LS_EOL_LF && n >= 1)
		n -= 1;
	*len = n;
	return n > 0 ? r->rec_raw : "";
}

void ls_reader_set_max_record_bytes(ls_reader *r, uint64_t max) { r->max_record = max; }
bool ls_reader_had_bom(const ls_reader *r) { return r->had_bom; }
uint64_t ls_reader_blank_lines(const ls_reader *r) { return r->blank_lines; }
uint64_t ls_reader_bytes(const ls_reader *r) { return r->bytes; }

const ls_cell *ls_row_text(const ls_row *row)
{
	return row->text != NULL ? row->text : row->cells;
}

bool ls_row_is_empty(const ls_row *row)
{
	size_t i;

	for (i = 0; i < row->ncells; i++)
		if (ls_cell_trim(row->cells[i]).len > 0)
			return false;
	return true;
}
const char *csv_reader_name(const ls_reader *r) { return r->name; }
char csv_reader_delim(const ls_reader *r) { return (char)r->parser.delim_char; }
uint64_t csv_reader_max_record(const ls_reader *r) { return r->max_record; }
int csv_reader_fd(const ls_reader *r) { return r->fd; }
uint64_t csv_reader_fast_records(const ls_reader *r) { return r->fast_records; }

/* Tops up the input window, keeping the unfed tail. */
static ls_status fill(ls_reader *r, ls_error *err)
{
	ssize_t n;

	if (r->fd < 0) {
		/* Memory input is one window: the whole buffer. */
		if (r->in == NULL) {
			r->in = r->mem;
			r->len = r->mem_len;
		}
		r->eof = true;
		return LS_OK;
	}
	if (r->pos > 0) {
		memmove(r->buffer, r->buffer + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
	}
	do
		n = read(r->fd, r->buffer + r->len, r->window - r->len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return ls_error_set_errno(err, LS_ERR_IO, errno, "cannot read %s", r->name);
	if (n == 0)
		r->eof = true;
	r->len += (size_t)n;
	return LS_OK;
}

/* Looks at the first bytes: a UTF-8 byte order mark is skipped (and written
 * back by the caller); UTF-16 and UTF-32 are refused, not misread. */
static ls_status check_bom(ls_reader *r, ls_error *err)
{
	const unsigned char *p;
	ls_status st;

	while (r->len - r->pos < 4 && !r->eof) {
		st = fill(r, err);
		if (st != LS_OK)
			return st;
	}
	r->started = true;
	p = (const unsigned char *)r->in + r->pos;
	if (r->len - r->pos >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
		r->had_bom = true;
		r->pos += 3;
		r->bytes += 3;
		return LS_OK;
	}
	/* UTF-32LE's mark begins with UTF-16LE's: the longer one is tried first. */
	if (r->len - r->pos >= 4 && ((p[0] == 0xff && p[1] == 0xfe && p[2] == 0 && p[3] == 0) ||
	                             (p[0] == 0 && p[1] == 0 && p[2] == 0xfe && p[3] == 0xff)))
		return ls_error_set(err, LS_ERR_CSV, r->name, 1, 0,
		                    "input is UTF-32 (byte order mark %02X %02X %02X %02X); convert it to "
		                    "UTF-8 first, e.g. iconv -f UTF-32 -t UTF-8",
		                    p[0], p[1], p[2], p[3]);
	if (r->len - r->pos >= 2 && ((p[0] == 0xff && p[1] == 0xfe) || (p[0] == 0xfe && p[1] == 0xff)))
		return ls_error_set(err, LS_ERR_CSV, r->name, 1, 0,
		                    "input is UTF-16 (byte order mark %02X %02X); convert it to UTF-8 first, "
		                    "e.g. iconv -f UTF-16 -t UTF-8",
		                    p[0], p[1]);
	return LS_OK;
}

/* The first look at the input: its byte order mark, then, for -d auto, its
 * delimiter, from as many of its first lines as one buffer holds. */
static ls_status start(ls_reader *r, ls_error *err)
{
	ls_status st = check_bom(r, err);
	size_t lines = 0;
	const char *p;

	if (st != LS_OK || !r->detect)
		return st;
	while (!r->eof && r->len < r->window && r->fd >= 0 && lines < 21) {
		st = fill(r, err);
		if (st != LS_OK)
			return st;
		for (lines = 0, p = r->in + r->pos; (p = memchr(p, '\n', (size_t)(r->in + r->len - p)));
		     p++)
			lines++;
	}
	r->detect = false;
	if (r->len > r->pos)
		csv_set_delim(&r->parser, (unsigned char)csv_detect_delimiter(r->in + r->pos,
		                                                              r->len - r->pos, r->eof));
	return LS_OK;
}

ls_status ls_reader_delimiter(ls_reader *r, char *delim, ls_error *err)
{
	ls_status st = r->started ? LS_OK : start(r, err);

	*delim = csv_reader_delim(r);
	return st;
}

/* "field 3 (\"Company\")" once the header is known, else "field 3". */
static void describe_field(const ls_reader *r, size_t index, char *out, size_t size)
{
	const char *name = index < r->header_fields ? r->header_names[index] : NULL;
	size_t n = (size_t)snprintf(out, size, "field %zu", index + 1);

	if (name != NULL && n < size)
		snprintf(out + n, size - n, " (\"%.60s%s\")", name, strlen(name) > 60 ? "..." : "");
}

static ls_status parse_error(ls_reader *r, const char *chunk, size_t at, ls_error *err)
{
	int code = csv_error(&r->parser);
	unsigned char c = (unsigned char)chunk[at];
	char field[128];

	if (code == CSV_ENOMEM)
		return err_nomem(err);
	if (code != CSV_EPARSE)
		return ls_error_set(err, LS_ERR_CSV, r->name, r->line, 0, "%s", csv_strerror(code));
	describe_field(r, r->nspans, field, sizeof(field));
	if (c == '"' && !r->parser.quoted)
		return ls_error_set(err, LS_ERR_CSV, r->name, r->line, r->line_col + at + 1,
		                    "malformed CSV: quote character inside unquoted %s "
		                    "(quote the whole field and double the quote: \"\")",
		                    field);
	if (c >= 0x20 && c < 0x7f)
		return ls_error_set(err, LS_ERR_CSV, r->name, r->line, r->line_col + at + 1,
		                    "malformed CSV: '%c' after the closing quote of %s "
		                    "(a quote inside a quoted field must be doubled: \"\")",
		                    c, field);
	return ls_error_set(err, LS_ERR_CSV, r->name, r->line, r->line_col + at + 1,
	                    "malformed CSV: byte 0x%02X after the closing quote of %s", c, field);
}

/* Feeds bytes to libcsv; body bytes may not end a record, line ends may. */
static ls_status feed_piece(ls_reader *r, const char *chunk, size_t len, bool body, ls_error *err)
{
	bool was_open = r->parser.pstate != PARSER_BETWEEN_RECORDS;
	/* libcsv grows its field buffer by a fixed block; growing the block with
	 * the buffer keeps huge fields from costing quadratic time. */
	size_t grow = csv_get_buffer_size(&r->parser), used, raw_before;

	csv_set_blk_size(&r->parser, grow < 4096 ? 4096 : grow);
	/* Between records libcsv skips a CR as a blank line's end; in a line's
	 * body that is a CR-only line end. */
	if (body && !was_open && len > 0 && chunk[0] == '\r')
		return ls_error_set(err, LS_ERR_CSV, r->name, r->line, 0,
		                    "a carriage return (CR) ends a blank line in the middle of a "
		                    "line; " CR_ONLY_UNSUPPORTED);
	r->in_body = body;
	raw_before = r->raw.len;
	if (!buf_append(&r->raw, chunk, len))
		return err_nomem(err);
	used = csv_parse(&r->parser, chunk, len, on_field, on_record, r);
	/* Blank lines between records are not part of one. */
	if (!(was_open || r->parser.pstate != PARSER_BETWEEN_RECORDS || r->record_done))
		r->raw.len = raw_before;
	if (r->alloc_failed)
		return err_nomem(err);
	/* A CR that ended a record came before anything libcsv stopped at:
	 * reported first, however much of the line this piece held. */
	if (r->bare_cr)
		return ls_error_set(err, LS_ERR_CSV, r->name, r->line, 0,
		                    "a carriage return (CR) ends a record in the middle of a line; "
		                    CR_ONLY_UNSUPPORTED);
	if (used < len)
		return parse_error(r, chunk, used, err);
	if (!was_open && (r->parser.pstate != PARSER_BETWEEN_RECORDS || r->record_done)) {
		r->record_line = r->line;
		r->record_start = r->bytes;
	}
	r->line_col += len;
	r->bytes += len;
	/* feed() ends a piece where a record would pass the limit. */
	if (r->max_record > 0 && r->parser.pstate != PARSER_BETWEEN_RECORDS &&
	    r->bytes - r->record_start > r->max_record)
		return ls_error_set(err, LS_ERR_CSV, r->name, r->record_line, 0,
		                    "the record starting on line %lu is larger than %llu byte%s "
		                    "(an unterminated quote? see --max-record-bytes)",
		                    r->record_line, (unsigned long long)r->max_record,
		                    r->max_record == 1 ? "" : "s");
	return LS_OK;
}

/* Feeds a line's body in pieces that end where the record being fed would
 * pass the size limit, so the limit is met at the same byte however the
 * input arrives (pipe reads, chunks) and an unterminated quote cannot make
 * the parser hold more than the limit. */
static ls_status feed(ls_reader *r, const char *chunk, size_t len, bool body, ls_error *err)
{
	while (len > 0) {
		size_t n = len;
		ls_status st;
		if (body && r->max_record > 0) {
			/* A record not yet begun begins with this body. */
			uint64_t used = r->parser.pstate != PARSER_BETWEEN_RECORDS ? r->bytes - r->record_start
			                                                           : 0;
			uint64_t room = used <= r->max_record ? r->max_record + 1 - used : 1;
			if (n > room)
				n = (size_t)room;
		}
		st = feed_piece(r, chunk, n, body, err);
		if (st != LS_OK)
			return st;
		chunk += n;
		len -= n;
	}
	return LS_OK;
}

/* Feeds the next line, or as much of it as the window holds. */
static ls_status feed_some(ls_reader *r, ls_error *err)
{
	const char *start = r->in + r->pos, *nl = memchr(start, '\n', r->len - r->pos);
	size_t body_len;
	ls_status st;

	if (nl == NULL) {
		/* Part of a line: keep a final CR back, it may start a CRLF. */
		body_len = r->len - r->pos;
		if (!r->eof && body_len > 0 && start[body_len - 1] == '\r')
			body_len--;
		st = feed(r, start, body_len, true, err);
		r->pos += body_len;
		return st;
	}
	body_len = (size_t)(nl - start);
	r->feeding_eol = LS_EOL_LF;
	if (body_len > 0 && nl[-1] == '\r') {
		body_len--;
		r->feeding_eol = LS_EOL_CRLF;
	}
	st = feed(r, start, body_len, true, err);
	if (st != LS_OK)
		return st;
	bool in_record = csv_reader_in_record(r);
	st = feed(r, start + body_len, (size_t)(nl + 1 - start) - body_len, false, err);
	if (st != LS_OK)
		return st;
	/* A line that neither began nor continued a record is blank: libcsv skips it. */
	if (!in_record && !r->record_done)
		r->blank_lines++;
	r->pos += (size_t)(nl + 1 - start);
	r->line++;
	r->line_col = 0;
	return LS_OK;
}

static ls_status finish_input(ls_reader *r, ls_error *err)
{
	char field[128];

	r->feeding_eol = LS_EOL_NONE;
	r->in_body = false;
	if (csv_fini(&r->parser, on_field, on_record, r) != 0) {
		describe_field(r, r->nspans, field, sizeof(field));
		return ls_error_set(err, LS_ERR_CSV, r->name, r->record_line, 0,
		                    "malformed CSV: quoted %s of the record starting on line %lu is never "
		                    "closed (reached the end of the input)",
		                    field, r->record_line);
	}
	return r->alloc_failed ? err_nomem(err) : LS_OK;
}

/* Copies the header's names, for messages and the field count; out of
 * memory, the reader is left with no header. */
static ls_status remember_header(ls_reader *r, const ls_cell *names, size_t n)
{
	size_t i;

	forget_header(r);
	r->header_names = calloc(n ? n : 1, sizeof(*r->header_names));
	if (r->header_names == NULL)
		return LS_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		r->header_names[i] = text_dup(names[i].ptr, names[i].len);
		if (r->header_names[i] == NULL) {
			r->header_fields = i;
			forget_header(r);
			return LS_ERR_NOMEM;
		}
	}
	r->header_fields = n;
	r->have_header = true;
	return LS_OK;
}

ls_status ls_reader_set_header(ls_reader *r, const ls_cell *names, size_t n, ls_error *err)
{
	return remember_header(r, names, n) == LS_OK ? LS_OK : err_nomem(err);
}

/* Room for the row's decoded text. */
static bool grow_text(ls_reader *r)
{
	size_t n = r->row.n;
	ls_cell *text;
	size_t *off;

	if (n <= r->text_cap)
		return true;
	text = realloc(r->text, n * sizeof(*text));
	if (text == NULL)
		return false;
	r->text = text;
	off = realloc(r->text_off, n * sizeof(*off));
	if (off == NULL)
		return false;
	r->text_off = off;
	r->text_cap = n;
	return true;
}

/* The row's text: its cells decoded to UTF-8 (those that are ASCII are
 * their own text); or, without an encoding, its cells, with the record
 * counted if it is not UTF-8. */
static ls_status decode_row(ls_reader *r, ls_row *row, ls_error *err)
{
	const ls_cell *cells = r->row.cells;
	size_t i, end;

	if (r->decoder == NULL) {
		row->text = cells;
		if (r->encoding == NULL && !text_is_utf8(r->rec_raw, r->rec_raw_len) &&
		    r->non_utf8++ == 0)
			r->non_utf8_line = r->record_line;
		return LS_OK;
	}
	if (!grow_text(r))
		return err_nomem(err);
	r->text_arena.len = 0;
	for (i = 0; i < r->row.n; i++) {
		r->text_off[i] = SIZE_MAX;
		if (!text_has_high_bytes(cells[i].ptr, cells[i].len))
			continue;
		r->text_off[i] = r->text_arena.len;
		if (!text_convert(r->decoder, cells[i].ptr, cells[i].len, &r->text_arena))
			return err_nomem(err);
	}
	/* The arena may have moved while it grew: pointers only now. A decoded
	 * cell runs to where the next decoded one begins. */
	end = r->text_arena.len;
	for (i = r->row.n; i-- > 0;) {
		r->text[i] = cells[i];
		if (r->text_off[i] == SIZE_MAX)
			continue;
		r->text[i].ptr = r->text_arena.data + r->text_off[i];
		r->text[i].len = end - r->text_off[i];
		end = r->text_off[i];
	}
	row->text = r->text;
	return LS_OK;
}

/* Hands out the record in r->row, whichever path read it: its text, and
 * the header remembered or the field count checked against it. */
static ls_status deliver(ls_reader *r, ls_row *row, ls_error *err)
{
	size_t n = r->row.n;
	ls_status st;

	row->quoted = r->row.quoted;
	row->cells = r->row.cells;
	row->ncells = n;
	row->line = r->record_line;
	row->eol = r->record_eol;
	st = decode_row(r, row, err);
	if (st != LS_OK)
		return st;
	if (!r->have_header) {
		if (remember_header(r, row->text, n) != LS_OK)
			return err_nomem(err);
	} else if (n != r->header_fields) {
		return ls_error_set(err, LS_ERR_FIELDS, r->name, r->record_line, 0,
		                    "record has %zu field%s, the header has %zu", n, n == 1 ? "" : "s",
		                    r->header_fields);
	}
	return LS_OK;
}

/* The cells of a record libcsv read, from its spans. */
static ls_status deliver_parsed(ls_reader *r, ls_row *row, ls_error *err)
{
	const char *base;
	size_t i;

	if (!csv_cells_grow(&r->row, r->nspans))
		return err_nomem(err);
	/* The arena and raw may have moved while the record grew: pointers only
	 * now. (The arena has no storage at all when every field is empty.) */
	base = r->arena.data != NULL ? r->arena.data : "";
	for (i = 0; i < r->nspans; i++) {
		r->row.cells[i].ptr = (r->spans[i].in_raw ? r->raw.data : base) + r->spans[i].off;
		r->row.cells[i].len = r->spans[i].len;
		r->row.quoted[i] = r->spans[i].quoted;
	}
	r->row.n = r->nspans;
	r->rec_raw = r->raw.data;
	r->rec_raw_len = r->raw.len;
	return deliver(r, row, err);
}

/* Takes the next line without libcsv if it is a quote-free record or a
 * blank line (*taken: a record is in r->row). Leaves anything else, or a
 * line the window cannot hold whole, to libcsv. */
static ls_status take_fast_line(ls_reader *r, bool *taken, bool *declined, ls_error *err)
{
	struct csv_fast_line line;
	const char *p = r->in + r->pos;

	*taken = *declined = false;
	switch (csv_fast_line(p, r->len - r->pos, r->eof && r->last, r->max_record, &line)) {
	case CSV_FAST_MORE:
		/* The rest of the line may follow; a chunk ends at a record
		 * boundary, so a line it ends without is libcsv's to read. */
		if (r->eof || (r->pos == 0 && r->len == r->window)) {
			*declined = true;
			return LS_OK;
		}
		return fill(r, err);
	case CSV_FAST_DECLINE:
		*declined = true;
		return LS_OK;
	case CSV_FAST_LINE:
		break;
	}
	r->pos += line.consumed;
	r->bytes += line.consumed;
	if (line.body == 0) {
		r->blank_lines++;
	} else {
		if (!csv_fast_split(p, line.body, csv_reader_delim(r), &r->row))
			return err_nomem(err);
		r->record_line = r->line;
		r->record_start = r->bytes - line.consumed;
		r->record_eol = line.eol;
		r->rec_raw = p;
		r->rec_raw_len = line.consumed;
		r->fast_records++;
		*taken = true;
	}
	if (line.eol != LS_EOL_NONE)
		r->line++;
	return LS_OK;
}

ls_status ls_reader_next(ls_reader *r, ls_row *row, ls_error *err)
{
	ls_status st;

	r->record_done = false;
	r->nspans = 0;
	r->arena.len = 0;
	r->raw.len = 0;
	r->field_raw_start = 0;
	if (!r->started) {
		st = start(r, err);
		if (st != LS_OK)
			return st;
	}
	while (!r->record_done) {
		bool held_cr = r->len - r->pos == 1 && r->in[r->pos] == '\r';
		if (r->fast && r->pos < r->len && !csv_reader_in_record(r)) {
			bool taken, declined;
			st = take_fast_line(r, &taken, &declined, err);
			if (st != LS_OK)
				return st;
			if (taken)
				return deliver(r, row, err);
			if (!declined)
				continue;
		}
		if (r->pos == r->len || (held_cr && !r->eof)) {
			/* More input follows a chunk: see csv_reader_in_record. */
			if (r->eof && !r->last)
				return LS_DONE;
			if (r->eof) {
				st = finish_input(r, err);
				if (st != LS_OK)
					return st;
				if (!r->record_done)
					return LS_DONE;
				break;
			}
			st = fill(r, err);
			if (st != LS_OK)
				return st;
			continue;
		}
		st = feed_some(r, err);
		if (st != LS_OK)
			return st;
	}
	return deliver_parsed(r, row, err);
}

ls_status csv_reader_check_bom(ls_reader *r, ls_error *err)
{
	return r->started ? LS_OK : start(r, err);
}

bool csv_reader_in_record(const ls_reader *r)
{
	return r->parser.pstate != PARSER_BETWEEN_RECORDS;
}

ls_status csv_reader_take_rest(ls_reader *r, const char **data, size_t *len, unsigned long *line,
                              uint64_t *offset, bool *eof, ls_error *err)
{
	ls_status st = csv_reader_check_bom(r, err);

	if (st != LS_OK)
		return st;
	*data = r->in != NULL ? r->in + r->pos : "";
	*len = r->len - r->pos;
	*line = r->line;
	*offset = r->bytes;
	*eof = r->eof;
	r->pos = r->len;
	return LS_OK;
}

void csv_reader_reset_mem(ls_reader *r, const void *data, size_t len, unsigned long line,
                         uint64_t offset, bool last)
{
	/* libcsv has no reset; these are its documented parser fields. */
	r->parser.pstate = PARSER_BETWEEN_RECORDS;
	r->parser.quoted = 0;
	r->parser.spaces = 0;
	r->parser.entry_pos = 0;
	r->parser.status = 0;
	r->mem = data;
	r->mem_len = len;
	r->in = NULL;
	r->pos = r->len = 0;
	r->eof = false;
	r->started = true;
	r->last = last;
	r->line = line;
	r->line_col = 0;
	r->record_line = line;
	r->bytes = r->record_start = offset;
	r->blank_lines = 0;
	r->fast_records = 0;
	r->non_utf8 = 0;
	r->non_utf8_line = 0;
	r->record_done = false;
	r->bare_cr = false;
	r->alloc_failed = false;
	r->nspans = 0;
	r->arena.len = 0;
	r->raw.len = 0;
	r->field_raw_start = 0;
}

/* The last byte equal to c in p[0..n), or NULL. */
static const char *last_byte(const char *p, size_t n, char c)
{
	while (n > 0)
		if (p[--n] == c)
			return p + n;
	return NULL;
}

size_t csv_last_boundary(const char *data, size_t len, bool *in_quotes)
{
	const char *p = data, *end = data + len, *quote = NULL, *nl;
	bool state;

	/* Forward, quote to quote, for the state at the end and the last
	 * quote; then back from the end, stretch by stretch between quotes, to
	 * the first line feed in a stretch outside quotes: usually in the last
	 * line. */
	while ((p = memchr(p, '"', (size_t)(end - p))) != NULL) {
		*in_quotes = !*in_quotes;
		quote = p++;
	}
	for (state = *in_quotes, p = end;; state = !state) {
		const char *from = quote != NULL ? quote + 1 : data;
		if (!state && (nl = last_byte(from, (size_t)(p - from), '\n')) != NULL)
			return (size_t)(nl + 1 - data);
		if (quote == NULL)
			return 0;
		p = quote;
		quote = last_byte(data, (size_t)(p - data), '"');
	}
}
