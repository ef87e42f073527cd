/*
 * command.h: one LMTP command line (RFC 2033, RFC 5321 §4.1) taken
 * apart.  The parser only reads the line; what a command means for the
 * session is session.c's.
 */
#ifndef LMTP_COMMAND_H
#define LMTP_COMMAND_H

#include <stddef.h>

/* RFC 5321 §4.5.3.1: a command line, CRLF included. */
#define LMTP_LINE_MAX	512
/* RFC 5321 §4.5.3.1.3: a path, the angle brackets included. */
#define LMTP_PATH_MAX	256

enum lmtp_verb {
	LV_BAD,			/* see code and text */
	LV_LHLO, LV_MAIL, LV_RCPT, LV_DATA, LV_RSET, LV_NOOP, LV_QUIT,
	LV_VRFY, LV_HELO, LV_EHLO
};

enum lmtp_body {
	LB_7BIT, LB_8BITMIME
};

struct lmtp_command {
	enum lmtp_verb	 verb;
	/* The reverse or forward path without its brackets, NUL-ended. */
	char		 path[LMTP_PATH_MAX + 1];
	long long	 size;		/* MAIL's SIZE=, -1 without */
	enum lmtp_body	 body;		/* MAIL's BODY= */
	/* LV_BAD: the reply, e.g. 501 and "5.5.4 Syntax error ...". */
	int		 code;
	const char	*text;
};

/*
 * Take apart line[0, len), its CRLF or LF already removed.  Any bytes
 * may come: a NUL, a CR, a path too long, an unknown verb or parameter
 * give LV_BAD with the reply to send, and the session goes on.
 */
void	lmtp_parse(const char *line, size_t len, struct lmtp_command *);

#endif
