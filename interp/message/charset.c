/*
 * charset.c: everything patterns see is UTF-8 (LANGUAGE.md §5.2), and
 * PCRE2 in UTF mode must never be handed invalid UTF-8.  So conversion
 * never fails: a byte that the declared charset cannot explain is
 * dropped, which is what maildrop 2.9.3 does [observed: "caf\xe9 raw" in
 * a header, a plain body or a utf-8 part is searched as "caf raw"].  An
 * unknown charset is read as UTF-8 the same way (2.9.3 searches nothing
 * of such a part; runnel passes what it can through).  iconv(3) does the
 * real conversions; it is stateless between calls because callers
 * convert whole lines.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../grammar/arena.h"
#include "msg_internal.h"

struct cs_conv {
	iconv_t		 cd;		/* (iconv_t)-1: UTF-8 or unknown */
	int		 unknown;	/* no conversion for the name */
};

/*
 * WHATWG Encoding Standard labels iconv does not know, with the iconv
 * name of their encoding.  Names iconv knows keep iconv's meaning, as
 * they have in maildrop, so "shift_jis" and "iso-8859-1" read as before.
 */
static const struct {
	const char	*label, *iconv;
} labels[] = {
	{ "cn-big5", "BIG5-HKSCS" },
	{ "csbig5", "BIG5-HKSCS" },
	{ "cseuckr", "CP949" },
	{ "cseucpkdfmtjapanese", "EUC-JP" },
	{ "csgb2312", "GBK" },
	{ "csiso2022jp", "ISO-2022-JP" },
	{ "csiso58gb231280", "GBK" },
	{ "csksc56011987", "CP949" },
	{ "csmacintosh", "MACINTOSH" },
	{ "csshiftjis", "CP932" },
	{ "dos-874", "CP874" },
	{ "gb_2312", "GBK" },
	{ "iso-ir-149", "CP949" },
	{ "iso-ir-58", "GBK" },
	{ "koi", "KOI8-R" },
	{ "koi8", "KOI8-R" },
	{ "koi8-ru", "KOI8-U" },
	{ "koi8_r", "KOI8-R" },
	{ "korean", "CP949" },
	{ "ks_c_5601-1987", "CP949" },
	{ "ks_c_5601-1989", "CP949" },
	{ "ksc5601", "CP949" },
	{ "ksc_5601", "CP949" },
	{ "mac", "MACINTOSH" },
	{ "ms932", "CP932" },
	{ "ms_kanji", "CP932" },
	{ "shift-jis", "CP932" },
	{ "sjis", "CP932" },
	{ "windows-31j", "CP932" },
	{ "windows-874", "CP874" },
	{ "windows-949", "CP949" },
	{ "x-cp1250", "CP1250" },
	{ "x-cp1251", "CP1251" },
	{ "x-cp1252", "CP1252" },
	{ "x-cp1253", "CP1253" },
	{ "x-cp1254", "CP1254" },
	{ "x-cp1255", "CP1255" },
	{ "x-cp1256", "CP1256" },
	{ "x-cp1257", "CP1257" },
	{ "x-cp1258", "CP1258" },
	{ "x-euc-jp", "EUC-JP" },
	{ "x-gbk", "GBK" },
	{ "x-mac-cyrillic", "MAC-CYRILLIC" },
	{ "x-mac-roman", "MACINTOSH" },
	{ "x-mac-ukrainian", "MAC-UK" },
	{ "x-sjis", "CP932" },
	{ "x-unicode20utf8", "UTF-8" },
	{ "x-user-defined", "" },
	{ "x-x-big5", "BIG5-HKSCS" },
};

/* The iconv name for a WHATWG label, or NULL. */
static const char *
whatwg_label(const char *name)
{
	size_t i;

	for (i = 0; i < nitems(labels); i++)
		if (strcasecmp(name, labels[i].label) == 0)
			return labels[i].iconv;
	return NULL;
}

/* Charset names that mean "already UTF-8 or a subset of it". */
static int
is_utf8ish(const char *name)
{
	static const char *const names[] = {
		"", "utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968",
		"us", "iso646-us", "csascii", "unicode-1-1-utf-8",
	};
	size_t i;

	for (i = 0; i < nitems(names); i++)
		if (strcasecmp(name, names[i]) == 0)
			return 1;
	return 0;
}

/*
 * iconv_open() loads and sets up a gconv module: far dearer than the
 * conversion of a header.  A message names few charsets, so descriptors
 * (and failures) are kept for the life of the process; callers reset the
 * state before each use.
 */
static iconv_t
cached_iconv(const char *name)
{
	static struct {
		char	 name[64];
		iconv_t	 cd;
	} cache[16];
	static size_t used, next;
	size_t i;

	for (i = 0; i < used; i++)
		if (strcasecmp(cache[i].name, name) == 0)
			return cache[i].cd;
	if (used < nitems(cache)) {
		i = used++;
	} else {
		i = next;		/* full: replace round-robin */
		next = (next + 1) % nitems(cache);
		if (cache[i].cd != (iconv_t)-1)
			iconv_close(cache[i].cd);
	}
	strcpy(cache[i].name, name);
	cache[i].cd = iconv_open("UTF-8", name);
	return cache[i].cd;
}

struct cs_conv *
cs_open(const char *charset, size_t n)
{
	struct cs_conv *c = xcalloc(1, sizeof(*c));
	const char *alias;
	char name[64];
	size_t i, k = 0;

	c->cd = (iconv_t)-1;
	c->unknown = 1;
	/* Trim blanks and quotes; refuse what cannot be a charset name. */
	for (i = 0; i < n && k + 1 < sizeof(name); i++) {
		unsigned char ch = (unsigned char)charset[i];

		if (ch == ' ' || ch == '\t' || ch == '"' || ch == '\'')
			continue;
		if (ch <= ' ' || ch >= 0x7f || ch == '/')
			return c;
		name[k++] = (char)ch;
	}
	if (i < n)
		return c;	/* name too long to be real */
	name[k] = '\0';
	/* RFC 2231 language suffix: "iso-8859-1*en". */
	if (strchr(name, '*') != NULL)
		*strchr(name, '*') = '\0';
	c->unknown = 0;
	if (is_utf8ish(name))
		return c;
	c->cd = cached_iconv(name);
	if (c->cd == (iconv_t)-1 && (alias = whatwg_label(name)) != NULL &&
	    *alias != '\0') {
		if (strcmp(alias, "UTF-8") == 0)
			return c;
		c->cd = cached_iconv(alias);
	}
	c->unknown = c->cd == (iconv_t)-1;
	return c;
}

int
cs_known(const struct cs_conv *c)
{
	return !c->unknown;
}

int
cs_utf8(const struct cs_conv *c)
{
	return c->cd == (iconv_t)-1;
}

void
cs_close(struct cs_conv *c)
{
	free(c);		/* the iconv_t stays in the cache */
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len, i;
	unsigned long cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and past U+10FFFF are invalid. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

int
utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len;
	uint64_t w[8];

	while (i < n) {
		/*
		 * ASCII 64 bytes at a time: the common case, looked at once
		 * for every pattern that searches a block.  Word by word, so
		 * that the words stay in registers.
		 */
		if (i + 64 <= n) {
			memcpy(&w[0], p + i, 8);
			memcpy(&w[1], p + i + 8, 8);
			memcpy(&w[2], p + i + 16, 8);
			memcpy(&w[3], p + i + 24, 8);
			memcpy(&w[4], p + i + 32, 8);
			memcpy(&w[5], p + i + 40, 8);
			memcpy(&w[6], p + i + 48, 8);
			memcpy(&w[7], p + i + 56, 8);
			if (((w[0] | w[1] | w[2] | w[3] | w[4] | w[5] | w[6] |
			    w[7]) & 0x8080808080808080ULL) == 0) {
				i += 64;
				continue;
			}
		}
		if ((len = utf8_seq(p + i, n - i)) == 0)
			return 0;
		i += len;
	}
	return 1;
}

/* Are the next 8 bytes of p[0, n) there and all ASCII? */
static int
ascii8(const unsigned char *p, size_t n)
{
	uint64_t w;

	if (n < 8)
		return 0;
	memcpy(&w, p, 8);
	return (w & 0x8080808080808080ULL) == 0;
}

void
utf8_repair(const char *s, size_t n, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len, run;

	buf_grow(out, n);
	while (i < n) {
		/* Copy valid runs in one piece: the common case. */
		for (run = i; run < n; run += len)
			if ((len = ascii8(p + run, n - run) ? 8 :
			    p[run] < 0x80 ? 1 : utf8_seq(p + run, n - run)) == 0)
				break;
		if (run > i)
			buf_add(out, s + i, run - i);
		i = run;
		if (i < n)
			i++;		/* invalid: dropped */
	}
	buf_add(out, "", 0);
}

size_t
utf8_cut(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t k = n, back = 0;

	/* Step back over at most 3 continuation bytes to a lead byte. */
	while (k > 0 && back < 4 && (p[k - 1] & 0xc0) == 0x80) {
		k--;
		back++;
	}
	if (k == 0 || back >= 4)
		return n;
	if (p[k - 1] >= 0xc0) {
		/* A lead byte: keep its sequence only if it is complete. */
		if (utf8_seq(p + k - 1, n - (k - 1)) == back + 1)
			return n;
		return k - 1;
	}
	return n;
}

void
cs_convert(struct cs_conv *c, const char *s, size_t n, struct buf *out)
{
	char tmp[1024];
	char *in = (char *)s, *o;
	size_t inleft = n, oleft;
	size_t r;

	if (c->cd == (iconv_t)-1) {
		utf8_repair(s, n, out);
		return;
	}
	iconv(c->cd, NULL, NULL, NULL, NULL);
	while (inleft > 0) {
		o = tmp;
		oleft = sizeof(tmp);
		r = iconv(c->cd, &in, &inleft, &o, &oleft);
		buf_add(out, tmp, sizeof(tmp) - oleft);
		if (r != (size_t)-1)
			continue;
		if (errno == E2BIG)
			continue;
		/* EILSEQ, or EINVAL at a truncated sequence: drop one
		   byte and go on from a clean state. */
		in++;
		inleft--;
		iconv(c->cd, NULL, NULL, NULL, NULL);
	}
	o = tmp;
	oleft = sizeof(tmp);
	iconv(c->cd, NULL, NULL, &o, &oleft);
	buf_add(out, tmp, sizeof(tmp) - oleft);
	buf_add(out, "", 0);
}
