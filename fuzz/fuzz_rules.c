/* SPDX-License-Identifier: MIT */
/* fuzz_rules.c - any bytes as a persona file: it loads, with a fingerprint
 * and rules that can bind and score, or fails with a message. And the
 * scanner that places JSON syntax errors agrees with cJSON on what is a
 * document (it is consulted only when cJSON fails, but must not find a
 * mistake before cJSON's). */
#include <cjson/cJSON.h>

#include "fuzz.h"
#include "json/syntax.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* Without NUL bytes (refused before parsing), the scanner says "a whole
 * document" exactly when cJSON parses one: a grammar the two read apart
 * shows up as a document one of them takes and the other does not. */
static void check_syntax_scanner(const unsigned char *data, size_t size)
{
	char *text;
	cJSON *doc;
	size_t at;
	bool unclosed;

	if (memchr(data, '\0', size) != NULL)
		return;
	text = malloc(size + 1);
	FUZZ_ASSERT(text != NULL);
	memcpy(text, data, size);
	text[size] = '\0';
	doc = cJSON_ParseWithOpts(text, NULL, 1);
	at = json_syntax_error(text, size, &unclosed);
	FUZZ_ASSERT((doc != NULL) == (at == SIZE_MAX));
	cJSON_Delete(doc);
	free(text);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	ls_ruleset *rs = NULL;
	ls_error err = {0};
	ls_status st = ls_ruleset_load_buffers(&rs, "fuzz.json", (const char *)data, size, NULL, 0,
	                                       &err);

	if (st != LS_OK) {
		fuzz_check_error(st, &err);
		FUZZ_ASSERT(rs == NULL);
	} else {
		FUZZ_ASSERT(strlen(ls_ruleset_fingerprint(rs)) == 64);
		FUZZ_ASSERT(ls_ruleset_persona_count(rs) == 1);
		FUZZ_ASSERT(ls_ruleset_rule_count(rs, 0) >= 1);
	}
	ls_error_clear(&err);
	ls_ruleset_free(rs);
	check_syntax_scanner(data, size);
	return 0;
}
