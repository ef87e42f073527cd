/*
 * lmtp_command.c: the LMTP command parser and the exit-status reply
 * table.  Each line below is what a client (or an attacker) could send;
 * the parser must take it apart or answer with the right code.
 */
#include <string.h>
#include <sys/wait.h>
#include <sysexits.h>

#include "../../grammar/buf.h"
#include "../../interp/lmtp/command.h"
#include "../../interp/lmtp/reply.h"
#include "unit.h"

static const struct {
	const char	*line;
	enum lmtp_verb	 verb;
	int		 code;		/* LV_BAD's reply */
	const char	*path;
	long long	 size;
} cases[] = {
	{ "LHLO client.example", LV_LHLO, 0, "", -1 },
	{ "lhlo x", LV_LHLO, 0, "", -1 },
	{ "LHLO", LV_BAD, 501, NULL, 0 },
	{ "MAIL FROM:<ann@example.com>", LV_MAIL, 0, "ann@example.com", -1 },
	{ "mail from:<>", LV_MAIL, 0, "", -1 },
	{ "MAIL FROM: <a@b> SIZE=1234 BODY=8BITMIME", LV_MAIL, 0, "a@b", 1234 },
	{ "MAIL FROM:<a@b> BODY=7BIT", LV_MAIL, 0, "a@b", -1 },
	{ "MAIL FROM:<a@b> BODY=BINARYMIME", LV_BAD, 504, NULL, 0 },
	{ "MAIL FROM:<a@b> SIZE=12x", LV_BAD, 501, NULL, 0 },
	{ "MAIL FROM:<a@b> SIZE=99999999999999999999", LV_BAD, 501, NULL, 0 },
	{ "MAIL FROM:<a@b> AUTH=<>", LV_BAD, 555, NULL, 0 },
	{ "MAIL FROM:a@b", LV_BAD, 501, NULL, 0 },
	{ "MAIL FROM:<a@b", LV_BAD, 501, NULL, 0 },
	{ "MAIL TO:<a@b>", LV_BAD, 501, NULL, 0 },
	{ "RCPT TO:<bob+ext@example.net>", LV_RCPT, 0, "bob+ext@example.net", -1 },
	{ "RCPT TO:<\"a >b\"@x>", LV_RCPT, 0, "\"a >b\"@x", -1 },
	{ "RCPT TO:<>", LV_BAD, 501, NULL, 0 },
	{ "RCPT TO:<a@b> NOTIFY=NEVER", LV_BAD, 555, NULL, 0 },
	{ "RCPT TO:<a\tb@x>", LV_BAD, 501, NULL, 0 },
	{ "DATA", LV_DATA, 0, "", -1 },
	{ "DATA now", LV_BAD, 501, NULL, 0 },
	{ "RSET", LV_RSET, 0, "", -1 },
	{ "NOOP", LV_NOOP, 0, "", -1 },
	{ "NOOP anything", LV_NOOP, 0, "", -1 },
	{ "QUIT", LV_QUIT, 0, "", -1 },
	{ "VRFY bob", LV_VRFY, 0, "", -1 },
	{ "EHLO x", LV_EHLO, 0, "", -1 },
	{ "HELLO", LV_BAD, 500, NULL, 0 },
	{ "", LV_BAD, 500, NULL, 0 },
	{ "DAT", LV_BAD, 500, NULL, 0 },
};

static void
parse_cases(void)
{
	struct lmtp_command c;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		lmtp_parse(cases[i].line, strlen(cases[i].line), &c);
		unit_check(c.verb == cases[i].verb &&
		    (c.verb != LV_BAD || c.code == cases[i].code) &&
		    (cases[i].path == NULL || strcmp(c.path,
		    cases[i].path) == 0) &&
		    (c.verb == LV_BAD || c.size == cases[i].size),
		    cases[i].line, "verb %d code %d path \"%s\" size %lld",
		    (int)c.verb, c.code, c.path, c.size);
	}
}

/* NUL and CR inside a line, and a path longer than RFC 5321's. */
static void
hostile_bytes(void)
{
	struct lmtp_command c;
	char line[600];

	lmtp_parse("RCPT TO:<a\0b@x>", 16, &c);
	unit_check(c.verb == LV_BAD && c.code == 500, "NUL in a command",
	    "verb %d code %d", (int)c.verb, c.code);
	lmtp_parse("RCPT TO:<a\rb@x>", 15, &c);
	unit_check(c.verb == LV_BAD && c.code == 500, "CR in a command",
	    "verb %d code %d", (int)c.verb, c.code);
	memcpy(line, "RCPT TO:<", 9);
	memset(line + 9, 'a', 400);
	memcpy(line + 409, "@x>", 3);
	lmtp_parse(line, 412, &c);
	unit_check(c.verb == LV_BAD && c.code == 501, "path too long",
	    "verb %d code %d", (int)c.verb, c.code);
}

static void
reply_table(void)
{
	static const struct {
		int		 ws;
		const char	*why, *want;
	} r[] = {
		{ 0, "", "250 2.0.0 <u@x> delivered" },
		{ EX_TEMPFAIL << 8, "maildrop: Unable to open mailbox.",
		    "451 4.3.0 <u@x> maildrop: Unable to open mailbox." },
		{ EX_TEMPFAIL << 8, "", "451 4.3.0 <u@x> temporary failure" },
		{ EX_OSERR << 8, "", "451 4.3.0 <u@x> system resource problem" },
		{ EX_NOUSER << 8, "", "550 5.1.1 <u@x> user unknown" },
		{ EX_NOPERM << 8, "", "550 5.7.0 <u@x> permission denied" },
		{ 5 << 8, "", "550 5.3.0 <u@x> unknown mail system error 5" },
		{ 9, "", "451 4.3.0 <u@x> delivery killed by a signal" },
	};
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		buf_reset(&b);
		lmtp_reply_status(&b, r[i].ws, "u@x", r[i].why);
		unit_check(strcmp(buf_cstr(&b), r[i].want) == 0, r[i].want,
		    "got %s", buf_cstr(&b));
	}
	buf_free(&b);
}

int
main(void)
{
	parse_cases();
	hostile_bytes();
	reply_table();
	return unit_done();
}
