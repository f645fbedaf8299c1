/* SPDX-License-Identifier: MIT */
/* json_out.c - JSON output through cJSON (see json_out.h). */
#include "json_out.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "messages.h"

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
