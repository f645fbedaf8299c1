/* SPDX-License-Identifier: MIT */
/* fuzz_rules.c - any bytes as a persona file: it loads, with a fingerprint
 * and rules that can bind and score, or fails with a message. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

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
	return 0;
}
