/*
 * utf8.c: the character side of the string built-ins, used only when the
 * filter sets UNICODE=1 (runnel's extension, DIFFERENCES.md B12; maildrop
 * counts and maps bytes, and so does runnel by default).
 *
 * A character is a code point, not a grapheme: "e" plus a combining
 * accent is two, as u8_mbsnlen counts.  Invalid UTF-8 never fails and is
 * never rewritten: each ill-formed sequence (the bytes u8_mbtouc steps
 * over, one to three) counts as one character and is copied unchanged,
 * so length, substr and the case maps agree on where characters begin.
 */
#include <stdlib.h>
#include <strings.h>
#include <unicase.h>
#include <unistr.h>

#include "../grammar/arena.h"
#include "../interp/run/vars.h"
#include "bi.h"

int
bi_unicode(struct run *r)
{
	return vars_num(r->vars, "UNICODE", 0) > 0;
}

/* Bytes of the character at s (n > 0): an invalid sequence is one. */
static size_t
char_len(const char *s, size_t n)
{
	ucs4_t uc;

	return (size_t)u8_mbtouc(&uc, (const uint8_t *)s, n);
}

/* Byte offset just past the first n characters of s (len if fewer). */
static size_t
skip_chars(const char *s, size_t len, unsigned long n)
{
	size_t off = 0;

	while (n > 0 && off < len) {
		off += char_len(s + off, len - off);
		n--;
	}
	return off;
}

size_t
bi_utf8_length(const char *s, size_t len)
{
	return len ? u8_mbsnlen((const uint8_t *)s, len) : 0;
}

void
bi_utf8_span(const char *s, size_t len, long start, long count,
    size_t *from, size_t *keep)
{
	*from = start < 0 ? len : skip_chars(s, len, (unsigned long)start);
	*keep = len - *from;
	if (count >= 0)
		*keep = skip_chars(s + *from, *keep, (unsigned long)count);
}

/*
 * Full case mapping with no language: the result must not depend on the
 * locale the MTA happens to start runnel in, so Turkish "i" maps as
 * everywhere else (toupper("i") is "I", tolower("İ") is "i̇").  No
 * normalisation either: only case changes, and a decomposed accent the
 * message carried stays decomposed, as a pattern will expect it.
 */
static void
map_valid(const char *s, size_t len, int up, struct buf *out)
{
	const uint8_t *u = (const uint8_t *)s;
	uint8_t *m;
	size_t n;

	if (len == 0)
		return;
	m = up ? u8_toupper(u, len, NULL, NULL, NULL, &n) :
	    u8_tolower(u, len, NULL, NULL, NULL, &n);
	if (m == NULL)
		xalloc_fail();	/* valid input: only ENOMEM is left */
	buf_add(out, m, n);
	free(m);
}

void
bi_utf8_case(struct buf *io, int up)
{
	struct buf res = BUF_INIT;
	const char *p = io->p, *end;
	const uint8_t *bad;
	size_t n;
	/* lengths change: message text marks the whole result (B24) */
	int marked = buf_marked(io);

	if (io->len == 0)
		return;	/* p may be NULL */
	end = p + io->len;
	while (p < end) {
		bad = u8_check((const uint8_t *)p, (size_t)(end - p));
		if (bad == NULL) {
			map_valid(p, (size_t)(end - p), up, &res);
			break;
		}
		map_valid(p, (size_t)((const char *)bad - p), up, &res);
		p = (const char *)bad;
		n = char_len(p, (size_t)(end - p));
		buf_add(&res, p, n);
		p += n;
	}
	buf_set(io, res.p, res.len);
	if (marked)
		buf_mark(io, 0, io->len);
	buf_free(&res);
}

/*
 * Unicode case folding ("STRASSE" equals "straße"); when either side is
 * not valid UTF-8, libunistring would read both bad bytes as U+FFFD and
 * call them equal, so those compare as maildrop does, ASCII-blind.
 */
int
bi_utf8_caseeq(const char *a, size_t alen, const char *b, size_t blen)
{
	const uint8_t *ua = (const uint8_t *)a, *ub = (const uint8_t *)b;
	int cmp;

	if (u8_check(ua, alen) != NULL || u8_check(ub, blen) != NULL)
		return alen == blen && strncasecmp(a, b, alen) == 0;
	if (u8_casecmp(ua, alen, ub, blen, NULL, NULL, &cmp) != 0)
		xalloc_fail();
	return cmp == 0;
}
