/* SPDX-License-Identifier: MIT */
/* pipeline.c - ls_score_csv: the header, the new columns' names, the engine,
 * and the records on one thread (annotate.c) or several (parallel.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "base/text.h"
#include "csv/csv.h"
#include "pipeline/parallel.h"

/* A parallel run's chunks: large enough that handing them out costs
 * nothing, small enough that a few per thread keep memory flat. */
#define CHUNK_SIZE (1024 * 1024)
#define MAX_THREADS 1024

static const char *const annotation_names[3] = {"score", "disqualified", "reasons"};

/* Everything one call holds, so one cleanup path can release it. */
struct pipeline {
	const ls_ruleset *rs;
	const ls_score_options *opt;
	ls_reader *in;
	const char *input;     /* its name in messages */
	struct row_plan plan;
	struct row_sink sink;
	char *names[3];        /* the new columns' names */
	ls_row header;
	bool wrote_start;      /* a byte order mark or the header went out */
	bool parallel;         /* counts bytes chunk by chunk */
	ls_error *err;
};

static bool same_name(ls_cell cell, const char *name)
{
	return text_equal_fold(cell.ptr, cell.len, name, strlen(name));
}

/* Finds input columns that clash with the appended ones. Without replace a
 * clash is an error: two columns of one name would confuse every reader. */
static ls_status plan_annotations(struct pipeline *p)
{
	const char *prefix = p->opt->prefix != NULL ? p->opt->prefix : "";
	size_t i, k;

	for (k = 0; k < 3; k++) {
		p->names[k] = malloc(strlen(prefix) + strlen(annotation_names[k]) + 1);
		if (p->names[k] == NULL)
			return err_nomem(p->err);
		sprintf(p->names[k], "%s%s", prefix, annotation_names[k]);
		p->plan.column[k] = SIZE_MAX;
		for (i = 0; i < p->header.ncells; i++) {
			if (!same_name(ls_row_text(&p->header)[i], p->names[k]))
				continue;
			if (!p->opt->replace)
				return ls_error_set(p->err, LS_ERR_HEADER, p->input, p->header.line, 0,
				                    "the input already has a column named \"%s\" (column "
				                    "%zu); use --prefix STR to name the new columns "
				                    "differently, or --replace to overwrite them",
				                    p->names[k], i + 1);
			p->plan.column[k] = i;
			break;
		}
	}
	return LS_OK;
}

/* The header: given (input without one), or the input's first record. */
static ls_status read_header(struct pipeline *p)
{
	const ls_row *given = p->opt->header;
	ls_status st;

	if (given != NULL) {
		p->header = *given;
		st = ls_reader_set_header(p->in, given->cells, given->ncells, p->err);
		return st == LS_OK ? csv_reader_check_bom(p->in, p->err) : st;
	}
	st = ls_reader_next(p->in, &p->header, p->err);
	if (st == LS_DONE)
		return ls_error_set(p->err, LS_ERR_CSV, p->input, 0, 0,
		                    "empty input: expected a header line naming the columns");
	return st;
}

/* The rejects' header, in the rejects writer's own delimiter. */
static ls_status write_rejects_header(ls_writer *w, ls_error *err)
{
	static const char *const names[] = {"line", "reason", "record"};
	ls_status st = LS_OK;
	size_t k;

	for (k = 0; k < 3 && st == LS_OK; k++)
		st = ls_writer_field(w, names[k], strlen(names[k]), err);
	return st == LS_OK ? ls_writer_end_row(w, LS_EOL_LF, err) : st;
}

/* Reads and binds the header, then writes the start of the output: a byte
 * order mark the input had, and the header with the new columns (unless the
 * header was given: shards of such input are written without one). */
static ls_status start(struct pipeline *p, ls_writer *out, ls_engine **engine)
{
	ls_cell names[3];
	size_t k;
	ls_status st = read_header(p);

	if (st == LS_OK)
		st = plan_annotations(p);
	if (st != LS_OK)
		return st;
	p->plan.ncols = p->header.ncells;
	p->plan.only = p->opt->only;
	p->plan.rejects = p->opt->rejects != NULL;
	p->plan.max_rejects = p->opt->max_rejects;
	st = ls_engine_bind(engine, p->rs, &p->header, p->input, p->err);
	/* What is added is written in the input's encoding, like the rest. */
	if (st == LS_OK)
		st = ls_writer_set_encoding(out, csv_reader_encoding(p->in), p->err);
	if (st == LS_OK && p->opt->rejects != NULL)
		st = ls_writer_set_encoding(p->opt->rejects, csv_reader_encoding(p->in), p->err);
	if (st != LS_OK)
		return st;
	p->sink.engine = *engine;
	p->sink.out = out;
	p->sink.rejects = p->opt->rejects;
	p->sink.watch = p->opt;
	p->sink.cells = calloc(p->header.ncells + 3, sizeof(*p->sink.cells));
	if (p->sink.cells == NULL)
		return err_nomem(p->err);
	if (p->opt->rejects != NULL && (st = write_rejects_header(p->opt->rejects, p->err)) != LS_OK)
		return st;
	if (ls_reader_had_bom(p->in)) {
		st = ls_writer_raw(out, "\xef\xbb\xbf", 3, p->err);
		if (st != LS_OK)
			return st;
		p->wrote_start = true;
	}
	if (p->opt->header != NULL)
		return LS_OK;
	for (k = 0; k < 3; k++) {
		names[k].ptr = p->names[k];
		names[k].len = strlen(p->names[k]);
	}
	p->wrote_start = true;
	return annotate_write_row(&p->plan, &p->sink, &p->header, NULL, 0, names, p->err);
}

static unsigned online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (unsigned)n;
}

static ls_status score_parallel(struct pipeline *p, unsigned threads)
{
	struct parallel_config cfg;
	struct parallel_input in;
	ls_status st;

	memset(&in, 0, sizeof(in));
	cfg.jobs = threads > MAX_THREADS ? MAX_THREADS : threads;
	cfg.chunk_size = p->opt->chunk_size != 0 ? p->opt->chunk_size : CHUNK_SIZE;
	st = csv_reader_take_rest(p->in, &in.pending, &in.pending_len, &in.line, &in.offset,
	                          &in.eof, p->err);
	if (st != LS_OK)
		return st;
	in.fd = csv_reader_fd(p->in);
	in.name = p->input;
	in.delim = csv_reader_delim(p->in);
	in.max_record = csv_reader_max_record(p->in);
	in.header = ls_row_text(&p->header);
	in.encoding = csv_reader_encoding(p->in);
	in.output_started = p->wrote_start;
	p->sink.tally.bytes = in.offset;
	return parallel_score(&cfg, &p->plan, p->rs, &in, &p->sink, p->err);
}

static ls_status score_records(struct pipeline *p)
{
	unsigned threads = p->opt->threads != 0 ? p->opt->threads : online_cpus();
	uint64_t budget = p->opt->max_rejects > 0 ? p->opt->max_rejects : UINT64_MAX;

	p->parallel = threads > 1;
	if (p->parallel)
		return score_parallel(p, threads);
	return annotate_records(&p->plan, &p->sink, p->in, budget, p->err);
}

ls_status ls_score_csv(const ls_ruleset *rs, ls_reader *in, ls_writer *out,
                       const ls_score_options *opt, ls_score_counts *counts, ls_engine **engine,
                       ls_error *err)
{
	static const ls_score_options defaults;
	struct pipeline p;
	ls_error unwanted = {0}; /* the pipeline's parts need somewhere to say why */
	ls_engine *e = NULL;
	ls_status st, flushed;
	uint64_t non_utf8;
	unsigned long line;
	size_t k;

	memset(&p, 0, sizeof(p));
	p.rs = rs;
	p.opt = opt != NULL ? opt : &defaults;
	p.in = in;
	p.err = err != NULL ? err : &unwanted;
	if (rs == NULL || in == NULL || out == NULL) {
		st = ls_error_set(p.err, LS_ERR_USAGE, NULL, 0, 0, "no rules, input or output");
	} else {
		p.input = csv_reader_name(in);
		st = start(&p, out, &e);
		if (st == LS_OK)
			st = score_records(&p);
		/* The rows before a failing record go out, whole, before the
		 * error (if writing is what failed, this fails again, quietly). */
		flushed = ls_writer_flush(out, st == LS_OK ? p.err : NULL);
		if (st == LS_OK)
			st = flushed;
		if (st == LS_OK && p.opt->rejects != NULL)
			st = ls_writer_flush(p.opt->rejects, p.err);
		/* Blank lines skipped before the chunks, or in the only reader. */
		p.sink.tally.blank_lines += ls_reader_blank_lines(in);
		/* Likewise records that are not UTF-8; the only reader's, or the
		 * header's, come first. */
		non_utf8 = ls_reader_non_utf8(in, &line);
		p.sink.tally.non_utf8_records += non_utf8;
		if (non_utf8 > 0)
			p.sink.tally.non_utf8_line = line;
		if (!p.parallel)
			p.sink.tally.bytes = ls_reader_bytes(in);
	}
	if (counts != NULL)
		*counts = p.sink.tally;
	if (engine != NULL)
		*engine = e;
	else
		ls_engine_free(e);
	for (k = 0; k < 3; k++)
		free(p.names[k]);
	free(p.sink.cells);
	ls_error_clear(&unwanted);
	return st;
}
