/* SPDX-License-Identifier: MIT */
/* fingerprint.c - canonical JSON of the loaded rules and its SHA-256. */
#include "rules/fingerprint.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"

static bool canonical_string(const char *s, struct buf *out)
{
	char esc[8];

	if (!buf_putc(out, '"'))
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		bool ok;
		if (c == '"' || c == '\\') {
			ok = buf_putc(out, '\\') && buf_putc(out, (char)c);
		} else if (c < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			ok = buf_append_str(out, esc);
		} else {
			ok = buf_putc(out, (char)c);
		}
		if (!ok)
			return false;
	}
	return buf_putc(out, '"');
}

static int by_name(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	return strcmp(x->string, y->string);
}

static bool canonical_object(const cJSON *item, struct buf *out)
{
	const cJSON **members = NULL;
	const cJSON *m;
	size_t n = 0, i;
	bool ok = false, first = true;

	for (m = item->child; m != NULL; m = m->next)
		n++;
	members = calloc(n ? n : 1, sizeof(*members));
	if (members == NULL)
		return false;
	n = 0;
	for (m = item->child; m != NULL; m = m->next)
		if (m->string[0] != '$')
			members[n++] = m;
	qsort(members, n, sizeof(*members), by_name);
	if (!buf_putc(out, '{'))
		goto out;
	for (i = 0; i < n; i++) {
		if ((!first && !buf_putc(out, ',')) || !canonical_string(members[i]->string, out) ||
		    !buf_putc(out, ':') || !fingerprint_canonical(members[i], out))
			goto out;
		first = false;
	}
	ok = buf_putc(out, '}');
out:
	free(members);
	return ok;
}

bool fingerprint_canonical(const cJSON *item, struct buf *out)
{
	char num[40];
	const cJSON *m;

	if (cJSON_IsObject(item))
		return canonical_object(item, out);
	if (cJSON_IsArray(item)) {
		if (!buf_putc(out, '['))
			return false;
		for (m = item->child; m != NULL; m = m->next)
			if ((m != item->child && !buf_putc(out, ',')) || !fingerprint_canonical(m, out))
				return false;
		return buf_putc(out, ']');
	}
	if (cJSON_IsString(item))
		return canonical_string(item->valuestring, out);
	if (cJSON_IsNumber(item)) {
		double v = item->valuedouble;
		if (v == nearbyint(v) && fabs(v) < 1e15)
			snprintf(num, sizeof(num), "%.0f", v == 0 ? 0.0 : v);
		else
			snprintf(num, sizeof(num), "%.17g", v);
		return buf_append_str(out, num);
	}
	if (cJSON_IsTrue(item))
		return buf_append_str(out, "true");
	if (cJSON_IsFalse(item))
		return buf_append_str(out, "false");
	return buf_append_str(out, "null");
}

char *fingerprint_text(const cJSON *item)
{
	struct buf text = {0};

	if (!fingerprint_canonical(item, &text) || !buf_putc(&text, '\0')) {
		buf_free(&text);
		return NULL;
	}
	return text.data;
}

void fingerprint_hex(const void *data, size_t len, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char digest[32];
	struct sha256 h;
	int i;

	sha256_init(&h);
	sha256_update(&h, data, len);
	sha256_final(&h, digest);
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[64] = '\0';
}
