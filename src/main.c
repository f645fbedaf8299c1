/* SPDX-License-Identifier: MIT */
/* main.c - the leadsift command line: options, files, messages, exit codes. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "annotate.h"
#include "cli.h"
#include "leadsift.h"
#include "outfile.h"
#include "parallel.h"
#include "progress.h"

/* A parallel run's chunks: large enough that handing them out costs
 * nothing, small enough that a few per thread keep memory flat. */
#define CHUNK_SIZE (1024 * 1024)

struct options {
	const char **personas;
	size_t npersonas;
	const char *input;
	const char *output;
	const char *stats;
	const char *rejects;
	uint64_t max_rejects;  /* 0: no limit */
	const char *prefix;
	char delim;
	bool replace;
	enum only only;
	bool has_base, has_threshold, has_today;
	int64_t today;
	uint64_t max_record;
	ls_fixed base, threshold;
	int verbosity; /* -1 quiet, 0 default, 1 verbose */
	int progress;  /* -1 --no-progress, 0 on a terminal unless -q, 1 --progress */
	unsigned jobs; /* 0: one per online CPU */
	const char *header_line;  /* the header, for input without one */
	const char *header_from;  /* the first record of this file is the header */
};

static const char *const annotation_names[3] = {"score", "disqualified", "reasons"};

static const char usage_text[] =
	"Usage: leadsift [OPTIONS] [-p PERSONAS] [FILE|-]\n"
	"       leadsift COMMAND [OPTIONS] ...\n"
	"Score CRM lead records (CSV) against negative-persona rules (JSON) and write\n"
	"them back with three columns appended: score, disqualified, reasons.\n"
	"Reads standard input when FILE is absent or '-'.\n"
	"\n"
	"Commands for rule authors and analysts (see leadsift COMMAND --help):\n"
	"  check       validate and lint rules; list personas and rules\n"
	"  explain     show, condition by condition, how leads were scored\n"
	"  backtest    measure rules against leads whose outcome is known\n"
	"  diff        compare two rule sets over the same leads\n"
	"  stats merge combine the --stats summaries of runs over shards of one input\n"
	"\n"
	"Rules:\n"
	"  -p, --personas PATH     persona file, or directory of *.json with an optional\n"
	"                          policy.json (repeatable; loaded in the order given;\n"
	"                          default: $LEADSIFT_PERSONAS, else ./personas)\n"
	"      --base N            starting score (overrides policy.json; default 100)\n"
	"      --threshold N       disqualify below this score (default 50)\n"
	"      --today YYYY-MM-DD  the date older_than/newer_than and allow-lists count from\n"
	"                          (default: today's local date)\n"
	"\n"
	"Input and output:\n"
	"  -o, --output FILE       write to FILE atomically instead of standard output\n"
	"  -j, --jobs N            score on N threads (default: one per CPU, or\n"
	"                          $LEADSIFT_JOBS); the output is the same for any N\n"
	"      --no-header         the input has no header line (a shard): give it with\n"
	"      --header-line TEXT  the header, e.g. 'Email,Industry,...', or\n"
	"      --header-from FILE  the first line of FILE; no header is written\n"
	"  -d, --delimiter CHAR    field delimiter (default ','; '\\t' for tab)\n"
	"  -t, --tab               same as -d '\\t'\n"
	"      --prefix STR        name the new columns STRscore, STRdisqualified, STRreasons\n"
	"      --replace           overwrite existing score/disqualified/reasons columns\n"
	"      --only WHICH        write only 'qualified' or 'disqualified' rows\n"
	"      --stats FILE        write a JSON run summary to FILE\n"
	"      --rejects FILE      set records with the wrong field count aside in FILE\n"
	"                          (CSV: line,record) and go on, instead of stopping\n"
	"      --max-rejects N     with --rejects, stop at the (N+1)th such record\n"
	"      --max-record-bytes N  refuse records over N bytes (K, M, G suffixes;\n"
	"                          default 64M; 0 for no limit)\n"
	"\n"
	"Messages:\n"
	"  -q, --quiet             no summary line, even on a terminal\n"
	"  -v, --verbose           a summary line on standard error, even in a pipe\n"
	"      --progress          rows, bytes, rate and time left on standard error while\n"
	"                          scoring (default: when it is a terminal and the rows\n"
	"                          are not written to it, unless -q)\n"
	"      --no-progress       no progress, even on a terminal\n"
	"  -h, --help              show this help and exit\n"
	"  -V, --version           show the version and exit\n"
	"\n"
	"Exit status:\n"
	"  0  success\n"
	"  1  out of memory or internal error\n"
	"  2  usage error, or invalid persona or policy files\n"
	"  3  invalid input: malformed CSV, or a header the rules do not fit\n"
	"  4  input/output error\n"
	"\n"
	"Example:\n"
	"  leadsift -p personas -o scored.csv leads.csv\n";

/* Returns -1 to go on, or the exit code for --help, --version and errors. */
static int parse_options(int argc, char **argv, struct options *o)
{
	enum {
		OPT_PREFIX = OPT_COMMON_END, OPT_REPLACE, OPT_ONLY, OPT_STATS, OPT_REJECTS,
		OPT_MAX_REJECTS, OPT_NO_HEADER, OPT_HEADER_LINE, OPT_HEADER_FROM, OPT_PROGRESS,
		OPT_NO_PROGRESS
	};
	static const struct option longs[] = {
		{"personas", required_argument, NULL, 'p'},
		{"output", required_argument, NULL, 'o'},
		{"jobs", required_argument, NULL, 'j'},
		{"no-header", no_argument, NULL, OPT_NO_HEADER},
		{"header-line", required_argument, NULL, OPT_HEADER_LINE},
		{"header-from", required_argument, NULL, OPT_HEADER_FROM},
		{"delimiter", required_argument, NULL, 'd'},
		{"tab", no_argument, NULL, 't'},
		{"base", required_argument, NULL, OPT_BASE},
		{"threshold", required_argument, NULL, OPT_THRESHOLD},
		{"prefix", required_argument, NULL, OPT_PREFIX},
		{"replace", no_argument, NULL, OPT_REPLACE},
		{"only", required_argument, NULL, OPT_ONLY},
		{"stats", required_argument, NULL, OPT_STATS},
		{"max-record-bytes", required_argument, NULL, OPT_MAX_RECORD},
		{"rejects", required_argument, NULL, OPT_REJECTS},
		{"max-rejects", required_argument, NULL, OPT_MAX_REJECTS},
		{"today", required_argument, NULL, OPT_TODAY},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"progress", no_argument, NULL, OPT_PROGRESS},
		{"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int c, done = -1;
	bool no_header = false;
	uint64_t jobs = 0;
	const char *env_jobs = getenv("LEADSIFT_JOBS");

	memset(o, 0, sizeof(*o));
	if (env_jobs != NULL && *env_jobs != '\0' &&
	    parse_count_option("LEADSIFT_JOBS", env_jobs, &jobs) != -1)
		return EXIT_USAGE;
	o->delim = ',';
	o->prefix = "";
	o->max_record = LS_DEFAULT_MAX_RECORD_BYTES;
	o->personas = calloc((size_t)argc, sizeof(*o->personas));
	if (o->personas == NULL) {
		fputs("leadsift: out of memory\n", stderr);
		return EXIT_INTERNAL;
	}
	opterr = 0;
	for (;;) {
		c = getopt_long(argc, argv, ":p:o:j:d:tqvhV", longs, NULL);
		if (c == -1 || done != -1)
			break;
		switch (c) {
		case 'p':
			o->personas[o->npersonas++] = optarg;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'j':
			done = parse_count_option("--jobs", optarg, &jobs);
			break;
		case OPT_NO_HEADER:
			no_header = true;
			break;
		case OPT_HEADER_LINE:
			o->header_line = optarg;
			o->header_from = NULL;
			break;
		case OPT_HEADER_FROM:
			o->header_from = optarg;
			o->header_line = NULL;
			break;
		case 'd':
			done = parse_delimiter(optarg, &o->delim);
			break;
		case 't':
			o->delim = '\t';
			break;
		case OPT_BASE:
			done = parse_fixed_option("--base", optarg, &o->base, &o->has_base);
			break;
		case OPT_THRESHOLD:
			done = parse_fixed_option("--threshold", optarg, &o->threshold, &o->has_threshold);
			break;
		case OPT_PREFIX:
			o->prefix = optarg;
			break;
		case OPT_REPLACE:
			o->replace = true;
			break;
		case OPT_ONLY:
			if (strcmp(optarg, "qualified") == 0)
				o->only = ONLY_QUALIFIED;
			else if (strcmp(optarg, "disqualified") == 0)
				o->only = ONLY_DISQUALIFIED;
			else
				done = bad_usage("--only: expected 'qualified' or 'disqualified', got '%s'",
				                 optarg);
			break;
		case OPT_STATS:
			o->stats = optarg;
			break;
		case OPT_MAX_RECORD:
			done = parse_size_option("--max-record-bytes", optarg, &o->max_record);
			break;
		case OPT_REJECTS:
			o->rejects = optarg;
			break;
		case OPT_TODAY:
			o->has_today = ls_date_parse(optarg, &o->today);
			if (!o->has_today)
				done = bad_usage("--today: expected a date as YYYY-MM-DD, got '%s'", optarg);
			break;
		case OPT_MAX_REJECTS:
			done = parse_count_option("--max-rejects", optarg, &o->max_rejects);
			break;
		case 'q':
			o->verbosity = -1;
			break;
		case 'v':
			o->verbosity = 1;
			break;
		case OPT_PROGRESS:
			o->progress = 1;
			break;
		case OPT_NO_PROGRESS:
			o->progress = -1;
			break;
		case 'h':
			done = print_and_exit(usage_text);
			break;
		case 'V':
			done = print_and_exit("leadsift " LS_VERSION "\n");
			break;
		case ':':
			done = bad_usage("option '%s' needs a value", argv[optind - 1]);
			break;
		default:
			if (optopt != 0)
				done = bad_usage("unknown option '-%c'", optopt);
			else
				done = bad_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (done != -1)
		return done;
	if (argc - optind > 1)
		return bad_usage("one input file at most, got %d", argc - optind);
	o->input = optind < argc ? argv[optind] : "-";
	if ((done = default_rules_path(o->personas, &o->npersonas)) != -1)
		return done;
	if (o->output != NULL && strcmp(o->output, "-") == 0)
		o->output = NULL;
	if (o->max_rejects > 0 && o->rejects == NULL)
		return bad_usage("--max-rejects needs --rejects FILE");
	if (no_header && o->header_line == NULL && o->header_from == NULL)
		return bad_usage("--no-header needs the header: --header-line TEXT or --header-from FILE");
	if (!no_header && (o->header_line != NULL || o->header_from != NULL))
		return bad_usage("--header-line and --header-from describe input without a header; "
		                 "add --no-header");
	if (jobs > 1024)
		return bad_usage("--jobs: at most 1024, got %llu", (unsigned long long)jobs);
	o->jobs = (unsigned)jobs;
	return -1;
}

/* Everything one run holds, so one cleanup path can release it. */
struct run {
	struct options opt;
	ls_ruleset *rules;
	ls_engine *engine;
	ls_reader *reader;
	ls_writer *writer;
	ls_writer *rejects;    /* --rejects: line,record */
	int in_fd;
	struct outfile out;
	struct outfile rejects_out;
	struct outfile stats_out;
	char *ann_name[3];     /* the three new columns' names */
	struct row_plan plan;
	ls_cell *cells;        /* output row: input cells plus annotations */
	ls_reader *header_reader; /* --header-line, --header-from */
	int header_fd;
	bool wrote_start;      /* a byte order mark or the header went out */
	uint64_t chunk_blank_lines; /* skipped in a parallel run's chunks */
	ls_run_info info;
	const char *input_name; /* for messages: "<stdin>" for "-" */
	ls_error err;
	int status;
	char *message;         /* the error, formatted, for stderr and --stats */
	struct timespec started;
	struct progress progress;
	bool show_progress;
};

/* Records the run's error and its message. A message that cannot be made
 * means the run is out of memory, whatever failed first. */
static int fail(struct run *r, ls_status st)
{
	if (r->err.status == LS_OK)
		r->err.status = st;
	free(r->message);
	r->message = format_error(&r->err);
	r->status = r->message != NULL ? exit_code_for(st) : EXIT_INTERNAL;
	return r->status;
}

static int fail_errno(struct run *r, const char *what, const char *file)
{
	if (errno == ENOMEM)
		return fail(r, LS_ERR_NOMEM);
	ls_error_clear(&r->err);
	r->err.status = LS_ERR_IO;
	r->err.sys_errno = errno;
	free(r->message);
	r->message = malloc(strlen(what) + strlen(file) + strlen(strerror(errno)) + 8);
	if (r->message != NULL)
		sprintf(r->message, "%s %s: %s", what, file, strerror(errno));
	r->status = r->message != NULL ? EXIT_IO : EXIT_INTERNAL;
	return r->status;
}

static bool same_name(const ls_cell *cell, const char *name)
{
	size_t i, n = strlen(name);

	if (cell->len != n)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char a = (unsigned char)cell->ptr[i], b = (unsigned char)name[i];
		if (a >= 'A' && a <= 'Z')
			a = (unsigned char)(a + 32);
		if (b >= 'A' && b <= 'Z')
			b = (unsigned char)(b + 32);
		if (a != b)
			return false;
	}
	return true;
}

/* Finds input columns that clash with the appended ones. Without --replace
 * a clash is an error: two columns of one name would confuse every reader. */
static int plan_annotations(struct run *r, const ls_row *header)
{
	size_t i, k;

	for (k = 0; k < 3; k++) {
		r->ann_name[k] = malloc(strlen(r->opt.prefix) + strlen(annotation_names[k]) + 1);
		if (r->ann_name[k] == NULL)
			return fail(r, LS_ERR_NOMEM);
		sprintf(r->ann_name[k], "%s%s", r->opt.prefix, annotation_names[k]);
		r->plan.column[k] = SIZE_MAX;
		for (i = 0; i < header->ncells; i++) {
			if (!same_name(&header->cells[i], r->ann_name[k]))
				continue;
			if (!r->opt.replace)
				return fail(r, ls_error_set(&r->err, LS_ERR_HEADER, r->input_name,
				                            header->line, 0,
				                            "the input already has a column named \"%s\" "
				                            "(column %zu); use --prefix STR to name the new "
				                            "columns differently, or --replace to overwrite "
				                            "them",
				                            r->ann_name[k], i + 1));
			r->plan.column[k] = i;
			break;
		}
	}
	return EXIT_OK;
}

static int open_files(struct run *r)
{
	const char *what = NULL;
	int out_fd = STDOUT_FILENO;
	ls_status st;

	if (strcmp(r->opt.input, "-") == 0) {
		r->in_fd = STDIN_FILENO;
	} else {
		r->in_fd = open(r->opt.input, O_RDONLY | O_CLOEXEC);
		if (r->in_fd < 0)
			return fail_errno(r, "cannot open", r->opt.input);
	}
	st = ls_reader_open_fd(&r->reader, r->in_fd, r->opt.input, r->opt.delim, &r->err);
	if (st != LS_OK)
		return fail(r, st);
	ls_reader_set_max_record_bytes(r->reader, r->opt.max_record);
	/* By default only where someone watches, and not over rows written to
	 * that same terminal. */
	r->show_progress = r->opt.progress > 0 ||
	                   (r->opt.progress == 0 && r->opt.verbosity >= 0 && isatty(STDERR_FILENO) &&
	                    !(r->opt.output == NULL && isatty(STDOUT_FILENO)));
	if (r->show_progress)
		progress_start(&r->progress, r->in_fd);
	if (r->opt.rejects != NULL) {
		if (!outfile_open(&r->rejects_out, r->opt.rejects, &what))
			return fail_errno(r, what, r->opt.rejects);
		st = ls_writer_open_fd(&r->rejects, r->rejects_out.fd, r->opt.rejects, ',', &r->err);
		if (st == LS_OK)
			st = ls_writer_raw(r->rejects, "line,record\n", 12, &r->err);
		if (st != LS_OK)
			return fail(r, st);
	}
	if (r->opt.output != NULL) {
		if (!outfile_open(&r->out, r->opt.output, &what))
			return fail_errno(r, what, r->opt.output);
		out_fd = r->out.fd;
	}
	st = ls_writer_open_fd(&r->writer, out_fd, r->opt.output, r->opt.delim, &r->err);
	return st == LS_OK ? EXIT_OK : fail(r, st);
}

/* The sink that writes to the run's own output. */
static struct row_sink run_sink(struct run *r)
{
	struct row_sink sink;

	memset(&sink, 0, sizeof(sink));
	sink.engine = r->engine;
	sink.out = r->writer;
	sink.rejects = r->rejects;
	sink.cells = r->cells;
	sink.progress = r->show_progress ? &r->progress : NULL;
	return sink;
}

/* Reads the header of input that has none (--no-header): the one line of
 * --header-line, or the first record of --header-from. */
static int read_given_header(struct run *r, ls_row *header)
{
	const char *name = r->opt.header_from != NULL ? r->opt.header_from : "--header-line";
	ls_row extra;
	ls_status st;

	if (r->opt.header_from != NULL) {
		r->header_fd = open(r->opt.header_from, O_RDONLY | O_CLOEXEC);
		if (r->header_fd < 0)
			return fail_errno(r, "cannot open", r->opt.header_from);
		st = ls_reader_open_fd(&r->header_reader, r->header_fd, name, r->opt.delim, &r->err);
	} else {
		st = ls_reader_open_mem(&r->header_reader, r->opt.header_line,
		                        strlen(r->opt.header_line), name, r->opt.delim, &r->err);
	}
	if (st == LS_OK)
		st = ls_reader_next(r->header_reader, header, &r->err);
	if (st == LS_DONE)
		return fail(r, ls_error_set(&r->err, LS_ERR_CSV, name, 0, 0,
		                            "empty header: expected the names of the input's columns"));
	if (st != LS_OK)
		return fail(r, st);
	/* A header line is one record; a file may go on (an export's first line). */
	if (r->opt.header_line != NULL &&
	    ls_reader_next(r->header_reader, &extra, &r->err) != LS_DONE)
		return fail(r, ls_error_set(&r->err, LS_ERR_USAGE, name, 0, 0,
		                            "expected one line of column names, got more"));
	st = ls_reader_set_header(r->reader, header->cells, header->ncells, &r->err);
	if (st == LS_OK)
		st = ls_reader_check_bom(r->reader, &r->err);
	return st == LS_OK ? EXIT_OK : fail(r, st);
}

static int start(struct run *r, ls_row *header)
{
	struct row_sink sink;
	ls_cell names[3];
	size_t k;
	ls_status st;

	if (r->opt.header_line != NULL || r->opt.header_from != NULL) {
		if (read_given_header(r, header) != EXIT_OK)
			return r->status;
		st = LS_OK;
	} else {
		st = ls_reader_next(r->reader, header, &r->err);
	}
	if (st == LS_DONE)
		return fail(r, ls_error_set(&r->err, LS_ERR_CSV, r->input_name, 0, 0,
		                            "empty input: expected a header line naming the columns"));
	if (st != LS_OK)
		return fail(r, st);
	if (plan_annotations(r, header) != EXIT_OK)
		return r->status;
	r->plan.ncols = header->ncells;
	r->plan.only = r->opt.only;
	r->plan.rejects = r->opt.rejects != NULL;
	r->plan.max_rejects = r->opt.max_rejects;
	st = ls_engine_new(&r->engine, r->rules, header->cells, header->ncells, r->input_name,
	                   &r->err);
	if (st != LS_OK) {
		if (r->err.line == 0)
			r->err.line = header->line;
		return fail(r, st);
	}
	r->cells = calloc(header->ncells + 3, sizeof(*r->cells));
	if (r->cells == NULL)
		return fail(r, LS_ERR_NOMEM);
	if (ls_reader_had_bom(r->reader)) {
		st = ls_writer_raw(r->writer, "\xef\xbb\xbf", 3, &r->err);
		if (st != LS_OK)
			return fail(r, st);
		r->wrote_start = true;
	}
	/* Shards of a header-less input are written without one, to be joined. */
	if (r->header_reader != NULL)
		return EXIT_OK;
	for (k = 0; k < 3; k++) {
		names[k].ptr = r->ann_name[k];
		names[k].len = strlen(r->ann_name[k]);
	}
	sink = run_sink(r);
	st = annotate_write_row(&r->plan, &sink, header, NULL, 0, names, &r->err);
	r->wrote_start = true;
	return st == LS_OK ? EXIT_OK : fail(r, st);
}

static unsigned online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 1024 ? 1024 : (unsigned)n;
}

/* A chunk size for tests, which cut small inputs into many chunks. */
static size_t chunk_size(void)
{
	const char *text = getenv("LEADSIFT_CHUNK_SIZE");
	uint64_t n = 0;

	if (text == NULL || parse_size_option("LEADSIFT_CHUNK_SIZE", text, &n) != -1 || n == 0)
		return CHUNK_SIZE;
	return n > SIZE_MAX / 2 ? SIZE_MAX / 2 : (size_t)n;
}

static ls_status score_parallel(struct run *r, const ls_row *header, struct row_sink *sink)
{
	struct parallel_config cfg;
	struct parallel_input in;
	ls_status st;

	memset(&in, 0, sizeof(in));
	cfg.jobs = r->opt.jobs != 0 ? r->opt.jobs : online_cpus();
	cfg.chunk_size = chunk_size();
	st = ls_reader_take_rest(r->reader, &in.pending, &in.pending_len, &in.line, &in.offset,
	                         &in.eof, &r->err);
	if (st != LS_OK)
		return st;
	in.fd = r->in_fd;
	in.name = r->input_name;
	in.delim = r->opt.delim;
	in.max_record = r->opt.max_record;
	in.header = header->cells;
	in.output_started = r->wrote_start;
	return parallel_score(&cfg, &r->plan, r->rules, &in, sink, &r->chunk_blank_lines, &r->err);
}

static int score_rows(struct run *r, const ls_row *header)
{
	struct row_sink sink = run_sink(r);
	uint64_t budget = r->opt.max_rejects > 0 ? r->opt.max_rejects : UINT64_MAX;
	bool parallel = r->opt.jobs != 1 && !(r->opt.jobs == 0 && online_cpus() == 1);
	ls_status st, flushed;

	if (parallel)
		st = score_parallel(r, header, &sink);
	else
		st = annotate_records(&r->plan, &sink, r->reader, budget, &r->err);
	r->info.rows_read = sink.tally.rows_read;
	r->info.rows_written = sink.tally.rows_written;
	r->info.rows_filtered = sink.tally.rows_filtered;
	r->info.rows_rejected = sink.tally.rows_rejected;
	r->info.blank_lines = ls_reader_blank_lines(r->reader) + r->chunk_blank_lines;
	if (r->show_progress)
		progress_end(&r->progress, sink.tally.rows_read,
		             parallel ? r->progress.bytes : ls_reader_bytes(r->reader));
	/* The rows before a failing record go out, whole, before the message
	 * (if writing is what failed, this fails again, quietly). */
	flushed = ls_writer_flush(r->writer, st == LS_OK ? &r->err : NULL);
	if (st == LS_OK)
		st = flushed;
	if (st == LS_OK && r->rejects != NULL)
		st = ls_writer_flush(r->rejects, &r->err);
	return st == LS_OK ? EXIT_OK : fail(r, st);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The --stats text for the run as it stands, or NULL when out of memory. */
static char *stats_text(struct run *r)
{
	r->info.exit_code = r->status;
	r->info.error = r->status != EXIT_OK ? (r->message ? r->message : "out of memory") : NULL;
	r->info.elapsed_seconds = seconds_since(&r->started);
	if (r->reader != NULL)
		r->info.blank_lines = ls_reader_blank_lines(r->reader) + r->chunk_blank_lines;
	return ls_stats_json(r->rules, r->engine, &r->info);
}

/* Makes the outputs of a successful run appear, together: the summary is
 * prepared first, so that nothing that can run out of memory happens after
 * the first rename. Returns the summary (NULL without --stats or when the
 * summary could not be made, which fails the run before any rename). */
static char *commit_outputs(struct run *r)
{
	const char *what = NULL;
	char *text = NULL;

	if (r->opt.stats != NULL) {
		text = stats_text(r);
		if (text == NULL) {
			fail(r, LS_ERR_NOMEM);
			return NULL;
		}
	}
	if (r->opt.output != NULL && !outfile_commit(&r->out, &what)) {
		fail_errno(r, what, r->opt.output);
	} else if (r->rejects != NULL && !outfile_commit(&r->rejects_out, &what)) {
		fail_errno(r, what, r->opt.rejects);
	} else {
		return text;
	}
	/* A failed rename: the summary must say so. */
	free(text);
	return r->opt.stats != NULL ? stats_text(r) : NULL;
}

/* Writes the summary into the --stats file opened at the start. */
static void write_stats(struct run *r, char *text)
{
	const char *what = "cannot write";
	size_t len, done = 0;

	if (text == NULL) {
		outfile_abort(&r->stats_out);
		return;
	}
	len = strlen(text);
	while (done < len) {
		ssize_t n = write(r->stats_out.fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		done += (size_t)n;
	}
	if (!outfile_commit(&r->stats_out, &what))
		goto fail;
	free(text);
	return;
fail:
	fprintf(stderr, "leadsift: %s %s: %s\n", what, r->opt.stats, strerror(errno));
	outfile_abort(&r->stats_out);
	if (r->status == EXIT_OK)
		r->status = errno == ENOMEM ? EXIT_INTERNAL : EXIT_IO;
	free(text);
}

static void summarize(const struct run *r)
{
	ls_field_kind k;
	size_t i;
	uint64_t disq = ls_engine_rows_disqualified(r->engine);

	fprintf(stderr, "leadsift: %llu rows, %llu disqualified, %llu qualified",
	        (unsigned long long)r->info.rows_read, (unsigned long long)disq,
	        (unsigned long long)(ls_engine_rows_scored(r->engine) - disq));
	if (r->info.rows_rejected > 0)
		fprintf(stderr, ", %llu rejected", (unsigned long long)r->info.rows_rejected);
	if (r->opt.only != ONLY_ALL)
		fprintf(stderr, ", %llu written", (unsigned long long)r->info.rows_written);
	for (k = LS_FIELD_NUMBER; k <= LS_FIELD_DATE; k++) {
		for (i = 0; i < ls_engine_typed_field_count(r->engine, k); i++) {
			uint64_t bad = ls_engine_typed_field_invalid(r->engine, k, i);
			if (bad > 0)
				fprintf(stderr, "; %llu non-%s \"%s\"", (unsigned long long)bad,
				        k == LS_FIELD_NUMBER ? "numeric" : "date",
				        ls_engine_typed_field_column(r->engine, k, i));
		}
	}
	if (r->info.blank_lines > 0)
		fprintf(stderr, "; %llu blank lines skipped", (unsigned long long)r->info.blank_lines);
	fprintf(stderr, " (%.2f s)\n", seconds_since(&r->started));
}

static void on_signal(int sig)
{
	outfile_abort_all_from_signal();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_signals(void)
{
	struct sigaction sa;
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old;
		/* A signal the parent chose to ignore (nohup, a background job)
		 * stays ignored. */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
	/* A reader that went away (leadsift big.csv | head) ends us quietly, as
	 * it does other filters, even if our parent ignored SIGPIPE. */
	signal(SIGPIPE, SIG_DFL);
}

/* A closed standard descriptor would be handed to the next open(), and
 * output meant for a file could land in it: park /dev/null there instead.
 * Returns whether standard output was closed. */
static bool reserve_std_fds(void)
{
	bool stdout_closed = false;
	int fd;

	for (fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		if (fd == STDOUT_FILENO)
			stdout_closed = true;
		if (open("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY) != fd)
			break;
	}
	return stdout_closed;
}

static void cleanup(struct run *r)
{
	size_t k;

	outfile_abort(&r->out);
	outfile_abort(&r->rejects_out);
	outfile_abort(&r->stats_out);
	ls_writer_free(r->writer);
	ls_writer_free(r->rejects);
	ls_reader_free(r->reader);
	ls_reader_free(r->header_reader);
	if (r->in_fd > STDERR_FILENO)
		close(r->in_fd);
	if (r->header_fd > STDERR_FILENO)
		close(r->header_fd);
	ls_engine_free(r->engine);
	ls_ruleset_free(r->rules);
	for (k = 0; k < 3; k++)
		free(r->ann_name[k]);
	free(r->cells);
	free(r->message);
	free(r->opt.personas);
	ls_error_clear(&r->err);
}

static int cmd_score(int argc, char **argv, bool stdout_closed)
{
	struct run r;
	ls_row header;
	const char *what = NULL;
	char *stats = NULL;
	ls_status st;

	memset(&r, 0, sizeof(r));
	r.in_fd = -1;
	r.header_fd = -1;
	r.out.fd = -1;
	r.rejects_out.fd = -1;
	r.stats_out.fd = -1;
	clock_gettime(CLOCK_MONOTONIC, &r.started);
	r.status = parse_options(argc, argv, &r.opt);
	if (r.status != -1) {
		free(r.opt.personas);
		return r.status;
	}
	r.status = EXIT_OK;
	r.info.input = r.opt.input;
	r.input_name = strcmp(r.opt.input, "-") == 0 ? "<stdin>" : r.opt.input;
	if (stdout_closed && r.opt.output == NULL) {
		errno = EBADF;
		fail_errno(&r, "cannot write", "<stdout>");
		fprintf(stderr, "leadsift: %s\n", r.message);
		cleanup(&r);
		return EXIT_IO;
	}

	/* The summary file is created first, so a run can always report. */
	if (r.opt.stats != NULL && !outfile_open(&r.stats_out, r.opt.stats, &what)) {
		fail_errno(&r, what, r.opt.stats);
		fprintf(stderr, "leadsift: %s\n", r.message ? r.message : "out of memory");
		cleanup(&r);
		return r.status;
	}

	/* Every rule file is validated before any input is read. */
	st = ls_ruleset_load(&r.rules, r.opt.personas, r.opt.npersonas, &r.err);
	if (st != LS_OK) {
		fail(&r, st);
	} else {
		if (r.opt.has_base)
			ls_ruleset_set_base(r.rules, r.opt.base);
		if (r.opt.has_threshold)
			ls_ruleset_set_threshold(r.rules, r.opt.threshold);
		if (r.opt.has_today)
			ls_ruleset_set_today(r.rules, r.opt.today);
		if (open_files(&r) == EXIT_OK && start(&r, &header) == EXIT_OK)
			score_rows(&r, &header);
	}
	if (r.status == EXIT_OK)
		stats = commit_outputs(&r);
	else if (r.opt.stats != NULL)
		stats = stats_text(&r);

	/* A vanished reader downstream is not worth a message. */
	if (r.status != EXIT_OK && !(r.err.status == LS_ERR_IO && r.err.sys_errno == EPIPE))
		fprintf(stderr, "leadsift: %s\n", r.message ? r.message : "out of memory");
	outfile_abort(&r.out);
	outfile_abort(&r.rejects_out);
	if (r.opt.stats != NULL)
		write_stats(&r, stats);
	if (r.status == EXIT_OK && r.opt.verbosity >= 0 &&
	    (r.opt.verbosity > 0 || isatty(STDERR_FILENO)))
		summarize(&r);
	cleanup(&r);
	return r.status;
}

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{"check", cmd_check},
	{"explain", cmd_explain},
	{"backtest", cmd_backtest},
	{"diff", cmd_diff},
	{"stats", cmd_stats},
};

int main(int argc, char **argv)
{
	static char name[32];
	bool stdout_closed;
	size_t i;

	install_signals();
	stdout_closed = reserve_std_fds();
	for (i = 0; argc > 1 && i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		snprintf(name, sizeof(name), "leadsift %s", commands[i].name);
		cli_command = name;
		if (stdout_closed) {
			errno = EBADF;
			return report_errno("cannot write", "<stdout>");
		}
		return commands[i].run(argc - 1, argv + 1);
	}
	return cmd_score(argc, argv, stdout_closed);
}
