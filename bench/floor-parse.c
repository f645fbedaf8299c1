/* SPDX-License-Identifier: MIT */
/* floor-parse.c - the speed limit of parsing CSV with libcsv: 1 MiB reads,
 * callbacks that only count. leadsift cannot parse faster than this on one
 * core; the benchmark compares against it.
 *
 *   floor-parse [DELIMITER] < leads.csv      prints "fields records" */
#include <csv.h>
#include <stdio.h>
#include <unistd.h>

struct counts {
	unsigned long fields, records;
};

static void on_field(void *data, size_t len, void *ctx)
{
	(void)data;
	(void)len;
	((struct counts *)ctx)->fields++;
}

static void on_record(int c, void *ctx)
{
	(void)c;
	((struct counts *)ctx)->records++;
}

int main(int argc, char **argv)
{
	static char in[1 << 20];
	struct csv_parser p;
	struct counts n = {0, 0};
	ssize_t got;

	if (csv_init(&p, CSV_STRICT) != 0)
		return 1;
	if (argc > 1)
		csv_set_delim(&p, (unsigned char)argv[1][0]);
	while ((got = read(0, in, sizeof(in))) > 0) {
		if (csv_parse(&p, in, (size_t)got, on_field, on_record, &n) != (size_t)got) {
			fprintf(stderr, "floor-parse: %s\n", csv_strerror(csv_error(&p)));
			return 1;
		}
	}
	csv_fini(&p, on_field, on_record, &n);
	csv_free(&p);
	printf("%lu %lu\n", n.fields, n.records);
	return got < 0;
}
