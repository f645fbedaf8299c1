/* SPDX-License-Identifier: MIT */
/* floor-rewrite.c - the speed limit of reading and writing CSV with libcsv:
 * 1 MiB reads, every field written back (quoted only where needed) through
 * a 1 MiB buffer. What leadsift -j 1 does, without scoring.
 *
 *   floor-rewrite < leads.csv > copy.csv */
#include <csv.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define OUT_SIZE (1 << 20)

struct out {
	char *data;
	size_t len;
	int first; /* no delimiter before the record's first field */
};

static int flush(struct out *o)
{
	size_t done = 0;

	while (done < o->len) {
		ssize_t n = write(1, o->data + done, o->len - done);
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	o->len = 0;
	return 0;
}

static void on_field(void *data, size_t len, void *ctx)
{
	struct out *o = ctx;
	const char *s = data;
	size_t i;

	/* Worst case: a delimiter, two quotes, every byte doubled. */
	if (o->len + 2 * len + 3 > OUT_SIZE && flush(o) != 0)
		_exit(1);
	if (!o->first)
		o->data[o->len++] = ',';
	o->first = 0;
	if (len == 0 || strcspn(s, ",\"\r\n") >= len) {
		if (len > 0)
			memcpy(o->data + o->len, s, len);
		o->len += len;
		return;
	}
	o->data[o->len++] = '"';
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			o->data[o->len++] = '"';
		o->data[o->len++] = s[i];
	}
	o->data[o->len++] = '"';
}

static void on_record(int c, void *ctx)
{
	struct out *o = ctx;

	(void)c;
	if (o->len + 1 > OUT_SIZE && flush(o) != 0)
		_exit(1);
	o->data[o->len++] = '\n';
	o->first = 1;
}

int main(void)
{
	static char in[1 << 20], buffer[OUT_SIZE];
	struct out o = {buffer, 0, 1};
	struct csv_parser p;
	ssize_t got;

	/* Fields are terminated, so strcspn stays inside them. */
	if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL) != 0)
		return 1;
	while ((got = read(0, in, sizeof(in))) > 0) {
		if (csv_parse(&p, in, (size_t)got, on_field, on_record, &o) != (size_t)got) {
			fprintf(stderr, "floor-rewrite: %s\n", csv_strerror(csv_error(&p)));
			return 1;
		}
	}
	csv_fini(&p, on_field, on_record, &o);
	csv_free(&p);
	return got < 0 || flush(&o) != 0;
}
