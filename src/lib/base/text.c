/* SPDX-License-Identifier: MIT */
/* text.c - byte-string helpers: trimming, case folding (ASCII fast, the
 * rest of Unicode through glibc's C.UTF-8 locale), UTF-8, searching. */
#include "base/text.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

static bool is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

ls_cell ls_cell_trim(ls_cell cell)
{
	while (cell.len > 0 && is_blank((unsigned char)cell.ptr[0])) {
		cell.ptr++;
		cell.len--;
	}
	while (cell.len > 0 && is_blank((unsigned char)cell.ptr[cell.len - 1]))
		cell.len--;
	return cell;
}

#define ONES_X8 0x0101010101010101ULL

/* Folds eight bytes at once: 0x20 is added to each byte from 'A' to 'Z'
 * (bytes >= 0x80 are left alone; no sum carries into the next byte). */
static uint64_t fold_x8(uint64_t v)
{
	uint64_t low7 = v & (ONES_X8 * 0x7f);
	uint64_t at_least_a = low7 + ONES_X8 * (0x80 - 'A');
	uint64_t past_z = low7 + ONES_X8 * (0x80 - 'Z' - 1);

	return v | ((at_least_a & ~past_z & ~v & (ONES_X8 * 0x80)) >> 2);
}

static unsigned char fold_byte(unsigned char c)
{
	return (unsigned char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
}

/* ---- The UTF-8 locale -------------------------------------------------- */

/* glibc's C.UTF-8 (Debian installs it with libc-bin) knows the case of
 * every Unicode letter and lets regcomp read UTF-8; made once, never the
 * process's locale. Without it, case folding is ASCII only. */
static _Atomic(locale_t) utf8_locale;
static atomic_bool utf8_settled; /* made, or known to be missing */
static pthread_mutex_t utf8_lock = PTHREAD_MUTEX_INITIALIZER;

bool text_locale_init(void)
{
	static const char *const names[] = {"C.UTF-8", "C.utf8", "en_US.UTF-8"};
	size_t i;
	bool settled;

	pthread_mutex_lock(&utf8_lock);
	for (i = 0; !atomic_load(&utf8_settled) && i < sizeof(names) / sizeof(names[0]); i++) {
		locale_t made = newlocale(LC_CTYPE_MASK | LC_COLLATE_MASK, names[i], (locale_t)0);
		/* glibc may say ENOENT for a failed allocation too: asked again,
		 * a locale that is there is found. */
		if (made == (locale_t)0 && errno == ENOENT)
			made = newlocale(LC_CTYPE_MASK | LC_COLLATE_MASK, names[i], (locale_t)0);
		if (made != (locale_t)0) {
			atomic_store(&utf8_locale, made);
			atomic_store(&utf8_settled, true);
		} else if (errno == ENOMEM) {
			break; /* tried again next time */
		}
	}
	if (i == sizeof(names) / sizeof(names[0]))
		atomic_store(&utf8_settled, true); /* not installed */
	settled = atomic_load(&utf8_settled);
	pthread_mutex_unlock(&utf8_lock);
	return settled;
}

locale_t text_locale(void)
{
	if (!atomic_load_explicit(&utf8_settled, memory_order_acquire))
		text_locale_init();
	return atomic_load_explicit(&utf8_locale, memory_order_acquire);
}

/* Handed back at exit, so that leak checkers see nothing left. */
__attribute__((destructor)) static void free_utf8_locale(void)
{
	locale_t l = atomic_exchange(&utf8_locale, (locale_t)0);

	if (l != (locale_t)0)
		freelocale(l);
}

/* ---- Case folding ------------------------------------------------------ */

/* A character's folded form: the lower case of its upper case, so that
 * "Σ", "σ" and "ς" fold alike (glibc's simple case mappings). */
static uint32_t fold_char(uint32_t cp, locale_t loc)
{
	if (cp < 0x80)
		return fold_byte((unsigned char)cp);
	if (loc == (locale_t)0)
		return cp;
	return (uint32_t)towlower_l(towupper_l((wint_t)cp, loc), loc);
}

/* Reads the character at *p (before end) and moves past it: its code point,
 * or for a byte that begins no valid UTF-8 character, 0x110000 + the byte,
 * which no character equals. */
static uint32_t next_char(const char **p, const char *end)
{
	const unsigned char *s = (const unsigned char *)*p;
	size_t n = ls_utf8_length(*p, (size_t)(end - *p)), i;
	uint32_t cp;

	if (n <= 1) {
		*p += 1;
		return n == 1 || s[0] == 0 ? s[0] : 0x110000u + s[0];
	}
	cp = n == 2 ? s[0] & 0x1fu : n == 3 ? s[0] & 0x0fu : s[0] & 0x07u;
	for (i = 1; i < n; i++)
		cp = (cp << 6) | (s[i] & 0x3fu);
	*p += n;
	return cp;
}

static size_t put_utf8(char *dst, uint32_t cp)
{
	unsigned char *d = (unsigned char *)dst;

	if (cp < 0x80) {
		d[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (unsigned char)(0xc0 | (cp >> 6));
		d[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		d[0] = (unsigned char)(0xe0 | (cp >> 12));
		d[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		d[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	d[0] = (unsigned char)(0xf0 | (cp >> 18));
	d[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	d[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	d[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

#define HIGH_BITS_X8 (ONES_X8 * 0x80)

/* text_fold from the first byte that is not ASCII on: apart, so that the
 * ASCII path stays a leaf function. */
__attribute__((noinline)) static size_t fold_beyond_ascii(char *dst, const char *src, size_t len)
{
	const char *p = src, *end = src + len;
	locale_t loc = text_locale();
	size_t o = 0;

	while ((unsigned char)*p < 0x80)
		dst[o++] = (char)fold_byte((unsigned char)*p++);
	while (p < end) {
		const char *at = p;
		uint32_t cp = next_char(&p, end);
		if (cp >= 0x110000u)
			dst[o++] = *at; /* not UTF-8: the byte as it is */
		else
			o += put_utf8(dst + o, fold_char(cp, loc));
	}
	return o;
}

size_t text_fold(char *dst, const char *src, size_t len)
{
	uint64_t seen = 0; /* every byte, ORed: its high bits say "not ASCII" */
	size_t i = 0;

	/* As if ASCII, eight bytes at a time (fold_x8 leaves other bytes be). */
	for (; i + 8 <= len; i += 8) {
		uint64_t v;
		memcpy(&v, src + i, 8);
		seen |= v;
		v = fold_x8(v);
		memcpy(dst + i, &v, 8);
	}
	if (i < len && len >= 8) { /* the last eight bytes, again for some */
		uint64_t v;
		memcpy(&v, src + len - 8, 8);
		seen |= v;
		v = fold_x8(v);
		memcpy(dst + len - 8, &v, 8);
	} else {
		for (; i < len; i++) {
			seen |= (unsigned char)src[i];
			dst[i] = (char)fold_byte((unsigned char)src[i]);
		}
	}
	return seen & HIGH_BITS_X8 ? fold_beyond_ascii(dst, src, len) : len;
}

bool text_equal_fold(const char *a, size_t alen, const char *b, size_t blen)
{
	const char *aend = a + alen, *bend = b + blen;
	locale_t loc;

	/* ASCII on both sides, byte by byte, as long as it lasts. */
	for (; a < aend && b < bend; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
		if ((x | y) >= 0x80)
			break;
		if (fold_byte(x) != fold_byte(y))
			return false;
	}
	if (a == aend || b == bend)
		return a == aend && b == bend;
	loc = text_locale();
	while (a < aend && b < bend) {
		uint32_t ca = next_char(&a, aend), cb = next_char(&b, bend);
		if (ca != cb && (ca >= 0x110000u || cb >= 0x110000u ||
		                 fold_char(ca, loc) != fold_char(cb, loc)))
			return false;
	}
	return a == aend && b == bend;
}

char *text_fold_dup(const char *s, size_t len, size_t *folded_len)
{
	char *copy = malloc(TEXT_FOLD_ROOM(len) + 1);

	if (copy != NULL) {
		*folded_len = text_fold(copy, s, len);
		copy[*folded_len] = '\0';
	}
	return copy;
}

bool text_has_high_bytes(const char *s, size_t len)
{
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t v;
		memcpy(&v, s + i, 8);
		if (v & HIGH_BITS_X8)
			return true;
	}
	for (; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return true;
	return false;
}

/* The index of the first byte of s[i..len) that is not ASCII, or len:
 * thirty-two bytes at a time, as most text is ASCII throughout. */
static size_t skip_ascii(const char *s, size_t i, size_t len)
{
	for (; i + 32 <= len; i += 32) {
		uint64_t v[4];
		memcpy(v, s + i, 32);
		if ((v[0] | v[1] | v[2] | v[3]) & HIGH_BITS_X8)
			break;
	}
	for (; i + 8 <= len; i += 8) {
		uint64_t v;
		memcpy(&v, s + i, 8);
		if (v & HIGH_BITS_X8)
			break;
	}
	if (i + 8 > len && i < len && len >= 8) { /* the last bytes, in the last word */
		uint64_t v;
		memcpy(&v, s + len - 8, 8);
		if (!(v & HIGH_BITS_X8))
			return len;
	}
	while (i < len && (unsigned char)s[i] < 0x80)
		i++;
	return i;
}

bool text_is_utf8(const char *s, size_t len)
{
	size_t i = 0, n;

	while ((i = skip_ascii(s, i, len)) < len) {
		n = ls_utf8_length(s + i, len - i);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

char *ls_utf8_copy(const char *text, size_t len)
{
	size_t i = 0, o = 0, n;
	char *copy = malloc(3 * len + 1); /* a byte becomes at most U+FFFD */

	if (copy == NULL)
		return NULL;
	while (i < len) {
		n = ls_utf8_length(text + i, len - i);
		if (n == 0) {
			memcpy(copy + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
			continue;
		}
		memcpy(copy + o, text + i, n);
		o += n;
		i += n;
	}
	copy[o] = '\0';
	return copy;
}

bool ls_cell_is(ls_cell cell, const char *text)
{
	cell = ls_cell_trim(cell);
	return text_equal_fold(cell.ptr, cell.len, text, strlen(text));
}

size_t ls_utf8_length(const char *text, size_t n)
{
	const unsigned char *s = (const unsigned char *)text;
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

uint32_t text_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* Cells and needles are short: finding the needle's first byte with memchr
 * and comparing the rest beats memmem's set-up. */
bool text_contains(const char *hay, size_t hay_len, const char *needle, size_t needle_len)
{
	const char *p = hay, *last;

	if (needle_len == 0)
		return true;
	if (needle_len > hay_len)
		return false;
	last = hay + (hay_len - needle_len);
	while (p <= last) {
		p = memchr(p, needle[0], (size_t)(last - p) + 1);
		if (p == NULL)
			return false;
		if (memcmp(p + 1, needle + 1, needle_len - 1) == 0)
			return true;
		p++;
	}
	return false;
}

char *text_dup(const char *s, size_t len)
{
	char *copy = malloc(len + 1);

	if (copy != NULL) {
		if (len > 0)
			memcpy(copy, s, len);
		copy[len] = '\0';
	}
	return copy;
}
