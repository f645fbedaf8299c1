/* SPDX-License-Identifier: MIT */
/* encoding.c - text in other encodings read as UTF-8, and UTF-8 written in
 * them, through glibc's iconv. */
#include "base/encoding.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/text.h"

struct text_converter {
	iconv_t cd;
	bool to_utf8;
};

bool text_encoding_is_utf8(const char *name)
{
	char squeezed[8];
	size_t n = 0;

	/* "UTF-8", "utf8", "Utf_8": letters and digits, ignoring case. */
	for (; *name != '\0'; name++) {
		char c = *name;
		if (c == '-' || c == '_')
			continue;
		if (n == sizeof(squeezed) - 1)
			return false;
		squeezed[n++] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
	}
	squeezed[n] = '\0';
	return strcmp(squeezed, "utf8") == 0;
}

void text_converter_free(struct text_converter *c)
{
	if (c == NULL)
		return;
	iconv_close(c->cd);
	free(c);
}

/* text_convert's work; *in and *left move along the input. */
static bool convert(struct text_converter *c, char **in, size_t *left, struct buf *out)
{
	char *to;
	size_t room, rc, skip;

	iconv(c->cd, NULL, NULL, NULL, NULL);
	while (*left > 0) {
		/* UTF-8 takes at most three bytes per byte of any encoding iconv
		 * reads byte-wise, and four for a longer sequence. */
		if (!buf_reserve(out, 3 * *left + 4))
			return false;
		to = out->data + out->len;
		room = out->cap - out->len;
		rc = iconv(c->cd, in, left, &to, &room);
		out->len = (size_t)(to - out->data);
		if (rc != (size_t)-1)
			continue;
		/* Out of room: a transliteration longer than that, more room. */
		if (errno == E2BIG) {
			if (!buf_reserve(out, out->cap - out->len + 64))
				return false;
			continue;
		}
		/* A sequence the input does not define or the output cannot hold
		 * (EILSEQ), or one cut short (EINVAL): a replacement (U+FFFD in
		 * UTF-8, '?' in others), and on past it. */
		skip = c->to_utf8 ? 1 : ls_utf8_length(*in, *left);
		skip = skip > 0 ? skip : 1;
		if (!(c->to_utf8 ? buf_append(out, "\xef\xbf\xbd", 3) : buf_putc(out, '?')))
			return false;
		*in += skip;
		*left -= skip;
		iconv(c->cd, NULL, NULL, NULL, NULL);
	}
	/* A stateful encoding (ISO-2022) may owe a shift back. */
	if (!buf_reserve(out, 8))
		return false;
	to = out->data + out->len;
	room = out->cap - out->len;
	iconv(c->cd, NULL, NULL, &to, &room);
	out->len = (size_t)(to - out->data);
	return true;
}

bool text_convert(struct text_converter *c, const char *src, size_t len, struct buf *out)
{
	char *in = (char *)(uintptr_t)src; /* iconv's prototype; it does not write */
	size_t left = len;
	/* iconv's transliteration follows the thread's locale: C.UTF-8 knows
	 * that "ő" is near "o", the C locale does not. */
	locale_t loc = c->to_utf8 ? (locale_t)0 : text_locale();
	locale_t was = loc != (locale_t)0 ? uselocale(loc) : (locale_t)0;
	bool ok = convert(c, &in, &left, out);

	if (loc != (locale_t)0)
		uselocale(was);
	return ok;
}

/* Whether the encoding writes ASCII as ASCII, byte for byte: CSV's
 * delimiters, quotes and line ends are then where they are in UTF-8, and
 * libcsv can split the bytes before they are converted. UTF-16, UTF-32 and
 * EBCDIC are not. */
static bool ascii_compatible(struct text_converter *c, bool *nomem)
{
	char ascii[127];
	struct buf out = {0};
	bool same;
	size_t i;

	for (i = 0; i < sizeof(ascii); i++)
		ascii[i] = (char)(i + 1);
	if (!text_convert(c, ascii, sizeof(ascii), &out)) {
		*nomem = true;
		return false;
	}
	same = out.len == sizeof(ascii) && memcmp(out.data, ascii, sizeof(ascii)) == 0;
	buf_free(&out);
	return same;
}

/* A converter between `encoding` and UTF-8, either way. */
static ls_status converter_open(struct text_converter **out, const char *encoding, bool to_utf8,
                                ls_error *err)
{
	struct text_converter *c;
	char *target = NULL;
	bool nomem = false;

	*out = NULL;
	c = malloc(sizeof(*c));
	if (!to_utf8 && c != NULL) {
		/* A character the encoding lacks as its nearest ("e" for "ė"). */
		target = malloc(strlen(encoding) + sizeof("//TRANSLIT"));
		if (target != NULL)
			strcat(strcpy(target, encoding), "//TRANSLIT");
	}
	if (c == NULL || (!to_utf8 && target == NULL)) {
		free(c);
		return err_nomem(err);
	}
	c->to_utf8 = to_utf8;
	c->cd = to_utf8 ? iconv_open("UTF-8", encoding) : iconv_open(target, "UTF-8");
	/* glibc says EINVAL (no such encoding) when loading the converter
	 * failed to allocate too: asked again, an encoding it knows is found. */
	if (c->cd == (iconv_t)-1 && errno == EINVAL)
		c->cd = to_utf8 ? iconv_open("UTF-8", encoding) : iconv_open(target, "UTF-8");
	free(target);
	if (c->cd == (iconv_t)-1) {
		int e = errno;
		free(c);
		if (e == ENOMEM)
			return err_nomem(err);
		return ls_error_set(err, LS_ERR_USAGE, NULL, 0, 0,
		                    "unknown encoding \"%s\" (iconv -l lists the names this system "
		                    "knows, such as windows-1252, latin1 or cp932)",
		                    encoding);
	}
	if (to_utf8 && !ascii_compatible(c, &nomem)) {
		text_converter_free(c);
		if (nomem)
			return err_nomem(err);
		return ls_error_set(err, LS_ERR_USAGE, NULL, 0, 0,
		                    "encoding \"%s\" does not write ASCII as ASCII, so CSV cannot be "
		                    "split before it is read; convert the file to UTF-8 first, e.g. "
		                    "iconv -f %s -t UTF-8",
		                    encoding, encoding);
	}
	*out = c;
	return LS_OK;
}

ls_status text_decoder_open(struct text_converter **out, const char *encoding, ls_error *err)
{
	return converter_open(out, encoding, true, err);
}

ls_status text_encoder_open(struct text_converter **out, const char *encoding, ls_error *err)
{
	return converter_open(out, encoding, false, err);
}
