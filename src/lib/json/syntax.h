/* SPDX-License-Identifier: MIT */
/* syntax.h - where a JSON text first breaks the grammar cJSON parses, to
 * place a syntax error on the mistake itself: cJSON's own error position
 * is sometimes past it (after a stray comma, at the next key). */
#ifndef LS_JSON_SYNTAX_H
#define LS_JSON_SYNTAX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The offset of the first byte of text (len bytes, NUL-terminated after
 * them) that cannot continue a JSON document as cJSON reads it, or len when
 * the text ends too soon; SIZE_MAX when it is a whole document. A string
 * that is never closed is a mistake where it opens (*unclosed is then
 * true). Nesting deeper than cJSON's limit is a mistake where it begins. */
size_t json_syntax_error(const char *text, size_t len, bool *unclosed);

#endif
