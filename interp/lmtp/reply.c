/*
 * reply.c: exit status to reply, one table (README.md "Running as an
 * LMTP service" shows it).  Postfix treats EX_OSERR and EX_TEMPFAIL as
 * temporary and bounces on every other sysexits code; a status outside
 * the table bounces as "unknown mail system error" and a delivery killed
 * by a signal is deferred, as Postfix's pipe_command() does.
 */
#include <sys/wait.h>
#include <sysexits.h>
#include <stddef.h>

#include "reply.h"

static const struct {
	int		 status;
	int		 code;
	const char	*dsn, *text;
} table[] = {
	{ 0,		250, "2.0.0", "delivered" },
	{ EX_USAGE,	550, "5.3.0", "command line usage error" },
	{ EX_DATAERR,	550, "5.6.0", "data format error" },
	{ EX_NOINPUT,	550, "5.3.0", "cannot open input" },
	{ EX_NOUSER,	550, "5.1.1", "user unknown" },
	{ EX_NOHOST,	550, "5.1.2", "host name unknown" },
	{ EX_UNAVAILABLE, 550, "5.3.0", "service unavailable" },
	{ EX_SOFTWARE,	550, "5.3.0", "internal software error" },
	{ EX_OSERR,	451, "4.3.0", "system resource problem" },
	{ EX_OSFILE,	550, "5.3.0", "critical OS file missing" },
	{ EX_CANTCREAT,	550, "5.2.0", "can't create user output file" },
	{ EX_IOERR,	550, "5.3.0", "input/output error" },
	{ EX_TEMPFAIL,	451, "4.3.0", "temporary failure" },
	{ EX_PROTOCOL,	550, "5.5.0", "remote error in protocol" },
	{ EX_NOPERM,	550, "5.7.0", "permission denied" },
	{ EX_CONFIG,	550, "5.3.5", "local configuration error" },
};

void
lmtp_reply_status(struct buf *out, int ws, const char *rcpt, const char *why)
{
	int code = 550, status = -1;
	const char *dsn = "5.3.0", *text = "unknown mail system error";
	size_t i;
	int known = 0;

	if (WIFEXITED(ws)) {
		status = WEXITSTATUS(ws);
		for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
			if (table[i].status == status) {
				code = table[i].code;
				dsn = table[i].dsn;
				text = table[i].text;
				known = 1;
			}
	} else {
		known = 1;
		code = 451;
		dsn = "4.3.0";
		text = "delivery killed by a signal";
	}
	if (status != 0 && why != NULL && *why != '\0')
		text = why;
	buf_printf(out, "%d %s <%s> %s", code, dsn, rcpt, text);
	if (known == 0 && text != why)
		buf_printf(out, " %d", status);	/* Postfix names it too */
}
