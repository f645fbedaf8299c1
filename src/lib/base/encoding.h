/* SPDX-License-Identifier: MIT */
/* encoding.h - text in other encodings (Windows-1252, Latin-1, CP932) read
 * as UTF-8 for matching, and UTF-8 written in them: glibc's iconv. Plain
 * Shift_JIS is not among them: it reads the backslash as a yen sign. */
#ifndef LS_ENCODING_H
#define LS_ENCODING_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "leadsift.h"

struct text_converter;

/* A converter from `encoding` (any name iconv knows) to UTF-8. LS_ERR_USAGE,
 * saying why, for a name iconv does not know or an encoding that does not
 * write ASCII as ASCII (UTF-16, EBCDIC): CSV in those cannot be split
 * before it is decoded. */
ls_status text_decoder_open(struct text_converter **out, const char *encoding, ls_error *err);
/* A converter from UTF-8 to `encoding`, a character it lacks as its nearest
 * (iconv's //TRANSLIT) or '?'. */
ls_status text_encoder_open(struct text_converter **out, const char *encoding, ls_error *err);
void text_converter_free(struct text_converter *c);

/* Appends src (len bytes) to out, converted; a byte sequence the input
 * does not define, or the output cannot hold, becomes U+FFFD (to UTF-8) or
 * '?'. False only when out of memory. */
bool text_convert(struct text_converter *c, const char *src, size_t len, struct buf *out);

/* Whether the name is UTF-8's ("UTF-8", "utf8", ...): nothing to decode. */
bool text_encoding_is_utf8(const char *name);

#endif
