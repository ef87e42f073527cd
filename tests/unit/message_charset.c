/*
 * message_charset.c: conversion to UTF-8 never fails and never hands out
 * invalid UTF-8: charsets maildrop users meet (ISO-8859-1/15,
 * windows-1252, ISO-2022-JP, Shift_JIS, EUC-JP, KOI8-R), broken input in
 * each, unknown charsets, and encoded words (RFC 2047) as 2.9.3 decodes
 * them [observed outputs quoted from maildrop's foreach].
 */
#include <stdio.h>
#include <string.h>
#include <unistr.h>

#include "../../grammar/buf.h"
#include "../../interp/message/msg_internal.h"
#include "unit.h"

static void
same(const char *name, const struct buf *got, const char *want)
{
	const char *g = got->p != NULL ? got->p : "";

	unit_check(got->len == strlen(want) && memcmp(g, want, got->len) == 0 &&
	    u8_check((const uint8_t *)g, got->len) == NULL, name,
	    "got \"%.*s\", want \"%s\"", (int)got->len, g, want);
}

static void
conv(const char *name, const char *charset, const char *in, size_t n,
    const char *want)
{
	struct cs_conv *c = cs_open(charset, strlen(charset));
	struct buf b = BUF_INIT;

	cs_convert(c, in, n, &b);
	cs_close(c);
	same(name, &b, want);
	buf_free(&b);
}

static void
word(const char *in, const char *want)
{
	struct buf b = BUF_INIT;

	rfc2047_decode(in, strlen(in), &b);
	same(in, &b, want);
	buf_free(&b);
}

int
main(void)
{
	struct buf b = BUF_INIT;
	struct hdr_work hw = HDR_WORK_INIT;
	size_t i;

#define C(name, cs, in, want)	conv(name, cs, in, sizeof(in) - 1, want)
	C("iso-8859-1", "iso-8859-1", "caf\xe9", "caf\xc3\xa9");
	C("ISO-8859-15 euro", "ISO-8859-15", "\xa4 10", "\xe2\x82\xac 10");
	C("windows-1252 quotes", "windows-1252", "\x93q\x94 \x96 \x80",
	    "\xe2\x80\x9cq\xe2\x80\x9d \xe2\x80\x93 \xe2\x82\xac");
	C("windows-1252 undefined 0x81 dropped", "windows-1252", "a\x81z",
	    "az");
	C("iso-2022-jp", "iso-2022-jp", "\x1b$B$3$s$K$A$O\x1b(B",
	    "\xe3\x81\x93\xe3\x82\x93\xe3\x81\xab\xe3\x81\xa1\xe3\x81\xaf");
	C("iso-2022-jp without return to ASCII", "ISO-2022-JP",
	    "\x1b$B$3$s", "\xe3\x81\x93\xe3\x82\x93");
	C("iso-2022-jp truncated in a character", "iso-2022-jp",
	    "\x1b$B$3$", "\xe3\x81\x93");
	C("shift_jis", "shift_jis", "\x93\xfa\x96\x7b",
	    "\xe6\x97\xa5\xe6\x9c\xac");
	C("shift_jis truncated lead byte dropped", "Shift_JIS",
	    "\x93\xfa\x96", "\xe6\x97\xa5");
	C("euc-jp", "euc-jp", "\xb4\xc1\xbb\xfa", "\xe6\xbc\xa2\xe5\xad\x97");
	C("koi8-r", "koi8-r", "\xf0\xd2\xc9\xd7\xc5\xd4",
	    "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82");
	C("utf-8 invalid bytes dropped", "utf-8", "caf\xe9 \xc3\xa9 \xff",
	    "caf \xc3\xa9 ");
	C("utf-8 overlong and surrogate dropped", "UTF-8",
	    "a\xc0\xafz\xed\xa0\x80y", "azy");
	C("us-ascii passes UTF-8 through", "us-ascii", "caf\xc3\xa9",
	    "caf\xc3\xa9");
	C("unknown charset read as UTF-8", "x-no-such",
	    "ok \xc3\xa9 bad \xe9", "ok \xc3\xa9 bad ");
	C("quoted charset name", "\"ISO-8859-1\"", "\xe9", "\xc3\xa9");
	C("charset name with /", "../etc/x", "a\xe9", "a");

	/* utf8_cut never splits a character. */
	buf_adds(&b, "ab\xe2\x82\xac");
	for (i = 0; i <= b.len; i++)
		if (u8_check((const uint8_t *)b.p, utf8_cut(b.p, i)) != NULL)
			break;
	unit_check(i > b.len, "utf8_cut on character boundaries",
	    "splits at %zu", i);
	unit_check(utf8_cut(b.p, 5) == 5 && utf8_cut(b.p, 4) == 2,
	    "utf8_cut keeps complete characters", "cuts a character");
	buf_free(&b);

	/*
	 * utf8_valid against libunistring, with one bad byte or one good
	 * character at every place of 200 ASCII bytes: every word of its
	 * 64-byte steps is looked at, and the tail after them.
	 */
	for (i = 0; i < 200; i++) {
		char t[202];
		size_t k;
		int ok = 1;

		for (k = 0; k < 2; k++) {
			memset(t, 'a', sizeof(t));
			if (k == 0)
				t[i] = (char)0xff;
			else
				memcpy(t + i, "\xc3\xa9", 2);
			if (utf8_valid(t, 200) != (u8_check((const uint8_t *)t,
			    200) == NULL))
				ok = 0;
		}
		if (!ok || i == 199) {
			unit_check(ok, "utf8_valid finds a bad byte anywhere",
			    "wrong with it at %zu", i);
			break;
		}
	}

	/* Encoded words, as maildrop 2.9.3 showed them. */
	word("=?UTF-8?B?SMOzbGEh?=", "H\xc3\xb3la!");
	word("=?utf-8?b?SMOzbGEh?= =?UTF-8?Q?caf=C3=A9_x?=",
	    "H\xc3\xb3la!caf\xc3\xa9 x");
	word("abc=?iso-8859-1?q?caf=E9?=def", "abccaf\xc3\xa9" "def");
	word("=?utf-8?q?bad=E9?=", "bad");
	word("=?iso-2022-jp?B?GyRCJCIbKEI=?=", "\xe3\x81\x82");
	word("=?utf-8?q?a b?=", "a b");
	word("=?utf-8?x?abc?=  =?utf-8?q?x?=", "=?utf-8?x?abc?=  x");
	word("=?utf-8*en?q?hi?=", "hi");
	word("=?utf-8?q?one?=\n\t=?utf-8?q?two?= three",
	    "onetwo three");
	word("=?utf-8?q?never closed", "=?utf-8?q?never closed");
	word("=?", "=?");
	word("=?utf-8?b?SMOz", "=?utf-8?b?SMOz");
	/* base64 in groups of four, as courier: a NUL ends the word */
	word("=?utf-8?b?!!SMOzbGEh?=", "");
	word("=?utf-8?b?M===?=", "6");
	word("=?utf-8?b?MT?=", "");
	word("=?utf-8?b?QQ==QUFB?=", "AAAA");
	/* a charset nobody knows is not guessed at: maildrop's text */
	word("=?x-unknown?q?caf=C3=A9?= z",
	    "[unknown character set: x-unknown -> utf-8] z");
	/* WHATWG labels iconv does not know */
	word("=?ks_c_5601-1987?B?sMu7/Q==?=", "\xea\xb2\x80\xec\x83\x9d");
	word("=?x-sjis?B?g2WDWINn?=",
	    "\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88");
	word("=?x-gbk?B?1tDOxA==?=", "\xe4\xb8\xad\xe6\x96\x87");
	word("raw caf\xe9", "raw caf");
	/* '=' without '?' is text, also right before an encoded word */
	word("a=b==?utf-8?q?x?=c=", "a=b=xc=");
	/* bad bytes after and between runs of 8 ASCII bytes */
	word("0123456789\xff" "abcdefgh\xc3\xa9" "ijklmnop\xc3", "0123456789"
	    "abcdefgh\xc3\xa9" "ijklmnop");

	/* A header as patterns see it: CRs gone, folds one space each. */
	hdr_display("Subject", 7, "  one\r\n\ttwo\r\r\n three\n \r\n", 24,
	    &b, &hw);
	same("hdr_display folds and drops CRs", &b, "Subject: one \ttwo  three");
	/* the working buffers hold nothing over to the next header */
	buf_reset(&b);
	hdr_display("To", 2, "=?utf-8?q?x?= <a@b>", 19, &b, &hw);
	buf_adds(&b, "|");
	hdr_display("X", 1, "y", 1, &b, &hw);
	same("hdr_display twice with the same work", &b, "To: x <a@b>|X: y");
	hdr_work_free(&hw);
	buf_free(&b);
	return unit_done();
}
