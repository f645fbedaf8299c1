/* SPDX-License-Identifier: MIT */
/* score_csv.c - leadsift as a library: score a CSV file with the personas
 * in a directory on four threads, with one call, and write the annotated
 * CSV to standard output.
 *
 *   cc -std=c11 score_csv.c $(pkg-config --cflags --libs leadsift) -o score_csv
 *   ./score_csv personas leads.csv > scored.csv
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <leadsift.h>

int main(int argc, char **argv)
{
	ls_score_options opt = {.threads = 4};
	ls_score_counts counts;
	ls_ruleset *rs = NULL;
	ls_reader *in = NULL;
	ls_writer *out = NULL;
	ls_error err = {0};
	ls_status st;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: %s PERSONAS LEADS.csv\n", argv[0]);
		return 2;
	}
	fd = open(argv[2], O_RDONLY);
	if (fd < 0) {
		perror(argv[2]);
		return 4;
	}
	st = ls_ruleset_load(&rs, (const char *const *)&argv[1], 1, &err);
	if (st == LS_OK)
		st = ls_reader_open_fd(&in, fd, argv[2], ',', &err);
	if (st == LS_OK)
		st = ls_writer_open_fd(&out, STDOUT_FILENO, "<stdout>", ',', &err);
	if (st == LS_OK)
		st = ls_score_csv(rs, in, out, &opt, &counts, NULL, &err);
	if (st == LS_OK)
		fprintf(stderr, "%llu leads scored\n", (unsigned long long)counts.rows_read);
	else
		fprintf(stderr, "%s:%lu: %s\n", err.file ? err.file : argv[0], err.line,
		        err.message ? err.message : ls_strerror(st));
	ls_writer_free(out);
	ls_reader_free(in);
	ls_ruleset_free(rs);
	ls_error_clear(&err);
	close(fd);
	return st == LS_OK ? 0 : 1;
}
