/*
 * reply.h: a delivery's exit status as an LMTP reply, the table Postfix
 * uses for mailbox_command (its sys_exits.c), so a site that moves from
 * mailbox_command to LMTP sees the same bounces and deferrals.
 */
#ifndef LMTP_REPLY_H
#define LMTP_REPLY_H

#include "../../grammar/buf.h"

/*
 * The reply line for a delivery to rcpt that ended with wait(2) status
 * ws.  why, when not empty, is the delivery's own error line (runnel's
 * "maildrop: ..." line) and replaces the table's text.
 */
void	lmtp_reply_status(struct buf *out, int ws, const char *rcpt,
	    const char *why);

#endif
