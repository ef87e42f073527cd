/*
 * command.c: the LMTP command parser.  It sees bytes straight from the
 * network, so it is a pure function of the line (tests/fuzz/fuzz_lmtp.c
 * feeds it anything): every way a line can be wrong ends in a 500 or 501
 * reply with an enhanced status code (RFC 3463), never in a crash.
 */
#include <ctype.h>
#include <string.h>

#include "command.h"

static const struct {
	const char	*name;
	enum lmtp_verb	 verb;
	int		 args;		/* 0 none, 1 optional, 2 required */
} verbs[] = {
	{ "LHLO", LV_LHLO, 2 }, { "MAIL", LV_MAIL, 2 }, { "RCPT", LV_RCPT, 2 },
	{ "DATA", LV_DATA, 0 }, { "RSET", LV_RSET, 0 }, { "NOOP", LV_NOOP, 1 },
	{ "QUIT", LV_QUIT, 0 }, { "VRFY", LV_VRFY, 2 }, { "HELO", LV_HELO, 1 },
	{ "EHLO", LV_EHLO, 1 },
};

static void
bad(struct lmtp_command *c, int code, const char *text)
{
	c->verb = LV_BAD;
	c->code = code;
	c->text = text;
}

static int
prefix(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(end - p) >= n && strncasecmp(p, word, n) == 0;
}

/*
 * "<path>" at *pp: copy the path without its brackets.  A quoted local
 * part may hold '>' and spaces; a backslash quotes the next byte.
 * Returns 0, or -1 for a path that is not one.
 */
static int
path(const char **pp, const char *end, struct lmtp_command *c)
{
	const char *p = *pp;
	size_t n = 0;
	int quoted = 0;

	if (p == end || *p != '<')
		return -1;
	for (p++; p < end; p++) {
		unsigned char ch = (unsigned char)*p;

		if (!quoted && ch == '>')
			break;
		if (ch < 0x20 || ch == 0x7f)
			return -1;
		if (ch == '"')
			quoted = !quoted;
		else if (ch == '\\' && quoted && p + 1 < end) {
			if (n == LMTP_PATH_MAX - 2)
				return -1;
			c->path[n++] = *p++;
			ch = (unsigned char)*p;
			if (ch < 0x20 || ch == 0x7f)
				return -1;
		}
		if (n == LMTP_PATH_MAX - 2)
			return -1;
		c->path[n++] = (char)ch;
	}
	if (p == end)
		return -1;
	c->path[n] = '\0';
	*pp = p + 1;
	return 0;
}

/* MAIL's parameters: SIZE=n and BODY=7BIT|8BITMIME (RFC 1870, 6152). */
static int
mail_params(const char *p, const char *end, struct lmtp_command *c)
{
	while (p < end) {
		const char *w;
		long long v;

		if (*p != ' ')
			return bad(c, 501, "5.5.4 Syntax error in parameters"), -1;
		while (p < end && *p == ' ')
			p++;
		if (p == end)
			break;
		for (w = p; w < end && *w != ' '; w++)
			;
		if (prefix(p, w, "SIZE=") && w > p + 5) {
			for (v = 0, p += 5; p < w; p++) {
				if (!isdigit((unsigned char)*p) ||
				    v > 99999999999999LL)
					return bad(c, 501, "5.5.4 Bad SIZE "
					    "parameter"), -1;
				v = v * 10 + (*p - '0');
			}
			c->size = v;
		} else if (w - p == 9 && prefix(p, w, "BODY=7BIT"))
			c->body = LB_7BIT, p = w;
		else if (w - p == 13 && prefix(p, w, "BODY=8BITMIME"))
			c->body = LB_8BITMIME, p = w;
		else if (prefix(p, w, "BODY="))
			return bad(c, 504, "5.5.4 Unsupported BODY type"), -1;
		else
			return bad(c, 555, "5.5.4 Unsupported parameter"), -1;
	}
	return 0;
}

/* "FROM:<path> params" or "TO:<path>" after MAIL or RCPT. */
static void
envelope(const char *p, const char *end, const char *word,
    struct lmtp_command *c)
{
	if (!prefix(p, end, word)) {
		bad(c, 501, "5.5.4 Syntax error in command");
		return;
	}
	p += strlen(word);
	while (p < end && *p == ' ')	/* RFC 5321 forbids, clients send */
		p++;
	if (path(&p, end, c) < 0) {
		bad(c, 501, c->verb == LV_MAIL ? "5.1.7 Bad sender address "
		    "syntax" : "5.1.3 Bad recipient address syntax");
		return;
	}
	if (c->verb == LV_MAIL) {
		mail_params(p, end, c);
		return;
	}
	/* RCPT: no parameters are advertised, so none are taken. */
	while (p < end && *p == ' ')
		p++;
	if (p != end)
		bad(c, 555, "5.5.4 Unsupported parameter");
	else if (c->path[0] == '\0')
		bad(c, 501, "5.1.3 Bad recipient address syntax");
}

void
lmtp_parse(const char *line, size_t len, struct lmtp_command *c)
{
	const char *end = line + len, *p;
	size_t i, n;

	memset(c, 0, sizeof(*c));
	c->size = -1;
	c->body = LB_7BIT;
	if (memchr(line, '\0', len) != NULL || memchr(line, '\r', len) != NULL) {
		bad(c, 500, "5.5.2 Syntax error, bad characters in command");
		return;
	}
	for (p = line; p < end && *p != ' '; p++)
		;
	n = (size_t)(p - line);
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (n == 4 && strncasecmp(line, verbs[i].name, 4) == 0)
			break;
	if (i == sizeof(verbs) / sizeof(verbs[0])) {
		bad(c, 500, "5.5.2 Command unrecognized");
		return;
	}
	c->verb = verbs[i].verb;
	if (p < end)
		p++;
	if (verbs[i].args == 0 && p != end) {
		bad(c, 501, "5.5.4 No parameters allowed");
		return;
	}
	if (verbs[i].args == 2 && p == end) {
		bad(c, 501, "5.5.4 Parameter required");
		return;
	}
	if (c->verb == LV_MAIL)
		envelope(p, end, "FROM:", c);
	else if (c->verb == LV_RCPT)
		envelope(p, end, "TO:", c);
}
