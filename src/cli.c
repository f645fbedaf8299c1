/* SPDX-License-Identifier: MIT */
/* cli.c - what the leadsift commands share: exit codes, messages, option
 * parsing, loading rules and opening a CSV input. */
#include "cli.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

const char *cli_command = "leadsift";

int bad_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli_command);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", cli_command);
	return EXIT_USAGE;
}

int exit_code_for(ls_status st)
{
	switch (st) {
	case LS_OK:
	case LS_DONE:
		return EXIT_OK;
	case LS_ERR_USAGE:
	case LS_ERR_JSON:
	case LS_ERR_RULES:
		return EXIT_USAGE;
	case LS_ERR_CSV:
	case LS_ERR_FIELDS:
	case LS_ERR_HEADER:
		return EXIT_INPUT;
	case LS_ERR_IO:
		return EXIT_IO;
	case LS_ERR_NOMEM:
		break;
	}
	return EXIT_INTERNAL;
}

char *format_error(const ls_error *err)
{
	const char *msg = err->message != NULL ? err->message : ls_strerror(err->status);
	size_t n = strlen(msg) + (err->file ? strlen(err->file) : 0) + 64;
	char *out = malloc(n);
	int used = 0;

	if (out == NULL)
		return NULL;
	if (err->file != NULL)
		used = snprintf(out, n, "%s:", err->file);
	if (err->file != NULL && err->line > 0)
		used += snprintf(out + used, n - (size_t)used, "%lu:", err->line);
	if (err->file != NULL && err->line > 0 && err->column > 0)
		used += snprintf(out + used, n - (size_t)used, "%lu:", err->column);
	snprintf(out + used, n - (size_t)used, "%s%s", used > 0 ? " " : "", msg);
	return out;
}

int report_error(ls_status st, const ls_error *err)
{
	char *text = st == LS_ERR_NOMEM ? NULL : format_error(err);

	fprintf(stderr, "leadsift: %s\n", text != NULL ? text : "out of memory");
	free(text);
	return text != NULL ? exit_code_for(st) : EXIT_INTERNAL;
}

int report_errno(const char *what, const char *file)
{
	int saved = errno;

	if (saved == ENOMEM) {
		fputs("leadsift: out of memory\n", stderr);
		return EXIT_INTERNAL;
	}
	fprintf(stderr, "leadsift: %s %s: %s\n", what, file, strerror(saved));
	return EXIT_IO;
}

int parse_fixed_option(const char *name, const char *arg, ls_fixed *out, bool *given)
{
	if (!ls_fixed_parse(arg, out))
		return bad_usage("%s: expected a number with at most six decimals, got '%s'", name, arg);
	*given = true;
	return -1;
}

int parse_delimiter(const char *arg, char *delim)
{
	if (strcmp(arg, "\\t") == 0 || strcmp(arg, "tab") == 0)
		arg = "\t";
	if (strlen(arg) != 1)
		return bad_usage("-d: the delimiter must be one byte, got '%s'", arg);
	if (arg[0] == '"' || arg[0] == '\r' || arg[0] == '\n')
		return bad_usage("-d: the delimiter cannot be a quote or a line break");
	*delim = arg[0];
	return -1;
}

/* A byte count: digits and an optional K, M or G (powers of 1024). */
int parse_size_option(const char *name, const char *arg, uint64_t *out)
{
	char *end = NULL;
	unsigned long long n;
	unsigned shift = 0;

	errno = 0;
	n = arg[0] >= '0' && arg[0] <= '9' ? strtoull(arg, &end, 10) : 0;
	if (end != NULL && (*end == 'K' || *end == 'k'))
		shift = 10, end++;
	else if (end != NULL && (*end == 'M' || *end == 'm'))
		shift = 20, end++;
	else if (end != NULL && (*end == 'G' || *end == 'g'))
		shift = 30, end++;
	if (end == NULL || *end != '\0' || errno != 0 || n > (UINT64_MAX >> shift))
		return bad_usage("%s: expected a byte count such as 1048576 or 64M, got '%s'", name,
		                 arg);
	*out = (uint64_t)n << shift;
	return -1;
}

int parse_count_option(const char *name, const char *arg, uint64_t *out)
{
	char *end = NULL;

	errno = 0;
	*out = arg[0] >= '0' && arg[0] <= '9' ? strtoull(arg, &end, 10) : 0;
	if (end == NULL || *end != '\0' || errno != 0)
		return bad_usage("%s: expected a whole number, got '%s'", name, arg);
	return -1;
}

int print_and_exit(const char *text)
{
	fputs(text, stdout);
	return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_IO;
}

int common_option(int c, char **argv, char *delim, const char *usage)
{
	switch (c) {
	case 'd':
		return parse_delimiter(optarg, delim);
	case 't':
		*delim = '\t';
		return -1;
	case 'h':
		return print_and_exit(usage);
	case ':':
		return bad_usage("option '%s' needs a value", argv[optind - 1]);
	case '?':
		return optopt != 0 ? bad_usage("unknown option '-%c'", optopt)
		                   : bad_usage("unknown option '%s'", argv[optind - 1]);
	default:
		return -2;
	}
}

int rules_option(struct rules_options *o, int c, const char *arg)
{
	switch (c) {
	case OPT_BASE:
		return parse_fixed_option("--base", arg, &o->base, &o->has_base);
	case OPT_THRESHOLD:
		return parse_fixed_option("--threshold", arg, &o->threshold, &o->has_threshold);
	case OPT_TODAY:
		o->has_today = ls_date_parse(arg, &o->today);
		return o->has_today ? -1
		                    : bad_usage("--today: expected a date as YYYY-MM-DD, got '%s'", arg);
	default:
		return -2;
	}
}

int default_rules_path(const char **paths, size_t *npaths)
{
	const char *env = getenv("LEADSIFT_PERSONAS");
	struct stat sb;

	if (*npaths > 0)
		return -1;
	if (env != NULL && *env != '\0') {
		if (stat(env, &sb) != 0)
			return bad_usage("LEADSIFT_PERSONAS: %s: %s", env, strerror(errno));
		paths[(*npaths)++] = env;
		return -1;
	}
	if (stat("personas", &sb) == 0 && S_ISDIR(sb.st_mode)) {
		paths[(*npaths)++] = "personas";
		return -1;
	}
	return bad_usage("no persona rules found: give -p PATH (a persona file or directory) "
	                 "or set LEADSIFT_PERSONAS; there is no ./personas directory here");
}

int load_rules(const struct rules_options *o, const char *const *paths, size_t npaths,
               ls_ruleset **out)
{
	ls_error err = {0};
	ls_status st = ls_ruleset_load(out, paths, npaths, &err);
	int code;

	if (st != LS_OK) {
		code = report_error(st, &err);
		ls_error_clear(&err);
		return code;
	}
	if (o->has_base)
		ls_ruleset_set_base(*out, o->base);
	if (o->has_threshold)
		ls_ruleset_set_threshold(*out, o->threshold);
	if (o->has_today)
		ls_ruleset_set_today(*out, o->today);
	return EXIT_OK;
}

int input_open(struct input *in, const char *path, char delim, uint64_t max_record)
{
	ls_error err = {0};
	ls_status st;
	int code;

	memset(in, 0, sizeof(*in));
	in->path = path;
	in->name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	in->fd = STDIN_FILENO;
	if (strcmp(path, "-") != 0) {
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0)
			return report_errno("cannot open", path);
	}
	st = ls_reader_open_fd(&in->reader, in->fd, path, delim, &err);
	if (st == LS_OK) {
		ls_reader_set_max_record_bytes(in->reader, max_record);
		st = ls_reader_next(in->reader, &in->header, &err);
	}
	if (st == LS_DONE) {
		fprintf(stderr, "leadsift: %s: empty input: expected a header line naming the columns\n",
		        in->name);
		return EXIT_INPUT;
	}
	if (st != LS_OK) {
		code = report_error(st, &err);
		ls_error_clear(&err);
		return code;
	}
	return EXIT_OK;
}

ls_status input_next(struct input *in, ls_row *row, int *exit_code)
{
	ls_error err = {0};
	ls_status st = ls_reader_next(in->reader, row, &err);

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

ls_cell cell_trim(ls_cell c)
{
	while (c.len > 0 && (c.ptr[0] == ' ' || c.ptr[0] == '\t')) {
		c.ptr++;
		c.len--;
	}
	while (c.len > 0 && (c.ptr[c.len - 1] == ' ' || c.ptr[c.len - 1] == '\t'))
		c.len--;
	return c;
}

bool cell_is(ls_cell cell, const char *text)
{
	size_t i, n = strlen(text);

	cell = cell_trim(cell);
	if (cell.len != n)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char a = (unsigned char)cell.ptr[i], b = (unsigned char)text[i];
		if ((a >= 'A' && a <= 'Z' ? a + 32 : a) != (b >= 'A' && b <= 'Z' ? b + 32 : b))
			return false;
	}
	return true;
}

cJSON *json_add(cJSON *parent, const char *key, cJSON *item, bool *nomem)
{
	bool ok = item != NULL && parent != NULL &&
	          (key != NULL ? cJSON_AddItemToObject(parent, key, item)
	                       : cJSON_AddItemToArray(parent, item));

	if (!ok) {
		cJSON_Delete(item);
		*nomem = true;
		return NULL;
	}
	return item;
}

/* The length of the UTF-8 sequence at s (at most n bytes), or 0 if invalid. */
static size_t utf8_length(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned cp;

	if (s[0] < 0x80)
		return s[0] != 0;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1fu;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0fu;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07u;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3fu);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

cJSON *json_cell(const char *ptr, size_t len)
{
	const unsigned char *s = (const unsigned char *)ptr;
	size_t i = 0, o = 0, n;
	char *text = malloc(len * 3 + 1);
	cJSON *item;

	if (text == NULL)
		return NULL;
	while (i < len) {
		n = utf8_length(s + i, len - i);
		if (n == 0) {
			memcpy(text + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		} else {
			memcpy(text + o, s + i, n);
			o += n;
			i += n;
		}
	}
	text[o] = '\0';
	item = cJSON_CreateString(text);
	free(text);
	return item;
}

cJSON *json_fixed(ls_fixed v)
{
	char text[LS_FIXED_BUFSIZE];

	ls_fixed_format(v, text);
	return cJSON_CreateRaw(text);
}

char *json_render(cJSON *root, bool nomem)
{
	char *text = nomem || root == NULL ? NULL : cJSON_Print(root);

	cJSON_Delete(root);
	return text;
}

int json_print(char *text)
{
	if (text == NULL) {
		fputs("leadsift: out of memory\n", stderr);
		return EXIT_INTERNAL;
	}
	fputs(text, stdout);
	putchar('\n');
	free(text);
	return EXIT_OK;
}

int finish_stdout(int code)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		/* A reader that went away is not worth a message. */
		if (errno == EPIPE)
			return EXIT_IO;
		report_errno("cannot write", "<stdout>");
		return code == EXIT_OK ? EXIT_IO : code;
	}
	return code;
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
