/* SPDX-License-Identifier: MIT */
/* cmd_score.c - the default command: score a CSV into -o FILE or standard
 * output, with --rejects and --stats beside it, all written atomically. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "input.h"
#include "messages.h"
#include "options.h"
#include "outfile.h"
#include "progress.h"

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
	"  -d, --delimiter CHAR    field delimiter (default ','; '\\t' for tab; auto: the\n"
	"                          one of , ; TAB | that splits the first records alike)\n"
	"  -t, --tab               same as -d '\\t'\n"
	"      --encoding NAME     the input's encoding, e.g. windows-1252 or latin1:\n"
	"                          cells are read as text in it, written back as they\n"
	"                          are (default: policy.json's, else UTF-8)\n"
	"      --prefix STR        name the new columns STRscore, STRdisqualified, STRreasons\n"
	"      --replace           overwrite existing score/disqualified/reasons columns\n"
	"      --only WHICH        write only 'qualified' or 'disqualified' rows\n"
	"      --stats FILE        write a JSON run summary to FILE\n"
	"      --rejects FILE      set records aside in FILE (CSV: line,reason,record):\n"
	"                          those with the wrong field count (and go on instead\n"
	"                          of stopping) and those that are not leads\n"
	"      --max-rejects N     with --rejects, stop at the (N+1)th record set aside\n"
	"      --max-record-bytes N  refuse records over N bytes (K, M, G suffixes;\n"
	"                          default 64M; 0 for no limit)\n"
	"\n"
	"Guards for unattended runs (a failed guard exits 3; no output file is replaced):\n"
	"      --min-rows N        fail when fewer than N leads were scored\n"
	"      --max-unreadable PCT  fail when more than PCT% of the non-empty cells of a\n"
	"                          field read as numbers or dates are not (over 50% is\n"
	"                          a warning without it)\n"
	"\n"
	"Messages:\n"
	"  -q, --quiet             no summary line, even on a terminal\n"
	"  -v, --verbose           a summary line on standard error, even in a pipe\n"
	"      --progress          rows, bytes, rate and time left on standard error while\n"
	"                          scoring (default: when it is a terminal and the rows\n"
	"                          are not written to it, unless -q)\n"
	"      --no-progress       no progress, even on a terminal\n"
	HELP_HELP
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

struct score_options {
	struct common_options *common;
	const char *input;
	const char *output;
	const char *stats;
	const char *rejects;
	uint64_t max_rejects;  /* 0: no limit */
	const char *prefix;
	bool replace;
	ls_only only;
	uint64_t max_record;
	uint64_t min_rows;       /* 0: no minimum */
	double max_unreadable;   /* percent; negative: not given */
	int verbosity; /* -1 quiet, 0 default, 1 verbose */
	int progress;  /* -1 --no-progress, 0 on a terminal unless -q, 1 --progress */
	uint64_t jobs; /* 0: one per online CPU */
	bool no_header;
	const char *header_line;  /* the header, for input without one */
	const char *header_from;  /* the first record of this file is the header */
};

enum {
	OPT_PREFIX = OPT_OWN, OPT_REPLACE, OPT_ONLY, OPT_STATS, OPT_REJECTS, OPT_MAX_REJECTS,
	OPT_MAX_RECORD, OPT_NO_HEADER, OPT_HEADER_LINE, OPT_HEADER_FROM, OPT_PROGRESS,
	OPT_NO_PROGRESS, OPT_MIN_ROWS, OPT_MAX_UNREADABLE
};

static const struct option score_longs[] = {
	{"output", required_argument, NULL, 'o'},
	{"jobs", required_argument, NULL, 'j'},
	{"no-header", no_argument, NULL, OPT_NO_HEADER},
	{"header-line", required_argument, NULL, OPT_HEADER_LINE},
	{"header-from", required_argument, NULL, OPT_HEADER_FROM},
	{"prefix", required_argument, NULL, OPT_PREFIX},
	{"replace", no_argument, NULL, OPT_REPLACE},
	{"only", required_argument, NULL, OPT_ONLY},
	{"stats", required_argument, NULL, OPT_STATS},
	{"max-record-bytes", required_argument, NULL, OPT_MAX_RECORD},
	{"rejects", required_argument, NULL, OPT_REJECTS},
	{"max-rejects", required_argument, NULL, OPT_MAX_REJECTS},
	{"min-rows", required_argument, NULL, OPT_MIN_ROWS},
	{"max-unreadable", required_argument, NULL, OPT_MAX_UNREADABLE},
	{"quiet", no_argument, NULL, 'q'},
	{"verbose", no_argument, NULL, 'v'},
	{"progress", no_argument, NULL, OPT_PROGRESS},
	{"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
	{NULL, 0, NULL, 0},
};

static int score_option(void *ctx, int c, const char *arg)
{
	struct score_options *o = ctx;

	switch (c) {
	case 'o':
		o->output = arg;
		return -1;
	case 'j':
		return parse_count_option("--jobs", arg, &o->jobs);
	case OPT_NO_HEADER:
		o->no_header = true;
		return -1;
	case OPT_HEADER_LINE:
		o->header_line = arg;
		o->header_from = NULL;
		return -1;
	case OPT_HEADER_FROM:
		o->header_from = arg;
		o->header_line = NULL;
		return -1;
	case OPT_PREFIX:
		o->prefix = arg;
		return -1;
	case OPT_REPLACE:
		o->replace = true;
		return -1;
	case OPT_ONLY:
		if (strcmp(arg, "qualified") == 0)
			o->only = LS_ONLY_QUALIFIED;
		else if (strcmp(arg, "disqualified") == 0)
			o->only = LS_ONLY_DISQUALIFIED;
		else
			return bad_usage("--only: expected 'qualified' or 'disqualified', got '%s'", arg);
		return -1;
	case OPT_STATS:
		o->stats = arg;
		return -1;
	case OPT_MAX_RECORD:
		return parse_size_option("--max-record-bytes", arg, &o->max_record);
	case OPT_REJECTS:
		o->rejects = arg;
		return -1;
	case OPT_MAX_REJECTS:
		return parse_count_option("--max-rejects", arg, &o->max_rejects);
	case OPT_MIN_ROWS:
		return parse_count_option("--min-rows", arg, &o->min_rows);
	case OPT_MAX_UNREADABLE:
		return parse_percent_option("--max-unreadable", arg, &o->max_unreadable);
	case 'q':
		o->verbosity = -1;
		return -1;
	case 'v':
		o->verbosity = 1;
		return -1;
	case OPT_PROGRESS:
		o->progress = 1;
		return -1;
	default: /* OPT_NO_PROGRESS */
		o->progress = -1;
		return -1;
	}
}

static const struct command_spec score_spec = {
	usage_text, TAKES_PERSONAS | TAKES_DELIMITER | TAKES_RULES | TAKES_VERSION | TAKES_INPUT,
	"o:j:qv", score_longs, score_option, NULL,
};

/* Returns -1 to go on, or the exit code for --help, --version and errors. */
static int parse_options(struct command_line *cl, int argc, char **argv, struct score_options *o)
{
	const char *env_jobs = getenv("LEADSIFT_JOBS");
	int done;

	memset(o, 0, sizeof(*o));
	o->common = &cl->common;
	o->prefix = "";
	o->max_record = LS_DEFAULT_MAX_RECORD_BYTES;
	o->max_unreadable = -1;
	if (env_jobs != NULL && *env_jobs != '\0' &&
	    parse_count_option("LEADSIFT_JOBS", env_jobs, &o->jobs) != -1)
		return EXIT_USAGE;
	if ((done = command_line_parse(cl, &score_spec, o, argc, argv)) != -1)
		return done;
	o->input = cl->input;
	if (o->output != NULL && strcmp(o->output, "-") == 0)
		o->output = NULL;
	if (o->max_rejects > 0 && o->rejects == NULL)
		return bad_usage("--max-rejects needs --rejects FILE");
	if (o->no_header && o->header_line == NULL && o->header_from == NULL)
		return bad_usage("--no-header needs the header: --header-line TEXT or --header-from FILE");
	if (!o->no_header && (o->header_line != NULL || o->header_from != NULL))
		return bad_usage("--header-line and --header-from describe input without a header; "
		                 "add --no-header");
	if (o->jobs > 1024)
		return bad_usage("--jobs: at most 1024, got %llu", (unsigned long long)o->jobs);
	return -1;
}

/* Everything one run holds, so one cleanup path can release it. */
struct run {
	struct command_line cl;
	struct score_options opt;
	ls_ruleset *rules;
	ls_engine *engine;
	struct input in;
	ls_writer *writer;
	ls_writer *rejects;    /* --rejects: line,record */
	struct outfile out;
	struct outfile rejects_out;
	struct outfile stats_out;
	bool stats_failed;     /* writing the summary is what failed */
	struct input header_in; /* --header-line, --header-from */
	ls_run_info info;
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
	return fail(r, ls_error_set_errno(&r->err, LS_ERR_IO, errno, "%s %s", what, file));
}

static int open_input(struct run *r, struct input *in, const char *path)
{
	ls_status st;

	r->info.encoding = input_encoding(r->opt.common, r->rules);
	st = input_open(in, path, r->opt.common->delim, r->info.encoding, r->opt.max_record,
	                &r->err);

	return st == LS_OK ? EXIT_OK : fail(r, st);
}

static int open_files(struct run *r)
{
	const char *what = NULL;
	int out_fd = STDOUT_FILENO;
	char delim;
	ls_status st;

	if (open_input(r, &r->in, r->opt.input) != EXIT_OK)
		return r->status;
	/* By default only where someone watches, and not over rows written to
	 * that same terminal. */
	r->show_progress = r->opt.progress > 0 ||
	                   (r->opt.progress == 0 && r->opt.verbosity >= 0 && isatty(STDERR_FILENO) &&
	                    !(r->opt.output == NULL && isatty(STDOUT_FILENO)));
	if (r->show_progress)
		progress_start(&r->progress, r->in.fd);
	if (r->opt.rejects != NULL) {
		if (!outfile_open(&r->rejects_out, r->opt.rejects, &what))
			return fail_errno(r, what, r->opt.rejects);
		st = ls_writer_open_fd(&r->rejects, r->rejects_out.fd, r->opt.rejects, ',', &r->err);
		if (st != LS_OK)
			return fail(r, st);
	}
	if (r->opt.output != NULL) {
		if (!outfile_open(&r->out, r->opt.output, &what))
			return fail_errno(r, what, r->opt.output);
		out_fd = r->out.fd;
	}
	/* With -d auto, the output is written as the input was found to be. */
	st = ls_reader_delimiter(r->in.reader, &delim, &r->err);
	if (st == LS_OK && r->opt.common->delim == '\0' && r->opt.verbosity > 0) {
		if (delim == '\t')
			fprintf(stderr, "leadsift: %s: delimiter TAB (detected)\n", r->in.name);
		else
			fprintf(stderr, "leadsift: %s: delimiter '%c' (detected)\n", r->in.name, delim);
	}
	if (st == LS_OK)
		st = ls_writer_open_fd(&r->writer, out_fd, r->opt.output, delim, &r->err);
	return st == LS_OK ? EXIT_OK : fail(r, st);
}

/* Reads the header of input that has none (--no-header): the one line of
 * --header-line, or the first record of --header-from. */
static int read_given_header(struct run *r)
{
	const char *name = r->opt.header_from != NULL ? r->opt.header_from : "--header-line";
	struct input *h = &r->header_in;
	ls_row extra;
	ls_status st;

	if (r->opt.header_from != NULL) {
		if (open_input(r, h, r->opt.header_from) != EXIT_OK)
			return r->status;
		st = LS_OK;
	} else {
		memset(h, 0, sizeof(*h));
		h->fd = -1;
		st = ls_reader_open_mem(&h->reader, r->opt.header_line, strlen(r->opt.header_line),
		                        name, r->opt.common->delim, &r->err);
		if (st == LS_OK)
			st = ls_reader_set_encoding(h->reader, input_encoding(r->opt.common, r->rules),
			                            &r->err);
	}
	if (st == LS_OK)
		st = ls_reader_next(h->reader, &h->header, &r->err);
	if (st == LS_DONE)
		return fail(r, ls_error_set(&r->err, LS_ERR_CSV, name, 0, 0,
		                            "empty header: expected the names of the input's columns"));
	if (st != LS_OK)
		return fail(r, st);
	/* A header line is one record; a file may go on (an export's first line). */
	if (r->opt.header_line != NULL && ls_reader_next(h->reader, &extra, &r->err) != LS_DONE)
		return fail(r, ls_error_set(&r->err, LS_ERR_USAGE, name, 0, 0,
		                            "expected one line of column names, got more"));
	return EXIT_OK;
}

/* LEADSIFT_CHUNK_SIZE: tests cut small inputs into many chunks. */
static size_t chunk_size(void)
{
	const char *text = getenv("LEADSIFT_CHUNK_SIZE");
	uint64_t n = 0;

	if (text == NULL || parse_size_option("LEADSIFT_CHUNK_SIZE", text, &n) != -1 || n == 0)
		return 0;
	return n > SIZE_MAX / 2 ? SIZE_MAX / 2 : (size_t)n;
}

static bool show_progress(void *ctx, uint64_t rows, uint64_t bytes)
{
	progress_tick(ctx, rows, bytes);
	return true;
}

static int score(struct run *r)
{
	ls_score_options so;
	ls_status st;

	memset(&so, 0, sizeof(so));
	so.threads = (unsigned)r->opt.jobs;
	so.chunk_size = chunk_size();
	so.only = r->opt.only;
	so.prefix = r->opt.prefix;
	so.replace = r->opt.replace;
	so.rejects = r->rejects;
	so.max_rejects = r->opt.max_rejects;
	so.header = r->header_in.reader != NULL ? &r->header_in.header : NULL;
	if (r->show_progress) {
		so.progress = show_progress;
		so.progress_ctx = &r->progress;
	}
	st = ls_score_csv(r->rules, r->in.reader, r->writer, &so, &r->info.counts, &r->engine,
	                  &r->err);
	/* Before any error: a header that is not UTF-8 explains a missing field. */
	if (r->in.encoding == NULL)
		warn_not_utf8(r->in.name, r->info.counts.non_utf8_records,
		              r->info.counts.non_utf8_line);
	if (r->show_progress)
		progress_end(&r->progress, r->info.counts.rows_read, r->info.counts.bytes);
	return st == LS_OK ? EXIT_OK : fail(r, st);
}

/* The share of a typed field's non-empty cells that could not be read, in
 * percent. */
static double unreadable_share(const ls_engine *e, ls_field_kind kind, size_t i)
{
	uint64_t cells = ls_engine_typed_field_cells(e, kind, i);

	return cells > 0 ? 100.0 * (double)ls_engine_typed_field_invalid(e, kind, i) / (double)cells
	                 : 0;
}

/* "62%", "<1%" or "100%": a share as the messages show it. */
static void format_share(char *out, size_t size, double share)
{
	if (share > 0 && share < 1)
		snprintf(out, size, "<1%%");
	else
		snprintf(out, size, "%.0f%%", share < 99 || share >= 100 ? share : 99);
}

/* The guards of an unattended run, after a successful scoring: too few
 * leads, or a field whose cells mostly cannot be read (a warning over half,
 * a failure over --max-unreadable). Returns EXIT_OK or the run's failure. */
static int check_guards(struct run *r)
{
	static const char *const what[2] = {"numbers", "dates"};
	uint64_t scored = ls_engine_rows_scored(r->engine);
	ls_field_kind k;
	size_t i;

	for (k = LS_FIELD_NUMBER; k <= LS_FIELD_DATE; k++) {
		for (i = 0; i < ls_engine_typed_field_count(r->engine, k); i++) {
			double share = unreadable_share(r->engine, k, i);
			const char *example = ls_engine_typed_field_example(r->engine, k, i);
			char shown[16];
			format_share(shown, sizeof(shown), share);
			if (r->opt.max_unreadable >= 0 && share > r->opt.max_unreadable)
				return fail(r, ls_error_set(&r->err, LS_ERR_CSV, r->in.name, 0, 0,
				                            "%s of the non-empty cells of \"%s\" are not %s, "
				                            "e.g. \"%s\" (more than --max-unreadable %g%%)",
				                            shown, ls_engine_typed_field_column(r->engine, k, i),
				                            what[k], example, r->opt.max_unreadable));
			if (share > 50)
				fprintf(stderr, "leadsift: warning: %s: %s of the non-empty cells of \"%s\" "
				                "are not %s, e.g. \"%s\"; rules reading them as %s do not "
				                "match those cells\n",
				        r->in.name, shown, ls_engine_typed_field_column(r->engine, k, i),
				        what[k], example, what[k]);
		}
	}
	if (scored < r->opt.min_rows)
		return fail(r, ls_error_set(&r->err, LS_ERR_CSV, r->in.name, 0, 0,
		                            "%llu lead%s scored, fewer than --min-rows %llu",
		                            (unsigned long long)scored, scored == 1 ? "" : "s",
		                            (unsigned long long)r->opt.min_rows));
	return EXIT_OK;
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
	return ls_stats_json(r->rules, r->engine, &r->info);
}

static bool write_text(int fd, const char *text)
{
	size_t len = strlen(text), done = 0;

	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return false;
		done += (size_t)n;
	}
	return true;
}

/* Makes the outputs of a successful run appear together: the summary is
 * written first, then -o, --rejects and --stats are renamed into place as
 * one (outfile_commit_all). If anything fails, none of them changes. */
static void commit_outputs(struct run *r)
{
	struct outfile *group[3];
	const char *names[3], *what = NULL;
	size_t n = 0, failed;
	char *text = NULL;

	if (r->opt.stats != NULL) {
		text = stats_text(r);
		if (text == NULL) {
			fail(r, LS_ERR_NOMEM);
			return;
		}
		if (!write_text(r->stats_out.fd, text)) {
			free(text);
			r->stats_failed = true; /* a summary of the failure cannot go there either */
			fail_errno(r, "cannot write", r->opt.stats);
			return;
		}
		free(text);
		group[n] = &r->stats_out;
		names[n++] = r->opt.stats;
	}
	if (r->opt.output != NULL) {
		group[n] = &r->out;
		names[n++] = r->opt.output;
	}
	if (r->rejects != NULL) {
		group[n] = &r->rejects_out;
		names[n++] = r->opt.rejects;
	}
	if (!outfile_commit_all(group, n, &what, &failed))
		fail_errno(r, what, names[failed]);
}

/* The summary of a failed run, in --stats (reopened if the failed commit
 * took its temporary file); a summary that cannot be written is reported. */
static void report_in_stats(struct run *r)
{
	const char *what = "cannot write";
	char *text = stats_text(r);

	if (text == NULL) {
		outfile_abort(&r->stats_out);
		return;
	}
	if ((r->stats_out.fd >= 0 || outfile_open(&r->stats_out, r->opt.stats, &what)) &&
	    write_text(r->stats_out.fd, text) && outfile_commit(&r->stats_out, &what)) {
		free(text);
		return;
	}
	fprintf(stderr, "leadsift: %s %s: %s\n", what, r->opt.stats, strerror(errno));
	outfile_abort(&r->stats_out);
	free(text);
}

static void summarize(const struct run *r)
{
	const ls_score_counts *n = &r->info.counts;
	ls_field_kind k;
	size_t i;
	uint64_t disq = ls_engine_rows_disqualified(r->engine);

	fprintf(stderr, "leadsift: %llu rows, %llu disqualified, %llu qualified",
	        (unsigned long long)n->rows_read, (unsigned long long)disq,
	        (unsigned long long)(ls_engine_rows_scored(r->engine) - disq));
	if (n->rows_rejected > 0)
		fprintf(stderr, ", %llu rejected", (unsigned long long)n->rows_rejected);
	if (r->opt.only != LS_ONLY_ALL)
		fprintf(stderr, ", %llu written", (unsigned long long)n->rows_written);
	for (k = LS_FIELD_NUMBER; k <= LS_FIELD_DATE; k++) {
		for (i = 0; i < ls_engine_typed_field_count(r->engine, k); i++) {
			uint64_t bad = ls_engine_typed_field_invalid(r->engine, k, i);
			char shown[16];
			format_share(shown, sizeof(shown), unreadable_share(r->engine, k, i));
			if (bad > 0)
				fprintf(stderr, "; %llu non-%s \"%s\" (%s)", (unsigned long long)bad,
				        k == LS_FIELD_NUMBER ? "numeric" : "date",
				        ls_engine_typed_field_column(r->engine, k, i), shown);
		}
	}
	if (n->blank_lines > 0)
		fprintf(stderr, "; %llu blank lines skipped", (unsigned long long)n->blank_lines);
	if (n->empty_records > 0)
		fprintf(stderr, "; %llu empty record%s skipped", (unsigned long long)n->empty_records,
		        n->empty_records == 1 ? "" : "s");
	if (n->not_leads > 0)
		fprintf(stderr, "; %llu not lead%s (policy require)%s",
		        (unsigned long long)n->not_leads, n->not_leads == 1 ? "" : "s",
		        r->opt.rejects != NULL ? " set aside" : " skipped");
	fprintf(stderr, " (%.2f s)\n", seconds_since(&r->started));
}

static void cleanup(struct run *r)
{
	outfile_abort(&r->out);
	outfile_abort(&r->rejects_out);
	outfile_abort(&r->stats_out);
	ls_writer_free(r->writer);
	ls_writer_free(r->rejects);
	input_close(&r->in);
	input_close(&r->header_in);
	ls_engine_free(r->engine);
	ls_ruleset_free(r->rules);
	free(r->message);
	command_line_free(&r->cl);
	ls_error_clear(&r->err);
}

int cmd_score(int argc, char **argv, bool stdout_closed)
{
	struct run r;
	const char *what = NULL;
	ls_status st;

	memset(&r, 0, sizeof(r));
	r.in.fd = -1;
	r.header_in.fd = -1;
	r.out.fd = -1;
	r.rejects_out.fd = -1;
	r.stats_out.fd = -1;
	clock_gettime(CLOCK_MONOTONIC, &r.started);
	r.status = parse_options(&r.cl, argc, argv, &r.opt);
	if (r.status != -1) {
		command_line_free(&r.cl);
		return r.status;
	}
	r.status = EXIT_OK;
	r.info.input = r.opt.input;
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
	st = rules_with_overrides(r.opt.common, r.opt.common->paths, r.opt.common->npaths, &r.rules,
	                          &r.err);
	if (st != LS_OK)
		fail(&r, st);
	else if (open_files(&r) == EXIT_OK &&
	         (!r.opt.no_header || read_given_header(&r) == EXIT_OK))
		score(&r);
	if (r.status == EXIT_OK && check_guards(&r) == EXIT_OK)
		commit_outputs(&r);

	/* A vanished reader downstream is not worth a message. */
	if (r.status != EXIT_OK && !(r.err.status == LS_ERR_IO && r.err.sys_errno == EPIPE))
		fprintf(stderr, "leadsift: %s\n", r.message ? r.message : "out of memory");
	outfile_abort(&r.out);
	outfile_abort(&r.rejects_out);
	if (r.status != EXIT_OK && r.opt.stats != NULL && !r.stats_failed)
		report_in_stats(&r);
	if (r.status == EXIT_OK && r.opt.verbosity >= 0 &&
	    (r.opt.verbosity > 0 || isatty(STDERR_FILENO)))
		summarize(&r);
	cleanup(&r);
	return r.status;
}
