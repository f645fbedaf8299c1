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

cJSON *json_cell(const char *ptr, size_t len)
{
	char *text = ls_utf8_copy(ptr, len);
	cJSON *item = text != NULL ? cJSON_CreateString(text) : NULL;

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
