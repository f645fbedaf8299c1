/* SPDX-License-Identifier: MIT */
/* input.c - rules and CSV input for the commands (see input.h). */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "messages.h"

ls_status rules_with_overrides(const struct common_options *o, const char *const *paths,
                               size_t npaths, ls_ruleset **out, ls_error *err)
{
	ls_status st = ls_ruleset_load(out, paths, npaths, err);

	if (st != LS_OK)
		return st;
	if (o->has_base)
		ls_ruleset_set_base(*out, o->base);
	if (o->has_threshold)
		ls_ruleset_set_threshold(*out, o->threshold);
	if (o->has_today)
		ls_ruleset_set_today(*out, o->today);
	return LS_OK;
}

int load_rules(const struct common_options *o, const char *const *paths, size_t npaths,
               ls_ruleset **out)
{
	ls_error err = {0};
	ls_status st = rules_with_overrides(o, paths, npaths, out, &err);
	int code = st == LS_OK ? EXIT_OK : report_error(st, &err);

	ls_error_clear(&err);
	return code;
}

const char *input_encoding(const struct common_options *o, const ls_ruleset *rs)
{
	if (o->encoding != NULL)
		return o->encoding;
	return rs != NULL ? ls_ruleset_encoding(rs) : NULL;
}

ls_status input_open(struct input *in, const char *path, char delim, const char *encoding,
                     uint64_t max_record, ls_error *err)
{
	ls_status st;

	memset(in, 0, sizeof(*in));
	in->path = path;
	in->name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	in->encoding = encoding;
	in->fd = STDIN_FILENO;
	if (strcmp(path, "-") != 0 && (in->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return ls_error_set_errno(err, LS_ERR_IO, errno, "cannot open %s", path);
	st = ls_reader_open_fd(&in->reader, in->fd, path, delim, err);
	if (st == LS_OK)
		st = ls_reader_set_encoding(in->reader, encoding, err);
	if (st == LS_OK)
		ls_reader_set_max_record_bytes(in->reader, max_record);
	return st;
}

void input_warn_encoding(const struct input *in)
{
	unsigned long line;
	uint64_t n = in->reader != NULL ? ls_reader_non_utf8(in->reader, &line) : 0;

	if (in->encoding == NULL)
		warn_not_utf8(in->name, n, line);
}

int input_open_with_header(struct input *in, const char *path, char delim, const char *encoding,
                           uint64_t max_record)
{
	ls_error err = {0};
	ls_status st = input_open(in, path, delim, encoding, max_record, &err);
	int code;

	if (st == LS_OK)
		st = ls_reader_next(in->reader, &in->header, &err);
	if (st == LS_DONE)
		st = ls_error_set(&err, LS_ERR_CSV, in->name, 0, 0,
		                  "empty input: expected a header line naming the columns");
	code = st == LS_OK ? EXIT_OK : report_error(st, &err);
	ls_error_clear(&err);
	return code;
}

int input_engine(const struct input *in, const ls_ruleset *rs, ls_engine **out)
{
	ls_error err = {0};
	ls_status st = ls_engine_bind(out, rs, &in->header, in->name, &err);
	int code = st == LS_OK ? EXIT_OK : report_error(st, &err);

	ls_error_clear(&err);
	return code;
}

int scoring_open(struct scoring *s, const struct command_line *cl)
{
	const struct common_options *o = &cl->common;
	int code = load_rules(o, o->paths, o->npaths, &s->rs);

	if (code == EXIT_OK)
		code = input_open_with_header(&s->in, cl->input, o->delim, input_encoding(o, s->rs),
		                              LS_DEFAULT_MAX_RECORD_BYTES);
	return code == EXIT_OK ? input_engine(&s->in, s->rs, &s->engine) : code;
}

void scoring_close(struct scoring *s)
{
	input_warn_encoding(&s->in);
	ls_engine_free(s->engine);
	input_close(&s->in);
	ls_ruleset_free(s->rs);
}

ls_status input_next(struct input *in, ls_row *row, int *exit_code)
{
	ls_error err = {0};
	ls_status st;

	/* Records of empty fields are not leads (the end of a report export). */
	while ((st = ls_reader_next(in->reader, row, &err)) == LS_OK && ls_row_is_empty(row))
		in->empty_records++;
	if (st != LS_OK && st != LS_DONE) {
		*exit_code = report_error(st, &err);
		ls_error_clear(&err);
	}
	return st;
}

void input_close(struct input *in)
{
	ls_reader_free(in->reader);
	in->reader = NULL;
	if (in->fd > STDERR_FILENO)
		close(in->fd);
	in->fd = -1;
}
