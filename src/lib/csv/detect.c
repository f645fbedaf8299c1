/* SPDX-License-Identifier: MIT */
/* detect.c - which delimiter a CSV uses, from its first records (-d auto). */
#include "csv/csv.h"

#include <string.h>

#define SAMPLE_RECORDS 20

static const char candidates[] = {',', ';', '\t', '|'};
#define NCANDIDATES (sizeof(candidates) / sizeof(candidates[0]))

/* The fields of the record at p[*at], split at delim outside quotes; *at
 * moves past its line feed. Returns 0 when the record does not end before
 * n (and the text is not complete). */
static size_t record_fields(const char *p, size_t n, bool complete, char delim, size_t *at)
{
	size_t i = *at, fields = 1;
	bool quoted = false;

	for (; i < n; i++) {
		if (p[i] == '"')
			quoted = !quoted; /* a doubled quote toggles twice */
		else if (!quoted && p[i] == delim)
			fields++;
		else if (!quoted && p[i] == '\n')
			break;
	}
	if (i == n && !complete)
		return 0;
	*at = i + 1;
	return fields;
}

char csv_detect_delimiter(const char *p, size_t n, bool complete)
{
	size_t best_fields = 1, header_best = 1, c;
	char best = 0, header_choice = ',';

	for (c = 0; c < NCANDIDATES; c++) {
		size_t at = 0, records = 0, header = 0, fields;
		bool same = true;
		while (records < SAMPLE_RECORDS && at < n) {
			/* Blank lines are skipped, as the reader skips them. */
			if (p[at] == '\n' || p[at] == '\r') {
				at++;
				continue;
			}
			fields = record_fields(p, n, complete, candidates[c], &at);
			if (fields == 0)
				break;
			if (records++ == 0)
				header = fields;
			else
				same = same && fields == header;
		}
		if (header > header_best) {
			header_best = header;
			header_choice = candidates[c];
		}
		if (records > 0 && same && header > best_fields) {
			best_fields = header;
			best = candidates[c];
		}
	}
	/* The most fields on every record; else the most in the header. */
	return best != 0 ? best : header_choice;
}
