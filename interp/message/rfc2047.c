/*
 * rfc2047.c: encoded words in header text, decoded the way maildrop
 * 2.9.3 (courier's rfc2047_decoder) decodes them, since patterns written
 * for maildrop depend on it: a word is found wherever "=?" starts one,
 * not only between blanks; its text runs to the next "?="; blanks
 * between two encoded words vanish; a malformed word stays as written.
 * A word in a charset nobody knows (charset.c) is not guessed at: it
 * reads "[unknown character set: NAME -> utf-8]", maildrop's text.
 */
#include <string.h>

#include "msg_internal.h"

static int
hexnyb(int c)
{
	int v = hex_value(c);

	return v < 0 ? 0 : v;	/* as courier: a bad digit counts as 0 */
}

/* The value of a base64 character, -1 outside the alphabet. */
int
b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Base64 as courier decodes an encoded word: whole groups of four only
 * (a short tail is dropped), '=' counting as 99 and any other byte
 * outside the alphabet as 0, the second and third bytes of a group left
 * out where its third or fourth character is '='.  So "M===" is "6" and
 * an unpadded "MT" is nothing, as in maildrop.  A NUL ends the word:
 * courier's text is a C string.
 */
static int
b64_courier(int c)
{
	int v = b64_value(c);

	return v >= 0 ? v : c == '=' ? 99 : 0;
}

static void
decode_b(const char *s, size_t n, struct buf *out)
{
	unsigned a, b, c, d;
	int o[3], k, nout;
	size_t i;

	for (i = 0; i + 4 <= n; i += 4) {
		a = (unsigned)b64_courier((unsigned char)s[i]);
		b = (unsigned)b64_courier((unsigned char)s[i + 1]);
		c = (unsigned)b64_courier((unsigned char)s[i + 2]);
		d = (unsigned)b64_courier((unsigned char)s[i + 3]);
		nout = 0;
		o[nout++] = (int)((a << 2 | b >> 4) & 0xff);
		if (s[i + 2] != '=')
			o[nout++] = (int)((b << 4 | c >> 2) & 0xff);
		if (s[i + 3] != '=')
			o[nout++] = (int)((c << 6 | d) & 0xff);
		for (k = 0; k < nout; k++) {
			if (o[k] == 0)
				return;
			buf_addc(out, o[k]);
		}
	}
}

static void
decode_q(const char *s, size_t n, struct buf *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '=' && n - i >= 3) {
			buf_addc(out, hexnyb((unsigned char)s[i + 1]) << 4 |
			    hexnyb((unsigned char)s[i + 2]));
			i += 2;
		} else if (s[i] == '_') {
			buf_addc(out, ' ');
		} else {
			buf_addc(out, s[i]);
		}
	}
}

/*
 * If an encoded word =?charset?X?text?= starts at s, return its length
 * and, when out is not NULL, append its text as UTF-8; else return 0.
 */
static size_t
word(const char *s, size_t n, struct buf *out)
{
	size_t cs, enc, text, end;
	struct buf raw = BUF_INIT;
	struct cs_conv *conv;

	if (n < 2 || s[0] != '=' || s[1] != '?')
		return 0;
	for (cs = 2; cs < n && s[cs] != '?'; cs++)
		;
	if (cs >= n)
		return 0;
	enc = cs + 1;
	for (text = enc; text < n && s[text] != '?'; text++)
		;
	if (text >= n)
		return 0;
	text++;
	for (end = text; end + 1 < n; end++)
		if (s[end] == '?' && s[end + 1] == '=')
			break;
	if (end + 1 >= n)
		return 0;
	if (s[enc] != 'q' && s[enc] != 'Q' && s[enc] != 'b' && s[enc] != 'B')
		return 0;
	if (out == NULL)
		return end + 2;
	if (s[enc] == 'q' || s[enc] == 'Q')
		decode_q(s + text, end - text, &raw);
	else
		decode_b(s + text, end - text, &raw);
	conv = cs_open(s + 2, cs - 2);
	if (cs_known(conv))
		cs_convert(conv, raw.p != NULL ? raw.p : "", raw.len, out);
	else {
		buf_adds(out, "[unknown character set: ");
		utf8_repair(s + 2, cs - 2, out);
		buf_adds(out, " -> utf-8]");
	}
	cs_close(conv);
	buf_free(&raw);
	return end + 2;
}

void
rfc2047_decode(const char *s, size_t n, struct buf *out)
{
	size_t i, len, ws;
	const char *eq;

	while (n > 0) {
		/* the next "=?", its '=' found by memchr */
		for (i = 0; (eq = memchr(s + i, '=', n - i)) != NULL;
		    i = (size_t)(eq - s) + 1)
			if ((size_t)(eq - s) + 1 < n && eq[1] == '?')
				break;
		i = eq != NULL ? (size_t)(eq - s) : n;
		utf8_repair(s, i, out);
		s += i;
		n -= i;
		if (n == 0)
			break;
		if ((len = word(s, n, out)) == 0) {
			buf_add(out, s, 2);	/* "=?" that starts nothing */
			s += 2;
			n -= 2;
			continue;
		}
		s += len;
		n -= len;
		/* Blanks between two encoded words are not text. */
		for (ws = 0; ws < n && (s[ws] == ' ' || s[ws] == '\t' ||
		    s[ws] == '\r' || s[ws] == '\n'); ws++)
			;
		if (ws < n && word(s + ws, n - ws, NULL) > 0) {
			s += ws;
			n -= ws;
		}
	}
	buf_add(out, "", 0);
}
