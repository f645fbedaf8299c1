/* SPDX-License-Identifier: MIT */
/* parallel.c - scoring chunks of the input on worker threads.
 *
 * The main thread reads the input, cuts it into chunks just after a line
 * feed outside quotes (csv_last_boundary) and hands them out; workers
 * score a chunk into memory with their own reader, engine and writers; the
 * main thread writes finished chunks in input order and sums their counts.
 * A chunk's reader starts at the chunk's input line and byte offset, so
 * messages name the same line as a sequential run, and the first chunk to
 * fail in input order decides the error, after the rows before it. */
#include "pipeline/parallel.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "csv/csv.h"
#include "engine/engine.h"

#define READ_SIZE (256 * 1024)

enum chunk_state { CHUNK_FREE, CHUNK_FILLED, CHUNK_WORKING, CHUNK_DONE };

struct chunk {
	enum chunk_state state;
	uint64_t seq;               /* the chunk's place in the input */
	struct buf in;
	unsigned long line;
	uint64_t offset;
	bool last;
	int read_errno;             /* reading stopped after these bytes */
	ls_reader *reader;
	struct row_sink sink;
	ls_status status;
	ls_error err;
};

struct pool {
	const struct parallel_config *cfg;
	const struct row_plan *plan;
	const struct parallel_input *in;
	pthread_mutex_t lock;
	pthread_cond_t work;        /* a chunk was filled, or stop */
	pthread_cond_t done;        /* a chunk was scored */
	struct chunk *chunks;
	size_t nchunks;
	pthread_t *threads;
	size_t nthreads;
	bool stop;
	bool failed;                /* some chunk failed: read no further */
	uint64_t next_seq, next_commit;
	ls_engine *discard;         /* counts of chunks scored twice */
};

/* A chunk that ends inside a record was cut where no record boundary was:
 * a bug, reported rather than scored wrongly. */
static ls_status chunk_cut_error(ls_error *err, const char *name, unsigned long line)
{
	return ls_error_set(err, LS_ERR_CSV, name, line, 0,
	                    "internal error: a chunk of the input was cut inside a record");
}

/* Scores one chunk; budget as for annotate_records. */
static void score_chunk(struct pool *pool, struct chunk *s, uint64_t budget)
{
	ls_status st;

	ls_error_clear(&s->err);
	memset(&s->sink.tally, 0, sizeof(s->sink.tally));
	csv_writer_clear(s->sink.out, s->seq == 0 && !pool->in->output_started);
	if (s->sink.rejects != NULL)
		csv_writer_clear(s->sink.rejects, false);
	csv_reader_reset_mem(s->reader, s->in.data, s->in.len, s->line, s->offset, s->last);
	st = annotate_records(pool->plan, &s->sink, s->reader, budget, &s->err);
	if (st == LS_OK && s->read_errno != 0)
		st = ls_error_set_errno(&s->err, LS_ERR_IO, s->read_errno, "cannot read %s",
		                        pool->in->name);
	else if (st == LS_OK && !s->last && csv_reader_in_record(s->reader))
		st = chunk_cut_error(&s->err, pool->in->name, s->line);
	s->sink.tally.blank_lines = ls_reader_blank_lines(s->reader);
	s->sink.tally.non_utf8_records = ls_reader_non_utf8(s->reader, &s->sink.tally.non_utf8_line);
	s->status = st;
}

static void *worker(void *arg)
{
	struct pool *pool = arg;

	pthread_mutex_lock(&pool->lock);
	for (;;) {
		struct chunk *next = NULL;
		size_t i;
		for (i = 0; i < pool->nchunks; i++) {
			struct chunk *s = &pool->chunks[i];
			if (s->state == CHUNK_FILLED && (next == NULL || s->seq < next->seq))
				next = s;
		}
		if (pool->stop)
			break;
		if (next == NULL) {
			pthread_cond_wait(&pool->work, &pool->lock);
			continue;
		}
		next->state = CHUNK_WORKING;
		pthread_mutex_unlock(&pool->lock);
		score_chunk(pool, next, UINT64_MAX);
		pthread_mutex_lock(&pool->lock);
		next->state = CHUNK_DONE;
		pool->failed |= next->status != LS_OK;
		pthread_cond_broadcast(&pool->done);
	}
	pthread_mutex_unlock(&pool->lock);
	return NULL;
}

static struct chunk *chunk_with_seq(struct pool *pool, uint64_t seq)
{
	size_t i;

	for (i = 0; i < pool->nchunks; i++)
		if (pool->chunks[i].state != CHUNK_FREE && pool->chunks[i].seq == seq)
			return &pool->chunks[i];
	return NULL;
}

/* Writes the oldest chunk out once it is scored (waiting for it if `wait`)
 * and adds up its counts. Returns LS_DONE when it is not ready (or there is
 * none), LS_OK when committed, or the chunk's error after its rows. */
static ls_status commit_next(struct pool *pool, struct row_sink *total, bool wait, ls_error *err)
{
	const struct row_plan *plan = pool->plan;
	struct chunk *s;
	const char *data;
	size_t len;
	ls_status st;

	bool ready;

	pthread_mutex_lock(&pool->lock);
	s = chunk_with_seq(pool, pool->next_commit);
	while (s != NULL && s->state != CHUNK_DONE && wait)
		pthread_cond_wait(&pool->done, &pool->lock);
	ready = s != NULL && s->state == CHUNK_DONE;
	pthread_mutex_unlock(&pool->lock);
	if (!ready)
		return LS_DONE;

	/* Only now is it known how many records earlier chunks set aside: a
	 * chunk that goes past --max-rejects is scored again with what is left,
	 * to stop exactly where a sequential run would. */
	if (plan->rejects && plan->max_rejects > 0 &&
	    annotate_set_aside(&total->tally) + annotate_set_aside(&s->sink.tally) >
	        plan->max_rejects) {
		engine_absorb_counts(pool->discard, s->sink.engine);
		score_chunk(pool, s, plan->max_rejects - annotate_set_aside(&total->tally));
	}
	data = ls_writer_mem_data(s->sink.out, &len);
	st = ls_writer_raw(total->out, data, len, err);
	if (st == LS_OK && s->sink.rejects != NULL) {
		data = ls_writer_mem_data(s->sink.rejects, &len);
		st = ls_writer_raw(total->rejects, data, len, err);
	}
	total->tally.rows_read += s->sink.tally.rows_read;
	total->tally.rows_written += s->sink.tally.rows_written;
	total->tally.rows_filtered += s->sink.tally.rows_filtered;
	total->tally.rows_rejected += s->sink.tally.rows_rejected;
	total->tally.blank_lines += s->sink.tally.blank_lines;
	total->tally.non_utf8_records += s->sink.tally.non_utf8_records;
	if (total->tally.non_utf8_line == 0)
		total->tally.non_utf8_line = s->sink.tally.non_utf8_line;
	total->tally.empty_records += s->sink.tally.empty_records;
	total->tally.not_leads += s->sink.tally.not_leads;
	total->tally.bytes = s->offset + s->in.len;
	engine_absorb_counts(total->engine, s->sink.engine);
	if (st == LS_OK && s->status != LS_OK) {
		/* The chunk's error becomes the run's. */
		ls_error_clear(err);
		*err = s->err;
		memset(&s->err, 0, sizeof(s->err));
		st = s->status;
	}
	if (st == LS_OK)
		st = annotate_progress(total->watch, total->tally.rows_read, total->tally.bytes,
		                       pool->in->name, err);
	pthread_mutex_lock(&pool->lock);
	s->state = CHUNK_FREE;
	pool->next_commit++;
	pthread_mutex_unlock(&pool->lock);
	return st;
}

/* Where the record after the blank lines at the start of data begins. */
static size_t skip_line_ends(const char *data, size_t len)
{
	size_t i = 0;

	while (i < len && (data[i] == '\n' || data[i] == '\r'))
		i++;
	return i;
}

static unsigned long count_lines(const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	unsigned long n = 0;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

/* The main thread's reading state between chunks. */
struct cutter {
	struct buf carry;           /* read past the last cut */
	size_t carry_scanned;       /* bytes of it whose quote state is in_quotes */
	bool in_quotes;
	const char *pending;        /* read before the descriptor, as if from it */
	size_t pending_len;
	bool eof;                   /* nothing more to read */
	unsigned long line;
	uint64_t offset;
};

enum fill_result { FILLED, FILL_NOMEM, FILL_ABANDONED };

/* read() from the pending bytes, then from the descriptor (if the input
 * did not end with them): input already in memory is cut into chunks the
 * way a file is, without copying the rest of it for each. */
static ssize_t read_more(const struct parallel_input *in, struct cutter *c, char *to, size_t size)
{
	size_t n = c->pending_len < size ? c->pending_len : size;

	if (n > 0) {
		memcpy(to, c->pending, n);
		c->pending += n;
		c->pending_len -= n;
		return (ssize_t)n;
	}
	return in->eof ? 0 : read(in->fd, to, size);
}

/* Fills a chunk: at least chunk_size bytes (unless the input ends first)
 * up to the last record boundary read, or, past the record size limit
 * without a boundary, everything read (its reader will refuse the record).
 * Gives up when a chunk has failed: nothing after it will be written. */
static enum fill_result fill(struct pool *pool, struct cutter *c, struct chunk *s)
{
	const struct parallel_input *in = pool->in;
	size_t boundary = 0, scanned, cut;
	/* Small chunks (tests) are read in small pieces, to cut them small. */
	size_t read_size = pool->cfg->chunk_size < READ_SIZE ? pool->cfg->chunk_size : READ_SIZE;
	bool stop = false;

	s->in.len = 0;
	s->read_errno = 0;
	s->last = false;
	if (!buf_append(&s->in, c->carry.data, c->carry.len))
		return FILL_NOMEM;
	scanned = c->carry_scanned;
	for (;;) {
		ssize_t n;
		if (scanned < s->in.len) {
			size_t b = csv_last_boundary(s->in.data + scanned, s->in.len - scanned,
			                                &c->in_quotes);
			if (b > 0)
				boundary = scanned + b;
			scanned = s->in.len;
		}
		if (c->eof) {
			s->last = true;
			break;
		}
		if (boundary > 0 && s->in.len >= pool->cfg->chunk_size)
			break;
		if (boundary == 0 && in->max_record > 0 &&
		    s->in.len - skip_line_ends(s->in.data, s->in.len) > in->max_record + 1)
			break;
		pthread_mutex_lock(&pool->lock);
		stop = pool->failed;
		pthread_mutex_unlock(&pool->lock);
		if (stop)
			return FILL_ABANDONED;
		if (s->read_errno != 0)
			break;
		if (!buf_reserve(&s->in, read_size))
			return FILL_NOMEM;
		n = read_more(in, c, s->in.data + s->in.len, read_size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			s->read_errno = errno;
		else if (n == 0)
			c->eof = true;
		else
			s->in.len += (size_t)n;
	}
	/* A chunk ends at its last boundary, unless it is the input's end, a
	 * failed read's, or a record too large for any boundary. */
	cut = s->last || s->read_errno != 0 || boundary == 0 ? s->in.len : boundary;
	c->carry.len = 0;
	if (!buf_append(&c->carry, s->in.data + cut, s->in.len - cut))
		return FILL_NOMEM;
	c->carry_scanned = c->carry.len;
	s->in.len = cut;
	s->line = c->line;
	s->offset = c->offset;
	c->line += count_lines(s->in.data, cut);
	c->offset += cut;
	return FILLED;
}

static bool chunk_init(struct pool *pool, struct chunk *s, const ls_ruleset *rules, ls_error *err)
{
	const struct parallel_input *in = pool->in;
	const struct row_plan *plan = pool->plan;

	if (ls_reader_open_mem(&s->reader, "", 0, in->name, in->delim, err) != LS_OK ||
	    ls_reader_set_encoding(s->reader, in->encoding, err) != LS_OK ||
	    ls_reader_set_header(s->reader, in->header, plan->ncols, err) != LS_OK ||
	    ls_engine_new(&s->sink.engine, rules, in->header, plan->ncols, in->name, err) != LS_OK ||
	    ls_writer_open_mem(&s->sink.out, in->delim, err) != LS_OK ||
	    ls_writer_set_encoding(s->sink.out, in->encoding, err) != LS_OK ||
	    (plan->rejects && (ls_writer_open_mem(&s->sink.rejects, ',', err) != LS_OK ||
	                       ls_writer_set_encoding(s->sink.rejects, in->encoding, err) != LS_OK)))
		return false;
	ls_reader_set_max_record_bytes(s->reader, in->max_record);
	s->sink.cells = calloc(plan->ncols + 3, sizeof(*s->sink.cells));
	return s->sink.cells != NULL;
}

static void chunk_free(struct chunk *s)
{
	ls_reader_free(s->reader);
	ls_engine_free(s->sink.engine);
	ls_writer_free(s->sink.out);
	ls_writer_free(s->sink.rejects);
	free(s->sink.cells);
	buf_free(&s->in);
	ls_error_clear(&s->err);
}

static struct chunk *unused_chunk(struct pool *pool)
{
	struct chunk *s = NULL;
	size_t i;

	pthread_mutex_lock(&pool->lock);
	for (i = 0; i < pool->nchunks && s == NULL; i++)
		if (pool->chunks[i].state == CHUNK_FREE)
			s = &pool->chunks[i];
	pthread_mutex_unlock(&pool->lock);
	return s;
}

/* Hands a filled chunk to the workers, starting them with the second chunk
 * (an input of one chunk needs no threads). Without any thread, scores it
 * here. */
static void dispatch(struct pool *pool, struct chunk *s)
{
	if (pool->nthreads == 0 && !(s->seq == 0 && s->last)) {
		while (pool->nthreads < pool->cfg->jobs &&
		       pthread_create(&pool->threads[pool->nthreads], NULL, worker, pool) == 0)
			pool->nthreads++;
	}
	if (pool->nthreads == 0) {
		score_chunk(pool, s, UINT64_MAX);
		s->state = CHUNK_DONE;
		pool->failed |= s->status != LS_OK;
		return;
	}
	pthread_mutex_lock(&pool->lock);
	s->state = CHUNK_FILLED;
	pthread_cond_signal(&pool->work);
	pthread_mutex_unlock(&pool->lock);
}

static ls_status run(struct pool *pool, struct cutter *c, struct row_sink *total, ls_error *err)
{
	bool reading = true;
	ls_status st;

	for (;;) {
		struct chunk *s;
		/* Whatever is scored goes out at once, in order. */
		do
			st = commit_next(pool, total, false, err);
		while (st == LS_OK);
		if (st != LS_DONE)
			return st;
		s = reading ? unused_chunk(pool) : NULL;
		if (s == NULL) {
			if (pool->next_commit == pool->next_seq)
				return LS_OK;
			st = commit_next(pool, total, true, err);
			if (st != LS_OK)
				return st;
			continue;
		}
		switch (fill(pool, c, s)) {
		case FILL_NOMEM:
			return err_nomem(err);
		case FILL_ABANDONED:
			reading = false;
			continue;
		case FILLED:
			break;
		}
		s->seq = pool->next_seq++;
		reading = !s->last && s->read_errno == 0;
		dispatch(pool, s);
	}
}

ls_status parallel_score(const struct parallel_config *cfg, const struct row_plan *plan,
                         const ls_ruleset *rules, const struct parallel_input *in,
                         struct row_sink *total, ls_error *err)
{
	struct pool pool;
	struct cutter c;
	ls_status st = LS_ERR_NOMEM;
	size_t i;

	memset(&pool, 0, sizeof(pool));
	memset(&c, 0, sizeof(c));
	pool.cfg = cfg;
	pool.plan = plan;
	pool.in = in;
	pool.nchunks = (size_t)cfg->jobs + 2;
	pool.chunks = calloc(pool.nchunks, sizeof(*pool.chunks));
	pool.threads = calloc(cfg->jobs, sizeof(*pool.threads));
	c.pending = in->pending;
	c.pending_len = in->pending_len;
	c.line = in->line;
	c.offset = in->offset;
	if (pool.chunks == NULL || pool.threads == NULL ||
	    ls_engine_new(&pool.discard, rules, in->header, plan->ncols, in->name, err) != LS_OK)
		goto out;
	for (i = 0; i < pool.nchunks; i++)
		if (!chunk_init(&pool, &pool.chunks[i], rules, err))
			goto out;
	pthread_mutex_init(&pool.lock, NULL);
	pthread_cond_init(&pool.work, NULL);
	pthread_cond_init(&pool.done, NULL);
	st = run(&pool, &c, total, err);

	pthread_mutex_lock(&pool.lock);
	pool.stop = true;
	pthread_cond_broadcast(&pool.work);
	pthread_mutex_unlock(&pool.lock);
	for (i = 0; i < pool.nthreads; i++)
		pthread_join(pool.threads[i], NULL);
	pthread_mutex_destroy(&pool.lock);
	pthread_cond_destroy(&pool.work);
	pthread_cond_destroy(&pool.done);
out:
	if (st == LS_ERR_NOMEM && err->status == LS_OK)
		err_nomem(err);
	for (i = 0; pool.chunks != NULL && i < pool.nchunks; i++)
		chunk_free(&pool.chunks[i]);
	free(pool.chunks);
	free(pool.threads);
	ls_engine_free(pool.discard);
	buf_free(&c.carry);
	return st;
}
