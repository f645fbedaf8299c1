/* SPDX-License-Identifier: MIT */
/* messages.c - exit codes and error messages (see messages.h). */
#include "messages.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	case LS_ERR_CANCELLED: /* scoring here is never cancelled */
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

int report_status(ls_status st)
{
	ls_error err = {0};

	err.status = st;
	return report_error(st, &err);
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

int print_and_exit(const char *text)
{
	fputs(text, stdout);
	return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_IO;
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

void warn_not_utf8(const char *name, uint64_t records, unsigned long line)
{
	if (records == 0)
		return;
	fprintf(stderr,
	        "%s: warning: %s:%lu: not UTF-8 (%llu record%s, the first here); if the file is in "
	        "another encoding, name it with --encoding (Excel and Salesforce on Windows write "
	        "windows-1252)\n",
	        cli_command, name, line, (unsigned long long)records, records == 1 ? "" : "s");
}

void rule_action(ls_fixed deduct, bool disqualify, char buf[RULE_ACTION_SIZE])
{
	char num[LS_FIXED_BUFSIZE];

	ls_fixed_format(deduct, num);
	if (deduct == 0 && disqualify)
		snprintf(buf, RULE_ACTION_SIZE, "disqualify");
	else
		snprintf(buf, RULE_ACTION_SIZE, "deduct %s%s", num, disqualify ? ", disqualify" : "");
}
