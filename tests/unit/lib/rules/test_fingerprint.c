/* SPDX-License-Identifier: MIT */
/* test_fingerprint.c - the rule set's fingerprint: SHA-256 against its
 * published vectors, and the canonical JSON it is taken over. */
#include <cjson/cJSON.h>
#include <stdio.h>

#include "unit.h"

#include "base/buf.h"
#include "base/sha256.h"
#include "rules/fingerprint.h"

static void test_sha256_vectors(void **state)
{
	char hex[65];
	char *million = malloc(1000000);

	(void)state;
	fingerprint_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	fingerprint_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	fingerprint_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	memset(million, 'a', 1000000);
	{
		/* Around the block and padding edges, against coreutils' sha256sum
		 * (head -c N /dev/zero | tr '\0' a | sha256sum), one call and
		 * byte by byte. */
		static const struct {
			size_t n;
			const char *hex;
		} edges[] = {
			{55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
			{56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
			{63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
			{64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
			{65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
			{119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
			{120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
			{127, "c57e9278af78fa3cab38667bef4ce29d783787a2f731d4e12200270f0c32320a"},
			{128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e"},
		};
		size_t i, k;

		for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
			struct sha256 h;
			unsigned char digest[32];
			char got[65];

			fingerprint_hex(million, edges[i].n, hex);
			assert_string_equal(hex, edges[i].hex);
			sha256_init(&h);
			for (k = 0; k < edges[i].n; k++)
				sha256_update(&h, million + k, 1);
			sha256_final(&h, digest);
			for (k = 0; k < 32; k++)
				snprintf(got + 2 * k, 3, "%02x", digest[k]);
			assert_string_equal(got, edges[i].hex);
		}
	}
	fingerprint_hex(million, 1000000, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
}

static void test_canonical_json(void **state)
{
	cJSON *j = cJSON_Parse("{\"b\": [1.50, -0, 1e20, \"t\\n\\\"\"], \"$comment\": \"x\", "
	                       "\"a\": {\"z\": true, \"y\": null, \"x\": false}}");
	struct buf out = {0};

	(void)state;
	assert_true(fingerprint_canonical(j, &out) && buf_terminate(&out));
	assert_string_equal(out.data, "{\"a\":{\"x\":false,\"y\":null,\"z\":true},"
	                              "\"b\":[1.5,0,1e+20,\"t\\u000a\\\"\"]}");
	buf_free(&out);
	cJSON_Delete(j);
}

/* Every allocation the canonical form makes, failed in turn, with the output
 * buffer full at every byte of it: each failure is reported, never a short
 * or half-written form. */
static void test_canonical_json_allocation_failures(void **state)
{
	static const char want[] = "{\"a\":[\"q\\\"\",{\"k\":[1,{}]}],\"b\":\"xyz\"}";
	cJSON *j = cJSON_Parse("{\"b\": \"xyz\", \"a\": [\"q\\\"\", {\"k\": [1, {}]}]}");
	size_t room;
	long n;

	(void)state;
	assert_non_null(j);
	for (room = 1; room <= sizeof(want); room++) {
		for (n = 0;; n++) {
			struct buf out = {malloc(room), 0, room};
			bool ok;

			assert_non_null(out.data);
			unit_fail_alloc_after(n);
			ok = fingerprint_canonical(j, &out);
			if (unit_alloc_failed()) {
				if (ok)
					fail_msg("room %zu, allocation %ld failed: reported success", room, n);
				buf_free(&out);
				continue;
			}
			assert_true(ok && buf_terminate(&out));
			assert_string_equal(out.data, want);
			buf_free(&out);
			break;
		}
	}
	cJSON_Delete(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_canonical_json),
		cmocka_unit_test(test_canonical_json_allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
