/* SPDX-License-Identifier: MIT */
/* jsonpath.c - rendering JSON paths and finding them in the source text, so
 * a rule error can say "file:12:7" although cJSON keeps no positions. */
#include "json/jsonpath.h"

#include <stdio.h>
#include <string.h>

static bool is_plain_key(const char *key)
{
	const char *p;

	if (*key == '\0')
		return false;
	for (p = key; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '$'))
			return false;
	}
	return true;
}

static bool render_step(const struct jpath *path, struct buf *out)
{
	char index[32];

	if (path == NULL)
		return true;
	if (!render_step(path->parent, out))
		return false;
	if (path->key == NULL) {
		snprintf(index, sizeof(index), "[%zu]", path->index);
		return buf_append_str(out, index);
	}
	if (is_plain_key(path->key)) {
		if (path->parent != NULL && !buf_putc(out, '.'))
			return false;
		return buf_append_str(out, path->key);
	}
	return buf_append_str(out, "[\"") && buf_append_str(out, path->key) &&
	       buf_append_str(out, "\"]");
}

bool jpath_render(const struct jpath *path, struct buf *out)
{
	if (path == NULL)
		return buf_append_str(out, "(top level)");
	return render_step(path, out);
}

void jpath_line_col(const char *text, size_t offset, unsigned long *line,
                    unsigned long *column)
{
	size_t i;

	*line = 1;
	*column = 1;
	for (i = 0; i < offset; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*column = 1;
		} else {
			(*column)++;
		}
	}
}

/* A scanner over valid JSON: positions only, no values. */
struct scan {
	const char *p, *end;
};

static void skip_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

static void skip_string(struct scan *s)
{
	s->p++; /* opening quote */
	while (s->p < s->end && *s->p != '"') {
		if (*s->p == '\\' && s->p + 1 < s->end)
			s->p++;
		s->p++;
	}
	if (s->p < s->end)
		s->p++;
}

static void skip_value(struct scan *s)
{
	int depth = 0;

	/* Iterative, so a deeply nested file cannot exhaust the stack here. */
	do {
		skip_ws(s);
		if (s->p >= s->end)
			return;
		switch (*s->p) {
		case '"':
			skip_string(s);
			break;
		case '{':
		case '[':
			depth++;
			s->p++;
			break;
		case '}':
		case ']':
			depth--;
			s->p++;
			break;
		case ',':
		case ':': /* inside a container: its separators */
			s->p++;
			break;
		default:
			while (s->p < s->end && strchr(",]} \t\r\n", *s->p) == NULL)
				s->p++;
		}
	} while (depth > 0 && s->p < s->end);
}

/* Compares the JSON string at s->p (quotes included) with key, decoding the
 * simple escapes; \u escapes are compared as not equal, which only costs a
 * less precise position. Advances past the string. */
static bool string_equals(struct scan *s, const char *key)
{
	const char *k = key;
	bool equal = true;

	s->p++;
	while (s->p < s->end && *s->p != '"') {
		char c = *s->p++;
		if (c == '\\' && s->p < s->end) {
			char e = *s->p++;
			const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
			const char *hit = strchr(from, e);
			if (hit == NULL) { /* a u escape: not decoded */
				equal = false;
				continue;
			}
			c = to[hit - from];
		}
		if (*k != c)
			equal = false;
		else
			k++;
	}
	if (s->p < s->end)
		s->p++;
	return equal && *k == '\0';
}

/* Moves s to the value (or key) the path names. */
static bool walk(struct scan *s, const struct jpath *path, bool at_key)
{
	if (path == NULL) {
		skip_ws(s);
		return true;
	}
	/* Every walk that succeeds ends on the value's first byte. */
	if (!walk(s, path->parent, false))
		return false;
	if (path->key != NULL) {
		if (s->p >= s->end || *s->p != '{')
			return false;
		s->p++;
		for (;;) {
			const char *key_at;
			skip_ws(s);
			if (s->p >= s->end || *s->p != '"')
				return false;
			key_at = s->p;
			if (string_equals(s, path->key)) {
				skip_ws(s);
				s->p++; /* ':' */
				skip_ws(s);
				if (at_key)
					s->p = key_at;
				return true;
			}
			skip_ws(s);
			s->p++; /* ':' */
			skip_value(s);
			skip_ws(s);
			if (s->p >= s->end || *s->p != ',')
				return false;
			s->p++;
		}
	}
	if (s->p >= s->end || *s->p != '[')
		return false;
	s->p++;
	for (size_t i = 0; i < path->index; i++) {
		skip_value(s);
		skip_ws(s);
		if (s->p >= s->end || *s->p != ',')
			return false;
		s->p++;
	}
	skip_ws(s);
	return s->p < s->end && *s->p != ']';
}

bool jpath_locate(const char *text, size_t len, const struct jpath *path, bool at_key,
                  unsigned long *line, unsigned long *column)
{
	struct scan s = {text, text + len};

	if (!walk(&s, path, at_key))
		return false;
	jpath_line_col(text, (size_t)(s.p - text), line, column);
	return true;
}
